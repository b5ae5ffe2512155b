"""Annualised capital costs and marginal costs from ``costs.csv`` and ``fuels.csv``.

Conventions (PyPSA): ``capital_cost`` is per unit of nominal capacity and year [CNY/MW/a]
(or [CNY/MWh/a] for stores); ``marginal_cost`` is per MWh at the component's first port.
"""

from __future__ import annotations

import pypsa

from energy.inputs import Inputs

KW_PER_MW = 1000.0


def annual_cost_factor(lifetime: float, fom_pct: float, discount_rate: float) -> float:
    """Share of an investment paid each year: annuity plus fixed O&M [1/a].

    ``annuity(r, lifetime) + fom / 100`` with PyPSA's :func:`pypsa.costs.annuity`: the one
    formula behind every annualised cost of the model (technologies, lines, the export
    corridor, heat mains); multiply by the investment per unit of capacity.

    Parameters
    ----------
    lifetime : float
        Economic lifetime [a].
    fom_pct : float
        Fixed O&M as a share of the investment per year [%/a].
    discount_rate : float
        Real discount rate [p.u.].

    Returns
    -------
    float
        [1/a].
    """
    return float(pypsa.costs.annuity(discount_rate, lifetime)) + fom_pct / 100.0


def annualised_investment(
    inputs: Inputs, technology: str, year: int, discount_rate: float
) -> float:
    """Annualised investment plus fixed O&M of one technology of ``costs.csv``.

    :func:`annual_cost_factor` × investment × 1000 (investment in CNY/kW or CNY/kWh in
    ``costs.csv``).

    Parameters
    ----------
    inputs : Inputs
        Validated input tables.
    technology : str
        Technology name in ``costs.csv``.
    year : int
        Cost year (a milestone year).
    discount_rate : float
        Real discount rate [p.u.].

    Returns
    -------
    float
        Annualised cost [CNY/MW/a] (or [CNY/MWh/a] for energy).
    """
    factor = annual_cost_factor(inputs.cost(technology, "lifetime", year),
                                inputs.cost(technology, "fom", year), discount_rate)
    return factor * inputs.cost(technology, "investment", year) * KW_PER_MW


def fixed_om(inputs: Inputs, technology: str, year: int) -> float:
    """Fixed O&M of an existing asset whose investment is sunk [CNY/MW/a]."""
    investment = inputs.cost(technology, "investment", year)
    return inputs.cost(technology, "fom", year) / 100.0 * investment * KW_PER_MW


def route_capital_cost(inputs: Inputs, technology: str, capex_per_mw_km: float,
                       length_km: float, year: int, discount_rate: float) -> float:
    """Annualised cost of 1 MW of a line or pipe over its route [CNY/MW/a].

    Lifetime and FOM come from the technology's rows of ``costs.csv`` (``AC line 500kV``,
    ``heat main``); the per-MW·km investment from the caller (a line's own row in
    ``lines.csv``, or the technology's investment) [CNY/(MW*km)].
    """
    factor = annual_cost_factor(inputs.cost(technology, "lifetime", year),
                                inputs.cost(technology, "fom", year), discount_rate)
    return factor * capex_per_mw_km * length_km


def vom(inputs: Inputs, technology: str, year: int) -> float:
    """Variable O&M [CNY/MWh of output]; 0 when ``costs.csv`` has no row."""
    c = inputs.costs
    hit = c[(c.technology == technology) & (c.parameter == "vom") & (c.year == year)]
    if hit.empty:
        return 0.0
    inputs.use("costs.csv", hit)
    return float(hit.value.iloc[0])
