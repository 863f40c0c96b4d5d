"""docs/spec.md cannot drift from the model; `campaign-sheets spec list/show/new/check/schema`."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from campaign_sheets import build_workbook
from campaign_sheets.cli import main
from campaign_sheets.spec import model as m
from campaign_sheets.spec.loader import load_spec, load_spec_text

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "spec.md"
MINI = ROOT / "tests" / "specs" / "mini.yaml"
CHILD = ROOT / "tests" / "specs" / "campaign_cc.yaml"
MODELS = [m.Spec, m.Sheet, m.Table, m.Column, m.Rule, m.Kpi, m.Form, m.Metric, m.Breakdown, m.Chart, m.Gantt,
          m.Branding, m.ListItem, m.KpiFigures, m.Rollup, m.CampaignRole, m.BudgetRole, m.TasksRole, m.RisksRole, m.KpisRole,
          m.ChannelsRole, m.LogRole, m.ReviewRole]


def run(*args: str, **kw):
    return CliRunner().invoke(main, list(args), **kw)


# --------------------------------------------------------------------------- the reference doc
def documented() -> dict[str, list[tuple[str, str]]]:
    """{heading: [(key, default cell), ...]} for every `### Heading` of docs/spec.md."""
    out: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"^#{2,3} (.+?)\s*$", line):
            current = heading.group(1)
            out.setdefault(current, [])
        elif current and (row := re.match(r"^\| `([^`]+)` \|", line)):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out[current].append((row.group(1), cells[2] if len(cells) > 2 else ""))
    return out


def test_every_model_has_a_section_and_every_model_class_is_listed():
    strict = {c for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Strict) and c is not m.Strict}
    assert strict == set(MODELS), "a new model needs a section in docs/spec.md and an entry in MODELS"
    doc = documented()
    for model in MODELS:
        assert model.__name__ in doc, f"docs/spec.md has no '### {model.__name__}' section"


@pytest.mark.parametrize("model", MODELS, ids=lambda c: c.__name__)
def test_doc_lists_exactly_the_fields_of_each_model(model: type[BaseModel]):
    rows = documented()[model.__name__]
    keys = [k for k, _ in rows]
    assert len(keys) == len(set(keys)), f"{model.__name__}: a key is documented twice"
    missing = set(model.model_fields) - set(keys)
    extra = set(keys) - set(model.model_fields)
    assert not missing, f"docs/spec.md, {model.__name__}: undocumented keys {sorted(missing)}"
    assert not extra, f"docs/spec.md, {model.__name__}: documented keys the model does not have {sorted(extra)}"
    for key, default in rows:
        assert (default == "required") == model.model_fields[key].is_required(), f"{model.__name__}.{key}: default says {default!r}"


def test_doc_lists_the_inheritance_keys_and_the_formula_language():
    text = DOC.read_text(encoding="utf-8")
    inherit = [k for k, _ in documented()["Inheritance"]]
    assert inherit == ["extends", "remove", "order"]
    for needle in ("LOOKUPKEY(value, [t.key], [t.result])", "`{task_status.done}`", "### Merge rules", "### remove", "### order"):
        assert needle in text


def test_every_yaml_example_of_the_inheritance_section_loads_as_a_child_of_campaign(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Inheritance"):text.index("## Formulas")]
    examples = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(examples) >= 5
    for i, example in enumerate(examples):
        head = "" if "extends:" in example else "extends: campaign\ntemplate: doc\nversion: 1\n"
        path = tmp_path / f"doc{i}.yaml"
        path.write_text(head + example, encoding="utf-8")
        load_spec(path)  # raises SpecError with file:line if an example is wrong


# --------------------------------------------------------------------------- spec list
def test_list_shows_version_and_description_in_either_language(tmp_path, monkeypatch):
    monkeypatch.delenv("CAMPAIGN_SHEETS_SPEC_PATH", raising=False)
    campaign = load_spec("campaign").spec
    en = run("spec", "list", "--lang", "en")
    assert en.exit_code == 0
    line = next(l for l in en.output.splitlines() if l.startswith("campaign "))
    assert f"v{campaign.version}" in line and m.text_for(campaign.description, "en") in line
    zh = run("spec", "list", "--lang", "zh-CN")
    assert m.text_for(campaign.description, "zh-CN") in zh.output


def test_list_includes_local_specs_from_spec_dir_and_environment(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "team.yaml").write_text(
        "extends: campaign\ntemplate: team\nversion: 4\ndescription: {zh-CN: 团队版, en: Team edition}\n", encoding="utf-8")
    (tmp_path / "b" / "broken.yaml").write_text("template: broken\n", encoding="utf-8")
    monkeypatch.setenv("CAMPAIGN_SHEETS_SPEC_PATH", str(tmp_path / "b"))
    out = run("spec", "list", "--spec-dir", str(tmp_path / "a"), "--lang", "en").output
    assert re.search(r"^team\s+v4\s+Team edition$", out, re.M)
    assert re.search(r"^broken\s+\(invalid: run `campaign-sheets spec check broken`\)", out, re.M)
    assert re.search(r"^campaign\s+v1", out, re.M)
    zh = run("spec", "list", "--spec-dir", str(tmp_path / "a"), "--lang", "zh-CN").output
    assert "团队版" in zh and "无效" in zh


# --------------------------------------------------------------------------- spec show
def test_show_prints_the_resolved_spec_that_loads_back_identically():
    result = run("spec", "show", "campaign", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.startswith("# The fully resolved spec")
    again = load_spec_text(result.output, "shown.yaml").spec
    assert again == load_spec("campaign").spec
    data = yaml.safe_load(result.output)
    assert "protect" not in data and all("kind" not in s for s in data["sheets"] if s["key"] == "budget")


def test_show_of_a_child_is_merged_without_inheritance_keys(tmp_path):
    child = tmp_path / "c.yaml"
    child.write_text(f"extends: {CHILD}\ntemplate: c2\nversion: 3\nprotect: false\nremove: [sheets.review]\n"
                     "order: {sheets: [guide, budget]}\n", encoding="utf-8")
    result = run("spec", "show", str(child))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert not {"extends", "remove", "order"} & set(data)
    assert (data["template"], data["version"], data["protect"]) == ("c2", 3, False)
    assert [s["key"] for s in data["sheets"]][:2] == ["guide", "budget"] and "review" not in [s["key"] for s in data["sheets"]]
    assert "cost_centers" in data["lists"]
    assert str(child) in result.output.splitlines()[0] and "campaign.yaml" in result.output.splitlines()[0]
    assert load_spec_text(result.output, "shown.yaml").spec == load_spec(child).spec


def test_show_unknown_spec_fails_cleanly():
    result = run("spec", "show", "no-such-spec", "--lang", "en")
    assert result.exit_code == 2 and "Traceback" not in result.output and "no spec named" in result.output


# --------------------------------------------------------------------------- spec new
EXAMPLE_KEYS = ("branding", "protect", "lists", "sheets", "remove", "order")


def blocks(text: str) -> dict[str, list[int]]:
    """Line numbers of each commented example block, by its top-level key."""
    out: dict[str, list[int]] = {}
    current = None
    for i, line in enumerate(text.splitlines()):
        if head := re.match(r"^# (\w+):", line):
            current = head.group(1) if head.group(1) in EXAMPLE_KEYS else None
            if current:
                out.setdefault(current, []).append(i)
        elif current and line.startswith("#   "):
            out[current].append(i)
        else:
            current = None
    return out


def uncomment(text: str, keys) -> str:
    lines = text.splitlines()
    for key in keys:
        for i in blocks(text)[key]:
            lines[i] = lines[i][2:]
    return "\n".join(lines) + "\n"


def test_new_writes_a_starter_that_passes_check_as_written(tmp_path):
    out = tmp_path / "my_team.yaml"
    result = run("spec", "new", "my_team", "--from", "campaign", "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    text = out.read_text(encoding="utf-8")
    assert "extends: campaign" in text and "template: my_team" in text
    assert set(blocks(text)) == set(EXAMPLE_KEYS)
    check = run("spec", "check", str(out), "--lang", "en")
    assert check.exit_code == 0, check.output
    assert "spec is valid (template my_team v1)" in check.output and "extends" in check.output
    spec = load_spec(out).spec
    assert spec.template == "my_team" and len(spec.sheets) == len(load_spec("campaign").spec.sheets)


@pytest.mark.parametrize("base", ["campaign", str(MINI)])
def test_every_starter_example_works_alone_and_together(tmp_path, base):
    out = tmp_path / "sub" / "starter.yaml"
    assert run("spec", "new", "starter", "--from", base, "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    present = list(blocks(text))
    assert {"branding", "protect", "lists", "sheets", "order"} <= set(present)
    for key in present:
        load_spec_text(uncomment(text, [key]), str(out))  # raises SpecError if an example is wrong
    everything = tmp_path / "sub" / "all.yaml"
    everything.write_text(uncomment(text, present), encoding="utf-8")
    spec = load_spec(everything).spec
    assert spec.protect is False and spec.branding.accent == "#C00000"
    assert any(c.key == "my_note" for t in spec.tables() for c in t.columns)
    build_workbook(str(everything), tmp_path / "all.xlsx", lang="en", example=True)


def test_new_from_a_path_extends_it_relatively_and_comments_in_chinese(tmp_path):
    out = tmp_path / "deep" / "m2.yaml"
    result = run("spec", "new", "m2", "--from", str(MINI), "-o", str(out), "--lang", "zh-CN")
    assert result.exit_code == 0 and "已生成" in result.output
    text = out.read_text(encoding="utf-8")
    extends = re.search(r"^extends: (.+)$", text, re.M).group(1)
    assert not Path(extends).is_absolute() and (out.parent / extends).resolve() == MINI.resolve()
    assert "只写与基础模板不同的部分" in text
    assert load_spec(out).spec.template == "m2"


def test_new_refuses_to_overwrite_and_rejects_bad_names(tmp_path):
    out = tmp_path / "x.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = run("spec", "new", "x", "-o", str(out), "--lang", "en")
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_text(encoding="utf-8") == "keep me\n"
    zh = run("spec", "new", "x", "-o", str(out), "--lang", "zh-CN")
    assert zh.exit_code == 2 and "不会覆盖" in zh.output
    bad = run("spec", "new", "My Team", "-o", str(tmp_path / "y.yaml"), "--lang", "en")
    assert bad.exit_code == 2 and "not a valid template id" in bad.output and not (tmp_path / "y.yaml").exists()
    missing = run("spec", "new", "z", "--from", "no-such-base", "-o", str(tmp_path / "z.yaml"), "--lang", "en")
    assert missing.exit_code == 2 and "no spec named" in missing.output and not (tmp_path / "z.yaml").exists()


def test_new_defaults_to_name_dot_yaml_in_the_current_folder(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["spec", "new", "shop", "--lang", "en"])
    assert result.exit_code == 0 and (tmp_path / "shop.yaml").is_file()
    assert runner.invoke(main, ["spec", "check", "shop.yaml"]).exit_code == 0


# --------------------------------------------------------------------------- spec check
def test_check_resolves_names_in_spec_dir_and_reports_child_lines(tmp_path):
    (tmp_path / "team.yaml").write_text("extends: campaign\ntemplate: team\nversion: 1\n", encoding="utf-8")
    kid = tmp_path / "kids" / "kid.yaml"
    kid.parent.mkdir()
    kid.write_text("extends: team\ntemplate: kid\nversion: 1\nremove: [sheets.reviw]\n", encoding="utf-8")
    result = run("spec", "check", str(kid), "--spec-dir", str(tmp_path), "--lang", "en")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{kid}:4: remove[0]:" in result.output and "did you mean 'sheets.review'?" in result.output
    kid.write_text("extends: team\ntemplate: kid\nversion: 1\nremove: [sheets.review]\n", encoding="utf-8")
    ok = run("spec", "check", str(kid), str(CHILD), "--spec-dir", str(tmp_path), "--lang", "en")
    assert ok.exit_code == 0 and ok.output.count("spec is valid") == 2
    unknown = run("spec", "check", str(kid), "--lang", "en")  # without the folder, `team` is unknown
    assert unknown.exit_code == 1 and "no base spec 'team'" in unknown.output


# --------------------------------------------------------------------------- spec schema
def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def test_schema_is_json_with_inheritance_keys_and_can_be_written(tmp_path):
    result = run("spec", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/") and schema["title"]
    assert {"extends", "remove", "order"} <= set(schema["properties"])
    assert set(m.Spec.model_fields) <= set(schema["properties"])
    assert {"Sheet", "Table", "Column", "Rule", "Kpi"} <= set(schema["$defs"])
    out = tmp_path / "spec.schema.json"
    written = run("spec", "schema", "-o", str(out), "--lang", "en")
    assert written.exit_code == 0 and "Wrote the JSON Schema" in written.output
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_schema_accepts_real_specs_and_rejects_typos(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run("spec", "schema").output)
    validator = jsonschema.Draft202012Validator(schema)
    starter = tmp_path / "s.yaml"
    run("spec", "new", "s", "-o", str(starter))
    for path in (ROOT / "workbook_specs" / "campaign.yaml", MINI, CHILD, starter):
        data = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {[e.message for e in errors][:3]}"
    data = _jsonable(yaml.safe_load(CHILD.read_text(encoding="utf-8")))
    data["sheets"][0]["tables"][0]["columns"][0]["tpye"] = "text"
    assert list(validator.iter_errors(data))
    assert list(validator.iter_errors({"title": "x", "sheets": []}))  # no template / version
    assert list(validator.iter_errors({"template": "x", "version": 1}))  # a full spec needs sheets


def test_spec_group_help_lists_every_command():
    out = run("spec", "--help").output
    for command in ("check", "list", "new", "schema", "show"):
        assert re.search(rf"^\s+{command}\b", out, re.M)
