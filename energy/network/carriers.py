"""Carriers on the network: names, colours and CO2 intensities, and CO2 by carrier.

What a carrier is comes from the registry (:mod:`energy.carriers`); this module puts it on a
network and holds the one CO2 accounting every result and check uses.
"""

from __future__ import annotations

import pandas as pd
import pypsa

from energy.carriers import registry
from energy.config import Scenario
from energy.inputs import Inputs
from energy.network.regions import zone_accounts


def add_carriers(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add every registry carrier with its nice name, colour and CO2 intensity [t CO2/MWh].

    Fuel carriers take their intensity from ``fuels.csv``; ``import`` takes the boundary's
    grid emission factor when ``co2.include_imports`` (one zone-wide factor: the mean). Fuels
    of ``fuels.csv`` that the registry does not list are added under their own name.
    """
    co2 = {
        row.fuel: row.co2_t_per_mwh_th
        for row in inputs.fuels[inputs.fuels.year == scenario.year].itertuples()
    }
    if scenario.co2.include_imports:
        co2["import"] = float(inputs.boundary.import_co2_t_per_mwh.mean())
    table = registry()
    names = list(table.index) + sorted(set(co2) - set(table.index))
    info = table.reindex(names)
    n.add(
        "Carrier",
        names,
        nice_name=info.nice_name.where(info.nice_name.notna(), pd.Series(names, index=names)),
        color=info.color.fillna("#999999"),
        co2_emissions=[co2.get(c, 0.0) for c in names],
    )


def co2_by_carrier(n: pypsa.Network, accounts: str = "zone") -> pd.Series:
    """Annual CO2 of a solved network by emitting carrier [t CO2/a].

    Generator supply (``n.statistics.supply``, weighted by the generator snapshot weightings)
    × the carrier's ``co2_emissions``: fuel supply generators carry their fuel's intensity per
    MWh_th, the import generator the provincial grid factor when imports are counted. With
    investment periods, one column per period.

    Parameters
    ----------
    n : pypsa.Network
        Solved network.
    accounts : {"zone", "neighbour", "all"}
        Whose emitters: the zone's accounts (:func:`energy.network.regions.zone_accounts`),
        the rest of Shanxi's, or every generator.
    """
    supply = n.statistics.supply(components="Generator", groupby=False, nice_names=False)
    if isinstance(supply.index, pd.MultiIndex):
        supply = supply.droplevel([lvl for lvl in supply.index.names if lvl != "name"])
    zone = zone_accounts(n, "Generator").reindex(supply.index).fillna(False).astype(bool)
    if accounts == "zone":
        supply = supply[zone]
    elif accounts == "neighbour":
        supply = supply[~zone]
    elif accounts != "all":
        raise ValueError(f"accounts must be 'zone', 'neighbour' or 'all', got {accounts!r}")
    carrier = n.generators.carrier.reindex(supply.index)
    supply = supply.groupby(carrier).sum()
    supply.index.name = "carrier"
    intensity = n.carriers.co2_emissions.reindex(supply.index).fillna(0.0)
    co2 = supply.mul(intensity, axis=0)
    return co2[intensity > 0]
