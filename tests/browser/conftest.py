"""The portal's pages: apps on a temporary store, a workbook full of markup, a live server and Chromium.

Tests marked `browser` need Playwright's Python package and Debian's Chromium (/usr/bin/chromium);
they are skipped with the reason when either is missing, except in CI (CI=true), where they must run.
"""
from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from campaign_sheets import build_workbook
from campaign_sheets.portal.app import Settings, create_app
from campaign_sheets.spec.loader import LoadedSpec, load_spec

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
EXAMPLE = SAMPLES / "campaign-example.xlsx"
CHROMIUM = Path("/usr/bin/chromium")
XSS = "<script>alert(1)</script>"
XSS_LEAD = '"><img src=x onerror=alert(2)>'
XSS_ID = "2026-XSS-001"
SCREENSHOTS = os.environ.get("CS_SCREENSHOTS") == "1"
IMAGES = ROOT / "docs" / "images"


def browser_ready() -> bool:
    return CHROMIUM.is_file() and importlib.util.find_spec("playwright") is not None


BROWSER_HOW = ("Chromium or Playwright missing: apt-get install chromium && pip install playwright "
               "(the tests drive /usr/bin/chromium; no browser download needed)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CI") == "true" or browser_ready():
        return
    skip = pytest.mark.skip(reason=BROWSER_HOW)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def make_app(tmp: Path, **kw):
    tmp.mkdir(parents=True, exist_ok=True)
    return create_app(Settings(db_url=f"sqlite:///{tmp}/p.db", store=tmp / "store", **kw))


def _with_markup(loaded: LoadedSpec) -> LoadedSpec:
    """The worked example with markup in the campaign's name, lead and one overdue task."""
    spec = loaded.spec
    sheets = []
    for sheet in spec.sheets:
        form = sheet.form
        if form and form.example:
            form = form.model_copy(update={"example": {**form.example, "name": f"{XSS} 活动", "code": XSS_ID,
                                                       "lead": XSS_LEAD}})
        tables = []
        for table in sheet.tables:
            rows = table.example
            if table.key == "tasks":
                rows = [{**r, "task": f"{XSS}任务"} if r.get("task_id") == "T12" else r for r in rows]
            tables.append(table.model_copy(update={"example": rows}))
        sheets.append(sheet.model_copy(update={"form": form, "tables": tables}))
    return LoadedSpec.of(spec.model_copy(update={"sheets": sheets}), loaded.path)


@pytest.fixture(scope="session")
def markup_workbook(tmp_path_factory) -> Path:
    """A filled workbook whose campaign name, lead and an overdue task are HTML."""
    folder = tmp_path_factory.mktemp("markup")
    return build_workbook(_with_markup(load_spec("campaign")), folder / "markup.xlsx", example=True)


@pytest.fixture(scope="session")
def bad_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "bad.xlsx"
    path.write_bytes(b"name,budget\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app) -> None:
        import uvicorn

        self.app, self.port = app, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the portal did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def seed(self, *paths: Path, user: str | None = None) -> None:
        """Submit files straight through the service (no HTTP): data for the pages to show."""
        for p in paths:
            self.app.state.ctx.portal.submit(p, p.name, user, "zh-CN")


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[LiveServer]:
    with LiveServer(make_app(tmp_path_factory.mktemp("live"))) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (its own cookies); fails the test on any script error or CSP report."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda err: problems.append(f"script error: {err}"))
    pg.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.problems = problems
    yield pg
    context.close()
    assert not problems, problems


def screenshot(pg, name: str) -> None:
    """docs/images/<name>, only with CS_SCREENSHOTS=1 (normal runs never rewrite the docs)."""
    if SCREENSHOTS:
        IMAGES.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(IMAGES / name), full_page=True)
