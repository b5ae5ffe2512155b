"""Costs as they are: existing assets pay fixed O&M only, new capacity its annuity on top."""

import numpy as np
import pandas as pd
import pypsa
import pytest
from pypsa.descriptors import nominal_attrs

from energy.network.costs import FIXED_COST_COMPONENTS, fixed_cost_table
from energy.network.gas import MWH_PER_MM3
from energy.optimize import solve_network
from energy.results.summary import cost_summary
from energy.results.tables import cost_table
from tests.solve_helpers import build, inputs_and_profiles, scenario

YEAR = 2025
#: everything switched off that the scenario can switch off; the heat candidates are made
#: non-extendable in the network below; the rest of Shanxi as a flat-price counterparty, so
#: that every asset and every trade in the network is the zone's
NO_EXPANSION = ("year=2025", "boundary.mode=flat_price", "export.enabled=false",
                "technologies.onwind=false", "technologies.solar=false",
                "technologies.battery=false", "technologies.phs=false",
                "technologies.ocgt=false", "technologies.ccgt=false",
                "technologies.line_expansion=false", "heat.new_gas_chp=false",
                "heat.thermal_storage=false", "gas.storage_expansion=false",
                "load_shedding.enabled=true",
                "flexibility.min_load=false")  # no start-ups: operating cost = marginal cost


def _fom(inputs, technology: str) -> float:
    """Fixed O&M per unit of the table's capacity [CNY/(kW or kWh or MW*km)/a]."""
    return inputs.cost(technology, "fom", YEAR) / 100 * inputs.cost(technology, "investment",
                                                                     YEAR)


def _fixed_om_by_hand(inputs, n: pypsa.Network) -> float:
    """Fixed O&M of every asset alive in 2025, from the input tables alone [CNY/a]."""
    total = 0.0
    plants = inputs.plants
    alive = plants[(plants.build_year <= YEAR) & (plants.build_year + plants.lifetime_years
                                                  > YEAR)]
    total += sum(_fom(inputs, r.carrier) * 1000 * r.p_nom_mw for r in alive.itertuples())
    sites = inputs.renewable_sites
    total += sum(_fom(inputs, r.carrier) * 1000 * r.p_nom_existing_mw for r in sites.itertuples())
    phs = inputs.storage_sites
    phs = phs[phs.earliest_year <= YEAR]
    total += _fom(inputs, "PHS") * 1000 * phs.p_nom_existing_mw.sum()
    heat = inputs.heat_supply[inputs.heat_supply.year == YEAR]
    heat = heat[~heat.technology.isin(["gas CHP", "water tank"])]
    total += sum(_fom(inputs, r.technology) * 1000 * r.p_nom_existing_mw_th
                 for r in heat.itertuples())
    mains = inputs.heat_links[inputs.heat_links.build_year <= YEAR]
    total += sum(_fom(inputs, "heat main") * r.length_km * r.p_nom_mw_th
                 for r in mains.itertuples())
    lines = inputs.lines[(inputs.lines.build_year <= YEAR)
                         & inputs.lines.bus0.isin(n.buses.index)
                         & inputs.lines.bus1.isin(n.buses.index)]
    fom_line = inputs.cost("AC line 500kV", "fom", YEAR) / 100
    total += sum(fom_line * r.capex_cny_per_mw_km * r.length_km * r.s_nom_mw
                 for r in lines.itertuples())
    gas = inputs.gas[inputs.gas.year == YEAR].set_index("parameter").value
    total += _fom(inputs, "gas storage") * 1000 * gas["storage_existing"] * MWH_PER_MM3
    total += _fom(inputs, "gas storage injection") * 1000 * gas["injection_existing"]
    total += _fom(inputs, "gas storage withdrawal") * 1000 * gas["withdrawal_existing"]
    return total


def _operating_cost_by_hand(n: pypsa.Network) -> float:
    """Σ_t w_t × marginal cost × dispatch over generators, links and storage [CNY/a]."""
    w = n.snapshot_weightings.generators
    total = 0.0
    for c, p in (("Generator", n.generators_t.p), ("Link", n.links_t.p0),
                 ("StorageUnit", n.storage_units_t.p_dispatch)):
        if p.empty:
            continue
        mc = n.get_switchable_as_dense(c, "marginal_cost")[p.columns]
        total += float((mc * p).multiply(w, axis=0).sum().sum())
    return total


@pytest.fixture(scope="module")
def no_expansion() -> pypsa.Network:
    s = scenario(*NO_EXPANSION)
    n = build(*NO_EXPANSION)
    for c in FIXED_COST_COMPONENTS:
        static = n.components[c].static
        attr = nominal_attrs[c]
        costly = static[f"{attr}_extendable"] & ((static.capital_cost > 0)
                                                 | (static.fom_cost > 0))
        static.loc[costly, f"{attr}_extendable"] = False
    solve_network(n, s)
    return n


def test_no_existing_asset_pays_an_annuity(no_expansion):
    n = no_expansion
    for c in FIXED_COST_COMPONENTS:
        static = n.components[c].static
        attr = nominal_attrs[c]
        existing = static[~static[f"{attr}_extendable"] & (static[attr] > 0)]
        assert (existing.capital_cost == 0).all(), c


def test_system_cost_is_fixed_om_plus_operating_cost_without_expansion(no_expansion):
    n = no_expansion
    inputs, _ = inputs_and_profiles()
    costs = cost_table(n)
    assert costs[costs.cost_type == "capex"].value_cny_per_a.abs().sum() == 0.0
    fom = _fixed_om_by_hand(inputs, n)
    assert costs[costs.cost_type == "fom"].value_cny_per_a.sum() == pytest.approx(fom, rel=1e-9)
    by_hand = fom + _operating_cost_by_hand(n)
    assert costs.value_cny_per_a.sum() == pytest.approx(by_hand, rel=1e-9)


def test_sales_revenue_and_gross_cost_add_up(no_expansion):
    n = no_expansion
    costs = cost_table(n)
    info = cost_summary(n, costs)
    sold = n.generators.index[n.generators.carrier == "export"]
    w = n.snapshot_weightings.generators
    revenue = -float((n.generators_t.p[sold] * n.generators.marginal_cost[sold])
                     .multiply(w, axis=0).sum().sum())
    assert info["sales_revenue"] == pytest.approx(revenue, rel=1e-9, abs=1.0)
    assert info["gross_cost"] == pytest.approx(costs.value_cny_per_a.sum() + revenue)
    load = n.loads_t.p_set.multiply(w, axis=0).sum().sum()
    shed = n.generators.index[n.generators.carrier == "load shedding"]
    served = load - n.generators_t.p[shed].clip(lower=0).multiply(w, axis=0).sum().sum()
    assert info["cost_per_mwh_served"] == pytest.approx(costs.value_cny_per_a.sum() / served)


def test_an_expanded_line_pays_the_annuity_on_its_increment_only():
    n = pypsa.Network()
    n.set_snapshots(pd.RangeIndex(2))
    n.add("Bus", ["a", "b"], carrier="AC")
    n.add("Carrier", ["AC", "gen"])
    n.add("Generator", "g", bus="a", p_nom=500, marginal_cost=10, carrier="gen")
    n.add("Load", "l", bus="b", p_set=[300, 300], carrier="AC")
    n.add("Line", "ab", bus0="a", bus1="b", x=0.1, s_nom=200, s_nom_min=200,
          s_nom_extendable=True, capital_cost=7.0, fom_cost=3.0, carrier="AC")
    n.optimize(solver_name="highs", log_to_console=False)
    assert n.lines.s_nom_opt["ab"] == pytest.approx(300)
    fixed = fixed_cost_table(n)
    assert fixed["capex"].sum() == pytest.approx(7.0 * (300 - 200))
    assert fixed["fom"].sum() == pytest.approx(3.0 * 300)
    assert np.isclose(n.statistics.capex().sum(), 7.0 * 300)  # PyPSA: annuity on all of it
