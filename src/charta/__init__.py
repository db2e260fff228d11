"""charta: municipal digital principles as typed objects with provenance.

>>> import charta
>>> scc = charta.get_source("smart-city-charta")
>>> town = charta.load("examples/sindelfingen/leitmotive.toml")   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from charta.errors import ChartaError, Problem, Severity, ValidationError
from charta.loading import dumps, get_source, load, loads, source_ids, validate
from charta.model import (
    Basis,
    Charta,
    ChartaKind,
    Comment,
    Commenter,
    Completeness,
    Confidence,
    Consultation,
    Decision,
    Derivation,
    Edition,
    Issuer,
    Item,
    ItemKind,
    Knowledge,
    Location,
    Obtained,
    Omission,
    PartialDate,
    Provenance,
    Reference,
    Relation,
    Response,
    RevisedField,
    Revision,
    Status,
    Title,
)
from charta.validate import Report

__all__ = [
    "Basis",
    "Charta",
    "ChartaError",
    "ChartaKind",
    "Comment",
    "Commenter",
    "Completeness",
    "Confidence",
    "Consultation",
    "Decision",
    "Derivation",
    "Edition",
    "Issuer",
    "Item",
    "ItemKind",
    "Knowledge",
    "Location",
    "Obtained",
    "Omission",
    "PartialDate",
    "Problem",
    "Provenance",
    "Reference",
    "Relation",
    "Report",
    "Response",
    "RevisedField",
    "Revision",
    "Severity",
    "Status",
    "Title",
    "ValidationError",
    "dumps",
    "get_source",
    "load",
    "loads",
    "source_ids",
    "validate",
]


def __getattr__(name: str) -> Any:
    # Read from the installed metadata only when asked: it costs start-up time.
    if name == "__version__":
        from importlib.metadata import version

        return version("charta")
    raise AttributeError(f"module 'charta' has no attribute {name!r}")
