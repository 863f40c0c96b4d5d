"""Workbooks re-saved by a real spreadsheet application import to the same values."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from campaign_sheets import build_workbook
from tests.support.libreoffice import convert
from campaign_sheets.read.importer import import_workbook

TODAY = dt.date(2026, 6, 20)


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_libreoffice_resaved_example_imports_identically(tmp_path: Path, lang: str) -> None:
    ours = build_workbook("campaign", tmp_path / "ex.xlsx", lang=lang, example=True)
    theirs = convert(ours, tmp_path / "calc")  # Calc's own XML, recalculated cached values
    a, b = import_workbook(ours, today=TODAY), import_workbook(theirs, today=TODAY)
    assert b.report.counts()["error"] == 0, [i.message for i in b.report.issues if i.severity == "error"]
    assert sorted((i.code, i.sheet, i.cell) for i in a.report.issues) == sorted((i.code, i.sheet, i.cell) for i in b.report.issues)
    for key, frame in a.tables.items():
        other = b.tables[key].drop(columns=["source_file"])
        pd.testing.assert_frame_equal(frame.drop(columns=["source_file"]), other, check_dtype=False, obj=key)


@pytest.mark.libreoffice
def test_annotated_copy_opens_in_libreoffice(tmp_path: Path) -> None:
    from campaign_sheets.annotate import annotate

    ex = build_workbook("campaign", tmp_path / "ex.xlsx", example=True)
    result = import_workbook(ex, today=TODAY)
    out = annotate(ex, result.report, tmp_path / "ann", lang="zh-CN")
    pdf = convert(out, tmp_path / "pdf", "pdf")
    assert pdf.stat().st_size > 10_000
    resaved = convert(out, tmp_path / "x")
    assert import_workbook(resaved, today=TODAY).report.counts()["error"] == 0


@pytest.mark.libreoffice
def test_error_values_left_by_calc_are_reported_once_where_they_come_from(tmp_path: Path) -> None:
    """An error value Calc computed because of a bad input is listed with that input's issue; one
    with no such cause (a formula typed over with 1/0) is a formula-error at its own cell."""
    import openpyxl
    from xlsxwriter.utility import xl_rowcol_to_cell

    from campaign_sheets.build.layout import plan_layout
    from campaign_sheets.spec.loader import load_spec

    ex = build_workbook("campaign", tmp_path / "ex.xlsx", lang="en", example=True)
    tp = plan_layout(load_spec("campaign"), "en", example=True).tables["risks"]
    likelihood = xl_rowcol_to_cell(tp.first_row, tp.col("likelihood"))
    score = xl_rowcol_to_cell(tp.first_row, tp.col("score"))
    other_score = xl_rowcol_to_cell(tp.first_row + 1, tp.col("score"))
    wb = openpyxl.load_workbook(ex)
    wb[tp.sheet][likelihood] = "high"  # text where a number belongs: Calc computes #VALUE!
    wb[tp.sheet][other_score] = "=1/0"
    wb.save(tmp_path / "typed.xlsx")
    recalculated = convert(tmp_path / "typed.xlsx", tmp_path / "calc")
    result = import_workbook(recalculated, today=TODAY)
    at = {(i.code, i.cell) for i in result.report.issues if i.sheet == tp.sheet}
    assert ("type-error", likelihood) in at and ("formula-error", score) not in at
    typo = next(i for i in result.report.issues if (i.code, i.cell) == ("type-error", likelihood))
    assert typo.affects[0] == score and all("!" in a for a in typo.affects[1:])   # then the dashboard's risk count
    err = next(i for i in result.report.issues if i.code == "formula-error")
    assert (err.cell, err.value) == (other_score, "#DIV/0!")
