"""The landing page's map: every OSA recipient, coloured by its composite class (inline SVG).

Drawn from Natural Earth's 1:50m countries (``ne_countries_50m``) in a plate carrée
projection centred on the recipients (30°E to 190°E, so Tonga and Fiji sit east of the
antimeridian instead of at the far west); each recipient is filled with the colour of its
composite class (the tiles' five-step scale, ``data/risk/tiles.yaml``) and marked with a dot
and its name, so that small island states stay visible. When the geodata cannot be had, the
page has no map (:func:`recipients_map_svg` returns ``None``) and says nothing false.

The outlines do not depend on the page's language or the recipients' classes, so the
registered geodata is read and simplified once per process (:func:`default_outlines`): a
build's two index pages share them, and an offline machine without the mirror waits for one
failed download, not one per page.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from osa_analysis.core.i18n import _, tr

log = logging.getLogger(__name__)

WEST, EAST, SOUTH, NORTH = 30.0, 190.0, -30.0, 52.0
"""Extent of the map in degrees (east of 180° continues past the antimeridian)."""
WIDTH = 960
"""Width of the drawing in SVG units (it scales to the page)."""
_KX = WIDTH / (EAST - WEST)
_KY = _KX * 1.0  # plate carrée: one degree is as tall as it is wide
HEIGHT = round((NORTH - SOUTH) * _KY)
_TOLERANCE = 0.08  # degrees: simplification of the outlines (about one pixel here)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - WEST) * _KX, (NORTH - lat) * _KY


def _shift(polygon) -> float:
    """Degrees to add to a polygon's longitudes: 360 for one west of -90° (the Pacific)."""
    return 360.0 if polygon.bounds[2] < -90 else 0.0


def _ring_path(coords: Sequence[Sequence[float]], shift: float) -> str:
    points = [_xy(lon + shift, lat) for lon, lat, *_rest in coords]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def _geometry_path(geometry) -> str:
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        shift = _shift(polygon)  # whole polygons move (NE splits them at ±180°)
        parts.append(_ring_path(polygon.exterior.coords, shift))
        parts += [_ring_path(ring.coords, shift) for ring in polygon.interiors]
    return "".join(parts)


def _in_view(bounds: Sequence[float]) -> bool:
    west, south, east, north = bounds
    if east < -150:  # wholly west of -150°: drawn east of the antimeridian
        west, east = west + 360, east + 360
    return east >= WEST and west <= EAST and north >= SOUTH and south <= NORTH


class Outline(NamedTuple):
    """One country unit of the map, drawn in SVG units.

    Attributes
    ----------
    iso3 : str or None
        Its ISO3 code (``None`` for units without one).
    name : str
        Natural Earth's name of the unit.
    path : str
        Its simplified outline as SVG path data.
    label : tuple of float
        Where its dot goes: a point inside its largest polygon.
    """

    iso3: str | None
    name: str
    path: str
    label: tuple[float, float]


def outlines(countries: Any) -> tuple[Outline, ...]:
    """Return the :class:`Outline` of every country unit of ``countries`` in the map's view.

    Parameters
    ----------
    countries : GeoDataFrame
        Natural Earth countries (``country_iso3``, ``name``, ``geometry``).
    """
    out = []
    for row in countries.itertuples():
        geometry = row.geometry
        if geometry is None or geometry.is_empty or not _in_view(geometry.bounds):
            continue
        iso3 = row.country_iso3 if isinstance(row.country_iso3, str) else None
        path = _geometry_path(geometry.simplify(_TOLERANCE, preserve_topology=True))
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area)
        point = largest.representative_point()
        out.append(Outline(iso3, str(row.name), path, _xy(point.x + _shift(largest), point.y)))
    return tuple(out)


@functools.cache
def default_outlines() -> tuple[Outline, ...] | None:
    """Return the :func:`outlines` of the registered Natural Earth countries, made once.

    ``None`` when the geodata cannot be had (offline, no mirror), which is also kept for the
    rest of the process.
    """
    try:
        from osa_analysis.sources.loaders.geography import load_ne_countries

        return outlines(load_ne_countries())
    except Exception as exc:  # offline, no mirror: the page goes without its map
        log.warning("index map left out: Natural Earth countries unavailable (%s)", exc)
        return None


def recipients_map_svg(
    classes: Mapping[str, str | None],
    rating_class: Callable[[object], str],
    scale: Sequence[str],
    countries: Any = None,
) -> str | None:
    """Return the map as an ``<svg>`` element, or ``None`` when Natural Earth is unavailable.

    Parameters
    ----------
    classes : Mapping
        Composite class of each recipient (ISO3 -> ``"medium"``...; ``None`` unrated).
    rating_class : callable
        The CSS class of a class on the tiles' scale (``osa-rating-N``).
    scale : sequence of str
        The scale, lowest first (the legend).
    countries : GeoDataFrame, optional
        Natural Earth countries (default: the registered ones, :func:`default_outlines`).

    Returns
    -------
    str or None
        The SVG markup (escaped names, no script, no external reference).
    """
    units = default_outlines() if countries is None else outlines(countries)
    if units is None:
        return None
    shapes, labels = [], []
    for unit in units:
        if unit.iso3 in classes:
            css = f"osa-map-recipient {rating_class(classes[unit.iso3])}"
            name = str(tr(_country_name(unit.iso3, unit.name)))
            rating = tr(classes[unit.iso3]) if classes[unit.iso3] else _("n/a")
            tip = html.escape(f"{name}: {rating}", quote=True)
            shapes.append(f'<path class="{css}" d="{unit.path}"><title>{tip}</title></path>')
            labels.append((unit.iso3, name, *unit.label))
        else:
            shapes.append(f'<path class="osa-map-land" d="{unit.path}"/>')
    if not labels:
        return None
    marks = []
    for _iso3, name, x, y in sorted(labels, key=lambda item: item[3]):
        anchor = "end" if x > WIDTH - 120 else "start"
        dx = -6 if anchor == "end" else 6
        marks.append(
            f'<circle class="osa-map-dot" cx="{x:.1f}" cy="{y:.1f}" r="3.2"/>'
            f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">'
            f"{html.escape(name)}</text>"
        )
    legend = _legend(rating_class, scale)
    title = html.escape(_("OSA recipients, coloured by the class of their risk composite"))
    return (
        f'<svg class="osa-map" viewBox="0 0 {WIDTH} {HEIGHT + 34}" role="img" '
        f'aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<clipPath id="osa-map-clip"><rect width="{WIDTH}" height="{HEIGHT}"/></clipPath>'
        f'<rect class="osa-map-sea" width="{WIDTH}" height="{HEIGHT}"/>'
        '<g clip-path="url(#osa-map-clip)">'
        + "".join(shapes)
        + "</g>"
        + "".join(marks)
        + legend
        + "</svg>"
    )


def _country_name(iso3: str, fallback: object) -> str:
    from osa_analysis.core.countries import country_name

    try:
        return country_name(iso3)
    except Exception:  # a name the code list lacks: Natural Earth's
        return str(fallback)


def _legend(rating_class: Callable[[object], str], scale: Sequence[str]) -> str:
    y = HEIGHT + 10
    heading = _("Composite class:")
    items = [f'<text x="0" y="{y + 11}" class="osa-map-legend">{html.escape(heading)}</text>']
    x = _text_width(heading) + 12
    for step in scale:
        word = html.escape(str(tr(step)))
        items.append(
            f'<rect class="{rating_class(step)}" x="{x:.0f}" y="{y}" width="14" height="14"/>'
            f'<text x="{x + 19:.0f}" y="{y + 11}" class="osa-map-legend">{word}</text>'
        )
        x += 19 + _text_width(str(tr(step))) + 18
    return "".join(items)


def _text_width(text: str) -> float:
    """Approximate width of a label in SVG units (CJK characters are full width)."""
    return sum(12.5 if ord(ch) > 0x2E80 else 7.0 for ch in text)
