"""Importing filled workbooks: what people really type, and a report that names every cell."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from xlsxwriter.utility import xl_rowcol_to_cell

from campaign_sheets import build_workbook
from campaign_sheets.build.layout import plan_layout
from campaign_sheets.cli import main
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.spec.loader import load_spec

TODAY = dt.date(2026, 6, 20)


@pytest.fixture(scope="module")
def loaded():
    return load_spec("campaign")


@pytest.fixture(scope="module")
def example(tmp_path_factory, loaded):
    return build_workbook(loaded, tmp_path_factory.mktemp("ex") / "example.xlsx", example=True)


@pytest.fixture(scope="module")
def layout(loaded):
    return plan_layout(loaded, "zh-CN", example=True)


def cell(layout, table: str, key: str, index: int) -> tuple[str, str]:
    tp = layout.tables[table]
    return tp.sheet, xl_rowcol_to_cell(tp.first_row + index, tp.col(key))


def edited(src: Path, tmp_path: Path, edits: dict[tuple[str, str], object], name: str = "edited.xlsx") -> Path:
    """A copy of `src` with cells changed the way a person would (openpyxl re-save)."""
    wb = openpyxl.load_workbook(src)
    for (sheet, ref), value in edits.items():
        c = wb[sheet][ref]
        c.value = value
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"  # typed text, not a formula
    out = tmp_path / name
    wb.save(out)
    return out


def codes_at(result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for i in result.report.issues:
        out.setdefault(f"{i.sheet}!{i.cell}", set()).add(i.code)
    return out


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_example_imports_with_zero_errors_and_typed_tables(tmp_path, loaded, lang):
    path = build_workbook(loaded, tmp_path / f"ex-{lang}.xlsx", lang=lang, example=True)
    result = import_workbook(path, today=TODAY)
    assert result.report.counts()["error"] == 0, [i.message for i in result.report.issues if i.severity == "error"]
    assert result.meta["template"] == "campaign" and result.meta["locale"] == lang
    spec = loaded.spec
    for table in spec.tables():
        if table.example:
            assert len(result.tables[table.key]) == len(table.example), table.key
    budget = result.tables["budget"]
    assert budget["planned"].sum() == sum(r.get("planned", 0) for r in spec.table("budget").example)
    assert list(budget["category"])[:2] == ["labour", "materials"]  # choices come back as keys
    filled = budget["actual"].notna()
    assert (budget["variance"][filled] == (budget["actual"] - budget["planned"])[filled]).all()
    assert budget["variance"][~filled].isna().all()  # blank inputs, blank result
    tasks = result.tables["tasks"]
    assert str(tasks["start"].dtype).startswith("datetime64")
    assert tasks["start"].iloc[0].date() == spec.table("tasks").example[0]["start"]
    assert (result.tables["tasks"]["campaign_id"] == result.meta["campaign_id"]).all()
    # the example shows what the alerts look like: the same rules the colours use
    codes = {i.code for i in result.report.issues}
    assert {"kpi-alert", "budget-overrun", "risk-high"} <= codes


def test_messy_but_readable_values_are_accepted(tmp_path, example, layout):
    edits = {
        cell(layout, "budget", "planned", 0): "¥45,000",
        cell(layout, "budget", "actual", 1): "4.65万",
        cell(layout, "tasks", "end", 0): "2026年5月19日",
        cell(layout, "tasks", "start", 1): "2026/5/18",
        cell(layout, "kpi_daily", "conversion", 0): "８.５％",
        cell(layout, "tasks", "task", 2): "\u3000制定活动方案与激励规则\u200b ",
        cell(layout, "budget", "category", 2): "Channel spend",  # English label in a Chinese workbook
    }
    result = import_workbook(edited(example, tmp_path, edits), today=TODAY)
    errors = [i for i in result.report.issues if i.severity == "error"]
    assert errors == []
    b, t, k = result.tables["budget"], result.tables["tasks"], result.tables["kpi_daily"]
    assert b["planned"].iloc[0] == 45000 and b["actual"].iloc[1] == 46500
    assert b["category"].iloc[2] == "channel"
    assert t["end"].iloc[0].date() == dt.date(2026, 5, 19) and t["start"].iloc[1].date() == dt.date(2026, 5, 18)
    assert k["conversion"].iloc[0] == pytest.approx(0.085)
    assert t["task"].iloc[2] == "制定活动方案与激励规则"
    # variance is recomputed from the inputs, not read from the file
    assert b["variance"].iloc[0] == b["actual"].iloc[0] - 45000
    # numbers and dates typed as text read fine, but the workbook's own formulas cannot use them
    stored = {(i.sheet, i.cell): i for i in result.report.issues if i.code == "stored-as-text"}
    assert set(stored) == {cell(layout, t_, k, n) for t_, k, n in
                           [("budget", "planned", 0), ("budget", "actual", 1), ("tasks", "end", 0), ("tasks", "start", 1),
                            ("kpi_daily", "conversion", 0)]}
    assert stored[cell(layout, "budget", "planned", 0)].hint.endswith("¥45,000）") or \
        "¥45,000" in stored[cell(layout, "budget", "planned", 0)].hint


def test_bad_values_are_reported_at_their_cells(tmp_path, example, layout):
    money = cell(layout, "budget", "planned", 2)
    choice = cell(layout, "tasks", "status", 0)
    date = cell(layout, "tasks", "start", 3)
    rng = cell(layout, "risks", "likelihood", 0)
    dup = cell(layout, "tasks", "task_id", 1)
    ref = cell(layout, "daily_log", "task", 0)
    req = cell(layout, "budget", "category", 1)
    edits = {money: "about 5k", choice: "已完城", date: "next monday", rng: 9, dup: "T01", ref: "T99", req: None}
    result = import_workbook(edited(example, tmp_path, edits), today=TODAY)
    at = codes_at(result)
    assert "type-error" in at[f"{money[0]}!{money[1]}"]
    assert "not-in-choices" in at[f"{choice[0]}!{choice[1]}"]
    assert "type-error" in at[f"{date[0]}!{date[1]}"]
    assert "out-of-range" in at[f"{rng[0]}!{rng[1]}"]
    assert "duplicate-key" in at[f"{dup[0]}!{dup[1]}"]
    assert "unknown-reference" in at[f"{ref[0]}!{ref[1]}"]
    assert "missing-value" in at[f"{req[0]}!{req[1]}"]
    issue = next(i for i in result.report.issues if i.code == "not-in-choices")
    assert issue.value == "已完城" and "已完成" in issue.hint and issue.file.endswith("edited.xlsx")
    assert not result.valid


def test_raci_cycles_and_overrides(tmp_path, example, layout):
    raci_a = cell(layout, "raci", "role_planning", 0)       # T01 gets a second A
    pred = cell(layout, "tasks", "predecessor", 1)          # T02 <- T03 <- T02: a cycle
    overwritten = cell(layout, "budget", "variance", 0)     # a formula typed over
    edits = {raci_a: "A", pred: "T03", overwritten: 999}
    result = import_workbook(edited(example, tmp_path, edits), today=TODAY)
    codes = {i.code for i in result.report.issues}
    assert {"raci-accountable", "dependency-cycle", "formula-overwritten"} <= codes
    over = next(i for i in result.report.issues if i.code == "formula-overwritten")
    assert f"{over.sheet}!{over.cell}" == f"{overwritten[0]}!{overwritten[1]}"
    assert result.tables["budget"]["variance"].iloc[0] == -15000  # the computed value is used


def test_columns_found_by_header_reordered_extra_and_missing(tmp_path, example, layout):
    tp = layout.tables["budget"]
    wb = openpyxl.load_workbook(example)
    ws = wb[tp.sheet]
    a, b = tp.col("planned") + 1, tp.col("actual") + 1
    for r in range(tp.header_row + 1, tp.last_row + 2):  # swap two columns, header included
        x, y = ws.cell(r, a), ws.cell(r, b)
        x.value, y.value = y.value, x.value
    ws.cell(tp.header_row + 1, tp.col("item") + 1).value = "明细说明"  # renamed: unknown + missing
    out = tmp_path / "cols.xlsx"
    wb.save(out)
    result = import_workbook(out, today=TODAY)
    budget = result.tables["budget"]
    assert budget["planned"].iloc[0] == 45000 and budget["actual"].iloc[0] == 30000
    codes = [i.code for i in result.report.issues if i.sheet == tp.sheet]
    assert codes.count("header-unknown") == 1 and codes.count("header-missing") == 1
    assert "extra:明细说明" in budget.columns
    # a missing required column is one error, not one per row
    ws.cell(tp.header_row + 1, tp.col("category") + 1).value = None
    wb.save(out)
    result = import_workbook(out, today=TODAY)
    missing = [i for i in result.report.issues if i.code == "header-missing" and i.severity == "error"]
    assert len(missing) == 1


def test_tables_moved_since_the_build_are_still_found(tmp_path, example, layout):
    """_meta records where each header was built; rows inserted above a table make that stale."""
    before = import_workbook(example, today=TODAY)
    for key in ("audience", "resources"):   # the 2nd and 3rd tables of one sheet
        tp = layout.tables[key]
        wb = openpyxl.load_workbook(example)
        wb[tp.sheet].insert_rows(tp.header_row - 1, 3)     # three rows above the table's title
        out = tmp_path / f"moved-{key}.xlsx"
        wb.save(out)
        after = import_workbook(out, today=TODAY)
        for table in ("competitors", "audience", "resources"):
            old, new = before.tables[table], after.tables[table]
            assert len(new) == len(old) > 0, table
            cols = [c for c in old.columns if c not in ("row", "source_file") and not c.startswith("extra:")]
            assert new[cols].equals(old[cols]), table
        assert not [i for i in after.report.issues if i.code in ("table-missing", "header-missing")]


def test_blank_rows_inside_a_table_are_counted(tmp_path, example, layout):
    tp = layout.tables["budget"]
    wb = openpyxl.load_workbook(example)
    ws = wb[tp.sheet]
    ws.move_range(f"A{tp.first_row + 3}:J{tp.first_row + 8}", rows=2)  # two blank rows after row 2
    out = tmp_path / "blank.xlsx"
    wb.save(out)
    result = import_workbook(out, today=TODAY)
    assert len(result.tables["budget"]) == 7
    blank = [i for i in result.report.issues if i.code == "blank-rows"]
    assert len(blank) == 1 and blank[0].value == 2
    assert result.stats["blank_rows"] == 2


def test_workbook_without_meta_is_recognised_by_headers(tmp_path, example):
    wb = openpyxl.load_workbook(example)
    del wb["_meta"]
    out = tmp_path / "nometa.xlsx"
    wb.save(out)
    result = import_workbook(out, today=TODAY)
    assert result.meta["template"] == "campaign"
    assert any(i.code == "meta-missing" for i in result.report.issues)
    assert len(result.tables["tasks"]) == 14


def test_openpyxl_made_file_gets_one_note_for_its_uncalculated_formulas(tmp_path, example):
    wb = openpyxl.load_workbook(example)
    out = tmp_path / "resaved.xlsx"
    wb.save(out)  # openpyxl keeps formulas but drops their cached results
    result = import_workbook(out, today=TODAY)
    [note] = [i for i in result.report.issues if i.code == "formulas-recomputed"]
    assert note.severity == "info" and note.cell is None and note.expected == "openpyxl"
    assert result.report.counts()["error"] == 0


def test_cli_validate_exit_codes_and_json(tmp_path, example, layout):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(example), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    entry = data["files"][0]
    assert set(entry) >= {"path", "template", "version", "locale", "valid", "counts", "issues"}
    assert set(entry["issues"][0]) >= {"severity", "code", "sheet", "cell", "row", "column", "value", "expected", "message", "hint"}
    bad = edited(example, tmp_path, {cell(layout, "tasks", "status", 0): "已完城"})
    res = runner.invoke(main, ["validate", str(bad), "--lang", "en"])
    assert res.exit_code == 1 and "not-in-choices" in res.output and "Traceback" not in res.output
    junk = tmp_path / "junk.xlsx"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    res = runner.invoke(main, ["validate", str(bad), str(junk), str(tmp_path / "missing.xlsx")])
    assert res.exit_code == 2 and "not-xlsx-csv" in res.output and "file-missing" in res.output
    assert "not-in-choices" in res.output  # the other files are still processed


def test_cli_import_outputs_and_safety(tmp_path, example, layout):
    runner = CliRunner()
    payload = '=HYPERLINK("http://evil.example","x")'
    src = edited(example, tmp_path, {cell(layout, "budget", "item", 0): payload}, "inj.xlsx")
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    res = runner.invoke(main, ["import", str(src), "-o", str(src), "--lang", "en"])
    assert res.exit_code == 2 and "overwrite" in res.output
    res = runner.invoke(main, ["import", str(src), "-o", str(src), "--lang", "zh-CN"])
    assert res.exit_code == 2 and "不会覆盖输入文件" in res.output
    out = tmp_path / "out.xlsx"
    res = runner.invoke(main, ["import", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(out)["budget"]
    values = [c.value for c in ws["E"]]  # item column: campaign_id, source_file, row, category, item
    assert payload in values  # stored as text, not as a formula
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    folder = tmp_path / "csv"
    res = runner.invoke(main, ["import", str(src), "-o", str(folder)])
    assert res.exit_code == 0
    text = (folder / "budget.csv").read_text(encoding="utf-8-sig")
    assert "'" + payload.replace('"', '""') in text
    j = tmp_path / "out.json"
    assert runner.invoke(main, ["import", str(src), "-o", str(j)]).exit_code == 0
    assert json.loads(j.read_text(encoding="utf-8"))["tables"]["budget"][0]["item"] == payload
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def _with_bad_status(loaded, tmp_path):
    """The example as the builder writes it (cached results and all) with one status mistyped."""
    from campaign_sheets.spec.loader import LoadedSpec

    tasks = loaded.spec.table("tasks").example
    bad = [{**tasks[0], "status": "已完城"}, *tasks[1:]]
    sheets = [s.model_copy(update={"tables": [t.model_copy(update={"example": bad}) if t.key == "tasks" else t
                                              for t in s.tables]}) for s in loaded.spec.sheets]
    spec = LoadedSpec.of(loaded.spec.model_copy(update={"sheets": sheets}), loaded.path)
    return build_workbook(spec, tmp_path / "bad.xlsx", example=True)


def test_annotated_copy_marks_cells_notes_them_and_keeps_everything_else(tmp_path, loaded, layout):
    """The copy: an Issues sheet first in the report's language, each issue cell marked above the
    workbook's own colours and noted; every value, cached result and chart of the original kept,
    so validating the copy gives the same issues as the original (nothing 'not calculated')."""
    import zipfile

    target = cell(layout, "tasks", "status", 0)
    bad = _with_bad_status(loaded, tmp_path)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    res = CliRunner().invoke(main, ["validate", str(bad), "--annotate", str(tmp_path / "ann"), "--lang", "zh-CN"])
    assert res.exit_code == 1
    out = tmp_path / "ann" / "bad.annotated.xlsx"
    wb = openpyxl.load_workbook(out)
    issues = wb.worksheets[0]
    assert issues.title == "问题清单" and [c.value for c in issues[1]] == ["级别", "工作表", "单元格", "说明", "修改建议", "代码"]
    rows = [[c.value for c in r] for r in issues.iter_rows(min_row=2)]
    assert {r[0] for r in rows} <= {"错误", "警告", "预警", "提示"} and ["错误", target[0], target[1]] in [r[:3] for r in rows]
    assert issues.print_title_rows == "$1:$1" and issues.page_setup.fitToWidth == 1 and issues.freeze_panes == "A2"
    links = {c.hyperlink.location for c in issues["C"] if c.hyperlink}
    assert f"'{target[0]}'!{target[1]}" in links
    c = wb[target[0]][target[1]]
    assert c.comment is not None and "已完城" in c.comment.text and "请从下拉列表选择" in c.comment.text
    rules = [(rng, r) for rng in wb[target[0]].conditional_formatting for r in rng.rules]
    [mark] = [r for rng, r in rules if r.formula == ["TRUE"] and target[1] in str(rng.sqref).split()]
    assert mark.priority < min(r.priority for _, r in rules if r.formula != ["TRUE"])   # above the sheet's own colours
    # everything else as it was: values and cached results of every sheet, charts byte for byte
    original, copy = openpyxl.load_workbook(bad, data_only=True), openpyxl.load_workbook(out, data_only=True)
    for ws in original.worksheets:
        assert [[x.value for x in r] for r in ws.iter_rows()] == [[x.value for x in r] for r in copy[ws.title].iter_rows()]
    with zipfile.ZipFile(bad) as a, zipfile.ZipFile(out) as b:
        charts = [n for n in a.namelist() if n.startswith("xl/charts/")]
        assert charts and all(a.read(n) == b.read(n) for n in charts)
    again, first = import_workbook(out, today=TODAY), import_workbook(bad, today=TODAY)
    assert sorted((i.code, i.sheet, i.cell) for i in again.report.issues) == \
        sorted((i.code, i.sheet, i.cell) for i in first.report.issues)
    assert not [i for i in again.report.issues if i.code == "formulas-recomputed"]
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


def test_1904_date_system_reads_the_same_dates(tmp_path, example):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.load_workbook(example)
    wb.epoch = CALENDAR_MAC_1904  # dates are now stored as 1904-based serials
    out = tmp_path / "mac.xlsx"
    wb.save(out)
    assert b'date1904="1"' in __import__("zipfile").ZipFile(out).read("xl/workbook.xml")
    a, b = import_workbook(example, today=TODAY), import_workbook(out, today=TODAY)
    assert list(b.tables["tasks"]["start"]) == list(a.tables["tasks"]["start"])
    assert b.form["start"] == a.form["start"] == dt.date(2026, 6, 1)


@pytest.mark.parametrize("scenario", ["festival_promotion", "brand_upgrade"])
def test_scenario_workbook_without_meta_is_told_apart_from_the_base(tmp_path, scenario):
    path = build_workbook(scenario, tmp_path / "s.xlsx", lang="en", example=True)
    wb = openpyxl.load_workbook(path)
    del wb["_meta"]
    wb.save(path)
    result = import_workbook(path, today=TODAY)
    assert result.meta["template"] == scenario
    assert result.report.counts()["error"] == 0


def test_safe_reading_limits_can_be_set_from_the_command_line(tmp_path, example):
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(example)]).exit_code == 0
    res = runner.invoke(main, ["validate", str(example), "--max-cell-chars", "10", "--lang", "en"])
    assert res.exit_code == 2 and "cell-too-long" in res.output
    res = runner.invoke(main, ["rollup", str(example), "-o", str(tmp_path / "r.xlsx"), "--max-entries", "5", "-q", "--lang", "en"])
    assert res.exit_code == 2   # unreadable under that limit, as validate says
    files = openpyxl.load_workbook(tmp_path / "r.xlsx")["Files"]
    assert [c.value for c in files[2]][:3] == [str(example), "Unreadable", "too-many-entries"]


def test_unknown_output_target_fails_before_any_work(tmp_path, example):
    res = CliRunner().invoke(main, ["import", str(example), "-o", str(tmp_path / "out.txt"), "--lang", "en"])
    assert res.exit_code == 2 and ".xlsx or .json" in res.output and "Imported" not in res.output
    zh = CliRunner().invoke(main, ["import", str(example), "-o", str(tmp_path / "out.txt"), "--lang", "zh-CN"])
    assert zh.exit_code == 2 and "请给 .xlsx 或 .json 文件" in zh.output
    assert not (tmp_path / "out.txt").exists()


def test_cli_messages_in_both_languages(tmp_path, example, layout):
    bad = edited(example, tmp_path, {cell(layout, "tasks", "status", 0): "已完城"})
    zh = CliRunner().invoke(main, ["validate", str(bad), "--lang", "zh-CN"]).output
    en = CliRunner().invoke(main, ["validate", str(bad), "--lang", "en"]).output
    assert "有错误" in zh and "不在下拉列表中" in zh and "请从下拉列表选择" in zh
    assert "INVALID" in en and "is not one of the listed choices" in en and "Pick one of" in en
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"")
    assert "文件为空" in CliRunner().invoke(main, ["validate", str(junk), "--lang", "zh-CN"]).output
    assert "The file is empty" in CliRunner().invoke(main, ["validate", str(junk), "--lang", "en"]).output


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_cell_shortcuts_read_exactly_as_the_general_path(loaded, lang):
    """Every input column's fast reader gives the same typed value, spreadsheet value and issues
    as the general coercion path (or declines), for clean and messy raw cells alike."""
    from campaign_sheets.read.coerce import fast_reader
    from campaign_sheets.read.tables import CellReader
    from campaign_sheets.spec import model as m

    spec = loaded.spec
    shortcut = set()   # the kinds whose shortcut answered some cells (else the test proves nothing)
    raws = ["", " ", 0.0, 3.0, 2.5, -7.0, 1e308, float("inf"), float("-inf"), float("nan"), 12.0, 1e9,
            dt.date(2026, 6, 18), dt.date(1900, 1, 1), dt.date(9999, 12, 31), dt.datetime(2026, 6, 18, 9, 30),
            True, "abc", "  abc  ", "Ａｂｃ", "中文 ", "#DIV/0!", "Err:502", "Email", "E", "x" * 40_000,
            "2026/6/18", "¥1,200", "8%", "是", "否", " 是 ", "yes", "No", "TRUE", False,
            0.35, 1.0, 1.5, 35.0, 100.0, 100.5, -0.25]
    for name in spec.lists:
        for item in spec.list_items(name):
            raws += [item.key, item.key.upper(), *m.text_all(item.label), f" {m.text_for(item.label, 'zh-CN')} "]
    checked, kinds = 0, set()
    for table in spec.tables():
        columns = [c for c in loaded.index.tables[table.key].columns if c.formula is None]
        # each column as the spec has it, and required (an empty cell is then an error)
        for col in columns + [c.model_copy(update={"required": not c.required}) for c in columns]:
            results = []
            for fast in (True, False):
                cells = CellReader(loaded, "x.xlsx", lang, lang, False)
                cells.campaign_year = 2026
                quick = fast_reader(loaded.index, col, lang) if fast else None   # as read_table combines them
                out = [(quick(raw) if quick else None) or cells.general(col, raw, "S", 5, 2, "label") for raw in raws]
                issues = [(i.code, i.cell, i.value, i.expected, i.message) for i in cells.issues]
                results.append((out, issues))
            assert results[0] == results[1], (table.key, col.key, col.type)
            quick = fast_reader(loaded.index, col, lang)
            if quick is not None and any(quick(raw) is not None for raw in raws if raw != ""):
                shortcut.add(col.type)
            checked += 1
            kinds.add(col.type)
    assert checked > 80
    assert {m.ColumnType.number, m.ColumnType.money, m.ColumnType.integer, m.ColumnType.date, m.ColumnType.percent,
            m.ColumnType.bool, m.ColumnType.text, m.ColumnType.choice, m.ColumnType.person} <= kinds
    assert kinds - {m.ColumnType.datetime} <= shortcut


def test_only_the_sheets_an_import_needs_are_read(tmp_path, example, loaded, monkeypatch):
    from campaign_sheets.read import calamine

    read: list[str] = []
    real = calamine._rows
    monkeypatch.setattr(calamine, "_rows", lambda sheet, name, *a: read.append(name) or real(sheet, name, *a))
    result = import_workbook(example, today=TODAY)
    assert result.valid
    skipped = {s.key for s in loaded.spec.sheets if s.title["zh-CN"] not in read}
    assert skipped == set() and "_lists" not in read and "_meta" in read   # the guide holds the form, the dashboard its figures
    # without _meta the template is recognised from the sheets themselves, so all are read
    wb = openpyxl.load_workbook(example)
    del wb["_meta"]
    out = tmp_path / "nometa.xlsx"
    wb.save(out)
    read.clear()
    import_workbook(out, today=TODAY)
    assert len(read) == len(wb.sheetnames)


def test_tables_are_typed_frames_equal_to_pandas_own_construction(example):
    """Frames are assembled from typed columns directly; the result must be what DataFrame(dict)
    gives: same columns, dtypes and values, a plain RangeIndex, and usable like any frame."""
    import pandas as pd

    from campaign_sheets.read import result as results

    result = import_workbook(example, today=TODAY)
    expected_kinds = {"Int64": "Int64", "float64": "float64", "boolean": "boolean", "string": "str"}
    for key, frame in result.tables.items():
        resolved = load_spec(result.spec.template).index.tables[key]
        rows_n = len(frame)
        assert isinstance(frame.index, pd.RangeIndex) and list(frame.index) == list(range(rows_n))
        plain = pd.DataFrame({name: frame[name].array for name in frame.columns})
        pd.testing.assert_frame_equal(frame, plain)
        for name, kind, _ in results._typed_columns(resolved, [], None):
            if kind in expected_kinds:
                assert str(frame[name].dtype) == expected_kinds[kind], (key, name, frame[name].dtype)
            elif kind.startswith("datetime64"):
                assert str(frame[name].dtype) == "datetime64[ms]", (key, name)
    budget = result.tables["budget"]
    budget.loc[len(budget)] = budget.iloc[0]          # still an ordinary, growable frame
    assert budget["planned"].sum() > 0 and budget.iloc[-1]["category"] == budget.iloc[0]["category"]


def test_sheets_are_chosen_by_the_template_the_import_then_uses(tmp_path, example):
    """`_meta` facts count above its `table` row only: a `template` row further down names no
    template, for the choice of sheets as for the import (which then recognises the workbook by
    its sheets and headers)."""
    wb = openpyxl.load_workbook(example)
    meta = wb["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "template":
            row[1].value = "product_launch"     # moved below the table list, and another template
            template_row = row[0].row
    meta.move_range(f"A{template_row}:B{template_row}", rows=meta.max_row + 2 - template_row)
    wb.save(tmp_path / "meta.xlsx")
    result = import_workbook(tmp_path / "meta.xlsx", today=TODAY)
    assert result.meta["template"] == "campaign"
    assert not {"header-missing", "header-unknown", "sheet-missing"} & {i.code for i in result.report.issues}


def test_import_outputs_carry_the_campaign_facts_one_row_per_file(tmp_path, example):
    """`result.campaign` and the import's `campaign` table: name, code (the campaign id), scenario,
    lead, dates, budget, objective, template, version, locale and source file of every file."""
    result = import_workbook(example, today=TODAY)
    c = result.campaign
    form = load_spec("campaign").spec.form().example
    assert c["campaign_id"] == c["code"] == form["code"] and c["name"] == form["name"]
    assert (c["start"], c["end"], c["lead"], c["scenario"]) == (form["start"], form["end"], form["lead"], form["scenario"])
    assert c["budget"] == form["budget_total"] and c["objective"] == form["objective"]
    assert (c["template"], c["version"], c["locale"], c["source_file"]) == ("campaign", 1, "zh-CN", str(example))
    assert c["scenario_label"] == "用户增长运营"
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    out = tmp_path / "tables.xlsx"
    res = CliRunner().invoke(main, ["import", str(example), str(junk), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 2
    import pandas as pd

    table = pd.read_excel(out, sheet_name="campaign", engine="calamine")
    assert list(table["source_file"]) == [str(example), str(junk)]
    assert table.loc[0, "campaign_id"] == form["code"] and pd.isna(table.loc[1, "campaign_id"])
    assert str(table.loc[0, "start"].date()) == str(form["start"])


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_each_rule_is_reported_at_the_cells_to_change_with_the_values_involved(tmp_path, example, layout, lang):
    """date-order at the end date with both dates; raci-accountable at the A cells, saying how many
    and which; kpi-alert direction-aware with the value and the line; one issue per mistake."""
    second_a = cell(layout, "raci", "role_design", 0)       # T01: manager already A; design was I
    end = cell(layout, "tasks", "end", 2)
    start = cell(layout, "tasks", "start", 2)
    no_r = {cell(layout, "raci", f"role_{k}", 1): "" for k in ("manager", "planning", "design", "execution", "data")}
    result = import_workbook(edited(example, tmp_path, {second_a: "A", end: dt.date(2026, 5, 1), **no_r}),
                             today=TODAY, lang=lang)
    by_code = {}
    for i in result.report.issues:
        by_code.setdefault(i.code, []).append(i)
    order = [i for i in by_code["date-order"] if i.sheet == end[0]]
    assert [(i.cell, i.severity) for i in order] == [(end[1], "error")]
    shown_start = load_spec("campaign").spec.table("tasks").example[2]["start"].isoformat()
    assert "2026-05-01" in order[0].message and shown_start in order[0].message
    raci = by_code["raci-accountable"]
    manager = cell(layout, "raci", "role_manager", 0)
    two = next(i for i in raci if i.row == int(manager[1][1:]))
    assert two.cell == manager[1] and "2" in two.message and manager[1] in two.message and second_a[1] in two.message
    assert len([i for i in raci if i.row == two.row]) == 1        # one mistake, one message
    empty_row = [i for i in raci if i.row != two.row]
    assert len(empty_row) == 2 and {("A" in i.message or "A（" in i.message) for i in empty_row}   # no A, no R
    alert = by_code["kpi-alert"][0]
    words = {"zh-CN": "低于预警线", "en": "is below its alert line"}[lang]
    assert words in alert.message and "5.0%" in alert.message and alert.expected == "5.0%"
    assert f"{alert.value:.1%}" in alert.message


def test_one_typo_in_a_recalculated_workbook_is_one_error_at_its_cell(tmp_path, example, layout):
    """A spreadsheet that recalculated `about 5k` shows #VALUE! in the formulas that read it: the
    typo is the one error, at its cell, and lists the formula cells it breaks (no second error)."""
    typo = cell(layout, "budget", "planned", 0)
    variance, rate = cell(layout, "budget", "variance", 0), cell(layout, "budget", "variance_pct", 0)
    wb = openpyxl.load_workbook(example)
    ws = wb[typo[0]]
    ws[typo[1]] = "about 5k"
    for ref in (variance[1], rate[1]):   # what Excel or Calc leaves in them after recalculating
        ws[ref].value = "#VALUE!"
        ws[ref].data_type = "e"
    path = tmp_path / "typo.xlsx"
    wb.save(path)
    result = import_workbook(path, today=TODAY, lang="en")
    errors = [i for i in result.report.issues if i.severity == "error"]
    assert [(i.code, i.sheet, i.cell) for i in errors] == [("type-error", typo[0], typo[1])]
    # its own row's formulas first; then the totals row and the dashboard (tests/unit/test_affects.py)
    assert errors[0].affects[:2] == (variance[1], rate[1]) and f"breaks {variance[1]}, {rate[1]}, " in errors[0].message
    assert not [i for i in result.report.issues if i.code == "formula-error"]
    # (openpyxl's re-save drops other cached results: those are counted in the formulas-recomputed note)
    assert not [i for i in result.report.issues if (i.sheet, i.cell) in (variance, rate)]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_dashboard_figure_other_than_the_tables_give_is_named_with_both_values(tmp_path, example, lang):
    """The team's dashboard shows what the spreadsheet last computed; when that is not what the
    tables give (here the budget total typed over), validate says so at the dashboard cell."""
    wb = openpyxl.load_workbook(example)
    loaded = load_spec("campaign")
    board = next(s for s in loaded.spec.sheets if s.metrics)
    ws = wb[board.title["zh-CN"]]
    label = next(m_ for m_ in board.metrics if m_.key == "budget_planned").label
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value == label["zh-CN"])
    ws.cell(row, 2).value = 168000
    wb.save(tmp_path / "board.xlsx")
    result = import_workbook(tmp_path / "board.xlsx", today=TODAY, lang=lang)
    found = [i for i in result.report.issues if i.code == "dashboard-disagrees"]
    planned = sum(v for v in result.columns["budget"]["planned"] if v is not None)
    assert [(i.sheet, i.cell, i.severity, i.value) for i in found] == [(ws.title, f"B{row}", "warning", "¥168,000")]
    assert found[0].expected == f"¥{planned:,.0f}" and "¥168,000" in found[0].message and found[0].expected in found[0].message


def test_messages_follow_the_workbook_unless_lang_is_given(tmp_path, monkeypatch):
    """Under LANG=C.UTF-8, an English workbook's issues read in English with English column labels,
    a Chinese one's in Chinese; --lang wins over both; the CLI's own lines follow --lang or LANG."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("CAMPAIGN_SHEETS_LANG", raising=False)
    en = build_workbook("campaign", tmp_path / "en.xlsx", lang="en", example=True)
    zh = build_workbook("campaign", tmp_path / "zh.xlsx", lang="zh-CN", example=True)
    runner = CliRunner()

    def messages(path, *extra):
        out = json.loads(runner.invoke(main, ["validate", str(path), "--format", "json", *extra]).output)
        return [(i["code"], i["column"], i["message"]) for i in out["files"][0]["issues"] if i["code"] == "budget-overrun"]

    [(_, column, message)] = messages(en)
    assert column == "Actual" and message.startswith("Actual spend")
    [(_, column, message)] = messages(zh)
    assert column == "实际支出" and message.startswith("实际支出")
    [(_, column, message)] = messages(en, "--lang", "zh-CN")
    assert column == "实际支出" and message.startswith("实际支出")
    text = runner.invoke(main, ["validate", str(en), "--lang", "en"]).output
    assert "OK (0 errors" in text and "warning " in text
    # one language a line and a sheet: the issue lines and the annotated copy speak the messages' language
    text = runner.invoke(main, ["validate", str(en), "--annotate", str(tmp_path / "ann")]).output
    assert "通过（0 个错误" in text and "  warning " in text and "警告" not in text.split("\n", 1)[1]
    copy = openpyxl.load_workbook(tmp_path / "ann" / "en.annotated.xlsx")
    assert copy.sheetnames[0] == "Issues" and copy.worksheets[0]["A2"].value == "warning"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "OK (0 errors" in runner.invoke(main, ["validate", str(zh)]).output


def test_issues_sheet_rows_are_tall_enough_for_their_wrapped_text():
    """Readers do not size rows on opening: a long message in a one-line row is cut off in print."""
    from campaign_sheets.annotate.issues_sheet import _sheet_xml
    from campaign_sheets.report import make_issue

    short = make_issue("date-order", "zh-CN", sheet="进度计划", row=8, col=5, message="结束日期早于开始日期")
    long = make_issue("date-order", "zh-CN", sheet="进度计划", row=9, col=5,
                      message="结束日期已过，任务仍为“进行中”，请跟进或更新状态" * 3)
    xml = _sheet_xml([short, long], "zh-CN", {"进度计划"}, 1, 2, 3, {})
    rows = re.findall(r"<row [^>]*>", xml)
    assert 'ht=' not in rows[1]
    assert re.search(r'ht="(\d+)" customHeight="1"', rows[2]) and int(re.search(r'ht="(\d+)"', rows[2]).group(1)) >= 45
