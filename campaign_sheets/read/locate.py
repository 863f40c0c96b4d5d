"""Recognise which template a workbook was built from, and find its sheets and tables.

The hidden `_meta` sheet names the template; without it, the sheet titles and column headers
decide. Tables are found by their header row (in either language, by key or alias), so moved,
reordered and renamed columns still read; `_meta`'s record of where a header was built is tried
first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..contract import META_SHEET, SPEC_SHEET, EmbeddedSpecError, Meta, read_spec_rows, sheet_key
from ..errors import CampaignSheetsError, SpecError
from ..report import Issue, make_issue
from ..spec import model as m
from ..spec.index import norm
from ..spec.loader import LoadedSpec, available_specs, load_embedded, load_spec
from ..spec.resolve import ResolvedTable
from ..text import clean_text
from .calamine import RawBook

_NORMED: dict[str, str] = {}   # headers, labels and titles recur in every file of a template


def normed(text: Any) -> str:
    """`norm(text)`, memoised for text (bounded: cleared when it grows large)."""
    if text.__class__ is not str:
        return norm(text)
    got = _NORMED.get(text)
    if got is None:
        if len(_NORMED) > 65536:
            _NORMED.clear()
        got = _NORMED[text] = norm(text)
    return got


@dataclass
class Identity:
    """What a workbook is: its spec (None when no template matches), `_meta`, and what was said."""

    loaded: LoadedSpec | None
    meta: Meta | None
    issues: list[Issue] = field(default_factory=list)
    other_version: bool = False     # built from another version of the template
    locale: str | None = None       # the language the workbook was built in, if `_meta` says

    @property
    def header_rows(self) -> dict[str, int]:
        """Table key -> 0-based row where the builder put its header."""
        return {k: e.header_row - 1 for k, e in self.meta.tables.items()} if self.meta else {}


def identify(meta: Meta | None, raw: RawBook, loaded: LoadedSpec | None, spec_dir: list[str] | None, lang: str,
             file: str, named: LoadedSpec | None = None) -> Identity:
    """The workbook's template, in this order: `loaded` (given); the spec of the template and version
    `_meta` names, found on this machine (a warning if it differs from the one the workbook carries);
    the spec the workbook carries (an info note); this machine's spec of another version (a warning);
    without `_meta`, the best guess from sheets and headers. A template known nowhere is
    template-unknown: never read as another one in silence."""
    out = Identity(loaded, meta)
    template = meta.template if meta else None
    carried = _Carried(raw, file, lang, out) if loaded is None else None
    if out.loaded is None and template:
        local = named if named is not None and named.spec.template == template else _local_spec(template, spec_dir, lang)
        same_version = local is not None and (meta.version is None or local.spec.version == meta.version)
        if same_version:
            out.loaded = local
            # the carried spec is loaded (and checked) only when its recorded hash says it differs
            if carried is not None and not carried.same_as(local) and carried.spec() is not None \
                    and carried.spec().sha256 != local.sha256:
                out.issues.append(make_issue("spec-differs", lang, file=file, value=f"{template} v{local.spec.version}"))
        elif carried is not None and carried.spec() is not None:
            out.loaded = carried.spec()
            out.issues.append(make_issue("spec-embedded", lang, file=file,
                                         value=f"{out.loaded.spec.template} v{out.loaded.spec.version}"))
        else:
            out.loaded = local
        if out.loaded is None:
            out.issues.append(make_issue("template-unknown", lang, file=file, value=template))
            return out
    if out.loaded is None:
        out.loaded = guess_template(raw, spec_dir)   # `_meta` gone, or naming no template
        if out.loaded is None:
            out.issues.append(make_issue("template-unknown", lang, file=file, value=template))
            return out
        out.issues.append(make_issue("meta-missing", lang, file=file, value=out.loaded.spec.template))
    spec = out.loaded.spec
    version = meta.version if meta else None
    out.other_version = version is not None and version != spec.version
    if out.other_version:
        out.issues.append(make_issue("template-version", lang, file=file, value=f"{spec.template} v{version}",
                                     expected=f"{spec.template} v{spec.version}"))
    locale = meta.locale if meta else None
    out.locale = locale if locale in spec.locales else None
    return out


def _local_spec(template: str, spec_dir: list[str] | None, lang: str) -> LoadedSpec | None:
    try:
        return load_spec(template, spec_dir=spec_dir, lang=lang)
    except CampaignSheetsError:
        return None


class _Carried:
    """The spec the workbook carries in `_spec`: its recorded hash read at once, the spec itself
    loaded and checked like any spec file only when asked (most workbooks carry this machine's
    spec, and the hash says so without loading it). An unusable one is a warning, once."""

    def __init__(self, raw: RawBook, file: str, lang: str, out: Identity) -> None:
        self.file, self.lang, self.out = file, lang, out
        self.found: tuple[Any, str | None] | None = None
        self.loaded: LoadedSpec | None = None
        self.tried = False
        try:
            self.found = read_spec_rows(raw.sheets.get(SPEC_SHEET))
        except (EmbeddedSpecError, CampaignSheetsError) as exc:
            self._unusable(exc)

    def same_as(self, local: LoadedSpec) -> bool:
        return self.found is not None and self.found[1] == local.sha256

    def spec(self) -> LoadedSpec | None:
        if not self.tried and self.found is not None:
            self.tried = True
            data, sha = self.found
            try:
                carried = load_embedded(data, f"{self.file}!{SPEC_SHEET}", lang=self.lang)
                if sha and carried.sha256 != sha:
                    raise EmbeddedSpecError("changed since it was written")
                self.loaded = carried
            except (EmbeddedSpecError, CampaignSheetsError) as exc:
                self._unusable(exc)
        return self.loaded

    def _unusable(self, exc: Exception) -> None:
        reason = exc.problems[0].message if isinstance(exc, SpecError) else str(exc)
        self.out.issues.append(make_issue("spec-embedded-unusable", self.lang, file=self.file, expected=reason[:200]))


def guess_template(raw: RawBook, spec_dir: list[str] | None) -> LoadedSpec | None:
    """The spec whose sheet titles and column headers this workbook shows most of.

    Scenario templates share the base's sheets, so headers (KPI columns, custom columns) decide
    between them; on a tie the spec with fewer labels (the plainer template) wins.
    """
    texts = {normed(v) for rows in raw.sheets.values() for row in rows[:400] for v in row if type(v) is str and v}
    keys = {sheet_key(n) for n in raw.sheets}
    best, best_score = None, (0, 0, 0)
    for name in available_specs(spec_dir):
        try:
            loaded = load_spec(name, spec_dir=spec_dir)
        except CampaignSheetsError:
            continue
        titles = {sheet_key(x) for sh in loaded.spec.sheets for x in m.text_all(sh.title)}
        sheet_hits = len(titles & keys)
        labels = {normed(x) for r in loaded.index.tables.values() for c in r.columns for x in m.text_all(c.label)}
        score = (sheet_hits, len(labels & texts), -len(labels))
        if sheet_hits >= 2 and score > best_score:
            best, best_score = loaded, score
    return best


def needed_sheets(loaded: LoadedSpec, names: list[str]) -> set[str]:
    """The sheets an import of `loaded` reads: those with tables, the campaign form or dashboard
    metrics (checked against the tables), and `_meta`."""
    titles = {sheet_key(x) for sh in loaded.spec.sheets if sh.tables or sh.form or sh.metrics
              for x in m.text_all(sh.title)}
    return {n for n in names if n in (META_SHEET, SPEC_SHEET) or sheet_key(n) in titles}


@dataclass
class Located:
    """Where one table was found."""

    resolved: ResolvedTable
    sheet: str
    header_row: int               # 0-based
    columns: dict[str, int]       # column key -> 0-based column index
    extras: dict[str, int]        # unknown header label -> index
    end_row: int                  # exclusive


class Sheets:
    """The workbook's sheets as the reader finds them: by title, rows normalised on demand."""

    def __init__(self, raw: RawBook) -> None:
        self.raw = raw
        self.by_key = {sheet_key(n): n for n in raw.sheets}
        self._normed: dict[tuple[str, int], list[str]] = {}

    def find(self, sheet: m.Sheet) -> str | None:
        """The name of the workbook's sheet for spec sheet `sheet` (by its title in either language)."""
        for title in m.text_all(sheet.title):
            name = self.by_key.get(sheet_key(title))
            if name:
                return name
        return None

    def normalised(self, name: str, r: int) -> list[str]:
        """Row `r` of sheet `name` as header-matching keys, computed once and only for rows looked at."""
        got = self._normed.get((name, r))
        if got is None:
            got = self._normed[(name, r)] = [normed(v) if type(v) is str and v else "" for v in self.raw.sheets[name][r]]
        return got

    def locate(self, name: str, resolved: ResolvedTable, labels: dict[str, str], start: int,
               hint: int | None = None) -> Located | None:
        """The table's header row: the first row from `start` with the most of its column labels
        (`labels`: normalised header text -> column key). `hint` (0-based, where `_meta` says the
        header was built) is tried first: a full header there wins."""
        rows = self.raw.sheets[name]
        n_cols = len(resolved.columns)
        best_row, best_hits = None, 0
        need = max(1, min(2, n_cols), math.ceil(0.4 * n_cols))
        if hint is not None and start <= hint < len(rows) and \
                len({labels[x] for x in self.normalised(name, hint) if x in labels}) == n_cols:
            best_row, best_hits = hint, n_cols
        for r in range(start, len(rows) if best_row is None else start):
            hits = len({labels[x] for x in self.normalised(name, r) if x in labels})
            if hits > best_hits:
                best_row, best_hits = r, hits
                if hits == n_cols:
                    break
        if best_row is None or best_hits < need:
            return None
        header, keys = rows[best_row], self.normalised(name, best_row)
        first = next(i for i, x in enumerate(keys) if x in labels)
        columns: dict[str, int] = {}
        extras: dict[str, int] = {}
        for i in range(first, len(header)):
            cell = header[i]
            if cell in ("", None):
                break  # a gap ends the table (the Gantt grid sits past one)
            key = labels.get(keys[i])
            if key and key not in columns:
                columns[key] = i
            else:
                extras[clean_text(str(cell))] = i
        return Located(resolved, name, best_row, columns, extras, len(rows))


def locate_tables(sheets: Sheets, loaded: LoadedSpec, header_rows: dict[str, int], lang: str,
                  file: str) -> tuple[dict[str, Located], list[Issue]]:
    """Every table of the spec that the workbook holds (in spec order), and an issue for each
    sheet or table that is missing. A table ends where the next one on its sheet begins."""
    index = loaded.index
    located: dict[str, Located] = {}
    issues: list[Issue] = []
    for sheet in loaded.spec.sheets:
        if not sheet.tables:
            continue
        name = sheets.find(sheet)
        if name is None:
            issues.append(make_issue("sheet-missing", lang, file=file, table=m.text_for(sheet.title, lang)))
            continue
        found: list[Located] = []
        start = 0
        for table in sheet.tables:
            loc = sheets.locate(name, index.tables[table.key], index.header_labels[table.key], start,
                                header_rows.get(table.key))
            if loc is None:
                issues.append(make_issue("table-missing", lang, file=file, sheet=name,
                                         table=m.text_for(table.title, lang)))
                continue
            found.append(loc)
            start = loc.header_row + 1
        for a, b in zip(found, found[1:]):
            a.end_row = b.header_row
        for loc in found:
            located[loc.resolved.table.key] = loc
    return located, issues


__all__ = ["Identity", "identify", "guess_template", "needed_sheets", "Located", "Sheets", "locate_tables", "normed"]
