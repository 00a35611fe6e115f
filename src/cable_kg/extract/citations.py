"""References to other telegrams: the material of reply chains.

Anchored on the words ``telegram``, ``directive``, ``order``, ``letter``,
``note``, ``cable``, ``message`` and ``No.`` (automaton hits); the words
before the anchor give the direction (``your``, ``my``, ``our``, ``the
11 October``, ``Telegram of Comrade X``) and the words after it the date
(``of June 4``, ``dated 13.10.50``), the number (``No. 3153``, ``(vkh.
No. 20757)``), the sender (``of Comrade X``, ``from MAO ZEDONG``) or the
topic (``about the preparation of pilot cadres``).  Dates take the year on
or before the citing telegram's date.  The archive's summary is read too:
``The cable contains X's response to Y's 13 May telegram`` (``from_summary``).

>>> from datetime import date
>>> [(c.direction, c.number, c.incoming_number) for c in read_text("To my [telegram] No. 2967 (vkh. No. 20757) I add:", date(1951, 6, 5))]
[('my', '2967', '20757')]
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Citation, DateValue, PersonRef, Span, Telegram
from ..parse.dates import DATE_RE
from .context import Context
from .dates import _read

_KIND = {"telegram": "telegram", "telegrams": "telegram", "directive": "directive", "directives": "directive",
         "order": "order", "orders": "order", "cable": "cable", "cables": "cable", "letter": "letter",
         "letters": "letter", "message": "message", "messages": "message", "note": "note", "notes": "note",
         "radiogram": "telegram", "ciphergram": "telegram"}
_PLURAL = {"telegrams", "directives", "orders", "cables", "letters", "messages", "notes"}

# Words before the anchor: determiner, possessor, a date, "[telegram]".
_BEFORE = re.compile(
    r"(?P<det>\b(?:[Yy]our|[Mm]y|[Oo]ur|[Tt]he|[Tt]his|[Tt]hat|[Hh]is|[Tt]heir|[Hh]er)"
    r"|(?P<poss>[A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,3})['’]s)"
    r"(?P<mid>(?:\s+(?:two|three|four|several|last|latest|recent|previous|earlier|following|same|above|said|"
    r"separate|personal|urgent|special|coded|ciphered|reply|new|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+(?:\s+19\d\d)?"
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
    for h in ctx.hits_of("cite"):
        if h.start < used_until:
            continue
        c = _cite(ctx, h.start, h.end, h.text.lower())
        if c is not None:
            out.append(c)
            used_until = c.span.end
    t = ctx.telegram
    if t.summary is not None and ctx.telegram.date is not None:
        # the summary's reference, unless the text cites the same telegram itself
        seen = {(c.direction, c.dates[0].iso[:10] if c.dates else None) for c in out}
        out.extend(c for c in _from_summary(ctx, t)
                   if (c.direction, c.dates[0].iso[:10] if c.dates else None) not in seen)
    out.sort(key=lambda c: (c.from_summary, c.span.start))
    return out


def _cite(ctx: Context, s: int, e: int, word: str) -> Citation | None:
    text = ctx.text
    seg_start = max(a for a, b in ctx.segments if a <= s)
    window = text[max(seg_start, s - 70):s]
    if word in ("no.", "nos.", "nº", "№"):
        b = re.search(r"(?<!\w)(?P<det>[Yy]our|[Mm]y|[Oo]ur|[Мм]о(?:ему|ей|ю|я|й)|[Нн]аш(?:у|ей|ему|а|)|"
                      r"[Вв]аш(?:у|ей|ему|а|))\s*(?:\[[^\]]*\]\s*)?(?:телеграмм[еуы]\s*)?$", window)
        if not b:
            return None  # a bare "No. 12" (closing lines, footnotes) is not a citation
        n = _NUMBER.match(text, s)
        if not n:
            return None
        start = s - (len(window) - b.start())
        det = b.group("det").lower()
        det = {"м": "my", "н": "our", "в": "your"}.get(det[0], det)
        end = n.end()
        found: list[DateValue] = []
        # "Вашу телеграмму № 3410 от 27.1.51", "your No. 4676 of 2 June"
        if (od := _OF_DATE.match(text, end)) and (m := DATE_RE.match(text, od.end())) and not m.group("short") \
                and (v := _read(m, ctx, "past")) is not None:
            found.append(v)
            end = m.end()
        return _finish(ctx, start, end, det, "telegram", False, n.group("n"),
                       n.group("inc"), found, None, None)
    kind = _KIND.get(word)
    if kind is None:
        return None
    plural = word in _PLURAL
    if word in ("order", "orders") and re.search(r"\bin\s+$", window):
        return None  # "in order to"
    b = _BEFORE.search(window)
    det = None
    start = s
    dates: list[DateValue] = []
    third: PersonRef | None = None
    if b:
        start = s - (len(window) - b.start())
        det = (b.group("det") or "").lower() or None
        if b.group("poss"):
            poss = b.group("poss")
            third = PersonRef(poss, Span(start, start + len(poss), poss))
        mid = b.group("mid") or ""
        if re.search(r"\b(?:two|three|four|several)\b", mid):
            plural = True
        if "following" in mid.split() or "same" in mid.split():
            return None
        for m in DATE_RE.finditer(text, start, s):
            v = _read(m, ctx, "past")
            if v is not None:
                dates.append(v)
    elif word in ("telegram", "telegrams", "cable", "letter", "message") and text[s].isupper() and \
            (s == seg_start or text[s - 2:s] in (". ", "\n") or not text[s - 1].isalpha()):
        start = s  # "Telegram of Comrade X of 27 August (No. 4279)"
    else:
        return None
    if det in ("his", "their", "her") and not dates:
        return None
    pos = e
    number = incoming = topic = None
    addressee: str | None = None
    # "[telegram]" right after "my" was already taken as the anchor
    if text.startswith("]", pos):
        pos += 1
    while True:
        if (n := _NUMBER.match(text, pos)) and n.group("n"):
            number, incoming = n.group("n"), n.group("inc") or incoming
            pos = n.end()
            continue
        if (od := _OF_DATE.match(text, pos)) and (m := DATE_RE.match(text, od.end())) and not m.group("short"):
            v = _read(m, ctx, "past")
            if v is not None:
                dates.append(v)
                pos = m.end()
                while (a := _AND_DATE.match(text, pos)) and (m2 := DATE_RE.match(text, a.end())) \
                        and not m2.group("short"):
                    v2 = _read(m2, ctx, "past")
                    if v2 is None:
                        break
                    dates.append(v2)
                    plural = True
                    pos = m2.end()
                continue
        if (td := re.match(r"\s+(?:of|from|sent)\s+(?P<w>today|yesterday)\b", text[pos:pos + 20])) and ctx.reference:
            from datetime import timedelta
            day = ctx.reference - timedelta(days=1 if td.group("w") == "yesterday" else 0)
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
        return None
    return _finish(ctx, start, pos, det, kind, plural, number, incoming, dates, topic, third)


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
    """``my``/``your`` when the person named is the telegram's author/addressee."""
    a = ctx.authority
    key = a.person(who.name, who.bracket).key
    t = ctx.telegram
    if t.author is not None and a.person(t.author.name, t.author.bracket).key == key:
        return "my"
    if any(a.person(x.name, x.bracket).key == key for x in t.addressees):
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
