"""The guide sheet: the campaign facts form, how to fill, the sheet list, the colour legend."""
from __future__ import annotations

from typing import TYPE_CHECKING


from ..i18n import t
from ..spec import model as m
from ..text import display_width
from .plan import SheetPlan, Validation, quote_sheet
from .tables import validation_options

if TYPE_CHECKING:
    from .layout import Planner


def plan_guide(p: Planner, plan: SheetPlan, sheet: m.Sheet, sheet_names: dict[str, str]) -> None:
    plan.put(0, 0, m.text_for(p.spec.title, p.lang), p.style("title"))
    plan.merges.append((0, 0, 0, 5))
    if p.spec.branding.company:
        plan.put(1, 0, m.text_for(p.spec.branding.company, p.lang), p.style("help"))
    plan.widths.update({0: 22, 1: 56, 2: 18, 3: 18, 4: 18, 5: 18})
    plan.fit_height = 1  # the guide is read on one printed page: facts, how to fill, sheets, colours
    row = 3
    if sheet.form:
        form = sheet.form
        plan.put(row, 0, m.text_for(form.title, p.lang), p.style("subtitle"))
        row += 1
        for fl in form.fields:
            plan.put(row, 0, m.text_for(fl.label, p.lang), p.style("label"))
            value = p.form_values.get(fl.key)
            plan.put(row, 1, value, p.style("input", fl.type))
            if isinstance(value, str) and display_width(value) > 56:  # wrapped: give it the lines
                plan.heights[row] = 15 * -(-display_width(value) // 56)
            name = f"{form.key}_{fl.key}"
            p.names[name] = f"={quote_sheet(plan.name)}!$B${row + 1}"
            opts = validation_options(p, fl)
            if opts:
                plan.validations.append(Validation(row, 1, row, opts))
            if fl.help:
                plan.put(row, 2, m.text_for(fl.help, p.lang), p.style("help"))
                plan.merges.append((row, 2, row, 5))
            row += 1
        row += 1
    if sheet.sections:
        plan.put(row, 0, t("how_to_fill", p.lang), p.style("subtitle"))
        row += 1
        for i, section in enumerate(sheet.sections, 1):
            text = m.text_for(section, p.lang)
            plan.put(row, 0, f"{i}. {text}", p.style("paragraph"))
            plan.merges.append((row, 0, row, 5))
            plan.heights[row] = 15 * max(1, -(-display_width(text) // 120))
            row += 1
        plan.put(row, 0, t("protected_note", p.lang), p.style("help"))
        plan.merges.append((row, 0, row, 5))
        plan.heights[row] = 30
        row += 2
    plan.put(row, 0, t("sheets_overview", p.lang), p.style("subtitle"))
    row += 1
    for other in p.spec.sheets:
        if other.key == sheet.key:
            continue
        name = sheet_names[other.key]
        plan.put(row, 0, name, p.style("link"), link=f"internal:{quote_sheet(name)}!A1")
        plan.put(row, 1, m.text_for(other.help, p.lang), p.style("help"))
        plan.merges.append((row, 1, row, 5))
        row += 1
    row += 1
    plan.put(row, 0, t("legend", p.lang), p.style("subtitle"))
    row += 1
    for role, key in (("input", "legend.input"), ("formula", "legend.formula"), ("bad", "legend.bad"),
                      ("warn", "legend.warn"), ("good", "legend.good"), ("info", "legend.info")):
        style = p.style(role) if role in ("input", "formula") else p.style(role)
        plan.put(row, 0, "", dict(style, locked=True))
        plan.put(row, 1, t(key, p.lang))
        plan.merges.append((row, 1, row, 5))
        row += 1
    row += 1
    plan.put(row, 0, t("template", p.lang), p.style("label"))
    plan.put(row, 1, f"{p.spec.template} (v{p.spec.version})")
    p.guide_anchor = row

