"""Evaluate a parsed formula in Python with Excel's semantics, compiled once into closures.

Blank is 0 or "", dates are serial numbers, errors propagate as values: what the builder caches
and what the importer recomputes agree with what the spreadsheet shows.
"""
from __future__ import annotations

import itertools
import math
from typing import Callable

from ..errors import FormulaSyntaxError
from .syntax import BinOp, Bool, Call, Item, Neg, Node, Num, Ref, Str, walk
from .values import _OPS, Context, ExcelError, Value, _bool, _flat, _number, _text, compare, criterion


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
        raise FormulaSyntaxError.of("formula.not_implemented", token=name)
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
            return r   # a blank cell found: blank (0 as a cell's result, equal to "" in a comparison)
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
                    index.setdefault(ik, r)
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
