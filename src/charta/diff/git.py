"""``charta diff --git``: the semantic diff as git's external diff driver.

With ``diff.charta.command = charta diff --git`` in git's config, git passes
PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE (and two more on a
rename).  A file that is added or deleted, or a version that is not a valid
charta, is said in a note; git's own diff is not replaced by an error, since
a failing driver stops ``git diff`` altogether.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from charta.diff.model import Diff
from charta.diff.run import run_diff
from charta.errors import ChartaError

__all__ = ["GitDiff", "git_diff"]


@attrs.frozen(kw_only=True)
class GitDiff:
    """What the driver shows for one file."""

    path: str
    """The file's path in the work tree."""
    result: Diff | None
    """The comparison of the two versions, when both are valid chartas."""
    note: str = ""
    """Why there is no comparison: the file is new or deleted, or a version is broken."""


def git_diff(args: Sequence[str]) -> GitDiff:
    """The comparison git asks for with ``args`` (7 or 9 of them, as git passes them).

    Raises :class:`ValueError` for any other number of arguments.
    """
    if len(args) not in (7, 9):
        raise ValueError("--git is for git: PATH OLD-FILE HEX MODE NEW-FILE HEX MODE")
    path, old, new = args[0], args[1], args[4]
    if old == "/dev/null":
        return GitDiff(path=path, result=None, note="the file is new")
    if new == "/dev/null":
        return GitDiff(path=path, result=None, note="the file is deleted")
    try:
        # Both versions are read as the file at PATH: relative references resolve
        # from its folder in the work tree, and locations name it, never git's copies.
        result = run_diff([old, new], read_as=[path, path])
    except ChartaError as exc:
        return GitDiff(path=path, result=None, note=f"no semantic diff: {exc.problems[0].message}")
    return GitDiff(path=path, result=result)
