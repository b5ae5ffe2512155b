"""Full-year check of each pathway period's design (issue #20 item 2).

A pathway chooses its capacities on aggregated time (``seg<N>`` segments of the weather year,
or ``<k>h``). As for a single year (:mod:`energy.optimize.design_check`), each milestone
year's design is then dispatched over all 8,760 hours of that year:

1. what stands in the year: every asset of the solved pathway active in it (existing, built
   in this or an earlier period and not retired), summed by site (the custom attribute
   ``candidate``: a perfect-foresight candidate is one asset per build year, a myopic one is
   carried forward as ``"<name> <year>"``) -- :func:`period_capacities`;
2. that year's network at the pathway's resolution (the perfect-foresight segmentation is
   the shared one of :func:`energy.optimize.pathway.aggregate_years`) with those capacities
   fixed, dispatched with load shedding on and the check's preset (dual simplex by
   default): the period's design as a single-year solution, whose storage levels the
   windowed check starts from;
3. :func:`energy.optimize.design_check.verify_design` on that year's hourly network.

The result per period is the single-year check's record (unserved energy, extra operating
cost, storage feasibility, ``passed``), plus the capacity the pathway built on sites the
year's network does not offer (``capacity_not_placed``; none in the shipped data).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network.build import represent_full_year
from energy.network.shedding import add_load_shedding
from energy.optimize.design_check import fix_capacities, hourly_scenario, verify_design
from energy.optimize.highs import solve_presets
from energy.optimize.pathway import aggregate_years, build_years, year_scenario

logger = logging.getLogger(__name__)

#: capacity below this is solver noise, not something built [MW] / [MWh]
BUILT_TOL = 1e-3


def _site(static: pd.DataFrame) -> pd.Series:
    """Each asset's site: its ``candidate`` where set, else its own name."""
    if "candidate" not in static:
        return static.index.to_series(index=static.index)
    site = static["candidate"].fillna("").astype(str)
    return site.where(site != "", static.index.to_series(index=static.index))


def _active(n: pypsa.Network, component: str, year: int) -> pd.Series:
    """Whether each asset of ``component`` stands in ``year``."""
    static = n.components[component].static
    if len(n.investment_periods):
        return n.components[component].get_active_assets(year).reindex(static.index,
                                                                       fill_value=False)
    build = static["build_year"].astype(float)
    return (build <= year) & (build + static["lifetime"].astype(float) > year)


def period_capacities(n: pypsa.Network, year: int) -> dict[str, pd.Series]:
    """Capacity standing in ``year`` by site, from a solved pathway network.

    Parameters
    ----------
    n : pypsa.Network
        The solved multi-period network (perfect foresight) or the year's solved network
        (myopic, with the earlier periods' builds carried in as ``"<name> <year>"``).
    year : int
        Milestone year.

    Returns
    -------
    dict of str to pandas.Series
        Component (``"Generator"``, ``"Link"``, ``"StorageUnit"``, ``"Store"``, ``"Line"``) to
        the summed optimum (``p_nom_opt``, ``e_nom_opt``, ``s_nom_opt``) of its active assets
        by site [MW] / [MWh].
    """
    out = {}
    for component, attr in nominal_attrs.items():
        static = n.components[component].static
        if static.empty or f"{attr}_opt" not in static:
            out[component] = pd.Series(dtype=float)
            continue
        active = _active(n, component, year)
        values = static.loc[active, f"{attr}_opt"].astype(float).clip(lower=0.0)
        out[component] = values.groupby(_site(static)[active]).sum()
    return out


def _extendable(n: pypsa.Network) -> dict[str, pd.Index]:
    return {c: n.components[c].static.index[n.components[c].static[f"{a}_extendable"]]
            if not n.components[c].static.empty else pd.Index([])
            for c, a in nominal_attrs.items()}


def not_placed(capacities: dict[str, pd.Series], design: pypsa.Network) -> dict[str, float]:
    """Capacity standing in the year on sites the year's network has no asset for.

    :func:`fix_period` sizes the year's extendable assets by site, and an existing asset keeps
    the capacity its data give it; capacity on any other site (a perfect-foresight build, or a
    myopic one carried forward as ``"<name> <year>"``, whose site the year's network no longer
    lists) would be left out of the check, so it is reported and fails the period.

    Parameters
    ----------
    capacities : dict of str to pandas.Series
        What stands in the year by site (:func:`period_capacities`) [MW] / [MWh].
    design : pypsa.Network
        The year's own network.

    Returns
    -------
    dict
        ``"<component>:<site>"`` to capacity [MW] / [MWh], for sites above :data:`BUILT_TOL`
        that ``design`` has no asset of that name for.
    """
    missing: dict[str, float] = {}
    for component in nominal_attrs:
        present = design.components[component].static.index
        for site, value in capacities[component].items():
            if value > BUILT_TOL and site not in present:
                missing[f"{component}:{site}"] = round(float(value), 3)
    return missing


def fix_period(design: pypsa.Network, capacities: dict[str, pd.Series]) -> int:
    """Fix the extendable capacities of a year's network to a period's, in place.

    A site the pathway did not build gets 0. Returns the number of capacities fixed.
    """
    sized = {c: capacities[c].reindex(names, fill_value=0.0)
             for c, names in _extendable(design).items()}
    return fix_capacities(design, sized)


def check_periods(scenario: Scenario, inputs: Inputs, profiles: Any,
                  solved: pypsa.Network | dict[int, pypsa.Network],
                  hourly: dict[int, pypsa.Network] | None = None) -> dict[str, Any]:
    """Dispatch every hour of each milestone year with that period's design fixed.

    Parameters
    ----------
    scenario : Scenario
        The pathway scenario (resolution coarser than 1 h).
    inputs, profiles
        Validated network_data tables and hourly profiles.
    solved : pypsa.Network or dict of int to pypsa.Network
        The solved pathway (:func:`energy.optimize.pathway.solve_pathway`).
    hourly : dict of int to pypsa.Network, optional
        Each year's hourly network as the pathway was built from
        (:func:`energy.optimize.pathway.build_years`); built here when not given. The
        networks are changed (capacities fixed, load shedding added); the dict is not.

    Returns
    -------
    dict
        ``passed`` (every period), ``unserved_energy_mwh`` (summed over periods) [MWh/a],
        ``method``, ``seconds`` [s] and ``periods``: year (as a string) to the single-year
        check's record (:func:`energy.optimize.design_check.check_design`) with
        ``design_solve_s`` [s], ``design_preset`` (the preset that dispatched the period's
        design at the pathway's resolution) and ``capacity_not_placed``.
    """
    t0 = time.perf_counter()
    years = sorted(scenario.pathway.years)
    foresight = scenario.pathway.mode == "perfect_foresight"
    hourly = dict(hourly) if hourly is not None else build_years(scenario, inputs, profiles)
    designs = aggregate_years(hourly, scenario, shared=foresight)
    periods: dict[str, Any] = {}
    for y in years:
        scenario_y = year_scenario(scenario, y)
        # the design as one year: shedding on (a design short of capacity shows it), no
        # reserve margin (a row on capacities, all fixed here)
        # with the check's own preset (dual simplex by default): capacities fixed, this LP is
        # a dispatch (pathway 2035 at seg1095: 6.2 s against 22 s with the pathway's
        # hipo-choose, same objective to 1e-6)
        hourly_y = hourly_scenario(scenario_y)
        solver = hourly_y.solver.model_copy(update={"preset": scenario.check.preset})
        dispatch = hourly_y.model_copy(update={"resolution": scenario.resolution,
                                               "solver": solver})
        design = designs.pop(y)
        represent_full_year(design)
        add_load_shedding(design, dispatch)  # where the build has not added it already
        pathway = solved if foresight else solved[y]
        capacities = period_capacities(pathway, y)
        missing = not_placed(capacities, design)
        fix_period(design, capacities)
        t1 = time.perf_counter()
        report = solve_presets(design, dispatch)
        t2 = time.perf_counter()
        result = verify_design(design, scenario_y, inputs, profiles, hourly=hourly.pop(y))
        result["design_solve_s"] = round(t2 - t1, 2)
        result["design_preset"] = report.preset
        result["capacity_not_placed"] = missing
        if missing:
            result["passed"] = False
        periods[str(y)] = result
        logger.info("pathway check %s: %s, unserved %.1f MWh, extra %.4g CNY/a", y,
                    "passed" if result["passed"] else "FAILED", result["unserved_energy_mwh"],
                    result["extra_cost_cny_per_a"])
    return {
        "passed": all(r["passed"] for r in periods.values()),
        "unserved_energy_mwh": round(sum(r["unserved_energy_mwh"] for r in periods.values()), 3),
        "method": ",".join(sorted({r["method"] for r in periods.values()})),
        "seconds": round(time.perf_counter() - t0, 2),
        "periods": periods,
    }
