"""Thermal flexibility on the network: committed plants, their data, and flexibility retrofits.

The zone's coal, coal CHP and gas CHP plants (every Link whose carrier has a ``p_min_pu``
row in ``thermal_flexibility.csv`` and whose electricity bus is a zone bus,
:func:`energy.network.regions.zone_buses`) are operated with a linearised unit commitment
(:mod:`energy.optimize.operations`). What the constraints need is kept as data, one record per
plant in ``n.meta["commitment"]`` (saved in ``network.nc``). The rest of Shanxi's fleet keeps
its own daily commitment (``n.meta["daily_commitment"]``, :mod:`energy.optimize.commitment`);
no link is in both.

``link``
    The plant's power link (fuel -> AC); its ``p_nom`` is the fuel capacity ``F`` [MW].
``heat``
    The heat link of an extraction CHP pair (:mod:`energy.network.chp`), or ``None``; the
    boiler minimum then holds for the fuel of both links.
``p_min_pu``
    Minimum stable load of committed capacity [p.u. of fuel capacity].
``start_up_cost``
    Cost per MW of fuel capacity started [CNY/MW] (the table's CNY per MW_el x efficiency).
``must_run_heating``
    Share of the capacity committed in every snapshot of the heating season [p.u.].
``retrofit`` / ``p_min_pu_retrofit``
    The plant's candidate flexibility retrofit (a Link, below) and the minimum load of
    retrofitted capacity [p.u.], or ``None``.

A **flexibility retrofit** is an extendable Link of carrier ``flexibility retrofit`` beside its
plant (same buses and efficiency, ``p_max_pu = 0`` so it never carries energy) whose
``p_nom`` is the plant capacity retrofitted [MW fuel], at most the plant's, at the annualised
retrofit cost. Being a component, it is costed by ``n.statistics.capex``, fixed by the design
check and screened like any candidate.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network.chp import chp_pairs
from energy.network.costs import KW_PER_MW, split_costs
from energy.network.regions import zone_buses

RETROFIT = "flexibility retrofit"
COMMITMENT = "commitment"


def commitment_records(n: pypsa.Network) -> list[dict[str, Any]]:
    """The committed plants of a network (``n.meta["commitment"]``), as they are now.

    Records whose power link is not in the network are left out; a retrofit or heat link that
    was removed (e.g. pruned by :mod:`energy.optimize.screening`) reads as ``None``.
    """
    links = n.links.index
    out = []
    for rec in (n.meta or {}).get(COMMITMENT, []):
        if rec["link"] not in links:
            continue
        rec = dict(rec)
        for key in ("heat", "retrofit"):
            if rec.get(key) is not None and rec[key] not in links:
                rec[key] = None
        out.append(rec)
    return out


def add_thermal_flexibility(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Record the committed plants and add their flexibility retrofits (if switched on).

    Does nothing when ``flexibility.min_load`` is off or for pathways (their daily
    resolution leaves no hours to commit). Call after the thermal fleet, gas turbines and
    district heat (CHP pairs) are on the network and the zone's buses have their location
    (:func:`energy.network.regions.fill_zone_locations`). Only the zone's plants (electricity
    bus in the zone) are committed; links under the neighbour's daily commitment are skipped.

    Parameters
    ----------
    n : pypsa.Network
        The network being built.
    scenario : Scenario
        ``flexibility`` switches, year and discount rate.
    inputs : Inputs
        ``thermal_flexibility.csv`` (per carrier).
    """
    if not scenario.flexibility.min_load or scenario.pathway.mode != "single":
        return
    heat_of = {pair["power"]: pair["heat"] for pair in chp_pairs(n)}
    daily = set((n.meta or {}).get("daily_commitment", {}))
    candidates = n.links[n.links.bus1.isin(zone_buses(n)) & ~n.links.index.isin(list(daily))]
    records = []
    for carrier in sorted(inputs.thermal_flexibility.carrier.unique()):
        par = inputs.flexibility(carrier)
        if "p_min_pu" not in par:
            continue
        for name, link in candidates[candidates.carrier == carrier].iterrows():
            eta = float(link.efficiency)
            rec: dict[str, Any] = {
                "link": str(name), "heat": heat_of.get(name), "carrier": carrier,
                "p_min_pu": par["p_min_pu"],
                "start_up_cost": par.get("start_up_cost", 0.0) * eta,
                "must_run_heating": par.get("must_run_heating", 0.0),
                "retrofit": None, "p_min_pu_retrofit": None,
            }
            if (scenario.flexibility.retrofit and "p_min_pu_retrofit" in par
                    and not link.p_nom_extendable):
                rec["retrofit"] = _add_retrofit(n, scenario, str(name), link, par)
                rec["p_min_pu_retrofit"] = par["p_min_pu_retrofit"]
            records.append(rec)
    meta = dict(n.meta or {})
    meta[COMMITMENT] = records
    n.meta = meta


def _add_retrofit(n: pypsa.Network, scenario: Scenario, plant: str, link: pd.Series,
                  par: dict[str, float]) -> str:
    """Add the candidate retrofit Link of one existing plant; return its name."""
    remaining = float(link.build_year + link.lifetime - scenario.year)
    lifetime = max(1.0, min(par["retrofit_lifetime"], remaining))
    eta = float(link.efficiency)
    name = f"{plant} {RETROFIT}"
    n.add(
        "Link",
        name,
        bus0=link.bus0,
        bus1=link.bus1,
        carrier=RETROFIT,
        efficiency=eta,
        p_nom_extendable=True,
        p_nom_max=float(link.p_nom),
        p_max_pu=0.0,
        capital_cost=split_costs(par["retrofit_investment"] * KW_PER_MW * eta, lifetime, 0.0,
                                 scenario.discount_rate)["capital_cost"],
        build_year=scenario.year,
        lifetime=lifetime,
    )
    return name


def start_up_scale(n: pypsa.Network) -> pd.Series:
    """How many starts a year one start in each snapshot stands for [1/a per start].

    ``objective / stores`` snapshot weighting: 1 at any resolution of a full year, and
    8,760 h / modelled hours when a partial year (``snapshots_limit``) stands for a year.
    """
    w = n.snapshot_weightings
    return (w.objective / w.stores.where(w.stores > 0, 1.0)).rename("scale")


def start_up_costs(n: pypsa.Network) -> pd.Series:
    """Annual start-up cost of each committed plant of a solved network [CNY/a].

    Σ_t scale_t x started_t [MW] x start-up cost [CNY/MW] (:func:`start_up_scale`); empty when
    the network has no commitment or was not solved with it.
    """
    started = n.links_t.get("started")
    records = commitment_records(n)
    if started is None or started.empty or not records:
        return pd.Series(dtype=float)
    cost = pd.Series({r["link"]: r["start_up_cost"] for r in records})
    cost = cost[cost.index.isin(started.columns)]
    scale = start_up_scale(n).reindex(started.index)
    return started[cost.index].mul(scale, axis=0).sum() * cost
