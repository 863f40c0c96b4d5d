"""Excel's values and rules in Python: error values, dates as serials, how blanks, text, numbers
and booleans convert and compare, and COUNTIF-style criteria."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable

EPOCH = dt.date(1899, 12, 30)


def date_to_serial(value: dt.date | dt.datetime) -> float:
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return float((value - EPOCH).days)


def serial_to_date(serial: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(serial))


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


def number_text(value: float) -> str:
    """A number as Excel writes it in a formula or joins it into text: 3, 2.5."""
    return str(int(value)) if float(value).is_integer() else repr(value)


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
        return number_text(v)
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
