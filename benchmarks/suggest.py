"""How well `charta suggest` finds the links recorded in the Sindelfingen example.

The example's derivations are stripped, the principles are suggested back
against both built-in sources, and the suggestions are compared with the
recorded links (which are themselves a record-keeper's reading, mostly
"inferred"):

- precision@k: of the top k suggestions for each principle, how many are
  recorded links (summed over principles);
- recall@k: of the recorded links, how many are among the top k;
- hit@k: principles with at least one recorded link among their top k.

In the same run: the ranking with stems but no compound parts, and a
baseline without stemming and compound splitting (plain lower-cased words),
to show what each part of the German analysis adds.

Usage: python benchmarks/suggest.py
"""

from __future__ import annotations

import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"


def main() -> None:
    from charta.check.loading import get_source, open_charta
    from charta.derive import suggest as sg

    town = open_charta(str(EXAMPLE))
    truth = {
        item.id: {str(attrs.evolve(d.ref, edition=None)) for d in item.derived_from}
        for item in town.walk()
    }
    stripped = attrs.evolve(town, items=tuple(attrs.evolve(i, derived_from=()) for i in town.items))
    sources = [get_source("smart-city-charta"), get_source("digitalakademie-bw")]

    def measure(name: str) -> None:
        start = time.perf_counter()
        found = sg.suggest(stripped, sources, top=3)
        took = time.perf_counter() - start
        print(f"{name}  ({took * 1000:.0f} ms)")
        links = sum(len(v) for v in truth.values())
        for k in (1, 3):
            right = sum(1 for item, ss in found.items() for s in ss[:k] if s.source in truth[item])
            hits = sum(
                1 for item, ss in found.items() if any(s.source in truth[item] for s in ss[:k])
            )
            shown = sum(len(ss[:k]) for ss in found.values())
            print(
                f"  top-{k}: precision {right}/{shown} = {right / shown:.2f}, "
                f"recall {right}/{links} = {right / links:.2f}, "
                f"principles hit {hits}/{len(found)}"
            )

    measure("German analysis (stems, compound parts, BM25, title x2)")
    plain_stem = sg._Analyser.stem
    plain_parts = sg._Analyser._parts
    sg._Analyser._parts = lambda self, word: []  # type: ignore[method-assign]
    try:
        measure("stems only, no compound parts")
    finally:
        sg._Analyser._parts = plain_parts  # type: ignore[method-assign]
    sg._Analyser.stem = lambda self, word: word  # type: ignore[method-assign]
    sg._Analyser._parts = lambda self, word: []  # type: ignore[method-assign]
    try:
        measure("baseline: plain words, no stemming, no compound parts")
    finally:
        sg._Analyser.stem = plain_stem  # type: ignore[method-assign]
        sg._Analyser._parts = plain_parts  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
