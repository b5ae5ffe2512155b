"""The CO2 cap as a scoped linopy constraint, on a two-bus zone/neighbour toy.

The zone has cheap coal (10 CNY/MWh_th, 1 t/MWh_th, efficiency 1), a local load of 50 MW and
a wind candidate; the neighbour has dearer coal (20 CNY/MWh_th) and its own 50 MW load. A
line lets the zone export. Uncapped, zone coal serves both loads (100 t/h in the zone).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.config import Scenario
from energy.optimize.co2 import add_co2_cap, fixed_use_co2
from energy.results.co2 import co2_scopes
from energy.results.duals import binding_summary

HOURS = 4
WIND_COST = 2000.0  # CNY/MW over the 4 hours: 2000 / (4 h x 0.5) = 1000 CNY/MWh > 10 saved


def toy(fixed_gas: float = 0.0) -> pypsa.Network:
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-04-01", periods=HOURS, freq="h"))
    n.add("Carrier", ["coal", "AC", "onwind", "gas", "other gas use"],
          co2_emissions=[1.0, 0.0, 0.0, 0.2, 0.0])
    n.add("Bus", ["Z", "N"], carrier="AC", location=["zone", "SXC"])
    n.add("Bus", ["Z coal", "N coal"], carrier="coal", location=["zone", "SXC"])
    n.add("Generator", "Z coal supply", bus="Z coal", carrier="coal", p_nom=1000,
          marginal_cost=10)
    n.add("Generator", "N coal supply", bus="N coal", carrier="coal", p_nom=1000,
          marginal_cost=20)
    n.add("Link", "Z plant", bus0="Z coal", bus1="Z", carrier="coal", p_nom=150)
    n.add("Link", "N plant", bus0="N coal", bus1="N", carrier="coal", p_nom=150)
    n.add("Generator", "Z wind", bus="Z", carrier="onwind", p_nom_extendable=True,
          p_max_pu=0.5, capital_cost=WIND_COST, build_year=2035)
    n.add("Load", ["Z load", "N load"], bus=["Z", "N"], carrier="AC", p_set=50.0)
    n.add("Line", "Z-N", bus0="Z", bus1="N", x=0.1, s_nom=100, carrier="AC")
    if fixed_gas:
        n.add("Bus", "Z gas", carrier="gas", location="zone")
        n.add("Generator", "Z gas supply", bus="Z gas", carrier="gas", p_nom=1000,
              marginal_cost=30)
        n.add("Load", "other gas use", bus="Z gas", carrier="other gas use", p_set=fixed_gas)
    n.meta = {"co2_deemed_t_per_mwh": 1.0}
    return n


def solve(scenario: Scenario, fixed_gas: float = 0.0) -> pypsa.Network:
    n = toy(fixed_gas)
    n.optimize(solver_name="highs", extra_functionality=lambda m, s: add_co2_cap(m, s, scenario),
               log_to_console=False, include_objective_constant=False)
    return n


def co2(n: pypsa.Network, location: str) -> float:
    g = n.generators[n.generators.bus.map(n.buses.location) == location]
    return float((n.generators_t.p[g.index].sum() * g.carrier.map(n.carriers.co2_emissions)).sum())


def cap(t_per_hour: float, scope: str = "production", **co2_kw: object) -> Scenario:
    return Scenario(co2={"cap_mt": t_per_hour * HOURS / 1e6, "scope": scope,
                         "deemed_factor_t_per_mwh": 1.0, **co2_kw})


def test_uncapped_zone_exports_its_cheap_coal():
    n = solve(Scenario())
    assert co2(n, "zone") == pytest.approx(100 * HOURS, rel=1e-6)
    assert co2(n, "SXC") == pytest.approx(0.0, abs=1e-6)


def test_cap_binds_when_tight_and_is_inert_when_loose():
    free = solve(Scenario())
    tight = solve(cap(80))
    assert co2(tight, "zone") == pytest.approx(80 * HOURS, rel=1e-6)
    assert tight.objective > free.objective + 1.0
    assert float(tight.model.constraints["co2-cap"].dual) < -1e-6  # it binds
    loose = solve(cap(150))
    assert loose.objective == pytest.approx(free.objective, rel=1e-9)
    assert float(loose.model.constraints["co2-cap"].dual) == pytest.approx(0.0, abs=1e-9)


def test_neighbour_plants_never_count_in_the_zone_cap():
    n = solve(cap(30))
    assert co2(n, "zone") <= 30 * HOURS + 1e-6
    assert co2(n, "SXC") > 0  # the neighbour burns more, and the cap does not see it


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_production_cap_leaks_and_consumption_cap_abates():
    free = solve(Scenario())
    total_free = co2(free, "zone") + co2(free, "SXC")
    production = solve(cap(30))
    # the zone meets its production cap by exporting less and importing: nothing is abated
    assert co2(production, "zone") == pytest.approx(30 * HOURS, rel=1e-6)
    assert co2(production, "zone") + co2(production, "SXC") == pytest.approx(total_free,
                                                                            rel=1e-6)
    assert production.generators.p_nom_opt["Z wind"] == pytest.approx(0.0, abs=1e-3)
    consumption = solve(cap(30, scope="consumption"))
    # exports no longer lower the counted emissions: wind has to be built, CO2 really falls
    assert consumption.generators.p_nom_opt["Z wind"] > 1.0
    assert co2(consumption, "zone") + co2(consumption, "SXC") < total_free - 10 * HOURS
    flow = consumption.lines_t.p0["Z-N"]  # zone -> neighbour
    counted = co2(consumption, "zone") - float(flow.sum()) * 1.0
    assert counted <= 30 * HOURS + 1e-6


@pytest.mark.parametrize("scope", ["production", "consumption"])
def test_the_cap_price_is_reported_when_the_cap_binds(scope: str) -> None:
    """summary.json's binding block carries the cap's dual [CNY/t] (a single-row constraint)."""
    tight = binding_summary(solve(cap(30, scope=scope)))["co2_cap_cny_per_t"]
    assert set(tight) == {"co2-cap"} and tight["co2-cap"] > 1.0
    assert binding_summary(solve(cap(1e6, scope=scope)))["co2_cap_cny_per_t"] == {}


def test_fixed_gas_use_sits_outside_the_cap_unless_included():
    fixed = 10.0  # MW_th of other gas use at 0.2 t/MWh_th = 2 t/h
    n = toy(fixed)
    assert fixed_use_co2(n, n.snapshots) == pytest.approx(fixed * 0.2 * HOURS)
    outside = solve(cap(50), fixed_gas=fixed)
    inside = solve(cap(50, fixed_uses_in_cap=True), fixed_gas=fixed)
    assert co2(outside, "zone") == pytest.approx((50 + 2) * HOURS, rel=1e-6)
    assert co2(inside, "zone") == pytest.approx(50 * HOURS, rel=1e-6)


def test_reported_scopes_move_exports_and_imports():
    n = solve(Scenario())
    scopes = co2_scopes(n, Scenario())
    assert scopes["production_t"] == pytest.approx(100 * HOURS, rel=1e-6)
    exported = scopes["exports_mwh"]
    assert exported == pytest.approx(50 * HOURS, rel=1e-6)
    # the zone's power intensity is 1 t/MWh, so its consumption-based CO2 is half
    assert scopes["consumption_t"] == pytest.approx(scopes["production_t"] / 2, rel=1e-6)
    assert np.isfinite(scopes["neighbour_intensity_t_per_mwh"])
