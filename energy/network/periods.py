"""Multi-period (pathway) networks: several milestone years in one PyPSA network.

:func:`merge_periods` turns one hourly network per milestone year (built by
:func:`energy.network.build.build_hourly`) into a single network with investment periods:

- an asset that exists in several years keeps one name; PyPSA activates it from its
  ``build_year`` for ``lifetime`` years, so plants retire by age and new lines appear on time;
  attributes that differ between years (fuel prices, loads ...) become per-period time series;
- a *candidate* (extendable, built in that year) becomes one asset per build year, named
  ``"<name> <year>"`` and costed at that year's prices; the custom attribute ``candidate`` keeps
  the original name so that :func:`energy.policy.add_potential_groups` can cap the sum of its
  build-year variants at the site's potential;
- an asset with an annual energy limit (``e_sum_min/e_sum_max``) and the Xiong'an offtake (its
  contract differs by year) are per period too (active only in their own period), so the limit
  and the delivery schedule stay those of each year;
- the rest of Shanxi's generators, links and storage (data per milestone year, fixed) are
  per period as well (``"<name> <year>"``, active in their period only); its loads keep one
  name with per-period series, and its daily-commitment records follow the renaming;
- the CO2 cap becomes one constraint per period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.network.export import OFFTAKE
from energy.network.regions import zone_accounts

PERIODIC = ("Carrier", "Bus", "Line", "Load", "Generator", "Link", "Store", "StorageUnit")


def period_years(years: list[int]) -> dict[int, int]:
    """Years each period stands for: the gap to the next milestone (the last repeats the gap)."""
    gaps = np.diff(years).tolist()
    gaps.append(gaps[-1] if gaps else 1)
    return dict(zip(years, (int(g) for g in gaps), strict=True))


def objective_weights(years: list[int], discount_rate: float) -> dict[int, float]:
    """Discounted sum of the years of each period back to the first year [a]."""
    span = period_years(years)
    first = years[0]
    return {
        y: float(sum(1 / (1 + discount_rate) ** (y - first + t) for t in range(span[y])))
        for y in years
    }


def _is_candidate(c: str, static: pd.DataFrame, year: int) -> pd.Series:
    attr = nominal_attrs.get(c)
    if attr is None or c == "Line":
        return pd.Series(False, index=static.index)
    return static[f"{attr}_extendable"] & (static.build_year == year)


def _of_neighbour(n: pypsa.Network, c: str, static: pd.DataFrame) -> pd.Series:
    """Components of the rest of Shanxi that hold per-year data (not loads or buses)."""
    if c in ("Bus", "Carrier", "Load", "Line") or static.empty:
        return pd.Series(False, index=static.index)
    return ~zone_accounts(n, c, static)


def _has_energy_limit(c: str, static: pd.DataFrame) -> pd.Series:
    """Generators bound to their own year: an annual energy limit, or the export contract."""
    if c != "Generator":
        return pd.Series(False, index=static.index)
    contract = static.carrier == OFFTAKE
    return np.isfinite(static.e_sum_max) | np.isfinite(static.e_sum_min) | contract


def input_attrs(n: pypsa.Network, c: str) -> set[str]:
    """Names of a component's input attributes (not results such as ``p_nom_opt``)."""
    d = n.components[c].defaults
    return set(d.index[d.status.astype(str).str.startswith("Input")])


def _varying_inputs(n: pypsa.Network, c: str) -> list[str]:
    d = n.components[c].defaults
    return [a for a in d.index[d.varying] if a in input_attrs(n, c)]


def _per_period(by_name: dict[str, dict[int, pd.Series]], years: list[int],
                snapshots: pd.Index) -> pd.DataFrame:
    """Stack each asset's yearly series into one column over all periods.

    A period an asset is absent from takes the series of the nearest year it is present in
    (the asset is inactive there anyway).
    """
    frames = {}
    for name, by_year in by_name.items():
        have = sorted(by_year)
        parts = [by_year.get(y, by_year[min(have, key=lambda h: abs(h - y))]) for y in years]
        frames[name] = np.concatenate([p.to_numpy(dtype=float) for p in parts])
    return pd.DataFrame(frames, index=snapshots)


def merge_periods(nets: dict[int, pypsa.Network], discount_rate: float) -> pypsa.Network:
    """Merge one hourly network per milestone year into a multi-period network.

    Parameters
    ----------
    nets : dict of int to pypsa.Network
        Networks with identical snapshots and snapshot weightings (hourly, or segmented with the
        same boundaries), keyed by milestone year (ascending).
    discount_rate : float
        For the investment-period objective weightings [p.u.].

    Returns
    -------
    pypsa.Network
        Snapshots ``(period, timestep)``; investment period weightings set.
    """
    years = sorted(nets)
    span = period_years(years)
    timesteps = nets[years[0]].snapshots
    m = pypsa.Network(name=nets[years[-1]].name)
    m.set_snapshots(timesteps)
    m.set_investment_periods(years)
    weights = nets[years[0]].snapshot_weightings
    for y in years[1:]:
        if not nets[y].snapshot_weightings.equals(weights):
            raise ValueError(f"merge_periods: the snapshot weightings of {y} differ from "
                             f"{years[0]}'s (segment every year with the same boundaries)")
    m.snapshot_weightings = pd.DataFrame(np.tile(weights.to_numpy(), (len(years), 1)),
                                         index=m.snapshots, columns=weights.columns)
    m.investment_period_weightings["years"] = pd.Series(span)
    m.investment_period_weightings["objective"] = pd.Series(
        objective_weights(years, discount_rate)
    )
    renamed: dict[int, dict[str, str]] = {y: {} for y in years}
    for c in PERIODIC:
        rows: dict[str, pd.Series] = {}
        series: dict[str, dict[str, dict[int, pd.Series]]] = {}
        for y in years:
            n = nets[y]
            static = n.components[c].static
            if static.empty:
                continue
            limited = _has_energy_limit(c, static) | _of_neighbour(n, c, static)
            own = _is_candidate(c, static, y) | limited
            varying = _varying_inputs(n, c) if c not in ("Bus", "Carrier") else []
            for name, row in static.iterrows():
                new = f"{name} {y}" if own[name] else name
                if own[name] and c == "Link":
                    renamed[y][name] = new
                row = row.copy()
                if own[name]:
                    row["candidate"] = name
                    if limited[name]:
                        row["build_year"], row["lifetime"] = y, span[y]
                rows[new] = row
                for attr in varying:
                    dense = n.get_switchable_as_dense(c, attr, inds=[name])[name]
                    series.setdefault(attr, {}).setdefault(new, {})[y] = dense
        if not rows:
            continue
        static = pd.DataFrame(rows).T
        keep = [col for col in static.columns if col in input_attrs(m, c) or col == "candidate"]
        static = static[keep].infer_objects()
        dynamic: dict[str, pd.DataFrame] = {}
        for attr, by_name in series.items():
            dense = _per_period(by_name, years, m.snapshots)
            constant = dense.nunique() <= 1
            if (~constant).any():
                dynamic[attr] = dense.loc[:, ~constant]
            if attr in static.columns:
                static.loc[dense.columns[constant], attr] = dense.loc[:, constant].iloc[0]
        _add(m, c, static, dynamic)
    _add_period_caps(m, nets, span)
    meta = dict(nets[years[-1]].meta or {})
    pairs: dict[tuple[str, str], dict] = {}
    for y in years:
        for record in rename_pairs((nets[y].meta or {}).get("chp", []), renamed[y]):
            pairs.setdefault((record["power"], record["heat"]), record)
    if pairs:
        meta["chp"] = list(pairs.values())
    commitment = {renamed[y].get(name, name): value for y in years
                  for name, value in (nets[y].meta or {}).get("daily_commitment", {}).items()}
    if commitment:
        meta["daily_commitment"] = commitment
    m.meta = meta
    return m


def rename_pairs(records: list[dict], mapping: dict[str, str],
                 extendable: bool | None = None) -> list[dict]:
    """CHP pairing records (``n.meta["chp"]``) with their link names renamed.

    Parameters
    ----------
    records : list of dict
        Records with ``power`` and ``heat`` link names.
    mapping : dict
        Old link name → new link name; names not in it are kept.
    extendable : bool, optional
        Overwrite the records' ``extendable`` flag (e.g. False for carried-forward plants).
    """
    out = []
    for record in records:
        new = dict(record)
        new["power"] = mapping.get(record["power"], record["power"])
        new["heat"] = mapping.get(record["heat"], record["heat"])
        if extendable is not None:
            new["extendable"] = extendable
        out.append(new)
    return out


def _add(m: pypsa.Network, c: str, static: pd.DataFrame,
         dynamic: dict[str, pd.DataFrame]) -> None:
    m.add(c, static.index, **{col: static[col].to_numpy() for col in static.columns})
    for attr, frame in dynamic.items():
        m.components[c].dynamic[attr] = frame.dropna(axis=1, how="all").astype(float)


def _add_period_caps(m: pypsa.Network, nets: dict[int, pypsa.Network],
                     span: dict[int, int]) -> None:
    """Add one CO2 cap per period.

    PyPSA weights a period's emissions by its years, so the constant is the annual cap × the
    period's years [t CO2].
    """
    for y, n in nets.items():
        gc = n.global_constraints
        for name, row in gc[gc.type == "primary_energy"].iterrows():
            m.add("GlobalConstraint", f"{name} {y}", type=row.type,
                  carrier_attribute=row.carrier_attribute, sense=row.sense,
                  constant=row.constant * span[y], investment_period=y)
        for name, row in gc[gc.type != "primary_energy"].iterrows():
            if name not in m.global_constraints.index:
                m.add("GlobalConstraint", name, **row[["type", "carrier_attribute", "sense",
                                                       "constant"]].to_dict())
