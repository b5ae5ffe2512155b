"""Results of a run with the modelled rest of Shanxi: the zone's tables and the neighbour's."""

from __future__ import annotations

import pandas as pd
import pytest

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")


def test_zone_electricity_balance_closes_with_its_trade(week_run):
    eb = week_run["tables"]["energy_balance"]
    ac = eb[eb.bus_carrier == "AC"]
    assert {"import", "export"} <= set(ac[ac.component == "Line"].carrier)
    load = -ac[ac.component == "Load"].value_mwh_per_a.sum()
    assert abs(ac.value_mwh_per_a.sum()) < 1e-4 * load
    # the rest of Shanxi's plants are not in the zone's tables
    cap = week_run["tables"]["capacity"]
    assert cap[cap.carrier == "hydro"].empty and cap[cap.carrier == "other thermal"].empty


def test_neighbour_block_reports_generation_exchange_and_prices(week_run):
    s = week_run["summary"]
    nb = s["neighbour"]
    assert set(nb["regions"]) == {"SXN", "SXC"}
    assert nb["generation_twh"]["coal"] > 0 and nb["outbound_twh"] > 0
    x = nb["exchange_with_zone_twh"]
    balance = week_run["tables"]["neighbour_balance"]
    lines = balance[balance.component == "Line"].value_mwh_per_a.sum() / 1e6
    assert lines == pytest.approx(-x["zone_net_imports"], abs=1e-3)
    stats = nb["boundary_prices_cny_per_mwh"]
    assert {"JZ1000", "YQ500", "PC500", "SXN", "SXC"} <= set(stats)
    assert stats["SXC"]["max"] > stats["SXC"]["min"]


def test_boundary_prices_table_has_every_snapshot_and_bus(week_run):
    prices = week_run["tables"]["boundary_prices"]
    n = week_run["network"]
    assert len(prices) == len(n.snapshots) * prices.bus.nunique()
    wide = prices.pivot(index="snapshot", columns="bus", values="price_cny_per_mwh")
    mp = n.buses_t.marginal_price[wide.columns]
    assert wide.to_numpy() == pytest.approx(mp.to_numpy(), abs=1e-6)


def test_consumption_scope_moves_exports_and_imports_by_hand(week_run):
    c = week_run["summary"]["co2_scopes"]
    by_hand = (c["production_t"] - c["exports_mwh"] * c["zone_power_intensity_t_per_mwh"]
               + c["imports_mwh"] * c["neighbour_intensity_t_per_mwh"])
    assert c["consumption_t"] == pytest.approx(by_hand, rel=1e-3)
    assert c["production_t"] == pytest.approx(week_run["summary"]["co2_emissions"], rel=1e-6)
    lp = c["production_t"] - c["deemed_factor_t_per_mwh"] * (c["exports_mwh"]
                                                             - c["imports_mwh"])
    assert c["lp_consumption_t"] == pytest.approx(lp, rel=1e-3)


def test_binding_block_reads_the_duals_of_the_land_potentials(week_run):
    potentials = week_run["summary"]["binding"]["potentials"]
    wind = {k: v for k, v in potentials.items() if "onwind" in k}
    assert wind
    for v in wind.values():
        # a positive value of land only where the site is at its limit
        if v["value_cny_per_mw_a"] > 1.0:
            assert v["share"] > 0.999
    frame = pd.DataFrame(potentials).T
    assert (frame.limit_mw > 0).all()
