"""How the brief writes numbers, shares and dates, in markdown and HTML alike."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..i18n import t

if TYPE_CHECKING:
    from .model import Brief, Task, WeekKpi

# the status lines of a pace (model.ON_TRACK, model.AT_RISK): a share on one side never reads as the other
_BOUNDARIES = (100.0, 90.0)


def value(v: float | None, kind: str, currency: str = "¥") -> str:
    """A KPI or money figure as a person reads it: 7,287 · ¥563,600 · ¥5.43 · 7.5% · 1.88.

    Money is in whole units from 100 up (and when whole), with cents below: a CPM of 5.43 is ¥5.43."""
    if v is None:
        return "—"
    if kind == "percent":
        return f"{v * 100:.1f}%"
    if kind == "money":
        digits = 0 if abs(v) >= 100 or float(v).is_integer() else 2
        return f"{'-' if v < 0 else ''}{currency}{abs(v):,.{digits}f}"
    if kind == "integer" or float(v).is_integer() or abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}"


def share(v: float | None) -> str:
    """A share of something: 72.9% · 50% · 109%. A share never reads as a status line it has not
    reached or passed: under 100% never reads 100% (0.9996 reads 99.9%, not 100% beside an 'at risk'),
    under 90% never 90% (0.8999 reads 89.9%), and just over 100% not 100% (1.0004 reads 100.1%)."""
    if v is None:
        return "—"
    pct = v * 100
    if abs(v) >= 1:
        if pct > 100 and f"{pct:.0f}" == "100":   # just over: the share of a cap just passed
            return f"{max(round(pct, 1), 100.1):.1f}%"
        return f"{pct:.0f}%"
    text = f"{pct:.1f}"
    for line in _BOUNDARIES:
        if 0 < pct < line and float(text) >= line:
            text = f"{line - 0.1:.1f}"
    if text == "-100.0":
        text = "-99.9"
    if float(text) == 0:   # never '-0%'
        text = "0"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def change(v: float | None, kind: str, currency: str = "¥", lang: str = "en") -> str:
    """A signed difference: +55 · −4,300 · −¥0.43 · +0.5 pt (+0.5 个百分点 in zh-CN) for percents;
    ±0 for one that rounds to nothing (never −0.0 pt)."""
    if v is None:
        return "—"
    if kind == "percent":
        text = f"{abs(v) * 100:.1f}" + (" 个百分点" if lang == "zh-CN" else " pt")
    else:
        text = value(abs(v), kind, currency)
    if not any(ch in "123456789" for ch in text.replace(currency, "")):
        return "±0"
    return ("+" if v > 0 else "−") + text


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


def day_text(b: Brief) -> str:
    """Where the brief's date stands in the campaign: day N of M, or before / after it."""
    c, lang = b.campaign, b.lang
    if c.day is None or not c.days:
        return t("brief.day_unknown", lang, phase=c.phase_label)
    if c.day < 1:
        days = 1 - c.day
        return t("brief.starts_tomorrow" if days == 1 else "brief.starts_in", lang, days=days, phase=c.phase_label)
    if c.day > c.days:
        days = c.day - c.days
        return t("brief.ended_yesterday" if days == 1 else "brief.ended_ago", lang, days=days, phase=c.phase_label)
    return t("brief.day_of", lang, day=c.day, days=c.days, phase=c.phase_label)


def as_of_text(b: Brief) -> str:
    """The data's date, and how far it lags the brief's date: 'figures to 20 Jun (1 day behind)'."""
    c, lang = b.campaign, b.lang
    if c.as_of is None:
        return t("brief.no_figures", lang)
    if c.lag_days:
        return t("brief.as_of_lag", lang, date=date(c.as_of, lang), days=c.lag_days)
    return t("brief.as_of", lang, date=date(c.as_of, lang))


def week_change(w: WeekKpi, currency: str = "¥", lang: str = "en") -> str:
    """A week against the last: in points for percents, relative for the rest; with the days each
    had figures on when they differ from 7."""
    text = change(w.change, "percent", currency, lang) if w.kpi.type == "percent" else signed_share(w.change_share)
    if (w.days, w.previous_days) != (7, 7) and w.this is not None and w.previous is not None:
        text += ("；" if lang == "zh-CN" else "; ") + t("brief.week_days", lang, days=w.days, previous=w.previous_days)
        if w.kpi.aggregate == "sum":   # totals over different numbers of days: their daily averages compared
            text += t("brief.per_day", lang)
    return text


def tasks_once(*lists: list[Task]) -> tuple[list[Task], ...]:
    """The task lists with each task in the first it is in (unfinished at close, overdue, blocked, due today)."""
    seen: set = set()

    def once(tasks: list[Task]) -> list[Task]:
        out = []
        for x in tasks:
            key = (x.sheet, x.row) if x.row is not None else (x.id, x.name, x.owner, x.end)
            if key not in seen:
                seen.add(key)
                out.append(x)
        return out

    return tuple(once(x) for x in lists)


def of_cap(part: float | None, cap: float | None) -> str:
    """A figure of a lower-is-better goal as a share of its cap (the target): 'used' for the figure to
    date, 'over' for the projection. Not its pace, which is the inverse (cap ÷ figure, so ≥ 100% is
    good): ¥318,900 against a ¥300,000 cap is 106% of it, not '94.1% of target'."""
    return share(part / cap) if part is not None and cap else "—"


__all__ = ["value", "share", "change", "signed_share", "date", "day_text", "tasks_once", "of_cap"]
