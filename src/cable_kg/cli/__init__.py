"""The ``cable-kg`` command line: parse arguments, call the library, print.

Library errors become ``ClickException`` (exit 1) or ``BadParameter``
(exit 2); a batch in which some file failed exits 1 after loading the rest.
Nothing outside this package imports it.  Each module adds its commands to
the one group in :mod:`.base`.
"""

from . import core, threads  # noqa: F401  (registers the commands)
from . import web  # noqa: F401
from .base import main

__all__ = ["main"]
