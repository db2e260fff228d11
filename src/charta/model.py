"""The charta domain model: frozen value objects, no I/O.

A :class:`Charta` is either a *source* charta (a federal or state charter that
towns adapt) or a *local* adaptation (a town's Leitmotive).  Every local
principle says where it came from (:class:`Derivation`), how it changed and
why (:class:`Revision`), and the consultation that caused the change
(:class:`Comment`, :class:`Response`).  Every loaded object remembers where in
which file it was written (:class:`Location`), so that errors and later
outputs can point back to the input.

Nothing here reads files or knows an output format; adapters do that.
"""

# No "from __future__ import annotations" here: cattrs and the schema resolve
# these annotations at run time, and string annotations cost a compile() each
# (about 9 ms of a 100 ms start-up for the model's ~110 fields).

import datetime as _dt
import enum
import re
import weakref
from collections.abc import Iterator
from typing import Any, Final, Protocol

import attrs

__all__ = [
    "Adoption",
    "Assertion",
    "Basis",
    "Charta",
    "ChartaKind",
    "Comment",
    "Commenter",
    "Completeness",
    "Confidence",
    "Consultation",
    "CoveredElsewhere",
    "Decision",
    "Derivation",
    "Edition",
    "Issuer",
    "IssuerKind",
    "Item",
    "ItemKind",
    "KeyPath",
    "Knowledge",
    "Lineage",
    "Location",
    "MergedAway",
    "Obtained",
    "Omission",
    "PartOf",
    "PartialDate",
    "PositionIndex",
    "Provenance",
    "Reference",
    "Relation",
    "Response",
    "RevisedField",
    "Revision",
    "Status",
    "Title",
]


class Value:
    """Base of charta's value classes: one shared ``__repr__``.

    attrs would generate and compile a repr for each class; one generic repr
    does the same job and saves about 2 ms of every start-up (the model's
    classes are created on each run of the command line).  Fields marked
    ``repr=False`` (personal data, locations) stay out of it.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        shown = (a for a in attrs.fields(type(self)) if a.repr)  # type: ignore[arg-type]
        inner = ", ".join(f"{a.name}={getattr(self, a.name)!r}" for a in shown)
        return f"{type(self).__name__}({inner})"


# --------------------------------------------------------------------------
# Closed vocabularies


class ChartaKind(enum.Enum):
    """Whether a charta is a source others adapt, or a local adaptation."""

    SOURCE = "source"
    LOCAL = "local"


class Status(enum.Enum):
    """Where a charta stands in its life."""

    DRAFT = "draft"
    CONSULTATION = "consultation"
    ADOPTED = "adopted"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"
    """Nobody recording this file has seen whether it was adopted, published or dropped."""


class Knowledge(enum.Enum):
    """How well we know a fact (the tags of ``shared/reference``)."""

    VERIFIED = "verified"
    """Seen in a public copy."""
    PARTIAL = "partial"
    """Only partly seen."""
    INFERRED = "inferred"
    """Reasoned from other facts, not seen."""
    UNVERIFIED = "unverified"
    """Reported somewhere, not checked."""


class Completeness(enum.Enum):
    """Whether a charta's items are all known."""

    COMPLETE = "complete"
    PARTIAL = "partial"


class ItemKind(enum.Enum):
    """What kind of item a principle is.  German domain words stay German."""

    PRINCIPLE = "principle"
    LEITMOTIV = "leitmotiv"
    LEITBILD = "leitbild"
    LEITLINIE = "leitlinie"
    POINT = "point"
    THEME = "theme"
    RECOMMENDATION = "recommendation"
    SECTION = "section"


class Relation(enum.Enum):
    """How a local principle relates to a source item."""

    ADOPTED = "adopted"
    """Taken over verbatim."""
    ADAPTED = "adapted"
    """Reworded for the town, same intent."""
    MERGED = "merged"
    """One of several source items merged into this principle."""
    EXTENDED = "extended"
    """Taken over and extended with local content."""
    INSPIRED_BY = "inspired-by"
    """A looser link: the source gave the idea, not the wording."""
    CORRESPONDS = "corresponds"
    """Agrees with the source item without having been taken from it."""


class Assertion(enum.Enum):
    """Who asserts a link between a local charta and a source."""

    ISSUER = "issuer"
    """The issuer itself states it: in its text, a table or a figure (say where in
    ``stated-at``)."""
    RECORD_KEEPER = "record-keeper"
    """The reading of whoever keeps this file, not a statement of the issuer."""


class Lineage(enum.Enum):
    """What a local charta's file says about where the charta comes from."""

    RECORDED = "recorded"
    """The sources the issuer names, or that a reader found, are recorded here."""
    NONE_NAMED = "none-named"
    """The issuer names no source: a fact about the document."""
    NOT_RECORDED = "not-recorded"
    """Nobody has recorded the lineage in this file yet."""


class IssuerKind(enum.Enum):
    """What kind of body issues a charta."""

    MUNICIPALITY = "municipality"
    """A town or city (Gemeinde, Stadt)."""
    COUNTY = "county"
    """A county (Landkreis, Kreis)."""
    STATE = "state"
    """A state (Land) or its ministries and agencies."""
    FEDERAL = "federal"
    """A federal body (Bund) or its ministries and agencies."""
    ASSOCIATION = "association"
    """An association or network (Städtetag, Verband, Netzwerk)."""
    OTHER = "other"


class Confidence(enum.Enum):
    """How sure the author of a link is that the link holds."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Decision(enum.Enum):
    """What an official response decided about a comment."""

    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly-accepted"
    REJECTED = "rejected"
    NOTED = "noted"


class RevisedField(enum.Enum):
    """Which field of an item a revision changed."""

    TITLE = "title"
    TEXT = "text"
    SUMMARY = "summary"


class Obtained(enum.Enum):
    """How the content of a charta file was obtained."""

    TRANSCRIBED = "transcribed"
    """Copied from a public document the issuer published for the public."""
    SUMMARISED = "summarised"
    """Titles and structure recorded, content summarised in our own words."""
    AUTHORED = "authored"
    """Written by the issuer in this file (the file is the original)."""
    DERIVED = "derived"
    """Produced by a charta operation from other chartas."""


# --------------------------------------------------------------------------
# Small value types


KeyPath = tuple[str | int, ...]


def format_key_path(keys: KeyPath) -> str:
    """``("items", 1, "title")`` -> ``items[1].title``."""
    out = ""
    for part in keys:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class PositionIndex(Protocol):
    """Finds the (line, column) of a key path in the text an object was read from."""

    def find(self, keys: KeyPath) -> tuple[int, int] | None:
        """The position of ``keys`` or, when not written, of its nearest written ancestor."""
        ...

    def written(self, keys: KeyPath) -> bool:
        """Whether ``keys`` itself is written in the text (not left at a default)."""
        ...


@attrs.frozen(repr=False)
class Location(Value):
    """Where an object was written: file, line and column where known, key path always.

    A reader may pass an ``index`` instead of a line: the line is then looked up
    only when someone asks for it (an error message, ``charta show``), so that
    reading a valid file does not pay for finding lines nobody reads.
    """

    keys: KeyPath = ()
    """The TOML key path as parts, e.g. ``("items", 1, "derived-from", 0)``."""
    file: str | None = None
    _line: int | None = attrs.field(default=None, alias="line")
    _column: int | None = attrs.field(default=None, alias="column")
    index: PositionIndex | None = attrs.field(default=None, eq=False, repr=False)

    def _position(self) -> tuple[int, int] | None:
        if self._line is not None:
            return self._line, self._column or 0
        return self.index.find(self.keys) if self.index is not None else None

    @property
    def line(self) -> int | None:
        """1-based line, when known."""
        pos = self._position()
        return pos[0] if pos else None

    @property
    def column(self) -> int | None:
        """1-based column, when known."""
        pos = self._position()
        return pos[1] if pos and pos[1] else None

    @property
    def key_path(self) -> str:
        """The key path as text: ``items[1].derived-from[0]``; empty for the document."""
        return format_key_path(self.keys)

    def __str__(self) -> str:
        where = self.file or "<string>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        elif self.keys:
            where += f": {self.key_path}"
        return where


# ASCII digits only: "\d" would also take Arabic-Indic or full-width digits.
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")
_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GERMAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def _none_first(value: int | None) -> int:
    return -1 if value is None else value


@attrs.frozen(order=True, repr=False)
class PartialDate(Value):
    """A date known to the year, the month or the day (``2017``, ``2017-05``, ``2017-05-01``).

    Sources are often dated "Stand Mai 2017": a month, not a day.  Writing such
    a date as the 1st of May would claim more than we know.
    """

    # "2020" sorts before "2020-01", which sorts before "2020-01-01".
    year: int
    month: int | None = attrs.field(default=None, order=_none_first)
    day: int | None = attrs.field(default=None, order=_none_first)

    def __attrs_post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a date with a day needs a month")
        # range check: month 1-12, a day that exists in that month
        _dt.date(
            self.year,
            1 if self.month is None else self.month,
            1 if self.day is None else self.day,
        )

    @classmethod
    def parse(cls, value: _dt.date | str) -> "PartialDate":
        """Read a TOML date or a ``YYYY`` / ``YYYY-MM`` string."""
        if isinstance(value, _dt.datetime):
            raise ValueError("expected a date without a time")
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day)
        if not isinstance(value, str):
            raise TypeError(f"expected a date, got {type(value).__name__}")
        m = _PARTIAL_DATE.fullmatch(value)
        if m is None and _FULL_DATE.fullmatch(value):
            raise ValueError(
                f"'{value}' is a date in quotes: write it without quotes, {value}, and TOML "
                "reads it as a date"
            )
        if m is None and (german := _GERMAN_DATE.fullmatch(value.strip())):
            day, month, year = german.groups()
            raise ValueError(
                f"'{value}' is in German order (day.month.year): write it as "
                f"{year}-{int(month):02d}-{int(day):02d}, year first and without quotes"
            )
        if m is None:
            raise ValueError(
                f"'{value}' is not a date: write a TOML date like 2020-11-08, "
                'or a year or month as a string: "2020", "2020-11"'
            )
        year, month = int(m[1]), int(m[2]) if m[2] else None
        if year < _dt.MINYEAR:
            raise ValueError(f"'{value}' is not a date: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{value}' is not a date: the month must be 01 to 12")
        return cls(year, month)

    @classmethod
    def from_iso(cls, text: str) -> "PartialDate":
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a date given on the command line)."""
        if _FULL_DATE.fullmatch(text.strip()):
            try:
                return cls.parse(_dt.date.fromisoformat(text.strip()))
            except ValueError:
                raise ValueError(f"'{text}' is not a date: no such day") from None
        return cls.parse(text.strip())

    @classmethod
    def from_text(cls, text: str) -> "PartialDate":
        """What a person types: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``TT.MM.JJJJ``.

        The command line and the comment files read dates alike; a charta file
        itself writes them year first (TOML dates).
        """
        german = _GERMAN_DATE.fullmatch(text.strip())
        if german:
            day, month, year = german.groups()
            return cls.from_iso(f"{year}-{int(month):02d}-{int(day):02d}")
        return cls.from_iso(text)

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        return "day" if self.day else "month" if self.month else "year"

    def to_toml(self) -> _dt.date | str:
        """A TOML date when the day is known, else a string."""
        if self.day is not None and self.month is not None:
            return _dt.date(self.year, self.month, self.day)
        return str(self)

    def earliest(self) -> _dt.date:
        """The first day this date could mean."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> _dt.date:
        """The last day this date could mean: "2020-11" may be the 30th."""
        if self.day is not None and self.month is not None:
            return _dt.date(self.year, self.month, self.day)
        if self.month is None:
            return _dt.date(self.year, 12, 31)
        # monthrange, not "first of next month minus a day": 9999-12 has no next month.
        from calendar import monthrange  # lazy: seldom needed, not at start-up

        return _dt.date(self.year, self.month, monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        s = f"{self.year:04d}"
        if self.month is not None:
            s += f"-{self.month:02d}"
        if self.day is not None:
            s += f"-{self.day:02d}"
        return s


FORMAT_VERSION: Final = 1
"""The version of the file format this charta reads and writes."""

_ID = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
ID_PATTERN: Final = re.compile(_ID)
"""Ids are lower-case kebab-case: they survive renumbering and retitling.
Match with ``fullmatch`` (see :func:`is_id`): ``$`` would let a final newline through."""


def is_id(value: str) -> bool:
    """Whether ``value`` is a valid id: lower-case kebab-case, nothing else."""
    return ID_PATTERN.fullmatch(value) is not None


_REF = re.compile(r"(?:(?P<charta>[^#@]+?)(?:@(?P<edition>[^#@/\\\s]+))?)?(?:#(?P<item>[^#@]*))?")
# Control characters (NUL, newlines) and invisible format characters never
# belong in a reference; a NUL in a path would reach the operating system.
_REF_FORBIDDEN = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069"
    r"\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


@attrs.frozen(repr=False)
class Reference(Value):
    """A pointer to a charta, or to one item of it.

    Written as text: ``smart-city-charta#leitbild-5``,
    ``smart-city-charta@2017#leitlinie-2-1``, ``#leitmotiv-2`` (an item of the
    same charta), ``digitalakademie-bw`` (the whole charta), or a file path
    ``../boeblingen/leitmotive.toml#leitmotiv-1`` (relative to the file that
    holds the reference).
    """

    charta: str | None = None
    """A source id or a file path; ``None`` means the charta holding the reference."""
    edition: str | None = None
    item: str | None = None
    """An item id; ``None`` means the charta as a whole."""

    @classmethod
    def parse(cls, text: str) -> "Reference":
        """Parse the text form; raise ``ValueError`` naming what is wrong."""
        if not isinstance(text, str):
            raise TypeError(f"expected a reference as a string, got {type(text).__name__}")
        if bad := _REF_FORBIDDEN.search(text):
            raise ValueError(
                f"{text!r} is not a reference: it contains the control or invisible character "
                f"U+{ord(bad.group()):04X}; write the reference again by hand"
            )
        m = _REF.fullmatch(text.strip())
        if not text.strip() or m is None:
            raise ValueError(
                f"'{text}' is not a reference: write 'source-id#item-id', "
                "'source-id@edition#item-id', '#item-id' or 'path/to/file.toml#item-id'"
            )
        charta, edition, item = m["charta"], m["edition"], m["item"]
        if item == "":
            raise ValueError(f"'{text}': nothing follows '#'; name an item id or drop the '#'")
        if item is not None and not is_id(item):
            raise ValueError(f"'{text}': item id '{item}' is not a kebab-case id")
        if charta is None and item is None:
            raise ValueError(f"'{text}' names neither a charta nor an item")
        if charta is not None and not is_path(charta) and not is_id(charta):
            raise ValueError(
                f"'{text}': '{charta}' is neither a kebab-case source id nor a path to a .toml file"
            )
        return cls(charta=charta, edition=edition, item=item)

    @property
    def is_local(self) -> bool:
        """True for ``#item``: an item of the same charta."""
        return self.charta is None

    @property
    def is_path(self) -> bool:
        return self.charta is not None and is_path(self.charta)

    def __str__(self) -> str:
        s = self.charta or ""
        if self.edition:
            s += f"@{self.edition}"
        if self.item is not None:
            s += f"#{self.item}"
        return s


def is_path(charta: str) -> bool:
    """A reference's charta part is a file path when it looks like one."""
    return "/" in charta or "\\" in charta or charta.endswith(".toml")


# Every model object carries ``location``: metadata about the input, not part
# of the value (eq=False), so two equal chartas loaded from different files
# compare equal.  It is never a key of the file: data_fields() is the one
# place that knows so.


_DATA_FIELDS: dict[type, tuple[Any, ...]] = {}


def data_fields(cl: type) -> tuple[Any, ...]:
    """The attrs fields of a model class that are data (keys in a file): all but ``location``."""
    found = _DATA_FIELDS.get(cl)
    if found is None:
        found = _DATA_FIELDS[cl] = tuple(a for a in attrs.fields(cl) if a.name != "location")
    return found


def key_of(attribute: str) -> str:
    """The file key for a model attribute: ``derived_from`` -> ``derived-from``."""
    return attribute.rstrip("_").replace("_", "-")


# --------------------------------------------------------------------------
# Provenance of facts


@attrs.frozen(kw_only=True, repr=False)
class Provenance(Value):
    """Where the content of a charta came from in the world, and on what terms."""

    urls: tuple[str, ...] = ()
    """Public addresses of the original."""
    obtained: Obtained = Obtained.AUTHORED
    retrieved: PartialDate | None = None
    """When the original was read."""
    rights: str = ""
    """The rights statement of the original ("Alle Rechte vorbehalten", "CC BY 4.0")."""
    license: str = ""
    """The licence of this file, as an SPDX id or expression (``CC0-1.0``, ``CC-BY-SA-4.0``;
    ``NOASSERTION`` where none is made).  A summary of an all-rights-reserved charta
    may carry its own licence; a transcription of a licensed text keeps that licence."""
    attribution: str = ""
    """The attribution text the licence asks for (CC BY, DL-DE-BY)."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Issuer(Value):
    """Who issues a charta: a body, and the office within it that is responsible."""

    body: str
    office: str = ""
    kind: IssuerKind | None = None
    """What kind of body: municipality, county, state, federal, association, other."""
    country: str = ""
    """ISO 3166-1 alpha-2 code of the body's country (``DE``, ``CH``, ``AT``)."""
    ags: str = ""
    """For German bodies: the official municipality key (Amtlicher
    Gemeindeschlüssel), 8 digits, as OParl's ``Body.ags`` carries it."""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class PartOf(Value):
    """The larger document the recorded principles are a section of."""

    title: str
    """The containing document ("Digitalstrategie Musterkreis 2030")."""
    locator: str = ""
    """Where the section stands in it ("Kapitel 2, S. 8-11")."""
    urls: tuple[str, ...] = ()
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Adoption(Value):
    """When and by whom a charta was adopted."""

    body: str
    """The deciding body ("Gemeinderat", "Kreistag")."""
    date: PartialDate | None = None
    paper: str = ""
    """The council paper's reference (Drucksache, Vorlage)."""
    url: str = ""
    """Where the decision or paper is published (an OParl ``Paper`` or ``AgendaItem`` URL)."""
    knowledge: Knowledge = Knowledge.VERIFIED
    """``unverified`` where the adoption is reported or planned but not seen."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Title(Value):
    """A title in another language."""

    language: str
    title: str
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Edition(Value):
    """One published edition of a charta."""

    id: str
    """The edition as used in references: ``smart-city-charta@2021``."""
    date: PartialDate | None = None
    publishers: tuple[str, ...] = ()
    pages: int | None = None
    urls: tuple[str, ...] = ()
    same_items: bool = False
    """The items are those of the charta's main edition (the one recorded)."""
    knowledge: Knowledge = Knowledge.VERIFIED
    """How well we know the facts about this edition, ``same_items`` included."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Basis(Value):
    """A charta that a local charta states as its basis, and how the town cited it."""

    source: Reference
    cited_as: str = ""
    """The town's own words for the source ("Smart City Charta des BMUB")."""
    asserted_by: Assertion | None = None
    """Who says the charta is based on this source: the issuer, or the record-keeper."""
    stated_at: str = ""
    """Where the issuer says so ("S. 3", "Abb. 3, S. 14")."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


# --------------------------------------------------------------------------
# Items, their lineage and their history


@attrs.frozen(kw_only=True, repr=False)
class Derivation(Value):
    """One link from a local principle to the item (or charta) it comes from."""

    ref: Reference
    relation: Relation
    confidence: Confidence
    asserted_by: Assertion | None = None
    """Who asserts the link: the issuer states it, or it is the record-keeper's reading."""
    stated_at: str = ""
    """Where the issuer states it ("Tabelle 2, S. 9", "Abb. 3, S. 14")."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Revision(Value):
    """One change of one field of an item, and what caused it."""

    field: RevisedField
    before: str
    """The earlier wording; empty when the field did not exist before."""
    after: str
    date: PartialDate | None = None
    reason: str = ""
    caused_by: tuple[str, ...] = ()
    """Ids of the comments and responses that caused the change."""
    before_knowledge: Knowledge = Knowledge.VERIFIED
    """``inferred`` where the earlier wording is reconstructed, not seen."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Item(Value):
    """A principle, guideline, theme or point of a charta."""

    id: str
    """Stable: survives renumbering and retitling."""
    label: str = ""
    """The display number or label ("1", "#2", "3.1")."""
    title: str
    kind: ItemKind = ItemKind.PRINCIPLE
    text: str = ""
    """The full text, where we may hold it."""
    summary: str = ""
    """Our own short summary, where the original is copyrighted."""
    knowledge: Knowledge = Knowledge.VERIFIED
    locator: str = ""
    """Where the item stands in the original ("p. 10")."""
    addressee: str = ""
    """Whom the item addresses, for recommendations (Bund, Länder, Kommunen)."""
    derived_from: tuple[Derivation, ...] = ()
    revisions: tuple[Revision, ...] = ()
    children: tuple["Item", ...] = ()
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)

    def walk(self) -> Iterator["Item"]:
        """This item and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


# Item.children refers to Item itself: resolve that one string annotation now,
# once, so that cattrs and the schema see a real type.
attrs.resolve_types(Item)


@attrs.frozen(kw_only=True, repr=False)
class MergedAway(Value):
    """A principle that was merged into another and is no longer in the charta.

    It keeps what it last said, where it came from and its history, so that
    the record does not end with it: a trace or a reader of the page can still
    see what it was, when and why it went, and which principle carries it on.
    """

    id: str
    """Its id: never given to another principle of this charta."""
    label: str = ""
    title: str
    kind: ItemKind = ItemKind.PRINCIPLE
    text: str = ""
    summary: str = ""
    knowledge: Knowledge = Knowledge.VERIFIED
    locator: str = ""
    addressee: str = ""
    merged_into: str
    """The id of the principle that carries it on."""
    date: PartialDate | None = None
    reason: str = ""
    caused_by: tuple[str, ...] = ()
    """Ids of the comments or responses that led to the merge."""
    derived_from: tuple[Derivation, ...] = ()
    """Its links as they were (the principle it went into took them over)."""
    revisions: tuple[Revision, ...] = ()
    """Its history before the merge."""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)

    def as_item(self) -> Item:
        """The principle as it last stood, before the merge."""
        return Item(
            id=self.id,
            label=self.label,
            title=self.title,
            kind=self.kind,
            text=self.text,
            summary=self.summary,
            knowledge=self.knowledge,
            locator=self.locator,
            addressee=self.addressee,
            derived_from=self.derived_from,
            revisions=self.revisions,
            note=self.note,
        )


@attrs.frozen(kw_only=True, repr=False)
class Omission(Value):
    """A source item (or charta) the town chose not to take, and why."""

    ref: Reference
    reason: str
    knowledge: Knowledge = Knowledge.VERIFIED
    """``verified`` where the town itself says it left the item out; ``inferred``
    where the omission is someone's reading of the texts."""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class CoveredElsewhere(Value):
    """A source item the issuer handles in another part of its strategy, not in a principle."""

    ref: Reference
    where: str
    """The part that covers it ("Handlungsfeld Mobilität", "Kapitel 4.2", "Maßnahme M7")."""
    url: str = ""
    asserted_by: Assertion | None = None
    """Who says it is covered there: the issuer, or the record-keeper."""
    stated_at: str = ""
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


# --------------------------------------------------------------------------
# Consultation


@attrs.frozen(kw_only=True, repr=False)
class Commenter(Value):
    """The person behind a comment.  Personal data: never shown without consent."""

    name: str = attrs.field(default="", repr=False)
    email: str = attrs.field(default="", repr=False)
    pseudonym: str
    """What public outputs show instead of the name."""
    consent_to_publish: bool = False
    """Whether the commenter agreed that their name may be published."""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def public_name(self) -> str:
        """The name a public output may show."""
        return self.name if self.consent_to_publish and self.name else self.pseudonym


@attrs.frozen(kw_only=True, repr=False)
class Comment(Value):
    """A comment made in a consultation."""

    id: str
    date: PartialDate | None = None
    time: _dt.datetime | None = None
    """When it was written, to the second and with its zone, where the source says
    (Decidim's ``created_at``): a TOML offset date-time, ``2024-03-04T08:15:27Z``."""
    target: Reference | None = None
    """The principle commented on (``#leitmotiv-2``); ``None`` for the whole charta."""
    in_reply_to: str = ""
    """The id of the comment this one answers, in a thread (a Decidim reply); "" for none."""
    text: str
    commenter: Commenter
    knowledge: Knowledge = Knowledge.VERIFIED
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Response(Value):
    """An official response to a comment."""

    id: str
    comment: str
    """The id of the comment answered."""
    by: str
    date: PartialDate | None = None
    text: str
    decision: Decision
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Consultation(Value):
    """A public consultation on a charta: when, where, what was said and answered."""

    start: PartialDate | None = None
    end: PartialDate | None = None
    url: str = ""
    comments: tuple[Comment, ...] = ()
    responses: tuple[Response, ...] = ()
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)

    def comment(self, comment_id: str) -> Comment | None:
        return next((c for c in self.comments if c.id == comment_id), None)

    def responses_to(self, comment_id: str) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.comment == comment_id)

    def responses_by_comment(self) -> dict[str, list[Response]]:
        """Responses grouped by the comment they answer, in one pass."""
        out: dict[str, list[Response]] = {}
        for r in self.responses:
            out.setdefault(r.comment, []).append(r)
        return out


# --------------------------------------------------------------------------
# The charta


@attrs.frozen(kw_only=True, repr=False)
class Charta(Value):
    """A source charta or a town's adaptation of one or more sources."""

    format: int = FORMAT_VERSION
    """The file format version."""
    id: str
    title: str
    kind: ChartaKind
    language: str = "de"
    issuer: Issuer
    edition: str = ""
    """The edition (for sources) or version (for local chartas) this file records."""
    date: PartialDate | None = None
    status: Status
    adoption: Adoption | None = None
    part_of: PartOf | None = None
    """The larger document these principles are a section of."""
    other_titles: tuple[Title, ...] = ()
    introduction: str = ""
    provenance: Provenance = attrs.Factory(Provenance)
    editions: tuple[Edition, ...] = ()
    declared_count: int | None = None
    """How many top-level items the charta itself declares, where known."""
    completeness: Completeness = Completeness.COMPLETE
    lineage: Lineage | None = None
    """``none-named`` where the issuer names no source, ``not-recorded`` where
    nobody has recorded the lineage yet, ``recorded`` where it is recorded."""
    based_on: tuple[Basis, ...] = ()
    items: tuple[Item, ...] = ()
    omissions: tuple[Omission, ...] = ()
    covered_elsewhere: tuple[CoveredElsewhere, ...] = ()
    merged_away: tuple[MergedAway, ...] = ()
    """Principles merged into others, with their history."""
    consultation: Consultation | None = None
    note: str = ""
    location: Location | None = attrs.field(default=None, eq=False, repr=False)

    def walk(self) -> Iterator[Item]:
        """Every item, depth first, in document order."""
        for item in self.items:
            yield from item.walk()

    def item(self, item_id: str) -> Item | None:
        """The item with this id anywhere in the charta, or ``None``.

        The first look-up indexes every id once; later ones cost a dict look-up,
        so that checking 10,000 references stays linear.
        """
        return _item_index(self).get(item_id)

    def item_ids(self) -> list[str]:
        """Every item id, in document order (the first of duplicates)."""
        return list(_item_index(self))

    def edition_record(self, edition_id: str) -> Edition | None:
        return next((e for e in self.editions if e.id == edition_id), None)

    @property
    def known_count(self) -> int:
        """How many top-level items are recorded."""
        return len(self.items)

    def merged_away_record(self, item_id: str) -> MergedAway | None:
        """The record of a principle merged away under this id, or ``None``."""
        return next((m for m in self.merged_away if m.id == item_id), None)

    def merge_ends(self) -> dict[str, str]:
        """Each merged-away id with the principle that carries it on now.

        ``merged-into`` may name a principle that was itself merged away later;
        the chain is followed to a principle of the charta (``""`` where it
        leads nowhere).  Each record is followed once: linear in their number.
        """
        into = {m.id: m.merged_into for m in self.merged_away}
        live = _item_index(self)
        ends: dict[str, str] = {}
        for start in into:
            chain: list[str] = []
            on_chain: set[str] = set()
            at = start
            while at not in live and at not in ends and at in into and at not in on_chain:
                chain.append(at)
                on_chain.add(at)
                at = into[at]
            end = at if at in live else ends.get(at, "")
            for step in chain:
                ends[step] = end
        return ends

    def changes_by_comment(self) -> dict[str, list[tuple[Item | MergedAway, Revision | None]]]:
        """What each comment caused, itself or through an answer to it: the revisions
        with their items, and the merges (with ``None``), in document order.

        One pass over the charta: the index the page, the report, the letters and
        the consultation's state all read.
        """
        cons = self.consultation
        comment_of = {r.id: r.comment for r in cons.responses} if cons is not None else {}
        out: dict[str, list[tuple[Item | MergedAway, Revision | None]]] = {}

        def cite(causes: tuple[str, ...], entry: tuple[Item | MergedAway, Revision | None]) -> None:
            for comment_id in dict.fromkeys(comment_of.get(c, c) for c in causes):
                out.setdefault(comment_id, []).append(entry)

        for item in self.walk():
            for rev in item.revisions:
                cite(rev.caused_by, (item, rev))
        for m in self.merged_away:
            for rev in m.revisions:
                cite(rev.caused_by, (m, rev))
            cite(m.caused_by, (m, None))
        return out

    def revisions_caused_by(self, comment_or_response_id: str) -> tuple[tuple[Item, Revision], ...]:
        """The revisions a comment or response caused, with their items."""
        return tuple(
            (item, rev)
            for item in self.walk()
            for rev in item.revisions
            if comment_or_response_id in rev.caused_by
        )


# Item indexes, one per live charta.  Chartas are frozen (and slotted), so
# the index cannot live on the object; it is keyed by identity and dropped
# with the charta.
_INDEXES: dict[int, tuple["weakref.ref[Charta]", dict[str, Item]]] = {}


def _item_index(charta: Charta) -> dict[str, Item]:
    key = id(charta)
    entry = _INDEXES.get(key)
    if entry is not None and entry[0]() is charta:
        return entry[1]
    index: dict[str, Item] = {}
    for item in charta.walk():
        index.setdefault(item.id, item)
    ref = weakref.ref(charta, lambda _, key=key: _INDEXES.pop(key, None))  # type: ignore[misc]
    _INDEXES[key] = (ref, index)
    return index
