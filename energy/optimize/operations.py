"""Linearised unit commitment of coal and CHP plants: minimum load, start-ups, must-run, retrofit.

The relaxation of Hua et al. (2017) that PyPSA applies with ``linearized_unit_commitment``,
written in *committed capacity* [MW] instead of a status share, for every plant of
:func:`energy.network.flexibility.commitment_records` (``i``), snapshot ``t``:

* ``k[i,t]``  committed capacity not retrofitted [MW fuel]            (``Link-committed``)
* ``q[j,t]``  committed capacity of plant i's retrofit j [MW fuel]   (``Link-committed_retrofit``)
* ``s[i,t]``  capacity started in t [MW fuel]                        (``Link-started``)
* ``K = k + q`` all committed capacity; ``f = p_power (+ p_heat)`` fuel burnt, the heat link
  counted for an extraction CHP (the boiler minimum holds for both).

Constraints (``m`` = ``p_min_pu``, ``m_R`` = ``p_min_pu_retrofit``, ``F`` = fuel capacity, a
variable for extendable plants; ``R`` = retrofitted capacity; ``u`` = ``must_run_heating``)::

    f[i,t] <= K[i,t]                              Link-commitment_upper
    f[i,t] >= m k[i,t] + m_R q[j,t]                Link-commitment_lower    (minimum load)
    K[i,t] <= F[i]                                 Link-commitment_capacity(_ext)
    q[j,t] <= R[j]                                 Link-retrofit_capacity(_ext)
    s[i,t] >= K[i,t] - K[i,t-1]  (cyclic)          Link-start_up
    K[i,t] >= u F[i]   for t in the heating season Link-must_run(_ext)

and the objective gains Σ scale_t x start-up cost x s[i,t] (scale: starts per year a start
in t stands for, :func:`energy.network.flexibility.start_up_scale`).

Why not PyPSA's ``committable`` links: the boiler minimum of a CHP holds for the fuel of its
two links, the retrofit makes the minimum a decision, extendable plants need no big-M in
committed-capacity form, the year is cyclic, and no solve path (screen, pricing, design check)
can fall back to binaries by missing a flag. Every row that holds a retrofit's or a new
plant's columns also exists without them, so screen, prune and price can drop and price them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pypsa
import xarray as xr
from linopy import LinearExpression, Variable

from energy.network.flexibility import commitment_records, start_up_scale
from energy.profiles.heat import heating_season_mask
from energy.profiles.params import ProfileParams


def _names_coeff(values: pd.Series, dim: str) -> xr.DataArray:
    return xr.DataArray(values.to_numpy(dtype=float), coords={dim: list(values.index)}, dims=dim)


def heating_snapshots(snapshots: pd.Index) -> pd.Index:
    """Snapshots inside the heating season (the profiles' statutory season, 1 Nov - 31 Mar)."""
    params = ProfileParams()
    mask = heating_season_mask(pd.DatetimeIndex(snapshots), params.heating_season_start,
                               params.heating_season_end)
    return snapshots[mask]


def link_p_nom(m: Any, names: list[str], dim: str) -> Any:
    """The ``Link-p_nom`` variables of extendable links ``names`` on dimension ``dim`` [MW]."""
    p_nom = m["Link-p_nom"]
    ndim = p_nom.dims[0]
    nom = p_nom.sel({ndim: names})
    return nom.rename({ndim: dim}) if ndim != dim else nom


def _capacity_rows(n: pypsa.Network, lhs: LinearExpression, names: list[str], factor: pd.Series,
                   sense: str, name: str, dim: str) -> None:
    """``lhs[i] (sense) factor[i] x capacity[i]``: a constant for fixed, ``p_nom`` for extendable.

    Adds ``name`` (fixed components) and ``name_ext`` (extendable ones) [MW].
    """
    m, links = n.model, n.links
    ext = links.p_nom_extendable.loc[names]
    fixed = [c for c in names if not ext[c]]
    if fixed:
        rhs = _names_coeff(links.p_nom.loc[fixed] * factor.loc[fixed], dim)
        m.add_constraints(lhs.sel({dim: fixed}), sense, rhs, name=name)
    extendable = [c for c in names if ext[c]]
    if extendable:
        nom = link_p_nom(m, extendable, dim)
        coeff = _names_coeff(factor.loc[extendable], dim)
        m.add_constraints(lhs.sel({dim: extendable}) - nom * coeff, sense, 0,
                          name=f"{name}_ext")


def thermal_commitment(n: pypsa.Network) -> None:
    """Add the linearised unit commitment of every committed plant (module docstring)."""
    records = pd.DataFrame(commitment_records(n))
    if records.empty or len(n.investment_periods):
        return
    m = n.model
    p = m["Link-p"]
    dim = [d for d in p.dims if d != "snapshot"][0]
    sns = pd.Index(p.indexes["snapshot"])
    plants = list(records.link)
    rec = records.set_index("link")
    coords = [sns, pd.Index(plants, name=dim)]
    k = m.add_variables(lower=0, coords=coords, name="Link-committed")
    s = m.add_variables(lower=0, coords=coords, name="Link-started")
    fuel = _plant_fuel(p, rec, plants, dim)

    with_retrofit = rec[rec.retrofit.notna()]
    q_full: LinearExpression | None = None
    if not with_retrofit.empty:
        retrofits = list(with_retrofit.retrofit)
        q = m.add_variables(lower=0, coords=[sns, pd.Index(retrofits, name=dim)],
                            name="Link-committed_retrofit")
        q_full = q.assign_coords({dim: list(with_retrofit.index)}).reindex(
            {dim: plants}).fillna(0)
        _capacity_rows(n, q.to_linexpr(), retrofits,
                       pd.Series(1.0, index=retrofits), "<=", "Link-retrofit_capacity", dim)
    committed = k.to_linexpr() if q_full is None else k + q_full

    m.add_constraints(fuel - committed <= 0, name="Link-commitment_upper")
    lower = k * _names_coeff(rec.p_min_pu.loc[plants], dim)
    if q_full is not None:
        m_r = rec.p_min_pu_retrofit.loc[plants].fillna(0.0).astype(float)
        lower = lower + q_full * _names_coeff(m_r, dim)
    m.add_constraints(fuel - lower >= 0, name="Link-commitment_lower")
    _capacity_rows(n, committed, plants, pd.Series(1.0, index=plants), "<=",
                   "Link-commitment_capacity", dim)

    m.add_constraints(s - committed + committed.roll(snapshot=1) >= 0, name="Link-start_up")

    must = rec.must_run_heating.loc[plants].astype(float)
    must = must[must > 0]
    season = heating_snapshots(sns)
    if not must.empty and len(season):
        _capacity_rows(n, committed.sel(snapshot=season), list(must.index), must, ">=",
                       "Link-must_run", dim)

    cost = rec.start_up_cost.loc[plants].astype(float)
    if (cost > 0).any():
        scale = start_up_scale(n).reindex(sns).to_numpy()
        weight = xr.DataArray(np.outer(scale, cost.to_numpy()), coords=coords,
                              dims=("snapshot", dim))
        m.objective = m.objective + (s * weight).sum()


def _plant_fuel(p: Variable, rec: pd.DataFrame, plants: list[str], dim: str) -> LinearExpression:
    """Fuel burnt by each plant [MW]: its power link, plus the heat link of a CHP pair."""
    fuel = p.sel({dim: plants}).to_linexpr()
    chp = rec[rec.heat.notna()]
    if chp.empty:
        return fuel
    heat = p.sel({dim: list(chp.heat)}).assign_coords({dim: list(chp.index)})
    return fuel + heat.reindex({dim: plants}).fillna(0)


def commitment_summary(n: pypsa.Network) -> dict[str, Any]:
    """Annual figures of the commitment of a solved network (for ``summary.json``).

    Returns
    -------
    dict
        ``committed_plants`` (of at least 1 MW); ``starts_mw_per_a`` (capacity started per
        year [MW/a], fuel);
        ``full_load_equivalent_starts`` (starts per plant capacity [1/a]);
        ``min_load_hours`` (hours in which committed capacity runs at its minimum [h/a]);
        ``retrofit_mw`` (retrofitted capacity [MW_el]). Empty without commitment.
    """
    records = commitment_records(n)
    committed = n.links_t.get("committed")
    if not records or committed is None or committed.empty:
        return {}
    rec = pd.DataFrame(records).set_index("link")
    # plants the run keeps (a candidate left at solver tolerance is not a plant)
    plants = [c for c in rec.index if c in committed.columns and n.links.p_nom_opt[c] >= 1.0]
    w = n.snapshot_weightings.generators
    scale = start_up_scale(n)
    started = n.links_t.get("started", pd.DataFrame(0.0, index=n.snapshots, columns=plants))
    starts = started[plants].mul(scale, axis=0).sum()
    cap = n.links.p_nom_opt.loc[plants]
    fuel = n.links_t.p0[plants].copy()
    heat = rec.heat.loc[plants].dropna()
    for plant, link in heat.items():
        fuel[plant] = fuel[plant] + n.links_t.p0[link]
    at_min = (fuel <= committed[plants].mul(rec.p_min_pu.loc[plants], axis=1) * 1.001 + 1e-3) & (
        committed[plants] > 1e-3)
    retro = rec.retrofit.dropna()
    eff = n.links.efficiency
    return {
        "committed_plants": len(plants),
        "starts_mw_per_a": round(float(starts.sum()), 1),
        "full_load_equivalent_starts": round(float(starts.sum() / cap.sum()), 3)
        if cap.sum() > 0 else 0.0,
        "min_load_hours": {c: round(float(w[at_min[c]].sum()), 1) for c in plants},
        "retrofit_mw": {plant: round(float(n.links.p_nom_opt[r] * eff[r]), 1)
                        for plant, r in retro.items()},
    }
