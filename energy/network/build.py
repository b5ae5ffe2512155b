"""Assemble the network: snapshots, carriers, sectors, the CO2 policy, time resolution."""

from __future__ import annotations

import logging

import pandas as pd
import pypsa

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network import power
from energy.network.carriers import add_carriers

logger = logging.getLogger(__name__)

HOURS_PER_YEAR = 8760.0


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


def set_resolution(n: pypsa.Network, resolution: str) -> pypsa.Network:
    """Apply the scenario's time resolution with PyPSA's temporal clustering.

    Parameters
    ----------
    n : pypsa.Network
        Network at hourly resolution.
    resolution : str
        ``"1h"`` (unchanged), ``"<k>h"`` (``n.cluster.temporal.resample``) or ``"seg<N>"``
        (``n.cluster.temporal.segment``: N variable-length TSAM segments).

    Returns
    -------
    pypsa.Network
        A network whose snapshot weightings carry the hours each snapshot stands for.
    """
    if resolution == "1h":
        return n
    if resolution.startswith("seg"):
        return n.cluster.temporal.segment(int(resolution[3:]))
    return n.cluster.temporal.resample(resolution)


def represent_full_year(n: pypsa.Network) -> None:
    """Let a partial year (``snapshots_limit``) stand for a whole year.

    Objective and generator weightings are scaled by 8,760 h / modelled hours, so operating
    costs, energy and emissions are annual [per a] and comparable with annualised capital costs
    and an annual CO2 cap. Store weightings stay as they are: state-of-charge physics is hourly.
    """
    hours = float(n.snapshot_weightings.objective.sum())
    if hours < HOURS_PER_YEAR - 1e-6:
        factor = HOURS_PER_YEAR / hours
        n.snapshot_weightings.loc[:, ["objective", "generators"]] *= factor


def build_network(scenario: Scenario, inputs: Inputs, profiles) -> pypsa.Network:  # noqa: ANN001
    """Build the hourly network of the zone for one scenario, then apply its resolution.

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
    power.add_fuel_supply(n, scenario, inputs)
    retired = power.add_thermal_fleet(n, scenario, inputs)
    if not retired.empty:
        logger.info("retired by age in %d: %s", scenario.year, ", ".join(retired.index))
    power.add_gas_turbines(n, scenario, inputs)
    power.add_renewables(n, scenario, inputs, _on(profiles.solar, snapshots),
                         _on(profiles.wind, snapshots))
    power.add_pumped_storage(n, scenario, inputs)
    power.add_batteries(n, scenario, inputs)
    power.add_exchange(n, scenario, inputs)
    power.add_load_shedding(n, scenario)
    add_co2_policy(n, scenario)
    n.consistency_check()
    n = set_resolution(n, scenario.resolution)
    represent_full_year(n)
    return n
