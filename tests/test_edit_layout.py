"""Edits touch only what they edit (issue 18, item 3).

Charta files are generated in the styles clerks write them in: comments above
headers and after values, inline arrays of tables with comments between their
entries, ``revisions = []   # ...``, dotted keys, a table placed between two
``[[items]]``, CRLF and a byte-order mark.  One edit is applied, and the text
outside the edited value must be byte for byte what it was.
"""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charta.adapters.toml import loads, read_text
from charta.adapters.toml.edit import edit_output, edit_text
from charta.derive import operations as op
from charta.model import Charta, PartialDate, Reference, Relation

DAY = PartialDate(2026, 12, 8)


@st.composite
def styled(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    """A charta text in a generated style, and what was drawn for each principle."""
    count = draw(st.integers(2, 4))
    out = ["# Leitlinien der Musterstadt", "", "format = 1", 'id = "stil"']
    out.append('title = "Stil"' + draw(st.sampled_from(["", "  # der Titel"])))
    out += ['kind = "local"', 'language = "de"', 'status = "draft"']
    dotted = draw(st.booleans())
    if dotted:
        out += ['issuer.body = "Stadt Muster"  # wer', 'issuer.kind = "municipality"', ""]
    else:
        out += ["", "[issuer]", 'body = "Stadt Muster"  # wer', 'kind = "municipality"', ""]
    apart = draw(st.integers(0, count))  # the table put among the principles
    drawn: list[dict[str, object]] = []
    for n in range(1, count + 1):
        if apart == n - 1:
            out += [
                draw(st.sampled_from(["", "# woher"])),
                "[provenance]",
                'urls = ["https://example.org/leitlinien"]  # die Seite',
                "",
            ]
        heading = draw(st.sampled_from(["", f"# {n}", f"# ----\n# {n}\n"]))
        links = draw(st.sampled_from(["none", "tables", "inline"]))
        empty = draw(st.booleans())
        out += [heading, "[[items]]", f'id = "p{n}"', f'label = "{n}"']
        out.append(f'title = "Titel {n}"' + draw(st.sampled_from(["", "   # kurz"])))
        out.append(f'text = "Text {n}."' + draw(st.sampled_from(["", "  # wie beschlossen"])))
        if empty:
            out.append("revisions = []   # leer, mit Absicht")
        if links == "inline":
            out += [
                "derived-from = [",
                "  # die erste Quelle",
                f'  {{ ref = "smart-city-charta#leitbild-{n}", relation = "inspired-by", '
                'confidence = "low", asserted-by = "record-keeper" },  # so',
                "]",
            ]
        out.append("")
        if links == "tables":
            out += [
                "# woher es kommt",
                "[[items.derived-from]]",
                f'ref = "smart-city-charta#leitbild-{n}"',
                'relation = "inspired-by"  # lose',
                'confidence = "low"',
                'asserted-by = "record-keeper"',
                "",
            ]
        drawn.append({"links": links, "empty": empty})
    if apart == count:
        out += ["[provenance]", 'urls = ["https://example.org/leitlinien"]', ""]
    out.append("# Ende")
    return "\n".join(out) + "\n", drawn


EDITS = ["title", "text", "link", "revision", "drop-link"]


def _with(charta: Charta, item: str, **changes: object) -> Charta:
    items = tuple(attrs.evolve(i, **changes) if i.id == item else i for i in charta.items)
    return attrs.evolve(charta, items=items)


def _edit(kind: str, n: int, charta: Charta) -> Charta:
    item = f"p{n}"
    if kind == "title":
        return _with(charta, item, title=f"Neu {n}")
    if kind == "text":
        return _with(charta, item, text=f"Neuer Text {n}.")
    if kind == "link":
        ref = Reference(charta="smart-city-charta", item="leitlinie-1")
        return op.link(charta, item, ref, Relation.INSPIRED_BY)
    if kind == "revision":
        return op.adapt(charta, item, text=f"Neuer Text {n}.", date=DAY, reason="Beteiligung")
    return _with(charta, item, derived_from=())


def _allowed(kind: str, n: int, lines: list[str]) -> set[int]:
    """The old lines that the edit may change: those of the edited value."""
    start = lines.index(f'id = "p{n}"\n')
    end = next(
        (k for k in range(start + 1, len(lines)) if lines[k].startswith('id = "p')), len(lines)
    )
    mine = range(start, end)
    if kind == "title":
        return {k for k in mine if lines[k].startswith("title = ")}
    if kind == "text":
        return {k for k in mine if lines[k].startswith("text = ")}
    if kind == "link":
        return set()  # a link is only added
    if kind == "revision":
        return {k for k in mine if lines[k].startswith(("text = ", "revisions = "))}
    # drop-link: the link's lines, with the heading comment and blank line of a links table
    out: set[int] = set()
    for k in mine:
        if lines[k].startswith("derived-from = ["):
            out.update(range(k, k + 4))
        elif lines[k].startswith("# woher es kommt"):
            out.update(range(k - 1, k + 6))  # a diff may take the blank line above
            # and the blank lines that ended it
            out.update(
                j
                for j in range(k + 6, len(lines))
                if not lines[j].strip() and all(not lines[i].strip() for i in range(k + 6, j + 1))
            )
    return out


def _changed_old_lines(before: str, after: str) -> set[int]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changed: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed.update(range(i1, i2))
    return changed


@settings(max_examples=150)  # more than the fast profile's 50: many styles to cover
@given(styled(), st.sampled_from(EDITS), st.data())
def test_the_text_outside_the_edited_value_stays_byte_for_byte(
    case: tuple[str, list[dict[str, object]]], kind: str, data: st.DataObject
) -> None:
    text, drawn = case
    n = data.draw(st.integers(1, len(drawn)), label="principle")
    if kind == "drop-link" and drawn[n - 1]["links"] == "none":
        kind = "title"
    old = loads(text, file="stil.toml")
    new = _edit(kind, n, old)
    out = edit_text(text, old, new)
    assert loads(out, file="stil.toml") == new
    lines = text.splitlines(keepends=True)
    changed = _changed_old_lines(text, out)
    assert changed <= _allowed(kind, n, lines), (kind, n, text, out)
    # every comment of the clerk is still there, but those of a removed link
    gone = {lines[k] for k in _allowed(kind, n, lines)} if kind == "drop-link" else set()
    for line in lines:
        if "#" in line and line not in gone:
            comment = line[line.index("#") :]
            assert comment in out, (comment, out)
    # written to a file with CRLF line ends and a byte-order mark, they are kept
    ending = data.draw(st.sampled_from(["\n", "\r\n"]), label="line ends")
    bom = data.draw(st.sampled_from(["", "\ufeff"]), label="byte-order mark")
    raw = (bom + text.replace("\n", ending)).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stil.toml"
        path.write_bytes(raw)
        _, written, _ = edit_output(path, text, old, new, raw=raw)
    assert written == bom + out.replace("\n", ending)


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_crlf_and_a_byte_order_mark_are_kept_around_the_edit(
    tmp_path: Path, ending: str, bom: bool
) -> None:
    text = _fixed()
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", ending).encode("utf-8")
    path = tmp_path / "stil.toml"
    path.write_bytes(raw)
    read, _ = read_text(path)
    old = loads(read, file=str(path))
    new = _edit("title", 2, old)
    _, written, _ = edit_output(path, read, old, new, raw=raw)
    expected = raw.decode("utf-8").replace('title = "Titel 2"', 'title = "Neu 2"')
    assert written == expected


def _fixed() -> str:
    return (
        'format = 1\nid = "stil"\ntitle = "Stil"\nkind = "local"\nlanguage = "de"\n'
        'status = "draft"\n\n'
        '[issuer]\nbody = "Stadt Muster"\nkind = "municipality"\n\n'
        '# 1\n[[items]]\nid = "p1"\ntitle = "Titel 1"\ntext = "Text 1."\n\n'
        '[provenance]  # zwischen den Leitlinien\nurls = ["https://example.org/"]\n\n'
        '# 2\n[[items]]\nid = "p2"\ntitle = "Titel 2"  # kurz\ntext = "Text 2."\n'
        "revisions = []   # leer, mit Absicht\n"
    )


def test_a_table_between_two_principles_stays_there_whatever_is_edited() -> None:
    text = _fixed()
    old = loads(text, file="stil.toml")
    for new in (
        attrs.evolve(old, title="Anders"),
        _edit("title", 1, old),
        _edit("revision", 2, old),
        _edit("link", 1, old),
    ):
        out = edit_text(text, old, new)
        assert loads(out, file="stil.toml") == new
        assert out.index("[provenance]") < out.index('id = "p2"'), out
        assert "# leer, mit Absicht" in out


def test_a_comment_like_line_that_closes_a_string_is_no_heading() -> None:
    """A multi-line string whose last line starts with "#": the lines above the
    next header are not that header's heading (the piece would start inside the
    string, and removing the next principle would cut the string)."""
    text = (
        _fixed()
        .replace('text = "Text 1."\n', 'text = """\nEins, siehe\n# 3 der Charta"""\n')
        .replace('\n[provenance]  # zwischen den Leitlinien\nurls = ["https://example.org/"]\n', "")
    )
    old = loads(text, file="stil.toml")
    new = attrs.evolve(old, items=old.items[:1])
    out = edit_text(text, old, new)
    assert loads(out, file="stil.toml") == new
    assert '# 3 der Charta"""' in out


def test_a_new_entry_and_a_removed_one_keep_the_rest() -> None:
    text = _fixed()
    old = loads(text, file="stil.toml")
    third = attrs.evolve(old.items[0], id="p3", title="Titel 3")
    new = attrs.evolve(old, items=(old.items[1], third))
    out = edit_text(text, old, new)
    assert loads(out, file="stil.toml") == new
    assert "[provenance]  # zwischen den Leitlinien" in out
    assert "# 2\n[[items]]" in out
