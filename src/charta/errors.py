"""Errors are data: each problem names the file, the place in it, its rule and what to do.

Every problem belongs to a :class:`Rule` with a stable code (``duplicate-item-id``)
and a default :class:`Level`.  The catalogue of rules is :mod:`charta.rules`; the
coming ``charta diff`` classifies changes with the same ordered levels.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

import attrs

from charta.model import Location, Value

__all__ = [
    "MAX_PER_RULE",
    "ChartaError",
    "Collector",
    "Level",
    "Problem",
    "Rule",
    "Stage",
    "ValidationError",
]


class Level(enum.Enum):
    """How much a problem (or a change) matters, ordered: ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


class Stage(enum.Enum):
    """When a rule is checked: each stage runs only when the ones before found no error."""

    READ = "read"
    """The bytes: the file exists, its size, its encoding."""
    SYNTAX = "syntax"
    """TOML syntax and nesting depth."""
    SHAPE = "shape"
    """Keys and types, the format version first."""
    MEANING = "meaning"
    """Ids, references, revision chains, the consultation."""
    OUTPUT = "output"
    """Writing a result."""


@attrs.frozen(repr=False)
class Rule(Value):
    """One rule: a stable code, a default level, the stage it belongs to, what it asks."""

    code: str
    """Kebab-case and stable: it names the rule in JSON output and configuration."""
    level: Level
    stage: Stage
    summary: str
    """What the rule asks of a file, in a few words."""

    def problem(self, message: str, location: Location | None = None) -> Problem:
        return Problem(message, location or Location(), self.level, self.code)


@attrs.frozen(repr=False)
class Problem(Value):
    """One thing wrong (or doubtful) in an input, and where."""

    message: str
    location: Location = attrs.field(factory=Location)
    level: Level = Level.ERROR
    code: str = "error"
    """The code of the rule that found it (see :mod:`charta.rules`)."""

    def __str__(self) -> str:
        loc = self.location
        tag = "" if self.level is Level.ERROR else f"{self.level.value}: "
        code = f" ({self.code})"
        if loc.file is None and not loc.keys and loc.line is None:
            return f"{tag}{self.message}{code}"  # nothing to point at: no "<string>:"
        where = str(loc)
        # With a line the key path still helps a reader find the spot; without
        # one, Location already printed it.
        path = f" [{loc.key_path}]" if loc.line is not None and loc.key_path else ""
        return f"{where}: {tag}{self.message}{path}{code}"

    def to_dict(self) -> dict[str, object]:
        """The problem as plain data (``charta validate --format json``)."""
        loc = self.location
        return {
            "code": self.code,
            "level": self.level.value,
            "message": self.message,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "key-path": loc.key_path,
        }


REQUEST_CODE = "bad-request"
"""The code of an error that names no rule: a command asked for what does not exist
(:data:`charta.rules.REQUEST`; the catalogue builds on this module, not the other way)."""


class ChartaError(Exception):
    """Base of every error charta raises for bad input or a bad request."""

    def __init__(
        self, message: str, *, location: Location | None = None, rule: Rule | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.rule = rule

    @property
    def problems(self) -> tuple[Problem, ...]:
        if self.rule is None:  # a bad request: the rule charta.rules.REQUEST
            return (Problem(self.message, self.location or Location(), Level.ERROR, REQUEST_CODE),)
        return (self.rule.problem(self.message, self.location),)

    def __str__(self) -> str:
        return str(self.problems[0]) if self.location else self.message


class ValidationError(ChartaError):
    """An input has one or more problems; all of them are listed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self._problems = tuple(problems)
        errors = [p for p in self._problems if p.level is Level.ERROR]
        first = errors[0] if errors else self._problems[0]
        super().__init__(first.message, location=first.location)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self._problems)


MAX_PER_RULE = 50
"""Problems reported per rule and file; the rest are counted in one line."""


class Collector:
    """Gathers problems, at most :data:`MAX_PER_RULE` per rule, and counts the rest.

    A file with 10,000 bad references gets 50 messages and "... and 9,950
    more": enough to act on, and reporting stays linear in the file's size.
    Messages and locations may be given as functions; past the cap they are
    never made.
    """

    def __init__(self, file: str | None = None, cap: int = MAX_PER_RULE) -> None:
        self.file = file
        self.cap = cap
        self._problems: list[Problem] = []
        self._counts: dict[str, int] = {}
        self._rules: dict[str, Rule] = {}

    def add(
        self,
        rule: Rule,
        message: str | Callable[[], str],
        location: Location | Callable[[], Location] | None = None,
    ) -> None:
        n = self._counts[rule.code] = self._counts.get(rule.code, 0) + 1
        self._rules[rule.code] = rule
        if n > self.cap:
            return
        text = message() if callable(message) else message
        where = location() if callable(location) else location
        self._problems.append(rule.problem(text, where or Location(file=self.file)))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.level is Level.ERROR for p in self._problems)

    def problems(self) -> tuple[Problem, ...]:
        """Every problem kept, in file order, then one line per rule that was cut short."""
        kept = sorted(
            self._problems,
            key=lambda p: (p.location.line or 0, p.location.column or 0, p.location.key_path),
        )
        for code, n in self._counts.items():
            if n > self.cap:
                more = n - self.cap
                kept.append(
                    self._rules[code].problem(
                        f"... and {more:,} more problem{'s' if more != 1 else ''} of this kind "
                        f"(only the first {self.cap} are shown); fix these and check again",
                        Location(file=self.file),
                    )
                )
        return tuple(kept)
