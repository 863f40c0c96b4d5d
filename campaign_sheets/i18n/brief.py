"""Texts of the daily brief (数据监控日报): its sections, labels and sentences, markdown and HTML alike."""

TEXTS: dict[str, dict[str, str]] = {
    "brief.title": {"zh-CN": "数据监控日报", "en": "Daily brief"},
    "brief.title_week": {"zh-CN": "数据监控周报", "en": "Weekly brief"},
    "brief.phase.preparation": {"zh-CN": "筹备期", "en": "preparation"},
    "brief.phase.execution": {"zh-CN": "执行期", "en": "execution"},
    "brief.phase.review": {"zh-CN": "复盘期", "en": "review"},
    "brief.phase.unknown": {"zh-CN": "日期未填", "en": "dates not filled in"},
    "brief.status.on_track": {"zh-CN": "正常", "en": "on track"},
    "brief.status.at_risk": {"zh-CN": "有风险", "en": "at risk"},
    "brief.status.off_track": {"zh-CN": "落后", "en": "off track"},
    "brief.status.none": {"zh-CN": "暂无数据", "en": "no data"},
    "brief.status.no_dates": {"zh-CN": "缺日期，无法判断进度", "en": "no dates, no pace"},
    "brief.kpi.alert": {"zh-CN": "预警", "en": "alert"},
    "brief.kpi.warning": {"zh-CN": "关注", "en": "watch"},
    "brief.kpi.ok": {"zh-CN": "正常", "en": "ok"},
    # where we are
    "brief.lead": {"zh-CN": "负责人", "en": "Lead"},
    "brief.day_of": {"zh-CN": "第 {day}/{days} 天（{phase}）", "en": "day {day} of {days} ({phase})"},
    "brief.day_unknown": {"zh-CN": "{phase}", "en": "{phase}"},
    "brief.starts_in": {"zh-CN": "{days} 天后开始（{phase}）", "en": "starts in {days} days ({phase})"},
    "brief.starts_tomorrow": {"zh-CN": "明天开始（{phase}）", "en": "starts tomorrow ({phase})"},
    "brief.ended_ago": {"zh-CN": "已结束 {days} 天（{phase}）", "en": "ended {days} days ago ({phase})"},
    "brief.ended_yesterday": {"zh-CN": "昨天结束（{phase}）", "en": "ended yesterday ({phase})"},
    "brief.as_of": {"zh-CN": "数据截至 {date}", "en": "figures to {date}"},
    "brief.data_issues": {
        "zh-CN": "文件有 {errors} 个错误、{warnings} 个警告（首个：{first}）；本报告按可读取的数据生成",
        "en": "the file has {errors} errors and {warnings} warnings (first: {first}); this brief uses what could be read"},
    "brief.data_issues_counts": {
        "zh-CN": "文件有 {errors} 个错误、{warnings} 个警告；本报告按可读取的数据生成",
        "en": "the file has {errors} errors and {warnings} warnings; this brief uses what could be read"},
    "brief.data_clean": {"zh-CN": "文件数据无问题", "en": "no data issues in the file"},
    # goals and pace
    "brief.goals": {"zh-CN": "目标与进度", "en": "Goals and pace"},
    "brief.goal_line": {
        "zh-CN": "{label}：累计 {to_date} / 目标 {target}（完成 {reached}，时间过去 {time}）",
        "en": "{label}: {to_date} of {target} ({reached} reached, {time} of the time gone)"},
    "brief.goal_line_rate": {
        "zh-CN": "{label}：至今 {to_date}，目标 {target}",
        "en": "{label}: {to_date} to date, target {target}"},
    "brief.goal_line_cap": {
        "zh-CN": "{label}：累计 {to_date} / 上限 {target}（已用 {used}，时间过去 {time}）",
        "en": "{label}: {to_date} of the {target} cap ({used} used, {time} of the time gone)"},
    "brief.goal_line_rate_cap": {
        "zh-CN": "{label}：至今 {to_date}，上限 {target}",
        "en": "{label}: {to_date} to date, cap {target}"},
    "brief.projection_cap": {
        "zh-CN": "按当前日均 {rate} 预计结束时 {projection}（为上限的 {over}）",
        "en": "at {rate}/day it ends at {projection} ({over} of the cap)"},
    "brief.projection": {
        "zh-CN": "按当前日均 {rate} 预计结束时 {projection}（{pace}）",
        "en": "at {rate}/day it ends at {projection} ({pace} of target)"},
    "brief.needed": {"zh-CN": "剩余每天需 {needed}", "en": "needs {needed}/day from here"},
    "brief.no_goals": {"zh-CN": "KPI 定义中尚未填写目标值", "en": "no KPI has a target in the KPI definitions yet"},
    "brief.rule": {
        "zh-CN": "判断：预计值（比率类为当前值）÷目标 ≥100% 正常，≥90% 有风险，其余落后；越低越好的指标取倒数",
        "en": "rule: projection (current value for rates) ÷ target ≥100% on track, ≥90% at risk, else off track; inverted for lower-is-better KPIs"},
    # today
    "brief.today": {"zh-CN": "今日数据", "en": "Today"},
    "brief.week": {"zh-CN": "本周数据", "en": "This week"},
    "brief.kpi_line": {
        "zh-CN": "{label}：{value}（较昨日 {change}，7日均 {avg7}）",
        "en": "{label}: {value} (vs yesterday {change}, 7-day {avg7})"},
    "brief.breach": {
        "zh-CN": "{label} {value} 越过{line} {threshold}",
        "en": "{label} {value} is past its {line} {threshold}"},
    "brief.line.alert": {"zh-CN": "预警线", "en": "alert line"},
    "brief.line.warning": {"zh-CN": "关注线", "en": "watch line"},
    "brief.escalate": {
        "zh-CN": "⚠ 需升级：{label} 已连续 {days} 天预警，请负责人决策",
        "en": "⚠ Escalate: {label} has been in alert {days} days running; the lead should decide"},
    "brief.week_line": {
        "zh-CN": "{label}：本周 {this}，上周 {previous}（{change}）",
        "en": "{label}: {this} this week, {previous} last week ({change})"},
    "brief.week_span": {"zh-CN": "{start} 至 {end}", "en": "{start} to {end}"},
    "brief.no_data_today": {"zh-CN": "当日未录入 KPI 数据", "en": "no KPI figures entered for this day"},
    "brief.no_data_week": {"zh-CN": "本周和上周均未录入 KPI 数据", "en": "no KPI figures entered for this week or the week before"},
    "brief.kpi_figures": {"zh-CN": "各指标当日数据", "en": "KPI figures"},
    # execution
    "brief.execution": {"zh-CN": "执行情况", "en": "Execution"},
    "brief.due_today": {"zh-CN": "今日到期", "en": "Due today"},
    "brief.overdue": {"zh-CN": "已逾期", "en": "Overdue"},
    "brief.blocked": {"zh-CN": "受阻", "en": "Blocked"},
    "brief.blockers": {"zh-CN": "今日卡点", "en": "Today's blockers"},
    "brief.next_steps": {"zh-CN": "下一步", "en": "Next steps"},
    "brief.days_late": {"zh-CN": "逾期 {days} 天", "en": "{days} days late"},
    "brief.days_late_one": {"zh-CN": "逾期 1 天", "en": "1 day late"},
    # budget
    "brief.budget": {"zh-CN": "预算", "en": "Budget"},
    "brief.budget_line": {
        "zh-CN": "已支出 {spent} / 预算 {planned}（{spent_share}，时间过去 {time}）",
        "en": "spent {spent} of {planned} ({spent_share}, with {time} of the time gone)"},
    "brief.committed_line": {"zh-CN": "已承诺 {committed}（{share}）", "en": "committed {committed} ({share})"},
    "brief.burn": {"zh-CN": "支出速度为时间进度的 {ratio}", "en": "burn is {ratio} of the time elapsed"},
    "brief.overrun": {
        "zh-CN": "{item}：超支 {over}（实际 {actual} / 预算 {planned}）",
        "en": "{item}: over by {over} ({actual} against {planned})"},
    "brief.overruns": {"zh-CN": "超支项", "en": "Overruns"},
    "brief.planned": {"zh-CN": "预算", "en": "Planned"},
    "brief.committed": {"zh-CN": "已承诺", "en": "Committed"},
    "brief.spent": {"zh-CN": "已支出", "en": "Spent"},
    "brief.time_gone": {"zh-CN": "时间进度", "en": "Time gone"},
    # risks
    "brief.risks": {"zh-CN": "高风险", "en": "Open high risks"},
    "brief.risk_line": {
        "zh-CN": "{id} {description}（评分 {score}，{owner}，{hours} 小时内响应）",
        "en": "{id} {description} (score {score}, {owner}, respond within {hours} h)"},
    # mid-term
    "brief.midterm": {"zh-CN": "中期检查", "en": "Mid-term check"},
    "brief.midterm_point": {"zh-CN": "中期节点 {date}", "en": "mid-term point {date}"},
    # the data's date, gaps and results (an ordinary day: a row not yet typed, a gap, a typo)
    "brief.as_of_lag": {"zh-CN": "数据截至 {date}（晚 {days} 天）", "en": "figures to {date} ({days} days behind)"},
    "brief.as_of_lag_one": {"zh-CN": "数据截至 {date}（晚 1 天）", "en": "figures to {date} (1 day behind)"},
    "brief.no_figures": {"zh-CN": "尚无 KPI 数据", "en": "no KPI figures yet"},
    "brief.no_dates": {
        "zh-CN": "活动开始或结束日期未填写：只列累计值，不计算进度",
        "en": "the campaign's start or end date is not filled in: figures to date only, no pace"},
    "brief.gaps": {"zh-CN": "数据缺口（不计为 0）", "en": "Left out of the figures (unknown, not zero)"},
    "brief.gaps_more": {"zh-CN": "另有 {count} 处", "en": "{count} more"},
    "brief.status.achieved": {"zh-CN": "已达成", "en": "achieved"},
    "brief.status.missed": {"zh-CN": "未达成", "en": "missed"},
    "brief.status.incomplete": {"zh-CN": "数据不全", "en": "incomplete data"},
    "brief.goal_result_partial": {
        "zh-CN": "{label}：已录入 {to_date} / 目标 {target}（{reached}）",
        "en": "{label}: {to_date} entered of {target} ({reached})"},
    "brief.goal_result_rate": {"zh-CN": "{label}：最终 {to_date}，目标 {target}", "en": "{label}: {to_date} at the end, target {target}"},
    "brief.goal_result_rate_cap": {"zh-CN": "{label}：最终 {to_date}，上限 {target}", "en": "{label}: {to_date} at the end, cap {target}"},
    "brief.days_missing_final": {"zh-CN": "{count} 天无数据", "en": "{count} days without figures"},
    "brief.days_missing_final_one": {"zh-CN": "1 天无数据", "en": "1 day without figures"},
    "brief.goal_result": {
        "zh-CN": "{label}：最终 {to_date} / 目标 {target}（{reached}）",
        "en": "{label}: {to_date} at the end against {target} ({reached})"},
    "brief.goal_result_cap": {
        "zh-CN": "{label}：最终 {to_date} / 上限 {target}（已用 {used}）",
        "en": "{label}: {to_date} at the end against the {target} cap ({used} used)"},
    "brief.days_missing": {
        "zh-CN": "{count} 天无数据，日均按有数据的 {days} 天计",
        "en": "{count} days without figures: the rate is over the {days} days with figures"},
    "brief.days_missing_one": {
        "zh-CN": "1 天无数据，日均按有数据的 {days} 天计",
        "en": "1 day without figures: the rate is over the {days} days with figures"},
    "brief.latest": {"zh-CN": "最新数据（{date}）", "en": "Latest figures ({date})"},
    "brief.days7": {"zh-CN": "{avg7}（{days}/7 天有数据）", "en": "{avg7} ({days} of 7 days)"},
    "brief.week_days": {
        "zh-CN": "本周 {days}/7 天、上周 {previous}/7 天有数据",
        "en": "{days} of 7 days this week, {previous} of 7 last week"},
    "brief.per_day": {"zh-CN": "，按日均比较", "en": ": compared per day"},
    "brief.unfinished": {"zh-CN": "结束时未完成", "en": "Unfinished at close"},
    "brief.days_late_close": {"zh-CN": "结束时逾期 {days} 天", "en": "{days} days late at the end"},
    "brief.days_late_close_one": {"zh-CN": "结束时逾期 1 天", "en": "1 day late at the end"},
    "brief.burn_note.too_early": {
        "zh-CN": "活动时间过去不足四分之一，暂不比较支出与时间进度",
        "en": "too early to compare spending with time (under a quarter of the campaign gone)"},
    "brief.burn_note.not_started": {
        "zh-CN": "活动尚未开始，不比较支出与时间进度", "en": "the campaign has not started: spending is not compared with time"},
    "brief.burn_note.no_dates": {
        "zh-CN": "日期未填，无法比较支出与时间进度", "en": "no campaign dates: spending cannot be compared with time"},
    "brief.adjustments": {"zh-CN": "调整措施", "en": "Adjustments"},
    "brief.adjustment_line": {
        "zh-CN": "{kpi}{text}（{owner}{due}，{status}）",
        "en": "{kpi}{text} ({owner}{due}, {status})"},
    "brief.adjustment_due": {"zh-CN": "{date}前", "en": "due {date}"},
    "brief.adjustment.done": {"zh-CN": "已完成", "en": "done"},
    "brief.adjustment.overdue": {"zh-CN": "逾期未完成", "en": "overdue"},
    "brief.adjustment.open": {"zh-CN": "进行中", "en": "open"},
    "brief.adjustment.unknown": {"zh-CN": "未标记进展", "en": "status not recorded"},
    "brief.not_campaign": {"zh-CN": "无法生成日报：{reason}", "en": "cannot write a brief: {reason}"},
    "brief.empty": {
        "zh-CN": "无法生成日报：工作簿尚未填写任何内容（活动信息和各表都是空的）",
        "en": "cannot write a brief: nothing is filled in yet (no campaign facts, no table rows)"},
    "brief.col.due": {"zh-CN": "完成时间", "en": "Due"},
    "brief.col.adjustment": {"zh-CN": "调整措施", "en": "Adjustment"},
    "brief.review_rows": {"zh-CN": "中期复盘记录", "en": "Mid-term review notes"},
    # shrinking and pointers
    "brief.more": {"zh-CN": "另有 {count} 项，详见 HTML 版 {html}", "en": "{count} more, see the HTML brief {html}"},
    "brief.shrunk": {"zh-CN": "{count} 项（详见 HTML 版 {html}）", "en": "{count} items (see the HTML brief {html})"},
    # columns and charts (HTML)
    "brief.col.kpi": {"zh-CN": "指标", "en": "KPI"},
    "brief.col.to_date": {"zh-CN": "累计/至今", "en": "To date"},
    "brief.col.target": {"zh-CN": "目标", "en": "Target"},
    "brief.col.reached": {"zh-CN": "完成度", "en": "Reached"},
    "brief.col.time": {"zh-CN": "时间进度", "en": "Time gone"},
    "brief.col.projection": {"zh-CN": "预计结束值", "en": "Projection"},
    "brief.col.needed": {"zh-CN": "每日需达", "en": "Needed/day"},
    "brief.col.status": {"zh-CN": "状态", "en": "Status"},
    "brief.col.value": {"zh-CN": "当日", "en": "Today"},
    "brief.col.previous": {"zh-CN": "昨日", "en": "Yesterday"},
    "brief.col.change": {"zh-CN": "变化", "en": "Change"},
    "brief.col.avg7": {"zh-CN": "7日", "en": "7-day"},
    "brief.col.task": {"zh-CN": "任务", "en": "Task"},
    "brief.col.owner": {"zh-CN": "负责人", "en": "Owner"},
    "brief.col.end": {"zh-CN": "截止", "en": "Due"},
    "brief.col.late": {"zh-CN": "逾期天数", "en": "Days late"},
    "brief.col.item": {"zh-CN": "预算项", "en": "Line"},
    "brief.col.over": {"zh-CN": "超支", "en": "Over"},
    "brief.col.risk": {"zh-CN": "风险", "en": "Risk"},
    "brief.col.score": {"zh-CN": "评分", "en": "Score"},
    "brief.col.response": {"zh-CN": "响应时限", "en": "Respond within"},
    "brief.col.this_week": {"zh-CN": "本周", "en": "This week"},
    "brief.col.last_week": {"zh-CN": "上周", "en": "Last week"},
    "brief.chart.trend": {"zh-CN": "{label}：每日走势与目标/预警线", "en": "{label}: daily trend against target and alert lines"},
    "brief.chart.cumulative": {"zh-CN": "{label}：累计与目标路径", "en": "{label}: to date against the target path"},
    "brief.chart.burn": {"zh-CN": "预算消耗与时间进度", "en": "Budget burn against time elapsed"},
    "brief.chart.target": {"zh-CN": "目标", "en": "target"},
    "brief.chart.pace": {"zh-CN": "日均目标节奏", "en": "daily pace to target"},
    "brief.chart.alert": {"zh-CN": "预警线", "en": "alert line"},
    "brief.chart.warning": {"zh-CN": "关注线", "en": "watch line"},
    "brief.chart.path": {"zh-CN": "目标路径", "en": "target path"},
    "brief.chart.actual": {"zh-CN": "实际", "en": "actual"},
    "brief.no_template": {
        "zh-CN": "无法生成日报：未识别出工作簿的模板（用 campaign-sheets validate 查看原因）",
        "en": "cannot write a brief: the workbook's template is not recognised (campaign-sheets validate says why)"},
    "brief.blockers_week": {"zh-CN": "本周卡点", "en": "This week's blockers"},
    "brief.cli_wrote": {"zh-CN": "已写出 {path}", "en": "Wrote {path}"},
    "brief.cli_many": {
        "zh-CN": "多个文件请用 -o 指定输出目录，每个文件写一份日报",
        "en": "several files need -o DIR: one brief is written per file"},
    "brief.footer": {"zh-CN": "由 campaign-sheets 根据 {file} 生成", "en": "Made by campaign-sheets from {file}"},
    # the HTML page only
    "brief.html.charts": {"zh-CN": "趋势图", "en": "Charts"},
    "brief.html.hours": {"zh-CN": "{hours} 小时", "en": "{hours} h"},
    "brief.html.projection": {"zh-CN": "按当前速度预计", "en": "projection"},
    "brief.html.cap": {"zh-CN": "上限 {target}", "en": "cap {target}"},
    "brief.html.used": {"zh-CN": "已用 {share}", "en": "{share} used"},
    "brief.html.of_cap": {"zh-CN": "上限的 {share}", "en": "{share} of the cap"},
}
