"""Earlier states of one file, rebuilt from the revisions it records.

:func:`as_of` undoes the revisions dated after a day, :func:`before_consultation`
those its consultation caused; both bring back principles merged away since.
``charta diff --at`` and ``--before-consultation`` compare the result with the
file (:func:`charta.diff.compare.between_versions`).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from charta.errors import ChartaError
from charta.model import Charta, Item, MergedAway, PartialDate, RevisedField, Revision

__all__ = ["as_of", "before_consultation"]


def as_of(charta: Charta, date: PartialDate) -> tuple[Charta, tuple[str, ...]]:
    """``charta`` as it stood on ``date``, rebuilt by undoing the revisions dated after it.

    Returns the rebuilt charta and notes (for example, undated revisions that
    could not be placed and were kept).  Raises :class:`ChartaError` when the
    file records nothing that far back (a date before its consultation began).
    """
    cons = charta.consultation
    if cons is not None and cons.start is not None:
        if date.latest() < cons.start.earliest():
            raise ChartaError(
                f"the file records no state before its consultation began ({cons.start}); "
                f"{date} is earlier: choose a date on or after {cons.start}"
            )
    else:
        # Without a consultation to date the draft, the earliest state known is the
        # one before the first revision, and how long it stood is unknown.
        dated = [r.date for i in charta.walk() for r in i.revisions if r.date is not None]
        first = min(dated, key=lambda d: d.earliest(), default=None)
        if first is not None and date.latest() < first.earliest():
            raise ChartaError(
                f"{date} is before the first revision ({first}): the file does not say what "
                f"stood then; choose a date on or after {first}"
            )
    notes: list[str] = []

    def undo(rev: Revision | MergedAway) -> bool:
        if rev.date is None:
            if isinstance(rev, MergedAway):
                notes.append(
                    f"'{rev.id}' was merged into '{rev.merged_into}' on no recorded "
                    "date: it stays merged"
                )
            else:
                notes.append(f"a revision without a date ({rev.field.value}) is kept")
            return False
        return rev.date.earliest() > date.latest()

    rebuilt = _undo(charta, undo)
    restored = len(charta.merged_away) - len(rebuilt.merged_away)
    if restored:
        notes.append(
            f"{restored} principle(s) merged away after {date} are shown again, at the end: "
            "the file does not record where they stood"
        )
    return rebuilt, tuple(notes)


def before_consultation(charta: Charta) -> Charta:
    """``charta`` as it stood before the revisions its consultation caused."""
    cons = charta.consultation
    if cons is None:
        raise ChartaError("the file records no consultation: there is no state before it")
    ids = {c.id for c in cons.comments} | {r.id for r in cons.responses}
    return _undo(charta, lambda rev: any(c in ids for c in rev.caused_by))


def _undo(charta: Charta, should_undo: Callable[[Revision | MergedAway], bool]) -> Charta:
    """Undo the last revisions ``should_undo`` picks, and bring back the merged-away
    principles it picks (at the end of the top-level items)."""

    def rebuild(item: Item) -> Item:
        values = {f: getattr(item, f.value) for f in RevisedField}
        kept: list[Revision] = []
        undone = False
        for rev in reversed(item.revisions):
            if not undone and should_undo(rev):
                values[rev.field] = rev.before
                continue
            undone = True  # an earlier revision stays once a later one stays
            kept.append(rev)
        return attrs.evolve(
            item,
            **{f.value: values[f] for f in RevisedField},
            revisions=tuple(reversed(kept)),
            children=tuple(rebuild(c) for c in item.children),
        )

    undo = [should_undo(m) for m in charta.merged_away]  # once each: it may note
    back = [m for m, u in zip(charta.merged_away, undo, strict=True) if u]
    stays = tuple(m for m, u in zip(charta.merged_away, undo, strict=True) if not u)
    revived = tuple(m.as_item() for m in back)
    return attrs.evolve(
        charta,
        items=tuple(rebuild(i) for i in (*charta.items, *revived)),
        merged_away=stays,
    )
