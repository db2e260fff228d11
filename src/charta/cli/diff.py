"""``charta diff``: compare a charta with its sources, versions, towns or editions."""

from __future__ import annotations

import re
import sys

import click

from charta.cli.base import LEVELS, color, echo, input_errors_exit_2, main, safe


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="CHARTA [OTHER]")
@click.option(
    "--against",
    multiple=True,
    metavar="SOURCE",
    help="Compare with this source (id or file); repeatable. Default: the based-on sources.",
)
@click.option("--at", "at_date", metavar="DATE", help="Compare the state on DATE with the file.")
@click.option(
    "--before-consultation",
    is_flag=True,
    help="Compare the state before the consultation's revisions with the file.",
)
@click.option(
    "--for",
    "for_towns",
    multiple=True,
    metavar="CHARTA",
    help="With two editions of a source: the local chartas whose principles to review.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there is any difference.")
@click.option(
    "--fail-on",
    type=click.Choice(LEVELS),
    help="Exit 1 when a difference at or above this level exists.",
)
@click.option("--levels", "levels_file", metavar="FILE", help="Levels per class: `CLASS LEVEL`.")
@click.option("--ignore", "ignore_file", metavar="FILE", help="Fingerprints of reviewed changes.")
@click.option(
    "--git",
    "git_driver",
    is_flag=True,
    hidden=True,
    help="Called by git as an external diff driver: PATH OLD-FILE HEX MODE NEW-FILE HEX MODE.",
)
@input_errors_exit_2
def diff(
    paths: tuple[str, ...],
    *,
    against: tuple[str, ...],
    at_date: str | None,
    before_consultation: bool,
    for_towns: tuple[str, ...],
    fmt: str,
    exit_code: bool,
    fail_on: str | None,
    levels_file: str | None,
    ignore_file: str | None,
    git_driver: bool,
) -> None:
    """Compare a charta with its sources, two versions, two towns, or two editions.

    \b
      charta diff TOWN.toml [--against SOURCE]...   principles vs. source items
      charta diff TOWN.toml --at 2020-10-31         an earlier state vs. now
      charta diff OLD.toml NEW.toml                 two versions (same id)
      charta diff A.toml B.toml                     two towns (different ids)
      charta diff OLD-SRC NEW-SRC --for TOWN.toml   a new edition of a source

    Exit codes: 0 the comparison ran; 1 with --exit-code and any difference,
    or with --fail-on and a difference at or above that level; 2 on a usage
    or input error.
    """
    from charta.diff.run import run_diff  # lazy: start-up time

    if git_driver:
        _git_diff(paths)
        return
    if len(paths) > 2:
        raise click.UsageError("give one charta, or two to compare")
    if for_towns and len(paths) != 2:
        raise click.UsageError("--for goes with two editions of a source: OLD NEW --for CHARTA")
    if len(paths) == 2 and (against or at_date or before_consultation):
        raise click.UsageError("--against, --at and --before-consultation take one charta")
    if at_date and before_consultation:
        raise click.UsageError("give --at or --before-consultation, not both")
    result = run_diff(
        paths,
        against=against,
        at_date=at_date,
        before_consultation=before_consultation,
        for_towns=for_towns,
        levels_file=levels_file,
        ignore_file=ignore_file,
    )
    import charta.diff as difftext  # lazy: start-up time

    if fmt == "json":
        click.echo(difftext.diff_json(result), nl=False)  # ASCII: every character escaped
    elif fmt == "markdown":
        echo(difftext.diff_markdown(result), nl=False)
    else:
        # Escape what came from the files first, then colour the markers: the
        # colour codes are charta's own and must reach the terminal as codes.
        text = safe(difftext.diff_text(result))
        if color() is not False and sys.stdout.isatty():
            text = _colour_markers(text)
        click.echo(text, nl=False, color=color() is not False)
    from charta.errors import Level  # lazy: start-up time

    if exit_code and result.differences:
        sys.exit(1)
    if fail_on and result.at_least(Level(fail_on)):
        sys.exit(1)


def _git_diff(args: tuple[str, ...]) -> None:
    """``git diff`` with ``diff.charta.command = charta diff --git``: the semantic diff."""
    # lazy: start-up time
    from charta.diff.git import git_diff
    from charta.diff.text import diff_text

    try:
        shown = git_diff(args)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"charta diff {_quote(shown.path)}")
    if shown.result is None:
        echo(f"({shown.note})", line=True)
        return
    echo("\n".join(diff_text(shown.result).splitlines()[1:]))


def _quote(text: str) -> str:
    return safe(text, line=True)


def _colour_markers(text: str) -> str:
    """Inserted words green, deleted words red, the first line bold; the markers stay."""
    head, _, rest = text.partition("\n")
    rest = re.sub(r"\{\+.*?\+\}", lambda m: click.style(m.group(), fg="green"), rest, flags=re.S)
    rest = re.sub(r"\[-.*?-\]", lambda m: click.style(m.group(), fg="red"), rest, flags=re.S)
    return click.style(head, bold=True) + "\n" + rest
