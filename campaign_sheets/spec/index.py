"""Everything derived from one spec, worked out once when the spec is loaded.

A `SpecIndex` answers what the builder, the reader and the rollup ask of a spec again and again:
a table's effective columns, a dropdown's labels, the rules of a table (the KPI threshold rules
included), the words a header or a form label may be written as. Spec models are frozen, so
what is derived here stays true for as long as the index lives.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from .. import formula as f
from ..i18n import LANGS, t
from ..text import clean_text
from . import model as m
from .resolve import ResolvedTable, resolve_table
from .kpis import metric_formula
from .roles import RoleProblem, check_roles


@dataclass
class ChoiceIndex:
    """Lookup of a named list: cleaned, case-folded key or any locale's label -> item key."""

    name: str
    lookup: dict[str, str]
    labels: dict[str, list[str]]  # lang -> labels in list order
    _expected: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, spec: m.Spec, name: str) -> "ChoiceIndex":
        items = spec.list_items(name)
        lookup: dict[str, str] = {}
        for item in items:  # labels first, so that a key always wins over another item's label
            for label in m.text_all(item.label):
                lookup.setdefault(clean_text(label).casefold(), item.key)
        for item in items:
            lookup[clean_text(item.key).casefold()] = item.key
        labels = {lang: [m.text_for(i.label, lang) or i.key for i in items] for lang in spec.locales}
        return cls(name, lookup, labels)

    def match(self, raw: Any) -> str | None:
        """The item key for a raw cell value, or None."""
        return self.lookup.get(clean_text(raw).casefold())

    def expected(self, lang: str) -> str:
        """The allowed labels in `lang`, ' / '-separated (the first 12, then '…')."""
        text = self._expected.get(lang)
        if text is None:
            labels = self.labels.get(lang) or next(iter(self.labels.values()), [])
            text = " / ".join(labels[:12]) + (" / …" if len(labels) > 12 else "")
            self._expected[lang] = text
        return text


def norm(text: Any) -> str:
    """Text as header and label matching compares it: cleaned, lower case, no spaces."""
    return clean_text(text).lower().replace(" ", "") if isinstance(text, str) else ""


def parse_guarded(source: str, groups: frozenset[str] = frozenset()) -> Any:
    """Parse a column formula and guard it: blank unless every this-row cell it reads is filled.

    Repeated-column groups are not guarded (a range compared to "" is an error in Calc).
    """
    node = f.parse(source)
    guards = [g for g in f.row_refs(node) if g not in groups]
    if not guards:
        return node
    test = f.Call("OR", tuple(f.BinOp("=", f.Ref(None, g), f.Str("")) for g in guards))
    return f.Call("IF", (test, f.Str(""), node))


class SpecIndex:
    """What a loaded spec implies, computed once (formulas compiled on first use)."""

    def __init__(self, spec: m.Spec) -> None:
        self.spec = spec
        # what other layers derive from this spec alone, each worked out once (e.g. the rollup's labels)
        self.derived: dict[str, Any] = {}
        self.tables: dict[str, ResolvedTable] = {tb.key: resolve_table(spec, tb) for tb in spec.tables()}
        self.form: m.Form | None = spec.form()
        self.kpi_defs: m.Table | None = next((tb for tb in spec.tables() if tb.prefill == "kpis"), None)
        names = [*spec.lists, "kpis"]
        self.choices: dict[str, ChoiceIndex] = {name: ChoiceIndex.build(spec, name) for name in names}
        self._labels = {(name, item.key, lang): m.text_for(item.label, lang) or item.key
                        for name in names for item in spec.list_items(name) for lang in LANGS}
        self.rules: dict[str, list[m.Rule]] = {key: self._table_rules(r) for key, r in self.tables.items()}
        self.header_labels: dict[str, dict[str, str]] = {key: _header_labels(r) for key, r in self.tables.items()}
        self.column_labels: dict[tuple[str, str], dict[str, str]] = {
            (key, lang): {c.key: m.text_for(c.label, lang) for c in r.columns}
            for key, r in self.tables.items() for lang in LANGS}
        self.form_labels: dict[str, m.Column] = {} if self.form is None else {
            norm(x): fl for fl in self.form.fields for x in [*m.text_all(fl.label), fl.key, *fl.aliases]}
        # table titles and help texts: a row holding only one of them is not data
        self.table_texts: frozenset[str] = frozenset(
            norm(x) for tb in spec.tables() for x in [*m.text_all(tb.title), *m.text_all(tb.help)])
        # the rollup's roles this spec fills correctly, and what is wrong with the others
        self.roles: dict[str, Any]
        self.role_problems: list[RoleProblem]
        self.roles, self.role_problems = check_roles(spec, self.tables)
        # what each formula reads, down to input cells: (table, formula column) -> input columns of its
        # row; and each dashboard metric -> (table, input column) pairs (an input's issue explains them)
        # each dashboard metric's formula (a `kpi:` metric's is its KPI's total, spec/kpis.py)
        self.metric_formulas: dict[str, str] = {
            metric.key: metric_formula(spec, metric) for sheet in spec.sheets for metric in sheet.metrics}
        self.formula_inputs: dict[tuple[str, str], frozenset[str]] = {
            (key, c.key): frozenset(self._row_inputs(key, c.key, set())) for key, r in self.tables.items()
            for c in r.columns if c.formula}
        self.metric_inputs: dict[str, frozenset[tuple[str, str]]] = {
            metric.key: frozenset(self._scoped_inputs(self.metric_formulas[metric.key]))
            for sheet in spec.sheets for metric in sheet.metrics}
        # formula columns whose result depends on the day (a stored result may be from another day)
        self.today_columns: frozenset[tuple[str, str]] = frozenset(
            (key, c.key) for key, r in self.tables.items() for c in r.columns
            if c.formula and f.uses_today(f.parse(c.formula)))
        self.today_metrics: frozenset[str] = frozenset(
            metric.key for sheet in spec.sheets for metric in sheet.metrics
            if f.uses_today(f.parse(self.metric_formulas[metric.key])))
        self._compiled: dict[tuple, Callable[[f.Context], Any]] = {}

    @cached_property
    def dependents(self) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """The formula → input map turned round: each input (`("row", table, column)` of an input
        column, `("form", field)` of a form field) -> every formula cell whose value depends on it,
        directly or through other formulas, as the reader places them in a workbook:

        - `("row", table, column)`: that formula column's cell on the input's own row;
        - `("rows", table, column)`: that formula column's cell on every data row (it reads a whole column);
        - `("total", table, column)`: the table's totals-row cell under that column;
        - `("metric", key)`: a dashboard figure; `("breakdown", key, column)`: every item's cell of a
          dashboard breakdown column; `("gantt", table)`: the date header of the Gantt grid beside a table.

        Worked out once, on first use (an import asks only when it has an input's issue to explain)."""
        readers: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        form = self.form.key if self.form is not None else None

        def reads(source: tuple[str, ...], node: tuple[str, ...]) -> None:
            readers.setdefault(source, set()).add(node)

        def reads_column(scope: str | None, name: str, node: tuple[str, ...]) -> None:
            # a whole column: any row's cell of it, input or formula
            resolved = self.tables.get(scope or "")
            if resolved is None:
                if scope is not None and scope == form:
                    reads(("form", name), node)
                return
            for key in resolved.groups.get(name, [name]):
                reads(("row", resolved.table.key, key), node)
                reads(("rows", resolved.table.key, key), node)

        for key, resolved in self.tables.items():
            for col in resolved.columns:
                if col.formula:
                    for ref in f.refs(f.parse(col.formula)):
                        if ref.scope is None:   # this row: the cell on the same row, on every row alike
                            for k in resolved.groups.get(ref.name, [ref.name]):
                                reads(("row", key, k), ("row", key, col.key))
                                reads(("rows", key, k), ("rows", key, col.key))
                        else:
                            reads_column(ref.scope, ref.name, ("rows", key, col.key))
            for col in resolved.table.totals:
                reads_column(key, col, ("total", key, col))
        for sheet in self.spec.sheets:
            for metric in sheet.metrics:
                for ref in f.refs(f.parse(self.metric_formulas[metric.key])):
                    reads_column(ref.scope, ref.name, ("metric", metric.key))
            for br in sheet.breakdowns:
                for metric in br.columns:
                    for ref in f.refs(f.parse(metric.formula)):
                        reads_column(ref.scope, ref.name, ("breakdown", br.key, metric.key))
            if sheet.gantt is not None:   # its first day: the earliest start, else the campaign's start
                node = ("gantt", sheet.gantt.table)
                reads_column(sheet.gantt.table, sheet.gantt.start, node)
                start = self.campaign_field("start")
                if start and form is not None:
                    reads(("form", start), node)
        sources = [("row", key, c.key) for key, r in self.tables.items() for c in r.columns if c.formula is None]
        sources += [("form", fl.key) for fl in (self.form.fields if self.form is not None else ())]
        out: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        for source in sources:
            seen: set[tuple[str, ...]] = set()
            todo = list(readers.get(source, ()))
            while todo:
                node = todo.pop()
                if node not in seen:
                    seen.add(node)
                    todo += readers.get(node, ())
            if seen:
                out[source] = tuple(sorted(seen))
        return out

    def campaign_field(self, key: str) -> str | None:
        """The form field that states the campaign's `key` (name, code, scenario, lead, start, end,
        budget, objective): as the spec's campaign role says, else a field of that very key."""
        role = self.roles.get("campaign")
        if role is not None:
            return getattr(role, key)
        return key if self.form is not None and any(fl.key == key for fl in self.form.fields) else None

    def list_label(self, name: str, key: str, lang: str) -> str:
        """The label of list item `key` in `lang` (KeyError for an item the list lacks)."""
        try:
            return self._labels[(name, key, lang)]
        except KeyError:
            return self.spec.list_label(name, key, lang)   # a language outside LANGS; raises if unknown

    def column_formula(self, table: str, column: str) -> Callable[[f.Context], Any]:
        """The compiled, guarded formula of a formula column (raises ExcelError values)."""
        key = ("column", table, column)
        fn = self._compiled.get(key)
        if fn is None:
            resolved = self.tables[table]
            node = parse_guarded(resolved.column(column).formula or "", frozenset(resolved.groups))
            fn = self._compiled[key] = f.compiled(node)
        return fn

    def expression(self, source: str) -> Callable[[f.Context], Any]:
        """A compiled rule condition or metric of this spec."""
        key = ("expr", source)
        fn = self._compiled.get(key)
        if fn is None:
            fn = self._compiled[key] = f.compiled(f.parse(source))
        return fn

    def _row_inputs(self, table: str, column: str, seen: set[str]) -> set[str]:
        """The input columns a formula column reads on its row, through other formula columns."""
        resolved = self.tables[table]
        out: set[str] = set()
        for name in f.row_refs(f.parse(resolved.column(column).formula or "")):
            for key in resolved.groups.get(name, [name]):
                col = resolved.by_key.get(key)
                if col is None or key in seen:
                    continue
                seen.add(key)
                out |= self._row_inputs(table, key, seen) if col.formula else {key}
        return out

    def _scoped_inputs(self, source: str) -> set[tuple[str, str]]:
        """The (table, input column) pairs a metric reads, through formula columns."""
        out: set[tuple[str, str]] = set()
        for ref in f.refs(f.parse(source)):
            resolved = self.tables.get(ref.scope or "")
            col = resolved.by_key.get(ref.name) if resolved else None
            if col is None:
                continue
            inputs = self.formula_inputs.get((ref.scope, ref.name)) if col.formula else {ref.name}
            out |= {(ref.scope, k) for k in inputs or ()}
        return out

    def _table_rules(self, resolved: ResolvedTable) -> list[m.Rule]:
        """The table's own rules, plus an alert, a warning and an on-track rule per KPI column; their
        thresholds are read from the KPI definitions table, which teams fill in (a rule holds only
        where its threshold is filled)."""
        rules = list(resolved.table.rules)
        defs = self.kpi_defs
        if not resolved.kpis or defs is None:
            return rules
        for key, kpi in resolved.kpis.items():
            lt = "<" if kpi.direction == m.Direction.higher else ">"
            ge = ">=" if kpi.direction == m.Direction.higher else "<="

            def look(col: str, key: str = key) -> str:
                return f"LOOKUPKEY({{kpis.{key}}},[{defs.key}.kpi],[{defs.key}.{col}])"

            alert, warning, filled = look("alert"), look("warning"), f'[{key}]<>""'
            side = kpi.direction.value

            def text(message: str) -> dict[str, str]:
                return {lang: t(message, lang, kpi=m.text_for(kpi.label, lang)) for lang in LANGS}

            rules.append(m.Rule(code="kpi-alert", severity=m.Severity.alert, style=m.Style.bad, columns=[key],
                                when=f'AND({filled},{alert}<>"",[{key}]{lt}{alert})', values={"threshold": alert},
                                message=text(f"kpi.alert.{side}")))
            rules.append(m.Rule(code="kpi-warning", severity=m.Severity.alert, style=m.Style.warn, columns=[key],
                                report=False, when=f'AND({filled},{warning}<>"",[{key}]{lt}{warning})',
                                values={"threshold": warning}, message=text(f"kpi.warning.{side}")))
            rules.append(m.Rule(code="kpi-on-track", severity=m.Severity.alert, style=m.Style.good, columns=[key],
                                report=False, when=f'AND({filled},{warning}<>"",[{key}]{ge}{warning})',
                                message=text("kpi.on_track")))
        return rules


def _header_labels(resolved: ResolvedTable) -> dict[str, str]:
    """Normalised header text (either language, key, aliases) -> column key."""
    labels: dict[str, str] = {}
    for col in resolved.columns:
        for text in [*m.text_all(col.label), col.key, *col.aliases]:
            labels.setdefault(norm(text), col.key)
    return labels


__all__ = ["SpecIndex", "ChoiceIndex", "norm", "parse_guarded"]
