"""Past events a telegram reports: a meeting, a report, a telegram
received, a delivery, an attack, a withdrawal, an arrival.

One event per sentence whose verb (an automaton anchor) is in the past
tense and not under a plan or a condition; the event's date is the first
date mentioned in the sentence that is not part of a citation (another
before a time relative to an operation: "after the conclusion of the third
operation, on 16 March ..."), its participants the people and its places
the places of the sentence.
"""

from __future__ import annotations

import re

from ..model import Citation, Event, Mention, Span
from .context import Context

KINDS = {
    "received": "receipt", "arrived": "arrival", "came": "arrival", "was in": "visit",
    "invited": "meeting", "met": "meeting", "conversation": "meeting", "took part": "meeting",
    "discussed": "meeting", "summoned": "summons",
    "informed": "report", "reported": "report", "told": "report", "communicated": "report",
    "answered": "report", "asked": "request", "promised": "promise", "welcomed": "reaction",
    "transmitted": "transmission", "sent": "dispatch", "delivered": "delivery",
    "shelled": "attack", "attacked": "attack", "bombs": "attack", "bombed": "attack", "went over": "attack",
    "crossed": "crossing", "advanced": "advance", "occupied": "capture", "captured": "capture",
    "landed": "landing", "withdrew": "withdrawal", "moved": "redeployment", "retracted": "withdrawal",
    "refused": "refusal", "decided": "decision", "agreed": "agreement", "began": "beginning",
}
# Plans, conditions and requests: not reports of what happened.
_NOT_PAST = re.compile(r"\b(?:will|shall|must|should|would|if|whether|ask you|we ask|please|are to|is to|"
                       r"can|could|intend|plan)\b", re.I)
_PASSIVE_FUTURE = re.compile(r"\b(?:be|being|been)\s+$")
# the literal words of _NOT_PAST: a clause with none of them is not tested further
_NOT_PAST_WORDS = ("will", "shall", "must", "should", "would", "if", "whether", "ask", "please", "are to",
                   "is to", "can", "could", "intend", "plan")


def events(ctx: Context, mentions: list[Mention], citations: list[Citation]) -> list[Event]:
    text = ctx.text
    out: list[Event] = []
    seen: set[int] = set()
    cited = [(c.span.start, c.span.end) for c in citations]
    for h in ctx.hits_of("event"):
        word = h.text.lower()
        kind = KINDS.get(word)
        if kind is None:
            continue
        si = ctx.sentence_index(h.start)
        if si in seen:
            continue
        s, e = ctx.sentences[si] if ctx.sentences else (h.start, h.end)
        clause = text[s:h.start]
        near = ctx.lower[max(s, h.start - 60):h.start]
        if (any(map(near.__contains__, _NOT_PAST_WORDS)) and _NOT_PAST.search(near)) or \
                _PASSIVE_FUTURE.search(clause[-16:]):
            continue
        if word == "received" and re.search(r"\b(?:are|is|be)\s+$", clause):
            continue  # "if ... aircraft are received"
        if word == "bombs" and not re.search(r"\bevery day|daily|continues\b", text[s:e]):
            continue
        seen.add(si)
        in_sentence = [m for m in mentions if s <= m.span.start < e]
        dates = [m.date for m in in_sentence if m.kind == "date" and m.date is not None and
                 not any(a <= m.span.start < b for a, b in cited)]
        # "after the conclusion of the third operation, on 16 March ...": the operation's time
        # is not the event's when the sentence gives another
        date = next((d for d in dates if d.relative_to != "operation"), dates[0] if dates else None)
        people = []
        for m in in_sentence:
            if m.kind == "person":
                who = ctx.authority.person(m.value, m.bracket)
                name = who.name if who.identified else m.value
                if name not in people:
                    people.append(name)
        places = []
        for m in in_sentence:
            if m.kind == "place" and m.value not in places:
                places.append(m.value)
        # "I received your telegram": the telegram's author takes part
        if re.search(r"\b(?:I|we|me|us)\b", text[s:e]) and ctx.telegram.author is not None:
            a = ctx.telegram.author
            who = ctx.authority.person(a.name, a.bracket)
            name = who.name if who.identified else a.name
            if name not in people:
                people.insert(0, name)
        out.append(Event(kind, Span(s, e, text[s:e]), date, tuple(people), tuple(places)))
    out.sort(key=lambda ev: ev.span.start)
    return out
