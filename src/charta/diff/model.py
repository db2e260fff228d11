"""The result of a comparison: typed, frozen records; nothing printed.

A :class:`Diff` holds :class:`Change` records, each with a class from
:mod:`charta.diff.classes`, a level (the ordered levels of ``charta
validate``), the ids it concerns, where they stand, the :class:`Cause` behind
it where the newer file records one, and a stable fingerprint for ignore
files; a comparison with sources adds a :class:`Coverage` per source.
:func:`with_levels` sets levels per class and leaves reviewed changes out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import attrs

from charta.diff.classes import ChangeClass, Comparison
from charta.diff.words import Piece
from charta.errors import Level
from charta.model import Location, PartialDate, Value

__all__ = ["Cause", "Change", "Coverage", "Diff", "with_levels"]


@attrs.frozen(kw_only=True, repr=False)
class Cause(Value):
    """Why a principle changed: a revision, and the comment and response behind it.

    Built from the public view: a commenter appears by pseudonym unless they
    consented.
    """

    date: PartialDate | None = None
    reason: str = ""
    comment_id: str = ""
    comment_by: str = ""
    comment_text: str = ""
    response_id: str = ""
    response_by: str = ""
    response_text: str = ""
    decision: str = ""


@attrs.frozen(kw_only=True, repr=False)
class Change(Value):
    """One difference, classified."""

    change_class: ChangeClass
    level: Level
    message: str
    """One sentence for a person."""
    item: str = ""
    """The principle concerned (in the newer or first charta), if any."""
    other: str = ""
    """The other principle: the older id, or the principle in the second charta."""
    source: str = ""
    """The source item concerned, as a reference (``smart-city-charta#leitbild-5``)."""
    relation: str = ""
    asserted: str = ""
    """``stated`` (by the issuer), ``inferred`` (the record-keeper's reading) or ``""``."""
    words: tuple[Piece, ...] = ()
    """The word-level difference, where texts were compared."""
    note: str = ""
    causes: tuple[Cause, ...] = ()
    locations: tuple[Location, ...] = ()
    """Where the ids stand in the files (older first)."""
    identical: bool = False
    """Compared and found the same (a verbatim adoption): listed, but no difference."""

    @property
    def fingerprint(self) -> str:
        """A short hash of class, ids and wording: stable while the change stays the same."""
        words = "".join(f"{p.op.value}:{p.text}|" for p in self.words)
        # The message names what exactly changed (labels, reasons, the town): a
        # reviewed "renumbered 2 -> 7" must not also silence "2 -> 9".
        key = "\0".join(
            (
                self.change_class.value,
                self.item,
                self.other,
                self.source,
                self.relation,
                self.message,
                words,
            )
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@attrs.frozen(kw_only=True, repr=False)
class Coverage(Value):
    """How much of one source a local charta addresses, and what the figure rests on."""

    source: str
    title: str
    known: int
    """Items of the source that are recorded (all levels)."""
    declared: int | None
    """Top-level items the source declares, where it is known only in part."""
    derived: int
    covered_elsewhere: int
    omitted: int
    not_addressed: int

    @property
    def addressed(self) -> int:
        return self.derived + self.covered_elsewhere + self.omitted

    @property
    def basis(self) -> str:
        """What the figure rests on: ``of the 24 known items``, or ``... (10 declared)``."""
        text = f"of the {self.known} known items"
        if self.declared is not None:
            text += f" (the source declares {self.declared} top-level items)"
        return text


@attrs.frozen(kw_only=True, repr=False)
class Diff(Value):
    """The result of one comparison."""

    comparison: Comparison
    """``sources``, ``versions``, ``towns`` or ``upstream``."""
    old: str
    """What was compared, for people: a file name or a source id (the first)."""
    new: str
    changes: tuple[Change, ...]
    coverage: tuple[Coverage, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def differences(self) -> tuple[Change, ...]:
        """The changes that are differences: all but verbatim adoptions found identical."""
        return tuple(c for c in self.changes if not c.identical)

    def at_least(self, level: Level) -> tuple[Change, ...]:
        return tuple(c for c in self.differences if c.level >= level)


def with_levels(
    diff: Diff,
    levels: Mapping[str, Level | None] | None = None,
    ignore: Iterable[str] = (),
) -> Diff:
    """``diff`` with levels set per class (``None`` drops a class), reviewed changes left out."""
    ignored = set(ignore)
    out: list[Change] = []
    for change in diff.changes:
        if change.fingerprint in ignored:
            continue
        if levels and change.change_class.value in levels:
            level = levels[change.change_class.value]
            if level is None:
                continue
            out.append(attrs.evolve(change, level=level))
        else:
            out.append(change)
    return attrs.evolve(diff, changes=tuple(out))
