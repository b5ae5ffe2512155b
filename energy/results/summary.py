"""The run's headline figures: ``summary.json`` (see README, "Output schema")."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa

from energy.carriers import shedding_carrier, with_role
from energy.network.costs import fixed_cost_table
from energy.network.export import CORRIDOR, OFFTAKE, clean_sources
from energy.network.flexibility import start_up_costs
from energy.network.regions import zone_accounts, zone_buses
from energy.network.shedding import shedding_generators
from energy.optimize.operations import commitment_summary
from energy.optimize.reserves import reserve_summary
from energy.results.co2 import co2_scopes
from energy.results.duals import binding_summary
from energy.results.iamc import technology
from energy.results.neighbour import neighbour_summary
from energy.results.sectors import heat_gas_summary

SCHEMA_VERSION = "1.1"


def export_summary(n: pypsa.Network, costs: pd.DataFrame, scenario: Any = None) -> dict[str, Any]:
    """Export-corridor KPIs (``costs`` is the run's :func:`cost_table`).

    Capacity [MW] (and modules when sized in modules), utilisation [p.u.], exported and
    delivered energy [TWh/a], delivery peak [MW] and price [CNY/MWh], the clean share of the
    exported energy met by the eligible wind and solar (``export.clean_sources``; annual ratio
    and hour-by-hour matched) and the contracted clean energy [TWh/a], attributed cost and
    revenue [CNY/a]. Empty when the network has no export corridor.
    """
    corridors = n.links.index[n.links.carrier == CORRIDOR]
    if corridors.empty:
        return {}
    w = n.snapshot_weightings.generators
    sent = n.links_t.p0[corridors].sum(axis=1)
    delivered = -n.links_t.p1[corridors].sum(axis=1)
    cfg = getattr(scenario, "export", None)
    sources = cfg.clean_sources if cfg is not None else "all"
    eligible = clean_sources(n, sources)
    clean = n.generators_t.p[eligible].sum(axis=1)
    sent_mwh = float((sent * w).sum())
    capacity = float(n.links.p_nom_opt[corridors].sum())
    by_carrier = costs.groupby("carrier").value_cny_per_a.sum()
    corridor_cost = float(by_carrier.get(CORRIDOR, 0.0))
    offtake = float(by_carrier.get(OFFTAKE, 0.0))
    offtakes = n.generators.index[n.generators.carrier == OFFTAKE]
    mod = n.links.p_nom_mod[corridors]
    share = cfg.clean_share if cfg is not None else 0.0
    return {
        "corridor_mw": {k.removeprefix(f"{CORRIDOR} "): round(float(v), 3)
                        for k, v in n.links.p_nom_opt[corridors].items()},
        "corridor_mw_total": capacity,
        "corridor_modules": {k.removeprefix(f"{CORRIDOR} "): round(float(n.links.p_nom_opt[k] / v))
                             for k, v in mod[mod > 0].items()},
        "utilisation": sent_mwh / (capacity * float(w.sum())) if capacity > 1e-6 else 0.0,
        "exported_twh": sent_mwh / 1e6,
        "delivered_twh": float((delivered * w).sum()) / 1e6,
        "delivery_peak_mw": float(delivered.max()),
        "delivery_price_cny_per_mwh": float(n.generators.marginal_cost[offtakes].max())
        if len(offtakes) else None,
        "profile": cfg.profile if cfg is not None else None,
        "clean_sources": sources,
        "contracted_clean_twh": share * sent_mwh / 1e6,
        "clean_share_annual": min(1.0, float((clean * w).sum()) / sent_mwh) if sent_mwh else None,
        "clean_share_hourly_matched": (
            float((pd.concat([sent, clean], axis=1).min(axis=1).clip(lower=0) * w).sum())
            / sent_mwh if sent_mwh else None
        ),
        "corridor_cost_cny_per_a": corridor_cost,
        "offtake_cost_cny_per_a": offtake,
    }


def capacity_by_bus(n: pypsa.Network) -> dict[str, dict[str, float]]:
    """Optimal electric capacity per AC bus and technology [MW] (generation and storage)."""
    cap = n.statistics.optimal_capacity(bus_carrier="AC", groupby=["bus", "carrier"],
                                        nice_names=False)
    if cap.empty:
        return {}
    cap = cap.groupby(level=["bus", "carrier"]).sum()
    out: dict[str, dict[str, float]] = {}
    for (bus, carrier), mw in cap.items():
        # 0.1 MW as capacity.csv: an interior-point solve leaves 0.01-0.04 MW on candidates
        if technology(carrier).role in ("generation", "storage") and mw >= 0.05:
            out.setdefault(str(bus), {})[str(carrier)] = round(float(mw), 1)
    return out


def operations_summary(n: pypsa.Network, scenario: Any) -> dict[str, Any]:
    """Unit commitment and operating reserve of the run (README, "Thermal flexibility").

    ``commitment`` (:func:`energy.optimize.operations.commitment_summary`),
    ``start_up_cost_cny_per_a`` [CNY/a] and ``reserve``
    (:func:`energy.optimize.reserves.reserve_summary`); empty parts when switched off.
    """
    return {
        "commitment": commitment_summary(n),
        "start_up_cost_cny_per_a": round(float(start_up_costs(n).sum()), 0),
        "reserve": reserve_summary(n, scenario),
    }


def served_energy_mwh(n: pypsa.Network) -> float:
    """Final energy served to the zone's loads per year [MWh/a].

    Every Load at a zone bus (:func:`energy.network.regions.zone_buses`: electricity, district
    heat, other gas use), weighted by ``snapshot_weightings.generators``, minus load shedding
    at zone buses.
    """
    w = n.snapshot_weightings.generators
    zone = zone_buses(n)
    loads = n.loads.index[n.loads.bus.isin(zone)]
    demand = float(n.loads_t.p_set[loads].multiply(w, axis=0).sum().sum())
    shed = shedding_generators(n)
    shed = shed[n.generators.bus[shed].isin(zone)]
    unserved = float(n.generators_t.p[shed].clip(lower=0).multiply(w, axis=0).sum().sum())
    return demand - unserved


def cost_summary(n: pypsa.Network, costs: pd.DataFrame) -> dict[str, Any]:
    """Gross cost, sales revenue and cost per MWh served [CNY/a, CNY/MWh].

    ``system_cost`` (the sum of ``costs.csv``) is net of what the zone earns from sales (to
    the rest of Shanxi and to Xiong'an: the opex of carriers with role ``export``, negative).
    ``sales_revenue`` is those earnings, ``gross_cost = system_cost + sales_revenue`` (annuity
    of new capacity, fixed O&M, fuel, VOM, imports, load shedding) and
    ``cost_per_mwh_served = system_cost / served`` with ``served`` from
    :func:`served_energy_mwh`.
    """
    system_cost = float(costs.value_cny_per_a.sum())
    sales = costs[costs.carrier.isin(with_role("export")) & (costs.cost_type == "opex")]
    revenue = -float(sales.value_cny_per_a.sum())
    served = served_energy_mwh(n)
    return {
        "gross_cost": system_cost + revenue,
        "sales_revenue": revenue,
        "served_energy_mwh": served,
        "cost_per_mwh_served": system_cost / served if served > 0 else None,
        "cost_per_mwh_served_unit": "CNY/MWh",
    }


def summary(
    n: pypsa.Network,
    scenario: Any,
    report: Any,
    timings: dict[str, float],
    tables: dict[str, pd.DataFrame],
) -> dict[str, Any]:
    """The run's headline figures (see README, "Output schema").

    Figures are the zone's (its accounts, :func:`energy.network.regions.zone_accounts`);
    ``system_cost_total`` and ``verify`` cover the whole modelled system (zone and rest of
    Shanxi), ``neighbour`` the rest of Shanxi.
    """
    costs, emissions, capacity = tables["costs"], tables["emissions"], tables["capacity"]
    eb = tables["energy_balance"]
    mw = capacity[(capacity.unit == "MW") & (capacity.component != "Line")
                  & (capacity.bus_carrier == "AC")
                  & (capacity.carrier != shedding_carrier())]
    shed = eb[(eb.carrier == shedding_carrier()) & (eb.bus_carrier == "AC")].value_mwh_per_a.sum()
    weights = n.snapshot_weightings.generators
    zone_lines = n.lines[zone_accounts(n, "Line")]
    zone_loads = n.loads[zone_accounts(n, "Load")]
    ac_loads = zone_loads.index[zone_loads.bus.map(n.buses.carrier) == "AC"]
    empty = pd.DataFrame()
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario.name,
        "year": scenario.year,
        "status": report.termination,
        "solver": {"preset": report.preset, "attempts": report.attempts,
                   **({"screening": report.screening} if report.screening else {})},
        "objective": report.objective,
        "system_cost": float(costs.value_cny_per_a.sum()),
        "system_cost_unit": "CNY/a",
        **cost_summary(n, costs),
        "co2_emissions": float(emissions.co2_t_per_a.sum()),
        "co2_emissions_unit": "t/a",
        "capacity_mw": {k: round(float(v), 3) for k, v in
                        mw.groupby("carrier").optimal.sum().items()},
        "storage_mwh": {k: round(float(v), 3) for k, v in
                        capacity[capacity.unit == "MWh"].groupby("carrier").optimal.sum().items()},
        "capacity_mw_by_bus": capacity_by_bus(n),
        "line_capacity_mw": {
            "installed": float(zone_lines.s_nom.sum()),
            "optimal": float(zone_lines.s_nom_opt.sum())
        },
        "unserved_energy_mwh": float(shed),
        "export": export_summary(n, costs, scenario),
        **heat_gas_summary(n),
        "load_mwh": float(n.loads_t.p_set[ac_loads].multiply(weights, axis=0).sum().sum()),
        "system_cost_total": system_cost_total(n),
        "co2_scopes": co2_scopes(n, scenario),
        "neighbour": neighbour_summary(n, tables.get("neighbour_balance", empty),
                                       tables.get("boundary_prices", empty)),
        "binding": binding_summary(n),
        "operations": operations_summary(n, scenario),
        "resolution": scenario.resolution,
        "snapshots": len(n.snapshots),
        "hours": float(weights.sum()),
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }


def system_cost_total(n: pypsa.Network) -> float:
    """Annual cost of the whole modelled system, zone and rest of Shanxi [CNY/a].

    The scope of the LP's objective: annuity of new capacity and fixed O&M
    (:func:`energy.network.costs.fixed_cost_table`; existing assets carry no annuity) plus
    operating cost, with the start-up costs of the zone's committed plants, which
    ``n.statistics`` does not see. The rest of Shanxi carries no fixed costs (constants of its
    fixed fleet), so this is the zone's fixed and operating cost plus the neighbour's
    operating cost.
    """
    fixed = fixed_cost_table(n)
    opex = n.statistics.opex(nice_names=False)
    return float(fixed["capex"].sum() + fixed["fom"].sum() + opex.sum()
                 + start_up_costs(n).sum())
