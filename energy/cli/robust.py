"""Robustness commands: ``uncertainty`` (sampled inputs on Dask) and ``mga`` (near-optimal).

Exit codes as in :mod:`energy.cli`: 0 ok; 1 bad factors or configuration; 3 no optimal
solution (``mga``), or at least one failed sample (``uncertainty``; the outputs are written
with the failed samples listed and left out of the percentiles).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from energy.cli._common import EXIT_SOLVE, fail, guard, paths_of, store_option, with_store
from energy.config import resolve_scenario
from energy.pipeline import run
from energy.uncertainty import run_uncertainty

#: default time resolution of uncertainty samples (coarse; stated in the outputs)
UNCERTAINTY_RESOLUTION = "seg182"


@click.command("uncertainty")
@click.option("-s", "--scenario", "name", default="base", show_default=True,
              help="Scenario every sample starts from.")
@click.option("--samples", default=64, show_default=True, type=click.IntRange(1, 100000),
              help="Latin-hypercube samples (Morris: trajectories, runs = N x (factors + 1)).")
@click.option("--factors", "factors_file", type=click.Path(path_type=Path), default=None,
              help="Factors CSV (default: <data>/uncertainty.csv).")
@click.option("--design", "method", type=click.Choice(["lhs", "morris"]), default="lhs",
              show_default=True, help="Latin hypercube with rank correlations, or Morris "
              "screening (elementary effects).")
@click.option("--seed", default=0, show_default=True, help="Random seed of the design.")
@click.option("-r", "--resolution", default=UNCERTAINTY_RESOLUTION, show_default=True,
              help="Time resolution of every sample.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Setting applied to every sample (repeatable).")
@click.option("--verify/--no-verify", "verify", default=False, show_default=True,
              help="Full-year hourly check of every sample.")
@click.option("--name", "out", default=None,
              help="Output folder under results/ (default: uncertainty-<scenario>).")
@click.option("-w", "--workers", default=2, show_default=True,
              help="Worker processes of the local Dask cluster (1 thread each).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Use an existing Dask scheduler instead of a local cluster.")
@click.option("--retries", type=click.IntRange(0, 5), default=1, show_default=True,
              help="Re-tries of a sample whose worker died (local cluster).")
@click.option("--force", is_flag=True, help="Re-run every sample (and replace another design).")
@store_option
@click.pass_context
@guard
def uncertainty_cmd(ctx: click.Context, name: str, samples: int, factors_file: Path | None,
                    method: str, seed: int, resolution: str, overrides: tuple[str, ...],
                    verify: bool, out: str | None, workers: int, scheduler: str | None,
                    retries: int, force: bool, store: str | None) -> None:
    """Sample the uncertain inputs, run every sample on Dask, report ranges and what matters."""
    paths = with_store(ctx, store)
    base = resolve_scenario(name, paths.scenarios,
                            [*overrides, f"verify={str(verify).lower()}"], resolution)
    out = out or f"uncertainty-{name}"
    where = scheduler or f"local cluster, {workers} worker(s)"
    click.echo(f"uncertainty: {method} design, {samples} sample(s) of {name} at "
               f"{resolution} (verify {'on' if verify else 'off'}) on {where}")

    def progress(rec, counts) -> None:  # noqa: ANN001
        extra = f" – {rec.reason}" if rec.reason else ""
        click.echo(f"[{rec.status:>7}] {rec.spec.name} ({rec.elapsed_s} s){extra}  "
                   f"done {counts['done']}, failed {counts['failed']}, "
                   f"skipped {counts['skipped']}, remaining {counts['remaining']}")

    info = run_uncertainty(base, paths, name=out, factors_file=factors_file, samples=samples,
                           method=method, seed=seed, workers=workers, scheduler=scheduler,
                           retries=retries, force=force, progress=progress)
    for metric, r in info["headline"].items():
        click.echo(f"{metric} [{r['unit']}]: base {r['base']:.4g}, P5 {r['p5']:.4g}, "
                   f"P50 {r['p50']:.4g}, P95 {r['p95']:.4g} (n = {r['n']})")
    for f in info["failed"]:
        click.echo(f"failed: {f['sample']}: {f['reason']}")
    click.echo(f"results: {paths.results / out} (report.html, percentiles.csv, influence.csv)")
    if info.get("stored"):
        click.echo(f"recorded in the results store as run {info['stored']['run_id']} "
                   f"(version {info['stored']['version']})")
    if info["failed"]:
        fail(f"{len(info['failed'])} sample(s) failed (listed above and in "
             f"{paths.results / out / 'uncertainty.json'}; left out of the percentiles)",
             EXIT_SOLVE)


@click.command("mga")
@click.option("-s", "--scenario", "name", default="base", show_default=True,
              help="Scenario name from scenarios.yaml.")
@click.option("-r", "--resolution", default=None, help="Override time resolution.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a setting (repeatable).")
@click.option("--slack", "slacks", default="0.02,0.05", show_default=True,
              help="Cost slacks [p.u. of the optimal system cost], comma-separated.")
@click.option("--decision", "decisions", multiple=True,
              help="Decision to range (repeatable; default: all seven).")
@click.option("--out", default=None, help="Result folder name (default: <scenario>-mga).")
@click.option("--verify/--no-verify", "verify", default=None,
              help="Full-year hourly check of the optimum (default: the scenario's).")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Processes of a local Dask cluster sharing the alternative LPs (1: in this "
              "process).")
@store_option
@click.pass_context
@guard
def mga_cmd(ctx: click.Context, name: str, resolution: str | None, overrides: tuple[str, ...],
            slacks: str, decisions: tuple[str, ...], out: str | None,
            verify: bool | None, workers: int, store: str | None) -> None:
    """Solve a scenario, then the smallest and largest capacity of each decision within slack.

    The same as ``solve --set near_optimal.enabled=true``: results/<out>/ holds the optimum's
    run folder plus near_optimal.csv and summary.json['near_optimal'].
    """
    paths = paths_of(ctx)
    sets = [*overrides, "near_optimal.enabled=true",
            f"near_optimal.slacks=[{slacks}]", f"near_optimal.workers={workers}"]
    if decisions:
        sets.append(f"near_optimal.decisions={json.dumps(list(decisions))}")
    if verify is not None:
        sets.append(f"verify={str(verify).lower()}")
    scenario = resolve_scenario(name, paths.scenarios, sets, resolution)
    paths = with_store(ctx, store, scenario.store)
    out = out or f"{name}-mga"
    info = run(scenario, paths, out_name=out)
    block = info["near_optimal"]
    for key, r in block["ranges"].items():
        spans = ", ".join(f"slack {s}: {v[0]:,.0f}–{v[1]:,.0f}" for s, v in r.items()
                          if isinstance(v, list))
        click.echo(f"{key:<15} optimum {r['optimum']:>10,.0f} MW  {spans}  ({r['status']})")
    click.echo(f"{block['solves']} alternative LPs on {block['workers']} process(es) in "
               f"{block['seconds']} s; "
               f"results: {paths.results / out}")
