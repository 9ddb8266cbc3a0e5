"""Styles to and from plain dicts that TOML can hold (the ``[styles.<layer>]`` tables).

TOML has no null, so absent values are left out rather than written as None.
"""

from __future__ import annotations

from dataclasses import asdict

from .symbols import Categorized, Category, ClassBreak, Graduated, RasterStyle, SingleSymbol, SymbolStyle, UnknownClass

_TOML_SCALARS = (bool, int, float, str)


def symbol_to_dict(symbol: SymbolStyle) -> dict:
    return {k: v for k, v in asdict(symbol).items() if v is not None}


def symbol_from_dict(data: dict) -> SymbolStyle:
    if not isinstance(data, dict):
        raise ValueError(f"symbool moet een tabel zijn, niet {data!r}")
    allowed = {"fill", "stroke", "stroke_width", "hatch", "marker_size"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"onbekende symbooleigenschap(pen): {', '.join(sorted(unknown))}")
    return SymbolStyle(**data)


def style_to_dict(style) -> dict:
    """A TOML-able dict with a ``type`` key: single, categorized, graduated or raster."""
    if isinstance(style, SingleSymbol):
        return {"type": "single", "symbol": symbol_to_dict(style.symbol)}
    if isinstance(style, Categorized):
        out = {
            "type": "categorized",
            "column": style.column,
            "categories": [
                {"value": _toml_value(c.value), "label": c.label, "symbol": symbol_to_dict(c.symbol)} for c in style.categories
            ],
        }
        if style.default is not None:
            out["default"] = symbol_to_dict(style.default)
        return out
    if isinstance(style, Graduated):
        out = {
            "type": "graduated",
            "column": style.column,
            "method": style.method,
            "ramp": style.ramp,
            "classes": [
                {"lower": float(c.lower), "upper": float(c.upper), "label": c.label, "symbol": symbol_to_dict(c.symbol)}
                for c in style.classes
            ],
        }
        if style.unknown is not None:
            unknown = style.unknown
            out["unknown"] = {"flags": list(unknown.flags), "label": unknown.label, "symbol": symbol_to_dict(unknown.symbol)}
        return out
    if isinstance(style, RasterStyle):
        return {"type": "raster", "ramp": style.ramp, "vmin": style.vmin, "vmax": style.vmax, "opacity": style.opacity}
    raise ValueError(f"kan stijl van type {type(style).__name__} niet opslaan")


def style_from_dict(data: dict):
    """The inverse of :func:`style_to_dict` (``ValueError`` naming what is wrong)."""
    if not isinstance(data, dict) or "type" not in data:
        raise ValueError("stijl moet een tabel met een 'type' zijn (single, categorized, graduated, raster)")
    kind = data["type"]
    try:
        if kind == "single":
            return SingleSymbol(symbol_from_dict(data["symbol"]))
        if kind == "categorized":
            cats = [Category(c["value"], str(c.get("label", c["value"])), symbol_from_dict(c["symbol"])) for c in data["categories"]]
            default = symbol_from_dict(data["default"]) if "default" in data else None
            return Categorized(data["column"], cats, default)
        if kind == "graduated":
            classes = [
                ClassBreak(float(c["lower"]), float(c["upper"]), str(c["label"]), symbol_from_dict(c["symbol"])) for c in data["classes"]
            ]
            unknown = data.get("unknown")
            if unknown is not None:
                flags = [unknown["flags"]] if isinstance(unknown["flags"], str) else unknown["flags"]
                unknown = UnknownClass(tuple(flags), str(unknown["label"]), symbol_from_dict(unknown["symbol"]))
            return Graduated(data["column"], data["method"], classes, data.get("ramp", "YlOrRd"), unknown)
        if kind == "raster":
            return RasterStyle(data["ramp"], float(data["vmin"]), float(data["vmax"]), float(data.get("opacity", 1.0)))
    except KeyError as exc:
        raise ValueError(f"stijl van type '{kind}' mist '{exc.args[0]}'") from None
    raise ValueError(f"onbekend stijltype {kind!r}: kies uit single, categorized, graduated, raster")


def _toml_value(value):
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return value if isinstance(value, _TOML_SCALARS) else str(value)
