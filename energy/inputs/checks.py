"""Checks across rows and files: references, bounds between columns, units."""

from __future__ import annotations

import pandas as pd

from energy.inputs.errors import input_error as _fail
from energy.inputs.schema import COST_UNITS, GAS_UNITS, SCHEMAS


def check_refs(tables: dict[str, pd.DataFrame]) -> None:
    """Every ``ref`` column holds a value of the file and column it refers to."""
    for file, (_, schema) in SCHEMAS.items():
        df = tables[file]
        for name, col in schema.items():
            if col.ref is None:
                continue
            ref_file, ref_col = col.ref.split(".")
            known = set(tables[f"{ref_file}.csv"][ref_col])
            for i, value in enumerate(df[name], start=1):
                if value is not None and value not in known:
                    raise _fail(
                        file, i, name, f"expected a {ref_col} from {ref_file}.csv, got {value!r}"
                    )


def check_semantics(t: dict[str, pd.DataFrame]) -> None:
    """Rules across columns and rows: distinct line ends, maxima above existing, units."""
    lines = t["lines.csv"]
    for i, row in enumerate(lines.itertuples(), start=1):
        if row.bus0 == row.bus1:
            raise _fail("lines.csv", i, "bus1", f"expected a bus other than bus0, got {row.bus1!r}")
        if row.s_nom_max_mw < row.s_nom_mw:
            raise _fail("lines.csv", i, "s_nom_max_mw", "expected s_nom_max_mw >= s_nom_mw")
    for file in ("renewable_sites.csv", "storage_sites.csv"):
        df = t[file]
        for i, row in enumerate(df.itertuples(), start=1):
            if row.p_nom_max_mw < row.p_nom_existing_mw:
                raise _fail(file, i, "p_nom_max_mw", "expected p_nom_max_mw >= p_nom_existing_mw")
    costs = t["costs.csv"]
    for i, row in enumerate(costs.itertuples(), start=1):
        if row.unit not in COST_UNITS[row.parameter]:
            raise _fail(
                "costs.csv", i, "unit",
                f"expected {' or '.join(COST_UNITS[row.parameter])} for {row.parameter}, "
                f"got {row.unit!r}",
            )
    gas = t["gas.csv"]
    for i, row in enumerate(gas.itertuples(), start=1):
        if row.unit != GAS_UNITS[row.parameter]:
            raise _fail("gas.csv", i, "unit",
                        f"expected {GAS_UNITS[row.parameter]} for {row.parameter}, "
                        f"got {row.unit!r}")
    supply = t["heat_supply.csv"]
    for i, row in enumerate(supply.itertuples(), start=1):
        if row.p_nom_max_mw_th is not None and row.p_nom_max_mw_th == row.p_nom_max_mw_th \
                and row.p_nom_max_mw_th < row.p_nom_existing_mw_th:
            raise _fail("heat_supply.csv", i, "p_nom_max_mw_th",
                        "expected p_nom_max_mw_th >= p_nom_existing_mw_th (or empty)")
    links = t["heat_links.csv"]
    for i, row in enumerate(links.itertuples(), start=1):
        if row.bus0 == row.bus1:
            raise _fail("heat_links.csv", i, "bus1",
                        f"expected an area other than bus0, got {row.bus1!r}")
        if row.p_nom_max_mw_th < row.p_nom_mw_th:
            raise _fail("heat_links.csv", i, "p_nom_max_mw_th",
                        "expected p_nom_max_mw_th >= p_nom_mw_th")
    demand = t["demand.csv"]
    for i, row in enumerate(demand.itertuples(), start=1):
        if row.annual_mwh > 0 and row.peak_mw * 8760 < row.annual_mwh:
            raise _fail("demand.csv", i, "peak_mw", "expected peak_mw >= annual_mwh / 8760")
