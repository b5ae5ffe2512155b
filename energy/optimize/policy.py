"""Policy constraints on the linopy model, one small function each.

Every function takes the network while its linopy model (``n.model``) is being built and the
scenario; it adds named constraints only when its policy is switched on, so a loose or absent
policy changes nothing. Components are selected by carrier and bus carrier, never by name.
Energies are weighted by ``n.snapshot_weightings.generators`` so they are annual [MWh/a].
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import xarray as xr
from linopy import LinearExpression, Variable

from energy.carriers import renewable_carriers
from energy.config import Scenario
from energy.network.export import CORRIDOR
from energy.network.regions import zone_accounts, zone_buses


def periods(n: pypsa.Network, snapshots: pd.Index) -> list[tuple[int | None, pd.Index]]:
    """Snapshot groups to which an annual policy applies: one per investment period."""
    if isinstance(snapshots, pd.MultiIndex):
        level = snapshots.get_level_values(0)
        return [(int(p), snapshots[level == p]) for p in level.unique()]
    return [(None, snapshots)]


def _active(n: pypsa.Network, c: str, static: pd.DataFrame, period: int | None) -> pd.DataFrame:
    if period is None:
        return static
    return static.loc[n.components[c].filter_by_active_assets(static.index, period)]


def electricity_load(n: pypsa.Network, snapshots: pd.Index) -> pd.Series:
    """Zone electricity consumption per snapshot: loads at zone AC buses [MW].

    Not heat or gas loads, nor the rest of Shanxi's.
    """
    zone = n.loads.bus.isin(zone_buses(n))
    ac = n.loads.index[zone & (n.loads.bus.map(n.buses.carrier) == "AC")]
    return n.loads_t.p_set.loc[snapshots, ac].sum(axis=1)


def _weights(n: pypsa.Network, snapshots: pd.Index) -> xr.DataArray:
    w = n.snapshot_weightings.generators.loc[snapshots]
    return xr.DataArray(w.to_numpy(), coords={"snapshot": snapshots}, dims="snapshot")


def _coeffs(var: Variable, values: pd.Series) -> xr.DataArray:
    dim = [d for d in var.dims if d != "snapshot"][0]
    return xr.DataArray(values.to_numpy(), coords={dim: list(values.index)}, dims=dim)


def renewable_generation(
    n: pypsa.Network, snapshots: pd.Index, period: int | None = None
) -> LinearExpression:
    """Zone wind + solar generation per snapshot [MW] as a linopy expression."""
    g = _active(n, "Generator", n.generators[zone_accounts(n, "Generator")], period)
    names = g.index[g.carrier.isin(renewable_carriers())]
    p = n.model["Generator-p"].loc[snapshots, list(names)]
    return p.sum([d for d in p.dims if d != "snapshot"])


def add_renewable_share(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    """Wind + solar generation ≥ share × zone electricity consumption (annual) [MWh/a]."""
    share = scenario.policy.min_renewable_share
    if share is None:
        return
    for period, sns in periods(n, snapshots):
        w = n.snapshot_weightings.generators.loc[sns]
        consumption = float(electricity_load(n, sns).mul(w).sum())
        lhs = (renewable_generation(n, sns, period) * _weights(n, sns)).sum()
        suffix = "" if period is None else f"-{period}"
        n.model.add_constraints(lhs >= share * consumption,
                                name=f"policy-renewable_share{suffix}")


def add_export_clean_share(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    """Clean share of exported energy: share × corridor input ≤ zone wind + solar generation.

    ``export.matching = "annual"`` compares annual sums; ``"hourly"`` every snapshot.
    """
    cfg = scenario.export
    corridors = n.links.index[n.links.carrier == CORRIDOR]
    if not cfg.enabled or cfg.clean_share <= 0 or corridors.empty:
        return
    for period, sns in periods(n, snapshots):
        active = _active(n, "Link", n.links.loc[corridors], period).index
        if active.empty:
            continue
        p = n.model["Link-p"].loc[sns, list(active)]
        exported = p.sum([d for d in p.dims if d != "snapshot"])
        clean = renewable_generation(n, sns, period)
        suffix = "" if period is None else f"-{period}"
        if cfg.matching == "hourly":
            n.model.add_constraints(cfg.clean_share * exported - clean <= 0,
                                    name=f"policy-export_clean_share_hourly{suffix}")
        else:
            w = _weights(n, sns)
            lhs = (cfg.clean_share * exported * w).sum() - (clean * w).sum()
            n.model.add_constraints(lhs <= 0, name=f"policy-export_clean_share{suffix}")


def add_reserve_margin(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    """Firm capacity ≥ peak load × (1 + margin) [MW], in every investment period.

    Firm capacity = Σ credit × capacity at the electricity port for generators and fuel-to-power
    links (credits per carrier from the scenario), imports at their credit, pumped storage
    × min(1, hours / H) and batteries × min(1, energy / (power × H)) with H =
    ``reserve_storage_hours``. The battery minimum is linear through an auxiliary variable per
    battery (≤ discharger capacity × efficiency, ≤ energy / H).
    """
    if scenario.policy.reserve_margin is None:
        return
    for period, sns in periods(n, snapshots):
        _reserve_margin_period(n, sns, scenario, period)


def _firm_terms(n: pypsa.Network, c: str, static: pd.DataFrame, credit: pd.Series,
                attr: str) -> tuple[float, list[LinearExpression]]:
    ext = static[static[f"{attr}_extendable"]]
    constant = float((credit * static[attr])[~static[f"{attr}_extendable"]].sum())
    if ext.empty:
        return constant, []
    var = n.model[f"{c}-{attr}"].loc[list(ext.index)]
    return constant, [(var * _coeffs(var, credit[ext.index])).sum()]


def _reserve_margin_period(n: pypsa.Network, sns: pd.Index, scenario: Scenario,
                           period: int | None) -> None:
    cfg = scenario.policy
    m = n.model
    ac = n.buses.index[(n.buses.carrier == "AC") & n.buses.index.isin(zone_buses(n))]
    peak = float(electricity_load(n, sns).max())
    credit = pd.Series(cfg.reserve_credit, dtype=float)
    constant, terms = 0.0, []

    g = _active(n, "Generator", n.generators, period)
    g = g[g.bus.isin(ac) & g.carrier.isin(credit.index)]
    k, t = _firm_terms(n, "Generator", g, g.carrier.map(credit), "p_nom")
    constant, terms = constant + k, terms + t

    links = _active(n, "Link", n.links, period)
    links = links[links.bus1.isin(ac) & links.carrier.isin(credit.index)]
    k, t = _firm_terms(n, "Link", links, links.carrier.map(credit) * links.efficiency, "p_nom")
    constant, terms = constant + k, terms + t

    su = _active(n, "StorageUnit", n.storage_units, period)
    su = su[su.bus.isin(ac)]
    k, t = _firm_terms(n, "StorageUnit", su,
                       (su.max_hours / cfg.reserve_storage_hours).clip(upper=1.0), "p_nom")
    constant, terms = constant + k, terms + t

    links = _active(n, "Link", n.links, period)
    dis = links[(links.carrier == "battery discharger") & links.p_nom_extendable]
    stores = _active(n, "Store", n.stores, period)
    stores = stores[(stores.carrier == "battery") & stores.e_nom_extendable]
    if not dis.empty:
        suffix = "" if period is None else f"-{period}"
        dim = f"battery{suffix}"
        firm = m.add_variables(lower=0, coords=[pd.Index(dis.index, name=dim)],
                               name=f"policy-battery_firm{suffix}")
        store_of = pd.Series(stores.index,
                             index=pd.MultiIndex.from_arrays([stores.bus, stores.build_year]))
        stores_for = store_of.reindex(pd.MultiIndex.from_arrays([dis.bus0, dis.build_year]))
        p_nom = m["Link-p_nom"].loc[list(dis.index)]
        p_nom = p_nom.rename({p_nom.dims[0]: dim}).assign_coords({dim: list(dis.index)})
        eff = xr.DataArray(dis.efficiency.to_numpy(), coords={dim: list(dis.index)})
        e_nom = m["Store-e_nom"].loc[list(stores_for)]
        e_nom = e_nom.rename({e_nom.dims[0]: dim}).assign_coords({dim: list(dis.index)})
        m.add_constraints(firm - p_nom * eff <= 0, name=f"policy-battery_firm_power{suffix}")
        m.add_constraints(firm - e_nom / cfg.reserve_storage_hours <= 0,
                          name=f"policy-battery_firm_energy{suffix}")
        terms.append(firm.sum())

    if not terms:
        raise ValueError("reserve margin: no extendable firm capacity in the network")
    lhs = terms[0]
    for term in terms[1:]:
        lhs = lhs + term
    suffix = "" if period is None else f"-{period}"
    m.add_constraints(lhs >= peak * (1.0 + cfg.reserve_margin) - constant,
                      name=f"policy-reserve_margin{suffix}")


def add_potential_groups(n: pypsa.Network) -> None:
    """In a pathway, the build-year variants of one candidate share its potential [MW].

    Variants carry the custom attribute ``candidate`` (see :mod:`energy.network.periods`).
    """
    for c, attr in (("Generator", "p_nom"), ("StorageUnit", "p_nom")):
        static = n.components[c].static
        if "candidate" not in static or static.empty:
            continue
        ext = static[static[f"{attr}_extendable"] & static.candidate.notna()]
        ext = ext[np.isfinite(ext[f"{attr}_max"].astype(float))]
        groups = ext.groupby("candidate")
        multi = [name for name, grp in groups if len(grp) > 1]
        if not multi:
            continue
        var = n.model[f"{c}-{attr}"]
        for j, cand in enumerate(multi):
            grp = ext[ext.candidate == cand]
            lhs = var.loc[list(grp.index)].sum()
            n.model.add_constraints(lhs <= float(grp[f"{attr}_max"].iloc[0]),
                                    name=f"policy-potential-{c}-{j}")


def apply_policies(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    """Add every policy constraint the scenario switches on."""
    add_renewable_share(n, snapshots, scenario)
    add_export_clean_share(n, snapshots, scenario)
    add_reserve_margin(n, snapshots, scenario)
    if isinstance(snapshots, pd.MultiIndex):
        add_potential_groups(n)
