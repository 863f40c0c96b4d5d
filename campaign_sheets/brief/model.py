"""The daily brief as data: what the 17:00 sync needs, with stable keys (docs/brief.md).

Values are plain numbers, dates and keys; labels are in the brief's language. Renderers (markdown,
HTML) and the portal read only this.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "campaign-sheets/brief/2"
# pace = projection (or value) against target, direction-aware: at or above ON_TRACK on track,
# at or above AT_RISK at risk, below off track (README, "The daily brief")
ON_TRACK, AT_RISK = 1.0, 0.9


@dataclass
class Campaign:
    id: str | None
    name: str | None
    code: str | None
    lead: str | None
    scenario: str | None
    scenario_label: str | None
    start: dt.date | None
    end: dt.date | None
    day: int | None            # day N of `days` (1 = the start date; may be <1 or >days outside the campaign)
    days: int | None
    time_share: float | None   # share of the campaign's days gone at the end of the brief's date, 0..1
    phase: str                 # preparation | execution | review | unknown
    phase_label: str
    as_of: dt.date | None = None      # the data's date: the last day with a KPI figure, up to the brief's date
    lag_days: int | None = None       # days from the data's date to the brief's date (0: today's figures are in)
    data_day: int | None = None       # day N of `days` the data is as of
    data_time_share: float | None = None   # share of the campaign's days gone at the data's date (pace uses it)
    judged_on: dt.date | None = None  # the day tasks are judged: the brief's date, but not after the end


@dataclass
class DataIssues:
    """Problems in the file itself (not the campaign's status): the brief is still written from what could be read."""

    errors: int
    warnings: int
    first: dict[str, Any] | None   # {sheet, cell, message} of the first error (else warning)
    # what the figures leave out, each {code, sheet, cell, message}: days without KPI figures, KPI cells
    # that could not be read, targets that are not positive, campaign dates missing
    gaps: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Kpi:
    key: str
    label: str
    unit: str
    type: str          # integer | number | money | percent
    direction: str     # higher | lower
    aggregate: str     # sum | mean | last | ratio | formula


@dataclass
class Goal:
    """One KPI with a target: where it stands and whether the campaign will get there at this pace."""

    kpi: Kpi
    to_date: float | None
    target: float
    reached_share: float | None  # to_date / target
    time_share: float | None
    run_rate: float | None       # per day so far (KPIs that add up)
    projection: float | None     # at the end date at the current run rate (KPIs that add up)
    needed_per_day: float | None  # to reach the target in the days left (KPIs that add up, higher is better)
    pace: float | None           # projection (or value) / target; inverted for lower-is-better
    status: str                  # on_track | at_risk | off_track | achieved | missed (final) | '' (no data)
    status_label: str
    days: int | None = None      # days with a figure that the run rate is over
    days_missing: int = 0        # days from the start to the data's date without one (left out, not zero)
    final: bool = False          # the data reaches the end date: the result, no projection


@dataclass
class KpiDay:
    """A KPI on the brief's date against the previous day and the 7-day figure."""

    kpi: Kpi
    value: float | None
    previous: float | None
    change: float | None        # value - previous
    avg7: float | None          # the 7 days to date: mean daily total for KPIs that add up, else their aggregate
    status: str                 # alert | warning | ok | ''
    threshold: float | None     # the line breached (alert or watch line)
    alert: float | None
    warning: float | None
    target: float | None
    streak: int                 # days in alert running, up to the data's date (a day without a figure ends it)
    escalate: bool              # in alert two or more days running
    date: dt.date | None = None  # the day shown: the data's date
    days7: int = 0              # days of the 7 with a figure (the 7-day figure is over these)


@dataclass
class Task:
    id: str | None
    name: str | None
    owner: str | None
    end: dt.date | None
    status: str | None
    status_label: str | None
    days_late: int
    sheet: str | None
    row: int | None


@dataclass
class LogEntry:
    date: dt.date | None
    task: str | None
    owner: str | None
    text: str


@dataclass
class Execution:
    due_today: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    blocked: list[Task] = field(default_factory=list)
    blockers: list[LogEntry] = field(default_factory=list)
    next_steps: list[LogEntry] = field(default_factory=list)
    closed: bool = False        # the campaign had ended by the brief's date
    unfinished: list[Task] = field(default_factory=list)   # due by the end, open when it ended (days late to the end)


@dataclass
class Overrun:
    category: str | None
    category_label: str | None
    item: str | None
    planned: float
    actual: float
    over: float
    sheet: str | None
    row: int | None


@dataclass
class Budget:
    planned: float
    committed: float | None
    spent: float
    spent_share: float | None
    committed_share: float | None
    time_share: float | None
    burn_ratio: float | None     # spent_share / time_share: above 1 spends faster than time passes
    overruns: list[Overrun] = field(default_factory=list)
    burn_note: str | None = None  # why there is no burn ratio: too_early | not_started | no_dates


@dataclass
class Risk:
    id: str | None
    description: str | None
    owner: str | None
    score: float | None
    response_hours: float | None
    status: str | None
    status_label: str | None


@dataclass
class Adjustment:
    """One adjustment decided at the mid-term review: who, by when, and whether it is done."""

    kpi: str | None
    text: str | None
    owner: str | None
    due: dt.date | None
    status: str                  # done | overdue | open | unknown (no status column, or not filled)
    status_label: str
    days_late: int = 0           # overdue: days past its due date, on the day judged
    sheet: str | None = None
    row: int | None = None


@dataclass
class Midterm:
    point: dt.date
    review: list[dict[str, Any]]   # the team's mid-term review rows up to the brief's date, by column key
    review_columns: list[dict[str, str]] = field(default_factory=list)   # [{key, label, type}] in sheet order
    adjustments: list[Adjustment] = field(default_factory=list)


@dataclass
class WeekKpi:
    kpi: Kpi
    this: float | None
    previous: float | None
    change_share: float | None   # relative change; for KPIs that add up, of the daily averages (days may differ)
    change: float | None = None  # percent KPIs: this - previous, in points (change_share is then None)
    days: int = 0                # days of this week with a figure
    previous_days: int = 0


@dataclass
class Week:
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    kpis: list[WeekKpi]


@dataclass
class Series:
    """What the charts draw: each KPI's daily values and running totals up to the brief's date."""

    dates: list[dt.date]
    values: dict[str, list[float | None]]
    cumulative: dict[str, list[float | None]]   # running total (KPIs that add up only)


@dataclass
class Brief:
    schema: str
    file: str
    lang: str
    date: dt.date
    period: str                # day | week
    campaign: Campaign
    data_issues: DataIssues
    goals: list[Goal]
    today: list[KpiDay]
    week: Week | None
    execution: Execution
    budget: Budget | None
    risks: list[Risk]
    midterm: Midterm | None
    series: Series
    currency: str = "¥"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, floats as they are (NaN never occurs)."""
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


__all__ = ["SCHEMA", "ON_TRACK", "AT_RISK", "Brief", "Campaign", "DataIssues", "Kpi", "Goal", "KpiDay", "Task",
           "LogEntry", "Execution", "Overrun", "Budget", "Risk", "Adjustment", "Midterm", "WeekKpi", "Week", "Series"]
