"""Fuel supplies of a network: which generators are unlimited, and what a bus can draw.

The coal, gas and coal-mine-methane supplies (:func:`energy.network.power.add_fuel_supply`,
:mod:`energy.network.neighbour`) are extendable generators at zero capital cost with no upper
limit: PyPSA's way of saying "as much as is burnt, at the fuel price". Their optimum is not a
design decision, so the full-year check (:func:`energy.optimize.design_check.fix_capacities`)
gives them what their bus can draw at most instead of the aggregated year's largest draw.
"""

from __future__ import annotations

import pandas as pd
import pypsa


def unlimited_supplies(n: pypsa.Network) -> pd.Index:
    """Fuel supplies: extendable generators at non-electric buses, free and without a limit.

    Their optimum is only the largest draw the aggregated year happened to need, which an hour
    can exceed (at ``24h`` the daily mean: fixed at it, base-2025 at ``24h`` shed 345 GWh/a in
    the check, 8.4 GW at peak, with nothing else to decide).
    """
    g = n.generators
    if g.empty:
        return g.index
    electric = g.bus.map(n.buses.carrier) == "AC"
    return g.index[g.p_nom_extendable & (g.capital_cost == 0) & ~electric
                   & (g.p_nom_max == float("inf"))]


def largest_draw(n: pypsa.Network, buses: pd.Index) -> pd.Series:
    """The most that can be taken from each of ``buses`` in one hour at fixed capacities [MW].

    Links drawing from a bus (``bus0``, and any other bus with a negative efficiency) at their
    capacity and largest ``p_max_pu``, loads at their largest ``p_set``, storage at its
    power (StorageUnit) or energy capacity (Store: what one hour can put in).
    """
    total = pd.Series(0.0, index=buses)
    links = n.links
    if not links.empty:
        cap = links.p_nom * n.get_switchable_as_dense("Link", "p_max_pu").max().clip(lower=0.0)
        for k in range(5):
            col = f"bus{k}"
            if col not in links:
                continue
            share = 1.0 if k == 0 else -links[f"efficiency{'' if k == 1 else k}"].clip(upper=0.0)
            total += (cap * share).groupby(links[col]).sum().reindex(buses, fill_value=0.0)
    load = n.get_switchable_as_dense("Load", "p_set").max().clip(lower=0.0)
    total += load.groupby(n.loads.bus).sum().reindex(buses, fill_value=0.0)
    total += n.storage_units.p_nom.groupby(n.storage_units.bus).sum().reindex(buses, fill_value=0.0)
    total += n.stores.e_nom.groupby(n.stores.bus).sum().reindex(buses, fill_value=0.0)
    return total
