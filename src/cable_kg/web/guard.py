r"""The read-only check of the SPARQL endpoint: is this text a query we
may run?

Two independent checks, both must pass:

1. rdflib's SPARQL 1.1 grammar (a real parser, ``parseQuery``) must accept
   the text as a *query*; the parse tree is then walked and any
   ``SERVICE`` pattern, wherever it sits (sub-select, ``FILTER EXISTS``,
   ``OPTIONAL``, ``MINUS``, a ``UNION`` branch), refuses it.  Text that is
   not a query but parses as an update (``parseUpdate``) is refused as an
   update; text that is neither is a syntax error.
2. A lexical scan (comments, strings and IRIs skipped, so a keyword inside
   a literal does not count; variables, prefixed names and language tags
   are not keywords) refuses ``SERVICE`` and the update keywords anywhere.

``\uXXXX`` escapes are expanded first, as both parsers do (SPARQL 1.1
§19.2), so ``\u0053ERVICE`` is ``SERVICE``.

rdflib's parser is pure Python (~3 ms for a small query, ~40 ms for a
large one); it runs in the query worker processes, under the query's time
limit, never in the HTTP process.  Verdicts are cached twice: by the exact
text, and by the query's *shape*: the token stream with comments dropped
and every string, number and IRI replaced by a placeholder.  Whether a
query contains SERVICE or an update cannot depend on the value of a
literal or an IRI, so a shape once found read-only (or refused) keeps its
verdict whatever values are put in it; pyoxigraph's own parser still
rejects a value that does not fit (``LIMIT 1.5``) when the query runs.
Syntax errors (400) are not cached by shape.

>>> check("select * where { ?s ?p ?o }").kind
'select'
>>> check("InSeRt DATA { <a:b> <a:b> <a:b> }").status
403
>>> check("SELECT * { FILTER EXISTS { service <http://x> { ?s ?p ?o } } }").status
403
>>> check('SELECT * { ?s ?p "SERVICE INSERT" }').ok
True
>>> check("SELECT * {").status
400
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"})
# Keywords that can never appear in a valid query: refused even if the parser accepted the text.
NEVER_IN_QUERY = frozenset({"SERVICE", "INSERT", "DELETE", "LOAD", "CLEAR", "DROP"})

_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<pname>[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*:[\w.\-:%\\\u00B7\u00C0-\uFFFF]*|_:[\w.\-]+|:[\w.\-:%\\]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Verdict:
    status: int  # 200 ok, 400 not a query, 403 refused
    message: str = ""
    kind: str = ""  # select | ask | construct | describe

    @property
    def ok(self) -> bool:
        return self.status == 200


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SHAPES: OrderedDict[str, Verdict] = OrderedDict()
_SHAPES_LOCK = threading.Lock()
SHAPES = 2048


def unescape(text: str) -> str:
    r"""Codepoint escapes expanded, as before parsing.

    >>> unescape(r"\u0053ERVICE")
    'SERVICE'
    """
    def repl(m):
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(repl, text) if "\\u" in text or "\\U" in text else text


def keywords(text: str) -> set[str]:
    """The bare keywords of a SPARQL text, upper-cased.

    >>> sorted(keywords('PREFIX service: <http://x/> SELECT ?service { ?s service:p "drop" } # LOAD'))
    ['PREFIX', 'SELECT']
    """
    return {m.group("word").upper() for m in _TOKENS.finditer(unescape(text)) if m.lastgroup == "word"}


def shape(text: str) -> str:
    """The query with comments dropped and values replaced by placeholders.

    >>> shape('SELECT * { ?s <http://x/p> "a b" } LIMIT 10 # hi') == shape("SELECT * { ?s <y> 'c' } LIMIT 2")
    True
    """
    out = []
    last = 0
    text = unescape(text)
    for m in _TOKENS.finditer(text):
        out.append(" ".join(text[last:m.start()].split()))
        kind = m.lastgroup
        out.append({"comment": " ", "string": ' "" ', "iri": " <> ", "number": " 0 "}.get(kind, f" {m.group(0)} "))
        last = m.end()
    out.append(" ".join(text[last:].split()))
    return " ".join("".join(out).split())


def check(text: str) -> Verdict:
    """Whether ``text`` is a read-only SPARQL query; see the module docstring."""
    return _check_text(text)


@lru_cache(maxsize=512)
def _check_text(text: str) -> Verdict:
    key = shape(text)
    with _SHAPES_LOCK:
        hit = _SHAPES.get(key)
        if hit is not None:
            _SHAPES.move_to_end(key)
            return hit
    verdict = _check(text)
    if verdict.status != 400:
        with _SHAPES_LOCK:
            _SHAPES[key] = verdict
            while len(_SHAPES) > SHAPES:
                _SHAPES.popitem(last=False)
    return verdict


def _check(text: str) -> Verdict:
    words = keywords(text)
    if "SERVICE" in words:
        return Verdict(403, "SERVICE (federated query) is not allowed on this endpoint")
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except ParseException as e:
        if words & UPDATE_WORDS or _is_update(text):
            return Verdict(403, "SPARQL Update is not allowed: this endpoint is read-only")
        if not words & NEVER_IN_QUERY and (kind := _oxigraph_kind(text)):
            # Oxigraph's grammar goes past SPARQL 1.1 (LATERAL, used by the
            # saved query `thread`); SERVICE was refused above by the scan
            return Verdict(200, "", kind)
        return Verdict(400, f"not a valid SPARQL query: {_short(e)}")
    except Exception as e:  # rdflib raises other errors for some bad input (e.g. undefined prefix)
        return Verdict(400, f"not a valid SPARQL query: {e}")
    if _has_service(tree):
        return Verdict(403, "SERVICE (federated query) is not allowed on this endpoint")
    if words & NEVER_IN_QUERY:
        return Verdict(403, "SPARQL Update is not allowed: this endpoint is read-only")
    kind = _kind(tree)
    if not kind:
        return Verdict(400, "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return Verdict(200, "", kind)


def _oxigraph_kind(text: str) -> str:
    """The query form, if Oxigraph's own parser accepts ``text`` as a query
    (tried on an empty in-memory store, so nothing is read)."""
    import pyoxigraph as ox

    try:
        result = ox.Store().query(text)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        return ""
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "construct" if isinstance(result, ox.QueryTriples) else "select"


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _short(e: Exception) -> str:
    return " ".join(str(e).split())[:300]


def _has_service(node, depth: int = 0) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 500:  # absurd nesting: refuse rather than recurse forever
        return True
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service(v, depth + 1) for v in node.values())
    if isinstance(node, dict):
        return any(_has_service(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_has_service(v, depth + 1) for v in node)
    return False


def _kind(tree) -> str:
    from rdflib.plugins.sparql.parserutils import CompValue

    for part in tree:
        if isinstance(part, CompValue) and part.name.endswith("Query"):
            return part.name[: -len("Query")].lower()
    return ""
