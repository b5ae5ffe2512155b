"""How the full-year design check dispatches the capacity-fixed hourly network.

Three methods (:func:`energy.optimize.design_check.check_design` picks one):

``"exact"`` (:func:`dispatch_lp`)
    One LP over all hours: storage cyclic over the year, annual rows (CO2 cap, energy
    obligations, clean shares) exact.
``"windows"`` (:func:`dispatch_windows`, the default)
    The same LP -- the same PyPSA model and extra constraints -- cut into windows solved in
    parallel chains (:mod:`energy.optimize.windows`, :mod:`energy.optimize.window_dispatch`):
    storage continuous inside each chain, the design's levels where chains start and as
    targets where windows end, annual rows shared out by the design's use. A window that
    cannot meet its share of an annual row, or a chain that ends with less stored than the
    next one assumes, sends the check to ``"exact"`` (reported as ``fallback``).
``"rolling"`` (:func:`dispatch_rolling`)
    PyPSA's rolling horizon with the state of charge carried; annual constraints dropped.

:func:`drop_idle` first removes what a design left at zero capacity: its dispatch is zero in
every hour, so the LP is the same without it, only smaller.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.config import Scenario
from energy.optimize import solve_network, solver_options
from energy.optimize.constraints import extra_functionality
from energy.optimize.highs import create_model
from energy.optimize.window_dispatch import solve_windows
from energy.optimize.windows import WindowError, window_starts

#: energy [MWh] a chain may borrow from the next (see ``storage_deficit_mwh``) before the
#: windowed check gives way to the exact LP
DEFICIT_TOL_MWH = 1.0

_ASSETS = ("Generator", "Link", "Store", "StorageUnit")


def drop_idle(n: pypsa.Network) -> int:
    """Remove fixed assets of zero capacity, and buses nothing else is left on; in place.

    Their dispatch is zero in every hour (capacity 0), so the LP is unchanged but smaller.

    Returns
    -------
    int
        Number of components removed.
    """
    removed = 0
    for c in _ASSETS:
        static = n.components[c].static
        if static.empty:
            continue
        attr = nominal_attrs[c]
        idle = static.index[~static[f"{attr}_extendable"] & (static[attr] == 0.0)]
        if len(idle):
            n.remove(c, idle)
            removed += len(idle)
    used: set[str] = set()
    for comp in n.components:
        if comp.name == "Bus" or comp.static.empty:
            continue
        for col in comp.static.columns:
            if col == "bus" or (col.startswith("bus") and col[3:].isdigit()):
                used.update(b for b in comp.static[col] if isinstance(b, str) and b)
    orphans = n.buses.index.difference(pd.Index(sorted(used)))
    if len(orphans):
        n.remove("Bus", orphans)
        removed += len(orphans)
    return removed


def dispatch_lp(n: pypsa.Network, scenario: Scenario) -> dict[str, Any]:
    """Dispatch all hours in one LP (fallback chain as in the design solve)."""
    report = solve_network(n, scenario)
    return {"status": report.termination, "preset": report.preset,
            "solver_s": round(report.solve_s, 2)}


def dispatch_windows(n: pypsa.Network, design: pypsa.Network,
                     scenario: Scenario) -> dict[str, Any]:
    """Dispatch the year in windows (``scenario.check``); the exact LP if they cannot.

    Level targets and shares of annual rows are penalised at half the value of lost load, so
    that no window sheds load to meet them.
    """
    cfg = scenario.check
    t0 = time.perf_counter()
    create_model(n, scenario)
    model_s = time.perf_counter() - t0
    voll = scenario.load_shedding.voll_cny_per_mwh
    options = {k: v for k, v in solver_options(cfg.preset, scenario).items()
               if k != "time_limit"}
    try:
        report = solve_windows(n, design, window_starts(len(n.snapshots), cfg.windows),
                               options, chains=cfg.chains, target_cost=0.5 * voll,
                               slack_cost=0.5 * voll)
        reason = ""
        if report.status != "optimal":
            reason = f"a window ended {report.status}"
        elif report.annual_violation:
            reason = f"annual rows not kept: {sorted(report.annual_violation)}"
        elif report.storage_deficit_mwh > DEFICIT_TOL_MWH:
            reason = f"chains borrow {report.storage_deficit_mwh:.1f} MWh of storage"
    except WindowError as err:
        report, reason = None, str(err)
    record: dict[str, Any] = {"windows": report.as_dict() if report else None,
                              "model_s": round(model_s, 2)}
    if reason:
        return {**dispatch_lp(n, scenario), **record, "fallback": reason}
    return {"status": "optimal", "preset": cfg.preset, **record,
            "solver_s": round(time.perf_counter() - t0, 2), "fallback": ""}


def start_from_design(n: pypsa.Network, design: pypsa.Network) -> pd.Series:
    """Make storage non-cyclic, starting from the design's end-of-year level [MWh]."""
    parts = []
    if not n.stores.empty:
        end = design.stores_t.e.iloc[-1].reindex(n.stores.index).fillna(0.0)
        n.stores["e_initial"] = end.clip(lower=0.0).clip(upper=n.stores.e_nom)
        n.stores["e_cyclic"] = False
        parts.append(n.stores.e_initial)
    if not n.storage_units.empty:
        su = n.storage_units
        soc = design.storage_units_t.state_of_charge
        end = soc.iloc[-1].reindex(su.index).fillna(0.0)
        su["state_of_charge_initial"] = end.clip(lower=0.0).clip(upper=su.p_nom * su.max_hours)
        su["cyclic_state_of_charge"] = False
        parts.append(su.state_of_charge_initial)
    return pd.concat(parts) if parts else pd.Series(dtype=float)


def dispatch_rolling(n: pypsa.Network, scenario: Scenario, horizon: int,
                     overlap: int) -> dict[str, Any]:
    """Dispatch in overlapping windows, carrying the state of charge."""
    n.remove("GlobalConstraint", n.global_constraints.index)
    # annual constraints cannot be split over windows: the CO2 cap is dropped (reported)
    scenario = scenario.model_copy(
        update={"co2": scenario.co2.model_copy(update={"cap_mt": None})})
    t0 = time.perf_counter()
    n.optimize.optimize_with_rolling_horizon(
        horizon=horizon,
        overlap=overlap,
        solver_name="highs",
        solver_options=solver_options(scenario.solver.preset, scenario),
        extra_functionality=extra_functionality(scenario),
        include_objective_constant=False,
        log_to_console=False,
        io_api="direct",
    )
    return {"status": "windows solved", "preset": scenario.solver.preset,
            "solver_s": round(time.perf_counter() - t0, 2), "horizon_h": horizon,
            "overlap_h": overlap}
