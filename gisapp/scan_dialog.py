"""The scan dialog, generated from the scans' parameter dataclasses (as QGIS generates
processing dialogs from declared parameters), and the scenario comparison dialog.

Every section of ``scans.scenarios.ScanSettings`` that is a parameter dataclass becomes a
tab; every field becomes a widget chosen by its type (``scans.params.describe``), with
its label, unit, source (side text) and help (tooltip). The scan runs in a worker thread
(:class:`gisapp.worker.TaskRunner`); the dialog shows progress and can cancel.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import error_text, language, param_text, section_text, source_text, tr, unit_text, unit_words
from gisapp.numbers import display_number, localise_spin_box
from gisapp.results_panel import total_homes
from gisapp.worker import TaskRunner
from layers.errors import USER_ERRORS

_INT_LIMIT = 1_000_000_000


# --- one form per parameter dataclass ------------------------------------------------------------
class ParamForm(QWidget):
    """Widgets for the fields of one frozen parameter dataclass."""

    def __init__(self, params: Any, parent=None, section: str = "") -> None:
        from scans.params import describe

        super().__init__(parent)
        self.params_cls = type(params)
        self.infos = describe(self.params_cls)
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for info in self.infos:
            widget = self._make_widget(info)
            widget.setObjectName(f"param_{info.name}")
            # labels, help and units of the scans' dataclasses are Dutch; English from gisapp.i18n
            text, help_text = param_text(section, info.name, info.label, info.help)
            # the range the sensitivity analysis uses (scans.gevoeligheid), grey beside the source
            decimal = "," if language() == "nl" else "."
            bereik = tr("bereik {range}", range=unit_words(info.range_text(decimal))) if info.has_range else ""
            range_help = tr("Bereik: {text}", text=info.range_source) if info.range_source and (info.has_range or info.toggled) else ""
            tooltip = "\n".join(t for t in (help_text, tr("Bron: {source}", source=source_text(info.source)), range_help) if t)
            widget.setToolTip(tooltip)
            self.widgets[info.name] = widget
            source = QLabel("\n".join(t for t in (source_text(info.source), bereik) if t), self)
            source.setStyleSheet("color: #666666; font-size: 8pt;")
            source.setToolTip(tooltip)
            source.setWordWrap(True)
            source.setMaximumWidth(260)
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            row.addWidget(source)
            label = QLabel(text + (f" ({unit_text(info.unit)})" if info.unit else ""), self)
            label.setToolTip(tooltip)
            label.setWordWrap(True)
            form.addRow(label, row)
        self.set_params(params)

    def _make_widget(self, info) -> QWidget:
        if info.type == "bool":
            return QCheckBox(self)
        if info.type == "int":
            spin = QSpinBox(self)
            localise_spin_box(spin)  # 1.000 / 0,50 in Dutch, 1,000 / 0.50 in English
            spin.setRange(int(info.minimum) if info.minimum is not None else -_INT_LIMIT,
                          int(info.maximum) if info.maximum is not None else _INT_LIMIT)
            if info.unit:
                spin.setSuffix(f" {unit_text(info.unit)}")
            return spin
        if info.type == "float":
            spin = QDoubleSpinBox(self)
            localise_spin_box(spin)
            spin.setDecimals(3)
            spin.setRange(float(info.minimum) if info.minimum is not None else -1e12,
                          float(info.maximum) if info.maximum is not None else 1e12)
            spin.setSingleStep(0.1 if (info.maximum is not None and info.maximum <= 1) else 1.0)
            if info.unit:
                spin.setSuffix(f" {unit_text(info.unit)}")
            return spin
        if info.type == "str" and info.choices:
            combo = QComboBox(self)
            for choice in info.choices:
                combo.addItem(str(choice), choice)
            return combo
        if info.type.startswith("list[") and info.choices:
            checks = QListWidget(self)
            for choice in info.choices:
                item = QListWidgetItem(str(choice))
                item.setData(Qt.ItemDataRole.UserRole, choice)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                checks.addItem(item)
            checks.setMaximumHeight(min(22 * len(info.choices) + 6, 140))
            return checks
        return QLineEdit(self)

    def set_params(self, params: Any) -> None:
        self._shown: dict[str, Any] = {}
        for info in self.infos:
            self.set_value(info.name, getattr(params, info.name))

    @staticmethod
    def _set(widget: QWidget, info, value: Any) -> None:
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            widget.setValue(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        elif isinstance(widget, QListWidget):
            chosen = set(value or ())
            for i in range(widget.count()):
                item = widget.item(i)
                state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen else Qt.CheckState.Unchecked
                item.setCheckState(state)
        elif isinstance(widget, QLineEdit):
            widget.setText(", ".join(map(str, value)) if isinstance(value, (tuple, list)) else str(value))

    def values(self) -> dict[str, Any]:
        """The values as entered (lists as tuples); checked by ``replace_from_dict`` later."""
        out: dict[str, Any] = {}
        for info in self.infos:
            widget = self.widgets[info.name]
            if isinstance(widget, QCheckBox):
                out[info.name] = widget.isChecked()
            elif isinstance(widget, QDoubleSpinBox):
                # A spin box rounds (2/3 shows as 0.666667); an untouched value keeps full precision.
                shown = self._shown.get(info.name)
                unchanged = isinstance(shown, (int, float)) and round(float(shown), widget.decimals()) == widget.value()
                out[info.name] = shown if unchanged else widget.value()
            elif isinstance(widget, QSpinBox):
                out[info.name] = widget.value()
            elif isinstance(widget, QComboBox):
                out[info.name] = widget.currentData()
            elif isinstance(widget, QListWidget):
                out[info.name] = tuple(
                    widget.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(widget.count())
                    if widget.item(i).checkState() == Qt.CheckState.Checked
                )
            else:
                text = widget.text()
                out[info.name] = tuple(v.strip() for v in text.split(",") if v.strip()) if info.type.startswith("list[") else text
        return out

    def set_value(self, name: str, value: Any) -> None:
        info = next(i for i in self.infos if i.name == name)
        widget = self.widgets[name]
        if isinstance(widget, QDoubleSpinBox):
            widget.setDecimals(max(2, min(6, _decimals(value))))
        self._set(widget, info, value)
        self._shown[name] = value


def _decimals(value: Any) -> int:
    """Decimals needed to show ``value`` (at most 6): 3.0 → 0, 0.25 → 2, 2/3 → 6."""
    text = f"{float(value):.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def settings_sections(settings: Any) -> list[tuple[str, Any]]:
    """``[(field name, params dataclass), ...]`` of a ``ScanSettings``."""
    return [
        (f.name, getattr(settings, f.name))
        for f in dataclasses.fields(settings)
        if dataclasses.is_dataclass(getattr(settings, f.name))
    ]


def section_label(name: str) -> str:
    """The Dutch label of a scan or a parameter section (from the scan registry)."""
    from scans.registry import section_label as registry_label

    try:
        return section_text(name, registry_label(name))
    except ValueError:
        return section_text(name, name.replace("_", " ").capitalize())


def scenario_names(project) -> list[tuple[str, str]]:
    """``[(name, display text), ...]``: the presets, then the project's own scenarios."""
    from scans.scenarios import PRESETS

    out = [(name, f"{name} ({tr(name)})" if tr(name) != name else name) for name in PRESETS]
    for name in (getattr(project, "scenarios", None) or {}):
        if name not in PRESETS:
            out.append((name, f"{name} ({tr('project')})"))
    return out


def scenario_diff(settings: Any, base: Any) -> dict[str, dict[str, Any]]:
    """Per section the parameters of ``settings`` that differ from ``base`` (TOML-friendly)."""
    from scans.params import to_dict

    out: dict[str, dict[str, Any]] = {}
    base_sections = dict(settings_sections(base))
    for name, params in settings_sections(settings):
        new, old = to_dict(params), to_dict(base_sections[name])
        changed = {key: value for key, value in new.items() if value != old.get(key)}
        if changed:
            out[name] = changed
    return out


class _ScaledFeedback:
    """Maps progress of one of several consecutive runs onto one bar."""

    def __init__(self, feedback, start: float, span: float, prefix: str = "") -> None:
        self._feedback, self._start, self._span, self._prefix = feedback, start, span, prefix

    def progress(self, fraction: float, text: str = "") -> None:
        self._feedback.progress(self._start + self._span * float(fraction), f"{self._prefix}{text}")

    def is_cancelled(self) -> bool:
        return self._feedback.is_cancelled()

    def message(self, text: str) -> None:
        self._feedback.message(text)


# --- the scan dialog -----------------------------------------------------------------------------
class _RunnerDialog(QDialog):
    """Shared parts: scenario/gebieden choice, progress bar, run/cancel/close buttons."""

    def __init__(self, project, parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.runner = TaskRunner(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.run_button = QPushButton(tr("Uitvoeren"), self)
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(tr("Annuleren"), self)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(tr("Sluiten"), self)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self.runner.progressed.connect(self._on_progress)
        self.runner.messaged.connect(self._on_message)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.done.connect(self._on_done)
        self.gebieden_combo = QComboBox(self)
        self._fill_gebieden()

    def _fill_gebieden(self) -> None:
        current = self.gebieden_combo.currentData()
        self.gebieden_combo.clear()
        keys = list(self.project.gebieden_layers())
        for key in keys:
            self.gebieden_combo.addItem(key, key)
        self.gebieden_combo.addItem(tr("(geen gebiedsindeling)"), None)
        if current in keys:
            self.gebieden_combo.setCurrentIndex(keys.index(current))

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.close_button)
        return row

    def _inputs(self):
        from scans.inputs import ScanInputs

        return ScanInputs.from_project(self.project, gebieden=self.gebieden_combo.currentData())

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setValue(0)
            self.progress.setFormat(tr("Bezig…"))
            self.status.setStyleSheet("")
            self.status.setText(tr("Bezig…"))

    def _launch(self, function) -> bool:
        try:
            self._set_running(True)
            self.runner.start(function)
        except RuntimeError as exc:
            self._show_error(error_text(exc))
            return False
        return True

    def _show_error(self, text: str) -> None:
        self._set_running(False)
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(text)

    def cancel(self) -> None:
        self.runner.cancel()
        self.cancel_button.setEnabled(False)

    def cancel_and_wait(self) -> None:
        """Cancel a running scan and wait for its thread (used when the window closes)."""
        if self.runner.is_running():
            self.runner.cancel()
            self.runner.wait()

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(round(fraction * 1000)))
        self.progress.setFormat(f"{fraction * 100:.0f}%  {text}".strip())

    def _on_message(self, text: str) -> None:
        self.status.setText(text)

    def _on_failed(self, message: str, _details: str) -> None:
        self._show_error(f"{tr('Scan mislukt')}: {message}")

    def _on_cancelled(self) -> None:
        self.status.setStyleSheet("")
        self.status.setText(tr("Scan geannuleerd."))
        self.progress.setValue(0)
        self.progress.setFormat("")

    def _on_done(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def closeEvent(self, event) -> None:
        # Closing the dialog never leaves a scan running in the background.
        if self.runner.is_running():
            self.runner.cancel()
        super().closeEvent(event)


class ScanDialog(_RunnerDialog):
    """Choose scenario, gebieden and parameters; run the potentiescan in a worker thread.

    Signals
    -------
    result_ready(ScanResult): the scan finished (the main window adds the layers).
    scenario_saved(name): a new scenario was stored in ``project.scenarios``.
    """

    result_ready = Signal(object)
    scenario_saved = Signal(str)

    def __init__(self, project, parent=None) -> None:
        super().__init__(project, parent)
        self.setWindowTitle(tr("Potentiescan"))
        self.resize(820, 680)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.scenario_combo = QComboBox(self)
        self.save_scenario_button = QPushButton(tr("Opslaan als scenario…"), self)
        self.save_scenario_button.clicked.connect(self.save_scenario)
        self.tabs = QTabWidget(self)
        self.forms: dict[str, ParamForm] = {}
        self._settings = None
        self._base_name = None

        top = QFormLayout()
        scenario_row = QHBoxLayout()
        scenario_row.addWidget(self.scenario_combo, 1)
        scenario_row.addWidget(self.save_scenario_button)
        top.addRow(tr("Scenario"), scenario_row)
        top.addRow(tr("Gebieden"), self.gebieden_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(self._button_row())
        self.runner.finished.connect(self._on_finished)
        self._fill_scenarios()
        self.scenario_combo.currentIndexChanged.connect(self._on_scenario)
        self._on_scenario()

    def refresh(self) -> None:
        """Re-read scenarios and gebieden layers from the project (they may have changed)."""
        self._fill_gebieden()
        self._fill_scenarios()

    def _fill_scenarios(self) -> None:
        current = self.scenario_combo.currentData()
        self.scenario_combo.blockSignals(True)
        self.scenario_combo.clear()
        for name, text in scenario_names(self.project):
            self.scenario_combo.addItem(text, name)
        index = self.scenario_combo.findData(current)
        self.scenario_combo.setCurrentIndex(max(0, index))
        self.scenario_combo.blockSignals(False)

    def scenario(self) -> str:
        return self.scenario_combo.currentData()

    def set_scenario(self, name: str) -> None:
        index = self.scenario_combo.findData(name)
        if index < 0:
            raise ValueError(f"onbekend scenario {name!r}")
        self.scenario_combo.setCurrentIndex(index)

    def _on_scenario(self, *_args) -> None:
        from scans.scenarios import resolve_scenario

        try:
            settings = resolve_scenario(self.project, self.scenario(), [])
        except USER_ERRORS as exc:
            self._show_error(error_text(exc))
            return
        self._settings = settings
        self._build_forms(settings)
        self.status.setStyleSheet("")
        self.status.setText("")

    def _build_forms(self, settings) -> None:
        sections = settings_sections(settings)
        if list(self.forms) == [name for name, _ in sections]:
            for name, params in sections:
                self.forms[name].set_params(params)
            return
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.forms = {}
        for name, params in sections:
            form = ParamForm(params, self, section=name)
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setWidget(form)
            self.tabs.addTab(scroll, section_label(name))
            self.forms[name] = form
        self.tabs.setCurrentIndex(max(0, current))

    def settings(self):
        """The ``ScanSettings`` the dialog describes (``ValueError`` naming a bad parameter)."""
        from scans.params import replace_from_dict

        settings = self._settings
        changes = {
            name: replace_from_dict(getattr(settings, name), form.values(), section=name)
            for name, form in self.forms.items()
        }
        return dataclasses.replace(settings, **changes)

    def start(self) -> bool:
        """Start the scan in the worker thread; False when the inputs are not usable."""
        from scans.pipeline import run_potentiescan

        if self.runner.is_running():
            return False
        try:
            settings = self.settings()
            inputs = self._inputs()
        except USER_ERRORS as exc:
            self._show_error(error_text(exc))
            return False
        from gisapp.project_loading import scan_and_prepare

        # the result's map layers (styles, drawing snapshots) are prepared in the worker thread too
        return self._launch(lambda feedback: scan_and_prepare(lambda fb: run_potentiescan(inputs, settings, fb), feedback))

    def _on_finished(self, value) -> None:
        from gisapp.project_loading import PreparedResult

        result = value.result if isinstance(value, PreparedResult) else value
        #: the last result with its map layers prepared in the worker (read by the main window)
        self.prepared = value if isinstance(value, PreparedResult) else None
        homes = total_homes(result)
        self.progress.setValue(1000)
        self.progress.setFormat("100%")
        self.status.setStyleSheet("")
        self.status.setText(
            tr("Klaar in {seconds} s: {homes} extra woningen.", seconds=display_number(getattr(result, "seconds", 0.0) or 0.0, 1),
               homes=display_number(homes, 0))
        )
        self.result_ready.emit(result)

    def ask_scenario_name(self) -> str | None:
        """Ask a name for the new scenario (a method so tests can answer it)."""
        name, ok = QInputDialog.getText(self, tr("Opslaan als scenario…"), tr("Naam van het nieuwe scenario:"))
        return name.strip() if ok and name.strip() else None

    def save_scenario(self, name: str | None = None) -> str | None:
        """Store the current values as scenario ``name`` in ``project.scenarios``."""
        from scans.scenarios import PRESETS, resolve_scenario

        if not isinstance(name, str) or not name:
            name = self.ask_scenario_name()
        if not name:
            return None
        try:
            settings = self.settings()
            base_name = self.scenario() if self.scenario() in PRESETS else (
                self.project.scenarios.get(self.scenario(), {}).get("base", "standaard")
            )
            base = resolve_scenario(self.project, base_name, [])
        except USER_ERRORS as exc:
            self._show_error(error_text(exc))
            return None
        entry: dict[str, Any] = {"base": base_name}
        entry.update(scenario_diff(settings, base))
        self.project.scenarios[name] = entry
        self._fill_scenarios()
        self.set_scenario(name)
        self.status.setStyleSheet("")
        self.status.setText(tr("Scenario '{name}' opgeslagen in het project.", name=name))
        self.scenario_saved.emit(name)
        return name


class CompareDialog(_RunnerDialog):
    """Run two scenarios one after the other and compare them (``scans.scenarios.compare``).

    Signals
    -------
    comparison_ready(name_a, name_b, DataFrame)
    """

    comparison_ready = Signal(str, str, object)

    def __init__(self, project, parent=None) -> None:
        super().__init__(project, parent)
        self.setWindowTitle(tr("Scenario's vergelijken"))
        self.combo_a = QComboBox(self)
        self.combo_b = QComboBox(self)
        names = scenario_names(project)
        for combo in (self.combo_a, self.combo_b):
            for name, text in names:
                combo.addItem(text, name)
        self.combo_b.setCurrentIndex(min(1, len(names) - 1))
        self.run_button.setText(tr("Vergelijken"))
        form = QFormLayout()
        form.addRow(tr("Scenario A"), self.combo_a)
        form.addRow(tr("Scenario B"), self.combo_b)
        form.addRow(tr("Gebieden"), self.gebieden_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(self._button_row())
        self.resize(560, 200)
        self.runner.finished.connect(self._on_finished)

    def start(self) -> bool:
        from scans.pipeline import run_potentiescan
        from scans.scenarios import compare, resolve_scenario

        if self.runner.is_running():
            return False
        name_a, name_b = self.combo_a.currentData(), self.combo_b.currentData()
        try:
            settings_a = resolve_scenario(self.project, name_a, [])
            settings_b = resolve_scenario(self.project, name_b, [])
            inputs = self._inputs()
        except USER_ERRORS as exc:
            self._show_error(error_text(exc))
            return False

        def run(feedback):
            result_a = run_potentiescan(inputs, settings_a, _ScaledFeedback(feedback, 0.0, 0.5, f"{name_a}: "))
            result_b = run_potentiescan(inputs, settings_b, _ScaledFeedback(feedback, 0.5, 0.5, f"{name_b}: "))
            return name_a, name_b, compare(result_a, result_b)

        return self._launch(run)

    def _on_finished(self, value) -> None:
        name_a, name_b, table = value
        self.progress.setValue(1000)
        self.progress.setFormat("100%")
        self.status.setText("")
        self.comparison_ready.emit(name_a, name_b, table)

