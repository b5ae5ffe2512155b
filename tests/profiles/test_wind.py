"""Hub-height wind (issue #17 item 6): daily cycle, full-load hours, cut-out, block-held data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.profiles import ProfileParams, hub_wind, weather, wind

ROOT = Path(__file__).resolve().parents[2]
WEATHER = ROOT / "profiles" / "weather"
TARGET = 2100.0  # h/a, the full-load-hours target of every wind site (renewable_sites.csv)
CSWD = ("taiyuan", "yuanping", "datong")


@pytest.fixture(scope="module")
def stations() -> dict[str, tuple[pd.DataFrame, dict]]:
    reg = weather.read_station_registry(WEATHER)
    return {st: weather.read_weather_file(reg.loc[st, "path"], "epw", 2035,
                                          time_offset_min=reg.loc[st, "time_offset_min"])
            for st in CSWD}


@pytest.fixture(scope="module")
def hub(stations) -> dict[tuple[str, str], tuple[pd.Series, pd.Series, dict]]:
    """(station, method) -> (capacity factor, hub speed, info), both calibrated to TARGET."""
    out = {}
    for method in ("stability_weibull", "fixed_shear"):
        params = ProfileParams(wind_method=method)
        for st, (data, meta) in stations.items():
            speed, rho, info = wind.hub_wind_speed(data, meta["altitude"], params, TARGET)
            cf = wind.capacity_factor_of(speed, rho, params)
            out[(st, method)] = (cf, speed, info)
    return out


def _hourly_mean(s: pd.Series, hours: range) -> float:
    return float(s[np.isin(s.index.hour, list(hours))].mean())


def test_taiyuan_hub_wind_is_higher_at_night_than_in_the_afternoon(stations, hub):
    data, _ = stations["taiyuan"]
    v10 = data["wind_speed"]
    # the valley station itself peaks in the afternoon: the reversal is the model's, not the data's
    assert _hourly_mean(v10, range(13, 18)) > 1.5 * _hourly_mean(v10, range(0, 5))
    cf, speed, info = hub[("taiyuan", "stability_weibull")]
    assert _hourly_mean(cf, range(0, 5)) > 1.1 * _hourly_mean(cf, range(13, 18))
    assert _hourly_mean(speed, range(0, 5)) > _hourly_mean(speed, range(13, 18))
    assert info["night_day_ratio"] == pytest.approx(hub_wind.night_day_ratio(cf))
    assert info["night_day_ratio"] > 1.1
    # the earlier fixed-shear method had the valley's shape (the check can fail)
    assert hub[("taiyuan", "fixed_shear")][2]["night_day_ratio"] < 0.6


@pytest.mark.parametrize("station", CSWD)
def test_annual_full_load_hours_on_target(hub, station):
    cf, _, info = hub[(station, "stability_weibull")]
    assert cf.sum() == pytest.approx(TARGET, rel=0.003)
    assert info["flh"] == pytest.approx(cf.sum(), rel=1e-9)
    assert ((cf >= 0) & (cf <= 1 - ProfileParams().wind_losses + 1e-12)).all()


@pytest.mark.parametrize("station", CSWD)
def test_calibration_puts_no_hour_beyond_cut_out(hub, station):
    cut_out = wind.cut_out_speed(ProfileParams())
    assert cut_out == 25.0  # E-141/4200 curve in windpowerlib's oedb data
    _, speed, info = hub[(station, "stability_weibull")]
    assert speed.max() < cut_out
    assert info["hours_above_cut_out"] == 0 and info["hours_capped"] == 0
    # the calibrated distribution is a Weibull: its mean matches A * Gamma(1 + 1/k) within 1 %
    k, a = info["weibull_k"], info["weibull_scale"]
    assert speed.mean() == pytest.approx(a * math.gamma(1 + 1 / k), rel=0.01)


def test_fixed_shear_calibration_did_push_hours_beyond_cut_out(hub):
    """The defect the new method removes: stretching the speed sends storms past cut-out."""
    _, speed, info = hub[("taiyuan", "fixed_shear")]
    assert info["hours_above_cut_out"] == int((speed >= 25.0).sum()) > 20


def test_calibrated_hub_speed_agrees_with_northern_shanxi_design_wind(hub):
    """S75 (Yanggao, northern Shanxi): 2,119 h at a mean wind of 5.7-6.0 m/s."""
    for st in CSWD:
        _, speed, info = hub[(st, "stability_weibull")]
        assert 5.5 <= speed.mean() <= 6.2, st
        assert 1.6 <= info["weibull_k"] <= 2.6, st
        # the Justus-Mikhail projection of the station alone lands within 25 % of the calibration
        assert 0.75 <= info["speed_factor"] <= 1.25, st


def test_block_held_series_is_detected_and_interpolated():
    rng = np.random.default_rng(3)
    obs = rng.integers(0, 8, size=8760 // 6 + 1).astype(float)
    held = np.roll(np.repeat(obs, 6)[:8760], 2)  # observations at 02, 08, 14, 20 h, held 6 h
    assert weather.block_hold_period(held) == (6, 2)
    out = weather.interpolate_held_blocks(held, 6, 2)
    knots = np.arange(2, 8760, 6)
    assert np.array_equal(out[knots], held[knots])  # observations kept
    mid = knots[:-1] + 3
    assert np.allclose(out[mid], 0.5 * (held[knots[:-1]] + held[knots[1:]]))  # linear between
    assert weather.block_hold_period(out) is None
    assert weather.block_hold_period(rng.normal(size=8760)) is None  # hourly data: untouched
    daily = np.repeat(rng.normal(size=365), 24)
    assert weather.block_hold_period(daily) == (24, 0)


def test_yuanping_wind_is_found_block_held_and_read_interpolated(stations):
    reg = weather.read_station_registry(WEATHER)
    _, meta = stations["yuanping"]
    assert meta["block_held"]["wind_speed"] == [6, 2]  # synoptic hours 02/08/14/20 Beijing time
    assert "wind_speed" not in stations["taiyuan"][1]["block_held"]
    raw, _ = weather.read_weather_file(reg.loc["yuanping", "path"], "epw", 2035,
                                       time_offset_min=30.0, interpolate_held=False)
    assert weather.block_hold_period(raw["wind_speed"].to_numpy()) == (6, 2)
    data, _ = stations["yuanping"]
    v = data["wind_speed"].to_numpy()
    assert weather.block_hold_period(v) is None
    def long_runs(x: np.ndarray) -> int:
        return int((np.diff(np.flatnonzero(np.r_[True, x[1:] != x[:-1], True])) >= 6).sum())

    raw_v = raw["wind_speed"].to_numpy()
    assert long_runs(v) < 0.5 * long_runs(raw_v)  # only where two observations are equal
    assert v.mean() == pytest.approx(raw["wind_speed"].mean(), rel=0.02)


@pytest.mark.parametrize(("v10", "ghi", "expected"), [
    (1.0, 1000.0, "A"), (2.5, 800.0, "B"), (4.0, 500.0, "C"), (7.0, 1000.0, "C"),
    (5.5, 100.0, "D"), (1.0, 0.0, "F"), (2.2, 0.0, "E"), (3.0, 0.0, "D")])
def test_stability_class_follows_the_srdt_key(v10, ghi, expected):
    cls = hub_wind.stability_class(np.array([v10]), np.array([ghi]))[0]
    assert hub_wind.CLASS_NAMES[cls] == expected


def test_weibull_projection_follows_justus_mikhail():
    k, c = hub_wind.project_weibull(1.6, 3.0, 129.0)
    denom = 1 - 0.0881 * math.log(12.9)
    assert k == pytest.approx(1.6 / denom)
    assert c == pytest.approx(3.0 * 12.9 ** ((0.37 - 0.0881 * math.log(3.0)) / denom))
    assert hub_wind.project_weibull(1.6, 3.0, 10.0) == pytest.approx((1.6, 3.0))


def test_quantile_mapping_keeps_the_order_of_the_hours():
    key = np.array([3.0, 1.0, 1.0, 5.0, 0.0, 2.0])
    q = hub_wind.weibull_quantiles(key, 2.0)
    assert np.array_equal(np.argsort(q, kind="stable")[[0, -1]], [4, 3])
    assert q[0] > q[5] > max(q[1], q[2])
    assert q[1] != q[2]  # ties broken (by the 3-hour mean, then time)


def test_decoupled_calm_hours_take_the_synoptic_wind():
    """A calm night after a windy day is not calm at hub height; shear follows stability."""
    hours = 48
    v10 = np.where(np.arange(hours) % 24 < 12, 0.0, 6.0)  # calm 00-12, windy 12-24
    ghi = np.where((np.arange(hours) % 24 >= 12) & (np.arange(hours) % 24 < 18), 500.0, 0.0)
    speed, classes = hub_wind.hub_timing(v10, ghi, ProfileParams().stability_exponents,
                                         129.0, 0.5, 24)
    assert (classes[v10 == 0.0] == 5).all()  # calm night -> F
    assert speed[:12].min() == pytest.approx(3.0 * 12.9 ** 0.40)  # daily mean 3 m/s, F shear
    assert hub_wind.CLASS_NAMES[classes[13]] == "D"  # 6 m/s under 500 W/m2
    assert speed[13] == pytest.approx(6.0 * 12.9 ** 0.15)


def test_wind_options_are_checked_and_enter_the_cache_key():
    with pytest.raises(ValueError, match="wind_method"):
        ProfileParams(wind_method="stretch")
    with pytest.raises(ValueError, match="stability_exponents"):
        ProfileParams(stability_exponents=(0.1, 0.2))
    digests = {ProfileParams().digest(), ProfileParams(wind_method="fixed_shear").digest(),
               ProfileParams(stability_exponents=(0.07, 0.07, 0.10, 0.15, 0.35, 0.55)).digest()}
    assert len(digests) == 3  # a changed wind option rebuilds the cached profiles
