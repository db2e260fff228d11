"""The ``charta`` command: thin commands over the library.

Exit codes: 0 success, 1 a handled error or a check that found problems,
2 a usage error.  Documents go to stdout (or ``-o``), messages to stderr.
Nothing heavy is imported at start-up: each command imports what it needs.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from charta.errors import ChartaError

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(f: F) -> F:
    """The one place where a ChartaError becomes a message and exit code 1."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except ChartaError as exc:
            for problem in exc.problems:
                _echo(f"charta: {problem}" if not problem.location.file else str(problem), err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# Texts in a charta may come from anyone; a control character (an ANSI escape
# sequence, a carriage return) must not reach the terminal and rewrite it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), newlines and tabs kept."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    click.echo(_safe(text), err=err, nl=nl)


def _color() -> bool | None:
    # NO_COLOR (no-color.org) wins; otherwise click strips colour when not a TTY.
    return False if os.environ.get("NO_COLOR") else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="charta", message="charta %(version)s")
def main() -> None:
    """charta: municipal digital principles with provenance.

    Model a town's Leitmotive and the source chartas they come from,
    check them, and (in later versions) diff and render them.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=True))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary lines.")
def validate(paths: tuple[Path, ...], strict: bool, quiet: bool) -> None:
    """Check charta files: syntax, shape and meaning.

    Every problem is printed as FILE:LINE:COL: MESSAGE.  Exits 1 when a file
    has problems, 0 when all are valid.
    """
    from charta.loading import validate as validate_path

    failed = False
    for path in paths:
        report = validate_path(path)
        for problem in report.problems:
            _echo(str(problem))
        bad = bool(report.errors) or (strict and bool(report.warnings))
        failed = failed or bad
        if not quiet:
            counts = _counts(len(report.errors), len(report.warnings))
            if bad:
                click.secho(
                    _safe(f"{path}: invalid ({counts})"), fg="red", err=True, color=_color()
                )
            else:
                what = ""
                if report.charta is not None:
                    n = report.charta.known_count
                    what = f", {n} item{'s' if n != 1 else ''}"
                click.secho(
                    _safe(f"{path}: valid{what}" + (f" ({counts})" if report.warnings else "")),
                    fg="green",
                    err=True,
                    color=_color(),
                )
    sys.exit(1 if failed else 0)


def _counts(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) or "no problems"


@main.command()
@_handle_errors
def sources() -> None:
    """List the installed source chartas."""
    from charta.adapters.text import sources_table
    from charta.registry import default_registry

    registry = default_registry()
    _echo(sources_table([registry.get(i) for i in registry.ids()]))
    for conflict in registry.conflicts:
        _echo(f"charta: warning: {conflict}", err=True)


@main.command()
@click.argument("ref", metavar="SOURCE[#ITEM]")
@_handle_errors
def show(ref: str) -> None:
    """Show a charta, or one item of it, with its provenance.

    SOURCE is a source id (see `charta sources`) or a path to a charta file;
    add #ITEM-ID for one item, e.g. smart-city-charta#leitlinie-2-1.
    """
    from charta.adapters.text import show_charta, show_item
    from charta.model import Reference
    from charta.registry import find_item

    try:
        parsed = Reference.parse(ref)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SOURCE[#ITEM]") from None
    if parsed.charta is None:
        raise click.BadParameter("name a source or a file before '#'", param_hint="SOURCE[#ITEM]")
    charta = _load_checked(parsed.charta)
    item = find_item(charta, parsed)
    if item is None:
        _echo(show_charta(charta))
        return
    _echo(show_item(charta, item))


def _load_checked(name: str) -> Any:
    from charta.model import is_path

    if is_path(name):
        from charta.loading import load

        return load(name)
    from charta.registry import default_registry

    return default_registry().get(name)


@main.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file."
)
@_handle_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the charta file format."""
    import json

    from charta.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        from charta.adapters.files import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
