"""Errors the library raises besides unreadable files: outputs it cannot write, spec formulas it
cannot read, an extra that is not installed."""

TEXTS: dict[str, dict[str, str]] = {
    "output.onto_input": {"zh-CN": "不会覆盖输入文件 {input}", "en": "refusing to overwrite the input {input}"},
    "output.needs_pyarrow": {
        "zh-CN": "写 Parquet 需要 pyarrow：pip install 'campaign-sheets[parquet]'",
        "en": "Parquet needs pyarrow: pip install 'campaign-sheets[parquet]'",
    },
    "output.file_as_format": {
        "zh-CN": "-o {out}：{suffix} 文件不能写成 {fmt}；csv/parquet 请给一个文件夹",
        "en": "-o {out}: a {suffix} file cannot be written as {fmt}; give a folder for csv/parquet",
    },
    "output.kind": {
        "zh-CN": "-o {out}：请给 .xlsx 或 .json 文件，或一个文件夹（csv 或 parquet）",
        "en": "-o {out}: write a .xlsx or .json file, or a folder (for csv or parquet files)",
    },
    "output.format": {"zh-CN": "未知的输出格式 {fmt}", "en": "unknown output format {fmt}"},
    "output.xlsx_only": {"zh-CN": "输出文件须以 .xlsx 结尾：{target}", "en": "output must end in .xlsx: {target}"},
    "output.cannot_write": {"zh-CN": "无法写入 {target}：{reason}", "en": "cannot write {target}: {reason}"},
    "output.cannot_annotate": {"zh-CN": "无法生成标注副本：{reason}", "en": "cannot annotate: {reason}"},
    "output.annotate_xlsx_only": {
        "zh-CN": "标注副本只能由 .xlsx 生成，而这是 {format} 文件；请在 Excel/WPS/LibreOffice 中另存为 .xlsx 后再试",
        "en": "an annotated copy is made only from an .xlsx, and this is an {format} file; save it as .xlsx in Excel/WPS/LibreOffice and try again",
    },
    "output.exists": {
        "zh-CN": "{target} 已存在，未改动。要替换它请加 --force；或用 -o 写到别处",
        "en": "{target} already exists and was left as it is. To replace it add --force; or write elsewhere with -o",
    },
    "output.exists_folder": {
        "zh-CN": "文件夹 {target} 已有 {n} 个文件，且不是本命令之前的输出，未改动。要整个替换它（其中的文件会被删除）请加 --force；或用 -o 写到别处",
        "en": "the folder {target} holds {n} file(s) and is not this command's earlier output; it was left as it is. "
              "To replace it (its files are deleted) add --force; or write elsewhere with -o",
    },
    "output.holds_data": {
        "zh-CN": "{target} 是已填写的活动工作簿（{campaign}：{rows} 行数据），未改动。确定丢弃这些数据并替换，请加 --force --discard-data；或用 -o 写到别处",
        "en": "{target} is a filled campaign workbook ({campaign}: {rows} rows of data) and was left as it is. "
              "To discard that data and replace it add --force --discard-data; or write elsewhere with -o",
    },
    "output.folder_holds_data": {
        "zh-CN": "文件夹 {target} 中有 {n} 个已填写的活动工作簿（如 {file}：{campaign}，{rows} 行数据），未改动。确定丢弃并替换，请加 --force --discard-data；或用 -o 写到别处",
        "en": "the folder {target} holds {n} filled campaign workbook(s) (e.g. {file}: {campaign}, {rows} rows of data); "
              "it was left as it is. To discard them and replace the folder add --force --discard-data; or write elsewhere with -o",
    },
    "output.is_folder": {
        "zh-CN": "{target} 是一个文件夹，不能替换成文件；请用 -o 指定文件名",
        "en": "{target} is a folder and cannot be replaced by a file; name a file with -o",
    },
    "output.folder_not_replaced": {
        "zh-CN": "文件夹 {target} 中有子文件夹（或是当前文件夹、主文件夹），不会被整个替换，未改动；请用 -o 指定一个新的或空的文件夹",
        "en": "the folder {target} holds folders (or is the current or home folder) and is never replaced whole; "
              "it was left as it is. Name a new or empty folder with -o",
    },
    "output.onto_input_folder": {
        "zh-CN": "输出文件夹 {out} 中有输入文件 {input}；请换一个输出文件夹",
        "en": "the output folder {out} holds the input {input}; choose another output folder",
    },
    "extra.dask": {
        "zh-CN": "--dask 需要 dask 扩展：pip install 'campaign-sheets[dask]'",
        "en": "--dask needs the dask extra: pip install 'campaign-sheets[dask]'",
    },
    "option.date": {"zh-CN": "{value!r} 不是 2026-06-01 这样的日期", "en": "{value!r} is not a date like 2026-06-01"},
    "formula.cannot_read": {"zh-CN": "无法读取公式 {source!r}（位于 {at!r}）", "en": "cannot read formula {source!r} at {at!r}"},
    "formula.unexpected": {"zh-CN": "公式 {source!r} 中出现了意外的 {token!r}", "en": "unexpected {token!r} in formula {source!r}"},
    "formula.expected": {"zh-CN": "公式 {source!r} 中缺少 {token!r}", "en": "expected {token!r} in formula {source!r}"},
    "formula.item": {"zh-CN": "公式 {source!r} 中的 {token} 应写成 {{列表.项}}", "en": "{token} should be {{list.item}} in formula {source!r}"},
    "formula.unknown_function": {"zh-CN": "公式 {source!r} 中有未知函数 {token!r}", "en": "unknown function {token!r} in formula {source!r}"},
    "formula.not_implemented": {"zh-CN": "函数 {token} 尚未实现", "en": "function {token} is not implemented"},
}
