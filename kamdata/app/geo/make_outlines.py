"""Regenerate germany.geojson from world-atlas' countries-50m.json (Natural Earth 4.1.0, public domain;
world-atlas redistribution: ISC). Run by hand, never at app start:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m kamdata.app.geo.make_outlines package/countries-50m.json kamdata/app/geo/germany.geojson

Keeps Germany and its neighbours (their parts near Germany), coordinates rounded to 0.01° (~1 km),
so the app ships a ~40 kB outline and draws the site map offline.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# ISO 3166 numeric codes of Germany and its neighbours
COUNTRIES = {
    "276": "DE",
    "528": "NL",
    "056": "BE",
    "442": "LU",
    "250": "FR",
    "756": "CH",
    "040": "AT",
    "203": "CZ",
    "616": "PL",
    "208": "DK",
}
BOX = (2.0, 45.0, 20.0, 57.5)  # lon/lat box kept around Germany (parts outside it are dropped)
DIGITS = 2


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        for lon, lat in points[1:] if ring else points:
            point = [round(lon, DIGITS), round(lat, DIGITS)]
            if not ring or ring[-1] != point:
                ring.append(point)
    return ring


def _inside(ring: list[list[float]]) -> bool:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return max(lons) >= BOX[0] and min(lons) <= BOX[2] and max(lats) >= BOX[1] and min(lats) <= BOX[3]


def outlines(topology: dict) -> dict:
    arcs = _arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = COUNTRIES.get(str(geometry.get("id")))
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        kept = []
        for polygon in polygons:
            rings = [_ring(ring, arcs) for ring in polygon]
            if rings and len(rings[0]) >= 4 and _inside(rings[0]):
                kept.append([ring for ring in rings if len(ring) >= 4])
        features.append(
            {
                "type": "Feature",
                "properties": {"country": code},
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    collection = outlines(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
