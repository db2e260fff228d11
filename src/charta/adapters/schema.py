"""JSON Schemas generated from the types: of the charta file format, and of every
JSON document charta writes.

Generated, not written by hand, so that a schema cannot drift from what the
reader accepts or a writer writes.  Each field is described by the docstring
under it in its class.  Editors that understand JSON Schema for TOML (Taplo,
"Even Better TOML") use the format's schema for completion and checks.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import functools
import inspect
import itertools
import sys
import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from charta import model
from charta.model import (
    FORMAT_VERSION,
    ID_PATTERN,
    Charta,
    PartialDate,
    Reference,
    data_fields,
    key_of,
)

__all__ = ["SCHEMA_VERSION", "json_schema", "schema_id", "schema_of"]

SCHEMA_VERSION = 1
"""The version of every JSON document charta writes and of their schemas: raised
when a document changes in a way that a reader of the old one would misread."""


def schema_id(kind: str) -> str:
    """The identifier of the schema of a kind of document (``charta``, ``diff``,
    ``validate`` ...), versioned.  An identifier, not an address: the schemas ship
    with charta (``charta schema --for KIND``)."""
    return f"https://charta.invalid/schema/{SCHEMA_VERSION}/{kind}.json"


_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    PartialDate: {
        "description": "A TOML date (2020-11-08), or a year or month as a string: "
        '"2020", "2020-11".',
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "pattern": r"^\d{4}(-\d{2})?$"},
        ],
    },
    dt.datetime: {
        "description": "A date and time with its zone: a TOML offset date-time "
        "(2024-03-04T08:15:27Z), in JSON an ISO 8601 string.",
        "type": "string",
        "format": "date-time",
    },
    Reference: {
        "description": "A reference: 'source-id#item-id', 'source-id@edition#item-id', "
        "'#item-id' (this charta), 'source-id' (the whole charta) or "
        "'path/to/file.toml#item-id'.",
        "type": "string",
        "pattern": r"^([^#@]+(@[^#@/\\]+)?)?(#[a-z0-9]([a-z0-9-]*[a-z0-9])?)?$",
        "minLength": 1,
    },
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a charta TOML file (and of ``render --format json``)."""
    return schema_of(Charta, kind="charta", title="charta file")


def schema_of(cl: type, *, kind: str, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the attrs class ``cl`` as charta writes it.

    A document of ``kind`` carries its schema's identifier in a ``$schema`` key,
    which the schema allows; a TOML file need not.
    """
    defs: dict[str, Any] = {}
    root = _class_schema(cl, defs)
    root["properties"] = {
        "$schema": {"description": "The identifier of this schema.", "const": schema_id(kind)},
        **root["properties"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(kind),
        "title": title,
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _type_schema(t: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if t in _SCALARS:
        return dict(_SCALARS[t])
    origin = get_origin(t)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(t) if a is not type(None)]
        if len(options) == 1:
            return _type_schema(options[0], defs)
        return {"anyOf": [_type_schema(a, defs) for a in options]}
    if origin is Literal:
        return {"enum": list(get_args(t))}
    if origin in (tuple, list):
        return {"type": "array", "items": _type_schema(get_args(t)[0], defs)}
    if origin is dict:
        key, value = get_args(t)
        if key is not str:
            raise TypeError(f"no schema for {t!r}: JSON object keys are strings")
        return {"type": "object", "additionalProperties": _type_schema(value, defs)}
    if isinstance(t, type) and issubclass(t, enum.Enum):
        if t.__name__ not in defs:
            defs[t.__name__] = {
                "description": _doc(t),
                "enum": [m.value for m in t],
            }
        return {"$ref": f"#/$defs/{t.__name__}"}
    if attrs.has(t):
        if t.__name__ not in defs:
            defs[t.__name__] = {}  # placeholder for recursive types (Item.children)
            defs[t.__name__] = _class_schema(t, defs)
        return {"$ref": f"#/$defs/{t.__name__}"}
    raise TypeError(f"no schema for {t!r}")  # a model type the schema does not know yet


def _class_schema(cl: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = get_type_hints(cl)
    docs = _attribute_docs(cl.__module__).get(cl.__name__, {})
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in data_fields(cl):
        key = key_of(a.name)
        prop = _type_schema(hints[a.name], defs)
        if a.default is attrs.NOTHING and _nullable(hints[a.name]):
            # Required and possibly None: written as null (a default None is left out).
            prop = {"anyOf": [prop, {"type": "null"}]}
        if "json_schema" in a.metadata:  # what the type cannot say: a pattern, the values
            prop = {**prop, **a.metadata["json_schema"]}
        if a.name == "id":
            prop = {**prop, "pattern": f"^{ID_PATTERN.pattern}$"}
        if cl is Charta and a.name == "format":
            prop = {**prop, "const": FORMAT_VERSION}
        if a.name in docs:
            prop = {"description": docs[a.name], **prop}
        if a.default is not attrs.NOTHING and not isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            default = a.default
            if isinstance(default, enum.Enum):
                default = default.value
            if isinstance(default, tuple):
                default = list(default)
            if default is not None and isinstance(default, str | int | bool | list):
                prop = {**prop, "default": default}
        elif a.default is attrs.NOTHING:
            required.append(key)
        properties[key] = prop
    schema: dict[str, Any] = {
        "description": _doc(cl),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _nullable(t: Any) -> bool:
    return get_origin(t) in (Union, types.UnionType) and type(None) in get_args(t)


@functools.cache
def _attribute_docs(module: str = model.__name__) -> dict[str, dict[str, str]]:
    """The docstrings under the fields of a module's classes (``x: int`` then a string).

    Python keeps no attribute docstrings at run time; reading them from the
    source gives editors a description for every key.
    """
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (OSError, TypeError):  # no source shipped: descriptions are a nicety
        return {}
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        body = node.body
        for stmt, after in itertools.pairwise(body):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                fields[stmt.target.id] = " ".join(after.value.value.split())
        out[node.name] = fields
    return out


def _doc(obj: type) -> str:
    return (inspect.getdoc(obj) or "").split("\n\n")[0].replace("\n", " ")
