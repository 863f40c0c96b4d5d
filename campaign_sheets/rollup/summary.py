"""Per-file work of a rollup: one workbook in, a small picklable summary out (a pure function)."""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from ..errors import CampaignSheetsError, WorkbookFileError
from ..read.importer import ImportResult, import_workbook
from ..read.safe_open import Limits
from ..spec import model as m

STATUSES = ("clean", "warnings", "errors", "rejected")
HIGH, MEDIUM = 15, 8


Columns = dict[str, list]   # a small table, column-wise: name -> values (all of one length)


@dataclass
class FileSummary:
    """What a rollup keeps of one file: its status, one campaign row and a few small tables,
    each column-wise (cheaper to pickle, merge and turn into DataFrames than rows of dicts)."""

    path: str
    status: str
    code: str | None = None
    message: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "alert": 0})
    campaign: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Columns] = field(default_factory=dict)


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def _labels(spec: m.Spec, name: str, lang: str) -> dict[str, str]:
    try:
        return {i.key: m.text_for(i.label, lang) or i.key for i in spec.list_items(name)}
    except KeyError:
        return {}


def phase(start: Any, end: Any, today: dt.date, statuses: list[Any]) -> str:
    """planning before the start, running inside the window, closed after it (or all tasks finished)."""
    open_tasks = [s for s in statuses if s not in ("done", "cancelled")]
    if isinstance(end, dt.date) and today > end or (statuses and not open_tasks):
        return "closed"
    if isinstance(start, dt.date) and today >= start:
        return "running"
    return "planning"


def summarize(path: str, *, today: dt.date | None = None, spec: str | None = None,
              spec_dir: list[str] | None = None, limits: Limits | None = None, lang: str = "en") -> FileSummary:
    """Import and validate one file and reduce it to its rollup rows. Never raises for bad input."""
    today = today or dt.date.today()
    try:
        result = import_workbook(path, spec=spec, spec_dir=spec_dir, lang=lang, limits=limits, today=today)
    except WorkbookFileError as err:
        return FileSummary(str(path), "rejected", err.code, err.message)
    except CampaignSheetsError as err:
        return FileSummary(str(path), "rejected", "file-unreadable", err.message)
    return reduce(result, today, lang)


def _column(table: Columns, name: str) -> list:
    """One column of an imported table (every table has `row`); all None if the table lacks it."""
    rows = table.get("row", [])
    return table.get(name, [None] * len(rows))


def _level(score: Any) -> str:
    s = _num(score)
    return "high" if s >= HIGH else "medium" if s >= MEDIUM else "low"


def reduce(result: ImportResult, today: dt.date, lang: str = "en") -> FileSummary:
    """The rollup rows of one imported workbook; labels are in `lang`, the rollup's language."""
    counts = result.report.counts()
    status = "errors" if counts["error"] else "warnings" if counts["warning"] else "clean"
    out = FileSummary(result.path, status, counts=counts)
    cid = result.meta["campaign_id"]
    issues = result.report.issues
    out.tables["issues"] = {
        "campaign_id": [cid] * len(issues), "file": [result.path] * len(issues),
        "severity": [i.severity for i in issues], "code": [i.code for i in issues],
        "sheet": [i.sheet for i in issues], "cell": [i.cell for i in issues], "message": [i.message for i in issues],
    }
    spec = result.spec
    if spec is None:
        out.campaign = {"campaign_id": cid, "source_file": result.path, "status": status, **counts}
        return out
    form = result.form
    tables = {t.key for t in spec.tables()}
    if lang not in spec.locales:
        lang = spec.locales[0]

    def cols(key: str) -> Columns:
        return result.columns[key] if key in tables else {}

    budget, tasks, risks, daily = cols("budget"), cols("tasks"), cols("risks"), cols("kpi_daily")
    n_tasks, n_risks = len(_column(tasks, "row")), len(_column(risks, "row"))
    statuses = _column(tasks, "status")
    start, end = form.get("start"), form.get("end")
    camp: dict[str, Any] = {
        "campaign_id": cid, "name": form.get("name"), "scenario": form.get("scenario"), "lead": form.get("lead"),
        "start": start, "end": end, "phase": phase(start, end, today, statuses),
        "template": result.meta.get("template"), "version": result.meta.get("file_version"),
        "locale": result.meta.get("locale"),
    }
    planned = sum(_num(v) for v in budget.get("planned", ()))
    actual = sum(_num(v) for v in budget.get("actual", ()))
    camp.update(budget_planned=planned, budget_actual=actual, budget_variance=actual - planned,
                budget_used=actual / planned if planned else None)
    # overdue is the spec's own task-overdue rule (the one the workbook colours), not a second copy
    overdue_rows = {i.row for i in issues if i.code == "task-overdue"}
    ends = _column(tasks, "end")
    overdue = [r in overdue_rows and isinstance(e, dt.date) for r, e in zip(_column(tasks, "row"), ends)]
    camp.update(tasks_total=n_tasks, tasks_done=sum(1 for s in statuses if s == "done"), tasks_overdue=sum(overdue))
    open_scores = [_num(sc) for sc, st in zip(_column(risks, "score"), _column(risks, "status")) if st != "closed"]
    camp.update(
        risks_open_high=sum(1 for s in open_scores if s >= HIGH),
        risks_open_medium=sum(1 for s in open_scores if MEDIUM <= s < HIGH),
        risks_open_low=sum(1 for s in open_scores if 0 < s < MEDIUM),
    )
    # KPIs: the long series, the latest value against target, and attainment per KPI
    defs = {d.get("kpi"): d for d in (result.records["kpi_defs"] if "kpi_defs" in tables else [])}
    dates, channels = _column(daily, "date"), _column(daily, "channel")
    attain: list[float] = []
    series: Columns = {k: [] for k in ("campaign_id", "date", "channel", "kpi", "value", "target", "status")}
    for kpi in spec.kpis:
        label_by_lang = {m.text_for(kpi.label, loc) for loc in spec.locales}
        d = next((v for k, v in defs.items() if k in label_by_lang), {})
        target = d.get("target", kpi.target)
        alert, warning = d.get("alert", kpi.alert), d.get("warning", kpi.warning)
        values = [(date, value, channel) for date, value, channel in zip(dates, daily.get(kpi.key, ()), channels)
                  if value is not None]
        series["campaign_id"] += [cid] * len(values)
        series["date"] += [v[0] for v in values]
        series["channel"] += [v[2] for v in values]
        series["kpi"] += [kpi.key] * len(values)
        series["value"] += [v[1] for v in values]
        series["target"] += [target] * len(values)
        series["status"] += [_kpi_status(kpi, v[1], alert, warning) for v in values]
        dated = [v for v in values if isinstance(v[0], dt.date)]
        latest = max(dated, key=lambda v: v[0])[1] if dated else (values[-1][1] if values else None)
        camp[f"kpi_{kpi.key}_latest"] = latest
        camp[f"kpi_{kpi.key}_target"] = target
        if values and isinstance(target, (int, float)) and target:
            nums = [_num(v[1]) for v in values]
            achieved = sum(nums) if kpi.cumulative else statistics.fmean(nums)
            if kpi.direction == m.Direction.lower:
                ratio = target / achieved if achieved else None
            else:
                ratio = achieved / target
            camp[f"kpi_{kpi.key}_attainment"] = ratio
            if ratio is not None:
                attain.append(ratio)
    camp["attainment"] = statistics.fmean(attain) if attain else None
    camp.update(alerts=counts["alert"], errors=counts["error"], warnings=counts["warning"], status=status,
                source_file=result.path)
    out.campaign = camp
    cats = _labels(spec, "budget_categories", lang)
    categories = _column(budget, "category")
    out.tables["budget"] = {
        "campaign_id": [cid] * len(categories), "category": categories,
        "category_label": [cats.get(c, c) for c in categories],
        "planned": _column(budget, "planned"), "actual": _column(budget, "actual"),
    }
    out.tables["kpi_series"] = series
    out.tables["risks"] = {"campaign_id": [cid] * n_risks, **{k: v for k, v in risks.items() if k != "row"},
                           "level": [_level(sc) for sc in _column(risks, "score")]}
    out.tables["tasks"] = {"campaign_id": [cid] * n_tasks, **{k: v for k, v in tasks.items() if k != "row"},
                           "slippage_days": [(today - e).days if late else 0 for e, late in zip(ends, overdue)]}
    plan = cols("channel_plan")
    out.tables["channels"] = {"campaign_id": [cid] * len(_column(plan, "row")), "channel": _column(plan, "channel"),
                              "budget": _column(plan, "budget")}
    return out


def _kpi_status(kpi: m.Kpi, value: Any, alert: Any, warning: Any) -> str:
    if not isinstance(value, (int, float)):
        return ""
    worse = (lambda a, b: a < b) if kpi.direction == m.Direction.higher else (lambda a, b: a > b)
    if isinstance(alert, (int, float)) and worse(value, alert):
        return "alert"
    if isinstance(warning, (int, float)) and worse(value, warning):
        return "warning"
    return "ok"
