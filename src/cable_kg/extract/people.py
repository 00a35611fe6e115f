"""People named in a telegram's text.

Known names come from the automaton (every alias, pseudonym and variant of
the authority file); a known surname followed by a capitalised word is
widened when the wider name is the same person ("Peng Dehaui"); unknown
people are read after titles ("Comrade LIU SHAOQI"); offices named instead
of a person ("the Soviet ambassador") resolve through the ``roles`` of the
authority file and the telegram's year.  Editorial brackets right after a
name are its resolution: ``PAK HEON-YEONG [Pak Hon Yong]``, ``Feng Xi (Stalin)``.
"""

from __future__ import annotations

import re

from ..model import Mention, Span
from .context import Context
from .matcher import Hit

# Titles before a name; an unknown capitalised name after one is a person.
_TITLE_RE = re.compile(r"(?:Comrades?|Cde\.|Comr\.|Com\.|Tov\.|Mr\.|Marshal|General|Generalissimo|Premier|Chairman|"
                       r"Minister|Ambassador|Dear)\s+")
_TITLE_FIND = ("Comrade", "Cde.", "Comr.", "Com.", "Tov.", "Mr.", "Marshal", "General", "Premier",
               "Chairman", "Minister")
# A name after a title: capitalised words, initials, hyphens; letter-spaced capitals.
_NAME_AFTER = re.compile(
    r"(?P<name>(?:[A-ZА-ЯЁ]\.(?:[A-Za-zА-Яа-я]{1,2}\.)*\s?)*"
    r"[A-ZА-ЯЁ][\w'’\-]*(?:[ \u00a0](?:[A-ZА-ЯЁ][\w'’\-]*|[A-Z]\.(?:[A-Za-z]{1,2}\.)*))*)")
_NOT_NAMES = frozenset({
    "the", "a", "an", "this", "that", "staff", "headquarters", "assembly", "secretary", "committee", "and",
    "of", "chinese", "korean", "koreans", "soviet", "american", "americans", "comrades", "people", "peoples",
    "government", "council", "ministers", "ministry", "army", "command", "i", "we", "you", "he", "they",
    "in", "on", "for", "to", "with", "by", "at", "from", "as", "is", "has", "will", "who", "which",
})
_BRACKET_AFTER = re.compile(r"[ \u00a0]?[\[(](?P<b>[^\])\n]{1,40})[\])]")
_CAP_WORD = re.compile(r"[ \u00a0](?P<w>[A-ZА-ЯЁ][a-zа-яё'’\-]+|[A-ZА-ЯЁ]{2,}(?:-[A-ZА-ЯЁ]+)?)(?![\w])")


def _bracket(ctx: Context, end: int) -> tuple[str | None, int]:
    m = _BRACKET_AFTER.match(ctx.text, end)
    if m and ctx.inside(m.start("b")):
        inner = m.group("b").strip()
        if inner and inner[0].isupper() and not any(c.isdigit() for c in inner) and len(inner.split()) <= 4:
            return inner, m.end()
    return None, end


def _clean(name: str) -> str:
    name = " ".join(name.replace("\u00a0", " ").split())
    if re.fullmatch(r"(?:\w ){2,}\w", name):
        name = name.replace(" ", "")
    return name


def people(ctx: Context) -> list[Mention]:
    a = ctx.authority
    out: list[Mention] = []
    covered: list[tuple[int, int]] = []
    text = ctx.text
    for h in ctx.hits:
        if h.kind == "person":
            key, _ = h.data
            s, e = h.start, h.end
            name = h.text
            # Widen "Peng" + "Dehaui" when the wider name is the same person.
            m = _CAP_WORD.match(text, e)
            if m and ctx.inside(m.start("w")) and m.group("w").lower() not in _NOT_NAMES:
                wider = text[s:m.end()]
                if a.person(wider).key == key:
                    name, e = wider, m.end()
            bracket, e2 = _bracket(ctx, e)
            if bracket and a.known_place(bracket) is not None:
                bracket, e2 = None, e
            out.append(Mention("person", _clean(name), Span(s, e2, text[s:e2]), bracket))
            covered.append((s, e2))
        elif h.kind == "role":
            m = _role(ctx, h)
            if m is not None:
                out.append(m)
                covered.append((m.span.start, m.span.end))
    names = {(m.span.start, m.span.end) for m in out}
    for m in _titled(ctx):
        if any(s <= m.span.start < e or m.span.start <= s < m.span.end for s, e in covered):
            continue
        if (m.span.start, m.span.end) not in names:
            out.append(m)
    out.sort(key=lambda m: m.span.start)
    return out


def _titled(ctx: Context) -> list[Mention]:
    """Unknown people after a title: ``Comrade LIU SHAOQI``."""
    text = ctx.text
    out = []
    for s0, e0 in ctx.segments:
        for title in _TITLE_FIND:
            i = text.find(title, s0, e0)
            while i >= 0:
                t = _TITLE_RE.match(text, i)
                if t and (i == 0 or not text[i - 1].isalnum()):
                    m = _NAME_AFTER.match(text, t.end(), e0)
                    if m:
                        words = m.group("name").split()
                        # stop at the first word that is not part of a name
                        kept = []
                        for w in words:
                            if w.lower().strip(".,") in _NOT_NAMES or ctx.authority.known_place(w) is not None:
                                break
                            kept.append(w)
                        if kept and not (title == "General" and len(kept) == 1 and kept[0].islower()):
                            name = " ".join(kept)
                            ns, ne = m.start(), m.start() + len(" ".join(words[:len(kept)]))
                            ne = ns + len(text[ns:ne])
                            bracket, e2 = _bracket(ctx, ne)
                            if title in ("General", "Premier", "Chairman", "Minister", "Marshal") and \
                                    ctx.authority.known_person(name) is None:
                                pass  # "General Staff", "Chairman of ..." are not people
                            else:
                                out.append(Mention("person", _clean(name), Span(ns, e2, text[ns:e2]), bracket))
                i = text.find(title, i + len(title), e0)
    return out


def _role(ctx: Context, h: Hit) -> Mention | None:
    """``the Soviet ambassador`` -> the person holding that office then."""
    candidates = [p for hit in ctx.hits if hit.start == h.start and hit.end == h.end and hit.kind == "role"
                  for p in [hit.data]]
    year = ctx.year
    qual_text = ctx.lower[h.end:h.end + 40]
    live = []
    for key, qualifier, start, end in candidates:
        if year is not None and ((start and year < start) or (end and year > end)):
            continue
        live.append((key, qualifier))
    if not live:
        return None
    keys = {k for k, _ in live}
    if len(keys) > 1:
        # A qualifier written after the phrase ("in Pyongyang", "to China") or the
        # telegram's origin/destination decides which office is meant.
        countries = _countries_near(ctx, qual_text)
        chosen = {k for k, q in live if q is not None and _country_of(ctx, q) in countries}
        if len(chosen) == 1:
            keys = chosen
        else:
            return None
    key = next(iter(keys))
    name = ctx.authority.persons[key]["name"]
    s = h.start
    if ctx.lower.startswith("the ", max(0, s - 4)) and s >= 4:
        s -= 4
    return Mention("person", name, Span(s, h.end, ctx.text[s:h.end]))


def _country_of(ctx: Context, name: str) -> str | None:
    name = re.sub(r"^the\s+", "", name.strip())
    pl = ctx.authority.known_place(name)
    if pl is None:
        return None
    return ctx.authority.places[pl.key].get("country", pl.key)


def _countries_near(ctx: Context, after: str) -> set[str]:
    out: set[str] = set()
    m = re.match(r"\s+(?:in|to|at)\s+(?:the\s+)?([A-Za-z']+(?: [A-Z][a-z]+)?)", after)
    if m:
        c = _country_of(ctx, m.group(1))
        if c:
            return {c}
    t = ctx.telegram
    for v in (t.origin, t.destination):
        if v is not None:
            c = _country_of(ctx, v.value)
            if c:
                out.add(c)
    return out
