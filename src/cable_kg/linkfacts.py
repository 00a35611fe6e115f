"""What the linker reads of each document, kept beside the store.

The linker needs a few values of every document (date, numbers, parties,
carrier, times, title) and of every cited-telegram node (direction, dates,
numbers, topic).  Read back from Oxigraph they cost about 10 µs each (every
term is looked up in the store's string table): 15-20 s at 100,000
telegrams.  The same values are at hand when a graph is built, so the
pipeline keeps them in a small SQLite file beside an on-disk store
(``<store>.facts.sqlite``), one entry per graph with the sha256 that graph
carries: the graph's ``(subject, predicate, value)`` rows grouped by subject
into :func:`records`, the fields the linker builds its documents and
citations from (decoding them and building the corpus takes 4.8 s at
100,000 telegrams; from the rows themselves it took 6.4).

The file is a cache, never the truth: the linker takes a graph's records only
when their sha256 is the one the store holds for that graph (and the file's
version and base IRI are the linker's); every other graph is read from the
store.  Deleting the file costs time, not correctness.

>>> nq = ('<http://x/t> <http://purl.org/dc/terms/date> "1951-06-05"^^<http://www.w3.org/2001/XMLSchema#date> <http://x/g> .\\n'
...       '<http://x/t> <https://schema.org/text> "long text" <http://x/g> .\\n')
>>> rows_from_nquads(nq)
[('http://x/t', 'http://purl.org/dc/terms/date', '1951-06-05')]
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from .rdf.namespace import CK, DCTERMS, SCHEMA

VERSION = "4"

DOC_PREDICATES = {
    str(DCTERMS.date): "date", str(CK.outgoingNumber): "outgoing", str(CK.headerNumber): "header",
    str(CK.titleNumber): "title", str(CK.issuingNumber): "issuing", str(SCHEMA.sender): "sender",
    str(SCHEMA.recipient): "recipient", str(CK.via): "via", str(CK.carriedBy): "carrier",
}
STAMP_PREDICATES = {str(CK.signatureDate): "sent", str(SCHEMA.dateSent): "sent", str(SCHEMA.dateReceived): "received"}
HEAD_PREDICATES = {str(DCTERMS.title): "head", str(DCTERMS.abstract): "head"}
CITED_PREDICATES = {
    str(CK.direction): "direction", str(CK.citedDate): "date", str(CK.citedNumber): "number",
    str(CK.citedIncomingNumber): "incoming", str(CK.topic): "topic",
}
FLAG_PREDICATES = {str(CK.plural): "plural", str(CK.fromSummary): "summary"}  # read only where true
DETAIL_PREDICATES = {str(CK.presumedSender): "psender", str(CK.asWritten): "written",
                     str(CK.presumedRecipient): "precipient"}  # of cited nodes only
# every predicate the linker reads (schema:text, the body, only for a few candidates, from the store)
PREDICATES = (*DOC_PREDICATES, *STAMP_PREDICATES, *HEAD_PREDICATES, *CITED_PREDICATES, *FLAG_PREDICATES,
              *DETAIL_PREDICATES)
_WANTED = frozenset(f"<{p}>" for p in PREDICATES)
_FLAGS = frozenset(f"<{p}>" for p in FLAG_PREDICATES)
_DETAILS = frozenset(f"<{p}>" for p in DETAIL_PREDICATES)

Row = Sequence[str]  # (subject, predicate, value): a tuple, or a list as JSON gives it

_ESCAPES = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESC = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def term_value(t: str) -> str | None:
    """An N-Triples/SPARQL TSV term as its IRI or lexical value.

    >>> term_value('<http://x/a>'), term_value('"a\\\\"b"@en'), term_value('"3"^^<http://x/int>'), term_value('3')
    ('http://x/a', 'a"b', '3', '3')
    """
    if not t:
        return None
    if t[0] == "<":
        return t[1:-1]
    if t[0] == '"':
        lex = t[1:t.rfind('"')]
        if "\\" in lex:
            lex = _ESCAPES.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(1) or m.group(2)
                               else _ESC.get(m.group(3), m.group(3)), lex)
        return lex
    return t  # a number or boolean in its short form


def rows_from_nquads(nquads: str) -> list[Row]:
    """The rows the linker reads, from one graph's N-Quads (as rdf.build writes
    them: one quad a line, single spaces between terms)."""
    out = []
    for line in nquads.splitlines():
        s, p, rest = line.split(" ", 2)
        if p in _WANTED:
            obj = rest[:rest.rstrip(" .").rfind(" <")]
            if p in _FLAGS and not obj.startswith('"true"'):
                continue
            if p in _DETAILS and "/cited/" not in s:  # rdf.build mints cited nodes <telegram>/cited/N
                continue
            out.append((s[1:-1], p[1:-1], term_value(obj) or ""))
    return out


# the fields of a subject's records (see records): a document's, and a cited-telegram node's
DOC_FIELDS = ("dates", "numbers", "senders", "recipients", "via", "carrier", "sent", "received", "heads")
CITED_FIELDS = ("direction", "dates", "number", "incoming", "topic", "plural", "summary", "presumed", "written",
                "presumed_recipient")
_NUMBER_ROLES = ("outgoing", "header", "title", "issuing")
_DOC_FIELD = {"date": "dates", "sender": "senders", "recipient": "recipients", "via": "via", "carrier": "carrier",
              "sent": "sent", "received": "received", "head": "heads"}
_CITED_FIELD = {"direction": "direction", "date": "dates", "number": "number", "incoming": "incoming",
                "topic": "topic", "plural": "plural", "summary": "summary", "psender": "presumed",
                "written": "written", "precipient": "presumed_recipient"}
# predicate -> (table, position, how): how is "add" (to a list), "flag" (true if a row says so),
# "set" (the last value), or a number's role (added to the numbers as [role, value])
_PLACES: dict[str, tuple[str, int, str]] = {}
for _p, _what in (*DOC_PREDICATES.items(), *STAMP_PREDICATES.items(), *HEAD_PREDICATES.items()):
    if _what in _NUMBER_ROLES:
        _PLACES[_p] = ("d", DOC_FIELDS.index("numbers"), _what)
    else:
        _PLACES[_p] = ("d", DOC_FIELDS.index(_DOC_FIELD[_what]), "set" if _what == "carrier" else "add")
for _p, _what in (*CITED_PREDICATES.items(), *FLAG_PREDICATES.items(), *DETAIL_PREDICATES.items()):
    _how = "add" if _what == "date" else "flag" if _what in FLAG_PREDICATES.values() else "set"
    _PLACES[_p] = ("c", CITED_FIELDS.index(_CITED_FIELD[_what]), _how)

Records = dict[str, dict[str, list]]


def records(rows: Iterable[Row]) -> Records:
    """Rows grouped by subject: ``{"d": {subject: [...]}, "c": {subject:
    [...]}}``, a document's values in the order of :data:`DOC_FIELDS`, a cited
    node's in that of :data:`CITED_FIELDS`; lists where a subject may have
    several values (numbers as ``[role, number]``), true/false for the flags,
    else the last value (None: none).  A subject is in "d" if it has any
    document predicate, in "c" if it has any cited-node predicate.

    >>> records([("http://x/t", str(DCTERMS.date), "1951-06-05"), ("http://x/t", str(CK.outgoingNumber), "3410"),
    ...          ("http://x/t/cited/1", str(CK.citedNumber), "12"), ("http://x/t/cited/1", str(CK.plural), "true")])
    {'d': {'http://x/t': [['1951-06-05'], [['outgoing', '3410']], [], [], [], None, [], [], []]}, \
'c': {'http://x/t/cited/1': [None, [], '12', None, None, True, False, None, None, None]}}
    """
    out: Records = {"d": {}, "c": {}}
    docs, cited = out["d"], out["c"]
    for s, p, o in rows:
        place = _PLACES.get(p)
        if place is None:
            continue
        table, k, how = place
        if table == "d":
            rec = docs.get(s)
            if rec is None:
                rec = docs[s] = [[], [], [], [], [], None, [], [], []]
        else:
            rec = cited.get(s)
            if rec is None:
                rec = cited[s] = [None, [], None, None, None, False, False, None, None, None]
        if how == "add":
            rec[k].append(o)
        elif how == "set":
            rec[k] = o
        elif how == "flag":
            rec[k] = rec[k] or o == "true"
        else:
            rec[k].append([how, o])
    return out


def pack(rows: Iterable[Row]) -> bytes:
    """A graph's rows as its :func:`records`, in JSON.  (Not compressed: at
    100,000 telegrams the file is 149 MB instead of 63, and reading it takes
    1.3 s instead of 1.7.)

    >>> unpack(pack([("http://x/t", str(DCTERMS.date), "1951-06-05")]))["d"]
    {'http://x/t': [['1951-06-05'], [], [], [], [], None, [], [], []]}
    """
    return json.dumps(records(rows), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def unpack(data: bytes) -> Records:
    """The records of :func:`pack`."""
    return json.loads(data)


def matching_records(entries: dict[str, tuple[str, Records]], hashes: dict[str, str]) -> tuple[list[Records], set[str]]:
    """The records of the entries (see :meth:`FactsFile.entries`) whose sha256
    is the one ``hashes`` gives for their graph, and the graphs of ``hashes``
    with no such entry.

    >>> matching_records({"g1": ("a", {"d": {}, "c": {}}), "g2": ("old", {})}, {"g1": "a", "g2": "b"})
    ([{'d': {}, 'c': {}}], {'g2'})
    """
    out: list[Records] = []
    found: set[str] = set()
    for graph, (sha, got) in entries.items():
        if hashes.get(graph) == sha:
            out.append(got)
            found.add(graph)
    return out, set(hashes) - found


def facts_path(store_path: Path | None) -> Path | None:
    return Path(f"{store_path}.facts.sqlite") if store_path else None


class FactsFile:
    """The records of each graph, with the sha256 and base they were built from."""

    def __init__(self, path: Path, base: str):
        self.path = path
        self.base = base
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS facts (graph TEXT PRIMARY KEY, sha256 TEXT, rows BLOB)")
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta != {"version": VERSION, "base": base}:
            # another version's records lack fields the linker reads now: the next link
            # reads the store once and writes them again (cable_kg.link.Corpus.from_store)
            with self._db:
                self._db.execute("DELETE FROM facts")
                self._db.execute("DELETE FROM meta")
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", [("version", VERSION), ("base", base)])

    def put(self, entries: Iterable[tuple[str, str, bytes]]) -> None:
        """Store ``(graph, sha256, packed records)`` entries (see :func:`pack`) in one transaction."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)", entries)

    def hashes(self) -> dict[str, str]:
        """Every graph's sha256, as this file has them (without decoding the records)."""
        return dict(self._db.execute("SELECT graph, sha256 FROM facts"))

    def entries(self) -> dict[str, tuple[str, Records]]:
        """Every graph's sha256 and records, as this file has them."""
        return {graph: (sha, unpack(data)) for graph, sha, data in self._db.execute("SELECT graph, sha256, rows FROM facts")}

    def records(self, hashes: dict[str, str]) -> tuple[list[Records], set[str]]:
        """The records of the graphs whose sha256 is the one given, and the
        graphs of ``hashes`` that have none here."""
        return matching_records(self.entries(), hashes)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FactsFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_facts(store_path: Path | None, base: str) -> FactsFile | None:
    """The facts file beside an on-disk store (None in memory, or when it cannot be opened)."""
    path = facts_path(store_path)
    if path is None:
        return None
    try:
        return FactsFile(path, base)
    except sqlite3.Error:
        path.unlink(missing_ok=True)  # a damaged cache: start again
        try:
            return FactsFile(path, base)
        except sqlite3.Error:
            return None
