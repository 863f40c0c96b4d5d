"""Run a rollup: find the files, summarise each (in parallel, cached), merge, and report progress."""
from __future__ import annotations

import datetime as dt
import gc
import glob
import hashlib
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .. import __version__
from ..outputs import atomic_path
from ..spec.loader import load_spec, spec_dirs
from ..read.guard import Limits
from .merge import Merger
from .summary import FileSummary, summarize

PATTERNS = ("*.xlsx", "*.xlsm", "*.ods", "*.xls", "*.XLSX", "*.XLSM", "*.ODS", "*.XLS")
SUMMARY_FORMAT = "5"   # the shape of a cached FileSummary (2: tables column-wise; 3: notes, issues of rejected files;
                       # 4: labels of the keys held, notes as role problems; 5: status not_campaign, campaign's today,
                       # data_as_of, tasks_unfinished_at_close, tasks judged at the campaign's end once it closed)


def collect(paths: Iterable[str], output: str | os.PathLike | None = None) -> list[str]:
    """Files as given, folders recursively (*.xlsx, *.xlsm, *.ods, *.xls), globs expanded; sorted, no duplicates.

    A path that does not exist is kept: its summary says file-missing (nothing is dropped). What a
    folder or a glob finds leaves out the hidden `.~*` temporary files of an atomic write, and
    `output` (the file being written) when it is not there yet or is a rollup's own output; any
    other file there stays an input (and writing onto it is refused).
    """
    skip = os.path.normcase(os.path.abspath(output)) if output is not None and own_output(output) else None

    def found_by_search(x: str) -> bool:
        return Path(x).name.startswith(".~") or os.path.normcase(os.path.abspath(x)) == skip
    found: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for pattern in PATTERNS:
                found += [str(x) for x in path.rglob(pattern) if x.is_file() and not found_by_search(str(x))]
        elif any(ch in p for ch in "*?[") and not path.exists():
            found += [x for x in sorted(glob.glob(p, recursive=True)) if not found_by_search(x)]
        else:
            found.append(p)
    seen, out = set(), []
    for f in sorted(found):
        key = os.path.normcase(os.path.abspath(f))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def own_output(path: str | os.PathLike) -> bool:
    """Whether `path` may be written by a rollup without reading it first: absent, or a rollup's own
    output (its `_meta` says kind = rollup; only that sheet is read)."""
    p = Path(path)
    if not p.exists():
        return True
    if not p.is_file():
        return False
    from ..read.importer import import_workbook

    return import_workbook(p, errors="report").not_campaign == "rollup"


@dataclass
class Options:
    today: dt.date = field(default_factory=dt.date.today)
    spec: str | None = None
    spec_dir: list[str] | None = None
    lang: str | None = "en"    # issue messages; None: each workbook's own language
    default_lang: str = "en"   # ... where a workbook's language is unknown (an unreadable file)
    cache: str | None = None
    limits: Limits | None = None


def _summarize(path: str, options: Options) -> FileSummary:
    return summarize(path, today=options.today, spec=options.spec, spec_dir=options.spec_dir, lang=options.lang,
                     limits=options.limits, default_lang=options.default_lang)


def _fingerprint(options: Options) -> str:
    """What a cached summary depends on besides the file: code, specs, day and options."""
    parts = [__version__, SUMMARY_FORMAT, options.today.isoformat(), str(options.spec), str(options.lang),
             options.default_lang, repr(options.limits)]
    folders = spec_dirs(options.spec_dir)
    if options.spec and Path(options.spec).is_file():   # a spec given by path, with the files beside it it may extend
        folders.append(Path(options.spec).resolve().parent)
    for d in folders:
        if d.is_dir():
            for p in sorted(d.glob("*.y*ml")):
                st = p.stat()
                parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def summarize_cached(path: str, options: Options, fingerprint: str) -> FileSummary:
    """summarize(), through the content-addressed cache when one is configured."""
    if not options.cache:
        return _summarize(path, options)
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return _summarize(path, options)
    entry = Path(options.cache) / fingerprint / digest[:2] / f"{digest}.pickle"
    if entry.exists():
        try:
            with open(entry, "rb") as fh:
                cached: FileSummary = pickle.load(fh)
            cached.path = str(path)  # same bytes may live under another name
            issues = cached.tables.get("issues")
            if issues:
                issues["file"] = [str(path)] * len(issues["file"])
            cached.campaign["source_file"] = str(path)
            return cached
        except Exception:  # noqa: BLE001 - a damaged cache entry is recomputed, never fatal
            pass
    result = _summarize(path, options)
    try:
        with atomic_path(entry, ".pickle") as tmp:
            with open(tmp, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass
    return result


def _batch(paths: list[str], options: Options, fingerprint: str) -> list[FileSummary]:
    return [summarize_cached(p, options, fingerprint) for p in paths]


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_summaries(paths: list[str], options: Options, jobs: int | None = None, dask: str | None = None,
                  batch_size: int = 16) -> Iterator[FileSummary]:
    """Yield one summary per path (order not guaranteed), locally, in a process pool, or on Dask."""
    fingerprint = _fingerprint(options)
    jobs = jobs or os.cpu_count() or 1
    batches = _batches(paths, max(1, min(batch_size, -(-len(paths) // (jobs * 4)) or 1)))
    if dask:
        yield from _run_dask(batches, options, fingerprint, dask)
    elif jobs <= 1 or len(paths) <= 2:
        for b in batches:
            yield from _batch(b, options, fingerprint)
    else:
        # The first file here, before the pool starts: forked workers inherit the loaded spec and
        # compiled formulas instead of each building them again. Each worker then freezes what it
        # inherited out of the garbage collector, whose passes would otherwise touch (and copy)
        # every inherited page.
        yield summarize_cached(batches[0][0], options, fingerprint)
        batches[0] = batches[0][1:]
        with ProcessPoolExecutor(max_workers=jobs, initializer=gc.freeze) as pool:
            futures = [pool.submit(_batch, b, options, fingerprint) for b in batches if b]
            from concurrent.futures import as_completed

            for fut in as_completed(futures):
                yield from fut.result()


def _run_dask(batches: list[list[str]], options: Options, fingerprint: str, address: str) -> Iterator[FileSummary]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        from ..errors import CampaignSheetsError

        raise CampaignSheetsError.of("extra.dask") from None
    cluster = LocalCluster(processes=True, n_workers=os.cpu_count() or 1, threads_per_worker=1,
                           dashboard_address=None) if address == "local" else None
    client = Client(cluster if cluster else address)
    try:
        futures = client.map(_batch, batches, options=options, fingerprint=fingerprint, pure=False)
        for fut in as_completed(futures):
            yield from fut.result()
    finally:
        client.close()
        if cluster:
            cluster.close()


class Progress:
    """files done, rate and ETA on a terminal; silent otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done, self.t0 = total, enabled, 0, time.monotonic()
        self.last = 0.0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2 and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.t0, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  "
                         f"{rate:5.1f} files/s  ETA {eta:5.0f}s ")
        sys.stderr.flush()
        if self.done >= self.total:
            sys.stderr.write("\n")


def rollup(paths: Iterable[str], *, options: Options | None = None, jobs: int | None = None, dask: str | None = None,
           strict: bool = False, since: dt.date | None = None, until: dt.date | None = None,
           progress: bool = False, on_summary: Callable[[FileSummary], Any] | None = None,
           all_versions: bool = False, output: str | os.PathLike | None = None) -> Merger:
    """Summarise every file and merge; every input ends in exactly one outcome (`Merger.counts`).
    Several files of one campaign are one campaign (the current one summed, the others superseded)
    unless `all_versions`; `output`, the file being written, is never read."""
    options = options or Options()
    if options.spec:   # a spec that does not load stops the run here, not in every worker
        load_spec(options.spec, spec_dir=options.spec_dir, lang=options.lang or options.default_lang)
    files = collect(paths, output)
    merger = Merger(strict=strict, since=since, until=until, all_versions=all_versions)
    bar = Progress(len(files), progress)
    for s in run_summaries(files, options, jobs=jobs, dask=dask):
        merger.add(s)
        bar.step()
        if on_summary:
            on_summary(s)
    merger.files.sort(key=lambda f: f["file"])
    return merger
