"""The portfolio page's figures, charts and tables: numbers formatted for a page, bar charts and
sparklines as inline SVG, and the rollup's frames cut into the rows the page shows.

No chart library and no script: each chart is a self-contained `<svg>` string, every text in it
escaped here. Colours follow the workbook and the brief (accent #1F4E79).
"""
from __future__ import annotations

import datetime as dt
import functools
import math
from html import escape
from typing import Any, Sequence

import pandas as pd

ACCENT, LIGHT, GREEN, AMBER, RED, GRID, INK, MUTED = (
    "#1F4E79", "#9DB7D5", "#2E7D32", "#D98C00", "#C62828", "#E3E8EE", "#1E2A36", "#6A7682")
ON_TRACK, AT_RISK = 1.0, 0.9   # as the brief: attainment at or above 100 % on track, 90 % at risk
DASH = "—"


# -- figures -------------------------------------------------------------------------------

def missing(v: Any) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):   # a list or another non-scalar
        return False


def number(v: Any, digits: int = 0) -> str:
    """1234567.8 -> '1,234,568'; a missing value -> '—'."""
    if missing(v) or isinstance(v, bool):
        return DASH
    try:
        return f"{float(v):,.{digits}f}"
    except (TypeError, ValueError):
        return text(v)


def money(v: Any, lang: str = "zh-CN") -> str:
    """Amounts in yuan; large ones shortened (zh: 万, en: k / M)."""
    if missing(v) or isinstance(v, bool):
        return DASH
    try:
        x = float(v)
    except (TypeError, ValueError):
        return text(v)
    if lang == "zh-CN":
        return f"¥{x / 1e4:,.1f}万" if abs(x) >= 1e5 else f"¥{x:,.0f}"
    if abs(x) >= 1e6:
        return f"¥{x / 1e6:,.2f}M"
    return f"¥{x / 1e3:,.1f}k" if abs(x) >= 1e4 else f"¥{x:,.0f}"


def share(v: Any) -> str:
    """0.873 -> '87%'."""
    if missing(v) or isinstance(v, bool):
        return DASH
    try:
        return f"{float(v) * 100:.0f}%"
    except (TypeError, ValueError):
        return text(v)


def figure(v: Any, kind: str = "number", lang: str = "zh-CN") -> str:
    """A KPI value by its type: percent as a share, money in yuan, other numbers with sensible digits."""
    x = _f(v)
    if x is None:
        return DASH
    if kind == "percent":
        return f"{x * 100:.1f}%"
    if kind == "money":
        return money(x, lang)
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:.3g}"


def num(v: Any) -> float:
    """A figure to add up: missing or not a number counts as 0."""
    return _f(v) or 0.0


def day(v: Any) -> str:
    """A date as yyyy-mm-dd; a moment (a submission's) with its time; a date read as midnight without it."""
    if missing(v):
        return DASH
    if isinstance(v, dt.datetime):   # pandas' Timestamp too
        return v.date().isoformat() if v.time() == dt.time(0) else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def text(v: Any) -> str:
    """A value as text, '—' if missing (the page's template escapes it)."""
    return DASH if missing(v) else str(v)


def status_class(attainment: Any) -> str:
    """on_track, at_risk or off_track (CSS classes), 'none' without a figure."""
    a = _f(attainment)
    if a is None:
        return "none"
    return "on_track" if a >= ON_TRACK else "at_risk" if a >= AT_RISK else "off_track"


# -- charts --------------------------------------------------------------------------------

def _e(v: Any) -> str:
    return escape(str(v), quote=True)


def _width(s: str) -> float:
    """Rough width of `s` in em: CJK characters (and other non-ASCII ones) square, ASCII ones narrower."""
    return sum(1.0 if ord(ch) > 0x7F else 0.6 for ch in s)


def _clip(text: str, em: float) -> str:
    if _width(text) <= em:
        return text
    out = ""
    for ch in text:
        if _width(out + ch + "…") > em:
            break
        out += ch
    return out + "…"


def _nice(top: float) -> float:
    """A round axis maximum at or above `top`."""
    if top <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(top))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= top:
            return step * power
    return 10 * power


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{_e(label)}">'
            f"<title>{_e(label)}</title>{''.join(body)}</svg>")


def paired_bars(rows: Sequence[tuple[str, Any, Any]], names: tuple[str, str], title: str, lang: str,
                width: int = 580) -> str:
    """Horizontal bars, two per row (e.g. budget planned vs actual), values written at the bar ends;
    an actual above its plan is red."""
    rows = [(str(label), _f(a), _f(b)) for label, a, b in rows]
    label_w, row_h, top, font = 180, 34, 30, 12
    bottom = top + row_h * max(len(rows), 1)
    height = bottom + 18
    scale = _nice(max([v for _, a, b in rows for v in (a, b) if v is not None] or [0]))
    plot = width - label_w - 80
    body = [_legend([(names[0], LIGHT), (names[1], ACCENT)], label_w)]
    body += _grid(label_w, plot, top, bottom, scale, lambda v: money(v, lang))
    if not rows:
        body.append(f'<text x="{label_w}" y="{top + 20}" fill="{MUTED}" font-size="{font}">{DASH}</text>')
    for i, (label, planned, actual) in enumerate(rows):
        y = top + i * row_h + 4
        body.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="{font}" fill="{INK}">'
                    f'<title>{_e(label)}</title>{_e(_clip(label, (label_w - 12) / font))}</text>')
        for j, (value, colour) in enumerate(((planned, LIGHT), (actual, ACCENT))):
            if value is None:
                continue
            if j == 1 and planned is not None and value > planned:
                colour = RED
            w = max(plot * max(value, 0) / scale, 1)
            by = y + j * 13
            body.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="11" rx="2" fill="{colour}">'
                        f"<title>{_e(names[j])}: {_e(money(value, lang))}</title></rect>")
            body.append(f'<text x="{label_w + w + 4:.1f}" y="{by + 9.5}" font-size="10.5" fill="{MUTED}">'
                        f"{_e(money(value, lang))}</text>")
    return _svg(width, height, title, body)


def attainment_bars(rows: Sequence[tuple[str, Any]], title: str, target_label: str, width: int = 580) -> str:
    """One bar per row of a share (1 = 100 %), a line at 100 %; green on track, amber at risk, red off track."""
    rows = [(str(label), _f(v)) for label, v in rows]
    label_w, row_h, top, font = 180, 26, 30, 12
    bottom = top + row_h * max(len(rows), 1)
    height = bottom + 18
    scale = max(1.2, math.ceil(max([v for _, v in rows if v is not None] or [0]) * 5) / 5)
    plot = width - label_w - 50
    body = _grid(label_w, plot, top, bottom, scale, share, ticks=int(round(scale / 0.2)), every=2)
    x100 = label_w + plot / scale
    body.append(f'<line x1="{x100:.1f}" y1="{top - 6}" x2="{x100:.1f}" y2="{bottom}" stroke="{INK}" '
                f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    body.append(f'<text x="{x100:.1f}" y="{top - 10}" text-anchor="middle" font-size="10.5" fill="{INK}">'
                f"{_e(target_label)}</text>")
    colours = {"on_track": GREEN, "at_risk": AMBER, "off_track": RED}
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h + 4
        body.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end" font-size="{font}" fill="{INK}">'
                    f'<title>{_e(label)}</title>{_e(_clip(label, (label_w - 12) / font))}</text>')
        if value is None:
            body.append(f'<text x="{label_w + 4}" y="{y + 12}" font-size="10.5" fill="{MUTED}">{DASH}</text>')
            continue
        w = max(plot * min(max(value, 0), scale) / scale, 1)
        body.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="14" rx="2" '
                    f'fill="{colours[status_class(value)]}"><title>{_e(label)}: {_e(share(value))}</title></rect>')
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="10.5" fill="{MUTED}">{_e(share(value))}</text>')
    return _svg(width, height, title, body)


def sparkline(values: Sequence[Any], title: str, width: int = 200, height: int = 56,
              target: Any = None) -> str:
    """A small line of a series (KPI small multiples), with its last value marked and the target dashed."""
    points = [(i, _f(v)) for i, v in enumerate(values)]
    points = [(i, v) for i, v in points if v is not None]
    body: list[str] = []
    t = _f(target)
    if points:
        lo = min([v for _, v in points] + ([t] if t is not None else []))
        hi = max([v for _, v in points] + ([t] if t is not None else []))
        span = (hi - lo) or 1.0
        n = max(len(values) - 1, 1)

        def xy(i: int, v: float) -> tuple[float, float]:
            return 4 + (width - 8) * i / n, height - 6 - (height - 12) * (v - lo) / span
        if t is not None:
            ty = xy(0, t)[1]
            body.append(f'<line x1="4" y1="{ty:.1f}" x2="{width - 4}" y2="{ty:.1f}" stroke="{AMBER}" '
                        f'stroke-dasharray="3 3" stroke-width="1"/>')
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="1.6"/>')
        lx, ly = xy(*points[-1])
        body.append(f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.6" fill="{ACCENT}"/>')
    return _svg(width, height, title, body)


def _legend(items: list[tuple[str, str]], x: int) -> str:
    out, at = [], x
    for name, colour in items:
        out.append(f'<rect x="{at}" y="6" width="11" height="11" rx="2" fill="{colour}"/>'
                   f'<text x="{at + 15}" y="15.5" font-size="11.5" fill="{INK}">{_e(name)}</text>')
        at += int(30 + _width(name) * 11.5)
    return "".join(out)


def _grid(x: int, plot: float, top: int, bottom: int, scale: float, label: Any, ticks: int = 4,
          every: int = 1) -> list[str]:
    out = []
    for k in range(ticks + 1):
        gx = x + plot * k / ticks
        out.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>')
        if k % every == 0:
            out.append(f'<text x="{gx:.1f}" y="{bottom + 13}" text-anchor="middle" font-size="9.5" fill="{MUTED}">'
                       f"{_e(label(scale * k / ticks))}</text>")
    return out


def _f(v: Any) -> float | None:
    if missing(v) or isinstance(v, bool):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


# -- the portfolio's tables ------------------------------------------------------------------

MAX_ROWS = 50
NOWRAP = {"campaign_id", "task_id", "risk_id", "owner", "end", "status", "lead"}


def _names(words: Any, table: str, columns: list[str]) -> list[tuple[str, str]]:
    return [(c, words.header(table, c)) for c in columns]


def _cut(frame: pd.DataFrame, columns: list[str], words: Any, table: str, status_kind: str) -> dict[str, Any]:
    rows = frame[columns].to_dict("records")
    for r in rows:
        if "status" in r:
            r["status"] = words.label(status_kind, r.get("status"))
        if "unfinished_at_close" in r:   # the column's header says what it means
            r["unfinished_at_close"] = "✓" if r["unfinished_at_close"] is True else ""
    return {"columns": _names(words, table, columns), "rows": rows[:MAX_ROWS], "more": max(0, len(rows) - MAX_ROWS)}


def overdue(tasks: pd.DataFrame, words: Any) -> dict[str, Any]:
    """Overdue tasks (of a closed campaign: unfinished at close, days late counted to its end date), the
    latest first: {columns: [(key, header)], rows, more}."""
    if not len(tasks) or "slippage_days" not in tasks:
        return {"columns": [], "rows": [], "more": 0}
    late = tasks[tasks["slippage_days"].fillna(0) > 0].sort_values("slippage_days", ascending=False, kind="mergesort")
    columns = [c for c in ("campaign_id", "task_id", "task", "owner", "end", "status", "slippage_days",
                           "unfinished_at_close") if c in late]
    return _cut(late, columns, words, "tasks", "tasks.status")


def high_risks(risks: pd.DataFrame, words: Any) -> dict[str, Any]:
    """High risks not closed, as `overdue`."""
    if not len(risks) or "level" not in risks:
        return {"columns": [], "rows": [], "more": 0}
    keep = risks["level"] == "high"
    if "status" in risks:
        keep &= risks["status"] != "closed"
    columns = [c for c in ("campaign_id", "description", "owner", "score", "status") if c in risks]
    return _cut(risks[keep], columns, words, "risks", "risks.status")


def groups(frames: dict[str, pd.DataFrame], by: Sequence[str], words: Any) -> list[dict[str, Any]]:
    """The rollup's by_<key> tables, their keys labelled."""
    out = []
    for key in by:
        frame = frames.get(f"by_{key}")
        if frame is None:
            continue
        rows = frame.to_dict("records")
        if key in ("scenario", "channel"):
            for r in rows:
                r[key] = words.label(key, r.get(key))
        out.append({"key": key, "title": words.sheet(f"by_{key}"), "rows": rows, "more": 0,
                    "columns": _names(words, f"by_{key}", list(frame.columns))})
    return out


def kpi_multiples(series: pd.DataFrame, camps: list[dict[str, Any]], words: Any, spec_dir: list[str] | None = None,
                  lang: str = "zh-CN", per_campaign: int = 4, campaigns: int = 12) -> list[dict[str, Any]]:
    """Small multiples: each campaign's first KPIs by day (channels added up where the KPI adds up)."""
    if not len(series):
        return []
    out = []
    for c in camps[:campaigns]:
        cid = c.get("campaign_id")
        kinds = _kpi_kinds(c.get("template"), tuple(spec_dir or ()))
        cells = []
        for kpi, rows in list(series[series["campaign_id"] == cid].groupby("kpi", sort=False))[:per_campaign]:
            kind, adds = kinds.get(kpi, ("number", True))
            by_day = rows.groupby("date", sort=True)["value"]
            daily = by_day.sum(min_count=1) if adds else by_day.mean()
            title = str(words.label("kpi", kpi))
            cells.append({"title": title, "last": figure(daily.iloc[-1] if len(daily) else None, kind, lang),
                          "svg": sparkline(list(daily.values), title)})
        if cells:
            out.append({"campaign_id": cid, "name": c.get("name") or cid, "charts": cells})
    return out


@functools.lru_cache(maxsize=64)
def _kpi_kinds(template: Any, spec_dir: tuple[str, ...]) -> dict[str, tuple[str, bool]]:
    """KPI key -> (its type, whether its days add up), from the campaign's spec; {} if it cannot be loaded."""
    from ..spec.loader import load_spec

    if not isinstance(template, str):
        return {}
    try:
        spec = load_spec(template, spec_dir=list(spec_dir) or None).spec
    except Exception:   # an unknown or broken spec: plain numbers, added up
        return {}
    out = {}
    for k in spec.kpis:
        kind = getattr(k.type, "value", str(k.type))
        aggregate = getattr(k.aggregate, "value", k.aggregate)
        out[k.key] = (kind, aggregate == "sum" or (aggregate is None and kind in ("integer", "money")))
    return out


__all__ = ["number", "money", "share", "figure", "num", "day", "missing", "status_class", "paired_bars", "attainment_bars",
           "sparkline", "overdue", "high_risks", "groups", "kpi_multiples", "NOWRAP"]
