"""Rollup speed over a corpus of filled workbooks, against bare readers in the same run.

    python benchmarks/bench_rollup.py [--n 1000] [--jobs 2] [--keep DIR] [--repeat 3]

Makes a corpus from the example (varied values; some re-saved through LibreOffice so they carry
Calc's own XML and cached values; a few broken), then times side by side, each with the same
--jobs worker processes (like with like):
  (A) pandas.read_excel(path, sheet_name=None, engine="calamine") over every file, nothing else;
  (B) python-calamine reading every sheet of every file, nothing else;
  (C) campaign-sheets rollup with full validation.
Prints files/s (in all and per process), A/C and C/B, peak memory, the cost of the first file in a
fresh process (the spec load and compiled formulas) against the files after it, and checks C's
budget totals against A's raw cells. A, B and C run --repeat times, in turn, and the best of each
counts (a shared VM's bursts of slowness otherwise decide the ratio).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from tests.support.corpus import make_corpus  # noqa: E402
from tests.support.libreoffice import convert, soffice_path  # noqa: E402
from campaign_sheets.portfolio.run import Options, rollup  # noqa: E402


def _make(args: tuple[str, int, int]) -> int:
    folder, start, count = args
    make_corpus(folder, count, seed=start)
    return count


def build_corpus(folder: Path, n: int, jobs: int, resaved: int, broken: int) -> None:
    chunk = max(1, n // (jobs * 4))
    parts = [(str(folder), s, min(chunk, n - s)) for s in range(0, n, chunk)]
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_make, parts))
    if soffice_path() and resaved:
        with tempfile.TemporaryDirectory() as tmp:
            for p in sorted(folder.glob("campaign-*.xlsx"))[:resaved]:
                shutil.move(convert(p, tmp), p)  # Calc's XML and recalculated cached values
    make_corpus(folder / "broken", 0, broken=broken)


def _chunks(paths: list[Path], jobs: int) -> list[list[Path]]:
    size = max(1, -(-len(paths) // (jobs * 4)))
    return [paths[i:i + size] for i in range(0, len(paths), size)]


def in_pool(fn, paths: list[Path], jobs: int) -> list:
    """`fn` over the files in `jobs` worker processes (one process when jobs is 1), as the rollup runs."""
    if jobs <= 1:
        return [fn(paths)]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(fn, _chunks(paths, jobs)))


def first_file_cost(paths: list[Path]) -> tuple[float, float]:
    """(the first file's seconds in a fresh process, the mean of the next files'), summarised as the
    rollup does: the first pays for loading the spec and compiling its formulas."""
    from campaign_sheets.portfolio.summary import summarize

    times = []
    for p in paths[:6]:
        t0 = time.perf_counter()
        summarize(str(p), today=dt.date(2026, 6, 20))
        times.append(time.perf_counter() - t0)
    return times[0], sum(times[1:]) / max(len(times) - 1, 1)


def read_pandas(paths: list[Path]) -> dict[str, float]:
    """(A) and the independent check: budget planned per file from pandas' raw cells."""
    totals = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in paths:
            try:
                sheets = pd.read_excel(p, sheet_name=None, header=None, engine="calamine")
            except Exception:  # noqa: BLE001 - broken files: the baseline just skips them
                continue
            meta = sheets.get("_meta")
            if meta is None:
                continue
            for _, row in meta.iterrows():
                if row[0] == "budget":
                    sheet, first, last, cols = row[1], int(row[4]), int(row[5]), str(row[7]).split(",")
                    col = cols.index("planned")
                    values = pd.to_numeric(sheets[sheet].iloc[first - 1:last, col], errors="coerce")
                    totals[str(p)] = float(values.sum())
    return totals


def read_calamine(paths: list[Path]) -> None:
    for p in paths:
        try:
            wb = CalamineWorkbook.from_path(str(p))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
        except Exception:  # noqa: BLE001
            continue


class ChildMemory:
    """The highest peak RSS (VmHWM) of this process's children while it runs, polled from /proc
    (getrusage's figure for children also counts LibreOffice and the corpus builders)."""

    def __init__(self) -> None:
        self.peak_kib, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            try:
                kids = open(f"/proc/{me}/task/{me}/children").read().split()
            except OSError:
                return
            for pid in kids:
                try:
                    for line in open(f"/proc/{pid}/status"):
                        if line.startswith("VmHWM:"):
                            self.peak_kib = max(self.peak_kib, int(line.split()[1]))
                except OSError:
                    pass

    def __enter__(self) -> "ChildMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--resaved", type=int, default=20)
    parser.add_argument("--broken", type=int, default=10)
    parser.add_argument("--keep", type=Path, default=None, help="keep (or reuse) the corpus in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of B and C (the best of each counts)")
    parser.add_argument("--skip-a", action="store_true",
                        help="leave out the pandas baseline (A) and the value check against it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="campaign-corpus-"))
    if not any(folder.glob("campaign-*.xlsx")):
        t0 = time.perf_counter()
        build_corpus(folder, args.n, args.jobs, args.resaved, args.broken)
        print(f"corpus: {args.n} workbooks + {args.broken} broken in {time.perf_counter() - t0:.0f}s -> {folder}")
    paths = sorted(folder.rglob("*.xlsx"))
    n = len(paths)

    as_, bs, cs = [], [], []
    raw: dict[str, float] = {}
    for _ in range(max(1, args.repeat)):
        if not args.skip_a:
            t0 = time.perf_counter()
            raw = {k: v for part in in_pool(read_pandas, paths, args.jobs) for k, v in part.items()}
            as_.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        in_pool(read_calamine, paths, args.jobs)
        bs.append(time.perf_counter() - t0)
        with ChildMemory() as memory:
            t0 = time.perf_counter()
            merger = rollup([str(folder)], options=Options(today=dt.date(2026, 6, 20)), jobs=args.jobs)
            frames = merger.frames()
            cs.append(time.perf_counter() - t0)
        if len(cs) == 1:  # later workers fork from a main process grown by earlier runs' tables
            peak_child = memory.peak_kib / 1024
    a, b, c = (min(as_) if as_ else 0.0), min(bs), min(cs)
    import multiprocessing

    # a fresh process (spawned, not forked from this one, which holds the loaded spec already)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        first, later = pool.submit(first_file_cost, [p for p in paths if "broken" not in str(p)]).result()

    camp = frames["campaigns"].set_index("source_file")["budget_planned"]
    mismatch = [p for p, v in raw.items() if abs(camp.get(p, float("nan")) - v) > 1e-6]
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = merger.counts()
    print(f"{n} files ({counts})")
    best = f", best of {len(bs)}" if len(bs) > 1 else ""
    per = lambda t: f"{n / t:7.1f} files/s  ({n / t / args.jobs:6.1f} per process)"   # noqa: E731
    if not args.skip_a:
        print(f"  (A) pandas.read_excel (calamine), {args.jobs} processes{best}: {a:7.1f}s  {per(a)}")
    print(f"  (B) python-calamine, all sheets, {args.jobs} processes{best}: {b:7.1f}s  {per(b)}")
    print(f"  (C) rollup + validation, {args.jobs} processes{best}: {c:7.1f}s  {per(c)}")
    if len(bs) > 1:
        print(f"      runs of A: {', '.join(f'{x:.1f}s' for x in as_) or '-'};  runs of B: "
              f"{', '.join(f'{x:.1f}s' for x in bs)};  runs of C: {', '.join(f'{x:.1f}s' for x in cs)}")
    print(f"  the first file in a fresh process: {first * 1000:.0f} ms (loads the spec, compiles its formulas); "
          f"the files after it: {later * 1000:.0f} ms each")
    print(("" if args.skip_a else f"  A/C = {a / c:.1f}x") + f"   C/B = {c / b:.2f}x")
    print(f"  peak RSS: main {peak_self:.0f} MiB{'' if args.skip_a else ' (it ran A)'}, "
          f"largest worker of the first C run {peak_child:.0f} MiB")
    if not args.skip_a:
        print(f"  values: budget totals of {len(raw)} files compared with pandas' raw cells: "
              f"{'all equal' if not mismatch else f'{len(mismatch)} differ'}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if mismatch else 0)


if __name__ == "__main__":
    main()
