"""Template calls: arguments bound and checked at the call site, then the body expanded.

The body is read in a scope whose parent is the template's own file (lexical scoping);
each argument is read where the call is written, each default where the template is.
Every chunk and diagnostic made inside carries the call site as context ("expanded from
here"). Expansion is bounded: a template reached again through its own body is E0504, and so
is a chain deeper than `MAX_DEPTH`; once expansions have read `MAX_EXPANDED_STATEMENTS`
statements (each body counted each time, itself too), no call expands (E0513): templates
calling others several times multiply, 10 calls 12 deep would be 10**12 expansions.

The body's statements are read by the caller's `read_block` (handed in, so this module
never calls back up into the resolver).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..diagnostics import Diagnostic, Label, error
from ..diagnostics.suggest import misspelt
from ..limits import MAX_CHUNKS
from ..syntax import nodes as n
from . import ir
from . import values as v
from .declarations import add
from .scope import Entry, Scope

MAX_DEPTH = 16
MAX_EXPANDED_STATEMENTS = 5000  # read in expansions before a call is refused (30 chunks!)
Use = tuple[str, n.Name]  # (the kind of value the place needs, the parameter's name there)
ReadBlock = Callable[[n.Block, Scope], list[ir.Chunk]]  # a body's chunks, read in a scope


class Expansions:
    """The template calls being expanded, one inside another (outermost first), and what
    bounds expansion over the whole compilation."""

    __slots__ = ("active", "calls", "refused", "statements", "uses")

    def __init__(self) -> None:
        self.active: list[tuple[n.TemplateDef, n.Call]] = []
        self.calls: list[n.Call] = []  # the calls of `active`, for the lyrics they pass on
        self.statements = 0  # statements read in blocks while expanding templates
        self.refused = False  # E0513 was reported: no call expands any more
        self.uses: dict[int, dict[str, list[Use]]] = {}  # id(template) → parameter uses

    def push(self, template: n.TemplateDef, call: n.Call) -> None:
        self.active.append((template, call))
        self.calls.append(call)

    def pop(self) -> None:
        self.active.pop()
        self.calls.pop()


def expand(rd: v.Reading, call: n.Call, expansions: Expansions,
           read_block: ReadBlock) -> list[ir.Chunk]:
    """The chunks of one template call."""
    found = v.meaning(rd, call.name)
    if found.kind != "template":
        if found.kind == "circular":
            return []
        if found.kind == "unbound":
            names = rd.sink.hint_names(lambda: rd.scope.visible("template"))
            rd.sink.report(misspelt("E0306", f"unknown template `{call.name.ident}`",
                                    call.name.span, call.name.ident, names))
        else:
            rd.sink.report(error("E0307", f"`{call.name.ident}` is {v.describe(found.value)}, "
                                 "not a template", call.name.span))
        return []
    template: n.TemplateDef = found.value
    if any(active is template for active, _ in expansions.active):
        rd.sink.report(_recursion(expansions.active, call, template))
        return []
    if len(expansions.active) >= MAX_DEPTH:
        rd.sink.report(error("E0504", f"template calls nest deeper than {MAX_DEPTH} levels",
                             call.span, hint="templates cannot expand without end"))
        return []
    if expansions.statements > MAX_EXPANDED_STATEMENTS:
        if not expansions.refused:  # once: every later call is refused too, silently
            expansions.refused = True
            rd.sink.report(error("E0513", f"template calls expand into more than "
                                 f"{MAX_EXPANDED_STATEMENTS} statements in this plan", call.span,
                                 hint=f"a plan has at most {MAX_CHUNKS} chunks; templates that "
                                 "call others several times multiply"))
        return []
    if call.passes_lyrics and not expansions.active:
        rd.sink.report(error("E0406", "`lyrics` passes on the lyric lines of the template call "
                             "it is in; this call is not in a template", call.span,
                             hint="write the lyric lines under the call: | …"))
        return []
    body = Scope(file=found.home.file, parent=found.home)
    if not bind(rd, call, template, found.home, body, expansions.uses):
        return []
    if (call.lyrics or call.passes_lyrics) and not _sings(template.body.statements):
        rd.sink.report(error("E0407", f"`{call.name.ident}` sings no lyrics, so the lyric lines "
                             "given here would be lost",
                             call.lyrics[0].span if call.lyrics else call.span,
                             secondary=[Label(span=template.name.span,
                                              message=f"`{template.name.ident}` is defined here")],
                             hint="write `lyrics` after the attributes of the chunk in "
                             f"`{template.name.ident}` that sings them"))
        return []
    here = Label(span=call.span, message=f"expanded from `{call.name.ident}(…)` here")
    expansions.push(template, call)
    try:
        with rd.sink.inside(here):
            return read_block(template.body, body)
    finally:
        expansions.pop()


def _sings(statements: tuple[n.Statement, ...]) -> bool:
    """Whether a template body sings its call's lyric lines or passes them on."""
    for statement in statements:
        if isinstance(statement, n.Generate) and \
                any(isinstance(attr, n.Sung) for attr in statement.attrs):
            return True
        if isinstance(statement, n.Call) and statement.passes_lyrics:
            return True
        if isinstance(statement, n.Replace) and \
                any(_sings(window.body.statements) for window in statement.windows):
            return True
    return False


def _recursion(active: list[tuple[n.TemplateDef, n.Call]], call: n.Call,
               template: n.TemplateDef) -> Diagnostic:
    start = next(index for index, (defined, _) in enumerate(active) if defined is template)
    steps = active[start:]
    chain = " → ".join([*(active.name.ident for active, _ in steps), template.name.ident])
    labels = [Label(span=site.span, message=f"calls `{site.name.ident}`") for _, site in steps]
    return error("E0504", f"template `{template.name.ident}` expands itself: {chain}",
                 call.span, secondary=labels[1:],
                 hint="templates cannot recurse; write the repeated part out")


def bind(rd: v.Reading, call: n.Call, template: n.TemplateDef, home: Scope, body: Scope,
         cache: dict[int, dict[str, list[Use]]]) -> bool:
    """Match arguments to parameters into `body`; E0505/E0307 at the call site. `cache`
    keeps each template's parameter uses."""
    params = {param.name.ident: param for param in template.params}
    given: dict[str, n.Arg] = {}
    ok = True
    position = 0
    named = False
    title = f"`{template.name.ident}`"
    declared = Label(span=template.name.span, message=f"{title} is defined here")
    for arg in call.args:
        if arg.name is None:
            if named:
                rd.sink.report(error("E0505", "a positional argument cannot follow a named one",
                                     arg.span, hint="name this argument too"))
                ok = False
                continue
            if position >= len(template.params):
                rd.sink.report(error("E0505", f"{title} takes {len(template.params)} argument"
                                     f"{'s' if len(template.params) != 1 else ''}; this is one too "
                                     "many", arg.span, secondary=[declared]))
                ok = False
                continue
            key = template.params[position].name.ident
            position += 1
        else:
            named = True
            key = arg.name.ident
            if key not in params:
                rd.sink.report(misspelt("E0505", f"{title} has no parameter `{key}`", arg.name.span,
                                        key, params, secondary=[declared],
                                        otherwise="parameters: " + ", ".join(params)))
                ok = False
                continue
        if key in given:
            rd.sink.report(error("E0505", f"argument `{key}` is given twice", arg.span,
                                 secondary=[Label(span=given[key].span, message="first here")]))
            ok = False
            continue
        given[key] = arg
    for param in template.params:
        if param.name.ident not in given and param.default is None:
            rd.sink.report(error("E0505", f"{title} needs an argument for `{param.name.ident}`",
                                 call.span, secondary=[Label(span=param.span,
                                                             message="the parameter")]))
            ok = False
    uses = parameter_uses(template, cache)
    for key, arg in given.items():
        ok = check_kind(rd, arg.value, uses.get(key, []), rd.scope) and ok
    if not ok:
        return False
    for param in template.params:
        arg_ = given.get(param.name.ident)
        value = arg_.value if arg_ is not None else param.default
        where = rd.scope if arg_ is not None else home
        add(rd.sink, body, param.name.ident, Entry("binding", param.name, where, value))
    return True


_ACCEPTS = {"range": ("range", None), "duration": ("duration",), "song": ("song", None),
            "list": ("list", "string"), "string": ("string",), "enum": ("string", None)}
_WORDS = {"range": "a range", "duration": "a duration", "song": "a song",
          "list": "a list of styles", "string": "a string", "enum": "a value like high"}


def kind_of(rd: v.Reading, value: n.Value, scope: Scope) -> str | None:
    """What kind of value an argument is (None: a name bound to nothing, e.g. a section)."""
    if isinstance(value, n.Name):
        if scope.find(value.ident) is None:
            return None
        found = v.meaning(rd, value, scope)
        if found.kind == "song":
            return "song"
        if found.kind != "value":
            return {"unbound": None, "circular": "circular"}.get(found.kind, "template")
        value = found.value
    if isinstance(value, n.Time):
        return "position" if value.unit == "bar" else "duration"
    return {n.Range: "range", n.ListExpr: "list", n.Str: "string"}.get(type(value))


_GOT = {"duration": "a duration", "position": "a position (`bar N`)", "range": "a range",
        "list": "a list of styles", "string": "a string", "song": "a song",
        "template": "a template", None: "a name bound to nothing"}


def check_kind(rd: v.Reading, value: n.Value, uses: list[Use], scope: Scope) -> bool:
    """E0307 when an argument cannot go where its parameter is used in the body."""
    kind = kind_of(rd, value, scope)
    if kind == "circular":  # reported where the name was followed
        return False
    for need, place in uses:
        if kind not in _ACCEPTS[need]:
            rd.sink.report(error("E0307", f"expected {_WORDS[need]}, got {_GOT[kind]}", value.span,
                                 secondary=[Label(span=place.span,
                                                  message=f"`{place.ident}` is used as "
                                                  f"{_WORDS[need]} here")]))
            return False
    return True


def parameter_uses(template: n.TemplateDef,
                   cache: dict[int, dict[str, list[Use]]]) -> dict[str, list[Use]]:
    """Where each parameter is used in the body, and as what (once per definition)."""
    cached = cache.get(id(template))
    if cached is not None:
        return cached
    names = {param.name.ident for param in template.params}
    found: dict[str, list[Use]] = {}
    for kind, name in _walk(template.body.statements):
        if name.ident in names:
            found.setdefault(name.ident, []).append((kind, name))
    cache[id(template)] = found
    return found


def _walk(statements: tuple[n.Statement, ...]) -> Iterator[Use]:
    for statement in statements:
        if isinstance(statement, n.Keep):
            if statement.song is not None:
                yield "song", statement.song
            if isinstance(statement.slice, n.Name):
                yield "range", statement.slice
        elif isinstance(statement, n.Generate):
            yield from _generate_uses(statement)
        elif isinstance(statement, n.Replace):
            if statement.song is not None:
                yield "song", statement.song
            for window in statement.windows:
                if isinstance(window.slice, n.Name):
                    yield "range", window.slice
                yield from _walk(window.body.statements)


def _generate_uses(statement: n.Generate) -> Iterator[Use]:
    if isinstance(statement.label, n.Name):
        yield "string", statement.label
    if isinstance(statement.duration, n.Name):
        yield "duration", statement.duration
    for attr in statement.attrs:
        if isinstance(attr, (n.Styles, n.Avoid)):
            yield from (("list", item) for item in attr.items.items if isinstance(item, n.Name))
        elif isinstance(attr, n.Like):
            if attr.song is not None:
                yield "song", attr.song
            if isinstance(attr.slice, n.Name):
                yield "range", attr.slice
        elif isinstance(attr, n.TextAttr) and isinstance(attr.value, n.Name):
            yield "string", attr.value
        elif isinstance(attr, (n.Adherence, n.Strength)) and \
                attr.value.ident not in v.STRENGTH:
            yield "enum", attr.value
