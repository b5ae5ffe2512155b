"""The export corridor to Xiong'an: sizing responds to the obligation; clean-share rules hold."""

import pytest

from energy.network.export import CORRIDOR, OFFTAKE, clean_sources
from energy.network.regions import zone_accounts, zone_buses
from tests.solve_helpers import (
    build,
    inputs_and_profiles,
    renewable_mw,
    renewable_mwh,
    solve,
)
from tests.tiny import clean_export_network, optimize, scenario

#: the zone model solved several times: run by `make test-slow`, not `make test`
pytestmark = pytest.mark.slow


def _corridor_mw(n):
    return float(n.links.p_nom_opt[n.links.carrier == CORRIDOR].sum())


def _exported_mwh(n):
    links = n.links.index[n.links.carrier == CORRIDOR]
    return float(n.links_t.p0[links].sum(axis=1).mul(n.snapshot_weightings.generators).sum())


@pytest.fixture(scope="module")
def low_and_high():
    common = ["export.enabled=true", "export.clean_share=1.0", "export.matching=annual"]
    # a week: long enough that the corridor is sized by the obligation, not by surplus hours
    low = solve(*common, "export.energy_twh=5", hours=168)
    high = solve(*common, "export.energy_twh=25", hours=168)
    return low, high


def _renewable_potential_mw(n):
    g = n.generators[zone_accounts(n, "Generator")]
    g = g[g.carrier.isin(["onwind", "solar"])]
    return float(g.p_nom_max.where(g.p_nom_extendable, g.p_nom).sum())


def test_more_required_export_means_bigger_corridor_and_more_clean_capacity(low_and_high):
    low, high = low_and_high
    assert _corridor_mw(high) > _corridor_mw(low) + 100
    if _renewable_potential_mw(low) - renewable_mw(low) > 100:
        assert renewable_mw(high) > renewable_mw(low) + 100
    else:
        # wind and solar already at their potential in the low case (the first week of the
        # hub-height wind profiles is windy): the larger export is served from their surplus
        assert renewable_mw(high) == pytest.approx(renewable_mw(low))
        assert renewable_mwh(high) > renewable_mwh(low)


def test_delivered_energy_meets_the_obligation(low_and_high):
    for n, twh in zip(low_and_high, (5, 25), strict=True):
        offtake = n.generators.index[n.generators.carrier == OFFTAKE]
        delivered = -float(n.generators_t.p[offtake].sum(axis=1)
                           .mul(n.snapshot_weightings.generators).sum())
        assert delivered >= twh * 1e6 * (1 - 1e-5)
        assert _exported_mwh(n) > delivered  # losses on the way


def test_fully_clean_annual_export_is_covered_by_zone_renewables(low_and_high):
    for n in low_and_high:
        assert _exported_mwh(n) <= renewable_mwh(n) * (1 + 1e-6)


def test_hourly_matching_holds_in_every_snapshot():
    # a flat delivery through calm nights: new wind and solar, shifted by storage charged
    # from them, must cover the corridor's input in every hour
    n = solve("export.enabled=true", "export.clean_share=1.0", "export.matching=hourly",
              "export.energy_twh=5")
    links = n.links.index[n.links.carrier == CORRIDOR]
    sent = n.links_t.p0[links].sum(axis=1)
    new = clean_sources(n, "new")
    clean = n.generators_t.p[new].sum(axis=1)
    zone_ac = n.buses.index[(n.buses.carrier == "AC") & n.buses.index.isin(zone_buses(n))]
    su = n.storage_units.index[n.storage_units.bus.isin(zone_ac)]  # not the neighbour's
    shifted = (n.storage_units_t.p_dispatch[su] - n.storage_units_t.p_store[su]).sum(axis=1)
    zone_links = n.links[n.links.bus0.isin(zone_ac) | n.links.bus1.isin(zone_ac)]
    end0 = zone_links.bus0.map(n.buses.carrier)
    end1 = zone_links.bus1.map(n.buses.carrier)
    out = zone_links.index[end0.eq("battery") & end1.eq("AC")]
    into = zone_links.index[end1.eq("battery") & end0.eq("AC")]
    shifted += -n.links_t.p1[out].sum(axis=1) - n.links_t.p0[into].sum(axis=1)
    assert (sent <= clean + shifted + 1e-3).all()


def test_export_disabled_adds_no_corridor():
    n = solve("export.enabled=false")
    assert not (n.links.carrier == CORRIDOR).any()
    assert "XD500" not in n.buses.index


def test_contract_schedule_and_price_come_from_data():
    inputs, _ = inputs_and_profiles()
    table = inputs.export_contract.set_index("year")
    assert list(table.energy_twh.loc[[2025, 2030, 2035]]) == [0.0, 5.0, 10.0]
    n = build("export.enabled=true", "year=2030")
    offtake = n.generators[n.generators.carrier == OFFTAKE]
    assert len(offtake) == 1
    assert offtake.marginal_cost.iloc[0] == pytest.approx(table.at[2030, "price_cny_per_mwh"])
    no_corridor = build("export.enabled=true", "year=2025")
    assert not (no_corridor.links.carrier == CORRIDOR).any()


@pytest.mark.parametrize("profile", ["flat", "xiongan"])
def test_delivery_follows_the_contract_profile_every_hour(profile):
    inputs, _ = inputs_and_profiles()
    n = build("export.enabled=true", f"export.profile={profile}", "export.energy_twh=10")
    name = n.generators.index[n.generators.carrier == OFFTAKE][0]
    pu = n.get_switchable_as_dense("Generator", "p_max_pu")[name]
    low = n.get_switchable_as_dense("Generator", "p_min_pu")[name]
    assert (pu == low).all()  # fixed, not a floor
    mw = -pu * n.generators.at[name, "p_nom"]
    shape = inputs.export_profile.set_index("hour")[profile]
    expected = 10e6 / 8760 * (shape / shape.mean()).reindex(n.snapshots.hour).to_numpy()
    assert mw.to_numpy() == pytest.approx(expected)
    # whole days: the year's energy is the contract
    w = n.snapshot_weightings.generators
    assert float((mw * w).sum()) == pytest.approx(10e6 * w.sum() / 8760)


def test_modular_sizing_builds_whole_modules():
    inputs, _ = inputs_and_profiles()
    n = build("export.enabled=true", "export.sizing=modular")
    links = n.links[n.links.carrier == CORRIDOR]
    units = inputs.export_corridor.set_index("option_id").unit_mw
    for name, row in links.iterrows():
        assert row.p_nom_mod == units[name.removeprefix(f"{CORRIDOR} ")]
    tiny = clean_export_network(2000.0)
    tiny.links.loc["corridor", "p_nom_mod"] = 250.0
    tiny = optimize(tiny, scenario(export={"enabled": True, "clean_share": 0.0}))
    built = tiny.links.p_nom_opt["corridor"]
    assert built > 0 and built / 250.0 == pytest.approx(round(built / 250.0), abs=1e-6)
