"""Reply links: each cited-telegram node matched against the documents in
the store, the decisions kept in a graph of their own.

Reading.  A few SELECTs read every document's date, numbers and parties and
every cited node's direction, dates, numbers and topic; the linker builds
dictionaries keyed by (person, day), (person, month), number and person and
looks each citation up in them, so no citation is compared with every
document.  Times of day, texts (for topics) and the citing words are fetched
afterwards, in batches, for the few citations that need them.

Scoring.  Each candidate is scored from what the citation says and what the
candidate is:

=====================  =====================================================
number                 = one of the candidate's numbers (outgoing, header,
                       title, issuing), with or without its suffix (``297``
                       ~ ``297/sh``); a mismatch counts against
incoming number        = its header (registration) number
date                   exact day, then near (1, 2-3 days), same month, same
                       year, by the citation's precision; a time of day
                       (``May 13, 23:36``) against its sending and receiving
                       times; a date without a year read as a later day is
                       retried a year earlier
participants           the sender the direction implies (``your`` = the
                       citing telegram's addressee, ``my``/``our`` = its
                       author, ``third`` = the party named, ``unknown`` =
                       anyone), the addressee (the citing author, or the
                       other side; through an intermediary counts half)
topic                  the words of ``your telegram about ...`` in its title
                       or the archive's summary, else (weaker) in its text
time order             a telegram never answers a later one (same day is
                       fine)
recency                citations without a date: recent telegrams first,
                       and a telegram more than a year old only on more
                       than its number (numbers recur from year to year)
context                citations with no date, number or topic: what the
                       thread around already holds (carried by, or answered
                       by, what the telegram's other citations resolved to);
                       for the author's own ("in my telegram"), also his
                       latest telegram to the same addressee of the last 30
                       days
=====================  =====================================================

Deciding.  A citation resolves when its best candidate scores at least
:data:`RESOLVE` and leads the next by :data:`MARGIN`.  Ties are settled only
by structure: a telegram and the one it carries are one message (the better
match wins, else the carrier); telegrams of which one is "an addition to"
the other are answered together.  A plural citation (``your telegrams of
January 31``) takes every candidate close to the best.  What stays ambiguous
or unfound is a placeholder: the cited node itself, marked ``ck:placeholder
true``, with its ranked candidates.  The archive's summary ("X's response to
Y's 13 May telegram") is weaker than the telegram's own words: its scores are
multiplied by :data:`SUMMARY_FACTOR` and its evidence says so.

The links graph (``<base>graph/links``):

* ``<cited> ck:resolvedTo <doc>`` for a resolved citation, with the
  decision's ``ck:score`` and ``ck:evidence`` on the cited node (a plural
  citation: the weakest target's score, each target's evidence after " | ");
* ``<cited> ck:placeholder true`` for an unresolved one: the cited node
  stands for the telegram the collection does not hold, with what the
  citation says of it, in a telegram's own terms (``dct:date``,
  ``ck:number``, ``schema:sender``, ``schema:recipient``: the thread reads
  telegrams and placeholders alike and words it: "a telegram of 4 June 1951
  from Mao Zedong, not in the collection"), its score and evidence (why it
  stays unresolved), and through ``dct:hasPart`` a record per ranked
  candidate (``<cited>/candidate/<rank>``) with ``schema:position``,
  ``cito:hasCitedEntity``, score and evidence;
* ``<citing> cito:repliesTo <doc or placeholder>`` when the citation is a
  reply (direction ``your``, ``third`` or ``unknown``), not for the author's
  own telegrams (``my``, ``our``: a follow-up), and never between a telegram
  and one it carries or is carried by;
* for each reply, its record (:meth:`Iris.reply_link`,
  ``<citing>/replies-to/<replied>``) with the link's ``ck:score``: the best
  of the citing telegram's citations that lead to the telegram it replies
  to (resolved to it, or the placeholder itself), whose evidence is the
  link's.  ``queries/thread.rq`` computes the record's IRI from the two
  telegrams' and reads the score there, one lookup a row, where finding the
  citations behind a link scans the citing telegram's citations (as
  ``reply-links`` and ``cable-kg trace`` do for the evidence).  (The record
  used to point at those citations, ``ck:fromCitation``, one quad more a
  link for what ``cito:cites`` and ``ck:resolvedTo`` say; a copy of the
  evidence on the record made the links graph a half larger to write:
  517 MB of N-Quads instead of 338 at 100,000 telegrams.)

The graph is written as N-Triples lines, every one of them in the links
graph (the bulk loader's ``to_graph``, a SPARQL update's ``GRAPH``): a
fifth fewer bytes to build and parse than N-Quads naming the graph on
every line.

Writing.  :func:`relink` computes the whole graph, compares it with what the
store holds and applies the difference in one SPARQL update (one
transaction), so a load that changes a few telegrams changes a few links; a
fingerprint of the source graphs' hashes, written last, lets it skip the
work when nothing changed.  The graph is computed as :data:`TEXTS` texts,
by citing telegram (:data:`PARTS` parts: first each part's citations of
their author's own telegrams, which settle ties between additions, then each
part's other citations with a date, number or topic, then each part's bare
ones, which need all of the others decided, and the scores of the part's
reply links' records, known only then; see :func:`decide_and_write`).
The first links of a large store go through the bulk loader while the next
texts are computed (:class:`_Loader`; the loader lets go of the
interpreter), the fingerprint last, so an interrupted write is redone.
A copy of the graph as last written is kept beside an on-disk store
(``<store>.links.nt``, N-Triples, each text after a ``# part``
comment) and used for the comparison when its fingerprint is the one in the
store (reading millions of quads back from the store is slow): only the
texts that changed are compared line by line (each text holds the links of
its own citing telegrams; a quad that moves to another text is deleted, then
inserted again, in the same update); without the copy, the store's own
graph is read.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import threading
import time
import zlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from .linkfacts import (DETAIL_PREDICATES, FLAG_PREDICATES, PREDICATES, Records, Row, matching_records, open_facts,
                        pack, records, term_value)
from .rdf.build import DATATYPE, DEFAULT_BASE, Iris
from .rdf.namespace import CITO, CK, DCTERMS, RDF, RDFS, SCHEMA, VOID, XSD
from .scoring import PrecisionRecall

LINK_VERSION = "7"  # part of the fingerprint: a new version relinks every store

RESOLVE = 0.5  # a candidate must score this much to be linked
MARGIN = 0.1  # ... and lead the next candidate by this much
PLURAL_BAND = 0.1  # a plural citation takes every candidate this close to the best
SUMMARY_FACTOR = 0.8  # the archive's summary is weaker evidence than the telegram's words
NEAR_DAYS = 3
BARE_WINDOW = 30  # days: how far back a citation without date, number or topic looks
TOPIC_WINDOW = 60  # days: how far back a topic-only citation looks
KEEP_CANDIDATES = 3  # ranked candidates kept on an unresolved citation
_END = " .\n"  # ends each N-Triples line of the links graph
KEEP_ABOVE = 0.3  # ... scoring at least this
DAMAGED_FACTS = (ValueError, TypeError, KeyError, AttributeError, IndexError)  # decoding the facts file
MISSING_FROM_STORE = 2000  # graphs not in the facts file: more than this, and the store is read whole
BULK_CITATIONS = 5_000  # a first write of more goes through the bulk loader
PARTS = 8  # the links are written in so many parts, by citing telegram (the output's order depends on it)
TEXTS = 3 * PARTS  # each part's citations of their author's own telegrams, then its others with a date,
# number or topic, then its bare ones (and the scores of its reply links' records)

W_NUMBER = 0.55
W_NUMBER_SUFFIX = 0.45
W_NUMBER_MISMATCH = -0.35
W_INCOMING = 0.3
W_INCOMING_MISMATCH = -0.2
W_DATE = {0: 0.35, 1: 0.2, 2: 0.08, 3: 0.08}
# a day or two off with no time of day to explain it (a telegram sent at 24:00, received the next
# morning) is weak evidence: the same parties' telegram of the day before is usually another one
W_DATE_UNTIMED = {0: 0.35, 1: 0.08, 2: 0.04, 3: 0.04}
W_MONTH = 0.15
W_YEAR = 0.05
W_DATE_MISMATCH = -0.4
W_TIME = 0.15
W_TIME_NEAR = 0.05
W_TIME_MISMATCH = -0.15
W_SENDER = 0.25
W_SENDER_VIA = 0.1
W_SENDER_MISMATCH = -0.45
W_RECIPIENT = 0.1
W_RECIPIENT_AUTHOR = 0.2  # unknown/third direction: the citing author received it
W_SENDER_ADDRESSEE = 0.1  # unknown direction: sent by the citing telegram's addressee
W_TOPIC = 0.35  # the topic is what the archive's summary or the title says
W_TOPIC_TEXT = 0.15  # ... or only words of its text
W_TOPIC_MISS = -0.1
W_RECENT = {14: 0.1, 60: 0.05}  # undated citations: up to so many days back -> bonus
W_OLD = {180: -0.1, 365: -0.3, 730: -0.5}  # ... more than so many days back -> penalty (numbers recur yearly)
W_LATEST = 0.15
W_CONTEXT = 0.25
W_ALREADY = -0.3

REPLY_DIRECTIONS = {"your", "third", "unknown"}
OWN_DIRECTIONS = {"my", "our"}  # a follow-up of the author's own telegram
SUMMARY_NOTE = "read from the archive's summary (weaker than the telegram's own words)"

_PREFIXES = (f"PREFIX ck: <{CK._NS}>\nPREFIX cito: <{CITO}>\nPREFIX dct: <{DCTERMS}>\n"
             f"PREFIX schema: <{SCHEMA}>\nPREFIX rdf: <{RDF}>\n")

_DIRECTIONS = {str(CK.Your): "your", str(CK.My): "my", str(CK.Our): "our", str(CK.ThirdParty): "third",
               str(CK.UnknownDirection): "unknown"}
_ROLE_NAMES = {"outgoing": "outgoing number", "header": "header number", "title": "title number",
               "issuing": "issuing number"}
_STOP = set("""a an the of on about for to and or in into with from by at as this that these those our your my
their his her its be is are was were has have had been all any some which what who whom whose it we you they
he she i me us them question questions matter concerning regarding sent""".split())
_YEAR_IN_TEXT = re.compile(r"\b1[89]\d\d\b|\d[./-]\d{2}\b|\b\d{1,2}[./][IVXivx]+[./]\d{2}\b")


# ---------------------------------------------------------------------------------------------
# what the linker reads


@dataclass(slots=True)
class Doc:
    """A document as the linker sees it."""

    iri: str
    day: date | None = None  # dct:date
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (role, as written)
    senders: frozenset[str] | set[str] = field(default_factory=set)
    recipients: frozenset[str] | set[str] = field(default_factory=set)
    via: frozenset[str] | set[str] = field(default_factory=set)
    carrier: str | None = None
    # derived by Corpus.index
    when: date | None = None  # its date, else its carrier's
    ordinal: int = 0
    ancestors: tuple[str, ...] = ()
    keys: frozenset[str] = frozenset()  # number digits
    exact: frozenset[str] = frozenset()  # numbers as written, normalised
    header_keys: frozenset[str] = frozenset()  # digits of its header and title (registration) numbers


@dataclass(slots=True)
class Cited:
    """A cited-telegram node: what the citing words say."""

    iri: str
    citing: str = ""
    direction: str = "unknown"
    dates: list[tuple[str, str]] = field(default_factory=list)  # (lexical value, precision)
    number: str | None = None
    incoming: str | None = None
    plural: bool = False
    topic: str | None = None
    psender: str | None = None
    summary: bool = False
    presumed: str | None = None  # the presumed sender, whatever the direction
    presumed_recipient: str | None = None
    written: str = ""

    @property
    def index(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def bare(self) -> bool:
        return not (self.dates or self.number or self.incoming or self.topic)


@dataclass(slots=True)
class Candidate:
    doc: str
    score: float
    evidence: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "; ".join(self.evidence)


@dataclass(slots=True)
class Decision:
    """What the linker decided for one cited node."""

    cited: Cited
    targets: list[Candidate]  # empty: a placeholder
    candidates: list[Candidate]  # ranked, for an unresolved citation
    reason: str  # why unresolved, or how a tie was settled
    reply: bool = False  # the citing telegram answers it (not its own, not carried)

    @property
    def ambiguous(self) -> bool:
        return self.reason.startswith("ambiguous")


@dataclass
class _Thread:
    """What the citations with a date, number or topic, decided, tell the bare ones."""

    decisions: dict[str, Decision]
    additions: set[frozenset[str]]  # (telegram, its own earlier telegram it is an addition to)
    resolved_by: dict[str, list[str]]  # citing telegram -> what its citations resolved to

    @classmethod
    def of(cls, decisions: dict[str, Decision], additions: set[frozenset[str]]) -> _Thread:
        resolved_by: dict[str, list[str]] = defaultdict(list)
        for i in sorted(decisions):  # the order of the cited IRIs: the context a bare citation is given first
            d = decisions[i]
            resolved_by[d.cited.citing].extend(t.doc for t in d.targets)
        return cls(decisions, additions, dict(resolved_by))


@dataclass
class LinkReport:
    """What :func:`relink` did."""

    citations: int = 0
    resolved: int = 0
    placeholders: int = 0
    ambiguous: int = 0
    links: int = 0  # cito:repliesTo statements (to documents and placeholders)
    quads: int = 0  # in the links graph
    added: int = 0
    removed: int = 0
    seconds: float = 0.0
    skipped: bool = False
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# small helpers


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _stamp(value: str) -> datetime | None:
    if len(value) >= 16 and value[10] == "T":
        try:
            return datetime.fromisoformat(value[:16])
        except ValueError:
            return None
    return None


def _precision_of(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "minute")


@lru_cache(maxsize=1 << 16)
def number_keys(raw: str) -> tuple[str, ...]:
    """The index keys of a number as written: its digits (a range gives each).

    >>> number_keys("297/sh"), number_keys("Nos. 408-410"), number_keys("No. 0072/III")
    (('297',), ('408', '409', '410'), ('72',))
    """
    m = _NUMBER.search(raw)
    if not m:
        return ()
    a = int(m.group(1))
    if m.group(2):
        b = int(m.group(2))
        if a < b <= a + 50:
            return tuple(str(k) for k in range(a, b + 1))
    return (str(a),)


_NUMBER = re.compile(r"(\d+)(?:\s*[-\u2013]\s*(\d+))?")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def _exact(raw: str) -> str:
    return _SPACE.sub("", raw).lower().lstrip("0")


_WORD = re.compile(r"[a-z]+")


def _words(text: str) -> set[str]:
    """Content words, crudely stemmed (``questions`` ~ ``question``, ``supplies`` ~ ``supply``).

    >>> sorted(_words("The supplies of aviation and the questions of pilots"))
    ['aviation', 'pilot', 'supply']
    """
    stems = _STEMS
    out = set()
    for w in set(_WORD.findall(text.lower())):
        stem = stems.get(w)
        if stem is None:
            stem = stems[w] = _stem(w)
        if stem:
            out.add(stem)
    return out


_STEMS: dict[str, str] = {}


def _stem(w: str) -> str:
    if w in _STOP or len(w) < 3:
        return ""
    for suffix in ("ies", "es", "s"):
        if w.endswith(suffix) and len(w) > len(suffix) + 3:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\]')  # what a literal cannot hold as it is


def _lit(value: str) -> str:
    r"""A plain literal in canonical N-Triples form (as the store writes it back).

    >>> print(_lit('a "b" \\ c\nd\x01e'), _lit("plain"))
    "a \"b\" \\ c\nd e" "plain"
    """
    if not _SPECIAL.search(value):  # nearly always: one scan
        return f'"{value}"'
    value = _CONTROL.sub(" ", value)
    return '"' + (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
                  .replace("\t", "\\t")) + '"'


def _decimal(x: float) -> str:
    """A score as a canonical xsd:decimal literal.

    >>> _decimal(0.7), _decimal(1.0), _decimal(0.05), _decimal(0)
    ('"0.7"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1"^^<http://www.w3.org/2001/XMLSchema#decimal>', \
'"0.05"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    got = _DECIMALS.get(x)
    if got is None:
        rounded = round(min(1.0, max(0.0, x)), 2)
        text = f"{rounded:.2f}".rstrip("0").rstrip(".") or "0"
        got = f'"{text}"^^<{XSD.decimal}>'
        if len(_DECIMALS) < 100_000:
            _DECIMALS[x] = got
    return got


_DECIMALS: dict[float, str] = {}  # score -> literal: scores are sums of a few weights, a few thousand at most


def _canonical_date(value: str) -> str:
    """A date or time as the store writes it back: 24:00 is the next day's 00:00
    (else the copy of the links graph and the store's would differ forever).

    >>> _canonical_date("1951-01-27T24:00:00"), _canonical_date("1951-12-31T24:00:00"), _canonical_date("1951-06")
    ('1951-01-28T00:00:00', '1952-01-01T00:00:00', '1951-06')
    """
    if value[10:19] == "T24:00:00" and (day := _day(value)) is not None:
        return f"{(day + timedelta(days=1)).isoformat()}T00:00:00{value[19:]}"
    return value


def _age(days: int) -> float:
    """How a citation without a date weighs a candidate so many days old."""
    if days <= 14:
        return W_RECENT[14]
    if days <= 60:
        return W_RECENT[60]
    return next((w for limit, w in sorted(W_OLD.items(), reverse=True) if days > limit), 0.0)


def _short(iri: str) -> str:
    return iri.rsplit("/telegram/", 1)[-1] if "/telegram/" in iri else iri.rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------
# reading the store

_term = term_value


def _select(store, sparql: str) -> list[list[str | None]]:
    """Rows of a SELECT, as IRIs and lexical values (None where unbound).

    The result is serialised by the store (SPARQL TSV) and split here, which
    costs a fraction of building a Python object per term."""
    import pyoxigraph as ox

    data = store.query(_PREFIXES + sparql).serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    lines = data.split("\n")
    return [[_term(t) for t in line.split("\t")] for line in lines[1:] if line]


def _pairs(store, sparql: str) -> list[tuple[str, str]]:
    """Rows of a two-column SELECT whose first column is an IRI (the common
    case of the bulk reads), split without a per-term function call."""
    import pyoxigraph as ox

    data = store.query(_PREFIXES + sparql).serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    out = []
    for line in data.split("\n")[1:]:
        if not line:
            continue
        s, o = line.split("\t", 1)
        out.append((s[1:-1], o[1:-1] if o[:1] == "<" else (o[1:o.rfind('"')] if o[:1] == '"' and "\\" not in o
                                                        else _term(o))))
    return out


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _chunks(items: list[str], n: int = 1000) -> Iterable[list[str]]:
    for k in range(0, len(items), n):
        yield items[k:k + n]


def _store_rows(store) -> dict[str, list[Row]]:
    """Every row the linker reads, from the whole store, by graph: one simple
    pattern per predicate (cheaper than one query over all of them), in
    parallel threads (the store evaluates queries outside the interpreter lock)."""
    def query(p: str) -> str:
        if p in FLAG_PREDICATES:
            return f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{p}> ?o FILTER(?o) }} }}"
        if p in DETAIL_PREDICATES:
            return f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s a ck:CitedTelegram ; <{p}> ?o }} }}"
        return f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{p}> ?o }} }}"

    by_graph: dict[str, list[Row]] = defaultdict(list)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for p, rows in pool.map(lambda p: (p, _select(store, query(p))), PREDICATES):
            for g, s, o in rows:
                if g and s:
                    by_graph[g].append((s, p, o or ""))
    return by_graph


def _graph_rows(store, graphs: list[str]) -> dict[str, list[Row]]:
    """The rows of a few graphs, from the store, by graph."""
    preds = _values(PREDICATES)
    out: dict[str, list[Row]] = {g: [] for g in graphs}
    for chunk in _chunks(graphs, 200):
        for g, s, p, o in _select(
                store, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {_values(chunk)} }} VALUES ?p {{ {preds} }} "
                       "GRAPH ?g { ?s ?p ?o } }"):
            if not (p in FLAG_PREDICATES and o != "true") and not (p in DETAIL_PREDICATES and "/cited/" not in s):
                out[g].append((s, p, o or ""))
    return out


def _refill_facts(store, base: str, by_graph: dict[str, list[Row]], hashes: dict[str, str]) -> None:
    """Write the records of every source graph read from the store to the
    facts file beside it, so that the next link reads the file (a file of an
    earlier version, or none, costs one slow link, not every one)."""
    file = open_facts(getattr(store, "path", None), base)
    if file is None:
        return
    with file:
        file.put([(g, sha, pack(by_graph.get(g, []))) for g, sha in sorted(hashes.items())])


@dataclass
class Corpus:
    """Everything the linker needs from the store, with its indexes."""

    docs: dict[str, Doc]
    cited: dict[str, Cited]
    names: dict[str, str] = field(default_factory=dict)
    by_number: dict[str, list[str]] = field(default_factory=dict)
    by_sender_number: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    by_sender_day: dict[tuple[str, date], list[str]] = field(default_factory=dict)
    by_pair_day: dict[tuple[str, str, date], list[str]] = field(default_factory=dict)
    by_recipient_day: dict[tuple[str, date], list[str]] = field(default_factory=dict)
    by_day: dict[date, list[str]] = field(default_factory=dict)
    by_sender_month: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    by_sender: dict[str, tuple[list[int], list[str]]] = field(default_factory=dict)
    by_pair: dict[tuple[str, str], tuple[list[int], list[str]]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    stamps: dict[str, tuple[list[datetime], list[datetime]]] = field(default_factory=dict)  # (sent, received)
    # words of a document's title and summary, and of its text
    texts: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    heads: dict[str, list[str]] = field(default_factory=dict)  # its title and the archive's summary
    store: object = None
    base: str = DEFAULT_BASE

    @classmethod
    def from_store(cls, store, base: str = DEFAULT_BASE, hashes: dict[str, str] | None = None,
                   facts: dict[str, tuple[str, Records]] | None = None) -> Corpus:
        """Everything the linker reads: from the facts file beside the store for
        the graphs whose sha256 it holds (``hashes``: graph -> sha256, as the
        store has them), from the store for the others.  ``facts``: the file's
        entries, if they have been read already (see :func:`read_corpus`)."""
        found: list[Records] | None = None
        try:
            if hashes is not None and facts is None and (file := open_facts(getattr(store, "path", None), base)):
                with file:
                    facts = file.entries()
            if hashes is not None and facts is not None:
                found, missing = matching_records(facts, hashes)
                if len(missing) <= MISSING_FROM_STORE:
                    if missing:
                        by_graph = _graph_rows(store, sorted(missing))
                        _refill_facts(store, base, by_graph, {g: hashes[g] for g in missing})
                        found.append(records(row for rows in by_graph.values() for row in rows))
                    return cls.from_records(found, store, base)
        except DAMAGED_FACTS:
            pass  # a damaged cache: the store is read instead
        by_graph = _store_rows(store)
        if hashes is not None:
            by_graph = {g: rows for g, rows in by_graph.items() if g in hashes}
            _refill_facts(store, base, by_graph, hashes)
        else:  # the links graph gives its placeholders a date and parties: they are not documents
            by_graph.pop(Iris(base).links_graph(), None)
        return cls.from_records([records(row for rows in by_graph.values() for row in rows)], store, base)

    @classmethod
    def from_rows(cls, rows: Iterable[Row], store=None, base: str = DEFAULT_BASE) -> Corpus:
        """A corpus from ``(subject, predicate, value)`` rows (see :mod:`cable_kg.linkfacts`)."""
        return cls.from_records([records(rows)], store, base)

    @classmethod
    def from_records(cls, found: Iterable[Records], store=None, base: str = DEFAULT_BASE) -> Corpus:
        """A corpus from the :func:`cable_kg.linkfacts.records` of the graphs
        (where two graphs speak of one subject, the lists are joined and the
        later graph's single values win)."""
        docs: dict[str, Doc] = {}
        cited: dict[str, Cited] = {}
        stamps: dict[str, tuple[list[datetime], list[datetime]]] = {}
        heads: dict[str, list[str]] = defaultdict(list)
        details: list[tuple[str, bool, bool, str | None, str | None, str | None]] = []
        for rec in found:
            for s, (dates, numbers, senders, recipients, via, carrier, sent, received, head) in rec["d"].items():
                if dates or numbers or senders or recipients or via or carrier is not None:
                    doc = docs.get(s)
                    if doc is None:
                        doc = docs[s] = Doc(s)
                    for o in dates:
                        doc.day = _day(o) or doc.day
                    if numbers:
                        doc.numbers.extend(map(tuple, numbers))
                    doc.senders.update(senders)
                    doc.recipients.update(recipients)
                    if via:
                        doc.via.update(via)
                    if carrier is not None:
                        doc.carrier = carrier
                if sent or received:
                    for k, values in ((0, sent), (1, received)):
                        for o in values:
                            if len(o) >= 16 and (st := _stamp(o)) is not None:
                                stamps.setdefault(s, ([], []))[k].append(st)
                if head:
                    heads[s].extend(head)
            for s, (direction, dates, number, incoming, topic, plural, summary, presumed, written,
                    presumed_recipient) in rec["c"].items():
                if direction is not None or dates or number is not None or incoming is not None or topic is not None:
                    c = cited.get(s)
                    if c is None:
                        # <telegram>/cited/N: the citing telegram is in the IRI (rdf.build mints it so)
                        c = cited[s] = Cited(s, s.rsplit("/cited/", 1)[0])
                    if direction is not None:
                        c.direction = _DIRECTIONS.get(direction, "unknown")
                    if dates:
                        c.dates.extend((o, _precision_of(o)) for o in dates)
                    if number is not None:
                        c.number = number
                    if incoming is not None:
                        c.incoming = incoming
                    if topic is not None:
                        c.topic = topic
                if plural or summary or presumed is not None or written is not None or presumed_recipient is not None:
                    details.append((s, plural, summary, presumed, written, presumed_recipient))
        for s, plural, summary, presumed, written, presumed_recipient in details:  # once their direction is known
            c = cited.get(s)
            if c is None:
                continue
            c.plural = c.plural or plural
            c.summary = c.summary or summary
            if presumed is not None:
                c.presumed = presumed
                if c.direction == "third":
                    c.psender = presumed
            if written is not None:
                c.written = written
            if presumed_recipient is not None:
                c.presumed_recipient = presumed_recipient
        for x in docs.values():
            x.numbers.sort()
        for c in cited.values():
            c.dates.sort()
        corpus = cls(docs, cited, store=store, base=base)
        corpus.stamps = {s: v for s, v in stamps.items() if s in docs}
        corpus.heads = {s: sorted(v) for s, v in heads.items() if s in docs}
        corpus.index()
        return corpus

    def index(self) -> None:
        docs = self.docs
        by_number: dict[str, list[str]] = defaultdict(list)
        by_sender_number: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_sender_day: dict[tuple[str, date], list[str]] = defaultdict(list)
        by_pair_day: dict[tuple[str, str, date], list[str]] = defaultdict(list)
        by_recipient_day: dict[tuple[str, date], list[str]] = defaultdict(list)
        by_day: dict[date, list[str]] = defaultdict(list)
        by_sender_month: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_sender: dict[str, list[tuple[int, str]]] = defaultdict(list)
        by_pair: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        children: dict[str, list[str]] = defaultdict(list)
        order = sorted(docs)
        for iri in order:
            d = docs[iri]
            d.senders, d.recipients, d.via = frozenset(d.senders), frozenset(d.recipients), frozenset(d.via)
            if d.carrier:
                up, seen, cur = [], {iri}, d
                while cur is not None and cur.carrier and cur.carrier not in seen:
                    up.append(cur.carrier)
                    seen.add(cur.carrier)
                    cur = docs.get(cur.carrier)
                d.ancestors = tuple(up)
                children[d.carrier].append(iri)
        for iri in order:
            d = docs[iri]
            d.when = d.day
            if d.when is None and d.ancestors:
                d.when = next((docs[a].day for a in d.ancestors if a in docs and docs[a].day), None)
            d.ordinal = d.when.toordinal() if d.when else 0
            if d.numbers:
                d.keys = frozenset(k for _, raw in d.numbers for k in number_keys(raw))
                d.exact = frozenset(_exact(raw) for _, raw in d.numbers)
                d.header_keys = frozenset(k for r, raw in d.numbers if r in ("header", "title")
                                          for k in number_keys(raw))
            for k in d.keys:
                by_number[k].append(iri)
                for s in d.senders:
                    by_sender_number[(s, k)].append(iri)
            if d.when is None:
                continue
            by_day[d.when].append(iri)
            month = d.when.isoformat()[:7]
            for r in d.recipients:
                by_recipient_day[(r, d.when)].append(iri)
            for s in d.senders:
                by_sender_day[(s, d.when)].append(iri)
                by_sender_month[(s, month)].append(iri)
                by_sender[s].append((d.ordinal, iri))
                for r in d.recipients:
                    by_pair_day[(s, r, d.when)].append(iri)
                    by_pair[(s, r)].append((d.ordinal, iri))
        self.by_number, self.by_sender_number = dict(by_number), dict(by_sender_number)
        self.by_sender_day, self.by_pair_day, self.by_day = dict(by_sender_day), dict(by_pair_day), dict(by_day)
        self.by_recipient_day, self.by_sender_month = dict(by_recipient_day), dict(by_sender_month)
        self.children = dict(children)

        def timeline(items):
            items.sort()
            return [o for o, _ in items], [i for _, i in items]

        self.by_sender = {s: timeline(items) for s, items in by_sender.items()}
        self.by_pair = {k: timeline(items) for k, items in by_pair.items()}

    # -- structure ---------------------------------------------------------------------------

    def carried_together(self, a: str, b: str) -> bool:
        """One is carried (at any depth) by the other."""
        da, db = self.docs.get(a), self.docs.get(b)
        return (db is not None and a in db.ancestors) or (da is not None and b in da.ancestors)

    def when(self, iri: str) -> date | None:
        d = self.docs.get(iri)
        return d.when if d else None

    def name(self, person: str) -> str:
        return self.names.get(person) or person.rsplit("/", 1)[-1]

    def senders_window(self, person: str, last: date, days: int, to: str | None = None) -> list[str]:
        """Documents sent by ``person`` (to ``to``) in the ``days`` up to ``last``,
        most recent first."""
        got = self.by_sender.get(person) if to is None else self.by_pair.get((person, to))
        if not got:
            return []
        ords, iris = got
        lo = bisect_left(ords, last.toordinal() - days)
        hi = bisect_right(ords, last.toordinal())
        return iris[lo:hi][::-1]

    def latest(self, person: str, last: date, days: int, to: str | None, ok) -> str | None:
        """The most recent document sent by ``person`` (to ``to``) in the ``days``
        up to ``last`` for which ``ok`` holds."""
        got = self.by_sender.get(person) if to is None else self.by_pair.get((person, to))
        if not got:
            return None
        ords, iris = got
        lo = bisect_left(ords, last.toordinal() - days)
        for k in range(bisect_right(ords, last.toordinal()) - 1, lo - 1, -1):
            if ok(iris[k]):
                return iris[k]
        return None

    # -- fetched on demand, in batches ----------------------------------------------------------

    def fetch_texts(self, iris: Iterable[str]) -> None:
        """The words of the documents' texts (for topics: only the few candidates
        of a topic citation need them)."""
        need = sorted(set(iris) - set(self.texts))
        body: dict[str, set[str]] = defaultdict(set)
        if self.store is not None:
            for chunk in _chunks(need, 500):
                for d, t in _select(self.store, f"SELECT ?d ?t WHERE {{ VALUES ?d {{ {_values(chunk)} }} "
                                                "?d schema:text ?t }"):
                    body[d] |= _words(t or "")
        for i in need:
            head = frozenset(w for t in self.heads.get(i, ()) for w in _words(t))
            self.texts[i] = (head, frozenset(body.get(i, ())))

    def fetch_names(self, people: Iterable[str]) -> None:
        """Each person's name: the authority graph's in one query, the few others
        one by one (or, if there are many, the name in their IRI)."""
        if self.store is None:
            return
        want = set(people) - set(self.names)
        if not want:
            return
        graph = Iris(self.base).authority_graph()
        for p, n in _pairs(self.store, f"SELECT ?p ?n WHERE {{ GRAPH <{graph}> {{ ?p schema:name ?n }} }}"):
            if p in want:
                self.names[p] = n
        rest = sorted(want - set(self.names))
        for p in rest[:200]:
            rows = _select(self.store, f"SELECT ?n WHERE {{ <{p}> schema:name ?n }} LIMIT 1")
            if rows and rows[0][0]:
                self.names[p] = rows[0][0]
        for p in rest[200:]:
            self.names[p] = p.rsplit("/", 1)[-1].replace("-", " ").title()


# ---------------------------------------------------------------------------------------------
# the decisions


@dataclass(slots=True)
class _Ask:
    """One citation, ready to be scored."""

    cited: Cited
    send: frozenset[str] | None  # expected senders (None: anyone)
    via: frozenset[str]  # intermediaries of the citing telegram
    recv: frozenset[str]  # expected addressees
    authors: frozenset[str]  # authors of the citing telegram
    before: date | None  # the citing telegram's date
    dates: list[tuple[str, str, date | None, str]]  # (value, precision, day, note)
    minute: datetime | None = None  # a time of day the citation gives
    pool: set[str] = field(default_factory=set)
    context: dict[str, str] | None = None
    taken: frozenset[str] = frozenset()
    latest: str | None = None
    topic_words: frozenset[str] = frozenset()
    number_exact: str = ""
    number_keys: frozenset[str] = frozenset()
    incoming_keys: frozenset[str] = frozenset()
    ordinals: tuple[int | None, ...] = ()  # the cited days, as ordinals


class Linker:
    """Scores and decides every citation of a :class:`Corpus`."""

    def __init__(self, corpus: Corpus):
        self.c = corpus
        # the telegrams in some addition pair, for the additions set they were taken from (and its size)
        self._members: tuple[set[frozenset[str]] | None, int, set[str]] = (None, 0, set())
        self._texts: Future | None = None  # the topic citations' texts, being read (see topic_texts)
        self._asks: dict[str, _Ask] = {}  # cited IRI -> its ask (see asked)

    # -- preparing -------------------------------------------------------------------------------

    def ask(self, cited: Cited) -> _Ask:
        c = self.c
        doc = c.docs.get(cited.citing) or Doc(cited.citing, when=None)
        authors, others, via = frozenset(doc.senders), frozenset(doc.recipients), frozenset(doc.via)
        ps = {cited.psender} if cited.psender else set()
        if cited.direction == "your":
            send, recv = (others | ps) or None, authors
        elif cited.direction in OWN_DIRECTIONS:
            send, recv = (authors | ps) or None, others
        elif cited.direction == "third":
            send, recv = frozenset(ps) or None, authors | others
        else:
            send, recv = None, authors | others
        before = doc.when
        dates = []
        minute = None
        for value, precision in cited.dates:
            day, note = _day(value), ""
            if precision == "minute":
                st = _stamp(value)
                if st is not None and (st.hour, st.minute) == (0, 0):
                    day = day - timedelta(days=1)  # "24:00" of the day before
                elif st is not None:
                    minute = st
            first = day or (date(int(value[:4]), int(value[5:7]), 1) if len(value) >= 7 else None)
            if before is not None and first is not None and first > before and precision != "year" \
                    and not _YEAR_IN_TEXT.search(cited.written):
                try:
                    value = f"{int(value[:4]) - 1}{value[4:]}"
                    day = day.replace(year=day.year - 1) if day else None
                    if minute is not None:
                        minute = minute.replace(year=minute.year - 1)
                    note = f"year taken as {value[:4]}: a date without a year cannot be after the citing telegram"
                except ValueError:
                    pass
            dates.append((value, precision, day, note))
        ordinals = tuple(d.toordinal() if d is not None and p in ("day", "minute") else None
                         for _, p, d, _ in dates)
        return _Ask(cited, frozenset(send) if send is not None else None, via, frozenset(recv), authors, before,
                    dates, minute, topic_words=frozenset(_words(cited.topic)) if cited.topic else frozenset(),
                    number_exact=_exact(cited.number) if cited.number else "",
                    number_keys=frozenset(number_keys(cited.number)) if cited.number else frozenset(),
                    incoming_keys=frozenset(number_keys(cited.incoming)) if cited.incoming else frozenset(),
                    ordinals=ordinals)

    def gather(self, a: _Ask) -> None:
        """Candidates from the indexes, nearest first: by number; by date only if
        no telegram of that number is of about that date; the telegrams between the
        expected parties on the very day, and wider (nearby days, other addressees)
        only where that finds nothing; by month; the parties' recent telegrams
        (topic).  What a wider step would add could not outscore what a narrower
        one found."""
        c, cited = self.c, a.cited
        found = a.pool
        people = (a.send | a.via) if a.send else frozenset()  # empty: anyone
        for n in (cited.number, cited.incoming):
            if n:
                for k in number_keys(n):
                    if people:
                        for s in people:
                            found.update(c.by_sender_number.get((s, k), ()))
                    else:
                        found.update(c.by_number.get(k, ()))
        near = {o + k for o in a.ordinals if o is not None for k in (-1, 0, 1)}
        if found and near and any(c.docs[i].ordinal in near for i in found):
            self._admissible(a)
            return
        for value, precision, day, _ in a.dates:
            if precision in ("day", "minute") and day is not None:
                found |= self._by_day(a, people, day)
            elif precision == "month":
                for s in people:
                    found.update(c.by_sender_month.get((s, value[:7]), ()))
            elif precision == "year" and people and a.before is not None:
                for s in people:
                    found.update(i for i in c.senders_window(s, a.before, 366)
                                 if c.docs[i].when and str(c.docs[i].when.year) == value[:4])
        if cited.topic and not (cited.number or cited.dates) and people and a.before is not None:
            for s in people:
                for r in a.recv or (None,):
                    found.update(c.senders_window(s, a.before, TOPIC_WINDOW, r)[:40])
        self._admissible(a)

    def _by_day(self, a: _Ask, people: frozenset[str], day: date) -> set[str]:
        """Telegrams of ``day``: between the expected parties on that day; else
        on the days around it, and the sender's others of that day; else 2-3 days
        off."""
        c = self.c
        got: set[str] = set()
        if people:
            for s in people:
                for r in a.recv:
                    got.update(c.by_pair_day.get((s, r, day), ()))
            if got:
                return got
            for s in people:
                got.update(c.by_sender_day.get((s, day), ()))
                for r in a.recv:
                    for k in (-1, 1):
                        got.update(c.by_pair_day.get((s, r, day + timedelta(days=k)), ()))
            if got:
                return got
            for s in people:
                for k in (-3, -2, -1, 1, 2, 3):
                    got.update(c.by_sender_day.get((s, day + timedelta(days=k)), ()))
            return got
        for r in a.recv:
            got.update(c.by_recipient_day.get((r, day), ()))
        if got:
            return got
        for r in a.recv:
            for k in (-1, 1):
                got.update(c.by_recipient_day.get((r, day + timedelta(days=k)), ()))
        got.update(c.by_day.get(day, ()))
        return got

    def gather_bare(self, a: _Ask, context: dict[str, str], taken: frozenset[str]) -> None:
        """A citation with no date, number or topic: the parties' latest telegram
        of the last 30 days, and what the thread around it already holds."""
        c = self.c
        a.context, a.taken = context, taken
        if a.send and a.before is not None:
            citing = a.cited.citing

            def latest(person: str, to: str | None) -> str | None:
                return c.latest(person, a.before, BARE_WINDOW, to,
                                lambda i: i != citing and not c.carried_together(i, citing))

            to = [x for x in (latest(s, r) for s in a.send for r in a.recv) if x]
            anyone = [x for x in (latest(s, None) for s in a.send) if x]
            pick = sorted(to or anyone, key=lambda i: (c.docs[i].ordinal, i), reverse=True)
            a.latest = pick[0] if pick else None
            a.pool.update(to)
            a.pool.update(anyone)
        a.pool.update(i for i in context if i in c.docs and (a.send is None or c.docs[i].senders & a.send))
        self._admissible(a)

    def _admissible(self, a: _Ask) -> None:
        """Drop the citing telegram itself and anything later than it."""
        docs = self.c.docs
        citing = a.cited.citing
        last = a.before.toordinal() if a.before else None
        a.pool = {i for i in a.pool if i != citing and (d := docs.get(i)) is not None
                  and (last is None or not d.ordinal or d.ordinal <= last)}

    # -- scores ------------------------------------------------------------------------------------

    def fast(self, a: _Ask, iri: str) -> float:
        """The score of :meth:`score` without the words (the hot path: every candidate)."""
        doc = self.c.docs[iri]
        cited = a.cited
        s = 0.0
        if a.number_exact:
            if a.number_exact in doc.exact:
                s += W_NUMBER
            elif not a.number_keys.isdisjoint(doc.keys):
                s += W_NUMBER_SUFFIX
            elif doc.numbers:
                s += W_NUMBER_MISMATCH
        if a.incoming_keys:
            if not a.incoming_keys.isdisjoint(doc.header_keys):
                s += W_INCOMING
            elif any(r == "header" for r, _ in doc.numbers):
                s += W_INCOMING_MISMATCH
        if a.dates:
            best = None
            when = doc.when
            if when is not None:
                for (value, precision, _, _), o in zip(a.dates, a.ordinals, strict=True):
                    if o is not None:
                        gap = abs(doc.ordinal - o)
                        w = self._near(iri, gap, o, a.minute is not None) if gap <= NEAR_DAYS else None
                    elif precision == "month":
                        w = W_MONTH if when.isoformat()[:7] == value[:7] else None
                    elif precision == "year":
                        w = W_YEAR if str(when.year) == value[:4] else None
                    else:
                        w = None
                    if w is not None and (best is None or w > best):
                        best = w
            s += W_DATE_MISMATCH if best is None else best
            if a.minute is not None:
                s += self._time_score(a.minute, iri, None)
        elif a.before is not None and doc.when is not None and (a.number_exact or cited.incoming or cited.topic):
            days = a.before.toordinal() - doc.ordinal
            s += _age(days)
        senders = doc.senders
        if a.send is not None:
            if not senders.isdisjoint(a.send):
                s += W_SENDER
            elif not senders.isdisjoint(a.via):
                s += W_SENDER_VIA
            elif senders:
                s += W_SENDER_MISMATCH
        elif cited.direction == "unknown":
            citing = self.c.docs.get(cited.citing)
            if citing is not None and not senders.isdisjoint(citing.recipients):
                s += W_SENDER_ADDRESSEE
        if not doc.recipients.isdisjoint(a.recv):
            if (a.send is None or cited.direction == "third") and not doc.recipients.isdisjoint(a.authors):
                s += W_RECIPIENT_AUTHOR
            else:
                s += W_RECIPIENT
        if cited.topic:
            return self.score(a, iri).score  # rare: the full path
        if a.context is not None:  # a bare citation, in its thread
            if iri == a.latest and a.send and cited.direction in OWN_DIRECTIONS:
                s += W_LATEST
            if iri in a.context:
                s += W_CONTEXT
            if iri in a.taken:
                s += W_ALREADY
        if cited.summary:
            s *= SUMMARY_FACTOR
        return s

    def score(self, a: _Ask, iri: str, explain: bool = False) -> Candidate:
        c, cited = self.c, a.cited
        doc = c.docs[iri]
        ev: list[str] | None = [] if explain else None
        s = 0.0
        if cited.number:
            want = a.number_exact
            if want in doc.exact:
                s += W_NUMBER
                if explain:
                    role = next(r for r, raw in doc.numbers if _exact(raw) == want)
                    ev.append(f"number {cited.number} = {_ROLE_NAMES.get(role, role)}")
            elif doc.keys & a.number_keys:
                s += W_NUMBER_SUFFIX
                if explain:
                    keys = a.number_keys
                    role, raw = next((r, raw) for r, raw in doc.numbers if set(number_keys(raw)) & keys)
                    ev.append(f"number {cited.number} ~ {_ROLE_NAMES.get(role, role)} {raw}")
            elif doc.numbers:
                s += W_NUMBER_MISMATCH
                if explain:
                    ev.append(f"number {cited.number} is not among its numbers "
                              f"({', '.join(sorted({raw for _, raw in doc.numbers}))})")
        if cited.incoming:
            keys = a.incoming_keys
            hit = next((r for r, raw in doc.numbers if r in ("header", "title") and set(number_keys(raw)) & keys), None)
            if hit:
                s += W_INCOMING
                if explain:
                    ev.append(f"incoming number {cited.incoming} = {_ROLE_NAMES[hit]}")
            elif any(r == "header" for r, _ in doc.numbers):
                s += W_INCOMING_MISMATCH
                if explain:
                    ev.append(f"incoming number {cited.incoming} is not its header number")
        if a.dates:
            best, text = None, ""
            for value, precision, day, note in a.dates:
                w, t = self._date_score(doc, value, precision, day, explain, a.minute is not None)
                if w is not None and (best is None or w > best):
                    best, text = w, (t + (f" ({note})" if note and explain else ""))
            if best is None:
                s += W_DATE_MISMATCH
                if explain:
                    ev.append(f"date {a.dates[0][0][:10]} does not match its date "
                              f"({doc.when.isoformat() if doc.when else 'none'})")
            else:
                s += best
                if explain:
                    ev.append(text)
            if a.minute is not None:
                s += self._time_score(a.minute, iri, ev)
        elif a.before is not None and doc.when is not None and (cited.number or cited.incoming or cited.topic):
            days = (a.before - doc.when).days
            bonus = _age(days)
            if bonus:
                s += bonus
                if explain:
                    ev.append(f"{'recent' if bonus > 0 else 'old'}: {days} day{'s' if days != 1 else ''} before")
        # participants
        if a.send is not None:
            if doc.senders & a.send:
                s += W_SENDER
                if explain:
                    ev.append(f"sender matches ({', '.join(c.name(p) for p in sorted(doc.senders & a.send))})")
            elif doc.senders & a.via:
                s += W_SENDER_VIA
                if explain:
                    ev.append(f"sent by the intermediary ({', '.join(c.name(p) for p in sorted(doc.senders & a.via))})")
            elif doc.senders:
                s += W_SENDER_MISMATCH
                if explain:
                    ev.append(f"sender {', '.join(c.name(p) for p in sorted(doc.senders))} is not "
                              f"{' or '.join(c.name(p) for p in sorted(a.send))}")
        elif cited.direction == "unknown":
            citing = c.docs.get(cited.citing)
            if citing is not None and doc.senders & citing.recipients:
                s += W_SENDER_ADDRESSEE
                if explain:
                    ev.append("sent by the citing telegram's addressee")
        direct = doc.recipients & a.recv
        if direct:
            if (a.send is None or cited.direction == "third") and direct & a.authors:
                s += W_RECIPIENT_AUTHOR
                if explain:
                    who = ", ".join(c.name(p) for p in sorted(direct & a.authors))
                    ev.append(f"addressed to the citing author ({who})")
            else:
                s += W_RECIPIENT
                if explain:
                    ev.append(f"addressee matches ({', '.join(c.name(p) for p in sorted(direct))})")
        if cited.topic:
            want = a.topic_words
            head, body = c.texts.get(iri, (frozenset(), frozenset()))
            if want:
                in_head = len(want & head) / len(want)
                in_body = len(want & body) / len(want)
                if in_head >= 0.6:
                    s += W_TOPIC * in_head
                    if explain:
                        ev.append(f"topic in its title or summary ({', '.join(sorted(want & head))})")
                elif in_body >= 0.6:
                    s += W_TOPIC_TEXT * in_body
                    if explain:
                        ev.append(f"topic words in its text ({', '.join(sorted(want & body))})")
                else:
                    s += W_TOPIC_MISS
                    if explain:
                        ev.append("topic words not in its text")
        if a.context is not None:
            if iri == a.latest and a.send and cited.direction in OWN_DIRECTIONS:
                s += W_LATEST
                if explain:
                    days = (a.before - doc.when).days if a.before and doc.when else 0
                    ev.append(f"the latest telegram of {', '.join(c.name(p) for p in sorted(doc.senders & a.send))}"
                              f" before it ({days} day{'s' if days != 1 else ''} earlier)")
            if iri in a.context:
                s += W_CONTEXT
                if explain:
                    ev.append(a.context[iri])
            if iri in a.taken:
                s += W_ALREADY
                if explain:
                    ev.append("already the target of another of its citations")
        if cited.summary:
            s *= SUMMARY_FACTOR
        return Candidate(iri, s, ev or [])

    def _near(self, iri: str, gap: int, ordinal: int, timed: bool) -> float:
        """The weight of a cited day ``gap`` days from the telegram's own: full
        when a time of day is cited (the time then decides) or the telegram was
        received on the cited day, weak otherwise."""
        if gap == 0 or timed:
            return W_DATE[gap]
        received = self.c.stamps.get(iri, ((), ()))[1]
        if any(t.toordinal() == ordinal for t in received):
            return W_DATE[gap]
        return W_DATE_UNTIMED[gap]

    def _date_score(self, doc: Doc, value: str, precision: str, day: date | None, explain: bool,
                    timed: bool = False):
        when = doc.when
        if when is None:
            return None, ""
        if precision in ("day", "minute") and day is not None:
            gap = abs((when - day).days)
            if gap == 0:
                return W_DATE[0], f"date exact ({day.isoformat()})" if explain else ""
            if gap <= NEAR_DAYS:
                w = self._near(doc.iri, gap, day.toordinal(), timed)
                return w, (f"date near ({gap} day{'s' if gap > 1 else ''} from {day.isoformat()}"
                           f"{'' if w == W_DATE[gap] else ', no time of day cited'})" if explain else "")
            return None, ""
        if precision == "month":
            return (W_MONTH, f"same month ({value[:7]})") if when.isoformat()[:7] == value[:7] else (None, "")
        if precision == "year":
            return (W_YEAR, f"same year ({value[:4]})") if str(when.year) == value[:4] else (None, "")
        return None, ""

    def _time_score(self, minute: datetime, iri: str, ev: list[str] | None) -> float:
        sent, received = self.c.stamps.get(iri, ((), ()))
        if not sent and not received:
            return 0.0
        sent = [t for t in sent if t.date() == minute.date()]
        if sent:
            gap = min(abs((t - minute).total_seconds()) for t in sent) / 60
            if gap <= 1:
                ev is not None and ev.append(f"time exact ({minute:%H:%M})")
                return W_TIME
            if gap <= 30:
                ev is not None and ev.append(f"time near ({minute:%H:%M})")
                return W_TIME_NEAR
            ev is not None and ev.append(f"sent at {min(sent):%H:%M}, not {minute:%H:%M}")
            return W_TIME_MISMATCH
        if received:
            first = min(received)
            if first < minute:
                ev is not None and ev.append(f"received at {first:%H:%M}, before {minute:%H:%M}")
                return W_TIME_MISMATCH
            if first - minute <= timedelta(hours=12):
                ev is not None and ev.append(f"received at {first:%H:%M}, after {minute:%H:%M}")
                return W_TIME_NEAR
        return 0.0

    # -- one citation ------------------------------------------------------------------------------

    def rank(self, a: _Ask) -> list[Candidate]:
        """The candidates, best first (ties: the more recent, then by IRI)."""
        docs = self.c.docs
        fast = self.fast
        scored = sorted((-round(fast(a, iri), 6), -docs[iri].ordinal, iri) for iri in a.pool)
        # only what can be linked or kept as a candidate matters (and the best, to say why not)
        return [Candidate(iri, -score) for k, (score, _, iri) in enumerate(scored) if k == 0 or -score >= KEEP_ABOVE]

    def decide(self, a: _Ask, cands: list[Candidate], additions: set[frozenset[str]]) -> Decision:
        cited = a.cited
        good = [k for k in cands if round(k.score, 6) >= RESOLVE]
        reason = ""
        targets: list[Candidate] = []
        if good:
            top = good[0].score
            band = PLURAL_BAND if cited.plural else MARGIN
            close = [k for k in good if top - k.score < band - 1e-9]
            if len(close) > 1:
                close = self._one_per_message(close)
            if cited.plural or len(close) == 1:
                targets = close
                if len(close) > 1:
                    reason = f"plural citation: {len(close)} telegrams"
            elif a.minute is None and self._additions_of_each_other(close, additions):
                targets = close
                reason = f"{len(close)} telegrams match equally and one is an addition to the other: answered together"
            else:
                reason = (f"ambiguous: {len(close)} candidates score within {MARGIN:.2f} of each other "
                          f"({', '.join(f'{k.score:.2f}' for k in close)})")
        elif cands:
            reason = f"no candidate scores {RESOLVE:.2f} or more (best {max(0.0, cands[0].score):.2f})"
        else:
            reason = "no telegram in the store matches"
        keep = [] if targets else [k for k in cands[:KEEP_CANDIDATES] if k.score >= KEEP_ABOVE]
        return Decision(cited, targets, keep, reason, cited.direction in REPLY_DIRECTIONS)

    def _additions_of_each_other(self, close: list[Candidate], additions: set[frozenset[str]]) -> bool:
        """Each of ``close`` is an addition to another of them, or has one."""
        if not additions:
            return False
        if self._members[0] is not additions or self._members[1] != len(additions):
            self._members = (additions, len(additions), {d for pair in additions for d in pair})
        members = self._members[2]
        if not all(x.doc in members for x in close):  # the common case, without a pair made
            return False
        return all(any(frozenset((x.doc, y.doc)) in additions for y in close if y is not x) for x in close)

    def _one_per_message(self, close: list[Candidate]) -> list[Candidate]:
        """A telegram and one it carries are one message: keep the better, else the
        outer one (the carrier)."""
        docs = self.c.docs
        best: dict[str, Candidate] = {}
        order: list[str] = []
        for k in close:
            up = docs[k.doc].ancestors
            root = up[-1] if up else k.doc
            rival = best.get(root)
            if rival is None:
                best[root] = k
                order.append(root)
            elif k.score > rival.score + 1e-9 or (abs(k.score - rival.score) < 1e-9
                                                  and len(up) < len(docs[rival.doc].ancestors)):
                best[root] = k
        return [best[r] for r in order]

    # -- everything --------------------------------------------------------------------------------

    def prepare(self) -> tuple[list[Cited], list[Cited]]:
        """Every citation, in the order of the cited IRIs: those with a date,
        number or topic (strong) and the bare others.  Each is asked (made an
        :class:`_Ask`, see :meth:`asked`) when its turn comes."""
        c = self.c
        order = [c.cited[i] for i in sorted(c.cited)]
        # the citing words, where a date might have lost its year
        late = [x for x in order if x.dates and c.when(x.citing)
                and min(v for v, _ in x.dates)[:10] > c.when(x.citing).isoformat()]
        for x in late:  # a date read as later than the telegram: its author as the citation presumes it
            x.psender = x.presumed or x.psender
        return [x for x in order if not x.bare], [x for x in order if x.bare]

    def asked(self, cited: Cited) -> _Ask:
        """The :class:`_Ask` of ``cited``, made once (a topic citation gathered)."""
        a = self._asks.get(cited.iri)
        if a is None:
            a = self._asks[cited.iri] = self.ask(cited)
            if cited.topic:
                self.gather(a)
        return a

    @contextmanager
    def topic_texts(self, strong: list[Cited]):
        """Within: the texts the topic citations of ``strong`` need are read from
        the store in a thread (outside the interpreter lock) while the other
        citations are ranked; :meth:`ranked` waits for them when a topic citation
        comes.  (Not in a forked process: the child's reference counts would copy
        most of the corpus's pages, and at 100,000 telegrams ranking took 5.7 s
        instead of 3.8.  Nor in a spawned one that builds its own corpus: it slows
        the reading as much as it speeds the ranking.)"""
        pool_of_topics = {i for x in strong if x.topic for i in self.asked(x).pool}
        with ThreadPoolExecutor(1) as pool:
            self._texts = pool.submit(self.c.fetch_texts, pool_of_topics)
            try:
                yield
            finally:
                self._texts.result()
                self._texts = None

    def ranked(self, a: _Ask) -> list[Candidate]:
        """A citation with a date, number or topic gathered and ranked."""
        if a.cited.topic:  # gathered when asked; its candidates' texts are read meanwhile
            if self._texts is not None:
                self._texts.result()
        else:
            self.gather(a)
        return self.rank(a)

    def decide_own(self, strong: list[Cited]) -> tuple[dict[str, Decision], set[frozenset[str]]]:
        """The decisions of the citations, among ``strong``, of their author's own
        telegrams ("my telegram of ..."), taken first: they tell which telegrams
        are additions to which (:meth:`decide` settles some ties of the others
        with that), as the pairs (telegram, its own earlier telegram)."""
        decisions: dict[str, Decision] = {}
        additions: set[frozenset[str]] = set()
        for x in strong:
            if x.direction in OWN_DIRECTIONS:
                a = self.asked(x)
                d = decisions[x.iri] = self.decide(a, self.ranked(a), set())
                additions.update(frozenset((x.citing, t.doc)) for t in d.targets)
        return decisions, additions

    def decide_others(self, strong: list[Cited], additions: set[frozenset[str]]) -> dict[str, Decision]:
        """The decisions of the other citations of ``strong`` (any part of them:
        once :meth:`decide_own` has spoken, each is decided on its own)."""
        out = {}
        for x in strong:
            if x.direction not in OWN_DIRECTIONS:
                a = self.asked(x)
                out[x.iri] = self.decide(a, self.ranked(a), additions)
        return out

    def decide_bare(self, bare: list[Cited], thread: _Thread) -> dict[str, Decision]:
        """Citations with no date, number or topic, in the thread the others made."""
        c = self.c
        resolved_by = thread.resolved_by
        out = {}
        for x in bare:
            a = self.asked(x)
            ctx: dict[str, str] = {}
            for t in resolved_by.get(x.citing, ()):
                for rel in c.children.get(t, []):
                    ctx.setdefault(rel, f"in the thread: carried by {_short(t)}, which it also cites")
                if c.docs.get(t) and c.docs[t].carrier:
                    ctx.setdefault(c.docs[t].carrier, f"in the thread: carries {_short(t)}, which it also cites")
                for tt in resolved_by.get(t, ()):
                    ctx.setdefault(tt, f"in the thread: cited by {_short(t)}, which it cites")
            self.gather_bare(a, ctx, frozenset(resolved_by.get(x.citing, ())))
            out[x.iri] = self.decide(a, self.rank(a), thread.additions)
        return out

    def explain(self, decisions: list[tuple[_Ask, Decision]]) -> list[Decision]:
        """Each decision's targets and candidates scored again, with the evidence in
        words (call :meth:`Corpus.fetch_names` first)."""
        c = self.c
        out = []
        for a, d in decisions:
            citing = d.cited.citing
            d.targets = [self.score(a, k.doc, explain=True) for k in d.targets]
            d.candidates = [self.score(a, k.doc, explain=True) for k in d.candidates]
            carried = any(c.carried_together(citing, t.doc) for t in d.targets)
            d.reply = d.reply and not carried
            for t in d.targets:
                if d.reason:
                    t.evidence.append(d.reason)
                if c.carried_together(citing, t.doc):
                    t.evidence.append("carried with the citing telegram: not a reply")
                elif d.cited.direction in OWN_DIRECTIONS:
                    t.evidence.append("its author's own telegram: a follow-up, not a reply")
                if d.cited.summary:
                    t.evidence.append(SUMMARY_NOTE)
            out.append(d)
        return out

    def names_needed(self) -> set[str]:
        return {p for d in self.c.docs.values() for p in d.senders | d.recipients | d.via}

    def run(self, timings: dict[str, float] | None = None) -> list[Decision]:
        """Every citation decided and explained, in the order of the cited IRIs
        (:func:`decide_and_write` takes the same steps, writing part by part)."""
        t0 = time.perf_counter()
        strong, bare = self.prepare()
        with self.topic_texts(strong):
            decisions, additions = self.decide_own(strong)
            decisions.update(self.decide_others(strong, additions))
        decisions.update(self.decide_bare(bare, _Thread.of(decisions, additions)))
        t1 = time.perf_counter()
        self.c.fetch_names(self.names_needed())
        out = self.explain([(self._asks[i], decisions[i]) for i in sorted(decisions)])
        if timings is not None:
            timings.update({"decide": t1 - t0, "explain": time.perf_counter() - t1})
        return out


# ---------------------------------------------------------------------------------------------
# writing the graph


def links_lines(decisions: list[Decision], corpus: Corpus, iris: Iris,
                fingerprint: str) -> tuple[list[str], LinkReport]:
    """The links graph as N-Triples lines (deterministic order, the fingerprint
    last), and counts."""
    text, report = links_body(decisions, iris)
    lines = [*text.splitlines(keepends=True), *links_trailer(iris, fingerprint)]
    report.quads = len(lines)
    return lines, report


def links_trailer(iris: Iris, fingerprint: str) -> list[str]:
    """The links graph's own description, its fingerprint last (written last: it marks a complete write)."""
    links = iris.links_graph()
    g = _END
    return [f"<{links}> <{RDF.type}> <{VOID.Dataset}>{g}",
            f"<{links}> <{RDFS.label}> {_lit('Reply links found by cable-kg')}{g}",
            f"<{links}> <{DCTERMS.identifier}> {_lit(fingerprint)}{g}"]


@dataclass
class Replies:
    """The replies of some citing telegrams whose links are written in several
    texts (:func:`links_body`): what the texts so far stated."""

    # (citing, replied): cito:repliesTo written (a dict for its order)
    stated: dict[tuple[str, str], None] = field(default_factory=dict)
    # (citing, target) -> the best score of the citations leading there so far, replies or not
    best: dict[tuple[str, str], float] = field(default_factory=dict)


def record_scores(replies: Replies, iris: Iris) -> list[str]:
    """Each reply link's record ``ck:score``: the best of the citations it
    rests on, once every text that could add one is written (N-Triples lines,
    in the order the links were stated)."""
    g = _END
    score_p = f"> <{CK.score}> "
    best = replies.best
    return [f"<{iris.reply_link(*pair)}{score_p}{_decimal(best[pair])}{g}" for pair in replies.stated]


def links_body(decisions: list[Decision], iris: Iris,
               earlier: Replies | None = None) -> tuple[str, LinkReport]:
    """The links of ``decisions`` as N-Triples text, in their order, and counts.

    Each decision is written on its cited node: ``ck:resolvedTo`` and the
    targets, or ``ck:placeholder true`` and the ranked candidates
    (``dct:hasPart``), with its ``ck:score`` and ``ck:evidence``.  A
    placeholder also gets what the citation says of the telegram it stands
    for in a telegram's own terms (``dct:date``, ``ck:number``,
    ``schema:sender``, ``schema:recipient``), so that a thread reads
    telegrams and placeholders alike.  Then, once per pair, the citing
    telegram ``cito:repliesTo`` what it answers.  ``earlier``: what the
    texts written before of the same citing telegrams stated (updated): a
    reply one of them stated is not stated again, and the best score of the
    citations leading to each pair so far, which :func:`record_scores`
    writes on the link's record once the last text of those telegrams is
    written (here, when ``earlier`` is not given)."""
    g = _END
    lines: list[str] = []
    add = lines.append
    report = LinkReport(citations=len(decisions))
    score_p, evidence_p, number_p = (f"> <{p}> " for p in (CK.score, CK.evidence, CK.number))
    resolved_p, part_p = (f"> <{p}> <" for p in (CK.resolvedTo, DCTERMS.hasPart))
    sender_p, recipient_p = (f"> <{p}> <" for p in (SCHEMA.sender, SCHEMA.recipient))
    entity_p, position_p = f"> <{CITO.hasCitedEntity}> <", f"> <{SCHEMA.position}> "
    date_p = f"> <{DCTERMS.date}> "
    placeholder = f"> <{CK.placeholder}> \"true\"^^<{XSD.boolean}>{g}"
    integer = f"^^<{XSD.integer}>"
    replies: dict[tuple[str, str], None] = {}
    tops: dict[tuple[str, str], float] = {}  # (citing, target) -> the best score of the citations leading there

    def scored(node: str, score: float, evidence: str) -> str:
        return f"{node}{score_p}{_decimal(score)}{g}{node}{evidence_p}{_lit(evidence)}{g}"

    # each decision's lines in one or a few strings: half the time of one string a line
    for d in decisions:
        cited = d.cited
        citing = cited.citing
        node = f"<{cited.iri}"
        if d.targets:
            report.resolved += 1
            if len(d.targets) == 1:
                (t,) = d.targets
                score = t.score
                add(f"{node}{resolved_p}{t.doc}>{g}{scored(node, score, t.text())}")
                if d.reply:
                    replies[(citing, t.doc)] = None
                if score > tops.get((citing, t.doc), -1.0):
                    tops[(citing, t.doc)] = score
                continue
            # a plural citation: the weakest target's score, each target's evidence
            targets = sorted(d.targets, key=lambda x: x.doc)
            score = min(t.score for t in targets)
            add("".join(f"{node}{resolved_p}{t.doc}>{g}" for t in targets))
            add(scored(node, score, " | ".join(f"{_short(t.doc)}: {t.text()}" for t in targets)))
            for t in targets:
                if d.reply:
                    replies[(citing, t.doc)] = None
                if score > tops.get((citing, t.doc), -1.0):
                    tops[(citing, t.doc)] = score
            continue
        report.placeholders += 1
        report.ambiguous += d.ambiguous
        add(f"{node}{placeholder}")
        for value, precision in cited.dates:
            add(f"{node}{date_p}\"{_canonical_date(value)}\"^^<{DATATYPE[precision]}>{g}")
        if cited.number:
            add(f"{node}{number_p}{_lit(cited.number)}{g}")
        if cited.presumed:
            add(f"{node}{sender_p}{cited.presumed}>{g}")
        if cited.presumed_recipient:
            add(f"{node}{recipient_p}{cited.presumed_recipient}>{g}")
        words = f"placeholder: {d.reason}" + (f"; {SUMMARY_NOTE}" if cited.summary else "")
        score = SUMMARY_FACTOR if cited.summary else 1.0
        add(scored(node, score, words))
        tops[(citing, cited.iri)] = score
        for rank, k in enumerate(d.candidates, 1):
            part = f"<{cited.iri}/candidate/{rank}"
            add(f"{node}{part_p}{part[1:]}>{g}{part}{entity_p}{k.doc}>{g}{part}{position_p}\"{rank}\"{integer}{g}"
                f"{scored(part, k.score, k.text())}")
        if d.reply:
            replies[(citing, cited.iri)] = None
    alone = earlier is None
    earlier = Replies() if earlier is None else earlier
    stated, best = earlier.stated, earlier.best
    for pair, top in tops.items():
        if top > best.get(pair, -1.0):
            best[pair] = top
        if pair in replies and pair not in stated:
            add(f"<{pair[0]}> <{CITO.repliesTo}> <{pair[1]}>{g}")
            stated[pair] = None
            report.links += 1
    if alone:
        lines.extend(record_scores(earlier, iris))
    text = "".join(lines)
    report.quads = text.count("\n")  # a line a triple (a literal's line breaks are escaped)
    return text, report


# ---------------------------------------------------------------------------------------------
# entry points


def source_hashes(store) -> dict[str, str]:
    """Each source graph's sha256, as the store holds them."""
    return dict(_pairs(store, "SELECT ?g ?h WHERE { ?g ck:sha256 ?h }"))


def source_hashes_as(store, expected: dict[str, str]) -> dict[str, str]:
    """:func:`source_hashes`, read as the hash values alone when they are those
    of ``expected`` (graph -> sha256, the facts file's): then ``expected``.

    The store looks each long string up one by one: at 100,000 graphs the
    values alone take 2.1 s, the pairs 5.5.  A store holding the same values
    under other graph names would pass for ``expected``; only a tool moving
    ``ck:sha256`` statements between graphs could make one, and the linker
    reads the graphs' contents, which those values stand for, not their names."""
    if expected:
        values = sorted(row[0] or "" for row in _select(store, "SELECT ?h WHERE { ?g ck:sha256 ?h }"))
        if values == sorted(expected.values()):
            return dict(expected)
    return source_hashes(store)


class _Reading:
    """The corpus built from the facts file, as if its hashes were the store's
    (as they are after every load of cable-kg's), while the store answers for
    the source hashes in a thread (Oxigraph works outside the interpreter
    lock).  At 100,000 telegrams the corpus takes 4-5 s and the hashes 2 s, or
    13 s when the store is not in the page cache (just after a bulk load):
    :func:`relink` goes on with the corpus and waits for the hashes only
    before it writes (see :meth:`check`).  The file is not decoded at all when
    its own hashes and then the store's give ``previous``, the links graph's
    fingerprint: nothing changed (:attr:`unchanged`)."""

    def __init__(self, store, base: str, previous: str | None, pool: ThreadPoolExecutor):
        self.store, self.base, self.previous = store, base, previous
        self.entries: dict[str, tuple[str, Records]] | None = None
        self.file_hashes: dict[str, str] = {}
        self.corpus: Corpus | None = None  # from the file alone, not yet checked
        self.unchanged = False
        self.damaged = False
        file = open_facts(getattr(store, "path", None), base)
        if file is None:
            self._hashing = pool.submit(source_hashes, store)
            return
        with file:
            self.file_hashes = file.hashes()
            self._hashing = pool.submit(source_hashes_as, store, self.file_hashes)
            if previous is not None and fingerprint(store, base, self.file_hashes) == previous \
                    and fingerprint(store, base, self.hashes()) == previous:
                self.unchanged = True
                return
            try:
                self.entries = file.entries()
                if self.entries:
                    self.corpus = Corpus.from_records((found for _, found in self.entries.values()), store, base)
            except DAMAGED_FACTS:  # a damaged cache: the store is read instead
                self.entries, self.file_hashes, self.damaged = None, {}, True

    def hashes(self) -> dict[str, str]:
        """Each source graph's sha256, as the store holds them (waits for them)."""
        return self._hashing.result()

    def answered(self) -> bool:
        """The store has given the hashes."""
        return self._hashing.done()

    def check(self) -> None:
        """Raise :class:`_StaleFacts` unless :attr:`corpus` is the store's."""
        if self.hashes() != self.file_hashes:
            raise _StaleFacts

    def finish(self) -> tuple[dict[str, str], Corpus | None]:
        """The hashes and the corpus as the store has them (the file's records
        where the hashes agree, the store's for the other graphs); no corpus
        when the hashes give ``previous``."""
        hashes = self.hashes()
        if self.unchanged or (self.previous is not None and fingerprint(self.store, self.base, hashes) == self.previous):
            return hashes, None
        if self.corpus is not None and hashes == self.file_hashes:
            return hashes, self.corpus
        self.corpus = None
        if self.damaged:
            return hashes, Corpus.from_store(self.store, self.base)
        return hashes, Corpus.from_store(self.store, self.base, hashes, self.entries)


class _StaleFacts(Exception):
    """The facts file's hashes are not the store's (found before anything was written)."""


def read_corpus(store, base: str, previous: str | None = None) -> tuple[dict[str, str], Corpus | None]:
    """The source graphs' hashes, as the store holds them, and the corpus the
    linker reads; no corpus (None) when the hashes give ``previous``, the links
    graph's fingerprint: nothing changed.  The corpus is built from the facts
    file while the store answers for the hashes, and again only where they
    differ (see :class:`_Reading`)."""
    with ThreadPoolExecutor(1) as pool:
        return _Reading(store, base, previous, pool).finish()


def fingerprint(store, base: str, hashes: dict[str, str] | None = None) -> str:
    """A hash of every source graph's hash, the base and the linker's version."""
    h = hashlib.sha256(f"cable-kg-links {LINK_VERSION} {base}\n".encode())
    for g, sha in sorted((source_hashes(store) if hashes is None else hashes).items()):
        h.update(f"{g} {sha}\n".encode())
    return f"links-{h.hexdigest()}"


def current_fingerprint(store, base: str) -> str | None:
    g = Iris(base).links_graph()
    rows = _select(store, f"SELECT ?id WHERE {{ GRAPH <{g}> {{ <{g}> dct:identifier ?id }} }}")
    return rows[0][0] if rows else None


def stored_lines(store, graph: str) -> set[str]:
    """The graph's triples as canonical N-Triples lines."""
    import pyoxigraph as ox

    triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return {line + "\n" for line in text.split("\n") if line}


def compute_links(store, base: str = DEFAULT_BASE, stamp: str | None = None,
                  hashes: dict[str, str] | None = None) -> tuple[list[str], LinkReport]:
    """Read the store (and the facts file beside it, for the graphs of ``hashes``)
    and decide every citation: the links graph's lines (the fingerprint last) and counts."""
    with _no_cyclic_gc():
        if hashes is None:
            hashes, corpus = read_corpus(store, base)
        else:
            corpus = Corpus.from_store(store, base, hashes)
        assert corpus is not None
        texts, report = decide_and_write(corpus, Iris(base))
    trailer = links_trailer(Iris(base), stamp or fingerprint(store, base, hashes))
    report.quads += len(trailer)
    return [ln for text in texts for ln in text.splitlines(keepends=True)] + trailer, report


@contextmanager
def _no_cyclic_gc():
    # millions of small long-lived objects: the cyclic collector would rescan them over and
    # over (a 10x slowdown at 100,000 telegrams); none of them forms a cycle worth collecting
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _split(citations: list[Cited]) -> list[list[Cited]]:
    """Citations by their citing telegram's part (a stable hash of its IRI)."""
    parts: list[list[Cited]] = [[] for _ in range(PARTS)]
    for x in citations:
        parts[zlib.crc32(x.citing.encode("utf-8")) % PARTS].append(x)
    return parts


def decide_and_write(corpus: Corpus, iris: Iris, timings: dict[str, float] | None = None,
                     sink: Callable[[str], None] | None = None) -> tuple[list[str], LinkReport]:
    """Every citation of ``corpus`` decided, explained and written as N-Triples,
    in :data:`TEXTS` texts (:data:`PARTS` parts of the citing telegrams,
    three times), each handed to ``sink`` as soon as it is written: the bulk
    loader works on one while the next is computed.  Returns the texts and
    counts.

    The steps of :meth:`Linker.run`, in an order that hands the loader its
    first text early: part by part, the citations of the author's own
    telegrams, decided first (they settle ties between additions); then part
    by part the other citations with a date, number or topic; then, once all
    of those are known (they give the bare citations their context), part by
    part the bare citations, each part's text ending with the scores of its
    reply links' records (a record may gather citations from all three of
    its part's texts).  (Deciding everything before writing anything kept
    the loader idle for the first 13 s of 30 at 100,000 telegrams.)"""
    linker = Linker(corpus)
    t0 = time.perf_counter()
    strong, bare = linker.prepare()
    texts: list[str] = []
    report = LinkReport()
    replies = [Replies() for _ in range(PARTS)]  # what each part's texts stated so far

    def write(citations: list[Cited], decided: dict[str, Decision], k: int, last: bool = False) -> None:
        explained = linker.explain([(linker.asked(x), decided[x.iri]) for x in citations])
        text, counts = links_body(explained, iris, replies[k])
        if last:  # the part's records have all their citations now
            scores = record_scores(replies[k], iris)
            text += "".join(scores)
            counts.quads += len(scores)
        texts.append(text)
        if sink is not None:
            sink(text)
        for name in ("citations", "resolved", "placeholders", "ambiguous", "links", "quads"):
            setattr(report, name, getattr(report, name) + getattr(counts, name))

    corpus.fetch_names(linker.names_needed())
    strong_parts = _split(strong)
    with linker.topic_texts(strong):
        decisions: dict[str, Decision] = {}
        additions: set[frozenset[str]] = set()
        for k, part in enumerate(strong_parts):
            own = [x for x in part if x.direction in OWN_DIRECTIONS]
            decided, found = linker.decide_own(own)
            decisions.update(decided)
            additions |= found
            write(own, decided, k)
        t1 = time.perf_counter()
        for k, part in enumerate(strong_parts):
            others = [x for x in part if x.direction not in OWN_DIRECTIONS]
            decided = linker.decide_others(others, additions)
            decisions.update(decided)
            write(others, decided, k)
    t2 = time.perf_counter()
    thread = _Thread.of(decisions, additions)
    for k, part in enumerate(_split(bare)):
        write(part, linker.decide_bare(part, thread), k, last=True)
    if timings is not None:
        timings.update({"own": t1 - t0, "strong": t2 - t1, "bare": time.perf_counter() - t2})
    return texts, report


def _copy_path(store) -> Path | None:
    path = getattr(store, "path", None)
    return Path(f"{path}.links.nt") if path else None


_PART = "# part\n"  # begins each part in the copy (a comment: the copy stays N-Triples)


def _previous_parts(store, graph: str, stamp: str | None) -> list[str] | None:
    """The links graph's parts as last written, from the copy kept beside the
    store, when its fingerprint is the store's (reading millions of quads back
    from the store takes half a minute)."""
    copy = _copy_path(store)
    if copy is None or not stamp or not copy.is_file():
        return None
    text = copy.read_text(encoding="utf-8")
    if not text.startswith(_PART) or not text.endswith(
            f"<{graph}> <{DCTERMS.identifier}> {_lit(stamp)}{_END}"):
        return None
    return text[len(_PART):].split(_PART)


def _keep_copy(store, parts: list[str]) -> None:
    """Write the links graph's parts beside the store (see :func:`_previous_parts`)."""
    copy = _copy_path(store)
    if copy is None:
        return
    try:
        tmp = copy.with_name(copy.name + ".tmp")
        with open(tmp, "wb") as f:
            for part in parts:
                f.write(_PART.encode("utf-8"))
                f.write(part.encode("utf-8"))
        os.replace(tmp, copy)
    except OSError:
        copy.unlink(missing_ok=True)  # no copy: the next run reads the store


class _Loader:
    """Bulk-loads the texts handed to :meth:`put` as they come, in a thread that
    takes, for each load, every text that came while the one before ran (once
    they make ``least`` bytes): few loads when it falls behind (each costs
    about 0.3 s of CPU beyond its quads), an early start when it does not.
    Once :meth:`finish` is called nothing more comes, and a second thread
    shares what is left: each takes half of it.  (At a lower priority than
    the interpreter's thread, the loader fell behind by as much as that thread
    gained: 27.9 s either way at 100,000 telegrams, three runs each; and a
    busy host would starve it.)  ``cpus``: where the first thread and the
    threads its loads start run (see :func:`_cpus_apart`)."""

    def __init__(self, store, graph: str, least: int = 8_000_000, cpus: set[int] | None = None):
        self.store, self.graph, self.cpus = store, graph, cpus
        self.least = least  # bytes: less waits for more (or for the end)
        self.pending: list[bytes] = []
        self.size = 0  # of what is pending
        self.done = False
        self.error: BaseException | None = None
        self.ready = threading.Condition()
        self.threads = [threading.Thread(target=self._run, args=(k == 0,), name=f"cable-kg-links-loader-{k}",
                                         daemon=True) for k in range(2)]
        for t in self.threads:
            t.start()

    def put(self, data: bytes) -> None:
        with self.ready:
            if self.error is not None:
                raise self.error
            self.pending.append(data)
            self.size += len(data)
            self.ready.notify_all()

    def finish(self) -> None:
        """Wait for every text to be loaded (raises what a load raised)."""
        with self.ready:
            self.done = True
            self.ready.notify_all()
        for t in self.threads:
            t.join()
        if self.error is not None:
            raise self.error

    def _take(self, first: bool) -> list[bytes]:
        """The next batch of this thread (empty: no more)."""
        with self.ready:
            while not self.done and not (first and self.pending and self.size >= self.least):
                self.ready.wait()
            if self.error is not None:
                return []
            if not self.done:
                batch, self.pending = self.pending, []
            else:
                half = (len(self.pending) + 1) // 2
                batch, self.pending = self.pending[:half], self.pending[half:]
            self.size -= sum(len(b) for b in batch)
            return batch

    def _run(self, first: bool) -> None:
        try:
            if first and self.cpus:
                os.sched_setaffinity(0, self.cpus)
            while batch := self._take(first):
                self.store.bulk_load_triples(batch[0] if len(batch) == 1 else b"".join(batch), self.graph,
                                             trusted=True)
        except BaseException as e:  # noqa: BLE001 - raised again in the producer's thread
            with self.ready:
                self.error = self.error or e
                self.pending = []
                self.ready.notify_all()


def _cpus_apart() -> tuple[set[int], set[int]] | None:
    """One of the CPUs this thread may run on, for the interpreter's thread, and
    the others, for the loader's (None: one CPU, or no way to choose).  The
    interpreter's thread is the longer task: at 100,000 telegrams, 22.7 s of
    CPU while the loader needs 14.  Sharing two cores with the loader's
    threads, its steps took 25.1 s; apart, 24.4 (linking 25.7-26.0 s against
    26.5-26.6, three runs each of ``benchmarks/bench_relink.py``)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    allowed = os.sched_getaffinity(0)
    if len(allowed) < 2:
        return None
    mine = min(allowed)
    return {mine}, allowed - {mine}


@contextmanager
def _running_on(cpus: set[int] | None):
    """Within: the calling thread runs on ``cpus`` only (None: anywhere it may)."""
    if cpus is None:
        yield
        return
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def _write_first(store, graph: str, write: Callable[[Callable[[str], None]], None], last: Callable[[], str]) -> None:
    """The first links of a large store through the bulk loader: ``write(sink)``
    hands the N-Triples texts to ``sink`` as it computes them, and a
    :class:`_Loader` loads them while the next are computed (the loader does
    not hold the interpreter); ``last()``, the fingerprint's line, after all
    the rest.  The interpreter's thread and the loader's run on CPUs apart
    (see :func:`_cpus_apart`)."""
    copy = _copy_path(store)
    tmp = copy.with_name(copy.name + ".tmp") if copy is not None else None
    apart = _cpus_apart()
    with ExitStack() as stack:
        out = stack.enter_context(open(tmp, "wb")) if tmp is not None else None
        loader = _Loader(store, graph, cpus=apart[1] if apart else None)

        def sink(text: str) -> None:
            data = text.encode("utf-8")
            loader.put(data)
            if out is not None:
                out.write(_PART.encode("utf-8"))
                out.write(data)

        try:
            with _running_on(apart[0] if apart else None):
                write(sink)
        finally:
            loader.finish()
        fingerprint_line = last().encode("utf-8")
        store.bulk_load_triples(fingerprint_line, graph, trusted=True)
        if out is not None:
            out.write(fingerprint_line)
    if tmp is not None:
        os.replace(tmp, copy)


def apply_links(store, graph: str, parts: list[str], previous: str | None = None) -> tuple[int, int]:
    """Make ``graph`` hold exactly the triples of ``parts`` (N-Triples texts, the
    last ending with the fingerprint's line): one update (one transaction) that
    deletes what went and inserts what came.  Only the parts that differ from
    the copy kept beside the store are compared line by line (a quad that
    moved to another part is deleted, then inserted again); without a copy,
    with the store's graph.  ``previous`` is the fingerprint the graph holds now, if
    any.  Returns the quads added and removed."""
    old_parts = _previous_parts(store, graph, previous)
    if old_parts is not None and len(old_parts) == len(parts):
        changed = [(set(o.splitlines(keepends=True)), n) for o, n in zip(old_parts, parts, strict=True) if o != n]
    else:
        changed = [(stored_lines(store, graph), "".join(parts))]
    copy = _copy_path(store)
    if copy is not None:
        copy.unlink(missing_ok=True)  # stale from here until the write is done
    remove: set[str] = set()
    add: list[str] = []
    for old, text in changed:
        new = text.splitlines(keepends=True)
        remove |= old.difference(new)
        add.extend(ln for ln in new if ln not in old)
    if remove or add:
        updates = []
        if remove:
            updates.append(f"DELETE DATA {{ GRAPH <{graph}> {{\n{''.join(sorted(remove))}}} }}")
        if add:
            updates.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(add)}}} }}")
        store.update(" ;\n".join(updates))
    _keep_copy(store, parts)
    return len(add), len(remove)


@_no_cyclic_gc()
def relink(store, base: str = DEFAULT_BASE, force: bool = False) -> LinkReport:
    """Recompute the links graph (``<base>graph/links``) and bring the store to
    it in one transaction; nothing to do when no source graph changed since the
    last run (unless ``force``).  The first links of a large store (more than
    :data:`BULK_CITATIONS` citations, an empty links graph) go through the bulk
    loader instead, while they are computed.

    The work starts from the facts file while the store is asked for the
    source hashes; nothing is written before they are known, and if they are
    not the file's, the work is done again from what the store holds."""
    t0 = time.perf_counter()
    iris = Iris(base)
    previous = current_fingerprint(store, base)
    with ThreadPoolExecutor(1) as pool:
        reading = _Reading(store, base, None if force else previous, pool)
        if reading.corpus is not None:
            def checked_stamp(wait: bool = True) -> str | None:
                if not wait and not reading.answered():
                    return None
                reading.check()
                return fingerprint(store, base, reading.hashes())

            try:
                return _link(store, iris, reading.corpus, checked_stamp, previous, t0)
            except _StaleFacts:
                pass
        hashes, corpus = reading.finish()
        if corpus is None:
            graph = iris.links_graph()
            rows = _select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a cito:repliesTo ?b }} }}")
            return LinkReport(links=int(rows[0][0]) if rows else 0, skipped=True, seconds=time.perf_counter() - t0)
        return _link(store, iris, corpus, lambda wait=True: fingerprint(store, base, hashes), previous, t0)


def _link(store, iris: Iris, corpus: Corpus, stamp_of_sources: Callable[[bool], str | None],
          previous: str | None, t0: float) -> LinkReport:
    """:func:`relink`'s work on ``corpus``.  ``stamp_of_sources(wait)`` gives
    the fingerprint of the store's source graphs, or raises :class:`_StaleFacts`
    if ``corpus`` is not what they hold (without ``wait``: None while the store
    has not answered).  An update is applied only once it is known.  The first
    links of a large store are bulk-loaded meanwhile if the store is slow to
    answer (on a freshly loaded store of 100,000 telegrams it took 11-28 s),
    the fingerprint last, and removed again if the corpus was not the store's."""
    graph = iris.links_graph()
    timings = {"read": time.perf_counter() - t0, "hashes": 0.0}

    def checked_stamp() -> str:
        t = time.perf_counter()
        stamp = stamp_of_sources(True) or ""
        timings["hashes"] = time.perf_counter() - t  # waited for, if the store was slower than the linker
        return stamp

    first = len(corpus.cited) > BULK_CITATIONS and not _has_quads(store, graph)
    if first:
        report = LinkReport()
        stamp = ""
        loading = False

        def write(sink: Callable[[str], None]) -> None:
            nonlocal report

            def sink_when_checked(text: str) -> None:
                nonlocal stamp, loading
                if not stamp:
                    stamp = stamp_of_sources(False) or ""
                loading = True
                sink(text)

            _, report = decide_and_write(corpus, iris, timings, sink_when_checked)
            sink_when_checked("".join(links_trailer(iris, "")[:-1]))

        def last() -> str:
            nonlocal stamp
            stamp = stamp or checked_stamp()
            return links_trailer(iris, stamp)[-1]

        t2 = time.perf_counter()
        try:
            _write_first(store, graph, write, last)
        except _StaleFacts:
            if loading:
                store.remove_graph(graph)  # what was loaded came from a corpus that was not the store's
            raise
        report.added = report.quads = report.quads + len(links_trailer(iris, stamp))
        timings["store"] = time.perf_counter() - t2 - timings["own"] - timings["strong"] - timings["bare"]
    else:
        texts, report = decide_and_write(corpus, iris, timings)
        trailer = links_trailer(iris, checked_stamp())
        t2 = time.perf_counter()
        report.quads += len(trailer)
        report.added, report.removed = apply_links(store, graph, [*texts, "".join(trailer)], previous)
        timings["store"] = time.perf_counter() - t2
    store.flush()
    report.timings = timings
    report.seconds = time.perf_counter() - t0
    return report


def _has_quads(store, graph: str) -> bool:
    return bool(_select(store, f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"))


# ---------------------------------------------------------------------------------------------
# scoring against gold annotations


@dataclass(frozen=True)
class LinkScore(PrecisionRecall):
    """Reply links against gold ``replies_to``, between source files."""

    tp: int
    fp: int
    fn: int
    false_positives: tuple[tuple[str, str], ...] = ()
    false_negatives: tuple[tuple[str, str], ...] = ()

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

    Only files both in the store and in ``gold_dir`` count, on either side of a
    link; a link inside one file (a telegram and one it carries) never counts.
    ``store_or_engine`` is a Store or anything with ``select(sparql) -> Result``.
    """
    select = _engine_select(store_or_engine)
    stem = lambda name: name.rsplit(".", 1)[0]  # noqa: E731
    loaded = {stem(r[0]) for r in select(_FILES) if r[0]}
    gold: dict[str, set[str]] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        if path.stem in loaded:
            data = json.loads(path.read_text(encoding="utf-8"))
            gold[path.stem] = {t.split("#", 1)[0] for t in data.get("replies_to", [])}
    predicted = {(stem(a), stem(b)) for a, b in select(_PAIRS) if a and b and stem(a) != stem(b)}
    predicted = {(a, b) for a, b in predicted if a in gold and b in gold}
    truth = {(a, b) for a, targets in gold.items() for b in targets if b in gold and b != a}
    return LinkScore(len(predicted & truth), len(predicted - truth), len(truth - predicted),
                     tuple(sorted(predicted - truth)), tuple(sorted(truth - predicted)))


def _engine_select(store_or_engine):
    if hasattr(store_or_engine, "select"):
        def select(q):
            res = store_or_engine.select(_PREFIXES + q)
            return [[None if v is None else v.value for v in row] for row in res.rows]
        return select
    return lambda q: _select(store_or_engine, q)


__all__ = ["Corpus", "Decision", "LinkReport", "LinkScore", "Linker", "apply_links", "compute_links", "decide_and_write",
           "gold_link_scores", "relink"]
