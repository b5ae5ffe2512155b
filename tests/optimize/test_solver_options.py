"""Issue #21: solver options are checked against HiGHS's own option list before a solve."""

from __future__ import annotations

import pytest

from energy.config import ConfigError, Scenario
from energy.optimize.highs import check_solver_options, solver_options


@pytest.mark.parametrize(("options", "expected"), [
    ({"no_such_option": 1}, "'solver.options.no_such_option': not a HiGHS option"),
    ({"io_api": "lp"}, "'solver.options.io_api': not a HiGHS option"),  # linopy's, not HiGHS's
    ({"threads": "abc"}, "'solver.options.threads': expected an integer, got 'abc'"),
    ({"threads": 2.5}, "'solver.options.threads': expected an integer, got 2.5"),
    ({"time_limit": "soon"}, "'solver.options.time_limit': expected a number, got 'soon'"),
    ({"solver": "magic"}, "'solver.options.solver': HiGHS rejects 'magic'"),
    ({"primal_feasibility_tolerance": -1.0}, "HiGHS rejects -1.0"),
])
def test_bad_solver_option_is_one_line(options: dict, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as err:
        check_solver_options(options, "scenario 'base'")
    assert str(err.value).startswith("scenario 'base': ") and "\n" not in str(err.value)


def test_valid_options_pass_and_yaml_booleans_become_on_off() -> None:
    options = {"threads": 2, "time_limit": 60, "presolve": False, "run_crossover": True,
               "ipm_optimality_tolerance": 1e-6}
    check_solver_options(options)
    merged = solver_options("hipo", Scenario(solver={"options": options}))
    assert merged["presolve"] == "off" and merged["run_crossover"] == "on"
    assert merged["time_limit"] == 60.0 and isinstance(merged["time_limit"], float)
