"""Screen, prune and price (energy.optimize.screening) gives the full LP's optimum, small case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.carriers import renewable_carriers
from energy.network.chp import chp_pairs
from energy.optimize import screening as pruning
from energy.optimize import screening_applies, solve_network, solve_presets
from energy.optimize.design_check import fix_capacities
from energy.optimize.highs import create_model
from tests.solve_helpers import OBJ_RTOL, build, scenario
from tests.tiny import scenario as tiny_scenario

HOURS = 96
SCREEN = ("solver.screening=true", "solver.screen_resolution=4h")


@pytest.fixture(scope="module")
def full() -> pypsa.Network:
    """The small case solved as one LP, the reference."""
    n = build(hours=HOURS)
    solve_presets(n, scenario(hours=HOURS))
    return n


def _size(n: pypsa.Network, c: str, name: str) -> float:
    return float(n.components[c].static.at[name, f"{pruning.CAPACITY[c]}_opt"])


def test_groups_keep_what_only_works_together() -> None:
    n = build(hours=HOURS)
    members, buses = pruning.candidate_groups(n)
    # a battery is one group: store, charger, discharger and the bus only they use
    store = n.stores.index[n.stores.carrier == "battery"][0]
    bus = n.stores.at[store, "bus"]
    group = members[("Store", store)]
    links = n.links[(n.links.bus0 == bus) | (n.links.bus1 == bus)].index
    assert {("Link", name) for name in links} | {("Store", store)} == set(
        members[members == group].index)
    assert buses[group] == [bus]
    # a new CHP plant's power and heat links are one group
    pair = next(p for p in chp_pairs(n) if p["extendable"])
    assert members[("Link", pair["power"])] == members[("Link", pair["heat"])]
    # existing plants and fixed-size components are never candidates
    fixed = n.generators.index[~n.generators.p_nom_extendable]
    assert not members.index.isin([("Generator", g) for g in fixed]).any()


@pytest.mark.slow
def test_chp_pairs_skip_removed_links() -> None:
    n = build(hours=HOURS)
    pair = next(p for p in chp_pairs(n) if p["extendable"])
    n.remove("Link", [pair["power"], pair["heat"]])
    assert pair["power"] not in {p["power"] for p in chp_pairs(n)}


def system_cost(n: pypsa.Network) -> float:
    """Annualised capex of every asset plus opex [CNY/a] (fixed or extendable alike)."""
    return float(n.statistics.capex().sum() + n.statistics.opex().sum())


@pytest.mark.slow
def test_screened_solve_equals_full_lp(full: pypsa.Network) -> None:
    n = build(hours=HOURS)
    s = scenario(*SCREEN, hours=HOURS)
    report = solve_network(n, s)
    info = report.screening
    # the coarse screen may miss a group the hours need; pricing then puts it back
    assert info and info["pruned"] and info["rounds"] >= 1 and not info["fallback"]
    # the groups left pruned cannot earn their keep at the final hourly duals
    assert info["max_profit_cny_per_mw"] <= s.solver.screening_tolerance
    assert report.objective == pytest.approx(full.objective, rel=OBJ_RTOL)
    # every candidate is in the result, and the screened design is an optimum of the full LP:
    # with its capacities fixed, the full hourly network costs the same. (Sizes themselves
    # need not match the full LP's: solar sites of equal cost make the optimum degenerate, and
    # an interior-point solve lands anywhere on that face; 16 MW apart at GJ500 here.)
    for c in pruning.CAPACITY:
        a = n.components[c].static[f"{pruning.CAPACITY[c]}_opt"]
        b = full.components[c].static[f"{pruning.CAPACITY[c]}_opt"]
        assert a.index.equals(b.index)
    fixed = build(hours=HOURS)
    assert fix_capacities(fixed, n) > 0
    solve_presets(fixed, scenario(hours=HOURS))
    assert system_cost(fixed) == pytest.approx(system_cost(full), rel=OBJ_RTOL)
    # hourly energy balance closes at every AC bus, pruned components included
    balance = n.statistics.energy_balance(groupby_time=False, groupby="bus",
                                          bus_carrier="AC")
    assert balance.groupby(level="bus").sum().abs().max().max() < 1e-3


@pytest.mark.slow
def test_profitable_pruned_group_is_priced_and_put_back(full: pypsa.Network,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    n = build(hours=HOURS)
    members, _ = pruning.candidate_groups(n)
    # a wind site the full LP builds, wrongly left out by the "screen"
    sizes = pd.Series({k: _size(full, *k) for k in members.index})
    wind = [k for k in members.index if k[0] == "Generator"
            and n.generators.at[k[1], "carrier"] == "onwind" and sizes[k] > 100]
    site = wind[0]
    real = pruning.unbuilt_groups
    monkeypatch.setattr(pruning, "unbuilt_groups",
                        lambda m, screened, tol: real(m, screened, tol) | {int(m[site])})
    s = scenario(*SCREEN, hours=HOURS)
    report = solve_network(n, s)
    info = report.screening
    assert site[1] in info["readded"] and info["rounds"] >= 2
    assert site[1] not in info["pruned"]
    assert report.objective == pytest.approx(full.objective, rel=OBJ_RTOL)
    assert _size(n, *site) == pytest.approx(sizes[site], abs=5.0)


@pytest.mark.slow
def test_pricing_reproduces_the_value_of_a_pruned_site(full: pypsa.Network) -> None:
    """Profit per MW of a wrongly pruned site ~ the cost saved per MW it would build."""
    n = build(hours=HOURS)
    s = scenario(hours=HOURS)
    members, _ = pruning.candidate_groups(n)
    unbuilt = {int(g) for k, g in members.items() if _size(full, *k) <= 1.0}
    unbuilt -= {int(g) for k, g in members.items() if _size(full, *k) > 1.0}
    # the largest wind or solar site the full LP builds (with the minimum load and CHP
    # must-run on, no solar site reaches 100 MW in these 96 January hours)
    sites = [k for k in members.index if k[0] == "Generator"
             and n.generators.at[k[1], "carrier"] in renewable_carriers()]
    site = max(sites, key=lambda k: _size(full, *k))
    assert _size(full, *site) > 100
    pruned = unbuilt | {int(members[site])}
    create_model(n, s)
    pruning.hold_at_zero(n, members, pruned)
    solve_presets(n, s, built=True)
    assert _size(n, *site) == pytest.approx(0.0, abs=1e-3)  # held at 0
    profit = pruning.price_pruned(n, members, pruned)
    assert (profit.drop(int(members[site])) <= s.solver.screening_tolerance).all()
    # the first MW is worth at least the average MW the site saves (LP value is concave)
    saved_per_mw = (n.objective - full.objective) / _size(full, *site)
    assert profit[int(members[site])] >= 0.99 * saved_per_mw > 0


@pytest.mark.slow
def test_auto_screens_only_long_single_year_runs() -> None:
    n = build(hours=HOURS)
    assert not screening_applies(n, scenario(hours=HOURS))  # short: one LP
    assert screening_applies(n, scenario(f"solver.screening_min_snapshots={HOURS}",
                                         hours=HOURS))
    assert not screening_applies(n, scenario("solver.screening=false",
                                             f"solver.screening_min_snapshots={HOURS}",
                                             hours=HOURS))
    assert screening_applies(n, scenario("solver.screening=true", hours=HOURS))
    # aggregated runs: from their own snapshot count on
    coarse = scenario(hours=HOURS).model_copy(update={"resolution": "4h"})
    assert not screening_applies(n, coarse)
    assert screening_applies(n, coarse.model_copy(update={"solver": coarse.solver.model_copy(
        update={"screening_min_snapshots_aggregated": HOURS})}))


def _evening_peak_network() -> pypsa.Network:
    """Four days, one bus: 800 MW of coal, a load of 650-1,000 MW peaking at 18:00, candidate
    solar (cheaper than coal's fuel, nothing at night) and a candidate gas turbine, no load
    shedding. The daily mean load (about 750 MW) is under the coal fleet, the evening peak is not.
    """
    hours = pd.date_range("2035-01-01", periods=96, freq="h")
    h = np.asarray(hours.hour)
    load = 650.0 + 350.0 * np.exp(-(((h - 18) / 2.0) ** 2))
    sun = np.clip(np.sin(np.pi * (h - 6) / 12), 0.0, None)
    n = pypsa.Network()
    n.set_snapshots(hours)
    n.add("Carrier", ["AC", "coal", "solar", "OCGT"])
    n.add("Bus", "Z", carrier="AC")
    n.add("Load", "Z load", bus="Z", carrier="AC", p_set=load)
    n.add("Generator", "coal", bus="Z", carrier="coal", p_nom=800.0, marginal_cost=30.0)
    n.add("Generator", "solar new", bus="Z", carrier="solar", p_nom_extendable=True,
          p_max_pu=sun, capital_cost=100.0)
    n.add("Generator", "OCGT new", bus="Z", carrier="OCGT", p_nom_extendable=True,
          marginal_cost=80.0, capital_cost=40.0)
    return n


def test_pruned_lp_infeasible_falls_back_to_the_full_lp() -> None:
    """A daily screen sees a mean load the coal fleet covers and prunes the gas turbine; the
    hourly LP without it cannot meet the evening peak, so the full LP is solved instead and
    gives the reference optimum (a 200 MW gas turbine)."""
    s = tiny_scenario(resolution="1h", solver={"screening": True, "screen_resolution": "24h"})
    reference = _evening_peak_network()
    solve_presets(reference, tiny_scenario(resolution="1h", solver={"screening": False}))
    assert reference.generators.p_nom_opt["OCGT new"] == pytest.approx(200.0, rel=1e-4)
    n = _evening_peak_network()
    report = solve_network(n, s)
    assert report.screening["fallback"] == "the pruned LP is infeasible"
    assert [a["stage"] for a in report.attempts][-1] == "full"
    assert report.objective == pytest.approx(reference.objective, rel=OBJ_RTOL)
    assert n.generators.p_nom_opt["OCGT new"] == pytest.approx(200.0, rel=1e-4)

