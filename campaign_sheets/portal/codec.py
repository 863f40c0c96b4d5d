"""A FileSummary as JSON and back: what the database keeps so the portfolio is the rollup's own merge."""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..portfolio.summary import FileSummary
from ..spec.roles import RoleProblem


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "$date":
                return dt.date.fromisoformat(inner)
            if key == "$datetime":
                return dt.datetime.fromisoformat(inner)
            if key == "$float":
                return float(inner)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """A value as JSON for a `data` column or the API: dates as ISO text, no NaN."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def dump(s: FileSummary) -> dict[str, Any]:
    return _encode({"path": s.path, "status": s.status, "code": s.code, "message": s.message, "counts": s.counts,
                    "campaign": s.campaign, "tables": s.tables, "labels": s.labels,
                    "notes": [[template, p.role, p.key, p.value] for template, p in s.notes]})


def load(data: dict[str, Any]) -> FileSummary:
    d = _decode(data)
    return FileSummary(path=d["path"], status=d["status"], code=d["code"], message=d["message"], counts=d["counts"],
                       campaign=d["campaign"], tables=d["tables"], labels=d["labels"],
                       notes=[(template, RoleProblem(role, key, value)) for template, role, key, value in d["notes"]])


__all__ = ["dump", "load", "plain"]
