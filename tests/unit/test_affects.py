"""`affects`: a bad input's one issue lists every formula cell whose value depends on it.

The expected cells are found independently of the package: by reading the workbook's own formulas
with openpyxl (structured references, A1 references, defined names) and following them from the
typed cell to every formula that reads it, directly or through other formulas.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from campaign_sheets import import_workbook
from campaign_sheets.report import file_entry
from campaign_sheets.spec.loader import load_spec
from tests.helpers import cell_values, error_cells

TODAY = dt.date(2026, 6, 20)
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "campaign-example.xlsx"

_STRING = re.compile(r'"(?:[^"]|"")*"')
_THIS_ROW = re.compile(r"(tbl_\w+)\[\[#This Row\],\[([^\]]+)\](?::\[([^\]]+)\])?\]")
_COLUMN = re.compile(r"(tbl_\w+)\[(\[)?([^\[\]#][^\]]*)\](?(2)\])")   # tbl[[Label]] or tbl[Label]
_A1 = re.compile(r"(?<![A-Za-z_0-9.\]])\$?([A-Z]{1,3})\$?([0-9]+)(?![0-9A-Za-z_(\[])")
_NAME = re.compile(r"(?<![A-Za-z_0-9.\[])([A-Za-z_][A-Za-z0-9_.]*)(?![A-Za-z0-9_.(\[])")


class Formulas:
    """Every formula cell of a workbook and the cells it reads, from its formula text alone."""

    def __init__(self, path: Path) -> None:
        wb = openpyxl.load_workbook(path)
        self.tables: dict[str, tuple[str, int, int, dict[str, int]]] = {}   # name -> sheet, first, last data row, label -> col
        for ws in wb.worksheets:
            for tb in ws.tables.values():
                c0, r0, _, r1 = range_boundaries(tb.ref)
                self.tables[tb.name] = (ws.title, r0 + (tb.headerRowCount or 0), r1 - (tb.totalsRowCount or 0),
                                        {c.name: c0 + i for i, c in enumerate(tb.tableColumns)})
        self.names: dict[str, tuple[str, int, int]] = {}
        for name, dn in wb.defined_names.items():
            m = re.fullmatch(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+)", dn.attr_text)
            if m:
                self.names[name] = (m.group(1), int(m.group(3)), column_index_from_string(m.group(2)))
        self.reads: dict[tuple[str, int, int], set[tuple[str, int, int]]] = {}
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        self.reads[(ws.title, c.row, c.column)] = self._precedents(ws.title, c.row, c.value)

    def _precedents(self, sheet: str, row: int, formula: str) -> set[tuple[str, int, int]]:
        text = _STRING.sub('""', formula)
        out: set[tuple[str, int, int]] = set()
        for m in _THIS_ROW.finditer(text):
            tsheet, _, _, cols = self.tables[m.group(1)]
            a, b = cols[m.group(2)], cols[m.group(3) or m.group(2)]
            out |= {(tsheet, row, c) for c in range(a, b + 1)}
        text = _THIS_ROW.sub("", text)
        for m in _COLUMN.finditer(text):
            tsheet, first, last, cols = self.tables[m.group(1)]
            out |= {(tsheet, r, cols[m.group(3)]) for r in range(first, last + 1)}
        text = _COLUMN.sub("", text)
        for m in _A1.finditer(text):
            out.add((sheet, int(m.group(2)), column_index_from_string(m.group(1))))
        for m in _NAME.finditer(text):
            if m.group(1) in self.names:
                out.add(self.names[m.group(1)])
        return out

    def dependents(self, cell: tuple[str, int, int]) -> set[tuple[str, int, int]]:
        """Every formula cell that reads `cell`, directly or through other formula cells."""
        readers: dict[tuple[str, int, int], set] = {}
        for f, precedents in self.reads.items():
            for p in precedents:
                readers.setdefault(p, set()).add(f)
        out: set = set()
        todo = [cell]
        while todo:
            for f in readers.get(todo.pop(), ()):
                if f not in out:
                    out.add(f)
                    todo.append(f)
        return out


def name(cell: tuple[str, int, int], sheet: str) -> str:
    """A cell as `affects` names it: `B5` on the issue's own sheet, `Sheet!B5` on another."""
    a1 = f"{get_column_letter(cell[2])}{cell[1]}"
    return a1 if cell[0] == sheet else f"{cell[0]}!{a1}"


@pytest.fixture(scope="module")
def formulas() -> Formulas:
    return Formulas(SAMPLE)


@pytest.fixture(scope="module")
def labels() -> dict[tuple[str, str], dict[str, str]]:
    return load_spec("campaign").index.column_labels


def input_cell(formulas: Formulas, labels, table: str, column: str, n: int) -> tuple[str, int, int]:
    """The n-th data cell of a table's column in the sample (a zh-CN workbook), by its header."""
    sheet, first, _, cols = formulas.tables[f"tbl_{table}"]
    return sheet, first + n, cols[labels[(table, "zh-CN")][column]]


def typed(tmp_path: Path, edits: dict[tuple[str, int, int], object]) -> Path:
    """A copy of the sample with cells typed over the way a person would (openpyxl re-save)."""
    wb = openpyxl.load_workbook(SAMPLE)
    for (sheet, row, col), value in edits.items():
        wb[sheet].cell(row, col).value = value
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    return path


def issue_at(result, cell: tuple[str, int, int], code: str = "type-error"):
    [issue] = [i for i in result.report.issues if (i.sheet, i.cell, i.code) == (cell[0], name(cell, cell[0]), code)]
    return issue


@pytest.mark.parametrize("column", ["planned", "actual"])
def test_a_typo_in_a_budget_amount_lists_its_row_the_totals_row_and_the_dashboard(tmp_path, formulas, labels, column):
    """`about 5k` in a budget amount: its one issue lists the same-row formulas, the totals-row cells
    computed from them and every dashboard figure that reads the budget's amounts, nothing else."""
    cell = input_cell(formulas, labels, "budget", column, 3)
    result = import_workbook(typed(tmp_path, {cell: "about 5k"}), today=TODAY, lang="en")
    issue = issue_at(result, cell)
    expected = {name(c, cell[0]) for c in formulas.dependents(cell)}
    assert set(issue.affects) == expected and len(issue.affects) == len(expected)
    # what that means here, so the comparison above cannot pass on an empty scan
    sheet, _, last, cols = formulas.tables["tbl_budget"]
    variance = cols[labels[("budget", "zh-CN")]["variance"]]
    totals = last + 1
    assert issue.affects[:2] == (name((sheet, cell[1], variance), sheet), name((sheet, cell[1], variance + 1), sheet))
    assert {name((sheet, totals, cell[2]), sheet), name((sheet, totals, variance), sheet)} <= expected
    board = next(s.title["zh-CN"] for s in load_spec("campaign").spec.sheets if s.metrics)
    assert len([a for a in issue.affects if a.startswith(f"{board}!")]) >= 3
    # the figures on other sheets come after the typo's own sheet
    assert [a for a in issue.affects if "!" not in a] == list(issue.affects[:len([a for a in issue.affects if "!" not in a])])
    assert not [i for i in result.report.issues if i.code in ("formula-error", "dashboard-disagrees")]


def test_a_kpi_tracker_cell_lists_the_dashboard_figures_computed_from_it(tmp_path, formulas, labels):
    cell = input_cell(formulas, labels, "kpi_daily", "registrations", 5)
    issue = issue_at(import_workbook(typed(tmp_path, {cell: "429人"}), today=TODAY, lang="en"), cell)
    expected = {name(c, cell[0]) for c in formulas.dependents(cell)}
    assert set(issue.affects) == expected and len(expected) >= 3
    assert all(a.startswith("数据看板!") for a in expected)   # the tracker's own formulas do not read it


@pytest.mark.parametrize("column", ["start", "end"])
def test_a_task_date_lists_its_duration_and_what_reads_the_dates(tmp_path, formulas, labels, column):
    """A task's start feeds its duration and the Gantt grid's first day (and so every day after it);
    its end feeds its duration and the dashboard's overdue count."""
    cell = input_cell(formulas, labels, "tasks", column, 2)
    issue = issue_at(import_workbook(typed(tmp_path, {cell: "next week"}), today=TODAY, lang="en"), cell)
    expected = {name(c, cell[0]) for c in formulas.dependents(cell)}
    assert set(issue.affects) == expected and len(issue.affects) == len(expected)
    duration = formulas.tables["tbl_tasks"][3][labels[("tasks", "zh-CN")]["duration"]]
    assert issue.affects[0] == name((cell[0], cell[1], duration), cell[0])
    if column == "start":
        assert len(expected) > 40   # the Gantt header: one formula a day, each from the day before
    else:
        assert any(a.startswith("数据看板!") for a in expected)


def test_a_form_field_lists_the_cells_on_other_sheets_it_feeds(tmp_path, formulas):
    """The campaign's start date (on the guide's form) is the Gantt grid's first day while no task has
    a start: every header day depends on it, each named with its sheet."""
    start = formulas.names["campaign_start"]
    issue = issue_at(import_workbook(typed(tmp_path, {start: "someday"}), today=TODAY, lang="en"), start)
    expected = {name(c, start[0]) for c in formulas.dependents(start)}
    assert set(issue.affects) == expected and expected and all("!" in a for a in expected)


@pytest.mark.parametrize("lang, words", [("en", "; it breaks {} and {} more"), ("zh-CN", "；它影响 {} 及另外 {} 个单元格")])
def test_a_long_list_is_named_in_part_in_the_message_and_whole_in_the_json(tmp_path, formulas, labels, lang, words):
    cell = input_cell(formulas, labels, "budget", "planned", 3)
    result = import_workbook(typed(tmp_path, {cell: "about 5k"}), today=TODAY, lang=lang)
    issue = issue_at(result, cell)
    n = len(formulas.dependents(cell))
    assert n > 6
    sep = "、" if lang == "zh-CN" else ", "
    assert issue.message.endswith(words.format(sep.join(issue.affects[:5]), n - 5))
    [as_json] = [i for i in json.loads(json.dumps(file_entry(result.report), default=str))["issues"]
                 if i["cell"] == issue.cell and i["sheet"] == issue.sheet]
    assert as_json["affects"] == list(issue.affects) and len(as_json["affects"]) == n


def test_a_short_list_is_named_whole_and_a_clean_workbook_lists_nothing(tmp_path, formulas, labels):
    cell = input_cell(formulas, labels, "risks", "likelihood", 0)
    issue = issue_at(import_workbook(typed(tmp_path, {cell: "high"}), today=TODAY, lang="en"), cell)
    expected = [name(c, cell[0]) for c in sorted(formulas.dependents(cell), key=lambda c: (c[0] != cell[0], c))]
    assert list(issue.affects) == expected and issue.message.endswith("; it breaks " + ", ".join(expected))
    assert not [i for i in import_workbook(SAMPLE, today=TODAY).report.issues if i.affects]


@pytest.mark.libreoffice
def test_every_error_value_libreoffice_computes_from_bad_inputs_is_in_their_affects(tmp_path, formulas, labels):
    """Typos recalculated by LibreOffice Calc: every cell that then shows an error value is listed
    in the `affects` of an input's issue (and the typos are the only errors)."""
    from tests.support.libreoffice import convert

    edits = {input_cell(formulas, labels, "budget", "planned", 3): "about 5k",
             input_cell(formulas, labels, "budget", "actual", 5): "n/a",
             input_cell(formulas, labels, "tasks", "start", 2): "next week",
             input_cell(formulas, labels, "kpi_daily", "registrations", 5): "429人",
             input_cell(formulas, labels, "risks", "likelihood", 0): "high"}
    saved = convert(typed(tmp_path, edits), tmp_path / "calc")
    shown = error_cells(cell_values(saved))
    assert len(shown) >= 4   # the amounts' variance cells and totals, the task's duration, the risk's score
    result = import_workbook(saved, today=TODAY, lang="en")
    listed = {(i.sheet if "!" not in a else a.split("!")[0], a.split("!")[-1])
              for i in result.report.issues for a in i.affects}
    assert set(shown) <= listed, set(shown) - listed
    errors = [i for i in result.report.issues if i.severity == "error"]
    assert sorted((i.sheet, i.cell) for i in errors) == sorted((c[0], name(c, c[0])) for c in edits)
