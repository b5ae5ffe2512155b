r"""Planning reserve margin: firm capacity covers the peak electric demand plus a margin.

In every snapshot ``t`` of the peak window ``W`` of each investment period:

.. math::

    \sum_{i} a_i P_i + \sum_{s} \min(1, h_s / H) P_s + \sum_b f_b + I
    - \sum_{k \in CHP} a_k \eta_k q_{k,t}
    \ge (1 + m) \Big(L_t + \sum_{l \in P2H} u_{l,t} + e_t\Big)

* ``P_i``: electric capacity of generators and fuel-to-power links at zone AC buses with
  credit ``a_i`` (``policy.reserve_credit``, defaults from the carrier registry; a link's is
  ``efficiency x p_nom``); variables for candidates, constants for existing plants;
* CHP at its heat extraction: ``q_{k,t}`` is the fuel into plant ``k``'s heat link, and
  ``eta_k q_{k,t} = c_v Q_{k,t}`` the electricity the heat output ``Q`` takes off its
  condensing capacity (the iso-fuel line of :mod:`energy.network.chp`), so CHP is credited
  at ``a_k (P_max - c_v Q_t)``;
* pumped storage ``P_s`` at ``min(1, h_s / H)`` with ``h_s`` its hours and ``H`` =
  ``policy.reserve_storage_hours``; batteries ``f_b <= eta P_b`` and ``f_b <= E_b / H``
  (an auxiliary variable per battery);
* ``I = min(policy.reserve_import_mw, transfer capacity in service)``: imports count only as
  far as they are contracted, and only over lines that exist in that year
  (:func:`import_capability`);
* demand: the zone's fixed electricity load ``L_t``, the electricity drawn by heat pumps and
  electric boilers ``u_{l,t}`` (variables) and the energy sent into the export corridor
  ``e_t`` (a variable; fixed by the contract profile);
* ``W``: the ``policy.reserve_peak_snapshots`` snapshots with the highest zone electricity
  load, together with as many with the highest district-heat load (the hours where heat
  pumps draw most and CHP is derated most).
"""

from __future__ import annotations

import pandas as pd
import pypsa
import xarray as xr
from linopy import LinearExpression

from energy.carriers import converters, with_role
from energy.config import Scenario
from energy.network.chp import chp_pairs
from energy.network.regions import zone_buses
from energy.optimize.terms import (
    active,
    corridor_export,
    dispatch_sum,
    electricity_load,
    on_names,
    periods,
    suffix,
    zone_ac_buses,
)


def peak_window(n: pypsa.Network, snapshots: pd.Index, size: int) -> pd.Index:
    """Snapshots of the reserve-margin peak window.

    Parameters
    ----------
    n : pypsa.Network
        The network.
    snapshots : pandas.Index
        The snapshots of one investment period.
    size : int
        How many snapshots to take by electricity load and by district-heat load.

    Returns
    -------
    pandas.Index
        The union, in the order of ``snapshots``: the ``size`` snapshots with the highest
        zone electricity load and the ``size`` with the highest zone heat load [-].
    """
    load = electricity_load(n, snapshots)
    chosen = set(load.nlargest(size).index)
    heat_loads = n.loads.index[n.loads.bus.isin(zone_buses(n))
                               & (n.loads.bus.map(n.buses.carrier) == "heat")]
    if len(heat_loads):
        heat = n.loads_t.p_set.loc[snapshots, heat_loads].sum(axis=1)
        chosen |= set(heat.nlargest(size).index)
    return snapshots[snapshots.isin(list(chosen))]


def import_capability(n: pypsa.Network, period: int | None = None) -> float:
    """Transfer capacity over which the zone can import in a year [MW].

    The zone model's boundary buses carry the neighbour's location (in both boundary modes),
    so imports count over the lines in service between a zone AC bus and a bus outside the
    zone, with their rating; a boundary bus without such a line in that year is an island and
    adds nothing. Networks without locations (where every bus but the corridor's end is the
    zone's) are covered too: import generators (role ``import``) count up to the rating of
    the lines in service at their bus.

    Parameters
    ----------
    n : pypsa.Network
        The network.
    period : int, optional
        Investment period (lines active in it); None for a single year.

    Returns
    -------
    float
        [MW].
    """
    zone_ac = zone_ac_buses(n)
    lines = active(n, "Line", n.lines, period)
    inside0, inside1 = lines.bus0.isin(zone_ac), lines.bus1.isin(zone_ac)
    crossing = float(lines.s_nom[inside0 ^ inside1].sum())
    internal = lines[inside0 & inside1]
    at_bus = pd.concat([internal.set_index("bus0").s_nom, internal.set_index("bus1").s_nom])
    at_bus = at_bus.groupby(level=0).sum()
    g = n.generators
    imports = g[g.carrier.isin(with_role("import")) & g.bus.isin(zone_ac)]
    limited = imports.p_nom.clip(upper=imports.bus.map(at_bus).fillna(0.0).to_numpy())
    return crossing + float(limited.sum())


def _firm(n: pypsa.Network, c: str, static: pd.DataFrame,
          credit: pd.Series) -> tuple[float, LinearExpression | None]:
    """Σ credit × capacity: a constant for fixed assets, an expression for extendable ones."""
    ext = static.p_nom_extendable.astype(bool)
    constant = float((credit * static.p_nom)[~ext].sum())
    if not ext.any():
        return constant, None
    var = n.model[f"{c}-p_nom"].loc[list(static.index[ext])]
    return constant, (var * on_names(var, credit[ext])).sum()


def _battery_firm(n: pypsa.Network, scenario: Scenario,
                  period: int | None) -> LinearExpression | None:
    """Σ_b f_b with f_b <= eta x discharger capacity and f_b <= energy / H [MW]."""
    m, hours = n.model, scenario.policy.reserve_storage_hours
    links = active(n, "Link", n.links, period)
    dis = links[(links.carrier == "battery discharger") & links.p_nom_extendable
                & links.bus1.isin(zone_ac_buses(n))]
    if dis.empty:
        return None
    stores = active(n, "Store", n.stores, period)
    stores = stores[(stores.carrier == "battery") & stores.e_nom_extendable]
    dim = f"battery{suffix(period)}"
    firm = m.add_variables(lower=0, coords=[pd.Index(dis.index, name=dim)],
                           name=f"policy-battery_firm{suffix(period)}")
    store_of = pd.Series(stores.index,
                         index=pd.MultiIndex.from_arrays([stores.bus, stores.build_year]))
    stores_for = store_of.reindex(pd.MultiIndex.from_arrays([dis.bus0, dis.build_year]))
    p_nom = m["Link-p_nom"].loc[list(dis.index)]
    p_nom = p_nom.rename({p_nom.dims[0]: dim}).assign_coords({dim: list(dis.index)})
    eff = xr.DataArray(dis.efficiency.to_numpy(), coords={dim: list(dis.index)})
    e_nom = m["Store-e_nom"].loc[list(stores_for)]
    e_nom = e_nom.rename({e_nom.dims[0]: dim}).assign_coords({dim: list(dis.index)})
    m.add_constraints(firm - p_nom * eff <= 0,
                      name=f"policy-battery_firm_power{suffix(period)}")
    m.add_constraints(firm - e_nom / hours <= 0,
                      name=f"policy-battery_firm_energy{suffix(period)}")
    return firm.sum()


def _chp_derating(n: pypsa.Network, sns: pd.Index, credit: pd.Series,
                  period: int | None) -> LinearExpression | None:
    """Σ_k a_k eta_k q_{k,t}: electricity the CHP plants' heat extraction takes [MW]."""
    pairs = pd.DataFrame(chp_pairs(n))
    if pairs.empty:
        return None
    links = n.links
    pairs = pairs[pairs.power.map(links.bus1).isin(zone_ac_buses(n))]
    live = active(n, "Link", links.loc[pairs.power], period).index
    pairs = pairs[pairs.power.isin(live)]
    if pairs.empty:
        return None
    coeff = pd.Series(
        (links.carrier.loc[pairs.power].map(credit).fillna(0.0)
         * links.efficiency.loc[pairs.power]).to_numpy(), index=pairs.heat.to_numpy())
    return dispatch_sum(n, "Link", pd.Index(pairs.heat), sns, coeff)


def _flexible_demand(n: pypsa.Network, sns: pd.Index,
                     period: int | None) -> LinearExpression | None:
    """Electricity into heat pumps and electric boilers plus the corridor's input [MW]."""
    links = active(n, "Link", n.links, period)
    p2h = links.index[links.carrier.isin(converters("heat", ("AC",)))
                      & links.bus0.isin(zone_ac_buses(n))]
    parts = [dispatch_sum(n, "Link", p2h, sns), corridor_export(n, sns, period)]
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def reserve_credit(scenario: Scenario) -> pd.Series:
    """Capacity credit per carrier [p.u.]; import carriers are credited by contract instead."""
    credit = pd.Series(scenario.policy.reserve_credit, dtype=float)
    return credit.drop([c for c in with_role("import") if c in credit.index])


def add_reserve_margin(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    """Add the reserve margin (module docstring) for every period; nothing when it is null.

    Constraints ``policy-reserve_margin[-<period>]`` (one row per snapshot of the peak
    window) and, with batteries, ``policy-battery_firm_power`` / ``_energy``.

    Raises
    ------
    ValueError
        The margin is on but no capacity in the network is credited as firm.
    """
    if scenario.policy.reserve_margin is None:
        return
    for period, sns in periods(n, snapshots):
        _reserve_margin_period(n, sns, scenario, period)


def _reserve_margin_period(n: pypsa.Network, sns: pd.Index, scenario: Scenario,
                           period: int | None) -> None:
    cfg = scenario.policy
    zone_ac = zone_ac_buses(n)
    credit = reserve_credit(scenario)
    constant, terms = 0.0, []

    g = active(n, "Generator", n.generators, period)
    g = g[g.bus.isin(zone_ac) & g.carrier.isin(credit.index)]
    k, t = _firm(n, "Generator", g, g.carrier.map(credit))
    constant, terms = constant + k, [*terms, t]

    links = active(n, "Link", n.links, period)
    links = links[links.bus1.isin(zone_ac) & links.carrier.isin(credit.index)]
    k, t = _firm(n, "Link", links, links.carrier.map(credit) * links.efficiency)
    constant, terms = constant + k, [*terms, t]

    su = active(n, "StorageUnit", n.storage_units, period)
    su = su[su.bus.isin(zone_ac)]
    k, t = _firm(n, "StorageUnit", su,
                 (su.max_hours / cfg.reserve_storage_hours).clip(upper=1.0))
    constant, terms = constant + k, [*terms, t, _battery_firm(n, scenario, period)]
    constant += min(cfg.reserve_import_mw, import_capability(n, period))

    terms = [t for t in terms if t is not None]
    if not terms and constant <= 0:
        raise ValueError("reserve margin: no capacity in the network is credited as firm")
    window = peak_window(n, sns, cfg.reserve_peak_snapshots)
    factor = 1.0 + cfg.reserve_margin
    load = electricity_load(n, window)
    rhs = xr.DataArray((factor * load - constant).to_numpy(), coords={"snapshot": window},
                       dims="snapshot")
    lhs: LinearExpression | None = None
    for term in terms:
        lhs = term if lhs is None else lhs + term
    derate = _chp_derating(n, window, credit, period)
    demand = _flexible_demand(n, window, period)
    for part, sign in ((derate, -1.0), (demand, -factor)):
        if part is not None:
            lhs = sign * part if lhs is None else lhs + sign * part
    if lhs is None:  # only constants: the margin holds or the model is infeasible
        if (rhs > 0).any():
            raise ValueError("reserve margin: firm capacity falls short and nothing can be built")
        return
    n.model.add_constraints(lhs >= rhs, name=f"policy-reserve_margin{suffix(period)}")
