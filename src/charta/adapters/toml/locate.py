"""Find the line and column of every key in a TOML document.

tomllib parses but forgets positions.  This scanner walks the same text once
more and records where each key path starts, so that a problem found in the
parsed data (a missing field, a reference that does not resolve) can be
reported as ``file:line:col``.  It never decides validity: tomllib has already
accepted the text, and if the scanner meets something it does not follow it
stops and the remaining problems fall back to key paths.
"""

from __future__ import annotations

from typing import Any

from charta.model import KeyPath

Positions = dict[KeyPath, tuple[int, int]]


def key_positions(text: str) -> Positions:
    """Map every key path in ``text`` to its (line, column), both 1-based.

    Array elements are addressed by index: ``("items", 2, "title")``.
    """
    # lazy: the scanner's patterns are compiled only when a line is asked for
    from charta.adapters.toml.scanner import key_positions as scan

    return scan(text)


class LazyPositions:
    """Scans the text for key positions the first time a line is asked for.

    The scan records offsets; a line is counted only for a position that is
    asked for (a problem's location), so a large file with a few problems
    does not pay for the lines of all its keys.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._scan: Any = None
        self._lines: Any = None

    def _scanner(self) -> Any:
        if self._scan is None:
            # lazy: the scanner's patterns are compiled only when a line is asked for
            from charta.adapters.toml.scanner import KeyScan, LineIndex

            self._scan = KeyScan(self._text)
            self._lines = LineIndex(self._text)
        return self._scan

    @property
    def positions(self) -> Positions:
        """Every key path with its (line, column)."""
        offsets = self._scanner().all()
        return {path: self._lines.position(offset) for path, offset in offsets.items()}

    def written(self, keys: KeyPath) -> bool:
        return self._scanner().offset(keys) is not None

    def find(self, keys: KeyPath) -> tuple[int, int] | None:
        """The position of ``keys``, or of its nearest written ancestor (a missing key's table)."""
        scan = self._scanner()
        for n in range(len(keys), -1, -1):
            offset = scan.offset(keys[:n])
            if offset is not None:
                return self._lines.position(offset)  # type: ignore[no-any-return]
        # A top-level key that is missing: the document starts at line 1.
        return (1, 1) if self._text else None
