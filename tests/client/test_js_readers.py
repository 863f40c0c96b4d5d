"""Readers nobody here wrote open what the project writes: ExcelJS and SheetJS (Node.js)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from campaign_sheets import build_workbook, import_workbook
from campaign_sheets.annotate import annotate
from tests.conftest import JS_READERS

SPECS = Path(__file__).resolve().parents[1] / "specs"


def opened(*paths: Path) -> list[dict]:
    res = subprocess.run(["node", str(JS_READERS / "open.js"), *map(str, paths)], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


@pytest.mark.jsreaders
def test_templates_examples_and_annotated_copies_open_in_exceljs_and_sheetjs(tmp_path):
    paths = [build_workbook("campaign", tmp_path / "empty.xlsx"),
             build_workbook("campaign", tmp_path / "example-en.xlsx", lang="en", example=True),
             build_workbook(str(SPECS / "wecom_team.yaml"), tmp_path / "team.xlsx", example=True)]
    for p in list(paths):
        report = import_workbook(p, today=dt.date(2026, 6, 20)).report
        paths.append(annotate(p, report, tmp_path / "ann", lang="zh-CN"))
    for result in opened(*paths):
        assert result["exceljs"]["ok"], result
        assert result["sheetjs"]["ok"], result
        if result["file"].endswith(".annotated.xlsx"):
            assert result["exceljs"]["sheets"][0] == "问题清单" and result["sheetjs"]["sheets"][0] == "问题清单"
