"""Command-line interface: ``python run.py COMMAND``.

Commands map one-to-one onto a planner's tasks: ``check`` inputs, ``list`` scenarios, build
``profiles``, ``solve`` a scenario (:mod:`energy.cli.model`); ``sweep``, ``compare`` and
``report`` (:mod:`energy.cli.workflow`); ``validate`` (:mod:`energy.cli.validate`);
``store import`` / ``store info`` (:mod:`energy.cli.store`) and ``dashboard``
(:mod:`energy.cli.dashboard`). Exit codes: 0 ok; 1 bad input or configuration (or a results
location that cannot be written, or an unusable results store); 2 usage errors (click); 3 no
optimal solution (infeasible or solver failure); 4 ``validate``: a high-confidence published
figure is outside tolerance; 130 interrupted (Ctrl-C, SIGTERM). See :mod:`energy.cli._common`.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import click
import pypsa

from energy.cli.dashboard import dashboard_cmd
from energy.cli.model import check_cmd, list_cmd, profiles_cmd, solve_cmd
from energy.cli.robust import mga_cmd, uncertainty_cmd
from energy.cli.store import store_group
from energy.cli.validate import validate_cmd
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
@click.option("--store", "store", default=None, metavar="URL",
              help="Results store for every command (sqlite:///FILE, postgresql://USER@HOST/DB "
                   "or 'none'; default $TAIXIN_STORE, else <results>/store.sqlite3).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for solver detail).")
@click.pass_context
def main(ctx: click.Context, network_data: Path, profiles_dir: Path, results_dir: Path,
         scenarios_file: Path, store: str | None, verbose: int) -> None:
    """Capacity-expansion model of the Taiyuan–Xinzhou zone (PyPSA + HiGHS)."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbose < 2:
        for noisy in ("linopy", "pypsa", "highspy", "ixmp4", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        # linopy's multi-line "Optimization potentially failed" block: the one-line error
        # (with the diagnosis of an infeasible model) says it better
        logging.getLogger("linopy.constants").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", category=FutureWarning, module="pypsa")
    # PyPSA 1.x's pre-pandas-3 string handling, stated explicitly (its default, which would
    # otherwise warn on every network read); an application setting, not set at import
    pypsa.options.set_option("api.legacy_string_dtype", True)
    ctx.obj = {"paths": Paths(network_data, profiles_dir, results_dir, scenarios_file),
               "store": store}


for _command in (check_cmd, list_cmd, profiles_cmd, solve_cmd, sweep_cmd, compare_cmd,
                 report_cmd):
    main.add_command(_command)
main.add_command(validate_cmd)
main.add_command(store_group)
main.add_command(dashboard_cmd)
main.add_command(uncertainty_cmd), main.add_command(mga_cmd)  # energy/cli/robust.py
