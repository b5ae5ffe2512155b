"""Extraction CHP as two links with a feasible operating region (PyPSA-Eur / PyPSA-China-PIK).

Each CHP plant is a *power link* (fuel -> AC, efficiency ``eta`` = condensing electrical
efficiency, ``p_nom`` = fuel capacity ``F``; added by :func:`energy.network.power.add_thermal_fleet`
exactly as without heat) and a *heat link* (fuel -> heat bus, efficiency ``eta / c_v``). With
``P = eta x p_power`` and ``Q = (eta / c_v) x p_heat`` the region enforced in
:func:`energy.constraints.chp_operating_region` is

* iso-fuel line:      ``p_power + p_heat <= F``          i.e. ``P + c_v Q <= eta F = P_max``
* back-pressure line: ``P >= c_b Q``
* ``Q >= 0``, ``P >= 0``.

``c_v`` is the electricity lost per unit of heat extracted and ``c_b`` the power/heat ratio in
back-pressure operation; the largest heat output is at the corner ``Q = P_max / (c_b + c_v)``.
Fuel burnt is ``(P + c_v Q) / eta``, so CO2 follows the plant's own efficiency.

Pairing is data, not names: ``n.meta["chp"]`` holds one record per plant
(``power``, ``heat``, ``area``, ``fuel``, ``c_b``, ``c_v``, ``ultra_low_emission``,
``extendable``); it is saved in ``network.nc`` with the network.
"""

from __future__ import annotations

from typing import Any

import pypsa

from energy.carriers import fuel_of
from energy.config import Scenario
from energy.inputs import Inputs
from energy.network.costs import investment_costs, vom

#: carrier of the heat link for each CHP power carrier
HEAT_CARRIER = {"coal CHP": "coal CHP heat", "gas CHP": "gas CHP heat"}


def chp_pairs(n: pypsa.Network) -> list[dict[str, Any]]:
    """The CHP pairing table of a network (empty when heat is off).

    Pairs whose links are not in the network (removed, e.g. by
    :mod:`energy.optimize.screening`) are left out.
    """
    links = n.links.index
    return [pair for pair in (n.meta or {}).get("chp", [])
            if pair["power"] in links and pair["heat"] in links]


def _record(n: pypsa.Network, record: dict[str, Any]) -> None:
    meta = dict(n.meta or {})
    meta["chp"] = [*meta.get("chp", []), record]
    n.meta = meta


def max_heat(p_max: float, c_b: float, c_v: float) -> float:
    """Largest heat output of an extraction CHP, at the corner of its region [MW_th].

    Parameters
    ----------
    p_max : float
        Condensing electrical capacity [MW_el].
    c_b : float
        Back-pressure power/heat ratio [p.u.].
    c_v : float
        Power loss per unit of heat extracted [p.u.].

    Returns
    -------
    float
        ``p_max / (c_b + c_v)`` [MW_th].
    """
    return p_max / (c_b + c_v)


def add_chp_heat(n: pypsa.Network, inputs: Inputs, heat_buses: dict[str, str]) -> None:
    """Add the heat link of every existing CHP plant in ``chp.csv`` that is alive this year.

    ``heat_buses`` maps ``area_id`` to its heat bus. The heat link's ``p_nom`` [MW fuel] is the
    fuel needed for the corner heat output (or for ``heat_max_mw_th`` when that is smaller); its
    marginal cost is the plant's VOM per MWh of fuel. Fixed O&M stays on the power link.
    """
    table = inputs.chp.set_index("plant_id")
    live = inputs.use("chp.csv", table[table.index.isin(n.links.index)])
    for plant_id, row in live.iterrows():
        power = n.links.loc[plant_id]
        if power.carrier not in HEAT_CARRIER:
            raise ValueError(f"chp.csv: plant {plant_id!r} has carrier {power.carrier!r}, "
                             f"expected one of {sorted(HEAT_CARRIER)}")
        eta = float(power.efficiency)
        q_max = max_heat(eta * float(power.p_nom), row.c_b, row.c_v)
        if row.heat_max_mw_th is not None and row.heat_max_mw_th == row.heat_max_mw_th:
            q_max = min(q_max, float(row.heat_max_mw_th))
        eff_heat = eta / row.c_v
        name = f"{plant_id} heat"
        n.add("Link", name, bus0=power.bus0, bus1=heat_buses[row.area_id],
              carrier=HEAT_CARRIER[power.carrier], efficiency=eff_heat, p_nom=q_max / eff_heat,
              marginal_cost=float(power.marginal_cost))
        _record(n, {"power": plant_id, "heat": name, "area": row.area_id,
                    "fuel": fuel_of(power.carrier), "c_b": float(row.c_b), "c_v": float(row.c_v),
                    "ultra_low_emission": bool(row.ultra_low_emission), "extendable": False})


def add_new_gas_chp(n: pypsa.Network, scenario: Scenario, inputs: Inputs, area_id: str,
                    ac_bus: str, heat_bus: str) -> None:
    """Add a candidate extraction gas CHP (power + heat link) for one heat area.

    The power link carries the annualised cost per MW of fuel (``gas CHP`` rows of costs.csv);
    :func:`energy.constraints.chp_operating_region` ties the heat link's size to it
    (``p_nom_heat = p_nom_power x c_v / (c_b + c_v)``, the corner of the region).
    """
    year, r = scenario.year, scenario.discount_rate
    eta = inputs.cost("gas CHP", "efficiency", year)
    c_b, c_v = inputs.cost("gas CHP", "c_b", year), inputs.cost("gas CHP", "c_v", year)
    power, heat = f"{area_id} gas CHP new", f"{area_id} gas CHP new heat"
    common = dict(bus0="gas", p_nom_extendable=True, build_year=year,
                  lifetime=inputs.cost("gas CHP", "lifetime", year),
                  marginal_cost=vom(inputs, "gas CHP", year) * eta)
    n.add("Link", power, bus1=ac_bus, carrier="gas CHP", efficiency=eta,
          **investment_costs(inputs, "gas CHP", year, r, factor=eta), **common)
    n.add("Link", heat, bus1=heat_bus, carrier="gas CHP heat", efficiency=eta / c_v, **common)
    _record(n, {"power": power, "heat": heat, "area": area_id, "fuel": "gas", "c_b": c_b,
                "c_v": c_v, "ultra_low_emission": True, "extendable": True})
