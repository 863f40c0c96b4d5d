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
