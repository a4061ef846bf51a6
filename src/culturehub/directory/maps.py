"""Small server-rendered maps of the areas something serves.

The boundaries come from `demo_data/boundaries/england.json`, built offline from the ONS files by
`culturehub manage build_boundaries`; this module only reads that file. The map is decoration for
sighted readers: the list of areas beside it carries the same information for everyone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ENGLAND_CODE = "E92000001"
BOUNDARIES_FILE = Path(__file__).resolve().parent.parent / "demo_data" / "boundaries" / "england.json"
# Zoomed maps keep at least this share of England's height in view, so a small district still shows
# where it is.
MIN_VIEW = 0.22
PADDING = 0.25
WIDTH = 300


@cache
def boundaries() -> dict:
    with BOUNDARIES_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class MapArea:
    code: str
    name: str
    kind: str
    path: str


@dataclass
class AreaMap:
    map_id: str
    areas: list[MapArea]
    missing: list[MapArea] = field(default_factory=list)
    outline: str = ""
    view_box: str = ""
    width: int = WIDTH
    height: int = WIDTH

    @property
    def drawn(self) -> bool:
        return bool(self.outline and any(area.path for area in self.areas))

    @property
    def names(self) -> str:
        return ", ".join(area.name for area in self.areas)


def _as_map_area(area, known: dict) -> MapArea:
    if isinstance(area, str):
        code = area.strip().upper()
        name = known.get(code, {}).get("name", code)
        kind = ""
    else:
        code, name = area.code, area.name
        kind = area.get_kind_display() if hasattr(area, "get_kind_display") else ""
    return MapArea(code=code, name=name, kind=kind, path=known.get(code, {}).get("d", ""))


def _view_box(boxes: list[list[int]], bounds: list[int]) -> tuple[float, float, float, float]:
    minx = min(box[0] for box in boxes)
    miny = min(box[1] for box in boxes)
    maxx = max(box[2] for box in boxes)
    maxy = max(box[3] for box in boxes)
    width, height = maxx - minx, maxy - miny
    size = max(width, height) * (1 + 2 * PADDING)
    size = max(size, MIN_VIEW * bounds[3])
    if size >= max(bounds[2], bounds[3]):
        return bounds[0], bounds[1], bounds[2], bounds[3]
    centre_x, centre_y = (minx + maxx) / 2, (miny + maxy) / 2
    return centre_x - size / 2, centre_y - size / 2, size, size


def areas_map(areas, map_id: str) -> AreaMap:
    """The map of these areas (Area objects or ONS codes): England faintly, the areas filled, zoomed to
    them. Areas without a boundary in the file are listed in `missing` rather than failing."""
    data = boundaries()
    known = data["areas"]
    listed = [_as_map_area(area, known) for area in areas]
    result = AreaMap(map_id=map_id, areas=listed, missing=[area for area in listed if not area.path])
    drawn = [area for area in listed if area.path]
    england = known.get(ENGLAND_CODE)
    if not drawn or england is None:
        return result
    result.outline = england["d"]
    x, y, width, height = _view_box([known[area.code]["box"] for area in drawn], data["bounds"])
    result.view_box = f"{x:.0f} {y:.0f} {width:.0f} {height:.0f}"
    result.height = round(WIDTH * height / width)
    return result
