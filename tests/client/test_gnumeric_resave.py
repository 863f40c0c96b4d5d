"""The worked example re-saved by Gnumeric (`ssconvert`): Gnumeric cannot parse structured
references and writes `ERROR("…")` formulas with an error value of its own in their place. The
file still reads, with the original's findings and typed values; those cells are recomputed."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets.read.importer import import_workbook
from tests.unit.test_resaved import SAMPLE, findings, same_tables, typed

TODAY = dt.date(2026, 6, 20)
KNOWN = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


def ssconvert(src: Path, out: Path) -> Path:
    exe = shutil.which("ssconvert")
    if exe is None:
        raise RuntimeError("Gnumeric (ssconvert) is not installed")
    proc = subprocess.run([exe, str(src), str(out)], capture_output=True, text=True, timeout=180)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"ssconvert failed on {src}: {proc.stdout}{proc.stderr}")
    return out


def unknown_errors_in_tables(path: Path) -> int:
    """Cells in the tables' filled data rows (as `_meta` places them; a row with any other value)
    holding an error value that is not one of Excel's, read with openpyxl."""
    wb = openpyxl.load_workbook(path, data_only=True)
    rows = list(wb["_meta"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "table")
    count = 0
    for _key, sheet, _name, _header, first, last, first_col, columns in (r[:8] for r in rows[head + 1:] if r[0]):
        for row in wb[sheet].iter_rows(min_row=first, max_row=last, min_col=first_col,
                                       max_col=first_col + len(columns.split(",")) - 1):
            if any(c.data_type != "e" and c.value not in (None, "") for c in row):
                count += sum(1 for c in row if c.data_type == "e" and c.value not in KNOWN)
    return count


@pytest.mark.gnumeric
def test_gnumeric_resave_reads_as_the_original(tmp_path: Path) -> None:
    theirs = ssconvert(SAMPLE, tmp_path / "gnumeric.xlsx")
    a, b = import_workbook(SAMPLE, today=TODAY, lang="en"), import_workbook(theirs, today=TODAY, lang="en")
    assert b.unreadable is None and b.report.counts()["error"] == 0, [i.message for i in b.report.issues]
    assert findings(b) == findings(a)
    same_tables(typed(b), typed(a))
    broken = unknown_errors_in_tables(theirs)
    notes = [i for i in b.report.issues if i.code == "formulas-recomputed"]
    assert broken > 0 and [(n.value, n.expected) for n in notes] == [(broken, "Gnumeric")]
    assert "Gnumeric" in notes[0].message and "Gnumeric replaced the formulas" in notes[0].hint
