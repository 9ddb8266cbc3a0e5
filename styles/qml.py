"""QGIS QML export and import of our styles.

``to_qml`` writes a style the way QGIS 3 stores it in a ``.qml`` file or in a GeoPackage's
``layer_styles.styleQML`` column: a ``renderer-v2`` element (``singleSymbol``,
``categorizedSymbol`` or ``graduatedSymbol``) whose symbols hold ``SimpleFill`` /
``SimpleMarker`` / ``SimpleLine`` layers with their properties in ``<Option type="Map">``, or a
``singlebandpseudocolor`` raster renderer. Hatching is a ``SimpleFill`` with brush style
``b_diagonal`` (``diagonal_x`` for cross), drawn in the fill colour.

A graduated style with an onbekend class (:mod:`styles.unknown`) cannot be a ``graduatedSymbol``
renderer (its class depends on more than the one column): it is written as a ``RuleRenderer``, one
rule per class with the range as its filter (``"totaal_woningen" > 4 AND "totaal_woningen" <= 12``),
the classes that hold 0 with ``AND NOT (<onbekend>)``, and the rule of the onbekend class
``coalesce("totaal_woningen", 0) <= 0 AND coalesce("a_onbekend" OR "b_onbekend", FALSE)``: the rules
exclude each other, as the app draws them.

``from_qml`` reads these files back (and the older ``<prop k= v=>`` form of the same renderers).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .field_labels import FIELDS, field_label
from .ramps import RAMPS, ramp_colors
from .symbols import (
    Categorized,
    Category,
    ClassBreak,
    Graduated,
    RasterStyle,
    SingleSymbol,
    SymbolStyle,
    UnknownClass,
    color_to_rgba,
    rgba_to_color,
)
from .unknown import UNKNOWN_LABEL, UNKNOWN_LABELS, unknown_label

QGIS_VERSION = "3.34.0-Prizren"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
GEOMETRY_KINDS = ("point", "line", "polygon", "raster")
_GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}
_SYMBOL_TYPE = {"point": "marker", "line": "line", "polygon": "fill"}
_HATCH_TO_BRUSH = {None: "solid", "diagonal": "b_diagonal", "cross": "diagonal_x"}
_BRUSH_TO_HATCH = {"b_diagonal": "diagonal", "f_diagonal": "diagonal", "diagonal_x": "cross", "cross": "cross"}
_METHOD_TO_QGIS = {"equal_interval": "EqualInterval", "quantiles": "Quantile", "natural_breaks": "Jenks"}
_QGIS_TO_METHOD = {v: k for k, v in _METHOD_TO_QGIS.items()}
_MM = "MM"
_NO_SCALE = "3x:0,0,0,0,0,0"


def to_qml(style, geometry_kind: str, *, fields: Sequence[str] | None = None, language: str = "nl",
           aliases: bool = True) -> str:
    """The QML document of ``style`` for a layer of ``geometry_kind`` (point, line, polygon, raster).

    With ``aliases`` a vector style carries QGIS field aliases: the readable labels of
    :mod:`styles.field_labels` ("Totaal extra woningen" for ``totaal_woningen``), which QGIS shows
    as the attribute table's headers and in identify. ``fields``: the layer's attribute columns in
    order (their aliases get an index); None: an alias for every column the label table knows
    (QGIS keeps only those of fields the layer has).
    """
    if geometry_kind not in GEOMETRY_KINDS:
        raise ValueError(f"onbekend geometrietype {geometry_kind!r}: kies uit {', '.join(GEOMETRY_KINDS)}")
    with_aliases = aliases and geometry_kind != "raster"
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology|Fields" if with_aliases else "Symbology"})
    if isinstance(style, RasterStyle):
        if geometry_kind != "raster":
            raise ValueError("een rasterstijl past alleen bij een rasterlaag")
        _raster_pipe(root, style)
    else:
        if geometry_kind == "raster":
            raise ValueError("een rasterlaag heeft een rasterstijl nodig")
        root.append(_renderer(style, geometry_kind, language))
        ET.SubElement(root, "blendMode").text = "0"
        ET.SubElement(root, "featureBlendMode").text = "0"
        ET.SubElement(root, "layerGeometryType").text = _GEOMETRY_TYPE[geometry_kind]
        if with_aliases:
            _aliases(root, fields, language)
    ET.indent(root, space="  ")
    return DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _aliases(root: ET.Element, fields: Sequence[str] | None, language: str) -> None:
    """``<aliases><alias field=".." index=".." name=".."/></aliases>`` as QGIS writes them."""
    element = ET.SubElement(root, "aliases")
    columns = list(FIELDS) if fields is None else [str(f) for f in fields]
    for index, column in enumerate(columns):
        if column not in FIELDS:
            continue
        attrs = {"field": column, "name": field_label(column, language, with_unit=True)}
        if fields is not None:
            attrs["index"] = str(index)
        ET.SubElement(element, "alias", attrs)


def qml_aliases(text: str) -> dict[str, str]:
    """Field name -> alias of a QML document (empty when it has none)."""
    root = ET.fromstring(text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text)
    return {el.get("field", ""): el.get("name", "") for el in root.iter("alias") if el.get("field")}


def from_qml(text: str):
    """The style in a QML document written by :func:`to_qml` (or QGIS, for the same renderers)."""
    try:
        root = ET.fromstring(text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text)
    except ET.ParseError as exc:
        raise ValueError(f"QML is geen geldige XML: {exc}") from None
    renderer = root.find("renderer-v2")
    if renderer is None:
        shader = root.find("./pipe/rasterrenderer/rastershader/colorrampshader")
        if shader is None:
            raise ValueError("QML bevat geen renderer-v2 of rasterrenderer")
        raster_renderer = root.find("./pipe/rasterrenderer")
        return _read_raster(shader, float(raster_renderer.get("opacity", 1)))
    kind = renderer.get("type")
    symbols = {s.get("name"): _read_symbol(s) for s in renderer.findall("./symbols/symbol")}
    if kind == "singleSymbol":
        return SingleSymbol(symbols["0"])
    if kind == "categorizedSymbol":
        cats, default = [], None
        for cat in renderer.findall("./categories/category"):
            symbol = symbols[cat.get("symbol")]
            if cat.get("value", "") == "" and cat.get("type") in (None, "", "QString") and cat.get("label", "") in ("", "overige waarden"):
                default = symbol
                continue
            cats.append(Category(_read_value(cat.get("value", ""), cat.get("type")), cat.get("label", ""), symbol))
        return Categorized(renderer.get("attr", ""), cats, default)
    if kind == "RuleRenderer":
        return _read_rules(renderer, symbols)
    if kind == "graduatedSymbol":
        classes = [
            ClassBreak(float(r.get("lower")), float(r.get("upper")), r.get("label", ""), symbols[r.get("symbol")])
            for r in renderer.findall("./ranges/range")
        ]
        method_el = renderer.find("classificationMethod")
        method = _QGIS_TO_METHOD.get(method_el.get("id") if method_el is not None else "", "natural_breaks")
        return Graduated(renderer.get("attr", ""), method, classes, _guess_ramp([c.symbol.fill for c in classes]))
    raise ValueError(f"renderer-type {kind!r} wordt niet ondersteund (singleSymbol, categorizedSymbol, graduatedSymbol, RuleRenderer)")


# --- writing ---------------------------------------------------------------------------------


def _renderer(style, kind: str, language: str = "nl") -> ET.Element:
    attrs = {"symbollevels": "0", "enableorderby": "0", "forceraster": "0", "referencescale": "-1"}
    if isinstance(style, Graduated) and style.unknown is not None:
        el = _rule_renderer(style, kind, language, attrs)
    elif isinstance(style, SingleSymbol):
        el = ET.Element("renderer-v2", {"type": "singleSymbol", **attrs})
        _symbols(el, [style.symbol], kind)
    elif isinstance(style, Categorized):
        el = ET.Element("renderer-v2", {"type": "categorizedSymbol", "attr": style.column, **attrs})
        cats = ET.SubElement(el, "categories")
        symbols = [c.symbol for c in style.categories]
        for i, cat in enumerate(style.categories):
            ET.SubElement(
                cats,
                "category",
                {"symbol": str(i), "value": _value_text(cat.value), "type": _value_type(cat.value), "label": cat.label, "render": "true"},
            )
        if style.default is not None:
            # QGIS' "all other values" category: empty value, drawn with its own symbol.
            ET.SubElement(cats, "category", {"symbol": str(len(symbols)), "value": "", "type": "QString", "label": "", "render": "true"})
            symbols.append(style.default)
        _symbols(el, symbols, kind)
    elif isinstance(style, Graduated):
        el = ET.Element("renderer-v2", {"type": "graduatedSymbol", "attr": style.column, "graduatedMethod": "GraduatedColor", **attrs})
        ranges = ET.SubElement(el, "ranges")
        for i, cb in enumerate(style.classes):
            ET.SubElement(
                ranges,
                "range",
                {"symbol": str(i), "lower": f"{cb.lower:.15f}", "upper": f"{cb.upper:.15f}", "label": cb.label, "render": "true"},
            )
        _symbols(el, [c.symbol for c in style.classes], kind)
        _gradient_ramp(el, style.ramp)
        # QGIS has no method id for hand-edited classes; it reads the ranges as written either way.
        method = ET.SubElement(el, "classificationMethod", {"id": _METHOD_TO_QGIS.get(style.method, "EqualInterval")})
        ET.SubElement(method, "symmetricMode", {"enabled": "0", "symmetrypoint": "0", "astride": "0"})
        ET.SubElement(method, "labelFormat", {"format": "%1 - %2", "labelprecision": "0", "trimtrailingzeroes": "1"})
    else:
        raise ValueError(f"kan stijl van type {type(style).__name__} niet naar QML schrijven")
    ET.SubElement(el, "rotation")
    ET.SubElement(el, "sizescale")
    return el


def _rule_renderer(style: Graduated, kind: str, language: str, attrs: dict) -> ET.Element:
    """A graduated style with an onbekend class as QGIS's rule-based renderer (see the module doc)."""
    el = ET.Element("renderer-v2", {"type": "RuleRenderer", **attrs})
    unknown = _unknown_filter(style.column, style.unknown.flags)
    rules = ET.SubElement(el, "rules", {"key": _rule_key(style.column, "root")})
    for i, cb in enumerate(style.classes):
        filter_text = _range_filter(style.column, cb.lower, cb.upper, first=i == 0)
        holds_zero = cb.lower <= 0 if i == 0 else cb.lower < 0  # (the first class includes its lower bound)
        if holds_zero:  # leaves the onbekend features to their own rule
            filter_text += f" AND NOT ({unknown})"
        ET.SubElement(rules, "rule", {"key": _rule_key(style.column, filter_text), "filter": filter_text,
                                      "label": cb.label, "symbol": str(i)})
    ET.SubElement(rules, "rule", {"key": _rule_key(style.column, unknown), "filter": unknown,
                                  "label": unknown_label(style.unknown.label, language), "symbol": str(len(style.classes))})
    _symbols(el, [c.symbol for c in style.classes] + [style.unknown.symbol], kind)
    # Not QGIS's own (a rule renderer has no method; QGIS ignores the element): read back by from_qml.
    ET.SubElement(el, "classificationMethod", {"id": _METHOD_TO_QGIS.get(style.method, "manual")})
    return el


def _field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _range_filter(column: str, lower: float, upper: float, first: bool) -> str:
    return f"{_field(column)} {'>=' if first else '>'} {float(lower)!r} AND {_field(column)} <= {float(upper)!r}"


def _unknown_filter(column: str, flags: Sequence[str]) -> str:
    return f"coalesce({_field(column)}, 0) <= 0 AND coalesce({' OR '.join(_field(f) for f in flags)}, FALSE)"


def _rule_key(column: str, text: str) -> str:
    """A rule key in QGIS's ``{uuid}`` form, the same for the same rule (files compare equal)."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"beterbenutten:{column}:{text}")) + "}"


def _symbols(parent: ET.Element, symbols: list[SymbolStyle], kind: str) -> None:
    container = ET.SubElement(parent, "symbols")
    for i, symbol in enumerate(symbols):
        container.append(_symbol(str(i), symbol, kind))


def _symbol(name: str, symbol: SymbolStyle, kind: str) -> ET.Element:
    el = ET.Element(
        "symbol",
        {"type": _SYMBOL_TYPE[kind], "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0", "frame_rate": "10", "is_animated": "0"},
    )
    _data_defined(el)
    if kind == "polygon":
        cls, options = "SimpleFill", {
            "border_width_map_unit_scale": _NO_SCALE,
            "color": _qcolor(symbol.fill),
            "joinstyle": "bevel",
            "offset": "0,0",
            "offset_map_unit_scale": _NO_SCALE,
            "offset_unit": _MM,
            "outline_color": _qcolor(symbol.stroke),
            "outline_style": "solid",
            "outline_width": _num(symbol.stroke_width),
            "outline_width_unit": _MM,
            "style": _HATCH_TO_BRUSH[symbol.hatch],
        }
    elif kind == "point":
        cls, options = "SimpleMarker", {
            "angle": "0",
            "cap_style": "square",
            "color": _qcolor(symbol.fill),
            "horizontal_anchor_point": "1",
            "joinstyle": "bevel",
            "name": "circle",
            "offset": "0,0",
            "offset_map_unit_scale": _NO_SCALE,
            "offset_unit": _MM,
            "outline_color": _qcolor(symbol.stroke),
            "outline_style": "solid",
            "outline_width": _num(symbol.stroke_width),
            "outline_width_map_unit_scale": _NO_SCALE,
            "outline_width_unit": _MM,
            "scale_method": "diameter",
            "size": _num(symbol.marker_size),
            "size_map_unit_scale": _NO_SCALE,
            "size_unit": _MM,
            "vertical_anchor_point": "1",
        }
    else:
        cls, options = "SimpleLine", {
            "capstyle": "square",
            "joinstyle": "bevel",
            "line_color": _qcolor(symbol.stroke),
            "line_style": "solid",
            "line_width": _num(symbol.stroke_width),
            "line_width_unit": _MM,
            "offset": "0",
            "offset_unit": _MM,
        }
    layer = ET.SubElement(el, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    _option_map(layer, options)
    _data_defined(layer)
    return el


def _option_map(parent: ET.Element, options: dict[str, str]) -> None:
    opt = ET.SubElement(parent, "Option", {"type": "Map"})
    for key, value in options.items():
        ET.SubElement(opt, "Option", {"type": "QString", "name": key, "value": value})


def _data_defined(parent: ET.Element) -> None:
    ddp = ET.SubElement(parent, "data_defined_properties")
    opt = ET.SubElement(ddp, "Option", {"type": "Map"})
    ET.SubElement(opt, "Option", {"type": "QString", "name": "name", "value": ""})
    ET.SubElement(opt, "Option", {"name": "properties"})
    ET.SubElement(opt, "Option", {"type": "QString", "name": "type", "value": "collection"})


def _gradient_ramp(parent: ET.Element, ramp: str) -> None:
    colors = ramp_colors(ramp, 9)
    stops = ":".join(f"{i / 8:.4f};{_qcolor(c)}" for i, c in enumerate(colors[1:-1], start=1))
    el = ET.SubElement(parent, "colorramp", {"type": "gradient", "name": "[source]"})
    _option_map(
        el,
        {"color1": _qcolor(colors[0]), "color2": _qcolor(colors[-1]), "direction": "ccw", "discrete": "0", "rampType": "gradient", "spec": "rgb", "stops": stops},
    )


def _raster_pipe(root: ET.Element, style: RasterStyle) -> None:
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(
        pipe,
        "rasterrenderer",
        {
            "type": "singlebandpseudocolor",
            "band": "1",
            "opacity": _num(style.opacity),
            "alphaBand": "-1",
            "nodataColor": "",
            "classificationMin": _num(style.vmin),
            "classificationMax": _num(style.vmax),
        },
    )
    ET.SubElement(renderer, "rasterTransparency")
    origin = ET.SubElement(renderer, "minMaxOrigin")
    for tag, text in (("limits", "None"), ("extent", "WholeRaster"), ("statAccuracy", "Estimated")):
        ET.SubElement(origin, tag).text = text
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader", {
        "colorRampType": "INTERPOLATED",
        "classificationMode": "1",
        "clip": "0",
        "minimumValue": _num(style.vmin),
        "maximumValue": _num(style.vmax),
        "labelPrecision": "2",
    })
    _gradient_ramp(shader, style.ramp)
    colors = ramp_colors(style.ramp, 9)
    for i, color in enumerate(colors):
        value = style.vmin + (style.vmax - style.vmin) * i / 8
        ET.SubElement(shader, "item", {"alpha": "255", "value": _num(value), "label": _num(value), "color": color[:7]})
    ET.SubElement(root, "blendMode").text = "0"


def _qcolor(color: str) -> str:
    return ",".join(str(c) for c in color_to_rgba(color))


def _num(value: float) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _value_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return repr(value)
    return str(value)


def _value_type(value) -> str:
    # QVariant type names, as QGIS writes them on <category type=...>.
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return "int" if -(2**31) <= int(value) < 2**31 else "qlonglong"
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "f"):
        return "double"
    return "QString"


# --- reading ---------------------------------------------------------------------------------

_FIELD_RE = r'"((?:[^"]|"")+)"'
_NUMBER_RE = r"(-?[0-9.]+(?:[eE][-+]?[0-9]+)?|-?inf)"
_RANGE_RULE = re.compile(rf"^{_FIELD_RE} (>=|>) {_NUMBER_RE} AND {_FIELD_RE} <= {_NUMBER_RE}(?: AND NOT \((.*)\))?$")
_UNKNOWN_RULE = re.compile(rf"^coalesce\({_FIELD_RE}, 0\) <= 0 AND coalesce\((.*), FALSE\)$")


def _read_rules(renderer: ET.Element, symbols: dict) -> Graduated:
    """A rule-based renderer written by :func:`_rule_renderer` back into its graduated style."""
    classes, unknown, column = [], None, None
    for rule in renderer.findall("./rules/rule"):
        text = rule.get("filter", "")
        symbol = symbols[rule.get("symbol")]
        match = _UNKNOWN_RULE.match(text)
        if match:
            flags = tuple(f.replace('""', '"') for f in re.findall(_FIELD_RE, match.group(2)))
            unknown, name = UnknownClass(flags, rule.get("label", ""), symbol), match.group(1)
        else:
            match = _RANGE_RULE.match(text)
            if match is None or match.group(1) != match.group(4) or (match.group(6) and not _UNKNOWN_RULE.match(match.group(6))):
                raise ValueError(f"regel {text!r} van een regelgebaseerde stijl wordt niet ondersteund "
                                 "(alleen klassen van één kolom en de klasse 'onbekend')")
            name = match.group(1)
            classes.append(ClassBreak(float(match.group(3)), float(match.group(5)), rule.get("label", ""), symbol))
        if column not in (None, name.replace('""', '"')):
            raise ValueError("een regelgebaseerde stijl over meer dan één kolom wordt niet ondersteund")
        column = name.replace('""', '"')
    if column is None:
        raise ValueError("regelgebaseerde stijl zonder regels")
    if unknown is not None and unknown.label == UNKNOWN_LABELS.get("en"):
        unknown = UnknownClass(unknown.flags, UNKNOWN_LABEL, unknown.symbol)  # stored in Dutch, like every label
    method_el = renderer.find("classificationMethod")
    method = _QGIS_TO_METHOD.get(method_el.get("id") if method_el is not None else "", "manual")
    return Graduated(column, method, classes, _guess_ramp([c.symbol.fill for c in classes]) if classes else "YlOrRd", unknown)


def _read_value(text: str, type_name: str | None):
    if type_name in ("int", "qlonglong", "uint", "qulonglong", "long", "integer"):
        return int(text)
    if type_name == "double":
        return float(text)
    if type_name == "bool":
        return text.lower() == "true"
    if type_name is None:  # older QGIS: no type attribute; numbers come back as numbers
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                pass
    return text


def _read_symbol(el: ET.Element) -> SymbolStyle:
    layer = el.find("layer")
    if layer is None:
        return SymbolStyle()
    props = {o.get("name"): o.get("value") for o in layer.findall("./Option[@type='Map']/Option") if o.get("name")}
    props.update({p.get("k"): p.get("v") for p in layer.findall("prop") if p.get("k") not in props})
    cls = layer.get("class")
    if cls == "SimpleLine":
        stroke = _color(props.get("line_color", "0,0,0,255"))
        return SymbolStyle(fill="#00000000", stroke=stroke, stroke_width=float(props.get("line_width", 0.26)))
    fill = _color(props.get("color", "0,0,0,0"))
    if cls == "SimpleFill" and props.get("style") == "no":
        fill = fill[:7] + "00"
    kwargs = {
        "fill": fill,
        "stroke": _color(props.get("outline_color", "0,0,0,255")),
        "stroke_width": float(props.get("outline_width", 0.26)),
        "hatch": _BRUSH_TO_HATCH.get(props.get("style", "solid")),
    }
    if props.get("outline_style") == "no":
        kwargs["stroke"] = kwargs["stroke"][:7] + "00"
    if cls == "SimpleMarker":
        kwargs["marker_size"] = float(props.get("size", 2.0))
        kwargs["hatch"] = None
    return SymbolStyle(**kwargs)


def _color(text: str) -> str:
    parts = [int(float(p)) for p in text.split(",")[:4]]
    if len(parts) == 3:
        parts.append(255)
    return rgba_to_color(*parts)


def _read_raster(shader: ET.Element, opacity: float = 1.0) -> RasterStyle:
    items = shader.findall("item")
    ramp = _guess_ramp([i.get("color", "#000000") for i in items])
    return RasterStyle(ramp, float(shader.get("minimumValue", 0)), float(shader.get("maximumValue", 1)), opacity)


def _guess_ramp(colors: list[str]) -> str:
    """The named ramp whose ends are nearest to the first and last colour (QML keeps no ramp name)."""
    if not colors:
        return "YlOrRd"
    first, last = color_to_rgba(colors[0] if len(colors[0]) > 7 else colors[0] + "ff"), color_to_rgba(colors[-1] if len(colors[-1]) > 7 else colors[-1] + "ff")

    def distance(name: str) -> int:
        n = max(len(colors), 2)
        ends = ramp_colors(name, n)
        a, b = color_to_rgba(ends[0]), color_to_rgba(ends[-1])
        return sum(abs(x - y) for x, y in zip(a[:3], first[:3])) + sum(abs(x - y) for x, y in zip(b[:3], last[:3]))

    return min(RAMPS, key=distance)
