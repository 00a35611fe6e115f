"""What every extractor of one telegram shares: the page text (and its
lower-case copy), the telegram's own segments of it (its text less its
embedded telegrams), the sentences, the automaton hits, and the telegram's
date and parties.

>>> sentence_bounds("I came. Cde. Mao said: No. 12 is here! Why? A.Ia. Vyshinsky knows.\\nNext", 0)
[(0, 7), (8, 38), (39, 43), (44, 66), (67, 71)]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from ..model import Telegram
from ..resolve import Authority
from .matcher import Hit, Matcher

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = frozenset({"no", "nos", "cde", "comr", "com", "tov", "mr", "mrs", "dr", "st", "vkh", "ll", "l",
                     "op", "f", "d", "p", "gen", "col", "lt", "maj", "capt", "ca", "cf", "e.g", "i.e", "vs",
                     "a.m", "p.m", "km", "sh", "nº", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec"})

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "several": None, "few": None,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
ORDINAL_NAMES = {v: k for k, v in ORDINALS.items()}
_WORD = re.compile(r"[a-zа-яё]+")


_MARK = re.compile(r"[.!?] |\n|\.\u00a0")
_INITIALS = re.compile(r"(?:\w{1,2}\.)+\w{1,2}")


def sentence_bounds(text: str, offset: int, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) page offsets of the sentences of ``text[start:end]``.

    A sentence ends at a line break, or at ``.``, ``!`` or ``?`` followed by
    a space when the word before is not an abbreviation or an initial.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    s = start
    i = start
    for mark in _MARK.finditer(text, start, end):
        p = mark.start()
        if p < i:
            continue  # within the blanks after the last sentence's end
        ch = text[p]
        # a word of five letters or digits before the full stop is no abbreviation or initial
        if ch == "." and not (p - s >= 5 and text[p - 5:p].isalnum()):
            w = p
            while w > s and (text[w - 1].isalnum() or text[w - 1] in ".º"):
                w -= 1
            word = text[w:p].lower()
            if word in _ABBREV or (len(word) <= 2 and word[:1].isalpha() and text[w].isupper()) or \
                    _INITIALS.fullmatch(word):
                i = p + 1
                continue
        e = p + (0 if ch == "\n" else 1)
        if text[s:e].strip():
            out.append(_strip(text, s, e, offset))
        s = p + 1
        while s < end and text[s] in " \u00a0\n":
            s += 1
        i = s
    if s < end and text[s:end].strip():
        out.append(_strip(text, s, end, offset))
    return out


def _strip(text: str, s: int, e: int, offset: int) -> tuple[int, int]:
    while s < e and text[s] in " \u00a0\n\t":
        s += 1
    while e > s and text[e - 1] in " \u00a0\n\t":
        e -= 1
    return s + offset, e + offset


@dataclass
class Context:
    """One telegram's view of the page."""

    text: str
    lower: str
    telegram: Telegram
    authority: Authority
    matcher: Matcher
    segments: list[tuple[int, int]]
    reference: date | None
    hits: list[Hit] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _words: dict[int, frozenset[str]] = field(default_factory=dict)
    by_kind: dict[str, list[Hit]] = field(default_factory=dict)  # the hits of each kind, in order

    def __post_init__(self) -> None:
        for s, e in self.segments:
            self.hits.extend(self.matcher.scan(self.text, self.lower, s, e))
            self.sentences.extend(sentence_bounds(self.text, 0, s, e))
        self._starts = [s for s, _ in self.sentences]
        by_kind = self.by_kind
        for h in self.hits:
            got = by_kind.get(h.kind)
            if got is None:
                by_kind[h.kind] = [h]
            else:
                got.append(h)

    def hits_of(self, *kinds: str) -> list[Hit]:
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        return [h for h in self.hits if h.kind in kinds]

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence holding offset ``pos`` (or the nearest before it)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return (pos, pos)
        return self.sentences[i]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def words_at(self, pos: int) -> frozenset[str]:
        """The lower-case words of the sentence holding ``pos`` (read once per sentence)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        got = self._words.get(i)
        if got is None:
            s, e = self.sentences[i] if i >= 0 else (pos, pos)
            got = self._words[i] = frozenset(_WORD.findall(self.lower, s, e))
        return got

    def inside(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.segments)

    @property
    def year(self) -> int | None:
        return self.reference.year if self.reference else None
