"""The domain model: value types, references, privacy of commenters, charta queries."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from charta import (
    Charta,
    ChartaKind,
    Comment,
    Commenter,
    Confidence,
    Consultation,
    Derivation,
    Issuer,
    Item,
    Location,
    PartialDate,
    Reference,
    Relation,
    RevisedField,
    Revision,
    Status,
)

# --------------------------------------------------------------------------
# PartialDate


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2017", PartialDate(2017), "year"),
        ("2017-05", PartialDate(2017, 5), "month"),
        (dt.date(2017, 5, 1), PartialDate(2017, 5, 1), "day"),
        ("0999", PartialDate(999), "year"),
    ],
)
def test_partial_date_parses_year_month_and_day(
    value: str | dt.date, expected: PartialDate, precision: str
) -> None:
    parsed = PartialDate.parse(value)
    assert parsed == expected
    assert parsed.precision == precision


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (PartialDate(2017), "2017"),
        (PartialDate(2017, 5), "2017-05"),
        (PartialDate(2017, 5, 1), "2017-05-01"),
        (PartialDate(999, 1), "0999-01"),
    ],
)
def test_partial_date_str_is_zero_padded_iso(date: PartialDate, text: str) -> None:
    assert str(date) == text


@pytest.mark.parametrize("text", ["2017", "2017-05", "0001", "9999-12"])
def test_partial_date_str_round_trips_through_parse(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


def test_partial_date_to_toml_is_a_date_only_when_the_day_is_known() -> None:
    assert PartialDate(2020, 11, 8).to_toml() == dt.date(2020, 11, 8)
    assert PartialDate(2020, 11).to_toml() == "2020-11"
    assert PartialDate(2020).to_toml() == "2020"


def test_partial_date_earliest_is_the_first_day_it_could_mean() -> None:
    assert PartialDate(2017).earliest() == dt.date(2017, 1, 1)
    assert PartialDate(2017, 5).earliest() == dt.date(2017, 5, 1)
    assert PartialDate(2017, 5, 9).earliest() == dt.date(2017, 5, 9)


def test_partial_dates_of_one_precision_order_by_time() -> None:
    assert PartialDate(2017) < PartialDate(2018)
    assert PartialDate(2017, 12) < PartialDate(2018, 1)
    assert PartialDate(2017, 5, 31) < PartialDate(2017, 6, 1)
    assert max(PartialDate(2020, 2), PartialDate(2019, 12)) == PartialDate(2020, 2)


def test_partial_dates_of_mixed_precision_can_be_sorted() -> None:
    # Revisions and comments carry dates of any precision; sorting them must
    # not fail.  A coarser date sorts before the finer dates it contains
    # (like earliest()), and time order wins over precision.
    dates = [
        PartialDate(2017, 6),
        PartialDate(2017, 5, 1),
        PartialDate(2018),
        PartialDate(2017),
        PartialDate(2017, 5),
    ]
    assert sorted(dates) == [
        PartialDate(2017),
        PartialDate(2017, 5),
        PartialDate(2017, 5, 1),
        PartialDate(2017, 6),
        PartialDate(2018),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2020-13",  # month 13
        "2020-00",  # month 0
        "2020-1",  # month not zero-padded
        "20201",
        "2020-01-01",  # a full date must be a TOML date, not a string
        " 2020",
        "2020 ",
        "2020\n",
        "2020-05\n",
        "0000",  # no year 0
        "",
        "May 2017",
    ],
)
def test_partial_date_rejects_malformed_text(value: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        PartialDate.parse(value)


def test_partial_date_error_names_the_part_that_is_wrong() -> None:
    with pytest.raises(ValueError, match="month"):
        PartialDate.parse("2020-13")
    with pytest.raises(ValueError, match="year") as info:
        PartialDate.parse("0000")
    assert "month" not in str(info.value)


def test_partial_date_rejects_a_datetime() -> None:
    with pytest.raises(ValueError, match="without a time"):
        PartialDate.parse(dt.datetime(2020, 1, 1, 12, 0))


@pytest.mark.parametrize("value", [2020, 2020.5, None, ["2020"]])
def test_partial_date_rejects_non_dates(value: object) -> None:
    with pytest.raises(TypeError, match="expected a date"):
        PartialDate.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [
        (2020, 13, None),
        (2020, 0, None),
        (2020, 1, 0),
        (2020, 2, 30),
        (2020, None, 5),
        (0, None, None),
    ],
)
def test_partial_date_constructor_checks_ranges(
    year: int, month: int | None, day: int | None
) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        PartialDate(year, month, day)


def test_partial_date_accepts_29_february_in_a_leap_year_only() -> None:
    assert PartialDate(2020, 2, 29).precision == "day"
    with pytest.raises(ValueError, match="day"):
        PartialDate(2021, 2, 29)


# --------------------------------------------------------------------------
# Reference


@pytest.mark.parametrize(
    ("text", "charta", "edition", "item"),
    [
        ("smart-city-charta#leitbild-5", "smart-city-charta", None, "leitbild-5"),
        ("smart-city-charta@2017#leitlinie-2-1", "smart-city-charta", "2017", "leitlinie-2-1"),
        ("#leitmotiv-2", None, None, "leitmotiv-2"),
        ("digitalakademie-bw", "digitalakademie-bw", None, None),
        ("digitalakademie-bw@2018", "digitalakademie-bw", "2018", None),
        ("../x/leitmotive.toml#a", "../x/leitmotive.toml", None, "a"),
        ("x.toml", "x.toml", None, None),
    ],
)
def test_reference_parses_every_documented_form_and_round_trips(
    text: str, charta: str | None, edition: str | None, item: str | None
) -> None:
    ref = Reference.parse(text)
    assert ref == Reference(charta=charta, edition=edition, item=item)
    assert str(ref) == text
    assert Reference.parse(str(ref)) == ref


def test_reference_kinds() -> None:
    assert Reference.parse("#leitmotiv-2").is_local
    assert not Reference.parse("#leitmotiv-2").is_path
    assert not Reference.parse("smart-city-charta#leitbild-5").is_local
    assert not Reference.parse("smart-city-charta#leitbild-5").is_path
    assert Reference.parse("../x/leitmotive.toml#a").is_path
    assert Reference.parse("x.toml").is_path
    assert Reference.parse("sub\\x#a").is_path


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "is not a reference"),
        ("   ", "is not a reference"),
        ("#", "nothing follows '#'"),
        ("Bad Id#x", "'Bad Id' is neither a kebab-case source id nor a path"),
        ("a#B", "item id 'B' is not a kebab-case id"),
        ("a@#x", "is not a reference"),
        ("a#b#c", "is not a reference"),
        ("a@1@2#x", "is not a reference"),
        ("@2017#x", "is not a reference"),
        ("a#-b", "not a kebab-case id"),
    ],
)
def test_reference_rejects_malformed_text_saying_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        Reference.parse(text)


def test_reference_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="as a string"):
        Reference.parse(5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Commenter: personal data


def test_commenter_repr_hides_name_and_email() -> None:
    person = Commenter(name="Erika Mustermann", email="erika@example.org", pseudonym="Bürgerin 1")
    comment = Comment(id="comment-1", text="Bitte Schulen nennen.", commenter=person)
    for shown in (
        repr(person),
        str(person),
        repr(comment),
        repr(Consultation(comments=(comment,))),
    ):
        assert "Erika" not in shown
        assert "Mustermann" not in shown
        assert "erika@example.org" not in shown
        assert "Bürgerin 1" in shown


@pytest.mark.parametrize(
    ("name", "consent", "shown"),
    [
        ("Erika Mustermann", True, "Erika Mustermann"),
        ("Erika Mustermann", False, "Bürgerin 1"),
        ("", True, "Bürgerin 1"),
        ("", False, "Bürgerin 1"),
    ],
)
def test_public_name_is_the_name_only_with_consent(name: str, consent: bool, shown: str) -> None:
    person = Commenter(name=name, pseudonym="Bürgerin 1", consent_to_publish=consent)
    assert person.public_name == shown


def test_commenter_consent_defaults_to_no() -> None:
    assert Commenter(name="Erika", pseudonym="B1").public_name == "B1"


# --------------------------------------------------------------------------
# Charta queries


def _item(item_id: str, *children: Item, revisions: tuple[Revision, ...] = ()) -> Item:
    return Item(id=item_id, title=item_id.upper(), children=children, revisions=revisions)


def _charta(*items: Item) -> Charta:
    return Charta(
        id="town",
        title="Town",
        kind=ChartaKind.LOCAL,
        issuer=Issuer(body="Stadt"),
        status=Status.DRAFT,
        items=items,
    )


def _revision(*caused_by: str, after: str = "new") -> Revision:
    return Revision(field=RevisedField.TEXT, before="old", after=after, caused_by=caused_by)


def test_walk_is_depth_first_in_document_order() -> None:
    charta = _charta(
        _item("a", _item("a-1", _item("a-1-x")), _item("a-2")),
        _item("b"),
        _item("c", _item("c-1")),
    )
    assert [i.id for i in charta.walk()] == ["a", "a-1", "a-1-x", "a-2", "b", "c", "c-1"]
    assert [i.id for i in charta.items[0].walk()] == ["a", "a-1", "a-1-x", "a-2"]
    assert list(_charta().walk()) == []


def test_item_finds_items_at_any_depth() -> None:
    deep = _item("a-1-x")
    charta = _charta(_item("a", _item("a-1", deep)), _item("b"))
    assert charta.item("a-1-x") is deep
    assert charta.item("b") == _item("b")
    assert charta.item("missing") is None
    assert charta.known_count == 2


def test_revisions_caused_by_finds_revisions_in_nested_items() -> None:
    r1 = _revision("comment-1", "response-1", after="one")
    r2 = _revision("comment-2", after="two")
    r3 = _revision("comment-1", after="three")
    inner = _item("a-1", revisions=(r3,))
    outer = _item("a", inner, revisions=(r1, r2))
    charta = _charta(outer, _item("b"))
    assert charta.revisions_caused_by("comment-1") == ((outer, r1), (inner, r3))
    assert charta.revisions_caused_by("response-1") == ((outer, r1),)
    assert charta.revisions_caused_by("comment-2") == ((outer, r2),)
    assert charta.revisions_caused_by("comment") == ()  # ids match exactly, not by prefix


def test_consultation_lookups() -> None:
    from charta import Decision, Response

    c1 = Comment(id="c-1", text="t", commenter=Commenter(pseudonym="P"))
    r1 = Response(id="r-1", comment="c-1", by="Amt", text="ok", decision=Decision.ACCEPTED)
    r2 = Response(id="r-2", comment="c-1", by="Amt", text="more", decision=Decision.NOTED)
    cons = Consultation(comments=(c1,), responses=(r1, r2))
    assert cons.comment("c-1") is c1
    assert cons.comment("c-2") is None
    assert cons.responses_to("c-1") == (r1, r2)
    assert cons.responses_to("c-2") == ()


# --------------------------------------------------------------------------
# Equality and locations


def test_equality_ignores_location() -> None:
    here = Location(("items", 0), "a.toml", line=3, column=1)
    there = Location(("items", 7), "b.toml", line=99, column=5)
    link = Derivation(
        ref=Reference.parse("#b"), relation=Relation.ADOPTED, confidence=Confidence.HIGH
    )
    a = _charta(attrs.evolve(_item("a"), location=here, derived_from=(link,)))
    b = _charta(
        attrs.evolve(
            _item("a"),
            location=there,
            derived_from=(attrs.evolve(link, location=there),),
        )
    )
    assert a == b
    assert hash(a) == hash(b)
    assert attrs.evolve(a, location=here) == b
    assert "a.toml" not in repr(a.items[0])


def test_equality_still_compares_values() -> None:
    assert _charta(_item("a")) != _charta(_item("b"))
    assert _item("a") != attrs.evolve(_item("a"), title="Other")


def test_location_text() -> None:
    assert Location(("items", 1, "title"), "f.toml", line=12, column=3).key_path == "items[1].title"
    assert str(Location(("items", 1), "f.toml", line=12, column=3)) == "f.toml:12:3"
    assert str(Location(("items", 1), "f.toml", line=12)) == "f.toml:12"
    assert str(Location(("items", 1, "derived-from", 0), "f.toml")) == (
        "f.toml: items[1].derived-from[0]"
    )
    assert str(Location(("id",))) == "<string>: id"
    assert Location().key_path == ""


def test_model_objects_are_frozen() -> None:
    item = _item("a")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        item.title = "changed"  # type: ignore[misc]
