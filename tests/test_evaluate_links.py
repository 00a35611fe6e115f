"""`cable-kg evaluate` scores reply links against the gold files' replies_to."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cable_kg.cli import main
from cable_kg.evaluate import evaluate, reply_links
from conftest import ROOT


def test_reply_links_are_scored_against_gold(authority):
    report = evaluate(ROOT / "tests" / "gold", authority, links=reply_links)
    links = report.categories["links"]
    assert links.tp >= 15
    assert links.precision >= 0.9 and links.recall >= 0.9, links


def test_evaluate_command_prints_every_category():
    result = CliRunner().invoke(main, ["evaluate", str(ROOT / "tests" / "gold")])
    assert result.exit_code == 0, result.output
    for category in ("header", "people", "places", "units", "dates", "operations", "citations", "links", "micro"):
        assert category in result.output
    as_json = CliRunner().invoke(main, ["evaluate", str(ROOT / "tests" / "gold"), "--format", "json"])
    assert as_json.exit_code == 0 and json.loads(as_json.output)
