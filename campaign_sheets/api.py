"""The public Python API: thin functions over the modules that do the work."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .build.layout import plan_layout
from .build.writer import write_workbook
from .spec.loader import LoadedSpec, load_spec

DEFAULT_SPEC = "campaign"


def build_workbook(spec: str | os.PathLike | LoadedSpec = DEFAULT_SPEC, path: str | os.PathLike = "campaign.xlsx",
                   *, lang: str = "zh-CN", example: bool = False, spec_dir: list[str] | None = None,
                  as_of: dt.date | None = None) -> Path:
    """Build the workbook for `spec` (a shipped name, a path or a loaded spec) at `path`."""
    loaded = spec if isinstance(spec, LoadedSpec) else load_spec(str(spec), spec_dir=spec_dir, lang=lang)
    if lang not in loaded.spec.locales:
        from .errors import SpecError, SpecProblem

        raise SpecError([SpecProblem(loaded.path, None, "locales", f"this spec has no '{lang}' (has: {', '.join(loaded.spec.locales)})")])
    layout = plan_layout(loaded, lang, example, as_of)
    return write_workbook(layout, path)


__all__ = ["build_workbook", "load_spec", "LoadedSpec"]
