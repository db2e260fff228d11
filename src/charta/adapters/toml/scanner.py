"""The TOML key scanner behind :mod:`charta.adapters.toml.locate`, loaded when a line is asked for.

Its regular expressions are compiled on import; keeping them here, out of
the start-up path, saves ``charta validate`` of a valid file about 2.5 ms.
"""

from __future__ import annotations

import array
import bisect
import re
import tomllib

from charta.model import KeyPath

Positions = dict[KeyPath, tuple[int, int]]
Offsets = dict[KeyPath, int]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# Runs the scanner skips in one step: a loop per character would cost
# seconds on a large file (300,000 keys).
_BARE_RUN = re.compile(r"[A-Za-z0-9_-]+")
_BLANKS = re.compile(r"[ \t]*")
_BLANKS_AND_LINES = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
_COMMENT = re.compile(r"[^\n]*")
_BASIC = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
_LITERAL = re.compile(r"'[^'\n]*'")
_SCALAR = re.compile(r"[^,\]}\n#]*")
# The lines of almost every charta, each in one match from the blanks and
# comments before it: `key = scalar`, `key = [scalar, ...]` on one line, and
# `[table]` or `[[array]]` headers of bare keys.  Anything else goes the
# long way (the methods of _Scanner), one statement at a time.
_S = r"(?:\"(?:[^\"\\\n]++|\\.)*+\"(?!\")|'[^'\n]*+'(?!')|[^\s,\[\]{}#\"']++)"
_END = r"[ \t]*(?:#[^\n]*)?(?:\n|\Z)"
_DOTTED = r"[A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*"
_LINE = re.compile(
    # possessive: a long comment before a line that is none of these must not be
    # given back character by character (quadratic: a minute for 50,000 characters)
    r"(?P<lead>(?:[ \t\r\n]++|#[^\n]*+)*+)"
    rf"(?:(?P<pair>[A-Za-z0-9_-]+)[ \t]*=[ \t]*{_S}{_END}"
    rf"|(?P<array>[A-Za-z0-9_-]+)[ \t]*=[ \t]*\[(?P<elements>(?:[ \t]*{_S}[ \t]*,)*"
    rf"(?:[ \t]*{_S})?[ \t]*),?[ \t]*\]{_END}"
    rf"|\[\[[ \t]*(?P<aot>{_DOTTED})[ \t]*\]\]{_END}"
    rf"|\[[ \t]*(?P<table>{_DOTTED})[ \t]*\]{_END})"
)
_ELEMENT = re.compile(_S)
_DOT = re.compile(r"[ \t]*\.[ \t]*")

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
        # Where each key path starts, as an offset into the text: lines are
        # counted only for the few positions somebody asks for (LineIndex).
        self.offsets: Offsets = {}
        self.table: KeyPath = ()  # the table the statements at self.i belong to
        self.done = False  # the whole text was scanned, or the scanner stopped
        self.stopped = False  # it stopped: the text is not TOML it can follow
        self.headers: list[tuple[int, KeyPath]] = []  # every header: offset, table
        # How many elements each array of tables has, by its resolved path.
        self.arrays: dict[KeyPath, int] = {}

    # -- low level -------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.s[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        end = self.i + n
        if end > len(self.s):
            raise _Stop
        self.i = end

    def skip(self, pattern: re.Pattern[str]) -> str:
        """Advance over what ``pattern`` matches here; return it."""
        m = pattern.match(self.s, self.i)
        assert m is not None  # every pattern used here can match empty text
        self.i = m.end()  # a match never runs past the end
        return m.group()

    def here(self) -> int:
        return self.i

    def skip_ws(self, newlines: bool = False) -> None:
        self.skip(_BLANKS_AND_LINES if newlines else _BLANKS)

    def skip_comment(self) -> None:
        self.skip(_COMMENT)

    def record(self, path: KeyPath, pos: int) -> None:
        self.offsets.setdefault(path, pos)

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
        return self.enter(parts, is_array, pos)

    def enter(self, parts: list[str], is_array: bool, pos: int) -> KeyPath:
        """The table that a header at ``pos`` opens, recorded with its array."""
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
        self.headers.append((pos, path))
        return path

    def document(self, until: KeyPath | None = None) -> None:
        """Scan on from where the last call stopped: to the end, or until ``until`` is found."""
        if self.done:
            return
        try:
            self._statements(until)
        except (_Stop, IndexError):
            self.done = self.stopped = True

    def _statements(self, until: KeyPath | None) -> None:
        table = self.table
        text, offsets = self.s, self.offsets
        while self.i < len(text):
            if until is not None and until in offsets:
                self.table = table
                return
            m = _LINE.match(text, self.i)
            if m is not None and m.lastgroup is not None:
                kind = m.lastgroup
                if kind == "pair":
                    offsets.setdefault((*table, m["pair"]), m.start("pair"))
                elif kind == "elements":  # the last group of an array's alternative
                    path = (*table, m["array"])
                    offsets.setdefault(path, m.start("array"))
                    found = _ELEMENT.finditer(text, m.start("elements"), m.end("elements"))
                    for n, element in enumerate(found):
                        offsets.setdefault((*path, n), element.start())
                else:  # a header: its keys resolved against the arrays met so far
                    parts = _DOT.split(m[kind])
                    table = self.enter(parts, kind == "aot", m.end("lead"))
                self.i = m.end()
                continue
            self.skip_ws(newlines=True)
            if self.i >= len(text):
                break
            if self.peek() == "[":
                table = self.header()
            else:
                self.pair(table)
            self.skip_ws()
            if self.peek() == "#":
                self.skip_comment()
        self.done = True


def key_offsets(text: str) -> Offsets:
    """Map every key path in ``text`` to the offset where it is written.

    Array elements are addressed by index: ``("items", 2, "title")``.
    """
    scanner = _Scanner(text)
    scanner.document()
    return scanner.offsets


def headers(text: str) -> list[tuple[int, KeyPath]] | None:
    """Every table header in ``text``, in order: its offset (of the ``[``) and the
    table it opens (``("items", 2)`` for the third ``[[items]]``).  ``None`` when the
    scanner cannot follow the text to its end."""
    scanner = _Scanner(text)
    scanner.document()
    return None if scanner.stopped else scanner.headers


class KeyScan:
    """Offsets of key paths, found by scanning only as far as the questions need.

    Most questions are about a problem near the start of a large file; the
    text after it is scanned only when a later key, or a key that may not be
    written at all, is asked for.
    """

    def __init__(self, text: str) -> None:
        self._scanner = _Scanner(text)

    def offset(self, keys: KeyPath) -> int | None:
        """Where ``keys`` is written, or None when it is not."""
        offsets = self._scanner.offsets
        if keys not in offsets:
            self._scanner.document(until=keys)
        return offsets.get(keys)

    def all(self) -> Offsets:
        """Every key path with its offset: the whole text scanned."""
        self._scanner.document()
        return self._scanner.offsets


class LineIndex:
    """Offsets in a text to (line, column), both 1-based; the line ends are found once."""

    def __init__(self, text: str) -> None:
        # 8 bytes a line end, not the 36 of a list of ints: a 5 MiB file has ~300,000
        self._ends = array.array("q", (m.start() for m in _NEWLINE.finditer(text)))

    def position(self, offset: int) -> tuple[int, int]:
        before = bisect.bisect_left(self._ends, offset)  # line ends before the offset
        start = self._ends[before - 1] + 1 if before else 0
        return before + 1, offset - start + 1


_NEWLINE = re.compile("\n")


def key_positions(text: str) -> Positions:
    """Map every key path in ``text`` to its (line, column), both 1-based.

    Array elements are addressed by index: ``("items", 2, "title")``.
    """
    lines = LineIndex(text)
    return {path: lines.position(offset) for path, offset in key_offsets(text).items()}
