"""Following references: the resolver interface and the rules of a look-up.

The checker depends on :class:`Resolver`, not on a registry: anything that
finds chartas by source id or path will do (the registry, a test's dict, a
future cache).  The registry only finds and loads; the policy that a source
must pass the meaning checks lives above both (:mod:`charta.check.loading`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Protocol

from charta import rules
from charta.errors import ChartaError, Level
from charta.hints import did_you_mean
from charta.model import Charta, Edition, Item, MergedAway, Reference, is_path

__all__ = [
    "Resolver",
    "TargetIndex",
    "Targets",
    "find_item",
    "lookup",
    "resolve_path",
    "short_path",
]


class Resolver(Protocol):
    """Finds a charta by source id or by file path."""

    def resolve(self, name: str, base: str | os.PathLike[str] | None = None) -> Charta:
        """The charta ``name`` (a source id, or a path relative to the file ``base``).

        Raises :class:`~charta.errors.ChartaError` saying why it cannot be had.
        """
        ...


def lookup(
    resolver: Resolver,
    ref: Reference,
    *,
    base: str | os.PathLike[str] | None = None,
    here: Charta | None = None,
) -> tuple[Charta, Item | None]:
    """The charta and item ``ref`` points at.

    ``base`` is the file holding the reference (relative paths start from its
    folder); ``here`` the charta holding it (for ``#item``).  Raises
    :class:`ChartaError` whose message says why it does not resolve.
    """
    target = _charta(resolver, ref.charta, base, here)
    return target, find_item(target, ref)


def _charta(
    resolver: Resolver,
    name: str | None,
    base: str | os.PathLike[str] | None,
    here: Charta | None,
) -> Charta:
    """The charta a reference names by ``name`` (``None``: ``here``)."""
    if name is None:
        if here is None:
            raise ChartaError("'#item' needs the charta it belongs to", rule=rules.UNRESOLVED)
        return here
    try:
        return resolver.resolve(name, base)
    except ChartaError as exc:
        raise ChartaError(_why_not(name, base, exc), rule=rules.UNRESOLVED) from None


class TargetIndex:
    """What references look up in one charta, each indexed on first use.

    A file with 10,000 references to merged-away principles or to editions
    would otherwise search the lists once per reference.
    """

    def __init__(self, charta: Charta) -> None:
        self.charta = charta

    @functools.cached_property
    def editions(self) -> dict[str, Edition]:
        return {e.id: e for e in reversed(self.charta.editions)}  # the first of duplicates

    @functools.cached_property
    def merged_away(self) -> dict[str, MergedAway]:
        return {m.id: m for m in reversed(self.charta.merged_away)}

    @functools.cached_property
    def merge_ends(self) -> dict[str, str]:
        return self.charta.merge_ends()


class Targets:
    """Looks references up for one checking run: like :func:`lookup`, but each
    charta named is resolved once (or found unresolvable once) and indexed once.

    ``base`` and ``here`` are as for :func:`lookup`; the run must not outlive
    a change of the files it read.
    """

    def __init__(
        self,
        resolver: Resolver,
        *,
        base: str | os.PathLike[str] | None = None,
        here: Charta | None = None,
    ) -> None:
        self.resolver = resolver
        self.base = base
        self.here = here
        self._found: dict[str | None, TargetIndex | str] = {}

    def lookup(self, ref: Reference) -> tuple[Charta, Item | None]:
        """The charta and item ``ref`` points at; :class:`ChartaError` saying why not."""
        found = self._found.get(ref.charta)
        if found is None:
            try:
                target = _charta(self.resolver, ref.charta, self.base, self.here)
            except ChartaError as exc:
                found = exc.message
            else:
                found = TargetIndex(target)
            self._found[ref.charta] = found
        if isinstance(found, str):
            raise ChartaError(found, rule=rules.UNRESOLVED)
        return found.charta, find_item(found.charta, ref, index=found)


def find_item(target: Charta, ref: Reference, *, index: TargetIndex | None = None) -> Item | None:
    """The item of ``target`` that ``ref`` names (``None`` for the whole charta).

    Checks the edition: it must be the one recorded, or a recorded edition
    with the same items.  Raises :class:`ChartaError` saying what is wrong.
    ``index`` is ``target``'s, for callers that look up many references.
    """
    name = "this charta" if ref.charta is None else f"'{target.id}'"
    if ref.edition and ref.edition != target.edition:
        record = index.editions.get(ref.edition) if index else target.edition_record(ref.edition)
        if record is None:
            known = [e.id for e in target.editions] or [target.edition]
            recorded = ", ".join(k for k in known if k) or "none"
            raise ChartaError(
                f"{name} has no edition '{ref.edition}' (recorded: {recorded})",
                rule=rules.UNRESOLVED,
            )
        if ref.item is not None and not record.same_items:
            raise ChartaError(
                f"the items of edition {ref.edition} are not recorded (only those of "
                f"{target.edition}); refer to '{ref.charta}@{target.edition}#{ref.item}'",
                rule=rules.UNRESOLVED,
            )
    if ref.item is None:
        return None
    item = target.item(ref.item)
    if item is None:
        gone = None
        if target.merged_away:
            gone = index.merged_away.get(ref.item) if index else target.merged_away_record(ref.item)
        if gone is not None:
            end = (index.merge_ends if index else target.merge_ends()).get(gone.id, "")
            raise ChartaError(
                f"{name}'s '{ref.item}' was merged into '{gone.merged_into}'"
                + (f" ({gone.date})" if gone.date else "")
                + (f": link to '{end}' instead" if end else ""),
                rule=rules.UNRESOLVED,
            )
        raise ChartaError(
            f"{name} has no item '{ref.item}'{did_you_mean(ref.item, target.item_ids)}",
            rule=rules.UNRESOLVED,
        )
    return item


def _why_not(charta: str, base: str | os.PathLike[str] | None, exc: ChartaError) -> str:
    if not is_path(charta):
        return exc.message
    errors = [p for p in exc.problems if p.level is Level.ERROR]
    if len(errors) > 1 or (errors and errors[0].location.keys):
        # The path as written in the file; the one to type from here for the hint.
        path = short_path(str(resolve_path(charta, base)))
        return (
            f"{charta} has {len(errors)} problem{'s' if len(errors) != 1 else ''} "
            f"(first: {errors[0].message}); run 'charta validate {path}'"
        )
    return f"{charta}: {exc.message}"


def short_path(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def resolve_path(charta: str, base: str | os.PathLike[str] | None) -> Path:
    """A referenced file's path, relative to the directory of the referring file."""
    # With os.path on strings, one Path at the end: a file with 30,000 references
    # made three Path objects for each, a second of the check.
    if base is not None and not os.path.isabs(charta):
        charta = os.path.join(os.path.dirname(os.fspath(base)), charta)
    return Path(os.path.normpath(charta))
