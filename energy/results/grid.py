"""The network as a map: buses with coordinates and branches with rating, expansion and loading.

Written into every single-year run folder (``grid_buses.csv``, ``grid_branches.csv``) so the
results store and the dashboard can draw the grid without reading ``network.nc``.

- ``grid_buses.csv``: bus, carrier, location, x [°E], y [°N], v_nom [kV] — electricity (AC)
  buses only.
- ``grid_branches.csv``: branch, kind (``line`` | ``corridor``), carrier, bus0, bus1,
  s_nom [MW] (existing rating), s_nom_opt [MW] (optimal rating), expanded [MW],
  mean_loading, max_loading [p.u. of the optimal rating, |flow| weighted by snapshot weights].
  ``corridor`` rows are the links whose two ends are electricity buses (the export corridor
  to Xiong'an), reported by their sending capacity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

BUS_COLUMNS = ["bus", "carrier", "location", "x", "y", "v_nom"]
BRANCH_COLUMNS = ["branch", "kind", "carrier", "bus0", "bus1", "s_nom", "s_nom_opt", "expanded",
                  "mean_loading", "max_loading"]


def _loading(flow: pd.DataFrame, rating: pd.Series, weights: pd.Series) -> tuple[pd.Series,
                                                                                 pd.Series]:
    """Weighted mean and max of |flow| / rating [p.u.]; 0 where the rating is 0."""
    if flow.empty or rating.empty:
        zero = pd.Series(0.0, index=rating.index)
        return zero, zero
    flow = flow.reindex(columns=rating.index).fillna(0.0).abs()
    safe = rating.replace(0.0, np.nan)
    mean = flow.multiply(weights, axis=0).sum() / float(weights.sum()) / safe
    peak = flow.max() / safe
    return mean.fillna(0.0), peak.fillna(0.0)


def grid_tables(n: pypsa.Network) -> dict[str, pd.DataFrame]:
    """``grid_buses`` and ``grid_branches`` of a solved single-period network.

    Parameters
    ----------
    n : pypsa.Network
        A solved network.

    Returns
    -------
    dict of str to DataFrame
        ``{"grid_buses": ..., "grid_branches": ...}`` with :data:`BUS_COLUMNS` and
        :data:`BRANCH_COLUMNS`.
    """
    buses = n.buses[n.buses.carrier == "AC"]
    location = buses["location"] if "location" in buses else pd.Series("", index=buses.index)
    bus_table = pd.DataFrame({
        "bus": buses.index, "carrier": buses.carrier.to_numpy(),
        "location": location.fillna("").astype(str).to_numpy(),
        "x": buses.x.to_numpy(), "y": buses.y.to_numpy(), "v_nom": buses.v_nom.to_numpy(),
    })
    w = n.snapshot_weightings.generators
    lines = n.lines
    mean, peak = _loading(n.lines_t.p0, lines.s_nom_opt, w)
    line_rows = pd.DataFrame({
        "branch": lines.index, "kind": "line", "carrier": lines.carrier.to_numpy(),
        "bus0": lines.bus0.to_numpy(), "bus1": lines.bus1.to_numpy(),
        "s_nom": lines.s_nom.to_numpy(), "s_nom_opt": lines.s_nom_opt.to_numpy(),
        "mean_loading": mean.reindex(lines.index).to_numpy(),
        "max_loading": peak.reindex(lines.index).to_numpy(),
    })
    links = n.links
    ac = buses.index
    corridor = links[links.bus0.isin(ac) & links.bus1.isin(ac)]
    mean, peak = _loading(n.links_t.p0, corridor.p_nom_opt, w)
    link_rows = pd.DataFrame({
        "branch": corridor.index, "kind": "corridor", "carrier": corridor.carrier.to_numpy(),
        "bus0": corridor.bus0.to_numpy(), "bus1": corridor.bus1.to_numpy(),
        "s_nom": corridor.p_nom.to_numpy(), "s_nom_opt": corridor.p_nom_opt.to_numpy(),
        "mean_loading": mean.reindex(corridor.index).to_numpy(),
        "max_loading": peak.reindex(corridor.index).to_numpy(),
    })
    frames = [f for f in (line_rows, link_rows) if not f.empty]
    branches = (pd.concat(frames, ignore_index=True) if frames
                else pd.DataFrame(columns=BRANCH_COLUMNS))
    branches["expanded"] = (branches.s_nom_opt - branches.s_nom).clip(lower=0.0)
    branches = branches.round({"s_nom": 1, "s_nom_opt": 1, "expanded": 1, "mean_loading": 4,
                               "max_loading": 4})
    return {"grid_buses": bus_table[BUS_COLUMNS], "grid_branches": branches[BRANCH_COLUMNS]}
