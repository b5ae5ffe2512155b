"""Why a model is infeasible, in one sentence a planner can act on.

Two steps, cheapest first:

1. **Load shedding.** When the scenario does not allow shedding, the same scenario is built
   again with shedding at the value of lost load and solved. If that solves, the answer is where
   and when demand cannot be met (bus, energy, the first and the worst snapshot) and which
   global constraints bind (e.g. the CO2 cap).
2. **HiGHS's irreducible infeasible subset (IIS).** Otherwise (shedding was on, or does not
   help: an export obligation, a minimum capacity) HiGHS computes a subset of constraints that
   cannot hold together; the answer names its constraint groups with their buses/components
   and snapshots.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pandas as pd
import pypsa

from energy.config import Scenario
from energy.network.shedding import shedding_generators
from energy.optimize.errors import SolveError

logger = logging.getLogger(__name__)

#: time HiGHS may spend on the IIS [s]
IIS_TIME_LIMIT_S = 60.0


def _shedding_report(n: pypsa.Network) -> str:
    shed = shedding_generators(n)
    p = n.generators_t.p[shed]
    w = n.snapshot_weightings.generators
    energy = p.multiply(w, axis=0).sum()
    if energy.sum() <= 1e-3:
        return ""
    by_bus = energy.groupby(n.generators.bus[shed]).sum().sort_values(ascending=False)
    hours = p.sum(axis=1)
    first, worst = hours[hours > 1e-3].index[0], hours.idxmax()
    buses = ", ".join(f"{b} {v:,.0f} MWh" for b, v in by_bus.head(3).items() if v > 1e-3)
    text = (f"demand cannot be met: with load shedding allowed the model sheds "
            f"{energy.sum():,.0f} MWh/a ({buses}), from {first} on, at most "
            f"{hours.max():,.0f} MW at {worst}")
    gc = n.global_constraints
    if not gc.empty and "mu" in gc:
        binding = gc.index[gc.mu.abs() > 1e-6].tolist()
        if binding:
            text += f"; binding: {', '.join(binding)}"
    return text


def _label(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value)
    return str(value)


def iis_summary(n: pypsa.Network, limit: float = IIS_TIME_LIMIT_S) -> str:
    """The constraint groups of HiGHS's IIS of the network's last (infeasible) solve.

    Returns
    -------
    str
        ``"conflict (HiGHS IIS): <group> (<n>: <first members>) ..."``, or ``""`` when HiGHS
        could not compute one within ``limit`` seconds.
    """
    model = getattr(n, "model", None)
    h = getattr(model, "solver_model", None)
    if h is None:
        return ""
    try:
        h.setOptionValue("iis_strategy", 2)  # elastic LP: works on any LP
        h.setOptionValue("iis_time_limit", float(limit))
        status, iis = h.getIis()
    except (AttributeError, RuntimeError) as err:  # pragma: no cover - older highspy
        logger.info("no IIS: %s", err)
        return ""
    if not iis.valid_ or not len(iis.row_index_):
        return ""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in iis.row_index_:
        name, coords = model.constraints.get_label_position(int(row))
        if name is None:
            continue
        groups[name].append(", ".join(_label(v) for v in (coords or {}).values()))
    if not groups:
        return ""
    # global (one-row) constraints first: they are what a setting changes
    ordered = sorted(groups.items(), key=lambda kv: (len(kv[1]), kv[0]))
    parts = []
    for name, members in ordered[:6]:
        shown = "; ".join(members[:2]) + (" ..." if len(members) > 2 else "")
        parts.append(f"{name} ({len(members)}: {shown})" if shown else f"{name} ({len(members)})")
    more = f" and {len(ordered) - 6} more groups" if len(ordered) > 6 else ""
    return "conflicting constraints (HiGHS IIS): " + ", ".join(parts) + more


def diagnose_infeasible(n: pypsa.Network, scenario: Scenario,
                        rebuild: Callable[[Scenario], pypsa.Network],
                        solve: Callable[[pypsa.Network, Scenario], Any]) -> str:
    """One sentence on why ``n`` (just found infeasible) is infeasible.

    Parameters
    ----------
    n : pypsa.Network
        The network whose solve was infeasible (its linopy model is still attached).
    scenario : Scenario
        Its scenario.
    rebuild : callable
        Builds the network of a scenario (used with load shedding switched on).
    solve : callable
        Solves a network (:func:`energy.optimize.highs.solve_presets`).

    Returns
    -------
    str
        The diagnosis, or a hint when neither step finds one.
    """
    if not scenario.load_shedding.enabled:
        relaxed = scenario.model_copy(update={
            "load_shedding": scenario.load_shedding.model_copy(update={"enabled": True})})
        try:
            m = rebuild(relaxed)
            solve(m, relaxed)
        except SolveError:
            pass
        else:
            text = _shedding_report(m)
            if text:
                return text
    text = iis_summary(n)
    return text or ("no diagnosis found; check the CO2 cap, the export obligation and the "
                    "technologies allowed to expand")
