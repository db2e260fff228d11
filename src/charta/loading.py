"""Read, check and write chartas: the functions behind ``charta.load`` and friends."""

from __future__ import annotations

import os

from charta.adapters import toml
from charta.errors import ValidationError
from charta.model import Charta
from charta.registry import Registry, default_registry
from charta.validate import Report, validate_file, validate_text

__all__ = ["dumps", "get_source", "load", "loads", "source_ids", "validate"]


def load(
    path: str | os.PathLike[str], *, check: bool = True, registry: Registry | None = None
) -> Charta:
    """Read a charta file.

    With ``check`` (the default) the meaning is checked too: references
    resolve, ids are unique, the revision history connects.  Raises
    :class:`~charta.errors.ChartaError` (a :class:`~charta.errors.ValidationError`
    listing every problem) for bad input.
    """
    if not check:
        return toml.load(path)
    return _raise_on_errors(validate_file(path, registry))


def loads(
    text: str,
    *,
    file: str | os.PathLike[str] | None = None,
    check: bool = True,
    registry: Registry | None = None,
) -> Charta:
    """Read a charta from TOML text; ``file`` names it in messages and anchors relative paths."""
    name = os.fspath(file) if file is not None else None
    if not check:
        return toml.loads(text, file=name)
    return _raise_on_errors(validate_text(text, name, registry))


def _raise_on_errors(report: Report) -> Charta:
    if report.errors or report.charta is None:
        raise ValidationError(report.problems)
    return report.charta


def dumps(charta: Charta) -> str:
    """The canonical TOML of a charta: ``loads(dumps(c)) == c``."""
    return toml.dumps(charta)


def validate(path: str | os.PathLike[str], registry: Registry | None = None) -> Report:
    """Check a charta file and return every problem found; never raises for bad input."""
    return validate_file(path, registry)


def get_source(source_id: str) -> Charta:
    """A built-in or installed source charta by id, e.g. ``get_source("smart-city-charta")``."""
    return default_registry().get(source_id)


def source_ids() -> list[str]:
    """The ids of all installed source chartas."""
    return default_registry().ids()
