"""Publishing the graph over HTTP: linked-data pages with content
negotiation (303 See Other from a resource IRI to its documents), a
read-only SPARQL 1.1 endpoint whose queries run in killable worker
processes, a query page, search, the VoID/DCAT description and the dumps.

:func:`create_app` builds the Starlette app; ``cable-kg serve`` runs it
with uvicorn.  (Imported lazily: the query workers import this package
and need none of the web framework.)
"""

from __future__ import annotations

__all__ = ["Settings", "create_app"]


def __getattr__(name: str):
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
