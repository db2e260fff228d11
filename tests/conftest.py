"""Shared fixtures.

Keep each fixture small and self-contained; new groups of fixtures go in
their own section at the end of this file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.is_file(), f"no golden file {path}: run pytest --update-goldens"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file (pytest --update-goldens)"

    return check
