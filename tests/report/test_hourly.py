"""The report's dispatch week is drawn hour by hour at any time resolution."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy.report.figures import snapshot_hours, to_hourly, week_window


def test_segments_expand_to_their_hours_and_keep_energy() -> None:
    index = pd.DatetimeIndex(["2035-01-01 00:00", "2035-01-01 03:00", "2035-01-01 05:00"])
    weights = pd.Series([3.0, 2.0, 4.0], index=index)  # segment lengths [h]
    frame = pd.DataFrame({"solar": [0.0, 30.0, 10.0]}, index=index)
    hourly = to_hourly(frame, weights)
    assert len(hourly) == 3 + 2 + 4
    assert hourly.index.is_unique and hourly.index[1] - hourly.index[0] == pd.Timedelta("1h")
    assert hourly.solar.sum() == (frame.solar * weights).sum()  # energy [MWh] unchanged
    assert hourly.loc["2035-01-01 04:00", "solar"] == 30.0


def test_a_sliced_year_is_not_stretched_by_its_annual_weights() -> None:
    index = pd.date_range("2035-01-01", periods=48, freq="h")
    weights = pd.Series(8760 / 48, index=index)  # snapshots_limit: weights stand for a year
    assert (snapshot_hours(index, weights) == 1).all()
    hourly = to_hourly(pd.DataFrame({"x": np.arange(48.0)}, index=index), weights)
    assert len(hourly) == 48


def test_the_week_starts_on_the_day_of_peak_load() -> None:
    index = pd.date_range("2035-01-01", periods=24 * 20, freq="h")
    load = pd.Series(1.0, index=index)
    load["2035-01-09 18:00"] = 5.0
    window = week_window(index, load)
    assert window[0] == pd.Timestamp("2035-01-09") and len(window) == 168
