"""The two dates every figure states: the date asked for, and the date its data is as of.

One rule for the brief, the rollup, the portal and the import's campaign table:
- *data as of*: a campaign's last day with a KPI figure, on or before the date asked for;
- *judged on*: the day tasks, overdue rules and the calendar are judged, the date asked for,
  but never after the campaign's end (a task unfinished when the campaign ended is unfinished
  at close, its days late counted to the end date, not to today's calendar).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable


def data_as_of(days: Iterable[dt.date], asked: dt.date | None = None) -> dt.date | None:
    """The last of `days` (days with a KPI figure) on or before `asked` (None: any); None if none."""
    kept = [d for d in days if asked is None or d <= asked]
    return max(kept) if kept else None


def judged_on(asked: dt.date, end: Any) -> dt.date:
    """The date asked for, clamped to the campaign's end when that is a date and past."""
    if isinstance(end, dt.datetime):
        end = end.date()
    return end if isinstance(end, dt.date) and end < asked else asked


def closed_on(asked: dt.date, end: Any) -> bool:
    """Whether the campaign had ended before the date asked for."""
    return judged_on(asked, end) != asked


__all__ = ["data_as_of", "judged_on", "closed_on"]
