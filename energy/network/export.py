"""The clean-energy export corridor from the zone to Xiong'an.

Candidate corridors (``export_corridor.csv``: ±800 kV HVDC, 1000 kV UHV AC) are extendable Links
from a configurable zone bus to the Xiong'an bus, with capital cost per MW·km plus terminals and
losses per 1,000 km. Delivery at Xiong'an is an offtake Generator with ``p_max_pu = 0`` and
``p_min_pu = -1`` (negative dispatch = energy received), paid the export price. An annual export
obligation is its ``e_sum_max = -E``; the clean-share rules are constraints in
:mod:`energy.optimize.policy`.
"""

from __future__ import annotations

import numpy as np
import pypsa
from pypsa.geo import haversine_pts

from energy.config import Scenario
from energy.inputs import InputError, Inputs
from energy.network.costs import split_costs
from energy.network.regions import XIONGAN

CORRIDOR = "export corridor"
OFFTAKE = "export xiongan"
MWH_PER_TWH = 1e6


def corridor_length_km(inputs: Inputs, from_bus: str, to_bus: str, route_factor: float) -> float:
    """Route length between two buses: straight distance × route factor [km]."""
    b = inputs.buses.set_index("bus_id")
    for bus in (from_bus, to_bus):
        if bus not in b.index:
            raise InputError(f"export.from_bus / to_bus: unknown bus {bus!r}")
    straight = float(haversine_pts([b.at[from_bus, "x_lon"], b.at[from_bus, "y_lat"]],
                                   [b.at[to_bus, "x_lon"], b.at[to_bus, "y_lat"]]))
    return straight * route_factor


def add_export(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add the Xiong'an bus, the candidate corridors and the offtake (if export is enabled).

    Parameters
    ----------
    n : pypsa.Network
        Network to add to (its zone buses must exist).
    scenario : Scenario
        ``scenario.export`` sets the start bus, options, capacity bounds, obligation and price.
    inputs : Inputs
        ``export_corridor.csv`` and ``buses.csv``.
    """
    cfg = scenario.export
    if not cfg.enabled:
        return
    if cfg.from_bus not in n.buses.index:
        raise InputError(f"export.from_bus: {cfg.from_bus!r} is not a bus of the network")
    options = inputs.export_corridor.set_index("option_id")
    unknown = sorted(set(cfg.options) - set(options.index))
    if unknown:
        raise InputError(f"export.options: unknown corridor option(s) {unknown}")
    options = inputs.use("export_corridor.csv", options.loc[cfg.options])
    buses = inputs.buses.set_index("bus_id")
    inputs.use("buses.csv", buses.loc[options.to_bus.unique()])
    for to_bus in options.to_bus.unique():
        if to_bus not in n.buses.index:
            n.add("Bus", to_bus, carrier="AC", v_nom=buses.at[to_bus, "v_nom_kv"],
                  x=buses.at[to_bus, "x_lon"], y=buses.at[to_bus, "y_lat"], location=XIONGAN)
    r = scenario.discount_rate
    for option, row in options.iterrows():
        length = corridor_length_km(inputs, cfg.from_bus, row.to_bus, row.route_factor)
        invest = row.capex_cny_per_mw_km * length + row.terminal_capex_cny_per_mw  # CNY/MW
        efficiency = 1.0 - row.loss_per_1000km * length / 1000.0 - row.terminal_loss
        n.add(
            "Link",
            f"{CORRIDOR} {option}",
            bus0=cfg.from_bus,
            bus1=row.to_bus,
            carrier=CORRIDOR,
            p_nom_extendable=True,
            p_nom_max=cfg.p_nom_max_mw,
            length=length,
            efficiency=efficiency,
            **split_costs(invest, row.lifetime_years, row.fom_pct_per_a, r),
            build_year=scenario.year,
            lifetime=row.lifetime_years,
        )
    if cfg.p_nom_min_mw > 0:
        n.add("GlobalConstraint", "export_corridor_min", type="tech_capacity_expansion_limit",
              carrier_attribute=CORRIDOR, sense=">=", constant=cfg.p_nom_min_mw)
    to_bus = options.to_bus.iloc[0]
    n.add(
        "Generator",
        f"{OFFTAKE} {to_bus}",
        bus=to_bus,
        carrier=OFFTAKE,
        p_nom=cfg.p_nom_max_mw,
        p_max_pu=0.0,
        p_min_pu=-1.0,
        marginal_cost=cfg.price_cny_per_mwh,
        e_sum_max=-cfg.energy_twh * MWH_PER_TWH if cfg.energy_twh > 0 else np.inf,
    )
