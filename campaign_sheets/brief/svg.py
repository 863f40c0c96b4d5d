"""The brief's charts as inline SVG strings: small pure functions, no scripts, no external resources.

Every text that reaches the SVG is escaped here; callers pass plain strings.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from html import escape
from typing import Sequence

from . import fmt

# The viewBox is about as wide as a chart's cell in the 2-column A4 grid, so 10-unit text prints at ~10px.
W, H = 330, 176
FONT = 10
ACCENT, GRID, AXIS, MUTED = "#1F4E79", "#E3E8EE", "#9AA7B4", "#5B6770"
RED, AMBER, GREEN, PATH = "#C62828", "#D98C00", "#2E7D32", "#7F8C99"


@dataclass(frozen=True)
class Ref:
    """A horizontal reference line (target, alert line, watch line) with its legend label."""

    value: float
    label: str
    colour: str


def text_width(s: str, size: float = FONT) -> float:
    """Rough rendered width: wide (CJK) characters take a full em, others about 0.58 em."""
    return sum(size if ord(c) > 0x2E80 else size * 0.58 for c in s)


def nice_ticks(lo: float, hi: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values covering lo..hi (about `count` of them); `whole` keeps steps at 1 or more."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.999)
    if whole:
        step = max(step, 1.0)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def _svg(title: str, body: list[str], height: int = H) -> str:
    t = escape(title)
    # inline in HTML5, so no xmlns: the page holds no URL at all
    return (f'<svg viewBox="0 0 {W} {height}" role="img" aria-label="{t}">'
            f"<title>{t}</title>{''.join(body)}</svg>")


def _text(x: float, y: float, s: str, anchor: str = "start", size: float = FONT, fill: str = MUTED,
          weight: str = "", halo: bool = False) -> str:
    extra = ' font-weight="600"' if weight else ""
    if halo:   # a white outline keeps the text legible where a line crosses it
        extra += ' stroke="#fff" stroke-width="3" paint-order="stroke"'
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{extra}>'
            f"{escape(s)}</text>")


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, dash: str = "") -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width}"{d}/>')


def _polyline(points: list[tuple[float, float]], colour: str, width: float = 2, dash: str = "") -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'stroke-linejoin="round" stroke-linecap="round"{d}/>')


def _legend(items: list[tuple[str, str, str]], y: float = 12) -> tuple[list[str], int]:
    """Rows of (label, colour, dash) swatches from the left edge: the elements and the number of rows."""
    out, x, row = [], 6.0, 0
    for label, colour, dash in items:
        size = 9.5
        width = 18 + 4 + text_width(label, size) + 12
        if x + width > W and x > 6:
            x, row = 6.0, row + 1
        yy = y + row * 13
        out.append(_line(x, yy - 3, x + 18, yy - 3, colour, 2, dash))
        out.append(_text(x + 22, yy, label, size=size, fill="#333"))
        x += width
    return out, row + 1


class _Frame:
    """The plot area and its scales: x in any unit (day numbers), y in the KPI's unit."""

    def __init__(self, x0: float, x1: float, ticks: list[float], kind: str, currency: str, top: float,
                 gutter: float = 0) -> None:
        self.ticks, self.kind, self.currency = ticks, kind, currency
        self.labels = [fmt.value(v, kind, currency) for v in ticks]
        self.left = 8 + max(text_width(s) for s in self.labels)
        self.right, self.top, self.bottom = W - 10 - gutter, top, H - 22
        self.x0, self.x1 = x0, x1 if x1 > x0 else x0 + 1
        self.y0, self.y1 = ticks[0], ticks[-1]

    def x(self, v: float) -> float:
        return self.left + (v - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, v: float) -> float:
        return self.bottom - (v - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)

    def axes(self, xticks: list[tuple[float, str, bool]]) -> list[str]:
        """Grid lines with y labels, the x axis with date labels (x, label, must show)."""
        out = []
        for v, s in zip(self.ticks, self.labels):
            out.append(_line(self.left, self.y(v), self.right, self.y(v), GRID))
            out.append(_text(self.left - 4, self.y(v) + 3.5, s, "end"))
        out.append(_line(self.left, self.bottom, self.right, self.bottom, AXIS))
        for v, s, anchor in self._fit(xticks):
            out.append(_line(self.x(v), self.bottom, self.x(v), self.bottom + 3, AXIS))
            out.append(_text(self.x(v), self.bottom + 13, s, anchor))
        return out

    def _fit(self, xticks: list[tuple[float, str, bool]]) -> list[tuple[float, str, str]]:
        """The x labels that fit without touching: an optional one that would touch its left neighbour is
        left out; a must-show one (the brief's date, the end date) pushes its neighbours out instead."""
        placed: list[tuple[float, str, str, float, float]] = []
        for i, (v, s, must) in enumerate(xticks):
            # the outermost labels hug the plot's edges so they never spill out of the viewBox
            anchor = "start" if i == 0 and len(xticks) > 1 else "end" if i == len(xticks) - 1 and i else "middle"
            w, x = text_width(s), self.x(v)
            lo = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
            if placed and lo < placed[-1][4] + 4:
                if not must:
                    continue
                while placed and lo < placed[-1][4] + 4:
                    placed.pop()
            placed.append((v, s, anchor, lo, lo + w))
        return [(v, s, a) for v, s, a, _, _ in placed]


def _date_ticks(positions: list[tuple[float, dt.date]], lang: str, must: Sequence[float] = (),
                most: int = 5) -> list[tuple[float, str, bool]]:
    """Every n-th date (about `most` labels), plus the positions in `must`."""
    step = max(1, math.ceil((len(positions) - 1) / (most - 1)))
    chosen = sorted(set(positions[::step]) | {p for p in positions if p[0] in must})
    return [(x, fmt.date(d, lang), x in must) for x, d in chosen]


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Runs of points without gaps: a missing day (no value, or a day number skipped) breaks the line
    instead of bridging it."""
    runs: list[list[tuple[float, float]]] = [[]]
    prev: float | None = None
    for x, y in points:
        if prev is not None and x - prev > 1 and runs[-1]:
            runs.append([])
        prev = x
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def trend(dates: Sequence[dt.date], values: Sequence[float | None], refs: Sequence[Ref], *, kind: str,
          currency: str, lang: str, title: str, actual: str, dots: Sequence[str | None] = ()) -> str:
    """Daily values as a line, with dashed horizontal reference lines and optional per-day dot colours."""
    known = [v for v in values if v is not None]
    span = known + [r.value for r in refs]
    legend, rows = _legend([(actual, ACCENT, "")] + [(r.label, r.colour, "5 3") for r in refs])
    # x is the day (days since the first), so a day without figures leaves a visible gap
    xs = [(d - dates[0]).days for d in dates]
    frame = _Frame(0, xs[-1], nice_ticks(min(span), max(span), whole=kind in ("integer", "money")),
                   kind, currency, 10 + 13 * rows)
    body = frame.axes(_date_ticks(list(zip(xs, dates)), lang, must=[xs[-1]]))
    for r in refs:
        body.append(_line(frame.left, frame.y(r.value), frame.right, frame.y(r.value), r.colour, 1.4, "5 3"))
    for run in _segments(list(zip(xs, values))):
        pts = [(frame.x(x), frame.y(y)) for x, y in run]
        body.append(_polyline(pts, ACCENT) if len(pts) > 1 else "")
    for i, (x, v) in enumerate(zip(xs, values)):
        if v is not None:
            colour = dots[i] if i < len(dots) and dots[i] else ACCENT
            r = 2.6 if colour != ACCENT else 1.8
            body.append(f'<circle cx="{frame.x(x):.1f}" cy="{frame.y(v):.1f}" r="{r}" fill="{colour}"/>')
    return _svg(title, body + legend)


def cumulative(dates: Sequence[dt.date], running: Sequence[float | None], *, start: dt.date, end: dt.date,
               target: float, projection: float | None, kind: str, currency: str, lang: str, title: str,
               labels: dict[str, str]) -> str:
    """Running total against the straight path from 0 at the start to the target at the end, and the
    projection at the current run rate as a dotted line from the last day to the end.

    x is the day number at the end of each day (the start date is day 1, its running total sits at x=1),
    so the path runs from (0, 0) to (days, target). `labels` has keys actual, path, projection."""
    days = (end - start).days + 1
    xs = [(d - start).days + 1 for d in dates]
    known = [v for v in running if v is not None]
    span = known + [0.0, target] + ([projection] if projection is not None else [])
    show_projection = projection is not None and xs[-1] < days and running[-1] is not None
    items = [(labels["actual"], ACCENT, ""), (labels["path"], PATH, "5 3")]
    if show_projection:
        items.append((labels["projection"], ACCENT, "2 3"))
    legend, rows = _legend(items)
    ends = [(target, fmt.value(target, kind, currency), PATH)]
    if show_projection:
        ends.append((projection, fmt.value(projection, kind, currency), ACCENT))
    frame = _Frame(min(0, xs[0]), max(days, xs[-1]),
                   nice_ticks(min(span), max(span), whole=kind in ("integer", "money")),
                   kind, currency, 10 + 13 * rows, gutter=4 + max(text_width(s, 9.5) for _, s, _ in ends))
    # date labels over the whole campaign, not only the days with data: the axis runs to the end date
    first, last = min(1, xs[0]), max(days, xs[-1])
    ticks = [(x, start + dt.timedelta(days=x - 1)) for x in range(first, last + 1)]
    body = frame.axes(_date_ticks(ticks, lang, must=[xs[-1], days]))
    body.append(_polyline([(frame.x(0), frame.y(0)), (frame.x(days), frame.y(target))], PATH, 1.4, "5 3"))
    points = ([(0.0, 0.0)] if xs[0] == 1 else []) + list(zip(xs, running))
    for run in _segments(points):
        body.append(_polyline([(frame.x(x), frame.y(y)) for x, y in run], ACCENT))
    last_x, last_y = xs[-1], running[-1]
    if show_projection:
        body.append(_polyline([(frame.x(last_x), frame.y(last_y)), (frame.x(days), frame.y(projection))],
                              ACCENT, 1.6, "2 3"))
    if last_y is not None:
        body.append(f'<circle cx="{frame.x(last_x):.1f}" cy="{frame.y(last_y):.1f}" r="2.6" fill="{ACCENT}"/>')
    # the end figures sit in the right gutter, at their lines' ends, pushed apart when they would touch
    ys = _apart([frame.y(v) for v, _, _ in ends], 11)
    for (_, label, colour), y in zip(ends, ys):
        body.append(_text(frame.right + 4, y + 3.5, label, "start", 9.5, colour, "bold" if colour == ACCENT else ""))
    return _svg(title, body + legend)


def _apart(ys: list[float], gap: float) -> list[float]:
    """Two label positions at least `gap` apart, moved symmetrically around their middle."""
    if len(ys) != 2 or abs(ys[0] - ys[1]) >= gap:
        return ys
    mid, sign = (ys[0] + ys[1]) / 2, 1 if ys[0] >= ys[1] else -1
    return [mid + sign * gap / 2, mid - sign * gap / 2]


# the burn chart's axis stops here (3× the plan): a share past it is drawn to the edge, torn, with its true figure
BURN_CAP = 3.0


def burn(bars: Sequence[tuple[str, float, str]], *, title: str, marker: float | None = None) -> str:
    """Horizontal bars of shares of the plan (label, share, colour), with a dashed line at 100% and,
    when given, a dotted guide at `marker` (time gone) to read the other bars against.

    The axis runs to the largest share but at most BURN_CAP (a plan of ¥1 with ¥292,700 spent would
    otherwise need an axis 292,700 plans long); a bar past it is clipped at the edge, marked with a tear
    and its true share written inside it. Grid lines every 25% up to 150%, every 50% beyond: at most a
    dozen, whatever the data."""
    height = 26 + 30 * len(bars) + 16
    left = 12 + max(text_width(label) for label, _, _ in bars)
    right = W - 44
    top = min(max(1.0, *(share for _, share, _ in bars)), BURN_CAP)
    scale = (right - left) / top
    step = 0.25 if top <= 1.5 else 0.5

    def x(v: float) -> float:
        return left + min(max(v, 0.0), top) * scale

    body = []
    for i in range(int(top / step + 1e-9) + 1):
        v = i * step
        body.append(_line(x(v), 14, x(v), height - 16, GRID))
        if abs(v - round(v)) < 1e-9:   # label 0%, 100%...: shares in between would read as 50.0%
            body.append(_text(x(v), height - 4, fmt.share(v), "middle", 9))
    for i, (label, share, colour) in enumerate(bars):
        y = 20 + 30 * i
        body.append(_text(left - 6, y + 13, label, "end", FONT, "#333"))
        body.append(f'<rect x="{left:.1f}" y="{y}" width="{x(share) - left:.1f}" height="18" rx="2" fill="{colour}"/>')
        if share > top:   # clipped: a white tear near the end, the true figure inside the bar
            tear = x(top) - 10
            body.append(_polyline([(tear, y - 1), (tear - 4, y + 6), (tear + 2, y + 12), (tear - 2, y + 19)], "#fff", 2.5))
            body.append(_text(tear - 8, y + 13, fmt.share(share), "end", FONT, "#fff", "bold"))
        else:
            body.append(_text(x(share) + 4, y + 13, fmt.share(share), "start", FONT, "#222", "bold", halo=True))
    body.append(_line(x(1.0), 14, x(1.0), height - 16, MUTED, 1, "4 3"))
    if marker is not None:
        body.append(_line(x(marker), 14, x(marker), height - 16, "#333", 1.2, "2 2"))
    return _svg(title, body, height)


__all__ = ["Ref", "trend", "cumulative", "burn", "BURN_CAP", "nice_ticks", "text_width", "W", "H",
           "ACCENT", "RED", "AMBER", "GREEN", "PATH", "MUTED"]
