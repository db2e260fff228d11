"""Diffs for people and machines: text (terminal), JSON, Markdown.

Inserted and deleted words are marked with text markers, never by colour
alone: ``[-alt-]{+neu+}`` in text (as ``git diff --word-diff=plain``),
``~~− alt~~ **＋ neu**`` in Markdown.  The command line colours the markers
on a terminal, after escaping what came from the files.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from charta.adapters.markdown import md as _md
from charta.adapters.markdown import words_markdown
from charta.diff.classes import ChangeClass
from charta.diff.model import Change, Diff
from charta.diff.words import Op, Piece, changed
from charta.diff.words import glue as _glue

__all__ = [
    "JSON_SCHEMA_VERSION",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "json_schema",
    "words_text",
]

JSON_SCHEMA_VERSION = 1
"""The version of the structure ``charta diff --format json`` prints."""


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
    return _glue(pieces, shown)


def _one_line(text: str) -> str:
    return " ".join(text.split())


_WIDTH = 88


def _wrapped(text: str, indent: str = "    ") -> list[str]:
    """``text`` on lines of at most 88 characters; words (and markers) never broken."""
    return textwrap.wrap(
        _one_line(text),
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
            _one_line(change.message),
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


def _cause_lines(cause: Any) -> list[str]:
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


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "class": change.change_class.value,
        "level": change.level.value,
        "fingerprint": change.fingerprint,
        "message": change.message,
        "item": change.item or None,
        "other": change.other or None,
        "source": change.source or None,
        "relation": change.relation or None,
        "asserted": change.asserted or None,
        "words": [{"op": p.op.value, "text": p.text} for p in change.words],
        "note": change.note or None,
        "causes": [
            {
                "date": str(c.date) if c.date else None,
                "reason": c.reason or None,
                "comment": {"id": c.comment_id, "by": c.comment_by, "text": c.comment_text}
                if c.comment_id
                else None,
                "response": {
                    "id": c.response_id,
                    "by": c.response_by,
                    "decision": c.decision,
                    "text": c.response_text,
                }
                if c.response_id
                else None,
            }
            for c in change.causes
        ],
        "locations": [
            {"file": loc.file, "line": loc.line, "column": loc.column, "key-path": loc.key_path}
            for loc in change.locations
        ],
    }


def diff_json(diff: Diff) -> str:
    data = {
        "schema": JSON_SCHEMA_VERSION,
        "comparison": diff.comparison,
        "old": diff.old,
        "new": diff.new,
        "coverage": [
            {
                "source": c.source,
                "known": c.known,
                "declared": c.declared,
                "derived": c.derived,
                "covered-elsewhere": c.covered_elsewhere,
                "omitted": c.omitted,
                "not-addressed": c.not_addressed,
                "basis": c.basis,
            }
            for c in diff.coverage
        ],
        "notes": list(diff.notes),
        "changes": [_change_json(c) for c in diff.changes],
    }
    # ensure_ascii: no control, bidirectional or invisible character from a
    # charta reaches a terminal or a log raw; JSON readers get the same text.
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def diff_markdown(diff: Diff) -> str:
    """For a merge-request comment or a council paper."""
    lines = [f"## charta diff: {_md(diff.old)} → {_md(diff.new)}", ""]
    if diff.coverage:
        lines += ["| source | addressed | taken | covered elsewhere | omitted | not addressed |"]
        lines += ["|---|---|---|---|---|---|"]
        for c in diff.coverage:
            lines.append(
                f"| {_md(c.source)} | {c.addressed} {_md(c.basis)} | {c.derived} | "
                f"{c.covered_elsewhere} | {c.omitted} | {c.not_addressed} |"
            )
        lines.append("")
    for note in diff.notes:
        lines += [f"> {_md(note)}", ""]
    if not diff.changes:
        lines.append("No differences.")
    else:
        lines += ["| level | class | change | fingerprint |", "|---|---|---|---|"]
        for change in diff.changes:
            detail = _md(change.message)
            if change.words:
                detail += "<br>" + words_markdown(change.words)
            if change.note:
                detail += f"<br>*{_md(change.note)}*"
            for cause in change.causes:
                if cause.reason:
                    when = f" ({cause.date})" if cause.date else ""
                    detail += f"<br>because: {_md(cause.reason)}{when}"
                if cause.comment_id:
                    detail += (
                        f"<br>comment {_md(cause.comment_id)} ({_md(cause.comment_by)}): "
                        f"„{_md(cause.comment_text)}“"
                    )
                if cause.response_id:
                    detail += (
                        f"<br>response {_md(cause.response_id)} by {_md(cause.response_by)} "
                        f"({_md(cause.decision)}): „{_md(cause.response_text)}“"
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


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta diff --format json`` (``charta diff --schema``)."""
    nullable_str = {"type": ["string", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://charta.invalid/schema/diff-1.json",
        "title": "charta diff",
        "type": "object",
        "required": ["schema", "comparison", "old", "new", "changes"],
        "properties": {
            "schema": {"const": JSON_SCHEMA_VERSION},
            "comparison": {"enum": ["sources", "versions", "towns", "upstream"]},
            "old": {"type": "string"},
            "new": {"type": "string"},
            "notes": {"type": "array", "items": {"type": "string"}},
            "coverage": {"type": "array", "items": {"type": "object"}},
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["class", "level", "fingerprint", "message", "locations"],
                    "properties": {
                        "class": {"enum": [c.value for c in ChangeClass]},
                        "level": {"enum": ["info", "warning", "error"]},
                        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{12}$"},
                        "message": {"type": "string"},
                        "item": nullable_str,
                        "other": nullable_str,
                        "source": nullable_str,
                        "relation": nullable_str,
                        "asserted": {"enum": ["stated", "inferred", None]},
                        "note": nullable_str,
                        "words": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "op": {"enum": ["equal", "insert", "delete"]},
                                    "text": {"type": "string"},
                                },
                            },
                        },
                        "causes": {"type": "array", "items": {"type": "object"}},
                        "locations": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "file": nullable_str,
                                    "line": {"type": ["integer", "null"]},
                                    "column": {"type": ["integer", "null"]},
                                    "key-path": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
