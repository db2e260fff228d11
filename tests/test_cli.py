"""The ``charta`` command: exit codes, where output goes, what it says.

Most tests run the click command in-process with CliRunner; a few run the
real program (``python -m charta`` and the installed ``charta`` script) in a
subprocess to check the wiring end to end, and what it imports at start-up.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner, Result

import charta
from charta.__about__ import __version__
from charta.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/sindelfingen/leitmotive.toml"
SOURCES = sorted((Path(charta.__file__).parent / "sources").glob("*.toml"))
ANSI = re.compile(r"\x1b\[")

VALID = """\
format = 1
id = "town"
title = "Leitmotive"
kind = "local"
status = "draft"

[issuer]
body = "Stadt Musterstadt"

[[items]]
id = "a"
title = "Der Mensch im Mittelpunkt"

[[items.derived-from]]
ref = "smart-city-charta#leitbild-1"
relation = "adapted"
confidence = "medium"
asserted-by = "record-keeper"
"""


@pytest.fixture(autouse=True)
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the project root, so that the example is found by its relative path."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)


def needs_example() -> None:
    # The example is committed: its absence is a failure, never a skip.
    assert (ROOT / EXAMPLE).is_file(), f"{EXAMPLE} is missing"


def _runner() -> CliRunner:
    # click < 8.2 mixes stderr into stdout unless told not to; 8.2+ keeps them apart.
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    return CliRunner()


def cli(*args: str | os.PathLike[str], **kwargs: Any) -> Result:
    """Invoke ``charta ARGS``; fail on any exception other than an exit."""
    result = _runner().invoke(main, [os.fspath(a) for a in args], **kwargs)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"charta {args} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    return result


def run(
    *args: str | os.PathLike[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m charta ARGS`` for real."""
    proc = subprocess.run(
        [sys.executable, "-m", "charta", *map(os.fspath, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


# ---------------------------------------------------------------------------
# validate


def test_validate_example_is_valid() -> None:
    needs_example()
    result = cli("validate", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # no problems
    assert f"{EXAMPLE}: valid" in result.stderr
    assert "10 items" in result.stderr


def test_validate_builtin_sources_are_valid() -> None:
    result = cli("validate", *SOURCES)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.count(": valid") == len(SOURCES)


def test_validate_quiet_prints_nothing_for_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "town.toml"
    path.write_text(VALID, encoding="utf-8")
    result = cli("validate", "-q", path)
    assert result.exit_code == 0
    assert result.output == ""


class Bad(NamedTuple):
    make: Callable[[Path], Path]
    fragment: str
    exit_code: int = 1
    strict_exit_code: int = 1
    line: int | None = None
    """The line the problem must be reported at; None when the file has no lines."""
    warning: bool = False


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _sparse(folder: Path) -> Path:
    path = folder / "huge.toml"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    return path


BAD: dict[str, Bad] = {
    "invalid UTF-8": Bad(
        _write("latin1.toml", VALID.replace("Der Mensch", "Der M\xe4nsch").encode("latin-1")),
        "not valid UTF-8 (byte 0xe4)",
        line=12,
    ),
    "byte-order mark": Bad(
        _write("bom.toml", b"\xef\xbb\xbf" + VALID.encode()),
        "byte-order mark",
        exit_code=0,
        line=1,
        warning=True,
    ),
    "CRLF line ends": Bad(
        _write("crlf.toml", VALID.replace("\n", "\r\n").encode()),
        "Windows line ends (CRLF)",
        exit_code=0,
        line=1,
        warning=True,
    ),
    "empty file": Bad(_write("empty.toml", b""), "the file is empty"),
    "blank file": Bad(_write("blank.toml", b"\n  \n\t\n"), "the file is empty"),
    "50 MB sparse file": Bad(_sparse, "charta files are at most 5 MiB"),
    "directory": Bad(lambda folder: folder, "is a directory"),
    "missing file": Bad(lambda folder: folder / "missing.toml", "no such file"),
    "TOML syntax error": Bad(
        _write("syntax.toml", VALID.replace('title = "Leitmotive"', "title = Leitmotive").encode()),
        "TOML syntax",
        line=3,
    ),
    "unknown key": Bad(
        _write(
            "key.toml", VALID.replace('status = "draft"', 'status = "draft"\ncolour = 1').encode()
        ),
        "unknown key 'colour'",
        line=6,
    ),
    "unresolved reference": Bad(
        _write("ref.toml", VALID.replace("leitbild-1", "leitbild-9").encode()),
        "'smart-city-charta#leitbild-9' does not resolve",
        line=15,
    ),
    "reference to a missing file": Bad(
        _write("path.toml", VALID.replace("smart-city-charta#", "../nowhere/x.toml#").encode()),
        "does not resolve",
        line=15,
    ),
}


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_validate_bad_input(tmp_path: Path, bad: Bad, strict: bool) -> None:
    path = bad.make(tmp_path)
    result = cli("validate", *(["--strict"] if strict else []), path)
    assert result.exit_code == (bad.strict_exit_code if strict else bad.exit_code), result.output
    # Problems go to stdout, one per line, as PATH:LINE:COL: MESSAGE.
    lines = result.stdout.splitlines()
    assert lines, result.output
    prefix = re.escape(str(path))
    for line in lines:
        assert re.match(rf"^{prefix}(:\d+:\d+)?: ", line), line
    [found] = [line for line in lines if bad.fragment in line]
    if bad.line is not None:
        assert re.match(rf"^{prefix}:{bad.line}:\d+: ", found), found
    if bad.fragment.startswith("not valid UTF-8"):
        assert found.startswith(f"{path}:12:15: ")  # the column of the bad byte
    assert found.startswith(f"{path}:")
    assert ("warning: " in found) == bad.warning
    # The summary goes to stderr.
    verdict = "invalid" if result.exit_code else "valid"
    assert f"{path}: {verdict}" in result.stderr


def test_validate_bom_is_read(tmp_path: Path) -> None:
    path = BAD["byte-order mark"].make(tmp_path)
    result = cli("validate", path)
    assert "1 warning" in result.stderr
    assert "valid, 1 item" in result.stderr


def test_validate_several_files_exit_1_if_any_invalid(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VALID, encoding="utf-8")
    bad = BAD["unknown key"].make(tmp_path)
    missing = tmp_path / "missing.toml"
    result = cli("validate", good, bad, missing)
    assert result.exit_code == 1
    assert f"{good}: valid" in result.stderr
    assert f"{bad}: invalid" in result.stderr
    assert f"{missing}: invalid" in result.stderr
    assert f"{bad}:6:" in result.stdout
    assert f"{missing}: no such file" in result.stdout
    assert str(good) not in result.stdout


def test_validate_several_valid_files_exit_0(tmp_path: Path) -> None:
    needs_example()
    good = tmp_path / "good.toml"
    good.write_text(VALID, encoding="utf-8")
    result = cli("validate", good, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stderr.count(": valid") == 2


def test_validate_invalid_file_order_does_not_matter(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VALID, encoding="utf-8")
    bad = BAD["empty file"].make(tmp_path)
    assert cli("validate", bad, good).exit_code == 1
    assert cli("validate", good, bad).exit_code == 1


def test_validate_strict_leaves_a_clean_file_valid(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VALID, encoding="utf-8")
    assert cli("validate", "--strict", good).exit_code == 0


# ---------------------------------------------------------------------------
# usage errors


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["frobnicate"],
        ["validate", "--frobnicate", "x.toml"],
        ["--frobnicate"],
        ["show"],
        ["show", "smart-city-charta#Not_An_Id"],
        ["sources", "extra"],
    ],
    ids=repr,
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr or "Error:" in result.stderr
    assert result.stdout == ""


def test_no_command_shows_help() -> None:
    result = cli()
    assert result.exit_code in (0, 2)
    assert "validate" in result.output
    assert "sources" in result.output


def test_help() -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("validate", "sources", "show", "schema"):
        assert command in result.stdout


# ---------------------------------------------------------------------------
# sources


def _row(output: str, source_id: str) -> str:
    [row] = [line for line in output.splitlines() if line.startswith(source_id + " ")]
    return row


def test_sources_lists_builtins_with_edition_count_completeness() -> None:
    result = cli("sources")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    for column in ("ID", "EDITION", "ITEMS", "COMPLETENESS"):
        assert column in header
    scc = _row(result.stdout, "smart-city-charta")
    assert re.search(r"\b2017\b", scc)
    assert re.search(r"\b12\b", scc)
    assert scc.rstrip().endswith("complete")
    dbw = _row(result.stdout, "digitalakademie-bw")
    assert re.search(r"\b2018\b", dbw)
    assert "8 of 10 declared" in dbw
    assert dbw.rstrip().endswith("partial")


# ---------------------------------------------------------------------------
# show


def test_show_source() -> None:
    result = cli("show", "smart-city-charta")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Smart City Charta – Digitale Transformation in den Kommunen nachhaltig gestalten" in out
    assert "https://www.bmu.de/en/download/smart-city-charta/" in out
    assert "summarised" in out
    assert "Alle Rechte vorbehalten" in out
    # Items, nested ones too, with their ids.
    assert "lebenswert und liebenswert" in out
    assert "(leitlinie-2-1)" in out
    assert "12 items" in out


def test_show_partial_source_says_so() -> None:
    result = cli("show", "digitalakademie-bw")
    assert result.exit_code == 0, result.output
    assert "8 of 10 declared" in result.stdout
    assert "known only in part" in result.stdout


def test_show_item() -> None:
    result = cli("show", "smart-city-charta#leitlinie-2-1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "smart-city-charta#leitlinie-2-1" in out
    assert "Transparenz und Demokratie stärken" in out  # title
    assert "Digitale Beteiligungsformen sollen Transparenz" in out  # summary
    assert re.search(r"locator:\s+S\. 10", out)
    assert "https://www.bmu.de/en/download/smart-city-charta/" in out
    assert "(our own words)" in out


def test_show_unknown_item_exits_1() -> None:
    result = cli("show", "smart-city-charta#nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "'smart-city-charta' has no item 'nope'" in result.stderr


def test_show_unknown_item_suggests_a_close_one() -> None:
    result = cli("show", "smart-city-charta#leitbild-9")
    assert result.exit_code == 1
    assert "did you mean 'leitbild-8'?" in result.stderr


def test_show_unknown_source_exits_1_naming_known_sources() -> None:
    result = cli("show", "nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "unknown source 'nope'" in result.stderr
    assert "digitalakademie-bw" in result.stderr
    assert "smart-city-charta" in result.stderr


def test_show_near_miss_source_suggests() -> None:
    result = cli("show", "smart-city-chart#leitbild-1")
    assert result.exit_code == 1
    assert "did you mean 'smart-city-charta'?" in result.stderr


def test_show_error_has_no_placeholder_location() -> None:
    # Regression: cli._handle_errors printed "charta: <string>: unknown source ..." for
    # a problem without a file: the "<string>" placeholder leaks into the message.
    result = cli("show", "nope")
    assert result.stderr.startswith("charta: unknown source 'nope'"), result.stderr
    assert "<string>" not in result.stderr


def test_show_missing_file_exits_1(tmp_path: Path) -> None:
    result = cli("show", tmp_path / "missing.toml")
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_show_invalid_file_exits_1(tmp_path: Path) -> None:
    path = BAD["unresolved reference"].make(tmp_path)
    result = cli("show", path)
    assert result.exit_code == 1
    assert f"{path}:15:" in result.stderr


def test_show_example_item_with_revision_and_pseudonymous_comment() -> None:
    needs_example()
    # Leitmotiv 2 ("Vorne dabei") carries the one revision and the one comment.
    result = cli("show", f"{EXAMPLE}#vorne-dabei")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Vorne dabei" in out
    assert "Revisions" in out
    assert "sowie Bildungseinrichtungen" in out
    assert "[inferred]" in out  # the reconstructed earlier wording says so
    assert "comment-2" in out
    assert "response-2" in out
    assert "Person 1" in out
    assert "Kürschner" not in result.output


def test_show_example_never_names_the_commenter() -> None:
    needs_example()
    for ref in (EXAMPLE, f"{EXAMPLE}#vorne-dabei", f"{EXAMPLE}#mensch-im-mittelpunkt"):
        result = cli("show", ref)
        assert result.exit_code == 0, result.output
        assert "Kürschner" not in result.output, ref


def test_show_long_labels_are_separated_from_values() -> None:
    needs_example()
    result = cli("show", f"{EXAMPLE}#vorne-dabei")
    # A derivation's reference is longer than the label column; its value
    # must not be glued to it ("...leitposition:merged").
    assert not re.search(r"#[a-z0-9-]+:\S", result.stdout), result.stdout


# ---------------------------------------------------------------------------
# schema


def _iso(value: Any) -> Any:
    """TOML data as JSON data: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


@pytest.fixture
def validator() -> Any:
    import jsonschema  # a dev dependency: its absence is a failure, not a skip

    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _data(path: Path | str) -> Any:
    return _iso(tomllib.loads(Path(path).read_text(encoding="utf-8")))


def test_schema_prints_json() -> None:
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert {"id", "title", "kind", "status", "issuer"} <= set(schema["required"])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_builtin_sources_match_schema(validator: Any, path: Path) -> None:
    errors = [e.message for e in validator.iter_errors(_data(path))]
    assert errors == []


def test_example_matches_schema(validator: Any) -> None:
    needs_example()
    errors = [e.message for e in validator.iter_errors(_data(ROOT / EXAMPLE))]
    assert errors == []


def test_minimal_charta_matches_schema(validator: Any) -> None:
    assert list(validator.iter_errors(_iso(tomllib.loads(VALID)))) == []


@pytest.mark.parametrize(
    ("change", "word"),
    [
        (lambda d: d.update(colour="blue"), "colour"),
        (lambda d: d["items"][0]["derived-from"][0].update(confidenc="high"), "confidenc"),
        (lambda d: d["issuer"].update(mayor="x"), "mayor"),
        (lambda d: d.update(kind="regional"), "regional"),
        (lambda d: d.pop("title"), "title"),
        (lambda d: d.update(format=2), "1 was expected"),
        (lambda d: d["items"][0].update(id="Leitmotiv 1"), "Leitmotiv 1"),
    ],
    ids=[
        "unknown key",
        "unknown nested key",
        "unknown issuer key",
        "bad enum",
        "missing key",
        "other format",
        "bad id",
    ],
)
def test_schema_rejects_bad_data(validator: Any, change: Callable[[Any], Any], word: str) -> None:
    data = _iso(tomllib.loads(VALID))
    change(data)
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors
    assert any(word in e for e in errors), errors


def test_schema_output_file(tmp_path: Path) -> None:
    out = tmp_path / "charta.schema.json"
    result = cli("schema", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(cli("schema").stdout)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_schema_output_into_a_missing_folder_makes_it(tmp_path: Path) -> None:
    result = cli("schema", "-o", tmp_path / "new" / "schema.json")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new" / "schema.json").is_file()


def test_schema_output_into_a_folder_that_cannot_be_made_exits_1(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = cli("schema", "-o", tmp_path / "a-file" / "schema.json")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


# ---------------------------------------------------------------------------
# version, colour


def test_version() -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"charta {version('charta')}"
    assert version("charta") == __version__


def test_no_color_env_removes_ansi(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VALID, encoding="utf-8")
    bad = BAD["unknown key"].make(tmp_path)
    # Without NO_COLOR, on a colour terminal, the summaries are coloured ...
    coloured = cli("validate", good, bad, color=True)
    assert ANSI.search(coloured.output)
    # ... and NO_COLOR turns that off.
    plain = cli("validate", good, bad, color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 1
    assert not ANSI.search(plain.stdout)
    assert not ANSI.search(plain.stderr)
    assert f"{good}: valid" in plain.stderr


def test_no_ansi_when_not_a_terminal(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VALID, encoding="utf-8")
    assert not ANSI.search(cli("validate", good).output)


# ---------------------------------------------------------------------------
# end to end: the real program


def test_subprocess_validate_example() -> None:
    needs_example()
    proc = run("validate", EXAMPLE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert f"{EXAMPLE}: valid" in proc.stderr


def test_subprocess_console_script() -> None:
    script = Path(sys.executable).parent / ("charta.exe" if os.name == "nt" else "charta")
    if not script.exists():
        raise AssertionError("the charta script is not installed next to this Python")
    proc = subprocess.run(
        [str(script), "validate", *map(str, SOURCES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    version_proc = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert version_proc.stdout.strip() == f"charta {version('charta')}"


def test_subprocess_validate_bad_files(tmp_path: Path) -> None:
    paths = [bad.make(tmp_path) for name, bad in BAD.items() if bad.exit_code == 1]
    proc = run("validate", *paths)
    assert proc.returncode == 1
    for path in paths:
        assert f"{path}: invalid" in proc.stderr
        assert re.search(rf"^{re.escape(str(path))}[:]", proc.stdout, re.MULTILINE), path


def test_subprocess_usage_error() -> None:
    proc = run("validate")
    assert proc.returncode == 2
    assert "Usage:" in proc.stderr


def test_subprocess_no_color(tmp_path: Path) -> None:
    bad = BAD["unresolved reference"].make(tmp_path)
    proc = run("validate", bad, env={"NO_COLOR": "1"})
    assert proc.returncode == 1
    assert not ANSI.search(proc.stdout + proc.stderr)


def _imported(*args: str, code: str | None = None) -> set[str]:
    """Top-level names of every module imported by ``python -m charta ARGS`` (or ``-c CODE``)."""
    run_what = ["-c", code] if code is not None else ["-m", "charta", *args]
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *run_what],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                names.add(name.split(".")[0])
    return names


def test_import_trace_is_read() -> None:
    # The check below would pass vacuously if the trace were not parsed.
    names = _imported(code="import jinja2")
    assert "jinja2" in names
    assert "markupsafe" in names


@pytest.mark.parametrize(
    "args",
    [["validate", EXAMPLE], ["--help"], ["validate", "--help"], ["--version"]],
    ids=["validate", "help", "validate help", "version"],
)
def test_startup_does_not_import_jinja(args: list[str]) -> None:
    if EXAMPLE in args:
        needs_example()
    names = _imported(*args)
    assert "charta" in names  # the trace was read
    assert "jinja2" not in names
    assert "markupsafe" not in names


@pytest.mark.parametrize(
    ("fmt", "imports", "never"),
    [
        ("html", {"jinja2", "markupsafe"}, {"prov"}),
        ("markdown", set(), {"prov", "jinja2"}),
        ("prov-json", {"prov"}, {"jinja2"}),
    ],
)
def test_render_imports_only_what_its_format_needs(
    tmp_path: Path, fmt: str, imports: set[str], never: set[str]
) -> None:
    needs_example()
    names = _imported("render", EXAMPLE, "--format", fmt, "-o", str(tmp_path / "out"))
    assert imports <= names
    assert not names & never


def test_show_checks_the_edition() -> None:
    result = cli("show", "smart-city-charta@1999#leitbild-5")
    assert result.exit_code == 1
    assert "has no edition '1999' (recorded: 2017, 2021)" in result.stderr
    # 2021 is recorded with the same items, so its items can be shown.
    assert cli("show", "smart-city-charta@2021#leitbild-5").exit_code == 0


def test_schema_describes_keys_from_the_model() -> None:
    schema = json.loads(cli("schema").stdout)
    item = schema["$defs"]["Item"]["properties"]
    # The description comes from the docstring under Item.id in model.py.
    assert "survives renumbering" in item["id"]["description"]
    assert (
        "reconstructed"
        in schema["$defs"]["Revision"]["properties"]["before-knowledge"]["description"]
    )


def test_control_characters_from_a_file_never_reach_the_terminal(tmp_path: Path) -> None:
    # A title or value may come from anyone: an escape sequence must be shown,
    # not executed by the terminal.
    path = tmp_path / "evil.toml"
    path.write_text(
        'format = 1\nid = "evil"\ntitle = "Evil \\u001b[2J\\u001b[31mTitle\\r"\n'
        'kind = "local"\nstatus = "draft\\u001b[2J"\n[issuer]\nbody = "X"\n',
        encoding="utf-8",
    )
    bad = cli("validate", path)
    assert bad.exit_code == 1
    assert "\x1b" not in bad.stdout + bad.stderr
    assert "draft\\x1b[2J" in bad.stdout
    path.write_text(path.read_text(encoding="utf-8").replace("draft\\u001b[2J", "draft"))
    shown = cli("show", path)
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.stdout
    assert "\r" not in shown.stdout
    assert "Evil \\x1b[2J\\x1b[31mTitle\n" in shown.stdout  # the CR is white space: gone
