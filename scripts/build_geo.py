"""Build heartland/data/geo/central_asia.geojson from Natural Earth, as shipped in a PyPI wheel.

Source: Natural Earth 1:110m Cultural Vectors, "Admin 0 - Countries" (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), in the copy that the geopandas
0.14.4 wheel bundles as ``geopandas/datasets/naturalearth_lowres``. The map is built once,
here, and committed; heartland never fetches geometry at run time.

Run (tools outside heartland's runtime dependencies: pip and pyshp in a throwaway venv)::

    pip download geopandas==0.14.4 --no-deps -d /tmp/gp
    python3 -m venv /tmp/geovenv && /tmp/geovenv/bin/pip install pyshp==3.1.6
    /tmp/geovenv/bin/python scripts/build_geo.py /tmp/gp/geopandas-0.14.4-py3-none-any.whl

What it does: keeps the countries that intersect the Central Asia window (lon 44..92 E,
lat 28..57 N), clips each ring to that window (Sutherland-Hodgman against a rectangle;
Russia and China would otherwise dominate the picture), drops ring points closer than
0.05 degrees to the previous kept point, rounds to 0.01 degrees, and writes GeoJSON with
the ISO alpha-3 code, the English name and a ``role`` (target / patron / neighbour).
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import shapefile  # pyshp

WINDOW = (44.0, 28.0, 92.0, 57.0)  # min lon, min lat, max lon, max lat
TARGETS = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
PATRONS = {"CHN", "RUS"}
SHP = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).resolve().parent.parent / "heartland" / "data" / "geo" / "central_asia.geojson"


def clip_ring(ring: list[tuple[float, float]], box: tuple[float, float, float, float]):
    """Sutherland-Hodgman: clip a closed polygon ring to an axis-aligned rectangle."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: _ix(a, b, x=x0)),
        (lambda p: p[0] <= x1, lambda a, b: _ix(a, b, x=x1)),
        (lambda p: p[1] >= y0, lambda a, b: _ix(a, b, y=y0)),
        (lambda p: p[1] <= y1, lambda a, b: _ix(a, b, y=y1)),
    ]
    pts = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cross in edges:
        if not pts:
            break
        out = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        pts = out
    return pts


def _ix(a, b, x=None, y=None):
    (ax, ay), (bx, by) = a, b
    if x is not None:
        t = (x - ax) / (bx - ax)
        return (x, ay + t * (by - ay))
    t = (y - ay) / (by - ay)
    return (ax + t * (bx - ax), y)


def thin(pts, tol=0.05):
    kept = []
    for p in pts:
        if not kept or abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= tol:
            kept.append(p)
    if len(kept) < 3:
        return []
    ring = [[round(x, 2), round(y, 2)] for x, y in kept]
    ring.append(ring[0])
    return ring


def area(ring) -> float:
    return 0.5 * abs(sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)))


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        files = {ext: io.BytesIO(zf.read(f"{SHP}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(shp=files["shp"], shx=files["shx"], dbf=files["dbf"], encoding="latin-1")  # the .dbf is Latin-1 despite its .cpg
    x0, y0, x1, y1 = WINDOW
    features = []
    for sr in reader.iterShapeRecords():
        rec = sr.record.as_dict()
        bx0, by0, bx1, by1 = sr.shape.bbox
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            continue
        iso = rec["iso_a3"]
        parts = list(sr.shape.parts) + [len(sr.shape.points)]
        polys = []
        for i in range(len(parts) - 1):
            ring = [tuple(p) for p in sr.shape.points[parts[i]:parts[i + 1]]]
            clipped = thin(clip_ring(ring, WINDOW))
            if clipped and area(clipped) > 0.05:
                polys.append([clipped])
        if not polys:
            continue
        role = "target" if iso in TARGETS else "patron" if iso in PATRONS else "neighbour"
        features.append({
            "type": "Feature",
            "properties": {"iso_a3": iso, "name": rec["name"], "role": role},
            "geometry": {"type": "MultiPolygon", "coordinates": polys},
        })
    features.sort(key=lambda f: f["properties"]["iso_a3"])
    doc = {
        "type": "FeatureCollection",
        "name": "central_asia",
        "source": {
            "dataset": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries",
            "licence": "public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
            "via": "PyPI package geopandas==0.14.4, file geopandas/datasets/naturalearth_lowres",
            "processing": "scripts/build_geo.py: clipped to lon 44..92, lat 28..57; thinned to 0.05 deg; rounded to 0.01 deg",
        },
        "bbox": list(WINDOW),
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="latin-1")  # the .dbf is Latin-1 despite its .cpg
    print(f"wrote {OUT} ({len(features)} features, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
