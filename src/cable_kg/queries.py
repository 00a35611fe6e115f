"""Saved SPARQL queries: find them, read their headers, bind parameters,
run them on the embedded store or a remote endpoint.

A saved query is a ``.rq`` file whose leading comment says what it is::

    # title: Telegrams
    # description: One row per telegram, embedded ones included.
    # param: id telegram The telegram: an IRI, a record ID or a key
    # param: from date? Earliest date (optional: a ? after the type)

Parameters never touch the query text as text: each value becomes a checked
RDF term (a pyoxigraph NamedNode or Literal, which validate themselves), and
the terms are bound with a ``VALUES`` block at the top of the WHERE clause.
(pyoxigraph's ``substitutions`` join on the projected variable after the
query is evaluated, so a FILTER inside the query would not see them.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import ParameterError, QueryError, TelegramNotFound
from .rdf.namespace import CK, XSD
from .resources import shipped

PREFIXES = {
    "ck": str(CK._NS),
    "schema": "https://schema.org/",
    "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "cito": "http://purl.org/spar/cito/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
}
PARAM_TYPES = ("string", "date", "iri", "integer", "telegram", "person", "place")
_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?P<optional>\?)?\s*(?P<doc>.*)$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    doc: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path | None
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_query_text(name: str, text: str, path: Path | None = None) -> SavedQuery:
    """A query and what its header comment says.

    >>> q = parse_query_text("t", "# title: T\\n# param: from date? Start\\nSELECT ?x WHERE { ?x ?p ?from }")
    >>> q.title, q.params[0]
    ('T', Param(name='from', type='date', optional=True, doc='Start'))
    """
    title, params, examples, desc = "", [], [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip() and not line.upper().startswith("PREFIX"):
                break
            continue
        m = _HEADER.match(line)
        if m:
            key, value = m.group("key"), m.group("value").strip()
            if key == "title":
                title = value
            elif key == "description":
                desc.append(value)
            elif key == "example":
                examples.append(value)
            else:
                p = _PARAM.match(value)
                if not p or p.group("type") not in PARAM_TYPES:
                    raise QueryError(f"{path or name}: bad parameter line: {value!r}")
                params.append(Param(p.group("name"), p.group("type"), bool(p.group("optional")),
                                    p.group("doc").strip()))
        elif desc and line.startswith("#  "):
            desc.append(line[1:].strip())
    return SavedQuery(name, path, text, title, " ".join(desc), tuple(params), tuple(examples))


def query_dir() -> Path:
    return shipped("queries")


def list_queries(folder: Path | None = None) -> list[SavedQuery]:
    folder = folder or query_dir()
    return [load_query(p.stem, folder) for p in sorted(folder.glob("*.rq"))]


def load_query(name_or_file: str, folder: Path | None = None) -> SavedQuery:
    """A saved query by name (``telegrams``) or a path to an ``.rq`` file."""
    path = Path(name_or_file)
    if not (path.suffix == ".rq" and path.is_file()):
        path = (folder or query_dir()) / f"{name_or_file}.rq"
    if not path.is_file():
        names = ", ".join(q.stem for q in sorted((folder or query_dir()).glob("*.rq")))
        raise QueryError(f"no saved query {name_or_file!r} (saved queries: {names})")
    return parse_query_text(path.stem, path.read_text(encoding="utf-8"), path)


# ------------------------------------------------------------------ results

@dataclass(frozen=True)
class Cell:
    """One value of a result row, engine-independent."""

    kind: str  # iri | literal | bnode
    value: str
    datatype: str | None = None
    lang: str | None = None

    def __str__(self) -> str:
        return self.value


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None

    def records(self) -> list[dict[str, str | None]]:
        return [{c: (v.value if v is not None else None) for c, v in zip(self.columns, row)} for row in self.rows]


_XSD_STRING = str(XSD.string)


def cell(term) -> Cell | None:
    """A pyoxigraph term as a cell (dispatched on the exact type: a saved
    query's rows are converted here, at a third of the cost of isinstance)."""
    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode:
        return Cell("iri", term.value)
    if kind is ox.Literal:
        dt = term.datatype.value
        return Cell("literal", term.value, None if dt == _XSD_STRING else dt, term.language)
    return Cell("bnode", str(term))


class Engine(Protocol):
    def select(self, sparql: str) -> Result: ...


class LocalEngine:
    """Queries on the embedded store (union of named graphs)."""

    def __init__(self, store):
        self.store = store

    def select(self, sparql: str) -> Result:
        try:
            solutions = self.store.query(sparql)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except OSError as e:
            raise QueryError(f"query failed: {e}") from None
        if isinstance(solutions, ox.QueryBoolean):
            return Result([], [], bool(solutions))
        if isinstance(solutions, ox.QueryTriples):
            raise QueryError("CONSTRUCT/DESCRIBE queries are not tabular; use the SPARQL endpoint")
        columns = [v.value for v in solutions.variables]
        rows = [[cell(term) for term in sol] for sol in solutions]  # a solution iterates in the columns' order
        return Result(columns, rows)


# ------------------------------------------------------------------ binding

def term_for(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """A checked RDF term for a parameter value, or QueryError."""
    try:
        if param.type in ("iri", "telegram", "person", "place"):
            return ox.NamedNode(value)
        if param.type == "date":
            return ox.Literal(date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(str(XSD.date)))
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(str(XSD.integer)))
        return ox.Literal(value)
    except ValueError as e:
        raise ParameterError(f"parameter {param.name}: {value!r} is not a valid {param.type} ({e})") from None


def bind(query: SavedQuery, terms: dict[str, ox.NamedNode | ox.Literal | None]) -> str:
    """The query text with its parameters bound in a VALUES block.

    >>> q = parse_query_text("t", "# param: x string\\nSELECT ?y WHERE { ?y ?p ?x }")
    >>> print(bind(q, {"x": ox.Literal('a " } UNION { ?s ?p ?o')}))
    # param: x string
    SELECT ?y WHERE { VALUES (?x) { ("a \\" } UNION { ?s ?p ?o") }
     ?y ?p ?x }
    >>> bind(q, {"z": ox.Literal("a")})
    Traceback (most recent call last):
    ...
    cable_kg.errors.QueryError: query t has no parameter z
    """
    names = [p.name for p in query.params]
    unknown = sorted(set(terms) - set(names))
    if unknown:
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)}")
    if not names:
        return query.text
    values = " ".join(str(terms[n]) if terms.get(n) is not None else "UNDEF" for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}\n"
    m = _WHERE.search(_strip_comments(query.text))
    if not m:
        raise QueryError(f"query {query.name}: parameters need a WHERE {{ … }} clause")
    return query.text[: m.end()] + block + query.text[m.end():]


def _strip_comments(text: str) -> str:
    """Comment lines blanked out, keeping offsets."""
    return re.sub(r"(?m)^\s*#.*$", lambda m: " " * len(m.group(0)), text)


def prepare(engine: Engine, query: SavedQuery, params: dict[str, str], base: str | None = None) -> str:
    """Check the parameters given against the query's, resolve telegram ids,
    and bind them."""
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        raise ParameterError(f"query {query.name} has no parameter {', '.join(unknown)}"
                         f" (it takes: {', '.join(p.name for p in query.params) or 'none'})")
    terms: dict[str, ox.NamedNode | ox.Literal | None] = {}
    for p in query.params:
        if p.name not in params:
            if not p.optional:
                raise ParameterError(f"query {query.name} needs parameter {p.name} ({p.doc})")
            terms[p.name] = None
            continue
        value = params[p.name]
        if p.type == "telegram":
            value = resolve_telegram(engine, value, base)
        terms[p.name] = term_for(p, value)
    return bind(query, terms)


def run(engine: Engine, query: SavedQuery, params: dict[str, str] | None = None, base: str | None = None) -> Result:
    """Run a saved query with its parameters bound; parameter columns are
    not part of the result."""
    return engine.select(prepare(engine, query, params or {}, base))


# ------------------------------------------------------------------ telegrams

_NUMBER_DATE = re.compile(r"^(?:No\.?\s*)?(?P<num>[\w/-]+)\s*(?:@|\s+of\s+|\s+)(?P<date>\d{4}-\d{2}-\d{2})$", re.IGNORECASE)

_FIND_BY = {
    "iri": "SELECT DISTINCT ?t WHERE { VALUES (?v) { (%s) } ?t a ck:Document . FILTER(?t = ?v) }",
    "record": "SELECT DISTINCT ?t WHERE { VALUES (?v) { (%s) } ?t ck:recordId ?v }",
    "number": "SELECT DISTINCT ?t WHERE { VALUES (?v) { (%s) } { ?t ck:number ?v } UNION { ?t ck:outgoingNumber ?v }"
              " UNION { ?t ck:headerNumber ?v } }",
    "number_date": "SELECT DISTINCT ?t WHERE { VALUES (?v ?d) { (%s %s) } { ?t ck:number ?v } UNION"
                   " { ?t ck:outgoingNumber ?v } UNION { ?t ck:headerNumber ?v } ?t dct:date ?d }",
}


def _prefixed(body: str) -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + body


def resolve_telegram(engine: Engine, value: str, base: str | None = None) -> str:
    """The IRI of a telegram given as an IRI, a record ID, a key, a number
    with a date (``3410@1951-06-05`` or ``3410 1951-06-05``), or a number.
    Raises TelegramNotFound, or QueryError when a number is ambiguous."""
    value = value.strip()
    candidates: list[str] = []
    if value.startswith(("http://", "https://")):
        candidates = _find(engine, "iri", ox.NamedNode(value))
    elif value.isdigit():
        candidates = _find(engine, "record", ox.Literal(value)) or _find(engine, "number", ox.Literal(value))
    elif (m := _NUMBER_DATE.match(value)):
        d = ox.Literal(m.group("date"), datatype=ox.NamedNode(str(XSD.date)))
        candidates = _find(engine, "number_date", ox.Literal(m.group("num")), d)
    else:
        if base and re.fullmatch(r"[\w.\-]+", value):
            candidates = _find(engine, "iri", ox.NamedNode(f"{base}telegram/{value}"))
        if not candidates:
            candidates = _find(engine, "number", ox.Literal(value))
    if not candidates:
        raise TelegramNotFound(f"no telegram {value!r} in the store")
    if len(candidates) > 1:
        raise QueryError(f"{value!r} matches {len(candidates)} telegrams ({', '.join(candidates[:5])}); "
                         "give an IRI, a record ID or a number with a date")
    return candidates[0]


def _find(engine: Engine, how: str, *terms) -> list[str]:
    q = _prefixed(_FIND_BY[how] % tuple(str(t) for t in terms))
    return sorted({row[0].value for row in engine.select(q).rows if row[0] is not None})


# ------------------------------------------------------------------ output

def format_result(result: Result, fmt: str) -> str:
    """A result as table, csv, tsv or json text."""
    import csv
    import io
    import json

    if result.boolean is not None:
        return json.dumps({"boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if v is None else v.value for v in row])
        return buf.getvalue()
    return table(result.columns, [["" if v is None else v.value for v in row] for row in result.rows])


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], max_width: int = 60) -> str:
    rows = [[_clip(str(v), max_width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_STATS = {
    "telegrams": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Document }",
    "embedded telegrams": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x ck:carriedBy ?c }",
    "persons": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?m ck:denotes ?x . ?x a schema:Person }",
    "places": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?m ck:denotes ?x . ?x a schema:Place }",
    "references": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:CitedTelegram }",
    "reply links": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a cito:repliesTo ?b } }",
    "source files": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a ck:SourceFile } }",
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}


def store_stats(engine: Engine) -> dict[str, int]:
    """Counts of what the store holds."""
    out = {}
    for name, q in _STATS.items():
        rows = engine.select(_prefixed(q)).rows
        out[name] = int(rows[0][0].value) if rows and rows[0][0] is not None else 0
    return out
