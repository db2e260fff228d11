"""Read and write charta TOML files.

Reading checks, in order, the bytes (size, encoding, line ends), the TOML
syntax and the shape (keys and types); each stage reports every problem it
finds before the next stage runs.  Meaning checks (references, ids,
revision chains) live in :mod:`charta.validate`.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from charta import rules
from charta.adapters.toml import syntax
from charta.adapters.toml.fast import MAX_DEPTH, Mismatch, structure
from charta.adapters.toml.locate import LazyPositions, Positions
from charta.errors import ChartaError, Collector, Problem, ValidationError
from charta.model import FORMAT_VERSION, Charta, KeyPath, Location, Value, data_fields, key_of
from charta.runtime import paused_gc
from charta.texts import CONTROLS

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Parsed",
    "dumps",
    "load",
    "loads",
    "parse",
    "read",
    "read_data",
    "read_text",
]

MAX_BYTES = 5 * 1024 * 1024
"""Largest charta file read.  The Sindelfingen file is ~20 KB; 5 MB leaves
room for a large consultation while refusing a file given by mistake."""

_TOML_ERROR = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_EOF = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


@attrs.frozen(repr=False)
class Parsed(Value):
    """A charta read from text, with the warnings met on the way."""

    charta: Charta
    warnings: tuple[Problem, ...]
    index: LazyPositions
    file: str | None

    @property
    def positions(self) -> Positions:
        return self.index.positions


def read_text(path: Path) -> tuple[str, list[Problem]]:
    """The text of a charta file, with warnings; ChartaError for what cannot be read."""
    name = str(path)
    where = Location(file=name)
    try:
        if path.is_dir():
            raise ChartaError(
                "is a directory, not a charta file: name a .toml file inside it",
                location=where,
                rule=rules.NOT_A_FILE,
            )
        if path.exists() and not path.is_file():
            # A device or pipe has no size to check and may never end (/dev/zero).
            raise ChartaError(
                "is not a regular file (a device or a pipe?): name a .toml file",
                location=where,
                rule=rules.NOT_A_FILE,
            )
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ChartaError(
                f"file is {size / 2**20:.1f} MiB; charta files are at most "
                f"{MAX_BYTES // 2**20} MiB. "
                "Is this the right file?",
                location=where,
                rule=rules.FILE_TOO_LARGE,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ChartaError("no such file", location=where, rule=rules.NO_SUCH_FILE) from None
    except PermissionError:
        raise ChartaError(
            "permission denied: cannot read this file", location=where, rule=rules.CANNOT_READ
        ) from None
    except ValueError:  # a NUL in the name: no file can have it
        raise ChartaError(
            "no such file (the name contains a NUL character)",
            location=where,
            rule=rules.NO_SUCH_FILE,
        ) from None
    except OSError as exc:
        raise ChartaError(
            f"cannot read: {exc.strerror}", location=where, rule=rules.CANNOT_READ
        ) from None
    return decode(data, name)


def decode(data: bytes, file: str | None = None) -> tuple[str, list[Problem]]:
    """Bytes to text: UTF-8 only; a BOM or CRLF line ends are read with a warning."""
    warnings = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        warnings.append(
            rules.BYTE_ORDER_MARK.problem(
                "the file starts with a byte-order mark; charta reads it, but save the file "
                "as UTF-8 without BOM so that other TOML tools read it too",
                Location(file=file, line=1, column=1),
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ChartaError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file with the "
            "encoding UTF-8",
            location=Location(file=file, line=line, column=col),
            rule=rules.NOT_UTF8,
        ) from None
    if "\r\n" in text:
        warnings.append(
            rules.CRLF.problem(
                "the file has Windows line ends (CRLF); charta reads them and writes LF",
                Location(file=file, line=1, column=1),
            )
        )
        text = text.replace("\r\n", "\n")
    if not text.strip():
        raise ChartaError(
            "the file is empty; a charta file needs at least format, id, title, kind, status "
            "and [issuer] ('charta schema' lists every key)",
            location=Location(file=file),
            rule=rules.EMPTY_FILE,
        )
    return text, warnings


def parse(text: str, file: str | None = None, warnings: tuple[Problem, ...] = ()) -> Parsed:
    """Text to a :class:`Parsed` charta; :class:`ValidationError` listing every shape problem.

    Text of more than :data:`MAX_BYTES` (in UTF-8) is refused before it is
    parsed, as a file of that size is: reading it would take seconds and
    gigabytes."""
    _refuse_large(text, file)
    with paused_gc():
        return _parse(text, file, warnings)


def _refuse_large(text: str, file: str | None) -> None:
    if len(text) * 4 <= MAX_BYTES:  # at most 4 bytes a character: small enough
        return
    size = len(text) if len(text) > MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ValidationError(
            [
                rules.FILE_TOO_LARGE.problem(
                    f"the text is {size / 2**20:.1f} MiB or more; a charta is at most "
                    f"{MAX_BYTES // 2**20} MiB: is this the right text?",
                    Location(file=file),
                )
            ]
        )


def _parse(text: str, file: str | None, warnings: tuple[Problem, ...]) -> Parsed:
    return _parse_with(syntax.loads, text, file, warnings)


def _parse_with(
    loads: Callable[[str], dict[str, Any]],
    text: str,
    file: str | None,
    warnings: tuple[Problem, ...],
) -> Parsed:
    try:
        data = loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([*warnings, syntax_problem(exc, file, text)]) from None
    except RecursionError:  # tomllib recurses into nested arrays
        raise ValidationError([*warnings, _too_deep(Location((), file))]) from None
    except ValueError as exc:
        # tomllib turns digits into int(), which refuses more than 4,300 of them.
        raise ValidationError([*warnings, _long_number(exc, text, file)]) from None
    index = LazyPositions(text)
    version = data.get("format")
    if version == FORMAT_VERSION and type(version) is int:
        # The one walk for data that is right: objects, locations and depth at once.
        try:
            charta = structure(data, file=file, index=index)
        except Mismatch:
            pass
        else:
            return Parsed(charta, warnings, index, file)
    deep, too_long = _first_too_deep(data)
    if too_long and loads is not tomllib.loads and syntax.parser() != "tomllib":
        # toml-rs reads integers of any length; tomllib refuses a decimal one of
        # more than 4,300 digits (hex, octal and binary it reads).  Only tomllib
        # can say which: a hostile file pays for a second parse, no other does.
        return _parse_with(tomllib.loads, text, file, warnings)
    if deep is not None:
        # Shown at its first few keys: the full path of a hostile file is hundreds long.
        raise ValidationError([*warnings, _too_deep(Location(deep[:4], file, index=index))])
    early = _headers_before_their_array(data, file, index)
    if early:
        raise ValidationError([*warnings, *early])
    if isinstance(version, int) and not isinstance(version, bool) and version != FORMAT_VERSION:
        # The gate comes before any shape check: a newer format's new keys
        # are not mistakes, and a list of "unknown key" would mislead.
        shown = version if abs(version) < 10**6 else "of another charta"
        raise ValidationError(
            [
                *warnings,
                rules.FORMAT_VERSION.problem(
                    f"this file is written in charta format {shown}; this version of charta "
                    f"reads format {FORMAT_VERSION}: "
                    + (
                        "it was written for a newer charta; upgrade charta to read it"
                        if version > FORMAT_VERSION
                        else "set format = 1"
                    ),
                    Location(("format",), file, index=index),
                ),
            ]
        ) from None
    charta = _structure_or_explain(data, file, index, warnings)
    charta = _with_locations(charta, (), index, file)
    return Parsed(charta, warnings, index, file)


def _structure_or_explain(
    data: dict[str, Any], file: str | None, index: LazyPositions, warnings: tuple[Problem, ...]
) -> Charta:
    """cattrs, for data the fast path would not take: its result, or every shape problem."""
    # lazy: cattrs costs start-up time; only data the fast path refused needs it
    from charta.adapters.toml.convert import shape_problems, structure_toml

    try:
        return structure_toml(data)
    except Exception as exc:  # cattrs raises a tree of errors; we flatten it
        found = Collector(file)
        for path, rule, message in shape_problems(exc):
            found.add(rule, message, functools.partial(Location, path, file, index=index))
        raise ValidationError([*warnings, *found.problems()]) from None


def read(path: str | os.PathLike[str]) -> Parsed:
    """Read and parse a charta file: the one path from a file name to a :class:`Parsed`."""
    p = Path(path)
    text, warnings = read_text(p)
    return parse(text, str(p), tuple(warnings))


def read_data(data: bytes, name: str) -> Parsed:
    """Parse charta bytes that come from elsewhere (a package's data file) like a file's.

    The same checks as for a file: size, UTF-8, byte-order mark, line ends.
    """
    if len(data) > MAX_BYTES:
        raise ChartaError(
            f"is {len(data) / 2**20:.1f} MiB; charta files are at most {MAX_BYTES // 2**20} MiB",
            location=Location(file=name),
            rule=rules.FILE_TOO_LARGE,
        )
    text, warnings = decode(data, name)
    return parse(text, name, tuple(warnings))


_ARRAYS_OF_TABLES = (
    "items",
    "based-on",
    "editions",
    "omissions",
    "covered-elsewhere",
    "merged-away",
)


def _headers_before_their_array(
    data: dict[str, Any], file: str | None, index: LazyPositions
) -> list[Problem]:
    """``[[items.derived-from]]`` written before any ``[[items]]``.

    TOML then makes ``items`` a table holding ``derived-from``, and the
    later ``[[items]]`` a syntax error; say what happened instead.
    """
    found = []
    for key in _ARRAYS_OF_TABLES:
        value = data.get(key)
        if isinstance(value, dict):
            for sub in value:
                found.append(
                    rules.WRONG_TYPE.problem(
                        f"[[{key}.{sub}]] stands before any [[{key}]]: write the [[{key}]] "
                        f"table first; each [[{key}.{sub}]] belongs to the [[{key}]] above it",
                        Location((key, sub), file, index=index),
                    )
                )
    return found


def _too_deep(location: Location) -> Problem:
    return rules.TOO_DEEP.problem(
        f"tables and arrays are nested more than {MAX_DEPTH} levels deep here; "
        "a charta needs only a few levels: check the [[...]] headers",
        location,
    )


_DIGITS = re.compile(r"[0-9_]+")


def _long_number(exc: ValueError, text: str, file: str | None) -> Problem:
    # Each run of digits is matched once (a pattern like [0-9_]{4301,} would
    # retry every start of a long run: quadratic).  The first long run is
    # the best guess; it may stand in a comment before the real value.
    m = next((m for m in _DIGITS.finditer(text) if m.end() - m.start() > 4300), None)
    if m is None:  # pragma: no cover - tomllib raised ValueError for another reason
        return rules.TOML_SYNTAX.problem(f"TOML syntax: {exc}", Location((), file))
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return rules.NUMBER_TOO_LONG.problem(
        f"a number of {len(m.group()):,} digits; numbers in a charta are small "
        "(counts, years): is this value meant to be text in quotes?",
        Location((), file, line, column),
    )


_INT_DIGITS = 10**4300
"""Integers from here on have more digits than int() reads from text (4,300):
tomllib refuses them, toml-rs reads them."""


def _first_too_deep(data: Any) -> tuple[KeyPath | None, bool]:
    """The key path of the first value nested deeper than MAX_DEPTH, if any, and
    whether an integer has more digits than tomllib reads (toml-rs reads any)."""
    stack: list[tuple[Any, KeyPath]] = [(data, ())]
    too_long = False
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path, too_long
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
        elif type(value) is int and not -_INT_DIGITS < value < _INT_DIGITS:
            too_long = True
    return None, too_long


def _syntax_hint(message: str, source: str, line: int) -> str:
    """A hint for the syntax errors clerks meet most."""
    lines = source.split("\n")
    written = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    header = _ARRAY_HEADER.fullmatch(written)
    if message == "Cannot overwrite a value" and header:
        name = header.group(1)
        return (
            f": [[{name}]] comes after a [[{name}.…]] header; write [[{name}]] first, "
            f"then the [[{name}.…]] tables that belong to it"
        )
    if _GERMAN_DATE_VALUE.search(written):
        return ": a date is written year first, without quotes: 2021-10-13, not 13.10.2021"
    return ""


_ARRAY_HEADER = re.compile(r"\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")
_GERMAN_DATE_VALUE = re.compile(r"=\s*[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}\b")


def syntax_problem(exc: tomllib.TOMLDecodeError, file: str | None, source: str = "") -> Problem:
    text = str(exc)
    if m := _TOML_ERROR.match(text):
        loc = Location((), file, int(m["line"]), int(m["col"]))
        text = m["msg"] + _syntax_hint(m["msg"], source, int(m["line"]))
    elif m := _TOML_EOF.match(text):
        loc = Location((), file)
        text = m["msg"] + " at the end of the file"
    else:
        loc = Location((), file)
    return rules.TOML_SYNTAX.problem(f"TOML syntax: {text}", loc)


def _with_locations(obj: Any, path: KeyPath, index: LazyPositions, file: str | None) -> Any:
    """``obj`` with every model object in it told where it was written.

    The objects were created by the converter a moment ago and nobody else
    holds them yet, so the location is set in place (the way attrs itself
    initialises frozen classes) instead of rebuilding the tree with evolve:
    that is about five times faster, and reading speed is start-up speed.
    """
    if isinstance(obj, tuple):
        for i, v in enumerate(obj):
            _with_locations(v, (*path, i), index, file)
        return obj
    if not hasattr(obj, "location") or not attrs.has(type(obj)):
        return obj
    object.__setattr__(obj, "location", Location(path, file, index=index))
    for name, key in _nested(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, tuple) or hasattr(value, "location"):
            _with_locations(value, (*path, key), index, file)
    return obj


_NESTED: dict[type, tuple[tuple[str, str], ...]] = {}


def _nested(cl: type) -> tuple[tuple[str, str], ...]:
    """The (attribute, key) pairs of a model class, location left out; computed once."""
    found = _NESTED.get(cl)
    if found is None:
        found = _NESTED[cl] = tuple((a.name, key_of(a.name)) for a in data_fields(cl))
    return found


def loads(text: str, *, file: str | os.PathLike[str] | None = None) -> Charta:
    """A charta from TOML text.  Raises :class:`ValidationError` on bad input,
    and on text of more than :data:`MAX_BYTES` (5 MiB) before parsing it."""
    name = os.fspath(file) if file is not None else None
    return parse(text, name).charta


def load(path: str | os.PathLike[str]) -> Charta:
    """A charta from a TOML file.  Raises :class:`ChartaError` on bad input."""
    return read(path).charta


def dumps(charta: Charta) -> str:
    """The canonical TOML form of a charta."""
    # lazy: writing only; reading and checking do not pay for tomli-w and cattrs
    import tomli_w

    from charta.adapters.toml.convert import toml_converter

    data = toml_converter().unstructure(charta)
    text = str(tomli_w.dumps(data, multiline_strings=True))
    # tomli-w escapes C0 controls; C1 controls, line separators and bidirectional
    # controls it writes as they are.  They can stand only in strings, where
    # \uXXXX means the same character: the text reads back the same, and shows
    # no one a turned-around line.
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
