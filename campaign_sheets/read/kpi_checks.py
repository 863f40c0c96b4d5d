"""The checks of the KPI tracker as a whole: ratio KPIs against their two parts, days without any
KPI figure, targets no share of which means anything. Each returns its issues (see `checks`)."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterator

from ..asof import data_as_of, judged_on
from ..i18n import t
from ..report import Issue, col_letters, make_issue, shown
from ..series import figure_days
from ..spec import model as m
from .locate import Located

if TYPE_CHECKING:
    from .checks import Context


def kpi_ratio(ctx: Context, loc: Located, col: m.Column, label: str) -> Iterator[Issue]:
    """A ratio KPI (conversion = registrations / participants) typed on a row whose two KPIs say
    otherwise, or a row with only one of the two: the dashboard and the brief add up the two
    columns, so the row would read differently there than in this cell."""
    kpi = loc.resolved.kpis.get(col.key)
    if kpi is None or kpi.aggregate != m.Aggregate.ratio or not kpi.of or col.key not in loc.columns:
        return
    num, den = kpi.of
    if num not in loc.columns or den not in loc.columns:
        return
    labels = ctx.index.column_labels[(loc.resolved.table.key, ctx.lang)]
    for r in ctx.tables[loc.resolved.table.key]:
        a, b, v = r.typed.get(num), r.typed.get(den), r.typed.get(col.key)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            if isinstance(v, (int, float)) and b:
                computed = a / b
                if abs(v - computed) > max(0.0006, 0.01 * abs(computed)):   # rounding to 0.1% is fine
                    yield ctx.issue("kpi-ratio-mismatch", loc, r, loc.columns[col.key], column=label,
                                    value=shown(v, "percent"),
                                    expected=f"{labels[num]} ÷ {labels[den]} = {shown(computed, 'percent')}")
        elif (a is None) != (b is None) and (a is not None or b is not None):
            blank, filled = (num, den) if a is None else (den, num)
            if (loc.sheet, f"{col_letters(loc.columns[blank])}{r.excel_row}") in ctx._at:
                continue   # one mistake, one message: the cell's own issue (e.g. unreadable) says it
            yield ctx.issue("kpi-ratio-incomplete", loc, r, loc.columns[blank], column=labels[blank],
                            value=labels[filled], expected=label)


def kpi_days(ctx: Context) -> Iterator[Issue]:
    """Days inside the campaign, up to the data's date, on which no KPI has a figure: unknown, not
    zero (the brief leaves them out of its rates). KPIs declared `blank: zero` do not ask for one."""
    role = ctx.index.roles.get("kpis")
    loc = ctx.located.get(role.table) if role is not None else None
    lo, hi = (ctx.form.get(ctx.index.campaign_field(k) or "") for k in ("start", "end"))
    if loc is None or role.date not in loc.columns or not isinstance(lo, dt.date) or not isinstance(hi, dt.date):
        return
    if all(k.blank == m.Blank.zero for k in ctx.index.spec.kpis if k.key in loc.columns):
        return   # every KPI says a day without a figure is 0: no day is missing
    rows = ctx.tables[role.table]
    entered = figure_days(ctx.index.spec, role.date, (r.typed for r in rows))
    as_of = data_as_of(entered, judged_on(ctx.today or dt.date.today(), hi))
    if as_of is None:
        return
    last = min(as_of, _day(hi))
    missing = [d for n in range((last - _day(lo)).days + 1) if (d := _day(lo) + dt.timedelta(days=n)) not in entered]
    if not missing:
        return
    # at the date cell of the first row after the first gap: where the day's row belongs
    after = [r for r in rows if isinstance(r.typed.get(role.date), dt.date) and _day(r.typed[role.date]) > missing[0]]
    at = min(after, key=lambda r: r.typed[role.date]) if after else (rows[0] if rows else None)
    labels = ctx.index.column_labels[(role.table, ctx.lang)]
    spans = day_spans(missing, ctx.lang)
    yield make_issue("kpi-days-missing", ctx.lang, file=ctx.file, sheet=loc.sheet,
                     row=at.excel_row if at is not None else loc.header_row + 2, col=loc.columns[role.date],
                     column=labels.get(role.date), value=spans, expected=as_of.isoformat(),
                     message=t("issue.kpi-days-missing", ctx.lang, count=len(missing), value=spans,
                               expected=as_of.isoformat()))


def day_spans(days: list[dt.date], lang: str = "en") -> str:
    """2026-06-10 – 2026-06-12, 2026-06-19: runs of consecutive days as spans."""
    spans: list[list[dt.date]] = []
    for d in sorted(days):
        if spans and (d - spans[-1][-1]).days == 1:
            spans[-1].append(d)
        else:
            spans.append([d])
    return ("、" if lang == "zh-CN" else ", ").join(s[0].isoformat() if len(s) == 1 else f"{s[0].isoformat()} – {s[-1].isoformat()}" for s in spans)


def kpi_targets(ctx: Context) -> Iterator[Issue]:
    """A KPI target of zero or less: no share of it means anything (the brief leaves the goal out)."""
    role = ctx.index.roles.get("kpis")
    loc = ctx.located.get(role.definitions) if role is not None and role.definitions else None
    if loc is None or "target" not in loc.columns:
        return
    labels = ctx.index.column_labels[(role.definitions, ctx.lang)]
    for r in ctx.tables[role.definitions]:
        v = r.typed.get("target")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v <= 0:
            yield ctx.issue("kpi-target-invalid", loc, r, loc.columns["target"], column=labels.get("target"),
                            value=shown(v, "number"), expected=str(r.typed.get("kpi") or ""))


def _day(v: dt.date) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


__all__ = ["kpi_ratio", "kpi_days", "kpi_targets", "day_spans"]
