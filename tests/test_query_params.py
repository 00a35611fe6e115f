"""Parameters are bound as checked RDF terms: an injection payload in any
parameter of any saved query yields no extra rows."""

from __future__ import annotations

import pytest

from cable_kg.errors import QueryError
from cable_kg.pipeline import load_paths
from cable_kg.queries import LocalEngine, list_queries, prepare, run
from cable_kg.store import Store
from conftest import DATA

PAYLOADS = [
    '" } UNION { ?s ?p ?o } #',
    "> } UNION { ?s ?p ?o } #",
    "x'; DROP ALL; #",
    "1951-01-01\" ) } UNION { ?a ?b ?c",
]


@pytest.fixture(scope="module")
def engine():
    store = Store(None)
    load_paths(store, [DATA])
    return LocalEngine(store)


def test_every_parameter_of_every_saved_query_resists_injection(engine):
    checked = 0
    for q in list_queries():
        for p in q.params:
            for payload in PAYLOADS:
                params = {x.name: _valid(x.type) for x in q.params if not x.optional and x.name != p.name}
                params[p.name] = payload
                try:
                    rows = run(engine, q, params).rows
                except QueryError:
                    checked += 1  # refused as an invalid value: fine
                    continue
                assert rows == [], f"{q.name} -p {p.name} {payload!r} returned rows"
                checked += 1
    assert checked >= len(PAYLOADS) * 3


def test_a_string_payload_is_a_literal_in_the_query(engine):
    from cable_kg.queries import parse_query_text

    q = parse_query_text("t", "# param: name string\nSELECT DISTINCT ?p WHERE { ?p <https://schema.org/name> ?name }")
    text = prepare(engine, q, {"name": '" } UNION { ?s ?p ?o } #'})
    assert 'VALUES (?name) { ("\\" } UNION { ?s ?p ?o } #") }' in text
    assert run(engine, q, {"name": '" } UNION { ?s ?p ?o } #'}).rows == []
    assert len(run(engine, q, {"name": "Mao Zedong"}).rows) == 1


def test_timeline_range_uses_bound_dates(engine):
    from cable_kg.queries import load_query

    q = load_query("timeline")
    all_rows = run(engine, q).records()
    june = run(engine, q, {"from": "1951-06-01", "to": "1951-06-30"}).records()
    assert {r["date"][:7] for r in june} == {"1951-06"}
    assert 0 < len(june) < len(all_rows)


def _valid(kind: str) -> str:
    return {"date": "1951-01-01", "integer": "1", "telegram": "112096"}.get(kind, "x")
