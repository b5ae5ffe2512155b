"""Operating reserve (energy.optimize.reserves) on tiny constructed networks.

Physics: the reserve of every provider fits in its headroom (and storage holds the energy
to deliver it) in every hour, and the providers together meet the requirement. Economics:
with no fast unit the requirement builds a gas turbine and raises the cost; with an
existing fast unit it is inert; committed coal may hold it only when allowed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from energy.optimize import solve_network
from energy.optimize.reserves import reserve_price, reserve_requirement
from tests.optimize import flex_cases as fc
from tests.solve_helpers import OBJ_RTOL

TOL = 1e-4  # MW

RESERVES = {"enabled": True, "load_share": 0.1, "vres_share": 0.05, "contingency_mw": 20.0}
#: the shipped defaults (ReservesConfig): 2 % of zone load + 2 % of available wind and solar,
#: PyPSA-Eur's epsilon_load / epsilon_vres
DEFAULT = {"enabled": True}


def requirement(n, s) -> pd.Series:
    constant, vres = reserve_requirement(n, n.snapshots, s)
    return constant + (vres * n.generators.p_nom_opt.reindex(vres.columns)).sum(axis=1)


def add_storage(n) -> None:
    """Existing pumped hydro (100 MW, 4 h) and a battery candidate (store + two links)."""
    n.add("StorageUnit", "phs", bus="AC", carrier="PHS", p_nom=100.0, max_hours=4.0,
          efficiency_store=0.87, efficiency_dispatch=0.87, cyclic_state_of_charge=True)
    n.add("Bus", "battery", carrier="battery")
    for carrier in ("battery", "battery charger", "battery discharger"):
        n.add("Carrier", carrier)
    n.add("Store", "battery", bus="battery", carrier="battery", e_nom_extendable=True,
          e_cyclic=True, capital_cost=20000.0)
    n.add("Link", "battery charger", bus0="AC", bus1="battery", carrier="battery charger",
          efficiency=0.95, p_nom_extendable=True, capital_cost=10000.0)
    n.add("Link", "battery discharger", bus0="battery", bus1="AC",
          carrier="battery discharger", efficiency=0.95, p_nom_extendable=True)


def test_reserve_fits_the_headroom_of_every_provider_in_every_hour() -> None:
    n = fc.network()
    fc.add_ocgt(n)
    add_storage(n)
    fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=2000.0))
    s = fc.scenario(reserves={**RESERVES, "load_share": 0.5, "thermal": True})
    solve_network(n, s)
    r_link, r_su = n.links_t.reserve, n.storage_units_t.reserve
    eta = n.links.efficiency
    # gas turbine: r <= eta (p_nom - p)
    ocgt = eta["ocgt"] * (n.links.p_nom_opt["ocgt"] - n.links_t.p0["ocgt"])
    assert (r_link["ocgt"] <= ocgt + TOL).all()
    # committed coal: r <= eta (K - p)
    coal = eta["coal plant"] * (n.links_t.committed["coal plant"] - n.links_t.p0["coal plant"])
    assert (r_link["coal plant"] <= coal + TOL).all()
    # battery discharger: power headroom and the energy in its store for one hour
    dis = "battery discharger"
    assert (r_link[dis] <= eta[dis] * (n.links.p_nom_opt[dis] - n.links_t.p0[dis]) + TOL).all()
    assert (r_link[dis] * 1.0 <= eta[dis] * n.stores_t.e["battery"] + TOL).all()
    # pumped hydro: dispatch headroom and water for one hour
    su = n.storage_units
    assert (r_su["phs"] <= su.p_nom["phs"] - n.storage_units_t.p_dispatch["phs"] + TOL).all()
    assert (r_su["phs"] <= su.efficiency_dispatch["phs"]
            * n.storage_units_t.state_of_charge["phs"] + TOL).all()
    # only providers hold reserve, and together they meet the requirement every hour
    assert set(r_link.columns[(r_link > TOL).any()]) <= {"ocgt", "coal plant", dis}
    held = r_link.sum(axis=1) + r_su.sum(axis=1)
    assert (held >= requirement(n, s) - TOL).all()
    assert requirement(n, s).min() >= 0.5 * 300.0 + 20.0 - TOL


def test_requirement_builds_a_gas_turbine_when_no_fast_unit_exists() -> None:
    free = fc.network()
    fc.add_ocgt(free)
    solve_network(free, fc.scenario())
    assert free.links.p_nom_opt["ocgt"] < 1e-3  # coal and solar serve the load alone

    n = fc.network()
    fc.add_ocgt(n)
    s = fc.scenario(reserves=DEFAULT)
    solve_network(n, s)
    need = requirement(n, s)
    # default shares: 2 % of 300 MW load + 2 % of 600 MW solar at noon = 18 MW
    assert need.max() == pytest.approx(0.02 * 300.0 + 0.02 * 600.0, rel=1e-6)
    assert n.links.p_nom_opt["ocgt"] * 0.35 == pytest.approx(need.max(), rel=1e-6)
    price = reserve_price(n)
    assert price["price_cny_per_mw_h_max"] > 0 and price["binding_hours"] > 0
    assert n.objective > free.objective * (1 + OBJ_RTOL)
    assert n.model.constraints["Reserve-requirement"].dual.max() > 0
    # the coal plant's spare capacity does not count unless thermal units are allowed
    assert list(n.model["Link-reserve"].indexes["name"]) == ["ocgt"]

    spinning = fc.network()
    fc.add_ocgt(spinning)
    fc.set_records(spinning, fc.coal_record(p_min_pu=0.5, start_up_cost=2000.0))
    solve_network(spinning, fc.scenario(reserves={**DEFAULT, "thermal": True}))
    # committing 18 MW_el more than the load needs covers the reserve without a turbine
    assert spinning.links.p_nom_opt["ocgt"] < n.links.p_nom_opt["ocgt"] - 1.0


def test_requirement_is_inert_when_an_existing_fast_unit_covers_it() -> None:
    def case(reserves: bool):
        n = fc.network()
        n.add("Link", "old ocgt", bus0="gas", bus1="AC", carrier="OCGT", efficiency=0.35,
              p_nom=400.0)
        fc.add_ocgt(n)
        s = fc.scenario(reserves=DEFAULT if reserves else {})
        solve_network(n, s)
        return n

    free, n = case(False), case(True)
    assert n.objective == pytest.approx(free.objective, rel=OBJ_RTOL)
    assert n.links.p_nom_opt["ocgt"] < 1e-3
    assert (n.links_t.reserve["old ocgt"] > 0).any()
    assert reserve_price(n)["price_cny_per_mw_h_max"] < 1e-6  # loose: the price is zero


def test_requirement_and_providers_are_the_zones() -> None:
    """Load and turbines of a neighbour region neither raise the requirement nor hold it."""
    def case(neighbour: bool):
        n = fc.network()
        fc.add_ocgt(n)
        if neighbour:
            n.add("Bus", "SXC", carrier="AC")
            n.add("Load", "SXC load", bus="SXC", carrier="AC", p_set=2000.0)
            n.add("Generator", "SXC supply", bus="SXC", carrier="import", p_nom=3000.0,
                  marginal_cost=200.0)
            n.add("Link", "SXC ocgt", bus0="gas", bus1="SXC", carrier="OCGT",
                  efficiency=0.35, p_nom=1000.0)
            n.add("Link", "tie", bus0="SXC", bus1="AC", carrier="AC", p_nom=100.0,
                  p_min_pu=-1.0)
        n.buses["location"] = ["SXC" if b == "SXC" else "zone" for b in n.buses.index]
        s = fc.scenario(reserves=DEFAULT)
        solve_network(n, s)
        return n, s

    alone, s = case(False)
    n, _ = case(True)
    pd.testing.assert_series_equal(requirement(n, s), requirement(alone, s))
    assert "SXC ocgt" not in n.model["Link-reserve"].indexes["name"]
    # the neighbour's 1,000 MW turbine does not spare the zone its own
    assert n.links.p_nom_opt["ocgt"] == pytest.approx(alone.links.p_nom_opt["ocgt"], rel=1e-6)
    assert n.links.p_nom_opt["ocgt"] > 1.0


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_screen_prune_and_price_keep_the_full_optimum_with_commitment_and_reserve(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The new rows survive screening: pruned retrofits and turbines are priced by name."""
    from energy.optimize import screening as pruning

    def case():
        n = fc.network(hours=48)
        fc.add_ocgt(n)
        n.add("Link", "ocgt b", bus0="gas", bus1="AC", carrier="OCGT", efficiency=0.3,
              p_nom_extendable=True, capital_cost=60000.0)
        retrofit = fc.add_retrofit(n, capital_cost=6000.0)
        fc.set_records(n, fc.coal_record(p_min_pu=0.5, start_up_cost=2000.0,
                                         retrofit=retrofit, p_min_pu_retrofit=0.3))
        return n, retrofit

    base = {"resolution": "1h", "reserves": RESERVES}
    full, retrofit = case()
    solve_network(full, fc.scenario(**base))
    assert full.links.p_nom_opt[retrofit] > 1.0 and full.links.p_nom_opt["ocgt"] > 1.0
    screen = {**base, "solver": {"preset": "simplex", "fallback": [], "screening": True,
                                 "screen_resolution": "4h"}}
    # a screen that wrongly drops the retrofit and the cheaper turbine (the dearer one holds
    # the reserve meanwhile): pricing must find both profitable and put them back
    monkeypatch.setattr(pruning, "unbuilt_groups", lambda m, screened, tol: {
        int(m[("Link", retrofit)]), int(m[("Link", "ocgt")])})
    n, _ = case()
    report = solve_network(n, fc.scenario(**screen))
    info = report.screening
    assert not info["fallback"], info["fallback"]
    assert retrofit in info["readded"] and "ocgt" in info["readded"]
    assert report.objective == pytest.approx(full.objective, rel=1e-6)
    assert n.links_t.committed["coal plant"].sum() > 0  # the solution is copied back
    assert n.links_t.reserve["ocgt"].sum() > 0
