"""The hostile-input corpus, written once per test session (about 15 s), and shared helpers."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from .make_corpus import Case, make_corpus

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 6, 20)
GIB = 1 << 30
MEASURED: dict[str, dict[str, float]] = {}   # case -> step -> seconds / MiB, dumped for the report


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("corpus")
    return {c.name: c for c in make_corpus(folder)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(case: str, step: str, value: float) -> None:
    MEASURED.setdefault(case, {})[step] = round(value, 3)


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("BAD_INPUTS_MEASURE")
    if target and MEASURED:
        Path(target).write_text(json.dumps(MEASURED, indent=1, ensure_ascii=False), encoding="utf-8")
