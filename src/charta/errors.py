"""Errors are data: each problem names the file, the place in it and what to do."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from charta.model import Location, Value

__all__ = ["ChartaError", "Problem", "Severity", "ValidationError"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(repr=False)
class Problem(Value):
    """One thing wrong (or doubtful) in an input, and where."""

    message: str
    location: Location = attrs.field(factory=Location)
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        loc = self.location
        tag = "warning: " if self.severity is Severity.WARNING else ""
        if loc.file is None and not loc.keys and loc.line is None:
            return f"{tag}{self.message}"  # nothing to point at: no "<string>:"
        where = str(loc)
        # With a line the key path still helps a reader find the spot; without
        # one, Location already printed it.
        path = f" [{loc.key_path}]" if loc.line is not None and loc.key_path else ""
        return f"{where}: {tag}{self.message}{path}"


class ChartaError(Exception):
    """Base of every error charta raises for bad input or a bad request."""

    def __init__(self, message: str, *, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    @property
    def problems(self) -> tuple[Problem, ...]:
        return (Problem(self.message, self.location or Location()),)

    def __str__(self) -> str:
        return str(self.problems[0]) if self.location else self.message


class ValidationError(ChartaError):
    """An input has one or more problems; all of them are listed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self._problems = tuple(problems)
        errors = [p for p in self._problems if p.severity is Severity.ERROR]
        first = errors[0] if errors else self._problems[0]
        super().__init__(first.message, location=first.location)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self._problems)
