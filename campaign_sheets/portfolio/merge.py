"""Merge per-file summaries into portfolio tables (the only step that sees every file)."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

import pandas as pd

from ..i18n import LANGS, cli_lang, t
from ..spec.roles import RoleProblem
from .labels import Labels, Words, merge_labels
from .summary import STATUSES, Columns, FileSummary


class _Table:
    """One merged table, column-wise: new columns are back-filled with None, missing ones padded."""

    __slots__ = ("columns", "n")

    def __init__(self) -> None:
        self.columns: dict[str, list] = {}
        self.n = 0

    def extend(self, part: Columns) -> None:
        k = len(next(iter(part.values()), ()))
        if not k:
            return   # a file without rows adds no columns (as rows of dicts would add no keys)
        for name, values in part.items():
            column = self.columns.get(name)
            if column is None:
                column = self.columns[name] = [None] * self.n
            column.extend(values)
        self.n += k
        for column in self.columns.values():
            if len(column) < self.n:
                column.extend([None] * (self.n - len(column)))

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The table; with `columns`, exactly those (missing ones all None; no rows: untyped)."""
        if not self.n:
            return pd.DataFrame(columns=columns) if columns is not None else pd.DataFrame()
        if columns is None:
            return pd.DataFrame(self.columns)
        return pd.DataFrame({c: self.columns.get(c, [None] * self.n) for c in columns}, columns=columns)


@dataclass
class Superseded:
    """Why a file is not its campaign's current state: which file is, and the dates that decided it."""

    campaign_id: str
    current: str                   # the current file
    why: str                       # later_data | later_save | later_file | later_upload (`duplicate.<why>` texts)
    date: dt.date | None           # this file's data-as-of date
    current_date: dt.date | None   # the current file's


def rank(s: FileSummary) -> tuple:
    """How the current state of a campaign is chosen among its files: the latest data-as-of date
    (its last day with a KPI figure), then the later save (the file's own save stamp, docProps'
    modified), then the later file (path order). The highest wins."""
    as_of, saved = s.campaign.get("data_as_of"), s.campaign.get("saved_at")
    return (as_of if isinstance(as_of, dt.date) else dt.date.min,
            saved if isinstance(saved, dt.datetime) else _NEVER, natural(s.path))


_NEVER = dt.datetime.min


def natural(path: str) -> tuple:
    """A path as people sort names: the numbers in it by value (v10 after v9), the rest by text."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", path))


@dataclass
class Merger:
    """Accumulates summaries one at a time. Several files naming one campaign code are one campaign:
    only the current one (see `rank`) is kept and summed; the others are listed as superseded.
    Memory holds the current summary of each campaign and the list of files, never raw cells."""

    strict: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    all_versions: bool = False       # keep every file of a campaign (an analyst comparing versions)
    files: list[dict[str, Any]] = field(default_factory=list)
    kept: dict[str, FileSummary] = field(default_factory=dict)         # campaign code (or file) -> its current summary
    superseded: dict[str, Superseded] = field(default_factory=dict)    # file -> why it is not current
    tables: dict[str, _Table] = field(default_factory=dict)            # issues of files that are no campaign
    notes: dict[tuple[str, RoleProblem], int] = field(default_factory=dict)   # (template, problem) -> files concerned
    labels: Labels = field(default_factory=dict)   # what the keys mean, from the files' specs (first wins)

    def _table(self, key: str) -> _Table:
        table = self.tables.get(key)
        if table is None:
            table = self.tables[key] = _Table()
        return table

    def add(self, s: FileSummary) -> None:
        self.files.append({"file": s.path, "status": s.status, "code": s.code, "message": s.message,
                           "campaign_id": s.campaign.get("campaign_id"), **s.counts})
        for note in s.notes:
            self.notes[note] = self.notes.get(note, 0) + 1
        merge_labels(self.labels, s.labels)
        if s.status in ("rejected", "not_campaign"):
            if "issues" in s.tables:
                self._table("issues").extend(s.tables["issues"])
            return
        cid = s.campaign.get("campaign_id")
        key = s.path if self.all_versions or cid is None else str(cid)
        held = self.kept.get(key)
        if held is None:
            self.kept[key] = s
            return
        new, old = (s, held) if rank(s) > rank(held) else (held, s)
        self.kept[key] = new
        self.superseded[old.path] = Superseded(
            str(cid), new.path, "later_data" if rank(new)[0] != rank(old)[0] else
            "later_save" if rank(new)[1] != rank(old)[1] else "later_file",
            old.campaign.get("data_as_of"), new.campaign.get("data_as_of"))
        for path, why in self.superseded.items():   # what the old current superseded, the new one does
            if why.current == old.path:
                why.current, why.current_date = new.path, new.campaign.get("data_as_of")

    def supersede(self, row: dict[str, Any], why: Superseded) -> None:
        """A file known only by its row (the portal's earlier versions): listed as superseded."""
        self.files.append(row)
        self.superseded[row["file"]] = why

    def _current(self) -> list[FileSummary]:
        """The current states summed: in the window, and with --strict, without errors (an errored
        current file leaves its campaign out rather than letting an older version speak for it)."""
        return [s for s in self.kept.values() if self._in_window(s.campaign)
                and not (self.strict and s.status == "errors")]

    @property
    def campaigns(self) -> list[dict[str, Any]]:
        """The campaign row of each campaign's current state in the window (in order of arrival)."""
        return [s.campaign for s in self._current()]

    def _date_ok(self, d: Any) -> bool:
        if not isinstance(d, dt.date):
            return True
        return (self.since is None or d >= self.since) and (self.until is None or d <= self.until)

    def _in_window(self, c: dict[str, Any]) -> bool:
        start, end = c.get("start"), c.get("end")
        if self.since and isinstance(end, dt.date) and end < self.since:
            return False
        if self.until and isinstance(start, dt.date) and start > self.until:
            return False
        return True

    def duplicate_message(self, file: str, lang: str) -> str:
        """The `campaign-duplicate` message of a superseded file, naming both files, in `lang`."""
        why = self.superseded[file]
        day = lambda d: d.isoformat() if isinstance(d, dt.date) else "—"   # noqa: E731
        reason = t(f"duplicate.{why.why}", lang, date=day(why.date), current_date=day(why.current_date))
        return t("issue.campaign-duplicate", lang, campaign=why.campaign_id, current=why.current, file=file, why=reason)

    def _files(self, lang: str) -> list[dict[str, Any]]:
        """The files list, superseded ones said so."""
        out = []
        for f in self.files:
            if f["file"] in self.superseded:
                f = {**f, "status": "superseded", "code": "campaign-duplicate",
                     "message": self.duplicate_message(f["file"], lang)}
            out.append(f)
        return out

    def _tables(self, lang: str) -> dict[str, _Table]:
        """The merged tables: the current states' rows and issues, the duplicate warnings, the issues of
        files that are no campaign."""
        tables: dict[str, _Table] = {}

        def table(key: str) -> _Table:
            return tables.setdefault(key, _Table())
        for key, t_ in self.tables.items():
            table(key).extend(t_.columns)
        for s in self.kept.values():   # a current file left out by --strict: its issues still say why
            if self.strict and s.status == "errors" and "issues" in s.tables:
                table("issues").extend(s.tables["issues"])
        for s in self._current():
            for key, part in s.tables.items():
                if key == "kpi_series" and (self.since or self.until):
                    keep = [self._date_ok(d) for d in part.get("date", ())]
                    part = {name: [v for v, ok in zip(values, keep) if ok] for name, values in part.items()}
                table(key).extend(part)
        files = sorted(self.superseded)
        if files:
            table("issues").extend({
                "campaign_id": [self.superseded[f].campaign_id for f in files], "file": files,
                "severity": ["warning"] * len(files), "code": ["campaign-duplicate"] * len(files),
                "sheet": [None] * len(files), "cell": [None] * len(files),
                "message": [self.duplicate_message(f, lang) for f in files]})
        return tables

    def counts(self) -> dict[str, int]:
        """Files by outcome (found = their sum: each file is clean, with warnings, with errors, unreadable,
        no campaign workbook, or superseded by another file of its campaign) and the campaigns rolled up."""
        out = {s: 0 for s in (*STATUSES, "superseded")}
        for f in self.files:
            out["superseded" if f["file"] in self.superseded else f["status"]] += 1
        out["found"] = len(self.files)
        out["campaigns"] = len(self.campaigns)
        return out

    def language(self, explicit: str | None = None) -> str:
        """The rollup's language: `explicit` if given, else the majority locale of the campaigns
        rolled up; on a tie, or with none, the CLI's language (`cli_lang`)."""
        if explicit:
            return explicit
        ranked = Counter(c.get("locale") for c in self.campaigns if c.get("locale") in LANGS).most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return cli_lang()

    def frames(self, by: Iterable[str] = (), lang: str | None = None) -> dict[str, pd.DataFrame]:
        """The rollup's tables. Values stay keys and columns keep their names (for BI tools);
        `category_label`, `scenario_label` and the notes are in `lang` (default: `language()`)."""
        words = Words(self.labels, self.language(lang))
        empty = _Table()
        tables = self._tables(words.lang)

        def table(key: str, columns: list[str] | None = None) -> pd.DataFrame:
            return tables.get(key, empty).frame(columns)

        frames = {
            "campaigns": pd.DataFrame(self.campaigns),
            "budget": table("budget", ["campaign_id", "category", "category_label", "planned", "actual"]),
            "kpi_series": table("kpi_series", ["campaign_id", "date", "channel", "kpi", "value", "target", "status"]),
            "risks": table("risks"),
            "tasks": table("tasks"),
            "channels": table("channels", ["campaign_id", "channel", "budget"]),
            "issues": table("issues", ["campaign_id", "file", "severity", "code", "sheet", "cell", "message"]),
            "files": pd.DataFrame(self._files(words.lang),
                                  columns=["file", "status", "code", "message", "campaign_id", "error", "warning", "alert"]),
            "notes": pd.DataFrame([(tpl, problem.message(words.lang, tpl), n) for (tpl, problem), n in self.notes.items()],
                                  columns=["template", "message", "files"]),
        }
        _relabel(frames["campaigns"], "scenario_label", "scenario", "scenario", words)
        _relabel(frames["budget"], "category_label", "category", "category", words)
        # deterministic order whatever order the workers finished in
        if len(frames["campaigns"]):
            frames["campaigns"] = frames["campaigns"].sort_values("source_file", kind="mergesort", ignore_index=True)
        for key in ("budget", "kpi_series", "risks", "tasks", "channels", "issues"):
            f = frames[key]
            if len(f) and "campaign_id" in f:
                sort_cols = ["campaign_id"] + (["file"] if key == "issues" else [])
                frames[key] = f.sort_values(sort_cols, kind="mergesort", ignore_index=True, na_position="first")
        b = frames["budget"]
        if len(b):
            g = b.groupby("category", dropna=False, sort=False)
            cat = g.agg(category_label=("category_label", "first"), campaigns=("campaign_id", "nunique"),
                        planned=("planned", "sum"), actual=("actual", "sum")).reset_index()
            cat["variance"] = cat["actual"] - cat["planned"]
            cat["used"] = cat["actual"] / cat["planned"].where(cat["planned"] != 0)
        else:
            cat = pd.DataFrame(columns=["category", "category_label", "campaigns", "planned", "actual", "variance", "used"])
        frames["budget_by_category"] = cat
        for key in by:
            frames[f"by_{key}"] = group(frames, key)
        return frames


def _relabel(frame: pd.DataFrame, column: str, source: str, kind: str, words: Words) -> None:
    """Set a label column from its key column, in the rollup's language (a key without a label
    keeps the label it came with)."""
    if not len(frame) or column not in frame or source not in frame:
        return
    frame[column] = [words.label(kind, key) if key in words.labels.get(kind, {}) else old
                     for key, old in zip(frame[source], frame[column])]


def group(frames: dict[str, pd.DataFrame], key: str) -> pd.DataFrame:
    """Portfolio figures per scenario, lead, start month, or channel (channel budget)."""
    c = frames["campaigns"]
    if key == "channel":
        ch = frames["channels"]
        if not len(ch):
            return pd.DataFrame(columns=["channel", "campaigns", "budget"])
        return ch.groupby("channel", dropna=False).agg(campaigns=("campaign_id", "nunique"), budget=("budget", "sum")).reset_index()
    source = "start" if key == "month" else key
    if not len(c) or source not in c:   # (no campaign has the role that gives the key)
        return pd.DataFrame(columns=[key, "campaigns"])
    c = c.copy()
    if key == "month":
        c["month"] = [s.strftime("%Y-%m") if isinstance(s, dt.date) else None for s in c["start"]]
    figures = {name: (column, how) for name, (column, how) in _GROUP_FIGURES.items() if column in c}
    return c.groupby(key, dropna=False).agg(campaigns=("campaign_id", "count"), **figures).reset_index()


# what a grouped table sums or averages, where the campaigns have it (a spec without a role has not)
_GROUP_FIGURES = {
    "budget_planned": ("budget_planned", "sum"), "budget_actual": ("budget_actual", "sum"),
    "tasks_overdue": ("tasks_overdue", "sum"), "tasks_unfinished_at_close": ("tasks_unfinished_at_close", "sum"),
    "risks_open_high": ("risks_open_high", "sum"),
    "alerts": ("alerts", "sum"), "attainment": ("attainment", "mean"),
}
