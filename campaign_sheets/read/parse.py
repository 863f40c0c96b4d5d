"""What people type as numbers, percentages, dates and yes/no, read from text or cell values.

Text comes cleaned (`text.clean_text`). Numbers take thousands separators, currency marks,
万/亿 and accounting brackets; dates take the forms Chinese and English users type, with or
without a year; serial numbers follow Excel's 1900 and 1904 date systems.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from decimal import Decimal
from typing import Any

from ..i18n import t
from ..text import clean_text

# --------------------------------------------------------------------------- error values
_ERROR_VALUES = frozenset({
    "#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})
_LO_ERROR = re.compile(r"Err:\d{3}\Z")
# what a cell holding an error value no spreadsheet defines reads as (Gnumeric writes `#"IF(...` for a
# formula it could not parse): an error value, which a formula cell's recomputed result replaces
UNKNOWN_ERROR = "#UNKNOWN!"


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


def number_in_text(s: str, shift: int = 0, currency: str | None = None) -> float | None:
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
    return number_in_text(s, 0, currency) if s else None


def percent_in_text(s: str) -> tuple[float | None, bool]:
    """(fraction, was the percent assumed) for cleaned text; (None, False) if unreadable."""
    if s[-1] == "%":
        return number_in_text(s[:-1].rstrip(), -2), False
    value = number_in_text(s)
    if value is None:
        return None, False
    return percent_of_number(value)


def percent_of_number(value: float) -> tuple[float, bool]:
    if 1 < value <= 100:
        return float(Decimal(repr(value)).scaleb(-2)), True
    return value, False


def as_number(raw: Any) -> float | None:
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
NEEDS_YEAR = object()


def parse_date_or_time(s: str, campaign_year: int | None, want_time: bool) -> Any:
    """A datetime (date unless want_time) from cleaned text; None if unreadable or not a real
    day; NEEDS_YEAR if the text has no year and there is no campaign year."""
    if not s or not s[0].isdigit():
        return None
    for form, has_year in _DATE_FORMS:
        m = form.match(s)
        if m is None:
            continue
        if has_year:
            year = int(m.group("y"))
        elif campaign_year is None:
            return NEEDS_YEAR
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
    value = parse_date_or_time(clean_text(text), campaign_year, True)
    return value if isinstance(value, dt.datetime) else None


def parse_date_text(text: str, campaign_year: int | None = None) -> dt.date | None:
    """A date from '2026-06-18', '2026/6/18', '2026.6.18', '2026年6月18日' (or 号), '20260618',
    full-width digits, with or without a time ('2026-06-18 10:00'); '6月18日', '6/18' (also 6-18,
    6.18) take `campaign_year` (None without it). None for unreadable text or a day that does not
    exist (2026-02-30)."""
    value = parse_date_or_time(clean_text(text), campaign_year, False)
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


def number_to_datetime(value: float, date1904: bool, want_time: bool) -> dt.datetime | dt.date | None:
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
BOOL_WORDS = {**{w: False for w in _FALSE_WORDS}, **{w: True for w in _TRUE_WORDS}}


def is_number(v: Any) -> bool:
    """A number, not a bool (which Python counts as one)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)
