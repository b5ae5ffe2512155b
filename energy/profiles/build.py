"""Build all hourly profiles into the cache (:mod:`energy.profiles.cache`) when stale.

Outputs are written into a temporary folder that replaces ``built/`` only when complete
(:func:`energy.atomic.replace_dir`: a kill at any point leaves the old cache or the new one).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pvlib
import windpowerlib

from energy.atomic import replace_dir
from energy.inputs import Inputs
from energy.inputs.errors import input_error
from energy.profiles import heat, load, solar, weather, wind
from energy.profiles.cache import (
    MANIFEST_VERSION,
    Profiles,
    code_version,
    input_hashes,
    load_profiles,
    sha256_file,
    stale_reason,
)
from energy.profiles.params import ProfileParams
from energy.profiles.sources import read_sources


def _log(progress: bool, msg: str) -> None:
    if progress:
        print(f"[profiles] {msg}", file=sys.stderr, flush=True)


def _compute(network_data_dir: Path, profiles_dir: Path, params: ProfileParams,
             progress: bool, inputs: Inputs | None = None,
             ) -> tuple[dict[str, pd.DataFrame], dict]:
    """Compute every profile; return {file stem: frame} and the manifest details."""
    _log(progress, "1/5 reading and checking the weather files")
    src = read_sources(network_data_dir, profiles_dir, params, inputs)
    tables, reg, wx, meta = src.tables, src.registry, src.weather, src.meta
    site_station = src.stations["sites"]
    sites = tables["sites"]
    out: dict[str, pd.DataFrame] = {}
    details: dict = {"sites": {}, "heat_areas": {}, "load": {}}
    _log(progress, f"2/5 solar and wind for {len(sites)} site(s)")
    sol, wnd = {}, {}
    for row, (_, s) in enumerate(sites.iterrows(), start=1):
        sid, st = s["site_id"], site_station[s["site_id"]]
        target = pd.to_numeric(s["full_load_hours_target"], errors="coerce")
        try:
            if s["carrier"] == "solar":
                sol[sid], info = solar.solar_capacity_factor(
                    wx[st], float(s["y_lat"]), float(s["x_lon"]), meta[st]["altitude"], params,
                    target)
            else:  # onwind (the schema allows no other carrier)
                wnd[sid], info = wind.wind_capacity_factor(wx[st], meta[st]["altitude"],
                                                           params, target)
        except ValueError as err:  # calibration cannot reach the target with this weather
            raise input_error("renewable_sites.csv", row, "full_load_hours_target",
                              f"{err} (station {st})") from err
        details["sites"][sid] = {"carrier": s["carrier"], "station": st,
                                 "target_flh": None if pd.isna(target) else float(target),
                                 **{k: round(v, 5) for k, v in info.items()}}
    idx = weather.hourly_index(params.year, params.tz)
    out["solar"] = pd.DataFrame(sol, index=idx)
    out["wind"] = pd.DataFrame(wnd, index=idx)

    _log(progress, "3/5 temperature and heat-pump COP")
    out["temperature"] = pd.DataFrame({s: wx[s]["temp_air"] for s in wx}, index=idx)
    areas = tables["heat_areas"]
    area_station = src.stations["heat_areas"]
    sink = areas.drop_duplicates("area_id").set_index("area_id").hp_sink_c.astype(float)
    out["cop_ashp"] = pd.DataFrame({a: heat.cop_ashp(wx[st]["temp_air"], params, sink[a])
                                    for a, st in area_station.items()}, index=idx)
    out["cop_gshp"] = pd.DataFrame({a: heat.cop_gshp(wx[st]["temp_air"], params, sink[a])
                                    for a, st in area_station.items()}, index=idx)

    _log(progress, "4/5 district-heat demand")
    for year, grp in areas.groupby("year"):
        cols = {}
        for index, a in grp.iterrows():
            st = area_station[a["area_id"]]
            try:
                q = heat.heat_demand(wx[st]["temp_air"], float(a["floor_area_mm2"]),
                                     float(a["design_load_w_per_m2"]), params)
            except ValueError as err:  # a station without heating degree hours
                raise input_error("heat_areas.csv", int(index) + 1, "area_id",
                                  f"{err} (station {st})") from err
            cols[a["area_id"]] = q
            details["heat_areas"][f"{a['area_id']}/{int(year)}"] = {
                "station": st, "peak_mw_th": round(float(q.max()), 3),
                "annual_mwh_th": round(float(q.sum()), 1),
                "full_load_hours": round(float(q.sum() / q.max()), 1)}
        out[f"heat_demand_{int(year)}"] = pd.DataFrame(cols, index=idx)

    _log(progress, "5/5 electricity load")
    county_station, shapes = src.stations["counties"], src.load_shapes
    demand = tables["demand"]
    for year, grp in demand.groupby("year"):
        cols = {}
        for _, d in grp.iterrows():
            st = county_station[d["county_id"]]
            cols[d["county_id"]] = load.scale_affine(shapes[st], float(d["annual_mwh"]),
                                                     float(d["peak_mw"]))
        out[f"load_{int(year)}"] = pd.DataFrame(cols, index=idx)
        details["load"][int(year)] = {"stations": county_station.to_dict()}
    details["stations"] = {s: {**meta[s], "file": str(reg.loc[s, "file"]),
                               "format": reg.loc[s, "format"]} for s in reg.index}
    return out, details


def _manifest(params: ProfileParams, hashes: dict[str, str], files: list[str], seconds: float,
              details: dict) -> dict:
    """The build's ``manifest.json`` (``outputs`` hashes are added while writing)."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 2),
        "code_version": code_version(),
        "versions": {"pvlib": pvlib.__version__, "windpowerlib": windpowerlib.__version__,
                     "pandas": pd.__version__},
        "method": {
            "weather": "pvlib.iotools.read_epw / read_pvgis_tmy; shifted so each value is the "
                       "hour average centred at stamp + 30 min (CSWD: +30 min shift)",
            "solar": "pvlib Perez transposition + physical IAM + SAPM cell temperature + "
                     "PVWatts DC/losses/inverter; calibration scales irradiance",
            "wind": (f"{params.wind_method}: " + (
                "order of the hours from SRDT stability classes and Irwin shear exponents "
                "(reference = max(hour, daily mean) wind), values from a Weibull "
                "at hub height (Justus-Mikhail shape); calibration sets the Weibull scale"
                if params.wind_method == "stability_weibull" else
                "windpowerlib hellman shear; calibration scales hub wind speed")
                + "; block-held series interpolated; ideal-gas density, smoothed oedb power "
                  "curve with density correction, flat losses"),
            "heat": "heating degree hours (trailing-24h temperature) in statutory season on "
                    "heating days, intraday shape, hot-water base; peak = area x design load",
            "cop": "Staffell et al. 2012 quadratic fits at each area's sink (hp_sink_c), "
                   "Carnot-scaled above 55 degC; GSHP on damped lagged air temperature",
            "load": "weekday/weekend hourly shape + heating/cooling degree hours, affine-scaled "
                    "to annual energy and peak",
        },
        "params": params.to_dict(),
        "params_sha256": params.digest(),
        "inputs": hashes,
        "files": sorted(files),
        "index": {"year": params.year, "tz": params.tz, "hours": 8760,
                  "convention": "stamp = start of the hour, value = average over the hour"},
        **details,
    }


def build_profiles(network_data_dir: Path, profiles_dir: Path, force: bool = False,
                   progress: bool = True, params: ProfileParams | None = None,
                   inputs: Inputs | None = None) -> Path:
    """Build every hourly profile into ``<profiles_dir>/built/`` unless it is up to date.

    Parameters
    ----------
    network_data_dir : pathlib.Path
        Folder with ``renewable_sites.csv``, ``counties.csv``, ``demand.csv``,
        ``heat_areas.csv``.
    profiles_dir : pathlib.Path
        Folder with ``weather/`` (weather files + ``stations.csv``); outputs go to ``built/``.
    force : bool
        Rebuild even when nothing changed.
    progress : bool
        Print progress lines to stderr.
    params : ProfileParams, optional
        Parameters (default ``ProfileParams()``).
    inputs : Inputs, optional
        The tables of ``network_data_dir`` when already loaded (not read again).

    Returns
    -------
    pathlib.Path
        The ``built/`` folder (Parquet files + ``manifest.json``).
    """
    params = params or ProfileParams()
    profiles_dir = Path(profiles_dir)
    built = profiles_dir / "built"
    reason = "forced" if force else stale_reason(network_data_dir, profiles_dir, params, inputs)
    if reason is None:
        _log(progress, f"up to date ({built / 'manifest.json'}); nothing to do")
        return built
    _log(progress, f"building ({reason})")
    t0 = time.perf_counter()
    hashes = input_hashes(network_data_dir, profiles_dir, inputs)
    frames, details = _compute(network_data_dir, profiles_dir, params, progress, inputs)
    files = sorted(f"{stem}.parquet" for stem in frames)
    seconds = time.perf_counter() - t0
    manifest = _manifest(params, hashes, files, seconds, details)

    def _write(tmp: Path) -> None:
        outputs = {}
        for stem, df in frames.items():
            df.columns = df.columns.astype(str)
            df.index.name = "snapshot"
            df.to_parquet(tmp / f"{stem}.parquet")
            outputs[f"{stem}.parquet"] = sha256_file(tmp / f"{stem}.parquet")
        manifest["outputs"] = outputs
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str))

    replace_dir(built, _write)
    _log(progress, f"built {len(files)} tables in {seconds:.1f} s -> {built}")
    return built


def ensure_profiles(network_data_dir: Path, profiles_dir: Path,
                    params: ProfileParams | None = None, progress: bool = True,
                    inputs: Inputs | None = None) -> Profiles:
    """Build the profiles if stale, then load them.

    Parameters
    ----------
    network_data_dir, profiles_dir : pathlib.Path
        See :func:`build_profiles`.
    params : ProfileParams, optional
        Parameters (default ``ProfileParams()``).
    progress : bool
        Print progress lines to stderr.
    inputs : Inputs, optional
        The tables of ``network_data_dir`` when already loaded (not read again).

    Returns
    -------
    Profiles
        The loaded profiles.
    """
    build_profiles(network_data_dir, profiles_dir, force=False, progress=progress, params=params,
                   inputs=inputs)
    return load_profiles(profiles_dir)
