"""Read one CSV and coerce every column to its schema; every error names file, row and column."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from energy.inputs.columns import _PROVENANCE, Column
from energy.inputs.errors import input_error as _fail
from energy.inputs.schema import SCHEMAS


def _read_raw(path: Path) -> pd.DataFrame:
    if path.is_dir():
        raise _fail(path.name, None, None, f"expected a CSV file, found a folder at {path}")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as err:
        raise _fail(path.name, None, None, f"file not found ({path})") from err
    except pd.errors.EmptyDataError as err:
        raise _fail(path.name, None, None, "the file is empty (expected a header line and "
                    "data rows)") from err
    except OSError as err:
        raise _fail(path.name, None, None, f"cannot read ({err.strerror or err})") from err
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise _fail(path.name, None, None, f"not a readable UTF-8 CSV ({reason})") from err


def _bound_hint(value: float, lo: float | None, hi: float | None) -> str:
    """Say so when the value would fit at a unit 1000 times smaller or larger."""
    for factor, words in ((1e-3, "1000 times too large"), (1e3, "1000 times too small")):
        scaled = value * factor
        if (lo is None or scaled >= lo) and (hi is None or scaled <= hi) and scaled != value:
            return f" ({words}: a wrong unit, e.g. kW for MW?)"
    return ""


def check_bounds(file: str, row: int, name: str, value: float, text: str,
                 lo: float | None, hi: float | None, unit: str | None) -> None:
    """Raise the one-line error of a number outside ``[lo, hi]`` (its unit and a hint)."""
    unit_text = f" {unit}" if unit else ""
    if lo is not None and value < lo:
        raise _fail(file, row, name, f"expected a number >= {lo:g}{unit_text}, got {text}"
                    + _bound_hint(value, lo, hi))
    if hi is not None and value > hi:
        raise _fail(file, row, name, f"expected a number <= {hi:g}{unit_text}, got {text}"
                    + _bound_hint(value, lo, hi))


def _coerce(file: str, df: pd.DataFrame, name: str, col: Column) -> pd.Series:
    raw = df[name].str.strip()
    out: list[object] = []
    for i, text in enumerate(raw, start=1):
        if text == "":
            if col.required:
                raise _fail(file, i, name, f"expected a value ({col.kind}), got an empty cell")
            out.append(None)
            continue
        if col.kind in ("float", "int"):
            try:
                value: object = float(text)
            except ValueError:
                raise _fail(file, i, name, f"expected a number, got {text!r}") from None
            if not math.isfinite(value):  # NaN, inf, 1e999
                raise _fail(file, i, name, f"expected a finite number, got {text!r}")
            if col.kind == "int":
                if float(value).is_integer():
                    value = int(value)
                else:
                    raise _fail(file, i, name, f"expected a whole number, got {text!r}")
            check_bounds(file, i, name, float(value), text, col.min, col.max, col.unit)
        elif col.kind == "bool":
            low = text.lower()
            if low not in ("true", "false", "yes", "no", "1", "0"):
                raise _fail(file, i, name, f"expected true/false, got {text!r}")
            value = low in ("true", "yes", "1")
        else:
            value = text
            if col.choices is not None and text not in col.choices:
                raise _fail(file, i, name, f"expected one of {list(col.choices)}, got {text!r}")
        out.append(value)
    if col.kind == "float":
        return pd.Series(out, index=df.index, dtype="float64")
    if col.kind == "int":
        return pd.Series(out, index=df.index, dtype="Int64")
    return pd.Series(out, index=df.index, dtype="object")


def _check_ranges_by(file: str, df: pd.DataFrame, name: str, col: Column) -> None:
    """Plausible range of each row picked by another column's value (e.g. the unit)."""
    if col.ranges_by is None or not col.ranges:
        return
    for i, (key, value) in enumerate(zip(df[col.ranges_by], df[name], strict=True), start=1):
        if value is None or value != value or key not in col.ranges:
            continue
        lo, hi = col.ranges[key]
        unit = key if col.ranges_by == "unit" else f"(for {col.ranges_by}={key})"
        check_bounds(file, i, name, float(value), f"{value:g}", lo, hi, unit)


def read_table(path: Path, schemas: dict | None = None) -> pd.DataFrame:
    """Read one network_data CSV and check it against its schema (not cross-references).

    Parameters
    ----------
    path : Path
        Path to a file named in :data:`SCHEMAS` (or in ``schemas``).
    schemas : dict, optional
        File name -> (key columns, column schema); default :data:`SCHEMAS`.

    Returns
    -------
    pandas.DataFrame
        Typed table with all original columns.
    """
    file = path.name
    keys, schema = (SCHEMAS if schemas is None else schemas)[file]
    df = _read_raw(path)
    columns = {**schema, **_PROVENANCE}
    duplicated_columns = [c for c in df.columns if "." in c and c.rsplit(".", 1)[0] in df.columns
                          and c.rsplit(".", 1)[1].isdigit()]
    if duplicated_columns:
        raise _fail(file, None, duplicated_columns[0].rsplit(".", 1)[0],
                    "column appears twice in the header")
    for name in columns:
        if name not in df.columns:
            raise _fail(file, None, name, "missing column")
    if df.empty:
        raise _fail(file, None, None, "no data rows")
    for name, col in columns.items():
        df[name] = _coerce(file, df, name, col)
    for name, col in columns.items():
        _check_ranges_by(file, df, name, col)
    duplicated = df.duplicated(subset=list(keys), keep="first")
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 1
        key = ", ".join(f"{k}={df.iloc[row - 1][k]}" for k in keys)
        raise _fail(file, row, keys[0], f"expected a unique key, got a duplicate ({key})")
    return df
