"""Never overwrite work: every command that writes refuses an existing output that is not its own
earlier output (exit 2, the bytes untouched) unless --force, and a filled campaign workbook unless
--force --discard-data. Folder outputs are all files or none. Outputs never crash on mixed types."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from campaign_sheets import outputs
from campaign_sheets.cli import main
from campaign_sheets.errors import OutputExists, OutputHoldsData
from campaign_sheets.outputs import MANIFEST, check_overwrite, filled_campaign, text_if_mixed, write_tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx")) + sorted((ROOT / "samples" / "scenarios").glob("*.xlsx"))
EXAMPLE = ROOT / "samples" / "campaign-example.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) and its sha256."""
    return {str(p.relative_to(folder)): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def filled(tmp_path) -> Path:
    """A team's filled workbook where `build` writes by default."""
    target = tmp_path / "campaign.xlsx"
    shutil.copyfile(EXAMPLE, target)
    return target


# ------------------------------------------------------------------------------------------ build

@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_build_leaves_a_filled_workbook_untouched_with_and_without_force(filled, lang):
    before = sha(filled)
    res = run("build", "--lang", lang, "-o", filled)
    assert res.exit_code == 2, res.output
    assert sha(filled) == before
    # it names the file, what it holds and how to proceed
    assert str(filled) in res.output and "2026-UG-018" in res.output and "127" in res.output
    assert "--force --discard-data" in res.output and "-o" in res.output
    assert ("rows of data" if lang == "en" else "行数据") in res.output
    res = run("build", "--lang", lang, "-o", filled, "--force")
    assert res.exit_code == 2, res.output
    assert sha(filled) == before and "--discard-data" in res.output
    res = run("build", "--lang", lang, "-o", filled, "--discard-data")   # without --force: not enough
    assert res.exit_code == 2 and sha(filled) == before


def test_build_force_discard_data_replaces_a_filled_workbook(filled):
    res = run("build", "-o", filled, "--force", "--discard-data")
    assert res.exit_code == 0, res.output
    assert filled_campaign(filled) is None   # now the empty template


def test_build_default_output_is_protected_too(filled, monkeypatch):
    monkeypatch.chdir(filled.parent)
    before = sha(filled)
    res = run("build")   # writes campaign.xlsx by default (campaign-en.xlsx in English)
    assert res.exit_code == 2 and sha(filled) == before
    assert "campaign.xlsx" in res.output and "已填写" in res.output


def test_build_over_an_empty_template_needs_force(tmp_path):
    target = tmp_path / "campaign.xlsx"
    assert run("build", "--lang", "en", "-o", target).exit_code == 0
    before = sha(target)
    res = run("build", "-o", target)   # zh-CN this time: different bytes if it were written
    assert res.exit_code == 2, res.output
    assert sha(target) == before and "--force" in res.output and "--discard-data" not in res.output
    res = run("build", "-o", target, "--force")
    assert res.exit_code == 0, res.output
    assert sha(target) != before and filled_campaign(target) is None


def test_build_over_another_file_needs_force(tmp_path):
    target = tmp_path / "notes.xlsx"
    target.write_text("not a workbook")
    res = run("build", "-o", target, "--lang", "en")
    assert res.exit_code == 2 and target.read_text() == "not a workbook"
    assert "already exists" in res.output and "--force" in res.output
    assert run("build", "-o", target, "--force").exit_code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_a_folder_is_never_replaced_by_a_file(tmp_path):
    target = tmp_path / "campaign.xlsx"
    target.mkdir()
    res = run("build", "-o", target, "--force", "--discard-data", "--lang", "en")
    assert res.exit_code == 2 and target.is_dir() and "is a folder" in res.output


def test_the_rule_in_one_place_raises_stable_codes(filled, tmp_path):
    with pytest.raises(OutputHoldsData) as err:
        check_overwrite(filled, force=True)
    assert err.value.code == "output-holds-data" and err.value.exit_code == 2
    assert "2026-UG-018" in err.value.text("zh-CN") and "127" in err.value.text("en")
    other = tmp_path / "x.txt"
    other.write_text("x")
    with pytest.raises(OutputExists) as err:
        check_overwrite(other)
    assert err.value.code == "output-exists" and not isinstance(err.value, OutputHoldsData)
    assert check_overwrite(other, force=True).what == "other"
    assert check_overwrite(tmp_path / "nothing.xlsx") is None
    (tmp_path / "empty").mkdir()
    assert check_overwrite(tmp_path / "empty", "import", folder=True).what == "empty"


def test_filled_means_data_beyond_what_the_template_starts_with():
    assert filled_campaign(ROOT / "samples" / "campaign.xlsx") is None      # 6 prefilled KPI rows, no data
    assert filled_campaign(ROOT / "samples" / "campaign-en.xlsx") is None
    name, rows = filled_campaign(EXAMPLE)
    assert name.startswith("2026-UG-018") and rows == 127   # 128 rows, one KPI row without figures
    assert filled_campaign(ROOT / "README.md") is None


# ------------------------------------------------------------------------------------------ import, rollup, brief...

@pytest.mark.parametrize("out,fmt", [("t.xlsx", None), ("t.json", None), ("csv", "csv"), ("pq", "parquet"),
                                     ("js", "json")])
def test_import_replaces_its_own_earlier_output_but_nothing_else(tmp_path, out, fmt):
    target = tmp_path / out
    args = ["import", EXAMPLE, "-o", target, "--lang", "en", *(["--format", fmt] if fmt else [])]
    assert run(*args).exit_code == 0
    res = run(*args)
    assert res.exit_code == 0, res.output   # its own earlier output
    if target.is_dir():
        manifest = json.loads((target / MANIFEST).read_text("utf-8"))
        assert manifest["kind"] == "import" and set(manifest["files"]) | {MANIFEST} == set(os.listdir(target))
        (target / "mine.txt").write_text("an analyst's notes")   # no longer only the command's own files
        before = tree(target)
        res = run(*args)
        assert res.exit_code == 2 and tree(target) == before and "--force" in res.output
        assert run(*args, "--force").exit_code == 0 and not (target / "mine.txt").exists()
    # another command's output of the same name is not the import's own
    other = tmp_path / ("other" + Path(out).suffix)
    if out == "t.xlsx":
        assert run("rollup", EXAMPLE, "-o", other, "-q", "--lang", "en").exit_code in (0, 1)
        before = sha(other)
        res = run("import", EXAMPLE, "-o", other, "--lang", "en")
        assert res.exit_code == 2 and sha(other) == before


def test_import_over_a_filled_workbook_or_a_folder_of_them(tmp_path, filled):
    before = sha(filled)
    for extra in ([], ["--force"]):
        res = run("import", ROOT / "samples" / "campaign-en.xlsx", "-o", filled, "--lang", "en", *extra)
        assert res.exit_code == 2 and sha(filled) == before and "2026-UG-018" in res.output
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(EXAMPLE, folder / "team-a.xlsx")
    (folder / "readme.txt").write_text("x")
    before = tree(folder)
    res = run("import", ROOT / "samples" / "campaign-en.xlsx", "-o", folder, "--force", "--lang", "en")
    assert res.exit_code == 2 and tree(folder) == before
    assert "team-a.xlsx" in res.output and "--discard-data" in res.output
    res = run("import", ROOT / "samples" / "campaign-en.xlsx", "-o", folder, "--force", "--discard-data")
    assert res.exit_code in (0, 1, 2) and res.exception is None or isinstance(res.exception, SystemExit)
    assert not (folder / "team-a.xlsx").exists() and (folder / MANIFEST).exists()


def test_a_folder_output_never_holds_an_input(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    src = folder / "a.xlsx"
    shutil.copyfile(EXAMPLE, src)
    res = run("import", src, "-o", folder, "--force", "--discard-data", "--lang", "en")
    assert res.exit_code == 2 and src.exists() and "holds the input" in res.output


def test_rollup_replaces_its_own_earlier_output(tmp_path):
    for out, fmt in (("r.xlsx", []), ("rj", ["--format", "json"]), ("rc", ["--format", "csv"])):
        args = ["rollup", EXAMPLE, "-o", tmp_path / out, "-q", "--lang", "en", "--today", "2026-06-20", *fmt]
        assert run(*args).exit_code in (0, 1)
        res = run(*args)
        assert res.exit_code in (0, 1) and "exists" not in res.output, res.output
    other = tmp_path / "other.xlsx"
    shutil.copyfile(EXAMPLE, other)
    before = sha(other)
    res = run("rollup", ROOT / "samples" / "campaign-example-en.xlsx", "-o", other, "-q", "--force")
    assert res.exit_code == 2 and sha(other) == before


def test_brief_replaces_earlier_briefs_only(tmp_path):
    for fmt in ("md", "html", "json"):
        target = tmp_path / f"b.{fmt}"
        args = ["brief", EXAMPLE, "--date", "2026-06-20", "--format", fmt, "-o", target, "--lang", "en"]
        assert run(*args).exit_code == 0
        assert run(*args).exit_code == 0, fmt   # an earlier brief
        target.write_text("my notes")
        res = run(*args)
        assert res.exit_code == 2 and target.read_text() == "my notes" and "--force" in res.output
        assert run(*args, "--force").exit_code == 0 and target.read_text() != "my notes"


def test_annotated_copies_and_schemas_replace_their_own(tmp_path):
    bad = tmp_path / "in" / "plan.xlsx"
    bad.parent.mkdir()
    shutil.copyfile(EXAMPLE, bad)   # has warnings, so an annotated copy is written
    out = tmp_path / "marked"
    for _ in range(2):
        res = run("validate", bad, "--annotate", out, "--lang", "en")
        assert res.exit_code in (0, 1) and "plan.annotated.xlsx" in res.output, res.output
    copy = out / "plan.annotated.xlsx"
    shutil.copyfile(EXAMPLE, copy)   # someone saved a filled workbook under that name
    before = sha(copy)
    res = run("validate", bad, "--annotate", out, "--lang", "en")
    assert res.exit_code == 2 and sha(copy) == before and "--discard-data" in res.output
    schema = tmp_path / "schema.json"
    assert run("spec", "schema", "-o", schema).exit_code == 0
    assert run("spec", "schema", "-o", schema).exit_code == 0
    schema.write_text("{}")
    assert run("spec", "schema", "-o", schema).exit_code == 2 and schema.read_text() == "{}"


# ------------------------------------------------------------------------------------------ atomic folders

def _flaky_writer(monkeypatch, fail_at: int) -> None:
    """The Parquet writer raises on its `fail_at`-th table, as a full disk or a bug would."""
    real = outputs.FOLDER_WRITERS["parquet"]
    calls = {"n": 0}

    def write(frame, path):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        real[1](frame, path)

    monkeypatch.setitem(outputs.FOLDER_WRITERS, "parquet", (real[0], write))


def test_an_interrupted_folder_output_leaves_the_old_folder_intact(tmp_path, monkeypatch):
    target = tmp_path / "tables"
    args = ["import", EXAMPLE, "-o", target, "--format", "parquet", "--lang", "en"]
    assert run(*args).exit_code == 0
    before = tree(target)
    assert len(before) == 21   # 19 tables, campaign and _issues... and the manifest
    _flaky_writer(monkeypatch, fail_at=5)
    res = run(*args)
    assert res.exit_code != 0
    assert tree(target) == before
    assert sorted(os.listdir(tmp_path)) == ["tables"]   # no temporary folder left beside it


def test_an_interrupted_first_folder_output_leaves_no_folder(tmp_path, monkeypatch):
    _flaky_writer(monkeypatch, fail_at=3)
    frames = {k: pd.DataFrame({"v": [1, 2]}) for k in "abcde"}
    with pytest.raises(OSError):
        write_tables(frames, tmp_path / "out", "parquet")
    assert os.listdir(tmp_path) == []


def test_a_folder_output_is_complete_when_it_appears(tmp_path):
    frames = {k: pd.DataFrame({"v": [1, 2]}) for k in "abc"}
    written = write_tables(frames, tmp_path / "out", "csv", kind="import")
    assert sorted(p.name for p in written) == ["a.csv", "b.csv", "c.csv"]
    assert sorted(os.listdir(tmp_path / "out")) == [MANIFEST, "a.csv", "b.csv", "c.csv"]
    written = write_tables(frames, tmp_path / "plain", "csv")   # no kind (the portal's export): no manifest
    assert sorted(os.listdir(tmp_path / "plain")) == ["a.csv", "b.csv", "c.csv"]


# ------------------------------------------------------------------------------------------ mixed types

def test_a_column_mixing_kinds_is_written_as_text_with_the_original_values(tmp_path):
    frame = pd.DataFrame({
        "value": pd.Series([15000.0, "about 5k", None, 0.08, dt.date(2026, 6, 1), True, 7], dtype=object),
        "number": pd.Series([1.5, None, 2.0, 3.0, 4.0, 5.0, 6.0], dtype=object),
        "text": pd.Series(["a", None, "b", "c", "d", "e", "f"], dtype=object),
    })
    fixed = text_if_mixed(frame)
    assert list(fixed["value"]) == ["15000", "about 5k", pd.NA, "0.08", "2026-06-01", "TRUE", "7"]
    assert fixed["number"] is frame["number"] or list(fixed["number"]) == list(frame["number"])
    assert fixed["number"].dtype == object and fixed["text"].dtype == object   # one kind each: left as they are
    write_tables({"t": frame}, tmp_path / "pq", "parquet")
    back = pd.read_parquet(tmp_path / "pq" / "t.parquet")
    assert list(back["value"].astype(object).where(back["value"].notna(), None)) == \
        ["15000", "about 5k", None, "0.08", "2026-06-01", "TRUE", "7"]
    assert back["number"].dtype == "float64"
    # xlsx and JSON keep each cell's own type; CSV is text anyway
    write_tables({"t": frame}, tmp_path / "t.json")
    rows = json.loads((tmp_path / "t.json").read_text("utf-8"))["tables"]["t"]
    assert [r["value"] for r in rows] == [15000.0, "about 5k", None, 0.08, "2026-06-01", True, 7]
    write_tables({"t": frame}, tmp_path / "t.xlsx")
    write_tables({"t": frame}, tmp_path / "csv", "csv")


def test_infinite_numbers_do_not_break_xlsx_or_json(tmp_path):
    frame = pd.DataFrame({"v": pd.Series([float("inf"), 1.0, float("-inf")], dtype=object)})
    write_tables({"t": frame}, tmp_path / "t.xlsx")
    write_tables({"t": frame}, tmp_path / "t.json")
    assert json.loads((tmp_path / "t.json").read_text("utf-8"))["tables"]["t"][0]["v"] is None


@pytest.mark.parametrize("fmt", ["parquet", "csv", "json", "xlsx"])
def test_import_of_every_sample_completes_in_every_format(tmp_path, fmt):
    assert len(SAMPLES) >= 9
    for src in SAMPLES:
        target = tmp_path / (f"{src.stem}.xlsx" if fmt == "xlsx" else f"{src.stem}-{fmt}")
        extra = [] if fmt == "xlsx" else ["--format", fmt]
        res = run("import", src, "-o", target, "--lang", "en", *extra)
        assert (res.exception is None or isinstance(res.exception, SystemExit)) and res.exit_code in (0, 1, 2), \
            (src.name, res.output, res.exception)
        assert target.exists(), (src.name, res.output)
        if fmt == "parquet":
            issues = pd.read_parquet(target / "_issues.parquet")
            assert len(issues) == len(json.loads(run("validate", src, "--format", "json").output)["files"][0]["issues"])


def test_a_folder_of_folders_or_the_working_folder_is_never_replaced_whole(tmp_path, monkeypatch):
    folder = tmp_path / "projects"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "plan.txt").write_text("x")
    (folder / "notes.txt").write_text("y")
    before = tree(folder)
    res = run("import", EXAMPLE, "-o", folder, "--format", "csv", "--force", "--discard-data", "--lang", "en")
    assert res.exit_code == 2 and tree(folder) == before and "never replaced whole" in res.output
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "notes.txt").write_text("y")
    monkeypatch.chdir(flat)
    res = run("import", EXAMPLE, "-o", ".", "--format", "csv", "--force", "--discard-data", "--lang", "en")
    assert res.exit_code == 2 and (flat / "notes.txt").read_text() == "y"
    monkeypatch.chdir(tmp_path)   # from elsewhere: replaced, as asked
    res = run("import", EXAMPLE, "-o", flat, "--format", "csv", "--force")
    assert res.exit_code == 0 and not (flat / "notes.txt").exists()
