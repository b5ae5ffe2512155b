"""Checks of a scenario against the input tables (what neither alone can check).

Run by ``check`` for every named scenario and by ``solve`` before anything is built, so a
scenario that passes ``check`` does not fail on its settings later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from energy.config import ConfigError, Scenario

if TYPE_CHECKING:  # pragma: no cover
    from energy.inputs import Inputs


def check_scenario(scenario: Scenario, inputs: Inputs) -> None:
    """Raise :class:`ConfigError` when a setting names something the inputs do not have.

    Checks: the export corridor starts at a zone bus and its options exist in
    ``export_corridor.csv``; every year of the scenario (or pathway) has demand rows.

    Parameters
    ----------
    scenario : Scenario
        The resolved scenario.
    inputs : Inputs
        The validated input tables.
    """
    origin = f"scenario {scenario.name!r}"
    cfg = scenario.export
    if cfg.enabled:
        roles = dict(zip(inputs.buses.bus_id, inputs.buses.role, strict=True))
        if cfg.from_bus not in roles:
            raise ConfigError(f"{origin}: 'export.from_bus': expected a bus_id of buses.csv, "
                              f"got {cfg.from_bus!r}")
        if roles[cfg.from_bus] != "zone":
            raise ConfigError(f"{origin}: 'export.from_bus': expected a bus with role zone, "
                              f"got {cfg.from_bus!r} (role {roles[cfg.from_bus]})")
        known = set(inputs.export_corridor.option_id)
        unknown = sorted(set(cfg.options) - known)
        if unknown:
            raise ConfigError(f"{origin}: 'export.options': unknown corridor option(s) "
                              f"{unknown} (export_corridor.csv has {sorted(known)})")
        if cfg.p_nom_min_mw > cfg.p_nom_max_mw:
            raise ConfigError(f"{origin}: 'export.p_nom_min_mw' ({cfg.p_nom_min_mw:g}) exceeds "
                              f"'export.p_nom_max_mw' ({cfg.p_nom_max_mw:g})")
    years = scenario.pathway.years if scenario.pathway.mode != "single" else [scenario.year]
    have = set(inputs.demand.year)
    for year in years:
        if year not in have:
            raise ConfigError(f"{origin}: year {year} has no rows in demand.csv")
