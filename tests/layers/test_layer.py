import numpy as np
import pandas as pd
import pytest
from affine import Affine

from layers.layer import LayerCollection, RasterLayer, VectorLayer
from layers.raster import RasterData

from .conftest import rd_square


def _vector(name, role=None):
    import geopandas as gpd

    return VectorLayer(name, gpd.GeoDataFrame(geometry=[rd_square()], crs="EPSG:28992"), role=role)


def test_layer_events_and_validation():
    layer = _vector("a")
    seen = []
    layer.events.visible_changed.connect(lambda v: seen.append(("visible", v)))
    layer.events.opacity_changed.connect(lambda v: seen.append(("opacity", v)))
    layer.events.name_changed.connect(lambda v: seen.append(("name", v)))
    layer.events.data_changed.connect(lambda: seen.append(("data",)))
    layer.visible = False
    layer.visible = False  # no change, no event
    layer.opacity = 0.5
    layer.name = "b"
    layer.data = layer.data.iloc[:0]
    assert seen == [("visible", False), ("opacity", 0.5), ("name", "b"), ("data",)]
    with pytest.raises(ValueError):
        layer.opacity = 2
    with pytest.raises(ValueError):
        layer.name = ""
    assert layer.extent is None  # empty


def test_extent_and_table():
    assert _vector("a").extent == (100000.0, 450000.0, 100010.0, 450010.0)
    table = VectorLayer("t", pd.DataFrame({"pand_id": ["1"]}))
    assert table.geometry_kind == "table" and table.extent is None


def test_raster_layer_extent():
    raster = RasterData(np.zeros((2, 3)), Affine(10, 0, 0, 0, -10, 20), "EPSG:28992")
    assert RasterLayer("r", raster).extent == (0.0, 0.0, 30.0, 20.0)


def test_collection_events_order_and_lookup():
    layers = LayerCollection()
    log = []
    for name in ("inserting", "inserted", "removing", "removed", "moving", "moved", "changed"):
        getattr(layers.events, name).connect(lambda *args, _n=name: log.append((_n, *[a if isinstance(a, int) else a.name for a in args])))
    a, b, c = _vector("a", "gebouwen"), _vector("b", "gebieden"), _vector("c", "gebieden")
    layers.append(a)
    layers.append(b)
    layers.insert(0, c)
    assert layers.names() == ["c", "a", "b"]
    assert log[:3] == [("inserting", 0), ("inserted", 0, "a"), ("changed",)]
    log.clear()
    layers.move(0, 2)
    assert layers.names() == ["a", "b", "c"]
    assert log == [("moving", 0, 2), ("moved", 0, 2, "c"), ("changed",)]
    assert layers["b"] is b and layers[0] is a and len(layers) == 3
    assert layers.by_role("gebieden") == [b, c] and layers.first("gebouwen") is a and layers.first("kwel") is None
    log.clear()
    assert layers.remove("b") is b
    assert log == [("removing", 1), ("removed", 1, "b"), ("changed",)]
    assert [layer.name for layer in layers] == ["a", "c"]


def test_collection_unique_names():
    layers = LayerCollection([_vector("a"), _vector("a")])
    assert layers.names() == ["a", "a (2)"]
    with pytest.raises(KeyError):
        layers["zz"]
