"""Frozen records, cheaper to define and to copy than plain frozen dataclasses.

The skill's value types are frozen dataclasses. Two costs of dataclasses showed up in the
benchmarks, and both are removed here without changing what the classes do:

* `record` defines a class as `@dataclass(frozen=True)` does, but with one shared __repr__,
  __eq__ and __hash__ instead of three compiled for every class. On Python 3.11 this took
  about a third off the ~10 ms that defining the classes added to every cold start.
* `replace` copies a record without running its generated __init__, which on a frozen class
  sets every field through object.__setattr__. The engine copies records about six times per
  request, and that was a tenth of a warm request's time.

tests/test_records.py holds both to dataclasses' own behaviour.
"""
from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

Record = TypeVar("Record")
_FIELDS = "__record_fields__"  # the class's field names, in order


@dataclass_transform(frozen_default=True)  # type checkers treat records as frozen dataclasses
def record(cls: type[Record]) -> type[Record]:
    """Use as `@dataclass(frozen=True)` would be used."""
    # Any: the class is patched below, which a type checker cannot follow.
    made: Any = dataclasses.dataclass(frozen=True, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)
    if any(not (f.repr and f.compare and f.init) or f.hash is not None for f in fields) \
            or hasattr(made, "__post_init__"):
        raise TypeError(f"{made.__name__}: use @dataclass(frozen=True) for special fields")
    setattr(made, _FIELDS, tuple(f.name for f in fields))
    made.__repr__ = _repr
    made.__eq__ = _eq
    made.__hash__ = _hash
    return made


def _values(self: object) -> tuple:
    return tuple(getattr(self, name) for name in getattr(self, _FIELDS))


def _repr(self: object) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in getattr(self, _FIELDS))
    return f"{type(self).__qualname__}({shown})"


def _eq(self: object, other: object) -> bool:
    if other.__class__ is self.__class__:
        return _values(self) == _values(other)
    return NotImplemented


def _hash(self: object) -> int:
    return hash(_values(self))


def replace(record: Record, /, **changes: object) -> Record:
    """dataclasses.replace for records, and for frozen dataclasses without special fields."""
    kind = type(record)
    names = _REPLACEABLE.get(kind) or _replaceable(kind)
    unknown = changes.keys() - names
    if unknown:
        raise TypeError(f"{kind.__name__} has no field {sorted(unknown)[0]!r}")
    copy = object.__new__(kind)
    copy.__dict__.update(record.__dict__)
    copy.__dict__.update(changes)
    return copy


_REPLACEABLE: dict[type, frozenset[str]] = {}


def _replaceable(kind: type) -> frozenset[str]:
    if not dataclasses.is_dataclass(kind) or hasattr(kind, "__post_init__") \
            or "__slots__" in vars(kind):
        raise TypeError(f"{kind.__name__} is not a plain dataclass; use dataclasses.replace")
    fields = dataclasses.fields(kind)
    if any(not f.init for f in fields):
        raise TypeError(f"{kind.__name__} has init=False fields; use dataclasses.replace")
    _REPLACEABLE[kind] = names = frozenset(f.name for f in fields)
    return names
