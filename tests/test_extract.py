"""Extraction: people, places, units, dates, citations, operations, events,
on small invented pages and on the two seeds."""

from __future__ import annotations

import json
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


# ---------------------------------------------------------------- relative dates

def relative(authority, body, **kw) -> list[tuple]:
    t, text = run(authority, body, **kw)
    out = []
    for m in kinds(t, "date"):
        d = m.date
        assert text[d.span.start:d.span.end] == d.span.text
        out.append((d.span.text, d.iso, d.precision, d.approximate, d.earliest, d.latest, d.relative_to))
    return out


# The telegram is dated 5 June 1951 (a Tuesday); every value below is counted from it by hand.
@pytest.mark.parametrize("sentence, expected", [
    ("We will send the answer tomorrow.",
     ("tomorrow", "1951-06-06", "day", False, None, None, "document")),
    ("Yesterday at 14:00 the commanders met.",
     ("Yesterday at 14:00", "1951-06-04T14:00", "minute", False, None, None, "document")),
    ("The ninth army group must in the near future be redeployed to the region of Seoul.",
     ("in the near future", "1951-06", "month", True, "1951-06-05", None, "document")),
    ("Two more regiments can be sent in two to three months.",
     ("in two to three months", "1951-08", "month", True, "1951-08-05", "1951-09-05", "document")),
    ("The divisions will be ready to cover the crossings within 10-12 days.",
     ("within 10-12 days", "1951-06-05", "day", True, "1951-06-05", "1951-06-17", "document")),
    ("The trains will arrive in 10 days.",
     ("in 10 days", "1951-06-15", "day", True, None, None, "document")),
    ("We will hold the bridgehead within the next 10 days.",
     ("within the next 10 days", "1951-06-05", "day", True, "1951-06-05", "1951-06-15", "document")),
    ("The trucks must arrive in the next two weeks.",
     ("in the next two weeks", "1951-06-05", "day", True, "1951-06-05", "1951-06-19", "document")),
    ("We met him the same day.",
     ("the same day", "1951-06-05", "day", False, None, None, "document")),
    ("Сегодня КИМ ИР СЕН сообщил нам об этом.",
     ("Сегодня", "1951-06-05", "day", False, None, None, "document")),
    ("Вчера в 14.00 состоялось совещание.",
     ("Вчера в 14.00", "1951-06-04T14:00", "minute", False, None, None, "document")),
    ("Два месяца назад корейские войска получили 300 грузовиков.",
     ("Два месяца назад", "1951-04", "month", True, None, None, "document")),
    ("КИМ ИР СЕН просит в ближайшее время ответить.",
     ("в ближайшее время", "1951-06", "month", True, "1951-06-05", None, "document")),
    ("КИМ ИР СЕН просит через два-три месяца направить советников.",
     ("через два-три месяца", "1951-08", "month", True, "1951-08-05", "1951-09-05", "document")),
    ("Оборудование должно быть поставлено в течение 10-12 дней.",
     ("в течение 10-12 дней", "1951-06-05", "day", True, "1951-06-05", "1951-06-17", "document")),
])
def test_relative_to_the_telegrams_date(authority, sentence, expected):
    assert relative(authority, sentence) == [expected]


def test_same_and_next_day_count_from_the_date_named_before(authority):
    t, _ = run(authority, "KIM IL SUNG arrived in Peking on 13 May. On the same day, at 23:30, we met. "
                          "The next day he left for Mukden.")
    got = [(m.span.text, m.date.iso, m.date.precision, m.date.relative_to,
            m.date.anchor.text if m.date.anchor else None) for m in kinds(t, "date")]
    assert got == [("13 May", "1951-05-13", "day", None, None),
                   ("the same day, at 23:30", "1951-05-13T23:30", "minute", "date", "13 May"),
                   ("The next day", "1951-05-14", "day", "date", "the same day, at 23:30")]


def test_durations_in_reports_and_counts_are_not_dates(authority):
    t, _ = run(authority, "The troops advanced 6-8 km in two days. In 10 days of fighting the division destroyed "
                          "2,000 enemy soldiers. They must again make a two to three months long preparation. "
                          "The ammunition will last only 5 days.")
    assert kinds(t, "date") == []


def test_time_relative_to_an_operation_orders_the_operations(authority):
    t, _ = run(authority, "After the conclusion of the fourth operation the ninth army group must be redeployed "
                          "to the region of Seoul.\nI propose, after the conclusion of the fourth operation, to "
                          "begin the sixth operation.")
    dates = kinds(t, "date")
    assert [(m.span.text, m.date.iso, m.date.precision, m.date.approximate, m.date.earliest, m.date.latest,
             m.date.relative_to, m.date.operation, m.date.relation) for m in dates] == [
        ("After the conclusion of the fourth operation", "1951-06", "month", True, "1951-06-05", None,
         "operation", "fourth-operation", "after"),
        ("after the conclusion of the fourth operation", "1951-06", "month", True, "1951-06-05", None,
         "operation", "fourth-operation", "after")]
    ops = {o.key: o for o in t.operations}
    redeploy, sixth = ops["redeployment-of-the-ninth-army-group"], ops["sixth-operation"]
    # the text says what they follow: the sixth follows the fourth, not the (unnamed) fifth
    assert (redeploy.follows, sixth.follows) == ("fourth-operation", "fourth-operation")
    assert redeploy.when.span.start == dates[0].span.start and sixth.when.span.start == dates[1].span.start
    assert ops["fourth-operation"].follows is None and ops["fourth-operation"].when is None


def test_time_during_an_operation_is_bounded_by_its_start_and_the_report(authority):
    t, _ = run(authority, "During the fifth operation, which began on April 22, 1951, we lost much transport.")
    during, _began = kinds(t, "date")
    assert (during.date.iso, during.date.earliest, during.date.latest, during.date.relation) == \
        ("1951-04", "1951-04-22", "1951-06-05", "during")
    assert [(o.key, o.when.iso) for o in t.operations] == [("fifth-operation", "1951-04-22")]


def test_before_an_operation_and_must_be_completed_is_not_done(authority):
    t, _ = run(authority, "Before the beginning of the fifth operation the concentration of the 19th army group "
                          "to the north of Seoul must be completed.")
    [d] = kinds(t, "date")
    assert (d.date.relation, d.date.operation, d.date.earliest) == ("before", "fifth-operation", "1951-06-05")
    ops = {o.key: o for o in t.operations}
    conc = ops["concentration-of-the-19th-army-group"]
    assert conc.status == "ordered" and conc.when == d.date
    assert ops["fifth-operation"].follows is None  # a numbered operation keeps its place in the series


def test_a_date_of_something_else_in_the_sentence_is_not_the_operations_time(authority):
    t, _ = run(authority, "In the near future we will send you our considerations on the fifth operation.\n"
                          "I propose to begin the fourth operation in March.")
    ops = {o.key: o for o in t.operations}
    assert ops["fifth-operation"].when is None
    assert (ops["fourth-operation"].when.iso, ops["fourth-operation"].when.precision) == ("1952-03", "month")


# ---------------------------------------------------------------- Russian dates

@pytest.mark.parametrize("sentence, expected", [
    ("ЧЖОУ ЭНЬЛАЙ просил сообщить мнение до 31 марта.", [("31 марта", "1952-03-31", "day")]),
    ("4 июня 1951 г. дивизия заняла оборону.", [("4 июня 1951 г.", "1951-06-04", "day")]),
    ("На Вашу телеграмму № 2951 от 27.1.51 сообщаю.", [("27.1.51", "1951-01-27", "day")]),
    ("Поставки в марте 1951 года выполнены.", [("марте 1951 года", "1951-03", "month")]),
    ("Войска получили в марте 300 грузовиков.", [("марте", "1951-03", "month")]),
    ("Кредит на 1952 г. согласован.", [("1952 г.", "1952", "year")]),
])
def test_russian_dates_in_running_text(authority, sentence, expected):
    t, _ = run(authority, sentence)
    assert [(m.span.text, m.date.iso, m.date.precision) for m in kinds(t, "date")] == expected


def test_russian_numbers_units_and_counts_are_not_dates(authority):
    t, _ = run(authority, "Телеграмма № 3410 получена. 1-я пехотная дивизия и 2 дивизии отошли на 15-20 км, "
                          "противник сосредоточил 20-30 тысяч солдат, 120 орудий и 300 грузовиков; "
                          "оборудование для 6 дивизий.\nРАЗУВАЕВ\n№ 1523")
    assert kinds(t, "date") == []


def test_russian_citation_takes_its_date(authority):
    got = cites(authority, "На Вашу телеграмму № 2951 от 27.5.51 сообщаю.")
    assert got == [("your", "telegram", ("1951-05-27",), "2951", None, False, None, None)]


def test_gold_not_dates_are_never_read_as_dates(authority):
    """The words a gold file lists under "not_dates" lie in no date mention."""
    from cable_kg.convert import convert_file
    checked = 0
    for path in sorted((ROOT / "tests" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not gold.get("not_dates"):
            continue
        doc = convert_file((path.parent / gold["telegram"]).resolve(), authority)
        spans = [m.span for t in (doc.telegram, *doc.telegram.embedded) for m in t.mentions if m.kind == "date"]
        for words in gold["not_dates"]:
            at = doc.text.find(words)
            assert at >= 0, (path.name, words)
            assert not any(s.start < at + len(words) and at < s.end for s in spans), (path.name, words)
            checked += 1
    assert checked >= 10


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


def test_unnamed_operations(authority):
    t, _ = run(authority, "We consider it necessary to prepare the evacuation of the remaining Korean troops to "
                          "the area of Kanggye.\nWe ask you to move the Soviet fighter air divisions closer to the "
                          "front.\nThe 13th army group must in the near future be redeployed to the region of "
                          "Pyongyang.")
    got = [(o.key, o.status, o.places, o.when.span.text if o.when else None) for o in t.operations]
    assert got == [("evacuation-of-the-remaining-korean-troops", "ordered", ("Kanggye",), None),
                   ("redeployment-of-the-soviet-fighter-air-divisions", "proposed", (), None),
                   ("redeployment-of-the-13th-army-group", "ordered", ("Pyongyang",), "in the near future")]


@pytest.mark.parametrize("sentence", [
    "The delegation set out our proposal: a ceasefire and the withdrawal of all foreign troops from Korea.",
    "The 1st infantry division has been moved to the area north of Haeju.",
    "The government and the staff are being moved to Kanggye.",
    "At present we cannot move south of the Han River.",
    "The withdrawal of the enemy troops from Seoul began.",
])
def test_what_is_not_a_planned_operation(authority, sentence):
    t, _ = run(authority, sentence)
    assert t.operations == ()


def test_a_redeployment_refused_is_rejected(authority):
    t, _ = run(authority, "The Soviet fighter air divisions cannot be moved to Korea until airfields are prepared.")
    assert [(o.key, o.status) for o in t.operations] == [("redeployment-of-the-soviet-fighter-air-divisions",
                                                         "rejected")]


def test_cover_in_another_paragraph_is_not_the_operations_objective(authority):
    t, _ = run(authority, "1. Before the beginning of the fifth operation the concentration of the 19th army group "
                          "must be completed.\n2. The Soviet fighter air divisions will cover the crossings over the "
                          "Yalu River.")
    ops = {o.key: o for o in t.operations}
    assert (ops["concentration-of-the-19th-army-group"].objectives, ops["concentration-of-the-19th-army-group"].forces,
            ops["fifth-operation"].objectives, ops["fifth-operation"].forces) == ((), ("19th army group",), (), ())


# ---------------------------------------------------------------- events

def test_events(authority):
    t, _ = run(authority, "On 2 June KIM IL SUNG arrived in Peking. We will meet him tomorrow.")
    assert [(e.kind, e.date.iso if e.date else None, e.participants, e.places) for e in t.events] == \
        [("arrival", "1951-06-02", ("Kim Il Sung",), ("Peking",))]


def test_event_takes_its_own_date_before_an_operations_time(authority):
    t, _ = run(authority, "After the conclusion of the third operation, on 16 March our troops withdrew to the "
                          "Han River.\nTwo months ago KIM IL SUNG arrived in Peking.")
    assert [(e.kind, e.date.iso, e.date.approximate) for e in t.events] == [("withdrawal", "1951-03-16", False),
                                                                           ("arrival", "1951-04", True)]


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


def test_seed004_unnamed_operations_and_their_times(seed004):
    inner = seed004.embedded[0]
    ops = {o.key: o for o in inner.operations}
    assert {k: ops[k].status for k in ("redeployment-of-the-ninth-army-group", "two-echelon-attack",
                                       "withdrawal-of-the-chinese-and-north-korean-troops")} == {
        "redeployment-of-the-ninth-army-group": "ordered", "two-echelon-attack": "proposed",
        "withdrawal-of-the-chinese-and-north-korean-troops": "rejected"}
    near = ops["redeployment-of-the-ninth-army-group"].when
    # the conveyed telegram is of 28 January 1951: "in the near future" is from then on
    assert (near.span.text, near.iso, near.precision, near.approximate, near.earliest, near.latest) == \
        ("in the near future", "1951-01", "month", True, "1951-01-28", None)
    echelons = ops["two-echelon-attack"].when
    assert (echelons.span.text, echelons.relation, echelons.operation) == \
        ("At the time of implementing the fourth operation", "during", "fourth-operation")


def test_seed004_embedded_cites_pengs_telegram(seed004):
    inner = seed004.embedded[0]
    c = inner.citations[0]
    assert c.direction == "your" and c.span.text == "your telegram of 27 January 1951, 24:00"
    # 24:00 is the end of 27 January: kept with minute precision
    assert (c.dates[0].iso, c.dates[0].precision) == ("1951-01-28T00:00", "minute")
    outer = seed004.citations[0]
    assert (outer.direction, outer.dates[0].iso) == ("my", "1951-01-28")
