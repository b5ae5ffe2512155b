"""Planner workflow commands: ``sweep``, ``compare`` and ``report`` (added to the main CLI).

Exit codes as in :mod:`energy.cli`: 0 ok; 1 bad configuration or a missing, incomplete or
damaged run folder; 2 usage; 3 a sweep with at least one failed run; 130 interrupted.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from energy.atomic import write_text
from energy.cli._common import (
    EXIT_INPUT,
    EXIT_SOLVE,
    fail,
    guard,
    paths_of,
    store_option,
    with_store,
)
from energy.cli.display import counter, solver_output_to_stderr
from energy.inputs import read_table
from energy.report import write_report
from energy.report.compare import compare_runs, find_run, format_table
from energy.report.uncertainty import is_uncertainty_folder
from energy.sweep import expand, load_sweep, parse_grid, run_sweep


@click.command("sweep")
@click.option("--sweep", "sweep_name", default=None,
              help="Named sweep in sweeps.yaml (next to scenarios.yaml).")
@click.option("-s", "--scenario", "bases", multiple=True,
              help="Named scenario (repeatable; default base, or the sweep's list).")
@click.option("--grid", multiple=True, metavar="KEY=V1,V2",
              help="Grid dimension, e.g. --grid co2.cap_mt=10,20 (repeatable: Cartesian product).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override applied to every run (repeatable).")
@click.option("-r", "--resolution", default=None, help="Time resolution of every run.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes of the local Dask cluster (1 thread each).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Use an existing Dask scheduler instead of a local cluster.")
@click.option("--retries", type=click.IntRange(0, 5), default=1, show_default=True,
              help="Re-tries of a run whose worker died (local cluster).")
@click.option("--force", is_flag=True, help="Re-run runs that are already complete.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None,
              help="Sweep table (default: <results>/sweep.csv).")
@click.option("--dry-run", is_flag=True, help="List the runs and exit.")
@store_option
@click.pass_context
@guard
def sweep_cmd(ctx: click.Context, sweep_name: str | None, bases: tuple[str, ...],
              grid: tuple[str, ...], overrides: tuple[str, ...], resolution: str | None,
              workers: int, scheduler: str | None, retries: int, force: bool,
              csv_path: Path | None, dry_run: bool, store: str | None) -> None:
    """Run many scenarios (named scenarios × a parameter grid) on Dask."""
    paths = paths_of(ctx)
    the_grid: dict = {}
    sets = list(overrides)
    if sweep_name:
        cfg = load_sweep(paths.scenarios.with_name("sweeps.yaml"), sweep_name)
        bases = bases or tuple(cfg.scenarios)
        the_grid |= cfg.grid
        sets = [*(f"{k}={json.dumps(v)}" for k, v in cfg.set.items()), *sets]
        resolution = resolution or cfg.resolution
    the_grid |= parse_grid(grid)
    specs = expand(bases or ("base",), the_grid, paths.scenarios, sets, resolution)
    if dry_run:
        for spec in specs:
            click.echo(spec.name)
        return
    paths = with_store(ctx, store, specs[0].scenario.store if specs else None)
    where = scheduler or f"local cluster, {workers} worker(s)"
    click.echo(f"sweep: {len(specs)} run(s) on {where}")
    bar = counter("sweep", len(specs))

    def progress(rec, counts) -> None:  # noqa: ANN001
        extra = f" – {rec.reason}" if rec.reason else ""
        click.echo(f"[{rec.status:>7}] {rec.spec.name} ({rec.elapsed_s} s){extra}  "
                   f"done {counts['done']}, failed {counts['failed']}, "
                   f"skipped {counts['skipped']}, remaining {counts['remaining']}")
        if bar is not None:
            bar.update(bar.task_ids[0], completed=len(specs) - counts["remaining"])

    try:
        with solver_output_to_stderr():
            table = run_sweep(specs, paths, workers=workers, scheduler=scheduler,
                              retries=retries, force=force, csv=csv_path, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    counts = table.status.value_counts().to_dict()
    click.echo(f"sweep: {counts.get('done', 0)} done, {counts.get('failed', 0)} failed, "
               f"{counts.get('skipped', 0)} skipped; table: "
               f"{csv_path or paths.results / 'sweep.csv'}")
    if counts.get("failed", 0):
        fail(f"{counts['failed']} run(s) failed (see the reason column)", EXIT_SOLVE)


@click.command("compare")
@click.argument("runs", nargs=-1, required=True)
@click.option("--reference", default=None, help="Reference run (default: the first).")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="CSV file (default: <results>/compare.csv).")
@click.pass_context
@guard
def compare_cmd(ctx: click.Context, runs: tuple[str, ...], reference: str | None,
                out: Path | None) -> None:
    """Compare saved runs side by side, with differences against a reference."""
    paths = paths_of(ctx)
    folders = [find_run(r, paths.results) for r in runs]
    ref = find_run(reference, paths.results) if reference else folders[0]
    table = compare_runs(folders, ref)
    out = out or paths.results / "compare.csv"
    write_text(out, table.to_csv(index=False))
    click.echo(format_table(table))
    click.echo(f"table: {out}")


@click.command("report")
@click.argument("runs", nargs=-1)
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: <results>/report.html).")
@click.option("--week", default=None, metavar="YYYY-MM-DD",
              help="First day of the dispatch week (default: the week of highest load).")
@click.pass_context
@guard
def report_cmd(ctx: click.Context, runs: tuple[str, ...], out: Path | None,
               week: str | None) -> None:
    """Write a self-contained HTML dashboard comparing runs (all runs when none given).

    A RUN that is an uncertainty analysis (``run.py uncertainty``) adds its fan charts and
    "what matters" ranking.
    """
    paths = paths_of(ctx)
    if not runs:
        runs = tuple(sorted(p.parent.name for p in paths.results.glob("*/summary.json")))
    # uncertainty analyses (run.py uncertainty) are sections of their own
    analyses = [Path(r) if is_uncertainty_folder(Path(r)) else paths.results / r
                for r in runs if is_uncertainty_folder(Path(r))
                or is_uncertainty_folder(paths.results / r)]
    runs = tuple(r for r in runs if not (is_uncertainty_folder(Path(r))
                                         or is_uncertainty_folder(paths.results / r)))
    if not runs:
        fail(f"no complete runs under {paths.results}", EXIT_INPUT)
    folders = [find_run(r, paths.results) for r in runs]
    out = out or paths.results / "report.html"
    seats = paths.network_data / "counties.csv"
    counties = read_table(seats) if seats.is_file() else None
    write_report(folders, out, week=week, counties=counties, uncertainty=analyses)
    click.echo(f"report: {out}")
