"""Extraction: the telegram's words to mentions, citations, operations and
events, each with its span.  Pure: text in, records out.

Each telegram (and, recursively, each embedded one) is read over its own
words only: its paragraphs less the spans of the telegrams it embeds.
Spans are offsets into the whole page text.  One Aho-Corasick automaton
(:mod:`.matcher`, built once per authority) finds every known name and
every anchor word in one pass; the extractors look only around its hits.

>>> from cable_kg.parse import parse_page
>>> from cable_kg.resolve import Authority
>>> page = ("June 5, 1951\\nCiphered Telegram No. 3410, Filippov [Stalin] to Mao Zedong\\n"
...         "I received your telegram of June 4. Comrade Peng Dehaui writes that the ninth army group "
...         "holds Incheon [Jemulpo].\\nFILIPPOV [Stalin]\\n5 June 1951\\n")
>>> t = annotate(parse_page(page), page, Authority.load())
>>> [(m.kind, m.value) for m in t.mentions]
[('date', '1951-06-04'), ('person', 'Peng Dehaui'), ('unit', 'ninth army group'), ('place', 'Incheon')]
>>> c = t.citations[0]; (c.direction, c.dates[0].iso)
('your', '1951-06-04')
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..model import Mention, Telegram
from ..parse.dates import to_date
from ..resolve import Authority
from .citations import citations as _citations
from .context import Context
from .dates import dates as _dates
from .events import events as _events
from .matcher import matcher_for
from .operations import operations as _operations
from .people import people as _people
from .places import places as _places
from .units import units as _units

_KIND_ORDER = {"person": 0, "place": 1, "unit": 2, "date": 3}


def annotate(telegram: Telegram, text: str, authority: Authority) -> Telegram:
    """The telegram (and its embedded ones) with what its text names."""
    return _annotate(telegram, text, text.lower() if len(text.lower()) == len(text) else _lower(text),
                     authority, None)


def _lower(text: str) -> str:
    """Lower case with the length kept (a few letters grow when lowered)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _annotate(t: Telegram, text: str, lower: str, authority: Authority, carrier: date | None) -> Telegram:
    reference = to_date(t.best_date) or carrier
    embedded = tuple(_annotate(e, text, lower, authority, reference) for e in t.embedded)
    ctx = make_context(t, text, lower, authority, reference)
    mentions = extract_mentions(ctx)
    cites = _citations(ctx)
    ops = _operations(ctx, mentions, cites)
    evs = _events(ctx, mentions, cites)
    return replace(t, embedded=embedded, mentions=tuple(mentions), citations=tuple(cites),
                   operations=tuple(ops), events=tuple(evs))


def extract_mentions(ctx: Context) -> list[Mention]:
    """People, places, units and dates, in order of their spans."""
    found = _people(ctx) + _places(ctx) + _units(ctx) + _dates(ctx)
    # A place's span inside a person's bracket or a date inside a unit is not
    # a mention of its own; a person inside a place bracket neither.
    found.sort(key=lambda m: (m.span.start, -m.span.end, _KIND_ORDER[m.kind]))
    out: list[Mention] = []
    for m in found:
        if out and m.kind in ("person", "place") and any(
                o.kind in ("person", "place") and o.span.start <= m.span.start < o.span.end for o in out[-3:]):
            continue
        out.append(m)
    return out


def segments_of(t: Telegram, text: str) -> list[tuple[int, int]]:
    """The telegram's own stretches of the page: its paragraphs (else its
    text) and a decision's protocol line (which names the body deciding),
    less the spans of its embedded telegrams, adjacent ones merged."""
    spans = [(p.start, p.end) for p in t.paragraphs] or ([(t.text.start, t.text.end)] if t.text else [])
    if t.protocol is not None:
        spans = sorted([(t.protocol.span.start, t.protocol.span.end), *spans])
    holes = sorted((e.text.start, e.text.end) for e in t.embedded if e.text is not None)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        pieces = [(s, e)]
        for hs, he in holes:
            nxt = []
            for a, b in pieces:
                if he <= a or hs >= b:
                    nxt.append((a, b))
                    continue
                if a < hs:
                    nxt.append((a, hs))
                if he < b:
                    nxt.append((he, b))
            pieces = nxt
        for a, b in pieces:
            # trim quote marks and blanks left at a cut
            while a < b and text[a] in " \u00a0\n\"“”«»":
                a += 1
            while b > a and text[b - 1] in " \u00a0\n\"“”«»":
                b -= 1
            if a >= b:
                continue
            if out and not text[out[-1][1]:a].strip() and not any(out[-1][1] <= hs < a + 1 for hs, _ in holes):
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return out


def make_context(t: Telegram, text: str, lower: str, authority: Authority,
                 reference: date | None = None) -> Context:
    return Context(text, lower, t, authority, matcher_for(authority), segments_of(t, text),
                   reference or to_date(t.best_date))


__all__ = ["annotate", "extract_mentions", "make_context", "segments_of"]
