"""Policy constraints on the linopy model, one small function each.

Every function takes the network while its linopy model (``n.model``) is being built and the
scenario; it adds named constraints only when its policy is switched on, so a loose or absent
policy changes nothing. Components are selected by carrier and bus (zone buses only, see
:mod:`energy.optimize.terms`), never by name. Energies are weighted by
``n.snapshot_weightings.generators`` so they are annual [MWh/a]. The reserve margin is in
:mod:`energy.optimize.reserve_margin`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import renewable_carriers
from energy.config import Scenario
from energy.network.export import clean_sources
from energy.network.regions import zone_buses
from energy.optimize.reserve_margin import add_reserve_margin
from energy.optimize.terms import (
    corridor_export,
    electricity_load,
    generation,
    periods,
    storage_net_output,
    suffix,
    weights,
)

__all__ = ["add_export_clean_share", "add_potential_groups", "add_renewable_share",
           "apply_policies", "electricity_load", "zone_renewables"]


def zone_renewables(n: pypsa.Network) -> pd.Index:
    """Wind and solar generators at zone buses (renewable carriers of the registry)."""
    g = n.generators
    return g.index[g.carrier.isin(renewable_carriers()) & g.bus.isin(zone_buses(n))]


def _contracted_share(scenario: Scenario) -> float:
    """Share of the corridor's input contracted as clean energy (0 when export is off)."""
    cfg = scenario.export
    return cfg.clean_share if cfg.enabled else 0.0


def add_renewable_share(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    r"""Local renewable share, net of what is contracted to the export corridor (annual).

    .. math::

        \sum_t w_t \sum_{g \in RES} p_{g,t} - c \sum_t w_t e_t
        \ge s \sum_t w_t L_t

    with ``RES`` the zone's wind and solar generators, ``e_t`` the energy sent into the
    export corridor [MW], ``c`` = ``export.clean_share`` (the part of it contracted as clean;
    0 without export), ``s`` = ``policy.min_renewable_share`` and ``L_t`` the zone's
    electricity load [MW] (:func:`energy.optimize.terms.electricity_load`). The corridor's clean
    energy therefore cannot count toward both targets. One constraint per investment period
    (``policy-renewable_share[-<period>]``); none when the share is null.

    Parameters
    ----------
    n : pypsa.Network
        Network whose linopy model is being built.
    snapshots : pandas.Index
        The optimisation's snapshots.
    scenario : Scenario
        ``policy.min_renewable_share`` and the ``export`` section.
    """
    share = scenario.policy.min_renewable_share
    if share is None:
        return
    res = zone_renewables(n)
    contracted = _contracted_share(scenario)
    for period, sns in periods(n, snapshots):
        w = weights(n, sns)
        consumption = float((electricity_load(n, sns) * w.to_pandas()).sum())
        supply = generation(n, res, sns, period)
        if supply is None:
            raise ValueError("min_renewable_share: the zone has no wind or solar generator")
        lhs = (supply * w).sum()
        exported = corridor_export(n, sns, period)
        if contracted > 0 and exported is not None:
            lhs = lhs - contracted * (exported * w).sum()
        n.model.add_constraints(lhs >= share * consumption,
                                name=f"policy-renewable_share{suffix(period)}")


def add_export_clean_share(n: pypsa.Network, snapshots: pd.Index, scenario: Scenario) -> None:
    r"""Clean share of the export, met by wind and solar contracted to the corridor.

    Annual matching (``export.matching = "annual"``), per investment period:

    .. math:: c \sum_t w_t e_t \le \sum_t w_t \sum_{g \in G} p_{g,t}

    hourly matching (``"hourly"``), in every snapshot: :math:`c \, e_t \le \sum_{g \in G}
    p_{g,t} + \sum_s (d_{s,t} - r_{s,t})`, where the zone's electricity storage may shift
    clean energy: its discharge ``d`` counts and its charging ``r`` must then be covered by
    eligible generation in the hour it happens
    (:func:`energy.optimize.terms.storage_net_output`); with ``e_t`` the energy sent into the
    corridor [MW], ``c`` =
    ``export.clean_share`` and ``G`` the eligible generators
    (:func:`energy.network.export.clean_sources`; ``export.clean_sources = "new"``: only
    wind and solar the model builds, i.e. additional to the existing fleet). The contracted
    energy ``c e_t`` is deducted from the local renewable share
    (:func:`add_renewable_share`). Equivalent to a contract variable ``0 <= k_{g,t} <= p_{g,t}``
    per generator with ``Σ_g k_{g,t} >= c e_t``: since ``k`` only tightens the local
    share, its optimum is ``Σ_g k = c e``, and projecting ``k`` out leaves these rows.
    Constraint names ``policy-export_clean_share[_hourly][-<period>]``.

    Parameters
    ----------
    n : pypsa.Network
        Network whose linopy model is being built.
    snapshots : pandas.Index
        The optimisation's snapshots.
    scenario : Scenario
        The ``export`` section.
    """
    cfg = scenario.export
    if not cfg.enabled or cfg.clean_share <= 0:
        return
    eligible = clean_sources(n, cfg.clean_sources)
    for period, sns in periods(n, snapshots):
        exported = corridor_export(n, sns, period)
        if exported is None:
            continue
        clean = generation(n, eligible, sns, period)
        if cfg.matching == "hourly" and clean is not None:
            shifted = storage_net_output(n, sns, period)
            clean = clean if shifted is None else clean + shifted
        # without any eligible generator the rows read c e_t <= 0: the export obligation
        # then makes the model infeasible (exit code 3), which is the honest answer
        lhs = cfg.clean_share * exported if clean is None else cfg.clean_share * exported - clean
        if cfg.matching == "hourly":
            n.model.add_constraints(lhs <= 0,
                                    name=f"policy-export_clean_share_hourly{suffix(period)}")
        else:
            n.model.add_constraints((lhs * weights(n, sns)).sum() <= 0,
                                    name=f"policy-export_clean_share{suffix(period)}")


def add_potential_groups(n: pypsa.Network) -> None:
    r"""In a pathway, the build-year variants of one candidate share its potential [MW].

    :math:`\sum_{y} P_{k,y} \le \bar P_k` for every candidate ``k`` with variants built in
    years ``y``. Variants carry the custom attribute ``candidate`` (see
    :mod:`energy.network.periods`).
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
