"""Semantic differences of chartas: what changed, and against what.

>>> from charta.diff import against_sources, diff_text
>>> print(diff_text(against_sources(town, [source])))   # doctest: +SKIP

Four comparisons (:mod:`charta.diff.compare`) return one :class:`Diff` of
classified :class:`Change` records (:mod:`charta.diff.model`): a charta against
its sources, two versions of one charta (or an earlier state of one file,
:mod:`charta.diff.history`), two towns, two editions of a source.  Every change
has a class from one table (:mod:`charta.diff.classes`) and a level; texts are
compared word by word (:mod:`charta.diff.words`).  The writers turn a diff into
text for a terminal, Markdown or JSON (:mod:`charta.diff.text`,
:mod:`charta.diff.markdown`, :mod:`charta.diff.json`).

The ``charta diff`` command calls :func:`run_diff` (:mod:`charta.diff.run`:
read the files, choose the comparison, apply a levels and an ignore file) and
prints its result with one of the writers.

Every name below is imported on first use (PEP 562): the page renderers import
:mod:`charta.diff.words` and :mod:`charta.diff.compare` without paying for the
reader and the writers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from charta.diff.classes import COMPARISONS, ChangeClass, Comparison, classes_markdown
    from charta.diff.compare import against_sources, between_towns, between_versions, upstream
    from charta.diff.history import as_of, before_consultation
    from charta.diff.json import JSON_SCHEMA_VERSION, diff_json, json_schema
    from charta.diff.markdown import diff_markdown
    from charta.diff.model import Cause, Change, Coverage, Diff, with_levels
    from charta.diff.run import read_ignore, read_levels, run_diff
    from charta.diff.text import diff_text, words_text
    from charta.diff.words import Op, Piece, diff_words

_WHERE: dict[str, str] = {
    **dict.fromkeys(
        ["COMPARISONS", "ChangeClass", "Comparison", "classes_markdown"], "charta.diff.classes"
    ),
    **dict.fromkeys(
        ["against_sources", "between_towns", "between_versions", "upstream"],
        "charta.diff.compare",
    ),
    **dict.fromkeys(["as_of", "before_consultation"], "charta.diff.history"),
    **dict.fromkeys(["JSON_SCHEMA_VERSION", "diff_json", "json_schema"], "charta.diff.json"),
    "diff_markdown": "charta.diff.markdown",
    **dict.fromkeys(["Cause", "Change", "Coverage", "Diff", "with_levels"], "charta.diff.model"),
    **dict.fromkeys(["read_ignore", "read_levels", "run_diff"], "charta.diff.run"),
    **dict.fromkeys(["diff_text", "words_text"], "charta.diff.text"),
    **dict.fromkeys(["Op", "Piece", "diff_words"], "charta.diff.words"),
}

__all__ = [
    "COMPARISONS",
    "JSON_SCHEMA_VERSION",
    "Cause",
    "Change",
    "ChangeClass",
    "Comparison",
    "Coverage",
    "Diff",
    "Op",
    "Piece",
    "against_sources",
    "as_of",
    "before_consultation",
    "between_towns",
    "between_versions",
    "classes_markdown",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "diff_words",
    "json_schema",
    "read_ignore",
    "read_levels",
    "run_diff",
    "upstream",
    "with_levels",
    "words_text",
]
# A test checks that __all__ and _WHERE name the same things.


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'charta.diff' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)  # lazy: see the module docstring
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
