"""Small extraction slips found by a probe of invented pages: a unit takes its
whole designation (``1st army corps``), a time within some days is a range
from the telegram's date, a complimentary close is no closing instruction,
and ``Dear <name>!`` is a salutation."""

from __future__ import annotations

import pytest

from cable_kg.extract import annotate
from cable_kg.parse import parse_page
from cable_kg.resolve import Authority


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.load()


def page(body: str, signature: str = "FILIPPOV [Stalin]\nNo. 297/sh\n5 June 1951") -> str:
    return f"June 5, 1951\nCiphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong\n{body}\n{signature}\n"


def mentions(authority: Authority, body: str, kind: str, **kw):
    text = page(body, **kw)
    t = annotate(parse_page(text), text, authority)
    return [m for m in t.mentions if m.kind == kind]


# ---------------------------------------------------------------- units: the longest designation wins

@pytest.mark.parametrize("sentence, expected", [
    ("In my telegram No. 310 I reported that the 1st army corps was withdrawing to the Han River.",
     [("1st army corps", "1st army corps")]),
    ("The 39th Army Corps and the 5th mechanized corps will attack.",
     [("39th army corps", "39th Army Corps"), ("5th mechanized corps", "5th mechanized corps")]),
    ("The 1st and 2nd army corps hold the line.", [("1st and 2nd army corps", "1st and 2nd army corps")]),
    ("The 3rd rifle division and the 1st guards tank division hold the line.",
     [("3rd rifle division", "3rd rifle division"), ("1st guards tank division", "1st guards tank division")]),
    ("The 4th field army crossed the river.", [("4th field army", "4th field army")]),
    # what already worked stays as it was
    ("The 13th army group, the 38th army and the 2nd tank regiment will attack.",
     [("13th army group", "13th army group"), ("38th army", "38th army"), ("2nd tank regiment", "2nd tank regiment")]),
    # a head that needs a modifier still needs one
    ("The army corps will attack.", []),
])
def test_a_unit_takes_its_whole_designation(authority, sentence, expected):
    assert [(m.value, m.span.text) for m in mentions(authority, sentence, "unit")] == expected


# ---------------------------------------------------------------- dates: a time within some days

def dates(authority, body, **kw):
    return [(m.span.text, m.date.iso, m.date.precision, m.date.approximate, m.date.earliest, m.date.latest,
             m.date.relative_to) for m in mentions(authority, body, "date", **kw)]


def test_within_days_is_a_range_from_the_telegrams_date(authority):
    """"within 10-12 days" is placed at the telegram's date (where the range starts, as the gold files
    have it), approximate, and bounded by the twelfth day after it."""
    got = dates(authority, "The Chinese comrades ask for 100 trucks, which should arrive in Sinuiju within 10-12 days.",
                signature="RAZUVAEV\nNo. 318\n27 January 1951, 24:00")
    assert got == [("within 10-12 days", "1951-01-27", "day", True, "1951-01-27", "1951-02-08", "document")]


@pytest.mark.parametrize("sentence", [
    "The division will rest for two weeks.",
    "The division will hold out for 10-12 days.",
    "The division was repaired within 10 days.",
    "In 5 days of fighting the division advanced 30 km.",
    "The ammunition is enough for 5 days.",
])
def test_durations_are_not_dates(authority, sentence):
    assert dates(authority, sentence) == []


# ---------------------------------------------------------------- complimentary close and salutation

LETTER = """Today ZHOU ENLAI handed me the following letter:
“Dear Comrade Filippov!
We support the request of Comrade PENG DEHUAI and ask you to examine it.
{close}
ZHOU ENLAI
15 November 1950”
I consider that the request deserves support.
Confirm receipt."""


@pytest.mark.parametrize("close", ["With communist greetings,", "With comradely greetings,", "With respect,",
                                   "Respectfully,", "With deep respect,"])
def test_a_complimentary_close_is_no_closing_instruction(close):
    t = parse_page(page(LETTER.format(close=close), signature="ROSHCHIN\nNo. 2620\n15.11.50"))
    [letter] = t.embedded
    assert (letter.signatory.name, letter.signature_date.iso) == ("ZHOU ENLAI", "1950-11-15")
    assert [c.value for c in letter.closing] == []
    assert all(close not in p.text for p in letter.paragraphs)
    # a real closing instruction is still one
    assert [c.value for c in t.closing] == ["Confirm receipt."]


SALUTED = """To Comrade FILIPPOV [Stalin]
Your telegram of 6.7.50 was received. I give the text of the note:
“To Comrade STALIN I.V.
{salutation}
We thank you for the help in arms.
KIM IL SUNG
8 July 1950”"""


@pytest.mark.parametrize("salutation, value", [
    ("Dear Iosif Vissarionovich!", "Dear Iosif Vissarionovich"),
    ("Dear Comrade Stalin!", "Dear Comrade Stalin"),
    ("Dear Comrade Mao Zedong,", "Dear Comrade Mao Zedong"),
    ("Comrade MAO ZEDONG!", "Comrade MAO ZEDONG"),
    ("\"Cde. Mao Zedong!", "Cde. Mao Zedong"),
])
def test_dear_name_is_a_salutation(salutation, value):
    t = parse_page(page(SALUTED.format(salutation=salutation), signature="SHTYKOV\nNo. 512\n8.7.50"))
    [note] = t.embedded
    assert note.salutation is not None and note.salutation.value == value
    assert all(salutation not in p.text for p in note.paragraphs)
    assert note.paragraphs[0].text == "We thank you for the help in arms."


@pytest.mark.parametrize("line", ["Dear friends, we have received your letter and thank you!",
                                  "Comrade KIM IL SUNG reported that the enemy retreated,"])
def test_a_sentence_is_no_salutation(line):
    t = parse_page(page(SALUTED.format(salutation=line), signature="SHTYKOV\nNo. 512\n8.7.50"))
    [note] = t.embedded
    assert note.salutation is None
