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

from gisapp.i18n import tr

STATE_COLORS = {"volledig": "#2e7d32", "gedeeltelijk": "#b26a00", "niet": "#c62828"}
WARNING_STYLE = "background: #fff3cd; border: 1px solid #d4a017; padding: 6px; color: #3d2f00;"


def state_label(state: str) -> str:
    """The Dutch state of a scan in the interface language."""
    return {"volledig": tr("volledig"), "gedeeltelijk": tr("gedeeltelijk"), "niet": tr("niet")}.get(state, state)


def check_html(check) -> str:
    """The check as an HTML page for the panel (the data's own texts stay Dutch)."""
    if check is None:
        return f"<p>{escape(tr('Nog geen gegevens gecontroleerd.'))}</p>"
    parts = []
    if check.gebouwen is not None:
        parts.append(f"<p><b>{escape(tr('{n} panden gecontroleerd', n=_n(check.gebouwen)))}</b> ({escape(check.checked_on)})</p>")
    warning = warning_text(check)
    if warning:
        parts.append(f"<p style='{WARNING_STYLE}'>{escape(warning)}</p>")
    rows = check.scan_rows()
    if rows:  # a list, not a wide table: the dock is narrow
        parts.append(f"<h3>{escape(tr('Scans op deze gegevens'))}</h3><ul>")
        for label, state, notes, onbekend, geschat in rows:
            colour = STATE_COLORS.get(state, "#000000")
            item = f"<b>{escape(label)}</b>: <b><font color='{colour}'>{escape(state_label(state))}</font></b>"
            if notes != "–":
                item += f"<br>{escape(notes)}"
            if onbekend != "–" or geschat != "–":
                item += (f"<br>{escape(tr('Onbekend na de scan'))}: {escape(onbekend)}; "
                         f"{escape(tr('Op een schatting'))}: {escape(geschat)}")
            parts.append(f"<li>{item}</li>")
        parts.append("</ul>")
    if check.advice:
        parts.append(f"<h3>{escape(tr('Wat toe te voegen'))}</h3><ul>")
        parts += [f"<li>{escape(sentence)}</li>" for sentence in check.advice]
        parts.append("</ul>")
    if check.panden_vervallen:
        parts.append(f"<p>{escape(tr('Vervallen panden (geen kandidaat): {n}', n=_n(check.panden_vervallen)))}</p>")
    if check.coverage:
        parts.append(f"<h3>{escape(tr('Dekking: aandeel met een bekende waarde'))}</h3>")
        parts.append(_table([tr("Gegeven"), tr("Bekend")],
                            [[f"{label} ({role}, {bron})", known] for role, label, known, bron in check.coverage_rows()]))
    if check.layers:
        parts.append(f"<h3>{escape(tr('Lagen naast de panden'))}</h3>")
        parts.append(_table([tr("Laag"), tr("Aanwezig"), tr("Zonder deze laag")], [list(r) for r in check.layer_rows()]))
    parts.append(f"<h3>{escape(tr('Bronnen'))}</h3>")
    if check.sources:
        parts.append("<ul>")
        for key, _role, titel, url, opgehaald, peildatum in check.source_rows():
            parts.append(f"<li><b>{escape(key)}</b>: {escape(titel)}<br>{escape(url)}<br>"
                         f"{escape(tr('Opgehaald'))}: {escape(opgehaald)}; {escape(tr('Peildatum'))}: {escape(peildatum)}</li>")
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
        return tr(text, n=_n(item[1]), scan=item[2])
    if kind == "geschat":
        text = "{n} woning rust op een schatting" if item[1] == 1 else "{n} woningen rusten op schattingen"
        return tr(text, n=_n(item[1]))
    if kind == "niet":
        return tr("{scan} kon niet draaien (ontbreekt: {missing})", scan=item[1], missing=item[2])
    return tr("{scan} deels", scan=item[1])


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
    return f"{int(value):,}".replace(",", ".")


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
        from scans.gegevens import check_data

        project = self._window.project
        if project is None or self._window.is_loading():
            return
        self._stale = False
        self.panel.set_check(check_data(project))

    def scan_finished(self, result) -> None:
        """Complete the check with ``result``; warn on the results panel when data were missing."""
        from scans.gegevens import check_data, check_result

        project = self._window.project
        check = check_result(result, check_data(project, locate=False) if project is not None else None)
        self._stale = False
        self.panel.set_check(check)
        self._window.results_panel.set_data_warning(warning_text(check))


def install_data_check(window) -> DataCheckController:
    """Create the "Gegevens" dock of ``window`` (tabbed with the results) and keep it current."""
    return DataCheckController(window)
