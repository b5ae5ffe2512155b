"""Gas system: balance incl. storage, CBM cap, price response, switch off."""

from __future__ import annotations

import pandas as pd
import pytest

from energy.network.gas import MWH_PER_MM3, cbm_to_grid_mm3, gas_parameter
from tests.solve_helpers import build, inputs_and_profiles, solve

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")


def bus_residual(n, bus: str) -> pd.Series:
    """Supply minus withdrawal at one bus in every snapshot [MW]."""
    res = pd.Series(0.0, index=n.snapshots)
    g = n.generators.index[n.generators.bus == bus]
    res += n.generators_t.p[g].sum(axis=1)
    loads = n.loads.index[n.loads.bus == bus]
    res -= n.loads_t.p[loads].sum(axis=1)
    s = n.stores.index[n.stores.bus == bus]
    res += n.stores_t.p[s].sum(axis=1)
    for port in (0, 1):
        links = n.links.index[n.links[f"bus{port}"] == bus]
        res -= n.links_t[f"p{port}"][links].sum(axis=1)
    return res


def gas_burnt(n) -> float:
    """Gas drawn by plants and boilers (not storage, not other use) [MWh_th/a]."""
    links = n.links[(n.links.bus0 == "gas") & ~n.links.carrier.str.startswith("gas storage")]
    return float(n.links_t.p0[links.index].multiply(n.snapshot_weightings.generators,
                                                    axis=0).sum().sum())


def test_gas_balance_closes_including_storage(week_run):
    n = week_run["network"]
    scale = n.loads_t.p_set["other gas use"].max()
    for bus in ("gas", "gas storage"):
        assert bus_residual(n, bus).abs().max() < 1e-4 * scale
    # storage: level follows injection and withdrawal, and is cyclic over the week
    stores = n.stores.index[n.stores.carrier == "gas storage"]
    level = n.stores_t.e[stores].sum(axis=1)
    inj = n.links_t.p1[n.links.index[n.links.carrier == "gas storage injection"]].sum(axis=1)
    wd = n.links_t.p0[n.links.index[n.links.carrier == "gas storage withdrawal"]].sum(axis=1)
    change = (-inj - wd).to_numpy()  # p1 of injection is negative when gas enters storage
    expected = level.shift(1).fillna(level.iloc[-1]) + change
    assert (level - expected).abs().max() < 1e-4 * scale
    gb = week_run["tables"]["gas_balance"]
    assert abs(gb.value_mwh_th_per_a.sum()) < 1e-4 * gb.value_mwh_th_per_a.abs().max()
    s = week_run["summary"]["gas"]
    supply = sum(s["supply_mm3"].values()) - s["storage_injection_mm3"]
    # unserved gas is supplied by the shedding generator: supply + unserved = use
    assert supply + s["unserved_gas_mm3"] == pytest.approx(sum(s["use_mm3"].values()), rel=1e-4)


def test_cbm_use_stays_below_its_annual_cap(week_run):
    n = week_run["network"]
    cbm = n.generators.index[n.generators.carrier == "CBM"]
    assert len(cbm) == 1
    used = float((n.generators_t.p[cbm[0]] * n.snapshot_weightings.generators).sum())
    cap = float(n.generators.at[cbm[0], "e_sum_max"])
    assert cap == pytest.approx(500.0 * MWH_PER_MM3)  # gas.csv 2035, CMM engines retired
    assert used <= cap * (1 + 1e-6)
    assert week_run["summary"]["gas"]["cbm_cap_use"] <= 1 + 1e-6


@pytest.mark.slow
def test_cbm_cap_override_binds():
    n = solve("gas.cbm_cap_mm3=50")
    cbm = n.generators.index[n.generators.carrier == "CBM"][0]
    used = float((n.generators_t.p[cbm] * n.snapshot_weightings.generators).sum())
    assert used <= 50 * MWH_PER_MM3 * (1 + 1e-6)
    assert used == pytest.approx(50 * MWH_PER_MM3, rel=1e-3)  # CBM is cheaper than import


@pytest.mark.slow
def test_raising_the_gas_price_lowers_gas_use():
    cheap = solve("gas.import_price_cny_per_m3=1.5")
    dear = solve("gas.import_price_cny_per_m3=4.0")
    assert gas_burnt(cheap) > 0
    assert gas_burnt(dear) < 0.9 * gas_burnt(cheap)


def test_emissions_by_sector_add_up(week_run):
    s = week_run["summary"]
    sectors = s["co2_by_sector_t"]
    assert {"power", "heat", "other gas use"} <= set(sectors)
    assert sectors["heat"] > 0 and sectors["power"] > 0
    assert sum(sectors.values()) == pytest.approx(s["co2_emissions"], rel=1e-5)
    assert abs(sectors.get("gas storage", 0.0)) < 1e-4 * s["co2_emissions"]


def test_gas_off_restores_unconstrained_fuel_supply():
    n = build("gas.enabled=false")
    assert "gas storage" not in n.buses.index
    assert "gas supply" in n.generators.index and "CBM supply" in n.generators.index
    assert n.generators.at["gas supply", "p_nom_extendable"]


@pytest.mark.slow
def test_cmm_engine_use_is_deducted_only_while_the_engines_run():
    inputs, _ = inputs_and_profiles()
    engines = inputs.plants[inputs.plants.carrier == "CMM"]
    retire = int((engines.build_year + engines.lifetime_years).max())  # 2030 (2010 + 20)
    for year in (2025, 2030, 2035):
        gross = gas_parameter(inputs, "cbm_cap", year)
        use = gas_parameter(inputs, "cmm_engine_use", year)
        expected = gross - use if year < retire else gross
        assert cbm_to_grid_mm3(inputs, year) == pytest.approx(expected)
    n = build("year=2025")
    assert (n.links.carrier == "CMM").any()
    cbm = n.generators.index[n.generators.carrier == "CBM"][0]
    assert n.generators.at[cbm, "e_sum_max"] == pytest.approx(
        (gas_parameter(inputs, "cbm_cap", 2025) - 55.0) * MWH_PER_MM3)
    assert not (build("year=2030").links.carrier == "CMM").any()
