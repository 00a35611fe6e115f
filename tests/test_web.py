"""The linked-data site through an in-process client: dereferencing (303 by
Accept, documents by extension), the HTML pages, the dataset description,
the dumps, the base-IRI mapping and the snapshot."""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import DATA, FIXTURES

with warnings.catch_warnings():  # starlette's note about httpx2
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from cable_kg.cli import main
from cable_kg.web import Settings, create_app
from cable_kg.web.negotiate import best

BASE = "https://cable-kg.example.org/"
T3410 = "telegram/1951-06-05-3410-stalin"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CK = "https://w3id.org/cable-kg/ns#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PATHS = {  # one resource of every kind cable-kg mints
    "telegram": T3410,
    "embedded telegram": "telegram/r112096-e1",
    "person": "person/stalin",
    "place": "place/beijing",
    "unit": "unit/13th-army-group",
    "operation": "operation/fifth-operation",
    "month": "month/1951-06",
    "year": "year/1951",
    "source graph": "graph/000-5ae8a120279738db",
    "mention": f"{T3410}/mention/0-12",
    "citation": f"{T3410}/cited/1",
    "event": f"{T3410}/event/1",
}


def load(store: Path, base: str = BASE) -> Path:
    result = CliRunner().invoke(main, ["load", str(DATA), str(FIXTURES), "--store", str(store), "--base-iri", base])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return load(tmp_path_factory.mktemp("web") / "store")


@pytest.fixture(scope="module")
def client(store):
    app = create_app(Settings(store=store, timeout=5, workers=1, cap=1000))
    with TestClient(app, follow_redirects=False) as c:
        yield c


def graph(response) -> set:
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}[
        response.headers["content-type"].split(";")[0]]
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(response.content, format=fmt)}


# ------------------------------------------------------------------ negotiation

def test_accept_header_quality_values():
    offered = ["text/html", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
    assert best("text/turtle;q=0.5, application/ld+json;q=0.9", offered) == "application/ld+json"
    assert best("application/ld+json;q=0, text/turtle", offered) == "text/turtle"
    assert best(BROWSER, offered) == "text/html"
    assert best("*/*", offered) == "text/html"
    assert best(None, offered) == "text/html"
    assert best("text/*;q=0.3, application/rdf+xml;q=0.2", offered) == "text/html"
    assert best("application/x-turtle", offered) == "text/turtle"
    assert best("image/png", offered) is None


@pytest.mark.parametrize("kind", sorted(PATHS))
@pytest.mark.parametrize("accept, ext", [
    ("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdf"), (BROWSER, "html"), ("*/*", "html"), (None, "html"),
    ("text/turtle;q=0.4, application/ld+json;q=0.8, text/html;q=0.1", "jsonld"),
])
def test_every_kind_of_iri_answers_303_to_the_document_the_accept_header_asks_for(client, kind, accept, ext):
    headers = {"Accept": accept} if accept else {}
    r = client.get(f"/{PATHS[kind]}", headers=headers)
    assert r.status_code == 303, (kind, r.text)
    assert r.headers["location"] == f"/{PATHS[kind]}.{ext}"
    assert "Accept" in r.headers["vary"]


def test_an_unacceptable_type_is_406(client):
    r = client.get(f"/{T3410}", headers={"Accept": "image/png"})
    assert r.status_code == 406


@pytest.mark.parametrize("ext, media", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                        ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml")])
def test_documents_by_extension_hold_the_resources_triples(client, store, ext, media):
    r = client.get(f"/{T3410}.{ext}", headers={"Accept": "text/html"})  # the extension wins over Accept
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-location"] == f"/{T3410}.{ext}"
    assert "Accept" in r.headers["vary"]
    triples = graph(r)
    iri = f"<{BASE}{T3410}>"
    assert (iri, f"<{RDF_TYPE}>", f"<{CK}Document>") in triples
    assert (iri, "<https://schema.org/sender>", f"<{BASE}person/stalin>") in triples
    # everything the store says about it is in its document, and its mentions too
    snapshot = client.app.state.cable.store
    stored = {(iri, str(r["p"]), str(r["o"])) for r in snapshot.query(f"SELECT ?p ?o WHERE {{ {iri} ?p ?o }}")}
    assert stored and stored <= triples
    assert {t for t in triples if t[0] == iri} == stored
    assert any("/mention/" in t[0] for t in triples)
    # labels of what it names come along
    assert (f"<{BASE}person/stalin>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"Joseph Stalin"') in triples


def test_the_four_rdf_documents_say_the_same(client):
    docs = [graph(client.get(f"/{T3410}.{ext}")) for ext in ("ttl", "nt", "jsonld", "rdf")]
    assert docs[0] == docs[1] == docs[2] == docs[3]


def test_unknown_paths_are_404(client):
    assert client.get("/telegram/no-such-telegram").status_code == 404
    assert client.get("/telegram/no-such-telegram.ttl").status_code == 404
    assert client.get(f"/{T3410}.pdf").status_code == 404
    r = client.get("/nowhere", headers={"Accept": BROWSER})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_head_and_etag(client):
    r = client.head(f"/{T3410}.ttl")
    assert r.status_code == 200 and r.content == b""
    tag = client.get(f"/{T3410}.ttl").headers["etag"]
    assert client.get(f"/{T3410}.ttl", headers={"If-None-Match": tag}).status_code == 304


def test_cors_on_documents(client):
    r = client.get(f"/{T3410}.ttl", headers={"Origin": "https://elsewhere.example"})
    assert r.headers["access-control-allow-origin"] == "*"


# ------------------------------------------------------------------ HTML pages

def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_telegram_page_highlights_the_extracted_facts_over_the_page_text(client):
    r = client.get(f"/{T3410}.html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "Ciphered Telegram No. 3410" in html
    # header facts, linked to local pages by relative links
    assert '<a href="../person/stalin.html">Joseph Stalin</a>' in html
    assert '<a href="../person/mao-zedong.html">Mao Zedong</a>' in html
    # highlighted spans of every kind, over the page text
    for kind in ("person", "place", "date", "citation"):
        assert f'class="m m-{kind}' in html or f" m-{kind}" in html, kind
    text = re.search(r'<pre class="page-text">(.*?)</pre>', html, re.DOTALL).group(1)
    assert re.search(r'<a class="m[^"]*m-person[^"]*" href="../person/peng-dehuai.html"[^>]*>Peng Dehuai</a>', text)
    assert re.search(r'<a class="m[^"]*m-place[^"]*" href="../place/korea.html"[^>]*>Korea</a>', text)
    # a date links to its month
    assert re.search(r'<a class="m[^"]*m-date[^"]*" href="../month/1951-06.html"[^>]*>June 5, 1951</a>', text)
    # the cited telegram links to the telegram it resolved to
    assert re.search(r'class="m[^"]*m-citation[^"]*" href="r117705.html"', text)
    # without tags, the page text is the source text, unchanged
    import html as h

    plain = h.unescape(re.sub(r"<[^>]+>", "", text))
    assert plain.startswith("June 5, 1951\nCiphered Telegram No. 3410")
    assert "FILIPPOV [Stalin]" in plain


def test_telegram_page_draws_its_thread_and_timeline_position(client):
    html = client.get(f"/{T3410}.html").text
    thread = re.search(r'<svg class="thread".*?</svg>', html, re.DOTALL).group(0)
    assert 'href="r117705.html"' in thread and 'href="r117710.html"' in thread  # answers and is answered
    assert 'class="node current"' in thread
    assert "placeholder" in thread  # a cited telegram the collection lacks
    assert '<svg class="timeline"' in html and 'class="bar current"' in html
    assert "Telegram " in html and " in date order (1951-06-05)" in html
    assert 'href="../timeline.html"' in html


def test_embedded_telegram_page_shows_its_part_of_the_page(client):
    html = client.get("/telegram/r112096-e1.html").text
    assert "Carried by" in html and 'href="r112096.html"' in html


@pytest.mark.parametrize("path, expect", [
    ("person/stalin", ["Joseph Stalin", "r112096.html", "sender", "Written as"]),
    ("place/beijing", ["Beijing", "origin"]),
    ("operation/fifth-operation", ["fifth operation", "discussed"]),
    ("unit/13th-army-group", ["13th Army Group"]),
])
def test_person_place_and_operation_pages_list_their_telegrams(client, path, expect):
    r = client.get(f"/{path}.html")
    assert r.status_code == 200
    assert "Telegrams (" in r.text
    for e in expect:
        assert e.lower() in r.text.lower(), e
    assert '<table class="telegram-list">' in r.text


@pytest.mark.parametrize("path", ["month/1951-06", "year/1951", "graph/000-5ae8a120279738db",
                                  f"{T3410}/mention/0-12", f"{T3410}/cited/1", f"{T3410}/event/1",
                                  "telegram/r112096/copy/1"])
def test_other_resources_have_pages(client, path):
    r = client.get(f"/{path}.html")
    assert r.status_code == 200, r.text
    assert f"<code>{BASE}{path}</code>" in r.text


def test_site_pages(client):
    for path, words in [("/", ["Telegrams", "telegram/r112096.html", "dump/cable-kg.trig"]),
                        ("/index.html", ["Telegrams"]),
                        ("/people.html", ["person/stalin.html"]),
                        ("/places.html", ["place/beijing.html"]),
                        ("/operations.html", ["operation/"]),
                        ("/timeline.html", ["<canvas"]),
                        ("/query.html", ["saved-queries", "telegrams"])]:
        r = client.get(path)
        assert r.status_code == 200, path
        for w in words:
            assert w in r.text, (path, w)
    assert client.get("/query").status_code == 301


def test_root_redirects_rdf_clients_to_the_dataset_description(client):
    r = client.get("/", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"] == "/.well-known/void"


def test_query_page_runs_a_saved_query_with_its_parameters(client):
    r = client.get("/query.html", params={"saved": "telegram", "p.id": "112096", "run": "1"})
    assert r.status_code == 200
    table = re.search(r'<table class="results" id="results">.*?</table>', r.text, re.DOTALL).group(0)
    assert "<th>property</th>" in table and "https://schema.org/sender" in table
    # a bad parameter is a clear error, not a crash
    r = client.get("/query.html", params={"saved": "timeline", "p.from": "not-a-date", "run": "1"})
    assert r.status_code == 400 and "not a valid date" in r.text
    # an edited query runs as written; refused text is refused here too
    r = client.get("/query.html", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "run": "1"})
    assert r.status_code == 200 and "<th>n</th>" in r.text
    r = client.get("/query.html", params={"query": "DROP ALL", "run": "1"})
    assert r.status_code == 403 and "read-only" in r.text


def test_search_over_titles_and_text(client):
    r = client.get("/search.html", params={"q": "Poles artillery"})
    assert r.status_code == 200
    assert f'href="{T3410.split("/")[1]}.html"' in r.text or f'href="{T3410}.html"' in r.text
    assert "<mark>" in r.text
    r = client.get("/search.html", params={"q": 'nothing" } UNION { ?s ?p ?o'})  # words are literals
    assert r.status_code == 200 and "0 telegrams" in r.text


# ------------------------------------------------------------------ dataset description and dumps

def test_void_and_dcat_description(client, store):
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = graph(r)
    ds = f"<{BASE}.well-known/void#dataset>"
    assert (ds, f"<{RDF_TYPE}>", "<http://rdfs.org/ns/void#Dataset>") in g
    assert (ds, f"<{RDF_TYPE}>", "<http://www.w3.org/ns/dcat#Dataset>") in g
    assert (ds, "<http://rdfs.org/ns/void#sparqlEndpoint>", f"<{BASE}sparql>") in g
    assert (ds, "<http://rdfs.org/ns/void#dataDump>", f"<{BASE}dump/cable-kg.nq>") in g
    rights = [o for s, p, o in g if s == ds and p == "<http://purl.org/dc/terms/rights>"]
    assert any("History and Public Policy Program welcomes reuse" in o for o in rights)
    assert any(p == "<http://purl.org/dc/terms/license>" for s, p, o in g if s == ds)
    triples = next(o for s, p, o in g if s == ds and p == "<http://rdfs.org/ns/void#triples>")
    n = int(triples.split('"')[1])
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"Accept": "application/sparql-results+json"}).json()
    assert n == int(count["results"]["bindings"][0]["n"]["value"])
    # provenance: the source files and their record IDs
    assert (f"<{BASE}graph/004-60bdd681175bebb0>", "<http://purl.org/dc/terms/identifier>", '"112096"') in g
    assert any(p == "<http://www.w3.org/ns/prov#wasDerivedFrom>" for s, p, o in g if s == ds)
    assert graph(client.get("/.well-known/void", headers={"Accept": "application/ld+json"})) == g


@pytest.mark.parametrize("name, fmt", [("cable-kg.nq", ox.RdfFormat.N_QUADS), ("cable-kg.trig", ox.RdfFormat.TRIG),
                                       ("cable-kg.ttl", ox.RdfFormat.TURTLE)])
def test_dumps_hold_everything_and_the_description(client, name, fmt):
    r = client.get(f"/dump/{name}")
    assert r.status_code == 200
    quads = list(ox.parse(r.content, format=fmt))
    subjects = {str(q.subject) for q in quads}
    assert f"<{BASE}{T3410}>" in subjects
    assert f"<{BASE}.well-known/void#dataset>" in subjects
    if fmt != ox.RdfFormat.TURTLE:
        assert any(str(q.graph_name) == f"<{BASE}graph/void>" for q in quads)
    assert client.get("/dump/other.nq").status_code == 404


# ------------------------------------------------------------------ base IRI and snapshot

def test_request_paths_map_onto_another_base_iri(tmp_path):
    base = "https://archive.example.net/kg/"
    store = load(tmp_path / "store", base)
    with TestClient(create_app(Settings(store=store, base=base, workers=1)), follow_redirects=False) as c:
        r = c.get("/telegram/r112096.ttl")
        assert r.status_code == 200
        assert f"<{base}telegram/r112096>" in r.text or "telegram:r112096" in r.text
        assert c.get("/telegram/r112096").status_code == 303
        html = c.get("/telegram/r112096.html").text
        assert 'href="../person/mao-zedong.html"' in html  # local links, whatever the base
        void = graph(c.get("/.well-known/void"))
        assert (f"<{base}.well-known/void#dataset>", "<http://rdfs.org/ns/void#uriSpace>", f'"{base}"') in void


def test_the_server_reads_a_snapshot_a_later_load_does_not_change(tmp_path):
    store = tmp_path / "store"
    CliRunner().invoke(main, ["load", str(DATA), "--store", str(store)])
    seed = DATA / "000_5ae8a120279738db.txt"
    with TestClient(create_app(Settings(store=store, workers=1))) as c:
        before = c.get(f"/{T3410}.nt").text
        assert "297/sh" in before
        changed = tmp_path / "in"
        changed.mkdir()
        (changed / seed.name).write_text(seed.read_text(encoding="utf-8").replace("No. 297/sh", "No. 298/sh"),
                                         encoding="utf-8")
        result = CliRunner().invoke(main, ["load", str(changed), "--store", str(store)])
        assert result.exit_code == 0, result.output  # the server holds no lock on the store
        after = c.get(f"/{T3410}.nt").text
        assert "297/sh" in after and "298/sh" not in after
        sparql = c.get("/sparql", params={"query": 'ASK { ?t ?p "298/sh" }'},
                       headers={"Accept": "application/sparql-results+json"})
        assert sparql.json()["boolean"] is False
        snapshots = list(tmp_path.glob(".cable-kg-snapshot-*"))
        assert len(snapshots) == 1
    assert not list(tmp_path.glob(".cable-kg-snapshot-*"))  # removed on shutdown


def test_snapshots_left_by_a_killed_server_are_removed(tmp_path):
    store = tmp_path / "store"
    CliRunner().invoke(main, ["load", str(DATA), "--store", str(store)])
    stale = tmp_path / f".cable-kg-snapshot-{2**22 + 12345}-abc"  # above Linux's pid_max: no such process
    stale.mkdir()
    mine = tmp_path / f".cable-kg-snapshot-{os.getpid()}-live"  # a running server's: kept
    mine.mkdir()
    with TestClient(create_app(Settings(store=store, workers=1))) as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert not stale.exists() and mine.exists()


def test_serve_and_publish_have_help_with_examples():
    for name in ("serve", "publish"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_serve_without_a_store_says_so(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no store" in result.output


def test_json_ld_document_is_json(client):
    doc = json.loads(client.get(f"/{T3410}.jsonld").text)
    assert doc
