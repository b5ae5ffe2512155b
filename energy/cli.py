"""Command-line interface: ``python run.py COMMAND``.

Commands map one-to-one onto a planner's tasks: ``check`` inputs, ``list`` scenarios, build
``profiles``, ``solve`` a scenario. Exit codes: 0 ok; 1 bad input or configuration;
3 no optimal solution (infeasible or solver failure); 2 usage errors (click).
"""

from __future__ import annotations

import json
import logging
import sys
import warnings
from functools import wraps
from pathlib import Path
from typing import Any

import click

from energy.config import ConfigError, load_scenario_file, resolve_scenario
from energy.inputs import InputError, load_inputs
from energy.pipeline import Paths

EXIT_INPUT = 1
EXIT_SOLVE = 3


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _guard(func: Any) -> Any:
    """Turn known errors into a one-line message and a non-zero exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from energy.solve import SolveError

        try:
            return func(*args, **kwargs)
        except (InputError, ConfigError) as err:
            _fail(str(err), EXIT_INPUT)
        except SolveError as err:
            _fail(str(err), EXIT_SOLVE)

    return wrapper


def _paths(ctx: click.Context) -> Paths:
    return ctx.obj["paths"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "network_data", type=click.Path(path_type=Path),
              default=Paths.network_data, show_default=True, help="Input CSV folder.")
@click.option("--profiles-dir", type=click.Path(path_type=Path), default=Paths.profiles,
              show_default=True, help="Weather files and built profiles.")
@click.option("--results", "results_dir", type=click.Path(path_type=Path),
              default=Paths.results, show_default=True, help="Where run folders are written.")
@click.option("--scenarios", "scenarios_file", type=click.Path(path_type=Path),
              default=Paths.scenarios, show_default=True, help="Named scenarios (YAML).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for solver detail).")
@click.pass_context
def main(ctx: click.Context, network_data: Path, profiles_dir: Path, results_dir: Path,
         scenarios_file: Path, verbose: int) -> None:
    """Capacity-expansion model of the Taiyuan–Xinzhou zone (PyPSA + HiGHS)."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        for noisy in ("linopy", "pypsa", "highspy"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        warnings.filterwarnings("ignore", category=FutureWarning, module="pypsa")
    ctx.obj = {"paths": Paths(network_data, profiles_dir, results_dir, scenarios_file)}


@main.command("check")
@click.pass_context
@_guard
def check_cmd(ctx: click.Context) -> None:
    """Validate every input CSV and every scenario; print a one-line verdict."""
    paths = _paths(ctx)
    inputs = load_inputs(paths.network_data)
    names = list(load_scenario_file(paths.scenarios))
    for name in names:
        resolve_scenario(name, paths.scenarios)
    click.echo(
        f"ok: {len(inputs.buses)} buses, {len(inputs.lines)} lines, "
        f"{len(inputs.plants)} plants, {len(inputs.renewable_sites)} renewable sites, "
        f"{len(inputs.storage_sites)} storage sites; scenarios: {', '.join(names)}"
    )


@main.command("list")
@click.pass_context
@_guard
def list_cmd(ctx: click.Context) -> None:
    """List the named scenarios with year, resolution and description."""
    paths = _paths(ctx)
    for name in load_scenario_file(paths.scenarios):
        s = resolve_scenario(name, paths.scenarios)
        click.echo(f"{name:<24} {s.year}  {s.resolution:<7} {s.description}")


@main.command("profiles")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.option("--plot", is_flag=True, help="Also write PNG plots to profiles/plots/.")
@click.pass_context
@_guard
def profiles_cmd(ctx: click.Context, force: bool, plot: bool) -> None:
    """Build hourly profiles (PV, wind, load, heat, COP) from the weather files."""
    from energy.profiles import build_profiles, plot_profiles

    paths = _paths(ctx)
    built = build_profiles(paths.network_data, paths.profiles, force=force, progress=True)
    click.echo(f"profiles: {built}")
    if plot:
        for png in plot_profiles(paths.profiles, paths.profiles / "plots"):
            click.echo(f"plot: {png}")


@main.command("solve")
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
@click.pass_context
@_guard
def solve_cmd(ctx: click.Context, name: str, resolution: str | None,
              overrides: tuple[str, ...], out: str | None, verify: bool | None) -> None:
    """Build, optimise and write one scenario to results/<scenario>/."""
    from energy.pipeline import run

    paths = _paths(ctx)
    if verify is not None:
        overrides = (*overrides, f"verify={str(verify).lower()}")
    scenario = resolve_scenario(name, paths.scenarios, overrides, resolution)
    info = run(scenario, paths, out_name=out)
    keys = ("scenario", "status", "system_cost", "discounted_total_cost", "co2_emissions",
            "unserved_energy_mwh", "resolution", "snapshots")
    headline = {k: info[k] for k in keys if k in info}
    if "verify" in info:
        headline["verify"] = {k: info["verify"][k] for k in
                              ("unserved_energy_mwh", "extra_cost_rel",
                               "system_cost_hourly_cny_per_a", "storage_feasible")}
    headline["total_s"] = info["timings"]["total_s"]
    click.echo(json.dumps(headline))
    click.echo(f"results: {paths.results / (out or name)}")


from energy.cli_workflow import register  # noqa: E402

register(main)
