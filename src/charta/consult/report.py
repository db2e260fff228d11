"""The weighing table (Abwägungstabelle) of a consultation, in four formats.

One row a comment: the reference (the principle it is on), the statement,
the town's response and decision, and the change it caused, as a word diff.
Above it the state of the consultation: open or closed, how many comments
were answered, how many led to a change.

The public profile (the default) is built from :func:`charta.privacy.public_view`:
commenters by pseudonym unless they consented.  The internal profile names
them, from the personal-data file, and says so on every page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import attrs

from charta.adapters import json as json_adapter
from charta.adapters.html import render_template
from charta.adapters.markdown import md
from charta.adapters.schema import schema_of
from charta.adapters.sheets import guard
from charta.consult.record import State, state
from charta.diff.markdown import words_markdown
from charta.diff.text import words_text
from charta.diff.words import Piece, diff_words
from charta.labels import Labels, format_date, labels_for
from charta.model import Charta, Comment, Decision, Item, MergedAway, Response, RevisedField
from charta.privacy import public_view
from charta.render.html import words_html
from charta.texts import visible

__all__ = [
    "REPORT_FORMATS",
    "Change",
    "ReportRecord",
    "Row",
    "WeighingTable",
    "build_report",
    "render_report",
    "report_record",
    "report_schema",
]

REPORT_FORMATS = ("html", "markdown", "csv", "json")


@attrs.frozen(kw_only=True)
class Change:
    """A change a comment caused: which principle, which field, which words."""

    item_id: str
    label: str
    title: str
    field: RevisedField | None
    """``None`` for a merge."""
    pieces: tuple[Piece, ...] = ()
    merged_into: str = ""


@attrs.frozen(kw_only=True)
class Row:
    number: int
    comment: Comment
    who: str
    target: Item | MergedAway | None
    responses: tuple[Response, ...]
    changes: tuple[Change, ...]

    @property
    def decision(self) -> Decision | None:
        """The decision of the last response."""
        return self.responses[-1].decision if self.responses else None


@attrs.frozen(kw_only=True)
class WeighingTable:
    charta: Charta
    labels: Labels
    state: State
    rows: tuple[Row, ...]
    internal: bool


def build_report(
    charta: Charta,
    *,
    internal: bool = False,
    lang: str | None = None,
    today: dt.date | None = None,
) -> WeighingTable:
    """The weighing table of ``charta`` (joined with its personal data for ``internal``)."""
    # Internal: the charta as joined with its personal data, names and all.
    shown = charta if internal else public_view(charta)
    cons = shown.consultation
    labels = labels_for(lang or shown.language)
    answers = cons.responses_by_comment() if cons else {}
    caused: dict[str, list[Change]] = {}
    for comment_id, entries in shown.changes_by_comment().items():
        for thing, rev in entries:
            caused.setdefault(comment_id, []).append(
                Change(
                    item_id=thing.id,
                    label=thing.label,
                    title=thing.title,
                    field=rev.field if rev is not None else None,
                    pieces=diff_words(rev.before, rev.after) if rev is not None else (),
                    merged_into=thing.merged_into if isinstance(thing, MergedAway) else "",
                )
            )
    merged = {m.id: m for m in shown.merged_away}
    rows = []
    for n, c in enumerate(cons.comments if cons else (), 1):
        target: Item | MergedAway | None = None
        if c.target is not None and c.target.item:
            target = shown.item(c.target.item) or merged.get(c.target.item)
        rows.append(
            Row(
                number=n,
                comment=c,
                who=_who(c, internal),
                target=target,
                responses=tuple(answers.get(c.id, ())),
                changes=tuple(caused.get(c.id, ())),
            )
        )
    return WeighingTable(
        charta=shown,
        labels=labels,
        state=state(shown, today),
        rows=tuple(rows),
        internal=internal,
    )


def _who(c: Comment, internal: bool) -> str:
    person = c.commenter
    if internal and person.name:
        return f"{person.name} ({person.pseudonym})"
    return person.public_name


# -- text of the cells -------------------------------------------------------------


def reference(row: Row, labels: Labels) -> str:
    t = row.target
    if t is None:
        return labels["whole_document"]
    return (f"{t.label} " if t.label else "") + f"„{t.title}“"


def decision_word(row: Row, labels: Labels) -> str:
    d = row.decision
    return labels.value(d.value) if d is not None else labels["no_response"]


def _words_plain(pieces: tuple[Piece, ...]) -> str:

    return words_text(pieces)


def change_text(change: Change, labels: Labels) -> str:
    name = (f"{change.label} " if change.label else "") + f"„{change.title}“"
    if change.field is None:
        return f"{name} {labels['merged_into_word']} '{change.merged_into}'"
    return f"{name} ({labels['in_words_' + change.field.value]}): {_words_plain(change.pieces)}"


# -- formats ----------------------------------------------------------------------


def render_report(table: WeighingTable, fmt: str) -> str:
    if fmt == "csv":
        return _csv(table)
    if fmt == "json":
        return _json(table)
    if fmt == "markdown":
        return _markdown(table)
    return _html(table)


def _html(table: WeighingTable) -> str:
    labels = table.labels
    return render_template(
        "report.html",
        table.charta,
        labels,
        "",
        page=_ReportPage(labels, internal=table.internal),
        report=table,
        reference=lambda row: reference(row, labels),
        decision_word=lambda row: decision_word(row, labels),
        figures=figures(table),
        words=words_html,
    )


@attrs.frozen
class _ReportPage:
    """What base.html asks of a page, for a page that is a report."""

    labels: Any
    internal: bool = False
    links: tuple[Any, ...] = ()
    threads: tuple[Any, ...] = ()
    principles: tuple[Any, ...] = ()
    coverage: tuple[Any, ...] = ()


spreadsheet_safe = guard
"""A cell a spreadsheet will not run: one beginning with ``=``, ``+``, ``-``,
``@`` (or a tab or carriage return) gets a leading ``'``."""


def _csv(table: WeighingTable) -> str:
    """For a spreadsheet: with a byte-order mark (Excel reads UTF-8 only with one),
    and separated by semicolons in German (what German spreadsheets expect)."""
    labels = table.labels
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if labels.lang == "de" else ",", lineterminator="\r\n")
    if table.internal:
        writer.writerow([labels["internal_notice"]])
    writer.writerow(
        [
            labels[k]
            for k in (
                "col_number",
                "col_id",
                "col_reference",
                "col_date",
                "col_by",
                "col_statement",
                "col_response",
                "col_decision",
                "col_change",
            )
        ]
    )
    for row in table.rows:
        cells = [
            str(row.number),
            row.comment.id,
            reference(row, labels),
            str(row.comment.date or ""),
            row.who,
            row.comment.text,
            "\n\n".join(f"{r.by}: {r.text}" for r in row.responses),
            decision_word(row, labels),
            "\n".join(change_text(c, labels) for c in row.changes) or labels["no_change"],
        ]
        writer.writerow([spreadsheet_safe(visible(c)) for c in cells])
    return out.getvalue()


def report_record(table: WeighingTable) -> ReportRecord:
    """The weighing table as a document: ``charta consult report --format json``."""
    s = table.state
    return ReportRecord(
        charta=table.charta.id,
        title=table.charta.title,
        profile="internal" if table.internal else "public",
        notice=table.labels["internal_notice"] if table.internal else None,
        state=StateRecord(
            open=s.open,
            comments=s.comments,
            answered=s.answered,
            changed=s.changed,
            decisions=dict(s.decisions),
        ),
        rows=tuple(
            RowRecord(
                number=row.number,
                comment=row.comment.id,
                reference=row.target.id if row.target is not None else None,
                reference_text=reference(row, table.labels),
                date=str(row.comment.date) if row.comment.date else None,
                by=row.who,
                statement=row.comment.text,
                responses=tuple(
                    ResponseRecord(
                        id=r.id,
                        by=r.by,
                        date=str(r.date) if r.date else None,
                        decision=r.decision.value,
                        text=r.text,
                    )
                    for r in row.responses
                ),
                decision=row.decision.value if row.decision else None,
                changes=tuple(
                    ChangeRecord(
                        item=c.item_id,
                        field=c.field.value if c.field else None,
                        merged_into=c.merged_into or None,
                        words=_words_plain(c.pieces) if c.pieces else None,
                    )
                    for c in row.changes
                ),
            )
            for row in table.rows
        ),
    )


def _json(table: WeighingTable) -> str:
    return json_adapter.dumps(report_record(table), "report")


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta consult report --format json``."""
    return schema_of(ReportRecord, kind="report", title="charta consult report")


@attrs.frozen(kw_only=True)
class StateRecord:
    """Where the consultation stands."""

    open: bool
    """Still open: its last day has not passed (or none is given)."""
    comments: int
    answered: int
    changed: int
    """Comments that led to an amendment."""
    decisions: dict[str, int]
    """How many comments have each decision (their last answer's)."""


@attrs.frozen(kw_only=True)
class ResponseRecord:
    """An answer to a comment."""

    id: str
    by: str
    date: str | None
    decision: str
    text: str


@attrs.frozen(kw_only=True)
class ChangeRecord:
    """A change a comment caused."""

    item: str
    """The principle changed."""
    field: str | None
    """``title`` or ``text``; ``null`` for a merge."""
    merged_into: str | None
    words: str | None
    """The change as a word diff: ``[-old-]{+new+}``."""


@attrs.frozen(kw_only=True)
class RowRecord:
    """One comment, what was answered and what it changed."""

    number: int
    comment: str
    """The comment's id."""
    reference: str | None
    """The principle it is about; ``null`` for the whole document."""
    reference_text: str
    date: str | None
    by: str
    """The commenter: a pseudonym unless they consented (their name in an internal report)."""
    statement: str
    responses: tuple[ResponseRecord, ...]
    decision: str | None
    """The decision of the last response."""
    changes: tuple[ChangeRecord, ...]


@attrs.frozen(kw_only=True)
class ReportRecord:
    """``charta consult report --format json``: the weighing table of a consultation."""

    charta: str
    title: str
    profile: str
    """``public``, or ``internal`` when it names the commenters: never to publish."""
    notice: str | None
    """What an internal report says about itself; ``null`` for a public one."""
    state: StateRecord
    rows: tuple[RowRecord, ...]


def figures(table: WeighingTable) -> str:
    s = table.state
    return table.labels.format(
        "report_figures", comments=s.comments, answered=s.answered, changed=s.changed
    )


def _markdown(table: WeighingTable) -> str:

    labels = table.labels
    c = table.charta
    lines = [f"# {labels['report_title']}: {md(c.title)}", ""]
    if table.internal:
        lines += [f"**{md(labels['internal_notice'])}**", ""]
    lines += [f"## {labels['report_state']}", ""]
    lines += [labels["state_open" if table.state.open else "state_closed"] + " " + figures(table)]
    cons = c.consultation
    if cons is not None and (cons.start or cons.end):
        period = " – ".join(format_date(d, labels.lang) for d in (cons.start, cons.end) if d)
        lines[-1] += f" {labels['consultation_period']}: {period}."
    lines.append("")
    if table.state.decisions:
        lines += [
            f"{labels['report_decisions']}: "
            + ", ".join(f"{labels.value(k)} {v}" for k, v in table.state.decisions.items()),
            "",
        ]
    heads = (
        "col_number",
        "col_reference",
        "col_statement",
        "col_response",
        "col_decision",
        "col_change",
    )
    lines += ["| " + " | ".join(labels[h] for h in heads) + " |", "|" + "---|" * len(heads)]
    for row in table.rows:
        statement = f"{md(row.who)}" + (
            f", {format_date(row.comment.date, labels.lang)}" if row.comment.date else ""
        )
        statement += ": " + md(row.comment.text)
        responses = "<br><br>".join(f"{md(r.by)}: {md(r.text)}" for r in row.responses)
        changes = "<br>".join(
            (f"{md(ch.label)} " if ch.label else "")
            + f"„{md(ch.title)}“: "
            + (
                words_markdown(ch.pieces)
                if ch.field is not None
                else f"{md(labels['merged_into_word'])} {md(ch.merged_into)}"
            )
            for ch in row.changes
        )
        cells = [
            str(row.number),
            md(reference(row, labels)),
            statement,
            responses or md(labels["no_response"]),
            md(decision_word(row, labels)),
            changes or md(labels["no_change"]),
        ]
        lines.append("| " + " | ".join(x.replace("\n", "<br>") for x in cells) + " |")
    if not table.rows:
        lines += ["", labels["no_comments"]]
    if table.internal:
        lines += ["", f"**{md(labels['internal_notice'])}**"]
    return "\n".join(lines) + "\n"
