"""Extra constraints on the linopy model, one small function each.

Each function takes the network after ``n.optimize.create_model`` (the linopy model is
``n.model``) and adds named constraints. :func:`extra_functionality` is what the solver calls.
"""

from __future__ import annotations

import pandas as pd
import pypsa

from energy.config import Scenario


def tie_battery_power(n: pypsa.Network) -> None:
    """Make each battery's charger and discharger equally large [MW].

    Chargers and dischargers are found by carrier and paired through their shared battery bus
    (the charger's ``bus1`` is the discharger's ``bus0``); no name matching.
    """
    links = n.links
    ext = links[links.p_nom_extendable]
    chargers = ext[ext.carrier == "battery charger"]
    dischargers = ext[ext.carrier == "battery discharger"]
    if chargers.empty:
        return
    pair = pd.Series(dischargers.index, index=dischargers.bus0)
    matched = chargers.bus1.map(pair)
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


def extra_functionality(scenario: Scenario):  # noqa: ANN201
    """Return the ``extra_functionality(n, snapshots)`` callback for a scenario."""

    def _apply(n: pypsa.Network, snapshots) -> None:  # noqa: ANN001
        tie_battery_power(n)

    return _apply
