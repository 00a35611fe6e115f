"""Planned operations a telegram discusses.

Named ones are numbered (``the fourth operation``, ``the last, fifth,
operation``): their key is stable across telegrams (``fourth-operation``),
and the n-th follows the (n-1)-th when the telegram names both.  Unnamed
ones are read from their wording: ``a local operation``, ``a serious blow
to the enemy``, ``the redeployment of the ninth army group``, ``the
withdrawal of ... troops``, ``the evacuation of the remaining Korean
troops``, ``move the ... air divisions closer to the front`` (a
redeployment), ``divide into two echelons`` (a two-echelon attack); their
key is a slug of the normalised name.  Only the parties' own forces plan
operations: a withdrawal of foreign or enemy troops (a negotiating demand)
is not one, and neither is a movement already made (``has been moved``:
an event).

An operation's time is the date its sentence gives (``begin the fourth
operation in March``, ``must in the near future be redeployed``); a time
relative to another operation (``after the conclusion of the fourth
operation, ... to begin the fifth``) also orders them: the later one
follows the other.

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

import bisect
import re
from dataclasses import dataclass, field

from ..model import Citation, DateValue, Mention, Objective, Operation, Span, Spanned
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
# "move part of the Korean units to ...", "move the Soviet fighter air divisions now in Andong closer to the front"
_MOVE_OBJECT = re.compile(r"\s+(?P<u>(?:(?:part|some|all|most)\s+of\s+)?(?:the\s+)?[^,.;:]{0,60}?(?:troops|army group|"
                          r"army|divisions?|forces|units|regiments?|brigades?|corps))\b(?=[^.;]{0,40}?\b(?:to|into|"
                          r"closer|nearer|towards?)\b)")
_MOVE_MODAL = re.compile(r"(?:\b(?:to|will|must|should|can|cannot|could|may|shall)\s+(?:not\s+)?|^[\s\d.]*)$")
_MOVED_MODAL = re.compile(r"\b(?:to|will|must|should|can|cannot|could|may|shall)\s+(?:not\s+)?be\s+$")
# whose movements are not the parties' operations
_NOT_OURS = re.compile(r"\b(?:foreign|enemy|enemy's|american|americans|puppet|anglo-american|british|turkish|un|"
                       r"south korean|southern)\b", re.IGNORECASE)

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
_STEMS = {"destroy": ("destr", "defeat", "annihil", "rout"), "occupy": ("occup", "seiz", "captur", "tak"),
          "hold": ("hold", "retain", "keep"), "break through": ("break",), "defend": ("defen", "cover")}
_TARGET_END = re.compile(r"(?:,\s+(?:and\s+)?(?:the\s+)?(?:to|with|so|which|while|after|since|in order|"
                         r"thereby)\b|\s+(?:and\s+(?:to|the\s+occupation|make|carry|also|draw|at)|so\s+as|so\s+that|"
                         r"in\s+order|since|because|which)\b|[.;:!?]|\s+and\s+(?=[a-z]+\s+(?:the|a)\b)|$)")
_COUNT = re.compile(r"^(?:the\s+|a\s+|as\s+many\s+)?(?P<lo>\d{1,3}(?:,\d{3})*|\d+|" + "|".join(
    w for w in NUMBER_WORDS if w not in ("a", "an", "several", "few")) + r")"
    r"(?:\s*(?:to|-|–|or)\s*(?P<hi>\d{1,3}(?:,\d{3})*|\d+|" + "|".join(
    w for w in NUMBER_WORDS if w not in ("a", "an", "several", "few")) + r"))?\b")
_SPAN_WORDS = frozenset(("day", "days", "week", "weeks", "month", "months", "hour", "hours"))
_DURATION = re.compile(r"\b(?:continue|last|calculated|designed|planned|take|lasting|conducted)\s+(?:for\s+)?"
                       r"(?P<d>(?:\d+\s*[-–]\s*\d+|\d+|(?:one|two|three|four|five|six|seven|eight|nine|ten)"
                       r"(?:\s+to\s+(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen))?)\s+"
                       r"(?:days?|weeks?|months?|hours?))\b")
_PREP_AFTER = re.compile(r"(?P<d>(?:\d+\s*[-–]\s*\d+|\d+|(?:one|two|three|four|five|six)"
                         r"(?:\s+to\s+(?:two|three|four|five|six|seven|eight))?)\s+(?:days?|weeks?|months?))"
                         r"(?:\s*-?\s*long)?\s+(?:preparation|pause|rest|break)")

_MODAL_BE = re.compile(r"\b(?:must|will|shall|should|to|can|could|may|would)\s+(?:\w+\s+)?be\s+$")
# words that say when an operation happens, for a date in its sentence to be its time
_TIMING_CUE = re.compile(r"\b(?:begin|began|begun|beginning|start|started|starts|launch|launched|conduct|conducted|"
                         r"carry out|carried out|redeploy|redeployed|concentrate|concentrated|complete|completed|"
                         r"end|ended|evacuate|evacuated|withdraw|withdrawn|move|moved|attack|strike|"
                         r"take place|will last)\b")
_STATUS = [
    ("rejected", re.compile(r"\b(?:disadvantageous|cannot allow|can in no case allow|cannot be \w+ed|reject|refuse[sd]?|do not agree|"
                            r"does not agree|not agree|postpone|cancel|impossible|inadvisable|not advisable|"
                            r"not ready for|object to|against it)\b")),
    ("carried out", re.compile(r"\b(?:successful beginning|successfully|was carried out|were carried out|"
                               r"ha(?:s|ve)\s+(?:\w+\s+)?begun|began|completed|ended|was conducted|has been carried out|"
                               r"continues|is continuing|results of)\b")),
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
    follows: str | None = None
    when: DateValue | None = None


def operations(ctx: Context, mentions: list[Mention], citations: list[Citation] | tuple = ()) -> list[Operation]:
    text = ctx.text
    ops: dict[str, _Op] = {}
    current: str | None = None  # the main operation the text is about
    current_para = -1  # the paragraph that named it last
    para_starts = [p.start for p in ctx.telegram.paragraphs]
    prev_sentence_ops: list[str] = []
    place_mentions = [m for m in mentions if m.kind == "place"]
    unit_mentions = [m for m in mentions if m.kind == "unit"]
    cited = [(c.span.start, c.span.end) for c in citations]
    date_mentions = [m.date for m in mentions if m.kind == "date" and m.date is not None
                     and not any(a <= m.span.start < b for a, b in cited)]
    by_sentence: dict[int, list] = {}
    for h in ctx.hits_of("operation"):
        by_sentence.setdefault(ctx.sentence_index(h.start), []).append(h)
    if not by_sentence:
        return []
    first = min(by_sentence)
    lower = ctx.lower
    # the sentences with words of actions (destroy, hold ...) and of time spans (days, months)
    with_action = {ctx.sentence_index(h.start) for h in ctx.hits_of("action")}
    timed_in = {ctx.sentence_index(h.start) for h in ctx.hits_of("relative") if h.text.lower() in _SPAN_WORDS}
    for si in range(first, len(ctx.sentences)):
        s, e = ctx.sentences[si]
        acts = si in with_action
        timed = si in timed_in
        if si not in by_sentence and not acts and not timed:
            # nothing here for any operation; only whether the next sentence goes on with this one
            if prev_sentence_ops and not _SAME_TOPIC.match(text, s, e):
                prev_sentence_ops = []
            continue
        sentence = text[s:e]
        low = lower[s:e]
        named: list[tuple[int, str]] = []  # (position, key) of operations in this sentence
        if si in by_sentence:
            for h in by_sentence[si]:
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
        objs = _objectives(text, s, e) if acts else []
        inside_targets = [(a, b) for _, a, b, _ in objs]
        for action, start, end, target in objs:
            before = [k for p, k in named if p < start]
            if before:
                key = before[-1]
            elif prev_sentence_ops and not named:
                key = prev_sentence_ops[-1]
            elif current and (action in ("destroy", "occupy", "break through") or
                              bisect.bisect_right(para_starts, s) == current_para):
                # a blow struck (destroy, occupy, break through) belongs to the operation the text is
                # about; holding or covering something, only within the paragraph that names it
                key = current
            elif current:
                continue
            elif named:
                key = named[0][1]
            else:
                continue
            op = ops[key]
            lo, hi = parse_count(target) if action == "destroy" else (None, None)
            obj = Objective(action, Span(start, end, text[start:end]), target, lo, hi)
            tplaces = [m.value for m in place_mentions if start <= m.span.start < end] if place_mentions else []
            if not _duplicate(op, obj, tplaces, place_mentions):
                op.objectives.append(obj)
            for p in tplaces:
                if p not in op.places:
                    op.places.append(p)
            for u in unit_mentions:
                if s <= u.span.start < e and u.value not in op.forces and not u.value.startswith("enemy") \
                        and not any(a <= u.span.start < b for a, b in inside_targets):
                    op.forces.append(u.value)
        # durations: "the operation will continue for 10-12 days"
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
        if named and date_mentions:
            _timing(ops, named, [d for d in date_mentions if s <= d.span.start < e], low)
        for _, key in named:
            if ops[key].main:
                current = key
                current_para = bisect.bisect_right(para_starts, s)
        prev_sentence_ops = [k for _, k in named] or ([] if _new_topic(sentence) else prev_sentence_ops)
    out = []
    orders = {op.order: op.key for op in ops.values() if op.order}
    for op in ops.values():
        follows = op.follows or (orders.get(op.order - 1) if op.order else None)
        out.append(Operation(op.name, op.key, op.span, op.status or "proposed", tuple(op.objectives),
                             tuple(op.places), tuple(op.forces), op.duration, follows, op.follows_after,
                             op.when))
    out.sort(key=lambda o: o.span.start)
    return out


def _timing(ops: dict[str, _Op], named: list[tuple[int, str]], dates: list[DateValue], low: str) -> None:
    """The times a sentence gives the operations it names, and their order:
    ``after the conclusion of the fourth operation, ... to begin the fifth``
    (the fifth follows the fourth, at that time); ``before the fifth
    operation ... the redeployment`` (the fifth follows the redeployment);
    otherwise the date nearest the operation's name when the sentence says
    when it happens (``begin the fourth operation in March``, ``must in the
    near future be redeployed``; not ``in the near future we will send our
    considerations on the fifth operation``)."""
    for d in dates:
        if d.relative_to != "operation":
            continue
        anchor = d.operation
        for _, key in named:
            if key == anchor:
                continue
            op = ops[key]
            if d.relation == "before":
                if anchor in ops and ops[anchor].follows is None and ops[anchor].order is None:
                    ops[anchor].follows = key
            elif d.relation == "after" and op.follows is None:
                op.follows = anchor
            if op.when is None:
                op.when = d
    if not _TIMING_CUE.search(low):
        return
    for pos, key in named:
        op = ops[key]
        if op.when is not None:
            continue
        own = [d for d in dates if not (d.relative_to == "operation" and d.operation == key)
               and not (d.span.start <= pos < d.span.end)]
        if own:
            op.when = min(own, key=lambda d: min(abs(d.span.start - pos), abs(d.span.end - pos)))


_SAME_TOPIC = re.compile(r"\s*(?:At the same time|Moreover|Also|In addition|Then|After that|Besides)")


def _new_topic(sentence: str) -> bool:
    return not _SAME_TOPIC.match(sentence)


def _status(sentence: str) -> str | None:
    found = []
    for status, rx in _STATUS:
        for m in rx.finditer(sentence):
            # "must be completed" is not done yet
            if status == "carried out" and _MODAL_BE.search(sentence, max(0, m.start() - 30), m.start()):
                continue
            found.append((m.start(), status))
            break
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
                "concentration", "move", "moved"):
        unit = None
        phrase = None  # the troops moved, when the text names no unit: "the remaining Korean troops"
        if word == "move":
            # "We ask you to move the ... divisions ... closer to the front"
            if not _MOVE_MODAL.search(ctx.lower[max(s0, h.start - 30):h.start]):
                return None
            if not (m := _MOVE_OBJECT.match(text, h.end, e0)):
                return None
            unit = next((u for u in units if m.start("u") <= u.span.start < m.end("u")), None)
            phrase = m.group("u")
        elif word == "moved":
            # "The Soviet fighter air divisions cannot be moved to Korea" (not "has been moved": done)
            if not _MOVED_MODAL.search(ctx.lower, max(s0, h.start - 30), h.start):
                return None
            before_units = [u for u in units if s0 <= u.span.start < h.start]
            unit = before_units[-1] if before_units else None
        elif (m := _OF_UNIT.match(text, h.end)):
            unit = next((u for u in units if m.start("u") <= u.span.start < m.end("u")), None)
            phrase = m.group("u")
        if unit is None and word in ("redeployed", "concentrate", "redeploy"):
            # "The ninth army group must ... be redeployed" / "we will concentrate the 13th army group"
            near = [u for u in units if s0 <= u.span.start < e0 and re.match(
                r"(?:\d|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)", u.value)]
            if near:
                unit = min(near, key=lambda u: abs(u.span.start - h.start))
        if unit is not None:
            what = unit.value
        elif phrase is not None and word in ("withdrawal", "evacuation", "move") and \
                re.search(r"(?:troops|forces|units)$", phrase):
            what = " ".join(re.sub(r"\s*\[[^\]]*\]", "", phrase).split())
            what = re.sub(r"^the\s+", "", what, flags=re.IGNORECASE)
        else:
            return None
        if _NOT_OURS.search(what) or what.lower() in ("troops", "forces", "units"):
            return None
        noun = {"redeployed": "redeployment", "redeploy": "redeployment", "concentrate": "concentration",
                "move": "redeployment", "moved": "redeployment"}.get(word, word)
        bare = re.match(r"(?:part|some|all|most)\s+of\b|(?:our|your|their|his|its)\s", what, re.IGNORECASE)
        name = f"{noun} of {what}" if bare else f"{noun} of the {what}"
        key = _add(ops, slug(name), name, Span(h.start, h.end, h.text), False)
        if unit is not None and unit.value not in ops[key].forces:
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


_DECISIVE = re.compile(r"\s+of\s+(?P<t>decisive\s+(?:significance|importance))")


def _decisive(ctx: Context, op: _Op, end: int) -> None:
    """``the last, fifth, operation of decisive significance``: its stated aim."""
    m = _DECISIVE.match(ctx.text, end, end + 40)
    if m and not op.objectives:
        op.objectives.append(Objective("other", Span(m.start("t"), m.end("t"), m.group("t")),
                                       m.group("t")))


def _objectives(text: str, s: int, e: int) -> list[tuple[str, int, int, str]]:
    out = []
    sentence = text[s:e]
    low = sentence.lower()
    for action, rx in _ACTIONS:
        if not any(map(low.__contains__, _STEMS[action])):
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
            if action == "defend" and low.endswith(("through the ", "through "), 0, m.start()):
                continue  # "break through the defence of ...": what is broken, not defended
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
