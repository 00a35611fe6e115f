"""The parser never crashes: any text is a telegram record or NotATelegram."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cable_kg.errors import NotATelegram
from cable_kg.parse import parse_page
from conftest import SEED_16052

SEED_LINES = SEED_16052.read_text(encoding="utf-8").splitlines()
line = st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=80),
                 st.sampled_from(["“", "”", "‘x", "y’", "No. 12", "TO X", "FOR Y", "Received 18 hours",
                                  "29.1.1951", "Comrade A!", "Record ID", "Source", "x/ note", "31.II.51"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=40))
def test_any_page_parses_or_is_refused(lines):
    text = "\n".join(lines)
    try:
        t = parse_page(text)
    except NotATelegram:
        return
    for _, n in t.numbers:
        assert text[n.span.start:n.span.end] == n.span.text


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED_LINES)))
def test_a_truncated_seed_never_crashes(cut):
    try:
        parse_page("\n".join(SEED_LINES[:cut]))
    except NotATelegram:
        pass
