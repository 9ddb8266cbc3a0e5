"""A small dictionary-based translation layer for the user interface.

The interface speaks Dutch by default; English is selectable with ``--lang en`` or the
``taal`` setting. Source strings are the Dutch texts themselves, so the code reads as the
user sees it and a missing English entry falls back to Dutch instead of to a key.
``tests/gisapp/test_i18n.py`` checks that every literal passed to :func:`tr` has an
English entry.

No Qt here: the application reads the saved language from QSettings and calls
:func:`set_language`.
"""

from __future__ import annotations

import re
import string

from layers.errors import environment_message
from layers.expression import ExpressionError
from layers.texts import Translatable, and_list

LANGUAGES = ("nl", "en")

_language = "nl"

#: Dutch text -> English text.
EN: dict[str, str] = {
    # Menus
    "&Project": "&Project",
    "&Kaart": "&Map",
    "&Lagen": "&Layers",
    "&Scans": "&Scans",
    "&Beeld": "&View",
    "&Help": "&Help",
    # Map tools, selection, raster styles and layer removal (issue 23)
    "&Bewerken": "&Edit",
    "&Selectie": "&Selection",
    "Schaal": "Scale",
    "Schaal van de kaart; typ een schaal (bijvoorbeeld 1:2500) en druk op Enter":
        "Map scale; type a scale (for example 1:2500) and press Enter",
    "Ongeldige schaal '{value}': typ bijvoorbeeld 1:2500": "Invalid scale '{value}': type for example 1:2500",
    "Afstand meten": "Measure distance",
    "Oppervlakte meten": "Measure area",
    "Meet een afstand: klik punten, rechtsklik of Esc rondt af": "Measure a distance: click points; right-click or Esc finishes",
    "Meet een oppervlakte: klik hoekpunten, rechtsklik of Esc rondt af":
        "Measure an area: click corners; right-click or Esc finishes",
    "Afstand: {value}": "Distance: {value}",
    "Laatste segment: {value}": "Last segment: {value}",
    "Oppervlakte: {value}": "Area: {value}",
    "Omtrek: {value}": "Perimeter: {value}",
    "Vorige uitsnede": "Previous extent",
    "Volgende uitsnede": "Next extent",
    "Terug naar de vorige kaartuitsnede": "Back to the previous map extent",
    "Vooruit naar de volgende kaartuitsnede": "Forward to the next map extent",
    "Selecteren met veelhoek": "Select by polygon",
    "Teken een veelhoek; dubbelklik of rechtsklik selecteert de objecten van de actieve laag die hem raken":
        "Draw a polygon; double-click or right-click selects the features of the active layer it touches",
    "Selecteren met expressie…": "Select by expression…",
    "Selecteer objecten van de actieve laag met een voorwaarde op kolommen":
        "Select features of the active layer with a condition on columns",
    "Selecteren met expressie – {name}": "Select by expression – {name}",
    "bijvoorbeeld: bouwjaar < 1945 AND gebruiksdoel = 'woonfunctie'":
        "for example: bouwjaar < 1945 AND gebruiksdoel = 'woonfunctie'",
    "Kolommen": "Columns",
    "Waarden": "Values",
    "Waarden van {name} ({n} verschillend)": "Values of {name} ({n} distinct)",
    "Dubbelklik om {name} in te voegen": "Double-click to insert {name}",
    "Dubbelklik om de waarde in te voegen": "Double-click to insert the value",
    "Expressie": "Expression",
    "Fout op {error}": "Error at {error}",
    "Kies eerst een vectorlaag in de lagenlijst.": "First choose a vector layer in the layer list.",
    "Kaart opslaan als afbeelding…": "Save map as image…",
    "Kaart opslaan als afbeelding": "Save map as image",
    "Sla de kaart zoals getoond op als PNG (met schaalbalk en bronvermelding)":
        "Save the map as shown as PNG (with scale bar and attribution)",
    "PNG-afbeelding (*.png)": "PNG image (*.png)",
    "Schermgrootte ({w} × {h} pixels)": "Screen size ({w} × {h} pixels)",
    "{dpi} dpi": "{dpi} dpi",
    "Resolutie": "Resolution",
    "Kaart opgeslagen: {path}": "Map saved: {path}",
    "Kan {path} niet schrijven: kies een map waarin u mag schrijven": "Cannot write {path}: choose a folder you may write to",
    "Laag terugzetten": "Restore layer",
    "Zet de laatst verwijderde laag terug": "Restore the layer removed last",
    "Laag verwijderen": "Remove layer",
    "Laag '{name}' verwijderen": "Remove layer '{name}'",
    "Laag '{name}' verwijderen uit het project? Met Bewerken → Laag terugzetten (Ctrl+Z) zet u hem terug.":
        "Remove layer '{name}' from the project? Edit → Restore layer (Ctrl+Z) brings it back.",
    "Laag '{name}' verwijderd; Ctrl+Z zet hem terug.": "Layer '{name}' removed; Ctrl+Z brings it back.",
    "Uit gegevens": "From data",
    "Minimum en maximum op 2% en 98% van de waarden van het raster":
        "Minimum and maximum at 2% and 98% of the raster's values",
    "Minimum – maximum": "Minimum – maximum",
    "Een kleurenbeeld wordt in zijn eigen kleuren getekend; alleen de dekking is in te stellen.":
        "A colour image is drawn in its own colours; only the opacity can be set.",
    "Dit raster heeft geen waarden.": "This raster has no values.",
    "Het maximum ligt onder het minimum.": "The maximum lies below the minimum.",
    "Handmatig": "Manual",
    "Van": "From",
    "Tot en met": "Up to and including",
    "Label": "Label",
    "Kleur": "Colour",
    "Klasse i bevat de waarden boven 'Van' tot en met 'Tot en met'; dubbelklik op een kleur om hem te kiezen":
        "Class i holds the values above 'From' up to and including 'Up to and including'; double-click a colour to choose it",
    "Klasse toevoegen": "Add class",
    "Klasse verwijderen": "Remove class",
    "Voeg minstens één klasse toe.": "Add at least one class.",
    "Klasse {n}: 'Van' en 'Tot en met' moeten getallen zijn.": "Class {n}: 'From' and 'Up to and including' must be numbers.",
    "Klasse {n}: 'Tot en met' ligt onder 'Van'.": "Class {n}: 'Up to and including' lies below 'From'.",
    "Klasse {n} begint onder het einde van klasse {m}.": "Class {n} starts below the end of class {m}.",
    "Kolom {column} heeft maar {n} verschillende waarden: {n} klassen.":
        "Column {column} has only {n} distinct values: {n} classes.",
    "Deze gegevens geven {n} klassen.": "This data gives {n} classes.",
    "Nieuw project": "New project",
    "Project openen…": "Open project…",
    "Recente projecten": "Recent projects",
    "Geen recente projecten": "No recent projects",
    "Opslaan": "Save",
    "Opslaan als…": "Save as…",
    "Afsluiten": "Quit",
    "Verschuiven": "Pan",
    "Inzoomen met kader": "Zoom to box",
    "Inzoomen": "Zoom in",
    "Uitzoomen": "Zoom out",
    "Volledige kaart": "Full extent",
    "Zoom naar selectie": "Zoom to selection",
    "Informatie opvragen": "Identify features",
    "Selecteren": "Select",
    "Selectie wissen": "Clear selection",
    "Laag toevoegen…": "Add layer…",
    "Attribuuttabel": "Attribute table",
    "Stijl…": "Style…",
    "Potentiescan uitvoeren…": "Run potential scan…",
    "Scenario's vergelijken…": "Compare scenarios…",
    "Lagen en legenda": "Layers and legend",
    "Resultaten": "Results",
    "Informatie": "Identify",
    "Taal": "Language",
    "Nederlands": "Dutch",
    "Engels": "English",
    "De taal wordt bij de volgende start gewijzigd.": "The language changes at the next start.",
    "Over Beter Benutten": "About Beter Benutten",
    "Beter Benutten: potentiescans van de bestaande woningvoorraad (optoppen, splitsen, transformatie, wonen op het boerenerf).":
        "Beter Benutten: potential scans of the existing housing stock (adding storeys, splitting, conversion, homes on farmyards).",
    "Werkbalk": "Toolbar",
    # New project for a gemeente (gisapp.gemeente_wizard)
    "Nieuw project voor een gemeente…": "New project for a municipality…",
    "Nieuw project voor een gemeente": "New project for a municipality",
    "Gemeente": "Municipality",
    "naam of CBS-code, bijvoorbeeld Doesburg of GM0221": "name or CBS code, for example Doesburg or GM0221",
    "Gemeenten van {jaar} laden…": "Loading the municipalities of {jaar}…",
    "{n} gemeenten in CBS Wijken en Buurten {jaar}": "{n} municipalities in CBS Wijken en Buurten {jaar}",
    "Gemeentelijst niet beschikbaar ({error}); typ een naam of CBS-code.":
        "Municipality list not available ({error}); type a name or CBS code.",
    "Jaar (CBS Wijken en Buurten)": "Year (CBS Wijken en Buurten)",
    "Map voor het project": "Folder for the project",
    "Kiezen…": "Choose…",
    "alleen cache (offline)": "cache only (offline)",
    "Status": "Status",
    "Bestand nodig: geen bruikbare openbare dienst": "File needed: no usable public service",
    "Ophalen": "Fetch",
    "Openen": "Open",
    "Geef een gemeente op (naam of CBS-code).": "Enter a municipality (name or CBS code).",
    "Kies een map voor het project.": "Choose a folder for the project.",
    "Ophalen van {gemeente}…": "Fetching {gemeente}…",
    "Afbreken…": "Cancelling…",
    "Klaar: {path}": "Done: {path}",
    "Ophalen mislukt; er is niets geschreven.": "Fetching failed; nothing was written.",
    "Afgebroken; er is niets geschreven.": "Cancelled; nothing was written.",
    "wachten": "waiting",
    "bezig": "busy",
    "bezig ({detail}{n} objecten)": "busy ({detail}{n} features)",
    "klaar": "done",
    "gedownload": "downloaded",
    "uit cache": "from cache",
    "deels uit cache": "partly from cache",
    "bestand nodig": "file needed",
    "afgebroken": "cancelled",
    "fout": "error",
    "{n} objecten": "{n} features",
    "{d} pagina's gedownload, {c} uit cache": "{d} pages downloaded, {c} from cache",
    "let op": "note",
    "Waar": "Where",
    "Bestand kiezen…": "Choose file…",
    "Gegevensbestanden": "Data files",
    "Laag kiezen": "Choose layer",
    "Laag in {file}": "Layer in {file}",
    "{file} lezen…": "Reading {file}…",
    "Toegevoegd aan het project: {file}": "Added to the project: {file}",
    "toegevoegd: {file}": "added: {file}",
    "De map {folder} bevat al een project ({names}). Opnieuw ophalen overschrijft het project van deze gemeente, met de bestanden die u eraan toevoegde. Doorgaan?":
        "The folder {folder} already holds a project ({names}). Fetching again overwrites this municipality's project, "
        "with the files you added to it. Continue?",
    "de kolom {columns} ontbreekt voor de rol '{role}'; kies een bestand met die kolom":
        "the column {columns} is missing for the role '{role}'; choose a file with that column",
    # Status bar
    "Schaal 1:{scale}": "Scale 1:{scale}",
    "RD x {x} y {y}": "RD x {x} y {y}",
    "Project geladen: {name}": "Project loaded: {name}",
    "Project laden: {name}": "Loading project: {name}",
    "Laag lezen: {name} ({done} van {total})": "Reading layer: {name} ({done} of {total})",
    "Laag {name} niet geladen: {reason}": "Layer {name} not loaded: {reason}",
    "Niet alle lagen zijn geladen": "Not all layers were loaded",
    "Deze lagen konden niet worden gelezen; ze blijven in het projectbestand staan en de andere lagen "
    "zijn geladen:\n\n{listing}":
        "These layers could not be read; they stay in the project file and the other layers were "
        "loaded:\n\n{listing}",
    "het project wordt nog geladen; probeer het opnieuw als alle lagen er zijn.":
        "the project is still loading; try again once all layers are there.",
    "project": "project",
    "Project opgeslagen: {path}": "Project saved: {path}",
    "Laag toegevoegd: {name}": "Layer added: {name}",
    "{n} objecten geselecteerd": "{n} features selected",
    # Dialogs and messages
    "Fout": "Error",
    "Waarschuwing": "Warning",
    "Niet-opgeslagen wijzigingen": "Unsaved changes",
    "Het project '{name}' heeft wijzigingen die nog niet zijn opgeslagen. Opslaan?":
        "The project '{name}' has unsaved changes. Save them?",
    "Projectbestanden (*.toml)": "Project files (*.toml)",
    "Databestanden (*.gpkg *.geojson *.json *.shp *.fgb *.csv *.tif *.tiff);;Alle bestanden (*)":
        "Data files (*.gpkg *.geojson *.json *.shp *.fgb *.csv *.tif *.tiff);;All files (*)",
    "Kan het project niet openen": "Cannot open the project",
    "Kan het project niet opslaan": "Cannot save the project",
    "Kan de laag niet laden": "Cannot load the layer",
    "Naamloos project": "Untitled project",
    "Meldingen bij het laden": "Messages while loading",
    # Layer panel
    "Lagen": "Layers",
    "Dekking": "Opacity",
    "Zoom naar laag": "Zoom to layer",
    "Hernoemen": "Rename",
    "Verwijderen": "Remove",
    "Omhoog": "Move up",
    "Omlaag": "Move down",
    "(geen stijl)": "(no style)",
    # Add layer dialog
    "Laag toevoegen": "Add layer",
    "Bestand": "File",
    "Laag in bestand": "Layer in file",
    "Rol": "Role",
    "Naam": "Name",
    "(geen rol)": "(no role)",
    "geraden": "guessed",
    # Style dialog
    "Stijl van '{name}'": "Style of '{name}'",
    "Soort": "Type",
    "Enkel symbool": "Single symbol",
    "Categorieën": "Categorized",
    "Klassen": "Graduated",
    "Kolom": "Column",
    "Methode": "Method",
    "Gelijke intervallen": "Equal interval",
    "Kwantielen": "Quantiles",
    "Natuurlijke grenzen": "Natural breaks",
    "Aantal klassen": "Number of classes",
    "Kleurverloop": "Colour ramp",
    "Vulkleur": "Fill colour",
    "Lijnkleur": "Stroke colour",
    "Kies…": "Choose…",
    "Voorbeeld": "Preview",
    "Toepassen": "Apply",
    "Standaardstijl": "Default style",
    "Deze laag heeft geen numerieke kolommen.": "This layer has no numeric columns.",
    "overig": "other",
    # Identify
    "Klik met het informatiegereedschap op een object.": "Click a feature with the identify tool.",
    "Attribuut": "Attribute",
    "Waarde": "Value",
    "Resultaat per scan": "Result per scan",
    "Scan": "Scan",
    "Woningen": "Homes",
    "Reden": "Reason",
    "Totaal extra woningen": "Total extra homes",
    "Totaal": "Total",
    "Laag": "Layer",
    "Geen object op deze plek.": "No feature at this location.",
    # Attribute table
    "Attribuuttabel – {name}": "Attribute table – {name}",
    "Filter (tekst in een kolom)…": "Filter (text in any column)…",
    "{shown} van {total} rijen, {selected} geselecteerd": "{shown} of {total} rows, {selected} selected",
    # Scan dialog
    "Potentiescan": "Potential scan",
    "Scenario": "Scenario",
    "Gebieden": "Areas",
    "(geen gebiedsindeling)": "(no area layer)",
    "Opslaan als scenario…": "Save as scenario…",
    "Naam van het nieuwe scenario:": "Name of the new scenario:",
    "Uitvoeren": "Run",
    "Annuleren": "Cancel",
    "Sluiten": "Close",
    "Randvoorwaarden": "Constraints",
    "Bron: {source}": "Source: {source}",
    "Klaar in {seconds} s: {homes} extra woningen.": "Done in {seconds} s: {homes} extra homes.",
    "Scan geannuleerd.": "Scan cancelled.",
    "Scan mislukt": "Scan failed",
    "Bezig…": "Running…",
    "Scenario '{name}' opgeslagen in het project.": "Scenario '{name}' saved in the project.",
    "standaard": "default",
    "optimistisch": "optimistic",
    "pessimistisch": "pessimistic",
    "Dit project heeft geen gebouwenlaag.": "This project has no buildings layer.",
    # Results
    "Resultaten per gebied": "Results per area",
    "Grafieken": "Charts",
    "Extra woningen per scan": "Extra homes per scan",
    "Bouwjaar van kandidaten": "Construction year of candidates",
    "Scenariovergelijking": "Scenario comparison",
    "Totaal: {homes} extra woningen in {areas} gebieden.": "Total: {homes} extra homes in {areas} areas.",
    "Totaal: {homes} extra woningen; zonder gebiedenlaag geen tabel per gebied.":
        "Total: {homes} extra homes; without an areas layer there is no table per area.",
    "Nog geen scan uitgevoerd.": "No scan run yet.",
    "bouwjaar": "construction year",
    "aantal panden": "number of buildings",
    "extra woningen": "extra homes",
    "Alle gebieden": "All areas",
    # Compare dialog
    "Scenario's vergelijken": "Compare scenarios",
    "Scenario A": "Scenario A",
    "Scenario B": "Scenario B",
    "Vergelijken": "Compare",
    # Autosave and recovery
    "Automatisch opgeslagen versie gevonden": "Autosaved version found",
    "Van {name} is een automatisch opgeslagen versie van {when} gevonden die nieuwer is dan het "
    "opgeslagen project (het programma is waarschijnlijk onverwacht gestopt). Deze versie herstellen?":
        "An autosaved version of {name} from {when} was found that is newer than the saved project "
        "(the program probably stopped unexpectedly). Recover this version?",
    "het naamloze project": "the untitled project",
    "Automatisch opgeslagen versie hersteld: {name}": "Autosaved version recovered: {name}",
    "Kan de automatisch opgeslagen versie niet laden": "Cannot load the autosaved version",
    "Automatisch opslaan mislukt: {reason}": "Autosave failed: {reason}",
    # Background tasks and exports
    "Er loopt al een taak: {title}": "A task is already running: {title}",
    "{title} geannuleerd.": "{title} cancelled.",
    "Exporteren": "Export",
    "Rapport (PDF)…": "Report (PDF)…",
    "Excel…": "Excel…",
    "GeoPackage met stijlen (QGIS)…": "GeoPackage with styles (QGIS)…",
    "Portefeuille per complex…": "Portfolio per complex…",
    "PDF-bestanden (*.pdf)": "PDF files (*.pdf)",
    "Excel-werkmappen (*.xlsx)": "Excel workbooks (*.xlsx)",
    "GeoPackages (*.gpkg)": "GeoPackages (*.gpkg)",
    "Voer eerst een potentiescan uit.": "Run a potential scan first.",
    "{path}: de bestandsnaam moet op {suffix} eindigen": "{path}: the file name must end in {suffix}",
    "{folder}: map bestaat niet": "{folder}: folder does not exist",
    "Geëxporteerd: {names}": "Exported: {names}",
    # Export progress: the steps of the writers (gisapp/reports, scans.pipeline.write_result) and a cancel
    "{title} geannuleerd: er is geen bestand geschreven en een bestaand bestand is niet veranderd.":
        "{title} cancelled: no file was written and an existing file was not changed.",
    "woningbouwlocaties": "housing sites",
    "gegevens en dekking": "data and coverage",
    "kaart: laag {i} van {n}": "map: layer {i} of {n}",
    "kaart: achtergrondkaart": "map: background map",
    "kaart: legenda": "map: legend",
    "kaart afmaken": "finishing the map",
    "grafiek tekenen": "drawing the chart",
    "gevoeligheid: grafiek tekenen": "sensitivity: drawing the chart",
    "pagina {page} opmaken": "laying out page {page}",
    "blad {i} van {n}: {name}": "sheet {i} of {n}: {name}",
    "werkmap opslaan": "saving the workbook",
    # scans/scenarios.py
    "sectie '{name}' verwacht {klasse}": "section '{name}' expects {klasse}",
    "scenario '{naam}': verwacht een tabel, kreeg {data}": "scenario '{naam}': expected a table, got {data}",
    "scenario '{naam}': 'base' moet de naam van een scenario zijn": "scenario '{naam}': 'base' must be the name of a scenario",
    "scenario '{naam}': onbekende basis '{basis}' (bekend: {known})": "scenario '{naam}': unknown base '{basis}' (known: {known})",
    "scenario '{naam}': onbekende scan of sectie '{key}' (bekend: {known})":
        "scenario '{naam}': unknown scan or section '{key}' (known: {known})",
    "ongeldige instelling '{text}': gebruik scan.parameter=waarde": "invalid setting '{text}': use scan.parameter=value",
    "onbekend scenario '{name}' (bekend: {known})": "unknown scenario '{name}' (known: {known})",
    "vergelijken kan alleen met resultaten per gebied (geen gebiedenlaag in de scan)":
        "comparing needs results per area (the scan had no areas layer)",
    "er loopt al een berekening": "a computation is already running",
    "Achtergrond: eigen bestand": "Background: own file",
    "onverwachte fout: {error}": "unexpected error: {error}",
    "{laag} wegschrijven": "writing {laag}",
    "totalen en stijlen": "totals and styles",
    "bronnen vastleggen": "recording the sources",
    # Informatieproduct
    "Informatieproduct": "Information product",
    "Informatieproduct (klik op de kaart)": "Information product (click on the map)",
    "Klik op de kaart voor het informatieproduct water en bodem op die plek":
        "Click on the map for the water and soil information product at that location",
    "Kies het informatieproduct-gereedschap en klik op de kaart.": "Choose the information product tool and click on the map.",
    "Informatieproduct voor x = {x}, y = {y} wordt gemaakt…": "Making the information product for x = {x}, y = {y}…",
    "Water en bodem: {klasse}": "Water and soil: {klasse}",
    "Bestanden buiten de projectmap": "Files outside the project folder",
    "Dit project leest gegevens van buiten de projectmap:\n\n{listing}\n\nDoorgaan?": "This project reads data from outside the project folder:\n\n{listing}\n\nContinue?",
    "Openen geannuleerd": "Opening cancelled",
    "Water en bodem per bron": "Water and soil per source",
    "Rasterwaarden": "Raster values",
    "Geen voorwaarden op deze plek.": "No conditions at this location.",
    "Opslaan als PDF…": "Save as PDF…",
    "Opslaan als GeoPackage…": "Save as GeoPackage…",
    "Informatieproduct opslaan": "Saving the information product",
    "Opgeslagen: {path}": "Saved: {path}",
    "scenario": "scenario",
    "mits": "provided that",
    "nee, tenzij": "no, unless",
    "ja, mits": "yes, provided that",
    "Klasse": "Class",
    "Thema": "Theme",
    "Bron": "Source",
    "Zichtjaar": "Target year",
    "Voorwaarde": "Condition",
    "Raster": "Raster",
    "Eenheid": "Unit",
    "Toelichting": "Explanation",
    # Add layer: OGC API Features and PostGIS
    "OGC API Features": "OGC API Features",
    "PostGIS": "PostGIS",
    "Bladeren…": "Browse…",
    "Toevoegen": "Add",
    "Alleen de huidige kaartuitsnede laden": "Load only the current map extent",
    "Laden afbreken": "Stop loading",
    "Adres (URL)": "Address (URL)",
    "Collectie": "Collection",
    "Collecties ophalen": "Get collections",
    "{n} collecties gevonden.": "{n} collections found.",
    "Server": "Server",
    "Poort": "Port",
    "Database": "Database",
    "Gebruiker": "User",
    "Wachtwoord": "Password",
    "Tabel": "Table",
    "Tabellen ophalen": "Get tables",
    "{n} tabellen gevonden.": "{n} tables found.",
    "tabel zonder geometrie": "table without geometry",
    "Het wachtwoord wordt niet in het project opgeslagen\n(gebruik ~/.pgpass of PGPASSWORD).":
        "The password is not stored in the project\n(use ~/.pgpass or PGPASSWORD).",
    "geef de naam van de database op": "enter the name of the database",
    "Kolommen bekijken": "Reading the columns",
    "geen rol geraden": "no role guessed",
    "Laag laden": "Loading the layer",
    "{n} objecten geladen.": "{n} features loaded.",
    "Laden afgebroken.": "Loading cancelled.",
    "Haal eerst de collecties op en kies er een.": "Get the collections first and choose one.",
    "Haal eerst de tabellen op en kies er een.": "Get the tables first and choose one.",
    "Even geduld: er loopt nog een taak.": "Please wait: a task is still running.",
    "Kies een bestand dat bestaat.": "Choose a file that exists.",
    # Locations
    "Locaties": "Locations",
    "Locaties bewerken en scannen…": "Edit and scan locations…",
    "Nieuwe locatie tekenen": "Draw a new location",
    "Kan de locaties niet opslaan": "Cannot save the locations",
    "Woningbouwlocaties": "Housing sites",
    "Locatie tekenen": "Draw location",
    "Kies op kaart": "Pick on map",
    "Hoekpunten verplaatsen": "Move vertices",
    "Ongedaan maken": "Undo",
    "Opnieuw": "Redo",
    "Kenmerken": "Attributes",
    "onbekend": "unknown",
    "Geplande woningen": "Planned homes",
    "Betaalbaar aandeel": "Affordable share",
    "Start bouw (jaar)": "Construction start (year)",
    "Planstatus": "Plan status",
    "Kenmerken toepassen": "Apply attributes",
    "Locatiescan uitvoeren": "Run location scan",
    "Rang": "Rank",
    "Locatie": "Location",
    "Score": "Score",
    "Woningbehoefte (omvang)": "Housing need (size)",
    "Betaalbaarheid": "Affordability",
    "Water en bodem": "Water and soil",
    "Netcongestie": "Grid congestion",
    "Planstatus en start bouw": "Plan status and construction start",
    "Realisatiestimulans": "Realisation incentive",
    "Beter benutten in bestaande panden": "Better use of existing buildings",
    "score {score} (rang {rank})": "score {score} (rank {rank})",
    "Locaties gewijzigd en opgeslagen: voer de locatiescan opnieuw uit voor actuele scores.":
        "Locations changed and saved: run the location scan again for current scores.",
    "Klik de hoekpunten van de nieuwe locatie; dubbelklik of Enter om af te sluiten.":
        "Click the corners of the new location; double-click or Enter to finish.",
    "Klik op een locatie op de kaart.": "Click a location on the map.",
    "Locaties staan in het geheugen; sla het project op om ze te bewaren.":
        "The locations are in memory; save the project to keep them.",
    "Locaties opgeslagen in {name}": "Locations saved in {name}",
    "Locatiescan: {n} locaties gescoord (scenario {scenario})": "Location scan: {n} locations scored (scenario {scenario})",
    # ... what the editor refuses, and its undo steps (gisapp/locaties_editor.py)
    "een locatie heeft minstens drie hoekpunten nodig": "a location needs at least three corners",
    "de getekende locatie heeft geen oppervlakte": "the drawn location has no area",
    "deze verplaatsing maakt de locatie ongeldig (randen kruisen elkaar)": "this move makes the location invalid (edges cross)",
    "selecteer eerst een locatie": "select a location first",
    "onbekende kenmerken: {names}": "unknown attributes: {names}",
    "een locatie heeft een naam nodig": "a location needs a name",
    "betaalbaar aandeel moet tussen 0 en 1 liggen": "affordable share must lie between 0 and 1",
    "planstatus moet een van {names} zijn": "plan status must be one of {names}",
    "er zijn nog geen locaties om te scannen": "there are no locations to scan yet",
    "Locatie '{name}' toevoegen": "Add location '{name}'",
    "Hoekpunt van '{name}' verplaatsen": "Move corner of '{name}'",
    "Kenmerken van '{name}' wijzigen": "Change attributes of '{name}'",
    "Locatie '{name}' verwijderen": "Remove location '{name}'",
    "ja": "yes",
    "nee": "no",
    # Background map
    "Achtergrondkaart": "Background map",
    "Achtergrondkaart kiezen": "Choose a background map",
    "Geen": "None",
    "Bestand…": "File…",
    "Achtergrondkaart: tegels niet op te halen ({error})": "Background map: tiles cannot be fetched ({error})",
    "tegel {key} is geen afbeelding": "tile {key} is not an image",
    "onbekende achtergrondkaart '{name}'; kies uit: {names}": "unknown background map '{name}'; choose from: {names}",
    # Data check (Gegevens dock, results warning)
    "Gegevens": "Data",
    "volledig": "fully",
    "gedeeltelijk": "partly",
    "niet": "not",
    "Nog geen gegevens gecontroleerd.": "No data checked yet.",
    "{n} panden gecontroleerd": "{n} buildings checked",
    "Scans op deze gegevens": "Scans on these data",
    "Kan draaien": "Can run",
    "Ontbreekt of geschat": "Missing or estimated",
    "Onbekend na de scan": "Unknown after the scan",
    "Op een schatting": "Resting on an estimate",
    "Wat toe te voegen": "What to add",
    "Vervallen panden (geen kandidaat): {n}": "Dropped buildings (no candidate): {n}",
    "Dekking: aandeel met een bekende waarde": "Coverage: share with a known value",
    "Gegeven": "Attribute",
    "Bekend": "Known",
    "Lagen naast de panden": "Layers beside the buildings",
    "Aanwezig": "Present",
    "Zonder deze laag": "Without this layer",
    "Bronnen": "Sources",
    "Titel": "Title",
    "Opgehaald": "Downloaded",
    "Peildatum": "Reference date",
    "Geen bronnen bekend.": "No sources known.",
    "{n} panden onbekend voor {scan}": "{n} buildings unknown for {scan}",
    "{n} woningen rusten op schattingen": "{n} homes rest on estimates",
    "{n} pand onbekend voor {scan}": "{n} building unknown for {scan}",
    "{n} woning rust op een schatting": "{n} home rests on an estimate",
    "{scan} kon niet draaien (ontbreekt: {missing})": "{scan} could not run (missing: {missing})",
    "{scan} deels": "{scan} partly",
    "Deze scan liep op onvolledige gegevens: {details}.": "This scan ran on incomplete data: {details}.",
    "Wat de gegevens de scans kunnen vertellen, en wat niet.": "What the data can tell the scans, and what not.",
    "Opnieuw controleren": "Check again",
    "Controleer de gegevens van het project opnieuw (zonder scan)": "Check the project's data again (without a scan)",
    "Details in Gegevens": "Details in Data",
    # Results saved with the project (gisapp.results_store)
    "Verouderd: {changes}. Voer de scan opnieuw uit.": "Out of date: {changes}. Run the scan again.",
    "Resultaat van de laatste scan geladen ({scenario})": "Result of the last scan loaded ({scenario})",
    "verouderd": "out of date",
    "{path}: laag {layer} ontbreekt; voer de scan opnieuw uit": "{path}: layer {layer} is missing; run the scan again",
    "{path}: het opgeslagen resultaat is niet te lezen ({reason}); voer de scan opnieuw uit":
        "{path}: the saved result cannot be read ({reason}); run the scan again",
    # Start page, empty state, manual and message bar (gisapp.start_page, help_dialog, message_bar)
    "Voorbeeldproject openen": "Open the sample project",
    "Naar de kaart": "Go to the map",
    "Handleiding (F1)": "Manual (F1)",
    "Handleiding": "Manual",
    "Dit project is nog leeg.": "This project is still empty.",
    "Potentiescans van de bestaande woningvoorraad: optoppen, splitsen, transformatie en wonen op het boerenerf.":
        "Potential scans of the existing housing stock: adding storeys, splitting, conversion and homes on farmyards.",
    "Begin met het voorbeeldproject, haal de gegevens van een gemeente op of open een project.":
        "Start with the sample project, fetch the data of a municipality or open a project.",
    "Voeg toe:": "Add:",
    "Sleep bestanden op het venster, of haal alles op met een gemeente.":
        "Drop files on the window, or fetch everything for a municipality.",
    "BAG panden (rol gebouwen): nodig voor elke scan; met 3D BAG-hoogtes en daktypes voor optoppen.":
        "BAG buildings (role gebouwen): needed for every scan; with 3D BAG heights and roof types for adding storeys.",
    "Gebieden (rol gebieden): buurten of wijken van het CBS, voor de resultaten per gebied.":
        "Areas (role gebieden): CBS neighbourhoods or districts, for the results per area.",
    "Verblijfsobjecten (rol verblijfsobjecten): gebruiksdoel en oppervlakte, voor splitsen en transformatie.":
        "Dwelling units (role verblijfsobjecten): use and floor area, for splitting and conversion.",
    "Randvoorwaarden: water en bodem, netcongestie, NPLV-focusgebieden en monumenten.":
        "Constraints: water and soil, grid congestion, NPLV focus areas and monuments.",
    "Een achtergrondkaart: Kaart → Achtergrondkaart.": "A background map: Map → Background map.",
    "{path}: het voorbeeldproject is niet gegenereerd": "{path}: the sample project has not been generated",
    "Details": "Details",
    "Melding sluiten": "Close the message",
    "(en nog {n})": "(and {n} more)",
    "… en nog {n}": "… and {n} more",
    # Toolbar tooltips (gisapp.icons)
    "Een projectbestand (.toml) openen": "Open a project file (.toml)",
    "Het project met lagen, stijlen en scenario's opslaan": "Save the project with its layers, styles and scenarios",
    "Sleep de kaart om het kaartbeeld te verplaatsen": "Drag the map to move the view",
    "Trek een rechthoek om daarop in te zoomen": "Drag a rectangle to zoom to it",
    "Eén stap dichterbij, rond het midden van de kaart": "One step closer, around the centre of the map",
    "Eén stap verder weg, rond het midden van de kaart": "One step further away, around the centre of the map",
    "Het hele project in beeld": "Show the whole project",
    "In beeld brengen wat nu geselecteerd is": "Show what is selected now",
    "Terug naar het vorige kaartbeeld": "Back to the previous view",
    "Weer naar het volgende kaartbeeld": "Forward to the next view",
    "Klik op een object om alle gegevens en de uitkomst per scan te zien":
        "Click a feature to see all its data and the outcome per scan",
    "Klik of trek een rechthoek om objecten van de huidige laag te selecteren":
        "Click or drag a rectangle to select features of the current layer",
    "Klik punten op de kaart om afstanden te meten": "Click points on the map to measure distances",
    "Gegevens toevoegen uit een bestand, een OGC API of PostGIS": "Add data from a file, an OGC API or PostGIS",
    "De tabel met alle objecten en kolommen van de huidige laag": "The table of all features and columns of the current layer",
    "Bereken per pand hoeveel woningen erbij kunnen, per scan en per gebied":
        "Compute per building how many homes can be added, per scan and per area",
    "De handleiding: hoe u een scan, locatiescan, informatieproduct of export maakt":
        "The manual: how to make a scan, location scan, information product or export",
    # sensitivity and uncertainty (issue 24)
    "bereik {range}": "range {range}",
    "Bereik: {text}": "Range: {text}",
    "Gevoeligheid…": "Sensitivity…",
    "Gevoeligheid en onzekerheid": "Sensitivity and uncertainty",
    "Gevoeligheid berekenen": "Compute sensitivity",
    "Gevoeligheid wordt berekend…": "Computing sensitivity…",
    "Gevoeligheid: verschil in woningen (laag–hoog)": "Sensitivity: difference in homes (low–high)",
    "woningen (P10–P90)": "homes (P10–P90)",
    "Aanname": "Assumption",
    "laag": "low",
    "hoog": "high",
    "Trekkingen": "Draws",
    "Zaad": "Seed",
    "Gevoeligheid afgebroken": "Sensitivity cancelled",
    "woningen": "homes",
    "{n} trekkingen, zaad {seed}": "{n} draws, seed {seed}",
    # Load messages of the readers (templates of layers.texts.Translatable in layers/)
    "de coördinaten {shown} in {crs} liggen niet in Nederland; controleer het coördinatenstelsel":
        "the coordinates {shown} in {crs} do not lie in the Netherlands; check the coordinate reference system",
    "{n} objecten van {crs} naar {rd} omgezet": "{n} features transformed from {crs} to {rd}",
    "{n} objecten liggen buiten Nederland (buiten RD New); controleer die objecten":
        "{n} features lie outside the Netherlands (outside RD New); check those features",
    "zonder coördinatenstelsel": "without a coordinate reference system",
    "de coördinaten {shown} lijken breedte en lengte in verwisselde volgorde (x en y verwisseld); "
    "schrijf lengtegraad als x en breedtegraad als y":
        "the coordinates {shown} look like latitude and longitude in swapped order (x and y swapped); "
        "write longitude as x and latitude as y",
    "de coördinaten {shown} lijken graden (lengte/breedte) terwijl het bestand {crs} opgeeft; "
    "geef het juiste coördinatenstelsel op (optie crs = \"EPSG:4326\")":
        "the coordinates {shown} look like degrees (longitude/latitude) while the file states {crs}; "
        "give the right coordinate reference system (option crs = \"EPSG:4326\")",
    "de coördinaten {shown} lijken graden met x en y verwisseld terwijl het bestand {crs} opgeeft; "
    "corrigeer de volgorde en geef crs = \"EPSG:4326\" op":
        "the coordinates {shown} look like degrees with x and y swapped while the file states {crs}; "
        "correct the order and give crs = \"EPSG:4326\"",
    "raster van {crs} naar {rd} omgezet ({width}×{height} cellen)": "raster transformed from {crs} to {rd} ({width}×{height} cells)",
    "het raster ligt buiten Nederland; {hint}": "the raster lies outside the Netherlands; {hint}",
    "geen coördinatenstelsel opgegeven; de coördinaten liggen binnen {rd} en worden zo gelezen":
        "no coordinate reference system given; the coordinates lie within {rd} and are read as such",
    "alle {n} objecten liggen buiten Nederland; {hint}": "all {n} features lie outside the Netherlands; {hint}",
    "{crs} gelezen als {rd} (hoogtes niet gebruikt)": "{crs} read as {rd} (heights not used)",
    "raster zonder coördinatenstelsel; de coördinaten liggen binnen {rd} en worden zo gelezen":
        "raster without a coordinate reference system; the coordinates lie within {rd} and are read as such",
    "hoogte (Z) van {n} objecten weggelaten; de kaart is 2D": "height (Z) of {n} features left out; the map is 2D",
    "{n} ongeldige geometrieën hersteld (make_valid)": "{n} invalid geometries repaired (make_valid)",
    "{n} objecten zonder geometrie weggelaten": "{n} features without geometry left out",
    "{n} objecten met lege geometrie weggelaten": "{n} features with an empty geometry left out",
    "{n} objecten zonder vlak (lijn of punt in een vlakkenlaag) weggelaten":
        "{n} features without an area (a line or point in a polygon layer) left out",
    "vlakken": "polygons",
    "punten": "points",
    "lijnen": "lines",
    "een tabel": "a table",
    "een raster": "a raster",
    "bestand heeft {n} lagen; de eerste, '{layer}', is gekozen; overige lagen: {others}":
        "file has {n} layers; the first, '{layer}', was chosen; other layers: {others}",
    "kolommen met lijsten als tekst bewaard: {columns}": "columns holding lists kept as text: {columns}",
    "laag '{layer}' gekozen voor rol '{role}'; overige lagen: {others}": "layer '{layer}' chosen for role '{role}'; other layers: {others}",
    "het .cpg-bestand": "the .cpg file",
    "het bestand": "the file",
    "tekst is geen geldige {declared} zoals {where} aangeeft; gelezen als {fallback} (Windows-1252); "
    "controleer namen met accenten":
        "text is not valid {declared} as {where} states; read as {fallback} (Windows-1252); check names with accents",
    "opgegeven coördinatenstelsel {crs} vervangt {file_crs} uit het bestand":
        "the given coordinate reference system {crs} replaces {file_crs} of the file",
    "geen geometrie gevonden (WKT of x/y-kolommen); gelezen als tabel": "no geometry found (WKT or x/y columns); read as a table",
    "kolommen '{x}'/'{y}' gelezen als lengte- en breedtegraad ({crs})": "columns '{x}'/'{y}' read as longitude and latitude ({crs})",
    "{n} rastercellen met een oneindige waarde als 'geen waarde' gelezen": "{n} raster cells with an infinite value read as 'no value'",
    "het raster bevat geen waarden (alle cellen zijn 'geen waarde')": "the raster holds no values (every cell is 'no value')",
    "de laag bevat geen objecten": "the layer holds no features",
    "lijkt op rol '{role}'": "looks like role '{role}'",
    "{n} rijen met onleesbare WKT in kolom '{column}'": "{n} rows with unreadable WKT in column '{column}'",
    "rol '{role}' verwacht {expected}, maar de laag bevat {kind}": "role '{role}' expects {expected}, but the layer holds {kind}",
    "{n} rijen met een dubbele {column} ({examples}); elke rij telt apart mee, controleer of panden dubbel in de laag staan":
        "{n} rows with a duplicate {column} ({examples}); every row counts separately, check whether buildings are in the layer twice",
    "{n} waarden als 'onbekend' gelezen ({detail})": "{n} values read as 'unknown' ({detail})",
    "verplichte kolommen ontbreken: {columns}": "required columns are missing: {columns}",
    "{n} onbekende klassen ({examples}); verwacht ja/ja_mits/nee_tenzij of 0/A/B/C/D":
        "{n} unknown classes ({examples}); expected ja/ja_mits/nee_tenzij or 0/A/B/C/D",
    "betaalbaar_aandeel gelezen als percentage en omgerekend naar een fractie":
        "betaalbaar_aandeel read as a percentage and converted to a fraction",
    "{n} objecten zonder bestaand gebouw weggelaten ({detail})": "{n} features without an existing building left out ({detail})",
    "{n} panden met bouwjaar {year} (onbekend)": "{n} buildings with construction year {year} (unknown)",
    "{n} oudere of ingetrokken versies (voorkomens) overgeslagen; alleen de actuele versie gelezen":
        "{n} older or withdrawn versions (voorkomens) skipped; only the current version read",
    "{n} objecten waarvan de geldigheid is beëindigd weggelaten": "{n} features whose validity has ended left out",
    "dakhoogten per pand uit {layer} ({n} dakdelen)": "roof heights per building from {layer} ({n} roof parts)",
    "geen laag 'pand': voetafdrukken uit de dakdelen van {layer} samengevoegd":
        "no layer 'pand': footprints merged from the roof parts of {layer}",
    "capaciteitskaart gekoppeld aan {n} postcodevlakken": "capacity map joined to {n} postcode areas",
    "{n} postcodes uit de capaciteitskaart hebben geen postcodevlak en zijn weggelaten":
        "{n} postcodes of the capacity map have no postcode area and were left out",
    "{n} onbekende waarden in '{column}' als −1 (geen info) gelezen": "{n} unknown values in '{column}' read as −1 (no information)",
    "{n} CBS-waarden 'geheim of onbekend' (−99997/−99999…) als ontbrekend gelezen":
        "{n} CBS values 'secret or unknown' (−99997/−99999…) read as missing",
    "{n} gebieden met alleen water (water = JA) tellen niet mee in de aggregatie":
        "{n} areas with water only (water = JA) do not count in the aggregation",
    "{n} gebouwen zonder bruikbare grondvlakgeometrie overgeslagen": "{n} buildings without a usable footprint geometry skipped",
    "CityJSON zonder referentiesysteem: RD New (EPSG:28992) met NAP-hoogten aangenomen":
        "CityJSON without a reference system: RD New (EPSG:28992) with NAP heights assumed",
    "{n} objecten uit collectie '{collection}' opgehaald in {pages} pagina's":
        "{n} features fetched from collection '{collection}' in {pages} pages",
    "de server biedt geen RD New aan; coördinaten van lengte/breedte (CRS84) naar RD New omgezet":
        "the server does not offer RD New; coordinates transformed from longitude/latitude (CRS84) to RD New",
    # The data check (templates of layers.texts.Translatable in scans/gegevens.py)
    "Voeg de BAG-panden toe (PDOK BAG, pandgeometrie met bouwjaar en status): zonder gebouwenlaag draait geen scan":
        "Add the BAG buildings (PDOK BAG, building geometry with construction year and status): without a buildings "
        "layer no scan runs",
    "Voeg de BAG-verblijfsobjecten toe (PDOK BAG, gebruiksdoel en oppervlakte)":
        "Add the BAG dwelling units (PDOK BAG, use and floor area)",
    "Voeg de 3D BAG-attributen toe (3dbag.nl, bouwlagen, hoogte en daktype)":
        "Add the 3D BAG attributes (3dbag.nl, storeys, height and roof type)",
    "Vul het bouwjaar van de panden aan (BAG pand, oorspronkelijkbouwjaar)":
        "Complete the construction year of the buildings (BAG pand, oorspronkelijkbouwjaar)",
    "Voeg de pandstatus toe (BAG pand, status): nu tellen alle panden als in gebruik":
        "Add the building status (BAG pand, status): now every building counts as in use",
    "Voeg gebieden toe (CBS wijken en buurten via PDOK, met woningvoorraad) om per buurt of wijk te tellen":
        "Add areas (CBS districts and neighbourhoods through PDOK, with the housing stock) to count per neighbourhood or district",
    "Voeg water- en bodemgegevens toe (de zones 'water en bodem sturend' van de provincie, of de rasters bodemdaling en "
    "overstromingsdiepte van de Klimaateffectatlas) voor de randvoorwaarde water en bodem":
        "Add water and soil data (the province's zones 'water en bodem sturend', or the subsidence and flood depth rasters "
        "of the Klimaateffectatlas) for the water and soil constraint",
    "Voeg de capaciteitskaart toe (Netbeheer Nederland, capaciteitskaart afname) voor de netcongestie":
        "Add the capacity map (Netbeheer Nederland, capaciteitskaart afname) for grid congestion",
    "Voeg de NPLV-focusgebieden toe (Nationaal Programma Leefbaarheid en Veiligheid) voor de NPLV-indicator":
        "Add the NPLV focus areas (Nationaal Programma Leefbaarheid en Veiligheid) for the NPLV indicator",
    "{advice} voor {scans}": "{advice} for {scans}",
    "{n:,} pand ligt buiten de gebieden (rij 'buiten gebied'): controleer of de gebiedenlaag de hele gemeente dekt":
        "{n:,} building lies outside the areas (row 'outside area'): check that the area layer covers the whole municipality",
    "{n:,} panden liggen buiten de gebieden (rij 'buiten gebied'): controleer of de gebiedenlaag de hele gemeente dekt":
        "{n:,} buildings lie outside the areas (row 'outside area'): check that the area layer covers the whole municipality",
    "GBO uit oppervlakte min/max van het pand (geen verblijfsobjecten)":
        "floor area from the building's minimum/maximum area (no dwelling units)",
    "gebruiksdoel en aantal uit het pand (geen verblijfsobjecten)": "use and count from the building (no dwelling units)",
    "gebruiksdoel van de verblijfsobjecten": "use of the dwelling units",
    "oppervlakte (GBO) van de verblijfsobjecten": "floor area (GBO) of the dwelling units",
    "bouwlagen of hoogte (3D BAG)": "storeys or height (3D BAG)",
    "bouwlagen uit de hoogte": "storeys from the height",
    "daktype (3D BAG)": "roof type (3D BAG)",
    "plat dakoppervlak uit de pandoppervlakte": "flat roof area from the building's footprint",
    "kas of warenhuis onbekend (geen 3D BAG)": "greenhouse or warehouse unknown (no 3D BAG)",
    "BAG-panden": "BAG buildings",
    "{need} ({share} bekend)": "{need} ({share} known)",
    "{estimate} voor {share}": "{estimate} for {share}",
    "ontbreekt: {items}": "missing: {items}",
    "geschat: {items}": "estimated: {items}",
    "{part:,} van {whole:,} panden": "{part:,} of {whole:,} buildings",
    "{part:,} van {whole:,} woningen": "{part:,} of {whole:,} homes",
    "niet gemeld": "not reported",
    "niet bepaald": "not determined",
    "geen": "none",
    "{share} ({known:,} van {total:,})": "{share} ({known:,} of {total:,})",
    "Bouwjaar": "Construction year",
    "Pandstatus": "Building status",
    "Gebruiksdoel (op het pand)": "Use (on the building)",
    "Aantal verblijfsobjecten (op het pand)": "Number of dwelling units (on the building)",
    "Oppervlakte min/max (op het pand)": "Floor area min/max (on the building)",
    "Bouwlagen": "Storeys",
    "Hoogte (dak 70% − maaiveld)": "Height (roof 70% − ground level)",
    "Daktype": "Roof type",
    "Plat dakoppervlak": "Flat roof area",
    "Kas of warenhuis": "Greenhouse or warehouse",
    "Panden met ≥ 1 verblijfsobject": "Buildings with ≥ 1 dwelling unit",
    "Verblijfsobjecten gekoppeld aan een pand": "Dwelling units linked to a building",
    "Gebruiksdoel": "Use",
    "Oppervlakte (GBO)": "Floor area (GBO)",
    "Panden binnen een gebied": "Buildings inside an area",
    "gebiedenlaag": "area layer",
    "Gebieden met woningvoorraad": "Areas with a housing stock",
    "BAG-verblijfsobjecten": "BAG dwelling units",
    "gebruiksdoel en oppervlakte komen van het pand of ontbreken": "use and floor area come from the building or are missing",
    "Gebieden (wijken, buurten)": "Areas (districts, neighbourhoods)",
    "alle panden tellen in één rij 'buiten gebied'": "all buildings count in one row 'outside area'",
    "Water en bodem (zones)": "Water and soil (zones)",
    "kolom water_bodem blijft leeg": "column water_bodem stays empty",
    "Bodemdaling (raster)": "Subsidence (raster)",
    "geen bodemdaling per pand": "no subsidence per building",
    "Overstromingsdiepte (raster)": "Flood depth (raster)",
    "geen overstromingsdiepte per pand": "no flood depth per building",
    "Kwel (raster)": "Seepage (raster)",
    "geen kwel per pand": "no seepage per building",
    "Netcongestie (capaciteitskaart)": "Grid congestion (capacity map)",
    "kolom netcongestie blijft leeg": "column netcongestie stays empty",
    "NPLV-focusgebieden": "NPLV focus areas",
    "kolom nplv blijft leeg": "column nplv stays empty",
    "Erven": "Farmyards",
    "boerenerf leidt de erven af uit de panden": "the farmyard scan derives the farmyards from the buildings",
    "BAG panden": "BAG buildings",
    "BAG verblijfsobjecten": "BAG dwelling units",
    "gebieden": "areas",
    "capaciteitskaart netcongestie": "capacity map grid congestion",
    "water en bodem": "water and soil",
    "{date} (datum van het bestand)": "{date} (date of the file)",
    "{value} ({key} in het bestand)": "{value} ({key} in the file)",
    "{date} (laatste {column})": "{date} (latest {column})",
    "{year} (jaar uit de naam)": "{year} (year from the name)",
    # The sensitivity analysis (templates of layers.texts.Translatable in scans/gevoeligheid.py)
    "De optop-potentie": "The potential of adding storeys",
    "De splitspotentie": "The potential of splitting",
    "De transformatiepotentie": "The potential of conversion",
    "De boerenerfpotentie": "The potential of homes on farmyards",
    "De totale potentie": "The total potential",
    "De potentie van {scan}": "The potential of {scan}",
    "{what} ligt tussen {p10:,} en {p90:,} woningen (P10–P90)": "{what} lies between {p10:,} and {p90:,} homes (P10–P90)",
    "geen van de onzekere aannames verandert het aantal woningen": "none of the uncertain assumptions changes the number of homes",
    "de aanname die het meest bepaalt is {label} ({low}–{high} {unit}: {homes_low:,} tot {homes_high:,} woningen)":
        "the assumption that decides most is {label} ({low}–{high} {unit}: {homes_low:,} to {homes_high:,} homes)",
    "de aanname die het meest bepaalt is {label} ({low}–{high}: {homes_low:,} tot {homes_high:,} woningen)":
        "the assumption that decides most is {label} ({low}–{high}: {homes_low:,} to {homes_high:,} homes)",
    'de scenariokeuze "{label}" verandert het met {swing:,} woningen (nee: {no:,}, ja: {yes:,})':
        'the scenario choice "{label}" changes it by {swing:,} homes (no: {no:,}, yes: {yes:,})',
    "{n:,} pand": "{n:,} building",
    "{n:,} panden": "{n:,} buildings",
    "{n:,} pand in {m:,} gebied": "{n:,} building in {m:,} area",
    "{n:,} panden in {m:,} gebied": "{n:,} buildings in {m:,} area",
    "{n:,} panden in {m:,} gebieden": "{n:,} buildings in {m:,} areas",
    "{panden} is onbekend (een gegeven ontbreekt) en telt niet mee in de band":
        "{panden} is unknown (an input is missing) and is left out of the band",
    "{panden} zijn onbekend (een gegeven ontbreekt) en tellen niet mee in de band":
        "{panden} are unknown (an input is missing) and are left out of the band",
    "{panden} is voor minstens één scan onbekend (een gegeven ontbreekt); die scan telt het niet mee in de band":
        "{panden} is unknown for at least one scan (an input is missing); that scan leaves it out of the band",
    "{panden} zijn voor minstens één scan onbekend (een gegeven ontbreekt); die scans tellen ze niet mee in de band":
        "{panden} are unknown for at least one scan (an input is missing); those scans leave them out of the band",
    "panden voorbereiden": "preparing the buildings",
    "water en bodem, netcongestie en NPLV": "water and soil, grid congestion and NPLV",
    "voorbereid": "prepared",
    "een voor een: {parameter}": "one at a time: {parameter}",
    "een voor een klaar": "one at a time done",
    "trekking {i} van {n}": "draw {i} of {n}",
    "trekkingen: {i} van {n} delen": "draws: {i} of {n} parts",
    "band klaar": "band done",
    # The scan's messages (scans/pipeline.py)
    "{n:,} van {total:,} panden met onbekend gebruiksdoel ({missing}): splitsen, transformatie en boerenerf tellen ze als "
    "onbekend, niet als 'geen woonfunctie'":
        "{n:,} of {total:,} buildings with an unknown use ({missing}): splitting, conversion and homes on farmyards count "
        "them as unknown, not as 'no residential use'",
    "geen verblijfsobjecten en geen gebruiksdoel": "no dwelling units and no use",
    "verblijfsobjecten zonder gebruiksdoel of buiten de laag": "dwelling units without a use or outside the layer",
    "de gebouwenlaag heeft geen 3D BAG-gegevens (hoogte, bouwlagen, daktype): optoppen vindt geen kandidaten":
        "the buildings layer has no 3D BAG data (height, storeys, roof type): adding storeys finds no candidates",
    "rijksmonumenten uitsluiten staat aan ({scans}), maar het project heeft geen laag 'monumenten': aangenomen dat geen "
    "pand een rijksmonument is (in de kolom …_bron als schatting)":
        "excluding national monuments is on ({scans}), but the project has no layer 'monumenten': no building is assumed "
        "to be a national monument (as an estimate in the column …_bron)",
    "{n} verblijfsobjecten uit de portefeuille hebben geen pand in de gebouwenlaag":
        "{n} dwelling units of the portfolio have no building in the buildings layer",
    "scan {scan}": "scan: {scan}",
    "portefeuille": "portfolio",
    "optellen per gebied": "summing per area",
    # Fetching a gemeente (templates of layers.texts.Translatable in layers/sources/gemeente/fetch.py; the
    # stages of its progress lines, which the wizard shows per source)
    "CBS: gemeente zoeken": "CBS: finding the municipality",
    "CBS: buurten": "CBS: neighbourhoods",
    "CBS: wijken": "CBS: districts",
    "BAG: panden": "BAG: buildings",
    "BAG: verblijfsobjecten": "BAG: dwelling units",
    "3D BAG": "3D BAG",
    "Rijksmonumenten": "National monuments",
    "gemeente zoeken": "finding the municipality",
    "buurten": "neighbourhoods",
    "wijken": "districts",
    "panden": "buildings",
    "verblijfsobjecten": "dwelling units",
    "{label}: {n} objecten": "{label}: {n} features",
    "GeoPackage en project schrijven…": "Writing the GeoPackage and the project…",
    "klaar: {path}": "done: {path}",
    "CBS {jaar}: de woningvoorraad per buurt is (nog) niet gepubliceerd; kies een eerder jaar met --jaar voor "
    "percentages van de woningvoorraad":
        "CBS {jaar}: the housing stock per neighbourhood is not published (yet); choose an earlier year with --jaar "
        "for shares of the housing stock",
    "BAG: {n} verblijfsobjecten aan een pand gekoppeld op ligging (hun pand is niet opgehaald); zie kolom pand_koppeling":
        "BAG: {n} dwelling units linked to a building by location (their building was not fetched); see column "
        "pand_koppeling",
    "de BAG gaf geen panden in deze gemeente; controleer [bag] url in het bronnenbestand":
        "the BAG gave no buildings in this municipality; check [bag] url in the sources file",
    "3D BAG: {n} van {total} panden zonder 3D BAG-gegevens (hoogte, bouwlagen onbekend)":
        "3D BAG: {n} of {total} buildings without 3D BAG data (height, storeys unknown)",
    "laag '{layer}' is leeg en niet in het project opgenomen": "layer '{layer}' is empty and was not put in the project",
    "laag '{layer}' staat in {file}, maar deze versie kent de rol '{role}' nog niet":
        "layer '{layer}' is in {file}, but this version does not know the role '{role}' yet",
    # Where to find the files no service gives (``waar`` of the shipped layers/sources/gemeente/bronnen.toml)
    "Netbeheer Nederland: open data van de capaciteitskaart (congestie_pc6.csv en voedingsgebieden.csv) op "
    "https://data.partnersinenergie.nl/capaciteitskaart, met de CBS postcode-6-vlakken "
    "(https://www.cbs.nl/nl-nl/dossier/nederland-regionaal/geografische-data/gegevens-per-postcode)":
        "Netbeheer Nederland: open data of the capacity map (congestie_pc6.csv and voedingsgebieden.csv) at "
        "https://data.partnersinenergie.nl/capaciteitskaart, with the CBS postcode-6 areas "
        "(https://www.cbs.nl/nl-nl/dossier/nederland-regionaal/geografische-data/gegevens-per-postcode)",
    "RCE: dataset 'Rijksbeschermde stads- en dorpsgezichten' via https://www.pdok.nl (zoek 'gezichten') of het "
    "RCE-monumentenregister https://monumentenregister.cultureelerfgoed.nl":
        "RCE: data set 'Rijksbeschermde stads- en dorpsgezichten' through https://www.pdok.nl (search 'gezichten') or the "
        "RCE register of monuments https://monumentenregister.cultureelerfgoed.nl",
    "Klimaateffectatlas (https://www.klimaateffectatlas.nl, kaart 'Bodemdaling', downloads) of de bodemdalingskaart "
    "van het NCG (https://bodemdalingskaart.nl)":
        "Klimaateffectatlas (https://www.klimaateffectatlas.nl, map 'Bodemdaling', downloads) or the subsidence map of "
        "the NCG (https://bodemdalingskaart.nl)",
    "LIWO (https://www.overstroomik.nl en https://basisinformatie-overstromingen.nl, kaart 'Maximale waterdiepte') of "
    "de Klimaateffectatlas (https://www.klimaateffectatlas.nl)":
        "LIWO (https://www.overstroomik.nl and https://basisinformatie-overstromingen.nl, map 'Maximale waterdiepte') or "
        "the Klimaateffectatlas (https://www.klimaateffectatlas.nl)",
    "het eigen waterschap of de provincie (kaart 'Water en bodem sturend', klassen 0/A-D)":
        "the water board or the province (map 'Water en bodem sturend', classes 0/A-D)",
    "de provincie of het Nationaal Programma Landelijk Gebied (vraag het gebiedsprogramma van de provincie)":
        "the province or the Nationaal Programma Landelijk Gebied (ask the province for its area programme)",
    # Errors of layers/ and scans/ (DataError/ValueError messages as layers.texts.Translatable): loading a
    # file, a project file, a role's columns and geometry, coordinates, the scan's inputs and parameters
    "laag '{role}' {path}: {message}": "layer '{role}' {path}: {message}",
    "laag '{role}': {message}": "layer '{role}': {message}",
    "de schijf is vol": "the disk is full",
    "maak ruimte vrij of kies een andere map": "free up space or choose another folder",
    "het schijfquotum is op": "the disk quota is used up",
    "ruim bestanden op of kies een andere map": "clean up files or choose another folder",
    "het bestand wordt groter dan het systeem toestaat (bestandsgroottelimiet, ulimit -f)":
        "the file grows larger than the system allows (file size limit, ulimit -f)",
    "hef de limiet op of kies een bestandssysteem zonder die limiet": "lift the limit or choose a file system without it",
    "de naam is te lang voor het bestandssysteem": "the name is too long for the file system",
    "kies een kortere naam": "choose a shorter name",
    "geen toegang (rechten)": "access denied (permissions)",
    "kies een map waarin u mag schrijven of pas de rechten aan": "choose a folder you may write to or change the permissions",
    "niet toegestaan (rechten)": "not permitted (permissions)",
    "het bestandssysteem is alleen-lezen": "the file system is read-only",
    "kies een andere map": "choose another folder",
    "bestand of map bestaat niet": "file or folder does not exist",
    "controleer het pad": "check the path",
    "dit is een map, geen bestand": "this is a folder, not a file",
    "geef een bestandsnaam op": "give a file name",
    "lees- of schrijffout van de schijf": "read or write error of the disk",
    "controleer de schijf of kies een andere map": "check the disk or choose another folder",
    "de server weigert de verbinding": "the server refuses the connection",
    "controleer het adres en of de server draait": "check the address and whether the server is running",
    "de verbinding werd verbroken": "the connection was broken",
    "probeer het later opnieuw": "try again later",
    "de verbinding duurde te lang": "the connection took too long",
    "controleer de netwerkverbinding": "check the network connection",
    "de server is onbereikbaar": "the server cannot be reached",
    "het netwerk is onbereikbaar": "the network cannot be reached",
    "te weinig werkgeheugen; sluit andere programma's, of reken in tegels (gisapp scan --tegels ja)":
        "too little memory; close other programs, or compute in tiles (gisapp scan --tegels ja)",
    # ... reading a file (layers/readers.py)
    "onbekend bestandsformaat; lees GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV of GeoTIFF":
        "unknown file format; reads GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV or GeoTIFF",
    "geen geldig {label}-bestand (beschadigd, leeg of een ander formaat)":
        "not a valid {label} file (damaged, empty or another format)",
    "het bestand is beschadigd of onvolledig: {reason}": "the file is damaged or incomplete: {reason}",
    "het bestand heeft niet de inhoud die de extensie belooft": "the file does not hold what its extension promises",
    "bestand bestaat niet": "file does not exist",
    "bestand is leeg": "file is empty",
    "bevat geen lagen": "holds no layers",
    "bevat geen gegevens": "holds no data",
    "laag '{layer}' bestaat niet; beschikbare lagen: {layers}": "layer '{layer}' does not exist; available layers: {layers}",
    "kan {label}-bestand niet openen ({reason})": "cannot open {label} file ({reason})",
    "kan {label}-bestand niet lezen ({reason})": "cannot read {label} file ({reason})",
    "kan CSV-bestand niet lezen ({reason})": "cannot read CSV file ({reason})",
    "kan GeoTIFF-bestand niet lezen ({reason})": "cannot read GeoTIFF file ({reason})",
    "CSV-bestand heeft geen kolommen": "CSV file has no columns",
    "WKT-kolom '{column}' bestaat niet": "WKT column '{column}' does not exist",
    "CityJSON-bestand; hiervoor is in deze installatie geen lezer beschikbaar":
        "CityJSON file; this installation has no reader for it",
    "tekst in het bestand is geen geldige {encoding}; geef de juiste codering op (optie encoding, bijvoorbeeld \"cp1252\")":
        "text in the file is not valid {encoding}; give the right encoding (option encoding, for example \"cp1252\")",
    "tekst in het bestand is geen geldige {declared} en ook geen {fallback}; geef de juiste codering op (optie encoding)":
        "text in the file is neither valid {declared} nor {fallback}; give the right encoding (option encoding)",
    "optie bbox moet vier getallen zijn [xmin, ymin, xmax, ymax], niet {value}":
        "option bbox must be four numbers [xmin, ymin, xmax, ymax], not {value}",
    "optie bbox {value} is geen geldige rechthoek (xmin ≤ xmax, ymin ≤ ymax)":
        "option bbox {value} is not a valid rectangle (xmin ≤ xmax, ymin ≤ ymax)",
    "onbekend coördinatenstelsel '{crs}' in de opties": "unknown coordinate reference system '{crs}' in the options",
    "band moet een geheel getal zijn, niet {value}": "band must be a whole number, not {value}",
    "band {band} bestaat niet; het raster heeft {count} band(en)": "band {band} does not exist; the raster has {count} band(s)",
    "onbekende rol '{role}'; kies uit: {roles} of {reference}": "unknown role '{role}'; choose from: {roles} or {reference}",
    "rol '{role}' verwacht {expected}, maar dit is een raster": "role '{role}' expects {expected}, but this is a raster",
    "rol '{role}' verwacht een raster (GeoTIFF), geen vectordata": "role '{role}' expects a raster (GeoTIFF), not vector data",
    "rol '{role}' verwacht {expected}, maar de laag heeft geen geometrie (een tabel, of alle objecten zonder geometrie)":
        "role '{role}' expects {expected}, but the layer has no geometry (a table, or all features without geometry)",
    "rol '{role}' verwacht {expected}, maar de laag bevat {kind}; kies de juiste laag of een andere rol":
        "role '{role}' expects {expected}, but the layer holds {kind}; choose the right layer or another role",
    # ... a role's columns (layers/roles.py)
    "onbekende rol '{role}'; kies uit: {roles}": "unknown role '{role}'; choose from: {roles}",
    "kolom '{column}' (voor {canonical}) bestaat niet; beschikbare kolommen: {available}":
        "column '{column}' (for {canonical}) does not exist; available columns: {available}",
    # ... coordinates (layers/crs.py) and geometries (layers/geometry.py)
    "geen coördinatenstelsel opgegeven en de coördinaten {shown} liggen niet binnen RD New; geef het coördinatenstelsel op "
    "(bijvoorbeeld optie crs = \"EPSG:4326\")":
        "no coordinate reference system given and the coordinates {shown} do not lie within RD New; give the coordinate "
        "reference system (for example option crs = \"EPSG:4326\")",
    "raster zonder coördinatenstelsel en de coördinaten liggen niet binnen RD New":
        "raster without a coordinate reference system and its coordinates do not lie within RD New",
    "coördinaten in {crs} kunnen niet naar {rd} worden omgezet ({reason})": "coordinates in {crs} cannot be transformed to {rd} ({reason})",
    "alle objecten liggen buiten Nederland; {cause}": "all features lie outside the Netherlands; {cause}",
    "de coördinaten kunnen niet naar {rd} worden omgezet; {hint}": "the coordinates cannot be transformed to {rd}; {hint}",
    "raster in {crs} kan niet naar {rd} worden omgezet; {hint}": "raster in {crs} cannot be transformed to {rd}; {hint}",
    "{n} object ligt buiten Nederland (buiten RD New); controleer dat object":
        "{n} feature lies outside the Netherlands (outside RD New); check that feature",
    "hoogte (Z) van {n} object weggelaten; de kaart is 2D": "height (Z) of {n} feature left out; the map is 2D",
    "{n} ongeldige geometrie hersteld (make_valid)": "{n} invalid geometry repaired (make_valid)",
    "{n} object zonder geometrie weggelaten": "{n} feature without geometry left out",
    "{n} object met lege geometrie weggelaten": "{n} feature with an empty geometry left out",
    "{n} object zonder vlak (lijn of punt in een vlakkenlaag) weggelaten":
        "{n} feature without an area (a line or point in a polygon layer) left out",
    # ... the project file (layers/project.py)
    "projectbestand bestaat niet": "project file does not exist",
    "dit is een map, geen projectbestand": "this is a folder, not a project file",
    "projectbestand is te groot om een projectbestand te zijn": "project file is too large to be a project file",
    "projectbestand is geen UTF-8-tekst": "project file is not UTF-8 text",
    "projectbestand is geen geldige TOML ({reason})": "project file is not valid TOML ({reason})",
    "projectbestand is te diep genest om een projectbestand te zijn": "project file is nested too deeply to be a project file",
    "onbekende onderdelen in het projectbestand: {names}": "unknown parts in the project file: {names}",
    "format_version moet een geheel getal van {oldest} tot en met {newest} zijn, niet {version}":
        "format_version must be a whole number from {oldest} up to and including {newest}, not {version}",
    "projectbestand heeft format_version {version}; deze app kent tot versie {newest}: werk de app bij":
        "project file has format_version {version}; this app knows up to version {newest}: update the app",
    "[project] name moet een korte tekst zijn": "[project] name must be a short text",
    "laagnaam '{key}' moet een korte, niet-lege tekst zijn": "layer name '{key}' must be a short, non-empty text",
    "{where}: onbekende sleutels {names}": "{where}: unknown keys {names}",
    "{where}: onbekende rol {role}; kies uit: {roles} of {reference}": "{where}: unknown role {role}; choose from: {roles} or {reference}",
    "{where}: layer moet een tekst zijn": "{where}: layer must be a text",
    "{where}: columns moet kolomnamen (tekst) bevatten": "{where}: columns must hold column names (text)",
    "{where}: visible moet true of false zijn": "{where}: visible must be true or false",
    "{where}: opacity moet een getal tussen 0 en 1 zijn": "{where}: opacity must be a number between 0 and 1",
    "{where}: bron mag alleen {keys} als tekst bevatten": "{where}: bron may only hold {keys} as text",
    "{where}: path ontbreekt of is geen tekst": "{where}: path is missing or not a text",
    "{where}: path is geen geldig pad": "{where}: path is not a valid path",
    "{where}: relatief pad '{value}' wijst buiten de projectmap; schrijf een absoluut pad":
        "{where}: relative path '{value}' points outside the project folder; write an absolute path",
    "bestand '{path}' voor rol '{role}' bestaat niet ({resolved})": "file '{path}' for role '{role}' does not exist ({resolved})",
    "{where} moet een tabel zijn, niet {kind}": "{where} must be a table, not {kind}",
    "{where}: te diep genest": "{where}: nested too deeply",
    "{where}: lijst is te lang": "{where}: list is too long",
    "{where}: getal {value}… is te groot": "{where}: number {value}… is too large",
    "{where}: getal moet eindig zijn, niet {value}": "{where}: number must be finite, not {value}",
    "{where}: tekst is te lang": "{where}: text is too long",
    "{where}: waarde van type {kind} is niet toegestaan": "{where}: a value of type {kind} is not allowed",
    "geen bestandsnaam: geef een pad op om het project op te slaan": "no file name: give a path to save the project to",
    "dit bestand is een invoerbestand van het project en wordt niet overschreven; kies een andere naam voor de uitvoer":
        "this file is an input file of the project and is not overwritten; choose another name for the output",
    # ... the scan's inputs (scans/inputs.py) and parameters (scans/params.py)
    "ScanInputs: 'gebouwen' moet een GeoDataFrame zijn": "ScanInputs: 'gebouwen' must be a GeoDataFrame",
    "laag '{role}' heeft geen geometrie (een tabel); de scan heeft vlakken nodig":
        "layer '{role}' has no geometry (a table); the scan needs polygons",
    "laag '{role}' heeft geen geometrie (een tabel); de scan heeft vlakken nodig; koppel de postcodes aan postcodevlakken "
    "(optie postcodevlakken)":
        "layer '{role}' has no geometry (a table); the scan needs polygons; join the postcodes to postcode areas "
        "(option postcodevlakken)",
    "onbekende rasterrol '{role}' (bekend: {roles})": "unknown raster role '{role}' (known: {roles})",
    "raster '{role}' staat in {crs}, verwacht {rd}": "raster '{role}' is in {crs}, expected {rd}",
    "laag 'portefeuille' heeft de kolommen 'complex' en 'pand_id' of 'vbo_id' nodig":
        "layer 'portefeuille' needs the columns 'complex' and 'pand_id' or 'vbo_id'",
    "laag '{role}' kan niet worden losgelaten": "layer '{role}' cannot be released",
    "het project heeft geen laag met rol 'gebouwen'": "the project has no layer with role 'gebouwen'",
    "gebiedenlaag '{name}' bestaat niet in het project (gebiedenlagen: {names})":
        "area layer '{name}' does not exist in the project (area layers: {names})",
    "laag '{name}' heeft rol '{role}', niet 'gebieden'": "layer '{name}' has role '{role}', not 'gebieden'",
    "het project heeft geen laag met rol 'portefeuille' (nodig voor --portefeuille)":
        "the project has no layer with role 'portefeuille' (needed for --portefeuille)",
    "laag '{role}' staat in {crs}, verwacht {rd}; zet de laag eerst om (layers.crs.to_project_crs)":
        "layer '{role}' is in {crs}, expected {rd}; transform the layer first (layers.crs.to_project_crs)",
    "laag 'gebouwen' heeft geen kolom 'pand_id'": "layer 'gebouwen' has no column 'pand_id'",
    "gebied_toewijzing '{method}' is onbekend (kies centroid of grootste_overlap)":
        "gebied_toewijzing '{method}' is unknown (choose centroid or grootste_overlap)",
    "laag 'gebieden' heeft geen kolom 'gebied_code'": "layer 'gebieden' has no column 'gebied_code'",
    "distribution: kies uit {choices}": "distribution: choose from {choices}",
    "bereik {low}–{high} bevat de standaardwaarde {default} niet": "range {low}–{high} does not hold the default value {default}",
    "niet ondersteund parametertype: {kind}": "unsupported parameter type: {kind}",
    "{name} is geen parameterklasse": "{name} is not a parameter class",
    "parameter {name}: verwacht ja/nee (bool), kreeg {value}": "parameter {name}: expected yes/no (bool), got {value}",
    "parameter {name}: verwacht een geheel getal, kreeg {value}": "parameter {name}: expected a whole number, got {value}",
    "parameter {name}: verwacht een getal, kreeg {value}": "parameter {name}: expected a number, got {value}",
    "parameter {name}: verwacht een eindig getal, kreeg {value}": "parameter {name}: expected a finite number, got {value}",
    "parameter {name}: verwacht tekst, kreeg {value}": "parameter {name}: expected text, got {value}",
    "parameter {name}: verwacht een lijst met tekst, kreeg {value}": "parameter {name}: expected a list of texts, got {value}",
    "parameter {name}: {value} is niet toegestaan (kies uit {allowed})": "parameter {name}: {value} is not allowed (choose from {allowed})",
    "parameter {name}: {value} is kleiner dan het minimum {minimum}": "parameter {name}: {value} is less than the minimum {minimum}",
    "parameter {name}: {value} is groter dan het maximum {maximum}": "parameter {name}: {value} is more than the maximum {maximum}",
    "parameters voor {section}: verwacht een tabel, kreeg {value}": "parameters for {section}: expected a table, got {value}",
    "onbekende parameter {name} (bekend: {known})": "unknown parameter {name} (known: {known})",
    "parameter {name}: {value} is geen geldige waarde van type {kind}": "parameter {name}: {value} is not a valid value of type {kind}",
    # ... the data services (layers/sources/http.py, ogcapi.py, postgis.py, wmts.py, basemap.py, gemeente/*)
    "{name} moet 0 of meer zijn, niet {value}": "{name} must be 0 or more, not {value}",
    "max_response_bytes en max_pages moeten minstens 1 zijn, retries 0 of meer":
        "max_response_bytes and max_pages must be at least 1, retries 0 or more",
    "offline werken kan alleen met een cache": "working offline needs a cache",
    "de server gaf geen geldige JSON terug": "the server did not return valid JSON",
    "de server gaf geen JSON-object terug": "the server did not return a JSON object",
    "kan de cache niet schrijven ({reason}); kies een andere map met --cache":
        "cannot write the cache ({reason}); choose another folder with --cache",
    "staat niet in de cache en er wordt offline gewerkt; haal eerst op zonder --offline":
        "not in the cache and working offline; fetch first without --offline",
    "{error}; nieuwe poging {attempt} van {retries} over {wait:g} s": "{error}; retry {attempt} of {retries} in {wait:g} s",
    "de server antwoordde met HTTP {code} ({reason})": "the server answered with HTTP {code} ({reason})",
    "geen antwoord binnen de tijdslimiet (connect_timeout {connect:g} s, read_timeout {read:g} s)":
        "no answer within the time limit (connect_timeout {connect:g} s, read_timeout {read:g} s)",
    "de server is niet bereikbaar ({reason}); controleer de netwerkverbinding, of werk met --offline als alles al in de "
    "cache staat": "the server cannot be reached ({reason}); check the network connection, or work with --offline when "
                   "everything is in the cache already",
    "het antwoord is groter dan {limit} bytes (limiet max_response_bytes)":
        "the answer is larger than {limit} bytes (limit max_response_bytes)",
    "de server stopte halverwege met zenden (read_timeout {read:g} s)": "the server stopped sending halfway (read_timeout {read:g} s)",
    "de verbinding viel weg tijdens het downloaden ({reason})": "the connection dropped while downloading ({reason})",
    "downloaden afgebroken door gebruiker": "download cancelled by the user",
    "de 'next'-links van de server lopen in een kring (deze pagina kwam al eerder)":
        "the server's 'next' links run in a circle (this page came before)",
    "meer dan {pages} pagina's (limiet max_pages)": "more than {pages} pages (limit max_pages)",
    "het gecomprimeerde antwoord is beschadigd ({reason})": "the compressed answer is damaged ({reason})",
    "downloaden duurde langer dan {seconds:g} s voor deze laag (limiet layer_deadline)":
        "downloading took longer than {seconds:g} s for this layer (limit layer_deadline)",
    "'{url}' is geen http(s)-adres": "'{url}' is not an http(s) address",
    "'{url}' is geen http(s)-adres van een OGC API": "'{url}' is not an http(s) address of an OGC API",
    "collectie '{collection}' bestaat niet": "collection '{collection}' does not exist",
    "limit moet minstens 1 zijn, niet {limit}": "limit must be at least 1, not {limit}",
    "geef een collectie op (bijvoorbeeld 'buurten')": "give a collection (for example 'buurten')",
    "bbox moet (xmin, ymin, xmax, ymax) zijn, niet {bbox}": "bbox must be (xmin, ymin, xmax, ymax), not {bbox}",
    "{n} objecten uit '{collection}' opgehaald": "{n} features fetched from '{collection}'",
    "installeer psycopg (pip install 'psycopg[binary]') om PostGIS te lezen":
        "install psycopg (pip install 'psycopg[binary]') to read PostGIS",
    "{name} moet groter dan 0 zijn, niet {value}": "{name} must be more than 0, not {value}",
    "de database antwoordde niet binnen {seconds:g} s (limiet connect_timeout)":
        "the database did not answer within {seconds:g} s (limit connect_timeout)",
    "geen verbinding met de database ({reason})": "no connection to the database ({reason})",
    "databasefout ({reason})": "database error ({reason})",
    "limit moet 0 of groter zijn, niet {limit}": "limit must be 0 or more, not {limit}",
    "tabel {schema}.{table} bestaat niet": "table {schema}.{table} does not exist",
    "geometriekolom '{column}' bestaat niet in {schema}.{table}": "geometry column '{column}' does not exist in {schema}.{table}",
    "kolom(men) {columns} bestaan niet in {schema}.{table}": "column(s) {columns} do not exist in {schema}.{table}",
    "{schema}.{table} heeft geen geometrie; bbox kan niet worden toegepast":
        "{schema}.{table} has no geometry; bbox cannot be applied",
    "de database gaf binnen {seconds:g} s geen antwoord op de vraag (limiet statement_timeout); lees minder (bbox, kolommen) "
    "of verhoog de limiet": "the database gave no answer to the query within {seconds:g} s (limit statement_timeout); read "
                            "less (bbox, columns) or raise the limit",
    "kies een tabel (layer = \"schema.tabel\"); beschikbaar: {tables}": "choose a table (layer = \"schema.tabel\"); available: {tables}",
    "{count} tegels voor dit beeld, meer dan {most}": "{count} tiles for this view, more than {most}",
    "kan de lijst met achtergrondkaarten niet lezen ({reason})": "cannot read the list of background maps ({reason})",
    "[services.{key}] heeft een url met {{z}}, {{x}} en {{y}} nodig": "[services.{key}] needs a url with {{z}}, {{x}} and {{y}}",
    "[services.{key}] url moet met http(s):// beginnen en {{z}}, {{x}} en {{y}} bevatten":
        "[services.{key}] url must start with http(s):// and hold {{z}}, {{x}} and {{y}}",
    "[services.{key}] max_zoom moet een geheel getal van 0 tot {levels} zijn":
        "[services.{key}] max_zoom must be a whole number from 0 to {levels}",
    "HTTP {code} voor {url}": "HTTP {code} for {url}",
    "{reason} voor {url}": "{reason} for {url}",
    "lege tegel van {url}": "empty tile from {url}",
    "geen achtergrondkaart: het bestand heeft geen rasterbeeld ({reason})":
        "no background map: the file has no raster image ({reason})",
    "beeldgrootte {width}×{height} moet positief zijn": "image size {width}×{height} must be positive",
    "kan de achtergrondkaart niet lezen ({reason})": "cannot read the background map ({reason})",
    "[{name}] heeft geen url; geef het adres van de dienst op": "[{name}] has no url; give the address of the service",
    "[http] kent {unknown} niet; wel: {known}": "[http] does not know {unknown}; it knows: {known}",
    "[http]: {reason}": "[http]: {reason}",
    "deze dienst heeft een jaar nodig (--jaar)": "this service needs a year (--jaar)",
    "bronnenbestand bestaat niet": "sources file does not exist",
    "kan het bronnenbestand niet lezen ({reason})": "cannot read the sources file ({reason})",
    "is geen geldig TOML-bestand ({reason})": "is not a valid TOML file ({reason})",
    "geef een gemeente op (code zoals GM0221 of een naam)": "give a municipality (a code such as GM0221 or a name)",
    "CBS Wijken en Buurten {jaar} is er niet (HTTP 404); kies een ander jaar met --jaar":
        "CBS Wijken en Buurten {jaar} does not exist (HTTP 404); choose another year with --jaar",
    "gemeente '{query}' bestaat niet in CBS Wijken en Buurten {jaar}; bedoelde u {name}?":
        "municipality '{query}' does not exist in CBS Wijken en Buurten {jaar}; did you mean {name}?",
    "gemeente '{query}' bestaat niet in CBS Wijken en Buurten {jaar}; bedoelde u {names} of {last}?":
        "municipality '{query}' does not exist in CBS Wijken en Buurten {jaar}; did you mean {names} or {last}?",
    "gemeente '{query}' bestaat niet in CBS Wijken en Buurten {jaar}; geef de CBS-code (zoals GM0221) of de naam zoals CBS "
    "die schrijft": "municipality '{query}' does not exist in CBS Wijken en Buurten {jaar}; give the CBS code (such as "
                    "GM0221) or the name as CBS writes it",
    "kind moet 'panden' of 'verblijfsobjecten' zijn, niet {kind}": "kind must be 'panden' or 'verblijfsobjecten', not {kind}",
    "antwoord zonder 'features'; is dit de 3D BAG API?": "answer without 'features'; is this the 3D BAG API?",
    "3D BAG-pagina onleesbaar ({reason})": "3D BAG page unreadable ({reason})",
    "collectie '{collection}' niet gevonden": "collection '{collection}' not found",
    "collectie '{collection}' biedt geen RD New (EPSG:28992) aan": "collection '{collection}' does not offer RD New (EPSG:28992)",
    "antwoord zonder 'features'; is dit een OGC API Features-dienst?":
        "answer without 'features'; is this an OGC API Features service?",
    "vernieuwen en offline gaan niet samen: vernieuwen haalt op bij de diensten":
        "refreshing and offline do not go together: refreshing fetches from the services",
    "niets opgehaald voor gemeente {naam} ({code})": "nothing fetched for municipality {naam} ({code})",
    "er staat al een projectbestand dat niet te lezen is ({reason}); verwijder het of kies een andere map":
        "there is already a project file that cannot be read ({reason}); remove it or choose another folder",
    # ... the file formats of layers/sources (BAG, 3D BAG, CBS, capaciteitskaart, CityJSON)
    "is geen LVBAG-extract (verwacht .xml, .zip of een map)": "is not an LVBAG extract (expected .xml, .zip or a folder)",
    "is geen leesbaar zip-bestand ({reason})": "is not a readable zip file ({reason})",
    "bevat geen BAG-panden of -verblijfsobjecten (LVBAG XML)": "holds no BAG buildings or dwelling units (LVBAG XML)",
    "laag '{layer}' niet gevonden; beschikbaar: {available}": "layer '{layer}' not found; available: {available}",
    "bevat geen BAG-laag (kolommen identificatie, status, bouwjaar)":
        "holds no BAG layer (columns identificatie, status, bouwjaar)",
    "bevat geen 3D BAG-dakdelen ({layers})": "holds no 3D BAG roof parts ({layers})",
    "kolom '{column}' ontbreekt in {label}; nodig om 3D BAG aan panden te koppelen":
        "column '{column}' is missing in {label}; needed to join the 3D BAG to the buildings",
    "3D BAG gekoppeld aan {n} van {total} panden": "3D BAG joined to {n} of {total} buildings",
    "is geen 3D BAG-bestand (GeoPackage met lod22_2d of CityJSON)": "is not a 3D BAG file (GeoPackage with lod22_2d or CityJSON)",
    "onbekend niveau '{level}'; kies uit: {levels}": "unknown level '{level}'; choose from: {levels}",
    "geen laag voor niveau '{level}' ({wanted}); beschikbaar: {layers}": "no layer for level '{level}' ({wanted}); available: {layers}",
    "bevat geen CBS-gebieden (buurtcode, wijkcode of gemeentecode)": "holds no CBS areas (buurtcode, wijkcode or gemeentecode)",
    "kan het bestand niet lezen ({reason})": "cannot read the file ({reason})",
    "is geen leesbaar CSV-bestand ({reason})": "is not a readable CSV file ({reason})",
    "postcodevlakken niet leesbaar ({reason})": "postcode areas unreadable ({reason})",
    "kolom 'postcode' ontbreekt in de capaciteitskaart-tabel": "column 'postcode' is missing in the capaciteitskaart table",
    "geen postcodekolom in de postcodevlakken (gezocht: {keys}); beschikbaar: {available}":
        "no postcode column in the postcode areas (looked for: {keys}); available: {available}",
    "kolom 'voedingsgebied_id' ontbreekt; nodig om voedingsgebieden te vormen":
        "column 'voedingsgebied_id' is missing; needed to form the supply areas",
    "jaar {jaar} komt niet voor in voedingsgebieden; beschikbaar: {years}": "year {jaar} does not occur in the supply areas; available: {years}",
    "is geen capaciteitskaart-CSV (verwacht postcode/afname/opwek of voedingsgebied_id)":
        "is not a capaciteitskaart CSV (expected postcode/afname/opwek or voedingsgebied_id)",
    "de capaciteitskaart heeft geen geometrie; geef een laag met PC6-postcodevlakken op (optie postcodevlakken)":
        "the capaciteitskaart has no geometry; give a layer of PC6 postcode areas (option postcodevlakken)",
    "voor voedingsgebieden is ook congestie_pc6.csv nodig (optie congestie_pc6)":
        "supply areas also need congestie_pc6.csv (option congestie_pc6)",
    "3D BAG-bestand {file} (optie bag3d) bestaat niet": "3D BAG file {file} (option bag3d) does not exist",
    "bevat geen gebouwen (CityObjects)": "holds no buildings (CityObjects)",
    "is geen geldige JSON (regel {line})": "is not valid JSON (line {line})",
    "is geen CityJSON-bestand (type ontbreekt)": "is not a CityJSON file (type missing)",
    # ... autosave (layers/autosave.py)
    "er is geen automatisch opgeslagen versie om te herstellen": "there is no autosaved version to recover",
    # ... the locatiescan (scans/locatiescan.py), shown in the locaties dock
    "het project heeft geen laag met rol 'locaties' (woningbouwlocaties)":
        "the project has no layer with role 'locaties' (housing sites)",
    "params moet LocatiescanParams zijn": "params must be LocatiescanParams",
    "settings moet ScanSettings of ConstraintParams zijn": "settings must be ScanSettings or ConstraintParams",
    "locatiescan: alle gewichten zijn 0; geef minstens één criterium een gewicht":
        "location scan: all weights are 0; give at least one criterion a weight",
    "locatiescan: 'locaties' moet een GeoDataFrame met polygonen zijn": "location scan: 'locaties' must be a GeoDataFrame of polygons",
    "laag 'locaties' staat in {crs}, verwacht EPSG:28992": "layer 'locaties' is in {crs}, expected EPSG:28992",
    "laag 'locaties' heeft geen kolom 'naam'": "layer 'locaties' has no column 'naam'",
    "locatie '{name}' heeft geen geldige polygoon met oppervlakte": "location '{name}' has no valid polygon with an area",
    "locatie '{name}': betaalbaar_aandeel moet tussen 0 en 1 liggen": "location '{name}': betaalbaar_aandeel must lie between 0 and 1",
    "laag 'netcongestie' heeft geen kolom 'status_afname'": "layer 'netcongestie' has no column 'status_afname'",
    "gebouwenscan-resultaat mist de kolom 'totaal_woningen' of de geometrie":
        "the building scan's result lacks the column 'totaal_woningen' or the geometry",
    # errors of the scans' rules and runs (scans/constraints.py, scans/pipeline.py, scans/per_gebied.py,
    # scans/gegevens.py, scans/gevoeligheid.py, scans/batch/tiled.py, scans/batch/distributed.py), of the
    # output files (layers/io/tempfiles.py, layers/io/geopackage.py), the layer list (layers/layer.py)
    # and the expression language (layers/expression.py; its ExpressionError has a table of its own)
    "laag 'water_bodem' heeft geen kolom 'klasse'": "layer 'water_bodem' has no column 'klasse'",
    "laag 'water_bodem': {empty} zone(s) zonder klasse; vul de kolom 'klasse' in (ja, ja_mits, nee_tenzij of 0, A, B, C, D)":
        "layer 'water_bodem': {empty} zone(s) without a class; fill in the column 'klasse' (ja, ja_mits, nee_tenzij or 0, A, B, C, D)",
    "laag 'water_bodem': onbekende klasse '{klasse}' (verwacht ja, ja_mits, nee_tenzij of 0, A, B, C, D)":
        "layer 'water_bodem': unknown class '{klasse}' (expected ja, ja_mits, nee_tenzij or 0, A, B, C, D)",
    "laag 'water_bodem': onbekende klasse_ernst '{ernst}' (verwacht A, B of C)":
        "layer 'water_bodem': unknown klasse_ernst '{ernst}' (expected A, B or C)",
    "run_potentiescan verwacht ScanInputs": "run_potentiescan expects ScanInputs",
    "portefeuille met vbo_id's heeft een laag 'verblijfsobjecten' met 'vbo_id' nodig":
        "a portfolio with vbo_id's needs a layer 'verblijfsobjecten' with 'vbo_id'",
    "de resultaten hebben geen kolom 'complex' (scan zonder portefeuille)":
        "the results have no column 'complex' (a scan without a portfolio)",
    "check_data: verwacht ScanInputs of een project, niet {kind}": "check_data: expected ScanInputs or a project, not {kind}",
    "bereik {low}–{high} van {key} bevat de waarde {value} niet": "range {low}–{high} of {key} does not contain the value {value}",
    "aantal trekkingen moet minstens 1 zijn": "the number of draws must be at least 1",
    "laag '{key}' komt van een server": "layer '{key}' comes from a server",
    "laag '{key}' is geen GeoPackage, FlatGeobuf, Shapefile of GeoJSON": "layer '{key}' is no GeoPackage, FlatGeobuf, Shapefile or GeoJSON",
    "laag '{key}' koppelt een 3D BAG-bestand (optie bag3d)": "layer '{key}' links a 3D BAG file (option bag3d)",
    "laag '{key}' is niet te openen ({kind})": "layer '{key}' cannot be opened ({kind})",
    "laag '{key}' staat niet in RD New (EPSG:28992)": "layer '{key}' is not in RD New (EPSG:28992)",
    "laag '{key}': kan de omvang niet bepalen": "layer '{key}': cannot determine its extent",
    "gebiedenlaag '{key}' bestaat niet in het project (gebiedenlagen: {names})":
        "areas layer '{key}' does not exist in the project (areas layers: {names})",
    "rekenen met meerdere processen vereist een opgeslagen projectbestand":
        "computing with several processes needs a saved project file",
    "niet in tegels te rekenen: {reason}": "cannot be computed in tiles: {reason}",
    'rekenen met Dask vereist het pakket distributed (pip install "dask[distributed]")':
        'computing with Dask needs the package distributed (pip install "dask[distributed]")',
    "run_potentiescan_dask verwacht ScanInputs": "run_potentiescan_dask expects ScanInputs",
    "{path}: de uitvoer moet een {kind} ({wanted}) zijn; kies een andere naam":
        "{path}: the output must be a {kind} ({wanted}); choose another name",
    "de bestandsnaam is langer dan {limit} tekens (de grens van het bestandssysteem, met ruimte voor '{journal}'); kies een kortere naam":
        "the file name is longer than {limit} characters (the file system's limit, with room for '{journal}'); choose a shorter name",
    "dit is een map; geef een bestandsnaam op voor de uitvoer": "this is a folder; give a file name for the output",
    "map bestaat niet; maak haar eerst aan of kies een andere map voor de uitvoer":
        "the folder does not exist; create it first or choose another folder for the output",
    "geen schrijfrechten in deze map; kies een andere map voor de uitvoer":
        "no write permission in this folder; choose another folder for the output",
    "het bestand is alleen-lezen; kies een andere naam of maak het schrijfbaar":
        "the file is read-only; choose another name or make it writable",
    "dit is een bestand, geen map; geef een map op voor de uitvoer": "this is a file, not a folder; give a folder for the output",
    "een mapnaam is langer dan {limit} tekens; kies een kortere naam": "a folder name is longer than {limit} characters; choose a shorter name",
    "hier staat een bestand waar een map moet komen; kies een andere map":
        "there is a file where a folder should be; choose another folder",
    "{path}: GeoPackage bestaat niet": "{path}: GeoPackage does not exist",
    "laag/lagen {names} niet gevonden in de GeoPackage": "layer(s) {names} not found in the GeoPackage",
    "laag '{name}' heeft geen geometrie": "layer '{name}' has no geometry",
    "laag '{name}' zit niet in de lagenlijst": "layer '{name}' is not in the layer list",
    "laag '{name}' zit al in de lagenlijst": "layer '{name}' is already in the layer list",
    "een laagnaam moet een niet-lege tekst zijn, niet {name}": "a layer name must be a non-empty text, not {name}",
    "dekking moet een getal tussen 0 en 1 zijn, niet {value}": "opacity must be a number between 0 and 1, not {value}",
    "dekking moet tussen 0 en 1 liggen, niet {value}": "opacity must lie between 0 and 1, not {value}",
    "expressie werkt op een tabel (pandas DataFrame), niet op {kind}":
        "an expression works on a table (pandas DataFrame), not on {kind}",
}


def set_language(language: str | None) -> str:
    """Select ``"nl"`` or ``"en"`` (None keeps the current one); returns the active language."""
    global _language
    if language is None:
        return _language
    if language not in LANGUAGES:
        raise ValueError(f"onbekende taal {language!r}: kies uit {', '.join(LANGUAGES)}")
    _language = language
    return _language


def language() -> str:
    """The active interface language."""
    return _language


def tr(text: str, /, **values: object) -> str:
    """``text`` in the active language, with ``{placeholders}`` filled from ``values``."""
    if _language == "en":
        text = EN.get(text, text)
    return text.format(**values) if values else text


# --------------------------------------------------------------------------- scan parameters
#: English label and help of each scan parameter, keyed ``"<section>.<parameter>"`` (the labels
#: themselves are Dutch in the parameter dataclasses of ``scans/``, which know no languages).
PARAM_EN: dict[str, tuple[str, str]] = {
    "optoppen.min_aandeel_woonfunctie": ("Minimum share of residential use",
                                         "Share of the dwelling units in the building with residential use ('mainly residential')."),
    "optoppen.min_verblijfsobjecten": ("Minimum number of dwelling units (multi-family building)", ""),
    "optoppen.bouwjaar_min": ("Construction year from", ""),
    "optoppen.bouwjaar_max": ("Construction year up to and including", "9999 = no upper limit."),
    "optoppen.min_bouwlagen": ("Minimum number of existing storeys", ""),
    "optoppen.max_bouwlagen": ("Maximum number of existing storeys", ""),
    "optoppen.verdiepingshoogte_m": ("Storey height (storeys from height)",
                                     "Without 3D BAG storeys: storeys ≈ height above ground / storey height."),
    "optoppen.max_hoogte_m": ("Maximum height above ground (without storeys)", ""),
    "optoppen.dak_typen_plat": ("Roof types that count as flat", ""),
    "optoppen.min_dak_m2": ("Minimum flat roof area", ""),
    "optoppen.netto_bruto": ("Ratio usable/gross floor area of the extension", ""),
    "optoppen.m2_per_woning": ("Usable floor area per added home", ""),
    "optoppen.extra_lagen": ("Number of extra storeys", ""),
    "optoppen.monumenten_uitsluiten": ("Exclude national monuments",
                                       "A national monument is rarely extended upwards; needs a layer 'monumenten'."),
    "splitsen.min_gbo_m2": ("Minimum usable floor area of the home", ""),
    "splitsen.min_woning_m2": ("Minimum usable floor area per home after splitting", ""),
    "splitsen.max_extra": ("Maximum number of extra homes per building",
                           "By default one extra home: most municipalities allow splitting into two."),
    "transformatie.functies": ("Uses that can be converted",
                               "Scenario option: also retail, assembly, education, healthcare use."),
    "transformatie.extra_statussen": ("Building statuses that also count (vacancy)",
                                      "Besides the statuses 'in use': a vacant office is a candidate for conversion."),
    "transformatie.alleen_leegstand": ("Only vacant dwelling units", ""),
    "transformatie.m2_per_woning": ("Usable floor area per home after conversion", ""),
    "transformatie.realisatiekans": ("Realisation chance (realistic share)", ""),
    "transformatie.monumenten_uitsluiten": ("Exclude national monuments",
                                            "Needs a layer 'monumenten'; without it a building is assumed not to be a national monument."),
    "boerenerf.functies": ("Uses of agricultural buildings", ""),
    "boerenerf.extra_statussen": ("Extra building statuses for demolition candidates",
                                  "Besides the statuses 'in use': vacated agricultural buildings are often out of use."),
    "boerenerf.bouwjaar_voor": ("Built before", ""),
    "boerenerf.sloop_m2_per_woning": ("Area to demolish per home", ""),
    "boerenerf.max_woningen_per_erf": ("Maximum number of homes per farmyard",
                                       "Per farm (home on the yard); scenario 'knooperf': up to 6."),
    "boerenerf.max_afstand_woning_m": ("Maximum distance to a home on the yard", "Only without a layer 'erven'."),
    "boerenerf.cluster_afstand_m": ("Distance within which farm buildings form one yard", "Only without a layer 'erven'."),
    "boerenerf.kom_straal_m": ("Radius for the test 'outside the built-up area'", "Only without a layer 'erven'."),
    "boerenerf.kom_max_panden": ("Maximum number of buildings within that radius (outside the built-up area)",
                                 "More buildings nearby: the building is in the built-up area. Only without a layer 'erven'."),
    "beperkingen.uitsluiten_nee_tenzij": ("Exclude buildings in water/soil 'no, unless'", ""),
    "beperkingen.bodemdaling_ja_mits_vanaf_cm": ("Subsidence until 2050 from (yes, provided that)", ""),
    "beperkingen.bodemdaling_nee_tenzij_boven_cm": ("Subsidence until 2050 above (no, unless)", ""),
    "beperkingen.overstroming_ja_mits_vanaf_m": ("Flood depth from (yes, provided that)", ""),
    "beperkingen.overstroming_nee_tenzij_boven_m": ("Flood depth above (no, unless)", ""),
    "beperkingen.kwel_ja_mits_vanaf": ("Seepage from (yes, provided that)",
                                       "Strong seepage counts as 'yes, provided that' (no national threshold known); "
                                       "infiltration (negative) does not count."),
    "beperkingen.congestie_vanaf_code": ("Grid congestion from code",
                                         "Homes in congestion: code ≥ this value (2 = congestion management/study, 3 = shortage)."),
    "beperkingen.uitsluiten_congestie_code_3": ("Exclude buildings with grid congestion code 3 (shortage)", ""),
    "beperkingen.kw_per_woning": ("Peak load per extra home", ""),
    "beperkingen.netbewust": ("Grid-aware building", ""),
    "beperkingen.netbewust_factor": ("Peak load factor for grid-aware building", ""),
    "beperkingen.betaalbaar_aandeel": ("Share of affordable homes", ""),
    "beperkingen.stimulans_per_betaalbare_woning_eur": ("Realisation incentive per affordable home", ""),
    "beperkingen.nplv_bonus_per_woning_eur": ("Extra incentive per home in an NPLV focus area", ""),
    "algemeen.gebied_toewijzing": ("Assignment of buildings to areas",
                                   "centroid: the area holding the building's centroid; grootste_overlap: the area with the "
                                   "largest overlap (for buildings on a boundary)."),
    "algemeen.statussen_in_gebruik": ("Building statuses that count as 'in use'",
                                      "Buildings with another status (demolished, not realised, …) are no candidate. "
                                      "A building without a status counts as in use."),
    "algemeen.vbo_statussen_uitgesloten": ("Dwelling unit statuses that do not count", ""),
    "algemeen.vbo_status_leegstand": ("Dwelling unit statuses that count as vacancy", ""),
    "locatiescan.gewicht_woningbehoefte": ("Weight housing need (size)", "0 leaves the criterion out."),
    "locatiescan.gewicht_betaalbaarheid": ("Weight affordability", "0 leaves the criterion out."),
    "locatiescan.gewicht_water_bodem": ("Weight water and soil", "0 leaves the criterion out."),
    "locatiescan.gewicht_netcongestie": ("Weight grid congestion", "0 leaves the criterion out."),
    "locatiescan.gewicht_planstatus_timing": ("Weight plan status and construction start", "0 leaves the criterion out."),
    "locatiescan.woningen_volle_score": ("Homes for the full housing need score", ""),
    "locatiescan.punten_ja_mits": ("Points for area in water/soil 'yes, provided that'", ""),
    "locatiescan.punten_congestie_onbekend": ("Points for area without grid congestion information", ""),
    "locatiescan.punten_hard": ("Points plan status hard", ""),
    "locatiescan.punten_zacht": ("Points plan status soft", ""),
    "locatiescan.punten_idee": ("Points plan status idea", ""),
    "locatiescan.punten_minder_per_jaar": ("Points deducted per year of later construction start", ""),
    "locatiescan.toekenningsjaar": ("Year of award (reference year)", ""),
    "locatiescan.wbi_min_woningen": ("Woningbouwimpuls: minimum number of homes", ""),
    "locatiescan.wbi_min_betaalbaar_aandeel": ("Woningbouwimpuls: affordable share more than", ""),
    "locatiescan.wbi_start_binnen_jaren": ("Woningbouwimpuls: construction start at most years after award", ""),
    "locatiescan.wbi_cofinanciering_aandeel": ("Woningbouwimpuls: co-funding by other governments at least",
                                               "Reported, not tested (no data in the locations layer)."),
}

#: Units of the parameters, Dutch -> English.
UNIT_EN = {"fractie": "fraction", "jaar": "year", "lagen": "storeys", "woningen": "homes", "panden": "buildings",
           "punten": "points", "punten/jaar": "points/year", "vbo": "units"}

#: Scans and parameter sections, name -> English label (Dutch labels come from scans.registry).
SECTION_EN = {
    "optoppen": "Adding storeys",
    "splitsen": "Splitting homes",
    "transformatie": "Conversion",
    "boerenerf": "Homes on farmyards",
    "beperkingen": "Constraints and indicators (water/soil, grid congestion, NPLV, incentive)",
    "algemeen": "General (building status, assignment to areas)",
    "locatiescan": "Location scan",
}


def param_text(section: str, name: str, label: str, help_text: str = "") -> tuple[str, str]:
    """``(label, help)`` of parameter ``section.name`` in the active language (Dutch as given)."""
    if _language == "en" and f"{section}.{name}" in PARAM_EN:
        en_label, en_help = PARAM_EN[f"{section}.{name}"]
        return en_label, en_help
    return label, help_text


def unit_text(unit: str) -> str:
    """A parameter's unit in the active language."""
    return UNIT_EN.get(unit, unit) if _language == "en" else unit


#: The words of a parameter's source that are ours, not a document's title (Dutch -> English).
SOURCE_EN = (("standaardwaarde tussen", "default value between"), ("standaardwaarde", "default value"),
             ("praktijk:", "practice:"), ("lagen", "storeys"), ("als benadering van leegstand", "as an approximation of vacancy"),
             ("leegstaande kantoren eerst", "vacant offices first"), ("twee derde betaalbaar", "two thirds affordable"),
             ("geen landelijke drempel bekend", "no national threshold known"), ("BAG catalogus", "BAG catalogue"),
             ("BAG registreert geen leegstand; benadering", "the BAG does not register vacancy; approximation"),
             ("na gelijktijdigheid", "after simultaneity"), ("voor", "for"), ("woningen", "homes"))


def source_text(source: str) -> str:
    """A parameter's source in the active language: our own words translated, titles of
    publications and names of organisations kept."""
    if _language != "en" or not source:
        return source
    for dutch, english in SOURCE_EN:
        source = source.replace(dutch, english)
    return source


#: Dutch unit words after a number -> English (a parameter's range, "1960–1970 jaar").
_UNIT_WORDS = (("jaar", "years"), ("lagen", "storeys"), ("woningen", "homes"), ("panden", "buildings"),
               ("punten", "points"), ("ja/nee", "yes/no"))


def unit_words(text: str) -> str:
    """A range or amount with a Dutch unit word (``"2–4 lagen"``) in the active language."""
    if _language != "en" or not text:
        return text
    for dutch, english in _UNIT_WORDS:
        if text == dutch or text.endswith(" " + dutch):
            return text[: len(text) - len(dutch)] + english
    return text


#: Scan names short enough for a chart axis, in English.
SHORT_SECTION_EN = {"optoppen": "Storeys", "splitsen": "Splitting", "transformatie": "Conversion", "boerenerf": "Farmyards"}


def section_text(name: str, dutch: str) -> str:
    """The label of a scan or parameter section in the active language."""
    return SECTION_EN.get(name, dutch) if _language == "en" else dutch


# --------------------------------------------------------------------------- reasons
#: Dutch phrases of the scans' reasons (built from templates in ``scans/*.py``) -> English, applied
#: in this order at display time; numbers and names in between are kept as they are.
REASON_EN: tuple[tuple[str, str], ...] = (
    (r"^laag (.+) is toegevoegd$", r"layer \1 was added"),
    (r"^laag (.+) is uit het project gehaald$", r"layer \1 was removed from the project"),
    (r"^het bestand van laag (.+) ontbreekt$", r"the file of layer \1 is missing"),
    (r"^het bestand van laag (.+) is gewijzigd$", r"the file of layer \1 changed"),
    (r"^scenario (.+) bestaat niet meer$", r"scenario \1 no longer exists"),
    # the informatieproduct's title and a raster cell without a value (gisapp/reports/informatieproduct.py)
    (r"^Locatie x = (\S+), y = (\S+) \(RD\)$", r"Location x = \1, y = \2 (RD)"),
    (r"^Gebied (.+)$", r"Area \1"),
    (r"^geen waarde op deze plek \(raster zonder gegevens\)$", "no value at this location (raster without data)"),
    (r"^de parameters van scenario (.+) zijn gewijzigd$", r"the parameters of scenario \1 changed"),
    (r"woningen in het pand \(alleen panden met één woning\)", "homes in the building (only buildings with one home)"),
    (r"[Ww]onen op het boerenerf", "homes on farmyards"),
    # the locatiescan's reasons (scans/locatiescan.py)
    (r"geplande woningen \((\d+) punten vanaf (\d+)\)", r"planned homes (\1 points from \2)"),
    (r"% betaalbaar \(doel (\d+)%, Woontop\)", r"% affordable (target \1%, Woontop)"),
    (r"% betaalbaar \(meer dan (\d+)% nodig\)", r"% affordable (more than \1% needed)"),
    (r"woningen \(minimaal (\d+)\)", r"homes (at least \1)"),
    (r"voldoet aan de criteria van afspraak", "meets the criteria of agreement"),
    (r"voldoet niet:", "does not qualify:"),
    (r"let op: medeoverheden cofinancieren minimaal", "note: other governments co-fund at least"),
    (r"zwaarste code", "worst code"),
    (r"\(beschikbaar\)", "(available)"),
    (r"\(beperkt\)", "(limited)"),
    (r"\(congestiemanagement/onderzoek\)", "(congestion management/study)"),
    (r"\(tekort\)", "(shortage)"),
    (r"op (\d+)% van het oppervlak", r"on \1% of the area"),
    (r"kW extra piekbelasting", "kW extra peak load"),
    (r"% ja-mits", "% yes-provided"),
    (r"% nee-tenzij", "% no-unless"),
    (r"% ja\b", "% yes"),
    (r"\bmitsen:", "conditions:"),
    (r"\bnee-tenzij:", "no-unless:"),
    (r"planstatus (hard|zacht|idee) \((\d+) punten\)", r"plan status \1 (\2 points)"),
    (r"start bouw (\d+) \((\d+) punten, peiljaar (\d+)\)", r"construction start \1 (\2 points, reference year \3)"),
    (r"^geen extra woningen$", "no extra homes"),
    # where a scan's homes come from (the <scan>_bron column) and the reasons of unknown inputs
    (r"^gemeten$", "measured"),
    (r"\bgeschat: ", "estimated: "),
    (r"GBO uit aantal vbo × gemiddelde oppervlakte \(min/max van het pand\)",
     "floor area from the number of units × their mean area (min/max of the building)"),
    (r"verdeling over de gebruiksdoelen van het pand aangenomen", "split over the building's uses assumed"),
    (r"bouwlagen uit hoogte", "storeys from the height"),
    (r"geen rijksmonument aangenomen \(geen laag monumenten\)", "no national monument assumed (no layer monumenten)"),
    (r"rijksmonument \(uitgesloten in dit scenario\)", "national monument (excluded in this scenario)"),
    (r"geen kas of warenhuis aangenomen \(geen 3D BAG\)", "no greenhouse or warehouse assumed (no 3D BAG)"),
    (r"gebruiksdoel onbekend", "use unknown"),
    (r"leegstand onbekend", "vacancy unknown"),
    (r"\(geen verblijfsobjecten\)", "(no dwelling units)"),
    (r"uitgesloten: netcongestie code 3", "excluded: grid congestion code 3"),
    (r"\boptoppen\b", "adding storeys"),
    (r"\bsplitsen\b", "splitting"),
    (r"\btransformatie\b", "conversion"),
    (r"waarden als", "values read as"),
    (r" gelezen\b", ""),
    (r"uitgesloten: water en bodem nee-tenzij", "excluded: water and soil no-unless"),
    (r"uitgesloten: netcongestie code 3 \(tekort\)", "excluded: grid congestion code 3 (shortage)"),
    (r"\(BAG-status buiten gebruik\)", "(BAG status out of use)"),
    (r"\(niet in de gebouwenlaag\)", "(not in the buildings layer)"),
    (r"\(geen meergezinspand\)", "(not a multi-family building)"),
    (r"\(geen 3D BAG-dakoppervlak\)", "(no 3D BAG roof area)"),
    (r"\(geen 3D BAG\)", "(no 3D BAG)"),
    (r"\(niet in gebruik\)", "(not in use)"),
    (r"\(laag erven\)", "(layer erven)"),
    (r"\(geen laag erven\)", "(no layer erven)"),
    (r"\(gebruiksdoel van panden in de buurt onbekend\)", "(use of nearby buildings unknown)"),
    (r"geen agrarische bedrijfsfunctie", "no agricultural use"),
    (r"industriefunctie of overige gebruiksfunctie", "industrial or other use"),
    (r"geen kas of warenhuis aangenomen", "no greenhouse or warehouse assumed"),
    (r"kas of warenhuis", "greenhouse or warehouse"),
    (r"geen verblijfsobjecten in het pand", "no dwelling units in the building"),
    (r"niet op een erf", "not on a farmyard"),
    (r"erf afgeleid uit de panden", "farmyard derived from the buildings"),
    (r"sloop op erf, woningen geteld bij pand", "demolition on the farmyard, homes counted at building"),
    (r"m² op erf, minder dan", "m² on the farmyard, less than"),
    (r"m² per woning", "m² per home"),
    (r"pand heeft woonfunctie", "building has residential use"),
    (r"plat dakoppervlak = footprint", "flat roof area = footprint"),
    (r"plat dakoppervlak", "flat roof area"),
    (r"aantal verblijfsobjecten", "number of dwelling units"),
    (r"aantal bouwlagen", "number of storeys"),
    (r"geen plat dak", "no flat roof"),
    (r"geen leegstaande", "no vacant"),
    (r"geen woning binnen", "no home within"),
    (r"panden binnen", "buildings within"),
    (r"\(geen erf\)", "(no farmyard)"),
    (r"industriefunctie", "industrial use"),
    (r"overige gebruiksfunctie", "other use"),
    (r"kantoorfunctie", "office use"),
    (r"winkelfunctie", "retail use"),
    (r"bijeenkomstfunctie", "assembly use"),
    (r"onderwijsfunctie", "education use"),
    (r"gezondheidszorgfunctie", "healthcare use"),
    (r"woonfunctie", "residential use"),
    (r"overstromingsdiepte", "flood depth"),
    (r"overstroming", "flooding"),
    (r"bodemdaling", "subsidence"),
    (r"\bkwel\b", "seepage"),
    (r"\[bron ", "[source "),
    (r"bouwjaar", "construction year"),
    (r"bouwlagen", "storeys"),
    (r"daktype", "roof type"),
    (r"hoogte", "height"),
    (r"\bsloop\b", "demolition"),
    (r"\berf\b", "farmyard"),
    (r"kleiner dan", "less than"),
    (r"niet vóór", "not before"),
    (r"\bboven\b", "above"),
    (r"\bbuiten\b", "outside"),
    (r"\bonbekend\b", "unknown"),
    (r"\bkandidaat\b", "candidate"),
    (r"\bgeen\b", "no"),
)


def translate_reason(text: str) -> str:
    """A scan's reason (or another Dutch text built from a template) in the active language."""
    if _language != "en" or not isinstance(text, str) or not text:
        return text
    import re

    if text in EN:
        return EN[text]
    for pattern, replacement in REASON_EN:
        if pattern.startswith("^"):  # a whole sentence: translated at once
            whole = re.fullmatch(pattern.strip("^$"), text)
            if whole:
                return whole.expand(replacement)
    # quoted values ('Pand buiten gebruik': a BAG status) are data and stay as they are; the one
    # quoted word of our own is the readers' 'onbekend'
    parts = re.split(r"('[^']*')", text.replace("'onbekend'", "'unknown'"))
    for index in range(0, len(parts), 2):
        for pattern, replacement in REASON_EN:
            if not pattern.startswith("^"):
                parts[index] = re.sub(pattern, replacement, parts[index])
    return "".join(parts)


# --------------------------------------------------------------------------- texts of layers/ and scans/
class _EnglishFormatter(string.Formatter):
    """``str.format`` for the English side of a :class:`layers.texts.Translatable`: a value that is
    one translated in turn, lists as "a, b and c", numbers with the English separators, any other
    value as it is."""

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            return and_list((self.format_field(item, "") for item in value), "and")
        if isinstance(value, Translatable):
            return format(translated(value), format_spec)
        return format(value, format_spec)  # a name, a file, a value from the data: as it is


_ENGLISH = _EnglishFormatter()
#: A template made of placeholders and punctuation only (``Translatable.joined``) is the same in every language.
_NO_WORDS = re.compile(r"^(\{[^{}]*\}|[^\w{}])*$")


def _term_text(table: str, key: str, dutch: str) -> str | None:
    """A term of ``table`` in English, as it stands inside a sentence: first letter lower case
    unless it starts an abbreviation ("GBO", "NPLV")."""
    if table == "parameter" and key in PARAM_EN:
        english = PARAM_EN[key][0]
    elif table == "scan" and key in SECTION_EN:
        english = SECTION_EN[key]
    elif table == "unit":
        return UNIT_EN.get(key, dutch)  # a unit not listed (m², cm) is the same in English
    elif table == "column":
        from styles.field_labels import field_label

        english = field_label(key, "en")
    else:
        return None
    return english[:1].lower() + english[1:] if english[1:2].islower() else english


def translated(text):
    """A text made in ``layers/`` or ``scans/`` in the active language.

    A :class:`layers.texts.Translatable` by its template (:data:`EN`) or, a term, by its key,
    with its values translated in turn; any other string through the reason table
    (:func:`translate_reason`); anything else as it is. Dutch: the text as made.
    """
    if _language != "en" or not isinstance(text, str) or not text:
        return text
    template = getattr(text, "template", None)
    if template is None:
        return translate_reason(text)
    if text.term_of is not None:
        return _term_text(*text.term_of, str(text)) or translate_reason(str(text))
    english = EN.get(template)
    if english is None:
        if not _NO_WORDS.match(template):
            return translate_reason(str(text))  # not in the table (a test keeps this from happening)
        english = template
    return _ENGLISH.format(english, **text.values)


def error_text(error: object) -> str:
    """What went wrong, one line in the active language, for a dialog, the status bar or the
    "Laag X niet geladen" message.

    ``error`` is an exception or a message. A ``DataError`` or ``ValueError`` made in ``layers/``
    or ``scans/`` carries a :class:`layers.texts.Translatable` (``args[0]``) and is worded through
    :func:`translated`; an ``ExpressionError`` (:mod:`layers.expression`) by its own table per
    language; a failure of the user's machine (a full disk, no rights, the network:
    :func:`layers.errors.environment_message`) is said as such; anything else is its own text (a
    library's, as it is).
    """
    message = error
    if isinstance(error, ExpressionError):  # worded by the expression language's own table
        return error.text(_language)
    if isinstance(error, BaseException):
        if len(error.args) == 1 and isinstance(error.args[0], Translatable):
            message = error.args[0]
        else:
            message = environment_message(error) or str(error) or type(error).__name__
    return str(translated(message) if isinstance(message, Translatable) else message)


def dutch_of(text: str) -> str:
    """The Dutch source of a static text shown in the active language (itself when Dutch or unknown)."""
    if _language == "en":
        return text_map("en", "nl").get(text, text)
    return text


def text_map(old: str, new: str) -> dict[str, str]:
    """Static texts shown in ``old`` -> the same texts in ``new`` (for switching the language of a
    running window): the table itself from Dutch to English, reversed from English to Dutch."""
    if old == new:
        return {}
    if new == "en":
        return {nl: en for nl, en in EN.items() if nl != en}
    reverse: dict[str, str] = {}
    for nl, en in EN.items():
        if nl != en:
            reverse.setdefault(en, nl)
    return reverse
