"""Telegrams, reported events and planned operations in time order, as text,
CSV, JSON or one self-contained HTML page.

A date range goes through the month and year index nodes (``?x ck:month
?m``; ``?x ck:year ?y`` for dates known only to the year): the months of the
range are named (``<base>month/1951-04`` ...), so a range touches only the
items of those months, never a FILTER over every date, and the time taken
grows with the items returned, not with the store (see "reading" below for
how the queries are shaped).
Each item keeps its precision: ``1951-04 (month)`` is April 1951 as a whole,
and an item is in a range when its interval overlaps it.  Operations have no
date of their own: they appear at the dates of the telegrams that discuss
them.  Everything is read through the :class:`~cable_kg.queries.Engine`
protocol.  The HTML page draws each item up to :data:`HTML_LIMIT` items and
groups of them beyond (:func:`group_items`).

>>> Item("1951-04", "month", "event", "e1", "an offensive").when()
'1951-04 (month)'
>>> Item("1951-04", "month", "event", "e1", "x").interval()
(datetime.date(1951, 4, 1), datetime.date(1951, 4, 30))
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import pyoxigraph as ox

from ..errors import QueryError
from ..queries import PREFIXES, Engine, LocalEngine
from ..rdf.build import DEFAULT_BASE

KINDS = ("telegram", "event", "operation")


@dataclass
class Item:
    date: str  # as stored: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS
    precision: str  # year | month | day | minute
    kind: str  # telegram | event | operation
    iri: str
    label: str
    number: str | None = None
    sender: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    operation: str | None = None  # an operation item: its name
    status: str | None = None
    telegram: str | None = None  # an operation item: the telegram that discusses it
    carried_by: str | None = None

    def when(self) -> str:
        d = self.date[:16].replace("T", " ")
        return f"{d} ({self.precision})"

    def interval(self) -> tuple[date, date]:
        y = int(self.date[:4])
        if self.precision == "year" or len(self.date) == 4:
            return date(y, 1, 1), date(y, 12, 31)
        m = int(self.date[5:7])
        if self.precision == "month" or len(self.date) == 7:
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        d = date.fromisoformat(self.date[:10])
        return d, d

    @property
    def people(self) -> list[str]:
        return sorted(set(self.sender) | set(self.recipients) | set(self.actors))


# ------------------------------------------------------------------ reading
#
# Persons, places and the month and year nodes are described once, in the
# authority graph; a document, its events and the operations it discusses are
# described in the document's own graph.  One query per kind (telegrams with
# the operations they discuss, events) returns one row per item: its IRI and
# its facts, grouped (GROUP_CONCAT: each item's IRI is decoded once, not once
# per fact).  The names of the people and places are read once each.  No
# OPTIONAL per fact, no query per item; on the embedded store the rows are
# read as SPARQL TSV, not as Python term objects.
#
# With a range, the items are found through the month and year index nodes of
# the range, told apart by kind by a hash join with all documents (or events)
# -- the index nodes also point at every date mention, and a look-up for each
# would cost more -- and each item's facts are then read in its own graph
# (GRAPH ?g: a keyed look-up, about twice as fast as over the union of the
# graphs), one scan of them, the wanted predicates kept by a FILTER.  Without
# a range, every item is wanted: each predicate is read whole, once, and
# joined by hash with the items, which costs less than a look-up per item.
#
# The shapes are chosen for Oxigraph's planner, which starts from the pattern
# it estimates smallest (by how many of its terms are constants; a VALUES
# block by its rows), joins a triple pattern by a look-up per row and a
# sub-select by hash: a VALUES block of predicates, for one, would be joined
# first, with every fact of the store.

# what each fact is, as a small integer the query binds (no IRI to decode per fact)
_T_DATE, _T_LABEL, _T_NUMBER, _T_CARRIER, _T_SENDER, _T_RECIPIENT, _T_ACTOR, _T_PLACE, _T_MENTION, _T_OP, \
    _T_STATUS = range(11)
_FACTS = {
    "telegram": (("dct:date", _T_DATE), ("rdfs:label", _T_LABEL), ("ck:number", _T_NUMBER),
                 ("ck:carriedBy", _T_CARRIER), ("schema:sender", _T_SENDER), ("schema:recipient", _T_RECIPIENT),
                 ("ck:origin", _T_PLACE), ("ck:destination", _T_PLACE), ("schema:mentions", _T_MENTION)),
    "event": (("ck:date", _T_DATE), ("rdfs:label", _T_LABEL), ("sem:hasActor", _T_ACTOR),
              ("sem:hasPlace", _T_PLACE)),
}
_CLASSES = {"telegram": "ck:Document", "event": "ck:ReportedEvent"}
# where each fact goes in load_timeline's list per item, by its code as read
_SLOTS = ({str(_T_DATE): 0, str(_T_LABEL): 1, str(_T_NUMBER): 2, str(_T_CARRIER): 3},
          {str(_T_SENDER): 4, str(_T_RECIPIENT): 5, str(_T_PLACE): 6, str(_T_MENTION): 6, str(_T_ACTOR): 7})
_OPERATION_CODES = (str(_T_OP), str(_T_STATUS))
_FS, _RS = "\x1f", "\x1e"  # between the parts of a fact, between facts (in GROUP_CONCAT)
_PLACES = "SELECT ?x ?name WHERE { ?x a schema:Place ; schema:name ?name }"
_NAMES = "SELECT ?x ?name WHERE { VALUES ?x { %s } ?x schema:name ?name }"


def _code(pairs: tuple[tuple[str, int], ...]) -> str:
    """IF(?p = a, 0, IF(?p = b, 1, ...)) for (predicate, code) pairs."""
    (pred, code), rest = pairs[0], pairs[1:]
    return str(code) if not rest else f"IF(?p = {pred}, {code}, {_code(rest)})"


def _months(start: date | None, end: date | None) -> tuple[list[str], list[str]]:
    """The months (YYYY-MM) and years (YYYY) a range touches; an open end
    reaches 50 years past the other."""
    lo = start or date(end.year - 50, 1, 1)
    hi = end or date(start.year + 50, 12, 31)
    months, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months, [f"{k:04d}" for k in range(lo.year, hi.year + 1)]


def _facts_query(kind: str, start: date | None, end: date | None, base: str, operations: bool) -> str:
    """The query for the items of a kind in the range (every one when there
    is no range): one row per item, its IRI and its facts, each
    ``code<US>value[<US>value]``, joined by <RS>.  A telegram's mentions are
    kept only where they are places (a hash join with the few places); the
    operations it discusses (``operations``) are read in its graph, with the
    name and the status it gives them."""
    cls, pairs = _CLASSES[kind], _FACTS[kind]
    if start is None and end is None:
        items = f"{{ SELECT ?item ?g WHERE {{ GRAPH ?g {{ ?item a {cls} }} }} }}"
        body = " UNION ".join(f"{{ SELECT ?item ?g ?v ({code} AS ?k) WHERE {{ GRAPH ?g {{ ?item {pred} ?v }} }} }}"
                              for pred, code in pairs)
        if operations:
            body += "".join(
                f" UNION {{ SELECT ?item ?g ?v ?w ({code} AS ?k) WHERE {{ GRAPH ?g {{ ?v ck:discussedIn ?item }}"
                f" {{ SELECT ?v ?g ?w WHERE {{ GRAPH ?g {{ ?v {pred} ?w }} }} }} }} }}"
                for pred, code in (("schema:name", _T_OP), ("ck:status", _T_STATUS)))
        body = f"{{ {body} }}"
    else:
        months, years = _months(start, end)
        nodes = " ".join([f"(ck:month <{base}month/{k}>)" for k in months]
                         + [f"(ck:year <{base}year/{k}>)" for k in years])
        # one VALUES block for both indexes (a UNION of the two is planned far worse)
        items = (f"VALUES (?index ?node) {{ {nodes} }} GRAPH ?g {{ ?item ?index ?node }} "
                 f"{{ SELECT ?item WHERE {{ ?item a {cls} }} }}")
        preds = ", ".join(dict.fromkeys(p for p, _ in pairs))
        body = f"{{ GRAPH ?g {{ ?item ?p ?v }} FILTER(?p IN ({preds})) BIND({_code(pairs)} AS ?k) }}"
        if operations:
            body += (f" UNION {{ GRAPH ?g {{ ?v ck:discussedIn ?item . ?v ?q ?w }}"
                     f" FILTER(?q IN (schema:name, ck:status)) BIND(IF(?q = schema:name, {_T_OP}, {_T_STATUS}) AS ?k) }}")
    if kind == "telegram":
        body += (" OPTIONAL { SELECT ?v (true AS ?place) WHERE { ?v a schema:Place } }"
                 f" FILTER(?k != {_T_MENTION} || BOUND(?place))")
    fact = f'CONCAT(STR(?k), "{_FS}", STR(?v), COALESCE(CONCAT("{_FS}", STR(?w)), ""))'
    return (f'SELECT ?item (GROUP_CONCAT({fact}; separator="{_RS}") AS ?facts) WHERE {{ {items} {body} }}'
            " GROUP BY ?item")


def _prefixed(q: str) -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + q


_ESCAPES = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESC = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _value(t: str) -> str | None:
    """A SPARQL TSV term as its IRI or lexical value (None when unbound).

    >>> _value('<http://x/a>'), _value('"a\\\\"b"@en'), _value('"1951-04"^^<http://x/d>'), _value('3'), _value('')
    ('http://x/a', 'a"b', '1951-04', '3', None)
    """
    if not t:
        return None
    c = t[0]
    if c == "<":
        return t[1:-1]
    if c == '"':
        lex = t[1:t.rfind('"')]
        if "\\" in lex:
            lex = _ESCAPES.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(1) or m.group(2)
                               else _ESC.get(m.group(3), m.group(3)), lex)
        return lex
    return t  # a number or a boolean in its short form, a blank node


def _is_local(engine: Engine) -> bool:
    """Whether the engine is the embedded store as is (not an endpoint, not a
    wrapper of ``select``)."""
    return type(engine).select is LocalEngine.select and getattr(engine, "store", None) is not None


def _select(engine: Engine, sparql: str) -> list[list[str | None]]:
    """The rows of a SELECT as IRIs and lexical values.  On the embedded store
    the result is serialised by the store (SPARQL TSV) and split here, a
    fraction of the cost of a Python object per term; any other engine (an
    endpoint, or one that wraps ``select``) answers through ``select``."""
    text = _prefixed(sparql)
    if _is_local(engine):
        try:
            data = engine.store.query(text).serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except OSError as e:
            raise QueryError(f"query failed: {e}") from None
        lines = data.split("\n")
        return [[_value(t) for t in line.split("\t")] for line in lines[1:] if line]
    return [[c.value if c is not None else None for c in row] for row in engine.select(text).rows]


def _names(engine: Engine, iris: set[str]) -> dict[str, str]:
    """The schema:name of each IRI that has one (the first read, if several)."""
    out: dict[str, str] = {}
    todo = sorted(iris)
    for k in range(0, len(todo), 2000):
        values = " ".join(f"<{i}>" for i in todo[k:k + 2000])
        for x, name in _select(engine, _NAMES % values):
            out.setdefault(x, name)
    return out


def load_timeline(engine: Engine, start: date | None = None, end: date | None = None,
                  person: str | None = None, place: str | None = None,
                  kinds: tuple[str, ...] = KINDS, base: str = DEFAULT_BASE) -> list[Item]:
    """The items between ``start`` and ``end`` (either may be None), in time
    order; ``person`` and ``place`` keep the items naming someone / somewhere
    whose name contains the words given (case does not matter).  ``base`` is
    the base IRI the store was built with (its month nodes are
    ``<base>month/YYYY-MM``).

    The precision of a date is its datatype's (xsd:gYear, xsd:gYearMonth,
    xsd:date, xsd:dateTime), read from its lexical form."""
    wanted = [k for k in ("telegram", "event") if k in kinds or (k == "telegram" and "operation" in kinds)]
    queries = [_PLACES] + [_facts_query(k, start, end, base, k == "telegram" and "operation" in kinds)
                           for k in wanted]
    if _is_local(engine):  # the store answers two queries at once (it lets go of the GIL)
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda q: _select(engine, q), queries))
    else:
        answers = [_select(engine, q) for q in queries]
    places = dict(answers[0])  # IRI -> name; a few hundred at most
    # item -> [date, label, number, carrier, senders, recipients, places, actors, {op: [name, statuses]}]
    facts: dict[str, list] = {}
    kind_of: dict[str, str] = {}
    single, multi = _SLOTS
    for kind, rows in zip(wanted, answers[1:], strict=True):
        for iri, grouped in rows:
            f = facts.get(iri)
            if f is None:
                if iri in kind_of:  # a document that is also an event: the document wins
                    continue
                f = facts[iri] = [None, None, None, None, [], [], [], [], {}]
                kind_of[iri] = kind
            for fact in (grouped or "").split(_RS):
                code, _, v = fact.partition(_FS)
                slot = multi.get(code)
                if slot is not None:
                    f[slot].append(v)
                elif (slot := single.get(code)) is not None:
                    if f[slot] is None:
                        f[slot] = v
                elif code in _OPERATION_CODES:  # an operation discussed: its IRI, its name or a status given it
                    op, _, w = v.partition(_FS)
                    entry = f[8].setdefault(op, [None, set()])
                    if code == _OPERATION_CODES[0]:
                        entry[0] = entry[0] or w
                    else:
                        entry[1].add(w)
                # (anything else: a value with the separators in it, not from cable-kg)
    people = _names(engine, {p for f in facts.values() for lst in (f[4], f[5], f[7]) for p in lst})

    def names(iris: list[str], table: dict[str, str]) -> list[str]:
        return sorted({table[i] for i in iris if i in table}) if iris else []

    items: list[Item] = []
    for iri, f in facts.items():
        when = f[_T_DATE]
        if not when:
            continue
        kind = kind_of[iri]
        it = Item(when, _precision(when), kind, iri, f[_T_LABEL] or "", f[_T_NUMBER], names(f[4], people),
                  names(f[5], people), names(f[7], people), names(f[6], places), carried_by=f[_T_CARRIER])
        if kind in kinds:
            items.append(it)
        if kind == "telegram" and "operation" in kinds:
            for op, (name, statuses) in sorted(f[8].items()):
                if name is None:
                    continue
                status = ", ".join(sorted(statuses)) or None
                items.append(Item(it.date, it.precision, "operation", op,
                                  f"{name}{f' ({status})' if status else ''}: {it.label or it.iri}",
                                  sender=list(it.sender), recipients=list(it.recipients), places=list(it.places),
                                  operation=name, status=status, telegram=it.iri))
    out = items if start is None and end is None else [i for i in items if _in_range(i, start, end)]
    if person:
        want = person.casefold()
        out = [i for i in out if any(want in n.casefold() for n in i.people)]
    if place:
        want = place.casefold()
        out = [i for i in out if any(want in n.casefold() for n in i.places)]
    out.sort(key=lambda i: (i.date, KINDS.index(i.kind), i.label, i.iri, i.telegram or ""))
    return out


def _precision(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "minute")


def _in_range(item: Item, start: date | None, end: date | None) -> bool:
    a, b = item.interval()
    return (start is None or b >= start) and (end is None or a <= end)


# ------------------------------------------------------------------ formats


def _who(i: Item) -> str:
    if i.sender or i.recipients:
        return f"{', '.join(i.sender) or '?'} -> {', '.join(i.recipients) or '?'}"
    return ", ".join(i.actors)


def to_text(items: list[Item]) -> str:
    if not items:
        return "no telegrams, events or operations in that range\n"
    width = max(len(i.when()) for i in items)
    lines = []
    for i in items:
        label = " ".join(i.label.split())
        if len(label) > 90:
            label = label[:89] + "…"
        who = _who(i)
        lines.append(f"{i.when().ljust(width)}  {i.kind:<9}  {label}" + (f"  [{who}]" if who else ""))
    return "\n".join(lines) + f"\n({len(items)} item{'s' if len(items) != 1 else ''})\n"


COLUMNS = ["date", "precision", "kind", "item", "label", "number", "sender", "recipients", "people", "places",
           "operation", "telegram"]


def to_csv(items: list[Item]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for i in items:
        w.writerow([i.date, i.precision, i.kind, i.iri, i.label, i.number or "", "; ".join(i.sender),
                    "; ".join(i.recipients), "; ".join(i.people), "; ".join(i.places), i.operation or "",
                    i.telegram or ""])
    return buf.getvalue()


def to_json(items: list[Item]) -> str:
    return json.dumps([_record(i) for i in items], ensure_ascii=False, indent=2) + "\n"


_FIELDS = ("date", "precision", "kind", "iri", "label", "number", "sender", "recipients", "actors", "places",
           "operation", "status", "telegram", "carried_by")


def _record(i: Item) -> dict:
    """An item as JSON: its fields that have a value, its interval and its people."""
    d = {k: v for k in _FIELDS if (v := getattr(i, k)) not in (None, [], "")}
    a, b = i.interval()
    d["start"], d["end"] = a.isoformat(), b.isoformat()
    if people := i.people:
        d["people"] = people
    return d


# ------------------------------------------------------------------ the page

HTML_LIMIT = 20_000  # items drawn one by one; above it, grouped (see group_items)
_GRAINS = ("day", "month", "year")
_ORDER = {"minute": 0, "day": 0, "month": 1, "year": 2}


def group_items(items: list[Item], limit: int = HTML_LIMIT) -> tuple[list[dict], str | None]:
    """What the page draws: the items themselves when there are at most
    ``limit``; otherwise groups of them, by day, month or year (the finest
    that gives at most ``limit`` groups), one group per kind, lane (the sender
    of a telegram and of the operations it discusses, the actors of an event)
    and operation.  A group keeps the names, places and count of its items,
    so the lanes, the filter box and the zoom still work; a page of 500,000
    items would be hundreds of megabytes that no browser draws.  Returns the
    records and the grain ("day", "month", "year"; None for the items)."""
    if len(items) <= limit:
        return [_record(i) for i in items], None
    groups: dict[tuple, dict] = {}
    for grain in _GRAINS:
        cut = {"day": 10, "month": 7, "year": 4}[grain]
        groups = {}
        for i in items:
            # a group is never finer than its items' dates: a month is not cut into days
            n = min(cut, {"year": 4, "month": 7}.get(i.precision, 10))
            lane = i.actors if i.kind == "event" else i.sender
            key = (i.date[:n], i.kind, tuple(lane), i.operation)
            g = groups.get(key)
            if g is None:
                g = groups[key] = {"count": 0, "recipients": set(), "places": set(), "status": set()}
            g["count"] += 1
            g["recipients"].update(i.recipients)
            g["places"].update(i.places)
            if i.status:
                g["status"].update(i.status.split(", "))
        if len(groups) <= limit:
            break
    out = []
    plural = {"telegram": "telegrams", "event": "events", "operation": "operation mentions"}
    for (when, kind, lane, operation), g in groups.items():
        n = g["count"]
        precision = _precision(when)
        a, b = Item(when, precision, kind, "", "").interval()
        names = ", ".join(lane)
        what = plural[kind] if n != 1 else plural[kind][:-1]
        label = f"{n} {what}" + (f" of {operation}" if operation else "") + (
            f" ({'from ' if kind != 'event' else ''}{names})" if names else "")
        d = {"date": when, "precision": precision, "kind": kind, "label": label, "count": n,
             "start": a.isoformat(), "end": b.isoformat()}
        if lane:
            d["actors" if kind == "event" else "sender"] = list(lane)
        for k in ("recipients", "places", "status"):
            if g[k]:
                d[k] = sorted(g[k]) if k != "status" else ", ".join(sorted(g[k]))
        if operation:
            d["operation"] = operation
        people = sorted(set(lane) | g["recipients"])
        if people:
            d["people"] = people
        out.append(d)
    out.sort(key=lambda d: (d["date"], KINDS.index(d["kind"]), d["label"]))
    return out, grain


def to_html(items: list[Item], title: str = "cable-kg timeline", limit: int = HTML_LIMIT) -> str:
    """One self-contained page (inline CSS and JS, no network) that draws the
    items in lanes (per person, per operation or per kind) on a zoomable axis.
    Above ``limit`` items it draws groups of them (:func:`group_items`) and
    says so."""
    template = resources.files(__package__).joinpath("timeline.html").read_text(encoding="utf-8")
    records, grain = group_items(items, limit)
    data = json.dumps({"items": records, "total": len(items), "grain": grain},
                      ensure_ascii=False, separators=(",", ":"))
    # nothing in the data may close the script element or open a comment
    data = (data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    esc = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return template.replace("__TITLE__", esc).replace("__DATA__", data)


FORMATS = {"text": to_text, "csv": to_csv, "json": to_json, "html": to_html}


def render(items: list[Item], fmt: str) -> str:
    return FORMATS[fmt](items)


__all__ = ["FORMATS", "Item", "load_timeline", "render", "to_csv", "to_html", "to_json", "to_text"]
