"""Turn what people type into spreadsheet cells into typed values, one spec column type at a time.

Raw values come from python-calamine (numbers are floats, '' for empty, date/datetime/time/
timedelta objects) or openpyxl (int, float, str, datetime, None). `coerce` never raises on a
cell value: a value it cannot read comes back as `Coerced(ok=False, expected=...)`, a value it
read with a guess carries a `warning` code, and blank is `Coerced(None, ok=True)` (whether a
blank is allowed is the validator's business, as are min/max/max_length).

Text is read by `parse` (numbers, percentages, dates); a cell holding a spreadsheet error value
('#DIV/0!', 'Err:502') is reported as such, never read as text.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Callable

from ..compute import sheet_value
from ..formula import date_to_serial
from ..i18n import t
from ..spec.index import SpecIndex
from ..spec.model import Column, ColumnType
from ..text import clean_text
from .parse import (
    BOOL_WORDS, NEEDS_YEAR, as_number, is_error_value, is_number, number_in_text, number_to_datetime, parse_date_or_time,
    percent_in_text, percent_of_number,
)

__all__ = ["Coerced", "coerce", "fast_reader", "cell_text", "is_error_value"]


@dataclass(frozen=True, slots=True)
class Coerced:
    """The result of reading one cell for one column type."""

    value: Any                  # the typed value (None for blank or when not ok)
    ok: bool = True             # False => the cell does not hold a value of the column's type
    warning: str | None = None  # a warning code when the value was read with a guess
    expected: str | None = None  # what was expected (in `lang`), when not ok


BLANK = Coerced(None, True)

# --------------------------------------------------------------------------- coerce
# Handlers take (raw, s, column, ctx): `s` is the cleaned text when raw is a str (never blank;
# width-folded unless the type is in _UNFOLDED), else None; ctx is (spec index, campaign_year, date1904, lang).
_Ctx = tuple

_new = object.__new__
_set_value, _set_ok = Coerced.value.__set__, Coerced.ok.__set__  # type: ignore[attr-defined]
_set_warning, _set_expected = Coerced.warning.__set__, Coerced.expected.__set__  # type: ignore[attr-defined]


def _good(value: Any, warning: str | None = None) -> Coerced:
    """Coerced(value, True, warning) without the frozen dataclass __init__ (3x faster)."""
    c = _new(Coerced)
    _set_value(c, value)
    _set_ok(c, True)
    _set_warning(c, warning)
    _set_expected(c, None)
    return c


def _bad(key: str, ctx: _Ctx, **params: object) -> Coerced:
    return Coerced(None, False, None, t(key, ctx[3], **params))


def _text(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    # Free text keeps full-width punctuation (Chinese prose uses ，。：), see _UNFOLDED.
    return _good(s if s is not None else clean_text(raw, fold=False))


def _folded_text(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    return _good(s if s is not None else clean_text(raw))


def _read_number(raw: Any, s: str | None, ctx: _Ctx) -> float | None:
    if s is not None:
        return number_in_text(s, 0, ctx[0].spec.currency)
    if type(raw) is float or type(raw) is int:
        value = float(raw)
    elif raw is True or raw is False:
        return None
    else:
        value = as_number(raw)
        if value is None:
            return None
    return value if math.isfinite(value) else None


def _integer(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    if type(raw) is float and raw.is_integer():
        return _good(int(raw))
    value = _read_number(raw, s, ctx)
    if value is not None:
        n = round(value)
        if abs(value - n) <= 1e-9 * max(1.0, abs(value)):
            return _good(n)
    return _bad("coerce.integer", ctx)


def _float(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    value = _read_number(raw, s, ctx)
    if value is not None:
        return _good(value)
    if column.type == ColumnType.money:
        return _bad("coerce.money", ctx, currency=ctx[0].spec.currency)
    return _bad("coerce.number", ctx)


def _percent(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    if s is not None:
        value, assumed = percent_in_text(s)
    elif isinstance(raw, bool):
        value, assumed = None, False
    else:
        number = as_number(raw)
        value, assumed = percent_of_number(number) if number is not None else (None, False)
    if value is None or not math.isfinite(value):
        return _bad("coerce.percent", ctx)
    return _good(value, "percent-assumed" if assumed else None)


def _date_value(raw: Any, s: str | None, ctx: _Ctx, want_time: bool) -> Coerced:
    if s is not None:
        value = parse_date_or_time(s, ctx[1], want_time)
        if value is NEEDS_YEAR:
            return _bad("coerce.date_year", ctx)
    elif isinstance(raw, dt.datetime):
        value = raw if want_time else raw.date()
    elif isinstance(raw, dt.date):
        value = dt.datetime(raw.year, raw.month, raw.day) if want_time else raw
    else:
        number = as_number(raw)
        value = None
        if number is not None and math.isfinite(number):
            value = number_to_datetime(number, ctx[2], want_time)
    if value is None:
        return _bad("coerce.datetime" if want_time else "coerce.date", ctx)
    return _good(value)


def _date(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    if type(raw) is dt.date:
        return _good(raw)
    return _date_value(raw, s, ctx, False)


def _datetime(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    return _date_value(raw, s, ctx, True)


_TRUE, _FALSE = Coerced(True, True), Coerced(False, True)


def _bool(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    if raw is True or raw is False:
        return _TRUE if raw else _FALSE
    if s is not None:
        value = BOOL_WORDS.get(s.casefold())
        if value is not None:
            return _TRUE if value else _FALSE
    else:
        number = as_number(raw)
        if number == 1 or number == 0:
            return _TRUE if number == 1 else _FALSE
    return _bad("coerce.bool", ctx, yes=t("yes", ctx[3]), no=t("no", ctx[3]))


def _choice(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    index = ctx[0].choices[column.choices or ""]
    key = index.lookup.get((s if s is not None else clean_text(raw)).casefold())
    if key is not None:
        return _good(key)
    return Coerced(None, False, None, index.expected(ctx[3]))


def _formula(raw: Any, s: str | None, column: Column, ctx: _Ctx) -> Coerced:
    if s is not None:
        return _good(s)
    if type(raw) is float or type(raw) is bool:
        return _good(raw)
    if type(raw) is int:
        return _good(float(raw))
    number = None if isinstance(raw, (bool, dt.date, dt.time, dt.timedelta)) else as_number(raw)
    return _good(number if number is not None else raw)


_HANDLERS: dict[ColumnType, Callable[[Any, "str | None", Column, _Ctx], Coerced]] = {
    ColumnType.text: _text,
    ColumnType.person: _folded_text,
    ColumnType.reference: _folded_text,
    ColumnType.integer: _integer,
    ColumnType.number: _float,
    ColumnType.money: _float,
    ColumnType.percent: _percent,
    ColumnType.date: _date,
    ColumnType.datetime: _datetime,
    ColumnType.bool: _bool,
    ColumnType.choice: _choice,
    ColumnType.formula: _formula,
}
_PANDAS_BLANKS = ("NaTType", "NAType")
# Column types whose text is kept as typed (no full-width folding): free text and formula results.
_UNFOLDED = frozenset({ColumnType.text, ColumnType.formula})


def cell_text(raw: str, column_type: ColumnType) -> str:
    """A text cell cleaned as `coerce` reads it for `column_type` (folded unless free text)."""
    if raw.isprintable() and (raw.isascii() or column_type in _UNFOLDED):
        return raw.strip()   # nothing to remove or turn into a space; free text is not folded
    return clean_text(raw, fold=column_type not in _UNFOLDED)


def coerce(raw: Any, column: Column, index: SpecIndex, *, campaign_year: int | None = None,
           date1904: bool = False, lang: str = "en") -> Coerced:
    """Read one raw cell value as `column`'s type.

    Blank (None, '', whitespace or invisible characters only, pandas NaN) -> Coerced(None, ok=True).
    An error value ('#DIV/0!', 'Err:502', ...) -> Coerced(None, ok=False, warning='formula-error').
    `campaign_year` completes dates typed without a year ('6/18'); `date1904` reads serial numbers
    in the 1904 date system; `lang` is the language of `expected`. `index` gives the spec's
    currency and dropdown lists.
    """
    if raw is None:
        return BLANK
    tp = type(raw)
    if tp is str:
        s = cell_text(raw, column.type)
        if not s:
            return BLANK
        if (s[0] == "#" or s[0] == "E") and is_error_value(s):
            return Coerced(None, False, "formula-error", t("coerce.error", lang, value=s))
    else:
        s = None
        if tp is float:
            if raw != raw:  # NaN: pandas' empty cell
                return BLANK
        elif tp.__name__ in _PANDAS_BLANKS:
            return BLANK
    return _HANDLERS[column.type](raw, s, column, (index, campaign_year, date1904, lang))


# --------------------------------------------------------------------------- fast readers
_BLANK_PAIR = (None, None)


Reader = Callable[[Any], "tuple[Any, Any] | None"]


def fast_reader(index: SpecIndex, col: Column, lang: str) -> Reader | None:
    """raw -> (typed value, spreadsheet value) for the cells of input column `col` that need no
    judgement (a clean number, date, text, dropdown label or yes/no in range, or an empty cell
    of an optional column), else None: the caller then takes the general path (`coerce` and the
    bounds check), which reports. Exactly what the general path gives for the same cell (a test
    holds them equal); most filled cells are clean, and this path reads them in a fraction of the
    time. None when the type has no shortcut. `lang` is the language of the workbook's labels."""
    kind = col.type
    if kind in _FAST_NUMBERS:
        return _number_reader(col)
    if kind in _FAST_TEXTS:
        return _choice_reader(index, col, lang) if kind == ColumnType.choice else _text_reader(col)
    maker = {ColumnType.date: _date_reader, ColumnType.bool: _bool_reader}.get(kind)
    return maker(index, col, lang) if maker else None


def _number_reader(col: Column) -> Reader:
    lo = max(float(col.min), -_MAX_FLOAT) if is_number(col.min) else -_MAX_FLOAT
    hi = min(float(col.max), _MAX_FLOAT) if is_number(col.max) else _MAX_FLOAT
    integer, percent, optional = col.type == ColumnType.integer, col.type == ColumnType.percent, not col.required

    def number(raw: Any) -> tuple[Any, Any] | None:
        if raw.__class__ is float:
            # a percent typed as 35 means 35% (reported): only fractions take the shortcut
            if lo <= raw <= hi and (not integer or raw.is_integer()) and not (percent and 1 < raw <= 100):
                return (int(raw) if integer else raw), raw
        elif raw == "" and optional:
            return _BLANK_PAIR
        return None
    return number


def _date_reader(index: SpecIndex, col: Column, lang: str) -> Reader:
    lo = col.min if isinstance(col.min, dt.date) else dt.date.min
    hi = col.max if isinstance(col.max, dt.date) else dt.date.max
    optional = not col.required

    def date(raw: Any) -> tuple[Any, Any] | None:
        if raw.__class__ is dt.date:
            if lo <= raw <= hi:
                return raw, date_to_serial(raw)
        elif raw == "" and optional:
            return _BLANK_PAIR
        return None
    return date


def _bool_reader(index: SpecIndex, col: Column, lang: str) -> Reader:
    shown = {True: sheet_value(index, col, True, lang), False: sheet_value(index, col, False, lang)}
    words = {w: (v, shown[v]) for w, v in BOOL_WORDS.items()}
    pairs = {True: (True, shown[True]), False: (False, shown[False])}
    optional = not col.required

    def yes_no(raw: Any) -> tuple[Any, Any] | None:
        if raw.__class__ is str:
            if raw:
                s = cell_text(raw, ColumnType.bool)
                if s and not _may_be_error(s):
                    return words.get(s.casefold())
            elif optional:
                return _BLANK_PAIR
        elif raw is True or raw is False:
            return pairs[raw]
        return None
    return yes_no


def _choice_reader(index: SpecIndex, col: Column, lang: str) -> Reader:
    lookup = index.choices[col.choices or ""].lookup
    longest = col.max_length or math.inf
    shown = {i.key: (i.key, sheet_value(index, col, i.key, lang)) for i in index.spec.list_items(col.choices or "")
             if len(i.key) <= longest}
    seen: dict[str, tuple[Any, Any] | None] = {}   # a dropdown's few values recur in every row
    optional = not col.required

    def choice(raw: Any) -> tuple[Any, Any] | None:
        if raw.__class__ is str:
            if raw:
                got = seen.get(raw, _MISS)
                if got is _MISS:
                    s = cell_text(raw, ColumnType.choice)
                    got = shown.get(lookup.get(s.casefold())) if s and not _may_be_error(s) else None
                    if len(seen) < 1024:
                        seen[raw] = got
                return got
            if optional:
                return _BLANK_PAIR
        return None
    return choice


def _text_reader(col: Column) -> Reader:
    longest = col.max_length or math.inf   # no max_length: no length check on this path either
    folded, optional = col.type not in _UNFOLDED, not col.required

    def text(raw: Any) -> tuple[Any, Any] | None:
        if raw.__class__ is str:
            if raw:
                # cell_text(raw, kind), inline: most text needs only trimming
                if raw.isprintable() and (not folded or raw.isascii()):
                    s = raw.strip()
                else:
                    s = clean_text(raw, fold=folded)
                if s and len(s) <= longest and not _may_be_error(s):
                    return s, s
            elif optional:
                return _BLANK_PAIR
        return None
    return text


_MISS = object()


def _may_be_error(s: str) -> bool:
    """Whether cleaned text could be an error value ('#DIV/0!', LibreOffice's 'Err:502'): those take
    the general path, which reports them."""
    return s[0] == "#" or (s[0] == "E" and s.startswith("Err:"))


_FAST_NUMBERS = frozenset({ColumnType.number, ColumnType.money, ColumnType.integer, ColumnType.percent})
_FAST_TEXTS = frozenset({ColumnType.text, ColumnType.person, ColumnType.reference, ColumnType.choice})
_MAX_FLOAT = 1.7976931348623157e308   # finite floats only: inf is a type error

