"""A validation report is data: a list of issues, each naming file, sheet, cell, code and fix."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

SEVERITIES = ("error", "warning", "alert")


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

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["value"] is not None and not isinstance(d["value"], (str, int, float, bool)):
            d["value"] = str(d["value"])
        return d

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(self.sheet + (f"!{self.cell}" if self.cell else ""))
        return ":".join(parts)


@dataclass
class Report:
    """Every issue found in one file, in the order found."""

    file: str
    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for i in self.issues if i.severity == s) for s in SEVERITIES}

    @property
    def valid(self) -> bool:
        return self.counts()["error"] == 0
