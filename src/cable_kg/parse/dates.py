"""Dates and times in every shape the archive's telegrams use.

Pure functions over strings.  A date keeps the text as written, its ISO value
and its precision; a date written without a year takes its year from a
reference date (the telegram's own), on or before it for things past or
cited, on or after it for plans.

>>> find_dates("I received your telegram of 4.1.51 and of June 4.", reference=date(1951, 6, 5))[0].iso
'1951-01-04'
>>> [d.iso for d in find_dates("of June 4.", reference=date(1951, 6, 5))]
['1951-06-04']
>>> parse_date("14.V.1950").iso
'1950-05-14'
>>> parse_date("28.XII", reference=date(1952, 1, 2)).iso
'1951-12-28'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from ..model import DateValue, Span

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Russian month names in the cases running text uses: nominative (январь),
# genitive (4 июня) and prepositional (в марте).
_RU_STEMS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
             "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
for _stem, _n in _RU_STEMS.items():
    for _end in (("й", "я", "е") if _stem == "ма" else ("", "а", "е") if _stem in ("март", "август")
                 else ("ь", "я", "е")):
        MONTHS[_stem + _end] = _n
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
         "IX": 9, "X": 10, "XI": 11, "XII": 12}

_RU_MONTH = (r"(?i:январ[ьяе]|феврал[ьяе]|марта|марте|март|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа|августе"
             r"|август|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|" + _RU_MONTH + ")")
# "1951 г.", "1951 года": the Russian word for year after a year, part of the date's words.
_RU_YEAR_WORD = r"(?:\s?г(?:\.|ода(?!\w)|оду(?!\w)|од(?!\w)))?"
_ROMAN = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
_YEAR = r"(?:19\d\d|\d\d)"
# A time that may follow a date: "19:00", ", 24:00", "at 6:36 a.m.", "18 hours 40 minutes".
_TIME = (r"(?:,?\s*(?:at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d\d)(?:\s*(?P<ampm>[ap])\.?\s*m\.?)?"
         r"|\s+(?P<h2>\d{1,2})\s+hours?\s+(?P<mi2>\d{1,2})\s+minutes?)")

# Each alternative is a named group; their order decides which wins at a position.
DATE_RE = re.compile(
    r"(?<![\w/.])(?:"
    r"(?P<mdy>(?P<mdy_m>" + _MONTH + r")\.?\s+(?P<mdy_d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>19\d\d))"
    r"|(?P<dmy>(?P<dmy_d>\d{1,2})(?:st|nd|rd|th)?[\s.]+(?P<dmy_m>" + _MONTH + r")\.?,?[\s.]+(?P<dmy_y>19\d\d)(?![\d])" + _RU_YEAR_WORD + r")"
    r"|(?P<rom>(?P<rom_d>\d{1,2})\.(?P<rom_m>" + _ROMAN + r")\.(?P<rom_y>" + _YEAR + r")(?!\d)" + _RU_YEAR_WORD + r")"
    # "28.XII", "3.I": a Roman month without a year ("3.I" may also be "3. I ask": see needs_context)
    r"|(?P<romd>(?P<rd_d>\d{1,2})\.(?P<rd_m>" + _ROMAN + r")(?!\w|\.\d))"
    r"|(?P<slash>(?P<sl_m>\d{1,2})/(?P<sl_d>\d{1,2})/(?P<sl_y>\d\d)(?!\d))"
    r"|(?P<dash>(?P<da_d>\d{1,2})/(?P<da_m>\d{1,2})-(?P<da_y>\d\d)(?!\d))"
    r"|(?P<num>(?P<nu_d>\d{1,2})\.(?P<nu_m>\d{1,2})\.(?P<nu_y>" + _YEAR + r")(?![\d.]\d)" + _RU_YEAR_WORD + r")"
    r"|(?P<md>(?P<md_m>" + _MONTH + r")\s+(?P<md_d>\d{1,2})(?:st|nd|rd|th)?(?![\d,]\s*19\d\d)(?!\d))"
    r"|(?P<dm>(?P<dm_d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<dm_m>" + _MONTH + r")(?![\w]))"
    r"|(?P<my>(?P<my_m>" + _MONTH + r")\s+(?P<my_y>19\d\d)" + _RU_YEAR_WORD + r")"
    r"|(?P<short>(?P<sh_d>\d{1,2})\.(?P<sh_m>\d{1,2})(?![\d.]*\d)(?=[\s,;.)]|$))"
    r")(?:" + _TIME + r")?"
)


def needs_context(m: re.Match) -> bool:
    """Whether a :data:`DATE_RE` match may as well be something else and is
    a date only where the words before it say so: ``17.7`` (a decimal, a
    paragraph) and ``2.I`` (``2. I ask``)."""
    return bool(m.group("short") or (m.group("romd") and m.group("rd_m") == "I"))


def _year(text: str) -> int:
    y = int(text)
    return y + 1900 if y < 100 else y


def infer_year(month: int, day: int, reference: date | None, future: bool = False) -> int:
    """The year of a day written without one, taken from ``reference``.

    >>> infer_year(12, 30, date(1951, 1, 3))
    1950
    >>> infer_year(1, 5, date(1950, 12, 20), future=True)
    1951
    """
    if reference is None:
        return 1950
    year = reference.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return year
    if not future and candidate > reference:
        return year - 1
    if future and candidate < reference:
        return year + 1
    return year


def read_match(m: re.Match, year_of: Callable[[int, int], int], offset: int = 0) -> DateValue | None:
    """A :data:`DATE_RE` match as a value; ``year_of(month, day)`` gives the
    year of a date written without one.  Spans are shifted by ``offset``;
    a time that follows the date makes it minute-precise (24:00 is the end
    of the day, the next day's 00:00)."""
    g = m.group
    year: int | None = None
    day: int | None = None
    if g("mdy"):
        year, month, day = _year(g("mdy_y")), MONTHS[g("mdy_m").lower()], int(g("mdy_d"))
    elif g("dmy"):
        year, month, day = _year(g("dmy_y")), MONTHS[g("dmy_m").lower()], int(g("dmy_d"))
    elif g("rom"):
        year, month, day = _year(g("rom_y")), ROMAN[g("rom_m")], int(g("rom_d"))
    elif g("romd"):
        month, day = ROMAN[g("rd_m")], int(g("rd_d"))
    elif g("slash"):
        year, month, day = _year(g("sl_y")), int(g("sl_m")), int(g("sl_d"))
    elif g("dash"):
        year, month, day = _year(g("da_y")), int(g("da_m")), int(g("da_d"))
    elif g("num"):
        year, month, day = _year(g("nu_y")), int(g("nu_m")), int(g("nu_d"))
    elif g("md"):
        month, day = MONTHS[g("md_m").lower()], int(g("md_d"))
    elif g("dm"):
        month, day = MONTHS[g("dm_m").lower()], int(g("dm_d"))
    elif g("my"):
        year, month = _year(g("my_y")), MONTHS[g("my_m").lower()]
    elif g("short"):
        month, day = int(g("sh_m")), int(g("sh_d"))
    else:
        return None
    if not 1 <= month <= 12:
        return None
    if year is None:
        try:
            date(2000, month, day or 1)  # a leap year: is there such a day at all?
        except ValueError:
            return None
        year = year_of(month, day or 1)
    if not 1900 <= year <= 2100:
        return None
    span = Span(m.start() + offset, m.end() + offset, m.group(0))
    if day is None:
        return DateValue(f"{year:04d}-{month:02d}", "month", span)
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    hour = g("h") or g("h2")
    minute = g("mi") or g("mi2")
    if hour is not None:
        h, mi = int(hour), int(minute)
        ampm = (g("ampm") or "").lower()
        if ampm == "p" and h < 12:
            h += 12
        elif ampm == "a" and h == 12:
            h = 0
        if h <= 24 and mi < 60:
            moment = datetime(d.year, d.month, d.day) + timedelta(hours=h, minutes=mi)
            return DateValue(moment.strftime("%Y-%m-%dT%H:%M"), "minute", span)
    return DateValue(d.isoformat(), "day", span)


def find_dates(text: str, reference: date | None = None, offset: int = 0,
               future: bool = False, allow_short: bool = False) -> list[DateValue]:
    """Every date (with its time, if one follows) in ``text``.

    Spans are shifted by ``offset``.  Year-less ``17.7`` (and ``2.I``) is
    only read when ``allow_short`` is set (in transmission lines), as in
    running text it is more often a number.
    """
    found = []
    for m in _matches(text):
        if not allow_short and needs_context(m):
            continue
        v = read_match(m, lambda mo, d: infer_year(mo, d, reference, future), offset)
        if v is not None:
            found.append(v)
    return found


# Every date starts with a digit or a month name: DATE_RE is tried only there
# (it starts with a look-behind, which keeps the regex engine from skipping
# ahead on its own: scanning a line with it costs twenty times more).
_DATE_START = re.compile(r"[\dJFMASONDЯяФфМмАаИиСсОоНнДд]")
_MONTH_STARTS = frozenset(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                           "янв", "фев", "мар", "апр", "май", "мая", "мае", "июн", "июл", "авг", "сен", "окт",
                           "ноя", "дек"))


def _matches(text: str):
    """The matches of ``DATE_RE.finditer(text)``, found faster."""
    pos = 0
    n = len(text)
    while pos < n:
        c = _DATE_START.search(text, pos)
        if c is None:
            return
        at = c.start()
        first = text[at:at + 3]
        if not first[0].isdigit() and first not in _MONTH_STARTS and first.lower() not in _MONTH_STARTS:
            pos = at + 1
            continue
        m = DATE_RE.match(text, at)
        if m is None or m.end() == m.start():
            pos = at + 1
            continue
        yield m
        pos = m.end()


def parse_date(text: str, reference: date | None = None, offset: int = 0,
               allow_short: bool = True) -> DateValue | None:
    """The first date in ``text``, or None."""
    found = find_dates(text, reference, offset, allow_short=allow_short)
    return found[0] if found else None


TIME_ONLY_RE = re.compile(
    r"(?P<h>\d{1,2})\s+hours?\s+(?P<mi>\d{1,2})\s+minutes?"
    r"|(?:at\s+)?(?P<h2>\d{1,2})[:.](?P<mi2>\d\d)(?:\s*(?P<ampm>[ap])\.?\s*m\.?)?"
    r"|at\s+(?P<h3>\d\d)(?P<mi3>\d\d)(?!\d)"
    r"|(?P<h4>\d{1,2})\s*час\.?\s*(?P<mi4>\d{1,2})\s*мин\.?"
)


def find_time(text: str) -> tuple[int, int, re.Match] | None:
    """A clock time on its own: ``18 hours 40 minutes``, ``4:10 am``, ``at 2212``."""
    m = TIME_ONLY_RE.search(text)
    if not m:
        return None
    h = int(m.group("h") or m.group("h2") or m.group("h3") or m.group("h4"))
    mi = int(m.group("mi") or m.group("mi2") or m.group("mi3") or m.group("mi4"))
    ampm = (m.group("ampm") or "").lower()
    if ampm == "p" and h < 12:
        h += 12
    elif ampm == "a" and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return h, mi, m


def with_time(day: DateValue, hour: int, minute: int, span: Span) -> DateValue:
    """A day-precision value made minute-precise by a time found nearby."""
    d = date.fromisoformat(day.iso[:10])
    moment = datetime(d.year, d.month, d.day) + timedelta(hours=hour, minutes=minute)
    return DateValue(moment.strftime("%Y-%m-%dT%H:%M"), "minute", span)


def to_date(value: DateValue | None) -> date | None:
    """The first day a value covers (``1951-04`` gives 1 April 1951)."""
    if value is None:
        return None
    iso = value.iso
    if value.precision == "year":
        return date(int(iso[:4]), 1, 1)
    if value.precision == "month":
        return date(int(iso[:4]), int(iso[5:7]), 1)
    return date.fromisoformat(iso[:10])


def shift_months(d: date, months: int) -> tuple[int, int]:
    """(year, month) ``months`` after ``d`` (negative: before)."""
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1
