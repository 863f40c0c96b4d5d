"""Regenerate the sample workbooks and the README pictures.

    python samples/make_samples.py            # workbooks only
    python samples/make_samples.py --pictures # also docs/images/*.png (needs LibreOffice + poppler-utils)
    python samples/make_samples.py --pictures timeline kpi-en   # only those pictures
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from campaign_sheets import build_workbook  # noqa: E402
from tests.support.libreoffice import convert  # noqa: E402
from tests.support.pdfpages import page_of, to_pdf  # noqa: E402

SCENARIOS = ("product_launch", "brand_upgrade", "festival_promotion", "user_growth", "channel_expansion")

# the date the worked example is looked at: its last day of figures (the README's examples are as of it)
AS_OF = dt.date(2026, 6, 20)


@dataclass(frozen=True)
class Picture:
    """One README picture: a page of a workbook as LibreOffice prints it. The page is the first of
    its sheet, found by the sheet's name in the PDF's bookmarks (tests/support/pdfpages.py)."""
    name: str                       # docs/images/<name>.png
    workbook: str                   # which workbook: a key of WORKBOOKS
    sheet: str                      # a sheet key of the campaign spec, or "i18n:<key>" for a sheet named by that text
    dpi: int = 100
    crop: tuple[int, int, int, int] | None = None   # x, y, width, height in pixels at `dpi`


PICTURES = (
    Picture("timeline", "example-zh-CN", "timeline"),
    Picture("dashboard", "example-zh-CN", "dashboard"),
    Picture("kpi-en", "example-en", "kpi"),
    Picture("dashboard-en", "example-en", "dashboard"),
    Picture("annotated-issues", "annotated", "i18n:annotate.title", 110, (0, 40, 1286, 420)),
    Picture("annotated-budget", "annotated", "budget", 110, (0, 40, 1286, 380)),
    Picture("rollup-dashboard", "rollup", "i18n:portfolio.sheet.dashboard", 70),
)

# workbook -> its language
WORKBOOKS = {"example-zh-CN": "zh-CN", "example-en": "en", "annotated": "zh-CN", "rollup": "en"}


def build_samples() -> list[Path]:
    out = []
    for lang in ("zh-CN", "en"):
        suffix = "" if lang == "zh-CN" else "-en"
        out.append(build_workbook("campaign", ROOT / "samples" / f"campaign{suffix}.xlsx", lang=lang))
        out.append(build_workbook("campaign", ROOT / "samples" / f"campaign-example{suffix}.xlsx", lang=lang, example=True))
    for name in SCENARIOS:  # one filled example per scenario template, in Chinese
        out.append(build_workbook(name, ROOT / "samples" / "scenarios" / f"{name}-example.xlsx", example=True))
    return out


def make_workbook(kind: str, folder: Path, *, quick: bool = False) -> Path:
    """Write the workbook a picture is printed from into `folder` (its file name is unique per kind).
    `quick` (for the tests): the annotated copy is not saved through LibreOffice first and the
    rollup is of a few files; which sheet is on which page stays the same."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind.startswith("example-"):
        lang = WORKBOOKS[kind]
        suffix = "" if lang == "zh-CN" else "-en"
        return build_workbook("campaign", folder / f"campaign-example{suffix}.xlsx", lang=lang, example=True)
    if kind == "annotated":
        return annotated_workbook(folder, recalc=not quick)
    if kind == "rollup":
        return rollup_workbook(folder, n=3 if quick else 24)
    raise ValueError(kind)


def sheet_name(picture: Picture, lang: str | None = None) -> str:
    """The name of the sheet `picture` shows, in its workbook's language or in `lang`."""
    from campaign_sheets.contract import safe_sheet_name
    from campaign_sheets.i18n import t
    from campaign_sheets.spec import model as m

    lang = lang or WORKBOOKS[picture.workbook]
    if picture.sheet.startswith("i18n:"):
        return t(picture.sheet[len("i18n:"):], lang)
    from campaign_sheets import load_spec

    sheet = next(s for s in load_spec("campaign").spec.sheets if s.key == picture.sheet)
    return safe_sheet_name(m.text_for(sheet.title, lang), set())


def render(pdf: Path, page: int, picture: Picture, out: Path) -> Path:
    prefix = out.with_suffix("")
    crop = []
    if picture.crop:
        x, y, w, h = picture.crop
        crop = ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    subprocess.run(["pdftoppm", "-r", str(picture.dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    *crop, str(pdf), str(prefix)], check=True)
    return prefix.with_suffix(".png")


def pictures(names: set[str] | None = None) -> None:
    """docs/images/<name>.png for every picture of PICTURES (or those named): each workbook made
    once, all printed in one LibreOffice run, each picture the first page of its sheet."""
    chosen = [p for p in PICTURES if names is None or p.name in names]
    with tempfile.TemporaryDirectory() as tmp:
        books = {kind: make_workbook(kind, Path(tmp) / "books") for kind in dict.fromkeys(p.workbook for p in chosen)}
        pdfs = dict(zip(books, to_pdf(list(books.values()), Path(tmp) / "pdf")))
        for picture in chosen:
            page = page_of(pdfs[picture.workbook], sheet_name(picture))
            png = render(pdfs[picture.workbook], page, picture, Path(tmp) / f"{picture.name}.png")
            shutil.copy(png, ROOT / "docs" / "images" / f"{picture.name}.png")
            print(f"docs/images/{picture.name}.png  page {page} of {pdfs[picture.workbook].name}")


def rollup_workbook(folder: Path, n: int = 24) -> Path:
    """The rollup of a small generated corpus (with two broken files), as of AS_OF, in English."""
    from tests.support.corpus import make_corpus
    from campaign_sheets.portfolio.book import write_rollup_xlsx
    from campaign_sheets.portfolio.run import Options, rollup

    make_corpus(folder / "corpus", n, broken=2)
    merger = rollup([str(folder / "corpus")], options=Options(today=AS_OF))
    out = folder / "rollup.xlsx"
    write_rollup_xlsx(merger.frames(lang="en"), merger.counts(), out, lang="en", today=AS_OF, labels=merger.labels)
    return out


# cells a person got wrong in the worked example: an amount typed as words, an end before its start,
# a ¥ amount pasted as text
MISTAKES = {"预算规划": {"E7": "约4.6万", "D8": "¥12,000"}, "进度计划": {"F8": dt.datetime(2026, 5, 19)}}


def annotated_workbook(folder: Path, *, recalc: bool = True) -> Path:
    """An annotated copy of the worked example after a few typical mistakes, checked as of AS_OF
    (saved through LibreOffice first, as a person would save it, unless `recalc` is False)."""
    import openpyxl

    from campaign_sheets import import_workbook
    from campaign_sheets.annotate import annotate

    filled = folder / "filled.xlsx"
    example = build_workbook("campaign", folder / "annotated-source" / "campaign-example.xlsx", example=True)
    book = openpyxl.load_workbook(example)
    for sheet, cells in MISTAKES.items():
        for ref, value in cells.items():
            book[sheet][ref] = value
    book.save(filled)
    if recalc:
        filled = convert(filled, folder / "calc", "xlsx")  # recalculated, as a person would save it
    result = import_workbook(filled, lang=None, errors="report", today=AS_OF)
    return annotate(filled, result.report, folder / "out", lang="zh-CN")


def brief_picture() -> None:
    """docs/images/brief-zh.png: the first A4 page of the worked example's HTML brief at 20 June, as
    headless Chromium prints it (the page is self-contained; no network)."""
    from campaign_sheets.brief import brief_for, render

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("brief picture: needs Chromium (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(render(brief_for(ROOT / "samples" / "campaign-example.xlsx", date=AS_OF), "html"),
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
    parser.add_argument("--pictures", nargs="*", metavar="NAME",
                        help="also the README pictures (all, or those named: " + ", ".join(
                            [p.name for p in PICTURES] + ["brief-zh"]) + ")")
    args = parser.parse_args()
    for p in build_samples():
        print(p.relative_to(ROOT))
    if args.pictures is not None:
        wanted = set(args.pictures) or None
        pictures(wanted)
        if wanted is None or "brief-zh" in wanted:
            brief_picture()
