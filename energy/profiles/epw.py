"""Check a weather file before it is read as weather: missing markers, gaps, truncation, ranges.

An EPW file marks a missing value with a number (99.9 °C, 999999 Pa, 9999 Wh/m², 999 m/s),
which a reader takes at face value: a January of 99.9 °C makes the heat demand vanish. Every
field the model uses is therefore checked line by line, and the first problem is one
:class:`WeatherError` line naming the file, its line, the field and what was expected.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from energy.inputs.errors import InputError

#: EPW header lines before the first data line
EPW_HEADER_LINES = 8

#: fields the model reads: name -> (0-based EPW column, missing marker, min, max, unit).
#: Markers from the EnergyPlus Auxiliary Programs manual ("Weather Converter", data field
#: descriptions); limits are the manual's physical limits where it gives them.
EPW_FIELDS: dict[str, tuple[int, float, float, float, str]] = {
    "temp_air": (6, 99.9, -70.0, 70.0, "degC"),
    "atmospheric_pressure": (9, 999999.0, 31_000.0, 120_000.0, "Pa"),
    "ghi": (13, 9999.0, 0.0, 1_600.0, "Wh/m2"),
    "dni": (14, 9999.0, 0.0, 1_500.0, "Wh/m2"),
    "dhi": (15, 9999.0, 0.0, 1_200.0, "Wh/m2"),
    "wind_speed": (21, 999.0, 0.0, 40.0, "m/s"),
}

_COLUMNS = {col for col, *_ in EPW_FIELDS.values()}

#: plausible hourly weather after reading (any format): column -> (min, max) in model units
FRAME_LIMITS: dict[str, tuple[float, float]] = {
    "ghi": (0.0, 1_600.0), "dni": (0.0, 1_500.0), "dhi": (0.0, 1_200.0),
    "temp_air": (-70.0, 70.0), "wind_speed": (0.0, 40.0), "pressure": (31_000.0, 120_000.0),
}


class WeatherError(InputError):
    """A weather file or station registry that cannot be used as weather."""


def _where(path: Path, line: int | None, field: str | None) -> str:
    text = str(path)
    if line is not None:
        text += f", line {line}"
    if field is not None:
        text += f", field '{field}'"
    return text


def check_epw(path: Path) -> None:
    """Check an EPW file's data lines: count, numbers, missing markers, physical limits.

    Parameters
    ----------
    path : Path
        The ``.epw`` file.

    Raises
    ------
    WeatherError
        The first problem, naming the file, the line (1-based, as an editor shows it) and the
        field.
    """
    path = Path(path)
    if path.is_dir():
        raise WeatherError(f"{path}: expected a weather file, found a folder")
    try:
        raw = pd.read_csv(path, header=None, skiprows=EPW_HEADER_LINES, dtype=str,
                          usecols=sorted(_COLUMNS), keep_default_na=False,
                          encoding="latin-1", skip_blank_lines=False)
    except FileNotFoundError as err:
        raise WeatherError(f"{path}: weather file not found") from err
    except pd.errors.EmptyDataError as err:
        raise WeatherError(f"{path}: no data lines (expected {EPW_HEADER_LINES} header "
                           "lines and one line per hour)") from err
    except OSError as err:
        raise WeatherError(f"{path}: cannot read ({err.strerror or err})") from err
    except pd.errors.ParserError as err:
        raise WeatherError(f"{path}: not an EPW file ({str(err).strip()})") from err
    rows = len(raw)
    if rows not in (8760, 8784):
        raise WeatherError(f"{path}: {rows} data lines, expected 8760 (one per hour of a "
                           "year; is the file truncated?)")
    if set(raw.columns) != _COLUMNS:
        raise WeatherError(f"{path}: fewer than {max(_COLUMNS) + 1} fields per line "
                           "(not an EPW file?)")
    for name, (col, marker, lo, hi, unit) in EPW_FIELDS.items():
        text = raw[col].fillna("").str.strip()
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        bad |= np.isclose(values, marker) | (values < lo) | (values > hi)
        if not bad.any():
            continue
        k = int(np.flatnonzero(bad)[0])
        line = EPW_HEADER_LINES + k + 1
        cell, value = text.iloc[k], values[k]
        where = _where(path, line, name)
        if cell == "":
            raise WeatherError(f"{where} (EPW column {col + 1}): empty (is the line cut short?)")
        if not math.isfinite(value):
            raise WeatherError(f"{where} (EPW column {col + 1}): expected a number, got {cell!r}")
        if math.isclose(value, marker):
            count = int(np.isclose(values, marker).sum())
            raise WeatherError(f"{where} (EPW column {col + 1}): {cell} is the EPW missing-value "
                               f"marker ({count} such hours); fill the gaps or use another file")
        raise WeatherError(f"{where} (EPW column {col + 1}): expected {lo:g}..{hi:g} {unit}, "
                           f"got {cell}")


def check_frame(path: Path, data: pd.DataFrame) -> None:
    """Check hourly weather after reading (any format): no NaN, physical limits.

    Raises
    ------
    WeatherError
        Naming the file, the hour (1-based) and the column.
    """
    for name, (lo, hi) in FRAME_LIMITS.items():
        if name not in data.columns:
            continue
        values = data[name].to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < lo) | (values > hi)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise WeatherError(f"{path}, hour {k + 1} of the year, field '{name}': expected "
                               f"{lo:g}..{hi:g}, got {values[k]:g}")
