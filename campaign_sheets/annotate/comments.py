"""Cell comments (notes) holding each issue's message and fix: a comments part and the VML
drawing that Excel needs to show them, related to the sheet."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

from .package import Package, insert_child, rel_prefix, root_prefix

_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"


def _cell(ref: str) -> tuple[int, int]:
    """'B5' -> (4, 1), 0-based row and column."""
    m = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", ref)
    if m is None:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def add_comments(package: Package, sheet_part: str, notes: dict[str, str], author: str) -> bool:
    """Notes (cell ref -> text) on the sheet; False (nothing changed) when the sheet already has
    notes of its own, which this does not merge with."""
    xml = package.text(sheet_part)
    p = root_prefix(xml, "worksheet")
    if re.search(rf"<{p}legacyDrawing[\s/>]", xml):
        return False
    comments = package.free_name("xl/comments%d.xml")
    vml = package.free_name("xl/drawings/vmlDrawing%d.vml")
    package.put(comments, _comments_xml(notes, author))
    package.put(vml, _vml(notes))
    package.content_type(comments, _COMMENTS_TYPE)
    package.default_type("vml", _VML_TYPE)
    vml_id = package.relate(sheet_part, "vmlDrawing", vml)
    package.relate(sheet_part, "comments", comments)
    xml, r = rel_prefix(xml, "worksheet")
    package.put(sheet_part, insert_child(xml, p, "legacyDrawing", f'<{p}legacyDrawing {r}:id="{vml_id}"/>'))
    return True


def _comments_xml(notes: dict[str, str], author: str) -> str:
    items = "".join(
        f'<comment ref="{ref}" authorId="0"><text><r><rPr><sz val="9"/><rFont val="Tahoma"/><family val="2"/></rPr>'
        f'<t xml:space="preserve">{escape(text)}</t></r></text></comment>' for ref, text in notes.items())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<authors><author>{escape(author)}</author></authors><commentList>{items}</commentList></comments>")


def _vml(notes: dict[str, str]) -> str:
    shapes = []
    for n, ref in enumerate(notes, 1025):
        row, col = _cell(ref)
        shapes.append(
            f'<v:shape id="_x0000_s{n}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;'
            'width:240pt;height:80pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{col + 1}, 15, {row}, 10, {col + 5}, 15, {row + 5}, 4</x:Anchor><x:AutoFill>False</x:AutoFill>"
            f"<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/>'
            '</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" '
            'o:connecttype="rect"/></v:shapetype>' + "".join(shapes) + "</xml>")


__all__ = ["add_comments"]
