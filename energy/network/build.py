"""Assemble the network: snapshots, carriers, sectors, the CO2 policy, time resolution."""

from __future__ import annotations

import logging

import pandas as pd
import pypsa

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network import flexibility, gas, heat, neighbour, power
from energy.network.carriers import add_carriers
from energy.network.export import add_export
from energy.network.history import asset_year, hold_history, is_history, zone_demand_mwh
from energy.network.regions import fill_zone_locations
from energy.network.shedding import add_load_shedding
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


def history_scenario(scenario: Scenario) -> Scenario:
    """The scenario as built: in a history year load shedding is on (shortfalls show)."""
    if not is_history(scenario) or scenario.load_shedding.enabled:
        return scenario
    shedding = scenario.load_shedding.model_copy(update={"enabled": True})
    return scenario.model_copy(update={"load_shedding": shedding})


def build_network(scenario: Scenario, inputs: Inputs, profiles) -> pypsa.Network:  # noqa: ANN001
    """Build the network of one scenario year at the scenario's time resolution.

    :func:`build_hourly` followed by :func:`aggregate`.
    """
    return aggregate(build_hourly(scenario, inputs, profiles), scenario)


def aggregate(hourly: pypsa.Network, scenario: Scenario) -> pypsa.Network:
    """The hourly network at the scenario's resolution, standing for a full year.

    :func:`set_resolution` and :func:`represent_full_year`. At ``1h`` the network itself is
    returned (and changed); otherwise a new network, and ``hourly`` stays as it was (the
    full-year design check dispatches it).
    """
    n = set_resolution(hourly, scenario.resolution, scenario.segment_representation)
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
    scenario = history_scenario(scenario)
    n = pypsa.Network(name=f"taixin-{scenario.name}")
    snapshots = _snapshots(profiles.solar.index, scenario)
    n.set_snapshots(snapshots)
    add_carriers(n, scenario, inputs)
    power.add_buses(n, inputs)
    power.add_lines(n, scenario, inputs)
    full_load = profiles.load[scenario.year]
    if asset_year(scenario) != scenario.year:  # a statistics year: the zone's demand then
        full_load = full_load * (zone_demand_mwh(inputs, asset_year(scenario))
                                 / zone_demand_mwh(inputs, scenario.year))
    load = power.county_loads(inputs, _on(full_load, snapshots), scenario.year)
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
    if neighbour.neighbour_active(scenario):
        counties = inputs.counties.county_id
        hourly = neighbour.hourly_inputs(scenario, inputs, full_load[counties].sum(axis=1),
                                         profiles.solar, profiles.wind)
        neighbour.add_neighbour(n, scenario, inputs,
                                {k: _on(v, snapshots) for k, v in hourly.items()})
    heat.add_heat(n, scenario, inputs, profiles)
    add_load_shedding(n, scenario)
    if is_history(scenario) and scenario.export.enabled:
        logger.info("%d is history: no export corridor to Xiong'an yet", asset_year(scenario))
    else:
        add_export(n, scenario, inputs)
    fill_zone_locations(n)
    flexibility.add_thermal_flexibility(n, scenario, inputs)
    n.meta = {**(n.meta or {}),
              "co2_deemed_t_per_mwh": float(inputs.boundary.import_co2_t_per_mwh.mean())}
    if is_history(scenario):
        hold_history(n, scenario)
    n.consistency_check()
    return n
