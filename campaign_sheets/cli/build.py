"""`campaign-sheets build`: a workbook from a spec."""
from __future__ import annotations

import click

from ..build import build_workbook
from ..errors import CampaignSheetsError
from ..i18n import cli_lang, t
from ..spec.loader import DEFAULT_SPEC
from .common import LANGS, SPEC_DIR, fail


@click.command()
@click.option("--spec", "spec", default=DEFAULT_SPEC, show_default=True, metavar="NAME|PATH",
              help="Shipped spec name or path to a YAML spec. / 规格名称或 YAML 路径")
@click.option("--lang", type=LANGS, default="zh-CN", show_default=True, help="Workbook language. / 工作簿语言")
@click.option("--example", is_flag=True, help="Pre-fill with the worked example. / 预填示例数据")
@SPEC_DIR
@click.option("-o", "--output", default=None, metavar="OUT.xlsx", help="Output file (default: <template>.xlsx).")
def build(spec: str, lang: str, example: bool, spec_dir: tuple[str, ...], output: str | None) -> None:
    """Build a campaign workbook from a spec. / 根据规格生成活动工作簿。"""
    msg_lang = cli_lang(lang)
    try:
        from ..spec.loader import load_spec

        loaded = load_spec(spec, spec_dir=list(spec_dir), lang=msg_lang)
        suffix = ("-example" if example else "") + ("" if lang == "zh-CN" else f"-{lang}")
        out = output or f"{loaded.spec.template}{suffix}.xlsx"
        path = build_workbook(loaded, out, lang=lang, example=example)
    except CampaignSheetsError as err:
        fail(err, msg_lang)
        return
    sheets = sum(1 for s in loaded.spec.sheets)
    click.echo(t("cli.built", msg_lang, path=path, sheets=sheets, lang=lang))
