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

It does in one walk what the slow path does in three: it builds each object
with its :class:`~charta.model.Location` (key path, file, line index), and it
refuses data nested deeper than :data:`MAX_DEPTH` (the slow path then finds
and reports the place).  At 5 MiB that one walk saves about half a second.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import attrs

from charta.model import (
    Charta,
    KeyPath,
    Location,
    PartialDate,
    PositionIndex,
    Reference,
    data_fields,
    key_of,
)

__all__ = ["MAX_DEPTH", "Mismatch", "structure"]

MAX_DEPTH = 40
"""Deepest nesting of tables and arrays read.  The Sindelfingen example nests
6 levels (items[1].revisions[0].caused-by[0]); 40 leaves room for items many
levels down while refusing a file built to exhaust Python's stack."""


class Mismatch(Exception):
    """The data is not exactly what the model reads; cattrs will say why."""


class _Where:
    """What every object built in one call shares: the file and its line index."""

    __slots__ = ("file", "index")

    def __init__(self, file: str | None, index: PositionIndex | None) -> None:
        self.file = file
        self.index = index


# A handler takes the value, its key path and the shared _Where.
Handler = Callable[[Any, KeyPath, _Where], Any]
# Per file key: the attribute, its handler, and whether the handler needs the
# key path (objects and arrays do; a scalar has no location to give).
_Plan = tuple[dict[str, tuple[str, Handler, bool]], frozenset[str], bool]
_PLANS: dict[type, _Plan] = {}
_INT64 = range(-(2**63), 2**63)
_LINE_END = re.compile(r"(?<!\r)\r+\n")  # from a run's first \r only: linear


def structure(
    data: Any,
    cl: type = Charta,
    *,
    file: str | None = None,
    index: PositionIndex | None = None,
) -> Any:
    """``data`` as an instance of ``cl``; :class:`Mismatch` at the first thing not right.

    Every model object in the result carries its location: its key path in
    ``data``, ``file`` and ``index`` (which finds the line when asked).
    """
    return _handler(cl)(data, (), _Where(file, index))


def _text(value: Any, path: KeyPath = (), where: Any = None) -> str:
    if type(value) is not str:
        raise Mismatch
    return _LINE_END.sub("\n", value) if "\r" in value else value


def _int(value: Any, path: KeyPath = (), where: Any = None) -> int:
    if type(value) is not int or value not in _INT64:
        raise Mismatch
    return value


def _bool(value: Any, path: KeyPath = (), where: Any = None) -> bool:
    if type(value) is not bool:
        raise Mismatch
    return value


def _datetime(value: Any, path: KeyPath = (), where: Any = None) -> dt.datetime:
    if type(value) is not dt.datetime or value.tzinfo is None:
        raise Mismatch
    return value


def _date(value: Any, path: KeyPath = (), where: Any = None) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except (TypeError, ValueError):
        raise Mismatch from None


def _reference(value: Any, path: KeyPath = (), where: Any = None) -> Reference:
    try:
        return Reference.parse(value)
    except (TypeError, ValueError):
        raise Mismatch from None


def _enum(cl: type[enum.Enum]) -> Handler:
    members = {m.value: m for m in cl}

    def handle(value: Any, path: KeyPath = (), where: Any = None) -> Any:
        if type(value) is not str or value not in members:
            raise Mismatch
        return members[value]

    _PATHLESS.add(handle)
    return handle


def _tuple(element: Handler) -> Handler:
    def handle(value: Any, path: KeyPath, where: _Where) -> tuple[Any, ...]:
        if type(value) is not list or len(path) >= MAX_DEPTH:
            raise Mismatch
        return tuple(element(v, (*path, i), where) for i, v in enumerate(value))

    return handle


_SCALARS: dict[Any, Handler] = {
    str: _text,
    int: _int,
    bool: _bool,
    PartialDate: _date,
    Reference: _reference,
    dt.datetime: _datetime,
}
_HANDLERS: dict[Any, Handler] = {}
_PATHLESS: set[Handler] = set(_SCALARS.values())


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
        # Found now: a class's own handler is registered before its plan is
        # made (on first use), so Item.children finds Item's.
        return _tuple(_handler(get_args(t)[0]))
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return _enum(t)
    if attrs.has(t):
        return _class(t)
    raise TypeError(f"no fast path for {t!r}")


def _class(cl: type) -> Handler:
    def handle(value: Any, path: KeyPath, where: _Where) -> Any:
        # At MAX_DEPTH its values would stand deeper: the slow path reports where.
        if type(value) is not dict or len(path) >= MAX_DEPTH:
            raise Mismatch
        plan, required, located = _plan(cl)
        if not required <= value.keys():
            raise Mismatch
        kwargs = {}
        for key, item in value.items():
            entry = plan.get(key)
            if entry is None:
                raise Mismatch  # an unknown key
            name, field_handler, pathless = entry
            if pathless:
                kwargs[name] = field_handler(item, (), where)
            else:
                kwargs[name] = field_handler(item, (*path, key), where)
        if located:
            kwargs["location"] = Location(path, where.file, index=where.index)
        try:
            return cl(**kwargs)
        except (TypeError, ValueError):
            raise Mismatch from None

    return handle


def _plan(cl: type) -> _Plan:
    """The fields of ``cl`` by file key, the required keys, and whether it has a location."""
    found = _PLANS.get(cl)
    if found is None:
        fields = data_fields(cl)
        plan = {}
        for a in fields:
            handler = _handler(a.type)
            plan[key_of(a.name)] = (a.name, handler, handler in _PATHLESS)
        required = frozenset(key_of(a.name) for a in fields if a.default is attrs.NOTHING)
        located = "location" in attrs.fields_dict(cl)
        found = _PLANS[cl] = (plan, required, located)
    return found
