"""Labels for what a rollup holds as keys: a file's spec's words, and the rollup's own fixed words.

The rollup's tables hold keys (`festival_promotion`, `done`, `high`) and raw column names, which is
what BI tools want. The rollup workbook shows labels in one language. What a key means comes from
each file's spec (a scenario, a budget category, a channel, a KPI, a choice or a column of the task
and risk tables; a custom spec may add its own), so each `FileSummary` carries a small label map
of the keys it holds, in every language its spec has (`spec_labels`); the `Merger` merges them,
first wins (`merge_labels`); a `Words` resolves them in the rollup's language, with the fixed words
from the `portfolio.*` texts.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from ..i18n import has, t
from ..spec import model as m
from ..spec.index import SpecIndex

# kind -> key -> language -> label. Kinds: "scenario", "category", "channel", "kpi", "<table>.<column>"
# for the choice columns of the task and risk tables, "header.<table>" for their columns.
Labels = dict[str, dict[str, dict[str, str]]]

SPEC_TABLES = ("tasks", "risks")   # rollup tables whose columns are the spec's own
_KPI_COLUMN = re.compile(r"kpi_(?P<key>[a-z][a-z0-9_]*)_(?P<part>latest|target|attainment)")

# which labels translate which column of which rollup table (beyond the spec tables' choice columns)
SPEC_VALUES: dict[tuple[str, str], str] = {
    ("campaigns", "scenario"): "scenario", ("by_scenario", "scenario"): "scenario",
    ("budget", "category"): "category", ("budget_by_category", "category"): "category",
    ("kpi_series", "channel"): "channel", ("channels", "channel"): "channel", ("by_channel", "channel"): "channel",
    ("kpi_series", "kpi"): "kpi",
}
FIXED_VALUES: dict[tuple[str, str], str] = {
    ("campaigns", "status"): "status", ("files", "status"): "status", ("campaigns", "phase"): "phase",
    ("risks", "level"): "level", ("kpi_series", "status"): "kpi_status", ("issues", "severity"): "severity",
}
FIXED_WORDS = {
    "status": ("clean", "warnings", "errors", "rejected", "not_campaign", "superseded"), "phase": ("planning", "running", "closed"),
    "level": ("high", "medium", "low"), "kpi_status": ("ok", "warning", "alert"),
    "severity": ("error", "warning", "alert", "info"),
}


def _texts(text: m.Text | None, key: str, locales: Iterable[str]) -> dict[str, str]:
    return {lang: m.text_for(text, lang) or key for lang in locales}


def _items(index: SpecIndex, list_name: str | None, keys: Iterable[Any]) -> dict[str, dict[str, str]]:
    """The labels of the list items among `keys` (keys the list lacks are left out)."""
    if not list_name or list_name not in index.choices:
        return {}
    items = _spec_part(index)[1].get(list_name)
    if items is None:
        items = _spec_part(index)[1][list_name] = {
            item.key: _texts(item.label, item.key, index.spec.locales) for item in index.spec.list_items(list_name)}
    wanted = {k for k in keys if isinstance(k, str)}
    return {key: texts for key, texts in items.items() if key in wanted}


def _choices(index: SpecIndex, table: str | None, column: str | None) -> str | None:
    resolved = index.tables.get(table or "")
    col = resolved.by_key.get(column or "") if resolved else None
    return col.choices if col is not None else None


def _spec_part(index: SpecIndex) -> tuple[Labels, dict[str, dict[str, dict[str, str]]]]:
    """(labels every summary of the spec carries, the spec's list item labels by list, filled as
    asked): what depends on the spec alone, kept on its index so it is worked out once. The
    summaries of one spec share these dicts, so a batch of summaries pickles them once."""
    part = index.derived.get("rollup_labels")
    if part is None:
        locales, fixed = index.spec.locales, {}
        if "kpis" in index.roles:
            fixed["kpi"] = {k.key: _texts(k.label, k.key, locales) for k in index.spec.kpis}
        for name in SPEC_TABLES:
            role = index.roles.get(name)
            resolved = index.tables.get(role.table) if role is not None else None
            if resolved is not None:
                fixed[f"header.{name}"] = {c.key: _texts(c.label, c.key, locales) for c in resolved.columns}
        part = index.derived["rollup_labels"] = (fixed, {})
    return part


def spec_labels(index: SpecIndex, campaign: dict[str, Any], tables: dict[str, dict[str, list]]) -> Labels:
    """The labels of the keys one file's rollup rows hold, from its spec: small (only keys present,
    plus the spec's KPIs and the columns of its task and risk tables, shared by every file of the
    spec), in every language it has. Treat it as read-only."""
    roles = index.roles
    out: Labels = {kind: entries for kind, entries in _spec_part(index)[0].items()
                   if kind == "kpi" or kind.removeprefix("header.") in tables}

    def add(kind: str, entries: dict[str, dict[str, str]]) -> None:
        if entries:
            out.setdefault(kind, {}).update({k: v for k, v in entries.items() if k not in out.get(kind, {})})

    scenario = index.campaign_field("scenario")
    field = next((fl for fl in index.form.fields if fl.key == scenario), None) if index.form and scenario else None
    add("scenario", _items(index, field.choices if field else None, [campaign.get("scenario")]))
    if "budget" in roles and "budget" in tables:
        add("category", _items(index, _choices(index, roles["budget"].table, roles["budget"].category),
                               tables["budget"].get("category", ())))
    if "kpis" in roles and "kpi_series" in tables:
        add("channel", _items(index, _choices(index, roles["kpis"].table, roles["kpis"].channel),
                              tables["kpi_series"].get("channel", ())))
    if "channels" in roles and "channels" in tables:
        add("channel", _items(index, _choices(index, roles["channels"].table, roles["channels"].channel),
                              tables["channels"].get("channel", ())))
    for name in SPEC_TABLES:
        role = roles.get(name)
        resolved = index.tables.get(role.table) if role is not None else None
        if resolved is None or name not in tables:
            continue
        for c in resolved.columns:
            if c.choices:
                add(f"{name}.{c.key}", _items(index, c.choices, tables[name].get(c.key, ())))
    return out


def merge_labels(into: Labels, part: Labels) -> None:
    """Add one file's labels: the first file to label a key wins (a language it lacks is taken
    from a later one)."""
    for kind, entries in part.items():
        have = into.setdefault(kind, {})
        for key, langs in entries.items():
            entry = have.get(key)
            if entry is None:
                have[key] = dict(langs)
            else:
                for lang, text in langs.items():
                    entry.setdefault(lang, text)




class Words:
    """The rollup's keys as words in one language: sheet names, headers, values."""

    def __init__(self, labels: Labels | None, lang: str) -> None:
        self.labels, self.lang = labels or {}, lang

    def label(self, kind: str, key: Any) -> Any:
        """A spec key's label in this language (another language's if the spec lacks it; else the key)."""
        entry = self.labels.get(kind, {}).get(key) if isinstance(key, str) else None
        if not entry:
            return key
        return entry.get(self.lang) or next(iter(entry.values()), key)

    def fixed(self, kind: str, key: Any) -> Any:
        name = f"portfolio.{kind}.{key}"
        return t(name, self.lang) if isinstance(key, str) and has(name) else key

    def sheet(self, key: str) -> str:
        name = f"portfolio.sheet.{key}"
        return t(name, self.lang) if has(name) else key

    def header(self, table: str, column: str) -> str:
        """A column's header: the spec's label for a task or risk column, '<KPI> · latest' for a
        KPI's columns, the fixed word for the rollup's own columns; any other keeps its name."""
        if table in SPEC_TABLES and column in self.labels.get(f"header.{table}", {}):
            return str(self.label(f"header.{table}", column))
        kpi = _KPI_COLUMN.fullmatch(column) if table == "campaigns" else None
        if kpi and kpi["key"] in self.labels.get("kpi", {}):
            return t(f"portfolio.kpi_col.{kpi['part']}", self.lang, kpi=self.label("kpi", kpi["key"]))
        for name in (f"portfolio.col.{table}.{column}", f"portfolio.col.{column}"):
            if has(name):
                return t(name, self.lang)
        return column

    def values(self, table: str, column: str) -> dict[Any, Any] | None:
        """What the keys of a column become (None: the column is shown as it is)."""
        kind = SPEC_VALUES.get((table, column))
        if kind is None and table in SPEC_TABLES and f"{table}.{column}" in self.labels:
            kind = f"{table}.{column}"
        if kind is not None:
            return {key: self.label(kind, key) for key in self.labels.get(kind, {})}
        fixed = FIXED_VALUES.get((table, column))
        if fixed is not None:
            return {key: self.fixed(fixed, key) for key in FIXED_WORDS[fixed]}
        return None


__all__ = ["Labels", "spec_labels", "merge_labels", "Words"]
