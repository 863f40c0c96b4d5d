"""Which pages of a PDF that LibreOffice printed from a workbook belong to which sheet.

Calc writes one PDF bookmark per printed sheet, named by the sheet and pointing at its first page;
a sheet's pages run to the next bookmark. So a sheet's pages are found by its name, never by what
a page happens to show first (a guide spilling onto a second page begins with a link that reads
like another sheet's title). The picture script and the picture test both use this.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from .libreoffice import _PROFILE_XCU, soffice_path

# Calc's PDF export with a bookmark per sheet (on by default; asked for so a changed default shows),
# cell comments left out as on paper
PDF_FILTER = ('pdf:calc_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"},'
              '"ExportNotes":{"type":"boolean","value":"false"}}')


def to_pdf(sources: list[str | os.PathLike], outdir: str | os.PathLike, timeout: int = 600) -> list[Path]:
    """Print every workbook of `sources` to `<outdir>/<stem>.pdf` in one LibreOffice run (it starts
    once, which is most of the time a conversion takes); the PDFs in the order given. The run has a
    profile of its own (recalculating on load, like the driver's), so a LibreOffice started by
    another test or process at the same time cannot take the job over or lock it out."""
    exe = soffice_path()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    stems = [Path(s).stem for s in sources]
    if len(set(stems)) != len(stems):
        raise ValueError(f"two sources would print to the same PDF: {stems}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="campaign-sheets-lo-pdf-"))
    try:
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", PDF_FILTER, "--outdir", str(outdir), *map(str, sources)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [outdir / f"{stem}.pdf" for stem in stems]
    missing = [p.name for p in out if not p.exists()]
    if proc.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice did not print {missing or sources}: {proc.stdout}{proc.stderr}")
    return out


def page_count(pdf: str | os.PathLike) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def sheet_pages(pdf: str | os.PathLike) -> dict[str, list[int]]:
    """Sheet name -> its pages (1-based), from the PDF's bookmarks."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", "-l", "1", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    block = re.search(r"<outline>.*</outline>", xml, re.S)
    if block is None:
        raise ValueError(f"{pdf} has no bookmarks: cannot tell its sheets apart")
    starts = [(item.text or "", int(item.get("page"))) for item in ET.fromstring(block.group(0)).iter("item")
              if item.get("page")]
    ends = [page for _, page in starts[1:]] + [page_count(pdf) + 1]
    return {name: list(range(first, end)) for (name, first), end in zip(starts, ends)}


def page_of(pdf: str | os.PathLike, sheet: str) -> int:
    """The first page of `sheet`; ValueError naming the sheets there are when it was not printed."""
    pages = sheet_pages(pdf)
    if not pages.get(sheet):
        raise ValueError(f"no page of sheet {sheet!r} in {pdf} (its sheets: {', '.join(pages)})")
    return pages[sheet][0]


def page_text(pdf: str | os.PathLike, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
