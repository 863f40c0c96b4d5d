"""One imported workbook at one date → the Brief (data). No text here but labels from the catalogue.

Figures come from the importer's typed rows and the spec's roles; KPI totals from `KpiSeries`,
the same formulas the dashboard writes. Nothing is read from the workbook's cached dashboard.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..asof import judged_on, lateness
from ..codes import CODES
from ..errors import CampaignSheetsError
from ..i18n import t
from ..read.result import ImportResult
from ..series import KpiSeries
from ..spec import model as m
from ..spec.kpis import adds_up
from . import model as b

DAY = dt.timedelta(days=1)
# the share of the campaign's days gone before spending is compared with time (README, "The daily brief")
BURN_FROM = 0.25


def make_brief(result: ImportResult, date: dt.date | None = None, period: str = "day", lang: str | None = None) -> b.Brief:
    """The brief of an imported workbook at `date` (default: the last day with KPI data).

    Import the workbook with `today=date` so that the rules marking overdue tasks judge that day."""
    index = result.index
    if index is None:
        raise ValueError("make_brief needs a workbook whose template was recognised")
    lang = lang or result.meta.get("locale") or index.spec.locales[0]
    if is_empty(result):
        raise CampaignSheetsError.of("brief.empty", path=result.path)
    series = KpiSeries(index, result.columns, result.records)
    date = date or default_date(result, series)
    return _Builder(result, series, date, period, lang).brief()


def default_date(result: ImportResult, series: KpiSeries | None = None) -> dt.date:
    """The last day with KPI data (up to the campaign's end: a later row is out of it); else the
    campaign's end if it is past, else today."""
    series = series or KpiSeries(result.index, result.columns, result.records)
    end, today = _date(result.campaign.get("end")), dt.date.today()
    last = series.as_of(end)
    if last is not None:
        return last
    return end if end is not None and end < today else today


def is_empty(result: ImportResult) -> bool:
    """Nothing typed in: no campaign facts and no table row (a blank template)."""
    facts = result.campaign
    if any(facts.get(k) not in (None, "") for k in ("code", "name", "start", "end", "lead")):
        return False
    prefilled = {k for k, tb in result.index.tables.items() if tb.table.prefill}
    return not any(rows for k, rows in result.records.items() if k not in prefilled)


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
        self.start = _date(facts.get("start"))
        self.end = _date(facts.get("end"))
        self.days = (self.end - self.start).days + 1 if self.start and self.end and self.end >= self.start else None
        self.day = (date - self.start).days + 1 if self.start else None
        # days gone at the end of the brief's date, clamped to the campaign
        self.gone = min(max(self.day, 0), self.days) if self.day is not None and self.days else None
        self.time_share = self.gone / self.days if self.gone is not None and self.days else None
        # the data's date: pace, rates and the day's figures are as of it, never of a day not yet typed
        # (never past the campaign's end: a row dated after it is out of the campaign, or a typo)
        self.as_of = series.as_of(judged_on(date, self.end))
        self.data_day = (self.as_of - self.start).days + 1 if self.as_of and self.start else None
        self.data_gone = min(max(self.data_day, 0), self.days) if self.data_day is not None and self.days else None
        self.data_share = self.data_gone / self.days if self.data_gone is not None and self.days else None
        self.judged = judged_on(date, self.end)
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
                          phase_label=t(f"brief.phase.{phase}", self.lang), as_of=self.as_of,
                          lag_days=(self.date - self.as_of).days if self.as_of else None, data_day=self.data_day,
                          data_time_share=self.data_share, judged_on=self.judged)

    def data_issues(self) -> b.DataIssues:
        # the package's own checks only: the spec's rules (overdue, overrun, high risk, KPI alerts)
        # are the campaign's status, which the brief's own sections report
        own = [i for i in self.result.report.issues if i.code in CODES and i.severity in ("error", "warning")]
        first = next((i for i in own if i.severity == "error"), own[0] if own else None)
        # what the figures leave out: days without KPI figures, KPI cells that could not be read, bad targets
        role = self.roles.get("kpis")
        kpi_sheets = {self.sheets.get(role.table), self.sheets.get(role.definitions)} if role else set()
        budget = self.roles.get("budget")
        kpi_sheets = (kpi_sheets | ({self.sheets.get(budget.table)} if budget else set())) - {None}
        gaps = [{"code": i.code, "sheet": i.sheet, "cell": i.cell, "message": i.message} for i in own
                if i.code in ("kpi-days-missing", "kpi-target-invalid", "kpi-ratio-incomplete")
                or (i.sheet in kpi_sheets and i.code in ("type-error", "stored-as-text", "formula-error"))]
        if self.start is None or self.end is None:
            gaps.insert(0, {"code": "dates-missing", "sheet": None, "cell": None,
                            "message": t("brief.no_dates", self.lang)})
        return b.DataIssues(errors=sum(1 for i in own if i.severity == "error"),
                            warnings=sum(1 for i in own if i.severity == "warning"),
                            first={"sheet": first.sheet, "cell": first.cell, "message": first.message} if first else None,
                            gaps=gaps)

    def goals(self) -> list[b.Goal]:
        out = []
        over = self.end is not None and self.date > self.end   # the campaign has ended: a result, no projection
        for key, kpi in self.kpis.items():
            target = self.series.thresholds[key].target
            if target is None or target <= 0:
                continue   # no target, or one no share of means anything (kpi-target-invalid says so)
            spec_kpi = self.spec.kpi(key)
            higher = kpi.direction == "higher"
            to_date = self.series.total(key, end=self.as_of) if self.as_of else None
            run_rate = projection = needed = None
            n = missing = 0
            final, complete = over, True
            if adds_up(spec_kpi) and to_date is not None and self.data_gone and self.days:
                n = len(self.series.days(key, self.start, self.as_of))
                # figures dated before the start count once in the total, not in the daily rate
                inside = self.series.total(key, self.start, self.as_of) or 0.0
                early = to_date - inside
                run_rate = inside / n if n else None
                left = self.days - self.data_gone
                final = final or left <= 0
                # every day of the campaign without a figure, up to its end once it is over
                missing = max((self.days if final else self.data_gone) - n, 0)
                complete = missing == 0
                if final:
                    measure = to_date
                else:
                    # days without a figure are unknown, not zero: the days with figures set the rate
                    projection = early + run_rate * self.days if run_rate is not None else None
                    if higher and run_rate is not None:
                        needed = max(target - early - run_rate * self.data_gone, 0.0) / left
                    measure = projection
            else:
                measure = to_date if not adds_up(spec_kpi) else None
                final = final or bool(self.end and self.as_of and self.as_of >= self.end)
            pace = _pace(measure, target, higher)
            undated = to_date is not None and adds_up(spec_kpi) and not self.days   # figures, but no pace without dates
            if final and measure is not None and not complete:
                status = "incomplete"   # a total with days unknown: neither reached nor missed
            elif final and measure is not None:
                status = "achieved" if (measure >= target if higher else measure <= target) else "missed"
            elif final:
                status = ""
            else:
                # a lower-is-better KPI at 0 is at its best (no pace: nothing to divide by)
                status = "on_track" if not higher and measure == 0 else status_of(pace)
            out.append(b.Goal(kpi=kpi, to_date=to_date, target=target,
                              reached_share=to_date / target if to_date is not None else None,
                              time_share=self.data_share, run_rate=run_rate, projection=projection,
                              needed_per_day=needed, pace=pace, status=status,
                              status_label=t(f"brief.status.{status or ('no_dates' if undated else 'none')}", self.lang),
                              days=n or None, days_missing=missing, final=final))
        return out

    def today(self) -> list[b.KpiDay]:
        """Each KPI on the data's date (the latest day typed in), against the day before it and its 7 days."""
        out = []
        day0 = self.as_of
        for key, kpi in self.kpis.items():
            value = self.series.day(key, day0) if day0 else None
            previous = self.series.day(key, day0 - DAY) if day0 else None
            th = self.series.thresholds[key]
            status = self.series.status(key, value)
            streak, day = 0, day0
            while day is not None and self.series.status(key, self.series.day(key, day)) == "alert":
                streak, day = streak + 1, day - DAY
            avg7, days7 = self._avg7(key, day0) if day0 else (None, 0)
            out.append(b.KpiDay(kpi=kpi, value=value, previous=previous,
                                change=value - previous if value is not None and previous is not None else None,
                                avg7=avg7, status=status,
                                threshold=th.alert if status == "alert" else th.warning if status == "warning" else None,
                                alert=th.alert, warning=th.warning, target=th.target, streak=streak, escalate=streak >= 2,
                                date=day0, days7=days7))
        return out

    def _avg7(self, key: str, end: dt.date) -> tuple[float | None, int]:
        """The 7 days to `end`: the mean over the days with a figure for KPIs that add up, else their
        aggregate over those days; and how many days had one."""
        start = end - 6 * DAY
        days = self.series.days(key, start, end)
        total = self.series.total(key, start, end)
        if not adds_up(self.spec.kpi(key)):
            return total, len(days)
        return (total / len(days) if days and total is not None else None), len(days)

    def week(self) -> b.Week:
        end = self.as_of or self.date
        start, p_end = end - 6 * DAY, end - 7 * DAY
        p_start = p_end - 6 * DAY
        kpis = []
        for key, kpi in self.kpis.items():
            this, prev = self.series.total(key, start, end), self.series.total(key, p_start, p_end)
            n, pn = len(self.series.days(key, start, end)), len(self.series.days(key, p_start, p_end))
            change = share = None
            if this is not None and prev is not None:
                if kpi.type == "percent":
                    change = this - prev   # percents compare in points
                elif adds_up(self.spec.kpi(key)):
                    share = (this / n) / (prev / pn) - 1 if n and pn and prev else None   # per day: the days may differ
                elif prev:
                    share = this / prev - 1
            kpis.append(b.WeekKpi(kpi=kpi, this=this, previous=prev, change_share=share, change=change,
                                  days=n, previous_days=pn))
        return b.Week(start=start, end=end, previous_start=p_start, previous_end=p_end, kpis=kpis)

    def execution(self) -> b.Execution:
        out = b.Execution(closed=self.judged != self.date)
        role: m.TasksRole | None = self.roles.get("tasks")
        if role is not None:
            closed = {role.done, *role.closed}
            for rec in self.result.records.get(role.table, []):
                task = self._task(role, rec)
                if rec.get(role.status) in closed:
                    continue
                if self._hit(role.overdue, role.table, rec.get("row")):
                    # once the campaign is over, a task due by its end is unfinished at close (days late
                    # to the end date); one due after the end (the close-out report) is overdue
                    at_close, task.days_late = lateness(self.date, self.end, task.end)
                    (out.unfinished if at_close else out.overdue).append(task)
                elif task.end == self.date:
                    out.due_today.append(task)
                if role.blocked is not None and rec.get(role.status) == role.blocked:
                    out.blocked.append(task)
            out.overdue.sort(key=lambda x: -x.days_late)
            out.unfinished.sort(key=lambda x: -x.days_late)
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
        # spending against time only where it means something: time as of the data's date (else the
        # day judged), and not before a quarter of the campaign has gone (early invoices swamp it)
        # (once the campaign is over, all of its time has gone, whatever the KPI figures' date)
        over = self.end is not None and self.date > self.end
        share = 1.0 if over else self.data_share if self.as_of else self.time_share
        note = None
        if self.days is None:
            note = "no_dates"
        elif not share:
            note = "not_started"
        elif share < BURN_FROM:
            note = "too_early"
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
                        time_share=share,
                        burn_ratio=spent_share / share if spent_share is not None and share and note is None else None,
                        overruns=overruns, burn_note=note)

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
        """The mid-term review as the team wrote it: its rows and each adjustment, due and whether
        done (the goals section already says where each KPI stands)."""
        role: m.ReviewRole | None = self.roles.get("review")
        at = role.at if role is not None else 0.5
        if self.start is None or not self.days:
            return None
        point = self.start + (math.ceil(self.days * at) - 1) * DAY
        if self.date < point:
            return None
        review, columns, adjustments = [], [], []
        if role is not None:
            resolved = self.index.tables[role.table]
            # the adjustment's own columns are listed with it, not again in the review rows
            own = {role.adjustment, role.owner, role.due, role.status} - {None}
            columns = [{"key": c.key, "label": m.text_for(c.label, self.lang),
                        "type": (c.result or c.type).value} for c in resolved.columns if not c.hidden and c.key not in own]
            for rec in self.result.records.get(role.table, []):
                day = rec.get(role.date)
                if not isinstance(day, dt.date) or day > self.date:
                    continue
                review.append({c["key"]: rec.get(c["key"]) for c in columns})
                text = _text(rec.get(role.adjustment)) if role.adjustment else None
                if text is None:
                    continue
                due = _date(rec.get(role.due)) if role.due else None
                state = rec.get(role.status) if role.status else None
                late = (self.judged - due).days if due is not None and due < self.judged else 0
                if state == role.done:
                    status = "done"
                elif late:
                    status = "overdue"
                elif state is not None or role.status is not None:
                    status = "open"
                else:
                    status = "unknown"
                adjustments.append(b.Adjustment(
                    kpi=_text(rec.get(role.kpi)) if role.kpi else None, text=text,
                    owner=_text(rec.get(role.owner)) if role.owner else None, due=due, status=status,
                    status_label=t(f"brief.adjustment.{status}", self.lang), days_late=late if status == "overdue" else 0,
                    sheet=self.sheets.get(role.table), row=rec.get("row")))
        return b.Midterm(point=point, review=review, review_columns=columns, adjustments=adjustments)

    def chart_series(self) -> b.Series:
        dates = [d for d in self.series.dates if self.as_of and d <= self.as_of]
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


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


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


__all__ = ["make_brief", "default_date", "status_of", "is_empty", "BURN_FROM"]
