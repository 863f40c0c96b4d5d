"""The real client: Calc recalculates every formula; results must equal what Python cached."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campaign_sheets import build_workbook
from tests.support.libreoffice import convert
from tests.helpers import cell_values, error_cells, formula_cells, same

SPECS = Path(__file__).resolve().parents[1] / "specs"
CASES = [
    (spec, lang, example)
    for spec in ("campaign", str(SPECS / "mini.yaml"))
    for lang in ("zh-CN", "en")
    for example in (False, True)
] + [  # every scenario template's example, alternating languages
    (name, "en" if i % 2 else "zh-CN", True)
    for i, name in enumerate(["product_launch", "brand_upgrade", "festival_promotion", "user_growth", "channel_expansion"])
]


@pytest.mark.libreoffice
@pytest.mark.parametrize("spec,lang,example", CASES, ids=lambda v: Path(str(v)).stem if isinstance(v, str) else str(v))
def test_calc_recalculation_matches_python(tmp_path: Path, spec: str, lang: str, example: bool) -> None:
    src = build_workbook(spec, tmp_path / "book.xlsx", lang=lang, example=example, as_of=dt.date.today())
    recalculated = convert(src, tmp_path / "calc")
    ours, theirs = cell_values(src), cell_values(recalculated)
    assert error_cells(theirs) == {}
    formulas = formula_cells(src)
    assert formulas, "the workbook should contain formulas"
    mismatches = {k: (ours.get(k), theirs.get(k)) for k in formulas if not same(ours.get(k), theirs.get(k))}
    assert mismatches == {}
    if example:
        # a filled workbook must actually compute something non-blank
        assert sum(1 for k in formulas if theirs.get(k) not in (None, "", 0)) > 10


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_totals_rows_after_calc_recalculation_equal_the_tools_sums(tmp_path: Path, lang: str) -> None:
    """Calc recomputes every totals row; each equals the sum the importer gives for that column."""
    import openpyxl

    from campaign_sheets.build.layout import plan_layout
    from campaign_sheets.read.importer import import_workbook
    from campaign_sheets.spec.loader import load_spec

    loaded = load_spec("campaign")
    layout = plan_layout(loaded, lang, example=True)
    src = build_workbook(loaded, tmp_path / "book.xlsx", lang=lang, example=True)
    recalculated = convert(src, tmp_path / "calc")
    values = openpyxl.load_workbook(recalculated, data_only=True)
    result = import_workbook(recalculated, today=dt.date(2026, 6, 20))
    checked = 0
    for table in loaded.spec.tables():
        tp = layout.tables[table.key]
        for key in table.totals:
            cell = values[tp.sheet].cell(tp.total_row + 1, tp.col(key) + 1).value
            tool = sum(v for v in result.columns[table.key][key] if v is not None)
            assert cell == pytest.approx(tool), (table.key, key, cell, tool)
            checked += 1
    assert checked == 8
