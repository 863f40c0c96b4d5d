"""Issue 18 in the rollup: one campaign is one current state (copies are superseded, never summed),
files that are no campaign workbook are counted apart (exit 2), the data's date beside the date asked
for, and a closed campaign's tasks judged at its end. Expected figures come from the spec's example
rows and from openpyxl, not from the importer."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets.cli import main
from campaign_sheets.portfolio.run import Options, collect, rollup
from campaign_sheets.spec.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "samples" / "campaign-example.xlsx"
SCENARIO = sorted((ROOT / "samples" / "scenarios").glob("*.xlsx"))[0]
OPEN_DAY = dt.date(2026, 6, 20)        # the example runs 1-30 Jun 2026, figures to 20 Jun
CLOSED_DAY = dt.date(2026, 12, 8)      # long after its end


def example_budget() -> float:
    """The example's planned budget, from the spec's example rows (what the sample was built from)."""
    return float(sum(r.get("planned") or 0 for r in load_spec("campaign").spec.table("budget").example))


def example_last_kpi_day() -> dt.date:
    """The example's last day with a KPI figure, read with openpyxl from the KPI tracker."""
    wb = openpyxl.load_workbook(EXAMPLE, data_only=True)
    days = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row[:1]
            if isinstance(c, dt.datetime) and c.year == 2026 and any(isinstance(v, (int, float)) for v in row[2:])]
    return max(days).date()


def two_copies(folder: Path, *extra: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / "a-v1.xlsx", folder / "b-v2.xlsx"]
    for p in out:
        shutil.copy(EXAMPLE, p)
    for p in extra:
        shutil.copy(p, folder / p.name)
    return out


def check_one_campaign(merger, a: Path, b: Path, n_campaigns: int = 1) -> None:
    frames, counts = merger.frames(lang="en"), merger.counts()
    c = frames["campaigns"]
    assert len(c) == n_campaigns and counts["campaigns"] == n_campaigns and counts["superseded"] == 1
    row = c[c["campaign_id"] == "2026-UG-018"]
    assert len(row) == 1 and row["source_file"].iloc[0] == str(b)          # same data date: the later file
    assert row["budget_planned"].iloc[0] == pytest.approx(example_budget())
    assert (frames["budget"]["campaign_id"] == "2026-UG-018").sum() == len(load_spec("campaign").spec.table("budget").example)
    files = frames["files"].set_index("file")
    assert files.loc[str(a), "status"] == "superseded" and files.loc[str(a), "code"] == "campaign-duplicate"
    assert files.loc[str(b), "status"] == "warnings"
    dup = frames["issues"][frames["issues"]["code"] == "campaign-duplicate"]
    assert list(dup["file"]) == [str(a)] and list(dup["severity"]) == ["warning"]
    assert str(a) in dup["message"].iloc[0] and str(b) in dup["message"].iloc[0]
    # the superseded copy's own issues are not listed twice
    assert set(frames["issues"].loc[frames["issues"]["code"] != "campaign-duplicate", "file"]) <= {str(b), *(
        f for f in files.index if f not in (str(a), str(b)))}
    assert counts["found"] == sum(counts[k] for k in ("clean", "warnings", "errors", "rejected", "not_campaign", "superseded"))


def test_two_copies_are_one_campaign_in_the_process_pool(tmp_path):
    a, b = two_copies(tmp_path / "in", SCENARIO)
    merger = rollup([str(tmp_path / "in")], options=Options(today=OPEN_DAY), jobs=2)   # 3 files: the pool path
    check_one_campaign(merger, a, b, n_campaigns=2)
    # the scenario's own campaign is untouched by the duplicate rule
    assert merger.frames()["campaigns"]["budget_planned"].sum() > example_budget()


def test_two_copies_are_one_campaign_through_the_cache(tmp_path):
    a, b = two_copies(tmp_path / "in")
    options = Options(today=OPEN_DAY, cache=str(tmp_path / "cache"))
    first = rollup([str(tmp_path / "in")], options=options, jobs=1)
    assert list((tmp_path / "cache").rglob("*.pickle"))
    again = rollup([str(tmp_path / "in")], options=options, jobs=1)   # both summaries from the cache
    for merger in (first, again):
        check_one_campaign(merger, a, b)


def test_the_current_file_is_the_one_with_the_latest_data_not_the_later_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    newer, older = folder / "a-has-more-days.xlsx", folder / "z-stale.xlsx"
    shutil.copy(EXAMPLE, newer)
    last = example_last_kpi_day()
    wb = openpyxl.load_workbook(EXAMPLE)   # the stale copy: its last KPI day not entered yet
    emptied = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            if isinstance(row[0].value, dt.datetime) and row[0].value.date() == last:
                for cell in row[2:]:
                    if isinstance(cell.value, (int, float)):
                        cell.value, emptied = None, emptied + 1
    assert emptied
    wb.save(older)
    merger = rollup([str(folder)], options=Options(today=OPEN_DAY), jobs=1)
    c = merger.frames()["campaigns"]
    assert list(c["source_file"]) == [str(newer)]
    assert c["data_as_of"].iloc[0] == last and c["today"].iloc[0] == OPEN_DAY
    why = merger.superseded[str(older)]
    assert why.current == str(newer) and why.date == last - dt.timedelta(days=1) and why.current_date == last
    assert last.isoformat() in merger.duplicate_message(str(older), "en")


def _saved(src: Path, dst: Path, stamp: str) -> Path:
    """A copy of `src` whose core properties say it was last saved at `stamp` (as an application writes it)."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            z.writestr(info, data)
    return dst


def test_with_the_same_data_the_file_saved_later_is_current_whatever_its_name(tmp_path):
    later = _saved(EXAMPLE, tmp_path / "a-saved-later.xlsx", "2026-06-21T09:30:00Z")
    earlier = _saved(EXAMPLE, tmp_path / "b-saved-earlier.xlsx", "2026-06-20T18:00:00+08:00")
    merger = rollup([str(tmp_path)], options=Options(today=OPEN_DAY), jobs=1)
    c = merger.frames(lang="en")["campaigns"]
    assert len(c) == 1 and c["source_file"].iloc[0] == str(later)     # not the later name
    assert merger.superseded[str(earlier)].why == "later_save"


def test_cli_two_copies_say_so_and_all_versions_keeps_both(tmp_path):
    a, b = two_copies(tmp_path / "in")
    runner = CliRunner()
    out = tmp_path / "r.xlsx"
    res = runner.invoke(main, ["rollup", str(tmp_path / "in"), "-o", str(out), "--today", "2026-06-20", "-q",
                               "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "1 campaign;" in res.output and "1 superseded" in res.output
    assert "campaign 2026-UG-018" in res.stderr and str(a) in res.stderr and str(b) in res.stderr
    wb = openpyxl.load_workbook(out)
    dash = {r[0]: r[1] for r in wb["Dashboard"].iter_rows(values_only=True) if r and r[0]}
    assert dash["Campaigns"] == 1 and dash["Budget planned"] == pytest.approx(example_budget())
    assert dash["Superseded versions"] == 1
    head = [c.value for c in wb["Campaigns"][1]]
    assert "Data as of" in head and "As of (asked)" in head
    row = [c.value for c in wb["Campaigns"][2]]
    assert row[head.index("Data as of")].date() == example_last_kpi_day()
    assert row[head.index("As of (asked)")].date() == OPEN_DAY
    files = {r[0]: r for r in wb["Files"].iter_rows(min_row=2, values_only=True)}
    assert files[str(a)][1] == "Superseded (another file of the campaign is current)" and files[str(a)][2] == "campaign-duplicate"
    res = runner.invoke(main, ["rollup", str(tmp_path / "in"), "-o", str(out), "--today", "2026-06-20", "-q",
                               "--lang", "en", "--all-versions"])
    assert res.exit_code == 0 and "2 campaigns" in res.output, res.output
    dash = {r[0]: r[1] for r in openpyxl.load_workbook(out)["Dashboard"].iter_rows(values_only=True) if r and r[0]}
    assert dash["Campaigns"] == 2 and dash["Budget planned"] == pytest.approx(2 * example_budget())


def foreign_files(folder: Path, n: int) -> list[Path]:
    """Real .xlsx files that are no campaign workbook (sales lists, a blank sheet, one with a _meta of its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = ["销售", "Sheet1", "名单", "Data"][i % 4]
        if i % 5:
            ws.append(["日期", "门店", "金额"])
            for k in range(i % 7 + 1):
                ws.append([dt.date(2026, 1, 1 + k), f"门店{k}", 100 * k])
        p = folder / f"foreign-{i:03d}.xlsx"
        wb.save(p)
        out.append(p)
    return out


def test_foreign_files_and_an_earlier_rollup_output_are_no_campaigns(tmp_path):
    runner = CliRunner()
    earlier = tmp_path / "in" / "rollup-last-week.xlsx"
    two_copies(tmp_path / "src")
    res = runner.invoke(main, ["rollup", str(tmp_path / "src"), "-o", str(earlier), "--today", "2026-06-20", "-q"])
    assert res.exit_code == 0, res.output
    foreign = foreign_files(tmp_path / "in", 40)
    shutil.copy(ROOT / "samples" / "campaign.xlsx", tmp_path / "in" / "blank-template.xlsx")
    out = tmp_path / "r.xlsx"
    res = runner.invoke(main, ["rollup", str(tmp_path / "in"), "-o", str(out), "--today", "2026-06-20", "-q",
                               "--lang", "en", "-j", "2"])
    assert res.exit_code == 2, res.output          # like an unreadable file
    assert "0 campaigns" in res.output and f"{len(foreign) + 2} not campaign workbooks" in res.output
    wb = openpyxl.load_workbook(out)
    dash = {r[0]: r[1] for r in wb["Dashboard"].iter_rows(values_only=True) if r and r[0]}
    assert dash["Campaigns"] == 0 and dash["Not campaign workbooks"] == len(foreign) + 2
    assert wb["Campaigns"].max_row <= 2 and wb["Campaigns"]["A2"].value is None
    files = {r[0]: r for r in wb["Files"].iter_rows(min_row=2, values_only=True)}
    assert len(files) == len(foreign) + 2
    assert {r[1] for r in files.values()} == {"Not a campaign workbook"} and {r[2] for r in files.values()} == {"not-a-campaign"}
    assert "rollup's own output" in files[str(earlier)][3] and "blank template" in files[str(tmp_path / "in" / "blank-template.xlsx")][3]
    assert "template is not known" in files[str(foreign[0])][3]
    # validate and import say the same: exit 2
    for cmd in (["validate", str(earlier)], ["validate", str(foreign[1])],
                ["import", str(tmp_path / "in" / "blank-template.xlsx"), "-o", str(tmp_path / "t.json")]):
        res = runner.invoke(main, cmd + ["--lang", "en"])
        assert res.exit_code == 2 and "not-a-campaign" in res.output + (
            (tmp_path / "t.json").read_text(encoding="utf-8") if (tmp_path / "t.json").exists() else ""), cmd


def test_rollup_twice_into_its_folder_never_reads_its_output(tmp_path):
    folder = tmp_path / "team"
    a, b = two_copies(folder)
    out = folder / "roll.xlsx"
    runner = CliRunner()
    first = runner.invoke(main, ["rollup", str(folder), "-o", str(out), "--today", "2026-06-20", "-q", "--lang", "en"])
    second = runner.invoke(main, ["rollup", str(folder), "-o", str(out), "--today", "2026-06-20", "-q", "--lang", "en"])
    for res in (first, second):
        assert res.exit_code == 0 and "1 campaign; 2 files found" in res.output, res.output
    assert str(out) not in collect([str(folder)], out) and str(out) in collect([str(folder)])
    names = [r[0] for r in openpyxl.load_workbook(out)["Files"].iter_rows(min_row=2, values_only=True)]
    assert names == [str(a), str(b)]
    # a filled campaign workbook named as the output stays an input, and is never written over
    before = a.read_bytes()
    res = runner.invoke(main, ["rollup", str(folder), "-o", str(a), "--today", "2026-06-20", "-q", "--lang", "en"])
    assert res.exit_code == 2 and a.read_bytes() == before


def test_a_closed_campaigns_tasks_are_unfinished_at_close_not_overdue_today(tmp_path):
    tasks = load_spec("campaign").spec.table("tasks").example
    end = dt.date(2026, 6, 30)                     # the example's end date

    def late(day: dt.date) -> dict[str, int]:
        return {r["task_id"]: (day - r["end"]).days for r in tasks
                if r["status"] not in ("done", "cancelled") and r["end"] < day}
    # open: overdue by the calendar; closed: a task due by the end is unfinished at close (days late to
    # the end), one due after it (the close-out report) overdue by the calendar
    due_by_end = {r["task_id"] for r in tasks if r["end"] <= end}
    for today, closed in ((OPEN_DAY, False), (CLOSED_DAY, True)):
        frames = rollup([str(EXAMPLE)], options=Options(today=today), jobs=1).frames()
        c = frames["campaigns"].iloc[0]
        t = frames["tasks"]
        flagged = {tid: (bool(u), d) for tid, u, d in zip(t["task_id"], t["unfinished_at_close"], t["slippage_days"])
                   if u or d}
        if closed:
            unfinished = {k: (end - next(r["end"] for r in tasks if r["task_id"] == k)).days
                          for k in late(CLOSED_DAY) if k in due_by_end}
            overdue = {k: v for k, v in late(CLOSED_DAY).items() if k not in due_by_end}
            assert unfinished and overdue
            assert c["phase"] == "closed" and c["tasks_unfinished_at_close"] == len(unfinished)
            assert c["tasks_overdue"] == len(overdue)
            assert flagged == {**{k: (True, v) for k, v in unfinished.items()}, **{k: (False, v) for k, v in overdue.items()}}
            assert max(unfinished.values()) < 30 and min(overdue.values()) > 150   # not "172 days overdue"
        else:
            expected = late(today)
            assert expected and c["tasks_overdue"] == len(expected)
            assert c["tasks_unfinished_at_close"] is None or c["tasks_unfinished_at_close"] != c["tasks_unfinished_at_close"]
            assert flagged == {k: (False, v) for k, v in expected.items()}


def test_dask_path_keeps_one_current_state(tmp_path):
    pytest.importorskip("dask.distributed")
    a, b = two_copies(tmp_path / "in", SCENARIO)
    merger = rollup([str(tmp_path / "in")], options=Options(today=OPEN_DAY), dask="local")
    check_one_campaign(merger, a, b, n_campaigns=2)


def test_names_sort_as_people_number_them_and_strict_never_revives_an_older_version(tmp_path):
    from campaign_sheets.portfolio.merge import natural

    assert sorted(["campaign_v10.xlsx", "campaign_v9.xlsx", "campaign_v2.xlsx"], key=natural) == \
        ["campaign_v2.xlsx", "campaign_v9.xlsx", "campaign_v10.xlsx"]
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "campaign_v9.xlsx")
    shutil.copy(EXAMPLE, folder / "campaign_v10.xlsx")
    merger = rollup([str(folder)], options=Options(today=OPEN_DAY), jobs=1)
    assert merger.frames(lang="en")["campaigns"]["source_file"].iloc[0] == str(folder / "campaign_v10.xlsx")
    # v10 with an error: with --strict the campaign is left out, v9 does not speak for it
    wb = openpyxl.load_workbook(folder / "campaign_v10.xlsx")
    cell = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.value == "老带新·好友各得50元优惠券")
    cell.value = None
    wb.save(folder / "campaign_v10.xlsx")
    strict = rollup([str(folder)], options=Options(today=OPEN_DAY), jobs=1, strict=True)
    frames = strict.frames(lang="en")
    assert len(frames["campaigns"]) == 0 and strict.superseded[str(folder / "campaign_v9.xlsx")]
    assert (frames["issues"]["file"] == str(folder / "campaign_v10.xlsx")).any()   # why it is left out
