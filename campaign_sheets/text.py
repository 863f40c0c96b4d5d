"""Text as people leave it in cells, cleaned: invisible characters gone, full-width forms folded.

Used wherever typed text is compared: reading values, matching headers and dropdown labels.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u00ad"
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), *range(0x7f, 0xa0)])
_KEEP_TABLE: dict[int, Any] = {ord(c): None for c in _ZERO_WIDTH + _CONTROLS}
_KEEP_TABLE.update({0xa0: " ", 0x2007: " ", 0x202f: " ", 0x2028: "\n", 0x2029: "\n", ord("\r"): "\n"})
# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space -> space, ￥ -> ¥: exactly what
# NFKC does for these characters, without NFKC's other rewrites (², ①, ™, ligatures ...).
_FOLD_TABLE = dict(_KEEP_TABLE)
_FOLD_TABLE.update({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
_FOLD_TABLE.update({0x3000: " ", 0xFFE5: "¥", 0xFFE0: "¢", 0xFFE1: "£", 0x2212: "-"})
# Any character a table changes: text without one only needs trimming (a regex scan is ~10x
# faster than str.translate on longer text).
_KEEP_DIRTY = re.compile("[" + re.escape("".join(map(chr, _KEEP_TABLE))) + "]")
_FOLD_DIRTY = re.compile("[" + re.escape("".join(map(chr, _FOLD_TABLE))) + "]")


def _display(raw: Any) -> str:
    """A non-text cell value as Excel would show it in a General cell."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return format(raw, ".15g") if math.isfinite(raw) else ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    if type(raw).__name__ in ("NaTType", "NAType"):  # pandas blanks
        return ""
    return str(raw)


def clean_text(raw: Any, *, fold: bool = True) -> str:
    """`raw` as trimmed text without invisible characters.

    Removes zero-width characters and control characters (keeping \\n and \\t), turns NBSP into a
    space and CR/CRLF into \\n, trims whitespace (incl. NBSP and U+3000) at both ends. With
    `fold` (the default) full-width ASCII letters, digits and punctuation become ASCII (NFKC for
    that block only). Non-text values are shown as Excel would: 12.0 -> '12', True -> 'TRUE'.
    """
    if raw is None:
        return ""
    if type(raw) is not str:
        raw = _display(raw)
    if raw.isascii() and raw.isprintable():
        return raw.strip()
    if (_FOLD_DIRTY if fold else _KEEP_DIRTY).search(raw) is None:
        return raw.strip()
    if "\r\n" in raw:
        raw = raw.replace("\r\n", "\n")
    return raw.translate(_FOLD_TABLE if fold else _KEEP_TABLE).strip()



def closest(word: str, options: list[str]) -> str | None:
    """The option `word` was most likely meant to be (for "did you mean"), or None."""
    import difflib

    found = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return found[0] if found else None


__all__ = ["clean_text", "closest"]


def display_width(text: str) -> int:
    """Columns a text takes on a terminal or in a spreadsheet: a wide (CJK, full-width) character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
