"""The TOML reader: the compiled parser (charta[fast]) held to tomllib.

tomllib is the parser of record; toml-rs, when installed, must give the same
data for every document tomllib accepts and must never accept one that
tomllib refuses.  The read of a charta must not depend on which one ran.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charta.adapters import toml
from charta.adapters.toml import fast, syntax
from charta.adapters.toml.convert import toml_converter
from charta.errors import ValidationError
from charta.model import Charta

from .strategies import chartas

EXAMPLES = Path(__file__).parent.parent / "examples"
PROPERTY = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

needs_compiled = pytest.mark.skipif(
    syntax.parser() != "toml-rs", reason="toml-rs (charta[fast]) is not installed"
)


def same(a: Any, b: Any) -> bool:
    """Equal data, NaN equal to NaN and types compared too (1 is not 1.0, nor True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dt.datetime | dt.time):
        return a == b and a.utcoffset() == b.utcoffset() if a.tzinfo else a == b
    return bool(a == b)


def tomllib_or_error(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        return exc


def assert_agrees(text: str) -> None:
    expected = tomllib_or_error(text)
    try:
        got: Any = syntax.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        got = exc
    if isinstance(expected, Exception):
        assert isinstance(got, type(expected)), (text, got)
        assert str(got) == str(expected)  # tomllib's words, line and column
    else:
        assert same(got, expected), text


# Values of every TOML type, strings full of the characters parsers trip on.
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_scalars = st.one_of(
    _text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.times(),
)
_keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
_documents = st.recursive(
    st.dictionaries(_keys, _scalars, max_size=4),
    lambda inner: st.dictionaries(
        _keys, st.one_of(_scalars, inner, st.lists(inner | _scalars, max_size=3)), max_size=4
    ),
    max_leaves=20,
)


@PROPERTY
@given(_documents, st.booleans())
def test_both_parsers_read_every_document_alike(doc: dict[str, Any], multiline: bool) -> None:
    try:
        text = tomli_w.dumps(doc, multiline_strings=multiline)
    except (TypeError, ValueError):  # e.g. a datetime tomli-w cannot write
        return
    assert_agrees(text)


@PROPERTY
@given(_documents, st.data())
def test_both_parsers_refuse_every_broken_document_alike(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    # A written document with one edit: a character inserted, deleted or replaced.
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return
    at = data.draw(st.integers(0, len(text)))
    edit = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    char = data.draw(st.sampled_from([*list("[]{}\"'=,.#\\\n\r\t \x00\x7fé1-:TZ+"), "\u2028"]))
    if edit == "insert":
        text = text[:at] + char + text[at:]
    elif edit == "delete":
        text = text[:at] + text[at + 1 :]
    else:
        text = text[:at] + char + text[at + 1 :]
    assert_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = "\\e"',  # TOML 1.1 escapes, refused by TOML 1.0
        'a = "\\x41"',
        "a = {b = 1,\n c = 2}",  # TOML 1.1 inline tables
        "a = {b = 1, }",
        "a = 07:32",  # TOML 1.1 times without seconds
        "a = 1979-05-27T07:32Z",
        "a = 9223372036854775808",  # beyond 64 bits: tomllib reads it
        "a = 1\na = 2",
        'a = "\x7f"',
        'a = "x\ry"',
        "a = [nan, inf, -0.0, 1e400]",
        "a = 1979-05-27T07:32:00+02:00",
        "[a]\nb = 1\n[a]\nc = 2",
    ],
)
def test_the_edges_of_toml_1_0_are_read_as_tomllib_reads_them(text: str) -> None:
    assert_agrees(text)


@pytest.mark.parametrize(
    "value",
    [
        "1" * 4301,
        "-" + "9" * 5000,
        "1_" * 4400 + "1",
        "[1, " + "7" * 4400 + "]",
        "0x" + "f" * 5000,  # tomllib reads these: int() has no limit for bases 2, 8, 16
        "0b" + "1" * 20000,
    ],
)
def test_a_number_beyond_int_s_4300_digits_gets_tomllib_s_verdict_from_both(
    value: str, minimal_toml: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # toml-rs reads any integer, tomllib refuses a decimal one of more than 4,300
    # digits: the one difference syntax.loads lets through, caught by the slow path.
    def codes(text: str) -> list[str]:
        try:
            toml.parse(text, "f.toml")
        except ValidationError as exc:
            return [p.code for p in exc.problems]
        return []

    for text in (minimal_toml + f"declared-count = {value}\n", f"x = {value}\n" + minimal_toml):
        with_compiled = codes(text)
        monkeypatch.setattr(syntax, "_PARSER", [None])
        assert codes(text) == with_compiled
        monkeypatch.undo()
        assert with_compiled  # refused, as number-too-long or as a wrong type


def test_every_example_and_source_is_read_alike() -> None:
    files = [*EXAMPLES.rglob("*.toml"), *Path(syntax.__file__).parents[2].rglob("sources/*.toml")]
    assert len(files) > 5
    for path in files:
        assert_agrees(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("depth", [199, 201, 5_000, 1_000_000])
def test_deep_nesting_never_crashes_the_process(depth: int) -> None:
    # toml-rs recurses on the C stack and crashed at a few thousand levels; the
    # nesting bound sends such text to tomllib, which raises RecursionError.
    code = (
        "import sys; from charta.adapters import toml\n"
        "from charta.errors import ValidationError\n"
        f"text = 'format = 1\\na = ' + '[' * {depth} + ']' * {depth}\n"
        "try:\n    toml.parse(text)\nexcept ValidationError as exc:\n"
        "    print(exc.problems[0].code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr  # a crash is -11 (SIGSEGV)
    assert done.stdout.strip() in {"too-deep", "unknown-key"}


@PROPERTY
@given(st.recursive(_text, lambda inner: st.lists(inner, max_size=3), max_leaves=30))
def test_the_nesting_bound_is_never_too_low(value: Any) -> None:
    # Brackets inside strings must not hide how deep the arrays really go.
    text = tomli_w.dumps({"a": value})

    def depth(v: Any) -> int:
        return 1 + max(map(depth, v), default=0) if isinstance(v, list) else 0

    assert syntax.nesting(text) >= depth(value)


def test_without_the_compiled_parser_the_same_charta_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (EXAMPLES / "sindelfingen" / "leitmotive.toml").read_text(encoding="utf-8")
    with_it = toml.parse(text, "x.toml").charta
    monkeypatch.setattr(syntax, "_PARSER", [None])
    assert syntax.parser() == "tomllib"
    assert toml.parse(text, "x.toml").charta == with_it


@needs_compiled
def test_the_compiled_parser_is_the_one_used_when_installed() -> None:
    assert syntax.parser() == "toml-rs"


@PROPERTY
@given(chartas())
def test_the_one_walk_gives_the_locations_the_slow_path_gives(c: Charta) -> None:
    # fast.structure builds each object with its location; the slow path
    # (cattrs, then _with_locations) must agree on every key path.
    data = tomllib.loads(toml.dumps(c))
    quick = fast.structure(data, file="f.toml")
    slow = toml._with_locations(toml_converter().structure(data, Charta), (), None, "f.toml")

    def locations(obj: Any) -> list[tuple[Any, ...]]:
        found = []
        stack = [obj]
        while stack:
            o = stack.pop()
            if isinstance(o, tuple):
                stack.extend(o)
            elif hasattr(o, "__attrs_attrs__"):
                if hasattr(o, "location"):
                    where = o.location
                    found.append((type(o).__name__, where and (where.keys, where.file)))
                stack.extend(getattr(o, a.name) for a in o.__attrs_attrs__ if a.name != "location")
        return found

    # The same objects in the same order, at the same key paths; an object the file
    # does not write (a default [provenance]) has none in the one walk.
    pairs = list(zip(locations(quick), locations(slow), strict=True))
    assert all(q == s or (q[0] == s[0] and q[1] is None) for q, s in pairs)


def test_a_charta_nested_beyond_the_limit_is_refused_by_the_one_walk_too(
    minimal_toml: str,
) -> None:
    headers, path = [], "items"
    for n in range(toml.MAX_DEPTH):
        headers.append(f'[[{path}]]\nid = "i{n}"\ntitle = "t"\n')
        path += ".children"
    with pytest.raises(ValidationError) as caught:
        toml.parse(minimal_toml + "\n" + "".join(headers))
    assert caught.value.problems[0].code == "too-deep"
