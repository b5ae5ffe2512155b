"""What the profiles are built from: validated network_data tables and the weather stations.

:func:`read_sources` reads and checks everything the build needs before it computes anything
(station registry, every weather file, the station of every site, area and county, and whether
each county's demand can be shaped from its station's temperature); ``check`` runs the same
function, so it passes exactly when the profile inputs would build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from energy.inputs import InputError, Inputs, load_inputs
from energy.inputs.errors import input_error
from energy.profiles import load, weather
from energy.profiles.epw import WeatherError
from energy.profiles.params import ProfileParams

#: network_data CSVs the profiles depend on.
NETWORK_FILES = ("renewable_sites.csv", "counties.csv", "demand.csv", "heat_areas.csv")

#: table key -> (file, id column) of the tables with rows mapped onto stations
_STATION_TABLES = {"sites": ("renewable_sites.csv", "site_id"),
                   "heat_areas": ("heat_areas.csv", "area_id"),
                   "counties": ("counties.csv", "county_id")}


def network_tables(network_data_dir: Path, inputs: Inputs | None = None,
                   ) -> dict[str, pd.DataFrame]:
    """The validated network_data tables the profiles use (:func:`energy.inputs.load_inputs`).

    ``inputs``: the tables already loaded from ``network_data_dir`` (not read again).

    Returns
    -------
    dict
        ``sites`` (renewable_sites.csv), ``counties``, ``demand`` and ``heat_areas``.
    """
    inputs = inputs if inputs is not None else load_inputs(network_data_dir)
    return {"sites": inputs.renewable_sites, "counties": inputs.counties,
            "demand": inputs.demand, "heat_areas": inputs.heat_areas}


def station_table(profiles_dir: Path, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Registry of stations plus any user ``weather_file`` entries found in the tables."""
    wdir = Path(profiles_dir) / "weather"
    reg = weather.read_station_registry(wdir)
    extra = {}
    for key, df in tables.items():
        if "weather_file" not in df.columns:
            continue
        file = _STATION_TABLES.get(key, (key, None))[0]
        for i, wf in enumerate(df["weather_file"], start=1):
            if isinstance(wf, str) and wf.strip():
                try:
                    sid, row = weather.custom_station(wdir, wf.strip())
                except WeatherError as err:
                    raise WeatherError(f"{file}, row {i} (line {i + 1}), column "
                                       f"'weather_file': {err}") from err
                extra[sid] = row
    if extra:
        reg = pd.concat([reg, pd.DataFrame.from_dict(extra, orient="index")])
    return reg


@dataclass
class Sources:
    """Everything the build reads, checked: tables, stations, weather, assignments.

    Attributes
    ----------
    tables : dict
        ``sites``, ``counties``, ``demand``, ``heat_areas`` (see :func:`network_tables`).
    registry : pandas.DataFrame
        Stations (``stations.csv`` plus user weather files), with ``path``.
    weather : dict
        Station id -> hourly weather (:func:`energy.profiles.weather.read_weather_file`).
    meta : dict
        Station id -> location meta.
    stations : dict
        Table key (``sites``, ``heat_areas``, ``counties``) -> station id per row id.
    load_shapes : dict
        Station id -> unscaled load shape of the counties mapped to it.
    """

    tables: dict[str, pd.DataFrame]
    registry: pd.DataFrame
    weather: dict[str, pd.DataFrame]
    meta: dict[str, dict]
    stations: dict[str, pd.Series]
    load_shapes: dict[str, pd.Series]


#: weather already read and checked in this process, by (content sha256, format, year, tz, offset)
_READ: dict[tuple, tuple[pd.DataFrame, dict]] = {}


def read_weather(path: Path, fmt: str, year: int, tz: str,
                 offset: float | None) -> tuple[pd.DataFrame, dict]:
    """:func:`energy.profiles.weather.read_weather_file`, once per file content and settings.

    ``check`` and the build read the same files; reading and checking 8,760 lines takes about
    0.3 s per file, so a file read before (same bytes) is not read again.
    """
    path = Path(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except IsADirectoryError as err:
        raise WeatherError(f"{path}: expected a weather file, found a folder") from err
    except FileNotFoundError as err:
        raise WeatherError(f"{path}: weather file not found") from err
    except OSError as err:
        raise WeatherError(f"{path}: cannot read ({err.strerror or err})") from err
    key = (digest, fmt, year, tz, offset)
    if key not in _READ:
        if len(_READ) > 16:
            _READ.clear()
        _READ[key] = weather.read_weather_file(path, fmt, year, tz, offset)
    data, meta = _READ[key]
    return data.copy(), dict(meta)


def read_sources(network_data_dir: Path, profiles_dir: Path,
                 params: ProfileParams | None = None, inputs: Inputs | None = None) -> Sources:
    """Read and check every input of the profile build (weather included), computing nothing.

    Raises
    ------
    InputError
        One line naming the file, row (or line) and column of the first problem: a weather
        file with gaps, markers or truncation, an unknown ``weather_station``, a county whose
        demand cannot be shaped (peak too high for its annual energy).
    """
    params = params or ProfileParams()
    tables = network_tables(network_data_dir, inputs)
    reg = station_table(profiles_dir, tables)
    wx, meta = {}, {}
    for sid, row in reg.iterrows():
        off = row.get("time_offset_min")
        off = None if off is None or pd.isna(off) else float(off)
        wx[sid], meta[sid] = read_weather(Path(row["path"]), row["format"], params.year,
                                          params.tz, off)
    nearest = [s for s in reg.index if str(reg.loc[s].get("use_for_nearest", "yes"))
               .strip().lower() in ("yes", "true", "1")]
    if not nearest:
        raise WeatherError(f"{Path(profiles_dir) / 'weather' / 'stations.csv'}, column "
                           "'use_for_nearest': no station is marked for nearest-station mapping")
    near_meta = {s: meta[s] for s in nearest}
    wdir = Path(profiles_dir) / "weather"
    registry = reg[~reg.index.str.startswith("file:")]
    stations = {}
    for key, (file, id_col) in _STATION_TABLES.items():
        table = tables[key].drop_duplicates(id_col)
        stations[key] = weather.assign_stations(table, wdir, registry, near_meta, id_col,
                                                file=file)
    counties = stations["counties"]
    shapes = {st: load.load_shape(wx[st]["temp_air"], params) for st in set(counties.values)}
    for i, d in enumerate(tables["demand"].itertuples(), start=1):
        try:
            load.scale_affine(shapes[counties[d.county_id]], float(d.annual_mwh),
                              float(d.peak_mw))
        except ValueError as err:
            raise input_error("demand.csv", i, "peak_mw", f"{err} (county {d.county_id}, "
                              f"{d.year})") from err
    return Sources(tables, reg, wx, meta, stations, shapes)


def check_profile_inputs(network_data_dir: Path, profiles_dir: Path,
                         params: ProfileParams | None = None,
                         inputs: Inputs | None = None) -> None:
    """Check every input of the profile build without building (used by ``check``).

    Raises
    ------
    InputError
        See :func:`read_sources`.
    """
    read_sources(network_data_dir, profiles_dir, params, inputs)


__all__ = ["NETWORK_FILES", "InputError", "Sources", "check_profile_inputs", "network_tables",
           "read_sources", "station_table"]
