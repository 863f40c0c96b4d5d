"""What a file really is, from its bytes: OLE2 (legacy .xls, Word .doc, PowerPoint .ppt, an encrypted
workbook: by the streams its directory names), CSV, HTML, PDF, an image, or a zip package (xlsx,
xlsm, xlsb, ods, odt, odp, docx, pptx, Apple Numbers...), whatever its name says."""
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
from .olecheck import OleError, ole_kind, streams
from .zipcheck import MAX_DIRECTORY_ENTRY, eocd

HEAD = 64 * 1024   # bytes read to tell the kinds apart
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta", b"<style", b"<div")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ODF_MIMES = {_ODS_MIME: "ods", b"application/vnd.oasis.opendocument.text": "odt",
              b"application/vnd.oasis.opendocument.presentation": "odp"}
# OLE2 stream names searched for in the first bytes when the directory itself cannot be read
_OLE_NAMES = (("EncryptedPackage", "encrypted"), ("Workbook", "xls"), ("Book", "xls"),
              ("WordDocument", "doc"), ("PowerPoint Document", "ppt"))
_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


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
    """'zip', 'ole', 'pdf', 'image', 'html', 'csv' or 'unknown' from a file's first bytes."""
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_IMAGE_MAGICS):
        return "image"
    return _text_kind(head)


def ole_file_kind(f: BinaryIO, size: int, head: bytes) -> tuple[str, OleError | None]:
    """('xls'|'doc'|'ppt'|'encrypted'|'ole', the structure's damage or None) of an OLE2 file: from
    the stream names of its directory, or, when that cannot be read, from the names found in its
    first bytes and its directory's first sector (the damage is then said too)."""
    try:
        return ole_kind({s.name for s in streams(f, size)}), None
    except OleError as exc:
        damage = exc
    except (OSError, OverflowError, struct.error) as exc:
        damage = OleError("damaged", str(exc))
    blob = head
    if len(head) >= 0x34:   # the directory may lie beyond the head: look at its first sector too
        sector_shift = struct.unpack_from("<H", head, 0x1E)[0]
        first_dir = struct.unpack_from("<I", head, 0x30)[0]
        if 7 <= sector_shift <= 16 and first_dir < 0xFFFFFFFA:
            try:
                f.seek((first_dir + 1) << sector_shift)
                blob += f.read(HEAD)
            except (OSError, OverflowError, ValueError):
                pass
    found = next((kind for name, kind in _OLE_NAMES if name.encode("utf-16-le") in blob), "ole")
    return found, damage


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
    """('xlsx'|'xlsm'|'xlsb'|'ods'|'odt'|'odp'|'docx'|'pptx'|'numbers'|'zip', has_macros) from a zip's part names;
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
            odf = _ODF_MIMES.get(read("mimetype").strip())
            if odf is not None:
                return odf, False
        except Exception:  # noqa: BLE001 - as above
            pass
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        return "ods", False
    if "word/document.xml" in names:
        return "docx", False
    if "ppt/presentation.xml" in names:
        return "pptx", False
    if "Index/Document.iwa" in names or any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        return "numbers", False
    return "zip", False


def sniff(path: str | os.PathLike) -> str:
    """What the file really is, from its bytes: 'xlsx', 'xlsm', 'xls', 'xlsb', 'ods', 'odt', 'odp',
    'docx', 'pptx', 'numbers', 'doc', 'ppt', 'ole', 'csv', 'html', 'pdf', 'image', 'encrypted',
    'empty', 'zip' or 'unknown'. Raises WorkbookFileError for a missing path or a folder."""
    p = Path(path)
    size = stat_file(p, "en").st_size
    if size == 0:
        return "empty"
    with open(p, "rb") as f:
        head = f.read(HEAD)
        if not head:
            return "empty"
        kind = head_kind(f, head)
        if kind == "ole":
            return ole_file_kind(f, size, head)[0]
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
    return kind
