"""Numbers on screen in the interface language: the Qt side of :mod:`styles.numbers`.

Every number the app shows goes through :func:`styles.numbers.format_number` (Qt-free, shared
with the reports); widgets that edit numbers (spin boxes) get the matching ``QLocale`` from
:func:`qlocale`, so what a planner types and what the app writes use the same separators
(nl 1.234,5; en 1,234.5). ``tests/gisapp/test_numbers_display.py`` checks that both agree.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from gisapp.i18n import language
from styles.numbers import format_number

_LOCALES = {
    "nl": (QLocale.Language.Dutch, QLocale.Country.Netherlands),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def qlocale(lang: str | None = None) -> QLocale:
    """The ``QLocale`` of ``lang`` (default: the interface language); no thousands separators
    left out, so Qt writes numbers as :func:`display_number` does."""
    code = lang or language()
    locale = QLocale(*_LOCALES.get(code, _LOCALES["nl"]))
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def display_number(value, decimals: int | None = None, unit: str | None = None, *, grouping: bool = True) -> str:
    """``value`` in the interface language with its unit ("1.234,5 m"); "onbekend" when missing."""
    return format_number(value, decimals, language(), unit, grouping=grouping)


def localise_spin_box(spin) -> None:
    """Let a ``QSpinBox``/``QDoubleSpinBox`` show and read numbers in the interface language."""
    spin.setLocale(qlocale())
    spin.setGroupSeparatorShown(True)
