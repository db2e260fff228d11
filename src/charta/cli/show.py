"""``charta sources`` and ``charta show``: what is installed, and one charta or item."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from collections.abc import Callable

    from charta.model import Charta, Reference

from charta.cli.base import echo, handle_errors, main, safe


@main.command()
@handle_errors
def sources() -> None:
    """List the installed source chartas."""
    from charta.adapters.text import sources_table
    from charta.check.loading import get_source
    from charta.errors import ChartaError
    from charta.sources.registry import default_registry

    registry = default_registry()
    found, broken = [], []
    for source_id in registry.ids():
        try:
            found.append(get_source(source_id))
        except ChartaError as exc:  # one broken plug-in must not hide the others
            broken.append(f"charta: source '{source_id}' cannot be used: {exc.problems[0]}")
    echo(sources_table(found))
    for conflict in registry.conflicts:
        echo(f"charta: warning: {conflict}", err=True, line=True)
    for line in broken:
        echo(line, err=True, line=True)
    if broken:
        sys.exit(1)


@main.command()
@click.argument("ref", metavar="SOURCE[#ITEM]")
@handle_errors
def show(ref: str) -> None:
    """Show a charta, or one item of it, with its provenance.

    SOURCE is a source id (see `charta sources`) or a path to a charta file;
    add #ITEM-ID for one item, e.g. smart-city-charta#leitlinie-2-1.
    Commenters who did not consent are shown by pseudonym.
    """
    from charta.adapters.text import show_charta, show_item
    from charta.check.loading import open_charta
    from charta.model import Reference
    from charta.privacy import public_view
    from charta.references import find_item

    try:
        parsed = Reference.parse(ref)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc), line=True), param_hint="SOURCE[#ITEM]") from None
    if parsed.charta is None:
        raise click.BadParameter("name a source or a file before '#'", param_hint="SOURCE[#ITEM]")
    charta = public_view(open_charta(parsed.charta, personal=True))
    describe = _describer(charta, parsed.charta if parsed.is_path else None)
    gone = charta.merged_away_record(parsed.item) if parsed.item else None
    if gone is not None:  # a principle merged away: as it last was, and where it went
        echo(
            show_item(charta, gone.as_item(), describe)
            + f"\nmerged into {gone.merged_into}"
            + (f" ({gone.date})" if gone.date else "")
            + (f": {gone.reason}" if gone.reason else "")
        )
        return
    item = find_item(charta, parsed)
    if item is None:
        echo(show_charta(charta, describe))
        return
    echo(show_item(charta, item, describe))


def _describer(charta: Charta, base: str | None) -> Callable[[Reference], str]:
    """The title of what a derivation points at, or "" when it does not resolve."""
    from charta.check.loading import default_sources
    from charta.errors import ChartaError
    from charta.references import lookup

    def describe(ref: Reference) -> str:
        try:
            target, item = lookup(default_sources(), ref, base=base, here=charta)
        except ChartaError:
            return ""
        return item.title if item is not None else target.title

    return describe
