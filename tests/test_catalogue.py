"""The metadata tail's catalogue entries: authors, associated people, places
and topics, the original archive and language, kept as written and linked
to the authority file's people and places where it knows them."""

from __future__ import annotations

import pyoxigraph as ox

from cable_kg.convert import convert_file, convert_text
from cable_kg.rdf.build import build_nquads, telegram_iri
from conftest import FIXTURES, SEED_3410, SEED_16052

CK = "https://w3id.org/cable-kg/ns#"
DCT = "http://purl.org/dc/terms/"
BASE = "https://cable-kg.example.org/"

PAGE = """June 5, 1951
Ciphered Telegram No. 3121, Filippov [Stalin] to Cde. Mao Zedong
Top Secret
Comrade MAO ZEDONG!
I received your telegram of 3 June. We agree with your plan.
FILIPPOV
No. 3121
5 June 1951
Author(s):
Stalin, I. V. (Iosif Vissarionovich), 1879-1953
Associated People & Organizations: Kim, Chaek, 1903-1951; Kim, Il Sung, 1912-1994
Vyshinsky, Andrey Yanuarevich, 1883-1954
Associated Places
Korea (North)
Atlantis
Associated Topics
Korean War, 1950-1953
Document Information
Source
APRF, f. 45, op. 1, d. 339, ll. 17-18.
Original Archive
Archive of the President of the Russian Federation (APRF)
Language
Russian
Record ID
900001
"""


def _values(nquads: str, subject: str, predicate: str) -> set[str]:
    quads = ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS)
    return {q.object.value for q in quads if q.subject.value == subject and q.predicate.value == predicate}


def _mentions(nquads: str, role: str) -> dict[str, set[str]]:
    """Words as written -> what they denote, for the mentions of one role."""
    quads = list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
    by_node: dict[str, dict[str, set[str]]] = {}
    for q in quads:
        by_node.setdefault(q.subject.value, {}).setdefault(q.predicate.value, set()).add(q.object.value)
    out = {}
    for props in by_node.values():
        if props.get(CK + "role") == {role}:
            (written,) = props[CK + "asWritten"]
            out[written] = props.get(CK + "denotes", set())
    return out


def test_tail_entries_are_parsed_with_their_words(authority):
    doc = convert_text("page.txt", PAGE, authority)
    c = doc.telegram.catalogue
    assert [e.value for e in c.authors] == ["Stalin, I. V. (Iosif Vissarionovich), 1879-1953"]
    assert [e.value for e in c.people] == ["Kim, Chaek, 1903-1951", "Kim, Il Sung, 1912-1994",
                                           "Vyshinsky, Andrey Yanuarevich, 1883-1954"]
    assert [e.value for e in c.places] == ["Korea (North)", "Atlantis"]
    assert [e.value for e in c.topics] == ["Korean War, 1950-1953"]
    assert c.original_archive.value == "Archive of the President of the Russian Federation (APRF)"
    for e in (*c.authors, *c.people, *c.places, *c.topics, c.original_archive):
        assert PAGE[e.span.start:e.span.end] == e.span.text == e.value
    assert doc.telegram.original_language == "Russian"


def test_tail_entries_in_the_graph(authority):
    doc = convert_text("page.txt", PAGE, authority)
    nq = build_nquads(doc, authority)
    tg = telegram_iri(doc, authority)
    assert _values(nq, tg, CK + "originalLanguage") == {"Russian"}
    assert _values(nq, tg, DCT + "language") == {"English"}  # the page's own text
    assert _values(nq, tg, CK + "originalArchive") == {"Archive of the President of the Russian Federation (APRF)"}
    assert _values(nq, tg, CK + "catalogueAuthor") == {"Stalin, I. V. (Iosif Vissarionovich), 1879-1953"}
    assert _values(nq, tg, DCT + "creator") == {BASE + "person/stalin"}
    assert _values(nq, tg, CK + "cataloguePerson") == {"Kim, Chaek, 1903-1951", "Kim, Il Sung, 1912-1994",
                                                       "Vyshinsky, Andrey Yanuarevich, 1883-1954"}
    # "Kim" alone names Kim Il Sung in the authority file, but Kim Chaek is someone else
    assert _values(nq, tg, DCT + "subject") == {BASE + "person/kim-il-sung", BASE + "person/vyshinsky"}
    assert _values(nq, tg, DCT + "spatial") == {BASE + "place/north-korea"}
    assert _values(nq, tg, CK + "cataloguePlace") == {"Korea (North)", "Atlantis"}
    assert _values(nq, tg, CK + "catalogueTopic") == {"Korean War, 1950-1953"}
    people = _mentions(nq, "catalogue person")
    assert people["Kim, Chaek, 1903-1951"] == set()
    assert people["Kim, Il Sung, 1912-1994"] == {BASE + "person/kim-il-sung"}
    assert _mentions(nq, "catalogue author") == {"Stalin, I. V. (Iosif Vissarionovich), 1879-1953":
                                                 {BASE + "person/stalin"}}


def test_a_fixture_page_tail(authority):
    doc = convert_file(FIXTURES / "f01_mao_pilot_cadres.txt", authority)
    nq = build_nquads(doc, authority)
    tg = telegram_iri(doc, authority)
    assert _values(nq, tg, DCT + "creator") == {BASE + "person/mao-zedong"}
    assert BASE + "person/gao-gang" in _values(nq, tg, DCT + "subject")
    assert _values(nq, tg, DCT + "spatial") == {BASE + "place/china"}
    assert _values(nq, tg, CK + "originalLanguage") == {"Russian"}


def test_empty_tail_labels_give_no_catalogue(authority):
    for seed in (SEED_3410, SEED_16052):  # the seeds' tails have the labels without values
        doc = convert_file(seed, authority)
        assert doc.telegram.catalogue is None
        quads = ox.parse(build_nquads(doc, authority).encode(), ox.RdfFormat.N_QUADS)
        assert not [q for q in quads if q.predicate.value.startswith(CK + "catalogue")]
