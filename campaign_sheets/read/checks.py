"""The checks that need more than one cell: each a small function returning its issues.

They run after every table is read, over typed rows and the workbook's recomputed formulas
(`BookValues`): unique keys, references, people on the roster, dates in the campaign window,
formula cells that were typed over or never calculated, predecessor cycles, and the spec's rules.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator

from .. import formula as f
from ..compute import BookValues
from ..contract import sheet_key
from ..i18n import LANGS, t
from ..report import Issue, col_letters, make_issue, shown
from ..spec import model as m
from ..spec.index import SpecIndex
from ..text import clean_text
from .coerce import is_error_value
from .parse import UNKNOWN_ERROR
from .locate import Located, normed
from .kpi_checks import kpi_days, kpi_ratio, kpi_targets
from .tables import TOTAL_LABELS, Row, is_blank, show

_FOLDED: dict[str, str] = {}


def fold(v: Any) -> Any:
    """A key as references compare it: cleaned, lower case (memoised for text)."""
    if v.__class__ is not str:
        return clean_text(v).lower() if isinstance(v, str) else v
    got = _FOLDED.get(v)
    if got is None:
        if len(_FOLDED) > 65536:
            _FOLDED.clear()
        got = _FOLDED[v] = clean_text(v).lower()
    return got


@dataclass
class Context:
    """What every check reads: the spec, the located tables, their rows, the form and formulas."""

    index: SpecIndex
    located: dict[str, Located]
    tables: dict[str, list[Row]]
    form: dict[str, Any]
    book: BookValues
    file: str
    lang: str
    cell_issues: list[Issue]   # what reading the cells reported; a formula one of them breaks is listed there
    today: dt.date | None = None   # the day the import judges (the data's date is the last KPI day up to it)
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)   # raw rows by sheet: where totals rows,
    # dashboard figures and Gantt headers are found for `affects`
    application: str | None = None   # the application that last saved the file (for the formulas-recomputed note)
    recomputed: int = 0   # formula cells without a stored result (or with an unknown error value), recomputed
    broken: int = 0       # of those, the ones with an unknown error value (a formula the saving application broke)
    _keys: dict[tuple[str, str], set] = field(init=False, default_factory=dict)
    _at: dict[tuple[str | None, str | None], list[int]] = field(init=False, default_factory=dict)
    _placed: dict[tuple, list[tuple[str, int, int]]] = field(init=False, default_factory=dict)
    _tails: dict[tuple, list[tuple[tuple[str, int, int], str]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for n, issue in enumerate(self.cell_issues):
            self._at.setdefault((issue.sheet, issue.cell), []).append(n)

    def explained(self, cells: Iterable[tuple[str, str]], broken: tuple[str, str]) -> bool:
        """Whether an issue at one of `cells` ((sheet, cell) of inputs) explains the cell `broken`
        (a formula or dashboard cell computed from them): if so it is listed with that issue (as
        `B5`, or `Sheet!B5` on another sheet), not reported again."""
        causes = [n for c in cells for n in self._at.get(c, ())]
        for n in causes:
            issue = self.cell_issues[n]
            name = broken[1] if broken[0] == issue.sheet else f"{broken[0]}!{broken[1]}"
            if name not in issue.affects:
                self.cell_issues[n] = replace(issue, affects=(*issue.affects, name))
        return bool(causes)

    def finish(self) -> None:
        """Each input's issue lists every formula cell computed from that input (`affected`), and its
        message says which: all of them, or the first few and how many more."""
        sep = "、" if self.lang == "zh-CN" else ", "
        for n, issue in enumerate(self.cell_issues):
            names = self.affected(issue) if issue.code in BREAKS else []
            if issue.affects:   # what a check found broken and the map does not place (a moved column)
                known = set(names)
                names += [a for a in issue.affects if a not in known]
            if not names:
                continue
            if len(names) > AFFECTS_SHOWN + 1:
                suffix = t("report.affects.more", self.lang, cells=sep.join(names[:AFFECTS_SHOWN]),
                           n=len(names) - AFFECTS_SHOWN)
            else:
                suffix = t("report.affects", self.lang, cells=sep.join(names))
            self.cell_issues[n] = replace(issue, affects=tuple(names[:AFFECTS_MAX]), message=issue.message + suffix)

    # -- affects: the formula cells an input's issue breaks ------------------------------------
    def affected(self, issue: Issue) -> list[str]:
        """Every formula cell whose value depends on the input cell of `issue`, from the spec's
        formula → input map (`SpecIndex.dependents`) placed in this workbook: the input's own row
        first, then the rest of its sheet, then other sheets (as `Sheet!B5`), each in reading order."""
        source = self._source(issue)
        nodes = self.index.dependents.get(source) if source is not None else None
        if not nodes:
            return []
        head: list[str] = []
        for node in nodes:
            if node[0] == "row":   # the input's own row
                loc = self.located.get(node[1])
                if loc is not None and node[2] in loc.columns:
                    head.append((loc.columns[node[2]], f"{col_letters(loc.columns[node[2]])}{issue.row}"))
        names = [name for _, name in sorted(head)]
        tail = self._tails.get((source, issue.sheet))
        if tail is None:
            cells = {c for node in nodes if node[0] != "row" for c in self._place(node)}
            order = {name: n for n, name in enumerate(self.sheets)}
            tail = self._tails[(source, issue.sheet)] = [
                (c, f"{col_letters(c[2])}{c[1]}" if c[0] == issue.sheet else f"{c[0]}!{col_letters(c[2])}{c[1]}")
                for c in sorted(cells, key=lambda c: (c[0] != issue.sheet, order.get(c[0], len(order)), c[0], c[1], c[2]))]
        if names:
            own = set(names)
            return names + [name for c, name in tail if not (c[0] == issue.sheet and name in own)]
        return [name for _, name in tail]

    def _source(self, issue: Issue) -> tuple[str, ...] | None:
        """The input cell an issue is at, as `SpecIndex.dependents` names it: a table's input column
        (the issue inside that table) or a form field (its value cell, by the field's label)."""
        if issue.sheet is None or issue.row is None or not issue.cell:
            return None
        col = _col_index(issue.cell)
        for key, loc in self.located.items():
            if loc.sheet == issue.sheet and loc.header_row < issue.row - 1 < loc.end_row:
                k = next((k for k, i in loc.columns.items() if i == col), None)
                return ("row", key, k) if k is not None else None
        form = self.index.form
        if form is not None and col == 1:
            for fl in form.fields:
                if m.text_for(fl.label, self.lang) == issue.column:
                    return ("form", fl.key)
        return None

    def _place(self, node: tuple[str, ...]) -> list[tuple[str, int, int]]:
        """Where one formula node of the map is in this workbook: (sheet, 1-based row, 0-based column)
        of each of its cells; nothing for what the workbook has lost (a deleted column, dashboard row)."""
        got = self._placed.get(node)
        if got is None:
            got = self._placed[node] = list(self._find(node))
        return got

    def _find(self, node: tuple[str, ...]) -> Iterator[tuple[str, int, int]]:
        kind = node[0]
        if kind in ("rows", "total", "gantt"):
            loc = self.located.get(node[1])
            if loc is None:
                return
            if kind == "rows":
                if node[2] in loc.columns:
                    yield from ((loc.sheet, r.excel_row, loc.columns[node[2]]) for r in self.tables[node[1]])
            elif kind == "total":
                row = self._total_row(loc)
                if row is not None and node[2] in loc.columns:
                    yield loc.sheet, row + 1, loc.columns[node[2]]
            else:
                yield from self._gantt(loc)
            return
        spec_sheet = next((s for s in self.index.spec.sheets if any(
            x.key == node[1] for x in (s.metrics if kind == "metric" else s.breakdowns))), None)
        name = self._sheet_name(spec_sheet) if spec_sheet is not None else None
        rows = self.sheets.get(name or "", [])
        if kind == "metric":
            metric = next(x for x in spec_sheet.metrics if x.key == node[1])
            labels = {normed(x) for x in m.text_all(metric.label)}
            at = next((n for n, r in enumerate(rows) if r and type(r[0]) is str and normed(r[0]) in labels), None)
            if at is not None:
                yield name, at + 1, 1
        else:
            yield from self._breakdown(name, rows, next(b for b in spec_sheet.breakdowns if b.key == node[1]), node[2])

    def _sheet_name(self, sheet: m.Sheet) -> str | None:
        names = {sheet_key(n): n for n in self.sheets}
        return next((names[k] for x in m.text_all(sheet.title) if (k := sheet_key(x)) in names), None)

    def _total_row(self, loc: Located) -> int | None:
        """The 0-based row of a table's totals row: the first below its header whose first cell is a
        totals label."""
        rows = self.sheets.get(loc.sheet, [])
        first = min(loc.columns.values(), default=0)
        for r in range(loc.header_row + 1, min(loc.end_row, len(rows))):
            v = rows[r][first] if first < len(rows[r]) else None
            if type(v) is str and normed(v) in TOTAL_LABELS:
                return r
        return None

    def _gantt(self, loc: Located) -> Iterator[tuple[str, int, int]]:
        """The date header of the Gantt grid beside a table: from the column of the grid's title (in
        either language) above the header, one cell a day."""
        gantt = next((s.gantt for s in self.index.spec.sheets if s.gantt and s.gantt.table == loc.resolved.table.key), None)
        rows = self.sheets.get(loc.sheet, [])
        if gantt is None or loc.header_row >= len(rows):
            return
        titles = {normed(t("gantt", lang)) for lang in LANGS}
        last = max([*loc.columns.values(), *loc.extras.values()], default=0)
        for r in range(max(0, loc.header_row - 2), loc.header_row):
            first = next((c for c, v in enumerate(rows[r]) if c > last and type(v) is str and normed(v) in titles), None)
            if first is not None:
                yield from ((loc.sheet, loc.header_row + 1, first + k) for k in range(gantt.days))
                return

    def _breakdown(self, name: str | None, rows: list[list[Any]], br: m.Breakdown,
                   column: str) -> Iterator[tuple[str, int, int]]:
        """Every item's cell of one breakdown column: below the breakdown's title, its header row, then
        one row per item of its list (labels in either language)."""
        titles = {normed(x) for x in m.text_all(br.title)}
        top = next((n for n, r in enumerate(rows) if r and type(r[0]) is str and normed(r[0]) in titles), None)
        if name is None or top is None or top + 1 >= len(rows):
            return
        labels = {normed(x) for x in m.text_all(next(x for x in br.columns if x.key == column).label)}
        col = next((j for j, v in enumerate(rows[top + 1]) if j and type(v) is str and normed(v) in labels), None)
        items = {normed(x) for i in self.index.spec.list_items(br.over) for x in [*m.text_all(i.label), i.key]}
        r = top + 2
        while col is not None and r < len(rows) and rows[r] and type(rows[r][0]) is str and normed(rows[r][0]) in items:
            yield name, r + 1, col
            r += 1

    def issue(self, code: str, loc: Located, row: Row, col: int | None, **fields: Any) -> Issue:
        return make_issue(code, self.lang, file=self.file, sheet=loc.sheet, row=row.excel_row, col=col, **fields)

    def keys(self, scope: str, column: str) -> set:
        """The folded values of one column (what references and people are checked against)."""
        got = self._keys.get((scope, column))
        if got is None:
            got = self._keys[(scope, column)] = {fold(r.typed.get(column)) for r in self.tables.get(scope, [])} - {None}
        return got


# issues of an input cell whose value the formulas reading it do not get as meant (unreadable, an
# error value, a number stored as text, a percent read as one, missing, out of range): each lists
# every formula cell computed from it, so one mistake is one message
BREAKS = frozenset({"type-error", "not-in-choices", "formula-error", "stored-as-text", "percent-assumed",
                    "out-of-range", "missing-value"})
AFFECTS_SHOWN = 5      # a message names this many, then says how many more
AFFECTS_MAX = 1000     # and an issue lists at most this many (bounds a hostile file's report)


def _col_index(cell: str) -> int:
    """'AB12' -> 27 (0-based)."""
    n = 0
    for ch in cell:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


Check = Callable[[Context, Located, m.Column, str], Iterator[Issue]]


def unique(ctx: Context, loc: Located, col: m.Column, label: str) -> Iterator[Issue]:
    if not col.unique:
        return
    i = loc.columns[col.key]
    seen: dict[Any, int] = {}
    for r in ctx.tables[loc.resolved.table.key]:
        v = r.typed.get(col.key)
        if v is None:
            continue
        k = v.lower() if isinstance(v, str) else v
        if k in seen:
            yield ctx.issue("duplicate-key", loc, r, i, column=label, value=v, expected=f"{col_letters(i)}{seen[k]}")
        else:
            seen[k] = r.excel_row


def references(ctx: Context, loc: Located, col: m.Column, label: str) -> Iterator[Issue]:
    if col.type != m.ColumnType.reference or not col.ref:
        return
    i = loc.columns[col.key]
    scope, _, target = col.ref.partition(".")
    known = ctx.keys(scope, target)
    title = m.text_for(ctx.index.spec.table(scope).title, ctx.lang)
    rows = ctx.tables[loc.resolved.table.key]
    for r in rows:
        v = r.typed.get(col.key)
        if v is not None and fold(v) not in known:
            yield ctx.issue("unknown-reference", loc, r, i, column=label, value=v, expected=title)
    if scope == loc.resolved.table.key:
        yield from _cycles(ctx, loc, rows, col, target, i, label)


def _cycles(ctx: Context, loc: Located, rows: list[Row], col: m.Column, target: str, i: int,
            label: str) -> Iterator[Issue]:
    """Each cycle of references within one table (predecessors), once, at its first row."""
    edges = {fold(r.typed.get(target)): (fold(r.typed.get(col.key)), r) for r in rows if r.typed.get(target) is not None}
    reported: set = set()
    for start in edges:
        path, node = [], start
        while node in edges and node not in path:
            path.append(node)
            node = edges[node][0]
        if node in path:
            cycle = path[path.index(node):]
            if frozenset(cycle) in reported:
                continue
            reported.add(frozenset(cycle))
            names = " → ".join(str(edges[x][1].typed.get(target)) for x in cycle + [cycle[0]])
            yield ctx.issue("dependency-cycle", loc, edges[cycle[0]][1], i, column=label, value=names)


def people(ctx: Context, loc: Located, col: m.Column, label: str) -> Iterator[Issue]:
    if col.type != m.ColumnType.person or not ctx.index.spec.people:
        return
    scope, _, target = ctx.index.spec.people.partition(".")
    known = ctx.keys(scope, target)
    if not known:
        return
    i = loc.columns[col.key]
    for r in ctx.tables[loc.resolved.table.key]:
        v = r.typed.get(col.key)
        if v is not None and fold(v) not in known:
            yield ctx.issue("unknown-person", loc, r, i, column=label, value=v)


def campaign_dates(ctx: Context, loc: Located, col: m.Column, label: str) -> Iterator[Issue]:
    lo, hi = (ctx.form.get(ctx.index.campaign_field(k) or "") for k in ("start", "end"))
    if not col.in_campaign or not isinstance(lo, dt.date) or not isinstance(hi, dt.date):
        return
    i = loc.columns[col.key]
    for r in ctx.tables[loc.resolved.table.key]:
        v = r.typed.get(col.key)
        if isinstance(v, dt.date) and not lo <= v <= hi:
            yield ctx.issue("date-outside-campaign", loc, r, i, column=label, value=v.isoformat(),
                            expected=f"{lo.isoformat()} – {hi.isoformat()}")


def formula_cells(ctx: Context, loc: Located, col: m.Column, label: str) -> Iterator[Issue]:
    """A formula cell holding an error value, or a value other than its formula's result. One
    without a stored result (a library's re-save drops them) or with an error value no spreadsheet
    defines (Gnumeric's for a formula it could not parse) is counted in `ctx.recomputed` instead:
    the file gets one note, not one warning a cell."""
    i = loc.columns.get(col.key)
    if i is None:
        return
    key = loc.resolved.table.key
    today_dependent = (key, col.key) in ctx.index.today_columns
    inputs = [loc.columns[k] for k in ctx.index.formula_inputs[(key, col.key)] if k in loc.columns]
    for r, computed in zip(ctx.tables[key], ctx.book.column(key, col.key)):
        raw = r.raw.get(col.key)
        if isinstance(computed, f.ExcelError):
            continue  # the inputs' own errors are reported where they are
        if raw == UNKNOWN_ERROR or (is_blank(raw) and not today_dependent and not is_blank(computed)):
            ctx.recomputed += 1   # nothing stored to compare: the import uses the recomputed value
            ctx.broken += raw == UNKNOWN_ERROR
            continue
        wrong = isinstance(raw, str) and is_error_value(raw)
        if not wrong and today_dependent:
            continue
        if not wrong and not (is_blank(raw) and not is_blank(computed)) and same(raw, computed):
            continue
        cells = [(loc.sheet, f"{col_letters(c)}{r.excel_row}") for c in inputs]
        if ctx.explained(cells, (loc.sheet, f"{col_letters(i)}{r.excel_row}")):
            continue   # one cause, one message: the input's issue lists this cell
        if wrong:
            yield ctx.issue("formula-error", loc, r, i, column=label, value=raw)
        else:
            yield ctx.issue("formula-overwritten", loc, r, i, column=label, value=raw, expected=show(computed))


INPUT_CHECKS: tuple[Check, ...] = (unique, references, people, campaign_dates, kpi_ratio)


def rules(ctx: Context, loc: Located) -> Iterator[Issue]:
    """The spec's reported rules (and the KPI threshold rules) that hold on a row, each at the
    cells a person must change (`at`, narrowed by `match`), its message showing the values."""
    key = loc.resolved.table.key
    resolved, rows = loc.resolved, ctx.tables[key]
    labels = ctx.index.column_labels[(key, ctx.lang)]
    currency = ctx.index.spec.currency
    for n, rule in ctx.book.rule_hits(key, reported_only=True):
        row = rows[n]
        cells = [c for k in (rule.at or rule.columns or [resolved.columns[0].key]) for c in resolved.groups.get(k, [k])]
        if rule.match is not None:
            cells = [c for c in cells if row.typed.get(c) == rule.match] or cells[:1]
        first = cells[0]
        kind = _kind(resolved.column(first))
        values = {c.key: _cell_value(ctx, key, n, row, c) for c in resolved.columns}
        params: dict[str, Any] = {k: shown(v, _kind(resolved.column(k)), currency) for k, v in values.items()}
        params.update({name: shown(_plain_result(ctx.book.evaluate(source, key, n), kind), kind, currency)
                       for name, source in rule.values.items()})
        refs = [f"{col_letters(loc.columns[c])}{row.excel_row}" for c in cells if c in loc.columns]
        params.update(value=params.get(first, ""), cells="、".join(refs) if ctx.lang == "zh-CN" else ", ".join(refs),
                      count=len(cells))
        text = m.text_for(rule.message, ctx.lang)
        try:
            message = text.format_map(_Params(params))
        except (ValueError, IndexError):   # a stray brace in an admin's message: shown as written
            message = text
        expected = params[next(iter(rule.values))] if rule.values else None
        yield make_issue(rule.code, ctx.lang, file=ctx.file, severity=rule.severity.value, sheet=loc.sheet,
                         row=row.excel_row, col=loc.columns.get(first), column=labels.get(first),
                         value=values.get(first), expected=expected, message=message)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _cell_value(ctx: Context, table: str, n: int, row: Row, col: m.Column) -> Any:
    """A cell's value as a message shows it: an input as read (a choice as its label in the message
    language), a formula column as recomputed."""
    if col.formula is not None:
        return _plain_result(ctx.book.value(table, n, col.key), _kind(col))
    v = row.typed.get(col.key)
    if v is not None and col.type == m.ColumnType.choice and col.choices:
        try:
            return ctx.index.list_label(col.choices, v, ctx.lang)
        except KeyError:
            return v
    return v


def _kind(col: m.Column) -> str:
    return (col.result or col.type).value


def _plain_result(v: Any, kind: str) -> Any:
    """A formula's result for a message: errors and blanks show as blank, date serials as dates."""
    if isinstance(v, f.ExcelError) or v in ("", None):
        return None
    return f.serial_to_date(v) if kind in ("date", "datetime") and isinstance(v, float) else v


def dashboard(ctx: Context, sheet: m.Sheet, name: str, rows: list[list[Any]]) -> Iterator[Issue]:
    """Each dashboard metric whose figure in the file (as the spreadsheet last computed it) is not
    what the tables give: explained by an input's issue (a number stored as text that SUM skips),
    it is listed there; otherwise it is reported, naming both figures."""
    found = {normed(r[0]): (n, r[1]) for n, r in enumerate(rows) if len(r) > 1 and type(r[0]) is str}
    currency = ctx.index.spec.currency
    for metric in sheet.metrics:
        if metric.key in ctx.index.today_metrics:
            continue   # computed for another day than this check's
        at = next((found[normed(x)] for x in m.text_all(metric.label) if normed(x) in found), None)
        if at is None:
            continue   # a deleted row: nothing to compare
        n, raw = at
        tool = _plain_result(ctx.book.evaluate(ctx.index.metric_formulas[metric.key]), metric.type.value)
        if raw == UNKNOWN_ERROR or is_blank(raw):   # no figure stored: nothing to compare, the tool's is used
            ctx.recomputed += raw == UNKNOWN_ERROR or tool is not None
            ctx.broken += raw == UNKNOWN_ERROR
            continue
        if same(raw, tool if tool is not None else ""):
            continue
        broken = (name, f"B{n + 1}")
        inputs = [(loc.sheet, f"{col_letters(loc.columns[col])}{r.excel_row}")
                  for table, col in ctx.index.metric_inputs[metric.key]
                  if (loc := ctx.located.get(table)) is not None and col in loc.columns for r in ctx.tables[table]]
        if ctx.explained(inputs, broken):
            continue
        kind = metric.type.value
        yield make_issue("dashboard-disagrees", ctx.lang, file=ctx.file, sheet=name, row=n + 1, col=1,
                         column=m.text_for(metric.label, ctx.lang), value=shown(raw, kind, currency),
                         expected=shown(tool, kind, currency))


def run_checks(ctx: Context, dashboards: Iterable[tuple[m.Sheet, str, list[list[Any]]]] = ()) -> list[Issue]:
    """Every check over every located table, table by table, column by column, then the
    dashboards' figures ((spec sheet, sheet name, rows) of each found)."""
    out: list[Issue] = []
    for key, loc in ctx.located.items():
        labels = ctx.index.column_labels[(key, ctx.lang)]
        for col in loc.resolved.columns:
            if col.formula is not None:
                out += formula_cells(ctx, loc, col, labels[col.key])
            elif col.key in loc.columns:
                for check in INPUT_CHECKS:
                    out += check(ctx, loc, col, labels[col.key])
        out += rules(ctx, loc)
    out += kpi_days(ctx)
    out += kpi_targets(ctx)
    for sheet, name, rows in dashboards:
        out += dashboard(ctx, sheet, name, rows)
    ctx.finish()
    if ctx.recomputed:
        out.insert(0, recomputed_note(ctx.recomputed, ctx.broken, ctx.application, ctx.lang, ctx.file))
    return out


def recomputed_note(count: int, broken: int, application: str | None, lang: str, file: str) -> Issue:
    """The one file-level note for formula cells whose stored results were missing or broken and
    were recomputed: which application saved the file (when it says) and how many cells. Where the
    application replaced formulas with an error value of its own (`broken` cells), the hint says
    the file's own formulas need restoring."""
    key = "issue.formulas-recomputed" if application else "issue.formulas-recomputed.unknown-app"
    app = application or t("issue.formulas-recomputed.some-app", lang)
    return make_issue("formulas-recomputed", lang, file=file, value=count, expected=application,
                      message=t(key, lang, count=count, n=f"{count:,}", app=app),
                      hint=t("hint.formulas-recomputed.broken", lang, app=app) if broken else None)


def same(raw: Any, computed: Any) -> bool:
    """Whether a formula cell's stored value is its computed result (as the spreadsheet shows it)."""
    if is_blank(raw) and is_blank(computed):
        return True
    if isinstance(raw, (dt.date, dt.datetime)):
        raw = f.date_to_serial(raw)
    if isinstance(raw, bool) or isinstance(computed, bool):
        return raw == computed
    if isinstance(raw, (int, float)) and isinstance(computed, (int, float)):
        return math.isclose(raw, computed, rel_tol=1e-6, abs_tol=1e-6)
    if isinstance(raw, str) and isinstance(computed, str):
        return clean_text(raw) == clean_text(computed)
    return False


__all__ = ["Context", "run_checks", "INPUT_CHECKS", "rules", "formula_cells", "fold", "same"]
