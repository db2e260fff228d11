"""The diff in Markdown: for a merge-request comment or a council paper.

Every text from the files is escaped (:func:`charta.adapters.markdown.md`).
Inserted and deleted words are marked with signs, never by colour alone:
``~~− alt~~ **＋ neu**``.

``words_markdown`` stays beside ``md`` in the Markdown adapter for now: the
page's Markdown uses it too, so here it would close a circle (the adapter
would import this module, which imports the adapter's ``md``).
"""

from __future__ import annotations

from charta.adapters.markdown import md, words_markdown
from charta.diff.model import Diff

__all__ = ["diff_markdown"]


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
