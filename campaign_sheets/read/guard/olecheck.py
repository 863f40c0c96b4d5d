"""What an OLE2 (Compound File Binary) file holds, from its directory: the stream names tell an
Excel BIFF workbook (`Workbook`, `Book`) from a Word document (`WordDocument`), a PowerPoint file
(`PowerPoint Document`), an encrypted OOXML package (`EncryptedPackage`) or something else.

No OLE2 library is used: the header, the FAT sectors it lists and the directory chain are read
with bounds checks, every sector number checked against the file's size and every chain cut off
at the number of sectors the file has (a loop or a sector past the end is `OleError`). A stream
whose declared size is more than the file holds is refused here, before any reader allocates it.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_MAX_DIR_ENTRIES = 100_000


class OleError(ValueError):
    """The file starts like OLE2 but its structure does not hold (`reason`: truncated, size, damaged)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class Stream:
    name: str
    kind: int      # 1 storage, 2 stream, 5 root
    size: int


def streams(f: BinaryIO, size: int) -> list[Stream]:
    """The directory entries of the OLE2 file `f` (`size` bytes long), or OleError."""
    f.seek(0)
    head = f.read(512)
    if len(head) < 512 or not head.startswith(OLE_MAGIC):
        raise OleError("truncated", "the OLE2 header is cut short")
    major, = struct.unpack_from("<H", head, 0x1A)
    shift, = struct.unpack_from("<H", head, 0x1E)
    if shift not in (9, 12):
        raise OleError("damaged", f"sector size 2^{shift}")
    sector = 1 << shift
    n_fat, first_dir, _, _, _, _, first_difat, n_difat = struct.unpack_from("<IIIIIIII", head, 0x2C)
    n_sectors = max(0, (size - sector) // sector)
    if n_sectors == 0:
        raise OleError("truncated", "no sectors after the header")
    if n_fat > n_sectors or n_difat > n_sectors:
        raise OleError("size", f"{n_fat:,} FAT sectors declared, the file has {n_sectors:,} sectors")

    def read_sector(i: int) -> bytes:
        if i >= n_sectors:
            raise OleError("truncated", f"sector {i:,} is past the end of the file ({n_sectors:,} sectors)")
        f.seek((i + 1) * sector)
        data = f.read(sector)
        if len(data) < sector:
            raise OleError("truncated", f"sector {i:,} is cut short")
        return data

    fat_sectors = [s for s in struct.unpack_from("<109I", head, 0x4C) if s not in (_FREE, _END)]
    difat, seen = first_difat, 0
    while difat not in (_END, _FREE) and len(fat_sectors) < n_fat:
        seen += 1
        if seen > n_sectors:
            raise OleError("damaged", "the DIFAT chain loops")
        block = read_sector(difat)
        values = struct.unpack(f"<{sector // 4}I", block)
        fat_sectors += [s for s in values[:-1] if s not in (_FREE, _END)]
        difat = values[-1]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{sector // 4}I", read_sector(s)))
    out: list[Stream] = []
    s, seen = first_dir, 0
    while s not in (_END, _FREE):
        seen += 1
        if seen > n_sectors or s >= len(fat) or len(out) > _MAX_DIR_ENTRIES:
            raise OleError("damaged", "the directory chain is broken")
        block = read_sector(s)
        for k in range(0, sector, 128):
            entry = block[k:k + 128]
            kind = entry[0x42]
            if kind not in (1, 2, 5):
                continue
            name_len = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
            name = entry[:max(0, name_len - 2)].decode("utf-16-le", "replace")
            low, high = struct.unpack_from("<II", entry, 0x78)
            length = low if major == 3 else low | high << 32
            out.append(Stream(name, kind, length))
        s = fat[s]
    if not out:
        raise OleError("damaged", "the directory is empty")
    for st in out:
        if st.kind == 2 and st.size > size:
            raise OleError("size", f"stream {st.name!r} declares {st.size:,} bytes in a file of {size:,}")
    return out


def ole_kind(names: set[str]) -> str:
    """'encrypted', 'xls', 'doc', 'ppt' or 'ole' (another OLE2 file) from the stream names."""
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        return "encrypted"
    if "Workbook" in names or "Book" in names or "WORKBOOK" in names or "BOOK" in names:
        return "xls"
    if "WordDocument" in names:
        return "doc"
    if "PowerPoint Document" in names:
        return "ppt"
    return "ole"
