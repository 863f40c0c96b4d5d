"""`campaign-sheets validate` and `import`: check filled workbooks, and read them into tables."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CampaignSheetsError
from ..i18n import cli_lang, t
from .common import LANGS, READ_AS, SPEC_DIR, fail, limit_options, limits_from, overwrite_options, say_error


def _import_all(files: tuple[str, ...], lang: str | None, chrome: str, spec: str | None, spec_dir: tuple[str, ...],
                limits=None):
    """Import every file (a file that cannot be read gives a result that says so); never stops early.
    Messages in `lang` (--lang), else in each workbook's own language, else in `chrome` (the CLI's).
    A --spec that does not load is a usage error, reported once before any file is read."""
    from ..read.importer import import_workbook
    from ..spec.loader import load_spec

    try:
        loaded = load_spec(spec, spec_dir=list(spec_dir), lang=chrome) if spec else None
    except CampaignSheetsError as err:
        fail(err, chrome)
    return (import_workbook(path, spec=loaded, spec_dir=list(spec_dir), lang=lang, default_lang=chrome, limits=limits,
                            errors="report") for path in files)


def _entry(result) -> tuple[dict, int]:
    """A result's file entry of the JSON report, and its exit status (0 valid, 1 errors, 2 unreadable or
    not a campaign workbook)."""
    from ..report import file_entry

    entry = file_entry(result.report, result.meta, unreadable=result.unreadable is not None)
    return entry, 2 if result.unreadable or result.not_campaign else 0 if result.valid else 1


def counted(counts: dict, lang: str, nouns: tuple[str, ...] = ("error", "warning", "alert")) -> dict:
    """`counts` with each of `nouns` as its counted phrase ("1 error", "2 errors"; `cli.n.<noun>`)."""
    return {**counts, **{k: t(f"cli.n.{k.rstrip('s')}", lang, count=counts[k]) for k in nouns if k in counts}}


def _unreadable_line(result, lang: str) -> str:
    return t("cli.file_unreadable", lang, path=result.path, code=result.unreadable, message=result.report.issues[0].message)


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default=None, help="Language of messages. / 提示语言")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False), default=None,
              help="Write a highlighted copy of each file with issues into DIR. / 写出标注副本")
@READ_AS
@SPEC_DIR
@overwrite_options
@limit_options
def validate(files: tuple[str, ...], fmt: str, lang: str | None, annotate_dir: str | None, spec: str | None,
             spec_dir: tuple[str, ...], force: bool, discard_data: bool, **limits) -> None:
    """Check filled workbooks; exit 0 valid, 1 data errors, 2 unreadable. / 校验已填写的工作簿。"""
    import json

    from ..report import format_text, summary

    msg_lang = cli_lang(lang)
    entries, status = [], 0
    results = _import_all(files, lang, msg_lang, spec, spec_dir, limits_from(limits))
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
            # the header is the command's own line; each issue line reads in its message's language
            for line in format_text(result.report, t(key, msg_lang, path=path, **counted(result.report.counts(), msg_lang)),
                                    result.report.lang or msg_lang):
                click.echo(line)
        if annotate_dir and result.report.issues:
            from ..annotate import annotate

            try:
                out = annotate(path, result.report, annotate_dir, lang=result.report.lang or msg_lang, force=force,
                               discard_data=discard_data)
                if fmt == "text":
                    click.echo(t("cli.annotated", msg_lang, path=out))
            except CampaignSheetsError as exc:
                say_error(exc, msg_lang)
                status = 2
    if fmt == "json":
        click.echo(json.dumps({"files": entries, "summary": summary(entries)}, ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(t("cli.summary", msg_lang, **counted(summary(entries), msg_lang, ("files",))))
    sys.exit(status)


@click.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="OUT", help="OUT.xlsx, OUT.json, or a folder (csv / parquet).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json", "csv", "parquet"]), default=None,
              help="Default: from OUT's extension; a folder gets csv.")
@click.option("--lang", type=LANGS, default=None, help="Language of messages.")
@READ_AS
@SPEC_DIR
@overwrite_options
@limit_options
def import_(files: tuple[str, ...], output: str, fmt: str | None, lang: str | None, spec: str | None,
            spec_dir: tuple[str, ...], force: bool, discard_data: bool, **limits) -> None:
    """Import filled workbooks into tidy tables (one per table, every row tagged with campaign and file).

    \b
    导入已填写的工作簿，输出整洁的数据表（xlsx / json / csv / parquet）。
    """
    import pandas as pd

    from ..outputs import check_overwrite, guard_inputs, output_kind, write_tables
    from ..read.frames import campaign_frame
    from ..report import summary

    msg_lang = cli_lang(lang)
    try:
        guard_inputs(Path(output), files)
        folder = output_kind(output, fmt) not in ("xlsx", "json")
        check_overwrite(output, "import", force=force, discard_data=discard_data, folder=folder)
    except CampaignSheetsError as err:
        fail(err, msg_lang)
    collected: dict[str, list] = {}
    campaigns: list[dict] = []
    entries, status = [], 0
    results = _import_all(files, lang, msg_lang, spec, spec_dir, limits_from(limits))
    for result in results:
        entry, file_status = _entry(result)
        entries.append(entry)
        status = max(status, file_status)
        campaigns.append(result.campaign or {"source_file": result.path})
        if result.unreadable:
            click.echo(_unreadable_line(result, msg_lang), err=True)
            continue
        for key, frame in result.tables.items():
            collected.setdefault(key, []).append(frame)
    frames = {"campaign" if "campaign" not in collected else "_campaign": campaign_frame(campaigns)}
    frames.update({k: pd.concat(v, ignore_index=True) if len(v) > 1 else v[0] for k, v in collected.items()})
    issues = [dict(i, file=e["path"]) for e in entries for i in e["issues"]]
    frames["_issues"] = pd.DataFrame(issues, columns=["file", "severity", "code", "sheet", "cell", "row", "column",
                                                      "value", "expected", "message", "hint"]).astype("object")
    try:
        write_tables(frames, output, fmt, inputs=files, extra={"summary": summary(entries)}, kind="import")
    except CampaignSheetsError as err:
        fail(err, msg_lang)
    rows = sum(len(f) for k, f in frames.items() if k not in ("_issues", "campaign", "_campaign"))
    click.echo(t("cli.imported", msg_lang, files=len(files), rows=rows, out=output))
    click.echo(t("cli.summary", msg_lang, **counted(summary(entries), msg_lang, ("files",))))
    sys.exit(status)
