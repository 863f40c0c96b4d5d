"""Check the spec's `rollup` roles against its tables, columns, lists and rules.

A role that names something the spec does not have (a renamed table, a removed column, a rule
code that no longer exists) is not a spec error: the workbook still builds and validates. The
role is left out, and the rollup and `spec check` say so, naming the key to fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import t
from . import model as m
from .resolve import ResolvedTable

ROLES = ("campaign", "budget", "tasks", "risks", "kpis", "channels", "log", "review")
# per role: the keys naming a column of the role's table
_COLUMNS = {
    "budget": ("category", "planned", "actual", "committed", "item"),
    "tasks": ("status", "end", "id", "name", "owner"),
    "risks": ("status", "score", "id", "description", "owner", "response"),
    "kpis": ("date", "channel"),
    "channels": ("channel", "budget"),
    "log": ("date", "task", "owner", "blocker", "next_step"),
    "review": ("date", "kpi", "adjustment", "owner", "due", "status"),
}


@dataclass(frozen=True)
class RoleProblem:
    """A role the rollup cannot use: `key` is the dotted spec path to fix (or the missing role)."""

    role: str
    key: str
    value: Any

    def message(self, lang: str, template: str) -> str:
        if self.value is None:
            return t("rollup.role_missing", lang, template=template, role=self.role)
        return t("rollup.role_broken", lang, template=template, role=self.role, key=self.key, value=self.value)


def check_roles(spec: m.Spec, tables: dict[str, ResolvedTable]) -> tuple[dict[str, Any], list[RoleProblem]]:
    """(the usable roles by name, the problems of the others)."""
    usable: dict[str, Any] = {}
    problems: list[RoleProblem] = []
    for name in ROLES:
        role = getattr(spec.rollup, name)
        if role is None:
            problems.append(RoleProblem(name, f"rollup.{name}", None))
            continue
        found = _campaign_problems(spec, role) if name == "campaign" else _table_problems(spec, tables, name, role)
        if found:
            problems += found
        else:
            usable[name] = role
    return usable, problems


def _campaign_problems(spec: m.Spec, role: m.CampaignRole) -> list[RoleProblem]:
    form = spec.form()
    fields = {f.key for f in form.fields} if form else set()
    return [RoleProblem("campaign", f"rollup.campaign.{key}", value)
            for key, value in role.model_dump().items() if value is not None and value not in fields]


def _table_problems(spec: m.Spec, tables: dict[str, ResolvedTable], name: str, role: Any) -> list[RoleProblem]:
    table = tables.get(role.table)
    if table is None:
        return [RoleProblem(name, f"rollup.{name}.table", role.table)]
    out = [RoleProblem(name, f"rollup.{name}.{key}", getattr(role, key)) for key in _COLUMNS[name]
           if getattr(role, key) is not None and getattr(role, key) not in table.by_key]
    rules = {r.code for r in table.table.rules if r.report}   # a colour-only rule is never reported: the rollup could not count it
    if name == "tasks":
        out += _items(spec, table, name, "status", {"done": [role.done], "closed": role.closed,
                                                    "blocked": [role.blocked] if role.blocked else []}, role)
        if role.overdue not in rules:
            out.append(RoleProblem(name, f"rollup.{name}.overdue", role.overdue))
    elif name == "risks":
        out += _items(spec, table, name, "status", {"closed": [role.closed]}, role)
        out += [RoleProblem(name, f"rollup.{name}.{key}", code) for key, code in (("high", role.high), ("medium", role.medium))
                if code is not None and code not in rules]
    elif name == "review" and role.status is not None:
        out += _items(spec, table, name, "status", {"done": [role.done]}, role)
    elif name == "kpis" and role.definitions is not None:
        defs = tables.get(role.definitions)
        if defs is None or defs.table.prefill != "kpis":
            out.append(RoleProblem(name, f"rollup.{name}.definitions", role.definitions))
    return out


def _items(spec: m.Spec, table: ResolvedTable, name: str, column: str, keys: dict[str, list[str]],
           role: Any) -> list[RoleProblem]:
    """Problems with list item keys that must be items of the role's `column` list."""
    col = table.by_key.get(getattr(role, column))
    if col is None or not col.choices:
        return []
    items = {i.key for i in spec.list_items(col.choices)}
    return [RoleProblem(name, f"rollup.{name}.{key}", value) for key, values in keys.items() for value in values
            if value not in items]


__all__ = ["ROLES", "RoleProblem", "check_roles"]
