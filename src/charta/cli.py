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


def _handle_errors(f: F, exit_code: int = 1) -> F:
    """The one place where a ChartaError becomes a message and an exit code (1 by default)."""

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
            sys.exit(exit_code)

    return wrapper  # type: ignore[return-value]


def _input_errors_exit_2(f: F) -> F:
    """For commands whose exit 1 means "found what you asked to fail on" (diff)."""
    return _handle_errors(f, exit_code=2)


# Texts in a charta may come from anyone.  A control character (an ANSI escape
# sequence, a carriage return), a bidirectional override (U+202E) or an
# invisible character (U+200B) must not reach the terminal and rewrite or
# disguise what it shows; in a line of its own (a problem, a file name) a
# newline must not start a forged line either.
_UNSAFE = (
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
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
    from charta.errors import ChartaError
    from charta.loading import get_source
    from charta.registry import default_registry

    registry = default_registry()
    found, broken = [], []
    for source_id in registry.ids():
        try:
            found.append(get_source(source_id))
        except ChartaError as exc:  # one broken plug-in must not hide the others
            broken.append(f"charta: source '{source_id}' cannot be used: {exc.problems[0]}")
    _echo(sources_table(found))
    for conflict in registry.conflicts:
        _echo(f"charta: warning: {conflict}", err=True, line=True)
    for line in broken:
        _echo(line, err=True, line=True)
    if broken:
        sys.exit(1)


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
    charta = public_view(open_charta(parsed.charta, personal=True))
    describe = _describer(charta, parsed.charta if parsed.is_path else None)
    gone = charta.merged_away_record(parsed.item) if parsed.item else None
    if gone is not None:  # a principle merged away: as it last was, and where it went
        _echo(
            show_item(charta, gone.as_item(), describe)
            + f"\nmerged into {gone.merged_into}"
            + (f" ({gone.date})" if gone.date else "")
            + (f": {gone.reason}" if gone.reason else "")
        )
        return
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
@_input_errors_exit_2
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
    from charta.diffing import run_diff

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
    from charta.adapters import difftext

    if fmt == "json":
        click.echo(difftext.diff_json(result), nl=False)  # ASCII: every character escaped
    elif fmt == "markdown":
        _echo(difftext.diff_markdown(result), nl=False)
    else:
        # Escape what came from the files first, then colour the markers: the
        # colour codes are charta's own and must reach the terminal as codes.
        text = safe(difftext.diff_text(result))
        if _color() is not False and sys.stdout.isatty():
            text = _colour_markers(text)
        click.echo(text, nl=False, color=_color() is not False)
    from charta.errors import Level

    if exit_code and result.differences:
        sys.exit(1)
    if fail_on and result.at_least(Level(fail_on)):
        sys.exit(1)


def _git_diff(args: tuple[str, ...]) -> None:
    """``git diff`` with ``diff.charta.command = charta diff --git``: the semantic diff.

    git passes PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE (and two
    more on a rename).  A file that is added or deleted, or a version that is
    not a valid charta, is said in one line; git's own diff is not replaced
    by an error, since a failing driver stops ``git diff`` altogether.
    """
    from charta.errors import ChartaError

    if len(args) not in (7, 9):
        raise click.UsageError("--git is for git: PATH OLD-FILE HEX MODE NEW-FILE HEX MODE")
    path, old, new = args[0], args[1], args[4]
    click.echo(f"charta diff {_quote(path)}")
    if old == "/dev/null" or new == "/dev/null":
        click.echo("(the file is new)" if old == "/dev/null" else "(the file is deleted)")
        return
    from charta.adapters.difftext import diff_text
    from charta.diffing import run_diff

    try:
        # Both versions are read as the file at PATH: relative references resolve
        # from its folder in the work tree, not from git's temporary copies.
        result = run_diff([old, new], read_as=[path, path])
    except ChartaError as exc:
        _echo(f"(no semantic diff: {exc.problems[0].message})", line=True)
        return
    # Both versions were read as PATH: locations name it, never git's copies.
    _echo("\n".join(diff_text(result).splitlines()[1:]))


def _quote(text: str) -> str:
    return safe(text, line=True)


def _colour_markers(text: str) -> str:
    """Inserted words green, deleted words red, the first line bold; the markers stay."""
    import re

    head, _, rest = text.partition("\n")
    rest = re.sub(r"\{\+.*?\+\}", lambda m: click.style(m.group(), fg="green"), rest, flags=re.S)
    rest = re.sub(r"\[-.*?-\]", lambda m: click.style(m.group(), fg="red"), rest, flags=re.S)
    return click.style(head, bold=True) + "\n" + rest


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
@_handle_errors
def schema(output: str | None, what: str) -> None:
    """Print a JSON Schema: of the charta file format, or of `charta diff` JSON."""
    import json

    if what == "diff":
        from charta.adapters.difftext import json_schema as diff_schema

        data = diff_schema()
    else:
        from charta.schema import json_schema

        data = json_schema()
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    _write(output, text)


@main.command()
@click.argument("path", metavar="CHARTA")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "toml", "json", "markdown", "prov-json", "prov-n"]),
    default="html",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file, atomically ('-' or none: standard output).",
)
@click.option("--lang", type=click.Choice(["de", "en"]), help="Language of the page's own words.")
@click.option("--fragment", is_flag=True, help="HTML without <html>/<head>, for a CMS.")
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False),
    help="Folder with the town's own templates (page.html, charta.css).",
)
@click.option("--settings", "settings_file", metavar="FILE", help="Settings file (TOML).")
@click.option(
    "--link", "links", multiple=True, metavar="LABEL=URL", help="A footer link; repeatable."
)
@click.option(
    "--internal",
    is_flag=True,
    help="Name the commenters (html, markdown): for the office, never to publish.",
)
@_handle_errors
def render(
    path: str,
    *,
    fmt: str,
    output: str | None,
    lang: str | None,
    fragment: bool,
    template_dir: str | None,
    settings_file: str | None,
    links: tuple[str, ...],
    internal: bool,
) -> None:
    """Render a charta for the public: HTML, TOML, JSON, Markdown or W3C PROV.

    Every format shows commenters by pseudonym unless they consented, and
    never an email.

    \b
      charta render leitmotive.toml -o leitmotive.html
      charta render leitmotive.toml --format markdown
      charta render leitmotive.toml --format prov-json -o provenance.json
    """
    from charta.rendering import render as run

    if fragment and fmt != "html":
        raise click.UsageError("--fragment goes with --format html")
    from pathlib import Path

    read: list[Path] = []
    text = run(
        path,
        fmt,
        settings_file=settings_file,
        lang=lang,
        template_dir=template_dir,
        links=links,
        fragment=fragment,
        read=read,
        internal=internal,
    )
    _write(output, text, toml=fmt == "toml", inputs=tuple(map(str, read)))


@main.command()
@click.option("--town", required=True, help="The town's name, e.g. Musterstadt.")
@click.option(
    "--from",
    "sources",
    multiple=True,
    required=True,
    metavar="SOURCE",
    help="A source id or another town's file; repeatable.",
)
@click.option(
    "--item",
    "items",
    multiple=True,
    metavar="ID",
    help="Take only this source item (ID or SOURCE#ID); repeatable. Default: every top-level item.",
)
@click.option("--id", "charta_id", help="The new charta's id (default: TOWN-leitmotive).")
@click.option("--title", help="The new charta's title.")
@click.option("--language", default="de", show_default=True, help="The charta's language.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file ('-' or none: standard output).",
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
@_handle_errors
def new(
    *,
    town: str,
    sources: tuple[str, ...],
    items: tuple[str, ...],
    charta_id: str | None,
    title: str | None,
    language: str,
    output: str | None,
    force: bool,
) -> None:
    """Start a town's own charta from sources: a valid draft to rewrite.

    \b
      charta new --town Musterstadt --from smart-city-charta --from digitalakademie-bw \\
          -o musterstadt.toml
      charta new --town Musterstadt --from examples/sindelfingen/leitmotive.toml -o m.toml
    """
    from pathlib import Path

    from charta.derive import Source, check_id, draft_toml, new_charta, source_name
    from charta.loading import open_charta, validate_text

    if output in _STDOUT:
        output = "-"
    target = output if output not in (None, "-") else "charta.toml"
    # A device or pipe is written into, not replaced: no --force needed.
    if output not in (None, "-") and Path(target).is_file() and not force:
        raise click.UsageError(f"{target} exists: use --force to replace it, or another name")
    if charta_id is not None:
        check_id(charta_id)
    chosen = [Source(open_charta(name), source_name(name, target), name) for name in sources]
    charta = new_charta(
        town, chosen, items=items, charta_id=charta_id, title=title, language=language
    )
    text = draft_toml(charta, town, chosen)
    report = validate_text(text, str(Path(target).resolve()))
    if not report.ok:  # pragma: no cover - a draft charta makes is valid; guard it anyway
        from charta.errors import ValidationError

        raise ValidationError(report.problems)
    _write(
        output, text, toml=True, inputs=tuple(s for s in sources if "/" in s or s.endswith(".toml"))
    )


def _check_texts() -> None:
    """Arguments that are not UTF-8 (a shell passing Latin-1 bytes) are refused, named."""
    for arg in sys.argv[1:]:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "replace").decode("utf-8")
            raise click.UsageError(
                f"an argument is not UTF-8 text: {safe(shown, line=True)[:60]!s}; "
                "set your terminal to UTF-8"
            ) from None


def _split_ref(target: str, what: str) -> tuple[str, str]:
    path, sep, item = target.rpartition("#")
    if not sep or not path or not item:
        raise click.BadParameter(
            "write FILE#ITEM, e.g. leitmotive.toml#vorne-dabei", param_hint=what
        )
    return path, item


def _date(text: str | None) -> Any:
    from charta.model import PartialDate

    if text is None:
        import datetime

        today = datetime.date.today()
        return PartialDate(today.year, today.month, today.day)
    try:
        return PartialDate.from_iso(text)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc), line=True), param_hint="--date") from None


def _edited(path: str, change: Any) -> None:
    from charta.editing import edit_file

    _check_texts()
    edit_file(path, change)
    _echo(f"changed {path}", err=True, line=True)


@main.command()
@click.argument("target", metavar="FILE#ITEM")
@click.option("--text", help="The new text.")
@click.option(
    "--text-file", type=click.File(encoding="utf-8"), help="Read the new text from a file."
)
@click.option("--title", help="The new title.")
@click.option("--reason", default="", help="Why it changed (recorded in the revision).")
@click.option("--date", "date_text", metavar="DATE", help="When (default: today).")
@click.option("--caused-by", multiple=True, metavar="ID", help="A comment or response id.")
@_handle_errors
def adapt(
    target: str,
    *,
    text: str | None,
    text_file: Any,
    title: str | None,
    reason: str,
    date_text: str | None,
    caused_by: tuple[str, ...],
) -> None:
    """Reword a principle; the change is recorded as a revision, its links stay."""
    from charta import operations

    path, item = _split_ref(target, "FILE#ITEM")
    if text_file is not None:
        text = text_file.read().strip("\n")
    if text is None and title is None:
        raise click.UsageError("give --text, --text-file or --title")
    from charta.personal import refuse_names

    refuse_names(path, (reason,), wording=(text or "", title or ""))
    date = _date(date_text)
    _edited(
        path,
        lambda c: operations.adapt(
            c, item, text=text, title=title, date=date, reason=reason, caused_by=caused_by
        ),
    )


@main.command()
@click.argument("path", metavar="FILE")
@click.argument("ids", nargs=-1, required=True, metavar="ITEM ITEM...")
@click.option("--into", help="The id that stays (default: the first).")
@click.option("--title", help="The merged principle's title.")
@click.option("--text", help="The merged principle's text.")
@click.option("--reason", default="", help="Why (recorded with the merge).")
@click.option("--date", "date_text", metavar="DATE", help="When (default: today).")
@click.option("--caused-by", multiple=True, metavar="ID", help="A comment or response id.")
@_handle_errors
def merge(
    path: str,
    ids: tuple[str, ...],
    *,
    into: str | None,
    title: str | None,
    text: str | None,
    reason: str,
    date_text: str | None,
    caused_by: tuple[str, ...],
) -> None:
    """Merge principles into one: it keeps all their links.

    The others leave the items for [[merged-away]], with their wording, links
    and history, and the date and reason of the merge.
    """
    from charta import operations
    from charta.personal import refuse_names

    refuse_names(path, (reason,), wording=(text or "", title or ""))
    date = _date(date_text)
    _edited(
        path,
        lambda c: operations.merge(
            c,
            ids,
            into=into,
            title=title,
            text=text,
            date=date,
            reason=reason,
            caused_by=caused_by,
        ),
    )


@main.command()
@click.argument("path", metavar="FILE")
@click.argument("source_item", metavar="SOURCE#ITEM")
@click.option("--reason", required=True, help="Why the town leaves it out.")
@_handle_errors
def omit(path: str, source_item: str, reason: str) -> None:
    """Record that a source item is left out on purpose, and why."""
    from charta import operations
    from charta.personal import refuse_names

    ref = _reference(source_item, path)
    refuse_names(path, (reason,))
    _edited(path, lambda c: operations.omit(c, ref, reason))


def _reference(text: str, file: str) -> Any:
    """SOURCE#ITEM from the command line; a path in it is made relative to ``file``'s folder,
    as references in a charta file are."""
    import attrs

    from charta.derive import source_name
    from charta.model import Reference, is_path

    try:
        ref = Reference.parse(text)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc), line=True), param_hint="SOURCE#ITEM") from None
    if ref.charta is None or ref.item is None:
        raise click.BadParameter("write SOURCE#ITEM, e.g. smart-city-charta#leitbild-2")
    if is_path(ref.charta):
        ref = attrs.evolve(ref, charta=source_name(ref.charta, file))
    return ref


@main.command()
@click.argument("target", metavar="FILE#ITEM")
@click.argument("source_item", metavar="SOURCE#ITEM")
@click.option(
    "--relation",
    type=click.Choice(["adopted", "adapted", "merged", "extended", "inspired-by", "corresponds"]),
    required=True,
)
@click.option(
    "--confidence",
    type=click.Choice(["high", "medium", "low"]),
    default="medium",
    show_default=True,
)
@click.option(
    "--by",
    "asserted_by",
    type=click.Choice(["issuer", "record-keeper"]),
    default="issuer",
    show_default=True,
    help="Who states the link: the town itself, or you reading its texts.",
)
@click.option("--stated-at", default="", help="Where the town states it (with --by issuer).")
@click.option("--note", default="", help="Why you see the link.")
@_handle_errors
def link(
    target: str,
    source_item: str,
    *,
    relation: str,
    confidence: str,
    asserted_by: str,
    stated_at: str,
    note: str,
) -> None:
    """Link a principle to the source item it comes from."""
    from charta import operations
    from charta.model import Assertion, Confidence, Relation
    from charta.personal import refuse_names

    path, item = _split_ref(target, "FILE#ITEM")
    ref = _reference(source_item, path)
    refuse_names(path, (note, stated_at))
    _edited(
        path,
        lambda c: operations.link(
            operations.base_on(c, ref, asserted_by=Assertion(asserted_by)),
            item,
            ref,
            Relation(relation),
            confidence=Confidence(confidence),
            asserted_by=Assertion(asserted_by),
            stated_at=stated_at,
            note=note,
        ),
    )


@main.command()
@click.argument("path", metavar="FILE")
@click.option(
    "--against",
    multiple=True,
    metavar="SOURCE",
    help="A source to suggest from; repeatable. Default: the based-on sources, else both built-in.",
)
@click.option("--top", type=click.IntRange(1, 20), default=3, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--write",
    is_flag=True,
    help="Add the suggestions to the file as links 'inspired-by', inferred, to be checked.",
)
@_handle_errors
def suggest(path: str, *, against: tuple[str, ...], top: int, fmt: str, write: bool) -> None:
    """Suggest source items for the principles that have no recorded source."""
    import json

    from charta.derive import source_name
    from charta.loading import default_sources, open_charta, source_ids
    from charta.model import is_path
    from charta.suggest import suggest as run

    charta = open_charta(path)
    # Names from --against are typed from here; names in based-on are relative to the file.
    # Either way the file writes a source as it names it: an id, or a path from its folder.
    named: list[tuple[str, str | None]] = [(n, None) for n in against]
    named = named or [(str(b.source.charta), path) for b in charta.based_on if b.source.charta]
    named = named or [(n, None) for n in source_ids()]
    sources = [default_sources().resolve(n, base) for n, base in named]
    written_as = {
        s.id: (n if base is not None or not is_path(n) else source_name(n, path))
        for s, (n, base) in zip(sources, named, strict=True)
    }
    found = run(charta, sources, top=top)
    if fmt == "json":
        data = {
            item: [
                {"source": s.source, "title": s.title, "score": s.score, "shared": list(s.shared)}
                for s in ss
            ]
            for item, ss in found.items()
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=True))
    else:
        lines = []
        for item, ss in found.items():
            lines.append(f"{item}:")
            lines += [
                f"  {s.score:6.2f}  {s.source}  „{s.title}“  shared: {', '.join(s.shared)}"
                for s in ss
            ] or ["  (nothing shared with the sources)"]
        if not any(True for _ in charta.walk()):
            _echo(f"{path} has no principles to suggest sources for")
        else:
            _echo("\n".join(lines) if lines else "every principle already has a source")
    if write and found:
        from charta import operations
        from charta.model import Assertion, Derivation, Reference, Relation
        from charta.suggest import confidence_of

        def change(c: Any) -> Any:
            links = []
            for ss in found.values():
                for s in ss:
                    source_id, _, item_id = s.source.partition("#")
                    ref = Reference(charta=written_as.get(source_id, source_id), item=item_id)
                    links.append(
                        (
                            s.item_id,
                            Derivation(
                                ref=ref,
                                relation=Relation.INSPIRED_BY,
                                confidence=confidence_of(s.score),
                                asserted_by=Assertion.RECORD_KEEPER,
                                note=f"Suggested by charta suggest (score {s.score}; shared: "
                                f"{', '.join(s.shared)}). Check it: confirm, change or delete.",
                            ),
                        )
                    )
            for name in dict.fromkeys(written_as.values()):
                if any(d.ref.charta == name for _, d in links):
                    c = operations.base_on(c, Reference(charta=name))
            return operations.link_many(c, links)  # one pass: linear in the file

        _edited(path, change)


@main.command()
@click.argument("target", metavar="FILE#ITEM")
@click.argument("label")
@_handle_errors
def renumber(target: str, label: str) -> None:
    """Give a principle a new display number; its id, links and anchors stay."""
    from charta import operations

    path, item = _split_ref(target, "FILE#ITEM")
    _edited(path, lambda c: operations.renumber(c, item, label))


@main.command()
@click.argument("target", metavar="CHARTA#ITEM")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "prov-json"]),
    default="text",
    show_default=True,
)
@_handle_errors
def trace(target: str, fmt: str) -> None:
    """Follow a principle back through its revisions and sources, town by town."""
    import json

    from charta.loading import default_sources, open_charta
    from charta.model import is_path
    from charta.trace import trace as run
    from charta.trace import trace_json, trace_text

    path, item = _split_ref(target, "CHARTA#ITEM")
    chain = run(
        open_charta(path, personal=True),
        item,
        default_sources(),
        base=path if is_path(path) else None,
    )
    if fmt == "json":
        click.echo(json.dumps(trace_json(chain), indent=2, ensure_ascii=True))
    elif fmt == "prov-json":
        from charta.trace import trace_prov

        click.echo(trace_prov(chain), nl=False)
    else:
        _echo(trace_text(chain), nl=False)


# Names of standard output: written to as with "-", never replaced by a file
# (when the shell sends standard output to a file, that file is not an output
# charta may rename over).
_STDOUT = frozenset({"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def _write(
    output: str | None,
    text: str,
    *,
    toml: bool = False,
    inputs: tuple[str | None, ...] = (),
) -> None:
    """A document to standard output (no -o, or -o -) or, atomically, to a file."""
    if output is None or output == "-" or output in _STDOUT:
        click.echo(text, nl=False)
        return
    from pathlib import Path

    from charta.adapters.files import write_atomic

    write_atomic(Path(output), text, toml=toml, inputs=[Path(p) for p in inputs if p])
    _echo(f"wrote {output}", err=True, line=True)


# The consultation commands live in their own module; importing it adds the group.
from charta import cli_consult  # noqa: E402, F401
