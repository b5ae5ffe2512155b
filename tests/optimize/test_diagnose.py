"""Issue #21: an infeasible model is diagnosed (where demand cannot be met, or HiGHS's IIS)."""

from __future__ import annotations

import pandas as pd
import pypsa
import pytest

from energy.config import Scenario
from energy.optimize.diagnose import diagnose_infeasible
from energy.optimize.errors import SolveError

LOAD = [100.0, 150.0, 100.0]  # MW; the plant has 120 MW: hour 2 is 30 MW short


def tiny(s: Scenario, must_run: bool = False) -> pypsa.Network:
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=3, freq="h"))
    n.add("Carrier", ["AC", "gas", "load shedding"])
    n.add("Bus", "A", carrier="AC")
    n.add("Load", "A load", bus="A", p_set=pd.Series(LOAD, index=n.snapshots))
    n.add("Generator", "A gas", bus="A", carrier="gas", p_nom=120.0, marginal_cost=50.0,
          p_min_pu=1.0 if must_run else 0.0)
    if s.load_shedding.enabled:
        n.add("Generator", "A load shedding", bus="A", carrier="load shedding", p_nom=200.0,
              marginal_cost=s.load_shedding.voll_cny_per_mwh)
    return n


def solve(n: pypsa.Network, s: Scenario) -> None:  # noqa: ARG001
    status, termination = n.optimize(solver_name="highs", log_to_console=False,
                                     include_objective_constant=False)
    if termination != "optimal":
        raise SolveError(termination)


def test_shortfall_is_reported_with_bus_energy_and_snapshot() -> None:
    s = Scenario(load_shedding={"enabled": False})
    n = tiny(s)
    with pytest.raises(SolveError):
        solve(n, s)
    text = diagnose_infeasible(n, s, tiny, solve)
    assert text.startswith("demand cannot be met: with load shedding allowed the model sheds "
                           "30 MWh/a (A 30 MWh), from 2035-01-01 01:00:00 on, at most 30 MW at "
                           "2035-01-01 01:00:00")


def test_conflict_that_shedding_cannot_fix_is_named_from_the_iis() -> None:
    """120 MW must run against a 100 MW load: no amount of shedding helps."""
    s = Scenario(load_shedding={"enabled": True})
    n = tiny(s, must_run=True)
    with pytest.raises(SolveError):
        solve(n, s)
    text = diagnose_infeasible(n, s, lambda x: tiny(x, must_run=True), solve)
    assert text.startswith("conflicting constraints (HiGHS IIS): ")
    assert "Bus-nodal_balance" in text and "A" in text
