"""One Aho-Corasick automaton for every literal the extractors look for.

Known person names (aliases, pseudonyms, letter-spaced and hyphen/space
variants), place names, role phrases and the anchor words of the other
extractors (``telegram``, ``operation``, month names, ``ago`` ...) are keys
of a single automaton, built once per :class:`~cable_kg.resolve.Authority`
and cached.  A page is lowered once and scanned once; each extractor then
looks only around its own hits.

>>> from cable_kg.resolve import Authority
>>> m = matcher_for(Authority.load())
>>> [(h.text, h.kind) for h in m.scan("Comrade PENG DEHUAI in Jemulpo.", "comrade peng dehuai in jemulpo.", 0, 31)]
[('PENG DEHUAI', 'person'), ('Jemulpo', 'place')]
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

import ahocorasick

from ..resolve import Authority, normalise_name

# Anchor words: kind -> words.  Matched case-insensitively on word boundaries.
ANCHORS: dict[str, tuple[str, ...]] = {
    "cite": ("telegram", "telegrams", "directive", "directives", "order", "orders", "cable", "cables",
             "letter", "letters", "message", "messages", "note", "notes", "no.", "nos.", "nº", "№",
             "radiogram", "ciphergram"),
    "month": ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "jan.", "feb.", "aug.", "sept.", "sep.", "oct.",
              "nov.", "dec.",
              # Russian, in the cases running text uses (4 июня, в марте, январь)
              "январь", "января", "январе", "февраль", "февраля", "феврале", "март", "марта", "марте",
              "апрель", "апреля", "апреле", "май", "мая", "мае", "июнь", "июня", "июне", "июль", "июля",
              "июле", "август", "августа", "августе", "сентябрь", "сентября", "сентябре", "октябрь",
              "октября", "октябре", "ноябрь", "ноября", "ноябре", "декабрь", "декабря", "декабре"),
    "relative": ("ago", "today", "yesterday", "tomorrow", "this year", "last year", "next year",
                 "this month", "last month", "next month", "near future", "same day", "the day before",
                 "next day", "following day",
                 # "in two to three months", "within 10-12 days": the unit words
                 "day", "days", "week", "weeks", "month", "months", "year", "years",
                 "сегодня", "вчера", "завтра", "ближайшее время", "тот же день", "следующий день",
                 "hour", "hours",
                 "назад", "дня", "дней", "недели", "недель", "неделю", "месяца", "месяцев", "год", "года", "лет"),
    # the words an operation's objective starts with (destroy, occupy, hold, break through, defend)
    "action": ("destroy", "destroying", "destruction", "defeat", "defeating", "annihilate", "annihilation",
               "annihilating", "rout", "routing", "occupation", "occupy", "occupying", "seize", "seizing",
               "seizure", "capture", "capturing", "take", "taking", "hold", "holding", "retain", "retaining",
               "keep", "keeping", "break", "breaking", "breakthrough", "defend", "defending", "defence",
               "defense", "cover", "covering"),
    "unit": ("army group", "army groups", "army", "armies", "division", "divisions", "regiment", "regiments",
             "brigade", "brigades", "troops", "detachment", "detachments", "corps", "battalion", "battalions",
             "general staff", "high command", "air force", "air forces", "volunteers", "echelon", "echelons",
             "fleet", "flotilla", "units", "unit", "forces", "navy", "politburo", "central committee",
             "crews", "advisers", "advisors", "staff", "staffs", "command", "government", "delegation",
             "commission", "cc cpc", "council of ministers"),
    "operation": ("operation", "blow", "redeployed", "redeployment", "redeploy", "withdrawal", "evacuation",
                  "concentrate", "concentration", "offensive", "echelons", "echelon", "attack", "landing", "strike",
                  "move", "moved"),
    "event": ("received", "arrived", "invited", "informed", "reported", "met", "conversation", "shelled",
              "attacked", "crossed", "went over", "advanced", "transmitted", "summoned", "welcomed",
              "communicated", "told", "decided", "sent", "delivered", "retracted", "withdrew", "bombs",
              "bombed", "refused", "moved", "was in", "came", "took part", "promised", "answered",
              "asked", "discussed", "agreed", "occupied", "captured", "landed", "began"),
}


class Hit(NamedTuple):
    """One automaton match: page offsets, the text as written, its kind and payload.
    (A named tuple: the extractors make a hundred of these a page.)"""

    start: int
    end: int
    text: str
    kind: str  # person | place | role | cite | month | relative | unit | operation | event | action
    data: object = None


_NAMES = frozenset(("person", "place", "role"))


@dataclass
class Matcher:
    automaton: ahocorasick.Automaton
    person_keys: frozenset[str]
    # answers the extractors look up again and again (is this word a place?), per authority
    memo: dict = field(default_factory=dict)

    def scan(self, text: str, lower: str, start: int, end: int) -> list[Hit]:
        """Hits in ``text[start:end]``: names longest-leftmost without overlaps,
        anchor words all (they may sit inside a name's span only if of another kind)."""
        names: list[tuple[int, int, str, object]] = []
        anchors: list[Hit] = []
        n = len(lower)
        for last, payloads in self.automaton.iter(lower, start, end):
            e = last + 1
            # a word ends here (or the match ends with a full stop: "no.")
            ends_word = e >= n or not lower[e].isalnum() or lower[last] == "."
            for kind, data, length in payloads:
                s = e - length
                if s > 0:
                    c = lower[s - 1]
                    if c.isalnum() or (c == "." and s > 1 and lower[s - 2].isalpha()
                                       and (kind == "person" or kind == "place")):
                        continue
                if not ends_word:
                    continue
                if kind in _NAMES:
                    if kind != "role" and not text[s].isupper():
                        continue
                    names.append((s, e, kind, data))
                else:
                    anchors.append(Hit(s, e, text[s:e], kind, data))
        names.sort(key=lambda x: (x[0], x[0] - x[1], x[2] != "person"))
        out: list[Hit] = []
        upto = -1
        prev: tuple[int, int, str] | None = None
        for s, e, kind, data in names:
            if s < upto and (s, e, kind) != prev:
                continue
            prev = (s, e, kind)
            out.append(Hit(s, e, text[s:e], kind, data))
            upto = e
        out.extend(anchors)
        out.sort(key=lambda h: (h.start, -h.end))
        return out


def _name_variants(name: str) -> set[str]:
    """Lower-case spellings of one name that the text may use."""
    low = " ".join(name.lower().split())
    out = {low, low.replace("-", " "), low.replace("’", "'")}
    if " " in low and "-" not in low and len(low.split()) == 3:
        w = low.split()
        out.add(f"{w[0]} {w[1]}-{w[2]}")
    # "I.V. Stalin" / "I. V. Stalin"
    if "." in low:
        out.add(re.sub(r"\.\s+", ".", low))
        out.add(re.sub(r"\.(?=\w)", ". ", low))
    # letter-spaced signatures: "S H T Y K O V"
    if re.fullmatch(r"[a-z]{4,}", low):
        out.add(" ".join(low))
    return {v for v in out if len(v) >= 2}


def _role_phrases(role: str) -> list[tuple[str, str | None]]:
    """The phrases a role may be written as, with the qualifier (country) if cut off.

    >>> _role_phrases("Soviet ambassador to the DPRK")
    [('soviet ambassador to the dprk', None), ('soviet ambassador', 'the dprk')]
    """
    low = role.lower()
    out: list[tuple[str, str | None]] = [(low, None)]
    m = re.match(r"(?P<head>.+?)\s+(?:to|of|in)\s+(?P<q>.+)$", low)
    if m and len(m.group("head").split()) >= 2:
        out.append((m.group("head"), m.group("q")))
    return out


def build(authority: Authority) -> Matcher:
    table: dict[str, dict[tuple, int]] = {}

    def add(word: str, payload: tuple) -> None:
        table.setdefault(word, {})[payload] = len(word)

    for key, p in authority.persons.items():
        for alias in [p["name"], *p.get("aliases", []), *p.get("cyrillic", [])]:
            for v in _name_variants(alias):
                add(v, ("person", (key, False)))
        for ps in p.get("pseudonyms", []):
            for v in _name_variants(ps["name"]):
                add(v, ("person", (key, True)))
        for r in p.get("roles", []):
            at = r.get("at")
            for phrase, qualifier in _role_phrases(r["role"]):
                add(phrase, ("role", (key, qualifier, r.get("from"), r.get("to"), at)))
            for phrase in r.get("phrases", []):
                if phrase.lower() not in ("comrade ambassador",):
                    add(phrase.lower(), ("role", (key, None, r.get("from"), r.get("to"), at)))
    for key, pl in authority.places.items():
        for alias in [pl["name"], *pl.get("alternates", []), *pl.get("cyrillic", [])]:
            for v in _name_variants(alias):
                add(v, ("place", key))
    for kind, words in ANCHORS.items():
        for w in words:
            add(w, (kind, w))
    a = ahocorasick.Automaton()
    for word, payloads in table.items():
        a.add_word(word, tuple((k, d, n) for (k, d), n in payloads.items()))
    a.make_automaton()
    return Matcher(a, frozenset(authority.persons))


_CACHE: dict[int, tuple[weakref.ref, Matcher]] = {}


def matcher_for(authority: Authority) -> Matcher:
    """The automaton of ``authority``, built on first use and kept while it lives."""
    hit = _CACHE.get(id(authority))
    if hit is not None and hit[0]() is authority:
        return hit[1]
    m = build(authority)
    key = id(authority)
    _CACHE[key] = (weakref.ref(authority, partial(_forget, _CACHE, key)), m)
    return m


def _forget(cache: dict, key: int, ref: weakref.ref) -> None:
    """Drop the entry of an authority that is gone, not a newer one that took its id.
    (The cache is bound, not looked up: at interpreter exit the module's globals may be gone.)"""
    if cache.get(key, (None,))[0] is ref:
        del cache[key]


__all__ = ["ANCHORS", "Hit", "Matcher", "build", "matcher_for", "normalise_name"]
