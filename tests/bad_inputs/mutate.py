"""Mutations of a valid built workbook, for fuzzing the reader (tests/test_fuzz.py, scripts/fuzz_long.py).

Two families: bytes of the whole file (flip, truncate, insert, zero a run, duplicate a run) and the
XML of its parts, rewritten into a well-formed zip (delete tags or elements, random attribute
values, cell types changed (t="s" -> t="e"...), huge / odd numbers, shared-string indexes out of
range, sheet references moved to the grid's edge...). `check(data)` feeds one mutated file to
`import_workbook` and says whether what came out is allowed: a normal ImportResult (whose tables,
records and rollup summary can be built) or a WorkbookFileError whose code is in codes.FILE_CODES.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import re
import tempfile
import traceback
import zipfile
from pathlib import Path

BYTE_KINDS = ("flip", "truncate", "insert", "zero-run", "duplicate-run")
XML_KINDS = ("delete-tag", "delete-element", "attribute", "cell-type", "big-number", "string-index",
             "cell-ref", "sheet-name", "duplicate-row", "text")
KINDS = BYTE_KINDS + XML_KINDS
TODAY = dt.date(2026, 6, 20)

_base_cache: dict[str, bytes] = {}


def base_workbook(lang: str = "zh-CN") -> bytes:
    """The bytes of the worked example in `lang` (built once per process)."""
    if lang not in _base_cache:
        from campaign_sheets import build_workbook

        with tempfile.TemporaryDirectory() as tmp:
            path = build_workbook("campaign", Path(tmp) / "base.xlsx", lang=lang, example=True)
            _base_cache[lang] = Path(path).read_bytes()
    return _base_cache[lang]


# ------------------------------------------------------------------------------------------ bytes

def _bytes(data: bytes, kind: str, rng: random.Random) -> bytes:
    b = bytearray(data)
    n = len(b)
    if n == 0:
        return data
    if kind == "flip":
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(n)] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del b[rng.randrange(n):]
    elif kind == "insert":
        at = rng.randrange(n + 1)
        b[at:at] = rng.randbytes(rng.randint(1, 64))
    elif kind == "zero-run":
        at, size = rng.randrange(n), rng.randint(1, 4096)
        b[at:at + size] = bytes(len(b[at:at + size]))
    elif kind == "duplicate-run":
        at, size = rng.randrange(n), rng.randint(1, 4096)
        piece = bytes(b[at:at + size])
        to = rng.randrange(n + 1)
        b[to:to] = piece
    return bytes(b)


# ------------------------------------------------------------------------------------------ XML parts

ODD_VALUES = ["", "-1", "0", "1e308", "-1e308", "1e400", "NaN", "inf", "99999999999999999999999", "4294967296",
              "XFD1048576", "A0", "A1048577", "ZZZZ1", "1.5", "true", "#REF!", "\u200b", "é中文", "&amp;", "&lt;x&gt;",
              " ", "A1:XFD1048576", "rId999", "../../etc/passwd", "/xl/worksheets/sheet1.xml", "x" * 300]
ODD_NUMBERS = ["1e308", "-1e308", "1e400", "-1e400", "99999999999999999999999", "NaN", "inf", "-inf", "-0",
               "4294967296", "abc", "", "0x10", "1,5", "2958466", "-693594", "1e-320", "12345678901234567890.5"]
CELL_TYPES = ["s", "e", "b", "str", "inlineStr", "n", "d", "x", ""]


def _parts(zf: zipfile.ZipFile) -> list[str]:
    return [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]


def _pick_part(names: list[str], rng: random.Random) -> str:
    # mostly what the reader actually parses
    weighted = [n for n in names if n.startswith("xl/worksheets/sheet")] * 3 + \
               [n for n in names if n in ("xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                          "[Content_Types].xml", "xl/styles.xml")] * 2 + names
    return rng.choice(weighted)


def _sub_one(pattern: bytes, data: bytes, rng: random.Random, repl) -> bytes:
    matches = list(re.finditer(pattern, data, re.S))
    if not matches:
        return data
    m = rng.choice(matches)
    new = repl(m) if callable(repl) else repl
    return data[:m.start()] + new + data[m.end():]


def _xml(data: bytes, kind: str, rng: random.Random, part: str) -> bytes:
    if kind == "delete-tag":
        return _sub_one(rb"<[^>]+>", data, rng, b"")
    if kind == "delete-element":
        tag = rng.choice([b"c", b"row", b"si", b"sheet", b"v", b"f", b"is", b"t", b"Relationship", b"sheetData",
                          b"dimension", b"mergeCell", b"Override"])
        return _sub_one(rb"<" + tag + rb"\b[^>]*?(?:/>|>.*?</" + tag + rb">)", data, rng, b"")
    if kind == "attribute":
        value = rng.choice(ODD_VALUES).encode("utf-8") if rng.random() < 0.8 else \
            "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(0, 12))).replace('"', "").replace("&", "") \
            .replace("<", "").encode("utf-8", "replace")
        return _sub_one(rb'(\s[\w:]+=")([^"]*)(")', data, rng, lambda m: m.group(1) + value + m.group(3))
    if kind == "cell-type":
        if rng.random() < 0.5 and b' t="s"' in data:
            new = rng.choice(CELL_TYPES).encode()
            count = rng.choice([1, 1, 5, 10_000])
            return data.replace(b' t="s"', b' t="' + new + b'"', count)
        return _sub_one(rb'<c r="[A-Z]+\d+"', data, rng,
                        lambda m: m.group(0) + b' t="' + rng.choice(CELL_TYPES).encode() + b'"')
    if kind == "big-number":
        return _sub_one(rb"<v>[^<]*</v>", data, rng, lambda m: b"<v>" + rng.choice(ODD_NUMBERS).encode() + b"</v>")
    if kind == "string-index":
        return _sub_one(rb'(t="s"[^>]*>\s*<v>)(\d+)(</v>)', data, rng,
                        lambda m: m.group(1) + rng.choice([b"999999", b"-1", b"4294967296", b"1e3", b""]) + m.group(3))
    if kind == "cell-ref":
        ref = rng.choice([b"XFD1048576", b"A1048576", b"XFD1", b"A1", b"B0", b"AAAA1", b"A99999999", b"", b"a1",
                          b"C" + str(rng.randint(1, 2000)).encode()])
        return _sub_one(rb'(<(?:c|row) r=")([^"]*)(")', data, rng, lambda m: m.group(1) + ref + m.group(3))
    if kind == "sheet-name":
        name = rng.choice(["_meta", "预算规划", "", "a" * 40, "x'y", "使用说明", "Sheet1", "&lt;&gt;"]).encode()
        return _sub_one(rb'(<sheet [^>]*name=")([^"]*)(")', data, rng, lambda m: m.group(1) + name + m.group(3))
    if kind == "duplicate-row":
        return _sub_one(rb"<row\b[^>]*>.*?</row>", data, rng, lambda m: m.group(0) * rng.randint(2, 50))
    if kind == "text":
        text = rng.choice(["", "=1+1", "\u0000", "_x0000_", "是", "１２３", "2026年13月45日", "#DIV/0!", "x" * 40_000,
                           "¥-1.2万", "(1,200)", "8%%", "T01", "已完成"]).encode("utf-8")
        return _sub_one(rb"(<t[^>]*>)([^<]*)(</t>)", data, rng, lambda m: m.group(1) + text + m.group(3))
    raise ValueError(kind)


def _rezip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries:
            z.writestr(name, blob)
    return buf.getvalue()


def mutate(base: bytes, rng: random.Random, kinds: list[str] | None = None) -> tuple[bytes, list[str]]:
    """Apply 1-3 mutations (or the `kinds` given); return the new bytes and what was done."""
    kinds = kinds or [rng.choice(BYTE_KINDS if rng.random() < 0.2 else XML_KINDS)
                      for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    done: list[str] = []
    xml_kinds = [k for k in kinds if k in XML_KINDS]
    data = base
    if xml_kinds:
        with zipfile.ZipFile(io.BytesIO(base)) as z:
            entries = [(i.filename, z.read(i)) for i in z.infolist()]
        names = [n for n, _ in entries if n.endswith((".xml", ".rels"))]
        for kind in xml_kinds:
            part = _pick_part(names, rng)
            i = next(j for j, (n, _) in enumerate(entries) if n == part)
            entries[i] = (part, _xml(entries[i][1], kind, rng, part))
            done.append(f"{kind}@{part}")
        data = _rezip(entries)
    for kind in kinds:
        if kind in BYTE_KINDS:
            data = _bytes(data, kind, rng)
            done.append(kind)
    return data, done


# ------------------------------------------------------------------------------------------ the oracle

def check(data: bytes, folder: Path, name: str = "fuzz.xlsx") -> tuple[str, str]:
    """Feed `data` to import_workbook. Returns ('ok' | 'refused:<code>', '') when the outcome is
    allowed, ('FAIL', details) otherwise."""
    from campaign_sheets.errors import WorkbookFileError
    from campaign_sheets.read.importer import ImportResult, import_workbook
    from campaign_sheets.codes import FILE_CODES as CODES
    from campaign_sheets.portfolio.summary import reduce

    path = folder / name
    path.write_bytes(data)
    try:
        result = import_workbook(path, today=TODAY)
        assert isinstance(result, ImportResult)
        for key in result.tables:
            result.tables[key]
            result.records[key]
        reduce(result, TODAY)
        result.report.counts()
        return "ok", ""
    except WorkbookFileError as err:
        if err.code not in CODES:
            return "FAIL", f"WorkbookFileError with unknown code {err.code!r}: {err}"
        if err.path != str(path) or not err.message or re.search(r"\{[a-z_]+\}", err.message):   # unfilled
            return "FAIL", f"bad WorkbookFileError: path={err.path!r} message={err.message!r}"
        return f"refused:{err.code}", ""
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - anything else (incl. a pyo3 PanicException) is a bug
        return "FAIL", traceback.format_exc()
    finally:
        path.unlink(missing_ok=True)
