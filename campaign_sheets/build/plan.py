"""The plan of a workbook: plain data the layout fills and the writer writes (no engine here)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from ..compute import BookValues
from ..contract import Meta
from ..spec import model as m
from ..spec.resolve import ResolvedTable


@dataclass
class Cell:
    value: Any = None
    formula: str | None = None
    style: dict = field(default_factory=dict)
    link: str | None = None


@dataclass
class Validation:
    first_row: int
    col: int
    last_row: int
    options: dict


@dataclass
class CondFormat:
    ranges: str  # space-separated A1 ranges; the formula is relative to the first one's top-left
    options: dict


@dataclass
class Chart:
    kind: str
    title: str
    categories: str
    series: list[tuple[str, str]]  # (name, values range)
    anchor: tuple[int, int]
    y_format: str | None = None


@dataclass
class TablePlacement:
    """Where a table landed: used by formulas, validations, charts and `_meta`."""

    key: str
    sheet: str
    name: str
    header_row: int
    first_row: int
    last_row: int
    first_col: int
    resolved: ResolvedTable
    labels: dict[str, str]
    title_row: int = 0
    total_row: int | None = None

    def col(self, key: str) -> int:
        return self.first_col + [c.key for c in self.resolved.columns].index(key)

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.resolved.columns) - 1

    def abs_range(self, key: str) -> str:
        c = xl_col_to_name(self.col(key))
        return f"{quote_sheet(self.sheet)}!${c}${self.first_row + 1}:${c}${self.last_row + 1}"


@dataclass
class SheetPlan:
    key: str
    name: str
    kind: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    tables: list[dict] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    cond_formats: list[CondFormat] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    hidden: bool = False
    protect: bool = False
    landscape: bool = True
    repeat_rows: tuple[int, int] | None = None
    tab_color: str | None = None
    hide_gridlines: bool = True
    wide: bool = False
    fit_height: int = 0  # pages tall when printed (0: as many as the sheet needs, one page wide)

    def put(self, row: int, col: int, value: Any = None, style: dict | None = None, *,
            formula: str | None = None, link: str | None = None) -> None:
        self.cells[(row, col)] = Cell(value, formula, style or {}, link)


@dataclass
class Layout:
    spec: m.Spec
    lang: str
    sheets: list[SheetPlan]
    names: dict[str, str]
    tables: dict[str, TablePlacement]
    meta: Meta
    book: BookValues


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def sref_label(label: str) -> str:
    """A header label inside a structured reference: ' escapes [ ] # and '."""
    return re.sub(r"([\[\]#'])", r"'\1", label)


def table_name(key: str) -> str:
    return f"tbl_{key}"
