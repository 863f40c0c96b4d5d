"""How the brief is written, in markdown and HTML: what stays within its limits whatever the data (a
burn chart of a ¥1 plan, a name of 30,000 characters), how long briefs shrink, and figures that never
read as a status they do not have."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from campaign_sheets import build_workbook
from campaign_sheets.brief import brief_for, file_name, fmt, render
from campaign_sheets.brief import svg
from campaign_sheets.brief.html import render_html
from campaign_sheets.brief.markdown import LIMIT, render_markdown
from campaign_sheets.brief.model import Brief, DataIssues, Execution, Task
from campaign_sheets.cli import main
from campaign_sheets.i18n import brief as brief_texts
from campaign_sheets.i18n import t
from tests.unit.test_brief import troubled   # the example with 40 overdue tasks, 20 high risks, 12 blockers

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "campaign-example.xlsx"
CHANNEL = ROOT / "samples" / "scenarios" / "channel_expansion-example.xlsx"
DATE = dt.date(2026, 6, 20)
PASTED = "客户原话：" + "页面打不开，优惠券领不到，" * 2500   # a 30,000-character cell quoted in a message


@pytest.fixture(scope="module")
def zh() -> Brief:
    return brief_for(SAMPLE, date=DATE, lang="zh-CN")


@pytest.fixture(scope="module")
def en() -> Brief:
    return brief_for(SAMPLE, date=DATE, lang="en")


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def section(html: str, title: str) -> str:
    """The HTML of the section with this <h2> title."""
    return next(s for s in html.split("<section>") if s.startswith(f"<h2>{title}"))


# ------------------------------------------------------------------ 1. the burn chart stays small

@pytest.mark.parametrize("spent", [0.4, 1.2, 2.5, 40.0, 292_700.0])
def test_the_burn_chart_stays_a_few_kilobytes_whatever_the_spend(spent):
    chart = svg.burn([("Time gone", 0.5, svg.PATH), ("Spent", spent, svg.RED)], title="burn", marker=0.5)
    assert size(chart) < 4000
    grid = re.findall(r'<line [^>]*stroke="#E3E8EE"', chart)
    assert 4 <= len(grid) <= 13                          # 25% steps up to 150%, 50% beyond, axis at most 3×
    xs = [float(x) for x in re.findall(r'(?:x|x1|x2|width)="(-?[\d.]+)"', chart)]
    assert max(xs) <= svg.W
    assert f">{fmt.share(spent)}</text>" in chart        # the true share, even when the bar is clipped


def test_a_one_yuan_plan_with_292700_spent_makes_a_normal_page(en):
    budget = dataclasses.replace(en.budget, planned=1.0, spent=292_700.0, committed=None, spent_share=292_700.0,
                                 committed_share=None, burn_ratio=292_700.0 / en.budget.time_share, overruns=[])
    page = render_html(dataclasses.replace(en, budget=budget))
    assert size(page) < size(render_html(en)) + 2000
    burn = page.split(t("brief.chart.burn", "en"))[-1]
    assert "29270000%" in burn and burn.count("<line") < 20


# ------------------------------------------------------------------ 2. markdown is never empty

def test_a_long_name_and_a_pasted_message_keep_the_goals(zh):
    long = dataclasses.replace(
        zh, campaign=dataclasses.replace(zh.campaign, name="老带新" * 10_000, lead="王磊" * 5_000),
        data_issues=DataIssues(errors=1, warnings=0, first={"sheet": "KPI", "cell": "B5", "message": PASTED}))
    md = render_markdown(long)
    assert size(md) <= LIMIT
    for g in zh.goals:
        assert f"**{g.kpi.label}**" in md
    head = md.splitlines()[:3]
    assert head[0] == f"## {t('brief.title', 'zh-CN')} · " + ("老带新" * 34)[:99] + "…"
    assert len(head[1]) < 200 and ("王磊" * 50)[:99] + "…" in head[1]
    assert head[2].startswith("> ") and "KPI!B5 客户原话" in head[2] and len(head[2]) < 250
    assert md == render_markdown(dataclasses.replace(long, campaign=dataclasses.replace(
        long.campaign, name=long.campaign.name + "x")))   # anything past the cap makes no difference


def test_goals_too_long_for_the_limit_are_cut_within_a_line_and_the_pointer_counts_what_is_left_out(zh):
    # 80 goal lines (they never shrink) and nothing that could: over 4,096 bytes however it is shrunk
    many = dataclasses.replace(zh, goals=zh.goals * 20, today=[], execution=Execution(), budget=None, risks=[],
                               midterm=None)
    full = render_markdown(many, limit=10**9).rstrip("\n").split("\n")
    for limit in (LIMIT, 3001, 3002, 3003, 2000):
        md = render_markdown(many, limit=limit, html="x.html")
        assert limit - 40 <= size(md) <= limit
        lines = md.rstrip("\n").split("\n")
        whole = sum(1 for a, b in zip(lines, full) if a == b)
        assert lines[:whole] == full[:whole]
        cut = lines[whole].removesuffix("**")
        assert cut.endswith("…") and full[whole].startswith(cut[:-1]) and lines[whole].count("**") % 2 == 0
        assert lines[-1] == t("brief.more", "zh-CN", count=len(full) - whole, html="x.html")
        assert len(lines) == whole + 2


@pytest.fixture(scope="module")
def trouble(tmp_path_factory) -> Brief:
    return brief_for(troubled(tmp_path_factory.mktemp("troubled")), date=DATE)


# ------------------------------------------------------------------ 3. shrinking

def test_shrunk_parts_have_titles_and_the_room_goes_back_to_the_most_urgent(trouble):
    md = render_markdown(trouble, html="t.html")
    assert LIMIT - 400 < size(md) <= LIMIT                     # the room is used, not left at half
    assert "****" not in md
    for line in md.splitlines():
        if "t.html" in line and not line.startswith("- "):
            assert re.match(r"\*\*[^*]+\*\*：\d+ 项", line), line     # '{title}：N 项（…）'
    # the KPI lines and the overrun came back whole; overdue tasks, risks and blockers show their first lines
    for d in trouble.today:
        assert f"- {d.kpi.label}：{fmt.value(d.value, d.kpi.type, trouble.currency)}（" in md
    assert t("brief.overrun", "zh-CN", item=trouble.budget.overruns[0].item, over="¥6,500", actual="¥46,500",
             planned="¥40,000") in md
    for part, shown, total in (("overdue", 3, 40), ("risks", 3, 20)):
        items = trouble.execution.overdue if part == "overdue" else trouble.risks
        for x in items[:shown]:
            assert f"- {x.id} " in md
        assert f"- {items[shown].id} " not in md
        assert "- " + t("brief.more", "zh-CN", count=total - shown, html="t.html") in md
    # goals, alerts and escalations never shrink
    for g in trouble.goals:
        assert f"**{g.kpi.label}**" in md
    assert all(t("brief.escalate", "zh-CN", label=d.kpi.label, days=d.streak) in md for d in trouble.today if d.escalate)


def test_every_part_that_shrinks_to_a_count_says_what_it_counts(trouble):
    titles = {t(k, "zh-CN") for k in ("brief.kpi_figures", "brief.overdue", "brief.blockers", "brief.next_steps",
                                      "brief.overruns", "brief.risks", "brief.review_rows", "brief.adjustments")}
    counted: set[str] = set()
    for limit in range(1800, 3000, 50):     # tighter and looser: each part is a count in some of them
        md = render_markdown(trouble, limit=limit, html="t.html")
        assert size(md) <= limit and "****" not in md
        counted |= set(re.findall(r"^\*\*([^*]+)\*\*：\d+ 项（详见 HTML 版 t\.html）$", md, re.M))
    assert counted == titles


# ------------------------------------------------------------------ 4. shares and status lines

@pytest.mark.parametrize("value,text", [(0.8999, "89.9%"), (0.8995, "89.9%"), (0.9, "90%"), (0.90049, "90%"),
                                        (0.9996, "99.9%"), (2 / 3, "66.7%"), (0.5, "50%"), (1.0, "100%"),
                                        (1.0004, "100.1%"), (1.0049, "100.5%"), (1.0949, "109%")])
def test_a_share_never_reads_as_a_status_line_it_has_not_reached(value, text):
    assert fmt.share(value) == text


def test_a_pace_just_under_90_percent_reads_under_it_beside_off_track(en):
    goal = dataclasses.replace(en.goals[3], pace=0.8999, status="off_track",
                               status_label=t("brief.status.off_track", "en"))
    md = render_markdown(dataclasses.replace(en, goals=[goal]))
    assert "(89.9% of target)" in md and "90%" not in md.split("\n### ")[1]


# ------------------------------------------------------------------ 5. lower-is-better goals

def with_cost_cap(tmp_path: Path, lang: str, cap: float = 300_000) -> Path:
    """The example with a target (a cap) for its lower-is-better Cost KPI."""
    path = build_workbook("campaign", tmp_path / f"cap-{lang}.xlsx", lang=lang, example=True)
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if "tbl_kpi_defs" in ws.tables)
    rows = list(ws[ws.tables["tbl_kpi_defs"].ref])
    head = [c.value for c in rows[0]]
    row = next(r for r in rows[1:] if r[0].value == ("投放成本" if lang == "zh-CN" else "Cost"))
    row[head.index("目标值" if lang == "zh-CN" else "Target")].value = cap
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_cap_is_worded_as_a_cap(tmp_path, lang):
    brief = brief_for(with_cost_cap(tmp_path, lang), date=DATE)
    cost = next(g for g in brief.goals if g.kpi.key == "cost")
    assert cost.kpi.direction == "lower" and cost.target == 300_000 and cost.projection > cost.target > cost.to_date
    money = lambda v: fmt.value(v, "money", brief.currency)   # noqa: E731
    used, over = fmt.share(cost.to_date / cost.target), fmt.share(cost.projection / cost.target)
    assert (used, over) == ("70.9%", "106%")
    md = render_markdown(brief)
    line = next(x for x in md.splitlines() if f"**{cost.kpi.label}**" in x)
    assert t("brief.goal_line_cap", lang, label=f"**{cost.kpi.label}**", to_date=money(cost.to_date),
             target=money(cost.target), used=used, time=fmt.share(cost.time_share)) in line
    assert t("brief.projection_cap", lang, rate=money(cost.run_rate), projection=money(cost.projection),
             over=over) in line
    assert fmt.share(cost.pace) not in line and "94.1%" not in md     # the inverted pace is not a share of the cap
    goals = section(render_html(brief), t("brief.goals", lang))
    row = next(r for r in goals.split("<tr>") if f"<td>{cost.kpi.label}</td>" in r)
    assert t("brief.html.cap", lang, target=money(cost.target)) in row
    assert t("brief.html.used", lang, share=used) in row and t("brief.html.of_cap", lang, share=over) in row
    assert "94.1%" not in row


# ------------------------------------------------------------------ 6. before and after the campaign

@pytest.mark.parametrize("date,key,days", [(dt.date(2026, 5, 20), "brief.starts_in", 12),
                                           (dt.date(2026, 5, 31), "brief.starts_tomorrow", 1),
                                           (dt.date(2026, 7, 1), "brief.ended_yesterday", 1),
                                           (dt.date(2026, 7, 20), "brief.ended_ago", 20)])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_date_outside_the_campaign_says_when_it_starts_or_ended(date, key, days, lang):
    brief = brief_for(SAMPLE, date=date, lang=lang)
    said = t(key, lang, days=days, phase=brief.campaign.phase_label)
    assert said in render_markdown(brief).splitlines()[1]
    assert said in render_html(brief)
    for text in (render_markdown(brief), render_html(brief)):
        assert not re.search(r"第 -?\d+/30 天|day -?\d+ of 30", text)


def test_a_date_inside_the_campaign_is_still_day_n_of_m(en):
    assert t("brief.day_of", "en", day=20, days=30, phase=en.campaign.phase_label) in render_markdown(en)


# ------------------------------------------------------------------ 7. money and changes

@pytest.mark.parametrize("v,kind,lang,text", [
    (5.43, "money", "en", "¥5.43"), (5.0, "money", "en", "¥5"), (563_600, "money", "en", "¥563,600"),
    (-12.5, "money", "en", "-¥12.50"), (150.4, "money", "en", "¥150")])
def test_money_under_100_keeps_its_cents(v, kind, lang, text):
    assert fmt.value(v, kind) == text


@pytest.mark.parametrize("v,kind,lang,text", [
    (-0.43, "money", "en", "−¥0.43"), (-4300, "money", "en", "−¥4,300"), (0.005, "percent", "en", "+0.5 pt"),
    (-0.531, "percent", "zh-CN", "−53.1 个百分点"), (-0.0004, "percent", "en", "±0"), (0.0004, "percent", "zh-CN", "±0"),
    (0.001, "money", "en", "±0"), (0, "integer", "en", "±0"), (-0.3, "integer", "en", "±0"), (55, "integer", "en", "+55")])
def test_a_change_is_signed_in_the_briefs_language_and_never_minus_zero(v, kind, lang, text):
    assert fmt.change(v, kind, lang=lang) == text


def test_the_chinese_brief_says_percentage_points_in_chinese(zh, en):
    for render_ in (render_markdown, render_html):
        assert " pt" not in render_(zh) and "−0.5 个百分点" in render_(zh)
        assert "−0.5 pt" in render_(en) and "个百分点" not in render_(en)


def test_a_cpm_and_its_change_keep_their_cents(en):
    day = dataclasses.replace(next(d for d in en.today if d.kpi.key == "cost"), value=5.43, previous=5.86,
                              change=5.43 - 5.86, avg7=5.61)
    brief = dataclasses.replace(en, today=[day])
    expected = t("brief.kpi_line", "en", label=day.kpi.label, value="¥5.43", change="−¥0.43", avg7="¥5.61")
    assert expected in render_markdown(brief)
    assert "¥5.43" in render_html(brief) and "−¥0.43" in render_html(brief)


# ------------------------------------------------------------------ 8. a week without data

@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_week_without_figures_says_so(lang):
    brief = brief_for(SAMPLE, date=dt.date(2026, 5, 20), period="week", lang=lang)
    assert all(w.this is None and w.previous is None for w in brief.week.kpis)
    md = render_markdown(brief)
    after = md.split(f"### {t('brief.week', lang)}\n", 1)[1].split("\n")
    span = t("brief.week_span", lang, start=fmt.date(brief.week.start, lang), end=fmt.date(brief.week.end, lang))
    assert after[:2] == [f"**{span}**", t("brief.no_data_week", lang)]
    week = section(render_html(brief), t("brief.week", lang))
    assert t("brief.no_data_week", lang) in week and "<table>" not in week


# ------------------------------------------------------------------ 9. each task once

def test_a_blocked_task_due_today_is_listed_once():
    brief = brief_for(CHANNEL, period="week", lang="en")
    ex = brief.execution
    assert [x.id for x in ex.blocked] == [x.id for x in ex.due_today] == ["T13"]   # the case is real
    md = render_markdown(brief)
    assert md.count("- T13 ") == 1 and f"**{t('brief.due_today', 'en')}**" not in md
    assert md.index(f"**{t('brief.blocked', 'en')}**") < md.index("- T13 ")
    html = section(render_html(brief), t("brief.execution", "en"))
    assert html.count("<td>T13 ") == 1 and f"<h3>{t('brief.due_today', 'en')}</h3>" not in html


def test_tasks_go_to_the_first_list_they_are_in(en):
    def task(i: int, row: int) -> Task:
        return Task(id=f"T{i}", name="x", owner="o", end=DATE, status="blocked", status_label="Blocked",
                    days_late=0, sheet="Timeline", row=row)

    overdue, blocked, due = fmt.tasks_once([task(1, 5)], [task(1, 5), task(2, 6)], [task(2, 6), task(1, 5), task(3, 7)])
    assert [[x.id for x in xs] for xs in (overdue, blocked, due)] == [["T1"], ["T2"], ["T3"]]


# ------------------------------------------------------------------ 10. the pointer names the CLI's file

def test_the_library_points_at_the_html_file_the_cli_writes(tmp_path, trouble):
    name = file_name(trouble, "html")
    assert name == "troubled-brief-2026-06-20.html"
    md = render(trouble, "md")
    assert t("brief.shrunk", "zh-CN", count=3, html=name) in md and ".html" not in md.replace(name, "")
    result = CliRunner().invoke(main, ["brief", trouble.file, "--date", "2026-06-20"])
    assert result.exit_code == 0 and result.output == md


# ------------------------------------------------------------------ 11. the catalogue holds only used texts

def test_every_brief_text_in_the_catalogue_is_used():
    """A key is used where the source names it ("brief.x" or "brief.x:cls"), or where it is built from a
    prefix (f"brief.col.{name}") and the source names its last part ("to_date" or "to_date:num")."""
    catalogue = Path(brief_texts.__file__).resolve()
    files = [p for p in (ROOT / "campaign_sheets").rglob("*") if p.suffix in (".py", ".html", ".js") and p != catalogue]
    source = "\n".join(p.read_text(encoding="utf-8") for p in files)
    built = set(re.findall(r"""f["'](brief\.[a-z_.]+)\.\{""", source))
    unused = []
    for key in brief_texts.TEXTS:
        if key.endswith("_one") and key[:-4] in brief_texts.TEXTS:
            key = key[:-4]   # the singular of a text, chosen by i18n.t when its count is 1
        if re.search(rf"""["']{re.escape(key)}[:"']""", source):
            continue
        prefix, _, last = key.rpartition(".")
        if prefix in built and re.search(rf"""["']{re.escape(last)}[:"']""", source):
            continue
        unused.append(key)
    assert unused == []
