"""One SPARQL protocol request, from query text to response bytes.

Runs inside a query worker process (see :mod:`.pool`): the read-only check
(:mod:`.guard`) first, so a refused text never reaches the store, then the
query over the store snapshot, then at most ``cap`` results serialised in
the negotiated format.  Everything it returns is plain data (picklable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..queries import PREFIXES as QUERY_PREFIXES
from . import guard
from .negotiate import (
    FORMAT_PARAM,
    GRAPH_ALIASES,
    RDF_FORMATS,
    RDF_TYPES,
    RESULT_TYPES,
    best,
)
from .results import CONTENT_TYPES, serialize_boolean, serialize_solutions

# the prefixes of the RDF the endpoint writes (those of the saved queries, and OWL)
PREFIXES = {**QUERY_PREFIXES, "owl": "http://www.w3.org/2002/07/owl#"}


@dataclass(frozen=True)
class QueryRequest:
    query: str
    accept: str | None = None
    format: str | None = None  # ?format= shortcut
    cap: int = 10000
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = ""
    rows: int = 0
    capped: bool = False


def error(status: int, message: str) -> Reply:
    return Reply(status, (message.rstrip() + "\n").encode("utf-8"))


def execute(store: ox.Store, req: QueryRequest) -> Reply:
    verdict = guard.check(req.query)
    if not verdict.ok:
        return error(verdict.status, verdict.message)
    graph_query = verdict.kind in ("construct", "describe")
    offered = RDF_TYPES if graph_query else RESULT_TYPES
    if req.format:
        media = FORMAT_PARAM.get(req.format.lower())
        if media not in offered:
            return error(400, f"format {req.format!r} is not available for a {verdict.kind.upper()} query "
                              f"(use one of: {', '.join(offered)})")
    else:
        media = best(req.accept, offered, GRAPH_ALIASES if graph_query else None)
        if media is None:
            return error(406, f"none of the accepted types ({req.accept}) is available for a "
                              f"{verdict.kind.upper()} query; available: {', '.join(offered)}")
    kwargs: dict = {}
    try:
        if req.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if req.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
    except ValueError as e:
        return error(400, f"bad graph IRI: {e}")
    try:
        results = store.query(req.query, **kwargs)
        if isinstance(results, ox.QueryBoolean):
            return Reply(200, serialize_boolean(bool(results), media), CONTENT_TYPES[media], kind=verdict.kind)
        if isinstance(results, ox.QueryTriples):
            triples = []
            for t in results:
                if len(triples) == req.cap:
                    return _graph_reply(triples, media, verdict.kind, capped=True, cap=req.cap)
                triples.append(t)
            return _graph_reply(triples, media, verdict.kind, capped=False, cap=req.cap)
        variables = [v.value for v in results.variables]
        rows = []
        capped = False
        for solution in results:
            if len(rows) == req.cap:
                capped = True
                break
            rows.append([solution[v] for v in variables])
    except SyntaxError as e:
        return error(400, f"not a valid SPARQL query: {e}")
    except (OSError, ValueError, RuntimeError) as e:
        return error(500, f"query failed: {e}")
    body = serialize_solutions(variables, rows, media, capped)
    return Reply(200, body, CONTENT_TYPES[media], _cap_headers(capped, req.cap), verdict.kind, len(rows), capped)


def _cap_headers(capped: bool, cap: int) -> dict[str, str]:
    return {"X-Results-Capped": "true", "X-Results-Cap": str(cap)} if capped else {}


def _graph_reply(triples, media: str, kind: str, capped: bool, cap: int) -> Reply:
    fmt = RDF_FORMATS[media]
    try:
        body = ox.serialize(triples, format=fmt, prefixes=PREFIXES) if fmt == ox.RdfFormat.TURTLE else \
            ox.serialize(triples, format=fmt)
    except (ValueError, OSError) as e:
        return error(500, f"cannot serialise the result as {media}: {e}")
    ctype = media + ("; charset=utf-8" if media != "application/rdf+xml" else "")
    return Reply(200, body or b"", ctype, _cap_headers(capped, cap), kind, len(triples), capped)
