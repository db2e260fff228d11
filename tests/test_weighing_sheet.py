"""The weighing table as a spreadsheet, both ways: written, filled by the office, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from charta.adapters.comments.table import sheet_table
from charta.adapters.sheets import unguard, write_sheet
from charta.check.loading import open_charta
from charta.cli import main
from charta.model import Decision

from .test_consult import draft_file

pytest.importorskip("openpyxl")
pytest.importorskip("odf")
pytest.importorskip("python_calamine")

ROWS = [
    ["Kommentar", "Leitmotiv", "Einwilligung"],
    ["Mehr Bildung, bitte.", "2", "nein"],
    ["=SUMME(A1) ist kein Kommentar, aber ein Text.", "3", "nein"],
    ["Das ganze Papier ist gut.", "", "nein"],
]


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def town(tmp_path: Path) -> Path:
    path = draft_file(tmp_path)
    comments = tmp_path / "kommentare.csv"
    comments.write_text("\n".join(";".join(r) for r in ROWS) + "\n", encoding="utf-8")
    assert run("consult", "import", path, comments).exit_code == 0  # type: ignore[attr-defined]
    return path


def _fill(path: Path, out: Path, answers: dict[int, tuple[str, str]]) -> None:
    """The office's work: decision and response typed into rows of the sheet."""
    table = sheet_table(path)
    # as a spreadsheet holds them: the guard is part of the cell, written once
    rows = [[unguard(c) for c in r.cells] for r in table.rows]
    for n, (word, text) in answers.items():
        rows[n][6], rows[n][7] = word, text
    write_sheet(out, table.header, rows, title="Abwägung")


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_the_sheet_goes_out_and_comes_back_with_the_answers(
    town: Path, tmp_path: Path, kind: str
) -> None:
    sheet = tmp_path / f"abwaegung.{kind}"
    result = run("consult", "report", town, "--format", kind, "-o", sheet)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    table = sheet_table(sheet)
    assert table.header == (
        "Nr.",
        "Kennung",
        "Bezug",
        "Eingang",
        "Von",
        "Stellungnahme",
        "Beschluss",
        "Erwiderung",
    )
    assert len(table.rows) == 3
    # a text a spreadsheet would run is guarded in the sheet
    assert table.rows[1].cells[5].startswith("'=SUMME")
    assert [r.cells[6] for r in table.rows] == ["", "", ""]
    filled = tmp_path / f"ausgefuellt.{kind}"
    _fill(
        sheet,
        filled,
        {
            0: ("angenommen", "Wir nennen die Bildung ausdrücklich."),
            1: ("zur Kenntnis genommen", "Danke."),
        },
    )
    result = run("consult", "import-responses", town, filled, "--date", "05.11.2020")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "recorded 2 response(s)" in result.output  # type: ignore[attr-defined]
    assert "1 comment(s) not weighed yet" in result.output  # type: ignore[attr-defined]
    cons = open_charta(str(town)).consultation
    assert cons is not None
    assert [(r.comment, r.decision) for r in cons.responses] == [
        (cons.comments[0].id, Decision.ACCEPTED),
        (cons.comments[1].id, Decision.NOTED),
    ]
    assert str(cons.responses[0].date) == "2020-11-05"
    # the same sheet again adds nothing; a sheet written now shows the answers
    again = run("consult", "import-responses", town, filled)
    assert "recorded 0 response(s) in" in again.output  # type: ignore[attr-defined]
    assert "2 unchanged" in again.output  # type: ignore[attr-defined]
    assert len(open_charta(str(town)).consultation.responses) == 2  # type: ignore[union-attr]
    run("consult", "report", town, "--format", kind, "-o", sheet)
    assert sheet_table(sheet).rows[0].cells[6] == "angenommen"


def test_every_bad_row_is_named_and_nothing_is_written(town: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "abwaegung.xlsx"
    run("consult", "report", town, "--format", "xlsx", "-o", sheet)
    table = sheet_table(sheet)
    rows = [[unguard(c) for c in r.cells] for r in table.rows]
    rows[0][1] = "comment-999"  # an id that is none
    rows[1][6], rows[1][7] = "vielleicht", "Mal sehen."  # no decision word
    rows[2][5] = "Das ganze Papier ist schlecht."  # the comment's words changed
    bad = tmp_path / "falsch.xlsx"
    write_sheet(bad, table.header, rows, title="Abwägung")
    before = town.read_bytes()
    result = run("consult", "import-responses", town, bad)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    lines = out.splitlines()
    assert any(x.startswith(f"{bad}:2:") and "no comment 'comment-999'" in x for x in lines)
    assert any(x.startswith(f"{bad}:3:") and "'vielleicht' is no decision" in x for x in lines)
    assert any(x.startswith(f"{bad}:4:") and "was changed in the sheet" in x for x in lines)
    assert town.read_bytes() == before


def test_a_sheet_needs_a_file_and_the_extra_s_words(town: Path) -> None:
    result = run("consult", "report", town, "--format", "xlsx")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "name it with -o FILE.xlsx" in result.output  # type: ignore[attr-defined]


def test_a_sheet_that_is_no_table_is_a_message_not_a_traceback(town: Path, tmp_path: Path) -> None:
    broken = tmp_path / "abwaegung.csv"
    broken.write_bytes(b"\xff\xfeKennung;Beschluss\n")
    result = run("consult", "import-responses", town, broken)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"{broken}:1: byte 0xff is not UTF-8" in result.output  # type: ignore[attr-defined]
    missing = run("consult", "import-responses", town, tmp_path / "fehlt.xlsx")
    assert missing.exit_code == 1  # type: ignore[attr-defined]
    assert "Traceback" not in missing.output  # type: ignore[attr-defined]
