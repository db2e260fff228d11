"""Meaning checks across a loaded charta and the chartas it refers to.

Shape (keys, types) is checked when a file is read; this module checks what
only makes sense across the whole: ids are unique, references resolve, the
revision history connects to the current text, the consultation hangs
together, derivations do not go round in a circle.  Every check reports to
one :class:`~charta.errors.Collector`; none stops at the first problem.

The checker needs a :class:`~charta.references.Resolver` to follow
references, nothing more: it does not know where sources come from.  Key
paths are computed by walking the charta, so a charta built in Python is
reported as precisely as one read from a file (lines need the file).
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from charta import hints, rules
from charta.errors import ChartaError, Collector, Level, Problem, Rule
from charta.model import (
    Assertion,
    Basis,
    Charta,
    ChartaKind,
    Comment,
    Commenter,
    Completeness,
    CoveredElsewhere,
    Decision,
    Derivation,
    Item,
    KeyPath,
    Knowledge,
    Lineage,
    Location,
    MergedAway,
    Obtained,
    PositionIndex,
    Reference,
    Response,
    RevisedField,
    Status,
    Value,
    is_id,
)
from charta.references import Resolver, lookup, resolve_path, short_path

__all__ = ["Report", "check"]


@attrs.frozen(repr=False)
class Report(Value):
    """What validating one input found."""

    file: str | None
    problems: tuple[Problem, ...]
    charta: Charta | None = None
    """The charta, when it could be read (even with meaning problems)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def at_least(self, level: Level) -> tuple[Problem, ...]:
        """The problems at ``level`` or above."""
        return tuple(p for p in self.problems if p.level >= level)


def check(
    charta: Charta, resolver: Resolver, *, people: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Every meaning problem of ``charta``, in document order.

    ``resolver`` finds the chartas that references name (a
    :class:`~charta.sources.registry.Registry` does); ``people`` are the commenters of
    the personal-data file by comment id (:class:`charta.personal.Person`), so
    that a response naming one of them is found.  Never raises for bad input.
    """
    checker = _Checker(charta, resolver)
    checker.people = people or {}
    with hints.budget():
        checker.run()
    return list(checker.found.problems())


class _Checker:
    def __init__(self, charta: Charta, resolver: Resolver) -> None:
        self.charta = charta
        self.resolver = resolver
        loc = charta.location
        self.file = loc.file if loc else None
        self.index: PositionIndex | None = loc.index if loc else None
        self.found = Collector(self.file)
        self.items = _items_with_paths(charta)
        """Every item with its key path, in document order: walked once."""
        self.people: Mapping[str, Any] = {}

    # -- reporting -------------------------------------------------------
    # Key paths are built while walking (``("items", 1, "derived-from", 0)``),
    # never looked up by object identity: a charta built in Python may hold
    # the same object twice, and each place is reported as itself.
    def at(self, path: KeyPath, *keys: str | int) -> Location:
        """The location of ``path`` (and ``keys`` below it); the line is found on demand."""
        return Location((*path, *keys), self.file, index=self.index)

    def at_written(self, path: KeyPath, *keys: str) -> Location:
        """The location of the first of ``keys`` that is written (others may be defaults)."""
        if self.index is not None:
            for key in keys:
                loc = self.at(path, key)
                if self.index.written(loc.keys):
                    return loc
        return self.at(path, keys[-1])

    def emit(
        self, rule: Rule, message: str | Callable[[], str], path: KeyPath, *keys: str | int
    ) -> None:
        self.found.add(rule, message, lambda: self.at(path, *keys))

    # -- the checks ------------------------------------------------------
    def run(self) -> None:
        # The format version is checked when the file is read, before its shape.
        self.check_ids()
        self.check_blank_texts()
        self.check_languages()
        self.check_issuer()
        self.check_adoption()
        self.check_license()
        self.check_completeness()
        self.check_references()
        self.check_links()
        self.check_revisions()
        self.check_consultation()
        self.check_local_cycles()
        self.check_file_cycles()
        self.check_rights()

    def check_ids(self) -> None:
        c = self.charta
        self.require_id(c.id, (), "id")
        seen: dict[str, KeyPath] = {}
        for item, path in self.items:
            self.require_id(item.id, path, "id")
            first = seen.setdefault(item.id, path)
            if first is not path:
                self.emit(rules.DUPLICATE_ITEM_ID, self._duplicate(item.id, first), path, "id")
        for n, m in enumerate(c.merged_away):
            path = ("merged-away", n)
            self.require_id(m.id, path, "id")
            first = seen.setdefault(m.id, path)
            if first is not path:
                self.emit(
                    rules.DUPLICATE_ITEM_ID,
                    self._duplicate(m.id, first, "; a merged-away principle keeps its id"),
                    path,
                    "id",
                )
        self.check_merged_into(seen)
        editions: set[str] = set()
        for n, e in enumerate(c.editions):
            if e.id in editions:
                self.emit(
                    rules.DUPLICATE_EDITION, f"duplicate edition '{e.id}'", ("editions", n), "id"
                )
            editions.add(e.id)
        if c.consultation:
            entries: list[tuple[Comment | Response, KeyPath]] = [
                *(
                    (x, ("consultation", "comments", n))
                    for n, x in enumerate(c.consultation.comments)
                ),
                *(
                    (r, ("consultation", "responses", n))
                    for n, r in enumerate(c.consultation.responses)
                ),
            ]
            ids: set[str] = set()
            for entry, path in entries:
                self.require_id(entry.id, path, "id")
                if entry.id in ids:
                    self.emit(
                        rules.DUPLICATE_ENTRY_ID,
                        f"duplicate id '{entry.id}': comments and responses share one set of ids",
                        path,
                        "id",
                    )
                ids.add(entry.id)

    def _duplicate(self, item_id: str, first: KeyPath, more: str = "") -> Callable[[], str]:
        return lambda: (
            f"duplicate item id '{item_id}' (first used at {self.at(first, 'id')}); "
            f"ids must be unique in a charta{more}"
        )

    def check_merged_into(self, ids: dict[str, KeyPath]) -> None:
        """Each merged-away principle's ``merged-into`` leads, perhaps through other
        merged-away ones, to a principle of the charta.  Each id is followed once."""
        c = self.charta
        into = {m.id: m.merged_into for m in c.merged_away}
        live = {i.id for i, _ in self.items}
        ends: dict[str, bool] = {}
        for n, m in enumerate(c.merged_away):
            path = ("merged-away", n)
            if m.merged_into not in ids:
                self.emit(
                    rules.MERGED_INTO,
                    _suggesting(
                        f"'{m.id}' was merged into '{m.merged_into}', which is no principle "
                        "of this charta: write the id of the principle that carries it on",
                        m.merged_into,
                        lambda: sorted(live),
                    ),
                    path,
                    "merged-into",
                )
                continue
            chain: list[str] = []
            on_chain: set[str] = set()
            at = m.id
            while at not in live and at not in ends and at in into and at not in on_chain:
                chain.append(at)
                on_chain.add(at)
                at = into[at]
            reaches = at in live or ends.get(at, False)
            for step in chain:
                ends[step] = reaches
            if not reaches and at in on_chain:
                cycle = [*chain[chain.index(at) :], at]
                self.emit(
                    rules.MERGED_INTO,
                    f"merged-into goes round in a circle, {_chain(cycle)}, and never reaches "
                    "a principle of the charta",
                    path,
                    "merged-into",
                )

    def require_id(self, value: str, path: KeyPath, key: str) -> None:
        if not is_id(value):
            self.emit(
                rules.INVALID_ID,
                f"'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
                "e.g. 'mensch-im-mittelpunkt'",
                path,
                key,
            )

    def check_blank_texts(self) -> None:
        """Required texts hold more than white space (blank reasons and
        pseudonyms have rules of their own)."""
        c = self.charta
        fields: list[tuple[KeyPath, str, str]] = [
            ((), "title", c.title),
            (("issuer",), "body", c.issuer.body),
        ]
        for n, t in enumerate(c.other_titles):
            fields += [(("other-titles", n), "title", t.title)]
            fields += [(("other-titles", n), "language", t.language)]
        fields += [(path, "title", i.title) for i, path in self.items]
        fields += [(("merged-away", n), "title", m.title) for n, m in enumerate(c.merged_away)]
        if c.part_of is not None:
            fields.append((("part-of",), "title", c.part_of.title))
        if c.adoption is not None:
            fields.append((("adoption",), "body", c.adoption.body))
        fields += [
            (("covered-elsewhere", n), "where", ce.where)
            for n, ce in enumerate(c.covered_elsewhere)
        ]
        if c.consultation is not None:
            cons = c.consultation
            fields += [
                (("consultation", "comments", n), "text", x.text)
                for n, x in enumerate(cons.comments)
            ]
            for n, r in enumerate(cons.responses):
                fields += [(("consultation", "responses", n), "text", r.text)]
                fields += [(("consultation", "responses", n), "by", r.by)]
        for path, key, value in fields:
            if not _INVISIBLE.sub("", value).strip():
                self.emit(
                    rules.BLANK_TEXT,
                    f"'{key}' is blank: write the {key} (it is required)",
                    path,
                    key,
                )

    def check_languages(self) -> None:
        """The charta's language and those of other titles are language tags (``de``, ``de-CH``)."""
        tags: list[tuple[KeyPath, str, str]] = [((), "language", self.charta.language)]
        tags += [
            (("other-titles", n), "language", t.language)
            for n, t in enumerate(self.charta.other_titles)
        ]
        for path, key, tag in tags:
            if not LANGUAGE_TAG.fullmatch(tag):
                self.emit(
                    rules.BAD_LANGUAGE,
                    f"language '{tag}' is not a language tag: write a code like 'de', 'en' "
                    "or 'de-CH' (BCP 47)",
                    path,
                    key,
                )

    def check_issuer(self) -> None:
        issuer = self.charta.issuer
        if issuer.country and not _COUNTRY.fullmatch(issuer.country):
            self.emit(
                rules.BAD_COUNTRY,
                f"country '{issuer.country}' is not an ISO 3166-1 alpha-2 code: write two "
                "capital letters, e.g. 'DE', 'CH', 'AT'",
                ("issuer",),
                "country",
            )
        if issuer.ags:
            if not _AGS.fullmatch(issuer.ags):
                self.emit(
                    rules.BAD_AGS,
                    f"ags '{issuer.ags}' is not an official municipality key: write its 8 "
                    'digits as text, e.g. ags = "08115045" (Sindelfingen)',
                    ("issuer",),
                    "ags",
                )
            if issuer.country and issuer.country != "DE":
                self.emit(
                    rules.AGS_OUTSIDE_GERMANY,
                    f"an ags is a German key, but the country is '{issuer.country}'",
                    ("issuer",),
                    "ags",
                )

    def check_adoption(self) -> None:
        c = self.charta
        adoption = c.adoption
        if adoption is None:
            if c.status is Status.ADOPTED and c.kind is ChartaKind.LOCAL:
                self.emit(
                    rules.ADOPTED_WITHOUT_RECORD,
                    "the status is 'adopted': say when and by whom in an [adoption] table "
                    "(body, date, paper, url)",
                    (),
                    "status",
                )
            return
        if adoption.knowledge is Knowledge.VERIFIED and c.status in (
            Status.DRAFT,
            Status.CONSULTATION,
            Status.UNKNOWN,
        ):
            self.emit(
                rules.ADOPTION_STATUS,
                f"an adoption by {adoption.body} is recorded as seen, but the status is "
                f"'{c.status.value}': set status = \"adopted\" (or mark the adoption "
                'knowledge = "unverified" if it is only reported or planned)',
                (),
                "status",
            )

    def check_license(self) -> None:
        from charta.licenses import FAMILIAR, needs_attribution, parse_expression

        prov = self.charta.provenance
        if not prov.license:
            return
        try:
            ids = parse_expression(prov.license)
        except ValueError as exc:
            self.emit(
                rules.BAD_LICENSE,
                f"license '{prov.license}' is not an SPDX id or expression: {exc} "
                "(e.g. 'CC0-1.0', 'CC-BY-4.0', 'DL-DE-BY-2.0'; see https://spdx.org/licenses/)",
                ("provenance",),
                "license",
            )
            return
        for license_id in ids:
            if license_id.rstrip("+") not in FAMILIAR and "LicenseRef-" not in license_id:
                self.emit(
                    rules.UNFAMILIAR_LICENSE,
                    _suggesting(
                        f"license '{license_id}' is not one charta knows: check it against "
                        "https://spdx.org/licenses/",
                        license_id,
                        sorted(FAMILIAR),
                    ),
                    ("provenance",),
                    "license",
                )
        if any(needs_attribution(i) for i in ids) and not prov.attribution.strip():
            self.emit(
                rules.ATTRIBUTION_MISSING,
                f"license '{prov.license}' asks for attribution: write it in 'attribution' "
                '(e.g. "Stadt Musterstadt, Leitmotive 2024, CC BY 4.0")',
                ("provenance",),
                "license",
            )

    def check_completeness(self) -> None:
        c = self.charta
        declared, known = c.declared_count, c.known_count
        if declared is None:
            if c.completeness is Completeness.PARTIAL:
                self.emit(
                    rules.PARTIAL_WITHOUT_COUNT,
                    "completeness is 'partial' but declared-count is not given: say how many "
                    "items the charta declares, so that coverage can say what it rests on",
                    (),
                    "completeness",
                )
            return
        if known > declared:
            self.emit(
                rules.MORE_THAN_DECLARED,
                f"declared-count is {declared} but {known} top-level items are recorded",
                (),
                "declared-count",
            )
        elif c.completeness is Completeness.COMPLETE and known < declared:
            self.found.add(
                rules.COMPLETE_BUT_MISSING,
                f"completeness is 'complete' but only {known} of {declared} declared items "
                'are recorded; set completeness = "partial" or add the missing items',
                lambda: self.at_written((), "completeness", "declared-count"),
            )
        elif c.completeness is Completeness.PARTIAL and known == declared:
            self.emit(
                rules.PARTIAL_BUT_ALL,
                f"completeness is 'partial' but all {declared} declared items are recorded",
                (),
                "completeness",
            )

    # -- references ------------------------------------------------------
    def check_references(self) -> None:
        c = self.charta
        based = {b.source.charta for b in c.based_on}
        for n, basis in enumerate(c.based_on):
            path: KeyPath = ("based-on", n)
            if basis.source.charta is None or basis.source.item is not None:
                self.emit(
                    rules.BASED_ON_ITEM,
                    f"based-on names a whole charta ('smart-city-charta@2017' or a file), "
                    f"not an item: '{basis.source}'",
                    path,
                    "source",
                )
            else:
                self.resolve(basis.source, path, "source")
        derived: dict[tuple[str | None, str | None], KeyPath] = {}
        for item, d, path in self.derivations():
            if self.resolve(d.ref, path, "ref") and d.ref.is_local and d.ref.item == item.id:
                self.emit(rules.SELF_DERIVATION, f"'{item.id}' is derived from itself", path, "ref")
            derived.setdefault(_target_key(d.ref), path)
            if based and d.ref.charta is not None and d.ref.charta not in based:
                self.emit(
                    rules.NOT_IN_BASED_ON,
                    f"derived from '{d.ref.charta}', which is not listed in based-on",
                    path,
                    "ref",
                )
        for m_n, m in enumerate(c.merged_away):
            # A merged-away principle's links are history, but they must resolve.
            for n, d in enumerate(m.derived_from):
                self.resolve(d.ref, ("merged-away", m_n, "derived-from", n), "ref")
        omitted: set[tuple[str | None, str | None]] = set()
        for n, om in enumerate(c.omissions):
            path = ("omissions", n)
            self.resolve(om.ref, path, "ref")
            key = _target_key(om.ref)
            if key in omitted:
                self.emit(rules.OMITTED_TWICE, f"'{om.ref}' is omitted twice", path, "ref")
            omitted.add(key)
            if key in derived:
                self.emit(
                    rules.OMITTED_AND_DERIVED,
                    self._also_derived(om.ref, derived[key], "listed as omitted"),
                    path,
                    "ref",
                )
            if not om.reason.strip():
                self.emit(rules.OMISSION_REASON, "an omission needs a reason", path, "reason")
        covered: set[tuple[str | None, str | None]] = set()
        for n, ce in enumerate(c.covered_elsewhere):
            path = ("covered-elsewhere", n)
            if ce.ref.is_local or ce.ref.item is None:
                self.emit(
                    rules.COVERED_CONFLICT,
                    "covered-elsewhere names an item of a source "
                    f"('smart-city-charta#leitbild-5'), not '{ce.ref}'",
                    path,
                    "ref",
                )
                continue
            self.resolve(ce.ref, path, "ref")
            key = _target_key(ce.ref)
            if key in covered:
                self.emit(
                    rules.COVERED_TWICE, f"'{ce.ref}' is covered elsewhere twice", path, "ref"
                )
            covered.add(key)
            if key in derived:
                self.emit(
                    rules.COVERED_CONFLICT,
                    self._also_derived(ce.ref, derived[key], "covered elsewhere"),
                    path,
                    "ref",
                )
            elif key in omitted:
                self.emit(
                    rules.COVERED_CONFLICT,
                    f"'{ce.ref}' is covered elsewhere and also listed as omitted; "
                    "remove one of the two",
                    path,
                    "ref",
                )

    def derivations(self) -> Iterator[tuple[Item, Derivation, KeyPath]]:
        """Every derivation with its item and key path."""
        for item, path in self.items:
            for n, d in enumerate(item.derived_from):
                yield item, d, (*path, "derived-from", n)

    def _also_derived(self, ref: Reference, where: KeyPath, what: str) -> Callable[[], str]:
        return lambda: (
            f"'{ref}' is {what}, but a principle is derived from it "
            f"at {self.at(where, 'ref')}; remove one of the two"
        )

    def check_links(self) -> None:
        """Who asserts each link; one link per source item; what lineage says."""
        c = self.charta
        links: list[tuple[Basis | Derivation | CoveredElsewhere, KeyPath]] = [
            *((b, ("based-on", n)) for n, b in enumerate(c.based_on)),
            *((ce, ("covered-elsewhere", n)) for n, ce in enumerate(c.covered_elsewhere)),
        ]
        for item, path in self.items:
            seen: dict[tuple[str | None, str | None], Derivation] = {}
            for n, d in enumerate(item.derived_from):
                dpath = (*path, "derived-from", n)
                links.append((d, dpath))
                key = _target_key(d.ref)  # local links ('#b') count too
                if key not in seen:
                    seen[key] = d
                    continue
                first = seen[key]
                if first.relation is d.relation:
                    self.emit(
                        rules.DUPLICATE_LINK,
                        f"'{item.id}' links to '{d.ref}' twice, both '{d.relation.value}': "
                        "remove one",
                        dpath,
                        "ref",
                    )
                else:
                    self.emit(
                        rules.CONTRADICTORY_LINKS,
                        f"'{item.id}' links to '{d.ref}' as '{first.relation.value}' and as "
                        f"'{d.relation.value}': keep the one that holds",
                        dpath,
                        "relation",
                    )
        by_issuer = 0
        for link, path in links:
            if c.kind is not ChartaKind.LOCAL or link_is_local(link):
                continue
            if link.asserted_by is None:
                self.emit(
                    rules.ASSERTION_MISSING,
                    'say who asserts this link: asserted-by = "issuer" (the issuer states it; '
                    'give stated-at) or "record-keeper" (your reading of the texts)',
                    path,
                    _ref_key(link),
                )
            elif link.asserted_by is Assertion.ISSUER:
                by_issuer += 1
            if link.stated_at and not link.stated_at.strip():
                self.emit(
                    rules.BLANK_TEXT,
                    "'stated-at' is blank: say where, or leave it out",
                    path,
                    "stated-at",
                )
            elif link.stated_at and link.asserted_by is not Assertion.ISSUER:
                self.emit(
                    rules.STATED_AT_NOT_ISSUER,
                    "stated-at says where the issuer states a link, but asserted-by is not "
                    '"issuer"',
                    path,
                    "stated-at",
                )
        if c.lineage is Lineage.NONE_NAMED and by_issuer:
            self.emit(
                rules.LINEAGE_CONTRADICTION,
                f"lineage is 'none-named' (the issuer names no source), but {by_issuer} "
                "link(s) are asserted by the issuer; mark them record-keeper, or change lineage",
                (),
                "lineage",
            )
        if c.lineage is Lineage.NOT_RECORDED and links:
            self.emit(
                rules.LINEAGE_NOT_RECORDED,
                f"lineage is 'not-recorded', but {len(links)} link(s) are recorded: "
                'set lineage = "recorded"',
                (),
                "lineage",
            )

    def resolve(self, ref: Reference, path: KeyPath, key: str) -> bool:
        """Check that ``ref`` points at something; report it where it does not."""
        try:
            lookup(self.resolver, ref, base=self.file, here=self.charta)
        except ChartaError as exc:
            message = exc.message
            self.emit(rules.UNRESOLVED, f"'{ref}' does not resolve: {message}", path, key)
            return False
        return True

    # -- history -----------------------------------------------------------
    def check_revisions(self) -> None:
        known_ids: list[str] = []
        if self.charta.consultation:
            cons = self.charta.consultation
            known_ids = [c.id for c in cons.comments] + [r.id for r in cons.responses]
        known = set(known_ids)
        historied: list[tuple[Item | MergedAway, KeyPath]] = [*self.items]
        causes: list[tuple[tuple[str, ...], KeyPath]] = []
        for n, m in enumerate(self.charta.merged_away):
            historied.append((m, ("merged-away", n)))
            causes.append((m.caused_by, ("merged-away", n)))
        for item, item_path in historied:
            by_field: dict[RevisedField, list[int]] = {}
            for n, rev in enumerate(item.revisions):
                rev_path = (*item_path, "revisions", n)
                by_field.setdefault(rev.field, []).append(n)
                causes.append((rev.caused_by, rev_path))
                if rev.before == rev.after:
                    self.emit(
                        rules.REVISION_NO_CHANGE,
                        "this revision changes nothing: before and after are the same",
                        rev_path,
                        "after",
                    )
            for field, indexes in by_field.items():
                revs = [item.revisions[n] for n in indexes]
                for (i, a), (j, b) in itertools.pairwise(zip(indexes, revs, strict=True)):
                    if a.after != b.before:
                        self.emit(
                            rules.REVISION_CHAIN_GAP,
                            f"revision {j + 1} of '{item.id}' does not start where revision "
                            f"{i + 1} ended: its 'before' differs from the earlier 'after'",
                            (*item_path, "revisions", j),
                            "before",
                        )
                    if a.date and b.date and b.date.latest() < a.date.earliest():
                        self.emit(
                            rules.REVISION_DATE_ORDER,
                            f"revision {j + 1} of '{item.id}' is dated before revision {i + 1}",
                            (*item_path, "revisions", j),
                            "date",
                        )
                current = getattr(item, field.value, "")
                if revs[-1].after != current:
                    self.emit(
                        rules.REVISION_CHAIN_END,
                        f"the last revision of the {field.value} of '{item.id}' does not end in "
                        f"the current {field.value}: its 'after' must equal the item's "
                        f"'{field.value}'",
                        (*item_path, "revisions", indexes[-1]),
                        "after",
                    )

        for ids, path in causes:
            for cause in ids:
                if cause not in known:
                    self.emit(
                        rules.UNKNOWN_CAUSE,
                        _suggesting(
                            f"caused-by '{cause}' points nowhere: there is no comment or "
                            "response with that id",
                            cause,
                            known_ids,
                        ),
                        path,
                        "caused-by",
                    )

    def check_consultation(self) -> None:
        cons = self.charta.consultation
        if cons is None:
            return
        if cons.start and cons.end and cons.end.latest() < cons.start.earliest():
            self.emit(
                rules.CONSULTATION_DATES,
                "the consultation ends before it starts",
                ("consultation",),
                "end",
            )
        comments: dict[str, Comment] = {}
        # A comment on a principle that was later merged away still has its target.
        merged_away = {m.id for m in self.charta.merged_away}
        for n, comment in enumerate(cons.comments):
            path = ("consultation", "comments", n)
            comments.setdefault(comment.id, comment)
            if comment.target is not None:
                if not comment.target.is_local:
                    self.emit(
                        rules.COMMENT_TARGET,
                        f"a comment targets a principle of this charta: write '#item-id', "
                        f"not '{comment.target}'",
                        path,
                        "target",
                    )
                elif comment.target.item not in merged_away:
                    self.resolve(comment.target, path, "target")
            person = comment.commenter
            if (person.name or person.email) and not person.consent_to_publish:
                self.emit(
                    rules.PERSONAL_DATA_IN_CHARTA,
                    f"the charta file holds the {'name' if person.name else 'email'} of "
                    f"'{person.pseudonym}', who did not consent to publication: keep it in the "
                    "personal-data file beside the charta (charta consult import writes it), "
                    "and only the pseudonym here",
                    (*path, "commenter"),
                    "name" if person.name else "email",
                )
            if not comment.commenter.pseudonym.strip():
                self.emit(
                    rules.MISSING_PSEUDONYM,
                    "the commenter needs a pseudonym: public outputs show it instead of the name",
                    (*path, "commenter"),
                    "pseudonym",
                )
        for n, response in enumerate(cons.responses):
            path = ("consultation", "responses", n)
            answered = comments.get(response.comment)
            if answered is None:
                self.emit(
                    rules.UNKNOWN_COMMENT,
                    _suggesting(
                        f"response '{response.id}' answers comment '{response.comment}', which "
                        "does not exist",
                        response.comment,
                        lambda: list(comments),
                    ),
                    path,
                    "comment",
                )
                continue
            person = answered.commenter
            known = self.people.get(answered.id)
            if known is not None:
                person = attrs.evolve(
                    person, name=known.name, consent_to_publish=known.consent_to_publish
                )
            if not person.consent_to_publish and person.name and _mentions(response.text, person):
                self.emit(
                    rules.RESPONSE_NAMES_COMMENTER,
                    f"response '{response.id}' names the commenter of '{answered.id}', who did "
                    "not consent to publication; leave the name out of the response text",
                    path,
                    "text",
                )

        self.check_decisions(comments)

    def check_decisions(self, comments: dict[str, Comment]) -> None:
        """An accepted comment led to an amendment; no amendment cites a rejected one.

        A comment's decision is that of its last response.  Causes are looked
        up in one index: linear in comments, responses and revisions.
        """
        cons = self.charta.consultation
        assert cons is not None
        last: dict[str, tuple[int, Response]] = {}
        for n, r in enumerate(cons.responses):
            last[r.comment] = (n, r)
        comment_of = {r.id: r.comment for r in cons.responses}
        cited: set[str] = set()
        citing: list[tuple[tuple[str, ...], KeyPath]] = []
        for item, path in self.items:
            for n, rev in enumerate(item.revisions):
                citing.append((rev.caused_by, (*path, "revisions", n)))
        for m_n, m in enumerate(self.charta.merged_away):
            citing.append((m.caused_by, ("merged-away", m_n)))
            for n, rev in enumerate(m.revisions):
                citing.append((rev.caused_by, ("merged-away", m_n, "revisions", n)))
        for causes, path in citing:
            # A comment and its answer cited together are one cause: said once.
            for comment_id in dict.fromkeys(comment_of.get(c, c) for c in causes):
                cited.add(comment_id)
                found = last.get(comment_id)
                if found is not None and found[1].decision is Decision.REJECTED:
                    self.emit(
                        rules.AMENDMENT_CITES_REJECTED,
                        f"this amendment cites comment '{comment_id}', but the answer to it "
                        "is 'rejected': change the decision (partly-accepted?) or the cause",
                        path,
                        "caused-by",
                    )
        for comment_id, (n, r) in last.items():
            if (
                r.decision is Decision.ACCEPTED
                and comment_id in comments
                and comment_id not in cited
            ):
                self.emit(
                    rules.ACCEPTED_WITHOUT_AMENDMENT,
                    f"comment '{comment_id}' is answered 'accepted', but no amendment cites it: "
                    f"record the change (charta consult amend FILE ITEM --because {comment_id}) "
                    "or change the decision",
                    ("consultation", "responses", n),
                    "decision",
                )

    # -- cycles --------------------------------------------------------------
    def check_local_cycles(self) -> None:
        """Derivation cycles over '#item' links, by an iterative depth-first search.

        Iterative, so that a chain of 10,000 links does not exhaust the stack;
        each link is followed once.  A self-link is reported by
        check_references, not again here.
        """
        edges: dict[str, list[tuple[Derivation, KeyPath]]] = {}
        for item, d, where in self.derivations():
            links = edges.setdefault(item.id, [])
            if d.ref.is_local and d.ref.item and d.ref.item != item.id:
                links.append((d, where))
        for item, _ in self.items:
            edges.setdefault(item.id, [])
        ON_PATH, DONE = 1, 2
        state: dict[str, int] = {}
        for start, first_links in edges.items():
            if start in state:
                continue
            path = [start]
            position = {start: 0}
            state[start] = ON_PATH
            stack = [iter(first_links)]
            while stack:
                step = next(stack[-1], None)
                if step is None:
                    stack.pop()
                    node = path.pop()
                    del position[node]
                    state[node] = DONE
                    continue
                d, where = step
                target = d.ref.item
                assert target is not None
                seen = state.get(target)
                if seen == ON_PATH:
                    cycle = [*path[position[target] :], target]
                    self.emit(
                        rules.DERIVATION_CYCLE,
                        f"derivation cycle: {_chain(cycle)}",
                        where,
                        "ref",
                    )
                elif seen is None and target in edges:
                    state[target] = ON_PATH
                    position[target] = len(path)
                    path.append(target)
                    stack.append(iter(edges[target]))

    def check_file_cycles(self) -> None:
        if self.file is None:
            return
        root = _real(resolve_path(self.file, None))
        if root is None:
            return
        for _, d, path in self.derivations():
            if not d.ref.is_path:
                continue
            assert d.ref.charta is not None
            target = _real(resolve_path(d.ref.charta, self.file))
            chain = self.path_back(target, root) if target else None
            if chain:
                shown = " -> ".join(short_path(p) for p in [root, *chain])
                self.emit(rules.FILE_CYCLE, f"derivation cycle between files: {shown}", path, "ref")
                return

    def path_back(self, start: str, root: str) -> list[str] | None:
        """The files from ``start`` back to ``root`` along path references, if any.

        Breadth-first and iterative: each file is read once, however the
        files refer to each other.
        """
        parent: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            if current == root:
                chain: list[str] = []
                node: str | None = current
                while node is not None:
                    chain.append(node)
                    node = parent[node]
                return chain[::-1]
            try:
                charta = self.resolver.resolve(current)
            except ChartaError:
                continue  # reported where the reference is resolved
            for ref in _path_refs(charta):
                assert ref.charta is not None
                nxt = _real(resolve_path(ref.charta, current))
                if nxt is not None and nxt not in parent:
                    parent[nxt] = current
                    queue.append(nxt)
        return None

    def check_rights(self) -> None:
        c = self.charta
        if c.kind is ChartaKind.SOURCE and c.provenance.obtained is Obtained.SUMMARISED:
            for item, path in self.items:
                if item.text:
                    self.emit(
                        rules.TEXT_IN_SUMMARY,
                        f"'{item.id}' holds a text, but this source is recorded as summarised: "
                        "keep only a summary in your own words and point to the original",
                        path,
                        "text",
                    )


def _mentions(text: str, person: Commenter) -> bool:
    from charta.privacy import mentions  # only where a commenter has a name

    return mentions(text, person.name)


def _suggesting(
    message: str, word: str, candidates: list[str] | Callable[[], list[str]]
) -> Callable[[], str]:
    """``message`` with a did-you-mean for ``word``, made only if the message is shown."""
    return lambda: message + hints.did_you_mean(word, candidates)


def link_is_local(link: Basis | Derivation | CoveredElsewhere) -> bool:
    """A derivation from another principle of the same charta ('#item') is no source link."""
    return isinstance(link, Derivation) and link.ref.is_local


def _ref_key(link: Basis | Derivation | CoveredElsewhere) -> str:
    return "source" if isinstance(link, Basis) else "ref"


_INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\U000e0000-\U000e007f]"
)
"""Characters a reader does not see: a text made only of them is blank."""

_AGS = re.compile(r"[0-9]{8}")
_COUNTRY = re.compile(r"[A-Z]{2}")
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*")
"""A BCP 47 language tag, in the common form: a language, then subtags (``de``, ``de-CH``)."""


def _target_key(ref: Reference) -> tuple[str | None, str | None]:
    # Editions with the same items name the same item.
    return (ref.charta, ref.item)


def _chain(ids: list[str], most: int = 12) -> str:
    """``a -> b -> a``; a cycle of thousands is shown by its ends and its length."""
    if len(ids) <= most:
        return " -> ".join(ids)
    half = most // 2
    return (
        " -> ".join(ids[:half]) + f" -> ... ({len(ids) - most} more) -> " + " -> ".join(ids[-half:])
    )


def _real(path: Path) -> str | None:
    try:
        return str(path.resolve())
    except (OSError, ValueError):  # a loop of symlinks, a NUL in a name built in Python
        return None


def _path_refs(charta: Charta) -> Iterator[Reference]:
    for item in charta.walk():
        for d in item.derived_from:
            if d.ref.is_path:
                yield d.ref


def _items_with_paths(charta: Charta) -> list[tuple[Item, KeyPath]]:
    """Every item with its key path (``("items", 1, "children", 0)``), in document order.

    Iterative: nesting is bounded when reading, but a charta built in Python
    is not read.
    """
    out: list[tuple[Item, KeyPath]] = []
    stack: list[tuple[Item, KeyPath]] = [
        (item, ("items", n)) for n, item in reversed(list(enumerate(charta.items)))
    ]
    while stack:
        item, path = stack.pop()
        out.append((item, path))
        stack.extend(
            (child, (*path, "children", n)) for n, child in reversed(list(enumerate(item.children)))
        )
    return out
