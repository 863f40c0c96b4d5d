"""Formats told apart by content: what each file is, the code and message it gets (naming the
extension only when name and content disagree), plural forms, and the .xls child's limits."""
from __future__ import annotations

import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from campaign_sheets.cli import main
from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.i18n import t
from campaign_sheets.read.calamine import read_values
from campaign_sheets.read.guard import Limits, check_file, sniff
from campaign_sheets.read.guard.odscheck import ods_extents
from tests.bad_inputs.make_corpus import ODS_HEAD, ODS_ROW, ODS_TAIL, ods_entries, write_raw_zip
from tests.support.ole import cfb

NAMED = " (its name ends in "


def code_and_message(path: Path, lang: str = "en") -> tuple[str, str]:
    with pytest.raises(WorkbookFileError) as info:
        check_file(path, lang=lang)
    return info.value.code, info.value.message


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IEND", b"")


def odf(path: Path, mime: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mime)
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return path


# what each file is, named so (fits) and named .xlsx (disagrees)
KINDS = {
    "doc": (lambda p: p.write_bytes(cfb({"WordDocument": b"\xec\xa5", "1Table": b""})), ".doc",
            "not-a-workbook-document", "This is a Word document", "这是一个 Word 文档"),
    "odt": (lambda p: odf(p, "application/vnd.oasis.opendocument.text"), ".odt",
            "not-a-workbook-document", "This is an OpenDocument text document (.odt)", "这是一个 OpenDocument 文本文档"),
    "odp": (lambda p: odf(p, "application/vnd.oasis.opendocument.presentation"), ".odp",
            "not-a-workbook-presentation", "This is an OpenDocument presentation (.odp)", "这是一个 OpenDocument 演示文稿"),
    "csv": (lambda p: p.write_text("渠道,花费\n搜索,1200\n", encoding="utf-8"), ".csv",
            "not-xlsx-csv", "This is a text (CSV) file", "这是文本（CSV）文件"),
    "pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n"), ".pdf",
            "not-a-workbook-pdf", "This is a PDF file", "这是一个 PDF 文件"),
    "image": (lambda p: p.write_bytes(png()), ".png",
              "not-a-workbook-image", "This is a picture", "这是一张图片"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_detected_by_content_and_named_only_when_the_name_disagrees(tmp_path, kind):
    make, ext, code, en_start, zh_start = KINDS[kind]
    fits, wrong = tmp_path / f"file{ext}", tmp_path / "file.xlsx"
    make(fits)
    shutil.copy(fits, wrong)
    got, message = code_and_message(fits)
    assert got == code and message.startswith(en_start + ",") and NAMED not in message and "with an .xlsx name" not in message
    got, message = code_and_message(fits, "zh-CN")
    assert message.startswith(zh_start) and "文件名" not in message
    got, message = code_and_message(wrong)
    assert got == code and message.startswith(en_start + NAMED + ".xlsx),"), message
    got, message = code_and_message(wrong, "zh-CN")
    assert "（但文件名以 .xlsx 结尾）" in message
    assert sniff(fits) == sniff(wrong) == {"doc": "doc", "odt": "odt", "odp": "odp"}.get(kind, kind)


def test_empty_file_whatever_its_name(tmp_path):
    for name in ("a.xls", "a.ods", "a.csv"):
        (tmp_path / name).write_bytes(b"")
        assert code_and_message(tmp_path / name)[0] == "file-empty"


def test_reader_failure_keeps_library_words_out_of_the_message(tmp_path):
    """An .xls whose records are junk: calamine's words go to the JSON report's `detail`."""
    p = tmp_path / "junk.xls"
    p.write_bytes(cfb({"Workbook": bytes(range(256)) * 32}))
    with pytest.raises(WorkbookFileError) as info:
        read_values(p)
    assert info.value.code == "corrupt-workbook" and "Calamine" not in info.value.message
    res = CliRunner().invoke(main, ["validate", str(p), "--format", "json", "--lang", "en"])
    issue = json.loads(res.output)["files"][0]["issues"][0]
    assert res.exit_code == 2 and issue["code"] == "corrupt-workbook" and "Calamine" in issue["detail"]
    assert "Calamine" not in issue["message"]


def test_xls_child_time_limit(tmp_path):
    """The .xls reader runs in a child process: past its time the file is refused, coded."""
    p = tmp_path / "junk.xls"
    p.write_bytes(cfb({"Workbook": b"\x09\x08" + b"\0" * 300}))
    with pytest.raises(WorkbookFileError) as info:
        read_values(p, Limits(reader_seconds=0.001))
    assert info.value.code == "corrupt-workbook" and "0.001 seconds" in info.value.message
    # (the memory limit, on a real .xls: tests/client/test_libreoffice_formats.py)


def test_ods_box_counts_repetitions(tmp_path):
    """The box of value cells of an .ods table, repetitions counted (empty repeats are not values)."""
    body = (b'<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="5"/>'
            b'</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="2"/>'
            b'<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="4">'
            b'<text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/>'
            b'</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>')
    ext = ods_extents(ODS_HEAD + body + ODS_TAIL, tmp_path / "x.ods", "en")["Sheet1"]
    assert (ext.min_row, ext.max_row, ext.min_col, ext.max_col) == (3, 3, 2, 5)
    p = tmp_path / "small.ods"
    write_raw_zip(p, ods_entries(ODS_HEAD + ODS_ROW + ODS_TAIL))
    raw = read_values(p)
    assert raw.format == "ods" and raw.sheets == {"Sheet1": [["渠道", 1200.0]]}
    with pytest.raises(WorkbookFileError) as info:
        read_values(p, Limits(max_cells=1))
    assert info.value.code == "sheet-too-large"


def test_counts_are_grammatical():
    assert t("cli.n.error", "en", count=1) == "1 error" and t("cli.n.error", "en", count=2) == "2 errors"
    assert t("cli.n.file", "en", count=1) == "1 file" and t("cli.n.file", "zh-CN", count=1) == "1 个文件"
    assert t("cli.n.campaign", "en", count=0) == "0 campaigns"


def test_validate_summary_says_1_error(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("a,b\n1,2\n")
    res = CliRunner().invoke(main, ["validate", str(p), "--lang", "en"])
    assert res.output.strip().splitlines()[-1] == "1 file: 0 valid, 0 with errors, 1 unreadable"
