"""trace, timeline and link through Click's CliRunner, on an on-disk store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, FIXTURES

from cable_kg.cli import main


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory, runner):
    path = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(main, ["load", str(FIXTURES), str(DATA), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"\b(\d+) reply links\b", result.output), result.output
    return str(path)


@pytest.mark.parametrize("command", ["trace", "timeline", "link"])
def test_help_has_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output and f"cable-kg {command}" in result.output


def test_trace_by_number_and_date_record_id_and_iri(runner, store):
    by_number = runner.invoke(main, ["trace", "3410@1951-06-05", "--store", store])
    assert by_number.exit_code == 0, by_number.output
    assert by_number.output.startswith("1951-06-05  No. 3410  Joseph Stalin -> Mao Zedong")
    assert "answers:" in by_number.output and "answered by:" in by_number.output
    by_record = runner.invoke(main, ["trace", "117705", "--store", store])  # f24, Mao's cable No. 2580
    assert by_record.exit_code == 0 and by_record.output.startswith("1951-06-04  No. 2580")
    iri = json.loads(runner.invoke(main, ["trace", "117705", "--store", store, "--format", "json"]).output)["telegram"]
    by_iri = runner.invoke(main, ["trace", iri, "--store", store])
    assert by_iri.output == by_record.output


def test_trace_directions(runner, store):
    up = runner.invoke(main, ["trace", "3410@1951-06-05", "--up", "--store", store]).output
    down = runner.invoke(main, ["trace", "3410@1951-06-05", "--down", "--store", store]).output
    assert "answers:" in up and "answered by" not in up and "No. 2580" in up and "No. 3336" not in up
    assert "answered by:" in down and "answers:" not in down and "No. 3336" in down and "No. 2580" not in down
    f23 = runner.invoke(main, ["trace", "117702", "--down", "--store", store])  # Stalin's No. 3153
    assert f23.output.startswith("1951-05-29  No. 3153") and "└── 1951-06-04  No. 2580" in f23.output


def test_trace_formats(runner, store):
    data = json.loads(runner.invoke(main, ["trace", "3488@1951-06-13", "--up", "--format", "json",
                                           "--store", store]).output)
    numbers = {n["number"] for n in data["nodes"]}
    assert {"3488", "3336", "3341"} <= numbers
    dot = runner.invoke(main, ["trace", "3488@1951-06-13", "--format", "dot", "--store", store]).output
    assert dot.startswith("digraph thread {") and dot.count("\" -> \"") == len(data["edges"])
    mermaid = runner.invoke(main, ["trace", "3488@1951-06-13", "--format", "mermaid", "--store", store]).output
    assert mermaid.startswith("flowchart BT")


def test_trace_and_timeline_read_an_endpoint_through_the_same_views(runner, store, monkeypatch):
    """--endpoint: the views run on any Engine (here one that records the SPARQL it is given)."""
    from cable_kg.cli import core
    from cable_kg.queries import LocalEngine
    from cable_kg.store import Store

    seen = []

    class Remote(LocalEngine):
        def select(self, sparql):
            seen.append(sparql)
            return super().select(sparql)

    monkeypatch.setattr(core, "_engine", lambda *a: Remote(Store(Path(store), read_only=True)))
    local = runner.invoke(main, ["trace", "3410@1951-06-05", "--store", store]).output
    remote = runner.invoke(main, ["trace", "3410@1951-06-05", "--endpoint", "http://example.org/sparql"])
    assert remote.exit_code == 0 and remote.output == local and seen
    seen.clear()
    result = runner.invoke(main, ["timeline", "--from", "1951-06", "--to", "1951-06", "--endpoint", "http://x/sparql"])
    assert result.exit_code == 0 and "1951-06-13" in result.output and seen


def test_trace_errors(runner, store, tmp_path):
    missing = runner.invoke(main, ["trace", "999999", "--store", store])
    assert missing.exit_code == 1 and "no telegram" in missing.output
    bad_format = runner.invoke(main, ["trace", "3410@1951-06-05", "--format", "svg", "--store", store])
    assert bad_format.exit_code == 2
    no_store = runner.invoke(main, ["trace", "3410@1951-06-05", "--store", str(tmp_path / "none")])
    assert no_store.exit_code == 1 and "no store" in no_store.output


def test_timeline_text_with_a_partial_date_range(runner, store):
    result = runner.invoke(main, ["timeline", "--from", "1951-01", "--to", "1951-01", "--store", store])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1].startswith("(") and "items)" in lines[-1]
    dates = [ln.split()[0] for ln in lines[:-1]]
    assert dates and all(d.startswith("1951-01") for d in dates) and dates == sorted(dates)
    assert all(re.match(r"^\S+ \((day|minute|month|year)\)", ln) for ln in lines[:-1])


def test_timeline_csv_json_and_html(runner, store, tmp_path):
    out = runner.invoke(main, ["timeline", "--person", "Peng Dehuai", "--format", "csv", "--store", store]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all("Peng Dehuai" in r["people"] for r in rows)
    data = json.loads(runner.invoke(main, ["timeline", "--from", "1951", "--to", "1951", "--kind", "telegram",
                                           "--format", "json", "--store", store]).output)
    assert data and {d["kind"] for d in data} == {"telegram"} and all(d["date"].startswith("1951") for d in data)
    page = tmp_path / "t.html"
    result = runner.invoke(main, ["timeline", "--format", "html", "-o", str(page), "--store", store])
    assert result.exit_code == 0 and page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_timeline_bad_dates_exit_2(runner, store):
    assert runner.invoke(main, ["timeline", "--from", "June 1951", "--store", store]).exit_code == 2
    assert runner.invoke(main, ["timeline", "--from", "1951-13", "--store", store]).exit_code == 2
    swapped = runner.invoke(main, ["timeline", "--from", "1952", "--to", "1951", "--store", store])
    assert swapped.exit_code == 2 and "after" in swapped.output


def test_link_command(runner, store):
    first = runner.invoke(main, ["link", "--store", store])
    assert first.exit_code == 0 and "up to date" in first.output
    forced = runner.invoke(main, ["link", "--force", "--store", store])
    assert forced.exit_code == 0 and re.search(r"\d+ citations: \d+ resolved, \d+ placeholders", forced.output)
    assert "+0 -0 quads" in forced.output
