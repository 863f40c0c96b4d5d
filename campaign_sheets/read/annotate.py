"""An annotated copy of a checked workbook: problem cells coloured and commented, plus an Issues sheet.

Only ever writes a new file (never the input); openpyxl is fine here because the copy is for
reading the report in place, not for filling in further.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputError
from ..i18n import t
from ..outputs import atomic_path, guard_inputs
from ..report import Report

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "alert": "F8CBAD"}
HEADERS = ("severity", "code", "sheet", "cell", "message", "hint")


def annotate(path: str | os.PathLike, report: Report, out_dir: str | os.PathLike, lang: str = "en") -> Path:
    """Write `<out_dir>/<name>.annotated.xlsx` and return its path."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    src = Path(path)
    target = Path(out_dir) / f"{src.stem}.annotated.xlsx"
    guard_inputs(target, [src])
    try:
        wb = openpyxl.load_workbook(src)
    except Exception as exc:  # noqa: BLE001 - the file passed the safe checks; openpyxl may still choke
        raise OutputError.of("output.cannot_annotate", path=src, reason=f"{type(exc).__name__}: {exc}"[:300]) from None
    for issue in report.issues:
        if not issue.sheet or not issue.cell or issue.sheet not in wb.sheetnames:
            continue
        cell = wb[issue.sheet][issue.cell]
        cell.fill = PatternFill("solid", fgColor=FILLS.get(issue.severity, "FFEB9C"))
        text = f"[{issue.severity}] {issue.code}: {issue.message}" + (f"\n→ {issue.hint}" if issue.hint else "")
        if cell.comment is not None:
            text = cell.comment.text + "\n\n" + text
        cell.comment = Comment(text[:2000], "campaign-sheets", width=320, height=140)
    name = t("annotate.title", lang)
    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name, 0)
    ws.append([t("annotate." + h, lang) for h in HEADERS])
    for c in ws[1]:
        c.font = Font(bold=True)
    for issue in report.issues:
        ws.append([issue.severity, issue.code, issue.sheet or "", issue.cell or "", issue.message, issue.hint or ""])
        if issue.sheet and issue.cell and issue.sheet in wb.sheetnames:
            link = ws.cell(ws.max_row, 4)
            link.hyperlink = f"#'{issue.sheet}'!{issue.cell}"
            link.font = Font(color="0563C1", underline="single")
            ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=FILLS.get(issue.severity, "FFEB9C"))
    for col, width in zip("ABCDEF", (9, 22, 14, 9, 70, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    try:
        with atomic_path(target, ".xlsx") as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise OutputError.of("output.cannot_write", target=str(target), reason=str(exc)) from None
    return target


__all__ = ["annotate"]
