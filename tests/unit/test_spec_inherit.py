"""Spec inheritance: `extends` chains, merge by key, `remove`, `order`, errors, build and import."""
from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
import yaml

from campaign_sheets import build_workbook
from campaign_sheets.errors import SpecError
from campaign_sheets.spec import model as m
from campaign_sheets.spec.inherit import merge
from campaign_sheets.spec.loader import load_spec, load_spec_text

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ROOT / "workbook_specs" / "campaign.yaml"
MINI = ROOT / "tests" / "specs" / "mini.yaml"
CHILD = ROOT / "tests" / "specs" / "campaign_cc.yaml"
HEAD = "extends: campaign\ntemplate: my_team\nversion: 1\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def child(tmp_path: Path, body: str, head: str = HEAD, name: str = "my_team.yaml") -> m.Spec:
    return load_spec(write(tmp_path / name, head + body)).spec


def problems(path: Path, **kw) -> list:
    with pytest.raises(SpecError) as info:
        load_spec(path, **kw)
    return info.value.problems


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def base() -> m.Spec:
    return load_spec("campaign").spec


# --------------------------------------------------------------------------- merging
def test_child_takes_template_and_version_and_inherits_the_rest(tmp_path):
    spec = child(tmp_path, "")
    assert (spec.template, spec.version) == ("my_team", 1)
    assert [s.key for s in spec.sheets] == [s.key for s in base().sheets]
    assert spec.title == base().title and spec.lists == base().lists


def test_list_items_merge_by_key_deep_and_new_keys_are_appended(tmp_path):
    spec = child(tmp_path, """
lists:
  channels:
    - {key: wecom, label: {zh-CN: 企业微信, en: WeCom}}
    - {key: sms, label: {en: Text message}}
  cost_centers: [marketing, sales]
""")
    keys = [i.key for i in spec.lists["channels"]]
    assert keys == [i.key for i in base().lists["channels"]] + ["wecom"]
    sms = next(i for i in spec.lists["channels"] if i.key == "sms")
    assert sms.label == {"zh-CN": "短信", "en": "Text message"}  # zh-CN kept from the base
    assert [i.key for i in spec.lists["cost_centers"]] == ["marketing", "sales"]


def test_sheets_tables_columns_merge_by_key(tmp_path):
    spec = child(tmp_path, """
kpis:
  - {key: conversion, target: 0.1}
sheets:
  - key: budget
    help: {en: Plan by category and get approval first.}
    tables:
      - key: budget
        rows: 40
        columns:
          - {key: note, width: 44, label: {en: Remarks}}
          - {key: po_number, label: {zh-CN: 采购单号, en: PO number}, max_length: 20}
""")
    b = base()
    budget = spec.table("budget")
    assert budget.rows == 40 and budget.title == b.table("budget").title
    assert [c.key for c in budget.columns] == [c.key for c in b.table("budget").columns] + ["po_number"]
    note = next(c for c in budget.columns if c.key == "note")
    assert note.width == 44 and note.label == {"zh-CN": "备注", "en": "Remarks"} and note.type == m.ColumnType.text
    sheet = next(s for s in spec.sheets if s.key == "budget")
    base_sheet = next(s for s in b.sheets if s.key == "budget")
    assert sheet.help["en"] == "Plan by category and get approval first." and sheet.help["zh-CN"] == base_sheet.help["zh-CN"]
    assert sheet.tab_color == base_sheet.tab_color
    kpi = next(k for k in spec.kpis if k.key == "conversion")
    assert kpi.target == 0.1 and kpi.alert == next(k for k in b.kpis if k.key == "conversion").alert
    # the untouched rest is identical
    assert [s for s in spec.sheets if s.key != "budget"] == [s for s in b.sheets if s.key != "budget"]


def test_a_new_sheet_is_appended_and_plain_lists_are_replaced(tmp_path):
    spec = child(tmp_path, """
locales: [en]
sheets:
  - key: guide
    sections: ["Fill in the facts, then the goals."]
  - key: notes
    title: Notes
    tables:
      - key: notes
        title: Notes
        columns:
          - {key: text, label: Text}
""")
    assert spec.locales == ["en"]
    assert spec.sheets[0].sections == ["Fill in the facts, then the goals."]
    assert spec.sheets[-1].key == "notes"


def test_rules_with_a_code_replace_every_base_rule_of_that_code(tmp_path):
    two = MINI.read_text(encoding="utf-8").replace(
        "        rules:\n          - {code: task-overdue,",
        "        rules:\n          - {code: task-overdue, when: '[end]<>\"\"', style: info, message: x}\n"
        "          - {code: task-overdue,", 1)
    write(tmp_path / "base.yaml", two)
    assert [r.code for r in load_spec(tmp_path / "base.yaml").spec.table("tasks").rules] == ["task-overdue"] * 2
    spec = child(tmp_path, """
sheets:
  - key: people
    tables:
      - key: tasks
        rules:
          - {code: task-late, when: '[end]<[start]', message: {zh-CN: 结束早于开始, en: Ends before it starts}}
          - {code: task-overdue, when: 'AND([end]<>"",[end]<TODAY())', style: warn, message: {zh-CN: 逾期, en: Late}}
""", head="extends: base.yaml\ntemplate: m2\nversion: 1\n")
    rules = spec.table("tasks").rules
    assert [(r.code, r.style.value) for r in rules] == [("task-overdue", "warn"), ("task-late", "bad")]


def test_merge_function_leaves_its_inputs_alone():
    b = {"sheets": [{"key": "a", "tables": [{"key": "t", "columns": [{"key": "x", "label": "X"}]}]}]}
    c = {"sheets": [{"key": "a", "tables": [{"key": "t", "columns": [{"key": "y", "label": "Y"}]}]}]}
    out = merge(b, c)
    assert [col["key"] for col in out["sheets"][0]["tables"][0]["columns"]] == ["x", "y"]
    assert len(b["sheets"][0]["tables"][0]["columns"]) == 1 and len(c["sheets"][0]["tables"][0]["columns"]) == 1


# --------------------------------------------------------------------------- remove and order
def test_remove_sheet_column_list_item_kpi_rule_and_mapping_key(tmp_path):
    spec = child(tmp_path, """
remove:
  - sheets.review
  - sheets.budget.tables.budget.columns.note
  - sheets.budget.tables.budget.totals.committed
  - lists.channels.sms
  - kpis.roi
  - sheets.dashboard.metrics.roi_to_date   # it is the roi KPI's total
  - sheets.timeline.tables.tasks.rules.predecessor-conflict
""")
    assert "review" not in [s.key for s in spec.sheets]
    assert "note" not in [c.key for c in spec.table("budget").columns]
    assert "committed" not in spec.table("budget").totals and "planned" in spec.table("budget").totals
    assert "sms" not in [i.key for i in spec.lists["channels"]]
    assert "roi" not in [k.key for k in spec.kpis]
    assert [r.code for r in spec.table("tasks").rules] == ["task-overdue", "date-order"]


def test_remove_items_of_a_plain_list_by_their_merged_index(tmp_path):
    sections = base().sheets[0].sections
    spec = child(tmp_path, "remove: [sheets.guide.sections.0, sheets.guide.sections.2]\n")
    assert spec.sheets[0].sections == [sections[1]] + sections[3:]


def test_remove_then_merge_order_within_a_chain(tmp_path):
    # the child's own additions are merged first, so it may remove what the base has and add anew
    spec = child(tmp_path, """
lists:
  channels: [{key: wecom, label: WeCom}]
remove: [lists.channels.wecom, lists.channels.other]
""")
    assert {"wecom", "other"}.isdisjoint(i.key for i in spec.lists["channels"])


def test_order_puts_listed_keys_first_and_keeps_the_rest(tmp_path):
    spec = child(tmp_path, """
lists:
  channels: [{key: wecom, label: {zh-CN: 企业微信, en: WeCom}}]
order:
  sheets: [guide, budget, risks]
  sheets.strategy.tables: [journey]
  lists.channels: [wecom, sms]
""")
    b = base()
    rest = [s.key for s in b.sheets if s.key not in ("guide", "budget", "risks")]
    assert [s.key for s in spec.sheets] == ["guide", "budget", "risks"] + rest
    assert [t.key for t in next(s for s in spec.sheets if s.key == "strategy").tables] == ["journey", "incentives", "channel_plan"]
    channels = [i.key for i in spec.lists["channels"]]
    assert channels[:2] == ["wecom", "sms"] and channels[2:] == [i.key for i in b.lists["channels"] if i.key != "sms"]


def test_unknown_order_key_and_path_are_errors_with_suggestions(tmp_path):
    path = write(tmp_path / "my_team.yaml", HEAD + "order:\n  sheets: [guide, budgt]\n  sheets.strategy.tabels: [journey]\n")
    found = problems(path)
    text = " | ".join(str(p) for p in found)
    assert len(found) == 2 and all(p.file == str(path) for p in found)
    assert "'budgt' is not in sheets; did you mean 'budget'?" in text
    assert "did you mean 'sheets.strategy.tables'?" in text
    assert found[0].line == line_of(path, "budgt")


def test_bad_remove_path_names_file_line_and_closest_path(tmp_path):
    path = write(tmp_path / "my_team.yaml", HEAD + "remove:\n  - sheets.review\n  - sheets.reviw\n"
                 "  - sheets.budget.tables.budget.columns.notes\n  - lists.chanels.sms\n")
    found = problems(path)
    assert [p.path for p in found] == ["remove[1]", "remove[2]", "remove[3]"]
    assert all(p.file == str(path) for p in found)
    assert found[0].line == line_of(path, "sheets.reviw")
    assert "'sheets.reviw'" in found[0].message and "did you mean 'sheets.review'?" in found[0].message
    assert "did you mean 'sheets.budget.tables.budget.columns.note'?" in found[1].message
    assert "did you mean 'lists.channels'?" in found[2].message


def test_bad_remove_path_in_chinese(tmp_path):
    path = write(tmp_path / "my_team.yaml", HEAD + "remove: [sheets.reviw]\n")
    (p,) = problems(path, lang="zh-CN")
    assert "不存在" in p.message and "是否想写 'sheets.review'" in p.message


# --------------------------------------------------------------------------- chains and cycles
def test_chain_of_three_with_relative_path_and_name(tmp_path):
    (tmp_path / "base").mkdir()
    write(tmp_path / "base" / "team.yaml", "extends: campaign\ntemplate: team\nversion: 3\n"
          "branding: {company: Team Co.}\nlists:\n  channels: [{key: wecom, label: WeCom}]\n")
    write(tmp_path / "region.yaml", "extends: base/team.yaml\ntemplate: region\nversion: 1\n"
          "remove: [lists.channels.sms]\n")
    loaded = load_spec(write(tmp_path / "shop.yaml", "extends: region\ntemplate: shop\nversion: 2\nprotect: false\n"))
    spec = loaded.spec
    assert (spec.template, spec.version, spec.protect) == ("shop", 2, False)
    assert spec.branding.company == "Team Co."
    keys = [i.key for i in spec.lists["channels"]]
    assert "wecom" in keys and "sms" not in keys
    assert [Path(s).name for s in loaded.sources] == ["shop.yaml", "region.yaml", "team.yaml", "campaign.yaml"]


def test_cycle_is_an_error_naming_the_chain(tmp_path):
    write(tmp_path / "a.yaml", "extends: b\ntemplate: a\nversion: 1\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\ntemplate: b\nversion: 1\n")
    (p,) = problems(tmp_path / "a.yaml")
    assert "cycle" in p.message and "a.yaml → b.yaml → a.yaml" in p.message
    assert p.file.endswith("b.yaml") and p.line == 1 and p.path == "extends"
    write(tmp_path / "self.yaml", "extends: self.yaml\ntemplate: s\nversion: 1\n")
    assert "cycle" in problems(tmp_path / "self.yaml")[0].message


def test_a_local_spec_may_extend_the_shipped_one_of_the_same_name(tmp_path):
    write(tmp_path / "campaign.yaml", "extends: campaign\ntemplate: campaign\nversion: 1\nprotect: false\n")
    loaded = load_spec("campaign", spec_dir=[str(tmp_path)])
    assert loaded.spec.protect is False and len(loaded.spec.sheets) == len(base().sheets)
    assert Path(loaded.sources[1]).resolve() == CAMPAIGN.resolve()


def test_unknown_base_lists_available_specs(tmp_path):
    path = write(tmp_path / "x.yaml", "extends: campain\ntemplate: x\nversion: 1\n")
    (p,) = problems(path)
    assert p.path == "extends" and p.line == 1 and "campain" in p.message and "campaign" in p.message


def test_child_must_set_template_and_version(tmp_path):
    path = write(tmp_path / "x.yaml", "extends: campaign\nprotect: false\n")
    found = problems(path)
    assert {p.path for p in found} == {"template", "version"}
    assert all("must set its own" in p.message for p in found)


def test_misspelt_extends_gets_a_suggestion(tmp_path):
    path = write(tmp_path / "x.yaml", "extend: campaign\ntemplate: x\nversion: 1\n")
    assert any("unknown key 'extend'; did you mean 'extends'?" in p.message for p in problems(path))


def test_load_spec_text_resolves_relative_to_the_filename(tmp_path):
    spec = load_spec_text("extends: ../specs/mini.yaml\ntemplate: m2\nversion: 1\n",
                          str(ROOT / "tests" / "unit" / "virtual.yaml")).spec
    assert spec.template == "m2" and [s.key for s in spec.sheets][0] == "guide"


# --------------------------------------------------------------------------- errors after merging
def test_error_in_what_the_child_wrote_points_at_the_child(tmp_path):
    path = write(tmp_path / "my_team.yaml", HEAD + """
sheets:
  - key: budget
    tables:
      - key: budget
        columns:
          - {key: planned, type: mony}
          - {key: cost_center, label: {zh-CN: 成本中心, en: Cost centre}, type: choice, choices: cost_centres}
""")
    found = problems(path)
    (p,) = found
    assert p.file == str(path) and p.line == line_of(path, "type: mony")
    assert p.path.startswith("sheets[6].tables[0].columns[2]") and "did you mean 'money'?" in p.message
    # fix the shape: the cross-reference problem is the child's too
    write(path, path.read_text(encoding="utf-8").replace("mony", "money"))
    (p,) = problems(path)
    assert p.file == str(path) and p.line == line_of(path, "cost_centres") and "no named list 'cost_centres'" in p.message


def test_error_in_what_was_inherited_points_at_the_base_file_and_line(tmp_path):
    path = write(tmp_path / "my_team.yaml", HEAD + "remove: [lists.budget_categories]\n")
    found = problems(path)
    by_line = {(Path(p.file).name, p.line) for p in found}
    assert ("campaign.yaml", line_of(CAMPAIGN, "choices: budget_categories")) in by_line
    assert ("campaign.yaml", line_of(CAMPAIGN, "over: budget_categories")) in by_line
    assert all("budget_categories" in p.message and f"(inherited by {path})" in p.message for p in found)


def test_missing_key_of_a_new_item_points_at_the_child(tmp_path):
    path = write(tmp_path / "my_team.yaml", HEAD + "kpis:\n  - {key: leads, type: integer}\n")
    (p,) = problems(path)
    assert p.file == str(path) and p.line == line_of(path, "key: leads") and p.path.endswith(".label")


# --------------------------------------------------------------------------- cache
def test_an_edited_base_is_seen(tmp_path):
    base_file = write(tmp_path / "base.yaml", MINI.read_text(encoding="utf-8"))
    kid = write(tmp_path / "kid.yaml", "extends: base\ntemplate: kid\nversion: 1\n")
    assert load_spec(kid).spec.title == {"zh-CN": "迷你", "en": "Mini"}
    assert load_spec(kid) is load_spec(kid)  # cached while nothing changes
    write(base_file, MINI.read_text(encoding="utf-8").replace("en: Mini}", "en: Mini two}", 1))
    st = base_file.stat()
    os.utime(base_file, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert load_spec(kid).spec.title == {"zh-CN": "迷你", "en": "Mini two"}


# --------------------------------------------------------------------------- build and import
def test_branding_and_protection_reach_the_workbook(tmp_path):
    path = write(tmp_path / "brand.yaml", HEAD + 'branding: {company: {zh-CN: 示例公司, en: Example Co.}, accent: "#C00000"}\n'
                 "protect: false\n")
    out = build_workbook(str(path), tmp_path / "brand.xlsx", lang="en")
    wb = openpyxl.load_workbook(out)
    ws = wb["Budget"]
    ref = ws.tables["tbl_budget"].ref.split(":")[0]
    assert ws[ref].fill.fgColor.rgb.upper().endswith("C00000")
    assert not any(s.protection.sheet for s in wb.worksheets)
    assert wb["Guide"]["A2"].value == "Example Co."
    default = openpyxl.load_workbook(build_workbook("campaign", tmp_path / "default.xlsx", lang="en"))
    assert default["Budget"][ref].fill.fgColor.rgb.upper().endswith("1F4E79")
    assert default["Budget"].protection.sheet


def test_child_labels_and_help_reach_the_workbook(tmp_path):
    path = write(tmp_path / "labels.yaml", HEAD + """
sheets:
  - key: budget
    title: {en: Money}
    tables:
      - key: budget
        columns:
          - key: note
            label: {zh-CN: 说明, en: Remarks}
            help: {zh-CN: 写明原因, en: Say why}
""")
    for lang, title, label, help_ in (("en", "Money", "Remarks", "Say why"), ("zh-CN", "预算规划", "说明", "写明原因")):
        wb = openpyxl.load_workbook(build_workbook(str(path), tmp_path / f"l-{lang}.xlsx", lang=lang))
        ws = wb[title]
        cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        assert label in cells
        col = cells[label].column_letter
        prompts = [dv.prompt for dv in ws.data_validations.dataValidation if col in str(dv.sqref)]
        assert any(help_ in (p or "") for p in prompts)


def test_child_example_matches_the_shipped_child_file():
    # tests/specs/campaign_cc.yaml: the worked example of docs/spec.md, a custom choice column with its own list
    spec = load_spec(CHILD).spec
    assert spec.template == "campaign_cc"
    cc = next(c for c in spec.table("budget").columns if c.key == "cost_center")
    assert cc.type == m.ColumnType.choice and cc.choices == "cost_centers"
    assert all(r.get("cost_center") for r in spec.table("budget").example)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_custom_choice_column_builds_and_round_trips_through_import(tmp_path, lang):
    from campaign_sheets.read.importer import import_workbook

    spec = load_spec(CHILD).spec
    out = build_workbook(str(CHILD), tmp_path / f"cc-{lang}.xlsx", lang=lang, example=True)
    wb = openpyxl.load_workbook(out)
    assert "list_cost_centers" in wb.defined_names
    label = m.text_for(next(c for c in spec.table("budget").columns if c.key == "cost_center").label, lang)
    budget_ws = next(ws for ws in wb.worksheets if "tbl_budget" in ws.tables)
    assert label in [c.value for c in budget_ws[budget_ws.tables["tbl_budget"].ref.split(":")[0][1:]]]
    assert any(dv.formula1 == "list_cost_centers" for dv in budget_ws.data_validations.dataValidation)

    result = import_workbook(out, spec=str(CHILD))
    assert result.report.counts()["error"] == 0, [i.message for i in result.report.issues if i.severity == "error"]
    frame = result.tables["budget"]
    assert list(frame["cost_center"]) == [r["cost_center"] for r in spec.table("budget").example]
    # recognised by its template name from _meta when the spec folder is given
    again = import_workbook(out, spec_dir=[str(CHILD.parent)])
    assert again.meta["template"] == "campaign_cc" and again.report.counts()["error"] == 0
    assert list(again.tables["budget"]["cost_center"]) == list(frame["cost_center"])


def test_child_yaml_example_rows_are_the_base_rows_plus_the_new_value():
    raw = yaml.safe_load(CAMPAIGN.read_text(encoding="utf-8"))
    base_rows = next(t for s in raw["sheets"] for t in s.get("tables", []) if t["key"] == "budget")["example"]
    rows = load_spec(CHILD).spec.table("budget").example
    assert [{k: v for k, v in r.items() if k != "cost_center"} for r in rows] == base_rows
