"""The daily brief (数据监控日报): one campaign at one date, as data, markdown or one HTML page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import CampaignSheetsError
from .compute import default_date, is_empty, make_brief
from .model import Brief

PERIODS = ("day", "week")
FORMATS = ("md", "html", "json")


def brief_for(path: str | Path, date: dt.date | None = None, period: str = "day", lang: str | None = None,
              spec_dir: list[str] | None = None, default_lang: str = "en") -> Brief:
    """Import the workbook at `path` and write its brief at `date` (default: its last day with KPI data),
    in `lang` (default: the workbook's own language; `default_lang` where that is unknown).

    The workbook is judged on `date`, or on the campaign's end once it is over (`asof.judged_on`):
    overdue tasks are those past their end on that day. Without `date` the file is read once to find
    that day, then judged as of it. Raises WorkbookFileError for a file that cannot be read,
    CampaignSheetsError for one whose template is not recognised or that holds nothing yet."""
    from ..read.importer import import_workbook

    asked = date or dt.date.today()
    result = import_workbook(path, spec_dir=spec_dir, lang=lang, today=asked, default_lang=default_lang)
    # no campaign workbook (an untouched template gets the plainer "nothing filled in yet" below)
    if result.not_campaign and not (result.not_campaign == "blank" and is_empty(result)):
        reason = next((i.message for i in result.report.issues if i.code == "not-a-campaign"), result.not_campaign)
        raise CampaignSheetsError.of("brief.not_campaign", path=path, reason=reason)
    if result.index is None:
        raise CampaignSheetsError.of("brief.no_template", path=path)
    if date is None:
        date = default_date(result)
        if date != asked:
            result = import_workbook(path, spec_dir=spec_dir, lang=lang, today=date, default_lang=default_lang)
    return make_brief(result, date, period, lang)


def render(brief: Brief, fmt: str, html_name: str | None = None) -> str:
    """The brief as `md`, `html` or `json` text."""
    if fmt == "json":
        import json

        return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from .html import render_html

        return render_html(brief)
    from .markdown import render_markdown

    return render_markdown(brief, html=html_name)


def file_name(brief: Brief, fmt: str) -> str:
    """`<workbook stem>-brief-<date>.<fmt>`: one file per workbook and day in an output folder."""
    return f"{Path(brief.file).stem}-brief-{brief.date.isoformat()}{'-week' if brief.period == 'week' else ''}.{fmt}"


__all__ = ["Brief", "brief_for", "make_brief", "default_date", "render", "file_name", "PERIODS", "FORMATS"]
