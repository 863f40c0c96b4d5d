"""`campaign-sheets brief`: the daily brief of filled workbooks, as markdown, HTML or JSON."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CampaignSheetsError, OutputError, OutputExists
from ..i18n import cli_lang, t
from .common import LANGS, SPEC_DIR, date_option, overwrite_options, say_error


@click.command("brief")
@click.argument("files", nargs=-1, required=True)
@click.option("--date", "date", callback=date_option, default=None, metavar="YYYY-MM-DD",
              help="The day of the brief (default: each file's last day with KPI data). / 日报日期")
@click.option("--period", type=click.Choice(["day", "week"]), default="day", show_default=True,
              help="day, or week: the week's totals against the previous week. / 日报或周报")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True,
              help="md for group bots (≤ 4,096 bytes), html (one page, prints on A4), json (data). / 输出格式")
@click.option("--lang", type=LANGS, default=None, help="Language (default: each workbook's own). / 语言")
@click.option("-o", "--output", default=None, type=click.Path(),
              help="Output file (one workbook) or folder (one brief per workbook); default: standard output. / 输出")
@SPEC_DIR
@overwrite_options
def brief_cmd(files: tuple[str, ...], date, period: str, fmt: str, lang: str | None, output: str | None,
              spec_dir: tuple[str, ...], force: bool, discard_data: bool) -> None:
    """The daily brief for the 17:00 sync: pace, alerts, tasks, budget, risks. / 数据监控日报。"""
    from ..brief import brief_for, file_name, render
    from ..outputs import atomic_path, check_overwrite, guard_inputs

    msg_lang = cli_lang(lang)
    folder = output is not None and (len(files) > 1 or Path(output).is_dir() or output.endswith(("/", "\\")))
    if len(files) > 1 and (output is None or (Path(output).exists() and not Path(output).is_dir())):
        raise click.UsageError(t("brief.cli_many", msg_lang))
    status, written = 0, set()
    for path in files:
        try:
            brief = brief_for(path, date=date, period=period, lang=lang, spec_dir=list(spec_dir), default_lang=msg_lang)
            html_name = file_name(brief, "html")
            text = render(brief, fmt, html_name=html_name)
            if output is None:
                click.echo(text, nl=False)
                continue
            target = Path(output) / file_name(brief, fmt) if folder else Path(output)
            n = 1
            while folder and target in written:   # two inputs with one name (a/plan.xlsx, b/plan.xlsx)
                n += 1
                target = Path(output) / file_name(brief, fmt).replace(f".{fmt}", f"-{n}.{fmt}")
            written.add(target)
            guard_inputs(target, files)
            check_overwrite(target, "brief", force=force, discard_data=discard_data)   # an earlier brief: replaced
            try:
                with atomic_path(target) as tmp:
                    tmp.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise OutputError.of("output.cannot_write", path=target, target=target, reason=exc.strerror or str(exc)) from None
            click.echo(t("brief.cli_wrote", msg_lang, path=target), err=True)
        except CampaignSheetsError as err:
            if err.path is None and not isinstance(err, OutputExists):   # that one names its own file
                err.path = path
            say_error(err, msg_lang)
            status = max(status, err.exit_code)
    sys.exit(status)
