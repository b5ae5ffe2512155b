"""Clean export with additionality: the corridor's clean energy is counted once."""

import pytest

from energy.optimize import InfeasibleError
from tests.solve_helpers import solve
from tests.tiny import WIND, clean_export_network, optimize, scenario

EXPORT_MWH = 2000.0  # over the tiny day, sent through a corridor of efficiency 0.95


def _export(share=1.0, matching="annual", sources="new", local=None):
    return scenario(export={"enabled": True, "clean_share": share, "matching": matching,
                            "clean_sources": sources},
                    policy={"min_renewable_share": local})


def _wind_mwh(n, name):
    return float(n.generators_t.p[name].sum())


def _old_wind_share(n):
    """Share of the tiny zone's load that the existing wind alone can supply [p.u.]."""
    return float((300.0 * WIND).sum() / n.loads_t.p_set["Z load"].sum())


@pytest.mark.parametrize("matching", ["annual", "hourly"])
def test_clean_export_needs_additional_wind_when_the_local_share_is_met(matching):
    ref = clean_export_network(EXPORT_MWH)
    local = _old_wind_share(ref)
    n = optimize(ref, _export(matching=matching, local=local))
    sent = float(n.links_t.p0["corridor"].sum())
    assert sent == pytest.approx(EXPORT_MWH / 0.95, rel=1e-6)
    # the old wind is spoken for by the local share; the export's clean energy is new wind
    assert _wind_mwh(n, "wind new") >= sent * (1 - 1e-6)
    # counted once: all wind minus the contracted export still meets the local share
    res = _wind_mwh(n, "wind old") + _wind_mwh(n, "wind new")
    assert res - sent >= local * n.loads_t.p_set["Z load"].sum() * (1 - 1e-6)
    if matching == "hourly":
        assert (n.links_t.p0["corridor"] <= n.generators_t.p["wind new"] + 1e-4).all()


def test_without_additional_wind_a_clean_export_is_infeasible():
    n = optimize(clean_export_network(EXPORT_MWH, new_wind_max=0.0), _export())
    assert n.meta["condition"] == "infeasible"
    # counting the existing fleet, as the formulation before additionality did, it is not
    old = optimize(clean_export_network(EXPORT_MWH, new_wind_max=0.0), _export(sources="all"))
    assert old.meta["condition"] == "optimal"


def test_loose_clean_share_changes_nothing():
    free = optimize(clean_export_network(EXPORT_MWH), _export(share=0.0))
    loose = optimize(clean_export_network(EXPORT_MWH), _export(share=0.01))
    assert loose.objective == pytest.approx(free.objective, rel=1e-7)


@pytest.mark.slow
def test_zone_clean_export_fails_without_new_wind_and_solar():
    # 5 TWh/a (the 2030 schedule), fully clean, wind and solar expansion off: the existing
    # fleet (10 TWh/a in this slice) could cover it only by being counted twice
    common = ("export.enabled=true", "export.energy_twh=5", "export.clean_share=1.0",
              "technologies.onwind=false", "technologies.solar=false")
    with pytest.raises(InfeasibleError):
        solve(*common)
    assert solve(*common, "export.clean_sources=all").objective > 0
