"""The two dates every figure states: the date asked for, and the date its data is as of.

One rule for the brief, the rollup, the portal and the import's campaign table:
- *data as of*: a campaign's last day with a KPI figure, on or before the date asked for;
- *judged on*: the day the campaign's own calendar is judged, the date asked for, but never after
  its end. Tasks are judged on the date asked for (the spec's overdue rule); once the campaign is
  over, a task due by its end and still open is *unfinished at close*, its days late counted to the
  end date (`lateness`), while a task due after the end (the close-out report) is overdue by the
  calendar like any other.
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


def lateness(asked: dt.date, campaign_end: Any, task_end: Any) -> tuple[bool, int]:
    """(unfinished at close, days late) of an open task past its end on `asked`."""
    end = _date(campaign_end)
    due = _date(task_end)
    if due is None:
        return False, 0
    if end is not None and end < asked and due <= end:
        return True, (end - due).days
    return False, max((asked - due).days, 0)


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def closed_on(asked: dt.date, end: Any) -> bool:
    """Whether the campaign had ended before the date asked for."""
    return judged_on(asked, end) != asked


__all__ = ["data_as_of", "judged_on", "closed_on", "lateness"]
