"""Numbers as the user reads them: one formatter for the screen and the reports.

Qt-free. Dutch writes 1.234,5 (point for thousands, comma for decimals), English 1,234.5; the
app's Qt views use the same rules through ``QLocale`` (``gisapp.numbers`` checks that both agree),
the reports call :func:`format_number` directly. A missing value is never shown as 0: it reads
"onbekend" / "unknown" (CONVENTIONS.md: unknown is not zero).
"""

from __future__ import annotations

import math
import re
from numbers import Integral, Real
from typing import Any

#: (thousands separator, decimal separator) per language.
SEPARATORS: dict[str, tuple[str, str]] = {"nl": (".", ","), "en": (",", ".")}
#: The text for a missing value per language.
UNKNOWN: dict[str, str] = {"nl": "onbekend", "en": "unknown"}
#: Units written without a space before them.
_TIGHT_UNITS = ("%", "°")
#: Units written before the value.
_PREFIX_UNITS = ("€",)
#: Units that are words, per language (a unit not listed is the same in every language).
UNIT_WORDS: dict[str, dict[str, str]] = {"en": {"woningen": "homes", "woningen/ha": "homes/ha", "woning": "home"}}


def is_missing(value: Any) -> bool:
    """None, NaN or pandas' NA/NaT."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT; pd.NA raises TypeError (ambiguous truth)
    except TypeError:
        return True
    except ValueError:  # an array: a value, not a missing one
        return False


def format_number(value: Any, decimals: int | None = None, locale: str = "nl", unit: str | None = None,
                  *, grouping: bool = True) -> str:
    """``value`` with the separators of ``locale`` and its ``unit``.

    Parameters
    ----------
    value : a number (int, float, numpy scalar, bool); None/NaN gives "onbekend" ("unknown").
    decimals : digits after the decimal separator; None: none for whole numbers, else 2.
    locale : ``"nl"`` (1.234,5) or ``"en"`` (1,234.5).
    unit : written after the value with a space (``"m"``, ``"kW"``), ``%`` without one, ``€`` before it.
    grouping : thousands separators (False for years and codes).

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234.5, 1)
    '1.234,5'
    >>> format_number(1234.5, 1, "en")
    '1,234.5'
    >>> format_number(60.94, 2, unit="cm")
    '60,94 cm'
    """
    if locale not in SEPARATORS:
        raise ValueError(f"onbekende taal {locale!r} voor getallen: kies uit {', '.join(SEPARATORS)}")
    if is_missing(value):
        return UNKNOWN[locale]
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, (Integral, Real)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"geen getal: {value!r}") from None
    if isinstance(value, Real) and not math.isfinite(float(value)):
        return UNKNOWN[locale]
    if decimals is None:
        decimals = 0 if float(value) == int(float(value)) else 2
    if decimals < 0:
        raise ValueError(f"decimalen moet 0 of meer zijn, niet {decimals}")
    text = f"{float(value):{',' if grouping else ''}.{decimals}f}" if decimals or not isinstance(value, Integral) \
        else f"{int(value):{',' if grouping else ''}d}"
    if text.startswith("-") and set(text[1:]) <= set("0.,"):
        text = text[1:]  # "-0,0" reads as a signal that is not there
    thousands, decimal = SEPARATORS[locale]
    text = text.translate(str.maketrans({",": thousands, ".": decimal}))
    return with_unit(text, unit, locale)


def with_unit(text: str, unit: str | None, locale: str = "nl") -> str:
    """``text`` with ``unit`` in its place: "3 m", "12,5%", "€ 7.000", "4 woningen" (en "4 homes")."""
    if not unit:
        return text
    unit = UNIT_WORDS.get(locale, {}).get(unit, unit)
    if unit in _PREFIX_UNITS:
        return f"{unit} {text}"
    if unit in _TIGHT_UNITS:
        return f"{text}{unit}"
    return f"{text} {unit}"


#: A number written the Dutch way: 1.234.567,89 / 12,5 / 7 (used to re-write stored Dutch labels).
_DUTCH_NUMBER = re.compile(r"(?<![\d.,])-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\d.,]*\d)|(?<![\d.,])-?\d+(?:,\d+)?(?![\d.,]*\d)")


def localise_numbers(text: str, locale: str = "nl") -> str:
    """``text`` with its Dutch-written numbers in the notation of ``locale`` ("1.000 – 2.500,5").

    Labels stored in a style (class breaks) are written in Dutch; the English interface shows them
    as 1,000 – 2,500.5. Text that is not a number is left as it is.
    """
    if locale == "nl" or not text:
        return text
    thousands, decimal = SEPARATORS[locale]

    def swap(match: re.Match) -> str:
        return match.group(0).translate(str.maketrans({".": thousands, ",": decimal}))

    return _DUTCH_NUMBER.sub(swap, text)


def parse_number(text: str, locale: str = "nl") -> float:
    """The number in ``text`` written with the separators of ``locale``; ``ValueError`` when it is none."""
    thousands, decimal = SEPARATORS[locale]
    cleaned = text.strip().replace(thousands, "").replace(decimal, ".")
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"geen getal: {text!r}") from None
