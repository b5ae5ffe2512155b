"""Read and validate ``network_data/*.csv`` into typed tables.

Every error is one line naming the file, the row (1-based data row; the header is line 1, so
data row *k* is line *k + 1*), the column and what was expected. Nothing downstream sees a table
that has not passed these checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

CONFIDENCE = ("high", "medium", "low")


class InputError(ValueError):
    """An input CSV that does not match its schema."""


@dataclass(frozen=True)
class Column:
    """Schema of one CSV column.

    Parameters
    ----------
    kind : str
        ``"str"``, ``"float"``, ``"int"`` or ``"bool"``.
    required : bool
        Whether empty cells are errors.
    min : float, optional
        Smallest allowed value (numbers).
    max : float, optional
        Largest allowed value (numbers).
    choices : tuple of str, optional
        Allowed values (strings).
    ref : str, optional
        ``"file.column"`` the value must exist in.
    """

    kind: str = "str"
    required: bool = True
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    ref: str | None = None


def _num(min: float | None = 0.0, max: float | None = None, required: bool = True) -> Column:  # noqa: A002
    return Column("float", required=required, min=min, max=max)


def _year(required: bool = True) -> Column:
    return Column("int", required=required, min=1950, max=2100)


_PROVENANCE = {
    "source": Column("str"),
    "confidence": Column("str", choices=CONFIDENCE),
    "note": Column("str", required=False),
}
_BUS_REF = Column("str", ref="buses.bus_id")
_ORIGINAL = {"original_value": _num(None, required=False), "original_unit": Column(required=False)}

#: canonical unit of each cost parameter (investment depends on what is sized; heat in _th)
COST_UNITS = {
    "investment": ("CNY/kW", "CNY/kWh", "CNY/(MW*km)", "CNY/kW_th", "CNY/kWh_th",
                   "CNY/(MW_th*km)"),
    "fom": ("%/a",),
    "vom": ("CNY/MWh", "CNY/MWh_th"),
    "lifetime": ("a",),
    "efficiency": ("p.u.",),
    "standing_loss": ("%/h",),
    "max_hours": ("h",),
    "c_b": ("p.u.",),
    "c_v": ("p.u.",),
}

#: district-heat supply technologies of heat_supply.csv (= model carriers)
HEAT_TECHNOLOGIES = ("coal boiler", "gas boiler", "ASHP", "GSHP", "electric boiler",
                     "geothermal", "water tank", "gas CHP")

#: unit of each gas-system parameter in gas.csv
GAS_UNITS = {
    "cbm_cap": "Mm3/a",
    "cbm_max_flow": "MW_th",
    "import_capacity": "MW_th",
    "storage_existing": "Mm3",
    "injection_existing": "MW_th",
    "withdrawal_existing": "MW_th",
    "other_demand": "Mm3/a",
    "other_demand_peak_day_ratio": "p.u.",
}

#: file -> (primary key columns, column schemas). Extra columns are allowed and ignored.
SCHEMAS: dict[str, tuple[tuple[str, ...], dict[str, Column]]] = {
    "buses.csv": (
        ("bus_id",),
        {
            "bus_id": Column(),
            "name": Column(),
            "name_zh": Column(required=False),
            "v_nom_kv": _num(1.0),
            "x_lon": _num(70.0, 140.0),
            "y_lat": _num(15.0, 55.0),
            "role": Column(choices=("zone", "boundary", "export")),
        },
    ),
    "lines.csv": (
        ("line_id",),
        {
            "line_id": Column(),
            "bus0": _BUS_REF,
            "bus1": _BUS_REF,
            "length_km": _num(0.1),
            "circuits": Column("int", min=1, max=20),
            "s_nom_mw": _num(),
            "r_ohm_per_km": _num(),
            "x_ohm_per_km": _num(1e-6),
            "s_nom_max_mw": _num(),
            "capex_cny_per_mw_km": _num(),
            "build_year": _year(),
        },
    ),
    "counties.csv": (
        ("county_id",),
        {
            "county_id": Column(),
            "name": Column(),
            "bus": _BUS_REF,
            "y_lat": _num(15.0, 55.0),
            "x_lon": _num(70.0, 140.0),
        },
    ),
    "demand.csv": (
        ("county_id", "year"),
        {
            "county_id": Column(ref="counties.county_id"),
            "year": _year(),
            "annual_mwh": _num(),
            "peak_mw": _num(),
        },
    ),
    "plants.csv": (
        ("plant_id",),
        {
            "plant_id": Column(),
            "name": Column(),
            "bus": _BUS_REF,
            "carrier": Column(choices=("coal", "coal CHP", "gas CHP", "CMM")),
            "p_nom_mw": _num(),
            "efficiency": _num(0.05, 1.0),
            "build_year": _year(),
            "lifetime_years": _num(1.0, 100.0),
        },
    ),
    "renewable_sites.csv": (
        ("site_id",),
        {
            "site_id": Column(),
            "bus": _BUS_REF,
            "carrier": Column(choices=("onwind", "solar")),
            "p_nom_existing_mw": _num(),
            "p_nom_max_mw": _num(),
            "y_lat": _num(15.0, 55.0),
            "x_lon": _num(70.0, 140.0),
            "full_load_hours_target": _num(1.0, 8760.0),
        },
    ),
    "storage_sites.csv": (
        ("site_id",),
        {
            "site_id": Column(),
            "bus": _BUS_REF,
            "carrier": Column(choices=("PHS",)),
            "p_nom_existing_mw": _num(),
            "p_nom_max_mw": _num(),
            "max_hours": _num(0.1, 1000.0),
            "efficiency_round_trip": _num(0.1, 1.0),
            "build_year": _year(required=False),
            "earliest_year": _year(),
            "lifetime_years": _num(1.0, 200.0),
        },
    ),
    "costs.csv": (
        ("technology", "year", "parameter"),
        {
            "technology": Column(),
            "year": _year(),
            "parameter": Column(choices=tuple(COST_UNITS)),
            "value": _num(),
            "unit": Column(),
            **_ORIGINAL,
        },
    ),
    "fuels.csv": (
        ("fuel", "year"),
        {
            "fuel": Column(),
            "year": _year(),
            "price_cny_per_mwh_th": _num(),
            "co2_t_per_mwh_th": _num(0.0, 1.0),
            **_ORIGINAL,
        },
    ),
    "boundary.csv": (
        ("bus",),
        {
            "bus": _BUS_REF,
            "import_capacity_mw": _num(),
            "export_capacity_mw": _num(),
            "import_price_cny_per_mwh": _num(),
            "export_price_cny_per_mwh": _num(),
            "import_co2_t_per_mwh": _num(0.0, 2.0),
        },
    ),
    "export_corridor.csv": (
        ("option_id",),
        {
            "option_id": Column(),
            "kind": Column(choices=("DC", "AC")),
            "to_bus": _BUS_REF,
            "route_factor": _num(1.0, 3.0),
            "capex_cny_per_mw_km": _num(),
            "terminal_capex_cny_per_mw": _num(),
            "fom_pct_per_a": _num(0.0, 100.0),
            "lifetime_years": _num(1.0, 100.0),
            "loss_per_1000km": _num(0.0, 0.5),
            "terminal_loss": _num(0.0, 0.5),
        },
    ),
    "heat_areas.csv": (
        ("area_id", "year"),
        {
            "area_id": Column(),
            "name": Column(),
            "bus": _BUS_REF,
            "year": _year(),
            "floor_area_mm2": _num(),
            "design_load_w_per_m2": _num(1.0, 500.0),
        },
    ),
    "chp.csv": (
        ("plant_id",),
        {
            "plant_id": Column(ref="plants.plant_id"),
            "area_id": Column(ref="heat_areas.area_id"),
            "c_b": _num(0.05, 5.0),
            "c_v": _num(0.0, 1.0),
            "heat_max_mw_th": _num(required=False),
            "ultra_low_emission": Column("bool"),
        },
    ),
    "heat_supply.csv": (
        ("area_id", "technology", "year"),
        {
            "area_id": Column(ref="heat_areas.area_id"),
            "technology": Column(choices=HEAT_TECHNOLOGIES),
            "year": _year(),
            "p_nom_existing_mw_th": _num(),
            "p_nom_max_mw_th": _num(required=False),
        },
    ),
    "heat_links.csv": (
        ("link_id",),
        {
            "link_id": Column(),
            "bus0": Column(ref="heat_areas.area_id"),
            "bus1": Column(ref="heat_areas.area_id"),
            "length_km": _num(0.1),
            "p_nom_mw_th": _num(),
            "p_nom_max_mw_th": _num(),
            "loss_pct_per_km": _num(0.0, 1.0),
            "build_year": _year(),
        },
    ),
    "gas.csv": (
        ("parameter", "year"),
        {
            "parameter": Column(choices=tuple(GAS_UNITS)),
            "year": _year(),
            "value": _num(),
            "unit": Column(),
        },
    ),
}

#: canonical unit of each cost parameter (investment depends on what is sized)


def _fail(file: str, row: int | None, column: str | None, message: str) -> InputError:
    where = file if row is None else f"{file}, row {row} (line {row + 1})"
    if column is not None:
        where += f", column '{column}'"
    return InputError(f"{where}: {message}")


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


def read_table(path: Path) -> pd.DataFrame:
    """Read one network_data CSV and check it against its schema (not cross-references).

    Parameters
    ----------
    path : Path
        Path to a file named in :data:`SCHEMAS`.

    Returns
    -------
    pandas.DataFrame
        Typed table with all original columns.
    """
    file = path.name
    keys, schema = SCHEMAS[file]
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


@dataclass(frozen=True)
class Inputs:
    """All validated input tables, keyed by file stem (``inputs.buses``, ``inputs.costs`` ...)."""

    directory: Path
    buses: pd.DataFrame
    lines: pd.DataFrame
    counties: pd.DataFrame
    demand: pd.DataFrame
    plants: pd.DataFrame
    renewable_sites: pd.DataFrame
    storage_sites: pd.DataFrame
    costs: pd.DataFrame
    fuels: pd.DataFrame
    boundary: pd.DataFrame
    export_corridor: pd.DataFrame
    heat_areas: pd.DataFrame
    chp: pd.DataFrame
    heat_supply: pd.DataFrame
    heat_links: pd.DataFrame
    gas: pd.DataFrame

    def cost(self, technology: str, parameter: str, year: int) -> float:
        """Return one cost parameter in its canonical unit (see :data:`COST_UNITS`)."""
        c = self.costs
        hit = c[(c.technology == technology) & (c.parameter == parameter) & (c.year == year)]
        if hit.empty:
            raise InputError(
                f"costs.csv: no row for technology={technology!r}, parameter={parameter!r}, "
                f"year={year}"
            )
        return float(hit.value.iloc[0])

    def fuel(self, fuel: str, year: int) -> pd.Series:
        """Return the fuels.csv row of one fuel and year."""
        f = self.fuels
        hit = f[(f.fuel == fuel) & (f.year == year)]
        if hit.empty:
            raise InputError(f"fuels.csv: no row for fuel={fuel!r}, year={year}")
        return hit.iloc[0]


def _check_refs(tables: dict[str, pd.DataFrame]) -> None:
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


def _check_semantics(t: dict[str, pd.DataFrame]) -> None:
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


def load_inputs(directory: Path) -> Inputs:
    """Read and validate every file of ``network_data/``.

    Parameters
    ----------
    directory : Path
        The network_data folder.

    Returns
    -------
    Inputs
        Validated tables.

    Raises
    ------
    InputError
        On the first problem, with a one-line message naming file, row and column.
    """
    directory = Path(directory)
    tables = {file: read_table(directory / file) for file in SCHEMAS}
    _check_refs(tables)
    _check_semantics(tables)
    return Inputs(directory=directory, **{f.removesuffix(".csv"): df for f, df in tables.items()})
