"""``charta validate``, ``charta rules``, ``charta schema``: checking files and the rules."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from charta.check.checker import Report

from charta.cli.base import (
    JSON_SCHEMA_VERSION,
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
    from charta.check.loading import validate as validate_path
    from charta.errors import Level

    threshold = Level.WARNING if strict else Level(fail_on)
    shown = min(Level(show), threshold)  # what makes a file fail is always printed
    reports = [validate_path(path) for path in paths]
    failed = [bool(r.at_least(threshold)) for r in reports]
    if fmt == "json":
        echo_json(_reports_json(reports, failed, threshold))
        sys.exit(1 if any(failed) else 0)
    for report, bad in zip(reports, failed, strict=True):
        for problem in report.at_least(shown):
            echo(str(problem), line=True)
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


def echo_json(data: Any) -> None:
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
        echo_json(
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
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to a file ('-' for standard output).",
)
@click.option(
    "--for",
    "what",
    type=click.Choice(["charta", "json", "diff"]),
    default="charta",
    show_default=True,
    help="charta: the file format (TOML), which is also the schema of `charta render "
    "--format json` (json); diff: the output of `charta diff --format json`.",
)
@handle_errors
def schema(output: str | None, what: str) -> None:
    """Print a JSON Schema: of the charta file format, or of `charta diff` JSON."""
    import json

    if what == "diff":
        from charta.diff.json import json_schema as diff_schema

        data = diff_schema()
    else:
        from charta.adapters.schema import json_schema

        data = json_schema()
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_output(output, text)
