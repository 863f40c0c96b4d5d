"""The README's examples work as written (so the documentation cannot drift)."""
import re
from pathlib import Path

from campaign_sheets import build_workbook
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.spec.loader import load_spec

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    """Each ```python block runs in order, in one namespace, in a folder holding what the prose
    says a reader has: a filled workbook `filled.xlsx` and a folder `filled/` of them."""
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    build_workbook("campaign", tmp_path / "filled.xlsx", example=True)
    for lang in ("zh-CN", "en"):
        build_workbook("campaign", tmp_path / "filled" / f"{lang}.xlsx", lang=lang, example=True)
    namespace: dict = {}
    for i, block in enumerate(blocks):
        code = compile(block, f"README.md python block {i + 1}", "exec")
        exec(code, namespace)   # noqa: S102 - the README's own examples


def test_admin_example_builds_and_imports_cleanly(tmp_path):
    start = README.index("extends: campaign\ntemplate: my_team")
    spec_file = tmp_path / "my_team.yaml"
    spec_file.write_text(README[start:README.index("```", start)], encoding="utf-8")
    loaded = load_spec(str(spec_file))
    assert loaded.spec.template == "my_team" and "review" not in [s.key for s in loaded.spec.sheets]
    for lang in ("zh-CN", "en"):
        path = build_workbook(loaded, tmp_path / f"team-{lang}.xlsx", lang=lang, example=True)
        result = import_workbook(path, spec=loaded)
        assert result.report.counts()["error"] == 0, [i.message for i in result.report.issues if i.severity == "error"]
        assert "cost_center" in result.tables["budget"].columns
