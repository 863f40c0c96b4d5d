"""XML checks on the checked parts: no part's prolog may declare a DOCTYPE or ENTITY (where billion
laughs and XXE live), and the two parts the check reads itself, xl/workbook.xml and its
relationships, are parsed with expat, any DTD refused."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any
from xml.parsers import expat

from campaign_sheets.errors import WorkbookFileError

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_BYTES = 4096   # a prolog longer than this is refused
_PLAIN_PROLOG = re.compile(rb"<\?xml[^?]*\?>[ \t\r\n]*<[A-Za-z_]")
WORKBOOK, WORKBOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"


def check_prologs(parts: dict[str, bytes], sheet_parts: Collection[str], path: Path, lang: str) -> None:
    """xml-entities for the first XML part whose prolog is not plainly safe (see `prolog_is_safe`).
    A part is XML if it is a worksheet (whatever its name), is named so, or starts like XML."""
    for name, data in parts.items():
        if data and (name in sheet_parts or name.lower().endswith(_XML_SUFFIXES) or _looks_xml(data)):
            if not prolog_is_safe(data[:_PROLOG_BYTES], complete=len(data) < _PROLOG_BYTES):
                raise WorkbookFileError.of("xml-entities", path, lang, part=name)


def _looks_xml(data: bytes) -> bool:
    """An XML declaration at the start, in any encoding."""
    text = data[:64].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    return text.startswith(b"<?xml") or text.startswith(b"<!")


def prolog_is_safe(head: bytes, complete: bool) -> bool:
    """True when an XML part's prolog has no DOCTYPE/ENTITY and its root element starts in `head`
    (or `head` is the `complete` part and holds nothing but a prolog).

    The usual head (no NUL, no '<!', an XML declaration, whitespace and the root element) is accepted
    at once: `_prolog_walk` would accept it too."""
    if b"\x00" not in head and b"<!" not in head and _PLAIN_PROLOG.match(head):
        return True
    return _prolog_walk(head, complete)


def _prolog_walk(head: bytes, complete: bool) -> bool:
    """`prolog_is_safe` for any head. NUL bytes are dropped first so UTF-16/UTF-32 text collapses
    to ASCII and the markers still match."""
    text = head.replace(b"\x00", b"")
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    elif text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text[2:]
    upper = text.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return False
    i, n = 0, len(text)
    while i < n:   # the declaration, PIs, comments, whitespace, then the root element
        if text[i] in b" \t\r\n":
            i += 1
        elif text.startswith(b"<?", i):
            j = text.find(b"?>", i + 2)
            if j < 0:
                return False
            i = j + 2
        elif text.startswith(b"<!--", i):
            j = text.find(b"-->", i + 4)
            if j < 0:
                return False
            i = j + 3
        elif text.startswith(b"<", i) and i + 1 < n and (text[i + 1:i + 2].isalpha() or text[i + 1] == 0x5F):
            return True
        else:
            return False   # any other declaration, stray text, or a prolog longer than the head
    return complete   # only a prolog: harmless if that is the whole part, suspicious if more follows


class _Enough(Exception):
    """Raised by an element handler once the parse has read what it needs."""


class _DoctypeFound(Exception):
    """A DTD, where entity bombs and external entities live."""


def _parse(data: bytes, name: str, path: Path, lang: str, on_start: Callable[[str, int, dict[str, str]], None],
           stop_after: str | None = None) -> None:
    """Feed part `name` to expat, calling on_start(local name, depth, attributes) for each element
    (root at depth 1; namespaced attribute names are 'uri}local') until the end tag `stop_after`.

    Any DTD is xml-entities, as with defusedxml's forbid_dtd; malformed XML is corrupt-workbook."""
    depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        on_start(tag.rpartition("}")[2], depth, attrs)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        if stop_after is not None and tag.rpartition("}")[2] == stop_after:
            raise _Enough

    expat_parse(data, name, path, lang, start, end)


def expat_parse(data: bytes, name: str, path: Path, lang: str, start: Callable[[str, dict[str, str]], None],
                end: Callable[[str], None]) -> None:
    """Part `name` through expat with the handlers (tags as 'uri}local'), any DTD refused as
    xml-entities, malformed XML as corrupt-workbook; a handler stops the parse early by raising
    `_Enough`. The one hardened parser of the guard (xlsx parts and ODS content alike)."""
    def refuse(*_args: Any) -> None:
        raise _DoctypeFound

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Enough:
        pass
    except _DoctypeFound:
        raise WorkbookFileError.of("xml-entities", path, lang, part=name) from None
    except Exception as exc:  # noqa: BLE001 - ExpatError, and whatever odd bytes make expat raise
        raise WorkbookFileError.of("corrupt-workbook", path, lang, reason="xml", part=name, detail=str(exc)) from None


def workbook_facts(data: bytes, path: Path, lang: str) -> tuple[bool, list[tuple[str, str]]]:
    """(date1904, [(sheet name, r:id)]) from xl/workbook.xml, parsed up to </sheets>."""
    date1904 = False
    sheets: list[tuple[str, str]] = []

    def on_start(tag: str, _depth: int, attrs: dict[str, str]) -> None:
        nonlocal date1904
        if tag == "workbookPr":
            date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")
        elif tag == "sheet":
            sheets.append((attrs.get("name", ""), next((v for k, v in attrs.items() if k.endswith("}id")), "")))

    _parse(data, WORKBOOK, path, lang, on_start, stop_after="sheets")
    return date1904, sheets


def workbook_rels(data: bytes, path: Path, lang: str) -> dict[str, tuple[str, str]]:
    """r:id -> (type, part name) from xl/_rels/workbook.xml.rels."""
    out: dict[str, tuple[str, str]] = {}

    def on_start(_tag: str, depth: int, rel: dict[str, str]) -> None:
        if depth != 2 or rel.get("TargetMode", "").lower() == "external":
            return
        target = rel.get("Target", "")
        # as calamine resolves it (no normalisation of '..'); it then looks the name up ignoring case
        part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else "xl/" + target
        out[rel.get("Id", "")] = (rel.get("Type", ""), part)

    _parse(data, WORKBOOK_RELS, path, lang, on_start)
    return out
