"""Reading comments from a consultation: a web form's CSV or spreadsheet, JSON, Decidim's export.

Every reader yields :class:`RawRow` (a row number and its fields by our
names); :func:`read_export` picks the reader from the file's content, and
checks each row.  Nothing here knows the charta: whether a row's principle
exists is checked by :func:`charta.consult.record.import_comments`.

How each column is read is said, never guessed in silence (:class:`Column`):
a column is recognised by its header (below), or named with ``mapping``
(``--map COLUMN=FIELD``, ``FIELD`` one of the fields below or ``ignore``).
A column that is neither is refused, and so is a file without a column for
the text, for the principle (unless ``whole_charta``: every comment is on
the whole charta) or for consent (unless ``consent`` says it for all rows).

The plain columns (English or German names, any case; a header whose words
name one field, such as "Einwilligung Veröffentlichung", is that field):

=============  =====================================================
``id``         the form's own number of the comment (optional)
``date``       ``2020-11-05``, ``05.11.2020``, with or without a time
``name``       personal data: goes to the personal-data file
``email``      personal data: goes to the personal-data file
``salutation`` "Herr", "Frau" (optional): for the letter
``target``     the principle: its id (``vorne-dabei``) or number (``2``)
``text``       the comment (required)
``consent``    ``ja``/``nein``, ``yes``/``no``, ``1``/``0``: may the name be published
``note``       the record-keeper's note (optional)
=============  =====================================================

Decidim's comment export maps as documented in ``docs/consultation.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from charta import rules
from charta.adapters.comments import consul, decidim
from charta.adapters.comments.table import SHEET_SUFFIXES, Table, TableError, csv_table, sheet_table
from charta.errors import ChartaError, Problem, ValidationError
from charta.model import Location, PartialDate

__all__ = [
    "FIELDS",
    "IGNORE",
    "MAX_BYTES",
    "Column",
    "Export",
    "Incoming",
    "RawRow",
    "read_comments",
    "read_export",
    "read_table",
]

MAX_BYTES = 50 * 2**20
"""A comments file larger than this is refused (a town's consultation is far smaller)."""
MAX_TEXT = 100_000
"""Characters of one comment: more is not a comment."""
MAX_PROBLEMS = 50
"""Bad rows listed one by one; the rest are counted."""


@attrs.frozen
class RawRow:
    """One row as read: where it stands, and its fields by our column names."""

    line: int
    """The line in the file where the row starts (JSON: the entry's number)."""
    fields: dict[str, str]
    decidim: bool = False
    """A platform's export (Decidim, CONSUL): its own ids, no consent to be named."""
    entry: bool = False
    """``line`` numbers an entry of a JSON list, not a line."""
    origin: str = "decidim"
    """The platform, for a platform's export: ``decidim`` or ``consul``."""


@attrs.frozen(kw_only=True)
class Incoming:
    """One comment to import, checked."""

    line: int
    source_id: str
    """The comment's own id where it came from ("17"), or ""."""
    date: PartialDate | None
    name: str
    email: str
    salutation: str
    consent: bool
    person_key: str
    """Who wrote it where it came from ("decidim-author:5"), or ""."""
    target: str
    """The principle as written ("2", "vorne-dabei"); "" for the whole charta."""
    text: str
    note: str
    origin: str = "form"
    """``form`` (a CSV or JSON of the plain columns), ``decidim`` or ``consul``."""
    time: dt.datetime | None = None
    """When it was written, to the second and with its zone, where the file says (Decidim)."""
    reply_to: str = ""
    """The source's id of the comment this one answers ("101"), or ""."""
    group: str = ""
    """The group it was written for (a Decidim user group's name), or "": personal data."""
    entry: bool = False
    """``line`` numbers an entry of a JSON list, not a line."""


# Our column names, and the names forms use for them (whole headers).
_ALIASES = {
    "id": ("id", "nr", "nr.", "nummer", "number", "lfd. nr.", "laufende nummer"),
    "date": (
        "date",
        "datum",
        "created_at",
        "created at",
        "eingang",
        "eingangsdatum",
        "zeitstempel",
        "timestamp",
    ),
    "name": ("name", "author", "autor", "autorin", "verfasser", "verfasserin", "vor- und nachname"),
    "email": ("email", "e-mail", "mail", "e-mail-adresse", "email address", "emailadresse"),
    "salutation": ("salutation", "anrede"),
    "target": (
        "target",
        "principle",
        "leitmotiv",
        "leitlinie",
        "leitsatz",
        "bezug",
        "ziel",
        "item",
    ),
    "text": (
        "text",
        "comment",
        "kommentar",
        "anmerkung",
        "body",
        "stellungnahme",
        "beitrag",
        "ihr kommentar",
    ),
    "consent": (
        "consent",
        "consent-to-publish",
        "consent to publish",
        "einwilligung",
        "zustimmung",
        "einverständnis",
        "veroeffentlichung",
        "veröffentlichung",
    ),
    "note": ("note", "notiz", "vermerk", "interner vermerk"),
}
_COLUMN = {alias: ours for ours, names in _ALIASES.items() for alias in names}
# Single words that name a field inside a longer header ("Einwilligung zur
# Veröffentlichung des Namens", "Ihre E-Mail-Adresse").
_WORDS = {
    **{alias: ours for alias, ours in _COLUMN.items() if " " not in alias},
    "namen": "name",
    "nachname": "name",
    "veröffentlichen": "consent",
    "einwilligen": "consent",
}
# Words too common in headers to name a field on their own.
_FILLER = frozenset({"ihr", "ihre", "ihren", "des", "der", "die", "zur", "zum", "und", "your"})

FIELDS = tuple(_ALIASES)
"""The fields a column may be read as."""
IGNORE = "ignore"
"""``--map COLUMN=ignore``: the column is read as nothing (an IP address, a form's own time)."""


@attrs.frozen
class Column:
    """How one column of a table was read."""

    header: str
    """The header as written."""
    field: str
    """One of :data:`FIELDS`, or :data:`IGNORE`."""
    how: str
    """``recognised``, ``--map``, or the Decidim generation whose column it is."""


@attrs.frozen
class Export:
    """What a comments file held, and how it was read."""

    rows: tuple[Incoming, ...]
    kind: str
    """What the file is, in words: "form CSV", "Decidim 0.23-0.30 comment export (CSV)"."""
    columns: tuple[Column, ...] = ()
    """How each column was read (tables only)."""


_YES = frozenset({"ja", "j", "yes", "y", "true", "wahr", "1", "x"})
_NO = frozenset({"", "nein", "n", "no", "false", "falsch", "0", "-"})

# Control characters, and the bidi overrides and isolates that turn a text around
# on screen ("Person 1" shown as another name): no field of a comment holds them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def read_comments(
    path: str | os.PathLike[str],
    *,
    targets: Mapping[str, str] | None = None,
    mapping: Mapping[str, str] | None = None,
    whole_charta: bool = False,
    consent: bool | None = None,
) -> list[Incoming]:
    """The comments in the file at ``path``, each checked (see :func:`read_export`)."""
    found = read_export(
        path, targets=targets, mapping=mapping, whole_charta=whole_charta, consent=consent
    )
    return list(found.rows)


def read_export(
    path: str | os.PathLike[str],
    *,
    targets: Mapping[str, str] | None = None,
    mapping: Mapping[str, str] | None = None,
    whole_charta: bool = False,
    consent: bool | None = None,
    room: int | None = None,
) -> Export:
    """The comments in the file at ``path``, each checked, and how the file was read.

    ``room``: the bytes of text the charta can still take (its size limit less
    its size).  Texts that would not fit are refused as soon as the table is
    read, before any row is checked: a file of 100,000 comments is refused in
    about a second, not after the whole import.

    ``targets`` maps Decidim's ``commentable_id`` to principle ids; ``mapping``
    names what a column is (header -> field or ``ignore``); ``whole_charta``
    says that a file without a principle column comments on the whole charta;
    ``consent`` gives the consent of every row of a file without a consent
    column.  Raises :class:`ValidationError` listing every bad row (file, line,
    what to do), so that a caller writes nothing.
    """
    name = os.fspath(path)
    options = _Options(dict(mapping or {}), whole_charta, consent, room)
    found = _read(Path(name))
    if isinstance(found, Table):
        rows, kind, columns = _table_rows(found, name, options)
    else:
        rows, kind, columns = _json_rows(found, name, options)
    problems: list[Problem] = []
    more = 0
    out: list[Incoming] = []
    for row in rows:
        try:
            out.append(_incoming(row, targets or {}))
        except _BadRow as exc:
            if len(problems) < MAX_PROBLEMS:
                problems.append(place(str(exc), name, row.line, entry=row.entry))
            else:
                more += 1
    if more:
        problems.append(_problem(f"... and {more:,} more bad rows", name, None))
    if problems:
        raise ValidationError(problems)
    return Export(tuple(out), kind, tuple(columns))


def read_table(path: str | os.PathLike[str]) -> Table:
    """The table in the file at ``path``: a CSV (UTF-8, any line ends) or the first sheet
    of a spreadsheet, read with the same checks as a comments file (its size, its
    encoding, its rows' shape); :class:`ChartaError` naming the file and line if not."""
    name = os.fspath(path)
    found = _read(Path(name))
    if not isinstance(found, Table):
        raise ValidationError(
            [_problem("is JSON, not a table: give a CSV or a spreadsheet", name, 1)]
        )
    return found


def _read(file: Path) -> Table | str:
    """A comments file as a table (CSV, spreadsheet), or as the text of a JSON document."""
    name = str(file)
    try:
        if file.suffix.lower() in SHEET_SUFFIXES:
            _size(file)
            return sheet_table(file)
        text = _decode(_read_bytes(file), name)
        if text.lstrip().startswith(("[", "{")):
            return text
        return csv_table(text, MAX_TEXT * 4)
    except TableError as exc:
        raise ValidationError([_problem(str(exc), name, exc.line)]) from None


@attrs.frozen
class _Options:
    mapping: dict[str, str]
    whole_charta: bool
    consent: bool | None
    room: int | None = None


_PER_COMMENT = 120
"""Bytes a comment takes in a charta file besides its text: its keys, id, date,
pseudonym (a low estimate: the refusal must never be wrong)."""


def _fits(texts: Sequence[str], options: _Options, name: str) -> None:
    """Refuse texts that cannot fit into the charta, before the rows are checked."""
    if options.room is None:
        return
    need = sum(len(t.encode("utf-8", "surrogatepass")) + _PER_COMMENT for t in texts)
    if need > options.room:
        raise ChartaError(
            f"its {len(texts):,} comments would need at least {need / 2**20:.1f} MiB in the "
            f"charta file, which has room for {max(options.room, 0) / 2**20:.1f} MiB more "
            "(a charta file holds at most 5 MiB): import the export in parts, for example "
            "one per principle or per month",
            location=Location(file=name),
            rule=rules.FILE_TOO_LARGE,
        )


class _BadRow(ValueError):
    pass


def _problem(message: str, file: str, line: int | None) -> Problem:
    return rules.BAD_ROW.problem(message, Location(file=file, line=line))


def place(message: str, file: str, line: int, *, entry: bool = False) -> Problem:
    """A bad row's problem: at its line, or (JSON) naming its entry of the list."""
    if entry:
        return rules.BAD_ROW.problem(f"entry {line}: {message}", Location(file=file))
    return _problem(message, file, line)


def _size(path: Path) -> None:
    """Refuse a file over :data:`MAX_BYTES` before any of it is read."""
    where = Location(file=str(path))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ChartaError("no such file", location=where, rule=rules.NO_SUCH_FILE) from None
    except OSError as exc:
        raise ChartaError(
            f"cannot read it: {exc.strerror}", location=where, rule=rules.CANNOT_READ
        ) from None
    if path.is_dir():
        raise ChartaError("is a folder: name the file", location=where, rule=rules.NOT_A_FILE)
    if size > MAX_BYTES:
        raise ChartaError(
            f"is {size / 2**20:.1f} MiB, larger than {MAX_BYTES // 2**20} MiB: split it",
            location=where,
            rule=rules.BAD_ROW,
        )


def _read_bytes(path: Path) -> bytes:
    where = Location(file=str(path))
    _size(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ChartaError("no such file", location=where, rule=rules.NO_SUCH_FILE) from None
    except IsADirectoryError:
        raise ChartaError(
            "is a folder: name the file", location=where, rule=rules.NOT_A_FILE
        ) from None
    except OSError as exc:
        raise ChartaError(
            f"cannot read it: {exc.strerror}", location=where, rule=rules.CANNOT_READ
        ) from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            [
                _problem(
                    f"byte 0x{data[exc.start]:02x} is not UTF-8: save the file as UTF-8 "
                    "(in Excel: 'CSV UTF-8'; in LibreOffice: character set 'Unicode (UTF-8)')",
                    name,
                    line,
                )
            ]
        ) from None
    if not text.strip():
        raise ValidationError([_problem("the file is empty", name, None)])
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- tables (CSV, spreadsheets) -----------------------------------------------


def _table_rows(
    table: Table, name: str, options: _Options
) -> tuple[list[RawRow], str, list[Column]]:
    where = "CSV" if table.kind == "csv" else table.kind
    generation = decidim.generation(table.header)
    if generation is not None:
        _no_form_options(options, name)
        columns = [Column(*c) for c in decidim.columns(table.header, generation)]
        at = [n for n, c in enumerate(columns) if c.field == "text"]
        _fits([r.cells[at[0]] for r in table.rows if at and len(r.cells) > at[0]], options, name)
        rows = []
        for r in table.rows:
            if r.problem:
                rows.append(RawRow(r.line, {"_error": r.problem}))
                continue
            cells = dict(zip(table.header, r.cells, strict=True))
            rows.append(RawRow(r.line, decidim.fields(cells, generation, table.kind), decidim=True))
        return rows, f"{generation.title} ({where})", columns
    decidim.refuse_other_exports(table.header, name)
    columns = map_columns(table.header, options, name)
    at = [n for n, c in enumerate(columns) if c.field == "text"]
    _fits([r.cells[at[0]] for r in table.rows if len(r.cells) > at[0]], options, name)
    index = [(n, c.field) for n, c in enumerate(columns) if c.field != IGNORE]
    fixed = _fixed_fields(columns, options)
    rows = []
    for r in table.rows:
        if r.problem:
            rows.append(RawRow(r.line, {"_error": r.problem}))
            continue
        fields = {field: r.cells[n].strip() for n, field in index}
        rows.append(RawRow(r.line, {**fixed, **fields}))
    return rows, f"form {where}", columns


def _no_form_options(options: _Options, name: str) -> None:
    """--map, --whole-charta and --consent are for forms: a Decidim export says it all."""
    given = [
        flag
        for flag, on in (
            ("--map", bool(options.mapping)),
            ("--whole-charta", options.whole_charta),
            ("--consent", options.consent is not None),
        )
        if on
    ]
    if given:
        raise ValidationError(
            [
                _problem(
                    f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} for a form's "
                    "file; this is Decidim's comment export, whose columns charta knows "
                    "(and whose commenters gave no consent to be named): leave "
                    f"{'it' if len(given) == 1 else 'them'} out",
                    name,
                    1,
                )
            ]
        )


def _fixed_fields(columns: Sequence[Column], options: _Options) -> dict[str, str]:
    """What every row holds by an option instead of a column (consent for all)."""
    fixed: dict[str, str] = {}
    if options.consent is not None and not any(c.field == "consent" for c in columns):
        fixed["consent"] = "ja" if options.consent else "nein"
    return fixed


def _normal(header: str) -> str:
    """A header as compared: one line, case-folded, without a form's '*' or ':'."""
    text = " ".join(unicodedata.normalize("NFKC", header).split()).casefold()
    return text.strip(" *:")


def recognise(header: str) -> str | None:
    """The field a header names on its own, or None (none, or more than one)."""
    h = _normal(header)
    if h in _COLUMN:
        return _COLUMN[h]
    words = [w for w in re.findall(r"[\w.-]+", h) if w not in _FILLER]
    named = {_WORDS[w] for w in words if w in _WORDS}
    return named.pop() if len(named) == 1 else None


def map_columns(header: Sequence[str], options: _Options, name: str) -> list[Column]:
    """How each column of a form's table is read; every problem at once, or the mapping."""
    problems: list[str] = []
    mapping: dict[str, str] = {}
    for k, v in options.mapping.items():
        if _normal(k) in mapping:
            problems.append(f"two --map options name the column '{k.strip()}': give one")
        mapping[_normal(k)] = v.strip().casefold()
    header = [h if h.strip() else f"column {n}" for n, h in enumerate(header, 1)]
    for given, field in mapping.items():
        if field not in (*FIELDS, IGNORE):
            problems.append(
                f"--map {given}={field}: '{field}' is no field; the fields are "
                f"{', '.join(FIELDS)}, or 'ignore'"
            )
        if given not in {_normal(h) for h in header}:
            problems.append(f"--map {given}=...: the file has no column '{given}'")
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for h in header:
        if _normal(h) in mapping:
            field, how = mapping[_normal(h)], "--map"
        elif not h.strip():
            field, how = "", ""
        else:
            field, how = recognise(h) or "", "recognised"
        if not field:
            shown = h.strip() or f"column {len(columns) + 1} (no header)"
            problems.append(
                f"the column '{shown}' means nothing to charta: say what it is with "
                f"--map '{h.strip() or '?'}=FIELD' (one of {', '.join(FIELDS)}) or "
                f"--map '{h.strip() or '?'}=ignore'"
            )
            columns.append(Column(h, IGNORE, ""))
            continue
        if field != IGNORE:
            if field in seen:
                problems.append(
                    f"the columns '{seen[field]}' and '{h}' both mean '{field}': "
                    f"--map one of them to another field or to 'ignore'"
                )
            seen[field] = h
        columns.append(Column(h, field, how))
    if "text" not in seen:
        problems.append(
            "no column holds the comment's text: name one 'Kommentar' (or 'text'), "
            "or say which it is with --map COLUMN=text"
        )
    if "target" not in seen and not options.whole_charta:
        problems.append(
            "no column says which principle a comment is on: name one 'Leitmotiv' (or "
            "'target'), say which it is with --map COLUMN=target, or say that every "
            "comment is on the whole charta (--whole-charta)"
        )
    if "consent" not in seen and options.consent is None:
        problems.append(
            "no column says whether a commenter's name may be published: name one "
            "'Einwilligung' (ja/nein), or say it for every row with --consent nein "
            "(or --consent ja)"
        )
    if "consent" in seen and options.consent is not None:
        problems.append(
            f"--consent is for files without a consent column; this one has '{seen['consent']}'"
        )
    if problems:
        raise ValidationError([_problem(m, name, 1) for m in problems])
    return columns


# -- JSON ---------------------------------------------------------------------


def _json_rows(text: str, name: str, options: _Options) -> tuple[list[RawRow], str, list[Column]]:
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [_problem(f"is not JSON: {exc.msg} (column {exc.colno})", name, exc.lineno)]
        ) from None
    except (RecursionError, ValueError) as exc:
        what = (
            "is nested too deeply to be a comment list"
            if isinstance(exc, RecursionError)
            else str(exc)
        )
        raise ValidationError([_problem(what, name, 1)]) from None
    if isinstance(data, dict):
        data = data.get("comments", data.get("data"))
    if not isinstance(data, list):
        raise ValidationError(
            [_problem('expected a list of comments (or {"comments": [...]})', name, 1)]
        )
    keys = list(dict.fromkeys(k for e in data if isinstance(e, dict) for k in _flat_keys(e)))
    generation = decidim.generation(keys)
    if generation is not None:
        _no_form_options(options, name)
        _fits([str(e.get("body", "")) for e in data if isinstance(e, dict)], options, name)
        gen = generation
        rows = _entries(data, lambda e: decidim.fields(_flatten(e), gen, "json"), "decidim")
        columns = [Column(*c) for c in decidim.columns(keys, generation)]
        return rows, f"{generation.title} (JSON)", columns
    if consul.is_consul(keys):
        _no_form_options(options, name)
        _fits([str(e.get("body", "")) for e in data if isinstance(e, dict)], options, name)
        return _entries(data, _consul_fields, "consul"), consul.TITLE, _CONSUL_COLUMNS
    decidim.refuse_other_exports(keys, name)
    # A form's JSON is flat: its keys are the columns (an object in a value is a bad row).
    keys = list(dict.fromkeys(str(k) for e in data if isinstance(e, dict) for k in e))
    columns = map_columns(keys, options, name)
    field_of = {c.header: c.field for c in columns}
    fixed = _fixed_fields(columns, options)

    def form_fields(entry: dict[str, Any]) -> dict[str, str]:
        fields: dict[str, str] = dict(fixed)
        for key, value in entry.items():
            ours = field_of.get(str(key), IGNORE)
            if ours == IGNORE:
                continue
            try:
                fields[ours] = _scalar(value, text=ours in _TEXT_FIELDS).strip()
            except _BadRow as exc:
                raise _BadRow(f"'{key}' {exc}") from None
        return fields

    return _entries(data, form_fields, "form"), "form JSON", columns


def _entries(
    data: list[Any], fields: Callable[[dict[str, Any]], dict[str, str]], origin: str
) -> list[RawRow]:
    """Each entry of a JSON list as a row: its fields, or what is wrong with it."""
    rows = []
    for n, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            error = {"_error": "is not an object with the comment's fields"}
            rows.append(RawRow(n, error, entry=True))
            continue
        try:
            found = fields(entry)
        except _BadRow as exc:
            rows.append(RawRow(n, {"_error": str(exc)}, entry=True))
            continue
        platform = origin != "form"
        rows.append(RawRow(n, found, decidim=platform, entry=True, origin=origin))
    return rows


def _consul_fields(entry: dict[str, Any]) -> dict[str, str]:
    try:
        cells = {k: _scalar(entry.get(k), text=k == "body").strip() for k in consul.KEYS}
    except _BadRow as exc:
        raise _BadRow(f"'body' {exc}") from None
    return {
        "id": cells["id"],
        "text": cells["body"],
        "commentable": cells["commentable_id"],
        "commentable-type": cells["commentable_type"],
    }


_CONSUL_COLUMNS = [
    Column("id", "id", "CONSUL"),
    Column("commentable_id", "target", "CONSUL"),
    Column("commentable_type", "ignore", "CONSUL"),
    Column("body", "text", "CONSUL"),
]


def _no_constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which is no JSON value: a comment's fields are texts")


def _flat_keys(entry: dict[str, Any], prefix: str = "", depth: int = 0) -> list[str]:
    """The keys of an entry as Decidim's CSV writes them: nested ones joined with ``/``."""
    out = []
    for key, value in entry.items():
        if isinstance(value, dict) and depth < _NESTING:
            out.extend(_flat_keys(value, f"{prefix}{key}/", depth + 1))
        else:
            out.append(f"{prefix}{key}")
    return out


_NESTING = 4
"""Levels of objects in a Decidim entry (``user_group/name/de`` is three)."""


def _flatten(entry: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, str]:
    """A Decidim JSON entry as its CSV cells would be: nested keys joined with ``/``,
    lists with ``, `` (as Decidim's exporter flattens them)."""
    out: dict[str, str] = {}
    for key, value in entry.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if depth >= _NESTING:
                raise _BadRow(f"'{name}' is nested deeper than a Decidim export nests")
            out.update(_flatten(value, f"{name}/", depth + 1))
        elif isinstance(value, list):
            out[name] = ", ".join(_scalar(v) for v in value)
        else:
            try:
                out[name] = _scalar(value, text=name == "body" or name.startswith("body/"))
            except _BadRow as exc:
                raise _BadRow(f"'{name}' {exc}") from None
    return out


_TEXT_FIELDS = frozenset({"text", "name", "email", "salutation", "note"})
"""The fields that are texts: a number or ``true`` there is a broken export, not a text."""


class _LongNumber(str):
    """A JSON integer of more digits than an id has: refused with its entry."""


def _json_int(digits: str) -> Any:
    # Python's int() refuses more than 4,300 digits for the whole file, unnamed;
    # kept as digits, the entry that holds it is named.
    return int(digits) if len(digits.lstrip("-")) <= 64 else _LongNumber(digits)


def _scalar(value: Any, *, text: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, _LongNumber):
        raise _BadRow(
            f"holds a number of {len(value.lstrip('-')):,} digits where a text or id belongs"
        )
    if text and not isinstance(value, str):
        shown = json.dumps(value) if isinstance(value, bool | int | float) else "a list"
        raise _BadRow(f"holds {shown}, not a text: a text is written in quotes")
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _BadRow("holds a number too large to be a number (inf) where a text belongs")
        return repr(value)
    raise _BadRow("holds a list or object where a text or number belongs")


# -- one row ------------------------------------------------------------------


def _incoming(row: RawRow, targets: Mapping[str, str]) -> Incoming:
    f = row.fields
    if "_error" in f:
        raise _BadRow(f["_error"])
    note = f.get("note", "")
    if row.decidim:
        text = f.get("text", "")
        person_key = f"decidim-author:{f['author']}" if f.get("author") else ""
        reply_to = f.get("commentable", "") if f.get("commentable-type") == decidim.COMMENT else ""
        # A reply is on what its thread is on: the root of the thread, by its URL.
        on = _last_id(f.get("root-url", "")) if reply_to else f.get("commentable", "")
        target = targets.get(on, "")
        notes = []
        if reply_to:
            notes.append(f"a reply in Decidim to comment {reply_to}")
        if f.get("group-id"):
            notes.append("written for a user group in Decidim")  # its name: personal data
        alignment = {"1": "in favour", "-1": "against"}.get(f.get("alignment", ""))
        if alignment:
            notes.append(f"marked '{alignment}' in Decidim")
        if on and not target:
            kind = f.get("commentable-type") if not reply_to else "the thread's item"
            platform = "CONSUL" if row.origin == "consul" else "Decidim"
            notes.append(f"on {kind or 'item'} {on} in {platform}")
        note = "; ".join(notes)
        consent = False
    else:
        text = f.get("text", "")
        person_key = ""
        reply_to = ""
        target = f.get("target", "")
        consent = _consent(f.get("consent", ""))
    for label, value in f.items():
        bad = _CONTROL.search(value)
        if bad:
            raise _BadRow(
                f"the {label} holds the control character U+{ord(bad.group()):04X}: remove it"
            )
    text = text.strip()
    if not text:
        raise _BadRow("the comment's text is empty: fill it in or delete the row")
    if len(text) > MAX_TEXT:
        raise _BadRow(f"the text has {len(text):,} characters; a comment has at most {MAX_TEXT:,}")
    for label in ("name", "salutation"):
        if len(f.get(label, "")) > 200:
            raise _BadRow(f"the {label} is longer than 200 characters")
    email = f.get("email", "")
    if email and ("@" not in email or any(c.isspace() for c in email) or len(email) > 320):
        raise _BadRow(f"'{email[:60]}' is not an e-mail address: correct it or leave it empty")
    source_id = f.get("id", "")
    if len(source_id) > 64:
        raise _BadRow("the id is longer than 64 characters")
    return Incoming(
        line=row.line,
        source_id=source_id,
        date=_date(f.get("date", "")),
        name=" ".join(f.get("name", "").split()),
        email=email,
        salutation=" ".join(f.get("salutation", "").split()),
        consent=consent,
        person_key=person_key,
        target=target.strip(),
        text=text,
        note=note,
        origin=row.origin if row.decidim else "form",
        entry=row.entry,
        time=decidim.timestamp(f.get("date", "")) if row.decidim else None,
        reply_to=reply_to if row.decidim else "",
        group=" ".join(f.get("group", "").split())[:200] if row.decidim else "",
    )


def _last_id(url: str) -> str:
    """The id at the end of a Decidim URL (``.../proposals/99`` -> ``99``), or ""."""
    m = re.search(r"/(\d+)/?(?:[?#].*)?$", url.strip())
    return m[1] if m else ""


def _consent(value: str) -> bool:
    v = value.strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise _BadRow(f"consent '{value[:40]}' is neither yes nor no: write 'ja' or 'nein'")


# A time after the day, with or without seconds and zone: the day is what is read
# here (a Decidim time is kept apart, see decidim.timestamp).
_TIME_AFTER = re.compile(
    r"(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?)$"
)


def _date(value: str) -> PartialDate | None:
    """A row's date as a person types it: read as the command line reads dates
    (:meth:`PartialDate.from_text`: ``2020-11-05``, ``05.11.2020``), a time after it left."""
    v = value.strip()
    if not v:
        return None
    day = _TIME_AFTER.sub("", v)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}", day):
        raise _BadRow(f"the date '{v[:40]}' is not a date: write 2020-11-05 or 05.11.2020")
    try:
        found = PartialDate.from_text(day)
    except ValueError:
        raise _BadRow(f"the date '{v[:40]}' does not exist in the calendar") from None
    if not 1990 <= found.year <= 2200:
        raise _BadRow(f"the date '{v[:40]}' is not a date of a consultation (year {found.year})")
    return found
