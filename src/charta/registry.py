"""Where source chartas come from: package data, entry points, file paths.

A package adds source chartas by declaring, in its ``pyproject.toml``::

    [project.entry-points."charta.sources"]
    datenstrategien = "my_package.chartas"

The entry point's name is the source id; its value names a package that
holds ``<id>.toml`` as package data.  charta's own sources are registered the
same way.  Nothing is imported or read until a source is asked for.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from charta.adapters.toml import load, parse
from charta.errors import ChartaError
from charta.model import ID_PATTERN, Charta, Location, is_path

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["ENTRY_POINT_GROUP", "Registry", "SourceEntry", "default_registry"]

ENTRY_POINT_GROUP = "charta.sources"
BUILTIN_PACKAGE = "charta.sources"


@attrs.frozen
class SourceEntry:
    """A registered source: its id and the package that holds ``<id>.toml``."""

    id: str
    package: str
    distribution: str = ""
    """The distribution that registered it (``charta`` for the built-ins)."""

    def read_text(self) -> str:
        resource = _package_file(self.package, f"{self.id}.toml")
        try:
            return resource.read_text(encoding="utf-8")
        except (OSError, ModuleNotFoundError) as exc:
            raise ChartaError(
                f"source '{self.id}' is registered by {self.distribution or self.package} "
                f"but its file {self.package}/{self.id}.toml cannot be read ({exc}); "
                "reinstall that package"
            ) from None

    @property
    def origin(self) -> str:
        """A name for messages and locations: ``charta.sources/smart-city-charta.toml``."""
        return f"{self.package}/{self.id}.toml"


class Registry:
    """Looks up source chartas by id and loads charta files by path, once each."""

    def __init__(self, entries: dict[str, SourceEntry] | None = None) -> None:
        self._entries = entries
        self._loaded: dict[str, Charta] = {}
        self._files: dict[str, Charta] = {}

    @property
    def entries(self) -> dict[str, SourceEntry]:
        if self._entries is None:
            self._entries = _discover()
        return self._entries

    def ids(self) -> list[str]:
        return sorted(self.entries)

    def __iter__(self) -> Iterator[Charta]:
        return (self.get(i) for i in self.ids())

    def get(self, source_id: str) -> Charta:
        """The registered source charta ``source_id``, loaded and checked."""
        cached = self._loaded.get(source_id)
        if cached is not None:
            return cached
        entry = self._builtin(source_id) or self.entries.get(source_id)
        if entry is None:
            raise ChartaError(_unknown(source_id, self.ids()))
        charta = parse(entry.read_text(), entry.origin).charta
        if charta.id != source_id:
            raise ChartaError(
                f"registered as '{source_id}' but its id is '{charta.id}'",
                location=Location(("id",), entry.origin),
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
        if self._entries is not None or not ID_PATTERN.match(source_id):
            return None
        if _package_file(BUILTIN_PACKAGE, f"{source_id}.toml").is_file():
            return SourceEntry(source_id, BUILTIN_PACKAGE, "charta")
        return None

    def resolve(self, charta: str, base: str | os.PathLike[str] | None = None) -> Charta:
        """A charta by source id or by path (relative to ``base``, the referring file)."""
        if not is_path(charta):
            return self.get(charta)
        path = resolve_path(charta, base)
        # A file may be edited while a program runs: the cache is keyed by its
        # modification time and size as well as its path, so an edit is seen.
        try:
            stat = path.stat()
            key = f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}"
        except OSError:
            return load(path)  # raises the clear error for a missing file
        cached = self._files.get(key)
        if cached is None:
            cached = self._files[key] = load(path)
        return cached


def resolve_path(charta: str, base: str | os.PathLike[str] | None) -> Path:
    """A referenced file's path, relative to the directory of the referring file."""
    path = Path(charta)
    if not path.is_absolute() and base is not None:
        path = Path(base).parent / path
    return Path(os.path.normpath(path))


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
    from importlib.resources import files

    return files(package) / name


def _unknown(source_id: str, known: list[str]) -> str:
    from difflib import get_close_matches  # only on the error path

    close = get_close_matches(source_id, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (
        f"unknown source '{source_id}'; {hint}known sources: {', '.join(known) or 'none'}. "
        "A file path works too (it must contain '/' or end in .toml)"
    )


def _discover() -> dict[str, SourceEntry]:
    from importlib.metadata import entry_points  # costly; only when listing or for plug-ins

    found: dict[str, SourceEntry] = {}
    # Built-ins first, so that the same id from another package never replaces them.
    eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.value != BUILTIN_PACKAGE)
    for ep in eps:
        dist = ep.dist.name if ep.dist is not None else ""
        # The first registration of an id wins; a later one from another
        # package cannot silently replace a built-in.
        found.setdefault(ep.name, SourceEntry(ep.name, ep.value, dist))
    return found


@functools.cache
def default_registry() -> Registry:
    """The registry of installed sources, shared by the CLI and ``charta.get_source``."""
    return Registry()
