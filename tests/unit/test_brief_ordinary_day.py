"""The brief on an ordinary day: today's row not yet typed, days missing, a typo, a bad target, no dates,
an empty workbook, a closed campaign. Every figure is computed here from the spec's example rows (what
the workbook holds), never read back from the brief's own code."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets import build_workbook, import_workbook
from campaign_sheets.brief import brief_for, render
from campaign_sheets.brief import fmt
from campaign_sheets.brief.compute import BURN_FROM
from campaign_sheets.brief.markdown import render_markdown
from campaign_sheets.cli import main
from campaign_sheets.i18n import t
from campaign_sheets.spec import model as m
from campaign_sheets.spec.loader import LoadedSpec, load_spec
from tests.support.typed import type_text

START, END = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
DAYS = 30
GAP = {dt.date(2026, 6, 10), dt.date(2026, 6, 11), dt.date(2026, 6, 12), dt.date(2026, 6, 19)}
Rows = list[dict[str, Any]]


def example_rows(key: str) -> Rows:
    spec = load_spec("campaign").spec
    return [dict(r) for sh in spec.sheets for tb in sh.tables if tb.key == key for r in tb.example]


def variant(path: Path, *, tables: dict[str, Callable[[Rows], Rows]] | None = None,
            kpis: Callable[[m.Kpi], m.Kpi] | None = None, form: Callable[[dict], dict] | None = None,
            lang: str = "zh-CN", template: str | None = None) -> Path:
    """The worked example with some of its example rows, KPIs or form facts changed. With `template`
    the spec gets a name no machine has, so the workbook is read with the spec it carries."""
    loaded = load_spec("campaign")
    sheets = []
    for sheet in loaded.spec.sheets:
        update: dict[str, Any] = {"tables": [tb.model_copy(update={"example": (tables or {}).get(tb.key, list)(list(tb.example))})
                                             if tables and tb.key in tables else tb for tb in sheet.tables]}
        if form and sheet.form is not None:
            update["form"] = sheet.form.model_copy(update={"example": form(dict(sheet.form.example))})
        sheets.append(sheet.model_copy(update=update))
    spec = loaded.spec.model_copy(update={"sheets": sheets, "kpis": [kpis(k) if kpis else k for k in loaded.spec.kpis],
                                          "template": template or loaded.spec.template})
    return build_workbook(LoadedSpec.of(spec, loaded.path), path, lang=lang, example=True)


def cell_of(path: Path, table: str, header: str, day: dt.date) -> tuple[str, str]:
    """(sheet, A1 cell) of column `header` on the row dated `day` of an Excel table, found with openpyxl."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if table in ws.tables:
            rows = list(ws[ws.tables[table].ref])
            col = [c.value for c in rows[0]].index(header)
            row = next(r for r in rows[1:] if isinstance(r[0].value, dt.datetime) and r[0].value.date() == day)
            return ws.title, row[col].coordinate
    raise KeyError(table)


def goals(brief) -> dict:
    return {g.kpi.key: g for g in brief.goals}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return build_workbook("campaign", tmp_path_factory.mktemp("ex") / "example.xlsx", example=True)


# ---------------------------------------------------------------- today's row not yet typed

def test_the_day_after_the_last_figures_keeps_every_pace_figure_and_says_the_datas_date(example):
    d20, d21 = brief_for(example, date=dt.date(2026, 6, 20)), brief_for(example, date=dt.date(2026, 6, 21))
    assert (d21.campaign.as_of, d21.campaign.lag_days, d21.campaign.day) == (dt.date(2026, 6, 20), 1, 21)
    for key, g in goals(d20).items():
        h = goals(d21)[key]
        for name in ("to_date", "run_rate", "projection", "needed_per_day", "pace", "status", "time_share", "reached_share"):
            assert getattr(g, name) == getattr(h, name), (key, name)
    assert [(d.kpi.key, d.value, d.previous, d.avg7, d.status) for d in d20.today] == \
           [(d.kpi.key, d.value, d.previous, d.avg7, d.status) for d in d21.today]
    assert d20.budget.burn_ratio == d21.budget.burn_ratio
    # the figures the issue quoted: sales stays at risk at 93.9 %, needing ¥33,640 a day
    rows = [r for r in example_rows("kpi_daily") if r["date"] <= dt.date(2026, 6, 20)]
    sales = sum(r["sales"] for r in rows)
    assert goals(d21)["sales"].pace == pytest.approx(sales / 20 * DAYS / 900_000)
    assert goals(d21)["sales"].needed_per_day == pytest.approx((900_000 - sales) / 10)
    assert goals(d21)["sales"].status == "at_risk" and fmt.share(goals(d21)["sales"].pace) == "93.9%"
    md = render_markdown(d21)
    assert t("brief.as_of_lag_one", "zh-CN", date=fmt.date(dt.date(2026, 6, 20), "zh-CN")) in md.splitlines()[1]
    assert t("brief.latest", "zh-CN", date=fmt.date(dt.date(2026, 6, 20), "zh-CN")) in md
    assert t("brief.as_of", "zh-CN", date=fmt.date(dt.date(2026, 6, 20), "zh-CN")) in render_markdown(d20).splitlines()[1]


def test_a_closed_campaign_lists_tasks_unfinished_at_close_not_overdue_by_todays_calendar(example):
    late = brief_for(example, date=dt.date(2026, 12, 8))
    assert late.execution.closed
    tasks = [r for r in example_rows("tasks") if r["status"] not in ("done", "cancelled")]
    # due by the end and open: unfinished at close, days late to the end (a task due on the end date: 0)
    assert {x.id: x.days_late for x in late.execution.unfinished} == \
        {r["task_id"]: (END - r["end"]).days for r in tasks if r["end"] <= END}
    # due after the end (the close-out report): overdue by the calendar, as any task
    assert {x.id: x.days_late for x in late.execution.overdue} == \
        {r["task_id"]: (dt.date(2026, 12, 8) - r["end"]).days for r in tasks if r["end"] > END}
    assert all(x.days_late < 40 for x in late.execution.unfinished)   # never "172 days overdue"
    md = render_markdown(late)
    assert t("brief.unfinished", "zh-CN") in md
    assert t("brief.days_late_close", "zh-CN", days=12) in md


def test_after_the_end_there_is_a_result_not_a_projection_and_days_without_figures_make_it_incomplete(example):
    # the example's figures stop on 20 June, ten days before its end
    brief = brief_for(example, date=dt.date(2026, 7, 15))
    rows = example_rows("kpi_daily")
    for key in ("registrations", "participants", "sales"):
        g = goals(brief)[key]
        assert g.final and g.projection is None and g.needed_per_day is None
        assert (g.to_date, g.days, g.days_missing, g.status) == (sum(r[key] for r in rows), 20, 10, "incomplete")
    assert goals(brief)["conversion"].final and goals(brief)["conversion"].status in ("achieved", "missed")
    md = render_markdown(brief)
    assert "预计结束时" not in md and "剩余每天需" not in md
    assert t("brief.days_missing_final", "zh-CN", count=10) in md and t("brief.status.incomplete", "zh-CN") in md


def test_once_the_data_reaches_the_end_there_is_the_result_and_no_projection(tmp_path):
    rows = example_rows("kpi_daily")
    more = [{**rows[-1], "date": dt.date(2026, 6, 20) + dt.timedelta(days=n)} for n in range(1, 11)]
    path = variant(tmp_path / "done.xlsx", tables={"kpi_daily": lambda r: r + more})
    brief = brief_for(path, date=dt.date(2026, 7, 3))
    reg = goals(brief)["registrations"]
    total = sum(r["registrations"] for r in rows + more)
    assert reg.final and reg.projection is None and reg.needed_per_day is None
    assert reg.to_date == total and reg.status == ("achieved" if total >= 10_000 else "missed")
    assert goals(brief)["sales"].status in ("achieved", "missed")
    md = render_markdown(brief)
    assert t("brief.goal_result", "zh-CN", label="**注册人数**", to_date=fmt.value(total, "integer"),
             target=fmt.value(10_000, "integer"), reached=fmt.share(total / 10_000)) in md
    assert "预计结束时" not in md.split("###")[1]


# ---------------------------------------------------------------- days missing

@pytest.fixture(scope="module")
def gap(tmp_path_factory) -> Path:
    return variant(tmp_path_factory.mktemp("gap") / "gap.xlsx",
                   tables={"kpi_daily": lambda rows: [r for r in rows if r["date"] not in GAP]})


def test_missing_days_are_named_and_left_out_of_the_run_rates(gap):
    kept = [r for r in example_rows("kpi_daily") if r["date"] not in GAP]
    result = import_workbook(gap, lang="en", today=dt.date(2026, 6, 20))
    missing = [i for i in result.report.issues if i.code == "kpi-days-missing"]
    assert len(missing) == 1 and missing[0].severity == "warning" and missing[0].sheet == "数据监控"
    for day in ("2026-06-10 – 2026-06-12", "2026-06-19"):
        assert day in missing[0].message
    brief = brief_for(gap, date=dt.date(2026, 6, 20))
    for key in ("registrations", "participants", "sales"):
        g = goals(brief)[key]
        total = sum(r[key] for r in kept)
        assert (g.to_date, g.days, g.days_missing) == (total, 16, 4)
        assert g.run_rate == pytest.approx(total / 16) and g.projection == pytest.approx(total / 16 * DAYS)
    assert round(goals(brief)["registrations"].projection) == 10864 and goals(brief)["registrations"].status == "on_track"
    assert [x["code"] for x in brief.data_issues.gaps] == ["kpi-days-missing"]
    reg = next(d for d in brief.today if d.kpi.key == "registrations")
    week = [r for r in kept if dt.date(2026, 6, 14) <= r["date"] <= dt.date(2026, 6, 20)]
    assert reg.previous is None and reg.days7 == len(week) == 6
    assert reg.avg7 == pytest.approx(sum(r["registrations"] for r in week) / 6)
    md = render_markdown(brief)
    assert t("brief.days_missing", "zh-CN", count=4, days=16) in md and "kpi-days-missing" not in md
    assert t("brief.days7", "zh-CN", avg7=fmt.value(reg.avg7, "integer"), days=6) in md


def test_a_week_with_fewer_days_is_compared_per_day_and_percents_in_points(gap):
    brief = brief_for(gap, date=dt.date(2026, 6, 20), period="week")
    kept = [r for r in example_rows("kpi_daily") if r["date"] not in GAP]
    this = [r for r in kept if dt.date(2026, 6, 14) <= r["date"] <= dt.date(2026, 6, 20)]
    prev = [r for r in kept if dt.date(2026, 6, 7) <= r["date"] <= dt.date(2026, 6, 13)]
    assert (len(this), len(prev)) == (6, 4)
    w = {k.kpi.key: k for k in brief.week.kpis}
    reg = w["registrations"]
    a, b = sum(r["registrations"] for r in this), sum(r["registrations"] for r in prev)
    assert (reg.this, reg.previous, reg.days, reg.previous_days) == (a, b, 6, 4)
    assert reg.change_share == pytest.approx((a / 6) / (b / 4) - 1)        # not a / b - 1 (+99.8 %)
    conv = w["conversion"]
    c_this = a / sum(r["participants"] for r in this)
    c_prev = b / sum(r["participants"] for r in prev)
    assert conv.change == pytest.approx(c_this - c_prev) and conv.change_share is None
    md = render_markdown(brief)
    line = next(x for x in md.splitlines() if x.startswith("- 转化率"))
    assert fmt.change(c_this - c_prev, "percent", "¥", "zh-CN") in line and "个百分点" in line
    assert t("brief.week_days", "zh-CN", days=6, previous=4) in md


def test_the_charts_space_days_by_date_and_break_at_a_gap(gap):
    from campaign_sheets.brief import svg

    brief = brief_for(gap, date=dt.date(2026, 6, 20))
    s = brief.series
    assert dt.date(2026, 6, 10) not in s.dates and len(s.dates) == 16
    chart = svg.trend(s.dates, s.values["registrations"], [], kind="integer", currency="¥", lang="zh-CN",
                      title="t", actual="a")
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', chart)]
    steps = [b - a for a, b in zip(xs, xs[1:])]
    days = [round(x / min(steps)) for x in steps]
    assert sorted(days) == [1] * 13 + [2, 4]                  # 9→13 Jun and 18→20 Jun: the gaps show
    # runs 1–9 and 13–18 June are lines, 20 June a dot alone: no line bridges a gap
    assert chart.count("<polyline") == 2 and len(xs) == 16


def test_a_kpi_declared_blank_zero_counts_a_day_without_figures_as_zero(tmp_path):
    def zero(k: m.Kpi) -> m.Kpi:
        return k.model_copy(update={"blank": m.Blank.zero}) if k.key == "registrations" else k
    path = variant(tmp_path / "zero.xlsx", kpis=zero, template="campaign_blank_zero",
                   tables={"kpi_daily": lambda rows: [r for r in rows if r["date"] not in GAP]})
    brief = brief_for(path, date=dt.date(2026, 6, 20))
    total = sum(r["registrations"] for r in example_rows("kpi_daily") if r["date"] not in GAP)
    reg, part = goals(brief)["registrations"], goals(brief)["participants"]
    assert (reg.days, reg.days_missing) == (20, 0) and reg.run_rate == pytest.approx(total / 20)
    assert (part.days, part.days_missing) == (16, 4)


# ---------------------------------------------------------------- a typo

def test_unreadable_cells_are_unknown_named_and_raise_no_alert(example, tmp_path):
    sheet, reg_cell = cell_of(example, "tbl_kpi_daily", "注册人数", dt.date(2026, 6, 19))
    _, sales_cell = cell_of(example, "tbl_kpi_daily", "销售额", dt.date(2026, 6, 20))
    typo = type_text(example, tmp_path / "typo.xlsx", sheet, {reg_cell: "429人", sales_cell: "n/a"})
    result = import_workbook(typo, lang="zh-CN", today=dt.date(2026, 6, 20))
    at = {(i.code, i.cell) for i in result.report.issues if i.sheet == sheet and i.severity in ("error", "warning")}
    assert ("type-error", reg_cell) in at and ("type-error", sales_cell) in at
    assert not any(c == "kpi-ratio-incomplete" for c, _ in at)      # one mistake, one message
    brief = brief_for(typo, date=dt.date(2026, 6, 20))
    rows = [r for r in example_rows("kpi_daily") if r["date"] <= dt.date(2026, 6, 20)]
    both = [r for r in rows if r["date"] != dt.date(2026, 6, 19)]
    conv = goals(brief)["conversion"]
    assert conv.to_date == pytest.approx(sum(r["registrations"] for r in both) / sum(r["participants"] for r in both))
    today = {d.kpi.key: d for d in brief.today}
    assert today["sales"].value is None and today["roi"].value is None and today["roi"].status == ""
    assert today["registrations"].previous is None and today["conversion"].previous is None
    yesterday = brief_for(typo, date=dt.date(2026, 6, 19))
    y = {d.kpi.key: d for d in yesterday.today}
    assert y["conversion"].value is None and y["conversion"].status == "" and y["registrations"].value is None
    assert {(g["sheet"], g["cell"]) for g in brief.data_issues.gaps} >= {(sheet, reg_cell), (sheet, sales_cell)}
    md = render_markdown(brief)
    assert f"{sheet}!{reg_cell}" in md and f"{sheet}!{sales_cell}" in md and "🔴 转化率" not in md


# ---------------------------------------------------------------- other misleading figures

def test_no_burn_ratio_before_a_quarter_of_the_campaign_has_gone(example):
    day1 = brief_for(example, date=START)
    assert day1.budget.burn_ratio is None and day1.budget.burn_note == "too_early"
    assert t("brief.burn_note.too_early", "zh-CN") in render_markdown(day1)
    first = int(DAYS * BURN_FROM) + (0 if DAYS * BURN_FROM == int(DAYS * BURN_FROM) else 1)
    later = brief_for(example, date=START + dt.timedelta(days=first - 1))
    assert later.budget.burn_ratio is not None
    before = brief_for(example, date=dt.date(2026, 5, 20))
    assert before.budget.burn_ratio is None and before.budget.burn_note == "not_started"


def test_a_target_of_zero_or_less_is_a_data_issue_not_a_percentage(tmp_path):
    def negative(k: m.Kpi) -> m.Kpi:
        if k.key == "sales" and k.example is not None:
            return k.model_copy(update={"example": k.example.model_copy(update={"target": -1000})})
        return k
    path = variant(tmp_path / "neg.xlsx", kpis=negative)
    result = import_workbook(path, lang="zh-CN", today=dt.date(2026, 6, 20))
    bad = [i for i in result.report.issues if i.code == "kpi-target-invalid"]
    assert len(bad) == 1 and bad[0].sheet == "数据监控" and "-1,000" in bad[0].message and bad[0].expected == "销售额"
    brief = brief_for(path, date=dt.date(2026, 6, 20))
    assert "sales" not in goals(brief) and "kpi-target-invalid" in [g["code"] for g in brief.data_issues.gaps]
    md = render_markdown(brief)
    assert "−" not in md.split("### ")[1] and "%" in md


def test_without_dates_the_figures_to_date_are_given_without_pace(tmp_path):
    path = variant(tmp_path / "nodates.xlsx", form=lambda f: {k: v for k, v in f.items() if k not in ("start", "end")})
    brief = brief_for(path, date=dt.date(2026, 6, 20))
    reg = goals(brief)["registrations"]
    total = sum(r["registrations"] for r in example_rows("kpi_daily"))
    assert reg.to_date == total and reg.pace is None and reg.projection is None
    assert reg.status_label == t("brief.status.no_dates", "zh-CN") != t("brief.status.none", "zh-CN")
    assert brief.data_issues.gaps[0]["code"] == "dates-missing"
    assert brief.budget.burn_ratio is None and brief.budget.burn_note == "no_dates"
    md = render_markdown(brief)
    assert t("brief.no_dates", "zh-CN") in md and t("brief.status.none", "zh-CN") not in md
    assert fmt.value(total, "integer") in md


def test_an_empty_workbook_gets_no_brief_but_a_clear_message(tmp_path):
    blank = build_workbook("campaign", tmp_path / "blank.xlsx")
    res = CliRunner().invoke(main, ["brief", str(blank), "--lang", "en", "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "blank.xlsx" in res.output and t("brief.empty", "en") in res.output and "{" not in res.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_midterm_section_lists_adjustments_with_due_dates_and_no_pro_rata_targets(example):
    brief = brief_for(example, date=dt.date(2026, 7, 5))    # after the end
    mt = brief.midterm
    review = example_rows("midterm")
    assert [(a.text, a.due) for a in mt.adjustments] == [(r["adjustment"], r["due"]) for r in review]
    late = {a.text: a for a in mt.adjustments if a.status == "overdue"}
    for r in review:
        if r.get("status") != "done":
            # judged at the campaign's end: days late to 30 June, not to 5 July
            assert late[r["adjustment"]].days_late == (END - r["due"]).days
    md = render_markdown(brief)
    section = md.split("### " + t("brief.midterm", "zh-CN"))[1]
    assert "阶段目标 125,000" not in section and "阶段目标" in section      # the review's own column, not a pro-rata
    assert t("brief.adjustments", "zh-CN") in section


def test_the_import_keeps_the_date_asked_for_and_the_datas_date_within_the_campaign(example, tmp_path):
    late = import_workbook(example, lang="en", today=dt.date(2026, 12, 8))
    assert (late.campaign["today"], late.campaign["data_as_of"]) == (dt.date(2026, 12, 8), dt.date(2026, 6, 20))
    # a row typed a year ahead is out of the campaign (its own warning): it moves neither the data's date
    # nor the brief's default date
    sheet, cell = cell_of(example, "tbl_kpi_daily", "日期", dt.date(2026, 6, 20))
    typo = type_text(example, tmp_path / "year.xlsx", sheet, {cell: "2027-06-20"})
    result = import_workbook(typo, lang="en", today=dt.date(2026, 6, 20))
    assert any(i.code == "date-outside-campaign" and i.cell == cell for i in result.report.issues)
    assert result.campaign["data_as_of"] == dt.date(2026, 6, 19)
    brief = brief_for(typo)
    assert brief.date == brief.campaign.as_of == dt.date(2026, 6, 19) and not goals(brief)["registrations"].final


def test_figures_dated_before_the_start_count_once_not_in_the_daily_rate(tmp_path):
    rows = example_rows("kpi_daily")
    warmup = {**rows[0], "date": dt.date(2026, 5, 30)}
    path = variant(tmp_path / "pre.xlsx", tables={"kpi_daily": lambda r: [warmup] + r})
    brief = brief_for(path, date=dt.date(2026, 6, 5))
    g = goals(brief)["participants"]
    inside = sum(r["participants"] for r in rows if r["date"] <= dt.date(2026, 6, 5))
    assert g.to_date == inside + warmup["participants"] and g.days == 5
    assert g.run_rate == pytest.approx(inside / 5)
    assert g.projection == pytest.approx(warmup["participants"] + inside / 5 * DAYS)


def test_the_tools_own_outputs_get_no_brief_and_count_as_no_campaign(example, tmp_path):
    runner = CliRunner()
    imported, rolled = tmp_path / "tables.xlsx", tmp_path / "rollup.xlsx"
    assert runner.invoke(main, ["import", str(example), "-o", str(imported)]).exit_code == 0
    assert runner.invoke(main, ["rollup", str(example), "-o", str(rolled), "--today", "2026-06-20"]).exit_code in (0, 1)
    for path, reason in ((imported, "not_campaign.output"), (rolled, "not_campaign.rollup")):
        res = runner.invoke(main, ["brief", str(path), "--lang", "en"])
        assert res.exit_code == 2 and t(reason, "en") in res.output and "Traceback" not in res.output
        assert import_workbook(path, lang="en").not_campaign == reason.split(".")[1]


def test_after_the_end_the_budget_is_against_all_of_the_time(example):
    brief = brief_for(example, date=dt.date(2026, 7, 15))
    budget = example_rows("budget")
    spent = sum(r.get("actual") or 0 for r in budget) / sum(r.get("planned") or 0 for r in budget)
    assert brief.budget.time_share == 1.0 and brief.budget.burn_ratio == pytest.approx(spent)
