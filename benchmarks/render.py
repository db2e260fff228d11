"""The cost of `charta render`, measured side by side in one run.

A: charta render examples/sindelfingen/leitmotive.toml -o <tmp>.html   (a whole process)
B: charta validate examples/sindelfingen/leitmotive.toml               (a whole process)
A': A with CHARTA_NO_CACHE=1: the templates compiled in the run (a first run)
   interleaved, medians and the ratios A/B, A'/B.  Goal (issue 8): at most 2.
C: 1,000 generated chartas (10 principles with sources, a revision and a
   comment each) rendered to HTML through the library on one core: pages per
   second, the median of several rounds.  Goal (issue 8): at least 200.
   Beside it, in the same run, the same chartas through `dumps` (TOML), so
   that the figure can be read against the cheapest output.

Usage: python benchmarks/render.py [--runs N] [--pages N] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
sys.path.insert(0, str(ROOT / "benchmarks"))

from startup import charta_command, once  # noqa: E402


def generated(n: int) -> list[object]:
    """``n`` local chartas like a town's: 10 Leitmotive, each from two source items."""
    from charta.model import (
        Assertion,
        Basis,
        Charta,
        ChartaKind,
        Comment,
        Commenter,
        Confidence,
        Consultation,
        Decision,
        Derivation,
        Issuer,
        Item,
        ItemKind,
        PartialDate,
        Reference,
        Relation,
        Response,
        RevisedField,
        Revision,
        Status,
    )

    out = []
    for k in range(n):
        items = []
        comments = []
        responses = []
        for i in range(10):
            text = (
                f"Die Gemeinde {k} stellt im Grundsatz {i} die Bedürfnisse der Menschen in den "
                "Mittelpunkt und gestaltet die digitale Transformation barrierefrei und offen."
            )
            items.append(
                Item(
                    id=f"leitmotiv-{i + 1}",
                    label=str(i + 1),
                    title=f"Leitmotiv {i + 1} der Gemeinde {k}",
                    kind=ItemKind.LEITMOTIV,
                    text=text + " Neu ergänzt.",
                    derived_from=(
                        Derivation(
                            ref=Reference(charta="smart-city-charta", item=f"leitbild-{i % 8 + 1}"),
                            relation=Relation.ADAPTED,
                            confidence=Confidence.MEDIUM,
                            asserted_by=Assertion.RECORD_KEEPER,
                        ),
                        Derivation(
                            ref=Reference(charta="digitalakademie-bw", item="transparenz"),
                            relation=Relation.MERGED,
                            confidence=Confidence.LOW,
                            asserted_by=Assertion.ISSUER,
                        ),
                    ),
                    revisions=(
                        Revision(
                            field=RevisedField.TEXT,
                            before=text,
                            after=text + " Neu ergänzt.",
                            date=PartialDate(2020, 11, 9),
                            reason="Nach der Beteiligung ergänzt.",
                            caused_by=(f"kommentar-{i + 1}",),
                        ),
                    ),
                )
            )
            comments.append(
                Comment(
                    id=f"kommentar-{i + 1}",
                    target=Reference(item=f"leitmotiv-{i + 1}"),
                    text="Bitte ergänzen.",
                    commenter=Commenter(name=f"Person {i}", pseudonym=f"Bürger*in {i}"),
                )
            )
            responses.append(
                Response(
                    id=f"antwort-{i + 1}",
                    comment=f"kommentar-{i + 1}",
                    by="Amt für Digitalisierung",
                    text="Danke, ergänzt.",
                    decision=Decision.ACCEPTED,
                )
            )
        out.append(
            Charta(
                id=f"gemeinde-{k}",
                title=f"Leitmotive der Gemeinde {k}",
                kind=ChartaKind.LOCAL,
                issuer=Issuer(body=f"Gemeinde {k}"),
                status=Status.DRAFT,
                based_on=(
                    Basis(source=Reference(charta="smart-city-charta")),
                    Basis(source=Reference(charta="digitalakademie-bw")),
                ),
                items=tuple(items),
                consultation=Consultation(
                    start=PartialDate(2020, 10, 1),
                    end=PartialDate(2020, 10, 31),
                    comments=tuple(comments),
                    responses=tuple(responses),
                ),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import os

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the goal says
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "page.html")
        commands = {
            "charta render <example> -o page.html": [
                *charta_command(),
                "render",
                str(EXAMPLE),
                "-o",
                out,
            ],
            "charta validate <example>": [*charta_command(), "validate", "-q", str(EXAMPLE)],
        }
        cold = [
            "env",
            "CHARTA_NO_CACHE=1",
            *commands["charta render <example> -o page.html"],
        ]
        commands["same render, no template cache"] = cold
        for cmd in commands.values():
            once(cmd)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(once(cmd))
    print(f"A/B: whole processes, {args.runs} interleaved runs")
    for name, ts in times.items():
        print(f"  {name:<40} median {statistics.median(ts) * 1000:7.1f} ms")
    a, b, c = times.values()
    for name, x in (("render / validate", a), ("render without cache / validate", c)):
        paired = statistics.median(p / q for p, q in zip(x, b, strict=True))
        print(
            f"  {name}: ratio of medians {statistics.median(x) / statistics.median(b):.2f}"
            f", median of paired ratios {paired:.2f}  (goal: <= 2)"
        )

    from charta.adapters.toml import dumps
    from charta.render.run import render_charta

    chartas = generated(args.pages)
    render_charta(chartas[0], "html")  # sources loaded, templates compiled: not per page
    html_rates, toml_rates = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        size = sum(len(render_charta(c, "html")) for c in chartas)  # type: ignore[arg-type]
        html_rates.append(len(chartas) / (time.perf_counter() - start))
        start = time.perf_counter()
        for c in chartas:
            dumps(c)  # type: ignore[arg-type]
        toml_rates.append(len(chartas) / (time.perf_counter() - start))
    html, toml = statistics.median(html_rates), statistics.median(toml_rates)
    print(f"C: {len(chartas)} generated chartas, one core, median of {args.rounds} rounds")
    print(f"  HTML pages per second  {html:8.0f}  ({size / len(chartas) / 1024:.0f} KiB a page)")
    print(f"  TOML files per second  {toml:8.0f}")
    print(f"  HTML / TOML time ratio {toml / html:.2f}   (goal: >= 200 pages per second)")


if __name__ == "__main__":
    main()
