"""Reading a project's layers for the window: first-view rules, initial styles, background loading.

No Qt here: :func:`read_project_layers` runs in the main window's worker thread
(:class:`gisapp.worker.TaskRunner`) and hands every layer over as it is read, with what the map
needs to show it (:func:`prepare_for_map`); :class:`ProjectLoad` is the window's book-keeping of
one such load. :func:`prepare_first_view` and :func:`first_view_hidden` make a project file
without a saved display state legible (rasters at the bottom, zones and dense points hidden).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gisapp.i18n import error_text, tr
from layers.errors import USER_ERRORS  # reported per layer while loading


def initial_style(layer, saved: dict | None = None):
    """The style a freshly loaded layer gets: ``saved`` (from the project file) or its role's default."""
    from layers.roles import ROLES
    from styles import SingleSymbol, SymbolStyle, default_style, style_from_dict

    if saved:
        try:
            return style_from_dict(saved)
        except ValueError:
            pass  # an unreadable saved style falls back to the default
    data = layer.raster if getattr(layer, "geometry_kind", "") == "raster" else getattr(layer, "data", None)
    if layer.role in ROLES or layer.role in ("gebieden_potentie", "gebouwen_potentie"):
        return default_style(layer.role, data)
    # a reference layer (no role): rasters in their own colours or stretched; vectors as outlines
    if getattr(layer, "raster", None) is not None:
        return None
    return SingleSymbol(SymbolStyle(fill="#00000000", stroke="#6a3d9aff", stroke_width=0.4))


def apply_initial_styles(project) -> None:
    """Style every layer of ``project`` that has no style yet (see :func:`initial_style`)."""
    for layer in project.layers:
        if layer.style is None:
            key = getattr(getattr(layer, "source", None), "key", layer.name)
            layer.style = initial_style(layer, getattr(project, "styles", {}).get(key))


#: Roles hidden in the first view of a project whose display state was never saved: rasters,
#: constraint zones and dense points would cover the buildings the planner looks at first.
FIRST_VIEW_HIDDEN_ROLES = frozenset(
    {"bodemdaling", "overstromingsdiepte", "kwel", "netcongestie", "water_bodem", "verblijfsobjecten", "portefeuille"}
)


def prepare_first_view(project) -> bool:
    """Make a never-saved display state legible; True when anything changed.

    Only applies when every layer is visible at full opacity (the state of a project file
    without display settings): rasters move to the bottom, the roles in
    :data:`FIRST_VIEW_HIDDEN_ROLES` and all but the first ``gebieden`` layer are hidden.
    """
    layers = list(project.layers)
    if not layers or not all(layer.visible and layer.opacity == 1.0 for layer in layers):
        return False
    rasters = [layer for layer in layers if getattr(layer, "geometry_kind", "") == "raster"]
    for target, layer in enumerate(rasters):
        project.layers.move(project.layers.index(layer), target)
    gebieden = [layer for layer in layers if layer.role == "gebieden"]
    for layer in layers:
        if layer.role in FIRST_VIEW_HIDDEN_ROLES or (layer.role == "gebieden" and layer is not gebieden[0]):
            layer.visible = False
    return True


def first_view_hidden(sources: list) -> set[int]:
    """``id`` of the sources :func:`prepare_first_view` would hide, judged from the project file.

    For a project opened in the background: the layers are not read yet, so the roles and the
    saved display state decide. Empty when the file stores a display state (then it is kept).
    """
    if not sources or not all(source.visible and source.opacity == 1.0 for source in sources):
        return set()
    gebieden = [source for source in sources if source.role == "gebieden"]
    return {
        id(source) for source in sources
        if source.role in FIRST_VIEW_HIDDEN_ROLES or (source.role == "gebieden" and source is not gebieden[0])
    }


def prepare_source(hidden: set[int], source, layer) -> dict:
    """``prepare`` of :func:`read_project_layers` for a background open (``hidden``: id of sources
    hidden in the first view)."""
    return prepare_for_map(layer, id(source) in hidden or not getattr(layer, "visible", True))


@dataclass(eq=False)
class ProjectLoad:
    """Book-keeping of one project whose layers are read in the background."""

    project: object
    #: id(source) -> position in the layer list the synchronous open would give (rasters at the bottom)
    rank: dict[int, int]
    #: id(source) of layers hidden in the first view
    hidden: set[int]
    total: int
    runner: object = None
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def prepare_for_map(layer, hidden: bool) -> dict:
    """What the map needs to show ``layer`` at once, computed in the loader's worker thread.

    ``{"extent": ...}`` always; for a shown vector layer also ``"snapshot"`` (its drawing
    snapshot, the expensive part), and a large one's spatial index is built. A hidden layer gets
    no snapshot: the map builds one only when the layer is first shown. The keys are the arguments of ``MapCanvas.offer_prepared``.
    """
    from gisapp.canvas_snapshot import GEOMETRY_KINDS, layer_snapshot, vector_kind
    from layers import spatial_index

    prepared: dict = {"extent": layer.extent}
    if not hidden and vector_kind(layer) in GEOMETRY_KINDS:
        prepared["snapshot"] = layer_snapshot(layer)
        if len(layer.data) >= spatial_index.BUILD_IN_BACKGROUND_FROM:
            # identify and select query it: built here, chunk by chunk, not on the first click
            layer.spatial_index().build()
    return prepared


def read_project_layers(project, sources: list, feedback, prepare=None) -> int:
    """Read ``sources`` of ``project`` one by one in a worker thread, handing each over as it is read.

    Every source ends as one ``feedback.deliver((source, layer, None, prepared))``, or
    ``(source, None, reason, None)`` when it cannot be read; a failed source does not stop the
    others. The layer gets its initial style here (the default style of a large layer takes a
    while), and ``prepared = prepare(source, layer)`` (when given; None when it fails) is computed
    here too, so the GUI thread only adds the layer. Returns the number of sources read.
    """
    from layers.project import read_source
    from layers.feedback import check

    styles = dict(getattr(project, "styles", {}) or {})
    for done, source in enumerate(sources):
        check(feedback)
        feedback.progress(done / max(1, len(sources)), source.key)
        try:
            layer = read_source(project, source)
            layer.style = initial_style(layer, styles.get(source.key))
        except USER_ERRORS as exc:  # said in the interface language (a DataError of the readers is a Translatable)
            feedback.deliver((source, None, error_text(exc), None))
            continue
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the other layers
            feedback.deliver((source, None, tr("onverwachte fout: {error}", error=f"{type(exc).__name__}: {exc}"), None))
            continue
        prepared = None
        if prepare is not None:
            check(feedback)
            try:
                prepared = prepare(source, layer)
            except Exception:  # noqa: BLE001 - the map then prepares the layer itself
                prepared = None
        feedback.deliver((source, layer, None, prepared))
    return len(sources)


#: Names of the layers a scan result adds to the map, in the order they are added.
RESULT_LAYER_NAMES = ("gebieden_potentie", "gebouwen_potentie")


def result_map_layers(result) -> list:
    """The map layers of a scan result: ``gebieden_potentie`` as a choropleth of ``totaal_woningen``
    (its default style: natural breaks, 5 classes, and onbekend apart; 80 % opaque) and
    ``gebouwen_potentie`` with its default style."""
    from layers.layer import VectorLayer
    from styles import default_style

    out = []
    gebieden = getattr(result, "gebieden", None)
    if gebieden is not None and len(gebieden) and "geometry" in getattr(gebieden, "columns", []):
        style = default_style("gebieden_potentie", gebieden)
        layer = VectorLayer("gebieden_potentie", gebieden, role="gebieden_potentie", style=style)
        layer.opacity = 0.8
        out.append(layer)
    gebouwen = getattr(result, "gebouwen", None)
    if gebouwen is not None and "geometry" in gebouwen.columns:
        out.append(VectorLayer("gebouwen_potentie", gebouwen, role="gebouwen_potentie",
                               style=default_style("gebouwen_potentie", gebouwen)))
    return out


def result_layers(result) -> list[tuple[object, dict | None]]:
    """:func:`result_map_layers` with what the map needs to draw them: ``[(layer, prepared)]``.

    Runs in the scan's worker thread (:func:`prepare_for_map` builds the drawing snapshots), so
    adding a million result buildings costs the GUI thread only the hand-over.
    """
    prepared = []
    for layer in result_map_layers(result):
        try:
            prepared.append((layer, prepare_for_map(layer, hidden=False)))
        except Exception:  # noqa: BLE001 - the map then prepares the layer itself
            prepared.append((layer, None))
    return prepared


@dataclass(frozen=True, eq=False)
class PreparedResult:
    """A scan result with its map layers prepared off the GUI thread (:func:`result_layers`)."""

    result: object
    layers: list

    def layers_for(self, result) -> list | None:
        """The prepared layers when they are those of ``result`` (same data objects), else None."""
        if result is not self.result:
            return None
        return self.layers


def scan_and_prepare(run, feedback) -> PreparedResult:
    """``run(feedback)`` (a scan returning a ScanResult), then its map layers, both in the worker thread."""
    result = run(feedback)
    return PreparedResult(result, result_layers(result))
