import os
import shutil
from pathlib import Path

import pytest

from tests.support.libreoffice import soffice_path
from tests.support.poi import HOW as POI_HOW, poi_ready

JS_READERS = Path(__file__).resolve().parent / "js"


def js_readers_ready() -> bool:
    return shutil.which("node") is not None and (JS_READERS / "node_modules" / "exceljs").is_dir()


# marker -> (available?, how to get it); in CI these tests must run and fail loudly when the tool is missing
_NEEDS = {
    "libreoffice": (lambda: soffice_path() is not None,
                    "LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui"),
    "gnumeric": (lambda: shutil.which("ssconvert") is not None,
                 "Gnumeric (ssconvert) not installed: apt-get install gnumeric"),
    "jsreaders": (js_readers_ready, "ExcelJS/SheetJS not installed: npm ci --prefix tests/js (needs Node.js)"),
    "poi": (poi_ready, POI_HOW),
}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CI") == "true":
        return
    for marker, (ready, how) in _NEEDS.items():
        if ready():
            continue
        skip = pytest.mark.skip(reason=how)
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)
