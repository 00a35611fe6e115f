"""A whole archive page: frame, title, header block, text, signature block,
embedded telegrams, editorial summary and metadata tail.

The page is read as lines.  The frame (date line, title, sponsor line) comes
first and the metadata tail last; the archive's summary is the paragraph of
prose just before the tail.  What is left is the telegram: header lines from
the top, the signature block from the bottom, and quoted blocks inside that
are telegrams of their own.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import date

from ..errors import NotATelegram
from ..model import (
    ArchiveCitation,
    Copy,
    DateValue,
    PersonRef,
    Span,
    Spanned,
    Telegram,
    Transmission,
)
from .catalogue import parse_catalogue
from .dates import find_dates, find_time, parse_date, to_date, with_time
from .lines import Line, is_letter_spaced, is_prose, person_ref, split_lines
from .title import doc_type_of, names_in, parse_conveyed, parse_title

_TAIL_LABELS = (r"Author\(s\)|Associated People & Organizations|Associated Places|Associated Topics|"
                r"Document Information|Source|Original Archive|Rights|Original Uploaded Date|Type|Language|"
                r"Record ID|Subjects Discussed|Related Documents|Original Language")
# The tail starts at a label alone on its line, or one of the distinctive
# labels with its value after a colon.
TAIL_START = re.compile(r"^(?:(?:" + _TAIL_LABELS + r")\s*:?\s*$|(?:Author\(s\)|Record ID|Original Uploaded Date|"
                        r"Associated People & Organizations|Associated Places|Original Archive)\s*:)", re.I)
TAIL_LABEL = re.compile(r"^(?P<label>" + _TAIL_LABELS + r")\s*:?\s*(?P<value>.*)$", re.I)
SPONSOR = re.compile(r"^This document was made possible", re.I)
SKIP = re.compile(r"^Skip to (?:main )?content$", re.I)

OFFICE = re.compile(
    r"^(?:[A-Z][A-Z ,.\-()]*\b(?:ADMINISTRATION|STAFF|MINISTRY|COMMITTEE|DEPARTMENT|DIRECTORATE|MFA|"
    r"GRU|ARMY|EMBASSY|APPARATUS)\b[A-Z ,.\-()]*|MFA USSR|MID USSR|\w+ Department|\w+ Directorate)$")
CLASSIFICATION = re.compile(
    r"^(?P<c>Top Secret|Strictly Secret|Secret|Making copies is prohibited|Copying prohibited|"
    r"SPECIAL|Special(?: file)?|Personal|Of special importance|Совершенно секретно|Секретно|Особая папка)"
    r"(?:\s+no\.?\s*(?P<n>\d+))?\.?$", re.I)
# A decision's source: "Extract from protocol No. 84 of the session of the Politburo of the CC VKP(b)".
PROTOCOL = re.compile(r"^(?:(?:Extract|Excerpt) from (?:the )?(?:protocol|minutes)|Выписка из протокола)\s+"
                      r"(?:No\.?|Nº|№|#)\s*\w[\w/-]*\b.{0,100}$", re.I)
CLASSIFICATION_RU = {"совершенно секретно": "top secret", "секретно": "secret", "особая папка": "special file"}
# Copy handling: "Single copy", "Copy No. 1", "Copy 2 of 3", "Экз. единственный", "Экз. № 1", "экз. 2".
COPY_MARK = re.compile(
    r"^(?:(?P<single>Single copy|Only copy|Экз\.\s*единственный|Единственный экз\.)"
    r"|(?:Copy|Экз\.)\s*(?:No\.?|№|#)?\s*(?P<n>\d+)(?:\s*(?:of|из)\s*(?P<of>\d+))?)\.?$", re.I)
NUMBER_LINE = re.compile(
    r"^(?:(?P<kind>CIPHERED TELEGRAM|CIPHER TELEGRAM|TELEGRAM|CABLE|RADIOGRAM|Issuing|Outgoing|Incoming|"
    r"ШИФРОТЕЛЕГРАММА|ШИФРТЕЛЕГРАММА|ТЕЛЕГРАММА|ШИФРОВКА)"
    r"\s*)(?:No\.?|#|Nº|№|N)\s*(?P<num>[\w/.-]*\d[\w/-]*)", re.I)
COPIES = re.compile(r"^(?:Copies|Distribution(?: list)?)\b[^:]*:\s*(?P<list>.*)$", re.I)
COPY_ITEM = re.compile(r"\s*(?P<name>[^,()\-–]+?)\s*(?:\((?P<n1>\d+)\)|[-–]\s*(?P<n2>\d+))?\s*(?:,|$)")
FROM_LINE = re.compile(r"^(?:From|Из):?\s+(?P<place>[^\d]+?)(?=\s+(?:Received|Sent)\b|$)", re.I)
DESTINATION = re.compile(r"^Destination:\s*(?P<place>.+?)(?:\s+To Whom:\s*(?P<whom>.+))?$", re.I)
PLACE_ONLY = re.compile(r"^(?:To\s+)?(?P<place>BEIJING|PEKING|PYONGYANG|MOSCOW|SHANGHAI|MUKDEN|SHENYANG|"
                        r"HARBIN|DALNY|DALIAN|PORT ARTHUR|SEOUL|KAESONG|NEW YORK|BERLIN|WARSAW|ПЕКИН|МОСКВА|"
                        r"ПХЕНЬЯН)(?:,\s*[^,]{1,30})?\.?$", re.I)
TRANSMISSION = re.compile(
    r"(?<!\w)(?P<kind>Received|Sent|Deciphered|Typed|Dispatched|Transmitted|Получено|Отправлено|Расшифровано)"
    r"(?!\w)(?P<rest>.*?)"
    r"(?=(?<!\w)(?:Received|Sent|Deciphered|Typed|Dispatched|Transmitted|Получено|Отправлено|Расшифровано)(?!\w)|$)",
    re.I)
TRANSMISSION_KINDS = {"dispatched": "sent", "transmitted": "sent", "получено": "received", "отправлено": "sent",
                      "расшифровано": "deciphered"}
TRANSMISSION_STAGE = {"sent": 0, "received": 1, "deciphered": 2, "typed": 3}  # the order they happen in
URGENCY = re.compile(
    r"^(?P<u>EXTREMELY URGENT|Extremely urgent|TOP PRIORITY|Top priority|URGENT|Urgent|IMMEDIATE|"
    r"ВНЕ ОЧЕРЕДИ|ВЕСЬМА СРОЧНО|СРОЧНО|"
    r"Series\s+[\"“]?(?P<series>\w)[\"”]?)(?:\s+T)?\.?$|^T$", re.I)
URGENCY_RU = {"вне очереди": "top priority", "весьма срочно": "extremely urgent", "срочно": "urgent"}
TO_LINE = re.compile(r"^(?P<kind>TO|FOR|To Whom|Товарищу|Тов\.)\s*:?\s+(?P<who>.+)$", re.I)
# "Comrade N.V. ROSHCHIN" alone on a header line: the addressee by name.
ADDRESS_NAME = re.compile(r"^(?:Comrades?|Cde\.|Comr\.)\s+(?P<who>[A-Z][A-Z.\- ]*[A-Z](?:\s+[A-Z]\.[A-Z]\.)?)$")
FOOTNOTE = re.compile(r"^(?:x/|\*+|\d\))\s+\S.{0,120}$")
# A complimentary close ("With communist greetings,", "Respectfully,"): part of the signature block, not
# a closing instruction; read over, not kept among the closing lines.
GREETING = re.compile(r"^(?:With (?:communist|comradely|fraternal|warm|warmest|heartfelt|deep|profound|sincere|best) "
                      r"(?:greetings|respect|regards)|With respect|Respectfully|Yours|"
                      r"С (?:коммунистическим|товарищеским|братским) приветом|С (?:глубоким )?уважением)\b.{0,20}[,.!]?$",
                      re.I)
TRANSMIT = re.compile(r"^(?:Transmit the following (?:answer |reply |message )?to|To transmit to|Pass on to)\s+(?P<who>.+?)\.?:?$", re.I)
# "Comrade MAO ZEDONG!", "\"Cde. Mao Zedong!", "Dear Comrade Stalin!", and a name after "Dear" ("Dear Iosif
# Vissarionovich!") or before a comma ("Dear Comrade Mao Zedong,", "Comrade MAO ZEDONG,"): capitalised words only.
_SALUTED = r"[A-ZА-ЯЁ][\w.'\-]*(?:\s+[A-ZА-ЯЁ][\w.'\-]*){0,4}(?:\s*\[[^\]]{1,30}\])?"
SALUTATION = re.compile(r"^[\"“«]?\s*(?P<who>(?:Dear\s+)?(?:Comrades?|Cde\.?|Comr\.?|Товарищ|Тов\.)\s+[^!]{1,60}(?=!)|"
                        r"Dear\s+(?:(?:Comrades?|Cde\.?|Comr\.?)\s+)?" + _SALUTED + r"(?=[!,])|"
                        r"(?:Comrades?|Cde\.?|Comr\.?|Товарищ|Тов\.)\s+" + _SALUTED + r"(?=,))[!,]\s*$")
OUT_NUMBER = re.compile(r"^(?:No\.?|Nº|№|#)\s*(?P<num>[\w/.-]*\d[\w/-]*)\.?$", re.I)
# The last entry of a numbered copy list: "4. To file", "5. To the archive", "No. 2 to file", "4. В дело".
FILING_ITEM = re.compile(r"^(?:\d{1,2}\.|No\.\s*\d{1,2})\s*(?:to (?:the )?(?:file|files|archive)|в дело|в архив)\.?$",
                         re.I)
DISTRIBUTION_ITEM = re.compile(
    r"^\d{1,2}\.\s*(?:to\s+)?(?P<who>(?:Comr\.|Comrade|Cde\.|Com\.|Tov\.)\s*[\w.\-]+(?:\s+[\w.\-]+){0,2}?)\.?$", re.I)
CLOSING = re.compile(
    r"^(?:Confirm receipt|Confirm the receipt|Telegraph (?:the )?(?:fulfillment|execution|receipt)|"
    r"Report (?:on )?(?:fulfillment|execution)|\w+ copies printed|Printed in \w+ copies|#{2,}|\*{2,}|-{3,}|"
    r"Copy No\.|Deciphered by|Typed by)", re.I)
NAME_LINE = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ.\-'\s]+(?:\s*[\[(][^\])]+[\])])?\.?$")
LEAD_IN_TYPE = re.compile(r"\b(letter|note|telegram|cable|message|decision|directive|order)s?\b", re.I)
LEAD_IN_KIND = {"letter": "letter", "note": "note", "telegram": "telegram", "cable": "cable", "message": "message",
                "decision": "decision", "directive": "message", "order": "message"}
ARCHIVE_RE = re.compile(
    r"^(?P<archive>[A-Z][A-Za-z]*(?:\s[A-Z]{2,})?)\s*,"
    r"(?:\s*(?:f\.|fond)\s*(?P<fond>[\w-]+),?)?"
    r"(?:\s*(?:op\.|opis)\s*(?P<opis>[\w-]+),?)?"
    r"(?:\s*(?:p\.|papka)\s*(?:[\w-]+),?)?"
    r"(?:\s*(?:d\.|delo)\s*(?P<delo>[\w-]+),?)?"
    r"(?:\s*(?:p\.|papka)\s*(?:[\w-]+),?)?"
    r"(?:\s*(?:ll\.|l\.|listy|list)\s*(?P<listy>[\d\s,\-–]+\d))?")


def _date_line(line: Line) -> DateValue | None:
    """The page's date line, when the whole line is one date."""
    d = parse_date(line.text, offset=line.start, allow_short=False)
    if d and d.span.start == line.start and len(d.span.text) >= len(line.text.rstrip(".")) - 1:
        return d
    return None


def _quote_opens(text: str) -> bool:
    return text[:1] in "\"“«‘"


def _quote_closes(text: str) -> bool:
    t = text.rstrip(" .")
    return t[-1:] in "\"”»’" and not (len(t) > 1 and t[-2:] in ('""',))


# ---------------------------------------------------------------- header

class _Block:
    """Collects what the lines of one telegram (outer or embedded) say."""

    def __init__(self, page: str, several_authors: bool = False) -> None:
        self.page = page
        self.several_authors = several_authors  # the title names several: names may sign one under another
        self.numbers: list[tuple[str, Spanned]] = []
        self.to_lines: list[PersonRef] = []
        self.for_lines: list[PersonRef] = []
        self.transmit: list[PersonRef] = []
        self.named: list[PersonRef] = []
        self.whom: list[PersonRef] = []
        self.roles: list[Spanned] = []
        self.salutation_ref: PersonRef | None = None
        self.transmissions: list[Transmission] = []
        self.classification: list[Spanned] = []
        self.copies: list[Copy] = []
        self.closing: list[Spanned] = []
        self.complimentary_close: Spanned | None = None
        self.protocol: Spanned | None = None
        self.origin: Spanned | None = None
        self.destination: Spanned | None = None
        self.urgency: Spanned | None = None
        self.office: Spanned | None = None
        self.salutation: Spanned | None = None
        self.signatory: PersonRef | None = None
        self.co_signatories: list[PersonRef] = []  # the names signed below the signatory's
        self.name_below = False  # the signature line just read (below this one) was a name alone
        self.signature_date: DateValue | None = None
        self.pending_transmission: Transmission | None = None

    def header_line(self, line: Line, reference: date | None) -> bool:
        """Read one header line; False when it is not a header line."""
        t = line.text
        if (m := NUMBER_LINE.match(t)) and len(t) < 60:
            kind = (m.group("kind") or "").lower()
            role = "issuing" if kind == "issuing" else "outgoing" if kind == "outgoing" else "header"
            self.numbers.append((role, line.spanned(m.group("num"), m.start("num"), m.end("num"))))
            rest = t[m.end():].strip()
            if rest:
                self._transmissions(line, m.end(), reference)
            return True
        if (m := OUT_NUMBER.match(t)) and not self.numbers:
            # a bare "No. P84/112" at the top is the document's own number
            num = m.group("num").rstrip(".")
            self.numbers.append(("header", line.spanned(num, m.start("num"), m.start("num") + len(num))))
            return True
        if (m := CLASSIFICATION.match(t)):
            c = m.group("c").lower()
            value = CLASSIFICATION_RU.get(c, c) + (f" no. {m.group('n')}" if m.group("n") else "")  # Special no. 550
            self.classification.append(line.spanned(value, m.start("c"), m.end()))
            return True
        if PROTOCOL.match(t) and self.protocol is None:
            self.protocol = line.spanned(t.rstrip(" ."), 0, len(t.rstrip(" .")))
            return True
        if (m := COPY_MARK.match(t)):
            value = "single copy" if m.group("single") else \
                f"copy {m.group('n')} of {m.group('of')}" if m.group("of") else f"copy no. {m.group('n')}"
            self.classification.append(line.spanned(value, 0, m.end()))
            return True
        if (m := URGENCY.match(t)):
            if m.group("u"):
                u = m.group("u").lower()
                value = f"series {m.group('series').upper()}" if m.group("series") else URGENCY_RU.get(u, u)
                self.urgency = line.spanned(value, m.start("u"), m.end("u"))
            return True
        if (m := COPIES.match(t)):
            self._copies(line, m.start("list"))
            return True
        if (m := DESTINATION.match(t)):
            self.destination = line.spanned(m.group("place").strip().title(), m.start("place"), m.end("place"))
            if m.group("whom"):
                ref = person_ref(m.group("whom"), line.start + m.start("whom"))
                if ref:
                    self.whom.append(ref)
            return True
        if (m := FROM_LINE.match(t)) and len(m.group("place")) < 40 and not is_prose(t):
            self.origin = line.spanned(m.group("place").strip().title(), m.start("place"), m.end("place"))
            self._transmissions(line, m.end(), reference)
            return True
        if FROM_LINE.match(t.split(" Received")[0]) is None and t.lower().startswith("from ") and len(t) < 60:
            # "From Correspondent 20": a sender code, not a place
            self._transmissions(line, 0, reference)
            return True
        if (m := PLACE_ONLY.match(t)):
            self.destination = line.spanned(m.group("place").title(), m.start("place"), m.end("place"))
            return True
        if TRANSMISSION.match(t) and len(t) < 120:
            self._transmissions(line, 0, reference)
            return True
        if self.pending_transmission and (d := parse_date(t, reference, line.start)) and len(t) < 30:
            # "Received 18 hours 40 minutes" / "29.1.1951" on the next line.
            self._complete_transmission(d, line)
            return True
        if (m := TRANSMIT.match(t)):
            self.transmit += names_in(m.group("who"), line.start + m.start("who"))
            return True
        if (m := TO_LINE.match(t)) and len(t) < 90 and not is_prose(t):
            who = m.group("who")
            if who[:4].lower() == "the ":
                # "To the Ambassador of the USSR in the PRC": an office, not a name
                self.roles.append(line.spanned(who, m.start("who")))
                return True
            kind = m.group("kind").upper()
            refs = names_in(who, line.start + m.start("who"))
            {"FOR": self.for_lines, "TO WHOM": self.whom}.get(kind, self.to_lines).extend(refs)
            return True
        if (m := ADDRESS_NAME.match(t)) and len(t) < 50:
            ref = person_ref(m.group("who"), line.start + m.start("who"))
            if ref:
                self.named.append(ref)
            return True
        if OFFICE.match(t) and len(t) < 120:
            if self.office:
                self.office = Spanned(f"{self.office.value} / {t}", self.span(self.office.span.start, line.end))
            else:
                self.office = line.spanned(t)
            return True
        return False

    def stray_header_line(self, lines: list[Line], i: int, reference: date | None) -> bool:
        """Whether ``lines[i]``, a line no header pattern knows, lies among
        header lines: it is short and the next line is a header line.

        The first line of the text is often short too ("On Kaesong."), but
        the line after it is text, not header; a line that ends a sentence
        ("Agree.") is text even when a header-like line ("No. 12") follows.
        """
        t = lines[i].text
        if i + 1 >= len(lines) or len(t) > 40 or len(t.split()) > 5 or t[-1] in ":!?" or \
                (t[-1] == "." and t[-2:-1].islower()) or _quote_opens(t) or is_prose(t):
            return False
        return self.snapshot().header_line(lines[i + 1], reference)

    def snapshot(self) -> _Block:
        """A copy to try a line on without changing this block."""
        twin = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, list):
                setattr(twin, name, list(value))
        return twin

    def addressing(self) -> tuple[list[PersonRef], list[PersonRef]]:
        """Addressees and intermediaries from the addressing lines.

        ``TO KRASOVSKY`` + ``FOR Comrade MAO ZEDONG`` (or ``Transmit the
        following answer to MAO ZEDONG``): Krasovsky is the channel.  A
        salutation names the addressee only when nothing else does.
        """
        if self.for_lines or self.transmit:
            addressees = self.for_lines + self.transmit + self.named
            via = self.to_lines + self.whom
        else:
            addressees = self.to_lines + self.named
            via = list(self.whom)
        if not addressees and self.salutation_ref:
            addressees = [self.salutation_ref]
        if not addressees and self.roles:
            r = self.roles[0]
            addressees = [PersonRef(r.value, r.span)]
        return addressees, via

    def _copies(self, line: Line, at: int) -> None:
        text = line.text
        for m in COPY_ITEM.finditer(text, at):
            name = m.group("name")
            if not name or not name.strip() or re.fullmatch(r"\d+\s*copies", name.strip(), re.I):
                continue
            ref = person_ref(name, line.start + m.start("name"))
            if ref:
                n = m.group("n1") or m.group("n2")
                self.copies.append(Copy(ref, int(n) if n else 1))

    def _transmissions(self, line: Line, at: int, reference: date | None) -> None:
        for m in TRANSMISSION.finditer(line.text, at):
            kind = m.group("kind").lower()
            kind = TRANSMISSION_KINDS.get(kind, kind)
            rest, rest_at = m.group("rest"), m.start("rest")
            by = None
            b = re.match(r"\s*by\s+(?P<by>[A-Z][\w.\- ]*?)(?=\s+(?:on|at)\b|$)", rest)
            if b:
                by = b.group("by").strip()
            ref, later = reference, False
            if self.transmissions:
                previous = self.transmissions[-1]
                ref = to_date(previous.when) or reference
                # "Sent 27.1.51 23:10 Received 28.1 03:20": a year-less receipt is on or after the sending
                later = TRANSMISSION_STAGE.get(kind, 0) >= TRANSMISSION_STAGE.get(previous.kind, 0)
            if self.destination is None and kind == "received" and \
                    (place := re.match(r"\s*in\s+(?P<p>[A-Z][a-z]+)", rest)):
                # "Received in Moscow on 10/14/50 at 6:36 a.m."
                self.destination = line.spanned(place.group("p"), rest_at + place.start("p"),
                                                rest_at + place.end("p"))
            when = self._when(rest, line.start + rest_at, ref, later)
            if when is None:
                clock = find_time(rest)
                if clock:
                    h, mi, cm = clock
                    self.pending_transmission = Transmission(kind, DateValue(
                        f"{h:02d}:{mi:02d}", "time", Span(line.start + rest_at + cm.start(),
                                                          line.start + rest_at + cm.end(), cm.group(0))), by)
                continue
            self.transmissions.append(Transmission(kind, when, by))

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.page[start:end])

    def _when(self, text: str, offset: int, reference: date | None, later: bool = False) -> DateValue | None:
        """A date in a transmission line, with the time before or after it;
        ``later``: a date without a year is on or after ``reference``."""
        found = find_dates(text, reference, offset, future=later, allow_short=True)
        d = found[0] if found else None
        if d is None or d.precision != "day":
            return d
        if clock := find_time(text[: d.span.start - offset]):
            h, mi, cm = clock
            return with_time(d, h, mi, self.span(offset + cm.start(), d.span.end))
        if clock := find_time(text[d.span.end - offset:]):
            h, mi, cm = clock
            return with_time(d, h, mi, self.span(d.span.start, d.span.end + cm.end()))
        return d

    def _complete_transmission(self, day: DateValue, line: Line) -> None:
        pending = self.pending_transmission
        assert pending is not None
        h, mi = (int(x) for x in pending.when.iso.split(":"))
        span = self.span(pending.when.span.start, day.span.end)
        self.transmissions.append(Transmission(pending.kind, with_time(day, h, mi, span), pending.by))
        self.pending_transmission = None

    def signature_line(self, line: Line, reference: date | None) -> bool:
        """Read one line of the signature block (read bottom-up)."""
        t = line.text
        name_below, self.name_below = self.name_below, False
        if _quote_closes(t):
            return False  # the end of a quoted telegram: the signature is above it
        if (m := OUT_NUMBER.match(t)):
            self.numbers.append(("outgoing", line.spanned(m.group("num").rstrip("."), m.start("num"),
                                                          m.start("num") + len(m.group("num").rstrip(".")))))
            return True
        if (m := PLACE_ONLY.match(t)) and self.origin is None:
            # "Moscow" / "Peking" under the signature: where it was written ("Pyongyang,
            # 31 January 1950": and when)
            self.origin = line.spanned(m.group("place").title(), m.start("place"), m.end("place"))
            dates = find_dates(t[m.end("place"):], reference, line.start + m.end("place"), allow_short=False)
            if dates and self.signature_date is None:
                self.signature_date = dates[0]
            return True
        if FOOTNOTE.match(t):
            self.closing.insert(0, line.spanned(t))  # the editors' note under the text
            return True
        if GREETING.match(t):
            if self.complimentary_close is None:  # no closing instruction
                words = t.rstrip(" ,.!")
                self.complimentary_close = line.spanned(words, 0, len(words))
            return True
        if CLOSING.match(t) and len(t) < 100:
            self.closing.insert(0, line.spanned(t))
            return True
        if FILING_ITEM.match(t):
            self.closing.insert(0, line.spanned(t))
            return True
        if (m := DISTRIBUTION_ITEM.match(t)):
            ref = person_ref(m.group("who"), line.start + m.start("who"))
            if ref:
                self.copies.insert(0, Copy(ref, 1))
            return True
        if (m := COPIES.match(t)):
            self._copies(line, m.start("list"))
            return True
        dates = find_dates(t, reference, line.start, allow_short=False)
        if dates and len(t) < 60:
            d = dates[0]
            before = t[: d.span.start - line.start].strip(" ,.")
            rest = t[d.span.end - line.start:]
            if d.precision == "day" and (clock := find_time(rest)) and not rest[:clock[2].start()].strip(" ,."):
                h, mi, cm = clock
                d = with_time(d, h, mi, self.span(d.span.start, d.span.end + cm.end()))
                rest = rest[cm.end():]
            after = rest.strip(" ,.")
            name, at = (before, line.start) if before else (after, line.end - len(after))
            if name and not NAME_LINE.match(name):
                return False
            if self.signature_date is None:
                self.signature_date = d
            if name and self.signatory is None:
                self.signatory = person_ref(name, at)
            return True
        if (clock := find_time(t)) and clock[2].group(0).strip(". ") == t.strip(".”\" "):
            # "19:00." under "MAO ZEDONG, 28 January 1951": completed later.
            h, mi, cm = clock
            self.pending_transmission = Transmission("signature-time", DateValue(
                f"{h:02d}:{mi:02d}", "time", line.span(cm.start(), cm.end())))
            return True
        if NAME_LINE.match(t) and len(t) < 50 and (len(t.split()) <= 6 or is_letter_spaced(t)):
            if self.signatory is None:
                self.signatory = person_ref(t, line.start)
                self.name_below = self.signatory is not None
                return True
            if name_below and self.several_authors and len(self.co_signatories) < 4 and \
                    (ref := person_ref(t, line.start)):
                # "KIM IL SUNG" above "PAK HEON-YEONG": the first signs first
                self.co_signatories.insert(0, self.signatory)
                self.signatory, self.name_below = ref, True
                return True
        return False


# ---------------------------------------------------------------- blocks

def _block_telegram(lines: list[Line], text: str, reference: date | None, depth: int,
                    several_authors: bool = False) -> Telegram:
    """A telegram from its lines (header, text, signature), recursively
    taking quoted telegrams out as embedded records.  Names signed one under
    the other are co-signatories only when the title names ``several_authors``;
    otherwise the upper one more likely signs a message the lower one
    transmits ("MAO ZEDONG" over "ROSHCHIN"), and the lower one signs."""
    block = _Block(text, several_authors)
    i = 0
    while i < len(lines):
        if block.header_line(lines[i], reference) or (i > 0 and block.stray_header_line(lines, i, reference)):
            i += 1
        else:
            break
    if i < len(lines) and (m := SALUTATION.match(lines[i].text)):
        block.salutation = lines[i].spanned(m.group("who"), m.start("who"), m.end("who"))
        block.salutation_ref = person_ref(m.group("who"), lines[i].start + m.start("who"))
        i += 1
        while i < len(lines) and block.header_line(lines[i], reference):
            i += 1

    j = len(lines)
    while j > i and block.signature_line(lines[j - 1], reference):
        j -= 1
    if block.pending_transmission and block.signature_date and block.pending_transmission.kind == "signature-time":
        sig = block.signature_date
        if sig.precision == "day":
            h, mi = (int(x) for x in block.pending_transmission.when.iso.split(":"))
            block.signature_date = with_time(sig, h, mi, block.span(sig.span.start,
                                                                    block.pending_transmission.when.span.end))
        block.pending_transmission = None

    body = lines[i:j]
    embedded: list[Telegram] = []
    carried_numbers: list[tuple[str, Spanned]] = []
    k = 0
    while k < len(body):
        if _quote_opens(body[k].text):
            close = _closing_line(body, k)
            if close is not None and close > k:
                inner = _unquote(body[k:close + 1])
                child = _block_telegram(inner, text, reference, depth + 1)
                if k and (kinds := LEAD_IN_TYPE.findall(body[k - 1].text)):
                    # "The text of the letter follows:" says what the quote is
                    child = replace(child, doc_type=LEAD_IN_KIND[kinds[-1].lower()])
                if child.author or child.addressees or child.signature_date:
                    embedded.append(child)
                    k = close + 1
                    continue
        k += 1
    if embedded and j < len(lines):
        # A number line right after the quote, before the outer signature's
        # name, is the number of the quoted telegram ("No. 478." in 16052).
        last_quote_end = embedded[-1].text.end if embedded[-1].text else -1
        first_sig = lines[j]
        if OUT_NUMBER.match(first_sig.text) and first_sig.start > last_quote_end and \
                not any(ln.start < last_quote_end for ln in lines[j:]) and \
                text[last_quote_end:first_sig.start].strip(" \n\u00a0.”\"") == "":
            for role, n in list(block.numbers):
                if n.span.start == first_sig.start + OUT_NUMBER.match(first_sig.text).start("num"):
                    block.numbers.remove((role, n))
                    carried_numbers.append(("outgoing", n))
            if carried_numbers:
                embedded[-1] = replace(embedded[-1], numbers=embedded[-1].numbers + tuple(carried_numbers))

    addressees, via = block.addressing()
    start = lines[0].start if lines else 0
    end = lines[-1].end if lines else 0
    paragraphs = tuple(ln.span() for ln in body)
    signatory, co_signatories = block.signatory, tuple(block.co_signatories)
    return Telegram(
        numbers=tuple(block.numbers),
        addressees=tuple(addressees),
        via=tuple(via),
        origin=block.origin,
        destination=block.destination,
        transmissions=tuple(block.transmissions),
        urgency=block.urgency,
        classification=tuple(block.classification),
        copies=tuple(block.copies),
        issuing_office=block.office,
        salutation=block.salutation,
        text=Span(start, end, text[start:end]),
        paragraphs=paragraphs,
        author=signatory,
        signatory=signatory,
        co_signatories=co_signatories,
        signature_date=block.signature_date,
        complimentary_close=block.complimentary_close,
        protocol=block.protocol,
        closing=tuple(block.closing),
        embedded=tuple(embedded),
    )


def _closing_line(lines: list[Line], k: int) -> int | None:
    depth = 0
    for n in range(k, len(lines)):
        t = lines[n].text
        if _quote_opens(t):
            depth += 1
        # A line may open and close (a one-paragraph quote).
        if _quote_closes(t) and (n > k or len(t) > 1):
            depth -= 1
            if depth == 0:
                return n
    return None


def _unquote(lines: list[Line]) -> list[Line]:
    """The lines of a quoted block without the opening and closing marks."""
    first, last = lines[0], lines[-1]
    out = list(lines)
    lead = len(first.text) - len(first.text.lstrip("\"“«‘ "))
    out[0] = Line(first.start + lead, first.text[lead:], first.blank_before)
    last = out[-1]
    t = last.text.rstrip()
    cut = len(t)
    while cut and t[cut - 1] in ".\"”»’ ":
        cut -= 1
    # keep a final full stop that belongs to the text ("19:00." keeps none)
    out[-1] = Line(last.start, t[:cut], last.blank_before)
    return [ln for ln in out if ln.text]


# ---------------------------------------------------------------- tail

def _tail(lines: list[Line]) -> dict[str, list[Line]]:
    """Labels of the metadata tail and the lines of their values."""
    fields: dict[str, list[Line]] = {}
    current = None
    for line in lines:
        m = TAIL_LABEL.match(line.text)
        if m:
            current = m.group("label").lower()
            fields.setdefault(current, [])
            value = m.group("value").strip()
            if value:
                at = m.start("value")
                fields[current].append(Line(line.start + at, value))
        elif current:
            fields[current].append(line)
    return fields


def _archive_citation(line: Line) -> ArchiveCitation:
    m = ARCHIVE_RE.match(line.text)
    spanned = line.spanned(line.text.rstrip("."))
    if not m or not (m.group("fond") or m.group("delo")):
        return ArchiveCitation(spanned)
    listy = m.group("listy")
    return ArchiveCitation(spanned, m.group("archive"), m.group("fond"), m.group("opis"), m.group("delo"),
                           re.sub(r"\s+", "", listy.replace("–", "-")) if listy else None)


_NOT_LATIN = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_NOT_CYRILLIC = bytes(b for b in range(256) if not (b >= 0xC0 or b in (0xA8, 0xB8)))  # А-я, Ё, ё in cp1251


def _language(text: str) -> str:
    """The language(s) of the page's telegram text: English, Russian or both.

    >>> _language("Получил вашу телеграмму"), _language("I received your telegram")
    ('Russian', 'English')
    """
    # counted by C-level encode/translate: a regex or a loop over the characters costs 30x more
    latin = len(text.encode("ascii", "ignore").translate(None, _NOT_LATIN))
    cyrillic = len(text.encode("cp1251", "ignore").translate(None, _NOT_CYRILLIC))
    if cyrillic > 2 * latin:
        return "Russian"
    if cyrillic > 50 and latin > 50:
        return "English, Russian"
    return "English"


# ---------------------------------------------------------------- page

def parse_page(text: str) -> Telegram:
    """Parse one archive page into a :class:`Telegram` record.

    >>> page = "June 5, 1951\\nCiphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong\\n" \\
    ...        "CIPHERED TELEGRAM No. 3410\\nI received your telegram of June 4, and agree with it entirely.\\n" \\
    ...        "FILIPPOV [Stalin]\\nNo. 297/sh\\n5 June 1951\\n"
    >>> t = parse_page(page)
    >>> t.date.iso, t.telegram_number.value, t.number("outgoing").value, t.author.bracket
    ('1951-06-05', '3410', '297/sh', 'Stalin')
    """
    lines = split_lines(text)
    i = 0
    if i < len(lines) and SKIP.match(lines[i].text):
        i += 1
    page_date = _date_line(lines[i]) if i < len(lines) else None
    if page_date:
        i += 1
    title = None
    if i < len(lines) and not TAIL_START.match(lines[i].text):
        kind = doc_type_of(lines[i].text)
        if kind or page_date:
            title = parse_title(lines[i])
            i += 1
    if i < len(lines) and SPONSOR.match(lines[i].text):
        i += 1

    tail_at = next((n for n in range(i, len(lines)) if TAIL_START.match(lines[n].text)), len(lines))
    body = lines[i:tail_at]
    tail = _tail(lines[tail_at:])

    summary = None
    if body and is_prose(body[-1].text) and len(body) > 1 and not _quote_closes(body[-1].text) and \
            (tail or not is_prose(body[-2].text)):
        summary = body[-1].spanned(body[-1].text)
        body = body[:-1]

    if not title and not page_date:
        raise NotATelegram("no date line or document title at the top of the page")
    if not body:
        raise NotATelegram("a title but no telegram text")

    reference = to_date(page_date)
    core = _block_telegram(body, text, reference, 0, several_authors=bool(title and title.co_authors))

    numbers = list(core.numbers)
    if title and title.number:
        numbers.insert(0, ("title", title.number))
    author = title.author if title and title.author else core.signatory
    addressees = core.addressees or (title.addressees if title else ())
    via = tuple(core.via) + tuple(v for v in (title.via if title else ()) if
                                   all(v.name.lower() != w.name.lower() for w in core.via))
    if title and title.via and not core.via and core.addressees:
        # header "TO KRASOVSKY" without FOR: the title tells who is the channel
        channel = {v.name.lower() for v in title.via}
        addressees = tuple(a for a in core.addressees if a.name.lower() not in channel) or title.addressees

    embedded = core.embedded
    conveys: tuple[str, ...] = ()
    if title and title.conveys:
        conveys = (title.conveys.value,)
        if len(embedded) == 1:
            embedded = (_fill_from_conveys(embedded[0], title.conveys),)

    record_id = None
    if tail.get("record id"):
        ln = tail["record id"][0]
        rid = re.sub(r"\s+", "", ln.text)
        if rid.isdigit():
            record_id = ln.spanned(rid)
    archive_citation = _archive_citation(tail["source"][0]) if tail.get("source") else None
    uploaded = None
    if tail.get("original uploaded date"):
        ln = tail["original uploaded date"][0]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", ln.text):
            uploaded = DateValue(ln.text, "day", ln.span())
    archive_type = tail["type"][0].spanned(tail["type"][0].text) if tail.get("type") else None
    rights = None
    if tail.get("rights"):
        r = tail["rights"]
        rights = Spanned(" ".join(ln.text for ln in r), Span(r[0].start, r[-1].end, text[r[0].start:r[-1].end]))
    lang_value = tail["language"][0].text if tail.get("language") else None
    if lang_value and TAIL_LABEL.match(lang_value):
        lang_value = None

    return replace(
        core,
        doc_type=title.doc_type if title else "telegram",
        date=page_date,
        title=title and Spanned(lines[i - 1 - (1 if i and SPONSOR.match(lines[i - 1].text) else 0)].text,
                                _title_span(lines, page_date)),
        numbers=tuple(numbers),
        author=author,
        co_authors=title.co_authors if title and title.author else (),
        addressees=tuple(addressees),
        via=via,
        origin=core.origin or (title.origin if title else None),
        summary=summary,
        archive_citation=archive_citation,
        record_id=record_id,
        uploaded=uploaded,
        archive_type=archive_type,
        rights=rights,
        language=_language(core.text.text if core.text else ""),
        original_language=lang_value,
        catalogue=parse_catalogue(tail),
        conveys=conveys,
        embedded=embedded,
    )


def _title_span(lines: list[Line], page_date: DateValue | None) -> Span:
    k = 0
    if lines and SKIP.match(lines[0].text):
        k += 1
    if page_date:
        k += 1
    return lines[k].span()


def _fill_from_conveys(child: Telegram, conveys: Spanned) -> Telegram:
    """The title says who sent the conveyed telegram to whom, and when."""
    author, addressees = parse_conveyed(conveys)
    d = parse_date(conveys.value, offset=conveys.span.start, allow_short=False)
    return replace(
        child,
        author=child.author or author,
        addressees=child.addressees or tuple(addressees),
        signature_date=child.signature_date or d,
    )
