"""Full-year design check of an aggregated run (issue #7).

A run at a resolution coarser than 1 h chooses capacities on averaged or segmented time series;
averaging hides peaks and lets storage move energy it would not have. The check fixes every
optimised capacity (``p_nom = p_nom_opt``, ``s_nom = s_nom_opt``, ``e_nom = e_nom_opt``,
nothing extendable; fuel supplies get what their bus can draw), dispatches all hours of the
same year on the hourly network, and reports what the design misses: unserved energy, extra
operating cost and whether storage closes its balance.

Dispatch methods (:mod:`energy.optimize.check_dispatch`; ``check.method`` in the scenario):
``"windows"`` (default: the year cut into windows solved in two parallel chains, an upper
bound on the exact LP's cost, 0.21 % of the hourly system cost above it on base 2035 seg730
with 24 windows), ``"exact"`` (one LP over all
hours) and ``"rolling"`` (PyPSA's rolling horizon; annual constraints dropped). Components a
design leaves at zero capacity are removed first (:func:`energy.optimize.check_dispatch.
drop_idle`): same LP, smaller.

Load shedding is always switched on in the check, so a design that cannot serve some hour
shows unserved energy instead of an infeasible LP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network import build_network
from energy.network.carriers import co2_by_carrier
from energy.network.costs import fixed_cost_table
from energy.network.flexibility import start_up_costs
from energy.network.shedding import add_load_shedding, shedding_generators
from energy.network.supplies import largest_draw, unlimited_supplies
from energy.network.time import represent_full_year
from energy.optimize.check_dispatch import (
    dispatch_lp,
    dispatch_rolling,
    dispatch_windows,
    drop_idle,
    start_from_design,
)

logger = logging.getLogger(__name__)

Method = Literal["windows", "exact", "lp", "rolling"]


#: storage energy tolerance [MWh] for "level within bounds" and "year ends as full as it began"
STORAGE_TOL_MWH = 1.0
#: unserved energy below this is solver tolerance, not a shortfall [MWh/a]
UNSERVED_TOL_MWH = 1.0
#: shedding below this in one bus-hour is solver tolerance [MW]: an interior-point solution
#: without crossover leaves every shedding variable slightly above zero (measured on the exact
#: check of base 2035: about 1e-5 MW in each of ~260,000 bus-hours, 4 MWh/a in all, which the
#: windowed check of the same design -- a simplex vertex -- shows as exactly zero)
SHED_TOL_MW = 1e-3


def hourly_scenario(scenario: Scenario) -> Scenario:
    """The scenario at 1 h with load shedding on (the check's dispatch problem).

    Parameters
    ----------
    scenario : Scenario
        The aggregated scenario.

    Returns
    -------
    Scenario
        Same year, inputs, ``snapshots_limit`` and operating policies; ``resolution='1h'``;
        shedding enabled; the reserve margin (a constraint on capacities, which the check
        fixes) switched off.
    """
    shedding = scenario.load_shedding.model_copy(update={"enabled": True})
    update: dict[str, Any] = {"resolution": "1h", "load_shedding": shedding}
    policy = getattr(scenario, "policy", None)
    if policy is not None and getattr(policy, "reserve_margin", None) is not None:
        update["policy"] = policy.model_copy(update={"reserve_margin": None})
    return scenario.model_copy(update=update)


def fix_capacities(n: pypsa.Network, design: pypsa.Network | Mapping[str, pd.Series]) -> int:
    """Fix every extendable capacity of ``n`` to the optimum of ``design``, in place.

    Fuel supplies (:func:`unlimited_supplies`) are not capacities the design chose: each gets
    the larger of the design's value and what its bus can draw at most (:func:`largest_draw`),
    so it never binds.

    Parameters
    ----------
    n : pypsa.Network
        The hourly network (same component names as ``design``).
    design : pypsa.Network or mapping
        The solved aggregated network, whose ``*_nom_opt`` are the design [MW] / [MWh]; or
        the capacities themselves, component (``"Generator"`` ...) to a series by name
        [MW] / [MWh] (a pathway period's, :func:`energy.optimize.pathway_check.
        period_capacities`).

    Returns
    -------
    int
        Number of capacities fixed.

    Raises
    ------
    ValueError
        An extendable component of ``n`` that ``design`` does not have.
    """
    fixed = 0
    supplies = unlimited_supplies(n)  # before they are fixed: they are extendable now
    for component, attr in nominal_attrs.items():
        static = n.components[component].static
        if static.empty:
            continue
        ext = static.index[static[f"{attr}_extendable"]]
        if ext.empty:
            continue
        optimum = (design[component] if isinstance(design, Mapping)
                   else design.components[component].static[f"{attr}_opt"])
        missing = ext.difference(optimum.index)
        if not missing.empty:
            raise ValueError(f"design lacks {component} {list(missing)[:5]}")
        # a capacity at the solver's tolerance below zero is zero
        static.loc[ext, attr] = optimum[ext].clip(lower=0.0)
        static.loc[ext, f"{attr}_extendable"] = False
        if component == "Generator":  # still what the model built: the clean export's "new"
            # sources (energy.network.export.clean_sources) are extendable or candidates
            if "candidate" not in static:
                static["candidate"] = ""
            unnamed = ext[static.loc[ext, "candidate"].fillna("").astype(str) == ""]
            static.loc[unnamed, "candidate"] = unnamed
        fixed += len(ext)
    if len(supplies):  # after every other capacity is fixed: what their buses can draw
        g = n.generators
        draw = largest_draw(n, pd.Index(g.bus[supplies].unique()))
        g.loc[supplies, "p_nom"] = g.p_nom[supplies].clip(lower=g.bus[supplies].map(draw))
    # limits on expansion (e.g. the corridor's minimum size) have nothing left to act on: with
    # no extendable asset PyPSA would write them as 0 >= minimum, an infeasible row
    gc = n.global_constraints
    expansion = gc.index[gc.type.str.startswith("tech_capacity_expansion_limit")]
    if len(expansion):
        n.remove("GlobalConstraint", expansion)
    _sync_chp_meta(n)
    return fixed


def _sync_chp_meta(n: pypsa.Network) -> None:
    """Mark CHP pairs of ``n.meta['chp']`` as fixed where their power link now is."""
    meta = dict(n.meta or {})
    if not meta.get("chp"):
        return
    extendable = n.links.p_nom_extendable
    meta["chp"] = [{**rec, "extendable": bool(extendable.get(rec["power"], False))}
                   for rec in meta["chp"]]
    n.meta = meta


def _storage_levels(n: pypsa.Network) -> tuple[pd.DataFrame, pd.Series]:
    """Hourly storage levels [MWh] and their upper bounds [MWh] of Stores and StorageUnits."""
    frames, caps = [], []
    if not n.stores.empty:
        frames.append(n.stores_t.e)
        caps.append(n.stores.e_nom * n.get_switchable_as_dense("Store", "e_max_pu").max())
    if not n.storage_units.empty:
        su = n.storage_units
        frames.append(n.storage_units_t.state_of_charge)
        caps.append(su.p_nom * su.max_hours)
    if not frames:
        return pd.DataFrame(index=n.snapshots), pd.Series(dtype=float)
    return pd.concat(frames, axis=1), pd.concat(caps)


def storage_check(n: pypsa.Network, initial: pd.Series | None) -> dict[str, Any]:
    """Check the dispatched storage levels of the hourly network.

    Parameters
    ----------
    n : pypsa.Network
        The dispatched hourly network.
    initial : pandas.Series or None
        Level before the first hour [MWh] (rolling horizon); ``None`` when storage is cyclic
        (the LP), where the last hour's level is the first hour's predecessor.

    Returns
    -------
    dict
        ``storage_feasible`` (levels within [0, capacity] and the year ends at least as
        full as it began), ``storage_deficit_mwh`` (energy borrowed from the next year
        [MWh]) and ``storage_bound_violation_mwh`` [MWh].
    """
    levels, caps = _storage_levels(n)
    if levels.empty:
        return {"storage_feasible": True, "storage_deficit_mwh": 0.0,
                "storage_bound_violation_mwh": 0.0}
    over = float((levels - caps[levels.columns]).max().max())
    under = float(-levels.min().min())
    violation = max(over, under, 0.0)
    if initial is None:
        deficit = 0.0
    else:
        deficit = float((initial[levels.columns] - levels.iloc[-1]).clip(lower=0.0).sum())
    feasible = violation <= STORAGE_TOL_MWH and deficit <= STORAGE_TOL_MWH
    return {"storage_feasible": bool(feasible), "storage_deficit_mwh": round(deficit, 3),
            "storage_bound_violation_mwh": round(violation, 3)}


def _operating_cost(n: pypsa.Network) -> float:
    """Annual operating cost (fuel, VOM, imports, load shedding, start-ups ...) [CNY/a]."""
    return float(n.statistics.opex(nice_names=False).sum() + start_up_costs(n).sum())


def check_network(scenario: Scenario, inputs: Inputs, profiles: Any,
                  hourly: pypsa.Network | None = None) -> pypsa.Network:
    """The check's hourly network: the scenario at 1 h with load shedding.

    Parameters
    ----------
    scenario : Scenario
        The aggregated run's scenario.
    inputs, profiles
        Validated network_data tables and hourly profiles (used when ``hourly`` is None).
    hourly : pypsa.Network, optional
        The hourly network the design was aggregated from (:func:`energy.network.build.
        build_hourly` of ``scenario``, not modified since); used in place, saving a build.
    """
    check = hourly_scenario(scenario)
    if hourly is None:
        return build_network(check, inputs, profiles)
    add_load_shedding(hourly, check)  # where the build has not added it already
    represent_full_year(hourly)
    return hourly


def verify_design(
    n_solved: pypsa.Network,
    scenario: Scenario,
    inputs: Inputs,
    profiles: Any,
    method: Method | None = None,
    horizon: int = 24 * 14,
    overlap: int = 48,
    hourly: pypsa.Network | None = None,
) -> dict[str, Any]:
    """Dispatch the full year hourly with the aggregated run's capacities fixed.

    Builds the hourly network of the same scenario (:func:`check_network`) and runs
    :func:`check_design` on it.

    Parameters
    ----------
    n_solved : pypsa.Network
        The solved aggregated network (the design).
    scenario : Scenario
        The aggregated run's scenario (its ``snapshots_limit`` is kept).
    inputs : Inputs
        Validated network_data tables.
    profiles : energy.profiles.Profiles
        Hourly profiles.
    method : {"windows", "exact", "rolling"}, optional
        How to dispatch the year (see module docstring); default ``scenario.check.method``.
    horizon, overlap : int
        Window length and overlap of the rolling horizon [h].
    hourly : pypsa.Network, optional
        The unmodified hourly network the design was built from (see :func:`check_network`).

    Returns
    -------
    dict
        See :func:`check_design`; ``seconds`` includes building the hourly network [s].
    """
    t0 = time.perf_counter()
    check = hourly_scenario(scenario)
    n = check_network(scenario, inputs, profiles, hourly)
    t_build = time.perf_counter() - t0
    result = check_design(n, n_solved, check, method, horizon, overlap)
    result["build_s"] = round(t_build, 2)
    result["seconds"] = round(time.perf_counter() - t0, 2)
    logger.info("design check (%s): unserved %.1f MWh, extra cost %.4g CNY/a, %.1f s",
                result["method"], result["unserved_energy_mwh"],
                result["extra_cost_cny_per_a"], result["seconds"])
    return result


def _shedding(n: pypsa.Network) -> pd.DataFrame:
    """Load shed per snapshot and shedding generator [MW] (electricity, heat or gas).

    Values below :data:`SHED_TOL_MW` are the solver's tolerance and count as zero.
    """
    shed = shedding_generators(n)
    p = n.generators_t.p.reindex(columns=shed, fill_value=0.0)
    return p.where(p >= SHED_TOL_MW, 0.0)


def _unserved(n: pypsa.Network) -> pd.Series:
    """Load shed in each snapshot, all energy carriers together [MW]."""
    return _shedding(n).sum(axis=1)


def _unserved_by_carrier(n: pypsa.Network) -> dict[str, float]:
    """Annual unserved energy per bus carrier (AC, heat, gas ...) [MWh/a]."""
    shed = _shedding(n)
    energy = shed.multiply(n.snapshot_weightings.generators, axis=0).sum()
    carrier = n.generators.bus.reindex(shed.columns).map(n.buses.carrier)
    return {str(k): round(float(v), 3) for k, v in energy.groupby(carrier).sum().items()}


def check_design(
    n: pypsa.Network,
    design: pypsa.Network,
    scenario: Scenario,
    method: Method | None = None,
    horizon: int = 24 * 14,
    overlap: int = 48,
) -> dict[str, Any]:
    """Fix the design's capacities on an hourly network and dispatch it; report the gaps.

    Parameters
    ----------
    n : pypsa.Network
        The hourly network of the same scenario (modified in place: capacities fixed,
        dispatched). It should have load shedding (the carrier with role ``unserved``).
    design : pypsa.Network
        The solved aggregated network.
    scenario : Scenario
        Solver preset and options, operating policies and the CO2 cap of the check.
    method : {"windows", "exact", "rolling"}, optional
        See the module docstring (``"lp"`` is ``"exact"``); default ``scenario.check.method``.
    horizon, overlap : int
        Window length and overlap of the rolling horizon [h].

    Returns
    -------
    dict
        ``unserved_energy_mwh`` [MWh/a] (all carriers) and ``unserved_by_carrier_mwh`` (per
        bus carrier: AC, heat, gas) [MWh/a], ``unserved_peak_mw`` [MW], ``unserved_hours``
        [h], ``design_unserved_energy_mwh`` [MWh/a] (in the aggregated run),
        ``operating_cost_cny_per_a`` (hourly dispatch) and ``design_operating_cost_cny_per_a``
        [CNY/a], ``extra_cost_cny_per_a`` (their difference) [CNY/a], ``extra_cost_rel`` (over
        the design's system cost) [p.u.] -- all of them over every component of the network,
        the zone and the rest of Shanxi alike (the zone's own ``system_cost`` in summary.json
        is a narrower account, so do not divide one by the other),
        ``system_cost_hourly_cny_per_a`` (the design's annualised capital cost and fixed O&M
        plus its hourly operating cost: what the plan costs over the real year, and an upper
        bound on the 1 h optimum) [CNY/a],
        ``co2_t_per_a`` [t/a] and
        ``co2_cap_t_per_a``,
        ``storage_feasible`` with its figures, ``passed`` (no unserved energy beyond
        :data:`UNSERVED_TOL_MWH` and storage feasible), ``method`` (the one that dispatched:
        ``"windows"`` falls back to ``"exact"``, saying why in ``fallback``), solver details
        (``windows``: the windowed run), ``capacities_fixed``, ``idle_removed``, ``snapshots``
        and ``seconds`` [s].
    """
    method = scenario.check.method if method is None else method
    method = "exact" if method == "lp" else method
    if method not in ("windows", "exact", "rolling"):
        raise ValueError(f"method must be 'windows', 'exact' or 'rolling', got {method!r}")
    t0 = time.perf_counter()
    fixed = fix_capacities(n, design)
    idle = drop_idle(n)
    initial = None
    if method == "exact":
        solver = dispatch_lp(n, scenario)
    elif method == "windows":
        solver = dispatch_windows(n, design, scenario)
        if solver["fallback"]:
            method = "exact"
    else:
        initial = start_from_design(n, design)
        solver = dispatch_rolling(n, scenario, horizon, overlap)

    shed = _unserved(n)
    unserved = float(shed @ n.snapshot_weightings.generators)
    design_unserved = float(_unserved(design) @ design.snapshot_weightings.generators)
    cost = _operating_cost(n)
    design_cost = _operating_cost(design)
    design_fixed = fixed_cost_table(design)
    design_system_cost = design_cost + float(design_fixed["capex"].sum()
                                             + design_fixed["fom"].sum())
    storage = storage_check(n, initial)
    return {
        "method": method,
        "snapshots": len(n.snapshots),
        "passed": bool(unserved <= UNSERVED_TOL_MWH and storage["storage_feasible"]),
        "unserved_energy_mwh": round(unserved, 3),
        "unserved_by_carrier_mwh": _unserved_by_carrier(n),
        "unserved_peak_mw": round(float(shed.max()), 3),
        "unserved_hours": int((shed > SHED_TOL_MW).sum()),
        "design_unserved_energy_mwh": round(design_unserved, 3),
        "operating_cost_cny_per_a": round(cost, 0),
        "design_operating_cost_cny_per_a": round(design_cost, 0),
        "extra_cost_cny_per_a": round(cost - design_cost, 0),
        "extra_cost_rel": round((cost - design_cost) / abs(design_system_cost), 6),
        "system_cost_hourly_cny_per_a": round(design_system_cost + cost - design_cost, 0),
        "co2_t_per_a": round(float(co2_by_carrier(n).sum()), 0),
        "co2_cap_t_per_a": None if scenario.co2.cap_mt is None else scenario.co2.cap_mt * 1e6,
        **storage,
        "capacities_fixed": fixed,
        "idle_removed": idle,
        **solver,
        "seconds": round(time.perf_counter() - t0, 2),
    }
