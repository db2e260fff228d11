"""The architecture is kept by tests: imports run one way and there is no circle (issue 16).

The contracts are in ``.importlinter`` and are checked by import-linter, each contract as
one test; a second check asks grimp (the graph import-linter is built on) for circles
between single modules.  The rest proves that these checks could fail: the graph sees
imports inside functions, the contracts name every package of charta, and each contract
breaks when a violation is planted in a small stand-in package.  docs/architecture.md
explains the layers.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sysconfig
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "charta"
CONTRACTS = ROOT / ".importlinter"
LINT_IMPORTS = Path(sysconfig.get_path("scripts")) / "lint-imports"
PACKAGE = "charta"


class ContractBroken(AssertionError):
    """import-linter checked a contract and reported it broken (and nothing else went wrong)."""


class CircleFound(AssertionError):
    """Modules of charta import each other, directly or round a longer circle."""


def contracts(path: Path = CONTRACTS) -> dict[str, dict[str, Any]]:
    """The contracts in ``path`` by id, as import-linter reads them."""
    options = read_configuration(str(path))["contracts_options"]
    return {contract["id"]: contract for contract in options}


def lint_imports(
    config: Path, *contract_ids: str, cwd: Path = ROOT, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run import-linter's own command on ``config``, limited to ``contract_ids`` if given."""
    command = [str(LINT_IMPORTS), str(config), "--no-cache", "--no-logo"]
    for contract_id in contract_ids:
        command += ["--contract", contract_id]
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def verdicts(result: subprocess.CompletedProcess[str], names: Mapping[str, str]) -> dict[str, str]:
    """Each contract id's verdict ("KEPT" or "BROKEN") from import-linter's summary lines."""
    found = {}
    for line in result.stdout.splitlines():
        for contract_id, name in names.items():
            # "<name> KEPT", "<name>BROKEN", "<name> KEPT (1 ignored import)"
            verdict = re.search(r"(KEPT|BROKEN)( \(\d+ ignored imports?\))?$", line.rstrip())
            if line.startswith(name) and verdict:
                found[contract_id] = verdict.group(1)
    return found


# ---------------------------------------------------------------------------
# The contracts hold

# Contracts today's code still breaks: why, and the imports (importer, imported) import-linter
# names; its report adds the lines.  Such a contract fails as expected only while exactly
# these imports break it: a new one, or one fixed, is a plain failure that says what changed,
# so that nothing new slips in behind the mark.  When the code keeps a contract, its strict
# xfail fails: then delete its entry.  (acyclic_siblings names pairs of packages, not
# imports, and only the first five: its imports are not compared.)
BROKEN_TODAY: dict[str, tuple[str, set[tuple[str, str]] | None]] = {}

CONTRACT_IDS = list(contracts())


def _contract_cases() -> Iterator[Any]:
    for contract_id in CONTRACT_IDS:
        if contract_id in BROKEN_TODAY:
            why, imports = BROKEN_TODAY[contract_id]
            listed = "; ".join(f"{a} -> {b}" for a, b in sorted(imports or ()))
            broken = pytest.mark.xfail(
                strict=True, raises=ContractBroken, reason=f"{why}: {listed}" if listed else why
            )
            yield pytest.param(contract_id, marks=broken, id=contract_id)
        else:
            yield pytest.param(contract_id, id=contract_id)


@pytest.mark.parametrize("contract_id", list(_contract_cases()))
def test_contract_is_kept(contract_id: str) -> None:
    result = lint_imports(CONTRACTS, contract_id)
    report = result.stdout + result.stderr
    verdict = verdicts(result, {contract_id: contracts()[contract_id]["name"]})
    # Anything but a clean verdict (a typo in the file, a missing tool) is a plain failure,
    # never the expected one.
    assert verdict in ({contract_id: "KEPT"}, {contract_id: "BROKEN"}), report
    if verdict[contract_id] == "KEPT":
        assert result.returncode == 0, report
        return
    broken = report[report.find("Broken contracts") :]
    known = BROKEN_TODAY.get(contract_id, ("", None))[1]
    if known is not None:
        found = set(re.findall(r"(charta[\w.]*) -> (charta[\w.]*)", broken))
        assert found == known, (
            f"the imports that break {contract_id!r} have changed; update BROKEN_TODAY\n"
            f"new: {sorted(found - known)}\nfixed: {sorted(known - found)}\n{broken}"
        )
    raise ContractBroken(f"contract {contract_id!r} in .importlinter is broken:\n{broken}")


def test_broken_today_names_only_real_contracts() -> None:
    assert set(BROKEN_TODAY) <= set(CONTRACT_IDS)


# ---------------------------------------------------------------------------
# No circle at all, module by module


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """charta's import graph, with imports inside functions and under TYPE_CHECKING."""
    return grimp.build_graph(PACKAGE, cache_dir=None)


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that reach each other through imports (Tarjan's algorithm,
    with a stack of its own instead of recursion); a group of more than one is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    work: list[tuple[str, Iterator[str]]] = []
    groups: list[list[str]] = []

    def enter(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        work.append((module, iter(sorted(graph.find_modules_directly_imported_by(module)))))

    for start in sorted(graph.modules):
        if start not in index:
            enter(start)
        while work:
            module, rest = work[-1]
            for imported in rest:
                if imported not in index:
                    enter(imported)
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    groups.append(sorted(group))
    return [group for group in groups if len(group) > 1]


def describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    """Every import between the members of a circle, with its lines."""
    lines = []
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported in group:
                details = graph.get_import_details(importer=importer, imported=imported)
                where = ", ".join(f"l.{detail['line_number']}" for detail in details)
                lines.append(f"  {importer} -> {imported} ({where})")
    return "\n".join(lines)


def test_no_module_is_in_a_circle(graph: grimp.ImportGraph) -> None:
    circles = sorted(strongly_connected(graph))
    shown = "\n".join(describe(graph, group) for group in circles)
    if circles:
        raise CircleFound(f"{len(circles)} circle(s) of imports in {PACKAGE}:\n{shown}")


def test_circles_are_found() -> None:
    # The finder itself, on a graph with one circle of three and a tail into it.
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"), ("c", "e")]:
        graph.add_import(importer=importer, imported=imported)
    assert strongly_connected(graph) == [["a", "b", "c"]]
    graph.remove_import(importer="c", imported="a")
    assert strongly_connected(graph) == []


# ---------------------------------------------------------------------------
# The checks could fail


def function_local_imports(modules: set[str]) -> set[tuple[str, str]]:
    """(importer, imported) for every ``from charta... import`` inside a function, read
    with ast; ``from charta.diff import text`` imports the module ``charta.diff.text``."""
    found = set()
    source = ROOT / "src"
    for path in sorted((source / PACKAGE).rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.level == 0
                    and node.module
                    and node.module.split(".")[0] == PACKAGE
                ):
                    for alias in node.names:
                        submodule = f"{node.module}.{alias.name}"
                        found.add((module, submodule if submodule in modules else node.module))
    return found


def test_graph_sees_imports_inside_functions(graph: grimp.ImportGraph) -> None:
    # The commands import their capability when they run (start-up time), so a graph of
    # top-level imports alone would miss most of the cli's edges.
    local = function_local_imports(graph.modules)
    assert len(local) >= 10
    missing = [
        f"{importer} -> {imported}"
        for importer, imported in sorted(local)
        if not graph.direct_import_exists(importer=importer, imported=imported)
    ]
    assert not missing, missing


@pytest.mark.parametrize("capability", ["check", "diff", "derive", "render", "consult"])
def test_cli_reaches_each_capability(graph: grimp.ImportGraph, capability: str) -> None:
    # The layers contract says "may import", and it would hold for a cli that imports
    # nothing; the command modules do reach every capability.
    assert graph.direct_import_exists(
        importer=f"{PACKAGE}.cli", imported=f"{PACKAGE}.{capability}", as_packages=True
    )


def layer_names(layers: list[str]) -> list[list[str]]:
    """The module names in each layer of a layers contract, top first."""
    return [[name.strip("() ") for name in re.split(r"[|:]", layer)] for layer in layers]


def optional_layer_names(layers: list[str]) -> set[str]:
    """The names a layers contract allows to be missing: ``(name)``."""
    return {
        name[1:-1]
        for layer in layers
        for name in re.split(r"\s*[|:]\s*", layer.strip())
        if name.startswith("(")
    }


def test_contracts_name_every_package(graph: grimp.ImportGraph) -> None:
    found = contracts()
    layers = found["layers"]
    assert layers["containers"] == [PACKAGE]
    assert layers["exhaustive"] == "true"  # a new package cannot slip past the layers
    stacked = layer_names(layers["layers"])
    named = {name for layer in stacked for name in layer} | set(layers["exhaustive_ignores"])
    required = named - optional_layer_names(layers["layers"])
    children = {child.removeprefix(f"{PACKAGE}.") for child in graph.find_children(PACKAGE)}
    assert required <= children, "a layer that is not there must be written (name)"
    assert children <= named

    # Nothing but __main__ imports the cli: all children of charta are watched, and the one
    # allowed import is the only one ignored.
    cli = found["no-capability-imports-cli"]
    assert cli["source_modules"] == [f"{PACKAGE}.*"]
    assert cli["forbidden_modules"] == [f"{PACKAGE}.cli"]
    assert cli["ignore_imports"] == [f"{PACKAGE}.__main__ -> {PACKAGE}.cli"]

    # pure-core repeats the core of the stack in its own words; keep the two in step.
    flat = [name for layer in stacked for name in layer]
    core = flat[flat.index("adapters") + 1 :]
    assert found["pure-core"]["source_modules"] == [
        f"{PACKAGE}.{name}" for name in core if f"{PACKAGE}.{name}" in graph.modules
    ]
    above_core = flat[flat.index("cli") : flat.index("adapters") + 1]
    assert sorted(found["pure-core"]["forbidden_modules"]) == sorted(
        f"{PACKAGE}.{name}" for name in above_core
    )

    commands = found["cli-commands-apart"]
    cli_named = {name for layer in layer_names(commands["layers"]) for name in layer}
    cli_children = {
        child.removeprefix(f"{PACKAGE}.cli.") for child in graph.find_children(f"{PACKAGE}.cli")
    }
    assert cli_named == cli_children


# A stand-in package with every module the contracts name, each importing the next layer
# down, so that the contracts have legal imports to keep; then one violation at a time.
FAKE = "chartastandin"

# The planted imports (importer, imported; each inside a function, imported None for a module
# that only needs to exist), and the contracts that must break.  Every layer of the stand-in
# imports the one below, so an upward import also closes a circle.
PLANTS: dict[str, tuple[list[tuple[str, str | None]], set[str]]] = {
    "core-imports-cli": (
        [("model", "cli")],
        {"layers", "no-capability-imports-cli", "pure-core", "no-circle"},
    ),
    "core-imports-adapter": ([("personal", "adapters")], {"layers", "pure-core", "no-circle"}),
    "adapter-imports-capability": ([("adapters", "render")], {"layers", "no-circle"}),
    "capabilities-out-of-order": ([("check", "diff")], {"layers", "no-circle"}),
    "core-circle": ([("errors", "rules")], {"layers", "no-circle"}),
    "circle-inside-a-package": (
        [("diff.compare", "diff.words"), ("diff.words", "diff.compare")],
        {"no-circle"},
    ),
    "command-imports-command": ([("cli.check", "cli.diff")], {"cli-commands-apart"}),
    "new-package-outside-the-layers": ([("newcomer", None)], {"layers"}),
}


def build_stand_in(root: Path, plant: str | None) -> Path:
    """Write the stand-in package and its contracts under ``root``; return the contracts."""
    found = contracts()
    stacked = layer_names(found["layers"]["layers"])
    commands = layer_names(found["cli-commands-apart"]["layers"])
    imports: dict[str, list[str]] = {"__about__": []}
    for upper, lower in zip(stacked, [*stacked[1:], []], strict=True):
        for name in upper:
            imports[name] = lower[:1]
    for upper, lower in zip(commands, [*commands[1:], []], strict=True):
        for name in upper:
            imports[f"cli.{name}"] = [f"cli.{other}" for other in lower[:1]]
    local: dict[str, list[str]] = {}
    for importer, imported in PLANTS[plant][0] if plant is not None else []:
        imports.setdefault(importer, [])
        if imported is not None:
            local.setdefault(importer, []).append(imported)
    for name in ("", *imports):
        folder = root.joinpath(FAKE, *name.split(".")) if name else root / FAKE
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"import {FAKE}.{target}" for target in imports.get(name, [])]
        lines += ["", "def later():"] if local.get(name) else []
        lines += [f"    import {FAKE}.{target}" for target in local.get(name, [])]
        (folder / "__init__.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = root / "contracts.ini"
    text = CONTRACTS.read_text(encoding="utf-8")
    config.write_text(re.sub(rf"\b{PACKAGE}\b", FAKE, text), encoding="utf-8")
    return config


def stand_in_verdicts(tmp_path: Path, plant: str | None) -> dict[str, str]:
    config = build_stand_in(tmp_path, plant)
    result = lint_imports(config, cwd=tmp_path, pythonpath=tmp_path)
    names = {contract_id: contract["name"] for contract_id, contract in contracts(config).items()}
    found = verdicts(result, names)
    assert set(found) == set(CONTRACT_IDS), result.stdout + result.stderr
    return found


def test_stand_in_keeps_every_contract(tmp_path: Path) -> None:
    assert stand_in_verdicts(tmp_path, None) == dict.fromkeys(CONTRACT_IDS, "KEPT")


@pytest.mark.parametrize("plant", PLANTS)
def test_planted_violation_breaks_its_contracts(tmp_path: Path, plant: str) -> None:
    broken = PLANTS[plant][1]
    assert stand_in_verdicts(tmp_path, plant) == {
        contract_id: "BROKEN" if contract_id in broken else "KEPT" for contract_id in CONTRACT_IDS
    }


def test_every_contract_can_break() -> None:
    assert set().union(*(broken for _, broken in PLANTS.values())) == set(CONTRACT_IDS)


# ---------------------------------------------------------------------------
# Imports inside functions: only deliberate lazy ones, each with its reason


def _lazy_import_groups(path: Path) -> Iterator[tuple[int, bool]]:
    """Each run of imports inside a function: its first line, and whether a ``# lazy:``
    reason stands on it or in the comment lines directly above it."""
    import ast

    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))

    def bodies(node: ast.AST, in_function: bool) -> Iterator[list[ast.stmt]]:
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and in_function:
                yield [s for s in block if isinstance(s, ast.stmt)]
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from bodies(child, inner)

    for block in bodies(tree, False):
        run: list[ast.stmt] = []
        for stmt in [*block, None]:
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                run.append(stmt)
                continue
            if run:
                first, last = run[0].lineno, run[-1].end_lineno or run[-1].lineno
                above = first - 1
                while above >= 1 and lines[above - 1].strip().startswith("#"):
                    above -= 1
                text = "\n".join(lines[above:last])
                yield first, "# lazy:" in text
                run = []


def test_every_import_inside_a_function_says_why_it_is_lazy() -> None:
    missing = [
        f"{path.relative_to(SRC.parent)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        for line, reasoned in _lazy_import_groups(path)
        if not reasoned
    ]
    assert not missing, (
        "an import inside a function is for start-up time only, with a one-line "
        "'# lazy: <reason>' comment; otherwise import at the top:\n" + "\n".join(missing)
    )


def test_the_lazy_import_check_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n\n\ndef f():\n    import json\n\n\ndef g():\n"
        "    # lazy: only here\n    import re\n    from a import (\n        b,\n    )\n",
        encoding="utf-8",
    )
    assert list(_lazy_import_groups(sample)) == [(5, False), (10, True)]


def _private_imports(root: Path, package: str) -> list[str]:
    """``from charta.a.b import _name`` where the importer is not in ``charta.a``."""
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        home = module if parts[-1] == "__init__" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not node.module.startswith(package):
                continue
            source_home = node.module.rpartition(".")[0] or node.module
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and home not in (node.module, source_home):
                    found.append(f"{module}:{node.lineno}: {node.module}.{alias.name}")
    return found


def test_no_private_name_is_imported_across_packages() -> None:
    found = _private_imports(SRC, PACKAGE)
    assert not found, "give it a public name, or move it where it is used:\n" + "\n".join(found)


def test_the_private_import_check_sees_them(tmp_path: Path) -> None:
    pkg = tmp_path / "charta"
    (pkg / "a").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a" / "x.py").write_text("from charta.a.y import _ok\n", encoding="utf-8")
    (pkg / "b.py").write_text("from charta.a.y import _bad, fine\n", encoding="utf-8")
    assert _private_imports(pkg, "charta") == ["charta.b:1: charta.a.y._bad"]
