"""A parsed formula rendered for Excel: structured references in cells, A1 references in
conditional formats and validations (the layout supplies the names for each target)."""
from __future__ import annotations

from .syntax import BinOp, Bool, Call, Item, Neg, Node, Num, Ref, Str
from .values import number_text


class ExcelNames:
    """How references look in Excel; the layout supplies one per target (cell, CF, DV)."""

    def row(self, name: str) -> str: ...
    def scoped(self, scope: str, name: str) -> str: ...
    def item(self, list_name: str | None, key: str) -> str: ...


def excel_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_excel(node: Node, names: ExcelNames) -> str:
    """Render a parsed formula as Excel formula text (without the leading '=')."""
    if isinstance(node, Num):
        return number_text(node.value)
    if isinstance(node, Str):
        return excel_string(node.value)
    if isinstance(node, Bool):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, Ref):
        return names.row(node.name) if node.scope is None else names.scoped(node.scope, node.name)
    if isinstance(node, Item):
        return names.item(node.list, node.key)
    if isinstance(node, Neg):
        return "-" + to_excel(node.operand, names)
    if isinstance(node, BinOp):
        return f"({to_excel(node.left, names)}{node.op}{to_excel(node.right, names)})"
    if isinstance(node, Call):
        args = [to_excel(a, names) for a in node.args]
        if node.name == "LOOKUPKEY":
            value, keys, results = args
            return f'IFERROR(INDEX({results},MATCH({value},{keys},0)),"")'
        return f"{node.name}({','.join(args)})"
    raise TypeError(node)
