"""Reply links: each cited-telegram node matched against the documents in
the store, the decisions written to a graph of their own.

The linker reads the store with a few SELECTs (every document's dates,
numbers and parties; every cited node's words, dates, numbers and
direction), builds dictionaries keyed by (person, day), (person, month),
number and person, and looks each citation up in them: no citation is
compared with every document.  Each candidate is scored from what the
citation says and what the candidate is:

========================  ==================================================
cited number              = one of the candidate's numbers (outgoing,
                          header, title, issuing), with or without its
                          suffix (``297`` ~ ``297/sh``); a mismatch counts
                          against
cited incoming number     = the candidate's header (registration) number
cited date                exact day, then near (1, 2-3 days), same month,
                          same year, by the citation's precision; a date
                          without a year read as a later day is retried a
                          year earlier
participants              the sender the direction implies (``your`` = the
                          citing telegram's addressee, ``my``/``our`` = its
                          author, ``third`` = the named party), the
                          addressee (the citing author, or the other side)
topic                     the words of ``your telegram about ...`` in the
                          candidate's text, title or summary
time order                a telegram never answers a later one (same day
                          is fine)
context                   (citations with no date, number or topic) the
                          candidate is in the thread already: carried by,
                          or answered by, what this telegram's other
                          citations resolved to; else the most recent
                          telegram of those parties in the last 30 days
========================  ==================================================

A citation resolves when its best candidate scores at least
:data:`RESOLVE` and leads the next by :data:`MARGIN`.  Ties are broken
only by structure: a telegram and the one it carries are one message (the
better-matching one wins, else the carrier), and telegrams of which one is
an addition to the other ("In addition to our No. 3336 of today") are
answered together.  A plural citation (``your telegrams of January 31``)
takes every candidate close to the best.  What stays ambiguous or unfound
is a placeholder: the cited node itself, marked ``ck:placeholder true``,
keeping its ranked candidates.  The archive's summary ("X's response to Y's
13 May telegram") is weaker than the telegram's own words: its scores are
multiplied by :data:`SUMMARY_FACTOR` and its evidence says so.

What the links graph says (``<base>graph/links``, replaced whole, sorted):

* ``<cited> ck:resolvedTo <doc>`` for each resolved citation;
* ``<citing> cito:repliesTo <doc or placeholder>`` when the citation is a
  reply (direction ``your``, ``third`` or ``unknown``): not for the author's
  own telegrams (``my``, ``our``: a follow-up), and never between a telegram
  and one it carries or is carried by;
* one ``ck:ReplyLink`` per citation and target, ``<citing>/reply/N`` (``-k``
  for the k-th target of a plural), with ``ck:citing``, ``ck:cited`` (the
  document, or the placeholder), ``ck:score``, ``ck:evidence`` and
  ``prov:wasDerivedFrom`` the cited node; an unresolved one lists its
  candidates (``ck:candidate``) and, through ``dct:hasPart``, a
  ``cito:Citation`` per candidate with its rank (``schema:position``),
  score and evidence;
* ``<cited> ck:placeholder true`` and a ``schema:description`` ("a telegram
  of 4 June 1951 from Mao Zedong to Joseph Stalin, not in the collection").

:func:`relink` runs after every load and skips the work when no source
graph changed since the last run (a fingerprint of the graphs' hashes is
kept in the links graph).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .rdf.build import DEFAULT_BASE, MONTH_NAMES, Iris
from .rdf.namespace import CITO, CK, DCTERMS, PROV, RDF, RDFS, SCHEMA, VOID, XSD

LINK_VERSION = "1"

RESOLVE = 0.5  # a candidate must score this much to be linked
MARGIN = 0.1  # ... and lead the next candidate by this much
PLURAL_BAND = 0.15  # a plural citation takes every candidate this close to the best
SUMMARY_FACTOR = 0.8  # the archive's summary is weaker evidence than the telegram's words
NEAR_DAYS = 3
BARE_WINDOW = 30  # days: how far back a citation without date, number or topic looks
TOPIC_WINDOW = 60  # days: how far back a topic-only citation looks
MAX_CANDIDATES = 5  # kept on an unresolved citation

W_NUMBER = 0.55
W_NUMBER_SUFFIX = 0.45
W_NUMBER_MISMATCH = -0.35
W_INCOMING = 0.3
W_INCOMING_MISMATCH = -0.2
W_DATE = {0: 0.35, 1: 0.2, 2: 0.08, 3: 0.08}
W_MONTH = 0.15
W_YEAR = 0.05
W_DATE_MISMATCH = -0.4
W_SENDER = 0.25
W_SENDER_VIA = 0.2
W_SENDER_MISMATCH = -0.45
W_RECIPIENT = 0.1
W_RECIPIENT_AUTHOR = 0.2  # unknown/third direction: the citing author received it
W_SENDER_ADDRESSEE = 0.1  # unknown direction: sent by the citing telegram's addressee
W_TOPIC = 0.35
W_TOPIC_MISS = -0.1
W_RECENT = 0.15
W_CONTEXT = 0.25
W_ALREADY = -0.3

REPLY_DIRECTIONS = {"your", "third", "unknown"}

_PREFIXES = (f"PREFIX ck: <{CK._NS}>\nPREFIX cito: <{CITO}>\nPREFIX dct: <{DCTERMS}>\n"
             f"PREFIX schema: <{SCHEMA}>\nPREFIX rdf: <{RDF}>\n")

_DOC_PROPS = {
    str(DCTERMS.date): "date", str(CK.signatureDate): "date", str(SCHEMA.dateSent): "date",
    str(SCHEMA.dateReceived): "date",
    str(CK.outgoingNumber): "outgoing", str(CK.headerNumber): "header", str(CK.titleNumber): "title",
    str(CK.issuingNumber): "issuing", str(CK.number): "number",
    str(SCHEMA.sender): "sender", str(SCHEMA.recipient): "recipient", str(CK.via): "via",
    str(CK.carriedBy): "carrier",
}
_CITED_PROPS = {
    str(CK.direction): "direction", str(CK.citationKind): "kind", str(CK.citedDate): "date",
    str(CK.citedNumber): "number", str(CK.citedIncomingNumber): "incoming", str(CK.plural): "plural",
    str(CK.topic): "topic", str(CK.presumedSender): "psender", str(CK.presumedRecipient): "precipient",
    str(CK.fromSummary): "summary", str(CK.asWritten): "written",
}
_DIRECTIONS = {str(CK.Your): "your", str(CK.My): "my", str(CK.Our): "our", str(CK.ThirdParty): "third",
               str(CK.UnknownDirection): "unknown"}
_ROLE_NAMES = {"outgoing": "outgoing number", "header": "header number", "title": "title number",
               "issuing": "issuing number", "number": "number"}
_STOP = set("""a an the of on about for to and or in into with from by at as this that these those our your my
their his her its be is are was were has have had been all any some which what who whom whose it we you they
he she i me us them question questions matter concerning regarding sent""".split())
_YEAR_IN_TEXT = re.compile(r"\b1[89]\d\d\b|\d[./-]\d{2}\b|\b\d{1,2}[./]\w+[./]\d{2}\b")


# ---------------------------------------------------------------------------------------------
# what the linker reads


@dataclass
class Doc:
    """A document as the linker sees it."""

    iri: str
    day: date | None = None  # dct:date (its day)
    days: set[date] = field(default_factory=set)  # every day it carries: date, signature, sent, received
    stamps: list[datetime] = field(default_factory=list)  # times to the minute, where known
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (role, as written)
    senders: set[str] = field(default_factory=set)
    recipients: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)
    carrier: str | None = None

    @property
    def when(self) -> date | None:
        return self.day or (min(self.days) if self.days else None)


@dataclass
class Cited:
    """A cited-telegram node: what the citing words say."""

    iri: str
    citing: str = ""
    direction: str = "unknown"
    kind: str = "telegram"
    dates: list[tuple[str, str]] = field(default_factory=list)  # (lexical value, precision)
    number: str | None = None
    incoming: str | None = None
    plural: bool = False
    topic: str | None = None
    psender: str | None = None
    precipient: str | None = None
    summary: bool = False
    written: str = ""

    @property
    def index(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def bare(self) -> bool:
        return not (self.dates or self.number or self.incoming or self.topic)


@dataclass
class Candidate:
    doc: str
    score: float
    evidence: list[str]

    def text(self) -> str:
        return "; ".join(self.evidence)


@dataclass
class Decision:
    """What the linker decided for one cited node."""

    cited: Cited
    targets: list[Candidate]  # empty: a placeholder
    candidates: list[Candidate]  # ranked, for an unresolved citation
    reason: str  # why unresolved, or how a tie was settled
    reply: bool = False  # the citing telegram answers it (not its own, not carried)
    weak: bool = False  # decided in the second pass (context)


@dataclass
class LinkReport:
    """What :func:`relink` did."""

    citations: int = 0
    resolved: int = 0
    placeholders: int = 0
    ambiguous: int = 0
    links: int = 0  # cito:repliesTo statements written (to documents and placeholders)
    quads: int = 0
    seconds: float = 0.0
    skipped: bool = False
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# small helpers


def _day(value: str) -> date | None:
    try:
        if len(value) >= 10:
            return date.fromisoformat(value[:10])
    except ValueError:
        return None
    return None


def _stamp(value: str) -> datetime | None:
    if len(value) >= 16 and value[10] == "T":
        try:
            return datetime.fromisoformat(value[:16])
        except ValueError:
            return None
    return None


def _precision_of(value: str) -> str:
    if len(value) == 4:
        return "year"
    if len(value) == 7:
        return "month"
    if len(value) >= 16:
        return "minute"
    return "day"


def number_keys(raw: str) -> list[str]:
    """The index keys of a number as written: its digits (a range gives each).

    >>> number_keys("297/sh"), number_keys("Nos. 408-410"), number_keys("No. 0072/III")
    (['297'], ['408', '409', '410'], ['72'])
    """
    m = re.search(r"(\d+)(?:\s*[-\u2013]\s*(\d+))?", raw)
    if not m:
        return []
    a = int(m.group(1))
    if m.group(2):
        b = int(m.group(2))
        if a < b <= a + 50:
            return [str(k) for k in range(a, b + 1)]
    return [str(a)]


def _exact(raw: str) -> str:
    return re.sub(r"\s+", "", raw).lower().lstrip("0")


def _words(text: str) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in _STOP or len(w) < 3:
            continue
        for suffix in ("ies", "es", "s"):
            if w.endswith(suffix) and len(w) > len(suffix) + 3:
                w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
                break
        out.add(w)
    return out


def human_date(value: str) -> str:
    """A date as a reader writes it, by its precision.

    >>> human_date("1951-06-04"), human_date("1951-04"), human_date("1951-01-28T00:00:00")
    ('4 June 1951', 'April 1951', '27 January 1951, 24:00')
    """
    if len(value) == 4:
        return value
    if len(value) == 7:
        return f"{MONTH_NAMES[int(value[5:7]) - 1]} {value[:4]}"
    d = _day(value)
    if d is None:
        return value
    stamp = _stamp(value)
    if stamp is not None and (stamp.hour, stamp.minute) == (0, 0):
        d = d - timedelta(days=1)
        return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}, 24:00"
    text = f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
    return f"{text}, {stamp:%H:%M}" if stamp is not None else text


def _lit(value: str) -> str:
    return '"' + (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


def _decimal(x: float) -> str:
    return f'"{x:.2f}"^^<{XSD.decimal}>'


# ---------------------------------------------------------------------------------------------
# reading the store


def _select(store, sparql: str) -> Iterable[tuple]:
    """Rows of a SELECT as tuples of lexical values (None where unbound)."""
    solutions = store.query(_PREFIXES + sparql)
    n = len(solutions.variables)
    for sol in solutions:
        yield tuple((sol[i].value if sol[i] is not None else None) for i in range(n))


def _names(store, docs: Iterable[Doc], cited: Iterable[Cited]) -> dict[str, str]:
    """Each party's name, read once per person: a person's triples are repeated
    in every graph that names them, so a join over them would multiply rows."""
    people: set[str] = set()
    for d in docs:
        people |= d.senders | d.recipients | d.via
    for c in cited:
        people |= {p for p in (c.psender, c.precipient) if p}
    out = {}
    for p in sorted(people):
        rows = list(_select(store, f"SELECT ?n WHERE {{ <{p}> schema:name ?n }} LIMIT 1"))
        if rows and rows[0][0]:
            out[p] = rows[0][0]
    return out


@dataclass
class Corpus:
    """Everything the linker needs from the store, with its indexes."""

    docs: dict[str, Doc]
    cited: dict[str, Cited]
    names: dict[str, str]
    by_number: dict[str, list[str]] = field(default_factory=dict)
    by_sender_day: dict[tuple[str, date], list[str]] = field(default_factory=dict)
    by_day: dict[date, list[str]] = field(default_factory=dict)
    by_sender_month: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    by_sender: dict[str, tuple[list[date], list[str]]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store) -> Corpus:
        docs: dict[str, Doc] = {}
        for (d,) in _select(store, "SELECT ?d WHERE { ?d a ck:Document }"):
            docs[d] = Doc(d)
        values = " ".join(f"<{p}>" for p in _DOC_PROPS)
        for s, p, o in _select(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
            doc = docs.get(s)
            if doc is None:
                continue
            what = _DOC_PROPS[p]
            if what == "date":
                day = _day(o)
                if day is not None:
                    doc.days.add(day)
                    if p == str(DCTERMS.date):
                        doc.day = day
                st = _stamp(o)
                if st is not None:
                    doc.stamps.append(st)
            elif what == "sender":
                doc.senders.add(o)
            elif what == "recipient":
                doc.recipients.add(o)
            elif what == "via":
                doc.via.add(o)
            elif what == "carrier":
                doc.carrier = o
            else:
                doc.numbers.append((what, o))
        cited: dict[str, Cited] = {}
        for t, c in _select(store, "SELECT ?t ?c WHERE { ?t cito:cites ?c . ?c a ck:CitedTelegram }"):
            cited[c] = Cited(c, t)
        values = " ".join(f"<{p}>" for p in _CITED_PROPS)
        for s, p, o in _select(store, f"SELECT ?s ?p ?o WHERE {{ ?s a ck:CitedTelegram . "
                                      f"VALUES ?p {{ {values} }} ?s ?p ?o }}"):
            c = cited.get(s)
            if c is None:
                continue
            what = _CITED_PROPS[p]
            if what == "direction":
                c.direction = _DIRECTIONS.get(o, "unknown")
            elif what == "date":
                c.dates.append((o, _precision_of(o)))
            elif what in ("plural", "summary"):
                setattr(c, what, o == "true")
            else:
                setattr(c, what, o)
        for c in cited.values():
            c.dates.sort()
        corpus = cls(docs, cited, _names(store, docs.values(), cited.values()))
        corpus.index()
        return corpus

    def index(self) -> None:
        by_number: dict[str, list[str]] = defaultdict(list)
        by_sender_day: dict[tuple[str, date], list[str]] = defaultdict(list)
        by_day: dict[date, list[str]] = defaultdict(list)
        by_sender_month: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_sender: dict[str, list[tuple[date, str]]] = defaultdict(list)
        children: dict[str, list[str]] = defaultdict(list)
        for iri in sorted(self.docs):
            d = self.docs[iri]
            keys = {k for _, raw in d.numbers for k in number_keys(raw)}
            for k in keys:
                by_number[k].append(iri)
            for day in d.days:
                by_day[day].append(iri)
                for s in d.senders:
                    by_sender_day[(s, day)].append(iri)
            months = {day.isoformat()[:7] for day in d.days}
            for s in d.senders:
                for m in months:
                    by_sender_month[(s, m)].append(iri)
                if d.when is not None:
                    by_sender[s].append((d.when, iri))
            if d.carrier:
                children[d.carrier].append(iri)
        self.by_number = dict(by_number)
        self.by_sender_day = dict(by_sender_day)
        self.by_day = dict(by_day)
        self.by_sender_month = dict(by_sender_month)
        self.by_sender = {}
        for s, items in by_sender.items():
            items.sort()
            self.by_sender[s] = ([d for d, _ in items], [i for _, i in items])
        self.children = dict(children)

    # -- structure -------------------------------------------------------------------------

    def ancestors(self, iri: str) -> list[str]:
        out, seen = [], {iri}
        cur = self.docs.get(iri)
        while cur is not None and cur.carrier and cur.carrier not in seen:
            out.append(cur.carrier)
            seen.add(cur.carrier)
            cur = self.docs.get(cur.carrier)
        return out

    def outermost(self, iri: str) -> str:
        up = self.ancestors(iri)
        return up[-1] if up else iri

    def carried_together(self, a: str, b: str) -> bool:
        """One is carried (at any depth) by the other."""
        return a in self.ancestors(b) or b in self.ancestors(a)

    def when(self, iri: str) -> date | None:
        """A document's date, else the date of what carries it."""
        d = self.docs.get(iri)
        if d is None:
            return None
        if d.when is not None:
            return d.when
        for a in self.ancestors(iri):
            if self.docs[a].when is not None:
                return self.docs[a].when
        return None

    def name(self, person: str) -> str:
        return self.names.get(person) or person.rsplit("/", 1)[-1]

    def senders_window(self, person: str, last: date, days: int) -> list[str]:
        """Documents sent by ``person`` in the ``days`` up to ``last``, most recent first."""
        got = self.by_sender.get(person)
        if not got:
            return []
        dates, iris = got
        lo = bisect_left(dates, last - timedelta(days=days))
        hi = bisect_right(dates, last)
        return list(reversed(iris[lo:hi]))

    def load_texts(self, store, iris: set[str]) -> None:
        """Text, title and summary of the documents a topic is looked up in."""
        need = sorted(i for i in iris if i not in self.texts)
        for k in range(0, len(need), 500):
            chunk = " ".join(f"<{i}>" for i in need[k:k + 500])
            got: dict[str, list[str]] = defaultdict(list)
            for d, t in _select(store, f"SELECT ?d ?t WHERE {{ VALUES ?d {{ {chunk} }} "
                                       "?d schema:text|dct:title|dct:abstract ?t }"):
                got[d].append(t)
            for i in need[k:k + 500]:
                self.texts[i] = " ".join(got.get(i, []))


# ---------------------------------------------------------------------------------------------
# the decisions


class Linker:
    """Scores and decides every citation of a :class:`Corpus`."""

    def __init__(self, corpus: Corpus, store=None):
        self.c = corpus
        self.store = store

    # -- who is expected -----------------------------------------------------------------------

    def parties(self, cited: Cited) -> tuple[set[str] | None, set[str], set[str], set[str]]:
        """(expected senders or None for anyone, ... sent via, expected recipients, citing authors)."""
        doc = self.c.docs.get(cited.citing) or Doc(cited.citing)
        authors = set(doc.senders)
        others = set(doc.recipients)
        if cited.direction == "your":
            send = others | ({cited.psender} if cited.psender else set())
            return send, set(doc.via), authors, authors
        if cited.direction in ("my", "our"):
            return authors | ({cited.psender} if cited.psender else set()), set(), others | doc.via, authors
        if cited.direction == "third":
            return ({cited.psender} if cited.psender else None), set(), authors | others, authors
        return None, set(), authors | others, authors

    # -- candidates ---------------------------------------------------------------------------------

    def cited_dates(self, cited: Cited, before: date | None) -> list[tuple[str, str, date | None, str]]:
        """(value, precision, day, note) for each cited date; a yearless date that would
        be after the citing telegram is taken a year earlier."""
        out = []
        has_year = bool(_YEAR_IN_TEXT.search(cited.written))
        for value, precision in cited.dates:
            day = _day(value)
            note = ""
            if precision == "minute":
                st = _stamp(value)
                if st is not None and (st.hour, st.minute) == (0, 0):
                    day = day - timedelta(days=1)  # "24:00" of the day before
            if before is not None and not has_year and precision in ("day", "minute", "month"):
                first = day or date(int(value[:4]), int(value[5:7]), 1)
                if first > before:
                    try:
                        value = f"{int(value[:4]) - 1}{value[4:]}"
                        day = day.replace(year=day.year - 1) if day else None
                        note = f"year taken as {value[:4]} (a date without a year cannot be after the citing telegram)"
                    except ValueError:
                        pass
            out.append((value, precision, day, note))
        return out

    def gather(self, cited: Cited, send: set[str] | None, via: set[str], dates, before: date | None) -> set[str]:
        c = self.c
        found: set[str] = set()
        for n in (cited.number, cited.incoming):
            if n:
                for k in number_keys(n):
                    found.update(c.by_number.get(k, ()))
        people = (send or set()) | via
        for value, precision, day, _ in dates:
            if precision in ("day", "minute") and day is not None:
                for k in range(-NEAR_DAYS, NEAR_DAYS + 1):
                    dd = day + timedelta(days=k)
                    if people:
                        for s in people:
                            found.update(c.by_sender_day.get((s, dd), ()))
                    elif abs(k) <= 1:
                        found.update(c.by_day.get(dd, ()))
            elif precision == "month":
                for s in people:
                    found.update(c.by_sender_month.get((s, value[:7]), ()))
            elif precision == "year" and people and before is not None:
                for s in people:
                    for iri in c.senders_window(s, before, 366):
                        w = c.when(iri)
                        if w is not None and str(w.year) == value[:4]:
                            found.add(iri)
        if cited.topic and not (cited.number or cited.dates) and people and before is not None:
            for s in people:
                found.update(c.senders_window(s, before, TOPIC_WINDOW))
        return found

    # -- scores ------------------------------------------------------------------------------------

    def score(self, cited: Cited, iri: str, send, via, recv, authors, dates) -> Candidate | None:
        c = self.c
        doc = c.docs[iri]
        ev: list[str] = []
        s = 0.0
        # numbers
        if cited.number:
            best = None
            for role, raw in doc.numbers:
                if _exact(raw) == _exact(cited.number):
                    best = (W_NUMBER, f"number {cited.number} = {_ROLE_NAMES[role]}")
                    break
                if best is None and set(number_keys(raw)) & set(number_keys(cited.number)):
                    best = (W_NUMBER_SUFFIX, f"number {cited.number} ~ {_ROLE_NAMES[role]} {raw}")
            if best:
                s += best[0]
                ev.append(best[1])
            elif doc.numbers:
                s += W_NUMBER_MISMATCH
                ev.append(f"number {cited.number} not among its numbers ({', '.join(r for _, r in doc.numbers)})")
        if cited.incoming:
            hit = next((role for role, raw in doc.numbers
                        if role in ("header", "title", "number") and set(number_keys(raw)) & set(number_keys(cited.incoming))),
                       None)
            if hit:
                s += W_INCOMING
                ev.append(f"incoming number {cited.incoming} = {_ROLE_NAMES[hit]}")
            elif any(role == "header" for role, _ in doc.numbers):
                s += W_INCOMING_MISMATCH
                ev.append(f"incoming number {cited.incoming} is not its header number")
        # dates
        if dates:
            best_w, best_ev = None, ""
            for value, precision, day, note in dates:
                w, e = self._date_score(doc, value, precision, day)
                if w is not None and (best_w is None or w > best_w):
                    best_w, best_ev = w, e + (f" ({note})" if note else "")
            if best_w is None:
                when = c.when(iri)
                s += W_DATE_MISMATCH
                ev.append(f"date {dates[0][0]} does not match ({when.isoformat() if when else 'undated'})")
            else:
                s += best_w
                ev.append(best_ev)
        # participants
        if send is not None:
            if doc.senders & send:
                s += W_SENDER
                ev.append(f"sender matches ({', '.join(c.name(p) for p in sorted(doc.senders & send))})")
            elif doc.senders & via:
                s += W_SENDER_VIA
                ev.append(f"sent by the intermediary ({', '.join(c.name(p) for p in sorted(doc.senders & via))})")
            elif doc.senders:
                s += W_SENDER_MISMATCH
                ev.append(f"sender {', '.join(c.name(p) for p in sorted(doc.senders))} is not "
                          f"{' or '.join(c.name(p) for p in sorted(send)) or 'the expected one'}")
        elif cited.direction == "unknown":
            citing = c.docs.get(cited.citing)
            if citing and doc.senders & citing.recipients:
                s += W_SENDER_ADDRESSEE
                ev.append("sent by the citing telegram's addressee")
        got = (doc.recipients | doc.via) & recv
        if got:
            if send is None or cited.direction == "third":
                if got & authors:
                    s += W_RECIPIENT_AUTHOR
                    ev.append(f"addressed to the citing author ({', '.join(c.name(p) for p in sorted(got & authors))})")
                else:
                    s += W_RECIPIENT
                    ev.append(f"addressee matches ({', '.join(c.name(p) for p in sorted(got))})")
            else:
                s += W_RECIPIENT
                ev.append(f"addressee matches ({', '.join(c.name(p) for p in sorted(got))})")
        # topic
        if cited.topic:
            want = _words(cited.topic)
            have = _words(c.texts.get(iri, ""))
            if want:
                share = len(want & have) / len(want)
                if share >= 0.6:
                    s += W_TOPIC * share
                    ev.append(f"topic words in its text ({', '.join(sorted(want & have))})")
                else:
                    s += W_TOPIC_MISS
                    ev.append("topic words not in its text")
        return Candidate(iri, s, ev)

    def _date_score(self, doc: Doc, value: str, precision: str, day: date | None) -> tuple[float | None, str]:
        days = doc.days or ({self.c.when(doc.iri)} - {None})
        if not days:
            return None, ""
        if precision in ("day", "minute") and day is not None:
            gap = min(abs((d - day).days) for d in days)
            if gap == 0:
                return W_DATE[0], f"date exact ({day.isoformat()})"
            if gap <= NEAR_DAYS:
                return W_DATE[gap], f"date near ({gap} day{'s' if gap > 1 else ''} from {day.isoformat()})"
            return None, ""
        if precision == "month":
            if any(d.isoformat()[:7] == value[:7] for d in days):
                return W_MONTH, f"same month ({value[:7]})"
            return None, ""
        if precision == "year":
            if any(str(d.year) == value[:4] for d in days):
                return W_YEAR, f"same year ({value[:4]})"
        return None, ""

    # -- one citation ------------------------------------------------------------------------------

    def candidates(self, cited: Cited, context: dict[str, str] | None = None,
                   taken: set[str] | None = None) -> list[Candidate]:
        c = self.c
        send, via, recv, authors = self.parties(cited)
        before = c.when(cited.citing)
        dates = self.cited_dates(cited, before)
        if context is None:
            pool = self.gather(cited, send, via, dates, before)
        else:  # a bare citation: the parties' recent telegrams and the thread around
            pool = set()
            recent: list[str] = []
            latest: list[str] = []
            if send and before is not None:
                for s in sorted(send):
                    for iri in c.senders_window(s, before, BARE_WINDOW):
                        if iri not in recent and iri != cited.citing and not c.carried_together(iri, cited.citing):
                            recent.append(iri)
                recent.sort(key=lambda i: (c.when(i) or date.min, i), reverse=True)
                # the most recent one between the same parties, where the addressee is known
                to = [i for i in recent if (c.docs[i].recipients | c.docs[i].via) & recv]
                latest = (to or recent)[:1]
            pool.update(recent)
            pool.update(i for i in context if send is None or c.docs[i].senders & send)
        stamps_citing = c.docs[cited.citing].stamps if cited.citing in c.docs else []
        out = []
        if cited.topic and self.store is not None:
            c.load_texts(self.store, pool)
        for iri in pool:
            if iri == cited.citing or iri not in c.docs:
                continue
            when = c.when(iri)
            if before is not None and when is not None and when > before:
                continue  # nothing replies to a later telegram
            st = c.docs[iri].stamps
            if st and stamps_citing and min(st) > max(stamps_citing):
                continue
            cand = self.score(cited, iri, send, via, recv, authors, dates)
            if cand is None:
                continue
            if context is not None:
                if send and iri in latest:
                    days = (before - when).days if before and when else 0
                    cand.score += W_RECENT
                    cand.evidence.append(f"most recent telegram of {', '.join(c.name(p) for p in sorted(c.docs[iri].senders & send))}"
                                         f" before it ({days} day{'s' if days != 1 else ''} earlier)")
                if iri in context:
                    cand.score += W_CONTEXT
                    cand.evidence.append(context[iri])
                if taken and iri in taken:
                    cand.score += W_ALREADY
                    cand.evidence.append("already the target of another of its citations")
            if cited.summary:
                cand.score *= SUMMARY_FACTOR
            out.append(cand)
        out.sort(key=lambda k: (-round(k.score, 6), -(c.when(k.doc) or date.min).toordinal(), k.doc))
        return out

    def decide(self, cited: Cited, cands: list[Candidate], additions: set[frozenset[str]], weak: bool) -> Decision:
        c = self.c
        good = [k for k in cands if round(k.score, 6) >= RESOLVE]
        reason = ""
        targets: list[Candidate] = []
        if good:
            top = good[0].score
            band = PLURAL_BAND if cited.plural else MARGIN
            close = [k for k in good if top - k.score < band - 1e-9]
            close = self._one_per_message(close)
            if cited.plural or len(close) == 1:
                targets = close
                if len(close) > 1:
                    reason = f"plural citation: {len(close)} telegrams"
            elif all(any(frozenset((a.doc, b.doc)) in additions for b in close if b is not a) for a in close):
                targets = close
                reason = (f"{len(close)} telegrams match equally and one is an addition to the other: "
                          "answered together")
            else:
                reason = (f"ambiguous: {len(close)} candidates score within {MARGIN:.2f} of each other "
                          f"({', '.join(f'{k.score:.2f}' for k in close)})")
        elif cands:
            reason = f"no candidate scores {RESOLVE:.2f} or more (best {max(0.0, cands[0].score):.2f})"
        else:
            reason = "no telegram in the store matches"
        for k in targets:
            if reason and k.evidence and reason not in k.evidence:
                k.evidence.append(reason)
        reply = cited.direction in REPLY_DIRECTIONS
        decision = Decision(cited, targets, [] if targets else cands[:MAX_CANDIDATES], reason, reply, weak)
        return decision

    def _one_per_message(self, close: list[Candidate]) -> list[Candidate]:
        """A telegram and one it carries are one message: keep the better, else the carrier."""
        c = self.c
        out: list[Candidate] = []
        for k in close:
            rival = next((o for o in out if c.carried_together(o.doc, k.doc)), None)
            if rival is None:
                out.append(k)
                continue
            if k.score > rival.score + 1e-9 or (abs(k.score - rival.score) < 1e-9 and k.doc in c.ancestors(rival.doc)):
                out[out.index(rival)] = k
                k.evidence.append("preferred to the telegram it carries" if k.doc in c.ancestors(rival.doc)
                                  else "preferred to its carrier")
        return out

    # -- everything --------------------------------------------------------------------------------

    def run(self) -> list[Decision]:
        c = self.c
        order = sorted(c.cited.values(), key=lambda x: x.iri)
        strong = [x for x in order if not x.bare]
        bare = [x for x in order if x.bare]
        scored = {x.iri: self.candidates(x) for x in strong}
        # first the clear decisions, to learn which telegrams are additions to which
        additions: set[frozenset[str]] = set()
        first: dict[str, Decision] = {}
        for x in strong:
            d = self.decide(x, scored[x.iri], set(), False)
            first[x.iri] = d
            if x.direction in ("my", "our"):
                for t in d.targets:
                    additions.add(frozenset((x.citing, t.doc)))
        decisions: dict[str, Decision] = {}
        for x in strong:
            d = first[x.iri]
            if not d.targets and x.direction not in ("my", "our") and additions:
                d = self.decide(x, scored[x.iri], additions, False)
            decisions[x.iri] = d
        # then citations with no date, number or topic, in the thread the others made
        resolved_by: dict[str, list[str]] = defaultdict(list)
        for d in decisions.values():
            resolved_by[d.cited.citing].extend(t.doc for t in d.targets)
        for x in bare:
            ctx: dict[str, str] = {}
            for t in resolved_by.get(x.citing, ()):
                for rel in c.children.get(t, []):
                    ctx.setdefault(rel, f"in the thread: carried by {t.rsplit('/', 1)[-1]}, which it also cites")
                if c.docs.get(t) and c.docs[t].carrier:
                    ctx.setdefault(c.docs[t].carrier, f"in the thread: carries {t.rsplit('/', 1)[-1]}, which it also cites")
                for tt in resolved_by.get(t, ()):
                    ctx.setdefault(tt, f"in the thread: cited by {t.rsplit('/', 1)[-1]}, which it cites")
            taken = set(resolved_by.get(x.citing, ()))
            cands = self.candidates(x, ctx, taken)
            decisions[x.iri] = self.decide(x, cands, additions, True)
        out = []
        for iri in sorted(decisions):
            d = decisions[iri]
            citing = d.cited.citing
            if d.targets:
                # a carrier does not reply to what it carries, nor the carried to its carrier
                d.reply = d.reply and not any(c.carried_together(citing, t.doc) for t in d.targets)
                for t in d.targets:
                    if c.carried_together(citing, t.doc):
                        t.evidence.append("carried with the citing telegram: not a reply")
                    elif d.cited.direction in ("my", "our"):
                        t.evidence.append("its author's own telegram: a follow-up, not a reply")
            out.append(d)
        return out


# ---------------------------------------------------------------------------------------------
# writing the graph


def placeholder_description(cited: Cited, names: dict[str, str], ambiguous: int = 0) -> str:
    """What a placeholder stands for, in words.

    >>> c = Cited("x", dates=[("1951-06-04", "day")], psender="p/mao")
    >>> placeholder_description(c, {"p/mao": "Mao Zedong"})
    'a telegram of 4 June 1951 from Mao Zedong, not in the collection'
    """
    kind = cited.kind or "telegram"
    plural = cited.plural
    words = [f"{kind}s" if plural else ("an " if kind[0] in "aeiou" else "a ") + kind]
    if cited.number:
        words.append(f"No. {cited.number}")
    if cited.incoming:
        words.append(f"(incoming No. {cited.incoming})")
    if cited.dates:
        words.append("of " + " and ".join(human_date(v) for v, _ in cited.dates))
    if cited.topic:
        words.append(f"about {cited.topic}")
    if cited.psender:
        words.append(f"from {names.get(cited.psender, cited.psender.rsplit('/', 1)[-1])}")
    if cited.precipient:
        words.append(f"to {names.get(cited.precipient, cited.precipient.rsplit('/', 1)[-1])}")
    text = " ".join(words)
    if ambiguous:
        return f"{text}: {ambiguous} telegrams in the collection match equally"
    return f"{text}, not in the collection"


def links_nquads(decisions: list[Decision], corpus: Corpus, iris: Iris, fingerprint: str) -> tuple[str, LinkReport]:
    """The links graph as sorted N-Quads text, and counts."""
    g = f" <{iris.links_graph()}> .\n"
    lines: set[str] = set()
    report = LinkReport(citations=len(decisions))

    def iri(s, p, o):
        lines.add(f"<{s}> <{p}> <{o}>{g}")

    def lit(s, p, obj):
        lines.add(f"<{s}> <{p}> {obj}{g}")

    links = iris.links_graph()
    iri(links, RDF.type, VOID.Dataset)
    lit(links, RDFS.label, _lit("Reply links found by cable-kg's linker"))
    lit(links, DCTERMS.identifier, _lit(fingerprint))
    replies: set[tuple[str, str]] = set()
    for d in decisions:
        cited = d.cited
        citing = cited.citing
        base = f"{citing}/reply/{cited.index}"
        if d.targets:
            report.resolved += 1
            many = len(d.targets) > 1
            for k, t in enumerate(sorted(d.targets, key=lambda x: x.doc), 1):
                node = f"{base}-{k}" if many else base
                iri(cited.iri, CK.resolvedTo, t.doc)
                iri(node, RDF.type, CK.ReplyLink)
                iri(node, CK.citing, citing)
                iri(node, CK.cited, t.doc)
                iri(node, PROV.wasDerivedFrom, cited.iri)
                lit(node, CK.score, _decimal(min(1.0, max(0.0, t.score))))
                ev = t.text()
                if cited.summary:
                    ev += "; read from the archive's summary (weaker than the telegram's own words)"
                lit(node, CK.evidence, _lit(ev))
                if d.reply:
                    replies.add((citing, t.doc))
        else:
            report.placeholders += 1
            close = [k for k in d.candidates if k.score >= RESOLVE]
            if d.reason.startswith("ambiguous"):
                report.ambiguous += 1
            lit(cited.iri, CK.placeholder, f'"true"^^<{XSD.boolean}>')
            lit(cited.iri, SCHEMA.description,
                _lit(placeholder_description(cited, corpus.names, len(close) if d.reason.startswith("ambiguous") else 0)))
            iri(base, RDF.type, CK.ReplyLink)
            iri(base, CK.citing, citing)
            iri(base, CK.cited, cited.iri)
            iri(base, PROV.wasDerivedFrom, cited.iri)
            lit(base, CK.score, _decimal(SUMMARY_FACTOR if cited.summary else 1.0))
            ev = f"placeholder: {d.reason}"
            if cited.summary:
                ev += "; read from the archive's summary (weaker than the telegram's own words)"
            lit(base, CK.evidence, _lit(ev))
            for rank, k in enumerate(d.candidates, 1):
                node = f"{base}/candidate/{rank}"
                iri(base, CK.candidate, k.doc)
                iri(base, DCTERMS.hasPart, node)
                iri(node, RDF.type, CITO.Citation)
                iri(node, CITO.hasCitingEntity, citing)
                iri(node, CITO.hasCitedEntity, k.doc)
                lit(node, SCHEMA.position, f'"{rank}"^^<{XSD.integer}>')
                lit(node, CK.score, _decimal(min(1.0, max(0.0, k.score))))
                lit(node, CK.evidence, _lit(k.text() or "participants only"))
            if d.reply:
                replies.add((citing, cited.iri))
    for a, b in replies:
        iri(a, CITO.repliesTo, b)
    report.links = len(replies)
    report.quads = len(lines)
    return "".join(sorted(lines)), report


# ---------------------------------------------------------------------------------------------
# entry points


def fingerprint(store, base: str) -> str:
    """A hash of every source graph's hash, the base and the linker's version."""
    h = hashlib.sha256(f"cable-kg-links {LINK_VERSION} {base}\n".encode())
    for g, sha in sorted(store.graph_hashes().items()):
        h.update(f"{g} {sha}\n".encode())
    return f"links-{h.hexdigest()}"


def current_fingerprint(store, base: str) -> str | None:
    g = Iris(base).links_graph()
    rows = list(_select(store, f"SELECT ?id WHERE {{ GRAPH <{g}> {{ <{g}> dct:identifier ?id }} }}"))
    return rows[0][0] if rows else None


def compute_links(store, base: str = DEFAULT_BASE) -> tuple[str, LinkReport, list[Decision]]:
    """Read the store, decide every citation and return the links graph's N-Quads."""
    t0 = time.perf_counter()
    corpus = Corpus.from_store(store)
    t1 = time.perf_counter()
    decisions = Linker(corpus, store).run()
    t2 = time.perf_counter()
    text, report = links_nquads(decisions, corpus, Iris(base), fingerprint(store, base))
    t3 = time.perf_counter()
    report.timings = {"read": t1 - t0, "decide": t2 - t1, "write": t3 - t2}
    return text, report, decisions


def relink(store, base: str = DEFAULT_BASE, force: bool = False) -> LinkReport:
    """Recompute the links graph (``<base>graph/links``) and replace it in one
    transaction; nothing to do when no source graph changed since the last run."""
    t0 = time.perf_counter()
    if not force and current_fingerprint(store, base) == fingerprint(store, base):
        rows = list(_select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{Iris(base).links_graph()}> "
                                   "{ ?a cito:repliesTo ?b } }"))
        return LinkReport(links=int(rows[0][0]) if rows else 0, skipped=True,
                          seconds=time.perf_counter() - t0)
    text, report, _ = compute_links(store, base)
    t1 = time.perf_counter()
    store.replace_graph(Iris(base).links_graph(), text)
    store.flush()
    report.timings["store"] = time.perf_counter() - t1
    report.seconds = time.perf_counter() - t0
    return report


# ---------------------------------------------------------------------------------------------
# scoring against gold annotations


@dataclass(frozen=True)
class LinkScore:
    """Reply links against gold ``replies_to``, between source files."""

    tp: int
    fp: int
    fn: int
    false_positives: tuple[tuple[str, str], ...] = ()
    false_negatives: tuple[tuple[str, str], ...] = ()

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "false_positives": [list(x) for x in self.false_positives],
                "false_negatives": [list(x) for x in self.false_negatives]}


_PAIRS = """SELECT DISTINCT ?citing_file ?cited_file WHERE {
  ?citing cito:repliesTo ?cited . ?cited a ck:Document .
  ?citing ck:sourceFile/ck:fileName ?citing_file .
  ?cited ck:sourceFile/ck:fileName ?cited_file .
}"""
_FILES = "SELECT ?name WHERE { ?g a ck:SourceFile ; ck:fileName ?name }"


def gold_link_scores(gold_dir: Path, store_or_engine, base: str = DEFAULT_BASE) -> LinkScore:
    """(tp, fp, fn) of reply links between files against the gold files' ``replies_to``.

    Only files that are both in the store and in ``gold_dir`` count, on either
    side of a link; a link between telegrams of the same file (a carrier and what
    it carries) never counts.  ``store_or_engine`` is a Store or anything with
    ``select(sparql) -> Result``.
    """
    select = _engine_select(store_or_engine)
    stem = lambda name: name.rsplit(".", 1)[0]  # noqa: E731
    loaded = {stem(r[0]) for r in select(_FILES)}
    gold: dict[str, set[str]] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        if path.stem not in loaded:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[path.stem] = {t.split("#", 1)[0] for t in data.get("replies_to", [])}
    predicted = {(stem(a), stem(b)) for a, b in select(_PAIRS) if stem(a) != stem(b)}
    predicted = {(a, b) for a, b in predicted if a in gold and b in gold}
    truth = {(a, b) for a, targets in gold.items() for b in targets if b in gold and b != a}
    return LinkScore(len(predicted & truth), len(predicted - truth), len(truth - predicted),
                     tuple(sorted(predicted - truth)), tuple(sorted(truth - predicted)))


def _engine_select(store_or_engine):
    if hasattr(store_or_engine, "select"):
        def select(q):
            res = store_or_engine.select(_PREFIXES + q)
            return [tuple(None if v is None else v.value for v in row) for row in res.rows]
        return select
    return lambda q: list(_select(store_or_engine, q))


__all__ = ["Corpus", "Decision", "LinkReport", "LinkScore", "Linker", "compute_links", "gold_link_scores",
           "human_date", "placeholder_description", "relink"]
