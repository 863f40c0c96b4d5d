"""The brief as markdown for WeCom / DingTalk / Feishu group bots: their common subset, ≤ 4,096 bytes.

The subset: `##`/`###` headings, `**bold**`, `>` quotes and plain `- ` lines (no tables, no HTML).
When the whole brief is longer than the limit, the least urgent sections shrink to a count with a
pointer to the HTML brief, one at a time, until it fits; goals and alerts never shrink.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from . import fmt
from .model import Brief, Goal, KpiDay, Task

LIMIT = 4096
MARK = {"on_track": "🟢", "at_risk": "🟡", "off_track": "🔴", "": "⚪"}
# sections in the order they shrink, least urgent first
SHRINK_ORDER = ("review", "next_steps", "kpis", "overruns", "due_today", "blockers", "risks", "blocked", "overdue")


@dataclass
class _Part:
    """A list of lines that can shrink to one line: '{title}: N items (see the HTML brief)'."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    shrunk: bool = False

    def render(self, lang: str, html: str) -> list[str]:
        if not self.lines:
            return []
        if self.shrunk:
            return [f"**{self.title}**：{t('brief.shrunk', lang, count=len(self.lines), html=html)}" if lang == "zh-CN"
                    else f"**{self.title}**: {t('brief.shrunk', lang, count=len(self.lines), html=html)}"]
        return ([f"**{self.title}**"] if self.title else []) + self.lines


def render_markdown(brief: Brief, limit: int = LIMIT, html: str | None = None) -> str:
    """The brief in at most `limit` bytes of UTF-8; `html` names the HTML brief the shrunk parts point to."""
    lang = brief.lang
    html = html or (Path(brief.file).stem + ".html")
    head, parts = _compose(brief)
    order = [p for key in SHRINK_ORDER for p in parts if isinstance(p, _Part) and p.key == key]
    while True:
        text = _join(head, parts, lang, html)
        if len(text.encode("utf-8")) <= limit or not order:
            break
        order.pop(0).shrunk = True
    if len(text.encode("utf-8")) > limit:   # only goals and alerts are left: cut whole lines, say so
        pointer = "\n" + t("brief.more", lang, count="…", html=html)
        budget = limit - len(pointer.encode("utf-8"))
        kept: list[str] = []
        for line in text.split("\n"):
            if len("\n".join(kept + [line]).encode("utf-8")) > budget:
                break
            kept.append(line)
        text = "\n".join(kept) + pointer
    return text


def _join(head: list[str], parts: list, lang: str, html: str) -> str:
    lines = list(head)
    for p in parts:
        lines += p.render(lang, html) if isinstance(p, _Part) else p
    return "\n".join(lines).rstrip() + "\n"


def _compose(b: Brief) -> tuple[list[str], list]:
    lang, cur = b.lang, b.currency
    c = b.campaign
    title = t("brief.title_week" if b.period == "week" else "brief.title", lang)
    day = (t("brief.day_of", lang, day=c.day, days=c.days, phase=c.phase_label) if c.day is not None and c.days
           else t("brief.day_unknown", lang, phase=c.phase_label))
    head = [f"## {title} · {_plain(c.name or c.id or '')}",
            " · ".join(x for x in (f"{t('brief.lead', lang)} {_plain(c.lead)}" if c.lead else "", day,
                                   t("brief.as_of", lang, date=fmt.date(b.date, lang))) if x)]
    di = b.data_issues
    if di.errors or di.warnings:
        where = f"{di.first['sheet']}!{di.first['cell']}" if di.first and di.first.get("cell") else (di.first or {}).get("sheet") or ""
        head.append("> " + t("brief.data_issues", lang, errors=di.errors, warnings=di.warnings, where=_plain(where),
                             message=_plain((di.first or {}).get("message") or "")))
    parts: list = []
    # goals and pace: never shrink
    goals = [f"### {t('brief.goals', lang)}"]
    goals += [_goal(g, lang, cur) for g in b.goals] or [t("brief.no_goals", lang)]
    parts.append(goals)
    # today (or the week): alerts and escalations never shrink; the other KPI lines may
    today = b.today
    parts.append([f"### {t('brief.week' if b.week else 'brief.today', lang)}"])
    urgent = [t("brief.escalate", lang, label=d.kpi.label, days=d.streak) for d in today if d.escalate]
    urgent += ["- " + _breach(d, lang, cur) for d in today if d.status in ("alert", "warning")]
    parts.append(urgent)
    if b.week:
        span = t("brief.week_span", lang, start=fmt.date(b.week.start, lang), end=fmt.date(b.week.end, lang))
        lines = [f"- {t('brief.week_line', lang, label=w.kpi.label, this=fmt.value(w.this, w.kpi.type, cur), previous=fmt.value(w.previous, w.kpi.type, cur), change=fmt.signed_share(w.change_share))}"
                 for w in b.week.kpis if w.this is not None or w.previous is not None]
        parts.append(_Part("kpis", span, lines))
    else:
        lines = [f"- {_kpi_line(d, lang, cur)}" for d in today if d.value is not None]
        parts.append(_Part("kpis", "", lines) if lines else [t("brief.no_data_today", lang)])
    # execution
    ex = b.execution
    if ex.overdue or ex.blocked or ex.due_today or ex.blockers or ex.next_steps:
        parts.append([f"### {t('brief.execution', lang)}"])
        parts.append(_Part("overdue", t("brief.overdue", lang), [_task(x, lang) for x in ex.overdue]))
        blocked_only = [x for x in ex.blocked if x not in ex.overdue]
        parts.append(_Part("blocked", t("brief.blocked", lang), [_task(x, lang) for x in blocked_only]))
        parts.append(_Part("due_today", t("brief.due_today", lang), [_task(x, lang) for x in ex.due_today]))
        parts.append(_Part("blockers", t("brief.blockers_week" if b.week else "brief.blockers", lang),
                           [_log(e) for e in ex.blockers]))
        parts.append(_Part("next_steps", t("brief.next_steps", lang), [_log(e) for e in ex.next_steps]))
    # budget
    bu = b.budget
    if bu is not None and bu.planned:
        line = t("brief.budget_line", lang, spent=fmt.value(bu.spent, "money", cur), planned=fmt.value(bu.planned, "money", cur),
                 spent_share=fmt.share(bu.spent_share), time=fmt.share(bu.time_share))
        if bu.committed is not None:
            line += _sep(lang) + t("brief.committed_line", lang, committed=fmt.value(bu.committed, "money", cur),
                                   share=fmt.share(bu.committed_share))
        if bu.burn_ratio is not None:
            line += _sep(lang) + t("brief.burn", lang, ratio=fmt.share(bu.burn_ratio))
        parts.append([f"### {t('brief.budget', lang)}", line])
        parts.append(_Part("overruns", "", [
            "- " + t("brief.overrun", lang, item=_plain(o.item or o.category_label or ""), over=fmt.value(o.over, "money", cur),
                     actual=fmt.value(o.actual, "money", cur), planned=fmt.value(o.planned, "money", cur))
            for o in bu.overruns]))
    # risks
    if b.risks:
        parts.append([f"### {t('brief.risks', lang)}"])
        parts.append(_Part("risks", "", [
            "- " + t("brief.risk_line", lang, id=_plain(r.id or ""), description=_plain(r.description or ""),
                     score=fmt.value(r.score, "number"), owner=_plain(r.owner or "—"), hours=fmt.value(r.response_hours, "number"))
            for r in b.risks]))
    # mid-term check
    mt = b.midterm
    if mt is not None:
        parts.append([f"### {t('brief.midterm', lang)}（{t('brief.midterm_point', lang, date=fmt.date(mt.point, lang))}）"
                      if lang == "zh-CN" else f"### {t('brief.midterm', lang)} ({t('brief.midterm_point', lang, date=fmt.date(mt.point, lang))})"]
                     + [f"- {MARK[g.status]} " + t("brief.midterm_line", lang, label=g.kpi.label, to_date=fmt.value(g.to_date, g.kpi.type, cur),
                                                   pro_rata=fmt.value(g.pro_rata_target, g.kpi.type, cur), share=fmt.share(g.share),
                                                   status=g.status_label) for g in mt.goals])
        parts.append(_Part("review", "", [_review(row, mt.review_columns, lang) for row in mt.review]))
    return head, parts


def _goal(g: Goal, lang: str, cur: str) -> str:
    k = g.kpi
    if g.projection is not None:
        line = t("brief.goal_line", lang, label=f"**{k.label}**", to_date=fmt.value(g.to_date, k.type, cur),
                 target=fmt.value(g.target, k.type, cur), reached=fmt.share(g.reached_share), time=fmt.share(g.time_share))
        line += _sep(lang) + t("brief.projection", lang, rate=fmt.value(g.run_rate, "number" if k.type == "integer" else k.type, cur),
                               projection=fmt.value(g.projection, k.type, cur), pace=fmt.share(g.pace))
        if g.needed_per_day is not None:
            line += _sep(lang) + t("brief.needed", lang, needed=fmt.value(g.needed_per_day, "number" if k.type == "integer" else k.type, cur))
    else:
        line = t("brief.goal_line_rate", lang, label=f"**{k.label}**", to_date=fmt.value(g.to_date, k.type, cur),
                 target=fmt.value(g.target, k.type, cur))
    return f"- {MARK[g.status]} {line} **{g.status_label}**"


def _breach(d: KpiDay, lang: str, cur: str) -> str:
    mark = "🔴" if d.status == "alert" else "🟡"
    return mark + " " + t("brief.breach", lang, label=d.kpi.label, value=fmt.value(d.value, d.kpi.type, cur),
                          line=t(f"brief.line.{d.status}", lang), threshold=fmt.value(d.threshold, d.kpi.type, cur))


def _kpi_line(d: KpiDay, lang: str, cur: str) -> str:
    return t("brief.kpi_line", lang, label=d.kpi.label, value=fmt.value(d.value, d.kpi.type, cur),
             change=fmt.change(d.change, d.kpi.type, cur), avg7=fmt.value(d.avg7, d.kpi.type, cur))


def _task(x: Task, lang: str) -> str:
    bits = [b for b in (_plain(x.owner or ""), t("brief.days_late", lang, days=x.days_late) if x.days_late else
                        fmt.date(x.end, lang) if x.end else "", _plain(x.status_label or "")) if b]
    name = " ".join(_plain(v) for v in (x.id, x.name) if v)
    return f"- {name}（{'，'.join(bits)}）" if lang == "zh-CN" else f"- {name} ({', '.join(bits)})"


def _log(e) -> str:
    who = " · ".join(_plain(v) for v in (e.task, e.owner) if v)
    return f"- {_plain(e.text)}" + (f" — {who}" if who else "")


def _review(row: dict, columns: list[dict], lang: str) -> str:
    cells = []
    for c in columns:
        v = row.get(c["key"])
        if v in (None, ""):
            continue
        text = fmt.date(v, lang) if c["type"] == "date" else fmt.value(v, "number") if isinstance(v, (int, float)) else _plain(str(v))
        cells.append(f"{c['label']} {text}")
    return "- " + ("；" if lang == "zh-CN" else "; ").join(cells)


def _sep(lang: str) -> str:
    return "；" if lang == "zh-CN" else "; "


def _plain(text: str | None) -> str:
    """Workbook text on one line, without what the bots' markdown would act on."""
    if text is None:
        return ""
    out = " ".join(str(text).split())
    for ch in ("*", "_", "`", "#", "[", "]", "<", ">"):
        out = out.replace(ch, "\\" + ch if ch in "*_`[]" else {"#": "＃", "<": "‹", ">": "›"}[ch])
    return out


__all__ = ["render_markdown", "LIMIT"]
