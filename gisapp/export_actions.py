"""Export a scan result from the app: PDF report, Excel, styled GeoPackage, portfolio per complex.

The writers are the Qt-free ones ``gisapp report`` uses (``gisapp.reports``); here they run in
the worker thread (:class:`gisapp.worker.TaskRunner`) with the worker's feedback, so the status
bar shows how far an export is (the fraction and its step: "kaart: laag 2 van 5", "blad 4 van 9:
gebouwen", "gebouwen_potentie wegschrijven") and "Annuleren" stops it at the writer's next step.
Every writer builds its file under a temporary name and renames it into place when complete: a
cancelled export leaves no file and an existing file at the target as it was. Output paths are
checked with ``Project.check_output_path`` first, so an export never overwrites one of the
project's inputs.

:class:`BackgroundTask` is the status-bar side of one background task (label, progress bar,
cancel button) and is shared by the exports and the informatieproduct tool;
:func:`stop_runner` ends a running task without blocking the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QProgressBar, QToolButton

from gisapp.i18n import tr
from gisapp.project_loading import RESULT_LAYER_NAMES
from gisapp.worker import TaskRunner
from layers.errors import USER_ERRORS
from layers.feedback import Part

#: How long closing the window waits for a cancelled task (milliseconds).
STOP_TIMEOUT_MS = 30_000


def stop_runner(runner: TaskRunner, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
    """Cancel ``runner`` and wait until it has ended; True when it has.

    The wait turns a local event loop: the runner's thread only quits when its worker's
    final signal has been handled in the GUI thread, so a plain ``QThread.wait`` here would
    sit out its whole timeout (and then leave a running thread behind).
    """
    if not runner.is_running():
        return True
    runner.cancel()
    loop = QEventLoop()
    runner.done.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_ms))
    if runner.is_running():
        loop.exec()
    timer.stop()
    runner.done.disconnect(loop.quit)
    return not runner.is_running()


def ask_save_path(parent, title: str, suggested: Path, file_filter: str) -> Path | None:
    """A native "save as" dialog; the chosen path (suffix added when missing) or None."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    if not path:
        return None
    path = Path(path)
    return path if path.suffix.lower() == suggested.suffix.lower() else path.with_name(path.name + suggested.suffix)


class BackgroundTask(QObject):
    """One background computation with a busy indicator in the window's status bar.

    ``start(label, function, on_success)`` runs ``function(feedback)`` in a worker thread;
    ``on_success(value)`` is called in the GUI thread. Failures go to ``window.show_error``.
    A task that reports progress shows its fraction and step text; a cancellable one has an
    "Annuleren" button, and its cancel is said in the status bar. A task whose function had
    already returned when the cancel came (its files in place) counts as done, not cancelled.

    Signals
    -------
    running_changed(bool): a task started or ended (actions enable/disable on it).
    """

    running_changed = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self.runner = TaskRunner(self)
        self.label = QLabel("", window)
        self.bar = QProgressBar(window)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setFormat("%p %")
        self.cancel_button = QToolButton(window)
        self.cancel_button.setText(tr("Annuleren"))
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.label, self.bar, self.cancel_button):
            window.statusBar().addPermanentWidget(widget)
            widget.hide()
        self._title = ""
        self._cancelled_message = ""
        self._on_success: Callable[[object], None] | None = None
        self._returned: list = []  # the function's value once it returned (in the worker thread)
        self.last_error: str | None = None
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.done.connect(self._on_done)

    def is_running(self) -> bool:
        return self.runner.is_running()

    def start(self, title: str, function: Callable, on_success: Callable[[object], None], *, cancellable: bool = False,
              progress: bool = False, cancelled_message: str | None = None) -> bool:
        """Run ``function(feedback)`` in the worker; False (with a status message) when busy.

        ``progress``: the function reports progress, so the bar shows 0 % from the start (else
        it is busy until a first report). ``cancelled_message`` is shown after a cancel
        (default "<title> geannuleerd.")."""
        if self.runner.is_running():
            self._window.statusBar().showMessage(tr("Er loopt al een taak: {title}", title=self._title), 5000)
            return False
        self._title = title
        self._cancelled_message = cancelled_message or tr("{title} geannuleerd.", title=title)
        self._on_success = on_success
        self._returned = returned = []
        self.last_error = None
        self.label.setText(f"{title}…")
        self.bar.setRange(0, 1000 if progress else 0)  # without progress: busy until a first report
        self.bar.setValue(0)
        self.bar.setTextVisible(progress)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(cancellable)
        self.label.show()
        self.bar.show()

        def run(feedback):
            value = function(feedback)
            returned.append(value)
            return value

        self.runner.start(run)
        self.running_changed.emit(True)
        return True

    def cancel(self) -> None:
        self.runner.cancel()
        self.cancel_button.setEnabled(False)

    def stop(self, timeout_ms: int = STOP_TIMEOUT_MS) -> bool:
        """Cancel and wait (used when the window closes)."""
        return stop_runner(self.runner, timeout_ms)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.setValue(int(round(fraction * 1000)))
        if text:
            self.label.setText(f"{self._title}: {text}")

    def _on_finished(self, value: object) -> None:
        callback, self._on_success = self._on_success, None
        if callback is None:
            return
        try:
            callback(value)
        except USER_ERRORS as exc:
            self.last_error = str(exc)
            self._window.show_error(self._title, exc)

    def _on_failed(self, message: str, _details: str) -> None:
        self.last_error = message
        self._window.show_error(self._title, message)

    def _on_cancelled(self) -> None:
        if self._returned:  # the cancel came after the work was done: it is done
            self._on_finished(self._returned[0])
            return
        self._on_success = None
        self._window.statusBar().showMessage(self._cancelled_message, 10000)

    def _on_done(self) -> None:
        for widget in (self.label, self.bar, self.cancel_button):
            widget.hide()
        self.running_changed.emit(False)


# --- exports ---------------------------------------------------------------------------------

#: kind -> (menu text, dialog filter, suffix)
EXPORTS = {
    "pdf": ("Rapport (PDF)…", "PDF-bestanden (*.pdf)", ".pdf"),
    "excel": ("Excel…", "Excel-werkmappen (*.xlsx)", ".xlsx"),
    "geopackage": ("GeoPackage met stijlen (QGIS)…", "GeoPackages (*.gpkg)", ".gpkg"),
    "portefeuille": ("Portefeuille per complex…", "Excel-werkmappen (*.xlsx)", ".xlsx"),
}


#: The share of the portfolio export that is the scan on the portfolio (when it has to run).
SCAN_SHARE = 0.6


def cancelled_export_message(title: str) -> str:
    """The status bar's words after an export was cancelled."""
    return tr("{title} geannuleerd: er is geen bestand geschreven en een bestaand bestand is niet veranderd.", title=title)


def write_portfolio(result, xlsx: Path, levels=None, feedback=None) -> list[Path]:
    """The portfolio per complex: the workbook (sheet ``portefeuille``) and a GeoPackage beside it.

    Both are written under temporary names and moved into place together at the end, so a
    cancel (``feedback``) or failure in either leaves neither file (and existing ones as they were)."""
    from gisapp.reports.common import atomic_path
    from gisapp.reports.excel import write_excel
    from gisapp.reports.geopackage import write_styled_result
    from layers.io.geopackage import replacing

    if getattr(result, "complexen", None) is None:
        raise ValueError("dit resultaat heeft geen complexen; het project heeft geen portefeuillelaag")
    gpkg = xlsx.with_suffix(".gpkg")
    with atomic_path(xlsx, ".xlsx") as xlsx_tmp, replacing(gpkg) as gpkg_tmp:
        write_excel(result, xlsx_tmp, levels=levels, feedback=Part(feedback, 0.0, 0.5))
        write_styled_result(result, gpkg_tmp, feedback=Part(feedback, 0.5, 1.0))
    return [xlsx, gpkg]


class ExportActions(QObject):
    """The Project → Exporteren menu of the main window.

    Actions are ``window.actions["export_pdf" | "export_excel" | "export_geopackage" |
    "export_portefeuille"]``; they are enabled once ``window.last_result`` holds a scan result.

    Signals
    -------
    exported(kind, paths): the files of an export were written.
    """

    exported = Signal(str, list)

    def __init__(self, window, task: BackgroundTask) -> None:
        super().__init__(window)
        self._window = window
        self.task = task
        self.menu = QMenu(tr("Exporteren"), window)
        self.menu.setObjectName("menu_export")
        self.actions = {}
        for kind, (text, _filter, _suffix) in EXPORTS.items():
            action = window._action(f"export_{kind}", tr(text), lambda _checked=False, k=kind: self.export(k))
            self.menu.addAction(action)
            self.actions[kind] = action
        self.last_paths: list[Path] = []
        window.app.events.result_changed.connect(self.update_actions)  # the Qt-free gisapp.application
        window.project_changed.connect(self.update_actions)
        task.running_changed.connect(self.update_actions)
        self.update_actions()

    def update_actions(self, *_args) -> None:
        result = self._window.last_result
        idle = not self.task.is_running()
        for kind, action in self.actions.items():
            action.setEnabled(idle and result is not None and (kind != "portefeuille" or self._portfolio_possible()))

    def _portfolio_possible(self) -> bool:
        result = self._window.last_result
        return getattr(result, "complexen", None) is not None or self._window.project.layer("portefeuille") is not None

    def suggested_path(self, kind: str) -> Path:
        from gisapp.commands.report import output_stem

        project = self._window.project
        result = self._window.last_result
        scenario = getattr(getattr(result, "settings", None), "naam", "scan")
        stem = output_stem(project.name, scenario, None) + ("_portefeuille" if kind == "portefeuille" else "")
        return project.folder / f"{stem}{EXPORTS[kind][2]}"

    def choose_output(self, kind: str) -> Path | None:
        """Ask where to write (a method so tests can answer it without a dialog)."""
        text, file_filter, _suffix = EXPORTS[kind]
        return ask_save_path(self._window, tr(text), self.suggested_path(kind), tr(file_filter))

    def export(self, kind: str, path: str | Path | None = None) -> bool:
        """Write the last scan result as ``kind`` to ``path`` (asked when None) in the worker thread.

        False when there is nothing to export, the user cancelled, the path would overwrite an
        input (a dialog says so) or another task is running.
        """
        window = self._window
        result = window.last_result
        if kind not in EXPORTS:
            raise ValueError(f"onbekende export '{kind}': kies uit {', '.join(EXPORTS)}")
        if result is None:
            window.show_error(tr("Exporteren"), tr("Voer eerst een potentiescan uit."))
            return False
        target = Path(path) if path is not None else self.choose_output(kind)
        if target is None:
            return False
        project = window.project
        try:
            if target.suffix.lower() != EXPORTS[kind][2]:
                raise ValueError(tr("{path}: de bestandsnaam moet op {suffix} eindigen", path=target, suffix=EXPORTS[kind][2]))
            outputs = [target] + ([target.with_suffix(".gpkg")] if kind == "portefeuille" else [])
            for output in outputs:
                project.check_output_path(output)  # results never overwrite inputs
            if not target.parent.is_dir():
                raise OSError(tr("{folder}: map bestaat niet", folder=target.parent))
            function, cancellable = self._job(kind, result, project, target)
        except USER_ERRORS as exc:
            window.show_error(tr("Exporteren"), exc)
            return False
        title = tr(EXPORTS[kind][0]).rstrip("…")
        return self.task.start(title, function, lambda paths: self._done(kind, paths), cancellable=cancellable,
                               progress=True, cancelled_message=cancelled_export_message(title))

    def _job(self, kind: str, result, project, target: Path) -> tuple[Callable, bool]:
        """The worker function for ``kind`` (inputs gathered here, in the GUI thread) and whether
        it can be cancelled (every export can: its writers stop at their next step)."""
        from gisapp.reports.common import context_layers, gebied_levels, locatiescan_table
        from gisapp.reports.excel import write_excel
        from gisapp.reports.geopackage import write_styled_result
        from gisapp.reports.maps import project_basemap
        from gisapp.reports.pdf import write_pdf

        name = project.name
        gegevens = self._data_check(result, project)
        if kind in ("pdf", "excel"):
            from scans.inputs import ScanInputs

            primary = self._gebieden_key()
            inputs = ScanInputs.from_project(project, gebieden=primary)

            def locaties(feedback):
                """The locatiescan table, the first few percent of the export."""
                feedback.progress(0.0, tr("woningbouwlocaties"))
                return locatiescan_table(project, inputs, result.settings, result)
        if kind == "pdf":
            context = context_layers(project)
            basemap = project_basemap(project)
            return (lambda feedback: [write_pdf(result, target, project_name=name, context_layers=context,
                                                locaties=locaties(feedback), gegevens=gegevens, basemap=basemap,
                                                feedback=Part(feedback, 0.03, 1.0))]), True
        if kind == "excel":
            return (lambda feedback: [write_excel(result, target, levels=gebied_levels(result, project, primary),
                                                  locaties=locaties(feedback), gegevens=gegevens,
                                                  feedback=Part(feedback, 0.03, 1.0))]), True
        if kind == "geopackage":
            overrides = self._result_styles()
            return (lambda feedback: [write_styled_result(result, target, style_overrides=overrides, gegevens=gegevens,
                                                          feedback=feedback)]), True
        if getattr(result, "complexen", None) is not None:
            return (lambda feedback: write_portfolio(result, target, feedback=feedback)), True
        # The scan in the app ran on all panden: run it again on the portfolio with the same settings.
        from scans.inputs import ScanInputs
        from scans.pipeline import run_potentiescan

        inputs = ScanInputs.from_project(project, gebieden=self._gebieden_key(), portefeuille=True)
        settings = result.settings
        return (lambda feedback: write_portfolio(run_potentiescan(inputs, settings, Part(feedback, 0.0, SCAN_SHARE)), target,
                                                 feedback=Part(feedback, SCAN_SHARE, 1.0))), True

    def _data_check(self, result, project):
        """The data check of ``result`` for the reports: the Gegevens dock's when it belongs to this
        result (completed with it after the scan), else made now from the project."""
        from gisapp.reports.common import data_check

        controller = getattr(self._window, "data_check", None)
        check = getattr(controller, "check", None)
        if check is not None and check.outcomes and result is self._window.last_result:
            return check
        return data_check(result, project=project)

    def _gebieden_key(self) -> str | None:
        dialog = self._window.scan_dialog
        if dialog is not None:
            return dialog.gebieden_combo.currentData()
        keys = list(self._window.project.gebieden_layers())
        return keys[0] if keys else None

    def _result_styles(self) -> dict:
        """The styles the planner gave the result layers in the app (they travel to QGIS)."""
        styles_by_layer = {}
        for name in RESULT_LAYER_NAMES:
            layer = self._window.layer(name)
            if layer is not None and layer.style is not None:
                styles_by_layer[name] = layer.style
        return styles_by_layer

    def _done(self, kind: str, paths: list) -> None:
        self.last_paths = [Path(p) for p in paths]
        names = ", ".join(p.name for p in self.last_paths)
        self._window.statusBar().showMessage(tr("Geëxporteerd: {names}", names=names), 10000)
        self.exported.emit(kind, self.last_paths)
