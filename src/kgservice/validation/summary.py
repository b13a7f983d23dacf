"""A report as a few lines a planning officer can read in a terminal."""

from kgservice.validation.report import ValidationReport, ValidationResult, term_text

VERDICT = {
    "th": ("เป็นไปตามกฎ", "ไม่เป็นไปตามกฎ"),
    "en": ("conforms", "does not conform"),
}


def summary_lines(name: str, report: ValidationReport, lang: str) -> list[str]:
    conforms, fails = VERDICT.get(lang, VERDICT["en"])
    counts = ", ".join(f"{n} {severity}" for severity, n in report.counts().items() if n)
    verdict = conforms if report.conforms else fails
    lines = [f"{name}: {verdict}" + (f" ({counts})" if counts else "")]
    for result in report.results:
        lines.append(f"  {result.rule_id} {result.severity_name} {where(result)}")
        lines.append(f"      {result.message(lang)}")
    return lines


def where(result: ValidationResult) -> str:
    """Focus node, then path and value when they add something."""
    parts = [result.focus, result.path, None if result.value == result.focus else result.value]
    return " ".join(text for text in map(term_text, parts) if text)
