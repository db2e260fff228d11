"""Rule group: each field's revisions form a chain that ends in the current text."""

from __future__ import annotations

import itertools

from charta import rules
from charta.check.context import Check, Context, suggesting
from charta.model import Item, KeyPath, MergedAway, RevisedField

__all__ = ["GROUP"]


def revisions(ctx: Context) -> None:
    """Every revision changes something, starts where the last one of its field
    ended, is dated in order, and the last one ends in the current value."""
    historied: list[tuple[Item | MergedAway, KeyPath]] = [*ctx.items, *ctx.merged_away]
    for item, item_path in historied:
        by_field: dict[RevisedField, list[int]] = {}
        for n, rev in enumerate(item.revisions):
            by_field.setdefault(rev.field, []).append(n)
            if rev.before == rev.after:
                ctx.emit(
                    rules.REVISION_NO_CHANGE,
                    "this revision changes nothing: before and after are the same",
                    (*item_path, "revisions", n),
                    "after",
                )
        for field, indexes in by_field.items():
            revs = [item.revisions[n] for n in indexes]
            for (i, a), (j, b) in itertools.pairwise(zip(indexes, revs, strict=True)):
                if a.after != b.before:
                    ctx.emit(
                        rules.REVISION_CHAIN_GAP,
                        f"revision {j + 1} of '{item.id}' does not start where revision "
                        f"{i + 1} ended: its 'before' differs from the earlier 'after'",
                        (*item_path, "revisions", j),
                        "before",
                    )
                if a.date and b.date and b.date.latest() < a.date.earliest():
                    ctx.emit(
                        rules.REVISION_DATE_ORDER,
                        f"revision {j + 1} of '{item.id}' is dated before revision {i + 1}",
                        (*item_path, "revisions", j),
                        "date",
                    )
            current = getattr(item, field.value, "")
            if revs[-1].after != current:
                ctx.emit(
                    rules.REVISION_CHAIN_END,
                    f"the last revision of the {field.value} of '{item.id}' does not end in "
                    f"the current {field.value}: its 'after' must equal the item's "
                    f"'{field.value}'",
                    (*item_path, "revisions", indexes[-1]),
                    "after",
                )


def causes(ctx: Context) -> None:
    """Every caused-by names a comment or a response of the consultation."""
    known_ids: list[str] = []
    if ctx.charta.consultation:
        cons = ctx.charta.consultation
        known_ids = [c.id for c in cons.comments] + [r.id for r in cons.responses]
    known = set(known_ids)
    for ids, path in citing(ctx):
        for cause in ids:
            if cause not in known:
                ctx.emit(
                    rules.UNKNOWN_CAUSE,
                    suggesting(
                        f"caused-by '{cause}' points nowhere: there is no comment or "
                        "response with that id",
                        cause,
                        known_ids,
                    ),
                    path,
                    "caused-by",
                )


def citing(ctx: Context) -> list[tuple[tuple[str, ...], KeyPath]]:
    """Every caused-by with its key path: merged-away principles' own, then each
    revision's, items before merged-away principles."""
    out: list[tuple[tuple[str, ...], KeyPath]] = [
        (m.caused_by, path) for m, path in ctx.merged_away
    ]
    historied: list[tuple[Item | MergedAway, KeyPath]] = [*ctx.items, *ctx.merged_away]
    for item, path in historied:
        out += [(rev.caused_by, (*path, "revisions", n)) for n, rev in enumerate(item.revisions)]
    return out


GROUP = (
    Check(
        (
            rules.REVISION_NO_CHANGE,
            rules.REVISION_CHAIN_GAP,
            rules.REVISION_DATE_ORDER,
            rules.REVISION_CHAIN_END,
        ),
        revisions,
    ),
    Check((rules.UNKNOWN_CAUSE,), causes),
)
"""The checks of this group, in the order they run."""
