"""The real administrative areas, read from the bundled ``areas.ttl`` so IRIs match it."""

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgservice.namespaces import TP

AREAS_QUERY = f"""
PREFIX tp: <{TP}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?code ?th ?en WHERE {{
  ?area tp:areaCode ?code ; rdfs:label ?th , ?en .
  FILTER(LANG(?th) = "th" && LANG(?en) = "en")
  FILTER NOT EXISTS {{ ?area tp:abolished true }}
}}
"""


@dataclass(frozen=True, order=True)
class Area:
    code: str
    name_th: str
    name_en: str


@dataclass
class District:
    area: Area
    subdistricts: list[Area] = field(default_factory=list)


@dataclass
class Province:
    area: Area
    districts: list[District] = field(default_factory=list)

    def subdistricts(self) -> list[Area]:
        return [s for d in self.districts for s in d.subdistricts]


def read_areas(path: Path) -> list[Province]:
    """Active provinces with their districts and subdistricts, all sorted by DOPA code."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    result = store.query(AREAS_QUERY)
    assert isinstance(result, ox.QuerySolutions)
    rows = sorted(Area(r["code"].value, r["th"].value, r["en"].value) for r in result)
    provinces = {a.code: Province(a) for a in rows if len(a.code) == 2}
    districts = {a.code: District(a) for a in rows if len(a.code) == 4}
    for d in districts.values():
        provinces[d.area.code[:2]].districts.append(d)
    for a in rows:
        if len(a.code) == 6:
            districts[a.code[:4]].subdistricts.append(a)
    return list(provinces.values())
