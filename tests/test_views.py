"""Thread and timeline views, through the Engine protocol, on a real store."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES

from cable_kg.link import relink
from cable_kg.pipeline import load_paths
from cable_kg.queries import LocalEngine, Result, load_query, resolve_telegram, run
from cable_kg.rdf.build import DEFAULT_BASE
from cable_kg.store import Store
from cable_kg.views.thread import (
    Edge,
    Node,
    Thread,
    describe_placeholder,
    human_date,
    load_thread,
    load_thread_in_steps,
    render_tree,
    to_dot,
    to_json,
    to_mermaid,
)
from cable_kg.views.timeline import (
    KINDS,
    Item,
    _record,
    group_items,
    load_timeline,
    to_csv,
    to_html,
    to_text,
)
from cable_kg.views.timeline import to_json as timeline_json


class Recording:
    """An Engine that records the SPARQL it is given (any select(sparql) -> Result will do)."""

    def __init__(self, engine):
        self.engine = engine
        self.queries: list[str] = []

    def select(self, sparql: str) -> Result:
        self.queries.append(sparql)
        return self.engine.select(sparql)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("views") / "store")
    assert not load_paths(store, [FIXTURES, DATA], DEFAULT_BASE, workers=1).failed
    relink(store, DEFAULT_BASE)
    return Recording(LocalEngine(store))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("seed-views") / "store")
    load_paths(store, [DATA], DEFAULT_BASE, workers=1)
    relink(store, DEFAULT_BASE)
    return LocalEngine(store)


# ------------------------------------------------------------------ thread


def test_thread_up_and_down_around_3410(engine):
    iri = resolve_telegram(engine, "3410@1951-06-05", DEFAULT_BASE)
    thread = load_thread(engine, iri)
    text = render_tree(thread)
    lines = text.splitlines()
    assert lines[0].startswith("1951-06-05  No. 3410  Joseph Stalin -> Mao Zedong")
    assert '"I received your telegram of June 4' in lines[0]  # the text, not its header
    up = text.split("answered by:")[0]
    down = text.split("answered by:")[1]
    assert "1951-06-04  No. 2580  Mao Zedong -> Joseph Stalin" in up
    assert "    └── 1951-05-29  No. 3153  Joseph Stalin -> Mao Zedong" in up  # what 2580 answers, one level deeper
    assert "[not in the collection] directives from Peng Dehuai" in up
    assert "1951-06-13  No. 3336" in down and "1951-06-13  No. 3488" in down
    only_up = render_tree(load_thread(engine, iri, "up"), "up")
    assert "answered by" not in only_up and "No. 2580" in only_up
    only_down = load_thread(engine, iri, "down")
    assert {e.replied for e in only_down.edges} >= {iri} and "No. 2580" not in render_tree(only_down, "down")


def test_a_placeholder_in_the_thread_says_what_the_citation_says(seeds):
    iri = resolve_telegram(seeds, "3410@1951-06-05", DEFAULT_BASE)
    text = render_tree(load_thread(seeds, iri, "up"), "up")
    line = next(ln for ln in text.splitlines() if "4 June" in ln)
    assert line.endswith("[not in the collection] a telegram of 4 June 1951 from Mao Zedong to Joseph Stalin, "
                         "not in the collection")
    assert "1951-06-04  Mao Zedong -> Joseph Stalin" in line


def test_the_order_478_placeholder_is_peng_s_telegram_of_27_january_24_00(seeds):
    order = resolve_telegram(seeds, "478", DEFAULT_BASE)
    text = render_tree(load_thread(seeds, order, "up"), "up")
    assert "[not in the collection] a telegram of 27 January 1951, 24:00 from Peng Dehuai to Mao Zedong" in text


def test_words_for_dates_and_placeholders():
    assert human_date("1951-01-28T00:00:00") == "27 January 1951, 24:00"
    assert human_date("1951-06-13T19:55:00") == "13 June 1951, 19:55"
    assert describe_placeholder("note", ["1950-02-07"], sender="Andrei Vyshinsky", recipients="Zhou Enlai") == \
        "a note of 7 February 1950 from Andrei Vyshinsky to Zhou Enlai, not in the collection"
    assert describe_placeholder("telegram", ["1951-06-13"], plural=True, ambiguous=2).endswith(
        ": 2 telegrams in the collection match it equally")


def test_one_reply_to_two_telegrams_is_a_graph_not_a_tree(engine):
    iri = resolve_telegram(engine, "3488@1951-06-13", DEFAULT_BASE)
    thread = load_thread(engine, iri, "up")
    answered = {thread.nodes[e.replied].number for e in thread.answers(iri)}
    assert answered == {"3336", "3341"}


def test_json_dot_and_mermaid(engine):
    iri = resolve_telegram(engine, "3410@1951-06-05", DEFAULT_BASE)
    thread = load_thread(engine, iri)
    data = json.loads(to_json(thread))
    assert data["telegram"] == iri
    assert {n["iri"] for n in data["nodes"]} == set(thread.nodes)
    assert len(data["edges"]) == len(thread.edges) >= 4
    assert any(n["placeholder"] for n in data["nodes"])
    dot = to_dot(thread)
    assert dot.startswith("digraph thread {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == len(thread.edges) and "style=dashed" in dot and "penwidth=2" in dot
    mermaid = to_mermaid(thread)
    assert mermaid.startswith("flowchart BT")
    assert len(re.findall(r"^  n\d+ (?:-- [\d.]+ )?--> n\d+$", mermaid, re.M)) == len(thread.edges)
    assert re.search(r"^  class n\d+ placeholder;$", mermaid, re.M)


def test_formats_escape_what_they_quote():
    t = Thread("a", {"a": Node("a", "1951-06-05", "day", text='He said "no" <b>x</b> and left the room quickly.'),
                     "b": Node("b", "1951-06-04", "day", sender='Mao "Zedong"', placeholder=True, label="x")},
               [Edge("a", "b", 0.5, "e")])
    dot = to_dot(t)
    assert '\\"no\\"' in dot and 'Mao \\"Zedong\\"' in dot
    mermaid = to_mermaid(t)
    assert '"no"' not in mermaid and "#quot;no#quot;" in mermaid and "<b>" not in mermaid


def test_tree_shows_a_node_reached_twice_once_and_survives_a_cycle():
    nodes = {k: Node(k, f"1951-06-0{i}", "day", number=k) for i, k in enumerate("abcd", 1)}
    t = Thread("a", nodes, [Edge("a", "b"), Edge("a", "c"), Edge("b", "d"), Edge("c", "d"), Edge("d", "a")])
    text = render_tree(t, "up")
    assert text.count("No. d") == 2 and text.count("(see above)") >= 1
    assert len(text.splitlines()) < 12


class NoLateral(Recording):
    """An endpoint that knows SPARQL 1.1 only."""

    def select(self, sparql: str) -> Result:
        from cable_kg.errors import QueryError

        if "LATERAL" in sparql:
            raise QueryError("SPARQL syntax error: LATERAL")
        return super().select(sparql)


def test_the_thread_in_sparql_1_1_steps_is_the_same_thread(engine):
    for number in ("3410@1951-06-05", "3488@1951-06-13", "16052"):
        iri = resolve_telegram(engine, number, DEFAULT_BASE)
        plain = NoLateral(engine.engine)
        one, steps = load_thread(engine, iri), load_thread(plain, iri)
        assert plain.queries and not any("LATERAL" in q for q in plain.queries[1:])
        assert steps.edges == one.edges and set(steps.nodes) == set(one.nodes)
        assert render_tree(steps) == render_tree(one)
        up = load_thread(engine, iri, "up")
        assert render_tree(load_thread_in_steps(engine, iri, "up"), "up") == render_tree(up, "up")


def test_saved_thread_query_agrees_with_the_view(engine):
    iri = resolve_telegram(engine, "3410@1951-06-05", DEFAULT_BASE)
    saved = run(engine, load_query("thread"), {"telegram": iri}, DEFAULT_BASE)
    assert saved.columns[:3] == ["direction", "node", "parent"]
    records = saved.records()
    assert [r["direction"] for r in records].count("self") == 1
    view = load_thread(engine, iri)
    edges = {(r["parent"], r["node"]) if r["direction"] == "up" else (r["node"], r["parent"])
             for r in records if r["direction"] != "self"}
    assert edges == {(e.citing, e.replied) for e in view.edges}
    assert "cito:repliesTo*" in load_query("thread").text


# ------------------------------------------------------------------ timeline


def test_timeline_range_reads_the_month_index_only(engine):
    engine.queries.clear()
    items = load_timeline(engine, date(1951, 1, 1), date(1951, 1, 31))
    assert items and all("1951-01" <= i.date[:7] <= "1951-01" for i in items)
    assert {i.kind for i in items} >= {"telegram", "operation"}
    # the items through the month (and year) index nodes of the range, one query per kind; the
    # names of what they name, by IRI; the few places, once
    scoped = [q for q in engine.queries if "?item" in q]
    assert len(scoped) == 2 and all("?item ?index ?node" in q for q in scoped)
    assert all(re.findall(r"/month/(\d{4}-\d{2})>", q) == ["1951-01"] for q in scoped)
    assert all(re.findall(r"/year/(\d{4})>", q) == ["1951"] for q in scoped)
    assert not any(re.search(r"FILTER\s*\(\s*\??(when|d|date)\b", q) for q in engine.queries)
    assert [i.date for i in items] == sorted(i.date for i in items)


def test_timeline_items_carry_what_their_telegram_says(engine):
    """The facts of each item, read in one query per kind, are those of the item."""
    items = load_timeline(engine, date(1951, 6, 1), date(1951, 6, 30))
    by_iri = {(i.iri, i.telegram): i for i in items}
    tg = by_iri[("https://cable-kg.example.org/telegram/1951-06-05-3410-stalin", None)]
    assert tg.kind == "telegram" and tg.precision == "day" and tg.number == "3410"
    assert tg.sender == ["Joseph Stalin"] and tg.recipients == ["Mao Zedong"]
    rows = engine.select("""PREFIX schema: <https://schema.org/> PREFIX ck: <https://w3id.org/cable-kg/ns#>
        SELECT DISTINCT ?name WHERE { <https://cable-kg.example.org/telegram/1951-06-05-3410-stalin>
        ck:origin|ck:destination|schema:mentions ?p . ?p a schema:Place ; schema:name ?name }""").records()
    assert tg.places == sorted(r["name"] for r in rows)
    ops = [i for i in items if i.kind == "operation" and i.telegram == tg.iri]
    assert all(o.date == tg.date and o.sender == tg.sender and o.label.endswith(tg.label) for o in ops)
    events = [i for i in items if i.kind == "event"]
    assert all(i.precision in ("day", "month", "year", "minute") and i.label for i in events)


@pytest.mark.parametrize("span", [(date(1951, 1, 1), date(1951, 12, 31)), (None, None)])
def test_timeline_on_a_remote_engine_reads_the_same(engine, span):
    """An engine that is not the embedded store answers through select() (one query at a time):
    the same items as the store read as TSV (two queries at a time); with no range, the items
    read by kind, not through the index nodes, are the same as a range over all of them."""
    local = LocalEngine(engine.engine.store)
    items = load_timeline(local, *span)
    assert items == load_timeline(engine, *span)
    if span == (None, None):
        assert items == load_timeline(local, date(1900, 1, 1), date(1999, 12, 31))


def test_timeline_filters_by_person_and_place(engine):
    peng = load_timeline(engine, person="peng")
    assert peng and all(any("Peng" in p for p in i.people) for i in peng)
    assert any(i.kind == "telegram" and i.sender == ["Peng Dehuai"] for i in peng)
    places = load_timeline(engine, place="pyongyang")
    assert places and all(any("Pyongyang" in p for p in i.places) for i in places)
    assert len(load_timeline(engine, date(1952, 1, 1), date(1952, 12, 31), person="Mao")) < len(
        load_timeline(engine, person="Mao"))


def test_timeline_formats_show_the_precision():
    items = [Item("1951-04", "month", "event", "e/1", "the spring offensive", actors=["Peng Dehuai"]),
             Item("1951-04-22", "day", "telegram", "t/1", "Cable No. 1", number="1", sender=["Mao Zedong"],
                  recipients=["Joseph Stalin"]),
             Item("1951", "year", "event", "e/2", "a year")]
    text = to_text(items)
    assert "1951-04 (month)" in text and "1951-04-22 (day)" in text and "1951 (year)" in text
    assert "[Mao Zedong -> Joseph Stalin]" in text
    rows = list(csv.DictReader(io.StringIO(to_csv(items))))
    assert rows[0]["precision"] == "month" and rows[1]["sender"] == "Mao Zedong"
    data = json.loads(timeline_json(items))
    assert data[0]["start"] == "1951-04-01" and data[0]["end"] == "1951-04-30" and data[2]["end"] == "1951-12-31"


def test_timeline_html_is_one_self_contained_page(engine):
    items = load_timeline(engine)
    items.append(Item("1951-05-01", "day", "event", "e/x", "</script><script>alert(1)</script> <!-- x"))
    page = to_html(items, title="Telegrams <1951>")
    template = resources.files("cable_kg.views").joinpath("timeline.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://|<script[^>]+src=|<link\b|@import|url\(", template)
    assert "<title>Telegrams &lt;1951&gt;</title>" in page
    assert page.count("</script>") == 2  # the data's own "</script>" is escaped
    data = _page_data(page)
    assert data["total"] == len(items) and data["grain"] is None
    assert len(data["items"]) == len(items) and data["items"][-1]["label"].startswith("</script>")
    assert {"lanes", "wheel", "canvas"} <= set(re.findall(r"[a-z]+", page))


def _page_data(page: str) -> dict:
    raw = re.search(r'<script id="timeline-data" type="application/json">(.*?)</script>', page, re.DOTALL).group(1)
    return json.loads(raw)


def _many(n: int) -> list[Item]:
    people = ["Mao Zedong", "Joseph Stalin", "Peng Dehuai"]
    out = []
    for k in range(n):
        day = date(1950, 1, 1).toordinal() + (k * 7) % 1400
        when = date.fromordinal(day).isoformat()
        kind = KINDS[k % 3]
        out.append(Item(when, "day", kind, f"x/{k}", f"item {k}", sender=[people[k % 3]] if kind != "event" else [],
                        recipients=[people[(k + 1) % 3]] if kind != "event" else [],
                        actors=[people[k % 3]] if kind == "event" else [], places=["Pyongyang"],
                        operation="fifth operation" if kind == "operation" else None))
    out.append(Item("1951-04", "month", "event", "x/m", "a month", actors=["Kim Il Sung"]))
    return out


def test_timeline_html_groups_what_is_too_many_to_draw():
    items = _many(3000)
    records, grain = group_items(items, limit=2000)
    assert grain == "day" and len(records) <= 2000
    assert sum(r["count"] for r in records) == len(items)
    # a group is one kind, one lane, one operation, within its grain; it keeps names and places
    assert all(len({r["kind"]}) == 1 and r["start"] <= r["end"] for r in records)
    month = [r for r in records if r.get("actors") == ["Kim Il Sung"]]
    assert month == [{**month[0], "date": "1951-04", "precision": "month", "count": 1}]  # not cut into days
    assert all(r["places"] == ["Pyongyang"] for r in records if "places" in r)
    coarse, grain = group_items(items, limit=200)
    assert grain in ("month", "year") and len(coarse) <= 200 and sum(r["count"] for r in coarse) == len(items)
    page = to_html(items, limit=200)
    data = _page_data(page)
    assert data["total"] == len(items) and data["grain"] == grain and len(data["items"]) == len(coarse)
    assert len(page) < 200_000
    assert group_items(items[:10], limit=200) == ([_record(i) for i in items[:10]], None)


@pytest.mark.parametrize("limit", [None, 100])
def test_timeline_page_draws_offline_in_a_browser(tmp_path, limit):
    """The page opens from a file with no network, draws, and its controls work (each item, or groups)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("CABLE_KG_CHROMIUM", "/usr/bin/chromium")
    if not (Path(chromium).exists() or shutil.which(chromium)):
        pytest.skip(f"no Chromium at {chromium}")
    items = _many(600)
    path = tmp_path / "timeline.html"
    path.write_text(to_html(items, limit=limit or 10_000), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        context = browser.new_context()
        outside: list[str] = []
        context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith("file:")
                                             else (outside.append(route.request.url), route.abort())))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        count = page.locator("#count").inner_text()
        assert count.startswith(f"{len(items)} items in ") and ("groups" in count) == bool(limit)
        assert page.locator("#grouped").is_visible() == bool(limit)
        page.select_option("#lanes", "operation")
        assert page.locator("#count").inner_text().endswith(" lanes" if not limit else "groups)")
        page.fill("#filter", "stalin")
        page.locator("#zin").click()
        page.locator("canvas").click(position={"x": 400, "y": 46})
        browser.close()
    assert not outside and not errors, (outside, errors)
