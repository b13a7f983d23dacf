"""Which language messages are in: Accept-Language among Thai and English; Thai by default."""

SUPPORTED = ("th", "en")
DEFAULT = "th"


def preferred_language(accept_language: str | None) -> str:
    """``en-US,en;q=0.9`` -> ``en``; anything without Thai or English -> ``th``."""
    best, best_q = DEFAULT, 0.0
    for part in (accept_language or "").split(","):
        tag, *params = (p.strip() for p in part.split(";"))
        primary = tag.lower().partition("-")[0]
        q = quality(params)
        if primary in SUPPORTED and q > best_q:
            best, best_q = primary, q
    return best


def quality(params: list[str]) -> float:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
