"""Score conversion against hand-made gold files.

Each gold file (JSON, one per telegram) names the telegram it describes
(``"telegram"``, relative to the gold file) and what a perfect conversion
gives: header fields, embedded telegrams, people, places, units, dates,
operations, citations and the telegrams it replies to.  :func:`evaluate`
converts every telegram named and counts, per category, true positives,
false positives and false negatives; :func:`format_report` prints
precision, recall and F1 per category and their micro totals.

Names are compared as canonical names (the authority's ``name``) after
resolving what the record holds.  A ``null`` header field in gold means the
record must not have it.  The ``links`` category (reply links) is scored
only when a ``links`` callable is passed: it gets every converted document
and returns, for each file stem, the stems of the telegrams it replies to.

>>> c = Counts(3, 1, 2); round(c.precision, 2), round(c.recall, 2), round(c.f1, 2)
(0.75, 0.6, 0.67)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .convert import convert_file
from .errors import InputError
from .model import DateValue, SourceDocument, Telegram
from .resolve import Authority, normalise_name, slug
from .scoring import PrecisionRecall

CATEGORIES = ("header", "people", "places", "units", "dates", "operations", "citations", "links")
LinksFn = Callable[[list[SourceDocument]], dict[str, Iterable[str]]]


@dataclass
class Counts(PrecisionRecall):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class FileResult:
    """One gold file's counts and what did not match (for reading)."""

    gold: str
    counts: dict[str, Counts] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # "category: - expected / + extra"
    error: str | None = None


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)

    @property
    def categories(self) -> dict[str, Counts]:
        out = {c: Counts() for c in CATEGORIES}
        for f in self.files:
            for c, n in f.counts.items():
                out.setdefault(c, Counts()).add(n)
        return {c: n for c, n in out.items() if n.tp + n.fp + n.fn or c != "links"}

    @property
    def micro(self) -> Counts:
        total = Counts()
        for n in self.categories.values():
            total.add(n)
        return total

    def of(self, stem: str) -> FileResult | None:
        return next((f for f in self.files if Path(f.gold).stem == stem), None)


# ---------------------------------------------------------------- comparing

def _score(expected: Iterable, found: Iterable) -> tuple[Counts, list, list]:
    """Multiset comparison: counts, the missing and the extra items."""
    e, f = Counter(expected), Counter(found)
    tp = sum((e & f).values())
    missing = list((e - f).elements())
    extra = list((f - e).elements())
    return Counts(tp, len(extra), len(missing)), missing, extra


def _norm(value) -> str:
    return " ".join(str(value).replace("\u00a0", " ").split()).lower().strip(" .")


class _Resolver:
    def __init__(self, authority: Authority):
        self.a = authority

    def person(self, name: str | None, bracket: str | None = None) -> str | None:
        if not name:
            return None
        return self.a.person(name, bracket).name

    def gold_person(self, name: str | None) -> str | None:
        return self.a.person(name).name if name else None

    def place(self, name: str | None) -> str | None:
        return self.a.place(name).name if name else None


def _all(t: Telegram) -> list[Telegram]:
    out = [t]
    for e in t.embedded:
        out.extend(_all(e))
    return out


def _date_key(d: DateValue | None, precision: str | None = None) -> str | None:
    """A value compared at day level at most; ``24:00`` is the day it ends."""
    if d is None:
        return None
    iso = d.iso
    if d.precision == "minute" and iso.endswith("T00:00") and "24:00" in d.span.text:
        from datetime import date, timedelta
        iso = (date.fromisoformat(iso[:10]) - timedelta(days=1)).isoformat()
    return iso[:10]


def _gold_date(value: str | None) -> str | None:
    if not value:
        return None
    return value[:10]


def _header(t: Telegram, gold: dict, r: _Resolver, misses: list[str]) -> Counts:
    total = Counts()

    def scalar(name: str, expected, found, same=lambda a, b: _norm(a) == _norm(b)) -> None:
        if expected is None and found is None:
            return
        if expected is None:
            total.fp += 1
            misses.append(f"header.{name}: + {found!r}")
        elif found is None:
            total.fn += 1
            misses.append(f"header.{name}: - {expected!r}")
        elif same(expected, found):
            total.tp += 1
        else:
            total.fp += 1
            total.fn += 1
            misses.append(f"header.{name}: - {expected!r} + {found!r}")

    def many(name: str, expected: list, found: list) -> None:
        c, missing, extra = _score([_norm(x) for x in expected], [_norm(x) for x in found])
        total.add(c)
        for m in missing:
            misses.append(f"header.{name}: - {m!r}")
        for x in extra:
            misses.append(f"header.{name}: + {x!r}")

    def trans(kind: str) -> str | None:
        w = next((x.when for x in t.transmissions if x.kind == kind), None)
        return w.iso if w else None

    who = r.a.person(t.author.name, t.author.bracket) if t.author else None
    found = {
        "doc_type": t.doc_type,
        "date": t.best_date.iso[:10] if t.best_date else None,
        "number": t.telegram_number.value if t.telegram_number else None,
        "title_number": t.number("title").value if t.number("title") else None,
        "outgoing_number": t.number("outgoing").value if t.number("outgoing") else None,
        "issuing_number": t.number("issuing").value if t.number("issuing") else None,
        "author": who.name if who else None,
        "origin": r.place(t.origin.value) if t.origin else None,
        "destination": r.place(t.destination.value) if t.destination else None,
        "sent": trans("sent"),
        "received": trans("received"),
        "deciphered": trans("deciphered"),
        "typed": trans("typed"),
        "urgency": t.urgency.value if t.urgency else None,
        "issuing_office": t.issuing_office.value if t.issuing_office else None,
        "record_id": t.record_id.value if t.record_id else None,
        "language": t.language,
        "embedded": len(_all(t)) - 1,  # at any depth
        "summary": t.summary.value if t.summary else None,
    }
    for name, expected in gold.items():
        if name == "author":
            scalar(name, r.gold_person(expected), found["author"])
        elif name == "author_as":
            written = {normalise_name(t.author.name)} if t.author else set()
            if who and who.pseudonym:
                written.add(normalise_name(who.pseudonym))
            if expected is None:
                scalar(name, None, who.pseudonym if who and who.pseudonym else None)
            else:
                scalar(name, expected, t.author.name if t.author else None,
                       lambda a, b: normalise_name(a) in written)
        elif name == "addressees_as":
            got = [r.a.person(x.name, x.bracket).pseudonym for x in t.addressees]
            many(name, [x for x in expected or [] if x], [x for x in got if x])
        elif name in ("addressees", "via"):
            refs = t.addressees if name == "addressees" else t.via
            many(name, [r.gold_person(x) for x in expected or []], [r.person(x.name, x.bracket) for x in refs])
        elif name in ("origin", "destination"):
            scalar(name, r.place(expected), found[name])
        elif name in ("sent", "received", "deciphered", "typed", "date"):
            scalar(name, expected, found[name], lambda a, b: str(b).startswith(str(a)) or str(a).startswith(str(b)))
        elif name == "classification":
            exp = expected if isinstance(expected, list) else ([expected] if expected else [])
            many(name, exp, [c.value for c in t.classification])
        elif name == "copies":
            exp = [f"{r.gold_person(c.get('name'))}|{c.get('count')}" for c in expected or []]
            got = [f"{r.person(c.person.name, c.person.bracket)}|{c.count}" for c in t.copies]
            many(name, exp, got)
        elif name == "archive":
            a = t.archive_citation
            for part in ("archive", "fond", "opis", "delo", "listy"):
                if expected is None and a is not None and a.archive is None and a.fond is None:
                    continue  # a source line that is not an archive citation
                if expected is None:
                    scalar("archive." + part, None, getattr(a, part) if a else None)
                elif part in expected:
                    scalar("archive." + part, expected[part], getattr(a, part) if a else None,
                           lambda x, y: re.sub(r"\s", "", _norm(x)) == re.sub(r"\s", "", _norm(y)))
        elif name == "embedded":
            scalar(name, expected, found["embedded"], lambda a, b: int(a) == int(b))
        elif name in found:
            scalar(name, expected, found[name])
    return total


def _embedded(t: Telegram, gold: list[dict], r: _Resolver, misses: list[str]) -> Counts:
    """The embedded telegrams' number, date, author, addressees (header category)."""
    total = Counts()
    flat = _all(t)[1:]  # document order, nested ones after their carrier
    for i, g in enumerate(gold):
        e = flat[i] if i < len(flat) else None
        for name, expected in g.items():
            if name == "number":
                got = e.telegram_number.value if e and e.telegram_number else None
                ok = expected is not None and got is not None and _norm(expected) == _norm(got)
            elif name == "date":
                got = e.best_date.iso[:10] if e and e.best_date else None
                ok = expected is not None and got is not None and str(expected)[:10] == got
            elif name == "author":
                got = r.person(e.author.name, e.author.bracket) if e and e.author else None
                ok = expected is not None and got == r.gold_person(expected)
            elif name == "doc_type":
                got = e.doc_type if e else None
                ok = expected is not None and got is not None and _norm(expected) == _norm(got)
            elif name == "addressees":
                got_l = [r.person(x.name, x.bracket) for x in e.addressees] if e else []
                c, missing, extra = _score([r.gold_person(x) for x in expected or []], got_l)
                total.add(c)
                misses.extend(f"embedded[{i}].addressees: - {m!r}" for m in missing)
                misses.extend(f"embedded[{i}].addressees: + {m!r}" for m in extra)
                continue
            else:
                continue
            if expected is None and got is None:
                continue
            if ok:
                total.tp += 1
            else:
                total.fp += got is not None
                total.fn += expected is not None
                misses.append(f"embedded[{i}].{name}: - {expected!r} + {got!r}")
    return total


def _sets(doc: SourceDocument, gold: dict, r: _Resolver, result: FileResult,
          links: dict[str, set[str]] | None) -> None:
    tels = _all(doc.telegram)
    mentions = [m for t in tels for m in t.mentions]

    def category(name: str, expected: list, found: list, as_set: bool = True) -> None:
        if as_set:
            expected, found = sorted(set(expected), key=str), sorted(set(found), key=str)
        c, missing, extra = _score(expected, found)
        result.counts[name] = c
        result.misses.extend(f"{name}: - {m!r}" for m in missing)
        result.misses.extend(f"{name}: + {x!r}" for x in extra)

    # People, places and dates are those of the whole record: the header's
    # (author, addressees, channels, copies, who deciphered or typed it; origin
    # and destination; transmission and signature times) and the text's.
    if "people" in gold:
        found = [r.person(m.value, m.bracket) for m in mentions if m.kind == "person"]
        for t in tels:
            refs = [t.author, t.signatory, *t.addressees, *t.via, *(c.person for c in t.copies)]
            found += [r.person(x.name, x.bracket) for x in refs if x is not None]
            found += [r.person(x.by) for x in t.transmissions if x.by]
        category("people", [r.gold_person(x) for x in gold["people"]], found)
    if "places" in gold:
        found = [r.place(m.value) for m in mentions if m.kind == "place"]
        for t in tels:
            found += [r.place(v.value) for v in (t.origin, t.destination) if v is not None]
        category("places", [r.place(x) for x in gold["places"]], found)
    if "units" in gold:
        category("units", [_norm(x) for x in gold["units"]], [_norm(m.value) for m in mentions if m.kind == "unit"])
    if "dates" in gold:
        category("dates", [(d["value"], d.get("precision") or _precision(d["value"])) for d in gold["dates"]],
                 [(m.date.iso, m.date.precision) for m in mentions if m.kind == "date" and m.date] +
                 [(x.when.iso, x.when.precision) for t in tels for x in t.transmissions
                  if x.when.precision in ("year", "month", "day", "minute")] +
                 [(t.signature_date.iso, t.signature_date.precision) for t in tels if t.signature_date])
    if "operations" in gold:
        ops = {}
        for t in tels:
            for o in t.operations:
                ops.setdefault(o.key, (slug(o.name), o.follows))
        category("operations", [(slug(o["name"]), slug(o["follows"]) if o.get("follows") else None)
                                for o in gold["operations"]], list(ops.values()))
    if "citations" in gold:
        found = []
        for t in tels:
            for c in t.citations:
                found.append((c.direction, _date_key(c.dates[0]) if c.dates else None,
                              _norm(c.number) if c.number else None))
        expected = [(c.get("direction"), _gold_date(c.get("date")), _norm(c["number"]) if c.get("number") else None)
                    for c in gold["citations"]]
        category("citations", expected, found, as_set=False)
    if links is not None and "replies_to" in gold:
        stem = Path(doc.name).stem
        category("links", list(gold["replies_to"]), sorted(links.get(stem, set())))


def _precision(iso: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(iso), "minute")


# ---------------------------------------------------------------- running

def evaluate(gold_dir: Path, authority: Authority, links: LinksFn | None = None) -> Report:
    """Convert every telegram the gold files of ``gold_dir`` name and score it."""
    r = _Resolver(authority)
    report = Report()
    loaded: list[tuple[Path, dict, SourceDocument | None, FileResult]] = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        result = FileResult(str(path))
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
            doc = convert_file((path.parent / gold["telegram"]).resolve(), authority)
        except (OSError, ValueError, KeyError, InputError) as e:
            result.error = f"{type(e).__name__}: {e}"
            report.files.append(result)
            continue
        except Exception as e:  # noqa: BLE001 - a crash in one conversion is a finding, not the end
            result.error = f"conversion crashed: {type(e).__name__}: {str(e)[:200]}"
            report.files.append(result)
            continue
        loaded.append((path, gold, doc, result))
    link_map = None
    if links is not None:
        link_map = {k: set(v) for k, v in links([d for _, _, d, _ in loaded if d is not None]).items()}
    for path, gold, doc, result in loaded:
        assert doc is not None
        misses: list[str] = []
        header = _header(doc.telegram, gold.get("header", {}), r, misses)
        if gold.get("embedded"):
            header.add(_embedded(doc.telegram, gold["embedded"], r, misses))
        result.counts["header"] = header
        result.misses.extend(misses)
        _sets(doc, gold, r, result, link_map)
        report.files.append(result)
    return report


def reply_links(docs: list[SourceDocument]) -> dict[str, set[str]]:
    """The reply links the linker finds among ``docs``: file stem -> stems of
    the files it replies to (for the ``links`` category of :func:`evaluate`)."""
    from .link import relink
    from .rdf.build import Iris, authority_nquads, build_nquads
    from .store import Store

    authority = Authority.load()
    store = Store(None)
    store.replace_graph(Iris().authority_graph(), authority_nquads(authority))
    for doc in docs:
        store.replace_graph(Iris().graph(doc.name), build_nquads(doc, authority))
    relink(store)
    pairs: dict[str, set[str]] = {}
    for row in store.query(_REPLY_FILES):
        citing, cited = (row[v].value.rsplit(".", 1)[0] for v in ("citing", "cited"))
        if citing != cited:
            pairs.setdefault(citing, set()).add(cited)
    return pairs


_REPLY_FILES = """PREFIX ck: <https://w3id.org/cable-kg/ns#>
PREFIX cito: <http://purl.org/spar/cito/>
SELECT DISTINCT ?citing ?cited WHERE {
  ?a cito:repliesTo ?b . ?b a ck:Document .
  ?a ck:sourceFile/ck:fileName ?citing . ?b ck:sourceFile/ck:fileName ?cited .
}"""


def format_report(report: Report, details: bool = False) -> str:
    """A table: category, tp, fp, fn, precision, recall, F1, and micro totals."""
    rows = [("category", "tp", "fp", "fn", "precision", "recall", "F1")]
    for name, c in report.categories.items():
        rows.append((name, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"))
    m = report.micro
    rows.append(("micro", str(m.tp), str(m.fp), str(m.fn), f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[k]) if k == 0 else cell.rjust(widths[k]) for k, cell in enumerate(row)))
        if i == 0 or i == len(rows) - 2:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"{len(report.files)} gold files" + (
        f", {sum(1 for f in report.files if f.error)} not read" if any(f.error for f in report.files) else ""))
    if details:
        for f in report.files:
            if f.error:
                lines.append(f"{Path(f.gold).name}: {f.error}")
            for miss in f.misses:
                lines.append(f"{Path(f.gold).name}: {miss}")
    return "\n".join(lines)
