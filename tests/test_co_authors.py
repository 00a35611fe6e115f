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


def test_two_signature_lines_give_the_upper_as_signatory_and_the_lower_as_co_signatory(authority):
    """Read bottom-up, the signature used to keep only its last line; the
    line above it, "KIM IL SUNG", was left in the text."""
    from cable_kg.parse.page import parse_page

    t = parse_page(PAGE)
    assert t.signatory.name == "KIM IL SUNG"
    assert [r.name for r in t.co_signatories] == ["PAK HEON-YEONG"]
    doc = convert_text("letter.txt", PAGE, authority)
    quads = list(ox.parse(build_nquads(doc, authority).encode(), ox.RdfFormat.N_QUADS))
    roles = {(q.object.value) for q in quads if q.predicate.value.endswith("#role")}
    assert {"signatory", "co-signatory", "co-author"} <= roles


def test_a_name_over_the_signatory_under_a_title_of_one_author_signs_what_he_transmits():
    """ "MAO ZEDONG" over "ROSHCHIN" under "Roshchin to Filippov": Mao signed
    the message Roshchin transmits; Roshchin is the signatory, no co-author."""
    from cable_kg.parse.page import parse_page

    page = PAGE.replace("Letter, Kim Il Sung and Pak Heon-yeong to Cde. Feng Xi [Stalin] (via Shtykov)",
                        "Ciphered telegram, Roshchin to Filippov [Stalin]").replace(
        "KIM IL SUNG\nPAK HEON-YEONG\n", "MAO ZEDONG\nROSHCHIN\n")
    t = parse_page(page)
    assert t.signatory.name == "ROSHCHIN" and t.co_signatories == () and t.co_authors == ()


def test_a_name_above_a_date_line_signature_is_not_a_co_signatory():
    from cable_kg.parse.page import parse_page

    page = PAGE.replace("KIM IL SUNG\nPAK HEON-YEONG\nPyongyang, 31 January 1950\n",
                        "WE AWAIT YOUR ANSWER\nKIM IL SUNG, 31 January 1950\n")
    t = parse_page(page)
    assert t.signatory.name == "KIM IL SUNG" and t.co_signatories == ()


def test_the_place_and_date_under_the_signatures_give_where_and_when_it_was_signed():
    from cable_kg.parse.page import parse_page

    t = parse_page(PAGE)
    assert t.origin.value == "Pyongyang" and t.signature_date.iso == "1950-01-31"
    assert PAGE[t.signature_date.span.start:t.signature_date.span.end] == "31 January 1950"
    moscow = parse_page(PAGE.replace("Pyongyang, 31 January 1950", "Moscow"))
    assert moscow.origin.value == "Moscow" and moscow.signature_date is None


def test_the_complimentary_close_is_kept_with_its_words(authority):
    """ "With deep respect," above the signature: kept as written (no closing
    instruction), traced to its words."""
    from cable_kg.parse.page import parse_page

    page = PAGE.replace("KIM IL SUNG\n", "With deep respect,\nKIM IL SUNG\n")
    t = parse_page(page)
    close = t.complimentary_close
    assert close.value == "With deep respect" and page[close.span.start:close.span.end] == "With deep respect"
    assert t.closing == () and t.signatory.name == "KIM IL SUNG"
    assert parse_page(PAGE).complimentary_close is None
    doc = convert_text("letter.txt", page, authority)
    quads = list(ox.parse(build_nquads(doc, authority).encode(), ox.RdfFormat.N_QUADS))
    assert [q.object.value for q in quads if q.predicate.value.endswith("#complimentaryClose")] == ["With deep respect"]
    assert "complimentary close" in {q.object.value for q in quads if q.predicate.value.endswith("#role")}
