"""What the write tests share: the data base, the bundled files, the token factory type."""

from collections.abc import Callable

from kgservice.settings import PROJECT_ROOT

BASE = "https://w3id.org/thaiplan/id/"
SAMPLE = PROJECT_ROOT / "data" / "ttl" / "sample"
REFERENCE = [*sorted((PROJECT_ROOT / "data" / "ttl").glob("*.ttl")), SAMPLE / "provincial-40.ttl"]

Token = Callable[..., str]
