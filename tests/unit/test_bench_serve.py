"""benchmarks/bench_serve.py's core on a tiny corpus: a real `serve` process, every file accounted for.

Not a speed test: the figures are the benchmark's to print; here only that the benchmark counts right.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.support.corpus import make_corpus

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_serve", ROOT / "benchmarks" / "bench_serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_file_of_a_tiny_corpus_is_accounted_for_over_http(tmp_path):
    bench = _bench()
    paths = sorted(p for p in make_corpus(tmp_path / "corpus", 4, broken=2))   # 6 files, 2 of them broken
    r = bench.run("SQLite", "sqlite:///{tmp}/portal.db", [paths], clients=2, workers=1)
    assert r["problems"] == []
    assert r["accounted"] == r["files"] == 6
    assert r["rate"] > 0 and r["p50"] <= r["p95"] <= r["max"] and all(x > 0 for x in r["rss"])


def test_a_file_missing_from_the_database_is_reported(tmp_path):
    from campaign_sheets.portal import db

    bench = _bench()
    paths = make_corpus(tmp_path / "corpus", 2, broken=1)
    url = f"sqlite:///{tmp_path}/empty.db"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    problems = bench.account(url, paths, {})
    assert sorted(p.split(":")[0] for p in problems if p.endswith("no row")) == sorted(p.name for p in paths)
    assert "0 rows for 3 distinct files" in problems
