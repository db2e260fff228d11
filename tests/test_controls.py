"""Nothing raw reaches a terminal (issue 18, item 5).

A C1 control (U+009B starts a terminal escape sequence), a line separator
(U+2028) and bidirectional controls (U+202E, U+2066) in a principle's title
and in a citizen's comment: every output format writes them escaped (JSON and
TOML as ``\\u`` escapes, which read back as the same text) or written out
visibly (Markdown, CSV, PROV-N), and ``validate`` warns about them.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from charta.adapters.toml import loads
from charta.check.loading import validate
from charta.cli import main
from charta.texts import visible

EXAMPLE = Path(__file__).parent.parent / "examples" / "sindelfingen"
HIDDEN = "\u009b\u2028\u202e\u2066\u2069"
TITLE = "Vorne\u009b dabei\u2028x\u202eabc\u2066q\u2069"


@pytest.fixture
def town(tmp_path: Path) -> Path:
    for name in ("leitmotive.toml", "leitmotive.personal.toml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    path = tmp_path / "leitmotive.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('title = "Vorne dabei"', 'title = "' + TITLE + '"', 1)
    text = text.replace('text = "2. es fehlt', 'text = "2.\\u202e es fehlt', 1)
    path.write_text(text, encoding="utf-8")
    return path


OUTPUTS = [
    ["render", "--format", "json"],
    ["render", "--format", "markdown"],
    ["render", "--format", "toml"],
    ["render", "--format", "prov-json"],
    ["render", "--format", "prov-n"],
    ["consult", "report", "--format", "json"],
    ["consult", "report", "--format", "markdown"],
    ["consult", "report", "--format", "csv"],
    ["validate", "--format", "json"],
    ["validate"],
    ["show"],
    ["trace"],
    ["trace", "--format", "json"],
    ["trace", "--format", "prov-json"],
    ["diff", "--format", "markdown", "--against", "smart-city-charta"],
    ["diff", "--format", "json", "--against", "smart-city-charta"],
]


@pytest.mark.parametrize("args", OUTPUTS, ids=[" ".join(a) for a in OUTPUTS])
def test_no_output_carries_a_control_or_bidirectional_character_raw(
    town: Path, args: list[str]
) -> None:
    target = [f"{town}#vorne-dabei"] if args[0] == "trace" else [str(town)]
    result = CliRunner().invoke(main, [*args, *target])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout
    raw = [f"U+{ord(c):04X}" for c in HIDDEN if c in result.stdout]
    assert raw == [], raw


def test_toml_escapes_them_and_reads_back_the_same(town: Path) -> None:
    out = CliRunner().invoke(main, ["render", "--format", "toml", str(town)]).stdout
    assert "\\u202e" in out
    assert "\\u009b" in out
    back = loads(out)
    assert back.item("vorne-dabei").title == TITLE


def test_markdown_and_csv_show_them_written_out(town: Path) -> None:
    md = CliRunner().invoke(main, ["render", "--format", "markdown", str(town)]).stdout
    assert "\\\\u202e" in md  # a backslash escaped for Markdown: shown as \u202e
    csv = CliRunner().invoke(main, ["consult", "report", "--format", "csv", str(town)]).stdout
    assert "\\u202e" in csv


def test_validate_warns_about_them_in_titles_and_texts(town: Path) -> None:
    problems = [p for p in validate(town).problems if p.code == "hidden-characters"]
    keys = sorted(str(p.location.keys) for p in problems)
    assert len(problems) == 2, keys
    assert any("title" in k for k in keys)
    assert any("comments" in k for k in keys)


def test_visible_writes_out_only_what_hides() -> None:
    assert visible("Straße – „gut“\n\tweiter") == "Straße – „gut“\n\tweiter"
    assert visible("a\u202eb") == "a\\u202eb"
    assert visible("a\x1bb\x9b") == "a\\x1bb\\x9b"
    assert visible("a\u202eb", backslash="\\\\") == "a\\\\u202eb"


def test_the_toml_file_written_by_dumps_is_still_toml(town: Path) -> None:
    out = CliRunner().invoke(main, ["render", "--format", "toml", str(town)]).stdout
    tomllib.loads(out)


@pytest.mark.parametrize(
    "args", [["render", "--format", "html"], ["consult", "report", "--format", "html"]]
)
def test_html_writes_them_out_too(town: Path, args: list[str]) -> None:
    out = CliRunner().invoke(main, [*args, str(town)]).stdout
    raw = [f"U+{ord(c):04X}" for c in HIDDEN if c in out]
    assert raw == []
    assert "\\u202e" in out


def test_letters_write_them_out(town: Path, tmp_path: Path) -> None:
    personal = town.with_name("leitmotive.personal.toml")
    text = personal.read_text(encoding="utf-8")
    personal.write_text(
        text.replace('salutation = "Herr"', 'salutation = "Herr"\nemail = "k@example.org"'),
        encoding="utf-8",
    )
    folder = tmp_path / "briefe"
    result = CliRunner().invoke(main, ["consult", "letters", str(town), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    texts = [p.read_text(encoding="utf-8") for p in folder.iterdir()]
    assert texts
    for text in texts:
        assert not any(c in text for c in HIDDEN)
