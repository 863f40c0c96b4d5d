"""The annotated copy of a checked workbook: an Issues sheet first, and every cell with an issue
marked (a colour over the workbook's own colours) and noted (a comment with the message and fix).

The copy is the user's package, edited part by part: values, cached formula results, charts,
extra columns and sheets stay byte for byte, so it opens like the original in Excel, WPS,
LibreOffice and other readers, and validating the copy gives the same issues as the original.
Only the checked bytes of the input are used; the input itself is never written.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputError
from ..i18n import t
from ..outputs import check_overwrite, guard_inputs
from ..read.guard import Limits, check_file
from ..report import Issue, Report
from .comments import add_comments
from .issues_sheet import add_issues_sheet, unselect_sheets
from .marks import FILLS, Styles, add_marks
from .package import Package, PackageError

AUTHOR = "campaign-sheets"
_RANK = {"error": 0, "warning": 1, "alert": 2, "info": 3}


def annotate(path: str | os.PathLike, report: Report, out_dir: str | os.PathLike, lang: str = "en",
             limits: Limits | None = None, force: bool = False, discard_data: bool = False) -> Path:
    """Write `<out_dir>/<name>.annotated.xlsx` (never onto the input) and return its path. An earlier
    annotated copy there is replaced; anything else only as `outputs.check_overwrite` allows."""
    src = Path(path)
    target = Path(out_dir) / f"{src.stem}.annotated.xlsx"
    guard_inputs(target, [src])
    check_overwrite(target, "annotate", force=force, discard_data=discard_data)
    with check_file(src, limits or Limits(), lang) as book:  # a file that cannot be read raises WorkbookFileError
        if book.format != "xlsx":   # an .ods or .xls is read, but only an .xlsx package is edited in place
            raise OutputError.of("output.cannot_annotate", path=src,
                                 reason=t("output.annotate_xlsx_only", lang, format="." + book.format))
        package = Package({name: book.part(name) for name in book.spans})
        sheet_parts = {name: sheet.part for name, sheet in book.sheets.items()}
    try:
        _annotate(package, report.issues, sheet_parts, lang)
    except (PackageError, KeyError, UnicodeDecodeError, ValueError) as exc:
        raise OutputError.of("output.cannot_annotate", path=src, reason=f"{type(exc).__name__}: {exc}"[:300]) from None
    try:
        package.write(target)
    except OSError as exc:
        raise OutputError.of("output.cannot_write", target=str(target), reason=str(exc)) from None
    return target


def _annotate(package: Package, issues: list[Issue], sheet_parts: dict[str, str], lang: str) -> None:
    styles = Styles(package)
    marks = {severity: styles.mark(argb) for severity, argb in FILLS.items()}
    for sheet, part in sheet_parts.items():
        here = [i for i in issues if i.sheet == sheet and i.cell]
        if not here:
            continue
        worst: dict[str, str] = {}
        notes: dict[str, str] = {}
        for issue in here:   # the worst severity marks a cell; every message goes in its note
            if issue.cell not in worst or _RANK[issue.severity] < _RANK[worst[issue.cell]]:
                worst[issue.cell] = issue.severity
            text = issue.message + (f"\n→ {issue.hint}" if issue.hint else "")
            notes[issue.cell] = f"{notes[issue.cell]}\n\n{text}" if issue.cell in notes else text
        by_dxf: dict[int, list[str]] = {marks[s]: [] for s in sorted(marks, key=_RANK.__getitem__)}
        for cell, severity in worst.items():
            by_dxf[marks[severity]].append(cell)
        package.put(part, add_marks(package.text(part), by_dxf))
        add_comments(package, part, {cell: text[:2000] for cell, text in notes.items()}, AUTHOR)
    unselect_sheets(package, list(sheet_parts.values()))
    add_issues_sheet(package, issues, lang, styles, set(sheet_parts))
    styles.save()


__all__ = ["annotate"]
