"""Writing files so that a failure never leaves half a file, or a lost one, behind.

One writer for every command that writes (``schema`` today; ``render``, ``new``
and the consultation commands later):

- the text goes to a temporary file beside the target and is renamed into
  place, so the target is never partial;
- the temporary file is removed on any failure, on Ctrl-C, SIGTERM and SIGHUP;
- a read-only target is left alone;
- an existing file keeps its permissions (a new one gets the usual ``0666 &
  ~umask``, not ``mkstemp``'s ``0600``);
- a target that is not a regular file (a FIFO, ``/dev/stdout``) is written
  to, not replaced by a regular file;
- the inputs of a command, and an existing TOML file when the output is not
  TOML, are never overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from charta import rules
from charta.errors import ChartaError
from charta.model import Location

if sys.platform == "win32":  # pragma: no cover - the writers' lock on Windows
    import msvcrt
else:
    import fcntl

__all__ = [
    "LOCK_TIMEOUT",
    "journal_path",
    "lock_path",
    "recover",
    "write_atomic",
    "write_together",
    "writer_lock",
]

log = logging.getLogger("charta")
"""Where charta says what it did beyond what was asked (an interrupted write
completed).  The command line prints it; a script sees it through :mod:`logging`."""


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def write_atomic(
    path: Path,
    text: str,
    *,
    inputs: Collection[Path] = (),
    toml: bool = False,
) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    A folder of ``path`` that does not exist yet is made.

    ``inputs`` are files the command read: never overwritten.  ``toml`` says
    whether ``text`` is TOML; if not, an existing ``.toml`` file (most likely
    a charta) is not replaced.
    """
    where = Location(file=str(path))
    info = _writable(path, where, inputs=inputs, toml=toml)
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A FIFO or a device: write into it; renaming would replace it with a file.
        try:
            with path.open("w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        except OSError as exc:
            raise _cannot(path, exc) from None
        return
    mode = stat.S_IMODE(info.st_mode) if info is not None else _default_mode()
    folder = path.parent if str(path.parent) else Path()
    tmp: str | None = None
    try:
        # The handlers are in place before the temporary file exists, so no
        # signal can arrive between its creation and the cleanup's reach.
        with _cleanup_on_signals():
            try:
                # An output into a folder not made yet (-o abwaegung/2024/tabelle.csv):
                # the folder is made, as a person who names it expects.
                folder.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            except (OSError, ValueError) as exc:
                raise _cannot(path, exc, "cannot write here") from None
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
            tmp = None
    except OSError as exc:
        _remove(tmp)
        raise _cannot(path, exc) from None
    except _Terminated as signalled:
        _remove(tmp)
        raise SystemExit(128 + signalled.signum) from None
    except BaseException:
        _remove(tmp)
        raise


def _writable(
    path: Path, where: Location, *, inputs: Collection[Path], toml: bool
) -> os.stat_result | None:
    """The checks before ``path`` is written; its ``stat`` (``None``: no file yet)."""
    if not str(path) or str(path) == ".":
        raise ChartaError(
            "no file named: give a file name to write to", location=where, rule=rules.CANNOT_WRITE
        )
    _refuse_inputs(path, inputs, where)
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:
        raise _cannot(path, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ChartaError(
            "is a directory: name a file to write", location=where, rule=rules.CANNOT_WRITE
        )
    if info is not None and not toml and path.suffix.lower() == ".toml":
        raise ChartaError(
            "is a TOML file, and this output is not TOML; charta does not replace it: "
            "name another file",
            location=where,
            rule=rules.CANNOT_WRITE,
        )
    if info is not None and stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222:
        # Read-only on purpose: even where the rename would work (root), leave it.
        raise ChartaError(
            "is read-only: charta does not replace it; make it writable or name another file",
            location=where,
            rule=rules.CANNOT_WRITE,
        )
    return info


def _remove(tmp: str | None) -> None:
    if tmp is not None:
        Path(tmp).unlink(missing_ok=True)


def _refuse_inputs(path: Path, inputs: Collection[Path], where: Location) -> None:
    for source in inputs:
        with contextlib.suppress(OSError, ValueError):
            if path.exists() and path.samefile(source):
                raise ChartaError(
                    f"is the input file {source}; charta never writes over its input: "
                    "name another output file",
                    location=where,
                    rule=rules.CANNOT_WRITE,
                )


def _cannot(path: Path, exc: OSError | ValueError, what: str = "cannot write") -> ChartaError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return ChartaError(
        f"{what}: {reason}", location=Location(file=str(path)), rule=rules.CANNOT_WRITE
    )


def _default_mode() -> int:
    # The mode an ordinary open() would give: 0666 less the umask.  The umask
    # can only be read by setting it; it is set back at once.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while writing, so the temporary file goes."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(signum)

    with _on_signals(handler):
        yield


@contextlib.contextmanager
def _on_signals(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """``handler`` for SIGTERM and SIGHUP while the block runs (only the main
    thread can set handlers; elsewhere the block runs without)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handler) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


# -- one writer at a time -------------------------------------------------------

LOCK_TIMEOUT = 30.0
"""Seconds a command waits for another writer of the same charta to finish."""

# Locks this process holds, by lock file: a command that takes the lock again
# (an import, whose edit takes it too) must not wait for itself.
_HELD: dict[str, list[object]] = {}
_HELD_GUARD = threading.Lock()


def lock_path(path: Path) -> Path:
    """The lock file of a charta file: ``.leitmotive.toml.lock`` beside it.

    A file of its own, never the charta: the charta is replaced by a rename at
    every write, and a lock on the replaced file would guard nothing.
    """
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def writer_lock(path: str | os.PathLike[str], timeout: float | None = None) -> Iterator[None]:
    """Hold the writers' lock of the charta file at ``path`` while the block runs.

    Every command that writes a charta (and its personal-data file) reads,
    changes and writes under this lock, so that two writers at once (two
    clerks, a clerk and a CI job) never overwrite each other: the second waits
    until the first is done (up to ``timeout`` seconds, then a clear error),
    and then reads the file the first one wrote.  POSIX ``fcntl.flock``; on a
    system without it (Windows) ``msvcrt.locking`` on the same lock file.
    """
    target = lock_path(Path(os.fspath(path)))
    key = os.path.abspath(target)
    with _HELD_GUARD:
        if key in _HELD:  # this process holds it already
            _HELD[key].append(None)
            held_here = True
        else:
            held_here = False
    if held_here:
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD[key].pop()
        return
    wait = LOCK_TIMEOUT if timeout is None else timeout
    try:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ChartaError(
            f"cannot take the writers' lock ({target.name}): {exc.strerror}",
            location=Location(file=os.fspath(path)),
            rule=rules.CANNOT_WRITE,
        ) from None
    try:
        _acquire(fd, wait, os.fspath(path))
        with _HELD_GUARD:
            _HELD[key] = [None]
        try:
            recover(path)  # an earlier writer killed halfway: its write first
            yield
        finally:
            with _HELD_GUARD:
                _HELD.pop(key, None)
            _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, wait: float, name: str) -> None:
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            _try_lock(fd)
            return
        except (BlockingIOError, PermissionError):
            if time.monotonic() >= deadline:
                raise ChartaError(
                    f"another charta command has been writing this file for {wait:.0f} s "
                    "(a colleague, or a job that hangs?); nothing was written: try again "
                    "when it is done",
                    location=Location(file=name),
                    rule=rules.CANNOT_WRITE,
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _try_lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _release(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


# -- two files, one commit ------------------------------------------------------
#
# ``charta consult import`` writes a charta and its personal-data file.  Two
# renames cannot be one, so a journal beside the charta makes them one commit
# (the way a database's write-ahead log does):
#
# 1. the journal is written, in state "staging", naming every file and the
#    hash of its new content;
# 2. each new content is written, complete and synced, to a staged copy
#    beside its file (``.leitmotive.toml.charta-new``);
# 3. the journal is rewritten in state "commit": from here on the write has
#    happened, whatever stops the process;
# 4. the staged copies are renamed into place;
# 5. the journal is removed.
#
# A process killed in 1-2 leaves a "staging" journal: the next writer removes
# the staged copies (both files stay old).  Killed in 3-5, it leaves a
# "commit" journal: the next writer renames what is left (both files new).
# Either way it says so.  ``validate`` reports a journal as an error.

JOURNAL_FORMAT = "charta-journal/1"

# Called with the name of each step as it is done: the tests stop the process
# there (SIGKILL) to prove that every point leaves one of the three states.
_step: Callable[[str], None] = lambda name: None  # noqa: E731


def journal_path(path: str | os.PathLike[str]) -> Path:
    """The journal of a write of several files, beside the charta file at ``path``:
    ``.leitmotive.toml.journal``.  It exists only while such a write is under way,
    or when one was interrupted."""
    path = Path(os.fspath(path))
    return path.parent / f".{path.name}.journal"


def _staged(target: Path) -> Path:
    return target.parent / f".{target.name}.charta-new"


def write_together(
    path: str | os.PathLike[str],
    files: Sequence[tuple[Path, str]],
    *,
    inputs: Collection[Path] = (),
) -> None:
    """Write the TOML ``files`` (target, text) as one: all of them, or none.

    ``path`` is the charta file whose writers' lock the caller holds; the
    journal goes beside it (:func:`journal_path`).  Killed at any point, even by
    SIGKILL, the files are all old, all new, or left with a journal that the
    next writer of the charta completes or rolls back (:func:`recover`).
    """
    journal = journal_path(path)
    folder = journal.parent
    planned: list[tuple[Path, Path, bytes, int]] = []
    for target, text in files:
        where = Location(file=str(target))
        info = _writable(target, where, inputs=inputs, toml=True)
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise ChartaError(
                "is not a regular file: charta writes it only together with the charta, "
                "by a rename; name a regular file",
                location=where,
                rule=rules.CANNOT_WRITE,
            )
        mode = stat.S_IMODE(info.st_mode) if info is not None else _default_mode()
        planned.append((target, _staged(target), text.encode("utf-8"), mode))
    record: dict[str, Any] = {
        "format": JOURNAL_FORMAT,
        "state": "staging",
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        # Each file with the hash of its new content and of its content now
        # ("before", null: no file yet), so that a file changed by hand after an
        # interruption is never replaced.  Its staged copy is not named: it is
        # always .NAME.charta-new beside it.
        "files": [
            {
                "file": _relative(target, folder),
                "sha256": hashlib.sha256(data).hexdigest(),
                "before": _digest_of(target),
            }
            for target, _, data, _ in planned
        ],
    }
    try:
        with _cleanup_on_signals():
            _write_journal(journal, record)
            _step("journal")
            for n, (_, staged, data, mode) in enumerate(planned):
                _write_synced(staged, data, mode)
                _step(f"staged {n}")
            record["state"] = "commit"
            _write_journal(journal, record)
            _sync_folders([folder, *(target.parent for target, _, _, _ in planned)])
            _step("commit")
    except BaseException as exc:
        for _, staged, _, _ in planned:
            staged.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        if isinstance(exc, _Terminated):
            raise SystemExit(128 + exc.signum) from None
        if isinstance(exc, OSError):
            raise _cannot(planned[0][0] if planned else journal, exc) from None
        raise
    # Committed: a signal now waits until the files are in place.
    with _deferred_signals():
        try:
            for n, (target, staged, _, _) in enumerate(planned):
                os.replace(staged, target)
                _step(f"renamed {n}")
            _sync_folders([target.parent for target, _, _, _ in planned])
            journal.unlink()
            _step("done")
        except OSError as exc:
            raise ChartaError(
                f"the write was interrupted ({exc.strerror}); the next charta command that "
                "writes this charta completes it",
                location=Location(file=os.fspath(path)),
                rule=rules.CANNOT_WRITE,
            ) from None


def recover(path: str | os.PathLike[str]) -> str | None:
    """Complete or roll back an interrupted :func:`write_together` of the charta
    file at ``path``; the caller holds its writers' lock (:func:`writer_lock`
    does this as it takes the lock).

    Returns what was done, in a sentence (also logged to the ``charta``
    logger), or ``None`` when there was nothing to do.  Raises
    :class:`ChartaError` when a file was changed by hand since, so that neither
    state can be restored without a person deciding.
    """
    journal = journal_path(path)
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _cannot(journal, exc, "cannot read the journal of an interrupted write") from None
    record = _read_journal(raw, journal)
    try:
        done = _settle(journal, record)
    except OSError as exc:
        raise ChartaError(
            f"cannot settle the interrupted write this journal records ({exc.strerror}): "
            "the journal stays, so the next command can; make the folder writable and "
            "run the command again",
            location=Location(file=str(journal)),
            rule=rules.TORN_PAIR,
        ) from None
    log.warning("%s: %s", os.fspath(path), done)
    return done


def _settle(journal: Path, record: dict[str, Any]) -> str:
    """Roll the write ``record`` describes back (staging) or forward (commit)."""
    folder = journal.parent
    entries = [(folder / e["file"], e["sha256"], e["before"]) for e in record["files"]]
    names = " and ".join(target.name for target, _, _ in entries)
    if record["state"] == "staging":
        for target, _, _ in entries:
            _staged(target).unlink(missing_ok=True)
        journal.unlink()
        done = (
            f"a write of {names} was interrupted before it changed them (started "
            f"{record['started']}); they are as they were before it, and its unfinished "
            "copies are removed"
        )
    else:
        plan = []
        for target, digest, before in entries:
            now = _digest_of(target)
            if now == digest:
                continue  # renamed before the interruption
            if now != before or _digest_of(_staged(target)) != digest:
                raise ChartaError(
                    f"a write of {names} was interrupted (started {record['started']}), and "
                    f"{target.name} has been changed since, so charta cannot complete it: "
                    f"check the files, then remove {journal.name}",
                    location=Location(file=str(journal)),
                    rule=rules.TORN_PAIR,
                )
            plan.append(target)
        for target in plan:  # only when every file can be completed
            os.replace(_staged(target), target)
        _sync_folders([target.parent for target, _, _ in entries])
        journal.unlink()
        done = (
            f"a write of {names} was interrupted (started {record['started']}); charta "
            "completed it: both are now as that command wrote them"
        )
    _sync_folders([folder])
    return done


def _relative(target: Path, folder: Path) -> str:
    """``target`` relative to ``folder`` (the charta may be a link into another
    folder), or absolute where no relative path leads (another drive)."""
    try:
        return os.path.relpath(target, folder)
    except ValueError:  # pragma: no cover - Windows, another drive
        return os.path.abspath(target)


def _read_journal(raw: bytes, journal: Path) -> dict[str, Any]:
    try:
        record = json.loads(raw)
        ok = (
            record["format"] == JOURNAL_FORMAT
            and record["state"] in ("staging", "commit")
            and isinstance(record["started"], str)
            and isinstance(record["files"], list)
            and all(
                isinstance(e["file"], str)
                and e["file"].strip(". /\\")
                and "\0" not in e["file"]
                and isinstance(e["sha256"], str)
                and (e["before"] is None or isinstance(e["before"], str))
                for e in record["files"]
            )
        )
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise ChartaError(
            "this is not a journal charta can read (damaged, or of a later charta?); "
            "check the charta and its personal-data file, then remove it",
            location=Location(file=str(journal)),
            rule=rules.TORN_PAIR,
        )
    return record  # type: ignore[no-any-return]


def _write_journal(journal: Path, record: dict[str, Any]) -> None:
    staged = journal.with_name(journal.name + ".tmp")
    _write_synced(staged, json.dumps(record, indent=1).encode("utf-8"), 0o644)
    os.replace(staged, journal)


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    # O_BINARY: on Windows os.open writes text mode, "\n" as "\r\n", otherwise
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)


def _sync_folders(folders: Sequence[Path]) -> None:
    """Make the renames in ``folders`` durable (POSIX; Windows has no folder handle)."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        return
    for folder in dict.fromkeys(os.path.abspath(f) for f in folders):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _digest_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@contextlib.contextmanager
def _deferred_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP wait until the block is done, then end the process."""
    caught: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    with _on_signals(handler):
        yield
    if caught:
        raise SystemExit(128 + caught[0])
