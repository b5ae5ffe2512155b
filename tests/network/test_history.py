"""2025 is history: what exists, no investment; vintages, lifetimes and statistics years."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from pypsa.descriptors import nominal_attrs

from energy.inputs import load_inputs
from energy.network import build_network
from energy.network.history import zone_demand_mwh
from energy.optimize.pathway import build_perfect_foresight
from tests.solve_helpers import inputs_and_profiles, scenario


@cache
def built(*overrides: str, name: str = "base", hours: int = 24):
    """A network of the real data over ``hours`` hours (cached: several tests read it)."""
    inputs, profiles = inputs_and_profiles()
    return build_network(scenario(*overrides, name=name, hours=hours), inputs, profiles)


def _extendable(n):
    for c, attr in nominal_attrs.items():
        static = n.components[c].static
        if static.empty:
            continue
        yield c, attr, static[static[f"{attr}_extendable"]]


def test_base_2025_has_no_investment_only_markets():
    n = built(name="base-2025")
    for c, attr, ext in _extendable(n):
        # what stays extendable are fuel markets: free, unbounded, not built in 2025
        assert (ext.capital_cost == 0).all(), (c, list(ext.index))
        assert not np.isfinite(ext[f"{attr}_max"]).any(), (c, list(ext.index))
        assert (ext.build_year != 2025).all(), (c, list(ext.index))
    assert (n.generators.carrier == "load shedding").any()  # a shortfall shows, not infeasible
    assert not (n.generators.carrier == "export xiongan").any()  # no corridor yet
    assert not n.lines.s_nom_extendable.any()


@pytest.mark.slow
def test_first_pathway_period_holds_only_what_exists():
    inputs, profiles = inputs_and_profiles()
    s = scenario("pathway.mode=perfect_foresight", "export.enabled=false",
                 "technologies.line_expansion=false", hours=24)  # as the pathway scenarios
    n = build_perfect_foresight(s, inputs, profiles)
    for c, _attr, ext in _extendable(n):
        priced = ext[ext.capital_cost > 0]
        assert not (priced.build_year <= 2025).any(), (c, list(priced.index))
        assert (priced.build_year >= s.first_investment_year).all()
    # the neighbour's fleet is per period: its 2025 plants are active in 2025 only
    link = "SXC coal_large 2025"
    assert n.components["Link"].get_active_assets(2025)[link]
    assert not n.components["Link"].get_active_assets(2030)[link]
    assert "SXC coal_large 2030" in n.meta["daily_commitment"]


def test_existing_wind_solar_and_phs_carry_vintages_and_lifetimes():
    inputs, _ = inputs_and_profiles()
    n = built()
    existing = n.generators[n.generators.carrier.isin(["onwind", "solar"])
                            & ~n.generators.p_nom_extendable]
    zone = existing[existing.bus.map(n.buses.location) == "zone"]
    vintages = inputs.renewable_vintages
    assert zone.p_nom.sum() == pytest.approx(vintages.p_nom_mw.sum())
    assert np.isfinite(zone.lifetime).all() and (zone.lifetime == 25).all()
    assert set(zone.build_year.astype(int)) == set(vintages.build_year.astype(int))
    phs = n.storage_units.loc["PHS_Xilongchi_I"]
    assert (phs.build_year, phs.lifetime) == (2008, 50)


@pytest.mark.slow
def test_a_vintage_past_its_lifetime_is_gone(data_copy):
    import pandas as pd

    path = data_copy / "renewable_vintages.csv"
    table = pd.read_csv(path)
    row = table.index[table.site_id == "onwind_XZB500"][0]
    table.loc[row, "build_year"] = 2005  # 2005 + 25 a: retired before 2035
    table.to_csv(path, index=False)
    inputs = load_inputs(data_copy)
    _, profiles = inputs_and_profiles()
    n = build_network(scenario(hours=24), inputs, profiles)
    assert not n.generators.index.str.startswith("onwind_XZB500 existing").any()
    n25 = build_network(scenario(name="base-2025", hours=24), inputs, profiles)
    assert "onwind_XZB500 existing 2005" in n25.generators.index


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_statistics_year_dispatches_that_year():
    inputs, _ = inputs_and_profiles()
    n23 = built("year=2025", "statistics_year=2023")
    n25 = built(name="base-2025")
    wind = n23.generators[(n23.generators.carrier == "onwind")
                          & (n23.generators.bus.map(n23.buses.location) == "zone")]
    assert wind.p_nom.sum() == pytest.approx(1896.0)  # GEM operating, May 2023 (S06)
    assert "L_XZB_PC" not in n23.lines.index  # in service 2026
    counties = inputs.counties.county_id
    ratio = n23.loads_t.p_set[counties].sum().sum() / n25.loads_t.p_set[counties].sum().sum()
    assert ratio == pytest.approx(zone_demand_mwh(inputs, 2023) / zone_demand_mwh(inputs, 2025))
    fleet = inputs.neighbour_fleet
    coal23 = fleet[(fleet.year == 2023) & (fleet.unit_id == "coal_large")
                   & (fleet.region_id == "SXC")].p_nom_mw.iloc[0]
    link = n23.links.loc["SXC coal_large"]
    assert link.p_nom * link.efficiency == pytest.approx(coal23)


def test_zone_demand_of_a_statistics_year_extrapolates_the_milestone_growth():
    inputs, _ = inputs_and_profiles()
    totals = inputs.demand.groupby("year").annual_mwh.sum()
    expected = totals[2025] * (totals[2030] / totals[2025]) ** (-2 / 5)
    assert zone_demand_mwh(inputs, 2023) == pytest.approx(expected)
    assert zone_demand_mwh(inputs, 2030) == pytest.approx(totals[2030])
    assert zone_demand_mwh(inputs, 2028) == pytest.approx(
        totals[2025] * (totals[2030] / totals[2025]) ** (3 / 5))
