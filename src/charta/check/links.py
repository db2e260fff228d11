"""Rule group: references resolve, and links to sources say who asserts them.

Every reference is looked up through the run's one
:class:`~charta.references.Targets`: each charta named is resolved once and
its ids indexed once, so 10,000 references cost 10,000 dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Callable

from charta import rules
from charta.check.context import Check, Context, target_key
from charta.model import (
    Assertion,
    Basis,
    ChartaKind,
    CoveredElsewhere,
    Derivation,
    KeyPath,
    Lineage,
    Reference,
)

__all__ = ["GROUP", "link_is_local"]

Target = tuple[str | None, str | None]


def references(ctx: Context) -> None:
    """Based-on names whole chartas, derivations, omissions and coverage elsewhere
    resolve, and no source item is both derived and set aside."""
    c = ctx.charta
    based = {b.source.charta for b in c.based_on}
    for n, basis in enumerate(c.based_on):
        path: KeyPath = ("based-on", n)
        if basis.source.charta is None or basis.source.item is not None:
            ctx.emit(
                rules.BASED_ON_ITEM,
                f"based-on names a whole charta ('smart-city-charta@2017' or a file), "
                f"not an item: '{basis.source}'",
                path,
                "source",
            )
        else:
            ctx.resolve(basis.source, path, "source")
    derived: dict[Target, KeyPath] = {}
    for item, d, path in ctx.derivations:
        resolves = ctx.resolve(d.ref, path, "ref")
        if resolves and d.ref.is_local and d.ref.item == item.id:
            ctx.emit(rules.SELF_DERIVATION, f"'{item.id}' is derived from itself", path, "ref")
        derived.setdefault(target_key(d.ref), path)
        if based and d.ref.charta is not None and d.ref.charta not in based:
            ctx.emit(
                rules.NOT_IN_BASED_ON,
                f"derived from '{d.ref.charta}', which is not listed in based-on",
                path,
                "ref",
            )
    for m, m_path in ctx.merged_away:
        # A merged-away principle's links are history, but they must resolve.
        for n, d in enumerate(m.derived_from):
            ctx.resolve(d.ref, (*m_path, "derived-from", n), "ref")
    omitted = _omissions(ctx, derived)
    _covered_elsewhere(ctx, derived, omitted)


def _omissions(ctx: Context, derived: dict[Target, KeyPath]) -> set[Target]:
    omitted: set[Target] = set()
    for n, om in enumerate(ctx.charta.omissions):
        path: KeyPath = ("omissions", n)
        ctx.resolve(om.ref, path, "ref")
        key = target_key(om.ref)
        if key in omitted:
            ctx.emit(rules.OMITTED_TWICE, f"'{om.ref}' is omitted twice", path, "ref")
        omitted.add(key)
        if key in derived:
            ctx.emit(
                rules.OMITTED_AND_DERIVED,
                _also_derived(ctx, om.ref, derived[key], "listed as omitted"),
                path,
                "ref",
            )
        if not om.reason.strip():
            ctx.emit(rules.OMISSION_REASON, "an omission needs a reason", path, "reason")
    return omitted


def _covered_elsewhere(ctx: Context, derived: dict[Target, KeyPath], omitted: set[Target]) -> None:
    covered: set[Target] = set()
    for n, ce in enumerate(ctx.charta.covered_elsewhere):
        path: KeyPath = ("covered-elsewhere", n)
        if ce.ref.is_local or ce.ref.item is None:
            ctx.emit(
                rules.COVERED_CONFLICT,
                "covered-elsewhere names an item of a source "
                f"('smart-city-charta#leitbild-5'), not '{ce.ref}'",
                path,
                "ref",
            )
            continue
        ctx.resolve(ce.ref, path, "ref")
        key = target_key(ce.ref)
        if key in covered:
            ctx.emit(rules.COVERED_TWICE, f"'{ce.ref}' is covered elsewhere twice", path, "ref")
        covered.add(key)
        if key in derived:
            ctx.emit(
                rules.COVERED_CONFLICT,
                _also_derived(ctx, ce.ref, derived[key], "covered elsewhere"),
                path,
                "ref",
            )
        elif key in omitted:
            ctx.emit(
                rules.COVERED_CONFLICT,
                f"'{ce.ref}' is covered elsewhere and also listed as omitted; "
                "remove one of the two",
                path,
                "ref",
            )


def _also_derived(ctx: Context, ref: Reference, where: KeyPath, what: str) -> Callable[[], str]:
    return lambda: (
        f"'{ref}' is {what}, but a principle is derived from it "
        f"at {ctx.at(where, 'ref')}; remove one of the two"
    )


def duplicate_links(ctx: Context) -> None:
    """A principle links to each item once, with one relation."""
    for item, item_path in ctx.items:
        seen: dict[Target, Derivation] = {}
        for n, d in enumerate(item.derived_from):
            key = target_key(d.ref)  # local links ('#b') count too
            if key not in seen:
                seen[key] = d
                continue
            first = seen[key]
            path = (*item_path, "derived-from", n)
            if first.relation is d.relation:
                ctx.emit(
                    rules.DUPLICATE_LINK,
                    f"'{item.id}' links to '{d.ref}' twice, both '{d.relation.value}': remove one",
                    path,
                    "ref",
                )
            else:
                ctx.emit(
                    rules.CONTRADICTORY_LINKS,
                    f"'{item.id}' links to '{d.ref}' as '{first.relation.value}' and as "
                    f"'{d.relation.value}': keep the one that holds",
                    path,
                    "relation",
                )


def assertions(ctx: Context) -> None:
    """Who asserts each link to a source, and what lineage says about them."""
    c = ctx.charta
    links: list[tuple[Basis | Derivation | CoveredElsewhere, KeyPath]] = [
        *((b, ("based-on", n)) for n, b in enumerate(c.based_on)),
        *((ce, ("covered-elsewhere", n)) for n, ce in enumerate(c.covered_elsewhere)),
        *((d, path) for _, d, path in ctx.derivations),
    ]
    by_issuer = 0
    for link, path in links:
        if c.kind is not ChartaKind.LOCAL or link_is_local(link):
            continue
        if link.asserted_by is None:
            ctx.emit(
                rules.ASSERTION_MISSING,
                'say who asserts this link: asserted-by = "issuer" (the issuer states it; '
                'give stated-at) or "record-keeper" (your reading of the texts)',
                path,
                "source" if isinstance(link, Basis) else "ref",
            )
        elif link.asserted_by is Assertion.ISSUER:
            by_issuer += 1
        if link.stated_at and not link.stated_at.strip():
            ctx.emit(
                rules.BLANK_TEXT,
                "'stated-at' is blank: say where, or leave it out",
                path,
                "stated-at",
            )
        elif link.stated_at and link.asserted_by is not Assertion.ISSUER:
            ctx.emit(
                rules.STATED_AT_NOT_ISSUER,
                'stated-at says where the issuer states a link, but asserted-by is not "issuer"',
                path,
                "stated-at",
            )
    if c.lineage is Lineage.NONE_NAMED and by_issuer:
        ctx.emit(
            rules.LINEAGE_CONTRADICTION,
            f"lineage is 'none-named' (the issuer names no source), but {by_issuer} "
            "link(s) are asserted by the issuer; mark them record-keeper, or change lineage",
            (),
            "lineage",
        )
    if c.lineage is Lineage.NOT_RECORDED and links:
        ctx.emit(
            rules.LINEAGE_NOT_RECORDED,
            f"lineage is 'not-recorded', but {len(links)} link(s) are recorded: "
            'set lineage = "recorded"',
            (),
            "lineage",
        )


def link_is_local(link: Basis | Derivation | CoveredElsewhere) -> bool:
    """A derivation from another principle of the same charta ('#item') is no source link."""
    return isinstance(link, Derivation) and link.ref.is_local


GROUP = (
    Check(
        (
            rules.BASED_ON_ITEM,
            rules.UNRESOLVED,
            rules.SELF_DERIVATION,
            rules.NOT_IN_BASED_ON,
            rules.OMITTED_TWICE,
            rules.OMITTED_AND_DERIVED,
            rules.OMISSION_REASON,
            rules.COVERED_CONFLICT,
            rules.COVERED_TWICE,
        ),
        references,
    ),
    Check((rules.DUPLICATE_LINK, rules.CONTRADICTORY_LINKS), duplicate_links),
    Check(
        (
            rules.ASSERTION_MISSING,
            rules.BLANK_TEXT,
            rules.STATED_AT_NOT_ISSUER,
            rules.LINEAGE_CONTRADICTION,
            rules.LINEAGE_NOT_RECORDED,
        ),
        assertions,
    ),
)
"""The checks of this group, in the order they run."""
