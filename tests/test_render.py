"""charta render: every format of the example as a golden file, privacy, escaping, templates.

The browser, axe and validator checks of the HTML are in test_browser.py.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from charta.adapters.markdown import md
from charta.check.loading import open_charta
from charta.cli import main
from charta.errors import ChartaError
from charta.model import Reference
from charta.render.run import FORMATS, Settings, read_settings, render, render_charta
from charta.texts import is_web_url
from tests import render_cases

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
SETTINGS = ROOT / "examples" / "sindelfingen" / "render.toml"
GOLDEN_NAMES = {
    "html": "sindelfingen.html",
    "toml": "sindelfingen.toml",
    "json": "sindelfingen.json",
    "markdown": "sindelfingen.md",
    "prov-json": "sindelfingen.prov.json",
    "prov-n": "sindelfingen.provn",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_the_example_matches_its_golden_file(fmt: str, golden) -> None:
    text = render(str(EXAMPLE), fmt, settings_file=str(SETTINGS))
    golden(f"render/{GOLDEN_NAMES[fmt]}", text)


def test_the_cli_writes_what_the_library_renders(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(
        main, ["render", str(EXAMPLE), "--settings", str(SETTINGS), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render(
        str(EXAMPLE), "html", settings_file=str(SETTINGS)
    )


def test_render_never_writes_over_its_input(tmp_path: Path) -> None:
    copy = tmp_path / "leitmotive.toml"
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = copy.read_bytes()
    result = CliRunner().invoke(main, ["render", str(copy), "-o", str(copy)])
    assert result.exit_code == 1
    assert "never writes over its input" in result.output
    assert copy.read_bytes() == before


def test_toml_output_reads_back_as_the_public_view() -> None:
    from charta.adapters.toml import loads
    from charta.privacy import public_view

    charta = open_charta(str(EXAMPLE))
    assert loads(render_charta(charta, "toml")) == public_view(charta)


def test_json_output_follows_the_published_schema() -> None:
    import jsonschema

    from charta.adapters.schema import json_schema

    data = json.loads(render(str(EXAMPLE), "json"))
    jsonschema.validate(data, json_schema())
    assert data["id"] == "sindelfingen-leitmotive"
    assert data["adoption"]["date"] == "2020-12-08"  # JSON has no date type: ISO text


def test_schema_for_json_is_the_charta_schema() -> None:
    a = CliRunner().invoke(main, ["schema", "--for", "json"])
    b = CliRunner().invoke(main, ["schema"])
    assert a.exit_code == 0
    assert a.output == b.output


@pytest.mark.parametrize("fmt", ["prov-json", "prov-n"])
def test_prov_reads_back_with_the_prov_package(fmt: str) -> None:
    from prov.model import ProvDocument

    from charta.render.prov import prov_document
    from charta.render.run import page_of

    charta = open_charta(str(EXAMPLE))
    doc = prov_document(page_of(charta, str(EXAMPLE), Settings()))
    text = render_charta(charta, fmt, base=str(EXAMPLE))
    if fmt == "prov-json":
        back = ProvDocument.deserialize(content=text, format="json")
        assert back == doc
    else:
        # prov has no PROV-N reader: the PROV-N is what the same document writes.
        assert text == doc.get_provn() + "\n"
        assert text.startswith("document\n")
        assert text.rstrip().endswith("endDocument")


def test_prov_says_what_the_model_says() -> None:
    text = render(str(EXAMPLE), "prov-n")
    # the amended Leitmotiv 2 is a revision of its first wording, caused by the consultation
    # (prov writes wasRevisionOf as a derivation of type prov:Revision)
    assert (
        "wasDerivedFrom(id:sindelfingen-leitmotive/items/vorne-dabei, "
        "id:sindelfingen-leitmotive/items/vorne-dabei/v1, -, -, -, [prov:type='prov:Revision'])"
        in text
    )
    assert "used(id:sindelfingen-leitmotive/items/vorne-dabei/revision-1, " in text
    assert "id:sindelfingen-leitmotive/consultation/comment-2" in text
    # derivations carry the relation as a qualified type, and who asserts them
    assert re.search(
        r"wasDerivedFrom\(id:sindelfingen-leitmotive/items/vorne-dabei, "
        r"id:smart-city-charta/items/leitbild-5, -, -, -, \[prov:type='charta:extended'",
        text,
    )
    assert 'charta:assertedBy="record-keeper"' in text
    # a month is never made into a day
    assert 'charta:date="2020-11"' in text
    assert "2020-11-01T" not in text
    # the commenter is an agent by pseudonym; the issuer an organisation
    assert "prov:type='prov:Person'" in text
    assert "prov:type='prov:Organization', prov:label=\"Stadt Sindelfingen\"" in text


def test_adopted_verbatim_is_quoted_from() -> None:
    charta = render_cases.fifty()
    text = render_charta(charta, "prov-n")
    # (prov writes wasQuotedFrom as a derivation of type prov:Quotation)
    assert re.search(
        r"wasDerivedFrom\(id:fuenfzig/items/leitmotiv-\d+, "
        r"id:smart-city-charta/items/leitbild-\d, -, -, -, "
        r"\[prov:type='charta:adopted', prov:type='prov:Quotation'",
        text,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_leaks_a_commenter_who_did_not_consent(fmt: str) -> None:
    charta = render_cases.with_private_commenter(open_charta(str(EXAMPLE)))
    text = render_charta(charta, fmt, base=str(EXAMPLE))
    if fmt in ("json", "prov-json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    for secret in (
        render_cases.PRIVATE_NAME,
        render_cases.PRIVATE_FIRST,
        render_cases.PRIVATE_EMAIL,
        "example.org",
    ):
        assert secret not in text, f"{secret!r} in {fmt}"
    assert "Bürger*in B" in text or "Bürger\\*in B" in text or "B&#252;rger" in text


def test_the_page_shows_what_the_issue_asks_for() -> None:
    html = render(str(EXAMPLE), "html", settings_file=str(SETTINGS))
    assert html.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert html.count("<h1>") == 1
    assert '<a class="charta-skip" href="#charta_main">Zum Inhalt springen</a>' in html
    # each principle: a stable anchor and its number and title as a heading
    assert '<article class="principle" id="vorne-dabei"' in html
    assert '<h3 id="vorne-dabei_title"><span class="label">2</span> Vorne dabei</h3>' in html
    # provenance in words, with publisher, edition, page and link
    assert "Diese Verbindung ist erschlossen" in html
    assert "<dt>Seite/Stelle</dt><dd>S. 9</dd>" in html
    assert '<a href="https://www.bmu.de/en/download/smart-city-charta/">' in html
    # the amendment: ins with words a screen reader announces (no datetime for a month)
    assert '<ins><span class="vh">Eingefügt: </span>sowie Bildungseinrichtungen</ins>' in html
    # consultation: by pseudonym, with the response, the decision and the change
    assert "Kommentar von Person 1 zu 2 „Vorne dabei“" in html
    assert "<strong>Entscheidung:</strong> angenommen" in html
    assert '<a href="#vorne-dabei">2 „Vorne dabei“</a> (Text)' in html
    # coverage: a table with caption and scopes, and a picture with title and description
    assert "<caption>Punkte von „Smart City Charta" in html
    assert '<th scope="row">' in html
    assert '<th scope="col"' in html
    assert '<svg role="img" aria-labelledby="charta_svg_title charta_svg_desc"' in html
    # print, phone and forced colours
    for query in ("@media print", "@media (max-width: 40rem)", "@media (forced-colors: active)"):
        assert query in html
    # the town's links from the settings file; notes marked as English
    assert '<nav aria-label="Weitere Angaben">' in html
    assert '<details class="note"><summary>Anmerkung der Datenpflege</summary><p lang="en">' in html
    # self-contained: nothing loaded from elsewhere, no script
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert not re.search(r"\ssrc=", html)


def test_headings_never_skip_a_level() -> None:
    for charta in (open_charta(str(EXAMPLE)), render_cases.fifty(), render_cases.hostile()):
        html = render_charta(charta, "html", base=str(EXAMPLE))
        levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
        assert levels[0] == 1
        assert levels.count(1) == 1
        for a, b in itertools.pairwise(levels):
            assert b <= a + 1, (a, b)


def test_english_labels_for_an_english_charta_and_on_request() -> None:
    charta = attrs.evolve(render_cases.fifty(), language="en")
    html = render_charta(charta, "html")
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    # --lang en on a German charta: English words, marked as English on a German page
    de = render(str(EXAMPLE), "html", lang="en")
    assert '<html lang="de">' in de
    assert '<span lang="en">Skip to content</span>' in de
    assert "Inserted: " in de


def test_fragment_is_the_content_without_the_document() -> None:
    frag = render(str(EXAMPLE), "html", fragment=True)
    assert not re.search(r"<(html|head|body)[\s>]", frag)
    assert frag.lstrip().startswith('<div class="charta" lang="de">')
    assert "<main" not in frag  # the CMS page has its own
    # the style travels with it, and every rule is scoped to .charta (or the skip link)
    style = frag.split("<style>", 1)[1].split("</style>", 1)[0]
    rules = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
    selectors = re.findall(r"(?:^|})\s*([^{}@]+?)\s*\{", rules)
    for sel in selectors:
        for part in sel.split(","):
            one = part.strip()
            assert one.startswith(".charta"), one
    assert "body {" not in frag


def test_a_town_template_replaces_blocks_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}\n'
        '{% block footer %}<footer class="stadt">Stadt {{ charta.issuer.body }}</footer>'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    charta = render_cases.hostile()
    html = render_charta(charta, "html", settings=Settings(template_dir=str(tmp_path)))
    assert '<footer class="stadt">Stadt &lt;' in html  # the town's block, escaped
    assert '<a class="charta-skip"' in html
    assert '<h2 id="charta_principles">Die Leitmotive</h2>' in html


@pytest.mark.parametrize(
    "template",
    [
        "{{ charta.title | safe }}",
        '{% extends "base.html" %}{% block header %}{{ charta.title|safe }}{% endblock %}',
    ],
)
def test_no_template_can_mark_text_as_safe(tmp_path: Path, template: str) -> None:
    from charta.errors import ChartaError

    (tmp_path / "page.html").write_text(template, encoding="utf-8")
    with pytest.raises(ChartaError, match="safe"):
        render_charta(render_cases.hostile(), "html", settings=Settings(template_dir=str(tmp_path)))


def test_a_broken_town_template_is_a_message_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text('{% extends "base.html" %}\n{% block x %}', "utf-8")
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "--template-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "page.html:2" in result.output
    assert "bad-template" in result.output
    assert "Traceback" not in result.output


def test_a_town_template_that_fails_while_rendering_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("{{ charta.title + 1 }}", "utf-8")
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "--template-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "TypeError" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('lang = "fr"\n', "has no labels", 1),
        ('\nlanguage = "de"\n', "unknown key 'language'", 2),
        ('[[links]]\nlabel = "Impressum"\nurl = "javascript:alert(1)"\n', "https://", 3),
        ('[[links]]\nurl = "https://example.org/"\n', "no label", 1),
        ("lang = \n", "not valid TOML", None),
        ('links = "x"\n', "list of tables", 1),
    ],
)
def test_bad_settings_name_the_file_line_and_what_to_do(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    from charta.errors import ChartaError

    path = tmp_path / "render.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChartaError) as info:
        read_settings(path)
    problem = info.value.problems[0]
    assert message in problem.message
    assert problem.code == "bad-settings"
    assert problem.location.file == str(path)
    if line is not None:
        assert problem.location.line == line


def test_the_example_settings_are_read() -> None:
    settings = read_settings(SETTINGS)
    assert settings.notes_language == "en"
    assert all(is_web_url(link.url) for link in settings.links)


def test_link_option_needs_an_http_address() -> None:
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "--link", "X=javascript:alert(1)"])
    assert result.exit_code == 1
    assert "LABEL=URL" in result.output
    ok = CliRunner().invoke(main, ["render", str(EXAMPLE), "--link", "Kontakt=https://x.invalid/"])
    assert '<a href="https://x.invalid/">Kontakt</a>' in ok.output


@pytest.mark.parametrize(
    ("url", "web"),
    [
        ("https://example.org/", True),
        ("http://example.org/a?b=c", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("https://exa mple.org", False),
        ("https://example.org/\nx", False),
        ("//example.org", False),
        ("", False),
    ],
)
def test_only_http_addresses_become_links(url: str, web: bool) -> None:
    assert is_web_url(url) is web


def test_markdown_escapes_markup_and_line_starts() -> None:
    assert md("1. Punkt") == "1\\. Punkt"
    assert md("- Punkt") == "\\- Punkt"
    assert md("<b>x</b> & @all") == "\\<b\\>x\\</b\\> &amp; &#64;all"
    assert md("a\n\n# b") == "a \\# b"


def test_a_source_charta_renders_without_coverage() -> None:
    html = render("smart-city-charta", "html")
    assert "Welche Quellen aufgegriffen werden" not in html
    assert "Leitlinie" in html or "leitlinie" in html


def test_fifty_principles_make_fifty_columns() -> None:
    html = render_charta(render_cases.fifty(), "html")
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    # 50 principles, 8 without a source link (0, 7, ..., 49): 42 columns, plus item and status
    assert head.count('<th scope="col"') == 42 + 2


def test_compiled_templates_are_cached_only_in_a_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charta.adapters.html import _bytecode_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CHARTA_NO_CACHE", raising=False)
    assert _bytecode_cache() is not None
    folder = tmp_path / "charta" / "templates"
    assert not folder.stat().st_mode & 0o022
    assert all(p.stat().st_mode & 0o777 == 0o700 for p in folder.iterdir())
    folder.chmod(0o777)  # others may write: what is in it would run as code
    assert _bytecode_cache() is None
    folder.chmod(0o700)
    monkeypatch.setenv("CHARTA_NO_CACHE", "1")
    assert _bytecode_cache() is None
    monkeypatch.delenv("CHARTA_NO_CACHE")
    # a cache folder that cannot be made: no cache, no error
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert _bytecode_cache() is None


def test_a_cached_render_is_the_same_page(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = (
        "from charta.render.run import render; import sys; "
        f"sys.stdout.write(render({str(EXAMPLE)!r}, 'html'))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert list((tmp_path / "charta" / "templates").iterdir())
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert first.stdout == second.stdout == render(str(EXAMPLE), "html").encode()


def _exposed(charta):
    """The example with the private commenter's name in ids, a URL and a publisher list."""
    from charta.model import Edition

    charta = render_cases.with_private_commenter(charta)
    cons = charta.consultation
    comments = tuple(
        attrs.evolve(c, id="kommentar-wiebke-quast") if c.id == "kommentar-privat" else c
        for c in cons.comments
    )
    responses = tuple(
        attrs.evolve(r, id="antwort-an-quast", comment="kommentar-wiebke-quast")
        if r.id == "antwort-privat"
        else r
        for r in cons.responses
    )
    second = charta.items[1]
    rev = attrs.evolve(
        second.revisions[0], caused_by=("kommentar-wiebke-quast", "antwort-an-quast")
    )
    return attrs.evolve(
        charta,
        items=(charta.items[0], attrs.evolve(second, revisions=(rev,)), *charta.items[2:]),
        editions=(
            Edition(
                id="2020-11",
                publishers=(render_cases.PRIVATE_EMAIL, "Wiebke Quast", "Stadt Sindelfingen"),
                urls=("https://beteiligung.example/?kontakt=wiebke.quast%40example.org",),
            ),
        ),
        consultation=attrs.evolve(
            cons,
            url="https://beteiligung.example/?kontakt=wiebke.quast@example.org",
            comments=comments,
            responses=responses,
        ),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_in_ids_urls_and_lists_never_leak(fmt: str) -> None:
    charta = _exposed(open_charta(str(EXAMPLE)))
    text = render_charta(charta, fmt, base=str(EXAMPLE))
    if fmt in ("json", "prov-json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    low = text.casefold()
    for secret in ("wiebke", "quast", "example.org"):
        assert secret not in low, f"{secret!r} in {fmt}"
    # the renamed comment is still the cause of the change, and the rest is kept
    assert "Stadt Sindelfingen" in text


def test_public_view_renames_ids_and_follows_them() -> None:
    from charta.privacy import public_view

    public = public_view(_exposed(open_charta(str(EXAMPLE))))
    ids = [c.id for c in public.consultation.comments]
    assert "kommentar-wiebke-quast" not in ids
    new = ids[-1]
    assert new.startswith("comment-")
    response = public.consultation.responses[-1]
    assert response.comment == new
    assert response.id.startswith("response-")
    assert public.items[1].revisions[0].caused_by == (new, response.id)
    assert public.consultation.url == ""
    assert all("quast" not in p.casefold() for p in public.editions[0].publishers)
    assert "Stadt Sindelfingen" in public.editions[0].publishers
    assert public.editions[0].urls == ()


def test_prov_identifiers_never_collide() -> None:
    """An item called "consultation", a charta called "agent": each thing keeps its own id."""
    from prov.model import ProvDocument

    base = render_cases.with_private_commenter(open_charta(str(EXAMPLE)))
    first = attrs.evolve(base.items[0], id="consultation")
    cons = base.consultation
    comments = tuple(
        attrs.evolve(c, target=Reference(item="consultation"))
        if c.target == Reference(item=base.items[0].id)
        else c
        for c in cons.comments
    )
    charta = attrs.evolve(
        base,
        id="agent",
        items=(first, *base.items[1:]),
        consultation=attrs.evolve(cons, comments=comments),
    )
    doc = ProvDocument.deserialize(content=render_charta(charta, "prov-json"), format="json")
    kinds: dict[str, set[str]] = {}
    for record in doc.get_records():
        if record.identifier is not None and type(record).__name__ in (
            "ProvEntity",
            "ProvActivity",
            "ProvAgent",
        ):
            kinds.setdefault(str(record.identifier), set()).add(type(record).__name__)
    assert all(len(k) == 1 for k in kinds.values()), {i: k for i, k in kinds.items() if len(k) > 1}


@pytest.mark.parametrize(
    "template",
    [
        '{% extends "base.html" %}{% block header %}{% autoescape false %}'
        "{{ charta.title }}{% endautoescape %}{% endblock %}",
        "{{ time.__globals__['Markup'](charta.title) }}",
        "{{ paragraphs.__globals__['os'].getcwd() }}",
        "{{ charta.__class__.__init__.__globals__ }}",
    ],
)
def test_no_template_can_switch_escaping_off_or_reach_python(tmp_path: Path, template: str):
    from charta.errors import ChartaError

    (tmp_path / "page.html").write_text(template, encoding="utf-8")
    with pytest.raises(ChartaError) as info:
        render_charta(render_cases.hostile(), "html", settings=Settings(template_dir=str(tmp_path)))
    assert info.value.problems[0].code == "bad-template"


def test_a_template_that_is_not_utf8_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(b"\xff\xfe{{ charta.title }}")
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "--template-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "UTF-8" in result.output
    assert "Traceback" not in result.output


CONTROL = "A\x00B\x07C\x1b[2JD\x0bE\x85F\ufffeG\U0001ffffH"


@pytest.mark.parametrize("fmt", ["html", "markdown", "prov-n", "prov-json"])
def test_control_characters_never_reach_a_page(fmt: str) -> None:
    charta = render_cases.fifty()
    first = attrs.evolve(charta.items[0], title=CONTROL, text=CONTROL)
    charta = attrs.evolve(charta, title=CONTROL, items=(first, *charta.items[1:]))
    text = render_charta(charta, fmt)
    if fmt == "prov-json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    for ch in "\x00\x07\x1b\x0b\x85\ufffe\U0001ffff":
        assert ch not in text, (fmt, repr(ch))
    assert "ABC[2JDEFGH" in text.replace("\\", "")


def test_urls_cannot_open_markup_in_markdown_or_html() -> None:
    charta = attrs.evolve(
        render_cases.fifty(),
        provenance=attrs.evolve(
            render_cases.fifty().provenance, urls=('https://x.invalid/<style>a"b',)
        ),
    )
    md_text = render_charta(charta, "markdown")
    assert "<https://x.invalid/%3Cstyle%3Ea%22b>" in md_text
    assert "<style" not in md_text
    html = render_charta(charta, "html")
    assert '<a href="https://x.invalid/%3Cstyle%3Ea%22b">' in html


def test_a_source_read_by_path_fills_its_coverage_rows(tmp_path: Path) -> None:
    source = tmp_path / "nachbar.toml"
    source.write_text(
        'format = 1\nid = "nachbar"\ntitle = "Nachbar"\nkind = "local"\nstatus = "draft"\n'
        '[issuer]\nbody = "Gemeinde Nachbar"\n[[items]]\nid = "eins"\nlabel = "1"\n'
        'title = "Erster Grundsatz"\n',
        encoding="utf-8",
    )
    town = tmp_path / "hier.toml"
    town.write_text(
        'format = 1\nid = "hier"\ntitle = "Hier"\nkind = "local"\nstatus = "draft"\n'
        '[issuer]\nbody = "Gemeinde Hier"\n[[based-on]]\nsource = "nachbar.toml"\n'
        'asserted-by = "issuer"\n[[items]]\nid = "a"\ntitle = "A"\n'
        '[[items.derived-from]]\nref = "nachbar.toml#eins"\nrelation = "adapted"\n'
        'confidence = "high"\nasserted-by = "issuer"\n',
        encoding="utf-8",
    )
    html = render(str(town), "html")
    assert '<th scope="row">1 Erster Grundsatz</th>' in html
    # and -o never replaces the source it read by path
    result = CliRunner().invoke(main, ["render", str(town), "--format", "toml", "-o", str(source)])
    assert result.exit_code == 1
    assert "never writes over its input" in result.output


def test_a_large_coverage_table_is_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    from charta.render import page

    monkeypatch.setattr(page, "MAX_CELLS", 100)
    html = render_charta(render_cases.fifty(), "html")
    table = html.split('<table class="coverage">', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="col"') == 3  # item, principles, result
    assert '<a href="#leitmotiv-2">2</a> (angepasst)' in table
    assert "<svg" not in html  # the picture would be as large: left out
    md_text = render_charta(render_cases.fifty(), "markdown")
    assert "| Punkt der Quelle | Die Leitmotive | Ergebnis |" in md_text


def test_deeply_nested_settings_are_a_message(tmp_path: Path) -> None:
    from charta.errors import ChartaError

    path = tmp_path / "render.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ChartaError) as info:
        read_settings(path)
    assert info.value.problems[0].code == "bad-settings"


def test_notes_language_must_be_a_language_tag(tmp_path: Path) -> None:
    from charta.errors import ChartaError

    path = tmp_path / "render.toml"
    path.write_text('notes-language = "english"\n', encoding="utf-8")
    with pytest.raises(ChartaError, match="not a language tag"):
        read_settings(path)


def test_causes_are_named_in_words() -> None:
    html = render(str(EXAMPLE), "html")
    assert '<a href="#c_comment-2">Kommentar von Person 1</a>' in html
    assert '<a href="#c_response-2">Antwort von Amt für Digitalisierung</a>' in html
    assert 'id="c_response-2"' in html


@pytest.mark.parametrize(
    "comment_id", ["kommentar-kuerschner", "kommentar-kurschner", "quast2", "wiebkequast"]
)
def test_ids_that_spell_a_hidden_name_any_way_are_renamed(comment_id: str) -> None:
    from charta.model import Comment, Commenter
    from charta.privacy import public_view

    charta = render_cases.with_private_commenter(open_charta(str(EXAMPLE)))
    cons = charta.consultation
    extra = Comment(
        id=comment_id,
        text="Ein Hinweis von Herrn Kuerschner.",
        commenter=Commenter(name="Jörg Kürschner", pseudonym="Bürger C"),
    )
    charta = attrs.evolve(charta, consultation=attrs.evolve(cons, comments=(*cons.comments, extra)))
    public = public_view(charta)
    ids = [c.id for c in public.consultation.comments]
    assert comment_id not in ids
    assert "Kuerschner" not in public.consultation.comments[-1].text


def test_an_address_with_part_of_a_hidden_name_is_left_out() -> None:
    from charta.privacy import public_view

    charta = render_cases.with_private_commenter(open_charta(str(EXAMPLE)))
    charta = attrs.evolve(
        charta,
        provenance=attrs.evolve(
            charta.provenance, urls=("https://example.net/quast-seite", "https://ok.example/")
        ),
    )
    assert public_view(charta).provenance.urls == ("https://ok.example/",)


def test_the_public_toml_of_a_valid_charta_stays_valid() -> None:
    """A name in a principle's text and in its revision is replaced alike."""
    charta = render_cases.with_private_commenter(open_charta(str(EXAMPLE)))
    item = charta.item("vorne-dabei")
    text = item.text + " Wie Wiebke Quast vorschlug."
    rev = attrs.evolve(item.revisions[-1], after=text)
    item = attrs.evolve(item, text=text, revisions=(*item.revisions[:-1], rev))
    charta = attrs.evolve(
        charta, items=tuple(item if i.id == "vorne-dabei" else i for i in charta.items)
    )
    from charta.check.loading import validate_text

    public = render_charta(charta, "toml")
    report = validate_text(public, str(EXAMPLE))
    assert not [p for p in report.problems if p.code == "revision-chain-end"]


def test_a_damaged_template_cache_means_compiling_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charta.adapters import html

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CHARTA_NO_CACHE", raising=False)
    html._environment.cache_clear()
    try:
        first = render_charta(render_cases.fifty(), "html")
        for path in (tmp_path / "charta" / "templates").rglob("*.cache"):
            path.write_bytes(b"\x80garbage")
        html._environment.cache_clear()
        assert render_charta(render_cases.fifty(), "html") == first
    finally:
        html._environment.cache_clear()


@pytest.mark.parametrize(
    "template",
    [
        '{{ paragraphs(charta.title, " class=" ~ charta.title) }}',
        "{{ L.origin | indent(charta.title, true) }}",
        "{{ charta.title | urlize }}",
    ],
)
def test_helpers_and_filters_cannot_carry_text_into_markup(tmp_path: Path, template: str):
    (tmp_path / "page.html").write_text(template, encoding="utf-8")
    try:
        html = render_charta(
            render_cases.hostile(), "html", settings=Settings(template_dir=str(tmp_path))
        )
    except ChartaError:
        return
    assert "<img" not in html
    assert "<script" not in html.lower()
    assert not re.search(r"<[a-zA-Z][^<>]*\son\w+=", html)  # no handler on a real tag
    assert "<p class" not in html
