"""Everything the project writes survives a LibreOffice round trip: tables, validations, formats."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets import build_workbook
from campaign_sheets.libreoffice import convert
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
    from campaign_sheets.corpus import make_corpus
    from campaign_sheets.rollup.book import write_rollup_xlsx
    from campaign_sheets.rollup.run import Options, rollup

    make_corpus(tmp_path / "in", 3, broken=1)
    merger = rollup([str(tmp_path / "in")], options=Options(today=TODAY), jobs=1)
    out = tmp_path / "rollup.xlsx"
    write_rollup_xlsx(merger.frames(["scenario"]), merger.counts(), out, lang="zh-CN", today=TODAY)
    theirs = convert(out, tmp_path / "calc")
    assert structure(theirs) == structure(out)
    assert error_cells(cell_values(theirs)) == {}
    assert openpyxl.load_workbook(theirs)["campaigns"].max_row == 4
