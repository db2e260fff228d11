"""The TOML key scanner behind :mod:`charta.adapters.toml.locate`, loaded when a line is asked for.

Its regular expressions are compiled on import; keeping them here, out of
the start-up path, saves ``charta validate`` of a valid file about 2.5 ms.
"""

from __future__ import annotations

import contextlib
import re
import tomllib

from charta.model import KeyPath

Positions = dict[KeyPath, tuple[int, int]]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# Runs the scanner skips in one step: a loop per character would cost
# seconds on a large file (300,000 keys).
_BARE_RUN = re.compile(r"[A-Za-z0-9_-]+")
_BLANKS = re.compile(r"[ \t]*")
_BLANKS_AND_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_COMMENT = re.compile(r"[^\n]*")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_SCALAR = re.compile(r"[^,\]}\n#]*")
# One bare key, "=", one single-line scalar (not the start of a multi-line
# string), an optional comment, the line end.
_SIMPLE_PAIR = re.compile(
    r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    r"(?:\"(?:[^\"\\\n]|\\.)*\"(?!\")|'[^'\n]*'(?!')|[^\s,\[\]{}#\"']+)"
    r"[ \t]*(?:#[^\n]*)?(?:\n|\Z)"
)
_MULTILINE_END = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.S),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''", re.S),
}


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
        end = self.i + n
        if end > len(self.s):
            raise _Stop
        newlines = self.s.count("\n", self.i, end)
        if newlines:
            self.line += newlines
            self.line_start = self.s.rindex("\n", self.i, end) + 1
        self.i = end

    def skip(self, pattern: re.Pattern[str]) -> str:
        """Advance over what ``pattern`` matches here; return it."""
        m = pattern.match(self.s, self.i)
        assert m is not None  # every pattern used here can match empty text
        self.advance(m.end() - self.i)
        return m.group()

    def here(self) -> tuple[int, int]:
        return self.line, self.i - self.line_start + 1

    def skip_ws(self, newlines: bool = False) -> None:
        self.skip(_BLANKS_AND_LINES if newlines else _BLANKS)

    def skip_comment(self) -> None:
        self.skip(_COMMENT)

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
                parts.append(self.skip(_BARE_RUN))
            else:
                raise _Stop
            self.skip_ws()
            if self.peek() != ".":
                return parts
            self.advance()

    # -- strings ---------------------------------------------------------
    def basic_string(self) -> str:
        m = _BASIC.match(self.s, self.i)
        if m is None:
            raise _Stop  # unterminated, or a newline inside
        raw = self.skip(_BASIC)
        if "\\" not in raw:
            return raw[1:-1]
        # Let tomllib decode the escapes, so keys match the parsed data exactly.
        try:
            return str(tomllib.loads(f"k = {raw}")["k"])
        except tomllib.TOMLDecodeError:
            raise _Stop from None

    def literal_string(self) -> str:
        if _LITERAL.match(self.s, self.i) is None:
            raise _Stop
        return self.skip(_LITERAL)[1:-1]

    def multiline(self, quote: str) -> None:
        self.advance(3)
        if _MULTILINE_END[quote].match(self.s, self.i) is None:
            raise _Stop  # never closed
        self.skip(_MULTILINE_END[quote])
        # Up to two more quotes may belong to the content.
        while self.peek() == quote[0]:
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
            self.skip(_SCALAR)

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
            elif simple := _SIMPLE_PAIR.match(self.s, self.i):
                # The common line, `key = "value"`, in one step.
                self.record((*table, simple.group(1)), self.here())
                self.advance(simple.end() - self.i)
                continue
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
