"""Which local governments exist: one PAO per province (Bangkok is its own special local
government), municipalities and SAOs assigned to real subdistricts in national proportions.

The assignment is drawn once over the whole country, so a smaller scale holds exactly the local
governments the national scale has in its provinces.
"""

import random
from dataclasses import dataclass

from kgbench.generate.areas import Area, Province

BANGKOK = "10"
MUNICIPALITIES = 2460
SAOS = 5310


@dataclass(frozen=True)
class LocalGov:
    kind: str  # pao | mun | sao | bma
    area: Area  # its jurisdiction
    province: Area

    @property
    def org_id(self) -> str:
        return f"lao-{self.kind}-{self.area.code}"

    @property
    def class_name(self) -> str:
        return CLASSES[self.kind]

    def names(self) -> tuple[str, str]:
        th, en = self.area.name_th, self.area.name_en
        if self.kind == "pao":
            return f"องค์การบริหารส่วนจังหวัด{th}", f"{en} Provincial Administrative Organization"
        if self.kind == "bma":
            return "กรุงเทพมหานคร", "Bangkok Metropolitan Administration"
        if self.kind == "mun" and self.area.code.endswith("0101"):
            return f"เทศบาลเมือง{th}", f"{en} Town Municipality"
        if self.kind == "mun":
            return f"เทศบาลตำบล{th}", f"{en} Subdistrict Municipality"
        return f"องค์การบริหารส่วนตำบล{th}", f"{en} Subdistrict Administrative Organization"


CLASSES = {
    "pao": "ProvincialAdministrativeOrganization",
    "mun": "Municipality",
    "sao": "SubdistrictAdministrativeOrganization",
    "bma": "SpecialLocalGovernment",
}


def assign(provinces: list[Province], seed: int) -> dict[str, tuple[str, ...]]:
    """Subdistrict code -> kinds of local government seated there, for the whole country."""
    codes = [s.code for p in provinces if p.area.code != BANGKOK for s in p.subdistricts()]
    random.Random(f"{seed}:assign").shuffle(codes)
    municipal = set(codes[:MUNICIPALITIES])
    both = set(codes[: max(0, SAOS - (len(codes) - MUNICIPALITIES))])
    return {
        c: ("mun", "sao") if c in both else ("mun",) if c in municipal else ("sao",)
        for c in sorted(codes)
    }


def local_governments(province: Province, kinds: dict[str, tuple[str, ...]]) -> list[LocalGov]:
    """The province's PAO (or Bangkok's administration) first, then the others by code."""
    if province.area.code == BANGKOK:
        return [LocalGov("bma", province.area, province.area)]
    found = [LocalGov("pao", province.area, province.area)]
    for sub in province.subdistricts():
        found += [LocalGov(kind, sub, province.area) for kind in kinds.get(sub.code, ())]
    return found
