"""campaign-sheets: build, import and roll up marketing-campaign workbooks from YAML specs.

The public API. Names are imported on first use, so building a workbook never loads what only
reading or rolling up needs (pandas, calamine).

    from campaign_sheets import build_workbook, load_spec, import_workbook, rollup
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "build_workbook": "campaign_sheets.build",
    "load_spec": "campaign_sheets.spec.loader",
    "LoadedSpec": "campaign_sheets.spec.loader",
    "import_workbook": "campaign_sheets.read.importer",
    "ImportResult": "campaign_sheets.read.result",
    "rollup": "campaign_sheets.portfolio.run",
    "Options": "campaign_sheets.portfolio.run",
    "Limits": "campaign_sheets.read.guard",
    "Issue": "campaign_sheets.report",
    "Report": "campaign_sheets.report",
    "CampaignSheetsError": "campaign_sheets.errors",
    "SpecError": "campaign_sheets.errors",
    "SpecNotFound": "campaign_sheets.errors",
    "WorkbookFileError": "campaign_sheets.errors",
    "OutputError": "campaign_sheets.errors",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'campaign_sheets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
