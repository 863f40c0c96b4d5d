"""How each KPI adds up over days, as one spec formula over the KPI tracker.

A KPI's `aggregate` (sum, mean, last, ratio, formula) becomes a formula in the spec's own
language over the daily table. The dashboard writes that formula into its cells, and the brief
and the rollup evaluate the very same text with the formula engine over the rows they need
(the whole table, one day, a week): one definition, three users, no second implementation.
"""
from __future__ import annotations

import re

from . import model as m

_ROW_REF = re.compile(r"\[([a-z][a-z0-9_]*)\]")


def aggregate_of(kpi: m.Kpi) -> m.Aggregate:
    """The KPI's declared aggregate, else the stated default: a derived KPI recomputes its formula
    from the totals, `cumulative: true` means sum, percents take the mean, counts and money the sum."""
    if kpi.aggregate is not None:
        return kpi.aggregate
    if kpi.formula:
        return m.Aggregate.formula
    if kpi.cumulative:
        return m.Aggregate.sum
    return m.Aggregate.mean if kpi.type == m.ColumnType.percent else m.Aggregate.sum


def adds_up(kpi: m.Kpi) -> bool:
    """Whether the KPI's days add up towards its target (the only KPIs with a projection)."""
    return aggregate_of(kpi) == m.Aggregate.sum


def undeclared(spec: m.Spec) -> list[str]:
    """KPIs that do not say how they add up (spec check warns; the default above applies)."""
    return [k.key for k in spec.kpis if k.aggregate is None and not k.cumulative]


def total_formula(spec: m.Spec, key: str, table: str, date: str) -> str:
    """The spec formula of KPI `key`'s total over `table` (its date column `date`)."""
    kpi = spec.kpi(key)
    inner = _inner(spec, key, table, date, frozenset())
    if kpi is not None and aggregate_of(kpi) == m.Aggregate.sum:
        return inner
    return f'IFERROR({inner},"")'


def _inner(spec: m.Spec, key: str, table: str, date: str, seen: frozenset[str]) -> str:
    col = f"[{table}.{key}]"
    kpi = spec.kpi(key)
    if kpi is None or key in seen:
        return f"SUM({col})"
    how, seen = aggregate_of(kpi), seen | {key}
    if how == m.Aggregate.mean:
        return f"AVERAGE({col})"
    if how == m.Aggregate.last:
        return f"SUMIFS({col},[{table}.{date}],MAX([{table}.{date}]))"
    if how == m.Aggregate.ratio and kpi.of:
        num, den = (_inner(spec, k, table, date, seen) for k in kpi.of)
        return f"({num}/{den})"
    if how == m.Aggregate.formula and kpi.formula:
        body = kpi.formula[1:] if kpi.formula.startswith("=") else kpi.formula
        return "(" + _ROW_REF.sub(lambda mt: f"({_inner(spec, mt.group(1), table, date, seen)})", body) + ")"
    return f"SUM({col})"


def metric_formula(spec: m.Spec, metric: m.Metric) -> str:
    """A dashboard metric's formula: its own, or its KPI's total over the KPI tracker."""
    role = spec.rollup.kpis
    if metric.kpi is None or role is None:
        return metric.formula
    return total_formula(spec, metric.kpi, role.table, role.date)


def problems(spec: m.Spec) -> list[tuple[tuple, str, dict]]:
    """Declarations that cannot work: (spec path, message key, its fields)."""
    keys = {k.key for k in spec.kpis}
    out: list[tuple[tuple, str, dict]] = []
    for i, kpi in enumerate(spec.kpis):
        how = kpi.aggregate
        if how == m.Aggregate.ratio:
            bad = [k for k in (kpi.of or []) if k not in keys or k == kpi.key]
            if not kpi.of or bad:
                out.append((("kpis", i, "of"), "spec.kpi_ratio", {"kpi": kpi.key, "keys": ", ".join(sorted(keys - {kpi.key}))}))
        if how == m.Aggregate.formula and not kpi.formula:
            out.append((("kpis", i, "aggregate"), "spec.kpi_formula_aggregate", {"kpi": kpi.key}))
    for si, sheet in enumerate(spec.sheets):
        for mi, metric in enumerate(sheet.metrics):
            loc = ("sheets", si, "metrics", mi)
            if (metric.kpi is None) == (not metric.formula):
                out.append((loc, "spec.metric_kpi_or_formula", {"metric": metric.key}))
            elif metric.kpi is not None and metric.kpi not in keys:
                out.append((loc + ("kpi",), "spec.unknown_kpi", {"kpi": metric.kpi, "keys": ", ".join(sorted(keys))}))
            elif metric.kpi is not None and spec.rollup.kpis is None:
                out.append((loc + ("kpi",), "spec.metric_kpi_no_role", {"metric": metric.key}))
        for bi, br in enumerate(sheet.breakdowns):
            for mi, metric in enumerate(br.columns):
                if metric.kpi is not None or not metric.formula:
                    out.append((("sheets", si, "breakdowns", bi, "columns", mi), "spec.breakdown_formula", {"metric": metric.key}))
    return out


__all__ = ["aggregate_of", "adds_up", "undeclared", "total_formula", "metric_formula", "problems"]
