"""`campaign-sheets spec ...`: inspect, check and customise template specs."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CampaignSheetsError, SpecError
from ..i18n import cli_lang, t
from .common import MSG_LANG, SPEC_DIR, fail, overwrite_options, say_error


@click.group()
def spec() -> None:
    """Inspect, check and customise template specs. / 查看、检查与定制模板规格。

    \b
    A spec may `extends: campaign` and change only what differs (docs/spec.md).
    规格可以用 extends 继承其他规格，只写不同之处（见 docs/spec.md）。
    """


@spec.command("check")
@click.argument("paths", nargs=-1, required=True)
@MSG_LANG
@SPEC_DIR
def spec_check(paths: tuple[str, ...], lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """Check spec files; list every problem with file:line and path. / 检查规格文件。"""
    from ..spec.kpis import aggregate_of, undeclared
    from ..spec.loader import load_spec

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
            for kpi in undeclared(loaded.spec):     # the stated default applies
                default = aggregate_of(loaded.spec.kpi(kpi)).value
                click.echo("  " + t("cli.spec_warning", msg_lang, message=t("spec.kpi_undeclared", msg_lang, kpi=kpi, default=default)))
        except SpecError as err:
            say_error(err, msg_lang)
            status = max(status, 1)
        except CampaignSheetsError as err:
            say_error(err, msg_lang)
            status = 2
    sys.exit(status)


@spec.command("list")
@MSG_LANG
@SPEC_DIR
def spec_list(lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """List shipped and local specs with version and description. / 列出可用规格。"""
    from ..spec.loader import available_specs, load_spec
    from ..spec.model import text_for

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
@MSG_LANG
@SPEC_DIR
def spec_show(name: str, lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """Print the fully resolved spec (after extends/remove/order) as YAML. / 输出合并后的完整规格。"""
    from ..spec.loader import load_spec
    from ..spec.schema import spec_yaml

    msg_lang = cli_lang(lang)
    try:
        loaded = load_spec(name, spec_dir=list(spec_dir), lang=msg_lang)
    except CampaignSheetsError as err:
        fail(err, msg_lang)
        return
    click.echo(t("cli.spec_show_header", msg_lang, sources=" ← ".join(loaded.sources or [loaded.path])))
    click.echo(spec_yaml(loaded.spec), nl=False)


@spec.command("new")
@click.argument("name")
@click.option("--from", "base", default="campaign", show_default=True, metavar="NAME|PATH",
              help="The spec to extend. / 要继承的规格")
@click.option("-o", "--output", default=None, metavar="PATH", help="Output file (default: NAME.yaml). / 输出文件")
@MSG_LANG
@SPEC_DIR
def spec_new(name: str, base: str, output: str | None, lang: str | None, spec_dir: tuple[str, ...]) -> None:
    """Write a commented starter spec that extends another. / 生成继承某规格的带注释起步文件。"""
    import os
    import re

    from ..spec.loader import find_spec, load_spec
    from ..spec.scaffold import starter_spec

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
        fail(err, msg_lang)
        return
    click.echo(t("cli.spec_written", msg_lang, path=out, base=ref))


@spec.command("schema")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout. / 写入文件")
@MSG_LANG
@overwrite_options
def spec_schema(output: str | None, lang: str | None, force: bool, discard_data: bool) -> None:
    """Print a JSON Schema of the spec format for editor autocompletion. / 输出规格的 JSON Schema。"""
    import json

    from ..spec.schema import spec_json_schema

    text = json.dumps(spec_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    from ..outputs import atomic_path, check_overwrite

    try:
        check_overwrite(output, "schema", force=force, discard_data=discard_data)   # an earlier schema: replaced
    except CampaignSheetsError as err:
        fail(err, cli_lang(lang))
    with atomic_path(Path(output), ".json") as tmp:
        tmp.write_text(text, encoding="utf-8")
    click.echo(t("cli.schema_written", cli_lang(lang), path=output))
