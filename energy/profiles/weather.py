"""Read typical-year weather files and put them on one hourly calendar.

Every weather series leaving this module is indexed by the *start* of each hour of the
reference year (8,760 stamps, tz-aware) and represents the average over that hour, i.e. it is
centred half an hour after its stamp. Files whose values are centred elsewhere are shifted by
linear interpolation in time, see :func:`align_to_hour_centre`: CSWD values sit *at* the
``read_epw`` stamp (measured against clear-sky geometry, see ``profiles/README.md``), PVGIS
values at the stamp plus the file's "irradiance time offset".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from pypsa.geo import haversine_pts

from energy.profiles.epw import WeatherError, check_epw, check_frame

#: Columns every station frame carries, with units.
#: ghi, dni, dhi [W/m^2]; temp_air [degC]; wind_speed [m/s] at 10 m; pressure [Pa].
WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")

#: Default centre offset [min] of a value relative to its pvlib stamp, by file format.
DEFAULT_OFFSET_MIN = {"epw": 30.0, "pvgis": 0.0}


def hourly_index(year: int, tz: str = "Asia/Shanghai") -> pd.DatetimeIndex:
    """Return the 8,760 hour-start stamps of a non-leap year.

    Parameters
    ----------
    year : int
        Calendar year (must not be a leap year).
    tz : str
        Time zone name (UTC+8 ``Asia/Shanghai`` by default).

    Returns
    -------
    pandas.DatetimeIndex
        Hourly, tz-aware, length 8,760.
    """
    idx = pd.date_range(f"{year}-01-01 00:00", periods=8760, freq="h", tz=tz)
    if idx[-1].year != year:
        raise ValueError(f"{year} is a leap year")
    return idx


def align_to_hour_centre(values: np.ndarray, time_offset_min: float) -> np.ndarray:
    """Shift hourly values so that each one is centred half an hour after its stamp.

    Parameters
    ----------
    values : numpy.ndarray
        Hourly values (axis 0 = time, periodic over the year); sample *k* is centred
        ``time_offset_min`` minutes after stamp *k*.
    time_offset_min : float
        Centre of each sample relative to its stamp [min]: 30 for a standard EPW
        (hour-ending average), 0 for CSWD files (measured: the clear-sky fit peaks at the
        stamp, see profiles/README.md) and for instantaneous data.

    Returns
    -------
    numpy.ndarray
        Values at stamp + 30 min, interpolated linearly and periodically (a shift of 30 min
        averages each pair of neighbours).
    """
    values = np.asarray(values, dtype=float)
    shift_h = (time_offset_min - 30.0) / 60.0
    if abs(shift_h) < 1e-9:
        return values.copy()
    n = values.shape[0]
    # wanted time (in sample units) t + 0.5 h maps to sample position t - shift_h
    pos = np.arange(n) - shift_h
    lo = np.floor(pos).astype(int)
    w = pos - lo
    lo_vals = values[lo % n]
    hi_vals = values[(lo + 1) % n]
    if values.ndim > 1:
        w = w[:, None]
    return (1.0 - w) * lo_vals + w * hi_vals


def block_hold_period(values: np.ndarray, max_period_h: int = 24, share: float = 0.95,
                      min_changes: int = 100) -> tuple[int, int] | None:
    """Detect a series held constant in blocks of a fixed length (sample-and-hold).

    A series is block-held with period *P* when (almost) every hour-to-hour change falls on
    one phase modulo *P*: the value is observed every *P* hours and repeated in between. The
    longest such period is returned (a 6-hourly series is also "2-hourly", the test looks
    from ``max_period_h`` down). Detected from the data only, never from a station name.

    Parameters
    ----------
    values : numpy.ndarray
        Hourly values [any unit].
    max_period_h : int
        Longest block length tested [h].
    share : float
        Minimum share of all changes that must fall on one phase [-].
    min_changes : int
        Fewer changes than this (a nearly constant series) is never called block-held.

    Returns
    -------
    tuple of (int, int) or None
        ``(period_h, phase_h)``: block length and position (mod period) of the first hour of
        each block, i.e. of the observation; None when the series is not block-held.
    """
    x = np.asarray(values, dtype=float)
    changes = np.flatnonzero(x[1:] != x[:-1]) + 1
    if len(changes) < min_changes:
        return None
    for period in range(max_period_h, 1, -1):
        counts = np.bincount(changes % period, minlength=period)
        if counts.max() >= share * len(changes):
            return period, int(counts.argmax())
    return None


def interpolate_held_blocks(values: np.ndarray, period_h: int, phase_h: int) -> np.ndarray:
    """Replace a block-held series by linear interpolation between its observations.

    The held value of each block is taken as observed at the block's first hour (the CSWD
    Yuanping file changes its wind at 02, 08, 14 and 20 h Beijing time, the CMA synoptic
    observation times, see ``profiles/README.md``); values in between are interpolated
    linearly, periodically over the year.

    Parameters
    ----------
    values : numpy.ndarray
        Hourly block-held values.
    period_h, phase_h : int
        Output of :func:`block_hold_period`.

    Returns
    -------
    numpy.ndarray
        Interpolated hourly values, equal to the original at every observation hour.
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    knots = np.arange(phase_h % period_h, n, period_h)
    pos = np.r_[knots[-1] - n, knots, knots[0] + n]
    val = x[np.r_[knots[-1], knots, knots[0]]]
    return np.interp(np.arange(n), pos, val)


def _onto_reference_year(data: pd.DataFrame, year: int, tz: str) -> pd.DataFrame:
    """Map a typical year with mixed source years onto ``year`` by (month, day, hour)."""
    local = data.index.tz_convert(tz)
    keep = ~((local.month == 2) & (local.day == 29))
    data, local = data[keep], local[keep]
    target = hourly_index(year, tz)
    key = local.month * 1_000_000 + local.day * 10_000 + local.hour * 100
    tkey = target.month * 1_000_000 + target.day * 10_000 + target.hour * 100
    data = data.set_axis(np.asarray(key)).sort_index()
    if data.index.has_duplicates or len(data) != 8760:
        raise ValueError("weather file does not hold exactly one value per hour of a year")
    return data.reindex(np.asarray(tkey)).set_axis(target)


def read_weather_file(path: Path, fmt: str, year: int, tz: str = "Asia/Shanghai",
                      time_offset_min: float | None = None,
                      interpolate_held: bool = True) -> tuple[pd.DataFrame, dict]:
    """Read an EPW or PVGIS TMY file onto the hour-start index of ``year``.

    Parameters
    ----------
    path : pathlib.Path
        Weather file. ``fmt='epw'`` uses :func:`pvlib.iotools.read_epw`; ``fmt='pvgis'`` uses
        :func:`pvlib.iotools.read_pvgis_tmy` (csv, json or epw as downloaded from PVGIS).
    fmt : {'epw', 'pvgis'}
        File format.
    year : int
        Reference (non-leap) year the typical year is mapped onto.
    tz : str
        Output time zone.
    time_offset_min : float, optional
        Centre of each value relative to the pvlib stamp [min]; default 30 for EPW and, for
        PVGIS, 0 plus the file's ``irradiance time offset``.
    interpolate_held : bool
        Interpolate columns found held constant in blocks (:func:`block_hold_period`); False
        keeps them as in the file (only to compare against).

    Returns
    -------
    data : pandas.DataFrame
        Columns :data:`WEATHER_COLUMNS` (ghi, dni, dhi [W/m^2], temp_air [degC], wind_speed
        [m/s] at 10 m, pressure [Pa]), hour-start index, values centred at stamp + 30 min.
    meta : dict
        ``latitude``, ``longitude`` [deg], ``altitude`` [m], ``time_offset_min`` used, and
        ``block_held``: column -> ``[period_h, phase_h]`` of every column found held constant
        in blocks (:func:`block_hold_period`) and interpolated before the time alignment.
    """
    path = Path(path)
    if fmt == "epw":
        check_epw(path)
        try:
            raw, meta = pvlib.iotools.read_epw(path, coerce_year=year)
        except (ValueError, KeyError, IndexError, UnicodeDecodeError) as err:
            raise WeatherError(f"{path}: not a readable EPW file ({err})") from err
        raw = raw.rename(columns={"atmospheric_pressure": "pressure"})
        offset = DEFAULT_OFFSET_MIN["epw"] if time_offset_min is None else time_offset_min
        lat, lon, alt = meta["latitude"], meta["longitude"], meta["altitude"]
    elif fmt == "pvgis":
        try:
            raw, meta = pvlib.iotools.read_pvgis_tmy(path, map_variables=True)
        except (OSError, ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as err:
            raise WeatherError(f"{path}: not a readable PVGIS TMY file ({err})") from err
        if isinstance(meta, dict) and "location" in meta:  # csv/json
            loc = meta["location"]
            lat, lon, alt = loc["latitude"], loc["longitude"], loc.get("elevation", np.nan)
            extra = 60.0 * float(meta.get("inputs", {}).get("irradiance time offset", 0.0) or 0.0)
        else:  # epw flavour
            lat, lon, alt = meta["latitude"], meta["longitude"], meta["altitude"]
            raw = raw.rename(columns={"atmospheric_pressure": "pressure"})
            extra = 0.0
        if raw.index.tz is None:
            raw.index = raw.index.tz_localize("UTC")
        offset = (DEFAULT_OFFSET_MIN["pvgis"] + extra if time_offset_min is None
                  else time_offset_min)
    else:
        raise WeatherError(f"{path}: unknown weather format {fmt!r} (use 'epw' or 'pvgis')")
    missing = [c for c in WEATHER_COLUMNS if c not in raw.columns]
    if missing:
        raise WeatherError(f"{path}: missing weather columns {missing}")
    try:
        data = _onto_reference_year(raw[list(WEATHER_COLUMNS)].astype(float), year, tz)
    except ValueError as err:
        raise WeatherError(f"{path}: {err}") from err
    check_frame(path, data)
    held = {}
    for col in WEATHER_COLUMNS:
        found = block_hold_period(data[col].to_numpy())
        if found is not None and interpolate_held:
            held[col] = list(found)
            data[col] = interpolate_held_blocks(data[col].to_numpy(), *found)
    aligned = align_to_hour_centre(data.to_numpy(), float(offset))
    data = pd.DataFrame(aligned, index=data.index, columns=list(WEATHER_COLUMNS))
    data[["ghi", "dni", "dhi", "wind_speed"]] = data[["ghi", "dni", "dhi", "wind_speed"]].clip(
        lower=0.0)
    meta_out = {"latitude": float(lat), "longitude": float(lon), "altitude": float(alt),
                "time_offset_min": float(offset), "block_held": held}
    return data, meta_out


def read_station_registry(weather_dir: Path) -> pd.DataFrame:
    """Read ``stations.csv`` (station, file, format, time_offset_min, source, note).

    Parameters
    ----------
    weather_dir : pathlib.Path
        Folder holding the weather files and ``stations.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by station id; ``path`` column added (absolute path).
    """
    where = weather_dir / "stations.csv"
    try:
        reg = pd.read_csv(where, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as err:
        raise WeatherError(f"{where}: station registry not found (see profiles/README.md)") from err
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise WeatherError(f"{where}: not a readable UTF-8 CSV ({err})") from err
    for col in ("station", "file", "format"):
        if col not in reg.columns:
            raise WeatherError(f"{where}, column '{col}': missing column")
    for i, row in enumerate(reg.itertuples(), start=1):
        cell = f"{where}, row {i} (line {i + 1})"
        if not row.station.strip() or not row.file.strip():
            raise WeatherError(f"{cell}: expected a station id and a file name")
        if row.format.strip() not in ("epw", "pvgis"):
            raise WeatherError(f"{cell}, column 'format': expected 'epw' or 'pvgis', "
                               f"got {row.format!r}")
        if not (weather_dir / row.file.strip()).is_file():
            raise WeatherError(f"{cell}, column 'file': weather file "
                               f"{weather_dir / row.file.strip()} not found")
    if reg.station.duplicated().any():
        i = int(reg.station.duplicated().to_numpy().nonzero()[0][0]) + 1
        raise WeatherError(f"{where}, row {i} (line {i + 1}), column 'station': duplicate "
                           f"station {reg.station.iloc[i - 1]!r}")
    reg = reg.assign(station=reg.station.str.strip(), file=reg.file.str.strip(),
                     format=reg.format.str.strip())
    if "time_offset_min" in reg.columns:
        offset = pd.to_numeric(reg.time_offset_min.replace("", np.nan), errors="coerce")
        bad = offset.isna() & (reg.time_offset_min.str.strip() != "")
        bad |= offset.abs() > 120
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0]) + 1
            raise WeatherError(f"{where}, row {i} (line {i + 1}), column 'time_offset_min': "
                               f"expected minutes within -120..120 or empty, got "
                               f"{reg.time_offset_min.iloc[i - 1]!r}")
        reg["time_offset_min"] = offset
    reg = reg.set_index("station")
    reg["path"] = [weather_dir / f for f in reg["file"]]
    return reg


def custom_station(weather_dir: Path, weather_file: str) -> tuple[str, dict]:
    """Describe a user-supplied weather file named in a ``weather_file`` column.

    Parameters
    ----------
    weather_dir : pathlib.Path
        Folder relative paths are resolved against.
    weather_file : str
        File name/path; ``.epw`` is read as EPW (centre offset 30 min), ``.csv``/``.json`` as PVGIS.

    Returns
    -------
    station_id : str
        ``file:<name>``.
    row : dict
        Registry row (``path``, ``format``, ``time_offset_min``).
    """
    path = Path(weather_file)
    path = path if path.is_absolute() else weather_dir / path
    if not path.is_file():
        raise WeatherError(f"weather_file {weather_file!r} not found (looked at {path})")
    fmt = "epw" if path.suffix.lower() == ".epw" else "pvgis"
    return f"file:{weather_file}", {"path": path, "format": fmt, "time_offset_min": np.nan,
                                    "file": weather_file}


def nearest_station(lat: float, lon: float, station_meta: dict[str, dict],
                    candidates: list[str] | None = None) -> str:
    """Return the id of the station nearest to (lat, lon) [deg].

    Parameters
    ----------
    lat, lon : float
        Point [deg].
    station_meta : dict
        Station id -> meta dict with ``latitude``/``longitude`` [deg].
    candidates : list of str, optional
        Restrict the search (by default all CSWD-like stations, i.e. all ids given).
    """
    ids = candidates or list(station_meta)
    lats = np.array([station_meta[s]["latitude"] for s in ids])
    lons = np.array([station_meta[s]["longitude"] for s in ids])
    distance = haversine_pts(np.column_stack([lons, lats]), [lon, lat])  # [km]
    return ids[int(np.argmin(distance))]


def assign_stations(table: pd.DataFrame, weather_dir: Path, registry: pd.DataFrame,
                    station_meta: dict[str, dict], id_col: str,
                    lat_col: str = "y_lat", lon_col: str = "x_lon",
                    file: str | None = None) -> pd.Series:
    """Map each row of a table (sites, counties, heat areas) to a weather station id.

    Priority: a non-empty ``weather_file`` column (user file), then a non-empty
    ``weather_station`` column (must be in ``stations.csv``), then the nearest registered
    station by great-circle distance from ``lat_col``/``lon_col``.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows to map.
    weather_dir : pathlib.Path
        Folder of the weather files.
    registry : pandas.DataFrame
        Output of :func:`read_station_registry`.
    station_meta : dict
        Station id -> meta (``latitude``, ``longitude``) of registered stations.
    id_col : str
        Column naming the rows (for error messages).
    lat_col, lon_col : str
        Coordinate columns [deg].
    file : str, optional
        The table's file name, for error messages (rows are counted from the table's order).

    Returns
    -------
    pandas.Series
        Station id per row (index = ``table[id_col]``).
    """
    out = {}
    for position, (index, row) in enumerate(table.iterrows(), start=1):
        wf = row.get("weather_file")
        ws = row.get("weather_station")
        number = index + 1 if isinstance(index, int | np.integer) else position
        where = (f"{file}, row {number} (line {number + 1})" if file
                 else f"{id_col}={row[id_col]!r}")
        if isinstance(wf, str) and wf.strip():
            try:
                out[row[id_col]] = custom_station(weather_dir, wf.strip())[0]
            except WeatherError as err:
                raise WeatherError(f"{where}, column 'weather_file': {err}") from err
        elif isinstance(ws, str) and ws.strip():
            if ws.strip() not in registry.index:
                raise WeatherError(f"{where}, column 'weather_station': expected a station of "
                                   f"stations.csv ({', '.join(registry.index)}), got {ws!r}")
            out[row[id_col]] = ws.strip()
        else:
            if pd.isna(row.get(lat_col)) or pd.isna(row.get(lon_col)):
                raise WeatherError(f"{where}: no weather_station and no {lat_col}/{lon_col} "
                                   "to find the nearest station")
            out[row[id_col]] = nearest_station(float(row[lat_col]), float(row[lon_col]),
                                               station_meta)
    return pd.Series(out, name="station")
