"""Drive LibreOffice Calc headless: recalculate-and-save and convert to PDF.

Used by the tests (the real client is a spreadsheet application) and the picture script.
A private profile forces recalculation on load: by default Calc keeps the cached values
that a writer stored, which would hide a broken formula.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile() -> Path:
    root = Path(tempfile.gettempdir()) / f"campaign-sheets-lo-profile-{os.getuid()}"
    xcu = root / "user" / "registrymodifications.xcu"
    if not xcu.exists():
        xcu.parent.mkdir(parents=True, exist_ok=True)
        xcu.write_text(_PROFILE_XCU, encoding="utf-8")
    return root


def convert(src: str | os.PathLike, outdir: str | os.PathLike, to: str = "xlsx", timeout: int = 180) -> Path:
    """Open `src` in Calc (recalculating every formula) and save it as `to` in `outdir`."""
    exe = soffice_path()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore",
           "--convert-to", to, "--outdir", str(outdir), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    out = outdir / (Path(src).stem + "." + to.split(":")[0])
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"LibreOffice failed on {src}: {proc.stdout}{proc.stderr}")
    return out
