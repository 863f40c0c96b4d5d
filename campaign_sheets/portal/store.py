"""Original bytes, content-addressed: `<dir>/ab/<sha256>.xlsx`; the same bytes are stored once.

A file's name as sent is metadata in the database, never part of a path here.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..outputs import atomic_path

_SHA = re.compile(r"^[0-9a-f]{64}$")
_KIND = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")


class FileStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str, kind: str = "xlsx") -> Path:
        if not _SHA.match(sha256) or not _KIND.match(kind):
            raise ValueError("not a content address")
        return self.root / sha256[:2] / f"{sha256}.{kind}"

    def put_file(self, source: Path, sha256: str) -> Path:
        """Move a received temporary file into place (kept if the same bytes are already there)."""
        target = self.path(sha256)
        if not target.exists():
            with atomic_path(target) as tmp:
                tmp.write_bytes(source.read_bytes())
        return target

    def put_derived(self, sha256: str, kind: str, data: bytes) -> Path:
        """Something made from a stored file (an annotated copy): written once, atomically."""
        target = self.path(sha256, kind)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        return target


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


__all__ = ["FileStore", "sha256_of"]
