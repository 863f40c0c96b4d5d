"""Read the campaign form and every located table into typed rows, reporting each bad cell once.

Each input cell is read by its column's fast reader when it is clean, else by `coerce` and the
column's bounds, which report what is wrong at that cell. Blank rows are skipped (and counted
when they sit between filled rows); a row holding only the table's totals label or a title is
not data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable

from ..compute import sheet_value
from ..i18n import t
from ..report import Issue, make_issue, shown
from ..spec import model as m
from ..spec.loader import LoadedSpec
from ..text import clean_text
from .coerce import coerce, fast_reader
from .parse import is_number
from .locate import Located, Sheets, normed

TOTAL_LABELS = {normed(t("total", "zh-CN")), normed(t("total", "en"))}
# types a spreadsheet computes with only as numbers: read from text, they are still text to it
_TEXT_IS_NOT = frozenset(m.NUMERIC_TYPES | m.DATE_TYPES)


@dataclass(slots=True)
class Row:
    """One data row of a table."""

    excel_row: int                # 1-based
    typed: dict[str, Any]
    excel: dict[str, Any]         # spreadsheet-space inputs for the evaluator
    raw: dict[str, Any]           # formula columns' cells as found (their cached values)
    extras: dict[str, Any]


class CellReader:
    """Reads input cells of one workbook; every problem becomes an issue at its cell."""

    def __init__(self, loaded: LoadedSpec, file: str, lang: str, labels_lang: str, date1904: bool) -> None:
        self.index, self.spec = loaded.index, loaded.spec
        self.file, self.lang, self.labels_lang, self.date1904 = file, lang, labels_lang, date1904
        self.campaign_year: int | None = None   # completes dates typed without a year, once the form says
        self.issues: list[Issue] = []
        self.stats = {"rows": 0, "blank_rows": 0, "cells": 0}

    def issue(self, code: str, **fields: Any) -> None:
        self.issues.append(make_issue(code, self.lang, file=self.file, **fields))

    def read(self, col: m.Column, raw: Any, sheet: str, row: int, c: int, label: str) -> Any:
        """Coerce one input cell; report type problems and bounds; the typed value or None."""
        got = coerce(raw, col, self.index, campaign_year=self.campaign_year, date1904=self.date1904, lang=self.lang)
        where = {"sheet": sheet, "row": row, "col": c, "column": label}
        if not got.ok:
            if got.warning == "formula-error":
                self.issue("formula-error", value=raw, **where)
            elif col.type == m.ColumnType.choice:
                # the choices as the dropdown shows them, in the workbook's own language
                self.issue("not-in-choices", value=raw, **where,
                           expected=self.index.choices[col.choices or ""].expected(self.labels_lang))
            else:
                self.issue("type-error", value=raw, expected=got.expected, **where)
            return None
        if got.warning == "percent-assumed":
            self.issue("percent-assumed", value=raw, expected=f"{got.value:.2%}", **where)
        if got.value is not None:
            if type(raw) is str and col.type in _TEXT_IS_NOT:
                self.issue("stored-as-text", value=raw, expected=shown(got.value, col.type.value, self.spec.currency),
                           **where)
            self.bounds(col, got.value, where)
        return got.value

    def bounds(self, col: m.Column, value: Any, where: dict[str, Any]) -> None:
        lo, hi = col.min, col.max
        if is_number(value):
            lo = lo if isinstance(lo, (int, float)) else None
            hi = hi if isinstance(hi, (int, float)) else None
        elif isinstance(value, dt.date):
            lo = lo if isinstance(lo, dt.date) else None
            hi = hi if isinstance(hi, dt.date) else None
        else:
            lo = hi = None
            if col.max_length and isinstance(value, str) and len(value) > col.max_length:
                self.issue("too-long", value=value[:40], expected=col.max_length, **where)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            span = f"[{show(lo) if lo is not None else '…'}, {show(hi) if hi is not None else '…'}]"
            self.issue("out-of-range", value=show(value), expected=span, **where)

    def general(self, col: m.Column, raw: Any, sheet: str, row: int, i: int, label: str) -> tuple[Any, Any]:
        """(typed value, spreadsheet value) of one input cell by the general path, reporting its
        problems (a required blank included)."""
        value = self.read(col, raw, sheet, row, i, label)
        if value is None and col.required and is_blank(raw):
            self.issue("missing-value", sheet=sheet, row=row, col=i, column=label)
        return value, self.to_excel(col, value)

    def to_excel(self, col: m.Column, value: Any) -> Any:
        """A typed value back in spreadsheet space (what a formula in the workbook would see)."""
        return sheet_value(self.index, col, value, self.labels_lang)


def read_form(cells: CellReader, sheets: Sheets) -> tuple[dict[str, Any], dict[str, Any]]:
    """The campaign form's fields: (typed values, spreadsheet values). Also sets the campaign year."""
    index = cells.index
    form = index.form
    if form is None:
        return {}, {}
    name = sheets.find(next(s for s in cells.spec.sheets if s.form is form))
    if name is None:
        return {}, {}
    found: dict[str, tuple[int, Any]] = {}
    for r, row in enumerate(sheets.raw.sheets[name]):
        if len(row) > 1 and (fl := index.form_labels.get(normed(row[0]))) and fl.key not in found:
            found[fl.key] = (r, row[1])
    start = index.campaign_field("start")
    if start in found:   # dates typed without a year ('6/18') take the campaign's
        got = coerce(found[start][1], next(x for x in form.fields if x.key == start), index, date1904=cells.date1904)
        if got.ok and isinstance(got.value, dt.date):
            cells.campaign_year = got.value.year
    values: dict[str, Any] = {}
    excel: dict[str, Any] = {}
    for fl in form.fields:
        if fl.key not in found:
            continue
        r, raw = found[fl.key]
        cells.stats["cells"] += 1
        label = m.text_for(fl.label, cells.lang)
        value = values[fl.key] = cells.read(fl, raw, name, r + 1, 1, label)
        if fl.required and value is None and is_blank(raw):
            cells.issue("missing-value", sheet=name, row=r + 1, col=1, column=label,
                        hint=t("hint.missing-field", cells.lang))
        excel[fl.key] = cells.to_excel(fl, value)
    return values, excel


def header_issues(loc: Located, cells: CellReader, other_version: bool) -> None:
    """Missing columns, and columns the template does not know (kept as extras)."""
    title = m.text_for(loc.resolved.table.title, cells.lang)
    labels = cells.index.column_labels[(loc.resolved.table.key, cells.lang)]
    at = {"sheet": loc.sheet, "row": loc.header_row + 1, "table": title}
    for c in loc.resolved.columns:
        if c.formula is None and c.key not in loc.columns and (c.required or not other_version):
            # a column added by a newer template version is simply empty in an older workbook
            cells.issue("header-missing", severity="error" if c.required else "warning", column=labels[c.key], **at)
    for label, i in loc.extras.items():
        if other_version:   # most likely a column the current template version retired
            cells.issue("template-version", col=i, column=label, **at,
                        message=t("issue.column-retired", cells.lang, column=label, table=title))
        else:
            cells.issue("header-unknown", col=i, column=label, **at)


def read_table(loc: Located, cells: CellReader, rows: list[list[Any]]) -> list[Row]:
    """The table's data rows from the header to where the next table begins."""
    index = cells.index
    key = loc.resolved.table.key
    labels = index.column_labels[(key, cells.lang)]
    inputs = [(c, loc.columns[c.key]) for c in loc.resolved.columns if c.formula is None and c.key in loc.columns]
    readers = [(c.key, i, fast_reader(index, c, cells.labels_lang), c, labels[c.key]) for c, i in inputs]
    formulas = [(c.key, loc.columns[c.key]) for c in loc.resolved.columns if c.formula is not None and c.key in loc.columns]
    positions = [*loc.columns.values(), *loc.extras.values()]
    span = (min(positions), max(positions) + 1) if positions else (0, 0)
    watched = [i for _, i in inputs] + list(loc.extras.values())
    reach = max(watched) + 1 if watched else 0
    pick = _picker(watched)      # the watched cells of a full-width row, inputs first, in one C-level step
    untouched = ("",) * len(watched)
    general, sheet = cells.general, loc.sheet
    out: list[Row] = []
    blank_run = 0
    for r in range(loc.header_row + 1, loc.end_row):
        row = rows[r]
        width = len(row)
        if width >= reach:
            picked = pick(row)
            if picked == untouched:      # most rows of a pre-sized template: only formulas show
                blank_run += 1
                continue
        else:
            picked = tuple(row[i] if i < width else "" for i in watched)
        if all(is_blank(v) for v in picked):   # blanks of any kind: spaces, invisible text
            blank_run += 1
            continue
        if _not_data(row[span[0]:span[1]], index.table_texts):
            continue
        if out and blank_run:
            cells.stats["blank_rows"] += blank_run
            cells.issue("blank-rows", sheet=sheet, row=r + 1 - blank_run, col=min(loc.columns.values(), default=0),
                        value=blank_run, table=m.text_for(loc.resolved.table.title, cells.lang))
        blank_run = 0
        record = Row(r + 1, {}, {}, {}, {})
        typed, excel = record.typed, record.excel
        for (k, i, fast, col, label), raw in zip(readers, picked):
            got = fast(raw) if fast is not None else None
            if got is None:
                got = general(col, raw, sheet, r + 1, i, label)
            typed[k], excel[k] = got
        if formulas:
            record.raw = {k: row[i] if i < width else "" for k, i in formulas}
        if loc.extras:
            record.extras = {label: row[i] if i < width else None for label, i in loc.extras.items()}
        out.append(record)
    cells.stats["rows"] += len(out)
    cells.stats["cells"] += len(out) * len(readers)
    return out


def _not_data(cells: list[Any], table_texts: frozenset[str]) -> bool:
    """The totals row (its first cell a totals label, whatever its sums), or a row holding one lone
    text among the table's own columns (a Gantt title may sit beside) that is a totals label or the
    title of the table below."""
    if cells and type(cells[0]) is str and normed(cells[0]) in TOTAL_LABELS:
        return True
    lone, filled = None, 0
    for v in cells:
        if v != "" and not is_blank(v):
            filled += 1
            if filled > 1:
                return False
            lone = v
    return filled == 1 and (normed(lone) in TOTAL_LABELS or normed(lone) in table_texts)


def _picker(indexes: list[int]) -> Callable[[list[Any]], tuple]:
    """row -> the tuple of its cells at `indexes` (itemgetter, except that one index gives a 1-tuple)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return itemgetter(*indexes) if indexes else (lambda row: ())


def is_blank(v: Any) -> bool:
    """Nothing a person typed: None, '', whitespace or invisible characters only."""
    if v is None or v == "":
        return True
    if type(v) is not str:
        return False
    s = v.strip()
    if s.isprintable():   # no zero-width or control characters: blank only if all whitespace
        return not s
    return not clean_text(v)


def show(v: Any) -> str:
    """A value as a message shows it."""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e15 else str(v)
    return str(v)



__all__ = ["Row", "CellReader", "read_form", "read_table", "header_issues", "is_blank", "show", "TOTAL_LABELS"]
