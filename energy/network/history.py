"""Past years: which year's assets a run holds, and no investment in history.

A milestone year before ``scenario.first_investment_year`` (2025 by default) is history: the
network holds what existed (and what was under construction where known), every candidate is
removed, and load shedding is on so that a shortfall shows as unserved energy. ``validate``
goes further back with ``scenario.statistics_year`` (e.g. 2023): fleet, lines, zone demand
and the neighbour's data are those of that year, prices those of the milestone year.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.config import Scenario
from energy.inputs import InputError, Inputs

logger = logging.getLogger(__name__)


def asset_year(scenario: Scenario) -> int:
    """The year whose assets and demand the network holds (statistics year or milestone)."""
    return int(scenario.statistics_year or scenario.year)


def in_service(plants: pd.DataFrame, year: int) -> pd.Series:
    """Plants of ``plants.csv`` in service in ``year`` [bool].

    ``build_year <= year < build_year + lifetime_years``: retired by age from then on.
    """
    return (plants.build_year <= year) & (plants.build_year + plants.lifetime_years > year)


def is_history(scenario: Scenario) -> bool:
    """Whether the run's year is history (no candidates may be built)."""
    return asset_year(scenario) < scenario.first_investment_year


def zone_demand_mwh(inputs: Inputs, year: int) -> float:
    """The zone's annual electricity demand in ``year`` [MWh/a].

    Milestone years: the sum of ``demand.csv``. Other years: log-linear inter- or
    extrapolation between the two nearest milestone years (before 2025: the 2025-2030 growth
    rate carried backwards, e.g. 2023 = 34 TWh / 1.038^2 = 31.6 TWh, cf. the fact base's
    31 TWh estimate for 2023).
    """
    totals = inputs.demand.groupby("year").annual_mwh.sum()
    totals.index = totals.index.astype(int)
    if year in totals.index:
        return float(totals[year])
    years = sorted(totals.index)
    if len(years) < 2:
        raise InputError(f"demand.csv: need two milestone years to extrapolate to {year}")
    pairs = list(zip(years, years[1:], strict=False))
    inside = [(a, b) for a, b in pairs if a <= year <= b]
    lo, hi = inside[0] if inside else (pairs[0] if year < years[0] else pairs[-1])
    rate = np.log(totals[hi] / totals[lo]) / (hi - lo)
    return float(totals[lo] * np.exp(rate * (year - lo)))


def hold_history(n: pypsa.Network, scenario: Scenario) -> list[str]:
    """Remove every candidate of a history year and fix extendable existing assets, in place.

    Candidates are the extendable components built in the scenario year (every builder tags
    new assets with ``build_year = scenario.year``); extendable existing assets (lines with
    ``s_nom_min``) are fixed at their existing size; zero-cost unbounded supplies (fuel
    markets) stay as they are. CHP pairing records and capacity-expansion limits of removed
    assets go too.

    Returns
    -------
    list of str
        Names of the removed candidates.
    """
    removed: list[str] = []
    for c, attr in nominal_attrs.items():
        static = n.components[c].static
        if static.empty:
            continue
        ext = static[static[f"{attr}_extendable"]]
        if ext.empty:
            continue
        new = ext.index[ext.build_year == scenario.year] if c != "Line" else ext.index[:0]
        if len(new):
            n.remove(c, new)
            removed += list(new)
        static = n.components[c].static
        keep = static.index[static[f"{attr}_extendable"] & (static[f"{attr}_min"] > 0)]
        if len(keep) or c == "Line":
            fix = keep if c != "Line" else static.index[static[f"{attr}_extendable"]]
            static.loc[fix, attr] = static.loc[fix, [attr, f"{attr}_min"]].max(axis=1)
            static.loc[fix, f"{attr}_extendable"] = False
    gone = set(removed)
    meta = dict(n.meta or {})
    if meta.get("chp"):
        meta["chp"] = [r for r in meta["chp"] if r["power"] not in gone and r["heat"] not in gone]
        n.meta = meta
    gc = n.global_constraints
    limits = gc.index[gc.type.str.startswith("tech_capacity_expansion")]
    if len(limits):
        n.remove("GlobalConstraint", limits)
    attached: set[str] = set()
    for c in n.components:
        if c.static.empty or c.name == "Bus":
            continue
        for col in [k for k in c.static.columns if k == "bus" or
                    (k.startswith("bus") and k[3:].isdigit())]:
            attached |= set(c.static[col])
    empty = n.buses.index.difference(pd.Index(sorted(attached)))
    if len(empty):  # buses of removed candidates (batteries) or not yet connected
        n.remove("Bus", empty)
    if removed:
        logger.info("%d is history: no investment (%d candidates removed)",
                    asset_year(scenario), len(removed))
    return removed
