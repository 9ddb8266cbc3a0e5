"""The layer model: layers and an evented, ordered layer collection (psygnal, no Qt).

Views subscribe to ``layer.events`` and ``collection.events``; the model never calls a
view (napari's pattern).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
from psygnal import Signal, SignalGroup

from layers.geometry import geometry_kind
from layers.messages import LoadReport
from layers.raster import RasterData
from layers.texts import Translatable

if TYPE_CHECKING:  # project.py imports this module
    from layers.project import LayerSource
    from layers.roles import ColumnReport

Extent = tuple[float, float, float, float]


class LayerEvents(SignalGroup):
    """Signals of one layer; each carries the new value (``data_changed`` carries nothing)."""

    name_changed = Signal(str)
    visible_changed = Signal(bool)
    opacity_changed = Signal(float)
    style_changed = Signal(object)
    data_changed = Signal()


class Layer:
    """Base class of map layers.

    Parameters
    ----------
    name : display name, unique within a :class:`LayerCollection`.
    role : the role it plays in the project (``"gebouwen"``, …) or None.
    source : where it came from (:class:`~layers.project.LayerSource`) or None.
    report : what happened while reading it.
    visible, opacity : display state; opacity in 0–1.
    style : a ``styles`` object or None (the view then uses a default).
    """

    def __init__(
        self,
        name: str,
        *,
        role: str | None = None,
        source: LayerSource | None = None,
        report: LoadReport | None = None,
        visible: bool = True,
        opacity: float = 1.0,
        style: Any = None,
    ) -> None:
        self.events = LayerEvents(self)
        self._name = _check_name(name)
        self.role = role
        self.source = source
        self.report = report if report is not None else LoadReport(source=name)
        self._visible = bool(visible)
        self._opacity = _check_opacity(opacity)
        self._style = style

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r}, role={self.role!r})"

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        value = _check_name(value)
        if value != self._name:
            self._name = value
            self.events.name_changed.emit(value)

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        value = bool(value)
        if value != self._visible:
            self._visible = value
            self.events.visible_changed.emit(value)

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        value = _check_opacity(value)
        if value != self._opacity:
            self._opacity = value
            self.events.opacity_changed.emit(value)

    @property
    def style(self) -> Any:
        return self._style

    @style.setter
    def style(self, value: Any) -> None:
        self._style = value
        self.events.style_changed.emit(value)

    @property
    def extent(self) -> Extent | None:
        """(xmin, ymin, xmax, ymax) in EPSG:28992, None when the layer has no geometry."""
        return None


class VectorLayer(Layer):
    """A vector layer (or a plain table) in EPSG:28992 with canonical columns.

    ``data`` is a GeoDataFrame in EPSG:28992 for ``geometry_kind`` ``"polygon"``,
    ``"line"`` or ``"point"``. Tables without geometry (role ``portefeuille``, a CSV
    without coordinates) have ``geometry_kind == "table"`` and ``data`` is a plain
    :class:`pandas.DataFrame`; their ``extent`` is None.

    ``column_report`` tells which canonical columns were found (None when no role).
    """

    def __init__(
        self,
        name: str,
        data: pd.DataFrame,
        *,
        geometry_kind: str | None = None,
        column_report: ColumnReport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, **kwargs)
        self._data = _check_frame(data)
        self.geometry_kind = geometry_kind or _kind_of(self._data)
        self.column_report = column_report
        self._index = None

    @property
    def data(self) -> pd.DataFrame:
        return self._data

    @data.setter
    def data(self, value: pd.DataFrame) -> None:
        self._data = _check_frame(value)
        self._index = None
        self.geometry_kind = _kind_of(self._data)
        self.events.data_changed.emit()

    def spatial_index(self):
        """The :class:`~layers.spatial_index.ChunkedIndex` of ``data``'s geometries (made on
        first use, built by its first query or by ``build()`` in a worker thread). A new
        ``data`` gets a new index; change geometries by assigning a new frame, not in place."""
        from layers.spatial_index import ChunkedIndex

        if self.is_table:
            raise ValueError(Translatable("laag '{name}' heeft geen geometrie", name=self.name))
        geometries = self._data.geometry.values
        if self._index is None or self._index.source is not geometries:
            self._index = ChunkedIndex(geometries)  # a replaced geometry column gets a new index
        return self._index

    @property
    def is_table(self) -> bool:
        return self.geometry_kind == "table"

    @property
    def extent(self) -> Extent | None:
        if self.is_table or len(self._data) == 0:
            return None
        bounds = self._data.total_bounds
        if not np.all(np.isfinite(bounds)):
            return None
        return tuple(float(v) for v in bounds)  # type: ignore[return-value]


class RasterLayer(Layer):
    """A single-band grid layer; ``raster`` is a :class:`~layers.raster.RasterData` in EPSG:28992."""

    geometry_kind = "raster"

    def __init__(self, name: str, raster: RasterData, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._raster = _check_raster(raster)

    @property
    def raster(self) -> RasterData:
        return self._raster

    @raster.setter
    def raster(self, value: RasterData) -> None:
        self._raster = _check_raster(value)
        self.events.data_changed.emit()

    @property
    def extent(self) -> Extent:
        return self._raster.bounds


class CollectionEvents(SignalGroup):
    """Signals of a :class:`LayerCollection` (named by tense, as napari's EventedList).

    ``inserting(index)``, ``inserted(index, layer)``, ``removing(index)``,
    ``removed(index, layer)``, ``moving(src, dst)``, ``moved(src, dst, layer)``, and
    ``changed()`` after every change of membership or order.
    """

    inserting = Signal(int)
    inserted = Signal(int, object)
    removing = Signal(int)
    removed = Signal(int, object)
    moving = Signal(int, int)
    moved = Signal(int, int, object)
    changed = Signal()


class LayerCollection:
    """An evented ordered list of layers; index 0 is drawn first (bottom).

    Names are unique: a layer added under a name already present is renamed
    ``"<name> (2)"``, ``"<name> (3)"``, ….
    """

    def __init__(self, layers: list[Layer] | None = None) -> None:
        self.events = CollectionEvents(self)
        self._layers: list[Layer] = []
        for layer in layers or []:
            self.append(layer)

    def __repr__(self) -> str:
        return f"LayerCollection({self.names()!r})"

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(list(self._layers))

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self.names()
        return any(layer is item for layer in self._layers)

    def __getitem__(self, key: int | str) -> Layer:
        if isinstance(key, str):
            for layer in self._layers:
                if layer.name == key:
                    return layer
            raise KeyError(f"geen laag met de naam '{key}'")
        return self._layers[key]

    def names(self) -> list[str]:
        return [layer.name for layer in self._layers]

    def index(self, key: Layer | str) -> int:
        """Position of a layer (given as object or name); ``ValueError`` when absent."""
        for i, layer in enumerate(self._layers):
            if layer is key or layer.name == key:
                return i
        raise ValueError(Translatable("laag '{name}' zit niet in de lagenlijst", name=getattr(key, "name", key)))

    def append(self, layer: Layer) -> None:
        self.insert(len(self._layers), layer)

    def insert(self, index: int, layer: Layer) -> None:
        """Insert ``layer`` before ``index`` (clamped to the list, negative counts from the end)."""
        if not isinstance(layer, Layer):
            raise TypeError(f"verwacht een Layer, kreeg {type(layer).__name__}")
        if layer in self:
            raise ValueError(Translatable("laag '{name}' zit al in de lagenlijst", name=layer.name))
        index = _clamp_insert(index, len(self._layers))
        layer.name = self._unique_name(layer.name)
        self.events.inserting.emit(index)
        self._layers.insert(index, layer)
        self.events.inserted.emit(index, layer)
        self.events.changed.emit()

    def remove(self, key: Layer | str) -> Layer:
        """Remove a layer (object or name) and return it."""
        return self.pop(self.index(key))

    def pop(self, index: int = -1) -> Layer:
        index = range(len(self._layers))[index]
        self.events.removing.emit(index)
        layer = self._layers.pop(index)
        self.events.removed.emit(index, layer)
        self.events.changed.emit()
        return layer

    def clear(self) -> None:
        while self._layers:
            self.pop()

    def move(self, src: int, dst: int) -> None:
        """Move the layer at ``src`` so that it ends up at index ``dst``."""
        n = len(self._layers)
        src = range(n)[src]
        dst = range(n)[dst]
        if src == dst:
            return
        self.events.moving.emit(src, dst)
        layer = self._layers.pop(src)
        self._layers.insert(dst, layer)
        self.events.moved.emit(src, dst, layer)
        self.events.changed.emit()

    def by_role(self, role: str) -> list[Layer]:
        return [layer for layer in self._layers if layer.role == role]

    def first(self, role: str) -> Layer | None:
        found = self.by_role(role)
        return found[0] if found else None

    def _unique_name(self, name: str) -> str:
        taken = set(self.names())
        if name not in taken:
            return name
        n = 2
        while f"{name} ({n})" in taken:
            n += 1
        return f"{name} ({n})"


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(Translatable("een laagnaam moet een niet-lege tekst zijn, niet {name}", name=repr(name)))
    return name


def _check_opacity(value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(Translatable("dekking moet een getal tussen 0 en 1 zijn, niet {value}", value=repr(value))) from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(Translatable("dekking moet tussen 0 en 1 liggen, niet {value}", value=value))
    return value


def _check_frame(data: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"verwacht een (Geo)DataFrame, kreeg {type(data).__name__}")
    return data


def _check_raster(raster: RasterData) -> RasterData:
    if not isinstance(raster, RasterData):
        raise TypeError(f"verwacht RasterData, kreeg {type(raster).__name__}")
    return raster


def _kind_of(data: pd.DataFrame) -> str:
    return geometry_kind(data if isinstance(data, gpd.GeoDataFrame) else None)


def _clamp_insert(index: int, n: int) -> int:
    if index < 0:
        index += n
    return max(0, min(index, n))
