"""User-facing words that do not come from a spec: workbook chrome, CLI and spec-check messages."""
from __future__ import annotations

import os

DEFAULT_LANG = "zh-CN"

CATALOG: dict[str, dict[str, str]] = {
    # workbook chrome
    "template": {"zh-CN": "模板", "en": "Template"},
    "version": {"zh-CN": "版本", "en": "Version"},
    "legend": {"zh-CN": "颜色说明", "en": "Colour legend"},
    "legend.input": {"zh-CN": "白底单元格：请填写", "en": "White cells: fill these in"},
    "legend.formula": {"zh-CN": "灰底单元格：公式自动计算，已锁定", "en": "Grey cells: calculated by formula, locked"},
    "legend.bad": {"zh-CN": "红色：超出预警阈值 / 超支 / 逾期 / 需处理", "en": "Red: past the alert threshold, overspent, overdue or needs action"},
    "legend.warn": {"zh-CN": "黄色：接近阈值，请关注", "en": "Amber: close to the threshold, keep an eye on it"},
    "legend.good": {"zh-CN": "绿色：达成目标", "en": "Green: on target"},
    "legend.info": {"zh-CN": "蓝色：计划中的时间段（甘特图）/ 今天", "en": "Blue: planned period (Gantt) / today"},
    "how_to_fill": {"zh-CN": "填写说明", "en": "How to fill in this workbook"},
    "campaign_info": {"zh-CN": "活动信息", "en": "Campaign facts"},
    "sheets_overview": {"zh-CN": "工作表一览", "en": "Sheets in this workbook"},
    "total": {"zh-CN": "合计", "en": "Total"},
    "today": {"zh-CN": "今天", "en": "Today"},
    "gantt": {"zh-CN": "甘特图（按天）", "en": "Gantt (one column per day)"},
    "input_title": {"zh-CN": "填写提示", "en": "How to fill"},
    "dv.error_title": {"zh-CN": "输入无效", "en": "Invalid entry"},
    "dv.integer": {"zh-CN": "请输入整数{bounds}。", "en": "Enter a whole number{bounds}."},
    "dv.number": {"zh-CN": "请输入数字{bounds}。", "en": "Enter a number{bounds}."},
    "dv.percent": {"zh-CN": "请输入百分比，例如 8%{bounds}。", "en": "Enter a percentage such as 8%{bounds}."},
    "dv.date": {"zh-CN": "请输入日期，格式 yyyy-mm-dd{bounds}。", "en": "Enter a date as yyyy-mm-dd{bounds}."},
    "dv.choice": {"zh-CN": "请从下拉列表中选择。", "en": "Pick a value from the list."},
    "dv.reference": {"zh-CN": "请选择已存在的编号：{target}。", "en": "Pick an existing id from {target}."},
    "dv.person": {"zh-CN": "请选择团队成员（可在“责任分工”表维护）。", "en": "Pick a team member (kept on the RACI sheet)."},
    "dv.text": {"zh-CN": "最多 {n} 个字符。", "en": "At most {n} characters."},
    "dv.between": {"zh-CN": "，介于 {lo} 与 {hi} 之间", "en": " between {lo} and {hi}"},
    "dv.min": {"zh-CN": "，不小于 {lo}", "en": ", at least {lo}"},
    "dv.max": {"zh-CN": "，不大于 {hi}", "en": ", at most {hi}"},
    "required": {"zh-CN": "必填。", "en": "Required."},
    "yes": {"zh-CN": "是", "en": "Yes"},
    "direction.higher": {"zh-CN": "越高越好", "en": "Higher is better"},
    "direction.lower": {"zh-CN": "越低越好", "en": "Lower is better"},
    "no": {"zh-CN": "否", "en": "No"},
    "protected_note": {
        "zh-CN": "工作表已保护（无密码），公式单元格已锁定。需要增加行时：审阅 → 撤销工作表保护，在表格末行按 Tab 即可新增一行，公式与下拉自动延续。",
        "en": "Sheets are protected without a password so formulas stay intact. To add rows: Review → Unprotect Sheet, then press Tab in a table's last cell; formulas and dropdowns carry on.",
    },
    # CLI
    "cli.built": {"zh-CN": "已生成 {path}（{sheets} 个工作表，语言 {lang}）", "en": "Wrote {path} ({sheets} sheets, language {lang})"},
    "cli.spec_ok": {"zh-CN": "{path}：规格有效（模板 {template} v{version}）", "en": "{path}: spec is valid (template {template} v{version})"},
    "cli.spec_errors": {"zh-CN": "发现 {n} 个问题：", "en": "{n} problem(s) found:"},
    # validation issues: message (what was found) and hint (how to fix)
    "issue.type-error": {"zh-CN": "“{column}”的值 {value!r} 无法识别", "en": "{column}: cannot read {value!r}"},
    "hint.type-error": {"zh-CN": "请填写{expected}", "en": "Enter {expected}"},
    "issue.missing-value": {"zh-CN": "“{column}”为必填项，但此行为空", "en": "{column} is required but empty on this row"},
    "hint.missing-field": {"zh-CN": "请在使用说明表的活动信息中填写", "en": "Fill it in among the campaign facts on the Guide sheet"},
    "hint.missing-value": {"zh-CN": "请补充该值，或删除整行", "en": "Fill it in, or delete the whole row"},
    "issue.not-in-choices": {"zh-CN": "“{column}”的值 {value!r} 不在下拉列表中", "en": "{column}: {value!r} is not one of the listed choices"},
    "hint.not-in-choices": {"zh-CN": "请从下拉列表选择：{expected}", "en": "Pick one of: {expected}"},
    "issue.out-of-range": {"zh-CN": "“{column}”的值 {value} 超出范围 {expected}", "en": "{column}: {value} is outside {expected}"},
    "hint.out-of-range": {"zh-CN": "请检查是否多输或少输了位数、单位是否正确", "en": "Check for a typo or a wrong unit"},
    "issue.too-long": {"zh-CN": "“{column}”超过 {expected} 个字符", "en": "{column} is longer than {expected} characters"},
    "hint.too-long": {"zh-CN": "请精简内容", "en": "Shorten the text"},
    "issue.duplicate-key": {"zh-CN": "“{column}”的值 {value!r} 重复（首次出现在 {expected}）", "en": "{column}: {value!r} is used twice (first at {expected})"},
    "hint.duplicate-key": {"zh-CN": "编号必须唯一，请修改其中一个", "en": "Ids must be unique: change one of them"},
    "issue.unknown-reference": {"zh-CN": "“{column}”引用的 {value!r} 在“{expected}”中不存在", "en": "{column}: {value!r} does not exist in {expected}"},
    "hint.unknown-reference": {"zh-CN": "请先在被引用的表中添加该编号，或更正拼写", "en": "Add that id to the referenced table first, or fix the spelling"},
    "issue.unknown-person": {"zh-CN": "“{column}”中的 {value!r} 不在团队名单中", "en": "{column}: {value!r} is not on the team roster"},
    "hint.unknown-person": {"zh-CN": "请在责任分工表的团队名单中添加此人，或更正姓名", "en": "Add the person to the roster on the RACI sheet, or fix the name"},
    "issue.date-outside-campaign": {"zh-CN": "“{column}”的日期 {value} 不在活动周期 {expected} 内", "en": "{column}: {value} is outside the campaign window {expected}"},
    "hint.date-outside-campaign": {"zh-CN": "请检查日期，或在使用说明中更新活动起止日期", "en": "Check the date, or update the campaign dates on the Guide sheet"},
    "issue.dependency-cycle": {"zh-CN": "前置任务形成循环：{value}", "en": "Predecessors form a cycle: {value}"},
    "hint.dependency-cycle": {"zh-CN": "请去掉其中一个前置依赖", "en": "Remove one of the predecessor links"},
    "issue.formula-error": {"zh-CN": "“{column}”是错误值 {value}", "en": "{column} holds the error value {value}"},
    "hint.formula-error": {"zh-CN": "请检查该行的输入值，或恢复被删除的单元格", "en": "Check the row's inputs, or restore deleted cells"},
    "issue.formula-overwritten": {"zh-CN": "“{column}”是公式列，文件中的值 {value!r} 与计算结果 {expected!r} 不一致", "en": "{column} is calculated, but the file holds {value!r} instead of {expected!r}"},
    "hint.formula-overwritten": {"zh-CN": "公式可能被手工覆盖：请从模板复制公式恢复。导入时使用计算结果", "en": "The formula was probably typed over: copy it back from the template. The import uses the computed value"},
    "issue.formula-not-calculated": {"zh-CN": "“{column}”的公式未计算（文件中无结果）", "en": "{column} was never calculated (no result stored in the file)"},
    "hint.formula-not-calculated": {"zh-CN": "请用 Excel/WPS/LibreOffice 打开并保存一次。导入时使用计算结果", "en": "Open and save the file once in Excel, WPS or LibreOffice. The import uses the computed value"},
    "issue.header-missing": {"zh-CN": "表“{table}”缺少列“{column}”", "en": "Table {table} has no column {column}"},
    "hint.header-missing": {"zh-CN": "请恢复该列的表头（可从模板复制）", "en": "Restore the column's header (copy it from the template)"},
    "issue.header-unknown": {"zh-CN": "表“{table}”中有模板之外的列“{column}”，已保留为附加列", "en": "Table {table} has a column {column} the template does not know; kept as an extra column"},
    "hint.header-unknown": {"zh-CN": "如为误加可删除；如需长期使用请让管理员加入模板", "en": "Delete it if it was added by mistake; ask an admin to add it to the template if you need it"},
    "issue.table-missing": {"zh-CN": "找不到表“{table}”", "en": "Table {table} was not found"},
    "hint.table-missing": {"zh-CN": "该表或其表头行可能被删除，请从模板恢复", "en": "The table or its header row may have been deleted: restore it from the template"},
    "issue.sheet-missing": {"zh-CN": "缺少工作表“{table}”", "en": "Sheet {table} is missing"},
    "hint.sheet-missing": {"zh-CN": "请从模板恢复该工作表", "en": "Restore the sheet from the template"},
    "issue.blank-rows": {"zh-CN": "表“{table}”中间有 {value} 个空行，已跳过", "en": "Table {table}: skipped {value} blank row(s) between filled rows"},
    "hint.blank-rows": {"zh-CN": "无需处理；如不希望出现可删除空行", "en": "Nothing to do; delete the blank rows if you like"},
    "issue.template-unknown": {"zh-CN": "无法识别此工作簿所用的模板", "en": "This workbook does not match any known template"},
    "hint.template-unknown": {"zh-CN": "请使用 campaign-sheets build 生成的工作簿，或用 --spec 指定模板", "en": "Use a workbook built by campaign-sheets build, or name the template with --spec"},
    "issue.template-version": {"zh-CN": "工作簿由模板 {value} 生成，当前模板为 {expected}", "en": "Built from template {value}; the current template is {expected}"},
    "hint.template-version": {"zh-CN": "已按当前模板读取；新列视为空值，旧列保留为附加列", "en": "Read with the current template: new columns are empty, removed ones kept as extras"},
    "issue.column-retired": {"zh-CN": "表“{table}”的列“{column}”不在当前版本的模板中，已保留为附加列", "en": "Table {table}: column {column} is not in the current template version; kept as an extra column"},
    "issue.meta-missing": {"zh-CN": "缺少隐藏的 _meta 工作表，已按表头识别为模板 {value}", "en": "The hidden _meta sheet is missing; recognised as template {value} by its headers"},
    "hint.meta-missing": {"zh-CN": "无需处理；今后请保留 _meta 工作表", "en": "Nothing to do; keep the _meta sheet in future"},
    "issue.macros-ignored": {"zh-CN": "工作簿包含宏，宏已被忽略", "en": "The workbook contains macros; they were ignored"},
    "hint.macros-ignored": {"zh-CN": "请另存为不含宏的 .xlsx", "en": "Save it as a macro-free .xlsx"},
    "issue.percent-assumed": {"zh-CN": "“{column}”的 {value!r} 按百分数读取为 {expected}", "en": "{column}: read {value!r} as the percentage {expected}"},
    "hint.percent-assumed": {"zh-CN": "请输入带 % 的值（如 8%）以免歧义", "en": "Type the % sign (e.g. 8%) to avoid doubt"},
    "cli.file_ok": {"zh-CN": "{path}：通过（{error} 个错误，{warning} 个警告，{alert} 个预警）", "en": "{path}: OK ({error} errors, {warning} warnings, {alert} alerts)"},
    "cli.file_bad": {"zh-CN": "{path}：有错误（{error} 个错误，{warning} 个警告，{alert} 个预警）", "en": "{path}: INVALID ({error} errors, {warning} warnings, {alert} alerts)"},
    "cli.file_unreadable": {"zh-CN": "{path}：无法读取 [{code}] {message}", "en": "{path}: cannot be read [{code}] {message}"},
    "cli.summary": {"zh-CN": "共 {files} 个文件：{valid} 个通过，{with_errors} 个有错误，{unreadable} 个无法读取", "en": "{files} file(s): {valid} valid, {with_errors} with errors, {unreadable} unreadable"},
    "cli.annotated": {"zh-CN": "已写出标注副本 {path}", "en": "Annotated copy: {path}"},
    "cli.imported": {"zh-CN": "已导入 {files} 个文件（{rows} 行）→ {out}", "en": "Imported {files} file(s) ({rows} rows) → {out}"},
    "cli.rollup": {"zh-CN": "已汇总 → {out}：找到 {found} 个文件 = {clean} 个无问题 + {warnings} 个有警告 + {errors} 个有错误 + {rejected} 个无法读取",
                   "en": "Rolled up → {out}: {found} files found = {clean} clean + {warnings} with warnings + {errors} with errors + {rejected} unreadable"},
    # spec problems
    "spec.unknown_key": {"zh-CN": "未知的键 '{key}'", "en": "unknown key '{key}'"},
    "spec.did_you_mean": {"zh-CN": "；是否想写 '{guess}'？", "en": "; did you mean '{guess}'?"},
    "spec.missing": {"zh-CN": "缺少必填的键", "en": "required key is missing"},
    "spec.not_one_of": {"zh-CN": "'{value}' 不是有效的{noun}（可选：{options}）", "en": "'{value}' is not a {noun} (one of: {options})"},
    "spec.bad_value": {"zh-CN": "值 {value!r} 无效：{reason}", "en": "invalid value {value!r}: {reason}"},
    "spec.yaml": {"zh-CN": "YAML 语法错误：{reason}", "en": "YAML syntax error: {reason}"},
    "spec.not_mapping": {"zh-CN": "规格文件顶层必须是映射（键: 值）", "en": "a spec file must be a mapping (key: value) at the top"},
    "spec.unknown_list": {"zh-CN": "未定义的列表 '{name}'", "en": "no named list '{name}' in lists"},
    "spec.unknown_ref": {"zh-CN": "引用 '{ref}' 指向不存在的表或列", "en": "reference '{ref}' names no table.column in this spec"},
    "spec.unknown_column": {"zh-CN": "公式引用了不存在的列 '{name}'", "en": "formula refers to unknown column '{name}'"},
    "spec.formula": {"zh-CN": "公式错误：{reason}", "en": "formula error: {reason}"},
    "spec.duplicate": {"zh-CN": "重复的 {what} '{key}'", "en": "duplicate {what} '{key}'"},
    "spec.missing_locale": {"zh-CN": "缺少 {lang} 文本", "en": "text is missing for {lang}"},
    "spec.needs": {"zh-CN": "类型 {type} 需要设置 '{key}'", "en": "type {type} needs '{key}'"},
    "spec.unknown_item": {"zh-CN": "列表 '{name}' 中没有 '{key}'", "en": "list '{name}' has no item '{key}'"},
    "spec.too_long": {"zh-CN": "长度 {n} 超过上限 {limit}（{what}）", "en": "{what} is {n} characters, over Excel's limit of {limit}"},
    "spec.not_found": {"zh-CN": "找不到规格 '{name}'。可用：{available}", "en": "no spec named '{name}'. Available: {available}"},
    # spec inheritance (extends / remove / order)
    "spec.extends_type": {"zh-CN": "extends 须为规格名称（如 campaign）或相对于本文件的路径", "en": "'extends' must be a spec name (such as campaign) or a path relative to this file"},
    "spec.extends_not_found": {"zh-CN": "找不到要继承的规格 '{name}'（在本文件所在目录与规格目录中查找）。可用：{available}", "en": "no base spec '{name}' next to this file or in the spec folders. Available: {available}"},
    "spec.extends_cycle": {"zh-CN": "规格之间循环继承：{chain}", "en": "specs extend each other in a cycle: {chain}"},
    "spec.child_needs": {"zh-CN": "继承其他规格（extends）时必须写明自己的 '{key}'", "en": "a spec that extends another must set its own '{key}'"},
    "spec.inherited": {"zh-CN": "（{child} 继承的内容）", "en": " (inherited by {child})"},
    "spec.remove_type": {"zh-CN": "remove 须为点分路径的列表，如 [sheets.review, lists.channels.sms]", "en": "'remove' must be a list of dotted paths such as [sheets.review, lists.channels.sms]"},
    "spec.path_unknown": {"zh-CN": "路径 '{path}' 在合并后的规格中不存在：{parent} 下没有 '{part}'", "en": "'{path}' names nothing in the merged spec: there is no '{part}' under {parent}"},
    "spec.order_type": {"zh-CN": "order 须为“点分路径: [键, ...]”的映射，如 sheets: [guide, goals]", "en": "'order' must map dotted paths to lists of keys, e.g. sheets: [guide, goals]"},
    "spec.order_not_keyed": {"zh-CN": "'{path}' 不是按键合并的列表或映射，不能排序", "en": "'{path}' is not a keyed list or a mapping, so it cannot be ordered"},
    "spec.order_unknown_key": {"zh-CN": "'{path}' 中没有 '{key}'", "en": "'{key}' is not in {path}"},
    # spec tooling (campaign-sheets spec ...)
    "cli.spec_invalid": {"zh-CN": "（无效：请运行 campaign-sheets spec check {name}）", "en": "(invalid: run `campaign-sheets spec check {name}`)"},
    "cli.spec_none": {"zh-CN": "没有找到任何规格", "en": "no specs found"},
    "cli.spec_extends": {"zh-CN": "继承 {base}", "en": "extends {base}"},
    "cli.spec_show_header": {"zh-CN": "# 合并后的完整规格（省略默认值）。来源：{sources}", "en": "# The fully resolved spec (defaults left out). From: {sources}"},
    "cli.spec_exists": {"zh-CN": "{path} 已存在，不会覆盖（请用 -o 指定其他文件名）", "en": "{path} already exists; not overwriting it (choose another name with -o)"},
    "cli.spec_bad_name": {"zh-CN": "'{name}' 不是有效的模板编号：只能用小写字母、数字、- 和 _，并以字母开头", "en": "'{name}' is not a valid template id: use lowercase letters, digits, - and _, starting with a letter"},
    "cli.spec_written": {"zh-CN": "已生成 {path}（继承 {base}）。检查：campaign-sheets spec check {path}", "en": "Wrote {path} (extends {base}). Check it with: campaign-sheets spec check {path}"},
    "cli.schema_written": {"zh-CN": "已写出 JSON Schema：{path}", "en": "Wrote the JSON Schema to {path}"},
    "spec.new.header": {"zh-CN": "{name}：继承“{base}”的规格，只写与基础模板不同的部分，其余全部沿用。",
                        "en": "{name}: a spec that extends \"{base}\". Write only what differs; everything else comes from the base."},
    "spec.new.commands": {"zh-CN": "检查：campaign-sheets spec check {file}　查看合并结果：campaign-sheets spec show {file}　生成：campaign-sheets build --spec {file}",
                          "en": "Check: campaign-sheets spec check {file}   Merged result: campaign-sheets spec show {file}   Build: campaign-sheets build --spec {file}"},
    "spec.new.docs": {"zh-CN": "所有键与合并规则见 docs/spec.md；编辑器自动补全：campaign-sheets spec schema -o spec.schema.json",
                      "en": "Every key and the merge rules: docs/spec.md. Editor autocompletion: campaign-sheets spec schema -o spec.schema.json"},
    "spec.new.uncomment": {"zh-CN": "下面的示例均已注释；去掉行首的 # 即可启用（可以全部同时启用）。",
                           "en": "The examples below are commented out: remove the leading # to use them (they also work all together)."},
    "spec.new.template": {"zh-CN": "模板编号，写入每个工作簿，请保持不变", "en": "the id written into every workbook; keep it stable"},
    "spec.new.version": {"zh-CN": "修改列后请加 1", "en": "raise it when you change columns"},
    "spec.new.title": {"zh-CN": "{title}（{name}）", "en": "{title} ({name})"},
    "spec.new.description": {"zh-CN": "基于“{base}”定制的模板", "en": "Customised from {base}"},
    "spec.new.branding": {"zh-CN": "品牌与保护：普通的键，直接覆盖基础模板的值。", "en": "Branding and protection are ordinary keys: they simply override the base."},
    "spec.new.lists": {"zh-CN": "列表按 key 合并：已有的 key 被修改，新的 key 追加在末尾。", "en": "Lists merge by key: an existing key is changed, a new key is appended at the end."},
    "spec.new.sheets": {"zh-CN": "工作表、表格和列按 key 合并：写出工作表和表格的 key，再新增或修改列。", "en": "Sheets, tables and columns merge by key: name the sheet and the table, then add or change columns."},
    "spec.new.change_help": {"zh-CN": "已有的列：只改填写提示", "en": "an existing column: change only its help"},
    "spec.new.add_column": {"zh-CN": "新增一列（追加在最后）", "en": "a new column (appended at the end)"},
    "spec.new.remove": {"zh-CN": "按点分路径删除基础模板中的内容（工作表、表格、列、列表项、KPI、规则代码）。", "en": "Remove parts of the base by dotted path (a sheet, table, column, list item, KPI or rule code)."},
    "spec.new.order": {"zh-CN": "排序：列出的键排在最前，其余保持原有顺序。", "en": "Reorder: the keys listed come first, the rest keep their order after them."},
    "spec.new.option": {"zh-CN": "新增选项", "en": "New option"},
    "spec.new.column": {"zh-CN": "自定义备注", "en": "Custom note"},
    "spec.new.column_help": {"zh-CN": "按本团队的要求填写", "en": "Fill in as your team agrees"},
    "spec.new.company": {"zh-CN": "示例公司", "en": "Example Co."},
}


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message `key` in `lang` (zh-CN or en), formatted with `params`."""
    entry = CATALOG[key]
    text = entry.get(lang or DEFAULT_LANG) or entry["en"]
    return text.format(**params) if params else text


def cli_lang(explicit: str | None = None) -> str:
    """The language for messages: --lang, then CAMPAIGN_SHEETS_LANG, then LANG, then zh-CN."""
    if explicit:
        return explicit
    env = os.environ.get("CAMPAIGN_SHEETS_LANG")
    if env in ("zh-CN", "en"):
        return env
    lang = os.environ.get("LANG", "")
    if lang.startswith("en"):
        return "en"
    return DEFAULT_LANG

# --------------------------------------------------------------------------- file checks
# Messages of read/safe_open.py, keyed by WorkbookFileError code (and reason./limit./kind. parts).
FILE_MESSAGES: dict[str, dict[str, str]] = {
    "file-missing": {
        "en": "File not found: {name}. Check the folder and the file name, including the .xlsx extension.",
        "zh-CN": "找不到文件：{name}。请检查文件夹和文件名（包括 .xlsx 扩展名）。",
    },
    "file-is-folder": {
        "en": "{name} is a folder, not a file. Choose the .xlsx file inside it.",
        "zh-CN": "{name} 是文件夹，不是文件。请选择其中的 .xlsx 文件。",
    },
    "file-empty": {
        "en": "The file is empty (0 bytes); it was probably not saved or not fully downloaded. Save or download it again.",
        "zh-CN": "文件为空（0 字节），可能没有保存成功或没有下载完整。请重新保存或下载。",
    },
    "file-too-large": {
        "en": "The file is {size_mb} MB, over the {limit_mb} MB limit. Delete unused sheets, pictures and "
              "formatted blank rows, then save again.",
        "zh-CN": "文件大小为 {size_mb} MB，超过 {limit_mb} MB 的上限。请删除不用的工作表、图片和带格式的空行后重新保存。",
    },
    "file-unreadable": {
        "en": "The file cannot be opened for reading ({reason}). Close it in other programs and check that you may read it.",
        "zh-CN": "无法读取该文件（{reason}）。请在其他程序中关闭它，并确认有读取权限。",
    },
    "not-xlsx-legacy-xls": {
        "en": "This is a legacy .xls file saved with an .xlsx name: open it in Excel/WPS and Save As .xlsx.",
        "zh-CN": "这是以 .xlsx 命名的旧版 .xls 文件：请在 Excel/WPS 中另存为 .xlsx。",
    },
    "not-xlsx-xlsb": {
        "en": "This is an Excel binary workbook (.xlsb) with an .xlsx name: open it in Excel and Save As "
              "\"Excel Workbook (.xlsx)\".",
        "zh-CN": "这是以 .xlsx 命名的 Excel 二进制工作簿（.xlsb）：请在 Excel 中另存为“Excel 工作簿（.xlsx）”。",
    },
    "not-xlsx-csv": {
        "en": "This is a text (CSV) file with an .xlsx name: open it in Excel/WPS and Save As .xlsx.",
        "zh-CN": "这是以 .xlsx 命名的文本（CSV）文件：请在 Excel/WPS 中打开并另存为 .xlsx。",
    },
    "not-xlsx-html": {
        "en": "This is a web page (HTML) with an .xlsx name, as some systems produce for \"export to Excel\": "
              "open it in Excel/WPS and Save As .xlsx.",
        "zh-CN": "这是以 .xlsx 命名的网页（HTML）文件，常见于某些系统的“导出 Excel”功能：请在 Excel/WPS 中打开并另存为 .xlsx。",
    },
    "not-xlsx-ods": {
        "en": "This is an OpenDocument spreadsheet (.ods) with an .xlsx name: open it in LibreOffice/WPS/Excel "
              "and Save As .xlsx.",
        "zh-CN": "这是以 .xlsx 命名的 OpenDocument 表格（.ods）：请在 LibreOffice/WPS/Excel 中打开并另存为 .xlsx。",
    },
    "encrypted": {
        "en": "The workbook is protected with an open password (encrypted), so it cannot be read. Open it in "
              "Excel/WPS, remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) "
              "and save again.",
        "zh-CN": "工作簿设置了打开密码（已加密），无法读取。请在 Excel/WPS 中打开，清除密码（文件 > 信息 > 保护工作簿 > "
                 "用密码进行加密，删除密码）后重新保存。",
    },
    "corrupt-zip": {
        "en": "The file is damaged or is not an Excel workbook ({reason}). Download or export it again, or open "
              "it in Excel/WPS and Save As .xlsx.",
        "zh-CN": "文件已损坏或不是 Excel 工作簿（{reason}）。请重新下载或导出，或在 Excel/WPS 中打开后另存为 .xlsx。",
    },
    "zip-bomb": {
        "en": "The file unpacks to far more data than a workbook of its size should ({reason}), so it was "
              "refused as unsafe. If it is a genuine workbook, delete unused content and save it again.",
        "zh-CN": "文件解压后的数据量远超其大小应有的范围（{reason}），出于安全考虑已拒绝读取。如确为正常工作簿，"
                 "请删除不用的内容后重新保存。",
    },
    "too-many-entries": {
        "en": "The file has {count} internal parts, more than the {limit} allowed. Delete unused sheets, "
              "pictures and objects, then save again.",
        "zh-CN": "文件包含 {count} 个内部部件，超过 {limit} 个的上限。请删除不用的工作表、图片和对象后重新保存。",
    },
    "not-a-workbook": {
        "en": "This is a ZIP/Office package but not an Excel workbook ({reason}). Choose the right file, or "
              "save the data from Excel/WPS as .xlsx.",
        "zh-CN": "这是 ZIP/Office 压缩包，但不是 Excel 工作簿（{reason}）。请选择正确的文件，或在 Excel/WPS 中另存为 .xlsx。",
    },
    "xml-entities": {
        "en": "Part {part} of the workbook declares a DOCTYPE/ENTITY, which Excel never writes and which is "
              "used in XML attacks, so the file was refused. Open it in Excel/WPS and Save As a new .xlsx.",
        "zh-CN": "工作簿的部件 {part} 含有 DOCTYPE/ENTITY 声明；Excel 从不写入此类声明，它常被用于 XML 攻击，"
                 "因此已拒绝读取。请在 Excel/WPS 中打开并另存为新的 .xlsx。",
    },
    "sheet-too-large": {
        "en": "Sheet \"{sheet}\" has values spread over {first}:{last} ({cells} cells); {limit}. This is "
              "usually stray spaces or empty text far below or right of the data: select the unused rows and "
              "columns, delete them, and save again.",
        "zh-CN": "工作表“{sheet}”的内容分布在 {first}:{last}（{cells} 个单元格）；{limit}。"
                 "通常是数据下方或右侧很远处残留的空格或空文本：请选中不用的行和列并删除，然后重新保存。",
    },
    "corrupt-workbook": {
        "en": "The workbook could not be read ({reason}); it may be damaged. Open it in Excel/WPS (which can "
              "repair it) and Save As a new .xlsx.",
        "zh-CN": "无法读取工作簿（{reason}），文件可能已损坏。请在 Excel/WPS 中打开（可自动修复）并另存为新的 .xlsx。",
    },
    "cell-too-long": {
        "en": "Cell {sheet}!{cell} holds {length} characters, more than the {limit} allowed (Excel's own "
              "limit is 32,767). Shorten it and save again.",
        "zh-CN": "单元格 {sheet}!{cell} 有 {length} 个字符，超过 {limit} 个的上限（Excel 自身上限为 32,767）。"
                 "请缩短内容后重新保存。",
    },
    # reasons, inserted as {reason}
    "reason.not-zip": {"en": "it is not a ZIP package", "zh-CN": "不是 ZIP 压缩包"},
    "reason.truncated": {"en": "the file is cut short; the end of the ZIP package is missing",
                         "zh-CN": "文件不完整，ZIP 压缩包的结尾缺失"},
    "reason.bad-zip": {"en": "the ZIP directory is unreadable: {detail}", "zh-CN": "ZIP 目录无法读取：{detail}"},
    "reason.bad-part": {"en": "part {part} is damaged: {detail}", "zh-CN": "部件 {part} 已损坏：{detail}"},
    "reason.duplicate": {"en": "part {part} appears twice", "zh-CN": "部件 {part} 重复出现"},
    "reason.two-names": {"en": "part {part} also carries another name ({other})",
                         "zh-CN": "部件 {part} 还带有另一个名称（{other}）"},
    "reason.zip-encrypted": {"en": "part {part} uses ZIP encryption", "zh-CN": "部件 {part} 使用了 ZIP 加密"},
    "reason.method": {"en": "part {part} uses an unsupported compression method",
                      "zh-CN": "部件 {part} 使用了不支持的压缩方式"},
    "reason.total": {"en": "{size_mb} MB in total, over the {limit_mb} MB limit",
                     "zh-CN": "合计 {size_mb} MB，超过 {limit_mb} MB 的上限"},
    "reason.ratio": {"en": "part {part} is compressed {ratio}:1, over the {limit}:1 limit",
                     "zh-CN": "部件 {part} 的压缩比为 {ratio}:1，超过 {limit}:1 的上限"},
    "reason.no-workbook": {"en": "there is no xl/workbook.xml{kind}", "zh-CN": "缺少 xl/workbook.xml{kind}"},
    "reason.encoding": {"en": "part {part} is not UTF-8", "zh-CN": "部件 {part} 不是 UTF-8 编码"},
    "reason.cell-ref": {"en": "sheet {sheet} has a cell outside Excel's grid ({ref})",
                        "zh-CN": "工作表 {sheet} 中有超出 Excel 范围的单元格（{ref}）"},
    "reason.xml": {"en": "part {part} is not well-formed XML: {detail}", "zh-CN": "部件 {part} 不是有效的 XML：{detail}"},
    "reason.reader": {"en": "{detail}", "zh-CN": "{detail}"},
    "limit.rows": {"en": "the limit is {n} rows", "zh-CN": "上限为 {n} 行"},
    "limit.cells": {"en": "the limit is {n} cells", "zh-CN": "上限为 {n} 个单元格"},
    "limit.total": {"en": "with the sheets before it that makes {total} cells, over the {n} allowed per workbook",
                    "zh-CN": "连同前面的工作表共 {total} 个单元格，超过每个工作簿 {n} 个的上限"},
    "kind.docx": {"en": "; it looks like a Word document", "zh-CN": "；看起来是 Word 文档"},
    "kind.pptx": {"en": "; it looks like a PowerPoint file", "zh-CN": "；看起来是 PowerPoint 文件"},
    "kind.none": {"en": "", "zh-CN": ""},
}


# --------------------------------------------------------------------------- value reading
# What read/coerce.py says a cell should hold (`expected`), per column type.
VALUE_MESSAGES: dict[str, dict[str, str]] = {
    "coerce.integer": {"zh-CN": "整数，例如 1200", "en": "a whole number such as 1200"},
    "coerce.number": {"zh-CN": "数字，例如 1200 或 1,200.5", "en": "a number such as 1200 or 1,200.5"},
    "coerce.money": {"zh-CN": "金额，例如 1200 或 {currency}1,200", "en": "an amount such as 1200 or {currency}1,200"},
    "coerce.percent": {"zh-CN": "百分比，例如 8% 或 0.08", "en": "a percentage such as 8% or 0.08"},
    "coerce.date": {"zh-CN": "日期，格式 yyyy-mm-dd，例如 2026-06-18", "en": "a date as yyyy-mm-dd, e.g. 2026-06-18"},
    "coerce.date_year": {"zh-CN": "带年份的日期，例如 2026-06-18", "en": "a date with its year, e.g. 2026-06-18"},
    "coerce.datetime": {"zh-CN": "日期时间，格式 yyyy-mm-dd hh:mm，例如 2026-06-18 10:00",
                        "en": "a date and time as yyyy-mm-dd hh:mm, e.g. 2026-06-18 10:00"},
    "coerce.bool": {"zh-CN": "{yes} / {no}", "en": "{yes} / {no}"},
    "coerce.error": {"zh-CN": "一个值，而不是错误值 {value}", "en": "a value, not the error {value}"},
}
