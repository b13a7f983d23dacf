"""How much of the country each scale generates."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: frozenset[str] | None  # None: every province
    districts: frozenset[str] | None  # None: every district of those provinces
    summary: str


SCALES = {
    "national": Scale(
        "national", None, None, "every province, ~7,850 local governments, ~10M triples"
    ),
    "province": Scale(
        "province",
        frozenset({"40", "44", "45", "46"}),
        None,
        "Khon Kaen, Maha Sarakham, Roi Et and Kalasin in full, ~1M triples",
    ),
    "small": Scale(
        "small",
        frozenset({"40"}),
        frozenset({"4001"}),
        "Khon Kaen's PAO and the local governments of Mueang Khon Kaen district, ~25k triples",
    ),
}
