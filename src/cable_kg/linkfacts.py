"""What the linker reads of each document, kept beside the store.

The linker needs a few values of every document (date, numbers, parties,
carrier, times, title) and of every cited-telegram node (direction, dates,
numbers, topic).  Read back from Oxigraph they cost about 10 µs each (every
term is looked up in the store's string table): 15-20 s at 100,000
telegrams.  The same values are at hand when a graph is built, so the
pipeline keeps them, as ``(subject, predicate, value)`` rows, in a small
SQLite file beside an on-disk store (``<store>.facts.sqlite``), one entry per
graph with the sha256 that graph carries.

The file is a cache, never the truth: the linker takes a graph's rows only
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
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from .rdf.namespace import CK, DCTERMS, SCHEMA

VERSION = "1"

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
DETAIL_PREDICATES = {str(CK.presumedSender): "psender", str(CK.asWritten): "written"}  # of cited nodes only
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


def pack(rows: list[Row]) -> bytes:
    """Rows as compressed JSON (they repeat their IRIs: a fifth of the size).

    >>> unpack(pack([("http://x/a", "http://x/p", "1")]))
    [['http://x/a', 'http://x/p', '1']]
    """
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"), 1)


def unpack(data: bytes) -> list[Row]:
    """The rows of :func:`pack` (as lists: a tuple apiece would cost a tenth of the read)."""
    return json.loads(zlib.decompress(data))


def matching_rows(entries: dict[str, tuple[str, list[Row]]], hashes: dict[str, str]) -> tuple[list[Row], set[str]]:
    """The rows of the entries (see :meth:`FactsFile.entries`) whose sha256 is
    the one ``hashes`` gives for their graph, and the graphs of ``hashes`` with
    no such entry.

    >>> matching_rows({"g1": ("a", [["s", "p", "1"]]), "g2": ("old", [["s", "p", "2"]])}, {"g1": "a", "g2": "b"})
    ([['s', 'p', '1']], {'g2'})
    """
    rows: list[Row] = []
    found: set[str] = set()
    for graph, (sha, got) in entries.items():
        if hashes.get(graph) == sha:
            rows.extend(got)
            found.add(graph)
    return rows, set(hashes) - found


def facts_path(store_path: Path | None) -> Path | None:
    return Path(f"{store_path}.facts.sqlite") if store_path else None


class FactsFile:
    """The rows of each graph, with the sha256 and base they were built from."""

    def __init__(self, path: Path, base: str):
        self.path = path
        self.base = base
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS facts (graph TEXT PRIMARY KEY, sha256 TEXT, rows BLOB)")
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta != {"version": VERSION, "base": base}:
            with self._db:
                self._db.execute("DELETE FROM facts")
                self._db.execute("DELETE FROM meta")
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", [("version", VERSION), ("base", base)])

    def put(self, entries: Iterable[tuple[str, str, bytes]]) -> None:
        """Store ``(graph, sha256, packed rows)`` entries (see :func:`pack`) in one transaction."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)", entries)

    def hashes(self) -> dict[str, str]:
        """Every graph's sha256, as this file has them (without decoding the rows)."""
        return dict(self._db.execute("SELECT graph, sha256 FROM facts"))

    def entries(self) -> dict[str, tuple[str, list[Row]]]:
        """Every graph's sha256 and rows, as this file has them."""
        return {graph: (sha, unpack(data)) for graph, sha, data in self._db.execute("SELECT graph, sha256, rows FROM facts")}

    def rows(self, hashes: dict[str, str]) -> tuple[list[Row], set[str]]:
        """The rows of the graphs whose sha256 is the one given, and the graphs
        of ``hashes`` that have none here."""
        return matching_rows(self.entries(), hashes)

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
