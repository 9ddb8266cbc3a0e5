"""Readable names of the layers the app makes from a scan result.

The result layers keep their data names (``gebouwen_potentie``, ``gebieden_potentie``,
``locaties_scan``): they are the layers of the GeoPackage and the names the app finds them by. What
the planner reads (the layer panel, identify, the attribute table's title, the question before a
layer is removed) is :func:`layer_title`: "Potentie per pand", in the interface language. A layer
the planner renamed, and every other layer, is shown by its own name.
"""

from __future__ import annotations

from gisapp.i18n import language

#: Result layer name -> (Dutch, English) title.
RESULT_LAYER_TITLES: dict[str, tuple[str, str]] = {
    "gebouwen_potentie": ("Potentie per pand", "Potential per building"),
    "gebieden_potentie": ("Potentie per gebied", "Potential per area"),
    "locaties_scan": ("Locatiescan", "Site scan"),
}


def layer_title(layer) -> str:
    """The name the interface shows for ``layer`` (a layer or a layer name)."""
    name = str(getattr(layer, "name", layer))
    titles = RESULT_LAYER_TITLES.get(name)
    if titles is None:
        return name
    dutch, english = titles
    return english if language() == "en" else dutch
