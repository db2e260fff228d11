"""``charta consult``: the consultation record from the command line.

import -> respond -> amend -> report, and letters.  Every command that
changes the charta file keeps its comments and layout (charta.derive.edit), and
a failing command changes nothing.
"""

from __future__ import annotations

from typing import Any

import click

from charta.cli.base import check_texts, echo, handle_errors, main, parse_date, write_output

_DECISIONS = ("accepted", "partly-accepted", "rejected", "noted")


@main.group()
def consult() -> None:
    """The consultation: import comments, respond, amend, report, write letters.

    \b
      charta consult import leitmotive.toml comments.csv
      charta consult respond leitmotive.toml comment-2 --decision accepted --text "..."
      charta consult amend leitmotive.toml vorne-dabei --text "..." --because comment-2
      charta consult report leitmotive.toml --format html -o abwaegung.html
      charta consult letters leitmotive.toml -o antworten/

    Names, e-mail addresses and consent go to the personal-data file beside
    the charta (leitmotive.personal.toml), never into the charta file.
    """


def _date_option(text: str | None) -> Any:
    """--date: today when not given, no date for --date ''."""
    if text is not None and not text.strip():
        return None
    return parse_date(text)


def _text(text: str | None, text_file: Any, what: str) -> str | None:
    if text is not None and text_file is not None:
        raise click.UsageError(f"give --{what} or --{what}-file, not both")
    if text_file is not None:
        return str(text_file.read()).strip("\n")
    return text


@consult.command("import")
@click.argument("path", metavar="CHARTA")
@click.argument("comments", metavar="FILE")
@click.option(
    "--target-map",
    "target_map",
    multiple=True,
    metavar="ID=PRINCIPLE",
    help="Decidim: which principle a commentable_id is (repeatable).",
)
@click.option(
    "--pseudonym",
    "word",
    default="Person",
    show_default=True,
    help="The word of the numbered pseudonyms (Person 1, Person 2 ...).",
)
@click.option(
    "--map",
    "column_map",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="What a column is: id, date, name, email, salutation, target, text, consent, "
    "note, or ignore (repeatable).",
)
@click.option(
    "--whole-charta",
    is_flag=True,
    help="The file has no column for the principle: every comment is on the whole charta.",
)
@click.option(
    "--consent",
    type=click.Choice(["ja", "nein", "yes", "no"]),
    default=None,
    help="For a file without a consent column: may every commenter's name be published?",
)
@handle_errors
def import_(
    *,
    path: str,
    comments: str,
    target_map: tuple[str, ...],
    word: str,
    column_map: tuple[str, ...],
    whole_charta: bool,
    consent: str | None,
) -> None:
    """Import comments from a form's CSV, JSON or spreadsheet, or from Decidim's export.

    Each comment gets a stable id and its writer a numbered pseudonym; names,
    addresses and consent go to CHARTA's personal-data file (with a
    .gitignore line).  How each column is read is printed; a column charta
    does not know is refused until --map says what it is.  A row already
    there is reported, not added.  A bad row is reported with its line, and
    nothing is written.
    """
    from charta.consult.record import import_file  # lazy: start-up time

    check_texts()
    if not word.strip() or any(not (c.isalpha() or c in " -") for c in word):
        raise click.BadParameter(
            "a word of letters, e.g. 'Person' or 'Bürger'", param_hint="--pseudonym"
        )
    targets = {}
    for entry in target_map:
        key, sep, value = entry.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(
                "write ID=PRINCIPLE, e.g. 17=vorne-dabei", param_hint="--target-map"
            )
        targets[key.strip()] = value.strip()
    mapping = {}
    for entry in column_map:
        key, sep, value = entry.rpartition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(
                "write COLUMN=FIELD, e.g. 'Ihre Meinung=text' or 'IP-Adresse=ignore'",
                param_hint="--map",
            )
        mapping[key.strip()] = value.strip()
    result, companion, ignore = import_file(
        path,
        comments,
        targets=targets,
        pseudonym_word=word.strip(),
        mapping=mapping,
        whole_charta=whole_charta,
        consent=None if consent is None else consent in ("ja", "yes"),
    )
    echo(f"{comments}: {result.kind}", err=True, line=True)
    for column in result.columns:
        shown = column.header.strip() or "(no header)"
        how = f" ({column.how})" if column.how and column.how != "recognised" else ""
        echo(f"  {shown} -> {column.field}{how}", err=True, line=True)
    for where, repeats in result.duplicates[:20]:
        at = f"{comments}:{where[5:]}" if where.startswith("line ") else f"{comments}: {where}"
        echo(f"{at}: already there as {repeats}: not added", err=True, line=True)
    if len(result.duplicates) > 20:
        echo(f"... and {len(result.duplicates) - 20} more rows already there", err=True, line=True)
    if result.redacted:
        echo(
            f"{len(result.redacted)} comment(s) named their writer; the charta holds the "
            f"pseudonym instead: {', '.join(result.redacted[:10])}",
            err=True,
            line=True,
        )
    if result.contacts:
        echo(
            f"{len(result.contacts)} comment(s) held contact data (an e-mail address, a phone "
            "number, a street address or a profile link); the charta holds a marker such as "
            f"[Telefonnummer entfernt] instead, the data is in {companion}: "
            f"{', '.join(result.contacts[:10])}",
            err=True,
            line=True,
        )
    if result.added:
        echo(
            f"imported {len(result.added)} comment(s) into {path}; names and addresses in "
            f"{companion}" + (f" (listed in {ignore})" if ignore is not None else ""),
            err=True,
            line=True,
        )
    else:
        echo(f"nothing to import: {path} is unchanged", err=True, line=True)


@consult.command()
@click.argument("path", metavar="CHARTA")
@click.argument("comment", metavar="COMMENT-ID")
@click.option("--decision", type=click.Choice(_DECISIONS), required=True)
@click.option("--text", help="The answer (leave the commenter's name out: letters add it).")
@click.option("--text-file", type=click.File(encoding="utf-8"), help="Read the answer from a file.")
@click.option("--by", default="", help="Who answers (default: the issuer's office).")
@click.option("--date", "date_text", metavar="DATE", help="When (default: today; '' for none).")
@click.option("--note", default="", help="A note of the record-keeper.")
@click.option("--again", is_flag=True, help="Add a further answer to a comment answered before.")
@handle_errors
def respond(
    path: str,
    comment: str,
    *,
    decision: str,
    text: str | None,
    text_file: Any,
    by: str,
    date_text: str | None,
    note: str,
    again: bool,
) -> None:
    """Answer a comment, with the decision taken on it."""
    # lazy: start-up time
    from charta.consult.files import respond_file
    from charta.model import Decision

    check_texts()
    answer = _text(text, text_file, "text")
    if answer is None:
        raise click.UsageError("give the answer with --text or --text-file")
    date = _date_option(date_text)
    respond_file(
        path,
        comment,
        decision=Decision(decision),
        text=answer,
        by=by,
        date=date,
        note=note,
        again=again,
    )
    echo(f"changed {path}: {comment} answered ({decision})", err=True, line=True)


@consult.command()
@click.argument("path", metavar="CHARTA")
@click.argument("item", metavar="PRINCIPLE-ID")
@click.option(
    "--because",
    multiple=True,
    required=True,
    metavar="COMMENT-ID",
    help="The comment that caused it (repeatable); its answers are cited too.",
)
@click.option("--text", help="The new text.")
@click.option(
    "--text-file", type=click.File(encoding="utf-8"), help="Read the new text from a file."
)
@click.option("--title", help="A new title.")
@click.option("--reason", default="", help="Why, in a sentence.")
@click.option("--date", "date_text", metavar="DATE", help="When (default: today; '' for none).")
@click.option("--note", default="", help="A note of the record-keeper.")
@click.option(
    "--before-inferred",
    is_flag=True,
    help="The earlier wording is reconstructed, not seen (for records of past consultations).",
)
@handle_errors
def amend(
    path: str,
    item: str,
    *,
    because: tuple[str, ...],
    text: str | None,
    text_file: Any,
    title: str | None,
    reason: str,
    date_text: str | None,
    note: str,
    before_inferred: bool,
) -> None:
    """Change a principle because of comments: the revision cites them and their answers."""
    # lazy: start-up time
    from charta.consult.files import amend_file
    from charta.model import Knowledge

    check_texts()
    new_text = _text(text, text_file, "text")
    if new_text is None and title is None:
        raise click.UsageError("give --text, --text-file or --title")
    date = _date_option(date_text)
    amend_file(
        path,
        item,
        because=because,
        text=new_text,
        title=title,
        date=date,
        reason=reason,
        note=note,
        before_knowledge=Knowledge.INFERRED if before_inferred else Knowledge.VERIFIED,
    )
    echo(f"changed {path}: {item} amended because of {', '.join(because)}", err=True, line=True)


@consult.command()
@click.argument("path", metavar="CHARTA")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("html", "markdown", "csv", "json", "xlsx", "ods")),
    default="html",
    show_default=True,
    help="xlsx and ods: the sheet to weigh in (needs -o), read back with import-responses.",
)
@click.option(
    "--lang", type=click.Choice(("de", "en")), help="Interface words (default: the charta's)."
)
@click.option(
    "--internal",
    is_flag=True,
    help="Name the commenters (from the personal-data file): for the office, never to publish.",
)
@click.option("-o", "--output", metavar="OUT", help="Write to OUT (default: standard output).")
@handle_errors
def report(path: str, fmt: str, lang: str | None, internal: bool, output: str | None) -> None:
    """The weighing table: comment, response, decision, resulting change; and the state."""
    from charta.consult.files import report_file, report_inputs  # lazy: start-up time

    if fmt in ("xlsx", "ods"):
        from charta.consult.sheet import write_weighing_sheet  # lazy: start-up time

        if not output or output == "-":
            raise click.UsageError(f"a {fmt} sheet is a file: name it with -o FILE.{fmt}")
        if internal:
            raise click.UsageError("the sheet shows pseudonyms only: leave out --internal")
        written = write_weighing_sheet(path, output, lang=lang)
        echo(f"wrote {written}", err=True, line=True)
        return
    text = report_file(path, fmt, lang=lang, internal=internal)
    write_output(output, text, inputs=report_inputs(path))


@consult.command("import-responses")
@click.argument("path", metavar="CHARTA")
@click.argument("sheet", metavar="SHEET")
@click.option("--by", default="", help="Who answers (default: the charta's office or issuer).")
@click.option(
    "--date", "date_text", metavar="DATE", help="The date of the answers (default: today)."
)
@handle_errors
def import_responses(path: str, sheet: str, by: str, date_text: str | None) -> None:
    """Record the decisions and responses of a filled weighing sheet (xlsx, ods or csv).

    Every row is checked first (an unknown comment, a decision word that is none,
    a comment text changed in the sheet); a bad row is named with its row, and
    nothing is written.  A row answered so already is left as it is.
    """
    from charta.consult.sheet import import_responses_file  # lazy: start-up time

    check_texts()
    done = import_responses_file(path, sheet, by=by, date=_date_option(date_text))
    echo(
        f"recorded {len(done.added)} response(s) in {path}"
        + (f"; {len(done.unchanged)} unchanged" if done.unchanged else "")
        + (f"; {len(done.open)} comment(s) not weighed yet" if done.open else ""),
        err=True,
        line=True,
    )


@consult.command()
@click.argument("path", metavar="CHARTA")
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    metavar="DIR",
    help="The folder for the letters (made if missing).",
)
@click.option("--force", is_flag=True, help="Replace letters written before.")
@handle_errors
def letters(path: str, folder: str, force: bool) -> None:
    """One reply a commenter who gave an address: the only output that names them."""
    from charta.consult.files import write_letters  # lazy: start-up time

    done = write_letters(path, folder, force=force)
    echo(
        f"wrote {len(done.written)} letter(s) to {folder}"
        + (
            f"; {len(done.skipped)} commenter(s) gave no address or have no answer yet"
            if done.skipped
            else ""
        ),
        err=True,
        line=True,
    )
