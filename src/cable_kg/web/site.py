"""The linked-data site over a store snapshot: which IRIs exist, what each
one's RDF document holds, and the data of each HTML page.  Shared by the
HTTP app (:mod:`.app`) and the static site (:mod:`cable_kg.publish`).

Every IRI under the base is a resource; its *documents* are the same path
plus an extension (``telegram/x.html``, ``.ttl``, ``.nt``, ``.jsonld``,
``.rdf``).  Only our own, bounded queries run here (in the HTTP process);
SPARQL from clients goes to the worker pool.

The snapshot never changes while it is served, so whatever is computed
from it (the timeline, the counts, rendered pages) is computed once.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from ..queries import PREFIXES, Cell, LocalEngine, Result
from ..rdf.namespace import CK, SCHEMA
from .negotiate import RDF_FORMATS

_PREFIX = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
INBOUND_LIMIT = 2000
TURTLE_PREFIXES = {**PREFIXES, "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#"}

# properties shown in a telegram's header, in this order, with their names
HEADER_FACTS = [
    ("dct:title", "Title"), ("ck:documentType", "Type"), ("dct:date", "Date"), ("ck:number", "Number"),
    ("ck:titleNumber", "Number in title"), ("ck:headerNumber", "Header number"),
    ("ck:outgoingNumber", "Outgoing number"), ("ck:issuingNumber", "Issuing number"),
    ("schema:sender", "From"), ("schema:recipient", "To"), ("ck:via", "Via"), ("ck:copyTo", "Copies to"),
    ("ck:origin", "Origin"), ("ck:destination", "Destination"), ("schema:dateSent", "Sent"),
    ("schema:dateReceived", "Received"), ("ck:decipheredAt", "Deciphered"), ("ck:typedAt", "Typed"),
    ("ck:signatureDate", "Signed"), ("ck:urgency", "Urgency"), ("ck:classification", "Classification"),
    ("ck:issuingOffice", "Issuing office"), ("ck:protocol", "Protocol"), ("ck:salutation", "Salutation"),
    ("ck:complimentaryClose", "Complimentary close"), ("ck:closingInstruction", "Closing instruction"), ("ck:conveys", "Conveys"), ("ck:carriedBy", "Carried by"),
    ("ck:summary", "Summary"), ("ck:recordId", "Record ID"), ("dct:bibliographicCitation", "Archive citation"),
    ("ck:archive", "Archive"), ("ck:archiveType", "Archive type"), ("ck:uploadedDate", "Uploaded"),
    ("dct:language", "Language"), ("dct:rights", "Rights"), ("ck:sourceFile", "Source file"),
]
HIDDEN = {"schema:text", "rdfs:label", "rdf:type", "schema:mentions", "cito:cites", "cito:repliesTo",
          "ck:textStart", "ck:textEnd", "ck:datePrecision", "ck:month", "ck:year", "dct:abstract",
          "dct:identifier", "ck:fond", "ck:opis", "ck:delo", "ck:listy", "ck:copyAllocation", "ck:embeddedOrder"}

KIND_OF_TYPE = {
    str(CK.Document): "telegram", str(SCHEMA.Person): "person", str(SCHEMA.Place): "place",
    str(CK.MilitaryUnit): "unit", str(CK.PlannedOperation): "operation", str(CK.Month): "month",
    str(CK.Year): "year", str(CK.SourceFile): "source", str(CK.Mention): "mention",
    str(CK.CitedTelegram): "citation", str(CK.ReportedEvent): "event", str(CK.Objective): "objective",
    str(CK.CopyAllocation): "copy",
}
KIND_ORDER = ["telegram", "person", "place", "unit", "operation", "month", "year", "source", "citation", "event",
              "objective", "mention", "copy"]

MENTION_KIND = {  # CSS class of a highlighted span, by what its mention denotes, else by role
    "person": "person", "place": "place", "unit": "unit", "operation": "operation", "objective": "operation",
    "event": "event",
}
DATE_ROLES = {"date", "signature date", "sent", "received", "deciphered", "typed"}
PERSON_ROLES = {"author", "co-author", "addressee", "via", "copy", "signatory", "co-signatory", "mentioned person"}
PLACE_ROLES = {"origin", "destination", "mentioned place"}


def short_name(prop: str) -> str:
    """``https://schema.org/sender`` -> ``schema:sender``."""
    for k, v in TURTLE_PREFIXES.items():
        if prop.startswith(v):
            return f"{k}:{prop[len(v):]}"
    return prop


def full_name(curie: str) -> str:
    k, _, local = curie.partition(":")
    return TURTLE_PREFIXES[k] + local


@dataclass
class Value:
    """One value on a page: text, and where it links (an IRI) if anywhere."""

    text: str
    iri: str | None = None
    local: bool = False
    datatype: str | None = None

    @property
    def is_link(self) -> bool:
        return self.iri is not None


@dataclass
class Span:
    start: int
    end: int
    kind: str  # person | place | unit | operation | event | date | citation | fact
    label: str  # what the tooltip says
    iri: str | None  # the linked resource
    mention: str  # the mention's own IRI
    role: str = ""


@dataclass
class Page:
    template: str
    iri: str
    title: str
    kind: str
    data: dict = field(default_factory=dict)


class Site:
    """Resources and pages of one store (read-only snapshot) under ``base``."""

    def __init__(self, store, base: str, title: str = "cable-kg"):
        self.store = store
        self.base = base
        self.title = title
        self.engine = LocalEngine(store)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ IRIs and paths
    def iri_for(self, path: str) -> str | None:
        """The IRI a request path (``telegram/x``, no leading slash) names."""
        try:
            return ox.NamedNode(self.base + path).value
        except ValueError:
            return None

    def local(self, iri: str) -> str | None:
        """The site path of an IRI under the base (``telegram/x``), else None."""
        if iri.startswith(self.base) and len(iri) > len(self.base) and "#" not in iri:
            return iri[len(self.base):]
        return None

    def select(self, body: str) -> Result:
        return self.engine.select(_PREFIX + body)

    def exists(self, iri: str) -> bool:
        node = _node(iri)
        if node is None:
            return False
        return bool(self.store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}",))

    def types(self, iri: str) -> list[str]:
        return [r[0].value for r in self.select(f"SELECT DISTINCT ?t WHERE {{ {_node(iri)} a ?t }}").rows]

    def kind(self, iri: str, types: list[str] | None = None) -> str:
        kinds = {KIND_OF_TYPE[t] for t in (types if types is not None else self.types(iri)) if t in KIND_OF_TYPE}
        for k in KIND_ORDER:
            if k in kinds:
                return k
        return "resource"

    def resources(self) -> list[str]:
        """Every IRI under the base that is the subject of a triple."""
        rows = self.store.query(
            f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{_esc(self.base)}")) }}')
        return sorted({r[0].value for r in rows if self.local(r[0].value)})

    # ------------------------------------------------------------ RDF documents
    def triples(self, iri: str) -> list[ox.Triple]:
        """The resource's document: its own triples, those of the resources
        minted under its IRI (mentions, citations, copies, events,
        objectives), up to INBOUND_LIMIT triples pointing at it, and the
        labels of everything these name."""
        node = ox.NamedNode(iri)
        out: dict[ox.Triple, None] = {}
        for r in self.store.query(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}"):
            out[ox.Triple(node, r["p"], r["o"])] = None
        prefix = _esc(iri + "/")
        children = self.store.query(
            f'SELECT DISTINCT ?c WHERE {{ {{ {node} ?p ?c }} UNION {{ ?c ?p {node} }} '
            f'FILTER(isIRI(?c) && STRSTARTS(STR(?c), "{prefix}")) }}')
        kids = [r["c"] for r in children]
        for i in range(0, len(kids), 500):
            values = " ".join(str(k) for k in kids[i:i + 500])
            for r in self.store.query(f"SELECT ?c ?p ?o WHERE {{ VALUES ?c {{ {values} }} ?c ?p ?o }}"):
                out[ox.Triple(r["c"], r["p"], r["o"])] = None
        for r in self.store.query(f'SELECT ?s ?p WHERE {{ ?s ?p {node} FILTER(!isIRI(?s) || '
                                  f'!STRSTARTS(STR(?s), "{prefix}")) }} LIMIT {INBOUND_LIMIT}'):
            out[ox.Triple(r["s"], r["p"], node)] = None
        named = {t.object for t in out if isinstance(t.object, ox.NamedNode)} | \
                {t.subject for t in out if isinstance(t.subject, ox.NamedNode)}
        named.discard(node)
        named = [n for n in named if str(n) not in {str(k) for k in kids}]
        label = ox.NamedNode(full_name("rdfs:label"))
        for i in range(0, len(named), 500):
            values = " ".join(str(n) for n in named[i:i + 500])
            for r in self.store.query(f"SELECT ?r ?l WHERE {{ VALUES ?r {{ {values} }} ?r {label} ?l }}"):
                out[ox.Triple(r["r"], label, r["l"])] = None
        return list(out)

    def rdf(self, iri: str, media: str) -> bytes:
        fmt = RDF_FORMATS[media]
        triples = _grouped(self.triples(iri))
        if fmt == ox.RdfFormat.TURTLE:
            return ox.serialize(triples, format=fmt, prefixes=TURTLE_PREFIXES)
        return ox.serialize(triples, format=fmt)

    # ------------------------------------------------------------ shared, computed once
    @cached_property
    def timeline(self) -> list:
        try:
            from ..views.timeline import load_timeline
        except ImportError:  # pragma: no cover - the views package ships with cable-kg
            return []
        return load_timeline(self.engine)

    @cached_property
    def telegram_order(self) -> list[tuple[str, str, str]]:
        """(iri, date, label) of every dated telegram, in time order."""
        rows = self.select("SELECT ?t ?d ?l WHERE { ?t a ck:Document ; dct:date ?d . OPTIONAL { ?t rdfs:label ?l } }"
                           " ORDER BY ?d ?t").rows
        return [(r[0].value, r[1].value, r[2].value if r[2] else r[0].value) for r in rows]

    @cached_property
    def months(self) -> set[str]:
        return {r[0].value for r in self.select("SELECT ?m WHERE { ?m a ck:Month }").rows}

    @cached_property
    def stats(self) -> dict[str, int]:
        from ..queries import store_stats

        return store_stats(self.engine)

    @cached_property
    def telegrams(self) -> Result:
        from ..queries import load_query

        return self.engine.select(load_query("telegrams").text)

    def saved(self, name: str) -> Result:
        from ..queries import load_query, run

        return run(self.engine, load_query(name), {}, self.base)

    # ------------------------------------------------------------ pages
    def page(self, iri: str) -> Page | None:
        types = self.types(iri)
        kind = self.kind(iri, types)
        if kind == "telegram":
            return self.telegram_page(iri, types)
        if kind in ("person", "place", "unit", "operation"):
            return self.entity_page(iri, kind, types)
        if kind in ("month", "year"):
            return self.period_page(iri, kind, types)
        if not types and not self.exists(iri):
            return None
        return self.resource_page(iri, kind, types)

    def _properties(self, iri: str) -> dict[str, list[Value]]:
        props: dict[str, list[Value]] = defaultdict(list)
        rows = self.select(f"SELECT ?p ?o (SAMPLE(?lab) AS ?label) WHERE {{ {_node(iri)} ?p ?o "
                           f"OPTIONAL {{ ?o rdfs:label ?lab }} }} GROUP BY ?p ?o ORDER BY ?p ?o").rows
        for p, o, label in rows:
            props[short_name(p.value)].append(self._value(o, label))
        return props

    def _value(self, term, label=None) -> Value:
        if term.kind == "iri":
            text = label.value if label is not None else (self.local(term.value) or term.value)
            return Value(text, term.value, self.local(term.value) is not None)
        return Value(term.value, datatype=term.datatype)

    def _inbound(self, iri: str, limit: int = 200) -> list[tuple[Value, str]]:
        rows = self.select(f"SELECT ?s ?p (SAMPLE(?lab) AS ?label) WHERE {{ ?s ?p {_node(iri)} "
                           f"OPTIONAL {{ ?s rdfs:label ?lab }} }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {limit}").rows
        return [(self._value(s, label), short_name(p.value)) for s, p, label in rows]

    def _label(self, iri: str, props: dict[str, list[Value]]) -> str:
        for key in ("schema:name", "dct:title", "rdfs:label", "ck:asWritten", "ck:fileName"):
            if props.get(key):
                return props[key][0].text
        return self.local(iri) or iri

    def telegram_page(self, iri: str, types: list[str]) -> Page:
        node = _node(iri)
        props = self._properties(iri)
        facts = [(name, props[key]) for key, name in HEADER_FACTS if props.get(key)]
        known = {k for k, _ in HEADER_FACTS} | HIDDEN
        facts += [(k, v) for k, v in sorted(props.items()) if k not in known]
        doc_types = sorted(short_name(t).split(":", 1)[1] for t in types
                           if t.startswith(str(CK._NS)) and not t.endswith("#Document"))
        # the page text, and the window of it that this telegram covers
        src = self.select(f"SELECT ?content ?start ?end ?carrier WHERE {{ {node} ck:sourceFile ?f . "
                          f"?f ck:content ?content . OPTIONAL {{ {node} ck:textStart ?start ; ck:textEnd ?end }} "
                          f"OPTIONAL {{ {node} ck:carriedBy ?carrier }} }}").rows
        content, window = "", (0, 0)
        spans = self.spans(iri)
        if src:
            content = src[0][0].value
            window = (0, len(content))
            if src[0][3] is not None and src[0][1] is not None:  # embedded: its own part of the page
                lo = min([int(src[0][1].value)] + [s.start for s in spans])
                hi = max([int(src[0][2].value)] + [s.end for s in spans])
                window = (lo, hi)
        named = self.named_in_text(spans)
        embedded = [self._value(r[0], r[1]) for r in self.select(
            f"SELECT ?e ?l WHERE {{ ?e ck:carriedBy {node} OPTIONAL {{ ?e rdfs:label ?l }} }} ORDER BY ?e").rows]
        citations = self.citations(iri)
        thread = self.thread(iri)
        position = self.position(iri)
        title = props["dct:title"][0].text if props.get("dct:title") else self._label(iri, props)
        return Page("telegram.html", iri, title, "telegram", {
            "facts": facts, "types": doc_types, "content": content, "window": window, "spans": spans,
            "named": named, "embedded": embedded, "citations": citations, "thread": thread,
            "position": position, "summary": props.get("ck:summary", [None])[0],
        })

    def spans(self, iri: str) -> list[Span]:
        """Highlightable spans over the page text: this telegram's mentions
        and citations, and those of the telegrams it carries."""
        node = _node(iri)
        rows = self.select(f"""SELECT ?m ?start ?end ?role ?written ?target (SAMPLE(?tl) AS ?tlabel)
               (GROUP_CONCAT(DISTINCT STR(?tt); separator=" ") AS ?ttypes) (SAMPLE(?v) AS ?value)
               (SAMPLE(?mo) AS ?month) WHERE {{
          {{ BIND({node} AS ?doc) }} UNION {{ ?doc ck:carriedBy {node} }}
          ?m ck:inDocument ?doc ; ck:start ?start ; ck:end ?end ; ck:role ?role ; ck:asWritten ?written .
          OPTIONAL {{ ?m ck:denotes ?target OPTIONAL {{ ?target rdfs:label ?tl }} OPTIONAL {{ ?target a ?tt }} }}
          OPTIONAL {{ ?m ck:value ?v }}
          OPTIONAL {{ ?m ck:month ?mo }}
        }} GROUP BY ?m ?start ?end ?role ?written ?target""").rows
        spans = []
        for m, start, end, role, written, target, tlabel, ttypes, value, month in rows:
            if target is None and role.value in DATE_ROLES:  # a date links to its month
                iso = value.value if value is not None else ""
                guess = f"{self.base}month/{iso[:7]}" if len(iso) >= 7 else None
                target = month if month is not None else (Cell("iri", guess) if guess in self.months else None)
            kinds = {KIND_OF_TYPE.get(t) for t in (ttypes.value.split() if ttypes else [])}
            kind = next((MENTION_KIND[k] for k in ("person", "place", "unit", "operation", "objective", "event")
                         if k in kinds), None)
            r = role.value
            if kind is None:
                kind = ("date" if r in DATE_ROLES else "person" if r in PERSON_ROLES
                        else "place" if r in PLACE_ROLES else "fact")
            label = f"{r}: {tlabel.value if tlabel else (value.value if value else written.value)}"
            spans.append(Span(int(start.value), int(end.value), kind, label,
                              target.value if target else None, m.value, r))
        for c in self.citations(iri, with_embedded=True):
            if c["start"] is None:
                continue
            target = c["target"] or c["iri"]
            spans.append(Span(c["start"], c["end"], "citation", f"cites: {c['target_label'] or c['text']}",
                              target, c["iri"], "citation"))
        spans.sort(key=lambda s: (s.start, -s.end))
        return spans

    def citations(self, iri: str, with_embedded: bool = False) -> list[dict]:
        node = _node(iri)
        docs = f"{{ BIND({node} AS ?doc) }} UNION {{ ?doc ck:carriedBy {node} }}" if with_embedded \
            else f"BIND({node} AS ?doc)"
        rows = self.select(f"""SELECT ?c ?start ?end ?text ?dir (SAMPLE(?t) AS ?target) (SAMPLE(?tl) AS ?tlabel)
               (SAMPLE(?ph) AS ?placeholder) WHERE {{
          {docs}
          ?doc cito:cites ?c . ?c ck:asWritten ?text .
          OPTIONAL {{ ?c ck:start ?start ; ck:end ?end }}
          OPTIONAL {{ ?c ck:direction ?d BIND(LCASE(STRAFTER(STR(?d), "#")) AS ?dir) }}
          OPTIONAL {{ ?c ck:resolvedTo ?t OPTIONAL {{ ?t rdfs:label ?tl }} }}
          OPTIONAL {{ ?c ck:placeholder ?ph }}
        }} GROUP BY ?c ?start ?end ?text ?dir ORDER BY ?start""").rows
        return [{"iri": c.value, "start": int(s.value) if s else None, "end": int(e.value) if e else None,
                 "text": t.value, "direction": d.value if d else "", "target": tg.value if tg else None,
                 "target_label": tl.value if tl else None, "placeholder": bool(ph and ph.value == "true")}
                for c, s, e, t, d, tg, tl, ph in rows]

    @staticmethod
    def named_in_text(spans: list[Span]) -> dict[str, list[tuple[str, str | None, int]]]:
        """Distinct things the text names, by kind: (label, iri, times)."""
        out: dict[str, dict[tuple[str, str | None], int]] = defaultdict(lambda: defaultdict(int))
        for s in spans:
            if s.kind in ("person", "place", "unit", "operation", "event", "date"):
                label = s.label.split(": ", 1)[1] if ": " in s.label else s.label
                out[s.kind][(label, s.iri)] += 1
        order = ["person", "place", "unit", "operation", "event", "date"]
        return {k: sorted(((lab, iri, n) for (lab, iri), n in out[k].items()), key=lambda x: x[0].casefold())
                for k in order if k in out}

    def thread(self, iri: str):
        """The reply thread (views.thread) or None when there is none."""
        try:
            from ..views.thread import load_thread
        except ImportError:  # pragma: no cover
            return None
        t = load_thread(self.engine, iri)
        return t if t.edges else None

    def position(self, iri: str) -> dict | None:
        """Where the telegram sits in time: its neighbours and the months."""
        order = self.telegram_order
        index = next((i for i, (t, _, _) in enumerate(order) if t == iri), None)
        if index is None:
            return None
        months: dict[str, int] = defaultdict(int)
        for _, d, _ in order:
            months[d[:7]] += 1
        return {"index": index, "count": len(order), "date": order[index][1],
                "before": [(t, d, lab) for t, d, lab in order[max(0, index - 3):index]],
                "after": [(t, d, lab) for t, d, lab in order[index + 1:index + 4]],
                "months": sorted(months.items()), "month": order[index][1][:7]}

    def entity_page(self, iri: str, kind: str, types: list[str]) -> Page:
        node = _node(iri)
        props = self._properties(iri)
        rows = self.select(f"""SELECT ?t (SAMPLE(?d) AS ?date) (SAMPLE(?l) AS ?label)
               (GROUP_CONCAT(DISTINCT ?role; separator=", ") AS ?roles) WHERE {{
          {{ ?t schema:sender {node} BIND("sender" AS ?role) }}
          UNION {{ ?t schema:recipient {node} BIND("recipient" AS ?role) }}
          UNION {{ ?t ck:via {node} BIND("via" AS ?role) }}
          UNION {{ ?t ck:copyTo {node} BIND("copy" AS ?role) }}
          UNION {{ ?t ck:origin {node} BIND("origin" AS ?role) }}
          UNION {{ ?t ck:destination {node} BIND("destination" AS ?role) }}
          UNION {{ ?m ck:denotes {node} ; ck:inDocument ?t BIND("named in the text" AS ?role) }}
          UNION {{ {node} ck:discussedIn ?t BIND("discussed" AS ?role) }}
          UNION {{ ?e sem:hasActor|sem:hasPlace {node} ; ck:reportedIn ?t BIND("in a reported event" AS ?role) }}
          ?t a ck:Document .
          OPTIONAL {{ ?t dct:date ?d }} OPTIONAL {{ ?t rdfs:label ?l }}
        }} GROUP BY ?t ORDER BY ?date ?t""").rows
        telegrams = [{"value": self._value(t, lab), "date": d.value[:10] if d else "", "roles": roles.value}
                     for t, d, lab, roles in rows]
        written = [r[0].value for r in self.select(
            f"SELECT DISTINCT ?w WHERE {{ ?m ck:denotes {node} ; ck:asWritten ?w }} ORDER BY ?w").rows]
        skip = {"rdf:type", "rdfs:label", "schema:name"}
        facts = [(k, v) for k, v in sorted(props.items()) if k not in skip]
        return Page("entity.html", iri, self._label(iri, props), kind, {
            "facts": facts, "telegrams": telegrams, "written": written,
            "lat": props.get("geo:lat", [None])[0], "long": props.get("geo:long", [None])[0],
        })

    def period_page(self, iri: str, kind: str, types: list[str]) -> Page:
        props = self._properties(iri)
        prop = "ck:month" if kind == "month" else "ck:year"
        rows = self.select(f"""SELECT ?i ?kind (SAMPLE(?d) AS ?date) (SAMPLE(?l) AS ?label) WHERE {{
          ?i {prop} {_node(iri)} .
          {{ ?i a ck:Document ; dct:date ?d BIND("telegram" AS ?kind) }}
          UNION {{ ?i a ck:ReportedEvent BIND("event" AS ?kind) OPTIONAL {{ ?i ck:date ?d }} }}
          UNION {{ ?i a ck:Mention ; ck:inDocument ?doc BIND("date named" AS ?kind) OPTIONAL {{ ?i ck:date ?d }} }}
          UNION {{ ?i a ck:CitedTelegram BIND("cited telegram" AS ?kind) OPTIONAL {{ ?i ck:citedDate ?d }} }}
          OPTIONAL {{ ?i rdfs:label|ck:asWritten ?l }}
        }} GROUP BY ?i ?kind ORDER BY ?date ?i""").rows
        items = [{"value": self._value(i, lab), "kind": k.value, "date": d.value[:10] if d else ""}
                 for i, k, d, lab in rows]
        return Page("period.html", iri, self._label(iri, props), kind, {"entries": items, "facts": [
            (k, v) for k, v in sorted(props.items()) if k not in {"rdf:type", "rdfs:label"}]})

    def resource_page(self, iri: str, kind: str, types: list[str]) -> Page:
        props = self._properties(iri)
        content = props.pop("ck:content", [None])[0]
        facts = [(k, v) for k, v in sorted(props.items())]
        return Page("resource.html", iri, self._label(iri, props), kind, {
            "facts": facts, "inbound": self._inbound(iri), "content": content})


def _node(iri: str) -> str | None:
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _grouped(triples: list[ox.Triple]) -> list[ox.Triple]:
    groups: dict = {}
    for t in triples:
        groups.setdefault(t.subject, []).append(t)
    return [t for ts in groups.values() for t in ts]
