"""Model commands: ``check`` inputs, ``list`` scenarios, build ``profiles``, ``solve``."""

from __future__ import annotations

import click
from rich.console import Console

from energy.cli._common import guard, paths_of, store_option, with_store
from energy.cli.display import Steps, solve_table, solver_output_to_stderr
from energy.config import check_run_name, load_scenario_file, resolve_scenario
from energy.inputs import load_inputs
from energy.inputs.monitoring import load_monitoring
from energy.pipeline import check_run, run
from energy.profiles import build_profiles, plot_profiles
from energy.profiles.cache import stale_reason
from energy.profiles.sources import check_profile_inputs
from energy.results.io import dumps_json
from energy.store import redact


@click.command("check")
@click.option("-s", "--scenario", "names", multiple=True,
              help="Scenario to check (repeatable; default: every scenario of scenarios.yaml).")
@click.option("-r", "--resolution", default=None, help="As for solve.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="As for solve.")
@click.pass_context
@guard
def check_cmd(ctx: click.Context, names: tuple[str, ...], resolution: str | None,
              overrides: tuple[str, ...]) -> None:
    """Run every check solve runs before building; print a one-line verdict.

    Input CSVs (schema, units and plausible ranges, references, bus roles, years), the weather
    files and stations the profiles are built from, and each scenario (with -r/--set as solve
    would take them) against the inputs and HiGHS's options. Passing means solve will not
    fail on its input.
    """
    paths = paths_of(ctx)
    inputs = load_inputs(paths.network_data)
    check_profile_inputs(paths.network_data, paths.profiles, inputs=inputs)
    monitoring = load_monitoring(paths.network_data)
    names = names or tuple(load_scenario_file(paths.scenarios))
    for name in names:
        check_run(resolve_scenario(name, paths.scenarios, overrides, resolution), paths, inputs)
    cache = stale_reason(paths.network_data, paths.profiles, inputs=inputs)
    click.echo(
        f"ok: {len(inputs.buses)} buses, {len(inputs.lines)} lines, "
        f"{len(inputs.plants)} plants, {len(inputs.renewable_sites)} renewable sites, "
        f"{len(inputs.storage_sites)} storage sites, {len(inputs.neighbour_regions)} neighbour "
        f"regions, {len(inputs.validation)} validation figures, {len(monitoring.targets)} "
        f"targets, {len(monitoring.actuals)} actuals, weather; scenarios: {', '.join(names)}; "
        f"profiles: {'up to date' if cache is None else f'to be rebuilt ({cache})'}"
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
@click.option("--out", default=None,
              help="Run name: the folder under the results folder (default: the scenario name; "
                   "a plain name, no path; use --results to write elsewhere).")
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
    if out is not None:
        check_run_name(out)
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
        headline["results"] = str(folder)
        click.echo(dumps_json(headline, indent=None))
        return
    console = Console()
    solve_table(info, folder, console)
    stored = info.get("store")
    where = (f"; store: {redact(paths.store)} (version {stored['version']})"
             if stored and paths.store else "")
    console.print(f"results: {folder}{where}", highlight=False, soft_wrap=True)
