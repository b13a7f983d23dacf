"""The reader's language: ``?lang=`` first, then Accept-Language, else Thai."""

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
    return Language(_from_accept_language(request.headers.get("accept-language", "")), False)


def _from_accept_language(header: str) -> str:
    """The first of our languages the browser lists with a non-zero weight."""
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00"):
            return primary
    return DEFAULT_LANGUAGE
