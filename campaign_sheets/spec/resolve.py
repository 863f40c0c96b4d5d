"""Expand a table's columns: `repeat` columns become one column per list item or KPI."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import model as m


@dataclass
class ResolvedTable:
    """A table with its effective columns and the groups that `repeat` made."""

    table: m.Table
    columns: list[m.Column]
    groups: dict[str, list[str]] = field(default_factory=dict)
    kpis: dict[str, m.Kpi] = field(default_factory=dict)

    def column(self, key: str) -> m.Column:
        by_key = self.__dict__.get("_by_key")
        if by_key is None or len(by_key) != len(self.columns):
            by_key = self.__dict__["_by_key"] = {c.key: c for c in self.columns}
        return by_key[key]


_RESOLVED: dict[tuple[int, int], tuple[m.Spec, m.Table, ResolvedTable]] = {}


def resolve_table(spec: m.Spec, table: m.Table) -> ResolvedTable:
    """Raise KeyError(list name) when a repeat names no list. Memoised per spec and table object."""
    key = (id(spec), id(table))
    hit = _RESOLVED.get(key)
    if hit is not None and hit[0] is spec and hit[1] is table:
        return hit[2]
    resolved = _resolve(spec, table)
    if len(_RESOLVED) > 4096:
        _RESOLVED.clear()
    _RESOLVED[key] = (spec, table, resolved)
    return resolved


def _resolve(spec: m.Spec, table: m.Table) -> ResolvedTable:
    out = ResolvedTable(table=table, columns=[])
    for col in table.columns:
        if not col.repeat:
            out.columns.append(col)
            continue
        keys: list[str] = []
        if col.repeat == "kpis":
            for kpi in spec.kpis:
                ctype = m.ColumnType.formula if kpi.formula else kpi.type
                new = col.model_copy(update={
                    "key": kpi.key, "label": kpi.label, "type": ctype, "repeat": None,
                    "formula": kpi.formula, "result": kpi.type if kpi.formula else None,
                    "min": 0 if kpi.type in m.NUMERIC_TYPES and not kpi.formula else col.min,
                })
                out.columns.append(new)
                out.kpis[kpi.key] = kpi
                keys.append(kpi.key)
        else:
            if col.repeat not in spec.lists:
                raise KeyError(col.repeat)
            for item in spec.lists[col.repeat]:
                key = f"{col.key}_{item.key}".lower()
                new = col.model_copy(update={"key": key, "label": item.label or item.key, "repeat": None})
                out.columns.append(new)
                keys.append(key)
        out.groups[col.key] = keys
    return out


def expanded_columns(spec: m.Spec, table: m.Table) -> list[m.Column]:
    return resolve_table(spec, table).columns
