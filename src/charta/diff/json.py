"""The diff as JSON for CI, and the JSON Schema of that structure.

Written by hand for now; the output is a stable interface (``schema``
version 1, and docs/diff.schema.json is the schema, a test keeps them equal).
"""

from __future__ import annotations

import json
from typing import Any

from charta.diff.classes import COMPARISONS, ChangeClass
from charta.diff.model import Change, Diff
from charta.diff.words import Op
from charta.errors import Level

__all__ = ["JSON_SCHEMA_VERSION", "diff_json", "json_schema"]

JSON_SCHEMA_VERSION = 1
"""The version of the structure ``charta diff --format json`` prints."""


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "class": change.change_class.value,
        "level": change.level.value,
        "fingerprint": change.fingerprint,
        "message": change.message,
        "item": change.item or None,
        "other": change.other or None,
        "source": change.source or None,
        "relation": change.relation or None,
        "asserted": change.asserted or None,
        "words": [{"op": p.op.value, "text": p.text} for p in change.words],
        "note": change.note or None,
        "causes": [
            {
                "date": str(c.date) if c.date else None,
                "reason": c.reason or None,
                "comment": {"id": c.comment_id, "by": c.comment_by, "text": c.comment_text}
                if c.comment_id
                else None,
                "response": {
                    "id": c.response_id,
                    "by": c.response_by,
                    "decision": c.decision,
                    "text": c.response_text,
                }
                if c.response_id
                else None,
            }
            for c in change.causes
        ],
        "locations": [
            {"file": loc.file, "line": loc.line, "column": loc.column, "key-path": loc.key_path}
            for loc in change.locations
        ],
    }


def diff_json(diff: Diff) -> str:
    data = {
        "schema": JSON_SCHEMA_VERSION,
        "comparison": diff.comparison,
        "old": diff.old,
        "new": diff.new,
        "coverage": [
            {
                "source": c.source,
                "known": c.known,
                "declared": c.declared,
                "derived": c.derived,
                "covered-elsewhere": c.covered_elsewhere,
                "omitted": c.omitted,
                "not-addressed": c.not_addressed,
                "basis": c.basis,
            }
            for c in diff.coverage
        ],
        "notes": list(diff.notes),
        "changes": [_change_json(c) for c in diff.changes],
    }
    # ensure_ascii: no control, bidirectional or invisible character from a
    # charta reaches a terminal or a log raw; JSON readers get the same text.
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``charta diff --format json`` (``charta diff --schema``)."""
    nullable_str = {"type": ["string", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://charta.invalid/schema/diff-1.json",
        "title": "charta diff",
        "type": "object",
        "required": ["schema", "comparison", "old", "new", "changes"],
        "properties": {
            "schema": {"const": JSON_SCHEMA_VERSION},
            "comparison": {"enum": list(COMPARISONS)},
            "old": {"type": "string"},
            "new": {"type": "string"},
            "notes": {"type": "array", "items": {"type": "string"}},
            "coverage": {"type": "array", "items": {"type": "object"}},
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["class", "level", "fingerprint", "message", "locations"],
                    "properties": {
                        "class": {"enum": [c.value for c in ChangeClass]},
                        "level": {"enum": [level.value for level in Level]},
                        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{12}$"},
                        "message": {"type": "string"},
                        "item": nullable_str,
                        "other": nullable_str,
                        "source": nullable_str,
                        "relation": nullable_str,
                        "asserted": {"enum": ["stated", "inferred", None]},
                        "note": nullable_str,
                        "words": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "op": {"enum": [op.value for op in Op]},
                                    "text": {"type": "string"},
                                },
                            },
                        },
                        "causes": {"type": "array", "items": {"type": "object"}},
                        "locations": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "file": nullable_str,
                                    "line": {"type": ["integer", "null"]},
                                    "column": {"type": ["integer", "null"]},
                                    "key-path": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
