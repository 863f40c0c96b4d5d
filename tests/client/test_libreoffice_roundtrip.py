"""Everything the project writes survives a LibreOffice round trip: tables, validations, formats."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

from campaign_sheets import build_workbook
from tests.support.libreoffice import convert
from campaign_sheets.read.importer import import_workbook
from tests.helpers import cell_values, error_cells

TODAY = dt.date(2026, 6, 20)


def structure(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: (sorted(ws.tables), len(ws.data_validations.dataValidation),
                       sum(len(r.rules) for r in ws.conditional_formatting), ws.protection.sheet)
            for ws in wb.worksheets}


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("example", [False, True])
def test_templates_keep_tables_validations_and_formats(tmp_path, lang, example):
    ours = build_workbook("campaign", tmp_path / "t.xlsx", lang=lang, example=example)
    theirs = convert(ours, tmp_path / "calc")
    assert structure(theirs) == structure(ours)
    assert error_cells(cell_values(theirs)) == {}
    a, b = import_workbook(ours, today=TODAY), import_workbook(theirs, today=TODAY)
    assert [(i.code, i.cell) for i in a.report.issues] == [(i.code, i.cell) for i in b.report.issues]


@pytest.mark.libreoffice
def test_rollup_workbook_survives_libreoffice(tmp_path):
    from tests.support.corpus import make_corpus
    from campaign_sheets.portfolio.book import write_rollup_xlsx
    from campaign_sheets.portfolio.run import Options, rollup

    make_corpus(tmp_path / "in", 3, broken=1)
    merger = rollup([str(tmp_path / "in")], options=Options(today=TODAY), jobs=1)
    out = tmp_path / "rollup.xlsx"
    write_rollup_xlsx(merger.frames(["scenario"], lang="zh-CN"), merger.counts(), out, lang="zh-CN", today=TODAY,
                      labels=merger.labels)
    theirs = convert(out, tmp_path / "calc")
    assert structure(theirs) == structure(out)
    assert error_cells(cell_values(theirs)) == {}
    calc = openpyxl.load_workbook(theirs)
    assert calc["活动"].max_row == 4 and calc["活动"]["A1"].value == "活动编号"
    assert calc["_meta"].sheet_state == "hidden"   # the rollup's own kind: never read back as a campaign
    for ws in calc.worksheets:   # the print set-up of every printed sheet survives too
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_filled_by_hand_then_saved_by_calc_imports_the_same_values(tmp_path, lang):
    """Fill an empty template's input cells (as a person would), let Calc save it, import it."""
    from campaign_sheets.build.layout import plan_layout
    from campaign_sheets.i18n import t
    from campaign_sheets.spec.loader import load_spec
    from tests.test_roundtrip import assert_example_came_back

    loaded = load_spec("campaign")
    spec = loaded.spec
    empty = build_workbook(loaded, tmp_path / "empty.xlsx", lang=lang)
    layout = plan_layout(loaded, lang)
    wb = openpyxl.load_workbook(empty)

    def shown(col, value):
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        if col.type.value == "choice":
            return spec.list_label(col.choices, value, lang)
        if col.type.value == "bool":
            return t("yes" if value else "no", lang)
        return value

    form = spec.form()
    guide = wb[layout.sheets[0].name]
    for r in range(1, 40):
        label = guide.cell(r, 1).value
        field = next((f for f in form.fields if label in (f.label.get(lang),)), None)
        if field and field.key in form.example:
            guide.cell(r, 2).value = shown(field, form.example[field.key])
    for table in spec.tables():
        if table.prefill or not table.example:
            continue
        tp = layout.tables[table.key]
        ws = wb[tp.sheet]
        for i, row in enumerate(table.example):
            for key, value in row.items():
                col = tp.resolved.column(key)
                ws[xl_rowcol_to_cell(tp.first_row + i, tp.col(key))] = shown(col, value)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    saved = convert(filled, tmp_path / "calc")
    assert error_cells(cell_values(saved)) == {}
    result = import_workbook(saved, today=TODAY)
    assert result.report.counts()["error"] == 0, [i.message for i in result.report.issues if i.severity == "error"]
    assert not [i for i in result.report.issues if i.code.startswith("formula-")]  # Calc calculated them all
    assert_example_came_back(spec, result)
    assert result.form["start"] == form.example["start"]


def _planned_amount_typed_then_saved_by_calc(tmp_path, text: str):
    """The example with `text` typed into its first planned amount, recalculated and saved by Calc:
    (layout, budget table plan, that cell, the saved file)."""
    from campaign_sheets.build.layout import plan_layout
    from campaign_sheets.spec.loader import load_spec

    loaded = load_spec("campaign")
    layout = plan_layout(loaded, "zh-CN", example=True)
    tp = layout.tables["budget"]
    wb = openpyxl.load_workbook(build_workbook(loaded, tmp_path / "example.xlsx", example=True))
    cell = xl_rowcol_to_cell(tp.first_row, tp.col("planned"))
    wb[tp.sheet][cell] = text
    wb.save(tmp_path / "typed.xlsx")
    return layout, tp, cell, convert(tmp_path / "typed.xlsx", tmp_path / "calc")


@pytest.mark.libreoffice
def test_a_typo_recalculated_by_calc_is_one_error_at_its_cell(tmp_path):
    """`about 5k` typed into an amount, the file recalculated and saved by Calc: exactly one error,
    at that cell, listing the formula cells Calc could not compute because of it."""
    layout, tp, typo, saved = _planned_amount_typed_then_saved_by_calc(tmp_path, "about 5k")
    assert cell_values(saved)[(tp.sheet, xl_rowcol_to_cell(tp.first_row, tp.col("variance")))] == "#VALUE!"
    result = import_workbook(saved, today=TODAY)
    errors = [i for i in result.report.issues if i.severity == "error"]
    assert [(i.code, i.sheet, i.cell) for i in errors] == [("type-error", tp.sheet, typo)]
    assert {xl_rowcol_to_cell(tp.first_row, tp.col(k)) for k in ("variance", "variance_pct")} <= set(errors[0].affects)


@pytest.mark.libreoffice
def test_an_amount_stored_as_text_is_one_warning_that_names_what_it_breaks(tmp_path):
    """`¥12,000` pasted as text: the tool reads 12,000, Calc's SUM and formulas cannot. One
    stored-as-text warning at the cell, listing the formula cells and the dashboard figure it
    breaks; no formula-error and no separate dashboard message."""
    layout, tp, pasted, saved = _planned_amount_typed_then_saved_by_calc(tmp_path, "¥12,000")
    result = import_workbook(saved, today=TODAY)
    assert result.columns["budget"]["planned"][0] == 12000
    [issue] = [i for i in result.report.issues if (i.sheet, i.cell) == (tp.sheet, pasted)]
    assert issue.code == "stored-as-text" and issue.severity == "warning"
    assert xl_rowcol_to_cell(tp.first_row, tp.col("variance")) in issue.affects
    board = next(p.name for p in layout.sheets if p.kind == "dashboard")
    assert any(a.startswith(f"{board}!") for a in issue.affects)
    assert not [i for i in result.report.issues if i.code in ("formula-error", "dashboard-disagrees")]
    assert result.report.counts()["error"] == 0


@pytest.mark.libreoffice
def test_a_custom_workbook_saved_by_calc_still_reads_with_the_spec_it_carries(tmp_path, monkeypatch):
    specs = Path(__file__).resolve().parents[1] / "specs"
    path = build_workbook(str(specs / "wecom_team.yaml"), tmp_path / "team.xlsx", example=True)
    saved = convert(path, tmp_path / "calc")
    monkeypatch.delenv("CAMPAIGN_SHEETS_SPEC_PATH", raising=False)
    away = import_workbook(saved, today=TODAY)
    assert away.meta["template"] == "wecom_team"
    assert [i.code for i in away.report.issues if i.severity in ("error", "info")] == ["spec-embedded"]
    assert "wecom" in away.columns["channel_plan"]["channel"]
