"""How the brief writes numbers, shares and dates, in markdown and HTML alike."""
from __future__ import annotations

import datetime as dt


def value(v: float | None, kind: str, currency: str = "¥") -> str:
    """A KPI or money figure as a person reads it: 7,287 · ¥563,600 · 7.5% · 1.88."""
    if v is None:
        return "—"
    if kind == "percent":
        return f"{v * 100:.1f}%"
    if kind == "money":
        return f"{'-' if v < 0 else ''}{currency}{abs(v):,.0f}"
    if kind == "integer" or float(v).is_integer() or abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}"


def share(v: float | None) -> str:
    """A share of something: 72.9% · 50% · 109%. A share under 100% never reads 100% (a pace of
    0.9996 reads 99.9%, not 100% beside an 'at risk')."""
    if v is None:
        return "—"
    if abs(v) >= 1:
        return f"{v * 100:.0f}%"
    text = f"{v * 100:.1f}"
    if text in ("100.0", "-100.0"):
        text = "99.9" if v > 0 else "-99.9"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def change(v: float | None, kind: str, currency: str = "¥") -> str:
    """A signed difference: +55 · −4,300 · +0.5 pt for percents."""
    if v is None:
        return "—"
    sign = "+" if v > 0 else "−" if v < 0 else "±"
    if kind == "percent":
        return f"{sign}{abs(v) * 100:.1f} pt"
    return sign + value(abs(v), kind, currency)


def signed_share(v: float | None) -> str:
    if v is None:
        return "—"
    return ("+" if v > 0 else "−" if v < 0 else "±") + f"{abs(v) * 100:.1f}%"


def date(d: dt.date | str | None, lang: str) -> str:
    if d is None:
        return "—"
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.month}月{d.day}日" if lang == "zh-CN" else d.strftime("%d %b").lstrip("0")


__all__ = ["value", "share", "change", "signed_share", "date"]
