"""Command line: a thin layer that turns library errors into messages and exit codes."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .api import DEFAULT_SPEC, build_workbook
from .errors import CampaignSheetsError, SpecError
from .i18n import cli_lang, t

LANGS = click.Choice(["zh-CN", "en"])


def _fail(err: CampaignSheetsError, lang: str) -> None:
    if isinstance(err, SpecError):
        click.echo(t("cli.spec_errors", lang, n=len(err.problems)), err=True)
        for p in err.problems:
            click.echo(f"  {p}", err=True)
    else:
        click.echo(f"campaign-sheets: {err}", err=True)
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


@main.group()
def spec() -> None:
    """Inspect and check template specs. / 查看与检查模板规格。"""


@spec.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--lang", type=LANGS, default=None, help="Message language.")
def spec_check(paths: tuple[str, ...], lang: str | None) -> None:
    """Check spec files; list every problem with file:line and path. / 检查规格文件。"""
    from .spec.loader import load_spec

    msg_lang = cli_lang(lang)
    status = 0
    for p in paths:
        try:
            loaded = load_spec(p, lang=msg_lang)
            click.echo(t("cli.spec_ok", msg_lang, path=p, template=loaded.spec.template, version=loaded.spec.version))
        except SpecError as err:
            click.echo(t("cli.spec_errors", msg_lang, n=len(err.problems)), err=True)
            for prob in err.problems:
                click.echo(f"  {prob}", err=True)
            status = max(status, 1)
        except CampaignSheetsError as err:
            click.echo(f"campaign-sheets: {err}", err=True)
            status = 2
    sys.exit(status)


@spec.command("list")
def spec_list() -> None:
    """List shipped and local specs. / 列出可用规格。"""
    from .spec.loader import available_specs, load_spec

    for name in available_specs():
        try:
            s = load_spec(name).spec
            click.echo(f"{name:24} v{s.version:<4} {s.title if isinstance(s.title, str) else s.title.get('en', '')}")
        except CampaignSheetsError:
            click.echo(f"{name:24} (invalid: run `campaign-sheets spec check {name}`)")


if __name__ == "__main__":  # pragma: no cover
    main()
