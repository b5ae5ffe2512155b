"""Daily commitment of aggregated thermal fleets: a linear stand-in for unit commitment.

For each Link of ``n.meta["daily_commitment"]`` (the rest of Shanxi's coal tranches, with
their minimum stable output ``m`` [p.u.]) a variable ``c_d`` [MW of fuel input] is the
capacity kept online on day ``d`` (at most ``p_nom × p_max_pu``), and in every snapshot t of
that day

    m · c_d  ≤  p_t  ≤  c_d .

Units kept on for the evening peak therefore run at least ``m`` of their rating through the
night and the sunny midday: the mechanism behind low midday prices, curtailment and the
value of storage in a coal-heavy grid, which a plain merit order (any output from 0 to the
rating in every hour) misses. There is no start-up cost: committing is free, staying on is
what binds. Days are calendar days of the snapshots (per investment period); segments keep
their start day. Variables: one per unit and day; rows: two per unit and snapshot.
"""

from __future__ import annotations

import pandas as pd
import pypsa
import xarray as xr

NAME = "commitment-daily"


def day_labels(snapshots: pd.Index) -> list[str]:
    """The day (``"YYYY-MM-DD"``, prefixed by the period in a pathway) of each snapshot."""
    if isinstance(snapshots, pd.MultiIndex):
        return [f"{period}-{ts:%Y-%m-%d}" for period, ts in snapshots]
    return [f"{ts:%Y-%m-%d}" for ts in pd.DatetimeIndex(snapshots)]


def add_daily_commitment(n: pypsa.Network, snapshots: pd.Index) -> None:
    """Add the daily-commitment variables and constraints (nothing without units)."""
    units = (n.meta or {}).get("daily_commitment", {})
    names = [u for u in units if u in n.links.index and not n.links.at[u, "p_nom_extendable"]]
    if not names:
        return
    m = n.model
    p = m["Link-p"].loc[snapshots, names]
    dim = [d for d in p.dims if d != "snapshot"][0]
    labels = day_labels(snapshots)
    days = pd.Index(sorted(set(labels)), name="day")
    links = n.links.loc[names]
    p_max = n.get_switchable_as_dense("Link", "p_max_pu").loc[snapshots, names].max()
    upper = xr.DataArray((links.p_nom * p_max).to_numpy(), coords={dim: names}, dims=dim)
    c = m.add_variables(lower=0.0, upper=upper, coords=[days, pd.Index(names, name=dim)],
                        name=NAME)
    online = c.sel(day=xr.DataArray(labels, dims="snapshot", coords={"snapshot": snapshots}))
    stable = xr.DataArray([units[u] for u in names], coords={dim: names}, dims=dim)
    m.add_constraints(p - online <= 0, name=f"{NAME}-upper")
    m.add_constraints(p - online * stable >= 0, name=f"{NAME}-lower")
