"""Record to RDF: a :class:`~cable_kg.model.SourceDocument` becomes N-Quads
text in one named graph per source file.

N-Quads lines are written as strings (the fastest way to produce RDF in
Python, and what pyoxigraph's bulk loader reads); every IRI is stable and
built by :class:`Iris`, so the same input always gives the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import (
    Catalogue,
    Citation,
    DateValue,
    Mention,
    PersonRef,
    SourceDocument,
    Spanned,
    Telegram,
)
from ..resolve import Authority, PersonIdentity, PlaceIdentity, slug
from .namespace import CITO, CK, DCTERMS, GEO, RDF, RDFS, SCHEMA, SEM, XSD, Terms
from .namespace import GEONAMES as _GEONAMES
from .namespace import WIKIDATA as _WIKIDATA

# Plain-string terms: the builder formats hundreds of lines a telegram.
CK = Terms(CK)  # noqa: F811
SCHEMA = Terms(SCHEMA, "Person Place Message Organization name sender recipient mentions sameAs text dateSent "
                       "dateReceived")
DCTERMS = Terms(DCTERMS, "title date abstract identifier bibliographicCitation rights language creator subject "
                         "spatial")
RDF = Terms(RDF, "type")
RDFS = Terms(RDFS, "label")
XSD = Terms(XSD, "string boolean integer decimal date dateTime gYear gYearMonth")
CITO = Terms(CITO, "cites repliesTo")
SEM = Terms(SEM, "Event hasPlace hasActor")
GEO = Terms(GEO, "lat long")
GEONAMES = str(_GEONAMES)
WIKIDATA = str(_WIKIDATA)

DEFAULT_BASE = "https://cable-kg.example.org/"
_BASE_RE = re.compile(r"^https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9._~\-/]*)?/$")

PRECISION = {"year": CK.YearPrecision, "month": CK.MonthPrecision, "day": CK.DayPrecision,
             "minute": CK.MinutePrecision}
DATATYPE = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date, "minute": XSD.dateTime}
DIRECTION = {"your": CK.Your, "my": CK.My, "our": CK.Our, "third": CK.ThirdParty, "unknown": CK.UnknownDirection}
DOC_CLASS = {"telegram": CK.Telegram, "cable": CK.Cable, "letter": CK.Letter, "note": CK.Note,
             "decision": CK.Decision, "message": CK.Message}
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def check_base(base: str) -> str:
    """The base IRI, checked: http(s), a host, ending in ``/``.

    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    """
    if not _BASE_RE.match(base):
        raise ValueError(f"not a usable base IRI (http(s)://host/path/ ending in /): {base!r}")
    return base


RESERVED_GRAPHS = frozenset({"links", "authority"})  # <base>graph/links, <base>graph/authority


@dataclass(frozen=True)
class Iris:
    """Every IRI cable-kg mints, under one base."""

    base: str = DEFAULT_BASE

    def graph(self, source_name: str) -> str:
        """The graph of a source file, named after it (never one of the store's own graphs).

        >>> Iris("http://x/").graph("004_60bd.txt"), Iris("http://x/").graph("links.txt")
        ('http://x/graph/004-60bd', 'http://x/graph/file-links')
        """
        key = slug(source_name.rsplit(".", 1)[0])
        return f"{self.base}graph/{'file-' + key if key in RESERVED_GRAPHS else key}"

    def links_graph(self) -> str:
        return f"{self.base}graph/links"

    def authority_graph(self) -> str:
        return f"{self.base}graph/authority"

    def telegram(self, key: str) -> str:
        return f"{self.base}telegram/{key}"

    def reply_link(self, citing: str, replied: str) -> str:
        """The record of one reply link: the citing telegram's IRI, then what
        follows ``/telegram/`` in the one it replies to (``queries/thread.rq``
        finds it by the same rule, without a scan).

        >>> Iris("http://x/").reply_link("http://x/telegram/a", "http://x/telegram/b/cited/2")
        'http://x/telegram/a/replies-to/b/cited/2'
        """
        return f"{citing}/replies-to/{replied.split('/telegram/', 1)[1]}"

    def person(self, key: str) -> str:
        return f"{self.base}person/{key}"

    def place(self, key: str) -> str:
        return f"{self.base}place/{key}"

    def unit(self, key: str) -> str:
        return f"{self.base}unit/{key}"

    def operation(self, key: str) -> str:
        return f"{self.base}operation/{key}"

    def month(self, iso: str) -> str:
        return f"{self.base}month/{iso[:7]}"

    def year(self, iso: str) -> str:
        return f"{self.base}year/{iso[:4]}"


def telegram_key(doc: SourceDocument, resolve_author: PersonIdentity | None) -> str:
    """Record ID where present, else date + number + author, else content hash.

    >>> from cable_kg.model import Telegram
    >>> telegram_key(SourceDocument("a.txt", "x", Telegram(), "ab" * 32), None)
    'h-abababababab'
    """
    t = doc.telegram
    if t.record_id:
        return f"r{t.record_id.value}"
    number = t.telegram_number
    day = t.best_date
    if number and day:
        who = resolve_author.key if resolve_author else "unknown"
        return f"{day.iso[:10]}-{slug(number.value)}-{who}"
    return f"h-{doc.sha256[:12]}"


def _esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def date_literal(value: DateValue) -> str:
    """A date as a typed N-Triples literal of its precision."""
    iso = value.iso
    if value.precision == "minute":
        iso = iso + ":00"
    dtype = DATATYPE.get(value.precision, XSD.string)
    return f'"{iso}"^^<{dtype}>'


class QuadWriter:
    """Collects N-Quads lines for one graph, once each, in first-seen order."""

    def __init__(self, graph: str):
        self._g = f"<{graph}>"
        self._lines: dict[str, None] = {}

    def iri(self, s: str, p: str, o: str) -> None:
        self._lines[f"<{s}> <{p}> <{o}> {self._g} .\n"] = None

    def lit(self, s: str, p: str, value: str | float | bool, datatype: str | None = None,
            lang: str | None = None) -> None:
        if isinstance(value, bool):
            obj = f'"{str(value).lower()}"^^<{XSD.boolean}>'
        elif isinstance(value, int):
            obj = f'"{value}"^^<{XSD.integer}>'
        elif isinstance(value, float):
            obj = f'"{value!r}"^^<{XSD.decimal}>'
        elif lang:
            obj = f'"{_esc(value)}"@{lang}'
        elif datatype:
            obj = f'"{_esc(value)}"^^<{datatype}>'
        else:
            obj = f'"{_esc(value)}"'
        self._lines[f"<{s}> <{p}> {obj} {self._g} .\n"] = None

    def raw(self, s: str, p: str, obj: str) -> None:
        self._lines[f"<{s}> <{p}> {obj} {self._g} .\n"] = None

    def text(self) -> str:
        return "".join(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


class DocumentBuilder:
    """Writes one source document's graph."""

    def __init__(self, doc: SourceDocument, authority: Authority, iris: Iris):
        self.doc = doc
        self.authority = authority
        self.iris = iris
        self.graph = iris.graph(doc.name)
        self.out = QuadWriter(self.graph)
        # the telegram being written: offices ("SovAmbassador") resolve by year and place
        self._year: int | None = None
        self._at: str | None = None
        self._described: set[str] = set()

    # ------------------------------------------------------------ helpers
    def person(self, ref: PersonRef) -> tuple[str, PersonIdentity]:
        """A person's IRI; one the authority file does not know is described
        here (the authority graph describes the others)."""
        who = self.authority.person(ref.name, ref.bracket, self._year, self._at)
        iri = self.iris.person(who.key)
        if not who.identified and iri not in self._described:
            self._described.add(iri)
            describe_person(self.out, iri, who)
        return iri, who

    def place(self, name: str) -> tuple[str, PlaceIdentity]:
        where = self.authority.place(name)
        iri = self.iris.place(where.key)
        if not where.identified and iri not in self._described:
            self._described.add(iri)
            describe_place(self.out, iri, where)
        return iri, where

    def mention(self, tg: str, start: int, end: int, written: str, role: str, denotes: str | None = None,
                value: str | None = None, pseudonym: str | None = None, confidence: float = 1.0) -> str:
        """The words a fact was read from; confidence is stated when below 1."""
        iri = f"{tg}/mention/{start}-{end}"
        w = self.out
        w.iri(iri, RDF.type, CK.Mention)
        w.iri(iri, CK.inDocument, tg)
        w.lit(iri, CK.start, start)
        w.lit(iri, CK.end, end)
        w.lit(iri, CK.asWritten, written)
        w.lit(iri, CK.role, role)
        if confidence < 1.0:
            w.lit(iri, CK.confidence, f"{confidence:.2f}", XSD.decimal)
        if denotes:
            w.iri(iri, CK.denotes, denotes)
        if value is not None:
            w.lit(iri, CK.value, value)
        if pseudonym:
            w.lit(iri, CK.pseudonymUsed, pseudonym)
        return iri

    def month_index(self, subject: str, value: DateValue) -> None:
        """Point a dated thing at its month (or year) index node; the
        authority graph describes the index nodes of INDEX_YEARS."""
        year = int(value.iso[:4])
        if value.precision == "year":
            self.out.iri(subject, CK.year, self.iris.year(value.iso))
        else:
            self.out.iri(subject, CK.month, self.iris.month(value.iso))
        if year not in INDEX_YEARS and value.iso[:7] not in self._described:
            self._described.add(value.iso[:7])
            describe_month(self.out, self.iris, year, int(value.iso[5:7]) if value.precision != "year" else None)

    def dated(self, subject: str, prop: str, value: DateValue, tg: str, role: str) -> None:
        """A date fact; its precision and words are on its mention (the
        document's own date also carries its precision directly)."""
        w = self.out
        w.raw(subject, prop, date_literal(value))
        precision = PRECISION.get(value.precision, CK.DayPrecision)
        if prop == DCTERMS.date:
            w.iri(subject, CK.datePrecision, precision)
        m = self.mention(tg, value.span.start, value.span.end, value.span.text, role, value=value.iso)
        w.iri(m, CK.datePrecision, precision)

    def spanned(self, tg: str, prop: str, value: Spanned, role: str) -> None:
        self.out.lit(tg, prop, value.value)
        self.mention(tg, value.span.start, value.span.end, value.span.text, role, value=value.value)

    # ------------------------------------------------------------ document
    def build(self) -> str:
        doc = self.doc
        w = self.out
        w.iri(self.graph, RDF.type, CK.SourceFile)
        w.lit(self.graph, CK.fileName, doc.name)
        w.lit(self.graph, CK.content, doc.text)
        author = self.authority.person(doc.telegram.author.name, doc.telegram.author.bracket) \
            if doc.telegram.author else None
        key = telegram_key(doc, author)
        self.telegram(doc.telegram, self.iris.telegram(key), carrier=None)
        # Written last: a graph cut short by a crashed bulk load has no marker.
        w.lit(self.graph, CK.sha256, doc.sha256)
        return w.text()

    def telegram(self, t: Telegram, tg: str, carrier: str | None, order: int = 0) -> None:
        w = self.out
        if t.best_date:
            self._year = int(t.best_date.iso[:4])
        where = t.destination or t.origin
        self._at = self.authority.place(where.value).key if where else self._at
        w.iri(tg, RDF.type, CK.Document)
        w.iri(tg, RDF.type, DOC_CLASS.get(t.doc_type, CK.Telegram))
        w.iri(tg, RDF.type, SCHEMA.Message)
        w.lit(tg, CK.documentType, t.doc_type)
        w.iri(tg, CK.sourceFile, self.graph)
        if carrier:
            w.iri(tg, CK.carriedBy, carrier)
            w.lit(tg, CK.embeddedOrder, order)
        if t.title:
            w.lit(tg, DCTERMS.title, t.title.value)
            w.lit(tg, RDFS.label, t.title.value)
        else:
            w.lit(tg, RDFS.label, self._label(t))
        if t.date:
            self.dated(tg, DCTERMS.date, t.date, tg, "date")
        elif t.signature_date:
            w.raw(tg, DCTERMS.date, date_literal(_day(t.signature_date)))
            w.iri(tg, CK.datePrecision, PRECISION["day"])
        if t.best_date:
            self.month_index(tg, t.best_date)
        if t.signature_date:
            self.dated(tg, CK.signatureDate, t.signature_date, tg, "signature date")
        number = t.telegram_number
        if number:
            w.lit(tg, CK.number, number.value)
        props = {"title": CK.titleNumber, "header": CK.headerNumber, "issuing": CK.issuingNumber,
                 "outgoing": CK.outgoingNumber}
        for role, n in t.numbers:
            self.spanned(tg, props[role], n, f"{role} number")
        if t.text:
            w.lit(tg, SCHEMA.text, t.text.text)
            w.lit(tg, CK.textStart, t.text.start)
            w.lit(tg, CK.textEnd, t.text.end)
        if t.author:
            iri, who = self.person(t.author)
            w.iri(tg, SCHEMA.sender, iri)
            self.mention(tg, t.author.span.start, t.author.span.end, t.author.span.text, "author", iri,
                         pseudonym=who.pseudonym)
        for ref in t.co_authors:
            iri, who = self.person(ref)
            w.iri(tg, CK.coAuthor, iri)
            self.mention(tg, ref.span.start, ref.span.end, ref.span.text, "co-author", iri, pseudonym=who.pseudonym)
        if t.signatory and t.signatory is not t.author:
            iri, who = self.person(t.signatory)
            self.mention(tg, t.signatory.span.start, t.signatory.span.end, t.signatory.span.text, "signatory",
                         iri, pseudonym=who.pseudonym)
        sender = self.person(t.author)[0] if t.author else None
        for ref in t.co_signatories:  # who signed too is an author too
            iri, who = self.person(ref)
            if iri != sender:
                w.iri(tg, CK.coAuthor, iri)
            self.mention(tg, ref.span.start, ref.span.end, ref.span.text, "co-signatory", iri, pseudonym=who.pseudonym)
        for ref in t.addressees:
            iri, who = self.person(ref)
            w.iri(tg, SCHEMA.recipient, iri)
            self.mention(tg, ref.span.start, ref.span.end, ref.span.text, "addressee", iri, pseudonym=who.pseudonym)
        for ref in t.via:
            iri, who = self.person(ref)
            w.iri(tg, CK.via, iri)
            self.mention(tg, ref.span.start, ref.span.end, ref.span.text, "via", iri, pseudonym=who.pseudonym)
        for n, copy in enumerate(t.copies, 1):
            iri, who = self.person(copy.person)
            w.iri(tg, CK.copyTo, iri)
            alloc = f"{tg}/copy/{n}"
            w.iri(tg, CK.copyAllocation, alloc)
            w.iri(alloc, RDF.type, CK.CopyAllocation)
            w.iri(alloc, CK.copyHolder, iri)
            if copy.count is not None:
                w.lit(alloc, CK.copyCount, copy.count)
            self.mention(tg, copy.person.span.start, copy.person.span.end, copy.person.span.text, "copy", iri)
        for prop, value in ((CK.origin, t.origin), (CK.destination, t.destination)):
            if value:
                iri, _ = self.place(value.value)
                w.iri(tg, prop, iri)
                self.mention(tg, value.span.start, value.span.end, value.span.text, prop.split("#")[-1], iri)
        kinds = {"sent": SCHEMA.dateSent, "received": SCHEMA.dateReceived, "deciphered": CK.decipheredAt,
                 "typed": CK.typedAt}
        for tr in t.transmissions:
            if tr.kind in kinds and tr.when.precision in DATATYPE:
                self.dated(tg, kinds[tr.kind], tr.when, tg, tr.kind)
        if t.urgency:
            self.spanned(tg, CK.urgency, t.urgency, "urgency")
        for c in t.classification:
            self.spanned(tg, CK.classification, c, "classification")
        if t.issuing_office:
            self.spanned(tg, CK.issuingOffice, t.issuing_office, "issuing office")
        if t.protocol:
            self.spanned(tg, CK.protocol, t.protocol, "protocol")
        if t.salutation:
            self.spanned(tg, CK.salutation, t.salutation, "salutation")
        if t.complimentary_close:
            self.spanned(tg, CK.complimentaryClose, t.complimentary_close, "complimentary close")
        for c in t.closing:
            self.spanned(tg, CK.closingInstruction, c, "closing instruction")
        if t.summary:
            self.spanned(tg, CK.summary, t.summary, "summary")
            w.lit(tg, DCTERMS.abstract, t.summary.value)
        for conveyed in t.conveys:
            w.lit(tg, CK.conveys, conveyed)
        self.archive(t, tg)
        self.extracted(t, tg)
        for n, child in enumerate(t.embedded, 1):
            child_iri = f"{tg}-e{n}"
            self.telegram(child, child_iri, carrier=tg, order=n)

    def archive(self, t: Telegram, tg: str) -> None:
        w = self.out
        if t.record_id:
            self.spanned(tg, CK.recordId, t.record_id, "record id")
            w.lit(tg, DCTERMS.identifier, t.record_id.value)
        a = t.archive_citation
        if a:
            self.spanned(tg, DCTERMS.bibliographicCitation, a.text, "archive citation")
            for prop, value in ((CK.archive, a.archive), (CK.fond, a.fond), (CK.opis, a.opis),
                                (CK.delo, a.delo), (CK.listy, a.listy)):
                if value:
                    w.lit(tg, prop, value)
        if t.uploaded:
            w.raw(tg, CK.uploadedDate, date_literal(t.uploaded))
        if t.archive_type:
            w.lit(tg, CK.archiveType, t.archive_type.value)
        if t.rights:
            w.lit(tg, DCTERMS.rights, t.rights.value)
        if t.date is not None or t.record_id is not None:
            w.lit(tg, DCTERMS.language, t.language)
        if t.original_language:
            w.lit(tg, CK.originalLanguage, t.original_language)
        if t.catalogue:
            self.catalogue(t.catalogue, tg)

    def catalogue(self, c: Catalogue, tg: str) -> None:
        """The metadata tail's catalogue entries, as written, each with the
        words it came from; an entry the authority file knows also links the
        person (``dct:creator``, ``dct:subject``) or place (``dct:spatial``)."""
        if c.original_archive:
            self.spanned(tg, CK.originalArchive, c.original_archive, "original archive")
        for entries, prop, link, role, find in (
                (c.authors, CK.catalogueAuthor, DCTERMS.creator, "catalogue author", self._catalogue_person),
                (c.people, CK.cataloguePerson, DCTERMS.subject, "catalogue person", self._catalogue_person),
                (c.places, CK.cataloguePlace, DCTERMS.spatial, "catalogue place", self._catalogue_place),
                (c.topics, CK.catalogueTopic, None, "catalogue topic", None)):
            for entry in entries:
                iri = find(entry.value) if find else None
                self.out.lit(tg, prop, entry.value)
                if iri and link:
                    self.out.iri(tg, link, iri)
                self.mention(tg, entry.span.start, entry.span.end, entry.span.text, role, denotes=iri)

    def _catalogue_person(self, entry: str) -> str | None:
        who = self.authority.catalogued_person(entry)
        return self.iris.person(who.key) if who else None

    def _catalogue_place(self, entry: str) -> str | None:
        where = self.authority.catalogued_place(entry)
        return self.iris.place(where.key) if where else None

    def extracted(self, t: Telegram, tg: str) -> None:
        """People, places, units and dates named in the text, citations,
        operations and events (filled in by :mod:`cable_kg.extract`)."""
        w = self.out
        for m in t.mentions:
            self._mention(tg, m)
        for n, c in enumerate(t.citations, 1):
            self.citation(t, tg, f"{tg}/cited/{n}", c)
        for op in t.operations:
            o = self.iris.operation(op.key)
            w.iri(o, RDF.type, CK.PlannedOperation)
            w.iri(o, RDF.type, SEM.Event)
            w.lit(o, SCHEMA.name, op.name)
            w.lit(o, RDFS.label, op.name)
            w.iri(o, CK.discussedIn, tg)
            w.lit(o, CK.status, op.status)
            if t.author:
                w.iri(o, CK.proposedBy, self.person(t.author)[0])
            # the status this document gives, on its own mention of the operation
            m = self.mention(tg, op.span.start, op.span.end, op.span.text, "operation", o)
            w.lit(m, CK.status, op.status)
            for obj in op.objectives:
                oi = f"{o}/objective/{slug(obj.action)}-{slug(obj.target)[:40]}"
                w.iri(o, CK.objective, oi)
                w.iri(oi, RDF.type, CK.Objective)
                w.lit(oi, CK.action, obj.action)
                w.lit(oi, CK.target, obj.target)
                # "other": an aim with no verb of its own ("of decisive significance")
                w.lit(oi, RDFS.label, obj.target if obj.action == "other" else f"{obj.action} {obj.target}".strip())
                if obj.low is not None:
                    w.lit(oi, CK.minimum, obj.low)
                if obj.high is not None:
                    w.lit(oi, CK.maximum, obj.high)
                self.mention(tg, obj.span.start, obj.span.end, obj.span.text, "objective", oi)
            for place in op.places:
                w.iri(o, SEM.hasPlace, self.place(place)[0])
            for force in op.forces:
                w.iri(o, CK.force, self.iris.unit(slug(force)))
            if op.duration:
                w.lit(o, CK.duration, op.duration.value)
                self.mention(tg, op.duration.span.start, op.duration.span.end, op.duration.span.text,
                             "duration", o, value=op.duration.value)
            if op.follows:
                w.iri(o, CK.follows, self.iris.operation(op.follows))
            if op.follows_after:
                w.lit(o, CK.preparationBefore, op.follows_after.value)
            if op.when:
                # the time this document gives the operation, on the mention of its words (an
                # operation is shared by the documents that discuss it; its times may differ)
                w.iri(f"{tg}/mention/{op.when.span.start}-{op.when.span.end}", CK.dateOf, o)
        for n, ev in enumerate(t.events, 1):
            e = f"{tg}/event/{n}"
            w.iri(e, RDF.type, CK.ReportedEvent)
            w.iri(e, RDF.type, SEM.Event)
            w.lit(e, CK.eventKind, ev.kind)
            w.lit(e, RDFS.label, ev.span.text)
            w.iri(e, CK.reportedIn, tg)
            if ev.date:
                w.raw(e, CK.date, date_literal(ev.date))
                w.iri(e, CK.datePrecision, PRECISION[ev.date.precision])
                self.month_index(e, ev.date)
                if ev.date.approximate:
                    w.lit(e, CK.approximate, True)
            for p in ev.participants:
                w.iri(e, SEM.hasActor, self.person(PersonRef(p, ev.span))[0])
            for p in ev.places:
                w.iri(e, SEM.hasPlace, self.place(p)[0])
            self.mention(tg, ev.span.start, ev.span.end, ev.span.text, "event", e)

    def _mention(self, tg: str, m: Mention) -> None:
        w = self.out
        if m.kind == "person":
            iri, who = self.person(PersonRef(m.value, m.span, m.bracket))
            w.iri(tg, SCHEMA.mentions, iri)
            self.mention(tg, m.span.start, m.span.end, m.span.text, "mentioned person", iri,
                         pseudonym=who.pseudonym)
        elif m.kind == "place":
            iri, _ = self.place(m.value)
            w.iri(tg, SCHEMA.mentions, iri)
            self.mention(tg, m.span.start, m.span.end, m.span.text, "mentioned place", iri)
        elif m.kind == "unit":
            iri = self.iris.unit(slug(m.value))
            w.iri(iri, RDF.type, CK.MilitaryUnit)
            w.iri(iri, RDF.type, SCHEMA.Organization)
            w.lit(iri, SCHEMA.name, m.value)
            w.lit(iri, RDFS.label, m.value)
            w.iri(tg, SCHEMA.mentions, iri)
            self.mention(tg, m.span.start, m.span.end, m.span.text, "mentioned unit", iri)
        elif m.kind == "date" and m.date:
            d = m.date
            iri = self.mention(tg, m.span.start, m.span.end, m.span.text, "date", value=d.iso)
            w.raw(iri, CK.date, date_literal(d))
            w.iri(iri, CK.datePrecision, PRECISION[d.precision])
            self.month_index(iri, d)
            self.relative(tg, iri, d)

    def relative(self, tg: str, subject: str, d: DateValue) -> None:
        """What a date read from relative or vague words was counted from,
        its bounds, and whether it is approximate."""
        w = self.out
        if d.approximate:
            w.lit(subject, CK.approximate, True)
        if d.earliest:
            w.raw(subject, CK.earliest, f'"{d.earliest}"^^<{XSD.date}>')
        if d.latest:
            w.raw(subject, CK.latest, f'"{d.latest}"^^<{XSD.date}>')
        if d.relative_to == "document":
            w.iri(subject, CK.relativeTo, tg)
        elif d.relative_to == "date" and d.anchor is not None:
            w.iri(subject, CK.relativeTo, f"{tg}/mention/{d.anchor.start}-{d.anchor.end}")
        elif d.relative_to == "operation" and d.operation:
            prop = {"after": CK.after, "before": CK.before}.get(d.relation or "", CK.during)
            w.iri(subject, prop, self.iris.operation(d.operation))

    def citation(self, t: Telegram, tg: str, iri: str, c: Citation) -> None:
        w = self.out
        w.iri(tg, CITO.cites, iri)
        w.iri(iri, RDF.type, CK.CitedTelegram)
        w.lit(iri, RDFS.label, c.span.text)
        w.lit(iri, CK.asWritten, c.span.text)
        w.lit(iri, CK.start, c.span.start)
        w.lit(iri, CK.end, c.span.end)
        w.iri(iri, CK.direction, DIRECTION[c.direction])
        w.lit(iri, CK.citationKind, c.kind)
        w.lit(iri, CK.plural, c.plural)
        w.lit(iri, CK.fromSummary, c.from_summary)
        for d in c.dates:
            w.raw(iri, CK.citedDate, date_literal(d))
            w.iri(iri, CK.datePrecision, PRECISION[d.precision])
            self.month_index(iri, d)
        if c.number:
            w.lit(iri, CK.citedNumber, c.number)
        if c.incoming_number:
            w.lit(iri, CK.citedIncomingNumber, c.incoming_number)
        if c.topic:
            w.lit(iri, CK.topic, c.topic)
        sender, recipient = presumed_parties(t, c)
        for prop, ref in ((CK.presumedSender, sender), (CK.presumedRecipient, recipient)):
            if ref is not None:
                w.iri(iri, prop, self.person(ref)[0])

    def _label(self, t: Telegram) -> str:
        parts = [t.doc_type.capitalize()]
        if t.telegram_number:
            parts.append(f"No. {t.telegram_number.value}")
        if t.author:
            parts.append(f"from {self.authority.person(t.author.name, t.author.bracket).name}")
        if t.addressees:
            parts.append("to " + ", ".join(self.authority.person(a.name, a.bracket).name for a in t.addressees))
        if t.best_date:
            parts.append(f"of {t.best_date.iso[:10]}")
        return " ".join(parts)


INDEX_YEARS = range(1900, 2001)


def describe_person(w: QuadWriter, iri: str, who: PersonIdentity) -> None:
    w.iri(iri, RDF.type, SCHEMA.Person)
    w.lit(iri, SCHEMA.name, who.name)
    w.lit(iri, RDFS.label, who.name)
    w.lit(iri, CK.identified, who.identified)
    if who.wikidata:
        w.iri(iri, SCHEMA.sameAs, WIKIDATA + who.wikidata)


def describe_place(w: QuadWriter, iri: str, where: PlaceIdentity) -> None:
    w.iri(iri, RDF.type, SCHEMA.Place)
    w.lit(iri, SCHEMA.name, where.name)
    w.lit(iri, RDFS.label, where.name)
    w.lit(iri, CK.placeKind, where.kind)
    w.lit(iri, CK.identified, where.identified)
    if where.geonames:
        w.iri(iri, SCHEMA.sameAs, f"{GEONAMES}{where.geonames}/")
    if where.lat is not None and where.lon is not None:
        w.lit(iri, GEO.lat, str(where.lat), XSD.decimal)
        w.lit(iri, GEO.long, str(where.lon), XSD.decimal)


def describe_month(w: QuadWriter, iris: Iris, year: int, month: int | None) -> None:
    """A year index node, and a month's when ``month`` is given."""
    y = iris.year(f"{year:04d}")
    w.iri(y, RDF.type, CK.Year)
    w.lit(y, RDFS.label, f"{year:04d}")
    if month is None:
        return
    m = iris.month(f"{year:04d}-{month:02d}")
    w.iri(m, RDF.type, CK.Month)
    w.raw(m, CK.monthStart, f'"{year:04d}-{month:02d}-01"^^<{XSD.date}>')
    w.lit(m, RDFS.label, f"{MONTH_NAMES[month - 1]} {year:04d}")
    w.iri(m, CK.year, y)


def authority_nquads(authority: Authority, iris: Iris | None = None) -> str:
    """The authority graph: every person and place of the authority files and
    the month and year index nodes, shared by all documents.  Its
    ``ck:sha256`` marker (last) is the digest of what precedes it."""
    import hashlib

    iris = iris or Iris()
    graph = iris.authority_graph()
    w = QuadWriter(graph)
    for key in sorted(authority.persons):
        describe_person(w, iris.person(key), authority.person_by_key(key))
    for key in sorted(authority.places):
        describe_place(w, iris.place(key), authority.place_by_key(key))
    for year in INDEX_YEARS:
        for month in range(1, 13):
            describe_month(w, iris, year, month)
    body = w.text()
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return body + f'<{graph}> <{CK.sha256}> "{digest}" <{graph}> .\n'


def presumed_parties(t: Telegram, c: Citation) -> tuple[PersonRef | None, PersonRef | None]:
    """Who sent the cited telegram to whom, as the citation's words say:
    "your" = the citing telegram's addressee to its author, "my"/"our" =
    its author to its addressee."""
    to = t.addressees[0] if t.addressees else None
    if c.direction == "your":
        return to, t.author
    if c.direction in ("my", "our"):
        return t.author, to
    if c.direction == "third":
        return c.third_party, None
    return None, None


def _day(value: DateValue) -> DateValue:
    return DateValue(value.iso[:10], "day", value.span) if value.precision == "minute" else value


def build_nquads(doc: SourceDocument, authority: Authority, iris: Iris | None = None) -> str:
    """The N-Quads text of one document's graph."""
    return DocumentBuilder(doc, authority, iris or Iris()).build()


def telegram_iri(doc: SourceDocument, authority: Authority, iris: Iris | None = None) -> str:
    t = doc.telegram
    author = authority.person(t.author.name, t.author.bracket) if t.author else None
    return (iris or Iris()).telegram(telegram_key(doc, author))


def iter_quads(docs: Iterable[SourceDocument], authority: Authority, iris: Iris) -> Iterable[str]:
    for doc in docs:
        yield build_nquads(doc, authority, iris)
