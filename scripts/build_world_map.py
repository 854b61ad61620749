"""Build home/data/world_map.json, the country shapes of the home page's map.

The shapes come from the npm package ``world-atlas`` (ISC licence; Natural
Earth's public-domain data, 1:110m), converted once, here, to SVG paths keyed
by ISO 3166-1 alpha-3 code, so the site draws its map with no library, tile
server or request to anyone. Countries too small for the 1:110m set (Malta,
Singapore, Bahrain…) become a dot at their centre, taken from the 1:50m set of
the same package. Antarctica is left out: it would take a third of the height.

Run it again only to change the projection or the package's version::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python -m scripts.build_world_map package/

The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018): areas keep
their proportions, which a map of counts by country needs.
"""

import argparse
import json
import math
from pathlib import Path

import pycountry

OUTPUT = Path(__file__).resolve().parents[1] / "home" / "data" / "world_map.json"
WIDTH = 1000
LEFT_OUT = {"010"}  # Antarctica
# Equal Earth's polynomial coefficients.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(longitude, latitude):
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    )
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y  # SVG's y axis points down


def decoded_arcs(topology):
    """Return the topology's arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrapped(points):
    """Draw a ring that crosses the antimeridian as on a flat map.

    A ring that crosses the antimeridian (Fiji's) as it would be drawn on a flat
    map: its points beyond 180° are held at the edge, on the side where most of the
    ring lies, instead of a line across the whole map.
    """
    crosses = any(
        abs(b[0] - a[0]) > 180 for a, b in zip(points, points[1:], strict=False)
    )
    if not crosses:
        return points
    east = sum(1 for lon, _lat in points if lon > 0) >= len(points) / 2
    edge = 180.0 if east else -180.0
    return [((lon if (lon > 0) == east else edge), lat) for lon, lat in points]


def polygons(geometry, arcs):
    """Return the geometry as a list of polygons, each a list of rings of points."""
    if geometry["type"] == "Polygon":
        return [[unwrapped(ring(arcs, r)) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [
            [unwrapped(ring(arcs, r)) for r in polygon] for polygon in geometry["arcs"]
        ]
    return []


def alpha_3(numeric):
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_3 if country else None


class Frame:
    """Projects (longitude, latitude) to the map's pixels."""

    def __init__(self, geometries, arcs):
        # The whole width of the globe, for the islands on either side of the
        # antimeridian; the height of the land drawn.
        xs = [equal_earth(-180, 0)[0], equal_earth(180, 0)[0]]
        ys = []
        for geometry in geometries:
            for polygon in polygons(geometry, arcs):
                for points in polygon:
                    for point in points:
                        x, y = equal_earth(*point)
                        xs.append(x)
                        ys.append(y)
        self.left, self.top = min(xs), min(ys)
        self.scale = (WIDTH - 2) / (max(xs) - self.left)
        self.height = math.ceil((max(ys) - self.top) * self.scale) + 2

    def __call__(self, point):
        x, y = equal_earth(*point)
        return (x - self.left) * self.scale + 1, (y - self.top) * self.scale + 1


def path_data(polygon_list, frame):
    """Compact SVG path data: absolute start, then relative moves, 1 decimal."""
    commands = []
    for polygon in polygon_list:
        for points in polygon:
            projected = []
            for point in points:
                x, y = frame(point)
                xy = (round(x, 1), round(y, 1))
                if not projected or projected[-1] != xy:
                    projected.append(xy)
            if len(projected) > 1 and projected[0] == projected[-1]:
                projected.pop()
            if len(set(projected)) < 3:
                continue
            x0, y0 = projected[0]
            parts = [f"M{x0:g} {y0:g}l"]
            deltas = []
            for (xa, ya), (xb, yb) in zip(projected, projected[1:], strict=False):
                deltas.append(f"{round(xb - xa, 1):g} {round(yb - ya, 1):g}")
            commands.append(parts[0] + " ".join(deltas) + "z")
    return "".join(commands)


def centre(geometry, arcs, frame):
    """Return the middle of the largest ring's bounding box, in map pixels."""
    rings = [polygon[0] for polygon in polygons(geometry, arcs)]
    largest = max(rings, key=len)
    xs, ys = zip(*(frame(point) for point in largest), strict=True)
    return [round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)]


def build(package):
    detailed = json.loads((package / "countries-110m.json").read_text())
    small = json.loads((package / "countries-50m.json").read_text())
    arcs = decoded_arcs(detailed)
    geometries = [
        geometry
        for geometry in detailed["objects"]["countries"]["geometries"]
        if geometry.get("id") not in LEFT_OUT
    ]
    frame = Frame(geometries, arcs)
    countries, unnamed = {}, []
    for geometry in geometries:
        code = alpha_3(geometry.get("id"))
        data = path_data(polygons(geometry, arcs), frame)
        if code:
            countries[code] = data
        else:  # territories without an ISO code (Kosovo, Somaliland…)
            unnamed.append(data)
    small_arcs = decoded_arcs(small)
    markers = {}
    for geometry in small["objects"]["countries"]["geometries"]:
        code = alpha_3(geometry.get("id"))
        if code and code not in countries and geometry.get("id") not in LEFT_OUT:
            markers[code] = centre(geometry, small_arcs, frame)
    package_json = json.loads((package / "package.json").read_text())
    return {
        "source": f"world-atlas {package_json['version']} (Natural Earth, 1:110m "
        "and 1:50m), Equal Earth projection; built by scripts/build_world_map.py",
        "width": WIDTH,
        "height": frame.height,
        "countries": dict(sorted(countries.items())),
        "markers": dict(sorted(markers.items())),
        "unnamed": unnamed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked world-atlas package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    data = build(options.package)
    options.output.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(
        f"{options.output}: {len(data['countries'])} countries, "
        f"{len(data['markers'])} dots, {options.output.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
