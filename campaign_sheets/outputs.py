"""Write tables out safely: atomically, never onto an input, never turning text into formulas."""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .contract import OUTPUT_PROPERTY, output_kind as written_by
from .errors import OutputError, OutputExists, OutputHoldsData

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
        if target in src.parents:   # a folder output replaces the folder: never one holding an input
            raise OutputError.of("output.onto_input_folder", out=str(out), input=str(p))


@contextmanager
def atomic_path(target: Path, suffix: str = "", *, folder: bool = False) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds: the one way
    this package writes a file (a reader never sees half a file; a failure leaves the old one).
    The file gets the usual permissions (mkstemp makes 0600; outputs are for sharing).

    `folder=True`: a temporary folder beside `target`, filled by the block, that replaces `target`
    (a folder, or nothing) only when complete: all the files or none, the old folder kept on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    if folder:
        tmp = tempfile.mkdtemp(prefix=".~", suffix=suffix, dir=target.parent)
        try:
            yield Path(tmp)
            os.chmod(tmp, 0o777 & ~umask)
            _swap_folder(Path(tmp), target)
        finally:
            if os.path.exists(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
        return
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=suffix or target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _swap_folder(new: Path, target: Path) -> None:
    """`new` renamed onto `target`; what `target` was (a folder or a file) is moved aside first and
    removed after, or put back if the rename fails."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=".~old-", dir=target.parent))
    os.rmdir(old)   # the name only: rename needs it free
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    else:
        old.unlink(missing_ok=True)


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


def write_xlsx(frames: dict[str, pd.DataFrame], target: Path, kind: str | None = None) -> None:
    """One sheet per table; every text cell written as a string, never a formula. `kind` (the
    command that wrote it) goes in a custom document property, so its next run knows its own file."""
    import pandas as pd
    import xlsxwriter

    names = sheet_names(frames)
    with atomic_path(target, ".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        if kind:
            wb.set_custom_property(XLSX_PROPERTY, kind)
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
                    elif isinstance(v, (int, float)) and math.isfinite(v):
                        ws.write_number(r, c, v)
                    else:
                        ws.write_string(r, c, str(v))
            if len(frame.columns):
                ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
            ws.freeze_panes(1, 0)
        wb.close()


def write_json(frames: dict[str, pd.DataFrame], target: Path, extra: dict | None = None,
               kind: str | None = None) -> None:
    """The tables as `{"kind": ..., <extra>, "tables": {key: [row, ...]}}` (`kind` first: the command
    that wrote it, so its next run knows its own file)."""
    payload: dict[str, Any] = {"kind": kind} if kind else {}
    payload.update(extra or {})
    payload["tables"] = {k: [{c: _plain(v) for c, v in zip(f.columns, row)} for row in f.itertuples(index=False)]
                         for k, f in frames.items()}
    with atomic_path(target, ".json") as tmp:
        tmp.write_text(json.dumps(_finite(payload), ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: such a number becomes null (in nested lists and dicts too)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM (for Excel); formula-like text prefixed with '."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([csv_safe(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False):
            w.writerow(["" if (v := _plain(x)) is None else csv_safe(v) for x in row])


# ------------------------------------------------------------------------------ mixed types
def _value_kind(value: Any) -> str | None:
    """What kind of value a cell holds, as a typed column format tells them apart (None: blank)."""
    v = _plain(value) if not isinstance(value, (dt.date, dt.time)) else value
    if v is None:
        return None
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, dt.datetime) or hasattr(value, "to_pydatetime"):
        return "datetime"
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return type(v).__name__
    if isinstance(v, str):
        return "text"
    return "other"


def as_text(value: Any) -> str | None:
    """A cell as text for a column that mixes kinds: the value as it was, in its usual written form
    (15000, 0.08, 2026-06-01, TRUE, about 5k); blank stays blank."""
    v = _plain(value)
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    return str(v)


def text_if_mixed(frame: pd.DataFrame, every: bool = False) -> pd.DataFrame:
    """`frame` with each object column whose cells are of more than one kind (text and numbers, say)
    as text, each cell its original value written out (`as_text`); `every`: all object columns.
    A typed format (Parquet) holds one type a column; the other columns are left as they are."""
    mixed = [c for i, c in enumerate(frame.columns) if frame.dtypes.iloc[i] == object
             and (every or len({k for v in frame.iloc[:, i] if (k := _value_kind(v)) is not None}) > 1)]
    if not mixed:
        return frame
    out = frame.copy()
    for c in mixed:
        i = list(frame.columns).index(c)
        out.isetitem(i, frame.iloc[:, i].map(as_text).astype("string"))
    return out


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa

    try:
        text_if_mixed(frame).to_parquet(path, index=False)
    except (pa.ArrowException, TypeError, ValueError):   # anything else Arrow cannot type: text
        text_if_mixed(frame, every=True).to_parquet(path, index=False)


# ------------------------------------------------------------------------------ folders
FOLDER_WRITERS = {"csv": (".csv", _write_csv), "parquet": (".parquet", _write_parquet)}


def write_folder(frames: dict[str, pd.DataFrame], folder: Path, fmt: str, extra: dict | None = None,
                 kind: str | None = None) -> list[Path]:
    """One file per table (csv, parquet or json) in `folder`, written atomically as a whole: into a
    temporary folder beside it that replaces `folder` once every file is written (all or none).
    With `kind` (the command writing it), a manifest names the command and its files, so the
    command's next run knows its own folder."""
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise OutputError.of("output.needs_pyarrow") from None
    names = sheet_names(frames)
    files: list[str] = []
    with atomic_path(folder, folder=True) as tmp:
        for key, frame in frames.items():
            if fmt == "json":
                name = f"{names[key]}.json"
                write_json({key: frame}, tmp / name, extra, kind)
            else:
                suffix, write = FOLDER_WRITERS[fmt]
                name = f"{names[key]}{suffix}"
                write(frame, tmp / name)
            files.append(name)
        if kind:
            (tmp / MANIFEST).write_text(json.dumps({"generator": "campaign-sheets", "kind": kind, "format": fmt,
                                                    "files": files}, ensure_ascii=False, indent=1), encoding="utf-8")
    return [folder / n for n in files]


def write_csv_folder(frames: dict[str, pd.DataFrame], folder: Path, kind: str | None = None) -> list[Path]:
    """One UTF-8 (with BOM, for Excel) CSV per table; formula-like text prefixed with '."""
    return write_folder(frames, folder, "csv", kind=kind)


def write_parquet_folder(frames: dict[str, pd.DataFrame], folder: Path, kind: str | None = None) -> list[Path]:
    """One Parquet file per table; a column mixing kinds of values is written as text (`text_if_mixed`)."""
    return write_folder(frames, folder, "parquet", kind=kind)


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
                 inputs: Iterable[str | os.PathLike] = (), extra: dict | None = None,
                 kind: str | None = None) -> list[Path]:
    """Write `frames` as .xlsx / .json (by extension) or a folder of csv / parquet / json (`fmt`).
    `kind` marks the output as this command's (see `check_overwrite`)."""
    target = Path(out)
    guard_inputs(target, inputs)
    kind_of = output_kind(target, fmt)
    if kind_of == "xlsx":
        write_xlsx(frames, target, kind)
        return [target]
    if kind_of == "json":
        write_json(frames, target, extra, kind)
        return [target]
    return write_folder(frames, target, {"json-folder": "json"}.get(kind_of, kind_of), extra, kind)


# ------------------------------------------------------------------------------ never overwrite work
MANIFEST = ".campaign-sheets-output.json"   # in a folder output: the command that wrote it, its files
XLSX_PROPERTY = OUTPUT_PROPERTY             # custom document property of a table workbook: the command
_HEAD = 4096                                 # bytes of a text output read to recognise it
_MAX_BOOKS = 50                              # workbooks of a folder looked into before replacing it


@dataclass(frozen=True)
class Existing:
    """What an output path already holds, as far as replacing it goes."""

    path: Path
    what: str                    # own (the command's earlier output), empty (folder), campaign, other,
                                 # folder (where a file goes), wide (a folder of folders, the current or home one)
    campaign: str | None = None  # a filled campaign workbook's code and name (the first, in a folder)
    rows: int = 0                # its rows of data (every filled workbook's, in a folder)
    books: int = 0               # filled campaign workbooks (1 for a file)
    files: int = 0               # a folder's files
    first: str | None = None     # a folder's first filled workbook


def check_overwrite(target: str | os.PathLike, own: str | None = None, *, force: bool = False,
                    discard_data: bool = False, folder: bool = False) -> Existing | None:
    """The never-overwrite rule, for every command that writes: what `target` holds, or
    OutputExists / OutputHoldsData (exit 2, nothing touched) when it may not be replaced.

    Nothing there, an empty folder, or the command's own earlier output (`own`: import, rollup,
    brief, annotate, schema; see `existing_output`): replaced. Anything else: only with `force`.
    A filled campaign workbook, or a folder holding one: only with `force` and `discard_data`.
    Never: a folder where a file goes, nor a folder holding folders, the current folder (or one
    above it) or the home folder, which a folder output would replace whole."""
    path = Path(target)
    found = existing_output(path, own, folder=folder)
    if found is None or found.what in ("own", "empty"):
        return found
    if found.what == "folder":
        raise OutputExists.of("output.is_folder", target=str(path))
    if found.what == "wide":   # a folder of folders, the current or home folder: never replaced whole
        raise OutputExists.of("output.folder_not_replaced", target=str(path))
    if found.books and not (force and discard_data):
        if folder:
            raise OutputHoldsData.of("output.folder_holds_data", target=str(path), n=found.books, file=found.first,
                                     campaign=found.campaign, rows=found.rows)
        raise OutputHoldsData.of("output.holds_data", target=str(path), campaign=found.campaign, rows=found.rows)
    if not force:
        if found.files:
            raise OutputExists.of("output.exists_folder", target=str(path), n=found.files)
        raise OutputExists.of("output.exists", target=str(path))
    return found


def existing_output(path: Path, own: str | None = None, *, folder: bool = False) -> Existing | None:
    """What `path` holds: None (nothing), or an `Existing` (see its `what`)."""
    if not os.path.lexists(path):
        return None
    if path.is_dir():
        if not folder:
            return Existing(path, "folder")
        entries = list(os.scandir(path))
        if not entries:
            return Existing(path, "empty")
        files = [Path(e.path) for e in entries if not e.is_dir(follow_symlinks=False)]
        here = path.resolve()
        cwd = Path.cwd().resolve()
        if len(files) < len(entries) or here == cwd or here in cwd.parents or here == Path.home().resolve():
            return Existing(path, "wide", files=len(files))   # subfolders, or where the user is working
        if own and _own_folder(path, own, files):
            return Existing(path, "own", files=len(files))
        books = [p for p in sorted(files) if p.suffix.lower() in _BOOKS and p.is_file()][:_MAX_BOOKS]
        filled = [(p, found) for p in books if (found := filled_campaign(p)) is not None]
        if filled:
            p, (campaign, _) = filled[0]
            return Existing(path, "campaign", campaign=campaign, rows=sum(rows for _, (_, rows) in filled),
                            books=len(filled), files=len(files), first=p.name)
        return Existing(path, "other", files=len(files))
    if own and not folder and _RECOGNISE.get(own, _never)(path):
        return Existing(path, "own")
    found = filled_campaign(path) if path.suffix.lower() in _BOOKS or not path.suffix else None
    if found is not None:
        return Existing(path, "campaign", campaign=found[0], rows=found[1], books=1)
    return Existing(path, "other")


_BOOKS = (".xlsx", ".xlsm", ".ods", ".xls")   # the workbooks people fill (as the reader accepts them)


def filled_campaign(path: Path) -> tuple[str, int] | None:
    """(the campaign's code and name, its rows of data) when `path` is a campaign workbook someone
    has filled in: a campaign form field, or a table row beyond what the template starts with
    (a prefilled row counts when a cell the template leaves blank holds a value). None for an
    empty template, and for anything that is not a campaign workbook."""
    from .build.layout import prefill_rows
    from .read.importer import import_workbook

    try:
        result = import_workbook(path, errors="report", lang="en")
    except Exception:   # noqa: BLE001 - not a workbook this package can read: not a campaign's data
        return None
    if result.unreadable or result.index is None:   # (a template with rows but no campaign code still counts)
        return None
    lang = result.meta.get("locale") or "en"
    rows = 0
    for key, resolved in result.index.tables.items():
        inputs = [c.key for c in resolved.columns if c.formula is None]
        start = prefill_rows(result.spec, resolved, lang) if resolved.table.prefill else []
        for i, record in enumerate(result.records.get(key, [])):
            template = start[i] if i < len(start) else {}
            if any(record.get(c) is not None and c not in template for c in inputs):
                rows += 1
    form = any(v not in (None, "") for v in result.form.values())
    if not rows and not form:
        return None
    campaign = " ".join(str(v) for v in (result.campaign.get("code"), result.campaign.get("name")) if v)
    return campaign or path.name, rows


def _never(path: Path) -> bool:
    return False


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(_HEAD).decode("utf-8", "replace")
    except OSError:
        return ""


def _xlsx_property(path: Path) -> str | None:
    """The `XLSX_PROPERTY` custom document property of a workbook (through the reading guard)."""
    from .read.guard import check_file

    try:
        with check_file(path) as book:
            if "docProps/custom.xml" not in book.spans:
                return None
            xml = book.part("docProps/custom.xml")
    except Exception:   # noqa: BLE001 - not a workbook: not ours
        return None
    return written_by(xml)


def _meta_kind(path: Path) -> str | None:
    """The `kind` fact of a workbook's `_meta` sheet (contract.py), read through the reading guard."""
    from .contract import META_SHEET, read_meta
    from .read.calamine import read_values

    try:
        raw = read_values(path, select=lambda names, read: {META_SHEET} & set(names))
    except Exception:   # noqa: BLE001 - not a workbook: not ours
        return None
    meta = read_meta(raw.sheets.get(META_SHEET))
    return meta.kind if meta is not None else None


def _json_kind(path: Path) -> str | None:
    m = re.match(r'\s*\{\s*"kind"\s*:\s*"([a-z]+)"', _head(path))
    return m.group(1) if m else None


def _tables_output(kind: str) -> Callable[[Path], bool]:
    def recognise(path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".json":
            return _json_kind(path) == kind
        if suffix == ".xlsx":
            from .contract import KIND_ROLLUP

            return _xlsx_property(path) == kind or (kind == "rollup" and _meta_kind(path) == KIND_ROLLUP)
        return False
    return recognise


def _own_folder(path: Path, own: str, files: list[Path]) -> bool:
    """A folder the command wrote: its manifest names the command, and it holds no file the
    manifest does not list (nothing anyone added would be lost)."""
    try:
        manifest = json.loads((path / MANIFEST).read_text("utf-8"))
        listed = set(manifest["files"]) | {MANIFEST}
        ok = manifest.get("generator") == "campaign-sheets" and manifest.get("kind") == own
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return ok and all(str(p.relative_to(path)) in listed for p in files)


def _brief(path: Path) -> bool:
    """A brief this package wrote (markdown, HTML or JSON): by what it starts with."""
    from .i18n import t

    head = _head(path)
    if path.suffix.lower() == ".json":
        return re.match(r'\s*\{\s*"schema"\s*:\s*"campaign-sheets/brief/', head) is not None
    titles = [t(key, lang) for key in ("brief.title", "brief.title_week") for lang in ("zh-CN", "en")]
    first = head.lstrip().split("\n", 1)[0]
    if path.suffix.lower() == ".md":
        return any(first.startswith(f"## {title}") for title in titles)
    if path.suffix.lower() in (".html", ".htm"):
        m = re.search(r"<title>([^<]*)</title>", head)
        return head.lstrip().startswith("<!DOCTYPE html>") and m is not None and \
            any(m.group(1).startswith(title) for title in titles)
    return False


def _annotated(path: Path) -> bool:
    """An annotated copy this package wrote: its first sheet is the Issues sheet it adds."""
    from .i18n import t
    from .read.guard import check_file

    titles = {t("annotate.title", lang) for lang in ("zh-CN", "en")}
    try:
        with check_file(path) as book:
            first = next(iter(book.sheets), "")
    except Exception:   # noqa: BLE001 - not a workbook: not ours
        return False
    return first in titles or any(first.startswith(title + " (") for title in titles)


def _schema(path: Path) -> bool:
    return re.match(r'\s*\{\s*"\$schema"\s*:[^\n]*\n\s*"title"\s*:\s*"campaign-sheets workbook spec"', _head(path)) is not None


_RECOGNISE: dict[str, Callable[[Path], bool]] = {
    "import": _tables_output("import"), "rollup": _tables_output("rollup"), "brief": _brief,
    "annotate": _annotated, "schema": _schema,
}


__all__ = ["write_tables", "write_xlsx", "write_json", "write_folder", "write_csv_folder", "write_parquet_folder",
           "csv_safe", "sheet_names", "atomic_path", "guard_inputs", "output_kind", "text_if_mixed", "as_text",
           "check_overwrite", "existing_output", "filled_campaign", "Existing", "MANIFEST"]
