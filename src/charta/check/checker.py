"""Meaning checks across a loaded charta and the chartas it refers to.

Shape (keys, types) is checked when a file is read; the checks here are
what only makes sense across the whole: ids are unique, references
resolve, the revision history connects to the current text, the
consultation hangs together, derivations do not go round in a circle.

Each rule group is a module with a table (``GROUP``) of small checks, each
tied to the rule codes it reports; this driver builds one
:class:`~charta.check.context.Context` (the charta walked and indexed once)
and runs the groups over it in a fixed order.  Every check reports to one
:class:`~charta.errors.Collector`; none stops at the first problem.

The checks need a :class:`~charta.references.Resolver` to follow
references, nothing more: they do not know where sources come from.  Key
paths are computed by walking the charta, so a charta built in Python is
reported as precisely as one read from a file (lines need the file).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from charta import hints
from charta.check import consultation, cycles, fields, history, ids, links, record
from charta.check.context import Check, Context
from charta.check.fields import LANGUAGE_TAG
from charta.errors import Level, Problem
from charta.model import Charta, Value
from charta.references import Resolver

__all__ = ["CHECKS", "LANGUAGE_TAG", "Report", "check"]

CHECKS: tuple[Check, ...] = (
    *ids.GROUP,
    *fields.GROUP,
    *record.GROUP,
    *links.GROUP,
    *history.GROUP,
    *consultation.GROUP,
    *cycles.GROUP,
)
"""Every meaning check, in the order they run.  (The format version is
checked when the file is read, before its shape.)"""


@attrs.frozen(repr=False)
class Report(Value):
    """What validating one input found."""

    file: str | None
    problems: tuple[Problem, ...]
    charta: Charta | None = None
    """The charta, when it could be read (even with meaning problems)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def at_least(self, level: Level) -> tuple[Problem, ...]:
        """The problems at ``level`` or above."""
        return tuple(p for p in self.problems if p.level >= level)


def check(
    charta: Charta, resolver: Resolver, *, people: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Every meaning problem of ``charta``, in document order.

    ``resolver`` finds the chartas that references name (a
    :class:`~charta.sources.registry.Registry` does); ``people`` are the commenters of
    the personal-data file by comment id (:class:`charta.personal.Person`), so
    that a response naming one of them is found.  Never raises for bad input.
    """
    ctx = Context(charta, resolver, people)
    with hints.budget():
        for entry in CHECKS:
            ctx.run(entry)
    return list(ctx.found.problems())
