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
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from types import FrameType

from charta import rules
from charta.errors import ChartaError
from charta.model import Location

if sys.platform == "win32":  # pragma: no cover - the writers' lock on Windows
    import msvcrt
else:
    import fcntl

__all__ = ["LOCK_TIMEOUT", "lock_path", "write_atomic", "writer_lock"]


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
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(signum)

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
