"""District heating: heat balance, CHP operating region, heat-pump COP, clean-heating policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy.inputs import InputError, load_inputs
from energy.network.chp import chp_pairs
from energy.network.heat import align_profile, coal_boilers_closed
from energy.optimize.constraints import clean_heat_share
from energy.results.sectors import heat_production
from tests.solve_helpers import build, inputs_and_profiles, solve
from tests.solve_helpers import scenario as small_scenario

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")


@pytest.fixture(scope="module")
def loose():
    return solve()


@pytest.fixture(scope="module")
def clean():
    return solve("heat.min_clean_share=0.6")


def heat_bus_residual(n) -> pd.DataFrame:
    """Supply minus withdrawal at every heat bus in every snapshot [MW_th]."""
    heat = n.buses.index[n.buses.carrier == "heat"]
    bal = pd.DataFrame(0.0, index=n.snapshots, columns=heat)
    for c in ("Generator", "StorageUnit"):
        df = n.components[c].static
        p = n.components[c].dynamic.p
        bal = bal.add(p.T.groupby(df.bus).sum().T.reindex(columns=heat, fill_value=0.0),
                      fill_value=0.0)
    loads = n.loads
    bal = bal.sub(n.loads_t.p.T.groupby(loads.bus).sum().T.reindex(columns=heat, fill_value=0.0),
                  fill_value=0.0)
    for port in (0, 1):
        flow = n.links_t[f"p{port}"]
        bal = bal.sub(flow.T.groupby(n.links[f"bus{port}"]).sum().T
                      .reindex(columns=heat, fill_value=0.0), fill_value=0.0)
    return bal[heat]


def test_heat_balance_closes_every_hour_at_every_heat_bus(week_run):
    n = week_run["network"]
    heat_loads = n.loads.index[n.loads.carrier == "heat"]
    assert len(heat_loads) == 5
    residual = heat_bus_residual(n)
    assert residual.shape == (168, 5)
    assert residual.abs().max().max() < 1e-4 * n.loads_t.p_set[heat_loads].sum(axis=1).max()
    tables = week_run["tables"]
    assert {"heat_balance", "gas_balance"} <= set(tables)
    hb = tables["heat_balance"].groupby("heat_bus").value_mwh_th_per_a.sum()
    assert hb.abs().max() < 1e-4 * tables["heat_balance"].value_mwh_th_per_a.abs().max()


def test_heat_demand_includes_distribution_losses(week_run):
    n, scenario = week_run["network"], week_run["scenario"]
    profiles = inputs_and_profiles()[1]
    demand = align_profile(profiles.heat_demand[2035], n.snapshots)["taiyuan_urban"]
    loss = scenario.heat.distribution_loss
    np.testing.assert_allclose(n.loads_t.p_set["taiyuan_urban heat"], demand * (1 + loss))


def test_chp_stays_inside_its_operating_region_every_hour(week_run):
    n = week_run["network"]
    pairs = pd.DataFrame(chp_pairs(n))
    assert len(pairs) == 13 + 2  # 13 existing plants of chp.csv + 2 candidate gas CHP
    tol = 1e-3
    hit_corner_region = False
    for pair in pairs.itertuples():
        power, heat = n.links.loc[pair.power], n.links.loc[pair.heat]
        eta = power.efficiency
        assert heat.efficiency == pytest.approx(eta / pair.c_v)  # the documented region
        fuel_cap = power.p_nom_opt
        p_el = -n.links_t.p1[pair.power]
        q = -n.links_t.p1[pair.heat]
        assert (q >= -tol).all()
        assert (p_el - pair.c_b * q >= -tol * max(1.0, fuel_cap)).all()  # back-pressure line
        assert (p_el + pair.c_v * q <= eta * fuel_cap + tol * max(1.0, fuel_cap)).all()  # iso-fuel
        # heat capacity = corner of the region
        assert heat.p_nom_opt * heat.efficiency == pytest.approx(
            eta * fuel_cap / (pair.c_b + pair.c_v), rel=1e-6, abs=1e-6)
        hit_corner_region |= bool(((q > 1) & (p_el - pair.c_b * q < 1e-2 * fuel_cap)).any())
    assert hit_corner_region, "no CHP ever ran on its back-pressure line in a January week"


def test_gujiao_region_reaches_the_s41_heat_output(week_run):
    n = week_run["network"]
    pairs = pd.DataFrame(chp_pairs(n)).set_index("power")
    gujiao = [p for p in pairs.index if pairs.at[p, "area"] == "gujiao" and
              n.links.at[p, "p_nom"] * n.links.at[p, "efficiency"] > 500]
    corner = sum(n.links.at[p, "p_nom"] * n.links.at[p, "efficiency"]
                 / (pairs.at[p, "c_b"] + pairs.at[p, "c_v"]) for p in gujiao)
    assert corner == pytest.approx(3488, rel=2e-3)


@pytest.mark.slow
def test_heat_pump_output_over_input_equals_the_hourly_cop(clean):
    n, profiles = clean, inputs_and_profiles()[1]
    hp = n.links[n.links.carrier.isin(["ASHP", "GSHP"])]
    assert not hp.empty
    running = 0
    for name, link in hp.iterrows():
        area = link.bus1.removesuffix(" heat")
        profile = profiles.cop_ashp if link.carrier == "ASHP" else profiles.cop_gshp
        cop = align_profile(profile, n.snapshots)[area]
        p0, p1 = n.links_t.p0[name], n.links_t.p1[name]
        on = p0 > 1e-3
        running += int(on.sum())
        np.testing.assert_allclose((-p1[on] / p0[on]).to_numpy(), cop[on].to_numpy(), rtol=1e-6)
    assert running > 0, "no heat pump ran; the COP check would be empty"


@pytest.mark.slow
def test_tightening_the_clean_share_raises_non_coal_heat(loose, clean):
    before, after = heat_production(loose), heat_production(clean)
    non_coal_before = before.mwh_th[before.clean_non_coal].sum()
    non_coal_after = after.mwh_th[after.clean_non_coal].sum()
    assert non_coal_after > non_coal_before * 1.05
    assert non_coal_after / after.mwh_th.sum() >= 0.6 - 1e-4
    assert non_coal_before / before.mwh_th.sum() < 0.6


@pytest.mark.slow
def test_loose_clean_share_adds_no_constraint():
    n = build("heat.min_clean_share=0")
    n.optimize.create_model(include_objective_constant=False)
    clean_heat_share(n, small_scenario("heat.min_clean_share=0"))
    assert "heat-clean_share" not in n.model.constraints


@pytest.mark.slow
def test_heat_off_keeps_chp_as_power_only_links_and_solves():
    off = solve("heat.enabled=false", "gas.enabled=false")
    assert not (off.buses.carrier == "heat").any()
    assert not chp_pairs(off)
    on_build = build()
    plants = [p["power"] for p in chp_pairs(on_build) if not p["extendable"]]
    cols = ["bus0", "bus1", "carrier", "efficiency", "p_nom", "capital_cost", "marginal_cost"]
    pd.testing.assert_frame_equal(off.links.loc[plants, cols], on_build.links.loc[plants, cols])
    assert off.objective > 0


@pytest.mark.slow
def test_coal_boiler_phaseout_removes_coal_boilers():
    n = build("heat.coal_boiler_phaseout_year=2030")
    assert not (n.links.carrier == "coal boiler").any()
    n = build("heat.coal_boiler_phaseout_year=2040")
    assert (n.links.carrier == "coal boiler").sum() == 5


def test_heat_supply_rows_are_validated(data_copy):
    path = data_copy / "heat_supply.csv"
    df = pd.read_csv(path)
    df.loc[0, "p_nom_max_mw_th"] = df.loc[0, "p_nom_existing_mw_th"] - 1
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match="heat_supply.csv, row 1 .*p_nom_max_mw_th"):
        load_inputs(data_copy)


def test_coal_boiler_phaseout_year_comes_from_data_unless_configured():
    area = pd.Series({"coal_boiler_phaseout_year": 2030})
    assert coal_boilers_closed(small_scenario("year=2035"), area)
    assert not coal_boilers_closed(small_scenario("year=2025"), area)
    assert not coal_boilers_closed(small_scenario("year=2035"),
                                   pd.Series({"coal_boiler_phaseout_year": pd.NA}))
    configured = small_scenario("year=2035", "heat.coal_boiler_phaseout_year=2040")
    assert not coal_boilers_closed(configured, area)  # the scenario's year wins
