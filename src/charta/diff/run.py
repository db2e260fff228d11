"""What ``charta diff`` does with its arguments: read, choose the comparison, apply levels.

The comparisons themselves are pure (:mod:`charta.diff.compare`,
:mod:`charta.diff.history`); this module reads the files they need and the two
small configuration files:

- a **levels file**: one ``CLASS LEVEL`` per line (``not-addressed error``,
  ``moved none``); ``none`` drops the class; ``#`` starts a comment;
- an **ignore file**: one fingerprint per line (the 12 hex digits that every
  change shows), optionally followed by ``#`` and a note: reviewed changes that
  must no longer fail CI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import attrs

from charta import rules
from charta.adapters.toml import read_text
from charta.adapters.toml.personal import read_personal
from charta.check.loading import default_sources, open_charta, validate_text
from charta.diff.classes import ChangeClass
from charta.diff.compare import against_sources, between_towns, between_versions, upstream
from charta.diff.history import as_of, before_consultation
from charta.diff.model import Diff, with_levels
from charta.errors import ChartaError, Level, ValidationError
from charta.hints import did_you_mean
from charta.model import Charta, ChartaKind, Location, PartialDate, Reference, is_path
from charta.personal import PersonalData, join, personal_path
from charta.references import find_item

__all__ = ["read_ignore", "read_levels", "run_diff"]


def run_diff(
    paths: Sequence[str],
    *,
    against: Sequence[str] = (),
    at_date: str | None = None,
    before_consultation: bool = False,
    for_towns: Sequence[str] = (),
    levels_file: str | None = None,
    ignore_file: str | None = None,
    read_as: Sequence[str | None] = (),
) -> Diff:
    """The diff ``charta diff`` prints.  Raises :class:`ChartaError` for bad input.

    ``read_as`` names, for each path, the file it stands for (git gives a copy of
    an old version in a temporary folder): relative references then resolve
    from the real file's folder, and messages name it.
    """
    levels = read_levels(levels_file) if levels_file else None
    ignore = read_ignore(ignore_file) if ignore_file else set()
    read_names = [*read_as, None, None]
    first = _open(paths[0], read_names[0])
    if len(paths) == 2:
        second = _open(paths[1], read_names[1])
        # The personal data of either side cleans both: an old version (a git
        # checkout) has no personal-data file beside it, as it is not committed.
        people = _people(paths, read_names)
        first, second = join(first, people), join(second, people)
        result = _pair(first, second, paths, for_towns)
    elif at_date is not None or before_consultation:
        result = _earlier(first, paths[0], at_date)
    else:
        names = list(against) or [str(b.source.charta) for b in first.based_on if b.source.charta]
        if not names:
            raise ChartaError(
                f"{paths[0]} names no source in based-on: say which to compare with, "
                "e.g. --against smart-city-charta",
                rule=rules.REQUEST,
            )
        sources = [_source(n, paths[0]) for n in names]
        result = against_sources(first, sources)
    return with_levels(result, levels, ignore)


def _source(name: str, town: str) -> Charta:
    """A source named with --against or in based-on: an id or a path, with an edition."""
    try:
        ref = Reference.parse(name)
    except ValueError as exc:
        raise ChartaError(f"--against: {exc}", rule=rules.REQUEST) from None
    if ref.charta is None or ref.item is not None:
        raise ChartaError(f"--against names a source, not an item: '{name}'", rule=rules.REQUEST)
    source = default_sources().resolve(ref.charta, town if is_path(ref.charta) else None)
    find_item(source, ref)  # an edition it does not record is an error that says so
    return source


def _people(paths: Sequence[str], read_as: Sequence[str | None]) -> PersonalData | None:
    """The commenters of the personal-data files beside ``paths``, together."""
    found = [
        read_personal(personal_path(real or path))
        for path, real in zip(paths, read_as, strict=False)
        if is_path(real or path)
    ]
    people = [p for data in found if data is not None for p in data.people]
    if not people:
        return None
    return PersonalData(charta="", people=tuple(people))


def _open(name: str, read_as: str | None = None) -> Charta:
    if read_as is None:
        return open_charta(name, personal=True)
    text, _ = read_text(Path(name))
    report = validate_text(text, read_as)
    if report.charta is None or not report.ok:
        raise ValidationError(report.problems)
    return join(report.charta, read_personal(personal_path(read_as)))


def _pair(first: Charta, second: Charta, paths: Sequence[str], towns: Sequence[str]) -> Diff:
    if first.kind is ChartaKind.SOURCE and second.kind is ChartaKind.SOURCE:
        if first.id != second.id:
            raise ChartaError(
                f"{paths[0]} and {paths[1]} are two different sources ({first.id}, "
                f"{second.id}); compare two editions of one source, or a town with a source "
                "(--against)",
                rule=rules.REQUEST,
            )
        return upstream(first, second, [_open(t) for t in towns])
    if towns:
        raise ChartaError("--for goes with two editions of one source", rule=rules.REQUEST)
    if first.kind is not second.kind:
        raise ChartaError(
            f"{paths[0]} is a {first.kind.value} charta and {paths[1]} a {second.kind.value} "
            "one: to compare a town with a source, use --against",
            rule=rules.REQUEST,
        )
    if first.id == second.id:
        return between_versions(first, second, old_name=paths[0], new_name=paths[1])
    both = [
        b.source.charta
        for b in first.based_on
        if b.source.charta
        and not is_path(b.source.charta)
        and b.source.charta in {x.source.charta for x in second.based_on}
    ]
    return between_towns(first, second, [default_sources().resolve(n) for n in both])


def _earlier(charta: Charta, path: str, at_date: str | None) -> Diff:
    if at_date is not None:
        try:
            date = PartialDate.from_iso(at_date)
        except ValueError as exc:
            raise ChartaError(f"--at: {exc}", rule=rules.REQUEST) from None
        old, notes = as_of(charta, date)
        name = f"{path} as of {date}"
    else:
        old, notes = before_consultation(charta), ()
        name = f"{path} before the consultation"
    result = between_versions(old, charta, old_name=name, new_name=path)
    return attrs.evolve(result, notes=(*result.notes, *notes))


_LEVEL_LINE = re.compile(r"\s*([a-z-]+)\s+([a-z]+)\s*(?:#.*)?")
_IGNORE_LINE = re.compile(r"\s*([0-9a-f]{12})\s*(?:#.*)?")


def read_levels(path: str) -> dict[str, Level | None]:
    """``CLASS LEVEL`` lines; ``none`` drops a class.  Errors name the file and line."""
    classes = {c.value for c in ChangeClass}
    out: dict[str, Level | None] = {}
    for number, line in _lines(path):
        m = _LEVEL_LINE.fullmatch(line)
        if m is None:
            raise _bad_line(path, number, "write a class and a level: `not-addressed error`")
        cls, level = m.groups()
        if cls not in classes:
            raise _bad_line(
                path,
                number,
                f"unknown class '{cls}'{did_you_mean(cls, sorted(classes))}; the classes are: "
                + ", ".join(c.value for c in ChangeClass),
            )
        if cls in out:
            raise _bad_line(path, number, f"'{cls}' is given twice; keep one line for it")
        if level not in ("info", "warning", "error", "none"):
            raise _bad_line(path, number, f"'{level}' is not info, warning, error or none")
        out[cls] = None if level == "none" else Level(level)
    return out


def read_ignore(path: str) -> set[str]:
    """Fingerprints, one per line, each optionally followed by ``# a note``."""
    out = set()
    for number, line in _lines(path):
        m = _IGNORE_LINE.fullmatch(line)
        if m is None:
            raise _bad_line(
                path, number, "write the 12-digit fingerprint a change shows, e.g. 5a26dce18352"
            )
        out.add(m.group(1))
    return out


def _lines(path: str) -> list[tuple[int, str]]:
    try:
        text, _ = read_text(Path(path))  # the same limits and messages as for charta files
    except ChartaError as exc:
        if exc.rule is rules.EMPTY_FILE:
            return []  # an empty levels or ignore file says nothing, which is fine
        raise
    return [
        (n, line)
        for n, line in enumerate(text.split("\n"), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _bad_line(path: str, line: int, message: str) -> ChartaError:
    return ChartaError(message, location=Location(file=path, line=line), rule=rules.REQUEST)
