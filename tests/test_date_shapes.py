"""Dates in the shapes of TELEGRAM-FORMATS.md section 6 that the extraction
once got wrong: relative expressions counted from the page's date line
instead of the telegram's own date, a received time without a year put a
year before its sending, year-less ``28.XII`` and ``28.12`` in running text.

Every page here is invented, in the shapes of the archive's pages."""

from __future__ import annotations

from datetime import date

import pytest

from cable_kg.extract import annotate
from cable_kg.parse import parse_page
from cable_kg.parse.dates import find_dates


@pytest.fixture(scope="module")
def authority():
    from cable_kg.resolve import Authority
    return Authority.load()


def read(authority, text: str):
    return annotate(parse_page(text), text, authority)


def dates_of(t) -> list[tuple[str, str, str]]:
    return [(m.span.text, m.date.iso, m.date.precision) for m in t.mentions if m.kind == "date"]


def relative_of(t) -> list[tuple[str, str, str]]:
    return [(m.span.text, m.date.iso, m.date.precision) for m in t.mentions
            if m.kind == "date" and m.date.relative_to == "document"]


# ---------------------------------------------------------------- 1. relative to the telegram's own date

# The page's date line is the day the telegram was received in Moscow, a day after it was written.
SHTYKOV = """November 3, 1950
Ciphered telegram No. 601288/sh, Shtykov to Cde. Filippov [Stalin]
CIPHERED TELEGRAM No. 601288/sh
FROM: KANGGYE
Sent by wire on 11/2/50 at 11:40 p.m.
Received in Moscow on 11/3/50 at 1:15 a.m.
To Comrade FILIPPOV [Stalin]
{body}
S H T Y K O V
No. 1288/sh
{signature}
"""


def test_today_counts_from_the_signature_date_not_the_page_date(authority):
    t = read(authority, SHTYKOV.format(body="Today at 14:00 KIM IL SUNG received me and asked for aircraft.",
                                       signature="2.XI.50"))
    assert relative_of(t) == [("Today at 14:00", "1950-11-02T14:00", "minute")]
    # the event the sentence reports takes that date
    assert [(e.kind, e.date.iso) for e in t.events] == [("receipt", "1950-11-02T14:00")]


def test_yesterday_counts_from_the_telegrams_date(authority):
    t = read(authority, SHTYKOV.format(body="Yesterday KIM IL SUNG received me.", signature="2.XI.50"))
    assert relative_of(t) == [("Yesterday", "1950-11-01", "day")]


def test_without_a_signature_date_the_sent_time_is_the_telegrams_date(authority):
    t = read(authority, SHTYKOV.format(body="Today at 14:00 KIM IL SUNG received me.", signature=""))
    assert relative_of(t) == [("Today at 14:00", "1950-11-02T14:00", "minute")]


def test_sent_at_24_00_is_the_end_of_that_day(authority):
    text = """January 28, 1951
Ciphered telegram, Razuvaev to Cde. Filippov [Stalin]
CIPHERED TELEGRAM No. 600107/sh
FROM: PYONGYANG
Sent 27.1.51 24:00 Received 28.1 03:20
To Comrade FILIPPOV [Stalin]
Today at 22:00 Pyongyang time PENG DEHUAI and KIM IL SUNG decided to hold the bridgehead south of Seoul.
RAZUVAEV
No. 318
27 January 1951, 24:00
"""
    t = read(authority, text)
    assert relative_of(t) == [("Today at 22:00", "1951-01-27T22:00", "minute")]
    # 24:00 itself stays the next day's 00:00
    assert t.signature_date.iso == "1951-01-28T00:00"
    assert [(x.kind, x.when.iso) for x in t.transmissions][0] == ("sent", "1951-01-28T00:00")


def test_a_signature_date_after_the_sending_gives_way_to_the_sent_time(authority):
    # Sent at 23:50 on the 14th, signed "15.V.50", the page dated the 15th: "today" is the 14th.
    text = """May 15, 1950
Ciphered telegram, Roshchin to Cde. Filippov [Stalin]
Совершенно секретно
ШИФРТЕЛЕГРАММА № 8243
Из ПЕКИНА
Отправлено 14.V.1950 23 час. 50 мин.
Получено 15.V.1950 03 час. 40 мин.
Товарищу ФИЛИППОВУ
Сегодня в 23 часа МАО ЦЗЭДУН принял меня и сообщил, что КИМ ИР СЕН прибыл в Пекин 13 мая.
РОЩИН
№ 1114
15.V.50
"""
    t = read(authority, text)
    assert [(x.kind, x.when.iso) for x in t.transmissions][0] == ("sent", "1950-05-14T23:50")
    assert relative_of(t) == [("Сегодня в 23 часа", "1950-05-14T23:00", "minute")]


ROSHCHIN = """November 16, 1950
Ciphered telegram, Roshchin to Filippov [Stalin], transmitting a telegram from Peng Dehuai
CIPHERED TELEGRAM No. 26418
From BEIJING
Sent 15.11 21:30 Received 16.11 02:10
To Comrade FILIPPOV [Stalin]
Today ZHOU ENLAI handed me the following telegram of Comrade PENG DEHUAI:
"Comrade MAO ZEDONG!
Today at 10:00 the 38th army received your telegram of 12 November.
PENG DEHUAI
14.XI.50 22:00"
I consider that the request deserves support.
ROSHCHIN
No. 2620
15.11.50
"""


def test_embedded_telegram_counts_from_its_own_date(authority):
    t = read(authority, ROSHCHIN)
    assert relative_of(t) == [("Today", "1950-11-15", "day")]
    [inner] = t.embedded
    assert relative_of(inner) == [("Today at 10:00", "1950-11-14T10:00", "minute")]


def test_year_of_a_plan_counts_from_the_telegrams_date(authority):
    # written on 31 December 1950, the page dated 2 January 1951: "by 1 January" is the next day
    text = """January 2, 1951
Ciphered telegram, Filippov [Stalin] to Mao Zedong
CIPHERED TELEGRAM No. 7
To Comrade MAO ZEDONG
The materials will be sent from Harbin by 1 January.
FILIPPOV
31.XII.50
"""
    assert dates_of(read(authority, text)) == [("1 January", "1951-01-01", "day")]


@pytest.mark.parametrize("words, iso", [
    ("Today at 11:40 p.m.", "1950-11-02T23:40"),
    ("Today at 14.00", "1950-11-02T14:00"),
    ("Today, at 14:00,", "1950-11-02T14:00"),
    ("Today at 14 hours 30 minutes", "1950-11-02T14:30"),
    ("Today at 1400", "1950-11-02T14:00"),
])
def test_today_keeps_its_time(authority, words, iso):
    t = read(authority, SHTYKOV.format(body=f"{words} KIM IL SUNG received me.", signature="2.XI.50"))
    [(span, value, precision)] = relative_of(t)
    assert (value, precision) == (iso, "minute") and words.startswith(span)


# ---------------------------------------------------------------- 2. received after sent

def test_a_year_after_the_sending_for_a_received_time():
    # what the transmission lines ask of parse.dates: on or after the sent time, across the new year
    def after(text, sent):
        return [d.iso for d in find_dates(text, sent, future=True, allow_short=True)]
    assert after("1.1 02:00", date(1950, 12, 31)) == ["1951-01-01T02:00"]
    assert after("16.11 02:10", date(1950, 11, 15)) == ["1950-11-16T02:10"]
    assert after("15.11 23:10", date(1950, 11, 15)) == ["1950-11-15T23:10"]


def test_received_time_in_a_page_is_after_the_sent_time(authority):
    # (the year-less receipt is read in parse/page.py, _Block._transmissions)
    t = parse_page(ROSHCHIN)
    assert [(x.kind, x.when.iso) for x in t.transmissions] == [("sent", "1950-11-15T21:30"),
                                                               ("received", "1950-11-16T02:10")]
    t = parse_page(ROSHCHIN.replace("November 16, 1950", "January 1, 1951")
                   .replace("Sent 15.11 21:30 Received 16.11 02:10", "Sent 31.12 23:00 Received 1.1 02:00"))
    assert [x.when.iso for x in t.transmissions] == ["1950-12-31T23:00", "1951-01-01T02:00"]


# ---------------------------------------------------------------- 3. year-less day.month

FYN_SI = """January 2, 1952
Ciphered Telegram No. 5, Fyn Si (Stalin) to Krasovsky, for Cde. Mao Zedong
CIPHERED TELEGRAM No. 7
TO KRASOVSKY
FOR Comrade MAO ZEDONG
{body}
FYN SI
2.I.52
"""


@pytest.mark.parametrize("body, expected", [
    ("Your telegram of 28.XII was received.", [("28.XII", "1951-12-28", "day")]),
    ("Your telegram of 28.XII.", [("28.XII", "1951-12-28", "day")]),
    ("Your telegram of 28.12 was received.", [("28.12", "1951-12-28", "day")]),
    ("Your telegram of 28.12.", [("28.12", "1951-12-28", "day")]),
    ("The letter dated 30.12 and the note from 31.XII are known to us.",
     [("30.12", "1951-12-30", "day"), ("31.XII", "1951-12-31", "day")]),
    ("Ваша телеграмма от 29.XII получена.", [("29.XII", "1951-12-29", "day")]),
    ("Ваша телеграмма от 29.12 получена.", [("29.12", "1951-12-29", "day")]),
    ("Ваша телеграмма от 28.12 разрешает вопрос.", [("28.12", "1951-12-28", "day")]),
    ("The talks were broken off on 1.I and resumed on 2.I.", [("1.I", "1952-01-01", "day"),
                                                            ("2.I", "1952-01-02", "day")]),
    ("Our telegram of 3.V remains in force.", [("3.V", "1951-05-03", "day")]),
    # the shapes with a year still win
    ("Your telegram of 28.XII.51 was received.", [("28.XII.51", "1951-12-28", "day")]),
    ("Your telegram of 28.12.51 was received.", [("28.12.51", "1951-12-28", "day")]),
])
def test_yearless_day_month(authority, body, expected):
    assert dates_of(read(authority, FYN_SI.format(body=body))) == expected


@pytest.mark.parametrize("body", [
    "1.I ask you to send the materials.",
    "2.I agree with your proposal.",
    "The front moved from 2.5 to 3.5 km to the north.",
    "The troops advanced on 1.5 km front.",
    "A reserve of 1.5 tons of fuel is left.",
    "Deliveries of 2.5 thousand tons were made.",
    "The ratio is 3.5 to one and the rate 12.5 percent.",
    "Point 3.2 of the agreement is accepted.",
    "The division lost 4.3 per cent of its men.",
    "The enemy has 28.12 and the rest.",
    "От 1.5 до 2 тысяч солдат отошли.",
    "The rate rose from 1.5 to 2.5 and then fell.",
])
def test_numbers_are_not_yearless_dates(authority, body):
    assert dates_of(read(authority, FYN_SI.format(body=body))) == []


def test_yearless_day_month_in_a_citation(authority):
    t = read(authority, FYN_SI.format(body="Your telegram of 28.XII was received."))
    assert [tuple(d.iso for d in c.dates) for c in t.citations] == [("1951-12-28",)]
