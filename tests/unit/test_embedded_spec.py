"""Self-describing workbooks: a workbook carries its resolved spec and is read the same anywhere."""
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets import build_workbook, import_workbook
from campaign_sheets.cli import main
from campaign_sheets.contract import SPEC_SHEET, read_spec_rows
from campaign_sheets.spec.loader import load_spec

SPECS = Path(__file__).resolve().parents[1] / "specs"
TODAY = dt.date(2026, 6, 20)


@pytest.fixture(scope="module")
def custom(tmp_path_factory):
    """A workbook of an admin's spec (a channel and a KPI added), built where that spec lives."""
    folder = tmp_path_factory.mktemp("team")
    spec_dir = folder / "specs"
    spec_dir.mkdir()
    (spec_dir / "wecom_team.yaml").write_text((SPECS / "wecom_team.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = build_workbook("wecom_team", folder / "filled" / "team.xlsx", example=True, spec_dir=[str(spec_dir)])
    return path, spec_dir


def _issues(result):
    return sorted((i.code, i.sheet, i.cell) for i in result.report.issues)


def test_the_workbook_carries_its_resolved_spec_and_hash(custom):
    path, spec_dir = custom
    loaded = load_spec("wecom_team", spec_dir=[str(spec_dir)])
    rows = openpyxl.load_workbook(path)[SPEC_SHEET]
    data, sha = read_spec_rows([[c.value for c in row] for row in rows.iter_rows()])
    assert sha == loaded.sha256 and data == loaded.spec.model_dump(mode="json", exclude_defaults=True)
    assert "extends" not in data and any(k["key"] == "leads" for k in data["kpis"])


def test_read_where_the_spec_is_not_the_same_as_where_it_is(custom, tmp_path, monkeypatch):
    """On a machine that never saw wecom_team.yaml, the workbook reads with the spec it carries:
    the same issues (WeCom a valid channel, the leads column known), plus one info note."""
    path, spec_dir = custom
    monkeypatch.delenv("CAMPAIGN_SHEETS_SPEC_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    here = import_workbook(path, today=TODAY, spec_dir=[str(spec_dir)])
    away = import_workbook(path, today=TODAY)
    assert away.meta["template"] == "wecom_team"
    notes = [i for i in away.report.issues if i.code == "spec-embedded"]
    assert [(i.severity, i.value) for i in notes] == [("info", "wecom_team v1")]
    assert _issues(away) == sorted(_issues(here) + [("spec-embedded", None, None)])
    assert "wecom" in away.columns["channel_plan"]["channel"] and away.columns["kpi_daily"]["leads"][:2] == [35, 41]
    assert here.report.counts()["error"] == away.report.counts()["error"] == 0


def test_validate_import_and_rollup_in_a_clean_folder_lose_nothing(custom, tmp_path):
    """The CLI in a fresh process and folder, no spec given: validate and import find the same as
    with the spec; the rollup keeps the custom KPI."""
    path, spec_dir = custom
    env = {k: v for k, v in os.environ.items() if k != "CAMPAIGN_SHEETS_SPEC_PATH"}
    cli = [sys.executable, "-m", "campaign_sheets"]
    away = subprocess.run([*cli, "validate", str(path), "--format", "json", "--lang", "en"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    here = subprocess.run([*cli, "validate", str(path), "--format", "json", "--lang", "en", "--spec-dir", str(spec_dir)],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert away.returncode == here.returncode == 0, away.stderr
    a, h = json.loads(away.stdout)["files"][0], json.loads(here.stdout)["files"][0]
    assert a["template"] == "wecom_team" and [i["code"] for i in a["issues"] if i["severity"] == "info"] == ["spec-embedded"]
    assert [i for i in a["issues"] if i["severity"] != "info"] == h["issues"]
    out = tmp_path / "rollup.xlsx"
    res = subprocess.run([*cli, "rollup", str(path.parent), "-o", str(out), "-q", "--lang", "en", "--today", "2026-06-20"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    import pandas as pd

    campaigns = pd.read_excel(out, sheet_name="Campaigns", engine="calamine")
    assert campaigns.loc[0, "WeCom leads · latest"] == 8 and campaigns.loc[0, "WeCom leads · target"] == 600
    channels = pd.read_excel(out, sheet_name="Channels", engine="calamine")
    assert "WeCom" in set(channels["Channel"])


def test_a_local_spec_that_differs_from_the_carried_one_is_used_with_a_warning(custom, tmp_path):
    path, spec_dir = custom
    changed = tmp_path / "specs"
    changed.mkdir()
    text = (spec_dir / "wecom_team.yaml").read_text(encoding="utf-8").replace("企微留资", "企微线索")
    (changed / "wecom_team.yaml").write_text(text, encoding="utf-8")
    result = import_workbook(path, today=TODAY, spec_dir=[str(changed)])
    assert [(i.code, i.severity, i.value) for i in result.report.issues if i.code.startswith("spec-")] == [
        ("spec-differs", "warning", "wecom_team v1")]


def test_the_carried_spec_is_untrusted_input(custom, tmp_path):
    """An edited or hostile _spec is never used: a changed hash, `extends` (which would reach for
    files here), an invalid spec or a decompression bomb each give one warning, and without a
    local spec the workbook is template-unknown, not read as some other template."""
    import base64
    import zlib

    path, _ = custom

    def with_spec(rows, name):
        wb = openpyxl.load_workbook(path)
        ws = wb[SPEC_SHEET]
        ws.delete_rows(1, ws.max_row)
        for r in rows:
            ws.append(r)
        out = tmp_path / name
        wb.save(out)
        return out

    def packed(data) -> str:
        return base64.b64encode(zlib.compress(json.dumps(data).encode())).decode()

    good = [[c.value for c in row] for row in openpyxl.load_workbook(path)[SPEC_SHEET].iter_rows()]
    data, sha = read_spec_rows(good)
    cases = {
        "hash": [[good[0][0], "0" * 64], [packed(data)]],
        "extends": [[good[0][0], sha], [packed({**data, "extends": "/etc/passwd"})]],
        "invalid": [[good[0][0], sha], [packed({**data, "version": "one"})]],
        "bomb": [[good[0][0], sha], [base64.b64encode(zlib.compress(b"[" * 50_000_000)).decode()]],
        "garbage": [[good[0][0], sha], ["not base64 !!"]],
    }
    for name, rows in cases.items():
        result = import_workbook(with_spec(rows, f"{name}.xlsx"), today=TODAY)
        codes = [i.code for i in result.report.issues if i.code.startswith(("spec-", "template-"))]
        assert codes == ["spec-embedded-unusable", "template-unknown"], (name, codes)
        assert result.spec is None


def test_a_carried_spec_this_machine_has_is_not_loaded_again(custom, tmp_path, monkeypatch):
    """The hash `_spec` records says the carried spec is the local one: no second load and check
    (it cost most of an import), the same result. One that differs is still loaded and told apart."""
    from campaign_sheets.read import locate

    path, spec_dir = custom
    before = import_workbook(path, today=TODAY, spec_dir=[str(spec_dir)])
    calls = []
    real = locate.load_embedded
    monkeypatch.setattr(locate, "load_embedded", lambda *a, **k: calls.append(a) or real(*a, **k))
    after = import_workbook(path, today=TODAY, spec_dir=[str(spec_dir)])
    assert calls == [] and [i.code for i in after.report.issues] == [i.code for i in before.report.issues]
    changed = tmp_path / "specs"
    changed.mkdir()
    text = (spec_dir / "wecom_team.yaml").read_text(encoding="utf-8").replace("企微留资", "企微线索")
    (changed / "wecom_team.yaml").write_text(text, encoding="utf-8")
    codes = [i.code for i in import_workbook(path, today=TODAY, spec_dir=[str(changed)]).report.issues]
    assert len(calls) == 1 and "spec-differs" in codes
