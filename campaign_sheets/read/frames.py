"""Typed columns as pandas DataFrames: the only part of reading that needs pandas."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


_STR = pd.array([], dtype="str").dtype   # the default string dtype, resolved once (lookups cost as much as small arrays)


def column_array(values: list, kind: str) -> Any:
    """One typed column, built directly (astype on a finished frame is several times slower)."""
    if kind == "float64":
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
    if kind == "Int64":
        mask = np.array([v is None for v in values], dtype=bool)
        return pd.arrays.IntegerArray(np.array([0 if v is None else int(round(v)) for v in values], dtype="int64"), mask)
    if kind == "boolean":
        mask = np.array([v is None for v in values], dtype=bool)
        return pd.arrays.BooleanArray(np.array([bool(v) for v in values], dtype=bool), mask)
    if kind == "datetime64[ns]":
        # millisecond resolution: Excel's whole date range (to 9999-12-31) fits, unlike ns (2262)
        return np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "ms") for v in values],
                        dtype="datetime64[ms]")
    if kind == "string":
        return pd.array([None if v is None else str(v) for v in values], dtype=_STR)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def frame(columns: list[tuple[str, str, list]], n: int, campaign_id: str, file: str) -> pd.DataFrame:
    """A table's typed columns as a DataFrame, tagged with campaign and file."""
    data: dict[str, Any] = {
        "campaign_id": column_array([campaign_id] * n, "string"),
        "source_file": column_array([file] * n, "string"),
    }
    for name, kind, values in columns:
        try:
            data[name] = column_array(values, kind)
        except (TypeError, ValueError, OverflowError):
            data[name] = column_array(values, "object")
    # DataFrame(dict) re-checks and re-wraps every column (about 0.3 ms a table); these columns are
    # already typed and of one length, so assemble them directly where pandas offers the way
    try:
        return pd.DataFrame._from_arrays(list(data.values()), columns=pd.Index(list(data)), index=pd.RangeIndex(n),
                                         verify_integrity=False)
    except (AttributeError, TypeError):   # pragma: no cover - a pandas without the (private) constructor
        return pd.DataFrame(data)


def campaign_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The campaign facts of several files, one row each (see `result.campaign_facts`)."""
    from .result import CAMPAIGN_FACTS

    kinds = {"start": "datetime64[ns]", "end": "datetime64[ns]", "budget": "float64", "version": "Int64"}
    return pd.DataFrame({name: column_array([r.get(name) for r in rows], kinds.get(name, "string"))
                         for name in CAMPAIGN_FACTS}, columns=list(CAMPAIGN_FACTS))


__all__ = ["frame", "column_array", "campaign_frame"]
