"""What an import gives back: typed tables (built lazily), the campaign facts and the report.

Typed columns come from the typed rows (inputs as read, formula columns as recomputed); each
table is offered three ways, each built on first access: plain columns (what a rollup merges),
records (a dict a row) and pandas DataFrames.
"""
from __future__ import annotations

import dataclasses

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import formula as f
from ..compute import BookValues
from ..errors import WorkbookFileError
from ..report import Report, make_issue
from ..spec import model as m
from ..spec.index import SpecIndex
from ..spec.resolve import ResolvedTable

if TYPE_CHECKING:   # pandas is imported when a first DataFrame is asked for (read/frames.py)
    import pandas as pd
from .tables import Row


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
    index: SpecIndex | None = None          # what derives from `spec` (roles, labels...)
    unreadable: str | None = None           # the file's code when it could not be read at all
    campaign: dict[str, Any] = field(default_factory=dict)   # the campaign's facts (see `campaign_facts`)
    # why the file is no campaign workbook (NOT_CAMPAIGN: its template is unknown, a blank template,
    # a rollup's own output); None for a campaign workbook. Such a file is never counted as a campaign.
    not_campaign: str | None = None

    @property
    def valid(self) -> bool:
        return self.report.valid and self.unreadable is None and self.not_campaign is None

    @classmethod
    def from_error(cls, path: str, err: WorkbookFileError) -> "ImportResult":
        """The result of a file that could not be read: one issue, its code, no tables. The one
        place where a reading failure becomes report data."""
        issue = make_issue(err.code, "en", file=path, message=err.message)
        detail = err.params.get("detail")
        if detail:
            issue = dataclasses.replace(issue, detail=str(detail)[:500])
        return cls(path, {"campaign_id": None, "source_file": path}, {}, {}, Report(path, [issue]), unreadable=err.code)


NOT_CAMPAIGN = ("template-unknown", "blank", "rollup", "output")   # the reasons, texts `not_campaign.<reason>`


_DTYPES = {
    m.ColumnType.integer: "Int64", m.ColumnType.number: "float64", m.ColumnType.money: "float64",
    m.ColumnType.percent: "float64", m.ColumnType.bool: "boolean",
}


def _typed_columns(resolved: ResolvedTable, rows: list[Row], book: BookValues | None) -> list[tuple[str, str, list]]:
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


def _columns(resolved: ResolvedTable, rows: list[Row], book: BookValues | None) -> dict[str, list]:
    """Plain typed columns (no pandas), name -> values: what a rollup over thousands of files merges."""
    return {name: values for name, _, values in _typed_columns(resolved, rows, book)}


def _records(resolved: ResolvedTable, rows: list[Row], book: BookValues | None) -> list[dict[str, Any]]:
    """Plain typed rows (no pandas), one dict a row."""
    cols = _columns(resolved, rows, book)
    return [dict(zip(cols, values)) for values in zip(*cols.values())]


def _frame(resolved: ResolvedTable, rows: list[Row], book: BookValues | None, campaign_id: str, file: str) -> "pd.DataFrame":
    from .frames import frame

    return frame(_typed_columns(resolved, rows, book), len(rows), campaign_id, file)


CAMPAIGN_FACTS = ("campaign_id", "name", "code", "scenario", "scenario_label", "lead", "start", "end", "budget",
                  "objective", "template", "version", "locale", "source_file", "today", "data_as_of", "saved_at")


def campaign_facts(index: SpecIndex | None, form: dict[str, Any], meta: dict[str, Any], file: str,
                   lang: str) -> dict[str, Any]:
    """One row of facts about the campaign a workbook plans, from the form fields the spec's
    campaign role names (any it lacks are None). Its id is the code, else the name, else the
    file's name; `scenario_label` is the scenario's label in `lang`."""
    facts: dict[str, Any] = {k: None for k in CAMPAIGN_FACTS}
    if index is not None:
        for key in m.CampaignRole.model_fields:
            field_key = index.campaign_field(key)
            facts[key] = form.get(field_key) if field_key else None
        scenario = index.campaign_field("scenario")
        scenario_field = next((fl for fl in index.form.fields if fl.key == scenario), None) if index.form else None
        if facts["scenario"] is not None and scenario_field is not None and scenario_field.choices:
            try:
                facts["scenario_label"] = index.list_label(scenario_field.choices, facts["scenario"], lang)
            except KeyError:
                facts["scenario_label"] = facts["scenario"]
    facts["campaign_id"] = str(facts["code"] or facts["name"] or Path(file).stem)
    facts.update(template=meta.get("template"), version=meta.get("file_version"), locale=meta.get("locale"),
                 source_file=file)
    return facts


def lazy_tables(index: Any, rows: dict[str, list[Row]], book: BookValues | None, campaign_id: str,
                file: str) -> tuple[LazyTables, LazyTables, LazyTables]:
    """(DataFrames, records, columns) of every table of the spec, each built on first access."""
    from functools import partial

    frames, records, columns = {}, {}, {}
    for key, resolved in index.tables.items():
        args = (resolved, rows.get(key, []), book)
        frames[key] = partial(_frame, *args, campaign_id, file)
        records[key] = partial(_records, *args)
        columns[key] = partial(_columns, *args)
    return LazyTables(frames), LazyTables(records), LazyTables(columns)


__all__ = ["ImportResult", "LazyTables", "lazy_tables"]
