"""What binds: shadow prices of the capacity limits and policy constraints of a solved run.

Read from the linopy model while it is still attached (``n.model`` after the solve); a
re-read ``network.nc`` has no model, and the block is then empty. Signs follow the LP: an
upper limit ``x ≤ b`` in a cost minimisation has a dual ≤ 0; here the *value* of one more
unit of the limit is reported, ``−dual`` ≥ 0.

- ``potentials``: per zone candidate with a finite limit (wind and solar land potentials,
  pumped storage sites, line ratings): limit, optimum, share used and the value of one more
  MW [CNY/(MW·a)] — a site sits at its potential *because land binds* only when that value is
  positive;
- ``co2_cap``: the shadow price of the CO2 cap [CNY/t] (per period in a pathway);
- ``energy_limits``: e.g. the Xiong'an export obligation [CNY/MWh] and the neighbour's
  hydro and flexible-outbound energies;
- ``policies``: every other named constraint of :mod:`energy.optimize.policy` with a nonzero
  dual.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.network.regions import zone_accounts

LIMITS = (("Generator", "p_nom"), ("StorageUnit", "p_nom"), ("Line", "s_nom"),
          ("Link", "p_nom"))
#: |dual| below this is solver noise [CNY per unit]
TOL = 1e-3


def _dual(n: pypsa.Network, name: str) -> pd.Series | None:
    m = getattr(n, "model", None)
    if m is None or name not in m.constraints:
        return None
    try:
        dual = m.constraints[name].dual
    except (AttributeError, KeyError, ValueError):
        return None
    if dual.ndim == 0:  # a single row (an annual cap): to_series() refuses 0-d arrays
        return pd.Series([float(dual)], index=[name])
    return dual.to_series()


def potentials(n: pypsa.Network) -> dict[str, dict[str, float]]:
    """Capacity limits of the zone's candidates and the value of relaxing each [CNY/(MW·a)]."""
    out: dict[str, dict[str, float]] = {}
    for c, attr in LIMITS:
        dual = _dual(n, f"{c}-ext-{attr}-upper")
        if dual is None:
            continue
        static = n.components[c].static
        dual = dual.dropna()
        dual = dual[dual.index.isin(static.index)]
        zone = zone_accounts(n, c).reindex(dual.index).fillna(False).astype(bool)
        for name in dual.index[zone]:
            limit = float(static.at[name, f"{attr}_max"])
            if not np.isfinite(limit) or limit <= 0:
                continue
            opt = float(static.at[name, f"{attr}_opt"])
            out[f"{c}:{name}"] = {"limit_mw": round(limit, 1), "optimal_mw": round(opt, 1),
                                  "share": round(opt / limit, 4),
                                  "value_cny_per_mw_a": round(float(-dual[name]), 1)}
    return out


def _scalar_duals(n: pypsa.Network, prefix: str) -> dict[str, float]:
    m = getattr(n, "model", None)
    if m is None:
        return {}
    out = {}
    for name in m.constraints:
        if not str(name).startswith(prefix):
            continue
        dual = _dual(n, name)
        if dual is None or dual.empty:
            continue
        value = float(dual.abs().sum()) if len(dual) > 1 else float(abs(dual.iloc[0]))
        if value > TOL:
            out[str(name)] = round(value, 3)
    return out


def binding_summary(n: pypsa.Network) -> dict[str, Any]:
    """The ``binding`` block of ``summary.json`` (empty without an attached linopy model)."""
    if getattr(n, "model", None) is None:
        return {}
    energy = {}
    for attr in ("e_sum_min", "e_sum_max"):
        dual = _dual(n, f"Generator-{attr}")
        if dual is not None:
            for name, value in dual.dropna().items():
                if abs(value) > TOL:
                    energy[f"{name} ({attr})"] = round(float(abs(value)), 3)
    co2 = {k: round(v, 2) for k, v in _scalar_duals(n, "co2-cap").items()}
    return {
        "potentials": potentials(n),
        "co2_cap_cny_per_t": co2,
        "energy_limits_cny_per_mwh": energy,
        "policies": _scalar_duals(n, "policy-"),
    }
