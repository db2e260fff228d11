"""Rule group: derivations do not go round in a circle, in a file or between files."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from charta import rules
from charta.check.context import Check, Context, chain
from charta.errors import ChartaError
from charta.model import Charta, Derivation, KeyPath, Reference
from charta.references import Resolver, resolve_path, short_path

__all__ = ["GROUP"]


def local_cycles(ctx: Context) -> None:
    """Derivation cycles over '#item' links, by an iterative depth-first search.

    Iterative, so that a chain of 10,000 links does not exhaust the stack;
    each link is followed once.  A self-link is reported as a self-derivation,
    not again here.
    """
    edges: dict[str, list[tuple[Derivation, KeyPath]]] = {}
    for item, d, where in ctx.derivations:
        links = edges.setdefault(item.id, [])
        if d.ref.is_local and d.ref.item and d.ref.item != item.id:
            links.append((d, where))
    for item, _ in ctx.items:
        edges.setdefault(item.id, [])
    ON_PATH, DONE = 1, 2
    state: dict[str, int] = {}
    for start, first_links in edges.items():
        if start in state:
            continue
        path = [start]
        position = {start: 0}
        state[start] = ON_PATH
        stack = [iter(first_links)]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                node = path.pop()
                del position[node]
                state[node] = DONE
                continue
            d, where = step
            target = d.ref.item
            assert target is not None
            seen = state.get(target)
            if seen == ON_PATH:
                cycle = [*path[position[target] :], target]
                ctx.emit(rules.DERIVATION_CYCLE, f"derivation cycle: {chain(cycle)}", where, "ref")
            elif seen is None and target in edges:
                state[target] = ON_PATH
                position[target] = len(path)
                path.append(target)
                stack.append(iter(edges[target]))


def file_cycles(ctx: Context) -> None:
    """The first path reference that leads back to this file, reported once."""
    if ctx.file is None:
        return
    root = _real(resolve_path(ctx.file, None))
    if root is None:
        return
    # Files whose references were all followed without reaching this one: each
    # file is read once in all, however many references lead to it.
    dead: set[str] = set()
    real: dict[str, str | None] = {}  # each path as written, resolved once
    for _, d, path in ctx.derivations:
        if not d.ref.is_path:
            continue
        assert d.ref.charta is not None
        name = d.ref.charta
        if name not in real:
            written = resolve_path(name, ctx.file)
            # a missing file leads nowhere (it is reported where it is resolved)
            real[name] = _real(written) if os.path.isfile(written) else None
        target = real[name]
        if target is None or target in dead:
            continue
        files = _path_back(ctx.resolver, target, root, dead)
        if files:
            shown = " -> ".join(short_path(p) for p in [root, *files])
            ctx.emit(rules.FILE_CYCLE, f"derivation cycle between files: {shown}", path, "ref")
            return


def _path_back(resolver: Resolver, start: str, root: str, dead: set[str]) -> list[str] | None:
    """The files from ``start`` back to ``root`` along path references, if any.

    Breadth-first and iterative: each file is read once, however the
    files refer to each other.  ``dead`` are files known not to lead back;
    a search that fails adds the files it saw.
    """
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == root:
            found: list[str] = []
            node: str | None = current
            while node is not None:
                found.append(node)
                node = parent[node]
            return found[::-1]
        try:
            charta = resolver.resolve(current)
        except ChartaError:
            continue  # reported where the reference is resolved
        for ref in _path_refs(charta):
            assert ref.charta is not None
            nxt = _real(resolve_path(ref.charta, current))
            if nxt is not None and nxt not in parent and nxt not in dead:
                parent[nxt] = current
                queue.append(nxt)
    dead.update(parent)
    return None


def _real(path: Path) -> str | None:
    try:
        return str(path.resolve())
    except (OSError, ValueError):  # a loop of symlinks, a NUL in a name built in Python
        return None


def _path_refs(charta: Charta) -> Iterator[Reference]:
    for item in charta.walk():
        for d in item.derived_from:
            if d.ref.is_path:
                yield d.ref


GROUP = (
    Check((rules.DERIVATION_CYCLE,), local_cycles),
    Check((rules.FILE_CYCLE,), file_cycles),
)
"""The checks of this group, in the order they run."""
