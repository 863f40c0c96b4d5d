"""How references look in Excel: structured references in cells, A1 references in conditional
formats and validations, rendered from a formula's references by key."""
from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name

from .. import formula as f
from .plan import TablePlacement, sref_label

if TYPE_CHECKING:
    from .layout import Planner


class CellNames(f.ExcelNames):
    """Structured references, for formulas in cells."""

    def __init__(self, plan: "Planner", table: TablePlacement | None, item_cell: str | None = None) -> None:
        self.plan, self.table, self.item_cell = plan, table, item_cell

    def row(self, name: str) -> str:
        tp = self.table
        if name in tp.resolved.groups:
            keys = tp.resolved.groups[name]
            first, last = sref_label(tp.labels[keys[0]]), sref_label(tp.labels[keys[-1]])
            return f"{tp.name}[[#This Row],[{first}]:[{last}]]"
        return f"{tp.name}[[#This Row],[{sref_label(tp.labels[name])}]]"

    def scoped(self, scope: str, name: str) -> str:
        if scope in self.plan.tables:
            tp = self.plan.tables[scope]
            return f"{tp.name}[[{sref_label(tp.labels[name])}]]"
        return f"{scope}_{name}"

    def item(self, list_name: str | None, key: str) -> str:
        if list_name is None:
            return self.item_cell or '""'
        return f.excel_string(self.plan.spec.list_label(list_name, key, self.plan.lang))


class RangeNames(CellNames):
    """A1 references relative to a table's first data row, for conditional formats and validations."""

    def row(self, name: str) -> str:
        tp = self.table
        r = tp.first_row + 1
        if name in tp.resolved.groups:
            keys = tp.resolved.groups[name]
            return f"${xl_col_to_name(tp.col(keys[0]))}{r}:${xl_col_to_name(tp.col(keys[-1]))}{r}"
        return f"${xl_col_to_name(tp.col(name))}{r}"

    def scoped(self, scope: str, name: str) -> str:
        if scope in self.plan.tables:
            return self.plan.tables[scope].abs_range(name)
        return f"{scope}_{name}"
