"""Batch runners of the potentiescan: the same pipeline over tiles (``tiled``) or on Dask (``distributed``).

``tiled`` reads the big layers tile by tile and streams the GeoPackage (``gisapp scan --tegels``);
``distributed`` partitions an in-memory project by gemeente over Dask workers (``--dask``).
"""
