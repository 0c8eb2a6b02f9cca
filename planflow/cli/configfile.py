"""`planflow config init`: a commented config file to start from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planflow.cli import app

config_app = typer.Typer(help="The config file: init.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("init")
def config_init(
    path: Annotated[
        Path | None,
        typer.Option(
            "--path",
            help="Where to write it (default: PLANFLOW_CONFIG or ~/.config/planflow/config.toml).",
        ),  # fmt: skip
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a config file with every setting, its default and its environment variable,
    all commented out: it changes nothing until a line is uncommented.

    Example: planflow config init
    """
    from planflow.config import config_path, write_config_template
    from planflow.i18n import lang, tr

    written = write_config_template(path or config_path(), lang(), force)
    typer.echo(tr(f"Đã ghi tệp cấu hình {written}.", f"Wrote the config file {written}."))
