"""What derives from a spec is built once, with the loaded spec, and the spec cannot change under it."""
import pydantic
import pytest

from campaign_sheets.spec.index import SpecIndex
from campaign_sheets.spec.loader import load_spec, load_spec_text


def test_a_loaded_spec_is_frozen_and_carries_its_index():
    loaded = load_spec("campaign")
    with pytest.raises(pydantic.ValidationError):
        loaded.spec.version = 99
    with pytest.raises(pydantic.ValidationError):
        loaded.spec.sheets[0].title = "x"
    index = loaded.index
    assert load_spec("campaign").index is index   # loaded once per file state, with its index
    assert set(index.tables) == {t.key for t in loaded.spec.tables()}
    assert index.tables["raci"].groups["role"] == [c.key for c in index.tables["raci"].columns if c.key.startswith("role_")]
    codes = [r.code for r in index.rules["kpi_daily"]]
    assert codes.count("kpi-alert") == len(loaded.spec.kpis)   # thresholds come from the definitions table
    assert index.list_label("task_status", "done", "zh-CN") == "已完成" and index.list_label("task_status", "done", "en") == "Done"
    assert index.choices["task_status"].match(" 已完成 ") == "done"
    assert index.expression("1+1") is index.expression("1+1")   # compiled once


def test_an_edited_spec_file_gives_a_new_index(tmp_path):
    text = load_spec("campaign").path
    path = tmp_path / "c.yaml"
    path.write_text(open(text, encoding="utf-8").read(), encoding="utf-8")
    first = load_spec(str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1), encoding="utf-8")
    second = load_spec(str(path))
    assert second.spec.version == 2 and second.index is not first.index and second.index.spec is second.spec


def test_an_index_can_be_built_for_any_valid_spec():
    yaml = """
template: t
version: 1
title: T
lists:
  status: [open, done]
sheets:
  - key: s
    title: S
    tables:
      - key: items
        title: Items
        columns:
          - {key: name, label: Name}
          - {key: status, label: Status, type: choice, choices: status}
"""
    spec = load_spec_text(yaml, "t.yaml").spec
    index = SpecIndex(spec)
    assert index.header_labels["items"]["name"] == "name" and index.rules["items"] == []
    assert [p.role for p in index.role_problems] == ["campaign", "budget", "tasks", "risks", "kpis", "channels", "log", "review"]
