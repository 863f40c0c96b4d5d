"""The daily brief (数据监控日报): one campaign at one date, as data, markdown or one HTML page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .compute import default_date, make_brief
from .model import Brief

PERIODS = ("day", "week")


def brief_for(path: str | Path, date: dt.date | None = None, period: str = "day", lang: str | None = None,
              spec_dir: list[str] | None = None) -> Brief:
    """Import the workbook at `path` and write its brief at `date` (default: its last day with KPI data).

    The file is read once to find that day when `date` is not given, then judged as of that day
    (overdue tasks are those past their end on that day). Raises WorkbookFileError for a file that
    cannot be read, as `import_workbook` does."""
    from ..read.importer import import_workbook

    result = import_workbook(path, spec_dir=spec_dir, lang=lang or "en", today=date or dt.date.today())
    if date is None:
        date = default_date(result)
        result = import_workbook(path, spec_dir=spec_dir, lang=lang or "en", today=date)
    return make_brief(result, date, period, lang)


__all__ = ["Brief", "brief_for", "make_brief", "default_date", "PERIODS"]
