"""Meaning checks across a loaded charta and the chartas it refers to.

Shape (keys, types) is checked when a file is read; this module checks what
only makes sense across the whole: ids are unique, references resolve, the
revision history connects to the current text, the consultation hangs
together, derivations between local files do not go round in a circle.
Every check returns problems; none stops at the first.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs

from charta.adapters.toml import parse, read_text
from charta.errors import ChartaError, Problem, Severity
from charta.model import (
    FORMAT_VERSION,
    ID_PATTERN,
    Charta,
    ChartaKind,
    Comment,
    Completeness,
    Derivation,
    Item,
    Location,
    Obtained,
    Reference,
    Response,
    RevisedField,
    Value,
)
from charta.registry import Registry, default_registry, did_you_mean, resolve_path, short_path

__all__ = ["Report", "check", "validate_file", "validate_text"]

T = TypeVar("T")


@attrs.frozen(repr=False)
class Report(Value):
    """What validating one input found."""

    file: str | None
    problems: tuple[Problem, ...]
    charta: Charta | None = None
    """The charta, when it could be read (even with meaning problems)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_file(path: str | os.PathLike[str], registry: Registry | None = None) -> Report:
    """Read and check one charta file; never raises for bad input."""
    name = os.fspath(path)
    try:
        text, warnings = read_text(Path(path))
        parsed = parse(text, name, tuple(warnings))
    except ChartaError as exc:
        return Report(name, exc.problems)
    problems = check(parsed.charta, registry=registry)
    return Report(name, (*parsed.warnings, *problems), parsed.charta)


def validate_text(text: str, file: str | None = None, registry: Registry | None = None) -> Report:
    """Check charta TOML given as text (references to paths resolve from the current directory)."""
    try:
        parsed = parse(text, file)
    except ChartaError as exc:
        return Report(file, exc.problems)
    problems = check(parsed.charta, registry=registry)
    return Report(file, tuple(problems), parsed.charta)


def check(charta: Charta, *, registry: Registry | None = None) -> list[Problem]:
    """Every meaning problem of ``charta``, in document order."""
    checker = _Checker(charta, registry or default_registry())
    checker.run()
    return sorted(
        checker.problems,
        key=lambda p: (p.location.line or 0, p.location.column or 0, p.location.key_path),
    )


class _Checker:
    def __init__(self, charta: Charta, registry: Registry) -> None:
        self.charta = charta
        self.registry = registry
        self.file = charta.location.file if charta.location else None
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------
    def at(self, obj: object, *keys: str | int) -> Location:
        # Objects read from a file carry the lazy position index of that file,
        # so a key below them finds its line without re-reading anything.
        base: Location | None = getattr(obj, "location", None)
        if base is None:
            return Location(keys, self.file)
        return Location((*base.keys, *keys), base.file, index=base.index)

    def at_written(self, obj: object, *keys: str) -> Location:
        """The location of the first of ``keys`` that is written (others may be defaults)."""
        base: Location | None = getattr(obj, "location", None)
        for key in keys:
            loc = self.at(obj, key)
            if base is not None and base.index is not None and base.index.written(loc.keys):
                return loc
        return self.at(obj, keys[-1])

    def error(self, message: str, location: Location) -> None:
        self.problems.append(Problem(message, location))

    def warn(self, message: str, location: Location) -> None:
        self.problems.append(Problem(message, location, Severity.WARNING))

    # -- the checks ------------------------------------------------------
    def run(self) -> None:
        if self.charta.format != FORMAT_VERSION:
            self.error(
                f"this file is written in charta format {self.charta.format}; this version of "
                f"charta reads format {FORMAT_VERSION}: upgrade charta, or convert the file",
                self.at(self.charta, "format"),
            )
            return
        self.check_ids()
        self.check_completeness()
        self.check_references()
        self.check_revisions()
        self.check_consultation()
        self.check_local_cycles()
        self.check_file_cycles()
        self.check_rights()

    def check_ids(self) -> None:
        c = self.charta
        self.require_id(c.id, c, "id")
        seen: dict[str, Item] = {}
        for item in c.walk():
            self.require_id(item.id, item, "id")
            first = seen.setdefault(item.id, item)
            if first is not item:
                self.error(
                    f"duplicate item id '{item.id}' (first used at {self.at(first, 'id')}); "
                    "ids must be unique in a charta",
                    self.at(item, "id"),
                )
        for label, group in _duplicates(c.editions, lambda e: e.id):
            self.error(f"duplicate edition '{label}'", self.at(group, "id"))
        if c.consultation:
            entries: list[Comment | Response] = [
                *c.consultation.comments,
                *c.consultation.responses,
            ]
            for entry in entries:
                self.require_id(entry.id, entry, "id")
            for label, dup in _duplicates(entries, lambda e: e.id):
                self.error(
                    f"duplicate id '{label}': comments and responses share one set of ids",
                    self.at(dup, "id"),
                )

    def require_id(self, value: str, obj: object, key: str) -> None:
        if not ID_PATTERN.match(value):
            self.error(
                f"'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
                "e.g. 'mensch-im-mittelpunkt'",
                self.at(obj, key),
            )

    def check_completeness(self) -> None:
        c = self.charta
        declared, known = c.declared_count, c.known_count
        if declared is None:
            if c.completeness is Completeness.PARTIAL:
                self.warn(
                    "completeness is 'partial' but declared-count is not given: say how many "
                    "items the charta declares, so that coverage can say what it rests on",
                    self.at(c, "completeness"),
                )
            return
        if known > declared:
            self.error(
                f"declared-count is {declared} but {known} top-level items are recorded",
                self.at(c, "declared-count"),
            )
        elif c.completeness is Completeness.COMPLETE and known < declared:
            self.error(
                f"completeness is 'complete' but only {known} of {declared} declared items "
                'are recorded; set completeness = "partial" or add the missing items',
                self.at_written(c, "completeness", "declared-count"),
            )
        elif c.completeness is Completeness.PARTIAL and known == declared:
            self.error(
                f"completeness is 'partial' but all {declared} declared items are recorded",
                self.at(c, "completeness"),
            )

    # -- references ------------------------------------------------------
    def check_references(self) -> None:
        c = self.charta
        based = {b.source.charta for b in c.based_on}
        for basis in c.based_on:
            if basis.source.charta is None or basis.source.item is not None:
                self.error(
                    f"based-on names a whole charta ('smart-city-charta@2017' or a file), "
                    f"not an item: '{basis.source}'",
                    self.at(basis, "source"),
                )
            else:
                self.resolve(basis.source, basis, "source")
        derived: dict[tuple[str | None, str | None], Location] = {}
        for item in c.walk():
            for d in item.derived_from:
                loc = self.at(d, "ref")
                if self.resolve(d.ref, d, "ref") and d.ref.is_local and d.ref.item == item.id:
                    self.error(f"'{item.id}' is derived from itself", loc)
                key = self.target_key(d.ref)
                derived.setdefault(key, loc)
                if based and d.ref.charta is not None and d.ref.charta not in based:
                    self.warn(
                        f"derived from '{d.ref.charta}', which is not listed in based-on",
                        loc,
                    )
        omitted: set[tuple[str | None, str | None]] = set()
        for om in c.omissions:
            loc = self.at(om, "ref")
            self.resolve(om.ref, om, "ref")
            key = self.target_key(om.ref)
            if key in omitted:
                self.error(f"'{om.ref}' is omitted twice", loc)
            omitted.add(key)
            if key in derived:
                self.error(
                    f"'{om.ref}' is listed as omitted, but a principle is derived from it "
                    f"at {derived[key]}; remove one of the two",
                    loc,
                )
            if not om.reason.strip():
                self.error("an omission needs a reason", self.at(om, "reason"))

    def target_key(self, ref: Reference) -> tuple[str | None, str | None]:
        # Editions with the same items name the same item.
        return (ref.charta, ref.item)

    def resolve(self, ref: Reference, obj: object, key: str) -> bool:
        """Check that ``ref`` points at something; report it where it does not."""
        try:
            self.registry.lookup(ref, base=self.file, here=self.charta)
        except ChartaError as exc:
            self.error(f"'{ref}' does not resolve: {exc.message}", self.at(obj, key))
            return False
        return True

    # -- history -----------------------------------------------------------
    def check_revisions(self) -> None:
        known_ids: set[str] = set()
        if self.charta.consultation:
            cons = self.charta.consultation
            known_ids = {c.id for c in cons.comments} | {r.id for r in cons.responses}
        for item in self.charta.walk():
            by_field: dict[RevisedField, list[int]] = {}
            for n, rev in enumerate(item.revisions):
                by_field.setdefault(rev.field, []).append(n)
                if rev.before == rev.after:
                    self.error(
                        "this revision changes nothing: before and after are the same",
                        self.at(rev, "after"),
                    )
                for cause in rev.caused_by:
                    if cause not in known_ids:
                        self.error(
                            f"caused-by '{cause}' points nowhere: there is no comment or "
                            f"response with that id{did_you_mean(cause, sorted(known_ids))}",
                            self.at(rev, "caused-by"),
                        )
            for field, indexes in by_field.items():
                revs = [item.revisions[n] for n in indexes]
                for (i, a), (j, b) in itertools.pairwise(zip(indexes, revs, strict=True)):
                    if a.after != b.before:
                        self.error(
                            f"revision {j + 1} of '{item.id}' does not start where revision "
                            f"{i + 1} ended: its 'before' differs from the earlier 'after'",
                            self.at(b, "before"),
                        )
                    if a.date and b.date and b.date.latest() < a.date.earliest():
                        self.error(
                            f"revision {j + 1} of '{item.id}' is dated before revision {i + 1}",
                            self.at(b, "date"),
                        )
                current = getattr(item, field.value)
                if revs[-1].after != current:
                    self.error(
                        f"the last revision of the {field.value} of '{item.id}' does not end in "
                        f"the current {field.value}: its 'after' must equal the item's "
                        f"'{field.value}'",
                        self.at(revs[-1], "after"),
                    )

    def check_consultation(self) -> None:
        cons = self.charta.consultation
        if cons is None:
            return
        if cons.start and cons.end and cons.end.latest() < cons.start.earliest():
            self.error("the consultation ends before it starts", self.at(cons, "end"))
        comment_ids = [c.id for c in cons.comments]
        for comment in cons.comments:
            if comment.target is not None:
                if not comment.target.is_local:
                    self.error(
                        f"a comment targets a principle of this charta: write '#item-id', "
                        f"not '{comment.target}'",
                        self.at(comment, "target"),
                    )
                else:
                    self.resolve(comment.target, comment, "target")
            if not comment.commenter.pseudonym.strip():
                self.error(
                    "the commenter needs a pseudonym: public outputs show it instead of the name",
                    self.at(comment.commenter, "pseudonym"),
                )
        for response in cons.responses:
            answered = cons.comment(response.comment)
            if answered is None:
                self.error(
                    f"response '{response.id}' answers comment '{response.comment}', which does "
                    f"not exist{did_you_mean(response.comment, comment_ids)}",
                    self.at(response, "comment"),
                )
                continue
            person = answered.commenter
            if (
                not person.consent_to_publish
                and person.name
                and _mentions(response.text, person.name)
            ):
                self.warn(
                    f"response '{response.id}' names the commenter of '{answered.id}', who did "
                    "not consent to publication; leave the name out of the response text",
                    self.at(response, "text"),
                )

    # -- cycles --------------------------------------------------------------
    def check_local_cycles(self) -> None:
        # Depth-first search over '#item' links; a self-link is reported by
        # check_references, not again here.
        edges: dict[str, list[Derivation]] = {
            item.id: [
                d
                for d in item.derived_from
                if d.ref.is_local and d.ref.item and d.ref.item != item.id
            ]
            for item in self.charta.walk()
        }
        done: set[str] = set()

        def visit(node: str, path: list[str]) -> None:
            for d in edges.get(node, []):
                target = d.ref.item
                assert target is not None
                if target in path:
                    cycle = [*path[path.index(target) :], target]
                    self.error(f"derivation cycle: {' -> '.join(cycle)}", self.at(d, "ref"))
                elif target not in done and target in edges:
                    visit(target, [*path, target])
            done.add(node)

        for start in edges:
            if start not in done:
                visit(start, [start])

    def check_file_cycles(self) -> None:
        if self.file is None:
            return
        root = str(resolve_path(self.file, None).resolve())
        for item in self.charta.walk():
            for d in item.derived_from:
                if not d.ref.is_path:
                    continue
                assert d.ref.charta is not None
                target = str(resolve_path(d.ref.charta, self.file).resolve())
                chain = self.find_path_back(target, root, [root, target], set())
                if chain:
                    shown = " -> ".join(short_path(p) for p in chain)
                    self.error(f"derivation cycle between files: {shown}", self.at(d, "ref"))
                    return

    def find_path_back(
        self, current: str, root: str, chain: list[str], seen: set[str]
    ) -> list[str] | None:
        if current == root:
            return chain
        if current in seen:
            return None
        seen.add(current)
        try:
            charta = self.registry.resolve(current)
        except ChartaError:
            return None  # reported where the reference is resolved
        for ref in _path_refs(charta):
            assert ref.charta is not None
            nxt = str(resolve_path(ref.charta, current).resolve())
            found = self.find_path_back(nxt, root, [*chain, nxt], seen)
            if found:
                return found
        return None

    def check_rights(self) -> None:
        c = self.charta
        if c.kind is ChartaKind.SOURCE and c.provenance.obtained is Obtained.SUMMARISED:
            for item in c.walk():
                if item.text:
                    self.warn(
                        f"'{item.id}' holds a text, but this source is recorded as summarised: "
                        "keep only a summary in your own words and point to the original",
                        self.at(item, "text"),
                    )


def _path_refs(charta: Charta) -> Iterator[Reference]:
    for item in charta.walk():
        for d in item.derived_from:
            if d.ref.is_path:
                yield d.ref


def _duplicates(things: Iterable[T], key: Callable[[T], str]) -> Iterator[tuple[str, T]]:
    counted: Counter[str] = Counter()
    for thing in things:
        k = key(thing)
        counted[k] += 1
        if counted[k] == 2:
            yield k, thing


def _mentions(text: str, name: str) -> bool:
    """Whether ``text`` contains a part of ``name`` as a whole word ("Max", not "Maximal")."""
    return any(
        re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE)
        for part in name.split()
        if len(part) > 2
    )
