"""`campaign-sheets serve`: the collection portal (and `serve adduser` for its users file)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import CampaignSheetsError
from ..i18n import cli_lang, t
from .common import SPEC_DIR, fail


@click.group("serve", invoke_without_command=True)
@click.option("--db", "db_url", default="sqlite:///campaign-sheets.db", show_default=True, metavar="URL",
              help="Database URL, e.g. postgresql+psycopg://user@host/db. / 数据库")
@click.option("--store", default="campaign-sheets-store", show_default=True, type=click.Path(file_okay=False),
              help="Folder of the received files (shared by every serve process). / 文件目录")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. / 监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--users", type=click.Path(dir_okay=False), default=None,
              help="Users file (made by `serve adduser`): sign-in required. / 用户文件，启用登录")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="uvicorn worker processes (each with its own --jobs pool).")
@click.option("--jobs", default=None, type=click.IntRange(0, 256),
              help="Processes that check uploads (default: CPUs; 0: in the server process). / 校验进程数")
@click.option("--max-upload-mb", default=20.0, show_default=True, type=click.FloatRange(0.01), help="Largest file accepted.")
@click.option("--forwarded-allow-ips", default=None, metavar="IPS",
              help="Behind a reverse proxy: its addresses, so sign-in limits see each client's address. / 反向代理地址")
@click.option("--secure-cookies", is_flag=True, help="Cookies only over HTTPS (behind a TLS proxy). / 仅 HTTPS 发送 Cookie")
@click.option("--lang", type=click.Choice(["zh-CN", "en"]), default=None, help="Language of this command's messages.")
@SPEC_DIR
@click.pass_context
def serve(ctx: click.Context, db_url: str, store: str, host: str, port: int, users: str | None, workers: int,
          jobs: int | None, max_upload_mb: float, forwarded_allow_ips: str | None, secure_cookies: bool, lang: str | None,
          spec_dir: tuple[str, ...]) -> None:
    """The collection portal: submit workbooks in a browser, see the portfolio. / 收集门户。"""
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from ..portal.app import Settings, create_app
    from ..portal.asgi import settings_to_env

    msg_lang = cli_lang(lang)
    settings = Settings(db_url=db_url, store=Path(store), users=Path(users) if users else None, host=host, port=port,
                        spec_dir=list(spec_dir), max_upload=int(max_upload_mb * 2**20), secure_cookies=secure_cookies,
                        jobs=jobs if jobs is not None else (os.cpu_count() or 1))
    try:
        settings.check()
        app = create_app(settings)   # migrations run here, once, before any worker starts
    except CampaignSheetsError as err:
        fail(err, msg_lang)
        return
    if users is None:
        click.echo(t("portal.local_only", msg_lang, host=host, port=port), err=True)
    click.echo(t("portal.listening", msg_lang, host=host, port=port, db=_safe_url(db_url), store=store), err=True)
    proxy = {"proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips} if forwarded_allow_ips else {"proxy_headers": False}
    if workers > 1:
        settings_to_env(settings)
        uvicorn.run("campaign_sheets.portal.asgi:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", **proxy)
    else:
        uvicorn.run(app, host=host, port=port, log_level="warning", **proxy)


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:   # noqa: BLE001 - only for display
        return url.split("@")[-1]


@serve.command("adduser")
@click.argument("users_file", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option("--role", type=click.Choice(["team", "analyst", "admin"]), default="team", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for when not given.")
@click.option("--lang", type=click.Choice(["zh-CN", "en"]), default=None)
def adduser(users_file: str, name: str, role: str, password: str, lang: str | None) -> None:
    """Add or replace a user; prints the user's API token once. / 添加用户。"""
    from ..portal.auth import add_user

    msg_lang = cli_lang(lang)
    try:
        token = add_user(users_file, name, role, password)
    except CampaignSheetsError as err:
        fail(err, msg_lang)
        return
    click.echo(t("portal.user_added", msg_lang, name=name, role=role, path=users_file))
    click.echo(t("portal.user_token", msg_lang, token=token))
    sys.exit(0)
