"""Workbooks re-saved by a library or another application: formula cells without a stored result,
or with an error value no spreadsheet defines, are recomputed and said once for the file; an
unknown error value is one cell's problem, never the file's."""
from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets.brief import brief_for
from campaign_sheets.cli import main
from campaign_sheets.read.calamine import read_values
from campaign_sheets.read.guard import check_file
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.spec.loader import load_spec

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "campaign-example.xlsx"
TODAY = dt.date(2026, 6, 20)


def _is_formula(v: object) -> bool:
    return isinstance(v, str) and v.startswith("=")


def stored_formula_results(path: Path) -> int:
    """How many formula cells of `path` the import reads hold a stored result, counted with openpyxl:
    every table's data rows (as `_meta` places them) and the dashboard's metric figures (column B
    beside a metric's label) except those computed for the day they are opened (TODAY())."""
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    rows = list(formulas["_meta"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "table")
    count = 0
    for key, sheet, _name, _header, first, last, first_col, columns in (r[:8] for r in rows[head + 1:] if r[0]):
        for row in range(first, last + 1):
            for col in range(first_col, first_col + len(columns.split(","))):
                if _is_formula(formulas[sheet].cell(row, col).value) and \
                        values[sheet].cell(row, col).value not in (None, ""):
                    count += 1
    spec = load_spec("campaign").spec
    for board in (s for s in spec.sheets if s.metrics):
        ws, wv = formulas[board.title["zh-CN"]], values[board.title["zh-CN"]]
        labels = {metric.label["zh-CN"] for metric in board.metrics}
        for row in range(1, ws.max_row + 1):
            formula = ws.cell(row, 2).value
            if ws.cell(row, 1).value in labels and _is_formula(formula) and "TODAY()" not in formula \
                    and wv.cell(row, 2).value not in (None, ""):
                count += 1
    return count


def resave(src: Path, out: Path, edit=None) -> Path:
    """An openpyxl load and save (formulas kept, their stored results dropped), with `edit` first."""
    wb = openpyxl.load_workbook(src)
    if edit is not None:
        edit(wb)
    wb.save(out)
    return out


def findings(result) -> list[tuple]:
    """The report's errors, warnings and alerts, where they are."""
    return sorted((i.code, i.severity, i.sheet or "", i.cell or "") for i in result.report.issues if i.severity != "info")


def typed(result) -> dict:
    """Every table's typed values (the source file's name left out)."""
    return {key: frame.drop(columns=["source_file"]).to_dict("list") for key, frame in result.tables.items()}


def same_tables(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].keys() == b[key].keys(), key
        for col in a[key]:
            left, right = a[key][col], b[key][col]
            assert len(left) == len(right), (key, col)
            for x, y in zip(left, right):
                if isinstance(x, float) and isinstance(y, float):
                    assert x == pytest.approx(y, rel=1e-12, nan_ok=True), (key, col)
                else:
                    assert x == y or (x != x and y != y), (key, col, x, y)


@pytest.fixture(scope="module")
def original():
    return import_workbook(SAMPLE, today=TODAY, lang="en")


@pytest.fixture(scope="module")
def resaved(tmp_path_factory):
    return resave(SAMPLE, tmp_path_factory.mktemp("resaved") / "openpyxl.xlsx")


def test_openpyxl_resave_reads_as_the_original_with_one_note(original, resaved):
    copy = import_workbook(resaved, today=TODAY, lang="en")
    assert findings(copy) == findings(original)
    assert [i.code for i in original.report.issues if i.severity == "info"] == []
    [note] = [i for i in copy.report.issues if i.severity == "info"]
    assert note.code == "formulas-recomputed" and note.sheet is None and note.cell is None
    missing = stored_formula_results(SAMPLE)
    assert missing > 100 and note.value == missing
    assert note.expected == "openpyxl" and "openpyxl" in note.message and f"{missing}" in note.message
    assert note.hint.startswith("Nothing to fix")
    same_tables(typed(copy), typed(original))
    assert copy.report.valid and copy.report.counts()["warning"] == original.report.counts()["warning"]


def test_the_note_in_chinese_names_the_application_and_the_count(resaved):
    copy = import_workbook(resaved, today=TODAY, lang="zh-CN")
    [note] = [i for i in copy.report.issues if i.code == "formulas-recomputed"]
    assert note.message.startswith("此文件由 openpyxl 保存") and f"{note.value} 个公式单元格" in note.message
    assert note.hint and "无需修改" in note.hint


def test_the_brief_of_the_resaved_copy_is_the_originals(resaved):
    ours, theirs = brief_for(SAMPLE, date=TODAY, lang="zh-CN"), brief_for(resaved, date=TODAY, lang="zh-CN")
    assert theirs.goals and [dataclasses.asdict(g) for g in theirs.goals] == [dataclasses.asdict(g) for g in ours.goals]
    assert theirs.data_issues == ours.data_issues and theirs.data_issues.warnings == ours.data_issues.warnings
    a, b = dataclasses.asdict(ours), dataclasses.asdict(theirs)
    assert {k for k in a if a[k] != b[k]} <= {"file"}


def test_a_figure_typed_over_a_formula_is_still_reported_at_its_cell(original, tmp_path):
    """The re-save's missing results are one note; a person's typed-over formula stays its own warning."""
    loc = original.meta["sheets"]["budget"]
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[loc]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "费用科目")
    col = next(c for c in range(1, 20) if ws.cell(head, c).value == "偏差")
    ref = ws.cell(head + 1, col).coordinate
    copy = import_workbook(resave(SAMPLE, tmp_path / "typed.xlsx", lambda w: w[loc][ref].__setattr__("value", 999)),
                           today=TODAY, lang="en")
    over = [i for i in copy.report.issues if i.code == "formula-overwritten"]
    assert [(i.sheet, i.cell, i.value) for i in over] == [(loc, ref, 999)]
    [note] = [i for i in copy.report.issues if i.code == "formulas-recomputed"]
    assert note.value == stored_formula_results(SAMPLE) - 1   # that cell holds a figure: compared, not recomputed


def test_the_dashboard_stays_silent_where_its_figures_were_dropped(resaved):
    copy = import_workbook(resaved, today=TODAY, lang="en")
    assert not [i for i in copy.report.issues if i.code == "dashboard-disagrees"]


def _error_cell(wb: openpyxl.Workbook, sheet: str, ref: str, text: str) -> None:
    wb[sheet][ref].value = text
    wb[sheet][ref].data_type = "e"


def _budget_cell(original, header: str, row: int = 0) -> tuple[str, str]:
    wb = openpyxl.load_workbook(SAMPLE, read_only=False)
    sheet = original.meta["sheets"]["budget"]
    ws = wb[sheet]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "费用科目")
    col = next(c for c in range(1, 20) if ws.cell(head, c).value == header)
    return sheet, ws.cell(head + 1 + row, col).coordinate


@pytest.mark.parametrize("text", ['#"IF(OR(tbl_budget[[#This Row],[x]]=""),"",1)', "#", "#SPILL!", "#div/0!", "Err:502"])
def test_an_error_value_calamine_does_not_know_is_one_cells_problem(original, tmp_path, text):
    """An input cell holding it gets one issue at that cell; the file reads (python-calamine alone
    rejects the whole file: `Unsupported cell error value`)."""
    sheet, ref = _budget_cell(original, "预算金额")
    path = resave(SAMPLE, tmp_path / "input-error.xlsx", lambda wb: _error_cell(wb, sheet, ref, text))
    python_calamine = pytest.importorskip("python_calamine")
    with pytest.raises(Exception, match="error value"):
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    result = import_workbook(path, today=TODAY, lang="en")
    assert result.unreadable is None
    at = [i for i in result.report.issues if (i.sheet, i.cell) == (sheet, ref)]
    assert [(i.code, i.severity) for i in at] == [("formula-error", "error")]
    shown = text if text in ("#SPILL!", "#div/0!", "Err:502") else "#UNKNOWN!"   # one no spreadsheet defines
    assert at[0].value == shown and shown in at[0].message
    assert result.columns["budget"]["planned"][0] is None
    # the rest of the file is as it was: every other table reads the same
    rest = {k: v for k, v in typed(result).items() if k != "budget"}
    same_tables(rest, {k: v for k, v in typed(original).items() if k != "budget"})


def test_a_formula_cell_with_an_unknown_error_value_is_recomputed(original, tmp_path):
    """Gnumeric writes `ERROR("…")` with an error value of its own for a formula it cannot parse: the
    cell is recomputed (counted in the note), never an error."""
    sheet, ref = _budget_cell(original, "偏差")
    _, rate = _budget_cell(original, "偏差率", 1)
    junk = '#"IF(OR((tbl_budget[[#This Row],[实际支出]]=""""))'

    def edit(wb):
        _error_cell(wb, sheet, ref, junk)
        _error_cell(wb, sheet, rate, "#")

    path = resave(SAMPLE, tmp_path / "formula-error.xlsx", edit)
    result = import_workbook(path, today=TODAY, lang="en")
    assert findings(result) == findings(original)
    [note] = [i for i in result.report.issues if i.code == "formulas-recomputed"]
    assert note.value == stored_formula_results(SAMPLE)
    assert "replaced the formulas" in note.hint   # the file's own formulas need restoring, not just a save
    same_tables(typed(result), typed(original))


def test_a_known_error_value_in_a_formula_cell_is_still_reported(original, tmp_path):
    """#SPILL! is Excel's own (calamine does not know it): the cell says so, as #DIV/0! would."""
    sheet, ref = _budget_cell(original, "偏差")
    path = resave(SAMPLE, tmp_path / "spill.xlsx", lambda wb: _error_cell(wb, sheet, ref, "#SPILL!"))
    result = import_workbook(path, today=TODAY, lang="en")
    at = [(i.code, i.value) for i in result.report.issues if (i.sheet, i.cell) == (sheet, ref)]
    assert at == [("formula-error", "#SPILL!")]


def test_an_unknown_error_value_no_longer_fails_validate(original, tmp_path):
    sheet, ref = _budget_cell(original, "偏差")
    path = resave(SAMPLE, tmp_path / "gnumeric-like.xlsx", lambda wb: _error_cell(wb, sheet, ref, '#"x'))
    res = CliRunner().invoke(main, ["validate", str(path), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "corrupt" not in res.output.lower() and "damaged" not in res.output


def test_a_clean_file_is_read_without_a_second_copy():
    """The copy with stand-in error values is made only for a file that needs it."""
    from campaign_sheets.read.calamine import _known_errors_only

    with check_file(SAMPLE) as book:
        assert _known_errors_only(book) is None
    assert read_values(SAMPLE).application == "Microsoft Excel"   # xlsxwriter's own document property


def test_the_application_is_named_as_people_know_it(tmp_path):
    """docProps/app.xml's Application: openpyxl's long string, LibreOffice's build string."""
    for written, named in (("Microsoft Excel Compatible / Openpyxl 3.1.5", "openpyxl"),
                           ("LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2", "LibreOffice"),
                           ("gnumeric", "Gnumeric"), ("Some Generator &amp; Co", "Some Generator & Co")):
        out = tmp_path / "app.xlsx"
        with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "docProps/app.xml":
                    start, end = data.index(b"<Application>") + 13, data.index(b"</Application>")
                    data = data[:start] + written.encode() + data[end:]
                dst.writestr(info, data)
        assert read_values(out).application == named


def test_the_note_without_an_application_and_for_one_cell():
    from campaign_sheets.read.checks import recomputed_note

    one = recomputed_note(1, 0, None, "en", "a.xlsx")
    assert one.message == "1 formula cell had no stored result (or an unknown error value): it was recomputed from the inputs"
    many = recomputed_note(1234, 1, "WPS Office", "en", "a.xlsx")
    assert many.message.startswith("Saved by WPS Office, which left 1,234 formula cells") and many.value == 1234
    assert "WPS Office replaced the formulas" in many.hint
    zh = recomputed_note(3, 3, None, "zh-CN", "a.xlsx")
    assert zh.message.startswith("3 个公式单元格") and "保存它的应用 替换了" in zh.hint
