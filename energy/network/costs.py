"""Annualised capital costs, fixed O&M and marginal costs from ``costs.csv`` and ``fuels.csv``.

Conventions (PyPSA 1.4): ``capital_cost`` is the annuity of the investment per unit of nominal
capacity and year, ``fom_cost`` the fixed O&M per unit and year [CNY/MW/a] (or [CNY/MWh/a] for
stores); PyPSA's objective charges ``(capital_cost + fom_cost) x p_nom``. Existing assets
carry fixed O&M only (their investment is sunk): ``capital_cost = 0``. ``marginal_cost`` is
per MWh at the component's first port.

Reported fixed costs (:func:`fixed_cost_table`) charge the annuity on *new* capacity only: an
extendable asset that already exists in part (a line with ``s_nom`` > 0) pays
``capital_cost x (s_nom_opt - s_nom)``, and fixed O&M on all of ``s_nom_opt``.
"""

from __future__ import annotations

import pandas as pd
import pypsa
from pypsa.descriptors import nominal_attrs

from energy.inputs import Inputs

KW_PER_MW = 1000.0
#: PyPSA components with a nominal capacity (and so fixed costs)
FIXED_COST_COMPONENTS = ("Generator", "Link", "Line", "StorageUnit", "Store")


def split_costs(investment: float, lifetime: float, fom_pct: float, discount_rate: float,
                existing: bool = False) -> dict[str, float]:
    """Annuity and fixed O&M of an investment: the one formula behind every fixed cost.

    ``capital_cost = annuity(r, lifetime) x I`` (:func:`pypsa.costs.annuity`; 0 when the asset
    exists, its investment being sunk) and ``fom_cost = fom / 100 x I``.

    Parameters
    ----------
    investment : float
        Overnight investment per unit of capacity [CNY/MW] (or [CNY/MWh]).
    lifetime : float
        Economic lifetime [a].
    fom_pct : float
        Fixed O&M as a share of the investment per year [%/a].
    discount_rate : float
        Real discount rate [p.u.].
    existing : bool
        The asset exists already: no annuity.

    Returns
    -------
    dict
        ``capital_cost`` and ``fom_cost`` [CNY/MW/a], ready to pass to ``n.add``.
    """
    annuity = 0.0 if existing else float(pypsa.costs.annuity(discount_rate, lifetime))
    return {"capital_cost": annuity * investment, "fom_cost": fom_pct / 100.0 * investment}


def investment_costs(inputs: Inputs, technology: str, year: int, discount_rate: float,
                     existing: bool = False, factor: float = 1.0) -> dict[str, float]:
    """:func:`split_costs` of one technology of ``costs.csv``.

    Parameters
    ----------
    inputs : Inputs
        Validated input tables.
    technology : str
        Technology name in ``costs.csv`` (investment in CNY/kW or CNY/kWh).
    year : int
        Cost year (a milestone year).
    discount_rate : float
        Real discount rate [p.u.].
    existing : bool
        The asset exists: fixed O&M only.
    factor : float
        Capacity units per unit of the table's capacity, e.g. a plant's efficiency when the
        Link's ``p_nom`` is its fuel input [p.u.].

    Returns
    -------
    dict
        ``capital_cost`` and ``fom_cost`` [CNY/MW/a] (or [CNY/MWh/a] for energy).
    """
    investment = inputs.cost(technology, "investment", year) * KW_PER_MW * factor
    return split_costs(investment, inputs.cost(technology, "lifetime", year),
                       inputs.cost(technology, "fom", year), discount_rate, existing)


def route_costs(inputs: Inputs, technology: str, capex_per_mw_km: float, length_km: float,
                year: int, discount_rate: float, existing: bool = False) -> dict[str, float]:
    """:func:`split_costs` of 1 MW of a line or pipe over its route [CNY/MW/a].

    Lifetime and FOM come from the technology's rows of ``costs.csv`` (``AC line 500kV``,
    ``heat main``); the per-MW·km investment from the caller (a line's own row in
    ``lines.csv``, or the technology's investment) [CNY/(MW*km)].
    """
    return split_costs(capex_per_mw_km * length_km, inputs.cost(technology, "lifetime", year),
                       inputs.cost(technology, "fom", year), discount_rate, existing)


def vom(inputs: Inputs, technology: str, year: int) -> float:
    """Variable O&M [CNY/MWh of output]; 0 when ``costs.csv`` has no row."""
    c = inputs.costs
    hit = c[(c.technology == technology) & (c.parameter == "vom") & (c.year == year)]
    if hit.empty:
        return 0.0
    inputs.use("costs.csv", hit)
    return float(hit.value.iloc[0])


def _extendable(n: pypsa.Network, c: str) -> pd.Series:
    """Statistics grouper: whether each component's capacity is extendable."""
    static = n.components[c].static
    return static[f"{nominal_attrs[c]}_extendable"].astype(bool).rename("extendable")


def _annual(n: pypsa.Network, frame: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Undo PyPSA's investment-period objective weighting of capex statistics [CNY/a]."""
    if isinstance(frame, pd.DataFrame) and len(n.investment_periods):
        return frame / n.investment_period_weightings.objective.reindex(frame.columns)
    return frame


def fixed_cost_table(n: pypsa.Network,
                     per_asset: bool = False) -> dict[str, pd.Series | pd.DataFrame]:
    """Annual fixed costs of a solved network by component and carrier [CNY/a].

    * ``capex``: annuity on new capacity, ``capital_cost x (p_nom_opt - p_nom)`` for
      extendable assets (``p_nom`` is what exists already: a line's present rating) and
      ``capital_cost x p_nom`` for fixed ones (0 for existing assets; the annuity of assets a
      myopic pathway built in an earlier period) -- PyPSA's ``capex`` minus its
      ``installed_capex`` of extendable assets;
    * ``fom``: fixed O&M on all capacity, ``fom_cost x p_nom_opt`` (PyPSA's ``fom``).

    With investment periods each has one column per period (assets active in it), as annual
    costs (PyPSA's objective weighting divided out).

    Parameters
    ----------
    n : pypsa.Network
        A solved network.
    per_asset : bool, default False
        Index by (component, name) instead of (component, carrier), e.g. to select the
        zone's accounts.

    Returns
    -------
    dict of str to pandas.Series or pandas.DataFrame
        ``{"capex": ..., "fom": ...}`` indexed by (component, carrier) or (component, name).
    """
    s = n.statistics
    kw = {"components": list(FIXED_COST_COMPONENTS), "nice_names": False, "drop_zero": False,
          "groupby": False}
    total = _annual(n, s.capex(**kw))
    built = _annual(n, s.installed_capex(**kw)).reindex(total.index).fillna(0.0)
    extendable = pd.Series(
        [bool(_extendable(n, c).get(name, False)) for c, name in built.index],
        index=built.index, dtype=float)
    capex = total - built.mul(extendable, axis=0)
    fom = s.fom(**kw)
    if per_asset:
        return {"capex": capex, "fom": fom}
    return {"capex": _by_carrier(n, capex), "fom": _by_carrier(n, fom)}


def _by_carrier(n: pypsa.Network, per_asset: pd.Series | pd.DataFrame
                ) -> pd.Series | pd.DataFrame:
    """A per-asset table (component, name) summed by (component, carrier)."""
    carrier = [n.components[c].static.carrier.get(name, "") for c, name in per_asset.index]
    keys = pd.MultiIndex.from_arrays([per_asset.index.get_level_values(0), carrier],
                                     names=["component", "carrier"])
    return per_asset.set_axis(keys, axis=0).groupby(level=["component", "carrier"]).sum()
