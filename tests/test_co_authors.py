"""A document by several authors: the first named is its sender, the others its co-authors."""

from __future__ import annotations

import pyoxigraph as ox

from cable_kg.convert import convert_text
from cable_kg.parse.lines import Line
from cable_kg.parse.title import parse_title
from cable_kg.rdf.build import build_nquads, telegram_iri

BASE = "https://cable-kg.example.org/"
PAGE = """January 31, 1950
Letter, Kim Il Sung and Pak Heon-yeong to Cde. Feng Xi [Stalin] (via Shtykov)
Dear Comrade Stalin!
We thank you for the reception of our delegation.
KIM IL SUNG
PAK HEON-YEONG
Pyongyang, 31 January 1950
"""


def test_a_title_with_two_authors():
    t = parse_title(Line(0, "Letter, Kim Il Sung and Pak Heon-yeong to Cde. Feng Xi [Stalin] (via Shtykov)"))
    assert t.author.name == "Kim Il Sung"
    assert [r.name for r in t.co_authors] == ["Pak Heon-yeong"]
    assert [r.name for r in t.via] == ["Shtykov"]


def test_one_author_with_a_comma_stays_one():
    t = parse_title(Line(0, "Ciphered telegram, Roshchin to Cde. Filippov [Stalin]"))
    assert t.author.name == "Roshchin" and t.co_authors == ()


def test_co_authors_in_the_graph(authority):
    doc = convert_text("letter.txt", PAGE, authority)
    quads = list(ox.parse(build_nquads(doc, authority).encode(), ox.RdfFormat.N_QUADS))
    tg = telegram_iri(doc, authority)

    def values(p):
        return {q.object.value for q in quads if q.subject.value == tg and q.predicate.value == p}

    assert values("https://schema.org/sender") == {BASE + "person/kim-il-sung"}
    assert values("https://w3id.org/cable-kg/ns#coAuthor") == {BASE + "person/pak-heon-yeong"}
    assert not [q for q in quads if "and-pak" in q.object.value or "and-pak" in q.subject.value]
