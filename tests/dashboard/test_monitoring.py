"""Plan against actual: status, needed and recent change per year, order, unit conversion."""

from __future__ import annotations

import pandas as pd
import pytest

from energy.dashboard.monitoring import indicators

COLUMNS = ["indicator_id", "indicator", "region", "variable", "unit", "year", "value",
           "source", "confidence", "note"]


def _rows(ind: str, unit: str, points: list[tuple[int, float]], **extra: str) -> pd.DataFrame:
    frame = pd.DataFrame([(ind, ind, "Zone", f"Var|{ind}", unit, y, v, "M01", "high", "")
                          for y, v in points], columns=COLUMNS)
    return frame.assign(**extra)


def _plan(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


NO_MODEL = pd.DataFrame(columns=["scenario", "region", "variable", "unit", "year", "value"])


def test_behind_when_the_recent_rate_is_below_the_needed_rate() -> None:
    plan = _rows("phs", "MW", [(2035, 2_600.0)], direction="min", document="d")
    actual = _rows("phs", "MW", [(2020, 1_200.0), (2025, 1_200.0)])
    (ind,) = indicators(plan, actual, NO_MODEL)
    assert ind.status == "behind"
    assert ind.needed_per_year == pytest.approx((2_600 - 1_200) / (2035 - 2025))  # 140 MW/a
    assert ind.recent_per_year == pytest.approx(0.0)
    assert ind.shortfall == pytest.approx(1.0)


def test_on_track_when_the_recent_rate_is_enough() -> None:
    plan = _rows("cbm", "bcm/yr", [(2025, 20.0)], direction="min", document="d")
    actual = _rows("cbm", "bcm/yr", [(2022, 9.0), (2024, 16.0)])  # +3.5/a, needs +4/a
    (ind,) = indicators(plan, actual, NO_MODEL)
    assert ind.status == "behind" and ind.shortfall == pytest.approx(1 - 3.5 / 4.0)
    actual = _rows("cbm", "bcm/yr", [(2022, 9.0), (2024, 17.0)])  # +4/a, needs +3/a
    (ind,) = indicators(plan, actual, NO_MODEL)
    assert ind.status == "on track" and ind.needed_per_year == pytest.approx(3.0)


def test_a_ceiling_is_met_by_staying_below_and_needs_reductions_otherwise() -> None:
    plan = _rows("coal", "GW", [(2025, 90.0)], direction="max", document="d")
    (ind,) = indicators(plan, _rows("coal", "GW", [(2025, 82.0)]), NO_MODEL)
    assert ind.status == "on track"
    (ind,) = indicators(plan, _rows("coal", "GW", [(2021, 100.0), (2023, 96.0)]), NO_MODEL)
    assert ind.needed_per_year == pytest.approx(-3.0)  # 96 -> 90 in two years
    assert ind.recent_per_year == pytest.approx(-2.0) and ind.status == "behind"


def test_next_target_is_the_first_one_not_yet_met_and_order_is_furthest_behind_first() -> None:
    share = _rows("share", "%", [(2024, 47.0), (2025, 50.0)], direction="min", document="d")
    nodata = _rows("heat", "%", [(2021, 100.0)], direction="min", document="d")
    plan = _plan(share, nodata)
    actual = _plan(_rows("share", "%", [(2023, 40.0), (2024, 48.0)]),
                   _rows("wind", "GW", [(2020, 30.0), (2023, 50.0)]))
    items = indicators(plan, actual, NO_MODEL)
    by_id = {i.indicator_id: i for i in items}
    assert (by_id["share"].next_year, by_id["share"].next_value) == (2025, 50.0)
    assert by_id["share"].status == "on track"  # +8/a against +2/a needed
    assert by_id["heat"].status == "no data" and by_id["wind"].status == "no target"
    assert [i.indicator_id for i in items] == ["heat", "share", "wind"]


def test_model_pathway_is_converted_to_the_indicator_unit() -> None:
    plan = _rows("phs", "GW", [(2035, 2.6)], direction="min", document="d")
    model = pd.DataFrame({"scenario": ["base", "base", "other"], "region": "Zone",
                          "variable": ["Var|phs", "Var|phs", "Var|else"],
                          "unit": "MW", "year": [2030, 2035, 2035],
                          "value": [1_200.0, 3_000.0, 9.0]})
    (ind,) = indicators(plan, _rows("phs", "GW", [(2025, 1.2)]), model)
    assert ind.model.value.tolist() == pytest.approx([1.2, 3.0])
    assert set(ind.model.scenario) == {"base"}
