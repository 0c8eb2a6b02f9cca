"""`planflow serve`: the web pages heads open from their reminders."""

from __future__ import annotations

from typing import Annotated

import typer

from planflow.cli import app
from planflow.cli.state import state


def _tr(vi: str, en: str) -> str:
    from planflow.i18n import tr

    return tr(vi, en)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8040,
) -> None:
    """Serve the pages behind the links in reminders, and the progress dashboard.

    Put a reverse proxy (nginx, Caddy) with HTTPS in front to reach it from phones, and set
    PLANFLOW_BASE_URL to the address people open.

    Example: planflow serve --port 8040
    """
    from planflow.db import require_schema
    from planflow.errors import UsageError

    if not 0 < port < 65536:
        raise UsageError(
            f"--port {port}: cần số từ 1 đến 65535", f"--port {port}: needs 1 to 65535"
        )
    require_schema(state.url)
    import uvicorn

    from planflow.web.app import create_app

    web = create_app(state.settings)
    typer.echo(
        _tr(
            f"planflow đang phục vụ tại http://{host}:{port} (liên kết trong thư: "
            f"{state.settings.base_url}); Ctrl+C để dừng.",
            f"planflow is serving on http://{host}:{port} (links in mail: "
            f"{state.settings.base_url}); Ctrl+C to stop.",
        )
    )
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
