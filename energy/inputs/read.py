"""Read one CSV and coerce every column to its schema; every error names file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from energy.inputs.errors import input_error as _fail
from energy.inputs.schema import _PROVENANCE, SCHEMAS, Column


def _read_raw(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as err:
        raise _fail(path.name, None, None, "file not found") from err
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise _fail(path.name, None, None, f"not a readable UTF-8 CSV ({err})") from err


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
            if value != value:  # NaN
                raise _fail(file, i, name, f"expected a number, got {text!r}")
            if col.kind == "int":
                if float(value).is_integer():
                    value = int(value)
                else:
                    raise _fail(file, i, name, f"expected a whole number, got {text!r}")
            if col.min is not None and value < col.min:
                raise _fail(file, i, name, f"expected a number >= {col.min:g}, got {text}")
            if col.max is not None and value > col.max:
                raise _fail(file, i, name, f"expected a number <= {col.max:g}, got {text}")
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
    for name in columns:
        if name not in df.columns:
            raise _fail(file, None, name, "missing column")
    if df.empty:
        raise _fail(file, None, None, "no data rows")
    for name, col in columns.items():
        df[name] = _coerce(file, df, name, col)
    duplicated = df.duplicated(subset=list(keys), keep="first")
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 1
        key = ", ".join(f"{k}={df.iloc[row - 1][k]}" for k in keys)
        raise _fail(file, row, keys[0], f"expected a unique key, got a duplicate ({key})")
    return df
