"""The workbook contract: what the builder writes for the reader, written and read in one place.

A built workbook carries a hidden `_meta` sheet: first the facts (one `name | value` row each),
then, after a `table` header row, where every table was placed. It also carries a hidden
`_lists` sheet that feeds the dropdowns. Sheets are named from their titles by one rule, which
the reader applies again to find them. People edit workbooks, so `read_meta` is tolerant: a
fact or a table row it cannot use is left out, never an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

META_SHEET = "_meta"
LISTS_SHEET = "_lists"
SPEC_SHEET = "_spec"
RESERVED_SHEETS = (META_SHEET, LISTS_SHEET, SPEC_SHEET)
# The embedded spec: the resolved spec as JSON, zlib-compressed, base64 in cells of column A
SPEC_FORMAT = "campaign-sheets spec json+zlib+base64"
_CHUNK = 32_000                 # characters a cell (Excel holds 32,767)
MAX_EMBEDDED = 2 << 20          # base64 characters read at most (a spec is some 40 KB of them)
MAX_SPEC_JSON = 8 << 20         # bytes a spec may inflate to
FACTS = ("template", "version", "spec_sha256", "locale", "example", "generator", "kind")
# what a workbook is: a campaign workbook (built from a spec), or a rollup's own output (never read as a campaign)
KIND_CAMPAIGN, KIND_ROLLUP = "campaign", "rollup"
# custom document property of a table workbook the tool wrote (import -o x.xlsx, rollup tables): the command
OUTPUT_PROPERTY = "campaign-sheets output"
TABLE_HEADER = ("table", "sheet", "excel_table", "header_row", "first_row", "last_row", "first_col", "columns")
_MAX_ROW = 1_048_576
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class TableEntry:
    """Where the builder placed one table (rows 1-based, as Excel counts)."""

    key: str
    sheet: str
    excel_table: str
    header_row: int
    first_row: int
    last_row: int
    first_col: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Meta:
    """The facts of a workbook's `_meta` sheet."""

    template: str | None = None
    version: int | None = None
    spec_sha256: str | None = None
    locale: str | None = None
    example: bool = False
    generator: str | None = None
    kind: str | None = None          # KIND_CAMPAIGN / KIND_ROLLUP; None in workbooks made before it was written
    tables: dict[str, TableEntry] = field(default_factory=dict)


# --------------------------------------------------------------------------- sheet names
def safe_sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not quoted, unique (case-blind);
    adds the name to `used`."""
    base = _FORBIDDEN.sub("_", name).strip("'").strip() or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate)
    return candidate


def sheet_key(name: str) -> str:
    """A sheet title or name as the reader matches it (the builder's rule, case-blind)."""
    return _FORBIDDEN.sub("_", name).strip("'").strip()[:31].lower()


# --------------------------------------------------------------------------- _meta
def meta_rows(meta: Meta) -> list[list[Any]]:
    """The `_meta` sheet's rows for `meta` (facts, a blank row, then the table list)."""
    rows: list[list[Any]] = []
    for name in FACTS:
        value = getattr(meta, name)
        if value is None:
            value = ""
        rows.append([name, value if isinstance(value, int) and not isinstance(value, bool) else str(value)])
    rows.append([])
    rows.append(list(TABLE_HEADER))
    for e in meta.tables.values():
        rows.append([e.key, e.sheet, e.excel_table, e.header_row, e.first_row, e.last_row, e.first_col,
                     ",".join(e.columns)])
    return rows


def read_meta(rows: list[list[Any]] | None) -> Meta | None:
    """The facts of a `_meta` sheet as read back (numbers may come back as floats; the first row
    of a fact counts); None without the sheet or without any fact."""
    if not rows:
        return None
    facts: dict[str, Any] = {}
    tables: dict[str, TableEntry] = {}
    in_tables = False
    for r in rows:
        if not r or not isinstance(r[0], str) or not r[0]:
            continue
        if in_tables:
            entry = _table_entry(r)
            if entry is not None:
                tables[entry.key] = entry   # a row repeated further down wins, as edits go
        elif r[0] == TABLE_HEADER[0]:
            in_tables = True
        elif len(r) > 1 and r[0] not in facts:
            facts[r[0]] = r[1]
    if not facts and not tables:
        return None
    return Meta(template=_text(facts.get("template")), version=as_int(facts.get("version")),
                spec_sha256=_text(facts.get("spec_sha256")), locale=_text(facts.get("locale")),
                example=str(facts.get("example")).strip().lower() == "true",
                generator=_text(facts.get("generator")), kind=_text(facts.get("kind")), tables=tables)


def output_kind(custom_xml: bytes | str) -> str | None:
    """The `OUTPUT_PROPERTY` of a workbook's docProps/custom.xml: which command wrote it, if the tool did."""
    import re

    text = custom_xml.decode("utf-8", "replace") if isinstance(custom_xml, bytes) else custom_xml
    found = re.search(r'name="' + re.escape(OUTPUT_PROPERTY) + r'"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', text[:65536])
    return found.group(1) if found else None


# --------------------------------------------------------------------------- _spec
def spec_rows(data: dict[str, Any], sha256: str) -> list[list[Any]]:
    """The `_spec` sheet's rows: a header (format, hash of the resolved spec), then the spec's JSON
    compressed and cut into cells."""
    import base64
    import json
    import zlib

    text = base64.b64encode(zlib.compress(json.dumps(data, ensure_ascii=False,
                                                     separators=(",", ":")).encode("utf-8"), 9)).decode("ascii")
    return [[SPEC_FORMAT, sha256]] + [[text[i:i + _CHUNK]] for i in range(0, len(text), _CHUNK)]


class EmbeddedSpecError(ValueError):
    """A `_spec` sheet that cannot be decoded (damaged, edited, too big)."""


def read_spec_rows(rows: list[list[Any]] | None) -> tuple[dict[str, Any], str] | None:
    """(the embedded spec's data, the hash it was written with), None without a `_spec` sheet.
    The sheet is untrusted input: its size and what it inflates to are bounded, and anything
    other than a JSON object raises EmbeddedSpecError."""
    import base64
    import binascii
    import json
    import zlib

    if not rows or not rows[0] or rows[0][0] != SPEC_FORMAT:
        return None if not rows else _bad("not a campaign-sheets spec")
    sha = rows[0][1] if len(rows[0]) > 1 and isinstance(rows[0][1], str) else ""
    chunks, size = [], 0
    for r in rows[1:]:
        if not r or not isinstance(r[0], str) or not r[0]:
            break
        size += len(r[0])
        if size > MAX_EMBEDDED:
            _bad("too big")
        chunks.append(r[0])
    try:
        packed = base64.b64decode("".join(chunks), validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_SPEC_JSON)
        if inflater.unconsumed_tail:
            _bad("too big")
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError, RecursionError) as exc:
        _bad(f"{type(exc).__name__}: {exc}"[:200])
    if not isinstance(data, dict):
        _bad("not a spec")
    return data, sha


def _bad(reason: str) -> Any:
    raise EmbeddedSpecError(reason)


def _table_entry(r: list[Any]) -> TableEntry | None:
    """A table row of `_meta`; only the header row is needed (the reader starts its search there),
    other positions a person retyped read as 0."""
    cells = list(r) + [""] * (len(TABLE_HEADER) - len(r))
    numbers = [n if (n := as_int(v)) is not None and 1 <= n <= _MAX_ROW else None for v in cells[3:7]]
    if numbers[0] is None:
        return None
    header, first, last, col = (n or 0 for n in numbers)
    columns = tuple(c for c in str(cells[7]).split(",") if c) if isinstance(cells[7], str) else ()
    return TableEntry(cells[0], str(cells[1]), str(cells[2]), header, first, last, col, columns)


def _text(v: Any) -> str | None:
    return v.strip() or None if isinstance(v, str) else None


def as_int(v: Any) -> int | None:
    """A whole number from a cell (1.0 as calamine gives it, '1' as typed); None otherwise."""
    if isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


__all__ = ["META_SHEET", "KIND_CAMPAIGN", "KIND_ROLLUP", "FACTS", "OUTPUT_PROPERTY", "output_kind", "LISTS_SHEET", "SPEC_SHEET", "RESERVED_SHEETS", "Meta", "TableEntry", "meta_rows", "read_meta",
           "spec_rows", "read_spec_rows", "EmbeddedSpecError",
           "safe_sheet_name", "sheet_key", "as_int"]
