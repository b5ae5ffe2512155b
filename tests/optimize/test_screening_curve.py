"""A known analytic case: the screening curve of two technologies on one bus.

With annualised capital costs C_b > C_p and marginal costs c_b < c_p, base load is cheaper for
loads present more than h* = (C_b - C_p) / (c_p - c_b) hours, so the optimal peaker capacity is
peak load minus the load level exceeded for h* hours of the load-duration curve.
"""

import highspy
import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.config import Scenario
from energy.optimize import PRESETS, solve_network


@pytest.mark.parametrize("preset", ["hipo", "hipo-crossover", "ipm", "simplex"])
def test_screening_curve_capacities(preset):
    hours = 200
    load = np.linspace(1000.0, 100.0, hours)  # MW, already a duration curve
    cap_base, cap_peak = 60000.0, 10000.0  # CNY/MW per horizon
    mc_base, mc_peak = 50.0, 550.0  # CNY/MWh
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=hours, freq="h"))
    n.add("Carrier", ["AC", "base", "peak"])
    n.add("Bus", "b", carrier="AC")
    n.add("Load", "l", bus="b", p_set=load)
    n.add("Generator", "base", bus="b", carrier="base", p_nom_extendable=True,
          capital_cost=cap_base, marginal_cost=mc_base)
    n.add("Generator", "peak", bus="b", carrier="peak", p_nom_extendable=True,
          capital_cost=cap_peak, marginal_cost=mc_peak)
    scenario = Scenario.model_validate({"solver": {"preset": preset, "fallback": []}})
    report = solve_network(n, scenario)
    assert report.preset == preset
    h_star = (cap_base - cap_peak) / (mc_peak - mc_base)  # 100 h
    base_expected = load[int(h_star) - 1]  # load exceeded for h* hours
    assert n.generators.p_nom_opt["base"] == pytest.approx(base_expected, rel=1e-3, abs=5)
    assert n.generators.p_nom_opt["peak"] == pytest.approx(load.max() - base_expected,
                                                           rel=1e-3, abs=5)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_options_are_valid_highs_options(preset):
    """Every option of every preset is one HiGHS knows, with a value it accepts.

    HiGHS only logs a rejected option and solves with its default, so a misspelt solver name
    would silently run another algorithm.
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in PRESETS[preset].items():
        assert h.setOptionValue(key, value) == highspy.HighsStatus.kOk, (preset, key, value)
