"""The fast path from parsed TOML to model objects, for data that is right.

Reading a valid charta is what every command does first, so it must be
cheap.  cattrs is the converter of record (:mod:`charta.adapters.toml.convert`): it
writes every file and explains every shape problem.  But building its
converter generates and compiles a function per model class, and importing
it costs a tenth of a run.  This module reads *valid* data with a plan per
class, worked out once from the model's attrs fields, and gives up at the
first thing that is not exactly right (:class:`Mismatch`); the caller then
asks cattrs, which either accepts the data (and its result is used) or says
precisely what is wrong.  So the fast path can only ever be stricter than
cattrs, never more lenient; a property test holds the two to the same
result for every generated charta.
"""

from __future__ import annotations

import enum
import re
import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import attrs

from charta.model import Charta, PartialDate, Reference, data_fields, key_of

__all__ = ["Mismatch", "structure"]


class Mismatch(Exception):
    """The data is not exactly what the model reads; cattrs will say why."""


Handler = Callable[[Any], Any]
_PLANS: dict[type, tuple[dict[str, tuple[str, Handler]], frozenset[str]]] = {}
_INT64 = range(-(2**63), 2**63)
_LINE_END = re.compile(r"\r+\n")


def structure(data: Any, cl: type = Charta) -> Any:
    """``data`` as an instance of ``cl``; :class:`Mismatch` at the first thing not right."""
    return _handler(cl)(data)


def _text(value: Any) -> str:
    if type(value) is not str:
        raise Mismatch
    return _LINE_END.sub("\n", value) if "\r" in value else value


def _int(value: Any) -> int:
    if type(value) is not int or value not in _INT64:
        raise Mismatch
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Mismatch
    return value


def _date(value: Any) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except (TypeError, ValueError):
        raise Mismatch from None


def _reference(value: Any) -> Reference:
    try:
        return Reference.parse(value)
    except (TypeError, ValueError):
        raise Mismatch from None


def _enum(cl: type[enum.Enum]) -> Handler:
    members = {m.value: m for m in cl}

    def handle(value: Any) -> Any:
        if type(value) is not str or value not in members:
            raise Mismatch
        return members[value]

    return handle


def _tuple(element: Handler) -> Handler:
    def handle(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Mismatch
        return tuple(element(v) for v in value)

    return handle


_SCALARS: dict[Any, Handler] = {
    str: _text,
    int: _int,
    bool: _bool,
    PartialDate: _date,
    Reference: _reference,
}
_HANDLERS: dict[Any, Handler] = {}


def _handler(t: Any) -> Handler:
    found = _HANDLERS.get(t)
    if found is None:
        found = _HANDLERS[t] = _make_handler(t)
    return found


def _make_handler(t: Any) -> Handler:
    if t in _SCALARS:
        return _SCALARS[t]
    origin = get_origin(t)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(t) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"no fast path for {t!r}")  # a model change: extend this module
        return _handler(options[0])  # TOML has no null: a key is there or not
    if origin is tuple:
        element = get_args(t)[0]
        return _tuple(_lazy(element))
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return _enum(t)
    if attrs.has(t):
        return _class(t)
    raise TypeError(f"no fast path for {t!r}")


def _lazy(t: Any) -> Handler:
    """A handler found on first use: Item.children refers to Item itself."""

    def handle(value: Any) -> Any:
        return _handler(t)(value)

    return handle


def _class(cl: type) -> Handler:
    def handle(value: Any) -> Any:
        if type(value) is not dict:
            raise Mismatch
        plan, required = _plan(cl)
        if not required <= value.keys():
            raise Mismatch
        kwargs = {}
        for key, item in value.items():
            entry = plan.get(key)
            if entry is None:
                raise Mismatch  # an unknown key
            name, field_handler = entry
            kwargs[name] = field_handler(item)
        try:
            return cl(**kwargs)
        except (TypeError, ValueError):
            raise Mismatch from None

    return handle


def _plan(cl: type) -> tuple[dict[str, tuple[str, Handler]], frozenset[str]]:
    found = _PLANS.get(cl)
    if found is None:
        fields = data_fields(cl)
        plan = {key_of(a.name): (a.name, _lazy(a.type)) for a in fields}
        required = frozenset(key_of(a.name) for a in fields if a.default is attrs.NOTHING)
        found = _PLANS[cl] = (plan, required)
    return found
