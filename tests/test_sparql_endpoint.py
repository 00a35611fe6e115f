"""The SPARQL 1.1 Protocol endpoint, on a real uvicorn server on 127.0.0.1:
methods, result formats, service description, CORS, the read-only check,
size limits, the time limit (while other clients keep being answered) and
the result cap; rdflib's SPARQLStore, SPARQLWrapper and RemoteEngine as
clients."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import DATA, FIXTURES

from cable_kg.cli import main
from cable_kg.queries import LocalEngine, list_queries, load_query, run
from cable_kg.remote import RemoteEngine
from cable_kg.store import Store
from cable_kg.web import Settings, create_app
from cable_kg.web.guard import check

BASE = "https://cable-kg.example.org/"
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cable-kg/ns#Document> }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 4.0
CAP = 200


class Server:
    """uvicorn in a thread, on a socket bound to 127.0.0.1 and a free port."""

    def __init__(self, app, max_url: int = 8192):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on",
                                h11_max_incomplete_event_size=max_url + 32 * 1024)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.sock.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sparql") / "store"
    result = CliRunner().invoke(main, ["load", str(DATA), str(FIXTURES), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def server(store):
    app = create_app(Settings(store=store, timeout=TIMEOUT, workers=2, cap=CAP, max_body=16 * 1024,
                              max_url=4096))
    with Server(app, max_url=4096) as s:
        yield s


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def local(server):
    return LocalEngine(server.server.config.app.state.cable.store)


def count_rows(http) -> int:
    r = http.get("/sparql", params={"query": COUNT}, headers={"Accept": JSON})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# ------------------------------------------------------------------ protocol

def test_get_post_direct_and_post_form_agree(http, local):
    expected = int(local.select(COUNT).rows[0][0].value)
    a = http.get("/sparql", params={"query": COUNT}, headers={"Accept": JSON})
    b = http.post("/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    c = http.post("/sparql", data={"query": COUNT}, headers={"Accept": JSON})
    for r in (a, b, c):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(JSON)
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == expected


def test_select_in_the_four_result_formats(http, local):
    q = load_query("people").text
    want = local.select(q)
    names = sorted(r[1].value for r in want.rows)
    r = http.get("/sparql", params={"query": q}, headers={"Accept": JSON})
    assert sorted(b["name"]["value"] for b in r.json()["results"]["bindings"]) == names
    r = http.get("/sparql", params={"query": q}, headers={"Accept": XML})
    assert r.headers["content-type"].startswith(XML)
    sols = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.XML)
    assert sorted(s["name"].value for s in sols) == names
    r = http.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(row["name"] for row in rows) == names
    r = http.get("/sparql", params={"query": q}, headers={"Accept": "text/tab-separated-values"})
    sols = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.TSV)
    assert sorted(s["name"].value for s in sols) == names
    # ?format= and the JSON alias
    assert http.get("/sparql", params={"query": q, "format": "csv"}).headers["content-type"].startswith("text/csv")
    assert http.get("/sparql", params={"query": q}, headers={"Accept": "application/json"}).json()["head"]


def test_typed_values_survive_every_format(http):
    q = ('SELECT ?i ?d ?l ?s ?u WHERE { BIND(3 AS ?i) BIND("1951-06-05"^^<http://www.w3.org/2001/XMLSchema#date> '
         'AS ?d) BIND("chat"@fr AS ?l) BIND("a \\"q\\"\\tb" AS ?s) BIND(<http://x.org/a> AS ?u) }')
    for fmt in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.TSV):
        media = {ox.QueryResultsFormat.JSON: JSON, ox.QueryResultsFormat.XML: XML,
                 ox.QueryResultsFormat.TSV: "text/tab-separated-values"}[fmt]
        r = http.get("/sparql", params={"query": q}, headers={"Accept": media})
        sol = next(iter(ox.parse_query_results(r.content, format=fmt)))
        assert sol["i"] == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        assert sol["d"].datatype.value.endswith("#date")
        assert sol["l"] == ox.Literal("chat", language="fr")
        assert sol["s"].value == 'a "q"\tb'
        assert sol["u"] == ox.NamedNode("http://x.org/a")


@pytest.mark.parametrize("media", [JSON, XML, "text/csv", "text/tab-separated-values"])
def test_ask_in_every_format(http, media):
    r = http.get("/sparql", params={"query": "ASK { ?s a <https://schema.org/Person> }"}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "true" in r.text


@pytest.mark.parametrize("media, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD),
                                        ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_construct_and_describe_in_every_rdf_format(http, media, fmt):
    q = ("CONSTRUCT { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?n } WHERE "
         "{ ?p a <https://schema.org/Person> ; <https://schema.org/name> ?n }")
    r = http.post("/sparql", data={"query": q}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    triples = list(ox.parse(r.content, format=fmt))
    assert ox.Literal("Joseph Stalin") in {t.object for t in triples}
    r = http.get("/sparql", params={"query": f"DESCRIBE <{BASE}person/stalin>"}, headers={"Accept": media})
    assert r.status_code == 200
    assert any(str(t.subject) == f"<{BASE}person/stalin>" for t in ox.parse(r.content, format=fmt))


def test_construct_cannot_be_csv(http):
    r = http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_service_description(http):
    r = http.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    svc = f"<{BASE}sparql>"
    assert (svc, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{sd}Service>") in g
    assert (svc, f"<{sd}endpoint>", svc) in g
    assert (svc, f"<{sd}supportedLanguage>", f"<{sd}SPARQL11Query>") in g
    assert (svc, f"<{sd}resultFormat>", "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>") in g
    assert any(p == f"<{sd}namedGraph>" for _, p, _ in g)
    browser = http.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"].endswith("/query.html")


def test_default_and_named_graph_parameters(http):
    g = f"{BASE}graph/000-5ae8a120279738db"
    q = "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <https://w3id.org/cable-kg/ns#Document> }"
    r = http.get("/sparql", params={"query": q, "default-graph-uri": g}, headers={"Accept": JSON})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = http.get("/sparql", params={"query": q, "named-graph-uri": g}, headers={"Accept": JSON})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [g]
    r = http.get("/sparql", params={"query": q, "named-graph-uri": "not an iri"}, headers={"Accept": JSON})
    assert r.status_code == 400


def test_cors_for_reads(http):
    r = http.get("/sparql", params={"query": COUNT}, headers={"Origin": "https://app.example", "Accept": JSON})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "X-Results-Capped" in r.headers["access-control-expose-headers"]
    r = http.options("/sparql", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200 and "POST" in r.headers["access-control-allow-methods"]


def test_bad_requests(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400 and "not a valid SPARQL query" in r.text
    r = http.get("/sparql", params=[("query", COUNT), ("query", COUNT)])
    assert r.status_code == 400
    r = http.post("/sparql", content=b"x", headers={"Content-Type": "application/json"})
    assert r.status_code == 415
    r = http.post("/sparql", data={"nothing": "here"})
    assert r.status_code == 400


# ------------------------------------------------------------------ read-only

UPDATES = [
    "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }",
    "insert data { <http://e.org/a> <http://e.org/b> <http://e.org/c> }",
    "InSeRt DaTa { <http://e.org/a> <http://e.org/b> <http://e.org/c> }",
    "PREFIX ex: <http://e.org/>\nINSERT DATA { GRAPH ex:g { ex:a ex:b ex:c } }",
    "# a comment first\nINSERT DATA { <http://e.org/a> <http://e.org/b> 1 }",
    "DELETE DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete where { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <http://e.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT { ?s <http://e.org/p> 1 } WHERE { ?s ?p ?o }",
    "CLEAR ALL", "clear default", "CLEAR GRAPH <http://e.org/g>", "CLEAR SILENT NAMED",
    "DROP ALL", "drop graph <http://e.org/g>", "DROP SILENT GRAPH <http://e.org/g>", "dRoP dEfAuLt",
    "CREATE GRAPH <http://e.org/g>",
    "LOAD <http://example.org/data.ttl>", "load silent <http://example.org/x> into graph <http://e.org/g>",
    "LOAD <file:///etc/passwd>",
    "ADD <http://e.org/a> TO <http://e.org/b>", "MOVE DEFAULT TO <http://e.org/b>",
    "COPY <http://e.org/a> TO <http://e.org/b>",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://e.org/a> <http://e.org/b> 1 }",
    "SELECT * WHERE { ?s ?p ?o }\nDROP ALL",
    "CLEAR ALL ; SELECT * WHERE { ?s ?p ?o }",
]
SERVICES = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o { SELECT ?x WHERE { SERVICE <http://example.org/s> { ?x ?y ?z } } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/s> { ?s ?y ?z } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { service <http://example.org/s> { ?s ?y ?z } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://example.org/s> { ?s ?y ?z } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://example.org/s> { ?s ?y ?z } } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://example.org/s> { ?s ?p ?o } } }",
    "SELECT * WHERE { GRAPH ?g { SERVICE <http://example.org/s> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o BIND(EXISTS { SERVICE <http://example.org/s> { ?s ?p ?o } } AS ?x) }",
    "SELECT * WHERE { VALUES ?e { <http://example.org/s> } SERVICE ?e { ?s ?p ?o } }",
    "ASK { SERVICE <http://example.org/s> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
    "PREFIX e: <http://example.org/>\nSELECT * WHERE {\n  SERVICE\n    e:sparql\n  { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . FILTER(EXISTS { ?s ?p ?o . SERVICE <http://x.org/s> {} }) }",
    r"SELECT * WHERE { \u0053ERVICE <http://example.org/s> { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0073ervice <http://example.org/s> { ?s ?p ?o } }",
]
HARMLESS = [
    'SELECT ?service WHERE { ?service ?p "INSERT DATA { SERVICE }" }',
    "PREFIX service: <http://x.org/> SELECT * WHERE { ?s service:drop ?o } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # DROP ALL, LOAD <x>, SERVICE <y>",
    "SELECT * WHERE { ?s <http://x.org/service> ?o } LIMIT 1",
    "SELECT ?load ?drop WHERE { BIND('clear' AS ?load) BIND(\"\"\"SERVICE <x> {}\"\"\" AS ?drop) }",
]


@pytest.mark.parametrize("text", UPDATES)
def test_the_read_only_check_refuses_updates(text):
    v = check(text)
    assert v.status == 403 and "read-only" in v.message, (text, v)


@pytest.mark.parametrize("text", SERVICES)
def test_the_read_only_check_refuses_service_anywhere(text):
    v = check(text)
    assert v.status == 403 and "SERVICE" in v.message, (text, v)


@pytest.mark.parametrize("text", HARMLESS)
def test_the_read_only_check_lets_harmless_look_alikes_through(text):
    assert check(text).ok, text


def test_verdicts_cached_by_shape_keep_refusing_and_accepting():
    from cable_kg.web.guard import shape

    a = "SELECT * WHERE { SERVICE <http://a.org/s> { ?s ?p 'x' } } LIMIT 1"
    b = "select * where { service <http://b.org/other> { ?s ?p 'y' } } limit 99 # another"
    assert shape(a) != shape(b)  # keywords keep their spelling: both are checked in full
    assert check(a).status == check(b).status == 403
    c = 'SELECT ?x WHERE { ?x <http://p.org/a> "one" } LIMIT 5'
    d = 'SELECT ?x WHERE { ?x <http://p.org/b> "two" } LIMIT 6  # comment'
    assert shape(c) == shape(d) and check(c).ok and check(d).ok
    assert check("SELECT ?x WHERE { ?x ?p ?o } LIMIT").status == 400


@pytest.mark.parametrize("text", UPDATES[::3] + SERVICES[::3])
def test_the_endpoint_refuses_before_the_store_sees_anything(http, text):
    before = count_rows(http)
    for r in (http.get("/sparql", params={"query": text}),
              http.post("/sparql", data={"query": text}),
              http.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 403, (text, r.status_code, r.text)
        assert "not allowed" in r.text
    assert count_rows(http) == before


def test_update_by_any_protocol_route_is_refused(http):
    ins = "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }"
    assert http.post("/sparql", data={"update": ins}).status_code == 403
    assert http.get("/sparql", params={"update": ins}).status_code == 403
    r = http.post("/sparql", content=ins, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403 and "read-only" in r.text
    assert http.put("/sparql", content=ins).status_code == 405
    assert http.delete("/sparql").status_code == 405


def test_harmless_look_alikes_run(http):
    for text in HARMLESS:
        r = http.get("/sparql", params={"query": text}, headers={"Accept": JSON})
        assert r.status_code == 200, (text, r.text)


# ------------------------------------------------------------------ limits

def test_oversized_body_is_413(http):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20000
    assert http.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert http.post("/sparql", data={"query": big}).status_code == 413

    def chunks():  # no Content-Length: the limit applies to what is streamed
        for _ in range(40):
            yield b"x" * 1024

    r = http.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_oversized_url_is_414(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000})
    assert r.status_code == 414 and "POST" in r.text
    assert http.get("/telegram/" + "y" * 5000).status_code == 414


def test_results_are_capped_and_say_so(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": JSON})
    assert r.status_code == 200
    assert r.headers["x-results-capped"] == "true" and r.headers["x-results-cap"] == str(CAP)
    body = r.json()
    assert body["capped"] is True and len(body["results"]["bindings"]) == CAP
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert r.headers["x-results-capped"] == "true" and len(list(csv.reader(io.StringIO(r.text)))) == CAP + 1
    r = http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert r.headers["x-results-capped"] == "true"
    r = http.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {CAP}"}, headers={"Accept": JSON})
    assert "x-results-capped" not in r.headers and "capped" not in r.json()


def test_a_query_past_the_time_limit_is_stopped_while_others_are_answered(server, http):
    pool = server.server.config.app.state.cable.pool
    killed = pool.killed

    def slow():
        with httpx.Client(base_url=server.url, timeout=30) as c:
            t = time.monotonic()
            r = c.get("/sparql", params={"query": SLOW}, headers={"Accept": JSON})
            return r, time.monotonic() - t

    with ThreadPoolExecutor(2) as ex:
        future = ex.submit(slow)
        time.sleep(0.2)
        answered = []
        while not future.done():
            t = time.monotonic()
            a = http.get("/sparql", params={"query": COUNT}, headers={"Accept": JSON})
            b = http.get("/telegram/r112096.html")
            answered.append((a.status_code, b.status_code, time.monotonic() - t))
            time.sleep(0.05)
        r, took = future.result()
    assert r.status_code == 503 and "time limit" in r.text
    assert TIMEOUT <= took < TIMEOUT + 3
    assert len(answered) >= 3
    assert all(a == 200 and b == 200 and dt < 1.0 for a, b, dt in answered), answered
    assert pool.killed == killed + 1
    deadline = time.monotonic() + 20  # a fresh worker replaces the killed one
    while pool.idle() < pool.size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.live == pool.size
    assert count_rows(http) > 0
    # a client may ask for less time, not more
    r = http.get("/sparql", params={"query": SLOW, "timeout": "0.3"})
    assert r.status_code == 503 and "0.3 s" in r.text


# ------------------------------------------------------------------ clients

def test_rdflib_sparqlstore_as_a_client(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(f"{server.url}/sparql", returnFormat="json"))
    rows = list(g.query("SELECT ?name WHERE { ?p a <https://schema.org/Person> ; <https://schema.org/name> ?name }"))
    assert "Joseph Stalin" in {str(r[0]) for r in rows}
    assert bool(g.query("ASK { ?s a <https://w3id.org/cable-kg/ns#Document> }").askAnswer)


def test_sparqlwrapper_as_a_client(server):
    from SPARQLWrapper import JSON as SW_JSON
    from SPARQLWrapper import POST, SPARQLWrapper

    for method in (None, POST):
        w = SPARQLWrapper(f"{server.url}/sparql")
        if method:
            w.setMethod(method)
        w.setQuery(COUNT)
        w.setReturnFormat(SW_JSON)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = w.query().convert()
        assert int(res["results"]["bindings"][0]["n"]["value"]) > 40


def test_remote_engine_on_our_endpoint_gives_the_embedded_rows(server, local):
    remote = RemoteEngine(f"{server.url}/sparql", timeout=20)
    for q in list_queries():
        params = {"id": "112096"} if q.name == "telegram" else {"telegram": "3410@1951-06-05"} \
            if q.name == "thread" else {}
        if any(p.name not in params and not p.optional for p in q.params):
            continue
        a = run(local, q, params, BASE)
        b = run(remote, q, params, BASE)
        assert a.columns == b.columns, q.name
        assert sorted(map(repr, a.rows)) == sorted(map(repr, b.rows)), q.name


def test_the_snapshot_is_not_the_store(server, store):
    st = server.server.config.app.state.cable
    assert st.snapshot_dir is not None and Path(st.store.path).is_relative_to(st.snapshot_dir)
    with Store(store) as writable:  # the server holds no lock on the store itself
        assert len(writable) > 0


def test_json_field_on_queries_is_plain(http):
    r = http.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(1 AS ?x) }"}, headers={"Accept": JSON})
    assert json.loads(r.text) == {"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
