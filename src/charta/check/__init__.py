"""Meaning rules over a loaded charta, one module per rule group.

:func:`check` runs them all; :mod:`charta.check.loading` reads, checks and
writes files (the functions behind ``charta.load`` and ``charta validate``).
"""

from __future__ import annotations

from charta.check.checker import Report, check

__all__ = ["Report", "check"]
