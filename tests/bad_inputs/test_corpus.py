"""Every hostile input gets its documented exit status and code, a message that names the file
(and sheet and cell), no traceback, bounded time and memory, and stays byte-for-byte unchanged,
through `validate`, `import` and the rollup."""
from __future__ import annotations

import io
import json
import math
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from campaign_sheets.cli import main
from campaign_sheets.codes import FILE_CODES
from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.read.guard import check_file
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.portfolio.run import Options, collect, rollup

from .conftest import GIB, MEASURED, TODAY, record, sha256
from .make_corpus import CASES, Case, case_names, run_cli

SECONDS = 10.0                 # per file and per step; generous (most take well under a second)
HEAVY = [c.name for c in CASES if c.heavy]
SUBPROCESS = HEAVY + ["path-spaces-chinese", "csv-as-xlsx", "cell-40000", "malformed-xml", "typed-errors", "infinite-date"]
PASSWD = "root:x:0:0"          # what a successful XXE would leak


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 30
    assert len(set(case_names())) == len(CASES)
    codes = {code for c in CASES for code in c.codes}
    # every code an unreadable file can get is exercised, except those that need the file system
    assert set(FILE_CODES) - codes <= {"file-missing", "file-is-folder", "file-too-large", "file-unreadable"}


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text[-2000:]
        assert PASSWD not in text


def _issue_codes(entry: dict) -> set[str]:
    return {i["code"] for i in entry["issues"]}


def _check_where(case: Case, entry: dict, text: str) -> None:
    """The message names the file, and the sheet and cell when the issue has them."""
    path = str(case.path)
    assert path in text
    for issue in entry["issues"]:
        assert issue["file"] == path
        if issue["sheet"] and issue["cell"]:
            assert f"{issue['sheet']}!{issue['cell']}" in text, issue
    if case.where:
        code, sheet, cell = case.where
        if case.unreadable:   # an unreadable file: the one message names the cell
            assert f"{sheet}!{cell}" in entry["issues"][0]["message"], entry["issues"][0]["message"]
        else:
            assert any((i["code"], i["sheet"], i["cell"]) == (code, sheet, cell) for i in entry["issues"]), \
                [(i["code"], i["sheet"], i["cell"]) for i in entry["issues"]]


def _same(a, b) -> bool:
    if isinstance(a, pd.Timestamp):
        a = a.date()
    if isinstance(a, float) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


@pytest.mark.parametrize("name", case_names())
def test_case(corpus, name, tmp_path):
    case = corpus[name]
    path = str(case.path)
    before = sha256(case.path)
    listing = sorted(os.listdir(case.path.parent))
    runner = CliRunner()

    # validate: text, then JSON
    t = time.perf_counter()
    res = runner.invoke(main, ["validate", path, "--lang", "en"])
    record(name, "validate", time.perf_counter() - t)
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), res.exc_info
    assert res.exit_code == case.status, res.output
    res_json = runner.invoke(main, ["validate", path, "--format", "json", "--lang", "zh-CN"])
    assert res_json.exit_code == case.status
    _no_traceback(res.output, res_json.output)
    data = json.loads(res_json.stdout)
    assert [f["path"] for f in data["files"]] == [path]
    entry = data["files"][0]
    assert entry["unreadable"] is case.unreadable
    assert entry["valid"] is (case.status == 0)
    codes = _issue_codes(entry)
    assert set(case.codes) <= codes, codes
    assert not set(case.absent) & codes, codes
    english = json.loads(runner.invoke(main, ["validate", path, "--format", "json", "--lang", "en"]).stdout)["files"][0]
    _check_where(case, english, res.output)
    if case.unreadable:
        assert len(entry["issues"]) == 1 and entry["issues"][0]["code"] in FILE_CODES

    # the library: typed tables, or WorkbookFileError with the code and the path
    t = time.perf_counter()
    if case.unreadable:
        with pytest.raises(WorkbookFileError) as info:
            import_workbook(case.path, today=TODAY)
        assert info.value.code in case.codes and info.value.path == path
        assert "{" not in info.value.message
    else:
        result = import_workbook(case.path, today=TODAY)
        assert result.valid is (case.status == 0)
        for table, n in case.rows.items():
            assert len(result.tables[table]) == n, table
        for key, value in case.form.items():
            assert result.form[key] == value, key
        for spec, value in case.values.items():
            table, column, index = spec.rsplit(".", 2)
            got = result.tables[table][column].iloc[int(index)]
            assert _same(got, value), (spec, got, value)
    record(name, "import_api", time.perf_counter() - t)

    # import -o tmp.xlsx
    out = tmp_path / "tables.xlsx"
    t = time.perf_counter()
    res = runner.invoke(main, ["import", path, "-o", str(out), "--lang", "en"])
    record(name, "import", time.perf_counter() - t)
    assert res.exit_code == case.status, res.output
    _no_traceback(res.output)
    assert out.is_file()
    wb = openpyxl.load_workbook(out, read_only=True)
    issues = list(wb["_issues"].iter_rows(values_only=True))
    header = issues[0]
    out_codes = {row[header.index("code")] for row in issues[1:]}
    assert set(case.codes) <= out_codes
    assert all(row[header.index("file")] == path for row in issues[1:])
    wb.close()

    # the rollup API over the one file
    t = time.perf_counter()
    merger = rollup([path], options=Options(today=TODAY), jobs=1)
    record(name, "rollup", time.perf_counter() - t)
    counts = merger.counts()
    assert counts["found"] == 1 == sum(counts[s] for s in ("clean", "warnings", "errors", "rejected", "not_campaign"))
    frames = merger.frames()
    files = frames["files"]
    assert list(files["file"]) == [path]
    assert files["status"].iloc[0] in case.rollup_status
    if case.status == 2:
        assert files["code"].iloc[0] in case.codes
        assert len(frames["campaigns"]) == 0
    else:
        assert set(case.codes) <= set(frames["issues"]["code"])
        assert len(frames["campaigns"]) == 1

    for step, seconds in MEASURED[name].items():
        assert seconds < SECONDS, (step, seconds)
    assert sha256(case.path) == before, "the input was modified"
    assert sorted(os.listdir(case.path.parent)) == listing, "something was written beside the input"


@pytest.mark.parametrize("name", SUBPROCESS)
def test_case_in_a_subprocess_under_1_gib(corpus, name):
    """A real `python -m campaign_sheets validate` with RLIMIT_AS = 1 GiB: the documented exit
    status (not MemoryError, not a kill), no traceback on stderr."""
    case = corpus[name]
    before = sha256(case.path)
    plain = name not in HEAVY    # exactly `python -m campaign_sheets`; the heavy ones also measure their peak
    status, out, err, seconds, rss = run_cli(["validate", str(case.path), "--lang", "en"], limit_as=GIB,
                                             measure=not plain)
    record(name, "subprocess_validate", seconds)
    if rss is not None:
        record(name, "subprocess_peak_rss_mib", rss)
    else:
        assert plain
    assert status == case.status, (status, err[-2000:])
    _no_traceback(out, err)
    assert "MemoryError" not in err
    assert str(case.path) in out
    for code in case.codes:
        assert code in out
    assert seconds < SECONDS + 5   # + interpreter and pandas start-up
    assert rss is None or rss < 1024
    assert sha256(case.path) == before


def test_every_file_appears_in_a_multi_file_run(corpus, tmp_path):
    cases = list(corpus.values())
    paths = [str(c.path) for c in cases]
    runner = CliRunner()
    t = time.perf_counter()
    res = runner.invoke(main, ["validate", *paths, "--format", "json", "--lang", "en"])
    record("(all files)", "validate", time.perf_counter() - t)
    assert res.exit_code == 2
    _no_traceback(res.output)
    data = json.loads(res.stdout)
    assert [f["path"] for f in data["files"]] == paths
    by_path = {f["path"]: f for f in data["files"]}
    for c in cases:
        entry = by_path[str(c.path)]
        assert entry["unreadable"] is c.unreadable and entry["valid"] is (c.status == 0), c.name
        assert set(c.codes) <= _issue_codes(entry), c.name
    s = data["summary"]
    assert s["files"] == len(cases) == s["valid"] + s["with_errors"] + s["unreadable"]

    # the rollup over the folder (recursive: the file under "活动 数据/" is found too)
    folder = cases[0].path.parent
    assert sorted(collect([str(folder)])) == sorted(paths)
    t = time.perf_counter()
    # every file its own row (most cases are variants of one campaign, which are otherwise one campaign)
    merger = rollup([str(folder)], options=Options(today=TODAY), jobs=2, all_versions=True)
    record("(all files)", "rollup", time.perf_counter() - t)
    counts = merger.counts()
    assert counts["found"] == len(cases)
    assert counts["found"] == counts["clean"] + counts["warnings"] + counts["errors"] + counts["rejected"] + \
        counts["not_campaign"] and counts["superseded"] == 0
    files = merger.frames()["files"]
    assert sorted(files["file"]) == sorted(paths)
    status = dict(zip(files["file"], files["status"]))
    for c in cases:
        assert status[str(c.path)] in c.rollup_status, c.name
    assert counts["rejected"] == sum(c.unreadable for c in cases)
    assert counts["not_campaign"] == sum(c.status == 2 and not c.unreadable for c in cases)
    assert counts["errors"] == sum(c.status == 1 for c in cases)


def test_rollup_cli_over_the_corpus_lists_every_file(corpus, tmp_path):
    folder = next(iter(corpus.values())).path.parent
    before = {str(c.path): sha256(c.path) for c in corpus.values()}
    out = tmp_path / "portfolio.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "-j", "2", "-q", "--lang", "en",
                                    "--today", TODAY.isoformat()])
    assert res.exit_code == 2, res.output      # some files were unreadable or no campaign workbook
    _no_traceback(res.output)
    found = re.search(r"(\d+) files found = (\d+) clean \+ (\d+) with warnings \+ (\d+) with errors \+ (\d+) unreadable"
                      r" \+ (\d+) not campaign workbooks \+ (\d+) superseded", res.output)
    assert found, res.output
    n, *states = map(int, found.groups())
    assert n == len(corpus) == sum(states)
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = list(wb["Files"].iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == sorted(before)
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row
               if hasattr(c, "data_type"))
    wb.close()
    assert {p: sha256(Path(p)) for p in before} == before


@pytest.mark.parametrize("name", case_names())
def test_the_checked_copy_holds_the_file_s_parts(corpus, name):
    """What the reader parses is the file's parts, byte for byte, under their names and in their
    order, and nothing else (for every case the check lets through)."""
    case = corpus[name]
    try:
        book = check_file(case.path)
    except WorkbookFileError as err:
        assert case.status == 2 and err.code in case.codes
        return
    if book.format == "xls":   # an OLE2 file: its bytes are the book, parsed only in a child process
        assert book.data == case.path.read_bytes() and not book.spans
        return
    with zipfile.ZipFile(case.path) as original, zipfile.ZipFile(io.BytesIO(book.data)) as copy:
        assert copy.namelist() == original.namelist()
        assert all(copy.getinfo(n).compress_type == zipfile.ZIP_STORED for n in copy.namelist())
        for n in original.namelist():
            assert copy.read(n) == original.read(n) == book.part(n), n
