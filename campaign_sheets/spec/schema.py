"""A spec's outward forms: the resolved spec as YAML (`spec show`) and the JSON Schema of the
format (`spec schema`, for editors)."""
from __future__ import annotations

from typing import Any

import yaml

from . import model as m


def _plain(value: Any) -> Any:
    from enum import Enum

    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Block style, but short mappings and lists on one line."""


def _flow(data: Any) -> bool:
    import json

    return len(json.dumps(data, ensure_ascii=False, default=str)) <= 100


_Dumper.add_representer(dict, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=_flow(data)))
_Dumper.add_representer(list, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=_flow(data)))


def spec_yaml(spec: m.Spec) -> str:
    """The resolved spec as YAML (defaults left out); loading it gives the same spec."""
    data = _plain(spec.model_dump(mode="python", exclude_defaults=True))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


# Models that may be given partially in a spec that `extends` another (merged by key or as a
# mapping); their required keys other than the identity are checked by `spec check`, not the schema.
_PARTIAL = {"Sheet", "Table", "Column", "Form", "Metric", "Breakdown", "Kpi", "Gantt", "Branding", "CampaignRole",
            "BudgetRole", "TasksRole", "RisksRole", "KpisRole", "ChannelsRole"}


def spec_json_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12) of the spec format, with `extends`, `remove` and `order`, for editors."""
    schema = m.Spec.model_json_schema()
    for name, definition in schema.get("$defs", {}).items():
        if name in _PARTIAL and "required" in definition:
            keep = [r for r in definition["required"] if r in ("key", "code")]
            if keep:
                definition["required"] = keep
            else:
                del definition["required"]
    props = dict(schema["properties"])
    # `raci: [R, A, C, I]`: plain items are shorthand for {key: R}
    props["lists"] = {**props["lists"], "additionalProperties": {"type": "array", "items": {"anyOf": [
        {"$ref": "#/$defs/ListItem"}, {"type": "string"}, {"type": "integer"}]}}}
    props["extends"] = {"type": "string", "title": "Extends",
                        "description": "Base spec: a spec name (campaign) or a path relative to this file. "
                                       "Only what this file says changes; see docs/spec.md."}
    props["remove"] = {"type": "array", "title": "Remove", "items": {"type": "string"},
                       "description": "Dotted paths removed after merging, e.g. sheets.review, lists.channels.sms, "
                                      "sheets.budget.tables.budget.columns.note"}
    props["order"] = {"type": "object", "title": "Order",
                      "additionalProperties": {"type": "array", "items": {"type": ["string", "integer"]}},
                      "description": "Dotted path -> keys that come first, e.g. sheets: [guide, goals]; "
                                     "'lists.channels': [wecom]"}
    required = schema.get("required", [])
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "campaign-sheets workbook spec",
        "description": "A workbook_specs/*.yaml file of campaign-sheets (docs/spec.md). A spec with `extends` "
                       "needs only `template` and `version`; items merged by key need only their `key`.",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "required": [r for r in required if r in ("template", "version")],
        "if": {"not": {"required": ["extends"]}},
        "then": {"required": [r for r in required if r not in ("template", "version")]},
        "$defs": schema.get("$defs", {}),
    }
    return out
