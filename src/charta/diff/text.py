"""The diff for a terminal: one block per change, words marked ``[-alt-]{+neu+}``.

Inserted and deleted words are marked with text markers, never by colour
alone (as ``git diff --word-diff=plain``).  The command line colours the
markers on a terminal, after escaping what came from the files.
"""

from __future__ import annotations

import textwrap

from charta.adapters.text import one_line
from charta.diff.model import Cause, Diff
from charta.diff.words import Op, Piece, changed, glue

__all__ = ["diff_text", "words_text"]


def words_text(pieces: tuple[Piece, ...]) -> str:
    """``alt [-weg-]{+neu+}``: the markers of ``git diff --word-diff=plain``."""
    shown = []
    for p in pieces:
        if p.op is Op.INSERT:
            shown.append("{+" + p.text + "+}")
        elif p.op is Op.DELETE:
            shown.append("[-" + p.text + "-]")
        else:
            shown.append(p.text)
    return glue(pieces, shown)


_WIDTH = 88


def _wrapped(text: str, indent: str = "    ") -> list[str]:
    """``text`` on lines of at most 88 characters; words (and markers) never broken."""
    return textwrap.wrap(
        one_line(text),
        _WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def diff_text(diff: Diff) -> str:
    """The diff for a terminal: one block per change, words marked ``[-…-]{+…+}``."""
    lines = [f"charta diff ({diff.comparison}): {diff.old} -> {diff.new}"]
    for cov in diff.coverage:
        lines += _wrapped(
            f"coverage of {cov.source}: {cov.addressed} addressed {cov.basis} "
            f"({cov.derived} taken, {cov.covered_elsewhere} covered elsewhere, "
            f"{cov.omitted} omitted, {cov.not_addressed} not addressed)",
            "",
        )
    for note in diff.notes:
        lines += _wrapped(f"note: {note}", "")
    if not diff.changes:
        lines.append("no differences")
    for change in diff.changes:
        lines.append("")
        head = f"{change.level.value:<7} {change.change_class.value:<17} "
        lines += textwrap.wrap(
            one_line(change.message),
            _WIDTH,
            initial_indent=head,
            subsequent_indent=" " * len(head),
            break_on_hyphens=False,
            break_long_words=False,
        )
        if change.words and not changed(change.words):
            lines.append("    (the same wording)")
        elif change.words:
            lines += _wrapped(words_text(change.words))
        if change.note:
            lines += _wrapped(f"({change.note})")
        for cause in change.causes:
            lines += _cause_lines(cause)
        where = ", ".join(dict.fromkeys(str(loc) for loc in change.locations if loc.file))
        lines.append(f"    [{change.fingerprint}]" + (f" at {where}" if where else ""))
    return "\n".join(lines) + "\n"


def _cause_lines(cause: Cause) -> list[str]:
    out = []
    if cause.reason:
        when = f" ({cause.date})" if cause.date else ""
        out += _wrapped(f"because: {cause.reason}{when}")
    if cause.comment_id:
        out += _wrapped(f"comment {cause.comment_id} by {cause.comment_by}: „{cause.comment_text}“")
    if cause.response_id:
        out += _wrapped(
            f"response {cause.response_id} by {cause.response_by} ({cause.decision}): "
            f"„{cause.response_text}“"
        )
    return out
