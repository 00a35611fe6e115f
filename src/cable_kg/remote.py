"""Remote SPARQL endpoints: queries through SPARQLWrapper (the
:class:`~cable_kg.queries.Engine` protocol), and graphs pushed with the
SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` replaces a graph whole).

Values sent to an endpoint are always checked RDF terms: saved queries are
bound with :func:`cable_kg.queries.bind`, and the graph data sent by
:func:`put_graph` is N-Triples written by the converter and re-checked by
pyoxigraph's parser before it leaves.
"""

from __future__ import annotations

import base64
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import QueryError, StoreError
from .queries import Cell, Result

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
GET_LIMIT = 1800  # characters of URL-encoded query above which POST is used


def cell_from_json(b: dict | None) -> Cell | None:
    """A :class:`~cable_kg.queries.Cell` from one SPARQL JSON results binding,
    normalised the way :class:`~cable_kg.queries.LocalEngine` makes them.

    >>> cell_from_json({"type": "literal", "value": "x", "xml:lang": "en"})
    Cell(kind='literal', value='x', datatype='http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', lang='en')
    >>> cell_from_json({"type": "typed-literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#string"})
    Cell(kind='literal', value='1', datatype=None, lang=None)
    """
    if b is None:
        return None
    kind = b.get("type")
    if kind == "uri":
        return Cell("iri", b["value"])
    if kind == "bnode":
        return Cell("bnode", "_:" + b["value"] if not b["value"].startswith("_:") else b["value"])
    if kind in ("literal", "typed-literal"):
        lang = b.get("xml:lang")
        dt = b.get("datatype")
        if lang:
            dt = RDF_LANG_STRING
        elif dt == XSD_STRING:
            dt = None
        return Cell("literal", b["value"], dt, lang)
    if kind == "triple":
        v = b["value"]
        parts = [cell_from_json(v[k]) for k in ("subject", "predicate", "object")]
        return Cell("triple", " ".join(_nt(c) for c in parts))
    return Cell("literal", str(b.get("value", "")))


def _nt(c: Cell | None) -> str:
    if c is None:
        return ""
    if c.kind == "iri":
        return f"<{c.value}>"
    if c.kind == "bnode":
        return c.value
    return json.dumps(c.value)


def result_from_json(doc: dict) -> Result:
    """A SPARQL 1.1 Query Results JSON document as a Result."""
    if "boolean" in doc:
        return Result([], [], bool(doc["boolean"]))
    columns = list(doc.get("head", {}).get("vars", []))
    rows = [[cell_from_json(b.get(c)) for c in columns] for b in doc.get("results", {}).get("bindings", [])]
    return Result(columns, rows)


class RemoteEngine:
    """Queries on a SPARQL 1.1 endpoint; satisfies the Engine protocol.

    ``timeout`` (seconds) bounds each request; ``user``/``password`` are
    sent as HTTP basic authentication.  The endpoint decides what its
    default graph is: for results matching the embedded store, it should
    query the union of its named graphs (Oxigraph: ``--union-default-graph``).
    """

    def __init__(self, endpoint: str, timeout: float = 30.0, user: str | None = None,
                 password: str | None = None, agent: str = "cable-kg"):
        if not endpoint.startswith(("http://", "https://")):
            raise QueryError(f"not an http(s) endpoint URL: {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout
        self.user = user
        self.password = password
        self.agent = agent

    def _wrapper(self, sparql: str):
        from SPARQLWrapper import (
            ASK,
            CONSTRUCT,
            DESCRIBE,
            JSON,
            POST,
            SELECT,
            SPARQLWrapper,
        )

        w = SPARQLWrapper(self.endpoint, agent=self.agent)
        w.setQuery(sparql)
        # SPARQLWrapper guesses the query type with a regular expression that
        # reads words in comments ("... after every load") as update keywords
        # and would then send the text as an update: this engine only queries.
        if w.queryType not in (SELECT, ASK, CONSTRUCT, DESCRIBE):
            w.queryType = SELECT
        w.setReturnFormat(JSON)
        w.setTimeout(int(max(1, round(self.timeout))))
        if len(urllib.parse.quote(sparql)) > GET_LIMIT:
            w.setMethod(POST)
        if self.user is not None:
            w.setCredentials(self.user, self.password or "")
        return w

    def select(self, sparql: str) -> Result:
        from SPARQLWrapper.SPARQLExceptions import (
            EndPointInternalError,
            EndPointNotFound,
            QueryBadFormed,
            SPARQLWrapperException,
            Unauthorized,
        )

        w = self._wrapper(sparql)
        try:
            response = w.query()
            body = response.response.read()
        except QueryBadFormed as e:
            raise QueryError(f"{self.endpoint} rejected the query: {_first_line(e)}") from None
        except Unauthorized:
            raise QueryError(f"{self.endpoint}: not authorised (give --user and --password)") from None
        except EndPointNotFound:
            raise QueryError(f"{self.endpoint}: no SPARQL endpoint there (404)") from None
        except EndPointInternalError as e:
            raise QueryError(f"{self.endpoint}: the endpoint failed: {_first_line(e)}") from None
        except SPARQLWrapperException as e:
            raise QueryError(f"{self.endpoint}: {_first_line(e)}") from None
        except urllib.error.HTTPError as e:
            raise QueryError(f"{self.endpoint}: HTTP {e.code} {e.reason}: {_read(e)}") from None
        except TimeoutError:
            raise QueryError(f"{self.endpoint}: no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise QueryError(f"{self.endpoint}: no answer within {self.timeout:g} s") from None
            raise QueryError(f"{self.endpoint}: cannot connect ({e.reason})") from None
        except OSError as e:
            raise QueryError(f"{self.endpoint}: {e}") from None
        try:
            doc = json.loads(body)
        except ValueError:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results "
                             f"({body[:120]!r})") from None
        return result_from_json(doc)


def _first_line(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:300]


def _read(e: urllib.error.HTTPError) -> str:
    try:
        return " ".join(e.read(300).decode("utf-8", "replace").split())
    except OSError:
        return ""


# ------------------------------------------------------------------ Graph Store Protocol

@dataclass
class PushReport:
    pushed: list[str] = field(default_factory=list)
    triples: int = 0


def _auth_header(user: str | None, password: str | None) -> dict[str, str]:
    if user is None:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def graph_url(store_url: str, graph: str) -> str:
    """The Graph Store Protocol URL of a named graph (indirect identification).

    >>> graph_url("http://127.0.0.1:7878/store", "https://x.org/graph/a")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fx.org%2Fgraph%2Fa'
    """
    sep = "&" if "?" in store_url else "?"
    return f"{store_url}{sep}graph={urllib.parse.quote(graph, safe='')}"


def triples_of_graph(nquads: str, graph: str) -> str:
    """The N-Triples of one graph's N-Quads lines (the converter writes one
    graph per file), checked by pyoxigraph's parser."""
    import pyoxigraph as ox

    quads = ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    g = ox.NamedNode(graph)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == g]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""


def put_graph(store_url: str, graph: str, ntriples: str, timeout: float = 30.0, user: str | None = None,
              password: str | None = None) -> None:
    """Replace ``graph`` at a Graph Store Protocol endpoint (HTTP PUT)."""
    if not store_url.startswith(("http://", "https://")):
        raise StoreError(f"not an http(s) Graph Store URL: {store_url!r}")
    req = urllib.request.Request(graph_url(store_url, graph), data=ntriples.encode("utf-8"), method="PUT",
                                 headers={"Content-Type": "application/n-triples",
                                          **_auth_header(user, password)})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as e:
        hint = " (give --user and --password)" if e.code in (401, 403) else ""
        hint = hint or (" (is this the Graph Store URL, e.g. http://host:7878/store?)" if e.code in (404, 405)
                        else "")
        raise StoreError(f"{store_url}: PUT {graph} failed: HTTP {e.code} {e.reason}{hint}: {_read(e)}") from None
    except urllib.error.URLError as e:
        raise StoreError(f"{store_url}: cannot connect ({e.reason})") from None
    except TimeoutError:
        raise StoreError(f"{store_url}: no answer within {timeout:g} s") from None


def push_converted(store_url: str, converted: Iterable, timeout: float = 30.0, user: str | None = None,
                   password: str | None = None, progress: Callable | None = None) -> tuple[PushReport, list]:
    """Push each converted file's graph (see :func:`cable_kg.pipeline.convert_many`),
    replacing it whole.  Returns the report and the files that failed to
    convert (InputError); a failed push raises StoreError."""
    from .errors import InputError

    report, failed, seen = PushReport(), [], {}
    for c in converted:
        if progress:
            progress(c)
        if c.error is None and c.graph in seen:
            c_err = InputError(c.path, f"same file name as {seen[c.graph]}: both would be graph {c.graph}")
            failed.append(c_err)
            continue
        if c.error is not None:
            failed.append(c.error)
            continue
        seen[c.graph] = c.path
        data = triples_of_graph(c.nquads or "", c.graph)
        put_graph(store_url, c.graph, data, timeout, user, password)
        report.pushed.append(c.path)
        report.triples += data.count("\n")
    return report, failed


def push_paths(store_url: str, paths: Iterable, base: str, workers: int | None = None, timeout: float = 30.0,
               user: str | None = None, password: str | None = None, link: bool = True) -> tuple[PushReport, list]:
    """``load --endpoint``: convert files and PUT each graph to a Graph Store,
    with the shared authority graph and (``link``) the reply-links graph,
    computed on an in-memory copy of what was pushed, so that the remote
    store answers the saved queries as the embedded one does.  The links
    are those among the files of this run: push the whole collection at
    once (a run with a few files replaces the links graph with theirs)."""
    from .convert import expand_paths
    from .pipeline import convert_many
    from .rdf.build import Iris, authority_nquads
    from .resolve import Authority
    from .store import Store

    iris = Iris(base)
    files = expand_paths(paths)
    shared = authority_nquads(Authority.load(), iris)
    memory = Store(None) if link else None
    pushed_graphs: dict = {}

    def keep(c):
        if memory is not None and c.error is None and c.nquads:
            pushed_graphs.setdefault(c.graph, c)  # a second file of the same graph is refused, as in the push

    put_graph(store_url, iris.authority_graph(), triples_of_graph(shared, iris.authority_graph()), timeout, user,
              password)
    report, failed = push_converted(store_url, convert_many(files, base, None, workers), timeout, user, password,
                                    progress=keep)
    if memory is not None and report.pushed:
        import pyoxigraph as ox

        from .link import relink

        memory.replace_graph(iris.authority_graph(), shared)
        for c in pushed_graphs.values():
            memory.replace_graph(c.graph, c.nquads)
        relink(memory, base, force=True)
        links = memory.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iris.links_graph()}> {{ ?s ?p ?o }} }}")
        put_graph(store_url, iris.links_graph(), ox.serialize(links, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
                  timeout, user, password)
    return report, failed
