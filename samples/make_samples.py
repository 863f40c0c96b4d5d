"""Regenerate the sample workbooks and the README pictures.

    python samples/make_samples.py            # workbooks only
    python samples/make_samples.py --pictures # also docs/images/*.png (needs LibreOffice + pdftoppm)
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from campaign_sheets import build_workbook  # noqa: E402
from campaign_sheets.libreoffice import convert  # noqa: E402

# (sheet title in the PDF page order is not stable, so pictures are picked by page number)
PICTURES = {"zh-CN": {"timeline": 6, "kpi": 11, "dashboard": 14}, "en": {"budget": 7}}


def build_samples() -> list[Path]:
    out = []
    for lang in ("zh-CN", "en"):
        suffix = "" if lang == "zh-CN" else "-en"
        out.append(build_workbook("campaign", ROOT / "samples" / f"campaign{suffix}.xlsx", lang=lang))
        out.append(build_workbook("campaign", ROOT / "samples" / f"campaign-example{suffix}.xlsx", lang=lang, example=True))
    return out


def pictures(pages: dict[str, dict[str, int]]) -> None:
    for lang, wanted in pages.items():
        suffix = "" if lang == "zh-CN" else "-en"
        with tempfile.TemporaryDirectory() as tmp:
            pdf = convert(ROOT / "samples" / f"campaign-example{suffix}.xlsx", tmp, "pdf")
            for name, page in wanted.items():
                prefix = Path(tmp) / name
                subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                                str(pdf), str(prefix)], check=True)
                shutil.copy(f"{prefix}.png", ROOT / "docs" / "images" / f"{name}{suffix}.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", action="store_true")
    args = parser.parse_args()
    for p in build_samples():
        print(p.relative_to(ROOT))
    if args.pictures:
        pictures(PICTURES)
