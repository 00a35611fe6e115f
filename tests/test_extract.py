"""Extraction: people, places, units, dates, citations, operations, events,
on small invented pages and on the two seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
from cable_kg.extract import annotate, segments_of
from cable_kg.parse import parse_page
from cable_kg.resolve import Authority

SEEDS = ROOT / "data" / "telegrams"


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.load()


def page(body: str, date: str = "June 5, 1951",
         title: str = "Ciphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong",
         signature: str = "FILIPPOV [Stalin]\nNo. 297/sh\n5 June 1951") -> str:
    return f"{date}\n{title}\n{body}\n{signature}\n"


def run(authority: Authority, body: str, **kw):
    text = page(body, **kw)
    return annotate(parse_page(text), text, authority), text


def kinds(t, kind: str) -> list:
    return [m for m in t.mentions if m.kind == kind]


def canon(authority: Authority, t) -> list[str]:
    return [authority.person(m.value, m.bracket).name for m in kinds(t, "person")]


@pytest.fixture(scope="module")
def seed000(authority):
    text = (SEEDS / "000_5ae8a120279738db.txt").read_text()
    return annotate(parse_page(text), text, authority)


@pytest.fixture(scope="module")
def seed004(authority):
    text = (SEEDS / "004_60bdd681175bebb0.txt").read_text()
    return annotate(parse_page(text), text, authority)


# ---------------------------------------------------------------- people

def test_people_in_capitals_titles_and_typos(authority):
    t, _ = run(authority, "Comrade KIM IL SUNG met Cde. Peng Dehaui and Comr. Zhou Enlai yesterday.")
    assert canon(authority, t) == ["Kim Il Sung", "Peng Dehuai", "Zhou Enlai"]
    assert kinds(t, "person")[1].value == "Peng Dehaui"  # as written


def test_transliteration_pair_is_one_mention(authority):
    t, _ = run(authority, "I met KIM IL SUNG and PAK HEON-YEONG [Pak Hon Yong] today.")
    people = kinds(t, "person")
    assert [(m.value, m.bracket) for m in people] == [("KIM IL SUNG", None), ("PAK HEON-YEONG", "Pak Hon Yong")]
    assert people[1].span.text == "PAK HEON-YEONG [Pak Hon Yong]"


def test_initials_patronymics_and_pseudonyms(authority):
    t, _ = run(authority, "The letter was signed by STALIN I.V. and A.Ia. Vyshinsky. "
                          "Iosif Vissarionovich agreed. Fyn Si and Instantsiya decided it.")
    assert canon(authority, t) == ["Joseph Stalin", "Andrei Vyshinsky", "Joseph Stalin", "Joseph Stalin",
                                   "Joseph Stalin"]


def test_unknown_person_after_title(authority):
    t, _ = run(authority, "Comrade TAO ZHU, who is now in Moscow, will discuss it.")
    people = kinds(t, "person")
    assert [m.value for m in people] == ["TAO ZHU"]
    assert not authority.person(people[0].value).identified


def test_nationalities_are_not_people(authority):
    t, _ = run(authority, "The Chinese, Korean and American troops, the Koreans and the Anglo-American command.")
    assert kinds(t, "person") == []


def test_role_resolves_by_year_and_qualifier(authority):
    t, _ = run(authority, "The Soviet ambassador in Pyongyang reported it.", date="June 5, 1949",
               title="Ciphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong",
               signature="FILIPPOV [Stalin]\n5 June 1949")
    assert canon(authority, t) == ["Terentii Shtykov"]
    t, _ = run(authority, "The Soviet ambassador in Pyongyang reported it.")  # 1951: Razuvaev
    assert canon(authority, t) == ["Vladimir Razuvaev"]


# ---------------------------------------------------------------- places

def test_places_with_editorial_alternates(authority):
    t, _ = run(authority, "Hold Seoul and Incheon [Jemulpo], then land in Jinnampo [Nampo] and Peking.")
    places = kinds(t, "place")
    assert [(m.value, m.bracket) for m in places] == [("Seoul", None), ("Incheon", "Jemulpo"),
                                                     ("Jinnampo", "Nampo"), ("Peking", None)]
    assert [authority.place(m.value).key for m in places] == ["seoul", "incheon", "nampo", "beijing"]


def test_andong_is_korean_near_southern_places_else_chinese(authority):
    t, _ = run(authority, "Occupy the area north of the Daejeon-Andong boundary.\n"
                          "The bridges at Andong over the Yalu River are bombed.\n"
                          "Troops stand at Andong [Antung].")
    keys = [authority.place(m.value).key for m in kinds(t, "place") if m.span.text.startswith("Andong")]
    assert keys == ["andong-korea", "dandong", "dandong"]


def test_features_yield_the_places_they_name(authority):
    t, _ = run(authority, "Draw the enemy to the Suwon-Jemulpo region and the south bank of the Han River.")
    assert [authority.place(m.value).key for m in kinds(t, "place")] == ["suwon", "incheon", "han-river"]


# ---------------------------------------------------------------- units

def test_units(authority):
    t, _ = run(authority, "The ninth army group and the 13th army group will destroy three to four enemy "
                          "divisions, and partisan detachments will help. The Chinese troops rest. "
                          "The 38th army and the Korean People's Army advance.")
    assert [m.value for m in kinds(t, "unit")] == ["ninth army group", "13th army group",
                                                  "three to four enemy divisions", "partisan detachments",
                                                  "38th army", "korean people's army"]


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("sentence, expected", [
    ("It happened on 13 June.", [("1951-06-13", "day")]),
    ("It happened on June 4.", [("1951-06-04", "day")]),
    ("Your order of 29.8.50 is fulfilled.", [("1950-08-29", "day")]),
    ("The date 14.V.1950 is Roman.", [("1950-05-14", "day")]),
    ("They came by 20 January 1952 and in December 1951.", [("1952-01-20", "day"), ("1951-12", "month")]),
    ("I wrote two months ago.", [("1951-04", "month")]),
    ("Deliveries for 1951 are planned.", [("1951", "year")]),
    ("They will arrive by 20 January.", [("1952-01-20", "day")]),
    ("I received your telegram of 30 December.", [("1950-12-30", "day")]),
])
def test_dates(authority, sentence, expected):
    t, _ = run(authority, sentence)
    assert [(m.date.iso, m.date.precision) for m in kinds(t, "date")] == expected


def test_not_dates(authority):
    t, _ = run(authority, "Telegram No. 2390 on 20,000 to 30,000 troops of the 13th army, for 10-12 days "
                          "or two to three months, with a five day dry ration, 15-30 km to the north.")
    assert kinds(t, "date") == []


def test_relative_date_is_approximate(authority):
    t, _ = run(authority, "I communicated to you two months ago that we agree.")
    d = kinds(t, "date")[0].date
    assert (d.iso, d.precision, d.approximate, d.span.text) == ("1951-04", "month", True, "two months ago")


# ---------------------------------------------------------------- citations

def cites(authority, body, **kw):
    t, _ = run(authority, body, **kw)
    return [(c.direction, c.kind, tuple(d.iso for d in c.dates), c.number, c.incoming_number, c.plural,
             c.topic, c.third_party.name if c.third_party else None) for c in t.citations]


@pytest.mark.parametrize("sentence, expected", [
    ("I received your telegram of June 4.", ("your", "telegram", ("1951-06-04",), None, None, False, None, None)),
    ("Your telegram of 13 June received.", ("your", "telegram", ("1950-06-13",), None, None, False, None, None)),
    ("We answer your telegrams of January 31.", ("your", "telegram", ("1951-01-31",), None, None, True, None, None)),
    ("Your telegram No. 3153 is received.", ("your", "telegram", (), "3153", None, False, None, None)),
    ("On your no. 4676 we report.", ("your", "telegram", (), "4676", None, False, None, None)),
    ("Your telegram of 4.1.51 received.", ("your", "telegram", ("1951-01-04",), None, None, False, None, None)),
    ("Your directive dated 13.10.50 was transmitted.", ("your", "directive", ("1950-10-13",), None, None, False, None, None)),
    ("In fulfillment of your order of 29.8.50 I report.", ("your", "order", ("1950-08-29",), None, None, False, None, None)),
    ("In connection with the 11 October telegram we act.", ("unknown", "telegram", ("1950-10-11",), None, None, False, None, None)),
    ("In addition to my No. 2390.", ("my", "telegram", (), "2390", None, False, None, None)),
    ("To my [telegram] No. 2967 (vkh. No. 20757) I add this.", ("my", "telegram", (), "2967", "20757", False, None, None)),
    ("Telegram of Comrade ZHOU ENLAI of 27 August (No. 4279) received.",
     ("third", "telegram", ("1950-08-27",), "4279", None, False, None, "ZHOU ENLAI")),
    ("Your telegram about the preparation of pilot cadres has been received.",
     ("your", "telegram", (), None, None, False, "the preparation of pilot cadres", None)),
    ("In my telegram I wrote about it.", ("my", "telegram", (), None, None, False, None, None)),
])
def test_citation_shapes(authority, sentence, expected):
    assert cites(authority, sentence, date="January 3, 1951",
                 signature="FILIPPOV [Stalin]\n3 January 1951") == [expected] or \
        cites(authority, sentence) == [expected]


def test_citation_year_is_on_or_before_the_citing_telegram(authority):
    got = cites(authority, "Your telegram of 30 December received.", date="January 3, 1951",
                signature="FILIPPOV [Stalin]\n3 January 1951")
    assert got[0][2] == ("1950-12-30",)


def test_third_party_who_is_the_addressee_is_your(authority):
    got = cites(authority, "The telegram of Comrade Mao Zedong of 2 June (No. 12) is received.")
    assert got[0][0] == "your" and got[0][7] is None


def test_in_order_to_is_not_a_citation(authority):
    assert cites(authority, "We withdraw in order that he can blockade the river. Their orders stand.") == []


def test_summary_citation(authority):
    text = ("May 14, 1950\nCiphered Telegram No. 8211, Mao Zedong to Filippov [Stalin]\n"
            "Comrade KIM IL SUNG arrived in Peking.\nMAO ZEDONG\n14.V.1950\n"
            "The cable contains Mao's response to Stalin's 13 May telegram.\nAuthor(s):\nMao, Zedong\n")
    t = annotate(parse_page(text), text, Authority.load())
    c = [c for c in t.citations if c.from_summary]
    assert [(c.direction, c.dates[0].iso) for c in c] == [("your", "1950-05-13")]


# ---------------------------------------------------------------- operations

def test_operation_status_and_objectives(authority):
    t, _ = run(authority, "Our troops must prepare the fourth operation, with the goal of the destruction of "
                          "20,000 to 30,000 American troops and the occupation of Seoul. "
                          "The operation will continue for 10-12 days.\n"
                          "After that, a two to three months long preparation, then the fifth operation.\n"
                          "We agree with the local operation.")
    ops = {o.key: o for o in t.operations}
    assert set(ops) == {"fourth-operation", "fifth-operation", "local-operation"}
    fourth = ops["fourth-operation"]
    assert fourth.status == "ordered" and ops["local-operation"].status == "approved"
    assert [(o.action, o.low, o.high) for o in fourth.objectives] == [("destroy", 20000, 30000), ("occupy", None, None)]
    assert fourth.duration.value == "10-12 days"
    assert ops["fifth-operation"].follows == "fourth-operation"
    assert ops["fifth-operation"].follows_after.value == "two to three months"


def test_rejected_and_proposed(authority):
    t, _ = run(authority, "The withdrawal of the 13th army group is disadvantageous for us.\n"
                          "I propose the sixth operation.")
    assert [(o.key, o.status) for o in t.operations] == [("withdrawal-of-the-13th-army-group", "rejected"),
                                                         ("sixth-operation", "proposed")]


# ---------------------------------------------------------------- events

def test_events(authority):
    t, _ = run(authority, "On 2 June KIM IL SUNG arrived in Peking. We will meet him tomorrow.")
    assert [(e.kind, e.date.iso if e.date else None, e.participants, e.places) for e in t.events] == \
        [("arrival", "1951-06-02", ("Kim Il Sung",), ("Peking",))]


# ---------------------------------------------------------------- embedded and spans

def test_embedded_text_belongs_to_the_embedded_telegram(seed004):
    outer, inner = seed004, seed004.embedded[0]
    text = (SEEDS / "004_60bdd681175bebb0.txt").read_text()
    assert all(e <= inner.text.start or s >= inner.text.end for s, e in segments_of(outer, text))
    assert all(not (inner.text.start <= m.span.start < inner.text.end) for m in outer.mentions)
    assert all(inner.text.start <= m.span.start < inner.text.end for m in inner.mentions)


def test_spans_point_at_the_words(authority):
    t, text = run(authority, "Comrade Peng Dehuai holds Incheon [Jemulpo] since June 4.")
    for m in t.mentions:
        assert text[m.span.start:m.span.end] == m.span.text


def test_output_is_deterministic_and_sorted(authority):
    body = "Comrade Peng Dehuai holds Seoul with the ninth army group since June 4."
    a, _ = run(authority, body)
    b, _ = run(authority, body)
    assert a == b
    assert [m.span.start for m in a.mentions] == sorted(m.span.start for m in a.mentions)


# ---------------------------------------------------------------- seeds

def test_seed000_peng_variants_are_one_person(authority, seed000):
    keys = {authority.person(m.value, m.bracket).key for m in seed000.mentions
            if m.kind == "person" and m.value.startswith("Peng")}
    written = {m.value for m in seed000.mentions if m.kind == "person" and m.value.startswith("Peng")}
    assert keys == {"peng-dehuai"} and written == {"Peng Dehuai", "Peng Dehaui"}


def test_seed000_citation_and_relative_date(seed000):
    c = seed000.citations[0]
    assert (c.direction, c.dates[0].iso, c.dates[0].precision, c.span.text) == \
        ("your", "1951-06-04", "day", "your telegram of June 4")
    ago = [m.date for m in seed000.mentions if m.kind == "date" and m.span.text == "two months ago"]
    assert [(d.iso, d.precision, d.approximate) for d in ago] == [("1951-04", "month", True)]


def test_seed000_presumed_sender_is_mao(authority, seed000):
    from cable_kg.rdf.build import presumed_parties
    sender, _ = presumed_parties(seed000, seed000.citations[0])
    assert authority.person(sender.name, sender.bracket).key == "mao-zedong"


def test_seed004_incheon_and_jemulpo_one_place(authority, seed004):
    keys = {authority.place(m.value).key for t in (seed004, *seed004.embedded) for m in t.mentions
            if m.kind == "place" and ("Jemulpo" in m.span.text or "Incheon" in m.span.text)}
    assert keys == {"incheon"}


def test_seed004_operations(seed004):
    inner = seed004.embedded[0]
    ops = {o.key: o for o in inner.operations}
    fourth, fifth = ops["fourth-operation"], ops["fifth-operation"]
    assert fifth.follows == "fourth-operation" and fourth.follows is None
    actions = [(o.action, o.low, o.high) for o in fourth.objectives]
    assert ("destroy", 20000, 30000) in actions and "occupy" in [a for a, _, _ in actions]
    assert fifth.objectives and fifth.follows_after.value == "two to three months"
    assert fourth.duration.value == "10-12 days"
    assert "redeployment-of-the-ninth-army-group" in ops


def test_seed004_embedded_cites_pengs_telegram(seed004):
    inner = seed004.embedded[0]
    c = inner.citations[0]
    assert c.direction == "your" and c.span.text == "your telegram of 27 January 1951, 24:00"
    # 24:00 is the end of 27 January: kept with minute precision
    assert (c.dates[0].iso, c.dates[0].precision) == ("1951-01-28T00:00", "minute")
    outer = seed004.citations[0]
    assert (outer.direction, outer.dates[0].iso) == ("my", "1951-01-28")
