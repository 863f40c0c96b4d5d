"""Generate varied filled workbooks from a spec's example: for tests, benchmarks and demos.

Each variant is the worked example with its own id, name, lead, scenario, dates and scaled
figures, built by the real builder, so a corpus exercises exactly what users fill in.
"""
from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path
from typing import Any

from campaign_sheets import build_workbook
from campaign_sheets.spec.loader import LoadedSpec, load_spec

LEADS = ["王磊", "李娜", "陈晨", "张伟", "赵敏", "刘洋"]
MONEY_KEYS = {"planned", "committed", "actual", "budget", "unit_cost", "budget_total", "sales", "cost"}
COUNT_KEYS = {"participants", "registrations", "expected_reach"}


def _shift(value: Any, days: int) -> Any:
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(days=days)
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=days)
    return value


def _scale(key: str, value: Any, factor: float) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if key in MONEY_KEYS:
            return round(value * factor, 2)
        if key in COUNT_KEYS:
            return int(round(value * factor))
    return value


def variant(loaded: LoadedSpec, seed: int) -> LoadedSpec:
    """The example with campaign-specific id, people, dates and figures (deterministic per seed).
    Specs are frozen: the variant is a copy with new examples."""
    rng = random.Random(seed)
    spec = loaded.spec
    days = rng.randint(-150, 150)
    factor = round(rng.uniform(0.5, 2.0), 2)
    scenarios = [i.key for i in spec.lists.get("scenarios", [])]
    statuses = [i.key for i in spec.lists.get("task_status", [])]
    sheets = []
    for sheet in spec.sheets:
        form = sheet.form
        if form and form.example:
            ex = {k: _scale(k, _shift(v, days), factor) for k, v in form.example.items()}
            ex["code"] = f"C{seed:05d}"
            ex["name"] = f"{ex.get('name', 'Campaign')} #{seed}"
            ex["lead"] = rng.choice(LEADS)
            if scenarios:
                ex["scenario"] = rng.choice(scenarios)
            form = form.model_copy(update={"example": ex})
        tables = []
        for table in sheet.tables:
            rows = []
            for row in table.example:
                new = {k: _scale(k, _shift(v, days), factor) for k, v in row.items()}
                if table.key == "tasks" and statuses and rng.random() < 0.15:
                    new["status"] = rng.choice(statuses)
                if table.key == "kpi_daily" and "conversion" in new and new.get("participants"):
                    # vary the day's registrations; the rate stays their ratio, as a team would enter it
                    new["registrations"] = int(round(new["registrations"] * rng.uniform(0.7, 1.3)))
                    new["conversion"] = round(new["registrations"] / new["participants"], 4)
                rows.append(new)
            tables.append(table.model_copy(update={"example": rows}))
        sheets.append(sheet.model_copy(update={"form": form, "tables": tables}))
    return LoadedSpec.of(spec.model_copy(update={"sheets": sheets}), loaded.path)


def make_corpus(folder: str | os.PathLike, n: int, *, spec: str = "campaign", seed: int = 0,
                broken: int = 0, langs: tuple[str, ...] = ("zh-CN", "en")) -> list[Path]:
    """Write `n` filled workbooks (plus `broken` unreadable ones) into `folder`; return their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    loaded = load_spec(spec)
    paths = []
    for i in range(n):
        lang = langs[i % len(langs)]
        paths.append(build_workbook(variant(loaded, seed + i), out / f"campaign-{seed + i:05d}.xlsx", lang=lang,
                                    example=True))
    for j in range(broken):
        bad = out / f"broken-{j:03d}.xlsx"
        if j % 3 == 0:
            bad.write_bytes(b"")
        elif j % 3 == 1:
            bad.write_text("name,budget\nx,1\n", encoding="utf-8")
        else:
            bad.write_bytes(paths[0].read_bytes()[:2000] if paths else b"PK\x03\x04")
        paths.append(bad)
    return paths
