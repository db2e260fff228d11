"""What a rendered page shows: a charta, its sources looked up, its consultation joined.

The HTML and Markdown renderers draw the same :class:`Page`, built once by
:func:`build_page` from the **public view** of a charta (no commenter's name
without consent, no email):

- each principle with its links to source items, resolved to what a citizen
  needs to check them (the source's title, publisher, edition, page, link);
- each revision as a word difference, with the comments and responses that
  caused it;
- the consultation as threads: a comment, its responses, the changes it caused;
- the coverage of each source: its items against the principles, from the
  same comparison ``charta diff`` makes (:func:`charta.diff.against_sources`).

Building a page is linear in the charta: every look-up goes through an index
made once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs
import attrs as _attrs

from charta.diff import ChangeClass, Coverage, against_sources
from charta.diff.words import Piece, diff_words
from charta.errors import ChartaError
from charta.labels import Labels, labels_for
from charta.model import (
    Assertion,
    Charta,
    Comment,
    Confidence,
    Derivation,
    Item,
    Knowledge,
    MergedAway,
    PartialDate,
    Reference,
    Relation,
    Response,
    RevisedField,
    Revision,
)
from charta.privacy import public_view
from charta.references import Resolver, lookup
from charta.texts import is_web_url

__all__ = [
    "Amendment",
    "CoverageRow",
    "CoverageTable",
    "Link",
    "Page",
    "PageLink",
    "Principle",
    "SourceInfo",
    "Thread",
    "build_page",
    "source_info",
]


@attrs.frozen(kw_only=True)
class SourceInfo:
    """A source item (or source charta) as a citizen needs it to check a link."""

    ref: str
    """The reference as written (``smart-city-charta#leitbild-5``)."""
    resolved: bool
    charta_id: str = ""
    charta_title: str = ""
    publisher: str = ""
    edition: str = ""
    edition_date: PartialDate | None = None
    item_id: str = ""
    item_label: str = ""
    item_title: str = ""
    summary: str = ""
    knowledge: Knowledge = Knowledge.VERIFIED
    locator: str = ""
    """The page or place in the original ("S. 9")."""
    urls: tuple[str, ...] = ()

    @property
    def web_urls(self) -> tuple[str, ...]:
        return tuple(u for u in self.urls if is_web_url(u))


@attrs.frozen(kw_only=True)
class Link:
    """One link of a principle to where it comes from."""

    source: SourceInfo
    relation: Relation
    confidence: Confidence
    asserted_by: Assertion | None
    stated_at: str
    note: str


@attrs.frozen(kw_only=True)
class Amendment:
    """One revision of a principle, as words deleted and inserted."""

    field: RevisedField
    date: PartialDate | None
    pieces: tuple[Piece, ...]
    reason: str
    caused_by: tuple[str, ...]
    before_knowledge: Knowledge
    note: str


@attrs.frozen(kw_only=True)
class Principle:
    """A principle of the page, with everything shown beside it."""

    item: Item
    depth: int
    links: tuple[Link, ...]
    amendments: tuple[Amendment, ...]
    comments: tuple[str, ...]
    """Ids of the comments on this principle (see :attr:`Page.threads`)."""
    merged: tuple[MergedAway, ...]
    """The principles merged into this one, as they last were."""
    children: tuple[Principle, ...]


@attrs.frozen(kw_only=True)
class Thread:
    """A comment, the responses to it and the changes it caused."""

    comment: Comment
    who: str
    """The commenter's public name: the pseudonym unless they consented."""
    target: Item | None
    responses: tuple[Response, ...]
    changes: tuple[tuple[Item, RevisedField], ...]


@attrs.frozen(kw_only=True)
class CoverageRow:
    """One source item, and the principles that take it up."""

    source: SourceInfo
    takers: tuple[tuple[Item, Relation], ...]
    """The principles that take the item up, and how, in document order."""
    cells: tuple[Relation | None, ...]
    """One per column of its table (:attr:`CoverageTable.columns`); empty in list form."""
    status: str
    """``derived``, ``covered-elsewhere``, ``omitted`` or ``not-addressed``."""
    detail: str = ""
    """Where it is covered, or why it is left out."""
    anchor: str = ""
    """The id of that entry on the page (``charta_om_0``, ``charta_ce_2``)."""


MAX_CELLS = 20_000
"""A coverage table larger than this (items x principles) is drawn as a list:
a matrix of 1,000 items and 1,000 principles would be a million cells."""


@attrs.frozen(kw_only=True)
class CoverageTable:
    source_id: str
    title: str
    figure: Coverage
    columns: tuple[Item, ...]
    """The principles that take up an item of this source: the columns of the matrix."""
    rows: tuple[CoverageRow, ...]

    @property
    def matrix(self) -> bool:
        """Whether the table is a matrix (items x principles), or too large and a list."""
        return len(self.rows) * len(self.columns) <= MAX_CELLS


@attrs.frozen(kw_only=True)
class PageLink:
    """A link of the town's own: imprint, accessibility statement, contact."""

    label: str
    url: str


@attrs.frozen(kw_only=True)
class Page:
    charta: Charta
    """The public view of the charta."""
    labels: Labels
    principles: tuple[Principle, ...]
    coverage: tuple[CoverageTable, ...]
    threads: tuple[Thread, ...]
    links: tuple[PageLink, ...] = ()
    notes_language: str = ""
    """The language of notes and reasons, where it is not the charta's."""
    internal: bool = False
    """Commenters named: for the office only; the page says so."""

    @property
    def lang(self) -> str:
        """The language of the interface words."""
        return self.labels.lang

    @property
    def items_heading(self) -> str:
        """The heading of the principles: "Die Leitmotive", "Die Leitlinien", "Die Grundsätze"."""
        return self.labels.items_heading({p.item.kind.value for p in self.principles})

    causes: dict[str, str] = attrs.field(factory=dict)
    """What each comment or response id stands for, in words ("Kommentar von Person 1")."""

    @property
    def picture(self) -> tuple[tuple[str, ...], tuple[tuple[bool, ...], ...], int] | None:
        """The grid the SVG draws: principle ids, per source item whether each takes it,
        and how many items are taken at all.

        ``None`` when there is nothing to draw, or more than :data:`MAX_CELLS` cells.
        """
        columns: list[str] = []
        seen: set[str] = set()
        for table in self.coverage:
            for col in table.columns:
                if col.id not in seen:
                    seen.add(col.id)
                    columns.append(col.id)
        rows = [row for table in self.coverage for row in table.rows]
        if not columns or len(rows) * len(columns) > MAX_CELLS:
            return None
        index = {c: n for n, c in enumerate(columns)}
        grid = []
        for row in rows:
            marks = [False] * len(columns)
            for item, _ in row.takers:
                marks[index[item.id]] = True
            grid.append(tuple(marks))
        return tuple(columns), tuple(grid), sum(1 for row in rows if row.takers)

    def walk(self) -> Iterable[Principle]:
        stack = list(reversed(self.principles))
        while stack:
            p = stack.pop()
            yield p
            stack.extend(reversed(p.children))


def build_page(
    charta: Charta,
    resolver: Resolver,
    *,
    base: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    links: Iterable[PageLink] = (),
    notes_language: str = "",
    internal: bool = False,
) -> Page:
    """The page of ``charta``: its public view with sources resolved through ``resolver``.

    ``base`` is the charta's file (relative references start from its folder);
    ``lang`` the language of the interface words (default: the charta's).
    """
    public = public_view(named(charta) if internal else charta)
    labels = labels_for(lang or public.language)
    infos = _SourceIndex(resolver, base, public)
    threads = _threads(public)
    on_item: dict[str, list[str]] = {}
    for t in threads:
        if t.target is not None:
            on_item.setdefault(t.target.id, []).append(t.comment.id)

    # Under the principle that carries each on, through later merges too.
    merged: dict[str, list[MergedAway]] = {}
    ends = public.merge_ends() if public.merged_away else {}
    for m in public.merged_away:
        merged.setdefault(ends.get(m.id, ""), []).append(m)

    def principle(item: Item, depth: int) -> Principle:
        return Principle(
            item=item,
            depth=depth,
            links=tuple(_link(d, infos) for d in item.derived_from),
            amendments=tuple(_amendment(r) for r in item.revisions),
            comments=tuple(on_item.get(item.id, ())),
            merged=tuple(merged.get(item.id, ())),
            children=tuple(principle(c, depth + 1) for c in item.children),
        )

    principles = tuple(principle(i, 0) for i in public.items)
    causes: dict[str, str] = {}
    for t in threads:
        causes[t.comment.id] = f"{labels['comment_by']} {t.who}"
        for r in t.responses:
            causes[r.id] = f"{labels['response_by']} {r.by}"
    return Page(
        charta=public,
        labels=labels,
        principles=principles,
        coverage=_coverage(public, infos),
        threads=threads,
        causes=causes,
        links=tuple(links),
        notes_language=notes_language if notes_language != public.language else "",
        internal=internal,
    )


def named(charta: Charta) -> Charta:
    """Every commenter with a name treated as consenting: the internal profile,
    which names them (e-mail addresses stay out even there)."""

    cons = charta.consultation
    if cons is None:
        return charta
    comments = tuple(
        _attrs.evolve(c, commenter=_attrs.evolve(c.commenter, consent_to_publish=True))
        if c.commenter.name
        else c
        for c in cons.comments
    )
    return _attrs.evolve(charta, consultation=_attrs.evolve(cons, comments=comments))


class _SourceIndex:
    """Resolves references once each; chartas are looked up once per name."""

    def __init__(self, resolver: Resolver, base: str | os.PathLike[str] | None, here: Charta):
        self.resolver = resolver
        self.base = base
        self.here = here
        self.chartas: dict[str, Charta | None] = {}
        self.infos: dict[str, SourceInfo] = {}

    def charta(self, name: str) -> Charta | None:
        if name not in self.chartas:
            try:
                self.chartas[name] = lookup(
                    self.resolver, Reference(charta=name), base=self.base, here=self.here
                )[0]
            except ChartaError:
                self.chartas[name] = None
        return self.chartas[name]

    def info(self, ref: Reference) -> SourceInfo:
        key = str(ref)
        found = self.infos.get(key)
        if found is None:
            found = self.infos[key] = self._info(ref)
        return found

    def _info(self, ref: Reference) -> SourceInfo:
        target = self.here if ref.charta is None else self.charta(ref.charta)
        if target is None:
            return SourceInfo(ref=str(ref), resolved=False)
        item = target.item(ref.item) if ref.item is not None else None
        if ref.item is not None and item is None:
            return SourceInfo(ref=str(ref), resolved=False, charta_title=target.title)
        return source_info(target, item, ref=str(ref), edition=ref.edition)


def source_info(
    charta: Charta, item: Item | None, *, ref: str = "", edition: str | None = None
) -> SourceInfo:
    """What a citizen needs to check an item of ``charta`` (at ``edition``, default the one
    recorded): title, publisher, edition, page, address.  Used by the page and by trace."""
    edition = edition or charta.edition
    record = charta.edition_record(edition) if edition else None
    publisher = ", ".join(record.publishers) if record and record.publishers else ""
    return SourceInfo(
        ref=ref or (f"{charta.id}#{item.id}" if item else charta.id),
        resolved=True,
        charta_id=charta.id,
        charta_title=charta.title,
        publisher=publisher or charta.issuer.body,
        edition=edition,
        edition_date=(record.date if record else None) or charta.date,
        item_id=item.id if item else "",
        item_label=item.label if item else "",
        item_title=item.title if item else "",
        summary=item.summary if item else "",
        knowledge=item.knowledge if item else Knowledge.VERIFIED,
        locator=item.locator if item else "",
        urls=(record.urls if record and record.urls else ()) or charta.provenance.urls,
    )


def _link(d: Derivation, infos: _SourceIndex) -> Link:
    return Link(
        source=infos.info(d.ref),
        relation=d.relation,
        confidence=d.confidence,
        asserted_by=d.asserted_by,
        stated_at=d.stated_at,
        note=d.note,
    )


def _amendment(r: Revision) -> Amendment:
    return Amendment(
        field=r.field,
        date=r.date,
        pieces=diff_words(r.before, r.after),
        reason=r.reason,
        caused_by=r.caused_by,
        before_knowledge=r.before_knowledge,
        note=r.note,
    )


def _threads(charta: Charta) -> tuple[Thread, ...]:
    cons = charta.consultation
    if cons is None:
        return ()
    answers = cons.responses_by_comment()
    caused: dict[str, list[tuple[Item, RevisedField]]] = {}
    for comment_id, entries in charta.changes_by_comment().items():
        for thing, rev in entries:
            if isinstance(thing, Item) and rev is not None:
                caused.setdefault(comment_id, []).append((thing, rev.field))
    out = []
    for c in cons.comments:
        target = (
            charta.item(c.target.item)
            if c.target is not None and c.target.is_local and c.target.item
            else None
        )
        out.append(
            Thread(
                comment=c,
                who=c.commenter.public_name,
                target=target,
                responses=tuple(answers.get(c.id, ())),
                changes=tuple(caused.get(c.id, ())),
            )
        )
    return tuple(out)


def _coverage(charta: Charta, infos: _SourceIndex) -> tuple[CoverageTable, ...]:
    """Per source: its items against the principles, from :func:`against_sources`."""
    names: list[str] = []
    for b in charta.based_on:
        if b.source.charta and b.source.charta not in names:
            names.append(b.source.charta)
    for item in charta.walk():
        for d in item.derived_from:
            if d.ref.charta and d.ref.charta not in names:
                names.append(d.ref.charta)
    sources: list[tuple[str, Charta]] = []
    seen: set[str] = set()
    for name in names:
        source = infos.charta(name)
        if source is not None and source.id not in seen and source.id != charta.id:
            seen.add(source.id)
            sources.append((name, source))
    if not sources:
        return ()
    result = against_sources(charta, [s for _, s in sources])
    details: dict[str, tuple[str, str]] = {}
    for n, ce in enumerate(charta.covered_elsewhere):
        details[_key(ce.ref, infos)] = (ce.where, f"charta_ce_{n}")
    for n, om in enumerate(charta.omissions):
        details[_key(om.ref, infos)] = (om.reason, f"charta_om_{n}")
    status: dict[str, str] = {}
    takers: dict[str, list[tuple[Item, Relation]]] = {}
    items = {item.id: item for item in charta.walk()}
    for change in result.changes:
        if not change.source:
            continue
        cls = change.change_class
        if cls is ChangeClass.DERIVED:
            status[change.source] = "derived"
            if change.item in items and change.relation:
                takers.setdefault(change.source, []).append(
                    (items[change.item], Relation(change.relation))
                )
        elif cls in (ChangeClass.COVERED_ELSEWHERE, ChangeClass.OMITTED, ChangeClass.NOT_ADDRESSED):
            status[change.source] = cls.value
    order = {item_id: n for n, item_id in enumerate(items)}
    tables = []
    for (name, source), figure in zip(sources, result.coverage, strict=True):
        keys = [(src_item, f"{source.id}#{src_item.id}") for src_item in source.walk()]
        taking = {item.id: item for _, key in keys for item, _ in takers.get(key, ())}
        columns = tuple(sorted(taking.values(), key=lambda i: order[i.id]))
        column = {item.id: n for n, item in enumerate(columns)}
        matrix = len(keys) * len(columns) <= MAX_CELLS
        rows = []
        for src_item, key in keys:
            taken = tuple(takers.get(key, ()))
            cells: list[Relation | None] = [None] * len(columns) if matrix else []
            for item, relation in taken if matrix else ():
                cells[column[item.id]] = relation
            rows.append(
                CoverageRow(
                    source=infos.info(Reference(charta=name, item=src_item.id)),
                    takers=taken,
                    cells=tuple(cells),
                    status=status.get(key, "not-addressed"),
                    detail=details.get(key, ("", ""))[0],
                    anchor=details.get(key, ("", ""))[1],
                )
            )
        tables.append(
            CoverageTable(
                source_id=source.id,
                title=source.title,
                figure=figure,
                columns=columns,
                rows=tuple(rows),
            )
        )
    return tuple(tables)


def _key(ref: Reference, infos: _SourceIndex) -> str:
    """``source-id#item-id`` for a reference written by id or by path."""
    target = infos.charta(ref.charta) if ref.charta else None
    return f"{target.id if target else ref.charta}#{ref.item}"
