"""charta: municipal digital principles as typed objects with provenance.

>>> import charta
>>> scc = charta.get_source("smart-city-charta")
>>> town = charta.load("examples/sindelfingen/leitmotive.toml")   # doctest: +SKIP

Every name below is imported on first use (PEP 562): ``import charta`` and
``charta --help`` do not pay for the reader (tomllib, cattrs) until a
function needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from charta.check.checker import Report
    from charta.check.loading import (
        dumps,
        get_source,
        load,
        loads,
        open_charta,
        source_ids,
        validate,
        validate_text,
    )
    from charta.errors import ChartaError, Level, Problem, Rule, ValidationError
    from charta.model import (
        Adoption,
        Assertion,
        Basis,
        Charta,
        ChartaKind,
        Comment,
        Commenter,
        Completeness,
        Confidence,
        Consultation,
        CoveredElsewhere,
        Decision,
        Derivation,
        Edition,
        Issuer,
        IssuerKind,
        Item,
        ItemKind,
        Knowledge,
        Lineage,
        Location,
        MergedAway,
        Obtained,
        Omission,
        PartialDate,
        PartOf,
        Provenance,
        Reference,
        Relation,
        Response,
        RevisedField,
        Revision,
        Status,
        Title,
    )
    from charta.privacy import public_view
    from charta.references import Resolver
    from charta.render.run import render_charta
    from charta.rules import RULES

_MODEL = (
    "Adoption Assertion Basis Charta ChartaKind Comment Commenter Completeness Confidence "
    "Consultation CoveredElsewhere Decision Derivation Edition Issuer IssuerKind Item ItemKind "
    "Knowledge Lineage Location MergedAway Obtained Omission PartOf PartialDate Provenance "
    "Reference Relation Response RevisedField Revision Status Title"
)
_WHERE: dict[str, str] = {
    **dict.fromkeys(_MODEL.split(), "charta.model"),
    **dict.fromkeys(
        ["ChartaError", "Level", "Problem", "Rule", "ValidationError"], "charta.errors"
    ),
    **dict.fromkeys(
        [
            "dumps",
            "get_source",
            "load",
            "loads",
            "open_charta",
            "source_ids",
            "validate",
            "validate_text",
        ],
        "charta.check.loading",
    ),
    "Report": "charta.check.checker",
    "RULES": "charta.rules",
    "Resolver": "charta.references",
    "public_view": "charta.privacy",
    "render_charta": "charta.render.run",
}

__all__ = [
    "RULES",
    "Adoption",
    "Assertion",
    "Basis",
    "Charta",
    "ChartaError",
    "ChartaKind",
    "Comment",
    "Commenter",
    "Completeness",
    "Confidence",
    "Consultation",
    "CoveredElsewhere",
    "Decision",
    "Derivation",
    "Edition",
    "Issuer",
    "IssuerKind",
    "Item",
    "ItemKind",
    "Knowledge",
    "Level",
    "Lineage",
    "Location",
    "MergedAway",
    "Obtained",
    "Omission",
    "PartOf",
    "PartialDate",
    "Problem",
    "Provenance",
    "Reference",
    "Relation",
    "Report",
    "Resolver",
    "Response",
    "RevisedField",
    "Revision",
    "Rule",
    "Status",
    "Title",
    "ValidationError",
    "dumps",
    "get_source",
    "load",
    "loads",
    "open_charta",
    "public_view",
    "render_charta",
    "source_ids",
    "validate",
    "validate_text",
]
# A test checks that __all__ and _WHERE name the same things.


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    # Read from the installed metadata only when asked: it costs start-up time.
    if name == "__version__":
        from importlib.metadata import version  # lazy: metadata costs start-up time

        return version("charta")
    raise AttributeError(f"module 'charta' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
