"""Round trips: build → fill → import gives back exactly what was filled, for any spec.

Shipped specs are checked with their examples; random specs (random column types, lists and
bounds) are filled with random valid values through openpyxl, then random cells are corrupted and
the report must name exactly those cells.
"""
from __future__ import annotations

import datetime as dt
import math
import string
import tempfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xlsxwriter.utility import xl_rowcol_to_cell

from campaign_sheets import build_workbook
from campaign_sheets.build.layout import plan_layout
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.spec.loader import available_specs, load_spec, load_spec_text
from campaign_sheets.spec.resolve import resolve_table

TODAY = dt.date(2026, 6, 20)


def _same(expected, got) -> bool:
    if expected is None:
        return got is None or (isinstance(got, float) and math.isnan(got))
    if hasattr(got, "date") and isinstance(expected, dt.date) and not isinstance(expected, dt.datetime):
        return got.date() == expected
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return got is not None and math.isclose(float(expected), float(got), rel_tol=1e-9, abs_tol=1e-9)
    return expected == got


def assert_example_came_back(spec, result) -> None:
    """Every example row of every table imported value for value."""
    for table in spec.tables():
        if table.prefill or not table.example:
            continue
        records = result.records[table.key]
        assert len(records) == len(table.example), table.key
        for want, got in zip(table.example, records):
            for key, value in want.items():
                assert _same(value, got[key]), (table.key, key, value, got[key])


@pytest.mark.parametrize("name", available_specs())
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_shipped_spec_round_trips_its_example(tmp_path, name, lang):
    loaded = load_spec(name)
    path = build_workbook(loaded, tmp_path / f"{name}.xlsx", lang=lang, example=True)
    result = import_workbook(path, today=TODAY)
    assert result.report.counts()["error"] == 0, [f"{i.cell}: {i.message}" for i in result.report.issues if i.severity == "error"]
    assert_example_came_back(loaded.spec, result)


# --------------------------------------------------------------------------- random specs
TYPES = ["text", "integer", "number", "money", "percent", "date", "bool", "choice"]
SAFE_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "活动预算渠道", min_size=1, max_size=12)


@st.composite
def random_spec(draw):
    n = draw(st.integers(2, 6))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=n, max_size=n))
    items = draw(st.lists(st.from_regex(r"[a-z]{3,6}", fullmatch=True), min_size=2, max_size=5, unique=True))
    columns = []
    for i, ty in enumerate(types):
        col = {"key": f"c{i}", "label": {"zh-CN": f"列{i}", "en": f"Col {i}"}, "type": ty}
        if ty == "choice":
            col["choices"] = "things"
        if ty in ("integer", "number", "money") and draw(st.booleans()):
            col["min"], col["max"] = 0, 1000
        if ty == "percent":
            col["min"], col["max"] = 0, 1
        columns.append(col)
    spec = {
        "template": "random", "version": 1, "title": {"zh-CN": "随机", "en": "Random"},
        "lists": {"things": [{"key": k, "label": {"zh-CN": f"项{k}", "en": k.title()}} for k in items]},
        "sheets": [{"key": "data", "title": {"zh-CN": "数据", "en": "Data"},
                    "tables": [{"key": "t", "title": {"zh-CN": "表", "en": "Table"}, "rows": 8, "columns": columns}]}],
    }
    return spec, types, items


def value_for(draw, ty, col, items):
    lo = col.min if col.min is not None else -1e6
    hi = col.max if col.max is not None else 1e6
    if ty == "text":
        return draw(SAFE_TEXT)
    if ty == "integer":
        return draw(st.integers(int(lo), int(hi)))
    if ty in ("number", "money"):
        return round(draw(st.floats(lo, hi, allow_nan=False)), 2)
    if ty == "percent":
        return round(draw(st.floats(0, 1)), 4)
    if ty == "date":
        return draw(st.dates(dt.date(2001, 1, 1), dt.date(2099, 12, 31)))
    if ty == "bool":
        return draw(st.booleans())
    return draw(st.sampled_from(items))


def cell_value(ty, value, lang, spec):
    if ty == "bool":
        return ("是" if value else "否") if lang == "zh-CN" else ("Yes" if value else "No")
    if ty == "choice":
        return spec.list_label("things", value, lang)
    if ty == "date":
        return dt.datetime(value.year, value.month, value.day)
    return value


BAD = {"integer": "12.5x", "number": "n/a", "money": "about ¥", "percent": "lots", "date": "2026-13-45",
       "bool": "maybe", "choice": "nothing-like-it"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_specs_round_trip_and_corruptions_are_named(data):
    spec_dict, types, items = data.draw(random_spec())
    lang = data.draw(st.sampled_from(["zh-CN", "en"]))
    loaded = load_spec_text(yaml.safe_dump(spec_dict, allow_unicode=True), "random.yaml")
    spec = loaded.spec
    table = spec.table("t")
    cols = resolve_table(spec, table).columns
    nrows = data.draw(st.integers(1, 6))
    rows = [[value_for(data.draw, ty, col, items) for ty, col in zip(types, cols)] for _ in range(nrows)]
    with tempfile.TemporaryDirectory() as tmp:
        path = build_workbook(loaded, Path(tmp) / "r.xlsx", lang=lang)
        tp = plan_layout(loaded, lang).tables["t"]
        wb = openpyxl.load_workbook(path)
        ws = wb[tp.sheet]
        for i, row in enumerate(rows):
            for ty, col, value in zip(types, cols, row):
                ws[xl_rowcol_to_cell(tp.first_row + i, tp.col(col.key))] = cell_value(ty, value, lang, spec)
        wb.save(path)
        result = import_workbook(path, spec=loaded, today=TODAY)
        assert result.report.counts()["error"] == 0, [i.message for i in result.report.issues]
        got = result.records["t"]
        assert len(got) == nrows
        for want, rec in zip(rows, got):
            for ty, col, value in zip(types, cols, want):
                assert _same(value, rec[col.key]), (ty, value, rec[col.key])
        # corrupt some non-text cells: the report names exactly those cells
        candidates = [(i, j) for i in range(nrows) for j, ty in enumerate(types) if ty != "text"]
        if not candidates:
            return
        chosen = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=4, unique=True))
        wb = openpyxl.load_workbook(path)
        ws = wb[tp.sheet]
        named = set()
        for i, j in chosen:
            col = cols[j]
            ref = xl_rowcol_to_cell(tp.first_row + i, tp.col(col.key))
            ws[ref] = BAD[col.type.value]
            named.add(ref)
        wb.save(path)
        result = import_workbook(path, spec=loaded, today=TODAY)
        errors = {i.cell for i in result.report.issues if i.severity == "error"}
        assert errors == named
