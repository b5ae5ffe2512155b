"""Plan against actual: per indicator the targets, the reported values, the model and a status.

Status of an indicator (its ``direction`` says whether the target is a floor, ``min``, or a
ceiling, ``max``):

- ``no target``: reported values but no target;
- ``no data``: a target but no reported value;
- ``on track``: the latest reported value already meets the next target, or the recent annual
  change (over the reported values of the last :data:`RECENT_YEARS` years) is at least the
  change per year still needed to reach it;
- ``behind``: otherwise (also with a single reported value that does not meet the target: no
  reported progress counts as none).

The next target is the earliest target not yet met in or after the latest reported year (if
every target lies before it, the latest target, judged against the reported value then).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

RECENT_YEARS = 5

#: (model unit, indicator unit) -> factor
CONVERSIONS = {
    ("MW", "GW"): 1e-3, ("GW", "MW"): 1e3, ("MWh/yr", "TWh/yr"): 1e-6,
    ("MWh/yr", "GWh/yr"): 1e-3, ("Mm3/yr", "bcm/yr"): 1e-3, ("bcm/yr", "Mm3/yr"): 1e3,
    ("t CO2/yr", "Mt CO2/yr"): 1e-6, ("CNY/yr", "bn CNY/yr"): 1e-9,
}

STATUS_ORDER = {"behind": 0, "no data": 1, "on track": 2, "no target": 3}
COLOURS = {"on track": "#2e9d4f", "behind": "#d62728", "no data": "#9a9a9a",
           "no target": "#c8c8c8"}


def convert(values: pd.Series, unit: str, target_unit: str) -> pd.Series | None:
    """Values in ``target_unit``, or None when the units are not convertible."""
    if unit == target_unit:
        return values.astype(float)
    factor = CONVERSIONS.get((unit, target_unit))
    return None if factor is None else values.astype(float) * factor


@dataclass
class Indicator:
    """One monitored indicator and its assessment (values in the indicator's ``unit``)."""

    indicator_id: str
    name: str
    region: str
    variable: str
    unit: str
    direction: str
    targets: pd.DataFrame
    actuals: pd.DataFrame
    model: pd.DataFrame
    status: str = "no data"
    next_year: int | None = None
    next_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    needed_per_year: float | None = None
    recent_per_year: float | None = None
    shortfall: float = 0.0

    @property
    def sign(self) -> float:
        """+1 for a floor (``min``), -1 for a ceiling (``max``)."""
        return -1.0 if self.direction == "max" else 1.0


def _met(ind: Indicator, value: float, target: float) -> bool:
    return ind.sign * (value - target) >= -1e-9


def _recent_rate(actuals: pd.DataFrame) -> float | None:
    if len(actuals) < 2:
        return None
    latest = actuals.iloc[-1]
    window = actuals[actuals.year >= latest.year - RECENT_YEARS]
    first = window.iloc[0] if len(window) >= 2 else actuals.iloc[-2]
    span = float(latest.year - first.year)
    return None if span <= 0 else float(latest.value - first.value) / span


def assess(ind: Indicator) -> Indicator:
    """Fill in the status, next target, needed and recent change per year of an indicator."""
    targets = ind.targets.sort_values("year")
    actuals = ind.actuals.sort_values("year")
    if targets.empty:
        ind.status = "no target"
        return ind
    if actuals.empty:
        ind.status = "no data"
        ind.next_year, ind.next_value = int(targets.year.iloc[0]), float(targets.value.iloc[0])
        return ind
    latest = actuals.iloc[-1]
    ind.latest_year, ind.latest_value = int(latest.year), float(latest.value)
    ahead = targets[targets.year >= ind.latest_year]
    pending = ahead[[not _met(ind, ind.latest_value, v) for v in ahead.value]]
    if len(pending):
        target = pending.iloc[0]
    elif len(ahead):
        target = ahead.iloc[-1]
    else:  # every target lies in the past: judge the latest one by the value reported then
        target = targets.iloc[-1]
    ind.next_year, ind.next_value = int(target.year), float(target.value)
    ind.recent_per_year = _recent_rate(actuals)
    if _met(ind, ind.latest_value, ind.next_value):
        ind.status, ind.needed_per_year = "on track", 0.0
        return ind
    years = ind.next_year - ind.latest_year
    gap = ind.next_value - ind.latest_value
    ind.needed_per_year = gap / years if years > 0 else None
    recent = ind.recent_per_year or 0.0
    if ind.needed_per_year is None:  # target year reached and missed
        ind.status, ind.shortfall = "behind", 1.0
        return ind
    ratio = recent / ind.needed_per_year  # both positive (floor) or negative (ceiling)
    ind.status = "on track" if ratio >= 1.0 else "behind"
    ind.shortfall = float(min(max(1.0 - ratio, 0.0), 1.0))
    return ind


def indicators(plan: pd.DataFrame, actuals: pd.DataFrame, iamc: pd.DataFrame) -> list[Indicator]:
    """Every indicator of the plan and the statistics, assessed, the furthest behind first.

    Parameters
    ----------
    plan, actuals : DataFrame
        Rows of ``targets.csv`` and ``actuals.csv`` as recorded in the store.
    iamc : DataFrame
        The model's data points (scenario, region, variable, unit, year, value); the rows of
        an indicator's region and variable, converted to its unit, are its model pathway.

    Returns
    -------
    list of Indicator
        Sorted by status (behind, no data, on track, no target), then by shortfall.
    """
    out = []
    ids = list(dict.fromkeys([*plan.indicator_id, *actuals.indicator_id]))
    for ind_id in ids:
        t = plan[plan.indicator_id == ind_id]
        a = actuals[actuals.indicator_id == ind_id]
        first = (t if len(t) else a).iloc[0]
        model = iamc[(iamc.region == first.region) & (iamc.variable == first.variable)]
        rows = []
        for unit, grp in model.groupby("unit"):
            values = convert(grp.value, str(unit), str(first.unit))
            if values is not None:
                rows.append(grp.assign(value=values, unit=first.unit))
        model = (pd.concat(rows, ignore_index=True) if rows
                 else pd.DataFrame(columns=["scenario", "year", "value"]))
        direction = str(t.direction.iloc[0]) if len(t) and "direction" in t else "min"
        out.append(assess(Indicator(
            ind_id, str(first.indicator), str(first.region), str(first.variable),
            str(first.unit), direction, t.reset_index(drop=True), a.reset_index(drop=True),
            model[["scenario", "year", "value"]].reset_index(drop=True))))
    return sorted(out, key=lambda i: (STATUS_ORDER[i.status], -i.shortfall, i.indicator_id))
