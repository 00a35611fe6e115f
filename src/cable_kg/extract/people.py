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


_SPACED = re.compile(r"(?:\w ){2,}\w")


def _clean(name: str) -> str:
    name = " ".join(name.replace("\u00a0", " ").split())
    if _SPACED.fullmatch(name):
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


def _is_place(ctx: Context, word: str) -> bool:
    """Whether the authority knows ``word`` as a place (remembered per authority)."""
    memo = ctx.matcher.memo
    got = memo.get(("place", word))
    if got is None:
        got = memo[("place", word)] = ctx.authority.known_place(word) is not None
    return got


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
                            if w.lower().strip(".,") in _NOT_NAMES or _is_place(ctx, w):
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
    candidates = [hit.data for hit in ctx.hits if hit.start == h.start and hit.end == h.end and hit.kind == "role"]
    year = ctx.year
    live = [(key, q, at) for key, q, start, end, at in candidates
            if year is None or ((not start or year >= start) and (not end or year <= end))]
    if not live:
        return None
    keys = {k for k, _, _ in live}
    if len(keys) > 1:
        # A place written after the phrase ("in Pyongyang", "to China"), else the
        # telegram's origin or destination, decides which office is meant.
        chosen: set[str] = set()
        for where in _places_near(ctx, ctx.lower[h.end:h.end + 40]):
            chosen = {k for k, q, at in live if where in (at, q and _place_key(ctx, q),
                                                          at and _country_of(ctx, at))}
            if len(chosen) == 1:
                break
        if len(chosen) != 1:
            return None
        keys = chosen
    key = next(iter(keys))
    name = ctx.authority.persons[key]["name"]
    s = h.start
    if s >= 4 and ctx.lower.startswith("the ", s - 4):
        s -= 4
    return Mention("person", name, Span(s, h.end, ctx.text[s:h.end]))


def _place_key(ctx: Context, name: str) -> str | None:
    pl = ctx.authority.known_place(re.sub(r"^the\s+", "", name.strip()))
    return pl.key if pl else None


def _places_near(ctx: Context, after: str) -> list[str]:
    """Place keys that may qualify an office: the one written after it, then
    the telegram's origin and destination (and their countries)."""
    out: list[str] = []
    m = re.match(r"\s+(?:in|to|at)\s+(?:the\s+)?([a-z']+(?: [a-z]+)?)", after)
    if m:
        for cand in (m.group(1), m.group(1).split()[0]):
            k = _place_key(ctx, cand)
            if k:
                out.append(k)
                break
    t = ctx.telegram
    for v in (t.origin, t.destination):
        if v is not None and (k := _place_key(ctx, v.value)):
            out.append(k)
    return out


_COUNTRY = {"beijing": "china", "shenyang": "china", "harbin": "china", "dandong": "china", "dalian": "china",
            "port-arthur": "china", "shanghai": "china", "changchun": "china", "pyongyang": "north-korea",
            "sinuiju": "north-korea", "kanggye": "north-korea", "wonsan": "north-korea", "hamhung": "north-korea",
            "haeju": "north-korea", "nampo": "north-korea", "moscow": "ussr", "seoul": "south-korea",
            "busan": "south-korea"}


def _country_of(ctx: Context, key: str) -> str | None:
    """The country of a place key: the authority's ``country`` field, else a small table."""
    pl = ctx.authority.places.get(key)
    if pl is None:
        return None
    return pl.get("country") or _COUNTRY.get(key)
