"""Dutch texts for the user that the interface can say in another language.

``layers`` and ``scans`` speak Dutch (the CLI prints what they say) and know no languages. A
:class:`Translatable` is such a Dutch text that also keeps how it was made: its *template* (the
Dutch text with ``{placeholders}``, the stable code of the message) and the *values* put in.
Whatever treats it as a string (the CLI, JSON, the reports, a ``DataError``) reads the Dutch text;
the interface (``gisapp.i18n.translated``) looks the template up in the table of its language and
puts the values in again, each translated in turn. Nothing ever parses a sentence back.

Values are written as follows:

* a number by the template's format spec; ``{n:,}`` groups thousands, in Dutch with a point
  (``1.234``; the interface uses its own language's separator);
* a :class:`Translatable` in the language of the text around it;
* a list or tuple as "a, b en c" (each item as a value of its own);
* anything else as it is: a name, a file, a value quoted from the data.

A *term* (:meth:`Translatable.term`) is a word or label inside a sentence that the interface knows
by a key of one of its tables, not by its Dutch text: the label of a scan parameter (table
``"parameter"``, key ``"optoppen.extra_lagen"``), the name of a scan (``"scan"``, ``"optoppen"``),
a unit (``"unit"``, ``"lagen"``) or a column (``"column"``, ``"bouwjaar"``).

Imports nothing of the project (``layers`` is the bottom of the package graph).
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

#: Swaps the thousands and decimal separators of Python's (English) number formatting.
_DUTCH_SEPARATORS = str.maketrans(",.", ".,")


def and_list(items: Iterable[str], conjunction: str = "en") -> str:
    """``"a"``, ``"a en b"``, ``"a, b en c"`` (``conjunction`` between the last two)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


class _DutchFormatter(string.Formatter):
    """``str.format`` with Dutch thousands separators for ``{n:,}`` and lists as "a, b en c"."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            return and_list(self.format_field(item, "") for item in value)
        text = format(value, format_spec)
        if "," in format_spec and isinstance(value, (int, float)) and not isinstance(value, bool):
            text = text.translate(_DUTCH_SEPARATORS)
        return text


DUTCH = _DutchFormatter()


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number it holds; a list as a tuple; anything else unchanged."""
    if isinstance(value, list):
        return tuple(value)
    item = getattr(value, "item", None)
    if item is not None and not isinstance(value, (str, tuple)) and getattr(value, "ndim", None) == 0:
        return item()
    return value


def _rebuild(template: str, values: dict[str, Any], term_of: tuple[str, str] | None) -> "Translatable":
    text = Translatable(template, **values)
    text.term_of = term_of
    return text


class Translatable(str):
    """A Dutch text (the string itself) with the template and values it was made from.

    Parameters
    ----------
    template : the Dutch text with ``{name}`` placeholders (``str.format`` syntax, keyword only).
    **values : the values of the placeholders (see the module docstring for how each is written).

    Examples
    --------
    >>> text = Translatable("{n:,} objecten zonder geometrie weggelaten", n=1234)
    >>> str(text), text.template, text.values
    ('1.234 objecten zonder geometrie weggelaten', '{n:,} objecten zonder geometrie weggelaten', {'n': 1234})
    >>> Translatable("voor {scans}", scans=["optoppen", "splitsen", "transformatie"])
    'voor optoppen, splitsen en transformatie'
    """

    template: str
    values: dict[str, Any]
    #: ``(table, key)`` of a term (see :meth:`term`), else None.
    term_of: tuple[str, str] | None

    def __new__(cls, template: str, /, **values: Any) -> "Translatable":
        values = {name: _plain(value) for name, value in values.items()}
        self = super().__new__(cls, DUTCH.format(template, **values))
        self.template = template
        self.values = values
        self.term_of = None
        return self

    @classmethod
    def term(cls, text: str, table: str, key: str) -> "Translatable":
        """``text``, a word or label the interface finds by ``key`` in its ``table`` (see the module docstring)."""
        self = cls(str(text).replace("{", "{{").replace("}", "}}"))
        self.term_of = (table, key)
        return self

    @classmethod
    def joined(cls, parts: Iterable[Any], separator: str = "; ") -> "Translatable":
        """``parts`` joined by ``separator`` (punctuation, the same in every language), each part
        translated on its own."""
        parts = list(parts)
        template = separator.replace("{", "{{").replace("}", "}}").join(f"{{p{k}}}" for k in range(len(parts)))
        return cls(template, **{f"p{k}": part for k, part in enumerate(parts)})

    def __reduce__(self):
        # the default would rebuild from the Dutch text alone, as a template
        return _rebuild, (self.template, self.values, self.term_of)
