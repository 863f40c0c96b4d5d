"""Check that an input is a real, safe workbook (.xlsx/.xlsm, .ods, .xls) before any parser touches it.

`check_file` reads the file once, read-only, and runs no spreadsheet parser on it: the file's kind
from its bytes (`sniff`), the zip's directory and every part inflated once with its CRC checked
(`zipcheck`), XML prologs and the workbook's own description (`xmlcheck`), and the extent of each
worksheet's value cells (`extent`). Anything unsafe or unreadable raises `WorkbookFileError` with a
stable kebab-case `code`. What passes is a `CheckedBook`: the checked parts, uncompressed, as a zip
under the checked names, which is all a reader may parse (the file on disk may change meanwhile).

An OpenDocument spreadsheet (.ods) gets the same zip checks, its XML parts the same prolog check,
and content.xml is parsed with expat (no DTD) for the box of each table's value cells (`odscheck`),
kept to the same cell and row limits. A legacy .xls (OLE2) is checked for its size and its
directory (`olecheck`: a stream no larger than the file); its bytes, read once, are the book, which
calamine parses only in a child process (`read.olereader`). Which kind a file is comes from its
bytes: OLE2 by its directory's stream names, a zip by its parts (`sniff`).
"""
from __future__ import annotations

import io
import os
import posixpath
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.i18n import has, norm_lang, t

from .extent import Extent, check_extents, sheet_extents
from .limits import Limits
from .odscheck import CONTENT, ods_extents
from .sniff import HEAD, head_kind, ole_file_kind, package_kind, sniff, stat_file
from .xmlcheck import WORKBOOK, WORKBOOK_RELS, check_prologs, workbook_facts, workbook_rels
from .zipcheck import open_zip, read_parts, write_stored

__all__ = ["Limits", "CheckedBook", "Sheet", "check_file", "sniff"]

# calamine reads a sheet from whatever part its relationship names under these folders (the folder
# decides the sheet type) and matches part names ignoring case: every such part gets the cell scan.
_SHEET_FOLDERS = ("xl/worksheets/", "xl/dialogsheets/", "xl/chartsheets/", "xl/macrosheets/")
_NOT_ZIP = {"encrypted": "encrypted", "csv": "not-xlsx-csv", "html": "not-xlsx-html", "pdf": "not-a-workbook-pdf",
            "image": "not-a-workbook-image"}
# files that are something else than a workbook, by what their bytes say -> their code
_OTHER = {"doc": "not-a-workbook-document", "docx": "not-a-workbook-document", "odt": "not-a-workbook-document",
          "ppt": "not-a-workbook-presentation", "pptx": "not-a-workbook-presentation",
          "odp": "not-a-workbook-presentation", "numbers": "not-a-workbook-numbers", "xlsb": "not-xlsx-xlsb",
          **_NOT_ZIP}
# the extensions a name of each kind may have: another is said in the message ("its name ends in .xlsx")
_FITTING = {"csv": (".csv", ".tsv", ".txt", ".tab"), "html": (".html", ".htm", ".mht", ".mhtml"),
            "doc": (".doc",), "docx": (".docx",), "odt": (".odt",), "ppt": (".ppt",), "pptx": (".pptx",),
            "odp": (".odp",), "numbers": (".numbers",), "xlsb": (".xlsb",), "pdf": (".pdf",),
            "image": (".png", ".jpg", ".jpeg", ".gif"), "encrypted": (".xlsx", ".xlsm", ".xls")}


def named_as(p: Path, kind: str, lang: str) -> dict[str, str]:
    """The message parameters {what} (what the file is) and {named}: empty when the file's name
    fits its content (or has no extension), else a note of the extension it has."""
    ext = p.suffix.lower()
    fits = not ext or ext in _FITTING.get(kind, ())
    return {"what": t("file.what." + kind, lang) if has("file.what." + kind) else "",
            "named": "" if fits else t("file.named", lang, ext=p.suffix)}


@dataclass(frozen=True)
class Sheet:
    """A sheet the workbook names: where it is and what the check found in it."""

    part: str           # the checked part it is read from
    extent: Extent      # the box of its value cells
    has_errors: bool    # it holds error cells (t="e"), which python-calamine reads as ''


# A checked copy up to this size is kept in memory; a bigger one is written to a private temporary
# file that calamine reads from disk (a reader's own copy would otherwise double the memory).
IN_MEMORY = 32 << 20


@dataclass(frozen=True)
class CheckedBook:
    """What a reader may use of a checked workbook: the checked parts, uncompressed, as a zip under
    the checked names, in memory (`data`) or, when big, in a temporary file (`spill`) that
    `close()` deletes. Use it as a context manager."""

    data: bytes | None
    spill: Path | None
    spans: dict[str, tuple[int, int]]    # part name -> where its bytes are in the copy
    sheets: dict[str, Sheet]             # sheet name (as xl/workbook.xml names it) -> its part
    date1904: bool
    has_macros: bool
    format: str = "xlsx"    # 'xlsx' (also .xlsm), 'ods' (the parts of a checked zip) or 'xls' (`data`: the file's bytes)

    def part(self, name: str) -> bytes:
        """The checked bytes of part `name`."""
        start, end = self.spans[name]
        if self.data is not None:
            return self.data[start:end]
        with open(self.spill, "rb") as fh:   # type: ignore[arg-type]
            fh.seek(start)
            return fh.read(end - start)

    def close(self) -> None:
        if self.spill is not None:
            self.spill.unlink(missing_ok=True)

    def __enter__(self) -> "CheckedBook":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_file(path: str | os.PathLike, limits: Limits = Limits(), lang: str = "en") -> CheckedBook:
    """The checked workbook at `path`, or WorkbookFileError (with a stable `code`) unless it is a
    real, safe .xlsx/.xlsm within `limits`; messages in `lang`."""
    lang, p = norm_lang(lang), Path(path)
    size = stat_file(p, lang).st_size
    if size == 0:
        raise WorkbookFileError.of("file-empty", p, lang)
    if size > limits.max_file_bytes:
        raise WorkbookFileError.of("file-too-large", p, lang, size_mb=f"{size / 2**20:.1f}",
                                   limit_mb=f"{limits.max_file_bytes / 2**20:g}")
    try:
        f = open(p, "rb")   # read-only, never written
    except OSError as exc:
        raise WorkbookFileError.of("file-unreadable", p, lang, reason="reader",
                                   detail=exc.strerror or str(exc)) from None
    with f:
        head = f.read(HEAD)
        if not head:
            raise WorkbookFileError.of("file-empty", p, lang)
        kind = head_kind(f, head)
        if kind == "ole":
            return _check_ole(f, size, head, p, limits, lang)
        if kind != "zip":
            raise WorkbookFileError.of(_NOT_ZIP[kind], p, lang, **named_as(p, kind, lang)) if kind in _NOT_ZIP else \
                WorkbookFileError.of("corrupt-zip", p, lang, reason="not-zip")
        with open_zip(f, size, p, limits, lang) as zf:
            infos = zf.infolist()
            parts = read_parts(f, infos, p, lang)
    return _check_parts(p, infos, parts, limits, lang)


def _check_parts(p: Path, infos: list[zipfile.ZipInfo], parts: dict[str, bytes], limits: Limits,
                 lang: str) -> CheckedBook:
    """The checks on the inflated parts, and the book made of them."""
    kind, has_macros = package_kind(parts.keys(), parts.__getitem__)
    if kind == "ods":
        return _check_ods(p, infos, parts, limits, lang)
    if kind in _OTHER:
        raise WorkbookFileError.of(_OTHER[kind], p, lang, **named_as(p, kind, lang))
    if kind not in ("xlsx", "xlsm"):
        raise WorkbookFileError.of("not-a-workbook", p, lang, reason="no-workbook", kind="")
    date1904, named = workbook_facts(parts[WORKBOOK], p, lang)
    rels = workbook_rels(parts[WORKBOOK_RELS], p, lang) if WORKBOOK_RELS in parts else {}
    by_lower = {name.lower(): name for name in parts}
    named_parts = [(sheet, by_lower.get(rels.get(rid, ("", ""))[1].lower())) for sheet, rid in named]
    sheet_of: dict[str, str] = {}   # every part read as a sheet -> the sheet's name (for messages)
    for sheet, part in named_parts:
        if part:
            sheet_of.setdefault(part, sheet)
    for lower, part in by_lower.items():
        if lower.startswith(_SHEET_FOLDERS) and "/_rels/" not in lower:
            sheet_of.setdefault(part, posixpath.basename(part))
    check_prologs(parts, sheet_of, p, lang)
    extents = sheet_extents({name: blob for name, blob in parts.items() if name in sheet_of}, p, lang)
    check_extents(extents, sheet_of, limits, p, lang)
    sheets: dict[str, Sheet] = {}
    for sheet, part in named_parts:
        if part and sheet not in sheets:
            sheets[sheet] = Sheet(part, extents[part], b't="e"' in parts[part])
    return _checked_copy(infos, parts, sheets, date1904, has_macros)


def _check_ods(p: Path, infos: list[zipfile.ZipInfo], parts: dict[str, bytes], limits: Limits,
               lang: str) -> CheckedBook:
    """An OpenDocument spreadsheet's checks: every XML part's prolog, content.xml parsed without a
    DTD for each table's box of value cells, the cell and row limits."""
    if CONTENT not in parts:
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="no-content")
    check_prologs(parts, (CONTENT,), p, lang)
    extents = ods_extents(parts[CONTENT], p, lang)
    check_extents(extents, {name: name for name in extents}, limits, p, lang)
    sheets = {name: Sheet(CONTENT, ext, False) for name, ext in extents.items()}
    return _checked_copy(infos, parts, sheets, False, False, "ods")


def _check_ole(f: BinaryIO, size: int, head: bytes, p: Path, limits: Limits, lang: str) -> CheckedBook:
    """A legacy .xls: an OLE2 file whose directory holds a Workbook (or Book) stream, none larger
    than the file. Its bytes are the book; other OLE2 files get their own code."""
    kind, damage = ole_file_kind(f, size, head)
    if kind == "encrypted":
        raise WorkbookFileError.of("encrypted", p, lang)
    if kind != "xls" and kind in _OTHER:
        raise WorkbookFileError.of(_OTHER[kind], p, lang, **named_as(p, kind, lang))
    if damage is not None:
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="ole-" + damage.reason,
                                   detail=str(damage))
    if kind != "xls":
        raise WorkbookFileError.of("not-a-workbook", p, lang, reason="ole-other")
    f.seek(0)
    data = f.read(size + 1)
    if len(data) != size:
        raise WorkbookFileError.of("file-unreadable", p, lang, reason="reader", detail="the file changed while read")
    return CheckedBook(data, None, {}, {}, False, False, "xls")


def _checked_copy(infos: list[zipfile.ZipInfo], parts: dict[str, bytes], sheets: dict[str, Sheet],
                  date1904: bool, has_macros: bool, fmt: str = "xlsx") -> CheckedBook:
    """The book of the checked parts (which it takes over, part by part)."""
    if sum(len(b) for b in parts.values()) <= IN_MEMORY:
        out = io.BytesIO()
        spans = write_stored(infos, parts, out)
        return CheckedBook(out.getvalue(), None, spans, sheets, date1904, has_macros, fmt)
    fd, name = tempfile.mkstemp(prefix="campaign-sheets-", suffix="." + fmt)   # private: 0600; calamine goes by the suffix
    try:
        with os.fdopen(fd, "wb") as out:
            spans = write_stored(infos, parts, out)
    except BaseException:
        os.unlink(name)
        raise
    return CheckedBook(None, Path(name), spans, sheets, date1904, has_macros, fmt)
