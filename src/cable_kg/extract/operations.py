"""Planned operations a telegram discusses.

Named ones are numbered (``the fourth operation``, ``the last, fifth,
operation``): their key is stable across telegrams (``fourth-operation``),
and the n-th follows the (n-1)-th when the telegram names both.  Unnamed
ones are read from their wording: ``a local operation``, ``a serious blow
to the enemy``, ``the redeployment of the ninth army group``, ``the
withdrawal of ... troops``, ``divide into two echelons`` (a two-echelon
attack); their key is a slug of the normalised name.

The sentences are read in order; an objective (destroy, occupy, hold,
break through, defend) belongs to the operation named before it in its
sentence, else to the one the text is about (the last named; "this
operation", "the operation").  The status comes from the first sentence
about the operation whose wording says it: ``must``/``it is necessary``
(ordered), ``propose``/``should``/``ask ... to think over`` (proposed),
``agree``/``approve`` (approved), ``disadvantageous``/``cannot allow``
(rejected), ``successful beginning``/``was carried out`` (carried out).

>>> parse_count("20,000 to 30,000 American troops"), parse_count("three to four enemy divisions"), parse_count("two regiments")
((20000, 30000), (3, 4), (2, 2))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Mention, Objective, Operation, Span, Spanned
from ..resolve import slug
from .context import NUMBER_WORDS, ORDINAL_NAMES, ORDINALS, Context

_ORD = "|".join(ORDINALS)
_NAMED_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|our|its|this|their)\s+)?(?:(?:last|next|final|new|coming|forthcoming|present|current)\s*,?\s*)?"
    r"(?P<ord>" + _ORD + r"|\d{1,2}(?:st|nd|rd|th))\s*,?\s*(?:(?:offensive|general|decisive)\s+)?$")
_ADJ_BEFORE = re.compile(r"\b(?:a|an|the)\s+(?P<adj>local|offensive|landing|amphibious|counter-offensive|"
                         r"counteroffensive|limited|large|major|big|decisive|joint|general|airborne)\s+$")
_REF_BEFORE = re.compile(r"\b(?:this|the|that|such an?|the given|the said|the present|the current|the whole)\s+$")
_BLOW = re.compile(r"\b(?:a|an|the)\s+(?P<adj>(?:(?:serious|short|strong|powerful|decisive|heavy|crushing|major|"
                   r"big|new|local)\s*,?\s*)+)$")
_BLOW_AFTER = re.compile(r"\s+(?P<t>(?:to|against|at|on)\s+the\s+enemy)")
_OF_UNIT = re.compile(r"\s+of\s+(?:the\s+)?(?P<u>[^,.;:]{3,80}?(?:troops|army group|army|divisions?|forces|units|"
                      r"regiments?|brigades?|corps))\b")

_ACTIONS = [
    ("destroy", re.compile(r"\b(?:destruction of|destroy(?:ing)?|defeat of|defeat(?:ing)?|annihilat(?:e|ion of|ing)|"
                           r"rout(?:ing)? of)\s+")),
    ("occupy", re.compile(r"\b(?:occupation of|occupy(?:ing)?|seiz(?:e|ing|ure of)|captur(?:e|ing)|take|taking)\s+")),
    ("hold", re.compile(r"\b(?:hold(?:ing)?|retain(?:ing)?|keep(?:ing)?)\s+(?=\S)")),
    ("break through", re.compile(r"\b(?:break(?:ing)?\s+through|breakthrough of|make the breakthrough|"
                                 r"(?=the breakthrough))\s*")),
    ("defend", re.compile(r"\b(?:defend(?:ing)?|defence of|defense of|cover(?:ing)?)\s+")),
]
# Literal stems of the action words: a sentence without any is not searched.
_ACTION_WORDS = ("destr", "defeat", "annihil", "rout", "occup", "seiz", "captur", "take", "taking", "hold",
                 "retain", "keep", "break", "defen", "defend", "cover")
_STEMS = {"destroy": ("destr", "defeat", "annihil", "rout"), "occupy": ("occup", "seiz", "captur", "tak"),
          "hold": ("hold", "retain", "keep"), "break through": ("break",), "defend": ("defen", "cover")}
_TARGET_END = re.compile(r"(?:,\s+(?:and\s+)?(?:the\s+)?(?:to|with|so|which|while|after|since|in order|"
                         r"thereby)\b|\s+(?:and\s+(?:to|the\s+occupation|make|carry|also|draw|at)|so\s+as|so\s+that|"
                         r"in\s+order|since|because|which)\b|[.;:!?]|\s+and\s+(?=[a-z]+\s+(?:the|a)\b)|$)")
_COUNT = re.compile(r"^(?:the\s+|a\s+|as\s+many\s+)?(?P<lo>\d{1,3}(?:,\d{3})*|\d+|" + "|".join(
    w for w in NUMBER_WORDS if w not in ("a", "an", "several", "few")) + r")"
    r"(?:\s*(?:to|-|–|or)\s*(?P<hi>\d{1,3}(?:,\d{3})*|\d+|" + "|".join(
    w for w in NUMBER_WORDS if w not in ("a", "an", "several", "few")) + r"))?\b")
_DURATION = re.compile(r"\b(?:continue|last|calculated|designed|planned|take|lasting|conducted)\s+(?:for\s+)?"
                       r"(?P<d>(?:\d+\s*[-–]\s*\d+|\d+|(?:one|two|three|four|five|six|seven|eight|nine|ten)"
                       r"(?:\s+to\s+(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen))?)\s+"
                       r"(?:days?|weeks?|months?|hours?))")
_PREP_AFTER = re.compile(r"(?P<d>(?:\d+\s*[-–]\s*\d+|\d+|(?:one|two|three|four|five|six)"
                         r"(?:\s+to\s+(?:two|three|four|five|six|seven|eight))?)\s+(?:days?|weeks?|months?))"
                         r"(?:\s*-?\s*long)?\s+(?:preparation|pause|rest|break)")

_STATUS = [
    ("rejected", re.compile(r"\b(?:disadvantageous|cannot allow|can in no case allow|reject|refuse[sd]?|do not agree|"
                            r"does not agree|not agree|postpone|cancel|impossible|inadvisable|not advisable|"
                            r"not ready for|object to|against it)\b")),
    ("carried out", re.compile(r"\b(?:successful beginning|successfully|was carried out|were carried out|has begun|"
                               r"have begun|began|completed|ended|was conducted|has been carried out)\b")),
    ("approved", re.compile(r"\b(?:we approve|approve[sd]?|we agree|agree[sd]? (?:to|with)|consent|sanction)\b")),
    ("ordered", re.compile(r"\b(?:must|are to|is to|order(?:ed)?|will begin|shall|it is necessary|"
                           r"consider it necessary|we will|instruct(?:ed)?)\b")),
    ("proposed", re.compile(r"\b(?:propose[sd]?|proposal|should|suggest(?:s|ed)?|think over|asks? permission|"
                            r"ask you to|it would be|would|advisable|intends?|plans?|i think|whether)\b")),
]


def parse_count(target: str) -> tuple[int | None, int | None]:
    """The number or range a target starts with."""
    m = _COUNT.match(target.strip().lower())
    if not m:
        return None, None

    def val(t: str | None) -> int | None:
        if t is None:
            return None
        t = t.lower().replace(",", "")
        return int(t) if t.isdigit() else NUMBER_WORDS.get(t)
    lo = val(m.group("lo"))
    hi = val(m.group("hi")) if m.group("hi") else lo
    return lo, hi


@dataclass
class _Op:
    name: str
    key: str
    span: Span
    main: bool  # numbered or a blow: later sentences may be about it
    status: str | None = None
    objectives: list[Objective] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)
    duration: Spanned | None = None
    follows_after: Spanned | None = None
    order: int | None = None


def operations(ctx: Context, mentions: list[Mention]) -> list[Operation]:
    text = ctx.text
    ops: dict[str, _Op] = {}
    current: str | None = None  # the main operation the text is about
    prev_sentence_ops: list[str] = []
    place_mentions = [m for m in mentions if m.kind == "place"]
    unit_mentions = [m for m in mentions if m.kind == "unit"]
    by_sentence: dict[int, list] = {}
    for h in ctx.hits:
        if h.kind == "operation":
            by_sentence.setdefault(ctx.sentence_index(h.start), []).append(h)
    if not by_sentence:
        return []
    first = min(by_sentence)
    lower = ctx.lower
    for si, (s, e) in enumerate(ctx.sentences):
        if si < first:
            continue
        sentence = text[s:e]
        low = lower[s:e]
        named: list[tuple[int, str]] = []  # (position, key) of operations in this sentence
        for h in by_sentence.get(si, []):
            found = _operation_at(ctx, h, ops, current, unit_mentions, place_mentions)
            if found is None:
                continue
            key, pos = found
            named.append((pos, key))
        named.sort()
        # status from the first sentence that says it
        for _, key in named:
            op = ops[key]
            if op.status is None:
                op.status = _status(low)
        # objectives
        objs = _objectives(text, s, e) if any(w in low for w in _ACTION_WORDS) else []
        inside_targets = [(a, b) for _, a, b, _ in objs]
        for action, start, end, target in objs:
            before = [k for p, k in named if p < start]
            if before:
                key = before[-1]
            elif prev_sentence_ops and not named:
                key = prev_sentence_ops[-1]
            elif current:
                key = current
            elif named:
                key = named[0][1]
            else:
                continue
            op = ops[key]
            lo, hi = parse_count(target) if action == "destroy" else (None, None)
            obj = Objective(action, Span(start, end, text[start:end]), target, lo, hi)
            tplaces = [m.value for m in place_mentions if start <= m.span.start < end]
            if not _duplicate(op, obj, tplaces, place_mentions):
                op.objectives.append(obj)
            for p in tplaces:
                if p not in op.places:
                    op.places.append(p)
            for u in unit_mentions:
                if s <= u.span.start < e and not any(a <= u.span.start < b for a, b in inside_targets) \
                        and u.value not in op.forces \
                        and not u.value.startswith("enemy"):
                    op.forces.append(u.value)
        # durations: "the operation will continue for 10-12 days"
        timed = any(w in low for w in ("day", "week", "month", "hour"))
        if timed and (d := _DURATION.search(low)):
            key = next((k for p, k in reversed(named) if p < s + d.start()), None) or current or \
                (named[0][1] if named else None)
            if key and ops[key].duration is None:
                ops[key].duration = Spanned(" ".join(d.group("d").split()),
                                            Span(s + d.start("d"), s + d.end("d"), d.group("d")))
        # "a two to three months long preparation, after which ... the fifth operation"
        if timed and ("long" in low or "preparation" in low) and (pa := _PREP_AFTER.search(low)):
            key = next((k for p, k in named if p > s + pa.start()), None)
            if key and ops[key].follows_after is None:
                ops[key].follows_after = Spanned(" ".join(pa.group("d").split()),
                                                 Span(s + pa.start(), s + pa.end(), pa.group(0)))
        for _, key in named:
            if ops[key].main:
                current = key
        prev_sentence_ops = [k for _, k in named] or ([] if _new_topic(sentence) else prev_sentence_ops)
    out = []
    orders = {op.order: op.key for op in ops.values() if op.order}
    for op in ops.values():
        follows = orders.get(op.order - 1) if op.order else None
        out.append(Operation(op.name, op.key, op.span, op.status or "proposed", tuple(op.objectives),
                             tuple(op.places), tuple(op.forces), op.duration, follows, op.follows_after))
    out.sort(key=lambda o: o.span.start)
    return out


def _new_topic(sentence: str) -> bool:
    return not re.match(r"\s*(?:At the same time|Moreover|Also|In addition|Then|After that|Besides)", sentence)


def _status(sentence: str) -> str | None:
    found = [(m.start(), status) for status, rx in _STATUS if (m := rx.search(sentence))]
    if not found:
        return None
    # the strongest cue wins; order of _STATUS is the priority
    priority = [s for s, _ in _STATUS]
    return min(found, key=lambda x: priority.index(x[1]))[1]


def _add(ops: dict[str, _Op], key: str, name: str, span: Span, main: bool, order: int | None = None) -> str:
    if key not in ops:
        ops[key] = _Op(name, key, span, main, order=order)
    return key


def _operation_at(ctx: Context, h, ops: dict[str, _Op], current: str | None,
                  units: list[Mention], places: list[Mention]) -> tuple[str, int] | None:
    """The operation a hit names or refers to: (key, position)."""
    text = ctx.text
    word = h.text.lower()
    s0, e0 = ctx.sentence_at(h.start)
    before = ctx.lower[max(s0, h.start - 40):h.start]
    if word == "operation":
        if (m := _NAMED_BEFORE.search(before)):
            o = m.group("ord").lower()
            n = ORDINALS.get(o) or int(re.sub(r"\D", "", o))
            name = f"{ORDINAL_NAMES.get(n, o)} operation"
            start = h.start - (len(before) - m.start())
            key = _add(ops, slug(name), name, Span(start, h.end, text[start:h.end]), True, n)
            _decisive(ctx, ops[key], h.end)
            return key, start
        if (m := _ADJ_BEFORE.search(before)):
            name = f"{m.group('adj').lower()} operation"
            start = h.start - (len(before) - m.start("adj"))
            return _add(ops, slug(name), name, Span(start, h.end, text[start:h.end]), True), start
        if _REF_BEFORE.search(before) and current is not None:
            return current, h.start
        if current is None and ops and _REF_BEFORE.search(before):
            return next(reversed(ops)), h.start
        return None
    if word == "blow":
        m = _BLOW.search(before)
        if not m:
            if current and current in ops and ops[current].name.endswith("blow") or \
                    any(k.startswith("serious") for k in ops):
                key = next(k for k in ops if ops[k].name.split()[-1] == "blow" or "blow" in k)
                return key, h.start
            return None
        existing = next((k for k in ops if "blow" in ops[k].name), None)
        if existing:
            return existing, h.start
        adj = " ".join(w for w in m.group("adj").replace(",", " ").split() if w.lower() != "short")
        name = f"{adj.lower()} blow"
        start = h.start - (len(before) - m.start("adj"))
        end = h.end
        if (a := _BLOW_AFTER.match(text, h.end)):
            name += " " + a.group("t").lower().replace(" to ", " against ").replace("to the", "against the")
            end = a.end()
        return _add(ops, slug(name), name, Span(start, end, text[start:end]), True), start
    if word in ("redeployed", "redeployment", "redeploy", "withdrawal", "evacuation", "concentrate",
                "concentration"):
        unit = None
        if (m := _OF_UNIT.match(text, h.end)):
            unit = next((u for u in units if m.start("u") <= u.span.start < m.end("u")), None)
        if unit is None and word in ("redeployed", "concentrate", "redeploy"):
            # "The ninth army group must ... be redeployed" / "we will concentrate the 13th army group"
            near = [u for u in units if s0 <= u.span.start < e0 and re.match(
                r"(?:\d|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)", u.value)]
            if near:
                unit = min(near, key=lambda u: abs(u.span.start - h.start))
        if unit is None:
            return None
        noun = {"redeployed": "redeployment", "redeploy": "redeployment", "concentrate": "concentration"}.get(word, word)
        name = f"{noun} of the {unit.value}"
        key = _add(ops, slug(name), name, Span(h.start, h.end, h.text), False)
        if unit.value not in ops[key].forces:
            ops[key].forces.append(unit.value)
        if noun in ("redeployment", "concentration", "evacuation"):
            # destination: "to the region of Pyongyang, Seoul, Jemulpo, Suwon"
            dest = re.match(r"[^.;]*?\b(?:to|in)\s+the\s+(?:region|area)s?\s+of\s+(?P<p>[^.;]+)", text[h.end:e0])
            if dest:
                ds = h.end + dest.start("p")
                de = h.end + dest.end("p")
                for pm in places:
                    if ds <= pm.span.start < de and pm.value not in ops[key].places:
                        ops[key].places.append(pm.value)
        return key, h.start
    if word == "echelons":
        if re.search(r"\btwo\s+$", before):
            name = "two-echelon attack"
            key = _add(ops, slug(name), name, Span(h.start - 4, h.end, text[h.start - 4:h.end]), False)
            for u in units:
                if s0 <= u.span.start < e0 and "echelon" not in u.value and not u.value.startswith("enemy") \
                        and u.value not in ops[key].forces:
                    ops[key].forces.append(u.value)
            return key, h.start - 4
    if word == "echelon" and "two-echelon-attack" in ops:
        return "two-echelon-attack", h.start
    return None


def _decisive(ctx: Context, op: _Op, end: int) -> None:
    """``the last, fifth, operation of decisive significance``: its stated aim."""
    m = re.match(r"\s+of\s+(?P<t>decisive\s+(?:significance|importance))", ctx.text[end:end + 40])
    if m and not op.objectives:
        op.objectives.append(Objective("other", Span(end + m.start("t"), end + m.end("t"), m.group("t")),
                                       m.group("t")))


def _objectives(text: str, s: int, e: int) -> list[tuple[str, int, int, str]]:
    out = []
    sentence = text[s:e]
    low = sentence.lower()
    for action, rx in _ACTIONS:
        if not any(w in low for w in _STEMS[action]):
            continue
        for m in rx.finditer(low):
            if action == "hold" and not (sentence[m.end()].isupper() or low.startswith("the ", m.end())):
                continue
            ts = m.end()
            if action == "break through" and low.startswith("the breakthrough", ts):
                ts += len("the breakthrough")
                tm = re.match(r"\s*(?:of\s+)?", sentence[ts:])
                ts += tm.end() if tm else 0
            end_m = _TARGET_END.search(low, ts)
            te = end_m.start() if end_m else len(sentence)
            target = sentence[ts:te].strip(" ,")
            if action == "break through" and re.match(r"(?:and|to|so)\b", target):
                target, te = "", ts
                target = ""
            elif len(target) < 3:
                continue
            if action in ("hold", "defend") and re.match(r"(?:a|the)\s+(?:meeting|conversation|negotiations)", target):
                continue
            out.append((action, s + m.start(), s + ts + len(sentence[ts:te].rstrip(" ,")), target))
    out.sort(key=lambda x: x[1])
    # one objective per stretch of text: the earliest wins an overlap
    kept: list[tuple[str, int, int, str]] = []
    for o in out:
        if kept and o[1] < kept[-1][2] and o[0] == kept[-1][0]:
            continue
        kept.append(o)
    return kept


def _duplicate(op: _Op, obj: Objective, places: list[str], place_mentions: list[Mention]) -> bool:
    for o in op.objectives:
        if o.action != obj.action:
            continue
        if o.target == obj.target:
            return True
        if places:
            other = [m.value for m in place_mentions if o.span.start <= m.span.start < o.span.end]
            if sorted(set(other)) == sorted(set(places)):
                return True
    return False
