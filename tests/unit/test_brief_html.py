"""The HTML brief: one self-contained page (no scripts, no external requests) whose figures, texts and
charts follow the Brief it is rendered from, with workbook text escaped."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from campaign_sheets.brief import brief_for, fmt
from campaign_sheets.brief.html import render_html
from campaign_sheets.brief.model import Brief, DataIssues, Execution, Series
from campaign_sheets.brief.svg import nice_ticks
from campaign_sheets.i18n import t

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "campaign-example.xlsx"
HOSTILE = "<script>alert(1)</script>"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source", "track", "embed", "param"}
# inline SVG shapes are written self-closing (<line .../>), which html.parser reports as start+end
SVG_EMPTY = {"line", "polyline", "circle", "rect", "path"}


class Page(HTMLParser):
    """What a test needs of the page: its elements with attributes and text, nesting checked as it parses."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.problems: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {[e['tag'] for e in self.stack]}")

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": [], "parent": self.stack[-1] if self.stack else None}
        self.elements.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": [], "parent": self.stack[-1] if self.stack else None})

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.problems.append(f"</{tag}> does not close {self.stack[-1]['tag'] if self.stack else 'anything'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for el in self.stack:
            el["text"].append(data)

    def find(self, tag: str, cls: str | None = None, within: dict | None = None) -> list[dict]:
        """Elements by tag (and class), optionally only those inside `within`."""
        return [e for e in self.elements if e["tag"] == tag
                and (cls is None or cls in (e["attrs"].get("class") or "").split())
                and (within is None or _inside(e["parent"], within))]

    @staticmethod
    def text(el: dict) -> str:
        return "".join(el["text"])

    @property
    def body(self) -> str:
        return self.text(self.find("body")[0])


@pytest.fixture(scope="module")
def zh() -> Brief:
    return brief_for(SAMPLE, lang="zh-CN")


@pytest.fixture(scope="module")
def en() -> Brief:
    return brief_for(SAMPLE, lang="en")


@pytest.fixture(scope="module")
def alert_day() -> Brief:
    return brief_for(SAMPLE, lang="en", date=dt.date(2026, 6, 8))


def expected_charts(b: Brief) -> int:
    """Trends of KPIs with a target or alert/watch lines, running totals of goals, one budget burn."""
    count = 0
    if b.series.dates:
        count += sum(1 for d in b.today if (d.target is not None or d.alert is not None or d.warning is not None)
                     and any(v is not None for v in b.series.values.get(d.kpi.key, [])))
        dated = b.campaign.start is not None and b.campaign.end is not None
        count += sum(1 for g in b.goals if dated and b.series.cumulative.get(g.kpi.key))
    return count + (1 if b.budget is not None and b.budget.planned > 0 else 0)


def headings(page: Page) -> list[str]:
    """The section titles, without the small date or span beside some of them."""
    out = []
    for h2 in page.find("h2"):
        sub = "".join(page.text(s) for s in page.find("span", "sub", within=h2))
        out.append(page.text(h2).removesuffix(sub).strip())
    return out


# ------------------------------------------------------------------------------------------ the page

@pytest.mark.parametrize("which", ["zh", "en", "alert_day"])
def test_the_page_parses_and_asks_for_nothing_outside_itself(which, request):
    b = request.getfixturevalue(which)
    text = render_html(b)
    page = Page(text)
    assert page.problems == []
    assert text.startswith("<!DOCTYPE html>")
    assert page.find("html")[0]["attrs"]["lang"] == b.lang
    assert page.find("meta")[0]["attrs"] == {"charset": "utf-8"}
    assert not page.find("script") and not page.find("link") and not page.find("img") and not page.find("iframe")
    assert all(not (k in ("src", "href", "xlink:href") or k.startswith("on")) for e in page.elements for k in e["attrs"])
    css = "".join(page.text(s) for s in page.find("style"))
    assert "@import" not in css and "url(" not in css
    assert "@page { size: A4 portrait; margin: 12mm; }" in css
    assert not re.search(r"https?:|//[a-z]", text, re.I)   # not even the SVG namespace


def test_the_page_shows_the_campaign_and_every_goal_with_its_figures(zh):
    page = Page(render_html(zh))
    assert zh.campaign.name in page.text(page.find("h1")[0])
    goals = page.find("section")[0]
    assert page.text(page.find("h2", within=goals)[0]) == t("brief.goals", "zh-CN")
    rows = [[page.text(td).strip() for td in page.find("td", within=tr)] for tr in page.find("tr", within=goals)
            if tr["parent"]["tag"] == "tbody"]
    assert len(rows) == len(zh.goals)
    for g, cells in zip(zh.goals, rows):
        assert cells[0] == g.kpi.label
        assert cells[1] == fmt.value(g.to_date, g.kpi.type, zh.currency)
        assert cells[2] == fmt.value(g.target, g.kpi.type, zh.currency)
        assert cells[3] == fmt.share(g.reached_share)
        assert cells[5] == fmt.value(g.projection, g.kpi.type, zh.currency)   # "—" for a rate KPI
        assert cells[7] == g.status_label
    assert t("brief.rule", "zh-CN") in page.body
    assert t("brief.day_of", "zh-CN", day=zh.campaign.day, days=zh.campaign.days, phase=zh.campaign.phase_label) in page.body
    assert t("brief.as_of", "zh-CN", date=fmt.date(zh.date, "zh-CN")) in page.body
    assert t("brief.footer", "zh-CN", file="campaign-example.xlsx") in page.text(page.find("footer")[0])


@pytest.mark.parametrize("which", ["zh", "en", "alert_day"])
def test_one_chart_per_kpi_line_goal_and_budget_each_labelled(which, request):
    b = request.getfixturevalue(which)
    page = Page(render_html(b))
    charts = page.find("svg")
    assert len(charts) == expected_charts(b) > 0
    for svg in charts:
        assert svg["attrs"]["role"] == "img" and svg["attrs"]["aria-label"]
        assert [page.text(e) for e in page.find("title", within=svg)] == [svg["attrs"]["aria-label"]]
        sizes = [float(e["attrs"]["font-size"]) for e in page.find("text", within=svg)]
        assert sizes and min(sizes) >= 9
    captions = [page.text(c) for c in page.find("figcaption")]
    cumulative = [g for g in b.goals if g.kpi.key in b.series.cumulative]
    for g in cumulative:
        assert t("brief.chart.cumulative", b.lang, label=g.kpi.label) in captions
    assert t("brief.chart.burn", b.lang) in captions


def _inside(el: dict, ancestor: dict) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el["parent"]
    return False


def test_a_sum_kpi_trend_draws_its_daily_pace_and_a_rate_kpi_its_target(en):
    page = Page(render_html(en))
    by_caption = {page.text(page.find("figcaption", within=f)[0]): f for f in page.find("figure")}
    target, pace = t("brief.chart.target", "en"), t("brief.chart.pace", "en")
    for d in en.today:
        caption = t("brief.chart.trend", "en", label=d.kpi.label)
        if caption not in by_caption:
            assert d.target is None and d.alert is None and d.warning is None, d.kpi.key
            continue
        legend = [page.text(e) for e in page.find("text", within=by_caption[caption])]
        assert (target in legend) == (d.target is not None and d.kpi.aggregate != "sum"), d.kpi.key
        assert (pace in legend) == (d.target is not None and d.kpi.aggregate == "sum"), d.kpi.key


def test_workbook_text_is_escaped_everywhere(en):
    task = dataclasses.replace(en.execution.overdue[0], name=HOSTILE, owner=HOSTILE)
    kpi = dataclasses.replace(en.goals[0].kpi, label=HOSTILE)
    hostile = dataclasses.replace(
        en, campaign=dataclasses.replace(en.campaign, name=HOSTILE, lead=HOSTILE),
        execution=dataclasses.replace(en.execution, overdue=[task]),
        goals=[dataclasses.replace(en.goals[0], kpi=kpi)] + en.goals[1:],
        file="/x/" + HOSTILE + ".xlsx")
    text = render_html(hostile)
    page = Page(text)
    assert page.problems == []
    assert not page.find("script")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert HOSTILE in page.text(page.find("h1")[0])
    assert HOSTILE in page.body            # the task, the KPI label (table and chart), the footer
    assert text.count("&lt;script&gt;") >= 6


def test_each_language_has_its_own_section_titles(zh, en):
    for b in (zh, en):
        titles = headings(Page(render_html(b)))
        expected = [t(k, b.lang) for k in ("brief.goals", "brief.today", "brief.html.charts", "brief.execution",
                                           "brief.budget", "brief.risks", "brief.midterm")]
        assert [h for h in titles if h in expected] == expected   # all of them, in this order
        other = "en" if b.lang == "zh-CN" else "zh-CN"
        assert not set(titles) & {t(k, other) for k in ("brief.goals", "brief.budget", "brief.execution")}
        kicker = Page(render_html(b)).find("div", "kicker")[0]
        assert Page.text(kicker) == t("brief.title", b.lang)


def test_alert_rows_are_marked_and_an_alert_two_days_running_escalates(alert_day):
    b = alert_day
    page = Page(render_html(b))
    escalating = [d for d in b.today if d.escalate]
    assert [d.kpi.key for d in escalating] == ["conversion"]
    lines = [page.text(p) for p in page.find("p", "escalate")]
    assert lines == [t("brief.escalate", "en", label=escalating[0].kpi.label, days=escalating[0].streak)]
    assert escalating[0].streak == 2
    for status in ("alert", "warning"):
        marked = [page.text(page.find("td", within=tr)[0]) for tr in page.find("tr", status)]
        assert marked == [d.kpi.label for d in b.today if d.status == status], status
        assert marked   # the 8 June brief has both
    alert_row = page.find("tr", "alert")[0]
    assert [page.text(p) for p in page.find("span", "pill", within=alert_row)] == [t("brief.kpi.alert", "en")]


def test_the_week_brief_adds_this_week_beside_today():
    b = brief_for(SAMPLE, lang="en", period="week")
    page = Page(render_html(b))
    titles = headings(page)
    assert titles.index(t("brief.week", "en")) == titles.index(t("brief.today", "en")) + 1
    span = t("brief.week_span", "en", start=fmt.date(b.week.start, "en"), end=fmt.date(b.week.end, "en"))
    assert span in [page.text(s) for s in page.find("span", "sub")]
    assert Page.text(page.find("div", "kicker")[0]) == t("brief.title_week", "en")
    for k in b.week.kpis:
        assert fmt.signed_share(k.change_share) in page.body
        assert fmt.value(k.this, k.kpi.type, b.currency) in page.body


def test_budget_risks_and_midterm_figures_come_from_fmt(zh):
    body = Page(render_html(zh)).body
    bu = zh.budget
    assert t("brief.burn", "zh-CN", ratio=fmt.share(bu.burn_ratio)) in body
    for o in bu.overruns:
        assert o.item in body and fmt.value(o.over, "money", zh.currency) in body
    for r in zh.risks:
        assert r.description in body and t("brief.html.hours", "zh-CN", hours=fmt.value(r.response_hours, "number")) in body
    mt = zh.midterm
    assert t("brief.midterm_point", "zh-CN", date=fmt.date(mt.point, "zh-CN")) in body
    for c in mt.review_columns:
        assert c["label"] in body
    for row in mt.review:
        assert fmt.date(row["checkpoint"], "zh-CN") in body
        assert fmt.value(row["gap"], "number") in body
    for a in mt.adjustments:
        said = t("brief.days_late", "zh-CN", days=a.days_late) if a.status == "overdue" else a.status_label
        assert a.text in body and fmt.date(a.due, "zh-CN") in body and said in body


def test_a_brief_with_little_in_it_keeps_the_header_and_drops_empty_sections(en):
    bare = dataclasses.replace(
        en, goals=[], budget=None, risks=[], midterm=None, execution=Execution(), series=Series([], {}, {}),
        today=[dataclasses.replace(d, value=None, escalate=False) for d in en.today],
        data_issues=DataIssues(errors=1, warnings=2, first={"sheet": "KPI", "cell": "B5", "message": "<bad>"}))
    page = Page(render_html(bare))
    assert page.problems == []
    assert headings(page) == [t("brief.today", "en")]
    assert not page.find("svg")
    assert t("brief.no_data_today", "en") in page.body
    assert t("brief.data_issues", "en", errors=1, warnings=2, first="KPI!B5 <bad>") in page.body
    assert en.campaign.name in page.text(page.find("h1")[0])


def test_nice_ticks_cover_the_range_in_round_steps():
    assert nice_ticks(4456, 5750) == [4000, 4500, 5000, 5500, 6000]
    assert nice_ticks(0.046, 0.097)[0] <= 0.046 and nice_ticks(0.046, 0.097)[-1] >= 0.097
    assert nice_ticks(0.2, 0.8, whole=True) == [0, 1]
    flat = nice_ticks(5, 5)   # a flat series still gets an axis around it
    assert flat[0] < 5 < flat[-1]
