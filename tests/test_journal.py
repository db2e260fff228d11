"""Two files, one commit: ``consult import`` killed at every step of its write.

The import writes the charta and its personal-data file.  The process is
stopped (SIGKILL, and SIGTERM) at each step of the write by a hook in
:mod:`charta.adapters.files`, not by timing luck.  Whatever the step, the
two files are both old, both new, or left with a journal that ``validate``
reports as an error and that the next writing command completes or rolls
back, saying so.  Importing again never duplicates a comment.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from charta.adapters.files import journal_path, recover
from charta.check.loading import validate
from charta.cli import main
from charta.errors import ChartaError, Level
from charta.personal import personal_path

from .test_consult import draft_file

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen"

# The steps of charta.adapters.files.write_together, in order, for two files.
STEPS = ["journal", "staged 0", "staged 1", "commit", "renamed 0", "renamed 1", "done"]

NEW_COMMENTS = (
    "id;date;name;salutation;email;target;text;consent;note\n"
    "21;2021-03-02;Marta Vogel;Frau;marta@example.org;4;Mehr offene Daten, bitte.;nein;\n"
    "22;2021-03-03;Jonas Brandt;Herr;;7;Die Bibliothek braucht WLAN.;ja;\n"
)

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from charta.adapters import files
    at, how = sys.argv[1], getattr(signal, sys.argv[2])
    def step(name):
        if name == at:
            os.kill(os.getpid(), how)
    files._step = step
    from charta.cli import main
    main(["consult", "import", *sys.argv[3:]])
    """
)


@pytest.fixture
def town(tmp_path: Path) -> tuple[Path, Path]:
    """The example with its personal data, and a file of two new comments."""
    for name in ("leitmotive.toml", "leitmotive.personal.toml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    comments = tmp_path / "neu.csv"
    comments.write_text(NEW_COMMENTS, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("leitmotive.personal.toml\n", encoding="utf-8")
    return tmp_path / "leitmotive.toml", comments


def _ids(charta: Path) -> list[str]:
    data = tomllib.loads(charta.read_text(encoding="utf-8"))
    return [c["id"] for c in data.get("consultation", {}).get("comments", [])]


def _personal_ids(charta: Path) -> list[str]:
    path = personal_path(charta)
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [c for person in data.get("people", []) for c in person.get("comments", [])]


def _killed_at(step: str, how: str, charta: Path, comments: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLER, step, how, str(charta), str(comments)],
        capture_output=True,
        text=True,
        check=False,
        cwd=charta.parent,
        timeout=60,
    )


def _state(charta: Path, old: tuple[bytes, bytes], new: tuple[bytes, bytes]) -> str:
    now = (charta.read_bytes(), personal_path(charta).read_bytes())
    if journal_path(charta).exists():
        return "journal"
    if now == old:
        return "old"
    if now == new:
        return "new"
    return "torn"


def _import(charta: Path, comments: Path) -> object:
    return CliRunner().invoke(main, ["consult", "import", str(charta), str(comments)])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The two files as an import that is not interrupted leaves them."""
    folder = tmp_path_factory.mktemp("whole")
    for name in ("leitmotive.toml", "leitmotive.personal.toml"):
        shutil.copy(EXAMPLE / name, folder / name)
    (folder / "neu.csv").write_text(NEW_COMMENTS, encoding="utf-8")
    (folder / ".gitignore").write_text("leitmotive.personal.toml\n", encoding="utf-8")
    charta = folder / "leitmotive.toml"
    result = _import(charta, folder / "neu.csv")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return charta.read_bytes(), personal_path(charta).read_bytes()


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("step", STEPS)
def test_an_import_killed_at_any_step_leaves_old_new_or_a_journal_the_next_command_settles(
    town: tuple[Path, Path], written: tuple[bytes, bytes], step: str, how: str
) -> None:
    charta, comments = town
    old = (charta.read_bytes(), personal_path(charta).read_bytes())
    killed = _killed_at(step, how, charta, comments)
    signum = getattr(signal, how)
    # SIGTERM during the renames waits until they are done, then ends the process
    assert killed.returncode in (-signum, 128 + signum), killed.stderr
    assert "Traceback" not in killed.stderr
    state = _state(charta, old, written)
    assert state != "torn"
    if how == "SIGKILL":
        # a journal from its first write to its removal
        assert state == ("new" if step == "done" else "journal"), state
    else:
        # SIGTERM: rolled back before the commit point, finished after it
        assert state == ("old" if step in STEPS[:4] else "new"), state
    if state == "journal":
        report = validate(charta)
        torn = [p for p in report.problems if p.code == "torn-pair"]
        assert torn
        assert torn[0].level is Level.ERROR
        assert not report.ok
    # The clerk runs the import again: the interrupted write is settled first,
    # with a message, and the comments are then there exactly once.
    again = _import(charta, comments)
    assert again.exit_code == 0, again.output  # type: ignore[attr-defined]
    if state == "journal":
        assert "was interrupted" in again.output  # type: ignore[attr-defined]
    assert not journal_path(charta).exists()
    assert (charta.read_bytes(), personal_path(charta).read_bytes()) == written
    ids = _ids(charta)
    assert len(ids) == len(set(ids)) == 3
    assert sorted(_personal_ids(charta)) == sorted(set(_personal_ids(charta)))
    assert validate(charta).ok
    ends = (".charta-new", ".tmp")
    leftovers = [p.name for p in charta.parent.iterdir() if p.name.endswith(ends)]
    assert leftovers == []
    # and once more: nothing new, nothing twice
    third = _import(charta, comments)
    assert third.exit_code == 0
    assert (charta.read_bytes(), personal_path(charta).read_bytes()) == written


def test_the_first_import_killed_between_the_renames_is_completed(tmp_path: Path) -> None:
    """No personal-data file before: killed between the renames, the import
    leaves one whose charta has not its comments yet; the journal completes it."""
    charta = draft_file(tmp_path)
    comments = tmp_path / "neu.csv"
    comments.write_text(NEW_COMMENTS, encoding="utf-8")
    before = charta.read_bytes()
    killed = _killed_at("renamed 0", "SIGKILL", charta, comments)
    assert killed.returncode == -signal.SIGKILL
    assert journal_path(charta).exists()
    assert charta.read_bytes() == before  # the personal-data file went first
    assert personal_path(charta).exists()
    assert _personal_ids(charta)
    assert "torn-pair" in {p.code for p in validate(charta).problems}
    done = recover(charta)
    assert done is not None
    assert "completed" in done
    assert len(_ids(charta)) == 2
    assert sorted(_personal_ids(charta)) == sorted(_ids(charta))
    assert validate(charta).ok


@pytest.mark.parametrize("staged_too", [False, True])
def test_a_file_changed_by_hand_after_the_interruption_is_not_overwritten(
    town: tuple[Path, Path], staged_too: bool
) -> None:
    charta, comments = town
    killed = _killed_at("renamed 0", "SIGKILL", charta, comments)
    assert killed.returncode == -signal.SIGKILL
    # The charta was not renamed yet; a clerk edits it by hand (and perhaps
    # removes the half-written copy too).  Neither state can be restored.
    if staged_too:
        (charta.parent / f".{charta.name}.charta-new").unlink()
    charta.write_text(charta.read_text(encoding="utf-8") + "\n# von Hand\n", encoding="utf-8")
    hand = charta.read_bytes()
    with pytest.raises(ChartaError, match="changed since"):
        recover(charta)
    assert charta.read_bytes() == hand
    assert journal_path(charta).exists()
    result = _import(charta, comments)
    assert result.exit_code == 1
    assert "torn-pair" in result.output  # type: ignore[attr-defined]
    assert charta.read_bytes() == hand
    renumbered = CliRunner().invoke(main, ["renumber", f"{charta}#vorne-dabei", "2b"])
    assert renumbered.exit_code == 1
    assert charta.read_bytes() == hand


def test_a_charta_that_is_a_link_into_another_folder_is_completed(tmp_path: Path) -> None:
    real, work = tmp_path / "real", tmp_path / "work"
    real.mkdir()
    work.mkdir()
    shutil.copy(EXAMPLE / "leitmotive.toml", real / "leitmotive.toml")
    shutil.copy(EXAMPLE / "leitmotive.personal.toml", work / "leitmotive.personal.toml")
    (work / "leitmotive.toml").symlink_to("../real/leitmotive.toml")
    comments = work / "neu.csv"
    comments.write_text(NEW_COMMENTS, encoding="utf-8")
    charta = work / "leitmotive.toml"
    killed = _killed_at("renamed 0", "SIGKILL", charta, comments)
    assert killed.returncode == -signal.SIGKILL
    assert journal_path(charta).exists()
    assert "torn-pair" in {p.code for p in validate(charta).problems}
    done = recover(charta)
    assert done is not None
    assert "completed" in done
    assert charta.is_symlink()  # the link stays; the file it points at is new
    assert len(_ids(charta)) == 3
    assert validate(charta).ok


def test_a_damaged_journal_is_named_and_nothing_is_guessed(town: tuple[Path, Path]) -> None:
    charta, comments = town
    journal_path(charta).write_text('{"format": "charta-journal/1", "files": [', encoding="utf-8")
    before = charta.read_bytes()
    result = _import(charta, comments)
    assert result.exit_code == 1
    assert ".leitmotive.toml.journal" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert charta.read_bytes() == before


def test_a_journal_can_remove_nothing_but_its_own_copies(town: tuple[Path, Path]) -> None:
    """A journal written by someone else: it names files, never the copies it
    removes (always .NAME.charta-new beside them), so the charta stays."""
    charta, _ = town
    before = charta.read_bytes()
    record = {
        "format": "charta-journal/1",
        "state": "staging",
        "started": "2026-12-08T00:00:00+00:00",
        "files": [{"file": "a", "sha256": "0", "before": None}],
    }
    for staged in ("leitmotive.toml", ".."):
        hostile = {**record, "files": [{**record["files"][0], "staged": staged}]}
        journal_path(charta).write_text(json.dumps(hostile), encoding="utf-8")
        recover(charta)
        assert charta.read_bytes() == before
    for bad in ("", "..", "/", "a\0b"):
        wrong = {**record, "files": [{"file": bad, "sha256": "0", "before": None}]}
        journal_path(charta).write_text(json.dumps(wrong), encoding="utf-8")
        with pytest.raises(ChartaError, match="not a journal"):
            recover(charta)
    assert charta.read_bytes() == before


def test_nothing_to_recover_is_nothing(town: tuple[Path, Path]) -> None:
    charta, _ = town
    assert recover(charta) is None
    assert not os.path.exists(journal_path(charta))


def test_a_folder_that_refuses_the_rename_is_a_message_and_the_journal_stays(
    town: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    charta, comments = town
    killed = _killed_at("renamed 0", "SIGKILL", charta, comments)
    assert killed.returncode == -signal.SIGKILL

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", refuse)
        result = _import(charta, comments)
    assert result.exit_code == 1
    out = result.output  # type: ignore[attr-defined]
    assert "Traceback" not in out
    assert ".leitmotive.toml.journal" in out
    assert "Permission denied" in out
    assert journal_path(charta).exists()
    again = _import(charta, comments)  # once the folder lets it, it completes
    assert again.exit_code == 0
    assert len(_ids(charta)) == 3
