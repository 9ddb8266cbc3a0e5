"""The "Gegevens" dock: what the project's data can tell each scan, and what it could not.

:class:`DataCheckPanel` shows a :class:`scans.gegevens.DataCheck` (scans full / partly / not,
what to add, coverage per role and column, the layers present, the sources with their dates, and
after a scan the panden judged onbekend and the homes resting on estimates).
:class:`DataCheckController` keeps it current: the check before a scan is made when the dock is
shown after the project changed (never while nobody looks), and after every scan it is completed
with the result, which also sets the warning banner on the results panel.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from gisapp.i18n import section_text, tr, translated
from gisapp.numbers import display_number

STATE_COLORS = {"volledig": "#2e7d32", "gedeeltelijk": "#b26a00", "niet": "#c62828"}
#: Below this many panden the dock's check also finds the gebied of every pand (in the GUI thread);
#: above it the share inside a gebied comes from the scan result.
LOCATE_BELOW = 100_000
WARNING_STYLE = "background: #fff3cd; border: 1px solid #d4a017; padding: 6px; color: #3d2f00;"


def state_label(state: str) -> str:
    """The Dutch state of a scan in the interface language."""
    return {"volledig": tr("volledig"), "gedeeltelijk": tr("gedeeltelijk"), "niet": tr("niet")}.get(state, state)


def _t(text) -> str:
    """A text of the check (made in ``scans.gegevens``) in the interface language, escaped for HTML."""
    return escape(str(translated(text)))


def check_html(check) -> str:
    """The check as an HTML page for the panel: the check's texts (``layers.texts.Translatable``)
    in the interface language; names and values from the data as they are."""
    if check is None:
        return f"<p>{escape(tr('Nog geen gegevens gecontroleerd.'))}</p>"
    parts = []
    if check.gebouwen is not None:
        parts.append(f"<p><b>{escape(tr('{n} panden gecontroleerd', n=_n(check.gebouwen)))}</b> ({escape(check.checked_on)})</p>")
    warning = warning_text(check) if check.outcomes else ""  # nothing about a scan before one ran
    if warning:
        parts.append(f"<p style='{WARNING_STYLE}'>{escape(warning)}</p>")
    rows = check.scan_rows()
    if rows:  # a list, not a wide table: the dock is narrow
        from scans.registry import SCANS

        name_of = {spec.label: name for name, spec in SCANS.items()}
        parts.append(f"<h3>{escape(tr('Scans op deze gegevens'))}</h3><ul>")
        for label, state, notes, onbekend, geschat in rows:
            colour = STATE_COLORS.get(state, "#000000")
            name = escape(section_text(name_of.get(label, ""), label))
            item = f"<b>{name}</b>: <b><font color='{colour}'>{escape(state_label(state))}</font></b>"
            if notes != "–":
                item += f"<br>{_t(notes)}"
            if onbekend != "–" or geschat != "–":
                item += (f"<br>{escape(tr('Onbekend na de scan'))}: {_t(onbekend)}; "
                         f"{escape(tr('Op een schatting'))}: {_t(geschat)}")
            parts.append(f"<li>{item}</li>")
        parts.append("</ul>")
    if check.advice:
        parts.append(f"<h3>{escape(tr('Wat toe te voegen'))}</h3><ul>")
        parts += [f"<li>{_t(sentence)}</li>" for sentence in check.advice]
        parts.append("</ul>")
    if check.panden_vervallen:
        parts.append(f"<p>{escape(tr('Vervallen panden (geen kandidaat): {n}', n=_n(check.panden_vervallen)))}</p>")
    if check.coverage:
        parts.append(f"<h3>{escape(tr('Dekking: aandeel met een bekende waarde'))}</h3>")
        parts.append(_table([tr("Gegeven"), tr("Bekend")],
                            [[f"{translated(label)} ({translated(bron)})", translated(known)]
                             for _role, label, known, bron in check.coverage_rows()]))
    if check.layers:
        parts.append(f"<h3>{escape(tr('Lagen naast de panden'))}</h3>")
        parts.append(_table([tr("Laag"), tr("Aanwezig"), tr("Zonder deze laag")],
                            [[translated(text) for text in row] for row in check.layer_rows()]))
    parts.append(f"<h3>{escape(tr('Bronnen'))}</h3>")
    if check.sources:
        parts.append("<ul>")
        for key, _role, titel, url, opgehaald, peildatum in check.source_rows():
            parts.append(f"<li><b>{escape(key)}</b>: {_t(titel)}<br>{escape(url)}<br>"
                         f"{escape(tr('Opgehaald'))}: {_t(opgehaald)}; {escape(tr('Peildatum'))}: {_t(peildatum)}</li>")
        parts.append("</ul>")
    else:
        parts.append(f"<p>{escape(tr('Geen bronnen bekend.'))}</p>")
    return "\n".join(parts)


def warning_text(check) -> str:
    """The warning on results that rest on incomplete data (empty when the data were complete)."""
    items = [] if check is None else check.banner_items()
    if not items:
        return ""
    return tr("Deze scan liep op onvolledige gegevens: {details}.", details=", ".join(_banner_part(item) for item in items))


def _banner_part(item: tuple) -> str:
    kind = item[0]
    if kind == "onbekend":
        text = "{n} pand onbekend voor {scan}" if item[1] == 1 else "{n} panden onbekend voor {scan}"
        return tr(text, n=_n(item[1]), scan=translated(item[2]))
    if kind == "geschat":
        text = "{n} woning rust op een schatting" if item[1] == 1 else "{n} woningen rusten op schattingen"
        return tr(text, n=_n(item[1]))
    if kind == "niet":
        return tr("{scan} kon niet draaien (ontbreekt: {missing})", scan=translated(item[1]), missing=translated(item[2]))
    return tr("{scan} deels", scan=translated(item[1]))


def _table(head: list[str], rows: list[list]) -> str:
    cells = "".join(f"<th align='left'>{escape(str(h))}</th>" for h in head)
    out = [f"<table cellspacing='0' cellpadding='3' border='1' style='border-collapse: collapse;'><tr bgcolor='#dde6f0'>{cells}</tr>"]
    for row in rows:
        tds = []
        for value in row:
            tds.append(f"<td>{escape(str(value))}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _n(value) -> str:
    return display_number(int(value), 0)


class DataCheckPanel(QWidget):
    """The contents of the "Gegevens" dock: one readable page of the current check."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.check = None
        self.title = QLabel(tr("Wat de gegevens de scans kunnen vertellen, en wat niet."), self)
        self.title.setWordWrap(True)
        self.recheck = QPushButton(tr("Opnieuw controleren"), self)
        self.recheck.setToolTip(tr("Controleer de gegevens van het project opnieuw (zonder scan)"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.recheck)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        self.set_check(None)

    def set_check(self, check) -> None:
        """Show ``check`` (a :class:`scans.gegevens.DataCheck`, or None)."""
        self.check = check
        self.browser.setHtml(check_html(check))


class DataCheckController(QObject):
    """Keeps the "Gegevens" dock and the results banner in step with the project and its scans."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self.panel = DataCheckPanel(window)
        self.dock = window._dock("gegevens", tr("Gegevens"), self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.results_dock, self.dock)
        window.results_dock.raise_()
        self._stale = True
        self._before = None  # the check before a scan, reused for its result while the data are unchanged
        window.project_changed.connect(self._new_project)
        window.project_loaded.connect(self._data_changed)
        window.layer_loaded.connect(self._data_changed)
        self.panel.recheck.clicked.connect(self.refresh)
        window.scan_finished.connect(self.scan_finished)
        window.results_panel.details_requested.connect(self.show)
        self.dock.visibilityChanged.connect(self._visibility_changed)

    @property
    def check(self):
        return self.panel.check

    def retranslate(self) -> None:
        """After a language switch: the page and the warning on the results again, from the check."""
        self.panel.set_check(self.panel.check)
        if self.panel.check is not None and self.panel.check.outcomes:
            self._window.results_panel.set_data_warning(warning_text(self.panel.check))
            self._window.results_panel.set_not_run(not_run(self.panel.check))

    def show(self) -> None:
        """Bring the dock to the front (the "details in Gegevens" link of the banner)."""
        self.dock.show()
        self.dock.raise_()
        self.refresh_if_stale()

    def _new_project(self, *_args) -> None:
        self.panel.set_check(None)  # (the results panel clears its banner itself)
        self._data_changed()

    def _data_changed(self, *_args) -> None:
        self._stale = True
        self._before = None
        if self.panel.check is not None and self.panel.check.outcomes:
            return  # the check of the last scan stays with its result until the next scan or "opnieuw"
        if self.dock.isVisible() and not self.dock.visibleRegion().isEmpty():
            QTimer.singleShot(0, self, self.refresh_if_stale)

    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            QTimer.singleShot(0, self, self.refresh_if_stale)

    def refresh_if_stale(self) -> None:
        if self._stale and (self.panel.check is None or not self.panel.check.outcomes):
            self.refresh()

    def refresh(self) -> None:
        """Check the project's data again (before a scan: no outcomes)."""
        project = self._window.project
        if project is None or self._window.is_loading():
            return
        self._stale = False
        self._before = (_fingerprint(project), self._check_project(project, locate=True))
        self.panel.set_check(self._before[1])

    def scan_finished(self, result) -> None:
        """Complete the check with ``result``; warn on the results panel when data were missing.

        The check before the scan is reused when the data did not change since it was made (the
        share of panden inside a gebied then comes from the result)."""
        from scans.gegevens import check_result

        project = self._window.project
        before = None
        if self._before is not None and not self._stale and project is not None and self._before[0] == _fingerprint(project):
            before = self._before[1]
        elif project is not None:
            before = self._check_project(project, locate=False)
        check = check_result(result, before)
        self._stale = False
        self.panel.set_check(check)
        self._window.results_panel.set_data_warning(warning_text(check))
        self._window.results_panel.set_not_run(not_run(check))

    @staticmethod
    def _check_project(project, *, locate: bool):
        """The check before a scan, in the GUI thread: cheap (a few vectorised counts and the vbo
        link); finding every pand's gebied only for projects below ``LOCATE_BELOW`` panden."""
        from scans.gegevens import check_data

        buildings = getattr(project.layer("gebouwen"), "data", None)
        return check_data(project, locate=locate and buildings is not None and len(buildings) < LOCATE_BELOW)


def _fingerprint(project) -> tuple:
    """Which data the project's layers hold (the scan's result layers left out): a check made
    for the same fingerprint describes the same data."""
    from gisapp.project_loading import RESULT_LAYER_NAMES

    return tuple((layer.name, getattr(layer, "role", None), id(getattr(layer, "data", None)), id(getattr(layer, "raster", None)))
                 for layer in project.layers if layer.name not in RESULT_LAYER_NAMES)


def install_data_check(window) -> DataCheckController:
    """Create the "Gegevens" dock of ``window`` (tabbed with the results) and keep it current."""
    return DataCheckController(window)


def not_run(check) -> set[str]:
    """The scans a data check says could not run (an input is missing)."""
    return {state.scan for state in check.scans if state.state == "niet"}
