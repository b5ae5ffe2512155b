"""Screen, prune and price: an exact hourly optimum without the candidates nobody builds.

An hourly expansion LP carries every candidate technology in every hour, although most are
never built. Their dispatch columns cost interior-point iterations (benchmarks/README.md):
base at 1 h takes 1,226 s with all candidates and 273 s without the unused ones. This module
removes them *without changing the answer*, by column generation:

1. **Screen.** Solve a time-aggregated copy (``solver.screen_resolution``) and find the
   candidate groups it leaves unbuilt. A *candidate* is an extendable generator, link, store or
   storage unit whose minimum size is 0; a *group* is the candidates that only work together:
   those sharing a bus nothing else attaches to (a battery: store, charger, discharger and
   their bus) and the two links of a CHP plant.
2. **Solve** the hourly network without those groups.
3. **Price** them against the hourly duals. For every column of the full model that the
   restricted model lacks, the reduced cost is ``d = c - A^T y`` with ``y`` the restricted
   duals mapped to the full model's rows by constraint name and coordinates. A small LP over
   those columns and the rows only they appear in (their own capacity, energy-balance and
   bus rows), with each capacity capped at 1 MW (MWh), finds the most profitable way to run
   each group. If no group earns more than ``solver.screening_tolerance`` per MW, the
   restricted solution with the pruned groups at zero is optimal for the full LP (their
   reduced costs are dual feasible); otherwise the profitable groups go back and step 2
   repeats, at most ``solver.screening_rounds`` times, before a plain full solve.

The solution is written back into the full network, pruned components at zero, so results
list every candidate as usual.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pypsa

from energy.config import Scenario
from energy.network.chp import chp_pairs
from energy.network.time import set_resolution
from energy.optimize.errors import InfeasibleError
from energy.optimize.highs import SolveReport
from energy.optimize.pricing import CAPACITY, PricingError, price_pruned

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

_BUS_COLUMN = re.compile(r"^bus\d*$")


@dataclass
class ScreeningReport:
    """What the screen, prune and price steps did.

    Attributes
    ----------
    screen_resolution : str
        Resolution of the screening solve.
    candidates, groups : int
        Candidate components and the groups they form.
    pruned : list of str
        Groups left out of the final hourly solve (named by their first member).
    readded : dict
        Groups the pricing step found profitable and put back, with their profit
        [CNY/a per MW] (``"unbounded"`` when a pruned column had no limit).
    rounds : int
        Hourly solves (1 = the pruned solve was already optimal).
    max_profit_cny_per_mw : float
        Largest profit any pruned group could earn per MW (MWh) of capacity at the final duals
        [CNY/a per MW]; at most ``tolerance`` when the solve is accepted.
    tolerance_cny_per_mw : float
        Profit below which a pruned group counts as not worth building [CNY/a per MW].
    screen_s, pricing_s : float
        Wall time of the screening solve and of all pricing steps [s].
    pricing_lp_s : float
        Of ``pricing_s``, HiGHS's time on the pricing LPs [s].
    fallback : str
        Why a plain full solve was used instead, or ``""``.
    """

    screen_resolution: str = ""
    candidates: int = 0
    groups: int = 0
    pruned: list[str] = field(default_factory=list)
    readded: dict[str, float | str] = field(default_factory=dict)
    rounds: int = 0
    max_profit_cny_per_mw: float = 0.0
    tolerance_cny_per_mw: float = 0.0
    screen_s: float = 0.0
    pricing_s: float = 0.0
    pricing_lp_s: float = 0.0
    fallback: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``summary.json``."""
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in vars(self).items()}


def _bus_columns(static: pd.DataFrame) -> list[str]:
    return [c for c in static.columns if _BUS_COLUMN.match(c)]


def candidate_groups(n: pypsa.Network) -> tuple[pd.Series, dict[int, list[str]]]:
    """Candidate components and the groups they form.

    Parameters
    ----------
    n : pypsa.Network
        The network before solving.

    Returns
    -------
    members : pd.Series
        Group id, indexed by (component type, name) of every candidate.
    buses : dict
        Group id -> the buses only that group attaches to (removed with it).
    """
    keys: list[tuple[str, str]] = []
    for c, attr in CAPACITY.items():
        static = n.components[c].static
        if static.empty:
            continue
        cand = static[static[f"{attr}_extendable"] & (static[f"{attr}_min"] == 0)]
        keys += [(c, name) for name in cand.index]
    is_candidate = set(keys)
    # every attachment (bus, component) of the network
    attached: dict[str, list[tuple[str, str]]] = {}
    for comp in n.components:
        if comp.name == "Bus" or comp.static.empty:
            continue
        for col in _bus_columns(comp.static):
            for name, bus in comp.static[col].items():
                if isinstance(bus, str) and bus:
                    attached.setdefault(bus, []).append((comp.name, name))
    internal = {bus: comps for bus, comps in attached.items()
                if all(k in is_candidate for k in comps)}
    # union-find over candidates joined by internal buses and CHP pairs
    parent = {k: k for k in keys}

    def find(k: tuple[str, str]) -> tuple[str, str]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: tuple[str, str], b: tuple[str, str]) -> None:
        parent[find(a)] = find(b)

    for comps in internal.values():
        for other in comps[1:]:
            union(comps[0], other)
    for pair in chp_pairs(n):
        a, b = ("Link", pair["power"]), ("Link", pair["heat"])
        if a in parent and b in parent:
            union(a, b)
    roots = {k: find(k) for k in keys}
    ids = {root: i for i, root in enumerate(dict.fromkeys(roots.values()))}
    members = pd.Series({k: ids[r] for k, r in roots.items()}, dtype=int)
    members.index = pd.MultiIndex.from_tuples(members.index, names=["component", "name"])
    buses: dict[int, list[str]] = {}
    for bus, comps in internal.items():
        buses.setdefault(int(members[comps[0]]), []).append(bus)
    return members, buses


def unbuilt_groups(members: pd.Series, screened: pypsa.Network, tol: float) -> set[int]:
    """Groups whose every member the screening solve left below ``tol`` [MW or MWh]."""
    built: set[int] = set()
    for (c, name), group in members.items():
        size = float(screened.components[c].static.at[name, f"{CAPACITY[c]}_opt"])
        if size > tol:
            built.add(int(group))
    return set(members.unique().tolist()) - built


def group_label(members: pd.Series, group: int) -> str:
    """A readable name of a group: its first member, and how many more it has."""
    names = [name for (_, name), g in members.items() if g == group]
    return names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1})"


def restrict(n: pypsa.Network, members: pd.Series, buses: dict[int, list[str]],
             pruned: set[int]) -> pypsa.Network:
    """A copy of ``n`` without the pruned groups (and the buses only they used)."""
    r = n.copy()
    drop = members[members.isin(pruned)]
    for c, names in drop.groupby(level="component"):
        r.remove(c, list(names.index.get_level_values("name")))
    gone = [bus for g in pruned for bus in buses.get(g, [])]
    if gone:
        r.remove("Bus", gone)
    return r


def copy_solution(full: pypsa.Network, restricted: pypsa.Network) -> None:
    """Write the restricted solution into ``full``.

    Pruned components get zero capacity and dispatch, and the buses only they used a zero
    price (nothing there is produced or consumed).
    """
    for comp in full.components:
        if comp.static.empty:
            continue
        source = restricted.components[comp.name]
        outputs = comp.defaults.index[comp.defaults.status.str.startswith("Output")]
        # plus series of the model's own variables (Link-committed, Link-reserve ...)
        custom = [a for a in source.dynamic if a not in comp.defaults.index]
        for attr in [*outputs, *custom]:
            if (attr in comp.static.columns and attr in source.static.columns
                    and pd.api.types.is_numeric_dtype(source.static[attr])):
                comp.static[attr] = source.static[attr].reindex(comp.static.index,
                                                                fill_value=0.0)
            if attr in source.dynamic and not source.dynamic[attr].empty:
                comp.dynamic[attr] = source.dynamic[attr].reindex(columns=comp.static.index,
                                                                  fill_value=0.0)
    full._objective = restricted.objective  # PyPSA keeps the optimum there (no setter)
    full._objective_constant = restricted.objective_constant


def _staged(attempts: list[dict[str, Any]], stage: str) -> list[dict[str, Any]]:
    return [{"stage": stage, **a} for a in attempts]


def screen_network(n: pypsa.Network, resolution: str) -> pypsa.Network:
    """A time-aggregated copy of the hourly network for the screening solve."""
    return set_resolution(n.copy(), resolution)


def solve_screened(n: pypsa.Network, scenario: Scenario,
                   solve: Callable[[pypsa.Network, Scenario], SolveReport],
                   ) -> tuple[SolveReport, ScreeningReport]:
    """Solve ``n`` (hourly, single period) by screen, prune and price.

    Parameters
    ----------
    n : pypsa.Network
        The hourly network; receives the solution (pruned candidates at 0).
    scenario : Scenario
        Supplies the solver settings (``solver.screen_resolution``, ``screening_tolerance``,
        ``screening_rounds``).
    solve : callable
        ``solve(network, scenario) -> SolveReport``: the plain preset-chain solve.

    Returns
    -------
    tuple
        The accepted hourly solve's report and the :class:`ScreeningReport`.
    """
    cfg = scenario.solver
    info = ScreeningReport(screen_resolution=cfg.screen_resolution,
                           tolerance_cny_per_mw=cfg.screening_tolerance)
    members, buses = candidate_groups(n)
    info.candidates, info.groups = len(members), int(members.nunique())
    if members.empty:
        info.fallback = "no candidates to screen"
        return solve(n, scenario), info
    t0 = time.perf_counter()
    screened = screen_network(n, cfg.screen_resolution)
    attempts = _staged(solve(screened, scenario).attempts, "screen")
    info.screen_s = time.perf_counter() - t0
    pruned = unbuilt_groups(members, screened, cfg.screen_build_tolerance)
    logger.info("screen at %s: %d of %d candidate groups unbuilt (%.1f s)",
                cfg.screen_resolution, len(pruned), info.groups, info.screen_s)
    del screened
    for _ in range(cfg.screening_rounds):
        if not pruned:
            break
        restricted = restrict(n, members, buses, pruned)
        try:
            report = solve(restricted, scenario)
        except InfeasibleError:
            # the hours need a group the coarse screen did without (e.g. firm capacity for a
            # reserve margin on the hourly peak): no duals to price with, so solve in full
            info.fallback = "the pruned hourly LP is infeasible"
            logger.warning("%s; solving the full model", info.fallback)
            break
        attempts += _staged(report.attempts, "pruned")
        info.rounds += 1
        t1 = time.perf_counter()
        try:
            profit = price_pruned(n, restricted, scenario, members, pruned)
        except PricingError as err:
            info.fallback = str(err)
            logger.warning("pricing failed (%s); solving the full model", err)
            break
        finally:
            info.pricing_s += time.perf_counter() - t1
        info.pricing_lp_s += profit.attrs.get("highs_s", 0.0)
        finite = profit[np.isfinite(profit)]
        info.max_profit_cny_per_mw = float(finite.max()) if len(finite) else 0.0
        profitable = set(profit.index[profit > cfg.screening_tolerance].tolist())
        logger.info("pricing round %d: %d pruned groups, largest profit %.4g CNY/a per MW",
                    info.rounds, len(pruned), info.max_profit_cny_per_mw)
        if not profitable:
            copy_solution(n, restricted)
            report.attempts = attempts
            info.pruned = [group_label(members, g) for g in sorted(pruned)]
            return report, info
        info.readded.update({
            group_label(members, g): round(float(profit[g]), 1)
            if np.isfinite(profit[g]) else "unbounded" for g in sorted(profitable)})
        pruned -= profitable
    else:
        info.fallback = info.fallback or f"still profitable after {cfg.screening_rounds} rounds"
    restricted = None  # free the last restricted network before the full LP
    report = solve(n, scenario)
    report.attempts = attempts + _staged(report.attempts, "full")
    info.pruned = []
    return report, info
