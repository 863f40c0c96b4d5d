"""The spec's formula language, its syntax: tokens, the parse tree and what it refers to.

Formulas are written once in an Excel-like syntax with references by key:

    [actual] - [planned]                  this row's column of the same table
    SUM([budget.planned])                 a whole column of another table
    [campaign.start]                      a field of the campaign form
    [roles]                               a repeated column group, this row (e.g. COUNTIF([roles], "A"))
    {task_status.done}                    a named-list item, as its label in the workbook's language
    {item}                                in a breakdown, the label of the list item of that row
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import FormulaSyntaxError


# --------------------------------------------------------------------------- AST
@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Ref:
    scope: str | None  # None: this row of the current table
    name: str


@dataclass(frozen=True)
class Item:
    list: str | None  # None: the breakdown's {item}
    key: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Neg:
    operand: Any


Node = Any

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<str>"(?:[^"]|"")*")
    | (?P<ref>\[[^\[\]]+\])
    | (?P<item>\{[^{}]+\})
    | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<op><>|<=|>=|[-+*/^&=<>(),])
    )""",
    re.X,
)

FUNCTIONS = {
    "IF", "IFERROR", "AND", "OR", "NOT", "SUM", "MIN", "MAX", "AVERAGE", "ROUND", "ABS",
    "COUNT", "COUNTA", "COUNTBLANK", "COUNTIF", "COUNTIFS", "SUMIF", "SUMIFS", "LOOKUPKEY",
    "TODAY", "LEN", "ISBLANK", "ISNUMBER",
}


def parse(source: str) -> Node:
    """Parse a spec formula (with or without a leading '=')."""
    text = source.strip()
    if text.startswith("="):
        text = text[1:]
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise FormulaSyntaxError.of("formula.cannot_read", source=source, at=text[pos:pos + 12])
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    parser = _Parser(tokens, source)
    node = parser.expr()
    if parser.i != len(tokens):
        raise FormulaSyntaxError.of("formula.unexpected", token=tokens[parser.i][1], source=source)
    return node


class _Parser:
    _LEVELS = [("=", "<>", "<", ">", "<=", ">="), ("&",), ("+", "-"), ("*", "/"), ("^",)]

    def __init__(self, tokens: list[tuple[str, str]], source: str) -> None:
        self.tokens, self.i, self.source = tokens, 0, source

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            raise FormulaSyntaxError.of("formula.expected", token=value or "…", source=self.source)
        self.i += 1
        return tok

    def expr(self, level: int = 0) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        node = self.expr(level + 1)
        while (tok := self.peek()) and tok[0] == "op" and tok[1] in self._LEVELS[level]:
            self.i += 1
            node = BinOp(tok[1], node, self.expr(level + 1))
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok and tok == ("op", "-"):
            self.i += 1
            return Neg(self.unary())
        if tok and tok == ("op", "+"):
            self.i += 1
            return self.unary()
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            return Num(float(value))
        if kind == "str":
            return Str(value[1:-1].replace('""', '"'))
        if kind == "ref":
            inner = value[1:-1].strip()
            scope, _, name = inner.rpartition(".")
            return Ref(scope or None, name)
        if kind == "item":
            inner = value[1:-1].strip()
            if inner == "item":
                return Item(None, "item")
            lst, _, key = inner.partition(".")
            if not key:
                raise FormulaSyntaxError.of("formula.item", token=value, source=self.source)
            return Item(lst, key)
        if kind == "name":
            upper = value.upper()
            if upper in ("TRUE", "FALSE") and not (self.peek() and self.peek()[1] == "("):
                return Bool(upper == "TRUE")
            if upper not in FUNCTIONS:
                raise FormulaSyntaxError.of("formula.unknown_function", token=value, source=self.source)
            self.take("(")
            args: list[Node] = []
            if self.peek() and self.peek()[1] != ")":
                args.append(self.expr())
                while self.peek() and self.peek()[1] == ",":
                    self.i += 1
                    args.append(self.expr())
            self.take(")")
            return Call(upper, tuple(args))
        if value == "(":
            node = self.expr()
            self.take(")")
            return node
        raise FormulaSyntaxError.of("formula.unexpected", token=value, source=self.source)


def walk(node: Node) -> Iterable[Node]:
    yield node
    if isinstance(node, Call):
        for a in node.args:
            yield from walk(a)
    elif isinstance(node, BinOp):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Neg):
        yield from walk(node.operand)


def refs(node: Node) -> list[Ref]:
    return [n for n in walk(node) if isinstance(n, Ref)]


def row_refs(node: Node) -> list[str]:
    """Keys of this-row references, in order of first use."""
    seen: list[str] = []
    for r in refs(node):
        if r.scope is None and r.name not in seen:
            seen.append(r.name)
    return seen


def uses_today(node: Node) -> bool:
    return any(isinstance(n, Call) and n.name == "TODAY" for n in walk(node))
