"""The portal's JSON API and its store, on SQLite (tests/unit/test_portal_pg.py runs the same on PostgreSQL)."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from campaign_sheets import build_workbook, import_workbook
from campaign_sheets.cli import main
from campaign_sheets.portal.app import Settings, create_app
from campaign_sheets.portal.auth import add_user

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "samples" / "campaign-example.xlsx"


def client_for(tmp: Path, db_url: str | None = None, **kw) -> TestClient:
    settings = Settings(db_url=db_url or f"sqlite:///{tmp}/portal.db", store=tmp / "store", **kw)
    return TestClient(create_app(settings))


@pytest.fixture
def client(tmp_path):
    return client_for(tmp_path)


def upload(client: TestClient, *paths: Path, name: str | None = None, headers: dict | None = None):
    files = [("file", (name or p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return client.post("/api/submissions", files=files, headers=headers or {})


def test_submit_a_good_and_a_broken_file_in_one_request(client, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("name,budget\nx,1\n", encoding="utf-8")
    r = upload(client, EXAMPLE, bad)
    assert r.status_code == 201
    good, broken = r.json()["submissions"]
    assert good["accepted"] and good["created"] and good["campaign_id"] == "2026-UG-018"
    assert not broken["accepted"] and broken["report"]["unreadable"] and broken["campaign_id"] is None
    assert broken["report"]["issues"][0]["code"] == "not-xlsx-csv"
    # the report is validate --format json's file entry, with the sender's file name
    cli = json.loads(CliRunner().invoke(main, ["validate", "--format", "json", str(EXAMPLE)]).output)
    entry = cli["files"][0] if "files" in cli else cli
    assert set(good["report"]) == set(entry)
    # the same issues as validate's: both judge the workbook's rules on the day it is checked
    codes = [i["code"] for i in good["report"]["issues"]]
    assert codes == [i["code"] for i in entry["issues"]]
    assert {i["file"] for i in good["report"]["issues"]} == {"campaign-example.xlsx"}
    listed = client.get("/api/submissions").json()["submissions"]
    assert [s["status"] for s in listed] == ["rejected", "warnings"]


def test_the_same_bytes_again_are_the_same_submission(client):
    first = upload(client, EXAMPLE).json()["submissions"][0]
    again = upload(client, EXAMPLE, name="renamed.xlsx").json()["submissions"][0]
    assert again["submission_id"] == first["submission_id"] and not again["created"]
    assert len(client.get("/api/submissions").json()["submissions"]) == 1


def test_original_bytes_and_the_annotated_copy_come_back(client, tmp_path):
    sid = upload(client, EXAMPLE).json()["submissions"][0]["submission_id"]
    assert client.get(f"/api/submissions/{sid}/file").content == EXAMPLE.read_bytes()
    r = client.get(f"/api/submissions/{sid}/annotated?lang=en")
    assert r.status_code == 200 and "annotated" in r.headers["content-disposition"]
    copy = tmp_path / "annotated.xlsx"
    copy.write_bytes(r.content)
    sheets = openpyxl.load_workbook(copy).sheetnames
    assert sheets[0] == "Issues"
    assert import_workbook(copy).meta["campaign_id"] == "2026-UG-018"


def test_a_file_name_is_never_a_path(client, tmp_path):
    r = upload(client, EXAMPLE, name="../../../../tmp/evil.xlsx")
    sub = r.json()["submissions"][0]
    assert sub["filename"] == "evil.xlsx"
    assert not Path("/tmp/evil.xlsx").exists()
    sha = client.get(f"/api/submissions/{sub['submission_id']}").json()["sha256"]
    assert [p.name for p in (tmp_path / "store").rglob("*.xlsx")] == [f"{sha}.xlsx"]


def test_resubmission_becomes_the_current_state_and_history_stays(client, tmp_path):
    first = upload(client, EXAMPLE).json()["submissions"][0]
    # the team fixes the file: same campaign, different bytes (another day's figures)
    fixed = build_workbook("campaign", tmp_path / "fixed.xlsx", lang="en", example=True)
    second = upload(client, Path(fixed)).json()["submissions"][0]
    assert second["campaign_id"] == first["campaign_id"] and second["submission_id"] != first["submission_id"]
    detail = client.get(f"/api/campaigns/{first['campaign_id']}").json()
    assert detail["current_submission"] == second["submission_id"]
    assert [s["id"] for s in detail["submissions"]] == [second["submission_id"], first["submission_id"]]
    assert {k["submission_id"] for k in detail["kpi_history"]} == {first["submission_id"], second["submission_id"]}
    by_sub = {}
    for row in detail["issue_history"]:
        by_sub.setdefault(row["submission_id"], {})[row["code"]] = row["count"]
    # the example ended on 30 Jun: of its three open tasks past their end, T11 and T12 were due by the end
    # (unfinished at close), T14, the close-out report due 3 Jul, is overdue
    assert by_sub[first["submission_id"]]["task-overdue"] == 3
    assert (detail["facts"]["tasks_unfinished_at_close"], detail["facts"]["tasks_overdue"]) == (2, 1)
    goals = {g["kpi"]["key"]: g for g in detail["brief"]["goals"]}
    # the brief is at the date the facts were judged on, its figures as of the data's last day
    # (the campaign is over and its figures stop on 20 June: a result with ten days unknown, no verdict)
    assert goals["registrations"]["status"] == "incomplete" and goals["registrations"]["final"]
    assert detail["brief"]["date"] == detail["facts"]["today"]
    assert detail["brief"]["campaign"]["as_of"] == detail["facts"]["data_as_of"] == "2026-06-20"
    campaigns = client.get("/api/campaigns").json()["campaigns"]
    assert [c["campaign_id"] for c in campaigns] == ["2026-UG-018"]


def test_portfolio_exports_with_filters(client):
    scenario_files = sorted((ROOT / "samples" / "scenarios").glob("*.xlsx"))
    upload(client, EXAMPLE, *scenario_files)
    r = client.get("/api/portfolio.xlsx?lang=en")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "Campaigns" in wb.sheetnames
    z = zipfile.ZipFile(io.BytesIO(client.get("/api/portfolio.csv").content))
    campaigns = z.read("campaigns.csv").decode("utf-8-sig").splitlines()
    assert len(campaigns) == 1 + 1 + len(scenario_files)
    one = zipfile.ZipFile(io.BytesIO(client.get("/api/portfolio.csv?scenario=user_growth").content))
    rows = one.read("campaigns.csv").decode("utf-8-sig").splitlines()
    assert 2 <= len(rows) < len(campaigns)
    pq = zipfile.ZipFile(io.BytesIO(client.get("/api/portfolio.parquet").content))
    assert "campaigns.parquet" in pq.namelist()
    assert client.get("/api/portfolio.exe").status_code == 404


def test_templates_list_and_a_blank_workbook(client, tmp_path):
    names = client.get("/api/templates").json()["templates"]
    assert "campaign" in names and "user_growth" in names
    r = client.get("/api/templates/user_growth.xlsx?lang=en")
    assert r.status_code == 200
    (tmp_path / "blank.xlsx").write_bytes(r.content)
    assert import_workbook(tmp_path / "blank.xlsx").meta["template"] == "user_growth"
    assert client.get("/api/templates/nope.xlsx").status_code == 404


def test_size_limit_is_enforced_while_streaming_and_nothing_is_kept(tmp_path):
    client = client_for(tmp_path, max_upload=50_000)
    r = upload(client, EXAMPLE)
    assert r.status_code == 413 and "limit" in r.json()["message"]
    assert client.get("/api/submissions").json()["submissions"] == []
    assert list((tmp_path / "store" / "incoming").iterdir()) == []


def test_hostile_workbooks_are_recorded_with_their_code_and_no_rows(client, tmp_path):
    from tests.bad_inputs.make_corpus import make_corpus

    cases = make_corpus(tmp_path / "bad", names=["zip-bomb-sheet", "xxe-passwd"])
    r = upload(client, *[c.path for c in cases])
    subs = r.json()["submissions"]
    assert [s["report"]["issues"][0]["code"] for s in subs] == ["zip-bomb", "xml-entities"]
    assert all(not s["accepted"] and s["campaign_id"] is None for s in subs)
    assert client.get("/api/campaigns").json()["campaigns"] == []
    assert "root:" not in r.text


def test_security_headers_and_hosts(client):
    r = client.get("/healthz")
    assert r.json() == {"ok": True}
    assert "script-src 'self'" in r.headers["content-security-policy"] and r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/healthz", headers={"host": "evil.example"}).status_code == 400


def test_a_browser_post_from_elsewhere_needs_the_csrf_token(client):
    r = upload(client, EXAMPLE, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    assert client.get("/api/submissions").json()["submissions"] == []


def test_no_traceback_reaches_the_client(client, monkeypatch):
    app = client.app
    monkeypatch.setattr(app.state.ctx.portal, "count", lambda: 1 / 0)
    r = TestClient(app, raise_server_exceptions=False).get("/healthz")
    assert r.status_code == 500 and "Traceback" not in r.text and "ZeroDivision" not in r.text


def test_with_users_sign_in_is_required_and_teams_see_their_own(tmp_path):
    users = tmp_path / "users.yaml"
    alice = add_user(users, "alice", "team", "a-long-password")
    bob = add_user(users, "bob", "team", "another-password")
    ana = add_user(users, "ana", "analyst", "third-password")
    client = client_for(tmp_path, users=users)
    assert client.get("/api/submissions").status_code == 401
    assert upload(client, EXAMPLE).status_code == 401
    r = upload(client, EXAMPLE, headers={"authorization": f"Bearer {alice}"})
    assert r.status_code == 201
    sid = r.json()["submissions"][0]["submission_id"]
    as_bob = {"authorization": f"Bearer {bob}"}
    assert client.get("/api/submissions", headers=as_bob).json()["submissions"] == []
    assert client.get(f"/api/submissions/{sid}", headers=as_bob).status_code == 404
    assert client.get(f"/api/submissions/{sid}/file", headers=as_bob).status_code == 404
    as_ana = {"authorization": f"Bearer {ana}"}
    assert len(client.get("/api/submissions", headers=as_ana).json()["submissions"]) == 1
    assert client.get("/api/submissions", headers={"authorization": "Bearer wrong"}).status_code == 401


def test_serve_refuses_other_hosts_without_users(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--db", f"sqlite:///{tmp_path}/x.db",
                                  "--store", str(tmp_path / "s"), "--lang", "en"])
    assert r.exit_code == 2 and "--users" in r.output


def test_rollup_loads_the_same_database(tmp_path):
    from tests.support.corpus import make_corpus

    files = make_corpus(tmp_path / "in", 4, broken=1)
    db = f"sqlite:///{tmp_path}/portal.db"
    r = CliRunner().invoke(main, ["rollup", str(tmp_path / "in"), "-o", str(tmp_path / "out.xlsx"), "--db", db,
                                  "--store", str(tmp_path / "store"), "-j", "1", "-q"])
    assert r.exit_code == 2, r.output   # the broken file
    client = client_for(tmp_path, db_url=db)
    subs = client.get("/api/submissions").json()["submissions"]
    assert len(subs) == len(files) and {s["source"] for s in subs} == {"rollup"}
    assert sum(s["status"] == "rejected" for s in subs) == 1
    assert len(client.get("/api/campaigns").json()["campaigns"]) == 4


def test_admins_add_templates_and_others_cannot(tmp_path):
    users = tmp_path / "users.yaml"
    admin = {"authorization": f"Bearer {add_user(users, 'root', 'admin', 'admin-password')}"}
    team = {"authorization": f"Bearer {add_user(users, 'tess', 'team', 'team-password')}"}
    client = client_for(tmp_path, users=users)
    spec = f"extends: campaign\ntemplate: my_team\nversion: 1\ntitle: {{zh-CN: 我的模板, en: My template}}\n"
    files = [("file", ("my_team.yaml", spec.encode(), "application/yaml"))]
    assert client.post("/api/templates", files=files, headers=team).status_code == 403
    r = client.post("/api/templates", files=files, headers=admin)
    assert r.status_code == 201 and r.json()["template"] == "my_team"
    listed = client.get("/api/templates", headers=team).json()
    assert "my_team" in listed["templates"] and listed["uploaded"] == ["my_team"]
    blank = client.get("/api/templates/my_team.xlsx?lang=en", headers=team)
    assert blank.status_code == 200
    (tmp_path / "b.xlsx").write_bytes(blank.content)
    assert import_workbook(tmp_path / "b.xlsx", spec_dir=[str(tmp_path / "store" / "specs")]).meta["template"] == "my_team"
    bad = [("file", ("bad.yaml", spec.replace("version: 1", "version: one").encode(), "application/yaml"))]
    r = client.post("/api/templates", files=bad, headers=admin)
    assert r.status_code == 422 and any("bad.yaml:3" in p for p in r.json()["problems"])
    shipped = [("file", ("c.yaml", spec.replace("template: my_team", "template: user_growth").encode(), "x/y"))]
    assert client.post("/api/templates", files=shipped, headers=admin).status_code == 409
    assert client.delete("/api/templates/my_team", headers=team).status_code == 403
    assert client.delete("/api/templates/my_team", headers=admin).json() == {"deleted": "my_team"}
    assert "my_team" not in client.get("/api/templates", headers=admin).json()["templates"]


def test_openapi_describes_the_api(client):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/submissions", "/api/submissions/{sid}/annotated", "/api/campaigns/{campaign_id}",
                 "/api/portfolio.{fmt}", "/api/templates/{name}.xlsx"):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/submissions"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["properties"]["file"]["type"] == "array"


def test_each_sender_has_their_own_record_of_the_same_bytes(tmp_path):
    users = tmp_path / "users.yaml"
    a = {"authorization": f"Bearer {add_user(users, 'amy', 'team', 'password-a')}"}
    b = {"authorization": f"Bearer {add_user(users, 'ben', 'team', 'password-b')}"}
    client = client_for(tmp_path, users=users)
    first = upload(client, EXAMPLE, headers=a).json()["submissions"][0]
    second = upload(client, EXAMPLE, headers=b).json()["submissions"][0]
    assert second["created"] and second["submission_id"] != first["submission_id"]   # nothing of amy's leaks to ben
    again = upload(client, EXAMPLE, headers=b).json()["submissions"][0]
    assert not again["created"] and again["submission_id"] == second["submission_id"]
    assert [s["id"] for s in client.get("/api/submissions", headers=b).json()["submissions"]] == [second["submission_id"]]
    assert len(list((tmp_path / "store").rglob("*.xlsx"))) == 1          # the bytes are kept once


def test_a_campaign_id_with_a_slash_has_its_pages(client, tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE)
    cell = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.value == "2026-UG-018")
    cell.value = "2026/UG/018"
    wb.save(tmp_path / "slash.xlsx")
    sub = upload(client, tmp_path / "slash.xlsx").json()["submissions"][0]
    assert sub["campaign_id"] == "2026/UG/018"
    detail = client.get("/api/campaigns/2026/UG/018")
    assert detail.status_code == 200 and detail.json()["facts"]["campaign_id"] == "2026/UG/018"
    assert client.get("/campaigns/2026/UG/018").status_code == 200
    assert client.get("/campaigns/2026/UG/018/brief.html").status_code == 200


def test_serve_adduser_writes_a_user_and_prints_the_token_once(tmp_path):
    from campaign_sheets.portal.auth import Users

    users = tmp_path / "users.yaml"
    r = CliRunner().invoke(main, ["serve", "adduser", str(users), "ana", "--role", "analyst",
                                  "--password", "a-long-password", "--lang", "en"])
    assert r.exit_code == 0, r.output
    token = r.output.strip().rsplit(" ", 1)[-1]
    loaded = Users.load(users)
    assert loaded.by_token(token).role == "analyst" and token not in users.read_text(encoding="utf-8")
    assert loaded.authenticate("ana", "a-long-password") is not None


def test_serve_runs_as_a_process_and_says_who_can_use_it(tmp_path):
    """Also: a slow upload streaming in does not hold up another client's upload."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "campaign_sheets", "serve", "--port", str(port), "--lang", "en",
                             "--db", f"sqlite:///{tmp_path}/p.db", "--store", str(tmp_path / "store")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"ok": True}:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        import threading

        slow_done = threading.Event()
        release = threading.Event()

        def slow_body():
            yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="slow.xlsx"\r\n\r\n'
            yield b"x" * 1000
            release.wait(30)            # the sender stalls mid-file until the other upload is answered
            yield b"\r\n--B--\r\n"

        def slow() -> None:
            httpx.post(f"http://127.0.0.1:{port}/api/submissions", content=slow_body(), timeout=60,
                       headers={"content-type": "multipart/form-data; boundary=B"})
            slow_done.set()
        worker = threading.Thread(target=slow)
        worker.start()
        r = httpx.post(f"http://127.0.0.1:{port}/api/submissions",
                       files=[("file", ("campaign-example.xlsx", EXAMPLE.read_bytes()))], timeout=30)
        assert r.status_code == 201 and r.json()["submissions"][0]["accepted"]
        assert not slow_done.is_set()   # answered while the slow upload was still streaming in
        release.set()
        worker.join(30)
        assert slow_done.is_set()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "anyone on this machine can use" in err


def test_another_team_naming_the_same_campaign_does_not_replace_yours(tmp_path):
    users = tmp_path / "users.yaml"
    a = {"authorization": f"Bearer {add_user(users, 'amy', 'team', 'password-a')}"}
    b = {"authorization": f"Bearer {add_user(users, 'ben', 'team', 'password-b')}"}
    ana = {"authorization": f"Bearer {add_user(users, 'ana', 'analyst', 'password-c')}"}
    client = client_for(tmp_path, users=users)
    mine = upload(client, EXAMPLE, headers=a).json()["submissions"][0]
    other = build_workbook("campaign", tmp_path / "other.xlsx", lang="en", example=True)   # same campaign code
    theirs = upload(client, Path(other), headers=b).json()["submissions"][0]
    assert mine["campaign_id"] == theirs["campaign_id"]
    detail = client.get(f"/api/campaigns/{mine['campaign_id']}", headers=a).json()
    assert detail["current_submission"] == mine["submission_id"]
    assert [s["id"] for s in detail["submissions"]] == [mine["submission_id"]]
    assert {k["submission_id"] for k in detail["kpi_history"]} == {mine["submission_id"]}
    assert {r["submission_id"] for r in detail["issue_history"]} <= {mine["submission_id"]}
    # an analyst sees the campaign's latest file, whoever sent it, and both in its history
    seen = client.get(f"/api/campaigns/{mine['campaign_id']}", headers=ana).json()
    assert seen["current_submission"] == theirs["submission_id"] and len(seen["submissions"]) == 2


def test_the_migration_is_the_model(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from campaign_sheets.portal import db

    engine = db.make_engine(f"sqlite:///{tmp_path}/m.db")
    db.upgrade(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []


def test_a_checking_process_that_dies_is_replaced_and_the_pool_makes_copies_and_briefs(tmp_path):
    import os
    import signal

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/p.db", store=tmp_path / "store", jobs=1))
    with TestClient(app) as client:                       # the lifespan starts and warms the pool
        pool = app.state.ctx.pool()
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGKILL)
        r = upload(client, EXAMPLE)
        assert r.status_code == 201 and r.json()["submissions"][0]["accepted"]
        sub = r.json()["submissions"][0]
        # the annotated copy and the brief are made in the pool too
        assert client.get(f"/api/submissions/{sub['submission_id']}/annotated").status_code == 200
        detail = client.get(f"/api/campaigns/{sub['campaign_id']}").json()
        assert detail["brief"]["date"] == detail["facts"]["today"] and detail["brief"]["file"] == "campaign-example.xlsx"


def test_bad_requests_get_messages_not_500(client, tmp_path):
    cid = upload(client, EXAMPLE).json()["submissions"][0]["campaign_id"]
    assert client.get(f"/api/campaigns/{cid}?lang=fr").status_code == 200
    assert client.get("/api/submissions/99999999999999999999").status_code == 422
    assert client.get("/api/submissions?offset=99999999999999999999").status_code == 422
    weird = "a\x00b\x07c.xlsx"
    r = client.post("/api/submissions", files=[("file", (weird, EXAMPLE.read_bytes(), "x/y"))], headers={})
    assert r.status_code == 201 and r.json()["submissions"][0]["filename"] in ("campaign-example.xlsx", "abc.xlsx")


def test_an_uploaded_template_extends_by_name_only(tmp_path):
    users = tmp_path / "users.yaml"
    admin = {"authorization": f"Bearer {add_user(users, 'root', 'admin', 'admin-password')}"}
    client = client_for(tmp_path, users=users)
    spec = f"extends: {users}\ntemplate: sneaky\nversion: 1\ntitle: x\n"
    r = client.post("/api/templates", files=[("file", ("s.yaml", spec.encode(), "x/y"))], headers=admin)
    assert r.status_code == 422 and "not a path" in r.json()["problems"][0] and "users:" not in r.text
    assert client.get("/api/templates").status_code == 401
    assert client.get("/api/templates/campaign.xlsx").status_code == 401


def test_status_counts_say_what_each_campaigns_latest_file_says(client, tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE)
    cell = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.value == "老带新·好友各得50元优惠券")
    cell.value = None                                 # a required field emptied: an error
    wb.save(tmp_path / "broken-name.xlsx")
    scenario = sorted((ROOT / "samples" / "scenarios").glob("*.xlsx"))[0]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    upload(client, scenario, EXAMPLE)
    upload(client, tmp_path / "broken-name.xlsx", bad)   # the example's campaign, now with an error
    portal = client.app.state.ctx.portal
    assert portal.status_counts() == {"clean": 0, "warnings": 1, "errors": 1, "rejected": 1, "not_campaign": 0}
    assert len(portal.portfolio().campaigns) == 2        # the current states stay the accepted files


def test_status_counts_rank_files_as_the_current_state_does(client, tmp_path):
    """A newer upload with older data and an error does not speak for the campaign: the file with the
    latest data does, as in the portfolio."""
    stale = openpyxl.load_workbook(_stale_copy(tmp_path))
    cell = next(c for row in stale.worksheets[0].iter_rows() for c in row if c.value == "老带新·好友各得50元优惠券")
    cell.value = None                                 # and a required field emptied: an error
    stale.save(tmp_path / "stale-broken.xlsx")
    upload(client, EXAMPLE)
    upload(client, tmp_path / "stale-broken.xlsx")
    portal = client.app.state.ctx.portal
    assert portal.status_counts() == {"clean": 0, "warnings": 1, "errors": 0, "rejected": 0, "not_campaign": 0}


def test_the_kept_current_states_follow_each_new_submission(client):
    portal = client.app.state.ctx.portal
    scenarios = sorted((ROOT / "samples" / "scenarios").glob("*.xlsx"))
    upload(client, scenarios[0])
    first = portal.current()
    assert portal.current() is first and len(first) == 1          # kept while nothing arrives
    upload(client, scenarios[1])
    assert len(portal.current()) == 2 and len(portal.portfolio().campaigns) == 2


# -- issue 18: one campaign, one current state; files that are no campaign; closed campaigns ----------------

def _stale_copy(tmp_path: Path) -> Path:
    """The example with its last KPI day (20 Jun) not entered yet: the same campaign, older data."""
    import datetime as dt

    wb = openpyxl.load_workbook(EXAMPLE)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            if isinstance(row[0].value, dt.datetime) and row[0].value.date() == dt.date(2026, 6, 20):
                for cell in row[2:]:
                    if isinstance(cell.value, (int, float)):
                        cell.value = None
    wb.save(tmp_path / "stale.xlsx")
    return tmp_path / "stale.xlsx"


def _example_budget() -> float:
    from campaign_sheets.spec.loader import load_spec

    return float(sum(r.get("planned") or 0 for r in load_spec("campaign").spec.table("budget").example))


def _csv(client: TestClient, name: str) -> list[dict]:
    import csv

    z = zipfile.ZipFile(io.BytesIO(client.get("/api/portfolio.csv?lang=en").content))
    return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))


def test_versions_of_one_campaign_are_one_campaign_the_latest_data_current(client, tmp_path):
    first = upload(client, EXAMPLE).json()["submissions"][0]
    stale = upload(client, _stale_copy(tmp_path)).json()["submissions"][0]   # sent later, but older data
    assert stale["accepted"] and stale["campaign_id"] == first["campaign_id"]
    # the sender is told: the campaign's current file is the first one (later data), this one an earlier version
    assert first["current_submission"] == first["submission_id"]
    assert stale["current_submission"] == first["submission_id"] and stale["current_filename"] == "campaign-example.xlsx"
    campaigns = client.get("/api/campaigns").json()["campaigns"]
    assert len(campaigns) == 1 and campaigns[0]["data_as_of"] == "2026-06-20"
    assert campaigns[0]["budget_planned"] == pytest.approx(_example_budget())   # summed once
    detail = client.get(f"/api/campaigns/{first['campaign_id']}").json()
    assert detail["current_submission"] == first["submission_id"]
    files = {f["file"]: f for f in _csv(client, "files.csv")}
    old = f"stale.xlsx (#{stale['submission_id']})"
    assert files[old]["status"] == "superseded" and files[old]["code"] == "campaign-duplicate"
    assert files["campaign-example.xlsx"]["status"] == "warnings"
    dup = [i for i in _csv(client, "issues.csv") if i["code"] == "campaign-duplicate"]
    assert len(dup) == 1 and old in dup[0]["message"] and f"campaign-example.xlsx (#{first['submission_id']})" in dup[0]["message"]
    assert "2026-06-19" in dup[0]["message"] and "2026-06-20" in dup[0]["message"]
    assert float(_csv(client, "campaigns.csv")[0]["budget_planned"]) == pytest.approx(_example_budget())
    # the same data sent again (other bytes): the later upload is current
    again = build_workbook("campaign", tmp_path / "again.xlsx", lang="en", example=True)
    third = upload(client, Path(again)).json()["submissions"][0]
    assert client.get(f"/api/campaigns/{first['campaign_id']}").json()["current_submission"] == third["submission_id"]
    assert len(client.get("/api/campaigns").json()["campaigns"]) == 1
    assert sum(f["status"] == "superseded" for f in _csv(client, "files.csv")) == 2


def test_a_team_keeps_its_own_current_state_among_versions(tmp_path):
    users = tmp_path / "users.yaml"
    a = {"authorization": f"Bearer {add_user(users, 'amy', 'team', 'password-a')}"}
    b = {"authorization": f"Bearer {add_user(users, 'ben', 'team', 'password-b')}"}
    client = client_for(tmp_path, users=users)
    stale = upload(client, _stale_copy(tmp_path), headers=a).json()["submissions"][0]
    newer = upload(client, EXAMPLE, headers=b).json()["submissions"][0]
    # amy's view is her own file, ben's file does not replace it (nor is it listed to her)
    assert client.get(f"/api/campaigns/{stale['campaign_id']}", headers=a).json()["current_submission"] == stale["submission_id"]
    portal = client.app.state.ctx.portal
    assert [f["status"] for f in portal.portfolio(user="amy").frames()["files"].to_dict("records")] == ["warnings"]
    # an analyst's portfolio has one campaign: the latest data, whoever sent it
    whole = portal.portfolio()
    assert len(whole.campaigns) == 1 and whole.counts()["superseded"] == 1
    assert client.get(f"/api/campaigns/{stale['campaign_id']}", headers=b).json()["current_submission"] == newer["submission_id"]


def test_a_blank_template_or_a_foreign_file_gets_no_campaign_page(client, tmp_path):
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(client.get("/api/templates/campaign.xlsx?lang=en").content)
    foreign = tmp_path / "sales.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["日期", "门店", "金额"])
    wb.save(foreign)
    roll = tmp_path / "rollup.xlsx"
    assert CliRunner().invoke(main, ["rollup", str(EXAMPLE), "-o", str(roll), "-q"]).exit_code == 0
    subs = upload(client, blank, foreign, roll).json()["submissions"]
    reasons = ["a blank template", "template is not known", "rollup's own output"]
    for sub, reason in zip(subs, reasons):
        assert sub["campaign_id"] is None and not sub["accepted"] and sub["status"] == "not_campaign", sub
        first = sub["report"]["issues"][0]
        assert first["code"] == "not-a-campaign" and reason in first["message"]
    assert client.get("/api/campaigns").json()["campaigns"] == []
    sha = client.get(f"/api/submissions/{subs[0]['submission_id']}").json()["sha256"]
    assert client.get(f"/campaigns/{sha}").status_code == 404 and client.get(f"/api/campaigns/{sha}").status_code == 404
    counts = client.app.state.ctx.portal.status_counts()
    assert counts["not_campaign"] == 3 and counts["clean"] + counts["warnings"] + counts["errors"] == 0
    page = client.get("/portfolio?lang=en").text
    assert "Not a campaign workbook <b>3</b>" in page


def test_a_closed_campaigns_page_and_brief_agree_on_tasks_unfinished_at_close(client):
    import datetime as dt

    sub = upload(client, EXAMPLE).json()["submissions"][0]
    detail = client.get(f"/api/campaigns/{sub['campaign_id']}?lang=en").json()
    facts, brief = detail["facts"], detail["brief"]
    end = dt.date(2026, 6, 30)
    assert dt.date.fromisoformat(facts["today"]) > end            # the example has closed
    # T11 (due on the end date) and T12 (due 18 Jun) were open at the end; T14, the close-out report due
    # 3 Jul, is overdue by the calendar
    assert facts["tasks_unfinished_at_close"] == 2 and facts["tasks_overdue"] == 1
    assert brief["date"] == facts["today"] and brief["execution"]["closed"]
    assert len(brief["execution"]["unfinished"]) == facts["tasks_unfinished_at_close"]
    assert len(brief["execution"]["overdue"]) == facts["tasks_overdue"]
    assert sorted(t["days_late"] for t in brief["execution"]["unfinished"]) == [0, (end - dt.date(2026, 6, 18)).days]
    page = client.get(f"/campaigns/{sub['campaign_id']}?lang=en").text
    assert "Tasks unfinished at close" in page and "Tasks overdue" in page and "Data as of" in page
    portfolio = client.get("/portfolio?lang=en").text
    tasks = client.app.state.ctx.portal.portfolio().frames()["tasks"]
    late = tasks[tasks["unfinished_at_close"] == True]  # noqa: E712
    assert sorted(late["slippage_days"]) == [0, 12]
    assert "Unfinished at close" in portfolio   # the column that says these tasks were late at the end


def test_rollup_db_of_two_copies_records_both_and_shows_one_campaign(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("v1.xlsx", "v2.xlsx"):
        shutil.copy(EXAMPLE, folder / name)
    (folder / "v2.xlsx").write_bytes((folder / "v2.xlsx").read_bytes())
    stale = _stale_copy(tmp_path)
    shutil.copy(stale, folder / "v3-stale.xlsx")
    db = f"sqlite:///{tmp_path}/portal.db"
    r = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(tmp_path / "out.xlsx"), "--db", db, "--lang", "en",
                                  "--store", str(tmp_path / "store"), "-j", "1", "-q"])
    assert r.exit_code == 0, r.output
    assert "1 campaign;" in r.output and "2 superseded" in r.output
    client = client_for(tmp_path, db_url=db)
    campaigns = client.get("/api/campaigns").json()["campaigns"]
    assert len(campaigns) == 1 and campaigns[0]["budget_planned"] == pytest.approx(_example_budget())
    assert campaigns[0]["data_as_of"] == "2026-06-20"
    files = _csv(client, "files.csv")
    # v1 and v2 are the same bytes: one submission; the stale copy is superseded
    assert sorted(f["status"] for f in files) == ["superseded", "warnings"]


def check_data_as_of_migration(url: str) -> None:
    """A database made by migration 0001 with a submission in it: 0002 adds `data_as_of`, filled from the
    submission's own KPI rows, and the current state follows it."""
    import datetime as dt

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from campaign_sheets.portal import db

    engine = db.make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db.__file__).with_name("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    now = dt.datetime.now(dt.timezone.utc)
    ids = []
    with engine.begin() as conn:
        for n, last in ((1, dt.date(2026, 6, 20)), (2, dt.date(2026, 6, 12))):   # the later upload has older data
            conn.execute(sa.text(
                "INSERT INTO submissions (sha256, filename, size, submitted_at, submitted_by, source, status, accepted, "
                "campaign_id, errors, warnings, alerts, report) VALUES (:sha, 'f.xlsx', 1, :at, '', 'portal', "
                "'clean', :yes, 'C1', 0, 0, 0, '{}')"), {"sha": f"{n:064d}", "at": now, "yes": True})
            sid = conn.execute(sa.text("SELECT id FROM submissions WHERE sha256 = :sha"), {"sha": f"{n:064d}"}).scalar_one()
            ids.append(sid)
            for day in (dt.date(2026, 6, 1), last):
                conn.execute(sa.text("INSERT INTO kpi_series (submission_id, campaign_id, date, kpi, value) "
                                     "VALUES (:sid, 'C1', :day, 'x', 1.0)"), {"sid": sid, "day": day})
    db.upgrade(engine)
    with engine.connect() as conn:
        got = dict(conn.execute(sa.text("SELECT id, data_as_of FROM submissions")).all())
        assert {k: (v if isinstance(v, dt.date) else dt.date.fromisoformat(v)) for k, v in got.items()} == {
            ids[0]: dt.date(2026, 6, 20), ids[1]: dt.date(2026, 6, 12)}
        assert conn.execute(sa.text("SELECT count(*) FROM kpi_series")).scalar_one() == 4   # no row lost
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
    from campaign_sheets.portal.service import Portal
    from campaign_sheets.portal.store import FileStore

    portal = Portal(engine, FileStore(Path("/nonexistent-store")))
    assert portal.current_submission("C1")["id"] == ids[0]
    engine.dispose()


def test_the_data_as_of_migration_fills_earlier_submissions(tmp_path):
    check_data_as_of_migration(f"sqlite:///{tmp_path}/old.db")
