"""Per-file work of a rollup: one workbook in, a small picklable summary out (a pure function).

What a summary holds comes from the spec's `rollup` roles: which tables carry the budget, the
tasks, the risks, the KPIs and the channels, and which of the spec's rules mark overdue tasks
and high risks (the same rules that colour the workbook). A role the spec does not fill leaves
its figures out, and the summary says so (`notes`).
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from ..asof import closed_on, lateness
from ..i18n import t
from ..read.importer import ImportResult, import_workbook
from ..read.guard import Limits
from ..series import KpiSeries
from ..spec import model as m
from ..spec.index import SpecIndex
from ..spec.loader import LoadedSpec
from ..spec.roles import RoleProblem
from .labels import Labels, spec_labels

# what a file is: a campaign workbook (clean / with warnings / with errors), unreadable (rejected), or
# no campaign workbook at all (not_campaign: an unknown template, a blank template, a rollup's output)
STATUSES = ("clean", "warnings", "errors", "rejected", "not_campaign")

Columns = dict[str, list]   # a small table, column-wise: name -> values (all of one length)


@dataclass
class FileSummary:
    """What a rollup keeps of one file: its status, one campaign row and a few small tables,
    each column-wise (cheaper to pickle, merge and turn into DataFrames than rows of dicts).
    Values are keys; `labels` says what the keys it holds mean in each language its spec has."""

    path: str
    status: str
    code: str | None = None
    message: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "alert": 0})
    campaign: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Columns] = field(default_factory=dict)
    notes: list[tuple[str, RoleProblem]] = field(default_factory=list)   # (template, problem): roles left out
    labels: Labels = field(default_factory=dict)


def summarize(path: str, *, today: dt.date | None = None, spec: str | LoadedSpec | None = None,
              spec_dir: list[str] | None = None, limits: Limits | None = None, lang: str | None = "en",
              default_lang: str = "en") -> FileSummary:
    """Import and validate one file and reduce it to its rollup rows. Never raises for bad input.

    Issue messages are in `lang`; with None, in the workbook's own language (`default_lang`
    where that is unknown)."""
    today = today or dt.date.today()
    result = import_judged(path, today, spec=spec, spec_dir=spec_dir, lang=lang, limits=limits, errors="report",
                           default_lang=default_lang)
    return reduce(result, today, lang)


def import_judged(path: Any, today: dt.date, **kw: Any) -> ImportResult:
    """Import a workbook as of `today` (the date asked for)."""
    return import_workbook(path, today=today, **kw)


def reduce(result: ImportResult, today: dt.date, lang: str | None = "en") -> FileSummary:
    """The rollup rows of one imported workbook (imported with `import_judged` at `today`, the date
    asked for). Values are keys, with the labels of the keys it holds (`labels`); `category_label`
    and `scenario_label` are in `lang` (else the workbook's own language) until the merge puts them
    in the rollup's."""
    counts = result.report.counts()
    issues = result.report.issues
    if result.unreadable:
        first = issues[0]
        out = FileSummary(result.path, "rejected", first.code, first.message, counts)
    elif result.not_campaign:
        first = next(i for i in issues if i.code == "not-a-campaign")
        out = FileSummary(result.path, "not_campaign", first.code, first.message, counts)
    else:
        out = FileSummary(result.path, "errors" if counts["error"] else "warnings" if counts["warning"] else "clean",
                          counts=counts)
    cid = result.meta.get("campaign_id")
    out.tables["issues"] = {
        "campaign_id": [cid] * len(issues), "file": [result.path] * len(issues),
        "severity": [i.severity for i in issues], "code": [i.code for i in issues],
        "sheet": [i.sheet for i in issues], "cell": [i.cell for i in issues], "message": [i.message for i in issues],
    }
    if result.unreadable:
        return out
    index = result.index
    if result.not_campaign or index is None:   # no campaign: the file is listed with its issues, nothing more
        out.campaign = {"campaign_id": None, "source_file": result.path, "status": out.status, **counts}
        return out
    lang = lang or result.meta.get("locale")
    if lang not in index.spec.locales:
        lang = index.spec.locales[0]
    template = index.spec.template
    out.notes = [(template, p) for p in index.role_problems]
    files = _Reduction(result, index, today, lang, out)
    camp = files.campaign()
    camp.update(alerts=counts["alert"], errors=counts["error"], warnings=counts["warning"], status=out.status,
                source_file=result.path)
    out.campaign = camp
    out.labels = spec_labels(index, camp, out.tables)
    return out


class _Reduction:
    """One workbook reduced role by role into its FileSummary (each role's part skipped if absent)."""

    def __init__(self, result: ImportResult, index: SpecIndex, today: dt.date, lang: str, out: FileSummary) -> None:
        self.result, self.index, self.roles, self.today, self.lang, self.out = result, index, index.roles, today, lang, out
        self.cid = result.meta["campaign_id"]
        self.end = result.campaign.get("end")
        self.closed = closed_on(today, self.end)
        # (sheet, 1-based row) where each reported rule holds: the rules that colour the workbook
        self.hits: dict[str, set[tuple[str | None, int | None]]] = {}
        for i in result.report.issues:
            self.hits.setdefault(i.code, set()).add((i.sheet, i.row))
        self.sheets: dict[str, str] = result.meta.get("sheets", {})   # table key -> the sheet it was found on

    def column(self, table: str, name: str | None) -> list:
        """One column of an imported table; all None if the table lacks it."""
        cols = self.result.columns[table]
        return cols.get(name, [None] * len(cols["row"])) if name else [None] * len(cols["row"])

    def hit(self, code: str | None, table: str) -> list[bool]:
        """Per row of `table`: whether rule `code` holds there."""
        rows = self.column(table, "row")
        found = self.hits.get(code, set()) if code else set()
        sheet = self.sheets.get(table)
        return [(sheet, r) in found for r in rows]

    def campaign(self) -> dict[str, Any]:
        facts = self.result.campaign
        camp: dict[str, Any] = {k: facts.get(k) for k in ("campaign_id", "name", "scenario", "scenario_label", "lead",
                                                          "start", "end")}
        camp["phase"] = self.phase(camp["start"], camp["end"])
        # the date asked for, and the data's date as the import found it (None: no figure yet)
        camp["today"] = self.today
        camp["data_as_of"] = self.result.campaign.get("data_as_of")
        camp.update(template=facts.get("template"), version=facts.get("version"), locale=facts.get("locale"),
                    saved_at=facts.get("saved_at"))
        for part in (self.budget, self.tasks, self.risks, self.kpis, self.channels):
            part(camp)
        return camp

    def phase(self, start: Any, end: Any) -> str:
        """planning before the start, running inside the window, closed after it (or all tasks finished)."""
        statuses: list[Any] = []
        role = self.roles.get("tasks")
        if role is not None:
            statuses = self.column(role.table, role.status)
            done = {role.done, *role.closed}
            if statuses and all(s in done for s in statuses):
                return "closed"
        if isinstance(end, dt.date) and self.today > end:
            return "closed"
        if isinstance(start, dt.date) and self.today >= start:
            return "running"
        return "planning"

    def budget(self, camp: dict[str, Any]) -> None:
        role: m.BudgetRole | None = self.roles.get("budget")
        if role is None:
            return
        categories = self.column(role.table, role.category)
        planned, actual = self.column(role.table, role.planned), self.column(role.table, role.actual)
        total_p, total_a = sum(_num(v) for v in planned), sum(_num(v) for v in actual)
        camp.update(budget_planned=total_p, budget_actual=total_a, budget_variance=total_a - total_p,
                    budget_used=total_a / total_p if total_p else None)
        choices = self.index.tables[role.table].column(role.category).choices
        labels = {key: self.index.list_label(choices, key, self.lang) for key in set(categories) if choices and key} \
            if choices else {}
        self.out.tables["budget"] = {
            "campaign_id": [self.cid] * len(categories), "category": categories,
            "category_label": [labels.get(c, c) for c in categories], "planned": planned, "actual": actual,
        }

    def tasks(self, camp: dict[str, Any]) -> None:
        role: m.TasksRole | None = self.roles.get("tasks")
        if role is None:
            return
        cols = self.result.columns[role.table]
        statuses, ends = self.column(role.table, role.status), self.column(role.table, role.end)
        # the workbook's own overdue rule on the date asked for; once the campaign is over, a task due
        # by its end is unfinished at close (days late to the end date), one due after it overdue
        overdue = [late and isinstance(e, dt.date) for late, e in zip(self.hit(role.overdue, role.table), ends)]
        judged = [lateness(self.today, self.end, e) if lt else (False, 0) for e, lt in zip(ends, overdue)]
        at_close = sum(1 for c, _ in judged if c)
        camp.update(tasks_total=len(statuses), tasks_done=sum(1 for s in statuses if s == role.done),
                    tasks_overdue=sum(overdue) - at_close, tasks_unfinished_at_close=at_close if self.closed else None)
        self.out.tables["tasks"] = {"campaign_id": [self.cid] * len(statuses), **{k: v for k, v in cols.items() if k != "row"},
                                    "slippage_days": [d for _, d in judged],
                                    "unfinished_at_close": [c for c, _ in judged]}

    def risks(self, camp: dict[str, Any]) -> None:
        role: m.RisksRole | None = self.roles.get("risks")
        if role is None:
            return
        cols = self.result.columns[role.table]
        high, medium = self.hit(role.high, role.table), self.hit(role.medium, role.table)
        levels = ["high" if h else "medium" if md else "low" for h, md in zip(high, medium)]
        # an unscored risk is listed as low but counted as a low one only once it is scored
        scored = [s is not None for s in self.column(role.table, role.score)] if role.score else [True] * len(levels)
        open_levels = [lv for lv, st, sc in zip(levels, self.column(role.table, role.status), scored)
                       if st != role.closed and (sc or lv != "low")]
        camp.update(risks_open_high=open_levels.count("high"), risks_open_medium=open_levels.count("medium"),
                    risks_open_low=open_levels.count("low"))
        self.out.tables["risks"] = {"campaign_id": [self.cid] * len(levels), **{k: v for k, v in cols.items() if k != "row"},
                                    "level": levels}

    def kpis(self, camp: dict[str, Any]) -> None:
        """The long KPI series, each KPI's latest value against its target, and attainment."""
        role: m.KpisRole | None = self.roles.get("kpis")
        if role is None:
            return
        spec, cid = self.index.spec, self.cid
        defs = {d.get("kpi"): d for d in (self.result.records[role.definitions] if role.definitions else [])}
        daily = self.result.columns[role.table]
        dates, channels = self.column(role.table, role.date), self.column(role.table, role.channel)
        attain: list[float] = []
        totals = KpiSeries(self.index, self.result.columns, self.result.records)
        as_of = camp.get("data_as_of")   # every figure below is as of the data's date, as the brief's
        series: Columns = {k: [] for k in ("campaign_id", "date", "channel", "kpi", "value", "target", "status")}
        for kpi in spec.kpis:
            labels = {m.text_for(kpi.label, loc) for loc in spec.locales}
            d = next((v for k, v in defs.items() if k in labels), {})
            target = d.get("target", kpi.target)
            alert, warning = d.get("alert", kpi.alert), d.get("warning", kpi.warning)
            values = [(date, value, channel) for date, value, channel in zip(dates, daily.get(kpi.key, ()), channels)
                      if value is not None and not (isinstance(date, dt.date) and as_of is not None and _day(date) > as_of)]
            series["campaign_id"] += [cid] * len(values)
            series["date"] += [v[0] for v in values]
            series["channel"] += [v[2] for v in values]
            series["kpi"] += [kpi.key] * len(values)
            series["value"] += [v[1] for v in values]
            series["target"] += [target] * len(values)
            series["status"] += [_kpi_status(kpi, v[1], alert, warning) for v in values]
            # its latest day with a figure and its total to the data's date, as it adds up (spec/kpis.py);
            # a row missing a part of a ratio is unknown, as in the brief
            days = totals.days(kpi.key, None, as_of) if as_of is not None else []
            camp[f"kpi_{kpi.key}_latest"] = totals.day(kpi.key, days[-1]) if days else None
            camp[f"kpi_{kpi.key}_target"] = target
            achieved = totals.total(kpi.key, end=as_of) if as_of is not None else None
            if values and isinstance(target, (int, float)) and target and achieved is not None:
                ratio = (target / achieved if achieved else None) if kpi.direction == m.Direction.lower else achieved / target
                camp[f"kpi_{kpi.key}_attainment"] = ratio
                if ratio is not None:
                    attain.append(ratio)
        camp["attainment"] = statistics.fmean(attain) if attain else None
        self.out.tables["kpi_series"] = series

    def channels(self, camp: dict[str, Any]) -> None:
        role: m.ChannelsRole | None = self.roles.get("channels")
        if role is None:
            return
        channel = self.column(role.table, role.channel)
        self.out.tables["channels"] = {"campaign_id": [self.cid] * len(channel), "channel": channel,
                                       "budget": self.column(role.table, role.budget)}


def _day(v: dt.date) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def _kpi_status(kpi: m.Kpi, value: Any, alert: Any, warning: Any) -> str:
    if not isinstance(value, (int, float)):
        return ""
    worse = (lambda a, b: a < b) if kpi.direction == m.Direction.higher else (lambda a, b: a > b)
    if isinstance(alert, (int, float)) and worse(value, alert):
        return "alert"
    if isinstance(warning, (int, float)) and worse(value, warning):
        return "warning"
    return "ok"


__all__ = ["FileSummary", "summarize", "import_judged", "reduce", "STATUSES"]
