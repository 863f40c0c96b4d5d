"""Command-line output."""

TEXTS: dict[str, dict[str, str]] = {
    "cli.built": {
        "zh-CN": "已生成 {path}（{sheets} 个工作表，语言 {lang}）",
        "en": "Wrote {path} ({sheets} sheets, language {lang})",
    },
    "cli.spec_ok": {
        "zh-CN": "{path}：规格有效（模板 {template} v{version}）",
        "en": "{path}: spec is valid (template {template} v{version})",
    },
    "cli.spec_errors": {"zh-CN": "发现 {n} 个问题：", "en": "{n} problem(s) found:"},
    # counted nouns in the summary lines (`t` takes the `_one` text when count is 1)
    "cli.n.error": {"zh-CN": "{count} 个错误", "en": "{count} errors"},
    "cli.n.error_one": {"zh-CN": "1 个错误", "en": "1 error"},
    "cli.n.warning": {"zh-CN": "{count} 个警告", "en": "{count} warnings"},
    "cli.n.warning_one": {"zh-CN": "1 个警告", "en": "1 warning"},
    "cli.n.alert": {"zh-CN": "{count} 个预警", "en": "{count} alerts"},
    "cli.n.alert_one": {"zh-CN": "1 个预警", "en": "1 alert"},
    "cli.n.file": {"zh-CN": "{count} 个文件", "en": "{count} files"},
    "cli.n.file_one": {"zh-CN": "1 个文件", "en": "1 file"},
    "cli.n.campaign": {"zh-CN": "{count} 个活动", "en": "{count} campaigns"},
    "cli.n.campaign_one": {"zh-CN": "1 个活动", "en": "1 campaign"},
    "cli.n.found": {"zh-CN": "{count} 个文件", "en": "{count} files found"},
    "cli.n.found_one": {"zh-CN": "1 个文件", "en": "1 file found"},
    "cli.n.not_campaign": {"zh-CN": "{count} 个非活动工作簿", "en": "{count} not campaign workbooks"},
    "cli.n.not_campaign_one": {"zh-CN": "1 个非活动工作簿", "en": "1 not a campaign workbook"},
    "cli.file_ok": {
        "zh-CN": "{path}：通过（{error}，{warning}，{alert}）",
        "en": "{path}: OK ({error}, {warning}, {alert})",
    },
    "cli.file_bad": {
        "zh-CN": "{path}：有错误（{error}，{warning}，{alert}）",
        "en": "{path}: INVALID ({error}, {warning}, {alert})",
    },
    "cli.file_unreadable": {
        "zh-CN": "{path}：无法读取 [{code}] {message}",
        "en": "{path}: cannot be read [{code}] {message}",
    },
    "cli.summary": {
        "zh-CN": "共 {files}：{valid} 个通过，{with_errors} 个有错误，{unreadable} 个无法读取",
        "en": "{files}: {valid} valid, {with_errors} with errors, {unreadable} unreadable",
    },
    "cli.annotated": {"zh-CN": "已写出标注副本 {path}", "en": "Annotated copy: {path}"},
    "cli.imported": {
        "zh-CN": "已导入 {files} 个文件（{rows} 行）→ {out}",
        "en": "Imported {files} file(s) ({rows} rows) → {out}",
    },
    "cli.rollup": {
        "zh-CN": "已汇总 → {out}：{campaigns}；找到 {found} = {clean} 个无问题 + {warnings} 个有警告 + {errors} 个有错误 + {rejected} 个无法读取 + {not_campaign} + {superseded} 个被取代的旧版本",
        "en": "Rolled up → {out}: {campaigns}; {found} = {clean} clean + {warnings} with warnings + {errors} with errors + {rejected} unreadable + {not_campaign} + {superseded} superseded",
    },
    "cli.rollup_not_campaign": {
        "zh-CN": "{path}：{message}（未计入活动）",
        "en": "{path}: {message} (not counted as a campaign)",
    },
    "cli.rollup_superseded": {"zh-CN": "注意：{message}", "en": "warning: {message}"},
    "cli.spec_invalid": {
        "zh-CN": "（无效：请运行 campaign-sheets spec check {name}）",
        "en": "(invalid: run `campaign-sheets spec check {name}`)",
    },
    "cli.spec_none": {"zh-CN": "没有找到任何规格", "en": "no specs found"},
    "cli.spec_extends": {"zh-CN": "继承 {base}", "en": "extends {base}"},
    "cli.spec_show_header": {
        "zh-CN": "# 合并后的完整规格（省略默认值）。来源：{sources}",
        "en": "# The fully resolved spec (defaults left out). From: {sources}",
    },
    "cli.spec_exists": {
        "zh-CN": "{path} 已存在，不会覆盖（请用 -o 指定其他文件名）",
        "en": "{path} already exists; not overwriting it (choose another name with -o)",
    },
    "cli.spec_bad_name": {
        "zh-CN": "'{name}' 不是有效的模板编号：只能用小写字母、数字、- 和 _，并以字母开头",
        "en": "'{name}' is not a valid template id: use lowercase letters, digits, - and _, starting with a letter",
    },
    "cli.spec_written": {
        "zh-CN": "已生成 {path}（继承 {base}）。检查：campaign-sheets spec check {path}",
        "en": "Wrote {path} (extends {base}). Check it with: campaign-sheets spec check {path}",
    },
    "cli.schema_written": {"zh-CN": "已写出 JSON Schema：{path}", "en": "Wrote the JSON Schema to {path}"},
    "cli.rollup_note": {"zh-CN": "注意：{message}（{files} 个文件）", "en": "warning: {message} ({files} file(s))"},
    "cli.spec_warning": {"zh-CN": "注意：{message}", "en": "warning: {message}"},
}
