"""The spec's formula language: one expression, two engines.

Spec formulas are written once, with references by key (`formula.syntax`); `to_excel` renders
them for cells, conditional formats and validations (`formula.excel`); `compiled` / `evaluate`
compute them in Python with Excel's semantics (`formula.engine`, over `formula.values`), so the
cached values the builder writes and the importer's recomputation agree with the spreadsheet.
"""
from .engine import compiled, evaluate, run
from .excel import ExcelNames, excel_string, to_excel
from .syntax import FUNCTIONS, BinOp, Bool, Call, Item, Neg, Node, Num, Ref, Str, parse, refs, row_refs, uses_today, walk
from .values import EPOCH, Context, ExcelError, Value, compare, criterion, date_to_serial, number_text, serial_to_date

__all__ = [
    "compiled", "evaluate", "run", "ExcelNames", "excel_string", "to_excel", "FUNCTIONS", "BinOp", "Bool", "Call",
    "Item", "Neg", "Node", "Num", "Ref", "Str", "parse", "refs", "row_refs", "uses_today", "walk", "EPOCH", "Context",
    "ExcelError", "Value", "compare", "criterion", "date_to_serial", "number_text", "serial_to_date",
]
