"""The daily brief of the worked example, held to figures computed here from the workbook's cells."""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets import build_workbook
from campaign_sheets.brief import brief_for, render
from campaign_sheets.brief import fmt
from campaign_sheets.brief.markdown import LIMIT, render_markdown
from campaign_sheets.cli import main
from campaign_sheets.i18n import t
from campaign_sheets.spec.loader import LoadedSpec, load_spec

DATE = dt.date(2026, 6, 20)


def table(path: Path, name: str) -> list[dict]:
    """An Excel table's rows by header text, read with openpyxl (not with our reader)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        if name in ws.tables:
            tb = ws.tables[name]
            rows = list(ws[tb.ref])[: len(list(ws[tb.ref])) - (tb.totalsRowCount or 0)]
            head = [c.value for c in rows[0]]
            return [dict(zip(head, [c.value for c in r])) for r in rows[1:] if any(c.value is not None for c in r)]
    raise KeyError(name)


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def example(request, tmp_path_factory):
    lang = request.param
    path = build_workbook("campaign", tmp_path_factory.mktemp("brief") / f"example-{lang}.xlsx", lang=lang, example=True)
    return lang, path


def labels(lang: str) -> dict[str, str]:
    zh = lang == "zh-CN"
    return {"date": "日期" if zh else "Date", "reg": "注册人数" if zh else "Registrations",
            "part": "参与人数" if zh else "Participants", "sales": "销售额" if zh else "Sales",
            "cost": "投放成本" if zh else "Cost", "planned": "预算金额" if zh else "Planned",
            "committed": "已承诺" if zh else "Committed", "actual": "实际支出" if zh else "Actual"}


def expected(path: Path, lang: str) -> dict:
    """Every figure of the brief at DATE from the workbook's own cells and the README's rules."""
    L = labels(lang)
    kpi = [r for r in table(path, "tbl_kpi_daily") if r[L["date"]] is not None]
    day = lambda r: r[L["date"]].date()   # noqa: E731
    upto = [r for r in kpi if day(r) <= DATE]
    defs = {r[next(iter(r))]: r for r in table(path, "tbl_kpi_defs")}
    start, end = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    days, gone = (end - start).days + 1, (DATE - start).days + 1
    out: dict = {"day": gone, "days": days}
    for key, label in (("registrations", L["reg"]), ("participants", L["part"]), ("sales", L["sales"])):
        total = sum(r[label] for r in upto)
        target = list(defs.values())[["participants", "registrations", "conversion", "sales"].index(key)][
            "目标值" if lang == "zh-CN" else "Target"]
        projection = total / gone * days
        out[key] = {"to_date": total, "target": target, "projection": projection,
                    "needed": (target - total) / (days - gone), "pace": projection / target}
    conv = sum(r[L["reg"]] for r in upto) / sum(r[L["part"]] for r in upto)
    out["conversion"] = {"to_date": conv, "pace": conv / 0.08}
    today = next(r for r in kpi if day(r) == DATE)
    yesterday = next(r for r in kpi if day(r) == DATE - dt.timedelta(days=1))
    week = [r for r in kpi if DATE - dt.timedelta(days=6) <= day(r) <= DATE]
    out["today"] = {"registrations": (today[L["reg"]], yesterday[L["reg"]], sum(r[L["reg"]] for r in week) / len(week)),
                    "conversion": (today[L["reg"]] / today[L["part"]], yesterday[L["reg"]] / yesterday[L["part"]],
                                   sum(r[L["reg"]] for r in week) / sum(r[L["part"]] for r in week))}
    sales, cost = sum(r[L["sales"]] for r in upto), sum(r[L["cost"]] for r in upto)
    out["roi"] = (sales - cost) / cost
    budget = table(path, "tbl_budget")
    out["budget"] = {"planned": sum(r[L["planned"]] or 0 for r in budget), "spent": sum(r[L["actual"]] or 0 for r in budget),
                     "committed": sum(r[L["committed"]] or 0 for r in budget),
                     "overruns": sorted((r[L["actual"]] or 0) - (r[L["planned"]] or 0) for r in budget
                                        if (r[L["actual"]] or 0) > (r[L["planned"]] or 0))}
    return out


def status(pace: float) -> str:
    return "on_track" if pace >= 1 else "at_risk" if pace >= 0.9 else "off_track"


def test_every_number_of_the_example_brief(example):
    lang, path = example
    exp = expected(path, lang)
    brief = brief_for(path, date=DATE, lang=lang)
    assert (brief.campaign.day, brief.campaign.days, brief.campaign.phase) == (exp["day"], exp["days"], "execution")
    assert brief.campaign.time_share == pytest.approx(20 / 30)
    goals = {g.kpi.key: g for g in brief.goals}
    assert set(goals) == {"participants", "registrations", "conversion", "sales"}
    for key in ("registrations", "participants", "sales"):
        g, e = goals[key], exp[key]
        assert g.to_date == e["to_date"] and g.target == e["target"]
        assert g.projection == pytest.approx(e["projection"]) and g.needed_per_day == pytest.approx(e["needed"])
        assert g.pace == pytest.approx(e["pace"]) and g.status == status(e["pace"])
        assert g.reached_share == pytest.approx(e["to_date"] / e["target"])
    conv = goals["conversion"]
    assert conv.to_date == pytest.approx(exp["conversion"]["to_date"]) and conv.projection is None
    assert conv.needed_per_day is None and conv.status == status(exp["conversion"]["pace"]) == "at_risk"
    today = {d.kpi.key: d for d in brief.today}
    for key, (value, previous, avg7) in exp["today"].items():
        d = today[key]
        assert (d.value, d.previous, d.avg7) == pytest.approx((value, previous, avg7))
    assert all(not d.escalate for d in brief.today)
    b = brief.budget
    assert (b.planned, b.spent, b.committed) == (exp["budget"]["planned"], exp["budget"]["spent"], exp["budget"]["committed"])
    assert b.burn_ratio == pytest.approx(exp["budget"]["spent"] / exp["budget"]["planned"] / (20 / 30))
    assert sorted(o.over for o in b.overruns) == exp["budget"]["overruns"]
    assert brief.midterm is not None and brief.midterm.point == dt.date(2026, 6, 15)
    assert len(brief.midterm.review) == 3
    # each adjustment with its due date and whether it is done (the review sheet's own status column)
    review = table(path, "tbl_midterm")
    L2 = ("调整措施", "完成时间", "进展") if lang == "zh-CN" else ("Adjustment", "Due", "Status")
    done = {"已完成", "Done"}
    expected_adj = [(r[L2[0]], r[L2[1]].date(),
                     "done" if r[L2[2]] in done else "overdue" if r[L2[1]].date() < DATE else "open") for r in review]
    assert [(a.text, a.due, a.status) for a in brief.midterm.adjustments] == expected_adj
    assert [a.status for a in brief.midterm.adjustments] == ["done", "done", "overdue"]


def test_the_markdown_says_those_numbers_in_the_workbooks_language(example):
    lang, path = example
    exp = expected(path, lang)
    md = render_markdown(brief_for(path, date=DATE))     # no --lang: the campaign's own language
    assert t("brief.title", lang) in md and t("brief.goals", lang) in md
    reg = exp["registrations"]
    for figure in (fmt.value(reg["to_date"], "integer"), fmt.value(reg["projection"], "integer"),
                   fmt.value(reg["needed"], "number"), fmt.share(reg["pace"]),
                   fmt.value(exp["sales"]["projection"], "money"), fmt.value(exp["sales"]["needed"], "money"),
                   fmt.value(exp["conversion"]["to_date"], "percent"),
                   fmt.value(exp["today"]["registrations"][0], "integer"),
                   fmt.value(exp["budget"]["spent"], "money"), fmt.value(exp["budget"]["overruns"][-1], "money")):
        assert figure in md, figure
    assert "T12" in md and t("brief.days_late", lang, days=2) in md   # blocked since 18 June
    assert len(md.encode("utf-8")) <= LIMIT


def test_json_is_the_same_content_with_stable_keys(example):
    lang, path = example
    data = json.loads(render(brief_for(path, date=DATE, lang=lang), "json"))
    assert data["schema"] == "campaign-sheets/brief/2" and data["date"] == "2026-06-20"
    assert list(data) == ["schema", "file", "lang", "date", "period", "campaign", "data_issues", "goals", "today", "week",
                          "execution", "budget", "risks", "midterm", "series", "currency"]
    assert list(data["goals"][0]) == ["kpi", "to_date", "target", "reached_share", "time_share", "run_rate", "projection",
                                      "needed_per_day", "pace", "status", "status_label", "days", "days_missing", "final"]
    assert data["series"]["dates"][-1] == "2026-06-20" and len(data["series"]["dates"]) == 20


def test_an_alert_two_days_running_is_flagged_for_escalation(example):
    lang, path = example
    brief = brief_for(path, date=dt.date(2026, 6, 8), lang=lang)
    conv = next(d for d in brief.today if d.kpi.key == "conversion")
    # 7 June 276/5750 and 8 June 262/5696 are both under the 5% alert line
    assert conv.status == "alert" and conv.streak == 2 and conv.escalate and conv.threshold == 0.05
    md = render_markdown(brief)
    assert t("brief.escalate", lang, label=conv.kpi.label, days=2) in md
    assert t("brief.line.alert", lang) in md
    assert brief.midterm is None                       # before 15 June


def test_week_compares_with_the_previous_week(example):
    lang, path = example
    brief = brief_for(path, date=DATE, lang=lang, period="week")
    L = labels(lang)
    kpi = table(path, "tbl_kpi_daily")
    in_span = lambda a, b: sum(r[L["reg"]] for r in kpi if r[L["date"]] and a <= r[L["date"]].date() <= b)  # noqa: E731
    reg = next(w for w in brief.week.kpis if w.kpi.key == "registrations")
    this, prev = in_span(dt.date(2026, 6, 14), DATE), in_span(dt.date(2026, 6, 7), dt.date(2026, 6, 13))
    assert (reg.this, reg.previous) == (this, prev) and reg.change_share == pytest.approx(this / prev - 1)
    assert t("brief.title_week", lang) in render_markdown(brief)


def troubled(tmp_path: Path) -> Path:
    """The example with 40 overdue tasks with long names, 20 high risks, 12 blockers and alerts every day."""
    loaded = load_spec("campaign")
    sheets = []
    for sheet in loaded.spec.sheets:
        tables = []
        for tb in sheet.tables:
            rows = list(tb.example)
            if tb.key == "tasks":
                rows = [{**rows[5], "task_id": f"T{i:02d}", "task": f"跨部门协调第{i}批渠道物料的设计、审批与投放上线" * 2,
                         "end": dt.date(2026, 6, 1) + dt.timedelta(days=i % 15), "status": "in_progress",
                         "predecessor": None} for i in range(1, 41)]
            if tb.key == "risks":
                rows = [{**rows[0], "risk_id": f"R{i:02d}", "description": f"第{i}项高风险：页面、库存与舆情的连锁问题" * 2}
                        for i in range(1, 21)]
            if tb.key == "kpi_daily":
                rows = [{**r, "registrations": 150, "conversion": 0.03} for r in rows]
            if tb.key == "daily_log":
                rows = [{**rows[0], "date": dt.date(2026, 6, 20), "blocker": f"卡点{i}：" + "等待审批" * 10,
                         "next_step": "明日跟进" * 10} for i in range(12)]
            tables.append(tb.model_copy(update={"example": rows}))
        sheets.append(sheet.model_copy(update={"tables": tables}))
    spec = LoadedSpec.of(loaded.spec.model_copy(update={"sheets": sheets}), loaded.path)
    return build_workbook(spec, tmp_path / "troubled.xlsx", lang="zh-CN", example=True)


def test_markdown_fits_4096_bytes_by_shrinking_the_least_urgent_sections(tmp_path):
    path = troubled(tmp_path)
    brief = brief_for(path, date=DATE)
    assert len(brief.execution.overdue) == 40 and len(brief.risks) == 20
    assert sum(d.status == "alert" for d in brief.today) >= 2 and any(d.escalate for d in brief.today)
    full = render_markdown(brief, limit=10**9)
    assert len(full.encode("utf-8")) > LIMIT          # the case is real
    md = render_markdown(brief, html="troubled.html")
    assert len(md.encode("utf-8")) <= LIMIT
    # goals and alerts stay; the least urgent parts became counts pointing at the HTML brief
    for g in brief.goals:
        assert g.kpi.label in md
    assert t("brief.escalate", "zh-CN", label="转化率", days=20) in md
    # the least urgent parts (review notes, adjustments) became counts; next steps shrank to a few lines
    assert md.count(t("brief.shrunk", "zh-CN", count=3, html="troubled.html")) == 2
    assert (t("brief.shrunk", "zh-CN", count=12, html="troubled.html") in md
            or any(t("brief.more", "zh-CN", count=12 - n, html="troubled.html") in md for n in range(1, 12)))
    assert "- " + t("brief.more", "zh-CN", count=17, html="troubled.html") in md   # risks: the first 3, then a pointer


def test_workbook_text_cannot_inject_markdown(tmp_path):
    brief = brief_for(build_workbook("campaign", tmp_path / "x.xlsx", lang="en", example=True), date=DATE)
    import dataclasses
    hostile = dataclasses.replace(brief, campaign=dataclasses.replace(brief.campaign, name="**[click](http://x)** # <b>"))
    first = render_markdown(hostile).splitlines()[0]
    assert "**[click]" not in first and "<b>" not in first and "\\[click\\]" in first


def test_cli_writes_one_brief_per_file_into_a_folder(tmp_path):
    a = build_workbook("campaign", tmp_path / "a.xlsx", lang="zh-CN", example=True)
    b = build_workbook("campaign", tmp_path / "b.xlsx", lang="en", example=True)
    result = CliRunner().invoke(main, ["brief", str(a), str(b), "-o", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["a-brief-2026-06-20.json", "b-brief-2026-06-20.json"]
    assert json.loads((tmp_path / "out" / files[1]).read_text(encoding="utf-8"))["lang"] == "en"


def test_cli_reports_an_unreadable_file_by_name_and_goes_on(tmp_path):
    good = build_workbook("campaign", tmp_path / "good.xlsx", lang="en", example=True)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("name,budget\nx,1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["brief", str(bad), str(good), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "Traceback" not in result.output
    assert (tmp_path / "out" / "good-brief-2026-06-20.md").exists()
    assert not any(p.name.startswith("bad") for p in (tmp_path / "out").iterdir())


def test_cli_needs_a_folder_for_several_files_and_a_real_date(tmp_path):
    result = CliRunner().invoke(main, ["brief", "a.xlsx", "b.xlsx", "--lang", "en"])
    assert result.exit_code == 2 and "several files need -o DIR" in result.output
    result = CliRunner().invoke(main, ["brief", "a.xlsx", "--date", "2026-13-01"])
    assert result.exit_code == 2 and "2026-13-01" in result.output


def test_nothing_is_read_from_the_cached_dashboard(tmp_path):
    """Figures come from the rows: a workbook whose dashboard cache says otherwise gives the same brief."""
    path = build_workbook("campaign", tmp_path / "x.xlsx", lang="en", example=True)
    before = brief_for(path, date=DATE).to_dict()
    wb = openpyxl.load_workbook(path)
    ws = wb["Dashboard"]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = 123456789
    wb.save(tmp_path / "y.xlsx")
    after = brief_for(tmp_path / "y.xlsx", date=DATE).to_dict()
    for key in ("goals", "today", "budget", "risks"):
        assert after[key] == before[key], key
    assert math.isclose(after["goals"][1]["to_date"], before["goals"][1]["to_date"])


@pytest.mark.parametrize("value,text", [(0.9996, "99.9%"), (0.72875, "72.9%"), (2 / 3, "66.7%"), (0.5, "50%"),
                                        (1.0, "100%"), (1.0949, "109%"), (0.0, "0%"), (None, "—")])
def test_shares_below_100_percent_never_read_100(value, text):
    assert fmt.share(value) == text


def test_the_readme_shows_the_example_brief_as_the_tool_writes_it():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    pasted = readme.split("```markdown\n", 1)[1].split("```", 1)[0]
    example = Path(__file__).resolve().parents[2] / "samples" / "campaign-example.xlsx"
    assert pasted == render_markdown(brief_for(example, date=DATE))


def test_two_inputs_with_one_name_get_two_briefs_and_a_file_output_is_refused(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        build_workbook("campaign", tmp_path / d / "plan.xlsx", lang="en" if d == "a" else "zh-CN", example=True)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["brief", str(tmp_path / "a" / "plan.xlsx"), str(tmp_path / "b" / "plan.xlsx"),
                                  "-o", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["plan-brief-2026-06-20-2.json", "plan-brief-2026-06-20.json"]
    assert {json.loads((out / n).read_text(encoding="utf-8"))["lang"] for n in names} == {"en", "zh-CN"}
    existing = tmp_path / "brief.md"
    existing.write_text("keep me", encoding="utf-8")
    r = CliRunner().invoke(main, ["brief", str(tmp_path / "a" / "plan.xlsx"), str(tmp_path / "b" / "plan.xlsx"),
                                  "-o", str(existing), "--lang", "en"])
    assert r.exit_code == 2 and "several files need -o DIR" in r.output and "Traceback" not in r.output
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_a_lower_is_better_goal_at_zero_is_on_track(tmp_path, monkeypatch):
    from campaign_sheets.brief.compute import make_brief
    from campaign_sheets.read.importer import import_workbook
    from campaign_sheets.series import KpiSeries, Thresholds

    result = import_workbook(build_workbook("campaign", tmp_path / "x.xlsx", lang="en", example=True), today=DATE)
    result.columns["kpi_daily"]["cost"] = [0.0 if v is not None else None for v in result.columns["kpi_daily"]["cost"]]
    assert all(g.kpi.key != "cost" for g in make_brief(result, DATE).goals)        # no target: not a goal
    real = KpiSeries.__init__

    def with_cap(self, *a, **kw):   # the team sets a spending cap of 100,000 in the KPI definitions
        real(self, *a, **kw)
        self.thresholds["cost"] = Thresholds(100000.0, None, None)
    monkeypatch.setattr(KpiSeries, "__init__", with_cap)
    cost = next(g for g in make_brief(result, DATE).goals if g.kpi.key == "cost")
    assert cost.to_date == 0 and cost.projection == 0 and cost.status == "on_track" and cost.needed_per_day is None
