"""What a file really is, from its bytes: OLE2 (legacy .xls or an encrypted workbook), CSV, HTML,
or a zip package (xlsx, xlsm, xlsb, ods, docx...), whatever its name says."""
from __future__ import annotations

import os
import stat
import struct
import zipfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import BinaryIO

from campaign_sheets.errors import WorkbookFileError

from .limits import Limits
from .zipcheck import MAX_DIRECTORY_ENTRY, eocd

HEAD = 64 * 1024   # bytes read to tell the kinds apart
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta", b"<style", b"<div")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def stat_file(path: Path, lang: str) -> os.stat_result:
    """The file's stat, or file-missing / file-is-folder / file-unreadable."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise WorkbookFileError.of("file-missing", path, lang) from None
    except OSError as exc:
        raise WorkbookFileError.of("file-unreadable", path, lang, reason="reader",
                                   detail=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise WorkbookFileError.of("file-is-folder", path, lang)
    if not stat.S_ISREG(st.st_mode):
        raise WorkbookFileError.of("file-unreadable", path, lang, reason="reader", detail="not a regular file")
    return st


def head_kind(f: BinaryIO, head: bytes) -> str:
    """'zip', 'xls', 'encrypted', 'html', 'csv' or 'unknown' from a file's first bytes (`f` is
    the open file, for an OLE2 directory beyond the head)."""
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return _ole_kind(f, head)
    return _text_kind(head)


def _ole_kind(f: BinaryIO, head: bytes) -> str:
    """'encrypted' when the CFB directory names an EncryptedPackage stream, else 'xls'."""
    if _ENCRYPTED_PACKAGE in head:
        return "encrypted"
    # The directory may lie beyond the head: look at its first sector too.
    if len(head) >= 0x34:
        sector_shift = struct.unpack_from("<H", head, 0x1E)[0]
        first_dir = struct.unpack_from("<I", head, 0x30)[0]
        if 7 <= sector_shift <= 16 and first_dir < 0xFFFFFFFA:
            try:
                f.seek((first_dir + 1) << sector_shift)
                if _ENCRYPTED_PACKAGE in f.read(HEAD):
                    return "encrypted"
            except (OSError, OverflowError, ValueError):
                pass
    return "xls"


def _decode(data: bytes) -> str | None:
    """The head as text (UTF-16 with a BOM, UTF-8 or GB18030), or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data[2:len(data) - len(data) % 2].decode("utf-16-le" if data[0] == 0xFF else "utf-16-be")
        except UnicodeDecodeError:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        return None
    for enc in ("utf-8", "gb18030"):
        for cut in range(4):   # the head may end inside a multi-byte character
            try:
                return data[:len(data) - cut].decode(enc)
            except UnicodeDecodeError:
                continue
    return None


def _text_kind(head: bytes) -> str:
    """'html', 'csv' or 'unknown' for a file that is neither OLE2 nor zip."""
    text = _decode(head)
    if text is None:
        return "unknown"
    sample = text[:4096]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    if control > len(sample) // 100:
        return "unknown"
    low = sample.lstrip().lower().encode("utf-8", "ignore")
    if low.startswith(b"mime-version:") or b"multipart/related" in low[:2048]:
        return "html"   # an .mht web archive, another "export to Excel" favourite
    if low.startswith(b"<") and any(m in low[:2048] for m in _HTML_MARKERS):
        return "html"
    if low.startswith(b"<"):
        return "unknown"   # XML (e.g. an Excel 2003 XML spreadsheet) or other markup
    return "csv"


def package_kind(names: Collection[str], read: Callable[[str], bytes]) -> tuple[str, bool]:
    """('xlsx'|'xlsm'|'xlsb'|'ods'|'docx'|'pptx'|'zip', has_macros) from a zip's part names;
    `read(name)` gives a small part's bytes ([Content_Types].xml, mimetype) or raises."""
    if "xl/workbook.xml" in names:
        macros = "xl/vbaProject.bin" in names
        if not macros and "[Content_Types].xml" in names:
            try:
                macros = b"macroenabled" in read("[Content_Types].xml").lower()
            except Exception:  # noqa: BLE001 - the damage is reported by the full check
                pass
        return ("xlsm" if macros else "xlsx"), macros
    if "xl/workbook.bin" in names:
        return "xlsb", False
    if "mimetype" in names:
        try:
            if read("mimetype").strip() == _ODS_MIME:
                return "ods", False
        except Exception:  # noqa: BLE001 - as above
            pass
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        return "ods", False
    if "word/document.xml" in names:
        return "docx", False
    if "ppt/presentation.xml" in names:
        return "pptx", False
    return "zip", False


def sniff(path: str | os.PathLike) -> str:
    """What the file really is, from its bytes: 'xlsx', 'xlsm', 'xls', 'xlsb', 'ods', 'csv', 'html',
    'encrypted', 'empty', 'zip' or 'unknown'. Raises WorkbookFileError for a missing path or a folder."""
    p = Path(path)
    size = stat_file(p, "en").st_size
    if size == 0:
        return "empty"
    with open(p, "rb") as f:
        head = f.read(HEAD)
        if not head:
            return "empty"
        kind = head_kind(f, head)
        if kind != "zip":
            return kind
        directory = eocd(f, size)
        most = Limits().max_entries
        if directory is None or directory[0] > most or directory[1] > most * MAX_DIRECTORY_ENTRY:
            return "zip"
        try:
            f.seek(0)
            with zipfile.ZipFile(f) as zf:
                def read(name: str) -> bytes:
                    if zf.getinfo(name).file_size > 4 * 2**20:
                        raise ValueError("too big to sniff")
                    return zf.read(name)   # zipfile stops at the declared size
                kind, _ = package_kind(set(zf.namelist()), read)
        except Exception:  # noqa: BLE001 - a damaged zip is still a zip
            return "zip"
    return kind if kind in ("xlsx", "xlsm", "xlsb", "ods") else "zip"
