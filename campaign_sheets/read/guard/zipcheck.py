"""Zip policy: the directory's entry count, sizes, ratios, names, flags and methods, then each part
inflated once, capped at its declared size, with the checks zipfile makes (local header, name,
flags, size, CRC-32). The checked parts are then written as an uncompressed zip under the checked
names: the only bytes a reader ever parses."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from campaign_sheets.errors import WorkbookFileError

from .limits import Limits

MAX_DIRECTORY_ENTRY = 1024   # bytes a central directory entry may take on average
# The stored copy has no zip64 records: at most 65,535 parts and 4 GiB, whatever the limits say.
_STORED_MAX_ENTRIES, _STORED_MAX_BYTES = 0xFFFF, 0xFFFFFFFF
_PART_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)


def eocd(f: BinaryIO, size: int) -> tuple[int, int] | None:
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


def open_zip(f: BinaryIO, size: int, path: Path, limits: Limits, lang: str) -> zipfile.ZipFile:
    """The zip's directory, once it keeps the policy (see `_check_directory`)."""
    directory = eocd(f, size)
    if directory is None:
        raise WorkbookFileError.of("corrupt-zip", path, lang, reason="truncated")
    count, cd_size = directory
    if count > limits.max_entries or cd_size > limits.max_entries * MAX_DIRECTORY_ENTRY:
        raise WorkbookFileError.of("too-many-entries", path, lang, count=f"{max(count, cd_size // 46):,}",
                                   limit=f"{limits.max_entries:,}")
    f.seek(0)
    try:
        zf = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error,
            NotImplementedError) as exc:   # (a version zipfile does not know)
        raise WorkbookFileError.of("corrupt-zip", path, lang, reason="bad-zip", detail=str(exc)) from None
    try:
        _check_directory(zf.infolist(), size, path, limits, lang)
    except WorkbookFileError:
        zf.close()
        raise
    return zf


def _check_directory(infos: list[zipfile.ZipInfo], size: int, path: Path, limits: Limits, lang: str) -> None:
    """Refuse too many entries, a name twice (ignoring case: readers differ on which copy they use,
    and calamine ignores case), a part with a second name, encryption, methods other than stored
    and deflated, a part said to lie beyond the file's end, a total unpacked size over the limit,
    and a part over 1 MiB packed too tightly."""
    fail = WorkbookFileError.of
    most = min(limits.max_entries, _STORED_MAX_ENTRIES)
    if len(infos) > most:
        raise fail("too-many-entries", path, lang, count=f"{len(infos):,}", limit=f"{most:,}")
    seen: set[str] = set()
    total = stored = 0
    for info in infos:
        if info.filename.lower() in seen:
            raise fail("corrupt-zip", path, lang, reason="duplicate", part=info.filename)
        seen.add(info.filename.lower())
        other = other_name(info.extra)
        if other is not None and other != info.orig_filename:
            raise fail("corrupt-zip", path, lang, reason="two-names", part=info.filename, other=other[:100])
        if info.flag_bits & 0x1:
            raise fail("corrupt-zip", path, lang, reason="zip-encrypted", part=info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail("corrupt-zip", path, lang, reason="method", part=info.filename)
        if info.header_offset + 30 + info.compress_size > size:   # a lying size would have us read (or
            raise fail("corrupt-zip", path, lang, reason="truncated")   # allocate) past the end
        total += info.file_size
        stored += info.file_size + 76 + 2 * len(info.orig_filename.encode("utf-8"))
        if total > limits.max_uncompressed_bytes or stored > _STORED_MAX_BYTES:
            limit = limits.max_uncompressed_bytes if total > limits.max_uncompressed_bytes else _STORED_MAX_BYTES
            raise fail("zip-bomb", path, lang, reason="total", size_mb=f"{total / 2**20:.1f}",
                       limit_mb=f"{limit / 2**20:g}")
        if info.file_size > 2**20:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > limits.max_ratio:
                raise fail("zip-bomb", path, lang, reason="ratio", part=info.filename,
                           ratio=f"{ratio:.0f}", limit=f"{limits.max_ratio:g}")


def other_name(extra: bytes) -> str | None:
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


def read_parts(f: BinaryIO, infos: list[zipfile.ZipInfo], path: Path, lang: str) -> dict[str, bytes]:
    """Every part's checked bytes by name, in directory order (see `read_part`); corrupt-zip for
    the first that fails."""
    parts: dict[str, bytes] = {}
    for info in infos:
        try:
            parts[info.filename] = read_part(f, info)
        except _PART_ERRORS as exc:
            raise WorkbookFileError.of("corrupt-zip", path, lang, reason="bad-part", part=info.filename,
                                       detail=str(exc)) from None
    return parts


def read_part(f: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """One part, read from the open zip file and inflated once with the checks zipfile makes when it
    opens and reads an entry: local header, name, flags, true size and CRC-32. Inflation stops at
    the declared size, so a lying entry cannot grow past what the directory promised."""
    f.seek(info.header_offset)
    head = f.read(30)
    if len(head) < 30:
        raise zipfile.BadZipFile("Truncated file header")
    if head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("Bad magic number for file header")
    flags = struct.unpack_from("<H", head, 6)[0]
    name_len, extra_len = struct.unpack_from("<HH", head, 26)
    if flags & 0x20:
        raise NotImplementedError("compressed patched data (flag bit 5)")
    if flags & 0x40:
        raise NotImplementedError("strong encryption (flag bit 6)")
    rest = f.read(name_len + extra_len + info.compress_size)
    fname = rest[:name_len].decode("utf-8" if info.flag_bits & 0x800 else "cp437")
    if fname != info.orig_filename:
        raise zipfile.BadZipFile(f"File name in directory {info.orig_filename!r} and header {fname!r} differ.")
    other = other_name(rest[name_len:name_len + extra_len])   # the local header may name the part too
    if other is not None and other != info.orig_filename:
        raise zipfile.BadZipFile(f"the local header also names {info.orig_filename!r} {other[:100]!r}")
    raw = rest[name_len + extra_len:]
    if len(raw) < info.compress_size:
        raise EOFError("truncated entry")
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    else:
        out = zlib.decompressobj(-15).decompress(raw, max(info.file_size, 1))   # 0 would mean no cap
    if len(out) != info.file_size:
        raise EOFError(f"{info.filename}: {len(out):,} bytes where the directory says {info.file_size:,}")
    if zlib.crc32(out) != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return out


def write_stored(infos: list[zipfile.ZipInfo], parts: dict[str, bytes], out: BinaryIO) -> dict[str, tuple[int, int]]:
    """Write the parts as one zip without compression to `out`, under their checked names and CRCs
    (a reader then copies them instead of inflating them again); each part is taken out of `parts`
    as it is written, so a big workbook is not held twice. Returns where each part's bytes sit."""
    central: list[bytes] = []
    spans: dict[str, tuple[int, int]] = {}
    offset = 0
    for info in infos:
        name, blob = info.orig_filename.encode("utf-8"), parts.pop(info.filename)
        fixed = (20, 0x800, zipfile.ZIP_STORED, 0, 0x21, info.CRC, len(blob), len(blob), len(name), 0)
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fixed) + name)
        out.write(blob)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fixed, 0, 0, 0, 0, offset) + name)
        start = offset + 30 + len(name)
        spans[info.filename] = (start, start + len(blob))
        offset = start + len(blob)
        del blob
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory), offset, 0))
    return spans
