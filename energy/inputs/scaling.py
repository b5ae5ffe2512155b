"""Scale input values by multipliers (uncertainty samples): select rows, check, apply.

A scaling names a file, a row filter, one or more numeric columns and a factor. The row filter
is ``col=v1|v2;col2=v``: every condition must hold, ``|`` separates alternatives, an empty
filter selects every row. Every error is one line naming the file, the column or value and what
was expected. After scaling, the values must stay within the column's physical bounds (the
schema's minimum and maximum) and the cross-row rules of :func:`energy.inputs.checks.
check_semantics` must still hold.

Columns the hourly profiles are built from cannot be scaled (the profiles would have to be
rebuilt), with one exception: ``demand.csv`` ``annual_mwh``, which scales ``peak_mw`` with it,
so each county keeps its load factor and its hourly load scales by the same factor
(:func:`energy.profiles.scaling.scale_load`). A maximum scaled below the existing capacity of
its row (a site's potential, a line's expansion cap) is raised to it: a site holds what it
already has (:data:`FLOORS`); ``scaling`` then records the factor actually applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from energy.inputs.checks import check_semantics
from energy.inputs.errors import InputError
from energy.inputs.schema import SCHEMAS

#: columns the profiles are built from (file -> columns); demand.csv annual_mwh is the exception
PROFILE_COLUMNS = {
    "renewable_sites.csv": ("y_lat", "x_lon", "full_load_hours_target"),
    "counties.csv": ("y_lat", "x_lon", "area_share"),
    "heat_areas.csv": ("floor_area_mm2", "design_load_w_per_m2"),
    "demand.csv": ("peak_mw",),
}
#: columns scaled together with a scaled column (same factor)
COUPLED = {("demand.csv", "annual_mwh"): ("peak_mw",)}
#: maxima that never fall below the existing capacity of their row (the site holds what it has)
FLOORS = {("renewable_sites.csv", "p_nom_max_mw"): "p_nom_existing_mw",
          ("storage_sites.csv", "p_nom_max_mw"): "p_nom_existing_mw",
          ("lines.csv", "s_nom_max_mw"): "s_nom_mw",
          ("heat_links.csv", "p_nom_max_mw_th"): "p_nom_mw_th"}


def parse_filter(file: str, rows: str) -> list[tuple[str, list[str]]]:
    """Parse ``col=v1|v2;col2=v`` into ``[(col, [v1, v2]), ...]`` (checks the columns)."""
    conditions = []
    for part in (p.strip() for p in rows.split(";")):
        if not part:
            continue
        if "=" not in part:
            raise InputError(f"{file}: row filter {part!r}: expected column=value")
        column, values = (x.strip() for x in part.split("=", 1))
        if column not in SCHEMAS[file][1]:
            raise InputError(f"{file}: row filter names unknown column {column!r} (known: "
                             f"{', '.join(SCHEMAS[file][1])})")
        conditions.append((column, [v.strip() for v in values.split("|")]))
    return conditions


def select_rows(table: pd.DataFrame, file: str, rows: str) -> pd.Series:
    """Boolean mask of the rows of ``table`` matching the filter; error when none match."""
    mask = pd.Series(True, index=table.index)
    for column, values in parse_filter(file, rows):
        text = table[column].map(lambda v: "" if v is None or v != v else
                                 str(int(v)) if isinstance(v, float) and v.is_integer()
                                 else str(v))
        unknown = [v for v in values if v not in set(text)]
        if unknown:
            raise InputError(f"{file}, column '{column}': no row with value(s) {unknown}")
        mask &= text.isin(values)
    if not mask.any():
        raise InputError(f"{file}: row filter {rows!r} matches no row")
    return mask


def check_columns(file: str, columns: Sequence[str]) -> None:
    """The columns exist, hold numbers, are not keys and are not profile sources."""
    if file not in SCHEMAS:
        raise InputError(f"{file}: unknown input file (known: {', '.join(SCHEMAS)})")
    keys, schema = SCHEMAS[file]
    for column in columns:
        if column not in schema:
            raise InputError(f"{file}: unknown column {column!r}")
        if column in keys or schema[column].kind != "float":
            raise InputError(f"{file}, column '{column}': expected a numeric value column")
        if column in PROFILE_COLUMNS.get(file, ()):
            raise InputError(f"{file}, column '{column}': the hourly profiles are built from it "
                             "and would need rebuilding; it cannot be scaled")


def check_bounds(file: str, column: str, values: pd.Series, low: float, high: float,
                 what: str) -> None:
    """Values × [low, high] stay within the column's physical bounds; else an InputError."""
    col = SCHEMAS[file][1][column]
    lo, hi = float(values.min()) * low, float(values.max()) * high
    if col.min is not None and (low < 0 or lo < col.min):
        raise InputError(f"{file}, column '{column}': {what} gives {min(lo, low):g}, "
                         f"below the physical bound {col.min:g}")
    if col.max is not None and hi > col.max:
        raise InputError(f"{file}, column '{column}': {what} gives {hi:g}, above the physical "
                         f"bound {col.max:g}")


def scale_inputs(inputs: Any, scalings: Sequence[Any]) -> Any:
    """Return a copy of ``inputs`` with every scaling applied (factors multiply).

    Parameters
    ----------
    inputs : Inputs
        Validated tables.
    scalings : sequence of energy.config.InputScaling
        ``file``, ``rows``, ``column`` (``a|b`` for several), ``factor`` [p.u.].

    Returns
    -------
    Inputs
        New tables; ``scaling`` maps ``(file, key tuple, column)`` to the product of the
        factors applied to that value.

    Raises
    ------
    InputError
        Unknown file, column or row, a value outside its physical bounds, or a broken
        cross-row rule after scaling.
    """
    if not scalings:
        return inputs
    tables = {f: getattr(inputs, f.removesuffix(".csv")).copy() for f in SCHEMAS}
    applied: dict[tuple[str, tuple, str], float] = dict(getattr(inputs, "scaling", {}) or {})
    for s in scalings:
        columns = [c.strip() for c in s.column.split("|") if c.strip()]
        check_columns(s.file, columns)
        table = tables[s.file]
        mask = select_rows(table, s.file, s.rows)
        keys = list(SCHEMAS[s.file][0])
        for column in columns:
            targets = [column, *COUPLED.get((s.file, column), ())]
            for target in targets:
                check_bounds(s.file, target, table.loc[mask, target].astype(float), s.factor,
                             s.factor, f"factor {s.factor:g} ({s.factor_id or 'scaling'})")
                before = table.loc[mask, target].astype(float)
                after = before * s.factor
                if (s.file, target) in FLOORS:
                    after = after.clip(lower=table.loc[mask, FLOORS[(s.file, target)]])
                table.loc[mask, target] = after
                ratio = (after / before.where(before != 0)).fillna(s.factor)
                for key, r in zip(table.loc[mask, keys].itertuples(index=False, name=None),
                                  ratio, strict=True):
                    applied[(s.file, key, target)] = applied.get((s.file, key, target),
                                                                 1.0) * float(r)
    check_semantics(tables)
    return dataclasses.replace(inputs, **{f.removesuffix(".csv"): t for f, t in tables.items()},
                               scaling=applied)
