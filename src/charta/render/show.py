"""What ``charta show`` does: one charta, or one item of it, ready to show.

The result is the public view: commenters who did not consent appear by
pseudonym.  :func:`show_text` writes it for a terminal, with the views of
:mod:`charta.adapters.text`.
"""

from __future__ import annotations

import attrs

from charta.adapters.text import show_charta, show_item
from charta.check.loading import default_sources, open_charta
from charta.errors import ChartaError
from charta.model import Charta, Item, MergedAway, Reference
from charta.privacy import public_view
from charta.references import find_item, lookup

__all__ = ["Shown", "show", "show_text"]


@attrs.frozen(kw_only=True)
class Shown:
    """A charta, and the item a person asked for, if any."""

    charta: Charta
    """The public view of the charta."""
    item: Item | None = None
    """The item asked for; ``None`` for the whole charta."""
    merged: MergedAway | None = None
    """The record of a principle merged away, when the id asked for is one."""
    base: str | None = None
    """The file the charta was read from: where its relative references start."""

    def describe(self, ref: Reference) -> str:
        """The title of what a derivation points at, or "" when it does not resolve."""
        try:
            target, item = lookup(default_sources(), ref, base=self.base, here=self.charta)
        except ChartaError:
            return ""
        return item.title if item is not None else target.title


def show(ref: Reference) -> Shown:
    """The charta ``ref`` names (a source id or a file), and its item ``#ID`` if given.

    Raises :class:`~charta.errors.ChartaError` for a charta that cannot be
    read; an item id that is not there shows the whole charta.
    """
    if ref.charta is None:
        raise ChartaError("name a source or a file before '#'")
    charta = public_view(open_charta(ref.charta, personal=True))
    base = ref.charta if ref.is_path else None
    merged = charta.merged_away_record(ref.item) if ref.item else None
    if merged is not None:
        return Shown(charta=charta, merged=merged, base=base)
    return Shown(charta=charta, item=find_item(charta, ref), base=base)


def show_text(shown: Shown) -> str:
    """What ``charta show`` prints: the charta, the item, or a merged-away principle
    as it last was and where it went."""
    gone = shown.merged
    if gone is not None:
        return (
            show_item(shown.charta, gone.as_item(), shown.describe)
            + f"\nmerged into {gone.merged_into}"
            + (f" ({gone.date})" if gone.date else "")
            + (f": {gone.reason}" if gone.reason else "")
        )
    if shown.item is None:
        return show_charta(shown.charta, shown.describe)
    return show_item(shown.charta, shown.item, shown.describe)
