"""What every command shares: languages, error output and exit codes, the safe-reading limits."""
from __future__ import annotations

import sys

import click

from ..errors import CampaignSheetsError, SpecError
from ..i18n import cli_lang, t

LANGS = click.Choice(["zh-CN", "en"])
SPEC_DIR = click.option("--spec-dir", multiple=True, type=click.Path(file_okay=False),
                        help="Extra folder of specs (also $CAMPAIGN_SHEETS_SPEC_PATH). / 额外的规格目录")
READ_AS = click.option("--spec", default=None, metavar="NAME|PATH",
                       help="Read as this spec (default: the one the workbook names). / 按此规格读取")
MSG_LANG = click.option("--lang", type=LANGS, default=None, help="Message language. / 提示语言")


FORCE = click.option("--force", is_flag=True,
                     help="Replace an existing output that is not this command's own earlier output. / 替换已存在的输出")
DISCARD_DATA = click.option("--discard-data", is_flag=True,
                            help="With --force: replace even a filled campaign workbook (its data is lost). / 连同已填写的数据一并替换")


def overwrite_options(fn):
    """--force and --discard-data: the never-overwrite rule's way out (outputs.check_overwrite)."""
    return FORCE(DISCARD_DATA(fn))


def say_error(err: CampaignSheetsError, lang: str) -> None:
    """An error on stderr: a spec's every problem with file:line, anything else in one line."""
    if isinstance(err, SpecError):
        click.echo(t("cli.spec_errors", lang, n=len(err.problems)), err=True)
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
    else:
        where = f"{err.path}: " if err.path else ""
        click.echo(f"campaign-sheets: {where}{err.text(lang)}", err=True)


def fail(err: CampaignSheetsError, lang: str) -> None:
    say_error(err, lang)
    sys.exit(err.exit_code)


def limit_options(fn):
    """--max-* options shared by validate, import and rollup (the safe-reading limits)."""
    from ..read.guard import Limits

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


def limits_from(kw: dict):
    from ..read.guard import Limits

    return Limits(
        max_file_bytes=int(kw.pop("max_file_mb") * 2**20),
        max_uncompressed_bytes=int(kw.pop("max_uncompressed_mb") * 2**20),
        max_entries=kw.pop("max_entries"), max_ratio=kw.pop("max_ratio"),
        max_cell_chars=kw.pop("max_cell_chars"), max_cells=kw.pop("max_cells"),
    )


def date_option(ctx: click.Context, param: click.Parameter, value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(t("option.date", cli_lang(None), value=value)) from None
