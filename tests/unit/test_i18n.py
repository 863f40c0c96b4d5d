"""The one catalogue of user-facing texts, and the one registry of issue codes."""
import re
import string

import pytest

from campaign_sheets import i18n
from campaign_sheets.codes import CODES
from campaign_sheets.i18n import CATALOG, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_text_exists_in_both_languages_with_the_same_placeholders(key):
    entry = CATALOG[key]
    assert set(entry) == {"zh-CN", "en"}, key
    assert _fields(entry["zh-CN"]) == _fields(entry["en"]), key
    if entry["en"]:   # a few texts are deliberately empty in both (e.g. file.kind.none)
        assert entry["zh-CN"], key


def test_no_text_is_defined_in_two_areas():
    total = sum(len(area.TEXTS) for area in (i18n.workbook, i18n.issues, i18n.files, i18n.errors, i18n.cli, i18n.spec, i18n.reports, i18n.portfolio, i18n.brief, i18n.portal, i18n.portal_auth, i18n.portal_pages))
    assert total == len(CATALOG)


def test_every_registered_code_has_its_message_in_both_languages():
    for code, entry in CODES.items():
        assert entry.message_key in CATALOG, code
        assert t(entry.message_key, "en") != t(entry.message_key, "zh-CN"), code
        assert re.fullmatch(r"[a-z][a-z0-9-]*", code)


def test_missing_parameters_show_as_placeholders_and_languages_normalise():
    assert t("cli.built", "en", path="a.xlsx") == "Wrote a.xlsx ({sheets} sheets, language {lang})"
    assert t("total", "zh_CN") == t("total", "zh-CN") == "合计"
    assert t("total", "fr") == "Total"


def test_no_key_is_written_twice_in_one_area():
    """A dict literal keeps the last of two equal keys without a word: read the sources."""
    import ast
    import inspect

    for area in (i18n.workbook, i18n.issues, i18n.files, i18n.errors, i18n.cli, i18n.spec, i18n.reports, i18n.portfolio, i18n.brief, i18n.portal, i18n.portal_auth, i18n.portal_pages):
        texts = next(node.value for node in ast.parse(inspect.getsource(area)).body
                     if isinstance(node, ast.AnnAssign) and node.target.id == "TEXTS")
        keys = [k.value for k in texts.keys]
        assert len(keys) == len(set(keys)) == len(area.TEXTS), area.__name__
