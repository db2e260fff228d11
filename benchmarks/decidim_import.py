"""How `charta consult import` grows with the rows of a Decidim comment export.

Generates Decidim 0.27 comment exports (the columns of its serializer, as
tests/data/consult/decidim/ has them) of 1,000, 3,000 and 10,000 rows, as CSV
and as xlsx, and imports each into a copy of the Sindelfingen draft through
the command line, in fresh processes, interleaved; prints the median seconds,
rows per second, peak memory (the child process's peak resident set, VmHWM) and
the growth ratio.  A charta file holds at most 5 MiB, about 15,000 such
comments; a last block times exports of 30,000 and 100,000 rows, which must
be refused quickly, with the reason, and the peak memory of that refusal.

    python benchmarks/decidim_import.py [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
SIZES = (1_000, 3_000, 10_000)
TOO_MANY = (30_000, 100_000)
HEADER = [
    "id",
    "created_at",
    "body",
    "locale",
    "author/id",
    "author/name",
    "alignment",
    "depth",
    "user_group/id",
    "user_group/name/de",
    "user_group/name/en",
    "commentable_id",
    "commentable_type",
    "root_commentable_url",
]
WORDS = ("Bildung", "Daten", "Verwaltung", "Teilhabe", "Netz", "Schule", "Radweg", "Bürgerbüro")


def export_rows(n: int, seed: int = 4) -> list[list[str]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        author = rnd.randrange(1, max(2, n // 3))
        reply = i > 1 and rnd.random() < 0.2
        body = " ".join(rnd.choice(WORDS) for _ in range(25)) + f" (Beitrag {i})"
        proposal = 10 + i % 10
        rows.append(
            [
                str(i),
                f"2024-03-{i % 28 + 1:02d} {i % 24:02d}:{i % 60:02d}:07 UTC",
                ("'-" if i % 50 == 0 else "") + body,
                "de",
                str(author),
                f"Vorname{author} Nachname{author}",
                str(rnd.choice((-1, 0, 1))),
                "1" if reply else "0",
                "",
                "",
                "",
                str(rnd.randrange(1, i)) if reply else str(proposal),
                "Decidim::Comments::Comment" if reply else "Decidim::Proposals::Proposal",
                f"https://beteiligung.example.org/processes/leitmotive/f/3/proposals/{proposal}",
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def draft(folder: Path) -> Path:
    """Sindelfingen as put to consultation, as the tests make it."""
    from test_consult import draft_file

    folder.mkdir(parents=True, exist_ok=True)
    return draft_file(folder)


def run_import(charta: Path, export: Path) -> tuple[float, float, int, str]:
    """Seconds, peak MiB of the child (Linux), exit code, last line of its output."""
    # VmHWM, the peak resident set of this process's memory: ru_maxrss would keep the
    # parent's peak across fork and exec (Linux), and the parent holds the test data.
    code = (
        "import re, sys\n"
        "from charta.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    status = open('/proc/self/status').read()\n"
        "    peak = re.search(r'VmHWM:\\s+(\\d+)', status).group(1)\n"
        "    print(f'peak-kib {peak}', file=sys.stderr)\n"
    )
    targets = [a for p in range(10, 20) for a in ("--target-map", f"{p}=vorne-dabei")]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, "consult", "import", str(charta), str(export), *targets],
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    peak = next((int(x.split()[1]) for x in lines if x.startswith("peak-kib ")), 0) / 1024
    said = next((x for x in reversed(lines) if not x.startswith("peak-kib ")), "")
    return took, peak, done.returncode, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files: dict[tuple[str, int], Path] = {}
        for n in (*SIZES, *TOO_MANY):
            rows = export_rows(n)
            for kind, write in (("csv", write_csv), ("xlsx", write_xlsx)):
                if kind == "xlsx" and n > 30_000:
                    continue  # openpyxl takes long to write it; the CSV shows the refusal
                path = folder / f"export-{n}.{kind}"
                write(path, rows)
                files[kind, n] = path
        template = draft(folder / "template")
        times: dict[tuple[str, int], list[float]] = {k: [] for k in files}
        peaks: dict[tuple[str, int], float] = {}
        said: dict[tuple[str, int], str] = {}
        for _ in range(args.runs):
            for key, export in files.items():  # interleaved: noise falls on every size alike
                target = folder / f"run-{key[0]}-{key[1]}" / "leitmotive.toml"
                target.parent.mkdir(exist_ok=True)
                shutil.copy(template, target)
                target.with_name("leitmotive.personal.toml").unlink(missing_ok=True)
                took, peak, code, last = run_import(target, export)
                if key[1] in SIZES and code != 0:
                    raise SystemExit(f"{key}: exit {code}: {last}")
                times[key].append(took)
                peaks[key] = max(peaks.get(key, 0.0), peak)
                said[key] = last
        print(f"{'rows':>8} {'kind':>5} {'median s':>9} {'rows/s':>8} {'peak MiB':>9}")
        for kind in ("csv", "xlsx"):
            medians = []
            for n in SIZES:
                m = statistics.median(times[kind, n])
                medians.append(m)
                print(f"{n:>8} {kind:>5} {m:>9.2f} {n / m:>8.0f} {peaks[kind, n]:>9.0f}")
            print(
                f"{'':>8} {kind:>5} growth: 3x rows took {medians[1] / medians[0]:.1f}x, "
                f"then 3.3x rows {medians[2] / medians[1]:.1f}x the time"
            )
        print("refused (too many for one charta file):")
        for key in files:
            if key[1] in TOO_MANY:
                m = statistics.median(times[key])
                print(
                    f"{key[1]:>8} {key[0]:>5} {m:>9.2f} s, peak {peaks[key]:.0f} MiB: "
                    f"{said[key][:150]}"
                )


if __name__ == "__main__":
    main()
