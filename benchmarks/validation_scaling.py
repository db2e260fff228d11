"""Validation time against file size, for the input families fuzzing found slow.

Each family is a file built to stress one part of the checker:
  bad-refs        N derivations to items that do not exist
  bad-causes      N caused-by ids that name no comment
  bad-responses   N responses to comments that do not exist
  long-name       a valid file whose commenter's name has N words
  ref-chain       N items, each derived from the next (no cycle)
  unknown-keys    N unknown top-level keys
  digit-runs      N comment lines of 4,300 digits before a number too long for int()
  long-ids        N items with 2,000-character ids, and 60 references that miss
For two sizes N and 3N (and 10N where cheap) it runs `charta validate -q FILE`
as a user does (a fresh process each time), takes the median of a few runs,
and prints seconds, file size, peak memory of the process, and the ratio of
times between sizes: about 3 for linear work, about 9 for quadratic.

Usage: python benchmarks/validation_scaling.py [--runs N] [--scale K]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HEAD = """format = 1
id = "town"
title = "Leitmotive"
kind = "local"
status = "draft"
{top}
[issuer]
body = "Stadt Musterstadt"
"""


def items(n: int) -> str:
    return "".join(f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n' for i in range(n))


def bad_refs(n: int) -> str:
    refs = "".join(
        f'\n[[items.derived-from]]\nref = "#fehlt-{i}"\nrelation = "adapted"\nconfidence = "low"\n'
        for i in range(n)
    )
    return HEAD.format(top="") + items(n) + refs


def bad_causes(n: int) -> str:
    causes = ", ".join(f'"k-{i}"' for i in range(n))
    return (
        HEAD.format(top="")
        + items(n)
        + 'text = "v2"\n\n[[items.revisions]]\nfield = "text"\nbefore = "v1"\nafter = "v2"\n'
        + f"caused-by = [{causes}]\n"
    )


def bad_responses(n: int) -> str:
    responses = "".join(
        f'\n[[consultation.responses]]\nid = "r-{i}"\ncomment = "k-{i}"\nby = "Amt"\n'
        'decision = "noted"\ntext = "Danke."\n'
        for i in range(n)
    )
    return HEAD.format(top="") + items(n) + "\n[consultation]\n" + responses


def long_name(n: int) -> str:
    name = " ".join(f"Wort{i}" for i in range(n))
    text = " ".join(f"satz{i}" for i in range(n))
    return (
        HEAD.format(top="")
        + items(1)
        + '\n[consultation]\n\n[[consultation.comments]]\nid = "c-1"\ntarget = "#p-0"\n'
        + 'text = "Bildung fehlt."\n\n[consultation.comments.commenter]\n'
        + f'name = "{name}"\npseudonym = "Bürger A"\n'
        + '\n[[consultation.responses]]\nid = "r-1"\ncomment = "c-1"\nby = "Amt"\n'
        + f'decision = "noted"\ntext = "{text}"\n'
    )


def ref_chain(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "a{i}"\ntitle = "A{i}"\n'
        + (
            f'\n[[items.derived-from]]\nref = "#a{i + 1}"\nrelation = "adapted"\n'
            'confidence = "low"\n'
            if i + 1 < n
            else ""
        )
        for i in range(n)
    )
    return HEAD.format(top="") + body


def digit_runs(n: int) -> str:
    """N comment lines of 4,300 digits, then one number too long for Python's int()."""
    comments = "".join(f"# {'1' * 4300}\n" for _ in range(n))
    return comments + HEAD.format(top="declared-count = " + "9" * 4400) + items(1)


def long_ids(n: int) -> str:
    """N items with 2,000-character ids and 60 references to ids that do not exist."""
    long = "x" * 2000
    body = "".join(f'\n[[items]]\nid = "{long}-{i}"\ntitle = "T"\n' for i in range(n))
    refs = "".join(
        f'\n[[items.derived-from]]\nref = "#{long}-fehlt-{i}"\nrelation = "adapted"\n'
        'confidence = "low"\n'
        for i in range(60)
    )
    return HEAD.format(top="") + body + refs


def unknown_keys(n: int) -> str:
    return HEAD.format(top="".join(f"k{i} = 1\n" for i in range(n))) + items(1)


FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    "bad-refs": (bad_refs, 3000),
    "bad-causes": (bad_causes, 3000),
    "bad-responses": (bad_responses, 3000),
    "long-name": (long_name, 10_000),
    "ref-chain": (ref_chain, 3000),
    "unknown-keys": (unknown_keys, 30_000),
    "digit-runs": (digit_runs, 100),
    "long-ids": (long_ids, 100),
}


def charta_command() -> list[str]:
    script = Path(sys.executable).parent / "charta"
    return [str(script)] if script.exists() else [sys.executable, "-m", "charta"]


def run(path: Path) -> tuple[float, int]:
    """Seconds and the peak resident memory (KiB) of one `charta validate`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*charta_command(), "validate", "-q", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(proc.pid, 0)  # this child's own peak, not all children's
    elapsed = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    args = parser.parse_args()
    print(f"{'family':<14} {'N':>8} {'size':>9} {'median s':>9} {'peak MiB':>9} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (build, base) in FAMILIES.items():
            previous: tuple[int, float] | None = None
            for factor in (1, 3, 10):
                n = int(base * factor * args.scale)
                path = Path(tmp) / f"{name}-{n}.toml"
                path.write_text(build(n), encoding="utf-8")
                size = path.stat().st_size
                if size > 5 * 2**20:
                    break  # charta refuses files over 5 MiB
                results = [run(path) for _ in range(args.runs)]
                median = statistics.median(t for t, _ in results)
                peak = max(m for _, m in results) / 1024
                ratio = ""
                if previous is not None:
                    ratio = f"{median / previous[1]:.1f}x/{n / previous[0]:.0f}x"
                print(
                    f"{name:<14} {n:>8} {size / 1024:>7.0f}KB {median:>9.3f} {peak:>9.0f} "
                    f"{ratio:>7}"
                )
                previous = (n, median)


if __name__ == "__main__":
    main()
