"""Rollups: every file accounted for, totals equal independently computed sums, safe outputs."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from campaign_sheets.cli import main
from campaign_sheets import build_workbook
from tests.support.corpus import make_corpus, variant
from campaign_sheets.portfolio.merge import Merger
from campaign_sheets.portfolio.run import Options, collect, rollup
from campaign_sheets.spec.loader import load_spec

TODAY = dt.date(2026, 6, 20)
N = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, N, seed=100, broken=3)
    return folder


def expected_budget(seeds) -> tuple[float, float]:
    """Budget totals straight from the spec variants that were built (not from the importer)."""
    loaded = load_spec("campaign")
    planned = actual = 0.0
    for seed in seeds:
        rows = variant(loaded, seed).spec.table("budget").example
        planned += sum(r.get("planned") or 0 for r in rows)
        actual += sum(r.get("actual") or 0 for r in rows)
    return planned, actual


def test_every_file_ends_in_exactly_one_state(corpus):
    merger = rollup([str(corpus)], options=Options(today=TODAY), jobs=2)
    counts = merger.counts()
    assert counts["found"] == N + 3
    assert counts["clean"] + counts["warnings"] + counts["errors"] + counts["rejected"] == counts["found"]
    assert counts["rejected"] == 3
    files = merger.frames()["files"]
    assert sorted(files["file"]) == sorted(collect([str(corpus)]))
    assert set(files.loc[files["status"] == "rejected", "code"]) == {"file-empty", "not-xlsx-csv", "corrupt-zip"}


def test_totals_match_independent_sums(corpus):
    frames = rollup([str(corpus)], options=Options(today=TODAY), jobs=2).frames(["scenario"])
    planned, actual = expected_budget(range(100, 100 + N))
    c = frames["campaigns"]
    assert len(c) == N and sorted(c["campaign_id"]) == [f"C{i:05d}" for i in range(100, 100 + N)]
    assert c["budget_planned"].sum() == pytest.approx(planned)
    assert c["budget_actual"].sum() == pytest.approx(actual)
    assert frames["budget_by_category"]["planned"].sum() == pytest.approx(planned)
    assert frames["by_scenario"]["budget_planned"].sum() == pytest.approx(planned)
    assert frames["by_scenario"]["campaigns"].sum() == N
    loaded = load_spec("campaign")
    n_days = len(loaded.spec.table("kpi_daily").example)
    regs = frames["kpi_series"].query("kpi == 'registrations'")
    assert len(regs) == N * n_days
    assert set(frames["kpi_series"]["status"]) <= {"ok", "warning", "alert"}
    # overdue counts are the workbook's own task-overdue rule (judged at the end date once a campaign has
    # closed: unfinished at close), and slippage is set on exactly those tasks
    overdue_issues = (frames["issues"]["code"] == "task-overdue").sum()
    late = c["tasks_overdue"].fillna(0).sum() + c["tasks_unfinished_at_close"].fillna(0).sum()
    assert overdue_issues > 0 and late == overdue_issues
    t = frames["tasks"]   # a task due on the end date and open at close is late by 0 days, but flagged
    assert ((t["slippage_days"] > 0) | (t["unfinished_at_close"] == True)).sum() == overdue_issues  # noqa: E712


def test_parallel_and_serial_agree(corpus):
    a = rollup([str(corpus)], options=Options(today=TODAY), jobs=1).frames()
    b = rollup([str(corpus)], options=Options(today=TODAY), jobs=2).frames()
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key], obj=key)


def test_strict_and_date_filters(corpus, tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(corpus, folder)
    bad = folder / "campaign-00100.xlsx"
    wb = openpyxl.load_workbook(bad)
    wb["预算规划"]["C6"] = "lots"  # zh workbook (even seeds are zh-CN): a type error
    wb.save(bad)
    loose = rollup([str(folder)], options=Options(today=TODAY), jobs=2)
    strict = rollup([str(folder)], options=Options(today=TODAY), jobs=2, strict=True)
    assert loose.counts()["errors"] == 1 == strict.counts()["errors"]
    assert len(strict.frames()["campaigns"]) == len(loose.frames()["campaigns"]) - 1
    assert "C00100" in set(strict.frames()["files"]["campaign_id"])  # still listed
    c = loose.frames()["campaigns"]
    mid = sorted(c["start"])[len(c) // 2]
    since = rollup([str(folder)], options=Options(today=TODAY), jobs=2, since=mid).frames()["campaigns"]
    assert set(since["campaign_id"]) == set(c.loc[c["end"] >= mid, "campaign_id"])


def test_cache_reuses_unchanged_files_and_sees_changes(corpus, tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache"
    first = rollup([str(folder)], options=Options(today=TODAY, cache=str(cache)), jobs=2).frames()
    entries = list(cache.rglob("*.pickle"))
    assert len(entries) == N + 3
    target = folder / "campaign-00101.xlsx"
    wb = openpyxl.load_workbook(target)
    wb["Budget"]["C6"] = 1.0  # en workbook: planned of the first budget line
    wb.save(target)
    second = rollup([str(folder)], options=Options(today=TODAY, cache=str(cache)), jobs=2).frames()
    assert len(list(cache.rglob("*.pickle"))) == N + 4  # one new entry, the others reused
    row = lambda f: f["campaigns"].set_index("campaign_id").loc["C00101", "budget_planned"]
    assert row(second) == pytest.approx(row(first) - first["budget"].query("campaign_id == 'C00101'")["planned"].iloc[0] + 1)


def test_cli_rollup_outputs_and_exit_status(corpus, tmp_path):
    runner = CliRunner()
    out = tmp_path / "rollup.xlsx"
    res = runner.invoke(main, ["rollup", str(corpus), "-o", str(out), "--today", "2026-06-20", "--by", "lead", "-q",
                               "--lang", "en"])
    assert res.exit_code == 2, res.output  # three files were unreadable
    assert f"{N + 3} files found" in res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Dashboard" and {"Campaigns", "Files", "Issues", "By lead"} <= set(wb.sheetnames)
    assert wb["Campaigns"].max_row == N + 1
    good = tmp_path / "good"
    good.mkdir()
    for p in sorted(corpus.glob("campaign-*.xlsx"))[:2]:
        shutil.copy(p, good)
    res = runner.invoke(main, ["rollup", str(good / "*.xlsx"), "-o", str(tmp_path / "csv"), "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "csv" / "campaigns.csv").exists()
    target = next(good.iterdir())
    before = target.read_bytes()
    res = runner.invoke(main, ["rollup", str(good), "-o", str(target), "--lang", "en"])
    assert res.exit_code == 2 and str(target) in res.output   # never written onto a filled workbook
    assert target.read_bytes() == before


def test_injection_in_campaign_names_stays_text(tmp_path):
    loaded = load_spec("campaign")
    v = variant(loaded, 7)
    v.spec.sheets[0].form.example["name"] = '=HYPERLINK("http://x","y")'
    from campaign_sheets import build_workbook

    src = build_workbook(v, tmp_path / "in" / "inj.xlsx", lang="en", example=True)
    runner = CliRunner()
    out = tmp_path / "r.xlsx"
    runner.invoke(main, ["rollup", str(src.parent), "-o", str(out), "-q"])
    ws = openpyxl.load_workbook(out)["Campaigns"]   # one English campaign: an English rollup
    names = [c for c in ws[2] if c.value == '=HYPERLINK("http://x","y")']
    assert names and all(c.data_type == "s" for c in names)
    runner.invoke(main, ["rollup", str(src.parent), "-o", str(tmp_path / "csv"), "--format", "csv", "-q"])
    text = (tmp_path / "csv" / "campaigns.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text


def test_thousand_workbooks_roll_up_with_correct_totals(corpus, tmp_path):
    """1,000 files (copies of the corpus under new names, plus the broken ones) in one run."""
    folder = tmp_path / "k"
    folder.mkdir()
    goods = sorted(corpus.glob("campaign-*.xlsx"))
    copies = (1000 - 3) // len(goods) + 1
    n = 0
    for k in range(copies):
        for p in goods:
            if n < 997:
                shutil.copy(p, folder / f"{k:03d}-{p.name}")
                n += 1
    for p in corpus.glob("broken-*.xlsx"):
        shutil.copy(p, folder / p.name)
    summaries = []
    merger = rollup([str(folder)], options=Options(today=TODAY), jobs=2, all_versions=True, on_summary=summaries.append)
    counts = merger.counts()
    assert counts["found"] == 1000 and counts["rejected"] == 3
    frames = merger.frames()
    planned_each = {f"C{i:05d}": expected_budget([i])[0] for i in range(100, 100 + N)}
    expected = sum(planned_each[c] for c in frames["campaigns"]["campaign_id"])
    assert len(frames["campaigns"]) == 997   # --all-versions: every copy is kept
    assert frames["campaigns"]["budget_planned"].sum() == pytest.approx(expected)
    assert frames["budget_by_category"]["planned"].sum() == pytest.approx(expected)
    # by default the copies of one campaign are one campaign: N campaigns, each summed once
    one = Merger()
    for s in summaries:
        one.add(s)
    frames, counts = one.frames(), one.counts()
    assert len(frames["campaigns"]) == N and counts["superseded"] == 997 - N and counts["campaigns"] == N
    assert frames["campaigns"]["budget_planned"].sum() == pytest.approx(sum(planned_each.values()))


def test_parquet_and_json_outputs(corpus, tmp_path):
    pytest.importorskip("pyarrow")
    runner = CliRunner()
    res = runner.invoke(main, ["rollup", str(corpus), "-o", str(tmp_path / "pq"), "--format", "parquet", "-q",
                               "--today", "2026-06-20"])
    assert res.exit_code == 2  # the broken files
    campaigns = pd.read_parquet(tmp_path / "pq" / "campaigns.parquet")
    assert len(campaigns) == N and campaigns["budget_planned"].sum() == pytest.approx(expected_budget(range(100, 100 + N))[0])
    res = runner.invoke(main, ["rollup", str(corpus), "-o", str(tmp_path / "js"), "--format", "json", "-q"])
    import json

    data = json.loads((tmp_path / "js" / "files.json").read_text(encoding="utf-8"))
    assert data["counts"]["found"] == N + 3 and len(data["tables"]["files"]) == N + 3


def test_progress_bar_shows_done_rate_and_eta_only_when_enabled(capsys):
    from campaign_sheets.portfolio.run import Progress

    quiet = Progress(3, enabled=False)
    for _ in range(3):
        quiet.step()
    assert capsys.readouterr().err == ""
    bar = Progress(3, enabled=True)
    for _ in range(3):
        bar.step()
    err = capsys.readouterr().err
    assert "3/3" in err and "files/s" in err and "ETA" in err


def test_column_wise_tables_make_the_frames_rows_of_dicts_would(tmp_path):
    """Summaries travel column-wise; the merged frames are what rows of dicts give pandas: the
    same columns in the same order (a column only some templates have is None elsewhere), no
    columns from files without rows, the same dtypes, and empty tables as before."""
    from campaign_sheets.portfolio.merge import Merger
    from campaign_sheets.portfolio.summary import summarize

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "risk_plus.yaml").write_text(
        "extends: campaign\ntemplate: risk_plus\nversion: 1\nsheets:\n  - key: risks\n    tables:\n"
        "      - key: risks\n        columns:\n          - {key: escalation, label: {zh-CN: 上报, en: Escalation}, type: text}\n",
        encoding="utf-8")
    blank = tmp_path / "risk-plus-blank.xlsx"   # a column of its own, in a file without rows
    built = CliRunner().invoke(main, ["build", "--spec", "risk_plus", "--spec-dir", str(tmp_path / "specs"),
                                      "--lang", "en", "-o", str(blank)])
    assert built.exit_code == 0, built.output
    wb = openpyxl.load_workbook(blank)   # a campaign code, else a blank template is no campaign workbook
    wb.worksheets[0]["B6"] = "RISK-PLUS-1"
    wb.save(blank)
    files = [root / "samples" / "campaign.xlsx", blank, root / "samples" / "campaign-example-en.xlsx",
             *sorted((root / "samples" / "scenarios").glob("*.xlsx"))[:2]]
    today = dt.date(2026, 6, 20)
    summaries = [summarize(str(p), today=today, spec_dir=[str(tmp_path / "specs")]) for p in files]
    assert "escalation" in summaries[1].tables["risks"] and not summaries[1].tables["risks"]["escalation"]
    for chosen in ([summaries[0]], summaries[:3], summaries):
        merger = Merger()
        for s in chosen:
            merger.add(s)
        frames = merger.frames(lang="en")   # the summaries' labels are in English too
        for key in ("budget", "kpi_series", "risks", "tasks", "channels", "issues"):
            rows = [dict(zip(s.tables[key], values)) for s in chosen if key in s.tables
                    for values in zip(*s.tables[key].values())]
            fixed = list(frames[key].columns) if key not in ("risks", "tasks") else None
            want = pd.DataFrame(rows, columns=fixed) if fixed else pd.DataFrame(rows)
            if key in frames and len(want) and "campaign_id" in want:
                want = want.sort_values(["campaign_id"] + (["file"] if key == "issues" else []), kind="mergesort",
                                        ignore_index=True, na_position="first")
            pd.testing.assert_frame_equal(frames[key], want, check_index_type=False)
    assert frames["risks"].shape[0] > 0 and summaries[0].status == "not_campaign" and "risks" not in summaries[0].tables


def test_a_spec_that_renames_the_budget_table_rolls_up_with_a_warning_naming_it(tmp_path):
    """Rollup roles come from the spec: when the table a role names is gone (here `budget`, renamed
    `costs`), the rollup says which key to fix, and the budget figures are absent, not zero."""
    base = (Path(__file__).resolve().parents[1] / "specs" / "mini.yaml").read_text(encoding="utf-8")
    renamed = base.replace("template: mini", "template: mini_costs").replace("      - key: budget\n", "      - key: costs\n")
    renamed = renamed.replace("[budget.", "[costs.")   # the spec's own formulas follow the new name
    assert "key: costs" in renamed
    roles = ("rollup:\n  budget: {table: budget, category: item, planned: planned, actual: actual}\n"
             "  tasks: {table: tasks, status: status, end: end, done: done, overdue: task-overdue}\n")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "mini_costs.yaml").write_text(renamed.replace("people: roster.name\n", "people: roster.name\n" + roles),
                                           encoding="utf-8")
    from campaign_sheets.spec.loader import load_spec

    problems = load_spec("mini_costs", spec_dir=[str(specs)]).index.role_problems
    assert [(p.role, p.key, p.value) for p in problems if p.role == "budget"] == [("budget", "rollup.budget.table", "budget")]
    book = build_workbook("mini_costs", tmp_path / "in" / "a.xlsx", lang="en", example=True, spec_dir=[str(specs)])
    out = tmp_path / "rollup.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(book.parent), "-o", str(out), "--spec-dir", str(specs), "-q",
                                    "--lang", "en"])
    assert res.exit_code in (0, 1), res.output
    assert "rollup.budget.table names 'budget'" in res.output and "mini_costs" in res.output
    frames = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert "Budget planned" not in frames["Campaigns"].columns and "Tasks" in frames["Campaigns"].columns
    assert frames["Budget lines"].empty
    notes = frames["Notes"]
    assert any("rollup.budget.table" in m for m in notes["Message"]) and set(notes["Template"]) == {"mini_costs"}
    res_zh = CliRunner().invoke(main, ["rollup", str(book.parent), "-o", str(tmp_path / "r2.xlsx"), "--spec-dir",
                                       str(specs), "-q", "--lang", "zh-CN"])
    assert "rollup.budget.table 指向不存在的“budget”" in res_zh.output


def test_a_spec_without_roles_still_groups_and_its_dashboard_leaves_the_figures_out(tmp_path):
    """--by over campaigns whose spec declares no roles gives tables of what they have, and the
    rollup dashboard shows no budget figure at all rather than 0."""
    base = (Path(__file__).resolve().parents[1] / "specs" / "mini.yaml").read_text(encoding="utf-8")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "mini.yaml").write_text(base, encoding="utf-8")
    build_workbook("mini", tmp_path / "in" / "a.xlsx", lang="en", example=True, spec_dir=[str(specs)])
    out = tmp_path / "rollup.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(tmp_path / "in"), "-o", str(out), "--spec-dir", str(specs), "-q",
                                    "--lang", "en", "--by", "scenario", "--by", "lead", "--by", "month", "--by", "channel"])
    assert res.exit_code in (0, 1), res.output
    frames = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert list(frames["By scenario"].columns) == ["Scenario", "Campaigns", "Alerts"]   # no budget figures
    assert list(frames["By month"].columns) == ["Month", "Campaigns", "Alerts"]
    labels = list(frames["Dashboard"].iloc[:, 0].dropna())
    assert "Budget planned" not in labels and "Files found" in labels


def test_open_risks_count_as_low_only_once_scored(tmp_path):
    """The risks role's score column: an open risk without a score is listed, but not counted low."""
    from campaign_sheets.portfolio.summary import summarize

    loaded = load_spec("campaign")
    risks = loaded.spec.table("risks").example
    first = dict(risks[0])
    first.pop("likelihood", None)
    first.pop("impact", None)
    first["status"] = "open"
    sheets = [s.model_copy(update={"tables": [t.model_copy(update={"example": [first, *risks[1:]]}) if t.key == "risks" else t
                                              for t in s.tables]}) for s in loaded.spec.sheets]
    from campaign_sheets.spec.loader import LoadedSpec

    variant_spec = LoadedSpec.of(loaded.spec.model_copy(update={"sheets": sheets}), loaded.path)
    path = build_workbook(variant_spec, tmp_path / "r.xlsx", example=True)
    s = summarize(str(path), today=dt.date(2026, 6, 20))
    levels = dict(zip(s.tables["risks"]["risk_id"], s.tables["risks"]["level"]))
    assert levels[first["risk_id"]] == "low"
    scored_low = sum(1 for r in risks[1:] if r.get("status") != "closed"
                     and r["likelihood"] * r["impact"] < 8)
    assert s.campaign["risks_open_low"] == scored_low


# ------------------------------------------------------------------------------ the reader's language

def _book(path) -> dict[str, list[tuple]]:
    """Every sheet of a workbook as rows of values (header first)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    return out


def _column(sheet: list[tuple], header: str) -> list:
    i = sheet[0].index(header)
    return [r[i] for r in sheet[1:] if any(v is not None for v in r)]


def _chart_xml(path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart"))


@pytest.fixture(scope="module")
def zh_corpus(tmp_path_factory):
    """Three Chinese campaigns (one with an error) and an unreadable file."""
    folder = tmp_path_factory.mktemp("zh")
    make_corpus(folder, 3, seed=200, broken=1, langs=("zh-CN",))
    wb = openpyxl.load_workbook(folder / "campaign-00200.xlsx")
    wb["预算规划"]["C6"] = "lots"   # a type error: the file's status is errors
    wb.save(folder / "campaign-00200.xlsx")
    return folder


def test_rollup_workbook_of_chinese_campaigns_is_in_chinese_and_in_english_with_lang_en(zh_corpus, tmp_path, monkeypatch):
    """No --lang: the campaigns' language (here Chinese, though the environment says English, which
    the CLI's own lines follow); --lang en: English. Sheet names, headers, every key shown as its
    label, chart legends, and the text conditions of the colour alerts."""
    monkeypatch.setenv("CAMPAIGN_SHEETS_LANG", "en")
    spec = load_spec("campaign").spec
    scenario_keys = {i.key for i in spec.lists["scenarios"]}
    category_keys = {i.key for i in spec.lists["budget_categories"]}
    out = tmp_path / "zh.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(zh_corpus), "-o", str(out), "--today", "2026-06-20", "-q",
                                    "--by", "scenario"])
    assert res.exit_code == 2 and "Rolled up" in res.output, res.output   # the CLI speaks the environment's language
    book = _book(out)
    assert list(book)[:2] == ["概览", "活动"]
    assert {"预算明细", "预算按科目", "KPI明细", "风险", "任务", "渠道", "问题", "文件", "汇总说明", "按场景"} <= set(book)
    c = book["活动"]
    assert {"活动编号", "活动名称", "活动场景", "场景名称", "阶段", "预算", "预算使用率", "目标达成率", "文件状态",
            "参与人数 · 最新值", "参与人数 · 目标", "参与人数 · 达成率"} <= set(c[0])
    assert not {h for h in c[0] if h.startswith("kpi_") or h in ("campaign_id", "budget_planned", "status")}
    scenarios = _column(c, "活动场景")
    assert len(scenarios) == 3 and set(scenarios) <= {spec.list_label("scenarios", k, "zh-CN") for k in scenario_keys}
    assert _column(c, "场景名称") == scenarios
    assert set(_column(c, "阶段")) <= {"筹备中", "进行中", "已结束"}
    assert set(_column(c, "文件状态")) <= {"无问题", "有警告", "有错误"} and "有错误" in _column(c, "文件状态")
    b = book["预算明细"]
    assert b[0] == ("活动编号", "预算科目", "科目名称", "预算", "实际支出")
    assert set(_column(b, "预算科目")) <= {spec.list_label("budget_categories", k, "zh-CN") for k in category_keys}
    assert "人力成本" in _column(book["预算按科目"], "科目名称")
    assert set(_column(book["风险"], "风险等级")) <= {"高", "中", "低"} and "高" in _column(book["风险"], "风险等级")
    assert set(_column(book["风险"], "状态")) <= {"未关闭", "监控中", "已关闭"}
    tasks = book["任务"]
    assert {"任务编号", "任务名称", "所属小组", "状态", "逾期天数"} <= set(tasks[0])
    assert set(_column(tasks, "状态")) <= {"未开始", "进行中", "已完成", "受阻", "已取消"}
    kpis = book["KPI明细"]
    assert set(_column(kpis, "指标")) == {"参与人数", "注册人数", "转化率", "销售额", "投放成本", "ROI"}
    assert set(_column(kpis, "KPI状态")) <= {"正常", "关注", "预警"}
    assert set(_column(book["文件"], "状态")) == {"有警告", "有错误", "无法读取"}
    assert set(_column(book["问题"], "级别")) <= {"错误", "警告", "预警", "提示"}
    assert set(_column(book["按场景"], "活动场景")) <= {spec.list_label("scenarios", k, "zh-CN") for k in scenario_keys}
    shown = {v for rows in book.values() for r in rows for v in r if isinstance(v, str)}
    assert not shown & (scenario_keys | category_keys | {"planning", "running", "closed", "warnings", "errors", "high"})
    charts = _chart_xml(out)
    assert "<c:v>预算</c:v>" in charts and "<c:v>实际支出</c:v>" in charts and "<c:v>目标达成率</c:v>" in charts
    assert ">planned<" not in charts and ">attainment<" not in charts and "各科目预算与实际" in charts
    rules = openpyxl.load_workbook(out)["文件"].conditional_formatting
    assert {f for cf in rules for rule in cf.rules for f in rule.formula} >= {'"有错误"', '"无法读取"', '"有警告"'}

    out_en = tmp_path / "en.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(zh_corpus), "-o", str(out_en), "--today", "2026-06-20", "-q",
                                    "--lang", "en"])
    assert res.exit_code == 2, res.output   # the unreadable file
    book = _book(out_en)
    assert list(book)[:2] == ["Dashboard", "Campaigns"] and {"Budget lines", "Risks", "Tasks", "Files"} <= set(book)
    c = book["Campaigns"]
    assert {"Campaign ID", "Scenario", "Phase", "File status", "Participants · latest", "Goal attainment"} <= set(c[0])
    assert set(_column(c, "Scenario")) <= {spec.list_label("scenarios", k, "en") for k in scenario_keys}
    assert set(_column(c, "Phase")) <= {"Planning", "Running", "Closed"}
    assert set(_column(book["Risks"], "Risk level")) <= {"High", "Medium", "Low"}
    assert set(_column(book["Tasks"], "Status")) <= {"Not started", "In progress", "Done", "Blocked", "Cancelled"}
    assert "Labour" in _column(book["Budget lines"], "Category")
    charts = _chart_xml(out_en)
    assert "<c:v>Planned</c:v>" in charts and "<c:v>Actual</c:v>" in charts and "Budget by category" in charts
    rules = openpyxl.load_workbook(out_en)["Files"].conditional_formatting
    assert '"With errors"' in {f for cf in rules for rule in cf.rules for f in rule.formula}


def test_rollup_language_is_the_majority_of_the_campaigns_else_the_cli_language(tmp_path, monkeypatch):
    """Two Chinese campaigns and one English: Chinese, whatever the environment; one of each (a
    tie): the CLI's language."""
    monkeypatch.setenv("CAMPAIGN_SHEETS_LANG", "en")
    folder = tmp_path / "mix"
    make_corpus(folder, 3, seed=300)   # zh, en, zh
    out = tmp_path / "mix.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "--today", "2026-06-20", "-q"])
    assert res.exit_code == 0, res.output
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:2] == ["概览", "活动"]
    (folder / "campaign-00302.xlsx").unlink()
    res = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "--today", "2026-06-20", "-q"])
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:2] == ["Dashboard", "Campaigns"]
    monkeypatch.setenv("CAMPAIGN_SHEETS_LANG", "zh-CN")
    res = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "--today", "2026-06-20", "-q"])
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:2] == ["概览", "活动"]
    merger = rollup([str(folder)], options=Options(today=TODAY), jobs=1)
    assert merger.language("en") == "en" and merger.language() == "zh-CN"   # the API: explicit, else the same rule


def test_a_custom_specs_own_channel_and_kpi_show_with_their_labels(tmp_path):
    """A channel and a KPI a child spec adds are labelled from that spec in the rollup."""
    spec = Path(__file__).resolve().parents[1] / "specs" / "wecom_team.yaml"
    build_workbook(str(spec), tmp_path / "in" / "wecom.xlsx", lang="zh-CN", example=True)
    build_workbook("campaign", tmp_path / "in" / "base.xlsx", lang="zh-CN", example=True)
    words = {"zh-CN": ("企业微信", "企微留资", "企微留资 · 最新值", "渠道", "KPI明细", "指标", "活动", "按渠道"),
             "en": ("WeCom", "WeCom leads", "WeCom leads · latest", "Channel", "KPI series", "KPI", "Campaigns",
                    "By channel")}
    for lang, (channel, kpi, header, channel_col, kpi_sheet, kpi_col, campaigns, by_channel) in words.items():
        out = tmp_path / f"r-{lang}.xlsx"
        res = CliRunner().invoke(main, ["rollup", str(tmp_path / "in"), "-o", str(out), "--today", "2026-06-20", "-q",
                                        "--lang", lang, "--by", "channel", "--all-versions"])   # one campaign code
        assert res.exit_code in (0, 1), res.output
        book = _book(out)
        assert channel in _column(book["渠道" if lang == "zh-CN" else "Channels"], channel_col)
        assert channel in _column(book[kpi_sheet], channel_col) and kpi in _column(book[kpi_sheet], kpi_col)
        assert header in book[campaigns][0]
        assert channel in _column(book[by_channel], channel_col)
        assert "wecom" not in {v for rows in book.values() for r in rows for v in r}


def test_every_sheet_of_the_rollup_workbook_is_set_up_to_print(zh_corpus, tmp_path):
    """Landscape A4, one page wide, the header row on every page, no gridlines on the dashboard,
    columns wide enough for their Chinese text (a CJK character is about two columns)."""
    out = tmp_path / "r.xlsx"
    CliRunner().invoke(main, ["rollup", str(zh_corpus), "-o", str(out), "--today", "2026-06-20", "-q", "--by", "lead"])
    wb = openpyxl.load_workbook(out)
    assert len(wb.worksheets) == 13   # the dashboard, ten tables, by_lead and the hidden _meta (kind rollup)
    assert wb["_meta"].sheet_state == "hidden"
    for ws in [ws for ws in wb.worksheets if ws.sheet_state == "visible"]:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title   # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title   # absent means 1 (ECMA-376)
        assert ws.print_title_rows == "$1:$1", ws.title
    assert all(ws.page_setup.fitToHeight == 0 for ws in wb.worksheets[1:-1])   # any number of pages tall
    assert wb.worksheets[0].sheet_view.showGridLines is False
    from campaign_sheets.text import display_width

    ws = wb["活动"]
    widths = {}
    for dim in ws.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            widths[col] = dim.width
    header = [c.value for c in ws[1]]
    name_col = header.index("活动名称") + 1
    longest = max(display_width(ws.cell(r, name_col).value) for r in range(2, ws.max_row + 1))
    assert longest > 2 * len("老带新") and widths[name_col] >= longest   # names are not cut
    for i, h in enumerate(header, 1):
        assert widths[i] * 3 >= display_width(h), h   # a header fits on three lines


def test_csv_keeps_keys_and_column_names_with_labels_in_the_rollups_language(zh_corpus, tmp_path):
    for lang, labour in ((None, "人力成本"), ("en", "Labour")):
        folder = tmp_path / f"csv-{lang}"
        args = ["rollup", str(zh_corpus), "-o", str(folder), "--format", "csv", "--today", "2026-06-20", "-q"]
        res = CliRunner().invoke(main, args + (["--lang", lang] if lang else []))
        assert res.exit_code == 2, res.output   # the unreadable file
        campaigns = pd.read_csv(folder / "campaigns.csv", encoding="utf-8-sig")
        assert {"campaign_id", "scenario", "scenario_label", "phase", "status", "kpi_participants_latest"} <= set(campaigns)
        spec = load_spec("campaign").spec
        assert set(campaigns["scenario"]) <= {i.key for i in spec.lists["scenarios"]}
        assert list(campaigns["scenario_label"]) == [spec.list_label("scenarios", k, lang or "zh-CN")
                                                     for k in campaigns["scenario"]]
        assert set(campaigns["phase"]) <= {"planning", "running", "closed"}
        assert set(campaigns["status"]) <= {"clean", "warnings", "errors"}
        budget = pd.read_csv(folder / "budget.csv", encoding="utf-8-sig")
        assert list(budget.columns) == ["campaign_id", "category", "category_label", "planned", "actual"]
        assert "labour" in set(budget["category"]) and labour in set(budget["category_label"])
        by_category = pd.read_csv(folder / "budget_by_category.csv", encoding="utf-8-sig")
        assert labour in set(by_category["category_label"])
        risks = pd.read_csv(folder / "risks.csv", encoding="utf-8-sig")
        assert set(risks["level"]) <= {"high", "medium", "low"} and "risk_id" in risks


def test_summaries_carry_small_language_neutral_labels(tmp_path):
    """A summary holds keys, and the labels of the keys it holds in its spec's languages; the
    labels that depend on the spec alone are shared, so a batch pickles them once."""
    import pickle

    from campaign_sheets.portfolio.summary import summarize

    root = Path(__file__).resolve().parents[2]
    a = summarize(str(root / "samples" / "campaign-example-en.xlsx"), today=TODAY)
    b = summarize(str(root / "samples" / "campaign-example.xlsx"), today=TODAY)
    assert a.labels["scenario"] == {"user_growth": {"zh-CN": "用户增长运营", "en": "User growth"}}
    assert set(a.labels["category"]) == set(a.tables["budget"]["category"])
    assert a.labels["header.tasks"]["status"] == {"zh-CN": "状态", "en": "Status"}
    assert a.labels["kpi"] is b.labels["kpi"] and a.labels["header.risks"] is b.labels["header.risks"]
    assert len(pickle.dumps(a.labels)) < 4000
    assert len(pickle.dumps([a, b])) < len(pickle.dumps(a)) + len(pickle.dumps(b)) - 1500
