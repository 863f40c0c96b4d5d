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
    by_key: dict[str, m.Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.columns}

    def column(self, key: str) -> m.Column:
        return self.by_key[key]


def resolve_table(spec: m.Spec, table: m.Table) -> ResolvedTable:
    """The table's effective columns. Raises KeyError(list name) when a repeat names no list.

    Cheap but not free (repeat columns are model copies): a loaded spec keeps every table's
    result in its `SpecIndex`."""
    columns: list[m.Column] = []
    groups: dict[str, list[str]] = {}
    kpis: dict[str, m.Kpi] = {}
    for col in table.columns:
        if not col.repeat:
            columns.append(col)
            continue
        keys: list[str] = []
        if col.repeat == "kpis":
            for kpi in spec.kpis:
                ctype = m.ColumnType.formula if kpi.formula else kpi.type
                columns.append(col.model_copy(update={
                    "key": kpi.key, "label": kpi.label, "type": ctype, "repeat": None,
                    "formula": kpi.formula, "result": kpi.type if kpi.formula else None,
                    "min": 0 if kpi.type in m.NUMERIC_TYPES and not kpi.formula else col.min,
                }))
                kpis[kpi.key] = kpi
                keys.append(kpi.key)
        else:
            if col.repeat not in spec.lists:
                raise KeyError(col.repeat)
            for item in spec.lists[col.repeat]:
                key = f"{col.key}_{item.key}".lower()
                columns.append(col.model_copy(update={"key": key, "label": item.label or item.key, "repeat": None}))
                keys.append(key)
        groups[col.key] = keys
    return ResolvedTable(table, columns, groups, kpis)
