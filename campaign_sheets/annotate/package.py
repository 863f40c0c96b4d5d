"""An xlsx package as parts in memory, edited in place: what the annotated copy is made from.

The parts are the checked bytes of the input (never the file on disk again). Edits are small and
textual (a sheet, a comment, a relationship, a style added), so everything the user's file held
(values, cached formula results, charts, extra sheets) is written back byte for byte.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..outputs import atomic_path

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_EMPTY_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')

# the order of a worksheet's children (CT_Worksheet): an element must go before every later one
SHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)


class PackageError(ValueError):
    """A part is not shaped as this module expects (it then writes no annotation rather than a
    damaged file)."""


class Package:
    """Part name -> bytes, with the order of the original zip."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, text: str | bytes) -> None:
        self.parts[name] = text.encode("utf-8") if isinstance(text, str) else text

    def free_name(self, pattern: str) -> str:
        """The first `pattern % n` (n = 1, 2...) no part has, ignoring case (as readers do)."""
        taken = {n.lower() for n in self.parts}
        n = 1
        while (pattern % n).lower() in taken:
            n += 1
        return pattern % n

    # -- relationships -------------------------------------------------------------------
    @staticmethod
    def rels_name(part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(Id, Type, Target) of the relationships of `part`."""
        text = self.parts.get(self.rels_name(part), b"").decode("utf-8")
        out = []
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", text):
            attrs = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', tag))
            out.append((attrs.get("Id", ""), attrs.get("Type", ""), attrs.get("Target", "")))
        return out

    def relate(self, part: str, rel_type: str, target_part: str) -> str:
        """Add a relationship from `part` to `target_part` (a part name); its new Id."""
        name = self.rels_name(part)
        text = self.parts.get(name, _EMPTY_RELS.encode()).decode("utf-8")
        ids = {rid for rid, _, _ in self.relationships(part)}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        target = posixpath.relpath(target_part, posixpath.dirname(part))
        entry = f'<Relationship Id="{rid}" Type="{REL}{rel_type}" Target={quoteattr(target)}/>'
        end = text.rfind("</Relationships>")
        if end < 0:
            raise PackageError(f"{name}: no </Relationships>")
        self.put(name, text[:end] + entry + text[end:])
        return rid

    def target(self, part: str, rel_id: str) -> str | None:
        """The part a relationship of `part` points to."""
        for rid, _, target in self.relationships(part):
            if rid == rel_id:
                return posixpath.normpath(posixpath.join(posixpath.dirname(part), target)) \
                    if not target.startswith("/") else target[1:]
        return None

    # -- content types -------------------------------------------------------------------
    def content_type(self, part: str, content_type: str) -> None:
        name = "[Content_Types].xml"
        text = self.text(name)
        entry = f'<Override PartName="/{escape(part)}" ContentType="{content_type}"/>'
        self.put(name, text.replace("</Types>", entry + "</Types>", 1))

    def default_type(self, extension: str, content_type: str) -> None:
        name = "[Content_Types].xml"
        text = self.text(name)
        if re.search(rf'Extension="{extension}"', text, re.I) is None:
            self.put(name, text.replace("</Types>", f'<Default Extension="{extension}" ContentType="{content_type}"/></Types>', 1))

    # -- writing -------------------------------------------------------------------------
    def write(self, target: Path) -> None:
        """The package as an .xlsx at `target`, atomically ([Content_Types].xml first)."""
        names = sorted(self.parts, key=lambda n: n != "[Content_Types].xml")
        with atomic_path(target, ".xlsx") as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
                for name in names:
                    z.writestr(name, self.parts[name])


def root_prefix(xml: str, root: str) -> str:
    """The prefix ('x:' or '') the document's root element `root` is written with: the main
    namespace's prefix, which every element this module adds must use too."""
    m = re.search(rf"<(\w+:)?{root}[\s>]", xml)
    if m is None:
        raise PackageError(f"no <{root}> element")
    return m.group(1) or ""


def rel_prefix(xml: str, root: str) -> tuple[str, str]:
    """(the document, the prefix bound to the relationships namespace on its root element), the
    binding added as `r` when missing (readers look for `r:id` by that name)."""
    start = re.search(rf"<(\w+:)?{root}\b[^>]*>", xml)
    if start is None:
        raise PackageError(f"no <{root}> element")
    bound = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', start.group(0))
    if bound:
        return xml, bound.group(1)
    if re.search(r"\bxmlns:r=", start.group(0)):
        raise PackageError("the r prefix is bound to another namespace")
    tag = start.group(0)
    return xml[:start.start()] + tag[:-1].rstrip("/") + f' xmlns:r="{REL_NS}"' + ("/>" if tag.endswith("/>") else ">") + \
        xml[start.end():], "r"


STYLES_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                "tableStyles", "colors", "extLst")


def insert_child(xml: str, prefix: str, name: str, fragment: str, root: str = "worksheet",
                 order: tuple[str, ...] = SHEET_ORDER) -> str:
    """`fragment` inserted as a child of `root`, before the first child that must follow `name`
    (searched after a worksheet's cells, whose content holds no markup of these names)."""
    later = order[order.index(name) + 1:]
    start = 0
    if root == "worksheet" and order.index(name) > order.index("sheetData"):
        close = re.compile(rf"</{re.escape(prefix)}sheetData>|<{re.escape(prefix)}sheetData\s*/>").search(xml)
        if close is None:
            raise PackageError("no sheetData")
        start = close.end()
    best = None
    for other in later:
        m = re.compile(rf"<{re.escape(prefix)}{other}[\s/>]").search(xml, start)
        if m and (best is None or m.start() < best):
            best = m.start()
    if best is None:
        best = xml.rfind(f"</{prefix}{root}>")
        if best < 0:
            raise PackageError(f"no end of {root}")
    return xml[:best] + fragment + xml[best:]


__all__ = ["Package", "PackageError", "root_prefix", "rel_prefix", "insert_child", "SHEET_ORDER", "STYLES_ORDER", "REL_NS", "REL"]
