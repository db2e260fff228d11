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
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from charta.adapters.toml import load, parse
from charta.errors import ChartaError, Severity, ValidationError
from charta.model import ID_PATTERN, Charta, Item, Location, Reference, Value, is_path

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "ENTRY_POINT_GROUP",
    "Registry",
    "SourceEntry",
    "default_registry",
    "did_you_mean",
    "find_item",
    "short_path",
]

ENTRY_POINT_GROUP = "charta.sources"
BUILTIN_PACKAGE = "charta.sources"


@attrs.frozen(repr=False)
class SourceEntry(Value):
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
        """The registered source charta ``source_id``, loaded and checked."""
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
            raise ChartaError(_unknown(source_id, self.ids()))
        charta = parse(entry.read_text(), entry.origin).charta
        if charta.id != source_id:
            raise ChartaError(
                f"registered as '{source_id}' but its id is '{charta.id}'",
                location=Location(("id",), entry.origin),
            )
        # Cached before the check, so that two sources referring to each other
        # do not load each other forever.
        self._loaded[source_id] = charta
        from charta.validate import check  # validate builds on this module

        problems = check(charta, registry=self)
        if any(p.severity is Severity.ERROR for p in problems):
            del self._loaded[source_id]
            raise ValidationError(problems)
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

    def lookup(
        self,
        ref: Reference,
        *,
        base: str | os.PathLike[str] | None = None,
        here: Charta | None = None,
    ) -> tuple[Charta, Item | None]:
        """The charta and item ``ref`` points at.

        ``base`` is the file holding the reference (relative paths start from
        its folder); ``here`` the charta holding it (for ``#item``).  Raises
        :class:`ChartaError` whose message says why it does not resolve.
        """
        if ref.charta is None:
            if here is None:
                raise ChartaError("'#item' needs the charta it belongs to")
            target = here
        else:
            try:
                target = self.resolve(ref.charta, base)
            except ChartaError as exc:
                raise ChartaError(_why_not(ref.charta, base, exc)) from None
        return target, find_item(target, ref)


def find_item(target: Charta, ref: Reference) -> Item | None:
    """The item of ``target`` that ``ref`` names (``None`` for the whole charta).

    Checks the edition: it must be the one recorded, or a recorded edition
    with the same items.  Raises :class:`ChartaError` saying what is wrong.
    """
    name = "this charta" if ref.charta is None else f"'{target.id}'"
    if ref.edition and ref.edition != target.edition:
        record = target.edition_record(ref.edition)
        if record is None:
            known = [e.id for e in target.editions] or [target.edition]
            recorded = ", ".join(k for k in known if k) or "none"
            raise ChartaError(f"{name} has no edition '{ref.edition}' (recorded: {recorded})")
        if ref.item is not None and not record.same_items:
            raise ChartaError(
                f"the items of edition {ref.edition} are not recorded (only those of "
                f"{target.edition}); refer to '{ref.charta}@{target.edition}#{ref.item}'"
            )
    if ref.item is None:
        return None
    item = target.item(ref.item)
    if item is None:
        raise ChartaError(
            f"{name} has no item '{ref.item}'"
            f"{did_you_mean(ref.item, [i.id for i in target.walk()])}"
        )
    return item


def did_you_mean(word: str, candidates: list[str]) -> str:
    """`` (did you mean 'x'?)`` when a candidate is close, else nothing."""
    from difflib import get_close_matches  # only on the error path

    close = get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _why_not(charta: str, base: str | os.PathLike[str] | None, exc: ChartaError) -> str:
    if not is_path(charta):
        return exc.message
    path = short_path(str(resolve_path(charta, base)))
    errors = [p for p in exc.problems if p.severity is Severity.ERROR]
    if len(errors) > 1 or (errors and errors[0].location.keys):
        return (
            f"{path} has {len(errors)} problem{'s' if len(errors) != 1 else ''} "
            f"(first: {errors[0].message}); run 'charta validate {path}'"
        )
    return f"{path}: {exc.message}"


def short_path(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


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


def _discover() -> tuple[dict[str, SourceEntry], list[str]]:
    """The registered sources, and a note for each id registered more than once."""
    from importlib.metadata import entry_points  # costly; only when listing or for plug-ins

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
