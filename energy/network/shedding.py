"""Load shedding at the value of lost load: how a network shows demand it cannot serve."""

from __future__ import annotations

import pypsa

from energy.carriers import shedding_carrier
from energy.config import Scenario


def add_load_shedding(n: pypsa.Network, scenario: Scenario) -> None:
    """Add load shedding at the value of lost load at every bus with load (if enabled).

    Buses that have it already (a 2025 network, which cannot invest, is built with it) keep
    theirs.
    """
    if not scenario.load_shedding.enabled:
        return
    peak = n.loads_t.p_set.max().groupby(n.loads.bus).sum()
    g = n.generators
    peak = peak[~peak.index.isin(g.bus[g.carrier == shedding_carrier()])]
    if peak.empty:
        return
    n.add(
        "Generator",
        peak.index + " load shedding",
        bus=peak.index,
        carrier=shedding_carrier(),
        p_nom=peak.to_numpy(),
        marginal_cost=scenario.load_shedding.voll_cny_per_mwh,
    )
