"""Running over many texts: reading record files, writing outputs, progress, ``datasets`` and Dask. Of the other parts, it imports only the scoring core."""
