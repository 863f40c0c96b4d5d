"""One imported workbook at one date → the Brief (data). No text here but labels from the catalogue.

Figures come from the importer's typed rows and the spec's roles; KPI totals from `KpiSeries`,
the same formulas the dashboard writes. Nothing is read from the workbook's cached dashboard.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..codes import CODES
from ..i18n import t
from ..read.result import ImportResult
from ..series import KpiSeries
from ..spec import model as m
from ..spec.kpis import adds_up
from . import model as b

DAY = dt.timedelta(days=1)


def make_brief(result: ImportResult, date: dt.date | None = None, period: str = "day", lang: str | None = None) -> b.Brief:
    """The brief of an imported workbook at `date` (default: the last day with KPI data).

    Import the workbook with `today=date` so that the rules marking overdue tasks judge that day."""
    index = result.index
    if index is None:
        raise ValueError("make_brief needs a workbook whose template was recognised")
    lang = lang or result.meta.get("locale") or index.spec.locales[0]
    series = KpiSeries(index, result.columns, result.records)
    date = date or default_date(result, series)
    return _Builder(result, series, date, period, lang).brief()


def default_date(result: ImportResult, series: KpiSeries | None = None) -> dt.date:
    """The last day with KPI data; else the campaign's end if it is past, else today."""
    series = series or KpiSeries(result.index, result.columns, result.records)
    if series.dates:
        return series.dates[-1]
    end, today = result.campaign.get("end"), dt.date.today()
    return end if isinstance(end, dt.date) and end < today else today


def status_of(pace: float | None) -> str:
    if pace is None:
        return ""
    return "on_track" if pace >= b.ON_TRACK - 1e-12 else "at_risk" if pace >= b.AT_RISK - 1e-12 else "off_track"


class _Builder:
    def __init__(self, result: ImportResult, series: KpiSeries, date: dt.date, period: str, lang: str) -> None:
        self.result, self.series, self.date, self.period, self.lang = result, series, date, period, lang
        self.index, self.spec, self.roles = result.index, result.index.spec, result.index.roles
        self.sheets: dict[str, str] = result.meta.get("sheets", {})
        self.hits: dict[str, set[tuple[str | None, int | None]]] = {}
        for i in result.report.issues:
            self.hits.setdefault(i.code, set()).add((i.sheet, i.row))
        facts = result.campaign
        self.start = facts.get("start") if isinstance(facts.get("start"), dt.date) else None
        self.end = facts.get("end") if isinstance(facts.get("end"), dt.date) else None
        self.days = (self.end - self.start).days + 1 if self.start and self.end and self.end >= self.start else None
        self.day = (date - self.start).days + 1 if self.start else None
        # days gone at the end of the brief's date, clamped to the campaign
        self.gone = min(max(self.day, 0), self.days) if self.day is not None and self.days else None
        self.time_share = self.gone / self.days if self.gone is not None and self.days else None
        self.kpis = {k.key: self._kpi(k) for k in series.kpis}

    # -- the sections ------------------------------------------------------------------
    def brief(self) -> b.Brief:
        return b.Brief(
            schema=b.SCHEMA, file=self.result.path, lang=self.lang, date=self.date, period=self.period,
            campaign=self.campaign(), data_issues=self.data_issues(), goals=self.goals(), today=self.today(),
            week=self.week() if self.period == "week" else None, execution=self.execution(), budget=self.budget(),
            risks=self.risks(), midterm=self.midterm(), series=self.chart_series(), currency=self.spec.currency)

    def campaign(self) -> b.Campaign:
        f = self.result.campaign
        if self.start is None or self.end is None:
            phase = "unknown"
        else:
            phase = "preparation" if self.date < self.start else "execution" if self.date <= self.end else "review"
        return b.Campaign(id=f.get("campaign_id"), name=f.get("name"), code=f.get("code"), lead=f.get("lead"),
                          scenario=f.get("scenario"), scenario_label=f.get("scenario_label"), start=self.start,
                          end=self.end, day=self.day, days=self.days, time_share=self.time_share, phase=phase,
                          phase_label=t(f"brief.phase.{phase}", self.lang))

    def data_issues(self) -> b.DataIssues:
        # the package's own checks only: the spec's rules (overdue, overrun, high risk, KPI alerts)
        # are the campaign's status, which the brief's own sections report
        own = [i for i in self.result.report.issues if i.code in CODES and i.severity in ("error", "warning")]
        first = next((i for i in own if i.severity == "error"), own[0] if own else None)
        return b.DataIssues(errors=sum(1 for i in own if i.severity == "error"),
                            warnings=sum(1 for i in own if i.severity == "warning"),
                            first={"sheet": first.sheet, "cell": first.cell, "message": first.message} if first else None)

    def goals(self) -> list[b.Goal]:
        out = []
        for key, kpi in self.kpis.items():
            target = self.series.thresholds[key].target
            if target is None or target == 0:
                continue
            to_date = self.series.total(key, end=self.date)
            run_rate = projection = needed = None
            spec_kpi = self.spec.kpi(key)
            higher = kpi.direction == "higher"
            if adds_up(spec_kpi) and to_date is not None and self.gone and self.days:
                run_rate = to_date / self.gone
                projection = run_rate * self.days
                left = self.days - self.gone
                needed = max(target - to_date, 0.0) / left if higher and left > 0 else None
                measure = projection
            else:
                measure = to_date if not adds_up(spec_kpi) else None
            pace = _pace(measure, target, higher)
            # a lower-is-better KPI at 0 is at its best (no pace: nothing to divide by)
            status = "on_track" if not higher and measure == 0 else status_of(pace)
            out.append(b.Goal(kpi=kpi, to_date=to_date, target=target,
                              reached_share=to_date / target if to_date is not None else None,
                              time_share=self.time_share, run_rate=run_rate, projection=projection,
                              needed_per_day=needed, pace=pace, status=status,
                              status_label=t(f"brief.status.{status or 'none'}", self.lang)))
        return out

    def today(self) -> list[b.KpiDay]:
        out = []
        for key, kpi in self.kpis.items():
            value = self.series.day(key, self.date)
            previous = self.series.day(key, self.date - DAY)
            th = self.series.thresholds[key]
            status = self.series.status(key, value)
            streak, day = 0, self.date
            while self.series.status(key, self.series.day(key, day)) == "alert":
                streak, day = streak + 1, day - DAY
            out.append(b.KpiDay(kpi=kpi, value=value, previous=previous,
                                change=value - previous if value is not None and previous is not None else None,
                                avg7=self._avg7(key), status=status,
                                threshold=th.alert if status == "alert" else th.warning if status == "warning" else None,
                                alert=th.alert, warning=th.warning, target=th.target, streak=streak, escalate=streak >= 2))
        return out

    def _avg7(self, key: str) -> float | None:
        start = self.date - 6 * DAY
        if not adds_up(self.spec.kpi(key)):
            return self.series.total(key, start, self.date)
        days = [d for d in self.series.dates if start <= d <= self.date and self.series.day(key, d) is not None]
        total = self.series.total(key, start, self.date)
        return total / len(days) if days and total is not None else None

    def week(self) -> b.Week:
        start, p_end = self.date - 6 * DAY, self.date - 7 * DAY
        p_start = p_end - 6 * DAY
        kpis = []
        for key, kpi in self.kpis.items():
            this, prev = self.series.total(key, start, self.date), self.series.total(key, p_start, p_end)
            kpis.append(b.WeekKpi(kpi=kpi, this=this, previous=prev,
                                  change_share=this / prev - 1 if this is not None and prev else None))
        return b.Week(start=start, end=self.date, previous_start=p_start, previous_end=p_end, kpis=kpis)

    def execution(self) -> b.Execution:
        out = b.Execution()
        role: m.TasksRole | None = self.roles.get("tasks")
        if role is not None:
            closed = {role.done, *role.closed}
            for rec in self.result.records.get(role.table, []):
                task = self._task(role, rec)
                if rec.get(role.status) in closed:
                    continue
                if self._hit(role.overdue, role.table, rec.get("row")):
                    out.overdue.append(task)
                elif task.end == self.date:
                    out.due_today.append(task)
                if role.blocked is not None and rec.get(role.status) == role.blocked:
                    out.blocked.append(task)
            out.overdue.sort(key=lambda x: -x.days_late)
        log: m.LogRole | None = self.roles.get("log")
        if log is not None:
            first = self.date - 6 * DAY if self.period == "week" else self.date
            for rec in self.result.records.get(log.table, []):
                day = rec.get(log.date)
                if not isinstance(day, dt.date) or not first <= day <= self.date:
                    continue
                for column, bucket in ((log.blocker, out.blockers), (log.next_step, out.next_steps)):
                    text = rec.get(column) if column else None
                    if text not in (None, ""):
                        bucket.append(b.LogEntry(date=day, task=_text(rec.get(log.task)) if log.task else None,
                                                 owner=_text(rec.get(log.owner)) if log.owner else None, text=str(text)))
        return out

    def _task(self, role: m.TasksRole, rec: dict[str, Any]) -> b.Task:
        end = rec.get(role.end) if isinstance(rec.get(role.end), dt.date) else None
        late = (self.date - end).days if end is not None and end < self.date else 0
        status = rec.get(role.status)
        return b.Task(id=_text(rec.get(role.id)) if role.id else None, name=_text(rec.get(role.name)) if role.name else None,
                      owner=_text(rec.get(role.owner)) if role.owner else None, end=end, status=status,
                      status_label=self._label(role.table, role.status, status), days_late=late,
                      sheet=self.sheets.get(role.table), row=rec.get("row"))

    def budget(self) -> b.Budget | None:
        role: m.BudgetRole | None = self.roles.get("budget")
        if role is None:
            return None
        rows = self.result.records.get(role.table, [])
        planned = sum(_num(r.get(role.planned)) for r in rows)
        spent = sum(_num(r.get(role.actual)) for r in rows)
        committed = sum(_num(r.get(role.committed)) for r in rows) if role.committed else None
        spent_share = spent / planned if planned else None
        overruns = []
        for r in rows:
            p, a = _num(r.get(role.planned)), _num(r.get(role.actual))
            if a > p:
                cat = r.get(role.category)
                overruns.append(b.Overrun(category=cat, category_label=self._label(role.table, role.category, cat),
                                          item=_text(r.get(role.item)) if role.item else None, planned=p, actual=a,
                                          over=a - p, sheet=self.sheets.get(role.table), row=r.get("row")))
        overruns.sort(key=lambda o: -o.over)
        return b.Budget(planned=planned, committed=committed, spent=spent, spent_share=spent_share,
                        committed_share=committed / planned if committed is not None and planned else None,
                        time_share=self.time_share,
                        burn_ratio=spent_share / self.time_share if spent_share is not None and self.time_share else None,
                        overruns=overruns)

    def risks(self) -> list[b.Risk]:
        role: m.RisksRole | None = self.roles.get("risks")
        if role is None:
            return []
        out = []
        for rec in self.result.records.get(role.table, []):
            status = rec.get(role.status)
            if status == role.closed or not self._hit(role.high, role.table, rec.get("row")):
                continue
            out.append(b.Risk(id=_text(rec.get(role.id)) if role.id else None,
                              description=_text(rec.get(role.description)) if role.description else None,
                              owner=_text(rec.get(role.owner)) if role.owner else None,
                              score=_opt(rec.get(role.score)) if role.score else None,
                              response_hours=_opt(rec.get(role.response)) if role.response else None,
                              status=status, status_label=self._label(role.table, role.status, status)))
        out.sort(key=lambda r: -(r.score or 0))
        return out

    def midterm(self) -> b.Midterm | None:
        role: m.ReviewRole | None = self.roles.get("review")
        at = role.at if role is not None else 0.5
        if self.start is None or not self.days:
            return None
        point = self.start + (math.ceil(self.days * at) - 1) * DAY
        if self.date < point:
            return None
        goals = []
        for goal in self.goals():
            spec_kpi = self.spec.kpi(goal.kpi.key)
            pro_rata = goal.target * (self.time_share or 0) if adds_up(spec_kpi) else goal.target
            share = _pace(goal.to_date, pro_rata, goal.kpi.direction == "higher")
            status = status_of(share)
            goals.append(b.MidtermGoal(kpi=goal.kpi, to_date=goal.to_date, pro_rata_target=pro_rata, share=share,
                                       status=status, status_label=t(f"brief.status.{status or 'none'}", self.lang)))
        review, columns = [], []
        if role is not None:
            resolved = self.index.tables[role.table]
            columns = [{"key": c.key, "label": m.text_for(c.label, self.lang),
                        "type": (c.result or c.type).value} for c in resolved.columns if not c.hidden]
            for rec in self.result.records.get(role.table, []):
                day = rec.get(role.date)
                if isinstance(day, dt.date) and day <= self.date:
                    review.append({c["key"]: rec.get(c["key"]) for c in columns})
        return b.Midterm(point=point, goals=goals, review=review, review_columns=columns)

    def chart_series(self) -> b.Series:
        dates = [d for d in self.series.dates if d <= self.date]
        values = {k: [self.series.day(k, d) for d in dates] for k in self.kpis}
        cumulative: dict[str, list[float | None]] = {}
        for k in self.kpis:
            if adds_up(self.spec.kpi(k)):
                running, acc = [], 0.0
                for v in values[k]:
                    acc += v or 0.0
                    running.append(acc)
                cumulative[k] = running
        return b.Series(dates=dates, values=values, cumulative=cumulative)

    # -- helpers -------------------------------------------------------------------------
    def _kpi(self, kpi: m.Kpi) -> b.Kpi:
        ctype = kpi.type.value if kpi.type in m.NUMERIC_TYPES else "number"
        return b.Kpi(key=kpi.key, label=m.text_for(kpi.label, self.lang), unit=m.text_for(kpi.unit, self.lang),
                     type=ctype, direction=kpi.direction.value, aggregate=self.series.aggregate(kpi.key).value)

    def _hit(self, code: str | None, table: str, row: Any) -> bool:
        return bool(code) and (self.sheets.get(table), row) in self.hits.get(code, set())

    def _label(self, table: str, column: str, key: Any) -> str | None:
        if key is None:
            return None
        col = self.index.tables[table].by_key.get(column)
        if col is None or not col.choices:
            return str(key)
        try:
            return self.index.list_label(col.choices, key, self.lang)
        except KeyError:
            return str(key)


def _pace(value: float | None, target: float | None, higher: bool) -> float | None:
    if value is None or not target:
        return None
    if higher:
        return value / target
    return target / value if value else None


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def _opt(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _text(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


__all__ = ["make_brief", "default_date", "status_of"]
