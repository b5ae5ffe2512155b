"""Acceptance tests of the hourly profiles (issue #3), on the real network_data and weather."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from windpowerlib.power_output import power_curve_density_correction

from energy.profiles import (
    ProfileParams,
    build_profiles,
    ensure_profiles,
    heat,
    load,
    load_profiles,
    plot_profiles,
    weather,
    wind,
)
from energy.profiles.cache import sha256_file, stale_reason

ROOT = Path(__file__).resolve().parents[2]
NETWORK_DATA = ROOT / "network_data"
WEATHER = ROOT / "profiles" / "weather"


def _copy_inputs(tmp: Path) -> tuple[Path, Path]:
    nd, pd_ = tmp / "network_data", tmp / "profiles"
    # the profiles read network_data through energy.inputs, which validates every file
    shutil.copytree(NETWORK_DATA, nd, ignore=shutil.ignore_patterns("*.py", "*.md"))
    shutil.copytree(WEATHER, pd_ / "weather")
    return nd, pd_


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One build on copies of the real inputs, shared by the module."""
    nd, pdir = _copy_inputs(tmp_path_factory.mktemp("profiles_main"))
    t0 = time.perf_counter()
    build_profiles(nd, pdir, progress=False)
    seconds = time.perf_counter() - t0
    return {"nd": nd, "pdir": pdir, "p": load_profiles(pdir), "seconds": seconds,
            "sites": pd.read_csv(nd / "renewable_sites.csv").set_index("site_id"),
            "areas": pd.read_csv(nd / "heat_areas.csv"),
            "demand": pd.read_csv(nd / "demand.csv")}


def _all_frames(p) -> dict[str, pd.DataFrame]:
    frames = {"solar": p.solar, "wind": p.wind, "cop_ashp": p.cop_ashp,
              "cop_gshp": p.cop_gshp, "temperature": p.temperature}
    frames |= {f"load_{y}": df for y, df in p.load.items()}
    frames |= {f"heat_demand_{y}": df for y, df in p.heat_demand.items()}
    return frames


def _solar_noon_offset_min(data: pd.DataFrame, lat: float, lon: float) -> float:
    """Mean over days of (GHI-weighted centroid time - solar noon) [min]; samples at stamp+30."""
    centre = data.index + pd.Timedelta(minutes=30)
    hours = np.asarray(centre.hour + centre.minute / 60.0)
    eot = np.asarray(pvlib.solarposition.equation_of_time_spencer71(data.index.dayofyear))
    noon = 12.0 - (lon - 120.0) / 15.0 - eot / 60.0
    df = pd.DataFrame({"g": data["ghi"].to_numpy(), "gh": data["ghi"].to_numpy() * hours,
                       "noon": noon, "day": data.index.dayofyear})
    day = df.groupby("day").agg(g=("g", "sum"), gh=("gh", "sum"), noon=("noon", "first"))
    return float(((day.gh / day.g) - day.noon).mean() * 60.0)


def _perturb_epw(path: Path) -> None:
    """Non-uniform change of temperature, irradiance and wind (calibration cannot undo it)."""
    lines = path.read_text().splitlines(keepends=True)
    out = lines[:8]
    for i, line in enumerate(lines[8:]):
        f = line.rstrip("\r\n").split(",")
        month = int(f[1])
        if month in (1, 12):
            f[6] = f"{float(f[6]) - 4.0:.1f}"  # colder winter
        if month <= 6:
            for j in (13, 14, 15):  # ghi, dni, dhi halved in the first half-year
                f[j] = f"{float(f[j]) * 0.5:.0f}"
        if i % 24 in range(0, 12):
            f[21] = f"{float(f[21]) * 1.8:.1f}"  # windier nights/mornings only
        out.append(",".join(f) + line[len(line.rstrip("\r\n")):])
    path.write_text("".join(out))


def test_every_profile_has_8760_hours_no_nan_and_shanghai_tz(built):
    p = built["p"]
    for name, df in _all_frames(p).items():
        assert len(df) == 8760, name
        assert not df.isna().any().any(), name
        assert str(df.index.tz) == "Asia/Shanghai", name
        assert df.index[0] == pd.Timestamp("2035-01-01 00:00", tz="Asia/Shanghai"), name
        assert (np.diff(df.index.asi8) == 3_600_000_000).all() or \
            (np.diff(df.index.as_unit("ns").asi8) == 3_600 * 10**9).all(), name
    assert set(p.solar.columns) == set(built["sites"].query("carrier == 'solar'").index)
    assert set(p.wind.columns) == set(built["sites"].query("carrier == 'onwind'").index)


def test_annual_pv_capacity_factor_is_between_12_and_20_percent_ac(built):
    p, man = built["p"], built["p"].manifest
    assert ((p.solar >= 0) & (p.solar <= 1)).all().all()
    for site, cf in p.solar.mean().items():
        assert 0.12 <= cf <= 0.20, site
        assert 0.12 <= man["sites"][site]["raw_cf"] <= 0.20, site


def test_calibrated_full_load_hours_hit_site_targets_within_2_percent(built):
    p, sites = built["p"], built["sites"]
    for df in (p.wind, p.solar):
        assert ((df >= 0) & (df <= 1)).all().all()
        for site, flh in df.sum().items():
            target = sites.loc[site, "full_load_hours_target"]
            assert abs(flh / target - 1) <= 0.02, (site, flh, target)


def test_manifest_reports_raw_and_calibrated_capacity_factors(built):
    man = built["p"].manifest
    for site, info in man["sites"].items():
        assert {"raw_cf", "calibrated_cf", "station"} <= set(info), site
    # wind: the station's Weibull projected to hub height (raw) and the calibrated Weibull
    for info in man["sites"].values():
        if info["carrier"] == "onwind":
            assert {"weibull_k", "weibull_scale", "weibull_scale_projected",
                    "night_day_ratio", "hours_above_cut_out"} <= set(info)
            assert info["weibull_scale"] == pytest.approx(
                info["speed_factor"] * info["weibull_scale_projected"], rel=1e-3)
            assert info["hours_above_cut_out"] == 0
            assert info["night_day_ratio"] > 1.0


def test_heat_demand_is_zero_outside_heating_season(built):
    for year, df in built["p"].heat_demand.items():
        md = df.index.month * 100 + df.index.day
        outside = (md > 331) & (md < 1101)
        assert (df[outside] == 0).all().all(), year
        assert (df[~outside] > 0).all().all(), year  # hot-water base inside the season


def test_heat_demand_peak_equals_floor_area_times_design_load(built):
    areas, p = built["areas"], built["p"]
    for _, a in areas.iterrows():
        q = p.heat_demand[int(a["year"])][a["area_id"]]
        design = a["floor_area_mm2"] * a["design_load_w_per_m2"]  # [MW]
        assert abs(q.max() / design - 1) <= 0.05, a["area_id"]
        flh = q.sum() / q.max()
        # documented range: ~2,000-2,200 equivalent full-load hours (facts: ~2,200 h x 50 W/m2)
        assert 1800 <= flh <= 2400, (a["area_id"], flh)


def test_heating_season_end_is_configurable():
    temp = pd.Series(5.0, index=weather.hourly_index(2035))
    short = heat.space_heat_shape(temp, ProfileParams())
    long = heat.space_heat_shape(temp, ProfileParams(heating_season_end="04-15"))
    assert short["2035-04-10"].sum() == 0
    assert long["2035-04-10"].sum() > 0


def test_cop_between_1_and_5_and_falls_with_colder_air(built):
    p = built["p"]
    temp = p.temperature
    for area in p.cop_ashp.columns:
        ashp, gshp = p.cop_ashp[area], p.cop_gshp[area]
        for cop in (ashp, gshp):
            assert cop.min() >= 1.0 and cop.max() <= 5.0
        st = built["p"].manifest["heat_areas"][f"{area}/2035"]["station"]
        t = temp[st]
        order = np.argsort(t.to_numpy(), kind="stable")
        assert (np.diff(ashp.to_numpy()[order]) >= -1e-12).all()  # monotone in air temperature
        assert np.corrcoef(t, gshp)[0, 1] > 0.3  # ground follows the (lagged) air temperature
        assert gshp.std() < ashp.std()  # ground source is steadier
        assert ashp[t < -10].mean() < ashp[t > 20].mean()


def test_load_sums_to_annual_energy_and_peak_matches(built):
    p, demand = built["p"], built["demand"]
    for _, d in demand.iterrows():
        s = p.load[int(d["year"])][d["county_id"]]
        assert abs(s.sum() / d["annual_mwh"] - 1) <= 0.001, d["county_id"]
        assert s.max() == pytest.approx(d["peak_mw"], rel=1e-6)
        assert s.min() >= 0


def test_zone_load_peaks_on_a_winter_evening_and_weekends_are_lower(built):
    total = built["p"].load[2035].sum(axis=1)
    peak = total.idxmax()
    assert peak.month in (11, 12, 1, 2) and 17 <= peak.hour <= 20
    daily = total.resample("D").mean()
    assert daily[daily.index.dayofweek >= 5].mean() < daily[daily.index.dayofweek < 5].mean()


def test_load_scaling_rejects_a_peak_below_the_mean():
    shape = pd.Series(np.arange(8760.0) % 24)
    with pytest.raises(ValueError):
        load.scale_affine(shape, annual_mwh=8760.0 * 10, peak_mw=5.0)


@pytest.mark.parametrize("station", ["taiyuan", "yuanping", "datong", "taiyuan_tmyx"])
def test_irradiance_peak_aligns_with_solar_noon_within_30_min(station):
    reg = weather.read_station_registry(WEATHER)
    row = reg.loc[station]
    data, meta = weather.read_weather_file(row["path"], "epw", 2035,
                                           time_offset_min=row["time_offset_min"])
    off = _solar_noon_offset_min(data, meta["latitude"], meta["longitude"])
    assert abs(off) < 30, off
    assert abs(off) < 15, off


@pytest.mark.parametrize("station", ["taiyuan", "yuanping", "datong"])
def test_cswd_half_hour_offset_is_real_and_corrected(station):
    """Without the correction (standard EPW convention) CSWD irradiance is ~30 min late."""
    reg = weather.read_station_registry(WEATHER)
    data, meta = weather.read_weather_file(reg.loc[station, "path"], "epw", 2035,
                                           time_offset_min=30.0)
    naive = _solar_noon_offset_min(data, meta["latitude"], meta["longitude"])
    assert 20 < naive < 40, naive
    assert reg.loc[station, "time_offset_min"] == 0


def test_align_to_hour_centre_averages_neighbours_for_a_half_hour_shift():
    x = np.array([0.0, 2.0, 4.0, 6.0])
    assert np.allclose(weather.align_to_hour_centre(x, 0.0), [1.0, 3.0, 5.0, 3.0])
    assert np.allclose(weather.align_to_hour_centre(x, 30.0), x)


def test_vectorised_density_correction_matches_windpowerlib():
    params = ProfileParams()
    speeds, power, _ = wind.turbine_power_curve(params)
    rng = np.random.default_rng(1)
    v = rng.uniform(0, 30, 500)
    rho = rng.uniform(0.95, 1.3, 500)
    ours = wind.density_corrected_power(v, speeds, power, rho)
    ref = power_curve_density_correction(v, speeds, power, rho)
    assert np.allclose(ours, ref, atol=1e-12)


def test_profiles_change_when_a_weather_file_changes(built, tmp_path):
    nd, pdir = _copy_inputs(tmp_path)
    shutil.copytree(built["pdir"] / "built", pdir / "built")
    assert stale_reason(nd, pdir) is None
    _perturb_epw(pdir / "weather" / "CHN_Shanxi.Taiyuan.537720_CSWD.epw")
    assert "CHN_Shanxi.Taiyuan.537720_CSWD.epw" in stale_reason(nd, pdir)
    build_profiles(nd, pdir, progress=False)
    new, old = load_profiles(pdir), built["p"]
    on_taiyuan = [s for s, i in old.manifest["sites"].items() if i["station"] == "taiyuan"]
    on_yuanping = [s for s, i in old.manifest["sites"].items() if i["station"] == "yuanping"]
    assert on_taiyuan and on_yuanping
    for s in on_taiyuan:
        df_new = new.solar if s in new.solar else new.wind
        df_old = old.solar if s in old.solar else old.wind
        assert not np.allclose(df_new[s], df_old[s]), s
    for s in on_yuanping:
        df_new = new.solar if s in new.solar else new.wind
        df_old = old.solar if s in old.solar else old.wind
        assert np.allclose(df_new[s], df_old[s]), s
    assert not np.allclose(new.heat_demand[2035]["taiyuan_urban"],
                           old.heat_demand[2035]["taiyuan_urban"])
    assert not np.allclose(new.cop_ashp["taiyuan_urban"], old.cop_ashp["taiyuan_urban"])
    assert not np.allclose(new.load[2035]["yingze"], old.load[2035]["yingze"])
    assert np.allclose(new.heat_demand[2035]["xinzhou_urban"],
                       old.heat_demand[2035]["xinzhou_urban"])


def test_second_build_does_no_work(built, capsys):
    mpath = built["pdir"] / "built" / "manifest.json"
    mtime = mpath.stat().st_mtime_ns
    t0 = time.perf_counter()
    build_profiles(built["nd"], built["pdir"], progress=True)
    assert time.perf_counter() - t0 < 2.0
    assert mpath.stat().st_mtime_ns == mtime
    assert "up to date" in capsys.readouterr().err


def test_changing_an_input_triggers_a_rebuild(tmp_path):
    nd, pdir = _copy_inputs(tmp_path)
    build_profiles(nd, pdir, progress=False)
    assert stale_reason(nd, pdir) is None
    demand = pd.read_csv(nd / "demand.csv")
    demand["annual_mwh"] = demand["annual_mwh"].astype(float)
    demand.loc[0, "annual_mwh"] *= 1.1
    demand.to_csv(nd / "demand.csv", index=False)
    assert "demand.csv" in stale_reason(nd, pdir)
    key = "network_data/demand.csv"
    before = json.loads((pdir / "built" / "manifest.json").read_text())["inputs"][key]
    p = ensure_profiles(nd, pdir, progress=False)
    assert stale_reason(nd, pdir) is None
    c, y = demand.loc[0, "county_id"], int(demand.loc[0, "year"])
    assert p.load[y][c].sum() == pytest.approx(demand.loc[0, "annual_mwh"], rel=1e-3)
    # the rebuild recorded the new demand file, not the old one
    assert p.manifest["inputs"][key] == sha256_file(nd / "demand.csv") != before
    assert stale_reason(nd, pdir, ProfileParams(pv_tilt_deg=30.0)) == "parameters changed"


def test_user_weather_file_column_overrides_the_station(tmp_path):
    nd, pdir = _copy_inputs(tmp_path)
    sites = pd.read_csv(nd / "renewable_sites.csv")
    sites["weather_file"] = ""
    first_solar = sites.index[sites["carrier"] == "solar"][0]
    sites.loc[first_solar, "weather_file"] = "CHN_SX_Taiyuan.537720_TMYx.epw"
    sites.to_csv(nd / "renewable_sites.csv", index=False)
    build_profiles(nd, pdir, progress=False, params=ProfileParams(pv_calibrate=False))
    man = load_profiles(pdir).manifest
    info = man["sites"][sites.loc[first_solar, "site_id"]]
    assert info["station"] == "file:CHN_SX_Taiyuan.537720_TMYx.epw"
    assert info["raw_cf"] > 0.19  # TMYx (ERA5) irradiance is ~15 % above CSWD


def test_whole_build_takes_at_most_60_s(built):
    t0 = time.perf_counter()
    build_profiles(built["nd"], built["pdir"], force=True, progress=False)
    seconds = time.perf_counter() - t0
    print(f"\nprofile build (all sites, forced): {seconds:.1f} s; first build "
          f"{built['seconds']:.1f} s")
    assert seconds <= 60


def test_plot_profiles_writes_pngs(built, tmp_path):
    files = plot_profiles(built["pdir"], tmp_path / "plots")
    assert len(files) == 5
    assert files[-1].name == "wind_before_after.png"
    assert all(f.exists() and f.stat().st_size > 10_000 for f in files)


def test_a_hotter_sink_keeps_the_fits_second_law_efficiency():
    params = ProfileParams()
    temp = pd.Series(np.linspace(-20.0, 30.0, 51))
    at_55 = heat.cop_ashp(temp, params, 55.0)
    # at the fits' own sink and within their lift range the Staffell quadratic holds as it is
    dt = 55.0 - temp
    inside = dt <= params.cop_fit_max_lift_k
    assert np.allclose(at_55[inside], (6.08 - 0.09 * dt + 0.0005 * dt**2)[inside].clip(1.0, 5.0))
    # a 120 degC primary network (Gujiao main, S41): the fit's efficiency at 60 K lift x Carnot
    eta = (6.08 - 0.09 * 60 + 0.0005 * 60**2) * 60 / 328.15
    at_120 = heat.cop_ashp(temp, params, 120.0)
    assert np.allclose(at_120, (eta * 393.15 / (120.0 - temp)).clip(1.0, 5.0))
    assert (at_120 < at_55).all()
    assert (np.diff(at_120) > 0).all() and (np.diff(at_55) > 0).all()  # warmer air, higher COP
    hours = pd.date_range("2035-01-01", periods=24 * 90, freq="h")
    air = pd.Series(5.0 + 10.0 * np.sin(np.arange(len(hours)) / 500.0), index=hours)
    assert (heat.cop_gshp(air, params, 120.0) < heat.cop_gshp(air, params, 55.0)).all()


def test_areas_on_the_gujiao_main_get_the_hotter_sink(built):
    p = built["p"]
    assert (p.cop_ashp["taiyuan_urban"].mean() < p.cop_ashp["xinzhou_urban"].mean() - 0.5)
