"""Dates in a telegram's text, normalised against the telegram's own date.

Candidates are found from literal anchors only (month names, English and
Russian, from the automaton; ``.`` and ``/`` between digits; ``19xx``;
``ago``, ``today``, ``this year``, the unit words of ``in two to three
months``; ``operation``), then read with the shapes of
:mod:`cable_kg.parse.dates`.

The telegram's date (:func:`telegram_date`) is the day it was written:
its signature date, or its sending when that came first (or there is no
signature date); only without either the page's date line, which is often
the day it was received.

A date without a year takes the nearest year to the telegram's date: on
or before it when the date is cited (``your telegram of 30 December``) or
the sentence speaks of the past, on or after it when it is a plan or a
deadline (``by 20 January``, ``will begin on 31 December``, ``до 31
марта``).  Durations, ranges, unit and telegram numbers are not dates; a
year-less ``28.12`` is a date only where a number cannot stand (``of
28.12``, ``от 28.12``, not ``from 2.5 to 3.5 km``).

Relative expressions are counted from something and say so
(:attr:`~cable_kg.model.DateValue.relative_to`):

* from the telegram's date: ``yesterday``, ``today at 14:00``, ``two months
  ago`` (approximate), ``in two to three months`` and ``within 10-12 days``
  (approximate, with their bounds), ``in the near future`` (approximate,
  month precision, an interval from the telegram's date with an open end);
* from the date the text named before: ``on 13 May ... on the same day, at
  23:30``, ``the next day``, ``the day before``;
* from an operation: ``after the conclusion of the fourth operation``,
  ``at the time of the fifth operation``, ``before the beginning of the
  third operation``: approximate, month precision, bounded by what is known
  (a plan comes after the telegram's date; a past report before it; the
  operation's start where the text gives it: ``during the fifth operation,
  which began on April 22, 1951``).

>>> from datetime import date
>>> year_for(12, 30, date(1951, 1, 3), "past"), year_for(1, 20, date(1951, 1, 3), "future")
(1950, 1951)
>>> year_for(12, 31, date(1950, 12, 30), None), year_for(7, 20, date(1949, 7, 26), None)
(1950, 1949)
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from ..model import DateValue, Mention, Span, Telegram
from ..parse.dates import DATE_RE, MONTHS, infer_year, needs_context, read_match, shift_months
from ..resolve import slug
from .context import NUMBER_WORDS, ORDINAL_NAMES, ORDINALS, Context

_BY_BEFORE = re.compile(r"(?:\bby|\buntil|\btill|\bbefore|not later than|no later than|\bbeginning|\bstarting"
                        r"|(?<!\w)до|(?<!\w)к|не позднее|не позже)"
                        r"(?:\s+the\s+(?:end|middle|beginning)\s+of|\s+(?:концу|началу|середине))?\s*$",
                        re.IGNORECASE)
_CITED_BEFORE = re.compile(r"(?:telegrams?|directives?|orders?|letters?|notes?|cables?|messages?|radiograms?)"
                           r"(?:\s*\[[^\]]*\])?\s+(?:No\.?\s*[\w/-]+\s+)?(?:of|dated|from)\s+(?:\d{1,2}\s+)?$"
                           r"|(?:телеграмм|директив|приказ|письм|записк)\w*\s+(?:№\s*[\w/-]+\s+)?от\s+$",
                           re.IGNORECASE)
_CITED_TAIL = re.compile(r"(?:of|dated|from|от)\s+(?:\d{1,2}\s+)?$", re.IGNORECASE)
_BY_WORDS = ("by", "until", "till", "before", "later than", "beginning", "starting", "до", "к", "не позд")
# Words that place a sentence in the past or in the future (a word set, read once a sentence).
_PAST_WORDS = frozenset((
    "received", "was", "were", "had", "did", "ago", "last", "reported", "informed", "invited", "arrived",
    "shelled", "sent", "told", "took", "came", "promised", "agreed", "decided", "asked", "went", "crossed",
    "moved", "transmitted", "communicated", "welcomed", "met", "wrote", "bombed", "attacked", "began", "был",
    "была", "были", "было", "получил", "получили", "получена", "получено", "сообщил", "сообщила", "сообщили",
    "принял", "приняла", "приняли", "просил", "просила", "просили", "назад"))
_FUTURE_WORDS = frozenset((
    "will", "shall", "must", "intend", "plan", "planned", "next", "should", "can", "expect", "propose",
    "proposes", "будет", "будут", "буду", "намерены", "намерен", "планируем", "планирует", "должны", "должен",
    "следует"))
# "in two days" is a time only in a plan ("will be sent in two to three months"); in a report it is
# how long something took ("advanced 6-8 km in two days").  "may" is left out: it is also a month.
_PLAN_WORDS = _FUTURE_WORDS | frozenset((
    "could", "would", "ready", "ask", "asks", "propose", "proposes", "agree", "intends", "должно", "можно",
    "может", "могут", "просит", "прошу", "просим", "необходимо"))
_DAY_BEFORE = re.compile(r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th)?[\s.]+$")
_TIME_BEFORE = re.compile(r"\bat\s+(?P<h>\d{1,2})[:.](?P<mi>\d\d)\s*(?:hours\s*)?,?\s*$")
# "today at 14:00", "at 11:40 p.m.", "at 14 hours 30 minutes", "at 1400", "в 23 часа", "в 23 час. 50 мин."
_TIME_AFTER = re.compile(
    r"\s*,?\s*(?:at|в)\s+(?:(?P<h>\d{1,2})[:.](?P<mi>\d\d)(?!\d)(?:\s*(?P<ampm>[ap])\.?\s*m\b\.?)?"
    r"|(?P<h2>\d{1,2})\s*(?P<ampm2>[ap])\.?\s*m\b\.?"
    r"|(?P<h3>\d{1,2})\s+hours?(?:\s+(?P<mi3>\d{1,2})\s+minutes?)?"
    r"|(?P<h4>\d{1,2})\s*час(?:а|ов)?\.?(?:\s*(?P<mi4>\d{1,2})\s*мин(?:ут[аы]?)?\.?)?"
    r"|(?P<h5>[01]\d|2[0-4])(?P<mi5>[0-5]\d)(?!\d))")
_MONTH_ALONE_BEFORE = re.compile(
    r"(?:\b(?:in|by|of|since|until|till|during|before|after|from|for|early|late|mid|end of|half of|"
    r"middle of|beginning of)\s+(?:the\s+)?"
    r"|(?<!\w)(?:в|во|к|до|с|после|на|конце|начале|середине|концу|началу)\s+)$", re.IGNORECASE)
_BARE_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|of|for|by|until|till|since|during|before|after|from|year|end of|spring of|summer of|"
    r"autumn of|fall of|winter of|course of)\s+(?:the\s+)?)$", re.IGNORECASE)
# "1951 г.", "в 1951 году": a Russian year word makes a bare year a date.
_RU_YEAR_AFTER = re.compile(r"\s?г(?:\.|ода(?!\w)|оду(?!\w)|од(?!\w))")
# A year-less "28.12" (or "2.I") is a date after these words (the telegram's shapes: "your telegram of
# 28.12", "от 28.12", "Received 28.12") ...
_YEARLESS_BEFORE = re.compile(r"(?<!\w)(?:(?P<from>from|от)|of|dated|on|received|sent|получено|отправлено)\s+$",
                              re.IGNORECASE)
# ... unless a unit follows it, or a range that ends in one: "of 1.5 thousand tons", "on 2.5-3 km";
_QUANTITY_AFTER = re.compile(
    r"\s*(?:(?:-|–|to|or|до|или)\s*\d+(?:[.,]\d+)?\s*)?"
    r"(?:%|per\s*cent|percent|km|kilomet|kg|tons?\b|t\b|thousand|million|billion|times\b|met(?:er|re)s?\b"
    r"|miles?\b|hours?\b|days?\b|км|кг|тонн|т\b|тыс|млн|раз\b|процент|метр|час(?:а|ов)?\b|сут(?:ок|ки)\b"
    r"|дн(?:я|ей)\b)",
    re.IGNORECASE)
# ... and "from 1.5 to 2.5", "от 1.5 до 2" are quantities with or without a unit.
_RANGE_AFTER = re.compile(r"\s*(?:-|–|to|до)\s*\d", re.IGNORECASE)
# "27 January 1951, 24:00" is kept as the next day's 00:00; as the telegram's day it is the 27th
_END_OF_DAY = re.compile(r"(?<!\d)24(?:[:.]00(?!\d)|\s*hours?\b|\s*час)")

_EN_NUM = (r"\d{1,3}|a\s+few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
           r"twenty|thirty|several")
_RU_NUMBERS = {"один": 1, "одна": 1, "одну": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
               "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
               "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
               "несколько": 2, "нескольких": 2, "пару": 2}
_RU_NUM = r"\d{1,3}|" + "|".join(sorted(_RU_NUMBERS, key=len, reverse=True))
_AGO = re.compile(r"(?P<n>" + _EN_NUM + r")\s+(?P<u>days?|weeks?|months?|years?)\s+$", re.IGNORECASE)
_AGO_RU = re.compile(r"(?<!\w)(?P<n>" + _RU_NUM + r")\s+(?P<u>\w+)\s+(?:тому\s+)?$")
# "in two to three months", "within 10-12 days", "in the course of three years"
_IN_UNITS = re.compile(r"(?<!\w)(?P<prep>in\s+the\s+course\s+of|within|in)\s+(?P<next>the\s+(?:next|coming)\s+)?"
                       r"(?:about\s+|approximately\s+|some\s+)?"
                       r"(?P<n>" + _EN_NUM + r")(?:\s*(?:to|or|-|–)\s*(?P<m>" + _EN_NUM + r"))?\s*-?\s*$")
# "через два-три месяца", "в течение 10-12 дней"
_IN_UNITS_RU = re.compile(r"(?<!\w)(?P<prep>через|в\s+течение)\s+(?:примерно\s+|около\s+)?"
                          r"(?P<n>" + _RU_NUM + r")(?:\s*(?:-|–|или)\s*(?P<m>" + _RU_NUM + r"))?\s+$")
_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
          "year": "year", "years": "year", "день": "day", "дня": "day", "дней": "day", "недели": "week",
          "недель": "week", "неделю": "week", "месяц": "month", "месяца": "month", "месяцев": "month",
          "год": "year", "года": "year", "лет": "year"}
_UNIT_PRECISION = {"day": "day", "week": "day", "month": "month", "year": "year"}
# what may not follow "in two months" for it to be a time: "two to three months long preparation",
# "in 10 days of fighting" (how long), "in two days' march"
_NOT_AFTER_UNITS = re.compile(r"\s*-?\s*(?:long|old|of)\b|'|’")

# Time relative to a numbered operation: "after the conclusion of the fourth operation".
_ORD = "|".join(ORDINALS)
_OP_RELATIVE = re.compile(
    r"(?<!\w)(?P<rel>after\s+the\s+(?:conclusion|end|completion|termination)\s+of"
    r"|after\s+the\s+(?:beginning|start|launch|opening)\s+of"
    r"|before\s+the\s+(?:beginning|start|launch|opening)\s+of"
    r"|(?:in\s+the\s+course\s+of|during)\s+(?:the\s+)?preparations?\s+(?:for|of)"
    r"|at\s+the\s+time\s+of(?:\s+(?:implementing|conducting|carrying\s+out))?"
    r"|in\s+the\s+course\s+of|during|after|before)"
    r"\s+(?:(?P<ref>this|the|that|our)\s+|(?:the|our)\s+(?:(?:last|next|final|coming|forthcoming)\s*,?\s*)?"
    r"(?P<ord>" + _ORD + r"|\d{1,2}(?:st|nd|rd|th))\s*,?\s*(?:(?:offensive|general|decisive)\s+)?)$")
_NUMBERED_OP = re.compile(r"(?<!\w)(?P<ord>" + _ORD + r"|\d{1,2}(?:st|nd|rd|th))\s*,?\s*"
                          r"(?:(?:offensive|general|decisive)\s+)?$")
_OP_STARTED = re.compile(r"\s*,?\s*(?:which|that)\s+(?:began|started|was\s+launched|will\s+begin|is\s+to\s+begin)"
                         r"\s+(?:on\s+|in\s+)?")


def year_for(month: int, day: int, reference: date | None, tense: str | None) -> int:
    """The year of a day written without one: past on or before the
    reference, future on or after it, otherwise the nearest."""
    if reference is None:
        return 1950
    if tense == "past":
        return infer_year(month, day, reference)
    if tense == "future":
        return infer_year(month, day, reference, future=True)
    best = reference.year
    best_gap = None
    for y in (reference.year - 1, reference.year, reference.year + 1):
        try:
            gap = abs((date(y, month, day) - reference).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = y, gap
    return best


def _day_of(v: DateValue | None) -> date | None:
    """The day a day- or minute-precise value falls on (24:00 ends the day it follows)."""
    if v is None or v.precision not in ("day", "minute"):
        return None
    d = date.fromisoformat(v.iso[:10])
    if v.iso.endswith("T00:00") and _END_OF_DAY.search(v.span.text):
        d -= timedelta(days=1)
    return d


def telegram_date(t: Telegram, fallback: date | None) -> date | None:
    """The day the telegram was written, which ``today``, ``yesterday``,
    ``two months ago`` and the years of year-less dates count from: its
    signature date; its sending when that was earlier (by three days at
    most: "sent 14.V 23:50", signed "15.V") or there is no signature
    date; else ``fallback`` (the page's date line, the day the telegram
    was received as often as the day it was written; for an embedded
    telegram without a date, the carrying telegram's).

    >>> from cable_kg.model import Transmission
    >>> sent = DateValue("1951-01-28T00:00", "minute", Span(0, 13, "27.1.51 24:00"))
    >>> telegram_date(Telegram(transmissions=(Transmission("sent", sent),)), date(1951, 1, 28))
    datetime.date(1951, 1, 27)
    """
    signed = _day_of(t.signature_date)
    sent = next((_day_of(x.when) for x in t.transmissions if x.kind == "sent"), None)
    if signed is not None and sent is not None and sent < signed <= sent + timedelta(days=3):
        return sent
    return signed or sent or fallback


def _yearless_is_date(text: str, m: re.Match) -> bool:
    """Whether a year-less ``28.12`` / ``2.I`` stands where a date does (see :data:`_YEARLESS_BEFORE`)."""
    before = _YEARLESS_BEFORE.search(text, max(0, m.start() - 12), m.start())
    if before is None or _QUANTITY_AFTER.match(text, m.end()):
        return False
    return not (before.group("from") and _RANGE_AFTER.match(text, m.end()))


def tense_at(ctx: Context, start: int, end: int) -> str | None:
    """past | future | None: how the words around a date place it."""
    text = ctx.text
    before = text[max(0, start - 60):start]
    # cheap tests first: the long patterns run only when their last words are there
    if _CITED_TAIL.search(before, max(0, len(before) - 24)) and _CITED_BEFORE.search(before):
        return "past"
    tail = before[-30:].lower()
    if any(map(tail.__contains__, _BY_WORDS)) and _BY_BEFORE.search(tail):
        return "future"
    words = ctx.words_at(start)
    past = not words.isdisjoint(_PAST_WORDS)
    future = not words.isdisjoint(_FUTURE_WORDS) or ("going" in words and "going to" in ctx.lower[slice(
        *ctx.sentence_at(start))])
    if past and not future:
        return "past"
    if future and not past:
        return "future"
    return None


def _read(m: re.Match, ctx: Context, tense: str | None) -> DateValue | None:
    """A DATE_RE match as a value, the year of a year-less date by ``tense``
    from the telegram's date (citations read their dates with it)."""
    ref = telegram_date(ctx.telegram, ctx.reference)
    return read_match(m, lambda month, day: year_for(month, day, ref, tense))


def _numeric_starts(text: str, s0: int, e0: int) -> list[int]:
    """Where ``13.10.50``, ``10/14/50``, ``13/5-50``, ``14.V.1950`` may start."""
    starts = []
    for ch in "./":
        i = text.find(ch, s0, e0)
        while i >= 0:
            if i > s0 and text[i - 1].isdigit() and i + 1 < e0 and (text[i + 1].isdigit() or text[i + 1] in "IVX"):
                j = i - 1
                while j > s0 and text[j - 1].isdigit():
                    j -= 1
                if i - j <= 2 and (j == 0 or text[j - 1] not in "./0123456789"):
                    starts.append(j)
            i = text.find(ch, i + 1, e0)
    return starts


def _covered(found: dict[int, DateValue], pos: int) -> bool:
    for v in found.values():
        span = v.span
        if span.start <= pos < span.end:
            return True
    return False


def dates(ctx: Context) -> list[Mention]:
    """Every date in the telegram's own text, by span."""
    text = ctx.text
    found: dict[int, DateValue] = {}
    ref = telegram_date(ctx.telegram, ctx.reference)

    def take(pos: int, need_end: int = -1) -> DateValue | None:
        m = DATE_RE.match(text, pos)
        if not m or m.end() <= need_end or not ctx.inside(m.start()) or \
                (needs_context(m) and not _yearless_is_date(text, m)):
            return None
        # the tense is read only for a date written without its year
        v = read_match(m, lambda month, day: year_for(month, day, ref, tense_at(ctx, m.start(), m.end())))
        if v is None:
            return None
        # "at 23:30 13 October": a time just before the day
        if v.precision == "day" and "at" in (near := text[max(0, m.start() - 20):m.start()]) and \
                (t := _TIME_BEFORE.search(near)):
            h, mi = int(t.group("h")), int(t.group("mi"))
            if h <= 24 and mi < 60:
                d = date.fromisoformat(v.iso)
                moment = datetime(d.year, d.month, d.day) + timedelta(hours=h, minutes=mi)
                s = m.start() - 20 + t.start() if m.start() >= 20 else t.start()
                v = DateValue(moment.strftime("%Y-%m-%dT%H:%M"), "minute", Span(s, m.end(), text[s:m.end()]))
        return v

    relative = []
    operation_hits = []
    for h in ctx.hits:
        kind = h.kind
        if kind == "relative":
            relative.append(h)
            continue
        if kind == "operation":
            if h.text.lower() == "operation":
                operation_hits.append(h)
            continue
        if kind != "month":
            continue
        cyrillic = h.text[0] >= "\u0400"
        if not (cyrillic or text[h.start].isupper()):
            continue
        if _covered(found, h.start):
            continue
        before = text[max(0, h.start - 8):h.start]
        back = _DAY_BEFORE.search(before) if any(map(str.isdigit, before)) else None
        v = None
        if back:
            v = take(h.start - (len(before) - back.start()), h.start)
        if v is None:
            v = take(h.start, h.start)
        if v is None and h.text.lower() != "may":
            v = _month_alone(ctx, h, ref)
        if v is not None:
            found[v.span.start] = v
    for s0, e0 in ctx.segments:
        for pos in _numeric_starts(text, s0, e0):
            if pos in found or _covered(found, pos):
                continue
            v = take(pos)
            if v is not None:
                found[v.span.start] = v
        for v in _bare_years(ctx, s0, e0, found):
            found[v.span.start] = v
    # relative expressions, in text order: "the same day" counts from the date named before it
    for h in relative:
        if _covered(found, h.start):
            continue
        v = _relative(ctx, h, found, ref)
        if v is not None and not _covered(found, v.span.start) and not any(
                v.span.start <= x.span.start < v.span.end for x in found.values()):
            found[v.span.start] = v
    if operation_hits:
        numbered = _numbered_operations(ctx, operation_hits)
        for h in operation_hits:
            v = _operation_relative(ctx, h, found, numbered, ref)
            if v is not None and not _covered(found, v.span.start):
                found[v.span.start] = v
    return [Mention("date", v.iso, v.span, date=v) for _, v in sorted(found.items())]


def _month_alone(ctx: Context, h, ref: date | None) -> DateValue | None:
    """``in April``, ``by the end of July``, ``в марте``: month precision, year by tense."""
    text = ctx.text
    if not _MONTH_ALONE_BEFORE.search(text[max(0, h.start - 20):h.start]):
        return None
    after = text[h.end:h.end + 6]
    if re.match(r"\s*\d{1,2}(?!\d)", after):
        return None
    month = MONTHS[h.text.lower().rstrip(".")]
    tense = tense_at(ctx, h.start, h.end)
    if ref is None:
        return None
    year = ref.year
    if tense == "past" and month > ref.month:
        year -= 1
    elif tense == "future" and month < ref.month:
        year += 1
    elif tense is None and abs(month - ref.month) > 6:
        year += -1 if month > ref.month else 1
    return DateValue(f"{year:04d}-{month:02d}", "month", Span(h.start, h.end, h.text))


def _bare_years(ctx: Context, s0: int, e0: int, found: dict[int, DateValue]) -> list[DateValue]:
    text = ctx.text
    out = []
    i = text.find("19", s0, e0)
    while i >= 0:
        j = i + 4
        if j <= e0 and text[i:j].isdigit() and "1940" <= text[i:j] <= "1959" and \
                (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,/-")) and \
                not _covered(found, i):
            ru = _RU_YEAR_AFTER.match(text, j, e0)
            if ru:
                out.append(DateValue(text[i:j], "year", Span(i, ru.end(), text[i:ru.end()])))
            elif (j >= len(text) or not (text[j].isalnum() or (text[j] in ".,-/" and j + 1 < len(text)
                                                                and text[j + 1].isdigit()))) and \
                    _BARE_YEAR_BEFORE.search(text[max(0, i - 20):i]):
                out.append(DateValue(text[i:j], "year", Span(i, j, text[i:j])))
        i = text.find("19", i + 2, e0)
    return out


# ---------------------------------------------------------------- relative expressions

def _number(word: str | None) -> int | None:
    if word is None:
        return None
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    if w in _RU_NUMBERS:
        return _RU_NUMBERS[w]
    if "few" in w:
        return 2
    n = NUMBER_WORDS.get(w)
    return n if n is not None else (1 if w == "several" else None)


def _shift(ref: date, n: int, unit: str) -> date:
    if unit == "day":
        return ref + timedelta(days=n)
    if unit == "week":
        return ref + timedelta(days=7 * n)
    if unit == "month":
        y, m = shift_months(ref, n)
    else:
        y, m = ref.year + n, ref.month
    return date(y, m, min(ref.day, calendar.monthrange(y, m)[1]))


def _at(d: date, precision: str) -> str:
    return {"year": d.isoformat()[:4], "month": d.isoformat()[:7]}.get(precision, d.isoformat())


def _with_time(ctx: Context, day: date, start: int, end: int, **kw) -> DateValue:
    """A day, made minute-precise by a time just after its words (``the same day, at 23:30``)."""
    text = ctx.text
    t = _TIME_AFTER.match(text, end, min(len(text), end + 30))
    clock = _clock(t) if t else None
    if clock is not None:
        moment = datetime(day.year, day.month, day.day) + timedelta(hours=clock[0], minutes=clock[1])
        return DateValue(moment.strftime("%Y-%m-%dT%H:%M"), "minute", Span(start, t.end(), text[start:t.end()]),
                         **kw)
    return DateValue(day.isoformat(), "day", Span(start, end, text[start:end]), **kw)


def _clock(t: re.Match) -> tuple[int, int] | None:
    """(hour, minute) of a :data:`_TIME_AFTER` match (``11:40 p.m.`` is 23:40), None if no time of day."""
    g = t.group
    h = int(g("h") or g("h2") or g("h3") or g("h4") or g("h5"))
    mi = int(g("mi") or g("mi3") or g("mi4") or g("mi5") or 0)
    ampm = (g("ampm") or g("ampm2") or "").lower()
    if ampm == "p" and h < 12:
        h += 12
    elif ampm == "a" and h == 12:
        h = 0
    if h > 24 or mi > 59 or (ampm and h > 23):
        return None
    return h, mi


def _antecedent(found: dict[int, DateValue], pos: int) -> DateValue | None:
    """The day-precise date named last before ``pos``."""
    best = None
    for v in found.values():
        if v.span.end <= pos and v.precision in ("day", "minute") and (best is None or v.span.start > best.span.start):
            best = v
    return best


def _relative(ctx: Context, h, found: dict[int, DateValue], ref: date | None) -> DateValue | None:
    """A relative expression, counted from the telegram's date ``ref`` (or a date named before)."""
    if ref is None:
        return None
    word = h.text.lower()
    text = ctx.text
    lower = ctx.lower
    doc = {"relative_to": "document"}
    if word in _UNITS:
        return _in_units(ctx, h, _UNITS[word], ref)
    if word in ("ago", "назад"):
        window = (text if word == "ago" else lower)[max(0, h.start - 30):h.start]
        m = (_AGO if word == "ago" else _AGO_RU).search(window)
        if not m:
            return None
        unit = _UNITS.get(m.group("u").lower()) if word == "назад" else m.group("u").lower().rstrip("s")
        n = _number(m.group("n"))
        if unit is None or n is None:
            return None
        s = h.start - (len(window) - m.start())
        span = Span(s, h.end, text[s:h.end])
        if unit == "day":
            return DateValue((ref - timedelta(days=n)).isoformat(), "day", span, True, **doc)
        if unit == "week":
            return DateValue((ref - timedelta(days=7 * n)).isoformat()[:7], "month", span, True, **doc)
        if unit == "month":
            y, mo = shift_months(ref, -n)
            return DateValue(f"{y:04d}-{mo:02d}", "month", span, True, **doc)
        return DateValue(f"{ref.year - n:04d}", "year", span, True, **doc)
    span = Span(h.start, h.end, h.text)
    if word in ("today", "сегодня"):
        return _with_time(ctx, ref, h.start, h.end, **doc)
    if word in ("yesterday", "вчера"):
        return _with_time(ctx, ref - timedelta(days=1), h.start, h.end, **doc)
    if word in ("tomorrow", "завтра"):
        return _with_time(ctx, ref + timedelta(days=1), h.start, h.end, **doc)
    if word.endswith("year"):
        delta = {"this": 0, "last": -1, "next": 1}[word.split()[0]]
        return DateValue(f"{ref.year + delta:04d}", "year", span, **doc)
    if word.endswith("month"):
        delta = {"this": 0, "last": -1, "next": 1}[word.split()[0]]
        y, mo = shift_months(ref, delta)
        return DateValue(f"{y:04d}-{mo:02d}", "month", span, **doc)
    if word in ("near future", "ближайшее время"):
        # "in the near future": from the telegram's date, open end
        s = h.start
        if (b := re.search(r"(?<!\w)(?:in\s+the|в)\s+$", lower[max(0, s - 8):s])):
            s = s - (min(s, 8) - b.start())
        return DateValue(ref.isoformat()[:7], "month", Span(s, h.end, text[s:h.end]), True,
                         earliest=ref.isoformat(), **doc)
    if word in ("same day", "next day", "following day", "the day before", "тот же день", "следующий день"):
        s = h.start
        if word != "the day before" and (b := re.search(r"(?<!\w)(?:the|в|на)\s+$", lower[max(0, s - 4):s])):
            s = s - (min(s, 4) - b.start())
        shift = {"next day": 1, "following day": 1, "следующий день": 1, "the day before": -1}.get(word, 0)
        before = _antecedent(found, s)
        if before is not None:
            day = date.fromisoformat(before.iso[:10]) + timedelta(days=shift)
            return _with_time(ctx, day, s, h.end, relative_to="date", anchor=before.span)
        return _with_time(ctx, ref + timedelta(days=shift), s, h.end, **doc)
    return None


def _in_units(ctx: Context, h, unit: str, ref: date) -> DateValue | None:
    """``in two to three months``, ``within 10-12 days``, ``через два-три месяца``:
    counted from the telegram's date, in a sentence that plans (a report of the
    past says how long something took: ``advanced 6-8 km in two days``)."""
    lower = ctx.lower
    s0 = ctx.sentence_at(h.start)[0]
    window = lower[max(s0, h.start - 45):h.start]
    russian = h.text[0] >= "\u0400"
    if not (("через" in window or "течение" in window) if russian else "in" in window):
        return None
    m = (_IN_UNITS_RU if russian else _IN_UNITS).search(window)
    if not m or _NOT_AFTER_UNITS.match(lower, h.end):
        return None
    lo, hi = _number(m.group("n")), _number(m.group("m"))
    if lo is None or (m.group("m") and hi is None):
        return None
    if hi is not None and hi < lo:
        return None
    start = h.start - (len(window) - m.start())
    if ctx.words_at(start).isdisjoint(_PLAN_WORDS) or tense_at(ctx, start, h.end) == "past":
        return None
    text = ctx.text
    span = Span(start, h.end, text[start:h.end])
    precision = _UNIT_PRECISION[unit]
    doc = {"relative_to": "document"}
    if m.group("prep").startswith(("within", "in the course", "в")) or (not russian and m.group("next")):
        # "within 10-12 days", "in the next two weeks": from the telegram's date to the last day it allows
        end = _shift(ref, hi or lo, unit)
        return DateValue(_at(ref, precision), precision, span, True, earliest=ref.isoformat(),
                         latest=end.isoformat(), **doc)
    first = _shift(ref, lo, unit)
    if hi is None:
        return DateValue(_at(first, precision), precision, span, True, **doc)
    return DateValue(_at(first, precision), precision, span, True, earliest=first.isoformat(),
                     latest=_shift(ref, hi, unit).isoformat(), **doc)


def _ordinal_key(word: str) -> str:
    n = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
    return slug(f"{ORDINAL_NAMES.get(n, word)} operation")


def _numbered_operations(ctx: Context, hits) -> list[tuple[int, str]]:
    """(position, key) of the numbered operations the telegram names: ``the fourth operation``."""
    out = []
    for h in hits:
        m = _NUMBERED_OP.search(ctx.lower, max(0, h.start - 30), h.start)
        if m:
            out.append((h.start, _ordinal_key(m.group("ord"))))
    return out


def _operation_relative(ctx: Context, h, found: dict[int, DateValue],
                        numbered: list[tuple[int, str]], ref: date | None) -> DateValue | None:
    """``after the conclusion of the fourth operation``: a time relative to an
    operation, bounded by what the text says (see the module's docstring)."""
    if ref is None:
        return None
    lower = ctx.lower
    s0 = ctx.sentence_at(h.start)[0]
    window_start = max(s0, h.start - 90)
    m = _OP_RELATIVE.search(lower, window_start, h.start)
    if not m:
        return None
    if m.group("ord"):
        key = _ordinal_key(m.group("ord"))
    else:
        # "after the beginning of the operation": the numbered one named last
        key = next((k for p, k in reversed(numbered) if p < h.start), None)
        if key is None:
            return None
    rel = " ".join(m.group("rel").split())
    if rel.startswith("after the") and rel.endswith(("beginning of", "start of", "launch of", "opening of")):
        relation = "during"
    elif rel.startswith("after"):
        relation = "after"
    elif rel.startswith("before") or "preparation" in rel:
        relation = "before"
    else:
        relation = "during"
    start = m.start("rel")
    text = ctx.text
    span = Span(start, h.end, text[start:h.end])
    # the operation's own start, where the text gives it: "..., which began on April 22, 1951"
    began = None
    if (st := _OP_STARTED.match(text, h.end)) and (v := found.get(st.end())) is not None:
        began = date.fromisoformat(v.iso[:10]) if len(v.iso) >= 10 else date.fromisoformat(v.iso[:7] + "-01")
    past = tense_at(ctx, start, h.end) == "past"
    earliest: date | None = None
    latest: date | None = None
    if relation in ("after", "during"):
        earliest = began
        if past:
            latest = ref
        else:
            earliest = max(earliest or ref, ref)
    else:
        latest = began
        if past:
            latest = min(latest or ref, ref)
        else:
            earliest = ref
    placed = earliest or latest
    return DateValue(placed.isoformat()[:7], "month", span, True,
                     earliest=earliest.isoformat() if earliest else None,
                     latest=latest.isoformat() if latest else None,
                     relative_to="operation", operation=key, relation=relation)
