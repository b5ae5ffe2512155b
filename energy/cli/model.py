"""Model commands: ``check`` inputs, ``list`` scenarios, build ``profiles``, ``solve``."""

from __future__ import annotations

import json

import click
from rich.console import Console

from energy.cli._common import guard, paths_of, store_option, with_store
from energy.cli.display import Steps, solve_table, solver_output_to_stderr
from energy.config import load_scenario_file, resolve_scenario
from energy.inputs import load_inputs
from energy.inputs.monitoring import load_monitoring
from energy.pipeline import run
from energy.profiles import build_profiles, plot_profiles
from energy.store import redact


@click.command("check")
@click.pass_context
@guard
def check_cmd(ctx: click.Context) -> None:
    """Validate every input CSV and every scenario; print a one-line verdict."""
    paths = paths_of(ctx)
    inputs = load_inputs(paths.network_data)
    monitoring = load_monitoring(paths.network_data)
    names = list(load_scenario_file(paths.scenarios))
    for name in names:
        resolve_scenario(name, paths.scenarios)
    click.echo(
        f"ok: {len(inputs.buses)} buses, {len(inputs.lines)} lines, "
        f"{len(inputs.plants)} plants, {len(inputs.renewable_sites)} renewable sites, "
        f"{len(inputs.storage_sites)} storage sites, {len(monitoring.targets)} targets, "
        f"{len(monitoring.actuals)} actuals; scenarios: {', '.join(names)}"
    )


@click.command("list")
@click.pass_context
@guard
def list_cmd(ctx: click.Context) -> None:
    """List the named scenarios with year, resolution and description."""
    paths = paths_of(ctx)
    for name in load_scenario_file(paths.scenarios):
        s = resolve_scenario(name, paths.scenarios)
        click.echo(f"{name:<24} {s.year}  {s.resolution:<7} {s.description}")


@click.command("profiles")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.option("--plot", is_flag=True, help="Also write PNG plots to profiles/plots/.")
@click.pass_context
@guard
def profiles_cmd(ctx: click.Context, force: bool, plot: bool) -> None:
    """Build hourly profiles (PV, wind, load, heat, COP) from the weather files."""
    paths = paths_of(ctx)
    built = build_profiles(paths.network_data, paths.profiles, force=force, progress=True)
    click.echo(f"profiles: {built}")
    if plot:
        for png in plot_profiles(paths.profiles, paths.profiles / "plots"):
            click.echo(f"plot: {png}")


@click.command("solve")
@click.option("-s", "--scenario", "name", default="base", show_default=True,
              help="Scenario name from scenarios.yaml.")
@click.option("-r", "--resolution", default=None,
              help="Override time resolution: 1h, <n>h (resample) or seg<N> (segments).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a setting, e.g. --set co2.cap_mt=20 (repeatable).")
@click.option("--out", default=None, help="Result folder name (default: the scenario name).")
@click.option("--verify/--no-verify", "verify", default=None,
              help="Full-year hourly check of a design solved coarser than 1 h "
                   "(default: the scenario's 'verify', on).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON line of headline figures instead of the table.")
@store_option
@click.pass_context
@guard
def solve_cmd(ctx: click.Context, name: str, resolution: str | None,
              overrides: tuple[str, ...], out: str | None, verify: bool | None,
              as_json: bool, store: str | None) -> None:
    """Build, optimise and write one scenario to results/<scenario>/ and the results store."""
    if verify is not None:
        overrides = (*overrides, f"verify={str(verify).lower()}")
    scenario = resolve_scenario(name, paths_of(ctx).scenarios, overrides, resolution)
    paths = with_store(ctx, store, scenario.store)
    with solver_output_to_stderr(), Steps() as steps:
        info = run(scenario, paths, out_name=out, steps=steps)
    folder = paths.results / (out or name)
    if as_json:
        keys = ("scenario", "status", "system_cost", "discounted_total_cost", "co2_emissions",
                "unserved_energy_mwh", "resolution", "snapshots")
        headline = {k: info[k] for k in keys if k in info}
        check = info.get("verify")
        if isinstance(check, dict):
            headline["verify"] = {k: check.get(k) for k in
                                  ("unserved_energy_mwh", "extra_cost_rel",
                                   "system_cost_hourly_cny_per_a", "storage_feasible")}
        headline["total_s"] = (info.get("timings") or {}).get("total_s")
        click.echo(json.dumps(headline))
        return
    console = Console()
    solve_table(info, folder, console)
    stored = info.get("store")
    where = (f"; store: {redact(paths.store)} (version {stored['version']})"
             if stored and paths.store else "")
    console.print(f"results: {folder}{where}", highlight=False, soft_wrap=True)
