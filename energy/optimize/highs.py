"""HiGHS: named option presets, a fallback chain, and post-solve checks.

Lessons from PyPSA-Eur #1550 / PyPSA-Earth #1398: HiGHS can return ``unknown`` and even
dispatch above capacity. Every solve is therefore checked for status, termination and bound
violations; a non-optimal attempt falls back to the next preset; the report says which preset
solved and what the earlier attempts returned.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pypsa
from linopy.config import LinopySemanticsWarning

from energy.config import ConfigError, Scenario
from energy.optimize.constraints import extra_functionality
from energy.optimize.errors import InfeasibleError, SolveError

logger = logging.getLogger(__name__)

_TOLERANCES = {
    "primal_feasibility_tolerance": 1e-5,
    "dual_feasibility_tolerance": 1e-5,
    "ipm_optimality_tolerance": 1e-4,
    # the relative primal-dual objective gap HiGHS accepts as optimal (default 1e-7): the
    # IPM's own 1e-4. With 1e-7 HiPO rejects a point that meets every tolerance above and
    # iterates on (base seg1095: 68 instead of 63 iterations, 98.7 instead of 90.1 s; the
    # objective moves by 5e-5 of itself; benchmarks/README.md), and IPX ends "unknown".
    "optimality_tolerance": 1e-4,
    # HiGHS >= 1.12 also checks residuals at 1e-7 by default, which ends large IPM runs as
    # "unknown" (measured on a full hourly year of a 15-bus stand-in: "unknown" after 24 min,
    # only because of that check); 1e-5 matches the feasibility tolerances.
    "primal_residual_tolerance": 1e-5,
    "dual_residual_tolerance": 1e-5,
}

_HIPO = {"solver": "hipo", "run_crossover": "off", "hipo_ordering": "metis", **_TOLERANCES}

#: named HiGHS option sets. HiGHS's ``solver="ipm"`` means "its best interior point method",
#: which is HiPO whenever highspy-extras is installed (it is a dependency here); IPX, the
#: basis-preconditioned CG method behind PyPSA-Eur's ``highs-default``, must be asked for as
#: ``solver="ipx"`` -- so the ``ipm`` presets below name it explicitly.
PRESETS: dict[str, dict[str, Any]] = {
    # METIS alone instead of METIS and AMD compared: 35 % less analyse time, same factor.
    # The Newton system stays "choose": expansion LPs get the augmented system (capacity
    # columns make the normal equations dense), capacity-fixed dispatch LPs (the full-year
    # check) the normal equations, 2.5x faster there (benchmarks/README.md)
    "hipo": _HIPO,
    # the default fallback: the same IPM, then crossover to a vertex (cleans up a solution
    # that missed the residual tolerances)
    "hipo-crossover": {**_HIPO, "run_crossover": "on"},
    # the pathways' preset: crossover "choose" hands an imprecise interior point to IPX's
    # crossover (HiGHS passes it on as IPX's run_crossover = -1) instead of ending "unknown",
    # after which the fallback solved the whole LP again (pathway seg730, 2026-12-07: hipo
    # "unknown" after 124 iterations and 321 s, then hipo-crossover from the start, 395 s; with
    # "choose" optimal after 130 iterations, 314 s). Not the default: the 8,760 h exact check
    # with it was stopped after 17 min of CPU; with "off" it takes 418 s (cause not isolated)
    "hipo-choose": {**_HIPO, "run_crossover": "choose"},
    "ipm": {"solver": "ipx", "run_crossover": "off", **_TOLERANCES},
    "ipm-crossover": {"solver": "ipx", "run_crossover": "on", **_TOLERANCES},
    "simplex": {"solver": "simplex", "primal_feasibility_tolerance": 1e-7,
                "dual_feasibility_tolerance": 1e-7},
    "pdlp": {"solver": "pdlp", "pdlp_optimality_tolerance": 1e-5},
    # near-optimal alternatives (energy.optimize.near_optimal): a capacity objective under a
    # cost budget leaves a wide optimal face. On base seg182 HiPO stalls there ("no progress"
    # after 50 s, then the crossover fallback: 155 s per alternative); IPX ends in 29 s at a
    # relative primal-dual objective gap of 1.3e-5 (accepted by optimality_tolerance 1e-4)
    "ipm-mga": {"solver": "ipx", "run_crossover": "off", **_TOLERANCES},
}

INFEASIBLE = {"infeasible", "infeasible_or_unbounded", "unbounded"}


@dataclass
class SolveReport:
    """What happened in the solve.

    Attributes
    ----------
    status, termination : str
        linopy status and termination condition of the accepted attempt.
    preset : str
        The preset that solved.
    attempts : list of dict
        One entry per attempt: preset, status, termination, seconds.
    solve_s : float
        Wall time of all attempts [s].
    objective : float
        Objective value (without the constant of existing assets) [CNY/a].
    screening : dict or None
        What screen, prune and price did (:class:`energy.pruning.ScreeningReport`), when used.
    """

    status: str = "not solved"
    termination: str = ""
    preset: str = ""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    solve_s: float = 0.0
    objective: float = float("nan")
    screening: dict[str, Any] | None = None


#: HiGHS option types (``highspy.HighsOptionType``) -> Python type and a word for messages
_KINDS = {"kBool": (bool, "true or false"), "kInt": (int, "an integer"),
          "kDouble": (float, "a number"), "kString": (str, "a string")}


def _option_kind(h: highspy.Highs, name: str) -> str | None:
    status, kind = h.getOptionType(name)
    return kind.name if status == highspy.HighsStatus.kOk else None


def _as_option(kind: str, value: Any) -> Any:
    """A YAML value as HiGHS expects it (``off`` is read as ``false``; HiGHS wants "off")."""
    if kind == "kString" and isinstance(value, bool):
        return "on" if value else "off"
    if kind == "kDouble" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def check_solver_options(options: dict[str, Any], origin: str = "solver.options") -> None:
    """Check option names, types and values against HiGHS itself (no solve).

    Parameters
    ----------
    options : dict
        ``solver.options`` of a scenario.
    origin : str
        Where they come from, for messages.

    Raises
    ------
    ConfigError
        An unknown option (e.g. linopy's ``io_api``, which is not a HiGHS option), a value of
        the wrong type, or one HiGHS rejects (out of range, unknown choice).
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)  # a silent instance just to ask HiGHS
    for name, value in options.items():
        kind = _option_kind(h, str(name))
        key = f"{origin}: 'solver.options.{name}'"
        if kind is None:
            raise ConfigError(f"{key}: not a HiGHS option (see `highspy.Highs().writeOptions"
                              "(\"options.txt\")` for the list)")
        python, words = _KINDS.get(kind, (object, "a value"))
        value = _as_option(kind, value)
        wrong = not isinstance(value, python) or (python is int and isinstance(value, bool))
        if wrong:
            raise ConfigError(f"{key}: expected {words}, got {value!r}")
        if h.setOptionValue(str(name), value) != highspy.HighsStatus.kOk:
            raise ConfigError(f"{key}: HiGHS rejects {value!r} (out of range or not one of its "
                              "choices)")


def solver_options(preset: str, scenario: Scenario) -> dict[str, Any]:
    """HiGHS options of a preset with the scenario's overrides and time limit."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    extra = {k: _as_option(_option_kind(h, k) or "", v) for k, v in scenario.solver.options.items()}
    return {**PRESETS[preset], "time_limit": scenario.solver.time_limit_s, **extra}


def bound_violation(n: pypsa.Network) -> float:
    """Largest dispatch above available capacity [MW], over generators, links, storage.

    A negative maximum (a fixed withdrawal such as the Xiong'an offtake) counts from 0: an
    asset not yet or no longer active in a pathway period dispatches 0 there.
    """
    worst = 0.0
    g = n.generators
    if not g.empty:
        avail = (n.get_switchable_as_dense("Generator", "p_max_pu") * g.p_nom_opt).clip(lower=0)
        worst = max(worst, float((n.generators_t.p - avail).max().max()))
    if not n.links.empty:
        avail = (n.get_switchable_as_dense("Link", "p_max_pu") * n.links.p_nom_opt).clip(lower=0)
        worst = max(worst, float((n.links_t.p0 - avail).max().max()))
    su = n.storage_units
    if not su.empty:
        worst = max(worst, float((n.storage_units_t.p_dispatch - su.p_nom_opt).max().max()))
        worst = max(worst, float((n.storage_units_t.p_store - su.p_nom_opt).max().max()))
    return worst if np.isfinite(worst) else 0.0


def _highs_info(n: pypsa.Network) -> dict[str, Any]:
    """HiGHS's own run time [s] and iteration count of the last solve, when available.

    The wall time of ``n.optimize`` minus ``highs_s`` is linopy's model build and transfer.
    """
    h = getattr(getattr(n, "model", None), "solver_model", None)
    if h is None:
        return {}
    try:
        info = h.getInfo()
        iterations = max(int(info.ipm_iteration_count), int(info.simplex_iteration_count),
                         int(getattr(info, "pdlp_iteration_count", 0)))
        return {"highs_s": round(float(h.getRunTime()), 2), "iterations": iterations}
    except (AttributeError, RuntimeError):  # pragma: no cover - older highspy
        return {}


def create_model(n: pypsa.Network, scenario: Scenario) -> Any:
    """Build the linopy model of ``n`` exactly as :func:`solve_presets` solves it.

    PyPSA's formulation (``include_objective_constant=False``) plus the scenario's extra
    constraints (:func:`energy.optimize.constraints.extra_functionality`); for solving it
    elsewhere (the windowed design check, :mod:`energy.optimize.windows`).

    Returns
    -------
    linopy.Model
        ``n.model``.
    """
    multi = len(n.investment_periods) > 0
    n._multi_invest = int(multi)
    m = n.optimize.create_model(multi_investment_periods=multi,
                                include_objective_constant=False)
    extra_functionality(scenario)(n, n.snapshots)
    return m


def _optimize(n: pypsa.Network, preset: str, scenario: Scenario,
              built: bool = False) -> tuple[str, str]:
    if built:  # solve the model already built (and changed) on the network
        return n.optimize.solve_model(solver_name="highs",
                                      solver_options=solver_options(preset, scenario),
                                      log_to_console=False, io_api="direct")
    return n.optimize(
        solver_name="highs",
        solver_options=solver_options(preset, scenario),
        extra_functionality=extra_functionality(scenario),
        include_objective_constant=False,
        log_to_console=False,
        io_api="direct",
        multi_investment_periods=len(n.investment_periods) > 0,
    )


def solve_presets(n: pypsa.Network, scenario: Scenario, built: bool = False) -> SolveReport:
    """Optimise the network with HiGHS, falling back through the scenario's presets.

    Parameters
    ----------
    n : pypsa.Network
        The built network (modified in place with the solution).
    scenario : Scenario
        Supplies the preset, options, fallback chain and time limit.
    built : bool
        Solve the linopy model already on the network (:func:`create_model`, possibly with
        changed bounds) instead of building it.

    Returns
    -------
    SolveReport
        Status of the accepted attempt.

    Raises
    ------
    SolveError
        When the model is infeasible, or no preset reaches an optimal solution.
    """
    report = SolveReport()
    chain = [scenario.solver.preset] + [
        p for p in scenario.solver.fallback if p != scenario.solver.preset
    ]
    start = time.perf_counter()
    for preset in chain:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            if len(n.investment_periods):
                # PyPSA 1.4 multi-period models index snapshots by a (period, timestep)
                # MultiIndex, which linopy's future "v1" semantics will reject; under the
                # current (legacy) semantics it is correct, so the notice is not ours to act on.
                warnings.filterwarnings("ignore", category=LinopySemanticsWarning)
            status, termination = _optimize(n, preset, scenario, built)
        seconds = time.perf_counter() - t0
        report.attempts.append(
            {"preset": preset, "status": status, "termination": termination,
             "seconds": round(seconds, 2), **_highs_info(n)}
        )
        logger.info("HiGHS %s: %s / %s in %.1f s", preset, status, termination, seconds)
        if status == "ok" and termination == "optimal":
            violation = bound_violation(n)
            if violation > 1e-3 * max(1.0, float(n.loads_t.p_set.max().sum())):
                report.attempts[-1]["termination"] = f"bound violation {violation:.3g} MW"
                continue
            report.status, report.termination, report.preset = status, termination, preset
            report.objective = float(n.objective)
            break
        if termination in INFEASIBLE:
            report.solve_s = time.perf_counter() - start
            raise InfeasibleError(
                f"scenario {scenario.name!r} is infeasible (HiGHS {preset}: {termination})"
            )
    report.solve_s = time.perf_counter() - start
    if report.status != "ok":
        tried = "; ".join(f"{a['preset']}: {a['status']}/{a['termination']}"
                          for a in report.attempts)
        raise SolveError(f"scenario {scenario.name!r}: no optimal solution ({tried})")
    return report
