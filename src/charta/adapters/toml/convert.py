"""The one cattrs setup: model <-> plain data (dicts, lists, scalars).

Both the TOML and the JSON adapter (:mod:`charta.adapters.json`) build their
converter with :func:`configure`; they differ only in how dates travel.  Keys are kebab-case
(``derived-from``), unknown keys are an error, defaults are left out when
writing so that the canonical file holds only what a person wrote, and
scalars are strict: a number where text belongs is an error, never silently
turned into ``"5"``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from charta import rules
from charta.errors import Rule
from charta.hints import did_you_mean
from charta.model import Charta, KeyPath, PartialDate, Reference, data_fields, key_of

__all__ = [
    "ShapeError",
    "configure",
    "shape_problems",
    "structure_toml",
    "toml_converter",
]

T = TypeVar("T")


class ShapeError(ValueError):
    """A value has the wrong type or form; the message says what is expected."""

    def __init__(self, message: str, rule: Rule = rules.WRONG_TYPE) -> None:
        super().__init__(message)
        self.rule = rule


def keys_of(cl: type) -> list[str]:
    """The keys a table for ``cl`` may hold."""
    return [key_of(a.name) for a in data_fields(cl)]


_TYPE_NAMES = {int: "a whole number", bool: "true or false", dict: "a table"}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int) and not -(10**18) < value < 10**18:
        # Never str() a huge int: Python refuses more than 4,300 digits.
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dt.date):
        return f"the date {value}"
    return type(value).__name__


def _text(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise ShapeError(f"expected a string, found {_describe(value)}")
    # The canonical form writes LF line ends inside texts (tomli-w turns CRLF
    # into LF in multi-line strings), so reading does the same: otherwise an
    # escaped "\r\n" would not survive load -> dump -> load.  Any run of CRs
    # before an LF is one line end: replacing only "\r\n" would turn
    # "\r\r\n" into "\r\n", which the next round trip changes again.
    return _LINE_END.sub("\n", value) if "\r" in value else value


_LINE_END = re.compile(r"(?<!\r)\r+\n")  # from a run's first \r only: linear


_INT_RANGE = range(-(2**63), 2**63)
"""TOML's integers: 64 bits.  tomllib reads larger ones (0xfff... with 5,000 digits) too."""


def _strict(expected: type) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _: Any) -> Any:
        # bool is an int in Python, not in TOML.
        if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
            if expected is int and value not in _INT_RANGE:
                raise ShapeError(
                    f"{_describe(value)} is out of range: TOML whole numbers have 64 bits, "
                    "and a charta needs only small ones (counts, page numbers)"
                )
            return value
        raise ShapeError(f"expected {_TYPE_NAMES[expected]}, found {_describe(value)}")

    return hook


def _enum_hook(cl: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    values = [m.value for m in cl]

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, str):
            raise ShapeError(
                f"expected one of {_choices(values)}, found {_describe(value)}", rules.NOT_ALLOWED
            )
        try:
            return cl(value)
        except ValueError:
            raise ShapeError(
                f"'{value}' is not allowed here{did_you_mean(value, values)}; "
                f"use one of {_choices(values)}",
                rules.NOT_ALLOWED,
            ) from None

    return hook


def _choices(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _partial_date(value: Any, _: Any) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except (TypeError, ValueError) as exc:
        raise ShapeError(str(exc), rules.BAD_DATE) from None


def _iso_date(value: Any, _: Any) -> PartialDate:
    if isinstance(value, str) and len(value) == 10:
        try:
            return PartialDate.parse(dt.date.fromisoformat(value))
        except ValueError:
            raise ShapeError(f"'{value}' is not a date (YYYY-MM-DD)", rules.BAD_DATE) from None
    return _partial_date(value, _)


def _datetime(value: Any, _: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ShapeError(
            f"expected a date and time with its zone (2024-03-04T08:15:27Z), found "
            f"{_describe(value)}",
            rules.BAD_DATE,
        )
    if value.tzinfo is None:
        raise ShapeError(
            f"the time {value.isoformat()} has no zone: write it with Z (UTC) or +01:00",
            rules.BAD_DATE,
        )
    return value


def _iso_datetime(value: Any, _: Any) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ShapeError(f"'{value}' is not a date and time", rules.BAD_DATE) from None
    return _datetime(value, _)


def _reference(value: Any, _: Any) -> Reference:
    try:
        return Reference.parse(value)
    except TypeError:
        raise ShapeError(
            f"expected a reference as a string, found {_describe(value)}", rules.BAD_REFERENCE
        ) from None
    except ValueError as exc:
        raise ShapeError(str(exc), rules.BAD_REFERENCE) from None


def _is_tuple(t: Any) -> bool:
    return get_origin(t) is tuple


def _tuple_hook_factory(converter: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        (element, _ellipsis) = get_args(t)

        def hook(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise ShapeError(f"expected an array, found {_describe(value)}")
            out, errors = [], []
            for index, v in enumerate(value):
                try:
                    out.append(converter.structure(v, element))
                except Exception as exc:
                    exc.__notes__ = [
                        *getattr(exc, "__notes__", []),
                        IterableValidationNote(f"@ index {index}", index, element),
                    ]
                    errors.append(exc)
            if errors:
                raise IterableValidationError("while reading an array", errors, t)
            return tuple(out)

        return hook

    return factory


def configure(converter: cattrs.Converter, *, dates: str) -> None:
    """Set up ``converter`` for the charta model.

    ``dates="native"`` leaves full dates as :class:`datetime.date` (TOML);
    ``dates="iso"`` writes them as ISO strings (JSON).
    """
    converter.register_structure_hook(str, _text)
    converter.register_structure_hook(int, _strict(int))
    converter.register_structure_hook(bool, _strict(bool))
    if dates == "iso":
        # JSON has no date type: full dates travel as "2020-11-08" strings.
        converter.register_structure_hook(PartialDate, _iso_date)
        converter.register_unstructure_hook(PartialDate, str)
    else:
        converter.register_structure_hook(PartialDate, _partial_date)
        converter.register_unstructure_hook(PartialDate, lambda d: d.to_toml())
    converter.register_structure_hook(Reference, _reference)
    converter.register_unstructure_hook(Reference, str)
    if dates == "iso":
        converter.register_structure_hook(dt.datetime, _iso_datetime)
        converter.register_unstructure_hook(dt.datetime, lambda t: t.isoformat())
    else:
        converter.register_structure_hook(dt.datetime, _datetime)
        converter.register_unstructure_hook(dt.datetime, lambda t: t)
    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    converter.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda _: lambda e: e.value
    )
    converter.register_structure_hook_factory(_is_tuple, _tuple_hook_factory(converter))
    converter.register_unstructure_hook_factory(
        _is_tuple, lambda _: lambda v: [converter.unstructure(x) for x in v]
    )

    def overrides(cl: type) -> dict[str, Any]:
        out = {}
        if "location" in attrs.fields_dict(cl):
            out["location"] = override(omit=True)  # metadata, never a key
        for a in data_fields(cl):
            if a.name == "format":
                # Always written: a file must say which format it is in.
                out[a.name] = override(rename=key_of(a.name), omit_if_default=False)
            else:
                out[a.name] = override(rename=key_of(a.name))
        return out

    def structure_factory(cl: type) -> Callable[[Any, Any], Any]:
        generated: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cl, converter, _cattrs_forbid_extra_keys=True, **overrides(cl)
        )

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise ShapeError(f"expected a table, found {_describe(value)}")
            return generated(value, cl)

        return hook

    def unstructure_factory(cl: type) -> Callable[[Any], Any]:
        # omit_if_default must be passed here: the factory does not inherit it.
        generated: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cl, converter, _cattrs_omit_if_default=True, **overrides(cl)
        )
        # The generated function writes required keys first; the canonical
        # form follows the model's field order, which reads like a document.
        order = {key_of(a.name): n for n, a in enumerate(attrs.fields(cl))}

        def hook(obj: Any) -> dict[str, Any]:
            data = generated(obj)
            return dict(sorted(data.items(), key=lambda kv: order[kv[0]]))

        return hook

    converter.register_structure_hook_factory(attrs.has, structure_factory)
    converter.register_unstructure_hook_factory(attrs.has, unstructure_factory)


@functools.cache
def toml_converter(*, detailed: bool = False) -> cattrs.Converter:
    """The converter for TOML data.

    Reading tries the plain converter first and turns to the ``detailed`` one
    only when the data is wrong: cattrs' detailed validation (every problem,
    with its path) generates about twice the code, which is half of what
    reading a valid file costs at start-up.  Both are set up by configure().
    """
    # Not cattrs.preconf.tomllib: configure() already sets every hook the model
    # needs (dates included), and the preconf module costs ~2.5 ms of start-up.
    converter = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=True)
    configure(converter, dates="native")
    return converter


def structure_toml(data: dict[str, Any]) -> Charta:
    """A charta from parsed TOML; on bad data, the detailed error tree for shape_problems."""
    try:
        return toml_converter().structure(data, Charta)
    except Exception:  # any failure: ask the detailed converter why
        pass
    return toml_converter(detailed=True).structure(data, Charta)


Shape = tuple[KeyPath, Rule, Callable[[], str]]
"""A shape problem: where, which rule, and its message (made only when shown)."""


def shape_problems(exc: BaseException, cl: type = Charta) -> Iterator[Shape]:
    """Turn cattrs' nested validation errors into ``(key path, rule, message)`` triples.

    Like ``cattrs.transform_error``, but it keeps the path as data (to find
    the line) and words each message for a person editing the file.  The
    message is a function: a file with 300,000 unknown keys shows a few, and
    must not pay for a suggestion for each of the others.
    """
    yield from _walk(exc, (), cl)


def _walk(exc: BaseException, path: KeyPath, cl: Any) -> Iterator[Shape]:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            assert isinstance(note, AttributeValidationNote)
            yield from _leaf_or_walk(sub, (*path, key_of(note.name)), note.type, note.name)
        for sub in without:
            yield from _walk(sub, path, cl)
    elif isinstance(exc, IterableValidationError):
        items, rest = exc.group_exceptions()
        for sub, inote in items:
            yield from _leaf_or_walk(sub, (*path, inote.index), inote.type, None)
        for sub in rest:
            yield from _walk(sub, path, cl)
    elif isinstance(exc, ForbiddenExtraKeysError):
        known = keys_of(exc.cl)
        table = _table_name(exc.cl)

        def unknown(extra: str) -> Callable[[], str]:
            if path and extra in _TOP_LEVEL_KEYS():
                # TOML puts every key after a [table] header into that table.
                header = _header(path)
                return lambda: (
                    f"'{extra}' is a top-level key, but it stands after the header {header}, "
                    f"so TOML puts it into that table: move it above the first [table] header"
                )
            return lambda: (
                f"unknown key '{extra}'{did_you_mean(extra, known)}; "
                f"{table} may hold: {', '.join(known)}"
            )

        for extra in sorted(exc.extra_fields):
            yield (*path, extra), rules.UNKNOWN_KEY, unknown(extra)
    elif isinstance(exc, ShapeError):
        message = str(exc)
        yield path, exc.rule, lambda: message
    else:
        message = f"invalid value ({exc})"
        yield path, rules.WRONG_TYPE, lambda: message


def _leaf_or_walk(
    exc: BaseException, path: KeyPath, t: Any, attribute: str | None
) -> Iterator[Shape]:
    if isinstance(exc, KeyError) and attribute is not None:
        message = f"required key '{key_of(attribute)}' is missing"
        yield path, rules.MISSING_KEY, lambda: message
    else:
        yield from _walk(exc, path, t)


@functools.cache
def _TOP_LEVEL_KEYS() -> frozenset[str]:
    return frozenset(keys_of(Charta))


def _header(path: KeyPath) -> str:
    """The TOML header of the table at ``path``: ``[issuer]``, ``[[items]]``."""
    names = [p for p in path if isinstance(p, str)]
    if isinstance(path[-1], int):
        return f"[[{'.'.join(names)}]]"
    return f"[{'.'.join(names)}]"


def _table_name(cl: type) -> str:
    name = {"Charta": "the charta", "MergedAway": "merged-away"}.get(
        cl.__name__, cl.__name__.lower()
    )
    if name.startswith("the "):
        return f"{name} table"
    article = "an" if name[0] in "aeiou" else "a"
    return f"{article} {name} table"
