"""The Issues sheet put first in the annotated copy: one row per issue in the report's language,
each cell reference a link to the cell, printed one page wide with its header on every page."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from ..i18n import t
from ..report import Issue, col_letters
from ..text import display_width
from .marks import FILLS, Styles
from .package import REL_NS, Package, PackageError, rel_prefix, root_prefix

WORKBOOK = "xl/workbook.xml"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COLUMNS = ("severity", "sheet", "cell", "message", "hint", "code")
_WIDTHS = (7, 12, 7, 50, 36, 15)


def add_issues_sheet(package: Package, issues: list[Issue], lang: str, styles: Styles, sheet_names: set[str]) -> str:
    """Add the sheet (named in `lang`, unique among `sheet_names`) first in the workbook; its name."""
    name = _unique(t("annotate.title", lang), sheet_names)
    part = package.free_name("xl/worksheets/sheet%d.xml")
    head = styles.cell_format(bold=True, fill="FFDDEBF7")
    wrap = styles.cell_format(wrap=True)
    link = styles.cell_format(link=True)
    tones = {s: styles.cell_format(bold=True, fill=argb) for s, argb in FILLS.items()}
    package.put(part, _sheet_xml(issues, lang, sheet_names, head, wrap, link, tones))
    package.content_type(part, _SHEET_TYPE)
    rid = package.relate(WORKBOOK, "worksheet", part)
    _register(package, name, rid)
    return name


def _sheet_xml(issues: list[Issue], lang: str, sheets: set[str], head: int, wrap: int, link: int,
               tones: dict[str, int]) -> str:
    rows = [_row(1, [(t(f"annotate.{c}", lang), head) for c in COLUMNS])]
    links = []
    for n, issue in enumerate(issues, 2):
        where = issue.cell if issue.sheet in sheets and issue.cell else None
        rows.append(_row(n, [(t(f"severity.{issue.severity}", lang), tones.get(issue.severity, wrap)),
                             (issue.sheet or "", wrap), (issue.cell or "", link if where else wrap),
                             (issue.message, wrap), (issue.hint or "", wrap), (issue.code, wrap)]))
        if where:
            target = "'" + issue.sheet.replace("'", "''") + "'!" + where
            links.append(f'<hyperlink ref="C{n}" location={quoteattr(target)} display={quoteattr(where)}/>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(_WIDTHS, 1))
    last = max(len(issues) + 1, 1)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL_NS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:F{last}"/>'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            f'<sheetData>{"".join(rows)}</sheetData>'
            f'<autoFilter ref="A1:F{last}"/>'
            + (f'<hyperlinks>{"".join(links)}</hyperlinks>' if links else "") +
            '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            '</worksheet>')


def _row(n: int, cells: list[tuple[str, int]]) -> str:
    out = "".join(f'<c r="{col_letters(i)}{n}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(_clean(text))}'
                  f"</t></is></c>" for i, (text, style) in enumerate(cells) if text != "" or style)
    lines = max((_lines(str(text), width) for (text, _), width in zip(cells, _WIDTHS)), default=1)
    height = f' ht="{15 * lines}" customHeight="1"' if lines > 1 else ""
    return f'<row r="{n}"{height}>{out}</row>'


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell of `width` characters needs. Readers do not size rows on opening, and
    wrapped text in a row of one line's height is cut off or overlaps in print."""
    total = 0
    for part in text.split("\n"):
        total += max(1, -(-display_width(part) // max(width - 1, 1)))
    return total


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text an XML part may hold (a cell's own control characters would make it unreadable)."""
    return _CONTROL.sub("", str(text))


def _unique(name: str, taken: set[str]) -> str:
    lower = {s.lower() for s in taken}
    candidate, n = name, 2
    while candidate.lower() in lower:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _register(package: Package, name: str, rid: str) -> None:
    """The sheet first in the workbook, selected, printed with its header row on every page;
    sheet-local names and the active tab move one place along."""
    xml, r = rel_prefix(package.text(WORKBOOK), "workbook")
    p = root_prefix(xml, "workbook")
    ids = [int(x) for x in re.findall(rf"<{p}sheet\b[^>]*?\bsheetId=\"(\d+)\"", xml)]
    sheets = re.search(rf"<{p}sheets>", xml)
    if sheets is None:
        raise PackageError("workbook.xml: no <sheets>")
    entry = f'<{p}sheet name={quoteattr(name)} sheetId="{max(ids, default=0) + 1}" {r}:id="{rid}"/>'
    xml = xml[:sheets.end()] + entry + xml[sheets.end():]
    xml = re.sub(r'(\blocalSheetId=")(\d+)(")', lambda m: f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}", xml)
    xml = re.sub(r'\b(activeTab|firstSheet)="\d+"', r'\1="0"', xml)
    titles = f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="0">{escape(_quoted(name))}!$1:$1</{p}definedName>'
    if re.search(rf"<{p}definedNames>", xml):
        xml = re.sub(rf"<{p}definedNames>", lambda m: m.group(0) + titles, xml, count=1)
    else:
        xml = re.sub(rf"</{p}sheets>", lambda m: m.group(0) + f"<{p}definedNames>{titles}</{p}definedNames>", xml, count=1)
    package.put(WORKBOOK, xml)


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def unselect_sheets(package: Package, parts: list[str]) -> None:
    """No other sheet stays selected (Excel would group them with the Issues sheet)."""
    for part in parts:
        package.put(part, re.sub(r'\btabSelected="(1|true)"', 'tabSelected="0"', package.text(part)))


__all__ = ["add_issues_sheet", "unselect_sheets"]
