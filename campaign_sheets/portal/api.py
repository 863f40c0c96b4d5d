"""The JSON API: submissions, campaigns, portfolio exports, templates."""
from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as ApiPath
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..i18n import t
from .app import Context, User, lang_of
from .codec import plain
from .service import Filters
from .upload import UploadRefused, receive_files

router = APIRouter(prefix="/api")
# the bodies are read as a stream (upload.py), so OpenAPI is told their shape here
_FILES = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ctx(request: Request) -> Context:
    return request.app.state.ctx


def _error(request: Request, status: int, key: str, **params: Any) -> JSONResponse:
    return JSONResponse({"error": key.rsplit(".", 1)[-1], "message": t(key, lang_of(request), **params)}, status_code=status)


def _who(request: Request) -> User | None:
    return _ctx(request).user(request)


def visible(user: User, submission: dict[str, Any] | None) -> bool:
    return submission is not None and (user.can_see_all or submission.get("submitted_by") == user.name)


@router.post("/submissions", status_code=201, openapi_extra=_FILES)
async def submit(request: Request) -> Any:
    """Upload one or more workbooks (multipart, field `file`); one entry per file with its report."""
    ctx, user = _ctx(request), _who(request)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    if not ctx.csrf_ok(request, request.headers.get("x-csrf-token")):
        return _error(request, 403, "portal.csrf")
    lang = lang_of(request)
    try:
        files, _ = await receive_files(request, ctx.uploads, ctx.settings.max_upload, ctx.settings.max_files)
    except UploadRefused as err:
        return _error(request, err.status, f"portal.upload_{err.code.replace('-', '_')}", **err.params)
    if not files:
        return _error(request, 400, "portal.upload_no_file")
    out = []
    try:
        for f in files:
            sha, stored, found = await run_in_threadpool(ctx.portal.receive, f.path, user.name)
            if found is not None:   # the same bytes from the same sender: that submission
                out.append(_entry(found, False))
                continue
            # checking is CPU work: off the event loop, so one large upload does not stall the others
            summary, entry = await ctx.check(stored, lang)
            sub, created = await run_in_threadpool(ctx.portal.record, sha, stored, f.filename, summary, entry, user.name)
            out.append(_entry(sub, created, await run_in_threadpool(_current_of, ctx, sub, user.name)))
    finally:
        for f in files:
            f.path.unlink(missing_ok=True)
    return {"submissions": out}


def _entry(sub: dict[str, Any], created: bool, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A submission as the upload answers it; `current_submission` is its campaign's current one in the
    sender's view (another when a file with later data is there: this one is an earlier version)."""
    return {"submission_id": sub["id"], "campaign_id": sub["campaign_id"], "accepted": sub["accepted"],
            "status": sub["status"], "created": created, "filename": sub["filename"], "report": sub["report"],
            "current_submission": current["id"] if current else None,
            "current_filename": current["filename"] if current else None}


def _current_of(ctx: Context, sub: dict[str, Any], user: str) -> dict[str, Any] | None:
    return ctx.portal.current_submission(sub["campaign_id"], user) if sub["campaign_id"] and sub["accepted"] else None


@router.get("/submissions")
def list_submissions(request: Request, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=2**31 - 1),
                     campaign_id: str | None = None) -> Any:
    user = _who(request)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    rows = _ctx(request).portal.submissions(None if user.can_see_all else user.name, campaign_id, limit, offset)
    return {"submissions": plain(rows)}


@router.get("/submissions/{sid}")
def get_submission(request: Request, sid: int = ApiPath(ge=1, le=2**31 - 1)) -> Any:
    user, sub = _who(request), _ctx(request).portal.submission(sid)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    if not visible(user, sub):
        return _error(request, 404, "portal.not_found")
    return plain(sub)


@router.get("/submissions/{sid}/file")
def get_file(request: Request, sid: int = ApiPath(ge=1, le=2**31 - 1)) -> Any:
    ctx, user = _ctx(request), _who(request)
    sub = ctx.portal.submission(sid)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    if not visible(user, sub):
        return _error(request, 404, "portal.not_found")
    data = ctx.portal.stored_path(sub).read_bytes()
    return Response(data, media_type=XLSX if sub["status"] != "rejected" else "application/octet-stream",
                    headers=_download(sub["filename"]))


@router.get("/submissions/{sid}/annotated")
async def get_annotated(request: Request, sid: int = ApiPath(ge=1, le=2**31 - 1)) -> Any:
    ctx, user = _ctx(request), _who(request)
    sub = ctx.portal.submission(sid)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    if not visible(user, sub):
        return _error(request, 404, "portal.not_found")
    if sub["status"] == "rejected":
        return _error(request, 409, "portal.no_annotated")
    path = await ctx.annotated(sub, lang_of(request))
    stem = Path(sub["filename"]).stem
    return Response(path.read_bytes(), media_type=XLSX, headers=_download(f"{stem}-annotated.xlsx"))


@router.get("/campaigns")
def campaigns(request: Request) -> Any:
    user = _who(request)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    merger = _ctx(request).portal.portfolio(user=None if user.can_see_all else user.name)
    return {"campaigns": plain(merger.campaigns)}


@router.get("/campaigns/{campaign_id:path}")
async def campaign(request: Request, campaign_id: str) -> Any:
    ctx, user = _ctx(request), _who(request)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    scope = None if user.can_see_all else user.name   # a team sees its own submissions of the campaign
    history = ctx.portal.submissions(scope, campaign_id, 1000, 0)
    current = ctx.portal.current_submission(campaign_id, scope)
    if not history:
        return _error(request, 404, "portal.not_found")
    merger = ctx.portal.campaign_merger(campaign_id, scope)
    facts = merger.campaigns[0] if merger is not None and merger.campaigns else None
    brief = None
    if current is not None:   # at the date the current state was judged on, as its facts are
        lang = request.query_params.get("lang")
        asked = (facts or {}).get("today")
        brief = (await ctx.brief(current, lang if lang in ("zh-CN", "en") else None,
                                 asked if isinstance(asked, dt.date) else None)).to_dict()
    return {"campaign_id": campaign_id, "facts": plain(facts), "current_submission": current and current["id"],
            "brief": brief, "submissions": plain(history), "kpi_history": ctx.portal.kpi_history(campaign_id, scope),
            "issue_history": ctx.portal.issue_history(campaign_id, scope)}


def filters_from(request: Request) -> Filters:
    q = request.query_params

    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(q[name]) if q.get(name) else None
        except ValueError:
            return None
    by = tuple(b for b in q.getlist("by") if b in ("scenario", "lead", "channel", "month"))
    status = q.get("status") if q.get("status") in ("clean", "warnings", "errors") else None
    return Filters(since=day("since"), until=day("until"), scenario=q.get("scenario") or None,
                   lead=q.get("lead") or None, status=status, by=by)


@router.get("/portfolio.{fmt}")
async def portfolio(request: Request, fmt: str) -> Any:
    """The rollup of every campaign's current state, with the rollup's filters: xlsx, csv (zip) or parquet (zip)."""
    ctx, user = _ctx(request), _who(request)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    if fmt not in ("xlsx", "csv", "parquet"):
        return _error(request, 404, "portal.not_found")
    filters = filters_from(request)
    merger = ctx.portal.portfolio(filters, user=None if user.can_see_all else user.name)
    data = await run_in_threadpool(_export, merger, filters, fmt, request.query_params.get("lang"))
    media = XLSX if fmt == "xlsx" else "application/zip"
    name = f"portfolio-{dt.date.today().isoformat()}.{'xlsx' if fmt == 'xlsx' else fmt + '.zip'}"
    return Response(data, media_type=media, headers=_download(name))


def _export(merger: Any, filters: Filters, fmt: str, lang: str | None) -> bytes:
    from ..outputs import write_tables
    from ..portfolio.book import write_rollup_xlsx

    book_lang = merger.language(lang if lang in ("zh-CN", "en") else None)
    frames = merger.frames(filters.by, lang=book_lang)
    with tempfile.TemporaryDirectory() as tmp:
        if fmt == "xlsx":
            target = Path(tmp) / "portfolio.xlsx"
            write_rollup_xlsx(frames, merger.counts(), target, lang=book_lang, today=dt.date.today(), labels=merger.labels)
            return target.read_bytes()
        folder = Path(tmp) / "portfolio"
        write_tables(frames, folder, fmt, extra={"counts": merger.counts()})
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(folder.iterdir()):
                z.write(p, p.name)
        return buf.getvalue()


@router.get("/templates")
def templates(request: Request) -> Any:
    from ..spec.loader import available_specs

    ctx = _ctx(request)
    if _who(request) is None:
        return _error(request, 401, "portal.signin_required")
    uploaded = sorted(p.stem for p in ctx.specs.glob("*.yaml"))
    return {"templates": available_specs(ctx.portal.spec_dir), "uploaded": uploaded, "languages": ["zh-CN", "en"]}


def _admin_refused(request: Request) -> JSONResponse | None:
    """Why a request may not change the templates (not signed in, not an admin, no CSRF token), or None."""
    user = _who(request)
    if user is None:
        return _error(request, 401, "portal.signin_required")
    if not user.is_admin:
        return _error(request, 403, "portal.forbidden")
    if not _ctx(request).csrf_ok(request, request.headers.get("x-csrf-token")):
        return _error(request, 403, "portal.csrf")
    return None


@router.post("/templates", status_code=201, openapi_extra=_FILES)
async def add_template(request: Request) -> Any:
    """Admins: add or replace a template from a spec file (YAML); it is checked as `spec check` does."""
    ctx, refused = _ctx(request), _admin_refused(request)
    if refused is not None:
        return refused
    try:
        files, _ = await receive_files(request, ctx.uploads, 2 * 2**20, 1)
    except UploadRefused as err:
        return _error(request, err.status, f"portal.upload_{err.code.replace('-', '_')}", **err.params)
    if not files:
        return _error(request, 400, "portal.upload_no_file")
    status, payload = await run_in_threadpool(store_template, ctx, files[0].path, files[0].filename, lang_of(request))
    return JSONResponse(payload, status_code=status)


def store_template(ctx: Context, received: Path, filename: str, lang: str) -> tuple[int, dict[str, Any]]:
    """Check a received spec file and keep it among the uploaded templates: (HTTP status, answer).
    The received file is removed either way."""
    from ..errors import SpecError
    from ..outputs import atomic_path
    from ..spec.loader import available_specs, load_spec_text

    try:
        text = received.read_text(encoding="utf-8-sig")
        base = _extends(text)
        if base is not None and not re.fullmatch(r"[a-z][a-z0-9_-]*", base):   # by name, from the spec folders only
            return 422, {"error": "spec", "message": t("portal.spec_bad", lang),
                         "problems": [t("portal.extends_by_name", lang, value=base[:100])]}
        loaded = load_spec_text(text, filename, lang=lang, spec_dir=ctx.portal.spec_dir)
    except (SpecError, UnicodeDecodeError) as err:
        problems = [str(p) for p in err.problems] if isinstance(err, SpecError) else [str(err)]
        return 422, {"error": "spec", "message": t("portal.spec_bad", lang), "problems": problems}
    finally:
        received.unlink(missing_ok=True)
    name = loaded.spec.template   # a checked id ([a-z][a-z0-9_-]*): safe as a file name
    if name in available_specs(ctx.settings.spec_dir or None):   # the shipped ones are not replaced here
        return 409, {"error": "spec_shipped", "message": t("portal.spec_shipped", lang, name=name)}
    with atomic_path(ctx.specs / f"{name}.yaml") as tmp:
        tmp.write_text(text, encoding="utf-8")
    ctx.portal.forget_specs()
    return 201, {"template": name, "version": loaded.spec.version}


def _extends(text: str) -> str | None:
    """The `extends` value of a spec's text (a path would let an admin read files on the server)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None   # the loader says what is wrong, with the line
    value = data.get("extends") if isinstance(data, dict) else None
    return None if value is None else str(value)


def remove_template(ctx: Context, name: str) -> bool:
    """Remove an uploaded template (the shipped ones stay); False if there is none of that name."""
    target = next((p for p in ctx.specs.glob("*.yaml") if p.stem == name), None)
    if target is None:
        return False
    target.unlink()
    ctx.portal.forget_specs()
    return True


@router.delete("/templates/{name}")
def delete_template(request: Request, name: str) -> Any:
    """Admins: remove an uploaded template (the shipped ones stay)."""
    ctx, refused = _ctx(request), _admin_refused(request)
    if refused is not None:
        return refused
    if not remove_template(ctx, name):
        return _error(request, 404, "portal.not_found")
    return {"deleted": name}


@router.get("/templates/{name}.xlsx")
async def template(request: Request, name: str, lang: str = Query("zh-CN", pattern="^(zh-CN|en)$")) -> Any:
    from ..spec.loader import available_specs

    ctx = _ctx(request)
    if _who(request) is None:
        return _error(request, 401, "portal.signin_required")
    if name not in available_specs(ctx.portal.spec_dir):
        return _error(request, 404, "portal.not_found")
    data = await run_in_threadpool(ctx.portal.blank, name, lang)
    return Response(data, media_type=XLSX, headers=_download(f"{name}-{lang}.xlsx"))


def _download(filename: str) -> dict[str, str]:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    from urllib.parse import quote

    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in filename) or "download"
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}


__all__ = ["router"]
