"""Start-up cost of `charta validate` against the bare imports it cannot avoid.

Measures, in one run and interleaved (so that machine noise hits both alike):
  A: charta validate examples/sindelfingen/leitmotive.toml
  B: python -c "import attrs, cattrs, click"
in the same environment, and prints the medians and the ratio A/B.
The goal (issue 2) is a ratio of at most 1.5.

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
    validate = [*charta_command(), "validate", "-q", str(EXAMPLE)]
    baseline = [sys.executable, "-c", "import attrs, cattrs, click"]
    for cmd in (validate, baseline):  # warm the file cache and the .pyc files
        once(cmd)
    a: list[float] = []
    b: list[float] = []
    for _ in range(args.runs):
        a.append(once(validate))
        b.append(once(baseline))
    ma, mb = statistics.median(a), statistics.median(b)
    ratios = sorted(x / y for x, y in zip(a, b, strict=True))
    print(f"runs (interleaved):                 {args.runs}")
    print(
        f"charta validate <example>  median: {ma * 1000:7.1f} ms"
        f"  (min {min(a) * 1000:.1f}, max {max(a) * 1000:.1f})"
    )
    print(
        f"import attrs, cattrs, click median: {mb * 1000:7.1f} ms"
        f"  (min {min(b) * 1000:.1f}, max {max(b) * 1000:.1f})"
    )
    print(f"ratio of medians:                   {ma / mb:7.2f}  (goal: <= 1.5)")
    print(f"median of paired ratios:            {statistics.median(ratios):7.2f}")


if __name__ == "__main__":
    main()
