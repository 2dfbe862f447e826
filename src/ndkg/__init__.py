"""ndkg: the Nipple Discharge & Lactation Knowledge Graph.

Build the graph from its curated sources and query it without a server::

    >>> import ndkg  # doctest: +SKIP
    >>> ndkg.build(".", "build")  # doctest: +SKIP
    >>> graph = ndkg.open_store("build")  # doctest: +SKIP
    >>> graph.select("SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }", use_prefixes=True)  # doctest: +SKIP
    [{'label': 'intraductal papilloma'}]
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ndkg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
