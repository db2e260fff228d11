"""Find the line and column of every key in a TOML document.

tomllib parses but forgets positions.  This scanner walks the same text once
more and records where each key path starts, so that a problem found in the
parsed data (a missing field, a reference that does not resolve) can be
reported as ``file:line:col``.  It never decides validity: tomllib has already
accepted the text, and if the scanner meets something it does not follow it
stops and the remaining problems fall back to key paths.
"""

from __future__ import annotations

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
    """Scans the text for key positions the first time a line is asked for."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: Positions | None = None

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            self._positions = key_positions(self._text)
        return self._positions

    def written(self, keys: KeyPath) -> bool:
        return keys in self.positions

    def find(self, keys: KeyPath) -> tuple[int, int] | None:
        """The position of ``keys``, or of its nearest written ancestor (a missing key's table)."""
        positions = self.positions
        for n in range(len(keys), -1, -1):
            pos = positions.get(keys[:n])
            if pos is not None:
                return pos
        # A top-level key that is missing: the document starts at line 1.
        return (1, 1) if self._text else None
