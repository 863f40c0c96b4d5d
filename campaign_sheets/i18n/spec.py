"""Spec problems (spec check), inheritance, and the starter spec that `spec new` writes."""

TEXTS: dict[str, dict[str, str]] = {
    "spec.unknown_key": {"zh-CN": "未知的键 '{key}'", "en": "unknown key '{key}'"},
    "spec.did_you_mean": {"zh-CN": "；是否想写 '{guess}'？", "en": "; did you mean '{guess}'?"},
    "spec.missing": {"zh-CN": "缺少必填的键", "en": "required key is missing"},
    "spec.not_one_of": {
        "zh-CN": "'{value}' 不是有效的{noun}（可选：{options}）",
        "en": "'{value}' is not a {noun} (one of: {options})",
    },
    "spec.bad_value": {"zh-CN": "值 {value!r} 无效：{reason}", "en": "invalid value {value!r}: {reason}"},
    "spec.yaml": {"zh-CN": "YAML 语法错误：{reason}", "en": "YAML syntax error: {reason}"},
    "spec.not_mapping": {"zh-CN": "规格文件顶层必须是映射（键: 值）", "en": "a spec file must be a mapping (key: value) at the top"},
    "spec.unknown_list": {"zh-CN": "未定义的列表 '{name}'", "en": "no named list '{name}' in lists"},
    "spec.unknown_ref": {"zh-CN": "引用 '{ref}' 指向不存在的表或列", "en": "reference '{ref}' names no table.column in this spec"},
    "spec.unknown_column": {"zh-CN": "公式引用了不存在的列 '{name}'", "en": "formula refers to unknown column '{name}'"},
    "spec.formula": {"zh-CN": "公式错误：{reason}", "en": "formula error: {reason}"},
    "spec.kpi_ratio": {
        "zh-CN": "KPI '{kpi}' 按比率汇总，需用 of: [分子, 分母] 指定另外两个 KPI（可选：{keys}）",
        "en": "KPI '{kpi}' adds up as a ratio: give of: [numerator, denominator], two other KPI keys (one of: {keys})"},
    "spec.kpi_formula_aggregate": {
        "zh-CN": "KPI '{kpi}' 没有公式，不能用 aggregate: formula；请用 sum、mean、last 或 ratio",
        "en": "KPI '{kpi}' has no formula, so it cannot use aggregate: formula; use sum, mean, last or ratio"},
    "spec.kpi_undeclared": {
        "zh-CN": "KPI '{kpi}' 未声明如何按天汇总（aggregate），按默认值 {default} 处理；请在 kpis 中写明 aggregate: sum、mean、last、ratio 或 formula",
        "en": "KPI '{kpi}' does not say how its days add up (aggregate); the default {default} applies. Declare aggregate: sum, mean, last, ratio or formula"},
    "spec.metric_kpi_or_formula": {
        "zh-CN": "看板指标 '{metric}' 需要 formula 或 kpi 二者之一",
        "en": "dashboard metric '{metric}' needs exactly one of formula or kpi"},
    "spec.breakdown_formula": {
        "zh-CN": "分项表的列 '{metric}' 需要 formula（kpi: 只用于看板指标）",
        "en": "breakdown column '{metric}' needs a formula (kpi: is for dashboard metrics only)"},
    "spec.unknown_kpi": {
        "zh-CN": "没有 KPI '{kpi}'（可选：{keys}）",
        "en": "no KPI '{kpi}' in kpis (one of: {keys})"},
    "spec.metric_kpi_no_role": {
        "zh-CN": "看板指标 '{metric}' 使用 kpi:，需要 rollup.kpis 指明每日数据表",
        "en": "dashboard metric '{metric}' uses kpi:, which needs rollup.kpis to name the daily KPI table"},
    "spec.duplicate": {"zh-CN": "重复的 {what} '{key}'", "en": "duplicate {what} '{key}'"},
    "spec.missing_locale": {"zh-CN": "缺少 {lang} 文本", "en": "text is missing for {lang}"},
    "spec.needs": {"zh-CN": "类型 {type} 需要设置 '{key}'", "en": "type {type} needs '{key}'"},
    "spec.unknown_item": {"zh-CN": "列表 '{name}' 中没有 '{key}'", "en": "list '{name}' has no item '{key}'"},
    "spec.too_long": {
        "zh-CN": "长度 {n} 超过上限 {limit}（{what}）",
        "en": "{what} is {n} characters, over Excel's limit of {limit}",
    },
    "spec.not_found": {
        "zh-CN": "找不到规格 '{name}'。可用：{available}",
        "en": "no spec named '{name}'. Available: {available}",
    },
    "spec.extends_type": {
        "zh-CN": "extends 须为规格名称（如 campaign）或相对于本文件的路径",
        "en": "'extends' must be a spec name (such as campaign) or a path relative to this file",
    },
    "spec.extends_not_found": {
        "zh-CN": "找不到要继承的规格 '{name}'（在本文件所在目录与规格目录中查找）。可用：{available}",
        "en": "no base spec '{name}' next to this file or in the spec folders. Available: {available}",
    },
    "spec.extends_cycle": {"zh-CN": "规格之间循环继承：{chain}", "en": "specs extend each other in a cycle: {chain}"},
    "spec.child_needs": {
        "zh-CN": "继承其他规格（extends）时必须写明自己的 '{key}'",
        "en": "a spec that extends another must set its own '{key}'",
    },
    "spec.inherited": {"zh-CN": "（{child} 继承的内容）", "en": " (inherited by {child})"},
    "spec.remove_type": {
        "zh-CN": "remove 须为点分路径的列表，如 [sheets.review, lists.channels.sms]",
        "en": "'remove' must be a list of dotted paths such as [sheets.review, lists.channels.sms]",
    },
    "spec.path_unknown": {
        "zh-CN": "路径 '{path}' 在合并后的规格中不存在：{parent} 下没有 '{part}'",
        "en": "'{path}' names nothing in the merged spec: there is no '{part}' under {parent}",
    },
    "spec.order_type": {
        "zh-CN": "order 须为“点分路径: [键, ...]”的映射，如 sheets: [guide, goals]",
        "en": "'order' must map dotted paths to lists of keys, e.g. sheets: [guide, goals]",
    },
    "spec.order_not_keyed": {
        "zh-CN": "'{path}' 不是按键合并的列表或映射，不能排序",
        "en": "'{path}' is not a keyed list or a mapping, so it cannot be ordered",
    },
    "spec.order_unknown_key": {"zh-CN": "'{path}' 中没有 '{key}'", "en": "'{key}' is not in {path}"},
    "spec.new.header": {
        "zh-CN": "{name}：继承“{base}”的规格，只写与基础模板不同的部分，其余全部沿用。",
        "en": "{name}: a spec that extends \"{base}\". Write only what differs; everything else comes from the base.",
    },
    "spec.new.commands": {
        "zh-CN": "检查：campaign-sheets spec check {file}　查看合并结果：campaign-sheets spec show {file}　生成：campaign-sheets build --spec {file}",
        "en": "Check: campaign-sheets spec check {file}   Merged result: campaign-sheets spec show {file}   Build: campaign-sheets build --spec {file}",
    },
    "spec.new.docs": {
        "zh-CN": "所有键与合并规则见 docs/spec.md；编辑器自动补全：campaign-sheets spec schema -o spec.schema.json",
        "en": "Every key and the merge rules: docs/spec.md. Editor autocompletion: campaign-sheets spec schema -o spec.schema.json",
    },
    "spec.new.uncomment": {
        "zh-CN": "下面的示例均已注释；去掉行首的 # 即可启用（可以全部同时启用）。",
        "en": "The examples below are commented out: remove the leading # to use them (they also work all together).",
    },
    "spec.new.template": {"zh-CN": "模板编号，写入每个工作簿，请保持不变", "en": "the id written into every workbook; keep it stable"},
    "spec.new.version": {"zh-CN": "修改列后请加 1", "en": "raise it when you change columns"},
    "spec.new.title": {"zh-CN": "{title}（{name}）", "en": "{title} ({name})"},
    "spec.new.description": {"zh-CN": "基于“{base}”定制的模板", "en": "Customised from {base}"},
    "spec.new.branding": {
        "zh-CN": "品牌与保护：普通的键，直接覆盖基础模板的值。",
        "en": "Branding and protection are ordinary keys: they simply override the base.",
    },
    "spec.new.lists": {
        "zh-CN": "列表按 key 合并：已有的 key 被修改，新的 key 追加在末尾。",
        "en": "Lists merge by key: an existing key is changed, a new key is appended at the end.",
    },
    "spec.new.sheets": {
        "zh-CN": "工作表、表格和列按 key 合并：写出工作表和表格的 key，再新增或修改列。",
        "en": "Sheets, tables and columns merge by key: name the sheet and the table, then add or change columns.",
    },
    "spec.new.change_help": {"zh-CN": "已有的列：只改填写提示", "en": "an existing column: change only its help"},
    "spec.new.add_column": {"zh-CN": "新增一列（追加在最后）", "en": "a new column (appended at the end)"},
    "spec.new.remove": {
        "zh-CN": "按点分路径删除基础模板中的内容（工作表、表格、列、列表项、KPI、规则代码）。",
        "en": "Remove parts of the base by dotted path (a sheet, table, column, list item, KPI or rule code).",
    },
    "spec.new.order": {
        "zh-CN": "排序：列出的键排在最前，其余保持原有顺序。",
        "en": "Reorder: the keys listed come first, the rest keep their order after them.",
    },
    "spec.new.option": {"zh-CN": "新增选项", "en": "New option"},
    "spec.new.column": {"zh-CN": "自定义备注", "en": "Custom note"},
    "spec.new.column_help": {"zh-CN": "按本团队的要求填写", "en": "Fill in as your team agrees"},
    "spec.new.company": {"zh-CN": "示例公司", "en": "Example Co."},
    "spec.no_locale": {"zh-CN": "此规格没有 {lang} 语言（已有：{locales}）", "en": "this spec has no '{lang}' (has: {locales})"},
    "spec.unknown_placeholder": {
        "zh-CN": "消息中的 {{{name}}} 不是本行的列、规则的 values 或 value / cells / count",
        "en": "{{{name}}} in the message is not a column of the row, one of the rule's values, or value / cells / count",
    },
    "spec.noun.column_type": {"zh-CN": "列类型", "en": "column type"},
    "spec.noun.sheet_kind": {"zh-CN": "工作表类型", "en": "sheet kind"},
    "spec.noun.style": {"zh-CN": "颜色样式", "en": "style"},
    "spec.noun.severity": {"zh-CN": "严重级别", "en": "severity"},
    "spec.noun.total_kind": {"zh-CN": "合计方式", "en": "total kind"},
    "spec.noun.chart_type": {"zh-CN": "图表类型", "en": "chart type"},
    "spec.noun.direction": {"zh-CN": "方向", "en": "direction"},
    "spec.noun.locale": {"zh-CN": "语言", "en": "locale"},
    "spec.embedded_inherits": {
        "zh-CN": "工作簿内嵌的规格不能使用 {key}（它会引用本机上的文件）",
        "en": "a spec embedded in a workbook cannot use '{key}' (it would reach for files on this machine)",
    },
}
