"""Portal under load: concurrent clients submit a corpus over loopback to a real `serve` process.

    python benchmarks/bench_serve.py [--n 195] [--broken 5] [--clients 8] [--workers 2] [--rounds 1]
                                     [--keep DIR] [--skip-pg] [--skip-sqlite] [--no-keepalive] [--profile]

Starts `campaign-sheets serve --workers W` as a separate process (SQLite in a temporary folder, then
PostgreSQL in a fresh database, dropped afterwards), waits for /healthz, then --clients threads (one
httpx.Client each, keep-alive unless --no-keepalive) take files from a shared queue and POST each one
alone to /api/submissions. Each round is a new corpus (another seed: the same bytes again would only
find the existing submission). Measured: wall time from the first request to the last answer
(files/s); per-request latency (p50, p95, max); RSS of the server's processes (supervisor + workers,
from /proc every 0.5 s) at 10%, 50% and 100% of the run, and the growth from the first to the last
quarter ("flat": under 15%); CPU seconds of each server process and of the whole machine (a shared
machine's other load shows there).
Every file must be accounted for: afterwards the `submissions` table is read directly; each file's
sha256 has a row (byte-identical files, e.g. two empty broken ones, share one), the answer's
submission_id is that row, broken files are rejected with a code, the others accepted with a
campaign id. Exits 1 if any file is not. --profile times the steps of Portal.submit in-process.
The corpus (tests.support.corpus) gives each workbook its own variant of the spec, so every import
also checks the spec the file carries; files filled from this server's own template skip that.
Target on the 2-core machine: >= 30 files/s and p95 < 500 ms, memory flat.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from campaign_sheets.portal import db  # noqa: E402
from tests.support.corpus import make_corpus  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_corpus(folder: Path, n: int, broken: int, rounds: int) -> list[list[Path]]:
    """One sub-folder of `n` workbooks + `broken` unreadable files per round (another seed each)."""
    for r in range(rounds):
        if not any((folder / f"round-{r}").glob("*.xlsx")):
            make_corpus(folder / f"round-{r}", n, seed=r * n, broken=broken)
    return [sorted((folder / f"round-{r}").glob("*.xlsx")) for r in range(rounds)]


# -- the server's processes, from /proc -----------------------------------------------------------
def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    out, todo = [], [pid]
    while todo:
        out.append(p := todo.pop())
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
        except OSError:
            pass
    return out


def rss_mib(pid: int) -> float:
    try:
        return next(int(x.split()[1]) for x in open(f"/proc/{pid}/status") if x.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of `pid` so far."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far (all cores)."""
    ticks = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    tck = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / tck, sum(ticks) / tck


class Sampler(threading.Thread):
    """RSS of a process tree every `every` seconds until stopped."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self.stop = pid, every, [], threading.Event()

    def run(self) -> None:
        while True:
            self.samples.append(sum(rss_mib(p) for p in tree(self.pid)))
            if self.stop.wait(self.every):
                return


def start_server(db_url: str, folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "campaign_sheets", "serve", "--db", db_url, "--store", str(folder / "store"),
           "--port", str(port), "--workers", str(workers)]
    log = folder / "serve.log"
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                settle(proc.pid, workers)
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"serve did not answer /healthz:\n{log.read_text()[-2000:]}")


def settle(pid: int, workers: int, limit: float = 60) -> None:
    """Wait until every worker has started (the first one up answers /healthz before the others
    listen, and would otherwise take every keep-alive connection): all there and no CPU for 0.5 s."""
    deadline, last, expected = time.monotonic() + limit, None, workers + (workers > 1)   # + the supervisor
    while time.monotonic() < deadline:
        used = sum(cpu_s(p) for p in tree(pid))
        if last is not None and used - last < 0.02 and len(tree(pid)) >= expected:
            return
        last = used
        time.sleep(0.5)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)   # uvicorn's graceful stop; its workers follow
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)   # the process group this script started
        proc.wait()


def submit_all(base: str, paths: list[Path], clients: int, keepalive: bool = True):
    """POST every file once from `clients` threads: (wall s, latencies s, answer per file, failures)."""
    blobs = {p: p.read_bytes() for p in paths}   # read before the clock starts
    work: queue.Queue[Path] = queue.Queue()
    for p in paths:
        work.put(p)
    latencies, answers, failures, lock = [], {}, [], threading.Lock()
    limits = httpx.Limits() if keepalive else httpx.Limits(max_keepalive_connections=0)

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120, limits=limits) as http:
            while not work.empty():
                try:
                    p = work.get_nowait()
                except queue.Empty:
                    return
                t0 = time.perf_counter()
                try:
                    r = http.post("/api/submissions", files={"file": (p.name, blobs[p], XLSX)})
                    failure = None if r.status_code == 201 else f"{p.name}: {r.status_code} {r.text[:200]}"
                except httpx.HTTPError as exc:
                    failure = f"{p.name}: {exc!r}"
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    if failure:
                        failures.append(failure)
                    else:
                        answers[p] = r.json()["submissions"][0]

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, answers, failures


def account(db_url: str, paths: list[Path], answers: dict[Path, dict]) -> list[str]:
    """What is wrong with the database's record of `paths` (nothing: every file accounted for)."""
    engine, s = db.make_engine(db_url), db.submissions
    with engine.connect() as conn:
        rows = {r.sha256: r for r in conn.execute(sa.select(s.c.id, s.c.sha256, s.c.accepted, s.c.status, s.c.code,
                                                                 s.c.campaign_id))}
    engine.dispose()
    problems, shas = [], set()
    for p in paths:
        shas.add(sha := hashlib.sha256(p.read_bytes()).hexdigest())
        row, answer, broken = rows.get(sha), answers.get(p), p.name.startswith("broken-")
        if row is None:
            problems.append(f"{p.name}: no row")
        elif answer is None or answer["submission_id"] != row.id:
            problems.append(f"{p.name}: answered {answer and answer['submission_id']}, row {row.id}")
        elif broken and (row.accepted or row.status != "rejected" or not row.code):
            problems.append(f"{p.name}: broken but {row.status}, code {row.code}")
        elif not broken and (not row.accepted or not row.campaign_id):
            problems.append(f"{p.name}: {row.status}, campaign {row.campaign_id}")
    if len(rows) != len(shas):
        problems.append(f"{len(rows)} rows for {len(shas)} distinct files")
    return problems


def run(label: str, db_url: str, rounds: list[list[Path]], clients: int, workers: int, keepalive: bool = True) -> dict:
    """Serve `db_url` ({tmp}: a temporary folder), submit every round, check the database: the figures."""
    tmp = Path(tempfile.mkdtemp(prefix="cs-bench-serve-"))
    url = db_url.replace("{tmp}", str(tmp))
    try:
        proc, base = start_server(url, tmp, workers)
        sampler = Sampler(proc.pid)
        sampler.start()
        wall, lat, answers, failures = 0.0, [], {}, []
        cpu0, mine0, machine0 = {p: cpu_s(p) for p in tree(proc.pid)}, time.process_time(), machine_cpu()
        try:
            for paths in rounds:
                w, l_, a, f = submit_all(base, paths, clients, keepalive)
                wall, lat, failures = wall + w, lat + l_, failures + f
                answers.update(a)
            cpu = {p: cpu_s(p) - cpu0.get(p, 0.0) for p in tree(proc.pid)}
            mine, machine = time.process_time() - mine0, [b - a for a, b in zip(machine0, machine_cpu())]
        finally:
            sampler.stop.set()
            sampler.join()
            stop_server(proc)
        every = [p for paths in rounds for p in paths]
        problems = failures + account(url, every, answers)
        rss, lat = sampler.samples, sorted(x * 1000 for x in lat)
        q = max(1, len(rss) // 4)
        return {"label": label, "files": len(every), "clients": clients, "workers": workers, "wall": wall,
                "rate": len(every) / wall, "p50": statistics.median(lat), "p95": lat[int(0.95 * (len(lat) - 1))],
                "max": lat[-1], "rss": [rss[int(f * (len(rss) - 1))] for f in (0.1, 0.5, 1.0)],
                "growth": statistics.mean(rss[-q:]) / statistics.mean(rss[:q]) - 1,
                "cpu": sorted((c for c in cpu.values() if c > 0.05), reverse=True), "client_cpu": mine,
                "busy": machine[0] / wall, "cores": os.cpu_count() or 1, "problems": problems,
                "accounted": len(every) - len({pr.split(":")[0] for pr in problems if ":" in pr})}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def pg_database():
    """The URL of a new database on the local PostgreSQL server, dropped afterwards (None: no server)."""
    try:
        import psycopg

        admin = psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - no server here: PostgreSQL is skipped
        print(f"PostgreSQL skipped: no server at {PG} ({exc})")
        yield None
        return
    name = f"cs_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG.replace('postgresql', 'postgresql+psycopg')}/{name}"
    finally:
        admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def profile(paths: list[Path], count: int = 20) -> None:
    """Median time of each step of Portal.submit (the same calls), in this process, on SQLite."""
    import datetime as dt

    from campaign_sheets.portal.service import Portal
    from campaign_sheets.portal.store import sha256_of
    from campaign_sheets.portfolio.summary import reduce
    from campaign_sheets.read.importer import import_workbook
    from campaign_sheets.report import file_entry

    names = ("sha + lookup", "store file", "import_workbook", "reduce", "file_entry", "record (DB insert)")
    steps: list[list[float]] = [[] for _ in names]
    with tempfile.TemporaryDirectory() as tmp:
        portal, today = Portal.open(f"sqlite:///{tmp}/p.db", Path(tmp) / "store"), dt.date.today()
        for i, p in enumerate([p for p in paths if not p.name.startswith("broken-")][:count + 1]):
            t = [time.perf_counter()]
            portal.by_sha(sha := sha256_of(p))
            t.append(time.perf_counter())
            stored = portal.store.put_file(p, sha)
            t.append(time.perf_counter())
            result = import_workbook(stored, lang=None, default_lang="en", limits=portal.limits, today=today,
                                     errors="report")
            t.append(time.perf_counter())
            summary = reduce(result, today, None)
            t.append(time.perf_counter())
            entry = file_entry(result.report, result.meta, unreadable=result.unreadable is not None)
            t.append(time.perf_counter())
            portal.record(sha, stored, p.name, summary, entry, "bench")
            t.append(time.perf_counter())
            if i == 0:
                continue   # the first file warms up imports and the spec cache
            for k in range(len(names)):
                steps[k].append(t[k + 1] - t[k])
        portal.engine.dispose()
    medians = [statistics.median(s) for s in steps]
    total = sum(medians)
    print(f"\nPortal.submit in-process, one thread, SQLite, median of {len(steps[0])} workbooks:")
    for name, m in zip(names, medians):
        print(f"  {name:<20}{m * 1000:8.1f} ms {m / total:6.1%}")
    print(f"  {'total':<20}{total * 1000:8.1f} ms  -> at most {(os.cpu_count() or 1) / total:.0f} files/s on "
          f"{os.cpu_count()} cores if HTTP cost nothing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=195, help="workbooks per round")
    parser.add_argument("--broken", type=int, default=5, help="broken files per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="serve --workers (each checks uploads in a pool of --jobs processes)")
    parser.add_argument("--rounds", type=int, default=1, help="corpora submitted one after another (new bytes each)")
    parser.add_argument("--keep", type=Path, default=None, help="keep (or reuse) the corpus in this folder")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--no-keepalive", action="store_true", help="a new connection for every request")
    parser.add_argument("--profile", action="store_true", help="also time the steps of Portal.submit in-process")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="cs-serve-corpus-"))
    t0 = time.perf_counter()
    rounds = build_corpus(folder, args.n, args.broken, args.rounds)
    print(f"corpus: {args.rounds} x ({args.n} workbooks + {args.broken} broken) in {time.perf_counter() - t0:.0f}s"
          f" -> {folder}")
    setup, results = (args.clients, args.workers, not args.no_keepalive), []
    try:
        if not args.skip_sqlite:
            results.append(run("SQLite", "sqlite:///{tmp}/portal.db", rounds, *setup))
        if not args.skip_pg:
            with pg_database() as url:
                if url:
                    results.append(run("PostgreSQL", url, rounds, *setup))
        if args.profile:
            profile(rounds[0])
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\n{'database':<11}{'files':>6}{'clients':>8}{'workers':>8}{'wall s':>8}{'files/s':>8}{'p50 ms':>8}"
          f"{'p95 ms':>8}{'max ms':>8}  {'RSS MiB 10/50/100%':<19}{'growth':>7}  accounted")
    for r in results:
        rss = "/".join(f"{x:.0f}" for x in r["rss"])
        print(f"{r['label']:<11}{r['files']:>6}{r['clients']:>8}{r['workers']:>8}{r['wall']:>8.1f}{r['rate']:>8.1f}"
              f"{r['p50']:>8.0f}{r['p95']:>8.0f}{r['max']:>8.0f}  {rss:<19}{r['growth']:>+7.1%}  "
              f"{r['accounted']}/{r['files']}")
    for r in results:
        n, server = r["files"], sum(r["cpu"])
        missed = [m for m, ok in (("30 files/s", r["rate"] >= 30), ("p95 < 500 ms", r["p95"] < 500),
                                  ("memory flat", r["growth"] < 0.15)) if not ok]
        print(f"{r['label']}: target {'met' if not missed else 'missed: ' + ', '.join(missed)}; "
              f"server CPU {server * 1000 / n:.0f} ms/file, by process {', '.join(f'{c:.1f}' for c in r['cpu'])} s; "
              f"cores busy: server {server / r['wall']:.2f}, clients {r['client_cpu'] / r['wall']:.2f}, "
              f"machine {r['busy']:.2f} of {r['cores']}")
        for pr in r["problems"][:20]:
            print(f"  ! {pr}")
    sys.exit(1 if any(r["problems"] for r in results) else 0)


if __name__ == "__main__":
    main()
