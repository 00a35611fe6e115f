"""The records cable-kg works with: frozen dataclasses, no behaviour, no I/O.

Every value read from a page keeps its :class:`Span`, the character offsets
in the page text it was read from, so each fact in the graph can be traced
back to the words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``start:end`` of the page text, and those characters."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Spanned:
    """A normalised value and the span it was read from."""

    value: str
    span: Span


@dataclass(frozen=True)
class DateValue:
    """A date or time as written, normalised, with its precision.

    ``iso`` is ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``
    matching ``precision`` (year, month, day, minute).  ``approximate`` marks
    values computed from vague or relative expressions ("two months ago",
    "in the near future").

    A value read from words that name a stretch of time rather than a point
    keeps its bounds: ``earliest`` and ``latest`` (ISO, at any precision; a
    missing ``latest`` with an ``earliest`` is an open end, "in the near
    future"); ``iso`` is then where a timeline places it, the interval's
    beginning at ``precision`` (or its end, when only that is known).

    ``relative_to`` says what the value was counted from: ``"document"``
    (the telegram's own date: "yesterday", "in two to three months"),
    ``"date"`` (the date the text named before, at ``anchor``: "on 13 May
    ... on the same day") or ``"operation"`` (the operation whose key is
    ``operation``, ``relation`` being ``after``, ``before`` or ``during``:
    "after the conclusion of the fourth operation").
    """

    iso: str
    precision: str
    span: Span
    approximate: bool = False
    earliest: str | None = None
    latest: str | None = None
    relative_to: str | None = None  # document | date | operation
    anchor: Span | None = None  # relative_to == "date": the words of that date
    operation: str | None = None  # relative_to == "operation": its key
    relation: str | None = None  # after | before | during (an operation)


@dataclass(frozen=True)
class PersonRef:
    """A person named in the text: the name as written and any resolution
    the editors gave in brackets (``Filippov [Stalin]`` has name
    ``Filippov`` and bracket ``Stalin``)."""

    name: str
    span: Span
    bracket: str | None = None


@dataclass(frozen=True)
class Copy:
    """One line of a copies or distribution list."""

    person: PersonRef
    count: int | None = None


@dataclass(frozen=True)
class Transmission:
    """A sent / received / deciphered / typed time from the header."""

    kind: str  # sent | received | deciphered | typed
    when: DateValue
    by: str | None = None


@dataclass(frozen=True)
class ArchiveCitation:
    """``APRF, f. 45, op. 1, d. 337, ll. 41-43.`` taken apart."""

    text: Spanned
    archive: str | None = None
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    listy: str | None = None


@dataclass(frozen=True)
class Mention:
    """Something named in the text: a person, place, unit or date.

    ``kind`` is person | place | unit | date; ``value`` is the name as
    cleaned (persons, places, units) or the ISO value (dates).
    """

    kind: str
    value: str
    span: Span
    bracket: str | None = None
    date: DateValue | None = None


@dataclass(frozen=True)
class Citation:
    """A reference to another telegram: ``your telegram of June 4``.

    ``direction`` is your | my | our | third | unknown: who sent the cited
    telegram, seen from the citing one.  ``third_party`` names the sender
    when it is neither author nor addressee.
    """

    span: Span
    direction: str
    kind: str = "telegram"  # telegram | directive | order | letter | cable | message
    dates: tuple[DateValue, ...] = ()
    number: str | None = None
    incoming_number: str | None = None
    plural: bool = False
    topic: str | None = None
    third_party: PersonRef | None = None
    from_summary: bool = False


@dataclass(frozen=True)
class Objective:
    """What an operation is to achieve: destroy 20,000-30,000 troops."""

    action: str  # destroy | occupy | hold | break through | defend | other
    span: Span
    target: str = ""
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Operation:
    """A planned operation the text discusses."""

    name: str  # normalised: "fourth operation"
    key: str  # stable identity across telegrams: "fourth-operation"
    span: Span
    status: str = "proposed"  # proposed | ordered | approved | rejected | carried out
    objectives: tuple[Objective, ...] = ()
    places: tuple[str, ...] = ()
    forces: tuple[str, ...] = ()
    duration: Spanned | None = None
    follows: str | None = None  # key of the operation this one follows
    follows_after: Spanned | None = None  # "two to three months long preparation"
    when: DateValue | None = None  # the time the text gives it: "begin ... in March", "in the near future"


@dataclass(frozen=True)
class Event:
    """A past event the text reports (a meeting, a directive, a delivery)."""

    kind: str
    span: Span
    date: DateValue | None = None
    participants: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """What the archive's metadata tail files the document under, each entry
    as written: ``Author(s)`` (``Stalin, Joseph, 1879-1953``), ``Associated
    People & Organizations``, ``Associated Places``, ``Associated Topics``
    and ``Original Archive``.  The archive's words about the document, not
    the telegram's own."""

    authors: tuple[Spanned, ...] = ()
    people: tuple[Spanned, ...] = ()
    places: tuple[Spanned, ...] = ()
    topics: tuple[Spanned, ...] = ()
    original_archive: Spanned | None = None


@dataclass(frozen=True)
class Telegram:
    """One document: a telegram (or cable, letter, note, decision) with its
    header, text, signature, embedded telegrams and what was extracted.

    Embedded telegrams are Telegram records of their own in ``embedded``;
    their spans are offsets into the same page text.
    """

    doc_type: str = "telegram"
    date: DateValue | None = None  # the page's date line (None when embedded)
    title: Spanned | None = None
    numbers: tuple[tuple[str, Spanned], ...] = ()  # (role, number): title | header | issuing | outgoing
    author: PersonRef | None = None
    co_authors: tuple[PersonRef, ...] = ()  # the others of a title's "A and B to C"
    addressees: tuple[PersonRef, ...] = ()
    via: tuple[PersonRef, ...] = ()
    origin: Spanned | None = None
    destination: Spanned | None = None
    transmissions: tuple[Transmission, ...] = ()
    urgency: Spanned | None = None
    classification: tuple[Spanned, ...] = ()
    copies: tuple[Copy, ...] = ()
    issuing_office: Spanned | None = None
    protocol: Spanned | None = None  # a decision's "Extract from protocol No. 84 of the session of the Politburo"
    salutation: Spanned | None = None
    text: Span | None = None  # the telegram's own words, header to signature
    paragraphs: tuple[Span, ...] = ()
    signatory: PersonRef | None = None
    co_signatories: tuple[PersonRef, ...] = ()  # further signature lines: "KIM IL SUNG" over "PAK HEON-YEONG"
    signature_date: DateValue | None = None
    complimentary_close: Spanned | None = None  # "With communist greetings", above the signature
    closing: tuple[Spanned, ...] = ()
    summary: Spanned | None = None
    archive_citation: ArchiveCitation | None = None
    record_id: Spanned | None = None
    uploaded: DateValue | None = None
    archive_type: Spanned | None = None
    language: str = "English"  # of the page's text: English, Russian or "English, Russian"
    original_language: str | None = None  # the archive's Language field: the original's
    catalogue: Catalogue | None = None  # the metadata tail's catalogue entries
    rights: Spanned | None = None
    conveys: tuple[str, ...] = ()  # title clause describing a conveyed telegram
    embedded: tuple[Telegram, ...] = ()
    mentions: tuple[Mention, ...] = ()
    citations: tuple[Citation, ...] = ()
    operations: tuple[Operation, ...] = ()
    events: tuple[Event, ...] = ()

    def number(self, role: str) -> Spanned | None:
        """The number of the given role (title, header, issuing, outgoing)."""
        for r, n in self.numbers:
            if r == role:
                return n
        return None

    @property
    def telegram_number(self) -> Spanned | None:
        """The telegram's own number: the header's wins over the title's, then
        the issuing number; a telegram quoted inside another is known by the
        number under its signature."""
        own = self.number("header") or self.number("title") or self.number("issuing")
        if own is None and self.title is None and self.date is None:
            return self.number("outgoing")
        return own

    @property
    def best_date(self) -> DateValue | None:
        """The date the telegram is placed at on a timeline."""
        return self.date or self.signature_date


@dataclass(frozen=True)
class SourceDocument:
    """A page as read from a file: its name, its text and the parsed record."""

    name: str
    text: str
    telegram: Telegram
    sha256: str
    warnings: tuple[str, ...] = field(default=())
