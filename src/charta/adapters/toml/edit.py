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

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

import attrs
import tomlkit
import tomlkit.exceptions
import tomlkit.items

from charta import rules
from charta.adapters.files import write_atomic
from charta.adapters.toml import loads, scanner
from charta.adapters.toml.convert import toml_converter
from charta.errors import ChartaError
from charta.model import Charta, Location

__all__ = ["edit_output", "edit_text", "write_edit"]


def edit_text(text: str, old: Charta, new: Charta) -> str:
    """``text`` (the file ``old`` was read from) changed to say ``new``, layout kept."""
    converter = toml_converter()
    before, after = converter.unstructure(old), converter.unstructure(new)
    if before == after:
        return text
    layout = _Layout.of(text, before)
    if layout is not None:
        with contextlib.suppress(_Whole):
            return layout.edit(before, after)
    doc = tomlkit.parse(text)
    sync_table(doc, before, after)
    return tomlkit.dumps(doc)


# ---------------------------------------------------------------------------
# The file in pieces
#
# tomlkit keeps a document's layout, except that it writes the tables of an
# array of tables together: a table the clerk put between two [[items]]
# moves after the last one, even when the edit is elsewhere.  So the text is
# cut at its top-level headers into pieces, one per top-level table and per
# entry of a top-level array of tables (with the comment lines directly
# above its header, which a person reads as its heading), and only the
# pieces whose values change go through tomlkit.  The others stay byte for
# byte where they are.  A layout that cannot be cut so (a top-level table
# written partly with dotted keys before the first header and partly under
# a header) is edited as one document.


class _Whole(Exception):
    """This text is edited as one document."""


@attrs.define
class _Layout:
    text: str
    root: str
    # Each header's piece: (top-level key, entry index or None for a table, text).
    pieces: list[tuple[str, int | None, str]]

    @classmethod
    def of(cls, text: str, before: dict[str, Any]) -> _Layout | None:
        found = scanner.headers(text)
        if not found:
            return None
        starts = [_heading_start(text, pos) for pos, _ in found]
        pieces: list[tuple[str, int | None, str]] = []
        for n, (_, path) in enumerate(found):
            end = starts[n + 1] if n + 1 < len(found) else len(text)
            name, index = path[0], path[1] if len(path) > 1 else None
            if not isinstance(name, str) or name not in before:
                return None
            if index is not None and not isinstance(index, int):
                index = None
            pieces.append((name, index, text[starts[n] : end]))
        root = text[: starts[0]]
        if root and set(scanner.key_offsets(root)) & {(name,) for name, _, _ in pieces}:
            return None  # a table begun in the root and continued under a header
        return cls(text, root, pieces)

    def edit(self, before: dict[str, Any], after: dict[str, Any]) -> str:
        names = {name for name, _, _ in self.pieces}
        root_old = {k: v for k, v in before.items() if k not in names}
        root_new = {
            k: v
            for k, v in after.items()
            if k in root_old or not _is_table_like(v)  # an empty array stays a plain key
        }
        parts = [self.root if root_old == root_new else _edit_piece(self.root, root_old, root_new)]
        plans: dict[str, dict[int | None, str]] = {}
        for name, index, text in self.pieces:
            value = after.get(name, _MISSING)
            if value == before[name]:
                parts.append(text)
                continue
            if not _is_table_like(value):
                continue  # removed, or now in the root
            if name not in plans:
                mine = [(i, t) for k, i, t in self.pieces if k == name]
                plans[name] = _plan(name, mine, before[name], value)
            # Each piece once: an entry (or a table) written in several pieces
            # is edited as one text, where its first piece was.
            parts.append(plans[name].pop(index, ""))
        for key, value in after.items():
            if key not in before and _is_table_like(value):
                parts.append(_separated(parts, _new_text(key, value)))
        out = "".join(parts)
        ending = len(self.text) - len(self.text.rstrip("\n"))
        if ending and out.endswith("\n" * (ending + 1)):
            out = out.rstrip("\n") + "\n" * ending  # a new table at the end: the file's ending
        return out


def _heading_start(text: str, pos: int) -> int:
    """Where the piece of the header at ``pos`` starts: at the comment lines above
    it (blank lines among them), which a person reads as its heading; the blank
    lines before them stay with the piece above."""
    start = line = pos
    while line > 0:
        line_start = text.rfind("\n", 0, line - 1) + 1
        content = text[line_start : line - 1].strip(" \t\r")
        if content.startswith("#") and '"""' not in content and "'''" not in content:
            start = line_start  # (a "# ..." line with quotes may close a multi-line string)
        elif content:
            break
        line = line_start
    return start


def _separated(parts: list[str], text: str) -> str:
    """``text`` (a new table) after ``parts``, with a blank line between."""
    end = "".join(parts[-2:])
    if not end or end.endswith("\n\n"):
        return text
    return ("\n" if end.endswith("\n") else "\n\n") + text


def _plan(
    name: str, mine: list[tuple[int | None, str]], old: Any, new: Any
) -> dict[int | None, str]:
    """The new text of each piece of the top-level table ``name`` (by entry index;
    ``None`` for a table), written where the piece's first part was."""
    texts: dict[int | None, str] = {}
    for index, text in mine:
        texts[index] = texts.get(index, "") + text
    if None in texts:
        if len(texts) > 1 or not isinstance(old, dict):
            raise _Whole
        return {None: _edit_piece(texts[None], {name: old}, {name: new})}
    if not (isinstance(old, list) and isinstance(new, list)) or set(texts) != set(range(len(old))):
        raise _Whole
    match = _match(old, new)
    if match is None or not any(m is not None for m in match):
        raise _Whole  # a move, or every entry new: tomlkit rebuilds the array
    out: dict[int | None, str] = dict.fromkeys(range(len(old)), "")
    pending: list[str] = []  # new entries before the first kept one
    last: int | None = None
    for entry, n in zip(new, match, strict=True):
        if n is None:
            if last is None:
                pending.append(_new_text(name, [entry]))
            else:
                out[last] += _separated([out[last]], _new_text(name, [entry]))
            continue
        text = (
            texts[n]
            if old[n] == entry
            else _edit_piece(texts[n], {name: [old[n]]}, {name: [entry]})
        )
        out[n] = "".join(pending) + text
        pending = []
        last = n
    return out


def _new_text(key: str, value: Any) -> str:
    doc = tomlkit.document()
    doc.add(key, toml_value(value))
    text = tomlkit.dumps(doc)
    return text.rstrip("\n") + "\n\n"


def _edit_piece(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError:
        raise _Whole from None
    sync_table(doc, old, new)
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
            _delete_key(table, key)
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
            current = table[key]
            if isinstance(current, tomlkit.items.Array) and _is_array_of_tables(value):
                # written inline by the clerk (revisions = []): it stays inline
                table[key] = _keep_trivia(current, _inline_array(value))
            else:
                table[key] = _keep_trivia(current, toml_value(value))


_MISSING = object()


def _delete_key(table: Any, key: str) -> None:
    """Take ``key`` out of ``table``; a table goes with the comment lines directly
    above its header (its heading), as :func:`_delete` does for an entry."""
    body = _body(table)
    at = next((n for n, (k, _) in enumerate(body) if k is not None and k.key == key), None)
    value = table[key]
    del table[key]
    if at is None or not isinstance(value, (tomlkit.items.AoT, tomlkit.items.Table)):
        return
    start = at
    while (
        start > 0
        and body[start - 1][0] is None
        and isinstance(body[start - 1][1], tomlkit.items.Comment)
    ):
        start -= 1
    del body[start:at]


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _sync_array(table: Any, key: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    """An array of tables: entries matched by ``id`` where they have one, else by position."""
    array = table[key]
    if not isinstance(array, tomlkit.items.AoT):
        _sync_inline(table, key, old, new)
        return
    match = _match(old, new)
    if match is None:
        # The order changed (a move): rebuild the array from the existing tables.
        tables = {old[n]["id"]: array[n] for n in range(len(old))}
        rebuilt = tomlkit.aot()
        for entry in new:
            found = tables.get(entry["id"])
            rebuilt.append(found if found is not None else _table(entry))
        where = {e["id"]: n for n, e in enumerate(old)}
        for entry in new:
            n = where.get(entry["id"])
            if n is not None and old[n] != entry:
                _sync_entry(tables[entry["id"]], old[n], entry)
        table[key] = rebuilt
        return
    # Edit the kept entries where they stand, remove the dropped ones (from the
    # end), add the new ones where the new charta has them.
    for entry, was in zip(new, match, strict=True):
        if was is not None and old[was] != entry:
            _sync_entry(array[was], old[was], entry)
    kept = set(match)
    for n in range(len(old) - 1, -1, -1):
        if n not in kept:
            _delete(array, n)
    for position, (entry, was) in enumerate(zip(new, match, strict=True)):
        if was is None:
            _insert(array, min(position, len(array)), _table(entry))


def _sync_inline(
    table: Any, key: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> None:
    """An inline array of tables (``based-on = [ {...}, ... ]``): its entries
    edited where they stand, so that the comments between them stay; matched
    by ``id`` where they have one, else by position.  A move writes it anew."""
    array = table[key]
    match = _match(old, new)
    if match is None or not all(
        isinstance(array[n], tomlkit.items.InlineTable) for n in range(len(old))
    ):
        table[key] = _keep_trivia(array, _inline_array(new))
        return
    kept = set(match)
    for n in range(len(old) - 1, -1, -1):
        if n not in kept:
            del array[n]
    for position, (entry, was) in enumerate(zip(new, match, strict=True)):
        if was is None:
            array.insert(position, _inline_table(entry))
        elif old[was] != entry:
            current = array[position]
            for name in [k for k in old[was] if k not in entry]:
                del current[name]
            for name, value in entry.items():
                if old[was].get(name, _MISSING) != value:
                    current[name] = value


def _match(old: list[Any], new: list[Any]) -> list[int | None] | None:
    """For each entry of ``new``, the index of the same entry in ``old`` (``None``:
    a new one): by ``id`` where every entry has one, else by position.  ``None``
    when the kept entries changed their order (a move)."""
    if all(isinstance(e, dict) and "id" in e for e in (*old, *new)):
        where = {e["id"]: n for n, e in enumerate(old)}
        match = [where.get(e["id"]) for e in new]
    else:
        match = [n if n < len(old) else None for n in range(len(new))]
    kept = [m for m in match if m is not None]
    return match if kept == sorted(kept) else None


def _keep_trivia(old: Any, new: Any) -> Any:
    """``new`` with the comment that followed ``old`` on its line."""
    trivia = getattr(old, "trivia", None)
    if trivia is not None and getattr(new, "trivia", None) is not None and trivia.comment:
        new.trivia.comment_ws = trivia.comment_ws
        new.trivia.comment = trivia.comment
    return new


def _inline_table(entry: dict[str, Any]) -> Any:
    inline = tomlkit.inline_table()
    inline.update(entry)
    return inline


def _inline_array(entries: list[dict[str, Any]]) -> Any:
    array = tomlkit.array()
    array.multiline(True)
    for entry in entries:
        array.append(_inline_table(entry))
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
