"""The diff as JSON for CI, and the JSON Schema of that document.

Written by the one JSON path (:mod:`charta.adapters.json`) from the records
below; the schema is generated from the same records (``charta schema --for
diff``; docs/diff.schema.json is a copy, a test keeps them equal).
"""

from __future__ import annotations

from typing import Any

import attrs

from charta.adapters import json as json_adapter
from charta.adapters.schema import SCHEMA_VERSION, schema_of
from charta.diff.classes import ChangeClass, Comparison
from charta.diff.model import Cause, Change, Coverage, Diff
from charta.diff.words import Op
from charta.errors import Level
from charta.model import Location

__all__ = ["JSON_SCHEMA_VERSION", "DiffRecord", "diff_json", "diff_record", "json_schema"]

JSON_SCHEMA_VERSION = SCHEMA_VERSION
"""The version of the document ``charta diff --format json`` prints (in its ``$schema``)."""


@attrs.frozen(kw_only=True)
class WordRecord:
    """A piece of a word difference."""

    op: Op
    text: str


@attrs.frozen(kw_only=True)
class CommentRecord:
    """The comment behind a change."""

    id: str
    by: str
    """The commenter's public name: a pseudonym unless they consented."""
    text: str


@attrs.frozen(kw_only=True)
class ResponseRecord:
    """The response behind a change."""

    id: str
    by: str
    decision: str
    text: str


@attrs.frozen(kw_only=True)
class CauseRecord:
    """Why a change was made: the revision's date and reason, and what caused it."""

    date: str | None
    reason: str | None
    comment: CommentRecord | None
    response: ResponseRecord | None

    @classmethod
    def of(cls, c: Cause) -> CauseRecord:
        return cls(
            date=str(c.date) if c.date else None,
            reason=c.reason or None,
            comment=CommentRecord(id=c.comment_id, by=c.comment_by, text=c.comment_text)
            if c.comment_id
            else None,
            response=ResponseRecord(
                id=c.response_id, by=c.response_by, decision=c.decision, text=c.response_text
            )
            if c.response_id
            else None,
        )


@attrs.frozen(kw_only=True)
class PlaceRecord:
    """Where a change stands in a file."""

    file: str | None
    line: int | None
    column: int | None
    key_path: str

    @classmethod
    def of(cls, loc: Location) -> PlaceRecord:
        return cls(file=loc.file, line=loc.line, column=loc.column, key_path=loc.key_path)


@attrs.frozen(kw_only=True)
class ChangeRecord:
    """One difference, with its class, level and what a reviewer needs."""

    class_: ChangeClass
    """The change class (``docs/diff.md`` lists them)."""
    level: Level
    fingerprint: str = attrs.field(metadata={"json_schema": {"pattern": "^[0-9a-f]{12}$"}})
    """Stable across runs: name it in an ``--ignore`` file once reviewed."""
    message: str
    item: str | None
    other: str | None
    source: str | None
    relation: str | None
    asserted: str | None = attrs.field(
        metadata={"json_schema": {"enum": ["stated", "inferred", None]}}
    )
    words: tuple[WordRecord, ...]
    note: str | None
    causes: tuple[CauseRecord, ...]
    locations: tuple[PlaceRecord, ...]

    @classmethod
    def of(cls, change: Change) -> ChangeRecord:
        return cls(
            class_=change.change_class,
            level=change.level,
            fingerprint=change.fingerprint,
            message=change.message,
            item=change.item or None,
            other=change.other or None,
            source=change.source or None,
            relation=change.relation or None,
            asserted=change.asserted or None,
            words=tuple(WordRecord(op=p.op, text=p.text) for p in change.words),
            note=change.note or None,
            causes=tuple(CauseRecord.of(c) for c in change.causes),
            locations=tuple(PlaceRecord.of(loc) for loc in change.locations),
        )


@attrs.frozen(kw_only=True)
class CoverageRecord:
    """How much of one source a local charta addresses, and what the figure rests on."""

    source: str
    known: int
    """Items of the source that are recorded (all levels)."""
    declared: int | None
    """Top-level items the source declares, where it is known only in part."""
    derived: int
    covered_elsewhere: int
    omitted: int
    not_addressed: int
    basis: str

    @classmethod
    def of(cls, c: Coverage) -> CoverageRecord:
        return cls(
            source=c.source,
            known=c.known,
            declared=c.declared,
            derived=c.derived,
            covered_elsewhere=c.covered_elsewhere,
            omitted=c.omitted,
            not_addressed=c.not_addressed,
            basis=c.basis,
        )


@attrs.frozen(kw_only=True)
class DiffRecord:
    """``charta diff --format json``: every difference, classified, with its level."""

    comparison: Comparison
    old: str
    new: str
    coverage: tuple[CoverageRecord, ...]
    notes: tuple[str, ...]
    changes: tuple[ChangeRecord, ...]


def diff_record(diff: Diff) -> DiffRecord:
    """The comparison as a document."""
    return DiffRecord(
        comparison=diff.comparison,
        old=diff.old,
        new=diff.new,
        coverage=tuple(CoverageRecord.of(c) for c in diff.coverage),
        notes=diff.notes,
        changes=tuple(ChangeRecord.of(c) for c in diff.changes),
    )


def diff_json(diff: Diff) -> str:
    """``charta diff --format json``: ASCII, every character beyond it escaped."""
    return json_adapter.dumps(diff_record(diff), "diff")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta diff --format json`` (``charta schema --for diff``)."""
    return schema_of(DiffRecord, kind="diff", title="charta diff")
