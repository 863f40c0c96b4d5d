"""Load a YAML spec into the model, reporting every problem with file, line and path."""
from __future__ import annotations

import hashlib
import os
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import FormulaSyntaxError, SpecError, SpecNotFound, SpecProblem
from ..i18n import t
from ..text import closest
from . import inherit
from . import model as m
from .kpis import metric_formula, problems as kpi_problems
from .index import SpecIndex
from .resolve import resolve_table

_NOUNS = {   # enum -> the i18n key of what a value of it is called
    m.ColumnType: "spec.noun.column_type", m.SheetKind: "spec.noun.sheet_kind", m.Style: "spec.noun.style",
    m.Severity: "spec.noun.severity", m.TotalKind: "spec.noun.total_kind", m.ChartKind: "spec.noun.chart_type",
    m.Direction: "spec.noun.direction",
}


@dataclass(frozen=True)
class LoadedSpec:
    """A valid spec with where it came from, a hash of its resolved content, and what derives
    from it (`index`), built once here."""

    spec: m.Spec
    path: str
    sha256: str
    sources: list[str] = field(default_factory=list)  # the file, then the files it extends
    index: SpecIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", SpecIndex(self.spec))

    @classmethod
    def of(cls, spec: m.Spec, path: str, sources: list[str] | None = None) -> "LoadedSpec":
        """A spec already validated (say, a changed copy of a loaded one), with its hash."""
        return cls(spec=spec, path=path, sha256=spec_hash(spec), sources=sources or [path])


# --------------------------------------------------------------------------- locating
DEFAULT_SPEC = "campaign"   # the shipped base template
_SHIPPED = Path(__file__).resolve().parents[2] / "workbook_specs"


def spec_dirs(extra: list[str] | None = None) -> list[Path]:
    """Where named specs are looked up: --spec-dir, $CAMPAIGN_SHEETS_SPEC_PATH, shipped."""
    dirs = [Path(d) for d in (extra or [])]
    env = os.environ.get("CAMPAIGN_SHEETS_SPEC_PATH", "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d]
    dirs.append(_SHIPPED)
    dirs.append(Path(sys.prefix) / "share" / "campaign-sheets" / "workbook_specs")
    return dirs


def find_spec(name: str, spec_dirs_extra: list[str] | None = None, lang: str = "en") -> Path:
    """A spec path from a path or a name (without .yaml) found in the spec folders."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") or os.sep in name or "/" in name:
        if as_path.is_file():
            return as_path
        raise SpecNotFound(t("spec.not_found", lang, name=name, available=", ".join(available_specs(spec_dirs_extra))))
    for d in spec_dirs(spec_dirs_extra):
        for ext in (".yaml", ".yml"):
            candidate = d / f"{name}{ext}"
            if candidate.is_file():
                return candidate
    raise SpecNotFound(t("spec.not_found", lang, name=name, available=", ".join(available_specs(spec_dirs_extra))))


def available_specs(spec_dirs_extra: list[str] | None = None) -> list[str]:
    names: list[str] = []
    for d in spec_dirs(spec_dirs_extra):
        if d.is_dir():
            names += [p.stem for p in sorted(d.glob("*.y*ml")) if p.stem not in names]
    return names


# --------------------------------------------------------------------------- YAML with lines
def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map every path (keys and list indexes) to its 1-based line in the YAML source."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[path + (key,)] = k.start_mark.line + 1
            _line_map(v, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _line_map(v, path + (i,), out)
    return out


def _line_for(lines: dict[tuple, int], loc: tuple) -> int | None:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def format_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --------------------------------------------------------------------------- pydantic errors
def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last element of `loc` (for did-you-mean on keys)."""
    current: Any = m.Spec
    for part in loc[:-1]:
        current = _unwrap(current)
        if isinstance(part, int) or part not in getattr(current, "model_fields", {part: None}):
            if typing.get_origin(current) in (list, dict):
                current = typing.get_args(current)[-1]
                continue
            return None
        if isinstance(current, type) and issubclass(current, BaseModel):
            current = current.model_fields[part].annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Union or str(origin) == "types.UnionType":
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = next((a for a in models if isinstance(a, type) and issubclass(a, BaseModel)), models[0])
            continue
        return tp




def _problem_text(err: dict, lang: str) -> tuple[tuple, str]:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in ("str", "float", "date", "int"))))
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        owner = _model_at(loc)
        text = t("spec.unknown_key", lang, key=key)
        options = list(owner.model_fields) if owner is not None else []
        if owner is m.Spec:
            options += list(inherit.INHERIT_KEYS)
        if options and (guess := closest(str(key), options)):
            text += t("spec.did_you_mean", lang, guess=guess)
        return loc, text
    if kind == "missing":
        return loc, t("spec.missing", lang)
    if kind == "enum":
        value = err.get("input")
        for enum_cls, noun in _NOUNS.items():
            options = [e.value for e in enum_cls]
            if err.get("ctx", {}).get("expected", "").count("'") and all(f"'{o}'" in err["ctx"]["expected"] for o in options):
                text = t("spec.not_one_of", lang, value=value, noun=t(noun, lang), options=", ".join(options))
                if guess := closest(str(value), options):
                    text += t("spec.did_you_mean", lang, guess=guess)
                return loc, text
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip(" '")]
        text = t("spec.not_one_of", lang, value=err.get("input"), noun=t("spec.noun.locale", lang), options=", ".join(options))
        if guess := closest(str(err.get("input")), options):
            text += t("spec.did_you_mean", lang, guess=guess)
        return loc, text
    return loc, t("spec.bad_value", lang, value=err.get("input"), reason=err["msg"])


# --------------------------------------------------------------------------- load
# (child path, size, mtime, spec dirs) -> (spec, stats of the base files it extends)
_CACHE: dict[tuple, tuple[LoadedSpec, tuple]] = {}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _stat_key(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def load_spec(source: str | Path, *, spec_dir: list[str] | None = None, lang: str = "en") -> LoadedSpec:
    """Load and check a spec by path or shipped name; raise SpecError listing every problem.

    Valid specs are cached per file path, size and modification time (an importer run over
    thousands of workbooks loads each spec once); a spec that `extends` others is reloaded
    when any file of its chain changes.
    """
    path = find_spec(str(source), spec_dir, lang)
    key = (*_stat_key(path), tuple(spec_dir or ()), os.environ.get("CAMPAIGN_SHEETS_SPEC_PATH", ""))
    hit = _CACHE.get(key)
    if hit is not None and all(_stat_key(Path(dep[0])) == dep for dep in hit[1]):
        return hit[0]
    text = path.read_text(encoding="utf-8")
    loaded, deps = _load_text(text, str(path), lang=lang, spec_dir=spec_dir)
    _CACHE[key] = (loaded, tuple(_stat_key(d) for d in deps))
    return loaded


def _parse(text: str, filename: str, lang: str) -> tuple[dict, dict[tuple, int]]:
    """YAML text -> (data, line of every path); SpecError on a syntax error or a non-mapping."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise SpecError([SpecProblem(filename, mark.line + 1 if mark else None, "", t("spec.yaml", lang, reason=reason))], path=filename) from None
    if not isinstance(data, dict) or node is None:
        raise SpecError([SpecProblem(filename, 1, "", t("spec.not_mapping", lang))], path=filename)
    return data, _line_map(node)


def load_spec_text(text: str, filename: str = "<spec>", *, lang: str = "en", spec_dir: list[str] | None = None) -> LoadedSpec:
    """Load a spec from text; `extends` is resolved next to `filename` and in the spec folders."""
    return _load_text(text, filename, lang=lang, spec_dir=spec_dir)[0]


def _load_text(text: str, filename: str, *, lang: str, spec_dir: list[str] | None) -> tuple[LoadedSpec, list[Path]]:
    data, lines = _parse(text, filename, lang)
    deps: list[Path] = []
    sources = [filename]
    if inherit.needs_resolving(data):
        resolved = inherit.resolve(data, lines, filename, lambda tx, fn: _parse(tx, fn, lang), lang=lang, spec_dir=spec_dir)
        data, locate, deps, sources = resolved.data, resolved.locate, resolved.deps, resolved.files
    else:
        def locate(loc: tuple) -> tuple[str, int | None]:
            return filename, _line_for(lines, loc)

    def problem(loc: tuple, msg: str) -> SpecProblem:
        file, line = locate(loc)
        if file != filename:  # found in a base file: say which child it is inherited by
            msg += t("spec.inherited", lang, child=filename)
        return SpecProblem(file, line, format_path(loc), msg)

    return _validated(data, filename, problem, lang, sources), deps


def _validated(data: Any, filename: str, problem: Any, lang: str, sources: list[str]) -> LoadedSpec:
    """The model of spec `data`, checked for shape, then cross-references; SpecError with every
    problem, each located by `problem(path, message)`."""
    try:
        spec = m.Spec.model_validate(data)
    except ValidationError as exc:
        problems = [problem(*_problem_text(err, lang)) for err in exc.errors()]
        raise SpecError(_dedupe(problems), path=filename) from None
    try:
        problems = [problem(loc, msg) for loc, msg in check_references(spec, lang)]
    except RecursionError:   # a formula nested past Python's stack: no writer makes one
        problems = [problem((), t("spec.formula", lang, reason="nested too deeply"))]
    if problems:
        raise SpecError(_dedupe(problems), path=filename)
    return LoadedSpec(spec=spec, path=filename, sha256=spec_hash(spec), sources=sources)


def spec_hash(spec: m.Spec) -> str:
    """The hash of a resolved spec's content (what `_meta` and `_spec` record of it)."""
    return hashlib.sha256(spec.model_dump_json().encode("utf-8")).hexdigest()


def load_embedded(data: dict[str, Any], source: str, *, lang: str = "en") -> LoadedSpec:
    """A spec a workbook carries (untrusted input): checked exactly like a spec file, but complete
    in itself: `extends`, `remove` and `order` are refused (they would reach for files on this
    machine). SpecError lists every problem."""
    if any(key in data for key in inherit.INHERIT_KEYS):
        key = next(k for k in inherit.INHERIT_KEYS if k in data)
        raise SpecError([SpecProblem(source, None, key, t("spec.embedded_inherits", lang, key=key))], path=source)
    return _validated(data, source, lambda loc, msg: SpecProblem(source, None, format_path(loc), msg), lang, [source])


def _dedupe(problems: list[SpecProblem]) -> list[SpecProblem]:
    seen, out = set(), []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out


# --------------------------------------------------------------------------- cross-references
def check_references(spec: m.Spec, lang: str = "en") -> list[tuple[tuple, str]]:
    """Problems a shape check cannot see: unknown lists, tables, columns, duplicate keys, locales."""
    out: list[tuple[tuple, str]] = []
    tables = {t_.key: t_ for t_ in spec.tables()}
    columns = _expanded_keys(spec)
    form = spec.form()
    forms = {form.key: form} if form else {}

    def dup(items: list, what: str, loc: tuple) -> None:
        seen: set[str] = set()
        for i, it in enumerate(items):
            if it.key in seen:
                out.append((loc + (i, "key"), t("spec.duplicate", lang, what=what, key=it.key)))
            seen.add(it.key)

    dup(spec.sheets, "sheet", ("sheets",))
    dup(spec.tables(), "table", ("sheets",))
    dup(spec.kpis, "kpi", ("kpis",))
    for name, items in spec.lists.items():
        dup(items, "item", ("lists", name))
    for i, kpi in enumerate(spec.kpis):
        _locales(spec, kpi.label, ("kpis", i, "label"), out, lang)
    kpi_bad = kpi_problems(spec)
    out += [(loc, t(key, lang, **fields)) for loc, key, fields in kpi_bad]

    for si, sheet in enumerate(spec.sheets):
        _locales(spec, sheet.title, ("sheets", si, "title"), out, lang)
        for ti, table in enumerate(sheet.tables):
            loc_t = ("sheets", si, "tables", ti)
            dup(table.columns, "column", loc_t + ("columns",))
            if table.prefill and table.prefill != "kpis" and table.prefill not in spec.lists:
                out.append((loc_t + ("prefill",), t("spec.unknown_list", lang, name=table.prefill)))
            for ci, col in enumerate(table.columns):
                loc_c = loc_t + ("columns", ci)
                _locales(spec, col.label, loc_c + ("label",), out, lang)
                _column_refs(spec, col, loc_c, columns, out, lang)
            if table.key not in columns:
                out.append((loc_t, t("spec.unknown_list", lang, name=_unknown_repeat(spec, table))))
                continue
            names = columns[table.key] | {c.key for c in table.columns if c.repeat}
            for ci, col in enumerate(table.columns):
                if col.formula:
                    _formula(spec, col.formula, loc_t + ("columns", ci, "formula"), names, columns, forms, out, lang)
            for ri, rule in enumerate(table.rules):
                loc_r = loc_t + ("rules", ri)
                _formula(spec, rule.when, loc_r + ("when",), names, columns, forms, out, lang)
                for name, source in rule.values.items():
                    _formula(spec, source, loc_r + ("values", name), names, columns, forms, out, lang)
                for field_ in ("columns", "at"):
                    for c in getattr(rule, field_) or []:
                        if c not in names:
                            out.append((loc_r + (field_,), t("spec.unknown_column", lang, name=c)))
                for text in m.text_all(rule.message):
                    for name in _placeholders(text) - names - set(rule.values) - RULE_PLACEHOLDERS:
                        out.append((loc_r + ("message",), t("spec.unknown_placeholder", lang, name=name)))
            for key in table.totals:
                if key not in names:
                    out.append((loc_t + ("totals", key), t("spec.unknown_column", lang, name=key)))
        if sheet.form:
            for fi, col in enumerate(sheet.form.fields):
                _column_refs(spec, col, ("sheets", si, "form", "fields", fi), columns, out, lang)
        for mi, metric in enumerate(sheet.metrics):
            source = metric_formula(spec, metric)
            if source and (metric.kpi is None or not kpi_bad):   # a bad KPI declaration is reported once, above
                _formula(spec, source, ("sheets", si, "metrics", mi, "kpi" if metric.kpi else "formula"), set(),
                         columns, forms, out, lang)
        for bi, br in enumerate(sheet.breakdowns):
            if br.over not in spec.lists:
                out.append((("sheets", si, "breakdowns", bi, "over"), t("spec.unknown_list", lang, name=br.over)))
            for mi, metric in enumerate(br.columns):
                _formula(spec, metric.formula, ("sheets", si, "breakdowns", bi, "columns", mi, "formula"), set(), columns, forms, out, lang)
        if sheet.gantt and sheet.gantt.table not in tables:
            out.append((("sheets", si, "gantt", "table"), t("spec.unknown_ref", lang, ref=sheet.gantt.table)))
        breakdowns = {b.key: b for b in sheet.breakdowns}
        for ci, chart in enumerate(sheet.charts):
            for ref in [chart.categories, *chart.series]:
                scope, _, name = ref.partition(".")
                ok = (name in columns.get(scope, ())) or (
                    scope in breakdowns and (name == "item" or name in {c.key for c in breakdowns[scope].columns}))
                if not ok:
                    out.append((("sheets", si, "charts", ci), t("spec.unknown_ref", lang, ref=ref)))
    return out


# what a rule's message may show besides the row's columns and its own `values`
RULE_PLACEHOLDERS = frozenset({"value", "cells", "count"})


def _placeholders(text: str) -> set[str]:
    import string

    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:   # a lone brace: shown as written
        return set()


def _expanded_keys(spec: m.Spec) -> dict[str, set[str]]:
    """Table key -> its effective column keys (tables whose `repeat` names no list are left out)."""
    out = {}
    for table in spec.tables():
        try:
            out[table.key] = {c.key for c in resolve_table(spec, table).columns}
        except KeyError:
            pass
    return out


def _unknown_repeat(spec: m.Spec, table: m.Table) -> str:
    return next(c.repeat for c in table.columns if c.repeat and c.repeat != "kpis" and c.repeat not in spec.lists)


def _locales(spec: m.Spec, text: m.Text, loc: tuple, out: list, lang: str) -> None:
    if isinstance(text, dict):
        for locale in spec.locales:
            if not text.get(locale):
                out.append((loc, t("spec.missing_locale", lang, lang=locale)))


def _column_refs(spec: m.Spec, col: m.Column, loc: tuple, columns: dict[str, set[str]], out: list, lang: str) -> None:
    if col.type == m.ColumnType.choice and not col.choices:
        out.append((loc, t("spec.needs", lang, type="choice", key="choices")))
    if col.choices and col.choices not in spec.lists:
        out.append((loc + ("choices",), t("spec.unknown_list", lang, name=col.choices)))
    if col.repeat and col.repeat not in spec.lists and col.repeat != "kpis":
        out.append((loc + ("repeat",), t("spec.unknown_list", lang, name=col.repeat)))
    if col.type == m.ColumnType.reference:
        if not col.ref:
            out.append((loc, t("spec.needs", lang, type="reference", key="ref")))
        else:
            scope, _, name = col.ref.partition(".")
            if name not in columns.get(scope, ()):
                out.append((loc + ("ref",), t("spec.unknown_ref", lang, ref=col.ref)))
    if col.type == m.ColumnType.formula and not col.formula:
        out.append((loc, t("spec.needs", lang, type="formula", key="formula")))
    if col.help:
        for text in m.text_all(col.help):
            if len(text) > 255:
                out.append((loc + ("help",), t("spec.too_long", lang, what="help", n=len(text), limit=255)))


def _formula(spec: m.Spec, source: str, loc: tuple, row_names: set[str], columns: dict[str, set[str]], forms: dict,
             out: list, lang: str) -> None:
    from .. import formula as f

    try:
        node = f.parse(source)
    except FormulaSyntaxError as exc:
        out.append((loc, t("spec.formula", lang, reason=exc.text(lang))))
        return
    for ref in f.refs(node):
        if ref.scope is None:
            ok = ref.name in row_names
        elif ref.scope in columns:
            ok = ref.name in columns[ref.scope]
        elif ref.scope in forms:
            ok = ref.name in {c.key for c in forms[ref.scope].fields}
        else:
            ok = False
        if not ok:
            name = ref.name if ref.scope is None else f"{ref.scope}.{ref.name}"
            out.append((loc, t("spec.unknown_column", lang, name=name)))
    for node_ in f.walk(node):
        if isinstance(node_, f.Item) and node_.list is not None:
            items = spec.kpis if node_.list == "kpis" else spec.lists.get(node_.list)
            if items is None:
                out.append((loc, t("spec.unknown_list", lang, name=node_.list)))
            elif node_.key not in {i.key for i in items}:
                out.append((loc, t("spec.unknown_item", lang, name=node_.list, key=node_.key)))
