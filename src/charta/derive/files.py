"""The derive commands on files: ``charta new``, ``adapt``, ``merge``, ``omit``,
``link``, ``renumber``, ``suggest`` and ``trace``, one function each.

Each function takes what the command takes (paths, ids, texts) and does all
of its work: reading, refusing a commenter's name bound for the public file,
the pure operation of :mod:`charta.derive.operations`, checking, writing back
(:func:`charta.derive.edit.edit_file`).  Each returns a typed result; the
command only prints it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from charta.adapters import json as json_adapter
from charta.adapters.schema import schema_of
from charta.adapters.toml.personal import refuse_names
from charta.check.loading import default_sources, open_charta, source_ids, validate_text
from charta.derive import operations
from charta.derive.edit import edit_file
from charta.derive.new import Source, check_id, draft_toml, new_charta, source_name
from charta.derive.suggest import Suggestion, confidence_of, suggest
from charta.derive.trace import Step, trace
from charta.errors import ValidationError
from charta.model import (
    Assertion,
    Charta,
    Confidence,
    Derivation,
    PartialDate,
    Reference,
    Relation,
    is_path,
)

__all__ = [
    "Draft",
    "Suggestions",
    "adapt_file",
    "link_file",
    "merge_file",
    "new_draft",
    "omit_file",
    "renumber_file",
    "suggest_for_file",
    "suggestions_schema",
    "trace_item",
    "write_suggestions",
]


@attrs.frozen(kw_only=True)
class Draft:
    """A new town's charta, to be written to a file and rewritten by the town."""

    charta: Charta
    text: str
    """The TOML to write: canonical, with comments that say what to do next."""


def new_draft(
    town: str,
    sources: Sequence[str],
    *,
    items: Sequence[str] = (),
    charta_id: str | None = None,
    title: str | None = None,
    language: str = "de",
    target: str | os.PathLike[str] = "charta.toml",
) -> Draft:
    """``charta new``: a valid draft for ``town`` from ``sources`` (source ids or files).

    ``target`` is where the draft will be written: paths to sources are
    written relative to its folder.  Raises :class:`~charta.errors.ChartaError`
    for a source that cannot be read, an unknown item or a bad id.
    """
    if charta_id is not None:
        check_id(charta_id)
    target = os.fspath(target)
    chosen = [Source(open_charta(name), source_name(name, target), name) for name in sources]
    charta = new_charta(
        town, chosen, items=items, charta_id=charta_id, title=title, language=language
    )
    text = draft_toml(charta, town, chosen)
    report = validate_text(text, str(Path(target).resolve()))
    if not report.ok:  # pragma: no cover - a draft charta makes is valid; guard it anyway
        raise ValidationError(report.problems)
    return Draft(charta=charta, text=text)


def adapt_file(
    path: str | os.PathLike[str],
    item: str,
    *,
    text: str | None = None,
    title: str | None = None,
    date: PartialDate | None = None,
    reason: str = "",
    caused_by: Sequence[str] = (),
) -> Charta:
    """``charta adapt``: reword a principle; the change is recorded as a revision."""
    refuse_names(path, (reason,), wording=(text or "", title or ""))
    return edit_file(
        path,
        lambda c: operations.adapt(
            c, item, text=text, title=title, date=date, reason=reason, caused_by=tuple(caused_by)
        ),
    )


def merge_file(
    path: str | os.PathLike[str],
    ids: Sequence[str],
    *,
    into: str | None = None,
    title: str | None = None,
    text: str | None = None,
    date: PartialDate | None = None,
    reason: str = "",
    caused_by: Sequence[str] = (),
) -> Charta:
    """``charta merge``: merge principles into one, which keeps all their links."""
    refuse_names(path, (reason,), wording=(text or "", title or ""))
    return edit_file(
        path,
        lambda c: operations.merge(
            c,
            tuple(ids),
            into=into,
            title=title,
            text=text,
            date=date,
            reason=reason,
            caused_by=tuple(caused_by),
        ),
    )


def omit_file(path: str | os.PathLike[str], ref: Reference, reason: str) -> Charta:
    """``charta omit``: record that a source item is left out on purpose, and why."""
    refuse_names(path, (reason,))
    return edit_file(path, lambda c: operations.omit(c, ref, reason))


def link_file(
    path: str | os.PathLike[str],
    item: str,
    ref: Reference,
    relation: Relation,
    *,
    confidence: Confidence = Confidence.MEDIUM,
    asserted_by: Assertion = Assertion.ISSUER,
    stated_at: str = "",
    note: str = "",
) -> Charta:
    """``charta link``: link a principle to the source item it comes from (and base
    the charta on that source, if it is not yet)."""
    refuse_names(path, (note, stated_at))
    return edit_file(
        path,
        lambda c: operations.link(
            operations.base_on(c, ref, asserted_by=asserted_by),
            item,
            ref,
            relation,
            confidence=confidence,
            asserted_by=asserted_by,
            stated_at=stated_at,
            note=note,
        ),
    )


def renumber_file(path: str | os.PathLike[str], item: str, label: str) -> Charta:
    """``charta renumber``: a new display number; id, links and anchors stay."""
    return edit_file(path, lambda c: operations.renumber(c, item, label))


@attrs.frozen(kw_only=True)
class Suggestions:
    """What ``charta suggest`` found for the principles of one file."""

    charta: Charta
    found: dict[str, list[Suggestion]]
    """For each principle without a recorded source, the likeliest source items."""
    written_as: dict[str, str]
    """How the file names each source it was compared with (an id, or a path from
    its folder): what a link written into it uses."""

    def record(self) -> SuggestionsRecord:
        """The suggestions as a document: ``charta suggest --format json``."""
        return SuggestionsRecord(principles={item: tuple(ss) for item, ss in self.found.items()})

    def json(self) -> str:
        """``charta suggest --format json``: the record as JSON, with its schema's id."""
        return json_adapter.dumps(self.record(), "suggest")


@attrs.frozen(kw_only=True)
class SuggestionsRecord:
    """``charta suggest --format json``: for each principle, the likeliest source items."""

    principles: dict[str, tuple[Suggestion, ...]]
    """By principle id, best first."""


def suggestions_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta suggest --format json``."""
    return schema_of(SuggestionsRecord, kind="suggest", title="charta suggest")


def suggest_for_file(
    path: str | os.PathLike[str], *, against: Sequence[str] = (), top: int = 3
) -> Suggestions:
    """``charta suggest``: source items for the principles that have no recorded source.

    ``against`` names sources (ids, or files from the current folder); by
    default the sources the charta is based on, else every installed one.
    """
    path = os.fspath(path)
    charta = open_charta(path)
    # Names from --against are typed from here; names in based-on are relative to the file.
    named: list[tuple[str, str | None]] = [(n, None) for n in against]
    named = named or [(str(b.source.charta), path) for b in charta.based_on if b.source.charta]
    named = named or [(n, None) for n in source_ids()]
    sources = [default_sources().resolve(n, base) for n, base in named]
    written_as = {
        s.id: (n if base is not None or not is_path(n) else source_name(n, path))
        for s, (n, base) in zip(sources, named, strict=True)
    }
    return Suggestions(
        charta=charta, found=suggest(charta, sources, top=top), written_as=written_as
    )


def write_suggestions(path: str | os.PathLike[str], suggestions: Suggestions) -> Charta:
    """``charta suggest --write``: each suggestion becomes a link 'inspired-by',
    asserted by the record-keeper with the confidence its score earns, to be checked."""
    written_as = suggestions.written_as
    links: list[tuple[str, Derivation]] = []
    for ss in suggestions.found.values():
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

    def change(c: Charta) -> Charta:
        for name in dict.fromkeys(written_as.values()):
            if any(d.ref.charta == name for _, d in links):
                c = operations.base_on(c, Reference(charta=name))
        return operations.link_many(c, links)  # one pass: linear in the file

    return edit_file(path, change)


def trace_item(name: str, item: str) -> Step:
    """``charta trace``: the provenance chain of ``item`` in the charta ``name``
    (a source id or a file), town by town back to the federal charta."""
    return trace(
        open_charta(name, personal=True),
        item,
        default_sources(),
        base=name if is_path(name) else None,
    )
