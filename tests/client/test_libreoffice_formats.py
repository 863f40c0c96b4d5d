"""The worked example saved by LibreOffice as .ods and as .xls (BIFF8) reads like the original:
the same issue codes, the same typed tables (compared cell by cell with the original's import),
and rollup and brief accept the copies. Detected by content: a copy named .xlsx reads the same."""
from __future__ import annotations

import collections
import datetime as dt
import shutil
from pathlib import Path

import pytest

from campaign_sheets import import_workbook, rollup
from campaign_sheets.brief import brief_for
from campaign_sheets.read.guard import check_file, sniff
from tests.support.libreoffice import convert

TODAY = dt.date(2026, 6, 20)
EXAMPLE = Path(__file__).resolve().parents[2] / "samples" / "campaign-example.xlsx"


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lo")
    src = root / "example.xlsx"
    shutil.copy(EXAMPLE, src)
    return {fmt: convert(src, root / fmt, fmt) for fmt in ("ods", "xls")}


def codes(result) -> collections.Counter:
    return collections.Counter((i.severity, i.code, i.sheet, i.cell) for i in result.report.issues)


def typed_cells(result) -> dict[tuple[str, int, str], object]:
    """(table, row number, column) -> typed value, for every cell of every imported table."""
    out = {}
    for key, rows in result.records.items():
        for n, row in enumerate(rows):
            for col, value in row.items():
                if col != "source_file":
                    out[(key, n, col)] = value
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_saved_by_libreoffice_reads_like_the_original(saved, fmt, tmp_path):
    original = import_workbook(EXAMPLE, today=TODAY)
    assert original.report.counts()["error"] == 0 and original.unreadable is None
    path = saved[fmt]
    assert sniff(path) == fmt
    with check_file(path) as book:
        assert book.format == fmt
    # by content, not by name: the same bytes named .xlsx read the same
    renamed = tmp_path / "renamed.xlsx"
    shutil.copy(path, renamed)
    for p in (path, renamed):
        copy = import_workbook(p, today=TODAY)
        assert copy.unreadable is None, copy.report.issues
        assert codes(copy) == codes(original)
        assert copy.meta["meta_sheet"] is True            # LibreOffice keeps the hidden _meta sheet
        assert copy.meta["template"] == original.meta["template"]
        assert copy.form == original.form
        mine, theirs = typed_cells(original), typed_cells(copy)
        assert mine.keys() == theirs.keys() and len(mine) > 1000
        differ = {k: (v, theirs[k]) for k, v in mine.items() if v != theirs[k] or type(v) is not type(theirs[k])}
        assert differ == {}
        assert copy.campaign["data_as_of"] == original.campaign["data_as_of"]


@pytest.mark.libreoffice
def test_rollup_and_brief_accept_ods_and_xls(saved, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for fmt, p in saved.items():
        shutil.copy(p, folder / p.name)
    merged = rollup([str(folder)], all_versions=True)
    counts = merged.counts()
    assert counts["found"] == 2 and counts["rejected"] == 0 and counts["not_campaign"] == 0, merged.files
    assert {Path(f["file"]).suffix for f in merged.files} == {".ods", ".xls"}
    original = brief_for(EXAMPLE, TODAY, lang="en")
    for p in saved.values():
        theirs, mine = brief_for(p, TODAY, lang="en").to_dict(), original.to_dict()
        for d in (theirs, mine):   # where the brief was read from
            d.pop("source_file", None)
            d.pop("file", None)
        assert theirs == mine


@pytest.mark.libreoffice
def test_xls_reader_memory_limit(saved):
    """The child reading an .xls runs under an address-space limit: past it, a coded refusal."""
    from campaign_sheets.errors import WorkbookFileError
    from campaign_sheets.read.calamine import read_values
    from campaign_sheets.read.guard import Limits

    with pytest.raises(WorkbookFileError) as info:
        read_values(saved["xls"], Limits(reader_memory_bytes=1 << 20))
    assert info.value.code == "corrupt-workbook" and "1 MB of memory" in info.value.message
    assert read_values(saved["xls"]).format == "xls"
