"""Applying an operation to a charta file: read, check, change, check again, write back.

What the editing commands (``charta adapt``, ``merge``, ``omit``, ``link``;
the consultation commands later) share:

1. the file is read and must be a valid charta (an edit never starts from a
   broken file: it would hide what was wrong);
2. the operation (a pure function of :mod:`charta.operations`) makes the new
   charta;
3. the new charta, written into the file's own text by
   :mod:`charta.adapters.tomledit`, must be valid too: an edit that would
   break the file is refused, with the problems, and nothing is written;
4. the file is replaced atomically, and only if nobody changed it since step 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from charta.errors import ChartaError, Level, ValidationError
from charta.model import Charta, Location
from charta.rules import RULES

__all__ = ["edit_file"]


def edit_file(path: str | os.PathLike[str], change: Callable[[Charta], Charta]) -> Charta:
    """Apply ``change`` to the charta in the file at ``path`` and write it back in place.

    Returns the new charta.  Raises :class:`ChartaError` (the file's problems,
    the operation's, or those the edit would cause); the file is then unchanged.
    """
    from charta.adapters.toml import read_text
    from charta.adapters.tomledit import edit_text, write_edit
    from charta.loading import validate_text

    name = os.fspath(path)
    raw = _read_bytes(name)
    text, _ = read_text(Path(name))
    report = validate_text(text, name)
    if report.charta is None or not report.ok:
        raise ValidationError(report.problems)
    old = report.charta
    new = change(old)
    if new == old:
        return old
    changed = edit_text(text, old, new)
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
    write_edit(name, text, old, new, raw=raw, changed=changed)
    return new


def _read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError:
        return b""  # read_text says why, with the right rule
