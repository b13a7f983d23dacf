"""Generating a whole scale: every selected province with its local governments, in code order."""

from pathlib import Path

from kgbench.generate.areas import Province, read_areas
from kgbench.generate.context import Context
from kgbench.generate.localgov import BANGKOK, assign, local_governments
from kgbench.generate.localplan import write_local_plan
from kgbench.generate.manifest import MANIFEST, build_manifest, write_manifest
from kgbench.generate.ntriples import Triples
from kgbench.generate.provincial import national_strategy, office_id, write_province
from kgbench.generate.scales import Scale
from kgbench.generate.themes import BANGKOK_NATIONAL
from kgservice.namespaces import DEFAULT_BASE

IMPERFECTIONS = "imperfections"  # a folder: imperfections/{organisation id}.nt


def generate(
    scale: Scale, seed: int, out: Path, *, areas: Path, base: str = DEFAULT_BASE
) -> dict[str, object]:
    """Write the scale's files into ``out`` and return the manifest (also in manifest.json)."""
    provinces = read_areas(areas)
    kinds = assign(provinces, seed)
    _prepare(out)
    ctx = Context(base, seed)
    files: dict[str, int] = {}
    selected = list(_selected(provinces, scale))
    for province in selected:
        _write_province(ctx, province, kinds, out, files)
    manifest = build_manifest(scale, seed, ctx, files, selected)
    write_manifest(out, manifest)
    return manifest


def _prepare(out: Path) -> None:
    """Refuse to mix with files this generator did not write; clear an earlier run's."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()) and not (out / MANIFEST).exists():
        raise FileExistsError(f"{out} is not empty and holds no {MANIFEST}")
    for old in [*out.glob("*.nt"), *out.glob(f"{IMPERFECTIONS}/*.nt")]:
        old.unlink()
    (out / IMPERFECTIONS).mkdir(exist_ok=True)


def _selected(provinces: list[Province], scale: Scale) -> list[Province]:
    chosen = [p for p in provinces if scale.provinces is None or p.area.code in scale.provinces]
    if scale.districts is None:
        return chosen
    return [
        Province(p.area, [d for d in p.districts if d.area.code in scale.districts]) for p in chosen
    ]


def _write_province(
    ctx: Context,
    province: Province,
    kinds: dict[str, tuple[str, ...]],
    out: Path,
    files: dict[str, int],
) -> None:
    ctx.province_pool.clear()
    ctx.subdistrict_pools.clear()
    governments = local_governments(province, kinds)
    if province.area.code == BANGKOK:
        upward = {key: national_strategy(ctx, n) for key, n in BANGKOK_NATIONAL.items()}
    else:
        triples, upward = write_province(ctx, province.area, governments[0].org_id)
        files[office_id(province.area)] = triples.write(out / f"{office_id(province.area)}.nt")
    for lg in governments:
        files[lg.org_id] = write_local_plan(ctx, lg, upward).write(out / f"{lg.org_id}.nt")
        if ctx.imperfect:
            name = f"{IMPERFECTIONS}/{lg.org_id}"
            files[name] = ctx.imperfect.write(out / f"{name}.nt")
            ctx.imperfect = Triples()
    ctx.counts["parallel_plan_pairs"] += sum(
        len(kinds.get(s.code, ())) == 2 for s in province.subdistricts()
    )
