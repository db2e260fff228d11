"""Applying an operation to a charta file: read, check, change, check again, write back.

What the editing commands (``charta adapt``, ``merge``, ``omit``, ``link``;
the consultation commands later) share:

1. the file is read and must be a valid charta (an edit never starts from a
   broken file: it would hide what was wrong);
2. the operation (a pure function of :mod:`charta.derive.operations`) makes the new
   charta;
3. the new charta, written into the file's own text by
   :mod:`charta.adapters.toml.edit`, must be valid too: an edit that would
   break the file is refused, with the problems, and nothing is written;
4. the file is replaced atomically, and only if nobody changed it since step 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs

from charta import rules
from charta.adapters.files import write_together as commit
from charta.adapters.files import writer_lock
from charta.adapters.toml import MAX_BYTES, read_text
from charta.adapters.toml.edit import edit_output, edit_text, write_edit
from charta.check.loading import validate_text
from charta.errors import ChartaError, Level, ValidationError
from charta.model import Charta, Location
from charta.rules import RULES

__all__ = ["Edit", "edit_file", "prepare_edit", "write_together"]


def edit_file(path: str | os.PathLike[str], change: Callable[[Charta], Charta]) -> Charta:
    """Apply ``change`` to the charta in the file at ``path`` and write it back in place.

    Returns the new charta.  Raises :class:`ChartaError` (the file's problems,
    the operation's, or those the edit would cause); the file is then unchanged.
    """
    with writer_lock(path):  # read, change and write as one: no other writer between
        edit = prepare_edit(path, change)
        edit.write()
    return edit.new


@attrs.define
class Edit:
    """A checked edit of a charta file, not yet written."""

    name: str
    text: str
    old: Charta
    new: Charta
    raw: bytes
    changed: str

    def write(self) -> None:
        """Write it (atomically, and only if the file did not change since it was read)."""
        if self.new == self.old:
            return

        write_edit(self.name, self.text, self.old, self.new, raw=self.raw, changed=self.changed)


def prepare_edit(path: str | os.PathLike[str], change: Callable[[Charta], Charta]) -> Edit:
    """Steps 1 to 3: read and check the file, change the charta, check the result.

    Nothing is written; :meth:`Edit.write` does that.  Commands that write a
    second file with the charta (the personal data of an import) prepare both
    before writing either.
    """

    name = os.fspath(path)
    raw = _read_bytes(name)
    text, _ = read_text(Path(name))
    report = validate_text(text, name)
    if report.charta is None or not report.ok:
        raise ValidationError(report.problems)
    old = report.charta
    new = change(old)
    if new == old:
        return Edit(name, text, old, old, raw, text)
    changed = edit_text(text, old, new)
    size = len(changed.encode("utf-8"))
    if size > MAX_BYTES:
        # Written, it could not be read again: refuse it now.
        raise ChartaError(
            f"the change would make the file {size / 2**20:.1f} MiB; charta files are at "
            f"most {MAX_BYTES // 2**20} MiB, so nothing was written",
            location=Location(file=name),
            rule=rules.FILE_TOO_LARGE,
        )
    after = validate_text(changed, name)
    errors = [p for p in after.problems if p.level >= Level.ERROR]
    if errors:
        raise ChartaError(
            "the change would make the file invalid, so nothing was written: "
            + "; ".join(p.message for p in errors[:3])
            + (f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""),
            # The key path, not a line: the lines are those of a text never written.
            location=Location(keys=errors[0].location.keys, file=name),
            rule=RULES.get(errors[0].code),
        )
    return Edit(name, text, old, new, raw, changed)


def write_together(
    edit: Edit, companion: Path, text: str | None, *, expected: bytes | None = None
) -> None:
    """Write the edit and ``text`` into ``companion`` as one commit: both or
    neither, even when the process is killed in between
    (:func:`charta.adapters.files.write_together`).  ``None``: only the edit.

    ``expected`` are the companion's bytes when it was read (``None``: it did not
    exist): if it changed since, nothing is written, as for the charta file.
    The caller holds the charta's writers' lock.
    """

    if text is None:
        edit.write()
        return
    try:
        before: bytes | None = companion.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise ChartaError(
            f"cannot read it: {exc.strerror}; nothing was written",
            location=Location(file=str(companion)),
            rule=rules.CANNOT_WRITE,
        ) from None
    if before != expected:
        raise ChartaError(
            "the file changed on disk since charta read it (edited elsewhere?); nothing was "
            "written: run the command again",
            location=Location(file=str(companion)),
            rule=rules.CANNOT_WRITE,
        )
    files = [(companion, text)]
    if edit.new != edit.old:
        target, out, _ = edit_output(
            edit.name, edit.text, edit.old, edit.new, raw=edit.raw, changed=edit.changed
        )
        files.append((target, out))
    commit(edit.name, files)


def _read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError:
        return b""  # read_text says why, with the right rule
