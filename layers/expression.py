"""A small, safe expression language to select rows of a table by their columns.

Nothing is handed to Python's ``eval``: the text is tokenised and parsed into a tree of plain
nodes, and the tree is evaluated vectorised on a pandas frame (one numpy/pandas operation per
node, never a loop over rows). The language is the part of QGIS' expressions a planner uses to
select features::

    bouwjaar < 1945 AND "gebruiksdoel" = 'woonfunctie'
    gemeente IN ('Utrecht', 'Zeist') OR NOT (oppervlakte >= 100)
    naam LIKE 'Kerk%' AND hoogte IS NOT NULL

* comparisons ``=``, ``!=`` (or ``<>``), ``<``, ``<=``, ``>``, ``>=``;
* ``AND``, ``OR``, ``NOT`` and parentheses (``NOT`` binds tightest, then ``AND``, then ``OR``);
* ``IN (…)`` and ``NOT IN (…)``; ``IS NULL`` and ``IS NOT NULL``;
* ``LIKE`` / ``ILIKE`` (case-insensitive) with ``%`` (any text) and ``_`` (one character);
* numbers (``12``, ``2.5``, ``-3``), strings in single quotes (``'it''s'``), column names bare
  or in double quotes (``"naam met spatie"``); keywords in any case.

A missing value (None/NaN) never satisfies a comparison, ``IN`` or ``LIKE`` (as in SQL, where
the result is unknown and the row is not selected); ask for it with ``IS NULL``.

Errors are :class:`ExpressionError` (a ``ValueError``) with one line that names the position
(1-based character) and what was expected there: Dutch as ``str()``, any language through
:meth:`ExpressionError.text` (a code and a text table per language, :data:`MESSAGES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

import numpy as np
import pandas as pd

from layers.texts import Translatable

__all__ = ["ExpressionError", "KEYWORDS", "parse", "evaluate", "columns_in", "select"]


#: What the end of the text is called in a message.
_END = {"nl": "het einde", "en": "the end"}
#: Message code -> text per language; ``{found}`` may be the end of the text.
MESSAGES: dict[str, dict[str, str]] = {
    "unclosed_quote": {"nl": "aanhalingsteken {quote} wordt niet gesloten", "en": "quote {quote} is not closed"},
    "bad_char": {"nl": "onverwacht teken {char}", "en": "unexpected character {char}"},
    "empty_name": {"nl": 'lege kolomnaam ""', "en": 'empty column name ""'},
    "empty": {"nl": "lege expressie: schrijf bijvoorbeeld bouwjaar < 1945",
              "en": "empty expression: write for example bouwjaar < 1945"},
    "trailing": {"nl": "onverwacht {found}: verwacht AND, OR of het einde", "en": "unexpected {found}: expected AND, OR or the end"},
    "expected_close": {"nl": "verwacht ')', maar staat er {found}", "en": "expected ')', found {found}"},
    "expected_null": {"nl": "verwacht NULL na IS, maar staat er {found}", "en": "expected NULL after IS, found {found}"},
    "expected_open_in": {"nl": "verwacht '(' na IN, maar staat er {found}", "en": "expected '(' after IN, found {found}"},
    "expected_list_end": {"nl": "verwacht ')' of ',' in de lijst na IN, maar staat er {found}",
                          "en": "expected ')' or ',' in the list after IN, found {found}"},
    "not_in_like": {"nl": "verwacht IN of LIKE na NOT, maar staat er {found}", "en": "expected IN or LIKE after NOT, found {found}"},
    "like_text": {"nl": "verwacht een tekst tussen '…' na {keyword}, maar staat er {found}",
                  "en": "expected a text in '…' after {keyword}, found {found}"},
    "comparison_after": {"nl": "verwacht een vergelijking (=, <, IN, LIKE, IS NULL …) na {operand}",
                         "en": "expected a comparison (=, <, IN, LIKE, IS NULL …) after {operand}"},
    "comparison": {"nl": "verwacht een vergelijking", "en": "expected a comparison"},
    "list_literal": {"nl": "verwacht een getal of tekst in de lijst, maar staat er kolom {name}",
                     "en": "expected a number or text in the list, found column {name}"},
    "minus_number": {"nl": "verwacht een getal na '-', maar staat er {found}", "en": "expected a number after '-', found {found}"},
    "null_compare": {"nl": "NULL vergelijk je met IS NULL of IS NOT NULL, niet met =",
                     "en": "compare with NULL using IS NULL or IS NOT NULL, not ="},
    "operand": {"nl": "verwacht een kolom, getal of tekst, maar staat er {found}",
                "en": "expected a column, number or text, found {found}"},
    "not_text": {"nl": "expressie moet tekst zijn, niet {kind}", "en": "an expression must be text, not {kind}"},
    "unknown_column": {"nl": "onbekende kolom {name}", "en": "unknown column {name}"},
    "unknown_column_hint": {"nl": "onbekende kolom {name} (bedoelt u {close}?)", "en": "unknown column {name} (did you mean {close}?)"},
    "duplicate_column": {"nl": "kolomnaam {name} komt meer dan eens voor", "en": "column name {name} occurs more than once"},
    "geometry_column": {"nl": "kolom {name} is een geometrie; vergelijk een gewone kolom",
                        "en": "column {name} is a geometry; compare an ordinary column"},
    "not_boolean": {"nl": "kolom {name} is geen ja/nee-kolom: vergelijk hem, bijvoorbeeld {name} > 0",
                    "en": "column {name} is no yes/no column: compare it, for example {name} > 0"},
    "numbers_vs_text": {"nl": "kolom {name} bevat getallen; vergelijk met een getal zonder aanhalingstekens, niet met '{value}'",
                        "en": "column {name} holds numbers; compare with a number without quotes, not with '{value}'"},
    "text_vs_number": {"nl": "kolom {name} bevat tekst; zet {value} tussen aanhalingstekens: '{value}'",
                       "en": "column {name} holds text; put {value} in quotes: '{value}'"},
    "column_kinds": {"nl": "kolommen {left} en {right} zijn niet van hetzelfde soort (getal tegenover tekst)",
                     "en": "columns {left} and {right} are not of the same kind (number against text)"},
    "incomparable": {"nl": "deze waarden zijn niet te vergelijken (getal tegenover tekst?)",
                     "en": "these values cannot be compared (number against text?)"},
}
_POSITION = {"nl": "positie {position}: {message}", "en": "position {position}: {message}"}


class ExpressionError(ValueError):
    """A wrong expression: ``position`` is the 1-based character where the problem is, ``code``
    the kind of problem (a key of :data:`MESSAGES`); ``str()`` is the Dutch line."""

    def __init__(self, code: str, position: int, **values):
        self.code, self.position, self.values = code, position, values
        super().__init__(self.text("nl"))

    @property
    def reason(self) -> str:
        return self.message("nl")

    def message(self, language: str = "nl") -> str:
        """What is wrong, without the position, in ``language`` ("nl" or "en")."""
        table = MESSAGES[self.code]
        values = {k: (_END.get(language, _END["nl"]) if v is None else v) for k, v in self.values.items()}
        return table.get(language, table["nl"]).format(**values)

    def text(self, language: str = "nl") -> str:
        """``"positie 12: verwacht ')' …"`` in ``language``."""
        return _POSITION.get(language, _POSITION["nl"]).format(position=self.position, message=self.message(language))


# -- tokens ----------------------------------------------------------------------------------
KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE"}
_COMPARISONS = ("<=", ">=", "!=", "<>", "=", "<", ">")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<name>[^\W\d]\w*)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<punct>[(),-])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, column, keyword, op, punct, end
    value: object
    position: int  # 1-based


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos] in "'\"":
                raise ExpressionError("unclosed_quote", pos + 1, quote=text[pos])
            raise ExpressionError("bad_char", pos + 1, char=repr(text[pos]))
        kind, raw = match.lastgroup, match.group(0)
        if kind == "number":
            tokens.append(_Token("number", float(raw) if any(c in raw for c in ".eE") else int(raw), pos + 1))
        elif kind == "string":
            tokens.append(_Token("string", raw[1:-1].replace("''", "'"), pos + 1))
        elif kind == "quoted":
            name = raw[1:-1].replace('""', '"')
            if not name:
                raise ExpressionError("empty_name", pos + 1)
            tokens.append(_Token("column", name, pos + 1))
        elif kind == "name":
            upper = raw.upper()
            tokens.append(_Token("keyword", upper, pos + 1) if upper in KEYWORDS else _Token("column", raw, pos + 1))
        elif kind in ("op", "punct"):
            tokens.append(_Token(kind, raw, pos + 1))
        pos = match.end()
    tokens.append(_Token("end", None, len(text) + 1))
    return tokens


# -- tree ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Literal:
    value: object  # int, float or str
    position: int


@dataclass(frozen=True)
class Column:
    name: str
    position: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: "Operand"
    right: "Operand"
    position: int


@dataclass(frozen=True)
class InList:
    operand: "Operand"
    values: tuple[Literal, ...]
    negated: bool
    position: int


@dataclass(frozen=True)
class IsNull:
    operand: "Operand"
    negated: bool
    position: int


@dataclass(frozen=True)
class Like:
    operand: "Operand"
    pattern: str
    negated: bool
    case_sensitive: bool
    position: int


@dataclass(frozen=True)
class Not:
    operand: "Node"
    position: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # "AND" or "OR"
    operands: tuple["Node", ...]
    position: int


Operand = Union[Literal, Column]
Node = Union[Compare, InList, IsNull, Like, Not, BoolOp, Column]


def _describe(token: _Token) -> str | None:
    """The token as a message shows it; None for the end of the text (named per language)."""
    if token.kind == "end":
        return None
    if token.kind == "string":
        return f"'{token.value}'"
    return str(token.value)


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenise(text)
        self.i = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at(self, kind: str, value=None) -> bool:
        token = self.token
        return token.kind == kind and (value is None or token.value == value)

    def expect(self, kind: str, value, code: str) -> _Token:
        if not self.at(kind, value):
            raise ExpressionError(code, self.token.position, found=_describe(self.token))
        return self.take()

    def parse(self) -> Node:
        if self.at("end"):
            raise ExpressionError("empty", 1)
        node = self.or_()
        if not self.at("end"):
            raise ExpressionError("trailing", self.token.position, found=_describe(self.token))
        return node

    def or_(self) -> Node:
        first = self.token.position
        parts = [self.and_()]
        while self.at("keyword", "OR"):
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else BoolOp("OR", tuple(parts), first)

    def and_(self) -> Node:
        first = self.token.position
        parts = [self.not_()]
        while self.at("keyword", "AND"):
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else BoolOp("AND", tuple(parts), first)

    def not_(self) -> Node:
        if self.at("keyword", "NOT"):
            position = self.take().position
            return Not(self.not_(), position)
        return self.predicate()

    def predicate(self) -> Node:
        if self.at("punct", "("):
            self.take()
            node = self.or_()
            self.expect("punct", ")", "expected_close")
            return node
        left = self.operand()
        token = self.token
        if token.kind == "op":
            self.take()
            op = "!=" if token.value == "<>" else token.value
            return Compare(op, left, self.operand(), token.position)
        negated = False
        if self.at("keyword", "NOT"):
            self.take()
            negated = True
            if not (self.at("keyword", "IN") or self.at("keyword", "LIKE") or self.at("keyword", "ILIKE")):
                raise ExpressionError("not_in_like", self.token.position, found=_describe(self.token))
        if self.at("keyword", "IN"):
            return self.in_list(left, negated)
        if self.at("keyword", "LIKE") or self.at("keyword", "ILIKE"):
            keyword = self.take()
            pattern = self.token
            if pattern.kind != "string":
                raise ExpressionError("like_text", pattern.position, keyword=keyword.value, found=_describe(pattern))
            self.take()
            return Like(left, str(pattern.value), negated, keyword.value == "LIKE", keyword.position)
        if self.at("keyword", "IS"):
            position = self.take().position
            is_not = False
            if self.at("keyword", "NOT"):
                self.take()
                is_not = True
            self.expect("keyword", "NULL", "expected_null")
            return IsNull(left, is_not, position)
        if isinstance(left, Column):
            return left  # a bare column: allowed for a column of true/false
        raise ExpressionError("comparison_after", token.position, operand=_describe_operand(left))

    def in_list(self, left: Operand, negated: bool) -> InList:
        position = self.take().position
        self.expect("punct", "(", "expected_open_in")
        values = [self.literal()]
        while self.at("punct", ","):
            self.take()
            values.append(self.literal())
        self.expect("punct", ")", "expected_list_end")
        return InList(left, tuple(values), negated, position)

    def literal(self) -> Literal:
        node = self.operand()
        if not isinstance(node, Literal):
            raise ExpressionError("list_literal", node.position, name=node.name)
        return node

    def operand(self) -> Operand:
        token = self.token
        if token.kind == "punct" and token.value == "-":
            self.take()
            number = self.token
            if number.kind != "number":
                raise ExpressionError("minus_number", number.position, found=_describe(number))
            self.take()
            return Literal(-number.value, token.position)
        if token.kind in ("number", "string"):
            self.take()
            return Literal(token.value, token.position)
        if token.kind == "column":
            self.take()
            return Column(str(token.value), token.position)
        if token.kind == "keyword" and token.value == "NULL":
            raise ExpressionError("null_compare", token.position)
        raise ExpressionError("operand", token.position, found=_describe(token))


def _describe_operand(node: Operand) -> str:
    return node.name if isinstance(node, Column) else repr(node.value)


def parse(text: str) -> Node:
    """The tree of ``text``; :class:`ExpressionError` when it is not a valid expression."""
    if not isinstance(text, str):
        raise ExpressionError("not_text", 1, kind=type(text).__name__)
    return _Parser(text).parse()


def columns_in(node: Node) -> set[str]:
    """The column names ``node`` reads."""
    if isinstance(node, Column):
        return {node.name}
    if isinstance(node, Literal):
        return set()
    if isinstance(node, Compare):
        return columns_in(node.left) | columns_in(node.right)
    if isinstance(node, (InList, IsNull, Like)):
        return columns_in(node.operand)
    if isinstance(node, Not):
        return columns_in(node.operand)
    return set().union(*(columns_in(part) for part in node.operands))


# -- evaluation ------------------------------------------------------------------------------
def evaluate(expression: str | Node, frame: pd.DataFrame) -> np.ndarray:
    """A boolean array (one value per row of ``frame``): the rows for which ``expression`` holds.

    Raises :class:`ExpressionError` for a wrong expression, an unknown column (with the position)
    or a comparison of a number column with text.
    """
    node = parse(expression) if isinstance(expression, str) else expression
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(Translatable("expressie werkt op een tabel (pandas DataFrame), niet op {kind}", kind=type(frame).__name__))
    return _Evaluator(frame).predicate(node)


def select(expression: str | Node, frame: pd.DataFrame) -> np.ndarray:
    """The positional row numbers (0 … n-1) of ``frame`` for which ``expression`` holds."""
    return np.flatnonzero(evaluate(expression, frame))


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


class _Evaluator:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.n = len(frame)

    def column(self, node: Column) -> pd.Series:
        if node.name not in self.frame.columns:
            close = [c for c in map(str, self.frame.columns) if c.lower() == node.name.lower()]
            if close:
                raise ExpressionError("unknown_column_hint", node.position, name=node.name, close=close[0])
            raise ExpressionError("unknown_column", node.position, name=node.name)
        series = self.frame[node.name]
        if isinstance(series, pd.DataFrame):
            raise ExpressionError("duplicate_column", node.position, name=node.name)
        if str(series.dtype) == "geometry":
            raise ExpressionError("geometry_column", node.position, name=node.name)
        return series

    def predicate(self, node: Node) -> np.ndarray:
        true, _false = self.truth(node)
        return true

    def truth(self, node: Node) -> tuple[np.ndarray, np.ndarray]:
        """(rows where ``node`` is true, rows where it is false); a row in neither is unknown
        (SQL's three-valued logic: ``NOT bouwjaar < 1945`` does not select a missing bouwjaar)."""
        if isinstance(node, BoolOp):
            parts = [self.truth(part) for part in node.operands]
            trues, falses = [p[0] for p in parts], [p[1] for p in parts]
            if node.op == "AND":
                return np.logical_and.reduce(trues), np.logical_or.reduce(falses)
            return np.logical_or.reduce(trues), np.logical_and.reduce(falses)
        if isinstance(node, Not):
            true, false = self.truth(node.operand)
            return false, true
        if isinstance(node, IsNull):
            missing = self.values(node.operand).isna().to_numpy(dtype=bool) if isinstance(node.operand, Column) \
                else np.full(self.n, False)
            return (~missing, missing) if node.negated else (missing, ~missing)
        if isinstance(node, Compare):
            hit, known = self.compare(node)
        elif isinstance(node, InList):
            hit, known = self.in_list(node)
        elif isinstance(node, Like):
            hit, known = self.like(node)
        elif isinstance(node, Column):
            hit, known = self.boolean_column(node)
        else:
            raise ExpressionError("comparison", getattr(node, "position", 1))
        if getattr(node, "negated", False):
            hit = ~hit
        return hit & known, ~hit & known

    def boolean_column(self, node: Column) -> tuple[np.ndarray, np.ndarray]:
        series = self.column(node)
        known = series.notna()
        if not pd.api.types.is_bool_dtype(series) and not (known.any() and series[known].map(type).eq(bool).all()):
            raise ExpressionError("not_boolean", node.position, name=node.name)
        return series.where(known, False).astype(bool).to_numpy(), known.to_numpy(dtype=bool)

    def values(self, node: Operand):
        return self.column(node) if isinstance(node, Column) else node.value

    def check_types(self, column: Column, literal: Literal) -> None:
        series = self.column(column)
        if _is_numeric(series) and isinstance(literal.value, str):
            raise ExpressionError("numbers_vs_text", literal.position, name=column.name, value=literal.value)
        if not _is_numeric(series) and not pd.api.types.is_bool_dtype(series) and isinstance(literal.value, (int, float)):
            if series.dropna().map(lambda v: isinstance(v, str)).any():
                raise ExpressionError("text_vs_number", literal.position, name=column.name, value=literal.value)

    def compare(self, node: Compare) -> tuple[np.ndarray, np.ndarray]:
        left, right = node.left, node.right
        for a, b in ((left, right), (right, left)):
            if isinstance(a, Column) and isinstance(b, Literal):
                self.check_types(a, b)
        lhs, rhs = self.values(left), self.values(right)
        if not isinstance(lhs, pd.Series) and not isinstance(rhs, pd.Series):
            return np.full(self.n, _compare_scalars(node.op, lhs, rhs, node.position)), np.full(self.n, True)
        if isinstance(lhs, pd.Series) and isinstance(rhs, pd.Series) and _is_numeric(lhs) != _is_numeric(rhs):
            raise ExpressionError("column_kinds", node.position, left=left.name, right=right.name)
        known = _known(lhs, self.n) & _known(rhs, self.n)
        try:
            result = _OPS[node.op](lhs, rhs)
        except TypeError:
            raise ExpressionError("incomparable", node.position) from None
        return np.asarray(result, dtype=bool), known

    def in_list(self, node: InList) -> tuple[np.ndarray, np.ndarray]:
        values = [literal.value for literal in node.values]
        if isinstance(node.operand, Column):
            for literal in node.values:
                self.check_types(node.operand, literal)
            series = self.column(node.operand)
            return series.isin(values).to_numpy(dtype=bool), _known(series, self.n)
        return np.full(self.n, node.operand.value in values), np.full(self.n, True)

    def like(self, node: Like) -> tuple[np.ndarray, np.ndarray]:
        regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in node.pattern)
        flags = 0 if node.case_sensitive else re.IGNORECASE
        if isinstance(node.operand, Column):
            series = self.column(node.operand)
            known = _known(series, self.n)
            hit = series.astype(str).str.fullmatch(regex, flags=flags).fillna(False).to_numpy(dtype=bool)
            return hit & known, known
        hit = re.fullmatch(regex, str(node.operand.value), flags) is not None
        return np.full(self.n, hit), np.full(self.n, True)


_OPS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _known(values, n: int) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.notna().to_numpy(dtype=bool)
    return np.full(n, True)


def _compare_scalars(op: str, a, b, position: int) -> bool:
    if isinstance(a, str) != isinstance(b, str):
        raise ExpressionError("incomparable", position)
    return bool(_OPS[op](a, b))
