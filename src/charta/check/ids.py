"""Rule group: ids are well formed and unique, and merged-away principles lead somewhere."""

from __future__ import annotations

from collections.abc import Callable

from charta import rules
from charta.check.context import Check, Context, chain, suggesting
from charta.model import KeyPath, is_id

__all__ = ["GROUP"]


def item_ids(ctx: Context) -> None:
    """The charta's id and every item's are ids; no two items (live or merged away)
    share one."""
    require_id(ctx, ctx.charta.id, ())
    for item, path in ctx.items:
        require_id(ctx, item.id, path)
        first = ctx.first_ids[item.id]
        if first is not path:
            ctx.emit(rules.DUPLICATE_ITEM_ID, _duplicate(ctx, item.id, first), path, "id")
    for m, path in ctx.merged_away:
        require_id(ctx, m.id, path)
        first = ctx.first_ids[m.id]
        if first is not path:
            ctx.emit(
                rules.DUPLICATE_ITEM_ID,
                _duplicate(ctx, m.id, first, "; a merged-away principle keeps its id"),
                path,
                "id",
            )


def merged_into(ctx: Context) -> None:
    """Each merged-away principle's ``merged-into`` leads, perhaps through other
    merged-away ones, to a principle of the charta.  Each id is followed once."""
    into = {m.id: m.merged_into for m, _ in ctx.merged_away}
    live = {i.id for i, _ in ctx.items}
    ends: dict[str, bool] = {}
    for m, path in ctx.merged_away:
        if m.merged_into not in ctx.first_ids:
            ctx.emit(
                rules.MERGED_INTO,
                suggesting(
                    f"'{m.id}' was merged into '{m.merged_into}', which is no principle "
                    "of this charta: write the id of the principle that carries it on",
                    m.merged_into,
                    lambda: sorted(live),
                ),
                path,
                "merged-into",
            )
            continue
        steps: list[str] = []
        on_chain: set[str] = set()
        at = m.id
        while at not in live and at not in ends and at in into and at not in on_chain:
            steps.append(at)
            on_chain.add(at)
            at = into[at]
        reaches = at in live or ends.get(at, False)
        for step in steps:
            ends[step] = reaches
        if not reaches and at in on_chain:
            cycle = [*steps[steps.index(at) :], at]
            ctx.emit(
                rules.MERGED_INTO,
                f"merged-into goes round in a circle, {chain(cycle)}, and never reaches "
                "a principle of the charta",
                path,
                "merged-into",
            )


def edition_ids(ctx: Context) -> None:
    editions: set[str] = set()
    for n, e in enumerate(ctx.charta.editions):
        if e.id in editions:
            ctx.emit(rules.DUPLICATE_EDITION, f"duplicate edition '{e.id}'", ("editions", n), "id")
        editions.add(e.id)


def entry_ids(ctx: Context) -> None:
    """Comments and responses have ids, from one set."""
    cons = ctx.charta.consultation
    if cons is None:
        return
    entries: list[tuple[str, KeyPath]] = [
        *((x.id, ("consultation", "comments", n)) for n, x in enumerate(cons.comments)),
        *((r.id, ("consultation", "responses", n)) for n, r in enumerate(cons.responses)),
    ]
    ids: set[str] = set()
    for entry_id, path in entries:
        require_id(ctx, entry_id, path)
        if entry_id in ids:
            ctx.emit(
                rules.DUPLICATE_ENTRY_ID,
                f"duplicate id '{entry_id}': comments and responses share one set of ids",
                path,
                "id",
            )
        ids.add(entry_id)


def require_id(ctx: Context, value: str, path: KeyPath) -> None:
    if not is_id(value):
        ctx.emit(
            rules.INVALID_ID,
            f"'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
            "e.g. 'mensch-im-mittelpunkt'",
            path,
            "id",
        )


def _duplicate(ctx: Context, item_id: str, first: KeyPath, more: str = "") -> Callable[[], str]:
    return lambda: (
        f"duplicate item id '{item_id}' (first used at {ctx.at(first, 'id')}); "
        f"ids must be unique in a charta{more}"
    )


GROUP = (
    Check((rules.INVALID_ID, rules.DUPLICATE_ITEM_ID), item_ids),
    Check((rules.MERGED_INTO,), merged_into),
    Check((rules.DUPLICATE_EDITION,), edition_ids),
    Check((rules.INVALID_ID, rules.DUPLICATE_ENTRY_ID), entry_ids),
)
"""The checks of this group, in the order they run."""
