"""Type text into cells of a built workbook as a person would, without re-saving it through a library.

openpyxl's re-save drops every cached formula value; here only the `<c>` elements of the named cells
change (to inline strings), so everything else in the package stays byte for byte.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_parts(path: str | Path) -> dict[str, str]:
    """Sheet name -> its part in the package."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    out = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', book):
        target = targets[rid].lstrip("/")
        out[_unescape(name)] = target if target.startswith("xl/") else "xl/" + target
    return out


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def type_text(src: str | Path, dst: str | Path, sheet: str, cells: dict[str, str]) -> Path:
    """A copy of `src` at `dst` with `cells` ({"F9": "about 5k"}) of `sheet` holding that text."""
    part = sheet_parts(src)[sheet]
    with zipfile.ZipFile(src) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    out = []
    for info, data in entries:
        if info.filename == part:
            xml = data.decode("utf-8")
            for ref, text in cells.items():
                cell = f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
                pattern = re.compile(rf'<c r="{ref}"(?:[^>]*?/>|[^>]*?>.*?</c>)', re.S)
                style = re.search(rf'<c r="{ref}"[^>]*?( s="\d+")', xml)
                if style:
                    cell = cell.replace(' t="inlineStr"', style.group(1) + ' t="inlineStr"')
                xml, n = pattern.subn(cell, xml, count=1)
                if not n:
                    raise KeyError(f"{sheet}!{ref} is not in the sheet's XML")
            data = xml.encode("utf-8")
        out.append((info, data))
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)
    return Path(dst)


__all__ = ["type_text", "sheet_parts"]
