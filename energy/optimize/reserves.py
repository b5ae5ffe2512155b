"""Operating (upward) reserve every snapshot, in the style of PyPSA-Eur and GenX.

Requirement in every snapshot t (``reserves`` of the scenario)::

    Σ_j r[j,t] >= ε_L x L[t] + ε_V x Σ_g p_max_pu[g,t] x P[g] + C          Reserve-requirement

with ``L`` the electricity load at zone buses [MW], ``g`` the zone's wind and solar
generators (``P`` = ``p_nom``, a variable for candidates; PyPSA-Eur's ``epsilon_vres`` on
available output) and ``C`` a contingency [MW]. Providers ``j`` are the zone's units whose
carrier is ``fast`` in the registry (gas turbines, pumped hydro, batteries) and, with
``reserves.thermal``, ``spinning`` (coal and CHP). Reserve is capacity held back, so it must
fit beside the dispatch [MW at the AC bus]:

* Link ``j`` (gas turbine, battery discharger, thermal plant), efficiency η::

      r[j,t] <= η (A[j,t] - p[j,t] - p_heat[j,t])                       Link-reserve_headroom

  ``A`` = ``p_max_pu x p_nom`` (a variable for candidates), or the committed capacity
  ``K`` of a committed plant (:mod:`energy.optimize.operations`); ``p_heat`` is the heat
  link of a CHP (same boiler).
* StorageUnit (pumped hydro): ``r <= p_max_pu x p_nom - p_dispatch``
  (``StorageUnit-reserve_headroom``) and enough water for ``reserves.duration_h`` hours:
  ``r x h <= η_dispatch x soc`` (``StorageUnit-reserve_energy``).
* Battery discharger: ``r x h <= η x e`` of the Stores on its input bus
  (``Link-reserve_energy``).

Variables ``Link-reserve`` and ``StorageUnit-reserve`` [MW]; PyPSA writes them to
``n.links_t.reserve`` and ``n.storage_units_t.reserve``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa
import xarray as xr
from linopy import LinearExpression

from energy.carriers import renewable_carriers, reserve_providers
from energy.config import Scenario
from energy.network.chp import chp_pairs
from energy.network.flexibility import commitment_records
from energy.network.regions import zone_buses
from energy.optimize.errors import InfeasibleError
from energy.optimize.operations import link_p_nom


def _coeff(values: pd.Series, dim: str) -> xr.DataArray:
    return xr.DataArray(values.to_numpy(dtype=float), coords={dim: list(values.index)}, dims=dim)


def _series(values: pd.Series) -> xr.DataArray:
    return xr.DataArray(values.to_numpy(dtype=float), coords={"snapshot": values.index},
                        dims="snapshot")


def provider_carriers(scenario: Scenario) -> tuple[str, ...]:
    """Carriers that may hold reserve in the scenario (``fast``; ``spinning`` if allowed)."""
    kinds = ("fast", "spinning") if scenario.reserves.thermal else ("fast",)
    return reserve_providers(*kinds)


def reserve_requirement(n: pypsa.Network, snapshots: pd.Index,
                        scenario: Scenario) -> tuple[pd.Series, pd.Series]:
    """The constant part of the requirement [MW] and the wind/solar candidates' factors.

    Returns
    -------
    tuple of pandas.Series
        Per snapshot ``ε_L L + ε_V Σ_fixed p_max_pu P + C`` [MW]; and the extendable wind and
        solar generators' ``ε_V x p_max_pu`` per snapshot (columns) [p.u.].
    """
    cfg = scenario.reserves
    zone = zone_buses(n)
    ac = n.loads.index[n.loads.bus.isin(zone) & (n.loads.bus.map(n.buses.carrier) == "AC")]
    load = n.get_switchable_as_dense("Load", "p_set", snapshots)[ac].sum(axis=1)
    g = n.generators
    vres = g[g.carrier.isin(renewable_carriers()) & g.bus.isin(zone)]
    avail = n.get_switchable_as_dense("Generator", "p_max_pu", snapshots)[vres.index]
    fixed = vres.index[~vres.p_nom_extendable]
    constant = (cfg.load_share * load + cfg.vres_share * (avail[fixed] * vres.p_nom[fixed]).sum(
        axis=1) + cfg.contingency_mw)
    ext = vres.index[vres.p_nom_extendable]
    return constant, cfg.vres_share * avail[ext]


def operating_reserve(n: pypsa.Network, scenario: Scenario) -> None:
    """Add reserve variables, headroom rows and the requirement (module docstring)."""
    if not scenario.reserves.enabled or len(n.investment_periods):
        return
    m = n.model
    p = m["Link-p"]
    dim = [d for d in p.dims if d != "snapshot"][0]
    sns = pd.Index(p.indexes["snapshot"])
    carriers = provider_carriers(scenario)
    zone = zone_buses(n)
    links = n.links[n.links.carrier.isin(carriers) & n.links.bus1.isin(zone)]
    units = n.storage_units[n.storage_units.carrier.isin(carriers)
                            & n.storage_units.bus.isin(zone)]
    total: LinearExpression | int = 0
    if not links.empty:
        total = total + _link_reserve(n, links, sns, dim, scenario).sum(dim)
    if not units.empty:
        total = total + _storage_reserve(n, units, sns, scenario).sum(
            [d for d in m["StorageUnit-p_dispatch"].dims if d != "snapshot"][0])
    constant, vres = reserve_requirement(n, sns, scenario)
    if isinstance(total, int):
        # e.g. every candidate provider pruned by the screen: the LP cannot hold reserve
        raise InfeasibleError("reserves.enabled: no unit of the zone can hold operating "
                              f"reserve (carriers {list(carriers)})")
    lhs = total
    if not vres.empty:
        p_nom = m["Generator-p_nom"]
        gdim = p_nom.dims[0]
        nom = p_nom.sel({gdim: list(vres.columns)})
        factor = xr.DataArray(vres.to_numpy(), coords={"snapshot": sns, gdim: list(vres.columns)},
                              dims=("snapshot", gdim))
        lhs = lhs - (nom * factor).sum(gdim)
    m.add_constraints(lhs >= _series(constant), name="Reserve-requirement")


def _fuel(n: pypsa.Network, names: list[str], dim: str) -> LinearExpression:
    """Fuel input of each link [MW], plus its heat link's for an extraction CHP."""
    p = n.model["Link-p"]
    fuel = p.sel({dim: names}).to_linexpr()
    heat = {pair["power"]: pair["heat"] for pair in chp_pairs(n) if pair["power"] in names}
    if heat:
        h = p.sel({dim: list(heat.values())}).assign_coords({dim: list(heat)})
        fuel = fuel + h.reindex({dim: names}).fillna(0)
    return fuel


def _link_reserve(n: pypsa.Network, links: pd.DataFrame, sns: pd.Index, dim: str,
                  scenario: Scenario) -> Any:
    """Reserve of Link providers with their headroom (and battery energy) rows."""
    m = n.model
    names = list(links.index)
    r = m.add_variables(lower=0, coords=[sns, pd.Index(names, name=dim)], name="Link-reserve")
    eta = _coeff(links.efficiency, dim)
    records = {rec["link"]: rec for rec in commitment_records(n)}
    committed = [c for c in names if c in records and "Link-committed" in m.variables]
    if committed:
        K = m["Link-committed"].sel({dim: committed}).to_linexpr()
        with_r = [c for c in committed if records[c].get("retrofit")]
        if with_r:
            q = m["Link-committed_retrofit"].sel(
                {dim: [records[c]["retrofit"] for c in with_r]})
            K = K + q.assign_coords({dim: with_r}).reindex({dim: committed}).fillna(0)
        lhs = r.sel({dim: committed}) - (K - _fuel(n, committed, dim)) * eta.sel(
            {dim: committed})
        m.add_constraints(lhs <= 0, name="Link-reserve_headroom_committed")
    free = [c for c in names if c not in committed]
    max_pu = n.get_switchable_as_dense("Link", "p_max_pu", sns)
    ext = links.p_nom_extendable
    fixed = [c for c in free if not ext[c]]
    if fixed:
        avail = max_pu[fixed] * links.p_nom[fixed]
        avail_da = xr.DataArray(avail.to_numpy(), coords={"snapshot": sns, dim: fixed},
                                dims=("snapshot", dim))
        e = eta.sel({dim: fixed})
        lhs = r.sel({dim: fixed}) + _fuel(n, fixed, dim) * e
        m.add_constraints(lhs <= avail_da * e, name="Link-reserve_headroom")
    extendable = [c for c in free if ext[c]]
    if extendable:
        nom = link_p_nom(m, extendable, dim)
        max_da = xr.DataArray(max_pu[extendable].to_numpy(),
                              coords={"snapshot": sns, dim: extendable}, dims=("snapshot", dim))
        e = eta.sel({dim: extendable})
        lhs = r.sel({dim: extendable}) + _fuel(n, extendable, dim) * e - nom * max_da * e
        m.add_constraints(lhs <= 0, name="Link-reserve_headroom_ext")
    _battery_energy(n, links, r, sns, dim, scenario.reserves.duration_h)
    return r


def _battery_energy(n: pypsa.Network, links: pd.DataFrame, r: Any, sns: pd.Index, dim: str,
                    hours: float) -> None:
    """``r x h <= η x e``: a discharger's reserve needs energy in the Stores of its input bus."""
    stores = n.stores[n.stores.bus.isin(links.bus0)]
    dischargers = links[links.bus0.isin(stores.bus)]
    if dischargers.empty:
        return
    m = n.model
    e = m["Store-e"]
    sdim = [d for d in e.dims if d != "snapshot"][0]
    # one store per battery bus (the model's batteries); several would be summed by bus
    by_bus = stores.reset_index(names="store").groupby("bus").store.first()
    store_of = dischargers.bus0.map(by_bus)
    energy = e.sel({sdim: list(store_of)}).rename({sdim: dim}) if sdim != dim else \
        e.sel({sdim: list(store_of)})
    energy = energy.assign_coords({dim: list(dischargers.index)})
    eta = _coeff(dischargers.efficiency, dim)
    lhs = r.sel({dim: list(dischargers.index)}) * hours - energy * eta
    m.add_constraints(lhs <= 0, name="Link-reserve_energy")


def _storage_reserve(n: pypsa.Network, units: pd.DataFrame, sns: pd.Index,
                     scenario: Scenario) -> Any:
    """Reserve of StorageUnits: dispatch headroom and energy for ``duration_h`` hours."""
    m = n.model
    dispatch = m["StorageUnit-p_dispatch"]
    dim = [d for d in dispatch.dims if d != "snapshot"][0]
    names = list(units.index)
    r = m.add_variables(lower=0, coords=[sns, pd.Index(names, name=dim)],
                        name="StorageUnit-reserve")
    max_pu = n.get_switchable_as_dense("StorageUnit", "p_max_pu", sns)[names]
    max_da = xr.DataArray(max_pu.to_numpy(), coords={"snapshot": sns, dim: names},
                          dims=("snapshot", dim))
    ext = units.p_nom_extendable
    fixed = [c for c in names if not ext[c]]
    if fixed:
        lhs = r.sel({dim: fixed}) + dispatch.sel({dim: fixed})
        rhs = max_da.sel({dim: fixed}) * _coeff(units.p_nom[fixed], dim)
        m.add_constraints(lhs <= rhs, name="StorageUnit-reserve_headroom")
    extendable = [c for c in names if ext[c]]
    if extendable:
        p_nom = m["StorageUnit-p_nom"]
        ndim = p_nom.dims[0]
        nom = p_nom.sel({ndim: extendable})
        if ndim != dim:
            nom = nom.rename({ndim: dim})
        lhs = (r.sel({dim: extendable}) + dispatch.sel({dim: extendable})
               - nom * max_da.sel({dim: extendable}))
        m.add_constraints(lhs <= 0, name="StorageUnit-reserve_headroom_ext")
    soc = m["StorageUnit-state_of_charge"].sel({dim: names})
    eta = _coeff(units.efficiency_dispatch, dim)
    m.add_constraints(r * scenario.reserves.duration_h - soc * eta <= 0,
                      name="StorageUnit-reserve_energy")
    return r


def reserve_summary(n: pypsa.Network, scenario: Scenario) -> dict[str, Any]:
    """Reserve held by carrier and the requirement, annual means [MW] (``summary.json``)."""
    if not scenario.reserves.enabled or len(n.investment_periods):
        return {}
    w = n.snapshot_weightings.generators
    hours = float(w.sum())
    held: dict[str, float] = {}
    for static, dynamic in ((n.links, n.links_t), (n.storage_units, n.storage_units_t)):
        r = dynamic.get("reserve")
        if r is None or r.empty:
            continue
        mean = r.mul(w, axis=0).sum() / hours
        for carrier, value in mean.groupby(static.carrier.reindex(mean.index)).sum().items():
            held[str(carrier)] = held.get(str(carrier), 0.0) + float(value)
    constant, vres = reserve_requirement(n, n.snapshots, scenario)
    g = n.generators
    requirement = constant + (vres * g.p_nom_opt.reindex(vres.columns)).sum(axis=1)
    return {
        "requirement_mw_mean": round(float((requirement * w).sum() / hours), 1),
        "requirement_mw_max": round(float(requirement.max()), 1),
        "held_mw_mean": {k: round(v, 1) for k, v in sorted(held.items()) if v >= 0.05},
        **reserve_price(n),
    }


def reserve_price(n: pypsa.Network) -> dict[str, float]:
    """Shadow price of the requirement while the linopy model is attached (else empty).

    The dual of ``Reserve-requirement`` in snapshot t is the objective's change per MW of
    requirement held in t [CNY/a per MW]; divided by the snapshot's objective weighting it is
    a price per MW and hour. Returns ``price_cny_per_mw_h_mean`` (time-weighted mean),
    ``price_cny_per_mw_h_max``, ``binding_hours`` (hours with a positive price [h/a]) and
    ``value_cny_per_mw_a`` (Σ_t dual: what one more MW required in every hour costs a year).
    """
    m = getattr(n, "model", None)
    if m is None or "Reserve-requirement" not in m.constraints:
        return {}
    try:
        dual = m.constraints["Reserve-requirement"].dual.to_series()
    except (AttributeError, KeyError, ValueError):
        return {}
    dual = dual.reindex(n.snapshots).fillna(0.0).abs()
    obj = n.snapshot_weightings.objective.reindex(n.snapshots)
    hours = n.snapshot_weightings.generators.reindex(n.snapshots)
    price = dual / obj.where(obj > 0, 1.0)
    return {
        "price_cny_per_mw_h_mean": round(float((price * hours).sum() / hours.sum()), 3),
        "price_cny_per_mw_h_max": round(float(price.max()), 3),
        "binding_hours": round(float(hours[price > 1e-6].sum()), 1),
        "value_cny_per_mw_a": round(float(dual.sum()), 1),
    }
