"""A legacy Excel workbook (.xls, OLE2/BIFF) read by python-calamine in a child process.

The guard checks what it can of an OLE2 file without parsing BIFF (its size, its directory, no
stream larger than the file); the BIFF records are parsed by calamine alone, so the read runs where
a hostile file cannot take this process down: a child Python with an address-space limit, ended
after `Limits.reader_seconds`. It costs one process start per .xls (about 35 ms), never paid for
an .xlsx or .ods. The child returns every worksheet as JSON (`_ole_child.py`).
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.report import col_letters

from .guard import Limits

_CHILD = Path(__file__).with_name("_ole_child.py")


class OleSheet:
    """What `calamine._rows` reads of a sheet: start, end and rows, as python-calamine gives them."""

    def __init__(self, start: Any, end: Any, rows: list[list[Any]]) -> None:
        self.start = tuple(start) if start is not None else None
        self.end = tuple(end) if end is not None else None
        self._rows = rows

    def iter_rows(self) -> Any:
        return iter(self._rows)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        (tag, v), = obj.items()
        if tag == "d":
            return dt.date.fromisoformat(v)
        if tag == "dt":
            return dt.datetime.fromisoformat(v)
        if tag == "t":
            return dt.time.fromisoformat(v)
        if tag == "td":
            return dt.timedelta(seconds=v)
    return obj


def read_ole(data: bytes, limits: Limits, p: Path, lang: str) -> list[tuple[str, str, OleSheet]]:
    """(name, state, sheet) of every worksheet of the BIFF workbook `data`, in workbook order;
    encrypted, sheet-too-large or corrupt-workbook (the reason says which limit) otherwise."""
    cmd = [sys.executable, "-I", str(_CHILD), str(limits.reader_memory_bytes), str(limits.max_cells)]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=limits.reader_seconds)
    except subprocess.TimeoutExpired:
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="reader-timeout",
                                   seconds=f"{limits.reader_seconds:g}") from None
    except OSError as exc:
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="reader", detail=str(exc)) from None
    try:
        out = json.loads(proc.stdout, object_hook=_decode) if proc.returncode == 0 else None
    except ValueError:
        out = None
    if not isinstance(out, dict):
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="reader-limit",
                                   mb=f"{limits.reader_memory_bytes / 2**20:g}", detail=detail[0][:300])
    error = out.get("error")
    if error == "password":
        raise WorkbookFileError.of("encrypted", p, lang)
    if error == "memory":
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="reader-limit",
                                   mb=f"{limits.reader_memory_bytes / 2**20:g}", detail="MemoryError")
    if error == "sheet-too-large":
        (r0, _), (r1, c1) = out["start"], out["end"]
        limit = t_limit(out, limits, lang)
        raise WorkbookFileError.of("sheet-too-large", p, lang, sheet=out["sheet"], first=f"A{r0 + 1}",
                                   last=f"{col_letters(c1)}{r1 + 1}", cells=f"{out['cells']:,}", limit=limit)
    if error is not None:
        raise WorkbookFileError.of("corrupt-workbook", p, lang, reason="parser", detail=str(out.get("detail", error)))
    return [(s["name"], s["state"], OleSheet(s["start"], s["end"], s["rows"])) for s in out["sheets"]]


def t_limit(out: dict[str, Any], limits: Limits, lang: str) -> str:
    from campaign_sheets.i18n import t

    if out["cells"] > limits.max_cells:
        return t("file.limit.cells", lang, n=f"{limits.max_cells:,}")
    return t("file.limit.total", lang, n=f"{limits.max_cells:,}", total=f"{out['total']:,}")
