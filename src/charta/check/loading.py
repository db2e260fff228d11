"""Read, check and write chartas: the functions behind ``charta.load`` and friends.

This module also holds the policy that sits above the registry and the
checker: a registered source is used only after it passed the meaning
checks (:class:`Sources`).  The registry itself only finds and loads, and
the checker only needs a :class:`~charta.references.Resolver`; so neither
imports the other, and checking a source that refers to another source
never depends on which of the two was asked for first.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import attrs

from charta import rules
from charta.adapters import toml
from charta.adapters.files import journal_path
from charta.adapters.toml.personal import read_personal, with_personal
from charta.check.checker import Report, check
from charta.check.context import items_with_paths
from charta.errors import ChartaError, Level, Problem, ValidationError
from charta.model import Charta, Commenter, KeyPath, Location, is_path, key_of
from charta.personal import check_personal, join, personal_path
from charta.references import Resolver
from charta.runtime import paused_gc
from charta.sources.registry import Registry, default_registry

__all__ = [
    "Sources",
    "default_sources",
    "dumps",
    "get_source",
    "load",
    "loads",
    "open_charta",
    "source_ids",
    "validate",
    "validate_text",
]


class Sources:
    """A :class:`~charta.references.Resolver` that hands out sources only once they are sound.

    Registered sources pass the meaning checks before a reference may use
    them; each is checked once.  Their own references are followed through
    the plain registry (read, not checked again), so two sources that refer
    to each other are judged the same whichever is asked for first.  Files
    named by a reference are read and shape-checked; ``deep=True`` checks
    their meaning too (for a file a person asked for by name).
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._verdicts: dict[str, ValidationError | None] = {}

    def resolve(
        self, name: str, base: str | os.PathLike[str] | None = None, *, deep: bool = False
    ) -> Charta:
        charta = self.registry.resolve(name, base)
        if not is_path(name) or deep:
            key = name if not is_path(name) else f"file:{os.fspath(base or '')}:{name}"
            if key not in self._verdicts or is_path(name):  # files may change: check again
                # A source's own references go through the plain registry; a
                # file a person named is checked as `charta validate` would.
                via: Resolver = self if is_path(name) else self.registry
                errors = [p for p in check(charta, via) if p.level is Level.ERROR]
                self._verdicts[key] = ValidationError(errors) if errors else None
            verdict = self._verdicts[key]
            if verdict is not None:
                raise verdict
        return charta


@functools.cache
def default_sources() -> Sources:
    """The sources policy over the registry of installed sources."""
    return Sources(default_registry())


def _resolver(resolver: Resolver | None) -> Resolver:
    return resolver if resolver is not None else default_sources()


def validate(path: str | os.PathLike[str], resolver: Resolver | None = None) -> Report:
    """Check a charta file and return every problem found; never raises for bad input."""
    with paused_gc():  # the whole model stays alive: see charta.runtime
        return _validate(path, resolver)


def _validate(path: str | os.PathLike[str], resolver: Resolver | None) -> Report:
    name = os.fspath(path)
    try:
        parsed = toml.read(path)
    except ChartaError as exc:
        return Report(name, exc.problems)
    people, broken = _people(name, parsed.charta)
    problems = check(parsed.charta, _resolver(resolver), people=people)
    return Report(name, (*parsed.warnings, *problems, *broken), parsed.charta)


def validate_text(text: str, file: str | None = None, resolver: Resolver | None = None) -> Report:
    """Check charta TOML given as text (references to paths resolve from the current directory)."""
    with paused_gc():
        return _validate_text(text, file, resolver)


def _validate_text(text: str, file: str | None, resolver: Resolver | None) -> Report:
    try:
        parsed = toml.parse(text, file)
    except ChartaError as exc:
        return Report(file, exc.problems)
    people, broken = _people(file, parsed.charta)
    problems = check(parsed.charta, _resolver(resolver), people=people)
    return Report(file, (*problems, *broken), parsed.charta)


def _people(file: str | None, charta: Charta) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """The commenters of the personal-data file beside ``file``, by comment id, and
    the problems of that file (a broken one is reported, not skipped)."""
    if not file:
        return {}, ()
    torn = _interrupted(file)
    path = personal_path(file)
    try:
        data = read_personal(path)
    except ChartaError as exc:
        return {}, (*torn, *exc.problems)
    if data is None:
        return {}, torn
    found = [*torn, *check_personal(data, charta, str(path))]
    found += _names_in_texts(charta, data)
    return data.by_comment(), tuple(found)


def _interrupted(file: str) -> tuple[Problem, ...]:
    """An interrupted write of the charta and its personal-data file (its journal)."""
    journal = journal_path(file)
    if not journal.exists():
        return ()
    return (
        rules.TORN_PAIR.problem(
            f"a write of this charta and its personal-data file was interrupted, or is under "
            f"way ({journal.name} is beside it): the two may not match; the next charta "
            "command that writes the charta completes it (run the interrupted command again)",
            Location(file=file),
        ),
    )


def _names_in_texts(charta: Charta, data: Any) -> list[Problem]:
    """Texts of the charta file that name a commenter who did not consent, or give
    an address: where the public view has to change them, the file holds personal data."""
    # lazy: the name matcher is needed only beside a personal-data file (start-up)
    from charta.privacy import NameFinder, public_view

    where = charta.location
    found: list[Problem] = []

    def warn(path: KeyPath) -> None:
        found.append(
            rules.PERSONAL_DATA_IN_CHARTA.problem(
                "this text names a commenter who did not consent to publication, or gives "
                "an address: leave it out of the charta file (public outputs hide it, "
                "but the file itself is published)",
                Location(
                    keys=path,
                    file=where.file if where else None,
                    index=where.index if where else None,
                ),
            )
        )

    # A principle's wording: a surname as written ("wie Frau Quast forderte"), which
    # the public view leaves (it replaces only whole names there, so that "Neu" stays).
    named = NameFinder(data.people, exact=True)
    for item, path in items_with_paths(charta):
        for key in ("title", "text", "summary"):
            value = getattr(item, key)
            if value and named((value,)):
                warn((*path, key))
    joined = join(charta, data)
    public = public_view(joined)
    if public is joined:
        return found
    seen = {p.location.keys for p in found}
    # Walked with an explicit stack: a deep charta must not exhaust Python's.
    stack: list[tuple[Any, Any, KeyPath]] = [(joined, public, ())]
    while stack:
        a, b, path = stack.pop()
        if a is b or isinstance(a, Commenter):
            continue  # the commenter's own fields are the personal data, joined in
        if isinstance(a, tuple):
            stack += [(x, y, (*path, n)) for n, (x, y) in enumerate(zip(a, b, strict=False))]
        elif attrs.has(type(a)):
            for field in attrs.fields(type(a)):
                if field.name != "location":
                    key = key_of(field.name)
                    stack.append((getattr(a, field.name), getattr(b, field.name), (*path, key)))
        elif isinstance(a, str) and a != b and path not in seen:
            warn(path)
    found.sort(key=lambda p: p.location.line or 0)
    if len(found) > 50:
        more = len(found) - 50
        found = found[:50]
        found.append(
            rules.PERSONAL_DATA_IN_CHARTA.problem(
                f"... and {more:,} more texts that name a commenter",
                Location(file=where.file if where else None),
            )
        )
    return found


def load(
    path: str | os.PathLike[str], *, check: bool = True, resolver: Resolver | None = None
) -> Charta:
    """Read a charta file.

    With ``check`` (the default) the meaning is checked too: references
    resolve, ids are unique, the revision history connects.  Raises
    :class:`~charta.errors.ChartaError` (a :class:`~charta.errors.ValidationError`
    listing every problem) for bad input.
    """
    if not check:
        return toml.load(path)
    return _raise_on_errors(validate(path, resolver))


def loads(
    text: str,
    *,
    file: str | os.PathLike[str] | None = None,
    check: bool = True,
    resolver: Resolver | None = None,
) -> Charta:
    """Read a charta from TOML text; ``file`` names it in messages and anchors relative paths."""
    name = os.fspath(file) if file is not None else None
    if not check:
        return toml.loads(text, file=name)
    return _raise_on_errors(validate_text(text, name, resolver))


def _raise_on_errors(report: Report) -> Charta:
    if report.errors or report.charta is None:
        raise ValidationError(report.problems)
    return report.charta


def open_charta(name: str, *, personal: bool = False) -> Charta:
    """A charta a person named: a source id (see ``charta sources``) or a file path, checked.

    With ``personal``, a file's commenters are joined with the personal-data
    file beside it (:mod:`charta.personal`), if there is one: what outputs do,
    so that the public view knows which names to keep out of every text.
    """
    charta = default_sources().resolve(name, deep=True)
    if personal and is_path(name):
        charta = with_personal(charta, name)
    return charta


def dumps(charta: Charta) -> str:
    """The canonical TOML of a charta: ``loads(dumps(c)) == c``."""
    return toml.dumps(charta)


def get_source(source_id: str) -> Charta:
    """A built-in or installed source charta by id, e.g. ``get_source("smart-city-charta")``."""
    return default_sources().resolve(source_id)


def source_ids() -> list[str]:
    """The ids of all installed source chartas."""
    return default_registry().ids()
