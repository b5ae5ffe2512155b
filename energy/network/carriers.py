"""Carriers: names, colours and CO2 intensities used for reporting and the CO2 cap."""

from __future__ import annotations

import pypsa

from energy.config import Scenario
from energy.inputs import Inputs

#: carrier -> (nice name, colour)
CARRIERS: dict[str, tuple[str, str]] = {
    "AC": ("Electricity", "#4c566a"),
    "onwind": ("Onshore wind", "#235ebc"),
    "solar": ("Solar PV", "#f9d002"),
    "coal": ("Coal", "#545454"),
    "coal CHP": ("Coal CHP", "#7a6a5a"),
    "gas CHP": ("Gas CHP", "#d35050"),
    "CMM": ("Coal-mine methane engines", "#b07c5a"),
    "OCGT": ("Open-cycle gas turbine", "#e05b09"),
    "CCGT": ("Combined-cycle gas turbine", "#a85522"),
    "PHS": ("Pumped hydro storage", "#51dbcc"),
    "battery": ("Battery storage", "#ace37f"),
    "battery charger": ("Battery charger", "#88a75b"),
    "battery discharger": ("Battery discharger", "#5d4e29"),
    "import": ("Import from Shanxi grid", "#8f6fb0"),
    "export": ("Export to Shanxi grid", "#c7b6d9"),
    "load shedding": ("Load shedding", "#ff0000"),
    "export corridor": ("Export corridor to Xiong'an", "#2f7f6f"),
    "export xiongan": ("Delivery to Xiong'an", "#6fbfaf"),
    "gas": ("Natural gas", "#e0986c"),
    "CBM": ("Coalbed methane", "#c9885a"),
    "heat": ("District heat", "#c25a5a"),
    "coal CHP heat": ("Coal CHP heat", "#8a7060"),
    "gas CHP heat": ("Gas CHP heat", "#e07070"),
    "coal boiler": ("Coal heat-only boiler", "#3b3b3b"),
    "gas boiler": ("Gas boiler", "#db6a25"),
    "electric boiler": ("Electric boiler", "#e0b040"),
    "ASHP": ("Air-source heat pump", "#2fb537"),
    "GSHP": ("Ground-source heat pump", "#1f8a5a"),
    "geothermal": ("Geothermal heat", "#ba91b1"),
    "water tank": ("Hot-water tank", "#d8f9b8"),
    "heat main": ("Heat main", "#a04040"),
    "gas storage": ("Gas peak-shaving storage", "#f0c09c"),
    "gas storage injection": ("Gas storage injection", "#e8b088"),
    "gas storage withdrawal": ("Gas storage withdrawal", "#d89868"),
    "other gas use": ("Other gas use", "#b07050"),
}


def add_carriers(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add every carrier with its nice name, colour and CO2 intensity [t CO2/MWh].

    Fuel carriers take their intensity from ``fuels.csv``; ``import`` takes the boundary's
    grid emission factor when ``co2.include_imports`` (one zone-wide factor: the mean).
    """
    co2 = {
        row.fuel: row.co2_t_per_mwh_th
        for row in inputs.fuels[inputs.fuels.year == scenario.year].itertuples()
    }
    if scenario.co2.include_imports:
        co2["import"] = float(inputs.boundary.import_co2_t_per_mwh.mean())
    names = list(CARRIERS) + sorted(set(co2) - set(CARRIERS))
    n.add(
        "Carrier",
        names,
        nice_name=[CARRIERS.get(c, (c, ""))[0] for c in names],
        color=[CARRIERS.get(c, ("", "#999999"))[1] for c in names],
        co2_emissions=[co2.get(c, 0.0) for c in names],
    )
