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
from dataclasses import asdict, dataclass, field

from ..queries import Engine, bind, load_query

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


def load_thread(engine: Engine, telegram: str, direction: str = "both") -> Thread:
    """The thread around ``telegram`` (an IRI; see
    :func:`cable_kg.queries.resolve_telegram` for other ways to name one)."""
    import pyoxigraph as ox

    saved = load_query("thread")
    result = engine.select(bind(saved, {"telegram": ox.NamedNode(telegram)}))
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str], Edge] = {}
    for rec in result.records():
        iri = rec["node"]
        if iri is None:
            continue
        if iri not in nodes:
            nodes[iri] = Node(iri, rec.get("date"), rec.get("precision") or None, rec.get("number"),
                              rec.get("sender") or "", rec.get("recipients") or "",
                              (rec.get("placeholder") or "") == "true", rec.get("label") or "",
                              rec.get("text") or "", rec.get("carried_by"))
        parent, kind = rec.get("parent"), rec.get("direction")
        if parent and kind in ("up", "down"):
            citing, replied = (parent, iri) if kind == "up" else (iri, parent)
            score = float(rec["score"]) if rec.get("score") else None
            edges[(citing, replied)] = Edge(citing, replied, score, rec.get("evidence") or "")
    if telegram not in nodes:
        nodes[telegram] = Node(telegram)
    thread = Thread(telegram, nodes, sorted(edges.values(), key=lambda e: (e.citing, e.replied)))
    return thread.restricted(direction)


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
    who = (node.sender or "?") + (f" -> {node.recipients}" if node.recipients else "")
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


__all__ = ["DIRECTIONS", "Edge", "FORMATS", "Node", "Thread", "load_thread", "render", "render_tree", "to_dot",
           "to_json", "to_mermaid"]
