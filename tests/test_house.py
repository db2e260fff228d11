"""The house the next capabilities build on: rule codes and levels, the resolver,
the public view, start-up, and what fuzzing found (issue 5)."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import charta
from charta import hints, rules
from charta.adapters import toml
from charta.adapters.files import write_atomic
from charta.check.checker import CHECKS, check
from charta.check.context import Check, Context
from charta.check.loading import Sources, validate_text
from charta.errors import ChartaError, Level, Stage, ValidationError
from charta.model import Charta, Comment, Commenter, Consultation, PartialDate, Reference
from charta.rules import RULES, markdown_table
from charta.sources.registry import Registry, SourceEntry
from tests.strategies import chartas
from tests.test_cli import cli
from tests.test_validate import CASES, A, B, consultation, derived, doc, item, revision

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"


# ---------------------------------------------------------------------------
# Rule codes and levels


def test_levels_are_ordered() -> None:
    assert Level.INFO < Level.WARNING < Level.ERROR
    assert sorted([Level.ERROR, Level.INFO, Level.WARNING]) == [
        Level.INFO,
        Level.WARNING,
        Level.ERROR,
    ]
    assert Level.ERROR >= Level.WARNING
    assert not Level.INFO >= Level.WARNING


def test_rule_codes_are_kebab_case_and_summarised() -> None:
    assert len(RULES) >= 45
    for code, rule in RULES.items():
        assert rule.code == code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert rule.summary


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_problem_has_a_known_code_and_its_rules_level(case: object) -> None:
    report = validate_text(case.bad, "town.toml")  # type: ignore[attr-defined]
    assert report.problems
    for problem in report.problems:
        rule = RULES[problem.code]
        assert problem.level is rule.level
        assert f"({problem.code})" in str(problem)


def test_every_meaning_rule_has_a_case() -> None:
    found = {p.code for case in CASES.values() for p in validate_text(case.bad, "t.toml").problems}
    meaning = {c for c, r in RULES.items() if r.stage is Stage.MEANING}
    # Tested apart in tests/test_validate.py: file-cycle needs real files,
    # based-on-item an inline table (test_based_on_must_name_a_whole_charta).
    # personal-data-mismatch needs a personal-data file (tests/test_consult.py),
    # torn-pair one or a journal beside the charta (tests/test_journal.py).
    exempt = {"file-cycle", "based-on-item", "personal-data-mismatch", "torn-pair"}
    assert meaning - found == exempt, meaning - found


def test_every_check_is_tied_to_meaning_rules() -> None:
    assert len(CHECKS) >= 15
    for entry in CHECKS:
        assert entry.rules, entry.run.__name__
        assert all(rule.stage is Stage.MEANING for rule in entry.rules), entry.run.__name__


def test_a_check_reports_only_the_rules_of_its_table_entry() -> None:
    # The tables are honest: a check that reports another rule is a bug found at once.
    def strays(ctx: Context) -> None:
        ctx.emit(rules.DUPLICATE_EDITION, "not mine", ())

    ctx = Context(charta.loads(doc(A), check=False), Registry())
    ctx.run(Check((rules.DUPLICATE_EDITION,), strays))
    with pytest.raises(AssertionError, match="duplicate-edition is not in the table entry"):
        ctx.run(Check((rules.INVALID_ID,), strays))


def test_docs_rule_table_is_generated_from_the_rules() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    start, end = "<!-- rules: start -->\n", "<!-- rules: end -->"
    assert start in text, "docs/format.md lost its rule table markers"
    table = text.split(start, 1)[1].split(end, 1)[0]
    assert table.strip() == markdown_table().strip(), (
        "docs/format.md: the rule table differs from charta.rules; paste "
        "the output of `charta rules --format markdown` between the markers"
    )


def test_validate_json_lists_problems_with_code_level_and_place(tmp_path: Path) -> None:
    bad = tmp_path / "town.toml"
    bad.write_text(doc(A + derived("#zz") + item("a")), encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(doc(A), encoding="utf-8")
    result = cli("validate", "--format", "json", bad, good)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["$schema"] == "https://charta.invalid/schema/1/validate.json"
    assert data["fail-on"] == "error"
    assert data["ok"] is False
    first, second = data["files"]
    assert first["file"] == str(bad)
    assert first["ok"] is False
    assert second == {"file": str(good), "ok": True, "items": 1, "problems": []}
    codes = {p["code"] for p in first["problems"]}
    assert codes == {"unresolved-reference", "duplicate-item-id"}
    for p in first["problems"]:
        assert set(p) == {"code", "level", "message", "file", "line", "column", "key-path"}
        assert p["level"] == "error"
        assert isinstance(p["line"], int)
        assert p["key-path"].startswith("items[")


def test_fail_on_warning_and_strict_agree(tmp_path: Path) -> None:
    path = tmp_path / "town.toml"
    path.write_text(doc(A + B, top='completeness = "partial"'), encoding="utf-8")
    assert cli("validate", path).exit_code == 0
    assert cli("validate", "--fail-on", "warning", path).exit_code == 1
    assert cli("validate", "--strict", path).exit_code == 1
    assert cli("validate", "--fail-on", "info", path).exit_code == 1


def test_rules_command_lists_every_code() -> None:
    result = cli("rules")
    assert result.exit_code == 0
    for code in RULES:
        assert code in result.stdout
    markdown = cli("rules", "--format", "markdown").stdout
    assert markdown == markdown_table()
    data = json.loads(cli("rules", "--format", "json").stdout)
    assert [r["code"] for r in data["rules"]] == list(RULES)


def test_a_newer_format_gets_one_message_before_any_shape_check() -> None:
    text = doc(A).replace("format = 1", "format = 2") + 'new-key = "x"\n[tomorrow]\nthing = 1\n'
    with pytest.raises(ValidationError) as info:
        toml.loads(text, file="new.toml")
    [problem] = info.value.problems
    assert problem.code == "format-version"
    assert "written for a newer charta; upgrade charta" in problem.message
    assert problem.location.line == 1


def test_key_paths_of_a_charta_built_in_python() -> None:
    built = Charta(
        id="town",
        title="T",
        kind=charta.ChartaKind.LOCAL,
        status=charta.Status.DRAFT,
        issuer=charta.Issuer(body="Stadt"),
        items=(
            charta.Item(id="a", title="A"),
            charta.Item(
                id="b",
                title="B",
                children=(
                    charta.Item(
                        id="c",
                        title="C",
                        derived_from=(
                            charta.Derivation(
                                ref=Reference(item="nope"),
                                relation=charta.Relation.ADAPTED,
                                confidence=charta.Confidence.LOW,
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    [problem] = check(built, Registry())
    assert problem.location.key_path == "items[1].children[0].derived-from[0].ref"
    assert problem.location.file is None
    assert problem.location.line is None


# ---------------------------------------------------------------------------
# The resolver: registry and checker do not know each other


def test_registry_does_not_import_the_checker() -> None:
    import ast

    tree = ast.parse(
        (ROOT / "src" / "charta" / "sources" / "registry.py").read_text(encoding="utf-8")
    )
    imported: set[str] = set()
    for node in ast.walk(tree):  # at the top and inside functions alike
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    assert "charta.references" in imported  # the walk sees the imports at all
    assert not {"charta.check.checker", "charta.check.loading", "charta.privacy"} & imported


def _plugin(tmp_path: Path, name: str, body: str) -> None:
    (tmp_path / f"{name}.toml").write_text(doc(body, id=name, kind="source"), encoding="utf-8")


@pytest.mark.parametrize("first", ["plugin-a", "plugin-b"])
def test_two_plugin_sources_that_refer_to_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    pkg = tmp_path / "mutual_sources"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    _plugin(pkg, "plugin-a", item("x") + derived("plugin-b#y"))
    # plugin-b also has a meaning error: it must be refused whatever is asked first.
    _plugin(pkg, "plugin-b", item("y") + derived("plugin-a#x") + item("y"))
    monkeypatch.syspath_prepend(str(tmp_path))
    entries = {n: SourceEntry(n, "mutual_sources") for n in ("plugin-a", "plugin-b")}
    sources = Sources(Registry(entries))
    second = "plugin-b" if first == "plugin-a" else "plugin-a"
    outcomes = {}
    for name in (first, second):
        try:
            sources.resolve(name)
            outcomes[name] = "ok"
        except ValidationError as exc:
            outcomes[name] = exc.problems[0].code
    assert outcomes == {"plugin-a": "ok", "plugin-b": "duplicate-item-id"}
    sys.modules.pop("mutual_sources", None)


# ---------------------------------------------------------------------------
# The public view


NAME_PARTS = st.one_of(
    st.text("ΘΞΨΩЖЯ", min_size=4, max_size=8).map(lambda s: f"Ζq{s}"),
    st.sampled_from(["Ƕƿ", "Ǳǳ"]),  # two-letter parts ("Li", "Wu" in a real name)
)
SAID = [
    "Ich, {name}, meine",
    "mail an {email}.",
    "{email}!",
    "auf Anregung von {last}s",
    "{LAST} schrieb",
    "Dank an {name}",
]


@st.composite
def chartas_with_commenters(draw: st.DrawFn) -> tuple[Charta, list[str]]:
    """A charta whose commenters' names and emails are written into many of its texts."""
    c = draw(chartas())
    comments = []
    secrets: list[str] = []
    mentions: list[str] = []
    for n in range(draw(st.integers(1, 4))):
        # Unique per commenter: a consenting twin would rightly show the name.
        first, last = f"{draw(NAME_PARTS)}{n}", f"{draw(NAME_PARTS)}{n}"
        name = f"{first} {last}"
        email = f"{draw(NAME_PARTS).lower()}{n}@example.org"
        consent = draw(st.booleans())
        secrets.append(email)
        if not consent:
            secrets += [first, last]
        said = draw(st.sampled_from(SAID)).format(
            name=name, email=email, last=last, LAST=last.upper()
        )
        mentions.append(said if not consent else said.replace(name, "").replace(last, ""))
        comments.append(
            Comment(
                id=f"c-{n}",
                text=said + " Bildung fehlt.",
                commenter=Commenter(
                    name=name, email=email, pseudonym=f"Person {n + 1}", consent_to_publish=consent
                ),
                note=draw(st.sampled_from(["", f"Anruf von {name}"])),
            )
        )
    responses = tuple(
        charta.Response(
            id=f"r-{n}",
            comment=c_.id,
            by="Amt",
            text=f"Sehr geehrte/r {c_.commenter.name}, danke ({c_.commenter.email}).",
            decision=charta.Decision.NOTED,
        )
        for n, c_ in enumerate(comments)
    )
    # The same mentions in notes all over the charta, where a clerk might write them.
    said_all = " ".join(m for m in mentions if m)
    items = tuple(attrs.evolve(i, note=i.note + " " + said_all) for i in c.items)
    c = attrs.evolve(
        c,
        note=said_all,
        introduction=c.introduction + " " + said_all,
        items=items,
        provenance=attrs.evolve(c.provenance, note=said_all),
        omissions=tuple(attrs.evolve(o, reason=o.reason + said_all) for o in c.omissions),
        consultation=Consultation(comments=tuple(comments), responses=responses),
    )
    return c, secrets


def test_public_view_keeps_consenting_names_and_pseudonyms() -> None:
    c = charta.load(EXAMPLE)
    person = Commenter(
        name="Erika Muster", email="e@x.de", pseudonym="Person 2", consent_to_publish=True
    )
    assert c.consultation is not None
    cons = attrs.evolve(
        c.consultation,
        comments=(*c.consultation.comments, Comment(id="c-2", text="Gut.", commenter=person)),
    )
    public = charta.public_view(attrs.evolve(c, consultation=cons))
    assert public.consultation is not None
    first, second = public.consultation.comments
    assert (first.commenter.name, first.commenter.pseudonym) == ("", "Person 1")
    assert (second.commenter.name, second.commenter.email) == ("Erika Muster", "")
    assert charta.public_view(c) == charta.public_view(charta.public_view(c))


def test_show_never_names_a_commenter_who_did_not_consent(tmp_path: Path) -> None:
    path = tmp_path / "town.toml"
    path.write_text(
        doc(
            A
            + consultation(
                commenter='name = "Kunigunde Quast"\nemail = "kq@example.org"\n'
                'pseudonym = "Bürgerin B"'
            )
        ),
        encoding="utf-8",
    )
    for ref in (path, f"{path}#a"):
        out = cli("show", ref).stdout
        assert "Quast" not in out
        assert "kq@example.org" not in out
    assert "Bürgerin B" in cli("show", f"{path}#a").stdout


# ---------------------------------------------------------------------------
# Start-up


@pytest.mark.parametrize(
    "code",
    ["import charta", "import charta.cli", "import charta; charta.Charta; charta.Level"],
)
def test_import_charta_does_not_load_the_reader(code: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = set(eval(out))
    assert (
        not {"cattrs", "tomllib", "charta.adapters.toml.locate", "charta.adapters.toml.convert"}
        & loaded
    )


def test_help_does_not_load_the_reader() -> None:
    code = (
        "import sys\n"
        "from charta.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cattrs', 'tomllib', 'attr')"
        " or m.startswith('charta.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "Usage: " in out
    assert eval(out.splitlines()[-1]) == [
        "charta.cli",
        "charta.cli.base",
        "charta.cli.check",
        "charta.cli.consult",
        "charta.cli.derive",
        "charta.cli.diff",
        "charta.cli.render",
        "charta.cli.show",
    ]


def test_lazy_names_and_all_agree() -> None:
    assert sorted(charta.__all__) == sorted(charta._WHERE)
    for name in charta.__all__:
        assert getattr(charta, name) is not None


def test_the_function_validate_does_not_shadow_a_module() -> None:
    import importlib

    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("charta.validate")
    assert callable(charta.validate)


# ---------------------------------------------------------------------------
# What fuzzing found: crashes


def test_a_number_of_more_than_4300_digits_is_a_message() -> None:
    text = doc(A, top="declared-count = " + "9" * 5000)
    with pytest.raises(ValidationError) as info:
        toml.loads(text, file="big.toml")
    [problem] = info.value.problems
    assert problem.code == "number-too-long"
    assert problem.location.line == 6
    assert "5,000 digits" in problem.message


@pytest.mark.parametrize("date", ['"9999-12"', '"9999"', "9999-12-31"])
def test_dates_at_the_end_of_the_calendar(date: str) -> None:
    text = doc(
        item("a", extra='text = "v3"\n')
        + revision("v1", "v2", extra=f"date = {date}\n")
        + revision("v2", "v3", extra=f"date = {date}\n")
        + consultation(head=f"start = {date}\nend = {date}")
    )
    report = validate_text(text, "end.toml")
    assert report.ok, "\n".join(map(str, report.problems))
    assert PartialDate(9999, 12).latest().day == 31


@pytest.mark.parametrize("key", ["based-on", "items.derived-from", "omissions"])
def test_a_nul_in_a_path_reference_is_a_message(key: str) -> None:
    ref = '"a\\u0000.toml#x"'
    if key == "based-on":
        body = A + f"\n[[based-on]]\nsource = {ref}\n"
    elif key == "omissions":
        body = A + f'\n[[omissions]]\nref = {ref}\nreason = "r"\n'
    else:
        body = (
            A + f'\n[[items.derived-from]]\nref = {ref}\nrelation = "adapted"\nconfidence = "low"\n'
        )
    report = validate_text(doc(body), "nul.toml")
    [problem] = report.problems
    assert problem.code == "bad-reference"
    assert "U+0000" in problem.message


def test_a_nul_in_a_reference_built_in_python_does_not_crash() -> None:
    c = charta.loads(doc(A + derived("smart-city-charta#leitbild-1")), check=False)
    d = attrs.evolve(c.items[0].derived_from[0], ref=Reference(charta="a\0.toml", item="x"))
    c = attrs.evolve(c, items=(attrs.evolve(c.items[0], derived_from=(d,)),))
    [problem] = check(c, Registry())
    assert problem.code == "unresolved-reference"


def test_a_chain_of_5000_local_derivations_and_a_cycle_through_it() -> None:
    n = 5000
    body = "".join(item(f"a{i}") + derived(f"#a{i + 1}") for i in range(n))
    body += item(f"a{n}") + derived("#a0")
    report = validate_text(doc(body), "chain.toml")
    [problem] = report.problems
    assert problem.code == "derivation-cycle"
    assert problem.message.startswith("derivation cycle: a0 -> a1 -> ")
    assert f"({n + 2 - 12} more)" in problem.message  # a0 ... a5000, a0


def test_a_long_chain_of_files_is_walked_without_recursion(tmp_path: Path) -> None:
    n = 1200
    for i in range(n):
        nxt = f"f{i + 1}.toml#x" if i + 1 < n else "f0.toml#x"
        (tmp_path / f"f{i}.toml").write_text(
            doc(item("x") + derived(nxt), id=f"f{i}"), encoding="utf-8"
        )
    report = charta.validate(tmp_path / "f0.toml", Registry())
    [problem] = report.problems
    assert problem.code == "file-cycle"


# ---------------------------------------------------------------------------
# What fuzzing found: work that grew faster than the input


def _count_walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    original = Charta.walk

    def counted(self: Charta):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return original(self)

    monkeypatch.setattr(Charta, "walk", counted)
    return calls


@settings(max_examples=max(1, settings.default.max_examples // 4), deadline=None)
@given(st.integers(20, 600), st.sampled_from(["refs", "causes", "responses"]))
def test_checking_stays_linear_in_the_bad_references(n: int, family: str) -> None:
    # Count work, not time: the walks over all items and the did-you-mean
    # comparisons must not grow with the number of bad references.
    ids = [f"punkt-{i}" for i in range(n)]
    body = "".join(item(i) for i in ids)
    if family == "refs":
        body += "".join(derived(f"#fehlt-{i}", table="items.derived-from") for i in range(n))
    elif family == "causes":
        body += revision("v1", "v2").replace(
            "field", f"caused-by = {[f'k-{i}' for i in range(n)]}\nfield".replace("'", '"')
        )
        last = f'title = "punkt-{n - 1}"'
        body = body.replace(last, last + '\ntext = "v2"')
    else:
        body += "\n[consultation]\n" + "".join(
            f'\n[[consultation.responses]]\nid = "r-{i}"\ncomment = "k-{i}"\nby = "Amt"\n'
            'decision = "noted"\ntext = "x"\n'
            for i in range(n)
        )
    with pytest.MonkeyPatch.context() as mp:
        walks = _count_walks(mp)
        spent = [0]
        import difflib

        original = difflib.get_close_matches

        def counted(word, possibilities, *args, **kw):  # type: ignore[no-untyped-def]
            spent[0] += len(possibilities)
            return original(word, possibilities, *args, **kw)

        mp.setattr(difflib, "get_close_matches", counted)
        report = validate_text(doc(body), "many.toml")
    assert walks[0] <= 12, walks[0]
    assert len(report.problems) <= 51
    assert report.problems[-1].message.startswith(f"... and {n - 50:,} more") or n <= 50
    # Suggestions draw on the budget: past it, none is looked for (the last
    # one may overshoot it by one list of candidates).
    assert spent[0] <= hints.DEFAULT_BUDGET + n


def _calls(work: Callable[[], object]) -> int:
    """The function calls (Python and C) that ``work`` makes: a measure of work, not time."""
    count = [0]

    def profile(frame: object, event: str, arg: object) -> None:
        if event in ("call", "c_call"):
            count[0] += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count[0]


def _long_name_charta(words: int) -> str:
    name = " ".join(f"Wort{i}" for i in range(words))
    said = " ".join(f"satz{i}" for i in range(words))
    return doc(
        item("a", extra=f'text = "Wie {name} schrieb."\n')
        + consultation(
            commenter=f'name = "{name}"\npseudonym = "Bürger A"',
            response_text=f'text = "{said} Danke, Wort{words - 1}, für die Anregung."',
        )
    )


def test_each_charta_a_reference_names_is_resolved_and_indexed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10,000 references to merged-away principles followed every merge chain
    # once per reference; references to a file asked for it (and checked it) each time.
    n = 300
    (tmp_path / "other.toml").write_text(doc(item("x"), id="other"), encoding="utf-8")
    body = (
        item("a")
        + "".join(derived(f"#m-{i}") for i in range(n))
        + "".join(derived("other.toml#x") for _ in range(n))
        + "".join(
            f'\n[[merged-away]]\nid = "m-{i}"\ntitle = "M"\nmerged-into = "a"\n' for i in range(n)
        )
    )
    (tmp_path / "town.toml").write_text(doc(body), encoding="utf-8")
    asked: dict[str, int] = {}
    registry = Registry()

    class Counting:
        def resolve(self, name: str, base: str | os.PathLike[str] | None = None) -> Charta:
            asked[name] = asked.get(name, 0) + 1
            return registry.resolve(name, base)

    ends = [0]
    original = Charta.merge_ends

    def merge_ends(self: Charta) -> dict[str, str]:
        ends[0] += 1
        return original(self)

    monkeypatch.setattr(Charta, "merge_ends", merge_ends)
    report = charta.validate(tmp_path / "town.toml", Counting())
    unresolved = [p for p in report.problems if p.code == "unresolved-reference"]
    assert len(unresolved) == 50 + 1  # 50 shown, then "... and 250 more"
    assert "was merged into 'a'" in unresolved[0].message
    assert ends[0] == 1
    # Once by the look-up, once by the search for a cycle between files.
    assert asked == {"other.toml": 1, str((tmp_path / "other.toml").resolve()): 1}


def test_a_commenter_name_of_many_words_is_checked_in_one_pass() -> None:
    # A name of 10,000 words took a minute: each word's spellings were looked
    # for among all the others.  Count the work at two sizes: four times the
    # words may cost about four times the calls, never sixteen.
    def work(words: int) -> Callable[[], object]:
        text = _long_name_charta(words)
        return lambda: (validate_text(text, "name.toml"), charta.public_view(toml.loads(text)))

    small, large = _calls(work(300)), _calls(work(1200))
    assert large <= 6 * small, (small, large)
    report, public = work(1200)()  # type: ignore[misc]
    assert {p.code for p in report.problems} == {
        "response-names-commenter",
        "personal-data-in-charta",
    }
    # ... and nothing of the name is left in the public view.
    assert "Wort1199" not in public.consultation.responses[0].text
    assert public.items[0].text == "Wie Bürger A schrieb."


def test_300000_unknown_keys_give_50_messages_and_a_count() -> None:
    keys = "".join(f"k{i} = 1\n" for i in range(300_000))
    text = doc(A).replace('title = "Leitmotive"\n', 'title = "Leitmotive"\n' + keys)
    with pytest.raises(ValidationError) as info:
        toml.loads(text, file="keys.toml")
    problems = info.value.problems
    assert len(problems) == 51
    assert problems[-1].message.startswith("... and 299,950 more problems of this kind")
    assert {p.code for p in problems} == {"unknown-key"}


# ---------------------------------------------------------------------------
# What fuzzing found: round trips and text that forges output


def test_an_id_with_a_final_newline_is_not_an_id() -> None:
    report = validate_text(doc(item("a").replace('id = "a"', 'id = "m\\n"')), "nl.toml")
    assert [p.code for p in report.problems] == ["invalid-id"]


@pytest.mark.parametrize("date", ["٢٠٢٠-١١", "２０２０", "2020-1１"])
def test_dates_in_non_ascii_digits_are_refused(date: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        PartialDate.parse(date)


def test_newlines_in_values_cannot_forge_output_lines(tmp_path: Path) -> None:
    path = tmp_path / "evil.toml"
    path.write_text(
        doc(
            item("a", title="Titel\\nFORGED.toml: valid, 10 items")
            + item("b").replace('id = "b"', 'id = "b\\nFORGED.toml: valid"')
        ),
        encoding="utf-8",
    )
    result = cli("validate", path)
    assert result.exit_code == 1
    for line in (result.stdout + result.stderr).splitlines():
        assert not line.startswith("FORGED")
    assert "b\\nFORGED.toml" in result.stdout
    path.write_text(doc(item("a", title="Titel\\nFORGED.toml: valid")), encoding="utf-8")
    shown = cli("show", path)
    assert shown.exit_code == 0, shown.output
    assert not any(line.startswith("FORGED") for line in shown.stdout.splitlines())


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\x1b", "\r"])
def test_invisible_and_bidi_characters_never_reach_the_terminal(tmp_path: Path, char: str) -> None:
    path = tmp_path / "evil.toml"
    escaped = json.dumps(char)[1:-1]
    path.write_text(doc(item("a", title=f"Ti{escaped}tel")), encoding="utf-8")
    out = cli("show", path).stdout + cli("show", f"{path}#a").stdout
    assert char not in out
    bad = cli("show", f"{path}#z{char}z")
    assert char not in bad.output


def test_an_output_name_is_echoed_escaped(tmp_path: Path) -> None:
    target = tmp_path / "schema\u202e.json"
    result = cli("schema", "-o", target)
    assert result.exit_code == 0
    assert "\u202e" not in result.stderr
    assert "\\u202e" in result.stderr


# ---------------------------------------------------------------------------
# The one atomic writer


def test_dash_means_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("schema", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "charta file"
    assert not (tmp_path / "-").exists()


def test_json_never_replaces_a_toml_file(tmp_path: Path) -> None:
    town = tmp_path / "leitmotive.toml"
    town.write_text(doc(A), encoding="utf-8")
    result = cli("schema", "-o", town)
    assert result.exit_code == 1
    assert "is a TOML file" in result.stderr
    assert town.read_text(encoding="utf-8") == doc(A)
    assert [p.name for p in tmp_path.iterdir()] == ["leitmotive.toml"]


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o644)
    write_atomic(target, "[]\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    fresh = tmp_path / "new.json"
    write_atomic(fresh, "[]\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_atomic(fifo, "durch die Röhre\n")
    out, _ = reader.communicate(timeout=10)
    assert out.decode() == "durch die Röhre\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_input_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    with pytest.raises(ChartaError, match="never writes over its input"):
        write_atomic(source, "x", inputs=[source])
    assert source.read_text(encoding="utf-8") == "{}"


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    code = (
        "import sys, pathlib\n"
        "from charta.adapters import files\n"
        "class Slow(str):\n    pass\n"
        "import os\n"
        "orig = os.fdopen\n"
        "def slow(*a, **k):\n"
        "    f = orig(*a, **k)\n"
        "    w = f.write\n"
        "    def write(t):\n"
        "        print('writing', flush=True)\n"
        "        import time; time.sleep(30)\n"
        "        return w(t)\n"
        "    f.write = write\n"
        "    return f\n"
        "os.fdopen = slow\n"
        f"files.write_atomic(pathlib.Path({str(tmp_path / 'out.json')!r}), 'x')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    proc.stdout.close()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------
# show


def test_show_prints_the_introduction_and_the_titles_of_source_items() -> None:
    out = cli("show", EXAMPLE).stdout
    assert "Introduction" in out
    assert "Die Stadt Sindelfingen legt der konzentrierten Digitalstrategie" in out
    assert "from smart-city-charta#leitbild-1 „lebenswert und liebenswert“" in out
    # Paragraphs of the introduction stay paragraphs.
    assert "Geltung haben.\n\n  Als Grundlage" in out
    # Words are never broken at their hyphens.
    assert "Digitalisierungs-Projekte" in out


def test_show_keeps_paragraphs_of_notes(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(doc(A, top='note = """Erster Absatz.\n\nZweiter Absatz."""'), encoding="utf-8")
    out = cli("show", path).stdout
    assert "note:         Erster Absatz.\n\n              Zweiter Absatz." in out


def test_errors_of_the_writer_have_a_code(tmp_path: Path) -> None:
    # A missing folder is made (issue 17); one under a file cannot be.
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(ChartaError) as info:
        write_atomic(tmp_path / "a-file" / "x.json", "{}")
    assert info.value.problems[0].code == "cannot-write"


def test_the_same_object_twice_is_reported_at_each_place() -> None:
    # Key paths are walked, not looked up by identity (review of issue 5).
    shared = charta.Item(id="x", title="X")
    built = Charta(
        id="town",
        title="T",
        kind=charta.ChartaKind.LOCAL,
        status=charta.Status.DRAFT,
        issuer=charta.Issuer(body="Stadt"),
        items=(shared, shared),
    )
    [problem] = check(built, Registry())
    assert problem.code == "duplicate-item-id"
    assert problem.location.key_path == "items[1].id"
    link = charta.Derivation(
        ref=Reference(item="nope"),
        relation=charta.Relation.ADAPTED,
        confidence=charta.Confidence.LOW,
    )
    two = attrs.evolve(
        built,
        items=(
            charta.Item(id="a", title="A", derived_from=(link,)),
            charta.Item(id="b", title="B", derived_from=(link,)),
        ),
    )
    paths = [p.location.key_path for p in check(two, Registry())]
    assert paths == ["items[0].derived-from[0].ref", "items[1].derived-from[0].ref"]


# ---------------------------------------------------------------------------
# Found by the review of issue 5


@pytest.mark.parametrize(
    "number", ["0x" + "f" * 5000, "0o" + "7" * 5000, "0b" + "1" * 5000, str(2**63), "-" + "9" * 30]
)
def test_whole_numbers_outside_64_bits_are_refused(number: str) -> None:
    for top in (f"declared-count = {number}", f'title = {number}\ncompleteness = "partial"'):
        text = (
            doc(A, top=top) if "title" not in top else doc(A).replace('title = "Leitmotive"', top)
        )
        with pytest.raises(ValidationError) as info:
            charta.loads(text, file="big.toml")
        assert all(p.code in {"wrong-type"} for p in info.value.problems), info.value.problems


def test_a_plugin_source_that_is_not_utf8_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = tmp_path / "latin_sources"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "latin-source.toml").write_bytes(
        doc(item("x", title="Straße"), id="latin-source", kind="source").encode("latin-1")
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry({"latin-source": SourceEntry("latin-source", "latin_sources")})
    with pytest.raises(ChartaError) as info:
        registry.get("latin-source")
    assert info.value.problems[0].code == "not-utf8"
    assert "latin_sources/latin-source.toml" in str(info.value)
    sys.modules.pop("latin_sources", None)


def test_locating_a_long_number_is_linear() -> None:
    # 1,150 runs of 4,300 digits in comments, then one number that is too long:
    # a pattern like [0-9_]{4301,} retried every start of every run (12 s).
    comments = "".join(f"# {'1' * 4300}\n" for _ in range(1150))
    text = comments + doc(A, top="declared-count = " + "9" * 4400)
    # (Its time is measured in benchmarks/validation_scaling.py, family digit-runs.)
    with pytest.raises(ValidationError) as info:
        toml.loads(text, file="long.toml")
    [problem] = info.value.problems
    assert problem.code == "number-too-long"
    assert problem.location.line == 1151 + 5


def test_suggestions_skip_very_long_ids() -> None:
    ids = [f"{'x' * 2000}-{i}" for i in range(50)]
    assert hints.did_you_mean("x" * 2000, ids) == ""
    assert hints.did_you_mean("leitbild-9", ["leitbild-8", "x" * 2000]) == (
        " (did you mean 'leitbild-8'?)"
    )


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Kunigunde Quast", "Auf Anregung von Frau Quast."),
        ("Kunigunde Quast", "Frau Quasts Vorschlag"),
        ("Kunigunde Quast", "FRAU QUAST schrieb"),
        ("Kunigunde Quast", "Frau Qu\u200bast schrieb"),
        ("Li Wu", "Danke an Li Wu."),
        ("Hans Müller", "Herr Mu\u0308ller meint"),
        ("İlker Yılmaz", "ILKER schrieb"),
    ],
)
def test_a_hidden_name_is_taken_out_of_every_text(name: str, written: str) -> None:
    import unicodedata

    person = Commenter(name=name, email="kq@example.org", pseudonym="Person 1")
    c = charta.loads(doc(A), check=False)
    c = attrs.evolve(
        c,
        note=written,
        items=(attrs.evolve(c.items[0], note=written),),
        consultation=Consultation(comments=(Comment(id="c-1", text="x", commenter=person),)),
    )
    public = charta.public_view(c)
    for text in (public.note, public.items[0].note):
        plain = unicodedata.normalize("NFKC", text).casefold()
        for part in name.split():
            assert unicodedata.normalize("NFKC", part).casefold() not in plain, text
        assert "Person 1" in text


@pytest.mark.parametrize("written", ["kq@example.org.", "(kq@example.org)!", "KQ@Example.org,"])
def test_an_email_is_removed_before_punctuation(written: str) -> None:
    person = Commenter(
        name="", email="kq@example.org", pseudonym="Person 1", consent_to_publish=True
    )
    c = charta.loads(doc(A), check=False)
    c = attrs.evolve(
        c,
        introduction=f"Schreiben Sie an {written}",
        consultation=Consultation(comments=(Comment(id="c-1", text="x", commenter=person),)),
    )
    shown = charta.public_view(c).introduction
    assert "example.org" not in shown.casefold()
    assert "[E-Mail entfernt]" in shown


def test_principle_texts_lose_only_the_full_name() -> None:
    person = Commenter(name="Stadt Bildung", pseudonym="Person 1")
    c = charta.loads(
        doc(item("a", extra='text = "Die Stadt stärkt Bildung. Stadt Bildung schrieb."\n')),
        check=False,
    )
    c = attrs.evolve(
        c, consultation=Consultation(comments=(Comment(id="c-1", text="x", commenter=person),))
    )
    assert charta.public_view(c).items[0].text == "Die Stadt stärkt Bildung. Person 1 schrieb."


def test_a_read_only_target_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(ChartaError, match="is read-only"):
        write_atomic(target, "[]\n")
    assert target.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]


def test_an_empty_output_name_is_refused() -> None:
    result = cli("schema", "-o", "")
    assert result.exit_code in (1, 2)
    assert "give a file name" in result.stderr or "Invalid value" in result.stderr


def test_tag_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(doc(item("a", title="Ti\\U000e0041tel")), encoding="utf-8")
    out = cli("show", path).stdout
    assert "\U000e0041" not in out
    assert "Ti\\ue0041tel" in out  # shown as an escape


def test_the_introduction_is_indented_so_it_cannot_forge_a_line(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        doc(A, top='introduction = """Erster.\n\nFORGED.toml: valid, 10 items"""'), encoding="utf-8"
    )
    out = cli("show", path).stdout
    assert "\n  FORGED.toml: valid, 10 items" in out
    assert not any(line.startswith("FORGED") for line in out.splitlines())


def test_reading_a_valid_file_does_not_import_cattrs() -> None:
    code = (
        "import sys\nimport charta\n"
        f"r = charta.validate({str(EXAMPLE)!r})\n"
        "print(r.ok, 'cattrs' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "False"]
    bad = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, charta\nr = charta.validate_text('format = 1\\nid = 5\\n')\n"
            "print(r.ok, 'cattrs' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert bad.split() == ["False", "True"]  # cattrs explains what is wrong


def test_the_public_view_keeps_typography() -> None:
    c = charta.load(EXAMPLE)
    public = charta.public_view(c)
    assert public.provenance.note == c.provenance.note  # „…“ stays „…“, not "..."
    assert [i.text for i in public.walk()] == [i.text for i in c.walk()]
