"""Optimise a built network with HiGHS (through linopy): one LP, or screen, prune and price.

:func:`solve_network` is the entry point; presets and the fallback chain are in
:mod:`energy.optimize.highs`, screening in :mod:`energy.optimize.screening`, the extra
constraints in :mod:`energy.optimize.constraints` and :mod:`energy.optimize.policy`.
"""

from __future__ import annotations

import time

import pypsa

from energy.config import Scenario
from energy.optimize.errors import InfeasibleError, SolveError
from energy.optimize.highs import PRESETS, SolveReport, solve_presets, solver_options
from energy.optimize.screening import solve_screened

__all__ = ["PRESETS", "InfeasibleError", "SolveError", "SolveReport", "screening_applies",
           "solve_network", "solve_presets", "solver_options"]


def screening_applies(n: pypsa.Network, scenario: Scenario) -> bool:
    """Whether :func:`solve_network` uses screen, prune and price for this network.

    Only for single-year networks, never for multi-period (pathway) ones; with
    ``solver.screening = "auto"`` only when they have at least
    ``solver.screening_min_snapshots`` (hourly) or ``screening_min_snapshots_aggregated``
    (coarser) snapshots.
    """
    mode = scenario.solver.screening
    if mode is False or len(n.investment_periods):
        return False
    cfg = scenario.solver
    least = (cfg.screening_min_snapshots if scenario.resolution == "1h"
             else cfg.screening_min_snapshots_aggregated)
    return mode is True or len(n.snapshots) >= least


def solve_network(n: pypsa.Network, scenario: Scenario) -> SolveReport:
    """Optimise the network with HiGHS: screened (:mod:`energy.optimize.screening`) or in one LP.

    Parameters
    ----------
    n : pypsa.Network
        The built network (modified in place with the solution).
    scenario : Scenario
        Supplies the preset, options, fallback chain, time limit and screening settings.

    Returns
    -------
    SolveReport
        Status of the accepted attempt; ``solve_s`` includes screening and pricing.

    Raises
    ------
    SolveError
        When the model is infeasible, or no preset reaches an optimal solution.
    """
    if not screening_applies(n, scenario):
        return solve_presets(n, scenario)
    start = time.perf_counter()
    report, info = solve_screened(n, scenario, solve_presets)
    report.solve_s = time.perf_counter() - start
    report.screening = info.as_dict()
    return report
