"""Check that an input is a real, safe .xlsx before any parser touches it, then read raw values.

`check_file` looks at the bytes only (stat, magic numbers, the zip directory, every part streamed
once with its CRC checked, XML prologs, the extent of each worksheet's cells) and raises
`WorkbookFileError` with a stable kebab-case `code`. `read_values` runs the same checks and then
reads every worksheet with python-calamine, trimming trailing empty rows and columns.

Why the worksheet extent scan: calamine stores a sheet as one dense grid from its first to its last
value cell. A single "" or " " at XFD1048576 next to data in A1 makes it ask for 512 GiB and abort
the whole process (a Rust abort, not an exception). The scan finds every cell that carries a value
(`<c ...>...</c>`, not a self-closed formatted blank `<c r=".." s="1"/>`) and refuses sheets whose
grid would be too big, before calamine sees them.

The input is only ever opened read-only.
"""
from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator

from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.codes import FILE_CODES
from campaign_sheets.i18n import norm_lang as _norm_lang
from campaign_sheets.i18n import t

try:   # zlib-ng inflates the same streams about twice as fast, and its CRC-32 is 5x zlib's
    from zlib_ng import zlib_ng as _inflater
except ImportError:  # pragma: no cover
    _inflater = zlib
_crc32 = _inflater.crc32
_INFLATE_ERRORS = tuple({zlib.error, _inflater.error})

__all__ = ["Limits", "RawBook", "check_file", "sniff", "read_values", "CODES"]


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 2**20
    max_uncompressed_bytes: int = 500 * 2**20   # sum of zip entries' declared sizes
    max_entries: int = 10_000
    max_ratio: float = 200.0                     # per entry uncompressed/compressed (for entries > 1 MiB)
    max_cell_chars: int = 32_767
    max_rows_per_sheet: int = 1_048_576
    # Extension: cells in the bounding boxes of value cells, summed over all worksheets. calamine
    # allocates each box densely (about 32 bytes a cell), so this bounds its memory.
    max_cells: int = 10_000_000


@dataclass
class RawBook:
    sheets: dict[str, list[list[Any]]]   # sheet name -> rows of raw values, trailing empty rows/cols trimmed (the sheets read)
    sheet_states: dict[str, str]          # 'visible' / 'hidden' / 'veryhidden'
    date1904: bool
    has_macros: bool


# --------------------------------------------------------------------------------------- messages

CODES = FILE_CODES


def _fail(code: str, path: Path | str, lang: str, reason: str | None = None, **params: Any) -> WorkbookFileError:
    if reason is not None:
        params["reason"] = t("file.reason." + reason, lang, **params)
    params.setdefault("name", os.path.basename(str(path)))
    err = WorkbookFileError(t("file." + code, lang, **params), path=str(path), code=code)
    err.params = params  # so a report can re-render the message in another language
    return err


# --------------------------------------------------------------------------------------- sniffing

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HEAD = 64 * 1024
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta", b"<style", b"<div")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _stat(path: Path, lang: str) -> os.stat_result:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _fail("file-missing", path, lang) from None
    except OSError as exc:
        raise _fail("file-unreadable", path, lang, reason="reader", detail=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise _fail("file-is-folder", path, lang)
    if not stat.S_ISREG(st.st_mode):
        raise _fail("file-unreadable", path, lang, reason="reader", detail="not a regular file")
    return st


def _ole_kind(f, head: bytes) -> str:
    """'encrypted' when the CFB directory names an EncryptedPackage stream, else 'xls'."""
    if _ENCRYPTED_PACKAGE in head:
        return "encrypted"
    # The directory may lie beyond the first 64 KiB: look at the first directory sector too.
    if len(head) >= 0x34:
        sector_shift = struct.unpack_from("<H", head, 0x1E)[0]
        first_dir = struct.unpack_from("<I", head, 0x30)[0]
        if 7 <= sector_shift <= 16 and first_dir < 0xFFFFFFFA:
            try:
                f.seek((first_dir + 1) << sector_shift)
                if _ENCRYPTED_PACKAGE in f.read(_HEAD):
                    return "encrypted"
            except (OSError, OverflowError, ValueError):
                pass
    return "xls"


def _text_kind(head: bytes) -> str:
    """'html', 'csv' or 'unknown' for a file that is neither OLE2 nor ZIP."""
    data = head
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data[2:len(data) - (len(data) % 2)].decode("utf-16-le" if data[0] == 0xFF else "utf-16-be",
                                                            errors="strict")
        except UnicodeDecodeError:
            return "unknown"
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if b"\x00" in data:
            return "unknown"
        text = None
        for enc in ("utf-8", "gb18030"):
            for cut in range(0, 4):  # the 64 KiB head may end inside a multi-byte character
                try:
                    text = data[:len(data) - cut].decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            if text is not None:
                break
        if text is None:
            return "unknown"
    sample = text[:4096]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    if control > len(sample) // 100:
        return "unknown"
    low = sample.lstrip().lower().encode("utf-8", "ignore")
    if low.startswith(b"mime-version:") or b"multipart/related" in low[:2048]:
        return "html"  # .mht web archive, another "export to Excel" favourite
    if low.startswith(b"<") and any(m in low[:2048] for m in _HTML_MARKERS):
        return "html"
    if low.startswith(b"<"):
        return "unknown"  # XML (e.g. Excel 2003 XML spreadsheet) or other markup
    return "csv"


def _zip_kind(zf: zipfile.ZipFile) -> tuple[str, bool]:
    """('xlsx'|'xlsm'|'xlsb'|'ods'|'zip'|'docx'|'pptx', has_macros) from a zip's names."""
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        macros = "xl/vbaProject.bin" in names
        if not macros and "[Content_Types].xml" in names:
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size <= 4 * 2**20:
                try:
                    macros = b"macroenabled" in zf.read(info).lower()
                except Exception:  # noqa: BLE001 - damage is reported by the full scan
                    pass
        return ("xlsm" if macros else "xlsx"), macros
    if "xl/workbook.bin" in names:
        return "xlsb", False
    if "mimetype" in names or "content.xml" in names:
        try:
            if zf.getinfo("mimetype").file_size < 200 and zf.read("mimetype").strip() == _ODS_MIME:
                return "ods", False
        except Exception:  # noqa: BLE001
            pass
        if "content.xml" in names and "META-INF/manifest.xml" in names:
            return "ods", False
    if "word/document.xml" in names:
        return "docx", False
    if "ppt/presentation.xml" in names:
        return "pptx", False
    return "zip", False


def _eocd(f, size: int) -> tuple[int, int] | None:
    """(entry count, central directory size) from the end-of-central-directory record, or None."""
    tail_len = min(size, 22 + 65535 + 20)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) - i < 22:
        return None
    count, cd_size = struct.unpack_from("<HI", tail, i + 10)
    if count == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = tail.rfind(b"PK\x06\x07", 0, i)
        if loc < 0 or i - loc != 20:
            return None
        (z64_off,) = struct.unpack_from("<Q", tail, loc + 8)
        if z64_off + 56 > size:
            return None
        f.seek(z64_off)
        rec = f.read(56)
        if not rec.startswith(b"PK\x06\x06"):
            return None
        count, cd_size = struct.unpack_from("<QQ", rec, 32)
    return count, cd_size


def sniff(path: str | os.PathLike) -> str:
    """What the file really is, from its bytes: 'xlsx', 'xlsm', 'xls', 'xlsb', 'ods', 'csv', 'html',
    'encrypted', 'empty', 'zip' or 'unknown'. Raises WorkbookFileError for a missing path or a folder."""
    p = Path(path)
    st = _stat(p, "en")
    if st.st_size == 0:
        return "empty"
    with open(p, "rb") as f:
        head = f.read(_HEAD)
        if not head:
            return "empty"
        if head.startswith(_OLE_MAGIC):
            return _ole_kind(f, head)
        if head.startswith(_ZIP_MAGICS):
            eocd = _eocd(f, st.st_size)
            limits = Limits()
            if eocd is None or eocd[0] > limits.max_entries or eocd[1] > limits.max_entries * 1024:
                return "zip"
            try:
                f.seek(0)
                with zipfile.ZipFile(f) as zf:
                    kind, _ = _zip_kind(zf)
            except Exception:  # noqa: BLE001 - damaged zip: still a zip
                return "zip"
            return kind if kind in ("xlsx", "xlsm", "xlsb", "ods") else "zip"
        return _text_kind(head)


# --------------------------------------------------------------------------------------- the checks

_CHUNK = 1 << 20
_IN_MEMORY = 32 << 20   # files (and their parts together) up to this size are read whole
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# An element's local name is what follows the first ':' of its name, and the name runs to the first
# whitespace, '/' or '>' (quick-xml, inside python-calamine, checks nothing else): any prefix at all.
_PREFIX = rb"(?:[^\s/>:]*:)?"
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"   # attribute text; a quoted value may hold '>'
# Slow path: every row and cell start tag, in order (handles prefixes, missing r, odd spacing).
_TAG_RE = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c)(?=[\s/>])" + _ATTRS + rb">")
_ROW_R_RE = re.compile(rb"(?:^|\s)r\s*=\s*[\"'][A-Za-z]*([0-9]+)[\"']")   # calamine ignores letters
_CELL_R_RE = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([A-Za-z]+)([0-9]+)[\"']")
_PREFIXED_C_RE = re.compile(rb"<[^\s/>:]*:c[\s/>]")
# calamine reads a sheet from whatever part its relationship names under these folders (the folder
# decides the sheet type) and matches part names ignoring case: every such part gets the cell scan.
_SHEET_FOLDERS = ("xl/worksheets/", "xl/dialogsheets/", "xl/chartsheets/", "xl/macrosheets/")


@dataclass
class _Extent:
    has_errors: bool = False   # any error cell (t="e"), which python-calamine reads as ''
    min_row: int = 1 << 62
    max_row: int = -1
    min_col: int = 1 << 62
    max_col: int = -1

    def add(self, rows: Iterable[int], cols: Iterable[int]) -> None:
        rows, cols = list(rows), list(cols)
        if rows:
            self.min_row = min(self.min_row, min(rows))
            self.max_row = max(self.max_row, max(rows))
        if cols:
            self.min_col = min(self.min_col, min(cols))
            self.max_col = max(self.max_col, max(cols))

    @property
    def empty(self) -> bool:
        return self.max_row < 0

    @property
    def cells(self) -> int:
        return 0 if self.empty else (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


@dataclass
class _Inspection:
    kind: str
    has_macros: bool = False
    date1904: bool = False
    sheet_parts: dict[str, str] = field(default_factory=dict)   # part name -> sheet name
    extents: dict[str, _Extent] = field(default_factory=dict)   # sheet name -> extent of value cells
    longest_text_part: int = 0   # biggest sharedStrings/sheet part in bytes: no cell can be longer
    text_bounds: dict[str, int] = field(default_factory=dict)   # part -> longest run without '<' (bytes)
    data: bytes | None = None     # the file's bytes as checked, when it was read whole (for the reader)
    stored: bytes | None = None   # what the reader parses, for a file read whole: the checked parts
                                  # uncompressed (worksheets without their formatted blanks if the
                                  # fast scan vouched for them)
    error_parts: dict[str, bytes] = field(default_factory=dict)  # sheet parts with t="e" cells, if read whole


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def _col_letters(index: int) -> str:
    """0-based column index -> 'A'..'XFD'."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


def _looks_xml(head: bytes) -> bool:
    """An XML declaration at the start, in any encoding (for parts whose names do not say XML)."""
    text = head[:64].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    return text.startswith(b"<?xml") or text.startswith(b"<!")


_PLAIN_PROLOG = re.compile(rb"<\?xml[^?]*\?>[ \t\r\n]*<[A-Za-z_]")


def _prolog_is_safe(head: bytes, complete: bool) -> bool:
    """True when an XML part's prolog has no DOCTYPE/ENTITY and its root element starts in `head`
    (or `head` is the `complete` part and holds nothing but a prolog).

    The usual head (no NUL, no '<!', an XML declaration, whitespace and the root element) is accepted
    at once: `_prolog_walk` would accept it too."""
    if b"\x00" not in head and (b"!" not in head or b"<!" not in head) and _PLAIN_PROLOG.match(head):
        return True
    return _prolog_walk(head, complete)


def _prolog_walk(head: bytes, complete: bool) -> bool:
    """`_prolog_is_safe` for any head. NUL bytes are dropped first so UTF-16/UTF-32 text collapses
    to ASCII and the markers still match."""
    text = head.replace(b"\x00", b"")
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    elif text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text[2:]
    upper = text.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return False
    i, n = 0, len(text)
    while i < n:  # walk the prolog: declaration, PIs, comments, whitespace, then the root element
        if text[i] in b" \t\r\n":
            i += 1
        elif text.startswith(b"<?", i):
            j = text.find(b"?>", i + 2)
            if j < 0:
                return False
            i = j + 2
        elif text.startswith(b"<!--", i):
            j = text.find(b"-->", i + 4)
            if j < 0:
                return False
            i = j + 3
        elif text.startswith(b"<", i) and i + 1 < n and (text[i + 1:i + 2].isalpha() or text[i + 1] == 0x5F):
            return True
        else:
            return False  # any other declaration, stray text, or a prolog longer than the head
    return complete  # only a prolog: harmless if that is the whole part, suspicious if more follows


class _Enough(Exception):
    """Raised by an element handler of `_parse_part` once it has read what it needs."""


class _DoctypeFound(Exception):
    """A DTD in a part read by `_parse_part` (where entity bombs and external entities live)."""


def _parse_part(zf: zipfile.ZipFile, name: str, path: Path, lang: str,
                on_start: Callable[[str, int, dict[str, str]], None], stop_after: str | None = None,
                read: Callable[[str], bytes] | None = None) -> None:
    """Feed part `name` to expat, calling on_start(local name, depth, attributes) for each element (root
    at depth 1; namespaced attribute names are 'uri}local') until the end tag named `stop_after`.

    Refuses any DTD as xml-entities, as defusedxml's forbid_dtd does (entities can only be declared
    in one); a damaged zip entry is corrupt-zip and malformed XML corrupt-workbook."""
    from xml.parsers import expat

    depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        on_start(tag.rpartition("}")[2], depth, attrs)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        if stop_after is not None and tag.rpartition("}")[2] == stop_after:
            raise _Enough

    def refuse(*_args: Any) -> None:
        raise _DoctypeFound

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        if read is not None:   # the part already inflated (and checked) in memory
            parser.Parse(read(name), True)
        else:
            with zf.open(name) as fh:
                while chunk := fh.read(16 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
    except _Enough:
        pass
    except _DoctypeFound:
        raise _fail("xml-entities", path, lang, part=name) from None
    except (zipfile.BadZipFile, *_INFLATE_ERRORS, EOFError, NotImplementedError) as exc:
        raise _fail("corrupt-zip", path, lang, reason="bad-part", part=name, detail=str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - ExpatError, and whatever a damaged entry raises
        raise _fail("corrupt-workbook", path, lang, reason="xml", part=name, detail=str(exc)) from None


def _workbook_facts(zf: zipfile.ZipFile, path: Path, lang: str,
                    read: Callable[[str], bytes] | None = None) -> tuple[bool, list[tuple[str, str]]]:
    """(date1904, [(sheet name, r:id)]) from xl/workbook.xml, parsed up to </sheets>."""
    date1904 = False
    sheets: list[tuple[str, str]] = []

    def on_start(tag: str, _depth: int, attrs: dict[str, str]) -> None:
        nonlocal date1904
        if tag == "workbookPr":
            date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")
        elif tag == "sheet":
            sheets.append((attrs.get("name", ""), next((v for k, v in attrs.items() if k.endswith("}id")), "")))

    _parse_part(zf, "xl/workbook.xml", path, lang, on_start, stop_after="sheets", read=read)
    return date1904, sheets


def _workbook_rels(zf: zipfile.ZipFile, names: set[str], path: Path, lang: str,
                   read: Callable[[str], bytes] | None = None) -> dict[str, tuple[str, str]]:
    """r:id -> (type, part name) from xl/_rels/workbook.xml.rels."""
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in names:
        return {}
    out = {}

    def on_start(_tag: str, depth: int, rel: dict[str, str]) -> None:
        if depth != 2 or rel.get("TargetMode", "").lower() == "external":
            return
        target = rel.get("Target", "")
        # as calamine resolves it (no normalisation of '..'); it then looks the name up ignoring case
        part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else "xl/" + target
        out[rel.get("Id", "")] = (rel.get("Type", ""), part)

    _parse_part(zf, rels_name, path, lang, on_start, read=read)
    return out


_WIDTHS = (32, 64)   # bytes of each cell tag the fast path looks at (the second only if needed)


def _bits(mask: Any, dtype: Any) -> Any:
    """One unsigned int (`dtype`: '<u2', '<u4' or '<u8') per row of an (n, 16/32/64) boolean array:
    bit j is column j."""
    import numpy as np

    return np.packbits(mask.ravel(), bitorder="little").view(dtype)


def _windows(a: Any, starts: Any, width: int) -> Any:
    """The `width` bytes of uint8 array `a` from each offset in `starts`, one row each (a copy; like
    numpy's sliding_window_view(a, width)[starts] without its fixed cost of some 30 µs)."""
    import numpy as np

    return np.ndarray((a.size - width + 1, width), np.uint8, a, 0, (1, 1))[starts]


def _trailing_ones(x: Any) -> Any:
    import numpy as np

    return np.bitwise_count(x & ~(x + 1)).astype(np.int64)


def _decimal(eight: Any, count: Any) -> Any:
    """The numbers written by the last `count` (1..8) ASCII digits of each uint64's 8 bytes (SWAR:
    pairs, then quads, then octets of digits combined at once)."""
    import numpy as np

    x = eight & np.uint64(0x0F0F0F0F0F0F0F0F)
    x &= np.uint64(0xFFFFFFFFFFFFFFFF) << (np.uint64(8) * (8 - count).astype(np.uint64))   # drop the rest
    x = (x * np.uint64(10) + (x >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    x = (x * np.uint64(100) + (x >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    return ((x * np.uint64(10000) + (x >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.int64)


def _cell_positions(buf: bytes, padded: bool = False, marks: Any = None,
                    blanks: list | None = None) -> "tuple[Any, Any, Any, Any] | None":
    """(tag offsets, tag ends, 0-based rows, 0-based columns) of every value cell in `buf`, vectorised with
    numpy (a regex match per cell costs about 1 µs in Python; this well under 0.1 µs).

    Each '<c ' tag is checked within its first 32 (or, if some tag is longer, 64) bytes, one bit per
    byte in an unsigned int. Returns None, leaving the text to `_scan_cells_slow`, when it holds
    anything this path does not model exactly: a prefixed cell tag, a cell tag not written
    '<c r="A1"...' or not closed by a '>' within 64 bytes, a malformed reference, a second r
    attribute, or quotes that could hide a '>'. `buf` must not end inside a tag; `padded` says it
    already ends in 64 zero bytes (saving a copy); `marks`, if given, are the offsets of its '<';
    `blanks`, if given, gets (offsets, offsets of the closing '>') of the self-closed value-less
    cells (formatted blanks), once the tags have passed the checks."""
    import numpy as np

    a = np.frombuffer(buf if padded else buf + bytes(_WIDTHS[-1]), dtype=np.uint8)
    colons = np.flatnonzero(a == 58)                                # (bytes.find(b":c") is 3x slower)
    if colons.size and (a[colons + 1] == 99).any() and _PREFIXED_C_RE.search(buf):
        return None                                                 # '<x:c ...>'
    lt = np.flatnonzero(a == 60) if marks is None else marks         # every '<' (one pass over the bytes)
    none = np.zeros(0, dtype=np.int64)
    idx = lt[a[lt + 1] == 99]                                       # '<c'
    nxt = a[idx + 2]
    if ((nxt == 9) | (nxt == 10) | (nxt == 13) | (nxt == 47) | (nxt == 62)).any():
        return None                                                 # '<c\t' '<c\n' '<c\r' '<c/' '<c>'
    tags = idx[nxt == 32]                                           # '<c ' (the rest: <col, <cfRule...)
    if not tags.size:
        return none, none, none, none
    for width in _WIDTHS:
        win = _windows(a, tags, width)
        gt = _bits(win == 62, f"<u{width // 8}")
        if gt.all():
            break
    else:
        return None                                                 # a tag with no '>' in 64 bytes
    word = gt.dtype
    inside = (gt & ~(gt - 1)) - 1                                   # the bytes before each tag's first '>'
    end = np.bitwise_count(inside).astype(np.int64)
    # That '>' really ends the tag only if no quote is open: even '"' count, no "'" at all.
    dq = _bits(win == 34, word)
    if (np.bitwise_count(dq & inside) & 1).any():
        return None
    if b"'" in buf and (_bits(win == 39, word) & inside).any():
        return None
    is_value = win[np.arange(tags.size), end - 1] != 47             # '/>': a formatted blank
    if blanks is not None:
        blank = ~is_value
        blanks.append((tags[blank], tags[blank] + end[blank]))
    value = np.flatnonzero(is_value)
    if not value.size:
        return none, none, none, none
    win, inside, dq, tags, end = win[value], inside[value], dq[value], tags[value], end[value]
    # python-calamine 0.9 places a cell by its *last* r attribute: allow one 'r' after a space or
    # control character in each tag (the one checked below), which excludes any other attribute r.
    if (np.bitwise_count(_bits(win == 114, word) & (_bits(win <= 32, word) << 1) & inside) != 1).any():
        return None
    if not ((win[:, 3] == 114) & (win[:, 4] == 61) & (win[:, 5] == 34)).all():   # 'r="'
        return None
    # The reference: 1-3 capitals, 1-7 digits without a leading 0, then the closing quote.
    ref = win[:, 6:22]
    n = _trailing_ones(_bits(ref - 65 < 26, "<u2"))
    nd = _trailing_ones(_bits(ref - 48 < 10, "<u2") >> n)
    quote = n + nd + 6
    if ((n < 1) | (n > 3) | (nd < 1) | (nd > 7) | (((dq >> quote.astype(np.uint64)) & 1) == 0)).any():
        return None
    if (win[np.arange(tags.size), n + 6] == 48).any():
        return None                                                 # a leading 0
    eight = _windows(win.ravel(), np.arange(tags.size) * width + quote - 8, 8)
    rows = _decimal(eight.view("<u8").ravel(), nd) - 1
    cols = win[:, 6].astype(np.int64) - 65
    for k in (7, 8):
        cols = np.where(n > k - 6, (cols + 1) * 26 + win[:, k] - 65, cols)
    return tags, tags + end, rows, cols


def _scan_cells_fast(chunks: Iterable[bytes], ext: _Extent) -> bool:
    """Add every value cell's position to `ext` chunk by chunk (see `_cell_positions`); False as
    soon as a chunk needs the exact scan."""
    for chunk in chunks:
        found = _cell_positions(chunk)
        if found is None:
            return False
        rows, cols = found[2], found[3]
        if rows.size:
            ext.add((int(rows.min()), int(rows.max())), (int(cols.min()), int(cols.max())))
    return True


def _scan_parts(parts: list[bytes], strip: list | None = None) -> tuple[list[_Extent] | None, int]:
    """The extent of each of several whole worksheet parts, in one vectorised pass over all of them
    (numpy's per-call overhead, not the bytes, is what a small sheet costs), or None when any part
    needs the exact scan; and an upper bound on the longest text any of them holds: the longest
    run without a '<' in their concatenation (see `_longest_text`). With `strip` (a list) and the
    extents found, each part is appended to it without its formatted blanks (see `_strip_blanks`;
    nothing is appended where it declines)."""
    import numpy as np

    buf = b"".join([*parts, bytes(_WIDTHS[-1])])
    size = len(buf) - _WIDTHS[-1]
    a = np.frombuffer(buf, dtype=np.uint8)
    lt = np.flatnonzero(a == 60)
    # '<!': a comment or a CDATA section, which may hold '<' (so no bound from runs) and which
    # no writer puts in a worksheet (so nothing is cut from such parts either)
    declared = bool(lt.size) and bool((a[lt + 1] == 33).any())
    if not lt.size or declared:
        run = size
    else:
        run = int(max(lt[0], size - lt[-1], np.diff(lt).max() if lt.size > 1 else 0))
    blanks: list | None = [] if strip is not None else None
    found = _cell_positions(buf, padded=True, marks=lt, blanks=blanks)
    if found is None:
        return None, run
    tags, ends, rows, cols = found
    bounds = np.cumsum([0] + [len(p) for p in parts])
    seg = np.searchsorted(bounds, tags, side="right") - 1
    if (ends >= bounds[seg + 1]).any():
        return None, run                                            # a tag running into the next part
    counts = np.bincount(seg, minlength=len(parts))
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))[counts > 0]
    extents = [_Extent() for _ in parts]
    if firsts.size:
        lo_r, hi_r = np.minimum.reduceat(rows, firsts), np.maximum.reduceat(rows, firsts)
        lo_c, hi_c = np.minimum.reduceat(cols, firsts), np.maximum.reduceat(cols, firsts)
        for j, i in enumerate(np.flatnonzero(counts)):
            extents[i].add((int(lo_r[j]), int(hi_r[j])), (int(lo_c[j]), int(hi_c[j])))
    if strip is not None and not declared:
        strip += _strip_blanks(buf, bounds, *(blanks[0] if blanks else (tags[:0], tags[:0])), lt) or []
    return extents, run


def _strip_blanks(buf: bytes, bounds: Any, starts: Any, ends: Any, marks: Any) -> list[bytes] | None:
    """Each part (`buf[bounds[i]:bounds[i + 1]]`) without the formatted blanks that start at
    `starts` and close at `ends` (the '>'): value-less cells the value reader would parse and
    keep nothing of (a pre-sized template is mostly such cells), cut out in runs of adjacent ones.
    `marks` are the offsets of every '<'. Every cell of a part the fast scan answered for has its
    r attribute, so no other cell moves.

    None (keep the parts as they are) unless every cut is one the reader could not tell from the
    original: each blank is written exactly `<c r="A1"/>` or `<c r="A1" s="3"/>` (so none is one
    the reader would refuse), and each run sits between cells of one row (after `</c>` or a
    `<row ...>` start, before `<c ` or `</row>`), so a cut neither joins bytes into new markup nor
    takes anything out of a value."""
    import numpy as np

    view = memoryview(buf)
    if not starts.size:
        return [bytes(view[lo:hi]) for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
    stops = ends + 1
    first = np.ones(starts.size, dtype=bool)
    first[1:] = starts[1:] != stops[:-1]                            # a run starts where a gap is
    last = np.ones(starts.size, dtype=bool)
    last[:-1] = first[1:]
    run_starts, run_stops = starts[first], stops[last]
    part = np.searchsorted(bounds, run_starts, side="right") - 1    # the part each run starts in
    if (run_starts == bounds[part]).any() or (run_stops >= bounds[part + 1]).any() or (run_starts < 8).any():
        return None                                                 # at a part's edge (or past it)
    a = np.frombuffer(buf, dtype=np.uint8)
    prev = marks[np.searchsorted(marks, run_starts) - 1]            # the '<' of the tag before each run
    before, opened, after = (_windows(a, at, 8).view("<u8").ravel() for at in (run_starts - 8, prev, run_stops))
    after_cell = (before >> np.uint64(32)) == _word(b"</c>")
    after_row = (((opened & _mask(5)) == _word(b"<row ")) | ((opened & _mask(5)) == _word(b"<row>"))) & \
        ((before >> np.uint64(56)) == 62) & (((before >> np.uint64(48)) & np.uint64(255)) != 47)   # '...">' right before
    before_next = ((after & _mask(3)) == _word(b"<c ")) | ((after & _mask(6)) == _word(b"</row>"))
    if not ((after_cell | after_row) & before_next).all():
        return None
    # No reference with a leading 0 (the letters end at its 7th, 8th or 9th byte)...
    letters = 1 + _capital(a[starts + 7]) + (_capital(a[starts + 7]) & _capital(a[starts + 8]))
    if (a[starts + 6 + letters] == 48).any():
        return None
    # ...and every run's shape, its capitals and digits as two classes: a template's rows of
    # blanks differ in their row numbers only, so a few distinct shapes are matched, not each tag.
    starts_list, stops_list = run_starts.tolist(), run_stops.tolist()
    runs = b"\n".join([view[x:y] for x, y in zip(starts_list, stops_list)]).translate(_BLANK_CLASSES)
    if not all(_PLAIN_BLANKS.fullmatch(shape) for shape in set(runs.split(b"\n"))):
        return None
    # what each part keeps: from its start, or a run's end, to the next run's start, or its end
    cuts = np.searchsorted(run_starts, bounds).tolist()
    keep_from, keep_to = stops_list, starts_list
    out: list[bytes] = []
    for k, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
        a_run, b_run = cuts[k], cuts[k + 1]
        froms = [lo, *keep_from[a_run:b_run]]
        tos = [*keep_to[a_run:b_run], hi]
        out.append(b"".join([view[x:y] for x, y in zip(froms, tos)]))
    return out


def _blank_classes() -> bytes:
    """Byte -> its class in the shape of a run of blanks: capitals 'A', digits '1', the other
    characters of `<c r="" s=""/>` and the newline that separates runs as themselves, anything
    else '?'."""
    table = bytearray(b"?" * 256)
    for ch in b'<c r="s/>= \n':
        table[ch] = ch
    table[65:91] = b"A" * 26
    table[48:58] = b"1" * 10
    return bytes(table)


def _capital(byte: Any) -> Any:
    return (byte >= 65) & (byte <= 90)


_BLANK_CLASSES = _blank_classes()
_PLAIN_BLANKS = re.compile(rb'(?:<c r="A{1,3}1{1,7}"(?: s="1{1,9}")?/>)+')


def _word(text: bytes) -> Any:
    """Up to 8 bytes as the little-endian uint64 that an 8-byte window starting with them masks to."""
    import numpy as np

    return np.uint64(int.from_bytes(text, "little"))


def _mask(n: int) -> Any:
    import numpy as np

    return np.uint64((1 << (8 * n)) - 1)


def _stored_zip(parts: list[tuple[zipfile.ZipInfo, bytes, bool]]) -> bytes:
    """Parts (info, bytes, whether changed) as a zip without compression (the value reader then
    copies them, not inflating them a second time); a changed part's CRC-32 is computed anew."""
    out, central, offset = [], [], 0
    for info, blob, changed in parts:
        name = info.orig_filename.encode("utf-8")
        crc = _crc32(blob) if changed else info.CRC
        fixed = (20, 0x800, zipfile.ZIP_STORED, 0, 0x21, crc, len(blob), len(blob), len(name), 0)
        out += [struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fixed), name, blob]
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fixed, 0, 0, 0, 0, offset) + name)
        offset += 30 + len(name) + len(blob)
    directory = b"".join(central)
    out += [directory, struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), offset, 0)]
    return b"".join(out)


def _scan_cells_slow(chunks: Iterable[bytes], ext: _Extent) -> None:
    """Every cell's position as calamine's xlsx cell reader assigns it: `<row r=N>` sets the row;
    `</row>` (or a self-closed row) moves to the next row and column A; a cell without r takes the
    current position; every cell, blank or not, moves one column right. A cell with several r
    attributes counts at each (readers disagree on which wins)."""
    row, col = 0, 0
    lo_r, hi_r, lo_c, hi_c = 1 << 62, -1, 1 << 62, -1
    for chunk in chunks:
        for m in _TAG_RE.finditer(chunk):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            self_closed = attrs.rstrip().endswith(b"/")
            if name == b"row":
                if closing:
                    row, col = row + 1, 0
                    continue
                r = _ROW_R_RE.search(attrs)
                if r:
                    row = int(r.group(1)) - 1
                if self_closed:
                    row, col = row + 1, 0
                continue
            if closing:
                continue
            refs = _CELL_R_RE.findall(attrs)
            if refs:
                positions = [(int(digits) - 1, _col_number(letters) - 1) for letters, digits in refs]
                col = positions[-1][1]
            else:
                positions = [(row, col)]
            col += 1
            if not self_closed:
                for cell_row, cell_col in positions:
                    lo_r, hi_r = min(lo_r, cell_row), max(hi_r, cell_row)
                    lo_c, hi_c = min(lo_c, cell_col), max(hi_c, cell_col)
    if hi_r >= 0:
        ext.add((lo_r, hi_r), (lo_c, hi_c))


class _BadPart(Exception):
    """A part no spreadsheet writer would produce (reported as corrupt-workbook)."""


_MAX_RUN = 64 * 2**20   # bytes without a single '<': no worksheet has that (a cell holds 32,767 chars)


def _tag_chunks(fh, first: bytes) -> Iterable[bytes]:
    """Decompressed chunks, each cut just before a '<' so no tag is split between two chunks.
    Pieces are joined once (no quadratic copying when a long run has no '<')."""
    pending, size = [first], len(first)
    while True:
        data = fh.read(_CHUNK)
        if not data:
            tail = b"".join(pending)
            if tail:
                yield tail
            return
        cut = data.rfind(b"<")
        if cut < 0:
            pending.append(data)
            size += len(data)
            if size > _MAX_RUN:
                raise _BadPart(f"more than {_MAX_RUN >> 20} MiB without any markup")
            continue
        pending.append(data[:cut])
        yield b"".join(pending)
        pending, size = [data[cut:]], len(data) - cut


def _inspect(path: str | os.PathLike, limits: Limits, lang: str, keep: bool = False) -> _Inspection:
    """All the checks; with `keep`, also keep the bytes of a file read whole, so the reader parses
    exactly what was checked (the file may change on disk meanwhile)."""
    p = Path(path)
    st = _stat(p, lang)
    size = st.st_size
    if size == 0:
        raise _fail("file-empty", p, lang)
    if size > limits.max_file_bytes:
        raise _fail("file-too-large", p, lang, size_mb=f"{size / 2**20:.1f}",
                    limit_mb=f"{limits.max_file_bytes / 2**20:g}")
    try:
        f = open(p, "rb")  # read-only, never written
    except OSError as exc:
        raise _fail("file-unreadable", p, lang, reason="reader", detail=exc.strerror or str(exc)) from None
    with f:
        head = f.read(_HEAD)
        if not head:
            raise _fail("file-empty", p, lang)
        if head.startswith(_OLE_MAGIC):
            if _ole_kind(f, head) == "encrypted":
                raise _fail("encrypted", p, lang)
            raise _fail("not-xlsx-legacy-xls", p, lang)
        if not head.startswith(_ZIP_MAGICS):
            kind = _text_kind(head)
            if kind == "csv":
                raise _fail("not-xlsx-csv", p, lang)
            if kind == "html":
                raise _fail("not-xlsx-html", p, lang)
            raise _fail("corrupt-zip", p, lang, reason="not-zip")
        eocd = _eocd(f, size)
        if eocd is None:
            raise _fail("corrupt-zip", p, lang, reason="truncated")
        if eocd[0] > limits.max_entries or eocd[1] > limits.max_entries * 1024:
            raise _fail("too-many-entries", p, lang, count=f"{max(eocd[0], eocd[1] // 46):,}",
                        limit=f"{limits.max_entries:,}")
        f.seek(0)
        data = f.read() if size <= _IN_MEMORY else None
        try:
            zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else f)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error) as exc:
            raise _fail("corrupt-zip", p, lang, reason="bad-zip", detail=str(exc)) from None
        with zf:
            ins = _inspect_zip(zf, p, limits, lang, data, copy=keep)
    if keep:
        ins.data = data
    return ins


def _other_name(extra: bytes) -> str | None:
    """The name an Info-ZIP Unicode Path field (0x7075) in `extra` gives a part, if any: Python's
    zipfile ignores it, but the zip reader inside python-calamine goes by it."""
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        if tag == 0x7075:
            body = extra[i + 4:i + 4 + size]
            return body[5:].decode("utf-8", "replace") if len(body) > 5 else ""
        i += 4 + size
    return None


def _inspect_zip(zf: zipfile.ZipFile, p: Path, limits: Limits, lang: str, data: bytes | None,
                 copy: bool = False) -> _Inspection:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise _fail("too-many-entries", p, lang, count=f"{len(infos):,}", limit=f"{limits.max_entries:,}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename.lower() in seen:   # readers differ on which copy they use; calamine ignores case
            raise _fail("corrupt-zip", p, lang, reason="duplicate", part=info.filename)
        seen.add(info.filename.lower())
        other = _other_name(info.extra)
        if other is not None and other != info.orig_filename:   # readers would disagree on the part's name
            raise _fail("corrupt-zip", p, lang, reason="two-names", part=info.filename, other=other[:100])
        if info.flag_bits & 0x1:
            raise _fail("corrupt-zip", p, lang, reason="zip-encrypted", part=info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _fail("corrupt-zip", p, lang, reason="method", part=info.filename)
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise _fail("zip-bomb", p, lang, reason="total", size_mb=f"{total / 2**20:.1f}",
                        limit_mb=f"{limits.max_uncompressed_bytes / 2**20:g}")
        if info.file_size > 2**20:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > limits.max_ratio:
                raise _fail("zip-bomb", p, lang, reason="ratio", part=info.filename,
                            ratio=f"{ratio:.0f}", limit=f"{limits.max_ratio:g}")
    kind, has_macros = _zip_kind(zf)
    if kind == "xlsb":
        raise _fail("not-xlsx-xlsb", p, lang)
    if kind == "ods":
        raise _fail("not-xlsx-ods", p, lang)
    if kind not in ("xlsx", "xlsm"):
        raise _fail("not-a-workbook", p, lang, reason="no-workbook",
                    kind=t("file.kind." + (kind if kind in ("docx", "pptx") else "none"), lang))
    ins = _Inspection(kind=kind, has_macros=has_macros)

    # 1. Which parts are worksheets, and what the workbook says about itself (`_parse_part` refuses
    #    any DTD in these two parts).
    by_lower = {info.filename.lower(): info.filename for info in infos}
    whole = data is not None and sum(info.file_size for info in infos) <= _IN_MEMORY
    inflated: dict[str, bytes] = {}

    def read(name: str) -> bytes:
        """A part inflated from memory once, with zipfile's checks (see `_entry`)."""
        if name not in inflated:
            inflated[name] = _entry(data, zf.getinfo(name))
        return inflated[name]

    ins.date1904, sheets = _workbook_facts(zf, p, lang, read if whole else None)
    rels = _workbook_rels(zf, set(by_lower.values()), p, lang, read if whole else None)
    for sheet_name, rid in sheets:
        real = by_lower.get(rels.get(rid, ("", ""))[1].lower())
        if real:
            ins.sheet_parts[real] = sheet_name
    for lower, real in by_lower.items():
        if lower.startswith(_SHEET_FOLDERS) and "/_rels/" not in lower and real not in ins.sheet_parts:
            ins.sheet_parts[real] = posixpath.basename(real)

    # 2. Read every part once: the prolog of each XML part (DOCTYPE/ENTITY is where billion laughs
    #    and XXE live), CRCs and true sizes, and the extent of value cells in each worksheet. A small
    #    file is read from memory and its worksheets scanned together; a big one is streamed.
    sheet_bytes: dict[str, bytes] = {}
    extents: list[tuple[str, _Extent]] = []
    parts: list[tuple[zipfile.ZipInfo, bytes]] = []
    stripped: list[bytes] | None = [] if copy else None
    for info in infos:
        name = info.filename
        sheet = ins.sheet_parts.get(name)
        if sheet is not None or name.lower() == "xl/sharedstrings.xml":
            ins.longest_text_part = max(ins.longest_text_part, info.file_size)
        try:
            if whole:
                blob = inflated.pop(name, None) or _entry(data, info)
                if copy:
                    parts.append((info, blob))
                _check_prolog(blob[:_CHUNK], sheet is not None, name, p, lang)
                if sheet is None and name.lower() == "xl/sharedstrings.xml":
                    ins.text_bounds[name] = _longest_text(blob, limits.max_cell_chars)
                if sheet is not None:
                    _check_encoding(blob, name, p, lang)
                    sheet_bytes[name] = blob
                continue
            _check_local_extra(_local_extra(zf.fp, info), info)
            with zf.open(info) as fh:
                first = fh.read(_CHUNK)
                _check_prolog(first, sheet is not None, name, p, lang)
                if sheet is None:
                    while fh.read(_CHUNK):
                        pass
                    continue
                extents.append((name, _sheet_extent(zf, info, fh, first, p, lang)))
        except WorkbookFileError:
            raise
        except _BadPart as exc:
            raise _fail("corrupt-workbook", p, lang, reason="xml", part=name, detail=str(exc)) from None
        except (zipfile.BadZipFile, *_INFLATE_ERRORS, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise _fail("corrupt-zip", p, lang, reason="bad-part", part=name, detail=str(exc)) from None
    if sheet_bytes:
        blobs = list(sheet_bytes.values())
        found, run = _scan_parts(blobs, stripped)
        for (name, blob), ext in zip(sheet_bytes.items(), found or [None] * len(blobs)):
            # the joined text's longest run bounds each part's; only past the limit is a part's own sought
            ins.text_bounds[name] = min(len(blob), run) if run <= limits.max_cell_chars else \
                _longest_text(blob, limits.max_cell_chars)
            if ext is None:
                ext = _Extent()
                if not _scan_cells_fast([blob], ext):
                    ext = _Extent()
                    _scan_cells_slow([blob], ext)
            ext.has_errors = b't="e"' in blob
            if ext.has_errors:
                ins.error_parts[name] = blob
            extents.append((name, ext))
    if whole and copy:
        # The reader parses this copy, never the file: only the parts checked here, under the names
        # checked here (zip readers disagree on names, duplicates and stray bytes), and, where the
        # fast scan vouched for every sheet, without the formatted blanks.
        lean = dict(zip(sheet_bytes, stripped)) if stripped else {}
        ins.stored = _stored_zip([(info, lean[info.filename], True) if info.filename in lean else (info, blob, False)
                                  for info, blob in parts])
    total_cells = 0
    for name, ext in extents:
        sheet = ins.sheet_parts[name]
        ins.extents[sheet] = ext
        if ext.empty:
            continue
        if ext.max_row >= 1_048_576 or ext.max_col >= 16_384:
            ref = f"{_col_letters(ext.max_col)}{ext.max_row + 1}"
            raise _fail("corrupt-workbook", p, lang, reason="cell-ref", sheet=sheet, ref=ref)
        total_cells += ext.cells
        too_many_rows = ext.max_row + 1 > limits.max_rows_per_sheet
        if too_many_rows or total_cells > limits.max_cells:
            if too_many_rows:
                limit = t("file.limit.rows", lang, n=f"{limits.max_rows_per_sheet:,}")
            elif ext.cells > limits.max_cells:
                limit = t("file.limit.cells", lang, n=f"{limits.max_cells:,}")
            else:
                limit = t("file.limit.total", lang, n=f"{limits.max_cells:,}", total=f"{total_cells:,}")
            raise _fail("sheet-too-large", p, lang, sheet=sheet,
                        first=f"{_col_letters(ext.min_col)}{ext.min_row + 1}",
                        last=f"{_col_letters(ext.max_col)}{ext.max_row + 1}",
                        cells=f"{ext.cells:,}", limit=limit)
    return ins


def _longest_text(blob: bytes, limit: int) -> int:
    """An upper bound, in bytes, on any text a part holds: its longest run without a '<' (markup
    cannot sit inside a value; entities and UTF-8 only make bytes outnumber characters), or its
    size if it holds any '<!' (a CDATA section may hold '<'). Parts no longer than `limit` are not
    scanned: their size is bound enough."""
    if len(blob) <= limit:
        return len(blob)
    import numpy as np

    a = np.frombuffer(blob + b"\0", dtype=np.uint8)
    lt = np.flatnonzero(a == 60)
    if not lt.size or (a[lt + 1] == 33).any():   # '<!': CDATA may hold '<' itself (and comments hide markup)
        return len(blob)
    return int(max(lt[0], len(blob) - lt[-1], np.diff(lt).max() if lt.size > 1 else 0))


def _check_prolog(first: bytes, is_sheet: bool, name: str, p: Path, lang: str) -> None:
    """xml-entities unless an XML part's prolog is free of DOCTYPE/ENTITY (`first`: its first chunk)."""
    if first and (is_sheet or name.lower().endswith(_XML_SUFFIXES) or _looks_xml(first)):
        if not _prolog_is_safe(first[:4096], complete=len(first) < 4096):
            raise _fail("xml-entities", p, lang, part=name)


def _check_encoding(first: bytes, name: str, p: Path, lang: str) -> None:
    """The cell scan reads bytes as ASCII markup: refuse UTF-16/32 worksheets (no writer makes them)."""
    if first.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in first[:4]:
        raise _fail("corrupt-workbook", p, lang, reason="encoding", part=name)


def _check_local_extra(extra: bytes, info: zipfile.ZipInfo) -> None:
    """The local header may name the part too (see `_other_name`): it must not name another."""
    other = _other_name(extra)
    if other is not None and other != info.orig_filename:
        raise zipfile.BadZipFile(f"the local header also names {info.orig_filename!r} {other[:100]!r}")


def _local_extra(fp: Any, info: zipfile.ZipInfo) -> bytes:
    """The extra field of an entry's local header, read from the zip's file."""
    fp.seek(info.header_offset)
    head = fp.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return b""   # zipfile's own open reports the damage
    name_len, extra_len = struct.unpack_from("<HH", head, 26)
    fp.seek(info.header_offset + 30 + name_len)
    return fp.read(extra_len)


def _entry(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """One zip entry, decompressed from the file's bytes with the checks zipfile makes when it
    opens and reads an entry: local header, name, flags, true size and CRC-32. Decompression
    stops at the declared size, so a lying entry cannot grow past what the directory promised."""
    off = info.header_offset
    head = data[off:off + 30]
    if len(head) < 30:
        raise zipfile.BadZipFile("Truncated file header")
    if head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("Bad magic number for file header")
    flags, name_len, extra_len = struct.unpack_from("<H", head, 6)[0], *struct.unpack_from("<HH", head, 26)
    if flags & 0x20:
        raise NotImplementedError("compressed patched data (flag bit 5)")
    if flags & 0x40:
        raise NotImplementedError("strong encryption (flag bit 6)")
    fname = data[off + 30:off + 30 + name_len].decode("utf-8" if info.flag_bits & 0x800 else "cp437")
    if fname != info.orig_filename:
        raise zipfile.BadZipFile(f"File name in directory {info.orig_filename!r} and header {fname!r} differ.")
    _check_local_extra(data[off + 30 + name_len:off + 30 + name_len + extra_len], info)
    start = off + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if len(raw) < info.compress_size:
        raise EOFError("truncated entry")
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    else:
        out = _inflater.decompressobj(-15).decompress(raw, max(info.file_size, 1))   # 0 would mean no limit
    if len(out) != info.file_size:
        raise EOFError(f"{info.filename}: {len(out):,} bytes where the directory says {info.file_size:,}")
    if _crc32(out) != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return out


def _sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, fh, first: bytes, p: Path, lang: str) -> _Extent:
    """The extent of a worksheet's value cells; `fh` is the open part, `first` its first chunk."""
    _check_encoding(first, info.filename, p, lang)
    ext = _Extent()
    if _scan_cells_fast(_noting_errors(_tag_chunks(fh, first), ext), ext):
        return ext
    ext = _Extent()
    with zf.open(info) as again:
        _scan_cells_slow(_noting_errors(_tag_chunks(again, again.read(_CHUNK)), ext), ext)
    return ext


def _noting_errors(chunks: Iterable[bytes], ext: "_Extent") -> Iterator[bytes]:
    """Pass chunks through, noting whether the part has error cells (t="e"); chunks never split a tag."""
    for chunk in chunks:
        if not ext.has_errors and b't="e"' in chunk:
            ext.has_errors = True
        yield chunk


# --------------------------------------------------------------------------------------- public API

def check_file(path: str | os.PathLike, limits: Limits = Limits(), lang: str = "en") -> None:
    """Raise WorkbookFileError (with a stable `code`) unless `path` is a real, safe .xlsx/.xlsm.

    Reads the file (read-only) but runs no spreadsheet parser on it."""
    _inspect(path, limits, _norm_lang(lang))


def _state(visible: Any) -> str:
    """calamine's SheetVisibleEnum (a pyo3 enum without .name) -> 'visible' / 'hidden' / 'veryhidden'."""
    text = str(visible).rsplit(".", 1)[-1].lower()
    return text if text in ("visible", "hidden", "veryhidden") else "visible"


def read_values(path: str | os.PathLike, limits: Limits = Limits(), lang: str = "en",
                select: Callable[[list[str], Callable[[str], list[list[Any]]]], Collection[str] | None] | None = None,
                ) -> RawBook:
    """check_file, then the worksheets' raw values via python-calamine.

    Rows are lists of equal length anchored at A1 (index [r][c] is row r+1, column c+1); empty cells
    are "" as calamine gives them; trailing empty rows and columns are dropped. Chart sheets are
    skipped. `select(names, read)`, given the worksheet names and a reader of one sheet's rows,
    may name the sheets wanted (None: all). Any reader failure becomes
    WorkbookFileError(code='corrupt-workbook')."""
    lang = _norm_lang(lang)
    p = Path(path)
    ins = _inspect(p, limits, lang, keep=True)
    try:
        from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise _fail("corrupt-workbook", p, lang, reason="reader", detail=str(exc)) from None
    # a sheet's cells need their lengths checked only if its own part or the shared strings could
    # hold a text over the limit
    part_of = {sheet: part for part, sheet in ins.sheet_parts.items()}
    strings = next((bound for part, bound in ins.text_bounds.items() if part.lower() == "xl/sharedstrings.xml"),
                   0 if ins.text_bounds else ins.longest_text_part)

    def check_len(name: str) -> bool:
        own = ins.text_bounds.get(part_of.get(name, ""), ins.longest_text_part)
        return max(own, strings) > limits.max_cell_chars

    read_so_far: dict[str, list[list[Any]]] = {}
    states: dict[str, str] = {}
    try:
        source = ins.stored or ins.data
        wb = CalamineWorkbook.from_filelike(io.BytesIO(source)) if source else CalamineWorkbook.from_path(str(p))
        with wb:
            worksheets = [meta for meta in wb.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
            names = [meta.name for meta in worksheets]

            def read(name: str) -> list[list[Any]]:
                if name not in read_so_far:
                    read_so_far[name] = _rows(wb.get_sheet_by_name(name), name, limits, check_len(name), p, lang)
                return read_so_far[name]

            chosen = select(names, read) if select is not None else None
            for meta in worksheets:
                if chosen is None or meta.name in chosen:
                    read(meta.name)
                    states[meta.name] = _state(meta.visible)
    except WorkbookFileError:
        raise
    except PasswordError:
        raise _fail("encrypted", p, lang) from None
    except BaseException as exc:  # noqa: BLE001 - calamine errors, MemoryError, pyo3's PanicException (a
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):  # BaseException): never a traceback
            raise
        detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        raise _fail("corrupt-workbook", p, lang, reason="reader", detail=detail[:300]) from None
    sheets = {name: read_so_far[name] for name in names if name in states}   # workbook order
    _restore_error_values(p, ins, sheets)
    return RawBook(sheets=sheets, sheet_states=states, date1904=ins.date1904, has_macros=ins.has_macros)


# an error cell with its content: not a self-closed one, and not reaching into the next cell
_ERROR_CELL = re.compile(rb'<c\b([^>]*?)\bt="e"([^>]*?)(?<!/)>((?:(?!<c[\s/>]).)*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _restore_error_values(p: Path, ins: "_Inspection", sheets: dict[str, list[list[Any]]]) -> None:
    """Put Excel error values (#DIV/0!, #REF!...) back where calamine reads them as ''.

    python-calamine 0.9 returns error cells as empty strings, which would hide a broken formula;
    a byte search skips the sheets without any (the usual case) at almost no cost.
    """
    zf = None
    try:
        for part, sheet in ins.sheet_parts.items():
            rows = sheets.get(sheet)
            ext = ins.extents.get(sheet)
            if rows is None or (ext is not None and not ext.has_errors):
                continue  # the scan before parsing saw no error cell in this part
            data = ins.error_parts.get(part)
            if data is None:
                zf = zf or zipfile.ZipFile(p)
                data = zf.read(part)
            if b't="e"' not in data:
                continue
            for m in _ERROR_CELL.finditer(data):
                ref = _REF.search(m.group(1) + b" " + m.group(2))
                value = _VALUE.search(m.group(3))
                if not ref or not value:
                    continue
                r, c = int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1
                if (r >= len(rows) or c >= len(rows[0])) and ext is not None and r <= ext.max_row and c <= ext.max_col:
                    _grow(rows, r + 1, c + 1)   # read as '', it was trimmed away as an empty edge
                if r < len(rows) and c < len(rows[r]) and rows[r][c] == "":
                    rows[r][c] = value.group(1).decode("utf-8", "replace")
    finally:
        if zf is not None:
            zf.close()


def _grow(rows: list[list[Any]], height: int, width: int) -> None:
    """Pad a grid with '' to at least `height` rows of at least `width` cells (rows stay equal)."""
    width = max(width, len(rows[0]) if rows else 0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    rows.extend([[""] * width for _ in range(height - len(rows))])


_DENSE = 100_000   # cells: a grid up to this size is converted whole (C speed), then trimmed


def _rows(sheet: Any, name: str, limits: Limits, check_len: bool, p: Path, lang: str) -> list[list[Any]]:
    """The sheet's rows from A1, trailing empty rows/columns dropped without materialising them."""
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return []
    if not check_len and (end[0] + 1) * (end[1] + 1) <= _DENSE:
        return _trimmed(sheet.to_python(skip_empty_area=False))
    start_row, start_col = start
    max_chars = limits.max_cell_chars
    rows: list[list[Any] | None] = []   # None = an empty row inside the data, filled in at the end
    pending = 0                          # empty rows seen since the last non-empty one
    width = 0                            # columns used, counted from the range's first column
    n = 0
    blank: list[Any] = []
    it = iter(sheet.iter_rows())
    for row in it:
        n += 1
        if row == blank:                 # C-level compare: trailing runs of empty rows stay cheap
            pending += 1
            continue
        j = len(row)
        while j and row[j - 1] == "":
            j -= 1
        if not j:
            blank = [""] * len(row)
            pending += 1
            continue
        if check_len:
            for k in range(j):
                v = row[k]
                if v.__class__ is str and len(v) > max_chars:
                    first_bad = n - 1
                    n += sum(1 for _ in it)  # the row offset below needs the total row count
                    raise _fail("cell-too-long", p, lang, sheet=name,
                                cell=f"{_col_letters(start_col + k)}{first_bad + (end[0] + 1 - n) + 1}",
                                length=f"{len(v):,}", limit=f"{max_chars:,}")
        if pending:
            rows.extend([None] * pending)
            pending = 0
        rows.append(row)
        if j > width:
            width = j
    if not rows:
        return []
    # python-calamine 0.9 yields rows from row 1 but columns from the range's first column; cope
    # with either convention by deriving the row offset from how many rows came out.
    row_offset = (end[0] + 1) - n
    total_width = start_col + width
    pad = [""] * start_col
    out: list[list[Any]] = [[""] * total_width for _ in range(row_offset)]
    for row in rows:
        if row is None:
            out.append([""] * total_width)
        elif start_col:
            out.append(pad + row[:width])
        elif len(row) > width:
            out.append(row[:width])
        else:
            out.append(row)
    return out


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """A small grid from A1 without its trailing empty rows and columns."""
    if not rows:
        return []
    blank = [""] * len(rows[0])
    while rows and rows[-1] == blank:
        rows.pop()
    if not rows:
        return []
    width = len(rows[0])
    while width and all(r[width - 1] == "" for r in rows):
        width -= 1
    return [r[:width] for r in rows] if width < len(rows[0]) else rows
