"""How a KPI adds up: one formula per KPI that the dashboard writes and the brief and rollup evaluate."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets import build_workbook, import_workbook
from campaign_sheets.cli import main
from campaign_sheets.errors import SpecError
from campaign_sheets.series import KpiSeries
from campaign_sheets.spec import model as m
from campaign_sheets.spec.kpis import aggregate_of, total_formula, undeclared
from campaign_sheets.spec.loader import load_spec, load_spec_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "workbook_specs").glob("*.yaml"))
HEAD = f"extends: {ROOT / 'workbook_specs' / 'campaign.yaml'}\ntemplate: my_team\nversion: 1\n"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    path = tmp_path_factory.mktemp("agg") / "example.xlsx"
    build_workbook("campaign", path, lang="zh-CN", example=True)
    return path


def test_every_kpi_of_the_base_and_scenario_specs_declares_how_it_adds_up():
    for path in SPECS:
        spec = load_spec(path).spec
        assert undeclared(spec) == [], path.name


def test_the_base_spec_declares_conversion_as_a_ratio_and_roi_as_its_formula():
    spec = load_spec(ROOT / "workbook_specs" / "campaign.yaml").spec
    kinds = {k.key: aggregate_of(k).value for k in spec.kpis}
    assert kinds == {"participants": "sum", "registrations": "sum", "conversion": "ratio", "sales": "sum",
                     "cost": "sum", "roi": "formula"}
    assert total_formula(spec, "conversion", "kpi_daily", "date") == \
        'IFERROR((SUM([kpi_daily.registrations])/SUM([kpi_daily.participants])),"")'
    assert total_formula(spec, "roi", "kpi_daily", "date") == \
        'IFERROR((IF((SUM([kpi_daily.cost]))=0,"",((SUM([kpi_daily.sales]))-(SUM([kpi_daily.cost])))/(SUM([kpi_daily.cost])))),"")'
    assert total_formula(spec, "sales", "kpi_daily", "date") == "SUM([kpi_daily.sales])"


@pytest.mark.parametrize("kpi,expected", [
    ({"type": "percent"}, "mean"), ({"type": "money"}, "sum"), ({"type": "integer"}, "sum"),
    ({"type": "percent", "cumulative": True}, "sum"), ({"type": "money", "formula": "[a]"}, "formula"),
    ({"type": "integer", "aggregate": "last"}, "last"),
])
def test_stated_defaults_for_an_undeclared_kpi(kpi, expected):
    k = m.Kpi(key="k", label="K", **kpi)
    assert aggregate_of(k).value == expected


def test_spec_check_warns_about_a_kpi_that_does_not_say_how_it_adds_up():
    result = CliRunner().invoke(main, ["spec", "check", "--lang", "en", str(ROOT / "tests" / "specs" / "mini.yaml")])
    assert result.exit_code == 0
    assert "KPI 'regs' does not say how its days add up (aggregate); the default sum applies" in result.output
    assert "KPI 'conv' does not say how its days add up (aggregate); the default mean applies" in result.output


def test_a_ratio_without_two_known_kpis_is_one_spec_error_at_its_line(tmp_path):
    text = HEAD + "kpis:\n  - key: conversion\n    of: [registrations, visits]\n"
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "bad.yaml")
    (p,) = info.value.problems
    assert p.path == "kpis[2].of" and "two other KPI keys" in p.message and p.line == 6


def test_a_metric_naming_an_unknown_kpi_is_one_message(tmp_path):
    text = HEAD + "sheets:\n  - key: dashboard\n    metrics:\n      - {key: roi_to_date, kpi: roii}\n"
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "bad.yaml")
    assert [p.path for p in info.value.problems] == ["sheets[12].metrics[11].kpi"]
    assert "no KPI 'roii'" in info.value.problems[0].message


def test_a_metric_with_both_kpi_and_formula_is_refused():
    mini = (ROOT / "tests" / "specs" / "mini.yaml").read_text(encoding="utf-8")
    assert "metrics:" in mini
    text = mini.replace("metrics:\n", "metrics:\n      - {key: both, label: B, kpi: regs, formula: 'SUM([kpi.regs])'}\n", 1)
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "bad.yaml")
    assert any("exactly one of formula or kpi" in p.message for p in info.value.problems)


def test_series_totals_agree_with_a_plain_computation_of_the_example(example):
    result = import_workbook(example, today=dt.date(2026, 6, 20))
    series = KpiSeries(result.index, result.columns, result.records)
    rows = [r for r in result.records["kpi_daily"] if r["date"] is not None]
    reg = sum(r["registrations"] for r in rows)
    part = sum(r["participants"] for r in rows)
    sales, cost = sum(r["sales"] for r in rows), sum(r["cost"] for r in rows)
    assert series.total("registrations") == reg
    assert series.total("conversion") == pytest.approx(reg / part)
    assert series.total("roi") == pytest.approx((sales - cost) / cost)
    week = [r for r in rows if dt.date(2026, 6, 14) <= r["date"] <= dt.date(2026, 6, 20)]
    assert series.total("registrations", dt.date(2026, 6, 14), dt.date(2026, 6, 20)) == sum(r["registrations"] for r in week)
    one = next(r for r in rows if r["date"] == dt.date(2026, 6, 7))
    assert series.day("conversion", dt.date(2026, 6, 7)) == pytest.approx(one["registrations"] / one["participants"])
    assert series.day("registrations", dt.date(2026, 7, 1)) is None


def test_last_sums_the_channel_rows_of_the_latest_day(tmp_path):
    text = HEAD + "kpis:\n  - key: participants\n    aggregate: last\n"
    (tmp_path / "last.yaml").write_text(text, encoding="utf-8")
    loaded = load_spec(tmp_path / "last.yaml")
    cols = {"date": [dt.date(2026, 6, 1), dt.date(2026, 6, 2), dt.date(2026, 6, 2), None],
            "participants": [100, 40, 60, 999]}
    series = KpiSeries(loaded.index, {"kpi_daily": cols}, {})
    assert series.total("participants") == 100          # 40 + 60 on the latest day; an undated row is left out
    assert series.total("participants", end=dt.date(2026, 6, 1)) == 100.0
    assert series.day("participants", dt.date(2026, 6, 2)) == 100.0


def test_the_dashboard_cell_is_the_same_total(example):
    """The dashboard's conversion figure is registrations / participants, as the brief computes it."""
    wb = openpyxl.load_workbook(example)
    ws = wb["数据看板"]
    row = next(r for r in ws.iter_rows() if r[0].value == "累计转化率")
    assert row[1].value == '=IFERROR((SUM(tbl_kpi_daily[[注册人数]])/SUM(tbl_kpi_daily[[参与人数]])),"")'
    result = import_workbook(example, today=dt.date(2026, 6, 20))
    series = KpiSeries(result.index, result.columns, result.records)
    cached = openpyxl.load_workbook(example, data_only=True)["数据看板"].cell(row[1].row, 2).value
    assert cached == pytest.approx(series.total("conversion"))
