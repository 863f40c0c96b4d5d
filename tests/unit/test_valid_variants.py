"""Workbooks valid by the OOXML rules that python-calamine refuses as they are: read, not blamed as damaged.

Each variant is the worked example with one change a real writer makes; it must read with the
original's issues and typed values (issue 19)."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from campaign_sheets import import_workbook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "samples" / "campaign-example.xlsx"
DAY = dt.date(2026, 6, 20)


def rewrite(dst: Path, change) -> Path:
    with zipfile.ZipFile(EXAMPLE) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, change(info.filename, data))
    return dst


VARIANTS = {
    # LibreOffice 5.x writes the used range as whole rows
    "row-only-dimension": lambda name, data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="1:4"/>', data)
    if name.startswith("xl/worksheets/") else data,
    # a sheet state spelled as some writers do
    "state-show": lambda name, data: data.replace(b"<sheet name=", b'<sheet state="show" name=', 1)
    if name == "xl/workbook.xml" else data,
}


def typed(result) -> dict:
    return {k: [{c: v for c, v in r.items() if c != "row"} for r in rows] for k, rows in result.records.items()}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_valid_variant_reads_as_the_original(variant, tmp_path):
    path = rewrite(tmp_path / f"{variant}.xlsx", VARIANTS[variant])
    with pytest.raises(Exception):   # the case is real: the library alone refuses it
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    original, got = import_workbook(EXAMPLE, today=DAY), import_workbook(path, today=DAY)
    assert got.unreadable is None
    assert [(i.code, i.sheet, i.cell) for i in got.report.issues] == \
        [(i.code, i.sheet, i.cell) for i in original.report.issues]
    assert typed(got) == typed(original)
