"""The app for uvicorn workers: settings travel in the environment (`serve` sets them)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI

from .app import Settings, create_app

ENV = "CAMPAIGN_SHEETS_PORTAL"


def settings_to_env(settings: Settings) -> None:
    os.environ[ENV] = json.dumps({
        "db_url": settings.db_url, "store": str(settings.store), "users": str(settings.users) if settings.users else None,
        "host": settings.host, "port": settings.port, "spec_dir": settings.spec_dir, "max_upload": settings.max_upload,
        "secure_cookies": settings.secure_cookies, "allowed_hosts": settings.allowed_hosts, "jobs": settings.jobs})


def app_from_env() -> FastAPI:
    d = json.loads(os.environ[ENV])
    return create_app(Settings(db_url=d["db_url"], store=Path(d["store"]), users=Path(d["users"]) if d["users"] else None,
                               host=d["host"], port=d["port"], spec_dir=d["spec_dir"], max_upload=d["max_upload"],
                               secure_cookies=d["secure_cookies"], allowed_hosts=d["allowed_hosts"], jobs=d["jobs"]))
