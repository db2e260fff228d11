"""``charta new`` and the editing commands, ``suggest`` and ``trace``."""

from __future__ import annotations

from typing import Any

import click

from charta.cli.base import (
    STDOUT,
    echo,
    edited,
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
    from pathlib import Path

    from charta.check.loading import open_charta, validate_text
    from charta.derive.new import Source, check_id, draft_toml, new_charta, source_name

    if output in STDOUT:
        output = "-"
    target = output if output not in (None, "-") else "charta.toml"
    # A device or pipe is written into, not replaced: no --force needed.
    if output not in (None, "-") and Path(target).is_file() and not force:
        raise click.UsageError(f"{target} exists: use --force to replace it, or another name")
    if charta_id is not None:
        check_id(charta_id)
    chosen = [Source(open_charta(name), source_name(name, target), name) for name in sources]
    charta = new_charta(
        town, chosen, items=items, charta_id=charta_id, title=title, language=language
    )
    text = draft_toml(charta, town, chosen)
    report = validate_text(text, str(Path(target).resolve()))
    if not report.ok:  # pragma: no cover - a draft charta makes is valid; guard it anyway
        from charta.errors import ValidationError

        raise ValidationError(report.problems)
    write_output(
        output, text, toml=True, inputs=tuple(s for s in sources if "/" in s or s.endswith(".toml"))
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
    from charta.derive import operations

    path, item = split_ref(target, "FILE#ITEM")
    if text_file is not None:
        text = text_file.read().strip("\n")
    if text is None and title is None:
        raise click.UsageError("give --text, --text-file or --title")
    from charta.adapters.toml.personal import refuse_names

    refuse_names(path, (reason,), wording=(text or "", title or ""))
    date = parse_date(date_text)
    edited(
        path,
        lambda c: operations.adapt(
            c, item, text=text, title=title, date=date, reason=reason, caused_by=caused_by
        ),
    )


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
    from charta.adapters.toml.personal import refuse_names
    from charta.derive import operations

    refuse_names(path, (reason,), wording=(text or "", title or ""))
    date = parse_date(date_text)
    edited(
        path,
        lambda c: operations.merge(
            c,
            ids,
            into=into,
            title=title,
            text=text,
            date=date,
            reason=reason,
            caused_by=caused_by,
        ),
    )


@main.command()
@click.argument("path", metavar="FILE")
@click.argument("source_item", metavar="SOURCE#ITEM")
@click.option("--reason", required=True, help="Why the town leaves it out.")
@handle_errors
def omit(path: str, source_item: str, reason: str) -> None:
    """Record that a source item is left out on purpose, and why."""
    from charta.adapters.toml.personal import refuse_names
    from charta.derive import operations

    ref = parse_reference(source_item, path)
    refuse_names(path, (reason,))
    edited(path, lambda c: operations.omit(c, ref, reason))


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
    from charta.adapters.toml.personal import refuse_names
    from charta.derive import operations
    from charta.model import Assertion, Confidence, Relation

    path, item = split_ref(target, "FILE#ITEM")
    ref = parse_reference(source_item, path)
    refuse_names(path, (note, stated_at))
    edited(
        path,
        lambda c: operations.link(
            operations.base_on(c, ref, asserted_by=Assertion(asserted_by)),
            item,
            ref,
            Relation(relation),
            confidence=Confidence(confidence),
            asserted_by=Assertion(asserted_by),
            stated_at=stated_at,
            note=note,
        ),
    )


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
    import json

    from charta.check.loading import default_sources, open_charta, source_ids
    from charta.derive.new import source_name
    from charta.derive.suggest import suggest as run
    from charta.model import is_path

    charta = open_charta(path)
    # Names from --against are typed from here; names in based-on are relative to the file.
    # Either way the file writes a source as it names it: an id, or a path from its folder.
    named: list[tuple[str, str | None]] = [(n, None) for n in against]
    named = named or [(str(b.source.charta), path) for b in charta.based_on if b.source.charta]
    named = named or [(n, None) for n in source_ids()]
    sources = [default_sources().resolve(n, base) for n, base in named]
    written_as = {
        s.id: (n if base is not None or not is_path(n) else source_name(n, path))
        for s, (n, base) in zip(sources, named, strict=True)
    }
    found = run(charta, sources, top=top)
    if fmt == "json":
        data = {
            item: [
                {"source": s.source, "title": s.title, "score": s.score, "shared": list(s.shared)}
                for s in ss
            ]
            for item, ss in found.items()
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=True))
    else:
        lines = []
        for item, ss in found.items():
            lines.append(f"{item}:")
            lines += [
                f"  {s.score:6.2f}  {s.source}  „{s.title}“  shared: {', '.join(s.shared)}"
                for s in ss
            ] or ["  (nothing shared with the sources)"]
        if not any(True for _ in charta.walk()):
            echo(f"{path} has no principles to suggest sources for")
        else:
            echo("\n".join(lines) if lines else "every principle already has a source")
    if write and found:
        from charta.derive import operations
        from charta.derive.suggest import confidence_of
        from charta.model import Assertion, Derivation, Reference, Relation

        def change(c: Any) -> Any:
            links = []
            for ss in found.values():
                for s in ss:
                    source_id, _, item_id = s.source.partition("#")
                    ref = Reference(charta=written_as.get(source_id, source_id), item=item_id)
                    links.append(
                        (
                            s.item_id,
                            Derivation(
                                ref=ref,
                                relation=Relation.INSPIRED_BY,
                                confidence=confidence_of(s.score),
                                asserted_by=Assertion.RECORD_KEEPER,
                                note=f"Suggested by charta suggest (score {s.score}; shared: "
                                f"{', '.join(s.shared)}). Check it: confirm, change or delete.",
                            ),
                        )
                    )
            for name in dict.fromkeys(written_as.values()):
                if any(d.ref.charta == name for _, d in links):
                    c = operations.base_on(c, Reference(charta=name))
            return operations.link_many(c, links)  # one pass: linear in the file

        edited(path, change)


@main.command()
@click.argument("target", metavar="FILE#ITEM")
@click.argument("label")
@handle_errors
def renumber(target: str, label: str) -> None:
    """Give a principle a new display number; its id, links and anchors stay."""
    from charta.derive import operations

    path, item = split_ref(target, "FILE#ITEM")
    edited(path, lambda c: operations.renumber(c, item, label))


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
    import json

    from charta.check.loading import default_sources, open_charta
    from charta.derive.trace import trace as run
    from charta.derive.trace import trace_json, trace_text
    from charta.model import is_path

    path, item = split_ref(target, "CHARTA#ITEM")
    chain = run(
        open_charta(path, personal=True),
        item,
        default_sources(),
        base=path if is_path(path) else None,
    )
    if fmt == "json":
        click.echo(json.dumps(trace_json(chain), indent=2, ensure_ascii=True))
    elif fmt == "prov-json":
        from charta.derive.trace import trace_prov

        click.echo(trace_prov(chain), nl=False)
    else:
        echo(trace_text(chain), nl=False)
