"""Safe outputs: a killed rollup leaves the previous output intact; sheet names from data are
Excel-safe; text that looks like a formula never becomes one (xlsx) and is '-prefixed (CSV)."""
from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from click.testing import CliRunner

from campaign_sheets.cli import main
from campaign_sheets.outputs import FORMULA_START, csv_safe, sheet_names, write_tables
from campaign_sheets.portfolio.book import write_rollup_xlsx
from campaign_sheets.portfolio.run import Options, rollup

from .conftest import ROOT, TODAY, sha256
from .make_corpus import INJECTION

# ------------------------------------------------------------------------------------------ killed rollup


@pytest.fixture(scope="module")
def thirty(corpus, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("thirty")
    for i in range(15):
        shutil.copyfile(corpus["clean-zh"].path, folder / f"zh-{i:02d}.xlsx")
        shutil.copyfile(corpus["clean-en"].path, folder / f"en-{i:02d}.xlsx")
    return folder


def _previous_output(path: Path) -> bytes:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("files").write_string(0, 0, "the previous rollup")
    wb.close()
    return path.read_bytes()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:   # renamed onto out.xlsx meanwhile
        return 0


def _temps(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder) if n != "out.xlsx"]


@pytest.mark.parametrize("when", ["during-write", "after-1.5s"])
def test_rollup_killed_mid_run_leaves_the_previous_output_intact(thirty, tmp_path, when):
    """SIGKILL (no clean-up handler can run) either while the output is being written or while the
    files are being read. The output is written to a hidden temp file ('.~XXXX.xlsx') beside it and
    renamed onto out.xlsx only when complete, so out.xlsx keeps its previous bytes.

    Documented behaviour: after a SIGKILL the hidden temp file may be left behind (nothing can
    remove it); it never has the output's name, and the next run writes out.xlsx normally."""
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "out.xlsx"
    previous = _previous_output(out)
    inputs = {p: sha256(p) for p in thirty.iterdir()}
    jobs = "1" if when == "during-write" else "2"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # --force: the previous output here is a stand-in, not a rollup's own output (see test_never_overwrite)
    p = subprocess.Popen([sys.executable, "-m", "campaign_sheets", "rollup", str(thirty), "-o", str(out), "-j", jobs,
                          "-q", "--today", TODAY.isoformat(), "--force"], env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)   # its own group: workers die too
    t0 = time.perf_counter()
    seen = None
    killed_during_write = False
    try:
        while p.poll() is None:
            now = time.perf_counter() - t0
            temps = _temps(outdir)
            if when == "during-write":
                if temps and seen is None:
                    seen = now
                if temps and (now - seen > 0.05 or _size(outdir / temps[0]) > 0):
                    killed_during_write = True   # the temp file exists (and is being filled)
                    break
            elif now >= 1.5 or temps:   # ~1.5 s in (reading files), or earlier on a fast machine
                break
            assert now < 120, "the rollup did not get to its write in 2 minutes"
            time.sleep(0.001)
        assert p.poll() is None, "the rollup finished before it could be killed"
        os.killpg(p.pid, signal.SIGKILL)
    finally:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.wait(30)
    assert p.returncode == -signal.SIGKILL
    if when == "during-write":
        assert killed_during_write
    assert out.read_bytes() == previous, "out.xlsx was changed by a killed run"
    left = _temps(outdir)
    assert all(n.startswith(".~") and n.endswith(".xlsx") for n in left), left   # hidden temps only
    assert {p: sha256(p) for p in thirty.iterdir()} == inputs
    if when == "during-write":
        # a later run over the same folder completes and replaces out.xlsx despite the leftover
        res = CliRunner().invoke(main, ["rollup", str(thirty), "-o", str(out), "-j", "2", "-q", "--lang", "en",
                                        "--today", TODAY.isoformat(), "--force"])
        assert res.exit_code == 0, res.output
        files = list(openpyxl.load_workbook(out, read_only=True)["Files"].iter_rows(values_only=True))
        assert len(files) == 31
        assert _temps(outdir) == left   # the new run cleaned up its own temp file; the old one stays


# ------------------------------------------------------------------------------------------ sheet names

HOSTILE_KEYS = [
    "a" * 40, "x[1]:*?/\\y", "Budget", "budget", "BUDGET", "'quoted'", "''", "", "   ", "a" * 30 + "''b",
    "a" * 29 + "'" * 5, "'" * 40, "a\x00b", "a\x01b\x1f", "tab\there", "line\nbreak", "é" * 40, "预算" * 20,
    "a" * 31, "a" * 32, "a" * 33, "[]", ":", "/", "\\", "*?", "=SUM(A1)", "@x", "-1", "+1", "History", "Sheet",
    "Sheet~2", "😀" * 20,
]
_BAD = set("[]:*?/\\")


def _check_names(keys: list[str]) -> dict[str, str]:
    names = sheet_names(keys)
    assert set(names) == set(keys)
    for key, name in names.items():
        assert name and len(name.encode("utf-16-le")) <= 62, (key, name)   # Excel counts UTF-16 units
        assert not _BAD & set(name), (key, name)
        assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in name), (key, name)
        assert not name.startswith("'") and not name.endswith("'"), (key, name)
    lowered = [n.lower() for n in names.values()]
    assert len(set(lowered)) == len(lowered), names          # Excel compares names ignoring case
    return names


def test_sheet_names_are_excel_safe_and_unique(tmp_path):
    rng = random.Random(5)
    alphabet = "ab'[]:*?/\\ \t\x00\x07预算é😀~2"
    keys = list(dict.fromkeys([*HOSTILE_KEYS, *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 45)))
                                                for _ in range(300))]))
    names = list(_check_names(keys).values())
    # xlsxwriter validates every name; openpyxl reads them back unchanged
    path = tmp_path / "names.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in names:
        wb.add_worksheet(name)
    wb.close()
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == names


def test_frames_with_hostile_keys_are_written(tmp_path):
    frames = {key: pd.DataFrame({"v": [1]}) for key in HOSTILE_KEYS}
    write_tables(frames, tmp_path / "out.xlsx")
    got = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).sheetnames
    assert got == list(sheet_names(HOSTILE_KEYS).values())
    written = write_tables(frames, tmp_path / "csv", "csv")
    # no key escapes the folder. (File names are made per key, so keys that sanitise alike, such as
    # '/' and ':', share a file; table keys are identifiers ([a-z][a-z0-9_]*), so only the API can.)
    assert all(p.parent == tmp_path / "csv" and p.suffix == ".csv" for p in written)
    assert sorted(os.listdir(tmp_path / "csv")) == sorted({p.name for p in written})


# ------------------------------------------------------------------------------------------ formula injection

def _no_formulas(path: Path) -> list[str]:
    """Every string value of an xlsx, asserting that not one cell is a formula."""
    wb = openpyxl.load_workbook(path)   # not read-only: data_type 'f' is reported for formula cells
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (path.name, ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
    return texts


def _csv_fields(folder: Path) -> list[str]:
    """Every CSV field; any field starting like a formula must be a number (e.g. -15000)."""
    fields = []
    for p in sorted(folder.glob("*.csv")):
        with open(p, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for v in row:
                    if v.startswith(FORMULA_START):
                        try:
                            float(v)
                        except ValueError:
                            pytest.fail(f"{p.name}: {v!r} would run as a formula")
                    fields.append(v)
    return fields


CLEANED = {v.strip() for v in INJECTION}    # the importer trims leading tab / CR / LF, leaving '=1+1'


def test_import_outputs_never_hold_formulas(corpus, tmp_path):
    src = corpus["injection-payloads"].path
    before = sha256(src)
    runner = CliRunner()
    res = runner.invoke(main, ["import", str(src), "-o", str(tmp_path / "t.xlsx"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    texts = set(_no_formulas(tmp_path / "t.xlsx"))
    assert CLEANED <= texts, CLEANED - texts
    res = runner.invoke(main, ["import", str(src), "-o", str(tmp_path / "csv"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    fields = set(_csv_fields(tmp_path / "csv"))
    assert {"'" + v for v in CLEANED} <= fields
    res = runner.invoke(main, ["import", str(src), "-o", str(tmp_path / "t.json"), "--lang", "en"])
    assert res.exit_code == 0
    items = [r["item"] for r in json.loads((tmp_path / "t.json").read_text("utf-8"))["tables"]["budget"]]
    assert set(items) >= CLEANED     # JSON keeps the text as it is
    assert sha256(src) == before


def test_rollup_outputs_never_hold_formulas(corpus, tmp_path):
    src = corpus["injection-payloads"].path
    runner = CliRunner()
    res = runner.invoke(main, ["rollup", str(src), "-o", str(tmp_path / "r.xlsx"), "-j", "1", "-q", "--lang", "en",
                               "--today", TODAY.isoformat()])
    assert res.exit_code == 0, res.output
    texts = set(_no_formulas(tmp_path / "r.xlsx"))
    assert INJECTION[0] in texts                      # the campaign name, in the campaigns table
    assert CLEANED <= texts, CLEANED - texts          # task deliverables, risk descriptions
    res = runner.invoke(main, ["rollup", str(src), "-o", str(tmp_path / "rc"), "--format", "csv", "-j", "1", "-q",
                               "--today", TODAY.isoformat()])
    assert res.exit_code == 0, res.output
    fields = set(_csv_fields(tmp_path / "rc"))
    assert "'" + INJECTION[0] in fields and {"'" + v for v in CLEANED} <= fields


def test_writers_escape_every_formula_start(tmp_path):
    """Straight through the writers, with the raw payloads (tab, CR and LF starts included)."""
    payloads = INJECTION + ["=1", "+1", "-1+1", "@A1", "\t=1", "\r=1", "\n=1", "\r\n=1"]
    frame = pd.DataFrame({"text": payloads, "=header": payloads})
    write_tables({"t": frame}, tmp_path / "w.xlsx")
    as_read = {p.replace("\r\n", "\n").replace("\r", "\n") for p in payloads}   # XML turns CR into LF
    assert as_read <= set(_no_formulas(tmp_path / "w.xlsx"))
    write_tables({"t": frame}, tmp_path / "csv", "csv")
    fields = _csv_fields(tmp_path / "csv")
    assert "'=header" in fields and all("'" + p in fields for p in payloads)
    assert all(csv_safe(p) == "'" + p for p in payloads)
    frames = rollup([], options=Options(today=TODAY)).frames()
    frames["campaigns"] = pd.DataFrame({"campaign_id": payloads, "name": payloads, "attainment": [0.5] * len(payloads)})
    frames["issues"] = pd.DataFrame({"file": payloads, "message": payloads})
    write_rollup_xlsx(frames, {"found": 0}, tmp_path / "r.xlsx", today=TODAY)
    assert as_read <= set(_no_formulas(tmp_path / "r.xlsx"))


def test_rollup_table_with_extra_columns_differing_only_in_case(tmp_path):
    frames = rollup([], options=Options(today=TODAY)).frames()
    frames["risks"] = pd.DataFrame({"campaign_id": ["c"], "extra:Extra": ["v"], "extra:extra": ["w"]})
    write_rollup_xlsx(frames, {"found": 0}, tmp_path / "r.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)["Risks"]
    assert next(ws.iter_rows(values_only=True))[:3] == ("Campaign ID", "extra:Extra", "extra:extra (2)")


def test_last_excel_date_survives_into_the_import_tables(corpus, tmp_path):
    import datetime as dt
    import re as _re

    from campaign_sheets.read.importer import import_workbook

    from .make_corpus import rewrite_zip, sheet_part

    src = corpus["clean-zh"].path
    part = sheet_part(src, "进度计划")
    path = rewrite_zip(src, tmp_path / "9999.xlsx", patch={
        part: lambda d: _re.sub(rb'(<c r="E6"[^>]*><v>)[^<]*(</v>)', rb"\g<1>2958465\g<2>", d, count=1)})
    result = import_workbook(path, today=TODAY)
    assert result.records["tasks"][0]["start"] == dt.date(9999, 12, 31)      # right
    start = result.tables["tasks"]["start"].iloc[0]
    assert start.date() == dt.date(9999, 12, 31), start


# ------------------------------------------------------------------------------------------ every output format

@pytest.mark.parametrize("fmt", ["parquet", "csv", "json", "xlsx"])
def test_import_of_the_whole_corpus_completes_in_every_format(corpus, tmp_path, fmt):
    """Every hostile file at once (their tables concatenated: the most mixing of kinds), in every
    format: no traceback, every file accounted for, inputs untouched. Parquet writes a column that
    mixes text and numbers as text (`_issues.value` of the worked example did crash it)."""
    files = [str(c.path) for c in corpus.values()]
    before = {f: sha256(Path(f)) for f in files if Path(f).is_file()}
    target = tmp_path / ("all.xlsx" if fmt == "xlsx" else "all")
    res = CliRunner().invoke(main, ["import", *files, "-o", str(target), "--lang", "en",
                                    *([] if fmt == "xlsx" else ["--format", fmt])])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == 2, res.output   # some files cannot be read
    assert target.exists()
    if fmt == "parquet":
        campaigns = pd.read_parquet(target / "campaign.parquet")
        assert len(campaigns) == len(files)
        issues = pd.read_parquet(target / "_issues.parquet")
        assert set(issues["file"]) == set(files) - {str(c.path) for c in corpus.values() if c.status == 0
                                                    and not c.codes}
        assert str(issues["value"].dtype) == "string"
    assert {f: sha256(Path(f)) for f in before} == before


def test_import_to_parquet_of_each_corpus_file_completes(corpus, tmp_path):
    """One file at a time too: a column of one file alone can mix kinds (the messy-values workbook's)."""
    runner = CliRunner()
    for case in corpus.values():
        target = tmp_path / case.name
        res = runner.invoke(main, ["import", str(case.path), "-o", str(target), "--format", "parquet", "--lang", "en"])
        assert res.exception is None or isinstance(res.exception, SystemExit), (case.name, repr(res.exception))
        assert res.exit_code in (0, 1, 2) and (target / "_issues.parquet").is_file(), (case.name, res.output)
        assert not [n for n in os.listdir(tmp_path) if n.startswith(".~")], case.name   # no temporary folder left
    messy = pd.read_parquet(tmp_path / "messy-values" / "budget.parquet")
    assert list(messy["planned"][:1]) == [45000]
