"""The ``charta`` command: thin commands over the library.

Exit codes: 0 success, 1 a handled error or a check that found problems,
2 a usage error.  Documents go to stdout (or ``-o``), messages to stderr.
Nothing but click is imported at start-up: each command imports what it
needs, so that ``charta --help`` costs about what ``import click`` costs.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    import re

    from charta.checks import Report
    from charta.model import Charta, Reference

F = TypeVar("F", bound=Callable[..., Any])

LEVELS = ("info", "warning", "error")
JSON_SCHEMA_VERSION = 1
"""The version of the JSON that ``charta validate --format json`` prints."""


def _handle_errors(f: F) -> F:
    """The one place where a ChartaError becomes a message and exit code 1."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except Exception as exc:
            from charta.errors import ChartaError

            if not isinstance(exc, ChartaError):
                raise  # a bug: let it show its traceback
            for problem in exc.problems:
                text = str(problem)
                _echo(f"charta: {text}" if not problem.location.file else text, err=True, line=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# Texts in a charta may come from anyone.  A control character (an ANSI escape
# sequence, a carriage return), a bidirectional override (U+202E) or an
# invisible character (U+200B) must not reach the terminal and rewrite or
# disguise what it shows; in a line of its own (a problem, a file name) a
# newline must not start a forged line either.
_UNSAFE = (
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@functools.cache
def _unsafe(line: bool) -> re.Pattern[str]:
    import re  # compiled on first output, not at start-up

    return re.compile(r"[\t\n]|" + _UNSAFE if line else _UNSAFE)


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    if c in _NAMED:
        return _NAMED[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def safe(text: str, *, line: bool = False) -> str:
    """``text`` fit for a terminal: unsafe characters shown as escapes (``\\x1b``, ``\\u202e``).

    With ``line``, newlines and tabs are escaped too: the text is one line.
    """
    return _unsafe(line).sub(_escape, text)


def _echo(text: str, *, err: bool = False, nl: bool = True, line: bool = False) -> None:
    click.echo(safe(text, line=line), err=err, nl=nl)


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
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--fail-on",
    type=click.Choice(LEVELS),
    default="error",
    show_default=True,
    help="Exit 1 when a problem at or above this level is found.",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: the same as --fail-on warning."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem; json: every problem with code, level and place.",
)
@click.option(
    "--show",
    type=click.Choice(LEVELS),
    default="warning",
    show_default=True,
    help="Print problems at or above this level (text format); the summary counts the rest.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary lines.")
def validate(
    paths: tuple[str, ...], *, fail_on: str, strict: bool, fmt: str, show: str, quiet: bool
) -> None:
    """Check charta files: syntax, shape and meaning.

    Every problem is printed as FILE:LINE:COL: MESSAGE [KEY PATH] (CODE).
    Exits 1 when a file has a problem at or above --fail-on (errors by
    default), 0 otherwise.  `charta rules` lists every code.
    """
    from charta.errors import Level
    from charta.loading import validate as validate_path

    threshold = Level.WARNING if strict else Level(fail_on)
    shown = min(Level(show), threshold)  # what makes a file fail is always printed
    reports = [validate_path(path) for path in paths]
    failed = [bool(r.at_least(threshold)) for r in reports]
    if fmt == "json":
        _echo_json(_reports_json(reports, failed, threshold))
        sys.exit(1 if any(failed) else 0)
    for report, bad in zip(reports, failed, strict=True):
        for problem in report.at_least(shown):
            _echo(str(problem), line=True)
        if not quiet:
            _summary(report, bad, shown)
    sys.exit(1 if any(failed) else 0)


def _summary(report: Report, bad: bool, shown: Any) -> None:
    from charta.errors import Level

    counts = _counts(report)
    hidden = len(report.problems) - len(report.at_least(shown))
    if hidden:
        counts += f"; {hidden} not shown: --show info lists them"
    name = safe(str(report.file), line=True)
    if bad:
        click.secho(f"{name}: invalid ({counts})", fg="red", err=True, color=_color())
        return
    what = ""
    if report.charta is not None:
        n = report.charta.known_count
        what = f", {n} item{'s' if n != 1 else ''}"
    shown = f" ({counts})" if any(p.level is not Level.ERROR for p in report.problems) else ""
    click.secho(f"{name}: valid{what}{shown}", fg="green", err=True, color=_color())


def _counts(report: Report) -> str:
    parts = []
    for level in ("error", "warning", "info"):
        n = sum(1 for p in report.problems if p.level.value == level)
        if n:
            parts.append(f"{n} {level}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "no problems"


def _reports_json(reports: list[Report], failed: list[bool], threshold: Any) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA_VERSION,
        "fail-on": threshold.value,
        "ok": not any(failed),
        "files": [
            {
                "file": r.file,
                "ok": not bad,
                "items": r.charta.known_count if r.charta is not None else None,
                "problems": [p.to_dict() for p in r.problems],
            }
            for r, bad in zip(reports, failed, strict=True)
        ],
    }


def _echo_json(data: Any) -> None:
    import json

    # ensure_ascii keeps every control and invisible character escaped.
    click.echo(json.dumps(data, indent=2, ensure_ascii=True))


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
def rules(fmt: str) -> None:
    """List every rule: its code, default level, stage and what it asks."""
    from charta.rules import RULES, markdown_table

    if fmt == "markdown":
        click.echo(markdown_table(), nl=False)
    elif fmt == "json":
        _echo_json(
            {
                "schema": JSON_SCHEMA_VERSION,
                "rules": [
                    {
                        "code": r.code,
                        "level": r.level.value,
                        "stage": r.stage.value,
                        "summary": r.summary,
                    }
                    for r in RULES.values()
                ],
            }
        )
    else:
        width = max(len(code) for code in RULES)
        for r in RULES.values():
            click.echo(f"{r.code:<{width}}  {r.level.value:<7}  {r.stage.value:<7}  {r.summary}")


@main.command()
@_handle_errors
def sources() -> None:
    """List the installed source chartas."""
    from charta.adapters.text import sources_table
    from charta.loading import get_source
    from charta.registry import default_registry

    registry = default_registry()
    _echo(sources_table([get_source(i) for i in registry.ids()]))
    for conflict in registry.conflicts:
        _echo(f"charta: warning: {conflict}", err=True, line=True)


@main.command()
@click.argument("ref", metavar="SOURCE[#ITEM]")
@_handle_errors
def show(ref: str) -> None:
    """Show a charta, or one item of it, with its provenance.

    SOURCE is a source id (see `charta sources`) or a path to a charta file;
    add #ITEM-ID for one item, e.g. smart-city-charta#leitlinie-2-1.
    Commenters who did not consent are shown by pseudonym.
    """
    from charta.adapters.text import show_charta, show_item
    from charta.loading import open_charta
    from charta.model import Reference
    from charta.privacy import public_view
    from charta.references import find_item

    try:
        parsed = Reference.parse(ref)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc), line=True), param_hint="SOURCE[#ITEM]") from None
    if parsed.charta is None:
        raise click.BadParameter("name a source or a file before '#'", param_hint="SOURCE[#ITEM]")
    charta = public_view(open_charta(parsed.charta))
    describe = _describer(charta, parsed.charta if parsed.is_path else None)
    item = find_item(charta, parsed)
    if item is None:
        _echo(show_charta(charta, describe))
        return
    _echo(show_item(charta, item, describe))


def _describer(charta: Charta, base: str | None) -> Callable[[Reference], str]:
    """The title of what a derivation points at, or "" when it does not resolve."""
    from charta.errors import ChartaError
    from charta.loading import default_sources
    from charta.references import lookup

    def describe(ref: Reference) -> str:
        try:
            target, item = lookup(default_sources(), ref, base=base, here=charta)
        except ChartaError:
            return ""
        return item.title if item is not None else target.title

    return describe


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to a file ('-' for standard output).",
)
@_handle_errors
def schema(output: str | None) -> None:
    """Print the JSON Schema of the charta file format."""
    import json

    from charta.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    _write(output, text)


def _write(output: str | None, text: str, *, toml: bool = False) -> None:
    """A document to standard output (no -o, or -o -) or, atomically, to a file."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from pathlib import Path

    from charta.adapters.files import write_atomic

    write_atomic(Path(output), text, toml=toml)
    _echo(f"wrote {output}", err=True, line=True)
