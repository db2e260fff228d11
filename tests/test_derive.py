"""Deriving a town's charta: operations, edits that keep the file, charta new, trace."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from charta.adapters.toml import loads, read
from charta.adapters.toml.edit import edit_text, write_edit
from charta.check.loading import default_sources, get_source, open_charta, validate, validate_text
from charta.cli import main
from charta.derive import operations as op
from charta.errors import ChartaError
from charta.model import Item, PartialDate, Reference, Relation, RevisedField

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
DAY = PartialDate(2026, 11, 25)


@pytest.fixture
def town() -> object:
    return open_charta(str(EXAMPLE))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    path = tmp_path / "sindelfingen" / "leitmotive.toml"
    path.parent.mkdir()
    shutil.copy(EXAMPLE, path)
    return path


# ---------------------------------------------------------------------------
# Operations: pure, the input unchanged


def _frozen(charta: object) -> str:
    from charta.adapters.toml import dumps

    return dumps(charta)  # type: ignore[arg-type]


OPERATIONS = {
    "adapt": lambda c: op.adapt(c, "vorne-dabei", text="Neu.", date=DAY, reason="r"),
    "retitle": lambda c: op.retitle(c, "vorne-dabei", "Ganz vorne", date=DAY, reason="r"),
    "renumber": lambda c: op.renumber(c, "vorne-dabei", "2a"),
    "merge": lambda c: op.merge(c, ["teilen-und-vernetzen", "zusammenarbeit"], date=DAY),
    "split": lambda c: op.split(
        c, "vorne-dabei", [("vorne-dabei", "Wirtschaft", "W."), ("bildung", "Bildung", "B.")]
    ),
    "add": lambda c: op.add(c, Item(id="eigenes", title="Eigenes", text="T.")),
    "adopt": lambda c: op.adopt(c, get_source("smart-city-charta"), "leitbild-2"),
    "omit": lambda c: op.omit(c, Reference(charta="smart-city-charta", item="leitbild-2"), "r"),
    "cover": lambda c: op.cover_elsewhere(
        c, Reference(charta="smart-city-charta", item="leitbild-2"), "Kapitel 4"
    ),
    "link": lambda c: op.link(
        c,
        "vorne-dabei",
        Reference(charta="smart-city-charta", item="leitbild-6"),
        Relation.INSPIRED_BY,
    ),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_each_operation_leaves_its_input_unchanged_and_gives_a_valid_charta(
    town, name: str
) -> None:
    before = _frozen(town)
    result = OPERATIONS[name](town)
    assert _frozen(town) == before
    assert result != town
    report = validate_text(_frozen(result), str(EXAMPLE))
    assert report.ok, [str(p) for p in report.problems]


def test_adapt_records_a_revision_and_keeps_the_links(town) -> None:
    new = op.adapt(town, "vorne-dabei", text="Neu.", date=DAY, reason="Grund")
    item = new.item("vorne-dabei")
    old = town.item("vorne-dabei")
    assert item.text == "Neu."
    assert item.revisions[-1].field is RevisedField.TEXT
    assert item.revisions[-1].before == old.text
    assert item.revisions[-1].date == DAY
    assert [d.ref for d in item.derived_from] == [d.ref for d in old.derived_from]


def test_merge_takes_the_union_of_links_and_moves_comments(town) -> None:
    new = op.merge(town, ["vorne-dabei", "mensch-im-mittelpunkt"], date=DAY)
    assert new.item("mensch-im-mittelpunkt") is None
    refs = {str(d.ref) for d in new.item("vorne-dabei").derived_from}
    old = town.item("vorne-dabei").derived_from + town.item("mensch-im-mittelpunkt").derived_from
    assert refs == {str(d.ref) for d in old}


def test_merge_keeps_the_merged_away_principle_with_its_history(town) -> None:
    from charta.derive.trace import trace, trace_json
    from charta.diff import as_of, between_versions
    from charta.render.page import build_page

    # 'vorne-dabei' has a revision caused by the consultation: it is merged away.
    new = op.merge(
        town,
        ["kulturwandel", "vorne-dabei"],
        date=DAY,
        reason="zusammengelegt",
        caused_by=["comment-2"],
    )
    old = town.item("vorne-dabei")
    assert new.item("vorne-dabei") is None
    gone = new.merged_away_record("vorne-dabei")
    assert gone is not None
    assert (gone.merged_into, gone.date, gone.reason) == ("kulturwandel", DAY, "zusammengelegt")
    assert gone.caused_by == ("comment-2",)
    assert (gone.title, gone.text, gone.label) == (old.title, old.text, old.label)
    assert gone.revisions == old.revisions
    assert gone.revisions
    assert gone.derived_from == old.derived_from
    text = _frozen(new)
    assert "[[merged-away]]" in text
    assert "[[merged-away.revisions]]" in text
    assert validate_text(text, str(EXAMPLE)).ok
    assert loads(text) == new  # it round-trips

    step = trace(new, "vorne-dabei", default_sources(), base=str(EXAMPLE))
    data = json.loads(trace_json(step))
    assert data["steps"][0]["merged-into"]["into"] == "kulturwandel"
    assert data["steps"][0]["revisions"]  # its history is still traced

    changes = between_versions(town, new).changes
    merged = [c for c in changes if c.change_class.value == "merged"]
    assert merged
    assert "(recorded: zusammengelegt)" in merged[0].message
    assert not [c for c in changes if c.change_class.value == "removed"]

    earlier, notes = as_of(new, PartialDate(2026, 11, 1))
    assert earlier.item("vorne-dabei") is not None
    assert not earlier.merged_away
    assert any("shown again" in n for n in notes)

    page = build_page(new, default_sources(), base=str(EXAMPLE))
    keeper = next(p for p in page.walk() if p.item.id == "kulturwandel")
    assert [m.id for m in keeper.merged] == ["vorne-dabei"]


def test_a_chain_of_merges_ends_under_the_principle_that_carries_it_on(town) -> None:
    from charta.diff import as_of, between_versions
    from charta.render.page import build_page

    first = op.merge(town, ["mensch-im-mittelpunkt", "vorne-dabei"], date=DAY, reason="eins")
    second = op.merge(first, ["kulturwandel", "mensch-im-mittelpunkt"], date=DAY, reason="zwei")
    assert second.merge_ends() == {
        "vorne-dabei": "kulturwandel",
        "mensch-im-mittelpunkt": "kulturwandel",
    }
    page = build_page(second, default_sources(), base=str(EXAMPLE))
    keeper = next(p for p in page.walk() if p.item.id == "kulturwandel")
    assert [m.id for m in keeper.merged] == ["vorne-dabei", "mensch-im-mittelpunkt"]
    merged = [c for c in between_versions(town, second).changes if c.change_class.value == "merged"]
    assert len(merged) == 1
    assert "(recorded: eins)" in merged[0].message
    with pytest.raises(ChartaError, match="carried on by 'kulturwandel'"):
        op.adapt(second, "vorne-dabei", text="x")
    # An undated merge is noted once, not once per look.
    undated = op.merge(town, ["kulturwandel", "vorne-dabei"])
    _, notes = as_of(undated, PartialDate(2026, 10))
    assert sum("stays merged" in n for n in notes) == 1


def test_a_principle_with_a_summary_and_its_history_can_be_merged(town) -> None:
    import attrs

    from charta.model import Revision

    summarised = Item(
        id="neu",
        title="Neu",
        summary="Kurz.",
        locator="S. 3",
        revisions=(Revision(field=RevisedField.SUMMARY, before="Alt.", after="Kurz."),),
    )
    with_it = attrs.evolve(town, items=(*town.items, summarised), declared_count=11)
    assert validate_text(_frozen(with_it), str(EXAMPLE)).ok
    merged = op.merge(with_it, ["vorne-dabei", "neu"], date=DAY)
    gone = merged.merged_away_record("neu")
    assert (gone.summary, gone.locator, gone.revisions) == ("Kurz.", "S. 3", summarised.revisions)
    assert validate_text(_frozen(merged), str(EXAMPLE)).ok


def test_validate_resolves_the_links_of_a_merged_away_principle(town) -> None:
    merged = op.merge(town, ["kulturwandel", "vorne-dabei"], date=DAY)
    text = _frozen(merged).replace(
        'ref = "smart-city-charta#leitbild-5"', 'ref = "smart-city-charta#leitbild-99"'
    )
    report = validate_text(text, str(EXAMPLE))
    assert any("leitbild-99" in p.message and "merged-away" in str(p) for p in report.problems)


def test_merge_refuses_to_drop_sub_items_and_relinks_local_links(town) -> None:
    parent = op.add(
        town,
        Item(id="eltern", title="E", children=(Item(id="kind", title="K"),)),
    )
    with pytest.raises(ChartaError, match="has sub-items"):
        op.merge(parent, ["vorne-dabei", "eltern"])
    linked = op.link(parent, "kind", Reference(item="kulturwandel"), Relation.INSPIRED_BY)
    merged = op.merge(linked, ["vorne-dabei", "kulturwandel"], date=DAY)
    assert [d.ref for d in merged.item("kind").derived_from] == [Reference(item="vorne-dabei")]
    assert validate_text(_frozen(merged), str(EXAMPLE)).ok


def test_split_parts_are_adapted_not_verbatim(town) -> None:
    adopted = op.adopt(town, get_source("smart-city-charta"), "leitbild-2")
    new_id = next(i.id for i in adopted.items if i.id not in {j.id for j in town.items})
    split = op.split(adopted, new_id, [(new_id, "A", "A."), ("teil-b", "B", "B.")])
    assert {d.relation for d in split.item("teil-b").derived_from} == {Relation.ADAPTED}


def test_merging_the_commented_principle_moves_its_comment(town) -> None:
    new = op.merge(town, ["mensch-im-mittelpunkt", "vorne-dabei"], date=DAY)
    assert new.consultation.comments[0].target == Reference(item="mensch-im-mittelpunkt")
    assert validate_text(_frozen(new), str(EXAMPLE)).ok


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: op.adapt(c, "vorne-dabie", text="x"), "did you mean 'vorne-dabei'"),
        (lambda c: op.add(c, Item(id="vorne-dabei", title="x")), "already has an item"),
        (lambda c: op.add(c, Item(id="Neu 1", title="x")), "not a valid id"),
        (lambda c: op.merge(c, ["vorne-dabei"]), "two different principles or more"),
        (lambda c: op.omit(c, Reference(charta="smart-city-charta", item="x"), " "), "reason"),
        (lambda c: op.adopt(c, get_source("smart-city-charta"), "leitbild-99"), "no item"),
        (lambda c: op.adapt(c, "vorne-dabei", text="  "), "cannot be blank"),
        (
            lambda c: op.split(
                c,
                "vorne-dabei",
                [("vorne-dabei", "A", "A."), ("neu", "B", "B."), ("neu", "C", "C.")],
            ),
            "two parts have the id 'neu'",
        ),
        (
            lambda c: op.cover_elsewhere(
                op.cover_elsewhere(
                    c, Reference(charta="smart-city-charta", item="leitbild-2"), "K4"
                ),
                Reference(charta="smart-city-charta", item="leitbild-2"),
                "K5",
            ),
            "already recorded as covered elsewhere",
        ),
        (
            lambda c: op.add(
                op.merge(c, ["vorne-dabei", "kulturwandel"], date=DAY),
                Item(id="kulturwandel", title="x"),
            ),
            "merged into 'vorne-dabei'",
        ),
    ],
)
def test_bad_requests_say_what_is_wrong(town, call, message: str) -> None:
    with pytest.raises(ChartaError, match=message):
        call(town)


# ---------------------------------------------------------------------------
# Edits that keep the clerk's file


def test_an_edit_keeps_comments_and_changes_only_the_edited_lines(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    old = read(copy).charta
    new = op.adapt(old, "vorne-dabei", text="Ein neuer Text.", date=DAY, reason="Test")
    write_edit(copy, text, old, new)
    after = copy.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments
    assert loads(after, file=str(copy)) == new
    # git's view: one line replaced (the text), one revision added; nothing else
    done = subprocess.run(
        ["git", "diff", "--no-index", "--numstat", str(EXAMPLE), str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    added, removed, _ = done.stdout.split("\t")
    assert removed == "1"
    assert int(added) == 1 + 7  # the new text; the revision: a blank line, header, 5 keys


def test_a_default_written_out_by_the_clerk_stays_written_out() -> None:
    text = (
        'format = 1\nid = "t"\ntitle = "T"\nkind = "local"\nstatus = "draft"\n'
        'language = "de"  # written out, though it is the default\n'
        '[issuer]\nbody = "B"\n\n[[items]]\nid = "a"\ntitle = "A"\n'
    )
    old = loads(text)
    new = op.renumber(old, "a", "1")
    out = edit_text(text, old, new)
    assert 'language = "de"  # written out, though it is the default' in out
    assert 'label = "1"' in out
    assert loads(out) == new


def test_a_file_changed_on_disk_is_never_overwritten(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    old = read(copy).charta
    new = op.renumber(old, "vorne-dabei", "2a")
    copy.write_text(text + "\n# edited by someone else\n", encoding="utf-8")
    with pytest.raises(ChartaError, match="changed on disk"):
        write_edit(copy, text, old, new)
    assert copy.read_text(encoding="utf-8").endswith("# edited by someone else\n")


def test_an_edit_that_would_break_the_file_writes_nothing(copy: Path) -> None:
    before = copy.read_bytes()
    result = CliRunner().invoke(
        main,
        ["omit", str(copy), "smart-city-charta#leitbild-5", "--reason", "x"],
    )
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert "derived from it" in result.output
    assert copy.read_bytes() == before


def test_a_refused_edit_names_the_key_not_a_line_of_a_text_never_written(copy: Path) -> None:
    result = CliRunner().invoke(
        main, ["omit", str(copy), "smart-city-charta#leitbild-5", "--reason", "x"]
    )
    assert result.exit_code == 1
    # file, then the key path: no line number of the unwritten text
    assert f"{copy}: " in result.output or f"{copy} " in result.output
    assert f"{copy}:4" not in result.output
    assert "omissions[" in result.output


def test_a_read_only_file_is_left_alone(copy: Path) -> None:
    copy.chmod(0o444)
    before = copy.read_bytes()
    result = CliRunner().invoke(main, ["adapt", f"{copy}#vorne-dabei", "--text", "x"])
    assert result.exit_code == 1
    assert copy.read_bytes() == before


# ---------------------------------------------------------------------------
# charta new


def test_new_from_the_built_in_sources_is_valid_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "musterstadt.toml"
    result = CliRunner().invoke(
        main,
        [
            "new",
            "--town",
            "Musterstadt",
            "--from",
            "smart-city-charta",
            "--from",
            "digitalakademie-bw",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Leitmotive der Digitalisierung in Musterstadt")
    assert "# The text is our summary of the source, not its wording: rewrite it." in text
    report = validate(out)
    assert report.ok, [str(p) for p in report.problems]
    charta = report.charta
    assert len(charta.items) == 12 + 8  # the top-level items of both sources
    assert all(i.derived_from[0].relation is Relation.ADOPTED for i in charta.items)
    # the comments are only comments
    from charta.adapters.toml import dumps

    assert loads(dumps(charta)) == charta


def test_new_from_another_town_links_to_its_principles(tmp_path: Path) -> None:
    out = tmp_path / "towns" / "musterstadt.toml"
    out.parent.mkdir()
    result = CliRunner().invoke(
        main, ["new", "--town", "Musterstadt", "--from", str(EXAMPLE), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    charta = validate(out).charta
    ref = charta.item("vorne-dabei").derived_from[0].ref
    assert ref.charta.endswith("examples/sindelfingen/leitmotive.toml")
    assert not Path(ref.charta).is_absolute()  # relative to the new file, so it can move


def test_new_picks_items_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "m.toml"
    args = ["new", "--town", "M", "--from", "smart-city-charta", "--item", "leitbild-5"]
    assert CliRunner().invoke(main, [*args, "-o", str(out)]).exit_code == 0
    assert [i.id for i in validate(out).charta.items] == ["leitbild-5"]
    again = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert again.exit_code == 2
    assert "--force" in again.output
    assert CliRunner().invoke(main, [*args, "-o", str(out), "--force"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "smart-city-chart"], "did you mean"),
        (["--from", "smart-city-charta", "--item", "leitbild-99"], "no source has an item"),
        (["--from", "smart-city-charta", "-o", "/nonexistent/dir/m.toml"], "m.toml"),
    ],
)
def test_new_with_bad_input_is_a_message(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["new", "--town", "M", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_new_writes_into_a_device_and_finds_a_town_item_by_its_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["new", "--town", "M", "--from", "smart-city-charta", "-o", "/dev/stdout"]
    )
    assert result.exit_code == 0, result.output
    assert "exists" not in result.output
    town_file = tmp_path / "s.toml"
    shutil.copy(EXAMPLE, town_file)
    (tmp_path / "sub").mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "charta",
            "new",
            "--town",
            "M",
            "--from",
            "s.toml",
            "--item",
            "s.toml#vorne-dabei",
            "-o",
            "sub/m.toml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert 'ref = "../s.toml#vorne-dabei"' in (tmp_path / "sub" / "m.toml").read_text()


# ---------------------------------------------------------------------------
# trace


def test_trace_follows_a_town_to_the_federal_items(tmp_path: Path) -> None:
    out = tmp_path / "m.toml"
    CliRunner().invoke(main, ["new", "--town", "M", "--from", str(EXAMPLE), "-o", str(out)])
    result = CliRunner().invoke(main, ["trace", f"{out}#vorne-dabei", "--format", "json"])
    assert result.exit_code == 0, result.output
    chain = json.loads(result.output)
    steps = {s["key"]: s for s in chain["steps"]}
    start = steps[chain["start"]]
    assert start["from"][0]["to"] == "sindelfingen-leitmotive#vorne-dabei"
    town = steps["sindelfingen-leitmotive#vorne-dabei"]
    assert town["revisions"][0]["causes"][0]["by"] == "Person 1"
    federal = {link["to"] for link in town["from"]}
    assert "smart-city-charta#leitbild-5" in federal
    assert steps["smart-city-charta#leitbild-5"]["page"] == "S. 9"
    text = CliRunner().invoke(main, ["trace", f"{out}#vorne-dabei"]).output
    assert "<- adopted" in text
    assert "smart-city-charta#leitbild-5" in text


def test_trace_reports_a_cycle_between_towns(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    head = 'format = 1\nid = "{id}"\ntitle = "{id}"\nkind = "local"\nstatus = "draft"\n'
    body = (
        '[issuer]\nbody = "X"\n[[based-on]]\nsource = "{other}.toml"\nasserted-by = "issuer"\n'
        '[[items]]\nid = "p"\ntitle = "P"\n[[items.derived-from]]\nref = "{other}.toml#p"\n'
        'relation = "adapted"\nconfidence = "high"\nasserted-by = "issuer"\n'
    )
    a.write_text(head.format(id="a") + body.format(other="b"), encoding="utf-8")
    b.write_text(head.format(id="b") + body.format(other="a"), encoding="utf-8")
    # validate refuses the cycle between the files; trace reads what it is given
    from charta.derive.trace import trace, trace_json, trace_text

    charta = read(a).charta
    chain = trace(charta, "p", _FileResolver(), base=str(a))
    data = json.loads(trace_json(chain))
    steps = {s["key"]: s for s in data["steps"]}
    assert steps["b#p"]["from"][0] == {**steps["b#p"]["from"][0], "to": "a#p", "cycle": True}
    assert "(cycle: back to a#p)" in trace_text(chain)


class _FileResolver:
    def resolve(self, name: str, base: object = None) -> object:
        from charta.references import resolve_path

        return read(resolve_path(name, base)).charta  # type: ignore[arg-type]


def test_trace_prov_reads_back() -> None:
    from prov.model import ProvDocument

    result = CliRunner().invoke(main, ["trace", f"{EXAMPLE}#vorne-dabei", "--format", "prov-json"])
    assert result.exit_code == 0, result.output
    doc = ProvDocument.deserialize(content=result.output, format="json")
    assert len(list(doc.get_records())) > 3
    provn = doc.get_provn()
    assert 'charta:locator="S. 9"' in provn  # where in the source
    assert "charta:revised=" in provn  # the revision behind Leitmotiv 2


def test_trace_of_a_missing_item_is_a_message() -> None:
    result = CliRunner().invoke(main, ["trace", f"{EXAMPLE}#vorne-dabie"])
    assert result.exit_code == 1
    assert "did you mean 'vorne-dabei'" in result.output


# ---------------------------------------------------------------------------
# suggest


def _unlinked(tmp_path: Path) -> Path:
    path = tmp_path / "ohne.toml"
    path.write_text(
        'format = 1\nid = "ohne"\ntitle = "Ohne Herkunft"\nkind = "local"\nstatus = "draft"\n'
        'lineage = "not-recorded"\n[issuer]\nbody = "Gemeinde Ohne"\n\n'
        "# Unser erster Grundsatz\n"
        '[[items]]\nid = "klima"\ntitle = "Klimaneutral und ressourcenschonend"\n'
        'text = "Die Gemeinde spart Energie und Ressourcen mit ihren Verwaltungsdaten."\n\n'
        '[[items]]\nid = "teilhabe"\ntitle = "Teilhabe für alle"\n'
        'text = "Alle Bürgerinnen und Bürger können mitwirken, inklusiv und barrierefrei."\n',
        encoding="utf-8",
    )
    return path


def test_suggest_ranks_source_items_with_the_shared_words(tmp_path: Path) -> None:
    from charta.derive.suggest import suggest

    charta = read(_unlinked(tmp_path)).charta
    found = suggest(charta, [get_source("smart-city-charta")], top=3)
    assert found["klima"][0].source == "smart-city-charta#leitbild-4"
    assert found["teilhabe"][0].source == "smart-city-charta#leitbild-3"
    assert found["klima"][0].shared  # the words that justify it
    assert found["klima"][0].score > found["klima"][-1].score


def test_compounds_meet_their_parts() -> None:
    from charta.derive.suggest import _Analyser

    analyser = _Analyser()
    analyser.vocabulary.update({analyser.stem("daten"), analyser.stem("verwaltung")})
    terms = {t for t, _ in analyser.terms("Verwaltungsdaten", split=True)}
    assert analyser.stem("daten") in terms
    assert analyser.stem("verwaltung") in terms


def test_suggest_write_adds_inferred_links_and_keeps_the_comments(tmp_path: Path) -> None:
    path = _unlinked(tmp_path)
    result = CliRunner().invoke(
        main, ["suggest", str(path), "--against", "smart-city-charta", "--top", "1", "--write"]
    )
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "# Unser erster Grundsatz" in text
    report = validate(path)
    assert report.ok, [str(p) for p in report.problems]
    link = report.charta.item("klima").derived_from[0]
    assert link.relation is Relation.INSPIRED_BY
    assert link.asserted_by.value == "record-keeper"
    assert link.confidence.value in ("low", "medium")
    assert "Check it" in link.note
    # linked principles get no more suggestions
    again = CliRunner().invoke(main, ["suggest", str(path), "--against", "smart-city-charta"])
    assert "every principle already has a source" in again.output


def test_suggest_json() -> None:
    result = CliRunner().invoke(
        main,
        ["suggest", str(ROOT / "examples" / "musterkreis" / "leitlinien.toml"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["$schema"] == "https://charta.invalid/schema/1/suggest.json"
    assert data["principles"]
    for suggestions in data["principles"].values():
        assert len(suggestions) <= 3
        assert all({"source", "title", "score", "shared"} <= set(s) for s in suggestions)


def test_zero_principles_are_said_plainly(tmp_path: Path) -> None:
    empty = tmp_path / "leer.toml"
    empty.write_text(
        'format = 1\nid = "leer"\ntitle = "Leer"\nkind = "local"\nstatus = "draft"\n'
        '[issuer]\nbody = "X"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["suggest", str(empty), "--against", "smart-city-charta"])
    assert "has no principles" in result.output
    new = CliRunner().invoke(
        main, ["new", "--town", "M", "--from", str(empty), "-o", str(tmp_path / "n.toml")]
    )
    assert new.exit_code == 1
    assert "no items to start from" in new.output
    assert not (tmp_path / "n.toml").exists()


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
    min_size=1,
    max_size=300,
).filter(lambda t: t.strip())


@settings(deadline=None)
@given(text=_TEXT, title=_TEXT)
def test_any_text_survives_an_edit(text: str, title: str) -> None:
    """Quotes, backslashes, triple quotes, line ends, NUL: the edited file reads back."""
    source = EXAMPLE.read_text(encoding="utf-8")
    old = loads(source, file=str(EXAMPLE))
    new = op.adapt(old, "vorne-dabei", text=text, title=title, date=DAY, reason=text[:50])
    out = edit_text(source, old, new)
    assert loads(out, file=str(EXAMPLE)) == new


def test_a_crlf_file_with_a_bom_is_edited_and_keeps_both(tmp_path: Path) -> None:
    path = tmp_path / "leitmotive.toml"
    shutil.copytree(EXAMPLE.parent, tmp_path, dirs_exist_ok=True)
    data = b"\xef\xbb\xbf" + EXAMPLE.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["renumber", f"{path}#vorne-dabei", "2a"])
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\r\n") == after.count(b"\n")
    assert len(after.splitlines()) == len(data.splitlines()) + 0
    changed = [(a, b) for a, b in zip(data.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [(b'label = "2"', b'label = "2a"')]


def test_adding_to_an_inline_array_of_tables_stays_valid(tmp_path: Path) -> None:
    out = tmp_path / "s.toml"
    CliRunner().invoke(
        main,
        [
            "new",
            "--town",
            "M",
            "--from",
            "smart-city-charta",
            "--item",
            "leitbild-1",
            "-o",
            str(out),
        ],
    )
    result = CliRunner().invoke(
        main,
        [
            "link",
            f"{out}#leitbild-1",
            "digitalakademie-bw#transparenz",
            "--relation",
            "inspired-by",
            "--by",
            "record-keeper",
        ],
    )
    assert result.exit_code == 0, result.output
    report = validate(out)
    assert report.ok, [str(p) for p in report.problems]
    assert [str(b.source) for b in report.charta.based_on] == [
        "smart-city-charta",
        "digitalakademie-bw",
    ]


def test_merge_refuses_a_principle_with_its_own_sub_item() -> None:
    from charta.model import Charta, ChartaKind, Issuer, Status

    charta = Charta(
        id="t",
        title="T",
        kind=ChartaKind.LOCAL,
        issuer=Issuer(body="B"),
        status=Status.DRAFT,
        items=(Item(id="eins", title="1", children=(Item(id="eins-a", title="1a"),)),),
    )
    with pytest.raises(ChartaError, match="its own sub-items"):
        op.merge(charta, ["eins-a", "eins"])
    with pytest.raises(ChartaError, match="two different"):
        op.merge(charta, ["eins", "eins"])


def test_suggest_leaves_out_what_the_charta_omits(tmp_path: Path) -> None:
    from charta.derive.suggest import suggest

    charta = read(_unlinked(tmp_path)).charta
    omitted = op.omit(
        charta, Reference(charta="smart-city-charta", item="leitbild-4"), "eigenes Konzept"
    )
    found = suggest(omitted, [get_source("smart-city-charta")], top=3)
    assert all(s.source != "smart-city-charta#leitbild-4" for s in found["klima"])


def test_linking_again_keeps_the_note_and_the_place(town) -> None:
    ref = town.item("vorne-dabei").derived_from[0].ref
    new = op.link(town, "vorne-dabei", ref, Relation.ADAPTED)
    before, after = town.item("vorne-dabei").derived_from, new.item("vorne-dabei").derived_from
    assert [d.ref for d in after] == [d.ref for d in before]
    assert after[0].note == before[0].note
    assert after[0].relation is Relation.ADAPTED


def test_a_deep_chain_of_towns_is_traced_without_recursion(tmp_path: Path) -> None:
    from charta.derive.trace import trace, trace_json, trace_text

    head = 'format = 1\nid = "t{n}"\ntitle = "T{n}"\nkind = "local"\nstatus = "draft"\n'
    body = '[issuer]\nbody = "X"\n[[items]]\nid = "p"\ntitle = "P"\n'
    link = (
        '[[items.derived-from]]\nref = "t{m}.toml#p"\nrelation = "adapted"\n'
        'confidence = "high"\nasserted-by = "issuer"\n'
    )
    depth = 1500
    for n in range(depth):
        text = head.format(n=n) + body + (link.format(m=n + 1) if n + 1 < depth else "")
        (tmp_path / f"t{n}.toml").write_text(text, encoding="utf-8")
    first = tmp_path / "t0.toml"
    chain = trace(read(first).charta, "p", _FileResolver(), base=str(first))
    data = json.loads(trace_json(chain))
    assert len(data["steps"]) == depth
    json.dumps(data)  # flat: no nesting for the encoder to recurse into
    assert trace_text(chain).count("<- adapted") == depth - 1


def test_suggest_write_names_a_town_source_by_its_path(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE.parent, tmp_path / "sindelfingen")
    (tmp_path / "a").mkdir()
    path = tmp_path / "a" / "ohne.toml"
    path.write_text(
        'format = 1\nid = "ohne"\ntitle = "Ohne"\nkind = "local"\nstatus = "draft"\n\n'
        '[issuer]\nbody = "X"\n\n[[based-on]]\nsource = "../sindelfingen/leitmotive.toml"\n'
        'asserted-by = "issuer"\n\n[[items]]\nid = "bildung"\ntitle = "Bildung und Wissen"\n'
        'text = "Wir bauen Wissen und Kompetenzen auf und bieten Fortbildung."\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["suggest", str(path), "--top", "1", "--write"])
    assert result.exit_code == 0, result.output
    report = validate(path)
    assert report.ok, [str(p) for p in report.problems]
    ref = report.charta.item("bildung").derived_from[0].ref
    assert ref.charta == "../sindelfingen/leitmotive.toml"


def _anchors(text: str) -> list[tuple[str, str]]:
    """Each comment line with the first line of content below it."""
    lines = text.splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            below = next(
                (x for x in lines[n + 1 :] if x.strip() and not x.lstrip().startswith(("#", "["))),
                "",
            )
            out.append((line, below))
    return out


@pytest.mark.parametrize(
    "change",
    [
        lambda c: op.adapt(c, "vorne-dabei", text="Neu.", date=DAY, reason="r"),
        lambda c: op.link(
            c,
            "mission-lebenswert",
            Reference(charta="smart-city-charta", item="leitbild-2"),
            Relation.INSPIRED_BY,
        ),
        lambda c: op.merge(c, ["vorne-dabei", "impulsverstaerker"], date=DAY),
    ],
    ids=["adapt", "link", "merge"],
)
def test_each_comment_stays_above_its_own_line(change) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    old = loads(text, file=str(EXAMPLE))
    new = change(old)
    out = edit_text(text, old, new)
    assert loads(out, file=str(EXAMPLE)) == new
    from collections import Counter

    after = Counter(_anchors(out))
    missing = Counter(_anchors(text)) - after
    # only the headings of the principle merged away ("# 4" and its rule) may be gone
    assert all(below == 'id = "impulsverstaerker"' for _, below in missing), missing
    assert sum(missing.values()) <= 2, missing


def test_an_edit_through_a_symbolic_link_changes_the_file_it_points_at(copy: Path) -> None:
    link = copy.parent / "link.toml"
    link.symlink_to(copy.name)
    result = CliRunner().invoke(main, ["renumber", f"{link}#vorne-dabei", "2a"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert 'label = "2a"' in copy.read_text(encoding="utf-8")


def test_link_many_is_one_pass_and_leaves_the_input(town) -> None:
    from charta.model import Assertion, Confidence, Derivation

    before = _frozen(town)
    links = [
        (
            "mission-lebenswert",
            Derivation(
                ref=Reference(charta="smart-city-charta", item="leitbild-2"),
                relation=Relation.INSPIRED_BY,
                confidence=Confidence.LOW,
                asserted_by=Assertion.RECORD_KEEPER,
            ),
        )
    ]
    new = op.link_many(town, links)
    assert _frozen(town) == before
    refs = [str(d.ref) for d in new.item("mission-lebenswert").derived_from]
    assert refs[-1] == "smart-city-charta#leitbild-2"


def test_new_takes_a_source_or_an_item_named_twice_once(tmp_path: Path) -> None:
    out = tmp_path / "m.toml"
    result = CliRunner().invoke(
        main,
        [
            "new",
            "--town",
            "M",
            "--from",
            "smart-city-charta",
            "--from",
            "smart-city-charta",
            "--item",
            "leitbild-1",
            "--item",
            "leitbild-1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    charta = validate(out).charta
    assert [i.id for i in charta.items] == ["leitbild-1"]
    assert len(charta.based_on) == 1


def test_show_lists_merged_away_principles_and_shows_one(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    shutil.copy(EXAMPLE, path)
    result = CliRunner().invoke(
        main, ["merge", str(path), "kulturwandel", "know-how", "--reason", "zusammen"]
    )
    assert result.exit_code == 0, result.output
    whole = CliRunner().invoke(main, ["show", str(path)])
    assert "Merged away" in whole.output
    one = CliRunner().invoke(main, ["show", f"{path}#know-how"])
    assert one.exit_code == 0, one.output
    assert "merged into kulturwandel" in one.output
