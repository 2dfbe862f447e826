"""The web service: a SPARQL 1.1 Protocol endpoint over the built graph, and health checks.

>>> from ndkg.service import ServiceSettings, create_app
>>> app = create_app(ServiceSettings(home="build"))
"""

from ndkg.service.app import create_app
from ndkg.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
