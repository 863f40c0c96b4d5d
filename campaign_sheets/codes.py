"""One registry of every issue code the package itself reports: its severity and its texts.

Codes are stable kebab-case strings (the JSON report, the rollup and scripts key on them).
A spec's own rules report under the codes and severities the spec gives them; those are not
listed here. Messages live in `i18n` under `issue.<code>` / `hint.<code>` (cell issues) and
`file.<code>` (files that cannot be read at all).
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import has

SEVERITIES = ("error", "warning", "alert", "info")


@dataclass(frozen=True)
class Code:
    """What an issue code means: how bad it is and where its texts are."""

    code: str
    severity: str
    unreadable: bool = False   # the whole file could not be read (exit status 2)

    @property
    def message_key(self) -> str:
        return f"file.{self.code}" if self.unreadable else f"issue.{self.code}"

    @property
    def hint_key(self) -> str | None:
        key = f"hint.{self.code}"
        return key if has(key) else None


_CELL = {
    "error": ("type-error", "missing-value", "not-in-choices", "out-of-range", "too-long", "duplicate-key",
              "unknown-reference", "dependency-cycle", "formula-error", "header-missing", "table-missing",
              "sheet-missing", "template-unknown",
              # the file is no campaign workbook (unknown template, a blank template, a rollup's output): exit status 2
              "not-a-campaign"),
    # header-missing is a warning for an optional column (the importer says which)
    "warning": ("header-unknown", "formula-overwritten", "percent-assumed",
                "unknown-person", "date-outside-campaign", "blank-rows", "template-version", "meta-missing",
                "macros-ignored", "stored-as-text", "dashboard-disagrees", "spec-differs", "spec-embedded-unusable",
                "kpi-ratio-mismatch", "kpi-ratio-incomplete", "kpi-days-missing", "kpi-target-invalid",
                # the rollup: another file of the same campaign is its current state (this one is not summed)
                "campaign-duplicate"),
    # formulas-recomputed: one note a file for the formula cells whose stored results were missing or broken
    "info": ("spec-embedded", "formulas-recomputed"),
}
FILE_CODES = (
    "file-missing", "file-is-folder", "file-empty", "file-too-large", "file-unreadable",
    "not-xlsx-xlsb", "not-xlsx-csv", "not-xlsx-html",
    "encrypted", "corrupt-zip", "zip-bomb", "too-many-entries", "not-a-workbook", "xml-entities",
    "sheet-too-large", "corrupt-workbook", "cell-too-long",
    # what the file is instead of a workbook, by its bytes
    "not-a-workbook-document", "not-a-workbook-presentation", "not-a-workbook-pdf", "not-a-workbook-image",
    "not-a-workbook-numbers",
)

# no longer given (an .xls and an .ods are read now), kept so that reports stored earlier still render
RETIRED_FILE_CODES = ("not-xlsx-legacy-xls", "not-xlsx-ods")

CODES: dict[str, Code] = {
    **{c: Code(c, severity) for severity, codes in _CELL.items() for c in codes},
    **{c: Code(c, "error", unreadable=True) for c in (*FILE_CODES, *RETIRED_FILE_CODES)},
}


def code(name: str) -> Code:
    """The registry entry of `name` (KeyError for a code the package does not report itself)."""
    return CODES[name]


__all__ = ["Code", "CODES", "FILE_CODES", "RETIRED_FILE_CODES", "SEVERITIES", "code"]
