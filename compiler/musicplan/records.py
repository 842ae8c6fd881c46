"""`record`: frozen, keyword-only data classes that are cheap to define.

`dataclasses.dataclass` generates each class's methods with `exec`, about a millisecond a
class; MPL defines some fifty node and plan classes on `mpl compile`'s start-up path, which
made class creation the largest part of start-up. `record` gives the same behaviour — keyword
`__init__`, frozen attributes, `__eq__`/`__hash__` over the compared fields, `__repr__`, and
`dataclasses.fields`/`replace`/`is_dataclass` support — with shared methods instead of
generated ones. Type checkers see a frozen keyword-only dataclass (`dataclass_transform`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_MISSING = dataclasses.MISSING


def _init(self: Any, **kwargs: Any) -> None:
    cls = type(self)
    values = dict(cls._record_defaults)
    for name, factory in cls._record_factories:
        if name not in kwargs:
            values[name] = factory()
    values.update(kwargs)
    if len(values) != len(cls._record_names):
        unknown = sorted(set(kwargs) - set(cls._record_names))
        missing = sorted(set(cls._record_names) - set(values))
        raise TypeError(f"{cls.__name__}(): unknown {unknown}, missing {missing}")
    self.__dict__.update(values)


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _key(self: Any) -> tuple[Any, ...]:
    values = self.__dict__
    return tuple(values[name] for name in type(self)._record_compared)


def _eq(self: Any, other: object) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self: Any) -> int:
    return hash((type(self).__name__, *_key(self)))


def _repr(self: Any) -> str:
    values = self.__dict__
    inner = ", ".join(f"{name}={values[name]!r}" for name in type(self)._record_shown)
    return f"{type(self).__name__}({inner})"


@dataclass_transform(kw_only_default=True, frozen_default=True,
                     field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    """Make `cls` a frozen keyword-only record (see the module docstring)."""
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(base.__dict__.get("__dataclass_fields__", {}))
    own = cls.__dict__
    for name in own.get("__annotations__", {}):
        value = own.get(name, _MISSING)
        spec: Any = value if isinstance(value, dataclasses.Field) else dataclasses.field(
            default=value)
        spec.name = name
        spec._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
        fields[name] = spec
    for name, spec in fields.items():
        if name in cls.__dict__ and isinstance(cls.__dict__[name], dataclasses.Field):
            delattr(cls, name)
            if spec.default is not _MISSING:
                setattr(cls, name, spec.default)
    attrs: dict[str, Any] = {
        "__dataclass_fields__": fields,
        "__dataclass_params__": dataclasses._DataclassParams(  # type: ignore[attr-defined]
            True, True, True, False, False, True),
        "_record_names": tuple(fields),
        "_record_defaults": {n: f.default for n, f in fields.items() if f.default is not _MISSING},
        "_record_factories": tuple((n, f.default_factory) for n, f in fields.items()
                                   if f.default_factory is not _MISSING),
        "_record_compared": tuple(n for n, f in fields.items() if f.compare),
        "_record_shown": tuple(n for n, f in fields.items() if f.repr),
        "__init__": _init, "__setattr__": _setattr, "__delattr__": _delattr,
        "__eq__": _eq, "__hash__": _hash, "__repr__": _repr,
        "__match_args__": (),
    }
    for name, value in attrs.items():
        type.__setattr__(cls, name, value)
    return cls
