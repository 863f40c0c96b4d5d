"""The shipped default spec: complete, consistent example, and a workbook that guides input."""
from __future__ import annotations

import hashlib

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from campaign_sheets import build_workbook
from campaign_sheets.build.layout import plan_layout
from campaign_sheets.compute import BookValues
from campaign_sheets.spec.loader import load_spec

SHEETS = ["guide", "goals", "research", "strategy", "raci", "timeline", "budget", "risks", "daily_log",
          "kpi", "review", "retro", "dashboard"]


@pytest.fixture(scope="module")
def loaded():
    return load_spec("campaign")


def test_default_spec_has_every_part_of_the_method(loaded):
    assert [s.key for s in loaded.spec.sheets] == SHEETS
    assert set(loaded.spec.locales) == {"zh-CN", "en"}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_empty_template_shows_no_formula_noise(loaded, lang):
    """Formula columns stay blank on empty rows (no 0s or FALSE in a fresh workbook)."""
    layout = plan_layout(loaded, lang, example=False)
    noisy = {}
    for key, tp in layout.tables.items():
        for col in tp.resolved.columns:
            if col.formula:
                values = {v for v in layout.book.column(key, col.key)}
                if values - {""}:
                    noisy[f"{key}.{col.key}"] = values
    assert noisy == {}


def test_example_is_consistent(loaded):
    """Every example reference, person and RACI row satisfies the spec's own rules."""
    layout = plan_layout(loaded, "zh-CN", example=True)
    book: BookValues = layout.book
    errors = [(t, i, r.code) for t in book.rows for i, r in book.rule_hits(t) if r.severity.value == "error"]
    assert errors == []
    task_ids = {v for v in book.column("tasks", "task_id") if v}
    assert {v for v in book.column("raci", "task") if v} == task_ids
    assert {v for v in book.column("daily_log", "task") if v} <= task_ids
    people = {v for v in book.column("roster", "name") if v}
    for key, tp in layout.tables.items():
        for col in tp.resolved.columns:
            if col.type.value == "person":
                assert {v for v in book.column(key, col.key) if v} <= people, f"{key}.{col.key}"
    # the example shows alerts, so people see what the colours mean
    codes = {r.code for t in book.rows for _, r in book.rule_hits(t)}
    assert {"kpi-alert", "budget-overrun", "risk-high"} <= codes


def test_every_input_column_has_a_validation_over_its_rows(loaded, tmp_path):
    path = build_workbook(loaded, tmp_path / "c.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    layout = plan_layout(loaded, "en")
    missing = []
    for key, tp in layout.tables.items():
        ws = wb[tp.sheet]
        covered = set()
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                c1, r1, c2, r2 = range_boundaries(rng)
                covered |= {(c, r) for c in range(c1, c2 + 1) for r in (r1, r2)}
        for i, col in enumerate(tp.resolved.columns):
            if col.formula or (tp.resolved.table.prefill and i == 0) or (col.type.value == "text" and not col.help):
                continue  # free text without help needs no validation
            c = tp.col(col.key) + 1
            if not {(c, tp.first_row + 1), (c, tp.last_row + 1)} <= covered:
                missing.append(f"{key}.{col.key}")
    assert missing == []


def test_default_workbook_is_deterministic(loaded, tmp_path):
    a = build_workbook(loaded, tmp_path / "a.xlsx", example=True)
    b = build_workbook(loaded, tmp_path / "b.xlsx", example=True)
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()
