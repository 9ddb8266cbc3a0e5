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
    "project": "project",
    "Dit project heeft geen gebouwenlaag.": "This project has no buildings layer.",
    # Results
    "Resultaten per gebied": "Results per area",
    "Grafieken": "Charts",
    "Extra woningen per scan": "Extra homes per scan",
    "Bouwjaar van kandidaten": "Construction year of candidates",
    "Scenariovergelijking": "Scenario comparison",
    "Totaal: {homes} extra woningen in {areas} gebieden.": "Total: {homes} extra homes in {areas} areas.",
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
    # Background map
    "Achtergrondkaart": "Background map",
    "Achtergrondkaart kiezen": "Choose a background map",
    "Geen": "None",
    "Bestand…": "File…",
    "Achtergrondkaart: tegels niet op te halen ({error})": "Background map: tiles cannot be fetched ({error})",
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


def tr(text: str, **values: object) -> str:
    """``text`` in the active language, with ``{placeholders}`` filled from ``values``."""
    if _language == "en":
        text = EN.get(text, text)
    return text.format(**values) if values else text
