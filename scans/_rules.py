"""Shared helpers for rule tables: first failing rule, Dutch number formatting, functions.

A scan is a table of rules in order. Each rule is a boolean "fails" mask and a reason
(a fixed text or a function building texts for the failing rows only); a rule marked
:data:`ONBEKEND` is one whose input is missing at the masked rows ("… onbekend (…)"). The
reason of a building is the first rule it fails for certain; a building that fails none
for certain but lacks an input is *onbekend* (the first missing input is its reason); else
``"kandidaat"``. One numpy pass per rule, never a Python loop per building. Reasons are kept as codes into a small table of texts
(:class:`Reasons`) and become a categorical column of those texts (:func:`text_array`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, Union

import numpy as np
import pandas as pd

KANDIDAAT = "kandidaat"

#: Third element of a rule tuple ``(mask, reason, ONBEKEND)``: the masked rows lack the
#: rule's input (unknown, not failed; see :func:`first_failure`).
ONBEKEND = True

#: BAG gebruiksdoelen of a verblijfsobject, in catalogue order.
FUNCTIES = (
    "woonfunctie",
    "bijeenkomstfunctie",
    "celfunctie",
    "gezondheidszorgfunctie",
    "industriefunctie",
    "kantoorfunctie",
    "logiesfunctie",
    "onderwijsfunctie",
    "sportfunctie",
    "winkelfunctie",
    "overige gebruiksfunctie",
)

Reason = Union[str, Callable[[np.ndarray], "Reasons | pd.Series | np.ndarray | list[str]"]]


def functie_key(functie: str) -> str:
    """Column-safe key of a gebruiksdoel (``"overige gebruiksfunctie"`` → ``"overige_gebruiksfunctie"``)."""
    return functie.replace(" ", "_")


class Reasons(NamedTuple):
    """A text per row stored as codes into a small table of distinct texts: ``texts[codes]``.

    Reason columns repeat a few hundred texts over a million rows; keeping them coded
    avoids a Python string per row (pandas 3 converts every one of them to Arrow).
    """

    texts: list
    codes: np.ndarray
    #: per text: True for the reason of a rule whose input is missing (None: none is)
    onbekend: "np.ndarray | None" = None

    def unknown(self) -> np.ndarray:
        """True per row whose reason is an unknown input (the building could not be judged)."""
        if self.onbekend is None:
            return np.zeros(len(self.codes), dtype=bool)
        return np.asarray(self.onbekend, dtype=bool)[self.codes]

    def array(self) -> "pd.api.extensions.ExtensionArray":
        """The texts per row as a categorical (see :func:`text_array`)."""
        return text_array(self.texts, self.codes)


def first_failure(n: int, rules: Sequence[tuple]) -> Reasons:
    """Reason per row: the first rule whose mask is True, else ``"kandidaat"`` (code 0).

    A rule is ``(mask, reason)`` or ``(mask, reason, ONBEKEND)``. Rules of the second form
    mark rows whose input is missing: a row takes the first plain rule it fails, in order,
    and only a row that fails none gets the first unknown rule it is masked by (its text
    flagged in :attr:`Reasons.onbekend`). So a building that fails a rule for certain is
    judged, whatever else is unknown about it; a masked fact rule must therefore be False
    where its own input is missing.

    ``reason`` may be a callable receiving the integer positions of the rows that fail
    this rule first; it returns their texts (so values are formatted only where needed),
    either per row or already coded as :class:`Reasons` (see :func:`by_value`).
    """
    texts: list = [KANDIDAAT]
    unknown_text: list[bool] = [False]
    codes = np.zeros(n, dtype="int64")
    decided = np.zeros(n, dtype=bool)
    facts = [rule for rule in rules if len(rule) < 3 or not rule[2]]
    unknowns = [rule for rule in rules if len(rule) >= 3 and rule[2]]
    for group, flag in ((facts, False), (unknowns, True)):
        for mask, reason, *_ in group:
            mask = np.asarray(mask, dtype=bool)
            pos = np.flatnonzero(mask & ~decided)
            if pos.size:
                start = len(texts)
                if isinstance(reason, str):
                    codes[pos] = start
                    texts.append(reason)
                else:
                    found = reason(pos)
                    if not isinstance(found, Reasons):
                        found = _coded_texts(found)
                    codes[pos] = start + np.asarray(found.codes, dtype="int64")
                    texts.extend(found.texts)
                unknown_text += [flag] * (len(texts) - start)
            decided |= mask
    return Reasons(texts, codes, np.asarray(unknown_text, dtype=bool) if any(unknown_text) else None)


def estimate_texts(n: int, estimates: Sequence[tuple[np.ndarray, str]], homes: np.ndarray) -> Reasons:
    """Where each row's homes come from, as coded texts: ``""`` for rows without homes,
    ``"gemeten"`` when no estimate applies, else ``"geschat: "`` and the estimates that apply
    (``"; "``-joined, in the order given). ``estimates`` are (mask, description) pairs."""
    bits = np.zeros(n, dtype="int64")
    for k, (mask, _) in enumerate(estimates):
        bits |= np.asarray(mask, dtype=bool).astype("int64") << k
    # code 0: no homes; 1 + bits: the combination of estimates (a table of 2**k + 1 texts)
    codes = np.where(np.asarray(homes) > 0, bits + 1, 0)
    table = [""]
    for combo in range(2 ** len(estimates)):
        used = [text for k, (_, text) in enumerate(estimates) if combo >> k & 1]
        table.append("geschat: " + "; ".join(used) if used else "gemeten")
    return Reasons(table, codes)


class ScanOutcome(NamedTuple):
    """What a scan's ``run_coded`` returns: homes per building, the reasons (coded, with the
    unknown ones flagged) and where the homes come from (coded, see :func:`estimate_texts`)."""

    homes: np.ndarray
    reasons: Reasons
    bron: Reasons


def scan_frame(name: str, outcome: ScanOutcome, index: pd.Index) -> pd.DataFrame:
    """A scan's per-building frame: ``<name>_woningen``, ``<name>_reden``, ``<name>_onbekend``
    (True where the building could not be judged) and ``<name>_bron`` (gemeten / geschat: …,
    empty without homes)."""
    return pd.DataFrame({
        f"{name}_woningen": outcome.homes,
        f"{name}_reden": outcome.reasons.array(),
        f"{name}_onbekend": outcome.reasons.unknown(),
        f"{name}_bron": outcome.bron.array(),
    }, index=index)


def framed_run(name: str, run_coded: Callable) -> Callable:
    """A scan's public ``run(buildings, inputs=None, params=None, feedback=None)``: its
    ``run_coded`` as the per-building frame of :func:`scan_frame` (``<name>_woningen``,
    ``_reden``, ``_onbekend``, ``_bron``, index of ``buildings``). Each scan module defines only
    its rules (``run_coded``) and takes ``run = framed_run(NAME, run_coded)``."""

    def run(buildings: pd.DataFrame, inputs=None, params=None, feedback=None) -> pd.DataFrame:
        return scan_frame(name, run_coded(buildings, inputs, params, feedback), buildings.index)

    run.__name__ = run.__qualname__ = "run"
    run.__module__ = run_coded.__module__
    run.__doc__ = (f"``{name}_woningen``, ``{name}_reden``, ``{name}_onbekend`` and ``{name}_bron`` per building "
                   f"(index of ``buildings``): :func:`run_coded` as a frame.")
    return run


#: Reason of a monument left out by a scenario, and the estimate when no monument layer says.
MONUMENT_UITGESLOTEN = "rijksmonument (uitgesloten in dit scenario)"
MONUMENT_AANGENOMEN = "geen rijksmonument aangenomen (geen laag monumenten)"


def monument_rules(exclude: bool, monument: pd.Series) -> list[tuple]:
    """The rule of the scenario option ``monumenten_uitsluiten`` (none when off)."""
    if not exclude:
        return []
    return [(monument.to_numpy(dtype=bool, na_value=False), MONUMENT_UITGESLOTEN)]


def monument_assumed(exclude: bool, monument: pd.Series) -> np.ndarray:
    """Rows whose homes rest on the assumption "no monument": the option is on and no layer says."""
    return np.asarray(monument.isna().to_numpy(), dtype=bool) & exclude


def _coded_texts(values) -> Reasons:
    """Per-row texts (array, list or pandas array) as :class:`Reasons`; missing values stay
    missing (each keeps its own entry, so ``None`` and ``NaN`` are never merged)."""
    if not isinstance(values, pd.api.extensions.ExtensionArray):
        values = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(values)  # missing values get code -1
    table = list(np.asarray(uniques, dtype=object))
    missing = np.flatnonzero(codes < 0)
    if missing.size:
        codes = codes.copy()
        codes[missing] = len(table) + np.arange(missing.size)
        table += list(np.asarray(values[missing], dtype=object))
    return Reasons(table, codes)


def per_distinct(build: Callable[..., "np.ndarray | list[str]"], *values: np.ndarray) -> Reasons:
    """Texts that depend only on ``values`` (same-length arrays) at each row: ``build`` is
    called once with the values of one representative row per distinct combination and
    returns one text per combination. Floats are grouped by exact value (see
    :func:`distinct`), object arrays by equality (missing values each on their own)."""
    n = len(values[0])
    group = np.zeros(n, dtype="int64")
    for value in values:
        value = np.asarray(value)
        if value.dtype == object:
            codes = _coded_texts(value).codes
        else:
            codes = distinct(value)[1]
        # combine with the groups so far and renumber densely (keys stay below n²)
        group = distinct(group * (int(codes.max(initial=0)) + 1) + codes)[1]
    rep = np.empty(int(group.max(initial=-1)) + 1, dtype="int64")
    rep[group] = np.arange(n)
    texts = build(*(np.asarray(value)[rep] for value in values))
    return Reasons(list(np.asarray(texts, dtype=object)), group)


def by_value(build: Callable[..., "np.ndarray | list[str]"], *values: np.ndarray) -> Callable[[np.ndarray], Reasons]:
    """A rule reason whose text depends only on ``values`` (full-length arrays) at the row:
    ``build`` formats each distinct value (combination) once (see :func:`per_distinct`)."""
    return lambda pos: per_distinct(build, *(np.asarray(value)[pos] for value in values))


def column_at(column: pd.Series) -> Callable[[np.ndarray], "pd.api.extensions.ExtensionArray"]:
    """A rule reason taking the row's text from ``column`` (only the failing rows are read,
    without converting the whole column to Python strings)."""
    return lambda pos: column.array.take(pos)


def distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, inverse) of a 1-D numeric array, by one stable sort.

    Like numpy's unique with ``return_inverse`` but several times faster on millions of
    rows (numpy 2 hashes and then sorts); NaNs stay separate entries.
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.empty(ordered.size, dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    inverse = np.empty(values.size, dtype="int64")
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def fmt_num(values: "np.ndarray | pd.Series", decimals: int = 1) -> np.ndarray:
    """Numbers as Dutch text: decimal comma, no trailing ``,0`` (vectorised)."""
    arr = np.round(np.asarray(values, dtype="float64"), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    # formatting is per element and slow; areas, years and depths repeat a lot: format each
    # distinct value once and broadcast back
    if not arr.size:
        return np.zeros(arr.shape, dtype=object)
    values, inverse = distinct(arr.ravel())
    text = np.char.mod(f"%.{decimals}f", values)
    if decimals:
        text = np.char.rstrip(np.char.rstrip(text, "0"), ".")
    return np.char.replace(text, ".", ",").astype(object)[inverse].reshape(arr.shape)


def fmt_scalar(value: float, decimals: int = 1) -> str:
    """One number as Dutch text (``2.5`` → ``"2,5"``, ``150.0`` → ``"150"``)."""
    return str(fmt_num(np.array([value]), decimals)[0])


def year_text(values: "np.ndarray | pd.Series") -> np.ndarray:
    """Years as text without decimals."""
    arr = np.asarray(values, dtype="float64")
    if not arr.size:
        return np.zeros(arr.shape, dtype=object)
    values, inverse = distinct(arr.ravel())
    return np.char.mod("%d", values).astype(object)[inverse].reshape(arr.shape)


def by_unique(values: "pd.Series | np.ndarray", func: Callable[[pd.Series], "pd.Series | np.ndarray"]) -> np.ndarray:
    """Apply a string function once per distinct value and broadcast back.

    Text columns (gebruiksdoel, status, dak_type) have a handful of distinct values over
    thousands of rows; pandas string methods are per element, so this is the fast path.
    Missing values are passed to ``func`` as ``""``.
    """
    codes, uniques = distinct_values(values)  # missing values get code -1
    # the last entry stands for "missing", so code -1 picks it
    texts = [str(u) for u in uniques] + [""]
    result = np.asarray(func(pd.Series(texts, dtype=object)))
    return result[codes]


def distinct_values(values: "pd.Series | np.ndarray | pd.Categorical") -> tuple[np.ndarray, np.ndarray]:
    """(code per row, distinct values) with code -1 for a missing value, as ``pd.factorize``;
    a categorical column gives its own codes and categories (no pass over a million texts)."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        array = values.array if isinstance(values, pd.Series) else values
        return np.asarray(array.codes, dtype=np.intp), np.asarray(array.categories, dtype=object)
    return pd.factorize(np.asarray(values, dtype=object))


def text_array(texts: Sequence[str], codes: np.ndarray) -> pd.Categorical:
    """``texts[codes]`` as a categorical column: the few distinct texts once, a small integer
    code per row. Reason and zone columns repeat a few hundred texts over a million rows; as
    plain text they would hold (and first touch) every row's bytes, ~0.3 GB at 1M panden. The
    GeoPackage write turns them into text a slice at a time.

    The categories are the texts that occur, sorted, so equal values give equal columns
    whatever the row order or the table of texts (see :func:`concat_frames`)."""
    table = np.asarray(list(texts), dtype=object)
    codes = np.asarray(codes, dtype="int64")
    if not table.size:
        return pd.Categorical.from_codes(codes, categories=pd.Index([], dtype="str"))
    if codes.size and codes.min() < 0:  # from the end, as a take
        codes = np.where(codes < 0, codes + table.size, codes)
    used = np.flatnonzero(np.bincount(codes, minlength=table.size))
    categories, position = np.unique(table[used].astype(str), return_inverse=True)
    category_of = np.full(table.size, -1, dtype="int64")
    category_of[used] = position.ravel()
    return pd.Categorical.from_codes(category_of[codes], categories=pd.Index(categories.astype(object), dtype="str"))


def concat_frames(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)`` that keeps categorical columns categorical,
    with the sorted union of the texts the parts use (what :func:`text_array` gives for the
    whole; parts cut from a larger frame may list texts they no longer use): the partitioned
    run gives the frame the single run gives."""
    frames = list(frames)
    out = pd.concat(frames, ignore_index=True)
    for name in frames[0].columns if frames else ():
        parts = [frame[name] for frame in frames]
        if all(isinstance(part.dtype, pd.CategoricalDtype) for part in parts):
            out[name] = pd.api.types.union_categoricals([part.array for part in parts],
                                                        sort_categories=True).remove_unused_categories()
    return out


def normalise_functies(values: pd.Series) -> pd.Series:
    """Comma-joined gebruiksdoelen lower-cased, without spaces around commas, '' when missing."""

    def norm(u: pd.Series) -> np.ndarray:
        return u.str.lower().str.replace(r"\s*,\s*", ",", regex=True).str.strip().to_numpy(dtype=object)

    return pd.Series(by_unique(values, norm), index=getattr(values, "index", None), dtype=object)


def has_functie(normalised: pd.Series, functie: str) -> np.ndarray:
    """True where the (normalised) comma-joined list contains ``functie``."""
    return by_unique(normalised, lambda u: ("," + u + ",").str.contains("," + functie + ",", regex=False).to_numpy(dtype=bool)).astype(bool)


def n_functies(normalised: pd.Series) -> np.ndarray:
    """Number of functions in each normalised list (0 for '')."""

    def count(u: pd.Series) -> np.ndarray:
        counts = u.str.count(",").to_numpy(dtype="int64") + 1
        return np.where(u.to_numpy(dtype=object) == "", 0, counts)

    return by_unique(normalised, count).astype("int64")


def isin_lower(values: "pd.Series | np.ndarray", allowed) -> np.ndarray:
    """Case- and space-insensitive membership test (missing values are never members)."""
    allowed = {a.strip().lower() for a in allowed}
    return by_unique(values, lambda u: u.str.strip().str.lower().isin(allowed).to_numpy(dtype=bool)).astype(bool)


def isin_lower_many(values: "pd.Series | np.ndarray", *allowed_sets) -> list[np.ndarray]:
    """:func:`isin_lower` for several sets of allowed values, distinct values found once."""
    codes, uniques = distinct_values(values)
    key = pd.Series([str(u) for u in uniques] + [""], dtype=object).str.strip().str.lower()
    idx = np.where(codes < 0, len(uniques), codes)
    return [key.isin({a.strip().lower() for a in allowed}).to_numpy(dtype=bool)[idx] for allowed in allowed_sets]


def as_float(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 array, all-NaN when absent (3D BAG columns are often missing)."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def as_text(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as object strings with None for missing."""
    if column not in df.columns:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    col = df[column].astype(object)
    return col.where(df[column].notna(), None)


def as_text_categories(df: pd.DataFrame, column: str) -> pd.Series:
    """A text column as a categorical: its distinct texts, sorted, once (as :func:`text_array`
    gives them), a code per row, missing values missing. From one pass over the values; the
    rules that test them (:func:`isin_lower`, :func:`by_unique`) then work on the few texts,
    and the GeoPackage write takes them without converting a million strings. Values that are
    not all text (or no such column) give :func:`as_text`'s object column."""
    if column not in df.columns:
        return as_text(df, column)
    codes, uniques = pd.factorize(df[column])
    uniques = np.asarray(uniques, dtype=object)
    if not all(isinstance(value, str) for value in uniques):
        return as_text(df, column)
    missing = codes < 0
    # text_array's canonical form (every distinct value occurs), then the missing rows missing
    present = text_array(uniques, np.where(missing, 0, codes)) if len(uniques) else text_array([], codes)
    column = pd.Categorical.from_codes(np.where(missing, -1, present.codes), dtype=present.dtype)
    return pd.Series(column, index=df.index)


def whole(values: "np.ndarray | pd.Series") -> np.ndarray:
    """floor() that tolerates float noise (139.99999999 m² / 70 is 2, not 1); NaN → 0."""
    arr = np.floor(np.asarray(values, dtype="float64") + 1e-9)
    return np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)
