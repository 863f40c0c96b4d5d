"""Why a file cannot be read at all, keyed by its code (and the reason./limit./kind. parts inserted)."""

TEXTS: dict[str, dict[str, str]] = {
    "file.file-missing": {
        "zh-CN": "找不到文件：{name}。请检查文件夹和文件名（包括 .xlsx 扩展名）。",
        "en": "File not found: {name}. Check the folder and the file name, including the .xlsx extension.",
    },
    "file.file-is-folder": {
        "zh-CN": "{name} 是文件夹，不是文件。请选择其中的 .xlsx 文件。",
        "en": "{name} is a folder, not a file. Choose the .xlsx file inside it.",
    },
    "file.file-empty": {
        "zh-CN": "文件为空（0 字节），可能没有保存成功或没有下载完整。请重新保存或下载。",
        "en": "The file is empty (0 bytes); it was probably not saved or not fully downloaded. Save or download it again.",
    },
    "file.file-too-large": {
        "zh-CN": "文件大小为 {size_mb} MB，超过 {limit_mb} MB 的上限。请删除不用的工作表、图片和带格式的空行后重新保存。",
        "en": "The file is {size_mb} MB, over the {limit_mb} MB limit. Delete unused sheets, pictures and formatted blank rows, then save again.",
    },
    "file.file-unreadable": {
        "zh-CN": "无法读取该文件（{reason}）。请在其他程序中关闭它，并确认有读取权限。",
        "en": "The file cannot be opened for reading ({reason}). Close it in other programs and check that you may read it.",
    },
    "file.not-xlsx-legacy-xls": {   # no longer given: a legacy .xls is read (kept for reports stored earlier)
        "zh-CN": "这是旧版 .xls 文件：请在 Excel/WPS 中另存为 .xlsx。",
        "en": "This is a legacy .xls file: open it in Excel/WPS and Save As .xlsx.",
    },
    "file.not-xlsx-xlsb": {
        "zh-CN": "这是 Excel 二进制工作簿（.xlsb）{named}，无法读取：请在 Excel 中另存为“Excel 工作簿（.xlsx）”。",
        "en": "This is an Excel binary workbook (.xlsb){named}, which cannot be read: open it in Excel and Save As \"Excel Workbook (.xlsx)\".",
    },
    "file.not-xlsx-csv": {
        "zh-CN": "这是文本（CSV）文件{named}，不是工作簿：请在 Excel/WPS 中打开并另存为 .xlsx。",
        "en": "This is a text (CSV) file{named}, not a workbook: open it in Excel/WPS and Save As .xlsx.",
    },
    "file.not-xlsx-html": {
        "zh-CN": "这是网页（HTML）文件{named}，常见于某些系统的“导出 Excel”功能，不是工作簿：请在 Excel/WPS 中打开并另存为 .xlsx。",
        "en": "This is a web page (HTML){named}, as some systems produce for \"export to Excel\", not a workbook: open it in Excel/WPS and Save As .xlsx.",
    },
    "file.not-xlsx-ods": {   # no longer given: an .ods is read (kept for reports stored earlier)
        "zh-CN": "这是 OpenDocument 表格（.ods）：请在 LibreOffice/WPS/Excel 中打开并另存为 .xlsx。",
        "en": "This is an OpenDocument spreadsheet (.ods): open it in LibreOffice/WPS/Excel and Save As .xlsx.",
    },
    "file.not-a-workbook-document": {
        "zh-CN": "这是一个{what}{named}，不是工作簿。请改选活动工作簿（.xlsx、.xls 或 .ods 文件）。",
        "en": "This is {what}{named}, not a workbook. Choose the campaign workbook (an .xlsx, .xls or .ods file) instead.",
    },
    "file.not-a-workbook-presentation": {
        "zh-CN": "这是一个{what}{named}，不是工作簿。请改选活动工作簿（.xlsx、.xls 或 .ods 文件）。",
        "en": "This is {what}{named}, not a workbook. Choose the campaign workbook (an .xlsx, .xls or .ods file) instead.",
    },
    "file.not-a-workbook-pdf": {
        "zh-CN": "这是一个 PDF 文件{named}，不是工作簿；其中的表格无法读取。请改选活动工作簿（.xlsx、.xls 或 .ods 文件）。",
        "en": "This is a PDF file{named}, not a workbook; tables in it cannot be read. Choose the campaign workbook (an .xlsx, .xls or .ods file) instead.",
    },
    "file.not-a-workbook-image": {
        "zh-CN": "这是一张图片{named}（可能是截图），不是工作簿。请上传活动工作簿文件本身（.xlsx、.xls 或 .ods）。",
        "en": "This is a picture{named}, not a workbook (a screenshot?). Send the campaign workbook file itself (.xlsx, .xls or .ods).",
    },
    "file.not-a-workbook-numbers": {
        "zh-CN": "这是 Apple Numbers 表格{named}，无法直接读取：请在 Numbers 中选择“文件 > 导出为 > Excel”，导出 .xlsx。",
        "en": "This is an Apple Numbers spreadsheet{named}, which cannot be read as it is: in Numbers choose File > Export To > Excel to make an .xlsx.",
    },
    "file.encrypted": {
        "zh-CN": "工作簿设置了打开密码（已加密），无法读取。请在 Excel/WPS 中打开，清除密码（文件 > 信息 > 保护工作簿 > 用密码进行加密，删除密码）后重新保存。",
        "en": "The workbook is protected with an open password (encrypted), so it cannot be read. Open it in Excel/WPS, remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and save again.",
    },
    "file.corrupt-zip": {
        "zh-CN": "文件已损坏或不是 Excel 工作簿（{reason}）。请重新下载或导出，或在 Excel/WPS 中打开后另存为 .xlsx。",
        "en": "The file is damaged or is not an Excel workbook ({reason}). Download or export it again, or open it in Excel/WPS and Save As .xlsx.",
    },
    "file.zip-bomb": {
        "zh-CN": "文件解压后的数据量远超其大小应有的范围（{reason}），出于安全考虑已拒绝读取。如确为正常工作簿，请删除不用的内容后重新保存。",
        "en": "The file unpacks to far more data than a workbook of its size should ({reason}), so it was refused as unsafe. If it is a genuine workbook, delete unused content and save it again.",
    },
    "file.too-many-entries": {
        "zh-CN": "文件包含 {count} 个内部部件，超过 {limit} 个的上限。请删除不用的工作表、图片和对象后重新保存。",
        "en": "The file has {count} internal parts, more than the {limit} allowed. Delete unused sheets, pictures and objects, then save again.",
    },
    "file.not-a-workbook": {
        "zh-CN": "这是 ZIP/Office 压缩包，但不是 Excel 工作簿（{reason}）。请选择正确的文件，或在 Excel/WPS 中另存为 .xlsx。",
        "en": "This is a ZIP/Office package but not an Excel workbook ({reason}). Choose the right file, or save the data from Excel/WPS as .xlsx.",
    },
    "file.xml-entities": {
        "zh-CN": "工作簿的部件 {part} 含有 DOCTYPE/ENTITY 声明；Excel 从不写入此类声明，它常被用于 XML 攻击，因此已拒绝读取。请在 Excel/WPS 中打开并另存为新的 .xlsx。",
        "en": "Part {part} of the workbook declares a DOCTYPE/ENTITY, which Excel never writes and which is used in XML attacks, so the file was refused. Open it in Excel/WPS and Save As a new .xlsx.",
    },
    "file.sheet-too-large": {
        "zh-CN": "工作表“{sheet}”的内容分布在 {first}:{last}（{cells} 个单元格）；{limit}。通常是数据下方或右侧很远处残留的空格或空文本：请选中不用的行和列并删除，然后重新保存。",
        "en": "Sheet \"{sheet}\" has values spread over {first}:{last} ({cells} cells); {limit}. This is usually stray spaces or empty text far below or right of the data: select the unused rows and columns, delete them, and save again.",
    },
    "file.corrupt-workbook": {
        "zh-CN": "无法读取工作簿（{reason}），文件可能已损坏。请在 Excel/WPS 中打开（可自动修复）并另存为新的 .xlsx。",
        "en": "The workbook could not be read ({reason}); it may be damaged. Open it in Excel/WPS (which can repair it) and Save As a new .xlsx.",
    },
    "file.cell-too-long": {
        "zh-CN": "单元格 {sheet}!{cell} 有 {length} 个字符，超过 {limit} 个的上限（Excel 自身上限为 32,767）。请缩短内容后重新保存。",
        "en": "Cell {sheet}!{cell} holds {length} characters, more than the {limit} allowed (Excel's own limit is 32,767). Shorten it and save again.",
    },
    "file.reason.not-zip": {"zh-CN": "不是 ZIP 压缩包", "en": "it is not a ZIP package"},
    "file.reason.truncated": {
        "zh-CN": "文件不完整，ZIP 压缩包的结尾缺失",
        "en": "the file is cut short; the end of the ZIP package is missing",
    },
    "file.reason.bad-zip": {"zh-CN": "ZIP 目录无法读取：{detail}", "en": "the ZIP directory is unreadable: {detail}"},
    "file.reason.bad-part": {"zh-CN": "部件 {part} 已损坏：{detail}", "en": "part {part} is damaged: {detail}"},
    "file.reason.duplicate": {"zh-CN": "部件 {part} 重复出现", "en": "part {part} appears twice"},
    "file.reason.two-names": {
        "zh-CN": "部件 {part} 还带有另一个名称（{other}）",
        "en": "part {part} also carries another name ({other})",
    },
    "file.reason.zip-encrypted": {"zh-CN": "部件 {part} 使用了 ZIP 加密", "en": "part {part} uses ZIP encryption"},
    "file.reason.method": {
        "zh-CN": "部件 {part} 使用了不支持的压缩方式",
        "en": "part {part} uses an unsupported compression method",
    },
    "file.reason.total": {
        "zh-CN": "合计 {size_mb} MB，超过 {limit_mb} MB 的上限",
        "en": "{size_mb} MB in total, over the {limit_mb} MB limit",
    },
    "file.reason.ratio": {
        "zh-CN": "部件 {part} 的压缩比为 {ratio}:1，超过 {limit}:1 的上限",
        "en": "part {part} is compressed {ratio}:1, over the {limit}:1 limit",
    },
    "file.reason.no-workbook": {"zh-CN": "缺少 xl/workbook.xml{kind}", "en": "there is no xl/workbook.xml{kind}"},
    "file.reason.encoding": {"zh-CN": "部件 {part} 不是 UTF-8 编码", "en": "part {part} is not UTF-8"},
    "file.reason.cell-ref": {
        "zh-CN": "工作表 {sheet} 中有超出 Excel 范围的单元格（{ref}）",
        "en": "sheet {sheet} has a cell outside Excel's grid ({ref})",
    },
    "file.reason.xml": {"zh-CN": "部件 {part} 不是有效的 XML：{detail}", "en": "part {part} is not well-formed XML: {detail}"},
    "file.reason.reader": {"zh-CN": "{detail}", "en": "{detail}"},
    "file.reason.parser": {
        "zh-CN": "表格读取程序无法解析其内容",
        "en": "the spreadsheet reader could not make sense of its contents",
    },
    "file.reason.ole-truncated": {"zh-CN": "文件不完整，结尾缺失", "en": "the file is cut short"},
    "file.reason.ole-size": {
        "zh-CN": "文件内部声明的数据量超过文件本身",
        "en": "it declares more data than the file holds",
    },
    "file.reason.ole-damaged": {"zh-CN": "文件的内部目录已损坏", "en": "its internal directory is damaged"},
    "file.reason.ole-other": {
        "zh-CN": "这是 Office 旧版格式的文件，但其中没有工作簿",
        "en": "it is an older Office file, but holds no workbook",
    },
    "file.reason.no-content": {"zh-CN": "缺少 content.xml", "en": "content.xml is missing"},
    "file.reason.reader-timeout": {
        "zh-CN": "读取超过 {seconds} 秒仍未完成，已停止",
        "en": "reading it took more than {seconds} seconds and was stopped",
    },
    "file.reason.reader-limit": {
        "zh-CN": "读取时需要的内存超过 {mb} MB 的上限",
        "en": "reading it needed more than the {mb} MB of memory allowed",
    },
    "file.limit.rows": {"zh-CN": "上限为 {n} 行", "en": "the limit is {n} rows"},
    "file.limit.cells": {"zh-CN": "上限为 {n} 个单元格", "en": "the limit is {n} cells"},
    "file.limit.total": {
        "zh-CN": "连同前面的工作表共 {total} 个单元格，超过每个工作簿 {n} 个的上限",
        "en": "with the sheets before it that makes {total} cells, over the {n} allowed per workbook",
    },
    "file.kind.docx": {"zh-CN": "；看起来是 Word 文档", "en": "; it looks like a Word document"},
    "file.what.doc": {"zh-CN": " Word 文档", "en": "a Word document"},
    "file.what.docx": {"zh-CN": " Word 文档", "en": "a Word document"},
    "file.what.odt": {"zh-CN": " OpenDocument 文本文档（.odt）", "en": "an OpenDocument text document (.odt)"},
    "file.what.ppt": {"zh-CN": " PowerPoint 演示文稿", "en": "a PowerPoint presentation"},
    "file.what.pptx": {"zh-CN": " PowerPoint 演示文稿", "en": "a PowerPoint presentation"},
    "file.what.odp": {"zh-CN": " OpenDocument 演示文稿（.odp）", "en": "an OpenDocument presentation (.odp)"},
    "file.named": {"zh-CN": "（但文件名以 {ext} 结尾）", "en": " (its name ends in {ext})"},
    "file.kind.pptx": {"zh-CN": "；看起来是 PowerPoint 文件", "en": "; it looks like a PowerPoint file"},
    "file.kind.none": {"zh-CN": "", "en": ""},
}
