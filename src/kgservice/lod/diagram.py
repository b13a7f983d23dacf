"""Layout of the support diagram: one band per level, boxes linked to what they support.

The strategy sits on top; the supporting strategies and programmes follow level by level; projects
form the bottom band, one box per owner with the number of projects and their budget. A band with
many elements is also grouped by owner, so the picture stays readable at hundreds of projects.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from kgservice.lod.labels import natural
from kgservice.lod.support import Node, SupportTree

COLUMNS = 6
MAX_SINGLE_BOXES = 12
BOX_W, BOX_H = 214, 74
GAP_X, GAP_Y, BAND_TITLE = 18, 56, 24
MARGIN = 16
KIND_ORDER = {"Strategy": 0, "Goal": 1, "Milestone": 1, "Programme": 2}
PROJECT_BAND = (100, 9)


@dataclass
class Box:
    key: str
    lines: list[str]
    title: str
    href: str | None
    members: list[Node] = field(default_factory=list)
    x: int = 0
    y: int = 0
    root: bool = False


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class Band:
    title: str
    y: int
    boxes: list[Box]


@dataclass
class Diagram:
    width: int
    height: int
    bands: list[Band]
    edges: list[Edge]
    box_w: int = BOX_W
    box_h: int = BOX_H


@dataclass(frozen=True)
class Words:
    """The diagram's few words in the reader's language, and its link maker."""

    projects: str
    items: str
    baht: str
    kinds: dict[str, str]  # Strategy, Programme, Project, ... -> what a band of them is called
    link: Callable[[str], str | None]


def layout(tree: SupportTree, words: Words, root_level: str) -> Diagram:
    groups = _band_groups(tree)
    bands = [Band(root_level, 0, [_root_box(tree.root, words)])]
    for _, members in sorted(groups.items()):
        bands.append(Band(_band_title(members, words), 0, _boxes(members, words)))
    width = MARGIN * 2 + min(COLUMNS, max(len(b.boxes) for b in bands)) * (BOX_W + GAP_X) - GAP_X
    height = _place(bands, width)
    return Diagram(width, height, bands, _edges(bands, tree))


def _band_groups(tree: SupportTree) -> dict[tuple[int, int], list[Node]]:
    groups: dict[tuple[int, int], list[Node]] = defaultdict(list)
    for node in tree.nodes.values():
        key = PROJECT_BAND if node.is_project else (node.rank, KIND_ORDER.get(node.kind, 3))
        groups[key].append(node)
    return groups


def _band_title(members: list[Node], words: Words) -> str:
    levels = sorted({m.level_label for m in members if m.level_label})
    kinds = sorted({words.kinds.get(m.kind, m.kind) for m in members if m.kind})
    return " · ".join(part for part in (" / ".join(levels), " / ".join(kinds)) if part)


def _root_box(root: Node, words: Words) -> Box:
    return Box(
        root.iri, [_fit(root.label, 25)], root.label, words.link(root.iri), [root], root=True
    )


def _boxes(members: list[Node], words: Words) -> list[Box]:
    if any(m.is_project for m in members) or len(members) > MAX_SINGLE_BOXES:
        return _owner_boxes(members, words)
    return [
        Box(
            m.iri,
            [_fit(m.label, 25), _fit(m.owner_label, 31), _money(m.budget, words)],
            f"{m.label} — {m.owner_label}",
            words.link(m.iri),
            [m],
        )
        for m in sorted(members, key=lambda m: (natural(m.owner_label), natural(m.label)))
    ]


def _owner_boxes(members: list[Node], words: Words) -> list[Box]:
    by_owner: dict[str, list[Node]] = defaultdict(list)
    for m in members:
        by_owner[m.owner].append(m)
    boxes = []
    for owner, nodes in sorted(by_owner.items(), key=lambda kv: natural(kv[1][0].owner_label)):
        noun = words.projects if all(n.is_project for n in nodes) else words.items
        total: dict[int, float] = defaultdict(float)
        for n in nodes:
            for year, amount in n.budget.items():
                total[year] += amount
        name = nodes[0].owner_label or "-"
        boxes.append(
            Box(
                "owner:" + owner,
                [_fit(name, 25), f"{len(nodes)} {noun}", _money(total, words)],
                f"{name}: {len(nodes)} {noun}",
                words.link(owner) if owner else None,
                nodes,
            )
        )
    return boxes


def _place(bands: list[Band], width: int) -> int:
    y = MARGIN
    for band in bands:
        band.y = y
        y += BAND_TITLE
        for row_start in range(0, len(band.boxes), COLUMNS):
            row = band.boxes[row_start : row_start + COLUMNS]
            x = (width - (len(row) * (BOX_W + GAP_X) - GAP_X)) // 2
            for box in row:
                box.x, box.y = x, y
                x += BOX_W + GAP_X
            y += BOX_H + GAP_Y // 2
        y += GAP_Y // 2
    return y + MARGIN


def _edges(bands: list[Band], tree: SupportTree) -> list[Edge]:
    box_of = {m.iri: box for band in bands for box in band.boxes for m in box.members}
    edges = set()
    for band in bands[1:]:
        for box in band.boxes:
            for m in box.members:
                for parent in tree.parents.get(m.iri, []):
                    target = box_of.get(parent)
                    if target is not None and target is not box:
                        edges.add(
                            Edge(box.x + BOX_W // 2, box.y, target.x + BOX_W // 2, target.y + BOX_H)
                        )
    return sorted(edges, key=lambda e: (e.y1, e.x1, e.x2))


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` visible characters (Thai vowel and tone marks take no width)."""
    shown = 0
    for i, ch in enumerate(text):
        if unicodedata.category(ch) != "Mn":
            shown += 1
        if shown > width:
            return text[:i].rstrip() + "…"
    return text


def _money(budget: dict[int, float], words: Words) -> str:
    if not budget:
        return ""
    years = sorted(budget)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"{sum(budget.values()):,.0f} {words.baht} ({span})"
