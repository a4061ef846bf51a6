"""Build the small boundaries file the maps read: run by a developer, never at run time.

    culturehub manage build_boundaries [SOURCE_DIR] [--tolerance 1.0] [--output FILE]

SOURCE_DIR holds the ONS Open Geography GeoJSON files (generalised, WGS84): districts May 2024, counties
and unitary authorities December 2023, ICBs April 2023, regions December 2023. Each boundary is
projected to SVG coordinates (equirectangular, longitudes scaled by the cosine of England's middle
latitude, y downwards, England 4,000 units tall), simplified with shapely, rounded to whole units and
written as SVG path data with relative moves. The output is `demo_data/boundaries/england.json`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culturehub.directory.maps import BOUNDARIES_FILE, ENGLAND_CODE

REPO_ROOT = Path(__file__).resolve().parents[5]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "fingertips" / "geography_boundaries"
# (file name start, code property, name property, codes kept); files earlier in the list win a code.
SOURCES = [
    ("Local_Authority_Districts_May_2024", "LAD24CD", "LAD24NM", ("E06", "E07", "E08", "E09")),
    ("Counties_and_Unitary_Authorities_December_2023", "CTYUA23CD", "CTYUA23NM",
     ("E06", "E08", "E09", "E10")),
    ("Integrated_Care_Boards_April_2023", "ICB23CD", "ICB23NM", ("E54",)),
    ("Regions_December_2023", "RGN23CD", "RGN23NM", ("E12",)),
]
HEIGHT = 4000.0


class Command(BaseCommand):
    help = "Simplify the ONS boundary files into demo_data/boundaries/england.json (developers only)."

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, metavar="SOURCE_DIR")
        parser.add_argument("--tolerance", type=float, default=1.0,
                            help="Simplification tolerance in SVG units (England is 4,000 units tall).")
        parser.add_argument("--output", type=Path, default=BOUNDARIES_FILE)

    def handle(self, *args, source: Path, tolerance: float, output: Path, **options):
        from shapely.ops import unary_union

        features = self._read(source)
        regions = [geometry for code, (_name, geometry) in features.items() if code.startswith("E12")]
        if not regions:
            raise CommandError("No English regions (E12...) found; cannot draw England's outline.")
        england = unary_union(regions)
        features[ENGLAND_CODE] = ("England", england)
        projection = Projection.for_bounds(england.bounds)

        areas = {}
        for code, (name, geometry) in sorted(features.items()):
            projected = projection.apply(geometry)
            simple = projected.simplify(tolerance, preserve_topology=True)
            path = svg_path(simple)
            if not path:
                self.stderr.write(f"{code} {name}: nothing left after simplifying; left out.")
                continue
            minx, miny, maxx, maxy = simple.bounds
            areas[code] = {"name": name, "box": [math.floor(minx), math.floor(miny), math.ceil(maxx),
                                                 math.ceil(maxy)], "d": path}
        document = {
            "about": "ONS boundaries simplified for small maps. See README.md beside this file.",
            "projection": projection.describe(),
            "bounds": [0, 0, math.ceil(projection.width), math.ceil(HEIGHT)],
            "tolerance": tolerance,
            "areas": areas,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {len(areas)} boundaries to {output} ({output.stat().st_size:,} bytes).")

    def _read(self, source: Path) -> dict:
        from shapely.geometry import shape

        features: dict[str, tuple[str, object]] = {}
        for prefix, code_key, name_key, kept in SOURCES:
            matches = sorted(source.glob(f"{prefix}*.geo.json"))
            if not matches:
                raise CommandError(f"No file starting {prefix} in {source}.")
            data = json.loads(matches[0].read_text())
            for feature in data["features"]:
                code = feature["properties"][code_key]
                if code.startswith(kept) and code not in features:
                    features[code] = (feature["properties"][name_key], shape(feature["geometry"]))
        return features


class Projection:
    """Longitude and latitude to SVG units: x east, y south, England's bounding box from (0, 0)."""

    def __init__(self, west: float, north: float, scale: float, x_factor: float, width: float):
        self.west, self.north, self.scale, self.x_factor, self.width = west, north, scale, x_factor, width

    @classmethod
    def for_bounds(cls, bounds) -> Projection:
        west, south, east, north = bounds
        x_factor = math.cos(math.radians((south + north) / 2))
        scale = HEIGHT / (north - south)
        return cls(west, north, scale, x_factor, (east - west) * x_factor * scale)

    def apply(self, geometry):
        from shapely.ops import transform

        def project(lon, lat, z=None):
            # shapely passes numpy arrays, so this is arithmetic on whole rings at once.
            return (lon - self.west) * self.x_factor * self.scale, (self.north - lat) * self.scale

        return transform(project, geometry)

    def describe(self) -> dict:
        return {"type": "equirectangular", "west": self.west, "north": self.north,
                "units_per_degree": self.scale, "longitude_factor": self.x_factor}


def _numbers(values) -> str:
    """SVG numbers with the fewest characters: a minus sign separates as well as a space does."""
    text = ""
    for value in values:
        piece = str(value)
        text += piece if (not text or piece.startswith("-")) else " " + piece
    return text


def _ring(coordinates) -> str:
    points = []
    for x, y in coordinates:
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    start = points[0]
    deltas = []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        deltas += [x1 - x0, y1 - y0]
    return f"M{_numbers(start)}l{_numbers(deltas)}z"


def svg_path(geometry) -> str:
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings.append(_ring(polygon.exterior.coords))
        rings.extend(_ring(interior.coords) for interior in polygon.interiors)
    return "".join(ring for ring in rings if ring)
