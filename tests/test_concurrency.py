"""Two writers at once lose nothing (issue 18, item 1): the writers' lock.

Each pair of ``charta adapt`` processes is started together on two different
principles of one file; afterwards both edits are in the file, or a process
said why it wrote nothing.  Without the lock, 14 of 50 such pairs lost an edit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from charta.adapters.files import lock_path, writer_lock
from charta.adapters.toml import load
from charta.errors import ChartaError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sindelfingen" / "leitmotive.toml"
PAIRS = 50


def _adapt(path: Path, item: str, text: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "charta",
            "adapt",
            f"{path}#{item}",
            "--text",
            text,
            "--reason",
            "gleichzeitig",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_fifty_pairs_of_concurrent_edits_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "leitmotive.toml"
    shutil.copy(EXAMPLE, path)
    lost = []
    for n in range(PAIRS):
        first = _adapt(path, "kulturwandel", f"Kulturwandel, Fassung {n}.")
        second = _adapt(path, "know-how", f"Know-how, Fassung {n}.")
        outcomes = []
        for p in (first, second):
            _, err = p.communicate(timeout=60)
            outcomes.append((p.returncode, err))
        town = load(path)
        for (code, said), (item, text) in zip(
            outcomes,
            [
                ("kulturwandel", f"Kulturwandel, Fassung {n}."),
                ("know-how", f"Know-how, Fassung {n}."),
            ],
            strict=True,
        ):
            found = town.item(item)
            assert found is not None
            if code == 0 and found.text != text:
                lost.append((n, item, said))
            if code != 0:
                assert said.strip(), "a writer that wrote nothing says why"
    assert lost == []


def test_a_writer_waits_for_the_lock_and_then_says_why_it_gave_up(tmp_path: Path) -> None:
    path = tmp_path / "leitmotive.toml"
    shutil.copy(EXAMPLE, path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from charta.adapters.files import writer_lock\n"
            f"with writer_lock({str(path)!r}):\n    print('held', flush=True); time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(ChartaError, match="another charta command has been writing"),
            writer_lock(path, timeout=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.communicate()
    assert lock_path(path).exists()
    with writer_lock(path, timeout=0.3), writer_lock(path, timeout=0.3):
        pass  # the same process may take it again (an import, whose edit takes it too)
