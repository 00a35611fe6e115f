"""Extraction: the telegram's words to mentions, citations, operations and
events, each with its span.  Pure: text in, records out."""

from __future__ import annotations

from ..model import Telegram
from ..resolve import Authority


def annotate(telegram: Telegram, text: str, authority: Authority) -> Telegram:
    """The telegram (and its embedded ones) with what its text names."""
    return telegram
