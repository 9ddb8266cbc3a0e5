"""Waterschap informatieproduct: the water/bodem picture at a location (RD x, y) or in a gebied.

Per source polygon layer (role ``water_bodem``) the class of every zone there, with thema, bron,
scenario, zichtjaar and the conditions (mitsen); per raster (bodemdaling, overstromingsdiepte,
kwel) the value at the point, or mean and maximum over the gebied, with the class the raster
thresholds give. Classes, thresholds and texts come from ``scans.constraints`` (the same code
the potentiescan uses), so the informatieproduct and the scan never disagree.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import styles
from gisapp.i18n import tr
from layers.feedback import Feedback, Part, ensure
from layers.feedback import check as stop_if_cancelled
from layers.prepared import private_prepared
from scans import constraints
from scans.inputs import RASTER_ROLES

from .common import atomic_path
from .geopackage import add_layer_styles, write_attributes_table
from .maps import project_basemap, render_map
from .pdf import _Styles, _table, build_reporting, dutch_date, nl_float

KLASSE_LABELS = {"ja": "ja", "ja_mits": "ja, mits", "nee_tenzij": "nee, tenzij", "": "onbekend"}
#: The class where no source holds a value at the place (unknown is not zero: never "ja").
ONBEKEND = ""
#: Why a raster row has no class: the raster has no value there.
GEEN_WAARDE = "geen waarde op deze plek (raster zonder gegevens)"
RASTER_LABELS = {"bodemdaling": "Bodemdaling tot 2050", "overstromingsdiepte": "Overstromingsdiepte", "kwel": "Kwel"}
#: DOMAIN.md: the bodemdaling raster is subsidence to 2050; the others carry no horizon of their own.
RASTER_ZICHTJAAR = {"bodemdaling": "2050"}
#: Around a point the map shows this many metres each way.
POINT_MAP_RADIUS_M = 400.0


@dataclass(frozen=True)
class Informatieproduct:
    """The water/bodem picture at one place.

    ``bronnen`` has one row per source zone there (``laag``, ``klasse``, ``ernst``, ``thema``,
    ``bron``, ``scenario``, ``zichtjaar``, ``mits_toelichting``, ``omschrijving``, and for a gebied
    ``aandeel_pct`` of its area); ``rasters`` one row per raster (``raster``, ``eenheid``,
    ``waarde`` (point) or ``gemiddelde``/``maximum`` (gebied), ``klasse``, ``toelichting``).
    """

    titel: str
    soort: str  # "locatie" or "gebied"
    geometry: object
    klasse: str
    mitsen: tuple[str, ...]
    nee_tenzij: tuple[str, ...]
    bronnen: gpd.GeoDataFrame
    rasters: pd.DataFrame
    scenario: str
    drempels: pd.DataFrame
    omgeving: gpd.GeoDataFrame | None = None  # all water/bodem zones in the map extent (context)
    achtergrond: object = None  # the project's background map (maps.project_basemap), or None


def build_informatieproduct(project, *, xy: tuple[float, float] | None = None, gebied: str | None = None,
                            gebieden: str | None = None, scenario: str | None = None) -> Informatieproduct:
    """Collect the water/bodem picture of ``project`` at ``xy`` (RD) or in gebied ``gebied``."""
    from scans.scenarios import resolve_scenario

    if (xy is None) == (gebied is None):
        raise ValueError("geef een locatie (x,y) of een gebied, niet allebei of geen van beide")
    settings = resolve_scenario(project, scenario)
    params = settings.beperkingen
    if xy is not None:
        x, y = (float(v) for v in xy)
        geometry, soort = shapely.Point(x, y), "locatie"
        titel = f"Locatie x = {x:.0f}, y = {y:.0f} (RD)"
    else:
        geometry, titel = _gebied_geometry(project, gebied, gebieden)
        soort = "gebied"
    bronnen = _sources(project, geometry)
    rasters = _rasters(project, geometry, params)
    codes = [constraints.KLASSEN.index(k) for k in list(bronnen["klasse"]) + list(rasters["klasse"]) if k in constraints.KLASSEN]
    # outside every zone of a zones layer is "ja"; with neither a zones layer nor a raster value
    # at the place the class is unknown
    zones = any(getattr(layer, "data", None) is not None for layer in project.layers.by_role("water_bodem"))
    klasse = constraints.KLASSEN[max(codes)] if codes else (constraints.JA if zones else ONBEKEND)
    texts = list(zip(bronnen["klasse"], bronnen["omschrijving"])) + list(zip(rasters["klasse"], rasters["toelichting"]))
    mitsen = tuple(dict.fromkeys(t for k, t in texts if k == constraints.JA_MITS and t))
    nee = tuple(dict.fromkeys(t for k, t in texts if k == constraints.NEE_TENZIJ and t))
    omgeving = _surroundings(project, shapely.box(*map_extent(geometry)))
    return Informatieproduct(titel, soort, geometry, klasse, mitsen, nee, bronnen, rasters, settings.naam, _thresholds(params), omgeving,
                             project_basemap(project))


def map_extent(geometry) -> tuple[float, float, float, float]:
    """The map window: a square around a point, or the gebied padded by 30%."""
    if geometry.geom_type == "Point":
        r = POINT_MAP_RADIUS_M
        return (geometry.x - r, geometry.y - r, geometry.x + r, geometry.y + r)
    xmin, ymin, xmax, ymax = geometry.bounds
    pad = 0.3 * max(xmax - xmin, ymax - ymin, 50.0)
    return (xmin - pad, ymin - pad, xmax + pad, ymax + pad)


def _surroundings(project, window) -> gpd.GeoDataFrame | None:
    frames = []
    for layer in project.layers.by_role("water_bodem"):
        data = getattr(layer, "data", None)
        if data is None or "klasse" not in data.columns or not len(data):
            continue
        sub = data.iloc[np.sort(data.sindex.query(window, predicate="intersects"))]
        codes, _, _ = constraints.water_bodem_zone_classes(sub)
        frames.append(gpd.GeoDataFrame({"klasse": np.asarray(constraints.KLASSEN, dtype=object)[codes]},
                                       geometry=sub.geometry.to_numpy(), crs=data.crs))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs) if frames else None


def _gebied_geometry(project, code: str, key: str | None):
    layers = [project.layer(key)] if key else [project.layer(k) for k in project.gebieden_layers()]
    if key and layers[0] is None:
        raise ValueError(f"gebiedenlaag '{key}' bestaat niet in het project")
    for layer in layers:
        data = getattr(layer, "data", None)
        if data is None or "gebied_code" not in data.columns:
            continue
        hit = data[data["gebied_code"].astype(str) == str(code)]
        if len(hit):
            geometry = shapely.union_all(np.asarray(hit.geometry.values, dtype=object))
            name = hit.iloc[0].get("gebied_naam")
            label = f"{name} ({code})" if isinstance(name, str) and name else str(code)
            return geometry, f"Gebied {label}"
    raise ValueError(f"gebied '{code}' niet gevonden in de gebiedenlagen van het project")


def _sources(project, geometry) -> gpd.GeoDataFrame:
    frames = []
    for layer in project.layers.by_role("water_bodem"):
        data = getattr(layer, "data", None)
        if data is None or not len(data):
            continue
        idx = data.sindex.query(geometry, predicate="intersects")
        if not idx.size:
            continue
        sub = data.iloc[np.sort(idx)].reset_index(drop=True)
        codes, ernst, text = constraints.water_bodem_zone_classes(sub)
        frame = gpd.GeoDataFrame(
            {
                "laag": layer.name,
                "klasse": np.asarray(constraints.KLASSEN, dtype=object)[codes],
                "ernst": ernst,
                "thema": constraints.text_column(sub, "thema").to_numpy(dtype=object),
                "bron": constraints.text_column(sub, "bron").to_numpy(dtype=object),
                "scenario": constraints.text_column(sub, "scenario").to_numpy(dtype=object),
                "zichtjaar": _year_text(sub),
                "mits_toelichting": constraints.text_column(sub, "mits_toelichting").to_numpy(dtype=object),
                "omschrijving": text,
            },
            geometry=sub.geometry.to_numpy(),
            crs=data.crs,
        )
        if geometry.geom_type != "Point" and geometry.area > 0:
            shares = shapely.area(shapely.intersection(frame.geometry.to_numpy(), geometry)) / geometry.area
            frame["aandeel_pct"] = np.round(100 * shares, 1)
        frames.append(frame)
    columns = ["laag", "klasse", "ernst", "thema", "bron", "scenario", "zichtjaar", "mits_toelichting", "omschrijving"]
    if not frames:
        return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in columns}, geometry=gpd.GeoSeries([], crs="EPSG:28992"))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def _year_text(frame: pd.DataFrame) -> np.ndarray:
    """``zichtjaar`` as text, ``2050`` rather than ``2050.0`` when the column is numeric."""
    numbers = pd.to_numeric(frame["zichtjaar"], errors="coerce") if "zichtjaar" in frame.columns else None
    if numbers is not None and numbers.notna().any() and (numbers.dropna() == numbers.dropna().round()).all():
        return numbers.astype("Int64").astype(object).where(numbers.notna(), "").astype(str).to_numpy(dtype=object)
    return constraints.text_column(frame, "zichtjaar").to_numpy(dtype=object)


def raster_values_in(raster, polygon) -> np.ndarray:
    """Values of the cells whose centre lies in ``polygon`` (NaN cells dropped; north-up grids)."""
    rows, cols = raster.array.shape
    inverse = ~raster.transform
    xmin, ymin, xmax, ymax = polygon.bounds
    c = np.array([inverse @ (xmin, ymin), inverse @ (xmax, ymax)])
    c0, c1 = (int(np.clip(np.floor(v), 0, cols)) for v in (c[:, 0].min(), c[:, 0].max() + 1))
    r0, r1 = (int(np.clip(np.floor(v), 0, rows)) for v in (c[:, 1].min(), c[:, 1].max() + 1))
    if c1 <= c0 or r1 <= r0:
        return np.array([], dtype="float64")
    cc, rr = np.meshgrid(np.arange(c0, c1) + 0.5, np.arange(r0, r1) + 0.5)
    a = raster.transform
    xs = a.a * cc.ravel() + a.b * rr.ravel() + a.c
    ys = a.d * cc.ravel() + a.e * rr.ravel() + a.f
    # a private prepared copy: ``polygon`` may be a layer's, which a scan may be testing meanwhile
    inside = shapely.contains_xy(private_prepared(polygon), np.asarray(xs), np.asarray(ys))
    values = raster.array[r0:r1, c0:c1].ravel()[inside]
    return values[np.isfinite(values)]


def _rasters(project, geometry, params) -> pd.DataFrame:
    rows = []
    point = geometry if geometry.geom_type == "Point" else shapely.point_on_surface(geometry)
    for role in RASTER_ROLES:
        layer = project.layer(role)
        raster = getattr(layer, "raster", None)
        if raster is None:
            continue
        row = {"raster": role, "eenheid": raster.units or {"bodemdaling": "cm", "overstromingsdiepte": "m"}.get(role, ""),
               "zichtjaar": RASTER_ZICHTJAAR.get(role, "")}
        if geometry.geom_type == "Point":
            value = float(raster.sample(np.array([point.x]), np.array([point.y]))[0])
            row.update(waarde=value, gemiddelde=np.nan, maximum=np.nan)
            worst = value
        else:
            values = raster_values_in(raster, geometry)
            if not values.size:
                values = raster.sample(np.array([point.x]), np.array([point.y]))
                values = values[np.isfinite(values)]
            row.update(waarde=np.nan, gemiddelde=float(values.mean()) if values.size else np.nan,
                       maximum=float(values.max()) if values.size else np.nan)
            worst = row["maximum"]
        row["_worst"] = worst
        rows.append(row)
    columns = ["raster", "eenheid", "zichtjaar", "waarde", "gemiddelde", "maximum", "klasse", "toelichting"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    # One scan-engine call classifies every raster: row i carries only raster i's (worst) value.
    probe = pd.DataFrame({"cx": np.full(len(frame), point.x), "cy": np.full(len(frame), point.y)})
    for i, role in enumerate(frame["raster"]):
        probe[role] = np.where(np.arange(len(frame)) == i, frame["_worst"].to_numpy(dtype="float64"), np.nan)
    no_zones = SimpleNamespace(water_bodem=None, netcongestie=None, nplv=None)
    classes = constraints.classify(probe, no_zones, params)
    klasse = classes["water_bodem"].to_numpy(dtype=object)
    known = np.isin(klasse, constraints.KLASSEN) & np.isfinite(frame["_worst"].to_numpy(dtype="float64"))
    frame["klasse"] = np.where(known, klasse, ONBEKEND)
    toelichting = np.where(classes["mitsen"] != "", classes["mitsen"], classes["nee_tenzij_zone"])
    frame["toelichting"] = np.where(known, toelichting, GEEN_WAARDE)
    return frame[columns]


def _thresholds(params) -> pd.DataFrame:
    from scans.params import describe, format_value

    keep = ("bodemdaling_", "overstroming_", "kwel_", "uitsluiten_nee_tenzij")
    rows = [
        {"parameter": i.label, "waarde": format_value(getattr(params, i.name)), "eenheid": i.unit, "bron": i.source}
        for i in describe(type(params))
        if i.name.startswith(keep)
    ]
    return pd.DataFrame(rows, columns=["parameter", "waarde", "eenheid", "bron"])


# --- writers ---------------------------------------------------------------------------------


def write_informatieproduct_gpkg(product: Informatieproduct, path: str | Path, feedback: Feedback | None = None) -> Path:
    """GeoPackage with ``locatie`` (point or gebied with the final class), ``water_bodem_bronnen``
    (the source zones there, styled), ``rasterwaarden`` and ``drempels`` (attributes tables).
    ``feedback`` gets progress 0 to 1 per layer; a cancel raises ``CancelledError`` before the
    next one, leaving no file (an existing one at ``path`` unchanged)."""
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise ValueError(f"{path}: een GeoPackage moet op .gpkg eindigen")
    feedback = ensure(feedback)
    place = gpd.GeoDataFrame(
        {
            "titel": [product.titel],
            "soort": [product.soort],
            "klasse": [product.klasse],
            "mitsen": ["; ".join(product.mitsen)],
            "nee_tenzij": ["; ".join(product.nee_tenzij)],
            "scenario": [product.scenario],
        },
        geometry=[product.geometry],
        crs="EPSG:28992",
    )

    def step(fraction: float, layer: str) -> None:
        stop_if_cancelled(feedback)
        feedback.progress(fraction, tr("{laag} wegschrijven", laag=layer))

    with atomic_path(path, ".gpkg") as tmp:
        step(0.0, "locatie")
        pyogrio.write_dataframe(place, tmp, layer="locatie", driver="GPKG")
        layer_styles = {"locatie": _place_style(product)}
        if len(product.bronnen):
            step(0.2, "water_bodem_bronnen")
            bronnen = product.bronnen.copy()
            bronnen["geometry"] = shapely.force_2d(bronnen.geometry.values)
            pyogrio.write_dataframe(bronnen, tmp, layer="water_bodem_bronnen", driver="GPKG", promote_to_multi=True)
            layer_styles["water_bodem_bronnen"] = styles.default_style("water_bodem")
        step(0.5, "rasterwaarden")
        write_attributes_table(tmp, "rasterwaarden", product.rasters)
        step(0.65, "drempels")
        write_attributes_table(tmp, "drempels", product.drempels)
        stop_if_cancelled(feedback)
        feedback.progress(0.8, tr("totalen en stijlen"))
        add_layer_styles(tmp, layer_styles)
        stop_if_cancelled(feedback)
    feedback.progress(1.0, tr("klaar"))
    return path


def _place_style(product: Informatieproduct):
    if product.soort == "locatie":
        return styles.SingleSymbol(styles.SymbolStyle(fill="#000000ff", stroke="#ffffffff", stroke_width=0.4, marker_size=3.0))
    return styles.SingleSymbol(styles.SymbolStyle(fill="#00000000", stroke="#000000ff", stroke_width=0.8))


def write_informatieproduct_pdf(product: Informatieproduct, path: str | Path, *, project_name: str = "Project",
                                date: _dt.date | None = None, feedback: Feedback | None = None) -> Path:
    """A two-page Dutch PDF: class, conditions, sources, raster values, thresholds and a map.
    ``feedback`` gets progress 0 to 1 (the map, then the pages laid out); a cancel raises
    ``CancelledError`` at the next step, leaving no file (an existing one at ``path`` unchanged)."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise ValueError(f"{path}: een PDF moet op .pdf eindigen")
    feedback = ensure(feedback)
    st = _Styles()
    wb_style = styles.default_style("water_bodem")
    colour = {c.value: c.symbol.fill[:7] for c in wb_style.categories}
    story = [
        Paragraph(f"Informatieproduct water en bodem: {project_name}", st.title),
        Paragraph(f"{product.titel} · Datum: {dutch_date(date)} · Scenario: <b>{product.scenario}</b>", st.body),
        Spacer(1, 4 * mm),
    ]
    box = Table([[Paragraph(f"<b>Eindoordeel water en bodem: {KLASSE_LABELS[product.klasse]}</b>", st.h2)]], colWidths=[174 * mm])
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(colour.get(product.klasse, "#999999"))),
                             ("BOX", (0, 0), (-1, -1), 0.6, colors.black)]))
    story += [box, Spacer(1, 2 * mm),
              Paragraph("Het zwaarste oordeel van alle bronnen (zones en rasters) geldt.", st.small)]
    story.append(Paragraph("Voorwaarden (ja, mits)", st.h1))
    story += [Paragraph(f"• {_esc(t)}", st.body) for t in product.mitsen] or [Paragraph("Geen.", st.body)]
    story.append(Paragraph("Nee, tenzij", st.h1))
    story += [Paragraph(f"• {_esc(t)}", st.body) for t in product.nee_tenzij] or [Paragraph("Geen.", st.body)]

    story.append(Paragraph("Klasse per bron", st.h1))
    if len(product.bronnen):
        share = "aandeel_pct" in product.bronnen.columns
        rows = [["Laag", "Thema", "Klasse", "Bron", "Scenario", "Zichtjaar"] + (["% gebied"] if share else [])]
        for r in product.bronnen.itertuples(index=False):
            klasse = KLASSE_LABELS[r.klasse] + (f" ({r.ernst})" if r.ernst else "")
            rows.append([r.laag, r.thema or "–", klasse, r.bron or "–", r.scenario or "–", r.zichtjaar or "–"]
                        + ([nl_float(r.aandeel_pct)] if share else []))
        widths = [24, 34, 24, 36, 24, 16] + ([16] if share else [])
        story.append(_table(rows, st, col_widths=[w * mm for w in widths], numeric_cols=(6,) if share else ()))
    else:
        story.append(Paragraph("Geen water/bodem-zones op deze plek.", st.body))

    story.append(Paragraph("Rasterwaarden", st.h1))
    if len(product.rasters):
        point = product.soort == "locatie"
        values = ["Waarde"] if point else ["Gemiddeld", "Maximum"]
        rows = [["Raster", *values, "Eenheid", "Zichtjaar", "Klasse"]]
        for r in product.rasters.itertuples(index=False):
            numbers = [nl_float(r.waarde, 2)] if point else [nl_float(r.gemiddelde, 2), nl_float(r.maximum, 2)]
            rows.append([RASTER_LABELS.get(r.raster, r.raster), *numbers, r.eenheid, r.zichtjaar or "–", KLASSE_LABELS[r.klasse]])
        widths = (48, 36, 20, 22, 48) if point else (48, 24, 24, 20, 22, 36)
        story.append(_table(rows, st, col_widths=[w * mm for w in widths], numeric_cols=(1,) if point else (1, 2)))
        if not point:
            story.append(Paragraph("Voor een gebied bepaalt het maximum de klasse.", st.small))
    else:
        story.append(Paragraph("Het project heeft geen rasters voor bodemdaling, overstromingsdiepte of kwel.", st.body))

    story.append(Paragraph("Drempels (scenarioparameters)", st.h1))
    rows = [["Parameter", "Waarde", "Eenheid", "Bron"]] + product.drempels.astype(str).values.tolist()
    story.append(_table(rows, st, col_widths=[w * mm for w in (70, 20, 20, 64)], numeric_cols=(1,)))

    with tempfile.TemporaryDirectory(prefix="bb-info-") as tmpdir:
        png = _map(product, wb_style, Path(tmpdir) / "kaart.png", Part(feedback, 0.0, 0.6))
        story += [Paragraph("Kaart", st.h1), Image(str(png), width=174 * mm, height=174 * mm * 110 / 170)]
        stop_if_cancelled(feedback)
        with atomic_path(path, ".pdf") as tmp:
            doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                    bottomMargin=16 * mm, title=f"Informatieproduct water en bodem {project_name}",
                                    author="Beter Benutten")
            build_reporting(doc, story, Part(feedback, 0.6, 0.99))
    feedback.progress(1.0, tr("klaar"))
    return path


def _map(product: Informatieproduct, wb_style, png: Path, feedback: Feedback | None = None) -> Path:
    geometry = product.geometry
    extent = map_extent(geometry)
    marker = (geometry.x, geometry.y) if product.soort == "locatie" else None
    place = gpd.GeoDataFrame(geometry=[geometry], crs="EPSG:28992")
    context = product.omgeving if product.omgeving is not None else product.bronnen
    layers = [(context, wb_style)]
    if product.soort == "gebied":
        layers.append((place, _place_style(product)))
    legend = [("Water en bodem", wb_style)]
    return render_map(layers, png, extent=extent, legend=legend, marker=marker, size_mm=(170, 110),
                      basemap=product.achtergrond, feedback=feedback)


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
