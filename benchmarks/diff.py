"""Speed of `charta diff`, measured side by side in one run.

A  `charta diff EXAMPLE` (against both sources)  beside  `charta validate EXAMPLE`
   goal: A / validate <= 1.3
B  `charta diff EXAMPLE --before-consultation` (the version diff of Leitmotiv 2)
   beside `redlines compare OLD NEW` on the same two texts of Leitmotiv 2
   goal: B / redlines <= 0.6 (redlines is installed into a venv of its own,
   in the system's temporary folder, never into charta's)
C  1,000 generated chartas of 10-20 principles, each diffed against both
   sources through the library, in one process on one core: chartas per
   second (goal: >= 500) and peak memory

Commands run as a user runs them (fresh processes, interleaved); the figures
are medians.  Usage: python benchmarks/diff.py [--runs N] [--chartas N]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
REDLINES_VENV = Path(tempfile.gettempdir()) / "charta-bench-redlines"


def charta_command() -> list[str]:
    script = Path(sys.executable).parent / "charta"
    return [str(script)] if script.exists() else [sys.executable, "-m", "charta"]


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()}")
    return elapsed


def side_by_side(a: list[str], b: list[str], runs: int) -> tuple[float, float]:
    once(a), once(b)  # warm the file cache
    ta, tb = [], []
    for _ in range(runs):
        ta.append(once(a))
        tb.append(once(b))
    return statistics.median(ta), statistics.median(tb)


def redlines() -> list[str] | None:
    exe = REDLINES_VENV / "bin" / "redlines"
    if not exe.exists():
        print(f"installing redlines into {REDLINES_VENV} (for this benchmark only) ...")
        subprocess.run([sys.executable, "-m", "venv", str(REDLINES_VENV)], check=True)
        done = subprocess.run(
            [str(REDLINES_VENV / "bin" / "pip"), "install", "-q", "redlines", "typing_extensions"],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0 or not exe.exists():
            print("redlines could not be installed: comparison B skipped")
            return None
    return [str(exe), "compare"]


def generated(n: int, seed: int = 5) -> list[object]:
    """``n`` chartas of 10-20 principles with links to both built-in sources."""
    import charta
    from charta.model import Assertion, Confidence, Derivation, Item, Reference, Relation

    rng = random.Random(seed)
    scc = [i.id for i in charta.get_source("smart-city-charta").walk()]
    dabw = [i.id for i in charta.get_source("digitalakademie-bw").walk()]
    base = charta.load(EXAMPLE)
    out = []
    for k in range(n):
        items = []
        for j in range(rng.randint(10, 20)):
            links = tuple(
                Derivation(
                    ref=Reference(charta=src, item=rng.choice(pool)),
                    relation=rng.choice(list(Relation)),
                    confidence=rng.choice(list(Confidence)),
                    asserted_by=rng.choice(list(Assertion)),
                )
                for src, pool in (("smart-city-charta", scc), ("digitalakademie-bw", dabw))
                if rng.random() < 0.7
            )
            items.append(
                Item(
                    id=f"p{j}", title=f"Prinzip {j}", text="Die Stadt handelt.", derived_from=links
                )
            )
        out.append(charta.Charta(**{**_fields(base), "id": f"town-{k}", "items": tuple(items)}))
    return out


def _fields(c: object) -> dict[str, object]:
    import attrs

    return {a.name: getattr(c, a.name) for a in attrs.fields(type(c)) if a.name != "location"}


def bulk(n: int) -> tuple[float, float]:
    import charta
    from charta.diff import against_sources

    towns = generated(n)
    sources = [charta.get_source("smart-city-charta"), charta.get_source("digitalakademie-bw")]
    # Timed without tracemalloc (it slows Python down about twice), then traced.
    start = time.perf_counter()
    for town in towns:
        against_sources(town, sources)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    for town in towns:
        against_sources(town, sources)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return n / elapsed, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--chartas", type=int, default=1000)
    args = parser.parse_args()
    charta_cmd = charta_command()

    diff_t, validate_t = side_by_side(
        [*charta_cmd, "diff", str(EXAMPLE)],
        [*charta_cmd, "validate", "-q", str(EXAMPLE)],
        args.runs,
    )
    print(f"A  charta diff (against both sources)  median {diff_t * 1000:7.1f} ms")
    print(f"   charta validate                     median {validate_t * 1000:7.1f} ms")
    print(f"   ratio {diff_t / validate_t:.2f}  (goal: <= 1.3)")

    red = redlines()
    if red is not None:
        import charta
        from charta.diff import before_consultation

        town = charta.load(EXAMPLE)
        old = before_consultation(town).item("vorne-dabei")
        new = town.item("vorne-dabei")
        assert old is not None
        assert new is not None
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Path(tmp) / "old.txt", Path(tmp) / "new.txt"
            a.write_text(old.text, encoding="utf-8")
            b.write_text(new.text, encoding="utf-8")
            ours, theirs = side_by_side(
                [*charta_cmd, "diff", str(EXAMPLE), "--before-consultation"],
                [*red, str(a), str(b)],
                args.runs,
            )
        print(f"B  charta diff --before-consultation   median {ours * 1000:7.1f} ms")
        print(f"   redlines compare (same two texts)   median {theirs * 1000:7.1f} ms")
        print(f"   ratio {ours / theirs:.2f}  (goal: <= 0.6)")

    rate, peak = bulk(args.chartas)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"C  {args.chartas} generated chartas against both sources, one process:")
    print(f"   {rate:.0f} chartas per second (goal: >= 500)")
    print(
        f"   peak memory: {peak * 1024:.0f} KiB traced while diffing; "
        f"{rss:.0f} MiB resident for the whole process (chartas generated in memory)"
    )


if __name__ == "__main__":
    main()
