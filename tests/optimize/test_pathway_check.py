"""Full-year check of each pathway period's design (energy.optimize.pathway_check)."""

from __future__ import annotations

import pandas as pd
import pypsa
import pytest

from energy.optimize.pathway_check import (
    check_periods,
    fix_period,
    not_placed,
    period_capacities,
)


def _pathway() -> pypsa.Network:
    """A solved-looking perfect-foresight network: one wind site built in 2030 and 2035,
    a battery built in 2030 with a 5-year life, and an old coal plant retiring in 2032."""
    n = pypsa.Network()
    n.set_snapshots(pd.MultiIndex.from_product([[2025, 2030, 2035], range(2)]))
    n.set_investment_periods([2025, 2030, 2035])
    n.add("Bus", "Z")
    n.add("Generator", ["wind 2030", "wind 2035"], bus="Z", p_nom_extendable=True,
          build_year=[2030, 2035], lifetime=25, candidate="wind")
    n.add("Generator", "coal", bus="Z", p_nom=600.0, build_year=2002, lifetime=30)
    n.add("StorageUnit", "battery 2030", bus="Z", p_nom_extendable=True, build_year=2030,
          lifetime=5, candidate="battery")
    n.add("Line", "Z-Y", bus0="Z", bus1="Z", x=0.1, s_nom_extendable=True, build_year=2025,
          lifetime=100)
    n.generators["p_nom_opt"] = [300.0, 200.0, 600.0]
    n.storage_units["p_nom_opt"] = [50.0]
    n.lines["s_nom_opt"] = [900.0]
    return n


def _year() -> pypsa.Network:
    """A milestone year's own network: candidates by site name, extendable."""
    n = pypsa.Network()
    n.set_snapshots(range(2))
    n.add("Bus", "Z")
    n.add("Generator", ["wind", "solar"], bus="Z", p_nom_extendable=True)
    n.add("StorageUnit", "battery", bus="Z", p_nom_extendable=True)
    n.add("Generator", "coal", bus="Z", p_nom=600.0)
    n.add("Line", "Z-Y", bus0="Z", bus1="Z", x=0.1, s_nom_extendable=True)
    return n


def test_what_stands_in_a_year_is_summed_over_build_years_and_retires_by_age():
    n = _pathway()
    assert period_capacities(n, 2025)["Generator"].to_dict() == {"coal": 600.0}
    c2030 = period_capacities(n, 2030)
    assert c2030["Generator"].to_dict() == {"coal": 600.0, "wind": 300.0}
    assert c2030["StorageUnit"].to_dict() == {"battery": 50.0}
    c2035 = period_capacities(n, 2035)
    # 300 MW of 2030 and 200 MW of 2035 on one site; the 2030 battery and the coal plant
    # (2002 + 30 a) are gone
    assert c2035["Generator"].to_dict() == {"wind": 500.0}
    assert c2035["StorageUnit"].empty
    assert c2035["Line"].to_dict() == {"Z-Y": 900.0}


def test_the_year_network_takes_the_period_capacities_and_nothing_stays_extendable():
    n, year = _pathway(), _year()
    capacities = period_capacities(n, 2035)
    assert not_placed(capacities, year) == {}
    fixed = fix_period(year, capacities)
    assert fixed == 4
    assert year.lines.s_nom["Z-Y"] == 900.0
    g = year.generators
    assert g.p_nom.to_dict() == {"wind": 500.0, "solar": 0.0, "coal": 600.0}
    assert not g.p_nom_extendable.any() and not year.storage_units.p_nom_extendable.any()
    assert year.storage_units.p_nom["battery"] == 0.0  # retired in 2035


def test_capacity_on_a_site_the_year_does_not_offer_is_reported():
    n, year = _pathway(), _year()
    year.remove("Generator", "wind")
    missing = not_placed(period_capacities(n, 2030), year)
    assert missing == {"Generator:wind": 300.0}


def test_myopic_capacity_carried_onto_a_site_the_year_no_longer_lists_is_reported():
    """Myopic: 2030's wind carried into 2035 as a fixed asset ``"wind 2030"`` (site
    ``wind``); the 2035 network has no ``wind`` at all (say its potential was used up)."""
    n = pypsa.Network()
    n.set_snapshots(range(2))
    n.add("Bus", "Z")
    n.add("Generator", "wind 2030", bus="Z", p_nom=300.0, build_year=2030, lifetime=25,
          candidate="wind")
    n.add("Generator", "solar", bus="Z", p_nom_extendable=True, build_year=2035,
          lifetime=25, candidate="solar")
    n.generators["p_nom_opt"] = [300.0, 0.0]
    year = _year()
    year.remove("Generator", "wind")
    capacities = period_capacities(n, 2035)
    assert capacities["Generator"].to_dict() == {"wind": 300.0, "solar": 0.0}
    assert not_placed(capacities, year) == {"Generator:wind": 300.0}
    year_with_wind = _year()
    assert not_placed(capacities, year_with_wind) == {}


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["perfect_foresight", "myopic"])
def test_each_period_of_a_segmented_pathway_passes_the_full_year_check(mode: str):
    """A pathway on 48 h at 16 segments: every period's design is dispatched hour by hour
    with the capacities that stand in that year, and serves every hour."""
    from energy.optimize.pathway import solve_pathway
    from tests.solve_helpers import inputs_and_profiles, scenario

    inputs, profiles = inputs_and_profiles()
    s = scenario("technologies.line_expansion=false", "export.enabled=false",
                 f"pathway.mode={mode}", hours=48)
    s = s.model_copy(update={"resolution": "seg16"})
    solved, _ = solve_pathway(s, inputs, profiles)
    check = check_periods(s, inputs, profiles, solved)
    assert sorted(check["periods"]) == ["2025", "2030", "2035"]
    for year, result in check["periods"].items():
        assert result["snapshots"] == 48
        assert result["capacity_not_placed"] == {}
        assert result["storage_feasible"]
        # capacities fixed, the period's design is a dispatch: the check's preset solves it
        assert result["design_preset"] == s.check.preset
        # 48 h stand for a year (x 182.5): 10 MWh/a is 0.05 MWh in the slice, solver noise
        assert result["unserved_energy_mwh"] < 10.0, year
    # what the check dispatched in 2035 is what the pathway has standing then
    last = solved if mode == "perfect_foresight" else solved[2035]
    standing = period_capacities(last, 2035)["Generator"]
    assert standing.sum() > 0
    assert check["periods"]["2035"]["capacities_fixed"] > 0
