"""References to other telegrams: the material of reply chains.

Anchored on the words ``telegram``, ``directive``, ``order``, ``letter``,
``note``, ``cable``, ``message`` and ``No.`` (automaton hits), and on
``answer``, ``reply``, ``instruction`` and the Russian ``телеграмм-``
(found here: the automaton does not hold them); the words
before the anchor give the direction (``your``, ``my``, ``our``, ``the
11 October``, ``Telegram of Comrade X``) and the words after it the date
(``of June 4``, ``dated 13.10.50``), the number (``No. 3153``, ``(vkh.
No. 20757)``), the sender (``of Comrade X``, ``from MAO ZEDONG``) or the
topic (``about the preparation of pilot cadres``).  Dates take the year on
or before the citing telegram's date.  A citation of several dates
(``my telegrams of 28 and 30 October``) is one plural citation holding them
all; one of several numbers (``your telegrams Nos. 612 and 615``, ``No. 156
(vkh. No. 1904) and No. 160 (vkh. No. 1951)``) is a citation per number, as
a number names exactly one telegram.  The archive's summary is read too:
``The cable contains X's response to Y's 13 May telegram`` (``from_summary``).

>>> from datetime import date
>>> [(c.direction, c.number, c.incoming_number) for c in read_text("To my [telegram] No. 2967 (vkh. No. 20757) I add:", date(1951, 6, 5))]
[('my', '2967', '20757')]
>>> [(c.number, c.incoming_number) for c in read_text("To my [telegram] No. 156 (vkh. No. 1904) and No. 160 (vkh. No. 1951).", date(1952, 1, 21))]
[('156', '1904'), ('160', '1951')]
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from ..model import Citation, DateValue, PersonRef, Span, Telegram
from ..parse.dates import DATE_RE, needs_context
from .context import Context
from .dates import _read, _yearless_is_date, telegram_date
from .matcher import Hit

_KIND = {"telegram": "telegram", "telegrams": "telegram", "directive": "directive", "directives": "directive",
         "order": "order", "orders": "order", "cable": "cable", "cables": "cable", "letter": "letter",
         "letters": "letter", "message": "message", "messages": "message", "note": "note", "notes": "note",
         "radiogram": "telegram", "ciphergram": "telegram",
         # not document types: what they name is a message (an answer may be a letter) or a directive
         "answer": "message", "answers": "message", "reply": "message", "replies": "message",
         "instruction": "directive", "instructions": "directive"}
_PLURAL = {"telegrams", "directives", "orders", "cables", "letters", "messages", "notes", "answers", "replies",
           "instructions"}
# Anchors the automaton does not hold, found by substring search: (stem, its endings; None: any).
_MORE_ANCHORS: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("answer", frozenset({"", "s"})), ("repl", frozenset({"y", "ies"})), ("instruction", frozenset({"", "s"})),
    ("телеграмм", None))
# Words that name the cited document only with a date or number: "we await your answer" asks for one.
_WEAK = {"answer", "answers", "reply", "replies", "instruction", "instructions"}

# Words before the anchor: determiner, possessor, a date, "[telegram]".
_BEFORE = re.compile(
    r"(?P<det>\b(?:[Yy]our|[Mm]y|[Oo]ur|[Tt]he|[Tt]his|[Tt]hat|[Hh]is|[Tt]heir|[Hh]er)"
    r"|(?P<poss>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,3})['’]s)"
    r"(?P<mid>(?:\s+(?:two|three|four|several|last|latest|recent|previous|earlier|following|same|above|said|"
    r"separate|personal|urgent|special|coded|ciphered|reply|answer|new|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+(?:\s+19\d\d)?"
    r"|[A-Z][a-z]+\s+\d{1,2}(?:,\s+19\d\d)?))*)\s*(?:\[\s*)?$")
_NUMBER = re.compile(r"\s*(?:\[\s*telegram\s*\]\s*)?(?:No\.?|Nos\.|Nº|№|#)\s*(?P<n>\d[\w/\-]*)(?:\s*\((?:vkh\.?|incoming|inc\.?|"
                     r"вх\.?)\s*(?:No\.?|Nº|№)?\s*(?P<inc>\d[\w/\-]*)\))?", re.IGNORECASE)
_OF_DATE = re.compile(r"\s*,?\s*(?:of|dated|from|sent on|sent|от)\s+(?=\d|[A-Z])")
_OF_PERSON = re.compile(r"\s*(?:of|from)\s+(?:(?:Comrades?|Cde\.|Comr\.|Com\.)\s+)?(?P<who>(?:[A-Z]\.(?:[A-Za-z]{1,2}\.)*\s?)*"
                        r"[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,3})(?:\s*[\[(](?P<b>[^\])]+)[\])])?")
_TO_PERSON = re.compile(r"\s+to\s+(?:Comrades?|Cde\.|Comr\.|Com\.)\s+(?P<who>(?:[A-Z]\.(?:[A-Za-z]{1,2}\.)*\s?)*"
                        r"[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,3})")
_ABOUT = re.compile(r"\s*(?:about|on|concerning|regarding|on the question of|in connection with)\s+"
                    r"(?P<topic>(?:the\s+)?[a-z][\w\s,'\-]{3,80}?)(?=\s+(?:has|have|had|was|were|is|are|received|"
                    r"I|we|and\s+(?:also|your|my)|which|that)\b|[.,;:!?]|$)")
_AND_DATE = re.compile(r"\s*(?:,|and|,\s*and)\s+(?=\d|[A-Z][a-z])")
# "28 and 30 October", "20, 21 and 23 January", "12 и 14 мая": the days before the date that names the month
_DAY_LIST = re.compile(r"(?P<days>\d{1,2}(?:\s*,\s*\d{1,2})*)\s*,?\s*(?:and|и)\s+(?=\d{1,2}(?:st|nd|rd|th)?\s+\w)")
# "October 20 and 23": a bare day after a month-first date
_AND_DAY = re.compile(r"\s*(?:,|and|,\s*and)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\w:/\-]|\.\d)")
# "and No. 160 (vkh. No. 1951)", "and 615" (bare only after "Nos." or a plural word), "и № 4102"
_MORE_NUMBER = re.compile(r"\s*(?:,|and|,\s*and|и)\s+(?P<no>(?:No\.?|Nº|№|#)\s*)?(?P<n>\d[\w/\-]*)"
                          r"(?:\s*\((?:vkh\.?|incoming|inc\.?|вх\.?)\s*(?:No\.?|Nº|№)?\s*(?P<inc>\d[\w/\-]*)\))?"
                          r"(?![\w/\-]|[.,]\d)")
# Russian: "Вашу телеграмму", "моей телеграмме", "Ваши телеграммы"; "телеграмму товарища ЧЖОУ ЭНЬЛАЯ"
_RU_DET = re.compile(r"(?<!\w)(?P<det>[Вв]аш\w{0,3}|[Мм]о(?:ему|ей|ю|я|й|и)|[Нн]аш\w{0,3})\s+$")
_RU_OF_PERSON = re.compile(r"\s+(?:товарищ(?:а|ей|ам)?|тов\.)\s+(?P<who>[А-ЯЁ][А-ЯЁа-яё\-]*(?:\s[А-ЯЁ][А-ЯЁа-яё\-]*){0,3})"
                           r"(?:\s*[\[(](?P<b>[^\])]+)[\])])?")
_TITLE = re.compile(r"(?:Comrades?|Cde\.|Comr\.|Com\.)\s+")
_DIGITS = re.compile(r"\d+")
_DOCUMENT_NEXT = re.compile(r"\s+(?:telegram|cable|letter|message|note|radiogram|ciphergram)", re.IGNORECASE)
# What follows a bare number that is a count, not a telegram's: "and 300 trucks", "and 20%"
_NOT_A_NUMBER = re.compile(r"\s*[%\-–]|\s+(?!(?:and|or|of|dated|from|have|has|had|were|was|are|is|received|in|to|on|"
                           r"about|concerning|и|от|получен\w*)\b)[a-zа-яё]")
_INCOMING = re.compile(r"\s*\((?:vkh\.?|incoming|inc\.?)\s*(?:No\.?|Nº|№)?\s*(?P<inc>\d[\w/\-]*)\)", re.IGNORECASE)
_SUMMARY = re.compile(
    r"\b(?:response|reply|answer|responds|replies|answers|responding|replying)\s+(?:to|on)\s+"
    r"(?P<poss>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,3}|the ambassador|the Soviet ambassador)['’]s\s+"
    r"(?:(?P<d1>\d{1,2}\s+[A-Z][a-z]+(?:\s+19\d\d)?|[A-Z][a-z]+\s+\d{1,2}(?:,\s+19\d\d)?)\s+)?"
    r"(?P<kind>telegrams?|cables?|letters?|messages?|directives?|notes?)"
    r"(?:\s+(?:of|dated)\s+(?P<d2>\d{1,2}\s+[A-Z][a-z]+(?:\s+19\d\d)?|[A-Z][a-z]+\s+\d{1,2}(?:,\s+19\d\d)?"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}))?")


def citations(ctx: Context) -> list[Citation]:
    out: list[Citation] = []
    used_until = -1
    hits = ctx.hits_of("cite")
    more = _more_anchors(ctx)
    if more:
        hits = sorted([*hits, *more], key=lambda h: h.start)
    for h in hits:
        if h.start < used_until:
            continue
        found = _cite(ctx, h.start, h.end, h.text.lower())
        if found:
            out.extend(found)
            used_until = max(c.span.end for c in found)
    t = ctx.telegram
    if t.summary is not None and ctx.telegram.date is not None:
        # the summary's reference, unless the text cites the same telegram itself
        seen = {(c.direction, c.dates[0].iso[:10] if c.dates else None) for c in out}
        out.extend(c for c in _from_summary(ctx, t)
                   if (c.direction, c.dates[0].iso[:10] if c.dates else None) not in seen)
    out.sort(key=lambda c: (c.from_summary, c.span.start))
    return out


def _more_anchors(ctx: Context) -> list[Hit]:
    """Hits of the anchor words of :data:`_MORE_ANCHORS` in the telegram's own text."""
    lower = ctx.lower
    out: list[Hit] = []
    for stem, endings in _MORE_ANCHORS:
        for s0, e0 in ctx.segments:
            i = lower.find(stem, s0, e0)
            while i >= 0:
                j = i + len(stem)
                while j < e0 and lower[j].isalpha():
                    j += 1
                if (i == 0 or not lower[i - 1].isalpha()) and \
                        (endings is None or lower[i + len(stem):j] in endings):
                    out.append(Hit(i, j, ctx.text[i:j], "cite"))
                i = lower.find(stem, j, e0)
    return out


def _cite(ctx: Context, s: int, e: int, word: str) -> list[Citation]:
    """The citations anchored on the word at ``s:e`` (several when it names several numbers)."""
    text = ctx.text
    seg_start = max(a for a, b in ctx.segments if a <= s)
    window = text[max(seg_start, s - 70):s]
    if word in ("no.", "nos.", "nº", "№"):
        b = re.search(r"(?<!\w)(?P<det>[Yy]our|[Mm]y|[Oo]ur|[Мм]о(?:ему|ей|ю|я|й)|[Нн]аш(?:у|ей|ему|а|)|"
                      r"[Вв]аш(?:у|ей|ему|а|))\s*(?:\[[^\]]*\]\s*)?(?:телеграмм[еуы]\s*)?$", window)
        if not b:
            return []  # a bare "No. 12" (closing lines, footnotes) is not a citation
        n = _NUMBER.match(text, s)
        if not n:
            return []
        start = s - (len(window) - b.start())
        det = b.group("det").lower()
        det = {"м": "my", "н": "our", "в": "your"}.get(det[0], det)
        others, end = _more_numbers(text, n.end(), bare=word == "nos.")
        found: list[DateValue] = []
        # "Вашу телеграмму № 3410 от 27.1.51", "your No. 4676 of 2 June"
        if od := _OF_DATE.match(text, end):
            found, end = _dates_at(ctx, od.end(), end)
        first = _finish(ctx, start, end, det, "telegram", len(found) > 1 and not others, n.group("n"),
                        n.group("inc"), found, None, None)
        return _with_others(first, others, text)
    russian = word.startswith("телеграмм")
    kind = "telegram" if russian else _KIND.get(word)
    if kind is None:
        return []
    plural = word in _PLURAL
    if word in ("order", "orders") and re.search(r"\bin\s+$", window):
        return []  # "in order to"
    if word in ("reply", "answer") and _DOCUMENT_NEXT.match(text, e):
        return []  # "your reply telegram": the next anchor reads it
    det = None
    start = s
    dates: list[DateValue] = []
    third: PersonRef | None = None
    pos = e
    if russian:
        b = _RU_DET.search(window)
        p = _RU_OF_PERSON.match(text, e)
        if not b and not p:
            return []
        if b:
            start = s - (len(window) - b.start())
            det = {"в": "your", "м": "my", "н": "our"}[b.group("det")[0].lower()]
            plural = b.group("det").endswith("и")  # "Ваши телеграммы"
        if p:
            third = PersonRef(p.group("who"), Span(p.start("who"), p.end(), text[p.start("who"):p.end()]), p.group("b"))
            pos = p.end()
    elif b := _BEFORE.search(window):
        start = s - (len(window) - b.start())
        det = (b.group("det") or "").lower() or None
        if b.group("poss"):
            poss_start = start + (t.end() if (t := _TITLE.match(b.group("poss"))) else 0)
            poss = text[poss_start:start + len(b.group("poss"))]
            third = PersonRef(poss, Span(poss_start, poss_start + len(poss), poss))
        mid = b.group("mid") or ""
        if re.search(r"\b(?:two|three|four|several)\b", mid):
            plural = True
        if "following" in mid.split() or "same" in mid.split():
            return []
        for m in DATE_RE.finditer(text, start, s):
            v = _read(m, ctx, "past")
            if v is not None:
                dates.append(v)
    elif word in ("telegram", "telegrams", "cable", "letter", "message") and text[s].isupper() and \
            (s == seg_start or text[s - 2:s] in (". ", "\n") or not text[s - 1].isalpha()):
        start = s  # "Telegram of Comrade X of 27 August (No. 4279)"
    else:
        return []
    number = incoming = topic = None
    others: list[tuple[str, str | None, int, int]] = []
    addressee: str | None = None
    # "[telegram]" right after "my" was already taken as the anchor
    if text.startswith("]", pos):
        pos += 1
    while True:
        if (n := _NUMBER.match(text, pos)) and n.group("n"):
            number, incoming = n.group("n"), n.group("inc") or incoming
            pos = n.end()
            if not others:
                others, pos = _more_numbers(text, pos, bare=plural or n.group(0).lower().lstrip().startswith("nos"))
            continue
        if od := _OF_DATE.match(text, pos):
            found, pos = _dates_at(ctx, od.end(), pos)
            if found:
                dates.extend(found)
                plural = plural or len(found) > 1
                continue
        if (td := re.match(r"\s+(?:of|from|sent)\s+(?P<w>today|yesterday)\b", text[pos:pos + 20])) and \
                (written := telegram_date(ctx.telegram, ctx.reference)):
            day = written - timedelta(days=1 if td.group("w") == "yesterday" else 0)
            dates.append(DateValue(day.isoformat(), "day", Span(pos + td.start("w"), pos + td.end("w"), td.group("w"))))
            pos += td.end()
            continue
        if addressee is None and third is None and (p := _TO_PERSON.match(text, pos)):
            addressee = p.group("who")
            pos = p.end()
            continue
        if third is None and (p := _OF_PERSON.match(text, pos)):
            who = p.group("who")
            if ctx.authority.known_person(who) is not None or text[p.start("who") - 8:p.start("who")].strip().lower() \
                    in ("comrade", "cde.", "comr.", "com.", "comrades"):
                third = PersonRef(who, Span(p.start("who"), p.end(), text[p.start("who"):p.end()]), p.group("b"))
                pos = p.end()
                continue
        if (inc := _INCOMING.match(text, pos)) and incoming is None:
            incoming = inc.group("inc")
            pos = inc.end()
            continue
        if text.startswith(" (", pos) and (n := _NUMBER.match(text, pos + 2)) and text.startswith(")", n.end()):
            number, incoming = n.group("n"), n.group("inc") or incoming
            pos = n.end() + 1
            continue
        break
    if not dates and number is None and (ab := _ABOUT.match(text, pos)):
        topic = ab.group("topic").strip(" ,")
        pos = ab.start("topic") + len(ab.group("topic").rstrip(" ,"))
    if det in (None, "the", "this", "that") and not (dates or number or third or topic or addressee):
        return []
    if (det in ("his", "their", "her") or word in _WEAK) and not (dates or number):
        return []  # "his telegram" with nothing to find it by; "we await your answer"
    if det in ("his", "her") and third is None:
        third = _named_before(ctx, start)
    first = _finish(ctx, start, pos, det, kind, plural and not others, number, incoming, dates, topic, third)
    return _with_others(first, others, text)


def _more_numbers(text: str, pos: int, bare: bool) -> tuple[list[tuple[str, str | None, int, int]], int]:
    """The further numbers of a list that starts before ``pos``: ``and No. 160 (vkh. No. 1951)``, and
    after ``Nos.`` or a plural word also bare ``and 615``; (number, incoming, start, end) each, and where
    the list ends."""
    out: list[tuple[str, str | None, int, int]] = []
    while (m := _MORE_NUMBER.match(text, pos)) and (m.group("no") or bare):
        if not m.group("no") and (DATE_RE.match(text, m.start("n")) or _NOT_A_NUMBER.match(text, m.end())):
            break  # "and 30 October", "and 300 trucks"
        start = m.start("no") if m.group("no") else m.start("n")
        out.append((m.group("n"), m.group("inc"), start, m.end()))
        pos = m.end()
    return out, pos


def _with_others(first: Citation, others: list[tuple[str, str | None, int, int]], text: str) -> list[Citation]:
    """``first`` and a citation like it for each further number (spanning that number's words)."""
    return [first, *(replace(first, span=Span(a, b, text[a:b]), number=n, incoming_number=inc)
                     for n, inc, a, b in others)]


def _dates_at(ctx: Context, pos: int, fail: int) -> tuple[list[DateValue], int]:
    """The dates written at ``pos`` (after ``of``): one, a list of days before their month
    (``28 and 30 October``), a month-first date and further days (``October 20 and 23``), and any
    further dates (``of 4 June and 6 June``); and where they end (``fail`` when there is none)."""
    text = ctx.text
    days = _DAY_LIST.match(text, pos) if text[pos:pos + 1].isdigit() else None
    m = DATE_RE.match(text, days.end() if days else pos)
    if not m or (needs_context(m) and not _yearless_is_date(text, m)) or (v := _read(m, ctx, "past")) is None:
        return [], fail
    out: list[DateValue] = []
    if days:
        for d in _DIGITS.finditer(text, days.start("days"), days.end("days")):
            if (earlier := _same_month(v, int(d.group()), Span(d.start(), d.end(), d.group()))) is not None:
                out.append(earlier)
    out.append(v)
    end = m.end()
    while True:
        if (a := _AND_DATE.match(text, end)) and (m2 := DATE_RE.match(text, a.end())) and not m2.group("short") \
                and (v2 := _read(m2, ctx, "past")) is not None:
            out.append(v2)
            m, end = m2, m2.end()
            continue
        if m.group("md") and (a := _AND_DAY.match(text, end)) and \
                (later := _same_month(out[-1], int(a.group("d")), Span(a.start("d"), a.end(), text[a.start("d"):a.end()]),
                                      later=True)) is not None:
            out.append(later)
            end = a.end()
            continue
        return out, end


def _same_month(v: DateValue, day: int, span: Span, later: bool = False) -> DateValue | None:
    """The ``day`` of ``v``'s month, if it comes before ``v`` (after it, when ``later``)."""
    if v.precision not in ("day", "minute"):
        return None
    y, m, d = int(v.iso[:4]), int(v.iso[5:7]), int(v.iso[8:10])
    if (day <= d) if later else (day >= d):
        return None
    try:
        return DateValue(date(y, m, day).isoformat(), "day", span)
    except ValueError:
        return None


def _named_before(ctx: Context, pos: int) -> PersonRef | None:
    """Whom ``his telegram`` means: the last person named before ``pos`` in its sentence."""
    sentence_start = ctx.sentence_at(pos)[0]
    last: Hit | None = None
    for h in ctx.hits_of("person"):
        if h.start >= pos:
            break
        if h.start >= sentence_start:
            last = h
    return PersonRef(last.text, Span(last.start, last.end, last.text)) if last is not None else None


def _finish(ctx: Context, start: int, end: int, det: str | None, kind: str, plural: bool, number: str | None,
            incoming: str | None, dates: list[DateValue], topic: str | None,
            third: PersonRef | None) -> Citation:
    direction = {"your": "your", "my": "my", "our": "our"}.get(det or "", "unknown")
    if third is not None:
        direction = _direction_of(ctx, third) or "third"
        if direction != "third":
            third = None
    elif det in ("his", "their", "her"):
        direction = "third"
    text = ctx.text
    return Citation(Span(start, end, text[start:end]), direction, kind, tuple(dates), number, incoming, plural,
                    topic, third)


def _direction_of(ctx: Context, who: PersonRef) -> str | None:
    """``my``/``your`` when the person named is the telegram's author/(first) addressee."""
    a = ctx.authority
    key = a.person(who.name, who.bracket).key
    t = ctx.telegram
    if t.author is not None and a.person(t.author.name, t.author.bracket).key == key:
        return "my"
    # only the first addressee: "your" is read as from the first (rdf.build.presumed_parties), so
    # another addressee's telegram ("Comrade VASILEVSKY's telegram") is a third party's, with its sender
    if t.addressees and a.person(t.addressees[0].name, t.addressees[0].bracket).key == key:
        return "your"
    return None


def _from_summary(ctx: Context, t: Telegram) -> list[Citation]:
    """``... response to Stalin's 13 May telegram`` in the archive's summary."""
    summary = t.summary
    assert summary is not None
    text = ctx.text
    s0, e0 = summary.span.start, summary.span.end
    out = []
    low = ctx.lower[s0:e0]
    if "respon" not in low and "repl" not in low and "answer" not in low:
        return out
    for m in _SUMMARY.finditer(text, s0, e0):
        poss = m.group("poss")
        dates = []
        for g in ("d1", "d2"):
            if m.group(g):
                dm = DATE_RE.match(text, m.start(g))
                if dm:
                    v = _read(dm, ctx, "past")
                    if v is not None:
                        dates.append(v)
        if poss.lower() in ("the ambassador", "the soviet ambassador"):
            who = _party_with_role(ctx, "ambassador")
            direction = who or "unknown"
            third = None
        else:
            third = PersonRef(poss, Span(m.start("poss"), m.end("poss"), poss))
            direction = _direction_of(ctx, third) or "third"
            if direction != "third":
                third = None
        kind = _KIND.get(m.group("kind").lower(), "telegram")
        out.append(Citation(Span(m.start(), m.end(), m.group(0)), direction, kind, tuple(dates),
                            plural=m.group("kind").lower().endswith("s"), third_party=third, from_summary=True))
    return out


def _party_with_role(ctx: Context, word: str) -> str | None:
    """``the ambassador``: ``my`` if the author held an office with that word then."""
    a = ctx.authority
    t = ctx.telegram
    year = ctx.year

    def holds(ref: PersonRef | None) -> bool:
        if ref is None:
            return False
        p = a.persons.get(a.person(ref.name, ref.bracket).key)
        return bool(p) and any(word in r["role"].lower() and (year is None or r.get("from", 0) <= year <= r.get("to", 9999))
                               for r in p.get("roles", []))
    if holds(t.author):
        return "my"
    if any(holds(x) for x in t.addressees):
        return "your"
    return None


def read_text(sentence: str, reference: date | None) -> list[Citation]:
    """Citations of one sentence (a convenience for tests and doctests)."""
    from ..model import Telegram as _T
    from ..resolve import Authority
    from . import make_context
    t = _T(date=DateValue(reference.isoformat(), "day", Span(0, 0, "")) if reference else None,
           text=Span(0, len(sentence), sentence), paragraphs=(Span(0, len(sentence), sentence),))
    return citations(make_context(t, sentence, sentence.lower(), Authority.load()))
