"""The rest of Shanxi as modelled neighbour regions: data, locations, prices and balances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.network import build_network
from energy.network.history import zone_demand_mwh
from energy.network.neighbour import hourly_inputs, scale_to_full_load_hours
from energy.network.regions import ZONE, cross_border_lines, zone_buses
from energy.optimize import solve_network
from tests.solve_helpers import inputs_and_profiles, scenario

#: a dispatch-only day pair of 2030 (nothing extendable, no heat or gas sector): fast
DISPATCH = ("year=2030", "export.enabled=false", "heat.enabled=false", "gas.enabled=false",
            "technologies.onwind=false", "technologies.solar=false",
            "technologies.battery=false", "technologies.phs=false", "technologies.ocgt=false",
            "technologies.ccgt=false", "technologies.line_expansion=false")


@pytest.fixture(scope="module")
def dispatched() -> pypsa.Network:
    inputs, profiles = inputs_and_profiles()
    s = scenario(*DISPATCH, hours=48)
    n = build_network(s, inputs, profiles)
    solve_network(n, s)
    return n


def test_every_bus_has_a_location_and_the_zone_is_its_own():
    inputs, profiles = inputs_and_profiles()
    n = build_network(scenario(*DISPATCH, hours=24), inputs, profiles)
    assert (n.buses.location.fillna("") != "").all()
    regions = set(inputs.neighbour_regions.region_id)
    assert set(n.buses.location) <= {ZONE, "xiongan"} | regions
    zone = inputs.buses[inputs.buses.role == "zone"].bus_id
    assert set(zone) <= set(zone_buses(n))
    assert not set(zone_buses(n)) & set(inputs.buses[inputs.buses.role == "boundary"].bus_id)
    assert set(cross_border_lines(n).index) == {"M_LC_JZ", "M_GJ_JZ", "L_XZB_PC", "L_XZB_YQ"}


def test_zone_buses_without_locations_excludes_the_export_bus():
    n = pypsa.Network()
    n.add("Bus", ["A", "B", "XD"])
    n.add("Generator", "export xiongan XD", bus="XD", carrier="export xiongan")
    assert list(zone_buses(n)) == ["A", "B"]


def test_neighbour_load_and_outbound_follow_the_data():
    inputs, profiles = inputs_and_profiles()
    s = scenario(*DISPATCH)
    zone_load = profiles.load[2030][inputs.counties.county_id].sum(axis=1)
    hourly = hourly_inputs(s, inputs, zone_load, profiles.solar, profiles.wind)
    shanxi = inputs.neighbour_demand.set_index("year").shanxi_consumption_mwh[2030]
    rest = shanxi - zone_demand_mwh(inputs, 2030)
    shares = inputs.neighbour_regions.set_index("region_id").load_share
    assert hourly["load"].sum().to_dict() == pytest.approx((rest * shares).to_dict(), rel=1e-9)
    lf = inputs.neighbour_demand.set_index("year").load_factor[2030]
    load = hourly["load"]["SXC"]
    assert load.mean() / load.max() == pytest.approx(lf, rel=1e-6)
    out = inputs.neighbour_outbound[inputs.neighbour_outbound.year == 2030].set_index(
        "region_id")
    firm = (out.annual_mwh * out.firm_share).to_dict()
    assert hourly["outbound"].sum().to_dict() == pytest.approx(firm, rel=1e-9)
    fleet = inputs.neighbour_fleet
    wind = fleet[(fleet.year == 2030) & (fleet.carrier == "onwind")].iloc[0]
    cf = hourly["p_max_pu"][f"{wind.region_id} onwind"]
    assert cf.sum() == pytest.approx(wind.full_load_hours, abs=0.2)
    assert cf.max() <= 1.0


def test_scaling_a_profile_to_full_load_hours_caps_at_one():
    cf = pd.Series(np.linspace(0.0, 0.6, 8760))
    scaled = scale_to_full_load_hours(cf, 5000.0)  # needs k > 1/0.6: the top hours cap
    assert scaled.sum() == pytest.approx(5000.0, abs=0.2)
    assert scaled.max() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        scale_to_full_load_hours(cf * 0.0 + 0.1, 9000.0)


def test_flat_price_mode_keeps_the_old_exchange_and_no_neighbour():
    inputs, profiles = inputs_and_profiles()
    n = build_network(scenario(*DISPATCH, "boundary.mode=flat_price", hours=24), inputs,
                      profiles)
    assert set(n.generators.carrier) >= {"import", "export"}
    assert not (n.loads.carrier == "outbound").any()
    assert "SXC" not in n.buses.index


def test_neighbour_balance_closes_in_every_snapshot(dispatched):
    n = dispatched
    regions = n.buses.index[n.buses.location.isin(["SXN", "SXC"])]
    eb = n.statistics.energy_balance(groupby_time=False, groupby="bus", nice_names=False)
    eb = eb.groupby(level="bus").sum()
    scale = n.loads_t.p_set.sum(axis=1).max()
    assert eb.loc[eb.index.intersection(regions)].abs().max().max() < 1e-5 * scale


def test_boundary_price_is_lower_on_a_sunny_midday_than_at_the_evening_peak(dispatched):
    n = dispatched
    price = n.buses_t.marginal_price["SXC"]
    solar = n.generators.index[(n.generators.bus == "SXC") & (n.generators.carrier == "solar")]
    day = price.index.normalize()[0]
    noon, evening = day + pd.Timedelta(hours=13), day + pd.Timedelta(hours=19)
    assert n.generators_t.p.loc[noon, solar].sum() > 1000.0  # the sun shines on the region
    assert n.generators_t.p.loc[evening, solar].sum() < 1.0
    assert price[noon] < price[evening] - 1.0
    assert price.std() > 1.0  # prices vary hour by hour


def test_committed_coal_runs_at_least_its_minimum_stable_output(dispatched):
    n = dispatched
    units = n.meta["daily_commitment"]
    p = n.links_t.p0[list(units)]
    for _day, frame in p.groupby(p.index.normalize()):
        for unit, stable in units.items():
            assert frame[unit].min() >= stable * frame[unit].max() - 1e-3
