"""Shared test helpers: read cells back with openpyxl and compare against Calc."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl

ERROR_CODES = {"#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!"}


def cell_values(path: str | Path) -> dict[tuple[str, str], object]:
    """Every non-empty cell value, keyed by (sheet, coordinate), as the file stores it."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value not in (None, ""):
                    out[(ws.title, c.coordinate)] = c.value
    return out


def formula_cells(path: str | Path) -> set[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}


def same(a: object, b: object) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def error_cells(values: dict) -> dict:
    return {k: v for k, v in values.items() if isinstance(v, str) and (v in ERROR_CODES or v.startswith("Err:"))}
