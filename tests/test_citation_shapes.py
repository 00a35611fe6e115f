"""References to other telegrams in the shapes of TELEGRAM-FORMATS.md §4
that name several telegrams, name the cited document with another word
(answer, reply, instruction), name its author, or are written in Russian.
The sentences are invented."""

from __future__ import annotations

from cable_kg.extract import annotate
from cable_kg.parse import parse_page
from cable_kg.rdf.build import presumed_parties


def convert(authority, body: str, date: str = "November 3, 1950",
            title: str = "Ciphered telegram, Shtykov to Cde. Filippov [Stalin]",
            head: str = "To Comrade FILIPPOV [Stalin]", signature: str = "SHTYKOV\nNo. 1288/sh\n2.XI.50"):
    text = f"{date}\n{title}\n{head}\n{body}\n{signature}\n"
    return annotate(parse_page(text), text, authority)


def cites(authority, body: str, **kw) -> list[tuple]:
    t = convert(authority, body, **kw)
    return [(c.direction, c.kind, tuple(d.iso for d in c.dates), c.number, c.incoming_number, c.plural,
             authority.person(c.third_party.name).key if c.third_party else None) for c in t.citations]


# ---------------------------------------------------------------- several telegrams named at once

def test_day_list_before_the_month_gives_every_date(authority):
    got = cites(authority, "To your telegram No. 4823 of 31 October and to my telegrams of 28 and 30 October.")
    assert got == [("your", "telegram", ("1950-10-31",), "4823", None, False, None),
                   ("my", "telegram", ("1950-10-28", "1950-10-30"), None, None, True, None)]


def test_day_list_of_three_and_month_first_list(authority):
    assert cites(authority, "We answer your telegrams of 20, 21 and 23 October.")[0][2] == \
        ("1950-10-20", "1950-10-21", "1950-10-23")
    assert cites(authority, "We answer your telegrams of October 20 and 23.")[0][2] == ("1950-10-20", "1950-10-23")


def test_day_list_takes_the_year_before_the_citing_date(authority):
    got = cites(authority, "On your telegrams of 30 and 31 December.", date="January 3, 1951",
                signature="SHTYKOV\n3 January 1951")
    assert got[0][2] == ("1950-12-30", "1950-12-31")


def test_numbers_list_gives_a_citation_per_number(authority):
    got = cites(authority, "Your telegrams Nos. 612 and 615 and your letter about the supply of fuel have been received.")
    assert [(d, k, n) for d, k, _, n, *_ in got] == [("your", "telegram", "612"), ("your", "telegram", "615"),
                                                    ("your", "letter", None)]


def test_outgoing_and_incoming_pairs_each_give_a_citation(authority):
    got = cites(authority, "To my [telegram] No. 156 (vkh. No. 1904) and No. 160 (vkh. No. 1951).")
    assert [(d, n, i) for d, _, _, n, i, *_ in got] == [("my", "156", "1904"), ("my", "160", "1951")]


def test_bare_number_after_my_no(authority):
    got = cites(authority, "In addition to my No. 2390 and No. 2395 I report.")
    assert [(d, n) for d, _, _, n, *_ in got] == [("my", "2390"), ("my", "2395")]


def test_a_number_list_is_not_taken_from_other_numbers(authority):
    got = cites(authority, "Your telegram No. 612 and 300 trucks have been received.")
    assert [n for _, _, _, n, *_ in got] == ["612"]


def test_his_telegrams_with_dates_is_a_third_party_citation(authority):
    t = convert(authority, "Ask about the telegram of Comrade SHTYKOV of 19 January (No. 4) and in his telegrams "
                           "of 20 and 23 January.", date="January 31, 1950",
                title="Letter, Kim Il Sung to Cde. Feng Xi [Stalin]", head="To Comrade STALIN I.V.",
                signature="KIM IL SUNG\n31 January 1950")
    got = [(c.direction, tuple(d.iso for d in c.dates), c.number, c.plural,
            authority.person(c.third_party.name).key if c.third_party else None) for c in t.citations]
    assert got == [("third", ("1950-01-19",), "4", False, "shtykov"),
                   ("third", ("1950-01-20", "1950-01-23"), None, True, "shtykov")]


def test_his_telegram_with_no_person_before_still_cites(authority):
    got = cites(authority, "He says that in his telegram of 2 November he wrote otherwise.")
    assert got == [("third", "telegram", ("1950-11-02",), None, None, False, None)]


def test_his_without_date_or_number_is_no_citation(authority):
    assert cites(authority, "Comrade KIM IL SUNG read his telegrams to us.") == []


# ---------------------------------------------------------------- other words for the cited document

def test_answer_reply_and_instruction_are_cited_documents(authority):
    got = cites(authority, "We received your answer of 30 October, transmitted by Comrade SHTYKOV.")
    assert got == [("your", "message", ("1950-10-30",), None, None, False, None)]
    assert cites(authority, "According to your instructions of 12 October we act.")[0][:3] == \
        ("your", "directive", ("1950-10-12",))
    assert cites(authority, "In my reply of 1 November I said so.")[0][:3] == ("my", "message", ("1950-11-01",))


def test_answer_as_a_verb_or_before_telegram_is_not_cited_twice(authority):
    assert cites(authority, "We answer your telegram of 1 November.") == \
        [("your", "telegram", ("1950-11-01",), None, None, False, None)]
    assert cites(authority, "Your reply telegram of 1 November received.") == \
        [("your", "telegram", ("1950-11-01",), None, None, False, None)]
    assert cites(authority, "Waiting for the answer of the Koreans.") == []


# ---------------------------------------------------------------- the author named

def two_addressees(authority, body: str):
    return convert(authority, body, date="January 28, 1951",
                   title="Ciphered telegram, Razuvaev to Cde. Fillippov [Stalin] and Cde. Vasilevsky",
                   head="To Comrade FILLIPPOV [Stalin]\nTo Comrade VASILEVSKY",
                   signature="RAZUVAEV\nNo. 318\n27 January 1951")


def test_second_addressees_telegram_is_his_not_the_first_addressees(authority):
    t = two_addressees(authority, "On your order of 25.1.51 and on Comrade VASILEVSKY's telegram No. 75310 "
                                  "of 24 January.")
    order, telegram = t.citations
    assert presumed_parties(t, order)[0] is not None
    assert authority.person(presumed_parties(t, order)[0].name).key == "stalin"
    sender, _ = presumed_parties(t, telegram)
    assert (telegram.number, telegram.dates[0].iso) == ("75310", "1951-01-24")
    assert authority.person(sender.name).key == "vasilevsky"


def test_telegram_of_the_second_addressee(authority):
    t = two_addressees(authority, "The telegram of Comrade VASILEVSKY of 24 January is received.")
    sender, _ = presumed_parties(t, t.citations[0])
    assert authority.person(sender.name).key == "vasilevsky"


def test_first_addressees_own_telegram_stays_your(authority):
    t = two_addressees(authority, "Comrade FILIPPOV's telegram of 24 January is received.")
    assert t.citations[0].direction == "your"


# ---------------------------------------------------------------- Russian

def russian(authority, body: str):
    return convert(authority, body, date="May 15, 1950", title="Ciphered telegram, Roshchin to Cde. Filippov [Stalin]",
                   head="Товарищу ФИЛИППОВУ", signature="РОЩИН\n№ 1114\n15.V.50")


def test_russian_third_party_citation(authority):
    t = russian(authority, "Телеграмму товарища ЧЖОУ ЭНЬЛАЯ от 12 мая (№ 4101) МАО ЦЗЭДУН считает утратившей силу.")
    got = [(c.direction, tuple(d.iso for d in c.dates), c.number) for c in t.citations]
    assert got == [("third", ("1950-05-12",), "4101")]
    assert authority.person(t.citations[0].third_party.name).key == "zhou-enlai"


def test_russian_citations_that_already_worked(authority):
    t = russian(authority, "На Ваш № 3012 (вх. № 14520) и в дополнение к моей телеграмме № 1109 от 13.V.50.")
    got = [(c.direction, tuple(d.iso for d in c.dates), c.number, c.incoming_number) for c in t.citations]
    assert got == [("your", (), "3012", "14520"), ("my", ("1950-05-13",), "1109", None)]


def test_a_year_less_numeric_date_after_of_is_the_cited_date():
    from datetime import date

    from cable_kg.extract.citations import read_text

    (c,) = read_text("Your telegram of 28.12 received.", date(1952, 1, 2))
    assert [d.iso for d in c.dates] == ["1951-12-28"]
    (c,) = read_text("Your telegram of 28.XII received.", date(1952, 1, 2))
    assert [d.iso for d in c.dates] == ["1951-12-28"]
