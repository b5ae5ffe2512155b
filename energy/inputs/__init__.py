"""Read and validate ``network_data/*.csv`` into typed tables.

Every error is one line naming the file, the row (1-based data row; the header is line 1, so
data row *k* is line *k + 1*), the column and what was expected. Nothing downstream sees a table
that has not passed these checks. Schemas: :mod:`energy.inputs.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from energy.inputs.checks import check_refs, check_semantics, check_years
from energy.inputs.errors import InputError
from energy.inputs.read import read_table
from energy.inputs.schema import (
    COST_UNITS,
    FLEXIBILITY_UNITS,
    GAS_UNITS,
    HEAT_TECHNOLOGIES,
    SCHEMAS,
)
from energy.inputs.usage import Usage, row_id

__all__ = ["COST_UNITS", "FLEXIBILITY_UNITS", "GAS_UNITS", "HEAT_TECHNOLOGIES", "SCHEMAS",
           "InputError", "Inputs", "Usage", "load_inputs", "read_table", "row_id"]


@dataclass(frozen=True)
class Inputs:
    """All validated input tables, keyed by file stem (``inputs.buses``, ``inputs.costs`` ...).

    ``usage`` records the rows a build read (provenance, :mod:`energy.inputs.usage`);
    ``scaling`` the factors applied to values, ``(file, key, column) -> factor``
    (:mod:`energy.inputs.scaling`).
    """

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
    export_contract: pd.DataFrame
    export_profile: pd.DataFrame
    heat_areas: pd.DataFrame
    chp: pd.DataFrame
    heat_supply: pd.DataFrame
    heat_links: pd.DataFrame
    thermal_flexibility: pd.DataFrame
    gas: pd.DataFrame
    neighbour_regions: pd.DataFrame
    neighbour_links: pd.DataFrame
    neighbour_demand: pd.DataFrame
    neighbour_outbound: pd.DataFrame
    neighbour_fleet: pd.DataFrame
    renewable_vintages: pd.DataFrame
    validation: pd.DataFrame
    usage: Usage = field(default_factory=Usage, compare=False, repr=False)
    scaling: dict = field(default_factory=dict, compare=False, repr=False)

    def use(self, file: str, rows: pd.DataFrame) -> pd.DataFrame:
        """Record that a build used ``rows`` (a selection of ``file``'s table); return them."""
        self.usage.add_frame(file, rows)
        return rows

    def cost(self, technology: str, parameter: str, year: int) -> float:
        """Return one cost parameter in its canonical unit (see :data:`COST_UNITS`)."""
        c = self.costs
        hit = c[(c.technology == technology) & (c.parameter == parameter) & (c.year == year)]
        if hit.empty:
            raise InputError(
                f"costs.csv: no row for technology={technology!r}, parameter={parameter!r}, "
                f"year={year}"
            )
        self.usage.add("costs.csv", [(technology, year, parameter)])
        return float(hit.value.iloc[0])

    def flexibility(self, carrier: str) -> dict[str, float]:
        """Parameters of ``thermal_flexibility.csv`` for one carrier (empty: none listed).

        Units as in :data:`FLEXIBILITY_UNITS`: ``p_min_pu`` and ``p_min_pu_retrofit`` [p.u.],
        ``retrofit_investment`` [CNY/kW], ``retrofit_lifetime`` [a], ``start_up_cost``
        [CNY/MW], ``must_run_heating`` [p.u.].
        """
        f = self.thermal_flexibility
        hit = f[f.carrier == carrier]
        return {str(k): float(v) for k, v in zip(hit.parameter, hit.value, strict=True)}

    def fuel(self, fuel: str, year: int) -> pd.Series:
        """Return the fuels.csv row of one fuel and year."""
        f = self.fuels
        hit = f[(f.fuel == fuel) & (f.year == year)]
        if hit.empty:
            raise InputError(f"fuels.csv: no row for fuel={fuel!r}, year={year}")
        self.usage.add("fuels.csv", [(fuel, year)])
        return hit.iloc[0]


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
    if not directory.is_dir():
        raise InputError(f"{directory}: input folder not found (expected the network_data "
                         "CSVs; see --data)")
    tables = {file: read_table(directory / file) for file in SCHEMAS}
    check_refs(tables)
    check_years(tables)
    check_semantics(tables)
    return Inputs(directory=directory, **{f.removesuffix(".csv"): df for f, df in tables.items()})
