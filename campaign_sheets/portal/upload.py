"""Receive `multipart/form-data` uploads as a stream: each file into a temporary file, its size limit
enforced as the bytes arrive (a 2 GB upload is refused after 20 MiB, not after it is on disk)."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.requests import Request


class UploadRefused(Exception):
    """An upload the portal will not take: `code` is a stable key (`too-large`, `too-many-files`, `bad-form`)."""

    def __init__(self, code: str, status: int, **params: object) -> None:
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


@dataclass
class Received:
    filename: str
    path: Path
    size: int = 0


@dataclass
class _State:
    folder: Path
    limit: int
    max_files: int
    field: str
    files: list[Received] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[bytes, bytes] = field(default_factory=dict)
    header_name: bytes = b""
    header_value: bytes = b""
    current: Received | None = None
    handle: object | None = None
    text_name: str | None = None
    text: bytearray = field(default_factory=bytearray)


async def receive_files(request: Request, folder: Path, limit: int, max_files: int = 50,
                        field_name: str = "file") -> tuple[list[Received], dict[str, str]]:
    """The files of field `field_name` (saved under `folder`) and the small text fields of the form."""
    ctype, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UploadRefused("bad-form", 400)
    st = _State(folder, limit, max_files, field_name)
    parser = MultipartParser(boundary, _callbacks(st))
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except UploadRefused:
        _close(st)
        for r in st.files:
            r.path.unlink(missing_ok=True)
        raise
    except Exception:   # a malformed body: the parser's own exceptions vary by version
        _close(st)
        for r in st.files:
            r.path.unlink(missing_ok=True)
        raise UploadRefused("bad-form", 400) from None
    return st.files, st.fields


def _close(st: _State) -> None:
    if st.handle is not None:
        st.handle.close()   # type: ignore[attr-defined]
        st.handle = None


def _callbacks(st: _State) -> dict:
    def on_part_begin() -> None:
        st.headers, st.current, st.text_name = {}, None, None
        st.text = bytearray()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        st.header_name += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        st.header_value += data[start:end]

    def on_header_end() -> None:
        st.headers[st.header_name.lower()] = st.header_value
        st.header_name, st.header_value = b"", b""

    def on_headers_finished() -> None:
        _, opts = parse_options_header(st.headers.get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in opts and name == st.field:
            if len(st.files) >= st.max_files:
                raise UploadRefused("too-many-files", 413, max=st.max_files)
            fd, tmp = tempfile.mkstemp(prefix="upload-", suffix=".bin", dir=st.folder)
            os.close(fd)
            # only the last path component, for display; it never becomes a path on this machine
            raw = opts[b"filename"].decode("utf-8", "replace").replace("\\", "/").rsplit("/", 1)[-1]
            raw = "".join(ch for ch in raw if ch.isprintable())[:255]   # no NUL or control characters in the record
            st.current = Received(raw.strip() or "upload.xlsx", Path(tmp))
            st.files.append(st.current)
            st.handle = open(tmp, "wb")
        elif b"filename" not in opts:
            st.text_name = name

    def on_part_data(data: bytes, start: int, end: int) -> None:
        n = end - start
        if st.current is not None:
            st.current.size += n
            if st.current.size > st.limit:
                raise UploadRefused("too-large", 413, name=st.current.filename, limit=st.limit)
            st.handle.write(data[start:end])   # type: ignore[attr-defined]
        elif st.text_name is not None:
            st.text += data[start:end]
            if len(st.text) > 10_000:
                raise UploadRefused("bad-form", 400)

    def on_part_end() -> None:
        _close(st)
        if st.text_name is not None and len(st.fields) < 20:
            st.fields[st.text_name] = st.text.decode("utf-8", "replace")
        st.current, st.text_name = None, None

    return {"on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
            "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
            "on_part_end": on_part_end}


__all__ = ["receive_files", "Received", "UploadRefused"]
