"""Pure parsing: page text in, :class:`~cable_kg.model.Telegram` out.

No I/O and no store here; everything is tested with plain strings.
"""

from .page import parse_page

__all__ = ["parse_page"]
