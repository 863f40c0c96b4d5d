"""What the builder writes: sheets, tables, validations, formats, protection, _meta, determinism."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets import build_workbook
from campaign_sheets.build.plan import sref_label
from campaign_sheets.contract import safe_sheet_name
from campaign_sheets.build.layout import plan_layout
from campaign_sheets.cli import main
from campaign_sheets.spec.loader import load_spec

MINI = str(Path(__file__).resolve().parents[1] / "specs" / "mini.yaml")


@pytest.fixture(scope="module")
def mini_zh(tmp_path_factory):
    return build_workbook(MINI, tmp_path_factory.mktemp("b") / "m.xlsx", lang="zh-CN", example=True)


def test_sheets_in_spec_order_with_hidden_helpers(mini_zh):
    wb = openpyxl.load_workbook(mini_zh)
    assert wb.sheetnames == ["说明", "人员", "分工", "预算", "数据", "看板", "_lists", "_meta", "_spec"]
    assert {wb[s].sheet_state for s in ("_lists", "_meta", "_spec")} == {"hidden"}


def test_tables_are_excel_tables_with_localised_headers(mini_zh):
    wb = openpyxl.load_workbook(mini_zh)
    tables = {name: ws for ws in wb.worksheets for name in ws.tables}
    assert set(tables) == {"tbl_roster", "tbl_tasks", "tbl_raci", "tbl_budget", "tbl_kpi_defs", "tbl_kpi_daily"}
    ws = tables["tbl_tasks"]
    ref = ws.tables["tbl_tasks"].ref
    first = ws[ref.split(":")[0]]
    assert first.value == "编号"
    en = build_workbook(MINI, Path(mini_zh).with_name("en.xlsx"), lang="en")
    assert openpyxl.load_workbook(en)["People"][ref.split(":")[0]].value == "Id"


def test_dropdowns_come_from_the_lists_sheet_never_inline(mini_zh):
    wb = openpyxl.load_workbook(mini_zh)
    sources = [dv.formula1 for ws in wb.worksheets for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert sources and all(not s.startswith('"') for s in sources)
    assert "list_status" in sources
    assert "list_status" in wb.defined_names


def test_every_input_column_has_validation_with_message(mini_zh):
    wb = openpyxl.load_workbook(mini_zh)
    ws = wb["人员"]
    dvs = ws.data_validations.dataValidation
    by_type = {dv.type for dv in dvs}
    assert {"date", "list"} <= by_type
    date_dv = next(dv for dv in dvs if dv.type == "date")
    assert date_dv.prompt and date_dv.error and date_dv.showErrorMessage


def test_formula_cells_locked_inputs_unlocked_sheets_protected(mini_zh):
    wb = openpyxl.load_workbook(mini_zh)
    ws = wb["预算"]
    assert ws.protection.sheet and not ws.protection.password
    formulas = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(c.protection.locked for c in formulas)
    inputs = [c for row in ws.iter_rows() for c in row if c.value in ("海报", 1000)]
    assert inputs and not any(c.protection.locked for c in inputs)


def test_conditional_formats_for_rules_and_kpis(mini_zh):
    wb = openpyxl.load_workbook(mini_zh)
    kpi_rules = [r.formula[0] for rng in wb["数据"].conditional_formatting for r in rng.rules]
    assert any("<" in f and "INDEX" in f for f in kpi_rules)
    task_rules = [r.formula[0] for rng in wb["人员"].conditional_formatting for r in rng.rules]
    assert any("TODAY()" in f for f in task_rules)


def test_meta_records_template_and_tables(mini_zh):
    ws = openpyxl.load_workbook(mini_zh)["_meta"]
    meta = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert meta["template"] == "mini" and meta["version"] == 1 and meta["locale"] == "zh-CN"
    assert len(meta["spec_sha256"]) == 64
    rows = list(ws.iter_rows(values_only=True))
    tasks = next(r for r in rows if r[0] == "tasks")
    assert tasks[2] == "tbl_tasks" and tasks[7] == "id,start,end,days,status,owner"


def test_builds_are_deterministic(tmp_path):
    a = build_workbook(MINI, tmp_path / "a.xlsx", example=True)
    b = build_workbook(MINI, tmp_path / "b.xlsx", example=True)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_cached_formula_values_are_real(mini_zh):
    wb = openpyxl.load_workbook(mini_zh, data_only=True)
    ws = wb["人员"]
    days = [ws.cell(r, 4).value for r in range(1, 30) if isinstance(ws.cell(r, 4).value, (int, float))]
    assert days[:2] == [3, 8]


def test_sheet_names_are_sanitised():
    used: set[str] = set()
    assert safe_sheet_name("a/b:c*d?[e]", used) == "a_b_c_d__e_"
    long = "x" * 40
    assert safe_sheet_name(long, used) == "x" * 31
    assert safe_sheet_name(long, used) == "x" * 27 + " (2)"
    assert sref_label("Cost [¥]") == "Cost '[¥']"


def test_cli_build_writes_file_and_refuses_bad_extension(tmp_path):
    runner = CliRunner()
    out = tmp_path / "mini.xlsx"
    result = runner.invoke(main, ["build", "--spec", MINI, "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "Wrote" in result.output
    result = runner.invoke(main, ["build", "--spec", MINI, "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_output_is_atomic_and_readable_by_others(tmp_path):
    import os
    import stat

    out = build_workbook(MINI, tmp_path / "m.xlsx")
    assert stat.S_IMODE(os.stat(out).st_mode) & 0o044  # group/other may read (umask permitting)
    assert [p.name for p in tmp_path.iterdir()] == ["m.xlsx"]  # no temporary file left


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_totals_rows_hold_their_label_and_subtotals_with_computed_values(tmp_path, lang):
    """Every table that declares totals shows them: the label in its first column and a SUBTOTAL
    under each totalled column, whose cached value is what the tool computes from the rows."""
    from campaign_sheets.i18n import t
    from campaign_sheets.read.importer import import_workbook

    loaded = load_spec("campaign")
    layout = plan_layout(loaded, lang, example=True)
    path = build_workbook(loaded, tmp_path / "t.xlsx", lang=lang, example=True)
    wb_formulas, wb_values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    result = import_workbook(path, today=dt.date(2026, 6, 20))
    totalled = [tb for tb in loaded.spec.tables() if tb.totals]
    assert {tb.key for tb in totalled} == {"incentives", "channel_plan", "budget"}
    for tb in totalled:
        tp = layout.tables[tb.key]
        row = tp.total_row + 1
        ws_f, ws_v = wb_formulas[tp.sheet], wb_values[tp.sheet]
        assert ws_f.cell(row, tp.first_col + 1).value == t("total", lang)
        for key in tb.totals:
            col = tp.col(key) + 1
            formula = ws_f.cell(row, col).value
            assert formula == f"=SUBTOTAL(109,{tp.name}[{tp.labels[key]}])", (tb.key, key, formula)
            typed = [v for v in result.columns[tb.key][key] if v is not None]
            assert ws_v.cell(row, col).value == pytest.approx(sum(typed)), (tb.key, key)
            assert typed and sum(typed) != 0
    assert result.report.counts()["error"] == 0   # the totals row is not read as a data row


@pytest.mark.parametrize("spec", ["campaign", "product_launch", "brand_upgrade", "festival_promotion", "user_growth",
                                  "channel_expansion"])
def test_an_empty_workbook_holds_no_figure_of_the_worked_example(tmp_path, spec):
    """Only what the spec declares as a default is filled in an empty workbook: the KPI names,
    units and directions, and default lines (ROI below 0); never the example's targets and lines."""
    from campaign_sheets.build.layout import kpi_figures
    from campaign_sheets.read.importer import import_workbook

    loaded = load_spec(spec)
    result = import_workbook(build_workbook(loaded, tmp_path / "empty.xlsx", lang="en"), today=dt.date(2026, 6, 20))
    assert all(v is None for v in result.form.values())
    defaults = {k.key: kpi_figures(k, example=False) for k in loaded.spec.kpis}
    for table, columns in result.columns.items():
        for name, values in columns.items():
            if name == "row" or loaded.index.tables[table].by_key.get(name, None) is None:
                continue
            if loaded.index.tables[table].column(name).formula is not None:
                continue
            filled = [v for v in values if v is not None]
            if table == "kpi_defs" and name in ("kpi", "unit", "direction"):
                continue
            if table == "kpi_defs" and name in ("target", "alert", "warning"):
                expected = [d[name] for d in defaults.values() if d[name] is not None]
                assert filled == expected, (name, filled)
                continue
            assert filled == [], (table, name, filled[:5])
    example = {k.key: kpi_figures(k, example=True) for k in loaded.spec.kpis}
    assert any(v is not None for d in example.values() for v in d.values())   # the example has its own
