"""Linearised unit commitment (energy.optimize.operations) on tiny constructed networks.

Physics: minimum load on committed capacity in every hour, start-ups account for every
increase of commitment, CHP committed in the heating season. Economics: the minimum load
binds when solar must be curtailed for it and is inert when the net load stays above it; a
retrofit is bought when the minimum load makes curtailment expensive and not otherwise.
"""

from __future__ import annotations

import numpy as np
import pypsa
import pytest

from energy.network.flexibility import RETROFIT, start_up_costs
from energy.optimize import solve_network
from energy.optimize.design_check import check_design
from energy.optimize.operations import heating_snapshots
from energy.results.tables import cost_table
from tests.optimize import flex_cases as fc
from tests.solve_helpers import OBJ_RTOL

TOL = 1e-4  # MW


def fuel(n, plant: str, heat: str | None = None):
    f = n.links_t.p0[plant]
    return f + n.links_t.p0[heat] if heat else f


def test_minimum_load_holds_in_every_hour_and_binds_when_solar_is_curtailed() -> None:
    free = fc.network()
    solve_network(free, fc.scenario())
    # without commitment the plant follows the net load down to zero at noon
    assert free.links_t.p0["coal plant"].min() < 1.0

    n = fc.network()
    fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=2000.0))
    solve_network(n, fc.scenario())
    k = n.links_t.committed["coal plant"]
    f = fuel(n, "coal plant")
    assert (f >= 0.5 * k - TOL).all()  # minimum stable load on committed capacity
    assert (f <= k + TOL).all()
    assert (k <= fc.F_COAL + TOL).all()
    # starting capacity costs more than running it at minimum through the day: the night's
    # 750 MW (300 MW_el) stay committed all day, never below 50 % at noon, and the solar
    # that minimum leaves no room for is curtailed
    assert k.max() - k.min() < 1e-3 and n.links_t.started["coal plant"].sum() < 1e-3
    assert k.min() == pytest.approx(300.0 / fc.ETA, rel=1e-6)
    assert f.min() == pytest.approx(0.5 * k.min(), rel=1e-6)

    def curtailed(net) -> float:
        avail = net.generators_t.p_max_pu["solar"] * net.generators.p_nom["solar"]
        return float((avail - net.generators_t.p["solar"]).sum())

    assert curtailed(n) > curtailed(free) + 100.0
    assert n.objective > free.objective * (1 + OBJ_RTOL)


def test_cheap_start_ups_decommit_at_noon_and_every_start_is_counted() -> None:
    n = fc.network()
    fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=10.0))
    solve_network(n, fc.scenario())
    k = n.links_t.committed["coal plant"]
    started = n.links_t.started["coal plant"]
    f = fuel(n, "coal plant")
    assert k.min() < 0.5 * fc.F_COAL  # shut down part of the plant around noon
    assert (f >= 0.5 * k - TOL).all()
    rise = (k - np.roll(k.to_numpy(), 1)).clip(lower=0.0)  # cyclic day
    assert (started >= rise - TOL).all()
    assert started.sum() == pytest.approx(rise.sum(), abs=1e-2)
    # the start-up cost is in the objective and in the cost table, scaled from a day to a year
    cost = start_up_costs(n)["coal plant"]
    assert cost == pytest.approx(10.0 * rise.sum() * 365.0, rel=1e-6)
    table = cost_table(n)
    plant = table[(table.component == "Link") & (table.carrier == "coal")]
    # the plant has no VOM: its opex is its start-ups
    assert plant.value_cny_per_a.sum() == pytest.approx(cost, rel=1e-6)
    assert table.value_cny_per_a.sum() == pytest.approx(n.objective, rel=1e-6)


def test_minimum_load_is_inert_when_the_net_load_stays_above_it() -> None:
    free = fc.network(load_mw=800.0)
    solve_network(free, fc.scenario())
    n = fc.network(load_mw=800.0)
    fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=2000.0))
    solve_network(n, fc.scenario())
    assert n.objective == pytest.approx(free.objective, rel=OBJ_RTOL)
    assert n.links_t.started["coal plant"].sum() == pytest.approx(0.0, abs=1e-3)


def test_chp_must_run_in_the_heating_season_only() -> None:
    # 31 March is the last day of the heating season, 1 April the first day after it
    n = fc.network(start="2035-03-31", hours=48)
    fc.add_chp(n)
    n.links.loc["chp", "efficiency"] = 0.3  # dearer than the coal plant: idle unless forced
    n.links.loc["chp heat", "efficiency"] = 0.3 / 0.15
    fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=0.0),
                   fc.coal_record("chp", p_min_pu=0.5, start_up_cost=0.0, heat="chp heat",
                                  must_run_heating=1.0, carrier="coal CHP"))
    solve_network(n, fc.scenario())
    season = heating_snapshots(n.snapshots)
    assert len(season) == 24 and season[-1].day == 31
    after = n.snapshots.difference(season)
    k = n.links_t.committed["chp"]
    f = fuel(n, "chp", "chp heat")
    assert (k[season] >= 500.0 - TOL).all()  # fully committed in the season ...
    assert (f[season] >= 0.5 * 500.0 - TOL).all()  # ... so at least at its boiler minimum
    assert (f >= 0.5 * k - TOL).all()
    assert f[after].max() < 1e-3  # after the season it is not needed and stays off
    # the operating region still holds: power at least c_b x heat (back-pressure line)
    power = -n.links_t.p1["chp"]
    heat = -n.links_t.p1["chp heat"]
    assert (power >= 0.9 * heat - TOL).all()


def _retrofit_case(load_mw: float):
    n = fc.network(load_mw=load_mw)
    retrofit = fc.add_retrofit(n, capital_cost=6000.0)
    fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=2000.0, retrofit=retrofit,
                                     p_min_pu_retrofit=0.3))
    solve_network(n, fc.scenario())
    return n, retrofit


def test_retrofit_is_bought_when_the_minimum_load_curtails_solar_and_not_otherwise() -> None:
    n, retrofit = _retrofit_case(load_mw=300.0)
    # the 750 MW committed all day are all retrofitted: 60 MW_el less minimum for ~8 h a
    # day saves ~44 M CNY/a of coal; the retrofit costs 4.5 M CNY/a
    committed = 300.0 / fc.ETA
    assert n.links.p_nom_opt[retrofit] == pytest.approx(committed, rel=1e-6)
    k = n.links_t.committed["coal plant"]
    q = n.links_t.committed_retrofit[retrofit]
    f = fuel(n, "coal plant")
    assert (q <= n.links.p_nom_opt[retrofit] + TOL).all()
    assert (k + q <= fc.F_COAL + TOL).all()
    assert (f >= 0.5 * k + 0.3 * q - TOL).all()
    assert f.min() == pytest.approx(0.3 * committed, rel=1e-6)
    assert n.links_t.p0[retrofit].abs().max() < TOL  # the retrofit carries no energy

    loose, retrofit = _retrofit_case(load_mw=800.0)
    assert loose.links.p_nom_opt[retrofit] < 1e-3


def test_design_check_applies_the_commitment_and_the_built_retrofit() -> None:
    design, retrofit = _retrofit_case(load_mw=300.0)
    n = fc.network()
    fc.add_retrofit(n, capital_cost=6000.0)
    fc.set_records(n, *design.meta["commitment"])
    result = check_design(n, design, fc.scenario())
    assert result["passed"]
    assert not n.links.p_nom_extendable[retrofit]
    assert n.links.p_nom[retrofit] == pytest.approx(design.links.p_nom_opt[retrofit])
    k, q = n.links_t.committed["coal plant"], n.links_t.committed_retrofit[retrofit]
    assert (fuel(n, "coal plant") >= 0.5 * k + 0.3 * q - TOL).all()
    assert result["extra_cost_cny_per_a"] == pytest.approx(0.0, abs=1e-6 * design.objective)


@pytest.mark.slow
def test_build_records_every_thermal_plant_and_prices_the_retrofit() -> None:
    from energy.network.costs import KW_PER_MW
    from tests.solve_helpers import build, inputs_and_profiles

    inputs, _ = inputs_and_profiles()
    n = build("flexibility.retrofit=true", hours=24)
    records = {r["link"]: r for r in n.meta["commitment"]}
    zone = n.links.bus1.map(n.buses.location) == "zone"
    thermal = n.links.index[n.links.carrier.isin(["coal", "coal CHP", "gas CHP"]) & zone]
    assert set(records) == set(thermal)
    # the neighbour's coal keeps its daily commitment; no link is under both
    daily = set(n.meta.get("daily_commitment", {}))
    assert daily and not daily & set(records)
    assert not (n.links.bus1[list(records)].map(n.buses.location) != "zone").any()
    for plant, rec in records.items():
        par = inputs.flexibility(rec["carrier"])
        eta = n.links.efficiency[plant]
        assert rec["p_min_pu"] == par["p_min_pu"]
        assert rec["start_up_cost"] == pytest.approx(par["start_up_cost"] * eta)
        if rec["heat"]:
            assert n.links.carrier[rec["heat"]].endswith("heat")
        if rec["retrofit"] is None:
            assert "p_min_pu_retrofit" not in par or n.links.p_nom_extendable[plant]
            continue
        r = n.links.loc[rec["retrofit"]]
        assert r.carrier == RETROFIT and r.bus0 == n.links.bus0[plant]
        assert r.p_nom_max == pytest.approx(n.links.p_nom[plant])
        life = min(par["retrofit_lifetime"],
                   n.links.build_year[plant] + n.links.lifetime[plant] - 2035)
        expected = (pypsa.costs.annuity(0.06, life) * par["retrofit_investment"]
                    * KW_PER_MW * eta)  # by hand: annuity only, no fixed O&M
        assert r.capital_cost == pytest.approx(expected)
    assert any(r["heat"] for r in records.values())
    assert any(r["retrofit"] for r in records.values())
    off = build("flexibility.min_load=false", hours=24)
    assert not (off.meta or {}).get("commitment")
    assert (off.links.carrier != RETROFIT).all()
