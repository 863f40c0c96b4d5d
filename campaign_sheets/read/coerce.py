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
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from ..i18n import t
from ..spec.model import Column, ColumnType, Spec, text_all, text_for

__all__ = [
    "Coerced", "ChoiceIndex", "MESSAGES", "clean_text", "coerce", "choice_index",
    "is_error_value", "parse_date_text", "parse_datetime_text", "parse_number_text",
]

# Messages for `expected`. Same shape as i18n.CATALOG; could be merged into it later.
MESSAGES: dict[str, dict[str, str]] = {
    "coerce.integer": {"zh-CN": "整数，例如 1200", "en": "a whole number such as 1200"},
    "coerce.number": {"zh-CN": "数字，例如 1200 或 1,200.5", "en": "a number such as 1200 or 1,200.5"},
    "coerce.money": {"zh-CN": "金额，例如 1200 或 {currency}1,200", "en": "an amount such as 1200 or {currency}1,200"},
    "coerce.percent": {"zh-CN": "百分比，例如 8% 或 0.08", "en": "a percentage such as 8% or 0.08"},
    "coerce.date": {"zh-CN": "日期，格式 yyyy-mm-dd，例如 2026-06-18", "en": "a date as yyyy-mm-dd, e.g. 2026-06-18"},
    "coerce.date_year": {"zh-CN": "带年份的日期，例如 2026-06-18", "en": "a date with its year, e.g. 2026-06-18"},
    "coerce.datetime": {"zh-CN": "日期时间，格式 yyyy-mm-dd hh:mm，例如 2026-06-18 10:00",
                        "en": "a date and time as yyyy-mm-dd hh:mm, e.g. 2026-06-18 10:00"},
    "coerce.bool": {"zh-CN": "{yes} / {no}", "en": "{yes} / {no}"},
    "coerce.error": {"zh-CN": "一个值，而不是错误值 {value}", "en": "a value, not the error {value}"},
}


def _msg(key: str, lang: str, **params: object) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


@dataclass(frozen=True, slots=True)
class Coerced:
    """The result of reading one cell for one column type."""

    value: Any                  # the typed value (None for blank or when not ok)
    ok: bool = True             # False => the cell does not hold a value of the column's type
    warning: str | None = None  # a warning code when the value was read with a guess
    expected: str | None = None  # what was expected (in `lang`), when not ok


BLANK = Coerced(None, True)

# --------------------------------------------------------------------------- text cleaning
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u00ad"
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), *range(0x7f, 0xa0)])
_KEEP_TABLE: dict[int, Any] = {ord(c): None for c in _ZERO_WIDTH + _CONTROLS}
_KEEP_TABLE.update({0xa0: " ", 0x2007: " ", 0x202f: " ", 0x2028: "\n", 0x2029: "\n", ord("\r"): "\n"})
# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space -> space, ￥ -> ¥: exactly what
# NFKC does for these characters, without NFKC's other rewrites (², ①, ™, ligatures ...).
_FOLD_TABLE = dict(_KEEP_TABLE)
_FOLD_TABLE.update({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
_FOLD_TABLE.update({0x3000: " ", 0xFFE5: "¥", 0xFFE0: "¢", 0xFFE1: "£", 0x2212: "-"})


def _display(raw: Any) -> str:
    """A non-text cell value as Excel would show it in a General cell."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return format(raw, ".15g") if math.isfinite(raw) else ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    if type(raw).__name__ in ("NaTType", "NAType"):  # pandas blanks
        return ""
    return str(raw)


def clean_text(raw: Any, *, fold: bool = True) -> str:
    """`raw` as trimmed text without invisible characters.

    Removes zero-width characters and control characters (keeping \\n and \\t), turns NBSP into a
    space and CR/CRLF into \\n, trims whitespace (incl. NBSP and U+3000) at both ends. With
    `fold` (the default) full-width ASCII letters, digits and punctuation become ASCII (NFKC for
    that block only). Non-text values are shown as Excel would: 12.0 -> '12', True -> 'TRUE'.
    """
    if raw is None:
        return ""
    if type(raw) is not str:
        raw = _display(raw)
    if raw.isascii() and raw.isprintable():
        return raw.strip()
    if "\r\n" in raw:
        raw = raw.replace("\r\n", "\n")
    return raw.translate(_FOLD_TABLE if fold else _KEEP_TABLE).strip()


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
_CUR_PREFIX = re.compile(rf"(?:{_CURRENCY})\s*", re.I)
_CUR_SUFFIX = re.compile(rf"\s*(?:{_CURRENCY}|元)\Z", re.I)
_MULTIPLIER = {"万": 4, "亿": 8}
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?\Z"
                     r"|\.\d+(?:[eE][-+]?\d+)?\Z")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")


def _number(s: str, shift: int = 0, currency: str | None = None) -> float | None:
    """Parse cleaned text `s` as a number times 10**shift; None if it is not one."""
    if _PLAIN_NUMBER.match(s) and not shift:
        return float(s)
    if not s or "%" in s:
        return None
    neg = sign = parens = cur = False
    for _ in range(6):  # peel signs, parentheses, currency marks and 万/亿 in any order
        before = s
        c = s[0]
        if c in "-+" and not sign:
            sign, neg, s = True, neg ^ (c == "-"), s[1:].lstrip()
        elif c == "(" and s[-1] == ")" and not parens:
            parens, neg, s = True, not neg, s[1:-1].strip()
        elif currency and not cur and s.startswith(currency):
            cur, s = True, s[len(currency):].lstrip()
        elif currency and not cur and s.endswith(currency):
            cur, s = True, s[:-len(currency)].rstrip()
        elif not cur and (m := _CUR_PREFIX.match(s)):
            cur, s = True, s[m.end():]
        elif not cur and (m := _CUR_SUFFIX.search(s)):
            cur, s = True, s[:m.start()]
        elif s[-1] in _MULTIPLIER and not shift:
            shift, s = _MULTIPLIER[s[-1]], s[:-1].rstrip()
        if not s:
            return None
        if s == before:
            break
    if not _NUMBER.match(s):
        return None
    digits = s.replace(",", "").replace(" ", "")
    try:
        value = float(Decimal(digits).scaleb(shift)) if shift else float(digits)
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex admits only numbers
        return None
    if not math.isfinite(value):
        return None
    return -value if neg else value


def parse_number_text(text: str, *, currency: str | None = None) -> float | None:
    """A number from what people type: '1,200', '１２００', '1 200', '¥1,200', '-1,200', '(1,200)',
    '1.2万' (12000), '3亿', 'RMB 500', '500元'. Text with '%' is not a number here. None if unreadable.
    `currency` is an extra currency mark to accept (e.g. the spec's 'HK$')."""
    s = clean_text(text)
    return _number(s, 0, currency) if s else None


def _percent_text(s: str) -> tuple[float | None, bool]:
    """(fraction, was the percent assumed) for cleaned text; (None, False) if unreadable."""
    if s.endswith("%"):
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
    if isinstance(raw, numbers.Real) or isinstance(raw, Decimal):
        return float(raw)
    return None


# --------------------------------------------------------------------------- dates
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
_DATE_FORMS = [
    # 2026-06-18, 2026/6/18, 2026.6.18 (optionally 10:00[:00])
    re.compile(rf"(?P<y>\d{{4}})\s*(?P<sep>[-/.])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}})"
               rf"(?:(?:\s+|T){_TIME})?\Z"),
    # 2026年6月18日 / 号
    re.compile(rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?(?:\s*{_TIME})?\Z"),
    # 20260618
    re.compile(rf"(?P<y>\d{{4}})(?P<m>\d{{2}})(?P<d>\d{{2}})(?:(?:\s+|T){_TIME})?\Z"),
    # 6月18日 / 号 (campaign year)
    re.compile(rf"(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?(?:\s*{_TIME})?\Z"),
    # 6/18, 6-18, 6.18 (campaign year)
    re.compile(rf"(?P<m>\d{{1,2}})\s*[-/.]\s*(?P<d>\d{{1,2}})(?:\s+{_TIME})?\Z"),
]
_NEEDS_YEAR = object()


def _parse_dt(text: Any, campaign_year: int | None) -> dt.datetime | None | object:
    """A datetime from text, None if unreadable, _NEEDS_YEAR if it lacks a year and none is given."""
    s = clean_text(text)
    if not s or not s[0].isdigit():
        return None
    for form in _DATE_FORMS:
        m = form.match(s)
        if m is None:
            continue
        g = m.groupdict()
        if "y" in g:
            year = int(g["y"])
        elif campaign_year is None:
            return _NEEDS_YEAR
        else:
            year = campaign_year
        try:
            frac = g.get("f")
            return dt.datetime(year, int(g["m"]), int(g["d"]), int(g.get("H") or 0), int(g.get("M") or 0),
                               int(g.get("S") or 0), int(frac.ljust(6, "0")) if frac else 0)
        except ValueError:
            return None
    return None


def parse_datetime_text(text: str, campaign_year: int | None = None) -> dt.datetime | None:
    """A datetime from date text (see `parse_date_text`) with an optional ' 10:00[:00]' time."""
    value = _parse_dt(text, campaign_year)
    return value if isinstance(value, dt.datetime) else None


def parse_date_text(text: str, campaign_year: int | None = None) -> dt.date | None:
    """A date from '2026-06-18', '2026/6/18', '2026.6.18', '2026年6月18日' (or 号), '20260618',
    full-width digits, a trailing time ('2026-06-18 10:00'); '6月18日', '6/18' take `campaign_year`
    (None without it). None for unreadable text or a day that does not exist (2026-02-30)."""
    value = _parse_dt(text, campaign_year)
    return value.date() if isinstance(value, dt.datetime) else None


_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1900_EARLY = dt.datetime(1899, 12, 31)  # serials 1..59 (before Excel's fictitious 1900-02-29)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MAX_SERIAL_1900 = 2958465  # 9999-12-31
_MAX_SERIAL_1904 = _MAX_SERIAL_1900 - 1462


def _serial_to_datetime(value: float, date1904: bool) -> dt.datetime | None:
    """An Excel serial date number as datetime (to the millisecond), None outside 1..9999-12-31."""
    if date1904:
        if not 1 <= value < _MAX_SERIAL_1904 + 1:
            return None
        base = _EPOCH_1904
    else:
        if not 1 <= value < _MAX_SERIAL_1900 + 1 or 60 <= value < 61:
            return None
        base = _EPOCH_1900_EARLY if value < 60 else _EPOCH_1900
    days = math.floor(value)
    ms = round((value - days) * 86_400_000)
    return base + dt.timedelta(days=days, milliseconds=ms)


def _number_to_datetime(value: float, date1904: bool) -> dt.datetime | None:
    # 20260618 typed as a number is a yyyymmdd date, not a serial far beyond 9999
    if value.is_integer() and 19000101 <= value <= 99991231:
        n = int(value)
        try:
            return dt.datetime(n // 10000, n // 100 % 100, n % 100)
        except ValueError:
            return None
    return _serial_to_datetime(value, date1904)


# --------------------------------------------------------------------------- choices
@dataclass
class ChoiceIndex:
    """Lookup of a named list: cleaned, case-folded key or any locale's label -> item key."""

    name: str
    lookup: dict[str, str]
    labels: dict[str, list[str]]  # lang -> labels in list order
    spec: Spec | None = field(default=None, repr=False)  # keeps the spec alive while cached
    _expected: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, spec: Spec, name: str) -> "ChoiceIndex":
        items = spec.list_items(name)
        lookup: dict[str, str] = {}
        for item in items:  # labels first, so that a key always wins over another item's label
            for label in text_all(item.label):
                lookup.setdefault(clean_text(label).casefold(), item.key)
        for item in items:
            lookup[clean_text(item.key).casefold()] = item.key
        labels = {lang: [text_for(i.label, lang) or i.key for i in items] for lang in spec.locales}
        return cls(name, lookup, labels, spec)

    def match(self, raw: Any) -> str | None:
        """The item key for a raw cell value, or None."""
        return self.lookup.get(clean_text(raw).casefold())

    def expected(self, lang: str) -> str:
        """The allowed labels in `lang`, ' / '-separated (the first 12, then '…')."""
        text = self._expected.get(lang)
        if text is None:
            labels = self.labels.get(lang) or next(iter(self.labels.values()), [])
            text = " / ".join(labels[:12]) + (" / …" if len(labels) > 12 else "")
            self._expected[lang] = text
        return text


_CHOICE_CACHE: dict[tuple[int, str], ChoiceIndex] = {}
_CHOICE_LOCK = threading.Lock()
_CHOICE_CACHE_MAX = 256


def choice_index(spec: Spec, name: str) -> ChoiceIndex:
    """The (cached) ChoiceIndex of list `name`. The cache holds the spec, so an id is never reused
    while its entry lives; build a fresh index (ChoiceIndex.build) after editing a spec's lists."""
    key = (id(spec), name)
    index = _CHOICE_CACHE.get(key)
    if index is not None and index.spec is spec:
        return index
    with _CHOICE_LOCK:
        if len(_CHOICE_CACHE) >= _CHOICE_CACHE_MAX:
            _CHOICE_CACHE.clear()
        index = _CHOICE_CACHE[key] = ChoiceIndex.build(spec, name)
    return index


# --------------------------------------------------------------------------- bool
_TRUE_WORDS = {"true", "yes", "y", "是", "对", "✓", "✔", "√", "1"}
_FALSE_WORDS = {"false", "no", "n", "否", "错", "×", "✗", "✘", "0"}
for _lang in ("zh-CN", "en"):
    _TRUE_WORDS.add(t("yes", _lang).casefold())
    _FALSE_WORDS.add(t("no", _lang).casefold())
_BOOL_WORDS = {**{w: False for w in _FALSE_WORDS}, **{w: True for w in _TRUE_WORDS}}


# --------------------------------------------------------------------------- coerce
@dataclass(frozen=True, slots=True)
class _Ctx:
    spec: Spec
    campaign_year: int | None
    date1904: bool
    lang: str
    choices: ChoiceIndex | None


def _bad(key: str, ctx: _Ctx, **params: object) -> Coerced:
    return Coerced(None, False, None, _msg(key, ctx.lang, **params))


def _text(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    # Free text keeps its full-width punctuation (Chinese prose uses ，。：), only invisibles go.
    return Coerced(clean_text(raw, fold=False), True)


def _folded_text(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    return Coerced(clean_text(raw), True)


def _read_number(raw: Any, ctx: _Ctx) -> float | None:
    if type(raw) is float or type(raw) is int:
        value = float(raw)
        return value if math.isfinite(value) else None
    if type(raw) is str:
        return _number(clean_text(raw), 0, ctx.spec.currency)
    if isinstance(raw, bool):
        return None
    value = _as_number(raw)
    return value if value is not None and math.isfinite(value) else None


def _integer(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    value = _read_number(raw, ctx)
    if value is not None:
        n = round(value)
        if abs(value - n) <= 1e-9 * max(1.0, abs(value)):
            return Coerced(n, True)
    return _bad("coerce.integer", ctx)


def _float(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    value = _read_number(raw, ctx)
    if value is not None:
        return Coerced(value, True)
    if column.type == ColumnType.money:
        return _bad("coerce.money", ctx, currency=ctx.spec.currency)
    return _bad("coerce.number", ctx)


def _percent(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    if type(raw) is str:
        value, assumed = _percent_text(clean_text(raw))
    elif isinstance(raw, bool):
        value, assumed = None, False
    else:
        number = _as_number(raw)
        value, assumed = _percent_number(number) if number is not None else (None, False)
    if value is None or not math.isfinite(value):
        return _bad("coerce.percent", ctx)
    return Coerced(value, True, "percent-assumed" if assumed else None)


def _read_datetime(raw: Any, ctx: _Ctx, key: str) -> dt.datetime | Coerced:
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)
    if type(raw) is str:
        value = _parse_dt(raw, ctx.campaign_year)
        if value is _NEEDS_YEAR:
            return _bad("coerce.date_year", ctx)
        if value is not None:
            return value
        return _bad(key, ctx)
    if not isinstance(raw, bool):
        number = _as_number(raw)
        if number is not None and math.isfinite(number):
            value = _number_to_datetime(number, ctx.date1904)
            if value is not None:
                return value
    return _bad(key, ctx)


def _date(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    if type(raw) is dt.date:
        return Coerced(raw, True)
    value = _read_datetime(raw, ctx, "coerce.date")
    return value if isinstance(value, Coerced) else Coerced(value.date(), True)


def _datetime(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    value = _read_datetime(raw, ctx, "coerce.datetime")
    return value if isinstance(value, Coerced) else Coerced(value, True)


def _bool(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    if raw is True or raw is False:
        return Coerced(raw, True)
    if type(raw) is str:
        value = _BOOL_WORDS.get(clean_text(raw).casefold())
        if value is not None:
            return Coerced(value, True)
    elif not isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        number = _as_number(raw)
        if number == 1 or number == 0:
            return Coerced(number == 1, True)
    return _bad("coerce.bool", ctx, yes=t("yes", ctx.lang), no=t("no", ctx.lang))


def _choice(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    index = ctx.choices
    if index is None or index.name != column.choices:
        index = choice_index(ctx.spec, column.choices or "")
    key = index.match(raw)
    if key is not None:
        return Coerced(key, True)
    return Coerced(None, False, None, index.expected(ctx.lang))


def _formula(raw: Any, column: Column, ctx: _Ctx) -> Coerced:
    if type(raw) is str:
        return Coerced(clean_text(raw, fold=False), True)
    if type(raw) is float or type(raw) is bool:
        return Coerced(raw, True)
    if type(raw) is int:
        return Coerced(float(raw), True)
    number = None if isinstance(raw, (bool, dt.date, dt.time, dt.timedelta)) else _as_number(raw)
    return Coerced(number if number is not None else raw, True)


_HANDLERS: dict[ColumnType, Callable[[Any, Column, _Ctx], Coerced]] = {
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


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    tp = type(raw)
    if tp is str:
        if not raw:
            return True
        if raw.isascii() and raw.isprintable():
            return raw.isspace()
        return not clean_text(raw)
    if tp is float:
        return raw != raw  # NaN: pandas' empty cell
    return tp.__name__ in ("NaTType", "NAType")


def coerce(raw: Any, column: Column, spec: Spec, *, campaign_year: int | None = None,
           date1904: bool = False, lang: str = "en", choices: ChoiceIndex | None = None) -> Coerced:
    """Read one raw cell value as `column`'s type.

    Blank (None, '', whitespace or invisible characters only, pandas NaN) -> Coerced(None, ok=True).
    An error value ('#DIV/0!', 'Err:502', ...) -> Coerced(None, ok=False, warning='formula-error').
    `campaign_year` completes dates typed without a year ('6/18'); `date1904` reads serial numbers
    in the 1904 date system; `lang` is the language of `expected`; `choices` is a prebuilt
    ChoiceIndex for the column's list (else one is built and cached per spec and list).
    """
    if _is_blank(raw):
        return BLANK
    if type(raw) is str and is_error_value(raw):
        return Coerced(None, False, "formula-error", _msg("coerce.error", lang, value=raw.strip()))
    ctx = _Ctx(spec, campaign_year, date1904, lang, choices)
    return _HANDLERS[column.type](raw, column, ctx)
