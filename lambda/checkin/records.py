"""Frozen records, cheaper to define and to copy than plain frozen dataclasses.

The skill's value types are frozen dataclasses. Two costs of dataclasses showed up in the
benchmarks, and both are removed here without changing what the classes do:

* `record` defines a class as `@dataclass(frozen=True)` does, but compiles only its __init__:
  __repr__, __eq__, __hash__, and the __setattr__ and __delattr__ that refuse changes, are
  shared by every record, where dataclasses compiles all six for each class. For the skill's
  40-odd records this is about 45 million fewer instructions at every cold start (callgrind,
  Python 3.11), roughly a tenth of importing the handler module.
* `replace` copies a record without running its generated __init__, which on a frozen class
  sets every field through object.__setattr__. The engine copies records about six times per
  request, and that was a tenth of a warm request's time.

tests/ritual/test_records.py holds both to dataclasses' own behaviour.
"""
from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

Record = TypeVar("Record")
_FIELDS = "__record_fields__"  # the class's field names, in order


@dataclass_transform(frozen_default=True)  # type checkers treat records as frozen dataclasses
def record(cls: type[Record]) -> type[Record]:
    """Use as `@dataclass(frozen=True)` would be used."""
    # init=False, frozen=False: for a frozen class dataclasses compiles three functions, and a
    # record compiles only its __init__. Any: the class is patched below, which a type checker
    # cannot follow.
    undocumented = not cls.__doc__
    if undocumented:  # else dataclasses writes one from inspect.signature, slow at cold start
        cls.__doc__ = cls.__name__
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)
    if any(not (f.repr and f.compare and f.init) or f.hash is not None or f.kw_only
           for f in fields) or hasattr(made, "__post_init__"):
        raise TypeError(f"{made.__name__}: use @dataclass(frozen=True) for special fields")
    setattr(made, _FIELDS, tuple(f.name for f in fields))
    made.__init__ = _init_for(made, fields)
    if undocumented:  # what dataclasses would say: "Partner(index: int)"
        made.__doc__ = f"{made.__name__}({', '.join(_described(f) for f in fields)})"
    made.__repr__ = _repr
    made.__eq__ = _eq
    made.__hash__ = _hash
    made.__setattr__ = _refuse_setattr
    made.__delattr__ = _refuse_delattr
    return made


def _init_for(cls: type, fields: tuple[dataclasses.Field, ...]) -> Any:
    """An __init__ taking the fields in order, with their defaults, as dataclasses writes it."""
    scope: dict[str, Any] = {"_UNSET": _UNSET}
    params, lines = ["self"], ["fields = self.__dict__"]
    for f in fields:
        if f.default is not dataclasses.MISSING:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_UNSET")
            lines.append(f"if {f.name} is _UNSET: {f.name} = _factory_{f.name}()")
        else:
            params.append(f.name)
        lines.append(f"fields[{f.name!r}] = {f.name}")
    exec("def __init__(" + ", ".join(params) + "):\n    " + "\n    ".join(lines), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {f.name: f.type for f in fields} | {"return": None}
    return init


def _described(field: dataclasses.Field) -> str:
    kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    return f"{field.name}: {kind}" if kind else field.name


class _Unset:
    """The default of a default_factory field, until the factory is called."""

    def __repr__(self) -> str:
        return "<factory>"  # as dataclasses shows it in a signature


_UNSET = _Unset()


def _refuse_setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


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
