"""What every rule group reads: the charta indexed once, and where problems go.

A :class:`Context` walks the charta once (items with their key paths,
derivations, the ids in use) and resolves each charta a reference names
once (:class:`~charta.references.Targets`), so that every group of rules
works from the same index and checking stays linear in the file.  Key paths
are built while walking, never looked up by object identity: a charta built
in Python may hold the same object twice, and each place is reported as
itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import attrs

from charta import hints, rules
from charta.errors import ChartaError, Collector, Rule
from charta.model import (
    Charta,
    Derivation,
    Item,
    KeyPath,
    Location,
    MergedAway,
    PositionIndex,
    Reference,
)
from charta.references import Resolver, Targets

__all__ = [
    "Check",
    "Context",
    "chain",
    "items_with_paths",
    "suggesting",
    "target_key",
]


class Context:
    """One checking run: the charta's index, the resolver, and the problems found."""

    def __init__(
        self, charta: Charta, resolver: Resolver, people: Mapping[str, Any] | None = None
    ) -> None:
        self.charta = charta
        self.resolver = resolver
        self.people: Mapping[str, Any] = people or {}
        """The commenters of the personal-data file, by comment id."""
        loc = charta.location
        self.file = loc.file if loc else None
        self.positions: PositionIndex | None = loc.index if loc else None
        self.found = Collector(self.file)
        self.items = items_with_paths(charta)
        """Every item with its key path, in document order."""
        self.merged_away: list[tuple[MergedAway, KeyPath]] = [
            (m, ("merged-away", n)) for n, m in enumerate(charta.merged_away)
        ]
        self.derivations: list[tuple[Item, Derivation, KeyPath]] = [
            (item, d, (*path, "derived-from", n))
            for item, path in self.items
            for n, d in enumerate(item.derived_from)
        ]
        """Every derivation with its item and key path."""
        self.first_ids: dict[str, KeyPath] = {}
        """Each id of an item or a merged-away principle, with where it is first used."""
        for item, path in self.items:
            self.first_ids.setdefault(item.id, path)
        for m, path in self.merged_away:
            self.first_ids.setdefault(m.id, path)
        self.targets = Targets(resolver, base=self.file, here=charta)
        self._allowed: Collection[str] = ()

    # -- reporting -------------------------------------------------------
    def at(self, path: KeyPath, *keys: str | int) -> Location:
        """The location of ``path`` (and ``keys`` below it); the line is found on demand."""
        return Location((*path, *keys), self.file, index=self.positions)

    def at_written(self, path: KeyPath, *keys: str) -> Location:
        """The location of the first of ``keys`` that is written (others may be defaults)."""
        if self.positions is not None:
            for key in keys:
                loc = self.at(path, key)
                if self.positions.written(loc.keys):
                    return loc
        return self.at(path, keys[-1])

    def emit(
        self, rule: Rule, message: str | Callable[[], str], path: KeyPath, *keys: str | int
    ) -> None:
        """Report ``rule`` at ``path`` (and ``keys`` below it)."""
        self.emit_at(rule, message, lambda: self.at(path, *keys))

    def emit_at(
        self, rule: Rule, message: str | Callable[[], str], where: Callable[[], Location]
    ) -> None:
        """Report ``rule`` at a location made only if the problem is kept."""
        assert rule.code in self._allowed, f"{rule.code} is not in the table entry of its check"
        self.found.add(rule, message, where)

    def run(self, check: Check) -> None:
        """Run one check, which may report only the rules of its table entry."""
        self._allowed = {r.code for r in check.rules}
        check.run(self)

    # -- references ------------------------------------------------------
    def resolve(self, ref: Reference, path: KeyPath, key: str) -> bool:
        """Whether ``ref`` points at something; reported where it does not."""
        try:
            self.targets.lookup(ref)
        except ChartaError as exc:
            self.emit(rules.UNRESOLVED, f"'{ref}' does not resolve: {exc.message}", path, key)
            return False
        return True


@attrs.frozen
class Check:
    """One entry of a rule group's table: the rules a function reports, and the function."""

    rules: tuple[Rule, ...]
    run: Callable[[Context], None]


def suggesting(
    message: str, word: str, candidates: Collection[str] | Callable[[], Collection[str]]
) -> Callable[[], str]:
    """``message`` with a did-you-mean for ``word``, made only if the message is shown."""
    return lambda: message + hints.did_you_mean(word, candidates)


def target_key(ref: Reference) -> tuple[str | None, str | None]:
    """What a reference points at: editions with the same items name the same item."""
    return (ref.charta, ref.item)


def chain(ids: list[str], most: int = 12) -> str:
    """``a -> b -> a``; a cycle of thousands is shown by its ends and its length."""
    if len(ids) <= most:
        return " -> ".join(ids)
    half = most // 2
    return (
        " -> ".join(ids[:half]) + f" -> ... ({len(ids) - most} more) -> " + " -> ".join(ids[-half:])
    )


def items_with_paths(charta: Charta) -> list[tuple[Item, KeyPath]]:
    """Every item with its key path (``("items", 1, "children", 0)``), in document order.

    Iterative: nesting is bounded when reading, but a charta built in Python
    is not read.
    """
    out: list[tuple[Item, KeyPath]] = []
    stack: list[tuple[Item, KeyPath]] = [
        (item, ("items", n)) for n, item in reversed(list(enumerate(charta.items)))
    ]
    while stack:
        item, path = stack.pop()
        out.append((item, path))
        stack.extend(
            (child, (*path, "children", n)) for n, child in reversed(list(enumerate(item.children)))
        )
    return out
