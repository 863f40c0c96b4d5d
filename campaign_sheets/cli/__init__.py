"""Command line: a thin layer over the library that turns its errors into messages and exit codes
(0 valid, 1 invalid data or spec, 2 unusable input or usage). One module per command group."""
from __future__ import annotations

import click

from .. import __version__
from .brief import brief_cmd
from .build import build
from .check import import_, validate
from .rollup import rollup_cmd
from .serve import serve
from .spec import spec


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaign-sheets")
def main() -> None:
    """Build, check and read marketing-campaign workbooks (zh-CN / en).

    \b
    营销活动工作簿：生成、校验、导入与汇总（中文 / 英文）。
    Start with:  campaign-sheets build            (writes campaign.xlsx)
                 campaign-sheets build --example --lang en -o example.xlsx
    """


main.add_command(build)
main.add_command(validate)
main.add_command(import_)
main.add_command(rollup_cmd)
main.add_command(spec)
main.add_command(brief_cmd)
main.add_command(serve)

__all__ = ["main"]
