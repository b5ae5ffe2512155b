"""Building blocks the policy constraints share: periods, active assets, zone sums.

Sums "of the zone" are over :func:`energy.network.regions.zone_buses` (the ``location``
contract), so that buses of neighbouring regions and the export corridor's receiving end never
count toward the zone's load, renewable generation or firm capacity. Energies are weighted by
``n.snapshot_weightings.generators`` so that annual sums are [MWh/a].
"""

from __future__ import annotations

import pandas as pd
import pypsa
import xarray as xr
from linopy import LinearExpression, Variable

from energy.network.export import CORRIDOR
from energy.network.regions import zone_buses


def periods(n: pypsa.Network, snapshots: pd.Index) -> list[tuple[int | None, pd.Index]]:
    """Snapshot groups to which an annual policy applies: one per investment period."""
    if isinstance(snapshots, pd.MultiIndex):
        level = snapshots.get_level_values(0)
        return [(int(p), snapshots[level == p]) for p in level.unique()]
    return [(None, snapshots)]


def suffix(period: int | None) -> str:
    """Constraint-name suffix of an investment period (empty for a single year)."""
    return "" if period is None else f"-{period}"


def active(n: pypsa.Network, c: str, static: pd.DataFrame, period: int | None) -> pd.DataFrame:
    """Rows of ``static`` active in ``period`` (all rows for a single-year network)."""
    if period is None:
        return static
    return static.loc[n.components[c].filter_by_active_assets(static.index, period)]


def zone_ac_buses(n: pypsa.Network) -> pd.Index:
    """Electricity buses of the zone."""
    zone = zone_buses(n)
    return zone[n.buses.carrier.reindex(zone) == "AC"]


def electricity_load(n: pypsa.Network, snapshots: pd.Index) -> pd.Series:
    """Zone electricity consumption per snapshot: fixed loads at zone AC buses [MW].

    Heat and gas loads, heat pumps, electric boilers and exports are not in it.
    """
    loads = n.loads.index[n.loads.bus.isin(zone_ac_buses(n))]
    return n.loads_t.p_set.loc[snapshots, loads].sum(axis=1)


def weights(n: pypsa.Network, snapshots: pd.Index) -> xr.DataArray:
    """Snapshot weightings as a DataArray on the ``snapshot`` dimension [h]."""
    w = n.snapshot_weightings.generators.loc[snapshots]
    return xr.DataArray(w.to_numpy(), coords={"snapshot": snapshots}, dims="snapshot")


def on_names(var: Variable | LinearExpression, values: pd.Series) -> xr.DataArray:
    """Coefficients on the component dimension of a linopy variable."""
    dim = [d for d in var.dims if d != "snapshot"][0]
    return xr.DataArray(values.to_numpy(), coords={dim: list(values.index)}, dims=dim)


def dispatch_sum(n: pypsa.Network, c: str, names: pd.Index, snapshots: pd.Index,
                 coefficients: pd.Series | None = None) -> LinearExpression | None:
    """Σ over ``names`` of (coefficient ×) their dispatch per snapshot [MW]; None if empty.

    ``c`` is ``Generator`` (``p``) or ``Link`` (``p``, the input at ``bus0``).
    """
    if len(names) == 0:
        return None
    p = n.model[f"{c}-p"].loc[snapshots, list(names)]
    if coefficients is not None:
        p = p * on_names(p, coefficients.loc[list(names)])
    return p.sum([d for d in p.dims if d != "snapshot"])


def generation(n: pypsa.Network, names: pd.Index, snapshots: pd.Index,
               period: int | None = None) -> LinearExpression | None:
    """Output of the generators ``names`` active in ``period``, per snapshot [MW]."""
    g = active(n, "Generator", n.generators.loc[names], period)
    return dispatch_sum(n, "Generator", g.index, snapshots)


def corridor_export(n: pypsa.Network, snapshots: pd.Index,
                    period: int | None = None) -> LinearExpression | None:
    """Energy sent into the export corridors (at the zone end), per snapshot [MW]."""
    links = n.links[n.links.carrier == CORRIDOR]
    links = active(n, "Link", links, period)
    return dispatch_sum(n, "Link", links.index, snapshots)


def storage_net_output(n: pypsa.Network, snapshots: pd.Index,
                       period: int | None = None) -> LinearExpression | None:
    """Net output of the zone's electricity storage per snapshot [MW]: discharge − charge.

    Pumped storage (StorageUnits at zone AC buses: ``p_dispatch - p_store``) and batteries
    (links from a zone AC bus into a battery bus, and back: ``efficiency x p`` out minus ``p``
    in); negative while charging.
    """
    zone_ac = zone_ac_buses(n)
    parts = []
    su = active(n, "StorageUnit", n.storage_units, period)
    su = su.index[su.bus.isin(zone_ac)]
    if len(su):
        for var, sign in (("p_dispatch", 1.0), ("p_store", -1.0)):
            p = n.model[f"StorageUnit-{var}"].loc[snapshots, list(su)]
            parts.append(sign * p.sum([d for d in p.dims if d != "snapshot"]))
    links = active(n, "Link", n.links, period)
    store_bus = n.buses.carrier.reindex(links.bus1) == "battery"
    charge = links.index[links.bus0.isin(zone_ac) & store_bus.to_numpy()]
    from_store = n.buses.carrier.reindex(links.bus0) == "battery"
    discharge = links.index[links.bus1.isin(zone_ac) & from_store.to_numpy()]
    out = dispatch_sum(n, "Link", discharge, snapshots, links.efficiency)
    into = dispatch_sum(n, "Link", charge, snapshots)
    parts += [x for x in (out, None if into is None else -1.0 * into) if x is not None]
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total
