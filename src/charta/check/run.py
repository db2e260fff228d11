"""What ``charta validate`` and ``charta sources`` do: check files, list the sources.

Both return typed results; the command only prints them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs

from charta.check.checker import Report
from charta.check.loading import get_source, validate
from charta.errors import ChartaError, Level, Problem
from charta.model import Charta
from charta.references import Resolver
from charta.sources.registry import default_registry

__all__ = ["SourceListing", "Validation", "installed_sources", "validate_files"]


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
