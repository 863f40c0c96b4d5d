"""Every user-facing text of the package, in zh-CN and en, behind one function: `t`.

The texts live in this package, one module per area (workbook, issues, files, errors, cli, portfolio,
spec, reports, brief); spec files carry their own texts. Keys are dotted and stable: `issue.<code>` and
`hint.<code>` for validation issues, `file.<code>` for unreadable files, `cli.*`, `spec.*`,
`rollup.*`, `annotate.*` and plain keys for workbook chrome.
"""
from __future__ import annotations

import os

from . import brief, cli, errors, files, issues, portal, portal_auth, portal_pages, portfolio, reports, spec, workbook

LANGS = ("zh-CN", "en")
DEFAULT_LANG = "zh-CN"


def _merge() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for area in (workbook, issues, files, errors, cli, spec, reports, portfolio, brief, portal, portal_auth, portal_pages):
        for key, entry in area.TEXTS.items():
            if key in out:
                raise ValueError(f"text {key!r} is defined twice")  # caught by the tests, never at run time
            out[key] = entry
    return out


CATALOG: dict[str, dict[str, str]] = _merge()


class _Params(dict):
    """Format parameters where a missing one shows as its placeholder instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def norm_lang(lang: str | None) -> str:
    """'zh', 'zh_CN', 'zh-Hans'... -> 'zh-CN'; anything else -> 'en'."""
    if lang and lang.lower().replace("_", "-").startswith("zh"):
        return "zh-CN"
    return "en"


def has(key: str) -> bool:
    return key in CATALOG


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The text `key` in `lang` (zh-CN or en; default zh-CN), formatted with `params`. Where `count`
    (else `days`) is 1 and the catalogue has `<key>_one`, that text: "1 day late", not "1 days late"."""
    if params.get("count", params.get("days")) == 1 and key + "_one" in CATALOG:
        key += "_one"
    entry = CATALOG[key]
    text = entry.get(norm_lang(lang) if lang else DEFAULT_LANG) or entry["en"]
    return text.format_map(_Params(params)) if params else text


def cli_lang(explicit: str | None = None) -> str:
    """The language for messages: --lang, then CAMPAIGN_SHEETS_LANG, then LANG, then zh-CN."""
    if explicit:
        return explicit
    env = os.environ.get("CAMPAIGN_SHEETS_LANG")
    if env in LANGS:
        return env
    if os.environ.get("LANG", "").startswith("en"):
        return "en"
    return DEFAULT_LANG


__all__ = ["t", "has", "cli_lang", "norm_lang", "CATALOG", "LANGS", "DEFAULT_LANG"]
