"""Command line: a thin layer that turns library errors into messages and exit codes."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .build import build_workbook
from .spec.loader import DEFAULT_SPEC
from .errors import CampaignSheetsError, SpecError
from .i18n import cli_lang, t

LANGS = click.Choice(["zh-CN", "en"])


def _say_error(err: CampaignSheetsError, lang: str) -> None:
    """An error on stderr: a spec's every problem with file:line, anything else in one line."""
    if isinstance(err, SpecError):
        click.echo(t("cli.spec_errors", lang, n=len(err.problems)), err=True)
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
    else:
        click.echo(f"campaign-sheets: {err}", err=True)


def _fail(err: CampaignSheetsError, lang: str) -> None:
    _say_error(err, lang)
    sys.exit(err.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaign-sheets")
def main() -> None:
    """Build, check and read marketing-campaign workbooks (zh-CN / en).

    \b
    营销活动工作簿：生成、校验、导入与汇总（中文 / 英文）。
    Start with:  campaign-sheets build            (writes campaign.xlsx)
                 campaign-sheets build --example --lang en -o example.xlsx
    """


@main.command()
@click.option("--spec", "spec", default=DEFAULT_SPEC, show_default=True, metavar="NAME|PATH",
              help="Shipped spec name or path to a YAML spec. / 规格名称或 YAML 路径")
@click.option("--lang", type=LANGS, default="zh-CN", show_default=True, help="Workbook language. / 工作簿语言")
@click.option("--example", is_flag=True, help="Pre-fill with the worked example. / 预填示例数据")
@click.option("--spec-dir", multiple=True, type=click.Path(file_okay=False), help="Extra folder of specs.")
@click.option("-o", "--output", default=None, metavar="OUT.xlsx", help="Output file (default: <template>.xlsx).")
def build(spec: str, lang: str, example: bool, spec_dir: tuple[str, ...], output: str | None) -> None:
    """Build a campaign workbook from a spec. / 根据规格生成活动工作簿。"""
    msg_lang = cli_lang(lang)
    try:
        from .spec.loader import load_spec

        loaded = load_spec(spec, spec_dir=list(spec_dir), lang=msg_lang)
        suffix = ("-example" if example else "") + ("" if lang == "zh-CN" else f"-{lang}")
        out = output or f"{loaded.spec.template}{suffix}.xlsx"
        path = build_workbook(loaded, out, lang=lang, example=example)
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
        return
    sheets = sum(1 for s in loaded.spec.sheets)
    click.echo(t("cli.built", msg_lang, path=path, sheets=sheets, lang=lang))


def limit_options(fn):
    """--max-* options shared by validate, import and rollup (the safe-reading limits)."""
    from .read.guard import Limits

    d = Limits()
    options = [
        click.option("--max-file-mb", type=click.FloatRange(0.001), default=d.max_file_bytes / 2**20, show_default=True,
                     help="Largest input file accepted."),
        click.option("--max-uncompressed-mb", type=click.FloatRange(0.001), default=d.max_uncompressed_bytes / 2**20,
                     show_default=True, help="Largest total size of a workbook's unpacked parts."),
        click.option("--max-entries", type=click.IntRange(1), default=d.max_entries, show_default=True,
                     help="Most parts (zip entries) in one workbook."),
        click.option("--max-ratio", type=click.FloatRange(1), default=d.max_ratio, show_default=True,
                     help="Highest compression ratio of a part over 1 MiB (zip-bomb guard)."),
        click.option("--max-cell-chars", type=click.IntRange(1), default=d.max_cell_chars, show_default=True,
                     help="Longest text in one cell."),
        click.option("--max-cells", type=click.IntRange(1), default=d.max_cells, show_default=True,
                     help="Most cells (bounding boxes of the sheets) in one workbook."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _limits(kw: dict):
    from .read.guard import Limits

    return Limits(
        max_file_bytes=int(kw.pop("max_file_mb") * 2**20),
        max_uncompressed_bytes=int(kw.pop("max_uncompressed_mb") * 2**20),
        max_entries=kw.pop("max_entries"), max_ratio=kw.pop("max_ratio"),
        max_cell_chars=kw.pop("max_cell_chars"), max_cells=kw.pop("max_cells"),
    )


def _import_all(files: tuple[str, ...], lang: str, spec: str | None, spec_dir: tuple[str, ...], limits=None):
    """Import every file (a file that cannot be read gives a result that says so); never stops early.
    A --spec that does not load is a usage error, reported once before any file is read."""
    from .read.importer import import_workbook
    from .spec.loader import load_spec

    loaded = load_spec(spec, spec_dir=list(spec_dir), lang=lang) if spec else None
    return (import_workbook(path, spec=loaded, spec_dir=list(spec_dir), lang=lang, limits=limits, errors="report")
            for path in files)


def _entry(result) -> tuple[dict, int]:
    """A result's file entry of the JSON report, and its exit status (0 valid, 1 errors, 2 unreadable)."""
    from .report import file_entry

    entry = file_entry(result.report, result.meta, unreadable=result.unreadable is not None)
    return entry, 2 if result.unreadable else 0 if result.valid else 1


def _unreadable_line(result, lang: str) -> str:
    return t("cli.file_unreadable", lang, path=result.path, code=result.unreadable, message=result.report.issues[0].message)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default=None, help="Language of messages. / 提示语言")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False), default=None,
              help="Write a highlighted copy of each file with issues into DIR. / 写出标注副本")
@click.option("--spec", default=None, metavar="NAME|PATH", help="Read as this spec (default: from _meta).")
@click.option("--spec-dir", multiple=True, type=click.Path(file_okay=False), help="Extra folder of specs.")
@limit_options
def validate(files: tuple[str, ...], fmt: str, lang: str | None, annotate_dir: str | None, spec: str | None,
             spec_dir: tuple[str, ...], **limits) -> None:
    """Check filled workbooks; exit 0 valid, 1 data errors, 2 unreadable. / 校验已填写的工作簿。"""
    import json

    from .report import format_text, summary

    msg_lang = cli_lang(lang)
    entries, status = [], 0
    try:
        results = _import_all(files, msg_lang, spec, spec_dir, _limits(limits))
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
    for result in results:
        path = result.path
        entry, file_status = _entry(result)
        entries.append(entry)
        status = max(status, file_status)
        if result.unreadable:
            if fmt == "text":
                click.echo(_unreadable_line(result, msg_lang))
            continue
        if fmt == "text":
            key = "cli.file_ok" if result.valid else "cli.file_bad"
            for line in format_text(result.report, t(key, msg_lang, path=path, **result.report.counts())):
                click.echo(line)
        if annotate_dir and result.report.issues:
            from .read.annotate import annotate

            try:
                out = annotate(path, result.report, annotate_dir, lang=msg_lang)
                if fmt == "text":
                    click.echo(t("cli.annotated", msg_lang, path=out))
            except CampaignSheetsError as exc:
                click.echo(f"campaign-sheets: {exc}", err=True)
                status = 2
    if fmt == "json":
        click.echo(json.dumps({"files": entries, "summary": summary(entries)}, ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(t("cli.summary", msg_lang, **summary(entries)))
    sys.exit(status)


@main.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="OUT", help="OUT.xlsx, OUT.json, or a folder (csv / parquet).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json", "csv", "parquet"]), default=None,
              help="Default: from OUT's extension; a folder gets csv.")
@click.option("--lang", type=LANGS, default=None, help="Language of messages.")
@click.option("--spec", default=None, metavar="NAME|PATH", help="Read as this spec (default: from _meta).")
@click.option("--spec-dir", multiple=True, type=click.Path(file_okay=False), help="Extra folder of specs.")
@limit_options
def import_(files: tuple[str, ...], output: str, fmt: str | None, lang: str | None, spec: str | None,
            spec_dir: tuple[str, ...], **limits) -> None:
    """Import filled workbooks into tidy tables (one per table, every row tagged with campaign and file).

    \b
    导入已填写的工作簿，输出整洁的数据表（xlsx / json / csv / parquet）。
    """
    import pandas as pd

    from .outputs import guard_inputs, output_kind, write_tables
    from .report import summary

    msg_lang = cli_lang(lang)
    try:
        guard_inputs(Path(output), files)
        output_kind(output, fmt)
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
    collected: dict[str, list] = {}
    entries, status = [], 0
    try:
        results = _import_all(files, msg_lang, spec, spec_dir, _limits(limits))
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
    for result in results:
        entry, file_status = _entry(result)
        entries.append(entry)
        status = max(status, file_status)
        if result.unreadable:
            click.echo(_unreadable_line(result, msg_lang), err=True)
            continue
        for key, frame in result.tables.items():
            collected.setdefault(key, []).append(frame)
    frames = {k: pd.concat(v, ignore_index=True) if len(v) > 1 else v[0] for k, v in collected.items()}
    issues = [dict(i, file=e["path"]) for e in entries for i in e["issues"]]
    frames["_issues"] = pd.DataFrame(issues, columns=["file", "severity", "code", "sheet", "cell", "row", "column",
                                                      "value", "expected", "message", "hint"]).astype("object")
    try:
        write_tables(frames, output, fmt, inputs=files, extra={"summary": summary(entries)})
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
    rows = sum(len(f) for k, f in frames.items() if k != "_issues")
    click.echo(t("cli.imported", msg_lang, files=len(files), rows=rows, out=output))
    click.echo(t("cli.summary", msg_lang, **summary(entries)))
    sys.exit(status)


def _date(ctx: click.Context, param: click.Parameter, value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-06-01") from None


@main.command("rollup")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="OUT", help="rollup.xlsx, or a folder for csv/json/parquet.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json", "parquet"]), default=None)
@click.option("--by", "by", multiple=True, type=click.Choice(["scenario", "lead", "channel", "month"]),
              help="Add a table grouped by this (repeatable).")
@click.option("--since", callback=_date, default=None, metavar="YYYY-MM-DD", help="Only campaigns running on or after.")
@click.option("--until", callback=_date, default=None, metavar="YYYY-MM-DD", help="Only campaigns running on or before.")
@click.option("--strict", is_flag=True, help="Leave out the data of files with errors (they are still listed).")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, help="Worker processes (default: CPUs).")
@click.option("--cache", type=click.Path(file_okay=False), default=None, help="Reuse summaries of unchanged files.")
@click.option("--dask", default=None, metavar="ADDRESS|local", help="Run on a Dask cluster (extra: dask).")
@click.option("--today", callback=_date, default=None, metavar="YYYY-MM-DD", help="As-of date (default: today).")
@click.option("--lang", type=LANGS, default=None, help="Language of messages and labels.")
@click.option("--spec", default=None, metavar="NAME|PATH", help="Read every file as this spec (default: from _meta).")
@click.option("--spec-dir", multiple=True, type=click.Path(file_okay=False), help="Extra folder of specs.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@limit_options
def rollup_cmd(paths, output, fmt, by, since, until, strict, jobs, cache, dask, today, lang, spec, spec_dir, quiet,
               **limits) -> None:
    """Roll up many filled workbooks into a portfolio (files, folders, globs).

    \b
    汇总多个活动工作簿：每个活动一行，另有预算、KPI、风险、任务和问题汇总表。
    Exit 1 when any file had errors or was unreadable, else 0.
    """
    import datetime as dt

    from .outputs import guard_inputs, output_kind, write_tables
    from .portfolio.book import write_rollup_xlsx
    from .portfolio.run import Options, collect, rollup
    from .spec.loader import load_spec

    msg_lang = cli_lang(lang)
    out = Path(output)
    try:
        files = collect(paths)
        guard_inputs(out, files)
        output_kind(out, fmt)
        if spec:
            load_spec(spec, spec_dir=list(spec_dir), lang=msg_lang)   # a bad --spec stops here, before any file
        opts = Options(today=today or dt.date.today(), spec=spec, spec_dir=list(spec_dir) or None, lang=msg_lang,
                       cache=cache, limits=_limits(limits))
        merger = rollup(files, options=opts, jobs=jobs, dask=dask, strict=strict, since=since, until=until,
                        progress=not quiet and sys.stderr.isatty())
        frames = merger.frames(by)
        counts = merger.counts()
        if (fmt in (None, "xlsx")) and out.suffix.lower() == ".xlsx":
            write_rollup_xlsx(frames, counts, out, lang=msg_lang, today=opts.today)
        else:
            write_tables(frames, out, fmt or "csv", inputs=files, extra={"counts": counts})
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
        return
    for (_template, message), n in sorted(merger.notes.items()):
        click.echo(t("cli.rollup_note", msg_lang, message=message, files=n), err=True)
    click.echo(t("cli.rollup", msg_lang, out=out, **counts))
    sys.exit(1 if counts["errors"] or counts["rejected"] else 0)


@main.group()
def spec() -> None:
    """Inspect, check and customise template specs. / 查看、检查与定制模板规格。

    \b
    A spec may `extends: campaign` and change only what differs (docs/spec.md).
    规格可以用 extends 继承其他规格，只写不同之处（见 docs/spec.md）。
    """


_SPEC_DIR = click.option("--spec-dir", multiple=True, type=click.Path(file_okay=False),
                         help="Extra folder of specs (also $CAMPAIGN_SHEETS_SPEC_PATH). / 额外的规格目录")
_MSG_LANG = click.option("--lang", type=LANGS, default=None, help="Message language. / 提示语言")


@spec.command("check")
@click.argument("paths", nargs=-1, required=True)
@_MSG_LANG
@_SPEC_DIR
def spec_check(paths: tuple[str, ...], lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """Check spec files; list every problem with file:line and path. / 检查规格文件。"""
    from .spec.loader import load_spec

    msg_lang = cli_lang(lang)
    status = 0
    for p in paths:
        try:
            loaded = load_spec(p, spec_dir=list(spec_dir), lang=msg_lang)
            line = t("cli.spec_ok", msg_lang, path=p, template=loaded.spec.template, version=loaded.spec.version)
            if len(loaded.sources) > 1:
                line += f" ({t('cli.spec_extends', msg_lang, base=' → '.join(loaded.sources[1:]))})"
            click.echo(line)
            for problem in loaded.index.role_problems:   # the spec works; the rollup will leave these out
                click.echo("  " + t("cli.spec_warning", msg_lang, message=problem.message(msg_lang, loaded.spec.template)))
        except SpecError as err:
            _say_error(err, msg_lang)
            status = max(status, 1)
        except CampaignSheetsError as err:
            click.echo(f"campaign-sheets: {err}", err=True)
            status = 2
    sys.exit(status)


@spec.command("list")
@_MSG_LANG
@_SPEC_DIR
def spec_list(lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """List shipped and local specs with version and description. / 列出可用规格。"""
    from .spec.loader import available_specs, load_spec
    from .spec.model import text_for

    msg_lang = cli_lang(lang)
    names = available_specs(list(spec_dir))
    if not names:
        click.echo(t("cli.spec_none", msg_lang))
    for name in names:
        try:
            s = load_spec(name, spec_dir=list(spec_dir), lang=msg_lang).spec
        except CampaignSheetsError:
            click.echo(f"{name:24} {t('cli.spec_invalid', msg_lang, name=name)}")
            continue
        about = text_for(s.description, msg_lang) or text_for(s.title, msg_lang)
        click.echo(f"{name:24} v{s.version:<4} {about}")


@spec.command("show")
@click.argument("name")
@_MSG_LANG
@_SPEC_DIR
def spec_show(name: str, lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """Print the fully resolved spec (after extends/remove/order) as YAML. / 输出合并后的完整规格。"""
    from .spec.loader import load_spec
    from .spec.schema import spec_yaml

    msg_lang = cli_lang(lang)
    try:
        loaded = load_spec(name, spec_dir=list(spec_dir), lang=msg_lang)
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
        return
    click.echo(t("cli.spec_show_header", msg_lang, sources=" ← ".join(loaded.sources or [loaded.path])))
    click.echo(spec_yaml(loaded.spec), nl=False)


@spec.command("new")
@click.argument("name")
@click.option("--from", "base", default="campaign", show_default=True, metavar="NAME|PATH",
              help="The spec to extend. / 要继承的规格")
@click.option("-o", "--output", default=None, metavar="PATH", help="Output file (default: NAME.yaml). / 输出文件")
@_MSG_LANG
@_SPEC_DIR
def spec_new(name: str, base: str, output: str | None, lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """Write a commented starter spec that extends another. / 生成继承某规格的带注释起步文件。"""
    import os
    import re

    from .spec.scaffold import starter_spec
    from .spec.loader import find_spec, load_spec

    msg_lang = cli_lang(lang)
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        click.echo(f"campaign-sheets: {t('cli.spec_bad_name', msg_lang, name=name)}", err=True)
        sys.exit(2)
    out = Path(output or f"{name}.yaml")
    if out.exists():
        click.echo(f"campaign-sheets: {t('cli.spec_exists', msg_lang, path=out)}", err=True)
        sys.exit(2)
    try:
        loaded = load_spec(base, spec_dir=list(spec_dir), lang=msg_lang)
        is_path = base.endswith((".yaml", ".yml")) or "/" in base or os.sep in base
        ref = Path(os.path.relpath(find_spec(base, list(spec_dir)).resolve(), out.resolve().parent)).as_posix() if is_path else base
        text = starter_spec(name, ref, loaded.spec, msg_lang, filename=str(out))
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
            fh.write(text)
    except FileExistsError:
        click.echo(f"campaign-sheets: {t('cli.spec_exists', msg_lang, path=out)}", err=True)
        sys.exit(2)
    except CampaignSheetsError as err:
        _fail(err, msg_lang)
        return
    click.echo(t("cli.spec_written", msg_lang, path=out, base=ref))


@spec.command("schema")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout. / 写入文件")
@_MSG_LANG
def spec_schema(output: str | None, lang: str | None) -> None:
    """Print a JSON Schema of the spec format for editor autocompletion. / 输出规格的 JSON Schema。"""
    import json

    from .spec.schema import spec_json_schema

    text = json.dumps(spec_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    click.echo(t("cli.schema_written", cli_lang(lang), path=output))


if __name__ == "__main__":  # pragma: no cover
    main()
