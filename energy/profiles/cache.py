"""The profile cache: ``profiles/built/`` (Parquet tables + ``manifest.json``).

The build is skipped when the manifest records the same sha256 for every input file (weather
files, ``stations.csv`` and the network_data CSVs used), the same parameter digest and the same
code version (sha256 of this subpackage's sources).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from energy.inputs import InputError, Inputs
from energy.profiles.epw import WeatherError
from energy.profiles.params import ProfileParams
from energy.profiles.sources import NETWORK_FILES, network_tables, station_table

#: Single-table outputs (file stem -> Profiles attribute).
TABLES = ("solar", "wind", "cop_ashp", "cop_gshp", "temperature")
#: Per-year outputs (file stem prefix -> Profiles attribute).
YEARLY = ("load", "heat_demand")
MANIFEST_VERSION = 1


class CacheError(InputError):
    """A profile cache file that cannot be read (rebuild with ``profiles --force``)."""


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


def input_hashes(network_data_dir: Path, profiles_dir: Path,
                 inputs: Inputs | None = None) -> dict[str, str]:
    """Sha256 of every input file of the build, keyed by a readable relative name.

    Parameters
    ----------
    network_data_dir : pathlib.Path
        Folder with the network_data CSVs.
    profiles_dir : pathlib.Path
        Folder with ``weather/`` (weather files + ``stations.csv``).
    inputs : Inputs, optional
        The tables of ``network_data_dir`` when already loaded (not read again).

    Returns
    -------
    dict
        ``{"network_data/<file>": sha, "weather/<file>": sha, ...}``.
    """
    out = {f"network_data/{f}": sha256_file(Path(network_data_dir) / f) for f in NETWORK_FILES}
    wdir = Path(profiles_dir) / "weather"
    if not (wdir / "stations.csv").is_file():
        raise WeatherError(f"{wdir / 'stations.csv'}: not found (the weather folder needs a "
                           "station registry, see profiles/README.md)")
    out["weather/stations.csv"] = sha256_file(wdir / "stations.csv")
    reg = station_table(profiles_dir, network_tables(network_data_dir, inputs))
    for p in sorted({Path(p) for p in reg["path"]}):
        key = p.relative_to(wdir) if p.is_relative_to(wdir) else p
        out[f"weather/{key}"] = sha256_file(p)
    return out


def stale_reason(network_data_dir: Path, profiles_dir: Path,
                 params: ProfileParams | None = None, inputs: Inputs | None = None) -> str | None:
    """Why the built profiles must be rebuilt, or None when they are up to date.

    Parameters
    ----------
    network_data_dir, profiles_dir : pathlib.Path
        Input and profile folders.
    params : ProfileParams, optional
        Parameters (default ``ProfileParams()``).
    inputs : Inputs, optional
        The tables of ``network_data_dir`` when already loaded (not read again).

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
        man = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unreadable manifest"
    if not isinstance(man, dict) or not isinstance(man.get("files", []), list):
        return "unreadable manifest"
    if man.get("manifest_version") != MANIFEST_VERSION:
        return "manifest version changed"
    if man.get("params_sha256") != params.digest():
        return "parameters changed"
    if man.get("code_version") != code_version():
        return "code changed"
    now = input_hashes(network_data_dir, profiles_dir, inputs)
    old = man.get("inputs", {})
    changed = sorted(k for k in set(now) | set(old) if now.get(k) != old.get(k))
    if changed:
        return "inputs changed: " + ", ".join(changed)
    missing = [f for f in man.get("files", []) if not (built / f).is_file()]
    if missing:
        return "outputs missing: " + ", ".join(missing)
    outputs = man.get("outputs") or {}
    changed = [f for f in man.get("files", [])
               if f in outputs and sha256_file(built / f) != outputs[f]]
    if changed:
        return "outputs changed (damaged cache): " + ", ".join(changed)
    return None


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
    hint = "; rebuild with `python run.py profiles --force`"
    try:
        man = json.loads(mpath.read_text(encoding="utf-8"))
        files = list(man["files"])
    except FileNotFoundError as err:
        raise CacheError(f"{mpath}: not found; run `python run.py profiles` first") from err
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise CacheError(f"{mpath}: unreadable profile manifest{hint}") from err
    tables = {t: _read_cached(built / f"{t}.parquet", hint) for t in TABLES}
    yearly: dict[str, dict[int, pd.DataFrame]] = {y: {} for y in YEARLY}
    for f in files:
        stem = str(f).removesuffix(".parquet")
        for prefix in YEARLY:
            rest = stem.removeprefix(prefix + "_")
            if rest != stem and rest.isdigit():
                yearly[prefix][int(rest)] = _read_cached(built / f, hint)
    for df in [*tables.values(), *yearly["load"].values(), *yearly["heat_demand"].values()]:
        df.index.name = None
        df.columns.name = None
    return Profiles(load=yearly["load"], heat_demand=yearly["heat_demand"], manifest=man,
                    **tables)


def _read_cached(path: Path, hint: str) -> pd.DataFrame:
    """One cached profile table: readable, 8,760 hours, finite values."""
    try:
        df = pd.read_parquet(path)
    except Exception as err:  # noqa: BLE001 - pyarrow raises many types for a damaged file
        raise CacheError(f"{path}: unreadable profile cache file ({type(err).__name__}){hint}"
                         ) from err
    values = df.to_numpy(dtype=float) if not df.empty else np.zeros((len(df), 0))
    if len(df) != 8760 or not np.isfinite(values).all():
        raise CacheError(f"{path}: damaged profile cache file (expected 8760 finite hourly "
                         f"values per column, got {len(df)} rows){hint}")
    return df
