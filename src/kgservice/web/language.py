"""The reader's language, Thai or English, for pages and for the messages of JSON answers alike:
``?lang=`` first (pages), then Accept-Language, else Thai."""

from dataclasses import dataclass

from fastapi import Request

from kgservice.lod.labels import LANGUAGES

DEFAULT_LANGUAGE = "th"


@dataclass(frozen=True)
class Language:
    code: str
    explicit: bool  # chosen by ?lang=, so links keep carrying it

    @property
    def other(self) -> str:
        return "en" if self.code == "th" else "th"


def choose_language(request: Request) -> Language:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return Language(asked, explicit=True)
    return Language(preferred_language(request.headers.get("accept-language")), False)


def preferred_language(accept_language: str | None) -> str:
    """The language of ours with the highest weight in the header, the first listed among equal
    weights (RFC 9110, 12.5.4): ``en;q=0.5, th;q=0.8`` -> ``th``; none of ours -> Thai."""
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in (accept_language or "").split(","):
        tag, *params = (p.strip() for p in part.split(";"))
        primary = tag.lower().partition("-")[0]
        q = _weight(params)
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def _weight(params: list[str]) -> float:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
