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
