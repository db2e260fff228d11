"""What real adaptations need (issue 6): who asserts a link, correspondence,
covered elsewhere, lineage, a section of a larger document, non-town issuers,
adoption, rights apart from the licence; and clearer messages for clerks' traps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import charta
from charta.check.loading import validate_text
from charta.licenses import needs_attribution, parse_expression
from charta.model import Assertion, IssuerKind, Knowledge, Lineage, Relation, Status
from tests.test_cli import cli
from tests.test_validate import A, doc, item

ROOT = Path(__file__).resolve().parent.parent
MUSTERKREIS = ROOT / "examples" / "musterkreis" / "leitlinien.toml"
SINDELFINGEN = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"


def test_the_non_town_example_says_each_new_fact_as_data() -> None:
    report = charta.validate(MUSTERKREIS)
    assert report.problems == (), "\n".join(map(str, report.problems))
    c = charta.load(MUSTERKREIS)
    assert (c.issuer.kind, c.issuer.country, c.issuer.ags) == (IssuerKind.COUNTY, "DE", "09999000")
    assert c.part_of is not None
    assert c.part_of.locator == "Kapitel 2: Leitlinien, S. 8-11"
    assert c.adoption is not None
    assert (c.adoption.body, str(c.adoption.date), c.adoption.paper) == (
        "Kreistag",
        "2024-03-18",
        "KT-Drucksache 2024/017",
    )
    assert c.status is Status.ADOPTED
    assert c.provenance.license == "CC-BY-4.0"
    assert c.provenance.rights.startswith("CC BY 4.0")
    assert c.provenance.attribution
    assert c.lineage is Lineage.RECORDED
    links = {i.id: i.derived_from for i in c.walk()}
    assert links["mensch-zuerst"][0].asserted_by is Assertion.ISSUER
    assert links["mensch-zuerst"][0].stated_at == "Abb. 3, S. 9"
    assert links["offene-daten"][0].asserted_by is Assertion.RECORD_KEEPER
    assert links["klimaschutz-digital"][0].relation is Relation.CORRESPONDS
    assert links["gemeinsam-mit-den-gemeinden"] == ()
    [covered] = c.covered_elsewhere
    assert covered.where.startswith("Handlungsfeld 5")
    assert "fictional" in MUSTERKREIS.read_text(encoding="utf-8").lower()
    assert "made up" in (MUSTERKREIS.parent / "README.md").read_text(encoding="utf-8")


def test_show_shows_the_new_facts() -> None:
    out = cli("show", MUSTERKREIS).stdout
    for fact in (
        "issuer kind:  county, DE, AGS 09999000",
        "adopted:      Kreistag; 2024-03-18; KT-Drucksache 2024/017;",
        "part of:      Digitalstrategie Landkreis Musterkreis 2030",
        "license:      CC-BY-4.0",
        "attribution:",
        "lineage:      recorded",
        "stated by the issuer (Abb. 3, S. 9)",
        "the record-keeper's reading",
        "corresponds",
        "Covered elsewhere",
        "Handlungsfeld 5",
    ):
        assert fact in out, fact


def test_sindelfingen_uses_what_applies_to_it() -> None:
    c = charta.load(SINDELFINGEN)
    links = [d for i in c.walk() for d in i.derived_from]
    assert links
    assert {d.asserted_by for d in links} == {Assertion.RECORD_KEEPER}
    assert {b.asserted_by for b in c.based_on} == {Assertion.ISSUER}
    assert c.status is Status.UNKNOWN
    assert c.adoption is not None
    assert c.adoption.knowledge is Knowledge.UNVERIFIED
    assert c.provenance.license == "NOASSERTION"
    assert c.provenance.rights
    assert c.issuer.ags == "08115045"
    assert charta.validate(SINDELFINGEN).problems == ()


def test_the_schema_describes_the_new_fields() -> None:
    schema = json.loads(cli("schema").stdout)
    props = schema["properties"]
    for key in ("adoption", "part-of", "lineage", "covered-elsewhere"):
        assert key in props, key
    defs = schema["$defs"]
    assert {"asserted-by", "stated-at"} <= set(defs["Derivation"]["properties"])
    assert {"asserted-by", "stated-at"} <= set(defs["Basis"]["properties"])
    assert {"kind", "country", "ags"} <= set(defs["Issuer"]["properties"])
    assert {"license", "attribution", "rights"} <= set(defs["Provenance"]["properties"])
    assert "corresponds" in defs["Relation"]["enum"]
    assert "unknown" in defs["Status"]["enum"]
    assert defs["Assertion"]["enum"] == ["issuer", "record-keeper"]
    assert "Amtlicher" in defs["Issuer"]["properties"]["ags"]["description"]


def test_the_format_stays_at_version_1_and_old_files_read_the_same() -> None:
    old = doc(A)
    c = charta.loads(old)
    assert c.format == 1
    assert (c.adoption, c.part_of, c.lineage, c.covered_elsewhere) == (None, None, None, ())
    assert charta.dumps(c) == charta.dumps(charta.loads(charta.dumps(c)))
    assert "asserted-by" not in charta.dumps(c)


# ---------------------------------------------------------------------------
# Clearer messages for the traps clerks hit


def _messages(text: str) -> list[str]:
    return [str(p) for p in validate_text(text, "town.toml").problems]


def test_a_date_in_quotes_says_drop_the_quotes() -> None:
    [message] = _messages(doc(A, top='date = "2021-10-13"'))
    assert "'2021-10-13' is a date in quotes: write it without quotes, 2021-10-13" in message
    assert message.startswith("town.toml:6:1:")


def test_a_german_date_says_year_first() -> None:
    [quoted] = _messages(doc(A, top='date = "13.10.2021"'))
    assert "German order (day.month.year): write it as 2021-10-13" in quoted
    [bare] = _messages(doc(A, top="date = 13.10.2021"))
    assert "TOML syntax" in bare
    assert "year first, without quotes: 2021-10-13, not 13.10.2021" in bare


def test_a_top_level_key_after_a_table_header() -> None:
    text = doc(A).replace('status = "draft"\n', "") + 'status = "draft"\n'
    messages = _messages(text.replace("\n[[items]]", "\n[[items]]", 1))
    moved = [m for m in messages if "is a top-level key" in m]
    assert moved, messages
    assert "'status' is a top-level key, but it stands after the header [[items]]" in moved[0]
    assert "move it above the first [table] header" in moved[0]


def test_a_derived_from_header_before_any_item() -> None:
    head = doc("")
    link = '\n[[items.derived-from]]\nref = "#a"\nrelation = "adapted"\nconfidence = "low"\n'
    [alone] = _messages(head + link)
    assert "[[items.derived-from]] stands before any [[items]]: write the [[items]]" in alone
    assert alone.startswith(f"town.toml:{head.count(chr(10)) + 2}:1:")
    [then_item] = _messages(head + link + item("a"))
    assert "Cannot overwrite a value: [[items]] comes after a [[items.…]] header" in then_item


def test_a_path_reference_is_shown_as_written(tmp_path: Path) -> None:
    town = tmp_path / "town.toml"
    town.write_text(
        doc(
            A + '\n[[items.derived-from]]\nref = "./sub/../nachbar.toml#x"\n'
            'relation = "adapted"\nconfidence = "low"\nasserted-by = "record-keeper"\n'
        ),
        encoding="utf-8",
    )
    [problem] = charta.validate(town).problems
    assert "does not resolve: ./sub/../nachbar.toml: no such file" in problem.message


# ---------------------------------------------------------------------------
# SPDX expressions


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("CC0-1.0", ["CC0-1.0"]),
        ("CC-BY-4.0 OR DL-DE-BY-2.0", ["CC-BY-4.0", "DL-DE-BY-2.0"]),
        ("(MIT AND Apache-2.0) OR GPL-2.0+", ["MIT", "Apache-2.0", "GPL-2.0+"]),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", ["GPL-2.0-or-later"]),
        ("LicenseRef-Stadt-Musterstadt-1", ["LicenseRef-Stadt-Musterstadt-1"]),
        ("NOASSERTION", ["NOASSERTION"]),
    ],
)
def test_spdx_expressions_are_read(text: str, ids: list[str]) -> None:
    assert parse_expression(text) == ids


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty"),
        ("CC BY 4.0", "two licence ids in a row"),
        ("MIT or Apache-2.0", "capitals"),
        ("MIT AND", "ends with an operator"),
        ("(MIT", "not closed"),
        ("MIT)", "without its '('"),
        ("AND MIT", "where a licence id belongs"),
        ("CC-BY-4.0 / MIT", "unexpected character"),
        ("-MIT", "not an SPDX licence id"),
    ],
)
def test_bad_spdx_expressions_say_why(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)):
        parse_expression(text)


def test_which_licences_ask_for_attribution() -> None:
    assert needs_attribution("CC-BY-SA-4.0")
    assert needs_attribution("DL-DE-BY-2.0")
    assert not needs_attribution("CC0-1.0")
    assert not needs_attribution("DL-DE-ZERO-2.0")


def test_the_complete_example_in_the_format_docs_is_valid_and_complete() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    example = re.findall(r"```toml\n(.*?)```", text, re.S)[0]
    assert example.startswith("#:schema")
    report = validate_text(example, "format.md")
    assert report.problems == (), "\n".join(map(str, report.problems))


# ---------------------------------------------------------------------------
# Found by the review of issues 6 and 7


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda t: t.replace('title = "a"', 'title = "\\u200b\\u2060"'), "blank-text"),
        (
            lambda t: t + '\n[[covered-elsewhere]]\nref = "#a"\nwhere = "Kapitel 2"\n',
            "covered-elsewhere-conflict",
        ),
        (
            lambda t: (
                t.replace('status = "draft"', 'status = "unknown"')
                + '\n[adoption]\nbody = "Gemeinderat"\n'
            ),
            "adoption-status",
        ),
        (
            lambda t: (
                t + '\n[[items.derived-from]]\nref = "smart-city-charta#leitbild-1"\n'
                'relation = "adapted"\nconfidence = "low"\nasserted-by = "issuer"\n'
                'stated-at = "  "\n'
            ),
            "blank-text",
        ),
    ],
)
def test_holes_the_review_found_are_closed(change: object, code: str) -> None:
    text = change(doc(item("a")))  # type: ignore[operator]
    codes = [p.code for p in validate_text(text, "town.toml").problems]
    assert code in codes, codes


def test_a_broken_plugin_does_not_hide_the_other_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib.metadata import EntryPoint

    import charta.check.loading
    import charta.sources.registry
    from charta.sources.registry import ENTRY_POINT_GROUP

    pkg = tmp_path / "broken_plugin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "kaputt.toml").write_bytes(b"format = 1\nid = \xff\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    points = [
        EntryPoint("smart-city-charta", "charta.sources", ENTRY_POINT_GROUP),
        EntryPoint("kaputt", "broken_plugin", ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr("importlib.metadata.entry_points", lambda **_: points)
    charta.sources.registry.default_registry.cache_clear()
    charta.check.loading.default_sources.cache_clear()
    try:
        result = cli("sources")
        assert result.exit_code == 1
        assert "smart-city-charta" in result.stdout
        assert "source 'kaputt' cannot be used" in result.stderr
    finally:
        charta.sources.registry.default_registry.cache_clear()
        charta.check.loading.default_sources.cache_clear()


def test_the_word_diff_ignores_composition_and_invisible_characters() -> None:
    from charta.diff.words import Op, diff_words

    pieces = diff_words("Bürger und Digitalisierung", "Bu\u0308rger und Digi\u200btalisierung")
    assert all(p.op is Op.EQUAL for p in pieces)


def test_small_cli_points_of_the_review(tmp_path: Path) -> None:
    lone = cli("diff", SINDELFINGEN, "--for", SINDELFINGEN)
    assert lone.exit_code == 2
    assert "--for goes with two editions" in lone.stderr
    levels = tmp_path / "levels.txt"
    levels.write_text("moved none\nmoved error\n", encoding="utf-8")
    twice = cli("diff", SINDELFINGEN, "--levels", levels)
    assert twice.exit_code == 2
    assert "given twice" in twice.stderr
    levels.write_text("bewegt none\n", encoding="utf-8")
    assert "the classes are: derived," in cli("diff", SINDELFINGEN, "--levels", levels).stderr


def test_local_links_twice_are_flagged_too() -> None:
    link = '\n[[items.derived-from]]\nref = "#b"\nrelation = "{}"\nconfidence = "low"\n'
    twice = doc(item("a") + link.format("adapted") + link.format("merged") + item("b"))
    assert "contradictory-links" in [p.code for p in validate_text(twice, "t.toml").problems]
