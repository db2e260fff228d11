"""One JSON path: every JSON output names its schema, and validates against it.

The schemas are generated from the types the outputs are made from
(:func:`charta.adapters.schema.schema_of`); here each output of the examples,
good and bad, is checked against the schema of its kind with ``jsonschema``.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from charta.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sindelfingen" / "leitmotive.toml"
MUSTERSTADT = ROOT / "examples" / "musterstadt" / "leitmotive.toml"
MUSTERKREIS = ROOT / "examples" / "musterkreis" / "leitlinien.toml"
BAD = ROOT / "tests" / "data" / "diff"  # any folder: a folder is a file that cannot be read


def run(*args: object) -> str:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False).stdout


def schema(kind: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(run("schema", "--for", kind))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


CASES = [
    ("charta", ("render", EXAMPLE, "--format", "json")),
    ("charta", ("render", MUSTERKREIS, "--format", "json")),
    ("validate", ("validate", "--format", "json", EXAMPLE, MUSTERSTADT)),
    ("validate", ("validate", "--format", "json", "--show", "info", BAD, "nowhere.toml")),
    ("rules", ("rules", "--format", "json")),
    ("trace", ("trace", f"{MUSTERSTADT}#vorne-dabei", "--format", "json")),
    ("trace", ("trace", f"{EXAMPLE}#vorne-dabei", "--format", "json")),
    ("suggest", ("suggest", MUSTERKREIS, "--format", "json")),
    ("report", ("consult", "report", EXAMPLE, "--format", "json")),
    ("report", ("consult", "report", EXAMPLE, "--format", "json", "--internal")),
    ("diff", ("diff", EXAMPLE, "--format", "json")),
    ("diff", ("diff", MUSTERSTADT, EXAMPLE, "--format", "json")),
]


@pytest.mark.parametrize(
    ("kind", "args"), CASES, ids=[f"{k}-{n}" for n, (k, _) in enumerate(CASES)]
)
def test_every_json_output_matches_the_schema_it_names(kind: str, args: tuple[object, ...]) -> None:
    the_schema = schema(kind)
    data = json.loads(run(*args))
    assert data["$schema"] == the_schema["$id"]
    assert str(the_schema["$id"]).endswith(f"/{kind}.json")
    jsonschema.validate(data, the_schema, cls=jsonschema.Draft202012Validator)


def test_a_schema_rejects_what_its_type_does_not_allow() -> None:
    the_schema = schema("validate")
    data = json.loads(run("validate", "--format", "json", EXAMPLE))
    data["files"][0]["problems"] = [{"code": "x"}]  # a problem without level or place
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, the_schema, cls=jsonschema.Draft202012Validator)
    data = json.loads(run("validate", "--format", "json", EXAMPLE))
    data["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, the_schema, cls=jsonschema.Draft202012Validator)


def test_every_schema_id_carries_the_one_version() -> None:
    from charta.adapters.schema import SCHEMA_VERSION

    kinds = {kind for kind, _ in CASES}
    for kind in kinds:
        assert schema(kind)["$id"] == f"https://charta.invalid/schema/{SCHEMA_VERSION}/{kind}.json"


def test_json_outputs_are_ascii() -> None:
    # Controls, line separators and bidi overrides from a citizen's text stay escaped.
    for _, args in CASES:
        assert run(*args).isascii()
