"""Near-optimal ranges: min <= optimum <= max, every alternative within its cost slack."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.config import NearOptimalConfig, Scenario
from energy.optimize import SolveError, solve_network
from energy.optimize.near_optimal import DECISIONS, decision_value, near_optimal_ranges

SLACKS = [0.02, 0.05]


def _network() -> pypsa.Network:
    """One bus, 6 hours: wind, solar, battery and OCGT compete to serve a flat 100 MW load."""
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=6, freq="h"))
    n.add("Carrier", ["AC", "onwind", "solar", "OCGT", "gas", "battery", "battery charger",
                      "battery discharger"])
    n.add("Bus", "AC", carrier="AC")
    n.add("Bus", "gas", carrier="gas")
    n.add("Bus", "AC battery", carrier="battery")
    n.add("Load", "load", bus="AC", p_set=100.0, carrier="AC")
    n.add("Generator", "gas supply", bus="gas", carrier="gas", p_nom_extendable=True,
          marginal_cost=200.0)
    n.add("Generator", "onwind new", bus="AC", carrier="onwind", p_nom_extendable=True,
          p_nom_max=400.0, capital_cost=300.0, p_max_pu=[0.9, 0.1, 0.8, 0.2, 0.7, 0.3])
    n.add("Generator", "solar new", bus="AC", carrier="solar", p_nom_extendable=True,
          capital_cost=250.0, p_max_pu=[0.0, 0.5, 1.0, 1.0, 0.5, 0.0])
    n.add("Link", "AC OCGT new", bus0="gas", bus1="AC", carrier="OCGT", efficiency=0.4,
          p_nom_extendable=True, capital_cost=150.0)
    n.add("Store", "AC battery", bus="AC battery", carrier="battery", e_nom_extendable=True,
          e_cyclic=True, capital_cost=60.0)
    n.add("Link", "AC battery charger", bus0="AC", bus1="AC battery", carrier="battery charger",
          efficiency=0.95, p_nom_extendable=True, capital_cost=40.0)
    n.add("Link", "AC battery discharger", bus0="AC battery", bus1="AC",
          carrier="battery discharger", efficiency=0.95, p_nom_extendable=True)
    return n


def _scenario(**near: object) -> Scenario:
    cfg = NearOptimalConfig(enabled=True, slacks=SLACKS,
                            decisions=["onwind", "battery", "gas_turbines", "corridor"],
                            **near)
    return Scenario(near_optimal=cfg, verify=False, heat={"enabled": False},
                    gas={"enabled": False})


@pytest.fixture(scope="module")
def solved() -> tuple[pypsa.Network, Scenario]:
    n, scenario = _network(), _scenario()
    solve_network(n, scenario)
    return n, scenario


def test_ranges_bracket_the_optimum_within_the_slack(solved) -> None:  # noqa: ANN001
    n, scenario = solved
    optimum_cost = float(n.statistics.capex().sum() + n.statistics.opex().sum())
    at_opt = {k: decision_value(n, DECISIONS[k]) for k in scenario.near_optimal.decisions}
    table, block = near_optimal_ranges(n, scenario)
    assert block["optimal_system_cost"] == pytest.approx(optimum_cost)
    # the optimum is untouched: the alternatives were solved on a copy
    assert {k: decision_value(n, DECISIONS[k]) for k in at_opt} == at_opt
    tol = 1e-3 * max(table["max"].max(), 1.0)
    for rec in table.itertuples():
        assert rec.min - tol <= rec.optimum <= rec.max + tol, rec.decision
        assert rec.optimum == pytest.approx(at_opt[rec.decision])
        budget = (1 + rec.slack) * optimum_cost
        for cost in (rec.cost_at_min, rec.cost_at_max):
            assert cost <= budget * (1 + 1e-4), (rec.decision, rec.slack)
            assert cost >= optimum_cost * (1 - 1e-4)  # nothing beats the optimum
    # a wider slack never narrows a range
    by = table.set_index(["decision", "slack"])
    for key in scenario.near_optimal.decisions:
        assert by.loc[(key, 0.05), "min"] <= by.loc[(key, 0.02), "min"] + tol
        assert by.loc[(key, 0.05), "max"] >= by.loc[(key, 0.02), "max"] - tol
    # wind is a real choice here: its range opens up with the slack
    assert by.loc[("onwind", 0.05), "max"] > by.loc[("onwind", 0.05), "min"] + 1.0
    # a decision the network does not have is reported as such, with no LP
    assert by.loc[("corridor", 0.05), "status"] == "not a decision in this scenario"
    assert by.loc[("corridor", 0.05), "solves"] == 0
    assert set(block["ranges"]) == set(scenario.near_optimal.decisions)
    assert block["ranges"]["onwind"]["0.02"] == [by.loc[("onwind", 0.02), "min"],
                                                 by.loc[("onwind", 0.02), "max"]]


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_objective_cost_equals_cost_recomputed_from_the_solution(solved) -> None:  # noqa: ANN001
    n, _ = solved
    scenario = _scenario()
    scenario = scenario.model_copy(update={"near_optimal": scenario.near_optimal.model_copy(
        update={"decisions": ["onwind"], "slacks": [0.05]})})
    fast, _ = near_optimal_ranges(n, scenario)
    slow, _ = near_optimal_ranges(n, scenario, recompute=True)
    cols = ["min", "max", "cost_at_min", "cost_at_max"]
    assert np.allclose(fast[cols].to_numpy(), slow[cols].to_numpy(), rtol=1e-6)


def test_unknown_decision_is_an_error(solved) -> None:  # noqa: ANN001
    n, _ = solved
    scenario = _scenario()
    bad = scenario.model_copy(update={"near_optimal": scenario.near_optimal.model_copy(
        update={"decisions": ["nuclear"]})})
    with pytest.raises(SolveError, match="unknown"):
        near_optimal_ranges(n, bad)


@pytest.mark.slow
def test_alternatives_shared_among_dask_workers_give_the_serial_ranges(solved) -> None:  # noqa: ANN001
    n, scenario = solved
    serial, block1 = near_optimal_ranges(n, scenario)
    two = scenario.model_copy(update={"near_optimal": scenario.near_optimal.model_copy(
        update={"workers": 2})})
    parallel, block2 = near_optimal_ranges(n, two)
    assert block2["workers"] == 2 and block1["workers"] == 1
    assert block2["solves"] == block1["solves"] == int(serial["solves"].sum()) > 0
    cols = ["min", "max", "cost_at_min", "cost_at_max", "solves"]
    assert np.allclose(parallel[cols].to_numpy(float), serial[cols].to_numpy(float),
                       rtol=1e-6, atol=1e-3)


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_slack_of_a_smaller_basis_narrows_the_ranges(solved) -> None:  # noqa: ANN001
    n, scenario = solved
    scenario = scenario.model_copy(update={"near_optimal": scenario.near_optimal.model_copy(
        update={"decisions": ["onwind"], "slacks": [0.05]})})
    whole, block = near_optimal_ranges(n, scenario)
    optimum = block["optimal_system_cost"]
    part, block_part = near_optimal_ranges(n, scenario, basis=0.2 * optimum)
    assert block_part["slack_basis"] == pytest.approx(0.2 * optimum)
    rec = part.iloc[0]
    assert rec.budget == pytest.approx(optimum * (1 + 0.05 * 0.2))
    assert max(rec.cost_at_min, rec.cost_at_max) <= rec.budget * (1 + 1e-4)
    assert rec["min"] >= whole.iloc[0]["min"] - 1e-3 and rec["max"] <= whole.iloc[0]["max"] + 1e-3
    assert rec["max"] - rec["min"] < whole.iloc[0]["max"] - whole.iloc[0]["min"]
    with pytest.raises(SolveError, match="positive"):
        near_optimal_ranges(n, scenario, basis=-1.0)
