"""The key-position scanner: every key path of a TOML text -> (line, column), 1-based.

The scanner runs only on text tomllib has accepted (CRLF already normalised by
``decode``).  It must follow every construct a charta file can hold, so that
a key after a tricky string or array still gets its own line.
"""

from __future__ import annotations

import string
import textwrap
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charta.adapters.toml.locate import key_positions

KeyPath = tuple[str | int, ...]


def positions(text: str) -> dict[KeyPath, tuple[int, int]]:
    """The scanner's answer for ``text``, after checking the text is valid TOML."""
    text = textwrap.dedent(text)
    tomllib.loads(text)  # the scanner's precondition; fails loudly on a bad fixture
    return dict(key_positions(text))


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of ``text`` that starts with ``needle``."""
    lines = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith(needle)]
    assert len(lines) == 1, f"{needle!r} starts {len(lines)} lines"
    return lines[0]


# --------------------------------------------------------------------------
# Plain keys and tables


def test_top_level_keys_have_line_and_column() -> None:
    pos = positions(
        """\
        format = 1
        id = "x"

          indented = true
        """
    )
    assert pos[("format",)] == (1, 1)
    assert pos[("id",)] == (2, 1)
    assert pos[("indented",)] == (4, 3)


def test_table_header_and_its_keys() -> None:
    pos = positions(
        """\
        id = "x"
        [issuer]
        body = "B"
          office = "O"
        """
    )
    assert pos[("issuer",)] == (2, 1)
    assert pos[("issuer", "body")] == (3, 1)
    assert pos[("issuer", "office")] == (4, 3)
    assert ("body",) not in pos


def test_header_with_spaces_inside_brackets() -> None:
    pos = positions(
        """\
        [ issuer ]
        body = "B"
        [[ items ]]
        id = "a"
        """
    )
    assert pos[("issuer", "body")] == (2, 1)
    assert pos[("items", 0, "id")] == (4, 1)


def test_keys_after_a_header_with_a_trailing_comment() -> None:
    pos = positions(
        """\
        [issuer] # who issues it
        body = "B"
        """
    )
    assert pos[("issuer", "body")] == (2, 1)


# --------------------------------------------------------------------------
# Arrays of tables


def test_array_of_tables_elements_are_numbered_from_zero() -> None:
    pos = positions(
        """\
        [[items]]
        id = "a"

        [[items]]
        id = "b"
        title = "B"
        """
    )
    assert pos[("items",)] == (1, 1)
    assert pos[("items", 0)] == (1, 1)
    assert pos[("items", 0, "id")] == (2, 1)
    assert pos[("items", 1)] == (4, 1)
    assert pos[("items", 1, "id")] == (5, 1)
    assert pos[("items", 1, "title")] == (6, 1)
    assert ("items", 2) not in pos


def test_empty_array_table_elements_still_count() -> None:
    pos = positions(
        """\
        [[items]]
        [[items]]
        id = "b"
        """
    )
    assert pos[("items", 0)] == (1, 1)
    assert pos[("items", 1, "id")] == (3, 1)


def test_nested_array_of_tables_belongs_to_the_latest_parent_element() -> None:
    pos = positions(
        """\
        [[items]]
        id = "a"
        [[items.children]]
        id = "a1"
        [[items.children]]
        id = "a2"
        [[items]]
        id = "b"
        [[items.children]]
        id = "b1"
        """
    )
    assert pos[("items", 0, "children", 0, "id")] == (4, 1)
    assert pos[("items", 0, "children", 1, "id")] == (6, 1)
    assert pos[("items", 1, "id")] == (8, 1)
    # The children of the second item are numbered afresh.
    assert pos[("items", 1, "children", 0)] == (9, 1)
    assert pos[("items", 1, "children", 0, "id")] == (10, 1)
    assert ("items", 1, "children", 1) not in pos
    assert ("items", 0, "children", 2) not in pos


def test_array_of_tables_two_levels_deep() -> None:
    pos = positions(
        """\
        [[items]]
        [[items.children]]
        [[items.children.children]]
        id = "x"
        [[items.children]]
        [[items.children.children]]
        id = "y"
        [[items.children.children]]
        id = "z"
        """
    )
    assert pos[("items", 0, "children", 0, "children", 0, "id")] == (4, 1)
    assert pos[("items", 0, "children", 1, "children", 0, "id")] == (7, 1)
    assert pos[("items", 0, "children", 1, "children", 1, "id")] == (9, 1)


def test_sub_tables_of_array_elements() -> None:
    pos = positions(
        """\
        [consultation]
        url = "u"

        [[consultation.comments]]
        id = "c1"

        [consultation.comments.commenter]
        pseudonym = "P1"

        [[consultation.comments]]
        id = "c2"

        [consultation.comments.commenter]
        pseudonym = "P2"

        [[items]]
        id = "a"
        [[items.derived-from]]
        ref = "#b"
        """
    )
    assert pos[("consultation", "url")] == (2, 1)
    assert pos[("consultation", "comments", 0, "commenter")] == (7, 1)
    assert pos[("consultation", "comments", 0, "commenter", "pseudonym")] == (8, 1)
    assert pos[("consultation", "comments", 1, "id")] == (11, 1)
    assert pos[("consultation", "comments", 1, "commenter", "pseudonym")] == (14, 1)
    assert pos[("items", 0, "derived-from", 0, "ref")] == (19, 1)


def test_a_table_header_after_arrays_of_tables_is_resolved_from_the_root() -> None:
    pos = positions(
        """\
        [[items]]
        id = "a"
        [issuer]
        body = "B"
        """
    )
    assert pos[("issuer", "body")] == (4, 1)
    assert ("items", 0, "issuer") not in pos


# --------------------------------------------------------------------------
# Dotted and quoted keys


def test_dotted_keys_record_every_prefix_at_the_key() -> None:
    pos = positions(
        """\
        id = "x"
        issuer.body = "B"
        issuer.office = "O"
        """
    )
    assert pos[("issuer",)] == (2, 1)
    assert pos[("issuer", "body")] == (2, 1)
    assert pos[("issuer", "office")] == (3, 1)


def test_dotted_keys_inside_a_table_and_with_spaces() -> None:
    pos = positions(
        """\
        [provenance]
        a . b = 1
        a.c = 2
        """
    )
    assert pos[("provenance", "a", "b")] == (2, 1)
    assert pos[("provenance", "a", "c")] == (3, 1)


def test_quoted_keys_basic_and_literal() -> None:
    pos = positions(
        """\
        "title" = "T"
        'kind' = "source"
        "a.b" = 1
        'c#d' = 2
        "e = f" = 3
        after = 4
        """
    )
    assert pos[("title",)] == (1, 1)
    assert pos[("kind",)] == (2, 1)
    # A dot or hash inside quotes is part of the key, not a separator or comment.
    assert pos[("a.b",)] == (3, 1)
    assert ("a", "b") not in pos
    assert pos[("c#d",)] == (4, 1)
    assert pos[("e = f",)] == (5, 1)
    assert pos[("after",)] == (6, 1)


def test_quoted_keys_in_headers() -> None:
    pos = positions(
        """\
        ["is.suer"]
        body = 1
        ['x y'.z]
        k = 2
        [[ "items" ]]
        id = "a"
        """
    )
    assert pos[("is.suer", "body")] == (2, 1)
    assert pos[("x y", "z", "k")] == (4, 1)
    assert pos[("items", 0, "id")] == (6, 1)


def test_quoted_keys_with_escapes_are_recorded_by_their_value() -> None:
    # tomllib reads "ti\u0074le" as the key title and "a\"b" as a"b; a problem
    # with those keys must be located at them, so the scanner must record the
    # same key paths tomllib produces.
    text = 'format = 1\n"ti\\u0074le" = 5\n"a\\"b" = 2\n'
    assert set(tomllib.loads(text)) == {"format", "title", 'a"b'}
    pos = positions(text)
    assert pos.get(("title",)) == (2, 1)
    assert pos.get(('a"b',)) == (3, 1)


# --------------------------------------------------------------------------
# Values that contain things that look like keys, headers or comments


def test_multiline_basic_string_hides_headers_keys_and_comments() -> None:
    pos = positions(
        '''\
        [[items]]
        id = "a"
        text = """
        [[items]]
        id = "fake"
        # not a comment
        title = "not a key"
        """
        title = "A"
        [[items]]
        id = "b"
        '''
    )
    assert pos[("items", 0, "text")] == (3, 1)
    assert pos[("items", 0, "title")] == (9, 1)
    assert pos[("items", 1)] == (10, 1)
    assert pos[("items", 1, "id")] == (11, 1)
    assert ("items", 2) not in pos
    assert pos[("items", 0, "id")] == (2, 1)


def test_multiline_literal_string_hides_headers_and_keys() -> None:
    pos = positions(
        """\
        [[items]]
        note = '''
        [[items]]
        id = 'fake' \\
        '''
        id = "a"
        [[items]]
        id = "b"
        """
    )
    assert pos[("items", 0, "id")] == (6, 1)
    assert pos[("items", 1, "id")] == (8, 1)
    assert ("items", 2) not in pos


def test_multiline_strings_with_escaped_and_trailing_quotes() -> None:
    text = (
        'a = """ escaped \\""" still inside [[items]] """\n'
        'b = """ends in two quotes"""""\n'
        "c = '''ends in two quotes'''''\n"
        'd = """line-ending backslash \\\n    continues"""\n'
        'e = """backslash at the end \\\\"""\n'
        'f = """"quoted"""" \n'
        "g = 1\n"
    )
    pos = positions(text)
    assert [pos[(k,)] for k in "abcdefg"] == [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 1),
        (6, 1),
        (7, 1),
        (8, 1),
    ]


def test_single_line_strings_hide_hashes_and_brackets() -> None:
    pos = positions(
        """\
        a = "x # y [[items]] = z"
        b = 'C:\\Users\\'
        c = "escaped \\" quote # ["
        d = 1
        """
    )
    assert pos[("b",)] == (2, 1)
    assert pos[("c",)] == (3, 1)
    assert pos[("d",)] == (4, 1)
    assert not any(isinstance(p, str) and p.startswith("items") for k in pos for p in k)


def test_comments_are_skipped_wherever_they_stand() -> None:
    pos = positions(
        """\
        # [[items]]
        # id = "commented out"
        a = 1 # b = 2
        #
        [issuer] # [other]
        # body = "no"
        body = "B" # office = "no"
        """
    )
    assert pos == {("a",): (3, 1), ("issuer",): (5, 1), ("issuer", "body"): (7, 1)}


def test_scalars_of_every_kind_do_not_confuse_the_scanner() -> None:
    pos = positions(
        """\
        d = 2018-11-13
        dt = 1979-05-27 07:32:00Z
        t = 07:32:00
        f = -1.5e+3
        i = 0xdead_beef
        n = nan
        b = true# comment without a space
        after = "x"
        """
    )
    assert pos[("after",)] == (8, 1)
    assert pos[("b",)] == (7, 1)


def test_non_ascii_text_counts_columns_in_characters() -> None:
    pos = positions('"äöü" = { "💩" = "ö", b = "💩" }\n')
    assert pos[("äöü", "💩")] == (1, 11)
    assert pos[("äöü", "b")] == (1, 22)


# --------------------------------------------------------------------------
# Arrays and inline tables


def test_inline_tables_in_an_array_over_several_lines() -> None:
    pos = positions(
        """\
        [[items]]
        id = "a"
        derived-from = [
            # the strongest link first
            { ref = "#b", relation = "adopted", confidence = "high" },
            { ref = "smart-city-charta#leitbild-1", relation = "merged", confidence = "low" }, # x
        ]
        title = "A"
        """
    )
    assert pos[("items", 0, "derived-from")] == (3, 1)
    assert pos[("items", 0, "derived-from", 0)] == (5, 5)
    assert pos[("items", 0, "derived-from", 0, "ref")] == (5, 7)
    assert pos[("items", 0, "derived-from", 0, "relation")] == (5, 19)
    assert pos[("items", 0, "derived-from", 1)] == (6, 5)
    assert pos[("items", 0, "derived-from", 1, "confidence")] == (6, 66)
    assert ("items", 0, "derived-from", 2) not in pos
    assert pos[("items", 0, "title")] == (8, 1)


def test_array_elements_are_located_one_by_one() -> None:
    pos = positions(
        """\
        urls = [
            "https://a.example/#x",
            '''
        multi
        line''',
            "c", # comment
        ]
        caused-by = ["c-1", "r-1"]
        after = 1
        """
    )
    assert pos[("urls", 0)] == (2, 5)
    assert pos[("urls", 1)] == (3, 5)
    assert pos[("urls", 2)] == (6, 5)
    assert pos[("caused-by", 1)] == (8, 21)
    assert pos[("after",)] == (9, 1)


def test_nested_arrays_and_inline_tables() -> None:
    pos = positions(
        """\
        x = { a = { b = 1 }, c = [1, { d = [[2], [3,
          4]] }] }
        y = 2
        """
    )
    assert pos[("x", "a", "b")] == (1, 13)
    assert pos[("x", "c", 1, "d")] == (1, 32)
    assert pos[("x", "c", 1, "d", 1, 1)] == (2, 3)
    assert pos[("y",)] == (3, 1)


def test_built_in_source_locates_a_late_item() -> None:
    from importlib.resources import files

    text = (files("charta.sources") / "smart-city-charta.toml").read_text(encoding="utf-8")
    pos = positions(text)
    data = tomllib.loads(text)
    last = len(data["items"]) - 1
    line, column = pos[("items", last, "id")]
    assert text.split("\n")[line - 1][column - 1 :].startswith("id = ")
    assert f'"{data["items"][last]["id"]}"' in text.split("\n")[line - 1]


# --------------------------------------------------------------------------
# Property: every leaf key of any document tomli-w writes is found at its key

_keys = st.one_of(
    st.text(alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=6),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
    st.sampled_from(['"', "\\", "a.b", "#", "[x]", "'", "\n", "\t", " "]),
)
_hostile = st.sampled_from(
    ['"""', "'''", '"', "'", "\\", "\n", "[[items]]", "[a]", "x = 1", "#", "\t", "\r", "ä💩"]
)
_texts = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.lists(_hostile, max_size=8).map("".join),
)
_scalars = st.one_of(st.integers(-(2**63), 2**63 - 1), st.booleans(), _texts, st.dates())


def _tables(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    values: st.SearchStrategy[Any] = st.one_of(_scalars, st.lists(_scalars, max_size=3))
    if depth > 0:
        values = st.one_of(
            values,
            st.deferred(lambda: _tables(depth - 1)),
            st.lists(st.deferred(lambda: _tables(depth - 1)), min_size=1, max_size=3),
        )
    return st.dictionaries(_keys, values, max_size=4)


def _leaves(data: dict[str, Any], prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    for key, value in data.items():
        path = (*prefix, key)
        if isinstance(value, dict):
            yield from _leaves(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, element in enumerate(value):
                yield from _leaves(element, (*path, index))
        else:
            yield path, value


def _written_key(key: str) -> str:
    """The key as tomli-w writes it: bare, or quoted with escapes."""
    return tomli_w.dumps({key: 0}).removesuffix(" = 0\n")


@settings(
    max_examples=2 * settings.default.max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_tables(depth=3))
def test_every_leaf_key_is_found_at_its_key(data: dict[str, Any]) -> None:
    text = tomli_w.dumps(data, multiline_strings=True)
    pos = key_positions(text)
    lines = text.split("\n")
    for path, value in _leaves(data):
        assert path in pos, f"{path} not located in:\n{text}"
        line, column = pos[path]
        assert lines[line - 1][column - 1 :].startswith(_written_key(str(path[-1])) + " = ")
        if isinstance(value, list):
            elements = [pos.get((*path, i)) for i in range(len(value))]
            assert None not in elements
            assert elements == sorted(elements)  # type: ignore[type-var]


@pytest.mark.parametrize(
    "text", ["a = [", "a = {b = 1", "a = [}", "a = [[[", "[[x]]\n[[x", 'a = """abc', "a = [1, {x=2"]
)
def test_scanner_stops_on_text_tomllib_would_reject(text: str) -> None:
    # The scanner normally sees only accepted text; if it ever meets broken
    # text it must stop (these inputs once made it loop forever), keeping
    # what it found before the break.
    positions = key_positions(text)
    first_key = "x" if text.startswith("[") else "a"
    assert positions[(first_key,)] == (1, 1)
    _assert_inside(text, positions)


def _assert_inside(text: str, positions: dict[Any, tuple[int, int]]) -> None:
    """Every recorded position is a real place in ``text``."""
    lines = text.split("\n")
    for line, column in positions.values():
        assert 1 <= line <= len(lines)
        assert 1 <= column <= len(lines[line - 1]) + 1


@settings(max_examples=6 * settings.default.max_examples, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab =[]{},\"'#\n.\\"))))
def test_scanner_terminates_on_any_text(text: str) -> None:
    _assert_inside(text, key_positions(text))
