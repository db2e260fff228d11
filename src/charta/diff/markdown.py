"""The diff in Markdown: for a merge-request comment or a council paper.

Every text from the files is escaped (:func:`charta.adapters.markdown.md`).
Inserted and deleted words are marked with signs, never by colour alone:
``~~− alt~~ **＋ neu**``.  :func:`words_markdown` writes any word
difference so: the page's Markdown and the weighing table use it too.
"""

from __future__ import annotations

from charta.adapters.markdown import md
from charta.diff.model import Diff
from charta.diff.words import Op, Piece, glue

__all__ = ["diff_markdown", "words_markdown"]


def diff_markdown(diff: Diff) -> str:
    """For a merge-request comment or a council paper."""
    lines = [f"## charta diff: {md(diff.old)} → {md(diff.new)}", ""]
    if diff.coverage:
        lines += ["| source | addressed | taken | covered elsewhere | omitted | not addressed |"]
        lines += ["|---|---|---|---|---|---|"]
        for c in diff.coverage:
            lines.append(
                f"| {md(c.source)} | {c.addressed} {md(c.basis)} | {c.derived} | "
                f"{c.covered_elsewhere} | {c.omitted} | {c.not_addressed} |"
            )
        lines.append("")
    for note in diff.notes:
        lines += [f"> {md(note)}", ""]
    if not diff.changes:
        lines.append("No differences.")
    else:
        lines += ["| level | class | change | fingerprint |", "|---|---|---|---|"]
        for change in diff.changes:
            detail = md(change.message)
            if change.words:
                detail += "<br>" + words_markdown(change.words)
            if change.note:
                detail += f"<br>*{md(change.note)}*"
            for cause in change.causes:
                if cause.reason:
                    when = f" ({cause.date})" if cause.date else ""
                    detail += f"<br>because: {md(cause.reason)}{when}"
                if cause.comment_id:
                    detail += (
                        f"<br>comment {md(cause.comment_id)} ({md(cause.comment_by)}): "
                        f"„{md(cause.comment_text)}“"
                    )
                if cause.response_id:
                    detail += (
                        f"<br>response {md(cause.response_id)} by {md(cause.response_by)} "
                        f"({md(cause.decision)}): „{md(cause.response_text)}“"
                    )
            lines.append(
                f"| {change.level.value} | `{change.change_class.value}` | {detail} "
                f"| `{change.fingerprint}` |"
            )
        lines += [
            "",
            "Inserted words are shown as **＋ bold**, deleted words as ~~− struck~~. "
            "A reviewed change stops failing CI once its fingerprint is in the ignore file.",
        ]
    return "\n".join(lines) + "\n"


def words_markdown(pieces: tuple[Piece, ...]) -> str:
    """A word difference in Markdown: ``~~− alt~~ **＋ neu**`` (signs, not colour)."""
    shown = []
    for p in pieces:
        if p.op is Op.INSERT:
            shown.append(f"**＋ {md(p.text)}**")
        elif p.op is Op.DELETE:
            shown.append(f"~~− {md(p.text)}~~")
        else:
            shown.append(md(p.text))
    return glue(pieces, shown)
