"""The PDF report of a scan run (reportlab; maps and charts drawn with matplotlib's Agg canvas).

Contents, in Dutch: title, date and scenario; a summary; the map with the result choropleth and
legend; extra homes per scan per gebied; the constraints per gebied; the chart of homes per scan;
the sanity check against published ratios; "Gegevens en dekking" (the sources with their dates,
coverage per role and column, which scans ran fully, partly or not, the panden judged onbekend and
the homes resting on estimates); all parameters with their sources.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import styles
from gisapp.i18n import tr
from layers.feedback import Feedback, Part, ensure
from layers.feedback import check as stop_if_cancelled
from styles.numbers import format_number
from styles.unknown import unknown_rows

from .common import (
    COVERAGE_COLUMNS,
    SCAN_STATE_COLUMNS,
    atomic_path,
    data_check,
    parameter_rows,
    sanity_check,
    scan_labels,
    scan_names,
    scenario_name,
    summary,
)
from .maps import render_map

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")
HEADER_BG = colors.HexColor("#dde6f0")
GRID = colors.HexColor("#b0b7c0")
#: Maps draw buildings only up to this many (beyond that the choropleth alone stays legible).
MAX_MAP_BUILDINGS = 60_000
#: Tables with more gebieden than this list only the gebieden with a non-zero number.
MAX_ZERO_ROWS = 15
CANDIDATE_STYLE = styles.SingleSymbol(styles.SymbolStyle(fill="#303030e6", stroke="#000000ff", stroke_width=0.05))
UNKNOWN_CAPTION = (" Blauw gearceerd: onbekend (gegevens ontbreken): een scan kon door ontbrekende gegevens niet "
                   "oordelen; dat is geen 0.")
CELL_PADDING = 3
#: Where long header words may break.
HYPHENATED = {"Transformatie": "Transfor\xadmatie", "Optoppen": "Optop\xadpen"}
SCAN_COLORS = ("#1f78b4", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928")


def register_fonts() -> tuple[str, str]:
    """DejaVu Sans (shipped with matplotlib) for ≈, ², € and Dutch text; Helvetica when it is absent."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT, FONT_BOLD
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    except OSError:
        return "Helvetica", "Helvetica-Bold"
    return FONT, FONT_BOLD


def dutch_date(day: _dt.date | None = None) -> str:
    day = day or _dt.date.today()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def nl_int(value) -> str:
    """A whole number in Dutch notation (``styles.numbers``): 1.234; "–" when missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    return format_number(int(round(float(value))), 0)


def nl_float(value, digits: int = 1) -> str:
    """A number with ``digits`` decimals in Dutch notation (``styles.numbers``): 1.234,5; "–" when missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    return format_number(float(value), digits)


class _Styles:
    def __init__(self):
        regular, bold = register_fonts()
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("titel", parent=base["Title"], fontName=bold, fontSize=18, leading=22, alignment=0)
        self.h1 = ParagraphStyle("kop1", parent=base["Heading2"], fontName=bold, fontSize=13, leading=16, spaceBefore=8, spaceAfter=4)
        self.h2 = ParagraphStyle("kop2", parent=base["Heading3"], fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3)
        self.body = ParagraphStyle("tekst", parent=base["BodyText"], fontName=regular, fontSize=9, leading=12)
        self.small = ParagraphStyle("klein", parent=self.body, fontSize=7.5, leading=9.5)
        self.cell = ParagraphStyle("cel", parent=self.body, fontSize=7.5, leading=9)
        self.cell_right = ParagraphStyle("celrechts", parent=self.cell, alignment=TA_RIGHT)
        # Soft hyphens (\xad) in long Dutch words let narrow header cells break them.
        self.cell_bold = ParagraphStyle("celvet", parent=self.cell, fontName=bold, embeddedHyphenation=1, hyphenationLang="")
        self.regular, self.bold = regular, bold


def write_pdf(
    result,
    path: str | Path,
    *,
    project_name: str = "Project",
    gebied: str | None = None,
    context_layers: list[tuple] | None = None,
    date: _dt.date | None = None,
    locaties: pd.DataFrame | None = None,
    gegevens=None,
    basemap=None,
    gevoeligheid=None,
    feedback: Feedback | None = None,
) -> Path:
    """Write the PDF report of ``result``.

    Parameters
    ----------
    result : a ``ScanResult`` (duck-typed).
    path : the ``.pdf`` to write.
    project_name : shown in the title.
    gebied : a ``gebied_code``: report on that gebied only (its buildings and its row).
    context_layers : extra ``(title, gdf, style)`` drawn on the map under the results (e.g. NPLV).
    date : the report date (today by default).
    locaties : the ranked locatiescan table (``scans.locatiescan.report_table``), shown as a section.
    gegevens : the data check of the run (``scans.gegevens``), on the page "Gegevens en dekking";
        without it the page shows what the result alone says.
    basemap : the project's background map (``maps.project_basemap``), beneath the map from the
        tile cache or the offline file only.
    gevoeligheid : ``(one_at_a_time table, Band)`` of :mod:`scans.gevoeligheid`: a page
        "Gevoeligheid en onzekerheid" with the tornado chart, the band per scan and the sentences.
    feedback : progress 0 to 1 with the step (the map layer by layer, the charts, the pages laid
        out); a cancel stops the report at the next step and raises ``CancelledError``, leaving no
        file (an existing report at ``path`` stays as it was).
    """
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise ValueError(f"{path}: een PDF-rapport moet op .pdf eindigen")
    feedback = ensure(feedback)
    feedback.progress(0.0, tr("gegevens en dekking"))
    check = data_check(result, gegevens)  # of the whole run, also in a report on one gebied
    result = _select_gebied(result, gebied) if gebied else result
    st = _Styles()
    with tempfile.TemporaryDirectory(prefix="bb-rapport-") as tmpdir:
        story = _story(result, st, Path(tmpdir), project_name, gebied, context_layers or [], date, check, basemap,
                       Part(feedback, 0.02, 0.32))
        if gevoeligheid is not None:
            stop_if_cancelled(feedback)
            feedback.progress(0.32, tr("gevoeligheid: grafiek tekenen"))
            story.extend(_gevoeligheid_section(*gevoeligheid, st, Path(tmpdir), gebied))
        if locaties is not None and len(locaties):
            feedback.progress(0.37, tr("woningbouwlocaties"))
            story.extend(_locaties_section(locaties, st))
        stop_if_cancelled(feedback)
        with atomic_path(path, ".pdf") as tmp:
            doc = SimpleDocTemplate(
                str(tmp), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                title=f"Potentiescan {project_name}", author="Beter Benutten", subject="Potentiescan beter benutten",
            )
            footer = f"Beter Benutten · potentiescan {project_name} · {dutch_date(date)}"

            def on_page(canvas, doc_):
                canvas.saveState()
                canvas.setFont(st.regular, 7)
                canvas.setFillColor(colors.HexColor("#555555"))
                canvas.drawString(18 * mm, 9 * mm, footer)
                canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"pagina {doc_.page}")
                canvas.restoreState()

            build_reporting(doc, story, Part(feedback, 0.4, 0.99), onFirstPage=on_page, onLaterPages=on_page)
    feedback.progress(1.0, tr("klaar"))
    return path


def build_reporting(doc: SimpleDocTemplate, story: list, feedback: Feedback, **build_options) -> None:
    """``doc.build(story)`` telling ``feedback`` the share of the story laid out and the page it is
    on; a cancel raises ``CancelledError`` at the next flowable, before reportlab writes the file."""
    count = max(len(story), 1)

    def on_progress(kind: str, value: int) -> None:
        if kind == "PROGRESS":
            stop_if_cancelled(feedback)
            feedback.progress(max(0, value) / count, tr("pagina {page} opmaken", page=doc.page))

    feedback.progress(0.0, tr("pagina {page} opmaken", page=1))
    doc.setProgressCallBack(on_progress)
    doc.build(story, **build_options)


WARNING_BG = colors.HexColor("#fff3cd")
WARNING_LINE = colors.HexColor("#d4a017")


def _gegevens_section(check, st: _Styles) -> list:
    """The page "Gegevens en dekking": sources with dates, coverage, scans, onbekend and estimates."""
    out = [PageBreak(), Paragraph("Gegevens en dekking", st.h1)]
    if check.incomplete:
        box = Table([[Paragraph(_escape(check.banner_text().replace(" Details in Gegevens.", "")), st.body)]], colWidths=[174 * mm])
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), WARNING_BG), ("BOX", (0, 0), (-1, -1), 0.8, WARNING_LINE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        out += [box, Spacer(1, 2 * mm)]
    out.append(Paragraph("Bronnen", st.h2))
    rows = [["Laag", "Titel", "Bron (bestand of adres)", "Opgehaald", "Peildatum"]]
    rows += [[key, titel, url, opgehaald, peildatum] for key, _role, titel, url, opgehaald, peildatum in check.source_rows()]
    if len(rows) == 1:
        rows.append(["–", "bronnen niet bekend bij het schrijven", "", "", ""])
    out.append(_table(rows, st, col_widths=[22 * mm, 32 * mm, 60 * mm, 30 * mm, 30 * mm], numeric_cols=()))
    if check.coverage:
        out.append(Paragraph("Dekking: aandeel met een bekende waarde", st.h2))
        rows = [[c.capitalize() for c in COVERAGE_COLUMNS]] + [list(row) for row in check.coverage_rows()]
        out.append(_table(rows, st, col_widths=[30 * mm, 62 * mm, 44 * mm, 38 * mm], numeric_cols=(2,)))
    if check.layers:
        out.append(Paragraph("Lagen naast de panden", st.h2))
        rows = [["Laag", "Aanwezig", "Zonder deze laag"]] + [list(row) for row in check.layer_rows()]
        out.append(_table(rows, st, col_widths=[62 * mm, 20 * mm, 92 * mm], numeric_cols=()))
    out.append(Paragraph("Scans op deze gegevens", st.h2))
    rows = [[c.capitalize() for c in SCAN_STATE_COLUMNS]] + [list(row) for row in check.scan_rows()]
    out.append(_table(rows, st, col_widths=[26 * mm, 20 * mm, 68 * mm, 30 * mm, 30 * mm], numeric_cols=()))
    out.append(Paragraph(
        "Een pand is onbekend voor een scan als een gegeven ontbreekt dat een regel nodig heeft: het telt dan niet als "
        "‘geen potentie’. Woningen op een schatting rusten op een afgeleid gegeven (bijvoorbeeld de oppervlakte uit het "
        "pand in plaats van de verblijfsobjecten).", st.small))
    if check.panden_vervallen:
        out.append(Paragraph(f"Vervallen panden (gesloopt, niet gerealiseerd …), geen kandidaat: {nl_int(check.panden_vervallen)}.",
                             st.small))
    if check.advice:
        out.append(Paragraph("Wat toe te voegen", st.h2))
        out += [Paragraph("• " + _escape(sentence), st.body) for sentence in check.advice]
    return out


def _select_gebied(result, code: str):
    gebieden = getattr(result, "gebieden", None)
    if gebieden is None or "gebied_code" not in gebieden.columns:
        raise ValueError("dit resultaat heeft geen gebieden: --gebied kan niet")
    codes = gebieden["gebied_code"].astype(str)
    if not (codes == str(code)).any():
        sample = ", ".join(codes.head(5))
        raise ValueError(f"gebied '{code}' niet gevonden (bijvoorbeeld: {sample})")
    from types import SimpleNamespace

    gebouwen = result.gebouwen[result.gebouwen["gebied_code"].astype(str) == str(code)]
    return SimpleNamespace(
        gebouwen=gebouwen,
        gebieden=gebieden[codes == str(code)],
        complexen=getattr(result, "complexen", None),
        settings=result.settings,
        totals=getattr(result, "totals", {}),
        seconds=getattr(result, "seconds", 0.0),
    )


def _story(result, st: _Styles, tmpdir: Path, project_name: str, gebied: str | None, context_layers, date,
           gegevens=None, basemap=None, feedback: Feedback | None = None) -> list:
    feedback = ensure(feedback)
    gebieden = getattr(result, "gebieden", None)
    scans = scan_names(result.gebouwen)
    labels = scan_labels()
    story: list = []
    where = ""
    if gebied and gebieden is not None and len(gebieden):
        name = str(gebieden.iloc[0].get("gebied_naam", "") or "")
        where = f" – {name} ({gebied})" if name else f" – {gebied}"
    story.append(Paragraph(f"Potentiescan beter benutten: {project_name}{where}", st.title))
    story.append(
        Paragraph(
            f"Datum: {dutch_date(date)} · Scenario: <b>{scenario_name(result)}</b> · "
            f"{nl_int(len(result.gebouwen))} panden · rekentijd {nl_float(getattr(result, 'seconds', 0.0))} s",
            st.body,
        )
    )
    story.append(Spacer(1, 4 * mm))

    # Summary
    story.append(Paragraph("Samenvatting", st.h1))
    rows = [["Onderdeel", "Waarde", "Eenheid"]]
    for item in summary(result).itertuples(index=False):
        value = nl_float(item.waarde) if item.eenheid == "kW" else nl_int(item.waarde)
        rows.append([item.onderdeel, value, item.eenheid])
    story.append(_table(rows, st, col_widths=[90 * mm, 30 * mm, 25 * mm], bold_rows={len(scans) + 1}))

    # Map
    story.append(Paragraph("Kaart: extra woningen", st.h1))
    map_png = _map(result, tmpdir / "kaart.png", gebied, context_layers, basemap, Part(feedback, 0.0, 0.85))
    story.append(Image(str(map_png), width=174 * mm, height=174 * mm * 120 / 170))
    story.append(
        Paragraph(
            ("Panden gekleurd naar hun aantal extra woningen (natuurlijke klassen)." if gebied else
             "Gebieden gekleurd naar het totaal aantal extra woningen (natuurlijke klassen); panden met potentie in "
             "donkergrijs.") + (UNKNOWN_CAPTION if _map_has_unknown(result, gebied) else "")
            + " Coördinaten in RD New (EPSG:28992).",
            st.small,
        )
    )

    # Per scan per gebied
    if gebieden is not None and len(gebieden):
        story.append(PageBreak())
        story.append(Paragraph("Extra woningen per scan per gebied", st.h1))
        story.append(_per_gebied_table(gebieden, scans, labels, st))
        without = int((pd.to_numeric(gebieden["totaal_woningen"], errors="coerce").fillna(0) <= 0).sum())
        if len(gebieden) > MAX_ZERO_ROWS and without:
            story.append(Paragraph(f"{without} gebieden zonder extra woningen staan niet in deze tabel (wel in de Excel-werkmap); "
                                   "het totaal telt alle gebieden.", st.small))
        story.append(Paragraph("Randvoorwaarden per gebied", st.h1))
        story.append(
            Paragraph(
                "Woningen in een ja-mits-gebied tellen mee maar vragen voorwaarden; woningen in een nee-tenzij-gebied "
                "zijn uitgesloten en tellen niet mee in het totaal; woningen in netcongestie hebben code 2 of 3 op de "
                "capaciteitskaart.",
                st.small,
            )
        )
        story.append(_constraints_table(gebieden, st))

    # Chart
    stop_if_cancelled(feedback)
    feedback.progress(0.85, tr("grafiek tekenen"))
    chart = _bar_chart(result, scans, labels, tmpdir / "grafiek.png")
    feedback.progress(1.0, tr("grafiek tekenen"))
    story.append(KeepTogether([Paragraph("Extra woningen per scan", st.h1), Image(str(chart), width=150 * mm, height=70 * mm)]))

    # Sanity check
    check = sanity_check(result)
    rows = [["Kengetal", "Deze scan", "Referentie", "Bron"]]
    share = "–" if check["aandeel"] is None else nl_float(check["aandeel"] * 100, 2) + "%"
    rows.append(["Optoppen als aandeel van de woningvoorraad", share, "≈ 2,4%", check["bron"]])
    rows.append(["Optopwoningen / woningvoorraad", f"{nl_int(check['optoppen'])} / {nl_int(check['woningvoorraad'])}", "28.800 woningen in Zuid-Holland", "Stec 2023"])
    story.append(
        KeepTogether(
            [
                Paragraph("Toets aan gepubliceerde kengetallen", st.h1),
                _table(rows, st, col_widths=[62 * mm, 30 * mm, 40 * mm, 42 * mm]),
                Spacer(1, 2 * mm),
                Paragraph(check["oordeel"], st.body),
            ]
        )
    )

    if gegevens is not None:
        story.extend(_gegevens_section(gegevens, st))

    # Parameters
    story.append(PageBreak())
    story.append(Paragraph(f"Scenario en parameters: {scenario_name(result)}", st.h1))
    story.append(
        Paragraph(
            "Alle getallen zijn scenarioparameters. Bron ‘standaardwaarde’ betekent een eigen aanname zonder "
            "gepubliceerd getal; pas die aan in het project of in de scandialoog.",
            st.small,
        )
    )
    params = parameter_rows(result.settings)
    rows = [["Groep", "Parameter", "Waarde", "Eenheid", "Bron"]]
    rows += [[r.groep, r.label, r.waarde, r.eenheid, r.bron] for r in params.itertuples(index=False)]
    story.append(_table(rows, st, col_widths=[26 * mm, 58 * mm, 28 * mm, 18 * mm, 44 * mm], numeric_cols=()))
    return story


#: Locatiescan columns shown in the PDF (the Excel sheet has them all).
LOCATIES_PDF_COLUMNS = ("Rang", "Locatie", "Geplande woningen", "Planstatus", "Start bouw", "Score", "Woningbouwimpuls")


def _locaties_section(locaties: pd.DataFrame, st: _Styles) -> list:
    """The woningbouwlocaties: ranking, score and the reasons per location."""
    shown = [c for c in LOCATIES_PDF_COLUMNS if c in locaties.columns]
    records = locaties.to_dict("records")
    rows = [shown] + [[_cell(r.get(c), year=c == "Start bouw") for c in shown] for r in records]
    numeric = tuple(i for i, c in enumerate(shown) if c in ("Rang", "Geplande woningen", "Start bouw", "Score"))
    out = [
        PageBreak(),
        Paragraph("Woningbouwlocaties (locatiescan)", st.h1),
        Paragraph(
            "Elke locatie getoetst aan dezelfde beperkingen als de gebouwen (water en bodem, netcongestie, "
            "NPLV), de criteria van de Woningbouwimpuls en een gewogen score in de geest van "
            "‘Kansrijk Bouwen!’. Hoogste score bovenaan.",
            st.small,
        ),
        Spacer(1, 2 * mm),
        _table(rows, st, numeric_cols=numeric),
        Spacer(1, 3 * mm),
    ]
    reason_cols = [c for c in locaties.columns if c.lower().startswith(("reden", "toelichting")) or c == "Woningbouwimpuls reden"]
    for record in records:
        texts = [f"{c}: {_cell(record.get(c))}" for c in reason_cols if _cell(record.get(c)) not in ("", "–")]
        if texts:
            name = _cell(record.get("Locatie", ""))
            out.append(Paragraph(f"<b>{_escape(name)}</b> – " + _escape("; ".join(texts)), st.small))
    return out


def _cell(value, year: bool = False) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if year:
        return str(int(value))
    if isinstance(value, float):
        return nl_float(value, 1) if value != int(value) else nl_int(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(value)


def _header_style(st: _Styles, text: str, width_pt: float | None) -> ParagraphStyle:
    """The bold header style, shrunk (down to 5.5 pt) until the longest word fits the column."""
    if width_pt is None:
        return st.cell_bold
    pieces = text.replace("\xad", " ").split()
    longest = max((pdfmetrics.stringWidth(w, st.bold, st.cell_bold.fontSize) for w in pieces), default=0.0)
    room = width_pt - 2 * CELL_PADDING - 1
    if longest <= room:
        return st.cell_bold
    size = max(5.5, st.cell_bold.fontSize * room / longest)
    return ParagraphStyle(f"kop{size:.1f}", parent=st.cell_bold, fontSize=size, leading=size * 1.2)


def _table(rows, st: _Styles, col_widths=None, bold_rows=(), numeric_cols=(1,)) -> Table:
    data = []
    for i, row in enumerate(rows):
        cells = []
        for j, value in enumerate(row):
            style = st.cell_bold if i == 0 or i in bold_rows else (st.cell_right if j in numeric_cols else st.cell)
            if i == 0:
                style = _header_style(st, str(value), col_widths[j] if col_widths else None)
            if i > 0 and i in bold_rows and j in numeric_cols:
                style = ParagraphStyle("vetrechts", parent=st.cell_bold, alignment=TA_RIGHT)
            cells.append(Paragraph(_escape(str(value)), style))
        data.append(cells)
    table = Table(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
                ("INNERGRID", (0, 1), (-1, -1), 0.25, GRID),
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _gebied_name(row) -> str:
    name = row.get("gebied_naam")
    code = row.get("gebied_code", "")
    return f"{name} ({code})" if isinstance(name, str) and name else str(code)


def _per_gebied_table(gebieden, scans, labels, st) -> Table:
    header = ["Gebied"] + [HYPHENATED.get(labels.get(s, s), labels.get(s, s)) for s in scans] + ["Totaal", "Voorraad", "% voorraad"]
    rows = [header]
    frame = gebieden.sort_values("totaal_woningen", ascending=False, kind="stable") if "totaal_woningen" in gebieden else gebieden
    if len(frame) > MAX_ZERO_ROWS and "totaal_woningen" in frame:
        frame = frame[pd.to_numeric(frame["totaal_woningen"], errors="coerce") > 0]
    for _, row in frame.iterrows():
        rows.append(
            [_gebied_name(row)]
            + [nl_int(row.get(f"{s}_woningen", 0)) for s in scans]
            + [nl_int(row.get("totaal_woningen", 0)), nl_int(_num(row.get("woningvoorraad"))), nl_float(_num(row.get("pct_van_voorraad")), 2)]
        )
    stock = pd.to_numeric(gebieden.get("woningvoorraad"), errors="coerce") if "woningvoorraad" in gebieden else None
    total = pd.to_numeric(gebieden.get("totaal_woningen"), errors="coerce").sum() if "totaal_woningen" in gebieden else 0
    stock_sum = float(stock.sum()) if stock is not None and stock.notna().any() else None
    rows.append(
        ["Totaal"]
        + [nl_int(pd.to_numeric(gebieden[f"{s}_woningen"], errors="coerce").sum()) for s in scans if f"{s}_woningen" in gebieden]
        + [nl_int(total), nl_int(stock_sum), nl_float(100 * total / stock_sum, 2) if stock_sum else "–"]
    )
    n = len(header)
    widths = [44 * mm] + [(174 - 44) * mm / (n - 1)] * (n - 1)
    return _table(rows, st, col_widths=widths, bold_rows={len(rows) - 1}, numeric_cols=tuple(range(1, n)))


def _constraints_table(gebieden, st) -> Table:
    columns = [
        ("woningen_ja_mits", "Ja-mits", nl_int),
        ("woningen_uitgesloten_nee_tenzij", "Uitgesloten (nee-tenzij)", nl_int),
        ("woningen_in_congestie", "In net\xadcongestie", nl_int),
        ("netimpact_kw", "Netimpact (kW)", nl_float),
        ("woningen_nplv", "In NPLV", nl_int),
        ("realisatiestimulans_eur", "Realisatie- stimulans (€)", nl_int),
    ]
    columns = [c for c in columns if c[0] in gebieden.columns]
    rows = [["Gebied"] + [c[1] for c in columns]]
    shown = gebieden
    if len(gebieden) > MAX_ZERO_ROWS:
        values = gebieden[[c[0] for c in columns]].apply(pd.to_numeric, errors="coerce").fillna(0)
        shown = gebieden[(values != 0).any(axis=1).to_numpy()]
    for _, row in shown.iterrows():
        rows.append([_gebied_name(row)] + [fmt(_num(row.get(col))) for col, _, fmt in columns])
    rows.append(["Totaal"] + [fmt(pd.to_numeric(gebieden[col], errors="coerce").sum()) for col, _, fmt in columns])
    n = len(rows[0])
    widths = [44 * mm] + [(174 - 44) * mm / max(n - 1, 1)] * (n - 1)
    return _table(rows, st, col_widths=widths, bold_rows={len(rows) - 1}, numeric_cols=tuple(range(1, n)))


def _num(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def _map(result, png: Path, gebied: str | None, context_layers, basemap=None, feedback: Feedback | None = None) -> Path:
    """Project: the choropleth per gebied with candidate panden in dark grey on top.
    One gebied: its panden coloured by their extra homes inside the gebied outline."""
    gebieden = getattr(result, "gebieden", None)
    has_gebieden = gebieden is not None and len(gebieden) > 0
    gebouwen = result.gebouwen
    layers, legend = [], []
    if has_gebieden and not gebied:
        choropleth = styles.default_style("gebieden_potentie", gebieden)
        layers.append((gebieden, choropleth))
        legend.append(("Extra woningen per gebied", choropleth, gebieden))
    for title, gdf, style in context_layers:
        layers.append((gdf, style))
        legend.append((title, style))
    if len(gebouwen) <= MAX_MAP_BUILDINGS:
        if gebied:
            style = styles.default_style("gebouwen_potentie", gebouwen)
            layers.append((gebouwen, style))
            legend.append(("Extra woningen per pand", style, gebouwen))
        else:
            panden, style = _panden_layer(gebouwen)
            layers.append((panden, style))
            legend.append(("Panden", style, panden))
    if has_gebieden:
        layers.append((gebieden, styles.default_style("gebieden")))
    labels = None
    if has_gebieden and len(gebieden) <= 40:
        labels = gebieden[["geometry"]].copy()
        names = gebieden["gebied_naam"] if "gebied_naam" in gebieden else gebieden["gebied_code"]
        labels["label"] = names.fillna(gebieden["gebied_code"]).astype(str)
    extent = tuple(gebieden.total_bounds) if has_gebieden else None
    return render_map(layers, png, extent=extent, legend=legend, labels=labels, basemap=basemap, feedback=feedback)


def _panden_layer(gebouwen) -> tuple:
    """``(panden, style)`` of the project map: the panden with potential in dark grey and, apart,
    those whose potential is onbekend (0 homes and a scan could not judge: ``styles.unknown``),
    classed by a column ``kaartklasse`` made here for the map."""
    values = pd.to_numeric(gebouwen["totaal_woningen"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    unknown = styles.unknown_class("totaal_woningen", gebouwen)
    onbekend = unknown_rows(unknown, values, gebouwen)
    klasse = np.where(onbekend, "onbekend", np.where(values > 0, "potentie", ""))
    panden = gebouwen.assign(kaartklasse=klasse)[klasse != ""]
    categories = [styles.Category("potentie", "met potentie", CANDIDATE_STYLE.symbol)]
    if unknown is not None:
        categories.append(styles.Category("onbekend", unknown.label, unknown.symbol))
    return panden, styles.Categorized("kaartklasse", categories)


def _map_has_unknown(result, gebied: str | None) -> bool:
    """Whether the report's map draws an onbekend class (its caption then explains it)."""
    gebieden = getattr(result, "gebieden", None)
    if not gebied and gebieden is not None and len(gebieden) and styles.unknown_class("totaal_woningen", gebieden) is not None:
        return True
    return len(result.gebouwen) <= MAX_MAP_BUILDINGS and styles.unknown_class("totaal_woningen", result.gebouwen) is not None


def _bar_chart(result, scans, labels, png: Path) -> Path:
    values = [float(pd.to_numeric(result.gebouwen[f"{s}_woningen"], errors="coerce").sum()) for s in scans]
    names = [labels.get(s, s) for s in scans]
    fig = Figure(figsize=(150 / 25.4, 70 / 25.4), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    bars = ax.bar(names, values, color=list(SCAN_COLORS[: len(values)]))
    for bar, value in zip(bars, values):
        ax.annotate(nl_int(value), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=7,
                    xytext=(0, 2), textcoords="offset points")
    ax.set_ylabel("extra woningen", fontsize=7)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, max(values + [1]) * 1.15)
    fig.tight_layout()
    fig.savefig(png, dpi=200)
    return png


def tornado_chart(rows: pd.DataFrame, png: Path, *, title: str = "", top: int = 12) -> Path:
    """The tornado chart of a one-at-a-time analysis (``scans.gevoeligheid.tornado`` rows): per
    parameter a horizontal bar from the homes at its low to those at its high around the homes
    at the scenario's values, the largest swing on top (the same chart as the app's)."""
    rows = rows[rows["swing"] > 0].head(top).iloc[::-1]
    fig = Figure(figsize=(170 / 25.4, (30 + 7 * max(len(rows), 1)) / 25.4), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    if len(rows):
        base = float(rows["woningen"].iloc[0])
        y = np.arange(len(rows))
        low = rows["woningen_laag"].to_numpy(dtype=float) - base
        high = rows["woningen_hoog"].to_numpy(dtype=float) - base
        ax.barh(y, low, left=base, color="#4c78a8", label="laag")
        ax.barh(y, high, left=base, color="#f58518", label="hoog")
        ax.axvline(base, color="#333333", linewidth=0.8)
        labels = [f"{label} ({_value(lo, unit)}–{_value(hi, unit)})"
                  for label, lo, hi, unit in zip(rows["label"], rows["laag"], rows["hoog"], rows["eenheid"])]
        ax.set_yticks(y, labels, fontsize=6)
        ax.legend(fontsize=6, frameon=False, loc="lower right")
    else:
        ax.text(0.5, 0.5, "geen aanname verandert het aantal woningen", ha="center", va="center", fontsize=7,
                transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel("woningen (parameter op laag / hoog, de rest standaard)", fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.set_major_formatter(lambda value, _pos: nl_int(value))
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=200)
    return png


def _value(value, unit: str = "") -> str:
    if isinstance(value, str):
        return value
    if unit == "jaar":
        return str(int(value))
    return nl_float(value, 2).rstrip("0").rstrip(",") if float(value) != int(value) else nl_int(value)


def _gevoeligheid_section(table: pd.DataFrame, band, st: _Styles, tmpdir: Path, gebied: str | None) -> list:
    """The page "Gevoeligheid en onzekerheid": per scan the P10–P90 band and the assumption that
    decides most, in words; the tornado chart of the total (the app's chart); the method."""
    from scans import gevoeligheid as g

    where = gebied if gebied and gebied in band.table.index else g.TOTAAL
    out = [PageBreak(), Paragraph("Gevoeligheid en onzekerheid", st.h1)]
    for scan in (*g.SCANS, "totaal"):
        out.append(Paragraph(_escape(g.sentence(band, table, scan, where)), st.body))
        out.append(Spacer(1, 1.5 * mm))
    rows = [["Scan", "P10", "P50", "P90", "Standaard"]]
    labels = scan_labels()
    for scan in (*g.SCANS, "totaal"):
        p10, p50, p90 = band.total(scan, where)
        rows.append([labels.get(scan, "Totaal"), nl_int(p10), nl_int(p50), nl_int(p90), nl_int(band.plain.loc[where, scan])])
    out.append(_table(rows, st, col_widths=[50 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm], bold_rows={len(rows) - 1},
                      numeric_cols=(1, 2, 3, 4)))
    rows = g.tornado(table, "totaal", where)
    png = tornado_chart(rows, tmpdir / "tornado.png",
                        title="Totaal aantal woningen: elke aanname op laag en hoog, de rest standaard")
    shown = max(min(int((rows["swing"] > 0).sum()), 12), 1)  # the chart's height follows its bars
    height = (30 + 7 * shown) * mm
    out.append(KeepTogether([Spacer(1, 3 * mm), Image(str(png), width=170 * mm, height=height)]))
    out.append(Paragraph(
        f"Methode: elke aanname met een bereik (zie <i>gisapp scans help</i>) is één voor één op haar laag en hoog gezet, "
        f"de rest op de waarde van het scenario; ja/nee-keuzes op de andere stand. De band komt uit {nl_int(band.draws)} "
        f"trekkingen (zaad {band.seed}) van alle bereiken tegelijk, driehoeksverdeeld rond de standaardwaarde, de helft "
        "onder en de helft boven; P10–P90: tachtig procent van de trekkingen ligt ertussen. Ja/nee-keuzes worden niet "
        "getrokken.", st.small))
    return out
