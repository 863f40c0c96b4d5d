"""`campaign-sheets build`: a workbook from a spec."""
from __future__ import annotations

import click

from ..build import build_workbook
from ..errors import CampaignSheetsError
from ..i18n import cli_lang, t
from ..spec.loader import DEFAULT_SPEC
from .common import LANGS, SPEC_DIR, fail, overwrite_options


@click.command()
@click.option("--spec", "spec", default=DEFAULT_SPEC, show_default=True, metavar="NAME|PATH",
              help="Shipped spec name or path to a YAML spec. / 规格名称或 YAML 路径")
@click.option("--lang", type=LANGS, default="zh-CN", show_default=True, help="Workbook language. / 工作簿语言")
@click.option("--example", is_flag=True, help="Pre-fill with the worked example. / 预填示例数据")
@SPEC_DIR
@click.option("-o", "--output", default=None, metavar="OUT.xlsx", help="Output file (default: <template>.xlsx).")
@overwrite_options
def build(spec: str, lang: str, example: bool, spec_dir: tuple[str, ...], output: str | None, force: bool,
          discard_data: bool) -> None:
    """Build a campaign workbook from a spec. / 根据规格生成活动工作簿。

    \b
    An existing OUT is never replaced without --force, and a filled workbook not even then
    without --discard-data. / 已存在的文件不会被覆盖（需 --force；已填写的工作簿还需 --discard-data）。
    """
    msg_lang = cli_lang(lang)
    try:
        from ..spec.loader import load_spec

        loaded = load_spec(spec, spec_dir=list(spec_dir), lang=msg_lang)
        suffix = ("-example" if example else "") + ("" if lang == "zh-CN" else f"-{lang}")
        out = output or f"{loaded.spec.template}{suffix}.xlsx"
        from ..outputs import check_overwrite

        check_overwrite(out, force=force, discard_data=discard_data)   # a day of typing is never lost
        path = build_workbook(loaded, out, lang=lang, example=example)
    except CampaignSheetsError as err:
        fail(err, msg_lang)
        return
    sheets = sum(1 for s in loaded.spec.sheets)
    click.echo(t("cli.built", msg_lang, path=path, sheets=sheets, lang=lang))
