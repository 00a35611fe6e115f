"""The reply thread around a telegram: what it answers (up), what answers it
(down), as a terminal tree, JSON, Graphviz DOT or Mermaid.

The thread comes from the saved query ``thread`` (property paths over
``cito:repliesTo``), run through any :class:`~cable_kg.queries.Engine`.
Replies form a graph, not a tree (one telegram may answer two, and be
answered by several), so a node met a second time is shown once more with
``(see above)`` and not expanded again.

>>> t = Thread("a", {"a": Node("a", date="1951-06-05", number="3410", sender="Joseph Stalin",
...                            recipients="Mao Zedong", text="Your telegram of June 4 received."),
...                  "p": Node("p", date="1951-06-04", precision="day", sender="Mao Zedong", placeholder=True,
...                            label="a telegram of 4 June 1951 from Mao Zedong, not in the collection")},
...            [Edge("a", "p", 1.0, "placeholder")])
>>> print(render_tree(t), end="")
1951-06-05  No. 3410  Joseph Stalin -> Mao Zedong  "Your telegram of June 4 received."
answers:
└── 1951-06-04  Mao Zedong  [not in the collection] a telegram of 4 June 1951 from Mao Zedong, not in the collection
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from ..queries import Engine

DIRECTIONS = ("up", "down", "both")


@dataclass
class Node:
    """A telegram of the thread, or a placeholder for one not in the collection."""

    iri: str
    date: str | None = None
    precision: str | None = None
    number: str | None = None
    sender: str = ""
    recipients: str = ""
    placeholder: bool = False
    label: str = ""
    text: str = ""
    carried_by: str | None = None

    def when(self) -> str:
        if not self.date:
            return "undated"
        d = self.date[:16].replace("T", " ")
        if self.precision and self.precision not in ("day", "minute"):
            return f"{d} ({self.precision})"
        return d[:10] if self.precision != "minute" else d

    def words(self, n: int = 12) -> str:
        """The first words of the message itself, past the header lines and the salutation."""
        lines = [ln.strip() for ln in self.text.splitlines() if ln.strip()]
        body = next((ln for ln in lines if _is_prose(ln)), lines[0] if lines else "")
        start = lines.index(body) if body in lines else 0
        words = " ".join(lines[start:]).split()
        out = " ".join(words[:n])
        return out + (" …" if len(words) > n else "")

    def line(self) -> str:
        parts = [self.when()]
        if self.number:
            parts.append(f"No. {self.number}")
        who = self.sender or "?"
        if self.recipients:
            who += f" -> {self.recipients}"
        if self.sender or self.recipients:
            parts.append(who)
        if self.placeholder:
            parts.append(f"[not in the collection] {self.label}")
        elif self.text:
            parts.append(f'"{self.words()}"')
        if self.carried_by:
            parts.append(f"(carried by {short(self.carried_by)})")
        return "  ".join(parts)


@dataclass
class Edge:
    """``citing`` replies to ``replied``."""

    citing: str
    replied: str
    score: float | None = None
    evidence: str = ""


@dataclass
class Thread:
    root: str
    nodes: dict[str, Node]
    edges: list[Edge] = field(default_factory=list)

    def answers(self, iri: str) -> list[Edge]:
        """What ``iri`` replies to."""
        return sorted((e for e in self.edges if e.citing == iri), key=lambda e: self._key(e.replied))

    def answered_by(self, iri: str) -> list[Edge]:
        """What replies to ``iri``."""
        return sorted((e for e in self.edges if e.replied == iri), key=lambda e: self._key(e.citing))

    def _key(self, iri: str):
        n = self.nodes.get(iri)
        return ((n.date or "") if n else "", iri)

    def restricted(self, direction: str) -> Thread:
        """Only the edges reachable upward, downward, or both, from the root."""
        keep: set[tuple[str, str]] = set()
        if direction in ("up", "both"):
            keep |= self._reach(self.answers, lambda e: e.replied)
        if direction in ("down", "both"):
            keep |= self._reach(self.answered_by, lambda e: e.citing)
        edges = [e for e in self.edges if (e.citing, e.replied) in keep]
        used = {self.root} | {e.citing for e in edges} | {e.replied for e in edges}
        return Thread(self.root, {k: v for k, v in self.nodes.items() if k in used}, edges)

    def _reach(self, step, far) -> set[tuple[str, str]]:
        out, todo, seen = set(), [self.root], {self.root}
        while todo:
            cur = todo.pop()
            for e in step(cur):
                out.add((e.citing, e.replied))
                if far(e) not in seen:
                    seen.add(far(e))
                    todo.append(far(e))
        return out


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def human_date(value: str) -> str:
    """A date as a reader writes it, by its precision.

    >>> human_date("1951-06-04"), human_date("1951-04"), human_date("1951-01-28T00:00:00")
    ('4 June 1951', 'April 1951', '27 January 1951, 24:00')
    """
    from datetime import date, timedelta

    if len(value) == 4:
        return value
    if len(value) == 7:
        return f"{MONTH_NAMES[int(value[5:7]) - 1]} {value[:4]}"
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    if len(value) >= 16:
        hh, mm = value[11:13], value[14:16]
        if (hh, mm) == ("00", "00"):  # 24:00 of the day before
            d = d - timedelta(days=1)
            return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}, 24:00"
        return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}, {hh}:{mm}"
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def describe_placeholder(kind: str | None, dates: list[str], number: str | None = None, incoming: str | None = None,
                         topic: str | None = None, sender: str = "", recipients: str = "", plural: bool = False,
                         ambiguous: int = 0) -> str:
    """What a placeholder stands for, in words.

    >>> describe_placeholder("telegram", ["1951-06-04"], sender="Mao Zedong")
    'a telegram of 4 June 1951 from Mao Zedong, not in the collection'
    >>> describe_placeholder("order", ["1950-08"], "75021", sender="Aleksandr Vasilevsky",
    ...                      recipients="Terentii Shtykov")
    'an order No. 75021 of August 1950 from Aleksandr Vasilevsky to Terentii Shtykov, not in the collection'
    """
    kind = kind or "telegram"
    words = [f"{kind}s" if plural else ("an " if kind[0] in "aeiou" else "a ") + kind]
    if number:
        words.append(f"No. {number}")
    if incoming:
        words.append(f"(incoming No. {incoming})")
    if dates:
        words.append("of " + " and ".join(human_date(v) for v in dates))
    if topic:
        words.append(f"about {topic}")
    if sender:
        words.append(f"from {sender}")
    if recipients:
        words.append(f"to {recipients}")
    text = " ".join(words)
    if ambiguous:
        return f"{text}: {ambiguous} telegrams in the collection match it equally"
    return f"{text}, not in the collection"


def _is_prose(line: str) -> bool:
    """A line of the message, not of its header (mostly capitals, numbers, short
    labels) nor its salutation ("Comrade MAO ZEDONG!")."""
    words = re.findall(r"[^\W\d_]+", line)
    if len(words) < 4 or line.rstrip().endswith("!"):
        return False
    lower = sum(1 for w in words if w.islower())
    return lower / len(words) >= 0.5


def short(iri: str) -> str:
    return iri.rsplit("/telegram/", 1)[-1] if "/telegram/" in iri else iri.rsplit("/", 1)[-1]


# ------------------------------------------------------------------ reading
#
# The saved query ``thread`` gives the whole thread in one table (for
# ``cable-kg query thread``), the links' evidence aside: ``_LINKS`` reads it
# for the links found.  Here the same walk is done in steps that any
# SPARQL 1.1 endpoint runs and that Oxigraph evaluates from the one telegram
# outwards: the edges upward and downward (property paths over
# cito:repliesTo), then the links' scores, the nodes' details and their
# people for the nodes found, in VALUES batches.

_P = "".join(f"PREFIX {k}: <{v}>\n" for k, v in {
    "ck": "https://w3id.org/cable-kg/ns#", "cito": "http://purl.org/spar/cito/", "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "https://schema.org/"}.items())
_UP = """SELECT ?parent ?node WHERE { VALUES ?telegram { %s } ?telegram a ck:Document .
  OPTIONAL { ?telegram cito:repliesTo* ?parent . ?parent cito:repliesTo ?node } }"""
_DOWN = """SELECT ?parent ?node WHERE { VALUES ?telegram { %s } ?telegram a ck:Document .
  OPTIONAL { ?parent cito:repliesTo* ?telegram . ?node cito:repliesTo ?parent } }"""
_LINKS = """SELECT ?citing ?cited ?score ?evidence WHERE { VALUES ?citing { %s }
  ?citing cito:cites ?citation . ?citation ck:resolvedTo? ?cited ; ck:score ?score ; ck:evidence ?evidence }"""
_DETAILS = """SELECT ?node ?when ?p ?number ?placeholder ?label ?words ?carrier WHERE { VALUES ?node { %s }
  OPTIONAL { ?node dct:date|ck:citedDate ?when } OPTIONAL { ?node ck:datePrecision ?p }
  OPTIONAL { ?node ck:number|ck:citedNumber ?number } OPTIONAL { ?node ck:placeholder ?placeholder }
  OPTIONAL { ?node rdfs:label ?label } OPTIONAL { ?node schema:text|ck:asWritten ?words }
  OPTIONAL { ?node ck:carriedBy ?carrier } }"""
_TEXTS = """SELECT ?node ?words WHERE { VALUES ?node { %s } ?node schema:text ?words }"""
_PEOPLE = """SELECT DISTINCT ?node ?rel ?name WHERE { VALUES ?node { %s }
  ?node ?rel ?person . FILTER(?rel IN (schema:sender, schema:recipient, ck:presumedSender, ck:presumedRecipient))
  ?person schema:name ?name }"""


def _iri(value: str) -> str:
    import pyoxigraph as ox

    return str(ox.NamedNode(value))  # checked: raises on anything that is not an IRI


def _batches(engine: Engine, query: str, iris: list[str], size: int = 400):
    for k in range(0, len(iris), size):
        yield from engine.select(_P + query % " ".join(_iri(i) for i in iris[k:k + size])).records()


_PLACEHOLDERS = """SELECT ?node ?when ?kind ?incoming ?topic ?plural (COUNT(DISTINCT ?candidate) AS ?n)
  WHERE { VALUES ?node { %s }
  OPTIONAL { ?node ck:citedDate ?when } OPTIONAL { ?node ck:citationKind ?kind }
  OPTIONAL { ?node ck:citedIncomingNumber ?incoming } OPTIONAL { ?node ck:topic ?topic }
  OPTIONAL { ?node ck:plural ?plural } OPTIONAL { ?node dct:hasPart ?candidate } }
  GROUP BY ?node ?when ?kind ?incoming ?topic ?plural"""


def load_thread(engine: Engine, telegram: str, direction: str = "both") -> Thread:
    """The thread around ``telegram`` (an IRI; see
    :func:`cable_kg.queries.resolve_telegram` for other ways to name one).

    Runs the saved query ``thread``; an endpoint that does not know its
    LATERAL (SPARQL 1.2) gets the same walk in SPARQL 1.1 steps."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}")
    from ..errors import QueryError
    from ..queries import bind, load_query

    try:
        result = engine.select(bind(load_query("thread"), {"telegram": ox_iri(telegram)}))
    except QueryError:
        return load_thread_in_steps(engine, telegram, direction)
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str], Edge] = {}
    for r in result.records():
        iri = r["node"]
        if iri is None:
            continue
        if iri not in nodes:
            nodes[iri] = Node(iri, r.get("date"), r.get("precision") or None, r.get("number"), r.get("sender") or "",
                              r.get("recipients") or "", (r.get("placeholder") or "") == "true",
                              r.get("label") or "", "", r.get("carried_by"))
        parent, kind = r.get("parent"), r.get("direction")
        if parent and kind in ("up", "down"):
            pair = (parent, iri) if kind == "up" else (iri, parent)
            edges[pair] = Edge(*pair, float(r["score"]) if r.get("score") else None)
    nodes.setdefault(telegram, Node(telegram))
    _read_evidence(engine, edges)
    for r in _batches(engine, _TEXTS, sorted(i for i, n in nodes.items() if not n.placeholder)):
        nodes[r["node"]].text = (r.get("words") or "")[:600]
    _describe_placeholders(engine, nodes, edges)
    thread = Thread(telegram, nodes, sorted(edges.values(), key=lambda e: (e.citing, e.replied)))
    return thread.restricted(direction) if direction != "both" else thread


def _read_evidence(engine: Engine, edges: dict[tuple[str, str], Edge]) -> None:
    """Each link's score and evidence, from the citations of the citing
    telegrams that lead to it: the best score, every citation's evidence (as
    the saved query ``reply-links``)."""
    found: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for r in _batches(engine, _LINKS, sorted({a for a, _ in edges})):
        if (r["citing"], r["cited"]) in edges and r["score"] is not None:
            found[(r["citing"], r["cited"])].append((float(r["score"]), r["evidence"] or ""))
    for pair, got in found.items():
        got.sort(key=lambda x: (-x[0], x[1]))
        edges[pair].score, edges[pair].evidence = got[0][0], " | ".join(dict.fromkeys(e for _, e in got))


def ox_iri(value: str):
    import pyoxigraph as ox

    return ox.NamedNode(value)


def _describe_placeholders(engine: Engine, nodes: dict[str, Node], edges: dict[tuple[str, str], Edge]) -> None:
    """A placeholder's label: what the citation says of the telegram, in words."""
    todo = sorted(i for i, n in nodes.items() if n.placeholder)
    facts: dict[str, dict] = {}
    for r in _batches(engine, _PLACEHOLDERS, todo):
        f = facts.setdefault(r["node"], {"dates": set(), "n": 0})
        if r.get("when"):
            f["dates"].add(r["when"])
        f.update({k: r.get(k) for k in ("kind", "incoming", "topic") if r.get(k)})
        f["plural"] = f.get("plural") or r.get("plural") == "true"
        f["n"] = max(f["n"], int(r.get("n") or 0))
    for iri in todo:
        n, f = nodes[iri], facts.get(iri, {"dates": set(), "n": 0})
        ambiguous = any(e.replied == iri and e.evidence.startswith("placeholder: ambiguous") for e in edges.values())
        n.label = describe_placeholder(f.get("kind"), sorted(f["dates"]), n.number, f.get("incoming"), f.get("topic"),
                                       n.sender, n.recipients, bool(f.get("plural")), f["n"] if ambiguous else 0)


def load_thread_in_steps(engine: Engine, telegram: str, direction: str = "both") -> Thread:
    """:func:`load_thread` in SPARQL 1.1: the edges upward and downward (two
    property-path queries, each evaluated from the telegram outwards), then the
    links, details and people of the nodes found, in VALUES batches."""
    pairs: set[tuple[str, str]] = set()  # (citing, replied)
    if direction in ("up", "both"):
        for r in engine.select(_P + _UP % _iri(telegram)).records():
            if r["node"]:
                pairs.add((r["parent"], r["node"]))
    if direction in ("down", "both"):
        for r in engine.select(_P + _DOWN % _iri(telegram)).records():
            if r["node"]:
                pairs.add((r["node"], r["parent"]))
    nodes = sorted({telegram} | {a for a, _ in pairs} | {b for _, b in pairs})
    edges: dict[tuple[str, str], Edge] = {p: Edge(*p) for p in pairs}
    _read_evidence(engine, edges)
    found: dict[str, Node] = {}
    for r in _batches(engine, _DETAILS, nodes):
        if r["node"] not in found:
            p = (r.get("p") or "").rsplit("#", 1)[-1].replace("Precision", "").lower()
            found[r["node"]] = Node(r["node"], r.get("when"), p or None, r.get("number"),
                                    placeholder=(r.get("placeholder") or "") == "true",
                                    label=r.get("label") or "", text=(r.get("words") or "")[:600],
                                    carried_by=r.get("carrier"))
    senders: dict[str, set[str]] = {}
    recipients: dict[str, set[str]] = {}
    for r in _batches(engine, _PEOPLE, nodes):
        rel = r["rel"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        (senders if rel in ("sender", "presumedSender") else recipients).setdefault(r["node"], set()).add(r["name"])
    for iri in nodes:
        n = found.setdefault(iri, Node(iri))
        n.sender = "; ".join(sorted(senders.get(iri, ())))
        n.recipients = "; ".join(sorted(recipients.get(iri, ())))
    _describe_placeholders(engine, found, edges)
    return Thread(telegram, found, sorted(edges.values(), key=lambda e: (e.citing, e.replied)))


# ------------------------------------------------------------------ formats


def render_tree(thread: Thread, direction: str = "both") -> str:
    """The thread as an indented tree: the telegram, then what it answers
    (up), then what answers it (down)."""
    root = thread.nodes[thread.root]
    lines = [root.line()]
    for kind, step, far, title in (("up", thread.answers, lambda e: e.replied, "answers:"),
                                   ("down", thread.answered_by, lambda e: e.citing, "answered by:")):
        if direction not in (kind, "both"):
            continue
        first = step(thread.root)
        if not first:
            if direction == kind:
                lines.append(f"{title} nothing in the store")
            continue
        lines.append(title)
        shown: set[str] = {thread.root}
        _branch(thread, first, step, far, "", shown, {thread.root}, lines)
    return "\n".join(lines) + "\n"


def _branch(thread, edges, step, far, prefix, shown, path, lines) -> None:
    for i, e in enumerate(edges):
        last = i == len(edges) - 1
        iri = far(e)
        node = thread.nodes.get(iri) or Node(iri)
        score = f"  ({e.score:.2f})" if e.score is not None and not node.placeholder else ""
        again = iri in shown
        lines.append(f"{prefix}{'└── ' if last else '├── '}{node.line()}{score}{'  (see above)' if again else ''}")
        if again or iri in path:
            continue
        shown.add(iri)
        _branch(thread, step(iri), step, far, prefix + ("    " if last else "│   "), shown, path | {iri}, lines)


def to_json(thread: Thread) -> str:
    data = {
        "telegram": thread.root,
        "nodes": [asdict(n) for _, n in sorted(thread.nodes.items())],
        "edges": [{"from": e.citing, "to": e.replied, "relation": "repliesTo", "score": e.score,
                   "evidence": e.evidence} for e in thread.edges],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _label(node: Node, width: int = 48) -> list[str]:
    head = node.when()
    if node.number:
        head += f"  No. {node.number}"
    lines = [head]
    who = (node.sender or "?") + (f" \u2192 {node.recipients}" if node.recipients else "")
    lines.append(who)
    if node.placeholder:
        lines.append("not in the collection")
    elif node.text:
        lines.append(node.words(8))
    return [ln if len(ln) <= width else ln[: width - 1] + "…" for ln in lines]


def to_dot(thread: Thread) -> str:
    """Graphviz DOT: an arrow from each reply to what it answers."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = ["digraph thread {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica", fontsize=10];']
    for iri, node in sorted(thread.nodes.items()):
        attrs = [f"label={q(chr(10).join(_label(node)))}".replace("\n", "\\n"), f"tooltip={q(iri)}"]
        if node.placeholder:
            attrs.append("style=dashed")
        if iri == thread.root:
            attrs.append("penwidth=2")
        out.append(f"  {q(iri)} [{', '.join(attrs)}];")
    for e in thread.edges:
        label = f' [label="{e.score:.2f}"]' if e.score is not None else ""
        out.append(f"  {q(e.citing)} -> {q(e.replied)}{label};")
    out.append("}")
    return "\n".join(out) + "\n"


def to_mermaid(thread: Thread) -> str:
    """A Mermaid flowchart: an arrow from each reply to what it answers."""
    ids = {iri: f"n{i}" for i, iri in enumerate(sorted(thread.nodes))}

    def esc(s: str) -> str:
        return re.sub(r'["<>]', lambda m: {'"': "#quot;", "<": "#lt;", ">": "#gt;"}[m.group(0)], s)

    out = ["flowchart BT"]
    for iri, node in sorted(thread.nodes.items()):
        out.append(f'  {ids[iri]}["{esc("<br/>".join(_label(node))).replace("#lt;br/#gt;", "<br/>")}"]')
    for e in thread.edges:
        arrow = f"-- {e.score:.2f} -->" if e.score is not None else "-->"
        out.append(f"  {ids[e.citing]} {arrow} {ids[e.replied]}")
    placeholders = [ids[i] for i, n in sorted(thread.nodes.items()) if n.placeholder]
    out.append("  classDef placeholder stroke-dasharray: 5 5;")
    out.append("  classDef root stroke-width: 3px;")
    if placeholders:
        out.append(f"  class {','.join(placeholders)} placeholder;")
    out.append(f"  class {ids[thread.root]} root;")
    return "\n".join(out) + "\n"


FORMATS = {"tree": render_tree, "json": to_json, "dot": to_dot, "mermaid": to_mermaid}


def render(thread: Thread, fmt: str, direction: str = "both") -> str:
    if fmt == "tree":
        return render_tree(thread, direction)
    return FORMATS[fmt](thread)


__all__ = ["DIRECTIONS", "Edge", "FORMATS", "Node", "Thread", "describe_placeholder", "human_date", "load_thread",
           "render", "render_tree", "to_dot", "to_json", "to_mermaid"]
