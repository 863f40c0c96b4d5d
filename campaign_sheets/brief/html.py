"""The brief as one self-contained HTML page that prints on A4 portrait (docs/brief.md).

No scripts, no external resources: CSS inline, charts as inline SVG (svg.py), system fonts only.
Figures are written by fmt, texts come from the catalogue, workbook text is escaped.
"""
from __future__ import annotations

import datetime as dt
import os
from functools import partial
from html import escape
from typing import Any, Callable, Sequence

from ..i18n import t
from . import fmt, svg
from .model import Brief, Goal, KpiDay, Task

CSS = """
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #F3F5F8; color: #1E2A36; font-size: 12px; line-height: 1.45;
  font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
html[lang^="zh"] body { font-family: "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "Segoe UI", Arial, sans-serif; }
.page { max-width: 186mm; margin: 16px auto; background: #fff; padding: 18px 20px 12px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
header.head { border-bottom: 3px solid #1F4E79; padding-bottom: 10px; margin-bottom: 4px; }
.kicker { color: #1F4E79; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; }
h1 { font-size: 21px; margin: 2px 0 6px; color: #12283F; line-height: 1.25; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; color: #3A4652; }
.meta .k, .muted { color: #7A8794; } .meta .k { margin-right: 4px; }
.issues { margin: 8px 0 0; padding: 4px 8px; border-radius: 3px; font-size: 11px; }
.issues.clean { background: #EAF4EC; color: #22632A; } .issues.dirty { background: #FFF3DC; color: #7A4B00; }
section { margin-top: 14px; }
h2 { font-size: 14px; color: #1F4E79; margin: 0 0 6px; padding-bottom: 3px; border-bottom: 1px solid #C9D5E2; }
h2 .sub { font-weight: normal; color: #7A8794; font-size: 11px; margin-left: 8px; }
h3 { font-size: 12px; margin: 10px 0 4px; color: #2B3A48; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 11px; }
table + table { margin-top: 10px; }
thead { display: table-header-group; }
th { background: #1F4E79; color: #fff; font-weight: 600; text-align: left; padding: 4px 6px; }
td { padding: 4px 6px; border-bottom: 1px solid #E3E8EE; vertical-align: top; }
tr, figure, .escalate, .lines li { break-inside: avoid; page-break-inside: avoid; }
tbody tr:nth-child(even) td { background: #F7F9FB; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
tr.alert td { background: #FDE7E7 !important; } tr.alert td:first-child { box-shadow: inset 3px 0 #C62828; font-weight: 600; }
tr.warning td { background: #FFF4DE !important; } tr.warning td:first-child { box-shadow: inset 3px 0 #D98C00; }
.pill { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 10.5px; font-weight: 600; white-space: nowrap;
  background: #ECEFF2; color: #55616C; }
.pill.on_track, .pill.ok, .pill.achieved { background: #E3F1E4; color: #22632A; }
.pill.at_risk, .pill.warning { background: #FFEBC2; color: #8A5300; }
.pill.off_track, .pill.alert, .pill.missed { background: #FAD4D4; color: #A11D1D; }
.bar { position: relative; height: 5px; background: #E3E8EE; border-radius: 3px; margin-top: 3px; min-width: 60px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #1F4E79; border-radius: 3px; }
.bar .tick { position: absolute; top: -3px; bottom: -3px; width: 2px; background: #D98C00; }
.note { color: #6A7682; font-size: 10.5px; margin: 5px 0 0; }
.escalate { background: #C62828; color: #fff; font-weight: 700; padding: 6px 10px; border-radius: 3px; margin: 0 0 8px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
figure { margin: 0; border: 1px solid #DDE4EB; border-radius: 4px; padding: 6px 8px 4px; }
figcaption { font-size: 11px; font-weight: 600; color: #2B3A48; margin-bottom: 3px; }
figure svg { display: block; width: 100%; height: auto; font-family: inherit; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin-bottom: 6px; }
.tile { border: 1px solid #DDE4EB; border-left: 3px solid #1F4E79; padding: 5px 8px; border-radius: 3px; }
.tile .k { color: #7A8794; font-size: 10.5px; } .tile .s { color: #55616C; font-size: 10.5px; margin-left: 4px; }
.tile .v { font-size: 16px; font-weight: 700; color: #12283F; font-variant-numeric: tabular-nums; }
.lines { margin: 4px 0 0; padding-left: 18px; } .lines li { margin: 2px 0; }
footer { margin-top: 16px; padding-top: 6px; border-top: 1px solid #C9D5E2; color: #7A8794; font-size: 10px; }
@media print { body { background: #fff; font-size: 11px; } .page { max-width: none; margin: 0; padding: 0; box-shadow: none; } }
"""

_DOT = {"alert": svg.RED, "warning": svg.AMBER}


def render_html(brief: Brief) -> str:
    """The brief as one HTML page: header, goals, today/this week, charts, execution, budget, risks,
    mid-term check and footer; each section only when it has something to show."""
    lang = brief.lang
    title = t("brief.title_week" if brief.period == "week" else "brief.title", lang)
    name = brief.campaign.name or ""
    parts = [_header(brief, title), _goals(brief), _today(brief), _week(brief), _charts(brief),
             _execution(brief), _budget(brief), _risks(brief), _midterm(brief),
             f'<footer>{_e(t("brief.footer", lang, file=os.path.basename(brief.file)))}</footer>']
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}{' · ' + _e(name) if name else ''}</title>\n<style>{CSS}</style>\n</head>\n"
            f'<body>\n<main class="page">\n' + "\n".join(p for p in parts if p) + "\n</main>\n</body>\n</html>\n")


# -- sections ------------------------------------------------------------------------------

def _header(brief: Brief, title: str) -> str:
    c, lang, issues = brief.campaign, brief.lang, brief.data_issues
    day = fmt.day_text(brief)
    meta = []
    if c.lead:
        meta.append(f'<span><span class="k">{_e(t("brief.lead", lang))}</span>{_e(c.lead)}</span>')
    meta += [f"<span>{_e(x)}</span>" for x in (day, fmt.as_of_text(brief))]
    meta += [f'<span class="muted">{_e(x)}</span>' for x in (c.code, c.scenario_label) if x]
    if issues.errors or issues.warnings:
        first = issues.first or {}
        where = "!".join(str(x) for x in (first.get("sheet"), first.get("cell")) if x)
        quoted = " ".join(x for x in (_clip(where), _clip(first.get("message") or "")) if x)
        in_gaps = any(g.get("sheet") == first.get("sheet") and g.get("cell") == first.get("cell") for g in issues.gaps)
        line = t("brief.data_issues_counts", lang, errors=issues.errors, warnings=issues.warnings) if in_gaps or not first \
            else t("brief.data_issues", lang, errors=issues.errors, warnings=issues.warnings, first=quoted)
        flag = f'<p class="issues dirty">{_e(line)}</p>'
    else:
        flag = f'<p class="issues clean">{_e(t("brief.data_clean", lang))}</p>'
    if issues.gaps:
        items = "".join(f"<li>{_e(' '.join(x for x in (_clip('!'.join(str(y) for y in (g.get('sheet'), g.get('cell')) if y)), _clip(g.get('message') or '')) if x))}</li>"
                        for g in issues.gaps)
        flag += f'<div class="issues dirty"><b>{_e(t("brief.gaps", lang))}</b><ul class="lines">{items}</ul></div>'
    return (f'<header class="head"><div class="kicker">{_e(title)}</div><h1>{_e(c.name or "—")}</h1>'
            f'<p class="meta">{"".join(meta)}</p>{flag}</header>')


def _goals(brief: Brief) -> str:
    if not brief.goals:
        return ""
    lang = brief.lang
    rows = []
    for g in brief.goals:
        v = _valuer(g.kpi.type, brief.currency)
        target, projection = v(g.target), v(g.projection)
        if g.kpi.direction == "lower":   # the target is a cap: the projection's share of it, not its pace
            target = _e(t("brief.html.cap", lang, target=fmt.value(g.target, g.kpi.type, brief.currency)))
            if g.projection is not None:
                over = t("brief.html.of_cap", lang, share=fmt.of_cap(g.projection, g.target))
                projection += f'<div class="muted">{_e(over)}</div>'
        label = _e(g.kpi.label)
        if g.days_missing and (g.days or g.final):
            note = t("brief.days_missing_final", lang, count=g.days_missing) if g.final else \
                t("brief.days_missing", lang, count=g.days_missing, days=g.days)
            label += f'<div class="muted">{_e(note)}</div>'
        rows.append(("", [label, v(g.to_date), target, _reached(g, lang), fmt.share(g.time_share),
                          projection, v(g.needed_per_day), _pill(g.status, g.status_label)]))
    head = _cols(lang, "kpi", "to_date:num", "target:num", "reached:num", "time:num", "projection:num", "needed:num",
                 "status")
    return _section(t("brief.goals", lang), _table(head, rows) + f'<p class="note">{_e(t("brief.rule", lang))}</p>')


def _reached(g: Goal, lang: str) -> str:
    """The share reached with a small bar, and the time gone as a tick on it: ahead when the bar passes it
    (for a cap, a lower-is-better target, the share used: ahead of the tick is spending too fast)."""
    if g.reached_share is None:
        return "—"
    text = fmt.share(g.reached_share)
    if g.kpi.direction == "lower":
        text = t("brief.html.used", lang, share=fmt.of_cap(g.to_date, g.target))
    bar = f'<span class="fill" style="width:{min(max(g.reached_share, 0), 1) * 100:.1f}%"></span>'
    if g.time_share is not None and g.kpi.aggregate == "sum":   # time gone means nothing for a rate
        bar += f'<span class="tick" style="left:calc({min(g.time_share, 1) * 100:.1f}% - 1px)"></span>'
    return f'<div class="num">{_e(text)}</div><div class="bar">{bar}</div>'


def _today(brief: Brief) -> str:
    lang = brief.lang
    if not brief.today:
        return ""
    body = "".join(f'<p class="escalate">{_e(t("brief.escalate", lang, label=d.kpi.label, days=d.streak))}</p>'
                   for d in brief.today if d.escalate)
    if all(d.value is None for d in brief.today):
        body += f'<p class="note">{_e(t("brief.no_data_today", lang))}</p>'
    else:
        rows = []
        for d in brief.today:
            v = _valuer(d.kpi.type, brief.currency)
            status = _pill(d.status, t(f"brief.kpi.{d.status}", lang)) if d.status else "—"
            avg7 = v(d.avg7)
            if d.avg7 is not None and d.days7 < 7:
                avg7 += f'<div class="muted">{_e(t("brief.days7", lang, avg7="", days=d.days7).strip())}</div>'
            rows.append((d.status if d.status in ("alert", "warning") else "",
                         [_e(d.kpi.label), v(d.value), v(d.previous),
                          _e(fmt.change(d.change, d.kpi.type, brief.currency, lang)), avg7, status]))
        body += _table(_cols(lang, "kpi", "value:num", "previous:num", "change:num", "avg7:num", "status"), rows)
    c = brief.campaign
    if c.lag_days and c.as_of is not None:
        return _section(t("brief.latest", lang, date=fmt.date(c.as_of, lang)), body)
    return _section(t("brief.today", lang), body, fmt.date(c.as_of or brief.date, lang))


def _week(brief: Brief) -> str:
    w, lang = brief.week, brief.lang
    if w is None:
        return ""
    sub = t("brief.week_span", lang, start=fmt.date(w.start, lang), end=fmt.date(w.end, lang))
    rows = []
    for k in w.kpis:
        if k.this is None and k.previous is None:
            continue
        v = _valuer(k.kpi.type, brief.currency)
        rows.append(("", [_e(k.kpi.label), v(k.this), v(k.previous), _e(fmt.week_change(k, brief.currency, lang))]))
    if not rows:   # neither week has a figure: say so rather than a table of dashes
        return _section(t("brief.week", lang), f'<p class="note">{_e(t("brief.no_data_week", lang))}</p>', sub)
    return _section(t("brief.week", lang), _table(_cols(lang, "kpi", "this_week:num", "last_week:num", "change:num"),
                                                  rows), sub)


def _figures(brief: Brief) -> list[tuple[str, str]]:
    """The charts as (caption, svg): the daily trend of each KPI with a target or alert/watch lines,
    the running total of each goal that adds up, and the budget burn."""
    lang, s, c, cur = brief.lang, brief.series, brief.campaign, brief.currency
    out: list[tuple[str, str]] = []
    for d in brief.today if s.dates else []:
        values = s.values.get(d.kpi.key, [])
        if (d.target is None and d.alert is None and d.warning is None) or all(v is None for v in values):
            continue
        if d.target is not None and d.kpi.aggregate != "sum":
            refs = [svg.Ref(d.target, t("brief.chart.target", lang), svg.GREEN)]
        elif d.target is not None and c.days:   # a sum KPI's target is the campaign's: its day's share is the pace
            refs = [svg.Ref(d.target / c.days, t("brief.chart.pace", lang), svg.GREEN)]
        else:
            refs = []
        refs += [svg.Ref(line, t(f"brief.chart.{key}", lang), colour)
                 for line, key, colour in ((d.alert, "alert", svg.RED), (d.warning, "warning", svg.AMBER))
                 if line is not None]
        caption = t("brief.chart.trend", lang, label=d.kpi.label)
        dots = [_DOT.get(_breach(v, d)) for v in values]
        out.append((caption, svg.trend(s.dates, values, refs, kind=d.kpi.type, currency=cur, lang=lang, title=caption,
                                       actual=t("brief.chart.actual", lang), dots=dots)))
    dated = c.start is not None and c.end is not None and c.end >= c.start   # no target path without both dates
    labels = {"actual": t("brief.chart.actual", lang), "path": t("brief.chart.path", lang),
              "projection": t("brief.html.projection", lang)}
    for g in brief.goals if s.dates and dated else []:
        running = s.cumulative.get(g.kpi.key)
        if running:
            caption = t("brief.chart.cumulative", lang, label=g.kpi.label)
            out.append((caption, svg.cumulative(s.dates, running, start=c.start, end=c.end, target=g.target,
                                                projection=g.projection, kind=g.kpi.type, currency=cur, lang=lang,
                                                title=caption, labels=labels)))
    b = brief.budget
    if b is not None and b.planned > 0:
        bars = [(t("brief.time_gone", lang), b.time_share, svg.PATH),
                (t("brief.spent", lang), b.spent_share, svg.RED if (b.burn_ratio or 0) > 1 else svg.ACCENT),
                (t("brief.committed", lang), b.committed_share, "#8FB0D0")]
        caption = t("brief.chart.burn", lang)
        out.append((caption, svg.burn([x for x in bars if x[1] is not None], title=caption, marker=b.time_share)))
    return out


def _charts(brief: Brief) -> str:
    figures = "".join(f"<figure><figcaption>{_e(cap)}</figcaption>{chart}</figure>" for cap, chart in _figures(brief))
    return _section(t("brief.html.charts", brief.lang), f'<div class="grid">{figures}</div>') if figures else ""


def _breach(v: float | None, d: KpiDay) -> str:
    """alert / warning / '' for one day's value against the KPI's lines, direction-aware as the brief's today."""
    if v is None:
        return ""
    worse = (lambda a, b: a < b) if d.kpi.direction == "higher" else (lambda a, b: a > b)
    if d.alert is not None and worse(v, d.alert):
        return "alert"
    return "warning" if d.warning is not None and worse(v, d.warning) else ""


def _execution(brief: Brief) -> str:
    x, lang = brief.execution, brief.lang
    body = ""
    # each task once, with its status
    overdue, unfinished, blocked, due_today = fmt.tasks_once(x.overdue, x.unfinished, x.blocked, x.due_today)
    for key, tasks, late in (("brief.overdue", overdue, True), ("brief.unfinished", unfinished, True),
                             ("brief.blocked", blocked, True), ("brief.due_today", due_today, False)):
        if tasks:
            body += f"<h3>{_e(t(key, lang))}</h3>" + _tasks(tasks, lang, late)
    blockers = "brief.blockers_week" if brief.period == "week" else "brief.blockers"
    for key, entries in ((blockers, x.blockers), ("brief.next_steps", x.next_steps)):
        items = []
        for e in entries:
            who = [fmt.date(e.date, lang)] if brief.period == "week" and e.date else []
            who += [s for s in (e.task, e.owner) if s]
            tag = f'<span class="muted">{_e(" · ".join(who))}</span> ' if who else ""
            items.append(f"<li>{tag}{_e(e.text)}</li>")
        if items:
            body += f'<h3>{_e(t(key, lang))}</h3><ul class="lines">{"".join(items)}</ul>'
    return _section(t("brief.execution", lang), body) if body else ""


def _tasks(tasks: Sequence[Task], lang: str, late: bool) -> str:
    head = _cols(lang, "task", "owner:nowrap", "end:nowrap", *(["late:num"] if late else []), "status:nowrap")
    rows = []
    for k in tasks:
        cells = [" ".join(_e(s) for s in (k.id, k.name) if s) or "—", _e(k.owner or "—"), fmt.date(k.end, lang)]
        cells += [str(k.days_late) if k.days_late else "—"] if late else []
        rows.append(("", cells + [_e(k.status_label or "—")]))
    return _table(head, rows)


def _budget(brief: Brief) -> str:
    b, lang, money = brief.budget, brief.lang, _valuer("money", brief.currency)
    if b is None or not b.planned:
        return ""
    tiles = [("brief.spent", b.spent, b.spent_share)]
    tiles += [("brief.committed", b.committed, b.committed_share)] if b.committed is not None else []
    body = '<div class="tiles">' + "".join(
        f'<div class="tile"><div class="k">{_e(t(k, lang))}</div><span class="v">{money(v)}</span>'
        f'{f"<span class=s>{fmt.share(share)}</span>" if share is not None else ""}</div>'
        for k, v, share in tiles + [("brief.planned", b.planned, None)]) + "</div>"
    plain = partial(fmt.value, kind="money", currency=brief.currency)   # escaped with the whole line below
    lines = [t("brief.budget_line", lang, spent=plain(b.spent), planned=plain(b.planned),
               spent_share=fmt.share(b.spent_share), time=fmt.share(b.time_share))]
    if b.committed is not None:
        lines.append(t("brief.committed_line", lang, committed=plain(b.committed), share=fmt.share(b.committed_share)))
    if b.burn_ratio is not None:
        lines.append(t("brief.burn", lang, ratio=fmt.share(b.burn_ratio)))
    elif b.burn_note:
        lines.append(t(f"brief.burn_note.{b.burn_note}", lang))
    body += '<ul class="lines">' + "".join(f"<li>{_e(s)}</li>" for s in lines) + "</ul>"
    if b.overruns:
        rows = [("", [_e(o.item or "—") + (f' <span class="muted">{_e(o.category_label)}</span>' if o.category_label
                                           else ""), money(o.planned), money(o.actual), money(o.over)])
                for o in b.overruns]
        body += _table(_cols(lang, "item", "brief.planned:num", "brief.spent:num", "over:num"), rows)
    return _section(t("brief.budget", lang), body)


def _risks(brief: Brief) -> str:
    lang = brief.lang
    rows = []
    for r in brief.risks:
        hours = t("brief.html.hours", lang, hours=fmt.value(r.response_hours, "number")) \
            if r.response_hours is not None else "—"
        risk = (f"<b>{_e(r.id)}</b> " if r.id else "") + _e(r.description or "")
        rows.append(("", [risk, _e(r.owner or "—"), fmt.value(r.score, "number"), _e(hours),
                          _e(r.status_label or "—")]))
    head = _cols(lang, "risk", "owner:nowrap", "score:num", "response:num", "status:nowrap")
    return _section(t("brief.risks", lang), _table(head, rows)) if rows else ""


def _midterm(brief: Brief) -> str:
    mt, lang = brief.midterm, brief.lang
    if mt is None:
        return ""
    body = f'<p class="note">{_e(t("brief.midterm_point", lang, date=fmt.date(mt.point, lang)))}</p>'
    pill = {"done": "on_track", "overdue": "off_track", "open": "at_risk", "unknown": "none"}
    rows = [("", [_e(a.kpi or "—"), _e(a.text or ""), _e(a.owner or "—"), fmt.date(a.due, lang) if a.due else "—",
                  _pill(pill[a.status], t("brief.days_late", lang, days=a.days_late) if a.status == "overdue"
                        else a.status_label)]) for a in mt.adjustments]
    if rows:
        body += f"<h3>{_e(t('brief.adjustments', lang))}</h3>"
        body += _table(_cols(lang, "kpi", "adjustment", "owner:nowrap", "due:nowrap", "status:nowrap"), rows)
    if mt.review and mt.review_columns:
        numeric = ("number", "integer", "money", "percent")
        head = [(c["label"], "num" if c["type"] in numeric else "nowrap" if c["type"] in ("date", "person") else "")
                for c in mt.review_columns]
        rows = [("", [_cell(row.get(c["key"]), lang) for c in mt.review_columns]) for row in mt.review]
        body += _table(head, rows)
    return _section(t("brief.midterm", lang), body)


def _cell(v: Any, lang: str) -> str:
    """A review sheet cell: dates and numbers formatted, anything else as escaped text."""
    if v is None or v == "":
        return ""
    if isinstance(v, dt.date):
        return fmt.date(v, lang)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return fmt.value(v, "number")
    return _e(v)


# -- helpers -----------------------------------------------------------------------------------

def _e(v: Any) -> str:
    return escape(str(v)) if v is not None else ""


def _clip(text: str, cap: int = 300) -> str:
    """Workbook text quoted in a sentence (a data issue's message may quote a whole pasted cell): at most
    `cap` characters, then '…'."""
    return text if len(text) <= cap else text[:cap - 1].rstrip() + "…"


def _valuer(kind: str, currency: str) -> Callable[[float | None], str]:
    """fmt.value for one kind, escaped (the currency symbol comes from the spec)."""
    return lambda v: _e(fmt.value(v, kind, currency))


def _pill(status: str, label: str | None) -> str:
    return f'<span class="pill {_e(status) or "none"}">{_e(label or "—")}</span>'


def _cols(lang: str, *keys: str) -> list[tuple[str, str]]:
    """Column headers: 'x' is brief.col.x, a dotted key is itself; a ':cls' suffix is the column's class."""
    out = []
    for key in keys:
        name, _, cls = key.partition(":")
        out.append((t(name if "." in name else f"brief.col.{name}", lang), cls))
    return out


def _table(head: list[tuple[str, str]], rows: list[tuple[str, list[str]]]) -> str:
    """A table of cell HTML (already escaped); a row's class marks alert and warning rows."""
    def cell(tag: str, cls: str, content: str) -> str:
        return f'<{tag} class="{cls}">{content}</{tag}>' if cls else f"<{tag}>{content}</{tag}>"

    ths = "".join(cell("th", cls, _e(label)) for label, cls in head)
    trs = "".join(cell("tr", row_cls, "".join(cell("td", cls, c) for (_, cls), c in zip(head, cells)))
                  for row_cls, cells in rows)
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table>"


def _section(title: str, body: str, sub: str = "") -> str:
    extra = f'<span class="sub">{_e(sub)}</span>' if sub else ""
    return f"<section><h2>{_e(title)}{extra}</h2>{body}</section>"


__all__ = ["render_html"]
