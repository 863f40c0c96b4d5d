"""campaign-sheets: build, import and roll up marketing-campaign workbooks from YAML specs."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import build_workbook, load_spec  # noqa: E402

__all__ = ["build_workbook", "load_spec", "__version__"]
