"""Physics and economics of a solved week of the base scenario."""

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.inputs import load_inputs
from energy.network.costs import investment_costs
from energy.network.flexibility import start_up_costs
from energy.network.regions import cross_border_lines
from energy.pipeline import ROOT

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")

SUMMARY_KEYS = {
    "scenario", "status", "objective", "system_cost", "co2_emissions", "capacity_mw",
    "unserved_energy_mwh", "resolution", "snapshots", "timings",
}


def test_run_folder_has_every_output(week_run):
    names = {p.name for p in week_run["folder"].iterdir()}
    assert {"network.nc", "config.yaml", "summary.json", "capacity.csv", "costs.csv",
            "energy_balance.csv", "emissions.csv"} <= names
    assert not any(p.name.startswith(".") for p in week_run["folder"].parent.iterdir())
    s = week_run["summary"]
    assert SUMMARY_KEYS <= set(s)
    assert s["status"] == "optimal"
    assert s["snapshots"] == 168
    assert {"build_s", "solve_s", "total_s"} <= set(s["timings"])


def test_energy_balance_closes_at_every_bus_in_every_snapshot(week_run):
    n = week_run["network"]
    balance = pd.DataFrame(0.0, index=n.snapshots, columns=n.buses.index)
    for c in ("Generator", "Load", "StorageUnit", "Store"):
        df = n.components[c].static
        if df.empty:
            continue
        p = n.components[c].dynamic.p
        sign = df.sign if "sign" in df else 1.0
        balance = balance.add((p * sign).T.groupby(df.bus).sum().T, fill_value=0.0)
    for c in ("Link", "Line"):
        df = n.components[c].static
        ports = [0, 1] if c == "Line" else [0, 1]
        for port in ports:
            flow = n.components[c].dynamic[f"p{port}"]
            balance = balance.sub(flow.T.groupby(df[f"bus{port}"]).sum().T, fill_value=0.0)
    scale = n.loads_t.p_set.sum(axis=1).max()
    assert balance.abs().max().max() < 1e-4 * scale


def test_total_supply_meets_load_every_hour(week_run):
    n = week_run["network"]
    ac = n.buses.index[n.buses.carrier == "AC"]
    eb = n.statistics.energy_balance(groupby_time=False, bus_carrier="AC")
    residual = eb.sum()
    assert residual.abs().max() < 1e-3 * n.loads_t.p_set.sum(axis=1).max()
    assert len(ac) >= 9


def test_no_capacity_exceeds_its_potential(week_run):
    n = week_run["network"]
    inputs = load_inputs(ROOT / "network_data")
    sites = inputs.renewable_sites.set_index("site_id")
    g = n.generators[n.generators.bus.map(n.buses.location) == "zone"]
    tol = 0.05  # MW: an interior-point solve without crossover (capacity_table's 0.1 MW)
    for carrier in ("onwind", "solar"):
        built = g[g.carrier == carrier].p_nom_opt.groupby(g.bus).sum()
        potential = sites[sites.carrier == carrier].groupby("bus").p_nom_max_mw.sum()
        assert (built <= potential.reindex(built.index) + tol).all()
    ext = g[g.p_nom_extendable]
    assert (ext.p_nom_opt <= ext.p_nom_max + tol).all()
    phs = n.storage_units[n.storage_units.p_nom_extendable]
    assert (phs.p_nom_opt <= phs.p_nom_max + tol).all()
    lines = n.lines
    assert (lines.s_nom_opt <= lines.s_nom_max + tol).all()
    assert (lines.s_nom_opt >= lines.s_nom - tol).all()
    flow = n.lines_t.p0.abs()
    assert (flow <= lines.s_nom_opt * lines.s_max_pu + tol).all().all()


def test_system_cost_equals_sum_of_cost_table(week_run):
    costs = week_run["tables"]["costs"]
    summary = week_run["summary"]
    assert summary["system_cost"] == pytest.approx(costs.value_cny_per_a.sum())
    n = week_run["network"]
    # PyPSA's system cost charges the annuity on all of an extendable line's rating; ours on
    # the increment over the existing rating only; and n.statistics does not see the
    # start-up costs of committed plants, the summary does
    lines = n.lines[n.lines.s_nom_extendable]
    existing_annuity = float((lines.capital_cost * lines.s_nom).sum())
    assert existing_annuity > 0
    starts = start_up_costs(n).sum()
    assert summary["system_cost_total"] == pytest.approx(
        n.statistics.system_cost().sum() - existing_annuity + starts, rel=1e-9)
    # the zone pays the neighbour-end price for what it imports and earns it on exports
    sign = cross_border_lines(n)
    inflow = -n.lines_t.p0[sign.index].mul(sign, axis=1)
    far = n.lines.bus1[sign.index].where(sign > 0, n.lines.bus0[sign.index])
    price = n.buses_t.marginal_price[far].set_axis(inflow.columns, axis=1)
    trade = float((inflow * price).mul(n.snapshot_weightings.generators, axis=0).sum().sum())
    rows = costs[(costs.component == "Line") & costs.carrier.isin(["import", "export"])]
    assert rows.value_cny_per_a.sum() == pytest.approx(trade, rel=1e-9)


def test_annualised_solar_capex_reproduced_by_hand(week_run):
    n = week_run["network"]
    inputs = load_inputs(ROOT / "network_data")
    r = week_run["scenario"].discount_rate
    inv = inputs.cost("solar", "investment", 2035)  # CNY/kW
    life = inputs.cost("solar", "lifetime", 2035)
    fom = inputs.cost("solar", "fom", 2035) / 100
    by_hand = (r / (1 - (1 + r) ** -life) + fom) * inv * 1000  # CNY/MW/a
    assert by_hand == pytest.approx(pypsa.costs.annuity(r, life) * inv * 1000 + fom * inv * 1000)
    costs = investment_costs(inputs, "solar", 2035, r)
    assert by_hand == pytest.approx(costs["capital_cost"] + costs["fom_cost"])
    new_solar = n.generators[(n.generators.carrier == "solar") & n.generators.p_nom_extendable]
    assert not new_solar.empty
    assert np.allclose(new_solar.capital_cost + new_solar.fom_cost, by_hand)
    assert np.allclose(new_solar.fom_cost, fom * inv * 1000)


def test_emissions_match_fuel_burnt(week_run):
    n = week_run["network"]
    emissions = week_run["tables"]["emissions"].set_index("carrier").co2_t_per_a
    w = n.snapshot_weightings.generators
    # supply as n.statistics counts it: positive output only (an interior-point solution
    # leaves flows of -1e-5 MW where the bound is 0)
    zone = n.generators[n.generators.bus.map(n.buses.location) == "zone"]
    supply = n.generators_t.p[zone.index].clip(lower=0).multiply(w, axis=0).sum()
    by_hand = (supply * zone.carrier.map(n.carriers.co2_emissions)).groupby(
        zone.carrier).sum()
    by_hand = by_hand[by_hand > 0]
    pd.testing.assert_series_equal(emissions.sort_index(), by_hand.sort_index(),
                                   check_names=False, rtol=1e-6)
    assert week_run["summary"]["co2_emissions"] == pytest.approx(by_hand.sum())


def test_retired_plants_are_not_in_the_network(week_run):
    n = week_run["network"]
    inputs = load_inputs(ROOT / "network_data")
    p = inputs.plants
    retired = p[p.build_year + p.lifetime_years <= 2035].plant_id
    assert not set(retired) & set(n.links.index)
    alive = p[p.build_year + p.lifetime_years > 2035].plant_id
    assert set(alive) <= set(n.links.index)


def test_battery_charger_and_discharger_are_tied(week_run):
    n = week_run["network"]
    ch = n.links[n.links.carrier == "battery charger"]
    dis = n.links[n.links.carrier == "battery discharger"].set_index("bus0")
    assert np.allclose(ch.p_nom_opt.to_numpy(),
                       (dis.p_nom_opt * dis.efficiency).loc[ch.bus1].to_numpy(), atol=1e-3)
