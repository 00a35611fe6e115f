"""Telegrams, reported events and planned operations in time order, as text,
CSV, JSON or one self-contained HTML page.

A date range goes through the month and year index nodes (``?x ck:month
?m``; ``?x ck:year ?y`` for dates known only to the year): the months of the
range are named (``<base>month/1951-04`` ...), so a range touches only the
items of those months, never a FILTER over every date.
Each item keeps its precision: ``1951-04 (month)`` is April 1951 as a whole,
and an item is in a range when its interval overlaps it.  Operations have no
date of their own: they appear at the dates of the telegrams that discuss
them.  Everything is read through the :class:`~cable_kg.queries.Engine`
protocol.

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
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import resources

import pyoxigraph as ox

from ..queries import PREFIXES, Engine
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
# authority graph; an operation is described in each document that discusses
# it, with the status that document gives: it is read in that document's graph.

_DOCS = """SELECT ?item ?when ?p ?label ?number ?carrier WHERE { %s
    ?item a ck:Document ; dct:date ?when .
    OPTIONAL { ?item ck:datePrecision ?p }
    OPTIONAL { ?item rdfs:label ?label }
    OPTIONAL { ?item ck:number ?number }
    OPTIONAL { ?item ck:carriedBy ?carrier } }"""
_EVENTS = """SELECT ?item ?when ?p ?label WHERE { %s
    ?item a ck:ReportedEvent ; ck:date ?when .
    OPTIONAL { ?item ck:datePrecision ?p }
    OPTIONAL { ?item rdfs:label ?label } }"""
# in a range ?item is bound by the month first; without one, one property at a time
_PEOPLE_IN = """SELECT DISTINCT ?item ?rel ?name WHERE { %s
    ?item ?rel ?person . FILTER(?rel IN (schema:sender, schema:recipient, sem:hasActor))
    ?person schema:name ?name }"""
_PEOPLE_ALL = """SELECT DISTINCT ?item ?name WHERE { %s
    ?item REL ?person . ?person schema:name ?name }"""
_PLACES_IN = """SELECT DISTINCT ?item ?name WHERE { %s
    ?item ?rel ?place . FILTER(?rel IN (ck:origin, ck:destination, sem:hasPlace, schema:mentions))
    ?place a schema:Place ; schema:name ?name }"""
_PLACES_ALL = """SELECT DISTINCT ?item ?name WHERE { %s
    ?item REL ?place . ?place a schema:Place ; schema:name ?name }"""
_OPERATIONS = """SELECT ?item ?op ?name ?status WHERE { %s
    GRAPH ?g { ?op ck:discussedIn ?item ; schema:name ?name .
    OPTIONAL { ?op ck:status ?status } } }"""
_PEOPLE_RELS = ("schema:sender", "schema:recipient", "sem:hasActor")
_PLACE_RELS = ("ck:origin", "ck:destination", "sem:hasPlace", "schema:mentions")


def _scopes(start: date | None, end: date | None, base: str) -> list[str]:
    """Patterns that bind ?item, in its graph, through the month index nodes of
    the range (and the year nodes, for dates known only to the year); none when
    there is no range."""
    if start is None and end is None:
        return []
    lo = start or date(end.year - 50, 1, 1)
    hi = end or date(start.year + 50, 12, 31)
    months, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        months.append(f"<{base}month/{y:04d}-{m:02d}>")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    years = " ".join(f"<{base}year/{k:04d}>" for k in range(lo.year, hi.year + 1))
    return [f"VALUES ?m {{ {' '.join(months)} }} ?item ck:month ?m .",
            f"VALUES ?y {{ {years} }} ?item ck:year ?y ."]


def _prefixed(q: str) -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + q


def _rows(engine: Engine, scopes: list[str], ranged: str, whole: str | None = None,
          rels: tuple[str, ...] = (), items: list[str] | None = None) -> list[dict]:
    """Rows of a query for the items of the scopes; with ``items`` (already
    found), for those, in VALUES batches, not walking the index again."""
    out = []
    if items is not None and scopes:
        for k in range(0, len(items), 400):
            values = " ".join(str(ox.NamedNode(i)) for i in items[k:k + 400])
            out.extend(engine.select(_prefixed(ranged % f"VALUES ?item {{ {values} }}")).records())
        return out
    if not scopes:
        if whole is None:
            return [r for r in engine.select(_prefixed(ranged % "")).records()]
        for rel in rels:
            for r in engine.select(_prefixed(whole.replace("REL", rel) % "")).records():
                r["rel"] = rel
                out.append(r)
        return out
    for scope in scopes:
        out.extend(engine.select(_prefixed(ranged % scope)).records())
    return out


def load_timeline(engine: Engine, start: date | None = None, end: date | None = None,
                  person: str | None = None, place: str | None = None,
                  kinds: tuple[str, ...] = KINDS, base: str = DEFAULT_BASE) -> list[Item]:
    """The items between ``start`` and ``end`` (either may be None), in time
    order; ``person`` and ``place`` keep the items naming someone / somewhere
    whose name contains the words given (case does not matter).  ``base`` is
    the base IRI the store was built with (its month nodes are
    ``<base>month/YYYY-MM``)."""
    scopes = _scopes(start, end, base)
    items: dict[str, Item] = {}
    rows = [("telegram", r) for r in _rows(engine, scopes, _DOCS)]
    rows += [("event", r) for r in _rows(engine, scopes, _EVENTS)]
    for kind, r in rows:
        iri = r["item"]
        if iri in items or not r["when"]:
            continue
        p = r.get("p") or ""
        precision = p.rsplit("#", 1)[-1].replace("Precision", "").lower() or _precision(r["when"])
        items[iri] = Item(r["when"], precision, kind, iri, r.get("label") or "", r.get("number"),
                          carried_by=r.get("carrier"))
    found = sorted(items)
    for r in _rows(engine, scopes, _PEOPLE_IN, _PEOPLE_ALL, _PEOPLE_RELS, found):
        it = items.get(r["item"])
        if it is None:
            continue
        rel = r["rel"].rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        target = {"sender": it.sender, "recipient": it.recipients}.get(rel, it.actors)
        if r["name"] not in target:
            target.append(r["name"])
    for r in _rows(engine, scopes, _PLACES_IN, _PLACES_ALL, _PLACE_RELS, found):
        it = items.get(r["item"])
        if it is not None and r["name"] not in it.places:
            it.places.append(r["name"])
    ops: list[Item] = []
    if "operation" in kinds:
        discussed: dict[tuple[str, str], tuple[str, set[str]]] = {}
        for r in _rows(engine, scopes, _OPERATIONS, items=[i for i in found if items[i].kind == "telegram"]):
            if r["item"] in items and items[r["item"]].kind == "telegram":
                name, statuses = discussed.setdefault((r["item"], r["op"]), (r["name"], set()))
                if r.get("status"):
                    statuses.add(r["status"])
        for (item, op), (name, statuses) in sorted(discussed.items()):
            tg = items[item]
            status = ", ".join(sorted(statuses)) or None
            ops.append(Item(tg.date, tg.precision, "operation", op,
                            f"{name}{f' ({status})' if status else ''}: {tg.label or tg.iri}",
                            sender=list(tg.sender), recipients=list(tg.recipients), places=list(tg.places),
                            operation=name, status=status, telegram=tg.iri))
    out = [i for i in list(items.values()) + ops if i.kind in kinds]
    out = [i for i in out if _in_range(i, start, end)]
    if person:
        want = person.casefold()
        out = [i for i in out if any(want in n.casefold() for n in i.people)]
    if place:
        want = place.casefold()
        out = [i for i in out if any(want in n.casefold() for n in i.places)]
    for i in out:
        i.sender.sort()
        i.recipients.sort()
        i.actors.sort()
        i.places.sort()
    out.sort(key=lambda i: (i.date, KINDS.index(i.kind), i.label, i.iri))
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


def _record(i: Item) -> dict:
    d = asdict(i)
    a, b = i.interval()
    d["start"], d["end"], d["people"] = a.isoformat(), b.isoformat(), i.people
    return {k: v for k, v in d.items() if v not in (None, [], "")}


def to_html(items: list[Item], title: str = "cable-kg timeline") -> str:
    """One self-contained page (inline CSS and JS, no network) that draws the
    items in lanes (per person, per operation or per kind) on a zoomable axis."""
    template = resources.files(__package__).joinpath("timeline.html").read_text(encoding="utf-8")
    data = json.dumps([_record(i) for i in items], ensure_ascii=False, separators=(",", ":"))
    # nothing in the data may close the script element or open a comment
    data = (data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    esc = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return template.replace("__TITLE__", esc).replace("__DATA__", data)


FORMATS = {"text": to_text, "csv": to_csv, "json": to_json, "html": to_html}


def render(items: list[Item], fmt: str) -> str:
    return FORMATS[fmt](items)


__all__ = ["FORMATS", "Item", "load_timeline", "render", "to_csv", "to_html", "to_json", "to_text"]
