"""Files to documents: read, decode, parse, extract.

This is the one place that reads source files.  Each problem with a file is
an :class:`~cable_kg.errors.InputError` naming the file (and the line and
column where one applies), so a batch can report it and go on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .errors import InputError, NotATelegram
from .extract import annotate
from .model import SourceDocument
from .parse import parse_page
from .resolve import Authority

BOM = "\ufeff"


def decode(path: str, data: bytes) -> tuple[str, list[str]]:
    """The text of a file's bytes, or an InputError saying what is wrong.

    >>> decode("a.txt", "Ann\\u00e9e".encode())[0]
    'Année'
    >>> decode("a.txt", b"ok\\nbad \\xff here")
    Traceback (most recent call last):
    ...
    cable_kg.errors.InputError: a.txt:2:5: not UTF-8 text: byte 0xff cannot be decoded
    """
    warnings = []
    if not data.strip():
        raise InputError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (NUL bytes), not a text page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(path, f"not UTF-8 text: byte 0x{data[e.start]:02x} cannot be decoded",
                         line, column) from None
    if text.startswith(BOM):
        text = text[1:]
        warnings.append("UTF-8 byte order mark removed")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def convert_text(name: str, text: str, authority: Authority, warnings: Iterable[str] = ()) -> SourceDocument:
    """A page's text to a parsed and annotated document."""
    try:
        telegram = parse_page(text)
    except NotATelegram as e:
        raise InputError(name, f"not a telegram page: {e}") from None
    telegram = annotate(telegram, text, authority)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return SourceDocument(name, text, telegram, digest, tuple(warnings))


def convert_file(path: Path, authority: Authority) -> SourceDocument:
    """Read and convert one file; raises InputError."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), e.strerror or str(e)) from None
    text, warnings = decode(str(path), data)
    try:
        doc = convert_text(path.name, text, authority, warnings)
    except InputError as e:
        raise InputError(str(path), e.reason, e.line, e.column) from None
    return doc


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the ``*.txt`` files of folders named, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.txt") if q.is_file()))
        else:
            out.append(p)
    return out


def convert_files(paths: Iterable[Path], authority: Authority) -> Iterator[SourceDocument | InputError]:
    """Each file converted, or the error that stopped it; never raises for one file."""
    for path in paths:
        try:
            yield convert_file(path, authority)
        except InputError as e:
            yield e


def with_name(doc: SourceDocument, name: str) -> SourceDocument:
    return replace(doc, name=name)
