"""charta diff: four comparisons, classes and levels, CI exit codes, outputs, git (issue 7)."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import charta
from charta.diff import (
    COMPARISONS,
    ChangeClass,
    Diff,
    against_sources,
    as_of,
    before_consultation,
    between_towns,
    between_versions,
    classes_markdown,
    json_schema,
    upstream,
)
from charta.diff.words import Op, deleted, diff_words, inserted, tokens
from charta.errors import Level
from charta.model import PartialDate
from tests.conftest import Golden
from tests.test_cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("tests/data/diff")
EXAMPLE = "examples/sindelfingen/leitmotive.toml"
V1, V2 = str(DATA / "musterstadt-v1.toml"), str(DATA / "musterstadt-v2.toml")


@pytest.fixture(autouse=True)
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative names in outputs and golden files: run from the project root.
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)


def classes(diff: Diff) -> list[str]:
    return [c.change_class.value for c in diff.changes]


# ---------------------------------------------------------------------------
# The reference case: the consultation's amendment of Leitmotiv 2


@pytest.mark.parametrize("args", [["--at", "2020-10-31"], ["--before-consultation"]])
def test_the_sindelfingen_amendment_is_exactly_the_inserted_words(args: list[str]) -> None:
    result = cli("diff", EXAMPLE, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [change] = data["changes"]
    assert change["class"] == "reworded"
    assert change["item"] == "vorne-dabei"
    inserted_words = [w["text"] for w in change["words"] if w["op"] == "insert"]
    assert inserted_words == ["sowie Bildungseinrichtungen"]
    assert [w for w in change["words"] if w["op"] == "delete"] == []
    [cause] = change["causes"]
    assert cause["comment"]["id"] == "comment-2"
    assert cause["comment"]["by"] == "Person 1"  # the pseudonym, never the name
    assert cause["response"]["id"] == "response-2"
    assert cause["response"]["decision"] == "accepted"
    assert "Kürschner" not in result.stdout


def test_as_of_and_before_consultation_in_the_library() -> None:
    town = charta.load(EXAMPLE)
    earlier, notes = as_of(town, PartialDate.from_iso("2020-10-31"))
    assert notes == ()
    item = earlier.item("vorne-dabei")
    assert item is not None
    assert "sowie Bildungseinrichtungen" not in item.text
    assert item.revisions == ()
    assert before_consultation(town) == earlier
    # A date after the revision rebuilds the file as it is.
    same, _ = as_of(town, PartialDate.from_iso("2020-12"))
    assert same == town


def test_at_a_date_before_the_history_begins_is_an_input_error() -> None:
    result = cli("diff", EXAMPLE, "--at", "2019-01-01")
    assert result.exit_code == 2
    assert "no state before its consultation began (2020-10-23)" in result.stderr


@pytest.mark.parametrize("date", ["31.10.2020", "2020-13", "yesterday"])
def test_at_needs_a_date(date: str) -> None:
    result = cli("diff", EXAMPLE, "--at", date)
    assert result.exit_code == 2
    assert "--at:" in result.stderr


# ---------------------------------------------------------------------------
# 1. Against the sources


def test_against_sources_counts_what_the_figure_rests_on() -> None:
    town = charta.load(EXAMPLE)
    scc, dabw = charta.get_source("smart-city-charta"), charta.get_source("digitalakademie-bw")
    result = against_sources(town, [scc, dabw])
    by_source = {c.source: c for c in result.coverage}
    assert by_source["digitalakademie-bw"].known == 8
    assert by_source["digitalakademie-bw"].declared == 10
    assert "the source declares 10" in by_source["digitalakademie-bw"].basis
    cov = by_source["smart-city-charta"]
    assert cov.known == 24
    assert cov.omitted == 1
    assert cov.derived + cov.covered_elsewhere + cov.omitted + cov.not_addressed == 24
    not_addressed = [c for c in result.changes if c.change_class is ChangeClass.NOT_ADDRESSED]
    assert len(not_addressed) == cov.not_addressed
    assert all(c.level.value == "warning" for c in not_addressed)


def test_a_summarised_source_is_never_word_diffed() -> None:
    town = charta.load(EXAMPLE)
    result = against_sources(town, [charta.get_source("smart-city-charta")])
    derived = [c for c in result.changes if c.change_class is ChangeClass.DERIVED]
    assert derived
    assert all(c.words == () for c in derived)


def test_against_a_source_with_texts_shows_adopted_and_adapted_words() -> None:
    result = cli("diff", DATA / "anpassung.toml", "--format", "json")
    data = json.loads(result.stdout)
    by_item = {(c["class"], c["item"], c["source"]): c for c in data["changes"]}
    adopted = by_item[("derived", "fuer-alle", "musterquelle#q1")]
    assert {w["op"] for w in adopted["words"]} == {"equal"}
    assert adopted["asserted"] == "stated"
    adapted = by_item[("derived", "daten", "musterquelle#q2")]
    assert [w["text"] for w in adapted["words"] if w["op"] == "insert"] == [
        "Die Stadt veröffentlicht",
        ", maschinenlesbar",
        "kostenfrei",
    ]
    assert adapted["asserted"] == "inferred"
    found = {c["class"] for c in data["changes"]}
    assert found == {"derived", "covered-elsewhere", "omitted", "local-addition"}
    [coverage] = data["coverage"]
    assert (coverage["derived"], coverage["covered-elsewhere"], coverage["omitted"]) == (4, 1, 1)


def test_a_town_naming_no_source_needs_against() -> None:
    result = cli("diff", DATA / "ohne-herkunft.toml")
    assert result.exit_code == 2
    assert "names no source in based-on" in result.stderr
    result = cli("diff", DATA / "ohne-herkunft.toml", "--against", "smart-city-charta")
    assert result.exit_code == 0
    assert "lineage none-named" in result.stdout
    assert "24 not addressed" in result.stdout


def test_an_unknown_source_is_an_input_error_with_a_suggestion() -> None:
    result = cli("diff", EXAMPLE, "--against", "smart-city-chart")
    assert result.exit_code == 2
    assert "did you mean 'smart-city-charta'?" in result.stderr


# ---------------------------------------------------------------------------
# 2. Versions


def test_versions_are_aligned_by_id() -> None:
    old, new = charta.load(V1), charta.load(V2)
    result = between_versions(old, new)
    assert sorted(classes(result)) == sorted(
        [
            "merged",
            "split",
            "removed",
            "added",
            "renumbered",
            "reworded",
            "moved",
            "link-added",
            "retitled",
            "renumbered",
            "renumbered",
            "link-removed",
            "facts-changed",  # edition 1 -> 2
        ]
    )
    merged = next(c for c in result.changes if c.change_class is ChangeClass.MERGED)
    assert (merged.item, merged.other) == ("klima-und-ressourcen", "klima,ressourcen")
    split = next(c for c in result.changes if c.change_class is ChangeClass.SPLIT)
    assert (split.item, split.other) == ("wirtschaft,innovation", "wirtschaft")
    reworded = next(c for c in result.changes if c.change_class is ChangeClass.REWORDED)
    assert inserted(reworded.words) == ["und sicher"]
    [cause] = reworded.causes
    assert (cause.comment_id, cause.comment_by, cause.response_id) == ("k-1", "Person 1", "a-1")
    assert between_versions(new, new).changes == ()


def test_a_version_diff_never_names_a_commenter_who_did_not_consent() -> None:
    for fmt in ("text", "json", "markdown"):
        out = cli("diff", V1, V2, "--format", fmt).stdout
        assert "Quast" not in out
        assert "kq@example.org" not in out
        assert "Person 1" in out


# ---------------------------------------------------------------------------
# 3. Towns, 4. upstream


def test_two_towns_are_aligned_through_their_sources() -> None:
    a, b = charta.load(EXAMPLE), charta.load("examples/musterkreis/leitlinien.toml")
    result = between_towns(a, b)
    shared = [c for c in result.changes if c.change_class is ChangeClass.SHARED_SOURCE]
    assert [(c.item, c.other, c.source) for c in shared] == [
        ("mensch-im-mittelpunkt", "mensch-zuerst", "smart-city-charta#leitbild-3"),
        ("mission-lebenswert", "klimaschutz-digital", "smart-city-charta#leitbild-4"),
    ]
    assert shared[0].words  # both hold texts: their difference is shown
    assert {"only-left", "only-right"} <= set(classes(result))


def test_a_new_edition_of_a_source_lists_the_principles_to_review() -> None:
    old = charta.get_source("smart-city-charta")
    new = charta.load(DATA / "smart-city-charta-2099.toml")
    result = upstream(old, new, [charta.load(EXAMPLE)])
    found = {(c.change_class.value, c.item, c.source) for c in result.changes}
    assert ("source-changed", "vorne-dabei", "smart-city-charta#leitbild-5") in found
    assert ("source-removed", "", "smart-city-charta#leitlinie-1-3") in found  # an omission
    assert ("source-added", "", "smart-city-charta#leitlinie-4-4") in found
    cli_result = cli(
        "diff",
        "smart-city-charta",
        DATA / "smart-city-charta-2099.toml",
        "--for",
        EXAMPLE,
        "--fail-on",
        "error",
    )
    assert cli_result.exit_code == 1  # a removed item is an error by default


def test_two_different_sources_are_refused() -> None:
    result = cli("diff", "smart-city-charta", "digitalakademie-bw")
    assert result.exit_code == 2
    assert "two different sources" in result.stderr


def test_a_town_and_a_source_need_against() -> None:
    result = cli("diff", EXAMPLE, "smart-city-charta")
    assert result.exit_code == 2
    assert "use --against" in result.stderr


# ---------------------------------------------------------------------------
# Classes, levels, exit codes, fingerprints


def test_every_class_is_one_row_with_every_field_filled() -> None:
    codes = [c.value for c in ChangeClass]
    # @enum.unique refuses a second row with a code already used; a row without a
    # field fails at import (ChangeClass.__new__ takes each one).
    assert len(ChangeClass.__members__) == len(ChangeClass) == len(set(codes))
    for cls in ChangeClass:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", cls.value), cls
        assert cls.name == cls.value.upper().replace("-", "_"), cls
        assert isinstance(cls.default_level, Level), cls
        assert cls.comparison in COMPARISONS, cls
        assert cls.meaning.strip() == cls.meaning, cls
        assert cls.meaning, cls
        assert "|" not in cls.meaning, cls  # it stands in a Markdown table
        assert "\n" not in cls.meaning, cls
    assert COMPARISONS == ("sources", "versions", "towns", "upstream")


def test_each_comparison_reports_only_its_own_classes() -> None:
    # The comparison column of the table is true: checked on one run of each.
    for args, comparison in (
        ([EXAMPLE], "sources"),
        ([V1, V2], "versions"),
        ([EXAMPLE, "examples/musterkreis/leitlinien.toml"], "towns"),
        (
            ["smart-city-charta", str(DATA / "smart-city-charta-2099.toml"), "--for", EXAMPLE],
            "upstream",
        ),
    ):
        data = json.loads(cli("diff", *args, "--format", "json").stdout)
        assert data["comparison"] == comparison
        assert data["changes"]
        for change in data["changes"]:
            assert ChangeClass(change["class"]).comparison == comparison, change["class"]


def test_the_views_of_the_classes_are_drawn_from_the_table() -> None:
    schema = json_schema()
    defs = schema["$defs"]
    assert defs["ChangeClass"]["enum"] == [c.value for c in ChangeClass]
    assert defs["ChangeRecord"]["properties"]["class"] == {
        "description": "The change class (``docs/diff.md`` lists them).",
        "$ref": "#/$defs/ChangeClass",
    }
    assert schema["properties"]["comparison"]["enum"] == list(COMPARISONS)
    table = classes_markdown().splitlines()[2:]
    assert table == [
        f"| `{c.value}` | {c.default_level.value} | {c.meaning} |" for c in ChangeClass
    ]
    diff = between_versions(charta.load(V1), charta.load(V2))
    assert all(c.level is c.change_class.default_level for c in diff.changes)


def test_docs_class_table_is_generated_from_the_classes() -> None:
    text = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    start, end = "<!-- classes: start -->\n", "<!-- classes: end -->"
    assert start in text, "docs/diff.md lost its class table markers"
    table = text.split(start, 1)[1].split(end, 1)[0]
    assert table == classes_markdown(), (
        "docs/diff.md: the class table differs from charta.diff.classes; paste the output of "
        "`python -c 'import charta.diff as d; print(d.classes_markdown(), end=\"\")'` "
        "between the markers"
    )


def test_exit_codes() -> None:
    assert cli("diff", V1, V1).exit_code == 0
    assert cli("diff", V1, V1, "--exit-code").exit_code == 0
    assert cli("diff", V1, V2).exit_code == 0
    assert cli("diff", V1, V2, "--exit-code").exit_code == 1
    assert cli("diff", V1, V2, "--fail-on", "warning").exit_code == 1
    assert cli("diff", V1, V2, "--fail-on", "error").exit_code == 0
    assert cli("diff", V1, "missing.toml").exit_code == 2
    assert cli("diff", V1, V2, "x.toml").exit_code == 2
    assert cli("diff", V1, V2, "--at", "2020").exit_code == 2


def test_a_levels_file_sets_and_drops_classes(tmp_path: Path) -> None:
    levels = tmp_path / "levels.txt"
    levels.write_text("# ours\nreworded error\nremoved none  # reviewed\n", encoding="utf-8")
    result = cli("diff", V1, V2, "--levels", levels, "--format", "json", "--fail-on", "error")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {c["level"] for c in data["changes"] if c["class"] == "reworded"} == {"error"}
    assert "removed" not in {c["class"] for c in data["changes"]}


@pytest.mark.parametrize(
    ("content", "line", "complaint"),
    [
        ("reworded\n", 1, "write a class and a level"),
        ("\nreworked error\n", 2, "unknown class 'reworked' (did you mean 'reworded'?)"),
        ("reworded fatal\n", 1, "'fatal' is not info, warning, error or none"),
    ],
)
def test_a_bad_levels_file_names_file_and_line(
    tmp_path: Path, content: str, line: int, complaint: str
) -> None:
    levels = tmp_path / "levels.txt"
    levels.write_text(content, encoding="utf-8")
    result = cli("diff", V1, V2, "--levels", levels)
    assert result.exit_code == 2
    assert f"{levels}:{line}:" in result.stderr
    assert complaint in result.stderr


def test_an_ignore_file_stops_reviewed_changes_failing(tmp_path: Path) -> None:
    data = json.loads(cli("diff", V1, V2, "--format", "json").stdout)
    warnings = [c["fingerprint"] for c in data["changes"] if c["level"] == "warning"]
    ignore = tmp_path / "reviewed.txt"
    ignore.write_text("\n".join(f"{f}  # reviewed" for f in warnings) + "\n", encoding="utf-8")
    assert cli("diff", V1, V2, "--ignore", ignore, "--fail-on", "warning").exit_code == 0
    ignore.write_text("not-a-fingerprint\n", encoding="utf-8")
    bad = cli("diff", V1, V2, "--ignore", ignore)
    assert bad.exit_code == 2
    assert f"{ignore}:1:" in bad.stderr


def test_fingerprints_are_stable_and_distinct() -> None:
    first = json.loads(cli("diff", V1, V2, "--format", "json").stdout)["changes"]
    again = json.loads(cli("diff", V1, V2, "--format", "json").stdout)["changes"]
    assert [c["fingerprint"] for c in first] == [c["fingerprint"] for c in again]
    assert len({c["fingerprint"] for c in first}) == len(first)


def test_the_json_output_matches_its_schema() -> None:
    import jsonschema

    schema = json.loads(cli("schema", "--for", "diff").stdout)
    for args in ([V1, V2], [EXAMPLE], [EXAMPLE, "--at", "2020-10-31"]):
        data = json.loads(cli("diff", *args, "--format", "json").stdout)
        jsonschema.validate(data, schema)


# ---------------------------------------------------------------------------
# Golden files for every output format


CASES = {
    "sindelfingen-at": [EXAMPLE, "--at", "2020-10-31"],
    "sindelfingen-sources": [EXAMPLE],
    "musterstadt-versions": [V1, V2],
    "anpassung-sources": [str(DATA / "anpassung.toml")],
    "towns": [EXAMPLE, "examples/musterkreis/leitlinien.toml"],
    "upstream": ["smart-city-charta", str(DATA / "smart-city-charta-2099.toml"), "--for", EXAMPLE],
}


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("case", CASES)
def test_golden_outputs(case: str, fmt: str, golden: Golden) -> None:
    result = cli("diff", *CASES[case], "--format", fmt)
    assert result.exit_code == 0, result.output
    suffix = {"text": "txt", "json": "json", "markdown": "md"}[fmt]
    golden(f"diff/{case}.{suffix}", result.stdout)


# ---------------------------------------------------------------------------
# The word diff, for German texts


def test_words_keep_umlauts_sharp_s_and_compounds() -> None:
    assert tokens("Straße größer Digitalisierungs-Projekte und -Pläne E-Mail") == [
        "Straße",
        "größer",
        "Digitalisierungs-Projekte",
        "und",
        "-Pläne",
        "E-Mail",
    ]
    assert tokens("(be-)greifbar") == ["(", "be-", ")", "greifbar"]


def test_quotes_and_punctuation_are_their_own_tokens() -> None:
    assert tokens("„Smart City“ und “offen”, fertig.") == [
        "„",
        "Smart",
        "City",
        "“",
        "und",
        "“",
        "offen",
        "”",
        ",",
        "fertig",
        ".",
    ]
    pieces = diff_words("die „Smart City“-Strategie.", "die „Digitale Stadt“-Strategie.")
    assert deleted(pieces) == ["Smart City"]
    assert inserted(pieces) == ["Digitale Stadt"]


def test_rewrapped_lines_spacing_and_soft_hyphens_are_no_change() -> None:
    old = "Die Stadt fördert\ndie Digitali\u00adsierung   aller Schulen."
    new = "Die Stadt fördert die Digitalisierung aller Schulen."
    assert all(p.op is Op.EQUAL for p in diff_words(old, new))


def test_a_changed_word_inside_a_compound_is_the_whole_compound() -> None:
    pieces = diff_words("Digitalisierungs-Projekte", "Digitalisierungs-Vorhaben")
    assert deleted(pieces) == ["Digitalisierungs-Projekte"]
    assert inserted(pieces) == ["Digitalisierungs-Vorhaben"]


def test_punctuation_attached_to_a_word_is_compared_apart() -> None:
    pieces = diff_words("Wir handeln.", "Wir handeln!")
    assert (deleted(pieces), inserted(pieces)) == (["."], ["!"])


def test_markers_are_text_and_colour_never_alone() -> None:
    out = cli("diff", V1, V2, color=True).stdout
    assert "{+und sicher+}" in out


def test_no_colour_when_not_a_terminal_or_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" not in cli("diff", V1, V2).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("diff", V1, V2).stdout


# ---------------------------------------------------------------------------
# git diff shows the semantic diff


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_shows_the_semantic_diff(tmp_path: Path) -> None:
    charta_cmd = Path(sys.executable).parent / "charta"
    assert charta_cmd.exists(), "the charta script must be installed next to this Python"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(tmp_path), *args],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout

    git("init", "-q")
    git("config", "user.email", "clerk@example.org")
    git("config", "user.name", "Clerk")
    git("config", "diff.charta.command", f"{charta_cmd} diff --git")
    (tmp_path / ".gitattributes").write_text("*.toml diff=charta\n", encoding="utf-8")
    shutil.copy(ROOT / V1, tmp_path / "leitmotive.toml")
    git("add", ".")
    git("commit", "-q", "-m", "Fassung 1")
    shutil.copy(ROOT / V2, tmp_path / "leitmotive.toml")
    out = git("diff")
    assert out.startswith("charta diff leitmotive.toml\n")
    assert "{+und sicher+}" in out
    assert "'klima' + 'ressourcen' are merged into 'klima-und-ressourcen'" in out
    assert " leitmotive.toml:" in out
    assert "git-blob" not in out
    assert "/tmp" not in out
    git("commit", "-q", "-am", "Fassung 2")
    assert "merged" in git("log", "-p", "-1", "--ext-diff")


# ---------------------------------------------------------------------------
# docs/diff.md shows real output


def test_the_console_examples_in_the_docs_are_real_output(request: pytest.FixtureRequest) -> None:

    path = ROOT / "docs" / "diff.md"
    text = path.read_text(encoding="utf-8")
    blocks = list(re.finditer(r"```console\n\$ (charta diff [^\n]*)\n(.*?)```", text, re.S))
    assert len(blocks) >= 6
    update = request.config.getoption("--update-goldens")
    out = text
    for m in reversed(blocks):
        command, shown = m.group(1), m.group(2)
        args = command.split()[2:]
        real = cli("diff", *args).stdout
        if update:
            kept = (
                len(shown.splitlines())
                if len(shown.splitlines()) < len(real.splitlines())
                else None
            )
            new = "".join(real.splitlines(True)[:kept]) if kept else real
            out = out[: m.start(2)] + new + out[m.end(2) :]
        else:
            # A block may show only the first lines of a long output.
            assert real.startswith(shown), f"docs/diff.md: `{command}` prints something else now"
    if update:
        path.write_text(out, encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_ci_script_of_the_examples_in_a_real_repository(tmp_path: Path) -> None:
    # The GitLab and GitHub examples both call examples/ci/charta-ci.sh: run it.
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=tmp_path, capture_output=True, text=True, check=check, env=env
        )

    run("git", "init", "-q", "-b", "main")
    run("git", "config", "user.email", "clerk@example.org")
    run("git", "config", "user.name", "Clerk")
    (tmp_path / "ci").mkdir()
    shutil.copy(ROOT / "examples" / "ci" / "charta-ci.sh", tmp_path / "ci" / "charta-ci.sh")
    shutil.copy(ROOT / V1, tmp_path / "leitmotive.toml")
    run("git", "add", ".")
    run("git", "commit", "-q", "-m", "Fassung 1")
    run("git", "checkout", "-q", "-b", "entwurf")
    shutil.copy(ROOT / V2, tmp_path / "leitmotive.toml")
    ok = run("bash", "ci/charta-ci.sh", "leitmotive.toml", "main", "error", check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    comment = (tmp_path / "charta-diff.md").read_text(encoding="utf-8")
    assert comment.startswith("## charta diff:")
    assert "**＋ und sicher**" in comment
    strict = run("bash", "ci/charta-ci.sh", "leitmotive.toml", "main", "warning", check=False)
    assert strict.returncode == 1
    (tmp_path / "reviewed.txt").write_text(
        "\n".join(
            c["fingerprint"]
            for c in json.loads(cli("diff", V1, V2, "--format", "json").stdout)["changes"]
        )
        + "\n",
        encoding="utf-8",
    )
    reviewed = run("bash", "ci/charta-ci.sh", "leitmotive.toml", "main", "warning", check=False)
    assert reviewed.returncode == 0, reviewed.stdout + reviewed.stderr
    (tmp_path / "leitmotive.toml").write_text("id = 5\n", encoding="utf-8")
    broken = run("bash", "ci/charta-ci.sh", "leitmotive.toml", "main", check=False)
    assert broken.returncode == 1
    assert "invalid" in broken.stderr


def test_the_pre_commit_hooks_run_charta() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entries = [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("  entry:")
    ]
    assert entries == ["charta validate", "charta validate --strict"]
    for entry in entries:
        args = entry.split()[1:]
        assert cli(*args, EXAMPLE).exit_code == 0


def test_the_diff_schema_in_docs_is_the_one_the_command_prints() -> None:
    printed = cli("schema", "--for", "diff").stdout
    assert (ROOT / "docs" / "diff.schema.json").read_text(encoding="utf-8") == printed


def test_hostile_text_is_escaped_in_every_diff_format(tmp_path: Path) -> None:
    evil = "Ti\\u202etel <script>alert(1)</script> | `x` *y* \\u001b[2J"
    old = (ROOT / V1).read_text(encoding="utf-8")
    new = old.replace('title = "Offen für alle"', f'title = "{evil}"')
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    for fmt in ("text", "json", "markdown"):
        out = cli("diff", a, b, "--format", fmt).stdout
        assert "\u202e" not in out
        assert "\x1b" not in out
        if fmt == "markdown":
            assert "<script>" not in out
            assert "\\<script\\>" in out
            assert "\\| \\`x\\` \\*y\\*" in out
        if fmt == "json":
            assert json.loads(out)["changes"]


# ---------------------------------------------------------------------------
# Found by the review of issue 7


PRIVATE_V1 = """format = 1
id = "privat"
title = "Leitmotive"
kind = "local"
status = "draft"

[issuer]
body = "Stadt Musterstadt"

[[items]]
id = "a"
title = "Text von Erika Quast"
text = "Erster Text."

[[omissions]]
ref = "smart-city-charta#leitbild-2"
reason = "Frau Quast meinte, das passe nicht (quast@example.org)."

[[covered-elsewhere]]
ref = "smart-city-charta#leitbild-3"
where = "Kapitel von Quast"
"""


def _private_pair(tmp_path: Path) -> tuple[Path, Path]:
    consultation = """
[consultation]
start = 2024-04-01

[[consultation.comments]]
id = "k-1"
text = "Bitte ändern. Erika Quast"

[consultation.comments.commenter]
name = "Erika Quast"
email = "quast@example.org"
pseudonym = "Person 1"
"""
    old = tmp_path / "alt.toml"
    new = tmp_path / "neu.toml"
    old.write_text(PRIVATE_V1 + consultation, encoding="utf-8")
    changed = PRIVATE_V1.replace(
        'text = "Erster Text."',
        'text = "Zweiter Text."\n\n[[items.revisions]]\nfield = "text"\n'
        'before = "Erster Text."\nafter = "Zweiter Text."\ndate = 2024-04-20\n'
        'reason = "Auf Anregung von Frau Quast (quast@example.org)."\ncaused-by = ["k-1"]',
    )
    new.write_text(changed + consultation, encoding="utf-8")
    return old, new


def test_no_diff_output_names_a_commenter_who_did_not_consent(tmp_path: Path) -> None:
    old, new = _private_pair(tmp_path)
    runs = [
        [old, new],
        [new, "--at", "2024-04-10"],
        [new, "--before-consultation"],
        [new, "--against", "smart-city-charta"],
        [new, EXAMPLE],
    ]
    for args in runs:
        for fmt in ("text", "json", "markdown"):
            result = cli("diff", *args, "--format", fmt)
            assert result.exit_code == 0, result.output
            assert "Quast" not in result.stdout, (args, fmt)
            assert "quast@example.org" not in result.stdout, (args, fmt)


def test_colour_on_a_real_terminal_keeps_its_codes(tmp_path: Path) -> None:
    import pty

    charta_cmd = str(Path(sys.executable).parent / "charta")
    out = bytearray()

    def read(fd: int) -> bytes:
        data = os.read(fd, 1024)
        out.extend(data)
        return data

    env_backup = os.environ.pop("NO_COLOR", None)
    try:
        pty.spawn([charta_cmd, "diff", str(ROOT / V1), str(ROOT / V2)], read)
    finally:
        if env_backup is not None:
            os.environ["NO_COLOR"] = env_backup
    text = out.decode("utf-8", "replace")
    assert "\x1b[32m{+und sicher+}" in text  # a real colour code around the marker
    assert "\\x1b" not in text  # never an escaped colour code


def test_a_version_diff_reads_the_consultation_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # public_view ran once per change: 2,000 items took minutes.
    import charta.diff.compare

    calls = [0]
    original = charta.diff.compare.public_view

    def counted(c: object) -> object:
        calls[0] += 1
        return original(c)  # type: ignore[arg-type]

    monkeypatch.setattr(charta.diff.compare, "public_view", counted)
    between_versions(charta.load(V1), charta.load(V2))
    assert calls[0] == 2


def test_link_changes_and_editions(tmp_path: Path) -> None:
    old = (ROOT / V1).read_text(encoding="utf-8")
    new = old.replace(
        'ref = "smart-city-charta#leitbild-4"\nrelation = "adapted"\nconfidence = "medium"\n'
        'asserted-by = "record-keeper"',
        'ref = "smart-city-charta@2017#leitbild-4"\nrelation = "corresponds"\n'
        'confidence = "high"\nasserted-by = "issuer"',
    )
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    data = json.loads(cli("diff", a, b, "--format", "json").stdout)
    assert [c["class"] for c in data["changes"]] == ["link-changed"]
    message = data["changes"][0]["message"]
    assert "relation adapted -> corresponds" in message
    assert "asserted by record-keeper -> issuer" in message


def test_a_new_source_edition_without_for_lists_its_changes() -> None:
    result = cli(
        "diff", "smart-city-charta", DATA / "smart-city-charta-2099.toml", "--format", "json"
    )
    found = {(c["class"], c["source"]) for c in json.loads(result.stdout)["changes"]}
    assert ("source-changed", "smart-city-charta#leitbild-5") in found
    assert ("source-removed", "smart-city-charta#leitlinie-1-3") in found
    first = json.loads(result.stdout)["changes"]
    again = json.loads(
        cli(
            "diff", "smart-city-charta", DATA / "smart-city-charta-2099.toml", "--format", "json"
        ).stdout
    )["changes"]
    assert first == again


def test_towns_meet_through_the_file_a_path_names(tmp_path: Path) -> None:
    shutil.copy(ROOT / DATA / "musterquelle.toml", tmp_path / "musterquelle.toml")
    (tmp_path / "sub").mkdir()
    here = (ROOT / DATA / "anpassung.toml").read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(here.replace("musterquelle.toml", "./musterquelle.toml"))
    other = here.replace('id = "anpassung"', 'id = "andere"').replace(
        "musterquelle.toml", "../musterquelle.toml"
    )
    (tmp_path / "sub" / "b.toml").write_text(other)
    data = json.loads(
        cli("diff", tmp_path / "a.toml", tmp_path / "sub" / "b.toml", "--format", "json").stdout
    )
    assert {c["class"] for c in data["changes"]} == {"shared-source"}


def test_fingerprints_tell_what_exactly_changed(tmp_path: Path) -> None:
    prints = []
    for label in ("7", "9"):
        b = tmp_path / f"b{label}.toml"
        b.write_text(
            (ROOT / V1).read_text(encoding="utf-8").replace('label = "2"', f'label = "{label}"'),
            encoding="utf-8",
        )
        [change] = json.loads(cli("diff", V1, b, "--format", "json").stdout)["changes"]
        prints.append(change["fingerprint"])
    assert prints[0] != prints[1]


def test_a_verbatim_adoption_is_no_difference_for_exit_code(tmp_path: Path) -> None:
    verbatim = tmp_path / "wortgleich.toml"
    verbatim.write_text(
        (ROOT / DATA / "anpassung.toml")
        .read_text(encoding="utf-8")
        .replace("musterquelle.toml", str(ROOT / DATA / "musterquelle.toml")),
        encoding="utf-8",
    )
    text = verbatim.read_text(encoding="utf-8")
    only_first = text.split('\n[[items]]\nid = "daten"')[0]
    verbatim.write_text(only_first, encoding="utf-8")
    result = cli(
        "diff",
        verbatim,
        "--against",
        str(ROOT / DATA / "musterquelle.toml"),
        "--exit-code",
    )
    assert "(the same wording)" in result.stdout
    found = against_sources(charta.load(verbatim), [charta.load(ROOT / DATA / "musterquelle.toml")])
    [same] = [c for c in found.changes if c.change_class is ChangeClass.DERIVED]
    assert same.identical
    assert same not in found.differences  # --exit-code counts differences only
    assert len(found.differences) == len(found.changes) - 1
    renamed = tmp_path / "umbenannt.toml"
    renamed.write_text(only_first.replace('title = "Für alle"', 'title = "Für alle Menschen"', 1))
    out = cli("diff", renamed, "--against", str(ROOT / DATA / "musterquelle.toml")).stdout
    assert "the title differs: „Für alle“ -> „Für alle Menschen“" in out


def test_a_title_change_of_white_space_is_no_change(tmp_path: Path) -> None:
    b = tmp_path / "b.toml"
    b.write_text(
        (ROOT / V1)
        .read_text(encoding="utf-8")
        .replace('title = "Offen für alle"', 'title = "Of\\u00adfen  für\\nalle"'),
        encoding="utf-8",
    )
    result = cli("diff", V1, b, "--exit-code")
    assert result.exit_code == 0, result.stdout
    assert "no differences" in result.stdout


def test_markdown_mentions_nobody(tmp_path: Path) -> None:
    b = tmp_path / "b.toml"
    b.write_text(
        (ROOT / V1)
        .read_text(encoding="utf-8")
        .replace('title = "Offen für alle"', 'title = "Offen für @all &amp; @stadtrat"'),
        encoding="utf-8",
    )
    md = cli("diff", V1, b, "--format", "markdown").stdout
    assert "@all" not in md
    assert "&#64;all" in md
    assert "&amp;amp;" in md


def test_a_verbatim_adopter_has_no_differences() -> None:
    result = cli("diff", DATA / "wortgleich.toml", "--exit-code")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("(the same wording)") == 6
    assert "6 addressed of the 6 known items (6 taken" in result.stdout


def test_a_version_diff_reports_dispositions_and_facts(tmp_path: Path) -> None:
    old = (ROOT / DATA / "anpassung.toml").read_text(encoding="utf-8")
    new = (
        old.replace('status = "draft"', 'status = "adopted"')
        .replace("Bildung ist Aufgabe des Landkreises.", "Bildung regelt der Kreis.")
        .replace('where = "Kapitel 6: Interkommunale Zusammenarbeit"\n', 'where = "Kapitel 7"\n')
    )
    shutil.copy(ROOT / DATA / "musterquelle.toml", tmp_path / "musterquelle.toml")
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(old, encoding="utf-8")
    b.write_text(new + '\n[adoption]\nbody = "Gemeinderat"\n', encoding="utf-8")
    data = json.loads(cli("diff", a, b, "--format", "json").stdout)
    messages = [(c["class"], c["message"]) for c in data["changes"]]
    assert ("facts-changed", "status: draft -> adopted") in messages
    assert ("facts-changed", "adoption: (none) -> Gemeinderat; verified") in messages
    assert any(
        cls == "disposition-changed" and "left out, changed: Bildung ist" in m
        for cls, m in messages
    )
    assert any(
        cls == "disposition-changed" and "covered elsewhere, changed" in m for cls, m in messages
    )


def test_at_before_the_first_revision_of_a_file_without_consultation(tmp_path: Path) -> None:
    text = (ROOT / V2).read_text(encoding="utf-8").split("\n[consultation]")[0]
    text = text.replace('caused-by = ["k-1"]\n', "")
    path = tmp_path / "ohne.toml"
    path.write_text(text, encoding="utf-8")
    early = cli("diff", path, "--at", "2024-01-01")
    assert early.exit_code == 2
    assert "before the first revision (2024-05-02)" in early.stderr
    assert cli("diff", path, "--at", "2024-05-01").exit_code == 2
    assert cli("diff", path, "--at", "2024-05-02").exit_code == 0


def test_towns_list_what_neither_takes_and_against_takes_an_edition() -> None:
    data = json.loads(
        cli("diff", EXAMPLE, "examples/musterkreis/leitlinien.toml", "--format", "json").stdout
    )
    neither = [c["source"] for c in data["changes"] if c["class"] == "neither"]
    assert "smart-city-charta#leitbild-2" in neither
    assert cli("diff", EXAMPLE, "--against", "smart-city-charta@2021").exit_code == 0
    wrong = cli("diff", EXAMPLE, "--against", "smart-city-charta@2019")
    assert wrong.exit_code == 2
    assert "has no edition '2019'" in wrong.stderr


def test_a_compound_rewrapped_at_its_hyphen_is_no_change() -> None:
    pieces = diff_words("Alle Digitalisierungs-Projekte", "Alle Digitalisierungs-\n  Projekte")
    assert all(p.op is Op.EQUAL for p in pieces)


# ---------------------------------------------------------------------------
# The package's rooms: its public API, and imports that run one way

DIFF_PACKAGE = ROOT / "src" / "charta" / "diff"


def test_the_package_names_its_public_api() -> None:
    import charta.diff

    assert set(charta.diff.__all__) == set(charta.diff._WHERE)
    for name in charta.diff.__all__:
        module = importlib.import_module(charta.diff._WHERE[name])
        assert getattr(charta.diff, name) is getattr(module, name), name
        assert name in module.__all__, f"{module.__name__} does not list {name} as public"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = charta.diff.nothing


def test_imports_in_the_diff_package_run_one_way() -> None:
    """No circle back from the capability, no private name across modules, and a
    function-local import only where it is lazy on purpose (and says why)."""
    import ast

    seen: set[str] = set()
    for path in sorted(DIFF_PACKAGE.glob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        top = {id(node) for node in tree.body}
        guarded = {  # the `if TYPE_CHECKING:` block of __init__.py
            id(node) for block in tree.body if isinstance(block, ast.If) for node in block.body
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [str(node.module)]
            )
            seen.update(modules)
            where = f"{path.name}:{node.lineno}"
            for module in modules:
                assert not module.startswith(
                    ("charta.cli", "charta.render", "charta.consult", "charta.derive")
                ), f"{where} imports {module}: the diff capability must not"
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{where} imports the private {private} from {node.module}"
            if id(node) not in top and id(node) not in guarded:
                assert "# lazy: " in lines[node.lineno - 1], f"{where}: a local import says why"
    assert {"charta.diff.classes", "charta.model", "difflib"} <= seen  # the walk sees them


def test_the_word_diff_loads_neither_the_reader_nor_the_writers() -> None:
    # The page renderers import charta.diff.words at start.
    code = (
        "import sys, charta.diff.words, charta.diff.compare; "
        "print(' '.join(m for m in sys.modules if m.startswith(('charta', 'jinja2'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = set(done.stdout.split())
    assert "charta.diff.compare" in loaded  # the check sees what is loaded at all
    for module in ("charta.diff.run", "charta.diff.markdown", "charta.check.loading", "jinja2"):
        assert module not in loaded, module
