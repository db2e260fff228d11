"""What ``charta validate`` and ``charta sources`` do: check files, list the sources.

Both return typed results; the command only prints them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import attrs

from charta.adapters import json as json_adapter
from charta.adapters.schema import schema_of
from charta.check.checker import Report
from charta.check.loading import get_source, validate
from charta.errors import ChartaError, Level, Problem
from charta.model import Charta
from charta.references import Resolver
from charta.rules import Catalogue, catalogue
from charta.sources.registry import default_registry

__all__ = [
    "FileRecord",
    "ProblemRecord",
    "SourceListing",
    "Validation",
    "ValidationRecord",
    "installed_sources",
    "rules_json",
    "rules_schema",
    "validate_files",
    "validation_schema",
]


@attrs.frozen(kw_only=True)
class Validation:
    """What validating some files found, judged against ``fail_on``."""

    fail_on: Level
    """A problem at this level or above makes its file fail."""
    reports: tuple[Report, ...]
    """One report per file, in the order they were given."""

    def failed(self, report: Report) -> bool:
        """Whether ``report`` has a problem at or above :attr:`fail_on`."""
        return bool(report.at_least(self.fail_on))

    @property
    def ok(self) -> bool:
        """No file failed."""
        return not any(self.failed(r) for r in self.reports)

    def record(self) -> ValidationRecord:
        """The result as a document: ``charta validate --format json``."""
        return ValidationRecord(
            fail_on=self.fail_on,
            ok=self.ok,
            files=tuple(
                FileRecord(
                    file=r.file,
                    ok=not self.failed(r),
                    items=r.charta.known_count if r.charta is not None else None,
                    problems=tuple(ProblemRecord.of(p) for p in r.problems),
                )
                for r in self.reports
            ),
        )

    def json(self) -> str:
        """``charta validate --format json``: the record as JSON, with its schema's id."""
        return json_adapter.dumps(self.record(), "validate")


@attrs.frozen(kw_only=True)
class ProblemRecord:
    """One problem, as data."""

    code: str
    """The rule that found it (``charta rules`` lists them)."""
    level: Level
    message: str
    file: str | None
    line: int | None
    """1-based; ``null`` when the place is known only by its key path."""
    column: int | None
    key_path: str
    """Where in the document: ``items[2].derived-from[0].ref``."""

    @classmethod
    def of(cls, problem: Problem) -> ProblemRecord:
        loc = problem.location
        return cls(
            code=problem.code,
            level=problem.level,
            message=problem.message,
            file=loc.file,
            line=loc.line,
            column=loc.column,
            key_path=loc.key_path,
        )


@attrs.frozen(kw_only=True)
class FileRecord:
    """What validating one file found."""

    file: str | None
    ok: bool
    """No problem at or above the level asked to fail on."""
    items: int | None
    """How many items the charta has; ``null`` when it could not be read."""
    problems: tuple[ProblemRecord, ...]


@attrs.frozen(kw_only=True)
class ValidationRecord:
    """``charta validate --format json``: every problem of every file."""

    fail_on: Level
    """The level at which a problem makes its file fail."""
    ok: bool
    """No file failed."""
    files: tuple[FileRecord, ...]


def validation_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta validate --format json``."""
    return schema_of(ValidationRecord, kind="validate", title="charta validate")


def validate_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    fail_on: Level = Level.ERROR,
    resolver: Resolver | None = None,
) -> Validation:
    """Check each file (syntax, shape, meaning): ``charta validate PATH...``.

    Never raises for bad input: every problem is in the file's report.
    """
    return Validation(fail_on=fail_on, reports=tuple(validate(path, resolver) for path in paths))


@attrs.frozen(kw_only=True)
class SourceListing:
    """The installed source chartas: ``charta sources``."""

    sources: tuple[Charta, ...]
    """Every source that passed its checks, in the order of their ids."""
    broken: tuple[tuple[str, Problem], ...] = ()
    """A source that cannot be used, with its first problem: one broken plug-in
    does not hide the others."""
    conflicts: tuple[str, ...] = ()
    """Two packages that register the same id: which one is used, and why."""


def installed_sources() -> SourceListing:
    """Every installed source charta, checked; the broken ones and id conflicts named."""
    registry = default_registry()
    found: list[Charta] = []
    broken: list[tuple[str, Problem]] = []
    for source_id in registry.ids():
        try:
            found.append(get_source(source_id))
        except ChartaError as exc:
            broken.append((source_id, exc.problems[0]))
    return SourceListing(
        sources=tuple(found), broken=tuple(broken), conflicts=tuple(registry.conflicts)
    )


def rules_json() -> str:
    """``charta rules --format json``: every rule, with its schema's id."""
    return json_adapter.dumps(catalogue(), "rules")


def rules_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta rules --format json``."""
    return schema_of(Catalogue, kind="rules", title="charta rules")
