"""The static site: the files per resource, the bare-IRI pages standing in
for the 303, the description and dumps, every relative link resolving, and
the same documents the server sends."""

from __future__ import annotations

import html
import json
import re
import warnings
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import DATA

from cable_kg.cli import main
from cable_kg.publish import PublishError, publish
from cable_kg.web import Settings, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "https://cable-kg.example.org/"
T3410 = "telegram/1951-06-05-3410-stalin"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("publish") / "store"
    result = CliRunner().invoke(main, ["load", str(DATA), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def site(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "site"
    result = CliRunner().invoke(main, ["publish", str(out), "--store", str(store),
                                       "--endpoint", "https://cable-kg.example.org/sparql"])
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    return out


def test_one_page_turtle_and_json_ld_per_resource(site, store):
    from cable_kg.store import Store
    from cable_kg.web.site import Site

    with Store(store, read_only=True) as db:
        resources = Site(db, BASE).resources()
    assert len(resources) > 100
    for iri in resources:
        local = iri[len(BASE):]
        for ext in ("html", "ttl", "jsonld"):
            assert (site / f"{local}.{ext}").is_file(), (local, ext)
        assert (site / local / "index.html").is_file(), local


def test_the_bare_iri_page_redirects_and_carries_the_data(site):
    page = (site / T3410 / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../1951-06-05-3410-stalin.html">' in page
    assert '<link rel="alternate" type="text/turtle" href="../1951-06-05-3410-stalin.ttl">' in page
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    triples = list(ox.parse(data.replace("<\\/", "</").encode(), format=ox.RdfFormat.JSON_LD))
    assert any(str(t.subject) == f"<{BASE}{T3410}>" for t in triples)


def test_documents_are_the_ones_the_server_sends(site, store):
    with TestClient(create_app(Settings(store=store, workers=1))) as c:
        for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
            for local in (T3410, "person/stalin", "place/beijing", "month/1951-06"):
                served = set(ox.parse(c.get(f"/{local}.{ext}").content, format=fmt))
                static = set(ox.parse((site / f"{local}.{ext}").read_bytes(), format=fmt))
                assert served == static, (local, ext)
        served = c.get(f"/{T3410}.html").text
    static = (site / f"{T3410}.html").read_text(encoding="utf-8")
    # the same page, except that the static one names no SPARQL endpoint and
    # only the Turtle and JSON-LD documents
    def strip(page: str) -> str:
        for pattern in (r"<footer>.*?</footer>", r'<p class="alternates">.*?</p>', r'<link rel="alternate"[^>]*>'):
            page = re.sub(pattern, "", page, flags=re.DOTALL)
        return re.sub(r"\s+", " ", page)

    assert strip(served) == strip(static)
    assert 'href="1951-06-05-3410-stalin.nt"' in served and 'href="1951-06-05-3410-stalin.nt"' not in static


def test_every_relative_link_resolves(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 300
    missing = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:href|src)="([^"]+)"', text) + re.findall(r"url=([^\"]+)\"", text):
            ref = html.unescape(ref)
            if "://" in ref or ref.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(urldefrag(ref)[0])).resolve()
            if ref.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.exists():
                missing.append((str(page.relative_to(site)), ref))
    assert not missing, missing[:20]


def test_site_pages_description_and_dumps(site):
    for name in ("index.html", "people.html", "places.html", "operations.html", "timeline.html", "query.html",
                 "search.html", "search-index.json", "static/style.css", "static/search.js", ".htaccess",
                 ".nojekyll", "void.ttl", "void.jsonld", ".well-known/void", "dump/cable-kg.nq",
                 "dump/cable-kg.trig", "dump/cable-kg.ttl"):
        assert (site / name).is_file(), name
    void = {(str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse((site / ".well-known/void").read_bytes(), format=ox.RdfFormat.TURTLE)}
    ds = f"<{BASE}.well-known/void#dataset>"
    assert (ds, "<http://rdfs.org/ns/void#sparqlEndpoint>", f"<{BASE}sparql>") in void
    assert any(p == "<http://purl.org/dc/terms/rights>" for s, p, o in void if s == ds)
    quads = list(ox.parse((site / "dump/cable-kg.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert any(str(q.graph_name) == f"<{BASE}graph/void>" for q in quads)
    assert any(str(q.subject) == f"<{BASE}{T3410}>" for q in quads)
    index = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    assert any(e["href"] == f"{T3410}.html" and "Poles" in e["text"] for e in index)
    assert "cable-kg query" in (site / "query.html").read_text(encoding="utf-8")


def test_publish_replaces_its_own_site_and_refuses_other_folders(site, store, tmp_path):
    stale = site / "telegram" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    publish(store, site, BASE)
    assert not stale.exists() and (site / f"{T3410}.html").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(PublishError, match="not a cable-kg site"):
        publish(store, other, BASE)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    result = CliRunner().invoke(main, ["publish", str(other), "--store", str(store)])
    assert result.exit_code == 1 and "not a cable-kg site" in result.output
