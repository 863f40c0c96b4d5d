"""The same per-file function mapped over a (local) Dask cluster gives the same rollup."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.support.corpus import make_corpus
from campaign_sheets.portfolio.run import Options, rollup

pytest.importorskip("distributed", reason="the dask extra is not installed: pip install 'campaign-sheets[dask]'")


def test_dask_local_cluster_matches_local_run(tmp_path):
    make_corpus(tmp_path, 4, seed=300, broken=1)
    opts = Options(today=dt.date(2026, 6, 20))
    on_dask = rollup([str(tmp_path)], options=opts, dask="local")
    local = rollup([str(tmp_path)], options=opts, jobs=1)
    assert on_dask.counts() == local.counts() == {"clean": 0, "warnings": 4, "errors": 0, "rejected": 1,
                                                  "not_campaign": 0, "superseded": 0, "found": 5, "campaigns": 4}
    a, b = on_dask.frames(), local.frames()
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key], obj=key)
    assert on_dask.labels == local.labels and on_dask.labels["scenario"]   # the labels travel with the summaries
