"""Writing data out, by format, through maintained libraries (GDAL via pyogrio, SQLite via sqlite3).

``geopackage``: layers (from a GeoDataFrame or Arrow batches), atomic replacement of a file,
non-spatial tables and QGIS's ``layer_styles``. No Qt, no scans.
"""
