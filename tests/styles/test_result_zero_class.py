"""The result maps draw 0 extra homes alike: the gebieden map's 0 is the grey class "geen extra
woningen" the panden map has, never the lightest yellow of a candidate class."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from styles import symbol_for_features
from styles.defaults import NO_POTENTIAL, default_style
from styles.legend import legend_counts


def _frame(totals) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"totaal_woningen": totals}, geometry=[box(i, 0, i + 1, 1) for i in range(len(totals))],
                            crs="EPSG:28992")


def test_a_gebied_of_zero_is_grey_not_a_candidates_yellow():
    gebieden = _frame([0, 0, 3, 12, 29, 96, 199, 548, 674])
    panden = _frame([0, 0, 1, 3, 4, 13, 31, 67])
    area = default_style("gebieden_potentie", gebieden)
    building = default_style("gebouwen_potentie", panden)
    assert area.classes[0].label == building.classes[0].label == "geen extra woningen"
    assert area.classes[0].symbol == building.classes[0].symbol == NO_POTENTIAL
    # the gebieden with homes start at 1 in the candidates' lightest colour, as the panden do
    assert area.classes[1].label.startswith("1 – ")
    assert area.classes[1].symbol.fill == building.classes[1].symbol.fill
    zero_fill = area.classes[0].symbol.fill
    assert all(c.symbol.fill != zero_fill for c in area.classes[1:])
    codes, _symbols = symbol_for_features(area, gebieden)
    totals = gebieden["totaal_woningen"].to_numpy()
    assert (codes[totals == 0] == 0).all() and (codes[totals > 0] > 0).all()
    assert legend_counts(area, gebieden)[0] == 2
    assert len(area.classes) == len(building.classes) == 5  # grey 0 and four classes of candidates


def test_gebieden_without_a_zero_keep_their_candidate_classes():
    values = np.array([4, 9, 20, 33, 80])
    style = default_style("gebieden_potentie", _frame(values))
    codes, _symbols = symbol_for_features(style, _frame(values))
    assert (codes > 0).all() and style.classes[-1].upper == 80
