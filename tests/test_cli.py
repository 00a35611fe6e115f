"""The command line, through Click's CliRunner, on a real on-disk store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, SEED_3410, SEED_16052

from cable_kg.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def loaded(tmp_path, runner):
    store = tmp_path / "store"
    result = runner.invoke(main, ["load", str(DATA), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"
        assert f"cable-kg {name}" in readme, f"README does not show `cable-kg {name}`"


def test_load_then_telegrams_query_columns_and_rows(runner, loaded):
    result = runner.invoke(main, ["query", "telegrams", "--store", str(loaded), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["telegram", "source", "carried_by", "date", "number", "sender", "recipients", "via",
                             "title"]
    by_number = {r["number"]: r for r in rows}
    assert set(by_number) == {"3410", "16052", "478"}
    assert by_number["3410"]["sender"] == "Joseph Stalin"
    assert by_number["3410"]["recipients"] == "Mao Zedong"
    assert by_number["3410"]["via"] == "Krasovsky"
    assert by_number["3410"]["source"] == SEED_3410.name
    assert by_number["478"]["carried_by"] == by_number["16052"]["telegram"]
    assert by_number["478"]["recipients"] == "Peng Dehuai"
    assert by_number["16052"]["carried_by"] == ""
    assert by_number["16052"]["date"] == "1951-01-29"


def test_unchanged_files_are_skipped_and_changed_ones_replaced(runner, loaded, tmp_path):
    again = runner.invoke(main, ["load", str(DATA), "--store", str(loaded)])
    assert "loaded 0, unchanged 2" in again.output
    changed = tmp_path / "in"
    changed.mkdir()
    text = SEED_3410.read_text(encoding="utf-8").replace("No. 297/sh", "No. 298/sh")
    (changed / SEED_3410.name).write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["load", str(changed), "--store", str(loaded)])
    assert "loaded 1, unchanged 0" in result.output
    out = runner.invoke(main, ["query", "telegram", "-p", "id", "3410@1951-06-05", "--store", str(loaded),
                               "--format", "json"])
    values = {r["value"] for r in json.loads(out.output)}
    assert "298/sh" in values and "297/sh" not in values


def test_query_parameters_and_formats(runner, loaded):
    out = runner.invoke(main, ["query", "telegram", "-p", "id", "112096", "--store", str(loaded), "--format", "json"])
    assert out.exit_code == 0, out.output
    props = {r["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in json.loads(out.output)}
    assert {"headerNumber", "recordId", "sender", "recipient", "dateReceived"} <= props
    tsv = runner.invoke(main, ["query", "people", "--store", str(loaded), "--format", "tsv"])
    assert tsv.exit_code == 0 and tsv.output.splitlines()[0].split("\t")[:2] == ["person", "name"]
    table = runner.invoke(main, ["query", "places", "--store", str(loaded)])
    assert "Beijing" in table.output and re.search(r"\(\d+ rows?\)", table.output)


def test_usage_errors_exit_2(runner, loaded):
    assert runner.invoke(main, ["query", "telegram", "--store", str(loaded)]).exit_code == 2  # missing -p id
    assert runner.invoke(main, ["query", "telegrams", "-p", "nope", "1", "--store", str(loaded)]).exit_code == 2
    assert runner.invoke(main, ["query", "timeline", "-p", "from", "June", "--store", str(loaded)]).exit_code == 2
    assert runner.invoke(main, ["convert", "--format", "yaml", str(DATA)]).exit_code == 2
    assert runner.invoke(main, ["load", str(DATA), "--base-iri", "ftp://x"]).exit_code == 2


def test_unknown_query_and_missing_store_exit_1(runner, loaded, tmp_path):
    result = runner.invoke(main, ["query", "no-such-query", "--store", str(loaded)])
    assert result.exit_code == 1 and "no saved query" in result.output
    result = runner.invoke(main, ["query", "telegrams", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no store" in result.output
    result = runner.invoke(main, ["query", "telegram", "-p", "id", "999999", "--store", str(loaded)])
    assert result.exit_code == 1 and "no telegram" in result.output


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("ntriples", "nt"), ("nquads", "nquads"),
                                          ("trig", "trig"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_convert_every_format_parses(runner, fmt, parse_as, tmp_path):
    from rdflib import Dataset

    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(main, ["convert", str(SEED_16052), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out, format=parse_as)
    assert len(ds) + sum(len(g) for g in ds.graphs()) > 100


def test_export_and_stats(runner, loaded):
    stats = json.loads(runner.invoke(main, ["stats", "--store", str(loaded), "--format", "json"]).output)
    assert stats["telegrams"] == 3 and stats["source files"] == 2 and stats["persons"] >= 4
    dump = runner.invoke(main, ["export", "--store", str(loaded)])
    assert dump.exit_code == 0
    assert dump.output.count("\n") == stats["triples"]


def test_queries_lists_every_saved_query_with_parameters(runner):
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 0
    for rq in sorted((ROOT / "queries").glob("*.rq")):
        assert rq.stem in result.output
    assert "-p id <telegram>" in result.output and "-p from <date> (optional)" in result.output


def test_store_from_environment(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("CABLE_KG_STORE", str(tmp_path / "envstore"))
    assert runner.invoke(main, ["load", str(SEED_3410)]).exit_code == 0
    assert (tmp_path / "envstore").is_dir()
    assert "3410" in runner.invoke(main, ["query", "telegrams"]).output


def test_load_with_optimize_compacts_and_keeps_everything(runner, tmp_path):
    plain, compact = tmp_path / "plain", tmp_path / "compact"
    for store, extra in ((plain, []), (compact, ["--optimize"])):
        result = runner.invoke(main, ["load", str(DATA), "--store", str(store), *extra])
        assert result.exit_code == 0, result.output
    dumps = [runner.invoke(main, ["export", "--store", str(s), "--format", "nquads"]).output for s in (plain, compact)]
    assert sorted(dumps[0].splitlines()) == sorted(dumps[1].splitlines()) and dumps[0]
    sst = {s: len(list(s.glob("*.sst"))) for s in (plain, compact)}
    assert sst[compact] < sst[plain], sst  # fewer, larger files


def test_load_compacts_by_itself_only_after_a_large_bulk_load(runner, tmp_path):
    from cable_kg.pipeline import COMPACT_AFTER, LoadReport

    assert LoadReport(bulk=True, quads=COMPACT_AFTER).worth_compacting
    assert not LoadReport(bulk=True, quads=COMPACT_AFTER - 1).worth_compacting
    assert not LoadReport(bulk=False, quads=10 * COMPACT_AFTER).worth_compacting  # one transaction a file
    for n, (extra, compacted) in enumerate((([], False), (["--optimize"], True), (["--no-optimize"], False))):
        result = runner.invoke(main, ["load", str(DATA), "--store", str(tmp_path / f"store{n}"), *extra])
        assert result.exit_code == 0, result.output
        assert ("compacted the store" in result.output) == compacted, (extra, result.output)
