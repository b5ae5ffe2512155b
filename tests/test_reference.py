"""A pinned reference result: a silent change in what the model computes fails here.

The reference case is ``base`` over its first 48 hours at 1 h. When a change is *meant* to
move the result, regenerate the reference with ``python tests/reference/make_reference.py``
and commit it with the change (PyPSA does the same with its reference networks).
"""

from __future__ import annotations

import json

import pytest

from tests.reference.make_reference import HOURS, OVERRIDES, REFERENCE, reference_figures
from tests.solve_helpers import OBJ_RTOL, solve

#: capacities of an interior-point optimum agree to a few MW between two solves
CAPACITY_ATOL_MW = 5.0


def test_base_48h_reproduces_the_reference_objective_and_capacities() -> None:
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = reference_figures(solve(*OVERRIDES, hours=HOURS))
    assert got["objective_cny_per_a"] == pytest.approx(expected["objective_cny_per_a"],
                                                       rel=OBJ_RTOL)
    carriers = set(expected["capacity_mw"]) | set(got["capacity_mw"])
    diff = {c: (expected["capacity_mw"].get(c, 0.0), got["capacity_mw"].get(c, 0.0))
            for c in carriers}
    off = {c: v for c, v in diff.items() if abs(v[0] - v[1]) > CAPACITY_ATOL_MW}
    assert off == {}, f"capacity (reference, now) [MW]: {off}"
