"""Extra constraints on the linopy model, one small function each.

Each function takes the network after ``n.optimize.create_model`` (the linopy model is
``n.model``) and adds named constraints. :func:`extra_functionality` is what the solver calls.
"""

from __future__ import annotations

import pandas as pd
import pypsa
import xarray as xr

from energy.config import Scenario
from energy.network.chp import chp_pairs
from energy.network.heat import heat_producers
from energy.optimize.co2 import add_co2_cap
from energy.optimize.commitment import add_daily_commitment
from energy.optimize.operations import link_p_nom, thermal_commitment
from energy.optimize.policy import apply_policies
from energy.optimize.reserves import operating_reserve


def tie_battery_power(n: pypsa.Network) -> None:
    """Make each battery's charger and discharger equally large [MW].

    Chargers and dischargers are found by carrier and paired through their shared battery bus
    (the charger's ``bus1`` is the discharger's ``bus0``) and build year; no name matching.
    """
    links = n.links
    ext = links[links.p_nom_extendable]
    chargers = ext[ext.carrier == "battery charger"]
    dischargers = ext[ext.carrier == "battery discharger"]
    if chargers.empty:
        return
    pair = pd.Series(dischargers.index,
                     index=pd.MultiIndex.from_arrays([dischargers.bus0, dischargers.build_year]))
    matched = pd.Series(
        pair.reindex(pd.MultiIndex.from_arrays([chargers.bus1, chargers.build_year])).to_numpy(),
        index=chargers.index,
    )
    if matched.isna().any():
        orphans = list(matched[matched.isna()].index)
        raise ValueError(f"battery chargers without a discharger: {orphans}")
    # as PyPSA-Eur: charger input capacity = discharger input capacity x its efficiency;
    # the discharger side is relabelled with the charger names so the two align by label
    eff = dischargers.efficiency[matched].to_numpy()
    p_nom = n.model["Link-p_nom"]
    dim = p_nom.dims[0]
    discharge = p_nom.loc[matched.tolist()].assign_coords({dim: chargers.index.tolist()})
    lhs = p_nom.loc[chargers.index.tolist()] - discharge * eff
    n.model.add_constraints(lhs == 0, name="Link-battery_power_tie")


def _on_names(values: pd.Series | pd.DataFrame, dim: str = "name") -> xr.DataArray:
    """Coefficients indexed like a linopy variable's component dimension (and snapshots)."""
    if isinstance(values, pd.Series):
        return xr.DataArray(values.to_numpy(), coords={dim: list(values.index)}, dims=dim)
    return xr.DataArray(values.to_numpy(), dims=("snapshot", dim),
                        coords={"snapshot": values.index, dim: list(values.columns)})


def chp_operating_region(n: pypsa.Network) -> None:
    """Keep every CHP plant inside its extraction-condensing operating region.

    For each pair of ``n.meta["chp"]`` (power link, heat link; fuel inputs ``p_e``, ``p_h``,
    efficiencies ``eta`` and ``eta / c_v``):

    * back-pressure line ``c_b x Q <= P``, i.e. ``c_b (eta/c_v) p_h - eta p_e <= 0`` [MW];
    * iso-fuel line ``p_e + p_h <= F`` (the power link's fuel capacity) [MW];
    * extendable (new) plants: heat-link size ``p_nom_h = p_nom_e x c_v / (c_b + c_v)``.

    See :mod:`energy.network.chp` for the derivation.
    """
    pairs = pd.DataFrame(chp_pairs(n))
    if pairs.empty:
        return
    m, links = n.model, n.links
    dim = [d for d in m["Link-p"].dims if d != "snapshot"][0]
    # with investment periods a plant has no dispatch variable where it is inactive; those
    # absent slots count as 0 (the region then reads 0 <= 0)
    p = m["Link-p"].fillna(0) if len(n.investment_periods) else m["Link-p"]
    power, heat = list(pairs.power), list(pairs.heat)
    eta = links.efficiency.loc[power].to_numpy()
    c_b, c_v = pairs.c_b.to_numpy(), pairs.c_v.to_numpy()
    p_heat = p.loc[:, heat].assign_coords({dim: power})
    p_power = p.loc[:, power]
    back = p_heat * _on_names(pd.Series(c_b * eta / c_v, index=power), dim) \
        - p_power * _on_names(pd.Series(eta, index=power), dim)
    m.add_constraints(back <= 0, name="Link-chp_backpressure")
    fixed = pairs[~pairs.extendable.astype(bool)]
    if not fixed.empty:
        f_power, f_heat = list(fixed.power), list(fixed.heat)
        lhs = p.loc[:, f_power] + p.loc[:, f_heat].assign_coords({dim: f_power})
        rhs = _on_names(links.p_nom.loc[f_power], dim)
        m.add_constraints(lhs <= rhs, name="Link-chp_iso_fuel_fix")
    ext = pairs[pairs.extendable.astype(bool)]
    if not ext.empty:
        e_power, e_heat = list(ext.power), list(ext.heat)
        nom_power = link_p_nom(m, e_power, dim)
        lhs = p.loc[:, e_power] + p.loc[:, e_heat].assign_coords({dim: e_power}) - nom_power
        m.add_constraints(lhs <= 0, name="Link-chp_iso_fuel_ext")
        ratio = pd.Series(ext.c_v.to_numpy() / (ext.c_b.to_numpy() + ext.c_v.to_numpy()),
                          index=e_power)
        nom_heat = link_p_nom(m, e_heat, dim).assign_coords({dim: e_power})
        m.add_constraints(nom_heat - nom_power * _on_names(ratio, dim) == 0,
                          name="Link-chp_size_tie")


def clean_heat_share(n: pypsa.Network, scenario: Scenario) -> None:
    """Clean district heat >= ``heat.min_clean_share`` x all district heat produced [MWh_th/a].

    Production is the output at heat buses of CHP heat links, boilers, heat pumps and geothermal
    (heat mains and storage move heat and are not counted; load shedding counts as not clean).
    ``heat.clean_share_definition`` picks ``non_coal`` or ``policy`` (also counts ultra-low-
    emission coal CHP). Weighted by ``snapshot_weightings.generators`` (annual). Inactive when
    the share is null or 0.
    """
    share = scenario.heat.min_clean_share
    if not scenario.heat.enabled or not share:
        return
    prod = heat_producers(n)
    if prod.empty:
        return
    clean = prod[f"clean_{scenario.heat.clean_share_definition}"].astype(float)
    w = n.snapshot_weightings.generators.loc[n.snapshots]
    lhs = 0
    for component, group in prod.groupby("component"):
        names = list(group.index)
        var = n.model[f"{component}-p"]
        dim = [d for d in var.dims if d != "snapshot"][0]
        if component == "Link":
            eff = n.get_switchable_as_dense("Link", "efficiency").loc[n.snapshots, names]
        else:
            eff = pd.DataFrame(1.0, index=n.snapshots, columns=names)
        coeff = eff.mul(w, axis=0) * (clean.loc[names] - share).to_numpy()
        lhs = lhs + (var.loc[:, names] * _on_names(coeff, dim)).sum()
    n.model.add_constraints(lhs >= 0, name="heat-clean_share")


def extra_functionality(scenario: Scenario):  # noqa: ANN201
    """Return the ``extra_functionality(n, snapshots)`` callback for a scenario."""

    def _apply(n: pypsa.Network, snapshots) -> None:  # noqa: ANN001
        tie_battery_power(n)
        chp_operating_region(n)
        clean_heat_share(n, scenario)
        add_daily_commitment(n, snapshots)
        add_co2_cap(n, snapshots, scenario)
        thermal_commitment(n)
        operating_reserve(n, scenario)
        apply_policies(n, snapshots, scenario)

    return _apply
