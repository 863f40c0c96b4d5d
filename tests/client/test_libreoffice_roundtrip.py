"""Everything the project writes survives a LibreOffice round trip: tables, validations, formats."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

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
    write_rollup_xlsx(merger.frames(["scenario"]), merger.counts(), out, lang="zh-CN", today=TODAY)
    theirs = convert(out, tmp_path / "calc")
    assert structure(theirs) == structure(out)
    assert error_cells(cell_values(theirs)) == {}
    assert openpyxl.load_workbook(theirs)["campaigns"].max_row == 4


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_filled_by_hand_then_saved_by_calc_imports_the_same_values(tmp_path, lang):
    """Fill an empty template's input cells (as a person would), let Calc save it, import it."""
    from xlsxwriter.utility import xl_rowcol_to_cell

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
