"""Long fuzzing run of the reader: the mutations of tests/test_fuzz.py, for as many cases as wanted.

    python scripts/fuzz_long.py 5000                  # 5000 cases on every CPU
    python scripts/fuzz_long.py 100000 --seconds 180  # stop after 3 minutes, whichever comes first
    python scripts/fuzz_long.py --replay 1234 --seed 0 # run case 1234 again, in this process, verbosely

Case i mutates the built example (zh-CN for even i, en for odd) with random.Random(f"{seed}-{i}"),
so any failure replays exactly. A case fails when import_workbook raises anything but a
WorkbookFileError with a known code, or when building its tables / rollup summary raises, or when
the worker process dies (a native crash or abort). Failing inputs are saved with --save DIR.
Prints the cases run, the outcomes and the failures; exits 1 if any case failed.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bad_inputs.mutate import base_workbook, check, mutate  # noqa: E402


def one_case(seed: int, i: int, folder: Path) -> tuple[int, str, str, list[str], bytes | None]:
    rng = random.Random(f"{seed}-{i}")
    data, done = mutate(base_workbook("zh-CN" if i % 2 == 0 else "en"), rng)
    outcome, detail = check(data, folder, f"case-{i}.xlsx")
    return i, outcome, detail, done, data if outcome == "FAIL" else None


def run_batch(seed: int, cases: list[int]) -> list[tuple[int, str, str, list[str], bytes | None]]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        return [one_case(seed, i, Path(tmp)) for i in cases]


def _isolated(seed: int, i: int) -> tuple[int, str, str, list[str], bytes | None]:
    """Re-run one case in a fresh process, to tell which case of a dead batch killed its worker."""
    with ProcessPoolExecutor(1) as pool:
        try:
            return pool.submit(run_batch, seed, [i]).result()[0]
        except BrokenProcessPool:
            rng = random.Random(f"{seed}-{i}")
            data, done = mutate(base_workbook("zh-CN" if i % 2 == 0 else "en"), rng)
            return i, "FAIL", "the worker process died (native crash or abort)", done, data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=1000, help="number of cases (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="first case index")
    ap.add_argument("--seconds", type=float, default=None, help="stop after this long")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--batch", type=int, default=25)
    ap.add_argument("--save", type=Path, default=None, help="write failing inputs and tracebacks here")
    ap.add_argument("--replay", type=int, default=None, help="run this one case here and print everything")
    args = ap.parse_args(argv)

    if args.replay is not None:
        with tempfile.TemporaryDirectory() as tmp:
            i, outcome, detail, done, _ = one_case(args.seed, args.replay, Path(tmp))
        print(f"case {i}: {done} -> {outcome}\n{detail}")
        return 1 if outcome == "FAIL" else 0

    base_workbook("zh-CN")
    base_workbook("en")   # built before forking, shared by the workers
    t0 = time.perf_counter()
    deadline = t0 + args.seconds if args.seconds else None
    indexes = iter(range(args.start, args.start + args.n))
    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[tuple[int, list[str], str]] = []
    run = 0
    last_print = t0

    def next_batch() -> list[int]:
        if deadline and time.perf_counter() > deadline:
            return []
        return [i for _, i in zip(range(args.batch), indexes)]

    def record(results) -> None:
        nonlocal run
        for i, outcome, detail, done, data in results:
            run += 1
            outcomes[outcome] += 1
            if outcome == "FAIL":
                failures.append((i, done, detail))
                print(f"FAIL case {i} {done}\n{detail}", flush=True)
                if args.save and data is not None:
                    args.save.mkdir(parents=True, exist_ok=True)
                    (args.save / f"fuzz-{args.seed}-{i}.xlsx").write_bytes(data)
                    (args.save / f"fuzz-{args.seed}-{i}.txt").write_text(f"{done}\n{detail}", encoding="utf-8")

    pool = ProcessPoolExecutor(args.jobs)
    pending = {}
    try:
        while True:
            while len(pending) < args.jobs * 2:
                batch = next_batch()
                if not batch:
                    break
                pending[pool.submit(run_batch, args.seed, batch)] = batch
            if not pending:
                break
            done_set, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done_set:
                batch = pending.pop(fut)
                try:
                    record(fut.result())
                except BrokenProcessPool:
                    broken = True
                    record([_isolated(args.seed, i) for i in batch])
            if broken:   # every other batch in flight died with the pool: run them again
                for fut, batch in list(pending.items()):
                    record([_isolated(args.seed, i) for i in batch])
                pending.clear()
                pool.shutdown(cancel_futures=True)
                pool = ProcessPoolExecutor(args.jobs)
            now = time.perf_counter()
            if now - last_print > 15:
                last_print = now
                print(f"  {run} cases in {now - t0:.0f} s, {len(failures)} failures", flush=True)
    finally:
        pool.shutdown(cancel_futures=True)
    elapsed = time.perf_counter() - t0
    print(f"cases run: {run} in {elapsed:.0f} s ({run / max(elapsed, 1e-9):.1f}/s, {args.jobs} workers), "
          f"seed {args.seed}, cases {args.start}..{args.start + run - 1}")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    print(f"failures: {len(failures)}" + ("" if not failures else " (cases " + ", ".join(str(i) for i, _, _ in failures)
                                          + f"; replay with --replay I --seed {args.seed})"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
