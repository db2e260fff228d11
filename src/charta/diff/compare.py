"""The structural comparisons of chartas: models in, a :class:`Diff` out.

Four comparisons, one vocabulary of change classes (:mod:`charta.diff.classes`):

- :func:`against_sources`: a local charta against the source chartas it
  derives from: for each source item, which principles take it and how,
  whether it is covered elsewhere, omitted on purpose, or not addressed; for
  each principle, its sources or "local addition"; a coverage figure per
  source that says what it rests on.
- :func:`between_versions`: two versions of one charta, aligned by stable
  ids: added, removed, retitled, renumbered, reworded, moved, merged, split,
  links added or removed; each change with the revision and the comment and
  response behind it, where the newer file records them.
  (:mod:`charta.diff.history` rebuilds an earlier state of one file.)
- :func:`between_towns`: two chartas of different issuers, aligned through
  the source items both derive from.
- :func:`upstream`: a new edition of a source against the old one, and the
  local principles that need review because an item they derive from changed.

Every comparison works on public views (:func:`charta.privacy.public_view`):
a diff is a public output.  The records are in :mod:`charta.diff.model`.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

import attrs

from charta.adapters.text import one_line
from charta.diff.classes import ChangeClass
from charta.diff.model import Cause, Change, Coverage, Diff
from charta.diff.words import Piece, changed, diff_words
from charta.model import (
    Assertion,
    Charta,
    CoveredElsewhere,
    Derivation,
    Item,
    Knowledge,
    Location,
    Omission,
    Reference,
    Relation,
    RevisedField,
    Revision,
)
from charta.privacy import public_view
from charta.references import resolve_path

__all__ = ["against_sources", "between_towns", "between_versions", "upstream"]


# ---------------------------------------------------------------------------
# Helpers


def _change(cls: ChangeClass, message: str, **fields: object) -> Change:
    return Change(change_class=cls, level=cls.default_level, message=message, **fields)  # type: ignore[arg-type]


def _asserted(assertion: Assertion | None) -> str:
    if assertion is Assertion.ISSUER:
        return "stated"
    if assertion is Assertion.RECORD_KEEPER:
        return "inferred"
    return ""


def _whose(asserted: str) -> str:
    return {"stated": " (stated by the issuer)", "inferred": " (our reading)"}.get(asserted, "")


def _where(*objs: object) -> tuple[Location, ...]:
    out = []
    for obj in objs:
        loc = getattr(obj, "location", None)
        if loc is not None:
            out.append(loc)
    return tuple(out)


def _same_source(ref: Reference, source: Charta, town: Charta) -> bool:
    """Whether ``ref`` (in ``town``) names ``source``, at an edition with the recorded items."""
    if not _names(ref, source, town):
        return False
    if ref.edition is None or ref.edition == source.edition:
        return True
    record = source.edition_record(ref.edition)
    return record is not None and record.same_items


def _parents(charta: Charta) -> dict[str, str]:
    out: dict[str, str] = {}
    stack = [(item, "") for item in reversed(charta.items)]
    while stack:
        item, parent = stack.pop()
        out.setdefault(item.id, parent)
        stack.extend((child, item.id) for child in reversed(item.children))
    return out


def _siblings(charta: Charta) -> dict[str, list[str]]:
    """The ids of the items under each parent ("" for the top level), in order."""
    out: dict[str, list[str]] = {"": [i.id for i in charta.items]}
    for item in charta.walk():
        out[item.id] = [c.id for c in item.children]
    return out


def _links(item: Item) -> set[str]:
    """The source items an item links to, as ``source#item`` (editions ignored)."""
    return {
        f"{d.ref.charta}#{d.ref.item}" if d.ref.item else str(d.ref.charta)
        for d in item.derived_from
        if not d.ref.is_local
    }


def _public(charta: Charta) -> Charta:
    """Every comparison works on public views: a diff is a public output."""
    return public_view(charta)


def _causes(charta: Charta, revisions: Iterable[Revision]) -> tuple[Cause, ...]:
    """The causes of ``revisions``, joined with the consultation of ``charta`` (a public view)."""
    public = charta.consultation
    comments = {c.id: c for c in public.comments} if public else {}
    responses = {r.id: r for r in public.responses} if public else {}
    out = []
    for rev in revisions:
        ids = rev.caused_by or ("",)
        for cause_id in ids:
            comment = comments.get(cause_id)
            response = responses.get(cause_id)
            if response is not None and comment is None:
                comment = comments.get(response.comment)
            if comment is not None and response is None:
                response = next(
                    (r for r in (public.responses if public else ()) if r.comment == comment.id),
                    None,
                )
            out.append(
                Cause(
                    date=rev.date,
                    reason=rev.reason,
                    comment_id=comment.id if comment else "",
                    comment_by=comment.commenter.public_name if comment else "",
                    comment_text=comment.text if comment else "",
                    response_id=response.id if response else "",
                    response_by=response.by if response else "",
                    response_text=response.text if response else "",
                    decision=response.decision.value if response else "",
                )
            )
    # One cause per comment: a revision citing comment and response gives one entry.
    unique: dict[tuple[str, str, str], Cause] = {}
    for cause in out:
        unique.setdefault((cause.comment_id, cause.response_id, cause.reason), cause)
    return tuple(unique.values())


def _revisions_between(item: Item, field: RevisedField, old: str, new: str) -> list[Revision]:
    """The revisions of ``item`` that lead from ``old`` to ``new`` in ``field``."""
    chain = [r for r in item.revisions if r.field is field]
    for start, rev in enumerate(chain):
        if rev.before == old:
            path = chain[start:]
            if path and path[-1].after == new:
                return path
    return []


# ---------------------------------------------------------------------------
# 1. A local charta against its sources


def against_sources(local: Charta, sources: Iterable[Charta]) -> Diff:
    """For each source item, how ``local`` treats it; for each principle, where it comes from."""
    local = _public(local)
    sources = list(sources)
    changes: list[Change] = []
    coverage: list[Coverage] = []
    notes: list[str] = []
    items = list(local.walk())
    for source in sources:
        taken: dict[str, list[tuple[Item, Derivation]]] = {}
        whole: list[Item] = []
        for item in items:
            for d in item.derived_from:
                if d.ref.is_local or not _same_source(d.ref, source, local):
                    continue
                if d.ref.item is None:
                    whole.append(item)
                else:
                    taken.setdefault(d.ref.item, []).append((item, d))
        covered = {
            ce.ref.item: ce for ce in local.covered_elsewhere if _same_source(ce.ref, source, local)
        }
        omitted = {om.ref.item: om for om in local.omissions if _same_source(om.ref, source, local)}
        counts = {"derived": 0, "covered": 0, "omitted": 0, "none": 0}
        summarised = source.provenance.obtained.value == "summarised"
        for src_item in source.walk():
            ref = f"{source.id}#{src_item.id}"
            if src_item.id in taken:
                counts["derived"] += 1
                for item, d in taken[src_item.id]:
                    changes.append(_derived_change(ref, src_item, item, d, summarised))
            elif src_item.id in covered:
                counts["covered"] += 1
                ce = covered[src_item.id]
                changes.append(
                    _change(
                        ChangeClass.COVERED_ELSEWHERE,
                        f"{ref} „{src_item.title}“ is covered elsewhere: {ce.where}"
                        + _whose(_asserted(ce.asserted_by)),
                        source=ref,
                        asserted=_asserted(ce.asserted_by),
                        locations=_where(ce),
                    )
                )
            elif src_item.id in omitted:
                counts["omitted"] += 1
                om = omitted[src_item.id]
                whose = "stated" if om.knowledge.value == "verified" else "inferred"
                changes.append(
                    _change(
                        ChangeClass.OMITTED,
                        f"{ref} „{src_item.title}“ is left out on purpose: {om.reason}"
                        + _whose(whose),
                        source=ref,
                        asserted="stated" if om.knowledge.value == "verified" else "inferred",
                        locations=_where(om),
                    )
                )
            else:
                counts["none"] += 1
                changes.append(
                    _change(
                        ChangeClass.NOT_ADDRESSED,
                        f"{ref} „{src_item.title}“ is not addressed: no principle takes it, "
                        "and it is neither covered elsewhere nor omitted",
                        source=ref,
                        locations=_where(src_item),
                    )
                )
        if whole:
            names = ", ".join(f"'{i.id}'" for i in whole)
            notes.append(
                f"{names} {'links' if len(whole) == 1 else 'link'} to {source.id} as a whole, "
                "not to one of its items, and so counts for none of them"
            )
        coverage.append(
            Coverage(
                source=source.id,
                title=source.title,
                known=sum(counts.values()),
                declared=source.declared_count
                if source.declared_count is not None and source.declared_count != source.known_count
                else None,
                derived=counts["derived"],
                covered_elsewhere=counts["covered"],
                omitted=counts["omitted"],
                not_addressed=counts["none"],
            )
        )
    if local.lineage is not None and local.lineage.value == "none-named":
        notes.append(f"{local.id} says its issuer names no source (lineage none-named)")
    for item in items:
        if not any(not d.ref.is_local for d in item.derived_from):
            changes.append(
                _change(
                    ChangeClass.LOCAL_ADDITION,
                    f"'{item.id}' „{item.title}“ derives from no source: a local addition",
                    item=item.id,
                    locations=_where(item),
                )
            )
        elif not any(_names(d.ref, s, local) for d in item.derived_from for s in sources):
            notes.append(f"'{item.id}' derives only from sources not compared here")
    return Diff(
        comparison="sources",
        old=", ".join(s.id for s in sources),
        new=local.id,
        changes=tuple(changes),
        coverage=tuple(coverage),
        notes=tuple(notes),
    )


def _derived_change(
    ref: str, src_item: Item, item: Item, d: Derivation, summarised: bool
) -> Change:
    words: tuple[Piece, ...] = ()
    note = ""
    identical = False
    if d.relation in (Relation.ADOPTED, Relation.ADAPTED):
        if src_item.text and item.text:
            words = diff_words(src_item.text, item.text)
            retitled = changed(diff_words(src_item.title, item.title))
            if retitled:
                note = f"the title differs: „{src_item.title}“ -> „{item.title}“"
            identical = not changed(words) and not retitled
        elif summarised or not src_item.text:
            note = "only a summary of the source item exists: its wording is not compared"
    how = d.relation.value
    if d.asserted_by is not None:
        how += f", {'stated by the issuer' if d.asserted_by is Assertion.ISSUER else 'our reading'}"
    return _change(
        ChangeClass.DERIVED,
        f"{ref} „{src_item.title}“ is taken by '{item.id}' „{item.title}“ ({how})",
        item=item.id,
        source=ref,
        relation=d.relation.value,
        asserted=_asserted(d.asserted_by),
        words=words,
        note=note,
        identical=identical,
        locations=_where(d),
    )


# ---------------------------------------------------------------------------
# 2. Two versions of one charta


def between_versions(old: Charta, new: Charta, *, old_name: str = "", new_name: str = "") -> Diff:
    """What changed from ``old`` to ``new``, aligned by item ids."""
    old, new = _public(old), _public(new)
    old_items = {i.id: i for i in old.walk()}
    new_items = {i.id: i for i in new.walk()}
    changes: list[Change] = []
    removed = [i for i in old_items if i not in new_items]
    added = [i for i in new_items if i not in old_items]
    common = [i for i in new_items if i in old_items]
    explained_removed: set[str] = set()
    explained_added: set[str] = set()

    # Merged as the new version records it (charta merge writes merged-away).
    changes += _recorded_merges(new, old_items, new_items, removed, explained_removed)
    # Merged and split, recognised by their source links.
    removed = [r for r in removed if r not in explained_removed]
    for n in added:
        links = _links(new_items[n])
        parts = [r for r in removed if _links(old_items[r]) and _links(old_items[r]) <= links]
        if len(parts) >= 2:
            explained_removed.update(parts)
            explained_added.add(n)
            changes.append(
                _change(
                    ChangeClass.MERGED,
                    f"{' + '.join(repr(p) for p in parts)} are merged into '{n}' "
                    f"„{new_items[n].title}“",
                    item=n,
                    other=",".join(parts),
                    locations=_where(*(old_items[p] for p in parts), new_items[n]),
                )
            )
    for c in common:
        grown = _links(new_items[c]) - _links(old_items[c])
        parts = [
            r
            for r in removed
            if r not in explained_removed and _links(old_items[r]) and _links(old_items[r]) <= grown
        ]
        if parts:
            explained_removed.update(parts)
            changes.append(
                _change(
                    ChangeClass.MERGED,
                    f"{' + '.join(repr(p) for p in parts)} merged into '{c}' "
                    f"„{new_items[c].title}“",
                    item=c,
                    other=",".join(parts),
                    locations=_where(*(old_items[p] for p in parts), new_items[c]),
                )
            )
    for r in [*removed, *common]:
        if r in explained_removed:
            continue
        before = _links(old_items[r])
        after = _links(new_items[r]) if r in new_items else set()
        lost = before - after
        pieces = [
            n
            for n in added
            if n not in explained_added and _links(new_items[n]) and _links(new_items[n]) <= lost
        ]
        if (r in removed and len(pieces) >= 2) or (r not in removed and pieces):
            explained_added.update(pieces)
            if r in removed:
                explained_removed.add(r)
            into = [*([r] if r in new_items else []), *pieces]
            changes.append(
                _change(
                    ChangeClass.SPLIT,
                    f"'{r}' „{old_items[r].title}“ is split into "
                    + " + ".join(repr(p) for p in into),
                    item=",".join(into),
                    other=r,
                    locations=_where(old_items[r], *(new_items[p] for p in into)),
                )
            )

    for r in removed:
        if r not in explained_removed:
            changes.append(
                _change(
                    ChangeClass.REMOVED,
                    f"'{r}' „{old_items[r].title}“ is removed",
                    other=r,
                    locations=_where(old_items[r]),
                )
            )
    for n in added:
        if n not in explained_added:
            changes.append(
                _change(
                    ChangeClass.ADDED,
                    f"'{n}' „{new_items[n].title}“ is added",
                    item=n,
                    locations=_where(new_items[n]),
                )
            )

    changes += _changes_of_kept_items(old, new, common)
    changes += _changes_of_dispositions(old, new)
    changes += _changes_of_facts(old, new)
    return Diff(
        comparison="versions",
        old=old_name or old.id,
        new=new_name or new.id,
        changes=tuple(changes),
    )


def _recorded_merges(
    new: Charta,
    old_items: dict[str, Item],
    new_items: dict[str, Item],
    removed: list[str],
    explained_removed: set[str],
) -> list[Change]:
    """The merges ``new`` records in merged-away, of principles ``old`` still had."""
    changes: list[Change] = []
    recorded: dict[str, list[str]] = {}
    removed_set = set(removed)
    ends = new.merge_ends() if new.merged_away else {}
    records = {m.id: m for m in new.merged_away}
    for m in new.merged_away:
        if m.id in removed_set and ends.get(m.id) in new_items:
            recorded.setdefault(ends[m.id], []).append(m.id)
    for keeper, gone in recorded.items():
        explained_removed.update(gone)
        record = records.get(gone[0])
        why = f": {record.reason}" if record is not None and record.reason else ""
        changes.append(
            _change(
                ChangeClass.MERGED,
                f"{' + '.join(repr(g) for g in gone)} merged into '{keeper}' "
                f"„{new_items[keeper].title}“ (recorded{why})",
                item=keeper,
                other=",".join(gone),
                locations=_where(*(old_items[g] for g in gone), new_items[keeper]),
            )
        )
    return changes


def _changes_of_kept_items(old: Charta, new: Charta, common: list[str]) -> list[Change]:
    """Retitled, renumbered, reworded, moved, links added or removed: items in both versions."""
    old_items = {i.id: i for i in old.walk()}
    new_items = {i.id: i for i in new.walk()}
    changes: list[Change] = []
    old_parents, new_parents = _parents(old), _parents(new)
    moved = _moved(old, new, common)
    for i in common:
        a, b = old_items[i], new_items[i]
        where = _where(a, b)
        if a.title != b.title and changed(diff_words(a.title, b.title)):
            changes.append(
                _change(
                    ChangeClass.RETITLED,
                    f"'{i}' is retitled: „{a.title}“ -> „{b.title}“",
                    item=i,
                    other=i,
                    words=diff_words(a.title, b.title),
                    causes=_causes(
                        new, _revisions_between(b, RevisedField.TITLE, a.title, b.title)
                    ),
                    locations=where,
                )
            )
        if a.label != b.label:
            changes.append(
                _change(
                    ChangeClass.RENUMBERED,
                    f"'{i}' „{b.title}“ is renumbered: {a.label or '(none)'} -> "
                    f"{b.label or '(none)'}",
                    item=i,
                    other=i,
                    locations=where,
                )
            )
        for field in (RevisedField.TEXT, RevisedField.SUMMARY):
            before, after = getattr(a, field.value), getattr(b, field.value)
            words = diff_words(before, after)
            if before != after and changed(words):
                revisions = _revisions_between(b, field, before, after)
                reconstructed = any(r.before_knowledge is not Knowledge.VERIFIED for r in revisions)
                changes.append(
                    _change(
                        ChangeClass.REWORDED,
                        f"'{i}' „{b.title}“ is reworded ({field.value})",
                        item=i,
                        other=i,
                        words=words,
                        note="the earlier wording is reconstructed, not seen "
                        "(before-knowledge: inferred)"
                        if reconstructed
                        else "",
                        causes=_causes(new, revisions),
                        locations=where,
                    )
                )
        if old_parents.get(i) != new_parents.get(i) or i in moved:
            parent_a = old_parents.get(i) or "the top level"
            parent_b = new_parents.get(i) or "the top level"
            place = f"from {parent_a} to {parent_b}" if parent_a != parent_b else "in its list"
            changes.append(
                _change(
                    ChangeClass.MOVED,
                    f"'{i}' „{b.title}“ is moved {place}",
                    item=i,
                    other=i,
                    locations=where,
                )
            )
        # Keyed by the item linked to: an edition added to a reference is no change.
        links_a = {_link_key(d.ref): d for d in a.derived_from}
        links_b = {_link_key(d.ref): d for d in b.derived_from}
        for ref in [r for r in links_b if r in links_a]:
            before, after = links_a[ref], links_b[ref]
            what = _link_changes(before, after)
            if what:
                changes.append(
                    _change(
                        ChangeClass.LINK_CHANGED,
                        f"'{i}' links to {ref} differently: {'; '.join(what)}",
                        item=i,
                        source=ref,
                        relation=after.relation.value,
                        asserted=_asserted(after.asserted_by),
                        locations=_where(before, after),
                    )
                )
        # In document order: a set's order changes from run to run.
        for cls, here, there, verb in (
            (ChangeClass.LINK_ADDED, links_b, links_a, "now links to"),
            (ChangeClass.LINK_REMOVED, links_a, links_b, "no longer links to"),
        ):
            for ref in [r for r in here if r not in there]:
                d = here[ref]
                changes.append(
                    _change(
                        cls,
                        f"'{i}' {verb} {ref} ({d.relation.value})",
                        item=i,
                        source=ref,
                        relation=d.relation.value,
                        asserted=_asserted(d.asserted_by) if cls is ChangeClass.LINK_ADDED else "",
                        locations=_where(d),
                    )
                )
    return changes


def _charta_key(ref: Reference, town: Charta) -> str:
    """The charta a reference names: its id, or the real path of the file it names."""
    if not ref.is_path or ref.charta is None:
        return str(ref.charta)
    here = town.location.file if town.location else None
    try:
        return str(resolve_path(ref.charta, here).resolve())
    except (OSError, ValueError):
        return ref.charta


def _changes_of_dispositions(old: Charta, new: Charta) -> list[Change]:
    """Omissions and coverings elsewhere that came, went or changed between versions."""
    changes: list[Change] = []
    for kind, before, after in (
        (
            "left out",
            {_link_key(o.ref): (o.reason, o) for o in old.omissions},
            {_link_key(o.ref): (o.reason, o) for o in new.omissions},
        ),
        (
            "covered elsewhere",
            {_link_key(c.ref): (c.where, c) for c in old.covered_elsewhere},
            {_link_key(c.ref): (c.where, c) for c in new.covered_elsewhere},
        ),
    ):
        for key in [*before, *(k for k in after if k not in before)]:
            was, now = before.get(key), after.get(key)
            if was is not None and now is not None and was[0] == now[0]:
                continue
            if was is None and now is not None:
                message = f"{key} is now {kind}: {now[0]}"
            elif now is None and was is not None:
                message = f"{key} is no longer {kind} (was: {was[0]})"
            else:
                assert was is not None
                assert now is not None
                message = f"{key}, {kind}, changed: {was[0]} -> {now[0]}"
            changes.append(
                _change(
                    ChangeClass.DISPOSITION_CHANGED,
                    message,
                    source=key,
                    locations=_where(*(x[1] for x in (was, now) if x is not None)),
                )
            )
    return changes


def _changes_of_facts(old: Charta, new: Charta) -> list[Change]:
    """The charta's own facts between versions (its items are compared elsewhere)."""

    def bases(c: Charta) -> str:
        return ", ".join(sorted(_link_key(b.source) for b in c.based_on)) or "(none)"

    def adoption(c: Charta) -> str:
        a = c.adoption
        if a is None:
            return "(none)"
        return "; ".join(x for x in (a.body, str(a.date or ""), a.paper, a.knowledge.value) if x)

    def issuer(c: Charta) -> str:
        i = c.issuer
        return "; ".join(x for x in (i.body, i.office, i.kind.value if i.kind else "", i.ags) if x)

    facts = (
        ("title", lambda c: c.title),
        ("status", lambda c: c.status.value),
        ("edition", lambda c: c.edition),
        ("adoption", adoption),
        ("based-on", bases),
        ("issuer", issuer),
        ("lineage", lambda c: c.lineage.value if c.lineage else "(none)"),
        ("part-of", lambda c: c.part_of.title if c.part_of else "(none)"),
    )
    changes = []
    for name, get in facts:
        before, after = one_line(get(old)), one_line(get(new))
        if before != after:
            changes.append(
                _change(
                    ChangeClass.FACTS_CHANGED,
                    f"{name}: {before or '(none)'} -> {after or '(none)'}",
                    locations=_where(old, new),
                )
            )
    # The records of principles merged away before both versions: edited by hand?
    before_records = {m.id: m for m in old.merged_away}
    for m in new.merged_away:
        was = before_records.get(m.id)
        if was is not None and was != m:
            fields = [
                a.name.replace("_", "-")
                for a in attrs.fields(type(m))
                if a.eq and getattr(was, a.name) != getattr(m, a.name)
            ]
            changes.append(
                _change(
                    ChangeClass.FACTS_CHANGED,
                    f"the record of '{m.id}' (merged away) changed: {', '.join(fields)}",
                    other=m.id,
                    locations=_where(was, m),
                )
            )
    return changes


def _link_key(ref: Reference) -> str:
    """``source#item`` without the edition (local links stay ``#item``)."""
    return f"{ref.charta or ''}#{ref.item}" if ref.item else str(ref.charta)


def _link_changes(before: Derivation, after: Derivation) -> list[str]:
    out = []
    if before.relation is not after.relation:
        out.append(f"relation {before.relation.value} -> {after.relation.value}")
    if before.confidence is not after.confidence:
        out.append(f"confidence {before.confidence.value} -> {after.confidence.value}")
    if before.asserted_by is not after.asserted_by:
        old = before.asserted_by.value if before.asserted_by else "not recorded"
        new = after.asserted_by.value if after.asserted_by else "not recorded"
        out.append(f"asserted by {old} -> {new}")
    return out


def _moved(old: Charta, new: Charta, common: list[str]) -> set[str]:
    """Items whose order among their common siblings changed (the fewest that explain it)."""
    keep = set(common)
    moved: set[str] = set()
    old_sib, new_sib = _siblings(old), _siblings(new)
    for parent, siblings in new_sib.items():
        ids_a = [i for i in old_sib.get(parent, []) if i in keep]
        in_a = set(ids_a)
        ids_b = [i for i in siblings if i in keep and i in in_a]
        matcher = SequenceMatcher(None, ids_a, ids_b, autojunk=False)
        stayed = {
            ids_b[j]
            for block in matcher.get_matching_blocks()
            for j in range(block.b, block.b + block.size)
        }
        moved.update(i for i in ids_b if i not in stayed)
    return moved


# ---------------------------------------------------------------------------
# 3. Two towns


def between_towns(a: Charta, b: Charta, sources: Iterable[Charta] = ()) -> Diff:
    """Two chartas aligned through the source items they derive from.

    With ``sources`` (those the two name), items that neither takes are listed too.
    """
    a, b = _public(a), _public(b)

    shown: dict[str, str] = {}  # the key of a source item -> the reference as first written

    def taken(c: Charta) -> dict[str, list[tuple[Item, str]]]:
        out: dict[str, list[tuple[Item, str]]] = {}
        for item in c.walk():
            for d in item.derived_from:
                if not d.ref.is_local and d.ref.item:
                    # Path references are compared by the file they name, so that
                    # "./src.toml" and "../towns/src.toml" meet.
                    key = f"{_charta_key(d.ref, c)}#{d.ref.item}"
                    shown.setdefault(key, f"{d.ref.charta}#{d.ref.item}")
                    out.setdefault(key, []).append((item, d.relation.value))
        return out

    left, right = taken(a), taken(b)
    changes: list[Change] = []
    for key in sorted(left.keys() | right.keys(), key=lambda k: shown[k]):
        ref = shown[key]
        if key in left and key in right:
            for item_a, rel_a in left[key]:
                for item_b, rel_b in right[key]:
                    words = (
                        diff_words(item_a.text, item_b.text) if item_a.text and item_b.text else ()
                    )
                    changes.append(
                        _change(
                            ChangeClass.SHARED_SOURCE,
                            f"{ref}: '{item_a.id}' „{item_a.title}“ ({rel_a}) and "
                            f"'{item_b.id}' „{item_b.title}“ ({rel_b})",
                            item=item_a.id,
                            other=item_b.id,
                            source=ref,
                            words=words,
                            locations=_where(item_a, item_b),
                        )
                    )
        elif key in left:
            names = ", ".join(f"'{i.id}'" for i, _ in left[key])
            changes.append(
                _change(
                    ChangeClass.ONLY_LEFT,
                    f"{ref}: only {a.id} takes it ({names})",
                    item=left[key][0][0].id,
                    source=ref,
                    locations=_where(*(i for i, _ in left[key])),
                )
            )
        else:
            names = ", ".join(f"'{i.id}'" for i, _ in right[key])
            changes.append(
                _change(
                    ChangeClass.ONLY_RIGHT,
                    f"{ref}: only {b.id} takes it ({names})",
                    other=right[key][0][0].id,
                    source=ref,
                    locations=_where(*(i for i, _ in right[key])),
                )
            )
    for source in sources:
        for src_item in source.walk():
            key = f"{source.id}#{src_item.id}"
            if key not in left and key not in right:
                changes.append(
                    _change(
                        ChangeClass.NEITHER,
                        f"{key} „{src_item.title}“: neither {a.id} nor {b.id} takes it",
                        source=key,
                        locations=_where(src_item),
                    )
                )
    return Diff(comparison="towns", old=a.id, new=b.id, changes=tuple(changes))


# ---------------------------------------------------------------------------
# 4. A new edition of a source


def _names(ref: Reference, source: Charta, town: Charta) -> bool:
    """Whether ``ref`` (in ``town``) names ``source``: by id, or by the path of its file."""
    if ref.is_local or ref.charta is None:
        return False
    if not ref.is_path:
        return ref.charta == source.id
    here = town.location.file if town.location else None
    there = source.location.file if source.location else None
    if there is None:
        return False
    try:
        return resolve_path(ref.charta, here).resolve() == resolve_path(there, None).resolve()
    except (OSError, ValueError):
        return False


def upstream(old: Charta, new: Charta, locals_: Iterable[Charta] = ()) -> Diff:
    """What changed between two editions of a source, and which principles to review."""
    locals_ = [_public(town) for town in locals_]
    old_items = {i.id: i for i in old.walk()}
    new_items = {i.id: i for i in new.walk()}
    changed_ids: dict[str, str] = {}
    changes: list[Change] = []
    for i, a in old_items.items():
        b = new_items.get(i)
        if b is None:
            changed_ids[i] = "removed"
        elif (a.title, a.text, a.summary) != (b.title, b.text, b.summary):
            changed_ids[i] = "changed"
    for i, what in changed_ids.items():
        src = old_items[i]
        edition = new.edition or "?"
        if what == "removed":
            changes.append(
                _change(
                    ChangeClass.SOURCE_REMOVED,
                    f"{old.id}#{i} „{src.title}“ is gone in edition {edition}",
                    source=f"{old.id}#{i}",
                    locations=_where(src),
                )
            )
        else:
            after = new_items[i]
            changes.append(
                _change(
                    ChangeClass.SOURCE_CHANGED,
                    f"{old.id}#{i} „{after.title}“ changed in edition {edition}",
                    source=f"{old.id}#{i}",
                    words=diff_words(
                        f"{src.title}: {src.text or src.summary}",
                        f"{after.title}: {after.text or after.summary}",
                    ),
                    locations=_where(src, after),
                )
            )
    for i in [i for i in new_items if i not in old_items]:
        changes.append(
            _change(
                ChangeClass.SOURCE_ADDED,
                f"{new.id}#{i} „{new_items[i].title}“ is new in edition {new.edition or '?'}",
                source=f"{new.id}#{i}",
                locations=_where(new_items[i]),
            )
        )
    for town in locals_:
        entries: list[Omission | CoveredElsewhere] = [*town.omissions, *town.covered_elsewhere]
        for entry in entries:
            if _names(entry.ref, old, town) and entry.ref.item in changed_ids:
                what = changed_ids[entry.ref.item]
                kind = "omission" if isinstance(entry, Omission) else "covering elsewhere"
                changes.append(
                    _change(
                        ChangeClass.SOURCE_REMOVED
                        if what == "removed"
                        else ChangeClass.SOURCE_CHANGED,
                        f"the {kind} of {old.id}#{entry.ref.item} in {town.id} concerns an item "
                        f"that edition {new.edition or '?'} "
                        + ("no longer has" if what == "removed" else "changed: review it"),
                        source=f"{old.id}#{entry.ref.item}",
                        locations=_where(entry),
                    )
                )
        for item in town.walk():
            for d in item.derived_from:
                if not _names(d.ref, old, town) or d.ref.item not in changed_ids:
                    continue
                what = changed_ids[d.ref.item]
                src = old_items[d.ref.item]
                if what == "removed":
                    changes.append(
                        _change(
                            ChangeClass.SOURCE_REMOVED,
                            f"'{item.id}' of {town.id} derives from {old.id}#{src.id} "
                            f"„{src.title}“, which edition {new.edition or '?'} no longer has",
                            item=item.id,
                            source=f"{old.id}#{src.id}",
                            relation=d.relation.value,
                            locations=_where(d),
                        )
                    )
                else:
                    after = new_items[src.id]
                    words = diff_words(
                        src.text or src.summary or src.title,
                        after.text or after.summary or after.title,
                    )
                    changes.append(
                        _change(
                            ChangeClass.SOURCE_CHANGED,
                            f"'{item.id}' of {town.id} derives from {old.id}#{src.id}, which "
                            f"changed in edition {new.edition or '?'}: review it",
                            item=item.id,
                            source=f"{old.id}#{src.id}",
                            relation=d.relation.value,
                            words=words,
                            locations=_where(d),
                        )
                    )
    return Diff(
        comparison="upstream",
        old=f"{old.id}@{old.edition}",
        new=f"{new.id}@{new.edition}",
        changes=tuple(changes),
    )
