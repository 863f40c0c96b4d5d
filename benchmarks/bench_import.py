"""Import speed: our import + full validation vs bare readers, on the filled example.

    python benchmarks/bench_import.py [--repeat 30]

(A) pandas.read_excel(path, sheet_name=None, engine="calamine"), which validates nothing;
(B) python-calamine reading every sheet and nothing else; (C) import_workbook (safe checks,
recognition, coercion, formula recomputation, every rule); (D) the same plus building every
typed DataFrame (frames are built lazily, on first access).
Prints the median time per file of each and the ratios A/C and C/B.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from campaign_sheets import build_workbook  # noqa: E402
from campaign_sheets.read.importer import import_workbook  # noqa: E402


def bare_pandas(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.read_excel(path, sheet_name=None, engine="calamine")


def bare_calamine(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()


def ours(path: Path) -> None:
    result = import_workbook(path, today=dt.date(2026, 6, 20))
    assert result.report.counts()["error"] == 0


def ours_with_frames(path: Path) -> None:
    result = import_workbook(path, today=dt.date(2026, 6, 20))
    assert sum(len(result.tables[k]) for k in result.tables) > 0  # build every DataFrame


def median_ms(fn, path: Path, repeat: int) -> float:
    fn(path)  # warm-up: imports, spec cache
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = build_workbook("campaign", Path(tmp) / "example.xlsx", example=True)
        a = median_ms(bare_pandas, path, args.repeat)
        b = median_ms(bare_calamine, path, args.repeat)
        c = median_ms(ours, path, args.repeat)
        d = median_ms(ours_with_frames, path, args.repeat)
    print(f"filled example, median of {args.repeat} runs per file")
    print(f"  (A) pandas.read_excel, calamine engine : {a:8.1f} ms")
    print(f"  (B) python-calamine, all sheets        : {b:8.1f} ms")
    print(f"  (C) campaign-sheets import + validation: {c:8.1f} ms")
    print(f"  (D) (C) plus all 18 typed DataFrames   : {d:8.1f} ms   A/D = {a / d:.1f}x")
    print(f"  A/C = {a / c:.2f}x (pandas on calamine / ours)   C/B = {c / b:.1f}x the bare calamine read")


if __name__ == "__main__":
    main()
