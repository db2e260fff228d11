"""The Python examples of the docs run: a page that shows an API shows one that works.

Each page's ```python blocks run in order, in one namespace, from a folder holding
a copy of the repository's ``examples/`` (an example that writes a file writes it
there).  A block that raises fails the test with the page and the block's line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["api.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def blocks(page: str) -> list[tuple[int, str]]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in BLOCK.finditer(text)]


@pytest.mark.parametrize("page", PAGES)
def test_the_python_examples_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    found = blocks(page)
    assert found, f"docs/{page} has no Python example"
    for line, code in found:
        try:
            exec(compile(code, f"docs/{page}:{line}", "exec"), namespace)
        except Exception as exc:
            pytest.fail(f"docs/{page}, the example at line {line}: {type(exc).__name__}: {exc}")
    assert capsys.readouterr().out  # the examples print what they show


def test_every_function_the_api_page_names_exists() -> None:
    import importlib

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(charta(?:\.[a-z_]+)+)\(", text))
    assert len(named) > 20
    for dotted in sorted(named):
        module, _, name = dotted.rpartition(".")
        try:
            found = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            # a method or attribute of a module's object: charta.check.run.validate_files
            owner, _, attr = module.rpartition(".")
            found = getattr(getattr(importlib.import_module(owner), attr), name)
        assert callable(found), dotted
