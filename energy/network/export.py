"""The clean-energy export corridor from the zone to Xiong'an and its delivery contract.

Candidate corridors (``export_corridor.csv``: ±800 kV HVDC, 1000 kV UHV AC) are extendable Links
from a configurable zone bus to the Xiong'an bus, with capital cost per MW·km plus terminals and
losses per 1,000 km; with ``export.sizing = "modular"`` they are built in whole modules of
``unit_mw`` (PyPSA's ``p_nom_mod``: the LP becomes a MIP). Delivery at Xiong'an is an offtake
Generator (negative dispatch = energy received) paid the contract price:

* ``export.profile = "flat"`` or ``"xiongan"``: the delivery is fixed every hour,
  ``d_t = E / 8760 x s_h(t) / mean(s)`` [MW] with ``s`` the hour-of-day shape of
  ``export_profile.csv`` (``p_min_pu = p_max_pu``);
* ``"free"``: only the annual energy is fixed, ``e_sum_max = -E``.

``E`` and the price come from ``export_contract.csv`` for the model year unless
``export.energy_twh`` / ``export.price_cny_per_mwh`` are set. A year whose contract is 0 gets
no corridor. With a fixed profile the corridors together must carry the peak hour,
``Σ p_nom >= max_t d_t / min(efficiency)`` (a ``tech_capacity_expansion_limit``), so that the
design also works hour by hour after time aggregation. The clean-share rules are constraints
in :mod:`energy.optimize.policy`.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pypsa
from pypsa.geo import haversine_pts

from energy.carriers import renewable_carriers
from energy.config import Scenario
from energy.inputs import InputError, Inputs
from energy.network.costs import split_costs
from energy.network.regions import XIONGAN, zone_buses

logger = logging.getLogger(__name__)

CORRIDOR = "export corridor"
OFFTAKE = "export xiongan"
MWH_PER_TWH = 1e6
HOURS_PER_YEAR = 8760.0


def corridor_length_km(inputs: Inputs, from_bus: str, to_bus: str, route_factor: float) -> float:
    """Route length between two buses: straight distance × route factor [km]."""
    b = inputs.buses.set_index("bus_id")
    for bus in (from_bus, to_bus):
        if bus not in b.index:
            raise InputError(f"export.from_bus / to_bus: unknown bus {bus!r}")
    straight = float(haversine_pts([b.at[from_bus, "x_lon"], b.at[from_bus, "y_lat"]],
                                   [b.at[to_bus, "x_lon"], b.at[to_bus, "y_lat"]]))
    return straight * route_factor


def contract(scenario: Scenario, inputs: Inputs) -> tuple[float, float]:
    """Annual energy [TWh/a] and delivery price [CNY/MWh] of the export contract.

    The scenario's ``export.energy_twh`` / ``export.price_cny_per_mwh`` when set, else the row
    of ``export_contract.csv`` for the model year.
    """
    cfg = scenario.export
    table = inputs.export_contract.set_index("year")
    if (cfg.energy_twh is None or cfg.price_cny_per_mwh is None) \
            and scenario.year not in table.index:
        raise InputError(f"export_contract.csv: no row for year={scenario.year}")
    energy = cfg.energy_twh if cfg.energy_twh is not None else float(
        table.at[scenario.year, "energy_twh"])
    price = cfg.price_cny_per_mwh if cfg.price_cny_per_mwh is not None else float(
        table.at[scenario.year, "price_cny_per_mwh"])
    return energy, price


def delivery_profile(inputs: Inputs, name: str, snapshots: pd.DatetimeIndex) -> pd.Series:
    """Hour-of-day delivery shape on the snapshots, mean 1 over the day [p.u.].

    Parameters
    ----------
    inputs : Inputs
        ``export_profile.csv``.
    name : str
        Column of ``export_profile.csv`` (``flat``, ``xiongan``).
    snapshots : pandas.DatetimeIndex
        Hourly snapshots in local time.

    Returns
    -------
    pandas.Series
        Shape factor per snapshot [p.u.].
    """
    table = inputs.export_profile.set_index("hour")[name].astype(float)
    shape = table / table.mean()
    return pd.Series(shape.reindex(snapshots.hour).to_numpy(), index=snapshots)


def add_export(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add the Xiong'an bus, the candidate corridors and the offtake (if export is enabled).

    Parameters
    ----------
    n : pypsa.Network
        Network to add to (its zone buses and hourly snapshots must exist).
    scenario : Scenario
        ``scenario.export`` sets the start bus, options, sizing, capacity bounds, contract and
        profile.
    inputs : Inputs
        ``export_corridor.csv``, ``export_contract.csv``, ``export_profile.csv``, ``buses.csv``.
    """
    cfg = scenario.export
    if not cfg.enabled:
        return
    energy, price = contract(scenario, inputs)
    if energy <= 0 and cfg.profile != "free":
        logger.info("export: no contract in %d, no corridor", scenario.year)
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
    efficiencies = []
    for option, row in options.iterrows():
        length = corridor_length_km(inputs, cfg.from_bus, row.to_bus, row.route_factor)
        invest = row.capex_cny_per_mw_km * length + row.terminal_capex_cny_per_mw  # CNY/MW
        efficiency = 1.0 - row.loss_per_1000km * length / 1000.0 - row.terminal_loss
        efficiencies.append(efficiency)
        n.add(
            "Link",
            f"{CORRIDOR} {option}",
            bus0=cfg.from_bus,
            bus1=row.to_bus,
            carrier=CORRIDOR,
            p_nom_extendable=True,
            p_nom_max=cfg.p_nom_max_mw,
            p_nom_mod=row.unit_mw if cfg.sizing == "modular" else 0.0,
            length=length,
            efficiency=efficiency,
            **split_costs(invest, row.lifetime_years, row.fom_pct_per_a, r),
            build_year=scenario.year,
            lifetime=row.lifetime_years,
        )
    peak = _add_offtake(n, scenario, inputs, options.to_bus.iloc[0], energy, price)
    # the contract's peak hour must fit through the corridor at any time resolution (an
    # aggregated run sees segment values; the full-year check sees the peak hour itself)
    minimum = max(cfg.p_nom_min_mw, peak / min(efficiencies))
    if minimum > 0:
        n.add("GlobalConstraint", "export_corridor_min", type="tech_capacity_expansion_limit",
              carrier_attribute=CORRIDOR, sense=">=", constant=minimum)


def _add_offtake(n: pypsa.Network, scenario: Scenario, inputs: Inputs, bus: str,
                 energy_twh: float, price: float) -> float:
    """The delivery at Xiong'an: a fixed hourly profile, or only the annual energy.

    Returns the peak hourly delivery [MW] (0 for the free profile).
    """
    cfg = scenario.export
    common = dict(bus=bus, carrier=OFFTAKE, marginal_cost=price)
    name = f"{OFFTAKE} {bus}"
    if cfg.profile == "free":
        n.add("Generator", name, p_nom=cfg.p_nom_max_mw, p_max_pu=0.0, p_min_pu=-1.0,
              e_sum_max=-energy_twh * MWH_PER_TWH if energy_twh > 0 else np.inf, **common)
        return 0.0
    shape = delivery_profile(inputs, cfg.profile, pd.DatetimeIndex(n.snapshots))
    mean_mw = energy_twh * MWH_PER_TWH / HOURS_PER_YEAR
    peak = mean_mw * float(shape.max())
    pu = -shape / float(shape.max())
    n.add("Generator", name, p_nom=peak, p_max_pu=pu, p_min_pu=pu, **common)
    return peak


def clean_sources(n: pypsa.Network, sources: str) -> pd.Index:
    """Wind and solar generators of the zone that may supply the corridor's clean share.

    Parameters
    ----------
    n : pypsa.Network
        The network.
    sources : {"new", "all"}
        ``"new"``: only capacity the model builds (additional: extendable generators, and in
        a pathway the build-year variants and carried-forward builds, which carry the custom
        attribute ``candidate``); ``"all"``: also the existing fleet.

    Returns
    -------
    pandas.Index
        Generator names (renewable carriers of the registry at zone buses).
    """
    g = n.generators
    eligible = g.carrier.isin(renewable_carriers()) & g.bus.isin(zone_buses(n))
    if sources == "new":
        built = g.p_nom_extendable.astype(bool)
        if "candidate" in g:
            built |= g.candidate.notna() & (g.candidate.astype(str) != "")
        eligible &= built
    elif sources != "all":
        raise ValueError(f"clean sources must be 'new' or 'all', got {sources!r}")
    return g.index[eligible]
