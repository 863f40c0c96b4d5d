"""The portal's web app: settings, who is asking, security headers, errors; routes live in api.py and pages.py."""
from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..i18n import t
from ..read.guard import Limits
from .auth import SESSION_SECONDS, Sessions, SignInLimiter, User, Users, check_csrf, secret_from
from .service import Portal

log = logging.getLogger("campaign_sheets.portal")
SESSION_COOKIE = "cs_session"
LANG_COOKIE = "cs_lang"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
LOCAL = User("local", "admin")   # without --users: anyone on this machine


@dataclass
class Settings:
    db_url: str = "sqlite:///campaign-sheets.db"
    store: Path = Path("campaign-sheets-store")
    users: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    spec_dir: list[str] = field(default_factory=list)
    max_upload: int = 20 * 2**20
    max_files: int = 50
    secure_cookies: bool = False
    allowed_hosts: list[str] | None = None
    jobs: int = 0   # processes that check uploads; 0: in this process's thread pool (tests, small machines)

    def check(self) -> None:
        """Refuse to listen beyond this machine without sign-in."""
        if self.users is None and not is_loopback(self.host):
            from ..errors import CampaignSheetsError

            raise CampaignSheetsError.of("portal.needs_users", host=self.host)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Context:
    """What every route needs, built once per app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # templates admins upload live in the store, shared by every serve process
        self.specs = Path(settings.store) / "specs"
        self.specs.mkdir(parents=True, exist_ok=True)
        self.portal = Portal.open(settings.db_url, settings.store, [*settings.spec_dir, str(self.specs)],
                                  Limits(max_file_bytes=settings.max_upload))
        self.users = Users.load(settings.users) if settings.users else None
        self.sessions = Sessions(secret_from(Path(settings.store) / "secret.key"))
        self.limiter = SignInLimiter()                                    # 5 failures per address and name
        self.address_limiter = SignInLimiter(max_failures=20)             # 20 per address, whatever the names
        self.uploads = Path(settings.store) / "incoming"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self._pool: ProcessPoolExecutor | None = None
        self._briefs: OrderedDict[tuple, Any] = OrderedDict()

    async def check(self, stored: Path, lang: str) -> tuple[Any, dict[str, Any]]:
        """Check a stored upload off the event loop (see `run`)."""
        from .service import check_file

        return await self.run(check_file, stored, self.portal.spec_dir, lang, self.portal.limits, dt.date.today())

    async def run(self, fn: Any, *args: Any) -> Any:
        """Run CPU work (checking, annotating, a brief) in the process pool, since threads of one process
        cannot share it; with --jobs 0 in the thread pool. A pool whose process died is replaced, once."""
        if self.settings.jobs <= 0:
            return await run_in_threadpool(fn, *args)
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool(), fn, *args)
        except BrokenProcessPool:   # a checking process died (killed, out of memory): a new pool, once
            log.warning("the checking pool broke; starting a new one")
            self._pool = None
            return await asyncio.get_running_loop().run_in_executor(self.pool(), fn, *args)

    async def annotated(self, submission: dict[str, Any], lang: str) -> Path:
        """The annotated copy of a submission in `lang`, made once (in the pool) and kept in the store."""
        from .service import annotated_bytes

        kind = f"annotated-{lang}.xlsx"
        target = self.portal.store.path(submission["sha256"], kind)
        if not target.exists():
            data = await self.run(annotated_bytes, self.portal.stored_path(submission), self.portal.spec_dir, lang,
                                  self.portal.limits)
            target = self.portal.store.put_derived(submission["sha256"], kind, data)
        return target

    async def brief(self, submission: dict[str, Any], lang: str | None, date: dt.date | None = None) -> Any:
        """The brief of a submission at `date` (made in the pool; the last 256 kept: a stored file never changes)."""
        import dataclasses

        from .service import brief_of

        key = (submission["sha256"], lang, tuple(self.portal.spec_dir or ()), date)
        brief = self._briefs.get(key)
        if brief is None:
            brief = await self.run(brief_of, self.portal.stored_path(submission), self.portal.spec_dir, lang, date)
            self._briefs[key] = brief
            while len(self._briefs) > 256:
                self._briefs.popitem(last=False)
        return dataclasses.replace(brief, file=submission["filename"])

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the server has threads (a forked child could inherit a held lock)
            self._pool = ProcessPoolExecutor(self.settings.jobs, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def warm(self) -> None:
        """Start the checking processes and load what they need before the first upload arrives."""
        from .service import warm

        if self.settings.jobs > 0:
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(self.pool(), warm, self.portal.spec_dir)
                                   for _ in range(self.settings.jobs)))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self.portal.engine.dispose()

    def user(self, request: Request) -> User | None:
        """The signed-in user (Bearer token or session cookie); LOCAL without --users; None if unknown."""
        if self.users is None:
            return LOCAL
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return self.users.by_token(auth[7:].strip())
        session = self.sessions.read(request.cookies.get(SESSION_COOKIE))
        return self.users.get(session.name) if session else None

    def csrf_ok(self, request: Request, submitted: str | None) -> bool:
        """A state-changing request from a browser must carry the session's CSRF token; a script with a
        Bearer token needs none, nor, without --users, one that no browser sent (no Origin, no cookie)."""
        if request.headers.get("authorization", "").lower().startswith("bearer ") and self.users is not None:
            return True
        cookie = request.cookies.get(SESSION_COOKIE)
        session = self.sessions.read(cookie)
        # an upload page left open all day on a local portal must still work: the session's lifetime
        expected = session.csrf if session is not None else self.sessions.anonymous_csrf(cookie, max_age=SESSION_SECONDS)
        if expected and submitted and check_csrf(expected, submitted):
            return True
        browser = "origin" in request.headers or "cookie" in request.headers or "sec-fetch-site" in request.headers
        return self.users is None and not browser


def lang_of(request: Request) -> str:
    """?lang=, else the language cookie, else the browser's Accept-Language (zh* → zh-CN), else en."""
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if lang in ("zh-CN", "en"):
        return lang
    return "zh-CN" if request.headers.get("accept-language", "").lower().startswith("zh") else "en"


def create_app(settings: Settings) -> FastAPI:
    settings.check()
    ctx = Context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):   # noqa: ANN202
        await ctx.warm()
        yield
        ctx.close()

    # the OpenAPI document only: FastAPI's docs pages load their scripts from a CDN
    app = FastAPI(title="campaign-sheets portal", version="1", docs_url=None, openapi_url="/api/openapi.json",
                  redoc_url=None, lifespan=lifespan)
    app.state.ctx = ctx
    local = {"127.0.0.1", "localhost", "::1", "[::1]", settings.host, f"[{settings.host}]", "testserver"}
    hosts = settings.allowed_hosts or (sorted(local) if settings.users is None else ["*"])
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)   # no DNS rebinding onto a local server

    @app.middleware("http")
    async def headers(request: Request, call_next):   # noqa: ANN001, ANN202
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)   # the server's log; never the client
        return JSONResponse({"error": "internal", "message": t("portal.internal", lang_of(request))}, status_code=500)

    from .api import router as api_router
    from .pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        ctx.portal.count()   # the database answers
        return {"ok": True}

    return app


__all__ = ["Settings", "create_app", "Context", "lang_of", "is_loopback", "SESSION_COOKIE", "LANG_COOKIE", "LOCAL"]
