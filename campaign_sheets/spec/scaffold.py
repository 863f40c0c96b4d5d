"""The starter spec that `campaign-sheets spec new` writes: a commented child of a base spec,
valid as written, each example ready to uncomment."""
from __future__ import annotations

from typing import Any

from ..i18n import t


def _q(value: str) -> str:
    """A YAML flow scalar for `value`: plain when that reads back the same, else quoted."""
    import yaml

    out = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=10**6).strip()
    return out[1:-1]  # dumped inside a flow list, so commas and brackets get quoted too


def _text(zh: str, en: str) -> str:
    return "{zh-CN: " + _q(zh) + ", en: " + _q(en) + "}"


def _unused(key: str, taken: set[str]) -> str:
    n, out = 2, key
    while out in taken:
        out, n = f"{key}{n}", n + 1
    return out


def starter_spec(name: str, extends: str, base: Any, lang: str = "en", filename: str | None = None) -> str:
    """A commented child spec of `base` (a loaded m.Spec) that passes `spec check` as written.

    Every example is commented out and works on its own or together with the others: branding and
    protection, a list item, a changed and an added column, `remove` and `order`. (Long because it
    is the file itself, line by line, in the order the reader meets it.)
    """
    import json

    from . import model as m

    file = filename or f"{name}.yaml"
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    zh_title = t("spec.new.title", "zh-CN", title=m.text_for(base.title, "zh-CN"), name=name)
    en_title = t("spec.new.title", "en", title=m.text_for(base.title, "en"), name=name)
    out = [
        f"# {tr('spec.new.header', name=name, base=extends)}",
        f"# {tr('spec.new.commands', file=file)}",
        f"# {tr('spec.new.docs')}",
        "",
        f"extends: {_q(extends)}",
        f"template: {_q(name)}".ljust(30) + f"# {tr('spec.new.template')}",
        "version: 1".ljust(30) + f"# {tr('spec.new.version')}",
        f"title: {_text(zh_title, en_title)}",
        f"description: {_text(t('spec.new.description', 'zh-CN', base=extends), t('spec.new.description', 'en', base=extends))}",
        "",
        f"# {tr('spec.new.uncomment')}",
        "",
        f"# {tr('spec.new.branding')}",
        "# branding:",
        f"#   company: {_text(t('spec.new.company', 'zh-CN'), t('spec.new.company', 'en'))}",
        '#   accent: "#C00000"',
        "# protect: false",
    ]

    # a sheet to remove: the last plain sheet whose tables nothing else refers to
    removed_sheet = None
    for sheet in reversed(base.sheets[1:]):
        if sheet.kind != m.SheetKind.tables or not sheet.tables:
            continue
        rest = json.dumps(base.model_dump(mode="json", exclude={"sheets"}), ensure_ascii=False) + json.dumps(
            [s.model_dump(mode="json") for s in base.sheets if s is not sheet], ensure_ascii=False)
        if not any(f"{tb.key}." in rest or f'"{tb.key}"' in rest for tb in sheet.tables):
            removed_sheet = sheet
            break

    # a list to add an item to (and, perhaps, remove one from)
    list_name = "channels" if "channels" in base.lists else next(iter(base.lists), None)
    removed_item = None
    if list_name:
        new_key = _unused("my_option", {i.key for i in base.lists[list_name]})
        out += ["", f"# {tr('spec.new.lists')}", "# lists:", f"#   {_q(list_name)}:",
                f"#     - {{key: {_q(new_key)}, label: {_text(t('spec.new.option', 'zh-CN'), t('spec.new.option', 'en'))}}}"]
        # not named by a formula, a Gantt's `done` or an example value
        dumped = json.dumps(base.model_dump(mode="json", exclude={"lists"}), ensure_ascii=False)
        for item in reversed(base.lists[list_name][1:]):
            if f"{{{list_name}.{item.key}}}" not in dumped and f'"{item.key}"' not in dumped:
                removed_item = item.key
                break

    # a table to change: the first plain sheet with a table (not the one removed)
    target = next(((s, s.tables[0]) for s in base.sheets
                   if s.kind == m.SheetKind.tables and s.tables and s is not removed_sheet), None)
    if target:
        sheet, table = target
        existing = next((c for c in table.columns if not c.repeat), None)
        new_col = _unused("my_note", {c.key for c in table.columns})
        out += ["", f"# {tr('spec.new.sheets')}", "# sheets:", f"#   - key: {sheet.key}", "#     tables:",
                f"#       - key: {table.key}", "#         columns:"]
        if existing is not None:
            out += [f"#           - key: {existing.key}".ljust(40) + f"# {tr('spec.new.change_help')}",
                    f"#             help: {_text(t('spec.new.column_help', 'zh-CN'), t('spec.new.column_help', 'en'))}"]
        out += [f"#           - key: {new_col}".ljust(40) + f"# {tr('spec.new.add_column')}",
                f"#             label: {_text(t('spec.new.column', 'zh-CN'), t('spec.new.column', 'en'))}",
                "#             type: text"]

    removals = []
    if removed_sheet:
        removals.append(f"sheets.{removed_sheet.key}")
    if removed_item is not None:
        removals.append(f"lists.{list_name}.{removed_item}")
    if removals:
        out += ["", f"# {tr('spec.new.remove')}", "# remove:"] + [f"#   - {_q(r)}" for r in removals]

    # an order that needs nothing else: tables of a sheet with several, else a list, else the sheets
    order = None
    multi = next((s for s in base.sheets if len(s.tables) > 1 and s is not removed_sheet), None)
    if multi:
        order = (f"sheets.{multi.key}.tables", [multi.tables[-1].key])
    elif list_name and len(base.lists[list_name]) > 1 and base.lists[list_name][1].key != removed_item:
        order = (f"lists.{list_name}", [base.lists[list_name][1].key])
    elif len(base.sheets) > 1:
        order = ("sheets", [base.sheets[0].key])
    if order:
        out += ["", f"# {tr('spec.new.order')}", "# order:",
                f"#   {_q(order[0])}: [{', '.join(_q(k) for k in order[1])}]"]
    return "\n".join(out) + "\n"
