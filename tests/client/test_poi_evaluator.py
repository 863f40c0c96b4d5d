"""A formula engine nobody here wrote judges our workbooks: Apache POI (Java) opens each one with
XSSFWorkbook and evaluates every formula cell with XSSFFormulaEvaluator (tests/java/PoiEvaluate.java).

Every result must be an ordinary value (no error) equal to what our Python engine computed, which
is also the value the builder cached in the file. POI 4.0.1 does not implement everything Excel
does: the gaps our workbooks hit are listed below with the reason, and any other gap fails.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

from campaign_sheets import build_workbook, import_workbook
from campaign_sheets.annotate import annotate
from campaign_sheets.build.layout import plan_layout
from campaign_sheets.spec.loader import load_spec
from tests.helpers import formula_cells, same
from tests.support.poi import evaluate

SPECS = Path(__file__).resolve().parents[1] / "specs"

# What POI 4.0.1 cannot evaluate, as PoiEvaluate reports it (the function, or POI's words for a
# partly implemented one) -> why that is POI's gap and not our bug. Any other entry fails the test.
KNOWN_UNSUPPORTED = {
    "SUBTOTAL - with 'exclude hidden values' option":
        "tables' totals rows are SUBTOTAL(109, col), the SUM that skips hidden rows that Excel itself "
        "writes for a totals row; POI 4.0.1 implements SUBTOTAL only for function numbers 1-11 "
        "(LibreOffice recalculates these cells in test_libreoffice_recalc)",
}

# (spec, lang, example): the default workbook empty and filled, every scenario template's example
# and the test specs' examples, alternating languages
BOOKS = [("campaign", "zh-CN", False), ("campaign", "zh-CN", True), ("campaign", "en", True)] + [
    (name, "en" if i % 2 else "zh-CN", True)
    for i, name in enumerate(["product_launch", "brand_upgrade", "festival_promotion", "user_growth",
                              "channel_expansion", *(str(p) for p in sorted(SPECS.glob("*.yaml")))])
]


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """Build every book (cached TODAY() = today, as POI's), annotate the default three, let POI
    evaluate them all in one run. -> (expected values by file, POI's lines by file)"""
    tmp = tmp_path_factory.mktemp("poi")
    today = dt.date.today()
    expected: dict[str, dict[tuple[str, str], object]] = {}
    for spec, lang, example in BOOKS:
        loaded = load_spec(spec, lang=lang)
        layout = plan_layout(loaded, lang, example, today)  # the Python engine's values
        path = build_workbook(loaded, tmp / f"{Path(spec).stem}-{lang}-{'example' if example else 'empty'}.xlsx",
                              lang=lang, example=example, as_of=today)
        expected[str(path)] = {(plan.name, xl_rowcol_to_cell(r, c)): cell.value for plan in layout.sheets
                               for (r, c), cell in plan.cells.items() if cell.formula is not None}
    for path in list(expected)[:3]:
        report = import_workbook(path, today=today).report
        copy = annotate(path, report, tmp / "annotated", lang="zh-CN")
        expected[str(copy)] = expected[path]  # annotating adds sheets and marks, never touches a formula
    lines: dict[str, list[dict]] = {p: [] for p in expected}
    for line in evaluate(*expected):
        lines[line["file"]].append(line)
    return expected, lines


def _cells(lines: list[dict]) -> list[dict]:
    return [line for line in lines if "cell" in line]


@pytest.mark.poi
def test_poi_opens_every_book_and_sees_every_formula(judged):
    expected, lines = judged
    for path, found in lines.items():
        assert found and found[0].get("opened") is True, (path, found[:1])
        if path.endswith(".annotated.xlsx"):
            assert found[0]["sheets"][0] == "问题清单", found[0]["sheets"]
        assert {(c["sheet"], c["cell"]) for c in _cells(found)} == formula_cells(path) == set(expected[path]), path


@pytest.mark.poi
def test_poi_evaluates_no_formula_to_an_error_or_an_exception(judged):
    _, lines = judged
    bad = [(Path(c["file"]).name, c["sheet"], c["cell"], c["formula"], c["result"], c["exception"])
           for found in lines.values() for c in _cells(found)
           if c["exception"] is not None or (c["result"] or {}).get("type") == "error"]
    assert bad == []


@pytest.mark.poi
def test_poi_stumbles_only_on_known_gaps_of_poi(judged):
    _, lines = judged
    unsupported = {c["unsupported"] for found in lines.values() for c in _cells(found) if c["unsupported"]}
    assert unsupported <= set(KNOWN_UNSUPPORTED), unsupported - set(KNOWN_UNSUPPORTED)


@pytest.mark.poi
def test_poi_results_equal_the_python_engine_and_the_cached_values(judged):
    """Numbers within 1e-9 (relative), strings and booleans equal; "" and blank are the same."""
    expected, lines = judged
    mismatches, evaluated = [], 0
    for path, found in lines.items():
        for c in _cells(found):
            python = expected[path][(c["sheet"], c["cell"])]
            cached = c["cached"]["value"]
            if not same(python, cached):
                mismatches.append(("cached", Path(path).name, c["sheet"], c["cell"], c["formula"], python, cached))
            if c["result"] is None:
                continue
            evaluated += 1
            poi = c["result"]["value"]
            if not same(python, poi):
                mismatches.append(("poi", Path(path).name, c["sheet"], c["cell"], c["formula"], python, poi))
    assert mismatches == []
    assert evaluated > 4000
    # the filled default workbook really computes: many non-blank results
    filled = lines[next(p for p in lines if p.endswith("campaign-zh-CN-example.xlsx"))]
    assert sum(1 for c in _cells(filled) if c["result"] and c["result"]["value"] not in ("", 0, None)) > 100
