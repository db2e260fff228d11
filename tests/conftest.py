"""Shared fixtures.

Keep each fixture small and self-contained; new groups of fixtures go in
their own section at the end of this file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The commands that tests start as processes (the writers' lock, the journal's
# kills, the example scripts) keep their compiled modules: with
# PYTHONDONTWRITEBYTECODE set, as on CI machines, each of the ~150 processes
# compiled charta anew (0.46 s a command instead of 0.28 s).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# --------------------------------------------------------------------------
# Charta texts

MINIMAL_TOML = """\
format = 1
id = "minimal"
title = "Minimal"
kind = "source"
status = "draft"

[issuer]
body = "Stadt Musterstadt"
"""
"""The smallest valid charta: every required key, nothing else."""


@pytest.fixture
def minimal_toml() -> str:
    """The smallest valid charta text (LF line ends, UTF-8 safe)."""
    return MINIMAL_TOML


# --------------------------------------------------------------------------
# Files

WriteFile = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """``write(content, name="charta.toml") -> Path``: put text or bytes in ``tmp_path``.

    Text is written as UTF-8 exactly as given (no newline translation), bytes
    as they are.  ``name`` may contain folders; they are created.
    """

    def _write(content: str | bytes, name: str = "charta.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path.write_bytes(data)
        return path

    return _write


# --------------------------------------------------------------------------
# Golden files


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Write the golden files from the current output instead of comparing.",
    )


GOLDEN = Path(__file__).parent / "golden"

Golden = Callable[[str, str], None]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """``golden(name, text)``: compare ``text`` with ``tests/golden/NAME`` (or write it).

    Run ``pytest --update-goldens`` after a deliberate change of an output,
    then read the diff of the golden files before committing them.
    """
    update = bool(request.config.getoption("--update-goldens"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                # Atomic: with parallel workers, nobody reads a half-written file.
                part = path.with_name(f"{path.name}.{os.getpid()}.part")
                part.write_text(text, encoding="utf-8", newline="\n")
                part.replace(path)
            return
        assert path.is_file(), f"no golden file {path}: run pytest --update-goldens"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file (pytest --update-goldens)"

    return check


# --------------------------------------------------------------------------
# Isolation: each test process (one per xdist worker) has its own caches


_CACHE_HOME = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates go to a cache folder of this process, not ``~/.cache``.

    Set before collection, since some modules render when imported; the
    ``charta`` subprocesses that tests start inherit it.  Tests of the cache
    itself set ``XDG_CACHE_HOME`` to their own ``tmp_path``.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder = tempfile.mkdtemp(prefix=f"charta-tests-{worker}-")
    config.stash[_CACHE_HOME] = (folder, os.environ.get("XDG_CACHE_HOME"))
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = config.stash.get(_CACHE_HOME, (None, None))
    if folder is None:
        return
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
    shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------
# Hypothesis profiles
#
# "fast" is loaded by default and is what ``bash scripts/test`` and CI run.
# "fuzz" is the long nightly run: ``pytest --hypothesis-profile=fuzz``.
# A property test sets only what is its own (deadline, health checks); the
# number of examples comes from the profile.  A test whose examples are much
# cheaper or dearer than most scales it, ``N * settings.default.max_examples``
# or ``settings.default.max_examples // N``: read when its module is imported,
# i.e. after the profile is loaded.
#
# No deadline: on a loaded 2-core machine with one worker per core, timing
# says nothing about the code.  Not derandomized: each run draws new examples
# (the fuzz profile is not the only one that explores); a failure prints the
# blob that reproduces it (@reproduce_failure), and the seed.

settings.register_profile(
    "fast",
    max_examples=50,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=1_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("fast")  # --hypothesis-profile=NAME loads NAME after this
