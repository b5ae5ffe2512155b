"""The zone gas system: Gujiao CBM, pipeline import, peak-shaving storage and other gas use.

One zone gas bus ``gas`` (carrier ``gas``, [MW_th] LHV) replaces the unconstrained ``gas`` and
``CBM`` fuel supplies of :func:`energy.network.power.add_fuel_supply`. Gas turbines, gas CHP and
gas boilers draw from it. Parameters come from ``gas.csv`` (per milestone year), prices and CO2
intensities from ``fuels.csv`` (CO2 is counted when gas is supplied, per fuel: CBM and pipeline
gas alike). Volumes convert at 9.9 kWh/m3 (LHV, fuels.csv convention): 1 Mm3 = 9,900 MWh_th.

Components:

* ``CBM supply`` (Generator, carrier ``CBM``): delivery capacity ``cbm_max_flow`` [MW_th] and an
  annual cap ``e_sum_max`` = ``cbm_cap`` less ``cmm_engine_use`` while the Xishan CMM engines
  run (:func:`cbm_to_grid_mm3`; or ``gas.cbm_cap_mm3``) [Mm3/a -> MWh_th/a];
* ``gas import`` (Generator, carrier ``gas``): pipeline capacity ``import_capacity`` [MW_th];
* peak-shaving storage on bus ``gas storage``: the existing volume (Store) with its injection and
  withdrawal Links, plus extendable new volume, injection and withdrawal, each sized separately;
* ``other gas use`` (Load): non-modelled gas use [MW_th], a base plus a heating-season part
  shaped like the zone's heat demand so that the peak day is ``other_demand_peak_day_ratio``
  times the average day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config import Scenario
from energy.inputs import InputError, Inputs
from energy.network.costs import investment_costs
from energy.network.heat import align_profile
from energy.network.history import in_service
from energy.network.provenance import link

#: fuels.csv rows replaced by the gas system
GAS_FUELS = ("gas", "CBM")
#: MWh_th per Mm3 of gas (9.9 kWh/m3 LHV)
MWH_PER_MM3 = 9900.0
GAS, STORAGE = "gas", "gas storage"
#: carriers of the links into and out of peak-shaving storage
INJECTION, WITHDRAWAL = f"{STORAGE} injection", f"{STORAGE} withdrawal"


def gas_parameter(inputs: Inputs, parameter: str, year: int) -> float:
    """One value of ``gas.csv`` in its unit (see :data:`energy.inputs.GAS_UNITS`)."""
    g = inputs.gas
    hit = g[(g.parameter == parameter) & (g.year == year)]
    if hit.empty:
        raise InputError(f"gas.csv: no row for parameter={parameter!r}, year={year}")
    inputs.use("gas.csv", hit)
    return float(hit.value.iloc[0])


def _row(inputs: Inputs, parameter: str, year: int) -> pd.DataFrame:
    g = inputs.gas
    return g[(g.parameter == parameter) & (g.year == year)]


def other_demand_profile(heat_demand: pd.DataFrame, annual_mm3: float,
                         peak_day_ratio: float) -> pd.Series:
    """Hourly non-modelled gas use: a flat base plus a part shaped like zone heat demand.

    ``d_t = E/8760 x (1 - k + k x s_t / mean(s))`` with ``s`` the zone heat demand and ``k`` chosen
    so that the largest daily mean is ``peak_day_ratio`` times the annual mean.

    Parameters
    ----------
    heat_demand : pandas.DataFrame
        Hourly heat demand per area over a full year [MW_th].
    annual_mm3 : float
        Annual gas use [Mm3/a].
    peak_day_ratio : float
        Peak-day / average-day ratio [p.u.] (>= 1).

    Returns
    -------
    pandas.Series
        Gas use [MW_th] on the index of ``heat_demand``; sums to ``annual_mm3`` x 9,900 MWh.
    """
    s = heat_demand.sum(axis=1)
    rel = s / s.mean()
    daily_peak = float(rel.groupby(rel.index.normalize()).mean().max())
    k = float(np.clip((peak_day_ratio - 1.0) / max(daily_peak - 1.0, 1e-9), 0.0, 1.0))
    mean_mw = annual_mm3 * MWH_PER_MM3 / len(s)
    return mean_mw * (1.0 - k + k * rel)


def cbm_to_grid_mm3(inputs: Inputs, year: int) -> float:
    """Gujiao CBM + CMM that reaches the gas grid in a year [Mm3/a].

    ``cbm_cap`` of ``gas.csv`` minus ``cmm_engine_use`` while the Xishan CMM engines (plants of
    carrier ``CMM`` in ``plants.csv``, which burn their own CMM fuel) are in service; once they
    retire by age (:func:`energy.network.history.in_service`) their methane can go to the grid.
    """
    gross = gas_parameter(inputs, "cbm_cap", year)
    plants = inputs.plants
    engines = plants[plants.carrier == "CMM"]
    if in_service(engines, year).any():
        gross -= gas_parameter(inputs, "cmm_engine_use", year)
    return gross


def add_gas(n: pypsa.Network, scenario: Scenario, inputs: Inputs, profiles) -> None:  # noqa: ANN001
    """Add the zone gas bus, CBM, pipeline import, peak-shaving storage and other gas use.

    Does nothing when ``scenario.gas.enabled`` is false (then ``gas`` stays an unconstrained
    fuel supply at the fuels.csv price).

    Parameters
    ----------
    n : pypsa.Network
        Network with snapshots and carriers.
    scenario : Scenario
        Year, discount rate, CO2 price and the ``gas`` section.
    inputs : Inputs
        ``gas``, ``fuels``, ``costs`` and ``buses`` tables.
    profiles : energy.profiles.Profiles
        Heat demand per year (shape of the other gas use) [MW_th].
    """
    if not scenario.gas.enabled:
        return
    year, cfg = scenario.year, scenario.gas
    zone = inputs.buses[inputs.buses.role == "zone"]
    n.add("Bus", GAS, carrier=GAS, x=zone.x_lon.mean(), y=zone.y_lat.mean())
    co2_price = scenario.co2.price_cny_per_t

    cbm = inputs.fuel("CBM", year)
    cap_mm3 = cfg.cbm_cap_mm3 if cfg.cbm_cap_mm3 is not None else cbm_to_grid_mm3(inputs, year)
    n.add("Generator", "CBM supply", bus=GAS, carrier="CBM",
          p_nom=gas_parameter(inputs, "cbm_max_flow", year),
          e_sum_max=cap_mm3 * MWH_PER_MM3,
          marginal_cost=cbm.price_cny_per_mwh_th + co2_price * cbm.co2_t_per_mwh_th)
    link(n, inputs, "fuels.csv", cbm.to_frame().T, "Generator", ["CBM supply"],
         {"marginal_cost": "price_cny_per_mwh_th"})
    if cfg.cbm_cap_mm3 is None:
        link(n, inputs, "gas.csv", _row(inputs, "cbm_cap", year), "Generator", ["CBM supply"],
             {"e_sum_max": "value"})
    link(n, inputs, "gas.csv", _row(inputs, "cbm_max_flow", year), "Generator", ["CBM supply"],
         {"p_nom": "value"})

    pipe = inputs.fuel("gas", year)
    price = (pipe.price_cny_per_mwh_th if cfg.import_price_cny_per_m3 is None
             else cfg.import_price_cny_per_m3 / MWH_PER_MM3 * 1e6)
    n.add("Generator", "gas import", bus=GAS, carrier=GAS,
          p_nom=gas_parameter(inputs, "import_capacity", year),
          marginal_cost=price + co2_price * pipe.co2_t_per_mwh_th)
    link(n, inputs, "gas.csv", _row(inputs, "import_capacity", year), "Generator",
         ["gas import"], {"p_nom": "value"})
    if cfg.import_price_cny_per_m3 is None:
        link(n, inputs, "fuels.csv", pipe.to_frame().T, "Generator", ["gas import"],
             {"marginal_cost": "price_cny_per_mwh_th"})

    add_gas_storage(n, scenario, inputs)

    if cfg.other_demand:
        full = other_demand_profile(profiles.heat_demand[year],
                                    gas_parameter(inputs, "other_demand", year),
                                    gas_parameter(inputs, "other_demand_peak_day_ratio", year))
        p_set = align_profile(full.to_frame("other gas use"), n.snapshots)["other gas use"]
        n.add("Load", "other gas use", bus=GAS, carrier="other gas use", p_set=p_set)


def add_gas_storage(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add peak-shaving storage: existing volume/injection/withdrawal and extendable new ones.

    Volume [MWh_th] carries ``gas storage`` costs (20 CNY/m3); injection (gas -> storage) and
    withdrawal (storage -> gas) Links carry their own costs per MW_th, so the three are sized
    separately. Stores are cyclic over the modelled period.
    """
    year, r = scenario.year, scenario.discount_rate
    x, y = n.buses.at[GAS, "x"], n.buses.at[GAS, "y"]
    n.add("Bus", STORAGE, carrier=STORAGE, x=x, y=y)
    volume = gas_parameter(inputs, "storage_existing", year) * MWH_PER_MM3
    parts = {"injection": (GAS, STORAGE, gas_parameter(inputs, "injection_existing", year)),
             "withdrawal": (STORAGE, GAS, gas_parameter(inputs, "withdrawal_existing", year))}
    if volume > 0:
        n.add("Store", STORAGE, bus=STORAGE, carrier=STORAGE, e_nom=volume, e_cyclic=True,
              **investment_costs(inputs, STORAGE, year, r, existing=True))
    for part, (bus0, bus1, existing) in parts.items():
        tech = f"{STORAGE} {part}"
        if existing > 0:
            n.add("Link", tech, bus0=bus0, bus1=bus1, carrier=tech, p_nom=existing,
                  efficiency=inputs.cost(tech, "efficiency", year),
                  **investment_costs(inputs, tech, year, r, existing=True))
    if not scenario.gas.storage_expansion:
        return
    n.add("Store", f"{STORAGE} new", bus=STORAGE, carrier=STORAGE, e_nom_extendable=True,
          e_cyclic=True, **investment_costs(inputs, STORAGE, year, r),
          build_year=year, lifetime=inputs.cost(STORAGE, "lifetime", year))
    for part, (bus0, bus1, _) in parts.items():
        tech = f"{STORAGE} {part}"
        n.add("Link", f"{tech} new", bus0=bus0, bus1=bus1, carrier=tech, p_nom_extendable=True,
              efficiency=inputs.cost(tech, "efficiency", year),
              **investment_costs(inputs, tech, year, r),
              build_year=year, lifetime=inputs.cost(tech, "lifetime", year))
