"""The brief as markdown for WeCom / DingTalk / Feishu group bots: their common subset, ≤ 4,096 bytes.

The subset: `##`/`###` headings, `**bold**`, `>` quotes and plain `- ` lines (no tables, no HTML).
When the whole brief is longer than the limit, the lists that may shrink become a count with a pointer
to the HTML brief; then, most urgent first, each gets back all its lines if they fit, else its first
PREVIEW lines and 'N more', and the room still left goes to more lines of the most urgent ones. Goals
and alerts never shrink; if they alone are too long, the text is cut (within a line, by characters)
and the pointer says how many lines were left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import t
from . import fmt
from .model import Adjustment, Brief, Goal, KpiDay, Task

LIMIT = 4096
# characters of one piece of workbook text: in the header (name, lead, data issue) and in any line
HEAD_TEXT, LINE_TEXT = 100, 300
# lines a shrunk part shows first (then 'N more') before less urgent parts get theirs
PREVIEW = 3
MARK = {"on_track": "🟢", "at_risk": "🟡", "off_track": "🔴", "achieved": "🟢", "missed": "🔴", "incomplete": "⚪", "": "⚪"}
# data gaps named in the header before 'N more'
GAPS_SHOWN = 3
# parts in the order they shrink, least urgent first (and are given back their lines in the reverse order)
SHRINK_ORDER = ("review", "adjustments", "next_steps", "kpis", "overruns", "due_today", "blockers", "risks", "blocked",
                "unfinished", "overdue")


@dataclass
class _Part:
    """A titled list of lines that can shrink: to its first lines and '… N more (see the HTML brief)',
    or to one line '{title}: N items (see the HTML brief)'. `heading` shows the title above the
    lines too (off where the section's heading already says it)."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    heading: bool = True
    shown: int | None = None    # lines shown: all (None), the first N and a pointer, or none (0: a count)

    def render(self, lang: str, html: str) -> list[str]:
        if not self.lines:
            return []
        n = len(self.lines) if self.shown is None else min(self.shown, len(self.lines))
        if n == 0:
            colon = "：" if lang == "zh-CN" else ": "
            return [f"**{self.title}**{colon}{t('brief.shrunk', lang, count=len(self.lines), html=html)}"]
        more = ["- " + t("brief.more", lang, count=len(self.lines) - n, html=html)] if n < len(self.lines) else []
        return ([f"**{self.title}**"] if self.heading else []) + self.lines[:n] + more


def render_markdown(brief: Brief, limit: int = LIMIT, html: str | None = None) -> str:
    """The brief in at most `limit` bytes of UTF-8; `html` names the HTML brief the shrunk parts point
    to (default: the name the CLI gives it, `file_name(brief, "html")`)."""
    lang = brief.lang
    if html is None:
        from . import file_name   # the package imports this module lazily: no cycle at import time

        html = file_name(brief, "html")
    head, parts = _compose(brief)
    text = _join(head, parts, lang, html)
    if _size(text) <= limit:
        return text
    shrinkable = [p for key in reversed(SHRINK_ORDER) for p in parts if isinstance(p, _Part) and p.key == key and p.lines]
    for p in shrinkable:
        p.shown = 0

    def most(p: _Part, upto: int, lo: int = 0) -> int:
        """The most lines of `p` (`lo` to `upto`, `lo` known to fit) that fit; 0 is a count."""
        hi = upto
        while lo < hi:
            p.shown = (lo + hi + 1) // 2
            lo, hi = (p.shown, hi) if _size(_join(head, parts, lang, html)) <= limit else (lo, p.shown - 1)
        return lo

    # most urgent first, each part gets back all its lines if they fit, else its first few and 'N more';
    # then what room is left goes to more lines of the most urgent parts
    for p in shrinkable:
        p.shown = None
        if _size(_join(head, parts, lang, html)) > limit:
            p.shown = most(p, min(PREVIEW, len(p.lines) - 1))
    for p in shrinkable:
        if p.shown is not None:
            p.shown = most(p, len(p.lines) - 1, p.shown)
    text = _join(head, parts, lang, html)
    return text if _size(text) <= limit else _cut(text, lang, html, limit)


def _cut(text: str, lang: str, html: str, limit: int) -> str:
    """Lines up to `limit` bytes with the pointer: the first line that does not fit is cut by characters
    (never inside a UTF-8 character), and the pointer counts it and every line after it."""
    lines = text.rstrip("\n").split("\n")
    widest = t("brief.more", lang, count=10 ** len(str(len(lines))) - 1, html=html)   # the pointer at its longest
    room = limit - _size(widest) - 2   # its newline before and the final newline
    kept: list[str] = []
    for i, line in enumerate(lines):
        need = _size(line) + (1 if kept else 0)
        if need <= room:
            kept.append(line)
            room -= need
            continue
        part = _clip_bytes(line, room - (1 if kept else 0))
        if part:
            kept.append(part)
        return "\n".join(kept + [t("brief.more", lang, count=len(lines) - i, html=html)]) + "\n"
    return "\n".join(kept) + "\n"


def _clip_bytes(line: str, room: int) -> str:
    """The longest start of `line` that fits `room` bytes with '…' after it (and '**' to close an open
    bold); '' when too little room is left to be worth it."""
    if room < 16:
        return ""
    budget, used, end = room - _size("…**"), 0, 0
    for end, ch in enumerate(line):
        used += _size(ch)
        if used > budget:
            break
    else:
        end = len(line)
    start = line[:end].rstrip("\\ ")   # no escape left dangling before the '…'
    return start + "…" + ("**" if start.count("**") % 2 else "")


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _join(head: list[str], parts: list, lang: str, html: str) -> str:
    lines = list(head)
    for p in parts:
        lines += p.render(lang, html) if isinstance(p, _Part) else p
    return "\n".join(lines).rstrip() + "\n"


def _compose(b: Brief) -> tuple[list[str], list]:
    lang, cur = b.lang, b.currency
    c = b.campaign
    title = t("brief.title_week" if b.period == "week" else "brief.title", lang)
    name = _plain(c.name or c.id or "", HEAD_TEXT)
    lead = f"{t('brief.lead', lang)} {_plain(c.lead, HEAD_TEXT)}" if c.lead else ""
    head = [f"## {title} · {name}",
            " · ".join(x for x in (lead, fmt.day_text(b), fmt.as_of_text(b)) if x)]
    di = b.data_issues
    if di.errors or di.warnings:
        first = di.first or {}
        in_gaps = any(g.get("sheet") == first.get("sheet") and g.get("cell") == first.get("cell") for g in di.gaps)
        if in_gaps or not first:
            head.append("> " + t("brief.data_issues_counts", lang, errors=di.errors, warnings=di.warnings))
        else:
            head.append("> " + t("brief.data_issues", lang, errors=di.errors, warnings=di.warnings,
                                 first=_where(first)))
    if di.gaps:
        colon = "：" if lang == "zh-CN" else ": "
        shown = [_where(g) for g in di.gaps[:GAPS_SHOWN]]
        if len(di.gaps) > GAPS_SHOWN:
            shown.append(t("brief.gaps_more", lang, count=len(di.gaps) - GAPS_SHOWN))
        head.append("> " + t("brief.gaps", lang) + colon + _sep(lang).join(shown))
    parts: list = []
    # goals and pace: never shrink
    goals = [f"### {t('brief.goals', lang)}"]
    goals += [_goal(g, lang, cur) for g in b.goals] or [t("brief.no_goals", lang)]
    parts.append(goals)
    # today (or the week): alerts and escalations never shrink; the other KPI lines may
    today = b.today
    lagging = bool(c.lag_days) and c.as_of is not None
    heading = t("brief.week", lang) if b.week else \
        t("brief.latest", lang, date=fmt.date(c.as_of, lang)) if lagging else t("brief.today", lang)
    parts.append([f"### {heading}"])
    urgent = [t("brief.escalate", lang, label=d.kpi.label, days=d.streak) for d in today if d.escalate]
    urgent += ["- " + _breach(d, lang, cur) for d in today if d.status in ("alert", "warning")]
    parts.append(urgent)
    if b.week:
        span = t("brief.week_span", lang, start=fmt.date(b.week.start, lang), end=fmt.date(b.week.end, lang))
        lines = [f"- {t('brief.week_line', lang, label=w.kpi.label, this=fmt.value(w.this, w.kpi.type, cur), previous=fmt.value(w.previous, w.kpi.type, cur), change=fmt.week_change(w, cur, lang))}"
                 for w in b.week.kpis if w.this is not None or w.previous is not None]
        parts.append(_Part("kpis", span, lines) if lines else [f"**{span}**", t("brief.no_data_week", lang)])
    else:
        lines = [f"- {_kpi_line(d, lang, cur)}" for d in today if d.value is not None]
        parts.append(_Part("kpis", t("brief.kpi_figures", lang), lines, heading=False) if lines
                     else [t("brief.no_data_today", lang)])
    # execution: each task once, where it is most urgent
    ex = b.execution
    unfinished, overdue, blocked, due_today = fmt.tasks_once(ex.unfinished, ex.overdue, ex.blocked, ex.due_today)
    if unfinished or overdue or blocked or due_today or ex.blockers or ex.next_steps:
        parts.append([f"### {t('brief.execution', lang)}"])
        parts.append(_Part("overdue", t("brief.overdue", lang), [_task(x, lang) for x in overdue]))
        parts.append(_Part("unfinished", t("brief.unfinished", lang), [_task(x, lang, True) for x in unfinished]))
        parts.append(_Part("blocked", t("brief.blocked", lang), [_task(x, lang) for x in blocked]))
        parts.append(_Part("due_today", t("brief.due_today", lang), [_task(x, lang) for x in due_today]))
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
        elif bu.burn_note:
            line += _sep(lang) + t(f"brief.burn_note.{bu.burn_note}", lang)
        parts.append([f"### {t('brief.budget', lang)}", line])
        parts.append(_Part("overruns", t("brief.overruns", lang), [
            "- " + t("brief.overrun", lang, item=_plain(o.item or o.category_label or ""), over=fmt.value(o.over, "money", cur),
                     actual=fmt.value(o.actual, "money", cur), planned=fmt.value(o.planned, "money", cur))
            for o in bu.overruns], heading=False))
    # risks
    if b.risks:
        parts.append([f"### {t('brief.risks', lang)}"])
        parts.append(_Part("risks", t("brief.risks", lang), [
            "- " + t("brief.risk_line", lang, id=_plain(r.id or ""), description=_plain(r.description or ""),
                     score=fmt.value(r.score, "number"), owner=_plain(r.owner or "—"), hours=fmt.value(r.response_hours, "number"))
            for r in b.risks], heading=False))
    # mid-term check
    mt = b.midterm
    if mt is not None:
        parts.append([f"### {t('brief.midterm', lang)}（{t('brief.midterm_point', lang, date=fmt.date(mt.point, lang))}）"
                      if lang == "zh-CN" else f"### {t('brief.midterm', lang)} ({t('brief.midterm_point', lang, date=fmt.date(mt.point, lang))})"])
        parts.append(_Part("adjustments", t("brief.adjustments", lang), [_adjustment(a, lang) for a in mt.adjustments]))
        parts.append(_Part("review", t("brief.review_rows", lang),
                           [_review(row, mt.review_columns, lang) for row in mt.review], heading=False))
    return head, parts


def _goal(g: Goal, lang: str, cur: str) -> str:
    k = g.kpi
    lower = k.direction == "lower"
    rate = "number" if k.type == "integer" else k.type
    if g.final and g.to_date is not None and k.aggregate == "sum":   # over: the result (what was entered, if days lack)
        key = "brief.goal_result_partial" if g.status == "incomplete" else \
            "brief.goal_result_cap" if lower else "brief.goal_result"
        line = t(key, lang, label=f"**{k.label}**", to_date=fmt.value(g.to_date, k.type, cur),
                 target=fmt.value(g.target, k.type, cur), reached=fmt.share(g.reached_share),
                 used=fmt.of_cap(g.to_date, g.target))
    elif g.final and g.to_date is not None:
        line = t("brief.goal_result_rate_cap" if lower else "brief.goal_result_rate", lang, label=f"**{k.label}**",
                 to_date=fmt.value(g.to_date, k.type, cur), target=fmt.value(g.target, k.type, cur))
    elif g.projection is not None and lower:   # the target is a cap: say how much of it is used, and will be
        line = t("brief.goal_line_cap", lang, label=f"**{k.label}**", to_date=fmt.value(g.to_date, k.type, cur),
                 target=fmt.value(g.target, k.type, cur), used=fmt.of_cap(g.to_date, g.target), time=fmt.share(g.time_share))
        line += _sep(lang) + t("brief.projection_cap", lang, rate=fmt.value(g.run_rate, rate, cur),
                               projection=fmt.value(g.projection, k.type, cur), over=fmt.of_cap(g.projection, g.target))
    elif g.projection is not None:
        line = t("brief.goal_line", lang, label=f"**{k.label}**", to_date=fmt.value(g.to_date, k.type, cur),
                 target=fmt.value(g.target, k.type, cur), reached=fmt.share(g.reached_share), time=fmt.share(g.time_share))
        line += _sep(lang) + t("brief.projection", lang, rate=fmt.value(g.run_rate, rate, cur),
                               projection=fmt.value(g.projection, k.type, cur), pace=fmt.share(g.pace))
        if g.needed_per_day is not None:
            line += _sep(lang) + t("brief.needed", lang, needed=fmt.value(g.needed_per_day, rate, cur))
    else:
        line = t("brief.goal_line_rate_cap" if lower else "brief.goal_line_rate", lang, label=f"**{k.label}**",
                 to_date=fmt.value(g.to_date, k.type, cur), target=fmt.value(g.target, k.type, cur))
    if g.days_missing and g.final:
        line += _sep(lang) + t("brief.days_missing_final", lang, count=g.days_missing)
    elif g.days_missing and g.days:
        line += _sep(lang) + t("brief.days_missing", lang, count=g.days_missing, days=g.days)
    return f"- {MARK[g.status]} {line} **{g.status_label}**"


def _adjustment(a: Adjustment, lang: str) -> str:
    colon = "：" if lang == "zh-CN" else ": "
    status = t("brief.days_late", lang, days=a.days_late) if a.status == "overdue" else a.status_label
    owner = _plain(a.owner or "")
    due = t("brief.adjustment_due", lang, date=fmt.date(a.due, lang)) if a.due else ""
    return "- " + t("brief.adjustment_line", lang, kpi=_plain(a.kpi) + colon if a.kpi else "", text=_plain(a.text),
                    owner=owner + ("，" if lang == "zh-CN" else ", ") if owner and due else owner, due=due,
                    status=status)


def _where(item: dict) -> str:
    where = "!".join(str(x) for x in (item.get("sheet"), item.get("cell")) if x)
    return " ".join(x for x in (_plain(where, HEAD_TEXT), _plain(item.get("message") or "", HEAD_TEXT)) if x)


def _breach(d: KpiDay, lang: str, cur: str) -> str:
    mark = "🔴" if d.status == "alert" else "🟡"
    return mark + " " + t("brief.breach", lang, label=d.kpi.label, value=fmt.value(d.value, d.kpi.type, cur),
                          line=t(f"brief.line.{d.status}", lang), threshold=fmt.value(d.threshold, d.kpi.type, cur))


def _kpi_line(d: KpiDay, lang: str, cur: str) -> str:
    avg7 = fmt.value(d.avg7, d.kpi.type, cur)
    if d.avg7 is not None and d.days7 < 7:
        avg7 = t("brief.days7", lang, avg7=avg7, days=d.days7)
    return t("brief.kpi_line", lang, label=d.kpi.label, value=fmt.value(d.value, d.kpi.type, cur),
             change=fmt.change(d.change, d.kpi.type, cur, lang), avg7=avg7)


def _task(x: Task, lang: str, closed: bool = False) -> str:
    late = "brief.days_late_close" if closed else "brief.days_late"
    bits = [b for b in (_plain(x.owner or ""), t(late, lang, days=x.days_late) if x.days_late else
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


def _plain(text: str | None, cap: int = LINE_TEXT) -> str:
    """Workbook text on one line, at most `cap` characters (then '…'), without what the bots' markdown
    would act on."""
    if text is None:
        return ""
    out = " ".join(str(text).split())
    if len(out) > cap:
        out = out[:cap - 1].rstrip() + "…"
    for ch in ("*", "_", "`", "#", "[", "]", "<", ">"):
        out = out.replace(ch, "\\" + ch if ch in "*_`[]" else {"#": "＃", "<": "‹", ">": "›"}[ch])
    return out


__all__ = ["render_markdown", "LIMIT"]
