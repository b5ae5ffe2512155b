"""What the profiles are built from: validated network_data tables and the weather stations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from energy.inputs import load_inputs
from energy.profiles import weather

#: network_data CSVs the profiles depend on.
NETWORK_FILES = ("renewable_sites.csv", "counties.csv", "demand.csv", "heat_areas.csv")


def network_tables(network_data_dir: Path) -> dict[str, pd.DataFrame]:
    """The validated network_data tables the profiles use (:func:`energy.inputs.load_inputs`).

    Returns
    -------
    dict
        ``sites`` (renewable_sites.csv), ``counties``, ``demand`` and ``heat_areas``.
    """
    inputs = load_inputs(network_data_dir)
    return {"sites": inputs.renewable_sites, "counties": inputs.counties,
            "demand": inputs.demand, "heat_areas": inputs.heat_areas}


def station_table(profiles_dir: Path, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Registry of stations plus any user ``weather_file`` entries found in the tables."""
    wdir = Path(profiles_dir) / "weather"
    reg = weather.read_station_registry(wdir)
    extra = {}
    for df in tables.values():
        if "weather_file" in df.columns:
            for wf in df["weather_file"].dropna().astype(str).str.strip():
                if wf:
                    sid, row = weather.custom_station(wdir, wf)
                    extra[sid] = row
    if extra:
        reg = pd.concat([reg, pd.DataFrame.from_dict(extra, orient="index")])
    return reg
