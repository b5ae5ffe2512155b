"""``store import`` (rebuild a store from run folders) and ``store info`` (what a store holds)."""

from __future__ import annotations

from pathlib import Path

import click

from energy.cli._common import EXIT_INPUT, fail, guard, store_option, with_store
from energy.cli.display import counter
from energy.store import import_folders, load, redact


@click.group("store")
def store_group() -> None:
    """The results store: every run, the plan targets and the reported actuals."""


@store_group.command("import")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-reference", is_flag=True,
              help="Do not record targets.csv / actuals.csv / counties of --data.")
@store_option
@click.pass_context
@guard
def import_cmd(ctx: click.Context, folders: tuple[Path, ...], no_reference: bool,
               store: str | None) -> None:
    """Record run folders in the store (e.g. results/*), one transaction per run.

    Folders already recorded (same name and summary.json) are not added again; anything that
    is not a run folder is skipped. The files stay the source of truth.
    """
    paths = with_store(ctx, store)
    if paths.store is None:
        fail("store import needs a store (got 'none')", EXIT_INPUT)
    if not folders and paths.results.is_dir():
        folders = tuple(sorted(p for p in paths.results.iterdir() if p.is_dir()))
    bar = counter("store import", len(folders))
    try:
        report = import_folders(paths.store, folders,
                                None if no_reference else paths.network_data,
                                progress=(lambda _name: bar.advance(bar.task_ids[0]))
                                if bar else None)
    finally:
        if bar is not None:
            bar.stop()
    for name, reason in report.failed:
        click.echo(f"failed: {name}: {reason}", err=True)
    click.echo(f"store {redact(paths.store)}: {len(report.recorded)} run(s) recorded, "
               f"{len(report.present)} already there, {len(report.skipped)} not run folders, "
               f"{len(report.failed)} failed; plan/actuals "
               f"{'recorded' if report.reference else 'unchanged'}")
    if report.failed:
        raise SystemExit(EXIT_INPUT)


@store_group.command("info")
@store_option
@click.pass_context
@guard
def info_cmd(ctx: click.Context, store: str | None) -> None:
    """List the runs in the store (newest first) and the plan/actual indicators."""
    paths = with_store(ctx, store)
    if paths.store is None:
        fail("store info needs a store (got 'none')", EXIT_INPUT)
    data = load(paths.store)
    click.echo(f"store {redact(paths.store)}: {len(data.runs)} run version(s), "
               f"{data.plan.indicator_id.nunique()} plan indicator(s), "
               f"{len(data.actuals)} reported value(s)")
    for r in data.runs.head(20).itertuples(index=False):
        status = getattr(r, "status", "")
        click.echo(f"  {r.scenario:<28} v{r.version:<3} {status!s:<10} "
                   f"{getattr(r, 'kind', '')!s:<8} {str(r.created_at)[:19]}")
