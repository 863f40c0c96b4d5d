"""A bad spec lists every problem at once, each with file, line and path; never a traceback."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from campaign_sheets.cli import main
from campaign_sheets.errors import SpecError
from campaign_sheets.spec.loader import load_spec, load_spec_text

MINI = (Path(__file__).resolve().parents[1] / "specs" / "mini.yaml").read_text(encoding="utf-8")


def problems(text: str) -> list:
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "bad.yaml")
    return info.value.problems


def test_mini_spec_loads():
    assert load_spec_text(MINI, "mini.yaml").spec.template == "mini"


def test_misspelt_type_names_line_path_and_suggestion():
    text = MINI.replace("type: money}\n          - {key: actual", "type: mony}\n          - {key: actual", 1)
    (p,) = problems(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "type: mony" in l)
    assert p.file == "bad.yaml" and p.line == line
    assert p.path == "sheets[3].tables[0].columns[1].type"
    assert "'mony' is not a column type" in p.message and "did you mean 'money'" in p.message


def test_every_problem_is_listed_at_once():
    text = MINI.replace("rows: 5\n        columns:\n          - {key: name", "rowz: 5\n        columns:\n          - {key: name", 1)
    text = text.replace("choices: status}", "choices: statuz}", 1)
    text = text.replace("formula: \"[end]-[start]+1\"", "formula: \"[end]-[begin]+1\"", 1)
    found = problems(text)
    messages = " | ".join(f"{p.path}: {p.message}" for p in found)
    assert "unknown key 'rowz'; did you mean 'rows'?" in messages
    # shape errors stop cross-reference checks, so fix the shape and check the rest
    text = text.replace("rowz: 5", "rows: 5")
    found = problems(text)
    messages = " | ".join(f"{p.path}: {p.message}" for p in found)
    assert "no named list 'statuz'" in messages
    assert "unknown column 'begin'" in messages
    assert all(p.line for p in found)


def test_yaml_syntax_error_has_a_line():
    (p,) = problems("template: x\nversion: [1\n")
    assert p.line is not None and "YAML" in p.message


def test_unknown_list_item_in_formula():
    text = MINI.replace("{status.done})'", "{status.finished})'", 1)
    assert any("has no item 'finished'" in p.message for p in problems(text))


def test_messages_in_chinese():
    text = MINI.replace("type: money}\n          - {key: actual", "type: mony}\n          - {key: actual", 1)
    with pytest.raises(SpecError) as info:
        load_spec_text(text, "bad.yaml", lang="zh-CN")
    assert "不是有效的列类型" in info.value.problems[0].message


def test_cli_spec_check_reports_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.replace("type: money}\n          - {key: actual", "type: mony}\n          - {key: actual", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["spec", "check", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{bad}:" in result.output and "did you mean 'money'" in result.output
    result = CliRunner().invoke(main, ["build", "--spec", str(bad), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_unknown_spec_name_lists_available():
    from campaign_sheets.errors import SpecNotFound

    with pytest.raises(SpecNotFound) as info:
        load_spec("no-such-spec")
    assert "campaign" in str(info.value)


def test_a_rule_message_placeholder_that_names_nothing_is_a_spec_problem(tmp_path):
    from campaign_sheets.errors import SpecError
    from campaign_sheets.spec.loader import load_spec

    path = tmp_path / "child.yaml"
    path.write_text(
        "extends: campaign\ntemplate: child\nversion: 1\nsheets:\n  - key: budget\n    tables:\n      - key: budget\n"
        "        rules:\n          - code: budget-overrun\n            when: '[actual]>[planned]'\n"
        "            at: [actual]\n            values: {over: '[actual]-[planned]'}\n"
        "            message: {zh-CN: '超支 {over}（{actuals}）', en: 'Over by {over} ({actuals})'}\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(str(path))
    assert [p.message for p in info.value.problems] == [
        "{actuals} in the message is not a column of the row, one of the rule's values, or value / cells / count"]
    assert info.value.problems[0].line == 13
