"""Regenerate the sample workbooks and the README pictures.

    python samples/make_samples.py            # workbooks only
    python samples/make_samples.py --pictures # also docs/images/*.png (needs LibreOffice + pdftoppm)
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from campaign_sheets import build_workbook  # noqa: E402
from tests.support.libreoffice import convert  # noqa: E402

# picture name -> sheet title; the first PDF page whose first line is that title is taken
PICTURES = {"zh-CN": {"timeline": "进度计划", "dashboard": "数据看板"}, "en": {"kpi": "KPI tracker", "dashboard": "Dashboard"}}


SCENARIOS = ("product_launch", "brand_upgrade", "festival_promotion", "user_growth", "channel_expansion")


def build_samples() -> list[Path]:
    out = []
    for lang in ("zh-CN", "en"):
        suffix = "" if lang == "zh-CN" else "-en"
        out.append(build_workbook("campaign", ROOT / "samples" / f"campaign{suffix}.xlsx", lang=lang))
        out.append(build_workbook("campaign", ROOT / "samples" / f"campaign-example{suffix}.xlsx", lang=lang, example=True))
    for name in SCENARIOS:  # one filled example per scenario template, in Chinese
        out.append(build_workbook(name, ROOT / "samples" / "scenarios" / f"{name}-example.xlsx", example=True))
    return out


def _page_titled(pdf: Path, title: str) -> int:
    page = 1
    while True:
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True).stdout
        if not text:
            raise SystemExit(f"no page titled {title!r} in {pdf}")
        if text.strip().splitlines()[0].strip() == title:
            return page
        page += 1


def pictures(pages: dict[str, dict[str, str]]) -> None:
    for lang, wanted in pages.items():
        suffix = "" if lang == "zh-CN" else "-en"
        with tempfile.TemporaryDirectory() as tmp:
            pdf = convert(ROOT / "samples" / f"campaign-example{suffix}.xlsx", tmp, "pdf")
            for name, title in wanted.items():
                page = _page_titled(pdf, title)
                prefix = Path(tmp) / name
                subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                                str(pdf), str(prefix)], check=True)
                shutil.copy(f"{prefix}.png", ROOT / "docs" / "images" / f"{name}{suffix}.png")


def rollup_picture(n: int = 24) -> None:
    """docs/images/rollup-dashboard.png: the dashboard of a rollup over a small generated corpus."""
    import datetime as dt

    from tests.support.corpus import make_corpus
    from campaign_sheets.portfolio.book import write_rollup_xlsx
    from campaign_sheets.portfolio.run import Options, rollup

    with tempfile.TemporaryDirectory() as tmp:
        make_corpus(Path(tmp) / "in", n, broken=2)
        today = dt.date(2026, 6, 20)
        merger = rollup([str(Path(tmp) / "in")], options=Options(today=today))
        out = Path(tmp) / "rollup.xlsx"
        write_rollup_xlsx(merger.frames(lang="en"), merger.counts(), out, lang="en", today=today, labels=merger.labels)
        pdf = convert(out, tmp, "pdf")
        prefix = Path(tmp) / "dash"
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)], check=True)
        shutil.copy(f"{prefix}.png", ROOT / "docs" / "images" / "rollup-dashboard.png")


# cells a person got wrong in the worked example: an amount typed as words, an end before its start,
# a ¥ amount pasted as text
MISTAKES = {"预算规划": {"E7": "约4.6万", "D8": "¥12,000"}, "进度计划": {"F8": dt.datetime(2026, 5, 19)}}


def annotated_picture() -> None:
    """docs/images/annotated-issues.png and annotated-budget.png: an annotated copy of the worked
    example after a few typical mistakes, as LibreOffice prints its Issues sheet and a marked sheet."""
    import openpyxl

    from campaign_sheets import import_workbook
    from campaign_sheets.annotate import annotate

    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "filled.xlsx"
        book = openpyxl.load_workbook(ROOT / "samples" / "campaign-example.xlsx")
        for sheet, cells in MISTAKES.items():
            for ref, value in cells.items():
                book[sheet][ref] = value
        book.save(filled)
        filled = convert(filled, Path(tmp) / "calc", "xlsx")  # recalculated, as a person would save it
        result = import_workbook(filled, lang=None, errors="report")
        copy = annotate(filled, result.report, Path(tmp) / "out", lang="zh-CN")
        pdf = convert(copy, tmp, "pdf")
        # the top of each page at a readable size: the issues, and the marked budget rows
        for name, title, height in (("annotated-issues", None, 420), ("annotated-budget", "预算规划", 380)):
            page = 1 if title is None else _page_titled(pdf, title)
            prefix = Path(tmp) / name
            subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                            "-x", "0", "-y", "40", "-W", "1286", "-H", str(height), str(pdf), str(prefix)], check=True)
            shutil.copy(f"{prefix}.png", ROOT / "docs" / "images" / f"{name}.png")


def brief_picture() -> None:
    """docs/images/brief-zh.png: the first A4 page of the worked example's HTML brief at 20 June, as
    headless Chromium prints it (the page is self-contained; no network)."""
    from campaign_sheets.brief import brief_for, render

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("brief picture: needs Chromium (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(render(brief_for(ROOT / "samples" / "campaign-example.xlsx", date=dt.date(2026, 6, 20)), "html"),
                        encoding="utf-8")
        pdf = Path(tmp) / "brief.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True)
        prefix = Path(tmp) / "brief"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                       check=True)
        shutil.copy(f"{prefix}.png", ROOT / "docs" / "images" / "brief-zh.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", action="store_true")
    args = parser.parse_args()
    for p in build_samples():
        print(p.relative_to(ROOT))
    if args.pictures:
        pictures(PICTURES)
        rollup_picture()
        annotated_picture()
        brief_picture()
