"""Meaning checks (charta.validate): one case per rule, each with its line.

Every case is a small TOML text.  The line where the problem must be
reported carries the marker comment ``# <-``; the test checks the message
fragment, the severity and that line.  Each case also has a valid variant
(the negative) that must give no problem at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import attrs
import pytest

import charta
from charta.check.checker import Report, check
from charta.check.loading import validate as validate_file
from charta.check.loading import validate_text
from charta.errors import Level, Problem
from charta.model import Reference
from charta.sources.registry import Registry

MARK = "# <-"


# ---------------------------------------------------------------------------
# Building small charta texts


def doc(body: str = "", *, top: str = "", id: str = "town", kind: str = "local") -> str:
    """A minimal valid charta with ``top`` keys before [issuer] and ``body`` after."""
    status = "draft" if kind == "local" else "published"
    text = f'format = 1\nid = "{id}"\ntitle = "Leitmotive"\nkind = "{kind}"\nstatus = "{status}"\n'
    if top:
        text += top.strip("\n") + "\n"
    text += '\n[issuer]\nbody = "Stadt Musterstadt"\n'
    if body:
        text += "\n" + body.strip("\n") + "\n"
    return text


def item(id: str, *, title: str = "", extra: str = "", table: str = "items") -> str:
    return f'\n[[{table}]]\nid = "{id}"\ntitle = "{title or id}"\n{extra}'


def derived(ref: str, *, table: str = "items.derived-from", mark: bool = False) -> str:
    m = f"  {MARK}" if mark else ""
    return (
        f'\n[[{table}]]\nref = "{ref}"{m}\nrelation = "adapted"\nconfidence = "medium"\n'
        'asserted-by = "record-keeper"\n'
    )


def revision(before: str, after: str, *, extra: str = "") -> str:
    return f'\n[[items.revisions]]\nfield = "text"\nbefore = "{before}"\nafter = "{after}"\n{extra}'


def consultation(
    *,
    head: str = "",
    target: str = 'target = "#a"',
    commenter: str = 'pseudonym = "Person 1"',
    comment_id: str = 'id = "comment-1"',
    response_id: str = 'id = "response-1"',
    answers: str = 'comment = "comment-1"',
    response_text: str = 'text = "Vielen Dank, wir haben das Leitmotiv ergänzt."',
    decision: str = 'decision = "noted"',
) -> str:
    return f"""
[consultation]
{head}

[[consultation.comments]]
{comment_id}
{target}
text = "Es fehlt die Bildung."

[consultation.comments.commenter]
{commenter}

[[consultation.responses]]
{response_id}
{answers}
by = "Amt für Digitalisierung"
{decision}
{response_text}
"""


def marked_line(text: str) -> int:
    """The 1-based line that carries the marker comment (exactly one must)."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if MARK in line]
    assert len(lines) == 1, f"expected one {MARK!r} marker, found lines {lines}"
    return lines[0]


def only(report: Report, fragment: str) -> Problem:
    """The one problem whose message contains ``fragment``."""
    found = [p for p in report.problems if fragment in p.message]
    shown = "\n".join(str(p) for p in report.problems)
    assert len(found) == 1, f"{len(found)} problems contain {fragment!r}:\n{shown}"
    return found[0]


def run(text: str) -> Report:
    return validate_text(text, "town.toml")


# ---------------------------------------------------------------------------
# One case per rule: (bad text with marker, good text, message fragment, warning?)


class Case(NamedTuple):
    bad: str
    good: str
    fragment: str
    warning: bool = False
    info: bool = False


A = item("a")
B = item("b")
ISSUER = 'asserted-by = "issuer"\n'
LINK = '\n[[items.derived-from]]\nref = "smart-city-charta#leitbild-1"\nrelation = "adapted"\n'
COVERED = '\n[[covered-elsewhere]]\nref = "smart-city-charta#leitbild-2"\nwhere = "Kapitel 4"\n'

CASES: dict[str, Case] = {
    # -- ids ----------------------------------------------------------------
    "invalid charta id": Case(
        doc(A).replace('id = "town"', f'id = "Town_1"  {MARK}'),
        doc(A).replace('id = "town"', 'id = "town-1"'),
        "'Town_1' is not a valid id",
    ),
    "invalid item id": Case(
        doc(item("a").replace('id = "a"', f'id = "Leitmotiv 1"  {MARK}')),
        doc(item("leitmotiv-1")),
        "'Leitmotiv 1' is not a valid id",
    ),
    "invalid item id with trailing hyphen": Case(
        doc(item("a").replace('id = "a"', f'id = "a-"  {MARK}')),
        doc(item("a")),
        "'a-' is not a valid id",
    ),
    "invalid comment id": Case(
        doc(A + consultation(comment_id=f'id = "Kommentar 1"  {MARK}', answers='comment = "x"')),
        doc(A + consultation(comment_id='id = "kommentar-1"', answers='comment = "kommentar-1"')),
        "'Kommentar 1' is not a valid id",
    ),
    "duplicate item id": Case(
        doc(A + B + item("a").replace('id = "a"', f'id = "a"  {MARK}')),
        doc(A + B + item("c")),
        "duplicate item id 'a'",
    ),
    "duplicate item id across nesting levels": Case(
        doc(A + B + item("a", table="items.children").replace('id = "a"', f'id = "a"  {MARK}')),
        doc(A + B + item("b-1", table="items.children")),
        "duplicate item id 'a'",
    ),
    "duplicate edition": Case(
        doc(A + '\n[[editions]]\nid = "2020"\n\n[[editions]]\nid = "2020"  ' + MARK + "\n"),
        doc(A + '\n[[editions]]\nid = "2020"\n\n[[editions]]\nid = "2021"\n'),
        "duplicate edition '2020'",
    ),
    "comment and response share an id": Case(
        doc(A + consultation(response_id=f'id = "comment-1"  {MARK}')),
        doc(A + consultation()),
        "duplicate id 'comment-1'",
    ),
    # -- declared count and completeness --------------------------------------
    "more items than declared": Case(
        doc(A + B, top=f"declared-count = 1  {MARK}"),
        doc(A + B, top="declared-count = 2"),
        "declared-count is 1 but 2 top-level items are recorded",
    ),
    "complete but fewer than declared": Case(
        doc(A + B, top=f'declared-count = 3\ncompleteness = "complete"  {MARK}'),
        doc(A + B, top='declared-count = 3\ncompleteness = "partial"'),
        "completeness is 'complete' but only 2 of 3 declared items are recorded",
    ),
    "partial but all declared items recorded": Case(
        doc(A + B, top=f'declared-count = 2\ncompleteness = "partial"  {MARK}'),
        doc(A + B, top='declared-count = 2\ncompleteness = "complete"'),
        "completeness is 'partial' but all 2 declared items are recorded",
    ),
    "partial without declared-count": Case(
        doc(A + B, top=f'completeness = "partial"  {MARK}'),
        doc(A + B, top='completeness = "partial"\ndeclared-count = 5'),
        "completeness is 'partial' but declared-count is not given",
        warning=True,
    ),
    # -- references -------------------------------------------------------------
    "unknown source, with did-you-mean": Case(
        doc(A + derived("smart-city-chart#leitbild-1", mark=True)),
        doc(A + derived("smart-city-charta#leitbild-1")),
        "unknown source 'smart-city-chart'; did you mean 'smart-city-charta'?",
    ),
    "unknown source names the known ones": Case(
        doc(A + derived("nope#leitbild-1", mark=True)),
        doc(A + derived("digitalakademie-bw#transparenz")),
        "known sources: digitalakademie-bw, smart-city-charta",
    ),
    "unknown item of a source, with did-you-mean": Case(
        doc(A + derived("smart-city-charta#leitbild-9", mark=True)),
        doc(A + derived("smart-city-charta#leitbild-8")),
        "'smart-city-charta' has no item 'leitbild-9' (did you mean 'leitbild-8'?)",
    ),
    "unknown item of a source, nested item suggested": Case(
        doc(A + derived("smart-city-charta#leitlinie-2-7", mark=True)),
        doc(A + derived("smart-city-charta#leitlinie-2-1")),
        "has no item 'leitlinie-2-7' (did you mean",
    ),
    "unknown local item": Case(
        doc(A + derived("#bb", mark=True) + B),
        doc(A + derived("#b") + B),
        "'#bb' does not resolve: this charta has no item 'bb' (did you mean 'b'?)",
    ),
    "edition not recorded": Case(
        doc(A + derived("smart-city-charta@2019#leitbild-1", mark=True)),
        doc(A + derived("smart-city-charta@2021#leitbild-1")),
        "'smart-city-charta' has no edition '2019' (recorded: 2017, 2021)",
    ),
    "whole charta at an unrecorded edition": Case(
        doc(A + derived("smart-city-charta@2019", mark=True)),
        doc(A + derived("smart-city-charta@2017")),
        "has no edition '2019'",
    ),
    "based-on an unknown source": Case(
        doc(A + f'\n[[based-on]]\nsource = "smart-city-chart@2017"  {MARK}\n{ISSUER}'),
        doc(A + f'\n[[based-on]]\nsource = "smart-city-charta@2017"\n{ISSUER}'),
        "did you mean 'smart-city-charta'?",
    ),
    "self-derivation": Case(
        doc(A + derived("#a", mark=True) + B),
        doc(A + derived("#b") + B),
        "'a' is derived from itself",
    ),
    "derived from a source not in based-on": Case(
        doc(
            f'\n[[based-on]]\nsource = "smart-city-charta"\n{ISSUER}'
            + A
            + derived("smart-city-charta#leitbild-1")
            + derived("digitalakademie-bw#transparenz", mark=True)
        ),
        doc(
            f'\n[[based-on]]\nsource = "smart-city-charta"\n{ISSUER}'
            f'\n[[based-on]]\nsource = "digitalakademie-bw"\n{ISSUER}'
            + A
            + derived("smart-city-charta#leitbild-1")
            + derived("digitalakademie-bw#transparenz")
        ),
        "derived from 'digitalakademie-bw', which is not listed in based-on",
        warning=True,
    ),
    # -- omissions ----------------------------------------------------------
    "omission twice": Case(
        doc(
            A
            + '\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = "x"\n'
            + f'\n[[omissions]]\nref = "smart-city-charta#leitbild-2"  {MARK}\nreason = "y"\n'
        ),
        doc(
            A
            + '\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = "x"\n'
            + '\n[[omissions]]\nref = "smart-city-charta#leitbild-3"\nreason = "y"\n'
        ),
        "'smart-city-charta#leitbild-2' is omitted twice",
    ),
    "omission of something also derived": Case(
        doc(
            A
            + derived("smart-city-charta#leitbild-1")
            + f'\n[[omissions]]\nref = "smart-city-charta#leitbild-1"  {MARK}\nreason = "x"\n'
        ),
        doc(
            A
            + derived("smart-city-charta#leitbild-1")
            + '\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = "x"\n'
        ),
        "is listed as omitted, but a principle is derived from it at town.toml:",
    ),
    "omission without reason": Case(
        doc(A + f'\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = "  "  {MARK}\n'),
        doc(A + '\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = "Not local."\n'),
        "an omission needs a reason",
    ),
    "omission that does not resolve": Case(
        doc(A + f'\n[[omissions]]\nref = "smart-city-charta#leitbild-99"  {MARK}\nreason = "x"\n'),
        doc(A + '\n[[omissions]]\nref = "smart-city-charta#leitbild-8"\nreason = "x"\n'),
        "'smart-city-charta' has no item 'leitbild-99'",
    ),
    # -- consultation: personal data and decisions ----------------------------
    "a commenter's name in the charta file without consent": Case(
        doc(A + consultation(commenter=f'name = "Erika Muster"  {MARK}\npseudonym = "Person 1"')),
        doc(A + consultation(commenter='pseudonym = "Person 1"')),
        "the charta file holds the name of 'Person 1', who did not consent",
        warning=True,
    ),
    "a phone number typed into a response": Case(
        doc(
            A
            + consultation(
                response_text=f'text = "Rufen Sie uns an: 07031 94-123."  {MARK}',
            )
        ),
        doc(A + consultation(response_text='text = "Rufen Sie uns an: [Telefonnummer entfernt]."')),
        "the text of response 'response-1' holds a phone number",
    ),
    "an accepted comment without an amendment": Case(
        doc(A + consultation(decision=f'decision = "accepted"  {MARK}')),
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v2", extra='caused-by = ["comment-1"]\n')
            + consultation(decision='decision = "accepted"')
        ),
        "comment 'comment-1' is answered 'accepted', but no amendment cites it",
        warning=True,
    ),
    "an amendment that cites a rejected comment": Case(
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v2", extra=f'caused-by = ["response-1"]  {MARK}\n')
            + consultation(decision='decision = "rejected"')
        ),
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v2", extra='caused-by = ["response-1"]\n')
            + consultation(decision='decision = "partly-accepted"')
        ),
        "this amendment cites comment 'comment-1', but the answer to it is 'rejected'",
        warning=True,
    ),
    # -- merged away --------------------------------------------------------
    "merged into a principle that does not exist": Case(
        doc(A + f'\n[[merged-away]]\nid = "c"\ntitle = "C"\nmerged-into = "x"  {MARK}\n'),
        doc(A + '\n[[merged-away]]\nid = "c"\ntitle = "C"\nmerged-into = "a"\n'),
        "'c' was merged into 'x', which is no principle of this charta",
    ),
    "merged into each other, never into a principle": Case(
        doc(
            A
            + f'\n[[merged-away]]\nid = "c"\ntitle = "C"\nmerged-into = "d"  {MARK}\n'
            + '\n[[merged-away]]\nid = "d"\ntitle = "D"\nmerged-into = "c"\n'
        ),
        doc(
            A
            + '\n[[merged-away]]\nid = "c"\ntitle = "C"\nmerged-into = "d"\n'
            + '\n[[merged-away]]\nid = "d"\ntitle = "D"\nmerged-into = "a"\n'
        ),
        "merged-into goes round in a circle, c -> d -> c",
    ),
    "merged-away id still in use": Case(
        doc(A + B + f'\n[[merged-away]]\nid = "b"  {MARK}\ntitle = "B"\nmerged-into = "a"\n'),
        doc(A + B + '\n[[merged-away]]\nid = "c"\ntitle = "C"\nmerged-into = "a"\n'),
        "duplicate item id 'b'",
    ),
    # -- revisions ----------------------------------------------------------
    "revision that changes nothing": Case(
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v1").replace('after = "v1"', f'after = "v1"  {MARK}')
            + revision("v1", "v2")
        ),
        doc(item("a", extra='text = "v2"\n') + revision("v1", "v2")),
        "this revision changes nothing",
    ),
    "revision chain does not connect": Case(
        doc(
            item("a", extra='text = "v3"\n')
            + revision("v1", "v2")
            + revision("vX", "v3").replace('before = "vX"', f'before = "vX"  {MARK}')
        ),
        doc(item("a", extra='text = "v3"\n') + revision("v1", "v2") + revision("v2", "v3")),
        "revision 2 of 'a' does not start where revision 1 ended",
    ),
    "last revision does not end in the current text": Case(
        doc(
            item("a", extra='text = "v3"\n')
            + revision("v1", "v2")
            + revision("v2", "v4").replace('after = "v4"', f'after = "v4"  {MARK}')
        ),
        doc(item("a", extra='text = "v4"\n') + revision("v1", "v2") + revision("v2", "v4")),
        "the last revision of the text of 'a' does not end in the current text",
    ),
    "revisions dated out of order": Case(
        doc(
            item("a", extra='text = "v3"\n')
            + revision("v1", "v2", extra="date = 2020-11-20\n")
            + revision("v2", "v3", extra=f"date = 2020-11-02  {MARK}\n")
        ),
        doc(
            item("a", extra='text = "v3"\n')
            + revision("v1", "v2", extra="date = 2020-11-02\n")
            + revision("v2", "v3", extra="date = 2020-11-20\n")
        ),
        "revision 2 of 'a' is dated before revision 1",
    ),
    "caused-by pointing nowhere": Case(
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v2", extra=f'caused-by = ["coment-1"]  {MARK}\n')
            + consultation()
        ),
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v2", extra='caused-by = ["comment-1", "response-1"]\n')
            + consultation()
        ),
        "caused-by 'coment-1' points nowhere",
    ),
    "caused-by without any consultation": Case(
        doc(
            item("a", extra='text = "v2"\n')
            + revision("v1", "v2", extra=f'caused-by = ["comment-1"]  {MARK}\n')
        ),
        doc(item("a", extra='text = "v2"\n') + revision("v1", "v2")),
        "caused-by 'comment-1' points nowhere",
    ),
    # -- consultation -------------------------------------------------------
    "comment targets a non-local reference": Case(
        doc(A + consultation(target=f'target = "smart-city-charta#leitbild-1"  {MARK}')),
        doc(A + consultation(target='target = "#a"')),
        "a comment targets a principle of this charta: write '#item-id'",
    ),
    "comment target does not resolve": Case(
        doc(A + consultation(target=f'target = "#b"  {MARK}')),
        doc(A + consultation(target="")),  # a comment on the whole charta
        "'#b' does not resolve: this charta has no item 'b'",
    ),
    "response to a missing comment": Case(
        doc(A + consultation(answers=f'comment = "comment-2"  {MARK}')),
        doc(A + consultation()),
        "response 'response-1' answers comment 'comment-2', which does not exist "
        "(did you mean 'comment-1'?)",
    ),
    "empty pseudonym": Case(
        doc(A + consultation(commenter=f'name = "Erika Muster"\npseudonym = " "  {MARK}')),
        doc(A + consultation(commenter='pseudonym = "Bürgerin B"')),
        "the commenter needs a pseudonym",
    ),
    "response names a commenter who did not consent": Case(
        doc(
            A
            + consultation(
                commenter='name = "Kürschner"\npseudonym = "Person 1"',
                response_text=f'text = "Sehr geehrter Herr Kürschner, danke."  {MARK}',
            )
        ),
        doc(
            A
            + consultation(
                commenter='name = "Kürschner"\npseudonym = "Person 1"\nconsent-to-publish = true',
                response_text='text = "Sehr geehrter Herr Kürschner, danke."',
            )
        ),
        "response 'response-1' names the commenter of 'comment-1', who did not consent",
        warning=True,
    ),
    "response names a non-consenting commenter in other case": Case(
        doc(
            A
            + consultation(
                commenter='name = "Erika Mustermann"\npseudonym = "Bürgerin B"',
                response_text=f'text = "Liebe Frau MUSTERMANN, danke."  {MARK}',
            )
        ),
        doc(
            A
            + consultation(
                commenter='pseudonym = "Bürgerin B"',
                response_text='text = "Vielen Dank für Ihre Nachricht."',
            )
        ),
        "names the commenter of 'comment-1'",
        warning=True,
    ),
    "consultation ends before it starts": Case(
        doc(A + consultation(head=f"start = 2020-10-23\nend = 2020-10-08  {MARK}")),
        doc(A + consultation(head="start = 2020-10-23\nend = 2020-11-08")),
        "the consultation ends before it starts",
    ),
    # -- cycles -------------------------------------------------------------
    "derivation cycle inside one file": Case(
        doc(A + derived("#b") + B + derived("#a", mark=True)),
        doc(A + derived("#b") + B + derived("smart-city-charta#leitbild-1")),
        "derivation cycle: a -> b -> a",
    ),
    "derivation cycle of three items": Case(
        doc(A + derived("#b") + B + derived("#c") + item("c") + derived("#a", mark=True)),
        doc(A + derived("#b") + B + derived("#c") + item("c")),
        "derivation cycle: a -> b -> c -> a",
    ),
    # -- rights -------------------------------------------------------------
    "summarised source holds a text": Case(
        doc(
            '\n[provenance]\nobtained = "summarised"\n'
            + item("a", extra=f'text = "Der volle Wortlaut."  {MARK}\n'),
            id="src",
            kind="source",
        ),
        doc(
            '\n[provenance]\nobtained = "summarised"\n'
            + item("a", extra='summary = "In eigenen Worten."\n'),
            id="src",
            kind="source",
        ),
        "'a' holds a text, but this source is recorded as summarised",
        warning=True,
    ),
    # -- blank texts, issuer, adoption, licence (issue 6) ----------------------
    "blank title": Case(
        doc(item("a").replace('title = "a"', f'title = "  "  {MARK}')),
        doc(A),
        "'title' is blank",
    ),
    "blank issuer body": Case(
        doc(A).replace('body = "Stadt Musterstadt"', f'body = ""  {MARK}'),
        doc(A),
        "'body' is blank",
    ),
    "ags of the wrong shape": Case(
        doc(A).replace("[issuer]\n", f'[issuer]\nags = "8115045"  {MARK}\n'),
        doc(A).replace("[issuer]\n", '[issuer]\nags = "08115045"\n'),
        "ags '8115045' is not an official municipality key",
    ),
    "ags outside Germany": Case(
        doc(A).replace("[issuer]\n", f'[issuer]\ncountry = "CH"\nags = "08115045"  {MARK}\n'),
        doc(A).replace("[issuer]\n", '[issuer]\ncountry = "DE"\nags = "08115045"\n'),
        "an ags is a German key, but the country is 'CH'",
        warning=True,
    ),
    "language not a language tag": Case(
        doc(A, top=f'language = "Deutsch\\"><b>"  {MARK}'),
        doc(A, top='language = "de-CH"'),
        "is not a language tag",
    ),
    "other title's language not a tag": Case(
        doc(A) + f'\n[[other-titles]]\nlanguage = "english"  {MARK}\ntitle = "Principles"\n',
        doc(A) + '\n[[other-titles]]\nlanguage = "en"\ntitle = "Principles"\n',
        "language 'english' is not a language tag",
    ),
    "country not an ISO code": Case(
        doc(A).replace("[issuer]\n", f'[issuer]\ncountry = "Deutschland"  {MARK}\n'),
        doc(A).replace("[issuer]\n", '[issuer]\ncountry = "DE"\n'),
        "country 'Deutschland' is not an ISO 3166-1 alpha-2 code",
    ),
    "adoption seen but status draft": Case(
        doc(A).replace('status = "draft"', f'status = "draft"  {MARK}')
        + '\n[adoption]\nbody = "Gemeinderat"\ndate = 2020-12-08\n',
        doc(A).replace('status = "draft"', 'status = "adopted"')
        + '\n[adoption]\nbody = "Gemeinderat"\ndate = 2020-12-08\n',
        "an adoption by Gemeinderat is recorded as seen, but the status is 'draft'",
        warning=True,
    ),
    "adopted without an adoption record": Case(
        doc(A).replace('status = "draft"', f'status = "adopted"  {MARK}'),
        doc(A).replace('status = "draft"', 'status = "adopted"')
        + '\n[adoption]\nbody = "Gemeinderat"\n',
        "say when and by whom in an [adoption] table",
        info=True,
    ),
    "a javascript: address among the original's urls": Case(
        doc(A + f'\n[provenance]\nurls = ["javascript:alert(1)"]  {MARK}\n'),
        doc(A + '\n[provenance]\nurls = ["https://www.sindelfingen.de/leitmotive"]\n'),
        "'javascript:alert(1)' is not a web address: write an http:// or https:// URL",
    ),
    "a bidirectional override in a title": Case(
        doc(item("a", title="Gut\\u202eschlecht").replace('schlecht"', f'schlecht"  {MARK}')),
        doc(A),
        "'title' holds U+202E, a character that readers do not see",
        warning=True,
    ),
    "licence not SPDX": Case(
        doc(A + f'\n[provenance]\nlicense = "CC BY 4.0"  {MARK}\n'),
        doc(A + '\n[provenance]\nlicense = "CC0-1.0"\n'),
        "license 'CC BY 4.0' is not an SPDX id or expression: two licence ids in a row",
    ),
    "licence unfamiliar": Case(
        doc(A + f'\n[provenance]\nlicense = "CC-BY-4.1"  {MARK}\n'),
        doc(A + '\n[provenance]\nlicense = "CC-BY-SA-4.0 OR DL-DE-BY-2.0"\nattribution = "x"\n'),
        "license 'CC-BY-4.1' is not one charta knows",
        info=True,
    ),
    "licence without its attribution": Case(
        doc(A + f'\n[provenance]\nlicense = "DL-DE-BY-2.0"  {MARK}\n'),
        doc(A + '\n[provenance]\nlicense = "DL-DE-BY-2.0"\nattribution = "Stadt X"\n'),
        "license 'DL-DE-BY-2.0' asks for attribution",
        warning=True,
    ),
    # -- links: who asserts them, how many, what lineage says -------------------
    "link without who asserts it": Case(
        doc(A + LINK.replace('leitbild-1"', f'leitbild-1"  {MARK}') + 'confidence = "low"\n'),
        doc(A + LINK + 'confidence = "low"\n' + ISSUER + 'stated-at = "S. 3"\n'),
        "say who asserts this link",
        info=True,
    ),
    "stated-at on a reading": Case(
        doc(
            A
            + LINK
            + 'confidence = "low"\nasserted-by = "record-keeper"\n'
            + f'stated-at = "S. 3"  {MARK}\n'
        ),
        doc(A + LINK + 'confidence = "low"\nasserted-by = "record-keeper"\n'),
        "stated-at says where the issuer states a link",
        warning=True,
    ),
    "the same link twice": Case(
        doc(
            A
            + derived("smart-city-charta#leitbild-1")
            + derived("smart-city-charta@2017#leitbild-1", mark=True)
        ),
        doc(A + derived("smart-city-charta#leitbild-1") + derived("smart-city-charta#leitbild-2")),
        "'a' links to 'smart-city-charta@2017#leitbild-1' twice",
        warning=True,
    ),
    "contradictory links": Case(
        doc(
            A
            + derived("smart-city-charta#leitbild-1")
            + LINK.replace('relation = "adapted"', f'relation = "adopted"  {MARK}')
            + 'confidence = "low"\nasserted-by = "record-keeper"\n'
        ),
        doc(A + derived("smart-city-charta#leitbild-1")),
        "'a' links to 'smart-city-charta#leitbild-1' as 'adapted' and as 'adopted'",
    ),
    "lineage none-named with a stated link": Case(
        doc(A + LINK + 'confidence = "low"\n' + ISSUER, top=f'lineage = "none-named"  {MARK}'),
        doc(
            A + LINK + 'confidence = "low"\nasserted-by = "record-keeper"\n',
            top='lineage = "none-named"',
        ),
        "lineage is 'none-named' (the issuer names no source), but 1 link(s)",
    ),
    "lineage not-recorded with links": Case(
        doc(A + derived("smart-city-charta#leitbild-1"), top=f'lineage = "not-recorded"  {MARK}'),
        doc(A, top='lineage = "not-recorded"'),
        "lineage is 'not-recorded', but 1 link(s) are recorded",
        warning=True,
    ),
    # -- covered elsewhere ------------------------------------------------------
    "covered elsewhere and derived": Case(
        doc(
            A
            + derived("smart-city-charta#leitbild-2")
            + COVERED.replace('leitbild-2"', f'leitbild-2"  {MARK}')
            + ISSUER
        ),
        doc(A + derived("smart-city-charta#leitbild-1") + COVERED + ISSUER),
        "'smart-city-charta#leitbild-2' is covered elsewhere, but a principle is derived from it",
    ),
    "covered elsewhere and omitted": Case(
        doc(
            A
            + '\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = "r"\n'
            + COVERED.replace('leitbild-2"', f'leitbild-2"  {MARK}')
            + ISSUER
        ),
        doc(
            A
            + '\n[[omissions]]\nref = "smart-city-charta#leitbild-3"\nreason = "r"\n'
            + COVERED
            + ISSUER
        ),
        "is covered elsewhere and also listed as omitted",
    ),
    "covered elsewhere twice": Case(
        doc(A + COVERED + ISSUER + COVERED.replace('leitbild-2"', f'leitbild-2"  {MARK}') + ISSUER),
        doc(A + COVERED + ISSUER + COVERED.replace("leitbild-2", "leitbild-3") + ISSUER),
        "is covered elsewhere twice",
    ),
    "covered elsewhere, an item that does not exist": Case(
        doc(A + COVERED.replace('leitbild-2"', f'leitbild-22"  {MARK}') + ISSUER),
        doc(A + COVERED + ISSUER),
        "'smart-city-charta' has no item 'leitbild-22'",
    ),
    "covered elsewhere, blank where": Case(
        doc(A + COVERED.replace('where = "Kapitel 4"', f'where = ""  {MARK}') + ISSUER),
        doc(A + COVERED + ISSUER),
        "'where' is blank",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule_reports_problem_at_its_line(case: Case) -> None:
    report = run(case.bad)
    problem = only(report, case.fragment)
    assert problem.location.line == marked_line(case.bad), str(problem)
    assert problem.location.file == "town.toml"
    if case.info:
        assert problem.level is Level.INFO
        assert problem not in report.warnings + report.errors
        assert report.ok
    elif case.warning:
        assert problem.level is Level.WARNING
        assert problem in report.warnings
        assert problem not in report.errors
        assert report.ok
    else:
        assert problem.level is Level.ERROR
        assert problem in report.errors
        assert not report.ok


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_valid_variant_has_no_problem(case: Case) -> None:
    report = run(case.good)
    assert report.problems == (), "\n".join(str(p) for p in report.problems)
    assert report.ok
    assert report.errors == ()
    assert report.warnings == ()
    assert report.charta is not None


def test_cases_mark_exactly_one_line() -> None:
    for name, case in CASES.items():
        marked_line(case.bad)
        assert MARK not in case.good, name


# ---------------------------------------------------------------------------
# Rules that need more than one text


def test_local_reference_with_edition_is_rejected_when_read() -> None:
    # '#item' cannot carry an edition: the text form is not even a reference.
    text = doc(A + derived("@2020#b", mark=True) + B)
    report = run(text)
    problem = only(report, "'@2020#b' is not a reference")
    assert problem.location.line == marked_line(text)
    assert not report.ok


def test_local_reference_with_edition_is_a_meaning_error() -> None:
    # Built in code (not from text), a local reference may carry an edition.
    text = doc(A + derived("#b", mark=True) + B)
    c = charta.loads(text, file="town.toml", check=False)
    d = c.items[0].derived_from[0]
    bad = attrs.evolve(d, ref=Reference(charta=None, edition="2020", item="b"))
    c = attrs.evolve(c, items=(attrs.evolve(c.items[0], derived_from=(bad,)), *c.items[1:]))
    problems = check(c, Registry())
    [problem] = [p for p in problems if "this charta has no edition '2020'" in p.message]
    assert problem.level is Level.ERROR
    assert problem.location.key_path == "items[0].derived-from[0].ref"
    assert problem.location.line == marked_line(text)
    assert check(charta.loads(text, file="town.toml", check=False), Registry()) == []


def test_edition_with_same_items_resolves_items() -> None:
    # smart-city-charta records the 2017 items; 2021 has same-items = true.
    for ref in ("smart-city-charta@2017#leitbild-1", "smart-city-charta@2021#leitlinie-2-1"):
        assert run(doc(A + derived(ref))).problems == (), ref


def write_source(folder: Path, name: str = "src.toml") -> Path:
    """A file-path source recording edition 2020, also knowing 2018 (no same-items)."""
    path = folder / name
    path.write_text(
        doc(
            item("x") + '\n[[editions]]\nid = "2020"\n\n[[editions]]\nid = "2018"\n',
            id="src",
            kind="source",
            top='edition = "2020"',
        ),
        encoding="utf-8",
    )
    return path


def test_edition_recorded_but_its_items_not(tmp_path: Path) -> None:
    write_source(tmp_path)
    town = tmp_path / "town.toml"
    text = doc(A + derived("src.toml@2018#x", mark=True))
    town.write_text(text, encoding="utf-8")
    report = validate_file(town, Registry())
    problem = only(report, "the items of edition 2018 are not recorded (only those of 2020)")
    assert problem.location.line == marked_line(text)
    assert not report.ok


@pytest.mark.parametrize("ref", ["src.toml@2020#x", "src.toml#x", "src.toml@2018", "src.toml"])
def test_edition_recorded_negative(tmp_path: Path, ref: str) -> None:
    # The recorded edition names its items; the other edition names the whole charta only.
    write_source(tmp_path)
    town = tmp_path / "town.toml"
    town.write_text(doc(A + derived(ref)), encoding="utf-8")
    report = validate_file(town, Registry())
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_edition_not_recorded_in_a_file_source(tmp_path: Path) -> None:
    write_source(tmp_path)
    town = tmp_path / "town.toml"
    text = doc(A + derived("src.toml@2019#x", mark=True))
    town.write_text(text, encoding="utf-8")
    problem = only(validate_file(town, Registry()), "'src' has no edition '2019'")
    assert "(recorded: 2020, 2018)" in problem.message
    assert problem.location.line == marked_line(text)


def test_hint_for_unrecorded_edition_items_is_a_working_reference(tmp_path: Path) -> None:
    # Regression: the hint names the source id ('src@2020#x'), but a file source is
    # referred to by its path; 'src@2020#x' would itself not resolve.
    write_source(tmp_path)
    town = tmp_path / "town.toml"
    town.write_text(doc(A + derived("src.toml@2018#x")), encoding="utf-8")
    problem = only(validate_file(town, Registry()), "are not recorded")
    assert "refer to 'src.toml@2020#x'" in problem.message


def test_path_reference_to_missing_file(tmp_path: Path) -> None:
    town = tmp_path / "town.toml"
    text = doc(A + derived("../elsewhere/missing.toml#x", mark=True))
    town.write_text(text, encoding="utf-8")
    report = validate_file(town, Registry())
    problem = only(report, "does not resolve")
    assert "'../elsewhere/missing.toml#x'" in problem.message
    assert "no such file" in problem.message
    assert problem.location.line == marked_line(text)
    assert not report.ok


def test_missing_file_message_reads_well(tmp_path: Path) -> None:
    # Regression: the message once read "does not resolve: file no such file".
    town = tmp_path / "town.toml"
    town.write_text(doc(A + derived("missing.toml#x")), encoding="utf-8")
    problem = only(validate_file(town, Registry()), "does not resolve")
    assert "file no such file" not in problem.message


def test_path_reference_resolves_relative_to_the_referring_file(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    write_source(tmp_path / "sources")
    (tmp_path / "towns").mkdir()
    town = tmp_path / "towns" / "town.toml"
    town.write_text(doc(A + derived("../sources/src.toml#x")), encoding="utf-8")
    report = validate_file(town, Registry())
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_path_reference_to_unknown_item_in_file(tmp_path: Path) -> None:
    write_source(tmp_path)
    town = tmp_path / "town.toml"
    text = doc(A + derived("src.toml#xx", mark=True))
    town.write_text(text, encoding="utf-8")
    problem = only(validate_file(town, Registry()), "'src' has no item 'xx'")
    assert "(did you mean 'x'?)" in problem.message
    assert problem.location.line == marked_line(text)


def cycle_file(folder: Path, name: str, own: str, ref: str) -> str:
    text = doc(item(own) + derived(ref, mark=True), id=f"{Path(name).stem}-town")
    (folder / name).write_text(text, encoding="utf-8")
    return text


def test_derivation_cycle_between_two_files_reported_once(tmp_path: Path) -> None:
    a_text = cycle_file(tmp_path, "a.toml", "y", "b.toml#x")
    cycle_file(tmp_path, "b.toml", "x", "a.toml#y")
    report = validate_file(tmp_path / "a.toml", Registry())
    cycles = [p for p in report.problems if "derivation cycle between files" in p.message]
    assert len(cycles) == 1, "\n".join(map(str, report.problems))
    [problem] = cycles
    assert problem.location.line == marked_line(a_text)
    assert "a.toml -> " in problem.message
    assert "b.toml -> " in problem.message
    assert problem.message.endswith("a.toml")
    assert report.errors == (problem,)


def test_derivation_cycle_between_files_found_from_either_side(tmp_path: Path) -> None:
    cycle_file(tmp_path, "a.toml", "y", "b.toml#x")
    cycle_file(tmp_path, "b.toml", "x", "a.toml#y")
    report = validate_file(tmp_path / "b.toml", Registry())
    assert [p.message for p in report.problems if "derivation cycle" in p.message] != []


def test_derivation_cycle_between_files_with_several_links_reported_once(tmp_path: Path) -> None:
    text = doc(item("y") + derived("b.toml#x") + item("z") + derived("b.toml#x"), id="a-town")
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    cycle_file(tmp_path, "b.toml", "x", "a.toml#y")
    report = validate_file(tmp_path / "a.toml", Registry())
    cycles = [p for p in report.problems if "derivation cycle between files" in p.message]
    assert len(cycles) == 1


def test_no_file_cycle_for_a_chain(tmp_path: Path) -> None:
    cycle_file(tmp_path, "a.toml", "y", "b.toml#x")
    (tmp_path / "b.toml").write_text(doc(item("x"), id="b-town"), encoding="utf-8")
    report = validate_file(tmp_path / "a.toml", Registry())
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_cycle_relative_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cycle_file(tmp_path, "a.toml", "y", "b.toml#x")
    cycle_file(tmp_path, "b.toml", "x", "a.toml#y")
    monkeypatch.chdir(tmp_path)
    report = validate_file("a.toml", Registry())
    [problem] = report.errors
    assert problem.location.file == "a.toml"
    assert "derivation cycle between files: a.toml -> b.toml -> a.toml" in problem.message


# ---------------------------------------------------------------------------
# Several problems, order, and Report


def test_several_problems_all_reported_sorted_by_line() -> None:
    text = doc(
        item("a", extra='text = "v2"\n')
        + derived("smart-city-chart#leitbild-1")  # unknown source
        + revision("v1", "v1")  # changes nothing, and does not end in 'v2'
        + item("a")  # duplicate id
        + derived("#zz")  # unknown local item
        + '\n[[omissions]]\nref = "smart-city-charta#leitbild-2"\nreason = ""\n'
        + consultation(head="start = 2020-10-23\nend = 2020-10-08", answers='comment = "c-9"'),
        top="declared-count = 1",
    )
    report = run(text)
    fragments = [
        "declared-count is 1 but 2",
        "unknown source 'smart-city-chart'",
        "this revision changes nothing",
        "does not end in the current text",
        "duplicate item id 'a'",
        "'#zz' does not resolve",
        "an omission needs a reason",
        "the consultation ends before it starts",
        "answers comment 'c-9', which does not exist",
    ]
    for fragment in fragments:
        only(report, fragment)
    assert len(report.errors) == len(fragments)
    lines = [p.location.line for p in report.problems]
    assert None not in lines
    assert lines == sorted(lines)
    assert not report.ok


def test_problems_from_validate_file_are_sorted_and_carry_the_file(tmp_path: Path) -> None:
    path = tmp_path / "town.toml"
    path.write_text(
        doc(A + derived("#zz") + item("a") + derived("smart-city-charta#nope")), encoding="utf-8"
    )
    report = validate_file(path, Registry())
    assert report.file == str(path)
    assert len(report.errors) == 3
    assert all(p.location.file == str(path) for p in report.problems)
    assert [p.location.line for p in report.problems] == sorted(
        p.location.line or 0 for p in report.problems
    )


def test_report_of_unreadable_text_has_no_charta() -> None:
    report = run("id = \n")
    assert not report.ok
    assert report.charta is None
    [problem] = report.errors
    assert "TOML syntax" in problem.message
    assert problem.location.line == 1


def test_report_of_unknown_key_points_at_it() -> None:
    text = doc(A, top=f'colour = "blue"  {MARK}')
    report = run(text)
    problem = only(report, "unknown key 'colour'")
    assert problem.location.line == marked_line(text)
    assert report.charta is None


def test_warnings_only_report_is_ok() -> None:
    report = run(doc(A + B, top='completeness = "partial"'))
    assert report.ok
    assert report.errors == ()
    assert len(report.warnings) == 1
    assert report.charta is not None
    assert report.charta.known_count == 2


def test_example_is_valid() -> None:
    path = Path(__file__).parent.parent / "examples" / "sindelfingen" / "leitmotive.toml"
    report = validate_file(path)
    assert report.errors == (), "\n".join(map(str, report.problems))


def test_builtin_sources_are_valid() -> None:
    sources = Path(charta.__file__).parent / "sources"
    for path in sorted(sources.glob("*.toml")):
        report = validate_file(path)
        assert report.problems == (), "\n".join(map(str, report.problems))


# ---------------------------------------------------------------------------
# Regressions: bugs found by review, each fixed and kept fixed here


def test_self_derivation_is_reported_once() -> None:
    # Regression: '#a' on item a gives both "derived from itself" and "derivation cycle: a -> a".
    text = doc(A + derived("#a", mark=True))
    report = run(text)
    assert len(report.problems) == 1, "\n".join(map(str, report.problems))


def test_cycle_found_when_first_derivation_leads_elsewhere() -> None:
    # Regression: check_local_cycles follows only the first local derivation of each item.
    text = doc(A + derived("#x") + derived("#b") + B + derived("#a", mark=True) + item("x"))
    report = run(text)
    problem = only(report, "derivation cycle")
    assert "a -> b -> a" in problem.message or "b -> a -> b" in problem.message


def test_complete_by_default_but_fewer_items_has_a_line() -> None:
    # Regression: completeness defaults to 'complete' and is not written; the problem
    # must still point at a line (declared-count), not only at a key path.
    text = doc(A + B, top=f"declared-count = 3  {MARK}")
    problem = only(run(text), "only 2 of 3 declared items are recorded")
    assert problem.location.line == marked_line(text)


def test_revision_of_same_month_is_not_before_a_day_in_it() -> None:
    # Regression: "2020-11" may be any day of November, so it is not before 2020-11-20;
    # comparing the earliest day of each turns a consistent history into an error.
    text = doc(
        item("a", extra='text = "v3"\n')
        + revision("v1", "v2", extra="date = 2020-11-20\n")
        + revision("v2", "v3", extra='date = "2020-11"\n')
    )
    report = run(text)
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_consultation_ending_in_its_start_month_is_not_before_the_start() -> None:
    # Regression: same for the consultation: end "2020-10" may be 2020-10-31.
    text = doc(A + consultation(head='start = 2020-10-23\nend = "2020-10"'))
    report = run(text)
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_validate_file_sees_a_referenced_file_change(tmp_path: Path) -> None:
    # Regression (registry): the process-wide default registry caches path-loaded
    # chartas forever, so charta.validate() reports on a stale copy of a
    # referenced file after it was edited.
    write_source(tmp_path)
    town = tmp_path / "town.toml"
    town.write_text(doc(A + derived("src.toml#y")), encoding="utf-8")
    assert not charta.validate(town).ok
    src = tmp_path / "src.toml"
    src.write_text(src.read_text(encoding="utf-8") + item("y"), encoding="utf-8")
    report = charta.validate(town)
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_cwd_does_not_matter_for_text_without_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(doc(A + derived("smart-city-charta#leitbild-1"))).problems == ()


# ---------------------------------------------------------------------------
# Rules added after review


def test_based_on_must_name_a_whole_charta() -> None:
    report = run(doc(top='based-on = [{ source = "smart-city-charta#leitbild-1" }]'))
    assert "based-on names a whole charta" in only(report, "based-on").message
    assert run(doc(top='based-on = [{ source = "smart-city-charta@2017" }]')).ok


def test_commenter_name_matches_whole_words_only() -> None:
    body = consultation(
        commenter='name = "Max Mustermann"\npseudonym = "Person 1"',
        response_text='text = "Wir haben den Vorschlag maximal berücksichtigt."',
    )
    # "Max" is in "maximal" but names nobody there.
    assert not [p for p in run(doc(body)).warnings if p.code == "response-names-commenter"]
    named = consultation(
        commenter='name = "Max Mustermann"\npseudonym = "Person 1"',
        response_text='text = "Hallo Herr Mustermann, danke."',
    )
    assert "did not consent" in only(run(doc(named)), "names the commenter").message


def test_a_source_with_meaning_errors_is_refused_by_the_sources_policy(tmp_path: Path) -> None:
    from charta.check.loading import Sources
    from charta.errors import ValidationError
    from charta.sources.registry import Registry, SourceEntry

    pkg = tmp_path / "plugin_sources"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "bad-source.toml").write_text(
        doc(item("a") + item("b"), top="declared-count = 1", id="bad-source", kind="source")
    )
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        registry = Registry({"bad-source": SourceEntry("bad-source", "plugin_sources")})
        registry.get("bad-source")  # the registry only finds and reads
        with pytest.raises(ValidationError, match="declared-count is 1 but 2"):
            Sources(registry).resolve("bad-source")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("plugin_sources", None)
