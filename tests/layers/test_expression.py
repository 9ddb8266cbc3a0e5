"""The selection expression language: a table of expressions → selected rows, and of errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.expression import ExpressionError, columns_in, evaluate, parse, select


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bouwjaar": [1900, 1945, 1970, np.nan, 2010],
            "naam": ["Kerkstraat 1", "kerkpad", "Dorpsweg", None, "Kerk's hof"],
            "gebruiksdoel": ["woonfunctie", "winkelfunctie", "woonfunctie", "woonfunctie", None],
            "naam met spatie": [1, 2, 3, 4, 5],
            "monument": [True, False, False, True, False],
            "hoogte": [3.5, 10.0, 7.25, 12.0, np.nan],
        }
    )


@pytest.mark.parametrize(
    "text, rows",
    [
        ("bouwjaar < 1945", [0]),
        ("bouwjaar <= 1945", [0, 1]),
        ("bouwjaar > 1945", [2, 4]),
        ("bouwjaar >= 1970", [2, 4]),
        ("bouwjaar = 1970", [2]),
        ("bouwjaar != 1970", [0, 1, 4]),  # a missing bouwjaar is not "not 1970": it is unknown
        ("bouwjaar <> 1970", [0, 1, 4]),
        ("1945 < bouwjaar", [2, 4]),
        ("hoogte > 7.25", [1, 3]),
        ("hoogte > 7.", [1, 2, 3]),
        ("hoogte >= .5e1", [1, 2, 3]),
        ("hoogte > -1", [0, 1, 2, 3]),
        ("gebruiksdoel = 'woonfunctie'", [0, 2, 3]),
        ("gebruiksdoel != 'woonfunctie'", [1]),
        ("\"gebruiksdoel\" = 'woonfunctie' AND bouwjaar < 1960", [0]),
        ("gebruiksdoel = 'woonfunctie' and bouwjaar < 1960 or hoogte = 10", [0, 1]),
        ("gebruiksdoel = 'woonfunctie' AND (bouwjaar < 1960 OR hoogte = 10)", [0]),
        ("NOT bouwjaar < 1945", [1, 2, 4]),  # a missing bouwjaar is unknown, also under NOT
        ("NOT (bouwjaar < 1945 OR bouwjaar > 2000)", [1, 2]),
        ("bouwjaar < 1945 OR hoogte = 12", [0, 3]),  # unknown OR true is true
        ("NOT (bouwjaar < 1945 AND hoogte = 3.5)", [1, 2, 3, 4]),  # unknown AND false is false
        ("bouwjaar IN (1900, 2010)", [0, 4]),
        ("bouwjaar NOT IN (1900, 2010)", [1, 2]),
        ("gebruiksdoel IN ('winkelfunctie')", [1]),
        ("gebruiksdoel not in ('winkelfunctie')", [0, 2, 3]),
        ("bouwjaar IS NULL", [3]),
        ("bouwjaar IS NOT NULL", [0, 1, 2, 4]),
        ("naam is null or gebruiksdoel IS NULL", [3, 4]),
        ("naam LIKE 'Kerk%'", [0, 4]),
        ("naam ILIKE 'kerk%'", [0, 1, 4]),
        ("naam LIKE '%weg'", [2]),
        ("naam LIKE 'Kerk''s _of'", [4]),
        ("naam NOT LIKE 'Kerk%'", [1, 2]),
        ("naam LIKE 'Kerk.%'", []),  # a regex character is a plain character
        ("\"naam met spatie\" >= 4", [3, 4]),
        ("monument", [0, 3]),
        ("NOT monument", [1, 2, 4]),
        ("monument AND hoogte > 5", [3]),
        ("naam > 'K'", [0, 1, 4]),  # text compares by code point: 'k' > 'K'
        ("NOT NOT monument", [0, 3]),
        ("bouwjaar < hoogte", []),
    ],
)
def test_selects(frame, text, rows):
    assert select(text, frame).tolist() == rows
    assert evaluate(text, frame).dtype == bool and len(evaluate(text, frame)) == len(frame)


@pytest.mark.parametrize(
    "text, position, words",
    [
        ("", 1, "lege expressie"),
        ("bouwjaar <", 11, "verwacht een kolom, getal of tekst"),
        ("bouwjaar < 1945 AND", 20, "verwacht een kolom"),
        ("(bouwjaar < 1945", 17, "verwacht ')'"),
        ("bouwjaar < 1945)", 16, "onverwacht )"),
        ("bouwjar < 1945", 1, "onbekende kolom bouwjar"),
        ("BOUWJAAR < 1945", 1, "bedoelt u bouwjaar"),
        ("gebruiksdoel = 'woon", 16, "aanhalingsteken ' wordt niet gesloten"),
        ("bouwjaar < '1945'", 12, "bevat getallen"),
        ("gebruiksdoel = 5", 16, "bevat tekst"),
        ("bouwjaar = NULL", 12, "IS NULL"),
        ("bouwjaar IS 5", 13, "NULL na IS"),
        ("bouwjaar IN 1900", 13, "'(' na IN"),
        ("bouwjaar IN (1900 1945)", 19, "')' of ','"),
        ("bouwjaar IN (hoogte)", 14, "in de lijst"),
        ("naam LIKE Kerk", 11, "tekst tussen"),
        ("bouwjaar NOT 5", 14, "IN of LIKE na NOT"),
        ("bouwjaar", 1, "geen ja/nee-kolom"),
        ("5", 2, "verwacht een vergelijking"),
        ("hoogte * 2", 8, "onverwacht teken '*'"),
        ("bouwjaar < 1945 bouwjaar", 17, "verwacht AND, OR"),
        ("naam = hoogte", 6, "niet van hetzelfde soort"),
        ("__import__('os') = 1", 11, "onverwacht ("),
    ],
)
def test_errors_name_the_position(frame, text, position, words):
    with pytest.raises(ExpressionError) as info:
        evaluate(text, frame)
    assert info.value.position == position, str(info.value)
    assert words in str(info.value)
    assert str(info.value).startswith(f"positie {position}: ")


def test_columns_in_and_parse_reuse(frame):
    node = parse("a = 1 AND (\"b c\" IN ('x') OR NOT d IS NULL) AND e LIKE 'p%'")
    assert columns_in(node) == {"a", "b c", "d", "e"}
    tree = parse("bouwjaar < 1945")
    assert select(tree, frame).tolist() == [0]


def test_no_python_is_evaluated(frame):
    # Python syntax is never run: attribute access and calls are not in the language.
    for text in ("naam.__class__ = 1", "open('x') = 1", "naam = naam.upper"):
        with pytest.raises(ExpressionError):
            evaluate(text, frame)


def test_geodataframe_and_large_frame():
    import geopandas as gpd
    import shapely

    n = 200_000
    gdf = gpd.GeoDataFrame({"v": np.arange(n) % 7, "geometry": shapely.points(np.arange(n), np.zeros(n))}, crs=28992)
    rows = select("v IN (1, 2) AND NOT v = 2", gdf)
    assert len(rows) == np.count_nonzero(np.arange(n) % 7 == 1)
    with pytest.raises(ExpressionError, match="geometrie"):
        select("geometry IS NULL", gdf)


def test_every_message_has_dutch_and_english():
    from layers.expression import MESSAGES

    for code, texts in MESSAGES.items():
        assert set(texts) == {"nl", "en"}, code


@pytest.mark.parametrize(
    "text, english",
    [
        ("(bouwjaar < 1945", "position 17: expected ')', found the end"),
        ("BOUWJAAR < 1945", "position 1: unknown column BOUWJAAR (did you mean bouwjaar?)"),
        ("gebruiksdoel = 5", "position 16: column gebruiksdoel holds text; put 5 in quotes: '5'"),
    ],
)
def test_errors_in_english(frame, text, english):
    with pytest.raises(ExpressionError) as info:
        evaluate(text, frame)
    assert info.value.text("en") == english
    assert str(info.value) == info.value.text("nl") and "positie" in str(info.value)
