"""Rule group: the record of the charta: adoption, licence, completeness, rights."""

from __future__ import annotations

from charta import rules
from charta.check.context import Check, Context, suggesting
from charta.licenses import FAMILIAR, needs_attribution, parse_expression
from charta.model import ChartaKind, Completeness, Knowledge, Obtained, Status

__all__ = ["GROUP"]


def adoption(ctx: Context) -> None:
    """An adopted local charta says when and by whom; a seen adoption is not a draft."""
    c = ctx.charta
    record = c.adoption
    if record is None:
        if c.status is Status.ADOPTED and c.kind is ChartaKind.LOCAL:
            ctx.emit(
                rules.ADOPTED_WITHOUT_RECORD,
                "the status is 'adopted': say when and by whom in an [adoption] table "
                "(body, date, paper, url)",
                (),
                "status",
            )
        return
    if record.knowledge is Knowledge.VERIFIED and c.status in (
        Status.DRAFT,
        Status.CONSULTATION,
        Status.UNKNOWN,
    ):
        ctx.emit(
            rules.ADOPTION_STATUS,
            f"an adoption by {record.body} is recorded as seen, but the status is "
            f"'{c.status.value}': set status = \"adopted\" (or mark the adoption "
            'knowledge = "unverified" if it is only reported or planned)',
            (),
            "status",
        )


def license_(ctx: Context) -> None:
    """The licence is an SPDX expression of known ids, with attribution where asked."""
    prov = ctx.charta.provenance
    if not prov.license:
        return
    try:
        ids = parse_expression(prov.license)
    except ValueError as exc:
        ctx.emit(
            rules.BAD_LICENSE,
            f"license '{prov.license}' is not an SPDX id or expression: {exc} "
            "(e.g. 'CC0-1.0', 'CC-BY-4.0', 'DL-DE-BY-2.0'; see https://spdx.org/licenses/)",
            ("provenance",),
            "license",
        )
        return
    for license_id in ids:
        if license_id.rstrip("+") not in FAMILIAR and "LicenseRef-" not in license_id:
            ctx.emit(
                rules.UNFAMILIAR_LICENSE,
                suggesting(
                    f"license '{license_id}' is not one charta knows: check it against "
                    "https://spdx.org/licenses/",
                    license_id,
                    sorted(FAMILIAR),
                ),
                ("provenance",),
                "license",
            )
    if any(needs_attribution(i) for i in ids) and not prov.attribution.strip():
        ctx.emit(
            rules.ATTRIBUTION_MISSING,
            f"license '{prov.license}' asks for attribution: write it in 'attribution' "
            '(e.g. "Stadt Musterstadt, Leitmotive 2024, CC BY 4.0")',
            ("provenance",),
            "license",
        )


def completeness(ctx: Context) -> None:
    """``declared-count`` and ``completeness`` agree with the items recorded."""
    c = ctx.charta
    declared, known = c.declared_count, c.known_count
    if declared is None:
        if c.completeness is Completeness.PARTIAL:
            ctx.emit(
                rules.PARTIAL_WITHOUT_COUNT,
                "completeness is 'partial' but declared-count is not given: say how many "
                "items the charta declares, so that coverage can say what it rests on",
                (),
                "completeness",
            )
        return
    if known > declared:
        ctx.emit(
            rules.MORE_THAN_DECLARED,
            f"declared-count is {declared} but {known} top-level items are recorded",
            (),
            "declared-count",
        )
    elif c.completeness is Completeness.COMPLETE and known < declared:
        ctx.emit_at(
            rules.COMPLETE_BUT_MISSING,
            f"completeness is 'complete' but only {known} of {declared} declared items "
            'are recorded; set completeness = "partial" or add the missing items',
            lambda: ctx.at_written((), "completeness", "declared-count"),
        )
    elif c.completeness is Completeness.PARTIAL and known == declared:
        ctx.emit(
            rules.PARTIAL_BUT_ALL,
            f"completeness is 'partial' but all {declared} declared items are recorded",
            (),
            "completeness",
        )


def rights(ctx: Context) -> None:
    """A source recorded as summarised holds no full texts."""
    c = ctx.charta
    if c.kind is ChartaKind.SOURCE and c.provenance.obtained is Obtained.SUMMARISED:
        for item, path in ctx.items:
            if item.text:
                ctx.emit(
                    rules.TEXT_IN_SUMMARY,
                    f"'{item.id}' holds a text, but this source is recorded as summarised: "
                    "keep only a summary in your own words and point to the original",
                    path,
                    "text",
                )


GROUP = (
    Check((rules.ADOPTED_WITHOUT_RECORD, rules.ADOPTION_STATUS), adoption),
    Check((rules.BAD_LICENSE, rules.UNFAMILIAR_LICENSE, rules.ATTRIBUTION_MISSING), license_),
    Check(
        (
            rules.PARTIAL_WITHOUT_COUNT,
            rules.MORE_THAN_DECLARED,
            rules.COMPLETE_BUT_MISSING,
            rules.PARTIAL_BUT_ALL,
        ),
        completeness,
    ),
    Check((rules.TEXT_IN_SUMMARY,), rights),
)
"""The checks of this group, in the order they run."""
