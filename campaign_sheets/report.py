"""A validation report is data: a list of issues, each naming file, sheet, cell, code and fix."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from .codes import CODES, SEVERITIES
from .i18n import t
from .text import display_width


def col_letters(index: int) -> str:
    """0-based column index -> 'A'..'XFD' (as a report names cells)."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


@dataclass(frozen=True)
class Issue:
    """One problem found in a workbook. `code` is a stable kebab-case string."""

    severity: str
    code: str
    message: str
    file: str = ""
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    expected: str | None = None
    hint: str | None = None
    affects: tuple[str, ...] = ()   # cells this one breaks (formulas, the dashboard), not reported again
    detail: str | None = None       # a file that cannot be read: what the reading library said (never in `message`)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["affects"] = list(self.affects)
        if d["detail"] is None:
            del d["detail"]   # only a file that cannot be read has one
        if d["value"] is not None and not isinstance(d["value"], (str, int, float, bool)):
            d["value"] = str(d["value"])
        return d

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(self.sheet + (f"!{self.cell}" if self.cell else ""))
        return ":".join(parts)


def plain(v: Any) -> Any:
    """A value as an issue shows it: dates as ISO text, whole floats as ints."""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def shown(value: Any, kind: str | None = None, currency: str = "¥") -> str:
    """A value as a message shows it, by its column type: 2026-06-18, 4.6%, ¥12,000, 1,200."""
    if value is None or value == "":
        return "—"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if kind == "percent":
        return f"{value:.1%}"
    if kind == "money":
        return f"{currency}{value:,.0f}" if float(value).is_integer() else f"{currency}{value:,.2f}"
    if kind == "integer" or (kind == "number" and float(value).is_integer()):
        return f"{value:,.0f}"
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def make_issue(code: str, lang: str, *, file: str = "", severity: str | None = None, sheet: str | None = None,
               row: int | None = None, col: int | None = None, column: str | None = None, value: Any = None,
               expected: Any = None, table: str | None = None, message: str | None = None,
               hint: str | None = None) -> Issue:
    """An issue of a registered code, its message and hint in `lang` (a spec rule passes its own
    severity and message). `row` is 1-based, `col` 0-based; together they name the cell."""
    entry = CODES.get(code)
    params = {"column": column or "", "value": value, "expected": expected, "table": table or ""}
    if message is None:
        message = t(entry.message_key, lang, **params) if entry else code
    if hint is None and entry is not None and entry.hint_key:
        hint = t(entry.hint_key, lang, **params)
    return Issue(
        severity=severity or (entry.severity if entry else "error"), code=code, message=message, file=file,
        sheet=sheet, cell=f"{col_letters(col)}{row}" if row is not None and col is not None else None, row=row,
        column=column, value=plain(value), expected=None if expected is None else str(expected), hint=hint,
    )


@dataclass
class Report:
    """Every issue found in one file, in the order found."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    lang: str | None = None   # the language its messages are in (the Issues sheet and severities follow it)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for i in self.issues if i.severity == s) for s in SEVERITIES}

    @property
    def valid(self) -> bool:
        return self.counts()["error"] == 0


def file_entry(report: Report, meta: dict[str, Any] | None = None, unreadable: bool = False) -> dict[str, Any]:
    """One file of the JSON report."""
    meta = meta or {}
    return {
        "path": report.file, "template": meta.get("template"), "version": meta.get("file_version", meta.get("version")),
        "locale": meta.get("locale"), "valid": report.valid and not unreadable, "unreadable": unreadable,
        "counts": report.counts(), "issues": [i.as_dict() for i in report.issues],
    }


def summary(entries: list[dict[str, Any]]) -> dict[str, Any]:
    out = {"files": len(entries), "valid": sum(1 for e in entries if e["valid"]),
           "with_errors": sum(1 for e in entries if not e["valid"] and not e["unreadable"]),
           "unreadable": sum(1 for e in entries if e["unreadable"])}
    for s in SEVERITIES:
        out[s] = sum(e["counts"][s] for e in entries)
    return out


def format_text(report: Report, header: str, lang: str = "en") -> list[str]:
    """Human lines for one file: a header, then one line per issue (its severity in `lang`) with
    its fix."""
    lines = [header]
    for i in report.issues:
        where = (i.sheet or "") + (f"!{i.cell}" if i.cell else "")
        severity = t(f"severity.{i.severity}", lang)
        lines.append(f"  {_pad(severity, 7)} {_pad(where, 22)} {i.code:<24} {i.message}")
        if i.hint:
            lines.append(f"  {'':<7} {'':<22} {'':<24} → {i.hint}")
    return lines


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` columns as a terminal shows them (a CJK character takes two)."""
    return text + " " * max(0, width - display_width(text))
