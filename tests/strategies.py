"""Hypothesis strategies for generated chartas, shared by the test modules.

``chartas()`` builds any charta the model can hold (ids valid, everything else
as hostile as text can be); the round trip, privacy and fuzz tests use it.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
from hypothesis import strategies as st

from charta.model import (
    FORMAT_VERSION,
    Adoption,
    Assertion,
    Basis,
    Charta,
    ChartaKind,
    Comment,
    Commenter,
    Completeness,
    Confidence,
    Consultation,
    CoveredElsewhere,
    Decision,
    Derivation,
    Edition,
    Issuer,
    IssuerKind,
    Item,
    ItemKind,
    Knowledge,
    Lineage,
    Obtained,
    Omission,
    PartialDate,
    PartOf,
    Provenance,
    Reference,
    Relation,
    Response,
    RevisedField,
    Revision,
    Status,
    Title,
)

IDS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?", fullmatch=True)
EDITION_IDS = st.from_regex(r"[0-9a-z](?:[0-9a-z.-]{0,6})", fullmatch=True)

HOSTILE = [
    '"',
    "'",
    '"""',
    "'''",
    '""""',
    "\\",
    "\\n",
    '\\"""',
    "\n",
    "\t",
    "\r",
    "\r\r\n",
    "\r\n",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "[[items]]",
    "[issuer]",
    'id = "x"',
    "# comment",
    "ä",
    "„…“",
    "💩",
    " ",
]


def line_ends_as_read(text: str) -> str:
    """``text`` as charta reads it: any run of CRs before an LF is one LF.

    Texts are read with LF line ends (see
    test_line_ends_inside_texts_are_lf_in_the_canonical_form): a charta built
    in Python with CRLF in a text reads back with LF.  Lone CRs stay.
    """
    return re.sub(r"\r+\n", "\n", text)


RAW_TEXTS = st.one_of(
    st.just(""),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=8).map("".join),
)
"""Any text, CRs before LFs included ("\r\r\n")."""

TEXTS = RAW_TEXTS.map(line_ends_as_read)
"""Texts in the form charta reads them: those survive a round trip unchanged."""

YEARS = st.integers(1, 9999)
PARTIAL_DATES = st.one_of(
    st.builds(PartialDate, YEARS),
    st.builds(PartialDate, YEARS, st.integers(1, 12)),
    st.dates().map(lambda d: PartialDate(d.year, d.month, d.day)),
)
MAYBE_DATES = st.none() | PARTIAL_DATES
TOML_INTS = st.integers(-(2**63), 2**63 - 1)


def _references(local_ids: list[str]) -> st.SearchStrategy[Reference]:
    options = [
        st.builds(
            Reference,
            charta=IDS,
            edition=st.none() | EDITION_IDS,
            item=st.none() | IDS,
        ),
        st.builds(
            Reference,
            charta=IDS.map(lambda i: f"../{i}/leitmotive.toml"),
            edition=st.none(),
            item=st.none() | IDS,
        ),
    ]
    if local_ids:
        options.append(st.sampled_from(local_ids).map(lambda i: Reference(item=i)))
    return st.one_of(options)


def _bare_items(depth: int) -> st.SearchStrategy[Item]:
    children = st.lists(_bare_items(depth - 1), max_size=2) if depth > 0 else st.just([])
    return st.builds(
        Item,
        id=IDS,
        label=TEXTS,
        title=TEXTS,
        kind=st.sampled_from(ItemKind),
        text=TEXTS,
        summary=TEXTS,
        knowledge=st.sampled_from(Knowledge),
        locator=TEXTS,
        addressee=TEXTS,
        children=children.map(tuple),
        note=TEXTS,
    )


@st.composite
def chartas(draw: st.DrawFn) -> Charta:
    items = draw(st.lists(_bare_items(depth=2), max_size=3))
    item_ids = [i.id for item in items for i in item.walk()]
    refs = _references(item_ids)

    comments = draw(
        st.lists(
            st.builds(
                Comment,
                id=IDS,
                date=MAYBE_DATES,
                # to the second, with a zone: as Decidim gives it
                time=st.none()
                | st.datetimes(
                    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2200, 1, 1)
                ).map(lambda t: t.replace(microsecond=0, tzinfo=dt.UTC)),
                target=st.none() | refs,
                in_reply_to=st.just("") | IDS,
                text=TEXTS,
                commenter=st.builds(
                    Commenter,
                    name=TEXTS,
                    email=TEXTS,
                    pseudonym=TEXTS,
                    consent_to_publish=st.booleans(),
                ),
                knowledge=st.sampled_from(Knowledge),
                note=TEXTS,
            ),
            max_size=3,
        )
    )
    comment_ids = [c.id for c in comments] or ["comment-1"]
    responses = draw(
        st.lists(
            st.builds(
                Response,
                id=IDS,
                comment=st.sampled_from(comment_ids),
                by=TEXTS,
                date=MAYBE_DATES,
                text=TEXTS,
                decision=st.sampled_from(Decision),
                note=TEXTS,
            ),
            max_size=3,
        )
    )
    cause_ids = comment_ids + [r.id for r in responses]
    asserted = st.none() | st.sampled_from(Assertion)
    derivations = st.builds(
        Derivation,
        ref=refs,
        relation=st.sampled_from(Relation),
        confidence=st.sampled_from(Confidence),
        asserted_by=asserted,
        stated_at=TEXTS,
        note=TEXTS,
    )
    revisions = st.builds(
        Revision,
        field=st.sampled_from(RevisedField),
        before=TEXTS,
        after=TEXTS,
        date=MAYBE_DATES,
        reason=TEXTS,
        caused_by=st.lists(st.sampled_from(cause_ids), max_size=2).map(tuple),
        before_knowledge=st.sampled_from(Knowledge),
        note=TEXTS,
    )

    def decorate(item: Item) -> Item:
        return attrs.evolve(
            item,
            derived_from=tuple(draw(st.lists(derivations, max_size=2))),
            revisions=tuple(draw(st.lists(revisions, max_size=2))),
            children=tuple(decorate(child) for child in item.children),
        )

    consultation = draw(
        st.none()
        | st.builds(
            Consultation,
            start=MAYBE_DATES,
            end=MAYBE_DATES,
            url=TEXTS,
            comments=st.just(tuple(comments)),
            responses=st.just(tuple(responses)),
            note=TEXTS,
        )
    )
    return Charta(
        format=FORMAT_VERSION,
        id=draw(IDS),
        title=draw(TEXTS),
        kind=draw(st.sampled_from(ChartaKind)),
        language=draw(st.sampled_from(["de", "en", ""]) | TEXTS),
        issuer=draw(
            st.builds(
                Issuer,
                body=TEXTS,
                office=TEXTS,
                kind=st.none() | st.sampled_from(IssuerKind),
                country=TEXTS,
                ags=TEXTS,
            )
        ),
        edition=draw(TEXTS),
        date=draw(MAYBE_DATES),
        status=draw(st.sampled_from(Status)),
        adoption=draw(
            st.none()
            | st.builds(
                Adoption,
                body=TEXTS,
                date=MAYBE_DATES,
                paper=TEXTS,
                url=TEXTS,
                knowledge=st.sampled_from(Knowledge),
                note=TEXTS,
            )
        ),
        part_of=draw(
            st.none()
            | st.builds(
                PartOf,
                title=TEXTS,
                locator=TEXTS,
                urls=st.lists(TEXTS, max_size=2).map(tuple),
                note=TEXTS,
            )
        ),
        other_titles=tuple(
            draw(st.lists(st.builds(Title, language=TEXTS, title=TEXTS), max_size=2))
        ),
        introduction=draw(TEXTS),
        provenance=draw(
            st.builds(
                Provenance,
                urls=st.lists(TEXTS, max_size=2).map(tuple),
                obtained=st.sampled_from(Obtained),
                retrieved=MAYBE_DATES,
                rights=TEXTS,
                license=TEXTS,
                attribution=TEXTS,
                note=TEXTS,
            )
        ),
        editions=tuple(
            draw(
                st.lists(
                    st.builds(
                        Edition,
                        id=EDITION_IDS,
                        date=MAYBE_DATES,
                        publishers=st.lists(TEXTS, max_size=2).map(tuple),
                        pages=st.none() | TOML_INTS,
                        urls=st.lists(TEXTS, max_size=2).map(tuple),
                        same_items=st.booleans(),
                        knowledge=st.sampled_from(Knowledge),
                        note=TEXTS,
                    ),
                    max_size=2,
                )
            )
        ),
        declared_count=draw(st.none() | TOML_INTS),
        completeness=draw(st.sampled_from(Completeness)),
        based_on=tuple(
            draw(
                st.lists(
                    st.builds(
                        Basis,
                        source=refs,
                        cited_as=TEXTS,
                        asserted_by=asserted,
                        stated_at=TEXTS,
                        note=TEXTS,
                    ),
                    max_size=2,
                )
            )
        ),
        lineage=draw(st.none() | st.sampled_from(Lineage)),
        covered_elsewhere=tuple(
            draw(
                st.lists(
                    st.builds(
                        CoveredElsewhere,
                        ref=refs,
                        where=TEXTS,
                        url=TEXTS,
                        asserted_by=asserted,
                        stated_at=TEXTS,
                        note=TEXTS,
                    ),
                    max_size=2,
                )
            )
        ),
        items=tuple(decorate(item) for item in items),
        omissions=tuple(
            draw(
                st.lists(
                    st.builds(
                        Omission, ref=refs, reason=TEXTS, knowledge=st.sampled_from(Knowledge)
                    ),
                    max_size=2,
                )
            )
        ),
        consultation=consultation,
        note=draw(TEXTS),
    )
