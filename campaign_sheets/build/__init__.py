"""Build a workbook from a spec: plan it in memory (layout), then write it (writer)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..errors import SpecError, SpecProblem
from ..i18n import t
from ..spec.loader import DEFAULT_SPEC, LoadedSpec, load_spec
from .layout import plan_layout
from .writer import write_workbook


def build_workbook(spec: str | os.PathLike | LoadedSpec = DEFAULT_SPEC, path: str | os.PathLike = "campaign.xlsx",
                   *, lang: str = "zh-CN", example: bool = False, spec_dir: list[str] | None = None,
                   as_of: dt.date | None = None) -> Path:
    """Build the workbook of `spec` (a shipped name, a path or a loaded spec) in `lang` at `path`,
    pre-filled with the spec's worked example if `example`. `as_of` is the TODAY() of cached values."""
    loaded = spec if isinstance(spec, LoadedSpec) else load_spec(str(spec), spec_dir=spec_dir, lang=lang)
    if lang not in loaded.spec.locales:
        message = t("spec.no_locale", lang, lang=lang, locales=", ".join(loaded.spec.locales))
        raise SpecError([SpecProblem(loaded.path, None, "locales", message)], path=loaded.path)
    return write_workbook(plan_layout(loaded, lang, example, as_of), path)


__all__ = ["build_workbook"]
