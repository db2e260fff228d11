"""Operations on a charta: pure functions that return a new charta.

A town adapts its sources step by step: it adopts a source item, rewrites a
principle, merges two, splits one, adds its own, leaves a source item out
with a reason.  Each step here takes a charta and returns a new one; the
input is never changed (the model is frozen).  A step that changes wording
records a :class:`~charta.model.Revision` with its date and reason, so that
``charta diff --at`` and the page's history show it.

Bad requests (an id that does not exist, a new id that is taken) raise
:class:`~charta.errors.ChartaError` naming the id and, where it helps, the
nearest existing one.  Writing a result back into a file, keeping the
clerk's comments and layout, is :mod:`charta.adapters.toml.edit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from charta import rules
from charta.errors import ChartaError
from charta.hints import did_you_mean
from charta.model import (
    Assertion,
    Basis,
    Charta,
    Confidence,
    CoveredElsewhere,
    Derivation,
    Item,
    ItemKind,
    Knowledge,
    MergedAway,
    Omission,
    PartialDate,
    Reference,
    Relation,
    RevisedField,
    Revision,
    is_id,
)

__all__ = [
    "adapt",
    "add",
    "adopt",
    "base_on",
    "cover_elsewhere",
    "link",
    "link_many",
    "merge",
    "omit",
    "renumber",
    "retitle",
    "split",
]


def _missing(charta: Charta, item_id: str) -> ChartaError:
    end = charta.merge_ends().get(item_id) if charta.merged_away else None
    if end is not None:
        return ChartaError(
            f"'{item_id}' was merged away"
            + (f"; its content is carried on by '{end}'" if end else "")
            + " (see [[merged-away]])",
            rule=rules.REQUEST,
        )
    return ChartaError(
        f"'{charta.id}' has no item '{item_id}'{did_you_mean(item_id, charta.item_ids)}",
        rule=rules.REQUEST,
    )


def _require(charta: Charta, item_id: str) -> Item:
    item = charta.item(item_id)
    if item is None:
        raise _missing(charta, item_id)
    return item


def _new_id(charta: Charta, item_id: str) -> None:
    if not is_id(item_id):
        raise ChartaError(
            f"'{item_id}' is not a valid id: lower-case letters, digits and hyphens, "
            "e.g. 'digitale-bildung'",
            rule=rules.REQUEST,
        )
    if charta.item(item_id) is not None:
        raise ChartaError(f"'{charta.id}' already has an item '{item_id}'", rule=rules.REQUEST)
    gone = charta.merged_away_record(item_id)
    if gone is not None:
        raise ChartaError(
            f"'{item_id}' was the id of a principle merged into '{gone.merged_into}': "
            "choose another id, so that its history stays its own",
            rule=rules.REQUEST,
        )


def _recounted(old: Charta, new: Charta) -> Charta:
    """A town's own charta that recorded all its declared items still does after an edit."""
    recorded_all = old.declared_count is not None and old.declared_count == old.known_count
    if recorded_all and new.declared_count != new.known_count:
        return attrs.evolve(new, declared_count=new.known_count)
    return new


def _map_items(charta: Charta, change: Callable[[Item], Item | None]) -> Charta:
    """Apply ``change`` to every item (depth first); ``None`` removes the item."""

    def walk(items: tuple[Item, ...]) -> tuple[Item, ...]:
        out = []
        for item in items:
            changed = change(item)
            if changed is None:
                continue
            if changed.children:
                changed = attrs.evolve(changed, children=walk(changed.children))
            out.append(changed)
        return tuple(out)

    return _recounted(charta, attrs.evolve(charta, items=walk(charta.items)))


def _replace(charta: Charta, item_id: str, new: Item) -> Charta:
    _require(charta, item_id)
    return _map_items(charta, lambda i: new if i.id == item_id else i)


def _revision(
    field: RevisedField,
    *,
    before: str,
    after: str,
    date: PartialDate | None,
    reason: str,
    caused_by: Sequence[str] = (),
) -> Revision:
    return Revision(
        field=field,
        before=before,
        after=after,
        date=date,
        reason=reason,
        caused_by=tuple(caused_by),
    )


def adapt(
    charta: Charta,
    item_id: str,
    *,
    text: str | None = None,
    title: str | None = None,
    date: PartialDate | None = None,
    reason: str = "",
    caused_by: Sequence[str] = (),
) -> Charta:
    """New wording for a principle: its links stay, and each changed field gets a revision.

    A link "adopted" (verbatim) becomes "adapted" when the text changes: it is
    no longer the source's wording.
    """
    item = _require(charta, item_id)
    # A charta file holds LF line ends inside texts (CRLF is read as LF).
    text = text.replace("\r\n", "\n") if text is not None else None
    title = title.replace("\r\n", "\n") if title is not None else None
    revisions = list(item.revisions)
    changes: dict[str, Any] = {}
    if title is not None and title != item.title:
        if not title.strip():
            raise ChartaError("a title cannot be blank", rule=rules.REQUEST)
        revisions.append(
            _revision(
                RevisedField.TITLE,
                before=item.title,
                after=title,
                date=date,
                reason=reason,
                caused_by=caused_by,
            )
        )
        changes["title"] = title
    if text is not None and text != item.text:
        if not text.strip():
            raise ChartaError(
                "a new text cannot be blank (to leave the principle out, merge it or "
                "remove it in the file)",
                rule=rules.REQUEST,
            )
        revisions.append(
            _revision(
                RevisedField.TEXT,
                before=item.text,
                after=text,
                date=date,
                reason=reason,
                caused_by=caused_by,
            )
        )
        changes["text"] = text
        changes["derived_from"] = tuple(
            attrs.evolve(d, relation=Relation.ADAPTED) if d.relation is Relation.ADOPTED else d
            for d in item.derived_from
        )
    if not changes:
        return charta
    return _replace(charta, item_id, attrs.evolve(item, revisions=tuple(revisions), **changes))


def retitle(
    charta: Charta,
    item_id: str,
    title: str,
    *,
    date: PartialDate | None = None,
    reason: str = "",
) -> Charta:
    """A new title, with a revision."""
    return adapt(charta, item_id, title=title, date=date, reason=reason)


def renumber(charta: Charta, item_id: str, label: str) -> Charta:
    """A new display number; the id stays, so links and anchors keep working."""
    item = _require(charta, item_id)
    return _replace(charta, item_id, attrs.evolve(item, label=label))


def add(charta: Charta, item: Item, *, after: str | None = None) -> Charta:
    """A new top-level principle (a local addition unless it has links), at the end or after
    the top-level principle ``after``."""
    _new_id(charta, item.id)
    items = list(charta.items)
    if after is None:
        items.append(item)
    else:
        ids = [i.id for i in items]
        if after not in ids:
            raise ChartaError(
                f"no top-level item '{after}' to add after{did_you_mean(after, ids)}",
                rule=rules.REQUEST,
            )
        items.insert(ids.index(after) + 1, item)
    return _recounted(charta, attrs.evolve(charta, items=tuple(items)))


def adopt(
    charta: Charta,
    source: Charta,
    item_id: str,
    *,
    ref: Reference | None = None,
    new_id: str | None = None,
    label: str = "",
    asserted_by: Assertion = Assertion.ISSUER,
) -> Charta:
    """Take a source item over as a new principle, linked to it as "adopted".

    Its starting text is the source item's text, or, where the source holds
    only a summary in our own words, that summary.  ``ref`` is how the new
    link names the source (default: its id, ``source-id#item-id``).
    """
    src = source.item(item_id)
    if src is None:
        raise _missing(source, item_id)
    new_id = new_id or item_id
    link_ref = ref or Reference(charta=source.id, item=item_id)
    item = Item(
        id=new_id,
        label=label,
        title=src.title,
        kind=charta.items[0].kind if charta.items else ItemKind.LEITMOTIV,
        text=src.text or src.summary,
        derived_from=(
            Derivation(
                ref=link_ref,
                relation=Relation.ADOPTED,
                confidence=Confidence.HIGH,
                asserted_by=asserted_by,
            ),
        ),
    )
    return add(charta, item)


def link(
    charta: Charta,
    item_id: str,
    ref: Reference,
    relation: Relation,
    *,
    confidence: Confidence = Confidence.MEDIUM,
    asserted_by: Assertion = Assertion.RECORD_KEEPER,
    stated_at: str = "",
    note: str = "",
) -> Charta:
    """A new link from a principle to a source item, or a new relation for an existing link
    (in its place, keeping its note and where it is stated unless new ones are given)."""
    item = _require(charta, item_id)
    before = next((d for d in item.derived_from if d.ref == ref), None)
    new = Derivation(
        ref=ref,
        relation=relation,
        confidence=confidence,
        asserted_by=asserted_by,
        # a link made again keeps what was written about it, unless told otherwise
        stated_at=stated_at or (before.stated_at if before else ""),
        note=note or (before.note if before else ""),
    )
    if before is not None:  # in its place
        links = tuple(new if d.ref == ref else d for d in item.derived_from)
    else:
        links = (*item.derived_from, new)
    return _replace(charta, item_id, attrs.evolve(item, derived_from=links))


def link_many(charta: Charta, links: Iterable[tuple[str, Derivation]]) -> Charta:
    """Many new links at once, ``(item id, derivation)``: one pass over the charta.

    A link to a source item the principle already links to replaces that link.
    """
    wanted: dict[str, list[Derivation]] = {}
    for item_id, derivation in links:
        _require(charta, item_id)
        wanted.setdefault(item_id, []).append(derivation)
    if not wanted:
        return charta

    def change(item: Item) -> Item:
        new = wanted.get(item.id)
        if not new:
            return item
        refs = {d.ref for d in new}
        kept = tuple(d for d in item.derived_from if d.ref not in refs)
        return attrs.evolve(item, derived_from=(*kept, *new))

    return _map_items(charta, change)


def merge(
    charta: Charta,
    item_ids: Sequence[str],
    *,
    into: str | None = None,
    title: str | None = None,
    text: str | None = None,
    date: PartialDate | None = None,
    reason: str = "",
    caused_by: Sequence[str] = (),
) -> Charta:
    """Several principles become one: the first (or ``into``) keeps its id and place.

    It takes the union of their links (as "merged"), and comments on the
    others are moved to it.  Each of the others leaves the charta's items for
    its ``merged-away`` records, with its last wording, its links, its
    history, and the date, reason and causes of the merge, so that its record
    does not end with it.  A new title or text for the one that stays is
    recorded as a revision.
    """
    if len(set(item_ids)) < 2 or len(set(item_ids)) != len(item_ids):
        raise ChartaError("merge needs two different principles or more", rule=rules.REQUEST)
    items = [_require(charta, i) for i in item_ids]
    keep = into or item_ids[0]
    if keep not in item_ids:
        raise ChartaError(f"--into '{keep}' is not one of the merged items", rule=rules.REQUEST)
    for item in items:
        below = {i.id for i in item.walk()} - {item.id}
        inside = below & set(item_ids)
        if inside:
            raise ChartaError(
                f"'{sorted(inside)[0]}' is part of '{item.id}': a principle cannot be merged "
                "with one of its own sub-items",
                rule=rules.REQUEST,
            )
        if item.id != keep and item.children:
            raise ChartaError(
                f"'{item.id}' has sub-items ('{item.children[0].id}'): merge or move them "
                f"first, or keep '{item.id}' with --into",
                rule=rules.REQUEST,
            )
    kept = next(i for i in items if i.id == keep)
    links: list[Derivation] = []
    seen: set[Reference] = set()
    for item in [kept, *(i for i in items if i.id != keep)]:
        for d in item.derived_from:
            if d.ref in seen or (d.ref.is_local and d.ref.item in item_ids):
                continue
            seen.add(d.ref)
            relation = (
                Relation.MERGED
                if d.relation in (Relation.ADOPTED, Relation.ADAPTED)
                else d.relation
            )
            links.append(attrs.evolve(d, relation=relation))
    gone = [i for i in items if i.id != keep]
    records = tuple(
        MergedAway(
            id=i.id,
            label=i.label,
            title=i.title,
            kind=i.kind,
            text=i.text,
            summary=i.summary,
            knowledge=i.knowledge,
            locator=i.locator,
            addressee=i.addressee,
            merged_into=keep,
            date=date,
            reason=reason,
            caused_by=tuple(caused_by),
            derived_from=i.derived_from,
            revisions=i.revisions,
            note=i.note,
        )
        for i in gone
    )
    gone_ids = {i.id for i in gone}
    merged = attrs.evolve(kept, derived_from=tuple(links))
    result = _map_items(
        charta, lambda i: None if i.id in gone_ids else merged if i.id == keep else i
    )
    result = _retarget(result, gone_ids, keep)
    result = attrs.evolve(result, merged_away=(*result.merged_away, *records))
    if title is not None or text is not None:
        result = adapt(
            result,
            keep,
            title=title,
            text=text,
            date=date,
            reason=reason or "merged",
            caused_by=caused_by,
        )
    return result


def split(
    charta: Charta,
    item_id: str,
    parts: Sequence[tuple[str, str, str]],
    *,
    date: PartialDate | None = None,
    reason: str = "",
) -> Charta:
    """One principle becomes several: ``parts`` are ``(id, title, text)``.

    The first part keeps the principle's id (its history and comments stay
    with it, and its new text is a revision); the others follow it, each
    with the same links.
    """
    if len(parts) < 2:
        raise ChartaError("split needs two parts or more", rule=rules.REQUEST)
    item = _require(charta, item_id)
    ids = [p[0] for p in parts]
    twice = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) < len(ids) else []
    if twice:
        raise ChartaError(
            f"two parts have the id '{twice[0]}': give each its own", rule=rules.REQUEST
        )
    if parts[0][0] != item_id:
        raise ChartaError(
            f"the first part keeps the id '{item_id}': give it first", rule=rules.REQUEST
        )
    result = adapt(
        charta, item_id, title=parts[0][1], text=parts[0][2], date=date, reason=reason or "split"
    )
    for new_id, _, _ in parts[1:]:
        _new_id(result, new_id)
    # The new parts say in their own words what the whole said: no longer verbatim.
    links = tuple(
        attrs.evolve(d, relation=Relation.ADAPTED) if d.relation is Relation.ADOPTED else d
        for d in item.derived_from
    )
    extra = [
        Item(id=i, title=t, kind=item.kind, text=x, derived_from=links) for i, t, x in parts[1:]
    ]

    def place(items: tuple[Item, ...]) -> tuple[Item, ...]:
        out: list[Item] = []
        for i in items:
            out.append(attrs.evolve(i, children=place(i.children)) if i.children else i)
            if i.id == item_id:
                out += extra
        return tuple(out)

    return _recounted(charta, attrs.evolve(result, items=place(result.items)))


def base_on(
    charta: Charta, source: Reference, *, asserted_by: Assertion = Assertion.RECORD_KEEPER
) -> Charta:
    """Name a source the charta is based on (nothing changes when it is already named)."""

    if any(b.source.charta == source.charta for b in charta.based_on):
        return charta
    basis = Basis(source=Reference(charta=source.charta), asserted_by=asserted_by)
    return attrs.evolve(charta, based_on=(*charta.based_on, basis))


def omit(
    charta: Charta,
    ref: Reference,
    reason: str,
    *,
    knowledge: Knowledge = Knowledge.VERIFIED,
) -> Charta:
    """Record that a source item is left out on purpose, and why (an omission)."""
    if not reason.strip():
        raise ChartaError("an omission needs a reason", rule=rules.REQUEST)
    if any(o.ref == ref for o in charta.omissions):
        raise ChartaError(f"'{ref}' is already omitted", rule=rules.REQUEST)
    return attrs.evolve(
        charta,
        omissions=(*charta.omissions, Omission(ref=ref, reason=reason, knowledge=knowledge)),
    )


def cover_elsewhere(
    charta: Charta,
    ref: Reference,
    where: str,
    *,
    url: str = "",
    asserted_by: Assertion = Assertion.ISSUER,
) -> Charta:
    """Record that a source item is handled in another part of the strategy."""
    if not where.strip():
        raise ChartaError("say where it is covered", rule=rules.REQUEST)
    if any(c.ref == ref for c in charta.covered_elsewhere):
        raise ChartaError(f"'{ref}' is already recorded as covered elsewhere", rule=rules.REQUEST)
    if any(o.ref == ref for o in charta.omissions):
        raise ChartaError(
            f"'{ref}' is recorded as omitted: remove the omission first", rule=rules.REQUEST
        )
    return attrs.evolve(
        charta,
        covered_elsewhere=(
            *charta.covered_elsewhere,
            CoveredElsewhere(ref=ref, where=where, url=url, asserted_by=asserted_by),
        ),
    )


def _retarget(charta: Charta, gone: Iterable[str], to: str) -> Charta:
    """Comments on principles that were merged away, and links of other principles
    to them, now point at the one that stays."""
    gone = set(gone)

    def relink(item: Item) -> Item:
        if not any(d.ref.is_local and d.ref.item in gone for d in item.derived_from):
            return item
        links: list[Derivation] = []
        for d in item.derived_from:
            if d.ref.is_local and d.ref.item in gone:
                if item.id == to or any(x.ref == Reference(item=to) for x in links):
                    continue
                links.append(attrs.evolve(d, ref=Reference(item=to)))
            else:
                links.append(d)
        return attrs.evolve(item, derived_from=tuple(links))

    charta = _map_items(charta, relink)
    cons = charta.consultation
    if cons is None:
        return charta
    comments = tuple(
        attrs.evolve(c, target=Reference(item=to))
        if c.target is not None and c.target.is_local and c.target.item in gone
        else c
        for c in cons.comments
    )
    return attrs.evolve(charta, consultation=attrs.evolve(cons, comments=comments))
