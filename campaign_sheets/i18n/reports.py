"""The rollup workbook and the annotated copy."""

TEXTS: dict[str, dict[str, str]] = {
    "rollup.title": {"zh-CN": "营销活动组合汇总", "en": "Campaign portfolio rollup"},
    "rollup.generated": {"zh-CN": "生成日期", "en": "Generated"},
    "rollup.found": {"zh-CN": "找到文件", "en": "Files found"},
    "rollup.clean": {"zh-CN": "无问题", "en": "Clean"},
    "rollup.warnings": {"zh-CN": "有警告", "en": "With warnings"},
    "rollup.errors": {"zh-CN": "有错误", "en": "With errors"},
    "rollup.rejected": {"zh-CN": "无法读取", "en": "Unreadable"},
    "rollup.campaigns": {"zh-CN": "活动数", "en": "Campaigns"},
    "rollup.budget_planned": {"zh-CN": "预算合计", "en": "Budget planned"},
    "rollup.budget_actual": {"zh-CN": "实际支出合计", "en": "Budget spent"},
    "rollup.tasks_overdue": {"zh-CN": "逾期任务", "en": "Overdue tasks"},
    "rollup.risks_open_high": {"zh-CN": "未关闭高风险", "en": "Open high risks"},
    "rollup.alerts": {"zh-CN": "预警数", "en": "KPI and risk alerts"},
    "rollup.by_category": {"zh-CN": "各科目预算与实际", "en": "Budget by category"},
    "rollup.by_phase": {"zh-CN": "活动阶段分布", "en": "Campaigns by phase"},
    "rollup.attainment": {"zh-CN": "各活动目标达成率（前 20）", "en": "Goal attainment by campaign (first 20)"},
    "rollup.files_note": {
        "zh-CN": "每个文件的结果见 files 表；问题明细见 issues 表。",
        "en": "Every file's outcome is on the files sheet; every problem on the issues sheet.",
    },
    "annotate.title": {"zh-CN": "问题清单", "en": "Issues"},
    "annotate.sheet": {"zh-CN": "工作表", "en": "Sheet"},
    "annotate.severity": {"zh-CN": "级别", "en": "Severity"},
    "annotate.code": {"zh-CN": "代码", "en": "Code"},
    "annotate.cell": {"zh-CN": "单元格", "en": "Cell"},
    "annotate.message": {"zh-CN": "说明", "en": "Message"},
    "annotate.hint": {"zh-CN": "修改建议", "en": "How to fix"},
    "rollup.role_missing": {
        "zh-CN": "模板 {template} 未声明汇总所需的 {role}（rollup.{role}），汇总中不含相关数据",
        "en": "template {template} declares no {role} for the rollup (rollup.{role}); its figures are left out",
    },
    "rollup.role_broken": {
        "zh-CN": "模板 {template} 的 {key} 指向不存在的“{value}”，汇总中不含 {role} 相关数据；请在规格中更正",
        "en": "template {template}: {key} names '{value}', which the spec does not have; {role} figures are left out. Fix it in the spec",
    },
}
