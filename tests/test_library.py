"""Library first: each command's result equals what its documented library function returns.

A command parses its arguments, calls one public function and prints.  Each test
here runs a command and the function it calls on the same input (edits on two
copies of the same files) and compares the two results byte for byte, so that no
rule can live in the command alone.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from charta.adapters.toml.edit import edit_text
from charta.check.loading import open_charta
from charta.cli import main
from charta.diff import before_consultation
from charta.model import Assertion, Confidence, Decision, Knowledge, PartialDate, Reference
from charta.model import Relation as Rel

ROOT = Path(__file__).resolve().parent.parent
SINDELFINGEN = ROOT / "examples" / "sindelfingen"
EXAMPLE = SINDELFINGEN / "leitmotive.toml"
MUSTERSTADT = ROOT / "examples" / "musterstadt" / "leitmotive.toml"
MUSTERKREIS = ROOT / "examples" / "musterkreis" / "leitlinien.toml"


def cli(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def town_copy(folder: Path) -> Path:
    folder.mkdir()
    for name in ("leitmotive.toml", "leitmotive.personal.toml"):
        shutil.copy(SINDELFINGEN / name, folder / name)
    return folder / "leitmotive.toml"


def draft_copy(folder: Path) -> Path:
    """Sindelfingen's Leitmotive as put to consultation: no comments, #2 not amended."""
    folder.mkdir()
    old = open_charta(str(EXAMPLE))
    before = before_consultation(old)
    assert before.consultation is not None
    before = attrs.evolve(
        before, consultation=attrs.evolve(before.consultation, comments=(), responses=())
    )
    path = folder / "leitmotive.toml"
    path.write_text(edit_text(EXAMPLE.read_text(encoding="utf-8"), old, before), "utf-8")
    return path


def same_folders(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# ---------------------------------------------------------------------------
# Commands that print


def test_validate() -> None:
    from charta.check.run import validate_files

    result = cli("validate", "--format", "json", EXAMPLE, MUSTERSTADT)
    assert result.exit_code == 0
    assert result.stdout == validate_files([str(EXAMPLE), str(MUSTERSTADT)]).json()


def test_validate_fails_where_the_library_says(tmp_path: Path) -> None:
    from charta.check.run import validate_files
    from charta.errors import Level

    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\nid = "x"\n', encoding="utf-8")
    result = cli("validate", "--format", "json", "--fail-on", "warning", bad)
    library = validate_files([str(bad)], fail_on=Level.WARNING)
    assert result.exit_code == (0 if library.ok else 1) == 1
    assert result.stdout == library.json()


def test_rules() -> None:
    from charta.check.run import rules_json

    assert cli("rules", "--format", "json").stdout == rules_json()


def test_sources() -> None:
    from charta.adapters.text import sources_table
    from charta.check.run import installed_sources

    assert cli("sources").stdout == sources_table(installed_sources().sources) + "\n"


@pytest.mark.parametrize(
    "ref",
    [
        "smart-city-charta",
        "smart-city-charta#leitlinie-2-1",
        f"{EXAMPLE}#vorne-dabei",
        f"{MUSTERSTADT}",
    ],
)
def test_show(ref: str) -> None:
    from charta.render.show import show, show_text

    assert cli("show", ref).stdout == show_text(show(Reference.parse(ref))) + "\n"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((str(EXAMPLE),), {}),
        ((str(EXAMPLE),), {"before_consultation": True}),
        ((str(MUSTERSTADT), str(EXAMPLE)), {}),
    ],
)
def test_diff(args: tuple[str, ...], kwargs: dict[str, object]) -> None:
    from charta.diff import diff_json
    from charta.diff.run import run_diff

    flags = ["--before-consultation"] if kwargs.get("before_consultation") else []
    result = cli("diff", *args, *flags, "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == diff_json(run_diff(list(args), **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "function"),
    [
        ("charta", "charta.adapters.schema:json_schema"),
        ("validate", "charta.check.run:validation_schema"),
        ("rules", "charta.check.run:rules_schema"),
        ("trace", "charta.derive.trace:trace_schema"),
        ("suggest", "charta.derive.files:suggestions_schema"),
        ("report", "charta.consult.report:report_schema"),
    ],
)
def test_schema(kind: str, function: str) -> None:
    import importlib

    module, name = function.split(":")
    made: Callable[[], object] = getattr(importlib.import_module(module), name)
    assert json.loads(cli("schema", "--for", kind).stdout) == made()


@pytest.mark.parametrize("fmt", ["html", "toml", "json", "markdown", "prov-json", "prov-n"])
def test_render(fmt: str) -> None:
    from charta.render.run import render

    assert cli("render", EXAMPLE, "--format", fmt).stdout == render(str(EXAMPLE), fmt)


def test_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from charta.derive.files import new_draft

    monkeypatch.chdir(tmp_path)
    result = cli(
        "new", "--town", "Musterstadt", "--from", "smart-city-charta", "--item", "leitbild-1"
    )
    assert result.exit_code == 0, result.output
    draft = new_draft("Musterstadt", ["smart-city-charta"], items=["leitbild-1"])
    assert result.stdout == draft.text


def test_suggest() -> None:
    from charta.derive.files import suggest_for_file

    result = cli("suggest", MUSTERKREIS, "--format", "json", "--top", "2")
    assert result.stdout == suggest_for_file(str(MUSTERKREIS), top=2).json()


def test_trace() -> None:
    from charta.derive.files import trace_item
    from charta.derive.trace import trace_json

    result = cli("trace", f"{MUSTERSTADT}#vorne-dabei", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == trace_json(trace_item(str(MUSTERSTADT), "vorne-dabei"))


@pytest.mark.parametrize("fmt", ["html", "markdown", "csv", "json"])
def test_consult_report(fmt: str) -> None:
    from charta.consult.files import report_file

    for internal in (False, True):
        flags = ["--internal"] if internal else []
        result = cli("consult", "report", EXAMPLE, "--format", fmt, *flags)
        made = report_file(str(EXAMPLE), fmt, internal=internal)
        assert result.stdout_bytes == made.encode("utf-8")  # bytes: the CSV's CRLF too


# ---------------------------------------------------------------------------
# Commands that change files: the command on one copy, the function on another

DAY = PartialDate(2026, 12, 1)


@pytest.mark.parametrize(
    ("args", "call"),
    [
        (
            ["adapt", "{f}#vorne-dabei", "--text", "Neu.", "--reason", "Kürzer.", "--date", DAY],
            lambda f: __import__("charta.derive.files").derive.files.adapt_file(
                f, "vorne-dabei", text="Neu.", reason="Kürzer.", date=DAY
            ),
        ),
        (
            ["merge", "{f}", "kulturwandel", "know-how", "--date", DAY, "--reason", "Eins."],
            lambda f: __import__("charta.derive.files").derive.files.merge_file(
                f, ["kulturwandel", "know-how"], date=DAY, reason="Eins."
            ),
        ),
        (
            ["omit", "{f}", "smart-city-charta#leitbild-2", "--reason", "Passt nicht."],
            lambda f: __import__("charta.derive.files").derive.files.omit_file(
                f, Reference.parse("smart-city-charta#leitbild-2"), "Passt nicht."
            ),
        ),
        (
            [
                "link",
                "{f}#vorne-dabei",
                "smart-city-charta#leitbild-8",
                "--relation",
                "inspired-by",
                "--confidence",
                "low",
                "--by",
                "record-keeper",
            ],
            lambda f: __import__("charta.derive.files").derive.files.link_file(
                f,
                "vorne-dabei",
                Reference.parse("smart-city-charta#leitbild-8"),
                Rel.INSPIRED_BY,
                confidence=Confidence.LOW,
                asserted_by=Assertion.RECORD_KEEPER,
            ),
        ),
        (
            ["renumber", "{f}#vorne-dabei", "2a"],
            lambda f: __import__("charta.derive.files").derive.files.renumber_file(
                f, "vorne-dabei", "2a"
            ),
        ),
        (
            [
                "consult",
                "respond",
                "{f}",
                "comment-2",
                "--decision",
                "noted",
                "--again",
                "--text",
                "Danke.",
                "--date",
                DAY,
            ],
            lambda f: __import__("charta.consult.files").consult.files.respond_file(
                f, "comment-2", decision=Decision.NOTED, text="Danke.", date=DAY, again=True
            ),
        ),
        (
            [
                "consult",
                "amend",
                "{f}",
                "kulturwandel",
                "--because",
                "comment-2",
                "--text",
                "Anders.",
                "--date",
                DAY,
                "--before-inferred",
            ],
            lambda f: __import__("charta.consult.files").consult.files.amend_file(
                f,
                "kulturwandel",
                because=["comment-2"],
                text="Anders.",
                date=DAY,
                before_knowledge=Knowledge.INFERRED,
            ),
        ),
    ],
    ids=["adapt", "merge", "omit", "link", "renumber", "respond", "amend"],
)
def test_edits(tmp_path: Path, args: list[object], call: Callable[[str], object]) -> None:
    by_command = town_copy(tmp_path / "command")
    by_library = town_copy(tmp_path / "library")
    result = cli(*[str(a).replace("{f}", str(by_command)) for a in args])
    assert result.exit_code == 0, result.output
    call(str(by_library))
    assert by_command.read_bytes() == by_library.read_bytes()
    assert by_command.read_bytes() != EXAMPLE.read_bytes()  # the edit did something


def test_suggest_write(tmp_path: Path) -> None:
    from charta.derive.files import suggest_for_file, write_suggestions

    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    for path in (a, b):
        text = MUSTERKREIS.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
    assert cli("suggest", a, "--write").exit_code == 0
    write_suggestions(str(b), suggest_for_file(str(b)))
    assert a.read_bytes() == b.read_bytes() != MUSTERKREIS.read_bytes()


def test_consult_import(tmp_path: Path) -> None:
    from charta.consult.record import import_file

    by_command = draft_copy(tmp_path / "command")
    by_library = draft_copy(tmp_path / "library")
    comments = SINDELFINGEN / "consultation.csv"
    assert cli("consult", "import", by_command, comments).exit_code == 0
    import_file(str(by_library), str(comments))
    assert filecmp.cmp(by_command, by_library, shallow=False)
    same_folders(by_command.parent, by_library.parent)


def test_consult_letters(tmp_path: Path) -> None:
    from charta.consult.files import write_letters

    town = town_copy(tmp_path / "town")
    personal = town.with_name("leitmotive.personal.toml")
    # Give the commenter an address, so that there is a letter to write.
    text = personal.read_text(encoding="utf-8")
    personal.write_text(
        text.replace('pseudonym = "Person 1"', 'pseudonym = "Person 1"\nemail = "p@example.org"'),
        encoding="utf-8",
    )
    result = cli("consult", "letters", town, "-o", tmp_path / "command")
    assert result.exit_code == 0, result.output
    done = write_letters(town, tmp_path / "library")
    assert len(done.written) == 1
    same_folders(tmp_path / "command", tmp_path / "library")
