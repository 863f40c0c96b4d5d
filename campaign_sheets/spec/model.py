"""The typed spec model: what a workbook_specs/*.yaml file may say.

Every model forbids unknown keys, so a typo is an error with its path, not a silent no-op.
Cross-references (choices → lists, references → tables, formulas → columns) are checked
in `check_references` after the shape is valid, so all problems come out in one pass.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

LOCALES = ("zh-CN", "en")
Locale = Literal["zh-CN", "en"]


class Strict(BaseModel):
    """Unknown keys are errors; a loaded spec is never changed (what derives from it is kept)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# A user-facing text: one string for every locale, or one per locale.
Text = Union[str, dict[Locale, str]]


def text_for(text: Text | None, lang: str) -> str:
    """The text in `lang` (falling back to the other locale, then '')."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or next(iter(text.values()), "")


def text_all(text: Text | None) -> list[str]:
    """Every locale's version of a text (for matching what people type)."""
    if text is None:
        return []
    if isinstance(text, str):
        return [text]
    return list(text.values())


class ColumnType(str, Enum):
    text = "text"
    integer = "integer"
    number = "number"
    money = "money"
    percent = "percent"
    date = "date"
    datetime = "datetime"
    bool = "bool"
    choice = "choice"
    person = "person"
    reference = "reference"
    formula = "formula"


NUMERIC_TYPES = {ColumnType.integer, ColumnType.number, ColumnType.money, ColumnType.percent}
DATE_TYPES = {ColumnType.date, ColumnType.datetime}


class ListItem(Strict):
    key: str
    label: Text | None = None


class Column(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    type: ColumnType = ColumnType.text
    required: bool = False
    unique: bool = False
    min: float | dt.date | None = None
    max: float | dt.date | None = None
    max_length: int | None = Field(default=None, ge=1, le=32767)
    choices: str | None = None
    ref: str | None = Field(default=None, description="table.column this value must exist in")
    formula: str | None = None
    result: ColumnType | None = Field(default=None, description="type of a formula's result (for formats)")
    width: float | None = Field(default=None, gt=0, le=255)
    help: Text | None = None
    repeat: str | None = Field(default=None, description="named list: one column per item")
    hidden: bool = False
    in_campaign: bool = Field(default=False, description="dates must fall inside the campaign window (warning)")
    aliases: list[str] = Field(default_factory=list)


class Style(str, Enum):
    bad = "bad"
    warn = "warn"
    good = "good"
    info = "info"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    alert = "alert"


class Rule(Strict):
    """A row condition: coloured in the workbook and reported by the importer."""

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    when: str
    style: Style = Style.bad
    severity: Severity = Severity.warning
    columns: list[str] | None = Field(default=None, description="columns coloured; default: whole row")
    message: Text
    report: bool = Field(default=True, description="false: colour only, the importer does not report it")
    at: list[str] | None = Field(default=None, description="where the issue is reported: the cells a person must "
                                                           "change (default: the first of `columns`)")
    match: str | None = Field(default=None, description="with a repeated group in `at`: only its cells holding this")
    values: dict[str, str] = Field(default_factory=dict, description="named formulas the message shows, e.g. "
                                                                     "{threshold: ...}")


class TotalKind(str, Enum):
    sum = "sum"
    average = "average"
    count = "count"
    max = "max"
    min = "min"


class Table(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    help: Text | None = None
    rows: int = Field(default=20, ge=1, le=5000)
    columns: list[Column] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    totals: dict[str, TotalKind] = Field(default_factory=dict)
    prefill: str | None = Field(default=None, description="'kpis' or a named list: one locked row per item")
    example: list[dict[str, Any]] = Field(default_factory=list)


class Form(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    fields: list[Column] = Field(min_length=1)
    example: dict[str, Any] = Field(default_factory=dict)


class Metric(Strict):
    """A dashboard figure: a formula, or `kpi:` for a KPI's total to date as the KPI declares it adds up."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    formula: str = ""
    kpi: str | None = Field(default=None, description="a KPI key: its total to date, by its `aggregate`")
    type: ColumnType = ColumnType.number
    help: Text | None = None


class Breakdown(Strict):
    """A small formula table over a named list's items (e.g. budget by category)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    over: str = Field(description="named list whose items are the rows; {item} is the item label")
    columns: list[Metric] = Field(min_length=1)


class ChartKind(str, Enum):
    column = "column"
    bar = "bar"
    line = "line"
    pie = "pie"


class Chart(Strict):
    title: Text
    type: ChartKind = ChartKind.column
    categories: str = Field(description="table.column (or breakdown.item) for the x axis")
    series: list[str] = Field(min_length=1, description="table.column references")
    y_format: str | None = None


class Gantt(Strict):
    table: str
    start: str
    end: str
    status: str | None = None
    done: str | None = Field(default=None, description="list item key meaning done")
    days: int = Field(default=35, ge=7, le=366)


class SheetKind(str, Enum):
    guide = "guide"
    tables = "tables"
    dashboard = "dashboard"


class Sheet(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: SheetKind = SheetKind.tables
    title: Text
    help: Text | None = None
    form: Form | None = None
    sections: list[Text] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    gantt: Gantt | None = None
    metrics: list[Metric] = Field(default_factory=list)
    breakdowns: list[Breakdown] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    tab_color: str | None = Field(default=None, pattern=r"^#[0-9A-Fa-f]{6}$")
    landscape: bool = True


class Direction(str, Enum):
    higher = "higher"
    lower = "lower"


class Aggregate(str, Enum):
    """How a KPI's daily values add up over days (or channels): for pace, the dashboard and the rollup."""

    sum = "sum"          # counts and money: the days add up
    mean = "mean"        # the average of the daily values
    last = "last"        # the value(s) of the latest day, e.g. a follower count
    ratio = "ratio"      # total of one KPI over total of another (`of: [numerator, denominator]`)
    formula = "formula"  # the KPI's own formula over the other KPIs' totals, e.g. ROI


class Blank(str, Enum):
    """What a day without a figure means for a KPI."""

    unknown = "unknown"  # not entered: left out of rates, comparisons and alerts (the default)
    zero = "zero"        # nothing happened, e.g. a paused channel: the day counts as 0


class KpiFigures(Strict):
    """A KPI's target and thresholds in the worked example (`--example`)."""

    target: float | None = None
    alert: float | None = None
    warning: float | None = None


class Kpi(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    type: ColumnType = ColumnType.integer
    unit: Text | None = None
    direction: Direction = Direction.higher
    target: float | None = Field(default=None, description="a default target every empty workbook starts with")
    alert: float | None = Field(default=None, description="a default alert line (e.g. ROI below 0)")
    warning: float | None = Field(default=None, description="a default watch line")
    example: KpiFigures | None = Field(default=None, description="the worked example's figures, for --example only")
    cumulative: bool = Field(default=False, description="deprecated: same as `aggregate: sum`")
    formula: str | None = Field(default=None, description="derived KPI, e.g. ROI from sales and cost")
    aggregate: Aggregate | None = Field(
        default=None, description="how the days add up; undeclared: sum for counts and money, mean for percents, "
                                  "formula for a derived KPI (spec check warns)")
    of: list[str] | None = Field(default=None, min_length=2, max_length=2,
                                 description="for `aggregate: ratio`: the numerator and denominator KPI keys")
    blank: Blank = Field(default=Blank.unknown,
                         description="a day without a figure: unknown (left out of rates, the default) or zero")


class Branding(Strict):
    company: Text | None = None
    accent: str = Field(default="#1F4E79", pattern=r"^#[0-9A-Fa-f]{6}$")


class CampaignRole(Strict):
    """The form fields that state the campaign's facts (for the rollup and the import's campaign table)."""

    name: str | None = None
    code: str | None = None
    scenario: str | None = None
    lead: str | None = None
    start: str | None = None
    end: str | None = None
    budget: str | None = None
    objective: str | None = None


class BudgetRole(Strict):
    """The table of budget lines: category, planned and actual amounts."""

    table: str
    category: str
    planned: str
    actual: str
    committed: str | None = Field(default=None, description="amount committed (contracted, not yet paid)")
    item: str | None = Field(default=None, description="the line's description")


class TasksRole(Strict):
    """The task table: status, end date, and the rule that marks a task overdue."""

    table: str
    status: str
    end: str
    done: str = Field(description="status item key of a finished task")
    closed: list[str] = Field(default_factory=list, description="other status item keys of tasks no longer open")
    overdue: str = Field(description="code of the rule that marks an overdue task")
    id: str | None = Field(default=None, description="the task's id column")
    name: str | None = Field(default=None, description="the task's name column")
    owner: str | None = Field(default=None, description="the task's owner column")
    blocked: str | None = Field(default=None, description="status item key of a blocked task")


class RisksRole(Strict):
    """The risk register: status, and the rules that mark high and medium risks."""

    table: str
    status: str
    closed: str = Field(description="status item key of a closed risk")
    high: str = Field(description="code of the rule that marks a high risk")
    medium: str | None = Field(default=None, description="code of the rule that marks a medium risk")
    score: str | None = Field(default=None, description="the risk's score: only scored risks count as low")
    id: str | None = Field(default=None, description="the risk's id column")
    description: str | None = Field(default=None, description="the risk's description column")
    owner: str | None = Field(default=None, description="the risk's owner column")
    response: str | None = Field(default=None, description="the agreed response time (hours) column")


class KpisRole(Strict):
    """The daily KPI table (one column per KPI) and the KPI definitions with their thresholds."""

    table: str
    date: str
    channel: str | None = None
    definitions: str | None = Field(default=None, description="table of KPI targets and thresholds (prefill: kpis)")


class LogRole(Strict):
    """The daily log: what was done each day, blockers and next steps."""

    table: str
    date: str
    task: str | None = None
    owner: str | None = None
    blocker: str | None = None
    next_step: str | None = None


class ReviewRole(Strict):
    """The mid-term review: when it falls and the table of its adjustment rows."""

    table: str
    date: str = Field(description="the review date column")
    at: float = Field(default=0.5, gt=0, lt=1, description="the mid-term point as a share of the campaign's days, e.g. 0.5 or 0.33")
    kpi: str | None = Field(default=None, description="the column naming the KPI an adjustment is for")
    adjustment: str | None = Field(default=None, description="the adjustment column")
    owner: str | None = Field(default=None, description="the adjustment's owner column")
    due: str | None = Field(default=None, description="the adjustment's due date column")
    status: str | None = Field(default=None, description="the adjustment's status column (a list)")
    done: str = Field(default="done", description="status item key of a finished adjustment")


class ChannelsRole(Strict):
    """The channel plan: channel and its budget."""

    table: str
    channel: str
    budget: str


class Rollup(Strict):
    """Which tables and columns carry what a portfolio rollup reads. A role left out (or naming a
    table or column the spec does not have) leaves its figures out of the rollup, with a warning."""

    campaign: CampaignRole | None = None
    budget: BudgetRole | None = None
    tasks: TasksRole | None = None
    risks: RisksRole | None = None
    kpis: KpisRole | None = None
    channels: ChannelsRole | None = None
    log: LogRole | None = None
    review: ReviewRole | None = None


class Spec(Strict):
    template: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: int = Field(ge=1)
    title: Text
    description: Text | None = None
    locales: list[Locale] = Field(default_factory=lambda: list(LOCALES), min_length=1)
    currency: str = "¥"
    protect: bool = True
    branding: Branding = Field(default_factory=Branding)
    lists: dict[str, list[ListItem]] = Field(default_factory=dict)
    kpis: list[Kpi] = Field(default_factory=list)
    people: str | None = Field(default=None, description="table.column whose names feed person dropdowns")
    rollup: Rollup = Field(default_factory=Rollup, description="which tables the portfolio rollup reads")
    sheets: list[Sheet] = Field(min_length=1)

    @field_validator("lists", mode="before")
    @classmethod
    def _plain_items(cls, value: Any) -> Any:
        # `raci: [R, A, C, I]` is shorthand for items whose label is their key.
        if isinstance(value, dict):
            return {
                name: [{"key": str(i)} if isinstance(i, (str, int)) else i for i in items]
                if isinstance(items, list) else items
                for name, items in value.items()
            }
        return value

    # -- lookups used by layout, reader and rules -------------------------------------
    def tables(self) -> list[Table]:
        return [t for s in self.sheets for t in s.tables]

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)

    def form(self) -> Form | None:
        return next((s.form for s in self.sheets if s.form), None)

    def list_items(self, name: str) -> list[ListItem]:
        """A named list's items; `kpis` is the KPI list seen as a named list."""
        if name == "kpis":
            return [ListItem(key=k.key, label=k.label) for k in self.kpis]
        return self.lists[name]

    def kpi(self, key: str) -> Kpi | None:
        return next((k for k in self.kpis if k.key == key), None)

    def list_label(self, name: str, key: str, lang: str) -> str:
        for item in self.list_items(name):
            if item.key == key:
                return text_for(item.label, lang) or item.key
        raise KeyError(f"{name}.{key}")
