"""Parser tests for every variant of TELEGRAM-FORMATS.md sections 1-3 and 5,
on the invented fixture pages of tests/fixtures/telegrams: each page's
header fields (type, date, numbers, parties, places, times, urgency,
classification, copies, office, record ID, archive citation, language,
embedded telegrams) against its gold file in tests/gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from cable_kg.evaluate import evaluate
from conftest import ROOT

GOLD = ROOT / "tests" / "gold"

# Deliberate differences from the gold annotations, each with its reason.
KNOWN = {
    # a handling restriction is kept with the classification lines it stands among
    "f03_shtytkov_haeju": {"header.classification: + 'making copies is prohibited'"},
    # "To Whom: SovAmbassador" resolves to Roshchin only with the year and place,
    # which the RDF builder passes and this per-field comparison does not
    "f06_filippov_via_roshchin": {"header.via: + 'sovambassador'"},
}


@pytest.fixture(scope="module")
def report(authority):
    return evaluate(GOLD, authority)


@pytest.mark.parametrize("gold", sorted(p.stem for p in GOLD.glob("*.json")))
def test_header_fields_match_gold(report, gold):
    result = report.of(gold)
    assert result is not None and result.error is None, result and result.error
    misses = {m for m in result.misses if m.startswith(("header", "embedded"))}
    assert misses <= KNOWN.get(gold, set()), sorted(misses - KNOWN.get(gold, set()))


def test_fixtures_cover_the_corpus(report):
    pages = {p.stem for p in (ROOT / "tests" / "fixtures" / "telegrams").glob("*.txt")}
    golds = {Path(f.gold).stem for f in report.files}
    assert len(pages) >= 30 and pages <= golds


def test_seeds_score_one_on_header_and_citations(report):
    for seed in ("000_5ae8a120279738db", "004_60bdd681175bebb0"):
        counts = report.of(seed).counts
        for category in ("header", "citations"):
            c = counts[category]
            assert c.fp == 0 and c.fn == 0 and c.tp > 0, (seed, category, c)
