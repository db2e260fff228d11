"""What every ``charta`` command shares: the group, errors, safe output, files.

Exit codes: 0 success, 1 a handled error or a check that found problems,
2 a usage error.  Documents go to stdout (or ``-o``), messages to stderr.
Nothing but click is imported at start-up: each command imports what it
needs, so that ``charta --help`` costs about what ``import click`` costs.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

LEVELS = ("info", "warning", "error")


def handle_errors(f: F, exit_code: int = 1) -> F:
    """The one place where a ChartaError becomes a message and an exit code (1 by default)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except Exception as exc:
            from charta.errors import ChartaError  # lazy: the model costs start-up time

            if not isinstance(exc, ChartaError):
                raise  # a bug: let it show its traceback
            for problem in exc.problems:
                text = str(problem)
                echo(f"charta: {text}" if not problem.location.file else text, err=True, line=True)
            sys.exit(exit_code)

    return wrapper  # type: ignore[return-value]


def input_errors_exit_2(f: F) -> F:
    """For commands whose exit 1 means "found what you asked to fail on" (diff)."""
    return handle_errors(f, exit_code=2)


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


def echo(text: str, *, err: bool = False, nl: bool = True, line: bool = False) -> None:
    click.echo(safe(text, line=line), err=err, nl=nl)


def color() -> bool | None:
    # NO_COLOR (no-color.org) wins; otherwise click strips colour when not a TTY.
    return False if os.environ.get("NO_COLOR") else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="charta", message="charta %(version)s")
def main() -> None:
    """charta: municipal digital principles with provenance.

    Model a town's Leitmotive and the source chartas they come from,
    check them, and (in later versions) diff and render them.
    """
    _print_notices()


def _print_notices() -> None:
    """What the library logs beyond the result (an interrupted write completed),
    on stderr as a line of its own."""
    import logging  # lazy: 7 ms, not for `charta --help`

    class Notices(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            echo(f"charta: {record.getMessage()}", err=True, line=True)

    logger = logging.getLogger("charta")
    if not any(type(h).__name__ == "Notices" for h in logger.handlers):
        logger.addHandler(Notices(logging.WARNING))
        logger.propagate = False


def check_texts() -> None:
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


def split_ref(target: str, what: str) -> tuple[str, str]:
    path, sep, item = target.rpartition("#")
    if not sep or not path or not item:
        raise click.BadParameter(
            "write FILE#ITEM, e.g. leitmotive.toml#vorne-dabei", param_hint=what
        )
    return path, item


def parse_date(text: str | None) -> Any:
    from charta.model import PartialDate  # lazy: the model costs start-up time

    if text is None:
        today = datetime.date.today()
        return PartialDate(today.year, today.month, today.day)
    try:
        return PartialDate.from_text(text)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc), line=True), param_hint="--date") from None


def parse_reference(text: str, file: str) -> Any:
    """SOURCE#ITEM from the command line; a path in it is made relative to ``file``'s folder,
    as references in a charta file are."""
    # lazy: attrs, the model and the sources cost start-up time
    import attrs

    from charta.derive.new import source_name
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


# Names of standard output: written to as with "-", never replaced by a file
# (when the shell sends standard output to a file, that file is not an output
# charta may rename over).
STDOUT = frozenset({"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def write_output(
    output: str | None,
    text: str,
    *,
    toml: bool = False,
    inputs: tuple[str | None, ...] = (),
) -> None:
    """A document to standard output (no -o, or -o -) or, atomically, to a file."""
    if output is None or output == "-" or output in STDOUT:
        click.echo(text, nl=False)
        return
    # lazy: only when a file is written
    from pathlib import Path

    from charta.adapters.files import write_atomic

    write_atomic(Path(output), text, toml=toml, inputs=[Path(p) for p in inputs if p])
    echo(f"wrote {output}", err=True, line=True)
