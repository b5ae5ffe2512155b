"""Command-line interface: ``python run.py COMMAND``.

Commands map one-to-one onto a planner's tasks: ``check`` inputs, ``list`` scenarios, build
``profiles``, ``solve`` a scenario (:mod:`energy.cli.model`); ``sweep``, ``compare`` and
``report`` (:mod:`energy.cli.workflow`). Exit codes: 0 ok; 1 bad input or configuration;
2 usage errors (click); 3 no optimal solution (infeasible or solver failure).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import click
import pypsa

from energy.cli.model import check_cmd, list_cmd, profiles_cmd, solve_cmd
from energy.cli.robust import mga_cmd, uncertainty_cmd
from energy.cli.workflow import compare_cmd, report_cmd, sweep_cmd
from energy.pipeline import Paths


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
    # PyPSA 1.x's pre-pandas-3 string handling, stated explicitly (its default, which would
    # otherwise warn on every network read); an application setting, not set at import
    pypsa.options.set_option("api.legacy_string_dtype", True)
    ctx.obj = {"paths": Paths(network_data, profiles_dir, results_dir, scenarios_file)}


for _command in (check_cmd, list_cmd, profiles_cmd, solve_cmd, sweep_cmd, compare_cmd,
                 report_cmd):
    main.add_command(_command)
main.add_command(uncertainty_cmd), main.add_command(mga_cmd)  # energy/cli/robust.py
