"""Every README picture printed from a workbook shows the sheet its caption names, and the Guide
prints on one page.

The pictures are made by samples/make_samples.py: each is the first page of a sheet, found by the
sheet's name in the bookmarks LibreOffice writes per sheet. Here the same workbooks are printed
(all in one LibreOffice run) and each picture's page is found the same way; then, independently
of that method, the page must begin with the sheet's own first cell (its title) and must not be a
page of the Guide, and the README's caption must name the sheet.
"""
from __future__ import annotations

import importlib.util
import re
import struct
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets import build_workbook, load_spec
from campaign_sheets.contract import safe_sheet_name
from campaign_sheets.spec import model as m
from tests.support.pdfpages import page_of, page_text, sheet_pages, to_pdf

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


MS = _make_samples()
CAPTIONS = dict((name, alt) for alt, name in re.findall(r"!\[([^\]]*)\]\(docs/images/([\w-]+)\.png\)", README))
GUIDE = next(s for s in load_spec("campaign").spec.sheets if s.kind == m.SheetKind.guide)


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Workbook kind -> (workbook, its PDF): every picture's workbook and the empty templates,
    printed in one LibreOffice run."""
    tmp = tmp_path_factory.mktemp("pictures")
    books = {kind: MS.make_workbook(kind, tmp / "books", quick=True) for kind in MS.WORKBOOKS}
    for lang in ("zh-CN", "en"):
        suffix = "" if lang == "zh-CN" else "-en"
        books[f"empty-{lang}"] = build_workbook("campaign", tmp / "books" / f"campaign{suffix}.xlsx", lang=lang)
    pdfs = to_pdf(list(books.values()), tmp / "pdf")
    return {kind: (book, pdf) for (kind, book), pdf in zip(books.items(), pdfs)}


def _first_cell(book: Path, sheet: str) -> str:
    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        return str(wb[sheet]["A1"].value)
    finally:
        wb.close()


def _first_line(text: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip())


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def _page_size_pts(pdf: Path, page: int) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    w, h = re.search(rf"Page\s+{page} size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(w), float(h)


def test_every_picture_is_in_the_readme_under_a_caption_naming_its_sheet() -> None:
    for picture in MS.PICTURES:
        assert picture.name in CAPTIONS, f"docs/images/{picture.name}.png is made but not shown in the README"
        sheet = MS.sheet_name(picture, "en")
        assert sheet.lower() in CAPTIONS[picture.name].lower(), (picture.name, CAPTIONS[picture.name], sheet)


def _guide_name(lang: str) -> str:
    return safe_sheet_name(m.text_for(GUIDE.title, lang), set())


@pytest.mark.libreoffice
@pytest.mark.parametrize("picture", MS.PICTURES, ids=lambda p: p.name)
def test_each_picture_is_a_page_of_its_sheet(printed, picture) -> None:
    book, pdf = printed[picture.workbook]
    sheet = MS.sheet_name(picture)
    page = page_of(pdf, sheet)
    text = page_text(pdf, page)
    # the page begins with what the sheet's first cell holds (its title, or the Issues sheet's header)
    assert _first_line(text).startswith(_first_cell(book, sheet)), (picture.name, page, _first_line(text))
    pages = sheet_pages(pdf)
    assert [name for name, numbers in pages.items() if page in numbers] == [sheet]
    guide = _guide_name(MS.WORKBOOKS[picture.workbook])
    if guide in pages:   # a campaign workbook: the page is not the Guide's, nor shows the Guide's title
        assert page not in pages[guide], (picture.name, page)
        assert _first_cell(book, guide) not in text, f"{picture.name}: page {page} shows the Guide's title"
    # the committed picture is that page at the script's resolution (or the script's crop of it)
    png = ROOT / "docs" / "images" / f"{picture.name}.png"
    if picture.crop:
        expected = picture.crop[2:]
    else:
        w, h = _page_size_pts(pdf, page)
        expected = (w * picture.dpi / 72, h * picture.dpi / 72)
    got = _png_size(png)
    assert all(abs(g - e) <= 1 for g, e in zip(got, expected)), (picture.name, got, expected)


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["example-zh-CN", "example-en", "empty-zh-CN", "empty-en"])
def test_the_guide_prints_on_one_page_whole(printed, kind) -> None:
    book, pdf = printed[kind]
    lang = "en" if kind.endswith("-en") else "zh-CN"
    guide = _guide_name(lang)
    pages = sheet_pages(pdf)
    assert list(pages)[0] == guide and pages[guide] == [1], pages
    text = page_text(pdf, 1)
    # all of it: from its title to its last line, the template and version
    spec = load_spec("campaign").spec
    assert _first_line(text) == _first_cell(book, guide)
    assert f"{spec.template} (v{spec.version})" in text
