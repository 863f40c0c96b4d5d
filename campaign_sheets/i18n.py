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
