"""Read a filled workbook back: typed tables plus a report of every problem.

read_values (checked, then calamine) → identify the template → read the form → locate each
table by its headers → read rows (coerce every cell) → recompute formulas → run the checks →
ImportResult. Bad cells never raise; only a file that cannot be read at all raises
WorkbookFileError.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Callable, Literal

from .. import formula as f
from ..compute import BookValues
from ..contract import KIND_ROLLUP, META_SHEET, Meta, read_meta
from ..errors import CampaignSheetsError, WorkbookFileError
from ..i18n import LANGS, t
from ..report import Issue, Report, make_issue
from ..asof import judged_on
from ..series import tracker_as_of
from ..spec.loader import LoadedSpec, load_spec
from .checks import Context, run_checks
from .locate import Identity, Sheets, identify, locate_tables, needed_sheets
from .result import ImportResult, campaign_facts, lazy_tables
from .calamine import RawBook, read_values
from .guard import Limits
from .tables import CellReader, Row, header_issues, read_form, read_table


def import_workbook(path: str | os.PathLike, *, spec: str | LoadedSpec | None = None, spec_dir: list[str] | None = None,
                    lang: str | None = "en", limits: Limits | None = None, today: dt.date | None = None,
                    errors: Literal["raise", "report"] = "raise", default_lang: str = "en") -> ImportResult:
    """Read one filled workbook: typed tables, campaign facts and a validation report.

    `spec` (a name, a path or a loaded spec) reads the workbook as that template; by default
    the template is the one the workbook's `_meta` names. Messages are in `lang`; with None, in
    the workbook's own language (`default_lang` where that is unknown: a file that cannot be read,
    a workbook without `_meta`). A file that cannot be read at all raises WorkbookFileError, or
    with `errors="report"` gives a result whose `unreadable` is its code and whose report holds
    that one issue.
    """
    p = Path(path)
    first = lang or default_lang
    loaded = load_spec(spec, spec_dir=spec_dir, lang=first) if isinstance(spec, str) else spec
    chooser = _SheetChooser(loaded, spec_dir, first)
    try:
        raw = read_values(p, limits or Limits(), first, select=chooser)
    except WorkbookFileError as err:
        if errors == "raise":
            raise
        return ImportResult.from_error(str(p), err)
    meta = chooser.meta if chooser.meta_read else read_meta(raw.sheets.get(META_SHEET))
    if lang is None:
        lang = meta.locale if meta is not None and meta.locale in LANGS else default_lang
    # the tool's own outputs (a rollup workbook, an import's tables): never read as a campaign
    own = "rollup" if meta is not None and meta.kind == KIND_ROLLUP else "output" if raw.output else None
    if own is not None:
        facts = {"template": None, "version": None, "file_version": None, "locale": meta.locale if meta else None,
                 "source_file": str(p), "meta_sheet": meta is not None, "sheets": {}, "campaign_id": None,
                 "campaign_name": None}
        report = Report(str(p), [not_campaign_issue(own, lang, str(p))], lang)
        return ImportResult(str(p), facts, {}, {}, report, not_campaign=own)
    return _read(str(p), raw, meta, loaded, chooser.named, spec_dir, lang, today or dt.date.today())


def _read(file: str, raw: RawBook, meta: Meta | None, loaded: LoadedSpec | None, named: LoadedSpec | None,
          spec_dir: list[str] | None, lang: str, today: dt.date) -> ImportResult:
    issues: list[Issue] = []
    if raw.has_macros:
        issues.append(make_issue("macros-ignored", lang, file=file))
    who = identify(meta, raw, loaded, spec_dir, lang, file, named)
    issues += who.issues
    if who.loaded is None:
        return _result(file, raw, who, issues, {}, {}, None, lang=lang)
    loaded = who.loaded
    sheets = Sheets(raw)
    cells = CellReader(loaded, file, lang, who.locale or loaded.spec.locales[0], raw.date1904)
    form, form_excel = read_form(cells, sheets)
    # the data's date: the last day with a KPI figure on or before the date asked for, never past the
    # campaign's end (a row dated after it is a typo or out of the campaign: date-outside-campaign)
    last_day = judged_on(today, form.get(loaded.index.campaign_field("end") or ""))
    located, missing = locate_tables(sheets, loaded, who.header_rows, lang, file)
    cells.issues += missing
    tables: dict[str, list[Row]] = {key: [] for key in loaded.index.tables}
    for key, loc in located.items():
        header_issues(loc, cells, who.other_version)
        tables[key] = read_table(loc, cells, raw.sheets[loc.sheet])
    book = BookValues(loaded.index, cells.labels_lang, {k: [r.excel for r in rows] for k, rows in tables.items()},
                      form_excel, today=f.date_to_serial(today))
    if raw.format == "xls":
        _empty_text_results(tables, book)
    dashboards = [(sh, name, raw.sheets[name]) for sh in loaded.spec.sheets if sh.metrics
                  if (name := sheets.find(sh)) is not None]
    checked = run_checks(Context(loaded.index, located, tables, form, book, file, lang, cells.issues, today,
                                 sheets=raw.sheets, application=raw.application), dashboards)
    issues += cells.issues + checked
    # the date asked for, and the data's date: the last day with a KPI figure on or before it
    dated = {"today": today, "saved_at": raw.saved_at,
             "data_as_of": tracker_as_of(loaded.index, {k: [r.typed for r in rows] for k, rows in tables.items()},
                                         last_day)}
    return _result(file, raw, who, issues, form, tables, book, cells.stats, {k: loc.sheet for k, loc in located.items()},
                   lang=lang, dated=dated)


def _empty_text_results(tables: dict[str, list[Row]], book: BookValues) -> None:
    """A formula cell of an .xls whose stored result is 0 where its formula gives empty text holds
    that empty text: LibreOffice's .xls (BIFF) export stores 0 as the result of some such formulas
    (seen for a table's last row), which is no change the team made."""
    for key, rows in tables.items():
        for col in {k for r in rows for k, v in r.raw.items() if v == 0 and v is not False}:
            for r, computed in zip(rows, book.column(key, col)):
                if computed == "" and r.raw.get(col) == 0 and r.raw.get(col) is not False:
                    r.raw[col] = ""


def _result(file: str, raw: RawBook, who: Identity, issues: list[Issue], form: dict[str, Any],
            tables: dict[str, list[Row]], book: BookValues | None, stats: dict[str, int] | None = None,
            sheets: dict[str, str] | None = None, *, lang: str | None = None,
            dated: dict[str, Any] | None = None) -> ImportResult:
    spec = who.loaded.spec if who.loaded else None
    index = who.loaded.index if who.loaded else None
    meta = who.meta
    facts = {
        "template": spec.template if spec else meta.template if meta else None,
        "version": spec.version if spec else meta.version if meta else None,
        "file_version": meta.version if meta else None,
        "locale": who.locale, "source_file": file, "meta_sheet": meta is not None,
        "sheets": sheets or {},   # table key -> the sheet it was found on
    }
    campaign = campaign_facts(index, form, facts, file, who.locale or (spec.locales[0] if spec else "en"))
    campaign.update(dated or {})
    # no campaign workbook: a template nobody knows, or a blank template (its spec asks for a campaign
    # code or name, and neither is there); it is listed with the reason, never counted as a campaign
    reason = "template-unknown" if index is None else \
        "blank" if (index.campaign_field("code") or index.campaign_field("name")) and campaign["code"] in (None, "") \
        and campaign["name"] in (None, "") else None
    if reason is not None:
        campaign["campaign_id"] = None
        issues.insert(0, not_campaign_issue(reason, lang or "en", file))
    campaign_id = campaign["campaign_id"]
    facts.update(campaign_id=campaign_id, campaign_name=campaign["name"])
    order = {name: i for i, name in enumerate(raw.sheets)}
    issues.sort(key=lambda i: (i.sheet is not None, order.get(i.sheet, -1), i.row or 0, i.cell or ""))
    report = Report(file, issues, lang)
    if who.loaded is None:
        return ImportResult(file, facts, form, {}, report, None, stats or {}, campaign=campaign, not_campaign=reason)
    frames, records, columns = lazy_tables(who.loaded.index, tables, book, campaign_id, file)
    return ImportResult(file, facts, form, frames, report, spec, stats or {}, records, columns, who.loaded.index,
                        campaign=campaign, not_campaign=reason)


def not_campaign_issue(reason: str, lang: str, file: str) -> Issue:
    """The `not-a-campaign` issue of a file that is no campaign workbook, its reason in `lang`."""
    return make_issue("not-a-campaign", lang, file=file,
                      message=t("issue.not-a-campaign", lang, reason=t(f"not_campaign.{reason}", lang)))


class _SheetChooser:
    """Chooses the sheets an import reads (see `read_values`' `select`): those of the spec (given,
    or the one `_meta` names) that hold tables, the form or dashboard figures, plus `_meta`; all
    when the template is not known before reading. Keeps the `_meta` it read and the spec it
    loaded, so the import does neither twice."""

    def __init__(self, loaded: LoadedSpec | None, spec_dir: list[str] | None, lang: str) -> None:
        self.loaded, self.spec_dir, self.lang = loaded, spec_dir, lang
        self.meta: Meta | None = None
        self.meta_read = False
        self.named: LoadedSpec | None = None   # the spec `_meta` names, once loaded

    def __call__(self, names: list[str], read: Callable[[str], list[list[Any]]]) -> set[str] | None:
        loaded = self.loaded
        if loaded is None:
            if META_SHEET not in names:
                return None
            self.meta, self.meta_read = read_meta(read(META_SHEET)), True
            if self.meta is not None and self.meta.kind == KIND_ROLLUP:
                return {META_SHEET}   # a rollup's own output: nothing more is read
            if self.meta is None or self.meta.template is None:
                return None
            try:
                loaded = self.named = load_spec(self.meta.template, spec_dir=self.spec_dir, lang=self.lang)
            except CampaignSheetsError:
                return None
        return needed_sheets(loaded, names)


__all__ = ["ImportResult", "import_workbook", "not_campaign_issue"]
