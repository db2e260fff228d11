"""Start-up cost of `charta validate` and `charta --help` against the bare imports.

Measures, in one run and interleaved (so that machine noise hits all alike):
  A: charta validate examples/sindelfingen/leitmotive.toml
  B: python -c "import attrs, cattrs, click"
  C: charta --help
  D: python -c "import click"
in the same environment, and prints the medians and the ratios A/B and C/D.
Goals: A/B at most 1.5 (issue 2), C/D at most 1.3 (issue 5).

Usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"


def charta_command() -> list[str]:
    # The console script installed beside this interpreter, as a user runs it.
    script = Path(sys.executable).parent / "charta"
    if script.exists():
        return [str(script)]
    found = shutil.which("charta")
    return [found] if found else [sys.executable, "-m", "charta"]


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"benchmark command failed ({done.returncode}): {' '.join(cmd)}\n"
            + done.stderr.decode(errors="replace")
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    # A normal install compiles bytecode; make sure this environment has it
    # too (PYTHONDONTWRITEBYTECODE would otherwise make every run compile).
    import sysconfig

    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            sysconfig.get_paths()["purelib"],
            str(ROOT / "src"),
        ],
        capture_output=True,
        check=False,
    )
    commands = {
        "charta validate <example>": [*charta_command(), "validate", "-q", str(EXAMPLE)],
        "import attrs, cattrs, click": [sys.executable, "-c", "import attrs, cattrs, click"],
        "charta --help": [*charta_command(), "--help"],
        "import click": [sys.executable, "-c", "import click"],
    }
    for cmd in commands.values():  # warm the file cache and the .pyc files
        once(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(once(cmd))
    print(f"runs (interleaved): {args.runs}")
    for name, ts in times.items():
        print(
            f"{name:<28} median {statistics.median(ts) * 1000:7.1f} ms"
            f"  (min {min(ts) * 1000:.1f}, max {max(ts) * 1000:.1f})"
        )
    for a, b, goal in (
        ("charta validate <example>", "import attrs, cattrs, click", 1.5),
        ("charta --help", "import click", 1.3),
    ):
        ta, tb = times[a], times[b]
        paired = statistics.median(x / y for x, y in zip(ta, tb, strict=True))
        print(
            f"{a} / {b}: ratio of medians "
            f"{statistics.median(ta) / statistics.median(tb):.2f}, "
            f"median of paired ratios {paired:.2f}  (goal: <= {goal})"
        )


if __name__ == "__main__":
    main()
