"""The consultation commands on files: ``charta consult respond``, ``amend``,
``report`` and ``letters``, one function each (``import`` is
:func:`charta.consult.record.import_file`).

Each takes what the command takes and does all of its work; a failing call
changes nothing.  Texts bound for the charta file, which is public, are
refused when they name a commenter who did not consent or give an address.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from charta import rules
from charta.adapters.files import write_atomic
from charta.adapters.toml.personal import read_personal, refuse_names
from charta.check.loading import open_charta
from charta.consult.letters import Letter, letters
from charta.consult.record import amend, respond
from charta.consult.report import build_report, render_report
from charta.derive.edit import edit_file
from charta.errors import ChartaError
from charta.model import Charta, Decision, Knowledge, Location, PartialDate, is_path
from charta.personal import Person, personal_path

__all__ = [
    "LettersWritten",
    "amend_file",
    "report_file",
    "report_inputs",
    "respond_file",
    "write_letters",
]


def respond_file(
    path: str | os.PathLike[str],
    comment: str,
    *,
    decision: Decision,
    text: str,
    by: str = "",
    date: PartialDate | None = None,
    note: str = "",
    again: bool = False,
) -> Charta:
    """``charta consult respond``: answer a comment, with the decision taken on it."""
    refuse_names(path, (text, note, by))
    return edit_file(
        path,
        lambda c: respond(
            c, comment, decision=decision, text=text, by=by, date=date, note=note, again=again
        ),
    )


def amend_file(
    path: str | os.PathLike[str],
    item: str,
    *,
    because: Sequence[str],
    text: str | None = None,
    title: str | None = None,
    date: PartialDate | None = None,
    reason: str = "",
    note: str = "",
    before_knowledge: Knowledge = Knowledge.VERIFIED,
) -> Charta:
    """``charta consult amend``: change a principle because of comments; the revision
    cites them and their answers."""
    refuse_names(path, (reason, note), wording=(text or "", title or ""))
    return edit_file(
        path,
        lambda c: amend(
            c,
            item,
            because=tuple(because),
            text=text,
            title=title,
            date=date,
            reason=reason,
            note=note,
            before_knowledge=before_knowledge,
        ),
    )


def report_file(
    name: str, fmt: str = "html", *, lang: str | None = None, internal: bool = False
) -> str:
    """``charta consult report``: the weighing table of the charta ``name`` in ``fmt``
    (html, markdown, csv or json).  ``internal`` names the commenters: for the
    office, never to publish."""
    charta = open_charta(name, personal=True)
    return render_report(build_report(charta, internal=internal, lang=lang), fmt)


def report_inputs(name: str) -> tuple[str, ...]:
    """The files a report is made from: an output must never replace one of them."""
    return (name, str(personal_path(name))) if is_path(name) else ()


@attrs.frozen(kw_only=True)
class LettersWritten:
    """What ``charta consult letters`` wrote."""

    folder: Path
    written: tuple[Letter, ...]
    skipped: tuple[Person, ...]
    """Commenters without an address, or without an answer yet."""


def write_letters(
    path: str | os.PathLike[str], folder: str | os.PathLike[str], *, force: bool = False
) -> LettersWritten:
    """``charta consult letters``: one reply a commenter who gave an address, written
    into ``folder`` (made if missing).  Letters already there are replaced only
    with ``force``: a clerk may have edited them."""
    path = os.fspath(path)
    companion = personal_path(path)
    data = read_personal(companion)
    if data is None:
        raise ChartaError(
            "no personal-data file: there is nobody to write to (charta consult import makes it)",
            location=Location(file=str(companion)),
            rule=rules.REQUEST,
        )
    charta = open_charta(path, personal=True)
    found, skipped = letters(charta, data)
    target = Path(folder)
    where = Location(file=os.fspath(folder))
    if target.exists() and not target.is_dir():
        raise ChartaError("is not a folder", location=where, rule=rules.CANNOT_WRITE)
    existing = [f.file_name for f in found if (target / f.file_name).exists()]
    if existing and not force:
        raise ChartaError(
            f"{len(existing)} letter(s) exist already ({existing[0]} ...): charta does not "
            "replace them (they may be edited); use --force or another folder",
            location=where,
            rule=rules.CANNOT_WRITE,
        )
    if found:
        try:
            target.mkdir(exist_ok=True)
        except OSError as exc:
            raise ChartaError(
                f"cannot make the folder: {exc.strerror}", location=where, rule=rules.CANNOT_WRITE
            ) from None
    for letter in found:
        write_atomic(target / letter.file_name, letter.text, inputs=[Path(path), companion])
    return LettersWritten(folder=target, written=tuple(found), skipped=tuple(skipped))
