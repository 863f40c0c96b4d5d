"""Read a filled workbook back: typed tables plus a report of every problem.

read_values (safe, fast) → recognise the template → find each table by its headers →
coerce every cell → recompute formulas → check rules → ImportResult.
Bad cells never raise; only a file that cannot be read at all raises WorkbookFileError.
"""
from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import formula as f
from ..contract import LISTS_SHEET, META_SHEET, read_meta, sheet_key
from ..compute import BookValues, parse, sheet_value
from ..codes import CODES
from ..errors import CampaignSheetsError
from ..i18n import t
from ..report import Issue, Report
from ..report import col_letters as col_letter
from ..spec import model as m
from ..spec.loader import LoadedSpec, available_specs, load_spec
from ..spec.resolve import ResolvedTable, resolve_table
from .coerce import _BOOL_WORDS, _UNFOLDED, cell_text, choice_index, clean_text, coerce, is_error_value
from .safe_open import Limits, RawBook, read_values

TOTAL_LABELS = {t("total", "zh-CN").lower(), t("total", "en").lower()}


class LazyTables(Mapping):
    """Table key -> DataFrame, each built on first access (building frames is most of the cost
    of an import, and a validation or a rollup rarely needs all of them)."""

    def __init__(self, builders: dict[str, Any]) -> None:
        self._builders, self._frames = builders, {}

    def __getitem__(self, key: str) -> pd.DataFrame:
        if key not in self._frames:
            self._frames[key] = self._builders[key]()
        return self._frames[key]

    def __iter__(self):
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


@dataclass
class ImportResult:
    """What one workbook holds: typed tables, the campaign facts, and the report."""

    path: str
    meta: dict[str, Any]
    form: dict[str, Any]
    tables: Mapping[str, pd.DataFrame]
    report: Report
    spec: m.Spec | None = None
    stats: dict[str, int] = field(default_factory=dict)
    records: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    columns: Mapping[str, dict[str, list]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.report.valid


_NORMED: dict[str, str] = {}   # headers, labels and titles recur in every file of a template
_FOLDED: dict[str, str] = {}


def _norm(text: Any) -> str:
    """Text as header matching compares it: cleaned, lower case, no spaces (memoised)."""
    if text.__class__ is not str:
        return clean_text(text).lower().replace(" ", "") if isinstance(text, str) else ""
    got = _NORMED.get(text)
    if got is None:
        if len(_NORMED) > 65536:
            _NORMED.clear()
        got = _NORMED[text] = clean_text(text).lower().replace(" ", "")
    return got


def _header_labels(resolved: ResolvedTable) -> dict[str, str]:
    """Normalised header text (either language, key, aliases) -> column key; kept on the table."""
    labels = resolved.__dict__.get("_header_labels")
    if labels is None:
        labels = {}
        for col in resolved.columns:
            for text in [*m.text_all(col.label), col.key, *col.aliases]:
                labels.setdefault(_norm(text), col.key)
        resolved.__dict__["_header_labels"] = labels
    return labels


@lru_cache(maxsize=1024)
def _uses_today(source: str) -> bool:
    return f.uses_today(parse(source))


def _table_texts(spec: m.Spec) -> set[str]:
    """Normalised table titles and help texts (a row holding only one of them is not data)."""
    return m.per_spec(spec, ("table-texts",), lambda: {
        _norm(x) for s in spec.sheets for tb in s.tables for x in [*m.text_all(tb.title), *m.text_all(tb.help)]})


def _column_labels(resolved: ResolvedTable, lang: str) -> dict[str, str]:
    """Column key -> its label in `lang`; kept on the table."""
    cache = resolved.__dict__.setdefault("_labels", {})
    if lang not in cache:
        cache[lang] = {c.key: m.text_for(c.label, lang) for c in resolved.columns}
    return cache[lang]


def _choice_labels(spec: m.Spec, col: m.Column, lang: str) -> dict[str, Any]:
    """Item key -> the cell value a dropdown of `col` holds for it in `lang` (cached per spec)."""
    return m.per_spec(spec, ("choice-labels", col.choices or "", lang), lambda: {
        i.key: sheet_value(spec, col, i.key, lang) for i in spec.list_items(col.choices)})


@dataclass
class _Located:
    resolved: ResolvedTable
    sheet: str
    header_row: int               # 0-based
    columns: dict[str, int]       # column key -> 0-based column index
    extras: dict[str, int]        # unknown header label -> index
    end_row: int                  # exclusive


@dataclass(slots=True)
class _Row:
    excel_row: int                # 1-based
    typed: dict[str, Any]
    excel: dict[str, Any]         # spreadsheet-space inputs for the evaluator
    raw: dict[str, Any]           # formula columns' cells as found (their cached values)
    extras: dict[str, Any]


class _Importer:
    def __init__(self, path: Path, raw: RawBook, spec: LoadedSpec | None, spec_dir: list[str] | None,
                 lang: str, today: dt.date) -> None:
        self.path, self.raw, self.lang = path, raw, lang
        self.file = str(path)
        self.report = Report(self.file)
        self.loaded = spec
        self.spec_dir = spec_dir
        self.today = today
        self.meta = None
        self.sheet_by_key = {sheet_key(n): n for n in raw.sheets}
        self.stats = {"rows": 0, "blank_rows": 0, "cells": 0}

    # -- issues ---------------------------------------------------------------------------
    def issue(self, severity: str, code: str, *, sheet: str | None = None, row: int | None = None,
              col: int | None = None, column: str | None = None, value: Any = None, expected: Any = None,
              table: str | None = None, message: str | None = None, hint: str | None = None) -> None:
        params = {"column": column or "", "value": value, "expected": expected, "table": table or ""}
        cell = f"{col_letter(col)}{row}" if row is not None and col is not None else None
        self.report.add(Issue(
            severity=severity, code=code, file=self.file, sheet=sheet, cell=cell, row=row, column=column,
            value=_plain(value), expected=None if expected is None else str(expected),
            message=message or t(f"issue.{code}", self.lang, **params),
            hint=hint or (t(key, self.lang, **params) if (key := _hint_key(code)) else None),
        ))

    # -- template --------------------------------------------------------------------------
    def identify(self) -> bool:
        self.meta = read_meta(self.raw.sheets.get(META_SHEET))
        # table key -> 0-based header row, as built
        self.header_hints = {k: e.header_row - 1 for k, e in self.meta.tables.items()} if self.meta else {}
        template = self.meta.template if self.meta else None
        if self.loaded is None and template:
            try:
                self.loaded = load_spec(template, spec_dir=self.spec_dir, lang=self.lang)
            except CampaignSheetsError:
                self.loaded = None
        if self.loaded is None:
            self.loaded = self.guess_template()
            if self.loaded is None:
                self.issue("error", "template-unknown", value=template)
                return False
            if self.meta is None:
                self.issue("warning", "meta-missing", value=self.loaded.spec.template)
        spec = self.loaded.spec
        version = self.meta.version if self.meta else None
        self.other_version = version is not None and version != spec.version
        if self.other_version:
            self.issue("warning", "template-version", value=f"{spec.template} v{version}",
                       expected=f"{spec.template} v{spec.version}")
        locale = self.meta.locale if self.meta else None
        self.locale = locale if locale in spec.locales else None
        return True

    def guess_template(self) -> LoadedSpec | None:
        """The spec whose sheet titles and column headers this workbook shows most of.

        Scenario templates share the base's sheets, so headers (KPI columns, custom columns)
        decide between them; on a tie the spec named first wins (the shipped base sorts first
        only by name, so ties are broken by fewer labels, i.e. the plainer template).
        """
        texts = {_norm(v) for rows in self.raw.sheets.values() for row in rows[:400] for v in row if type(v) is str and v}
        best, best_score = None, (0, 0, 0)
        for name in available_specs(self.spec_dir):
            try:
                loaded = load_spec(name, spec_dir=self.spec_dir)
            except CampaignSheetsError:
                continue
            titles = {sheet_key(x) for sh in loaded.spec.sheets for x in m.text_all(sh.title)}
            sheet_hits = len(titles & set(self.sheet_by_key))
            labels = {_norm(x) for tb in loaded.spec.tables() for c in resolve_table(loaded.spec, tb).columns
                      for x in m.text_all(c.label)}
            score = (sheet_hits, len(labels & texts), -len(labels))
            if sheet_hits >= 2 and score > best_score:
                best, best_score = loaded, score
        return best

    # -- locate ----------------------------------------------------------------------------
    def find_sheet(self, sheet: m.Sheet) -> str | None:
        for title in m.text_all(sheet.title):
            name = self.sheet_by_key.get(sheet_key(title))
            if name:
                return name
        return None

    def normalised(self, sheet_name: str, r: int) -> list[str]:
        """Row `r` of a sheet as header-matching keys, computed once and only for rows looked at."""
        cache = self.__dict__.setdefault("_normed", {}).setdefault(sheet_name, {})
        if r not in cache:
            cache[r] = [_norm(v) if type(v) is str and v else "" for v in self.raw.sheets[sheet_name][r]]
        return cache[r]

    def locate(self, sheet_name: str, resolved: ResolvedTable, start: int, hint: int | None = None) -> _Located | None:
        """The table's header row: the first row from `start` with the most of its column labels.
        `hint` (0-based, where `_meta` says the header is) is tried first: a full header there wins."""
        rows = self.raw.sheets[sheet_name]
        labels = _header_labels(resolved)
        best_row, best_hits = None, 0
        need = max(1, min(2, len(resolved.columns)), math.ceil(0.4 * len(resolved.columns)))
        if hint is not None and start <= hint < len(rows) and \
                len({labels[n] for n in self.normalised(sheet_name, hint) if n in labels}) == len(resolved.columns):
            best_row, best_hits = hint, len(resolved.columns)
        for r in range(start, len(rows) if best_row is None else start):
            hits = len({labels[n] for n in self.normalised(sheet_name, r) if n in labels})
            if hits > best_hits:
                best_row, best_hits = r, hits
                if hits == len(resolved.columns):
                    break
        if best_row is None or best_hits < need:
            return None
        header, normed = rows[best_row], self.normalised(sheet_name, best_row)
        first = next(i for i, n in enumerate(normed) if n in labels)
        columns: dict[str, int] = {}
        extras: dict[str, int] = {}
        for i in range(first, len(header)):
            cell = header[i]
            if cell in ("", None):
                break  # a gap ends the table (the Gantt grid sits past one)
            key = labels.get(normed[i])
            if key and key not in columns:
                columns[key] = i
            else:
                extras[clean_text(str(cell))] = i
        return _Located(resolved, sheet_name, best_row, columns, extras, len(rows))

    # -- read -----------------------------------------------------------------------------
    def run(self) -> ImportResult:
        tables: dict[str, list[_Row]] = {}
        located: dict[str, _Located] = {}
        if self.raw.has_macros:
            self.issue("warning", "macros-ignored")
        ok = self.identify()
        if not ok:
            return self.result({}, {}, {})
        spec = self.loaded.spec
        self.lang_labels = self.locale or spec.locales[0]
        form = self.read_form(spec)
        for sheet in spec.sheets:
            if not sheet.tables:
                continue
            name = self.find_sheet(sheet)
            if name is None:
                self.issue("error", "sheet-missing", table=m.text_for(sheet.title, self.lang))
                continue
            found: list[_Located] = []
            start = 0
            for table in sheet.tables:
                resolved = resolve_table(spec, table)
                loc = self.locate(name, resolved, start, self.header_hints.get(table.key))
                if loc is None:
                    self.issue("error", "table-missing", sheet=name, table=m.text_for(table.title, self.lang))
                    continue
                found.append(loc)
                start = loc.header_row + 1
            for a, b in zip(found, found[1:]):
                a.end_row = b.header_row
            for loc in found:
                located[loc.resolved.table.key] = loc
        for key, loc in located.items():
            tables[key] = self.read_table(loc)
        for table in spec.tables():
            if table.key not in tables:
                tables[table.key] = []
        book = self.checks(spec, located, tables, form)
        return self.result(tables, located, form, book)

    def read_form(self, spec: m.Spec) -> dict[str, Any]:
        form = spec.form()
        values: dict[str, Any] = {}
        self.form_excel: dict[str, Any] = {}
        self.campaign_year: int | None = None
        if form is None:
            return values
        sheet = next(s for s in spec.sheets if s.form is form)
        name = self.find_sheet(sheet)
        if name is None:
            return values
        by_label = m.per_spec(spec, ("form-labels",), lambda: {
            _norm(x): fl for fl in form.fields for x in [*m.text_all(fl.label), fl.key, *fl.aliases]})
        rows = self.raw.sheets[name]
        cells: dict[str, tuple[int, Any]] = {}
        for r, row in enumerate(rows):
            if len(row) > 1 and (fl := by_label.get(_norm(row[0]))) and fl.key not in cells:
                cells[fl.key] = (r, row[1])
        start = cells.get("start")
        if start:
            got = coerce(start[1], next(x for x in form.fields if x.key == "start"), spec, date1904=self.raw.date1904)
            if got.ok and isinstance(got.value, dt.date):
                self.campaign_year = got.value.year
        for fl in form.fields:
            if fl.key not in cells:
                continue
            r, raw = cells[fl.key]
            self.stats["cells"] += 1
            value = self.cell(spec, fl, raw, name, r + 1, 1, m.text_for(fl.label, self.lang))
            values[fl.key] = value
            if fl.required and value is None and _blank(raw):
                self.issue("error", "missing-value", sheet=name, row=r + 1, col=1, column=m.text_for(fl.label, self.lang),
                           hint=t("hint.missing-field", self.lang))
            self.form_excel[fl.key] = self.to_excel(spec, fl, value)
        return values

    def cell(self, spec: m.Spec, col: m.Column, raw: Any, sheet: str, row: int, c: int, label: str) -> Any:
        """Coerce one input cell; report type problems; return the typed value or None."""
        got = coerce(raw, col, spec, campaign_year=self.campaign_year, date1904=self.raw.date1904, lang=self.lang)
        if not got.ok:
            if got.warning == "formula-error":
                self.issue("error", "formula-error", sheet=sheet, row=row, col=c, column=label, value=raw)
            elif col.type == m.ColumnType.choice:
                # the choices as the dropdown shows them, in the workbook's own language
                shown = [m.text_for(i.label, self.lang_labels) or i.key for i in spec.list_items(col.choices)]
                self.issue("error", "not-in-choices", sheet=sheet, row=row, col=c, column=label, value=raw,
                           expected=" / ".join(shown[:12]) + (" / …" if len(shown) > 12 else ""))
            else:
                self.issue("error", "type-error", sheet=sheet, row=row, col=c, column=label, value=raw,
                           expected=got.expected)
            return None
        if got.warning == "percent-assumed":
            self.issue("warning", "percent-assumed", sheet=sheet, row=row, col=c, column=label, value=raw,
                       expected=f"{got.value:.2%}")
        value = got.value
        if value is None:
            return None
        self.bounds(col, value, sheet, row, c, label)
        return value

    def bounds(self, col: m.Column, value: Any, sheet: str, row: int, c: int, label: str) -> None:
        lo, hi = col.min, col.max
        if _is_number(value):
            lo = lo if isinstance(lo, (int, float)) else None
            hi = hi if isinstance(hi, (int, float)) else None
        elif isinstance(value, dt.date):
            lo = lo if isinstance(lo, dt.date) else None
            hi = hi if isinstance(hi, dt.date) else None
        else:
            lo = hi = None
            if col.max_length and isinstance(value, str) and len(value) > col.max_length:
                self.issue("error", "too-long", sheet=sheet, row=row, col=c, column=label, value=value[:40],
                           expected=col.max_length)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            span = f"[{_show(lo) if lo is not None else '…'}, {_show(hi) if hi is not None else '…'}]"
            self.issue("error", "out-of-range", sheet=sheet, row=row, col=c, column=label, value=_show(value), expected=span)

    def general(self, spec: m.Spec, col: m.Column, raw: Any, sheet: str, row: int, i: int,
                label: str) -> tuple[Any, Any]:
        """(typed value, spreadsheet value) of one input cell by the general coercion path,
        reporting its problems (a required blank included)."""
        value = self.cell(spec, col, raw, sheet, row, i, label)
        if value is None and col.required and _blank(raw):
            self.issue("error", "missing-value", sheet=sheet, row=row, col=i, column=label)
        return value, self.to_excel(spec, col, value)

    def to_excel(self, spec: m.Spec, col: m.Column, value: Any) -> Any:
        """A typed value back in spreadsheet space (what a formula in the workbook would see)."""
        return sheet_value(spec, col, value, self.lang_labels)

    def read_table(self, loc: _Located) -> list[_Row]:
        spec = self.loaded.spec
        rows = self.raw.sheets[loc.sheet]
        table = loc.resolved.table
        title = m.text_for(table.title, self.lang)
        inputs = [c for c in loc.resolved.columns if c.formula is None]
        labels = _column_labels(loc.resolved, self.lang)
        other_version = getattr(self, "other_version", False)
        for c in inputs:
            if c.key not in loc.columns and (c.required or not other_version):
                # a column added by a newer template version is simply empty in an older workbook
                self.issue("error" if c.required else "warning", "header-missing", sheet=loc.sheet,
                           row=loc.header_row + 1, col=None, column=labels[c.key], table=title)
        for label, i in loc.extras.items():
            if other_version:  # most likely a column the current template version retired
                self.issue("warning", "template-version", sheet=loc.sheet, row=loc.header_row + 1, col=i,
                           column=label, table=title, message=t("issue.column-retired", self.lang, column=label, table=title))
            else:
                self.issue("warning", "header-unknown", sheet=loc.sheet, row=loc.header_row + 1, col=i, column=label,
                           table=title)
        input_idx = [(c, loc.columns[c.key]) for c in inputs if c.key in loc.columns]
        readers = [(c.key, i, quick_reader(spec, c, self.lang_labels), c, labels[c.key]) for c, i in input_idx]
        general, sheet = self.general, loc.sheet
        formula_idx = [(c.key, loc.columns[c.key]) for c in loc.resolved.columns
                       if c.formula is not None and c.key in loc.columns]
        skip_texts = _table_texts(spec)
        positions = [*loc.columns.values(), *loc.extras.values()]
        span = (min(positions), max(positions) + 1) if positions else (0, 0)
        out: list[_Row] = []
        blank_run = 0
        watched = [i for _, i in input_idx] + list(loc.extras.values())
        # the watched cells of a full-width row as one tuple (inputs first), in one C-level step
        reach = max(watched) + 1 if watched else 0
        pick = _picker(watched)
        untouched = ("",) * len(watched)
        for r in range(loc.header_row + 1, loc.end_row):
            row = rows[r]
            width = len(row)
            if width >= reach:
                cells = pick(row)
                # most rows of a pre-sized template are untouched (only their formulas show)
                if cells == untouched:
                    blank_run += 1
                    continue
            else:
                cells = tuple(row[i] if i < width else "" for i in watched)
            if all(_blank(v) for v in cells):   # blanks of any kind: spaces, invisible text
                blank_run += 1
                continue
            # a row holding one lone text (only the table's own columns: a Gantt title may sit beside)
            # is a totals row or the title of the table below
            lone, n_filled = None, 0
            for v in row[span[0]:span[1]]:
                if v != "" and not _blank(v):
                    n_filled += 1
                    if n_filled > 1:
                        break
                    lone = v
            if n_filled == 1 and (_norm(lone) in TOTAL_LABELS or _norm(lone) in skip_texts):
                continue
            if out and blank_run:
                self.stats["blank_rows"] += blank_run
                self.issue("warning", "blank-rows", sheet=loc.sheet, row=r + 1 - blank_run, col=loc.columns and min(loc.columns.values()) or 0,
                           value=blank_run, table=title)
            blank_run = 0
            record = _Row(r + 1, {}, {}, {}, {})
            typed, excel = record.typed, record.excel
            for (key, i, quick, col, label), raw in zip(readers, cells):
                got = quick(raw) if quick is not None else None
                if got is None:
                    got = general(spec, col, raw, sheet, r + 1, i, label)
                typed[key], excel[key] = got
            if formula_idx:
                record.raw = {key: row[i] if i < width else "" for key, i in formula_idx}
            if loc.extras:
                record.extras = {label: row[i] if i < width else None for label, i in loc.extras.items()}
            out.append(record)
        self.stats["rows"] += len(out)
        self.stats["cells"] += len(out) * len(readers)
        return out

    # -- checks ------------------------------------------------------------------------------
    def checks(self, spec: m.Spec, located: dict[str, _Located], tables: dict[str, list[_Row]],
               form: dict[str, Any]) -> BookValues:
        book = BookValues(spec, self.lang_labels, {k: [r.excel for r in rows] for k, rows in tables.items()},
                          self.form_excel, today=f.date_to_serial(self.today))
        known_keys: dict[tuple[str, str], set] = {}

        def keys(scope: str, target: str) -> set:
            """The folded values of one column (what references and people are checked against)."""
            got = known_keys.get((scope, target))
            if got is None:
                got = known_keys[(scope, target)] = {_fold(r.typed.get(target)) for r in tables.get(scope, [])} - {None}
            return got

        for key, loc in located.items():
            rows = tables[key]
            labels = _column_labels(loc.resolved, self.lang)
            for c in loc.resolved.columns:
                i = loc.columns.get(c.key)
                if c.formula is not None:
                    self.check_formula(book, key, loc, rows, c, labels[c.key])
                    continue
                if i is None:
                    continue
                if c.unique:
                    seen: dict[Any, int] = {}
                    for r in rows:
                        v = r.typed.get(c.key)
                        if v is None:
                            continue
                        k = v.lower() if isinstance(v, str) else v
                        if k in seen:
                            self.issue("error", "duplicate-key", sheet=loc.sheet, row=r.excel_row, col=i,
                                       column=labels[c.key], value=v, expected=f"{col_letter(i)}{seen[k]}")
                        else:
                            seen[k] = r.excel_row
                if c.type == m.ColumnType.reference and c.ref:
                    scope, _, target = c.ref.partition(".")
                    known = keys(scope, target)
                    tlabel = m.text_for(spec.table(scope).title, self.lang)
                    for r in rows:
                        v = r.typed.get(c.key)
                        if v is not None and _fold(v) not in known:
                            self.issue("error", "unknown-reference", sheet=loc.sheet, row=r.excel_row, col=i,
                                       column=labels[c.key], value=v, expected=tlabel)
                    if scope == key:
                        self.cycles(loc, rows, c, target, i, labels[c.key])
                if c.type == m.ColumnType.person and spec.people:
                    scope, _, target = spec.people.partition(".")
                    known = keys(scope, target)
                    if known:
                        for r in rows:
                            v = r.typed.get(c.key)
                            if v is not None and _fold(v) not in known:
                                self.issue("warning", "unknown-person", sheet=loc.sheet, row=r.excel_row, col=i,
                                           column=labels[c.key], value=v)
                if c.in_campaign and isinstance(form.get("start"), dt.date) and isinstance(form.get("end"), dt.date):
                    lo, hi = form["start"], form["end"]
                    for r in rows:
                        v = r.typed.get(c.key)
                        if isinstance(v, dt.date) and not lo <= v <= hi:
                            self.issue("warning", "date-outside-campaign", sheet=loc.sheet, row=r.excel_row, col=i,
                                       column=labels[c.key], value=v.isoformat(), expected=f"{lo.isoformat()} – {hi.isoformat()}")
            self.rules(book, key, loc, rows, labels)
        return book

    def check_formula(self, book: BookValues, key: str, loc: _Located, rows: list[_Row], c: m.Column, label: str) -> None:
        i = loc.columns.get(c.key)
        today_dependent = _uses_today(c.formula)
        for r, computed in zip(rows, book.column(key, c.key)):
            if i is None:
                continue
            raw = r.raw.get(c.key)
            if isinstance(computed, f.ExcelError):
                continue  # the inputs' own errors are reported where they are
            if isinstance(raw, str) and is_error_value(raw):
                self.issue("error", "formula-error", sheet=loc.sheet, row=r.excel_row, col=i, column=label, value=raw)
                continue
            if today_dependent:
                continue
            if _blank(raw) and not _blank(computed):
                self.issue("warning", "formula-not-calculated", sheet=loc.sheet, row=r.excel_row, col=i, column=label)
            elif not _same(raw, computed):
                self.issue("warning", "formula-overwritten", sheet=loc.sheet, row=r.excel_row, col=i, column=label,
                           value=_plain(raw), expected=_show(computed))

    def cycles(self, loc: _Located, rows: list[_Row], c: m.Column, target: str, i: int, label: str) -> None:
        edges = {_fold(r.typed.get(target)): (_fold(r.typed.get(c.key)), r) for r in rows if r.typed.get(target) is not None}
        reported: set = set()
        for start in edges:
            path, node = [], start
            while node in edges and node not in path:
                path.append(node)
                node = edges[node][0]
            if node in path:
                cycle = path[path.index(node):]
                if frozenset(cycle) in reported:
                    continue
                reported.add(frozenset(cycle))
                r = edges[cycle[0]][1]
                names = " → ".join(str(edges[x][1].typed.get(target)) for x in cycle + [cycle[0]])
                self.issue("error", "dependency-cycle", sheet=loc.sheet, row=r.excel_row, col=i, column=label, value=names)

    def rules(self, book: BookValues, key: str, loc: _Located, rows: list[_Row], labels: dict[str, str]) -> None:
        for n, rule in book.rule_hits(key, reported_only=True):
            first = (rule.columns or [c.key for c in loc.resolved.columns])[0]
            i = loc.columns.get(first)
            self.issue(rule.severity.value, rule.code, sheet=loc.sheet, row=rows[n].excel_row, col=i,
                       column=labels.get(first), value=_plain(rows[n].typed.get(first)),
                       message=m.text_for(rule.message, self.lang))

    # -- result ------------------------------------------------------------------------------
    def result(self, tables: dict[str, list[_Row]], located: dict[str, _Located], form: dict[str, Any],
               book: BookValues | None = None) -> ImportResult:
        spec = self.loaded.spec if self.loaded else None
        campaign_id = str(form.get("code") or form.get("name") or self.path.stem)
        meta = {
            "template": spec.template if spec else self.meta.template if self.meta else None,
            "version": spec.version if spec else self.meta.version if self.meta else None,
            "file_version": self.meta.version if self.meta else None,
            "locale": getattr(self, "locale", None), "campaign_id": campaign_id,
            "campaign_name": form.get("name"), "source_file": self.file, "meta_sheet": self.meta is not None,
        }
        order = {name: i for i, name in enumerate(self.raw.sheets)}
        self.report.issues.sort(key=lambda i: (i.sheet is not None, order.get(i.sheet, -1), i.row or 0, i.cell or ""))
        frames, records, columns = {}, {}, {}
        if spec is not None:
            for table in spec.tables():
                args = (resolve_table(spec, table), tables.get(table.key, []), book)
                frames[table.key] = partial(_frame, *args, campaign_id, self.file)
                records[table.key] = partial(_records, *args)
                columns[table.key] = partial(_columns, *args)
        return ImportResult(self.file, meta, form, LazyTables(frames), self.report, spec, self.stats,
                            LazyTables(records), LazyTables(columns))


def _picker(indexes: list[int]) -> Callable[[list[Any]], tuple]:
    """row -> the tuple of its cells at `indexes` (itemgetter, except that one index gives a 1-tuple)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return itemgetter(*indexes) if indexes else (lambda row: ())


_QUICK: dict[tuple, tuple[m.Spec, m.Column, Any]] = {}


def quick_reader(spec: m.Spec, col: m.Column, lang: str) -> Callable[[Any], tuple[Any, Any] | None] | None:
    """raw -> (typed value, spreadsheet value) for the cells of input column `col` that need no
    judgement (a clean number, date, text, dropdown label or yes/no in range, or an empty cell
    of an optional column), else None: the caller then takes the general path, which reports.
    Exactly what the general path gives for the same cell (a test holds them equal). Built once
    per spec, column and language of the workbook's labels; None when the type has no shortcut."""
    key = (id(spec), id(col), lang)
    hit = _QUICK.get(key)
    if hit is None or hit[0] is not spec or hit[1] is not col:
        if len(_QUICK) > 4096:
            _QUICK.clear()
        hit = _QUICK[key] = (spec, col, _quick(spec, col, lang))
    return hit[2]


_BLANK_PAIR = (None, None)


def _quick(spec: m.Spec, col: m.Column, lang: str) -> Callable[[Any], tuple[Any, Any] | None] | None:
    kind = col.type
    optional = not col.required
    if kind in _FAST_NUMBERS or kind == m.ColumnType.percent:
        lo = max(float(col.min), -_MAX_FLOAT) if _is_number(col.min) else -_MAX_FLOAT
        hi = min(float(col.max), _MAX_FLOAT) if _is_number(col.max) else _MAX_FLOAT
        integer = kind == m.ColumnType.integer
        percent = kind == m.ColumnType.percent

        def number(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is float:
                # a percent typed as 35 means 35% (reported): only fractions take the shortcut
                if lo <= raw <= hi and (not integer or raw.is_integer()) and not (percent and 1 < raw <= 100):
                    return (int(raw) if integer else raw), raw
            elif raw == "" and optional:
                return _BLANK_PAIR
            return None
        return number
    if kind == m.ColumnType.date:
        lo_d = col.min if isinstance(col.min, dt.date) else dt.date.min
        hi_d = col.max if isinstance(col.max, dt.date) else dt.date.max
        to_serial = f.date_to_serial

        def date(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is dt.date:
                if lo_d <= raw <= hi_d:
                    return raw, to_serial(raw)
            elif raw == "" and optional:
                return _BLANK_PAIR
            return None
        return date
    if kind == m.ColumnType.bool:
        shown = {True: sheet_value(spec, col, True, lang), False: sheet_value(spec, col, False, lang)}
        words = {w: (v, shown[v]) for w, v in _BOOL_WORDS.items()}
        pairs = {True: (True, shown[True]), False: (False, shown[False])}

        def yes_no(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is str:
                if raw:
                    s = cell_text(raw, kind)
                    if s and not _may_be_error(s):
                        return words.get(s.casefold())
                elif optional:
                    return _BLANK_PAIR
            elif raw is True or raw is False:
                return pairs[raw]
            return None
        return yes_no
    if kind == m.ColumnType.choice:
        lookup = choice_index(spec, col.choices or "").lookup
        longest = col.max_length or math.inf
        shown = {k: (k, v) for k, v in _choice_labels(spec, col, lang).items() if len(k) <= longest}
        seen: dict[str, tuple[Any, Any] | None] = {}   # a dropdown's few values recur in every row and file

        def choice(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is str:
                if raw:
                    got = seen.get(raw, _MISS)
                    if got is _MISS:
                        s = cell_text(raw, kind)
                        got = shown.get(lookup.get(s.casefold())) if s and not _may_be_error(s) else None
                        if len(seen) < 1024:
                            seen[raw] = got
                    return got
                if optional:
                    return _BLANK_PAIR
            return None
        return choice
    if kind in _FAST_TEXTS:
        longest = col.max_length or math.inf   # no max_length: no length check on this path either
        folded = kind not in _UNFOLDED

        def text(raw: Any) -> tuple[Any, Any] | None:
            if raw.__class__ is str:
                if raw:
                    # cell_text(raw, kind), inline: most text needs only trimming
                    if raw.isprintable() and (not folded or raw.isascii()):
                        s = raw.strip()
                    else:
                        s = clean_text(raw, fold=folded)
                    if s and len(s) <= longest and not _may_be_error(s):
                        return s, s
                elif optional:
                    return _BLANK_PAIR
            return None
        return text
    return None


_MISS = object()


def _may_be_error(s: str) -> bool:
    """Whether cleaned text could be an error value ('#DIV/0!', LibreOffice's 'Err:502'): those take
    the general path, which reports them."""
    return s[0] == "#" or (s[0] == "E" and s.startswith("Err:"))


_FAST_NUMBERS = frozenset({m.ColumnType.number, m.ColumnType.money, m.ColumnType.integer})
_FAST_TEXTS = frozenset({m.ColumnType.text, m.ColumnType.person, m.ColumnType.reference, m.ColumnType.choice})
_MAX_FLOAT = 1.7976931348623157e308   # finite floats only: inf is a type error


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _hint_key(code: str) -> str | None:
    entry = CODES.get(code)
    return entry.hint_key if entry is not None else None

_DTYPES = {
    m.ColumnType.integer: "Int64", m.ColumnType.number: "float64", m.ColumnType.money: "float64",
    m.ColumnType.percent: "float64", m.ColumnType.bool: "boolean",
}


_STR = pd.array([], dtype="str").dtype   # the default string dtype, resolved once (lookups cost as much as small arrays)


def _column_array(values: list, kind: str) -> Any:
    """One typed column, built directly (astype on a finished frame is several times slower)."""
    if kind == "float64":
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
    if kind == "Int64":
        mask = np.array([v is None for v in values], dtype=bool)
        return pd.arrays.IntegerArray(np.array([0 if v is None else int(round(v)) for v in values], dtype="int64"), mask)
    if kind == "boolean":
        mask = np.array([v is None for v in values], dtype=bool)
        return pd.arrays.BooleanArray(np.array([bool(v) for v in values], dtype=bool), mask)
    if kind == "datetime64[ns]":
        # millisecond resolution: Excel's whole date range (to 9999-12-31) fits, unlike ns (2262)
        return np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "ms") for v in values],
                        dtype="datetime64[ms]")
    if kind == "string":
        return pd.array([None if v is None else str(v) for v in values], dtype=_STR)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _typed_columns(resolved: ResolvedTable, rows: list[_Row], book: BookValues | None) -> list[tuple[str, str, list]]:
    """(name, kind, values) per column: inputs as coerced, formula columns as recomputed."""
    key = resolved.table.key
    out: list[tuple[str, str, list]] = [("row", "Int64", [r.excel_row for r in rows])]
    for c in resolved.columns:
        if c.formula is not None:
            ctype = c.result or m.ColumnType.number
            values = []
            for v in (book.column(key, c.key) if book else [None] * len(rows)):
                if isinstance(v, f.ExcelError) or v == "":
                    v = None
                elif ctype in m.DATE_TYPES and isinstance(v, float):
                    v = f.serial_to_date(v)
                elif ctype not in m.DATE_TYPES and isinstance(v, (dt.date, str)) and ctype in _DTYPES:
                    v = None  # text where a number belongs: reported as a formula issue already
                values.append(v)
        else:
            ctype = c.type
            values = [r.typed.get(c.key) for r in rows]
        out.append((c.key, _DTYPES.get(ctype) or ("datetime64[ns]" if ctype in m.DATE_TYPES else "string"), values))
    for label in sorted({label for r in rows for label in r.extras}):
        out.append((f"extra:{label}", "object", [r.extras.get(label) for r in rows]))
    return out


def _columns(resolved: ResolvedTable, rows: list[_Row], book: BookValues | None) -> dict[str, list]:
    """Plain typed columns (no pandas), name -> values: what a rollup over thousands of files merges."""
    return {name: values for name, _, values in _typed_columns(resolved, rows, book)}


def _records(resolved: ResolvedTable, rows: list[_Row], book: BookValues | None) -> list[dict[str, Any]]:
    """Plain typed rows (no pandas), one dict a row."""
    cols = _columns(resolved, rows, book)
    return [dict(zip(cols, values)) for values in zip(*cols.values())]


def _frame(resolved: ResolvedTable, rows: list[_Row], book: BookValues | None, campaign_id: str, file: str) -> pd.DataFrame:
    n = len(rows)
    data: dict[str, Any] = {
        "campaign_id": _column_array([campaign_id] * n, "string"),
        "source_file": _column_array([file] * n, "string"),
    }
    for name, kind, values in _typed_columns(resolved, rows, book):
        try:
            data[name] = _column_array(values, kind)
        except (TypeError, ValueError, OverflowError):
            data[name] = _column_array(values, "object")
    # DataFrame(dict) re-checks and re-wraps every column (about 0.3 ms a table); these columns are
    # already typed and of one length, so assemble them directly where pandas offers the way
    try:
        return pd.DataFrame._from_arrays(list(data.values()), columns=pd.Index(list(data)), index=pd.RangeIndex(n),
                                         verify_integrity=False)
    except (AttributeError, TypeError):   # pragma: no cover - a pandas without the (private) constructor
        return pd.DataFrame(data)


def _blank(v: Any) -> bool:
    if v is None or v == "":
        return True
    if type(v) is not str:
        return False
    s = v.strip()
    if s.isprintable():   # no zero-width or control characters: blank only if all whitespace
        return not s
    return not clean_text(v)


def _fold(v: Any) -> Any:
    """A key as references compare it: cleaned, lower case (memoised)."""
    if v.__class__ is not str:
        return clean_text(v).lower() if isinstance(v, str) else v
    got = _FOLDED.get(v)
    if got is None:
        if len(_FOLDED) > 65536:
            _FOLDED.clear()
        got = _FOLDED[v] = clean_text(v).lower()
    return got


def _plain(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _show(v: Any) -> str:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e15 else str(v)
    return str(v)


def _same(raw: Any, computed: Any) -> bool:
    if _blank(raw) and _blank(computed):
        return True
    if isinstance(raw, (dt.date, dt.datetime)):
        raw = f.date_to_serial(raw)
    if isinstance(raw, bool) or isinstance(computed, bool):
        return raw == computed
    if isinstance(raw, (int, float)) and isinstance(computed, (int, float)):
        return math.isclose(raw, computed, rel_tol=1e-6, abs_tol=1e-6)
    if isinstance(raw, str) and isinstance(computed, str):
        return clean_text(raw) == clean_text(computed)
    return False


def import_workbook(path: str | os.PathLike, *, spec: str | LoadedSpec | None = None, spec_dir: list[str] | None = None,
                    lang: str = "en", limits: Limits | None = None, today: dt.date | None = None) -> ImportResult:
    """Read one filled workbook: typed tables, campaign facts and a validation report.

    Raises WorkbookFileError only when the file cannot be read at all.
    """
    p = Path(path)
    loaded = load_spec(spec, spec_dir=spec_dir, lang=lang) if isinstance(spec, str) else spec
    named: list[LoadedSpec] = []   # the spec `_meta` names, once loaded to choose the sheets
    raw = read_values(p, limits or Limits(), lang, select=partial(_needed_sheets, loaded, spec_dir, lang, named))
    return _Importer(p, raw, loaded or (named[0] if named else None), spec_dir, lang, today or dt.date.today()).run()


def _needed_sheets(loaded: LoadedSpec | None, spec_dir: list[str] | None, lang: str, named: list[LoadedSpec],
                   names: list[str], read: Callable[[str], list[list[Any]]]) -> set[str] | None:
    """The sheets an import reads: those of the spec (given, or named in `_meta`, then appended to
    `named`) that hold tables or the campaign form, plus `_meta`; None (all) when the template is
    not known before reading."""
    if loaded is None:
        if META_SHEET not in names:
            return None
        meta = read_meta(read(META_SHEET))
        template = meta.template if meta else None
        if template is None:
            return None
        try:
            loaded = load_spec(template, spec_dir=spec_dir, lang=lang)
        except CampaignSheetsError:
            return None
        named.append(loaded)
    titles = {sheet_key(x) for sh in loaded.spec.sheets if sh.tables or sh.form for x in m.text_all(sh.title)}
    return {n for n in names if n == META_SHEET or sheet_key(n) in titles}


__all__ = ["ImportResult", "import_workbook", "LISTS_SHEET"]
