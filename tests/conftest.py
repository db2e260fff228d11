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
