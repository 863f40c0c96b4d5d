"""Reading what people type into cells: campaign_sheets.read.coerce, per column type.

Raw values are given in both reader shapes: python-calamine (floats for every number, '' for
empty, date / datetime / time / timedelta objects) and openpyxl (int, float, str, datetime, None).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import pytest

from campaign_sheets.i18n import t
from campaign_sheets.read.coerce import Coerced, coerce
from campaign_sheets.read.parse import is_error_value, parse_date_text, parse_datetime_text, parse_number_text
from campaign_sheets.spec.index import ChoiceIndex, SpecIndex
from campaign_sheets.spec.loader import load_spec_text
from campaign_sheets.text import clean_text
from campaign_sheets.spec.model import Column, ColumnType

MINI = Path(__file__).resolve().parents[1] / "specs" / "mini.yaml"

SPEC_YAML = """
template: coerce-test
version: 1
title: {zh-CN: 测试, en: Test}
lists:
  status:
    - {key: open, label: {zh-CN: 进行中, en: Open}}
    - {key: done, label: {zh-CN: 已完成, en: Done}}
    - {key: blocked, label: {zh-CN: 受阻, en: Blocked}}
  raci: [R, A, C, I]
  codes:
    - {key: "1", label: {zh-CN: 一级, en: Level one}}
    - {key: "2", label: {zh-CN: 二级, en: Level two}}
  months: [m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12, m13, m14]
sheets:
  - key: data
    title: {zh-CN: 数据, en: Data}
    tables:
      - key: tasks
        title: {zh-CN: 任务, en: Tasks}
        columns:
          - {key: id, label: {zh-CN: 编号, en: Id}}
          - {key: note, label: {zh-CN: 备注, en: Note}}
          - {key: owner, label: {zh-CN: 负责人, en: Owner}, type: person}
          - {key: parent, label: {zh-CN: 上级, en: Parent}, type: reference, ref: tasks.id}
          - {key: qty, label: {zh-CN: 数量, en: Qty}, type: integer}
          - {key: score, label: {zh-CN: 分数, en: Score}, type: number}
          - {key: cost, label: {zh-CN: 费用, en: Cost}, type: money}
          - {key: rate, label: {zh-CN: 比率, en: Rate}, type: percent}
          - {key: due, label: {zh-CN: 截止, en: Due}, type: date}
          - {key: at, label: {zh-CN: 时间, en: At}, type: datetime}
          - {key: paid, label: {zh-CN: 已付, en: Paid}, type: bool}
          - {key: status, label: {zh-CN: 状态, en: Status}, type: choice, choices: status}
          - {key: role, label: {zh-CN: 角色, en: Role}, type: choice, choices: raci}
          - {key: level, label: {zh-CN: 级别, en: Level}, type: choice, choices: codes}
          - {key: month, label: {zh-CN: 月份, en: Month}, type: choice, choices: months}
          - {key: total, label: {zh-CN: 合计, en: Total}, type: formula, formula: "[qty]*[score]", result: number}
"""


@pytest.fixture(scope="module")
def spec():
    return load_spec_text(SPEC_YAML, "x.yaml").spec


@pytest.fixture(scope="module")
def cols(spec):
    return {c.key: c for c in spec.table("tasks").columns}


def c(raw, cols, spec, key, **kw):
    return coerce(raw, cols[key], SpecIndex(spec), **kw)


def ok(result: Coerced, value, warning=None):
    assert result.ok, result
    assert result.warning == warning, result
    assert result.expected is None
    if isinstance(value, float):
        assert isinstance(result.value, float) and math.isclose(result.value, value, rel_tol=1e-12), result
    else:
        assert result.value == value and type(result.value) is type(value), result


def bad(result: Coerced):
    assert not result.ok, result
    assert result.value is None and result.warning is None and result.expected
    return result.expected


# --------------------------------------------------------------------------- clean_text
@pytest.mark.parametrize("raw, want", [
    ("  abc  ", "abc"),
    ("\xa0王磊\xa0", "王磊"),
    ("\u3000王磊\u3000", "王磊"),
    ("\u200b王\u200c磊\u200d\ufeff", "王磊"),
    ("a\x00b\x07c\x1f", "abc"),
    ("line1\r\nline2\rline3", "line1\nline2\nline3"),
    ("a\tb\nc", "a\tb\nc"),
    ("ＡＢＣ１２３", "ABC123"),
    ("（１，２００．５）", "(1,200.5)"),
    ("￥１２", "¥12"),
    ("８％", "8%"),
    ("a\xa0b", "a b"),
    ("m²①", "m²①"),  # not full NFKC: superscripts and circled digits stay
    ("", ""),
    (None, ""),
    (12.0, "12"),
    (12, "12"),
    (1.5, "1.5"),
    (0.1 + 0.2, "0.3"),
    (True, "TRUE"),
    (dt.date(2026, 6, 18), "2026-06-18"),
    (dt.datetime(2026, 6, 18), "2026-06-18"),
    (dt.datetime(2026, 6, 18, 10, 30), "2026-06-18 10:30:00"),
])
def test_clean_text(raw, want):
    assert clean_text(raw) == want


def test_clean_text_without_folding_keeps_chinese_punctuation():
    assert clean_text("你好，世界（一）\u200b ", fold=False) == "你好，世界（一）"
    assert clean_text("你好，世界") == "你好,世界"


# --------------------------------------------------------------------------- blanks and errors
@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n", "\xa0", "\u3000", "\u200b\ufeff", float("nan")])
@pytest.mark.parametrize("key", ["id", "note", "qty", "cost", "rate", "due", "at", "paid", "status", "total"])
def test_blank_is_none_and_ok(raw, key, cols, spec):
    assert c(raw, cols, spec, key) == Coerced(None, True, None, None)


@pytest.mark.parametrize("raw", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "Err:502", " #N/A "])
def test_error_values(raw):
    assert is_error_value(raw)


@pytest.mark.parametrize("raw", ["#1", "#tag", "Error", "Err:5", "N/A", "", None, 5.0, "#DIV/0", "# N/A"])
def test_not_error_values(raw):
    assert not is_error_value(raw)


def test_error_values_are_case_insensitive():
    assert is_error_value("#div/0!") and is_error_value("#n/a")


@pytest.mark.parametrize("key", ["id", "note", "qty", "cost", "rate", "due", "at", "paid", "status", "total"])
@pytest.mark.parametrize("raw", ["#DIV/0!", "#N/A", "Err:502"])
def test_error_value_in_any_column_is_formula_error(raw, key, cols, spec):
    r = c(raw, cols, spec, key, lang="zh-CN")
    assert not r.ok and r.value is None and r.warning == "formula-error"
    assert raw in r.expected


# --------------------------------------------------------------------------- text, person, reference
@pytest.mark.parametrize("raw, want", [
    ("T1", "T1"), ("  T1 ", "T1"), (12.0, "12"), (12, "12"), (1.0, "1"), ("001", "001"),
    ("\u200bT1\xa0", "T1"), (12.5, "12.5"), (True, "TRUE"),
])
@pytest.mark.parametrize("key", ["id", "owner", "parent"])
def test_textlike(raw, want, key, cols, spec):
    ok(c(raw, cols, spec, key), want)


@pytest.mark.parametrize("key", ["owner", "parent"])
def test_person_and_reference_fold_full_width(key, cols, spec):
    ok(c("Ｔ１", cols, spec, key), "T1")
    ok(c("王磊，", cols, spec, key), "王磊,")


def test_free_text_keeps_what_was_typed_but_invisibles(cols, spec):
    ok(c("  你好，世界。\u200b\r\n第二行 ", cols, spec, "note"), "你好，世界。\n第二行")
    ok(c("ＡＢＣ", cols, spec, "note"), "ＡＢＣ")
    ok(c("ＡＢＣ", cols, spec, "owner"), "ABC")
    ok(c(True, cols, spec, "note"), "TRUE")
    ok(c(dt.datetime(2026, 6, 18), cols, spec, "note"), "2026-06-18")


def test_text_is_not_length_checked(cols, spec):
    ok(c("x" * 40000, cols, spec, "note"), "x" * 40000)


# --------------------------------------------------------------------------- integer
@pytest.mark.parametrize("raw, want", [
    (1200, 1200), (1200.0, 1200), ("1200", 1200), ("1,200", 1200), ("１２００", 1200), ("1 200", 1200),
    ("1.2万", 12000), ("3亿", 300_000_000), ("-5", -5), ("(1,200)", -1200), ("－1,200", -1200),
    ("1,234,567", 1_234_567), (" 42 ", 42), ("1200.0", 1200), (0.0, 0), (-3.0, -3),
    (0.1 * 3 * 10, 3), (Decimal("7"), 7), ("１，２００", 1200),
])
def test_integer_accepts(raw, want, cols, spec):
    ok(c(raw, cols, spec, "qty"), want)


@pytest.mark.parametrize("raw", [
    "12k", "约100", "100人", "1.5", 1.5, 0.5, "abc", "1,2", "1,20", "1.200,5", "8%", True, False,
    dt.date(2026, 6, 18), dt.time(10, 0), float("inf"), "--5", "(5", "1.2万万",
])
def test_integer_rejects(raw, cols, spec):
    assert "whole number" in bad(c(raw, cols, spec, "qty"))
    assert bad(c(raw, cols, spec, "qty", lang="zh-CN")) == t("coerce.integer", "zh-CN")


# --------------------------------------------------------------------------- number / money
@pytest.mark.parametrize("raw, want", [
    (1200, 1200.0), (1200.0, 1200.0), (12.5, 12.5), ("12.5", 12.5), ("1,200", 1200.0), ("1,200.50", 1200.5),
    ("1，200", 1200.0), ("１，２００．５", 1200.5), ("1 200", 1200.0), ("1\xa0200", 1200.0),
    ("¥1,200", 1200.0), ("￥1,200", 1200.0), ("$12.50", 12.5), ("RMB 500", 500.0), ("rmb500", 500.0),
    ("CNY 500", 500.0), ("500元", 500.0), ("500 元", 500.0), ("1.2万", 12000.0), ("1.2万元", 12000.0),
    ("¥1.2万", 12000.0), ("3亿", 3e8), ("0.5亿", 5e7), ("(1,200)", -1200.0), ("（1,200）", -1200.0),
    ("-1,200", -1200.0), ("－1,200", -1200.0), ("−1,200", -1200.0), ("-¥5", -5.0), ("¥-5", -5.0),
    ("(¥1,200)", -1200.0), ("+5", 5.0), (".5", 0.5), ("1e3", 1000.0), (Decimal("2.5"), 2.5), (0, 0.0),
])
@pytest.mark.parametrize("key", ["score", "cost"])
def test_number_and_money_accept(raw, want, key, cols, spec):
    ok(c(raw, cols, spec, key), want)


@pytest.mark.parametrize("raw", [
    "8%", "８％", "12k", "约100", "abc", "1,2", "1.200,5", "(5", "5)", "--5", "-(-5)", "1万亿", "万",
    "¥", True, dt.date(2026, 1, 1), dt.timedelta(hours=1), float("inf"),
])
def test_number_and_money_reject(raw, cols, spec):
    assert "number" in bad(c(raw, cols, spec, "score"))
    expected = bad(c(raw, cols, spec, "cost", lang="zh-CN"))
    assert expected.startswith("金额") and "¥1,200" in expected


def test_money_accepts_the_spec_currency(cols, spec):
    hk = spec.model_copy(update={"currency": "HK$"})
    ok(coerce("HK$1,200", cols["cost"], SpecIndex(hk)), 1200.0)
    assert not coerce("HK$1,200", cols["cost"], SpecIndex(spec)).ok
    assert parse_number_text("HK$ 5", currency="HK$") == 5.0


@pytest.mark.parametrize("text, want", [
    ("1,200", 1200.0), ("１２００", 1200.0), ("1.2万", 12000.0), ("(3)", -3.0), ("", None), ("8%", None),
    ("x", None), ("1e400", None), (" ¥ 1 200 元 ", 1200.0),
])
def test_parse_number_text(text, want):
    assert parse_number_text(text) == want


def test_wan_multiplier_is_exact():
    assert parse_number_text("1.2万") == 12000.0
    assert parse_number_text("0.07万") == 700.0
    assert parse_number_text("1.1亿") == 110_000_000.0


# --------------------------------------------------------------------------- percent
@pytest.mark.parametrize("raw, want", [
    (0.08, 0.08), ("0.08", 0.08), ("8%", 0.08), ("８％", 0.08), ("8 %", 0.08), ("8.5%", 0.085),
    ("12.3%", 0.123), ("-8%", -0.08), ("100%", 1.0), ("150%", 1.5), ("0%", 0.0), (0, 0.0), (1, 1.0),
    (1.0, 1.0), ("1", 1.0), (0.5, 0.5), (-0.1, -0.1), (150.0, 150.0), ("1,000%", 10.0),
])
def test_percent_accepts(raw, want, cols, spec):
    ok(c(raw, cols, spec, "rate"), want)


@pytest.mark.parametrize("raw, want", [(8, 0.08), (8.0, 0.08), ("8", 0.08), ("８", 0.08), (12.3, 0.123), (100, 1.0), (1.5, 0.015)])
def test_percent_assumed_for_numbers_over_one(raw, want, cols, spec):
    ok(c(raw, cols, spec, "rate"), want, warning="percent-assumed")


@pytest.mark.parametrize("raw", ["abc", "8 percent", "%8", "8%%", "约8%", True, dt.date(2026, 1, 1)])
def test_percent_rejects(raw, cols, spec):
    assert bad(c(raw, cols, spec, "rate", lang="zh-CN")) == t("coerce.percent", "zh-CN")


# --------------------------------------------------------------------------- date
JUNE18 = dt.date(2026, 6, 18)


@pytest.mark.parametrize("raw", [
    JUNE18,                                   # calamine, date-formatted cell
    dt.datetime(2026, 6, 18),                 # openpyxl, date-formatted cell
    dt.datetime(2026, 6, 18, 10, 30),         # a datetime in a date column
    46191.0, 46191, 46191.75,                 # serial numbers (General-formatted cells)
    "2026-06-18", "2026-6-18", "2026/6/18", "2026/06/18", "2026.6.18", "2026年6月18日", "2026年6月18号",
    "2026年06月18日", "2026 年 6 月 18 日", "20260618", 20260618.0, 20260618,
    "２０２６－０６－１８", "２０２６年６月１８日", "2026-06-18 10:00", "2026-06-18T10:00:00", "2026/6/18 9:05:07",
    "6月18日", "6月18号", "6/18", "06/18", "6-18", "6.18", " 6/18 ",
])
def test_date_accepts(raw, cols, spec):
    ok(c(raw, cols, spec, "due", campaign_year=2026), JUNE18)


@pytest.mark.parametrize("raw", [
    "2026-02-30", "2026-13-01", "2026/6/31", "20261318", "2/30", "tomorrow", "18/6/2026", "26-6-18", "2026-6",
    "2026-06-18 25:00", "2026-06/18", dt.time(10, 30), dt.timedelta(days=2), True, 0, 0.5, -1.0, 60,
    2958466.0, 1e12, "46191", "6/18 extra",
])
def test_date_rejects(raw, cols, spec):
    assert bad(c(raw, cols, spec, "due", campaign_year=2026, lang="zh-CN")) == t("coerce.date", "zh-CN")


@pytest.mark.parametrize("raw", ["6/18", "6月18日", "6-18"])
def test_date_without_year_needs_campaign_year(raw, cols, spec):
    assert bad(c(raw, cols, spec, "due")) == t("coerce.date_year", "en")
    ok(c(raw, cols, spec, "due", campaign_year=2027), dt.date(2027, 6, 18))


def test_date_from_serial_1900_system(cols, spec):
    ok(c(1.0, cols, spec, "due"), dt.date(1900, 1, 1))
    ok(c(59.0, cols, spec, "due"), dt.date(1900, 2, 28))
    ok(c(61.0, cols, spec, "due"), dt.date(1900, 3, 1))
    ok(c(2958465.0, cols, spec, "due"), dt.date(9999, 12, 31))
    ok(c(46191.99999999999, cols, spec, "due"), dt.date(2026, 6, 19))  # rounds to the millisecond
    ok(c(45658.0, cols, spec, "due"), dt.date(2025, 1, 1))


def test_date_from_serial_1904_system(cols, spec):
    ok(c(1.0, cols, spec, "due", date1904=True), dt.date(1904, 1, 2))
    ok(c(44729.0, cols, spec, "due", date1904=True), JUNE18)
    ok(c(44729, cols, spec, "due", date1904=True), JUNE18)
    ok(c(46191.0, cols, spec, "due", date1904=True), dt.date(2030, 6, 19))  # same number, 1462 days later
    assert not c(2958465.0, cols, spec, "due", date1904=True).ok
    # date objects and text do not depend on the date system
    ok(c(JUNE18, cols, spec, "due", date1904=True), JUNE18)
    ok(c("2026-06-18", cols, spec, "due", date1904=True), JUNE18)


def test_date1904_matches_openpyxl(tmp_path, cols, spec):
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel

    serial = to_excel(dt.datetime(2026, 6, 18), CALENDAR_MAC_1904)
    ok(c(float(serial), cols, spec, "due", date1904=True), JUNE18)
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active["A1"] = serial  # a General-formatted number in a 1904 workbook
    wb.save(tmp_path / "mac.xlsx")
    back = openpyxl.load_workbook(tmp_path / "mac.xlsx")
    assert back.epoch == CALENDAR_MAC_1904
    ok(c(back.active["A1"].value, cols, spec, "due", date1904=True), JUNE18)


@pytest.mark.parametrize("text, year, want", [
    ("2026-06-18", None, JUNE18), ("2026年6月18日", None, JUNE18), ("20260618", None, JUNE18),
    ("２０２６/６/１８", None, JUNE18), ("6/18", 2026, JUNE18), ("6/18", None, None), ("2026-02-29", None, None),
    ("2028-02-29", None, dt.date(2028, 2, 29)), ("", None, None), ("x", 2026, None),
])
def test_parse_date_text(text, year, want):
    assert parse_date_text(text, year) == want


# --------------------------------------------------------------------------- datetime
@pytest.mark.parametrize("raw, want", [
    (dt.datetime(2026, 6, 18, 10, 0), dt.datetime(2026, 6, 18, 10, 0)),
    (JUNE18, dt.datetime(2026, 6, 18)),
    (46191.41666666666, dt.datetime(2026, 6, 18, 10, 0)),
    (46191.5, dt.datetime(2026, 6, 18, 12, 0)),
    (46191, dt.datetime(2026, 6, 18)),
    ("2026-06-18 10:00", dt.datetime(2026, 6, 18, 10, 0)),
    ("2026-06-18T10:00:05", dt.datetime(2026, 6, 18, 10, 0, 5)),
    ("2026-06-18 10:00:05.25", dt.datetime(2026, 6, 18, 10, 0, 5, 250000)),
    ("2026/6/18 9:05", dt.datetime(2026, 6, 18, 9, 5)),
    ("2026年6月18日 10:30", dt.datetime(2026, 6, 18, 10, 30)),
    ("２０２６－０６－１８　１０：３０", dt.datetime(2026, 6, 18, 10, 30)),
    ("2026-06-18", dt.datetime(2026, 6, 18)),
    ("6/18 14:00", dt.datetime(2026, 6, 18, 14, 0)),
    ("6月18日 14:00", dt.datetime(2026, 6, 18, 14, 0)),
])
def test_datetime_accepts(raw, want, cols, spec):
    ok(c(raw, cols, spec, "at", campaign_year=2026), want)


def test_datetime_1904(cols, spec):
    ok(c(44729.5, cols, spec, "at", date1904=True), dt.datetime(2026, 6, 18, 12, 0))


@pytest.mark.parametrize("raw", ["2026-06-18 24:00", "2026-06-18 10:61", "10:00", dt.time(10, 0), dt.timedelta(hours=3), True, "abc"])
def test_datetime_rejects(raw, cols, spec):
    assert bad(c(raw, cols, spec, "at", campaign_year=2026)) == t("coerce.datetime", "en")


def test_parse_datetime_text():
    assert parse_datetime_text("2026-06-18 10:00") == dt.datetime(2026, 6, 18, 10, 0)
    assert parse_datetime_text("6/18 10:00", 2026) == dt.datetime(2026, 6, 18, 10, 0)
    assert parse_datetime_text("6/18 10:00") is None
    assert parse_datetime_text("2026-06-31 10:00") is None


# --------------------------------------------------------------------------- bool
@pytest.mark.parametrize("raw", [True, 1, 1.0, "1", "是", "Y", "y", "yes", "Yes", "YES", "TRUE", "true", "✓", "✔", "√", "对", " 是 ", "ｙｅｓ"])
def test_bool_true(raw, cols, spec):
    assert c(raw, cols, spec, "paid") == Coerced(True, True)


@pytest.mark.parametrize("raw", [False, 0, 0.0, "0", "否", "N", "n", "no", "No", "FALSE", "false", "×", "✗", "错"])
def test_bool_false(raw, cols, spec):
    assert c(raw, cols, spec, "paid") == Coerced(False, True)


@pytest.mark.parametrize("raw", ["maybe", "x", "2", 2.0, 0.5, "是的", "有", dt.date(2026, 1, 1)])
def test_bool_rejects(raw, cols, spec):
    assert bad(c(raw, cols, spec, "paid", lang="zh-CN")) == "是 / 否"
    assert bad(c(raw, cols, spec, "paid", lang="en")) == "Yes / No"


# --------------------------------------------------------------------------- choice
@pytest.mark.parametrize("raw, want", [
    ("open", "open"), ("OPEN", "open"), ("Open", "open"), ("进行中", "open"), (" 进行中\u200b", "open"),
    ("已完成", "done"), ("Done", "done"), ("done", "done"), ("ｄｏｎｅ", "done"), ("blocked", "blocked"), ("受阻", "blocked"),
])
def test_choice_matches_key_and_every_locale_label(raw, want, cols, spec):
    ok(c(raw, cols, spec, "status"), want)


def test_choice_plain_items_and_numeric_keys(cols, spec):
    ok(c("a", cols, spec, "role"), "A")
    ok(c("R", cols, spec, "role"), "R")
    ok(c(1.0, cols, spec, "level"), "1")   # calamine number
    ok(c(2, cols, spec, "level"), "2")     # openpyxl number
    ok(c("二级", cols, spec, "level"), "2")
    ok(c("level ONE", cols, spec, "level"), "1")


def test_choice_rejects_with_allowed_labels(cols, spec):
    assert bad(c("closed", cols, spec, "status", lang="zh-CN")) == "进行中 / 已完成 / 受阻"
    assert bad(c("closed", cols, spec, "status", lang="en")) == "Open / Done / Blocked"
    assert bad(c("X", cols, spec, "role")) == "R / A / C / I"
    assert bad(c(True, cols, spec, "status")) == "Open / Done / Blocked"


def test_choice_expected_is_cut_after_twelve(cols, spec):
    expected = bad(c("m99", cols, spec, "month"))
    assert expected == " / ".join(f"m{i:02d}" for i in range(1, 13)) + " / …"
    ok(c("M14", cols, spec, "month"), "m14")


def test_choice_key_wins_over_another_items_label():
    text = SPEC_YAML.replace("{key: blocked, label: {zh-CN: 受阻, en: Blocked}}",
                             "{key: blocked, label: {zh-CN: 受阻, en: open}}")
    assert text != SPEC_YAML
    spec2 = load_spec_text(text, "y.yaml").spec
    status = next(col for col in spec2.table("tasks").columns if col.key == "status")
    ok(coerce("open", status, SpecIndex(spec2)), "open")
    ok(coerce("Blocked", status, SpecIndex(spec2)), "blocked")
    ok(coerce("受阻", status, SpecIndex(spec2)), "blocked")


def test_choice_index_is_built_once_per_loaded_spec_and_list(spec):
    loaded = load_spec_text(SPEC_YAML, "x.yaml")
    a = loaded.index.choices["status"]
    assert loaded.index.choices["status"] is a and loaded.index.choices["raci"] is not a
    assert a.match("进行中") == "open" and a.match("nope") is None
    assert ChoiceIndex.build(spec, "status").lookup == a.lookup


def test_choice_kpis_list():
    spec = load_spec_text(MINI.read_text(encoding="utf-8"), "mini.yaml").spec
    col = Column(key="k", label="k", type=ColumnType.choice, choices="kpis")
    ok(coerce("注册数", col, SpecIndex(spec)), "regs")
    ok(coerce("conversion", col, SpecIndex(spec)), "conv")
    assert bad(coerce("x", col, SpecIndex(spec), lang="zh-CN")) == "注册数 / 转化率"


def test_choice_with_mini_spec_tasks_status():
    spec = load_spec_text(MINI.read_text(encoding="utf-8"), "mini.yaml").spec
    status = next(col for col in spec.table("tasks").columns if col.key == "status")
    ok(coerce("已完成", status, SpecIndex(spec)), "done")
    ok(coerce("Open", status, SpecIndex(spec)), "open")


# --------------------------------------------------------------------------- formula
@pytest.mark.parametrize("raw, want", [
    (12.0, 12.0), (12, 12.0), (0.5, 0.5), ("逾期", "逾期"), (" x ", "x"), (True, True),
    (dt.datetime(2026, 6, 18), dt.datetime(2026, 6, 18)), (JUNE18, JUNE18), ("ＡＢＣ", "ＡＢＣ"),
])
def test_formula_values_pass_through(raw, want, cols, spec):
    ok(c(raw, cols, spec, "total"), want)


# --------------------------------------------------------------------------- both readers
def test_values_as_calamine_and_openpyxl_read_them(tmp_path, cols, spec):
    import openpyxl
    from python_calamine import CalamineWorkbook

    row = [1200, 1200.5, "¥1,200", "8%", 0.08, dt.datetime(2026, 6, 18), dt.date(2026, 6, 18), "2026年6月18日", True, "是", "进行中", None]
    keys = ["qty", "score", "cost", "rate", "rate", "due", "due", "due", "paid", "paid", "status", "note"]
    want = [1200, 1200.5, 1200.0, 0.08, 0.08, JUNE18, JUNE18, JUNE18, True, True, "open", None]
    wb = openpyxl.Workbook()
    wb.active.append(row)
    wb.active["B2"] = "#DIV/0!"  # an error cell (t="e")
    path = tmp_path / "r.xlsx"
    wb.save(path)

    cal = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    opx = [[cell.value for cell in r] for r in openpyxl.load_workbook(path, data_only=True).active.iter_rows()]
    for values in (cal[0], opx[0]):
        values = list(values) + [None] * (len(keys) - len(values))  # calamine drops trailing empties
        got = [c(v, cols, spec, k, campaign_year=2026) for v, k in zip(values, keys)]
        assert all(g.ok for g in got), got
        assert [g.value for g in got] == want
    assert c(opx[1][1], cols, spec, "qty").warning == "formula-error"
    # python-calamine (0.9) reads an error cell as '' - indistinguishable from blank
    assert c(cal[1][1], cols, spec, "qty") == Coerced(None, True)


def test_pandas_blanks(cols, spec):
    pd = pytest.importorskip("pandas")
    for raw in (pd.NaT, pd.NA, float("nan")):
        assert c(raw, cols, spec, "due") == Coerced(None, True)
    ok(c(pd.Timestamp("2026-06-18 10:00"), cols, spec, "due"), JUNE18)
    np = pytest.importorskip("numpy")
    ok(c(np.float64(1200.0), cols, spec, "qty"), 1200)
    ok(c(np.int64(7), cols, spec, "score"), 7.0)


def test_coerced_is_frozen():
    r = Coerced(1, True)
    with pytest.raises(AttributeError):
        r.value = 2  # type: ignore[misc]
    assert r == Coerced(1, True, None, None)


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\xa0", "\u200b", " \u200b ", "a", " 中文 ", "中\u200b文", "Ａｂｃ",
                                  "x\ry", "\u2028", "\u2007a", "\t", "\u200e", "全角　空格", "a\u00ad", "\x01", " ￥1,200 "])
def test_text_shortcuts_agree_with_clean_text(text):
    """cell_text and the importer's blank test skip clean_text for plain text; same answers."""
    from campaign_sheets.read.coerce import _UNFOLDED, cell_text
    from campaign_sheets.read.tables import is_blank as _blank
    from campaign_sheets.spec.model import ColumnType

    assert _blank(text) == (not clean_text(text))
    for kind in ColumnType:
        assert cell_text(text, kind) == clean_text(text, fold=kind not in _UNFOLDED)
