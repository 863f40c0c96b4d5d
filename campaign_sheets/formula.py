"""The spec's formula language: one expression, two engines.

Spec formulas are written once in an Excel-like syntax with references by key:

    [actual] - [planned]                  this row's column of the same table
    SUM([budget.planned])                 a whole column of another table
    [campaign.start]                      a field of the campaign form
    [roles]                               a repeated column group, this row (e.g. COUNTIF([roles], "A"))
    {task_status.done}                    a named-list item, as its label in the workbook's language
    {item}                                in a breakdown, the label of the list item of that row

`to_excel` renders it for a cell (structured references), a conditional format or a
validation (A1 references); `evaluate` computes it in Python with Excel's semantics
(blank is 0 or "", dates are serial numbers, errors propagate), so the cached values the
builder writes and the importer's recomputation agree with what the spreadsheet shows.
"""
from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .errors import FormulaSyntaxError

EPOCH = dt.date(1899, 12, 30)


def date_to_serial(value: dt.date | dt.datetime) -> float:
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return float((value - EPOCH).days)


def serial_to_date(serial: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(serial))


# --------------------------------------------------------------------------- AST
@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Ref:
    scope: str | None  # None: this row of the current table
    name: str


@dataclass(frozen=True)
class Item:
    list: str | None  # None: the breakdown's {item}
    key: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Neg:
    operand: Any


Node = Any

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<str>"(?:[^"]|"")*")
    | (?P<ref>\[[^\[\]]+\])
    | (?P<item>\{[^{}]+\})
    | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<op><>|<=|>=|[-+*/^&=<>(),])
    )""",
    re.X,
)

FUNCTIONS = {
    "IF", "IFERROR", "AND", "OR", "NOT", "SUM", "MIN", "MAX", "AVERAGE", "ROUND", "ABS",
    "COUNT", "COUNTA", "COUNTBLANK", "COUNTIF", "COUNTIFS", "SUMIF", "SUMIFS", "LOOKUPKEY",
    "TODAY", "LEN", "ISBLANK", "ISNUMBER",
}


def parse(source: str) -> Node:
    """Parse a spec formula (with or without a leading '=')."""
    text = source.strip()
    if text.startswith("="):
        text = text[1:]
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise FormulaSyntaxError(f"cannot read formula {source!r} at {text[pos:pos + 12]!r}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    parser = _Parser(tokens, source)
    node = parser.expr()
    if parser.i != len(tokens):
        raise FormulaSyntaxError(f"unexpected {tokens[parser.i][1]!r} in formula {source!r}")
    return node


class _Parser:
    _LEVELS = [("=", "<>", "<", ">", "<=", ">="), ("&",), ("+", "-"), ("*", "/"), ("^",)]

    def __init__(self, tokens: list[tuple[str, str]], source: str) -> None:
        self.tokens, self.i, self.source = tokens, 0, source

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            raise FormulaSyntaxError(f"expected {value or 'a value'!r} in formula {self.source!r}")
        self.i += 1
        return tok

    def expr(self, level: int = 0) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        node = self.expr(level + 1)
        while (tok := self.peek()) and tok[0] == "op" and tok[1] in self._LEVELS[level]:
            self.i += 1
            node = BinOp(tok[1], node, self.expr(level + 1))
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok and tok == ("op", "-"):
            self.i += 1
            return Neg(self.unary())
        if tok and tok == ("op", "+"):
            self.i += 1
            return self.unary()
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return Num(float(value))
        if kind == "str":
            return Str(value[1:-1].replace('""', '"'))
        if kind == "ref":
            inner = value[1:-1].strip()
            scope, _, name = inner.rpartition(".")
            return Ref(scope or None, name)
        if kind == "item":
            inner = value[1:-1].strip()
            if inner == "item":
                return Item(None, "item")
            lst, _, key = inner.partition(".")
            if not key:
                raise FormulaSyntaxError(f"{value} should be {{list.item}} in formula {self.source!r}")
            return Item(lst, key)
        if kind == "name":
            upper = value.upper()
            if upper in ("TRUE", "FALSE") and not (self.peek() and self.peek()[1] == "("):
                return Bool(upper == "TRUE")
            if upper not in FUNCTIONS:
                raise FormulaSyntaxError(f"unknown function {value!r} in formula {self.source!r}")
            self.take("(")
            args: list[Node] = []
            if self.peek() and self.peek()[1] != ")":
                args.append(self.expr())
                while self.peek() and self.peek()[1] == ",":
                    self.i += 1
                    args.append(self.expr())
            self.take(")")
            return Call(upper, tuple(args))
        if value == "(":
            node = self.expr()
            self.take(")")
            return node
        raise FormulaSyntaxError(f"unexpected {value!r} in formula {self.source!r}")


def walk(node: Node) -> Iterable[Node]:
    yield node
    if isinstance(node, Call):
        for a in node.args:
            yield from walk(a)
    elif isinstance(node, BinOp):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Neg):
        yield from walk(node.operand)


def refs(node: Node) -> list[Ref]:
    return [n for n in walk(node) if isinstance(n, Ref)]


def row_refs(node: Node) -> list[str]:
    """Keys of this-row references, in order of first use."""
    seen: list[str] = []
    for r in refs(node):
        if r.scope is None and r.name not in seen:
            seen.append(r.name)
    return seen


def uses_today(node: Node) -> bool:
    return any(isinstance(n, Call) and n.name == "TODAY" for n in walk(node))


# --------------------------------------------------------------------------- Excel
class ExcelNames:
    """How references look in Excel; the layout supplies one per target (cell, CF, DV)."""

    def row(self, name: str) -> str: ...
    def scoped(self, scope: str, name: str) -> str: ...
    def item(self, list_name: str | None, key: str) -> str: ...


def excel_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def to_excel(node: Node, names: ExcelNames) -> str:
    """Render a parsed formula as Excel formula text (without the leading '=')."""
    if isinstance(node, Num):
        return _num(node.value)
    if isinstance(node, Str):
        return excel_string(node.value)
    if isinstance(node, Bool):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, Ref):
        return names.row(node.name) if node.scope is None else names.scoped(node.scope, node.name)
    if isinstance(node, Item):
        return names.item(node.list, node.key)
    if isinstance(node, Neg):
        return "-" + to_excel(node.operand, names)
    if isinstance(node, BinOp):
        return f"({to_excel(node.left, names)}{node.op}{to_excel(node.right, names)})"
    if isinstance(node, Call):
        args = [to_excel(a, names) for a in node.args]
        if node.name == "LOOKUPKEY":
            value, keys, results = args
            return f'IFERROR(INDEX({results},MATCH({value},{keys},0)),"")'
        return f"{node.name}({','.join(args)})"
    raise TypeError(node)


# --------------------------------------------------------------------------- Python
class ExcelError(Exception):
    """An Excel error value (#DIV/0!, #VALUE!, #N/A) flowing through an evaluation."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExcelError) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


class Context:
    """Values the evaluator reads; the layout (build) and the importer each provide one.

    `shared`, when a context sets it, is a dict that lives as long as the values do: functions
    that read no this-row value (a LOOKUPKEY into another table by a constant key) are computed
    once per dict instead of once per row."""

    today: float = 0.0
    shared: dict | None = None

    def row(self, name: str) -> Any: ...
    def scoped(self, scope: str, name: str) -> Any: ...
    def item(self, list_name: str | None, key: str) -> str: ...


Value = Any  # float | str | bool | None | ExcelError | list (ranges)


def _number(v: Value) -> float:
    if v.__class__ is float:
        return v
    if isinstance(v, ExcelError):
        raise v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            raise ExcelError("#VALUE!") from None
    raise ExcelError("#VALUE!")


def _text(v: Value) -> str:
    if isinstance(v, ExcelError):
        raise v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return _num(v)
    return str(v)


def _bool(v: Value) -> bool:
    if v is True or v is False:
        return v
    if isinstance(v, ExcelError):
        raise v
    if v is None:
        return False
    if isinstance(v, str):
        if v.upper() in ("TRUE", "FALSE"):
            return v.upper() == "TRUE"
        raise ExcelError("#VALUE!")
    return bool(_number(v))


def _rank(v: Value) -> int:
    return 2 if isinstance(v, bool) else 1 if isinstance(v, str) else 0


_OPS = {"=": lambda x, y: x == y, "<>": lambda x, y: x != y, "<": lambda x, y: x < y,
        ">": lambda x, y: x > y, "<=": lambda x, y: x <= y, ">=": lambda x, y: x >= y}


def compare(op: str, a: Value, b: Value) -> bool:
    """Excel's comparison: blank acts as 0 or "", text sorts after numbers, text is case-blind."""
    ta, tb = type(a), type(b)
    if ta is tb is float:  # the common case, first
        return _OPS[op](a, b)
    if ta is tb is str:
        return _OPS[op](a.lower(), b.lower())
    for v in (a, b):
        if isinstance(v, ExcelError):
            raise v
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0.0
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        x, y = ra, rb
    elif ra == 1:
        x, y = a.lower(), b.lower()
    else:
        x, y = float(a), float(b)
    return {"=": x == y, "<>": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]


def _flat(values: Iterable[Value]) -> list[Value]:
    out: list[Value] = []
    for v in values:
        if isinstance(v, list):
            out.extend(_flat(v))
        else:
            out.append(v)
    return out


_CRIT = re.compile(r"^(<=|>=|<>|<|>|=)?(.*)$", re.S)


_CRITERIA: dict[tuple[type, Value], Callable[[Value], bool]] = {}


def criterion(crit: Value) -> Callable[[Value], bool]:
    """COUNTIF/SUMIFS criteria: 'A', '>100', '<>', '' (blank), numbers (memoised: most are constants)."""
    if isinstance(crit, ExcelError):
        raise crit
    key = (crit.__class__, crit)
    try:
        return _CRITERIA[key]
    except KeyError:
        pass
    except TypeError:       # a range as the criterion: unhashable, and no criterion Excel accepts
        return _criterion(crit)
    if len(_CRITERIA) > 4096:
        _CRITERIA.clear()
    test = _CRITERIA[key] = _criterion(crit)
    return test


def _criterion(crit: Value) -> Callable[[Value], bool]:
    if not isinstance(crit, str):
        target = crit
        return lambda v: v is not None and not isinstance(v, str) and compare("=", v, target)
    op, rest = _CRIT.match(crit).groups()
    op = op or "="
    try:
        target: Value = float(rest)
    except ValueError:
        target = rest
    if rest == "":
        if op == "=":
            return lambda v: v is None or v == ""
        if op == "<>":
            return lambda v: not (v is None or v == "")
    if isinstance(target, float):
        def numeric(v: Value) -> bool:
            if isinstance(v, str):
                try:
                    v = float(v)
                except ValueError:
                    return op == "<>"
            if v is None or isinstance(v, bool) or isinstance(v, ExcelError):
                return op == "<>"
            return compare(op, float(v), target)
        return numeric

    low, test = target.lower(), _OPS[op]

    def textual(v: Value) -> bool:
        if v.__class__ is str:
            return test(v.lower(), low)   # compare() of two texts, without its dispatch
        if not isinstance(v, str):
            return op == "<>"
        return compare(op, v, target)
    return textual


def evaluate(node: Node, ctx: Context) -> Value:
    """Compute a parsed formula; returns an ExcelError instance instead of raising."""
    return run(compiled(node), ctx)


def run(fn: Callable[[Context], Value], ctx: Context) -> Value:
    """Run a compiled formula; an error value is returned, not raised."""
    try:
        return fn(ctx)
    except ExcelError as err:
        return err


def compiled(node: Node) -> Callable[[Context], Value]:
    """The formula as nested closures (no per-node type dispatch at run time). Compiling costs far
    more than a run: keep the result (a loaded spec's index holds its formulas compiled)."""
    return _compile(node)


_ARITH = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "^": lambda x, y: x ** y}


def _divide(x: float, y: float) -> float:
    if y == 0:
        raise ExcelError("#DIV/0!")
    return x / y


def _compile(node: Node) -> Callable[[Context], Value]:
    if isinstance(node, (Num, Str, Bool)):
        value = node.value
        return lambda ctx: value
    if isinstance(node, Ref):
        name, scope = node.name, node.scope
        if scope is None:
            return lambda ctx: ctx.row(name)
        return lambda ctx: ctx.scoped(scope, name)
    if isinstance(node, Item):
        lst, key = node.list, node.key
        return lambda ctx: ctx.item(lst, key)
    if isinstance(node, Neg):
        inner = _compile(node.operand)
        return lambda ctx: -_number(inner(ctx))
    if isinstance(node, BinOp):
        left, right, op = _compile(node.left), _compile(node.right), node.op
        if op == "&":
            return lambda ctx: _text(left(ctx)) + _text(right(ctx))
        if op in ("=", "<>") and node.right == Str(""):
            return _blank_test(left, op == "=")
        if op in _OPS:
            return lambda ctx: compare(op, left(ctx), right(ctx))
        fn = _divide if op == "/" else _ARITH[op]
        return lambda ctx: fn(_number(left(ctx)), _number(right(ctx)))
    if isinstance(node, Call):
        return _compile_call(node)
    raise TypeError(node)


_MISSING = object()
_SLOTS = itertools.count()


class _Raised:
    __slots__ = ("error",)

    def __init__(self, error: ExcelError) -> None:
        self.error = error


def _row_invariant(node: Node) -> bool:
    """True when `node` reads some other table or the form but nothing of the current row."""
    scoped = False
    for n in walk(node):
        if isinstance(n, Ref):
            if n.scope is None:
                return False
            scoped = True
        elif isinstance(n, Item) and n.list is None:
            return False
    return scoped


def _shared(fn: Callable[[Context], Value]) -> Callable[[Context], Value]:
    """`fn` computed once per `ctx.shared` dict (errors included)."""
    slot = next(_SLOTS)

    def once(ctx: Context) -> Value:
        cache = ctx.shared
        if cache is None:
            return fn(ctx)
        hit = cache.get(slot, _MISSING)
        if hit is _MISSING:
            try:
                hit = fn(ctx)
            except ExcelError as err:
                cache[slot] = _Raised(err)
                raise
            cache[slot] = hit
        elif hit.__class__ is _Raised:
            raise hit.error
        return hit
    return once


def _blank_test(operand: Callable[[Context], Value], equal: bool) -> Callable[[Context], Value]:
    """`x=""` / `x<>""`, the guard in most formulas: compare(op, x, "") without its general rules."""
    def test(ctx: Context) -> bool:
        v = operand(ctx)
        if v is None or v.__class__ is str:
            return (not v) is equal
        if isinstance(v, ExcelError):
            raise v
        return not equal   # numbers and booleans are never equal to text
    return test


def _compile_call(node: Call) -> Callable[[Context], Value]:
    fn = _compile_function(node)
    return _shared(fn) if _row_invariant(node) else fn


def _compile_function(node: Call) -> Callable[[Context], Value]:
    name = node.name
    args = [_compile(a) for a in node.args]
    if name == "IF":
        cond = args[0]
        then = args[1] if len(args) > 1 else (lambda ctx: True)
        other = args[2] if len(args) > 2 else (lambda ctx: False)
        return lambda ctx: then(ctx) if _bool(cond(ctx)) else other(ctx)
    if name == "IFERROR":
        first, fallback = args

        def iferror(ctx: Context) -> Value:
            try:
                value = first(ctx)
            except ExcelError:
                return fallback(ctx)
            return fallback(ctx) if isinstance(value, ExcelError) else value
        return iferror
    if name == "TODAY":
        return lambda ctx: ctx.today
    if name in ("AND", "OR"):
        # every argument is evaluated (errors raise); plain booleans and blanks decide without
        # the general rules, anything else (a range, a number, text) goes to _apply from the start
        stop = name == "OR"

        def logical(ctx: Context) -> Value:
            values = [a(ctx) for a in args]
            for v in values:
                if v is None or v is (not stop):
                    continue
                if v is stop:
                    return stop
                return _apply(name, values)
            return not stop
        return logical
    if name == "LOOKUPKEY" and len(args) == 3:
        return _indexed_lookup(*args)
    impl = _FUNCS.get(name)
    if impl is None:
        return lambda ctx: _apply(name, [a(ctx) for a in args])   # raises at evaluation, as before
    if len(args) == 1:
        only = args[0]
        return lambda ctx: impl([only(ctx)])
    return lambda ctx: impl([a(ctx) for a in args])


def _range(v: Value) -> list[Value]:
    return v if isinstance(v, list) else [v]


def _apply(name: str, values: list[Value]) -> Value:
    """The functions whose arguments are all evaluated first."""
    impl = _FUNCS.get(name)
    if impl is None:
        raise FormulaSyntaxError(f"function {name} is not implemented")
    return impl(values)


def _and(values: list[Value]) -> Value:
    return all(_bool(v) for v in _flat(values) if v is not None)


def _or(values: list[Value]) -> Value:
    return any(_bool(v) for v in _flat(values) if v is not None)


def _numbers(values: list[Value]) -> list[float]:
    nums = []
    for v in _flat(values):
        if isinstance(v, ExcelError):
            raise v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            nums.append(float(v))
    return nums


def _average(values: list[Value]) -> Value:
    nums = _numbers(values)
    if not nums:
        raise ExcelError("#DIV/0!")
    return math.fsum(nums) / len(nums)


def _round(values: list[Value]) -> Value:
    x, digits = _number(values[0]), int(_number(values[1])) if len(values) > 1 else 0
    q = 10 ** digits
    return math.floor(abs(x) * q + 0.5) / q * (1 if x >= 0 else -1)


def _count_if(values: list[Value]) -> Value:
    if len(values) == 2:   # one range, one criterion: the common case, without the pairing
        test = criterion(values[1])
        return float(sum(1 for v in _range(values[0]) if test(v)))
    return _conditional(None, list(zip(values[0::2], values[1::2])))


def _sum_if(values: list[Value]) -> Value:
    return _conditional(values[2] if len(values) > 2 else values[0], [(values[0], values[1])])


def _conditional(total: Value, crit_pairs: list[tuple[Value, Value]]) -> Value:
    """COUNTIF(S) (total None) and SUMIF(S): the rows where every criterion holds."""
    tests = [(_range(r), criterion(c)) for r, c in crit_pairs]
    n = len(tests[0][0])
    hits = [i for i in range(n) if all(t(r[i]) for r, t in tests)]
    if total is None:
        return float(len(hits))
    col = _range(total)
    out = 0.0
    for i in hits:
        v = col[i]
        if isinstance(v, ExcelError):
            raise v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out += v
    return out


def _lookup_key(values: list[Value]) -> Value:
    value, keys, results = values
    keys, results = _range(keys), _range(results)
    for k, r in zip(keys, results):
        if k is not None and not isinstance(k, ExcelError) and compare("=", k, value):
            return "" if r is None else r
    return ""


def _lookup_index_key(v: Value) -> tuple | None:
    """What compare("=") equates `v` by, as a dict key; None where only the scan is exact (blank,
    errors, NaN, ranges, other types)."""
    cls = v.__class__
    if cls is str:
        return (1, v.lower())
    if cls is float:
        return (0, v) if v == v else None
    if cls is bool:
        return (2, v)
    if cls is int:
        return (0, float(v))
    return None


def _indexed_lookup(value_fn: Callable, keys_fn: Callable, results_fn: Callable) -> Callable[[Context], Value]:
    """LOOKUPKEY with, per `ctx.shared`, a dict from each key to its first result: the same answer
    as `_lookup_key`'s scan (which it falls back to for keys a dict cannot stand for), in one step."""
    def lookupkey(ctx: Context) -> Value:
        value, keys, results = value_fn(ctx), keys_fn(ctx), results_fn(ctx)
        shared = ctx.shared
        key = _lookup_index_key(value)
        if shared is None or key is None or keys.__class__ is not list or results.__class__ is not list:
            return _lookup_key([value, keys, results])
        slot = ("lookup", id(keys), id(results))
        entry = shared.get(slot)
        if entry is None or entry[0] is not keys or entry[1] is not results:   # (holding both keeps ids unique)
            index: dict[tuple, Value] = {}
            for k, r in zip(keys, results):
                if k is not None and not isinstance(k, ExcelError):
                    ik = _lookup_index_key(k)
                    if ik is None:
                        index = None   # a key only the scan compares exactly: scan every time
                        break
                    index.setdefault(ik, "" if r is None else r)
            entry = shared[slot] = (keys, results, index)
        if entry[2] is None:
            return _lookup_key([value, keys, results])
        return entry[2].get(key, "")
    return lookupkey


def _min_max(pick: Callable[[list[float]], float]) -> Callable[[list[Value]], Value]:
    def fn(values: list[Value]) -> Value:
        nums = _numbers(values)
        return pick(nums) if nums else 0.0
    return fn


_FUNCS: dict[str, Callable[[list[Value]], Value]] = {
    "AND": _and,
    "OR": _or,
    "NOT": lambda values: not _bool(values[0]),
    "SUM": lambda values: math.fsum(_numbers(values)),
    "COUNT": lambda values: float(len(_numbers(values))),
    "AVERAGE": _average,
    "MIN": _min_max(min),
    "MAX": _min_max(max),
    "COUNTA": lambda values: float(sum(1 for v in _flat(values) if v is not None)),
    "COUNTBLANK": lambda values: float(sum(1 for v in _flat(values) if v is None or v == "")),
    "ROUND": _round,
    "ABS": lambda values: abs(_number(values[0])),
    "LEN": lambda values: float(len(_text(values[0]))),
    "ISBLANK": lambda values: values[0] is None,
    "ISNUMBER": lambda values: isinstance(values[0], (int, float)) and not isinstance(values[0], bool),
    "COUNTIF": _count_if,
    "COUNTIFS": _count_if,
    "SUMIF": _sum_if,
    "SUMIFS": lambda values: _conditional(values[0], list(zip(values[1::2], values[2::2]))),
    "LOOKUPKEY": _lookup_key,
}
