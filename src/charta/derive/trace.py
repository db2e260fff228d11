"""Following a principle back to where it comes from: ``charta trace``.

From a principle: its revisions (with the comments and responses that caused
them), then each source item it derives from (publisher, edition, page,
address, stated or inferred), then, where that source item is itself a
town's principle derived from others, further up, until the federal and
state chartas.  A chain that comes back to an item already on it is a cycle:
reported, and not followed again.

Every step is looked up once: a source item reached twice (two principles
of a town both from Leitbild 5) is one :class:`Step`, so the work stays
linear in the number of links, whatever the shape of the chain.
Commenters appear as every public output shows them (:func:`charta.public_view`).
"""

from __future__ import annotations

import io
import os
from typing import Any

import attrs

from charta import rules
from charta.adapters import json as json_adapter
from charta.adapters.schema import schema_of
from charta.errors import ChartaError
from charta.hints import did_you_mean
from charta.model import Charta, Item, Reference, is_path
from charta.privacy import public_view
from charta.references import Resolver, lookup, resolve_path
from charta.render.page import SourceInfo, source_info
from charta.texts import printable, web_url

__all__ = [
    "Link",
    "Step",
    "TraceRecord",
    "trace",
    "trace_json",
    "trace_prov",
    "trace_record",
    "trace_schema",
    "trace_text",
]


@attrs.frozen(kw_only=True)
class CauseRecord:
    """A comment or response that caused a revision."""

    kind: str
    """``comment`` or ``response``."""
    id: str
    by: str
    """The commenter's public name (a pseudonym without consent), or who answered."""
    decision: str | None
    """A response's decision; ``null`` for a comment."""
    text: str


@attrs.frozen(kw_only=True)
class RevisionRecord:
    """A revision of a step's principle."""

    field: str
    date: str | None
    reason: str
    before: str
    after: str
    causes: tuple[CauseRecord, ...]


@attrs.frozen(kw_only=True)
class MergeRecord:
    """Where a principle merged away went, when and why."""

    into: str
    date: str | None
    reason: str
    caused_by: tuple[str, ...]


@attrs.define(eq=False)
class Step:
    """An item on the chain, and the links that lead on from it."""

    key: str
    """``charta-id#item-id``: what identifies the step."""
    info: SourceInfo
    kind: str
    """``local`` or ``source``."""
    text: str = ""
    revisions: list[RevisionRecord] = attrs.Factory(list)
    links: list[Link] = attrs.Factory(list)
    merged_into: MergeRecord | None = None
    """For a principle merged away: where it went, when, why."""


@attrs.define(eq=False)
class Link:
    """How a step derives from another."""

    relation: str
    confidence: str
    asserted: str
    """``stated`` (by the issuer), ``inferred`` (the record-keeper's reading) or ``""``."""
    stated_at: str
    note: str
    target: Step | None
    cycle: bool = False
    """The target is already on the chain that leads here."""
    unresolved: str = ""


@attrs.frozen(kw_only=True)
class LinkRecord:
    """How a step derives from another, in the JSON of a trace."""

    relation: str
    confidence: str
    asserted: str
    """``stated`` (by the issuer), ``inferred`` (the record-keeper's reading) or ``""``."""
    stated_at: str
    note: str
    to: str | None
    """The key of the step it leads to; ``null`` when unresolved."""
    cycle: bool
    """The step it leads to is already on the chain that leads here."""
    unresolved: str
    """Why the reference could not be followed; ``""`` when it was."""


@attrs.frozen(kw_only=True)
class StepRecord:
    """One step of a trace: a principle or source item, and the links that lead on."""

    key: str
    """``charta-id#item-id``."""
    kind: str
    """``local`` or ``source``."""
    charta: str
    """The title of the charta the step is in."""
    label: str
    title: str
    publisher: str
    edition: str
    page: str
    urls: tuple[str, ...]
    text: str
    revisions: tuple[RevisionRecord, ...]
    merged_into: MergeRecord | None
    from_: tuple[LinkRecord, ...]
    """The links to the steps it comes from."""


@attrs.frozen(kw_only=True)
class TraceRecord:
    """``charta trace --format json``: the chain of one principle, flat."""

    start: str
    """The key of the principle traced."""
    steps: tuple[StepRecord, ...]


def trace(charta: Charta, item_id: str, resolver: Resolver, *, base: str | None) -> Step:
    """The provenance chain of ``item_id`` in ``charta`` (read from the file ``base``)."""

    charta = public_view(charta)
    item = charta.item(item_id)
    gone = charta.merged_away_record(item_id) if item is None else None
    if gone is not None:
        # A principle merged away is traced as it last was, and says where it went.
        item = gone.as_item()
    if item is None:
        raise ChartaError(
            f"'{charta.id}' has no item '{item_id}'{did_you_mean(item_id, charta.item_ids)}",
            rule=rules.REQUEST,
        )
    steps: dict[str, Step] = {}
    step = _Tracer(resolver, steps).step(charta, item, base, ())
    if gone is not None:
        step.merged_into = MergeRecord(
            into=gone.merged_into,
            date=str(gone.date) if gone.date else None,
            reason=gone.reason,
            caused_by=tuple(gone.caused_by),
        )
    return step


class _Tracer:
    def __init__(self, resolver: Resolver, steps: dict[str, Step]) -> None:
        self.resolver = resolver
        self.steps = steps

    def step(self, charta: Charta, item: Item, base: str | None, path: tuple[str, ...]) -> Step:
        key = f"{_where(charta, base)}#{item.id}"
        found = self.steps.get(key)
        if found is not None:
            return found
        step = Step(
            key=f"{charta.id}#{item.id}",
            info=_info(charta, item),
            kind=charta.kind.value,
            text=item.text or item.summary,
            revisions=_revisions(charta, item),
        )
        self.steps[key] = step
        chain = (*path, key)
        # An explicit stack, not recursion: a chain of a thousand towns is fine.
        stack: list[tuple[Step, Charta, Item, str | None, tuple[str, ...]]] = [
            (step, charta, item, base, chain)
        ]
        while stack:
            current, c, it, b, on = stack.pop()
            for d in it.derived_from:
                link = Link(
                    relation=d.relation.value,
                    confidence=d.confidence.value,
                    asserted={"issuer": "stated", "record-keeper": "inferred"}.get(
                        d.asserted_by.value if d.asserted_by else "", ""
                    ),
                    stated_at=d.stated_at,
                    note=d.note,
                    target=None,
                )
                current.links.append(link)
                try:
                    target, target_item = lookup(self.resolver, d.ref, base=b, here=c)
                except ChartaError as exc:
                    link.unresolved = exc.message
                    continue
                target_base = _base_of(d.ref, b)
                if target_item is None:
                    link.target = Step(
                        key=target.id, info=_info(target, None), kind=target.kind.value
                    )
                    continue
                target_key = f"{_where(target, target_base)}#{target_item.id}"
                if target_key in on:
                    link.cycle = True
                    link.target = self.steps.get(target_key)
                    continue
                known = self.steps.get(target_key)
                if known is not None:
                    link.target = known
                    continue
                new = Step(
                    key=f"{target.id}#{target_item.id}",
                    info=_info(target, target_item),
                    kind=target.kind.value,
                    text=target_item.text or target_item.summary,
                    revisions=_revisions(target, target_item),
                )
                self.steps[target_key] = new
                link.target = new
                stack.append((new, target, target_item, target_base, (*on, target_key)))
        return step


def _where(charta: Charta, base: str | None) -> str:
    """What identifies a charta on a chain: its file, or its source id."""
    return os.path.realpath(base) if base else charta.id


def _base_of(ref: Reference, base: str | None) -> str | None:
    if ref.charta is None:
        return base
    if is_path(ref.charta):
        return str(resolve_path(ref.charta, base))
    return None


def _info(charta: Charta, item: Item | None) -> SourceInfo:
    return source_info(charta, item)


def _revisions(charta: Charta, item: Item) -> list[RevisionRecord]:
    cons = charta.consultation
    comments = {c.id: c for c in cons.comments} if cons else {}
    responses = {r.id: r for r in cons.responses} if cons else {}
    out = []
    for rev in item.revisions:
        causes = []
        for cause in rev.caused_by:
            if cause in comments:
                c = comments[cause]
                causes.append(
                    CauseRecord(
                        kind="comment",
                        id=c.id,
                        by=c.commenter.public_name,
                        decision=None,
                        text=c.text,
                    )
                )
            elif cause in responses:
                r = responses[cause]
                causes.append(
                    CauseRecord(
                        kind="response",
                        id=r.id,
                        by=r.by,
                        decision=r.decision.value,
                        text=r.text,
                    )
                )
        out.append(
            RevisionRecord(
                field=rev.field.value,
                date=str(rev.date) if rev.date else None,
                reason=rev.reason,
                before=rev.before,
                after=rev.after,
                causes=tuple(causes),
            )
        )
    return out


def trace_record(step: Step) -> TraceRecord:
    """The chain as a document: a list of steps, each naming the steps it comes from.

    Flat, not nested: a step reached twice is written once, and a chain of a
    thousand towns is a list of a thousand entries, not a thousand levels.
    """
    steps: list[StepRecord] = []
    written: set[int] = set()
    stack = [step]
    while stack:
        s = stack.pop()
        if id(s) in written:
            continue
        written.add(id(s))
        info = s.info
        links = [
            LinkRecord(
                relation=link.relation,
                confidence=link.confidence,
                asserted=link.asserted,
                stated_at=link.stated_at,
                note=link.note,
                to=link.target.key if link.target is not None and not link.unresolved else None,
                cycle=link.cycle and not link.unresolved,
                unresolved=link.unresolved,
            )
            for link in s.links
        ]
        steps.append(
            StepRecord(
                key=s.key,
                kind=s.kind,
                charta=info.charta_title,
                label=info.item_label,
                title=info.item_title,
                publisher=info.publisher,
                edition=info.edition,
                page=info.locator,
                urls=tuple(info.urls),
                text=s.text,
                revisions=tuple(s.revisions),
                merged_into=s.merged_into,
                from_=tuple(links),
            )
        )
        stack += [
            link.target
            for link in reversed(s.links)
            if link.target is not None and not link.cycle and not link.unresolved
        ]
    return TraceRecord(start=step.key, steps=tuple(steps))


def trace_json(step: Step) -> str:
    """``charta trace --format json``: :func:`trace_record` as JSON, with its schema's id."""
    return json_adapter.dumps(trace_record(step), "trace")


def trace_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta trace --format json``."""
    return schema_of(TraceRecord, kind="trace", title="charta trace")


def trace_text(step: Step) -> str:
    """The chain for a terminal: one indented block a step, a step reached twice named once."""
    lines: list[str] = []
    shown: set[int] = set()
    stack: list[tuple[Step, int, Link | None]] = [(step, 0, None)]
    while stack:
        s, depth, via = stack.pop()
        # Indented up to 8 levels; deeper steps say their level, so that the output
        # of a long chain of towns grows with its length, not its square.
        pad = "    " * min(depth, 8) + (f"[{depth}] " if depth > 8 else "")
        info = s.info
        name = " ".join(x for x in (info.item_label, f"„{info.item_title}“") if x.strip("„“"))
        head = f"{pad}{s.key}  {name}".rstrip()
        if via is not None:
            how = ", ".join(
                x
                for x in (
                    via.relation,
                    f"confidence {via.confidence}",
                    {"stated": "stated by the issuer", "inferred": "inferred"}.get(
                        via.asserted, ""
                    ),
                )
                if x
            )
            head = f"{pad}<- {how}: {s.key}  {name}".rstrip()
        if isinstance(s, _Marker):
            lines.append(f"{pad}{s.key}")
            continue
        lines.append(head)
        if id(s) in shown:
            lines.append(f"{pad}   (shown above)")
            continue
        shown.add(id(s))
        facts = [info.charta_title, info.publisher]
        if info.edition:
            facts.append(f"edition {info.edition}")
        if info.locator:
            facts.append(info.locator)
        lines.append(f"{pad}   {'; '.join(f for f in facts if f)}")
        for url in info.urls[:1]:
            lines.append(f"{pad}   {url}")
        if s.text:
            shown_text = " ".join(s.text.split())
            lines.append(f"{pad}   text: {shown_text[:300]}{'…' if len(shown_text) > 300 else ''}")
        if s.merged_into is not None:
            m = s.merged_into
            lines.append(
                f"{pad}   merged into '{m.into}' {m.date or '(undated)'}"
                + (f": {m.reason}" if m.reason else "")
            )
            if m.caused_by:
                lines.append(f"{pad}     caused by {', '.join(m.caused_by)}")
        for rev in s.revisions:
            lines.append(f"{pad}   revised {rev.field} {rev.date or '(undated)'}: {rev.reason}")
            for cause in rev.causes:
                lines.append(f"{pad}     caused by {cause.kind} {cause.id} ({cause.by})")
        for link in reversed(s.links):
            if link.unresolved:
                stack.append((_Unresolved(link), depth + 1, None))
            elif link.cycle:
                stack.append((_Cycle(link), depth + 1, None))
            elif link.target is not None:
                stack.append((link.target, depth + 1, link))
    return "\n".join(lines) + "\n"


class _Marker(Step):
    pass


def _Unresolved(link: Link) -> Step:
    return _Marker(key=f"(not resolved: {link.unresolved})", info=_blank(), kind="")


def _Cycle(link: Link) -> Step:
    key = link.target.key if link.target else "?"
    return _Marker(key=f"(cycle: back to {key})", info=_blank(), kind="")


def _blank() -> SourceInfo:
    return SourceInfo(ref="", resolved=False)


def _merge_attrs(m: MergeRecord, ch: Any) -> list[tuple[Any, Any]]:
    """PROV attributes of a principle merged away: where it went, when, why."""
    from prov.model import PROV  # lazy: prov costs 50 ms, only for --format prov-json

    out: list[tuple[Any, Any]] = [
        (PROV["type"], ch["MergedAway"]),
        (ch["mergedInto"], printable(m.into)),
    ]
    if m.date:
        out.append((ch["mergedOn"], m.date))
    if m.reason:
        out.append((ch["mergeReason"], printable(m.reason)))
    return out + [(ch["mergeCausedBy"], printable(c)) for c in m.caused_by]


def trace_prov(step: Step) -> str:
    """The chain as PROV-JSON: each step an entity, each link a derivation."""
    # lazy: prov costs 50 ms, only for --format prov-json
    from prov.model import PROV, ProvDocument

    from charta.render.prov import IDS, NAMESPACE

    doc = ProvDocument()
    ch = doc.add_namespace("charta", NAMESPACE)
    ids = doc.add_namespace("id", IDS)
    seen: dict[int, Any] = {}

    def entity(s: Step) -> Any:
        if id(s) not in seen:
            charta_id, _, item_id = s.key.partition("#")
            qn = ids[f"{charta_id}/items/{item_id}" if item_id else charta_id]
            attrs_: list[tuple[Any, Any]] = [
                (PROV["label"], printable(s.info.item_title or s.info.charta_title))
            ]
            info = s.info
            if info.item_label:
                attrs_.append((ch["label"], printable(info.item_label)))
            for key, value in (
                ("charta", info.charta_title),
                ("publisher", info.publisher),
                ("edition", info.edition),
                ("locator", info.locator),
            ):
                if value:
                    attrs_.append((ch[key], printable(value)))
            attrs_ += [(PROV["location"], u) for u in map(web_url, info.urls) if u]
            attrs_ += [
                (ch["revised"], printable(f"{r.field} {r.date or ''}: {r.reason}"))
                for r in s.revisions
            ]
            attrs_ += [
                (ch["unresolved"], printable(link.unresolved))
                for link in s.links
                if link.unresolved
            ]
            if s.merged_into is not None:
                attrs_ += _merge_attrs(s.merged_into, ch)
            doc.entity(qn, attrs_)
            seen[id(s)] = qn
        return seen[id(s)]

    stack = [step]
    done: set[int] = set()
    while stack:
        s = stack.pop()
        if id(s) in done:
            continue
        done.add(id(s))
        here = entity(s)
        for link in s.links:
            if link.target is None:
                continue
            other = entity(link.target)
            attrs_ = [(PROV["type"], ch[link.relation]), (ch["confidence"], link.confidence)]
            if link.asserted:
                attrs_.append((ch["asserted"], link.asserted))
            doc.wasDerivedFrom(here, other, other_attributes=attrs_)
            if not link.cycle:
                stack.append(link.target)
    out = io.StringIO()
    doc.serialize(out, format="json", indent=2, ensure_ascii=True)
    return out.getvalue() + "\n"
