"""``charta sources`` and ``charta show``: what is installed, and one charta or item."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass

from charta.cli.base import echo, handle_errors, main, safe


@main.command()
@handle_errors
def sources() -> None:
    """List the installed source chartas."""
    # lazy: charta --help must not load the reader and the checker
    from charta.adapters.text import sources_table
    from charta.check.run import installed_sources

    listing = installed_sources()
    echo(sources_table(listing.sources))
    for conflict in listing.conflicts:
        echo(f"charta: warning: {conflict}", err=True, line=True)
    for source_id, problem in listing.broken:
        echo(f"charta: source '{source_id}' cannot be used: {problem}", err=True, line=True)
    if listing.broken:
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
    # lazy: charta --help must not load the reader and the checker
    from charta.model import Reference
    from charta.render.show import show as run
    from charta.render.show import show_text

    try:
        parsed = Reference.parse(ref)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc), line=True), param_hint="SOURCE[#ITEM]") from None
    if parsed.charta is None:
        raise click.BadParameter("name a source or a file before '#'", param_hint="SOURCE[#ITEM]")
    echo(show_text(run(parsed)))
