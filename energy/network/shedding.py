"""Load shedding at the value of lost load: how a network shows demand it cannot serve."""

from __future__ import annotations

import pandas as pd
import pypsa

from energy.carriers import shedding_carrier
from energy.config import Scenario


def shedding_generators(n: pypsa.Network) -> pd.Index:
    """The load-shedding generators of ``n`` (carrier with the registry role ``unserved``)."""
    return n.generators.index[n.generators.carrier == shedding_carrier()]


def add_load_shedding(n: pypsa.Network, scenario: Scenario) -> None:
    """Add load shedding at the value of lost load at every bus with load (if enabled).

    Buses that have it already (a 2025 network, which cannot invest, is built with it) keep
    theirs.
    """
    if not scenario.load_shedding.enabled:
        return
    peak = n.loads_t.p_set.max().groupby(n.loads.bus).sum()
    peak = peak[~peak.index.isin(n.generators.bus[shedding_generators(n)])]
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
