import os

import pytest

from tests.support.libreoffice import soffice_path


def pytest_collection_modifyitems(config, items):
    if soffice_path():
        return
    if os.environ.get("CI") == "true":
        return  # in CI the LibreOffice tests must run; they fail loudly if soffice is missing
    skip = pytest.mark.skip(reason="LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)
