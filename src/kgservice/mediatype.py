"""A ``Content-Type`` header read once, for every body the service takes: the media type and
the charset. Bodies are read as UTF-8 only."""

from dataclasses import dataclass

UTF8 = frozenset({"utf-8", "utf8"})


@dataclass(frozen=True)
class ContentType:
    media_type: str
    """``type/subtype`` in lower case; empty without a header."""
    charset: str
    """In lower case; ``utf-8`` when the header names none."""

    @property
    def utf8(self) -> bool:
        return self.charset in UTF8


def content_type(header: str) -> ContentType:
    """``text/turtle; charset="UTF-8"`` -> ``ContentType("text/turtle", "utf-8")``."""
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = "utf-8"
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return ContentType(media_type.lower(), charset)
