"""The README's examples work as written and give what the README shows (so the documentation
cannot drift): every ```python block runs, and every result shown in a comment is what the line
returns; the brief shown as posted is what `brief` writes for that day."""
import ast
import datetime as dt
import doctest
import io
import re
import tokenize
from pathlib import Path

from campaign_sheets import build_workbook
from campaign_sheets.read.importer import import_workbook
from campaign_sheets.spec.loader import load_spec

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

# a comment that shows a result starts like a Python value: {…}, (…), […], '…', a number, True/False/None
RESULT = re.compile(r"""^(?:[{(\['"]|-?\d|True\b|False\b|None\b)""")
_ELLIPSIS = doctest.OutputChecker()


def result_comments(block: str) -> dict[int, str]:
    """Line number (1-based, in the block) -> the result its trailing comment shows."""
    shown = {}
    for tok in tokenize.generate_tokens(io.StringIO(block).readline):
        if tok.type == tokenize.COMMENT:
            text = tok.string[1:].strip()
            if RESULT.match(text) and tok.line[:tok.start[1]].strip():   # after code on its line
                shown[tok.start[0]] = text
    return shown


def shows(expected: str, actual: str) -> bool:
    """The README's `expected` is the `actual` repr, where `...` stands for any part left out."""
    return _ELLIPSIS.check_output(expected + "\n", actual + "\n", doctest.ELLIPSIS)


def run_block(block: str, name: str, namespace: dict) -> list[tuple[int, str, str]]:
    """Run `block` statement by statement in `namespace`; each statement whose last line shows a
    result is evaluated and compared. Returns (line, shown, actual) for every result checked."""
    shown = result_comments(block)
    checked = []
    for node in ast.parse(block).body:
        code = ast.Module(body=[node], type_ignores=[])
        expected = shown.pop(node.end_lineno, None)
        if expected is None:
            exec(compile(code, name, "exec"), namespace)   # noqa: S102 - the README's own examples
            continue
        assert isinstance(node, ast.Expr), f"{name}:{node.lineno}: a result is shown for a statement that has none"
        value = eval(compile(ast.Expression(node.value), name, "eval"), namespace)   # noqa: S307
        checked.append((node.lineno, expected, repr(value)))
    assert not shown, f"{name}: results shown on lines that are not the end of a statement: {shown}"
    return checked


def test_every_python_block_of_the_readme_runs_and_gives_what_its_comments_show(tmp_path, monkeypatch):
    """Each ```python block runs in order, in one namespace, in a folder holding what the prose
    says a reader has: the worked example as `filled.xlsx` and a folder `filled/` of it in both
    languages. The dates the results depend on are pinned in the README's own code."""
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    build_workbook("campaign", tmp_path / "filled.xlsx", example=True)
    for lang in ("zh-CN", "en"):
        build_workbook("campaign", tmp_path / "filled" / f"{lang}.xlsx", lang=lang, example=True)
    namespace: dict = {}
    checked = []
    for i, block in enumerate(blocks):
        checked += [(i + 1, *c) for c in run_block(block, f"README.md python block {i + 1}", namespace)]
    assert len(checked) >= 2, "the README's results in comments were not found"
    wrong = [f"python block {b} line {line}: the README shows {shown}, the code gives {got}"
             for b, line, shown, got in checked if not shows(shown, got)]
    assert not wrong, "\n".join(wrong)


def test_results_are_compared_not_just_run():
    """The comparison can fail: a shown result that differs from the value, a part left out with `...`."""
    assert shows("{'a': 1, ..., 'c': 3}", repr({"a": 1, "b": 2, "c": 3}))
    assert not shows("{'a': 1, 'b': 3}", repr({"a": 1, "b": 2}))
    assert not shows("(True, {'error': 0})", repr((True, {"error": 0, "warning": 2})))
    block = "x = 2\nx + 1    # 4\nx    # this is a description, not a result\n"
    assert run_block(block, "b", {}) == [(2, "4", "3")]


def test_the_brief_shown_as_posted_is_what_brief_writes_for_that_day(tmp_path):
    """The README's markdown brief of the worked example "at 20 June" is render(brief_for(...))."""
    from campaign_sheets.brief import brief_for, render

    intro = README.index("The worked example at 20 June, as it is posted:")
    shown = re.search(r"```markdown\n(.*?)```", README[intro:], re.S).group(1)
    book = build_workbook("campaign", tmp_path / "example.xlsx", example=True)
    got = render(brief_for(book, date=dt.date(2026, 6, 20)), "md")
    assert got.strip() == shown.strip()


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
