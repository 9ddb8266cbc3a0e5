"""layers.texts.Translatable: a Dutch string that keeps its template and values."""

from __future__ import annotations

import copy
import json
import pickle

import numpy as np

from layers.texts import Translatable, and_list


def test_reads_as_the_dutch_text_and_keeps_template_and_values():
    text = Translatable("{n:,} objecten zonder geometrie weggelaten in {layer}", n=np.int64(12345), layer="pand")
    assert text == "12.345 objecten zonder geometrie weggelaten in pand"
    assert text.template == "{n:,} objecten zonder geometrie weggelaten in {layer}"
    assert text.values == {"n": 12345, "layer": "pand"} and type(text.values["n"]) is int
    assert f"melding: {text}" == "melding: 12.345 objecten zonder geometrie weggelaten in pand"
    assert json.loads(json.dumps({"tekst": text})) == {"tekst": str(text)}


def test_numbers_without_grouping_and_years_stay_as_written():
    assert Translatable("{n} panden met bouwjaar {year}", n=1234, year=9999) == "1234 panden met bouwjaar 9999"
    assert Translatable("{share:,.1f}%", share=1234.5) == "1.234,5%"


def test_values_in_turn_lists_and_joins():
    inner = Translatable("{n} panden", n=2)
    assert Translatable("onbekend: {what}", what=inner) == "onbekend: 2 panden"
    assert Translatable("voor {scans}", scans=["optoppen", "splitsen", "transformatie"]) == \
        "voor optoppen, splitsen en transformatie"
    assert and_list(["a", "b"], "and") == "a and b" and and_list(["a"]) == "a" and and_list([]) == ""
    joined = Translatable.joined([inner, Translatable("geschat")])
    assert joined == "2 panden; geschat" and joined.template == "{p0}; {p1}"
    assert joined.values["p0"].template == "{n} panden"


def test_a_term_is_its_text_with_a_key():
    term = Translatable.term("aantal extra {bouwlagen}", "parameter", "optoppen.extra_lagen")
    assert term == "aantal extra {bouwlagen}" and term.term_of == ("parameter", "optoppen.extra_lagen")


def test_pickle_and_copy_keep_template_values_and_term():
    text = Translatable("{what} ligt tussen {a:,} en {b:,}", what=Translatable.term("De x", "scan", "x"), a=1000, b=2000)
    for again in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text), copy.copy(text)):
        assert again == text and type(again) is Translatable
        assert again.template == text.template and again.values["what"].term_of == ("scan", "x")
