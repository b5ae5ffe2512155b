"""Issue #21: summary.json is always strict JSON; a damaged run folder is one RunError line."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from energy.results.io import RunError, dumps_json, read_summary


def test_non_finite_numbers_become_null_and_the_text_is_strict_json() -> None:
    info = {"system_cost": float("inf"), "capacity_mw": {"coal": float("nan"), "solar": 5.0},
            "attempts": [np.float64("-inf"), np.int64(3)], "status": "optimal"}
    text = dumps_json(info)
    back = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON: {c}"))
    assert back == {"system_cost": None, "capacity_mw": {"coal": None, "solar": 5.0},
                    "attempts": [None, 3], "status": "optimal"}
    assert not math.isnan(back["capacity_mw"]["solar"])


@pytest.mark.parametrize(("content", "expected"), [
    (None, "missing (not a complete run folder)"),
    (b"{\"status\": \"optimal\", \"system_cost\": Infinity", "not valid JSON"),
    (b"[]", "not a run summary"),
    (b"{\"system_cost\": 1}", "not a run summary"),
])
def test_damaged_summary_is_one_run_error(tmp_path: Path, content: bytes | None,
                                          expected: str) -> None:
    if content is not None:
        (tmp_path / "summary.json").write_bytes(content)
    with pytest.raises(RunError, match=re.escape(f"summary.json: {expected}")):
        read_summary(tmp_path)
