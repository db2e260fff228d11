"""``charta new`` and the editing commands, ``suggest`` and ``trace``."""

from __future__ import annotations

from typing import Any

import click

from charta.cli.base import (
    STDOUT,
    check_texts,
    echo,
    handle_errors,
    main,
    parse_date,
    parse_reference,
    split_ref,
    write_output,
)


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
@handle_errors
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
    # lazy: charta --help must not load pathlib, the sources and the checker
    from pathlib import Path

    from charta.derive.files import new_draft

    if output in STDOUT:
        output = "-"
    target = output if output not in (None, "-") else "charta.toml"
    # A device or pipe is written into, not replaced: no --force needed.
    if output not in (None, "-") and Path(target).is_file() and not force:
        raise click.UsageError(f"{target} exists: use --force to replace it, or another name")
    draft = new_draft(
        town,
        sources,
        items=items,
        charta_id=charta_id,
        title=title,
        language=language,
        target=target,
    )
    write_output(
        output,
        draft.text,
        toml=True,
        inputs=tuple(s for s in sources if "/" in s or s.endswith(".toml")),
    )


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
@handle_errors
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
    from charta.derive.files import adapt_file  # lazy: start-up time

    path, item = split_ref(target, "FILE#ITEM")
    if text_file is not None:
        text = text_file.read().strip("\n")
    if text is None and title is None:
        raise click.UsageError("give --text, --text-file or --title")
    date = parse_date(date_text)
    check_texts()
    adapt_file(path, item, text=text, title=title, date=date, reason=reason, caused_by=caused_by)
    echo(f"changed {path}", err=True, line=True)


@main.command()
@click.argument("path", metavar="FILE")
@click.argument("ids", nargs=-1, required=True, metavar="ITEM ITEM...")
@click.option("--into", help="The id that stays (default: the first).")
@click.option("--title", help="The merged principle's title.")
@click.option("--text", help="The merged principle's text.")
@click.option("--reason", default="", help="Why (recorded with the merge).")
@click.option("--date", "date_text", metavar="DATE", help="When (default: today).")
@click.option("--caused-by", multiple=True, metavar="ID", help="A comment or response id.")
@handle_errors
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
    from charta.derive.files import merge_file  # lazy: start-up time

    date = parse_date(date_text)
    check_texts()
    merge_file(
        path, ids, into=into, title=title, text=text, date=date, reason=reason, caused_by=caused_by
    )
    echo(f"changed {path}", err=True, line=True)


@main.command()
@click.argument("path", metavar="FILE")
@click.argument("source_item", metavar="SOURCE#ITEM")
@click.option("--reason", required=True, help="Why the town leaves it out.")
@handle_errors
def omit(path: str, source_item: str, reason: str) -> None:
    """Record that a source item is left out on purpose, and why."""
    from charta.derive.files import omit_file  # lazy: start-up time

    ref = parse_reference(source_item, path)
    check_texts()
    omit_file(path, ref, reason)
    echo(f"changed {path}", err=True, line=True)


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
@handle_errors
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
    # lazy: start-up time
    from charta.derive.files import link_file
    from charta.model import Assertion, Confidence, Relation

    path, item = split_ref(target, "FILE#ITEM")
    ref = parse_reference(source_item, path)
    check_texts()
    link_file(
        path,
        item,
        ref,
        Relation(relation),
        confidence=Confidence(confidence),
        asserted_by=Assertion(asserted_by),
        stated_at=stated_at,
        note=note,
    )
    echo(f"changed {path}", err=True, line=True)


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
@handle_errors
def suggest(path: str, *, against: tuple[str, ...], top: int, fmt: str, write: bool) -> None:
    """Suggest source items for the principles that have no recorded source."""

    # lazy: start-up time
    from charta.derive.files import suggest_for_file, write_suggestions

    result = suggest_for_file(path, against=against, top=top)
    found = result.found
    if fmt == "json":
        click.echo(result.json(), nl=False)
    else:
        lines = []
        for item, ss in found.items():
            lines.append(f"{item}:")
            lines += [
                f"  {s.score:6.2f}  {s.source}  „{s.title}“  shared: {', '.join(s.shared)}"
                for s in ss
            ] or ["  (nothing shared with the sources)"]
        if not any(True for _ in result.charta.walk()):
            echo(f"{path} has no principles to suggest sources for")
        else:
            echo("\n".join(lines) if lines else "every principle already has a source")
    if write and found:
        check_texts()
        write_suggestions(path, result)
        echo(f"changed {path}", err=True, line=True)


@main.command()
@click.argument("target", metavar="FILE#ITEM")
@click.argument("label")
@handle_errors
def renumber(target: str, label: str) -> None:
    """Give a principle a new display number; its id, links and anchors stay."""
    from charta.derive.files import renumber_file  # lazy: start-up time

    path, item = split_ref(target, "FILE#ITEM")
    check_texts()
    renumber_file(path, item, label)
    echo(f"changed {path}", err=True, line=True)


@main.command()
@click.argument("target", metavar="CHARTA#ITEM")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "prov-json"]),
    default="text",
    show_default=True,
)
@handle_errors
def trace(target: str, fmt: str) -> None:
    """Follow a principle back through its revisions and sources, town by town."""

    # lazy: start-up time
    from charta.derive.files import trace_item
    from charta.derive.trace import trace_json, trace_prov, trace_text

    path, item = split_ref(target, "CHARTA#ITEM")
    chain = trace_item(path, item)
    if fmt == "json":
        click.echo(trace_json(chain), nl=False)
    elif fmt == "prov-json":
        click.echo(trace_prov(chain), nl=False)
    else:
        echo(trace_text(chain), nl=False)
