"""What the explorer shows, read from a built store: names and links of terms, entity
descriptions, search, pictures (neighbourhoods, the causal chain), categories and downloads.

Nothing here knows about HTTP; :mod:`ndkg.service.pages` and its sibling routers render it.
"""

from ndkg.explorer.core import Explorer
from ndkg.explorer.names import Names, TermRef, local_path

__all__ = ["Explorer", "Names", "TermRef", "local_path"]
