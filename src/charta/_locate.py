"""Find the line and column of every key in a TOML document.

tomllib parses but forgets positions.  This scanner walks the same text once
more and records where each key path starts, so that a problem found in the
parsed data (a missing field, a reference that does not resolve) can be
reported as ``file:line:col``.  It never decides validity: tomllib has already
accepted the text, and if the scanner meets something it does not follow it
stops and the remaining problems fall back to key paths.
"""

from __future__ import annotations

import contextlib
import tomllib

KeyPath = tuple[str | int, ...]
Positions = dict[KeyPath, tuple[int, int]]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Stop(Exception):
    pass


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.line_start = 0
        self.positions: Positions = {}
        # How many elements each array of tables has, by its resolved path.
        self.arrays: dict[KeyPath, int] = {}

    # -- low level -------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.s[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i >= len(self.s):
                raise _Stop
            if self.s[self.i] == "\n":
                self.line += 1
                self.line_start = self.i + 1
            self.i += 1

    def here(self) -> tuple[int, int]:
        return self.line, self.i - self.line_start + 1

    def skip_ws(self, newlines: bool = False) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.advance()
            elif newlines and c == "#":
                self.skip_comment()
            else:
                return

    def skip_comment(self) -> None:
        while self.i < len(self.s) and self.s[self.i] != "\n":
            self.advance()

    def record(self, path: KeyPath, pos: tuple[int, int]) -> None:
        self.positions.setdefault(path, pos)

    # -- keys ------------------------------------------------------------
    def key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.skip_ws()
            c = self.peek()
            if c == '"':
                parts.append(self.basic_string())
            elif c == "'":
                parts.append(self.literal_string())
            elif c in _BARE and c:
                start = self.i
                while self.i < len(self.s) and self.s[self.i] in _BARE:
                    self.advance()
                parts.append(self.s[start : self.i])
            else:
                raise _Stop
            self.skip_ws()
            if self.peek() != ".":
                return parts
            self.advance()

    # -- strings ---------------------------------------------------------
    def basic_string(self) -> str:
        start = self.i
        self.advance()
        while True:
            c = self.peek()
            if c == "\\":
                self.advance(2)
            elif c == '"':
                self.advance()
                break
            elif not c or c == "\n":
                raise _Stop
            else:
                self.advance()
        raw = self.s[start : self.i]
        if "\\" not in raw:
            return raw[1:-1]
        # Let tomllib decode the escapes, so keys match the parsed data exactly.
        try:
            return str(tomllib.loads(f"k = {raw}")["k"])
        except tomllib.TOMLDecodeError:
            raise _Stop from None

    def literal_string(self) -> str:
        self.advance()
        start = self.i
        while self.peek() != "'":
            if not self.peek() or self.peek() == "\n":
                raise _Stop
            self.advance()
        value = self.s[start : self.i]
        self.advance()
        return value

    def multiline(self, quote: str) -> None:
        self.advance(3)
        while True:
            if self.peek(3) == quote:
                # Up to two more quotes may belong to the content.
                while self.peek(4) == quote + quote[0]:
                    self.advance()
                self.advance(3)
                return
            if quote == '"""' and self.peek() == "\\":
                self.advance()
            self.advance()

    # -- values ----------------------------------------------------------
    def value(self, path: KeyPath) -> None:
        c = self.peek()
        if self.peek(3) in ('"""', "'''"):
            self.multiline(self.peek(3))
        elif c == '"':
            self.basic_string()
        elif c == "'":
            self.literal_string()
        elif c == "[":
            self.advance()
            index = 0
            while True:
                before = self.i
                self.skip_ws(newlines=True)
                if not self.peek():
                    raise _Stop  # unterminated array
                if self.peek() == "]":
                    self.advance()
                    return
                self.record((*path, index), self.here())
                self.value((*path, index))
                index += 1
                self.skip_ws(newlines=True)
                if self.peek() == ",":
                    self.advance()
                if self.i == before:
                    raise _Stop  # text the scanner does not follow: stop, never loop
        elif c == "{":
            self.advance()
            while True:
                before = self.i
                self.skip_ws()
                if not self.peek():
                    raise _Stop  # unterminated inline table
                if self.peek() == "}":
                    self.advance()
                    return
                self.pair(path)
                self.skip_ws()
                if self.peek() == ",":
                    self.advance()
                if self.i == before:
                    raise _Stop
        else:
            while self.peek() and self.peek() not in ",]}\n#":
                self.advance()

    def pair(self, table: KeyPath) -> None:
        pos = self.here()
        parts = self.key()
        path = (*table, *parts)
        for n in range(1, len(parts) + 1):
            self.record((*table, *parts[:n]), pos)
        self.skip_ws()
        if self.peek() != "=":
            raise _Stop
        self.advance()
        self.skip_ws()
        self.value(path)

    # -- tables ----------------------------------------------------------
    def resolve(self, parts: list[str]) -> KeyPath:
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            count = self.arrays.get(path)
            if count:
                path = (*path, count - 1)
        return path

    def header(self) -> KeyPath:
        pos = self.here()
        is_array = self.peek(2) == "[["
        self.advance(2 if is_array else 1)
        parts = self.key()
        self.advance(2 if is_array else 1)
        if is_array:
            parent = self.resolve(parts[:-1])
            array_path = (*parent, parts[-1])
            index = self.arrays.get(array_path, 0)
            self.arrays[array_path] = index + 1
            self.record(array_path, pos)
            path: KeyPath = (*array_path, index)
        else:
            path = self.resolve(parts)
        self.record(path, pos)
        return path

    def document(self) -> None:
        table: KeyPath = ()
        while self.i < len(self.s):
            self.skip_ws(newlines=True)
            if self.i >= len(self.s):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.pair(table)
            self.skip_ws()
            if self.peek() == "#":
                self.skip_comment()


def key_positions(text: str) -> Positions:
    """Map every key path in ``text`` to its (line, column), both 1-based.

    Array elements are addressed by index: ``("items", 2, "title")``.
    """
    scanner = _Scanner(text)
    with contextlib.suppress(_Stop, IndexError):
        scanner.document()
    return scanner.positions


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
