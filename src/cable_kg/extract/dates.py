"""Dates in a telegram's text, normalised against the telegram's own date.

Candidates are found from literal anchors only (month names from the
automaton; ``.`` and ``/`` between digits; ``19xx``; ``ago``, ``today``,
``this year``), then read with the shapes of :mod:`cable_kg.parse.dates`.

A date without a year takes the nearest year to the telegram's date: on
or before it when the date is cited (``your telegram of 30 December``) or
the sentence speaks of the past, on or after it when it is a plan or a
deadline (``by 20 January``, ``will begin on 31 December``).  Relative
expressions (``two months ago``) are approximate.  Durations, ranges, unit
and telegram numbers are not dates.

>>> from datetime import date
>>> year_for(12, 30, date(1951, 1, 3), "past"), year_for(1, 20, date(1951, 1, 3), "future")
(1950, 1951)
>>> year_for(12, 31, date(1950, 12, 30), None), year_for(7, 20, date(1949, 7, 26), None)
(1950, 1949)
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..model import DateValue, Mention, Span
from ..parse.dates import DATE_RE, MONTHS, infer_year, read_match, shift_months
from .context import NUMBER_WORDS, Context

_BY_BEFORE = re.compile(r"(?:\bby|\buntil|\btill|\bbefore|not later than|no later than|\bbeginning|\bstarting)"
                        r"(?:\s+the\s+(?:end|middle|beginning)\s+of)?\s*$", re.IGNORECASE)
_CITED_BEFORE = re.compile(r"(?:telegrams?|directives?|orders?|letters?|notes?|cables?|messages?|radiograms?)"
                           r"(?:\s*\[[^\]]*\])?\s+(?:No\.?\s*[\w/-]+\s+)?(?:of|dated|from)\s+(?:\d{1,2}\s+)?$", re.IGNORECASE)
_PAST = re.compile(r"\b(?:received|was|were|had|did|ago|last|reported|informed|invited|arrived|shelled|sent|"
                   r"told|took|came|promised|agreed|decided|asked|went|crossed|moved|transmitted|communicated|"
                   r"welcomed|met|wrote|bombed|attacked|began)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|shall|must|intend|plan|planned|next|should|going to|can|expect)\b", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"\bat\s+(?P<h>\d{1,2})[:.](?P<mi>\d\d)\s*(?:hours\s*)?,?\s*$")
_MONTH_ALONE_BEFORE = re.compile(
    r"(?:\b(?:in|by|of|since|until|till|during|before|after|from|for|early|late|mid|end of|half of|"
    r"middle of|beginning of)\s+(?:the\s+)?)$", re.IGNORECASE)
_AGO = re.compile(r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"
                  r"\s+(?P<u>days?|weeks?|months?|years?)\s+$", re.IGNORECASE)
_BARE_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|of|for|by|until|till|since|during|before|after|from|year|end of|spring of|summer of|"
    r"autumn of|fall of|winter of|course of)\s+(?:the\s+)?)$", re.IGNORECASE)


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


def tense_at(ctx: Context, start: int, end: int) -> str | None:
    """past | future | None: how the words around a date place it."""
    text = ctx.text
    before = text[max(0, start - 60):start]
    if _CITED_BEFORE.search(before):
        return "past"
    if _BY_BEFORE.search(before[-30:]):
        return "future"
    s, e = ctx.sentence_at(start)
    sentence = text[s:e]
    past = bool(_PAST.search(sentence))
    future = bool(_FUTURE.search(sentence))
    if past and not future:
        return "past"
    if future and not past:
        return "future"
    return None


def _read(m: re.Match, ctx: Context, tense: str | None) -> DateValue | None:
    """A DATE_RE match as a value, the year of a year-less date by ``tense``."""
    return read_match(m, lambda month, day: year_for(month, day, ctx.reference, tense))


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


def dates(ctx: Context) -> list[Mention]:
    """Every date in the telegram's own text, by span."""
    text = ctx.text
    found: dict[int, DateValue] = {}

    def take(pos: int, need_end: int = -1) -> DateValue | None:
        m = DATE_RE.match(text, pos)
        if not m or m.end() <= need_end or m.group("short") or not ctx.inside(m.start()):
            return None
        v = _read(m, ctx, tense_at(ctx, m.start(), m.end()))
        if v is None:
            return None
        # "at 23:30 13 October": a time just before the day
        if v.precision == "day" and (t := _TIME_BEFORE.search(text[max(0, m.start() - 20):m.start()])):
            h, mi = int(t.group("h")), int(t.group("mi"))
            if h <= 24 and mi < 60:
                d = date.fromisoformat(v.iso)
                moment = datetime(d.year, d.month, d.day) + timedelta(hours=h, minutes=mi)
                s = m.start() - 20 + t.start() if m.start() >= 20 else t.start()
                v = DateValue(moment.strftime("%Y-%m-%dT%H:%M"), "minute", Span(s, m.end(), text[s:m.end()]))
        return v

    for h in ctx.hits:
        if h.kind != "month" or not text[h.start].isupper():
            continue
        if any(v.span.start <= h.start < v.span.end for v in found.values()):
            continue
        back = re.search(r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th)?[\s.]+$", text[max(0, h.start - 8):h.start])
        v = None
        if back:
            v = take(h.start - (len(text[max(0, h.start - 8):h.start]) - back.start()), h.start)
        if v is None:
            v = take(h.start, h.start)
        if v is None and h.text.lower() != "may":
            v = _month_alone(ctx, h)
        if v is not None:
            found[v.span.start] = v
    for s0, e0 in ctx.segments:
        for pos in _numeric_starts(text, s0, e0):
            if pos in found or any(v.span.start <= pos < v.span.end for v in found.values()):
                continue
            v = take(pos)
            if v is not None:
                found[v.span.start] = v
        for v in _bare_years(ctx, s0, e0, found):
            found[v.span.start] = v
    for h in ctx.hits:
        if h.kind == "relative":
            v = _relative(ctx, h)
            if v is not None and not any(x.span.start <= v.span.start < x.span.end for x in found.values()):
                found[v.span.start] = v
    return [Mention("date", v.iso, v.span, date=v) for _, v in sorted(found.items())]


def _month_alone(ctx: Context, h) -> DateValue | None:
    """``in April``, ``by the end of July``: month precision, year by tense."""
    text = ctx.text
    if not _MONTH_ALONE_BEFORE.search(text[max(0, h.start - 20):h.start]):
        return None
    after = text[h.end:h.end + 6]
    if re.match(r"\s*\d", after):
        return None
    month = MONTHS[h.text.lower().rstrip(".")]
    ref = ctx.reference
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
                (j >= len(text) or not (text[j].isalnum() or (text[j] in ".,-/" and j + 1 < len(text)
                                                               and text[j + 1].isdigit()))) and \
                not any(v.span.start <= i < v.span.end for v in found.values()) and \
                _BARE_YEAR_BEFORE.search(text[max(0, i - 20):i]):
            out.append(DateValue(text[i:j], "year", Span(i, j, text[i:j])))
        i = text.find("19", i + 2, e0)
    return out


def _relative(ctx: Context, h) -> DateValue | None:
    ref = ctx.reference
    if ref is None:
        return None
    word = h.text.lower()
    text = ctx.text
    if word == "ago":
        m = _AGO.search(text[max(0, h.start - 30):h.start])
        if not m:
            return None
        s = h.start - (len(text[max(0, h.start - 30):h.start]) - m.start())
        n_text, unit = m.group("n").lower(), m.group("u").lower().rstrip("s")
        n = int(n_text) if n_text.isdigit() else NUMBER_WORDS.get(n_text) or (2 if "few" in n_text else 1)
        span = Span(s, h.end, text[s:h.end])
        if unit == "day":
            return DateValue((ref - timedelta(days=n)).isoformat(), "day", span, True)
        if unit == "week":
            return DateValue((ref - timedelta(days=7 * n)).isoformat()[:7], "month", span, True)
        if unit == "month":
            y, mo = shift_months(ref, -n)
            return DateValue(f"{y:04d}-{mo:02d}", "month", span, True)
        return DateValue(f"{ref.year - n:04d}", "year", span, True)
    span = Span(h.start, h.end, h.text)
    if word == "today":
        # "Today at 14:00"
        t = re.match(r"\s*,?\s*at\s+(?P<h>\d{1,2})[:.](?P<mi>\d\d)", text[h.end:h.end + 14])
        if t and int(t.group("h")) < 24 and int(t.group("mi")) < 60:
            e = h.end + t.end()
            return DateValue(f"{ref.isoformat()}T{int(t.group('h')):02d}:{t.group('mi')}", "minute",
                             Span(h.start, e, text[h.start:e]))
        return DateValue(ref.isoformat(), "day", span)
    if word == "yesterday":
        return DateValue((ref - timedelta(days=1)).isoformat(), "day", span)
    if word == "tomorrow":
        return DateValue((ref + timedelta(days=1)).isoformat(), "day", span)
    if word.endswith("year"):
        delta = {"this": 0, "last": -1, "next": 1}[word.split()[0]]
        return DateValue(f"{ref.year + delta:04d}", "year", span)
    if word.endswith("month"):
        delta = {"this": 0, "last": -1, "next": 1}[word.split()[0]]
        y, mo = shift_months(ref, delta)
        return DateValue(f"{y:04d}-{mo:02d}", "month", span)
    return None  # "the near future", "the same day": no value
