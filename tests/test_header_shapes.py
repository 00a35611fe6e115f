"""Header and signature shapes the parser must not stop at: copy-handling
lines (``Single copy``, ``Экз. единственный``), a stray short line among
header lines, a distribution list ending in ``4. To file`` and a
letter-spaced signature (``S H T Y K O V``).  Invented pages in the shapes
of TELEGRAM-FORMATS.md."""

from __future__ import annotations

import pytest

from cable_kg.parse import parse_page
from cable_kg.model import Telegram

RUSSIAN = """May 15, 1950
Ciphered telegram, Roshchin to Cde. Filippov [Stalin]
Совершенно секретно
{mark}
ШИФРТЕЛЕГРАММА № 8243
Из ПЕКИНА
Отправлено 14.V.1950 23 час. 50 мин.
Получено 15.V.1950 03 час. 40 мин.
ВНЕ ОЧЕРЕДИ
Товарищу ФИЛИППОВУ
На Ваш № 3012 и в дополнение к моей телеграмме № 1109 от 13.V.50 сообщаю следующее.
Сегодня МАО ЦЗЭДУН принял меня и просил подтвердить, что вопрос обсуждался в Москве.
РОЩИН
№ 1114
15.V.50
"""

ENGLISH = """January 28, 1951
Ciphered telegram, Razuvaev to Cde. Filippov [Stalin]
CIPHERED TELEGRAM No. 600107/sh
{mark}
FROM: PYONGYANG
Sent 27.1.51 23:10 Received 28.1 03:20
TOP PRIORITY
To Comrade FILIPPOV [Stalin]
On your order of 25.1.51 I report that the corps is withdrawing to the river line.
The Chinese comrades ask for one hundred trucks within ten days.
RAZUVAEV
No. 318
28.1.51
"""


def transmissions(t: Telegram) -> list[tuple[str, str]]:
    return [(x.kind, x.when.iso) for x in t.transmissions]


def first_paragraph(t: Telegram) -> str:
    return t.paragraphs[0].text


# ---------------------------------------------------------------- copy-handling lines

@pytest.mark.parametrize("mark, value", [
    ("Экз. единственный", "single copy"),
    ("Экз. № 1", "copy no. 1"),
    ("экз. 2", "copy no. 2"),
])
def test_russian_copy_line_keeps_the_rest_of_the_header(mark, value):
    t = parse_page(RUSSIAN.format(mark=mark))
    assert t.telegram_number.value == "8243"
    assert transmissions(t) == [("sent", "1950-05-14T23:50"), ("received", "1950-05-15T03:40")]
    assert t.urgency.value == "top priority"
    assert t.origin.value == "Пекина"
    assert [a.name for a in t.addressees] == ["ФИЛИППОВУ"]
    assert [c.value for c in t.classification] == ["top secret", value]
    assert first_paragraph(t).startswith("На Ваш № 3012")
    assert t.signatory.name == "РОЩИН" and t.number("outgoing").value == "1114"


@pytest.mark.parametrize("mark, value", [
    ("Single copy", "single copy"),
    ("Copy No. 1", "copy no. 1"),
    ("Copy 2 of 3", "copy 2 of 3"),
    ("Special no. 12", "special no. 12"),  # a handling line with its number
])
def test_english_copy_line_keeps_the_rest_of_the_header(mark, value):
    t = parse_page(ENGLISH.format(mark=mark))
    assert t.telegram_number.value == "600107/sh"
    assert t.origin.value == "Pyongyang"
    assert transmissions(t) == [("sent", "1951-01-27T23:10"), ("received", "1951-01-28T03:20")]
    assert t.urgency.value == "top priority"
    assert [c.value for c in t.classification] == [value]
    assert first_paragraph(t).startswith("On your order")


# ---------------------------------------------------------------- a stray line in the header

def test_unknown_short_line_between_header_lines_does_not_end_the_header():
    t = parse_page(ENGLISH.format(mark="Kh-7/b"))
    assert t.origin.value == "Pyongyang"
    assert transmissions(t) == [("sent", "1951-01-27T23:10"), ("received", "1951-01-28T03:20")]
    assert t.urgency.value == "top priority"
    assert [a.name for a in t.addressees] == ["FILIPPOV"]
    assert first_paragraph(t).startswith("On your order")


def test_short_first_line_of_the_text_stays_in_the_text():
    page = ("June 5, 1951\nCiphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong\n"
            "CIPHERED TELEGRAM No. 3410\nTo Comrade MAO ZEDONG\n"
            "On Kaesong.\n"
            "We agree with your proposal about the talks and ask you to keep us informed.\n"
            "FILIPPOV [Stalin]\nNo. 297/sh\n5 June 1951\n")
    t = parse_page(page)
    assert first_paragraph(t) == "On Kaesong."
    assert [a.name for a in t.addressees] == ["MAO ZEDONG"]


def test_short_line_before_a_salutation_stays_in_the_text():
    page = ("June 5, 1951\nCiphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong\n"
            "CIPHERED TELEGRAM No. 3410\n"
            "Personally.\n"
            "We agree with your proposal about the talks and ask you to keep us informed.\n"
            "FILIPPOV [Stalin]\nNo. 297/sh\n5 June 1951\n")
    t = parse_page(page)
    assert first_paragraph(t) == "Personally."


@pytest.mark.parametrize("body, text", [
    ("Top Secret\nAgree.\nNo. 12\nFILIPPOV\n5 June 1951\n", "Agree."),
    ("Top Secret\nI agree.\nBEIJING\nFILIPPOV\n5 June 1951\n", "I agree."),
    ("Top Secret\nOn the talks\nWe agree with your proposal and ask you to keep us informed.\n"
     "FILIPPOV\n5 June 1951\n", "On the talks"),
])
def test_a_short_telegram_text_is_not_taken_for_a_header_line(body, text):
    t = parse_page("June 5, 1951\nCiphered telegram, Filippov [Stalin] to Mao Zedong\n" + body)
    assert first_paragraph(t) == text
    assert t.signatory.name == "FILIPPOV"


# ---------------------------------------------------------------- distribution list under the signature

SIGNED = """July 4, 1950
Ciphered telegram, Filippov [Stalin] to Kim Il Sung (via Shtykov)
Top Secret
To transmit to Comrade KIM IL SUNG
Your telegrams Nos. 612 and 615 about the supply of aviation fuel have been received.
The fuel will be sent through Andong in the course of July, and SHTYKOV will agree the details.
FILIPPOV [Stalin]
{date}
1. Comr. Stalin
2. Comr. Molotov
3. Comr. Malenkov
{last}"""


@pytest.mark.parametrize("date", ["4/7-50", "4 July 1950"])
@pytest.mark.parametrize("last", ["4. To file", "4. To the archive", "No. 2 to file", "4. В дело"])
def test_filing_line_in_a_numbered_copy_list(date, last):
    t = parse_page(SIGNED.format(date=date, last=last))
    assert t.signatory.name == "FILIPPOV" and t.signatory.bracket == "Stalin"
    assert t.signature_date.iso == "1950-07-04"
    assert [(c.person.name, c.count) for c in t.copies] == [("Stalin", 1), ("Molotov", 1), ("Malenkov", 1)]
    assert last in [c.value for c in t.closing]
    assert all(not p.text.startswith("FILIPPOV") for p in t.paragraphs)


def test_distribution_label_over_the_copy_list():
    t = parse_page(SIGNED.format(date="4/7-50", last="4. To file").replace("1. Comr.", "Distribution:\n1. Comr."))
    assert t.signatory.name == "FILIPPOV"
    assert len(t.copies) == 3


# ---------------------------------------------------------------- letter-spaced signature

@pytest.mark.parametrize("signature, name", [
    ("S H T Y K O V", "SHTYKOV"),
    ("R O S H C H I N", "ROSHCHIN"),
    ("M A O  Z E D O N G", "MAO ZEDONG"),
])
def test_letter_spaced_signature(signature, name):
    page = ("November 3, 1950\nCiphered telegram No. 601288/sh, Shtykov to Cde. Filippov [Stalin]\n"
            "CIPHERED TELEGRAM No. 601288/sh\nTo Comrade FILIPPOV [Stalin]\n"
            "KIM IL SUNG asks whether the two anti-aircraft regiments can be sent to Kanggye by 10 November.\n"
            f"{signature}\nNo. 1288/sh\n2.XI.50\nConfirm receipt.\n")
    t = parse_page(page)
    assert t.signatory is not None and t.signatory.name == name
    assert t.signature_date.iso == "1950-11-02"
    assert t.number("outgoing").value == "1288/sh"
    assert t.paragraphs[-1].text.startswith("KIM IL SUNG asks")


# ---------------------------------------------------------------- year-less receipt time

def test_yearless_receipt_the_day_after_sending_keeps_the_year():
    t = parse_page(ENGLISH.format(mark="TOP SECRET"))
    assert transmissions(t) == [("sent", "1951-01-27T23:10"), ("received", "1951-01-28T03:20")]


DECISION = """July 3, 1952
Politburo decision with approved message from I.V. Stalin to Mao Zedong
{protocol}
Strictly Secret
TO ROSHCHIN
FOR Comrade MAO ZEDONG
Approve the draft answer of Comrade FILIPPOV to Comrade MAO ZEDONG (attached).
Comrade MAO ZEDONG!
In reply to your telegrams of 1 June 1952, I inform you of the following.
FILIPPOV [Stalin]
No. 5523/sh
3 July 1952
"""


@pytest.mark.parametrize("protocol", ["Extract from protocol No. 74 of the Politburo session of 3 July 1952",
                                      "Excerpt from the minutes No. 74 of the session of the Politburo",
                                      "Выписка из протокола № 74 заседания Политбюро ЦК ВКП(б)"])
def test_a_decisions_protocol_line_is_a_header_line_and_the_addressing_below_it_is_read(protocol):
    """The message of an unquoted decision page is addressed below the protocol
    line: "TO ROSHCHIN", "FOR Comrade MAO ZEDONG" (the header used to stop at
    the protocol line, and the message had no addressee)."""
    page = DECISION.format(protocol=protocol)
    t = parse_page(page)
    assert page[t.protocol.span.start:t.protocol.span.end] == t.protocol.value == protocol
    assert [c.value for c in t.classification] == ["strictly secret"]
    assert [a.name for a in t.addressees] == ["MAO ZEDONG"] and [v.name for v in t.via] == ["ROSHCHIN"]


def test_a_protocol_in_the_text_is_not_a_header_line():
    page = DECISION.format(protocol="Top Secret").replace(
        "In reply", "Extract from protocol No. 74 follows.\nIn reply")
    assert parse_page(page).protocol is None


@pytest.mark.parametrize("title, kind", [("Memorandum of Conversation between Stalin and Zhou Enlai", "note"),
                                         ("Record of Conversation between Comrade I.V. Stalin and Mao Zedong", "message")])
def test_a_record_of_a_conversation_has_no_author_or_addressee_from_its_title(title, kind):
    """ "Memorandum of Conversation between A and B" names the talk's parties:
    not an author ("of Conversation between Stalin", as it was read) and an addressee."""
    from cable_kg.parse.lines import Line
    from cable_kg.parse.title import parse_title

    t = parse_title(Line(0, title))
    assert (t.doc_type, t.author, t.addressees, t.via) == (kind, None, (), ())
    letter = parse_title(Line(0, "Memorandum, Vyshinsky to Cde. Stalin"))
    assert (letter.author.name, [a.name for a in letter.addressees]) == ("Vyshinsky", ["Stalin"])
