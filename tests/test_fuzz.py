"""Fuzzing the reader, the checker and the outputs with hostile values in a real charta.

Each example takes the Sindelfingen file and replaces the values of one to
three of its lines with hostile TOML literals chosen for the kind of key
(dates get dates at the end of the calendar, references get NUL bytes and
invisible characters, any key gets numbers past Python's int limit).  The
property: reading raises only ``ChartaError``; what reads back is a fixed
point of the canonical form; the public outputs and the diff do not crash.

These are the inputs that crashed charta before issue 5 (a 5,000-digit
number, ``9999-12``, a NUL in a path reference, ``"\\r\\r\\n"`` in a text);
a test in tests/test_house.py covers each by hand as well.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import charta
from charta.adapters import toml
from charta.adapters.text import show_charta
from charta.diff.compare import against_sources
from charta.errors import ChartaError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sindelfingen" / "leitmotive.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
_PAIR = re.compile(r"^([A-Za-z0-9_-]+) = (\S.*)$")

ANYWHERE = [
    "9" * 5000,  # past Python's 4,300-digit int() limit
    "0x" + "f" * 5000,  # past 64 bits, written in hex
    "-" + "9" * 40,
    "inf",
    "nan",
    "[]",
    "{}",
    '"\\u202e\\u200b"',
    '""',
    '"x\\r\\r\\ny"',  # CR runs before LF
]
DATES = ['"9999-12"', '"9999"', "9999-12-31", '"0001-01"', '"٢٠٢٠-١١"', '"2020-13"', "2020-02-29"]
REFERENCES = [
    '"a\\u0000.toml#x"',  # a NUL would reach the operating system
    '"../\\u0000/x.toml"',
    '"#leitmotiv\\n"',
    '"smart-city-charta@9999#leitbild-1"',
    '"\\u202e#x"',
    '"x.toml#' + "a" * 3000 + '"',
]
IDS = ['"m\\n"', '"Leitmotiv 1"', '"' + "a" * 5000 + '"', '"a\\u0000"']
TEXTS = ['"x\\r\\r\\ny"', '"\\u0000"', '"\\u001b[2J"', '"' + "Wort " * 2000 + '"']


def _candidates(key: str) -> list[str]:
    if key in ("date", "start", "end", "retrieved"):
        return DATES + ANYWHERE
    if key in ("ref", "source", "target"):
        return REFERENCES + ANYWHERE
    if key in ("id", "comment", "caused-by"):
        return IDS + ANYWHERE
    return TEXTS + ANYWHERE


EDITABLE = [n for n, line in enumerate(LINES) if _PAIR.match(line)]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for n in draw(st.lists(st.sampled_from(EDITABLE), min_size=1, max_size=3, unique=True)):
        m = _PAIR.match(lines[n])
        assert m is not None
        lines[n] = f"{m.group(1)} = {draw(st.sampled_from(_candidates(m.group(1))))}"
    return "\n".join(lines)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged())
def test_hostile_values_in_the_example_give_messages_never_tracebacks(text: str) -> None:
    report = charta.validate_text(text, str(EXAMPLE))  # never raises for bad input
    for problem in report.problems:
        assert str(problem)  # every problem can be shown, its line looked up
    if not report.ok:
        try:
            charta.loads(text, file=str(EXAMPLE))
        except ChartaError:
            return
        raise AssertionError("loads accepted what validate refused")
    town = charta.loads(text, file=str(EXAMPLE))
    # It reads: the canonical form is a fixed point, and the outputs work.
    again = toml.loads(toml.dumps(town))
    assert again == town
    assert toml.loads(toml.dumps(again)) == again
    public = charta.public_view(town)
    show_charta(public)
    against_sources(town, [charta.get_source("smart-city-charta")])


@settings(
    max_examples=max(1, settings.default.max_examples // 8),  # up to 3,000 items each
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.integers(900, 3000), st.booleans())
def test_long_chains_of_local_derivations(n: int, closed: bool) -> None:
    # Past the interpreter's recursion limit (1,000): graph walks must be iterative.
    head = 'format = 1\nid = "t"\ntitle = "T"\nkind = "local"\nstatus = "draft"\n'
    head += '\n[issuer]\nbody = "X"\n'
    parts = [head]
    for i in range(n):
        parts.append(f'\n[[items]]\nid = "a{i}"\ntitle = "A"\n')
        if i + 1 < n or closed:
            target = f"a{i + 1}" if i + 1 < n else "a0"
            parts.append(
                f'\n[[items.derived-from]]\nref = "#{target}"\nrelation = "adapted"\n'
                'confidence = "low"\nasserted-by = "record-keeper"\n'
            )
    report = charta.validate_text("".join(parts), "chain.toml")
    assert [p.code for p in report.problems] == (["derivation-cycle"] if closed else [])
