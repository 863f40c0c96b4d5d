"""The portal's pages: server-rendered HTML in both languages (TestClient), then a real browser
(Playwright driving Chromium) uploading through the page, reading the report and the dashboards."""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from campaign_sheets.portal.auth import add_user
from campaign_sheets.portal.pages import STATIC

from .conftest import EXAMPLE, SAMPLES, XSS, XSS_ID, XSS_LEAD, LiveServer, make_app, screenshot

SCENARIOS = sorted((SAMPLES / "scenarios").glob("*.xlsx"))
LANGS = ("zh-CN", "en")
NAV = {"zh-CN": "活动总览", "en": "Portfolio"}


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]*)"', html).group(1)


def form_csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def upload(client: TestClient, *paths: Path, token: str | None = None):
    token = token if token is not None else csrf_of(client.get("/").text)
    files = [("file", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return client.post("/api/submissions", files=files, headers={"X-CSRF-Token": token})


@pytest.fixture(scope="module")
def client(tmp_path_factory, markup_workbook, bad_file) -> TestClient:
    """A portal without sign-in holding the examples, a broken file and the markup workbook."""
    c = TestClient(make_app(tmp_path_factory.mktemp("pages")))
    r = upload(c, EXAMPLE, *SCENARIOS, bad_file, markup_workbook)
    assert r.status_code == 201, r.text
    return c


PAGES = ["/", "/portfolio", "/portfolio?by=scenario&by=lead&by=channel&by=month&status=warnings", "/templates",
         "/campaigns/2026-UG-018", f"/campaigns/{XSS_ID}"]


class _Audit(HTMLParser):
    """Every tag's attributes and every script's body, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.scripts[-1] = (self._in_script, self.scripts[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def assert_clean_html(html: str) -> None:
    """No inline script, no inline event handler, nothing loaded from another site."""
    audit = _Audit()
    audit.feed(html)
    for attrs, body in audit.scripts:
        assert re.fullmatch(r"/static/[a-z]+\.js", attrs.get("src") or "") and not body.strip(), (attrs, body)
    assert not [a for a in audit.attrs if a[1].startswith("on")]
    for tag, name, value in audit.attrs:
        if name in ("src", "href", "action"):
            assert not re.match(r"\s*(?:[a-z]+:)?//", value, re.I) and not value.lower().startswith("javascript:"), value


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_in_both_languages(client, url, lang):
    r = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
    assert r.status_code == 200, r.text[:500]
    html = r.text
    assert f'<html lang="{lang}">' in html
    assert NAV[lang] in html
    # the language switch keeps the page and its other parameters
    switch = re.findall(r'<a href="([^"]+)" lang="(zh-CN|en)"', html)
    assert {code for _, code in switch} == set(LANGS)
    for href, code in switch:
        parts = urlsplit(href.replace("&amp;", "&"))
        assert parts.path == urlsplit(url).path and parse_qs(parts.query)["lang"] == [code]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.cookies.get("cs_lang") == lang
    assert_clean_html(html)


def test_the_language_is_remembered_and_follows_the_browser(tmp_path):
    c = TestClient(make_app(tmp_path))
    assert '<html lang="zh-CN">' in c.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"}).text
    assert '<html lang="en">' in c.get("/", headers={"accept-language": "en-GB"}).text
    c.get("/templates?lang=en")
    assert '<html lang="en">' in c.get("/portfolio", headers={"accept-language": "zh-CN"}).text


def test_workbook_text_is_escaped_everywhere(client):
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    pages = {url: client.get(url + "?lang=en") for url in
             (f"/campaigns/{XSS_ID}", f"/campaigns/{XSS_ID}/brief.html", "/portfolio", "/")}
    for url, r in pages.items():
        assert r.status_code == 200, url
        assert XSS not in r.text and "<img src=x" not in r.text, url
    assert escaped in pages[f"/campaigns/{XSS_ID}"].text           # the campaign's name
    assert escaped + "任务" in pages["/portfolio"].text               # the overdue task
    assert escaped + " 活动" in pages["/portfolio"].text              # the campaign's name
    assert escaped + "任务" in pages[f"/campaigns/{XSS_ID}/brief.html"].text
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in pages["/portfolio"].text   # the lead, in the filter
    assert XSS_LEAD not in pages["/portfolio"].text
    # the brief is framed: no script may run in it even when opened on its own
    policy = pages[f"/campaigns/{XSS_ID}/brief.html"].headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert 'sandbox="allow-same-origin allow-popups"' in pages[f"/campaigns/{XSS_ID}"].text


def test_campaign_page_shows_facts_brief_and_history(client):
    html = client.get("/campaigns/2026-UG-018?lang=en").text
    assert "老带新·好友各得50元优惠券" in html and "2026-06-01 – 2026-06-30" in html
    assert 'src="/campaigns/2026-UG-018/brief.html?lang=en"' in html
    sid = client.get("/api/submissions?campaign_id=2026-UG-018").json()["submissions"][0]["id"]
    assert f'href="/api/submissions/{sid}/file"' in html
    assert f'href="/api/submissions/{sid}/annotated?lang=en"' in html
    brief = client.get("/campaigns/2026-UG-018/brief.html?lang=en")
    assert brief.status_code == 200 and "<svg" in brief.text and "<script" not in brief.text
    assert client.get("/campaigns/no-such-campaign?lang=en").status_code == 404
    assert client.get("/campaigns/no-such-campaign/brief.html").status_code == 404


def test_portfolio_has_totals_charts_tables_and_filtered_exports(client):
    html = client.get("/portfolio?lang=en").text
    assert re.search(r'id="total-campaigns">7<', html)   # the five scenarios, the example, the markup one
    assert len(re.findall(r'<svg class="chart"', html)) >= 3 + 4   # three charts and the KPI small multiples
    assert html.count("<rect") > 20
    assert 'href="/campaigns/2026-BR-003"' in html
    one = client.get("/portfolio?lang=en&scenario=brand_upgrade&by=lead").text
    assert re.search(r'id="total-campaigns">1<', one)
    assert 'href="/api/portfolio.xlsx?scenario=brand_upgrade&amp;by=lead&amp;lang=en"' in one
    export = client.get("/api/portfolio.csv?scenario=brand_upgrade")
    assert export.status_code == 200 and zipfile.is_zipfile(io.BytesIO(export.content))
    assert "By lead" in one and "林蔚" in one
    empty = client.get("/portfolio?lang=en&since=2099-01-01").text
    assert re.search(r'id="total-campaigns">0<', empty) and "No campaign matches" in empty


def test_templates_page_links_every_template_in_both_languages(client):
    html = client.get("/templates?lang=en").text
    names = client.get("/api/templates").json()["templates"]
    assert names
    for name in names:
        for lang in LANGS:
            assert f'href="/api/templates/{name}.xlsx?lang={lang}"' in html
    assert html.index('id="template-campaign"') < html.index(f'id="template-{names[-1]}"') or names[-1] == "campaign"


def test_static_files_are_a_fixed_set(client):
    for name, media in STATIC.items():
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"] == media and r.content
    for name in ("app.py", "..%2Fapp.py", "portal.CSS", "templates"):
        assert client.get(f"/static/{name}").status_code == 404
    js = client.get("/static/upload.js").text
    assert "innerHTML" not in js and "X-CSRF-Token" in js and "eval(" not in js


def test_uploads_from_a_browser_need_the_pages_csrf_token(tmp_path):
    c = TestClient(make_app(tmp_path))
    page = c.get("/")
    cookie = page.cookies.get("cs_session")
    assert cookie and "httponly" in page.headers["set-cookie"].lower() and "samesite=strict" in page.headers["set-cookie"].lower()
    assert upload(c, EXAMPLE, token="forged").status_code == 403
    assert upload(c, EXAMPLE, token=csrf_of(page.text)).status_code == 201
    assert csrf_of(c.get("/").text) == csrf_of(page.text)   # the same session while it is valid


# -- with sign-in ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def users_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("users")
    users = tmp / "users.yaml"
    for name, role in (("alice", "team"), ("bob", "team"), ("carol", "team"), ("ana", "analyst")):
        add_user(users, name, role, f"{name}-password")
    return make_app(tmp / "portal", users=users)


def sign_in(app, name: str, password: str | None = None, target: str = "/") -> TestClient:
    c = TestClient(app)
    form = c.get("/signin?lang=en")
    r = c.post("/signin", data={"name": name, "password": password or f"{name}-password", "csrf": form_csrf(form.text),
                                "next": target}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


@pytest.mark.parametrize("url", ["/", "/portfolio", "/templates", "/campaigns/2026-UG-018",
                                 "/campaigns/2026-UG-018/brief.html", "/portfolio?lang=en&by=lead"])
def test_with_users_every_page_asks_to_sign_in(users_app, url):
    r = TestClient(users_app).get(url, follow_redirects=False)
    assert r.status_code == 303
    query = parse_qs(urlsplit(r.headers["location"]).query)
    assert r.headers["location"].startswith("/signin?") and query["next"] == [url]
    assert query.get("lang") == (["en"] if "lang=en" in url else None)   # the form in the language asked for


def test_sign_in_page_and_static_files_are_open(users_app):
    c = TestClient(users_app)
    r = c.get("/signin?lang=zh-CN")
    assert r.status_code == 200 and 'name="password"' in r.text and "登录" in r.text
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    assert_clean_html(r.text)
    assert c.get("/static/portal.css").status_code == 200


def test_sign_in_refuses_quietly_and_limits_attempts(users_app):
    c = TestClient(users_app)
    token = form_csrf(c.get("/signin?lang=en").text)
    wrong_user = c.post("/signin", data={"name": "mallory", "password": "x" * 10, "csrf": token})
    wrong_pass = c.post("/signin", data={"name": "carol", "password": "x" * 10, "csrf": token})
    assert wrong_user.status_code == wrong_pass.status_code == 401
    assert "wrong user name or password" in wrong_user.text and "wrong user name or password" in wrong_pass.text
    assert c.post("/signin", data={"name": "carol", "password": "carol-password", "csrf": "forged"}).status_code == 403
    codes = [c.post("/signin", data={"name": "carol", "password": "nope", "csrf": token}).status_code for _ in range(6)]
    assert codes[-1] == 429
    # locked out: even the right password waits
    assert c.post("/signin", data={"name": "carol", "password": "carol-password", "csrf": token},
                  follow_redirects=False).status_code == 429


def test_sign_in_goes_back_only_to_this_site(users_app):
    for target, expected in (("/portfolio?lang=en", "/portfolio?lang=en"), ("//evil.example", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")):
        c = TestClient(users_app)
        token = form_csrf(c.get("/signin").text)
        r = c.post("/signin", data={"name": "ana", "password": "ana-password", "csrf": token, "next": target},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == expected
        cookie = r.headers["set-cookie"].lower()
        assert "cs_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_team_users_see_their_own_campaigns_analysts_everything(users_app):
    alice, bob, ana = (sign_in(users_app, n) for n in ("alice", "bob", "ana"))
    assert upload(alice, EXAMPLE).status_code == 201
    assert upload(bob, SCENARIOS[0]).status_code == 201
    bob_campaign = "2026-BR-003"
    assert alice.get("/campaigns/2026-UG-018").status_code == 200
    assert bob.get("/campaigns/2026-UG-018").status_code == 404
    assert bob.get("/campaigns/2026-UG-018/brief.html").status_code == 404
    assert "2026-UG-018" not in bob.get("/portfolio").text and bob_campaign in bob.get("/portfolio").text
    assert "campaign-example.xlsx" not in bob.get("/").text
    for url in ("/campaigns/2026-UG-018", f"/campaigns/{bob_campaign}"):
        assert ana.get(url).status_code == 200
    assert "2026-UG-018" in ana.get("/portfolio").text and bob_campaign in ana.get("/portfolio").text
    home = alice.get("/?lang=en").text
    assert "alice" in home and 'action="/signout"' in home


def test_sign_out_needs_the_csrf_token(users_app):
    c = sign_in(users_app, "ana")
    token = form_csrf(c.get("/").text)
    assert c.post("/signout", data={"csrf": "forged"}).status_code == 403
    assert c.get("/", follow_redirects=False).status_code == 200
    r = c.post("/signout", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signin"
    assert c.get("/", follow_redirects=False).status_code == 303


# -- in a browser ------------------------------------------------------------------------------

@pytest.mark.browser
def test_upload_through_the_page_shows_each_report(live, page, bad_file, tmp_path):
    live.seed(*SCENARIOS[:3], user="local")   # earlier uploads, for the page's list
    page.goto(f"{live.url}/?lang=zh-CN")
    assert page.locator("table.history tbody tr").count() == 3
    assert page.locator("#drop").is_visible()
    page.set_input_files("#files", [str(EXAMPLE), str(bad_file)])
    results = page.locator(".result.done")
    results.nth(1).wait_for(timeout=60_000)

    good = page.locator('.result[data-filename="campaign-example.xlsx"]')
    bad = page.locator('.result[data-filename="bad.xlsx"]')
    assert good.get_attribute("data-accepted") == "true" and bad.get_attribute("data-accepted") == "false"
    assert good.locator(".badge").inner_text() == "已接收" and bad.locator(".badge").inner_text() == "未接收"
    assert not good.locator(".progress").is_visible()

    # the broken file: one error for the whole file, its message in the page's language
    rows = bad.locator("tr.issue")
    assert rows.count() == 1 and rows.first.get_attribute("data-code") == "not-xlsx-csv"
    assert rows.first.get_attribute("data-severity") == "error" and "另存为" in rows.first.inner_text()
    assert bad.locator(".chip.sev-error b").inner_text() == "1"
    assert bad.locator("a.annotated").count() == 0

    # the example: issues grouped by sheet, each with its cell, as many as the API reports
    sid = good.get_attribute("data-submission-id")
    report = live.app.state.ctx.portal.submission(int(sid))["report"]
    issues = good.locator("tr.issue")
    assert issues.count() == len(report["issues"]) > 0
    assert good.locator("details.sheet").count() == len({i["sheet"] for i in report["issues"]})
    cells = {c.strip() for c in issues.locator("td.cellref").all_inner_texts()}
    assert {i["cell"] for i in report["issues"] if i["cell"]} <= cells
    severities = set(issues.evaluate_all("rows => rows.map(r => r.dataset.severity)"))
    assert severities == {i["severity"] for i in report["issues"]}
    colour = good.locator("tr.issue[data-severity=alert] .sev").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(217, 72, 15)"   # alert: orange
    assert good.locator("a.campaign").get_attribute("href") == "/campaigns/2026-UG-018?lang=zh-CN"

    with page.expect_download() as info:
        good.locator("a.annotated").click()
    download = info.value
    assert download.suggested_filename == "campaign-example-annotated.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert zipfile.is_zipfile(saved)
    screenshot(page, "portal-upload.png")


@pytest.mark.browser
def test_workbook_markup_never_runs_in_the_browser(live, page, markup_workbook):
    page.goto(f"{live.url}/?lang=en")
    page.set_input_files("#files", [str(markup_workbook)])
    page.locator(".result.done").first.wait_for(timeout=60_000)
    page.goto(f"{live.url}/portfolio?lang=en")
    assert page.locator(f'#campaigns a[href="/campaigns/{XSS_ID}"]').inner_text() == XSS + " 活动"
    page.goto(f"{live.url}/campaigns/{XSS_ID}?lang=en")
    assert page.locator("h1").first.inner_text() == XSS + " 活动"
    frame = page.frame_locator("#brief-frame")
    assert XSS in frame.locator("h1").inner_text()
    # the page fixture fails the test on any dialog (alert) or script error


@pytest.mark.browser
def test_portfolio_and_campaign_pages_in_the_browser(tmp_path, page):
    with LiveServer(make_app(tmp_path)) as live:
        live.seed(EXAMPLE, *SCENARIOS, user="local")
        portfolio_and_campaign(live, page)


def portfolio_and_campaign(live: LiveServer, page) -> None:
    page.goto(f"{live.url}/portfolio?lang=zh-CN")
    for chart in ("#chart-budget", "#chart-attainment", "#chart-category"):
        svg = page.locator(f"{chart} svg.chart")
        assert svg.count() == 1 and svg.locator("rect").count() >= 6
        assert svg.bounding_box()["width"] > 300
    assert page.locator("#campaigns tbody tr").count() >= 6
    assert page.locator(".multiple svg").count() >= 4
    page.select_option('select[name="scenario"]', "brand_upgrade")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url("**/portfolio?**scenario=brand_upgrade**")
    assert page.locator("#campaigns tbody tr").count() == 1
    assert "scenario=brand_upgrade" in page.locator('a[href^="/api/portfolio.xlsx"]').get_attribute("href")
    page.goto(f"{live.url}/portfolio?lang=zh-CN")
    screenshot(page, "portal-portfolio.png")

    page.locator('#campaigns a[href="/campaigns/2026-UG-018"]').click()
    page.wait_for_url("**/campaigns/2026-UG-018")
    brief = page.frame_locator("#brief-frame")
    assert "老带新" in brief.locator("h1").inner_text()
    assert brief.locator("svg").count() > 0
    page.wait_for_function("() => document.getElementById('brief-frame').offsetHeight > 1000")
    assert page.locator("table.history tbody tr").count() >= 1
    screenshot(page, "portal-campaign.png")


@pytest.mark.browser
def test_language_switch_and_sign_in_in_the_browser(tmp_path, page):
    users = tmp_path / "users.yaml"
    add_user(users, "ana", "analyst", "ana-password")
    with LiveServer(make_app(tmp_path / "portal", users=users)) as server:
        page.goto(f"{server.url}/portfolio")
        assert "/signin?next=%2Fportfolio" in page.url
        page.locator('a[lang="en"]').click()
        assert page.locator("html").get_attribute("lang") == "en"
        page.fill('input[name="name"]', "ana")
        page.fill('input[name="password"]', "not-her-password")
        page.locator("form.stacked button").click()
        assert page.locator(".notice.bad").inner_text() == "wrong user name or password"
        page.problems[:] = [p for p in page.problems if "status of 401" not in p]   # the refused sign-in itself
        page.fill('input[name="password"]', "ana-password")
        page.locator("form.stacked button").click()
        page.wait_for_url(f"{server.url}/portfolio")
        assert page.locator("h1").first.inner_text() == "Portfolio"   # the language stayed
        page.locator('a[lang="zh-CN"]').click()
        assert page.locator("h1").first.inner_text() == "活动总览"
        page.locator("form.signout button").click()
        page.wait_for_url("**/signin")
        page.goto(f"{server.url}/templates")
        assert "/signin" in page.url


def test_one_address_guessing_many_names_is_slowed_down_too(tmp_path):
    from campaign_sheets.portal.app import Settings, create_app
    from campaign_sheets.portal.auth import add_user

    add_user(tmp_path / "users.yaml", "carol", "team", "carol-password")
    c = TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/p.db", store=tmp_path / "s", users=tmp_path / "users.yaml")))
    token = form_csrf(c.get("/signin?lang=en").text)
    codes = [c.post("/signin", data={"name": f"user{i}", "password": "x" * 10, "csrf": token}).status_code
             for i in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429   # 20 failures per address, whatever the names


def test_admins_add_and_remove_templates_on_the_page(tmp_path):
    from campaign_sheets.portal.app import Settings, create_app
    from campaign_sheets.portal.auth import add_user

    users = tmp_path / "users.yaml"
    add_user(users, "root", "admin", "admin-password")
    add_user(users, "tess", "team", "team-password")
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/p.db", store=tmp_path / "store", users=users))

    def signed_in(name: str, password: str) -> TestClient:
        c = TestClient(app)
        token = form_csrf(c.get("/signin?lang=en").text)
        assert c.post("/signin", data={"name": name, "password": password, "csrf": token},
                      follow_redirects=False).status_code == 303
        return c
    team = signed_in("tess", "team-password")
    assert 'action="/templates"' not in team.get("/templates?lang=en").text
    admin = signed_in("root", "admin-password")
    page = admin.get("/templates?lang=en").text
    assert 'action="/templates"' in page
    token = form_csrf(page)
    spec = "extends: campaign\ntemplate: shop_week\nversion: 1\ntitle: {zh-CN: 门店周, en: Store week}\n"
    r = admin.post("/templates", data={"csrf": token}, files={"file": ("shop.yaml", spec.encode(), "application/yaml")})
    assert r.status_code == 200 and "Template shop_week added" in r.text and "Store week" in r.text
    bad = spec.replace("version: 1", "version: x")
    r = admin.post("/templates", data={"csrf": token}, files={"file": ("bad.yaml", bad.encode(), "application/yaml")})
    assert r.status_code == 422 and "bad.yaml:3" in r.text
    r = admin.post("/templates", data={"csrf": "forged"}, files={"file": ("shop.yaml", spec.encode(), "x/y")})
    assert r.status_code == 403
    r = team.post("/templates/shop_week/delete", data={"csrf": form_csrf(team.get("/templates").text)})
    assert r.status_code == 403
    r = admin.post("/templates/shop_week/delete", data={"csrf": token})
    assert r.status_code == 200 and "Template shop_week removed" in r.text and "Store week" not in r.text
