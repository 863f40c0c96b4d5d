"""Spec inheritance: `extends`, merge by key, `remove` and `order` (docs/spec.md, "Inheritance").

A spec that says `extends: campaign` (a spec name, or a path relative to the spec file) starts from
the fully resolved base and changes only what it says:

* mappings merge recursively; on scalars (and on a type change) the child wins;
* keyed lists (`sheets`, a sheet's `tables`, `metrics`, `breakdowns`, a form's `fields`, a table's
  `columns`, a breakdown's `columns`, `kpis`, each named list in `lists`) merge by `key`: an item
  whose key is in the base is deep-merged into it, a new key is appended;
* a table's `rules` merge by `code`: the child's rules with a code replace every base rule of that
  code (at the place of the first one), new codes are appended;
* every other list (sections, charts, aliases, example rows, locales...) is replaced wholesale;
* then the child's `remove: [dotted.path, ...]` deletes parts, and its `order: {path: [keys]}`
  puts the listed keys first, the rest keeping their relative order.

This runs on plain YAML data before the pydantic model sees it; `extends`, `remove` and `order`
are stripped. Problems found later (by the model or the cross-reference checks) are located with
`Resolved.locate`: the line of the same path in the child when it is there, else in the base file
that supplied it.
"""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import SpecError, SpecProblem
from ..i18n import t
from ..text import closest

INHERIT_KEYS = ("extends", "remove", "order")

# Keyed lists, by the pattern of their path ("*" = any key): the field that identifies an item.
KEYED: dict[tuple, str] = {
    ("sheets",): "key",
    ("sheets", "*", "tables"): "key",
    ("sheets", "*", "tables", "*", "columns"): "key",
    ("sheets", "*", "tables", "*", "rules"): "code",
    ("sheets", "*", "form", "fields"): "key",
    ("sheets", "*", "metrics"): "key",
    ("sheets", "*", "breakdowns"): "key",
    ("sheets", "*", "breakdowns", "*", "columns"): "key",
    ("kpis",): "key",
    ("lists", "*"): "key",
}
# Keyed lists whose items may share a key; a child's items of one key replace all the base's.
REPLACE_ALL: set[tuple] = {("sheets", "*", "tables", "*", "rules")}

Parse = Callable[[str, str], tuple[dict, dict[tuple, int]]]  # (text, filename) -> (data, index lines)


@dataclass
class Source:
    """One file of the chain: its data as written and the line of every (index) path."""

    file: str
    data: dict
    lines: dict[tuple, int]
    _semantic: dict[tuple, int] | None = None

    def line(self, loc: tuple) -> int | None:
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())

    @property
    def semantic(self) -> dict[tuple, int]:
        """Lines by key path (list items named by their key), built on first use."""
        if self._semantic is None:
            out: dict[tuple, int] = {}
            for loc, line in sorted(self.lines.items(), key=lambda kv: len(kv[0])):
                out.setdefault(semantic_path(self.data, loc), line)
            self._semantic = out
        return self._semantic


@dataclass
class Resolved:
    """The merged data (inheritance keys stripped) and the chain it came from, child first."""

    data: dict
    chain: list[Source]
    deps: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return [s.file for s in self.chain]

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        """(file, line) for a path of the merged data: the child's line if it has that path."""
        sem = semantic_path(self.data, loc)
        for n in range(len(sem), -1, -1):
            prefix = sem[:n]
            for src in self.chain:
                if prefix in src.semantic:
                    return src.file, src.semantic[prefix]
        return self.chain[0].file, None


# --------------------------------------------------------------------------- paths
def _sub_pattern(pattern: tuple, key: Any) -> tuple:
    return pattern + ("*",) if pattern == ("lists",) else pattern + (key,)


def item_key(item: Any, field_: str) -> str | None:
    """The identity of a keyed-list item (plain `R` items of a named list are their own key)."""
    if isinstance(item, dict):
        value = item.get(field_)
        return None if value is None or isinstance(value, (dict, list)) else str(value)
    if isinstance(item, (str, int)) and not isinstance(item, bool):
        return str(item)
    return None


def _segment(items: list, index: int, field_: str, pattern: tuple) -> Any:
    key = item_key(items[index], field_)
    if key is None:
        return index
    if pattern in REPLACE_ALL:
        n = sum(1 for it in items[:index] if item_key(it, field_) == key)
        return key if n == 0 else f"{key}#{n}"
    return key


def semantic_path(data: Any, loc: tuple) -> tuple:
    """`loc` with keyed-list indexes replaced by item keys: ('sheets', 3, 'key') -> ('sheets', 'budget', 'key')."""
    out: list = []
    node, pattern = data, ()
    for part in loc:
        if isinstance(node, dict) and not isinstance(part, int):
            out.append(part)
            node, pattern = node.get(part), _sub_pattern(pattern, part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            if pattern in KEYED:
                out.append(_segment(node, part, KEYED[pattern], pattern))
                pattern = pattern + ("*",)
            else:
                out.append(part)
                pattern = pattern + ("#",)
            node = node[part]
        else:
            out.append(part)
            node = None
    return tuple(out)


# --------------------------------------------------------------------------- merge
def merge(base: Any, child: Any, pattern: tuple = ()) -> Any:
    """The child merged onto the base (both left untouched)."""
    if isinstance(base, dict) and isinstance(child, dict):
        out = {k: copy.deepcopy(v) for k, v in base.items()}
        for k, v in child.items():
            out[k] = merge(out[k], v, _sub_pattern(pattern, k)) if k in out else copy.deepcopy(v)
        return out
    if isinstance(base, list) and isinstance(child, list) and pattern in KEYED:
        return _merge_keyed(base, child, pattern)
    return copy.deepcopy(child)


def _merge_keyed(base: list, child: list, pattern: tuple) -> list:
    field_ = KEYED[pattern]
    ident = lambda item: item_key(item, field_)  # noqa: E731
    if pattern in REPLACE_ALL:
        codes = {ident(c) for c in child} - {None}
        out, placed = [], set()
        for b in base:
            code = ident(b)
            if code in codes:
                if code not in placed:
                    out += [copy.deepcopy(c) for c in child if ident(c) == code]
                    placed.add(code)
            else:
                out.append(copy.deepcopy(b))
        out += [copy.deepcopy(c) for c in child if ident(c) not in placed]
        return out
    out = [copy.deepcopy(b) for b in base]
    index: dict[str, int] = {}
    for i, b in enumerate(out):
        if (k := ident(b)) is not None:
            index.setdefault(k, i)
    merged: set[str] = set()
    for c in child:
        k = ident(c)
        if k is not None and k in index and k not in merged:
            i = index[k]
            if isinstance(out[i], dict) and isinstance(c, dict):
                out[i] = merge(out[i], c, pattern + ("*",))
            elif isinstance(c, dict) or not isinstance(out[i], dict):
                out[i] = copy.deepcopy(c)
            merged.add(k)
        else:
            out.append(copy.deepcopy(c))
    return out


# --------------------------------------------------------------------------- dotted paths
class _PathError(Exception):
    def __init__(self, part: str, parent: str, guess: str | None) -> None:
        super().__init__(part)
        self.part, self.parent, self.guess = part, parent, guess


def _options(node: Any, pattern: tuple) -> list[str]:
    if isinstance(node, dict):
        return [str(k) for k in node]
    if isinstance(node, list) and pattern in KEYED:
        return list(dict.fromkeys(k for it in node if (k := item_key(it, KEYED[pattern])) is not None))
    if isinstance(node, list):
        return [str(i) for i in range(len(node))]
    return []




def _walk(data: dict, parts: list[str]) -> tuple[Any, tuple, list]:
    """Follow all but the last part: (container, its pattern, parts walked). Raise _PathError."""
    node, pattern, walked = data, (), []
    for part in parts[:-1]:
        node, pattern = _step(node, pattern, part, walked)
        walked.append(part)
    return node, pattern, walked


def _step(node: Any, pattern: tuple, part: str, walked: list) -> tuple[Any, tuple]:
    if isinstance(node, dict) and part in node:
        return node[part], _sub_pattern(pattern, part)
    if isinstance(node, list) and pattern in KEYED:
        for it in node:
            if item_key(it, KEYED[pattern]) == part:
                return it, pattern + ("*",)
    elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node[int(part)], pattern + ("#",)
    guess = closest(part, _options(node, pattern))
    raise _PathError(part, ".".join(walked) or "(top)", ".".join([*walked, guess]) if guess else None)


def _remove(data: dict, path: str) -> None:
    parts = path.split(".")
    node, pattern, walked = _walk(data, parts)
    last = parts[-1]
    if isinstance(node, dict) and last in node:
        del node[last]
        return
    if isinstance(node, list) and pattern in KEYED:
        keep = [it for it in node if item_key(it, KEYED[pattern]) != last]
        if len(keep) < len(node):
            node[:] = keep
            return
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return
    guess = closest(last, _options(node, pattern))
    raise _PathError(last, ".".join(walked) or "(top)", ".".join([*walked, guess]) if guess else None)


def _target(data: dict, path: str) -> tuple[Any, tuple]:
    parts = path.split(".")
    node, pattern, walked = _walk(data, parts)
    return _step(node, pattern, parts[-1], walked)


# --------------------------------------------------------------------------- resolve
def _with_guess(text: str, guess: str | None, lang: str) -> str:
    return text + t("spec.did_you_mean", lang, guess=guess) if guess else text


def _apply_remove(data: dict, src: Source, lang: str, problems: list[SpecProblem]) -> None:
    paths = src.data.get("remove")
    if paths is None:
        return
    if not isinstance(paths, list) or not all(isinstance(p, str) and p.strip() for p in paths):
        problems.append(SpecProblem(src.file, src.line(("remove",)), "remove", t("spec.remove_type", lang)))
        return
    valid = []
    for i, path in enumerate(paths):  # every path is checked against the spec before any removal
        try:
            _target(data, path.strip())
            valid.append(path.strip())
        except _PathError as exc:
            msg = t("spec.path_unknown", lang, path=path, part=exc.part, parent=exc.parent)
            problems.append(SpecProblem(src.file, src.line(("remove", i)), f"remove[{i}]", _with_guess(msg, exc.guess, lang)))
    # plain-list indexes refer to the list as merged: delete the highest first
    valid.sort(key=lambda p: (p.rsplit(".", 1)[-1].isdigit(), -int(p.rsplit(".", 1)[-1]) if p.rsplit(".", 1)[-1].isdigit() else 0))
    for path in valid:
        try:
            _remove(data, path)
        except _PathError:
            pass  # inside something an earlier path already removed


def _apply_order(data: dict, src: Source, lang: str, problems: list[SpecProblem]) -> None:
    spec = src.data.get("order")
    if spec is None:
        return
    if not isinstance(spec, dict):
        problems.append(SpecProblem(src.file, src.line(("order",)), "order", t("spec.order_type", lang)))
        return
    for path, keys in spec.items():
        where = f"order.{path}"
        line = src.line(("order", path))
        if not isinstance(path, str) or not isinstance(keys, list) or not all(isinstance(k, (str, int)) for k in keys):
            problems.append(SpecProblem(src.file, line, where, t("spec.order_type", lang)))
            continue
        try:
            node, pattern = _target(data, path)
        except _PathError as exc:
            msg = t("spec.path_unknown", lang, path=path, part=exc.part, parent=exc.parent)
            problems.append(SpecProblem(src.file, line, where, _with_guess(msg, exc.guess, lang)))
            continue
        if not (isinstance(node, dict) or (isinstance(node, list) and pattern in KEYED)):
            problems.append(SpecProblem(src.file, line, where, t("spec.order_not_keyed", lang, path=path)))
            continue
        present = _options(node, pattern)
        wanted = [str(k) for k in keys]
        bad = False
        for j, k in enumerate(wanted):
            if k not in present:
                msg = t("spec.order_unknown_key", lang, key=k, path=path)
                problems.append(SpecProblem(src.file, src.line(("order", path, j)), where, _with_guess(msg, closest(k, present), lang)))
                bad = True
        if bad:
            continue
        rank = {k: i for i, k in enumerate(dict.fromkeys(wanted))}
        if isinstance(node, dict):
            items = sorted(node.items(), key=lambda kv: rank.get(str(kv[0]), len(rank)))
            node.clear()
            node.update(items)
        else:
            node[:] = sorted(node, key=lambda it: rank.get(item_key(it, KEYED[pattern]) or "", len(rank)))


def _find_base(ref: str, child: Source, chain_paths: set[Path], spec_dir: list[str] | None) -> tuple[Path | None, bool]:
    """(path, cycle): the base a spec names; files already in the chain are skipped (cycle if only those)."""
    from .loader import spec_dirs

    child_path = Path(child.file)
    child_dir = child_path.parent if child_path.parent.is_dir() else Path(".")
    if ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref:
        p = Path(ref) if Path(ref).is_absolute() else child_dir / ref
        if not p.is_file():
            return None, False
        return (None, True) if p.resolve() in chain_paths else (p, False)
    dirs = ([child_dir] if child_path.is_file() else []) + spec_dirs(spec_dir)
    seen_in_chain = False
    for d in dirs:
        for ext in (".yaml", ".yml"):
            candidate = d / f"{ref}{ext}"
            if candidate.is_file():
                if candidate.resolve() in chain_paths:
                    seen_in_chain = True
                    continue
                return candidate, False
    return None, seen_in_chain


def needs_resolving(data: dict) -> bool:
    return any(k in data for k in INHERIT_KEYS)


def resolve(data: dict, lines: dict[tuple, int], filename: str, parse: Parse, *, lang: str = "en",
            spec_dir: list[str] | None = None) -> Resolved:
    """Follow `extends`, merge from the root down, apply each file's `remove` and `order`.

    Raise SpecError listing every inheritance problem (bad base, cycle, bad paths) at once.
    """
    from .loader import available_specs

    child = Source(filename, data, lines)
    chain = [child]
    chain_paths = {Path(filename).resolve()} if Path(filename).is_file() else set()
    deps: list[Path] = []
    problems: list[SpecProblem] = []
    current = child
    while "extends" in current.data:
        ref = current.data["extends"]
        line = current.line(("extends",))
        if not isinstance(ref, str) or not ref.strip():
            problems.append(SpecProblem(current.file, line, "extends", t("spec.extends_type", lang)))
            break
        path, cycle = _find_base(ref.strip(), current, chain_paths, spec_dir)
        if cycle:
            names = " → ".join([*(Path(s.file).name for s in chain), ref])
            problems.append(SpecProblem(current.file, line, "extends", t("spec.extends_cycle", lang, chain=names)))
            break
        if path is None:
            problems.append(SpecProblem(current.file, line, "extends", t(
                "spec.extends_not_found", lang, name=ref, available=", ".join(available_specs(spec_dir)))))
            break
        base_data, base_lines = parse(path.read_text(encoding="utf-8"), str(path))
        current = Source(str(path), base_data, base_lines)
        chain.append(current)
        chain_paths.add(path.resolve())
        deps.append(path)
    if problems:
        raise SpecError(problems, path=filename)

    if len(chain) > 1:
        for key in ("template", "version"):
            if key not in child.data:
                problems.append(SpecProblem(child.file, child.line(()), key, t("spec.child_needs", lang, key=key)))

    merged: dict = {}
    for src in reversed(chain):
        body = {k: v for k, v in src.data.items() if k not in INHERIT_KEYS}
        merged = merge(merged, body)
        _apply_remove(merged, src, lang, problems)
        _apply_order(merged, src, lang, problems)
    if problems:
        raise SpecError(problems, path=filename)
    return Resolved(data=merged, chain=chain, deps=deps)
