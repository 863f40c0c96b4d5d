"""Workbooks built from an older version of a template stay importable."""
from __future__ import annotations

from pathlib import Path

from campaign_sheets import build_workbook
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.spec.loader import load_spec_text

MINI = (Path(__file__).resolve().parents[1] / "specs" / "mini.yaml").read_text(encoding="utf-8")
ITEM = "          - {key: item, label: {zh-CN: 项目, en: Item}}\n"

V1 = MINI.replace(ITEM, ITEM + "          - {key: note, label: {zh-CN: 备注, en: Note}}\n").replace(
    "{item: 海报, planned: 1000, actual: 1200}", "{item: 海报, planned: 1000, actual: 1200, note: 加急}")
V2 = MINI.replace("version: 1", "version: 2").replace(
    ITEM,
    "          - {key: line_item, label: {zh-CN: 费用项目, en: Line item}, aliases: [item, 项目, Item]}\n"
    "          - {key: vendor, label: {zh-CN: 供应商, en: Vendor}}\n",
).replace("{item: ", "{line_item: ")


def test_v1_workbook_imports_cleanly_with_the_v2_spec(tmp_path):
    v1, v2 = load_spec_text(V1, "mini-v1.yaml"), load_spec_text(V2, "mini-v2.yaml")
    assert (v1.spec.version, v2.spec.version) == (1, 2)
    for lang in ("zh-CN", "en"):
        path = build_workbook(v1, tmp_path / f"v1-{lang}.xlsx", lang=lang, example=True)
        result = import_workbook(path, spec=v2)
        assert result.report.counts()["error"] == 0, [i.message for i in result.report.issues]
        budget = result.tables["budget"]
        assert list(budget["line_item"]) == ["海报", "礼品"]          # renamed through its alias
        assert budget["vendor"].isna().all()                          # new column: missing, optional
        assert list(budget["extra:" + ("备注" if lang == "zh-CN" else "Note")])[:1] == ["加急"]  # retired, kept
        codes = [i.code for i in result.report.issues]
        assert "template-version" in codes and "header-missing" not in codes and "header-unknown" not in codes
        retired = [i for i in result.report.issues if i.code == "template-version" and i.cell]
        assert len(retired) == 1 and retired[0].sheet == ("预算" if lang == "zh-CN" else "Budget")


def test_title_row_beside_a_gantt_title_is_not_data(tmp_path):
    """Regression: the next table's title shares its row with the Gantt title on the same sheet."""
    path = build_workbook(load_spec_text(MINI, "mini.yaml"), tmp_path / "m.xlsx", example=True)
    result = import_workbook(path, spec=load_spec_text(MINI, "mini.yaml"))
    assert list(result.tables["roster"]["name"]) == ["王磊", "李娜"]
    assert not [i for i in result.report.issues if i.code == "blank-rows"]
