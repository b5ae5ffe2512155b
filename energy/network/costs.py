"""Annualised capital costs and marginal costs from ``costs.csv`` and ``fuels.csv``.

Conventions (PyPSA): ``capital_cost`` is per unit of nominal capacity and year [CNY/MW/a]
(or [CNY/MWh/a] for stores); ``marginal_cost`` is per MWh at the component's first port.
"""

from __future__ import annotations

import pypsa

from energy.inputs import Inputs

KW_PER_MW = 1000.0


def annualised_investment(
    inputs: Inputs, technology: str, year: int, discount_rate: float
) -> float:
    """Annualised investment plus fixed O&M of one technology.

    ``(annuity(r, lifetime) + fom / 100) * investment * 1000``, with investment in CNY/kW
    (or CNY/kWh, CNY/(MW*km)) from ``costs.csv``.

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
        Annualised cost [CNY/MW/a] (or [CNY/MWh/a] for energy, [CNY/(MW*km)/a]*1000 for lines,
        see :func:`line_capital_cost`).
    """
    investment = inputs.cost(technology, "investment", year)
    lifetime = inputs.cost(technology, "lifetime", year)
    fom = inputs.cost(technology, "fom", year) / 100.0
    return (pypsa.costs.annuity(discount_rate, lifetime) + fom) * investment * KW_PER_MW


def fixed_om(inputs: Inputs, technology: str, year: int) -> float:
    """Fixed O&M of an existing asset whose investment is sunk [CNY/MW/a]."""
    investment = inputs.cost(technology, "investment", year)
    return inputs.cost(technology, "fom", year) / 100.0 * investment * KW_PER_MW


def line_capital_cost(
    inputs: Inputs, capex_cny_per_mw_km: float, length_km: float, year: int, discount_rate: float
) -> float:
    """Annualised cost of 1 MW of line capacity over its length [CNY/MW/a].

    Lifetime and FOM come from the ``AC line 500kV`` rows of ``costs.csv``; the per-MW·km
    investment comes from the line's own row in ``lines.csv``.
    """
    lifetime = inputs.cost("AC line 500kV", "lifetime", year)
    fom = inputs.cost("AC line 500kV", "fom", year) / 100.0
    return (pypsa.costs.annuity(discount_rate, lifetime) + fom) * capex_cny_per_mw_km * length_km


def vom(inputs: Inputs, technology: str, year: int) -> float:
    """Variable O&M [CNY/MWh of output]; 0 when ``costs.csv`` has no row."""
    c = inputs.costs
    hit = c[(c.technology == technology) & (c.parameter == "vom") & (c.year == year)]
    return float(hit.value.iloc[0]) if not hit.empty else 0.0
