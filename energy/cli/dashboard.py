"""``dashboard``: serve the monitoring dashboard of a results store."""

from __future__ import annotations

import click

from energy.cli._common import EXIT_INPUT, fail, guard, store_option, with_store
from energy.store import open_store, redact


@click.command("dashboard")
@store_option
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535),
              help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to serve on (0.0.0.0 to share on the network).")
@click.pass_context
@guard
def dashboard_cmd(ctx: click.Context, store: str | None, port: int, host: str) -> None:
    """Serve the dashboard (monitoring, scenarios, grid, runs) of the results store."""
    from energy.dashboard import serve

    paths = with_store(ctx, store)
    if paths.store is None:
        fail("the dashboard needs a store (got 'none')", EXIT_INPUT)
    url = open_store(paths.store, create=False)
    click.echo(f"dashboard of {redact(url)} at http://{host}:{port}/ (Ctrl-C to stop)",
               err=True)
    serve(url, host=host, port=port)
