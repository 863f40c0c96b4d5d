"""Cell styles as plain property dicts; the writer turns each distinct one into a format once."""
from __future__ import annotations

from ..spec.model import ColumnType

GREY = "#F2F2F2"
BORDER = "#BFBFBF"
FILLS = {  # conditional-format fills: background, font
    "bad": ("#FFC7CE", "#9C0006"),
    "warn": ("#FFEB9C", "#7F6000"),
    "good": ("#C6EFCE", "#006100"),
    "info": ("#BDD7EE", "#1F3864"),
}


def font(lang: str) -> dict:
    return {"font_name": "Microsoft YaHei" if lang == "zh-CN" else "Calibri", "font_size": 10}


def number_format(ctype: ColumnType | None, currency: str) -> str | None:
    return {
        ColumnType.date: "yyyy-mm-dd",
        ColumnType.datetime: "yyyy-mm-dd hh:mm",
        ColumnType.money: f'"{currency}"#,##0.00',
        ColumnType.percent: "0.0%",
        ColumnType.integer: "#,##0",
        ColumnType.number: "General",
    }.get(ctype) if ctype else None


def cell(lang: str, role: str, ctype: ColumnType | None = None, currency: str = "¥", accent: str = "#1F4E79") -> dict:
    """Properties for a cell of `role`: input, formula, header, title, subtitle, help, label, section, meta."""
    props = dict(font(lang))
    if role in ("input", "formula"):
        props.update(border=1, border_color=BORDER, valign="top")
        fmt = number_format(ctype, currency)
        if fmt:
            props["num_format"] = fmt
        if ctype in (ColumnType.text, None):
            props["text_wrap"] = True
        if role == "input":
            props["locked"] = False
        else:
            props.update(bg_color=GREY, locked=True)
    elif role == "header":
        props.update(bold=True, font_color="#FFFFFF", bg_color=accent, border=1, border_color=BORDER,
                     text_wrap=True, valign="vcenter", align="center")
    elif role == "title":
        props.update(bold=True, font_size=16, font_color=accent)
    elif role == "subtitle":
        props.update(bold=True, font_size=12, font_color=accent, bottom=2, bottom_color=accent)
    elif role == "help":
        props.update(italic=True, font_color="#595959", text_wrap=True, valign="top")
    elif role == "label":
        props.update(bold=True, bg_color="#DDEBF7", border=1, border_color=BORDER, valign="top", text_wrap=True)
    elif role == "paragraph":
        props.update(text_wrap=True, valign="top")
    elif role == "gantt_head":
        props.update(num_format="m/d", rotation=90, font_size=8, align="center", bg_color=GREY,
                     border=1, border_color=BORDER, locked=True)
    elif role == "gantt":
        props.update(border=1, border_color="#E7E6E6", locked=True)
    elif role == "link":
        props.update(font_color="#0563C1", underline=1)
    elif role in FILLS:
        bg, fg = FILLS[role]
        props.update(bg_color=bg, font_color=fg, border=1, border_color=BORDER)
    elif role == "metric":
        props.update(bold=True, font_size=12, bg_color=GREY, border=1, border_color=BORDER, locked=True)
        fmt = number_format(ctype, currency)
        if fmt:
            props["num_format"] = fmt
    return props


def conditional(style: str) -> dict:
    bg, fg = FILLS[style]
    return {"bg_color": bg, "font_color": fg}


TODAY_MARK = {"left": 2, "left_color": "#C00000", "right": 2, "right_color": "#C00000"}


def default_width(ctype: ColumnType) -> float:
    return {
        ColumnType.date: 12, ColumnType.datetime: 16, ColumnType.money: 14, ColumnType.percent: 10,
        ColumnType.integer: 10, ColumnType.number: 11, ColumnType.bool: 8, ColumnType.choice: 14,
        ColumnType.person: 12, ColumnType.reference: 10, ColumnType.formula: 12,
    }.get(ctype, 18)
