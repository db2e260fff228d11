"""Changing a charta file in place: only what changed changes.

Clerks edit charta files by hand and write comments in them.  A command that
changes a file (an operation, a consultation step) must keep those comments,
the order of keys and tables, blank lines and string styles, and change only
the values it changes.  ``tomli-w`` writes the canonical form and forgets all
of that; tomlkit keeps a parsed document with its layout, so edits go through
it, and ``tomli-w`` stays the writer of the canonical form (``charta.dumps``).

One mechanism for every edit: the old charta (as read from the file) and the
new one (from a pure operation) are both turned into plain data, and only the
keys whose values differ are written into the parsed document:

- a key whose value is the same is not touched (a default written out by the
  clerk stays written out);
- tables are compared key by key; arrays of tables by ``id`` where their
  entries have one (items, comments), else by position;
- a changed value is replaced where it stands, a new key or table is added
  at the end of its table or array, a removed one is taken out.

Before writing, the result is read back and must equal the new charta, and
the file must still be what was read: a file changed on disk in between is
an error, never overwritten.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.items

from charta import rules
from charta.adapters.files import write_atomic
from charta.adapters.toml import loads
from charta.adapters.toml.convert import toml_converter
from charta.errors import ChartaError
from charta.model import Charta, Location

__all__ = ["edit_output", "edit_text", "write_edit"]


def edit_text(text: str, old: Charta, new: Charta) -> str:
    """``text`` (the file ``old`` was read from) changed to say ``new``, layout kept."""
    converter = toml_converter()
    doc = tomlkit.parse(text)
    sync_table(doc, converter.unstructure(old), converter.unstructure(new))
    return tomlkit.dumps(doc)


def edit_output(
    path: str | os.PathLike[str],
    text: str,
    old: Charta,
    new: Charta,
    *,
    raw: bytes | None = None,
    changed: str | None = None,
) -> tuple[Path, str, str]:
    """What to write into the file at ``path`` (read as ``text``, holding ``old``)
    so that it holds ``new``: the file (through a symbolic link, the file it
    points at), the text to write into it, and the edited text.

    ``raw`` are the file's bytes as read (``text`` is them decoded: a byte-order
    mark dropped, CRLF read as LF); the text to write keeps its BOM and line
    ends.  Raises :class:`ChartaError` when the file changed since it was read,
    or when the edit would not read back as ``new``.  ``changed`` is the edited
    text when the caller has made it already.
    """
    name = os.fspath(path)
    where = Location(file=name)
    if changed is None:
        changed = edit_text(text, old, new)
    try:
        back = loads(changed, file=name)
    except ChartaError as exc:
        raise ChartaError(
            f"the edit would not read back ({exc.problems[0].message}); nothing was written",
            location=where,
            rule=rules.CANNOT_WRITE,
        ) from None
    if back != new:
        raise ChartaError(
            "the edit would not read back as intended; nothing was written (please report this)",
            location=where,
            rule=rules.CANNOT_WRITE,
        )
    try:
        now = Path(name).read_bytes()
    except OSError as exc:
        raise ChartaError(
            f"cannot read it again before writing: {exc.strerror}",
            location=where,
            rule=rules.CANNOT_WRITE,
        ) from None
    read = raw if raw is not None else text.encode("utf-8")
    if _digest(now) != _digest(read):
        raise ChartaError(
            "the file changed on disk since charta read it (edited elsewhere?); nothing was "
            "written: run the command again",
            location=where,
            rule=rules.CANNOT_WRITE,
        )
    out = changed
    if b"\r\n" in read:
        out = out.replace("\r\n", "\n").replace("\n", "\r\n")
    if read.startswith(b"\xef\xbb\xbf"):
        out = "\ufeff" + out
    # Through a symbolic link, the file it points at is changed; the link stays.
    return Path(os.path.realpath(name)), out, changed


def write_edit(
    path: str | os.PathLike[str], text: str, old: Charta, new: Charta, **given: Any
) -> str:
    """:func:`edit_output`, written atomically; returns the edited text."""
    target, out, changed = edit_output(path, text, old, new, **given)
    write_atomic(target, out, toml=True)
    return changed


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def toml_value(value: Any, nested: bool = False) -> Any:
    """A plain value as a tomlkit item: texts with line ends as multi-line strings."""
    if (
        isinstance(value, str)
        and "\n" in value
        and "\r" not in value
        and not value.endswith(("\\", '"'))
    ):
        return tomlkit.string(value, multiline=True)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        aot = tomlkit.aot()
        for entry in value:
            aot.append(_table(entry, nested=nested))
        return aot
    if isinstance(value, dict):
        return _table(value, nested=nested)
    return value


def _table(data: dict[str, Any], nested: bool = False) -> Any:
    table = tomlkit.table()
    # Plain values first, then tables and arrays of tables: TOML needs them so.
    for key, value in data.items():
        if not _is_table_like(value):
            table.add(key, toml_value(value))
    inner = False
    for key, value in data.items():
        if _is_table_like(value):
            table.add(key, toml_value(value, nested=True))
            inner = True
    if not nested and not inner:
        # A blank line before the next header, as a person writes it (tomlkit
        # writes one after sub-tables itself).
        table.add(tomlkit.nl())
    return table


def _is_table_like(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    )


def sync_table(table: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Write into ``table`` (a tomlkit table holding ``old``) what differs in ``new``."""
    for key in list(old):
        if key not in new and key in table:
            del table[key]
    for key, value in new.items():
        before = old.get(key, _MISSING)
        if before == value:
            continue
        if key not in table:
            # tomlkit puts a plain key before the table's sub-tables, a table after.
            table.add(key, toml_value(value))
        elif isinstance(value, dict) and isinstance(before, dict):
            sync_table(table[key], before, value)
        elif _is_array_of_tables(before) and _is_array_of_tables(value):
            _sync_array(table, key, before, value)
        else:
            table[key] = toml_value(value)


_MISSING = object()


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _sync_array(table: Any, key: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    """An array of tables: entries matched by ``id`` where they have one, else by position."""
    array = table[key]
    if not isinstance(array, tomlkit.items.AoT):
        # An inline array of tables (based-on = [ {...}, ... ]): written anew, inline.
        table[key] = _inline_array(new)
        return
    keyed = all("id" in e for e in old) and all("id" in e for e in new)
    if not keyed:
        for n in range(min(len(old), len(new))):
            if old[n] != new[n]:
                _sync_entry(array[n], old[n], new[n])
        for n in range(len(old) - 1, len(new) - 1, -1):
            _delete(array, n)
        for entry in new[len(old) :]:
            _insert(array, len(array), _table(entry))
        return
    old_ids = [e["id"] for e in old]
    new_ids = [e["id"] for e in new]
    entries = {e["id"]: (n, e) for n, e in enumerate(old)}
    # Edit the kept entries where they stand.
    for entry in new:
        found = entries.get(entry["id"])
        if found is not None and found[1] != entry:
            _sync_entry(array[found[0]], found[1], entry)
    new_set = set(new_ids)
    kept = [i for i in old_ids if i in new_set]
    if kept == [i for i in new_ids if i in entries]:
        # Same order: remove the dropped entries (from the end), add new ones in place.
        for n in range(len(old) - 1, -1, -1):
            if old[n]["id"] not in new_set:
                _delete(array, n)
        for n, entry in enumerate(new):
            if entry["id"] not in entries:
                # a new entry stands where the new charta has it
                _insert(array, min(n, len(array)), _table(entry))
        return
    # The order changed (a move): rebuild the array from the existing tables.
    tables = {old[n]["id"]: array[n] for n in range(len(old))}
    rebuilt = tomlkit.aot()
    for entry in new:
        rebuilt.append(tables[entry["id"]] if entry["id"] in tables else _table(entry))
    table[key] = rebuilt


def _inline_array(entries: list[dict[str, Any]]) -> Any:
    array = tomlkit.array()
    array.multiline(True)
    for entry in entries:
        inline = tomlkit.inline_table()
        inline.update(entry)
        array.append(inline)
    return array


# ---------------------------------------------------------------------------
# Comments between tables
#
# A comment written above a header ("# 3" above [[items]]) belongs, for a
# person, to the table below it; tomlkit keeps it at the end of the table
# above (the deepest last sub-table).  Before a table is changed, these
# trailing comments are taken off, and put back at its (new) end afterwards;
# a deleted entry hands them to the entry before it, and an inserted one
# takes them from there, so each comment stays above its own header.


def _body(table: Any) -> list[tuple[Any, Any]]:
    container = getattr(table, "value", table)
    body: list[tuple[Any, Any]] = container.body
    return body


def _last_table(table: Any) -> Any:
    while True:
        body = _body(table)
        if not body:
            return table
        last = body[-1][1]
        if isinstance(last, tomlkit.items.AoT) and last.body:
            table = last.body[-1]
        elif isinstance(last, tomlkit.items.Table):
            table = last
        else:
            return table


def _take_trailing(table: Any) -> list[tuple[Any, Any]]:
    """The comments (and blank lines around them) at the end of ``table``, taken off."""
    body = _body(_last_table(table))
    start = len(body)
    while (
        start > 0
        and body[start - 1][0] is None
        and isinstance(body[start - 1][1], (tomlkit.items.Comment, tomlkit.items.Whitespace))
    ):
        start -= 1
    tail = body[start:]
    if not any(isinstance(item, tomlkit.items.Comment) for _, item in tail):
        return []
    # keep the blank line that ends the table's own content
    if tail and isinstance(tail[0][1], tomlkit.items.Whitespace):
        start += 1
        tail = body[start:]
    del body[start:]
    return tail


def _put_trailing(table: Any, tail: list[tuple[Any, Any]]) -> None:
    if tail:
        _body(_last_table(table)).extend(tail)


def _sync_entry(entry: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    tail = _take_trailing(entry)
    sync_table(entry, old, new)
    _put_trailing(entry, tail)


def _delete(array: Any, n: int) -> None:
    tail = _take_trailing(array[n])
    del array[n]
    if tail and n > 0:
        _put_trailing(array[n - 1], tail)
    elif tail and len(array):
        # the first entry went: its heading comments now start the next entry
        _body(array[0])[:0] = tail


def _insert(array: Any, n: int, table: Any) -> None:
    tail = _take_trailing(array[n - 1]) if n > 0 else []
    array.insert(n, table)
    _put_trailing(array[n], tail)
