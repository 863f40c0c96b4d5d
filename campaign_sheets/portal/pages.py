"""The portal's pages, rendered on the server: upload, campaign, portfolio, templates, sign-in.

Every text comes from the catalogue (page.* in i18n/portal_pages.py), every value goes through
Jinja's autoescape, and no page carries an inline script (the app's CSP allows only /static/*).
The pages read through the same `Portal` and the same visibility rules as the JSON API.
"""
from __future__ import annotations

import logging
import math
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, pass_context
from starlette.concurrency import run_in_threadpool

from ..i18n import t
from ..portfolio.labels import Words
from . import charts
from .api import filters_from
from .app import LANG_COOKIE, SESSION_COOKIE, lang_of
from .auth import SESSION_SECONDS, SIGNIN_FORM_SECONDS, User, check_csrf, cookie_kwargs

log = logging.getLogger("campaign_sheets.portal")
router = APIRouter(include_in_schema=False)
LANG_SECONDS = 365 * 24 * 3600
STATIC = {"portal.css": "text/css; charset=utf-8", "upload.js": "text/javascript; charset=utf-8",
          "portal.js": "text/javascript; charset=utf-8"}
STATUSES = ("clean", "warnings", "errors", "rejected", "not_campaign")
GROUPS = ("scenario", "lead", "channel", "month")
CHART_ROWS = 30   # campaigns drawn in a chart (the largest budgets); the table lists them all

ENV = Environment(loader=PackageLoader("campaign_sheets.portal", "templates"), autoescape=True,
                  trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(number=charts.number, share=charts.share, day=charts.day, text=charts.text,
                   status_class=charts.status_class, urlpart=lambda v: quote(str(v), safe=""))
ENV.filters["money"] = pass_context(lambda c, v: charts.money(v, c["lang"]))
ENV.globals["NOWRAP"] = charts.NOWRAP


class Page:
    """One page request: who asks, in which language, its CSRF token, the cookies the answer sets."""

    def __init__(self, request: Request) -> None:
        self.request, self.ctx = request, request.app.state.ctx
        self.lang = lang_of(request)
        self.user: User | None = self.ctx.user(request)
        self.cookies: list[tuple[str, str, dict[str, Any]]] = []
        cookie = request.cookies.get(SESSION_COOKIE)
        session = self.ctx.sessions.read(cookie)
        self.csrf = session.csrf if session else ""
        if session is None and self.ctx.users is None:
            self.anonymous()   # no sign-in: an anonymous session still gives uploads a CSRF token

    def anonymous(self) -> None:
        """The CSRF token of the browser's anonymous session (made if it has none that is still valid)."""
        sessions = self.ctx.sessions
        value = self.request.cookies.get(SESSION_COOKIE)
        token = sessions.anonymous_csrf(value)
        if token is None:
            value = sessions.anonymous()
            token = sessions.anonymous_csrf(value)
            # a local portal's page may stay open all day; a sign-in form only for a while
            self.cookies.append((SESSION_COOKIE, value,
                                 self.cookie(SESSION_SECONDS if self.ctx.users is None else SIGNIN_FORM_SECONDS)))
        self.csrf = token or ""

    @property
    def portal(self) -> Any:
        return self.ctx.portal

    @property
    def scope(self) -> str | None:
        """Whose submissions this user sees: None for everyone's (analysts, admins)."""
        return None if self.user is None or self.user.can_see_all else self.user.name

    def cookie(self, max_age: int | None = None) -> dict[str, Any]:
        secure = self.ctx.settings.secure_cookies
        return cookie_kwargs(secure) if max_age is None else cookie_kwargs(secure, max_age)

    def tr(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def url(self, **changes: str) -> str:
        """This page's address with some query parameters changed (the language switch)."""
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k not in changes]
        return self.request.url.path + "?" + urlencode(query + list(changes.items()))

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.update(lang=self.lang, t=self.tr, user=self.user, csrf=self.csrf, sign_in=self.ctx.users is not None,
                      switch={code: self.url(lang=code) for code in ("zh-CN", "en")}, path=self.request.url.path)
        response = HTMLResponse(ENV.get_template(template).render(**values), status_code=status)
        return self.finish(response)

    def finish(self, response: Response) -> Response:
        for name, value, kwargs in self.cookies:
            response.set_cookie(name, value, **kwargs)
        if self.request.query_params.get("lang") in ("zh-CN", "en"):
            response.set_cookie(LANG_COOKIE, self.lang, **self.cookie(LANG_SECONDS))
        response.headers["Cache-Control"] = "no-store"
        return response

    def not_found(self) -> HTMLResponse:
        return self.render("notfound.html", 404, title=self.tr("portal.not_found"))


def _open(request: Request) -> Page | Response:
    """The page for a signed-in user, else the way to the sign-in form."""
    page = Page(request)
    if page.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        query = {"next": target, **({"lang": page.lang} if request.query_params.get("lang") else {})}
        return page.finish(RedirectResponse("/signin?" + urlencode(query), status_code=303))
    return page


async def _small_form(request: Request) -> dict[str, str]:
    """A small url-encoded form (sign-in, sign-out, delete): read up to 16 KB and no more, so nobody
    can make the server take a large body before the CSRF and sign-in checks."""
    from urllib.parse import parse_qsl

    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > 16_384:
            return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never //host or /\\host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# -- static files ---------------------------------------------------------------------------

@cache
def _static(name: str) -> bytes:
    return resources.files("campaign_sheets.portal").joinpath("static", name).read_bytes()


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The page's CSS and scripts: a fixed set of names, never a path."""
    if name not in STATIC:
        return Response(status_code=404)
    return Response(_static(name), media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


# -- upload ---------------------------------------------------------------------------------

JS_TEXTS = ("upload.uploading", "upload.checking", "upload.failed", "upload.network", "report.accepted",
            "report.not_accepted", "report.not_accepted_hint", "report.duplicate", "report.superseded", "report.not_campaign", "report.no_issues",
            "report.annotated", "report.campaign", "report.whole_file", "report.fix", "report.value",
            "report.expected", "report.row", "report.template", "report.issues_in", "col.severity", "col.cell",
            "col.message", "count.error", "count.warning", "count.alert", "count.info")


@router.get("/", response_class=HTMLResponse)
def upload(request: Request) -> Response:
    page = _open(request)
    if not isinstance(page, Page):
        return page
    texts = {k: page.tr("page." + k) for k in JS_TEXTS}
    texts.update({f"severity.{s}": page.tr(f"portfolio.severity.{s}") for s in ("error", "warning", "alert", "info")})
    texts.update({f"status.{s}": page.tr(f"portfolio.status.{s}") for s in STATUSES})
    settings = page.ctx.settings
    recent = page.portal.submissions(page.scope, None, 10, 0)
    return page.render("upload.html", texts=texts, recent=recent, nav="upload",
                       max_mb=max(1, math.floor(settings.max_upload / 2**20)), max_files=settings.max_files)


# -- campaign -------------------------------------------------------------------------------

def _campaign_access(page: Page, campaign_id: str) -> tuple[list[dict], dict | None] | None:
    """The campaign's submissions this user may see and its current one; None if none is theirs."""
    history = page.portal.submissions(page.scope, campaign_id, 1000, 0)
    if not history:
        return None
    return history, page.portal.current_submission(campaign_id, page.scope)


# before the campaign page: its path id would otherwise take "…/brief.html" too
@router.get("/campaigns/{campaign_id:path}/brief.html", response_class=HTMLResponse)
async def campaign_brief(request: Request, campaign_id: str) -> Response:
    """The campaign's daily brief, for the campaign page's sandboxed frame."""
    page = _open(request)
    if not isinstance(page, Page):
        return page
    access = await run_in_threadpool(_campaign_access, page, campaign_id)
    if access is None or access[1] is None:
        return page.not_found()
    from ..brief.html import render_html

    try:   # at the date the campaign's facts were judged on: the page and its brief say the same
        asked = await run_in_threadpool(page.portal.asked_date, campaign_id, page.scope)
        brief = await page.ctx.brief(access[1], page.lang, asked)
        html = render_html(brief)
    except Exception:   # a file the brief cannot read: the rest of the campaign page still works
        log.exception("no brief for campaign %s", campaign_id)
        return page.render("notfound.html", 500, title=page.tr("page.campaign.brief_failed"), frame=True)
    response = HTMLResponse(html)
    # no script may run in it, even opened on its own; the campaign page may frame it
    response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                   "frame-ancestors 'self'; sandbox allow-same-origin allow-popups")
    return page.finish(response)


@router.get("/campaigns/{campaign_id:path}", response_class=HTMLResponse)
def campaign(request: Request, campaign_id: str) -> Response:
    page = _open(request)
    if not isinstance(page, Page):
        return page
    access = _campaign_access(page, campaign_id)
    if access is None:
        return page.not_found()
    history, current = access
    merger = page.portal.campaign_merger(campaign_id, page.scope)
    facts = merger.campaigns[0] if merger is not None and merger.campaigns else None
    words = Words(merger.labels if merger is not None else {}, page.lang)
    rows = _fact_rows(page, facts, words) if facts else []
    name = (facts or {}).get("name") or campaign_id
    return page.render("campaign.html", title=name, campaign_id=campaign_id, facts=facts, rows=rows,
                       history_rows=history, current=current, nav="portfolio",
                       brief_src=f"/campaigns/{quote(campaign_id, safe='')}/brief.html?lang={page.lang}")


def _fact_rows(page: Page, c: dict[str, Any], words: Words) -> list[tuple[str, str]]:
    """The campaign's facts as (label, value) pairs, values already formatted."""
    col = lambda key: page.tr(f"portfolio.col.{key}")   # noqa: E731
    money = lambda key: charts.money(c.get(key), page.lang)   # noqa: E731
    period = f"{charts.day(c.get('start'))} – {charts.day(c.get('end'))}"
    tasks = f"{charts.number(c.get('tasks_done'))} / {charts.number(c.get('tasks_total'))}"
    risks = " / ".join(charts.number(c.get(f"risks_open_{lv}")) for lv in ("high", "medium", "low"))
    # once the campaign is over, its tasks due by the end and open are unfinished at close (days late to
    # the end); a task due after the end (the close-out report) is overdue like any other
    late = ["tasks_unfinished_at_close"] if c.get("tasks_unfinished_at_close") is not None else []
    late += ["tasks_overdue"] if late == [] or c.get("tasks_overdue") else []
    as_of = page.tr("page.campaign.as_of", data=charts.day(c.get("data_as_of")), asked=charts.day(c.get("today")))
    return [
        (col("campaign_id"), charts.text(c.get("campaign_id"))),
        (col("scenario"), charts.text(words.label("scenario", c.get("scenario")))),
        (col("lead"), charts.text(c.get("lead"))),
        (page.tr("page.campaign.period"), period),
        (col("data_as_of"), as_of),
        (col("phase"), charts.text(words.fixed("phase", c.get("phase")))),
        (col("budget_planned"), money("budget_planned")),
        (col("budget_actual"), f"{money('budget_actual')} ({charts.share(c.get('budget_used'))})"),
        (page.tr("page.campaign.tasks"), tasks),
        *[(col(key), charts.number(c.get(key))) for key in late],
        (page.tr("page.campaign.risks"), risks),
        (col("attainment"), charts.share(c.get("attainment"))),
        (col("campaigns.status"), charts.text(words.fixed("status", c.get("status")))),
        (col("source_file"), charts.text(c.get("source_file"))),
        (col("template"), f"{charts.text(c.get('template'))} v{charts.text(c.get('version'))}"),
    ]




# -- portfolio ------------------------------------------------------------------------------

@router.get("/portfolio", response_class=HTMLResponse)
def portfolio(request: Request) -> Response:
    page = _open(request)
    if not isinstance(page, Page):
        return page
    filters = filters_from(request)
    merger = page.portal.portfolio(filters, user=page.scope)
    frames = merger.frames(filters.by, lang=page.lang)
    everything = page.portal.portfolio(user=page.scope)   # what the filters can choose from
    words = Words({**everything.labels, **merger.labels}, page.lang)
    camps = frames["campaigns"].to_dict("records")
    label = lambda c: str(c.get("name") or c.get("campaign_id"))   # noqa: E731
    tr = page.tr
    totals = {key: sum(charts.num(c.get(key)) for c in camps)
              for key in ("budget_planned", "budget_actual", "tasks_overdue", "risks_open_high")}
    cat = frames["budget_by_category"].to_dict("records")
    drawn = camps if len(camps) <= CHART_ROWS else \
        sorted(camps, key=lambda c: -charts.num(c.get("budget_planned")))[:CHART_ROWS]   # the largest campaigns
    svg = {
        "budget": charts.paired_bars([(label(c), c.get("budget_planned"), c.get("budget_actual")) for c in drawn],
                                     (tr("page.chart.planned"), tr("page.chart.actual")), tr("page.chart.budget"),
                                     page.lang),
        "attainment": charts.attainment_bars([(label(c), c.get("attainment")) for c in drawn],
                                             tr("page.chart.attainment"), tr("page.chart.target")),
        "category": charts.paired_bars([(r.get("category_label") or r.get("category"), r.get("planned"), r.get("actual"))
                                        for r in cat], (tr("page.chart.planned"), tr("page.chart.actual")),
                                       tr("page.chart.category"), page.lang),
    }
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", page.lang)])
    return page.render(
        "portfolio.html", nav="portfolio", counts=page.portal.status_counts(page.scope), drawn=len(drawn), statuses=STATUSES, campaigns=camps, totals=totals,
        svg=svg, kpis=charts.kpi_multiples(frames["kpi_series"], camps, words, page.ctx.settings.spec_dir, page.lang),
        groups=charts.groups(frames, filters.by, words), tasks=charts.overdue(frames["tasks"], words),
        risks=charts.high_risks(frames["risks"], words), words=words, export=query,
        filters=filters, q=request.query_params, group_names=GROUPS,
        scenarios=sorted({c.get("scenario") for c in everything.campaigns if c.get("scenario")}),
        leads=sorted({str(c.get("lead")) for c in everything.campaigns if c.get("lead")}))


# -- templates ------------------------------------------------------------------------------

def _templates(page: "Page", status: int = 200, message: str | None = None, problems: list[str] | None = None) -> Response:
    from ..spec.loader import available_specs, load_spec

    rows = []
    uploaded = {p.stem for p in page.ctx.specs.glob("*.yaml")}
    for name in available_specs(page.portal.spec_dir):
        title = description = ""
        try:
            spec = load_spec(name, spec_dir=page.portal.spec_dir, lang=page.lang).spec
            title = _localised(spec.title, page.lang)
            description = _localised(getattr(spec, "description", None), page.lang)
        except Exception:   # a broken spec in --spec-dir: still listed, its download will say why
            log.warning("template %s cannot be loaded", name, exc_info=True)
        rows.append({"name": name, "title": title or name, "description": description, "uploaded": name in uploaded})
    rows.sort(key=lambda r: r["name"] != "campaign")   # the general template first
    return page.render("templates.html", status, nav="templates", rows=rows, message=message, problems=problems or [],
                       message_ok=status < 400)


@router.get("/templates", response_class=HTMLResponse)
def templates(request: Request) -> Response:
    page = _open(request)
    if not isinstance(page, Page):
        return page
    return _templates(page)


@router.post("/templates", response_class=HTMLResponse)
async def templates_add(request: Request) -> Response:
    """Admins add a template from a spec file (the same checks as the API and `spec check`)."""
    from .api import store_template
    from .upload import UploadRefused, receive_files

    page = _open(request)
    if not isinstance(page, Page):
        return page
    if page.user is None or not page.user.is_admin:
        return _templates(page, 403, page.tr("portal.forbidden"))
    try:
        files, fields = await receive_files(request, page.ctx.uploads, 2 * 2**20, 1)
    except UploadRefused as err:
        return _templates(page, err.status, page.tr(f"portal.upload_{err.code.replace('-', '_')}", **err.params))
    if not page.ctx.csrf_ok(request, fields.get("csrf")) or not files:
        for f in files:
            f.path.unlink(missing_ok=True)
        return _templates(page, 403 if files else 400, page.tr("portal.csrf" if files else "portal.upload_no_file"))
    status, answer = await run_in_threadpool(store_template, page.ctx, files[0].path, files[0].filename, page.lang)
    if status != 201:
        return _templates(page, status, answer["message"], answer.get("problems"))
    return _templates(page, 200, page.tr("page.templates.added", name=answer["template"]))


@router.post("/templates/{name}/delete", response_class=HTMLResponse)
async def templates_delete(request: Request, name: str) -> Response:
    from .api import remove_template

    page = _open(request)
    if not isinstance(page, Page):
        return page
    form = await _small_form(request)
    if page.user is None or not page.user.is_admin:
        return _templates(page, 403, page.tr("portal.forbidden"))
    if not page.ctx.csrf_ok(request, str(form.get("csrf") or "")):
        return _templates(page, 403, page.tr("portal.csrf"))
    found = remove_template(page.ctx, name)
    return _templates(page, 200 if found else 404, page.tr("page.templates.removed" if found else "portal.not_found", name=name))


def _localised(text: Any, lang: str) -> str:
    if isinstance(text, dict):
        return str(text.get(lang) or next(iter(text.values()), ""))
    return "" if text is None else str(text)


# -- sign-in --------------------------------------------------------------------------------

def _signin_form(page: Page, status: int = 200, error: str = "", name: str = "", target: str = "/") -> Response:
    page.anonymous()
    return page.render("signin.html", status, error=error, name=name, next=target, title=page.tr("page.signin.title"))


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    page, target = Page(request), _safe_next(request.query_params.get("next"))
    if page.ctx.users is None or page.user is not None:
        return page.finish(RedirectResponse(target, status_code=303))
    return _signin_form(page, target=target)


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request) -> Response:
    page = Page(request)
    if page.ctx.users is None:
        return RedirectResponse("/", status_code=303)
    form = await _small_form(request)
    name, password = str(form.get("name") or "")[:200], str(form.get("password") or "")[:1000]
    target = _safe_next(str(form.get("next") or ""))
    expected = page.ctx.sessions.anonymous_csrf(request.cookies.get(SESSION_COOKIE))
    if not check_csrf(expected, str(form.get("csrf") or "")):
        return _signin_form(page, 403, page.tr("portal.csrf"), name, target)
    address = request.client.host if request.client else "?"
    key = f"{address}|{name}"
    # per address and name, and per address over all names (one machine guessing many accounts);
    # counted before the password is checked, so parallel guesses cannot all slip through
    if not page.ctx.limiter.attempt(key):
        wait = page.ctx.limiter.retry_after(key)
    elif not page.ctx.address_limiter.attempt(address):
        page.ctx.limiter.forgive(key)
        wait = page.ctx.address_limiter.retry_after(address)
    else:
        wait = 0
    if wait > 0:
        return _signin_form(page, 429, page.tr("portal.signin_locked", minutes=max(1, math.ceil(wait / 60))), name, target)
    user = await run_in_threadpool(page.ctx.users.authenticate, name, password)
    if user is None:
        return _signin_form(page, 401, page.tr("portal.signin_failed"), name, target)
    page.ctx.limiter.succeeded(key)
    page.ctx.address_limiter.forgive(address)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, page.ctx.sessions.issue(user), **page.cookie())
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    page = Page(request)
    form = await _small_form(request)
    session = page.ctx.sessions.read(request.cookies.get(SESSION_COOKIE))
    if not check_csrf(session, str(form.get("csrf") or "")):
        return page.render("notfound.html", 403, title=page.tr("portal.csrf"))
    response = RedirectResponse("/signin" if page.ctx.users is not None else "/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


__all__ = ["router", "Page", "ENV"]
