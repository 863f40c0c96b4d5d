"""A minimal OLE2 (Compound File Binary, version 3) writer for tests: named streams in 512-byte
sectors, one FAT sector, one directory sector. Enough to tell a Word .doc (a `WordDocument`
stream) from an Excel .xls (`Workbook`) by the directory, as Office files do; not a real document.
olefile cannot write, and the formats' own writers are not Python libraries."""
from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def _entry(name: str, kind: int, start: int, size: int, right: int = FREE, child: int = FREE) -> bytes:
    """One 128-byte directory entry: name, type, colour, siblings and child, start sector, size."""
    raw = name.encode("utf-16-le") + b"\0\0"
    e = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", FREE, right, child)
    return e.ljust(0x74, b"\0") + struct.pack("<IQ", start, size)


def cfb(streams: dict[str, bytes], declared: dict[str, int] | None = None) -> bytes:
    """An OLE2 file holding `streams` (at most 3; each padded to 4,096 bytes so it lives in the
    FAT, not the mini stream). `declared` overrides a stream's size in its directory entry."""
    assert len(streams) <= 3
    data = [(name, blob.ljust(4096, b"\0")) for name, blob in streams.items()]
    fat = [FATSECT, END]
    starts = []
    for _, blob in data:
        n = -(-len(blob) // 512)
        first = len(fat)
        starts.append(first)
        fat += list(range(first + 1, first + n)) + [END]
    fat += [FREE] * (128 - len(fat))
    head = MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    head += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    head += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    assert len(head) == 512
    entries = _entry("Root Entry", 5, END, 0, child=1 if data else FREE)
    for i, ((name, blob), start) in enumerate(zip(data, starts)):
        size = (declared or {}).get(name, len(streams[name]) if len(streams[name]) >= 4096 else len(blob))
        entries += _entry(name, 2, start, size, right=i + 2 if i + 1 < len(data) else FREE)
    entries = entries.ljust(512, b"\0")
    body = struct.pack("<128I", *fat) + entries + b"".join(blob.ljust(-(-len(blob) // 512) * 512, b"\0")
                                                           for _, blob in data)
    return head + body
