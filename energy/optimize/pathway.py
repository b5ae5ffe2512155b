"""Pathways over the milestone years: perfect foresight and myopic.

- *Perfect foresight*: the years' hourly networks are merged into one multi-period network
  (:func:`energy.network.pathway.merge_periods`) and solved at once.
- *Myopic*: one year at a time; what a year builds is carried into the next years as existing
  capacity (retired by age), and it reduces the candidates' remaining potential.

Both report, per period, capacity, cost and emissions, and a discounted total
Σ_p w_p × (annualised capex of active assets + opex) with the same weights
(:func:`energy.network.pathway.objective_weights`), so the two modes are comparable.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.config import Scenario
from energy.inputs import Inputs
from energy.network.build import (
    aggregate,
    build_hourly,
    build_network,
    represent_full_year,
    set_resolution,
)
from energy.network.periods import (
    input_attrs,
    merge_periods,
    rename_pairs,
)
from energy.network.time import segment_features, segment_starts
from energy.optimize import solve_network
from energy.optimize.highs import SolveReport

logger = logging.getLogger(__name__)


def year_scenario(scenario: Scenario, year: int) -> Scenario:
    """The pathway's scenario for one milestone year."""
    return scenario.model_copy(update={"year": year})


def aggregate_years(hourly: dict[int, pypsa.Network], scenario: Scenario,
                    shared: bool = True) -> dict[int, pypsa.Network]:
    """Each year's hourly network at the scenario's resolution (the hourly ones unchanged).

    Parameters
    ----------
    hourly : dict of int to pypsa.Network
        One hourly network per milestone year.
    scenario : Scenario
        Supplies ``resolution`` and ``segment_representation``.
    shared : bool
        ``seg<N>`` only: one segmentation of the weather year for all years, found on the
        hourly series of all of them side by side (PyPSA 1.4's ``segment`` refuses investment
        periods, and :func:`energy.network.periods.merge_periods` needs the same snapshots
        in every period); otherwise each year is segmented on its own series (myopic).

    Returns
    -------
    dict of int to pypsa.Network
        Snapshot weightings carry the hours each snapshot stands for; not yet scaled to a
        full year (:func:`energy.network.build.represent_full_year`).
    """
    years = sorted(hourly)
    starts = None
    if scenario.resolution.startswith("seg") and shared:
        features = np.hstack([segment_features(hourly[y]) for y in years])
        starts = segment_starts(features, int(scenario.resolution[3:]))
    return {y: set_resolution(hourly[y], scenario.resolution,
                              scenario.segment_representation, starts=starts)
            for y in years}


def build_years(scenario: Scenario, inputs: Inputs, profiles: Any) -> dict[int, pypsa.Network]:
    """The hourly network of each milestone year of the pathway (year → network)."""
    return {y: build_hourly(year_scenario(scenario, y), inputs, profiles)
            for y in sorted(scenario.pathway.years)}


def build_perfect_foresight(scenario: Scenario, inputs: Inputs, profiles: Any,
                            hourly: dict[int, pypsa.Network] | None = None) -> pypsa.Network:
    """Build the multi-period network of the pathway at the scenario's resolution.

    Each milestone year's hourly network is brought to the resolution
    (:func:`aggregate_years`: ``seg<N>`` segments the weather year once for all years, so
    every period has the same snapshots, each weighted by its segment's length [h], and keeps
    the day–night cycle the segments resolve) and the years are merged
    (:func:`energy.network.periods.merge_periods`). ``hourly`` (:func:`build_years`) is built
    when not given; coarser than 1 h it is left as it was, for the full-year check.
    """
    if hourly is None:
        hourly = build_years(scenario, inputs, profiles)
    n = merge_periods(aggregate_years(hourly, scenario), scenario.discount_rate)
    represent_full_year(n)
    return n


def _fix(static: pd.DataFrame, attr: str) -> pd.DataFrame:
    fixed = static.copy()
    fixed[attr] = fixed[f"{attr}_opt"]
    fixed[f"{attr}_extendable"] = False
    fixed[f"{attr}_min"] = 0.0
    fixed[f"{attr}_max"] = np.inf
    return fixed


def add_brownfield(n: pypsa.Network, previous: pypsa.Network, year: int) -> None:
    """Carry capacity built in ``previous`` into ``n`` as existing assets.

    Each extendable asset of ``previous`` that was built (> 1e-3 MW or MWh) and is still within
    its lifetime in ``year`` is added as a fixed asset named ``"<name> <build_year>"`` with the
    custom attribute ``candidate`` = its candidate's name; the candidate's remaining potential
    in ``n`` shrinks by the same amount. Lines keep their expanded rating.
    """
    for c in ("Generator", "Link", "Store", "StorageUnit"):
        attr = nominal_attrs[c]
        old = previous.components[c].static
        if old.empty:
            continue
        built = old[old[f"{attr}_extendable"] & (old[f"{attr}_opt"] > 1e-3)]
        built = built[built.build_year + built.lifetime > year]
        if built.empty:
            continue
        fixed = _fix(built, attr)
        fixed["candidate"] = fixed.index
        names = [f"{name} {int(row.build_year)}" for name, row in fixed.iterrows()]
        d = n.components[c].defaults
        cols = [col for col in fixed.columns if col in input_attrs(n, c) or col == "candidate"]
        kwargs = {col: fixed[col].to_numpy() for col in cols}
        n.add(c, names, **kwargs)
        new = n.components[c]
        for attr_t in [a for a in d.index[d.varying] if a in previous.components[c].dynamic]:
            source = previous.components[c].dynamic[attr_t]
            mine = new.dynamic[attr_t] if attr_t in new.dynamic else pd.DataFrame(index=n.snapshots)
            for old_name, new_name in zip(fixed.index, names, strict=True):
                if old_name in mine.columns:  # same candidate this year: its own profile
                    new.dynamic[attr_t][new_name] = mine[old_name]
                elif old_name in source.columns and source.index.equals(n.snapshots):
                    new.dynamic[attr_t][new_name] = source[old_name]
        static = new.static
        for old_name in fixed.index:
            if old_name in static.index and static.at[old_name, f"{attr}_extendable"]:
                room = static.at[old_name, f"{attr}_max"] - fixed.at[old_name, attr]
                static.loc[old_name, f"{attr}_max"] = max(0.0, float(room))
        if c == "Link":
            mapping = dict(zip(fixed.index, names, strict=True))
            carried = [r for r in (previous.meta or {}).get("chp", []) if r["power"] in mapping]
            if carried:
                meta = dict(n.meta or {})
                meta["chp"] = [*meta.get("chp", []),
                               *rename_pairs(carried, mapping, extendable=False)]
                n.meta = meta
    lines = previous.lines
    for name in lines.index.intersection(n.lines.index):
        n.lines.loc[name, ["s_nom", "s_nom_min"]] = float(lines.at[name, "s_nom_opt"])


def solve_pathway(scenario: Scenario, inputs: Inputs, profiles: Any,
                  hourly: dict[int, pypsa.Network] | None = None
                  ) -> tuple[dict[int, pypsa.Network] | pypsa.Network, list[SolveReport]]:
    """Solve the pathway in the scenario's mode.

    ``hourly`` (:func:`build_years`), when given, is what the periods are built from instead
    of building each year again; coarser than 1 h it stays as it was (the full-year check of
    :func:`energy.optimize.pathway_check.check_periods` dispatches it).

    Returns
    -------
    tuple
        The solved multi-period network (perfect foresight) or a dict year → solved network
        (myopic), and the solve reports.
    """
    years = sorted(scenario.pathway.years)
    if scenario.pathway.mode == "perfect_foresight":
        n = build_perfect_foresight(scenario, inputs, profiles, hourly)
        return n, [solve_network(n, scenario)]
    solved: dict[int, pypsa.Network] = {}
    reports = []
    previous = None
    for y in years:
        scenario_y = year_scenario(scenario, y)
        n = (build_network(scenario_y, inputs, profiles) if hourly is None
             else aggregate(hourly[y], scenario_y))
        n.meta["year"] = y
        if previous is not None:
            add_brownfield(n, previous, y)
        reports.append(solve_network(n, scenario_y))
        solved[y] = previous = n
    return solved, reports
