"""The zone's annual CO2 cap as a linopy constraint, with a configured scope.

``co2.scope = "production"`` (default): CO2 of the fuel burnt at zone buses,

    Σ_t w_t Σ_{g ∈ zone emitters} e_g p_{g,t}  ≤  cap  (+ fixed uses, see below)   [t CO2/a]

where the emitters are the generators at zone buses whose carrier has a CO2 intensity e_g
(fuel supplies [t/MWh_th]); with ``boundary.mode = flat_price`` and ``co2.include_imports`` the
import generators count too (at boundary.csv's grid factor). The rest of Shanxi's plants sit
at their own fuel buses and never count.

``co2.scope = "consumption"``: production minus net exports plus net imports, each at a
*deemed* factor f (``co2.deemed_factor_t_per_mwh``, default the Shanxi grid factor of
boundary.csv), so that the LP stays linear:

    production − f Σ_t w_t x_t  ≤  cap,   x_t = net export of the zone in snapshot t [MW]

x_t = flow out of the zone on the lines to the boundary buses (minus flow in) plus the
corridor to Xiong'an (flat price: −(p_export + p_import)). Exact consumption accounting would
deduct exports at the zone's own average intensity and add imports at the neighbour's, both
products of variables; the reported figures (:mod:`energy.results.co2`) do that ex post.

Unabatable fixed uses (the fixed ``other gas use`` load at the zone gas bus, gas outside the
modelled sectors) are outside the cap by default: their CO2 is added to the right-hand side
(``co2.fixed_uses_in_cap = true`` puts it inside). Per investment period the cap is annual.
"""

from __future__ import annotations

import pandas as pd
import pypsa
import xarray as xr
from linopy import LinearExpression

from energy.carriers import with_role
from energy.config import Scenario
from energy.network.export import CORRIDOR
from energy.network.regions import FLAT_TRADE, trade_lines, zone_accounts
from energy.optimize.terms import periods

CONSTRAINT = "co2-cap"
#: generator carriers whose p is trade in flat-price mode: (import, export)
IMPORT, EXPORT = FLAT_TRADE


def deemed_factor(n: pypsa.Network, scenario: Scenario) -> float:
    """The deemed CO2 factor of traded electricity [t/MWh] (scenario, else the network's)."""
    if scenario.co2.deemed_factor_t_per_mwh is not None:
        return float(scenario.co2.deemed_factor_t_per_mwh)
    return float((n.meta or {}).get("co2_deemed_t_per_mwh", 0.0))


def zone_emitters(n: pypsa.Network, scenario: Scenario | None = None,
                  static: pd.DataFrame | None = None) -> pd.Series:
    """Generators whose output emits CO2 in the zone's account [t CO2 per MWh of output].

    Import generators of the flat-price mode count only in the production scope (in the
    consumption scope imports enter through the net flow).
    """
    g = n.generators if static is None else static
    intensity = g.carrier.map(n.carriers.co2_emissions).fillna(0.0).astype(float)
    mask = (intensity > 0) & zone_accounts(n, "Generator", g)
    if scenario is not None and scenario.co2.scope == "consumption":
        mask &= g.carrier != IMPORT
    return intensity[mask]


def fixed_use_energy(n: pypsa.Network, sns: pd.Index) -> pd.Series:
    """Fixed demand loads (registry role ``demand``, e.g. other gas use) [MWh/a], by load."""
    loads = n.loads[n.loads.carrier.isin(with_role("demand"))]
    if loads.empty:
        return pd.Series(dtype=float)
    w = n.snapshot_weightings.generators.loc[sns]
    p = n.get_switchable_as_dense("Load", "p_set").loc[sns, loads.index]
    return p.mul(w, axis=0).sum()


def fixed_use_co2(n: pypsa.Network, sns: pd.Index) -> float:
    """CO2 of the fixed uses [t/a]: their energy × the CO2 intensity of their bus's carrier."""
    energy = fixed_use_energy(n, sns)
    if energy.empty:
        return 0.0
    carrier = n.loads.bus[energy.index].map(n.buses.carrier)
    return float((energy * carrier.map(n.carriers.co2_emissions).fillna(0.0)).sum())


def _active(n: pypsa.Network, c: str, names: pd.Index, period: int | None) -> list[str]:
    if period is None:
        return list(names)
    return list(names[n.components[c].filter_by_active_assets(names, period)])


def _weighted_sum(var, names: list[str], coeff: pd.Series, sns: pd.Index,  # noqa: ANN001
                  w: xr.DataArray) -> LinearExpression | None:
    if not names:
        return None
    p = var.loc[sns, names]
    dim = [d for d in p.dims if d != "snapshot"][0]
    c = xr.DataArray(coeff.loc[names].to_numpy(), coords={dim: names}, dims=dim)
    return (p * c * w).sum()


def net_export_terms(n: pypsa.Network, sns: pd.Index, w: xr.DataArray,
                     period: int | None = None) -> list[LinearExpression]:
    """Weighted net export of the zone as linopy terms: Σ_t w_t x_t [MWh/a]."""
    m, terms = n.model, []
    sign = trade_lines(n)
    if not sign.empty:
        names = _active(n, "Line", sign.index, period)
        term = _weighted_sum(m["Line-s"], names, sign, sns, w)
        terms += [term] if term is not None else []
    corridors = n.links.index[n.links.carrier == CORRIDOR]
    if len(corridors):
        names = _active(n, "Link", corridors, period)
        term = _weighted_sum(m["Link-p"], names, pd.Series(1.0, index=corridors), sns, w)
        terms += [term] if term is not None else []
    trade = n.generators.index[n.generators.carrier.isin(FLAT_TRADE)]
    if len(trade):
        names = _active(n, "Generator", trade, period)
        term = _weighted_sum(m["Generator-p"], names, pd.Series(-1.0, index=trade), sns, w)
        terms += [term] if term is not None else []
    return terms


def add_co2_cap(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    """Add the annual CO2 cap of the zone in the configured scope (inactive without a cap)."""
    cap = scenario.co2.cap_mt
    if cap is None:
        return
    emitters = zone_emitters(n, scenario)
    f = deemed_factor(n, scenario)
    for period, sns in periods(n, snapshots):
        weights = n.snapshot_weightings.generators.loc[sns]
        w = xr.DataArray(weights.to_numpy(), coords={"snapshot": sns}, dims="snapshot")
        names = _active(n, "Generator", emitters.index, period)
        lhs = _weighted_sum(n.model["Generator-p"], names, emitters, sns, w)
        if scenario.co2.scope == "consumption":
            for term in net_export_terms(n, sns, w, period):
                lhs = term * -f if lhs is None else lhs - term * f
        if lhs is None:
            continue
        rhs = cap * 1e6
        if not scenario.co2.fixed_uses_in_cap:
            rhs += fixed_use_co2(n, sns)
        suffix = "" if period is None else f"-{period}"
        n.model.add_constraints(lhs <= rhs, name=f"{CONSTRAINT}{suffix}")
