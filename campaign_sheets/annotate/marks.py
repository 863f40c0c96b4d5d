"""Marks on the cells that have issues, and the few styles the annotated copy adds.

A mark is a conditional format that always holds, put first among the sheet's conditional
formats: a direct fill would be hidden by the workbook's own colour rules (which are conditional
formats too, some stopping at the first that holds), a first conditional format is not.
"""
from __future__ import annotations

import re

from .package import STYLES_ORDER, Package, PackageError, insert_child, root_prefix

FILLS = {"error": "FFFF9999", "warning": "FFFFE066", "alert": "FFF4B183", "info": "FFBDD7EE"}
STYLES = "xl/styles.xml"
_ITEM = {"dxfs": "dxf", "fonts": "font", "fills": "fill", "cellXfs": "xf"}


class Styles:
    """Additions to the workbook's styles.xml: differential formats (for marks) and cell formats."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.xml = package.text(STYLES)
        self.prefix = root_prefix(self.xml, "styleSheet")

    def _append(self, section: str, item: str) -> int:
        """Add `item` to `<section>` (creating it in its place); its index there."""
        p = self.prefix
        m = re.search(rf"<{p}{section}\b[^>]*?(/?)>", self.xml)
        if m is None:
            self.xml = insert_child(self.xml, p, section, f'<{p}{section} count="0"></{p}{section}>', root="styleSheet",
                                    order=STYLES_ORDER)
            m = re.search(rf"<{p}{section}\b[^>]*?(/?)>", self.xml)
        if m.group(1):   # `<dxfs count="0"/>`
            self.xml = self.xml[:m.start()] + f'<{p}{section} count="0"></{p}{section}>' + self.xml[m.end():]
            m = re.search(rf"<{p}{section}\b[^>]*?>", self.xml)
        end = self.xml.find(f"</{p}{section}>", m.end())
        if end < 0:
            raise PackageError(f"styles.xml: <{section}> not closed")
        body = self.xml[m.end():end]
        index = len(re.findall(rf"<{p}{_ITEM[section]}[\s/>]", body))
        opening = re.sub(r'\bcount="\d+"', f'count="{index + 1}"', m.group(0)) if "count=" in m.group(0) else m.group(0)
        self.xml = self.xml[:m.start()] + opening + body + item + self.xml[end:]
        return index

    def mark(self, argb: str) -> int:
        """A differential format filling a cell with `argb`; its dxf id."""
        p = self.prefix
        return self._append("dxfs", f'<{p}dxf><{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{argb}"/>'
                                    f'<{p}bgColor rgb="{argb}"/></{p}patternFill></{p}fill></{p}dxf>')

    def cell_format(self, *, bold: bool = False, wrap: bool = False, link: bool = False, fill: str | None = None) -> int:
        """A cell format (index into cellXfs) with the font, fill and wrapping asked for."""
        p = self.prefix
        font = 0
        if bold or link:
            look = f"<{p}b/>" if bold else f'<{p}u/><{p}color rgb="FF0563C1"/>'
            font = self._append("fonts", f'<{p}font>{look}<{p}sz val="10"/></{p}font>')
        fill_id = 0
        if fill:
            fill_id = self._append("fills", f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{fill}"/>'
                                            f'</{p}patternFill></{p}fill>')
        align = f'<{p}alignment wrapText="1" vertical="top"/>' if wrap else f'<{p}alignment vertical="top"/>'
        return self._append("cellXfs", f'<{p}xf numFmtId="0" fontId="{font}" fillId="{fill_id}" borderId="0" xfId="0" '
                                       f'applyFont="1" applyFill="1" applyAlignment="1">{align}</{p}xf>')

    def save(self) -> None:
        self.package.put(STYLES, self.xml)


def add_marks(xml: str, cells_by_dxf: dict[int, list[str]]) -> str:
    """The worksheet with one always-true conditional format per dxf over its cells, evaluated
    before every conditional format the sheet already has (their priorities move down)."""
    p = root_prefix(xml, "worksheet")
    rules = [(dxf, cells) for dxf, cells in cells_by_dxf.items() if cells]
    shift = len(rules)
    xml = re.sub(r'(<[\w]*:?cfRule\b[^>]*?\bpriority=")(\d+)(")', lambda m: f"{m.group(1)}{int(m.group(2)) + shift}{m.group(3)}", xml)
    fragment = "".join(
        f'<{p}conditionalFormatting sqref="{" ".join(cells)}"><{p}cfRule type="expression" dxfId="{dxf}" '
        f'priority="{n}" stopIfTrue="1"><{p}formula>TRUE</{p}formula></{p}cfRule></{p}conditionalFormatting>'
        for n, (dxf, cells) in enumerate(rules, 1))
    return insert_child(xml, p, "phoneticPr", fragment)   # first among the conditional formats


__all__ = ["FILLS", "Styles", "add_marks"]
