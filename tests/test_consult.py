"""The consultation: import, respond, amend, report, letters; personal data kept apart."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charta.adapters.toml.edit import edit_text
from charta.adapters.toml.personal import read_personal
from charta.check.loading import open_charta, validate
from charta.cli import main
from charta.diff import before_consultation
from charta.errors import Level
from charta.personal import personal_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen"
DATA = ROOT / "tests" / "data" / "consult"

HEADER = "id;date;name;salutation;email;target;text;consent;note\n"


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """Sindelfingen's Leitmotive as put to consultation: no comments, #2 not yet amended."""
    return draft_file(tmp_path)


def draft_file(tmp_path: Path) -> Path:
    """The file behind the ``draft`` fixture, for other test modules."""
    example = EXAMPLE / "leitmotive.toml"
    text = example.read_text(encoding="utf-8")
    old = open_charta(str(example))
    before = before_consultation(old)
    assert before.consultation is not None
    before = attrs.evolve(
        before, consultation=attrs.evolve(before.consultation, comments=(), responses=())
    )
    path = tmp_path / "leitmotive.toml"
    path.write_text(edit_text(text, old, before), encoding="utf-8")
    return path


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """The example as it is (one comment, answered and amended), with its personal data."""
    for name in ("leitmotive.toml", "leitmotive.personal.toml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return tmp_path / "leitmotive.toml"


def _csv(tmp_path: Path, body: str, name: str = "comments.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Sindelfingen, reproduced


def test_sindelfingen_consultation_is_reproduced_from_its_csv(draft: Path) -> None:
    env = {**os.environ, "CHARTA": f"{sys.executable} -m charta"}
    result = subprocess.run(
        ["bash", str(EXAMPLE / "consultation.sh"), str(draft)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=draft.parent,
    )
    assert result.returncode == 0, result.stderr
    assert open_charta(str(draft)) == open_charta(str(EXAMPLE / "leitmotive.toml"))
    assert read_personal(personal_path(draft)) == read_personal(
        EXAMPLE / "leitmotive.personal.toml"
    )
    assert (
        (draft.parent / ".gitignore")
        .read_text(encoding="utf-8")
        .endswith("leitmotive.personal.toml\n.leitmotive.personal.toml.charta-new\n")
    )
    # The weighing table (step 4) is the public one: the name is in no output.
    assert "| 1 | 2 „Vorne dabei“ | Person 1: 2\\. es fehlt" in result.stdout
    assert "Kürschner" not in result.stdout + result.stderr


def test_import_keeps_the_clerks_file_and_adds_only_the_comments(draft: Path) -> None:
    before = draft.read_text(encoding="utf-8")
    result = run("consult", "import", draft, EXAMPLE / "consultation.csv")
    assert result.exit_code == 0, result.output
    after = draft.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # appended: every line and comment kept
    assert "[[consultation.comments]]" in after
    assert "Kürschner" not in after  # the name is in the personal-data file only
    assert "Kürschner" in personal_path(draft).read_text(encoding="utf-8")


def test_importing_the_same_file_again_adds_nothing(draft: Path) -> None:
    assert run("consult", "import", draft, EXAMPLE / "consultation.csv").exit_code == 0
    text = draft.read_text(encoding="utf-8")
    personal = personal_path(draft).read_text(encoding="utf-8")
    again = run("consult", "import", draft, EXAMPLE / "consultation.csv")
    assert again.exit_code == 0, again.output
    assert "already there as comment-2" in again.output
    assert "nothing to import" in again.output
    assert draft.read_text(encoding="utf-8") == text
    assert personal_path(draft).read_text(encoding="utf-8") == personal


def test_one_person_keeps_one_pseudonym_and_repeats_are_not_doubled(
    draft: Path, tmp_path: Path
) -> None:
    comments = _csv(
        tmp_path,
        ";2024-03-01;Erika Muster;Frau;erika@example.org;1;Erster Punkt.;nein;\n"
        ";02.03.2024 14:05;Erika Muster;;ERIKA@example.org;#3;Zweiter Punkt.;nein;\n"
        ";2024-03-01;Erika Muster;Frau;erika@example.org;1;Erster  Punkt.;nein;\n"
        ";2024-03-02;;;;Leitmotiv 4;Ohne Namen.;;\n"
        ";2024-03-02;;;;;Ohne Namen, ganz.;;\n",
    )
    result = run("consult", "import", draft, comments)
    assert result.exit_code == 0, result.output
    assert f"{comments}:4: already there as comment-1" in result.output
    charta = open_charta(str(draft))
    assert charta.consultation is not None
    got = [(c.id, c.commenter.pseudonym, c.target) for c in charta.consultation.comments]
    assert [g[:2] for g in got] == [
        ("comment-1", "Person 1"),
        ("comment-2", "Person 1"),
        ("comment-3", "Person 2"),
        ("comment-4", "Person 3"),
    ]
    assert [str(g[2]) for g in got[:3]] == [
        "#mensch-im-mittelpunkt",
        "#mission-lebenswert",
        "#impulsverstaerker",
    ]
    assert got[3][2] is None  # the whole charta
    people = read_personal(personal_path(draft))
    assert people is not None
    assert people.people[0].comments == ("comment-1", "comment-2")


def test_a_comment_naming_its_writer_is_stored_with_the_pseudonym(
    draft: Path, tmp_path: Path
) -> None:
    comments = _csv(
        tmp_path,
        ";;Wiebke Quast;;wq@example.org;2;"
        "Ich, Wiebke Quast (wq@example.org), bitte um mehr.;nein;\n",
    )
    result = run("consult", "import", draft, comments)
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "Quast" not in text
    assert "wq@example.org" not in text
    assert 'text = "Ich, Person 1 (Person 1), bitte um mehr."' in text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (";;X;;;99;Text.;nein;\n", "the principle '99' does not exist"),
        (";31.02.2024;X;;;2;Text.;nein;\n", "does not exist in the calendar"),
        (";gestern;X;;;2;Text.;nein;\n", "the date 'gestern' is not a date"),
        (";2024-03-01;X;;;2;   ;nein;\n", "the comment's text is empty"),
        (";;X;;;2;Text.;vielleicht;\n", "consent 'vielleicht' is neither yes nor no"),
        (";;X;;kein-at;2;Text.;nein;\n", "is not an e-mail address"),
        (";;X;;;2;Text mit \x1b[31m Farbe.;nein;\n", "control character U+001B"),
        (";;X;;;2;Text.;nein;;zu;viele\n", "the row has 11 cells but the header 9"),
        (";99999-01-01;X;;;2;Text.;nein;\n", "is not a date"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_written(
    draft: Path, tmp_path: Path, row: str, message: str
) -> None:
    comments = _csv(tmp_path, ";;Gut;;;1;Ein guter Kommentar.;ja;\n" + row)
    before = draft.read_bytes()
    result = run("consult", "import", draft, comments)
    assert result.exit_code == 1
    assert f"{comments}:3:" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert draft.read_bytes() == before
    assert not personal_path(draft).exists()
    assert not (draft.parent / ".gitignore").exists()


def test_undecodable_bytes_and_nul_are_named_by_their_line(draft: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + ";;M\xfcller;;;1;Gr\xfc\xdfe.;nein;\n".encode("latin-1"))
    result = run("consult", "import", draft, latin)
    assert result.exit_code == 1
    assert f"{latin}:2:" in result.output
    assert "is not UTF-8" in result.output
    nul = tmp_path / "nul.csv"
    nul.write_bytes(HEADER.encode() + b";;X;;;1;Te\x00xt.;nein;\n")
    result = run("consult", "import", draft, nul)
    assert result.exit_code == 1
    assert f"{nul}:2:" in result.output
    assert "Traceback" not in result.output


def test_10000_bad_rows_are_counted_not_listed(draft: Path, tmp_path: Path) -> None:
    comments = _csv(tmp_path, "".join(f";;X;;;{900 + n};Text {n}.;nein;\n" for n in range(10_000)))
    result = run("consult", "import", draft, comments)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "does not exist" in line]
    assert len(lines) == 50
    assert "... and 9,950 more rows naming no principle" in result.output


def test_a_comma_csv_with_bom_crlf_and_german_headers_imports(draft: Path, tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    rows = [
        ["Datum", "Name", "E-Mail", "Leitmotiv", "Kommentar", "Einwilligung", "IP"],
        [
            "05.03.2024",
            "Jo Beispiel",
            "jo@example.org",
            "2",
            "Mehr Bildung, bitte!",
            "ja",
            "1.2.3.4",
        ],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    result = run("consult", "import", draft, path, "--map", "IP=ignore")
    assert result.exit_code == 0, result.output
    charta = open_charta(str(draft))
    assert charta.consultation is not None
    [comment] = charta.consultation.comments
    assert comment.text == "Mehr Bildung, bitte!"
    assert str(comment.date) == "2024-03-05"
    people = read_personal(personal_path(draft))
    assert people is not None
    assert people.people[0].consent_to_publish is True
    assert "1.2.3.4" not in draft.read_text(encoding="utf-8")


def test_respond_and_amend_record_the_cause(draft: Path) -> None:
    assert run("consult", "import", draft, EXAMPLE / "consultation.csv").exit_code == 0
    r = run("consult", "respond", draft, "comment-2", "--decision", "accepted", "--text", "Danke.")
    assert r.exit_code == 0, r.output
    # accepted but not amended: validate says so
    report = validate(draft)
    assert "accepted-without-amendment" in {p.code for p in report.problems}
    a = run("consult", "amend", draft, "vorne-dabei", "--because", "comment-2", "--text", "Neu.")
    assert a.exit_code == 0, a.output
    charta = open_charta(str(draft))
    revision = charta.item("vorne-dabei").revisions[-1]  # type: ignore[union-attr]
    assert revision.caused_by == ("comment-2", "response-2")
    assert validate(draft).ok
    assert "accepted-without-amendment" not in {p.code for p in validate(draft).problems}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["respond", "comment-9", "--decision", "noted", "--text", "x"], "no comment 'comment-9'"),
        (["respond", "comment-2", "--decision", "noted", "--text", "x"], "answered already"),
        (
            [
                "respond",
                "comment-2",
                "--decision",
                "noted",
                "--again",
                "--text",
                "Lieber Herr Kürschner",
            ],
            "the text names Person 1",
        ),
        (["respond", "comment-2", "--decision", "vielleicht", "--text", "x"], "vielleicht"),
        (["amend", "vorne-dabei", "--because", "comment-9", "--text", "x"], "no such comment"),
        (["amend", "vorne-dabie", "--because", "comment-2", "--text", "x"], "vorne-dabei"),
    ],
)
def test_bad_requests_change_nothing(town: Path, args: list[str], message: str) -> None:
    before = town.read_bytes()
    result = run("consult", args[0], town, *args[1:])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert town.read_bytes() == before


def test_an_amendment_cannot_rest_on_a_rejected_comment(town: Path) -> None:
    r = run(
        "consult",
        "respond",
        town,
        "comment-2",
        "--decision",
        "rejected",
        "--again",
        "--text",
        "Nein.",
    )
    assert r.exit_code == 0, r.output
    assert "amendment-cites-rejected" in {p.code for p in validate(town).problems}
    a = run("consult", "amend", town, "vorne-dabei", "--because", "comment-2", "--text", "Neu.")
    assert a.exit_code == 1
    assert "answered 'rejected'" in a.output


# ---------------------------------------------------------------------------
# report


def test_the_report_in_every_format(town: Path) -> None:
    for fmt in ("html", "markdown", "csv", "json"):
        result = run("consult", "report", town, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "Kürschner" not in result.output
    data = json.loads(run("consult", "report", town, "--format", "json").output)
    assert data["state"] == {
        "open": False,
        "comments": 1,
        "answered": 1,
        "changed": 1,
        "decisions": {"accepted": 1},
    }
    assert data["rows"][0]["changes"][0]["words"].count("{+sowie Bildungseinrichtungen+}") == 1
    html = run("consult", "report", town, "--format", "html").output
    assert "<ins" in html
    assert '<th scope="col">Erwiderung</th>' in html


def test_a_csv_report_neutralises_spreadsheet_formulas(draft: Path, tmp_path: Path) -> None:
    comments = _csv(
        tmp_path,
        ';;;;;1;"=HYPERLINK(""http://evil.example"",""x"")";;\n'
        ";;;;;1;+SUMME(A1:A9);;\n;;;;;1;-1+1;;\n;;;;;1;@SUM(A1);;\n",
    )
    assert run("consult", "import", draft, comments).exit_code == 0
    out = run("consult", "report", draft, "--format", "csv").output
    assert out.startswith("\ufeff")
    cells = [row[5] for row in csv.reader(io.StringIO(out[1:]), delimiter=";")][1:]
    assert cells == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'+SUMME(A1:A9)",
        "'-1+1",
        "'@SUM(A1)",
    ]


def test_the_internal_report_names_commenters_and_says_so(town: Path) -> None:
    for fmt, notice in (
        ("html", "Interne Fassung"),
        ("markdown", "Interne Fassung"),
        ("csv", "Interne Fassung"),
        ("json", '"profile": "internal"'),
    ):
        out = run("consult", "report", town, "--format", fmt, "--internal").output
        if fmt == "json":  # escaped to ASCII: read it as JSON
            out = json.dumps(json.loads(out), ensure_ascii=False, indent=2)
        assert "Kürschner" in out
        assert notice in out


def test_report_never_writes_over_its_inputs(town: Path) -> None:
    personal = personal_path(town)
    before = personal.read_bytes()
    result = run("consult", "report", town, "--format", "csv", "-o", personal)
    assert result.exit_code == 1
    assert personal.read_bytes() == before


# ---------------------------------------------------------------------------
# letters


def test_letters_go_to_a_folder_one_per_commenter_with_an_address(town: Path) -> None:
    data = personal_path(town).read_text(encoding="utf-8")
    personal_path(town).write_text(
        data.replace('salutation = "Herr"', 'salutation = "Herr"\nemail = "k@example.org"'),
        encoding="utf-8",
    )
    folder = town.parent / "antworten"
    result = run("consult", "letters", town, "-o", folder)
    assert result.exit_code == 0, result.output
    assert "Kürschner" not in result.output  # standard output and errors name nobody
    [letter] = sorted(folder.iterdir())
    text = letter.read_text(encoding="utf-8")
    assert letter.name == "person-1.txt"
    assert "An: k@example.org" in text
    assert "Guten Tag Herr Kürschner," in text
    assert "vielen Dank für Ihre Nachricht" in text
    assert "Wirtschaft und neue Wertschöpfungsprozesse sowie Bildungseinrichtungen" in text
    assert text.rstrip().endswith("Amt für Digitalisierung")
    again = run("consult", "letters", town, "-o", folder)
    assert again.exit_code == 1
    assert "exist already" in again.output


def test_no_letter_without_an_address_and_never_to_standard_output(town: Path) -> None:
    result = run("consult", "letters", town, "-o", town.parent / "out")
    assert result.exit_code == 0
    assert "wrote 0 letter(s)" in result.output
    assert run("consult", "letters", town).exit_code == 2  # -o is required


# ---------------------------------------------------------------------------
# fuzz: any file gives comments or a clear message


_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=10), max_size=8), sep=st.sampled_from(",;")
)
def test_any_csv_imports_or_is_refused_with_a_message(
    draft: Path, rows: list[list[str]], sep: str
) -> None:
    from charta.adapters.comments import read_comments
    from charta.consult.record import import_comments
    from charta.errors import ChartaError

    path = draft.parent / "fuzz.csv"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(["date", "name", "email", "target", "text", "consent"])
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    problems = None
    try:
        incoming = read_comments(path)
        result = import_comments(open_charta(str(draft)), None, incoming, file=str(path))
    except ChartaError as exc:
        problems = exc.problems
    if problems is not None:
        assert problems
        assert all(p.code == "bad-comment-row" for p in problems)
        return
    assert len(result.added) + len(result.duplicates) == len(incoming)
    from charta.adapters.toml import dumps, loads

    assert loads(dumps(result.charta)) == result.charta


# ---------------------------------------------------------------------------
# Privacy: every output of every command, commenters who did not consent


SECRET = ("Wiebke", "Quast", "wq@example.org")


@pytest.fixture
def private(town: Path) -> Path:
    """The example with a commenter who did not consent, named in texts of the charta
    file (as a careless clerk might) and kept in the personal-data file."""
    text = town.read_text(encoding="utf-8")
    text = text.replace(
        'text = "vielen Dank für Ihre Nachricht.',
        'text = "Liebe Frau Quast, vielen Dank für Ihre Nachricht.',
    )
    text = text.replace(
        "note = \"The words 'sowie Bildungseinrichtungen'",
        'note = "Auf Anregung von Wiebke Quasts Kommentar. '
        "The words 'sowie Bildungseinrichtungen'",
    )
    text = text.replace('title = "Kulturwandel(n)"', 'title = "Kulturwandel nach Wiebke Quast"')
    town.write_text(text, encoding="utf-8")
    personal = personal_path(town)
    personal.write_text(
        personal.read_text(encoding="utf-8")
        .replace('name = "Kürschner"', 'name = "Wiebke Quast"\nemail = "wq@example.org"')
        .replace('salutation = "Herr"', 'salutation = "Frau"'),
        encoding="utf-8",
    )
    report = validate(town)
    assert "response-names-commenter" in {p.code for p in report.problems}
    # every text of the file that names them is found, with its line
    named = [str(p) for p in report.problems if p.code == "personal-data-in-charta"]
    assert any("[items[1].note]" in m for m in named)
    assert any("[consultation.responses[0].text]" in m for m in named)
    assert all(m.startswith(f"{town}:") and m.split(":")[1].isdigit() for m in named)
    return town


def _outputs(path: Path, original: Path) -> dict[str, str]:
    runs: dict[str, list[object]] = {}
    for fmt in ("html", "toml", "json", "markdown", "prov-json", "prov-n"):
        runs[f"render {fmt}"] = ["render", path, "--format", fmt]
    for fmt in ("html", "markdown", "csv", "json"):
        runs[f"report {fmt}"] = ["consult", "report", path, "--format", fmt]
    runs["show"] = ["show", path]
    runs["show item"] = ["show", f"{path}#vorne-dabei"]
    # an old version as git gives it: a copy, no personal-data file beside it
    old = path.parent / "old-version.toml"
    shutil.copy(path, old)
    runs["diff versions"] = ["diff", original, path]
    runs["diff from a copy"] = ["diff", old, path]
    runs["diff versions json"] = ["diff", original, path, "--format", "json"]
    runs["diff at"] = ["diff", path, "--at", "2020-10-30", "--format", "markdown"]
    runs["diff before"] = ["diff", path, "--before-consultation", "--format", "json"]
    runs["diff sources"] = ["diff", path, "--format", "json"]
    for fmt in ("text", "json", "prov-json"):
        runs[f"trace {fmt}"] = ["trace", f"{path}#vorne-dabei", "--format", fmt]
    out = {}
    for name, args in runs.items():
        result = run(*args)
        assert result.exit_code in (0, 1), (name, result.output)
        assert "Traceback" not in result.output, name
        out[name] = result.output
    return out


def test_no_public_output_of_any_command_names_a_commenter_who_did_not_consent(
    private: Path, tmp_path: Path
) -> None:
    original = tmp_path / "original.toml"
    shutil.copy(EXAMPLE / "leitmotive.toml", original)
    outputs = _outputs(private, original)
    assert len(outputs) == 21
    for name, text in outputs.items():
        for secret in SECRET:
            assert secret not in text, f"{name} shows {secret!r}"
    # and they are not empty: the texts around the name are there
    assert "vielen Dank für Ihre Nachricht" in outputs["render html"]
    assert "vielen Dank für Ihre Nachricht" in outputs["report csv"]


def test_only_the_internal_profile_and_the_letters_name_them(private: Path) -> None:
    internal = run("consult", "report", private, "--format", "html", "--internal").output
    assert "Wiebke Quast" in internal
    assert "Interne Fassung" in internal
    for fmt in ("html", "markdown"):
        page = run("render", private, "--format", fmt, "--internal").output
        assert "Wiebke Quast" in page
        assert page.count("Interne Fassung") == 2  # at the top and at the bottom
        assert "wq@example.org" not in page  # addresses stay out even there
    refused = run("render", private, "--format", "json", "--internal")
    assert refused.exit_code == 1
    assert "--internal is for html and markdown" in refused.output
    folder = private.parent / "briefe"
    assert run("consult", "letters", private, "-o", folder).exit_code == 0
    letter = (folder / "person-1.txt").read_text(encoding="utf-8")
    assert "Guten Tag Frau Quast," in letter
    assert "An: wq@example.org" in letter


def test_the_weighing_table_in_the_docs_is_real_output() -> None:
    text = (ROOT / "docs" / "consultation.md").read_text(encoding="utf-8")
    shown = text.split("<!-- report: start -->\n", 1)[1].split("<!-- report: end -->", 1)[0]
    result = run("consult", "report", EXAMPLE / "leitmotive.toml", "--format", "markdown")
    assert result.exit_code == 0
    assert shown == result.output


def test_an_import_that_would_make_the_file_too_large_writes_nothing(
    draft: Path, tmp_path: Path
) -> None:
    text = "Ein langer Kommentar. " * 2000  # 44,000 characters a comment
    comments = _csv(tmp_path, "".join(f";;;;;1;{n} {text};;\n" for n in range(130)))
    before = draft.read_bytes()
    result = run("consult", "import", draft, comments)
    assert result.exit_code == 1
    # refused before the rows are checked: their texts alone do not fit
    assert "its 130 comments would need at least 5.5 MiB in the charta file" in result.output
    assert "import the export in parts" in result.output
    assert draft.read_bytes() == before
    assert not personal_path(draft).exists()


def test_a_second_export_with_the_same_form_ids_is_not_taken_for_repeats(
    draft: Path, tmp_path: Path
) -> None:
    week1 = _csv(tmp_path, "1;2020-10-01;Anna Alt;;;2;Erste Woche.;nein;\n", "w1.csv")
    week2 = _csv(tmp_path, "1;2020-10-08;Bernd Berg;;;3;Zweite Woche.;nein;\n", "w2.csv")
    anonymous = _csv(
        tmp_path,
        ";2020-10-09;;;;2;Ich stimme zu.;;\n;2020-10-09;;;;3;Ich stimme zu.;;\n",
        "w3.csv",
    )
    for path in (week1, week2, anonymous):
        result = run("consult", "import", draft, path)
        assert result.exit_code == 0, result.output
        assert "already there" not in result.output
    charta = open_charta(str(draft))
    assert charta.consultation is not None
    # the second export's number 1 gets a suffix; later numbers stay the form's own
    assert [c.id for c in charta.consultation.comments] == [
        "comment-1",
        "comment-1-2",
        "comment-2",
        "comment-3",
    ]
    again = run("consult", "import", draft, anonymous)
    assert again.output.count("already there") == 2


def test_nothing_is_written_when_the_gitignore_cannot_be(draft: Path, tmp_path: Path) -> None:
    (draft.parent / ".gitignore").mkdir()
    before = draft.read_bytes()
    result = run("consult", "import", draft, EXAMPLE / "consultation.csv")
    assert result.exit_code == 1
    assert ".gitignore" in result.output
    assert draft.read_bytes() == before
    assert not personal_path(draft).exists()


def test_validate_checks_that_the_personal_data_belongs_to_the_charta(town: Path) -> None:
    personal = personal_path(town)
    personal.write_text(
        personal.read_text(encoding="utf-8").replace(
            'charta = "sindelfingen-leitmotive"', 'charta = "other-town"'
        )
        + '\n[[people]]\npseudonym = "Person 9"\nname = "Ayşe Yılmaz"\nemail = "a@example.org"\n'
        'comments = ["comment-2", "comment-77"]\n',
        encoding="utf-8",
    )
    problems = validate(town).problems
    messages = [str(p) for p in problems if p.code == "personal-data-mismatch"]
    assert any("personal data of 'other-town'" in m for m in messages)
    assert any("comment-2 is listed for Person 1 and for Person 9" in m for m in messages)
    # data of a comment the charta lacks: a torn pair, an error
    (torn,) = [p for p in problems if p.code == "torn-pair"]
    assert torn.level is Level.ERROR
    assert "comment-77 is no comment" in str(torn)
    assert any("people[1].pseudonym" in m for m in messages)
    result = run("consult", "letters", town, "-o", town.parent / "briefe")
    assert result.exit_code == 1
    assert "the personal-data file does not fit the charta" in result.output
    assert not (town.parent / "briefe").exists()
    # and no output is made that could miss a name
    for args in (["render", town], ["consult", "report", town], ["show", town]):
        refused = run(*args)
        assert refused.exit_code == 1
        assert "does not fit the charta, so no output is made" in refused.output


def test_people_of_one_name_are_two_and_keep_their_own_consent(draft: Path, tmp_path: Path) -> None:
    comments = _csv(
        tmp_path,
        ";2020-11-05;Thomas Müller;;tm1@example.org;1;Mein Kommentar A.;nein;\n"
        ";2020-11-05;Thomas Müller;;tm2@example.org;2;Mein Kommentar B.;ja;\n"
        ";2020-11-05;Anna Berg;;;3;Erster Kommentar.;;\n"
        ";2020-11-05;Anna Berg;;ab@example.org;4;Zweiter Kommentar.;;\n"
        "quast-1;2020-11-06;Lea Lang;;;5;Dritter Kommentar.;;\n",
    )
    assert run("consult", "import", draft, comments).exit_code == 0
    people = read_personal(personal_path(draft))
    assert people is not None
    assert [(p.pseudonym, p.email, p.consent_to_publish) for p in people.people] == [
        ("Person 1", "tm1@example.org", False),
        ("Person 2", "tm2@example.org", True),
        ("Person 3", "", False),
        ("Person 4", "ab@example.org", False),
        ("Person 5", "", False),
    ]
    report = run("consult", "report", draft, "--format", "markdown").output
    assert "Person 1, 5. November 2020: Mein Kommentar A" in report
    text = draft.read_text(encoding="utf-8")
    assert "quast" not in text  # a form's id that is not a number is not used
    again = run("consult", "import", draft, comments)
    assert "nothing to import" in again.output


def test_decidim_comments_are_told_apart_by_their_id(draft: Path, tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    entry = {
        "created_at": "2024-03-04T10:15:00+01:00",
        "body": {"de": "Zustimmung"},
        "locale": "de",
        "author": {"id": 7, "name": "Erika Musterfrau"},
        "commentable_type": "Decidim::Proposals::Proposal",
    }
    path.write_text(
        json.dumps(
            [{**entry, "id": 201, "commentable_id": 12}, {**entry, "id": 202, "commentable_id": 13}]
        ),
        encoding="utf-8",
    )
    result = run("consult", "import", draft, path)
    assert result.exit_code == 0, result.output
    charta = open_charta(str(draft))
    assert charta.consultation is not None
    assert [c.id for c in charta.consultation.comments] == ["decidim-201", "decidim-202"]


def test_names_and_addresses_stay_out_of_the_charta_file_whoever_writes_them(
    draft: Path, tmp_path: Path
) -> None:
    comments = _csv(
        tmp_path,
        ";2020-11-02;Wiebke Quast;;wq@example.org;1;Mehr Radwege.;nein;\n"
        ";2020-11-03;Stefan Neu;;;2;Alles neu machen.;nein;\n"
        ";2020-11-03;Anna Schmidt;;as@example.org;3;Gut so.;ja;\n"
        ";2020-11-04;Hans Berg;;;3;Wie Frau Quast (wq@example.org) sagt.;nein;\n"
        ";2020-11-04;Max 10;;;10;Zu Leitmotiv 10.;nein;\n",
    )
    assert run("consult", "import", draft, comments).exit_code == 0
    text = draft.read_text(encoding="utf-8")
    assert "Quast" not in text
    assert "wq@example.org" not in text
    assert "Wie Frau Person 1 (Person 1) sagt." in text
    assert "Alles neu machen." in text  # an ordinary word stays
    # answers and amendments: names refused, ordinary words and numbers not
    refused = [
        [
            "consult",
            "respond",
            draft,
            "comment-1",
            "--decision",
            "noted",
            "--text",
            "Danke, Frau Quast.",
        ],
        [
            "consult",
            "respond",
            draft,
            "comment-3",
            "--decision",
            "noted",
            "--text",
            "Mail: as@example.org",
        ],
        [
            "consult",
            "amend",
            draft,
            "vorne-dabei",
            "--because",
            "comment-2",
            "--text",
            "Wie Neu sagt.",
        ],
        ["adapt", f"{draft}#vorne-dabei", "--text", "Text laut Wiebke Quast"],
        ["merge", draft, "kulturwandel", "know-how", "--reason", "Wie Frau Quast vorschlug"],
    ]
    before = draft.read_bytes()
    for args in refused:
        result = run(*args)
        assert result.exit_code == 1, args
        assert "who did not consent to publication, or gives an address" in result.output
    assert draft.read_bytes() == before
    ok = run(
        "consult",
        "amend",
        draft,
        "vorne-dabei",
        "--because",
        "comment-2",
        "--text",
        "Ganz neu gedacht.",
    )
    assert ok.exit_code == 0, ok.output
    # a number in a name is no name: principle 10 keeps its number in every output
    page = run("render", draft, "--format", "markdown").output
    assert "### 10 Kommunikation" in page


def test_validate_finds_a_surname_in_a_principles_wording(private: Path) -> None:
    text = private.read_text(encoding="utf-8").replace(
        'title = "Vorne dabei"', 'title = "Vorne dabei (wie Frau Quast forderte)"'
    )
    private.write_text(text, encoding="utf-8")
    named = [str(p) for p in validate(private).problems if p.code == "personal-data-in-charta"]
    assert any("[items[1].title]" in m for m in named)


def test_third_review_addresses_in_quotes_spellings_particles_and_order(
    draft: Path, tmp_path: Path
) -> None:
    comments = _csv(
        tmp_path,
        ";07.11.2020;Hans Maier;;;5;Ich stimme Frau Quast zu.;nein;\n"
        ";08.11.2020;Wiebke Quast;;wq@example.org;5;Mehr Transparenz bitte.;nein;\n"
        ";08.11.2020;Ursula von der Leyen;Frau;uvdl@example.eu;4;"
        "Mehr Mut zur Digitalisierung der Verwaltung.;nein;\n"
        ";08.11.2020;Eva 2000;;;6;Bis 2000 Zeichen.;nein;\n"
        ";09.11.2020;Peter Klein;;pk@example.net;1;Schreiben Sie an „uvdl@example.eu“.;ja;\n",
    )
    assert run("consult", "import", draft, comments).exit_code == 0
    text = draft.read_text(encoding="utf-8")
    assert "Quast" not in text  # named before she is met in the file
    assert "Digitalisierung der Verwaltung" in text  # "der" is no name
    assert "Bis 2000 Zeichen" in text  # a number is no name
    assert "uvdl@example.eu" not in text
    again = run("consult", "import", draft, comments)
    assert "nothing to import" in again.output  # the same file twice adds nothing
    refused = [
        [
            "consult",
            "respond",
            draft,
            "comment-5",
            "--decision",
            "noted",
            "--text",
            "Weitergeleitet an „pk@example.net“ und *uvdl@example.eu*.",
        ],
        [
            "consult",
            "amend",
            draft,
            "impulsverstaerker",
            "--because",
            "comment-1",
            "--text",
            "Wie Frau QUAST vorschlug.",
        ],
        [
            "omit",
            draft,
            "smart-city-charta#leitlinie-1-1",
            "--reason",
            "Auf Hinweis von Frau Quast",
        ],
        [
            "link",
            f"{draft}#kommunikation",
            "smart-city-charta#leitlinie-2",
            "--relation",
            "inspired-by",
            "--note",
            "uvdl@example.eu sah den Bezug",
        ],
    ]
    before = draft.read_bytes()
    for args in refused:
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
    assert draft.read_bytes() == before
    ordinary = run(
        "consult",
        "amend",
        draft,
        "impulsverstaerker",
        "--because",
        "comment-1",
        "--text",
        "Die Stadt geht mit Mut voran bei der Digitalisierung.",
    )
    assert ordinary.exit_code == 0, ordinary.output


def test_a_person_without_comments_is_a_mismatch(town: Path) -> None:
    personal = personal_path(town)
    personal.write_text(
        personal.read_text(encoding="utf-8")
        + '\n[[people]]\npseudonym = "Person 5"\nname = "Wiebke Quast"\ncomments = []\n',
        encoding="utf-8",
    )
    assert any("Person 5 lists no comment" in str(p) for p in validate(town).problems)
    assert run("render", town).exit_code == 1


def test_a_principles_wording_meets_a_name_in_its_other_spellings() -> None:
    from charta.personal import Person
    from charta.privacy import hidden_names

    people = [Person(pseudonym="Person 1", name="Kürschner")]
    for text in ("Herr Kuerschner", "Herrn KÜRSCHNER", "Kürschners Idee"):
        assert hidden_names(people, [text], exact=True) == "Person 1", text
    assert hidden_names(people, ["ein kürschner"], exact=True) == ""
