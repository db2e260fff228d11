"""Validation time against input size, one family of hostile input at a time.

Each family is a file built to stress one part of reading and checking:
  bad-refs        N derivations to items that do not exist
  good-refs       N items, each derived from another item of the charta
  source-refs     N items, each derived from an item of smart-city-charta
  file-refs       N items, each derived from an item of a file beside it
  merged-refs     N merged-away principles, and N references to them
  edition-refs    N references to smart-city-charta naming an edition, half unknown
  bad-causes      N caused-by ids that name no comment
  bad-responses   N responses to comments that do not exist
  consultation    N comments, each answered, a few amendments citing them
  long-name       a commenter's name of N words, and a response of N words
  personal-name   the same name in the personal-data file beside the charta, and
                  principles' texts and a response that use its words
  omissions       N omissions and N covered-elsewhere of source items, many twice
  ref-chain       N items, each derived from the next (no cycle)
  merged-chain    N merged-away principles, each merged into the next
  many-items      N items with a title and a text
  deep-items      N items, each with children nested as deep as reading allows
  revisions       one item with N revisions, each starting where the last ended
  long-text       one item whose text has N characters
  unknown-keys    N unknown top-level keys
  digit-runs      N comment lines of 4,300 digits before a number too long for int()
  long-ids        N items with 2,000-character ids, and 60 references that miss
  cr-run          one text of N carriage returns (written \\r), none before a line end
  missing-files   N items, each derived from a file that does not exist
  shape-error     N items, the last with a title that is a number (stops at reading)

For each family the sizes grow by doubling up to near the 5 MiB limit of a
charta file.  Each file is validated with `charta.validate` in this process
(as `charta validate FILE` does, without the start-up), a few times; the
table shows the median seconds at each size, the seconds that reading alone
takes at the largest (TOML syntax and shape: the floor under every check),
the seconds that tomllib alone takes to parse that text (the speed of the
machine: compare runs by it), and the growth exponent fitted on a log-log
scale: about 1 for linear work, 2 for quadratic, and the peak memory that
validating the largest file allocates (tracemalloc, one run), as a multiple of
the file's size.  The first line names the TOML parser in use: toml-rs with
charta[fast], tomllib without.

Usage: python benchmarks/validation_scaling.py [--runs N] [--steps K] [--limit MIB]
       [--family NAME ...]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import math
import statistics
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import charta
from charta.adapters import toml
from charta.adapters.toml import syntax
from charta.errors import ChartaError

HEAD = """format = 1
id = "town"
title = "Leitmotive"
kind = "local"
status = "draft"
{top}
[issuer]
body = "Stadt Musterstadt"
"""

OTHER = """format = 1
id = "other"
title = "Andere Leitmotive"
kind = "local"
status = "draft"

[issuer]
body = "Stadt Anderswo"

[[items]]
id = "x"
title = "X"
"""
"""The file that the family file-refs refers to, written beside it."""


def items(n: int) -> str:
    return "".join(f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n' for i in range(n))


def derived(ref: str) -> str:
    return (
        f'\n[[items.derived-from]]\nref = "{ref}"\nrelation = "adapted"\nconfidence = "low"\n'
        'asserted-by = "record-keeper"\n'
    )


def bad_refs(n: int) -> str:
    refs = "".join(derived(f"#fehlt-{i}") for i in range(n))
    return HEAD.format(top="") + items(n) + refs


def good_refs(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n' + (derived(f"#p-{i - 1}") if i else "")
        for i in range(n)
    )
    return HEAD.format(top="") + body


def source_refs(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n'
        + derived(f"smart-city-charta#leitbild-{i % 8 + 1}")
        for i in range(n)
    )
    return HEAD.format(top='lineage = "recorded"\n') + BASED_ON + body


BASED_ON = '\n[[based-on]]\nsource = "smart-city-charta"\nasserted-by = "record-keeper"\n'


def file_refs(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n' + derived("other.toml#x")
        for i in range(n)
    )
    return HEAD.format(top="") + body


def merged_refs(n: int) -> str:
    merged = "".join(
        f'\n[[merged-away]]\nid = "m-{i}"\ntitle = "M{i}"\nmerged-into = "p-0"\n' for i in range(n)
    )
    refs = "".join(derived(f"#m-{i}") for i in range(n))
    return HEAD.format(top="") + items(1) + refs + merged


def edition_refs(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n'
        + derived(f"smart-city-charta@{'2017' if i % 2 else f'e{i}'}#leitbild-1")
        for i in range(n)
    )
    return HEAD.format(top="") + body


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


def consultation(n: int) -> str:
    comments = "".join(
        f'\n[[consultation.comments]]\nid = "k-{i}"\ntarget = "#p-0"\ntext = "Bildung {i}."\n'
        f'\n[consultation.comments.commenter]\npseudonym = "Person {i}"\n'
        for i in range(n)
    )
    responses = "".join(
        f'\n[[consultation.responses]]\nid = "r-{i}"\ncomment = "k-{i}"\nby = "Amt"\n'
        'decision = "noted"\ntext = "Danke."\n'
        for i in range(n)
    )
    return HEAD.format(top="") + items(1) + "\n[consultation]\n" + comments + responses


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
        + f'decision = "noted"\ntext = "{text} Wort{n - 1}"\n'
    )


def personal_name(n: int) -> str:
    words = " ".join(f"Wort{i}" for i in range(0, n, 2))
    return (
        HEAD.format(top="")
        + '\n[[items]]\nid = "p-0"\ntitle = "Punkt"\n'
        + f'text = "Wie {words} schrieb."\n'
        + '\n[consultation]\n\n[[consultation.comments]]\nid = "c-1"\ntarget = "#p-0"\n'
        + 'text = "Bildung fehlt."\n\n[consultation.comments.commenter]\n'
        + 'pseudonym = "Person 1"\n'
        + '\n[[consultation.responses]]\nid = "r-1"\ncomment = "c-1"\nby = "Amt"\n'
        + f'decision = "noted"\ntext = "Danke, {words}."\n'
    )


def personal_file(n: int) -> str:
    """The personal-data file for personal-name: the commenter's name has N words."""
    name = " ".join(f"Wort{i}" for i in range(n))
    return (
        'format = 1\ncharta = "town"\n\n[[people]]\npseudonym = "Person 1"\n'
        f'name = "{name}"\ncomments = ["c-1"]\n'
    )


def omissions(n: int) -> str:
    omitted = "".join(
        f'\n[[omissions]]\nref = "smart-city-charta#leitbild-{i % 4 + 1}"\nreason = "Nicht."\n'
        for i in range(n)
    )
    covered = "".join(
        f'\n[[covered-elsewhere]]\nref = "smart-city-charta#leitbild-{i % 4 + 5}"\n'
        'where = "Kapitel 4"\nasserted-by = "record-keeper"\n'
        for i in range(n)
    )
    return HEAD.format(top="") + items(1) + omitted + covered


def ref_chain(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "a{i}"\ntitle = "A{i}"\n' + (derived(f"#a{i + 1}") if i + 1 < n else "")
        for i in range(n)
    )
    return HEAD.format(top="") + body


def merged_chain(n: int) -> str:
    merged = "".join(
        f'\n[[merged-away]]\nid = "m-{i}"\ntitle = "M{i}"\n'
        f'merged-into = "{f"m-{i + 1}" if i + 1 < n else "p-0"}"\n'
        for i in range(n)
    )
    return HEAD.format(top="") + items(1) + merged


def many_items(n: int) -> str:
    return HEAD.format(top="") + "".join(
        f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\ntext = "Die Stadt {i}."\n'
        for i in range(n)
    )


def deep_items(n: int) -> str:
    depth = 19  # items.children.children...: two levels of nesting each, 40 at most
    out = [HEAD.format(top="")]
    for i in range(n):
        for d in range(depth):
            out.append(f'\n[[{".".join(["items", *["children"] * d])}]]\nid = "p-{i}-{d}"\n')
            out.append(f'title = "T{d}"\n')
    return "".join(out)


def revisions(n: int) -> str:
    revs = "".join(
        f'\n[[items.revisions]]\nfield = "text"\nbefore = "v{i}"\nafter = "v{i + 1}"\n'
        for i in range(n)
    )
    return HEAD.format(top="") + items(1) + f'text = "v{n}"\n' + revs


def long_text(n: int) -> str:
    words = ("Bildung Teilhabe Daten Stadt " * (n // 29 + 1))[:n]
    return HEAD.format(top="") + items(1) + f'text = "{words}"\n'


def unknown_keys(n: int) -> str:
    return HEAD.format(top="".join(f"k{i} = 1\n" for i in range(n))) + items(1)


def digit_runs(n: int) -> str:
    """N comment lines of 4,300 digits, then one number too long for Python's int()."""
    comments = "".join(f"# {'1' * 4300}\n" for _ in range(n))
    return comments + HEAD.format(top="declared-count = " + "9" * 4400) + items(1)


def long_ids(n: int) -> str:
    """N items with 2,000-character ids and 60 references to ids that do not exist."""
    long = "x" * 2000
    body = "".join(f'\n[[items]]\nid = "{long}-{i}"\ntitle = "T"\n' for i in range(n))
    refs = "".join(derived(f"#{long}-fehlt-{i}") for i in range(60))
    return HEAD.format(top="") + body + refs


def cr_run(n: int) -> str:
    return HEAD.format(top="") + items(1) + 'text = "' + "\\r" * n + 'x"\n'


def missing_files(n: int) -> str:
    body = "".join(
        f'\n[[items]]\nid = "p-{i}"\ntitle = "Punkt {i}"\n' + derived(f"fehlt-{i}.toml#x")
        for i in range(n)
    )
    return HEAD.format(top="") + body


def shape_error(n: int) -> str:
    return many_items(n) + '\n[[items]]\nid = "falsch"\ntitle = 5\n'


PERSONAL: dict[str, Callable[[int], str]] = {"personal-name": personal_file}
"""Families with a personal-data file beside the charta (town.personal.toml)."""

FAMILIES: dict[str, Callable[[int], str]] = {
    "bad-refs": bad_refs,
    "good-refs": good_refs,
    "source-refs": source_refs,
    "file-refs": file_refs,
    "merged-refs": merged_refs,
    "edition-refs": edition_refs,
    "bad-causes": bad_causes,
    "bad-responses": bad_responses,
    "consultation": consultation,
    "long-name": long_name,
    "personal-name": personal_name,
    "omissions": omissions,
    "ref-chain": ref_chain,
    "merged-chain": merged_chain,
    "many-items": many_items,
    "deep-items": deep_items,
    "revisions": revisions,
    "long-text": long_text,
    "unknown-keys": unknown_keys,
    "digit-runs": digit_runs,
    "long-ids": long_ids,
    "cr-run": cr_run,
    "missing-files": missing_files,
    "shape-error": shape_error,
}


def largest(build: Callable[[int], str], limit: int) -> int:
    """The N whose file comes nearest to ``limit`` bytes without passing it."""
    n = 1
    while len(build(2 * n).encode()) <= limit:
        n *= 2
    low, high = n, 2 * n  # the size is about linear in N: a few bisection steps
    for _ in range(6):
        mid = (low + high) // 2
        low, high = (mid, high) if len(build(mid).encode()) <= limit else (low, mid)
    return low


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def read_only(path: Path) -> None:
    """Read ``path`` as validation does before any meaning check."""
    with contextlib.suppress(ChartaError):  # a file with shape problems stops here
        toml.read(path)


def peak_bytes(work: Callable[[], object]) -> int:
    """The most memory that ``work`` holds at once (Python allocations)."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def slope(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(seconds) against log(N)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions per size (median)")
    parser.add_argument("--steps", type=int, default=4, help="sizes per family, each double")
    parser.add_argument("--limit", type=float, default=4.9, help="largest file, in MiB")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), default=None)
    args = parser.parse_args()
    limit = int(args.limit * 2**20)
    header = " ".join(f"{'t(N/' + str(2**k) + ')':>9}" for k in range(args.steps - 1, 0, -1))
    print(f"TOML parser: {syntax.parser()} (charta[fast] installs toml-rs)")
    print(
        f"{'family':<14} {'N':>8} {'MiB':>5} {header} {'t(N) s':>9} {'read s':>8} "
        f"{'tomllib s':>9} {'exponent':>8} {'memory':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "other.toml").write_text(OTHER, encoding="utf-8")
        path = Path(tmp) / "town.toml"
        personal = Path(tmp) / "town.personal.toml"
        charta.validate(path.with_name("other.toml"))  # load the built-in sources once
        for name in args.family or FAMILIES:
            build = FAMILIES[name]
            top = largest(build, limit)
            points: list[tuple[int, float]] = []
            for k in range(args.steps - 1, -1, -1):
                n = max(1, top // 2**k)
                path.write_text(build(n), encoding="utf-8")
                personal.unlink(missing_ok=True)
                if name in PERSONAL:
                    personal.write_text(PERSONAL[name](n), encoding="utf-8")
                points.append((n, median_seconds(lambda: charta.validate(path), args.runs)))
            # Reading alone (TOML syntax and shape, no meaning checks, no lines): the floor.
            read = median_seconds(lambda: read_only(path), args.runs)
            # tomllib alone on the same text: the machine's speed, for comparing runs.
            text = path.read_text(encoding="utf-8")
            plain = median_seconds(functools.partial(_tomllib_or_error, text), args.runs)
            size = path.stat().st_size / 2**20
            times = " ".join(f"{t:>9.3f}" for _, t in points)
            memory = peak_bytes(lambda: charta.validate(path)) / path.stat().st_size
            print(
                f"{name:<14} {top:>8} {size:>5.2f} {times} {read:>8.3f} {plain:>9.3f} "
                f"{slope(points):>8.2f} {memory:>6.1f}x",
                flush=True,
            )


def _tomllib_or_error(text: str) -> None:
    with contextlib.suppress(tomllib.TOMLDecodeError, ValueError, RecursionError):
        tomllib.loads(text)


if __name__ == "__main__":
    main()
