"""Validation issues: the message (what was found) and the hint (how to fix), and what a cell should hold."""

TEXTS: dict[str, dict[str, str]] = {
    "issue.type-error": {"zh-CN": "“{column}”的值 {value!r} 无法识别", "en": "{column}: cannot read {value!r}"},
    "hint.type-error": {"zh-CN": "请填写{expected}", "en": "Enter {expected}"},
    "issue.missing-value": {"zh-CN": "“{column}”为必填项，但此行为空", "en": "{column} is required but empty on this row"},
    "hint.missing-field": {"zh-CN": "请在使用说明表的活动信息中填写", "en": "Fill it in among the campaign facts on the Guide sheet"},
    "hint.missing-value": {"zh-CN": "请补充该值，或删除整行", "en": "Fill it in, or delete the whole row"},
    "issue.not-in-choices": {
        "zh-CN": "“{column}”的值 {value!r} 不在下拉列表中",
        "en": "{column}: {value!r} is not one of the listed choices",
    },
    "hint.not-in-choices": {"zh-CN": "请从下拉列表选择：{expected}", "en": "Pick one of: {expected}"},
    "issue.out-of-range": {
        "zh-CN": "“{column}”的值 {value} 超出范围 {expected}",
        "en": "{column}: {value} is outside {expected}",
    },
    "hint.out-of-range": {"zh-CN": "请检查是否多输或少输了位数、单位是否正确", "en": "Check for a typo or a wrong unit"},
    "issue.too-long": {"zh-CN": "“{column}”超过 {expected} 个字符", "en": "{column} is longer than {expected} characters"},
    "hint.too-long": {"zh-CN": "请精简内容", "en": "Shorten the text"},
    "issue.duplicate-key": {
        "zh-CN": "“{column}”的值 {value!r} 重复（首次出现在 {expected}）",
        "en": "{column}: {value!r} is used twice (first at {expected})",
    },
    "hint.duplicate-key": {"zh-CN": "编号必须唯一，请修改其中一个", "en": "Ids must be unique: change one of them"},
    "issue.unknown-reference": {
        "zh-CN": "“{column}”引用的 {value!r} 在“{expected}”中不存在",
        "en": "{column}: {value!r} does not exist in {expected}",
    },
    "hint.unknown-reference": {
        "zh-CN": "请先在被引用的表中添加该编号，或更正拼写",
        "en": "Add that id to the referenced table first, or fix the spelling",
    },
    "issue.unknown-person": {
        "zh-CN": "“{column}”中的 {value!r} 不在团队名单中",
        "en": "{column}: {value!r} is not on the team roster",
    },
    "hint.unknown-person": {
        "zh-CN": "请在责任分工表的团队名单中添加此人，或更正姓名",
        "en": "Add the person to the roster on the RACI sheet, or fix the name",
    },
    "issue.kpi-ratio-mismatch": {
        "zh-CN": "“{column}” {value} 与 {expected} 不一致（看板和日报按后者计算）",
        "en": "{column} {value} is not {expected} (the dashboard and the brief use the latter)",
    },
    "hint.kpi-ratio-mismatch": {
        "zh-CN": "改正该值，或改正两项中填错的那一项",
        "en": "Correct this value, or whichever of the two figures is wrong",
    },
    "issue.kpi-ratio-incomplete": {
        "zh-CN": "“{column}”为空，但同一行填写了“{value}”：看板的“{expected}”累计值会把这一行计入，日报和汇总不计入",
        "en": "{column} is empty on a row where {value} is filled: the dashboard's {expected} to date counts this row, "
              "the brief and the rollup leave it out",
    },
    "issue.kpi-days-missing": {
        "zh-CN": "{count} 天没有任何 KPI 数据：{value}（活动开始至数据截至日 {expected}）；日报和汇总不把这些天算作 0，也不计入日均",
        "en": "{count} days have no KPI figures: {value} (from the start to the data's date, {expected}); "
              "the brief and the rollup leave them out of daily rates instead of counting them as 0",
    },
    "issue.kpi-days-missing_one": {
        "zh-CN": "1 天没有任何 KPI 数据：{value}（活动开始至数据截至日 {expected}）；日报和汇总不把这一天算作 0，也不计入日均",
        "en": "1 day has no KPI figures: {value} (from the start to the data's date, {expected}); "
              "the brief and the rollup leave it out of daily rates instead of counting it as 0",
    },
    "hint.kpi-days-missing": {
        "zh-CN": "补录这些天的数据；确实为 0 的填 0",
        "en": "Enter those days' figures; where nothing happened, enter 0",
    },
    "issue.kpi-target-invalid": {
        "zh-CN": "“{expected}”的目标值 {value} 不是正数：无法计算完成率和进度",
        "en": "The target of {expected} is {value}, not a positive number: no share or pace can be computed",
    },
    "hint.kpi-target-invalid": {
        "zh-CN": "填写大于 0 的目标值",
        "en": "Enter a target above 0",
    },
    "hint.kpi-ratio-incomplete": {
        "zh-CN": "补填“{column}”，或清空“{value}”",
        "en": "Fill in {column}, or clear {value}",
    },
    "issue.date-outside-campaign": {
        "zh-CN": "“{column}”的日期 {value} 不在活动周期 {expected} 内",
        "en": "{column}: {value} is outside the campaign window {expected}",
    },
    "hint.date-outside-campaign": {
        "zh-CN": "请检查日期，或在使用说明中更新活动起止日期",
        "en": "Check the date, or update the campaign dates on the Guide sheet",
    },
    "issue.dependency-cycle": {"zh-CN": "前置任务形成循环：{value}", "en": "Predecessors form a cycle: {value}"},
    "hint.dependency-cycle": {"zh-CN": "请去掉其中一个前置依赖", "en": "Remove one of the predecessor links"},
    "issue.formula-error": {"zh-CN": "“{column}”是错误值 {value}", "en": "{column} holds the error value {value}"},
    "hint.formula-error": {"zh-CN": "请检查该行的输入值，或恢复被删除的单元格", "en": "Check the row's inputs, or restore deleted cells"},
    "issue.formula-overwritten": {
        "zh-CN": "“{column}”是公式列，文件中的值 {value!r} 与计算结果 {expected!r} 不一致",
        "en": "{column} is calculated, but the file holds {value!r} instead of {expected!r}",
    },
    "hint.formula-overwritten": {
        "zh-CN": "公式可能被手工覆盖：请从模板复制公式恢复。导入时使用计算结果",
        "en": "The formula was probably typed over: copy it back from the template. The import uses the computed value",
    },
    "issue.formulas-recomputed": {
        "zh-CN": "此文件由 {app} 保存，其中 {n} 个公式单元格没有保存计算结果（或是无法识别的错误值），已按输入重新计算",
        "en": "Saved by {app}, which left {n} formula cells without a stored result (or with an unknown error "
              "value): they were recomputed from the inputs",
    },
    "issue.formulas-recomputed_one": {
        "zh-CN": "此文件由 {app} 保存，其中 1 个公式单元格没有保存计算结果（或是无法识别的错误值），已按输入重新计算",
        "en": "Saved by {app}, which left 1 formula cell without a stored result (or with an unknown error "
              "value): it was recomputed from the inputs",
    },
    "issue.formulas-recomputed.unknown-app": {
        "zh-CN": "{n} 个公式单元格没有保存计算结果（或是无法识别的错误值），已按输入重新计算",
        "en": "{n} formula cells had no stored result (or an unknown error value): they were recomputed from the inputs",
    },
    "issue.formulas-recomputed.unknown-app_one": {
        "zh-CN": "1 个公式单元格没有保存计算结果（或是无法识别的错误值），已按输入重新计算",
        "en": "1 formula cell had no stored result (or an unknown error value): it was recomputed from the inputs",
    },
    "issue.formulas-recomputed.some-app": {"zh-CN": "保存它的应用", "en": "the application that saved it"},
    "hint.formulas-recomputed.broken": {
        "zh-CN": "校验、导入、简报与汇总都使用重新计算的结果。但 {app} 替换了它无法识别的公式：文件重新计算后，"
                 "Excel/WPS/LibreOffice 会在这些公式列显示错误（#NAME?）。请从新生成的模板（campaign-sheets build）复制公式列恢复",
        "en": "Validation, the import, the brief and the rollup use the recomputed values. But {app} replaced the formulas "
              "it could not read: once the file is recalculated, Excel, WPS and LibreOffice show errors (#NAME?) in those "
              "formula columns. Copy the formula columns back from a freshly built template (campaign-sheets build)",
    },
    "hint.formulas-recomputed": {
        "zh-CN": "无需修改：校验、导入、简报与汇总都使用重新计算的结果。若想在文件中也看到这些结果，请用 Excel/WPS/LibreOffice 打开并保存一次",
        "en": "Nothing to fix: validation, the import, the brief and the rollup use the recomputed values. To see "
              "them in the file too, open it once in Excel, WPS or LibreOffice and save it",
    },
    "issue.header-missing": {"zh-CN": "表“{table}”缺少列“{column}”", "en": "Table {table} has no column {column}"},
    "hint.header-missing": {
        "zh-CN": "请恢复该列的表头（可从模板复制）",
        "en": "Restore the column's header (copy it from the template)",
    },
    "issue.header-unknown": {
        "zh-CN": "表“{table}”中有模板之外的列“{column}”，已保留为附加列",
        "en": "Table {table} has a column {column} the template does not know; kept as an extra column",
    },
    "hint.header-unknown": {
        "zh-CN": "如为误加可删除；如需长期使用请让管理员加入模板",
        "en": "Delete it if it was added by mistake; ask an admin to add it to the template if you need it",
    },
    "issue.table-missing": {"zh-CN": "找不到表“{table}”", "en": "Table {table} was not found"},
    "hint.table-missing": {
        "zh-CN": "该表或其表头行可能被删除，请从模板恢复",
        "en": "The table or its header row may have been deleted: restore it from the template",
    },
    "issue.sheet-missing": {"zh-CN": "缺少工作表“{table}”", "en": "Sheet {table} is missing"},
    "hint.sheet-missing": {"zh-CN": "请从模板恢复该工作表", "en": "Restore the sheet from the template"},
    "issue.blank-rows": {
        "zh-CN": "表“{table}”中间有 {value} 个空行，已跳过",
        "en": "Table {table}: skipped {value} blank row(s) between filled rows",
    },
    "hint.blank-rows": {"zh-CN": "无需处理；如不希望出现可删除空行", "en": "Nothing to do; delete the blank rows if you like"},
    "issue.template-unknown": {"zh-CN": "无法识别此工作簿所用的模板", "en": "This workbook does not match any known template"},
    "hint.template-unknown": {
        "zh-CN": "请使用 campaign-sheets build 生成的工作簿，或用 --spec 指定模板",
        "en": "Use a workbook built by campaign-sheets build, or name the template with --spec",
    },
    "issue.template-version": {
        "zh-CN": "工作簿由模板 {value} 生成，当前模板为 {expected}",
        "en": "Built from template {value}; the current template is {expected}",
    },
    "hint.template-version": {
        "zh-CN": "已按当前模板读取；新列视为空值，旧列保留为附加列",
        "en": "Read with the current template: new columns are empty, removed ones kept as extras",
    },
    "issue.column-retired": {
        "zh-CN": "表“{table}”的列“{column}”不在当前版本的模板中，已保留为附加列",
        "en": "Table {table}: column {column} is not in the current template version; kept as an extra column",
    },
    "issue.meta-missing": {
        "zh-CN": "缺少隐藏的 _meta 工作表，已按表头识别为模板 {value}",
        "en": "The hidden _meta sheet is missing; recognised as template {value} by its headers",
    },
    "hint.meta-missing": {"zh-CN": "无需处理；今后请保留 _meta 工作表", "en": "Nothing to do; keep the _meta sheet in future"},
    "issue.macros-ignored": {"zh-CN": "工作簿包含宏，宏已被忽略", "en": "The workbook contains macros; they were ignored"},
    "hint.macros-ignored": {"zh-CN": "请另存为不含宏的 .xlsx", "en": "Save it as a macro-free .xlsx"},
    "issue.percent-assumed": {
        "zh-CN": "“{column}”的 {value!r} 按百分数读取为 {expected}",
        "en": "{column}: read {value!r} as the percentage {expected}",
    },
    "hint.percent-assumed": {"zh-CN": "请输入带 % 的值（如 8%）以免歧义", "en": "Type the % sign (e.g. 8%) to avoid doubt"},
    "coerce.integer": {"zh-CN": "整数，例如 1200", "en": "a whole number such as 1200"},
    "coerce.number": {"zh-CN": "数字，例如 1200 或 1,200.5", "en": "a number such as 1200 or 1,200.5"},
    "coerce.money": {"zh-CN": "金额，例如 1200 或 {currency}1,200", "en": "an amount such as 1200 or {currency}1,200"},
    "coerce.percent": {"zh-CN": "百分比，例如 8% 或 0.08", "en": "a percentage such as 8% or 0.08"},
    "coerce.date": {"zh-CN": "日期，格式 yyyy-mm-dd，例如 2026-06-18", "en": "a date as yyyy-mm-dd, e.g. 2026-06-18"},
    "coerce.date_year": {"zh-CN": "带年份的日期，例如 2026-06-18", "en": "a date with its year, e.g. 2026-06-18"},
    "coerce.datetime": {
        "zh-CN": "日期时间，格式 yyyy-mm-dd hh:mm，例如 2026-06-18 10:00",
        "en": "a date and time as yyyy-mm-dd hh:mm, e.g. 2026-06-18 10:00",
    },
    "coerce.bool": {"zh-CN": "{yes} / {no}", "en": "{yes} / {no}"},
    "coerce.error": {"zh-CN": "一个值，而不是错误值 {value}", "en": "a value, not the error {value}"},
    # the KPI threshold rules a spec gets for every KPI with thresholds
    "kpi.alert.higher": {"zh-CN": "{kpi} {value} 低于预警线 {threshold}", "en": "{kpi} {value} is below its alert line {threshold}"},
    "kpi.alert.lower": {"zh-CN": "{kpi} {value} 高于预警线 {threshold}", "en": "{kpi} {value} is above its alert line {threshold}"},
    "kpi.warning.higher": {"zh-CN": "{kpi} {value} 低于关注线 {threshold}", "en": "{kpi} {value} is below its watch line {threshold}"},
    "kpi.warning.lower": {"zh-CN": "{kpi} {value} 高于关注线 {threshold}", "en": "{kpi} {value} is above its watch line {threshold}"},
    "kpi.on_track": {"zh-CN": "{kpi} 正常", "en": "{kpi} on track"},
    "issue.stored-as-text": {
        "zh-CN": "“{column}”的 {value!r} 是以文本形式存储的，工作簿自己的公式、合计、图表和甘特图无法使用它",
        "en": "{column}: {value!r} is stored as text, which the workbook's own formulas, totals, charts and Gantt cannot use",
    },
    "hint.stored-as-text": {
        "zh-CN": "请删除后重新输入（本工具已按 {expected} 读取）",
        "en": "Delete it and type it again (this tool read it as {expected})",
    },
    "issue.dashboard-disagrees": {
        "zh-CN": "看板上的“{column}”显示 {value}，按表格数据应为 {expected}",
        "en": "The dashboard's {column} shows {value}; the tables give {expected}",
    },
    "hint.dashboard-disagrees": {
        "zh-CN": "看板公式可能被改动或覆盖：请从模板恢复；本工具与汇总使用按表格计算的值",
        "en": "The dashboard formula was probably changed or typed over: restore it from the template. This tool and the rollup use the value from the tables",
    },
    "report.affects": {"zh-CN": "；它影响 {cells}", "en": "; it breaks {cells}"},
    "report.affects.more": {"zh-CN": "；它影响 {cells} 及另外 {n} 个单元格", "en": "; it breaks {cells} and {n} more"},
    "issue.spec-embedded": {
        "zh-CN": "已按工作簿自带的规格 {value} 读取（本机没有这一模板版本）",
        "en": "Read with the spec the workbook carries, {value} (this machine has no copy of that template version)",
    },
    "hint.spec-embedded": {
        "zh-CN": "无需处理；如需按本机的模板读取，请用 --spec 或 --spec-dir 指定",
        "en": "Nothing to do; to read it with a spec of this machine, name one with --spec or --spec-dir",
    },
    "issue.spec-differs": {
        "zh-CN": "本机的规格 {value} 与生成该工作簿时的规格不同，已按本机规格读取",
        "en": "This machine's spec {value} differs from the one the workbook was built with; read with this machine's",
    },
    "hint.spec-differs": {
        "zh-CN": "如结果不对，请更新本机规格，或用 --spec 指定生成时的规格",
        "en": "If the result looks wrong, update this machine's spec, or name the one it was built with using --spec",
    },
    "issue.spec-embedded-unusable": {
        "zh-CN": "工作簿自带的规格无法使用（{expected}），已忽略",
        "en": "The spec the workbook carries cannot be used ({expected}); it was ignored",
    },
    "hint.spec-embedded-unusable": {
        "zh-CN": "该工作簿的 _spec 工作表可能被改动；请从模板重新生成，或用 --spec 指定规格",
        "en": "Its _spec sheet was probably changed: build the workbook again, or name its spec with --spec",
    },
    # files that are no campaign workbook (counted apart, never as campaigns; exit status 2)
    "issue.not-a-campaign": {"zh-CN": "不是活动工作簿：{reason}", "en": "Not a campaign workbook: {reason}"},
    "hint.not-a-campaign": {
        "zh-CN": "汇总和门户不把它计为活动；请提交由 campaign-sheets build 生成并已填写的活动工作簿",
        "en": "The rollup and the portal do not count it as a campaign; send a filled workbook built by campaign-sheets build",
    },
    "not_campaign.template-unknown": {"zh-CN": "模板无法识别", "en": "its template is not known"},
    "not_campaign.blank": {"zh-CN": "空白模板，没有活动编号和活动名称", "en": "a blank template, with no campaign code or name"},
    "not_campaign.rollup": {"zh-CN": "这是汇总命令自己生成的汇总文件", "en": "it is a rollup's own output"},
    "not_campaign.output": {"zh-CN": "这是本工具导出的数据表（import 的输出）", "en": "it is the tool's own table output (from import)"},
    # several files of one campaign: one is its current state, the others are superseded
    "issue.campaign-duplicate": {
        "zh-CN": "与 {current} 是同一活动 {campaign}：以 {current} 为准（{why}），{file} 已被取代，不计入合计",
        "en": "Same campaign {campaign} as {current}, which is current ({why}); {file} is superseded and not summed",
    },
    "hint.campaign-duplicate": {
        "zh-CN": "删除旧版本；如需保留每个文件，使用 rollup --all-versions",
        "en": "Remove the older version; to keep every file, use rollup --all-versions",
    },
    "duplicate.later_data": {"zh-CN": "其数据截至 {current_date}，本文件截至 {date}", "en": "its data runs to {current_date}, this file's to {date}"},
    "duplicate.later_save": {"zh-CN": "数据截至同一天 {date}，取较晚保存的文件", "en": "both have data to {date}; the one saved later is current"},
    "duplicate.later_file": {"zh-CN": "数据截至同一天 {date}、保存时间相同，取文件名靠后的（v10 在 v9 之后）",
                             "en": "both have data to {date} and the same save time; the later name is current (v10 after v9)"},
    "duplicate.later_upload": {"zh-CN": "数据截至同一天 {date}，取较后提交的文件", "en": "both have data to {date}; the later upload is current"},
}
