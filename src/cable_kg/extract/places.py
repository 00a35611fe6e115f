"""Places named in a telegram's text.

Every known name or alternate (automaton hits, capitalised) is a mention;
an editorial bracket right after it is kept as ``bracket``
(``Incheon [Jemulpo]``, ``Andong [Antung]``).  Features built of places
(``the Daejeon-Andong boundary``, ``the south bank of the Han River``,
``the Suwon-Jemulpo region``) give a mention of each place they name.

Andong is two places: the Chinese border city (today Dandong, the
authority's ``dandong``) and the South Korean town (``andong-korea``).  It
is the Korean one when the same sentence names places in South Korea, or a
line or boundary with a Korean place; otherwise the Chinese city.  The
Korean one's mention has the value ``Andong (Korea)`` (the authority's name
for it) so that resolving the value finds it; the span keeps what was
written.
"""

from __future__ import annotations

import re

from ..model import Mention, Span
from .context import Context
from .people import _bracket

# Korean places that mark a sentence as being about the southern front.
SOUTH = frozenset({"daejeon", "yeongju", "wonju", "suwon", "daegu", "busan", "chuncheon", "seoul", "incheon",
                   "munsan", "south-korea", "naktong-river", "han-river"})
CHINA = frozenset({"shenyang", "yalu-river", "china", "beijing", "harbin", "sinuiju", "dalian", "port-arthur"})
AMBIGUOUS = {"dandong": "andong-korea"}
_FEATURE = re.compile(r"(?:-|\s+)?(?:line|boundary|region|area|sector|front|direction)\b")


def places(ctx: Context) -> list[Mention]:
    a = ctx.authority
    out: list[Mention] = []
    hits = ctx.hits_of("place")
    for h in hits:
        key = h.data
        bracket, end = _bracket(ctx, h.end)
        if bracket:
            bk = a.known_place(bracket)
            if bk is None and a.known_person(bracket) is not None:
                bracket, end = None, h.end
        value = _clean(h.text)
        # Only "Andong" itself is ambiguous ("Antung" is the Chinese city), and
        # not when the editors' bracket names the Chinese city.
        if key in AMBIGUOUS and normalise(h.text) == normalise(a.places[key]["name"]) and \
                not (bracket and (bk := a.known_place(bracket)) is not None and bk.key == key):
            if _korean_context(ctx, h, hits):
                value = a.places[AMBIGUOUS[key]]["name"]
        out.append(Mention("place", value, Span(h.start, end, ctx.text[h.start:end]), bracket))
    out.sort(key=lambda m: m.span.start)
    return out


def normalise(name: str) -> str:
    return " ".join(name.lower().split())


def _clean(name: str) -> str:
    name = " ".join(name.replace("\u00a0", " ").split())
    return name.title() if name.isupper() and len(name) > 4 else name


def _korean_context(ctx: Context, h, hits) -> bool:
    """Is this Andong the Korean town? Other places in its sentence decide."""
    s, e = ctx.sentence_at(h.start)
    keys = [x.data for x in hits if s <= x.start < e and x is not h]
    south = sum(1 for k in keys if k in SOUTH)
    china = sum(1 for k in keys if k in CHINA)
    if south > china:
        return True
    # "the Daejeon-Andong boundary" / "Wonju-Andong line": joined to a Korean place
    before = ctx.text[max(s, h.start - 30):h.start]
    after = ctx.text[h.end:h.end + 20]
    joined = re.search(r"(\w+)-$", before)
    if joined and (a := ctx.authority.known_place(joined.group(1))) and a.key in SOUTH:
        return True
    if after.startswith("-") and (m := re.match(r"-(\w+)", after)) and \
            (a := ctx.authority.known_place(m.group(1))) and a.key in SOUTH:
        return True
    return False
