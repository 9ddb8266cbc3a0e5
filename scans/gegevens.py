"""The data check: what the data of a project can tell each scan, and what it cannot.

Before a scan, :func:`check_data` measures per role and per column the share of panden with a
known value (bouwjaar and status from the BAG, bouwlagen, height and roof type from the 3D BAG,
gebruiksdoel and oppervlakte from the verblijfsobjecten or, estimated, from the pand), which
constraint layers are present, and from that which scans can run fully, partly or not at all,
with Dutch sentences naming the source to add. After a scan, :func:`check_result` adds per scan
the panden that could not be judged (*onbekend*) and the homes that rest on estimates, read from
the scan's own columns (``<scan>_onbekend``, ``<scan>_bron``) and totals.

Every check also lists the sources of the layers with their dates: the provenance the project
records per layer (``LayerSource.bron``: ``url``, ``opgehaald``, ``peildatum``, ``titel``), or else
the file, its modification date and what the file's own metadata says.

No Qt; counts are vectorised (one pass per column, never a loop per pand).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

from layers.texts import Translatable
from scans._rules import as_float, as_text, n_functies, normalise_functies
from scans.inputs import BUITEN_GEBIED_CODE, RASTER_ROLES, ScanInputs, assign_gebied, link_vbo
from scans.registry import SCANS

#: A scan runs "volledig" when each input it needs is known (and measured) for at least this
#: share of the panden; below it "gedeeltelijk"; with an input known for no pand at all "niet".
FULL_SHARE = 0.95

STATE_LABELS = {"volledig": "volledig", "gedeeltelijk": "gedeeltelijk", "niet": "niet"}

#: Layers beside the panden whose presence the check reports: role -> (Dutch label, what its absence means).
CONTEXT_LAYERS: dict[str, tuple[str, str]] = {
    "verblijfsobjecten": (Translatable("BAG-verblijfsobjecten"),
                          Translatable("gebruiksdoel en oppervlakte komen van het pand of ontbreken")),
    "gebieden": (Translatable("Gebieden (wijken, buurten)"), Translatable("alle panden tellen in één rij 'buiten gebied'")),
    "water_bodem": (Translatable("Water en bodem (zones)"), Translatable("kolom water_bodem blijft leeg")),
    "bodemdaling": (Translatable("Bodemdaling (raster)"), Translatable("geen bodemdaling per pand")),
    "overstromingsdiepte": (Translatable("Overstromingsdiepte (raster)"), Translatable("geen overstromingsdiepte per pand")),
    "kwel": (Translatable("Kwel (raster)"), Translatable("geen kwel per pand")),
    "netcongestie": (Translatable("Netcongestie (capaciteitskaart)"), Translatable("kolom netcongestie blijft leeg")),
    "nplv": (Translatable("NPLV-focusgebieden"), Translatable("kolom nplv blijft leeg")),
    "erven": (Translatable("Erven"), Translatable("boerenerf leidt de erven af uit de panden")),
}

#: What to add, per missing source (the sentence gets " voor <scans>" when scans need it).
ADVICE: dict[str, str] = {
    "gebouwen": Translatable("Voeg de BAG-panden toe (PDOK BAG, pandgeometrie met bouwjaar en status): zonder gebouwenlaag "
                             "draait geen scan"),
    "vbo": Translatable("Voeg de BAG-verblijfsobjecten toe (PDOK BAG, gebruiksdoel en oppervlakte)"),
    "3dbag": Translatable("Voeg de 3D BAG-attributen toe (3dbag.nl, bouwlagen, hoogte en daktype)"),
    "bouwjaar": Translatable("Vul het bouwjaar van de panden aan (BAG pand, oorspronkelijkbouwjaar)"),
    "status": Translatable("Voeg de pandstatus toe (BAG pand, status): nu tellen alle panden als in gebruik"),
    "gebieden": Translatable("Voeg gebieden toe (CBS wijken en buurten via PDOK, met woningvoorraad) om per buurt of wijk te "
                             "tellen"),
    "water_bodem": Translatable("Voeg water- en bodemgegevens toe (de zones 'water en bodem sturend' van de provincie, of de "
                                "rasters bodemdaling en overstromingsdiepte van de Klimaateffectatlas) voor de randvoorwaarde "
                                "water en bodem"),
    "netcongestie": Translatable("Voeg de capaciteitskaart toe (Netbeheer Nederland, capaciteitskaart afname) voor de "
                                 "netcongestie"),
    "nplv": Translatable("Voeg de NPLV-focusgebieden toe (Nationaal Programma Leefbaarheid en Veiligheid) voor de "
                         "NPLV-indicator"),
}


@dataclass(frozen=True)
class Coverage:
    """The share of rows of ``role`` with a known ``column`` (``known`` of ``total``; ``known`` None: not measured)."""

    role: str
    column: str
    label: str
    known: int | None
    total: int
    bron: str = ""

    @property
    def share(self) -> float | None:
        if self.known is None or not self.total:
            return None
        return self.known / self.total


@dataclass(frozen=True)
class Source:
    """Where a layer comes from and how old it is (dates as ISO text, "" when unknown)."""

    key: str
    role: str
    titel: str
    url: str
    opgehaald: str = ""
    peildatum: str = ""
    herkomst: str = "bestand"  # "project": recorded when fetched; "bestand": derived from the file


@dataclass(frozen=True)
class ScanState:
    """Whether a scan can run on these data: ``state`` volledig / gedeeltelijk / niet."""

    scan: str
    label: str
    state: str
    ontbreekt: tuple[str, ...] = ()
    geschat: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanOutcome:
    """After a scan: panden judged onbekend and homes resting on estimates (None: the result does not say)."""

    scan: str
    label: str
    gebouwen: int
    woningen: int
    onbekend: int | None = None
    woningen_geschat: int | None = None


@dataclass(frozen=True)
class DataCheck:
    """What the data can tell the scans (:func:`check_data`) and, after a scan, what it could not (:func:`check_result`)."""

    gebouwen: int | None
    coverage: tuple[Coverage, ...] = ()
    layers: dict[str, bool] = field(default_factory=dict)
    scans: tuple[ScanState, ...] = ()
    advice: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    outcomes: tuple[ScanOutcome, ...] = ()
    panden_vervallen: int | None = None
    checked_on: str = ""

    # --- questions ---------------------------------------------------------------------------
    def state(self, scan: str) -> str | None:
        """``volledig`` / ``gedeeltelijk`` / ``niet`` for ``scan`` (None when not checked)."""
        return next((s.state for s in self.scans if s.scan == scan), None)

    def share(self, role: str, column: str) -> float | None:
        """The share of known values of ``column`` of ``role`` (None when not measured)."""
        return next((c.share for c in self.coverage if c.role == role and c.column == column), None)

    @property
    def incomplete(self) -> bool:
        """True when a scan cannot run fully, or the result has onbekend panden or estimated homes."""
        if any(s.state != "volledig" for s in self.scans):
            return True
        return any((o.onbekend or 0) > 0 or (o.woningen_geschat or 0) > 0 for o in self.outcomes)

    # --- output ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (``scans`` and ``coverage`` as lists of objects)."""
        coverage = [{**asdict(c), "share": None if c.share is None else round(c.share, 4)} for c in self.coverage]
        return {
            "gebouwen": self.gebouwen,
            "datum": self.checked_on,
            "onvolledig": self.incomplete,
            "dekking": coverage,
            "lagen": dict(self.layers),
            "scans": [{**asdict(s), "ontbreekt": list(s.ontbreekt), "geschat": list(s.geschat)} for s in self.scans],
            "toevoegen": list(self.advice),
            "bronnen": [asdict(s) for s in self.sources],
            "uitkomst": [asdict(o) for o in self.outcomes],
            "panden_vervallen": self.panden_vervallen,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DataCheck":
        """The check back from :meth:`to_dict` (e.g. read from JSON)."""
        return cls(
            gebouwen=data.get("gebouwen"),
            coverage=tuple(Coverage(**{k: v for k, v in c.items() if k != "share"}) for c in data.get("dekking", ())),
            layers=dict(data.get("lagen") or {}),
            scans=tuple(ScanState(s["scan"], s["label"], s["state"], tuple(s["ontbreekt"]), tuple(s["geschat"]))
                        for s in data.get("scans", ())),
            advice=tuple(data.get("toevoegen", ())),
            sources=tuple(Source(**s) for s in data.get("bronnen", ())),
            outcomes=tuple(ScanOutcome(**o) for o in data.get("uitkomst", ())),
            panden_vervallen=data.get("panden_vervallen"),
            checked_on=data.get("datum", ""),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def coverage_rows(self) -> list[tuple[str, str, str, str]]:
        """(rol, gegeven, bekend, bron) per coverage row, Dutch text for tables."""
        return [(c.role, c.label, _coverage_text(c), c.bron) for c in self.coverage]

    def layer_rows(self) -> list[tuple[str, str, str]]:
        """(laag, aanwezig ja/nee, wat zijn afwezigheid betekent) per layer beside the panden."""
        return [(CONTEXT_LAYERS[role][0], _YES if ok else _NO, "" if ok else CONTEXT_LAYERS[role][1])
                for role, ok in self.layers.items() if role in CONTEXT_LAYERS]

    def scan_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(scan, kan draaien, ontbreekt/geschat, onbekend na de scan, woningen op schatting)."""
        outcome = {o.scan: o for o in self.outcomes}
        rows = []
        labels = {s.scan: s.label for s in self.scans} | {o.scan: o.label for o in self.outcomes}
        for name in SCANS:
            if name not in labels:
                continue
            state = next((s for s in self.scans if s.scan == name), None)
            notes = []
            if state is not None and state.ontbreekt:
                notes.append(Translatable("ontbreekt: {items}", items=Translatable.joined(state.ontbreekt, ", ")))
            if state is not None and state.geschat:
                notes.append(Translatable("geschat: {items}", items=Translatable.joined(state.geschat, ", ")))
            o = outcome.get(name)
            rows.append((
                labels[name],
                state.state if state is not None else "–",
                Translatable.joined(notes) if notes else "–",
                "–" if o is None else _count_of(o.onbekend, o.gebouwen, "panden"),
                "–" if o is None else _count_of(o.woningen_geschat, o.woningen, "woningen"),
            ))
        return rows

    def source_rows(self) -> list[tuple[str, str, str, str, str, str]]:
        """(laag, rol, titel, bron, opgehaald, peildatum) per source; a date derived from the file says so."""
        return [(s.key, s.role, s.titel, s.url, _fetched_text(s), s.peildatum or _UNKNOWN) for s in self.sources]

    def to_text(self) -> str:
        """The check as Dutch text for the CLI."""
        lines = [f"Gegevenscheck ({_n(self.gebouwen)} panden)" if self.gebouwen is not None else "Gegevenscheck (geen panden)"]
        if self.coverage:
            lines.append("Dekking (aandeel met een bekende waarde):")
            for role, label, known, bron in self.coverage_rows():
                lines.append(f"  {role:<18} {label:<41} {known:>24}  {bron}")
        if self.layers:
            present = [CONTEXT_LAYERS[r][0] for r, ok in self.layers.items() if ok and r in CONTEXT_LAYERS]
            absent = [f"{CONTEXT_LAYERS[r][0]} ({CONTEXT_LAYERS[r][1]})" for r, ok in self.layers.items() if not ok and r in CONTEXT_LAYERS]
            lines.append(f"Lagen aanwezig: {', '.join(present) or 'geen'}")
            if absent:
                lines.append("Lagen afwezig:")
                lines.extend(f"  {text}" for text in absent)
        if self.scans or self.outcomes:
            lines.append("Scans:")
            for label, state, notes, onbekend, geschat in self.scan_rows():
                lines.append(f"  {label:<24} {state:<13} {notes}")
                if {onbekend, geschat} - {"–", "niet gemeld"}:
                    lines.append(f"  {'':<24} {'':<13} na de scan: onbekend {onbekend}; op een schatting {geschat}")
        if self.panden_vervallen:
            lines.append(f"Vervallen panden (gesloopt, niet gerealiseerd …): {_n(self.panden_vervallen)}, geen kandidaat")
        if self.advice:
            lines.append("Wat toe te voegen:")
            lines.extend(f"  - {sentence}" for sentence in self.advice)
        if self.sources:
            lines.append("Bronnen:")
            for key, role, titel, url, opgehaald, peildatum in self.source_rows():
                lines.append(f"  [{key}] {titel}: {url} (opgehaald: {opgehaald}; peildatum: {peildatum})")
        return "\n".join(lines)

    def warning_lines(self) -> list[str]:
        """Short lines for a warning after a scan on incomplete data (empty when complete)."""
        if not self.incomplete:
            return []
        lines = []
        outcome = {o.scan: o for o in self.outcomes}
        for s in self.scans:
            o = outcome.get(s.scan)
            parts = []
            if o is not None and o.onbekend:
                parts.append(f"{_n(o.onbekend)} van {_n(o.gebouwen)} panden onbekend")  # ("1 van 60 panden")
            if o is not None and o.woningen_geschat:
                parts.append(f"{_n(o.woningen_geschat)} van {_n(o.woningen)} woningen op een schatting")
            if s.state != "volledig" and s.ontbreekt:
                parts.append("ontbreekt: " + ", ".join(s.ontbreekt))
            elif s.state != "volledig" and s.geschat:
                parts.append("geschat: " + ", ".join(s.geschat))
            if parts:
                lines.append(f"{s.label} ({s.state}): " + "; ".join(parts))
        for o in self.outcomes:  # a result checked without a check before it
            if o.scan not in {s.scan for s in self.scans} and ((o.onbekend or 0) or (o.woningen_geschat or 0)):
                lines.append(f"{o.label}: {_n(o.onbekend or 0)} panden onbekend; {_n(o.woningen_geschat or 0)} woningen op een schatting")
        return lines + list(self.advice[:3])

    def warning_text(self, prefix: str = "gisapp: let op: ") -> str:
        """The stderr block of ``gisapp scan`` (empty when the scan ran on complete data)."""
        lines = self.warning_lines()
        if not lines:
            return ""
        return "\n".join([f"{prefix}deze scan liep op onvolledige gegevens:"] + [f"  {line}" for line in lines])

    def banner_items(self) -> list[tuple]:
        """What the warning on the results says, as data (the app words it in its language):
        ``("onbekend", n, scan label)``, ``("geschat", n homes)``, ``("niet", scan label, missing)``
        for a scan that could not run at all, ``("deels", scan label)`` when nothing else is said."""
        if not self.incomplete:
            return []
        items: list[tuple] = [("onbekend", o.onbekend, _scan_term(o.scan, o.label)) for o in self.outcomes if o.onbekend]
        estimated = sum(o.woningen_geschat or 0 for o in self.outcomes)
        if estimated:
            items.append(("geschat", estimated))
        items += [("niet", _scan_term(s.scan, s.label), Translatable.joined(s.ontbreekt, ", ")) for s in self.scans
                  if s.state == "niet"]
        if not items:
            items = [("deels", _scan_term(s.scan, s.label)) for s in self.scans if s.state != "volledig"]
        return items

    def banner_text(self) -> str:
        """One Dutch sentence for the warning on the results (empty when complete)."""
        items = self.banner_items()
        if not items:
            return ""
        return "Deze scan liep op onvolledige gegevens: " + ", ".join(banner_part(item) for item in items) + ". Details in Gegevens."


def banner_part(item: tuple) -> str:
    """One part of the warning in Dutch (see :meth:`DataCheck.banner_items`)."""
    kind = item[0]
    if kind == "onbekend":
        return f"{_n(item[1])} {'pand' if item[1] == 1 else 'panden'} onbekend voor {item[2]}"
    if kind == "geschat":
        return f"{_n(item[1])} {'woning rust op een schatting' if item[1] == 1 else 'woningen rusten op schattingen'}"
    if kind == "niet":
        return f"{item[1]} kon niet draaien (ontbreekt: {item[2]})"
    return f"{item[1]} deels"


# ------------------------------------------------------------------------------------ before a scan


def check_data(data: Any, *, sources: Any = None, locate: bool = True, today: _dt.date | None = None) -> DataCheck:
    """Check the data of a project (or of scan inputs) before a scan.

    Parameters
    ----------
    data : a :class:`scans.inputs.ScanInputs`, or a loaded ``layers.project.Project`` (its
        first layer per role; a project loaded without data gives only the layers present and
        the sources).
    sources : where the sources come from when ``data`` is scan inputs: a project, or a
        sequence of :class:`Source`.
    locate : also find the gebied of every pand (the share of panden inside a gebied); the CLI
        scan leaves it to :func:`check_result`, which reads it from the result.
    today : the check date (today by default).
    """
    project = None
    if isinstance(data, ScanInputs):
        inputs = data
    elif hasattr(data, "sources") and hasattr(data, "layers"):
        project = data
        inputs = _inputs_of(project)
    else:
        raise ValueError(Translatable("check_data: verwacht ScanInputs of een project, niet {kind}", kind=type(data).__name__))
    if sources is None:
        sources = project
    found = sources_of(sources) if sources is not None and not isinstance(sources, (list, tuple)) else tuple(sources or ())
    checked_on = (today or _dt.date.today()).isoformat()
    if inputs is None:
        roles = {getattr(s, "role", None) for s in getattr(project, "sources", {}).values()}
        layers = {role: role in roles for role in CONTEXT_LAYERS}
        if "gebouwen" not in roles:
            states = tuple(ScanState(n, s.label, "niet", (Translatable("BAG-panden"),)) for n, s in SCANS.items())
            return DataCheck(None, (), layers, states, (ADVICE["gebouwen"],), found, checked_on=checked_on)
        return DataCheck(None, (), layers, (), _layer_advice(layers), found, checked_on=checked_on)
    known = _known_per_pand(inputs, locate)
    coverage = _coverage(inputs, known)
    layers = _layers_of(inputs)
    states, advice = _scan_states(known, layers)
    return DataCheck(len(inputs.gebouwen), coverage, layers, states, advice + _layer_advice(layers, coverage), found,
                     checked_on=checked_on)


def _inputs_of(project) -> ScanInputs | None:
    try:
        return ScanInputs.from_project(project)
    except ValueError:
        return None  # no panden loaded: only the sources and the layers present


def _text_known(values: pd.Series) -> np.ndarray:
    """A non-empty text per row: on the Arrow data for pandas' text dtype, else on the distinct
    texts (a categorical's own categories; one factorize otherwise), never a test per row in Python."""
    from scans._fast import is_arrow_text
    from scans._rules import distinct_values

    if is_arrow_text(values):
        import pyarrow as pa
        import pyarrow.compute as pc

        data = pa.array(values.array)
        filled = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(data)), 0)
        return pc.fill_null(filled, False).to_numpy(zero_copy_only=False)
    codes, uniques = distinct_values(values)
    filled = np.array([str(u).strip() != "" for u in uniques] + [False], dtype=bool)
    return filled[np.where(codes < 0, len(uniques), codes)]


def _column(frame: pd.DataFrame, column: str, text: bool = False) -> np.ndarray:
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    if text:
        return _text_known(frame[column])
    return pd.to_numeric(frame[column], errors="coerce").notna().to_numpy() if frame[column].dtype != bool else np.ones(len(frame), bool)


@dataclass
class _Known:
    """Per pand, whether each input of the scans is known, and measured (not estimated)."""

    n: int
    pand: dict[str, np.ndarray]
    functie: np.ndarray
    functie_vbo: np.ndarray
    gbo: np.ndarray
    gbo_vbo: np.ndarray
    lagen: np.ndarray
    lagen_3d: np.ndarray
    vbo: dict[str, tuple[int, int]]
    in_gebied: int | None


def _known_per_pand(inputs: ScanInputs, locate: bool) -> _Known:
    b = inputs.gebouwen
    n = len(b)
    pand = {
        "bouwjaar": _column(b, "bouwjaar"),
        "status": _column(b, "status", text=True),
        "gebruiksdoel": _column(b, "gebruiksdoel", text=True),
        "aantal_vbo": _column(b, "aantal_vbo"),
        "oppervlakte": _column(b, "oppervlakte_min") | _column(b, "oppervlakte_max"),
        "bouwlagen": _column(b, "bouwlagen"),
        "hoogte": _column(b, "h_dak_70p") & _column(b, "h_maaiveld"),
        "dak_type": _column(b, "dak_type", text=True),
        "opp_dak_plat": _column(b, "opp_dak_plat"),
        "kas_warenhuis": b["kas_warenhuis"].notna().to_numpy() if "kas_warenhuis" in b.columns else np.zeros(n, bool),
    }
    functie_vbo = gbo_vbo = np.zeros(n, dtype=bool)
    vbo_stats: dict[str, tuple[int, int]] = {}
    vbo = inputs.verblijfsobjecten
    if vbo is not None and len(vbo) and n:
        bidx = link_vbo(b, vbo)
        linked = bidx >= 0
        doel = _column(vbo, "gebruiksdoel", text=True)
        opp = _column(vbo, "oppervlakte")
        has_vbo = np.bincount(bidx[linked], minlength=n) > 0
        # a pand without verblijfsobjecten has no function (a shed, a garage): known, and measured;
        # a pand with one whose gebruiksdoel or oppervlakte is missing is not
        functie_vbo = ~(np.bincount(bidx[linked & ~doel], minlength=n) > 0)
        gbo_vbo = ~(np.bincount(bidx[linked & ~opp], minlength=n) > 0)
        vbo_stats = {
            "panden_met_vbo": (int(has_vbo.sum()), n),
            "gekoppeld": (int(linked.sum()), len(vbo)),
            "gebruiksdoel": (int(doel.sum()), len(vbo)),
            "oppervlakte": (int(opp.sum()), len(vbo)),
            "status": (int(_column(vbo, "status", text=True).sum()), len(vbo)),
        }
    # from the pand alone: the functions and their count (estimated GBO from oppervlakte_min/max);
    # a pand with aantal_vbo 0 has no function
    no_vbo = (pd.to_numeric(b["aantal_vbo"], errors="coerce") == 0).to_numpy() if "aantal_vbo" in b.columns else np.zeros(n, bool)
    functie_pand = (pand["gebruiksdoel"] & pand["aantal_vbo"]) | no_vbo
    # the pand's own aggregates are exact, not estimated, where scans.inputs needs no assumption:
    # one function (or one vbo) gives the count per function; one function with equal min and
    # max, or two vbo's, gives the GBO (scans.inputs leaves gbo_schatting empty there)
    count = as_float(b, "aantal_vbo")
    lo, hi = as_float(b, "oppervlakte_min"), as_float(b, "oppervlakte_max")
    one_functie = n_functies(normalise_functies(b["gebruiksdoel"] if "gebruiksdoel" in b.columns else as_text(b, "gebruiksdoel"))) <= 1
    functie_exact = functie_pand & (one_functie | (count <= 1))
    gbo_exact = functie_pand & one_functie & ((count == 2) | (lo == hi)) & pand["oppervlakte"]
    in_gebied = None
    if locate and inputs.gebieden is not None and len(inputs.gebieden) and "gebied_code" in inputs.gebieden.columns:
        in_gebied = int((assign_gebied(b, inputs.gebieden) != BUITEN_GEBIED_CODE).sum())
    return _Known(
        n=n,
        pand=pand,
        functie=functie_vbo | functie_pand,
        functie_vbo=functie_vbo | functie_exact,
        gbo=gbo_vbo | (functie_pand & pand["oppervlakte"]) | no_vbo,
        gbo_vbo=gbo_vbo | gbo_exact | no_vbo,
        lagen=pand["bouwlagen"] | pand["hoogte"],
        lagen_3d=pand["bouwlagen"],
        vbo=vbo_stats,
        in_gebied=in_gebied,
    )


_PAND_COLUMNS = (
    ("bouwjaar", Translatable("Bouwjaar"), "BAG pand"),
    ("status", Translatable("Pandstatus"), "BAG pand"),
    ("gebruiksdoel", Translatable("Gebruiksdoel (op het pand)"), "BAG pand"),
    ("aantal_vbo", Translatable("Aantal verblijfsobjecten (op het pand)"), "BAG pand"),
    ("oppervlakte", Translatable("Oppervlakte min/max (op het pand)"), "BAG pand"),
    ("bouwlagen", Translatable("Bouwlagen"), "3D BAG"),
    ("hoogte", Translatable("Hoogte (dak 70% − maaiveld)"), "3D BAG"),
    ("dak_type", Translatable("Daktype"), "3D BAG"),
    ("opp_dak_plat", Translatable("Plat dakoppervlak"), "3D BAG"),
    ("kas_warenhuis", Translatable("Kas of warenhuis"), "3D BAG"),
)
_VBO_COLUMNS = (
    ("panden_met_vbo", Translatable("Panden met ≥ 1 verblijfsobject")),
    ("gekoppeld", Translatable("Verblijfsobjecten gekoppeld aan een pand")),
    ("gebruiksdoel", Translatable("Gebruiksdoel")),
    ("oppervlakte", Translatable("Oppervlakte (GBO)")),
    ("status", Translatable("Status")),
)


def _coverage(inputs: ScanInputs, k: _Known) -> tuple[Coverage, ...]:
    rows = [Coverage("gebouwen", col, label, int(k.pand[col].sum()), k.n, bron) for col, label, bron in _PAND_COLUMNS]
    for col, label in _VBO_COLUMNS:
        known, total = k.vbo.get(col, (0, k.n if col == "panden_met_vbo" else 0))
        rows.append(Coverage("verblijfsobjecten", col, label, known, total, "BAG verblijfsobject"))
    g = inputs.gebieden
    if g is not None and len(g):
        rows.append(Coverage("gebieden", "in_gebied", Translatable("Panden binnen een gebied"), k.in_gebied, k.n,
                             Translatable("gebiedenlaag")))
        rows.append(Coverage("gebieden", "woningvoorraad", Translatable("Gebieden met woningvoorraad"),
                             int(_column(g, "woningvoorraad").sum()), len(g), "CBS kerncijfers"))
    return tuple(rows)


def _layers_of(inputs: ScanInputs) -> dict[str, bool]:
    present = {}
    for role in CONTEXT_LAYERS:
        if role in RASTER_ROLES:
            present[role] = role in inputs.rasters
        else:
            layer = getattr(inputs, role, None)
            present[role] = layer is not None and len(layer) > 0
    return present


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else 0.0


def _scan_states(k: _Known, layers: dict[str, bool]) -> tuple[tuple[ScanState, ...], tuple[str, ...]]:
    """Per scan its state from what it needs; the advice sentences naming the scans they help."""
    est_gbo = Translatable("GBO uit oppervlakte min/max van het pand (geen verblijfsobjecten)")
    est_functie = Translatable("gebruiksdoel en aantal uit het pand (geen verblijfsobjecten)")
    # need: (Dutch name, known per pand, measured per pand, advice key, estimate text)
    functie = (Translatable("gebruiksdoel van de verblijfsobjecten"), k.functie, k.functie_vbo, "vbo", est_functie)
    gbo = (Translatable("oppervlakte (GBO) van de verblijfsobjecten"), k.gbo, k.gbo_vbo, "vbo", est_gbo)
    bouwjaar = (Translatable("bouwjaar"), k.pand["bouwjaar"], k.pand["bouwjaar"], "bouwjaar", "")
    lagen = (Translatable("bouwlagen of hoogte (3D BAG)"), k.lagen, k.lagen_3d, "3dbag", Translatable("bouwlagen uit de hoogte"))
    dak = (Translatable("daktype (3D BAG)"), k.pand["dak_type"], k.pand["dak_type"], "3dbag", "")
    needs = {
        "optoppen": [functie, bouwjaar, lagen, dak],
        "splitsen": [functie, gbo],
        "transformatie": [functie, gbo],
        "boerenerf": [functie, bouwjaar],
    }
    extra_estimates = {
        "optoppen": [(k.pand["dak_type"] & ~k.pand["opp_dak_plat"], Translatable("plat dakoppervlak uit de pandoppervlakte"),
                      "3dbag")],
        "boerenerf": [(~k.pand["kas_warenhuis"], Translatable("kas of warenhuis onbekend (geen 3D BAG)"), "3dbag")],
    }
    states, wanted = [], {}
    for name, spec in SCANS.items():
        if name not in needs:
            continue
        missing, estimated = [], []
        state = "volledig"
        for label, known, measured, source, estimate in needs[name]:
            share = _share(known)
            if share == 0.0:
                state = "niet"
                missing.append(label)
            elif share < FULL_SHARE:
                state = "gedeeltelijk" if state != "niet" else state
                missing.append(Translatable("{need} ({share} bekend)", need=label, share=_pct(share)))
            if share < FULL_SHARE or _share(known & ~measured) > 1 - FULL_SHARE:
                wanted.setdefault(source, []).append(name)
            if estimate and _share(known & ~measured) > 1 - FULL_SHARE:
                estimated.append(Translatable("{estimate} voor {share}", estimate=estimate, share=_pct(_share(known & ~measured))))
                state = "gedeeltelijk" if state == "volledig" else state
        for mask, text, source in extra_estimates.get(name, []):
            if k.n and _share(mask) > 1 - FULL_SHARE and state != "niet":
                estimated.append(Translatable("{estimate} voor {share}", estimate=text, share=_pct(_share(mask))))
                wanted.setdefault(source, []).append(name)
        states.append(ScanState(name, spec.label, state, tuple(missing), tuple(estimated)))
    if k.n and _share(k.pand["status"]) < FULL_SHARE:
        wanted.setdefault("status", [])
    advice = []
    for source in ("vbo", "3dbag", "bouwjaar", "status"):
        if source in wanted:
            names = list(dict.fromkeys(wanted[source]))
            scans = [_scan_term(name, name) for name in names]
            advice.append(Translatable("{advice} voor {scans}", advice=ADVICE[source], scans=scans) if names else ADVICE[source])
    return tuple(states), tuple(advice)


def _layer_advice(layers: dict[str, bool], coverage: tuple[Coverage, ...] = ()) -> tuple[str, ...]:
    out = []
    if not layers.get("gebieden"):
        out.append(ADVICE["gebieden"])
    else:
        inside = next((c for c in coverage if c.role == "gebieden" and c.column == "in_gebied"), None)
        if inside is not None and inside.known is not None and inside.known < inside.total:
            out.append(_outside_gebieden(inside.total - inside.known))
    if not (layers.get("water_bodem") or layers.get("bodemdaling") or layers.get("overstromingsdiepte")):
        out.append(ADVICE["water_bodem"])
    for role in ("netcongestie", "nplv"):
        if not layers.get(role):
            out.append(ADVICE[role])
    return tuple(out)


# ------------------------------------------------------------------------------------ after a scan


def check_result(result: Any, check: DataCheck | None = None) -> DataCheck:
    """``check`` (or an empty check) with what the scan ``result`` could not judge.

    Per scan: the panden judged onbekend (``totals["<scan>_onbekend"]``, else the sum of the
    building column ``<scan>_onbekend``) and the homes resting on estimates
    (``totals["<scan>_woningen_geschat"]``, else the homes of buildings whose ``<scan>_bron``
    starts with "geschat"); None where the result holds neither. The share of panden inside a
    gebied is read from the result's ``gebied_code`` when the check did not locate them.
    """
    gebouwen = getattr(result, "gebouwen", None)
    totals = getattr(result, "totals", None) or {}
    n = int(totals.get("gebouwen", 0 if gebouwen is None else len(gebouwen)))
    outcomes = []
    for name, spec in SCANS.items():
        column = f"{name}_woningen"
        if name not in totals and (gebouwen is None or column not in gebouwen.columns):
            continue
        homes = totals.get(name)
        if homes is None:
            homes = _int_sum(gebouwen[column])
        outcomes.append(ScanOutcome(name, spec.label, n, int(homes), _onbekend(name, totals, gebouwen),
                                    _geschat(name, totals, gebouwen)))
    check = check or DataCheck(n, checked_on=_dt.date.today().isoformat())
    coverage = check.coverage
    if gebouwen is not None and "gebied_code" in gebouwen.columns and check.layers.get("gebieden"):
        inside = int((gebouwen["gebied_code"].astype(object) != BUITEN_GEBIED_CODE).sum())
        coverage = tuple(replace(c, known=inside, total=len(gebouwen)) if (c.role, c.column) == ("gebieden", "in_gebied") and c.known is None
                         else c for c in coverage)
        advice = tuple(a for a in check.advice if "buiten de gebieden" not in a)
        if inside < len(gebouwen):
            advice += (_outside_gebieden(len(gebouwen) - inside),)
        check = replace(check, advice=advice)
    vervallen = totals.get("panden_vervallen")
    return replace(check, gebouwen=check.gebouwen if check.gebouwen is not None else n, coverage=coverage,
                   outcomes=tuple(outcomes), panden_vervallen=None if vervallen is None else int(vervallen))


def _int_sum(values: pd.Series) -> int:
    return int(pd.to_numeric(values, errors="coerce").fillna(0).sum())


def _onbekend(name: str, totals: dict, gebouwen) -> int | None:
    if f"{name}_onbekend" in totals:
        return int(totals[f"{name}_onbekend"])
    if gebouwen is not None and f"{name}_onbekend" in gebouwen.columns:
        return int(gebouwen[f"{name}_onbekend"].fillna(False).astype(bool).sum())
    return None


def _geschat(name: str, totals: dict, gebouwen) -> int | None:
    if f"{name}_woningen_geschat" in totals:
        return int(totals[f"{name}_woningen_geschat"])
    if gebouwen is not None and f"{name}_bron" in gebouwen.columns and f"{name}_woningen" in gebouwen.columns:
        from scans._rules import distinct_values

        codes, uniques = distinct_values(gebouwen[f"{name}_bron"])
        estimate = np.array([str(u).startswith("geschat") for u in uniques] + [False], dtype=bool)
        rows = estimate[np.where(codes < 0, len(uniques), codes)]
        return _int_sum(gebouwen[f"{name}_woningen"][rows])
    return None


# ------------------------------------------------------------------------------------ sources


def sources_of(project: Any) -> tuple[Source, ...]:
    """The source of every layer of ``project`` with its dates.

    From ``LayerSource.bron`` (``url``, ``opgehaald``, ``peildatum``, ``titel``) when the project
    recorded it; otherwise the file (as written in the project), its modification date and a
    peildatum from the file's own metadata or data (a ``peildatum``/``documentdatum`` column, a
    year in a CBS file or layer name).
    """
    out = []
    layers = {getattr(layer, "name", None): layer for layer in getattr(project, "layers", [])}
    for key, source in getattr(project, "sources", {}).items():
        bron = getattr(source, "bron", None) or {}
        path = str(getattr(source, "path", ""))
        resolved = project.resolve(path) if hasattr(project, "resolve") else Path(path)
        fallback = _file_source(resolved, source, layers.get(key))
        out.append(Source(
            key=key,
            role=str(getattr(source, "role", "")),
            titel=str(bron.get("titel") or fallback["titel"]),
            url=_safe_url(str(bron.get("url") or path)),
            opgehaald=_date_text(bron.get("opgehaald")) or fallback["opgehaald"],
            peildatum=_date_text(bron.get("peildatum")) or fallback["peildatum"],
            herkomst="project" if bron else "bestand",
        ))
    return tuple(out)


_TITLES = {
    "gebouwen": Translatable("BAG panden"), "verblijfsobjecten": Translatable("BAG verblijfsobjecten"),
    "gebieden": Translatable("gebieden"), "netcongestie": Translatable("capaciteitskaart netcongestie"),
    "water_bodem": Translatable("water en bodem"), "nplv": Translatable("NPLV-focusgebieden"),
}
_DATE_KEYS = re.compile(r"peildatum|documentdatum|datum|date|jaar|year", re.IGNORECASE)
_DATE_COLUMNS = ("peildatum", "documentdatum", "tijdstipregistratie", "begingeldigheid")


def _file_source(resolved: Any, source: Any, layer: Any) -> dict[str, str]:
    role = str(getattr(source, "role", ""))
    titel = _TITLES.get(role, role)
    out = {"titel": titel, "opgehaald": "", "peildatum": ""}
    if not isinstance(resolved, Path):
        return out  # a URL or connection: no file date
    try:
        out["opgehaald"] = _dt.date.fromtimestamp(resolved.stat().st_mtime).isoformat()
    except OSError:
        return out
    out["peildatum"] = _peildatum(resolved, getattr(source, "layer", None), layer, role)
    return out


def _peildatum(path: Path, layer_name: str | None, layer: Any, role: str) -> str:
    """The data's own date, as far as the file says it."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        info = pyogrio.read_info(path, layer=layer_name) if path.suffix.lower() not in (".tif", ".tiff") else {}
    except (DataSourceError, DataLayerError, OSError):  # a file GDAL cannot describe has no metadata to offer
        info = {}
    for scope in ("layer_metadata", "dataset_metadata"):
        for key, value in (info.get(scope) or {}).items():
            if _DATE_KEYS.search(str(key)) and str(value).strip():
                return Translatable("{value} ({key} in het bestand)", value=value, key=key)
    data = getattr(layer, "data", None)
    if data is not None:
        for column in _DATE_COLUMNS:
            if column in data.columns:
                values = pd.to_datetime(data[column], errors="coerce")
                if values.notna().any():
                    return Translatable("{date} (laatste {column})", date=values.max().date().isoformat(), column=column)
    if role == "gebieden" or "cbs" in path.name.lower():
        year = re.search(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", f"{path.stem} {layer_name or ''}")
        if year:
            return Translatable("{year} (jaar uit de naam)", year=year.group(1))
    return ""


def _date_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def _safe_url(text: str) -> str:
    """A URL without user, password or query (they may hold credentials); other text unchanged."""
    if "://" not in text:
        return text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


# ------------------------------------------------------------------------------------ text helpers


def _n(value: int | float | None) -> str:
    return "–" if value is None else f"{int(value):,}".replace(",", ".")


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%" if share >= 0.01 or share == 0 else "<1%"


#: Words of the tables, made once (``layers.texts.Translatable``: the interface says them in its language).
_YES, _NO, _UNKNOWN = Translatable("ja"), Translatable("nee"), Translatable("onbekend")


def _scan_term(name: str, label: str) -> Translatable:
    """A scan's name inside a sentence ("optoppen", "wonen op het boerenerf")."""
    return Translatable.term(label.lower(), "scan", name)


def _outside_gebieden(n: int) -> Translatable:
    if n == 1:
        return Translatable("{n:,} pand ligt buiten de gebieden (rij 'buiten gebied'): controleer of de gebiedenlaag de "
                            "hele gemeente dekt", n=n)
    return Translatable("{n:,} panden liggen buiten de gebieden (rij 'buiten gebied'): controleer of de gebiedenlaag de "
                        "hele gemeente dekt", n=n)


def _coverage_text(c: Coverage) -> str:
    if c.known is None:
        return Translatable("niet bepaald")
    if not c.total:
        return Translatable("geen")
    return Translatable("{share} ({known:,} van {total:,})", share=_pct(c.known / c.total), known=c.known, total=c.total)


def _fetched_text(source: Source) -> str:
    if not source.opgehaald:
        return _UNKNOWN
    if source.herkomst == "project":
        return source.opgehaald
    return Translatable("{date} (datum van het bestand)", date=source.opgehaald)


def _count_of(part: int | None, whole: int, unit: str) -> str:
    if part is None:
        return Translatable("niet gemeld")
    if unit == "panden":
        return Translatable("{part:,} van {whole:,} panden", part=part, whole=whole)
    return Translatable("{part:,} van {whole:,} woningen", part=part, whole=whole)
