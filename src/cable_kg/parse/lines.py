"""Lines of a page with their offsets, and the small helpers every part of
the parser shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import PersonRef, Span, Spanned

_LINE_RE = re.compile(r"[^\n]*")


@dataclass(frozen=True)
class Line:
    """A non-blank line, stripped: ``text`` starts at ``start`` in the page.

    ``blank_before`` tells whether a blank line (or one of only spaces)
    precedes it: paragraphs in the spaced layout.
    """

    start: int
    text: str
    blank_before: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def span(self, a: int = 0, b: int | None = None) -> Span:
        """The span of ``text[a:b]``."""
        b = len(self.text) if b is None else b
        return Span(self.start + a, self.start + b, self.text[a:b])

    def spanned(self, value: str, a: int = 0, b: int | None = None) -> Spanned:
        return Spanned(value, self.span(a, b))


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, stripped of white space (NBSP too)."""
    lines: list[Line] = []
    blank = False
    for m in _LINE_RE.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(m.start() + lead, stripped, blank))
        blank = False
    return lines


TITLE_WORDS = re.compile(
    r"^(?:Comrades?|Cde\.?|Comr\.?|Com\.|Tov\.|Tovarishch|Marshal|General|Ambassador|Premier|Chairman|"
    r"Minister|Mr\.?|Dear|Товарищу|Товарищ|Тов\.)\s+", re.I)
_BRACKET = re.compile(r"\s*[\[(]([^\])]+)[\])]\s*$")
_SPACED_WORD = re.compile(r"(?:[A-ZА-ЯЁ]\s)+[A-ZА-ЯЁ]")
_WORD_GAP = re.compile(r"\s{2,}")


def is_letter_spaced(text: str) -> bool:
    """A name written with its letters apart: ``S H T Y K O V``, or
    ``M A O  Z E D O N G`` (two spaces between the words).

    >>> is_letter_spaced("S H T Y K O V"), is_letter_spaced("KIM IL SUNG"), is_letter_spaced("A B")
    (True, False, False)
    """
    text = text.strip()
    if len(text) < 5 or not text[1].isspace():
        return False
    return all(_SPACED_WORD.fullmatch(w) for w in _WORD_GAP.split(text))


def person_ref(text: str, start: int) -> PersonRef | None:
    """A person as named in a title, header or signature.

    >>> person_ref("Cde. Filippov [Stalin]", 10)
    PersonRef(name='Filippov', span=Span(start=15, end=32, text='Filippov [Stalin]'), bracket='Stalin')
    >>> person_ref("S H T Y K O V", 0).name, person_ref("M A O  Z E D O N G", 0).name
    ('SHTYKOV', 'MAO ZEDONG')
    """
    s = text.rstrip(" ,:;!")
    if s.endswith(".") and not re.search(r"\b[A-ZА-Я]\.$", s):
        s = s.rstrip(" .")  # a full stop, but not the dot of an initial ("STALIN I.V.")
    lead = len(s) - len(s.lstrip(" \"“«"))
    s = s[lead:]
    start += lead
    while True:
        m = TITLE_WORDS.match(s)
        if not m:
            break
        s = s[m.end():]
        start += m.end()
    if not s:
        return None
    bracket = None
    name = s
    b = _BRACKET.search(s)
    if b and not b.group(1).lower().startswith("via"):
        bracket = b.group(1).strip()
        name = s[: b.start()].strip()
    if is_letter_spaced(name):
        name = " ".join("".join(w.split()) for w in _WORD_GAP.split(name.strip()))
    else:
        name = " ".join(name.split())  # non-breaking and repeated spaces
    if not name or not any(c.isalpha() for c in name):
        return None
    return PersonRef(name, Span(start, start + len(s), s), bracket)


def is_prose(text: str) -> bool:
    """A sentence of running text rather than a header or signature line."""
    words = text.split()
    if len(words) < 6:
        return False
    lower = sum(1 for c in text if c.islower())
    upper = sum(1 for c in text if c.isupper())
    return lower > upper and text.rstrip()[-1:] in ".?!:;\"”»)"
