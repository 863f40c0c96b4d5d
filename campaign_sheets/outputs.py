"""Write tables out safely: atomically, never onto an input, never turning text into formulas."""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator


from .errors import OutputError

if TYPE_CHECKING:   # pandas is imported by the table writers only: building a workbook never needs it
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")   # + control characters (invalid in XML)


def guard_inputs(out: Path, inputs: Iterable[str | os.PathLike]) -> None:
    """Refuse to write onto (or, for a folder output, into the folder of) an input file."""
    target = out.resolve()
    for p in inputs:
        src = Path(p).resolve()
        if src == target:
            raise OutputError.of("output.onto_input", path=out, input=str(p))


@contextmanager
def atomic_path(target: Path, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds: the one way
    this package writes a file (a reader never sees half a file; a failure leaves the old one).
    The file gets the usual permissions (mkstemp makes 0600; outputs are for sharing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=suffix or target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cut(text: str, units: int) -> str:
    """The longest prefix of `text` within `units` UTF-16 code units (what Excel's 31 counts)."""
    while len(text.encode("utf-16-le", "surrogatepass")) > 2 * units:
        text = text[:-1]
    return text


def sheet_names(keys: Iterable[str]) -> dict[str, str]:
    """Excel-safe, unique sheet names (31 characters, no []:*?/\\)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        base = _SHEET_BAD.sub("_", str(key)).strip("'") or "Sheet"
        base = _cut(base[:31], 31).rstrip("'")   # a cut may end on an apostrophe, which Excel refuses
        name, n = base, 2
        while name.lower() in used:
            suffix = f"~{n}"
            name = _cut(base, 31 - len(suffix)) + suffix
            n += 1
        used.add(name.lower())
        out[key] = name
    return out


def _plain(value: Any) -> Any:
    """A cell of a frame as plain Python: None for pandas' blanks, ISO text for dates."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "normalize") and hasattr(value, "to_pydatetime"):   # a pandas Timestamp
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def write_xlsx(frames: dict[str, pd.DataFrame], target: Path) -> None:
    """One sheet per table; every text cell written as a string, never a formula."""
    import pandas as pd
    import xlsxwriter

    names = sheet_names(frames)
    with atomic_path(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        for key, frame in frames.items():
            ws = wb.add_worksheet(names[key])
            for c, col in enumerate(frame.columns):
                ws.write_string(0, c, str(col), bold)
                ws.set_column(c, c, max(10, min(40, len(str(col)) + 4)))
            for r, row in enumerate(frame.itertuples(index=False), 1):
                for c, value in enumerate(row):
                    v = _plain(value)
                    if v is None:
                        continue
                    if isinstance(value, (pd.Timestamp, dt.date)) and not isinstance(value, str):
                        ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), date_fmt)
                    elif isinstance(v, bool):
                        ws.write_boolean(r, c, v)
                    elif isinstance(v, (int, float)):
                        ws.write_number(r, c, v)
                    else:
                        ws.write_string(r, c, str(v))
            if len(frame.columns):
                ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
            ws.freeze_panes(1, 0)
        wb.close()


def write_json(frames: dict[str, pd.DataFrame], target: Path, extra: dict | None = None) -> None:
    payload = dict(extra or {})
    payload["tables"] = {k: [{c: _plain(v) for c, v in zip(f.columns, row)} for row in f.itertuples(index=False)]
                         for k, f in frames.items()}
    with atomic_path(target, ".json") as tmp:
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def write_csv_folder(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """One UTF-8 (with BOM, for Excel) CSV per table; formula-like text prefixed with '."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in frames.items():
        target = folder / f"{sheet_names([key])[key]}.csv"
        with atomic_path(target, ".csv") as tmp:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow([csv_safe(str(c)) for c in frame.columns])
                for row in frame.itertuples(index=False):
                    w.writerow(["" if (v := _plain(x)) is None else csv_safe(v) for x in row])
        written.append(target)
    return written


def write_parquet_folder(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise OutputError.of("output.needs_pyarrow") from None
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in frames.items():
        target = folder / f"{sheet_names([key])[key]}.parquet"
        with atomic_path(target, ".parquet") as tmp:
            frame.to_parquet(tmp, index=False)
        written.append(target)
    return written


def output_kind(out: str | os.PathLike, fmt: str | None = None) -> str:
    """What `-o OUT [--format F]` means: 'xlsx' or 'json' (a file), 'csv', 'parquet' or 'json-folder'.

    Checked before any work starts, so a wrong target fails fast.
    """
    target = Path(out)
    suffix = target.suffix.lower()
    if fmt in (None, "xlsx") and suffix == ".xlsx":
        return "xlsx"
    if fmt in (None, "json") and suffix == ".json":
        return "json"
    if suffix in (".xlsx", ".json", ".csv", ".parquet"):
        raise OutputError.of("output.file_as_format", out=str(out), suffix=suffix, fmt=fmt)
    if suffix and not target.is_dir():
        raise OutputError.of("output.kind", out=str(out))
    if fmt in ("parquet", "csv"):
        return fmt
    if fmt == "json":
        return "json-folder"
    if fmt in (None,):
        return "csv"
    raise OutputError.of("output.format", fmt=repr(fmt))


def write_tables(frames: dict[str, pd.DataFrame], out: str | os.PathLike, fmt: str | None = None,
                 inputs: Iterable[str | os.PathLike] = (), extra: dict | None = None) -> list[Path]:
    """Write `frames` as .xlsx / .json (by extension) or a folder of csv / parquet / json (`fmt`)."""
    target = Path(out)
    guard_inputs(target, inputs)
    kind = output_kind(target, fmt)
    if kind == "xlsx":
        write_xlsx(frames, target)
        return [target]
    if kind == "json":
        write_json(frames, target, extra)
        return [target]
    if kind == "parquet":
        return write_parquet_folder(frames, target)
    if kind == "json-folder":  # one JSON file per table
        written = []
        for key, frame in frames.items():
            path = target / f"{sheet_names([key])[key]}.json"
            write_json({key: frame}, path, extra)
            written.append(path)
        return written
    return write_csv_folder(frames, target)


__all__ = ["write_tables", "write_xlsx", "write_json", "write_csv_folder", "csv_safe", "sheet_names",
           "atomic_path", "guard_inputs", "output_kind"]
