"""The weighing table as a spreadsheet, both ways.

``charta consult report --format xlsx|ods`` writes one row a comment, with
columns for the decision and the response; the office fills them in its
spreadsheet, and ``charta consult import-responses`` reads the sheet back:
every row is checked (a comment id that does not exist, a decision word that
is none, a comment text changed in the sheet, a decision without a response
or a response without a decision) and every problem named with its row,
before anything is written.  A row already answered so stays as it is, so
that the same sheet read twice adds nothing.

The sheet shows the public view (pseudonyms, no contact data): the office
may pass it around.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from charta import rules
from charta.adapters.comments import read_table
from charta.adapters.comments.table import Table
from charta.adapters.files import writer_lock
from charta.adapters.sheets import unguard, write_sheet
from charta.adapters.toml.personal import refuse_names
from charta.check.loading import open_charta
from charta.consult.record import respond
from charta.derive.edit import prepare_edit
from charta.errors import ChartaError, Problem, ValidationError
from charta.labels import Labels, labels_for
from charta.model import Charta, Decision, Location, PartialDate
from charta.privacy import public_view
from charta.texts import visible

__all__ = [
    "COLUMNS",
    "ResponsesRead",
    "import_responses",
    "import_responses_file",
    "weighing_sheet",
    "write_weighing_sheet",
]

COLUMNS = (
    "col_number",
    "col_id",
    "col_reference",
    "col_date",
    "col_by",
    "col_statement",
    "col_decision",
    "col_response",
)
"""The sheet's columns, by label key: the comment, then what the office fills in."""


def weighing_sheet(charta: Charta, lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and one row a comment: the last response's decision and text where
    there is one, empty cells where the office is still to weigh."""
    shown = public_view(charta)
    labels = labels_for(lang or shown.language)
    cons = shown.consultation
    answers = cons.responses_by_comment() if cons else {}
    rows = []
    for n, c in enumerate(cons.comments if cons else (), 1):
        last = answers.get(c.id, [])[-1:]
        rows.append(
            [
                str(n),
                c.id,
                str(c.target.item) if c.target and c.target.item else labels["whole_document"],
                str(c.date or ""),
                c.commenter.public_name,
                c.text,
                labels.value(last[0].decision.value) if last else "",
                last[0].text if last else "",
            ]
        )
    return [labels[k] for k in COLUMNS], rows


def write_weighing_sheet(
    name: str, output: str | os.PathLike[str], *, lang: str | None = None
) -> Path:
    """``charta consult report --format xlsx|ods -o OUT``: the sheet written to ``output``."""
    charta = open_charta(name, personal=True)
    header, rows = weighing_sheet(charta, lang)
    path = Path(output)
    if path.resolve() == Path(name).resolve():
        raise ChartaError(
            "is the charta file: name another file for the sheet",
            location=Location(file=str(path)),
            rule=rules.CANNOT_WRITE,
        )
    write_sheet(path, header, rows, title=labels_for(lang or charta.language)["report_decisions"])
    return path


@attrs.frozen(kw_only=True)
class ResponsesRead:
    """What a filled weighing sheet held."""

    charta: Charta
    added: tuple[str, ...]
    """The ids of the responses recorded."""
    unchanged: tuple[str, ...]
    """Comments whose row holds the response they have already."""
    open: tuple[str, ...]
    """Comments whose row is still empty: not weighed yet."""


def _decisions(labels: Sequence[Labels]) -> dict[str, Decision]:
    words: dict[str, Decision] = {}
    for d in Decision:
        words[d.value] = d
        for lab in labels:
            words[lab.value(d.value).casefold()] = d
    return words


def _column(header: Sequence[str], keys: Mapping[str, set[str]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for n, h in enumerate(header):
        for key, names in keys.items():
            if h.strip().casefold() in names and key not in found:
                found[key] = n
    return found


def import_responses(  # noqa: PLR0915 - one row's checks, in the order a clerk reads them
    charta: Charta,
    table: Table,
    *,
    by: str = "",
    date: PartialDate | None = None,
    file: str = "",
    shown: Charta | None = None,
) -> ResponsesRead:
    """The responses of a filled weighing sheet recorded in ``charta``; every bad row
    raises :class:`ValidationError` with its row, and then nothing is recorded.

    ``shown``: the charta the sheet was written from, as it was shown (its public
    view, joined with the personal data, as :func:`weighing_sheet` made it); the
    sheet's comment texts are compared with it.  Default: the public view of
    ``charta``."""
    langs = (labels_for("de"), labels_for("en"))
    names = {
        k: {lab[k].casefold() for lab in langs}
        for k in ("col_id", "col_statement", "col_decision", "col_response")
    }
    where = _column(table.header, names)
    if len(where) < len(names):
        raise ValidationError(
            [
                rules.BAD_ROW.problem(
                    f"the sheet has no column '{labels_for('de')[k]}': is it the weighing "
                    "table that charta consult report wrote?",
                    Location(file=file or None, line=1),
                )
                for k in names
                if k not in where
            ]
        )
    words = _decisions(langs)
    shown = public_view(shown if shown is not None else charta)
    cons = shown.consultation
    comments = {c.id: c for c in (cons.comments if cons else ())}
    first_row: dict[str, int] = {}
    answers = cons.responses_by_comment() if cons else {}
    problems: list[Problem] = []
    plan: list[tuple[str, Decision, str, bool]] = []
    unchanged: list[str] = []
    still_open: list[str] = []

    def bad(line: int, message: str) -> None:
        problems.append(rules.BAD_ROW.problem(message, Location(file=file or None, line=line)))

    for row in table.rows:
        if row.problem:
            bad(row.line, row.problem)
            continue
        cell = {k: unguard(row.cells[n]).strip() for k, n in where.items()}
        comment = comments.get(cell["col_id"])
        if comment is not None and comment.id in first_row:
            bad(
                row.line,
                f"comment '{comment.id}' stands in row {first_row[comment.id]} already: "
                "weigh a comment in one row",
            )
            continue
        if comment is not None:
            first_row[comment.id] = row.line
        if comment is None:
            bad(
                row.line,
                f"no comment '{cell['col_id'][:60]}' in '{charta.id}': leave the Kennung as it was",
            )
            continue
        if " ".join(cell["col_statement"].split()) != " ".join(visible(comment.text).split()):
            bad(
                row.line,
                f"the text of comment '{comment.id}' was changed in the sheet: a comment is "
                "recorded as it was made; write the office's words in the response",
            )
            continue
        word, text = cell["col_decision"], unguard(row.cells[where["col_response"]]).strip()
        if not word and not text:
            still_open.append(comment.id)
            continue
        decision = words.get(word.casefold())
        if decision is None:
            shown_words = ", ".join(labels_for("de").value(d.value) for d in Decision)
            bad(row.line, f"'{word[:40]}' is no decision: write one of {shown_words}")
            continue
        if not text:
            bad(row.line, f"comment '{comment.id}' has a decision but no response: write it")
            continue
        last = answers.get(comment.id, [])[-1:]
        if last and last[0].decision is decision and last[0].text.strip() == text:
            unchanged.append(comment.id)
            continue
        plan.append((comment.id, decision, text, bool(last)))
    if problems:
        raise ValidationError(problems)
    added = []
    for comment_id, decision, text, again in plan:
        charta = respond(
            charta, comment_id, decision=decision, text=text, by=by, date=date, again=again
        )
        added.append(charta.consultation.responses[-1].id)  # type: ignore[union-attr]
    return ResponsesRead(
        charta=charta, added=tuple(added), unchanged=tuple(unchanged), open=tuple(still_open)
    )


def import_responses_file(
    path: str, sheet: str | os.PathLike[str], *, by: str = "", date: PartialDate | None = None
) -> ResponsesRead:
    """``charta consult import-responses``: the filled sheet's responses into the charta file
    (under the charta's writers' lock)."""
    with writer_lock(path):
        return _import_responses_file(path, sheet, by=by, date=date)


def _import_responses_file(
    path: str, sheet: str | os.PathLike[str], *, by: str, date: PartialDate | None
) -> ResponsesRead:
    file = Path(sheet)
    table = read_table(file)  # the checks of a comments file: size, encoding, rows
    found: list[ResponsesRead] = []

    # The texts as the sheet showed them: the public view of the charta joined with
    # its personal data (names replaced as they are in the sheet).
    written_from = open_charta(path, personal=True)

    def change(charta: Charta) -> Charta:
        found.append(
            import_responses(charta, table, by=by, date=date, file=str(file), shown=written_from)
        )
        return found[-1].charta

    edit = prepare_edit(path, change)
    result = found[-1]
    cons = result.charta.consultation
    if result.added and cons is not None:
        refuse_names(path, [r.text for r in cons.responses[-len(result.added) :]])
        edit.write()
    return result
