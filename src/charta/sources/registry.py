"""Where source chartas come from: package data, entry points, file paths.

A package adds source chartas by declaring, in its ``pyproject.toml``::

    [project.entry-points."charta.sources"]
    datenstrategien = "my_package.chartas"

The entry point's name is the source id; its value names a package that
holds ``<id>.toml`` as package data.  charta's own sources are registered the
same way.  Nothing is imported or read until a source is asked for.

The registry finds and loads (bytes, syntax, shape); it does not check
meaning.  :mod:`charta.check.loading` holds the policy that a source must pass
the meaning checks before a town's references may use it.
"""

from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from charta import rules
from charta.adapters.toml import load, read_data
from charta.errors import ChartaError
from charta.hints import did_you_mean
from charta.model import Charta, Location, Value, is_id, is_path
from charta.references import resolve_path

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["ENTRY_POINT_GROUP", "Registry", "SourceEntry", "default_registry"]

ENTRY_POINT_GROUP = "charta.sources"
BUILTIN_PACKAGE = "charta.sources"


@attrs.frozen(repr=False)
class SourceEntry(Value):
    """A registered source: its id and the package that holds ``<id>.toml``."""

    id: str
    package: str
    distribution: str = ""
    """The distribution that registered it (``charta`` for the built-ins)."""

    def read_bytes(self) -> bytes:
        resource = _package_file(self.package, f"{self.id}.toml")
        try:
            return resource.read_bytes()
        except (OSError, ModuleNotFoundError) as exc:
            raise ChartaError(
                f"source '{self.id}' is registered by {self.distribution or self.package} "
                f"but its file {self.package}/{self.id}.toml cannot be read ({exc}); "
                "reinstall that package",
                rule=rules.CANNOT_READ,
            ) from None

    @property
    def origin(self) -> str:
        """A name for messages and locations: ``charta.sources/smart-city-charta.toml``."""
        return f"{self.package}/{self.id}.toml"


class Registry:
    """Finds source chartas by id and charta files by path, and reads each once.

    Implements :class:`charta.references.Resolver`.  What it returns has
    passed the bytes, syntax and shape checks, not the meaning checks.
    """

    def __init__(self, entries: dict[str, SourceEntry] | None = None) -> None:
        self._entries = entries
        self._loaded: dict[str, Charta] = {}
        self._files: dict[str, Charta] = {}
        self._failed: dict[str, ChartaError] = {}
        self.conflicts: list[str] = []
        """Ids registered by more than one package, worded for a person."""

    @property
    def entries(self) -> dict[str, SourceEntry]:
        if self._entries is None:
            self._entries, self.conflicts = _discover()
        return self._entries

    def ids(self) -> list[str]:
        return sorted(self.entries)

    def get(self, source_id: str) -> Charta:
        """The registered source charta ``source_id``, read (shape-checked)."""
        cached = self._loaded.get(source_id)
        if cached is not None:
            return cached
        failed = self._failed.get(source_id)
        if failed is not None:
            raise failed  # a broken source is read once, not once per reference
        try:
            return self._get(source_id)
        except ChartaError as exc:
            self._failed[source_id] = exc
            raise

    def _get(self, source_id: str) -> Charta:
        entry = self._builtin(source_id) or self.entries.get(source_id)
        if entry is None:
            raise ChartaError(_unknown(source_id, self.ids()), rule=rules.UNRESOLVED)
        charta = read_data(entry.read_bytes(), entry.origin).charta
        if charta.id != source_id:
            raise ChartaError(
                f"registered as '{source_id}' but its id is '{charta.id}'",
                location=Location(("id",), entry.origin),
                rule=rules.UNRESOLVED,
            )
        self._loaded[source_id] = charta
        return charta

    def _builtin(self, source_id: str) -> SourceEntry | None:
        """A built-in source without scanning every installed distribution.

        Built-ins are declared as entry points like any other source, and
        ``charta sources`` lists them from there; looking them up here first
        saves ``charta validate`` the import of importlib.metadata (~15 ms of
        a ~100 ms start) and keeps a third-party package from replacing them.
        """
        if self._entries is not None or not is_id(source_id):
            return None
        if _package_file(BUILTIN_PACKAGE, f"{source_id}.toml").is_file():
            return SourceEntry(source_id, BUILTIN_PACKAGE, "charta")
        return None

    def resolve(self, name: str, base: str | os.PathLike[str] | None = None) -> Charta:
        """A charta by source id or by path (relative to ``base``, the referring file)."""
        if not is_path(name):
            return self.get(name)
        path = resolve_path(name, base)
        # A file may be edited while a program runs: the cache is keyed by its
        # modification time and size as well as its path, so an edit is seen.
        try:
            stat = path.stat()
            key = f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}"
        except FileNotFoundError:
            # as load() says it, without its further look at a file that is not there
            raise ChartaError(
                "no such file", location=Location(file=str(path)), rule=rules.NO_SUCH_FILE
            ) from None
        except (OSError, ValueError):
            return load(path)  # raises the clear error
        cached = self._files.get(key)
        if cached is None:
            cached = self._files[key] = load(path)
        return cached


def _package_file(package: str, name: str) -> Traversable:
    """A data file of a package.

    A package installed as a folder is read directly; importlib.resources
    (which costs ~8 ms to import, a tenth of the start-up) is used only for
    packages it takes, such as one inside a zip file.
    """
    module = importlib.import_module(package)
    locations = getattr(module.__spec__, "submodule_search_locations", None) or []
    for folder in locations:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    from importlib.resources import files  # lazy: only for a package not installed as a folder

    return files(package) / name


def _unknown(source_id: str, known: list[str]) -> str:
    hint = did_you_mean(source_id, known, style="did you mean '{}'? ")
    return (
        f"unknown source '{source_id}'; {hint}known sources: {', '.join(known) or 'none'}. "
        "A file path works too (it must contain '/' or end in .toml)"
    )


def _discover() -> tuple[dict[str, SourceEntry], list[str]]:
    """The registered sources, and a note for each id registered more than once."""
    # lazy: costly; only when listing or for plug-ins
    from importlib.metadata import entry_points

    found: dict[str, SourceEntry] = {}
    conflicts: list[str] = []
    # Built-ins first, so that the same id from another package never replaces them.
    eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.value != BUILTIN_PACKAGE)
    for ep in eps:
        entry = SourceEntry(ep.name, ep.value, ep.dist.name if ep.dist is not None else "")
        first = found.setdefault(ep.name, entry)
        if first is not entry and first.package != entry.package:
            conflicts.append(
                f"source '{ep.name}' is registered by {first.distribution or first.package} "
                f"and by {entry.distribution or entry.package}; using the first"
            )
    return found, conflicts


@functools.cache
def default_registry() -> Registry:
    """The registry of installed sources, shared by the CLI and ``charta.get_source``."""
    return Registry()
