"""Per-period results of a pathway (perfect foresight or myopic) and its discounted total.

Both modes report, per period, capacity, cost and emissions, and a discounted total
Σ_p w_p × (annualised capex of active assets + opex) with the same weights
(:func:`energy.network.periods.objective_weights`), so the two modes are comparable.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa

from energy.carriers import shedding_carrier
from energy.config import Scenario
from energy.network.carriers import co2_by_carrier
from energy.network.costs import fixed_cost_table
from energy.network.periods import objective_weights
from energy.network.regions import ZONE_ACCOUNTS, has_locations, zone_accounts
from energy.results.summary import SCHEMA_VERSION


def annual_costs(n: pypsa.Network, kind: str) -> pd.Series | pd.DataFrame:
    """Annual ``capex``, ``fom`` or ``opex`` of a solved network [CNY/a].

    ``capex`` and ``fom`` come from :func:`energy.network.costs.fixed_cost_table` (annuity on
    new capacity only, fixed O&M on all), ``opex`` from ``n.statistics.opex()``. With
    investment periods PyPSA multiplies each period's operating cost by its objective
    weighting (discounted years); dividing it out gives the period's annual cost.
    """
    if kind in ("capex", "fom"):
        return fixed_cost_table(n)[kind]
    cost = getattr(n.statistics, kind)(nice_names=False)
    if isinstance(cost, pd.DataFrame):
        cost = cost / n.investment_period_weightings.objective.reindex(cost.columns)
    return cost


def zone_by_carrier(n: pypsa.Network, per_asset: pd.Series | pd.DataFrame
                    ) -> pd.Series | pd.DataFrame:
    """A per-asset statistic (index component, name) summed over the zone's assets.

    By component and carrier; one column per period when it has them.
    """
    parts = []
    for c, values in per_asset.groupby(level="component"):
        values = values.droplevel("component")
        zone = zone_accounts(n, c).reindex(values.index).fillna(False).astype(bool)
        values = values[zone]
        carrier = n.components[c].static.carrier.reindex(values.index)
        grouped = values.groupby(carrier).sum()
        grouped.index = pd.MultiIndex.from_product([[c], grouped.index],
                                                   names=["component", "carrier"])
        parts.append(grouped)
    return pd.concat(parts) if parts else per_asset.iloc[:0]


def _zone_costs(n: pypsa.Network, kind: str) -> pd.Series | pd.DataFrame:
    """The zone's annual ``capex``, ``fom`` or ``opex`` by component and carrier [CNY/a]."""
    if kind in ("capex", "fom"):
        return zone_by_carrier(n, fixed_cost_table(n, per_asset=True)[kind])
    cost = getattr(n.statistics, kind)(groupby=False, nice_names=False)
    if isinstance(cost, pd.DataFrame):
        cost = cost / n.investment_period_weightings.objective.reindex(cost.columns)
    return zone_by_carrier(n, cost)


def period_costs(n: pypsa.Network, accounts: str = "zone") -> pd.Series:
    """Annual system cost per investment period [CNY/a]: capex, FOM of active assets, opex.

    ``accounts="zone"``: the zone's assets (the rest of Shanxi's operating cost is not the
    zone's); ``"all"``: the whole modelled system, the scope of the LP's objective.
    """
    kinds = ("capex", "fom", "opex")
    if accounts == "all":
        total = pd.concat([annual_costs(n, kind) for kind in kinds])
    else:
        total = pd.concat([_zone_costs(n, kind) for kind in kinds])
    if isinstance(total, pd.DataFrame):  # multi-period: one column per period
        return total.sum()
    return pd.Series({n.meta.get("year", 0): float(total.sum())})


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
        capacity = zone_by_carrier(n, s.optimal_capacity(bus_carrier="AC", groupby=False, **kw))
        out["capacity"].append(_long(capacity, "optimal_mw", year))
        out["costs"].append(pd.concat([
            _long(_zone_costs(n, kind), "value_cny_per_a", year).assign(cost_type=kind)
            for kind in ("capex", "fom", "opex")]))
        out["emissions"].append(_long(co2_by_carrier(n, "zone"), "co2_t_per_a", year))
        out["energy_balance"].append(_long(zone_balance(n), "value_mwh_per_a", year))
    tables = {}
    for name, frames in out.items():
        table = pd.concat(frames, ignore_index=True)
        table = table.rename(columns={"level_0": "component", "level_1": "carrier"})
        table["period"] = table.period.astype(int)
        tables[name] = table
    return tables


def zone_balance(n: pypsa.Network) -> pd.Series | pd.DataFrame:
    """The zone's energy balance by component, carrier and bus carrier [MWh/a].

    Ports at zone and Xiong'an buses; lines = the zone's net exchange with the rest of Shanxi.
    """
    s = n.statistics
    if not has_locations(n):
        return s.energy_balance(nice_names=False)
    eb = s.energy_balance(groupby=["location", "carrier", "bus_carrier"], nice_names=False)
    keep = eb.index.get_level_values("location").isin(ZONE_ACCOUNTS)
    return eb[keep].groupby(level=["component", "carrier", "bus_carrier"]).sum()


def system_costs(solved: dict[int, pypsa.Network] | pypsa.Network) -> pd.Series:
    """Whole-system annual cost per period [CNY/a] (:func:`period_costs` ``"all"``)."""
    if isinstance(solved, dict):
        return pd.concat([period_costs(n, "all") for n in solved.values()])
    return period_costs(solved, "all")


def pathway_summary(scenario: Scenario, tables: dict[str, pd.DataFrame],
                    reports: list[Any], timings: dict[str, float],
                    system: pd.Series | None = None) -> dict[str, Any]:
    """Headline figures of a pathway run, per period and discounted over the horizon.

    ``discounted_total_cost`` is the zone's; ``discounted_total_system_cost`` (with
    ``system``, :func:`system_costs`) the whole modelled system's, the LP's scope.
    """
    costs = tables["costs"].groupby("period").value_cny_per_a.sum()
    system = costs if system is None else system
    co2 = tables["emissions"].groupby("period").co2_t_per_a.sum()
    cap = tables["capacity"]
    cap = cap[(cap.component != "Line") & (cap.carrier != shedding_carrier())]
    eb = tables["energy_balance"]
    shed = eb[eb.carrier == shedding_carrier()].groupby("period").value_mwh_per_a.sum()
    periods = {}
    for p in sorted(costs.index):
        c = cap[cap.period == p]
        periods[str(p)] = {
            "system_cost": float(costs[p]),
            "co2_emissions": float(co2.get(p, 0.0)),
            "capacity_mw": {k: round(float(v), 3) for k, v in
                            c.groupby("carrier").optimal_mw.sum().items()},
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
        "discounted_total_system_cost": discounted_total(system, scenario),
        "discounted_total_cost_unit": "CNY",
        "system_cost_unit": "CNY/a",
        "periods": periods,
        "resolution": scenario.resolution,
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
