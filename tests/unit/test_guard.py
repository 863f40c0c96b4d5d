"""campaign_sheets.read.guard and .calamine: every unreadable input gets a stable code, never a
traceback, the input file is never modified, and the reader parses only the checked bytes."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import Font

from campaign_sheets.codes import FILE_CODES
from campaign_sheets.errors import WorkbookFileError
from campaign_sheets.i18n import CATALOG, t
from campaign_sheets.read import calamine
from campaign_sheets.read.calamine import RawBook, read_values
from campaign_sheets.read.guard import CheckedBook, Limits, check_file, extent, sniff, xmlcheck
from tests.bad_inputs.make_corpus import rewrite_zip
from tests.support.ole import cfb

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ----------------------------------------------------------------------------------------- helpers

def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def expect_code(path: Path, code: str, limits: Limits = Limits(), *, read: bool = True,
                lang: str = "en") -> WorkbookFileError:
    """check_file (and read_values) raise WorkbookFileError(code) and leave the file as it was."""
    before = fingerprint(path) if path.is_file() else None
    with pytest.raises(WorkbookFileError) as info:
        check_file(path, limits, lang)
    assert info.value.code == code, info.value
    if read:
        with pytest.raises(WorkbookFileError) as info2:
            read_values(path, limits, lang)
        assert info2.value.code == code
    if before is not None:
        assert fingerprint(path) == before
    err = info.value
    assert err.path == str(path)
    assert err.message and "{" not in err.message, err.message
    return err


def read_ok(path: Path, limits: Limits = Limits()) -> RawBook:
    before = fingerprint(path)
    check_file(path, limits).close()
    book = read_values(path, limits)
    assert fingerprint(path) == before
    return book


def make_valid(path: Path, **options) -> Path:
    wb = xlsxwriter.Workbook(str(path), options or None)
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["channel", "spend", "date"])
    ws.write_row(1, 0, ["search", 1200.5])
    ws.write_datetime(1, 2, dt.datetime(2024, 3, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_row(2, 0, ["social", 800])
    hidden = wb.add_worksheet("Lists")
    hidden.write(0, 0, "a")
    hidden.hide()
    wb.close()
    return path


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    return make_valid(tmp_path / "valid.xlsx")


# ----------------------------------------------------------------------------------------- not files

def test_missing_path(tmp_path):
    err = expect_code(tmp_path / "nope.xlsx", "file-missing")
    assert "nope.xlsx" in err.message


def test_missing_parent_is_missing_too(tmp_path):
    (tmp_path / "a_file").write_text("x")
    expect_code(tmp_path / "a_file" / "book.xlsx", "file-missing")


def test_folder(tmp_path):
    folder = tmp_path / "book.xlsx"
    folder.mkdir()
    expect_code(folder, "file-is-folder")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    expect_code(p, "file-empty")
    assert sniff(p) == "empty"


def test_file_too_large(valid):
    expect_code(valid, "file-too-large", Limits(max_file_bytes=100))


# ----------------------------------------------------------------------------------------- wrong formats

def test_csv_named_xlsx(tmp_path):
    p = tmp_path / "export.xlsx"
    p.write_text("渠道,花费,日期\n搜索,1200.5,2024-03-01\n社交,800,2024-03-02\n", encoding="utf-8-sig")
    err = expect_code(p, "not-xlsx-csv")
    assert "CSV" in err.message and "Save As .xlsx" in err.message
    assert sniff(p) == "csv"


def test_gbk_csv_named_xlsx(tmp_path):
    p = tmp_path / "export.xlsx"
    p.write_bytes("渠道\t花费\n搜索\t1200\n".encode("gbk"))
    expect_code(p, "not-xlsx-csv")


def test_html_named_xlsx(tmp_path):
    p = tmp_path / "report.xlsx"
    p.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>1</td></tr></table></body></html>")
    err = expect_code(p, "not-xlsx-html")
    assert "HTML" in err.message
    assert sniff(p) == "html"


def test_random_bytes(tmp_path):
    p = tmp_path / "noise.xlsx"
    p.write_bytes(random.Random(7).randbytes(5000))
    expect_code(p, "corrupt-zip")
    assert sniff(p) == "unknown"


def test_ole2_by_its_directory(tmp_path):
    """An OLE2 file is what its directory's streams say, whatever its name: a Workbook stream is an
    .xls (read, not refused), a WordDocument stream a Word document (named so in the message)."""
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(cfb({"Workbook": b"\x09\x08" + b"\0" * 200}))
    assert sniff(xls) == "xls"
    with check_file(xls) as book:
        assert book.format == "xls" and book.data == xls.read_bytes()
    doc = tmp_path / "brief.xlsx"
    doc.write_bytes(cfb({"WordDocument": b"\xec\xa5" + b"\0" * 200, "1Table": b""}))
    assert sniff(doc) == "doc"
    err = expect_code(doc, "not-a-workbook-document")
    assert err.message == "This is a Word document (its name ends in .xlsx), not a workbook. " \
        "Choose the campaign workbook (an .xlsx, .xls or .ods file) instead."
    named_so = tmp_path / "brief.doc"
    named_so.write_bytes(doc.read_bytes())
    err = expect_code(named_so, "not-a-workbook-document", lang="zh-CN")
    assert err.message.startswith("这是一个 Word 文档，不是工作簿。") and ".doc" not in err.message
    ppt = tmp_path / "deck.ppt"
    ppt.write_bytes(cfb({"PowerPoint Document": b"\0" * 10}))
    assert "PowerPoint" in expect_code(ppt, "not-a-workbook-presentation").message
    other = tmp_path / "mail.xls"
    other.write_bytes(cfb({"__substg1.0_0037001F": b"subject"}))
    expect_code(other, "not-a-workbook")


def test_ole2_damaged(tmp_path):
    """An OLE2 .xls cut short or declaring a stream larger than the file: corrupt-workbook, said so."""
    whole = cfb({"Workbook": b"\x09\x08" + b"\0" * 5000})
    cut = tmp_path / "cut.xls"
    cut.write_bytes(whole[:1500])
    assert "cut short" in expect_code(cut, "corrupt-workbook").message
    huge = tmp_path / "huge.xls"
    huge.write_bytes(cfb({"Workbook": b"\x09\x08"}, declared={"Workbook": 0xFFFFFF00}))
    err = expect_code(huge, "corrupt-workbook")
    assert "declares more data than the file holds" in err.message and "4,294,967,040" in err.params["detail"]


def test_encrypted_ooxml(tmp_path):
    p = tmp_path / "locked.xlsx"
    p.write_bytes(OLE_MAGIC + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500)
    err = expect_code(p, "encrypted")
    assert "password" in err.message
    assert sniff(p) == "encrypted"


def test_encrypted_marker_in_directory_sector_beyond_64k(tmp_path):
    header = bytearray(OLE_MAGIC + b"\0" * 504)
    header[0x1E:0x20] = (9).to_bytes(2, "little")        # 512-byte sectors
    header[0x30:0x34] = (200).to_bytes(4, "little")      # directory at sector 200 = offset 102,912
    body = b"\0" * (201 * 512 - len(header)) + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    p = tmp_path / "locked.xlsx"
    p.write_bytes(bytes(header) + body)
    assert sniff(p) == "encrypted"
    expect_code(p, "encrypted")


def test_xlsb_ods_and_other_zips(tmp_path):
    xlsb = tmp_path / "b.xlsx"
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    expect_code(xlsb, "not-xlsx-xlsb")
    assert sniff(xlsb) == "xlsb"

    ods = tmp_path / "o.xlsx"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    with check_file(ods) as book:   # an .ods is read, not refused (its tables: none here)
        assert book.format == "ods" and book.sheets == {}
    assert sniff(ods) == "ods"

    docx = tmp_path / "d.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    err = expect_code(docx, "not-a-workbook-document")
    assert "Word document (its name ends in .xlsx)" in err.message
    assert sniff(docx) == "docx"

    empty_zip = tmp_path / "z.xlsx"
    with zipfile.ZipFile(empty_zip, "w"):
        pass
    expect_code(empty_zip, "not-a-workbook")


# ----------------------------------------------------------------------------------------- damaged zips

def test_truncated_copy(valid, tmp_path):
    p = tmp_path / "cut.xlsx"
    data = valid.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    err = expect_code(p, "corrupt-zip")
    assert "cut short" in err.message
    assert sniff(p) == "zip"


def test_bad_crc(valid, tmp_path):
    p = rewrite_zip(valid, tmp_path / "crc.xlsx", compression=zipfile.ZIP_STORED)
    data = bytearray(p.read_bytes())
    at = data.index(b"<sheetData>") + 20   # inside the stored sheet XML
    data[at] = ord("9") if data[at] != ord("9") else ord("8")
    p.write_bytes(bytes(data))
    err = expect_code(p, "corrupt-zip")
    assert "CRC" in err.message


def test_zip_version_unknown_to_zipfile(valid, tmp_path):
    """A directory entry needing zip version 8.4 (zipfile raises NotImplementedError): corrupt-zip."""
    data = bytearray(valid.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 6:at + 8] = (84).to_bytes(2, "little")
    p = tmp_path / "v84.xlsx"
    p.write_bytes(bytes(data))
    expect_code(p, "corrupt-zip")
    assert sniff(p) == "zip"


def test_duplicate_entry(valid, tmp_path):
    p = tmp_path / "dup.xlsx"
    with pytest.warns(UserWarning):
        rewrite_zip(valid, p, add={"xl/worksheets/sheet1.xml": b"<worksheet/>"})
    expect_code(p, "corrupt-zip")


def test_duplicate_entry_differing_only_in_case(valid, tmp_path):
    p = rewrite_zip(valid, tmp_path / "dup.xlsx", add={"XL/Worksheets/Sheet1.xml": b"<worksheet/>"})
    err = expect_code(p, "corrupt-zip")
    assert "twice" in err.message


def test_zip_bomb_total_size(valid, tmp_path):
    p = rewrite_zip(valid, tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(p, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/zeros.bin", "w") as fh:
        block = b"\0" * 2**20
        for _ in range(5):     # 5 MiB of zeros, streamed
            fh.write(block)
    expect_code(p, "zip-bomb", Limits(max_uncompressed_bytes=1_000_000))
    err = expect_code(p, "zip-bomb")   # default limits: 5 MiB of zeros compresses ~1000:1
    assert "zeros.bin" in err.message


def test_too_many_entries(valid, tmp_path):
    expect_code(valid, "too-many-entries", Limits(max_entries=3))
    p = rewrite_zip(valid, tmp_path / "many.xlsx", add={f"customXml/item{i}.bin": b"x" for i in range(60)})
    expect_code(p, "too-many-entries", Limits(max_entries=50))
    read_ok(p)


# ----------------------------------------------------------------------------------------- hostile XML

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n')


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "[Content_Types].xml",
                                  "xl/_rels/workbook.xml.rels", "xl/workbook.xml"])
def test_doctype_in_any_part(valid, tmp_path, part):
    def inject(data: bytes) -> bytes:
        return BILLION_LAUGHS + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
    p = rewrite_zip(valid, tmp_path / "dtd.xlsx", patch={part: inject})
    err = expect_code(p, "xml-entities")
    assert part in err.message


def test_xxe_in_utf16_part(valid, tmp_path):
    xxe = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    p = rewrite_zip(valid, tmp_path / "xxe.xlsx",
                    patch={"xl/worksheets/sheet1.xml": b"\xff\xfe" + xxe.encode("utf-16-le")})
    expect_code(p, "xml-entities")


def test_doctype_hidden_after_a_long_comment(valid, tmp_path):
    def inject(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
        return b'<?xml version="1.0"?><!-- ' + b"<a " * 3000 + b"-->" + BILLION_LAUGHS[22:] + body
    p = rewrite_zip(valid, tmp_path / "dtd2.xlsx", patch={"xl/worksheets/sheet1.xml": inject})
    expect_code(p, "xml-entities")


@pytest.mark.parametrize("head", [
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet>',
    b'<?xml version="1.0"?>\r\n  <_root a="1">', b'<?xml version="1.0"?><root/>', b'<?xml version="1.0"?>',
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><x/>', b'<?xml version="1.0"?><x><!doctype y></x>',
    b'<?xml version="1.0"?><x>\x00<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y</x>', b'<?xml version="1.0"?><x>a!b</x>',
    b'<?xml version="1.0"?><!-- c --><x/>', b'<?xml ?? ?><x/>', b'<?xml version="1.0"?>\x00<x/>', b'<?xml?><1/>',
    b'\xef\xbb\xbf<?xml version="1.0"?><x/>', b'<?xml version="1.0"?>text<x/>', b'<?xml version="1.0"?><?pi?><x/>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16-le"), b"<x/>", b" <?xml?><x/>",
])
@pytest.mark.parametrize("complete", [True, False])
def test_prolog_shortcut_agrees_with_the_walk(head, complete):
    assert xmlcheck.prolog_is_safe(head, complete) == xmlcheck._prolog_walk(head, complete)


def test_workbook_facts_from_any_writer(valid, tmp_path):
    """Sheet names and r:ids whatever the prefixes, attribute order and entities; parsing stops at </sheets>."""
    workbook = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<x:workbookPr date1904="true "/><x:sheets>'
                '<x:sheet rel:id="rId1" sheetId="1" name="A &amp; B &lt;1&gt; &#x4E2D;文"/>'
                '<x:sheet name="Lists" state="hidden" sheetId="2" rel:id="rId2"/></x:sheets>')
    facts = (True, [("A & B <1> 中文", "rId1"), ("Lists", "rId2")])
    for tail in ("</x:workbook>", "<not well-formed"):
        p = rewrite_zip(valid, tmp_path / "odd.xlsx", patch={"xl/workbook.xml": (workbook + tail).encode()})
        with zipfile.ZipFile(p) as zf:
            assert xmlcheck.workbook_facts(zf.read("xl/workbook.xml"), p, "en") == facts
            rels = zf.read("xl/_rels/workbook.xml.rels")
            assert xmlcheck.workbook_rels(rels, p, "en")["rId2"][1] == "xl/worksheets/sheet2.xml"
    p = rewrite_zip(valid, tmp_path / "odd.xlsx", patch={"xl/workbook.xml": (workbook + "</x:workbook>").encode()})
    assert list(read_ok(p).sheets) == ["A & B <1> 中文", "Lists"]
    p = rewrite_zip(valid, tmp_path / "bad.xlsx", patch={"xl/workbook.xml": workbook.split("<x:sheets>")[0].encode()})
    assert expect_code(p, "corrupt-workbook", read=False).params["part"] == "xl/workbook.xml"


# ----------------------------------------------------------------------------------------- good files

def test_valid_xlsxwriter_workbook(valid):
    book = read_ok(valid)
    assert sniff(valid) == "xlsx"
    assert list(book.sheets) == ["Data", "Lists"]
    assert book.sheets["Data"] == [
        ["channel", "spend", "date"],
        ["search", 1200.5, dt.date(2024, 3, 1)],
        ["social", 800.0, ""],
    ]
    assert book.sheets["Lists"] == [["a"]]
    assert book.sheet_states == {"Data": "visible", "Lists": "hidden"}
    assert book.date1904 is False
    assert book.has_macros is False


def test_openpyxl_workbook_with_offset_data_and_states(tmp_path):
    p = tmp_path / "opx.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws["C3"] = "x"
    ws["E5"] = 7
    vh = wb.create_sheet("Secret")
    vh.sheet_state = "veryHidden"
    wb.create_sheet("Blank")
    wb.save(p)
    book = read_ok(p)
    assert book.sheets["Plan"] == [
        ["", "", "", "", ""],
        ["", "", "", "", ""],
        ["", "", "x", "", ""],
        ["", "", "", "", ""],
        ["", "", "", "", 7],
    ]
    assert book.sheets["Blank"] == [] and book.sheets["Secret"] == []
    assert book.sheet_states == {"Plan": "visible", "Secret": "veryhidden", "Blank": "visible"}


def test_1904_workbook(tmp_path):
    p = make_valid(tmp_path / "mac.xlsx", date_1904=True)
    book = read_ok(p)
    assert book.date1904 is True
    assert book.sheets["Data"][1][2] == dt.date(2024, 3, 1)


def test_xlsm_with_vba_project(valid, tmp_path):
    p = rewrite_zip(valid, tmp_path / "macro.xlsx", add={"xl/vbaProject.bin": OLE_MAGIC + b"\0" * 504})
    book = read_ok(p)
    assert book.has_macros is True
    assert sniff(p) == "xlsm"


def test_macro_enabled_content_type(valid, tmp_path):
    def ct(data: bytes) -> bytes:
        return data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    p = rewrite_zip(valid, tmp_path / "macro.xlsm", patch={"[Content_Types].xml": ct})
    assert read_values(p).has_macros is True


def _move_sheet(valid: Path, dst: Path, new_name: str, sheet_xml=None) -> Path:
    """Store Data's sheet XML under another part name (calamine follows the relationship and
    matches the name ignoring case)."""
    with zipfile.ZipFile(valid) as z:
        data = z.read("xl/worksheets/sheet1.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    rels = rels.replace(b'Target="worksheets/sheet1.xml"', b'Target="worksheets/' + new_name.lower().encode() + b'"')
    rewrite_zip(valid, dst, patch={"xl/_rels/workbook.xml.rels": rels})
    with zipfile.ZipFile(dst) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist() if i.filename != "xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries:
            z.writestr(name, blob)
        z.writestr("xl/worksheets/" + new_name, sheet_xml(data) if sheet_xml else data)
    return dst


def test_sheet_part_with_an_odd_name_is_read_and_scanned(valid, tmp_path):
    moved = _move_sheet(valid, tmp_path / "moved.xlsx", "Data.BIN")
    assert read_ok(moved).sheets["Data"][1][0] == "search"
    stray = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row></sheetData>'
    far = _move_sheet(valid, tmp_path / "far.xlsx", "Data.BIN", lambda d: d.replace(b"</sheetData>", stray))
    err = expect_code(far, "sheet-too-large")
    assert '"Data"' in err.message
    dtd = _move_sheet(valid, tmp_path / "dtd.xlsx", "Data.BIN",
                      lambda d: BILLION_LAUGHS + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", d))
    expect_code(dtd, "xml-entities")


def test_prefixed_sheet_xml_and_cells_without_r(valid, tmp_path):
    """Some .NET writers prefix every tag and some writers omit r=: read like calamine does."""
    ns = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><x:worksheet ' + ns + b'><x:sheetData>'
           b'<x:row r="1"><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row>'
           b'<x:row r="3"><x:c r="C3"><x:v>3</x:v></x:c></x:row>'
           b'</x:sheetData></x:worksheet>')
    p = rewrite_zip(valid, tmp_path / "prefixed.xlsx", patch={"xl/worksheets/sheet1.xml": xml})
    book = read_ok(p)
    assert book.sheets["Data"] == [["a", 2.0, ""], ["", "", ""], ["", "", 3.0]]


# ----------------------------------------------------------------------------------------- cells and extents

def test_cell_too_long(valid, tmp_path):
    long_text = "长" * 40_000

    def strings(data: bytes) -> bytes:
        return data.replace(b"<t>social</t>", f"<t>{long_text}</t>".encode("utf-8"))
    p = rewrite_zip(valid, tmp_path / "long.xlsx", patch={"xl/sharedStrings.xml": strings})
    check_file(p)   # the bytes are fine; the cell is caught while reading
    before = fingerprint(p)
    with pytest.raises(WorkbookFileError) as info:
        read_values(p)
    assert info.value.code == "cell-too-long"
    assert "Data!A3" in info.value.message and "40,000" in info.value.message
    assert fingerprint(p) == before
    assert read_values(p, Limits(max_cell_chars=50_000)).sheets["Data"][2][0] == long_text


def test_cell_too_long_inline_string_zh_message(valid, tmp_path):
    row = b'<row r="5"><c r="B5" t="inlineStr"><is><t>' + b"x" * 33_000 + b"</t></is></c></row></sheetData>"
    p = rewrite_zip(valid, tmp_path / "long.xlsx",
                    patch={"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</sheetData>", row)})
    with pytest.raises(WorkbookFileError) as info:
        read_values(p, lang="zh-CN")
    assert info.value.code == "cell-too-long"
    assert "单元格 Data!B5" in info.value.message


def _timed_read(path: Path) -> tuple[RawBook, float]:
    t = time.perf_counter()
    book = read_ok(path)
    return book, time.perf_counter() - t


def test_formatted_blank_in_last_row_costs_nothing(tmp_path):
    p = tmp_path / "fmt.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, ["h1", "h2"])
    ws.write_row(1, 0, [1, 2])
    ws.write_blank(1_048_575, 0, None, wb.add_format({"bold": True}))
    wb.close()
    book, seconds = _timed_read(p)
    assert book.sheets["S"] == [["h1", "h2"], [1.0, 2.0]]
    assert seconds < 2.0


def test_openpyxl_formatted_cell_at_xfd1048576(tmp_path):
    p = tmp_path / "xfd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = "h", 1
    ws.cell(row=1_048_576, column=16_384).font = Font(bold=True)
    wb.save(p)
    with zipfile.ZipFile(p) as z:
        assert b'<dimension ref="A1:XFD1048576"' in z.read("xl/worksheets/sheet1.xml")
    book, seconds = _timed_read(p)
    assert book.sheets["Sheet"] == [["h"], [1]]
    assert seconds < 2.0


def test_empty_string_in_last_row_is_trimmed(tmp_path):
    p = tmp_path / "blank_text.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, ["h", "v"])
    ws.write_string(1_048_575, 0, "")
    wb.close()
    book, seconds = _timed_read(p)
    assert book.sheets["S"] == [["h", "v"]]
    assert seconds < 5.0


def test_stray_value_at_xfd1048576_is_refused_not_a_crash(tmp_path):
    """calamine would allocate 2**20 x 2**14 cells (512 GiB) and abort the interpreter."""
    p = tmp_path / "stray.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("S")
    ws.write(0, 0, "h")
    ws.write_string(1_048_575, 16_383, " ")
    wb.close()
    err = expect_code(p, "sheet-too-large")
    assert '"S"' in err.message and "A1:XFD1048576" in err.message


@pytest.mark.parametrize("ref", [b"XFE3", b"B1048577", b"B00001048577", b"B" + b"9" * 5000, b"ABCDEFGHIJ3"])
def test_reference_outside_the_grid_is_refused(valid, tmp_path, ref):
    """calamine accepts these and sizes its grid by them."""
    cell = b'<c r="' + ref + b'"><v>5</v></c></row></sheetData>'
    p = rewrite_zip(valid, tmp_path / "far.xlsx",
                    patch={"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</row></sheetData>", cell)})
    err = expect_code(p, "corrupt-workbook")
    assert "outside Excel's grid" in err.message


def test_max_rows_per_sheet(valid):
    err = expect_code(valid, "sheet-too-large", Limits(max_rows_per_sheet=2))
    assert "the limit is 2 rows" in err.message


def test_max_cells_counts_all_sheets(valid):
    err = expect_code(valid, "sheet-too-large", Limits(max_cells=9))    # Data holds 9 cells, Lists 1
    assert '"Lists"' in err.message and "10 cells" in err.message
    expect_code(valid, "sheet-too-large", Limits(max_cells=8))
    read_ok(valid, Limits(max_cells=10))


def test_whitespace_only_xml_part_is_harmless(valid, tmp_path):
    p = rewrite_zip(valid, tmp_path / "ws.xlsx", add={"customXml/item1.xml": b"  \n"})
    read_ok(p)


def test_a_huge_run_without_markup_is_read_in_linear_time(valid, tmp_path):
    """A 4 MB text in one cell: checked and read in linear time, and refused as too long."""
    text = "".join(random.Random(3).choices("abcdefghij", k=4_000_000)).encode()
    row = b'<row r="5"><c r="B5" t="inlineStr"><is><t>' + text + b"</t></is></c></row></sheetData>"
    p = rewrite_zip(valid, tmp_path / "run.xlsx",
                    patch={"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</sheetData>", row)})
    start = time.perf_counter()
    check_file(p)
    with pytest.raises(WorkbookFileError) as info:
        read_values(p)
    assert info.value.code == "cell-too-long" and "Data!B5" in info.value.message
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("junk", [
    b"<c " * 200_000 + b'"',                   # tag starts whose quote never closes
    b"<c " * 200_000,                          # tag starts that never close
    b"<" * 400_000 + b":x :c ",               # a run the prefix of a cell tag could span
    b'<c s="1" ' * 100_000 + b't="e">',        # an error cell's attributes reaching back
])
def test_tags_that_never_close_cost_linear_time(valid, tmp_path, junk):
    """Parts the fast scan declines go to the reference scan, and error cells to their search:
    neither may take time quadratic in such runs (both once did: minutes for these)."""
    start = time.perf_counter()
    try:
        extent.scan_reference(junk)
    except extent.UnclosedTag:
        pass
    p = rewrite_zip(valid, tmp_path / "junk.xlsx",
                    patch={"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</sheetData>", junk + b"</sheetData>")})
    with pytest.raises(WorkbookFileError) as info:   # by the check (a tag not closed) or by calamine
        read_values(p)
    assert info.value.code == "corrupt-workbook"
    assert time.perf_counter() - start < 5


def test_malformed_sheet_xml_is_corrupt_workbook(valid, tmp_path):
    p = rewrite_zip(valid, tmp_path / "broken.xlsx",
                    patch={"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</c></row>", b"</row>", 1)})
    check_file(p)
    before = fingerprint(p)
    with pytest.raises(WorkbookFileError) as info:
        read_values(p)
    assert info.value.code == "corrupt-workbook"
    assert fingerprint(p) == before


# ----------------------------------------------------------------------------------------- the extent scanner

def _extent(xml: bytes, *, fast: bool) -> extent.Extent | None:
    if fast:
        found = extent.scan_fast([xml])
        return None if found is None else found[0]
    return extent.scan_reference(xml)


@pytest.mark.parametrize("xml, expected", [
    (b'<sheetData><row r="1"><c r="A1" s="1"/><c r="B2"><v>1</v></c><c r="XFD1048576" s="3"/></row></sheetData>',
     (1, 1, 1, 1)),
    (b'<row r="7"><c r="AB7" t="s"><v>0</v></c><c r="C9"><v>1</v></c><c r="ZZ10"><f>1</f><v>2</v></c></row>',
     (6, 9, 2, 701)),
    (b'<c r="XFD1048576"><v>1</v></c><c r="A1"><v>2</v></c>', (0, 1_048_575, 0, 16_383)),
    (b'<cols><col min="1" max="3"/></cols><c r="D4" s="2"></c>', (3, 3, 3, 3)),
])
def test_fast_and_slow_scans_agree(xml, expected):
    fast, slow = _extent(xml, fast=True), _extent(xml, fast=False)
    assert fast is not None
    assert (fast.min_row, fast.max_row, fast.min_col, fast.max_col) == expected
    assert fast == slow


@pytest.mark.parametrize("xml", [
    b'<c r="A1"><v>1</v></c><c r="XFD1048576" x="/>"><v>1</v></c>',       # '>' hidden in quotes
    b"<c r='XFD1048576'><v>1</v></c>",                                     # single quotes
    b'<c\nr="XFD1048576"><v>1</v></c>',                                    # newline after the name
    b'<c s="1" r="XFD1048576"><v>1</v></c>',                               # r not first
    b'<x:c r="XFD1048576"><x:v>1</x:v></x:c>',                             # prefixed
    b'<:c r="XFD1048576"><v>1</v></:c>', b'<1:c r="XFD1048576"><v>1</v></1:c>',   # any prefix at all:
    "<é:c r=\"XFD1048576\"><v>1</v></é:c>".encode(), b'<a"b:c r="XFD1048576"><v>1</v></a"b:c>',  # the reader
    b'<row r="1048576"><c><v>1</v></c></row><row r="1"><c r="XFD1"><v>1</v></c></row>',
    b'<c r="A0000009"><v>1</v></c><c r="XFD999999"><v>1</v></c><c r="B1048576"><v>1</v></c>',  # leading 0s
    b'<c r="A1"><v>1</v></c><c r="xfd1048576"><v>1</v></c>',                # lower case
    b'<row r="B1048576"><c><v>1</v></c></row><row r="1"><c r="XFD1"><v>1</v></c></row>',
    b'<c r="A1"><v>1</v></c><c r="B2" r="XFD1048576"><v>1</v></c>',         # calamine keeps the last r
    b'<c r="A1"><v>1</v></c><c r="B2" s="1"\nr = "XFD1048576"><v>1</v></c>',
])
def test_tricky_cell_tags_fall_back_to_the_exact_scan(xml):
    assert _extent(xml, fast=True) is None
    slow = _extent(xml, fast=False)
    assert slow.max_row == 1_048_575 or slow.max_col == 16_383


@pytest.mark.parametrize("xml", [
    b'<c r="A1"' + b" " * 40 + b'><v>1</v></c><c r="C3"><v>1</v></c>',   # needs the 64-byte look
    b'<c r="A1"' + b" " * 70 + b'><v>1</v></c>',                          # longer: exact scan
    b'<c r="B2" s="1"' + b" " * 20 + b'/><c r="D4" t="str" cm="1" vm="1" s="12345"><v>x</v></c>',
    b'<c r="A1" rr="1"><v>1</v></c>', b'<c r="A1" s=" r"><v>1</v></c>', b'<c r="A1" s="r" t="str"><v>1</v></c>',
    b'<c s="1"/><c r="A1"><v>1</v></c>',                                 # a blank without r is ignored
    b'<c r="ZZ1"><v>1</v></c><c r="A12345678"><v>1</v></c>', b'<c r="Q7"><v>1</v></c><c r="AB"><v>1</v></c>',
    b'<c r="A9999999"><v>1</v></c><c r="XFD1048576"><v>1</v></c><c r="AAA10"><v>1</v></c>',
    b"<c r=\"A1\" t=\"s\"><v>1</v></c><f>'a b'!A1</f><c r=\"B1\" x=\"'\"><v>1</v></c>",
    b'<c r="A1" s="1"/><c r="B2" s="2"/>', b'<c r="A1"><v>1</v></c><c r="B2" s="2" x=">"/>',
    b"<c r=\"C3\"><v>1</v></c><c r=\"XFD1048576\" x='/>'><v>1</v></c>",     # "'" hides the '/>'
    b'<c r="A1"><v>1</v></c><c r="XFD1048576" / >', b'<c r="A1"><v>1</v></c><c r="C3" \n><v>1</v></c>',
])
def test_fast_scan_agrees_with_the_exact_scan_or_declines(xml):
    """Whatever the fast path returns is what the exact scan finds; it may only decline."""
    fast, slow = _extent(xml, fast=True), _extent(xml, fast=False)
    assert fast is None or fast == slow
    together = extent.scan_fast([b'<c r="C3"><v>1</v></c>', xml])
    assert together is None or together[1] == slow


def test_fast_scan_agrees_with_the_exact_scan_on_random_sheets():
    """Random well-formed tag soups (every '<' starts a tag): where the fast path answers, it is exact."""
    common = [b'<c r="A1"><v>1</v></c>', b'<c r="XFD1048576" s="1"/>', b'<c r="XFD1048576"><v>1</v></c>',
              b'<c r="B22" s="1" t="s"><v>0</v></c>', b'<c r="AA7" t="str" cm="1"><f>"a&gt;b"</f><v>x</v></c>',
              b'<row r="9">', b"</row>", b'<row r="3"/>', b'<c r="E5"' + b" " * 30 + b"><v>1</v></c>",
              b'<c r="I9" s="1"' + b" " * 40 + b"/>", b"<col/>", b"text 'q' \"d\" >"]
    odd = [b"<c><v>1</v></c>", b'<c s="1" r="Q5"><v>1</v></c>', b'<c r="C3" r="D4"><v>1</v></c>',
           b'<c r="F6"' + b" " * 60 + b"><v>1</v></c>", b'<c r="G7" x="a>b"><v>1</v></c>', b"<c r='H8'/>",
           b'<c r="j10"><v>1</v></c>', b'<c r="K011"><v>1</v></c>', b'<c\nr="L12"><v>1</v></c>',
           b'<x:c r="M13"><x:v>1</x:v></x:c>', b'<c r="N14" s=" r"><v>1</v></c>', b'<c r="O15" x=\'"\'><v>1</v></c>']
    rng = random.Random(5)
    answered = 0
    for _ in range(600):
        xml = b"".join(rng.choice(odd if rng.random() < 0.08 else common) for _ in range(rng.randint(1, 8)))
        fast, slow = _extent(xml, fast=True), _extent(xml, fast=False)
        if fast is not None:
            answered += 1
            assert fast == slow, xml
    assert answered > 100


# The reference scan's definition: one regex over the part, each cell placed as calamine places it,
# and a cell or row tag that does not close (within 64 KiB) refuses the part. (Quadratic on tags
# that never close, so only for small parts; `scan_reference` is linear.)
_DEFINED_START = re.compile(rb"<(/?)(?:[^\s/>:]*:)?(row|c)(?=[\s/>])")
_DEFINED_TAG = re.compile(rb"<(/?)(?:[^\s/>:]*:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _defined_extent(xml: bytes) -> tuple[int, int, int, int] | str | None:
    """(min row, max row, min col, max col), clipped to just past the grid; None for no value
    cell; 'refused' for a tag that does not close."""
    row, col, cells, i = 0, 0, [], 0
    while start := _DEFINED_START.search(xml, i):
        m = _DEFINED_TAG.match(xml, start.start())
        if m is None or m.end() - start.end() > 64 * 1024:
            return "refused"
        i = m.end()
        closing, name, attrs = m.groups()
        self_closed = attrs.rstrip().endswith(b"/")
        if name == b"row":
            r = None if closing else re.search(rb"(?:^|\s)r\s*=\s*[\"'][A-Za-z]*([0-9]+)[\"']", attrs)
            row = int(r.group(1)) - 1 if r else row
            row, col = (row + 1, 0) if closing or self_closed else (row, col)
        elif not closing:
            refs = re.findall(rb"(?:^|\s)r\s*=\s*[\"']([A-Za-z]+)([0-9]+)[\"']", attrs)
            at = [(int(digits) - 1, _column_number(letters) - 1) for letters, digits in refs] or [(row, col)]
            col = at[-1][1] + 1
            cells += [] if self_closed else at
    if not cells or max(r for r, _ in cells) < 0:   # only rows before row 1 (calamine refuses them)
        return None
    rows, cols = [min(r, 1 << 20) for r, _ in cells], [min(c, 1 << 14) for _, c in cells]
    return min(rows), max(rows), min(cols), max(cols)


def test_the_reference_scan_is_its_definition_in_linear_time():
    """Random soups of cells, rows, quotes, stray '<' and '>', prefixes, long tags and references
    past the grid: `scan_reference` finds what the one-regex definition finds, refusals included."""
    pieces = [b'<c r="A1"><v>1</v></c>', b'<c r="XFD1048576" s="1"/>', b'<c r="B22" s="1" t="s"><v>0</v></c>',
              b'<row r="9">', b"</row>", b'<row r="3"/>', b"<c><v>1</v></c>", b'<c s="1" r="Q5"><v>1</v></c>',
              b'<c r="C3" r="D4"><v>1</v></c>', b'<c r="G7" x="a>b"><v>1</v></c>', b"<c r='H8'/>", b'"', b"'",
              b"<", b">", b"<c ", b'<x:c r="M13">', b'<a<b:c r="N14">', b'<c r="Z' + b"9" * 30 + b'">', b' r="B7" ',
              b"<row ", b"</c>", b"<c/>", b"<c\tr='E5'>", b'<c r="A1" / >', b"x" * 300, b'<:c r="K3">',
              b"<row r='0'>", b'<c r="AB0012">', b'<c r="ABCDE3">', b"<c a='" + b"y" * 280 + b"'>", b'<row\nr="5">',
              b'<c r="E9" a="' + b"z" * 70_000 + b'">']
    rng = random.Random(11)
    answered = 0
    for _ in range(3000):
        xml = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        try:
            ext = extent.scan_reference(xml)
        except extent.UnclosedTag:
            got = "refused"
        else:
            answered += 1
            got = None if ext.empty else (min(ext.min_row, 1 << 20), min(ext.max_row, 1 << 20),
                                          min(ext.min_col, 1 << 14), min(ext.max_col, 1 << 14))
        assert got == _defined_extent(xml), xml[:300]
    assert answered > 500


def test_parts_scanned_together_match_each_scanned_alone():
    parts = [
        b'<row r="3"><c r="B3"><v>1</v></c><c r="K9" s="1"/></row><row r="7"><c r="AA7" t="s"><v>0</v></c></row>',
        b'<sheetData/>',
        b'<c r="A1" s="2"/>',                                            # only a formatted blank
        b'<c r="ZZ100"><v>1</v></c><c r="C2"><f>1</f><v>1</v></c>',
        b'<c r="XFD1048576"><v>1</v></c>',
    ]
    together = extent.scan_fast(parts)
    assert together is not None
    for part, ext in zip(parts, together):
        alone = _extent(part, fast=False)
        assert (ext.min_row, ext.max_row, ext.min_col, ext.max_col, ext.empty) == \
            (alone.min_row, alone.max_row, alone.min_col, alone.max_col, alone.empty)
    assert (together[0].min_row, together[0].max_row, together[0].min_col, together[0].max_col) == (2, 6, 1, 26)
    assert together[1].empty and together[2].empty


def test_big_parts_are_scanned_in_pieces():
    """Parts over the batch size are scanned in pieces; the extents are those of the whole parts."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>1</v></c><c r="C%d" s="1"/></row>' % (r, r, r)
                    for r in range(2, 120_000))
    assert len(rows) > 2 * extent._BATCH
    parts = [b'<c r="B3"><v>1</v></c>', rows + b'<row r="9"><c r="XFD9"><v>1</v></c></row>',
             b'<c r="A1"><v>' + b"x" * extent._BATCH + b'</v></c><c r="D5"><v>1</v></c>']
    assert extent.scan_fast(parts) == [extent.scan_reference(p) for p in parts]
    assert extent.scan_fast(parts)[1] == extent.Extent(1, 119_998, 0, 16_383)


def test_a_tag_cut_between_two_parts_is_not_trusted():
    assert extent.scan_fast([b'<c r="A1"><v>1</v></c><c r="XFD1048576" ', b'><v>1</v></c>']) is None
    assert extent.scan_fast([b'<c r="A1"><v>1</v></c><', b'c r="XFD1048576"><v>1</v></c>']) is None


@pytest.mark.parametrize("declared, crc", [(0, None), (10, None), (None, 12345)])
def test_entry_sizes_and_crc_are_checked_in_memory(tmp_path, declared, crc):
    """A worksheet whose directory entry lies about its size or CRC is corrupt (declared 0: no unbounded inflate)."""
    import zlib as _zlib

    from tests.bad_inputs.make_corpus import write_raw_zip
    src = make_valid(tmp_path / "src.xlsx")
    with zipfile.ZipFile(src) as z:
        entries = []
        for info in z.infolist():
            data = z.read(info)
            co = _zlib.compressobj(6, _zlib.DEFLATED, -15)
            packed = co.compress(data) + co.flush()
            size, check = len(data), _zlib.crc32(data)
            if info.filename == "xl/worksheets/sheet1.xml":
                size = size if declared is None else declared
                check = check if crc is None else crc
            entries.append((info.filename, zipfile.ZIP_DEFLATED, packed, check, size))
    p = write_raw_zip(tmp_path / "lying.xlsx", entries)
    err = expect_code(p, "corrupt-zip")
    assert "xl/worksheets/sheet1.xml" in err.message


def test_big_sheet_uses_the_fast_scan(tmp_path, monkeypatch):
    p = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(p), {"constant_memory": True})
    ws = wb.add_worksheet("Data")
    for r in range(20_000):
        ws.write_row(r, 0, [f"n{r}", r, r * 0.5, None, "x"])
    ws.write_blank(1_048_575, 3, None, wb.add_format({"bold": True}))
    wb.close()
    calls = []
    real = extent._cell_positions
    monkeypatch.setattr(extent, "_cell_positions", lambda buf: calls.append(1) or real(buf))
    monkeypatch.setattr(extent, "scan_reference", None)   # the reference scan would fail the test
    book = read_ok(p)
    assert calls, "sheet parts are scanned with numpy"
    rows = book.sheets["Data"]
    assert len(rows) == 20_000 and rows[-1] == ["n19999", 19999.0, 9999.5, "", "x"]


# ----------------------------------------------------------------------------------------- messages

def test_every_code_has_both_languages():
    for code in FILE_CODES:
        assert set(CATALOG["file." + code]) == {"en", "zh-CN"}, code
        assert t("file." + code, "en") != t("file." + code, "zh-CN")
    assert t("file.not-xlsx-legacy-xls", "zh-CN") == "这是旧版 .xls 文件：请在 Excel/WPS 中另存为 .xlsx。"
    assert t("file.not-xlsx-legacy-xls", "zh") == t("file.not-xlsx-legacy-xls", "zh-CN")
    assert t("file.not-xlsx-legacy-xls", "fr") == t("file.not-xlsx-legacy-xls", "en")


def test_lang_parameter_and_params(tmp_path):
    p = tmp_path / "gone.xlsx"
    with pytest.raises(WorkbookFileError) as info:
        check_file(p, lang="zh-CN")
    assert info.value.message == "找不到文件：gone.xlsx。请检查文件夹和文件名（包括 .xlsx 扩展名）。"
    assert info.value.params["name"] == "gone.xlsx"
    assert str(info.value).startswith(str(p))


def test_sniff_raises_for_missing_and_folder(tmp_path):
    with pytest.raises(WorkbookFileError) as info:
        sniff(tmp_path / "nope.xlsx")
    assert info.value.code == "file-missing"
    with pytest.raises(WorkbookFileError) as info:
        sniff(tmp_path)
    assert info.value.code == "file-is-folder"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(valid):
    valid.chmod(0)
    try:
        expect_code(valid, "file-unreadable")
    finally:
        valid.chmod(0o644)


def test_rows_are_anchored_at_a1_and_trimmed(tmp_path):
    """Rows start at A1 whatever the first cell; trailing empty rows and columns ("" included) go."""
    p = tmp_path / "shapes.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Empty")
    ws = wb.add_worksheet("Offset")
    ws.write_row(2, 2, ["h1", "h2", ""])            # data from C3, a trailing "" column
    ws.write_row(3, 2, [1, None, 3])
    ws.write_string(9, 0, "")                         # a trailing "" row
    ws = wb.add_worksheet("Gaps")
    ws.write_row(0, 0, ["a", "", "c"])
    ws.write_row(4, 1, [2.5, dt.date(2026, 6, 18)])
    ws.write_formula(6, 3, '=""', None, "")
    wb.close()
    sheets = read_ok(p).sheets
    assert sheets["Offset"] == [[""] * 5, [""] * 5, ["", "", "h1", "h2", ""], ["", "", 1.0, "", 3.0]]
    assert sheets["Empty"] == []
    assert sheets["Gaps"] == [["a", "", "c"], ["", "", ""], ["", "", ""], ["", "", ""],
                              ["", 2.5, 46191.0]]   # (a date without a date format is a number)


def test_every_sheet_read_is_length_checked(tmp_path):
    p = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("S")
    for r in range(3000):
        ws.write_row(r, 0, [f"row {r}", r])
    wb.close()
    assert len(read_ok(p).sheets["S"]) == 3000
    with pytest.raises(WorkbookFileError) as info:
        read_values(p, Limits(max_cell_chars=5))
    assert info.value.code == "cell-too-long" and "S!A11" in info.value.message   # 'row 10': 6 characters


def _with_errors_and_text(tmp_path: Path) -> tuple[Path, Path]:
    p = make_valid(tmp_path / "v.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["Data"]["D2"] = "=1/0"                              # an error cell, restored after reading
    wb["Data"]["E3"] = "中文 text"
    wb.save(tmp_path / "edited.xlsx")
    return p, tmp_path / "edited.xlsx"


def test_values_are_read_from_the_checked_bytes(tmp_path, monkeypatch):
    """The reader parses the checked copy, never the file: a file swapped on disk after the check
    is not what is read."""
    p, edited = _with_errors_and_text(tmp_path)
    from_original = read_ok(p).sheets
    assert from_original["Data"] != read_ok(edited).sheets["Data"]
    real = calamine.check_file

    def swap_after_check(path, *args, **kw):
        book = real(path, *args, **kw)
        Path(path).write_bytes(edited.read_bytes())
        return book
    monkeypatch.setattr(calamine, "check_file", swap_after_check)
    assert read_values(p).sheets["Data"] == from_original["Data"]


class _FileBytes(CheckedBook):
    """A checked book whose `data` is the file's own bytes (which calamine then parses)."""

    def part(self, name: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            return zf.read(name)


def _parse_the_file_itself(monkeypatch) -> None:
    real = calamine.check_file

    def check(p, *args):
        book = real(p, *args)
        return _FileBytes(**{**vars(book), "data": Path(p).read_bytes()})
    monkeypatch.setattr(calamine, "check_file", check)


def _read_both(path: Path, monkeypatch) -> tuple[RawBook, RawBook]:
    """The values as read from the checked copy, and as calamine reads the file's own bytes."""
    copy = read_ok(path)
    _parse_the_file_itself(monkeypatch)
    original = read_ok(path)
    monkeypatch.undo()
    return copy, original


def _assert_copy_holds_the_file(book: CheckedBook, path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(book.data)) as copy, zipfile.ZipFile(path) as original:
        assert copy.testzip() is None and copy.namelist() == original.namelist()
        for n in original.namelist():
            assert copy.read(n) == original.read(n) == book.part(n)
            assert copy.getinfo(n).compress_type == zipfile.ZIP_STORED


@pytest.mark.parametrize("seed", range(6))
def test_the_checked_copy_reads_as_the_file(tmp_path, monkeypatch, seed):
    """Random sheets of values, formatted blanks (alone, in runs, around values), error cells and
    dates: calamine reads the uncompressed copy of the checked parts exactly as it reads the file."""
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(tmp_path / "r.xlsx"))
    fmt, date_fmt = wb.add_format({"bold": True}), wb.add_format({"num_format": "yyyy-mm-dd"})
    for s in range(rng.randint(1, 4)):
        ws = wb.add_worksheet(f"S{s}")
        for r in range(rng.randint(0, 60)):
            for c in range(rng.randint(0, 12)):
                kind = rng.random()
                if kind < 0.45:
                    ws.write_blank(r, c, None, fmt)
                elif kind < 0.6:
                    ws.write_number(r, c, rng.uniform(-1e6, 1e6))
                elif kind < 0.75:
                    ws.write_string(r, c, rng.choice(["a", "中文", " x ", "#N/A", "=not a formula"]))
                elif kind < 0.85:
                    ws.write_datetime(r, c, dt.datetime(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 900)), date_fmt)
                elif kind < 0.9:
                    ws.write_formula(r, c, "=1/0", None, "#DIV/0!")
                elif kind < 0.95:
                    ws.write_boolean(r, c, rng.random() < 0.5)
        if rng.random() < 0.5:
            ws.write_blank(rng.randint(100, 2000), rng.randint(0, 40), None, fmt)   # a far formatted blank
    wb.close()
    path = tmp_path / "r.xlsx"
    _assert_copy_holds_the_file(check_file(path), path)
    copy, original = _read_both(path, monkeypatch)
    assert copy == original


@pytest.mark.parametrize("before, after, cell", [
    (b" ", b"", b'<c r="H3" s="0"/>'), (b"<!-", b"-", b'<c r="H3" s="0"/>'), (b"", b"", b'<c r="1H" s="0"/>'),
    (b"", b"", b'<c r="H0" s="0"/>'), (b"", b"", b'<c r="H3" foo/>'), (b"", b"", b'<c r="H03"/>'),
    (b"<is><t>", b"</t></is>", b'<c r="H3"/>'), (b"", b"", b'<c r="H3" s="0"/><![CDATA[<c r="I3" s="0"/>]]>'),
    (b"", b"", b'<c s="0"/><c><v>7</v></c>'),   # cells without r take their place from the ones before
])
def test_odd_sheets_read_the_same_from_the_copy(tmp_path, monkeypatch, before, after, cell):
    """Odd or malformed cells read exactly as from the file's own bytes, refusals included."""
    p = make_valid(tmp_path / "v.xlsx")
    p2 = rewrite_zip(p, tmp_path / "odd.xlsx", patch={"xl/worksheets/sheet1.xml": lambda b: b.replace(
        b'<c r="A3"', before + cell + after + b'<c r="A3"', 1)})
    try:
        _assert_copy_holds_the_file(check_file(p2), p2)
        copy, original = _read_both(p2, monkeypatch)
    except WorkbookFileError as err:   # both ways, the same refusal
        _parse_the_file_itself(monkeypatch)
        with pytest.raises(WorkbookFileError) as again:
            read_values(p2)
        assert again.value.code == err.code
        return
    assert copy == original


def test_the_book_says_where_each_sheet_is(tmp_path):
    """check_file returns what the reader needs: each named sheet's part, extent and error cells."""
    edited = rewrite_zip(make_valid(tmp_path / "v.xlsx"), tmp_path / "e.xlsx", patch={
        "xl/worksheets/sheet1.xml": lambda b: b.replace(b'<c r="B3"><v>800</v></c>',
                                                        b'<c r="B3"><v>800</v></c><c r="E3" t="e"><v>#DIV/0!</v></c>')})
    book = check_file(edited)
    assert list(book.sheets) == ["Data", "Lists"]
    data = book.sheets["Data"]
    assert data.part == "xl/worksheets/sheet1.xml" and data.has_errors
    assert (data.extent.min_row, data.extent.max_row, data.extent.min_col, data.extent.max_col) == (0, 2, 0, 4)
    assert data.extent.corner(last=False) == "A1" and data.extent.corner(last=True) == "E3"
    assert not book.sheets["Lists"].has_errors and book.sheets["Lists"].extent.cells == 1
    assert book.date1904 is False and book.has_macros is False
    assert read_values(edited).sheets["Data"][2][4] == "#DIV/0!"


def test_a_self_closed_error_cell_takes_no_neighbour_s_value(tmp_path):
    """`<c r="C2" t="e"/>` holds no error value: the one of the next cell is not put back into it."""
    p = rewrite_zip(make_valid(tmp_path / "v.xlsx"), tmp_path / "e.xlsx", patch={"xl/worksheets/sheet1.xml": lambda b: b.replace(
        b'<c r="C2" s="1"><v>45352</v></c>', b'<c r="C2" t="e"/><c r="D2" t="e"><v>#N/A</v></c>')})
    rows = read_ok(p).sheets["Data"]
    assert rows[1][2] == "" and rows[1][3] == "#N/A"   # (the last column, trimmed as '' and put back)
    assert {len(r) for r in rows} == {4}


@pytest.mark.parametrize("where", ["central", "local"])
def test_a_part_with_a_second_name_is_refused(tmp_path, where):
    """An Info-ZIP Unicode Path field (0x7075) names a part differently from its zip name: Python's
    zipfile goes by one name and python-calamine's zip reader by the other, so the checks could
    miss the part the reader parses (here a worksheet stored as an image)."""
    import struct
    import zlib as _zlib

    src = make_valid(tmp_path / "v.xlsx")
    hidden = "xl/media/image1.xml"
    body = b"\x01" + struct.pack("<I", _zlib.crc32(hidden.encode())) + b"xl/worksheets/sheet1.xml"
    field = struct.pack("<HH", 0x7075, len(body)) + body
    out = tmp_path / "two-names.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        sheet = zin.getinfo("xl/worksheets/sheet1.xml")
        for info in zin.infolist():
            if info is not sheet:
                zout.writestr(info, zin.read(info))
        zi = zipfile.ZipInfo(hidden, sheet.date_time)   # last, so only the directory follows it
        zi.compress_type = zipfile.ZIP_DEFLATED
        if where == "central":
            zi.extra = field
        zout.writestr(zi, zin.read(sheet))
    if where == "local":   # the same field in the local header only (zipfile never reads that one)
        blob = bytearray(out.read_bytes())
        with zipfile.ZipFile(out) as z:
            at = z.getinfo(hidden).header_offset
        name_len = struct.unpack_from("<H", blob, at + 26)[0]
        blob[at + 28:at + 30] = struct.pack("<H", len(field))
        blob[at + 30 + name_len:at + 30 + name_len] = field
        eocd = blob.rindex(b"PK\x05\x06")
        struct.pack_into("<I", blob, eocd + 16, struct.unpack_from("<I", blob, eocd + 16)[0] + len(field))
        out.write_bytes(bytes(blob))
        with zipfile.ZipFile(out) as z:
            assert z.read(hidden) and not z.getinfo(hidden).extra   # a valid zip to zipfile
    err = expect_code(out, "corrupt-zip")
    assert hidden in err.message


# Tags as odd writers (or attackers) spell them. For each, where python-calamine itself puts the
# value must lie inside the extent the check found: else a far cell could reach calamine unbounded.
_ODD_TAGS = [
    b'<a/b:c r="C5"><v>7</v></c>',                       # a prefix holding '/'
    b'<x:c r="C5"><v>7</v></x:c>',
    b'<a<b:c r="C5"><v>7</v></c>',                       # a prefix holding '<'
    b'<c r="C5" ><v>7</v></c>',
    b'<c\tr="C5"><v>7</v></c>',
    b'<c\nr="C5"><v>7</v></c>',
    b'<c\x0cr="C5"><v>7</v></c>',                        # form feed is not XML whitespace: not a cell
    b'<c r="C5"\t><v>7</v></c>',
    b'<c t="n" r="C5"><v>7</v></c>',
    b'<c s="1"r="C5"><v>7</v></c>',                      # no space before r
    b"<c r='C5'><v>7</v></c>",
    b'<c r = "C5"><v>7</v></c>',
    b'<c r="c5"><v>7</v></c>',
    b'<c r="C05"><v>7</v></c>',
    b'<c r="C5" r="E9"><v>7</v></c>',
]


@pytest.mark.parametrize("tag", _ODD_TAGS, ids=lambda b: b.decode("latin-1")[:24])
@pytest.mark.parametrize("row", [b'<row r="5">', b'<a/b:row r="5">', b'<row>'])
def test_the_extent_covers_every_cell_where_calamine_puts_it(valid, tmp_path, tag, row):
    from python_calamine import CalamineWorkbook

    xml = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>' + row + tag +
           b"</row></sheetData></worksheet>")
    p = rewrite_zip(valid, tmp_path / "odd.xlsx", patch={"xl/worksheets/sheet1.xml": xml})
    try:
        with CalamineWorkbook.from_path(str(p)) as wb:   # the file is small: calamine may see it raw here
            grid = wb.get_sheet_by_name("Data").to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - calamine refuses the tag: nothing to place
        return
    placed = {(r, c) for r, cells in enumerate(grid) for c, v in enumerate(cells) if v not in ("", None)}
    try:
        book = check_file(p)
    except WorkbookFileError as err:
        assert err.code == "corrupt-workbook"   # refused before reading: safe
        return
    ext = book.sheets["Data"].extent
    for r, c in placed:
        assert ext.min_row <= r <= ext.max_row and ext.min_col <= c <= ext.max_col, (tag, row, (r, c), ext)
    fast = extent.scan_fast([xml])
    assert fast is None or fast == [extent.scan_reference(xml)]   # the fast scan agrees or gives up


def test_a_part_said_to_reach_past_the_end_of_the_file_is_corrupt_not_a_traceback(valid, tmp_path):
    """A directory entry whose packed size runs past the file's end (2**62, say) would have the
    reader allocate that much: refused from the directory, as a damaged zip."""
    import struct

    data = bytearray(valid.read_bytes())
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))
    first = data.find(b"PK\x01\x02")
    assert 0 <= first <= cd
    struct.pack_into("<I", data, first + 20, 0xFFFFFFFE)   # compressed size of the first entry
    p = tmp_path / "lying.xlsx"
    p.write_bytes(bytes(data))
    err = expect_code(p, "corrupt-zip")
    assert "cut short" in err.message or "truncated" in err.message.lower()


def test_one_value_far_down_and_right_reads_without_holding_the_grid(valid, tmp_path):
    """Rows are anchored at A1, but the empty rows above a far value share one list: a lone value
    at XFD1048576 reads in a moment; a column of values there is refused by the cell limit."""
    lone = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main"><sheetData><row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData></worksheet>')
    p = rewrite_zip(valid, tmp_path / "far.xlsx", patch={"xl/worksheets/sheet1.xml": lone})
    t0 = time.perf_counter()
    book = read_ok(p)
    assert time.perf_counter() - t0 < 5
    rows = book.sheets["Data"]
    assert len(rows) == 1_048_576 and rows[-1][-1] == 7.0 and len(rows[-1]) == 16_384
    assert len({id(r) for r in rows[:-1]}) == 1   # the empty rows above share one list
    many = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(10, 1010)) + b"</sheetData>"
    p2 = rewrite_zip(valid, tmp_path / "far2.xlsx", patch={"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</sheetData>", many)})
    err = expect_code(p2, "sheet-too-large")
    assert "A1:XFD1009" in err.message


def test_a_big_checked_copy_is_read_from_a_private_temporary_file_then_deleted(valid, tmp_path, monkeypatch):
    import tempfile

    from campaign_sheets.read import guard

    monkeypatch.setattr(guard, "IN_MEMORY", 100)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "spill"))
    (tmp_path / "spill").mkdir()
    with check_file(valid) as checked:
        assert checked.data is None and checked.spill.parent == tmp_path / "spill"
        assert oct(checked.spill.stat().st_mode & 0o777) == "0o600"
        assert checked.part("xl/workbook.xml").startswith(b"<?xml")
    assert not checked.spill.exists()
    assert read_ok(valid).sheets["Data"][1][1] == 1200.5
    assert list((tmp_path / "spill").iterdir()) == []


def test_an_error_value_alone_on_its_row_is_put_back_without_touching_other_empty_rows(valid, tmp_path):
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row>'
           b'<row r="5"><c r="B5" t="e"><v>#N/A</v></c></row><row r="7"><c r="A7"><v>7</v></c></row>'
           b'</sheetData></worksheet>')
    p = rewrite_zip(valid, tmp_path / "err.xlsx", patch={"xl/worksheets/sheet1.xml": xml})
    rows = read_ok(p).sheets["Data"]
    assert rows[4] == ["", "#N/A", ""]
    assert rows[1] == rows[2] == rows[3] == rows[5] == ["", "", ""] and rows[6] == [7.0, "", ""]
