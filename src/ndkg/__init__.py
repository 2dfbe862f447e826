"""ndkg: the Nipple Discharge & Lactation Knowledge Graph.

Build the graph from its curated sources and query it without a server::

    >>> import ndkg  # doctest: +SKIP
    >>> ndkg.build(".", "build")  # doctest: +SKIP
    >>> graph = ndkg.open_store("build")  # doctest: +SKIP
    >>> graph.select(  # doctest: +SKIP
    ...     "SELECT ?label WHERE { NDKG:0000224 rdfs:label ?label }", use_prefixes=True)
    [{'label': 'intraductal papilloma'}]
    >>> questions = ndkg.Questions(graph, graph.path.parent / "queries")  # doctest: +SKIP
    >>> answer = questions.answer(  # doctest: +SKIP
    ...     "causes-by-features", {"laterality": "unilateral", "character": "bloody"})

Errors are types rooted at :class:`NdkgError` (see :mod:`ndkg.errors`).
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("ndkg")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

# Imported after __version__, which ndkg.build reads.
from ndkg.build import BuildResult, build
from ndkg.errors import (
    AccessError,
    AddressInUseError,
    BuildError,
    BuildLockedError,
    BusyError,
    ConflictError,
    DataError,
    EngineError,
    ForbiddenError,
    GraphNotFoundError,
    JavaNotFoundError,
    LimitError,
    MemoryLimitError,
    NdkgError,
    OutboundRequestError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    QuestionError,
    ReasoningError,
    SourceError,
    SourcesNotFoundError,
    StoreError,
    TooDeepError,
    TooLargeError,
    TooManyAttemptsError,
    UnknownQuestionError,
    ValidationError,
)
from ndkg.questions import Answer, Questions
from ndkg.storage.store import EmbeddedStore, Store, open_store

__all__ = [
    "AccessError",
    "AddressInUseError",
    "Answer",
    "BuildError",
    "BuildLockedError",
    "BuildResult",
    "BusyError",
    "ConflictError",
    "DataError",
    "EmbeddedStore",
    "EngineError",
    "ForbiddenError",
    "GraphNotFoundError",
    "JavaNotFoundError",
    "LimitError",
    "MemoryLimitError",
    "NdkgError",
    "OutboundRequestError",
    "ParameterError",
    "QueryError",
    "QueryTimeoutError",
    "QuestionError",
    "Questions",
    "ReasoningError",
    "SourceError",
    "SourcesNotFoundError",
    "Store",
    "StoreError",
    "TooDeepError",
    "TooLargeError",
    "TooManyAttemptsError",
    "UnknownQuestionError",
    "ValidationError",
    "__version__",
    "build",
    "open_store",
]
