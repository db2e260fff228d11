"""TOML text to Python data: tomllib, or a compiled parser when it is installed.

tomllib is the parser of record: its messages are the ones charta explains,
and every file it refuses is refused.  It is also pure Python, and takes
about 1.3 s for a 5 MiB file.  With the extra ``charta[fast]`` installed,
:func:`loads` first asks toml-rs (a TOML parser compiled from Rust, about
ten times faster) held to TOML 1.0, the version tomllib reads:

- toml-rs gives the same data as tomllib for every document both accept;
  a differential property test holds the two together
  (``tests/test_toml_syntax.py``).
- Whatever toml-rs refuses goes to tomllib, so messages, hints and line
  numbers stay tomllib's, and a document that only tomllib accepts is
  still read.
- toml-rs reads integers of any length; tomllib's int() refuses more than
  4,300 digits with ValueError (hex, octal and binary ones it reads).  This
  is the one difference :func:`loads` lets through: looking for such a run
  in the text cost more than parsing.  The model reads no integer beyond 64
  bits, so such data never passes the fast structure; the slow path, which
  walks the data anyway, finds the integer and parses the text again with
  tomllib, whose verdict then stands.
- toml-rs recurses into nested arrays and inline tables on the C stack
  and crashes the process (not an exception) a few thousand levels down.
  :func:`nesting` bounds that depth from the text first; a document that
  may nest deeper than :data:`FAST_DEPTH` goes to tomllib, which raises
  RecursionError, reported as "nested too deep".
"""

from __future__ import annotations

import re
import tomllib
from itertools import accumulate
from typing import Any

__all__ = ["FAST_DEPTH", "loads", "nesting", "parser"]

FAST_DEPTH = 200
"""Deepest bracket nesting given to the compiled parser.  A charta is
refused beyond 40 levels anyway; toml-rs 0.4 crashed at about 5,000."""

# Strings and comments, whose brackets are text, not structure.  Each
# pattern is linear: the loops are possessive or cannot overlap, so an
# unterminated string fails after one pass instead of backtracking.
# Multi-line strings may end in up to two quotes of content ("""a"""").
_NOT_STRUCTURE = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"{3,5}'
    r"|'''(?:[^']++|'(?!''))*+'{3,5}"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+",
    re.S,
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}

_PARSER: list[Any] = []


def nesting(text: str) -> int:
    """An upper bound on how deep arrays and inline tables nest in ``text``.

    Brackets inside strings and comments are left out; for text that is
    not valid TOML the count may be too high, never too low before the
    first syntax error (which is where a parser stops).
    """
    brackets = _NOT_BRACKET.sub("", _NOT_STRUCTURE.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def parser() -> str:
    """The name of the parser that :func:`loads` tries first."""
    return "toml-rs" if _compiled() is not None else "tomllib"


def _compiled() -> Any:
    if not _PARSER:
        try:
            # lazy: an optional extra (charta[fast]); looked for once, on the first read
            import toml_rs
        except ImportError:
            _PARSER.append(None)
        else:
            _PARSER.append(toml_rs)
    return _PARSER[0]


def loads(text: str) -> dict[str, Any]:
    """``text`` parsed as TOML 1.0; raises what :func:`tomllib.loads` raises, except
    for integers of more than 4,300 digits, which toml-rs returns (see above)."""
    fast = _compiled()
    if fast is not None and nesting(text) <= FAST_DEPTH:
        try:
            return fast.loads(text, toml_version="1.0.0")  # type: ignore[no-any-return]
        except Exception:
            pass
    return tomllib.loads(text)
