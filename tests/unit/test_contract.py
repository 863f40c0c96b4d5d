"""The workbook contract: `_meta` written by the builder is what the reader reads."""

from python_calamine import CalamineWorkbook

from campaign_sheets import build_workbook
from campaign_sheets.build.layout import plan_layout
from campaign_sheets.contract import META_SHEET, Meta, TableEntry, meta_rows, read_meta, sheet_key
from campaign_sheets.spec.loader import load_spec


def test_meta_round_trips_through_a_built_workbook(tmp_path):
    loaded = load_spec("campaign")
    layout = plan_layout(loaded, "en", example=False)
    path = build_workbook(loaded, tmp_path / "c.xlsx", lang="en")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(META_SHEET).to_python()
    meta = read_meta(rows)
    assert meta == layout.meta
    assert meta.template == "campaign" and meta.version == loaded.spec.version and meta.locale == "en"
    assert meta.spec_sha256 == loaded.sha256 and meta.example is False
    budget = meta.tables["budget"]
    tp = layout.tables["budget"]
    assert (budget.header_row, budget.first_row, budget.last_row) == (tp.header_row + 1, tp.first_row + 1, tp.last_row + 1)
    assert budget.columns == tuple(c.key for c in tp.resolved.columns)


def test_read_meta_is_tolerant_of_what_people_do_to_the_sheet():
    meta = Meta(template="campaign", version=3, locale="zh-CN", example=True,
                tables={"t": TableEntry("t", "S", "tbl_t", 5, 6, 30, 1, ("a", "b"))})
    rows = meta_rows(meta)
    assert read_meta(rows) == meta
    # numbers come back as floats; stray rows, a mangled table row and a second 'version' are ignored
    mangled = [[r[0], float(r[1])] if r and r[0] == "version" else r for r in rows]
    mangled.insert(2, ["version", 9.0])
    mangled.append(["broken", "S", "tbl_x", "not a row", 1, 2, 1, ""])
    mangled.append(["", "", ""])
    got = read_meta(mangled)
    assert got.version == 3 and set(got.tables) == {"t"}
    assert read_meta(None) is None and read_meta([]) is None and read_meta([["", ""]]) is None
    assert read_meta([["version", "two"]]).version is None
    # the facts deleted, the table rows kept: still a _meta (its header rows still guide the reader)
    tables_only = read_meta([r for r in rows if r and r[0] not in ("template", "version", "locale", "example",
                                                                   "generator", "spec_sha256")])
    assert tables_only is not None and tables_only.template is None and tables_only.tables["t"].header_row == 5
    # a retyped position other than the header row does not lose the table; a later row wins
    retyped = rows[:-1] + [["t", "S", "tbl_t", 6, "x", 30, 1, "a,b"], ["t", "S", "tbl_t", 7, 8, 30, 1, "a,b"]]
    assert read_meta(retyped).tables["t"].header_row == 7


def test_sheet_key_matches_how_the_builder_names_sheets():
    assert sheet_key("Budget: Q3/Q4 ") == sheet_key("budget_ q3_q4") == "budget_ q3_q4"
    assert sheet_key("x" * 40) == "x" * 31
