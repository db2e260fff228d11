"""Comments as they arrive: Decidim's exports of every generation, form tables, spreadsheets.

The Decidim fixtures (tests/data/consult/decidim/, see its README) follow the
keys of Decidim's comment serializer in each generation and the behaviour of
its exporters; the names of the files say the version they follow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from charta.adapters.comments import read_export
from charta.adapters.toml.personal import read_personal
from charta.check.loading import open_charta, validate
from charta.cli import main
from charta.errors import ValidationError
from charta.personal import personal_path

from .test_consult import draft_file

ROOT_DATA = Path(__file__).parent / "data" / "consult"

DATA = Path(__file__).parent / "data" / "consult" / "decidim"
TARGETS = {"12": "vorne-dabei"}


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """Sindelfingen's Leitmotive as put to consultation (as in test_consult)."""
    return draft_file(tmp_path)


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def read(path: Path, **options: object) -> object:
    return read_export(path, targets=TARGETS, **options)  # type: ignore[arg-type]


# -- Decidim, every generation ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "generation"),
    [
        ("decidim-0.22-comments.csv", "0.20-0.22"),
        ("decidim-0.27-comments.csv", "0.23-0.30"),
        ("decidim-0.31-comments.csv", "0.31+"),
        ("decidim-0.27-comments.json", "0.23-0.30"),
        ("decidim-0.31-comments.json", "0.31+"),
    ],
)
def test_each_generation_is_told_by_its_columns(name: str, generation: str) -> None:
    export = read(DATA / name)
    assert f"Decidim {generation} comment export" in export.kind  # type: ignore[attr-defined]
    rows = export.rows  # type: ignore[attr-defined]
    assert [r.source_id for r in rows] == ["101", "102", "103", "104"]
    assert [r.person_key for r in rows][:2] == ["decidim-author:7", "decidim-author:8"]
    assert rows[0].name == "Erika Musterfrau"
    assert str(rows[0].date) == "2024-03-04"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # 0.20-0.22 put no guard before formulas: the text is as written
        ("decidim-0.22-comments.csv", '=HYPERLINK("http://evil.example","klick") Ich stimme zu.'),
        # from 0.23 the CSV exporter puts a ' before it: taken off again
        ("decidim-0.27-comments.csv", '=HYPERLINK("http://evil.example","klick") Ich stimme zu.'),
        ("decidim-0.31-comments.csv", '=HYPERLINK("http://evil.example","klick") Ich stimme zu.'),
        # the JSON exporter never guards
        ("decidim-0.27-comments.json", '=HYPERLINK("http://evil.example","klick") Ich stimme zu.'),
    ],
)
def test_the_formula_guard_is_taken_off_only_where_the_exporter_put_it(
    name: str, expected: str
) -> None:
    rows = read(DATA / name).rows  # type: ignore[attr-defined]
    assert rows[1].text == expected
    # a text that really begins with ' keeps it, in every generation
    assert rows[3].text.startswith("'Digital first'")


def test_a_guard_in_a_0_22_export_is_the_commenter_s_own_text(tmp_path: Path) -> None:
    text = (DATA / "decidim-0.22-comments.csv").read_text(encoding="utf-8")
    path = tmp_path / "old.csv"
    path.write_text(text.replace('"=HYPERLINK', "\"'=HYPERLINK"), encoding="utf-8")
    rows = read(path).rows  # type: ignore[attr-defined]
    assert rows[1].text.startswith("'=HYPERLINK")  # 0.22 added none: it was typed


@pytest.mark.parametrize("name", ["decidim-0.27-comments.csv", "decidim-0.31-comments.json"])
def test_a_reply_is_on_its_thread_s_principle(name: str) -> None:
    rows = read(DATA / name).rows  # type: ignore[attr-defined]
    reply = rows[1]
    assert reply.target == "vorne-dabei"  # the thread's root, proposal 12
    assert "a reply in Decidim to comment 101" in reply.note
    assert "on Decidim::Proposals::Proposal 99 in Decidim" in rows[2].note


def test_a_decidim_export_imports_and_twice_adds_nothing(draft: Path) -> None:
    path = DATA / "decidim-0.27-comments.csv"
    result = run("consult", "import", draft, path, "--target-map", "12=vorne-dabei")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    assert "Decidim 0.23-0.30 comment export (CSV)" in out
    assert "author/name -> name (Decidim 0.23-0.30)" in out
    charta = open_charta(str(draft))
    assert charta.consultation is not None
    comments = charta.consultation.comments
    assert [c.id for c in comments] == ["decidim-101", "decidim-102", "decidim-103", "decidim-104"]
    assert str(comments[1].target) == "#vorne-dabei"
    # the thread is kept, and the time to the second with its zone
    assert comments[1].in_reply_to == "decidim-101"
    assert [c.in_reply_to for c in comments if c.id != "decidim-102"] == ["", "", ""]
    assert comments[0].time == dt.datetime(2024, 3, 4, 10, 15, tzinfo=dt.UTC)
    assert not [p for p in validate(draft).problems if p.level.value == "error"]
    file_text = draft.read_text(encoding="utf-8")
    for name in ("Musterfrau", "Mustermann", "Yılmaz", "Verein Digitales"):
        assert name not in file_text
    people = read_personal(personal_path(draft))
    assert people is not None
    assert {p.key for p in people.people} == {f"decidim-author:{n}" for n in (7, 8, 9)}
    # the user group is kept, as personal data, in the personal-data file only
    erika = next(p for p in people.people if p.key == "decidim-author:7")
    assert erika.group == "Verein Digitales Sindelfingen e.V."
    assert "written for a user group in Decidim" in comments[2].note
    again = run("consult", "import", draft, path, "--target-map", "12=vorne-dabei")
    assert "nothing to import" in again.output  # type: ignore[attr-defined]
    assert len(open_charta(str(draft)).consultation.comments) == 4  # type: ignore[union-attr]


def test_a_decidim_xlsx_export_reads_as_its_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    with (DATA / "decidim-0.31-comments.csv").open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.reader(f, delimiter=";")):
            # as caxlsx writes them: ids and numbers as numbers, texts as texts
            sheet.append([int(c) if n and c.lstrip("-").isdigit() else c for c in row])
    path = tmp_path / "comments.xlsx"
    book.save(path)
    from_sheet = read(path)
    from_csv = read(DATA / "decidim-0.31-comments.csv")
    assert from_sheet.rows == from_csv.rows  # type: ignore[attr-defined]
    assert from_sheet.kind == "Decidim 0.31+ comment export (xlsx)"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("header", "what"),
    [
        (
            "id;category/id;category/name;scope/id;scope/name;participatory_space/id;"
            "participatory_space/url;component/id;title/de;body/de;address;latitude;longitude;"
            "state;reference;answer/de;supports;endorsements/total_count;comments;attachments;"
            "followers;published_at;url;meeting_urls;related_proposals;is_amend;"
            "original_proposal/title;original_proposal/url",
            "a proposals export",
        ),
        (
            "id;category/id;category/name;scope/id;scope/name;parent/id;title/de;description/de;"
            "start_date;end_date;status/id;status/name/de;progress;created_at;url;related_proposals",
            "an accountability results export",
        ),
    ],
)
def test_another_decidim_export_is_refused_saying_what_it_is(
    tmp_path: Path, header: str, what: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(header + "\n" + ";".join("1" for _ in header.split(";")) + "\n", "utf-8")
    with pytest.raises(ValidationError) as caught:
        read(path)
    assert f"this is {what} of Decidim, not its comment export" in str(caught.value)


def test_a_proposals_json_export_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "proposals.json"
    entry = {
        "id": 5,
        "title": {"de": "Radweg"},
        "body": {"de": "..."},
        "state": "accepted",
        "reference": "SI-PROP-2024-03-5",
        "answer": {"de": ""},
        "supports": 4,
    }
    path.write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(ValidationError, match="a proposals export of Decidim"):
        read(path)


FORM = '{"id": ID, "text": TEXT, "target": "2", "consent": "nein"}'


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (FORM.replace("ID", "1").replace("TEXT", "true"), "'text' holds true, not a text"),
        (FORM.replace("ID", "1").replace("TEXT", "123"), "'text' holds 123, not a text"),
        (FORM.replace("ID", "1").replace("TEXT", "1.5"), "'text' holds 1.5, not a text"),
        (FORM.replace("ID", "1").replace("TEXT", "NaN"), "holds NaN, which is no JSON value"),
        (FORM.replace("ID", "1").replace("TEXT", "-Infinity"), "holds -Infinity"),
        (FORM.replace("ID", "9" * 5000).replace("TEXT", '"x"'), "'id' holds a number of 5,000"),
        (FORM.replace("ID", "9" * 65).replace("TEXT", '"x"'), "'id' holds a number of 65 digits"),
        (FORM.replace("ID", "1e999").replace("TEXT", '"x"'), "'id' holds a number too large"),
    ],
)
def test_a_json_entry_with_a_value_that_is_no_text_is_refused_and_named(
    tmp_path: Path, entry: str, said: str
) -> None:
    path = tmp_path / "form.json"
    good = FORM.replace("ID", "7").replace("TEXT", '"Gut so."')
    path.write_text(f"[{good}, {entry}]", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_export(str(path))
    shown = str(caught.value)
    assert said in shown
    assert "Traceback" not in shown
    if "NaN" not in said and "Infinity" not in said:
        assert "entry 2" in shown  # the entry named, not the file only


def test_a_decidim_body_that_is_no_text_is_refused(tmp_path: Path) -> None:
    fixture = next((ROOT_DATA / "decidim").glob("*.json"))
    data = json.loads(fixture.read_text(encoding="utf-8"))
    entries = data if isinstance(data, list) else data["comments"]
    body = entries[0]["body"]
    entries[0]["body"] = dict.fromkeys(body, 5) if isinstance(body, dict) else 5
    path = tmp_path / "decidim.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(ValidationError, match="holds 5, not a text") as caught:
        read_export(str(path))
    assert "entry 1" in str(caught.value)


# -- form tables: every column said, never dropped ------------------------------


def _csv(tmp_path: Path, rows: list[list[str]], sep: str = ",") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    path = tmp_path / "form.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_german_consent_header_of_several_words_is_consent(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            ["Name", "Leitmotiv", "Ihr Kommentar", "Einwilligung Veröffentlichung"],
            ["Jo Beispiel", "2", "Gut so.", "ja"],
        ],
    )
    export = read(path)
    assert [c.field for c in export.columns] == ["name", "target", "text", "consent"]  # type: ignore[attr-defined]
    assert export.rows[0].consent is True  # type: ignore[attr-defined]


def test_an_unknown_column_is_refused_until_it_is_mapped(tmp_path: Path) -> None:
    rows = [
        ["Kommentar", "Leitmotiv", "Einwilligung", "IP-Adresse"],
        ["Gut.", "2", "nein", "1.2.3.4"],
    ]
    path = _csv(tmp_path, rows)
    with pytest.raises(ValidationError, match="the column 'IP-Adresse' means nothing to charta"):
        read(path)
    export = read(path, mapping={"IP-Adresse": "ignore"})
    assert export.columns[3].field == "ignore"  # type: ignore[attr-defined]
    assert export.columns[3].how == "--map"  # type: ignore[attr-defined]


def test_a_missing_principle_or_consent_column_is_refused_not_guessed(tmp_path: Path) -> None:
    path = _csv(tmp_path, [["Kommentar"], ["Gut."]])
    with pytest.raises(ValidationError) as caught:
        read(path)
    messages = str(caught.value)
    assert "no column says which principle" in messages
    assert "no column says whether a commenter's name may be published" in messages
    export = read(path, whole_charta=True, consent=False)
    assert export.rows[0].target == ""  # type: ignore[attr-defined]
    assert export.rows[0].consent is False  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Kommentar", "Leitmotiv", "Einwilligung"], ["Gut.", "2"]], "the row has 2 cells"),
        (
            [["Kommentar", "Leitmotiv", "Einwilligung"], ["Gut.", "2", "ja", "Anna"]],
            "the row has 4 cells",
        ),
    ],
)
def test_a_short_or_long_row_is_a_bad_row_with_its_line(
    tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    path = _csv(tmp_path, rows)
    with pytest.raises(ValidationError) as caught:
        read(path)
    [problem] = caught.value.problems
    assert problem.location.line == 2
    assert message in problem.message


def test_semicolon_rows_under_a_comma_header_are_bad_rows_not_texts(tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    path.write_text(
        "Name,E-Mail,Leitmotiv,Kommentar,Einwilligung\nAnna Wald;anna@example.org;2;Gut so;nein\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read(path)
    [problem] = caught.value.problems
    assert "separated by semicolons, the header by commas" in problem.message
    assert "Anna Wald" not in problem.message


def test_a_bad_row_writes_nothing(draft: Path, tmp_path: Path) -> None:
    before = draft.read_bytes()
    path = _csv(
        tmp_path,
        [["Kommentar", "Leitmotiv", "Einwilligung"], ["Gut.", "2", "ja"], ["Schlecht.", "2"]],
    )
    result = run("consult", "import", draft, path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"{path}:3:" in result.output  # type: ignore[attr-defined]
    assert draft.read_bytes() == before
    assert not personal_path(draft).exists()


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\u202e", "\x9b"])
@pytest.mark.parametrize("column", ["Anrede", "E-Mail", "Name"])
def test_control_and_bidi_characters_are_refused_in_every_field(
    tmp_path: Path, char: str, column: str
) -> None:
    values = {"Anrede": "Frau", "E-Mail": "a@example.org", "Name": "Anna Wald"}
    values[column] = values[column][:2] + char + values[column][2:]
    path = _csv(
        tmp_path,
        [
            ["Anrede", "E-Mail", "Name", "Kommentar", "Leitmotiv", "Einwilligung"],
            [values["Anrede"], values["E-Mail"], values["Name"], "Gut.", "2", "nein"],
        ],
    )
    with pytest.raises(ValidationError, match="control character"):
        read(path)


def test_the_cli_prints_how_it_read_each_column(draft: Path, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            ["Datum", "Kommentar", "Leitmotiv", "Einwilligung", "IP"],
            ["05.11.2020", "Gut.", "2", "ja", "x"],
        ],
    )
    result = run("consult", "import", draft, path, "--map", "IP=ignore")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    assert "form CSV" in out
    assert "Datum -> date" in out
    assert "IP -> ignore (--map)" in out


def test_a_report_into_a_folder_not_made_yet_makes_it(draft: Path, tmp_path: Path) -> None:
    path = _csv(tmp_path, [["Kommentar", "Leitmotiv", "Einwilligung"], ["Gut.", "2", "nein"]])
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    out = tmp_path / "abwaegung" / "2024" / "tabelle.csv"
    result = run("consult", "report", draft, "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "Gut." in out.read_text(encoding="utf-8")


def test_the_command_line_reads_a_german_date_as_the_csv_does(draft: Path, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [["Datum", "Kommentar", "Leitmotiv", "Einwilligung"], ["05.11.2020", "Gut.", "2", "nein"]],
    )
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    [comment] = open_charta(str(draft)).consultation.comments  # type: ignore[union-attr]
    result = run(
        "consult",
        "respond",
        draft,
        comment.id,
        "--decision",
        "noted",
        "--text",
        "Danke.",
        "--date",
        "05.11.2020",
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    [response] = open_charta(str(draft)).consultation.responses  # type: ignore[union-attr]
    assert str(response.date) == str(comment.date) == "2020-11-05"


def test_a_decidim_row_ending_in_a_separator_reads_as_its_row(tmp_path: Path) -> None:
    # Found by review: a trailing ';' crashed the Decidim path (zip strict).
    lines = (DATA / "decidim-0.31-comments.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "trailing.csv"
    path.write_text(
        "\n".join([lines[0] + ";", *(line + ";" for line in lines[1:])]) + "\n", "utf-8"
    )
    assert read(path).rows == read(DATA / "decidim-0.31-comments.csv").rows  # type: ignore[attr-defined]


def test_two_maps_of_one_column_and_form_options_on_decidim_are_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path, [["Meinung", "Leitmotiv", "Einwilligung"], ["Gut.", "2", "ja"]])
    with pytest.raises(ValidationError, match="two --map options name the column"):
        read(path, mapping={"Meinung": "text", "meinung ": "ignore"})
    with pytest.raises(ValidationError, match="--consent is for a form's file"):
        read(DATA / "decidim-0.27-comments.csv", consent=True)


def test_a_blank_header_cell_can_be_mapped_by_its_number(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, [["Kommentar", "", "Leitmotiv", "Einwilligung"], ["Gut.", "x", "2", "ja"]]
    )
    with pytest.raises(ValidationError, match="the column 'column 2' means nothing"):
        read(path)
    assert read(path, mapping={"column 2": "ignore"}).rows[0].text == "Gut."  # type: ignore[attr-defined]


# -- contact data: never in a public output ------------------------------------

CONTACTS = {
    "0170 1234567": "phone",
    "07031/94-123": "phone",
    "+49 (0)7031 94123": "phone",
    "0151-23456789": "phone",
    "anna.wald@privat.example": "email",
    "jo (at) beispiel (dot) de": "email",
    "Hauptstraße 12, 71063 Sindelfingen": "address",
    "Bahnhofstr. 7a": "address",
    "Am Marktplatz 3": "address",
    "https://www.facebook.com/anna.wald": "profile",
    "@jo@mastodon.social": "profile",
}


def test_contact_data_in_comments_reaches_no_public_output(draft: Path, tmp_path: Path) -> None:
    from .test_consult import _outputs

    values = list(CONTACTS)
    rows = [["Name", "E-Mail", "Leitmotiv", "Kommentar", "Einwilligung"]]
    for n, value in enumerate(values):
        consent = "ja" if n % 2 else "nein"  # consent to be named is not consent to this
        rows.append([f"Bürger {n}", "", "2", f"Meine Angabe: {value}. Gruß", consent])
    path = _csv(tmp_path, rows)
    result = run("consult", "import", draft, path)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"{len(values)} comment(s) held contact data" in result.output  # type: ignore[attr-defined]
    text = draft.read_text(encoding="utf-8")
    for value in values:
        assert value not in text, value
    assert "[Telefonnummer entfernt]" in text
    assert "[Anschrift entfernt]" in text
    people = read_personal(personal_path(draft))
    assert people is not None
    kept = [c for p in people.people for c in p.contact_data]
    assert len(kept) == len(values)
    assert all(any(value in c for c in kept) for value in values)
    assert "contact-data-in-charta" not in {p.code for p in validate(draft).problems}
    original = tmp_path / "original.toml"
    original.write_text(text, encoding="utf-8")
    outputs = _outputs(draft, original)
    assert len(outputs) == 21
    for name, out in outputs.items():
        for value in values:
            assert value not in out, f"{name} shows {value!r}"
    assert "Meine Angabe: [Telefonnummer entfernt]. Gruß" in outputs["render html"]


def test_contact_data_a_clerk_typed_into_the_file_is_an_error_and_never_shown(
    draft: Path,
) -> None:
    from charta.privacy import public_view
    from charta.render import render_charta

    path = _csv(draft.parent, [["Kommentar", "Leitmotiv", "Einwilligung"], ["Gut so.", "2", "ja"]])
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    text = draft.read_text(encoding="utf-8").replace(
        'text = "Gut so."', 'text = "Gut so. Rückfragen: 0170 1234567, Hauptstraße 12"'
    )
    draft.write_text(text, encoding="utf-8")
    [problem] = [p for p in validate(draft).problems if p.code == "contact-data-in-charta"]
    assert problem.level.value == "error"
    assert problem.location.line is not None
    assert "a phone number and a street address" in problem.message
    from charta.adapters.toml import load  # read without the meaning checks, as a script might

    town = load(draft)
    for fmt in ("html", "markdown", "json", "toml"):
        out = render_charta(public_view(town), fmt)
        assert "0170 1234567" not in out, fmt
        assert "Hauptstraße 12" not in out, fmt
        assert "Telefonnummer entfernt" in out, fmt  # Markdown escapes the brackets


def test_a_reply_to_nothing_and_a_thread_in_a_circle_are_errors(draft: Path) -> None:
    from charta.check.loading import validate_text

    path = DATA / "decidim-0.31-comments.csv"
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    text = draft.read_text(encoding="utf-8")
    assert 'in-reply-to = "decidim-101"' in text
    circle = text.replace(
        'id = "decidim-101"\n', 'id = "decidim-101"\nin-reply-to = "decidim-102"\n', 1
    )
    nowhere = text.replace('in-reply-to = "decidim-101"', 'in-reply-to = "decidim-999"')
    found = {
        name: [
            p.message for p in validate_text(t, str(draft)).problems if p.code == "unknown-comment"
        ]
        for name, t in (("circle", circle), ("nowhere", nowhere))
    }
    assert len(found["circle"]) == 1
    assert "runs in a circle" in found["circle"][0]
    [message] = found["nowhere"]
    assert message.startswith(
        "comment 'decidim-102' replies to comment 'decidim-999', which does not exist"
    )


# -- names as people write them ------------------------------------------------


def test_names_are_found_as_people_write_them_and_the_charta_file_holds_none(
    draft: Path, tmp_path: Path
) -> None:
    rows = [
        ["Name", "Leitmotiv", "Kommentar", "Einwilligung"],
        ["Ayşe Yılmaz", "2", "Mehr Bildung.", "nein"],
        ["Anna Wald", "2", "Mehr Radwege.", "nein"],
        ["Anna-Lena Meyer", "2", "Mehr Bäume.", "nein"],
        ["Li Na", "2", "Mehr Licht.", "nein"],
        ["Thomas Müller", "3", "Ich stimme zu.", "ja"],
        [
            "Jo Beispiel",
            "3",
            "Wie Frau Yilmaz sagt; Anna-Lena Meyer auch, und Anna; Li Na meint: Na gut. "
            "Herr Mueller hat zugestimmt.",
            "nein",
        ],
    ]
    path = _csv(tmp_path, rows)
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    text = draft.read_text(encoding="utf-8")
    for name in ("Yilmaz", "Yılmaz", "Anna", "Meyer", "Li Na", "Wald", "Jo Beispiel"):
        assert name not in text, name
    cons = open_charta(str(draft)).consultation
    assert cons is not None
    last = cons.comments[-1].text
    people = {c.text: c.commenter.pseudonym for c in cons.comments}
    assert f"Wie Frau {people['Mehr Bildung.']} sagt" in last
    assert f"{people['Mehr Bäume.']} auch" in last
    # a word of two people's names is given to neither
    assert "und [Name entfernt];" in last
    assert f"{people['Mehr Licht.']} meint: Na gut." in last
    # Müller consented: his name may stand
    assert "Herr Mueller hat zugestimmt." in last


def test_a_word_two_hidden_names_share_is_no_one_s_pseudonym_in_public() -> None:
    import attrs

    from charta.model import Comment, Commenter, Consultation, Decision, Response
    from charta.privacy import public_view

    town = open_charta(
        str(Path(__file__).parent.parent / "examples" / "sindelfingen" / "leitmotive.toml")
    )
    people = [("comment-a", "Anna Wald", "Person 7"), ("comment-b", "Anna-Lena Meyer", "Person 8")]
    comments = tuple(
        Comment(id=i, text="Gut.", commenter=Commenter(name=n, pseudonym=p)) for i, n, p in people
    )
    answer = Response(
        id="response-a",
        comment="comment-a",
        by="Amt",
        text="Danke, Anna, und Frau Meyer.",
        decision=Decision.NOTED,
    )
    town = attrs.evolve(town, consultation=Consultation(comments=comments, responses=(answer,)))
    [shown] = public_view(town).consultation.responses  # type: ignore[union-attr]
    assert shown.text == "Danke, [Name entfernt], und Frau Person 8."


def test_consul_s_comment_data_file_imports_anonymously(draft: Path) -> None:
    path = Path(__file__).parent / "data" / "consult" / "consul" / "comments.json"
    export = read_export(path, targets={"12": "vorne-dabei"})
    assert export.kind == "CONSUL Democracy comment data file (JSON)"
    assert [r.source_id for r in export.rows] == ["301", "302"]
    assert export.rows[0].target == "vorne-dabei"
    assert "on Debate 7 in CONSUL" in export.rows[1].note
    result = run("consult", "import", draft, path, "--target-map", "12=vorne-dabei")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    again = run("consult", "import", draft, path, "--target-map", "12=vorne-dabei")
    assert "nothing to import" in again.output  # type: ignore[attr-defined]
    cons = open_charta(str(draft)).consultation
    assert cons is not None
    assert [c.id for c in cons.comments] == ["consul-301", "consul-302"]


# -- found by the review of issue 17 -------------------------------------------


def test_names_that_are_words_stay_words_and_consented_names_stay_whole() -> None:
    from charta.privacy import NameIndex

    names = NameIndex(
        [("Anna Wald", "Person 1"), ("Klein", "Person 2"), ("Peter Koch", "Person 3")],
        kept=["Anna Schmidt"],
    )
    assert names.clean("Der Wald muss bleiben, des Waldes wegen.") == (
        "Der Wald muss bleiben, des Waldes wegen."
    )
    assert (
        names.clean("Das Budget ist klein, sagt Klein.") == "Das Budget ist klein, sagt Person 2."
    )
    assert names.clean("Der Koch kocht; Herr Koch nicht.") == "Der Koch kocht; Herr Person 3 nicht."
    # a consenting person's name stays; the word she shares with a hidden name is no one's
    assert names.clean("Anna Schmidt hat recht.") == "Anna Schmidt hat recht."
    assert names.clean("Anna meint das auch.") == "[Name entfernt] meint das auch."


def test_contact_data_is_taken_before_names_and_invisible_characters_hide_none(
    draft: Path, tmp_path: Path
) -> None:
    from charta import contact

    path = _csv(
        tmp_path,
        [
            ["Name", "Leitmotiv", "Kommentar", "Einwilligung"],
            ["Anna Wald", "2", "Schreiben Sie an anna.wald@gmx.example bitte.", "nein"],
            ["Bernd Berg", "2", "Oder an max\u200b@web.example.", "nein"],
        ],
    )
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    people = read_personal(personal_path(draft))
    assert people is not None
    kept = [c for p in people.people for c in p.contact_data]
    assert any(c.endswith(": anna.wald@gmx.example") for c in kept), kept
    assert any(c.endswith(": max@web.example") for c in kept), kept
    texts = [c.text for c in open_charta(str(draft)).consultation.comments]  # type: ignore[union-attr]
    assert texts[0] == "Schreiben Sie an [E-Mail entfernt] bitte."
    # a year after a street is a year; with a postcode after it, an address
    assert contact.mask("Die Bahnhofstraße 2025 umbauen.") == "Die Bahnhofstraße 2025 umbauen."
    assert contact.mask("Berliner Straße 12") == "[Anschrift entfernt]"


def test_a_sheet_nobody_touched_reads_back_and_a_row_twice_is_named(
    draft: Path, tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    from charta.adapters.comments.table import sheet_table
    from charta.adapters.sheets import unguard, write_sheet

    path = _csv(
        tmp_path,
        [
            ["Name", "Leitmotiv", "Kommentar", "Einwilligung"],
            ["Ibrahim Demir", "2", "'Zitat' am Anfang.", "nein"],
            ["Jo Beispiel", "3", "Fragen Sie Ibrahim Demir.", "nein"],
        ],
    )
    assert run("consult", "import", draft, path).exit_code == 0  # type: ignore[attr-defined]
    sheet = tmp_path / "abwaegung.xlsx"
    assert run("consult", "report", draft, "--format", "xlsx", "-o", sheet).exit_code == 0  # type: ignore[attr-defined]
    untouched = run("consult", "import-responses", draft, sheet)
    assert untouched.exit_code == 0, untouched.output  # type: ignore[attr-defined]
    assert "2 comment(s) not weighed yet" in untouched.output  # type: ignore[attr-defined]
    table = sheet_table(sheet)
    rows = [[unguard(c) for c in r.cells] for r in table.rows]
    rows[0][6:8] = ["angenommen", "Ja."]
    rows.append([*rows[0][:6], "abgelehnt", "Nein."])
    twice = tmp_path / "doppelt.xlsx"
    write_sheet(twice, table.header, rows, title="Abwägung")
    result = run("consult", "import-responses", draft, twice)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "stands in row 2 already" in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # a number glued to an address: the address is taken (the phone window
        # reaches past the digits)
        ("Tel +49 7031 940max@web.de", "Tel +49 7031 [E-Mail entfernt]"),
        ("Rufen Sie 07031 94-0 an.", "Rufen Sie [Telefonnummer entfernt] an."),
        ("Tel. 07031/94-0", "Tel. [Telefonnummer entfernt]"),
        ("max (at) web (dot) de", "[E-Mail entfernt]"),
        ("Hauptstraße 5, 71063 Sindelfingen", "[Anschrift entfernt]"),
        ("Wort123456 Wort71063 ist kein Name", "Wort123456 Wort71063 ist kein Name"),
    ],
)
def test_contact_data_found_in_long_and_short_texts_alike(text: str, masked: str) -> None:
    from charta import contact

    assert contact.mask(text) == masked
    # the same in a long text that gives the patterns work elsewhere
    filler = " ".join(f"wort{i}" for i in range(2000))
    assert contact.mask(f"{filler} {text} {filler}") == f"{filler} {masked} {filler}"


def test_a_group_signature_of_many_names_is_hidden_in_full() -> None:
    from charta.privacy import mentions

    name = (
        "Elternbeirat der Grundschule am Goldberg: Anna Berg, Bernd Kurz, Clara Lang, "
        "Dieter Moll, Eva Noll, Frank Ott, Gerd Pohl, Hanna Rau, Ines Sahm"
    )
    assert mentions("Frau Moll meint", name)
