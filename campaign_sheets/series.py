"""A campaign's KPI series read back: each KPI's total over any window of days, and its thresholds.

The totals are the spec's own formulas (`spec/kpis.py`, the very text the dashboard writes into its
cells) run by the formula engine over the rows of the window, so the brief, the rollup and the
workbook's dashboard agree on every complete row. Where a row lacks a part of a ratio or formula
KPI, the brief and the rollup leave it out (unknown, not zero) while the dashboard's SUM counts the
part that is there; the import reports that row (`kpi-ratio-incomplete`, or the cell that could not
be read, whose `affects` lists the dashboard cells).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from . import formula as f
from .asof import data_as_of
from .compute import date_serial
from .spec import model as m
from .spec.index import SpecIndex
from .spec.kpis import aggregate_of, total_formula


@dataclass(frozen=True)
class Thresholds:
    """A KPI's target and lines as the team set them in the definitions table (else the spec's defaults)."""

    target: float | None
    alert: float | None
    warning: float | None


def figure_days(spec: m.Spec, date_key: str, rows: Iterable[Mapping[str, Any]]) -> set[dt.date]:
    """The days on which some KPI has a figure (typed rows of the KPI tracker): what *data as of* and
    the missing days are counted from. KpiSeries.dates is the same rule over its columns."""
    keys = [k.key for k in spec.kpis]
    return {_day(r[date_key]) for r in rows
            if isinstance(r.get(date_key), dt.date) and any(r.get(k) is not None for k in keys)}


def tracker_as_of(index: SpecIndex, tables: Mapping[str, Iterable[Mapping[str, Any]]], asked: dt.date) -> dt.date | None:
    """A workbook's data's date from its typed tables (None without a KPI tracker or a figure)."""
    role: m.KpisRole | None = index.roles.get("kpis")
    if role is None:
        return None
    return data_as_of(figure_days(index.spec, role.date, tables.get(role.table, ())), asked)


class KpiSeries:
    """The daily KPI table of one imported workbook, by date."""

    def __init__(self, index: SpecIndex, columns: dict[str, dict[str, list]], records: dict[str, list[dict]]) -> None:
        self.index, self.spec = index, index.spec
        role: m.KpisRole | None = index.roles.get("kpis")
        self.role = role
        self.kpis: list[m.Kpi] = list(self.spec.kpis) if role is not None else []
        table = columns.get(role.table, {}) if role is not None else {}
        dates = table.get(role.date, []) if role is not None else []
        # rows without a real date cannot be placed in time: they are reported by the importer
        keep = [i for i, d in enumerate(dates) if isinstance(d, dt.date)]
        self.columns = {k: [v[i] for i in keep] for k, v in table.items()}
        self.row_dates: list[dt.date] = [_day(dates[i]) for i in keep]
        keys = [k.key for k in self.kpis]
        cols = [self.columns.get(k, [None] * len(keep)) for k in keys]
        self.dates: list[dt.date] = sorted({d for i, d in enumerate(self.row_dates) if any(c[i] is not None for c in cols)})
        self._totals: dict[str, Callable[[f.Context], Any]] = {
            k: index.expression(total_formula(self.spec, k, role.table, role.date)) for k in keys} if role else {}
        # the columns whose figures make a KPI's total (a ratio: its two KPIs; a formula: what it reads)
        self._inputs = {k: _inputs(self.spec, k) for k in keys}
        self._known_rows: dict[str, list[bool]] = {}
        defs = records.get(role.definitions, []) if role is not None and role.definitions else []
        self.thresholds = {k.key: self._thresholds(k, defs) for k in self.kpis}

    def _thresholds(self, kpi: m.Kpi, defs: list[dict]) -> Thresholds:
        labels = {m.text_for(kpi.label, loc) for loc in self.spec.locales} | {kpi.key}
        row = next((d for d in defs if d.get("kpi") in labels), {})

        def num(name: str, default: float | None) -> float | None:
            v = row.get(name, default)
            return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        return Thresholds(num("target", kpi.target), num("alert", kpi.alert), num("warning", kpi.warning))

    def aggregate(self, key: str) -> m.Aggregate:
        kpi = self.spec.kpi(key)
        return aggregate_of(kpi) if kpi is not None else m.Aggregate.sum

    def _blank_zero(self, key: str) -> bool:
        kpi = self.spec.kpi(key)
        return kpi is not None and kpi.blank == m.Blank.zero

    def _known(self, key: str) -> list[bool]:
        """Per row: whether it has a figure for `key`, i.e. every column its total is made of is there
        (or declared `blank: zero`); a row missing one part of a ratio has no value for the ratio.
        Worked out once per KPI and kept (the rows never change)."""
        known = self._known_rows.get(key)
        if known is None:
            n = len(self.row_dates)
            parts = [(self.columns.get(c, []), self._blank_zero(c)) for c in self._inputs.get(key, [key])]
            known = [all(zero or (i < len(col) and col[i] is not None) for col, zero in parts) for i in range(n)]
            self._known_rows[key] = known
        return known

    def _rows(self, key: str, start: dt.date | None, end: dt.date | None) -> list[int]:
        known = self._known(key)
        return [i for i, d in enumerate(self.row_dates)
                if known[i] and (start is None or d >= start) and (end is None or d <= end)]

    def total(self, key: str, start: dt.date | None = None, end: dt.date | None = None) -> float | None:
        """KPI `key` over the days start..end (both included; None = open), from the rows that have
        its figure (a row lacking a part of a ratio or formula is left out): None when none has."""
        rows = self._rows(key, start, end)
        cols = [self.columns.get(k, []) for k in self._inputs.get(key, [key])]
        if not rows or not any(col[i] is not None for col in cols for i in rows if i < len(col)):
            return None
        value = f.run(self._totals[key], _Window(self, rows))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None   # "" (nothing to divide by) or an error value
        return float(value)

    def days(self, key: str, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
        """The days start..end with a figure for `key`; for a `blank: zero` KPI every calendar day of
        the span (when both ends are given)."""
        if self._blank_zero(key) and start is not None and end is not None:
            return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        return sorted({self.row_dates[i] for i in self._rows(key, start, end)})

    def as_of(self, asked: dt.date | None = None) -> dt.date | None:
        """The last day with a KPI figure on or before `asked` (the data's date)."""
        return data_as_of(self.dates, asked)

    def day(self, key: str, date: dt.date) -> float | None:
        return self.total(key, date, date)

    def status(self, key: str, value: float | None) -> str:
        """alert / warning / ok / '' for one day's value against the KPI's lines, direction-aware."""
        kpi, th = self.spec.kpi(key), self.thresholds.get(key)
        if value is None or kpi is None or th is None:
            return ""
        worse = (lambda a, b: a < b) if kpi.direction == m.Direction.higher else (lambda a, b: a > b)
        if th.alert is not None and worse(value, th.alert):
            return "alert"
        if th.warning is not None and worse(value, th.warning):
            return "warning"
        return "ok"


class _Window(f.Context):
    """The daily table restricted to some rows, as the formula engine reads it."""

    def __init__(self, series: KpiSeries, rows: list[int]) -> None:
        self.series, self.rows = series, rows
        self.date_key = series.role.date if series.role else ""

    def row(self, name: str) -> Any:
        return None

    def scoped(self, scope: str, name: str) -> Any:
        col = self.series.columns.get(name, [])
        values = [col[i] if i < len(col) else None for i in self.rows]
        if name == self.date_key:
            return [date_serial(v) for v in values]
        return values

    def item(self, list_name: str | None, key: str) -> str:
        return self.series.index.list_label(list_name, key, self.series.spec.locales[0]) if list_name else ""


def _inputs(spec: m.Spec, key: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """The tracker columns a KPI's total is made of."""
    kpi = spec.kpi(key)
    if kpi is None or key in seen:
        return [key]
    how = aggregate_of(kpi)
    if how == m.Aggregate.ratio and kpi.of:
        return [c for k in kpi.of for c in _inputs(spec, k, seen | {key})]
    if how == m.Aggregate.formula and kpi.formula:
        refs = [r.name for r in f.refs(f.parse(kpi.formula)) if r.scope is None]
        return [c for k in refs for c in _inputs(spec, k, seen | {key})] or [key]
    return [key]


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


__all__ = ["KpiSeries", "Thresholds", "figure_days", "tracker_as_of"]
