"""Reserve margin: binds when the firm fleet falls short of the peak, inert when loose."""

import numpy as np
import pytest

from energy.optimize.reserve_margin import import_capability, peak_window
from tests.tiny import HOURS, SHAPE, optimize, reserve_network, scenario

MARGIN = 0.15
CREDIT = {"coal": 0.95, "coal CHP": 0.9, "OCGT": 0.95}


def _reserve(margin, **policy):
    return scenario(policy={"reserve_margin": margin, "reserve_credit": CREDIT, **policy})


def _ocgt_mw(n):
    return float(n.links.p_nom_opt["OCGT new"] * n.links.efficiency["OCGT new"])


def _heat_peak_needs_the_heat_pump(heat_peak_mw=900.0):
    """At hour 6 the heat peak exceeds the CHP's 615 MW_th, so the heat pump must run."""
    return heat_peak_mw > 400.0 / (0.5 + 0.15)


def test_margin_binds_when_the_firm_fleet_falls_short():
    assert _heat_peak_needs_the_heat_pump()
    free = optimize(reserve_network(coal_mw=800.0, heat_peak_mw=900.0), _reserve(None))
    assert _ocgt_mw(free) < 1e-3  # energy alone needs no new plant
    n = optimize(reserve_network(coal_mw=800.0, heat_peak_mw=900.0), _reserve(MARGIN))
    assert n.objective > free.objective + 1.0
    # by hand at the electricity peak (hour 18): firm coal 0.95 x 800 + CHP 0.9 x 400,
    # less the CHP's heat extraction 0.9 x c_v x Q_18, must cover 1.15 x the load there
    q18 = float(n.links_t.p1.at[18, "chp heat"] * -1)
    needed = (1 + MARGIN) * 1000.0 * SHAPE[18] + 0.9 * 0.15 * q18 - (0.95 * 800 + 0.9 * 400)
    assert _ocgt_mw(n) * 0.95 >= needed - 1e-3
    # the peak load alone (the old formulation) would need less than what is built
    assert _ocgt_mw(n) * 0.95 > (1 + MARGIN) * 1000.0 - (0.95 * 800 + 0.9 * 400) + 10.0


def test_margin_holds_in_every_hour_of_the_window_with_heat_pumps_and_chp_derating():
    n = optimize(reserve_network(coal_mw=800.0, heat_peak_mw=900.0), _reserve(MARGIN))
    firm = 0.95 * 800 + 0.9 * 400 + 0.95 * _ocgt_mw(n)
    heat_pump = n.links_t.p0["heat pump"]
    extraction = -n.links_t.p1["chp heat"] * 0.15  # c_v x Q [MW_el]
    load = 1000.0 * SHAPE
    slack = firm - 0.9 * extraction - (1 + MARGIN) * (load + heat_pump)
    window = peak_window(n, n.snapshots, _reserve(MARGIN).policy.reserve_peak_snapshots)
    assert (slack[window] >= -1e-3).all()
    assert slack[window].min() == pytest.approx(0.0, abs=1e-2)  # it binds somewhere
    assert heat_pump[6] > 1.0  # the heat peak needs the heat pump


def test_loose_margin_changes_nothing():
    free = optimize(reserve_network(coal_mw=1000.0, heat_peak_mw=900.0), _reserve(None))
    loose = optimize(reserve_network(coal_mw=1000.0, heat_peak_mw=900.0), _reserve(MARGIN))
    assert loose.objective == pytest.approx(free.objective, rel=1e-7)
    assert _ocgt_mw(loose) < 1e-3


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_imports_count_only_when_contracted_and_over_lines_in_service():
    kw = dict(coal_mw=600.0, heat_peak_mw=900.0, import_line_mw=200.0, island_import_mw=500.0)
    n = reserve_network(**kw)
    assert import_capability(n) == pytest.approx(200.0)  # island C counts nothing
    none = optimize(reserve_network(**kw), _reserve(MARGIN))
    contracted = optimize(reserve_network(**kw), _reserve(MARGIN, reserve_import_mw=150.0))
    beyond = optimize(reserve_network(**kw), _reserve(MARGIN, reserve_import_mw=900.0))
    assert 0.95 * (_ocgt_mw(none) - _ocgt_mw(contracted)) == pytest.approx(150.0, abs=0.5)
    assert 0.95 * (_ocgt_mw(none) - _ocgt_mw(beyond)) == pytest.approx(200.0, abs=0.5)


def test_peak_window_takes_electric_and_heat_peaks():
    n = reserve_network(coal_mw=800.0, heat_peak_mw=900.0)
    window = peak_window(n, n.snapshots, 1)
    assert set(window) == {int(np.argmax(SHAPE)), 6}  # electricity peak 18 h, heat peak 6 h
    assert len(peak_window(n, n.snapshots, 3)) <= 6 < HOURS


def test_with_a_modelled_neighbour_only_lines_into_the_zone_count():
    # the neighbour's boundary buses carry its location: imports reach the zone only over the
    # lines that exist between them and the zone (C has none in this year)
    n = reserve_network(coal_mw=600.0, heat_peak_mw=900.0, import_line_mw=200.0,
                        island_import_mw=500.0)
    n.buses["location"] = "zone"
    n.buses.loc[["B", "C"], "location"] = "SXN"
    assert import_capability(n) == pytest.approx(200.0)
    n.remove("Line", "B-Z")
    assert import_capability(n) == 0.0  # no line in service: an island, nothing counts
