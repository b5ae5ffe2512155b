"""Pathways over the milestone years: perfect foresight and myopic.

- *Perfect foresight*: the years' hourly networks are merged into one multi-period network
  (:func:`energy.network.pathway.merge_periods`) and solved at once.
- *Myopic*: one year at a time; what a year builds is carried into the next years as existing
  capacity (retired by age), and it reduces the candidates' remaining potential.

Both report, per period, capacity, cost and emissions, and a discounted total
Σ_p w_p × (annualised capex of active assets + opex) with the same weights
(:func:`energy.network.pathway.objective_weights`), so the two modes are comparable.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.config import ConfigError, Scenario
from energy.inputs import Inputs
from energy.network.build import (
    build_hourly,
    build_network,
    represent_full_year,
    set_resolution,
)
from energy.network.pathway import (
    NOMINAL,
    input_attrs,
    merge_periods,
    objective_weights,
    rename_pairs,
)
from energy.solve import SolveReport, solve_network

logger = logging.getLogger(__name__)


def build_perfect_foresight(scenario: Scenario, inputs: Inputs, profiles: Any) -> pypsa.Network:
    """Build the multi-period network of the pathway at the scenario's resolution."""
    if scenario.resolution.startswith("seg"):
        raise ConfigError(
            "resolution: segmentation is not supported with investment periods in PyPSA 1.4; "
            "use '<n>h' for perfect foresight (or mode=myopic)"
        )
    years = sorted(scenario.pathway.years)
    nets = {y: build_hourly(scenario.model_copy(update={"year": y}), inputs, profiles)
            for y in years}
    n = merge_periods(nets, scenario.discount_rate)
    n = set_resolution(n, scenario.resolution)
    represent_full_year(n)
    return n


def _fix(static: pd.DataFrame, attr: str) -> pd.DataFrame:
    fixed = static.copy()
    fixed[attr] = fixed[f"{attr}_opt"]
    fixed[f"{attr}_extendable"] = False
    fixed[f"{attr}_min"] = 0.0
    fixed[f"{attr}_max"] = np.inf
    return fixed


def add_brownfield(n: pypsa.Network, previous: pypsa.Network, year: int) -> None:
    """Carry capacity built in ``previous`` into ``n`` as existing assets.

    Each extendable asset of ``previous`` that was built (> 1e-3 MW or MWh) and is still within
    its lifetime in ``year`` is added as a fixed asset named ``"<name> <build_year>"`` with the
    custom attribute ``candidate`` = its candidate's name; the candidate's remaining potential
    in ``n`` shrinks by the same amount. Lines keep their expanded rating.
    """
    for c in ("Generator", "Link", "Store", "StorageUnit"):
        attr = NOMINAL[c]
        old = previous.components[c].static
        if old.empty:
            continue
        built = old[old[f"{attr}_extendable"] & (old[f"{attr}_opt"] > 1e-3)]
        built = built[built.build_year + built.lifetime > year]
        if built.empty:
            continue
        fixed = _fix(built, attr)
        fixed["candidate"] = fixed.index
        names = [f"{name} {int(row.build_year)}" for name, row in fixed.iterrows()]
        d = n.components[c].defaults
        cols = [col for col in fixed.columns if col in input_attrs(n, c) or col == "candidate"]
        kwargs = {col: fixed[col].to_numpy() for col in cols}
        n.add(c, names, **kwargs)
        new = n.components[c]
        for attr_t in [a for a in d.index[d.varying] if a in previous.components[c].dynamic]:
            source = previous.components[c].dynamic[attr_t]
            mine = new.dynamic[attr_t] if attr_t in new.dynamic else pd.DataFrame(index=n.snapshots)
            for old_name, new_name in zip(fixed.index, names, strict=True):
                if old_name in mine.columns:  # same candidate this year: its own profile
                    new.dynamic[attr_t][new_name] = mine[old_name]
                elif old_name in source.columns and source.index.equals(n.snapshots):
                    new.dynamic[attr_t][new_name] = source[old_name]
        static = new.static
        for old_name in fixed.index:
            if old_name in static.index and static.at[old_name, f"{attr}_extendable"]:
                room = static.at[old_name, f"{attr}_max"] - fixed.at[old_name, attr]
                static.loc[old_name, f"{attr}_max"] = max(0.0, float(room))
        if c == "Link":
            mapping = dict(zip(fixed.index, names, strict=True))
            carried = [r for r in (previous.meta or {}).get("chp", []) if r["power"] in mapping]
            if carried:
                meta = dict(n.meta or {})
                meta["chp"] = [*meta.get("chp", []),
                               *rename_pairs(carried, mapping, extendable=False)]
                n.meta = meta
    lines = previous.lines
    for name in lines.index.intersection(n.lines.index):
        n.lines.loc[name, ["s_nom", "s_nom_min"]] = float(lines.at[name, "s_nom_opt"])


def annual_costs(n: pypsa.Network, kind: str) -> pd.Series | pd.DataFrame:
    """``n.statistics.capex()`` or ``opex()`` as annual costs [CNY/a].

    With investment periods PyPSA multiplies each period's cost by its objective weighting
    (discounted years); dividing it out gives the period's annual cost.
    """
    cost = getattr(n.statistics, kind)(nice_names=False)
    if isinstance(cost, pd.DataFrame):
        cost = cost / n.investment_period_weightings.objective.reindex(cost.columns)
    return cost


def period_costs(n: pypsa.Network) -> pd.Series:
    """Annual system cost per investment period [CNY/a] (capex of active assets + opex)."""
    total = pd.concat([annual_costs(n, "capex"), annual_costs(n, "opex")])
    if isinstance(total, pd.DataFrame):  # multi-period: one column per period
        return total.sum()
    return pd.Series({n.meta.get("year", 0): float(total.sum())})


def solve_pathway(scenario: Scenario, inputs: Inputs, profiles: Any
                  ) -> tuple[dict[int, pypsa.Network] | pypsa.Network, list[SolveReport]]:
    """Solve the pathway in the scenario's mode.

    Returns
    -------
    tuple
        The solved multi-period network (perfect foresight) or a dict year → solved network
        (myopic), and the solve reports.
    """
    years = sorted(scenario.pathway.years)
    if scenario.pathway.mode == "perfect_foresight":
        n = build_perfect_foresight(scenario, inputs, profiles)
        return n, [solve_network(n, scenario)]
    solved: dict[int, pypsa.Network] = {}
    reports = []
    previous = None
    for y in years:
        year_scenario = scenario.model_copy(update={"year": y})
        n = build_network(year_scenario, inputs, profiles)
        n.meta["year"] = y
        if previous is not None:
            add_brownfield(n, previous, y)
        reports.append(solve_network(n, year_scenario))
        solved[y] = previous = n
    return solved, reports


def discounted_total(costs: pd.Series, scenario: Scenario) -> float:
    """Σ over periods of objective weight × annual cost [CNY] (weights as in the LP)."""
    weights = objective_weights(sorted(scenario.pathway.years), scenario.discount_rate)
    return float(sum(weights[int(p)] * float(v) for p, v in costs.items()))


def _long(obj: pd.Series | pd.DataFrame, value: str, period: int | None) -> pd.DataFrame:
    """A statistics result as a long table with a ``period`` column."""
    if isinstance(obj, pd.DataFrame):
        frame = obj.rename_axis(columns="period").stack().rename(value).reset_index()
    else:
        frame = obj.rename(value).reset_index().assign(period=period)
    return frame


def period_tables(solved: dict[int, pypsa.Network] | pypsa.Network) -> dict[str, pd.DataFrame]:
    """Per-period capacity [MW], cost [CNY/a], emissions [t/a] and energy balance [MWh/a]."""
    nets = solved if isinstance(solved, dict) else {None: solved}
    out: dict[str, list[pd.DataFrame]] = {"capacity": [], "costs": [], "emissions": [],
                                          "energy_balance": []}
    for year, n in nets.items():
        s = n.statistics
        kw = {"nice_names": False}
        cap = _long(s.optimal_capacity(bus_carrier="AC", **kw), "optimal_mw", year)
        out["capacity"].append(cap)
        capex = _long(annual_costs(n, "capex"), "value_cny_per_a", year).assign(cost_type="capex")
        opex = _long(annual_costs(n, "opex"), "value_cny_per_a", year).assign(cost_type="opex")
        out["costs"].append(pd.concat([capex, opex]))
        supply = s.supply(components="Generator", groupby="carrier", **kw)
        intensity = n.carriers.co2_emissions
        co2 = supply.mul(intensity.reindex(supply.index).fillna(0.0), axis=0)
        co2 = co2[intensity.reindex(co2.index).fillna(0.0) > 0]
        out["emissions"].append(_long(co2, "co2_t_per_a", year))
        out["energy_balance"].append(_long(s.energy_balance(**kw), "value_mwh_per_a", year))
    tables = {}
    for name, frames in out.items():
        table = pd.concat(frames, ignore_index=True)
        table = table.rename(columns={"level_0": "component", "level_1": "carrier"})
        table["period"] = table.period.astype(int)
        tables[name] = table
    return tables


def pathway_summary(scenario: Scenario, tables: dict[str, pd.DataFrame],
                    reports: list[SolveReport], timings: dict[str, float]) -> dict[str, Any]:
    """Headline figures of a pathway run, per period and discounted over the horizon."""
    from energy.results import SCHEMA_VERSION

    costs = tables["costs"].groupby("period").value_cny_per_a.sum()
    co2 = tables["emissions"].groupby("period").co2_t_per_a.sum()
    cap = tables["capacity"]
    eb = tables["energy_balance"]
    shed = eb[eb.carrier == "load shedding"].groupby("period").value_mwh_per_a.sum()
    periods = {}
    for p in sorted(costs.index):
        c = cap[cap.period == p]
        periods[str(p)] = {
            "system_cost": float(costs[p]),
            "co2_emissions": float(co2.get(p, 0.0)),
            "capacity_mw": {k: round(float(v), 3) for k, v in
                            c[c.component != "Line"].groupby("carrier").optimal_mw.sum().items()},
            "unserved_energy_mwh": float(shed.get(p, 0.0)),
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario.name,
        "mode": scenario.pathway.mode,
        "status": "optimal" if all(r.termination == "optimal" for r in reports) else "failed",
        "solver": [{"preset": r.preset, "attempts": r.attempts} for r in reports],
        "objective": float(sum(r.objective for r in reports)),
        "discounted_total_cost": discounted_total(costs, scenario),
        "discounted_total_cost_unit": "CNY",
        "system_cost_unit": "CNY/a",
        "periods": periods,
        "resolution": scenario.resolution,
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
