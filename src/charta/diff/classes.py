"""The change classes of ``charta diff``: one table, one row per class.

Each member of :class:`ChangeClass` is a row: its code (the member's value),
its default level, the comparison that reports it, and what it means.  Every
other view is drawn from that table: the levels a change starts with, the
table in docs/diff.md (:func:`classes_markdown`, a test keeps it in step),
the enum of classes in the JSON Schema, the classes a levels file may name.
A new class is one new row.
"""

from __future__ import annotations

import enum
from typing import Literal

from charta.errors import Level

__all__ = ["COMPARISONS", "ChangeClass", "Comparison", "classes_markdown"]

Comparison = Literal["sources", "versions", "towns", "upstream"]
"""What a diff compares: a charta with its sources, two versions, two towns, two editions."""

INFO, WARNING, ERROR = Level.INFO, Level.WARNING, Level.ERROR


@enum.unique  # two rows with one code would silently make one an alias of the other
class ChangeClass(enum.Enum):
    """What kind of difference a change is (a closed vocabulary, like oasdiff's checks)."""

    _value_: str
    default_level: Level
    """The level of a change of this class unless a levels file says otherwise."""
    comparison: Comparison
    """The comparison that reports this class."""
    meaning: str
    """What the class means, for people (docs/diff.md); one line, no ``|``."""

    def __new__(
        cls, code: str, default_level: Level, comparison: Comparison, meaning: str
    ) -> ChangeClass:
        row = object.__new__(cls)
        row._value_ = code
        row.default_level = default_level
        row.comparison = comparison
        row.meaning = meaning
        return row

    # fmt: off
    # code, default level, comparison, meaning
    DERIVED = (
        "derived", INFO, "sources",
        "a source item is taken by one or more principles",
    )
    COVERED_ELSEWHERE = (
        "covered-elsewhere", INFO, "sources",
        "a source item is handled in another part of the strategy",
    )
    OMITTED = (
        "omitted", INFO, "sources",
        "a source item is left out on purpose, with a reason",
    )
    NOT_ADDRESSED = (
        "not-addressed", WARNING, "sources",
        "a source item is neither taken, covered elsewhere nor omitted",
    )
    LOCAL_ADDITION = (
        "local-addition", INFO, "sources",
        "a principle derives from no source item",
    )
    ADDED = (
        "added", INFO, "versions",
        "a principle is new in the newer version",
    )
    REMOVED = (
        "removed", WARNING, "versions",
        "a principle of the older version is gone",
    )
    RETITLED = (
        "retitled", INFO, "versions",
        "a principle's title changed",
    )
    RENUMBERED = (
        "renumbered", INFO, "versions",
        "a principle's label (number) changed",
    )
    REWORDED = (
        "reworded", INFO, "versions",
        "a principle's text or summary changed (with the word difference)",
    )
    MOVED = (
        "moved", INFO, "versions",
        "a principle moved to another parent or place in its list",
    )
    MERGED = (
        "merged", WARNING, "versions",
        "several principles became one (recognised by their source links)",
    )
    SPLIT = (
        "split", WARNING, "versions",
        "one principle became several (recognised by their source links)",
    )
    LINK_ADDED = (
        "link-added", INFO, "versions",
        "a principle links to a source item it did not link to",
    )
    LINK_REMOVED = (
        "link-removed", WARNING, "versions",
        "a principle no longer links to a source item",
    )
    LINK_CHANGED = (
        "link-changed", INFO, "versions",
        "a link's relation, confidence or who asserts it changed",
    )
    DISPOSITION_CHANGED = (
        "disposition-changed", INFO, "versions",
        "a source item is newly (or no longer) omitted or covered elsewhere, "
        "or its reason or place changed",
    )
    FACTS_CHANGED = (
        "facts-changed", INFO, "versions",
        "the charta's own facts changed: title, status, adoption, bases, issuer, lineage, "
        "the document it is part of",
    )
    SHARED_SOURCE = (
        "shared-source", INFO, "towns",
        "both chartas take a source item (with their text difference)",
    )
    ONLY_LEFT = (
        "only-left", INFO, "towns",
        "only the first charta takes a source item",
    )
    ONLY_RIGHT = (
        "only-right", INFO, "towns",
        "only the second charta takes a source item",
    )
    NEITHER = (
        "neither", INFO, "towns",
        "neither charta takes an item of a source both name in based-on",
    )
    SOURCE_CHANGED = (
        "source-changed", WARNING, "upstream",
        "a principle derives from a source item that changed: review it",
    )
    SOURCE_REMOVED = (
        "source-removed", ERROR, "upstream",
        "a principle derives from a source item the new edition lacks",
    )
    SOURCE_ADDED = (
        "source-added", INFO, "upstream",
        "the new edition of a source has a new item",
    )
    # fmt: on


COMPARISONS: tuple[Comparison, ...] = tuple(dict.fromkeys(c.comparison for c in ChangeClass))
"""The comparisons, in the order of the table."""


def classes_markdown() -> str:
    """The table of classes and default levels in docs/diff.md (a test keeps it in step)."""
    rows = ["| class | default level | meaning |", "|---|---|---|"]
    rows += [f"| `{c.value}` | {c.default_level.value} | {c.meaning} |" for c in ChangeClass]
    return "\n".join(rows) + "\n"
