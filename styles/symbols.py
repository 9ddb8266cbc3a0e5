"""Symbology as plain data: symbols, renderers and raster colouring.

Nothing here draws. The canvas, the PDF maps and the QML export all turn these
objects into their own pens and brushes, so one style describes a layer everywhere.
Colours are ``"#rrggbbaa"`` strings (``"#rrggbb"`` is accepted and means opaque).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, Union

Hatch = Literal["diagonal", "cross"]
Method = Literal["equal_interval", "quantiles", "natural_breaks", "manual"]

HATCHES = (None, "diagonal", "cross")
#: How graduated classes are made; "manual": edited by hand (not computed from the data).
METHODS = ("equal_interval", "quantiles", "natural_breaks", "manual")
#: The methods :func:`styles.classify.classify` computes.
CLASSIFY_METHODS = ("equal_interval", "quantiles", "natural_breaks")

_COLOR_RE = re.compile(r"^#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")


def normalise_color(value: str) -> str:
    """Return ``value`` as lower-case ``#rrggbbaa``; raise ``ValueError`` when it is no colour."""
    if not isinstance(value, str):
        raise ValueError(f"kleur moet een tekst als '#rrggbbaa' zijn, niet {value!r}")
    match = _COLOR_RE.match(value.strip())
    if match is None:
        raise ValueError(f"ongeldige kleur {value!r}: verwacht '#rrggbb' of '#rrggbbaa'")
    rgb, alpha = match.group(1), match.group(2) or "ff"
    return f"#{rgb}{alpha}".lower()


def color_to_rgba(value: str) -> tuple[int, int, int, int]:
    """``"#rrggbbaa"`` → ``(r, g, b, a)`` with 0–255 integers."""
    hexa = normalise_color(value)[1:]
    return tuple(int(hexa[i : i + 2], 16) for i in (0, 2, 4, 6))  # type: ignore[return-value]


def rgba_to_color(r: int, g: int, b: int, a: int = 255) -> str:
    """``(r, g, b, a)`` with 0–255 integers → ``"#rrggbbaa"``."""
    for channel in (r, g, b, a):
        if not 0 <= int(channel) <= 255:
            raise ValueError(f"kleurkanaal {channel!r} ligt niet tussen 0 en 255")
    return "#{:02x}{:02x}{:02x}{:02x}".format(int(r), int(g), int(b), int(a))


def color_to_float_rgba(value: str) -> tuple[float, float, float, float]:
    """``"#rrggbbaa"`` → ``(r, g, b, a)`` in 0–1, as matplotlib and reportlab take them."""
    return tuple(c / 255.0 for c in color_to_rgba(value))  # type: ignore[return-value]


@dataclass(frozen=True)
class SymbolStyle:
    """How one class of features is drawn.

    Parameters
    ----------
    fill : fill colour ``#rrggbbaa`` (polygons, point markers); with ``hatch`` it is the hatch colour.
    stroke : outline colour ``#rrggbbaa``.
    stroke_width : outline width in mm (as QGIS ``outline_width`` with unit MM).
    hatch : None (solid fill), ``"diagonal"`` or ``"cross"``.
    marker_size : point marker diameter in mm.
    """

    fill: str = "#d9d9d9ff"
    stroke: str = "#636363ff"
    stroke_width: float = 0.3
    hatch: Hatch | None = None
    marker_size: float = 2.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "fill", normalise_color(self.fill))
        object.__setattr__(self, "stroke", normalise_color(self.stroke))
        if self.hatch not in HATCHES:
            raise ValueError(f"onbekende arcering {self.hatch!r}: kies uit diagonal, cross of geen")
        if not float(self.stroke_width) >= 0:
            raise ValueError(f"lijndikte {self.stroke_width!r} moet 0 of groter zijn")
        if not float(self.marker_size) > 0:
            raise ValueError(f"symboolgrootte {self.marker_size!r} moet groter dan 0 zijn")
        object.__setattr__(self, "stroke_width", float(self.stroke_width))
        object.__setattr__(self, "marker_size", float(self.marker_size))


@dataclass(frozen=True)
class SingleSymbol:
    """Every feature drawn with the same symbol."""

    symbol: SymbolStyle = field(default_factory=SymbolStyle)


@dataclass(frozen=True)
class Category:
    """One value of a categorized style. ``value`` compares with ``==`` on the column."""

    value: object
    label: str
    symbol: SymbolStyle


@dataclass(frozen=True)
class Categorized:
    """One symbol per distinct value of ``column``; ``default`` for every other value (None: not drawn)."""

    column: str
    categories: tuple[Category, ...]
    default: SymbolStyle | None = None

    def __post_init__(self) -> None:
        if not self.column:
            raise ValueError("een gecategoriseerde stijl heeft een kolomnaam nodig")
        object.__setattr__(self, "categories", tuple(self.categories))
        values = [c.value for c in self.categories]
        if len(set(map(repr, values))) != len(values):
            raise ValueError(f"dubbele waarden in de categorieën van kolom '{self.column}'")


@dataclass(frozen=True)
class ClassBreak:
    """One class of a graduated style: ``lower < value <= upper`` (the first class includes ``lower``)."""

    lower: float
    upper: float
    label: str
    symbol: SymbolStyle


@dataclass(frozen=True)
class UnknownClass:
    """The class of features whose count is *unknown*, not zero (CONVENTIONS.md 13).

    A feature belongs to it when its value is not above 0 (0, or missing) and at least one of
    the ``flags`` columns is set (a true boolean or a count above 0; a missing flag counts as not
    set, a flag column the layer lacks is skipped). It is drawn with ``symbol`` instead of the
    class its value falls in: a pand with 0 extra homes that some scan could not judge is not a
    pand with 0 extra homes. See :mod:`styles.unknown` for the flags of the scan results.
    """

    flags: tuple[str, ...]
    label: str
    symbol: SymbolStyle

    def __post_init__(self) -> None:
        object.__setattr__(self, "flags", tuple(str(f) for f in self.flags))
        if not self.flags:
            raise ValueError("een klasse 'onbekend' heeft minstens één kolom nodig die onbekend aangeeft")


@dataclass(frozen=True)
class Graduated:
    """Choropleth: classes of a numeric ``column`` made with ``method`` and coloured from ``ramp``;
    ``unknown``: the features whose value is unknown rather than 0 (drawn apart; None: no such class)."""

    column: str
    method: Method
    classes: tuple[ClassBreak, ...]
    ramp: str = "YlOrRd"
    unknown: UnknownClass | None = None

    def __post_init__(self) -> None:
        if not self.column:
            raise ValueError("een geclassificeerde stijl heeft een kolomnaam nodig")
        if self.method not in METHODS:
            raise ValueError(f"onbekende classificatiemethode {self.method!r}: kies uit {', '.join(METHODS)}")
        object.__setattr__(self, "classes", tuple(self.classes))
        uppers = [c.upper for c in self.classes]
        if any(b < a for a, b in zip(uppers, uppers[1:])):
            raise ValueError(f"klassegrenzen van kolom '{self.column}' moeten oplopen")


@dataclass(frozen=True)
class RasterStyle:
    """A single-band raster coloured with ``ramp`` stretched linearly from ``vmin`` to ``vmax``;
    ``opacity`` (0–1) scales the alpha of every pixel (nodata stays transparent)."""

    ramp: str
    vmin: float
    vmax: float
    opacity: float = 1.0

    def __post_init__(self) -> None:
        if not float(self.vmax) >= float(self.vmin):
            raise ValueError(f"rasterstijl: maximum {self.vmax!r} ligt onder minimum {self.vmin!r}")
        if not 0.0 <= float(self.opacity) <= 1.0:
            raise ValueError(f"rasterstijl: dekking {self.opacity!r} moet tussen 0 en 1 liggen")
        object.__setattr__(self, "vmin", float(self.vmin))
        object.__setattr__(self, "vmax", float(self.vmax))
        object.__setattr__(self, "opacity", float(self.opacity))


VectorStyle = Union[SingleSymbol, Categorized, Graduated]
Style = Union[SingleSymbol, Categorized, Graduated, RasterStyle]
