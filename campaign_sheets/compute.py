"""Evaluate a spec's formulas and rules over a workbook's values, the way the spreadsheet does.

The builder uses it for the cached values it writes (so readers that do not recalculate see
the right numbers); the importer uses it to recompute derived values instead of trusting them.
Values are in spreadsheet space: numbers as floats, dates as serials, choices as labels.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from . import formula as f
from .i18n import t
from .spec import model as m
from .spec.index import SpecIndex
from .spec.resolve import ResolvedTable


def date_serial(value: Any) -> Any:
    """A date, datetime or ISO date text as an Excel serial; anything else unchanged."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f.date_to_serial(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f.date_to_serial(dt.date.fromisoformat(value))
    return value


def sheet_value(index: SpecIndex, col: m.Column, value: Any, lang: str) -> Any:
    """A value as the workbook's cells hold it, by column type: dates as serials, choices as
    labels in `lang`, bools as 是/否 or Yes/No, numbers as floats. Used for the builder's
    example values and for the importer's typed values alike, so formulas see the same thing."""
    if value is None or value == "":
        return None
    if col.type in m.DATE_TYPES:
        return date_serial(value)
    if col.type == m.ColumnType.choice and col.choices:
        try:
            return index.list_label(col.choices, str(value), lang)
        except KeyError:
            return str(value)
    if col.type == m.ColumnType.bool:
        return t("yes" if value in (True, "true", "yes", 1) else "no", lang)
    if col.type in m.NUMERIC_TYPES:
        return float(value)
    return m.text_for(value, lang) if isinstance(value, dict) else str(value)


_MISSING = object()


class BookValues:
    """A workbook's input values plus lazy, memoised formula results."""

    def __init__(self, index: SpecIndex, lang: str, rows: dict[str, list[dict[str, Any]]],
                 form: dict[str, Any] | None = None, today: float = 0.0) -> None:
        self.index, self.spec, self.lang, self.rows, self.form = index, index.spec, lang, rows, form or {}
        self.today = today
        self.resolved: dict[str, ResolvedTable] = index.tables
        self._memo: dict[tuple[str, int, str], Any] = {}
        self._formulas: dict[tuple[str, str], Any] = {}   # (table, column) -> compiled formula or None
        self.shared: dict = {}                             # row-invariant results (see formula.Context)
        # input columns a row reference reads directly (a repeat group's name reads its whole range)
        self.inputs = {key: {c.key for c in r.columns if c.formula is None} - r.groups.keys()
                       for key, r in self.resolved.items()}

    # -- values -------------------------------------------------------------------------
    def _formula(self, table: str, key: str) -> Any:
        """The column's compiled (guarded) formula, or None for an input column."""
        fn = self._formulas.get((table, key), _MISSING)
        if fn is _MISSING:
            col = self.resolved[table].column(key)
            fn = None if col.formula is None else self.index.column_formula(table, key)
            self._formulas[(table, key)] = fn
        return fn

    def value(self, table: str, index: int, key: str) -> Any:
        fn = self._formulas.get((table, key), _MISSING)
        if fn is _MISSING:
            fn = self._formula(table, key)
        if fn is None:
            return self.rows[table][index].get(key)
        cell = (table, index, key)
        result = self._memo.get(cell, _MISSING)
        return self._compute(fn, RowContext(self, table, index), cell) if result is _MISSING else result

    def _compute(self, fn: Any, ctx: RowContext, cell: tuple[str, int, str]) -> Any:
        """One formula cell, memoised (errors as values, blank as 0 like the spreadsheet)."""
        self._memo[cell] = None  # a cycle reads as blank rather than recursing forever
        try:
            result = fn(ctx)
        except f.ExcelError as err:
            result = err
        result = self._memo[cell] = 0.0 if result is None else result
        return result

    def column(self, table: str, key: str) -> list[Any]:
        """Every row's value of one column (formulas computed like `value`, with one context)."""
        memo_key = (table, -1, key)
        values = self._memo.get(memo_key)
        if values is None:
            fn = self._formula(table, key)
            rows = self.rows[table]
            if fn is None:
                values = [row.get(key) for row in rows]
            else:
                values, ctx = [], RowContext(self, table, 0)
                for i in range(len(rows)):
                    cell = (table, i, key)
                    result = self._memo.get(cell, _MISSING)
                    if result is _MISSING:
                        ctx.index = i
                        result = self._compute(fn, ctx, cell)
                    values.append(result)
            self._memo[memo_key] = values
        return values

    def evaluate(self, source: str, table: str | None = None, index: int = 0, item: str | None = None) -> Any:
        """A metric or rule: with `table`, in the context of that row."""
        result = f.run(self.index.expression(source), RowContext(self, table, index, item))
        return 0.0 if result is None else result

    def label(self, list_name: str, key: str) -> str:
        return self.index.list_label(list_name, key, self.lang)

    def rule_hits(self, table: str, reported_only: bool = False) -> list[tuple[int, m.Rule]]:
        """(row index, rule) for every rule whose condition holds on a row.

        `reported_only` skips colour-only rules (report: false), which an importer never reports.
        """
        out = []
        ctx = RowContext(self, table, 0)
        n = len(self.rows[table])
        for rule in self.index.rules[table]:
            if reported_only and not rule.report:
                continue
            test = self.index.expression(rule.when)
            for i in range(n):
                ctx.index = i
                if f.run(test, ctx) is True:   # an error is not true
                    out.append((i, rule))
        return out


class RowContext(f.Context):
    def __init__(self, book: BookValues, table: str | None, index: int, item: str | None = None) -> None:
        self.book, self.table, self.index, self.item_label = book, table, index, item
        self.today = book.today
        self.shared = book.shared
        if table is not None:
            self.groups, self.inputs = book.resolved[table].groups, book.inputs[table]
            self.data = book.rows[table]

    def row(self, name: str) -> Any:
        if name in self.inputs:
            return self.data[self.index].get(name)
        if name in self.groups:
            return [self.book.value(self.table, self.index, k) for k in self.groups[name]]
        return self.book.value(self.table, self.index, name)

    def scoped(self, scope: str, name: str) -> Any:
        if scope in self.book.rows:
            return self.book.column(scope, name)
        return self.book.form.get(name)

    def item(self, list_name: str | None, key: str) -> str:
        if list_name is None:
            return self.item_label or ""
        return self.book.label(list_name, key)
