"""How `charta consult import` and `report` grow with the number of comments.

Generates comment files of 1,000, 3,000 and 9,000 rows (a third of them by
people who wrote before, one in ten a repeat), imports each into a copy of the
Sindelfingen draft through the command line, then renders the weighing table
of the result, and prints the medians of interleaved runs and the growth
ratios (3x the rows should cost about 3x the time: linear).  A last line times
a file of 16,000 bad rows, refused with the first 50 listed.

    python benchmarks/consult.py [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
SIZES = (1_000, 3_000, 9_000)  # 9,000 comments stay under the 5 MiB a charta file may have
HEADER = "id;date;name;email;target;text;consent\n"


def comments(n: int, seed: int = 4) -> str:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        person = rnd.randrange(max(1, n * 2 // 3))
        text = f"Anmerkung {i} zu Leitmotiv {i % 10 + 1}: " + " ".join(
            rnd.choice(("Bildung", "Daten", "Verwaltung", "Teilhabe", "Netz", "Schule"))
            for _ in range(30)
        )
        if i % 10 == 9:
            text = rows[-1].split(";")[5]  # a repeat of the row before, by another person
        rows.append(
            f";2024-03-{i % 28 + 1:02d};Person Nummer {person};p{person}@example.org;"
            f"{i % 10 + 1};{text};{'ja' if person % 5 == 0 else 'nein'}\n"
        )
    return HEADER + "".join(rows)


def charta(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "charta", *args], capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="charta-consult-"))
    try:
        files = {}
        for n in SIZES:
            path = work / f"comments-{n}.csv"
            path.write_text(comments(n), encoding="utf-8")
            files[n] = path
        bad = work / "bad.csv"
        bad.write_text(
            HEADER + "".join(f";;X;;{99 + i};Text {i};nein\n" for i in range(16_000)),
            encoding="utf-8",
        )
        imports: dict[int, list[float]] = {n: [] for n in SIZES}
        reports: dict[int, list[float]] = {n: [] for n in SIZES}
        refused: list[float] = []
        for _ in range(runs):
            for n in SIZES:  # interleaved: the machine's noise falls on all sizes alike
                town = work / f"town-{n}" / "leitmotive.toml"
                shutil.rmtree(town.parent, ignore_errors=True)
                town.parent.mkdir()
                shutil.copy(EXAMPLE, town)
                imports[n].append(charta("consult", "import", str(town), str(files[n])))
                reports[n].append(
                    charta(
                        "consult",
                        "report",
                        str(town),
                        "--format",
                        "csv",
                        "-o",
                        str(town.parent / "report.csv"),
                    )
                )
            town = work / "town-bad" / "leitmotive.toml"
            town.parent.mkdir(exist_ok=True)
            shutil.copy(EXAMPLE, town)
            refused.append(charta("consult", "import", str(town), str(bad)))
        print(f"medians of {runs} interleaved runs, each a fresh process")
        print(f"{'rows':>8} {'import s':>10} {'ratio':>7} {'report s':>10} {'ratio':>7}")
        last_i = last_r = None
        for n in SIZES:
            i, r = statistics.median(imports[n]), statistics.median(reports[n])
            ri = f"{i / last_i:.2f}" if last_i else "-"
            rr = f"{r / last_r:.2f}" if last_r else "-"
            print(f"{n:>8,} {i:>10.2f} {ri:>7} {r:>10.2f} {rr:>7}")
            last_i, last_r = i, r
        print(f"16,000 bad rows refused in {statistics.median(refused):.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
