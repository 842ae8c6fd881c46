"""`record`: frozen, keyword-only, slotted data classes that are cheap to define.

`dataclasses.dataclass` generates each class's methods with `exec`, about a millisecond a
class; MPL defines some fifty node and plan classes on `mpl compile`'s start-up path. A
`record` has the same behaviour — keyword `__init__`, frozen attributes, `__eq__`/`__hash__`
over the compared fields, `__repr__` — with methods shared by every record instead of
generated ones, and `__slots__`, so a syntax tree of a large file costs no dictionary per
node. Only public Python is used: the class is rebuilt with `type(...)`, as any class is.

Type checkers see a frozen keyword-only dataclass (`dataclass_transform`, with `field` as its
field specifier). `fields`, `replace` and `is_record` stand in for their `dataclasses`
namesakes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenError(AttributeError):
    """Raised on an assignment to a record's attribute."""


class Field:
    """One attribute of a record: its name, default (or factory), and whether it takes part in
    equality and in `repr`."""

    __slots__ = ("compare", "default", "default_factory", "name", "repr")

    def __init__(self, default: Any, default_factory: Any, compare: bool, repr: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING,
          compare: bool = True, repr: bool = True) -> Any:
    """An attribute's specification, as `dataclasses.field` (the parameters a record reads)."""
    return Field(default, default_factory, compare, repr)


def _init(self: Any, **kwargs: Any) -> None:
    cls = type(self)
    setters = cls._record_setters
    try:
        for name, value in kwargs.items():
            setters[name](self, value)
    except KeyError:
        unknown = next(name for name in kwargs if name not in setters)
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {unknown!r}") \
            from None
    if len(kwargs) != len(setters):
        missing = [name for name in cls._record_required if name not in kwargs]
        if missing:
            raise TypeError(f"{cls.__name__}() missing keyword arguments: {', '.join(missing)}")
        for name, default in cls._record_defaults:
            if name not in kwargs:
                setters[name](self, default)
        for name, factory in cls._record_factories:
            if name not in kwargs:
                setters[name](self, factory())


def _setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenError(f"cannot delete field {name!r}")


def _key(self: Any) -> tuple[Any, ...]:
    return tuple([getattr(self, name) for name in type(self)._record_compared])


def _eq(self: Any, other: object) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self: Any) -> int:
    return hash((type(self).__name__, *_key(self)))


def _repr(self: Any) -> str:
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self)._record_shown)
    return f"{type(self).__name__}({inner})"


def _own_annotations(cls: type) -> dict[str, Any]:
    """The annotations `cls` itself declares (since Python 3.10, a class's `__annotations__`
    never holds its bases')."""
    return dict(getattr(cls, "__annotations__", {}))


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """`cls` rebuilt as a frozen keyword-only record with slots (see the module docstring)."""
    inherited: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited.update(base.__dict__.get("_record_fields", {}))
    namespace = {key: value for key, value in cls.__dict__.items()
                 if key not in ("__dict__", "__weakref__")}
    fields_ = dict(inherited)
    own: list[str] = []
    for name in _own_annotations(cls):
        value = namespace.pop(name, MISSING)
        spec = value if isinstance(value, Field) else Field(value, MISSING, True, True)
        spec = Field(spec.default, spec.default_factory, spec.compare, spec.repr)
        spec.name = name
        fields_[name] = spec
        if name not in inherited:
            own.append(name)
    namespace.update({
        "__slots__": tuple(own),
        "_record_fields": fields_,
        "_record_defaults": tuple((n, f.default) for n, f in fields_.items()
                                  if f.default is not MISSING),
        "_record_factories": tuple((n, f.default_factory) for n, f in fields_.items()
                                   if f.default_factory is not MISSING),
        "_record_required": tuple(n for n, f in fields_.items() if f.default is MISSING
                                  and f.default_factory is MISSING),
        "_record_compared": tuple(n for n, f in fields_.items() if f.compare),
        "_record_shown": tuple(n for n, f in fields_.items() if f.repr),
        "__init__": _init, "__setattr__": _setattr, "__delattr__": _delattr,
        "__eq__": _eq, "__hash__": _hash, "__repr__": _repr,
        "__match_args__": (),
    })
    metaclass: Any = type(cls)
    built = metaclass(cls.__name__, cls.__bases__, namespace)
    built.__qualname__ = cls.__qualname__
    setters = {}
    for name in fields_:
        for klass in built.__mro__:
            slot = klass.__dict__.get(name)
            if slot is not None and klass.__dict__.get("_record_fields") is not None:
                setters[name] = slot.__set__
                break
    type.__setattr__(built, "_record_setters", setters)
    return built  # type: ignore[no-any-return]


def is_record(value: object) -> bool:
    """Whether `value` is an instance of a record class."""
    return hasattr(type(value), "_record_fields")


def fields(value: object) -> tuple[Field, ...]:
    """The fields of a record (instance or class), in declaration order, inherited first."""
    owner = value if isinstance(value, type) else type(value)
    found: dict[str, Field] = owner.__dict__["_record_fields"]
    return tuple(found.values())


def replace(value: T, /, **changes: Any) -> T:
    """A copy of the record `value` with `changes` applied."""
    current = {spec.name: getattr(value, spec.name) for spec in fields(value)}
    current.update(changes)
    return type(value)(**current)
