"""The archive's title line: document type, number, author, addressees,
intermediaries and any conveyed telegram.

>>> t = parse_title(Line(0, "Ciphered Telegram No. 3410, Filippov [Stalin] to Krasovsky, for Cde. Mao Zedong"))
>>> t.doc_type, t.number.value, t.author.name, t.author.bracket
('telegram', '3410', 'Filippov', 'Stalin')
>>> [p.name for p in t.via], [p.name for p in t.addressees]
(['Krasovsky'], ['Mao Zedong'])
>>> t = parse_title(Line(0, "Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)"))
>>> [p.name for p in t.addressees], [p.name for p in t.via]
(['Zhou Enlai', 'Mao Zedong'], ['Roshchin'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import PersonRef, Spanned
from .lines import Line, person_ref

DOC_TYPES = [
    (r"ciphered telegram|cipher(?:ed)? cable|telegram|radiogram|ciphergram|шифротелеграмма|телеграмма", "telegram"),
    (r"cables?", "cable"),
    (r"letter|письмо", "letter"),
    (r"hand-delivered note|note|memorandum", "note"),
    (r"(?:politburo |central committee |council of ministers )?(?:decision|resolution|protocol)", "decision"),
    (r"message|report|record of conversation|instructions?|directive|order", "message"),
]
_TYPE_RE = re.compile(r"^(?P<type>" + "|".join(p for p, _ in DOC_TYPES) + r")\b", re.I)
_NUMBER_RE = re.compile(r"^\s*(?:Nos?\.|Numbers?|#|Nº|№)\s*(?P<num>[\w/-]+(?:\s*(?:-|and)\s*\d+)?)", re.I)
_FROM_PLACE_RE = re.compile(r"^\s*from\s+(?P<place>[A-Z][\w-]+(?: [A-Z][\w-]+)?)\s*,", re.I)
_CONVEYS_RE = re.compile(
    r",?\s*\b(?:conveying|transmitting|forwarding|containing(?: a)? (?:message|telegram)s? from|"
    r"with (?:approved )?(?:message|telegram|text)s? from|with approved message from)\b", re.I)
_FROM_PARTY_RE = re.compile(r"^\s*(?:with (?:approved )?message |)from\s+", re.I)
_VIA_RE = re.compile(r"\s*\(?\bvia\s+(?P<via>[^)]+)\)?\s*$", re.I)
# "Memorandum of Conversation between Stalin and Zhou Enlai": the talk's parties, not an author and addressees
_CONVERSATION_RE = re.compile(r"^\s*,?\s*(?:of\s+(?:a\s+|the\s+)?)?conversation\b", re.I)
_SPLIT_NAMES = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+or\s+|\s+and\s+)\s*")


@dataclass(frozen=True)
class Title:
    doc_type: str
    number: Spanned | None
    author: PersonRef | None
    addressees: tuple[PersonRef, ...]
    via: tuple[PersonRef, ...]
    origin: Spanned | None
    conveys: Spanned | None
    co_authors: tuple[PersonRef, ...] = ()  # "Letter, Kim Il Sung and Pak Heon-yeong to ...": Pak


def doc_type_of(text: str) -> str | None:
    m = _TYPE_RE.match(text.strip())
    if not m:
        return None
    word = m.group("type").lower()
    for pattern, kind in DOC_TYPES:
        if re.fullmatch(pattern, word):
            return kind
    return None


def names_in(text: str, start: int) -> list[PersonRef]:
    """Names joined by commas, "and" or "or", each with its span."""
    refs = []
    pos = 0
    for part in _SPLIT_NAMES.split(text):
        at = text.find(part, pos)
        pos = at + len(part)
        ref = person_ref(part, start + at) if part.strip() else None
        if ref:
            refs.append(ref)
    return refs


def _parties(line: Line, a: int, b: int) -> tuple[list[PersonRef], list[PersonRef], list[PersonRef]]:
    """``A to B, for C (via D)`` between ``a`` and ``b`` of the line: the
    authors (``A and A2``), addressees and intermediaries."""
    seg = line.text[a:b]
    m = _FROM_PARTY_RE.match(seg)
    if m:
        a += m.end()
        seg = seg[m.end():]
    to = re.search(r"\s+to\s+", seg)
    if not to:
        return _authors(seg, line.start + a), [], []
    authors = _authors(seg[: to.start()], line.start + a)
    rest_at = a + to.end()
    rest = line.text[rest_at:b]
    via: list[PersonRef] = []
    v = _VIA_RE.search(rest)
    if v:
        via += names_in(v.group("via"), line.start + rest_at + v.start("via"))
        rest = rest[: v.start()]
    addressees: list[PersonRef]
    f = re.search(r",?\s*\bfor\s+", rest)
    if f:
        # "to Krasovsky, for Cde. Mao Zedong": Krasovsky is the channel.
        via = names_in(rest[: f.start()], line.start + rest_at) + via
        addressees = names_in(rest[f.end():], line.start + rest_at + f.end())
    else:
        addressees = names_in(rest, line.start + rest_at)
    return authors, addressees, via


def _authors(text: str, start: int) -> list[PersonRef]:
    """``Kim Il Sung and Pak Heon-yeong``: each author; one name (commas
    included: ``Roshchin, Soviet Ambassador``) is one author.

    >>> [r.name for r in _authors("Kim Il Sung and Pak Heon-yeong", 0)]
    ['Kim Il Sung', 'Pak Heon-yeong']
    """
    parts = re.split(r"(\s+and\s+)", text)
    refs = []
    at = 0
    for k, part in enumerate(parts):
        if k % 2 == 0 and (ref := person_ref(part, start + at)):
            refs.append(ref)
        at += len(part)
    if len(refs) != len(parts) // 2 + 1:  # a part that is no name: read the whole as one
        one = person_ref(text, start)
        return [one] if one else []
    return refs


def parse_title(line: Line) -> Title:
    text = line.text
    kind = doc_type_of(text) or "telegram"
    m = _TYPE_RE.match(text)
    pos = m.end() if m else 0
    number = None
    n = _NUMBER_RE.match(text[pos:])
    if n:
        number = line.spanned(n.group("num").strip(), pos + n.start("num"), pos + n.end("num"))
        pos += n.end()
    origin = None
    f = _FROM_PLACE_RE.match(text[pos:])
    if f and not re.search(r"\s+to\s+", f.group(0)):
        origin = line.spanned(f.group("place"), pos + f.start("place"), pos + f.end("place"))
        pos += f.end()
    if pos < len(text) and text[pos] == ",":
        pos += 1
    end = len(text)
    conveys = None
    c = _CONVEYS_RE.search(text, pos)
    if c:
        conveys = line.spanned(text[c.end():].strip(), c.end() + (len(text[c.end():]) - len(text[c.end():].lstrip())))
        end = c.start()
    # "Politburo decision with approved message from A to B": the parties are
    # those of the message, which the decision carries; the decision has none.
    talk = _CONVERSATION_RE.match(text[pos:end]) or (m and "conversation" in m.group("type").lower())
    authors, addressees, via = _parties(line, pos, end) if text[pos:end].strip() and not talk else ([], [], [])
    return Title(kind, number, authors[0] if authors else None, tuple(addressees), tuple(via), origin, conveys,
                 tuple(authors[1:]))


def parse_conveyed(conveys: Spanned) -> tuple[PersonRef | None, list[PersonRef]]:
    """Author and addressees of ``12 March 1951 telegram from A to B``."""
    text = conveys.value
    m = re.search(r"\bfrom\s+", text)
    if not m:
        return None, []
    line = Line(conveys.span.start, text)
    authors, addressees, _ = _parties(line, m.end(), len(text))
    return (authors[0] if authors else None), addressees
