"""Typed exceptions of the library layer.

Only the CLI and the web app turn these into messages, exit codes and HTTP
statuses; everything below them raises.
"""

from __future__ import annotations


class CableKGError(Exception):
    """Base class of every error cable-kg raises on purpose."""


class InputError(CableKGError):
    """A source file that cannot be converted, with where and why.

    >>> str(InputError("a.txt", "invalid UTF-8 byte 0xff", line=3, column=7))
    'a.txt:3:7: invalid UTF-8 byte 0xff'
    """

    def __init__(self, path: str, reason: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        where = path if line is None else f"{path}:{line}:{column or 1}"
        super().__init__(f"{where}: {reason}")


class NotATelegram(CableKGError):
    """Text that has none of the shapes of an archive telegram page."""


class QueryError(CableKGError):
    """A saved query that does not exist, a bad parameter, or a failed query."""


class ParameterError(QueryError):
    """A query parameter that is missing, unknown or not a valid value."""


class StoreError(CableKGError):
    """The store cannot be opened or written."""


class TelegramNotFound(QueryError):
    """No telegram matches an IRI, record ID or number."""
