"""Military units and organisations: ``the ninth army group``, ``the 13th
army group``, ``three to four enemy divisions``, ``North Korean and Chinese
troops``, ``partisan detachments``, ``the General Staff``, ``the high command``.

Anchored on head nouns (automaton hits); the modifiers before the head are
read back to the start of the noun phrase.  The value is the phrase in
lower case without its article; editorial brackets are dropped from the
value (``puppet [South Korean] troops`` -> ``puppet troops``).  A bare head
(``the troops``, ``our troops``, ``forces``) is not a unit.

>>> normalise_unit("the  Ninth Army Group")
'ninth army group'
"""

from __future__ import annotations

import re

from ..model import Mention, Span
from .context import ORDINALS, Context

# Heads that are organisations on their own (with or without modifiers).
_SELF = {"general staff", "politburo", "central committee", "volunteers", "cc cpc", "council of ministers"}
# Heads that are units with a modifier (a number, an ordinal, a nationality, an adjective).
_NEEDS = {"army group", "army groups", "army corps", "armies", "division", "divisions", "regiment", "regiments",
          "brigade", "brigades", "detachment", "detachments", "corps", "battalion", "battalions",
          "fleet", "flotilla", "delegation", "commission"}
# Heads that are units only when counted or numbered ("38th army"; "the southern army" is not).
_COUNTED = {"army"}
# Generic heads: "Chinese troops", "enemy forces", "Soviet crews" name no unit.  (The gold files
# agree: nationality + troops/forces and "the high command" are not units.)
_MOD_WORD = (r"(?:\d{1,3}(?:st|nd|rd|th|-?[a-z]{1,2})?|\d{1,3}(?:,\d{3})*|(?i:" + "|".join(ORDINALS) +
             r"|one|two|three|four|five|six|seven|eight|nine|ten|several|many|some|all|both|more)|military|"
             r"enemy|enemy's|American|Americans|puppet|South|North|Korean|Koreans|Chinese|Soviet|"
             r"Anglo-American|Anglo-\s?American|Chinese-Korean|Korean-Chinese|British|Japanese|Turkish|"
             r"infantry|tank|mechanised|mechanized|motorised|cavalry|artillery|anti-aircraft|antiaircraft|"
             r"air|fighter|bomber|naval|security|police|partisan|guerrilla|volunteer|People's|Liberation|"
             r"reserve|main|fresh|new|remaining|regular|southern|northern|western|eastern|front-line|"
             r"Volunteer|UN|U\.N\.|Syngman|Rhee|Chiang|Kuomintang|KMT|Nationalist|landing|airborne|border|"
             r"engineer|sapper|railway|transport|signal|joint|first|rifle|guards|mountain|motorized|mortar|field|route|"
             r"of|to|and|or|,|\[[^\]]{1,30}\]|\([^)]{1,30}\))")
_MODS = re.compile(r"(?:(?P<art>\b(?:[Tt]he|[Aa]n?|[Oo]ur|[Yy]our|[Tt]heir|[Hh]is|[Ii]ts|[Tt]hese|[Tt]hose|[Tt]his|[Tt]hat)\s+)?"
                   r"(?<![\w'\-.,])(?P<mods>(?:" + _MOD_WORD + r"[\s]+)+))$")
_WEAK = {"of", "to", "and", "or", ",", "more", "our", "your", "their", "his", "its", "these", "those", "this", "that",
         "main", "all", "both", "some", "many", "new", "fresh", "the", "a", "an"}
_NAMED = re.compile(r"\s+(?:of\s+the\s+)?(?P<n>Chinese People's Volunteers|Korean People's Army|People's Liberation Army)")


_MOD_FULL = re.compile(_MOD_WORD)
_LAST_PIECE = re.compile(r"[\w'\-.,]*$")


def _may_end_in_a_modifier(window: str) -> bool:
    """Whether ``_MODS`` can match at the end of ``window`` at all: its last
    word must be a modifier (a quick test, so that the long search runs only
    before "the ninth army group", not before "our troops")."""
    if not window or not window[-1].isspace():
        return False
    words = window.split()
    if not words:
        return False
    last = words[-1]
    if last[-1] in "])":
        return True
    if _MOD_FULL.fullmatch(last):
        return True
    piece = _LAST_PIECE.search(last).group()
    return piece != last and bool(_MOD_FULL.fullmatch(piece))


def _chain_start(window: str) -> int:
    """Where ``_MODS`` may start matching at the earliest: at the last word that
    is no modifier (an article there, or a match after it)."""
    words = list(_TOKEN.finditer(window))
    for w in reversed(words):
        tok = w.group()
        if _MOD_FULL.fullmatch(tok) or "[" in tok or "]" in tok or "(" in tok or ")" in tok or "-" in tok:
            continue
        return w.start()
    return 0


_TOKEN = re.compile(r"\S+")
_CORPS_AFTER = re.compile(r"\s+corps\b", re.I)


_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_COUNT_WORD = re.compile(r"\d|(?:" + "|".join(ORDINALS) + r"|one|two|three|four|five|six)$")


_EDITORIAL = re.compile(r"\s*\[[^\]]*\]|\s+\([^)]*\)")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def normalise_unit(phrase: str) -> str:
    s = _EDITORIAL.sub("", phrase) if "[" in phrase or "(" in phrase else phrase
    s = " ".join(s.replace("\u00a0", " ").split()).strip(" ,").lower()
    s = _ARTICLE.sub("", s)
    return s


def units(ctx: Context) -> list[Mention]:
    text = ctx.text
    out: list[Mention] = []
    last_end = -1
    for h in ctx.hits_of("unit"):
        head = h.text.lower()
        if head not in _SELF and head not in _NEEDS and head not in _COUNTED:
            continue
        if h.start < last_end:
            continue
        # "army group" wins over "army" at the same place
        if head == "army" and text[h.end:h.end + 6].lower() == " group":
            continue
        # "army corps" is one head: the longest designation wins over "1st army"
        if head in ("army", "armies") and (c := _CORPS_AFTER.match(text, h.end)):
            h = h._replace(end=c.end(), text=text[h.start:c.end()])
            head = "army corps"
        s0 = ctx.sentence_at(h.start)[0]
        window = text[max(s0, h.start - 80):h.start]
        m = _MODS.search(window, _chain_start(window)) if _may_end_in_a_modifier(window) else None
        start = h.start
        end = h.end
        if m:
            mods = m.group("mods")
            # do not start on a weak word ("of", "and", ",")
            words = mods.split()
            while words and (words[0].lower().strip(",") in _WEAK or not words[0].strip(",")):
                words.pop(0)
            if words:
                lead = m.start("mods") + mods.find(words[0])
                start = h.start - (len(window) - lead)
                # keep "the"/"a" out of the value but in no span either
        phrase = text[start:end]
        strong = [w for w in _BRACKETS.sub("", phrase[:h.start - start]).split()
                  if w.lower().strip(",") not in _WEAK]
        if head in _NEEDS and not strong:
            continue
        if head in _COUNTED and not any(_COUNT_WORD.match(w.lower()) for w in strong) and \
                not re.search(r"People's\s+$", phrase[:h.start - start] + " "):
            continue
        if head == "politburo" and (o := re.match(r"\s+of\s+the\s+(?:CC\s+)?(?:CPC|VKP\s*\(b\)|CPSU|WPK|C\.C\.)[\w()]*",
                                                   text[end:end + 30])):
            end += o.end()
            phrase = text[start:end]
        if head in ("staff", "staffs") and not strong:
            continue
        # "the third operation of the Chinese People's Volunteers"
        if head == "volunteers":
            n = re.search(r"(?:Chinese People's|People's|Chinese)\s+$", text[max(0, h.start - 20):h.start])
            if not n:
                continue
        value = normalise_unit(phrase)
        if not value or value in ("of", "and"):
            continue
        out.append(Mention("unit", value, Span(start, end, phrase)))
        last_end = end
    out.sort(key=lambda m: m.span.start)
    return out
