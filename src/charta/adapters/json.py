"""JSON: the one path by which every JSON document charta writes is made.

A document is a typed object (a charta, a validation, a diff, a trace, a
weighing table ...).  :func:`dumps` turns it into JSON with the one cattrs
converter (set up by :func:`charta.adapters.toml.convert.configure`, as the
TOML adapter's is: kebab-case keys, strict scalars) and puts the versioned
identifier of its schema first, under ``$schema``.  The schema itself is
generated from the same type (:func:`charta.adapters.schema.schema_of`).

Every character beyond ASCII is escaped (``ensure_ascii``): no control
character, line separator or bidi override reaches a terminal or a log raw.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import cattrs

from charta.adapters.schema import schema_id
from charta.adapters.toml.convert import configure

__all__ = ["converter", "dumps", "schema_text", "to_data"]


@functools.cache
def converter() -> cattrs.Converter:
    """The converter for JSON: as the TOML one, with full dates as ISO strings."""
    made = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    configure(made, dates="iso")
    return made


def to_data(document: Any, kind: str) -> dict[str, Any]:
    """``document`` as plain data, with ``$schema`` naming its kind's schema first."""
    data = converter().unstructure(document)
    return {"$schema": schema_id(kind), **data}


def dumps(document: Any, kind: str) -> str:
    """``document`` as a JSON text (indented, ASCII only, one final newline)."""
    return json.dumps(to_data(document, kind), indent=2, ensure_ascii=True) + "\n"


def schema_text(schema: dict[str, Any]) -> str:
    """A JSON Schema as ``charta schema`` prints it (its descriptions as written)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
