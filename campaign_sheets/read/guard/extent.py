"""The extent (bounding box) of each worksheet's value cells, and the limits on it.

Why: python-calamine stores a sheet as one dense grid from its first to its last value cell. A
single "" or " " at XFD1048576 next to data in A1 makes it ask for 512 GiB and abort the whole
process (a Rust abort, not an exception). So every cell that carries a value (`<c ...>...</c>`,
not a self-closed formatted blank `<c r="B9" s="1"/>`) is located, exactly as calamine places it,
and sheets whose grid would be too big are refused before calamine sees them.

`scan_reference` is the plain definition; `scan_fast` is a vectorised scan of the usual
`<c r="A1" ...>` tags that gives the same answer or gives up (None), and then the reference runs.
Both take time linear in the bytes, whatever they hold.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.i18n import t
from campaign_sheets.report import col_letters

from .limits import Limits

_GRID_ROWS, _GRID_COLS = 1_048_576, 16_384
_FAR = 1 << 40   # a row or column number too long to be anywhere in the grid


@dataclass(frozen=True)
class Extent:
    """The box of a sheet's value cells, 0-based and inclusive; `EMPTY` when it has none."""

    min_row: int
    max_row: int
    min_col: int
    max_col: int

    @property
    def empty(self) -> bool:
        return self.max_row < 0

    @property
    def cells(self) -> int:
        """The cells a reader holds for the sheet: its rows with values, each from column A (rows
        are anchored at A1; the empty rows above cost next to nothing)."""
        return 0 if self.empty else (self.max_row - self.min_row + 1) * (self.max_col + 1)

    def corner(self, last: bool) -> str:
        """The first (top left) or last (bottom right) cell, as 'A1'."""
        return f"{col_letters(self.max_col)}{self.max_row + 1}" if last else \
            f"{col_letters(self.min_col)}{self.min_row + 1}"


EMPTY = Extent(1 << 62, -1, 1 << 62, -1)


def sheet_extents(parts: dict[str, bytes], path: Path, lang: str) -> dict[str, Extent]:
    """The extent of each worksheet part (name -> bytes): all scanned together when the fast scan
    answers for all, else each alone, fast or by the reference."""
    for name, data in parts.items():
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
            # the scans read markup as ASCII; no writer makes UTF-16/32 worksheets
            raise WorkbookFileError.of("corrupt-workbook", path, lang, reason="encoding", part=name)
    found = scan_fast(list(parts.values())) if parts else []
    if found is not None:
        return dict(zip(parts, found))
    extents = {}
    for name, data in parts.items():   # one or more parts need the reference: each scanned alone
        alone = scan_fast([data])
        try:
            extents[name] = alone[0] if alone is not None else scan_reference(data)
        except UnclosedTag as exc:
            raise WorkbookFileError.of("corrupt-workbook", path, lang, reason="xml", part=name, detail=str(exc)) from None
    return extents


def check_extents(extents: dict[str, Extent], sheet_names: dict[str, str], limits: Limits,
                  path: Path, lang: str) -> None:
    """corrupt-workbook for a cell outside Excel's grid; sheet-too-large for a sheet over the row
    limit or for boxes over the cell limit (counted over all sheets, in part order)."""
    fail = WorkbookFileError.of
    total = 0
    for part, ext in extents.items():
        if ext.empty:
            continue
        sheet = sheet_names[part]
        if ext.max_row >= _GRID_ROWS or ext.max_col >= _GRID_COLS:
            raise fail("corrupt-workbook", path, lang, reason="cell-ref", sheet=sheet, ref=ext.corner(last=True))
        total += ext.cells
        too_many_rows = ext.max_row + 1 > limits.max_rows_per_sheet
        if too_many_rows or total > limits.max_cells:
            if too_many_rows:
                limit = t("file.limit.rows", lang, n=f"{limits.max_rows_per_sheet:,}")
            elif ext.cells > limits.max_cells:
                limit = t("file.limit.cells", lang, n=f"{limits.max_cells:,}")
            else:
                limit = t("file.limit.total", lang, n=f"{limits.max_cells:,}", total=f"{total:,}")
            raise fail("sheet-too-large", path, lang, sheet=sheet, first=f"A{ext.min_row + 1}",
                       last=ext.corner(last=True), cells=f"{ext.cells:,}", limit=limit)


# ------------------------------------------------------------------------------- the reference scan

# As quick-xml (inside python-calamine) reads a tag: its name runs to the first XML whitespace
# (space, tab, CR, LF) or '>', less a '/' that closes an empty element; its local name is what
# follows the first ':'. So a prefix may hold anything but those (a '/' too: `<a/b:c r="C5">` is a
# cell at C5). A prefix holding '<' is found from its last '<': the same tag, and a linear search.
_NAME_END = rb"(?=[ \t\r\n>]|/>)"
_TAG_START = re.compile(rb"<(/?)(?:[^ \t\r\n>:<]*:)?(row|c)" + _NAME_END)
_TAG_REST = re.compile(rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")   # the attributes, to the first '>' outside quotes
_MAX_TAG = 64 * 1024
_WS = rb"[ \t\r\n]"
# an attribute starts after whitespace or right after the previous value's closing quote
# (quick-xml reads `s="1"r="C5"` as two attributes)
_ATTR_R = rb"(?:^|[ \t\r\n\"'])r" + _WS + rb"*=" + _WS + rb"*"
_ROW_R_RE = re.compile(_ATTR_R + rb"[\"'][A-Za-z]*([0-9]+)[\"']")   # calamine ignores the letters
_CELL_R_RE = re.compile(_ATTR_R + rb"[\"']([A-Za-z]+)([0-9]+)[\"']")


class UnclosedTag(ValueError):
    """A cell or row tag that does not end within 64 KiB (calamine's parser fails on it; no writer
    makes one): the part is refused rather than scanned on from inside it."""


def scan_reference(data: bytes) -> Extent:
    """Every value cell's position as calamine's xlsx cell reader assigns it: `<row r=N>` sets the
    row; `</row>` (or a self-closed row) moves to the next row and column A; a cell without r
    takes the current position; every cell, blank or not, moves one column right. A tag ends at
    its first '>' outside quotes; a cell with several r attributes counts at each (readers
    disagree on which wins). Raises UnclosedTag."""
    row = col = 0
    lo_r, hi_r, lo_c, hi_c = 1 << 62, -1, 1 << 62, -1
    i = 0
    while (m := _TAG_START.search(data, i)) is not None:
        rest = _TAG_REST.match(data, m.end(), m.end() + _MAX_TAG)
        if rest is None:
            raise UnclosedTag(f"a <{m.group(2).decode()}> tag at byte {m.start():,} is not closed "
                              f"within {_MAX_TAG >> 10} KiB")
        i = rest.end()
        closing, name, attrs = m.group(1), m.group(2), data[m.end():i - 1]
        self_closed = attrs.rstrip().endswith(b"/")
        if name == b"row":
            if not closing and (r := _ROW_R_RE.search(attrs)):
                row = _number(r.group(1)) - 1
            if closing or self_closed:
                row, col = row + 1, 0
            continue
        if closing:
            continue
        refs = _CELL_R_RE.findall(attrs)
        positions = [(_number(digits) - 1, column_number(letters) - 1) for letters, digits in refs] or [(row, col)]
        col = positions[-1][1] + 1
        if not self_closed:
            for cell_row, cell_col in positions:
                lo_r, hi_r = min(lo_r, cell_row), max(hi_r, cell_row)
                lo_c, hi_c = min(lo_c, cell_col), max(hi_c, cell_col)
    return EMPTY if hi_r < 0 else Extent(lo_r, hi_r, lo_c, hi_c)


def _number(digits: bytes) -> int:
    digits = digits.lstrip(b"0")
    return int(digits or b"0") if len(digits) <= 12 else _FAR


def column_number(letters: bytes) -> int:
    """'A' -> 1, 'XFD' -> 16,384 (case-blind); a name too long for the grid -> far beyond it."""
    if len(letters) > 4:
        return _FAR
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


# ------------------------------------------------------------------------------- the fast scan

_WIDTHS = (32, 64)   # bytes of each cell tag looked at (the second only if some tag needs it)
_BATCH = 4 << 20
_PREFIXED_C_RE = re.compile(rb"<[^ \t\r\n>:<]*:c" + _NAME_END)   # any prefixed cell tag: the fast scan declines


def scan_fast(parts: list[bytes]) -> list[Extent] | None:
    """The extent of each part, or None when any part needs the reference scan. Parts are scanned
    together in batches of up to 4 MiB (numpy's per-call overhead, not the bytes, is what a small
    sheet costs; a bounded batch bounds the memory a big one takes), a big part in pieces cut
    before a '<' (a tag cut all the same runs into the piece's end, and the scan declines it)."""
    extents = [EMPTY] * len(parts)
    batch: list[tuple[int, memoryview]] = []
    size = 0
    for index, piece in _pieces(parts):
        if batch and size + len(piece) > _BATCH:
            if not _scan_batch(batch, extents):
                return None
            batch, size = [], 0
        batch.append((index, piece))
        size += len(piece)
    return extents if not batch or _scan_batch(batch, extents) else None


def _pieces(parts: list[bytes]) -> Iterator[tuple[int, memoryview]]:
    """(part index, piece) for every part, cut into pieces of at most `_BATCH` bytes."""
    for index, data in enumerate(parts):
        view, start = memoryview(data), 0
        while len(data) - start > _BATCH:
            cut = data.rfind(b"<", start + 1, start + _BATCH)
            cut = cut if cut > start else start + _BATCH
            yield index, view[start:cut]
            start = cut
        yield index, view[start:]


def _scan_batch(batch: list[tuple[int, memoryview]], extents: list[Extent]) -> bool:
    """Widen `extents[index]` by the value cells of each piece of `batch`, scanned in one pass; False
    (nothing changed) when the pass declines."""
    import numpy as np

    found = _cell_positions(b"".join([*(piece for _, piece in batch), bytes(_WIDTHS[-1])]))
    if found is None:
        return False
    tags, ends, rows, cols = found
    bounds = np.cumsum([0] + [len(piece) for _, piece in batch])
    seg = np.searchsorted(bounds, tags, side="right") - 1
    if (ends >= bounds[seg + 1]).any():
        return False   # a tag running into the next piece
    counts = np.bincount(seg, minlength=len(batch))
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))[counts > 0]
    if firsts.size:
        lo_r, hi_r = np.minimum.reduceat(rows, firsts).tolist(), np.maximum.reduceat(rows, firsts).tolist()
        lo_c, hi_c = np.minimum.reduceat(cols, firsts).tolist(), np.maximum.reduceat(cols, firsts).tolist()
        for j, k in enumerate(np.flatnonzero(counts).tolist()):
            index, old = batch[k][0], extents[batch[k][0]]
            extents[index] = Extent(min(old.min_row, lo_r[j]), max(old.max_row, hi_r[j]),
                                    min(old.min_col, lo_c[j]), max(old.max_col, hi_c[j]))
    return True


def _cell_positions(buf: bytes) -> tuple[Any, Any, Any, Any] | None:
    """(tag offsets, offsets of their '>', 0-based rows, 0-based columns) of every value cell in
    `buf` (which ends in 64 zero bytes), vectorised: a regex match per cell costs about 1 µs in
    Python, this well under 0.1 µs.

    Each '<c ' tag is checked within its first 32 (or, if some tag is longer, 64) bytes, one bit
    per byte in an unsigned int. None, leaving the part to `scan_reference`, when it holds anything
    this path does not model exactly: a prefixed cell tag, a cell tag not written '<c r="A1"...'
    or not closed by a '>' within 64 bytes, a malformed reference, a second r attribute, or
    quotes that could hide a '>'. (About 80 lines: splitting the checks apart would mean passing
    the same arrays between pieces that are only ever used together.)"""
    import numpy as np

    a = np.frombuffer(buf, dtype=np.uint8)
    colons = np.flatnonzero(a == 58)                                # (bytes.find(b":c") is 3x slower)
    if colons.size and (a[colons + 1] == 99).any() and _PREFIXED_C_RE.search(buf):
        return None                                                 # '<x:c ...>'
    lt = np.flatnonzero(a == 60)
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
    last = win[np.arange(tags.size), end - 1]
    if (last <= 32).any():
        return None                                                 # '... / >': blank or not, by whitespace
    value = np.flatnonzero(last != 47)                              # not '/>': a formatted blank
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
