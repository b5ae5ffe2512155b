"""Assemble the network: snapshots, carriers, sectors, the CO2 policy, time resolution."""

from __future__ import annotations

import logging

import pandas as pd
import pypsa

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network import gas, heat, power
from energy.network.carriers import add_carriers
from energy.network.export import add_export
from energy.network.time import represent_full_year, set_resolution

logger = logging.getLogger(__name__)

def _snapshots(index: pd.DatetimeIndex, scenario: Scenario) -> pd.DatetimeIndex:
    """Naive local-time snapshots (Asia/Shanghai, UTC+8, no DST) from a profile index."""
    local = index.tz_convert("Asia/Shanghai").tz_localize(None) if index.tz else index
    if scenario.snapshots_limit is not None:
        local = local[: scenario.snapshots_limit]
    return pd.DatetimeIndex(local, name="snapshot")


def _on(frame: pd.DataFrame, snapshots: pd.DatetimeIndex) -> pd.DataFrame:
    """Re-index a tz-aware profile onto the naive snapshots."""
    out = frame.copy()
    if out.index.tz is not None:
        out.index = out.index.tz_convert("Asia/Shanghai").tz_localize(None)
    return out.loc[snapshots]


def add_co2_policy(n: pypsa.Network, scenario: Scenario) -> None:
    """Add the annual CO2 cap as a ``primary_energy`` global constraint [t CO2/a]."""
    if scenario.co2.cap_mt is None:
        return
    n.add(
        "GlobalConstraint",
        "co2_limit",
        type="primary_energy",
        carrier_attribute="co2_emissions",
        sense="<=",
        constant=scenario.co2.cap_mt * 1e6,
    )


def build_network(scenario: Scenario, inputs: Inputs, profiles) -> pypsa.Network:  # noqa: ANN001
    """Build the network of one scenario year at the scenario's time resolution.

    :func:`build_hourly` followed by :func:`set_resolution` and :func:`represent_full_year`.
    """
    n = set_resolution(build_hourly(scenario, inputs, profiles), scenario.resolution,
                       scenario.segment_representation)
    represent_full_year(n)
    return n


def build_hourly(scenario: Scenario, inputs: Inputs, profiles) -> pypsa.Network:  # noqa: ANN001
    """Build the hourly network of the zone for one scenario year (``scenario.year``).

    Parameters
    ----------
    scenario : Scenario
        The resolved scenario.
    inputs : Inputs
        Validated network_data tables.
    profiles : energy.profiles.Profiles
        Hourly profiles (solar, wind, load per year ...).

    Returns
    -------
    pypsa.Network
        Ready to optimise.
    """
    n = pypsa.Network(name=f"taixin-{scenario.name}")
    snapshots = _snapshots(profiles.solar.index, scenario)
    n.set_snapshots(snapshots)
    add_carriers(n, scenario, inputs)
    power.add_buses(n, inputs)
    power.add_lines(n, scenario, inputs)
    load = power.county_loads(inputs, _on(profiles.load[scenario.year], snapshots), scenario.year)
    power.add_loads(n, inputs, load)
    power.add_fuel_supply(n, scenario, inputs,
                          skip=gas.GAS_FUELS if scenario.gas.enabled else ())
    gas.add_gas(n, scenario, inputs, profiles)
    retired = power.add_thermal_fleet(n, scenario, inputs)
    if not retired.empty:
        logger.info("retired by age in %d: %s", scenario.year, ", ".join(retired.index))
    power.add_gas_turbines(n, scenario, inputs)
    power.add_renewables(n, scenario, inputs, _on(profiles.solar, snapshots),
                         _on(profiles.wind, snapshots))
    power.add_pumped_storage(n, scenario, inputs)
    power.add_batteries(n, scenario, inputs)
    power.add_exchange(n, scenario, inputs)
    heat.add_heat(n, scenario, inputs, profiles)
    power.add_load_shedding(n, scenario)
    add_export(n, scenario, inputs)
    add_co2_policy(n, scenario)
    n.consistency_check()
    return n
