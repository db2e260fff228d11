"""``charta validate``, ``charta rules``, ``charta schema``: checking files and the rules."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from charta.check.checker import Report

from charta.cli.base import (
    LEVELS,
    color,
    echo,
    handle_errors,
    main,
    safe,
    write_output,
)


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
    # lazy: charta --help must not load the reader and the checker
    from charta.check.run import validate_files
    from charta.errors import Level

    threshold = Level.WARNING if strict else Level(fail_on)
    shown = min(Level(show), threshold)  # what makes a file fail is always printed
    result = validate_files(paths, fail_on=threshold)
    if fmt == "json":
        click.echo(result.json(), nl=False)
        sys.exit(0 if result.ok else 1)
    for report in result.reports:
        for problem in report.at_least(shown):
            echo(str(problem), line=True)
        if not quiet:
            _summary(report, result.failed(report), shown)
    sys.exit(0 if result.ok else 1)


def _summary(report: Report, bad: bool, shown: Any) -> None:
    from charta.errors import Level  # lazy: the model costs start-up time

    counts = _counts(report)
    hidden = len(report.problems) - len(report.at_least(shown))
    if hidden:
        counts += f"; {hidden} not shown: --show info lists them"
    name = safe(str(report.file), line=True)
    if bad:
        click.secho(f"{name}: invalid ({counts})", fg="red", err=True, color=color())
        return
    what = ""
    if report.charta is not None:
        n = report.charta.known_count
        what = f", {n} item{'s' if n != 1 else ''}"
    shown = f" ({counts})" if any(p.level is not Level.ERROR for p in report.problems) else ""
    click.secho(f"{name}: valid{what}{shown}", fg="green", err=True, color=color())


def _counts(report: Report) -> str:
    parts = []
    for level in ("error", "warning", "info"):
        n = sum(1 for p in report.problems if p.level.value == level)
        if n:
            parts.append(f"{n} {level}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "no problems"


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
    from charta.rules import RULES, markdown_table  # lazy: start-up time

    if fmt == "markdown":
        click.echo(markdown_table(), nl=False)
    elif fmt == "json":
        from charta.check.run import rules_json  # lazy: cattrs only for JSON

        click.echo(rules_json(), nl=False)
    else:
        width = max(len(code) for code in RULES)
        for r in RULES.values():
            click.echo(f"{r.code:<{width}}  {r.level.value:<7}  {r.stage.value:<7}  {r.summary}")


# What `charta schema --for KIND` prints: the library function that makes each schema.
_SCHEMAS = {
    "charta": ("charta.adapters.schema", "json_schema"),
    "json": ("charta.adapters.schema", "json_schema"),
    "validate": ("charta.check.run", "validation_schema"),
    "rules": ("charta.check.run", "rules_schema"),
    "diff": ("charta.diff", "json_schema"),
    "trace": ("charta.derive.trace", "trace_schema"),
    "suggest": ("charta.derive.files", "suggestions_schema"),
    "report": ("charta.consult.report", "report_schema"),
}


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to a file ('-' for standard output).",
)
@click.option(
    "--for",
    "what",
    type=click.Choice(list(_SCHEMAS)),
    default="charta",
    show_default=True,
    help="charta: the file format (TOML), which is also the schema of `charta render "
    "--format json` (json); validate, rules, diff, trace, suggest, report: the JSON "
    "those commands print with --format json.",
)
@handle_errors
def schema(output: str | None, what: str) -> None:
    """Print a JSON Schema: of the charta file format, or of a command's JSON."""
    module, function = _SCHEMAS[what]
    data = getattr(importlib.import_module(module), function)()
    from charta.adapters.json import schema_text  # lazy: cattrs and the schema maker

    write_output(output, schema_text(data))
