"""Layer roles: canonical schemas and the mapping of real column names onto them.

A project binds data sources to roles (``gebouwen``, ``gebieden``, …). Each role has a
canonical schema; :func:`map_columns` recognises the real names used by BAG, 3D BAG (with
and without the ``b3_`` prefix), CBS (snake_case, camelCase and the old capitals) and
others, converts the values to the canonical kind and turns sentinel values into missing
values, counting them.

Conventions after mapping
-------------------------
* Every canonical column of the role exists; columns the source lacks are all-missing
  (and listed in the :class:`ColumnReport`). Other source columns are kept unchanged.
* ``"id"`` columns are strings (``pand_id``/``vbo_id``: 16 digits), ``"str"`` columns are
  stripped strings, missing = NaN.
* ``"int"`` and ``"float"`` columns are ``float64`` with NaN for missing, so numpy code
  works on them directly; ``"int"`` values are whole numbers.
* ``"bool"`` columns use pandas' nullable ``"boolean"`` dtype.
* ``netcongestie.status_afname`` (and ``status_opwek``) is an ``int64`` code:
  −1 geen info, 0 beschikbaar, 1 beperkt, 2 congestiemanagement/onderzoek, 3 tekort
  (wachtrij). Colour names of the capaciteitskaart map as ``groen``/``wit``/``transparant``
  → 0, ``geel`` → 1, ``oranje`` → 2, ``rood`` → 3, ``grijs`` → −1; missing or unknown → −1
  (counted as sentinel when a value was present but not understood).
* ``water_bodem.klasse`` is ``ja`` / ``ja_mits`` / ``nee_tenzij``. The national
  afwegingskader classes map 0 → ja, A/B/C → ja_mits, D → nee_tenzij, and the letter is
  kept in ``klasse_ernst`` (NaN for rows given as text classes).
* ``locaties.betaalbaar_aandeel`` is a fraction 0–1; percentages (all values ≤ 100 and
  some > 1) are divided by 100 with a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from layers.messages import LoadReport
from layers.texts import Translatable

Kind = Literal["str", "int", "float", "bool", "id"]
GeometryKind = Literal["polygon", "point", "table", "raster"]

#: CBS sentinels (2025: −99997; older: −99999, −99999999): missing, never numbers.
CBS_SENTINELS = (-99997.0, -99998.0, -99999.0, -99999999.0)
#: Text values that mean "unknown" in any column.
TEXT_SENTINELS = ("onbekend", "unknown", "n.v.t.", "nvt", "-", "")


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column of a role.

    Parameters
    ----------
    canonical : name after mapping.
    aliases : real names recognised, in order of preference (case, ``_`` and camelCase
        do not matter: ``aantalInwoners`` matches ``aantal_inwoners``).
    kind : ``"str"``, ``"int"``, ``"float"``, ``"bool"`` or ``"id"``.
    required : whether the role cannot work without it.
    missing_values : extra numeric values meaning "unknown" (e.g. bouwjaar 9999).
    missing_at_or_below : numeric values at or below this mean "unknown" (bouwjaar ≤ 1005).
    missing_above : numeric values above this cannot be true (a verblijfsobject of 10¹² m²)
        and are read as "unknown", counted like the sentinels.
    """

    canonical: str
    aliases: tuple[str, ...] = ()
    kind: Kind = "str"
    required: bool = False
    missing_values: tuple[float, ...] = ()
    missing_at_or_below: float | None = None
    missing_above: float | None = None


@dataclass(frozen=True)
class RoleSchema:
    """The canonical schema of one role.

    ``one_of`` lists groups of canonical columns of which at least one must be present
    (portefeuille: ``pand_id`` or ``vbo_id``).
    """

    name: str
    geometry: GeometryKind
    columns: dict[str, ColumnSpec]
    one_of: tuple[tuple[str, ...], ...] = ()
    label: str = ""


@dataclass
class ColumnReport:
    """What :func:`map_columns` found.

    Attributes
    ----------
    found : canonical name -> source column it came from.
    missing_required, missing_optional : canonical names absent from the source.
    sentinel_counts : canonical name -> number of values turned into missing.
    """

    found: dict[str, str] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    sentinel_counts: dict[str, int] = field(default_factory=dict)

    @property
    def total_sentinels(self) -> int:
        return int(sum(self.sentinel_counts.values()))

    def to_dict(self) -> dict:
        """Plain dict for JSON output."""
        return {
            "found": dict(self.found),
            "missing_required": list(self.missing_required),
            "missing_optional": list(self.missing_optional),
            "sentinel_counts": dict(self.sentinel_counts),
        }


def _col(canonical: str, *aliases: str, kind: Kind = "str", required: bool = False, **extra) -> ColumnSpec:
    return ColumnSpec(canonical, (canonical, *aliases), kind, required, **extra)


def _b3(canonical: str, kind: Kind = "float", *more: str, **extra) -> ColumnSpec:
    """A 3D BAG attribute, with and without the ``b3_`` prefix (renamed in release 2023.06)."""
    return _col(canonical, f"b3_{canonical}", *more, kind=kind, **extra)


#: Upper bounds beyond which a value cannot be true in the Netherlands (read as unknown):
#: the largest building (Aalsmeer flower auction) is about 0.5 km², the tallest about 220 m.
_MAX_AREA_M2 = 1_000_000.0
_MAX_HEIGHT_M = 500.0
_MAX_FLOORS = 200.0
_MAX_VBO_PER_PAND = 10_000.0


def _schema(name: str, geometry: GeometryKind, label: str, *specs: ColumnSpec, one_of=()) -> RoleSchema:
    return RoleSchema(name, geometry, {s.canonical: s for s in specs}, tuple(one_of), label)


ROLES: dict[str, RoleSchema] = {
    s.name: s
    for s in (
        _schema(
            "gebouwen", "polygon", "Gebouwen (BAG panden)",
            _col("pand_id", "identificatie", "pandidentificatie", "pandid", "bag_id", "bag_pand_id", kind="id", required=True),
            _col("bouwjaar", "oorspronkelijkbouwjaar", "oorspronkelijk_bouwjaar", "bouwjaar_pand", kind="int", required=True,
                 missing_values=(9999.0,), missing_at_or_below=1005.0),
            _col("status", "pandstatus", "status_pand"),
            _col("gebruiksdoel", "gebruiksdoelen", "gebruiksdoel_vbo"),
            _col("aantal_vbo", "aantal_verblijfsobjecten", "aantalverblijfsobjecten", "aant_vbo", kind="int",
                 missing_above=_MAX_VBO_PER_PAND),
            _col("oppervlakte_min", "opp_min", kind="float", missing_above=_MAX_AREA_M2),
            _col("oppervlakte_max", "opp_max", kind="float", missing_above=_MAX_AREA_M2),
            _b3("h_maaiveld"),
            _b3("h_dak_70p", missing_above=_MAX_HEIGHT_M),
            _b3("h_dak_max", missing_above=_MAX_HEIGHT_M),
            _b3("dak_type", "str", "daktype", "roof_type"),
            _b3("bouwlagen", "int", "aantal_bouwlagen", missing_above=_MAX_FLOORS),
            _b3("opp_dak_plat", missing_above=_MAX_AREA_M2),
            _b3("kas_warenhuis", "bool"),
        ),
        _schema(
            "verblijfsobjecten", "point", "Verblijfsobjecten (BAG)",
            _col("vbo_id", "identificatie", "verblijfsobjectidentificatie", "vboid", kind="id", required=True),
            _col("pand_id", "pandidentificatie", "pandid", "pand_identificatie", "pandidentificaties", kind="id", required=True),
            _col("gebruiksdoel", "gebruiksdoelen", required=True),
            _col("oppervlakte", "gbo", "oppervlakte_gbo", "gebruiksoppervlakte", kind="float", required=True,
                 missing_above=_MAX_AREA_M2),
            _col("status", "vbostatus", "status_vbo"),
        ),
        _schema(
            "gebieden", "polygon", "Gebieden (CBS buurten/wijken)",
            _col("gebied_code", "buurtcode", "bu_code", "wijkcode", "wk_code", "gemeentecode", "gm_code", "statcode",
                 "code", kind="id", required=True),
            _col("gebied_naam", "buurtnaam", "bu_naam", "wijknaam", "wk_naam", "gemeentenaam", "gm_naam", "statnaam",
                 "naam", "name"),
            _col("woningvoorraad", "aantal_woningen", "woningen", "won_totaal", kind="int"),
            _col("aantal_inwoners", "aant_inw", "inwoners", "bevolking", kind="int"),
            _col("water"),
        ),
        _schema(
            "netcongestie", "polygon", "Netcongestie (capaciteitskaart)",
            _col("status_afname", "afname", "congestie_afname", "status", "kleur_afname", "kleurcode", "kleur",
                 kind="int", required=True),
            _col("status_opwek", "opwek", "invoeding", "status_invoeding", "teruglevering", kind="int"),
            _col("postcode", "pc6"),
            _col("voedingsgebied_id", kind="id"),
            _col("voedingsgebied_naam"),
        ),
        _schema(
            "water_bodem", "polygon", "Water en bodem sturend",
            _col("klasse", "class", "categorie", "sturingsklasse", "afweging", required=True),
            _col("klasse_ernst", "ernst"),
            _col("thema", "indicator"),
            _col("mits_toelichting", "toelichting", "mitsen", "voorwaarden"),
            _col("bron", "waterschap", "source"),
            _col("scenario", "deltascenario"),
            _col("zichtjaar", "jaar", kind="int"),
        ),
        _schema("bodemdaling", "raster", "Bodemdaling (cm tot 2050)"),
        _schema("overstromingsdiepte", "raster", "Overstromingsdiepte (m)"),
        _schema("kwel", "raster", "Kwel"),
        _schema(
            "nplv", "polygon", "NPLV focusgebieden",
            _col("focusgebied", "focusgebied_naam", "nplv", "nplv_gebied", required=True),
            _col("gemeente", "gemeentenaam"),
            _col("gemeentecode", "gm_code", kind="id"),
        ),
        _schema(
            "erven", "polygon", "Erven (agrarisch / VAB)",
            _col("erf_id", "erfid", "perceel_id", kind="id"),
            _col("gebruik", "functie", "type"),
        ),
        _schema(
            "portefeuille", "table", "Portefeuille (corporatiebezit)",
            _col("pand_id", "pandidentificatie", "pandid", "bag_pand_id", kind="id"),
            _col("vbo_id", "verblijfsobjectidentificatie", "vboid", "identificatie", kind="id"),
            _col("complex", "complexnummer", "complex_id", "complexnaam", "complexcode"),
            one_of=(("pand_id", "vbo_id"),),
        ),
        _schema(
            # the register of rijksmonumenten is points; complexes and parcels come as polygons
            # too (both fit: see _geometry_fits); a pand touching one is flagged
            "monumenten", "point", "Rijksmonumenten",
            _col("monument_nummer", "rijksmonument_nummer", "monumentnummer", "rijksmonumentnummer", kind="id"),
            _col("monument_type", "monumenttype", "type_monument"),
        ),
        _schema(
            "locaties", "polygon", "Woningbouwlocaties",
            _col("naam", "projectnaam", "locatie", "name", "project", required=True),
            _col("geplande_woningen", "woningen", "aantal_woningen", "plancapaciteit", kind="int"),
            _col("betaalbaar_aandeel", "aandeel_betaalbaar", "betaalbaar", kind="float"),
            _col("start_bouw", "startbouw", "start", "bouwjaar_start", kind="int"),
            _col("planstatus", "status", "hardheid"),
        ),
    )
}

#: The role of a layer shown for reference only (a luchtfoto, a plan map, any file): no scan reads
#: it, its columns are kept as they are and no role is guessed for it. Not a key of ``ROLES``.
REFERENCE_ROLE = "referentie"

#: Layer names (e.g. in a GeoPackage) that indicate a role, in order of preference.
LAYER_NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "gebouwen": ("gebouwen", "pand", "panden", "bag_pand", "gebouw", "buildings", "lod22_2d", "lod13_2d", "lod12_2d"),
    "verblijfsobjecten": ("verblijfsobjecten", "verblijfsobject", "vbo", "vbos"),
    "gebieden": ("gebieden", "buurten", "buurt", "wijken", "wijk", "gemeenten", "gemeente"),
    "netcongestie": ("netcongestie", "congestie", "capaciteitskaart"),
    "water_bodem": ("water_bodem", "waterbodem", "water_en_bodem", "afwegingskader"),
    "nplv": ("nplv", "focusgebieden", "focusgebied"),
    "erven": ("erven", "erf", "boerenerven"),
    "portefeuille": ("portefeuille", "bezit"),
    "locaties": ("locaties", "woningbouwlocaties", "plannen"),
    "monumenten": ("monumenten", "rijksmonumenten", "monument"),
    "bodemdaling": ("bodemdaling",),
    "overstromingsdiepte": ("overstromingsdiepte", "overstroming"),
    "kwel": ("kwel",),
}

_ID_DIGITS = 16
_CAMEL = re.compile(r"[^a-z0-9]")


def column_key(name: str) -> str:
    """Normalised column name for matching: lower case without ``_``, spaces or punctuation."""
    return _CAMEL.sub("", str(name).lower())


def get_role(role: str) -> RoleSchema:
    """The schema of ``role``; ``ValueError`` naming the role when unknown."""
    try:
        return ROLES[role]
    except KeyError:
        raise ValueError(Translatable("onbekende rol '{role}'; kies uit: {roles}", role=role, roles=", ".join(ROLES))) from None


# --------------------------------------------------------------------------- matching


def match_columns(columns: Iterable[str], role: str, user_mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Canonical name -> source column for ``role`` (no data touched).

    A user mapping (canonical -> source) wins; otherwise the first alias present, each
    source column used at most once.
    """
    schema = get_role(role)
    columns = [c for c in columns if isinstance(c, str)]
    by_key: dict[str, str] = {}
    for col in columns:
        by_key.setdefault(column_key(col), col)
    used: set[str] = set()
    found: dict[str, str] = {}
    for canonical, source in (user_mapping or {}).items():
        found[canonical] = source
        used.add(source)
    for spec in schema.columns.values():
        if spec.canonical in found:
            continue
        for alias in spec.aliases:
            source = by_key.get(column_key(alias))
            if source is not None and source not in used:
                found[spec.canonical] = source
                used.add(source)
                break
    _match_truncated(columns, schema, found, used)
    return found


#: dBASE (.dbf) field names hold at most 10 characters: a Shapefile of BAG data says
#: ``oorspronke`` for ``oorspronkelijkbouwjaar``.
_DBF_NAME_LENGTH = 10


def _match_truncated(columns: list[str], schema: RoleSchema, found: dict[str, str], used: set[str]) -> None:
    """Map columns cut to 10 characters onto the one canonical column whose alias they start."""
    for col in columns:
        if len(col) != _DBF_NAME_LENGTH or col in used:
            continue
        prefix = col.lower()
        owners = {
            spec.canonical
            for spec in schema.columns.values()
            if any(len(a) > _DBF_NAME_LENGTH and a.lower().startswith(prefix) for a in spec.aliases)
        }
        if len(owners) == 1:
            canonical = owners.pop()
            if canonical not in found:
                found[canonical] = col
                used.add(col)


def guess_role(columns: Iterable[str], geometry_kind: str) -> str | None:
    """The role whose schema best matches ``columns`` and ``geometry_kind``, or None.

    A role qualifies when its geometry fits (``"line"`` fits no role; a table fits
    ``portefeuille`` and ``netcongestie`` as PC6 table) and at least one required column
    (or one of a ``one_of`` group) is found. The score counts found columns, required ones
    double. Ties give None: better no guess than a wrong one.
    """
    columns = list(columns)
    scores: dict[str, int] = {}
    for name, schema in ROLES.items():
        if not _geometry_fits(name, schema.geometry, geometry_kind) or not schema.columns:
            continue
        found = match_columns(columns, name)
        required = [c for c, s in schema.columns.items() if s.required]
        groups = [g for g in schema.one_of]
        if not (any(c in found for c in required) or any(any(c in found for c in g) for g in groups)):
            continue
        scores[name] = sum(2 if schema.columns[c].required else 1 for c in found)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


#: Roles whose data may also come as a plain table (netcongestie: the PC6 CSV).
_TABLE_ROLES = ("portefeuille", "netcongestie")


#: Roles whose data may be points or polygons (rijksmonumenten: register points, complex polygons).
_POINT_OR_POLYGON_ROLES = ("monumenten",)


def _geometry_fits(role: str, role_geometry: str, kind: str) -> bool:
    return (role_geometry == kind or (kind == "table" and role in _TABLE_ROLES)
            or (role in _POINT_OR_POLYGON_ROLES and kind in ("point", "polygon")))


# --------------------------------------------------------------------------- conversion


def map_columns(
    df: pd.DataFrame,
    role: str,
    user_mapping: dict[str, str] | None = None,
    report: LoadReport | None = None,
) -> tuple[pd.DataFrame, ColumnReport]:
    """Rename real columns to the canonical names of ``role`` and convert their values.

    Parameters
    ----------
    df : DataFrame or GeoDataFrame as read.
    role : a key of :data:`ROLES`.
    user_mapping : canonical -> source column, overriding the aliases.
    report : LoadReport receiving the ``sentinels`` count and messages (optional).

    Returns
    -------
    (DataFrame, ColumnReport)
        A new frame (the input is not modified); see the module docstring for the
        conventions of the canonical columns.

    Raises
    ------
    ValueError
        For an unknown role, or a user mapping naming a column the data does not have.
    """
    schema = get_role(role)
    _check_user_mapping(df, user_mapping)
    found = match_columns(df.columns, role, user_mapping)
    out = _rename(df, found)
    col_report = ColumnReport(found=found)
    id_texts: dict[str, pa.Array] = {}  # BAG identifiers as Arrow text, for the duplicate check
    for canonical, spec in schema.columns.items():
        if canonical not in found:
            (col_report.missing_required if spec.required else col_report.missing_optional).append(canonical)
        values, n_missing, text = _convert(out[canonical] if canonical in found else None, role, spec, len(out), out.index)
        out[canonical] = values
        if n_missing:
            col_report.sentinel_counts[canonical] = n_missing
        if text is not None:
            id_texts[canonical] = text
    for group in schema.one_of:
        if not any(c in found for c in group):
            col_report.missing_required.extend(c for c in group if c not in col_report.missing_required)
            col_report.missing_optional = [c for c in col_report.missing_optional if c not in group]
    post = _POST_PROCESSORS.get(role)
    if post is not None:
        post(out, col_report, report)
    unique = _UNIQUE_IDS.get(role)
    if unique is not None:
        _report_duplicates(out[unique], report, id_texts.get(unique))
    out = out[[*schema.columns, *(c for c in out.columns if c not in schema.columns)]]
    if report is not None:
        _report_columns(col_report, report)
    return out, col_report


def _check_user_mapping(df: pd.DataFrame, user_mapping: dict[str, str] | None) -> None:
    for canonical, source in (user_mapping or {}).items():
        if source not in df.columns:
            available = ", ".join(str(c) for c in df.columns if c != getattr(df, "_geometry_column_name", None))
            raise ValueError(Translatable("kolom '{column}' (voor {canonical}) bestaat niet; beschikbare kolommen: {available}",
                                          column=source, canonical=canonical, available=available))


def _rename(df: pd.DataFrame, found: dict[str, str]) -> pd.DataFrame:
    geometry_name = getattr(df, "_geometry_column_name", None)
    renames = {source: canonical for canonical, source in found.items() if source != canonical}
    # a source column already called like a canonical that is taken from elsewhere moves aside
    sources = set(found.values())
    clashes = {c: f"{c}_bron" for c in renames.values() if c in df.columns and c not in sources}
    out = df.rename(columns={**clashes, **renames})
    if geometry_name is not None and geometry_name in (set(renames) | set(clashes)):
        out = out.set_geometry(renames.get(geometry_name, clashes.get(geometry_name)))
    # ``rename`` gives a new frame; the caller replaces its columns and never changes them in place,
    # so ``df`` stays as it is without a deep copy (which would also merge all text columns into one block)
    return out


def _convert(
    series: pd.Series | None, role: str, spec: ColumnSpec, n: int, index: pd.Index
) -> tuple[pd.Series, int, pa.Array | None]:
    """The canonical values, how many present values became missing, and for BAG identifiers the
    values as Arrow text when that was at hand (else None)."""
    special = _SPECIAL_CONVERTERS.get((role, spec.canonical))
    if special is not None:
        return *special(series if series is not None else pd.Series(np.full(n, np.nan), index=index)), None
    if series is None:
        return _empty(spec.kind, n, index), 0, None
    if spec.kind == "id" and spec.canonical in _BAG_IDS:
        return _to_bag_id(series)
    return *_CONVERTERS[spec.kind](series, spec), None


def _empty(kind: Kind, n: int, index: pd.Index) -> pd.Series:
    if kind in ("int", "float"):
        return pd.Series(np.full(n, np.nan), index=index, dtype="float64")
    if kind == "bool":
        return pd.Series(pd.array([pd.NA] * n, dtype="boolean"), index=index)
    return pd.Series(np.full(n, np.nan, dtype=object), index=index, dtype=object)


def _text(series: pd.Series) -> pd.Series:
    """Stripped strings, NaN for missing (works on pandas 2 object and pandas 3 str dtypes)."""
    arrow = _arrow_text(series)
    if arrow is not None:
        return _object_series(arrow, series)
    present = series.notna()
    text = series.astype(object).where(~present, series.astype(str).str.strip())
    return text.where(present & (text != ""), np.nan).astype(object)


def _to_str(series: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, int]:
    raw = _arrow_strings(series)
    if raw is not None:
        few = _few_distinct(raw)
        if few is not None:
            # few distinct texts (a status, a gebruiksdoel): each converted once, the rows take theirs
            distinct, indices = few
            texts, unknown = _unknown_to_null(_stripped(distinct))
            values = np.append(_object_values(texts), np.nan)[indices]  # index -1 (null) takes the NaN
            n_unknown = int(np.bincount(indices[indices >= 0], minlength=len(distinct))[unknown].sum())
            return pd.Series(values, index=series.index, name=series.name, dtype=object, copy=False), n_unknown
        arrow, unknown = _unknown_to_null(_stripped(raw))
        return _object_series(arrow, series), int(unknown.sum())
    text = _text(series)
    unknown = text.str.lower().isin(TEXT_SENTINELS[:2]).fillna(False).astype(bool)
    return text.where(~unknown, np.nan), int(unknown.sum())


def _arrow_strings(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The values of ``series`` as an Arrow string array when every present value is text, else None."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return pa.array(series.array)
    if dtype == object and len(series):
        values = series.to_numpy()
        if pd.api.types.infer_dtype(values, skipna=True) != "string":
            return None
        try:
            return arrow_from_objects(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. lone surrogates
            return None
    return None


def _arrow_text(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """:func:`_text` as an Arrow array (stripped, "" and missing as null), for text columns; else None."""
    arrow = _arrow_strings(series)
    return None if arrow is None else _stripped(arrow)


def _stripped(arrow: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Arrow text stripped, "" as null. ``utf8_trim_whitespace`` strips exactly what ``str.strip()`` strips."""
    trimmed = pc.utf8_trim_whitespace(arrow)
    return pc.if_else(pc.equal(pc.binary_length(trimmed), 0), pa.scalar(None, trimmed.type), trimmed)


def _unknown_to_null(arrow: pa.Array | pa.ChunkedArray) -> tuple[pa.Array | pa.ChunkedArray, np.ndarray]:
    """Stripped Arrow text with the words for "unknown" (``TEXT_SENTINELS[:2]``, any case) as null, and where they were.

    The same as ``text.str.lower().isin(...)`` in Python: Arrow's ``ascii_lower`` differs from
    ``str.lower()`` only outside ASCII, so those few texts are lowered in Python.
    """
    unknown = pc.is_in(pc.ascii_lower(arrow), value_set=pa.array(TEXT_SENTINELS[:2])).to_numpy(zero_copy_only=False)
    unknown &= ~pc.is_null(arrow).to_numpy(zero_copy_only=False)
    unknown = np.asarray(unknown, dtype=bool)
    other = np.flatnonzero(~np.asarray(pc.fill_null(pc.string_is_ascii(arrow), True).to_numpy(zero_copy_only=False), dtype=bool))
    if len(other):
        texts = arrow.take(pa.array(other)).to_pylist()
        unknown[other] = [t.lower() in TEXT_SENTINELS[:2] for t in texts]
    if unknown.any():
        arrow = pc.if_else(pa.array(unknown), pa.scalar(None, arrow.type), arrow)
    return arrow, unknown


#: Columns from this many rows on are checked for few distinct texts (status, gebruiksdoel).
_FEW_MIN_ROWS = 50_000
#: A column counts as having few texts when its first rows hold at most this many distinct ones …
_FEW_SAMPLE, _FEW_IN_SAMPLE = 4096, 64
#: … and the whole column at most one distinct text per this many rows.
_FEW_RATIO = 64


#: Values per slice when Arrow text becomes Python ``str`` objects or back (~5 ms per slice).
_OBJECT_SLICE = 65_536


def arrow_from_objects(values: np.ndarray, type: pa.DataType = pa.large_string()) -> pa.ChunkedArray:
    """``pa.array(values, type=type, from_pandas=True)`` for an object array, made a slice at a time.

    pyarrow keeps the GIL while it reads Python objects (~0.2 s per million strings); between
    slices other threads (the window's) run. Raises what ``pa.array`` raises.
    """
    chunks = [pa.array(values[start:start + _OBJECT_SLICE], type=type, from_pandas=True)
              for start in range(0, len(values), _OBJECT_SLICE)]
    return pa.chunked_array(chunks, type=type)


def _object_values(arrow: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow string array as an object array of ``str``, ``np.nan`` for null."""
    few = _few_texts(arrow)
    if few is not None:
        return few
    values = np.empty(len(arrow), dtype=object)
    # a Python str per value, made while holding the GIL: in slices, so other threads (the GUI's
    # while layers load in the background) get their turn in between
    for start in range(0, len(arrow), _OBJECT_SLICE):
        part = arrow.slice(start, _OBJECT_SLICE)
        values[start:start + len(part)] = part.to_numpy(zero_copy_only=False)
    if arrow.null_count:
        values[np.asarray(pc.is_null(arrow).to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return values


def _few_texts(arrow: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """:func:`_object_values` of a column with few distinct texts, else None.

    Such a column is dictionary-encoded and its objects taken from the distinct texts (one
    Python ``str`` per text instead of one per row: 1M rows of a BAG status ~0.2 s → ~0.03 s).
    The values are the same: equal texts, ``np.nan`` for null.
    """
    few = _few_distinct(arrow)
    if few is None:
        return None
    distinct, indices = few
    texts = np.empty(len(distinct) + 1, dtype=object)
    texts[:-1] = distinct.to_numpy(zero_copy_only=False)
    texts[-1] = np.nan
    return texts[indices]


def _few_distinct(arrow: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray] | None:
    """The distinct texts of a long column that has few of them, and per row the index of its
    text (-1 for null); None for short columns and columns with many texts."""
    if len(arrow) < _FEW_MIN_ROWS or pc.count_distinct(arrow.slice(0, _FEW_SAMPLE), mode="all").as_py() > _FEW_IN_SAMPLE:
        return None
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()  # one dictionary for the whole column
    encoded = pc.dictionary_encode(arrow)
    if len(encoded.dictionary) > len(arrow) // _FEW_RATIO:
        return None
    return encoded.dictionary, np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _object_series(arrow: pa.Array | pa.ChunkedArray, like: pd.Series) -> pd.Series:
    return pd.Series(_object_values(arrow), index=like.index, name=like.name, dtype=object, copy=False)


def _to_number(series: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, int]:
    if pd.api.types.is_bool_dtype(series):
        values = series.astype("float64")
        present = series.notna()
    elif pd.api.types.is_numeric_dtype(series):
        values = series.astype("float64")
        present = values.notna()
    else:
        text = _text(series)
        present = text.notna()
        # decimal comma ("12,5") as written by Dutch spreadsheets
        values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").astype("float64")
    bad = present & values.isna()
    bad |= _equals_any(values, CBS_SENTINELS + spec.missing_values) | ~np.isfinite(values.fillna(0.0))
    if spec.missing_at_or_below is not None:
        bad |= values <= spec.missing_at_or_below
    if spec.missing_above is not None:
        bad |= values > spec.missing_above
    if spec.kind == "int":
        bad |= values.notna() & (values != np.round(values))
    return values.where(~bad, np.nan), int(bad.sum())


def _equals_any(values: pd.Series, targets: tuple[float, ...]) -> np.ndarray:
    """``values.isin(targets)`` for float values and a few targets that are numbers (not NaN):
    one comparison per target instead of a hash table."""
    numbers = values.to_numpy(dtype="float64")
    out = np.zeros(len(numbers), dtype=bool)
    for target in targets:
        out |= numbers == target
    return out


_TRUE = {"true", "1", "ja", "j", "yes", "y", "waar", "t", "1.0"}
_FALSE = {"false", "0", "nee", "n", "no", "onwaar", "f", "0.0"}


def _to_bool(series: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, int]:
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean"), 0
    text = _text(series).str.lower()
    result = pd.Series(pd.array([pd.NA] * len(text), dtype="boolean"), index=series.index)
    result[text.isin(_TRUE).fillna(False).astype(bool)] = True
    result[text.isin(_FALSE).fillna(False).astype(bool)] = False
    bad = text.notna() & result.isna()
    return result, int(bad.sum())


#: Canonical columns holding BAG identifiers (16 digits, see :func:`normalise_pand_id`).
_BAG_IDS = ("pand_id", "vbo_id")


def _to_bag_id(series: pd.Series) -> tuple[pd.Series, int, pa.Array | None]:
    """:func:`normalise_pand_id`, the number of present values that are no identifier, and the
    identifiers as Arrow text when that was at hand (else None)."""
    ids = _pand_ids(series)
    n_bad = 0 if ids.kept else int((series.notna() & ids.values.isna()).sum())
    return ids.values, n_bad, ids.arrow


def _to_id(series: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, int]:
    if spec.canonical in _BAG_IDS:
        return _to_bag_id(series)[:2]
    if pd.api.types.is_float_dtype(series):
        # codes read as floats ("363.0") would never join
        series = series.astype("Int64")
    return _to_str(series, spec)


_CONVERTERS: dict[str, Callable[[pd.Series, ColumnSpec], tuple[pd.Series, int]]] = {
    "str": _to_str,
    "int": _to_number,
    "float": _to_number,
    "bool": _to_bool,
    "id": _to_id,
}

_ID_PATTERN = r"(?<!\d)(\d{1,16})(?:\.0+)?$"
#: The same for RE2 (no look-behind): the lazy prefix makes the match start where ``re.search`` finds it.
_ID_RE2 = r"(?s)^(?:.*?\D)??(?P<digits>\d{1,16})(?:\.0+)?$"


def normalise_pand_id(series: pd.Series) -> pd.Series:
    """BAG identifiers as 16-digit strings.

    Accepts ``"NL.IMBAG.Pand.0503100000000296"``, ``"0503100000000296"``,
    ``"503100000000296"``, integers and floats holding whole numbers.
    Anything else (no digits, more than 16 digits) becomes NaN.

    Parameters
    ----------
    series : pandas Series of identifiers in any of the forms above.

    Returns
    -------
    Series of pandas' default ``str`` dtype (the text on Arrow, 16 bytes per identifier) with
    NaN for missing or invalid identifiers.
    """
    return _pand_ids(series).values


class _Ids(NamedTuple):
    """What :func:`_pand_ids` found."""

    #: :func:`normalise_pand_id` of the input
    values: pd.Series
    #: the same identifiers as Arrow text (null for missing), when that was at hand; else None
    arrow: pa.Array | pa.ChunkedArray | None
    #: every present input value was a 16-digit identifier already (none became missing)
    kept: bool


def _pand_ids(series: pd.Series) -> _Ids:
    """:func:`normalise_pand_id`, with the identifiers as Arrow text where they were converted through Arrow."""
    series = pd.Series(series)
    if pd.api.types.is_float_dtype(series):
        whole = series.where(series == np.round(series))
        series = whole.astype("Int64")
    if series.dtype == object:
        done = _ids_already(series)
        if done is not None:
            return done
    arrow = _arrow_strings(series)
    if arrow is None and pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        arrow = _arrow_strings(series.astype(str))
    if arrow is None:
        return _Ids(_normalise_pand_id_python(series).astype("str"), None, False)
    ids = _normalise_ids_arrow(arrow, series)
    # pandas' default text dtype on the Arrow data itself: 16 bytes and an offset per id instead of
    # a Python str (~73 bytes), and nothing to convert (1.5M vbo ids: ~0.3 s and ~110 MB per column)
    return _Ids(pd.Series(pd.array(ids, dtype="str"), index=series.index, name=series.name, copy=False), ids, False)


def _ids_already(series: pd.Series) -> _Ids | None:
    """The :class:`_Ids` of an object column whose present values are all 16-digit ``str`` already, else None.

    This is what a column normalised before looks like (BAG identifiers are normalised when
    read and again when mapped onto the role): its strings become Arrow text once, missing
    values NaN, the values :func:`normalise_pand_id` gives without normalising them again.
    """
    values = series.to_numpy()
    # in slices: both steps keep the GIL, and other threads (the GUI's) get their turn in between
    for start in range(0, len(values), _OBJECT_SLICE):
        if not set(map(type, values[start:start + _OBJECT_SLICE])) <= {str, float}:  # exactly str, and NaN for missing
            return None
    try:
        arrow = arrow_from_objects(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):  # floats that are numbers, lone surrogates
        return None
    if not _all_ids(arrow):
        return None  # some text to normalise, or nothing present at all
    return _Ids(pd.Series(pd.array(arrow, dtype="str"), index=series.index, name=series.name, copy=False), arrow, True)


def _all_ids(arrow: pa.Array) -> bool:
    """Whether at least one value is present and every present one is 16 ASCII digits."""
    return bool(pc.all(pc.and_(pc.equal(pc.binary_length(arrow), _ID_DIGITS), pc.ascii_is_decimal(arrow))).as_py())


def _normalise_ids_arrow(arrow: pa.Array | pa.ChunkedArray, series: pd.Series) -> pa.Array:
    """:func:`_normalise_pand_id_python` with Arrow kernels (RE2) on ASCII text; other text in Python."""
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    if _all_ids(arrow):
        return arrow  # all 16 digits already: the common case
    trimmed = pc.utf8_trim_whitespace(arrow)
    is_16 = pc.equal(pc.binary_length(trimmed), _ID_DIGITS)
    plain = pc.fill_null(pc.and_(is_16, pc.ascii_is_decimal(trimmed)), False)
    rest = pc.and_(pc.invert(plain), pc.is_valid(trimmed))
    positions = np.flatnonzero(np.asarray(rest.to_numpy(zero_copy_only=False), dtype=bool))
    if not len(positions):
        return trimmed
    sub = trimmed.take(pa.array(positions))
    # _ID_PATTERN searched from the left == the shortest prefix ending in a non-digit; RE2's \d is ASCII only
    digits = pc.struct_field(pc.extract_regex(sub, _ID_RE2), [0])
    sub_ids = pc.utf8_lpad(digits, width=_ID_DIGITS, padding="0")
    non_ascii = np.flatnonzero(~np.asarray(pc.string_is_ascii(sub).to_numpy(zero_copy_only=False), dtype=bool))
    if len(non_ascii):
        slow = _normalise_pand_id_python(series.iloc[positions[non_ascii]].astype(object))
        values = _object_values(sub_ids)
        values[non_ascii] = slow.to_numpy(dtype=object)
        sub_ids = pa.array(values, type=sub_ids.type, from_pandas=True)
    return pc.replace_with_mask(trimmed, rest, sub_ids.cast(trimmed.type))


def _normalise_pand_id_python(series: pd.Series) -> pd.Series:
    present = series.notna()
    text = series.astype(object).where(~present, series.astype(str).str.strip())
    digits = text.where(present).astype(object).str.extract(_ID_PATTERN, expand=False)
    ids = digits.str.zfill(_ID_DIGITS)
    return ids.where(ids.notna(), np.nan).astype(object)


# --------------------------------------------------------------------------- role specifics

_CONGESTIE_WORDS = {
    "geen info": -1, "geen informatie": -1, "onbekend": -1, "grijs": -1,
    "beschikbaar": 0, "groen": 0, "wit": 0, "transparant": 0, "geen congestie": 0,
    "beperkt": 1, "beperkte capaciteit": 1, "geel": 1,
    "congestiemanagement": 2, "onderzoek": 2, "oranje": 2,
    "tekort": 3, "wachtrij": 3, "rood": 3,
}


def congestie_code(series: pd.Series) -> tuple[pd.Series, int]:
    """Status codes −1..3 from numbers or colour/status words; unknown -> −1 (counted)."""
    text = _text(series)
    lowered = text.str.lower()
    numbers = pd.to_numeric(lowered.str.replace(",", ".", regex=False), errors="coerce")
    words = lowered.map(_CONGESTIE_WORDS)
    codes = numbers.where(numbers.isin([-1, 0, 1, 2, 3]), words.astype("float64"))
    bad = text.notna() & codes.isna()
    return codes.fillna(-1).astype("int64"), int(bad.sum())


_KLASSE_WORDS = {
    "ja": ("ja", np.nan), "ja_mits": ("ja_mits", np.nan), "nee_tenzij": ("nee_tenzij", np.nan),
    "0": ("ja", "0"), "a": ("ja_mits", "A"), "b": ("ja_mits", "B"), "c": ("ja_mits", "C"), "d": ("nee_tenzij", "D"),
}


def _post_water_bodem(df: pd.DataFrame, col_report: ColumnReport, report: LoadReport | None) -> None:
    text = _text(df["klasse"].astype(object))
    key = text.str.lower().str.replace(r"[\s,\-]+", "_", regex=True).str.strip("_")
    key = key.where(~key.isin(["0_0", "0.0"]), "0")
    klasse = key.map({k: v[0] for k, v in _KLASSE_WORDS.items()})
    ernst = key.map({k: v[1] for k, v in _KLASSE_WORDS.items()})
    bad = text.notna() & klasse.isna()
    df["klasse"] = klasse.astype(object)
    if "klasse" in col_report.found and "klasse_ernst" in col_report.missing_optional:
        col_report.missing_optional.remove("klasse_ernst")  # derived from klasse
    given = df["klasse_ernst"] if "klasse_ernst" in col_report.found else None
    df["klasse_ernst"] = ernst.where(ernst.notna(), given if given is not None else np.nan).astype(object)
    if bad.any():
        col_report.sentinel_counts["klasse"] = col_report.sentinel_counts.get("klasse", 0) + int(bad.sum())
        if report is not None:
            examples = ", ".join(sorted(set(text[bad].astype(str)))[:5])
            report.warning(Translatable("{n} onbekende klassen ({examples}); verwacht ja/ja_mits/nee_tenzij of 0/A/B/C/D",
                                        n=int(bad.sum()), examples=examples))


def _post_locaties(df: pd.DataFrame, col_report: ColumnReport, report: LoadReport | None) -> None:
    share = df["betaalbaar_aandeel"]
    if share.notna().any() and share.max() > 1 and share.max() <= 100:
        df["betaalbaar_aandeel"] = share / 100.0
        if report is not None:
            report.info(Translatable("betaalbaar_aandeel gelezen als percentage en omgerekend naar een fractie"))
    df["planstatus"] = df["planstatus"].str.lower() if df["planstatus"].notna().any() else df["planstatus"]


_SPECIAL_CONVERTERS: dict[tuple[str, str], Callable[[pd.Series], tuple[pd.Series, int]]] = {
    ("netcongestie", "status_afname"): congestie_code,
    ("netcongestie", "status_opwek"): congestie_code,
}

#: Roles whose identifier should be unique: rows sharing one are counted and reported (and kept).
_UNIQUE_IDS = {"gebouwen": "pand_id", "verblijfsobjecten": "vbo_id"}


def _report_duplicates(ids: pd.Series, report: LoadReport | None, text: pa.Array | None = None) -> None:
    """Warn about identifiers that occur more than once; ``text``: the same ids as Arrow text, if at hand."""
    duplicated = pd.Series(_duplicated_present(ids, text), index=ids.index)
    n = int(duplicated.sum())
    if not n or report is None:
        return
    examples = ", ".join(sorted(set(ids[duplicated].astype(str)))[:3])
    report.add("duplicates", n)
    report.warning(Translatable("{n} rijen met een dubbele {column} ({examples}); elke rij telt apart mee, "
                                "controleer of panden dubbel in de laag staan", n=n, column=str(ids.name), examples=examples))


def _duplicated_present(ids: pd.Series, text: pa.Array | None = None) -> np.ndarray:
    """``ids.notna() & ids.duplicated(keep=False)``; on integers when the ids are digit strings of one length.

    ``text`` is ``ids`` as Arrow text when the caller has it (saves converting the column again).
    """
    arrow = _arrow_strings(ids) if text is None else text
    if arrow is not None:
        present = pc.drop_null(arrow)
        lengths = pc.binary_length(present)
        if (len(present) and pc.all(pc.ascii_is_decimal(present)).as_py() and pc.min(lengths).as_py() == pc.max(lengths).as_py()
                and pc.max(lengths).as_py() <= 18):
            # equal-length digit strings are equal exactly when their numbers are
            numbers = np.asarray(pc.fill_null(pc.cast(arrow, pa.int64()), 0).to_numpy(zero_copy_only=False), dtype=np.int64)
            mask = np.asarray(pc.is_valid(arrow).to_numpy(zero_copy_only=False), dtype=bool)
            out = np.zeros(len(ids), dtype=bool)
            out[mask] = pd.Series(numbers[mask]).duplicated(keep=False).to_numpy()
            return out
    return (ids.notna() & ids.duplicated(keep=False)).to_numpy()


_POST_PROCESSORS: dict[str, Callable[[pd.DataFrame, ColumnReport, LoadReport | None], None]] = {
    "water_bodem": _post_water_bodem,
    "locaties": _post_locaties,
}


def _report_columns(col_report: ColumnReport, report: LoadReport) -> None:
    n = col_report.total_sentinels
    report.add("sentinels", n)
    if n:
        detail = Translatable.joined([Translatable("{column}: {n}", column=Translatable.term(c, "column", c), n=k)
                                      for c, k in col_report.sentinel_counts.items()], ", ")
        report.warning(Translatable("{n} waarden als 'onbekend' gelezen ({detail})", n=n, detail=detail))
    if col_report.missing_required:
        report.warning(Translatable("verplichte kolommen ontbreken: {columns}", columns=", ".join(col_report.missing_required)))
