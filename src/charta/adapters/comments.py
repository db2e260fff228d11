"""Reading comments from a consultation: a web form's CSV, JSON, Decidim's export.

Every reader yields :class:`RawRow` (a row number and its fields by our
names); :func:`read_comments` picks the reader from the file's content, and
checks each row.  Nothing here knows the charta: whether a row's principle
exists is checked by :func:`charta.consult.record.import_comments`.

The plain columns (English or German names, any case):

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

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from charta import rules
from charta.errors import ChartaError, Problem, ValidationError
from charta.model import Location, PartialDate

__all__ = ["MAX_BYTES", "Incoming", "RawRow", "read_comments"]

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
    entry: bool = False
    """``line`` numbers an entry of a JSON list, not a line."""


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
    """``form`` (a CSV or JSON of the plain columns) or ``decidim``."""
    entry: bool = False
    """``line`` numbers an entry of a JSON list, not a line."""


# Our column names, and the names forms use for them.
_ALIASES = {
    "id": ("id", "nr", "nr.", "nummer", "number"),
    "date": ("date", "datum", "created_at", "created at", "eingang", "zeitstempel", "timestamp"),
    "name": ("name", "author", "autor", "verfasser", "verfasserin"),
    "email": ("email", "e-mail", "mail", "e-mail-adresse", "email address"),
    "salutation": ("salutation", "anrede"),
    "target": ("target", "principle", "leitmotiv", "leitlinie", "bezug", "ziel", "item"),
    "text": ("text", "comment", "kommentar", "anmerkung", "body", "stellungnahme"),
    "consent": (
        "consent",
        "consent-to-publish",
        "consent to publish",
        "einwilligung",
        "veroeffentlichung",
        "veröffentlichung",
    ),
    "note": ("note", "notiz", "vermerk"),
}
_COLUMN = {alias: ours for ours, names in _ALIASES.items() for alias in names}

_YES = frozenset({"ja", "j", "yes", "y", "true", "wahr", "1", "x"})
_NO = frozenset({"", "nein", "n", "no", "false", "falsch", "0", "-"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_comments(
    path: str | os.PathLike[str], *, targets: Mapping[str, str] | None = None
) -> list[Incoming]:
    """The comments in the file at ``path``, each checked.

    ``targets`` maps Decidim's ``commentable_id`` to principle ids.  Raises
    :class:`ValidationError` listing every bad row (file, line, what to do),
    so that a caller writes nothing.
    """
    name = os.fspath(path)
    data = _read_bytes(Path(name))
    text = _decode(data, name)
    rows = _json_rows(text, name) if text.lstrip().startswith(("[", "{")) else _csv_rows(text, name)
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
    return out


class _BadRow(ValueError):
    pass


def _problem(message: str, file: str, line: int | None) -> Problem:
    return rules.BAD_ROW.problem(message, Location(file=file, line=line))


def place(message: str, file: str, line: int, *, entry: bool = False) -> Problem:
    """A bad row's problem: at its line, or (JSON) naming its entry of the list."""
    if entry:
        return rules.BAD_ROW.problem(f"entry {line}: {message}", Location(file=file))
    return _problem(message, file, line)


def _read_bytes(path: Path) -> bytes:
    where = Location(file=str(path))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ChartaError(
                f"is larger than {MAX_BYTES // 2**20} MiB: split it",
                location=where,
                rule=rules.BAD_ROW,
            )
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


# -- CSV ----------------------------------------------------------------------


def _csv_rows(text: str, name: str) -> Iterator[RawRow]:
    first = text.split("\n", 1)[0]
    # German spreadsheets write semicolons; a header says which it is.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_TEXT * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ValidationError(
            [_problem(f"the header row cannot be read: {exc}", name, 1)]
        ) from None
    decidim = any(h.startswith(("body/", "author/")) or h == "commentable_type" for h in header)
    columns = _columns(header, name, decidim)
    line = reader.line_num + 1
    while True:
        start = line
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(
                [_problem(f"this row cannot be read: {exc}", name, start)]
            ) from None
        line = reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # blank lines between rows
        if len(values) > len(header):
            extra = values[len(header) :]
            if any(v.strip() for v in extra):
                yield RawRow(
                    start,
                    {
                        "_error": f"the row has {len(values)} cells but the header "
                        f"{len(header)}: put a cell that holds a '{delimiter}' in quotes"
                    },
                )
                continue
        fields = {ours: values[n].strip() if n < len(values) else "" for n, ours in columns}
        if decidim:
            fields.update(
                {
                    h: values[n]
                    for n, h in enumerate(header)
                    if h.startswith("body/") and n < len(values)
                }
            )
        yield RawRow(start, fields, decidim)


def _columns(header: Sequence[str], name: str, decidim: bool) -> list[tuple[int, str]]:
    """Which cell holds which of our fields."""
    out: list[tuple[int, str]] = []
    if decidim:
        mapping = {
            "id": "id",
            "created_at": "date",
            "author/name": "name",
            "author/id": "author",
            "locale": "locale",
            "alignment": "alignment",
            "depth": "depth",
            "commentable_id": "commentable",
            "commentable_type": "commentable_type",
        }
        out = [(n, mapping[h]) for n, h in enumerate(header) if h in mapping]
        if not any(h.startswith("body") for h in header):
            raise ValidationError([_problem("a Decidim export without a 'body' column", name, 1)])
        return out
    seen: dict[str, str] = {}
    for n, h in enumerate(header):
        ours = _COLUMN.get(h.strip().lower())
        if ours is None:
            continue  # a form's other columns (an IP address, a time stamp) are left
        if ours in seen:
            raise ValidationError(
                [
                    _problem(
                        f"columns '{seen[ours]}' and '{h}' both mean '{ours}': keep one", name, 1
                    )
                ]
            )
        seen[ours] = h
        out.append((n, ours))
    if "text" not in seen:
        shown = ", ".join(repr(h) for h in header[:12])
        raise ValidationError(
            [
                _problem(
                    f"no column for the comment's text (found {shown}); name one 'text' "
                    "(or 'Kommentar'): see docs/consultation.md for the columns",
                    name,
                    1,
                )
            ]
        )
    return out


# -- JSON ---------------------------------------------------------------------


def _json_rows(text: str, name: str) -> Iterator[RawRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [_problem(f"is not JSON: {exc.msg} (column {exc.colno})", name, exc.lineno)]
        ) from None
    except RecursionError:
        raise ValidationError(
            [_problem("is nested too deeply to be a comment list", name, 1)]
        ) from None
    if isinstance(data, dict):
        data = data.get("comments", data.get("data"))
    if not isinstance(data, list):
        raise ValidationError(
            [_problem('expected a list of comments (or {"comments": [...]})', name, 1)]
        )
    for n, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            yield RawRow(n, {"_error": "is not an object with the comment's fields"}, entry=True)
            continue
        decidim = isinstance(entry.get("author"), dict) or "commentable_type" in entry
        if decidim:
            yield RawRow(n, _decidim_json(entry), decidim=True, entry=True)
        else:
            yield RawRow(n, _plain_json(entry), entry=True)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int | float | str):
        return str(value) if not isinstance(value, str) else value
    raise _BadRow("holds a list or object where a text or number belongs")


def _plain_json(entry: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key, value in entry.items():
        ours = _COLUMN.get(str(key).strip().lower())
        if ours is not None:
            try:
                fields[ours] = _scalar(value).strip()
            except _BadRow as exc:
                fields["_error"] = f"'{key}' {exc}"
    return fields


def _decidim_json(entry: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    found = entry.get("author")
    author: dict[str, Any] = found if isinstance(found, dict) else {}
    plain = {
        "id": entry.get("id"),
        "date": entry.get("created_at"),
        "name": author.get("name"),
        "author": author.get("id"),
        "locale": entry.get("locale"),
        "alignment": entry.get("alignment"),
        "depth": entry.get("depth"),
        "commentable": entry.get("commentable_id"),
        "commentable_type": entry.get("commentable_type"),
    }
    for key, value in plain.items():
        try:
            fields[key] = _scalar(value).strip()
        except _BadRow as exc:
            fields["_error"] = f"'{key}' {exc}"
    body = entry.get("body")
    if isinstance(body, dict):
        for locale, text in body.items():
            fields[f"body/{locale}"] = text if isinstance(text, str) else ""
    elif isinstance(body, str):
        fields["body/"] = body
    return fields


# -- one row ------------------------------------------------------------------


def _incoming(row: RawRow, targets: Mapping[str, str]) -> Incoming:
    f = row.fields
    if "_error" in f:
        raise _BadRow(f["_error"])
    note = f.get("note", "")
    if row.decidim:
        text = _decidim_body(f)
        person_key = f"decidim-author:{f['author']}" if f.get("author") else ""
        target = targets.get(f.get("commentable", ""), "")
        notes = []
        if f.get("depth") not in ("", "0", None):
            notes.append(f"a reply in Decidim (depth {f['depth']})")
        alignment = {"1": "in favour", "-1": "against"}.get(f.get("alignment", ""))
        if alignment:
            notes.append(f"marked '{alignment}' in Decidim")
        if f.get("commentable") and not target:
            notes.append(f"on {f.get('commentable_type') or 'item'} {f['commentable']} in Decidim")
        note = "; ".join(notes)
        consent = False
    else:
        text = f.get("text", "")
        person_key = ""
        target = f.get("target", "")
        consent = _consent(f.get("consent", ""))
    text = text.strip()
    if not text:
        raise _BadRow("the comment's text is empty: fill it in or delete the row")
    if len(text) > MAX_TEXT:
        raise _BadRow(f"the text has {len(text):,} characters; a comment has at most {MAX_TEXT:,}")
    for label, value in (("text", text), ("name", f.get("name", "")), ("note", note)):
        bad = _CONTROL.search(value)
        if bad:
            raise _BadRow(
                f"the {label} holds the control character U+{ord(bad.group()):04X}: remove it"
            )
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
        origin="decidim" if row.decidim else "form",
        entry=row.entry,
    )


def _decidim_body(f: dict[str, str]) -> str:
    bodies = {k[len("body/") :]: v for k, v in f.items() if k.startswith("body/")}
    locale = f.get("locale", "")
    for key in (locale, "de", "en", ""):
        if bodies.get(key, "").strip():
            return bodies[key]
    return next((v for v in bodies.values() if v.strip()), "")


def _consent(value: str) -> bool:
    v = value.strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise _BadRow(f"consent '{value[:40]}' is neither yes nor no: write 'ja' or 'nein'")


_DE_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?)?"
)


def _date(value: str) -> PartialDate | None:
    v = value.strip()
    if not v:
        return None
    m = _ISO_DATE.fullmatch(v)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DE_DATE.fullmatch(v)
        if not m:
            raise _BadRow(f"the date '{v[:40]}' is not a date: write 2020-11-05 or 05.11.2020")
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        dt.date(y, mo, d)
    except ValueError:
        raise _BadRow(f"the date '{v[:40]}' does not exist in the calendar") from None
    if not 1990 <= y <= 2200:
        raise _BadRow(f"the date '{v[:40]}' is not a date of a consultation (year {y})")
    return PartialDate(y, mo, d)
