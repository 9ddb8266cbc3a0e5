"""Scan parameters as frozen dataclasses with metadata (label, unit, source).

Every number the scans use is a field declared with :func:`param`, so the GUI and the
CLI can list it, show where it comes from, and let the user change it. The GUI builds
its scan dialog from :func:`describe`, as QGIS builds processing dialogs from an
algorithm's parameter definitions.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass
from typing import Any

from layers.texts import Translatable

_META_KEY = "scan_param"

#: How the uncertainty band draws a parameter between its low and high.
DISTRIBUTIONS = ("triangular", "uniform")

_TRUE = {"true", "ja", "yes", "1", "aan", "on"}
_FALSE = {"false", "nee", "no", "0", "uit", "off"}


def param(
    default: Any,
    *,
    label: str,
    unit: str = "",
    source: str = "standaardwaarde",
    help: str = "",
    choices: tuple | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    low: float | None = None,
    high: float | None = None,
    distribution: str = "triangular",
    range_source: str = "",
    vary: bool | None = None,
) -> Any:
    """A dataclass field carrying the metadata the GUI and CLI show.

    Parameters
    ----------
    default : the default value; tuples for lists (kept immutable).
    label : Dutch label shown to the user.
    unit : unit of the value (``"m²"``, ``"jaar"``, ``"kW"``).
    source : where the number comes from, e.g. ``"Stec/Zuid-Holland 2023"``; the
        default ``"standaardwaarde"`` marks our own default without a public number.
    help : one Dutch sentence of explanation.
    choices : allowed values (for strings, or for each element of a tuple).
    minimum, maximum : inclusive bounds for numbers.
    low, high : the plausible range of a number for the sensitivity analysis
        (:mod:`scans.gevoeligheid`): the one-at-a-time analysis sets it to ``low`` and to
        ``high``, the uncertainty band draws it between them.
    distribution : how the band draws it: ``"triangular"`` (most likely at the default) or
        ``"uniform"``; half of the draws lie below, half above the default (see
        :func:`scans.gevoeligheid.draw_values`).
    range_source : where the range comes from (or why it has none).
    vary : ``False`` marks a parameter as not varied (a list of functions, a text); a bool is
        varied in the one-at-a-time analysis as its other state (a scenario choice, not an
        uncertainty: never drawn in the band). ``None``: varied when it has a range or is a bool.
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(Translatable("distribution: kies uit {choices}", choices=", ".join(DISTRIBUTIONS)))
    if low is not None and high is not None and not low <= default <= high:
        raise ValueError(Translatable("bereik {low}–{high} bevat de standaardwaarde {default} niet", low=low, high=high,
                                      default=default))
    meta = {
        _META_KEY: {
            "label": label,
            "unit": unit,
            "source": source,
            "help": help,
            "choices": None if choices is None else tuple(choices),
            "minimum": minimum,
            "maximum": maximum,
            "low": low,
            "high": high,
            "distribution": distribution,
            "range_source": range_source,
            "vary": vary,
        }
    }
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True)
class ParamInfo:
    """Description of one parameter, for dialogs, ``gisapp scans help`` and reports."""

    name: str
    type: str
    default: Any
    label: str
    unit: str
    source: str
    help: str
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    low: float | None = None
    high: float | None = None
    distribution: str = "triangular"
    range_source: str = ""
    vary: bool | None = None

    @property
    def has_range(self) -> bool:
        """A number with a low and high that differ: drawn in the band, set to both ends one at a time."""
        return (self.type in ("int", "float") and self.vary is not False and self.low is not None
                and self.high is not None and self.low < self.high)

    @property
    def toggled(self) -> bool:
        """A bool set to its other state in the one-at-a-time analysis (never drawn in the band)."""
        return self.type == "bool" and self.vary is not False

    def range_text(self, decimal: str = ",") -> str:
        """The range as the user reads it (``"53–85 m²"``, ``"0,25–0,5"``, ``"ja/nee"``), ``""`` when not varied."""
        unit = f" {self.unit}" if self.unit and self.unit not in ("fractie",) else ""
        if self.has_range:
            low, high = (format_value(v).replace(".", decimal) for v in (self.low, self.high))
            return f"{low}–{high}{unit}"
        if self.toggled:
            return "ja/nee"
        return ""


def _type_name(tp: Any) -> str:
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is float:
        return "float"
    if tp is str:
        return "str"
    origin = typing.get_origin(tp)
    if origin is tuple:
        args = typing.get_args(tp)
        inner = _type_name(args[0]) if args else "str"
        return f"list[{inner}]"
    raise TypeError(Translatable("niet ondersteund parametertype: {kind}", kind=repr(tp)))


def _fields(params_cls: type) -> list[tuple[dataclasses.Field, str]]:
    if not dataclasses.is_dataclass(params_cls):
        raise ValueError(Translatable("{name} is geen parameterklasse", name=repr(params_cls)))
    hints = typing.get_type_hints(params_cls)
    return [(f, _type_name(hints[f.name])) for f in dataclasses.fields(params_cls)]


def describe(params_cls: type) -> list[ParamInfo]:
    """All parameters of a parameter class, in declaration order."""
    if not isinstance(params_cls, type):
        params_cls = type(params_cls)
    out = []
    for f, type_name in _fields(params_cls):
        meta = f.metadata.get(_META_KEY, {})
        out.append(
            ParamInfo(
                name=f.name,
                type=type_name,
                default=f.default,
                label=meta.get("label", f.name),
                unit=meta.get("unit", ""),
                source=meta.get("source", "standaardwaarde"),
                help=meta.get("help", ""),
                choices=meta.get("choices"),
                minimum=meta.get("minimum"),
                maximum=meta.get("maximum"),
                low=meta.get("low"),
                high=meta.get("high"),
                distribution=meta.get("distribution", "triangular"),
                range_source=meta.get("range_source", ""),
                vary=meta.get("vary"),
            )
        )
    return out


def _check_value(info: ParamInfo, value: Any, where: str) -> Any:
    """Return ``value`` converted to the parameter's type, or raise ValueError."""
    name = f"{where}{info.name}"
    kind = info.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(Translatable("parameter {name}: verwacht ja/nee (bool), kreeg {value}", name=name, value=repr(value)))
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise ValueError(Translatable("parameter {name}: verwacht een geheel getal, kreeg {value}", name=name,
                                              value=repr(value)))
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(Translatable("parameter {name}: verwacht een getal, kreeg {value}", name=name, value=repr(value)))
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(Translatable("parameter {name}: verwacht een eindig getal, kreeg {value}", name=name,
                                          value=repr(value)))
    elif kind == "str":
        if not isinstance(value, str):
            raise ValueError(Translatable("parameter {name}: verwacht tekst, kreeg {value}", name=name, value=repr(value)))
    elif kind.startswith("list["):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError(Translatable("parameter {name}: verwacht een lijst met tekst, kreeg {value}", name=name,
                                          value=repr(value)))
        value = tuple(value)
    if info.choices is not None:
        values = value if isinstance(value, tuple) else (value,)
        bad = [v for v in values if v not in info.choices]
        if bad:
            allowed = ", ".join(str(c) for c in info.choices)
            raise ValueError(Translatable("parameter {name}: {value} is niet toegestaan (kies uit {allowed})", name=name,
                                          value=repr(bad[0]), allowed=allowed))
    if info.minimum is not None and value < info.minimum:
        raise ValueError(Translatable("parameter {name}: {value} is kleiner dan het minimum {minimum}", name=name,
                                      value=repr(value), minimum=info.minimum))
    if info.maximum is not None and value > info.maximum:
        raise ValueError(Translatable("parameter {name}: {value} is groter dan het maximum {maximum}", name=name,
                                      value=repr(value), maximum=info.maximum))
    return value


def replace_from_dict(params: Any, values: dict[str, Any], *, section: str = "") -> Any:
    """A copy of ``params`` with ``values`` applied, each checked against its type.

    Integers are accepted for floats, lists for tuples; anything else of the wrong type,
    an unknown name or a value outside its bounds or choices raises ``ValueError``
    naming the parameter.
    """
    if not isinstance(values, dict):
        raise ValueError(Translatable("parameters voor {section}: verwacht een tabel, kreeg {value}",
                                      section=section or type(params).__name__, value=repr(values)))
    infos = {info.name: info for info in describe(type(params))}
    where = f"{section}." if section else ""
    changes = {}
    for key, value in values.items():
        if key not in infos:
            known = ", ".join(infos)
            raise ValueError(Translatable("onbekende parameter {name} (bekend: {known})", name=f"{where}{key}", known=known))
        changes[key] = _check_value(infos[key], value, where)
    return dataclasses.replace(params, **changes)


def parse_text(params_cls: type, name: str, text: str, *, section: str = "") -> Any:
    """Convert a value typed by the user (``--set scan.param=value``) to the parameter's type."""
    infos = {info.name: info for info in describe(params_cls)}
    where = f"{section}." if section else ""
    if name not in infos:
        known = ", ".join(infos)
        raise ValueError(Translatable("onbekende parameter {name} (bekend: {known})", name=f"{where}{name}", known=known))
    info = infos[name]
    text = text.strip()
    try:
        if info.type == "bool":
            low = text.lower()
            if low in _TRUE:
                value: Any = True
            elif low in _FALSE:
                value = False
            else:
                raise ValueError(text)
        elif info.type == "int":
            value = int(text)
        elif info.type == "float":
            value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
        elif info.type.startswith("list["):
            value = tuple(v.strip() for v in text.split(",") if v.strip())
        else:
            value = text
    except ValueError:
        raise ValueError(Translatable("parameter {name}: {value} is geen geldige waarde van type {kind}", name=f"{where}{name}",
                                      value=repr(text), kind=info.type)) from None
    return _check_value(info, value, where)


def to_dict(params: Any) -> dict[str, Any]:
    """All parameter values as plain TOML/JSON-friendly values (tuples become lists)."""
    out = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def format_value(value: Any) -> str:
    """A parameter value as the user reads it (lists comma-joined, bools ja/nee)."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
