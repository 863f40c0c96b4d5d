"""`campaign-sheets rollup`: many filled workbooks into one portfolio."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CampaignSheetsError
from ..i18n import cli_lang, t
from .common import (
    LANGS,
    READ_AS,
    SPEC_DIR,
    date_option,
    fail,
    limit_options,
    limits_from,
    overwrite_options,
)


@click.command("rollup")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="OUT", help="rollup.xlsx, or a folder for csv/json/parquet.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json", "parquet"]), default=None)
@click.option("--by", "by", multiple=True, type=click.Choice(["scenario", "lead", "channel", "month"]),
              help="Add a table grouped by this (repeatable).")
@click.option("--since", callback=date_option, default=None, metavar="YYYY-MM-DD", help="Only campaigns running on or after.")
@click.option("--until", callback=date_option, default=None, metavar="YYYY-MM-DD", help="Only campaigns running on or before.")
@click.option("--strict", is_flag=True, help="Leave out the data of files with errors (they are still listed).")
@click.option("--all-versions", is_flag=True,
              help="Keep every file of a campaign (by default several files naming one campaign code are one campaign: "
                   "the current one counts, the others are listed as superseded). / 保留同一活动的所有文件")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, help="Worker processes (default: CPUs).")
@click.option("--cache", type=click.Path(file_okay=False), default=None, help="Reuse summaries of unchanged files.")
@click.option("--dask", default=None, metavar="ADDRESS|local", help="Run on a Dask cluster (extra: dask).")
@click.option("--today", callback=date_option, default=None, metavar="YYYY-MM-DD", help="As-of date (default: today).")
@click.option("--lang", type=LANGS, default=None,
              help="Language of messages and of the rollup (default: the campaigns' majority language).")
@READ_AS
@SPEC_DIR
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="Also load every file into the portal's database (e.g. sqlite:///campaign-sheets.db). / 写入门户数据库")
@click.option("--store", default="campaign-sheets-store", show_default=True, type=click.Path(file_okay=False),
              help="With --db: the portal's file store, where the files are kept. / 门户文件目录")
@overwrite_options
@limit_options
def rollup_cmd(paths, output, fmt, by, since, until, strict, all_versions, jobs, cache, dask, today, lang, spec, spec_dir,
               quiet, db_url, store, force, discard_data, **limits) -> None:
    """Roll up many filled workbooks into a portfolio (files, folders, globs).

    \b
    汇总多个活动工作簿：每个活动一行，另有预算、KPI、风险、任务和问题汇总表。
    Exit 2 when a file was unreadable or not a campaign workbook, else 1 when a campaign's current
    file had errors, else 0.
    """
    import datetime as dt

    from ..outputs import check_overwrite, guard_inputs, output_kind, write_tables
    from ..portfolio.book import write_rollup_xlsx
    from ..portfolio.run import Options, collect, rollup
    from ..spec.loader import load_spec

    msg_lang = cli_lang(lang)
    out = Path(output)
    try:
        files = collect(paths, out)   # never the file being written
        guard_inputs(out, files)
        # its own earlier rollup is replaced; anything else only with --force (and --discard-data)
        check_overwrite(out, "rollup", force=force, discard_data=discard_data,
                        folder=output_kind(out, fmt) not in ("xlsx", "json"))
        if spec:
            load_spec(spec, spec_dir=list(spec_dir), lang=msg_lang)   # a bad --spec stops here, before any file
        # issue messages in --lang, else in each workbook's own language
        opts = Options(today=today or dt.date.today(), spec=spec, spec_dir=list(spec_dir) or None, lang=lang,
                       default_lang=msg_lang, cache=cache, limits=limits_from(limits))
        record = None
        if db_url:   # the same store as `serve`: summaries go in as they arrive (from the pool or Dask)
            from ..portal.service import Portal

            # the portal's uploaded templates too; recorded as the local portal's own files
            portal = Portal.open(db_url, store, [*spec_dir, str(Path(store) / "specs")])
            loaded = []

            def record(s) -> None:   # noqa: ANN001
                if Path(s.path).is_file():
                    portal.record_path(s.path, s, user="local")
                    loaded.append(s.path)
        merger = rollup(files, options=opts, jobs=jobs, dask=dask, strict=strict, since=since, until=until,
                        progress=not quiet and sys.stderr.isatty(), on_summary=record, all_versions=all_versions)
        if db_url:
            click.echo(t("portal.rollup_loaded", msg_lang, n=len(loaded)), err=True)
        book_lang = merger.language(lang)   # --lang, else the campaigns' majority language
        frames = merger.frames(by, lang=book_lang)
        counts = merger.counts()
        if (fmt in (None, "xlsx")) and out.suffix.lower() == ".xlsx":
            write_rollup_xlsx(frames, counts, out, lang=book_lang, today=opts.today, labels=merger.labels)
        else:
            write_tables(frames, out, fmt or "csv", inputs=files, extra={"counts": counts}, kind="rollup")
    except CampaignSheetsError as err:
        fail(err, msg_lang)
        return
    notes = sorted((problem.message(msg_lang, template), n) for (template, problem), n in merger.notes.items())
    for message, n in notes:
        click.echo(t("cli.rollup_note", msg_lang, message=message, files=n), err=True)
    for f in merger.files:
        if f["file"] in merger.superseded:
            click.echo(t("cli.rollup_superseded", msg_lang, message=merger.duplicate_message(f["file"], msg_lang)), err=True)
        elif f["status"] == "not_campaign":
            click.echo(t("cli.rollup_not_campaign", msg_lang, path=f["file"], message=f["message"]), err=True)
    from .check import counted

    click.echo(t("cli.rollup", msg_lang, out=out, **counted(counts, msg_lang, ("campaigns", "found", "not_campaign"))))
    # as validate and import: 2 for a file that cannot be read or is no campaign workbook, 1 for errors
    sys.exit(2 if counts["rejected"] or counts["not_campaign"] else 1 if counts["errors"] else 0)
