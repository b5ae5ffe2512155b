"""Build, cache and load all hourly profiles (``profiles/built/`` + ``manifest.json``).

The build is skipped when the manifest records the same sha256 for every input file (weather
files, ``stations.csv`` and the network_data CSVs used), the same parameter digest and the same
code version (sha256 of this subpackage's sources). Outputs are written into a temporary folder
that replaces ``built/`` only when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pvlib
import windpowerlib

from energy.profiles import heat, load, solar, weather, wind
from energy.profiles.params import ProfileParams

#: network_data CSVs the profiles depend on.
NETWORK_FILES = ("renewable_sites.csv", "counties.csv", "demand.csv", "heat_areas.csv")
#: Single-table outputs (file stem -> Profiles attribute).
TABLES = ("solar", "wind", "cop_ashp", "cop_gshp", "temperature")
#: Per-year outputs (file stem prefix -> Profiles attribute).
YEARLY = ("load", "heat_demand")
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Profiles:
    """Hourly profiles on the 8,760 h tz-aware index of the reference year.

    Attributes
    ----------
    solar, wind : pandas.DataFrame
        AC capacity factor per site (columns ``site_id``) [p.u.].
    load : dict of int -> pandas.DataFrame
        Year -> electricity load per county (columns ``county_id``) [MW].
    heat_demand : dict of int -> pandas.DataFrame
        Year -> district-heat demand per area (columns ``area_id``) [MW_th].
    cop_ashp, cop_gshp : pandas.DataFrame
        Heat-pump COP per area (columns ``area_id``) [p.u.].
    temperature : pandas.DataFrame
        Air temperature per station (columns station id) [degC].
    manifest : dict
        Content of ``manifest.json`` (inputs, parameters, calibration, build time).
    """

    solar: pd.DataFrame
    wind: pd.DataFrame
    load: dict[int, pd.DataFrame]
    heat_demand: dict[int, pd.DataFrame]
    cop_ashp: pd.DataFrame
    cop_gshp: pd.DataFrame
    temperature: pd.DataFrame
    manifest: dict = field(default_factory=dict)


def sha256_file(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def code_version() -> str:
    """Return the sha256 over the sources of ``energy.profiles`` (sorted by file name)."""
    h = hashlib.sha256()
    for p in sorted(Path(__file__).parent.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _log(progress: bool, msg: str) -> None:
    if progress:
        print(f"[profiles] {msg}", file=sys.stderr, flush=True)


def _read_csv(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path} not found (needed for the profiles)")
    df = pd.read_csv(path)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {missing}")
    return df


def _read_network_data(network_data_dir: Path) -> dict[str, pd.DataFrame]:
    nd = Path(network_data_dir)
    return {
        "sites": _read_csv(nd / "renewable_sites.csv",
                           ("site_id", "carrier", "y_lat", "x_lon", "full_load_hours_target")),
        "counties": _read_csv(nd / "counties.csv", ("county_id", "y_lat", "x_lon")),
        "demand": _read_csv(nd / "demand.csv", ("county_id", "year", "annual_mwh", "peak_mw")),
        "heat_areas": _read_csv(nd / "heat_areas.csv",
                                ("area_id", "year", "floor_area_mm2", "design_load_w_per_m2")),
    }


def _station_table(profiles_dir: Path, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Registry of stations plus any user ``weather_file`` entries found in the tables."""
    wdir = Path(profiles_dir) / "weather"
    reg = weather.read_station_registry(wdir)
    extra = {}
    for df in tables.values():
        if "weather_file" in df.columns:
            for wf in df["weather_file"].dropna().astype(str).str.strip():
                if wf:
                    sid, row = weather.custom_station(wdir, wf)
                    extra[sid] = row
    if extra:
        reg = pd.concat([reg, pd.DataFrame.from_dict(extra, orient="index")])
    return reg


def input_hashes(network_data_dir: Path, profiles_dir: Path) -> dict[str, str]:
    """Sha256 of every input file of the build, keyed by a readable relative name.

    Parameters
    ----------
    network_data_dir : pathlib.Path
        Folder with the network_data CSVs.
    profiles_dir : pathlib.Path
        Folder with ``weather/`` (weather files + ``stations.csv``).

    Returns
    -------
    dict
        ``{"network_data/<file>": sha, "weather/<file>": sha, ...}``.
    """
    out = {f"network_data/{f}": sha256_file(Path(network_data_dir) / f) for f in NETWORK_FILES}
    wdir = Path(profiles_dir) / "weather"
    if not (wdir / "stations.csv").exists():
        raise FileNotFoundError(f"{wdir / 'stations.csv'} not found: the weather folder needs a "
                                "station registry (see profiles/README.md)")
    out["weather/stations.csv"] = sha256_file(wdir / "stations.csv")
    reg = _station_table(profiles_dir, _read_network_data(network_data_dir))
    for p in sorted({Path(p) for p in reg["path"]}):
        key = p.relative_to(wdir) if p.is_relative_to(wdir) else p
        out[f"weather/{key}"] = sha256_file(p)
    return out


def stale_reason(network_data_dir: Path, profiles_dir: Path,
                 params: ProfileParams | None = None) -> str | None:
    """Why the built profiles must be rebuilt, or None when they are up to date.

    Parameters
    ----------
    network_data_dir, profiles_dir : pathlib.Path
        Input and profile folders.
    params : ProfileParams, optional
        Parameters (default ``ProfileParams()``).

    Returns
    -------
    str or None
        Human-readable reason, or None.
    """
    params = params or ProfileParams()
    built = Path(profiles_dir) / "built"
    mpath = built / "manifest.json"
    if not mpath.exists():
        return "no manifest"
    try:
        man = json.loads(mpath.read_text())
    except json.JSONDecodeError:
        return "unreadable manifest"
    if man.get("manifest_version") != MANIFEST_VERSION:
        return "manifest version changed"
    if man.get("params_sha256") != params.digest():
        return "parameters changed"
    if man.get("code_version") != code_version():
        return "code changed"
    now = input_hashes(network_data_dir, profiles_dir)
    old = man.get("inputs", {})
    changed = sorted(k for k in set(now) | set(old) if now.get(k) != old.get(k))
    if changed:
        return "inputs changed: " + ", ".join(changed)
    missing = [f for f in man.get("files", []) if not (built / f).exists()]
    if missing:
        return "outputs missing: " + ", ".join(missing)
    return None


def _compute(network_data_dir: Path, profiles_dir: Path, params: ProfileParams,
             progress: bool) -> tuple[dict[str, pd.DataFrame], dict]:
    """Compute every profile; return {file stem: frame} and the manifest details."""
    tables = _read_network_data(network_data_dir)
    reg = _station_table(profiles_dir, tables)
    _log(progress, f"1/5 reading {len(reg)} weather file(s)")
    wx, meta = {}, {}
    for sid, row in reg.iterrows():
        off = row.get("time_offset_min")
        off = None if off is None or pd.isna(off) else float(off)
        wx[sid], meta[sid] = weather.read_weather_file(Path(row["path"]), row["format"],
                                                       params.year, params.tz, off)
    nearest_ids = [s for s in reg.index if str(reg.loc[s].get("use_for_nearest", "yes"))
                   .strip().lower() in ("yes", "true", "1")]
    near_meta = {s: meta[s] for s in nearest_ids}
    wdir = Path(profiles_dir) / "weather"
    registry = reg[~reg.index.str.startswith("file:")]

    def stations_for(df: pd.DataFrame, id_col: str) -> pd.Series:
        return weather.assign_stations(df, wdir, registry, near_meta, id_col)

    sites = tables["sites"]
    site_station = stations_for(sites, "site_id")
    out: dict[str, pd.DataFrame] = {}
    details: dict = {"sites": {}, "heat_areas": {}, "load": {}}
    _log(progress, f"2/5 solar and wind for {len(sites)} site(s)")
    sol, wnd = {}, {}
    for _, s in sites.iterrows():
        sid, st = s["site_id"], site_station[s["site_id"]]
        target = pd.to_numeric(s["full_load_hours_target"], errors="coerce")
        if s["carrier"] == "solar":
            sol[sid], info = solar.solar_capacity_factor(
                wx[st], float(s["y_lat"]), float(s["x_lon"]), meta[st]["altitude"], params,
                target)
        elif s["carrier"] == "onwind":
            wnd[sid], info = wind.wind_capacity_factor(wx[st], meta[st]["altitude"], params,
                                                       target)
        else:
            raise ValueError(f"renewable_sites.csv {sid!r}: unknown carrier {s['carrier']!r}")
        details["sites"][sid] = {"carrier": s["carrier"], "station": st,
                                 "target_flh": None if pd.isna(target) else float(target),
                                 **{k: round(v, 5) for k, v in info.items()}}
    idx = weather.hourly_index(params.year, params.tz)
    out["solar"] = pd.DataFrame(sol, index=idx)
    out["wind"] = pd.DataFrame(wnd, index=idx)

    _log(progress, "3/5 temperature and heat-pump COP")
    out["temperature"] = pd.DataFrame({s: wx[s]["temp_air"] for s in wx}, index=idx)
    areas = tables["heat_areas"]
    area_first = areas.drop_duplicates("area_id")
    area_station = stations_for(area_first, "area_id")
    out["cop_ashp"] = pd.DataFrame({a: heat.cop_ashp(wx[st]["temp_air"], params)
                                    for a, st in area_station.items()}, index=idx)
    out["cop_gshp"] = pd.DataFrame({a: heat.cop_gshp(wx[st]["temp_air"], params)
                                    for a, st in area_station.items()}, index=idx)

    _log(progress, "4/5 district-heat demand")
    for year, grp in areas.groupby("year"):
        cols = {}
        for _, a in grp.iterrows():
            st = area_station[a["area_id"]]
            q = heat.heat_demand(wx[st]["temp_air"], float(a["floor_area_mm2"]),
                                 float(a["design_load_w_per_m2"]), params)
            cols[a["area_id"]] = q
            details["heat_areas"][f"{a['area_id']}/{int(year)}"] = {
                "station": st, "peak_mw_th": round(float(q.max()), 3),
                "annual_mwh_th": round(float(q.sum()), 1),
                "full_load_hours": round(float(q.sum() / q.max()), 1)}
        out[f"heat_demand_{int(year)}"] = pd.DataFrame(cols, index=idx)

    _log(progress, "5/5 electricity load")
    counties = tables["counties"]
    county_station = stations_for(counties, "county_id")
    shapes = {st: load.load_shape(wx[st]["temp_air"], params)
              for st in set(county_station.values)}
    demand = tables["demand"]
    unknown = sorted(set(demand["county_id"]) - set(county_station.index))
    if unknown:
        raise ValueError(f"demand.csv: county_id(s) {unknown} not in counties.csv")
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


def build_profiles(network_data_dir: Path, profiles_dir: Path, force: bool = False,
                   progress: bool = True, params: ProfileParams | None = None) -> Path:
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

    Returns
    -------
    pathlib.Path
        The ``built/`` folder (Parquet files + ``manifest.json``).
    """
    params = params or ProfileParams()
    profiles_dir = Path(profiles_dir)
    built = profiles_dir / "built"
    reason = "forced" if force else stale_reason(network_data_dir, profiles_dir, params)
    if reason is None:
        _log(progress, f"up to date ({built / 'manifest.json'}); nothing to do")
        return built
    _log(progress, f"building ({reason})")
    t0 = time.perf_counter()
    hashes = input_hashes(network_data_dir, profiles_dir)
    frames, details = _compute(network_data_dir, profiles_dir, params, progress)
    tmp = profiles_dir / f".built.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    files = []
    for stem, df in frames.items():
        df.columns = df.columns.astype(str)
        df.index.name = "snapshot"
        df.to_parquet(tmp / f"{stem}.parquet")
        files.append(f"{stem}.parquet")
    seconds = time.perf_counter() - t0
    manifest = {
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
            "wind": "windpowerlib hellman shear, ideal-gas density, smoothed oedb power curve "
                    "with density correction, flat losses; calibration scales hub wind speed",
            "heat": "heating degree hours (trailing-24h temperature) in statutory season on "
                    "heating days, intraday shape, hot-water base; peak = area x design load",
            "cop": "Staffell et al. 2012 quadratic fits, sink 55 degC; GSHP on damped lagged "
                   "air temperature",
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
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str))
    old = profiles_dir / f".built.old-{os.getpid()}"
    if built.exists():
        built.rename(old)
    tmp.rename(built)
    shutil.rmtree(old, ignore_errors=True)
    _log(progress, f"built {len(files)} tables in {seconds:.1f} s -> {built}")
    return built


def load_profiles(profiles_dir: Path) -> Profiles:
    """Load the built profiles.

    Parameters
    ----------
    profiles_dir : pathlib.Path
        Folder whose ``built/`` holds the Parquet files and ``manifest.json``.

    Returns
    -------
    Profiles
        Frozen dataclass of DataFrames (see :class:`Profiles`).
    """
    built = Path(profiles_dir) / "built"
    mpath = built / "manifest.json"
    if not mpath.exists():
        raise FileNotFoundError(f"{mpath} not found; run `python run.py profiles` first")
    man = json.loads(mpath.read_text())
    tables = {t: pd.read_parquet(built / f"{t}.parquet") for t in TABLES}
    yearly: dict[str, dict[int, pd.DataFrame]] = {y: {} for y in YEARLY}
    for f in man["files"]:
        stem = f.removesuffix(".parquet")
        for prefix in YEARLY:
            rest = stem.removeprefix(prefix + "_")
            if rest != stem and rest.isdigit():
                yearly[prefix][int(rest)] = pd.read_parquet(built / f)
    for df in [*tables.values(), *yearly["load"].values(), *yearly["heat_demand"].values()]:
        df.index.name = None
        df.columns.name = None
    return Profiles(load=yearly["load"], heat_demand=yearly["heat_demand"], manifest=man,
                    **tables)


def ensure_profiles(network_data_dir: Path, profiles_dir: Path,
                    params: ProfileParams | None = None, progress: bool = True) -> Profiles:
    """Build the profiles if stale, then load them.

    Parameters
    ----------
    network_data_dir, profiles_dir : pathlib.Path
        See :func:`build_profiles`.
    params : ProfileParams, optional
        Parameters (default ``ProfileParams()``).
    progress : bool
        Print progress lines to stderr.

    Returns
    -------
    Profiles
        The loaded profiles.
    """
    build_profiles(network_data_dir, profiles_dir, force=False, progress=progress, params=params)
    return load_profiles(profiles_dir)
