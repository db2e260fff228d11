"""Where sources come from: built-ins, entry points, file paths."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pytest

from charta.errors import ChartaError
from charta.sources.registry import ENTRY_POINT_GROUP, Registry, SourceEntry


def test_builtins_are_registered_as_entry_points() -> None:
    # The same mechanism third parties use: `charta sources` lists from it.
    entries = Registry().entries
    assert entries["smart-city-charta"] == SourceEntry(
        "smart-city-charta", "charta.sources", "charta"
    )
    assert entries["digitalakademie-bw"].package == "charta.sources"


def test_builtin_lookup_without_scanning_gives_the_same_charta() -> None:
    fast = Registry()
    scanned = Registry()
    scanned.entries  # noqa: B018 -- force the entry-point scan first
    assert fast.get("smart-city-charta") == scanned.get("smart-city-charta")
    assert fast._entries is None  # the fast path did not scan


def test_unknown_source_names_the_known_ones() -> None:
    with pytest.raises(ChartaError) as info:
        Registry().get("smart-city-chart")
    message = info.value.message
    assert "did you mean 'smart-city-charta'?" in message
    assert "digitalakademie-bw" in message


def test_an_id_registered_twice_keeps_the_builtin_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = [
        EntryPoint("smart-city-charta", "other_pkg.chartas", ENTRY_POINT_GROUP),
        EntryPoint("smart-city-charta", "charta.sources", ENTRY_POINT_GROUP),
        EntryPoint("datenstrategien", "other_pkg.chartas", ENTRY_POINT_GROUP),
    ]

    def fake(**kwargs: Any) -> list[EntryPoint]:
        assert kwargs == {"group": ENTRY_POINT_GROUP}
        return points

    monkeypatch.setattr("importlib.metadata.entry_points", fake)
    registry = Registry()
    assert registry.entries["smart-city-charta"].package == "charta.sources"
    assert registry.entries["datenstrategien"].package == "other_pkg.chartas"
    [conflict] = registry.conflicts
    assert "'smart-city-charta' is registered by" in conflict
    assert "using the first" in conflict
