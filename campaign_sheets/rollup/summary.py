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


@dataclass
class FileSummary:
    """What a rollup keeps of one file: its status, one campaign row and a few small tables."""

    path: str
    status: str
    code: str | None = None
    message: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "alert": 0})
    campaign: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def _labels(spec: m.Spec, name: str, lang: str) -> dict[str, str]:
    try:
        return {i.key: m.text_for(i.label, lang) or i.key for i in spec.list_items(name)}
    except KeyError:
        return {}


def phase(start: Any, end: Any, today: dt.date, tasks: list[dict]) -> str:
    """planning before the start, running inside the window, closed after it (or all tasks finished)."""
    open_tasks = [t for t in tasks if t.get("status") not in ("done", "cancelled")]
    if isinstance(end, dt.date) and today > end or (tasks and not open_tasks):
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


def reduce(result: ImportResult, today: dt.date, lang: str = "en") -> FileSummary:
    """The rollup rows of one imported workbook; labels are in `lang`, the rollup's language."""
    counts = result.report.counts()
    status = "errors" if counts["error"] else "warnings" if counts["warning"] else "clean"
    out = FileSummary(result.path, status, counts=counts)
    cid = result.meta["campaign_id"]
    issues = [{"campaign_id": cid, "file": result.path, "severity": i.severity, "code": i.code, "sheet": i.sheet,
               "cell": i.cell, "message": i.message} for i in result.report.issues]
    out.tables["issues"] = issues
    spec = result.spec
    if spec is None:
        out.campaign = {"campaign_id": cid, "source_file": result.path, "status": status, **counts}
        return out
    rec = result.records
    form = result.form
    tables = {t.key for t in spec.tables()}
    if lang not in spec.locales:
        lang = spec.locales[0]

    def rows(key: str) -> list[dict]:
        return rec[key] if key in tables else []

    budget = rows("budget")
    tasks = rows("tasks")
    risks = rows("risks")
    daily = rows("kpi_daily")
    defs = {d.get("kpi"): d for d in rows("kpi_defs")}
    start, end = form.get("start"), form.get("end")
    camp: dict[str, Any] = {
        "campaign_id": cid, "name": form.get("name"), "scenario": form.get("scenario"), "lead": form.get("lead"),
        "start": start, "end": end, "phase": phase(start, end, today, tasks),
        "template": result.meta.get("template"), "version": result.meta.get("file_version"),
        "locale": result.meta.get("locale"),
    }
    planned = sum(_num(b.get("planned")) for b in budget)
    actual = sum(_num(b.get("actual")) for b in budget)
    camp.update(budget_planned=planned, budget_actual=actual, budget_variance=actual - planned,
                budget_used=actual / planned if planned else None)
    # overdue is the spec's own task-overdue rule (the one the workbook colours), not a second copy
    overdue_rows = {i.row for i in result.report.issues if i.code == "task-overdue"}
    overdue = [t for t in tasks if t.get("row") in overdue_rows and isinstance(t.get("end"), dt.date)]
    camp.update(tasks_total=len(tasks), tasks_done=sum(1 for t in tasks if t.get("status") == "done"),
                tasks_overdue=len(overdue))
    open_risks = [r for r in risks if r.get("status") != "closed"]
    camp.update(
        risks_open_high=sum(1 for r in open_risks if _num(r.get("score")) >= HIGH),
        risks_open_medium=sum(1 for r in open_risks if MEDIUM <= _num(r.get("score")) < HIGH),
        risks_open_low=sum(1 for r in open_risks if 0 < _num(r.get("score")) < MEDIUM),
    )
    # KPIs: the long series, the latest value against target, and attainment per KPI
    attain: list[float] = []
    series = []
    for kpi in spec.kpis:
        label_by_lang = {m.text_for(kpi.label, loc) for loc in spec.locales}
        d = next((v for k, v in defs.items() if k in label_by_lang), {})
        target = d.get("target", kpi.target)
        alert, warning = d.get("alert", kpi.alert), d.get("warning", kpi.warning)
        values = [(r.get("date"), r.get(kpi.key), r.get("channel")) for r in daily if r.get(kpi.key) is not None]
        for date, value, channel in values:
            series.append({"campaign_id": cid, "date": date, "channel": channel, "kpi": kpi.key, "value": value,
                           "target": target, "status": _kpi_status(kpi, value, alert, warning)})
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
    out.tables["budget"] = [{"campaign_id": cid, "category": b.get("category"),
                             "category_label": cats.get(b.get("category"), b.get("category")),
                             "planned": b.get("planned"), "actual": b.get("actual")} for b in budget]
    out.tables["kpi_series"] = series
    out.tables["risks"] = [{"campaign_id": cid, **{k: v for k, v in r.items() if k != "row"},
                            "level": "high" if _num(r.get("score")) >= HIGH else "medium" if _num(r.get("score")) >= MEDIUM else "low"}
                           for r in risks]
    out.tables["tasks"] = [{"campaign_id": cid, **{k: v for k, v in t.items() if k != "row"},
                            "slippage_days": (today - t["end"]).days if t in overdue else 0} for t in tasks]
    channels = rows("channel_plan")
    out.tables["channels"] = [{"campaign_id": cid, "channel": c.get("channel"), "budget": c.get("budget")} for c in channels]
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
