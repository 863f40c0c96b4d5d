"""Turn what people type into spreadsheet cells into typed values, one spec column type at a time.

Raw values come from python-calamine (numbers are floats, '' for empty, date/datetime/time/
timedelta objects) or openpyxl (int, float, str, datetime, None). `coerce` never raises on a
cell value: a value it cannot read comes back as `Coerced(ok=False, expected=...)`, a value it
read with a guess carries a `warning` code, and blank is `Coerced(None, ok=True)` (whether a
blank is allowed is the validator's business, as are min/max/max_length).

Note: python-calamine (0.9.x) returns Excel error cells (#DIV/0!, #N/A, ...) as '' — the same as
an empty cell — so `is_error_value` only sees errors in openpyxl values or in typed text.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..compute import sheet_value
from ..formula import date_to_serial
from ..i18n import t
from ..spec.index import SpecIndex
from ..spec.model import Column, ColumnType
from ..text import clean_text

__all__ = [
    "Coerced", "coerce", "fast_reader", "cell_text",
    "is_error_value", "parse_date_text", "parse_datetime_text", "parse_number_text",
]

@dataclass(frozen=True, slots=True)
class Coerced:
    """The result of reading one cell for one column type."""

    value: Any                  # the typed value (None for blank or when not ok)
    ok: bool = True             # False => the cell does not hold a value of the column's type
    warning: str | None = None  # a warning code when the value was read with a guess
    expected: str | None = None  # what was expected (in `lang`), when not ok


BLANK = Coerced(None, True)

# --------------------------------------------------------------------------- error values
_ERROR_VALUES = frozenset({
    "#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})
_LO_ERROR = re.compile(r"Err:\d{3}\Z")


def is_error_value(raw: Any) -> bool:
    """True for a spreadsheet error value as text: '#DIV/0!', '#N/A', ..., LibreOffice 'Err:502'."""
    if type(raw) is not str or not raw:
        return False
    s = raw.strip()
    if not s:
        return False
    if s[0] == "#":
        return s.upper() in _ERROR_VALUES
    return s[0] == "E" and _LO_ERROR.match(s) is not None


# --------------------------------------------------------------------------- numbers
_CURRENCY = r"RMB|CNY|USD|人民币|[¥$€£]"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?"
# sign, '(', sign, currency, sign, digits, 万/亿, currency or 元, ')' - all optional but the digits
_MONEY = re.compile(
    rf"(?P<s1>[-+])?\s*(?P<open>\()?\s*(?P<s2>[-+])?\s*(?:(?:{_CURRENCY})\s*)?(?P<s3>[-+])?\s*"
    rf"(?P<num>{_DIGITS})\s*(?P<mult>[万亿])?\s*(?:{_CURRENCY}|元)?\s*(?P<close>\))?\Z", re.I)
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
_MULTIPLIER = {"万": 4, "亿": 8}
_KNOWN_CURRENCY = {"RMB", "CNY", "USD", "人民币", "¥", "$", "€", "£", "元"}


def _number(s: str, shift: int = 0, currency: str | None = None) -> float | None:
    """Cleaned text `s` as a number times 10**shift; None if it is not one."""
    if _PLAIN_NUMBER.match(s):
        return float(f"{s}e{shift}") if shift else float(s)  # float() rounds '12.3e-2' correctly
    if currency and currency not in _KNOWN_CURRENCY and currency in s:
        s = s.replace(currency, "", 1).strip()
    m = _MONEY.match(s)
    if m is None:
        return None
    s1, opened, s2, s3, digits, mult, closed = m.groups()
    if (opened is None) != (closed is None):
        return None
    sign = s1 or s2 or s3
    if sign is not None and ((s1 is not None) + (s2 is not None) + (s3 is not None)) > 1:
        return None
    if mult is not None:
        if shift:
            return None
        shift = _MULTIPLIER[mult]
    if "," in digits or " " in digits:
        digits = digits.replace(",", "").replace(" ", "")
    value = float(Decimal(digits).scaleb(shift)) if shift else float(digits)
    if not math.isfinite(value):
        return None
    return -value if (opened is not None) != (sign == "-") else value


def parse_number_text(text: str, *, currency: str | None = None) -> float | None:
    """A number from what people type: '1,200', '１２００', '1 200', '¥1,200', '-1,200', '(1,200)',
    '1.2万' (12000), '3亿', 'RMB 500', '500元', '1.2万元'. Text with '%' is not a number here.
    None if unreadable. `currency` is one more currency mark to accept (e.g. the spec's 'HK$')."""
    s = clean_text(text)
    return _number(s, 0, currency) if s else None


def _percent_text(s: str) -> tuple[float | None, bool]:
    """(fraction, was the percent assumed) for cleaned text; (None, False) if unreadable."""
    if s[-1] == "%":
        return _number(s[:-1].rstrip(), -2), False
    value = _number(s)
    if value is None:
        return None, False
    return _percent_number(value)


def _percent_number(value: float) -> tuple[float, bool]:
    if 1 < value <= 100:
        return float(Decimal(repr(value)).scaleb(-2)), True
    return value, False


def _as_number(raw: Any) -> float | None:
    """A non-text, non-bool raw value as float, or None if it is not a number."""
    if isinstance(raw, (numbers.Real, Decimal)) and not isinstance(raw, bool):
        return float(raw)
    return None


# --------------------------------------------------------------------------- dates
_TIME = r"(?:(?:\s*|T)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?\Z"
_DATE_FORMS = [
    # 2026-06-18, 2026/6/18, 2026.6.18
    re.compile(rf"(?P<y>\d{{4}})\s*(?P<sep>[-/.])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}}){_TIME}"),
    # 2026年6月18日 / 号
    re.compile(rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?{_TIME}"),
    # 20260618
    re.compile(rf"(?P<y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}}){_TIME}"),
    # 6月18日 / 号, 6/18, 6-18, 6.18: in the campaign year
    re.compile(rf"(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?{_TIME}"),
    re.compile(rf"(?P<m>\d{{1,2}})\s*[-/.]\s*(?P<d>\d{{1,2}}){_TIME}"),
]
_DATE_FORMS = [(form, "y" in form.groupindex) for form in _DATE_FORMS]
_NEEDS_YEAR = object()


def _parse_dt(s: str, campaign_year: int | None, want_time: bool) -> Any:
    """A datetime (date unless want_time) from cleaned text; None if unreadable or not a real
    day; _NEEDS_YEAR if the text has no year and there is no campaign year."""
    if not s or not s[0].isdigit():
        return None
    for form, has_year in _DATE_FORMS:
        m = form.match(s)
        if m is None:
            continue
        if has_year:
            year = int(m.group("y"))
        elif campaign_year is None:
            return _NEEDS_YEAR
        else:
            year = campaign_year
        month, day, hour = m.group("m", "d", "H")
        try:
            if hour is None:
                return dt.datetime(year, int(month), int(day)) if want_time else dt.date(year, int(month), int(day))
            minute, second, frac = m.group("M", "S", "f")
            value = dt.datetime(year, int(month), int(day), int(hour), int(minute), int(second or 0),
                                int(frac.ljust(6, "0")) if frac else 0)
            return value if want_time else value.date()
        except ValueError:
            return None
    return None


def parse_datetime_text(text: str, campaign_year: int | None = None) -> dt.datetime | None:
    """A datetime from date text (see `parse_date_text`) with an optional time '10:00[:00[.f]]'."""
    value = _parse_dt(clean_text(text), campaign_year, True)
    return value if isinstance(value, dt.datetime) else None


def parse_date_text(text: str, campaign_year: int | None = None) -> dt.date | None:
    """A date from '2026-06-18', '2026/6/18', '2026.6.18', '2026年6月18日' (or 号), '20260618',
    full-width digits, with or without a time ('2026-06-18 10:00'); '6月18日', '6/18' (also 6-18,
    6.18) take `campaign_year` (None without it). None for unreadable text or a day that does not
    exist (2026-02-30)."""
    value = _parse_dt(clean_text(text), campaign_year, False)
    return value if isinstance(value, dt.date) else None


_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1900_EARLY = dt.datetime(1899, 12, 31)  # serials 1..59 (before Excel's fictitious 1900-02-29)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_ORD_1900, _ORD_1900_EARLY, _ORD_1904 = (d.toordinal() for d in (_EPOCH_1900, _EPOCH_1900_EARLY, _EPOCH_1904))
_MAX_SERIAL_1900 = 2958465  # 9999-12-31
_MAX_SERIAL_1904 = _MAX_SERIAL_1900 - 1462
_HALF_MS = 0.5 / 86_400_000


def _serial_to_datetime(value: float, date1904: bool, want_time: bool) -> dt.datetime | dt.date | None:
    """An Excel serial date number as datetime (to the millisecond) or date; None outside
    1..9999-12-31 and for 60, Excel's 1900-02-29 that never was."""
    if date1904:
        if not 1 <= value < _MAX_SERIAL_1904 + 1:
            return None
        base, ordinal = _EPOCH_1904, _ORD_1904
    else:
        if not 1 <= value < _MAX_SERIAL_1900 + 1 or 60 <= value < 61:
            return None
        base, ordinal = (_EPOCH_1900_EARLY, _ORD_1900_EARLY) if value < 60 else (_EPOCH_1900, _ORD_1900)
    try:
        if not want_time:
            return dt.date.fromordinal(ordinal + math.floor(value + _HALF_MS))
        days = math.floor(value)
        return base + dt.timedelta(days=days, milliseconds=round((value - days) * 86_400_000))
    except (ValueError, OverflowError):  # 9999-12-31 23:59:59.9999 rounds into year 10000
        return None


def _number_to_datetime(value: float, date1904: bool, want_time: bool) -> dt.datetime | dt.date | None:
    # 20260618 typed as a number is a yyyymmdd date, not a serial far beyond 9999
    if 19000101 <= value <= 99991231 and value.is_integer():
        n = int(value)
        try:
            day = dt.date(n // 10000, n // 100 % 100, n % 100)
        except ValueError:
            return None
        return dt.datetime(day.year, day.month, day.day) if want_time else day
    return _serial_to_datetime(value, date1904, want_time)


# --------------------------------------------------------------------------- bool
_TRUE_WORDS = {"true", "yes", "y", "是", "对", "✓", "✔", "√", "1"}
_FALSE_WORDS = {"false", "no", "n", "否", "错", "×", "✗", "✘", "0"}
for _lang in ("zh-CN", "en"):
    _TRUE_WORDS.add(t("yes", _lang).casefold())
    _FALSE_WORDS.add(t("no", _lang).casefold())
_BOOL_WORDS = {**{w: False for w in _FALSE_WORDS}, **{w: True for w in _TRUE_WORDS}}


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
        return _number(s, 0, ctx[0].spec.currency)
    if type(raw) is float or type(raw) is int:
        value = float(raw)
    elif raw is True or raw is False:
        return None
    else:
        value = _as_number(raw)
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
        value, assumed = _percent_text(s)
    elif isinstance(raw, bool):
        value, assumed = None, False
    else:
        number = _as_number(raw)
        value, assumed = _percent_number(number) if number is not None else (None, False)
    if value is None or not math.isfinite(value):
        return _bad("coerce.percent", ctx)
    return _good(value, "percent-assumed" if assumed else None)


def _date_value(raw: Any, s: str | None, ctx: _Ctx, want_time: bool) -> Coerced:
    if s is not None:
        value = _parse_dt(s, ctx[1], want_time)
        if value is _NEEDS_YEAR:
            return _bad("coerce.date_year", ctx)
    elif isinstance(raw, dt.datetime):
        value = raw if want_time else raw.date()
    elif isinstance(raw, dt.date):
        value = dt.datetime(raw.year, raw.month, raw.day) if want_time else raw
    else:
        number = _as_number(raw)
        value = None
        if number is not None and math.isfinite(number):
            value = _number_to_datetime(number, ctx[2], want_time)
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
        value = _BOOL_WORDS.get(s.casefold())
        if value is not None:
            return _TRUE if value else _FALSE
    else:
        number = _as_number(raw)
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
    number = None if isinstance(raw, (bool, dt.date, dt.time, dt.timedelta)) else _as_number(raw)
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


def fast_reader(index: SpecIndex, col: Column, lang: str) -> Callable[[Any], tuple[Any, Any] | None] | None:
    """raw -> (typed value, spreadsheet value) for the cells of input column `col` that need no
    judgement (a clean number, date, text, dropdown label or yes/no in range, or an empty cell
    of an optional column), else None: the caller then takes the general path (`coerce` and the
    bounds check), which reports. Exactly what the general path gives for the same cell (a test
    holds them equal); most filled cells are clean, and this path reads them in a fraction of the
    time. None when the type has no shortcut. `lang` is the language of the workbook's labels."""
    kind = col.type
    optional = not col.required
    if kind in _FAST_NUMBERS or kind == ColumnType.percent:
        lo = max(float(col.min), -_MAX_FLOAT) if _is_number(col.min) else -_MAX_FLOAT
        hi = min(float(col.max), _MAX_FLOAT) if _is_number(col.max) else _MAX_FLOAT
        integer = kind == ColumnType.integer
        percent = kind == ColumnType.percent

        def number(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is float:
                # a percent typed as 35 means 35% (reported): only fractions take the shortcut
                if lo <= raw <= hi and (not integer or raw.is_integer()) and not (percent and 1 < raw <= 100):
                    return (int(raw) if integer else raw), raw
            elif raw == "" and optional:
                return _BLANK_PAIR
            return None
        return number
    if kind == ColumnType.date:
        lo_d = col.min if isinstance(col.min, dt.date) else dt.date.min
        hi_d = col.max if isinstance(col.max, dt.date) else dt.date.max
        to_serial = date_to_serial

        def date(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is dt.date:
                if lo_d <= raw <= hi_d:
                    return raw, to_serial(raw)
            elif raw == "" and optional:
                return _BLANK_PAIR
            return None
        return date
    if kind == ColumnType.bool:
        shown = {True: sheet_value(index, col, True, lang), False: sheet_value(index, col, False, lang)}
        words = {w: (v, shown[v]) for w, v in _BOOL_WORDS.items()}
        pairs = {True: (True, shown[True]), False: (False, shown[False])}

        def yes_no(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is str:
                if raw:
                    s = cell_text(raw, kind)
                    if s and not _may_be_error(s):
                        return words.get(s.casefold())
                elif optional:
                    return _BLANK_PAIR
            elif raw is True or raw is False:
                return pairs[raw]
            return None
        return yes_no
    if kind == ColumnType.choice:
        lookup = index.choices[col.choices or ""].lookup
        longest = col.max_length or math.inf
        shown = {i.key: (i.key, sheet_value(index, col, i.key, lang)) for i in index.spec.list_items(col.choices or "")
                 if len(i.key) <= longest}
        seen: dict[str, tuple[Any, Any] | None] = {}   # a dropdown's few values recur in every row and file

        def choice(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is str:
                if raw:
                    got = seen.get(raw, _MISS)
                    if got is _MISS:
                        s = cell_text(raw, kind)
                        got = shown.get(lookup.get(s.casefold())) if s and not _may_be_error(s) else None
                        if len(seen) < 1024:
                            seen[raw] = got
                    return got
                if optional:
                    return _BLANK_PAIR
            return None
        return choice
    if kind in _FAST_TEXTS:
        longest = col.max_length or math.inf   # no max_length: no length check on this path either
        folded = kind not in _UNFOLDED

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
    return None


_MISS = object()


def _may_be_error(s: str) -> bool:
    """Whether cleaned text could be an error value ('#DIV/0!', LibreOffice's 'Err:502'): those take
    the general path, which reports them."""
    return s[0] == "#" or (s[0] == "E" and s.startswith("Err:"))


_FAST_NUMBERS = frozenset({ColumnType.number, ColumnType.money, ColumnType.integer})
_FAST_TEXTS = frozenset({ColumnType.text, ColumnType.person, ColumnType.reference, ColumnType.choice})
_MAX_FLOAT = 1.7976931348623157e308   # finite floats only: inf is a type error


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
