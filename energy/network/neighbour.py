"""The rest of Shanxi as modelled neighbour regions behind the zone's boundary buses.

Each region of ``neighbour_regions.csv`` is an AC bus (``location`` = its region id) with

- hourly **load**: Shanxi's consumption (``neighbour_demand.csv``) minus the zone's own demand,
  split by ``load_share``, shaped like the zone's load and scaled affinely to the region's
  annual energy and the province's load factor (:func:`energy.profiles.load.scale_affine`);
- its **fleet** of the year (``neighbour_fleet.csv``, fixed: the published plans, not
  optimised): coal, coal CHP and gas plants as fuel-to-power Links from the region's own fuel
  buses (so that their CO2 is counted at the region, never in the zone), wind and solar with
  the hourly shape of a zone site scaled to the region's full-load hours, energy-limited hydro,
  by-product "other thermal" at a flat output, pumped storage and batteries;
- **must-run** (``neighbour.must_run``): heat-led coal CHP in the heating season (1 Nov -
  31 Mar), by-product fuels at their flat output, and a *daily commitment* of the coal
  fleet: the capacity kept online for a day runs at least ``min_stable`` of it in every
  snapshot of that day (recorded in ``n.meta["daily_commitment"]``, the constraint is
  :func:`energy.optimize.commitment.add_daily_commitment`);
- **outbound** transmission to other provinces (``neighbour_outbound.csv``): a firm contract
  band (a Load) shaped like the region's own load (the receiving North and Central China
  grids share its industrial profile and evening peak), plus a flexible sink up to the
  capacity left by the band in each hour and the remaining annual energy, paid a price;
- **links** (``neighbour_links.csv``): boundary bus to region, region to region (transport
  model; the zone's own lines into the boundary buses limit the exchange with the zone).

The neighbour's fixed costs are constants and stay outside the objective (capital cost 0);
its fuel, VOM and CO2 price are in it, so prices at the boundary come out hour by hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config import Scenario
from energy.inputs import InputError, Inputs
from energy.network.batch import add_batched
from energy.network.history import asset_year, zone_demand_mwh
from energy.profiles.load import scale_affine

LINK_CARRIER = "Shanxi grid"
OUTBOUND = "outbound"
THERMAL = {"coal": "coal", "coal CHP": "coal", "CCGT": "gas"}  # carrier -> fuel
HEATING_MONTHS = (11, 12, 1, 2, 3)
HOURS_PER_YEAR = 8760.0


def neighbour_active(scenario: Scenario) -> bool:
    """Whether the scenario models the rest of Shanxi (trade on, ``boundary.mode=neighbour``)."""
    return scenario.technologies.exchange and scenario.boundary.mode == "neighbour"


def region_of_bus(inputs: Inputs) -> dict[str, str]:
    """Boundary bus -> the neighbour region it connects to (``neighbour_links.csv``)."""
    regions = set(inputs.neighbour_regions.region_id)
    out: dict[str, str] = {}
    for row in inputs.neighbour_links.itertuples():
        if row.bus0 in regions and row.bus1 not in regions:
            out[row.bus1] = row.bus0
        elif row.bus1 in regions and row.bus0 not in regions:
            out[row.bus0] = row.bus1
    return out


def _of_year(table: pd.DataFrame, file: str, year: int) -> pd.DataFrame:
    rows = table[table.year == year]
    if rows.empty:
        known = sorted(int(y) for y in table.year.unique())
        raise InputError(f"{file}: no rows for year {year} (years: {known})")
    return rows


def scale_to_full_load_hours(cf: pd.Series, flh: float, tol: float = 0.1) -> pd.Series:
    """Scale a capacity-factor series to ``flh`` full-load hours a year, capped at 1 [p.u.].

    ``min(1, k cf)`` with ``k`` found by bisection; raises if ``flh`` cannot be reached.
    """
    values = cf.to_numpy(dtype=float)
    hours = HOURS_PER_YEAR / len(values)

    def flh_of(k: float) -> float:
        return float(np.minimum(1.0, k * values).sum() * hours)

    if flh_of(1e6) < flh:
        raise InputError(f"full_load_hours {flh:g} h cannot be reached by the profile")
    lo, hi = 0.0, 1.0
    while flh_of(hi) < flh:
        hi *= 2.0
    while hi - lo > 1e-9 and flh_of(hi) - flh_of(lo) > tol:
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if flh_of(mid) < flh else (lo, mid)
    return pd.Series(np.minimum(1.0, hi * values), index=cf.index)


def _local_months(index: pd.DatetimeIndex) -> np.ndarray:
    local = index.tz_convert("Asia/Shanghai") if index.tz is not None else index
    return np.asarray(local.month)


def hourly_inputs(scenario: Scenario, inputs: Inputs, zone_load: pd.Series,
                  solar: pd.DataFrame, wind: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The neighbour's hourly series over the profiles' full year.

    Parameters
    ----------
    scenario : Scenario
        Supplies the (statistics) year and the ``neighbour`` scales.
    inputs : Inputs
        The neighbour tables and ``demand.csv``.
    zone_load : pandas.Series
        The zone's total electricity load over the full year [MW] (its shape is used).
    solar, wind : pandas.DataFrame
        Per-unit profiles of the zone's sites over the full year [p.u.].

    Returns
    -------
    dict of str to pandas.DataFrame
        ``load`` [MW] and ``outbound`` (firm band) [MW] per region id; ``p_max_pu`` and
        ``p_min_pu`` [p.u.] per unit name (``"<region> <unit_id>"``).
    """
    year, cfg = asset_year(scenario), scenario.neighbour
    regions = inputs.neighbour_regions.set_index("region_id")
    demand = _of_year(inputs.neighbour_demand, "neighbour_demand.csv", year).iloc[0]
    rest = float(demand.shanxi_consumption_mwh) - zone_demand_mwh(inputs, year)
    if rest <= 0:
        raise InputError(f"neighbour_demand.csv: Shanxi consumption in {year} "
                         f"({demand.shanxi_consumption_mwh:g} MWh) is not above the zone's")
    shape = zone_load.astype(float)
    load = {}
    for region, row in regions.iterrows():
        annual = rest * row.load_share * cfg.load_scale  # the profiles cover a full year
        if annual <= 0:
            load[region] = shape * 0.0
            continue
        mean = annual / len(shape)
        load[region] = scale_affine(shape, annual, mean / float(demand.load_factor))
    out_rows = _of_year(inputs.neighbour_outbound, "neighbour_outbound.csv", year)
    firm = {}
    for r in out_rows.itertuples():
        own = load[r.region_id]
        relative = own / own.mean() if own.mean() > 0 else shape / shape.mean()
        firm[r.region_id] = relative * (r.annual_mwh * r.firm_share * cfg.outbound_scale
                                        / HOURS_PER_YEAR)
    for r in out_rows.itertuples():
        peak = float(firm[r.region_id].max())
        if peak > r.capacity_mw * cfg.outbound_scale + 1e-6:
            raise InputError(f"neighbour_outbound.csv: the firm band of {r.region_id} in {year}"
                             f" peaks at {peak:,.0f} MW, above capacity_mw {r.capacity_mw:g}")
    fleet = _of_year(inputs.neighbour_fleet, "neighbour_fleet.csv", year)
    heating = pd.Series(np.isin(_local_months(shape.index), HEATING_MONTHS).astype(float),
                        index=shape.index)
    p_max, p_min = {}, {}
    profiles = {"onwind": wind, "solar": solar}
    for row in fleet.itertuples():
        name = f"{row.region_id} {row.unit_id}"
        if row.carrier in profiles:
            p_max[name] = scale_to_full_load_hours(profiles[row.carrier][row.profile_site],
                                                   float(row.full_load_hours))
        if cfg.must_run and row.must_run > 0:
            season = heating if row.must_run_season == "heating" else heating * 0.0 + 1.0
            p_min[name] = season * float(row.must_run)
        winter = getattr(row, "availability_heating", None)
        if pd.notna(winter) and row.carrier in THERMAL:
            p_max[name] = heating * float(winter) + (1.0 - heating) * float(row.availability)
    index = shape.index
    return {"load": pd.DataFrame(load, index=index),
            "outbound": pd.DataFrame(firm, index=index),
            "p_max_pu": pd.DataFrame(p_max, index=index),
            "p_min_pu": pd.DataFrame(p_min, index=index)}


def add_neighbour(n: pypsa.Network, scenario: Scenario, inputs: Inputs,
                  hourly: dict[str, pd.DataFrame]) -> None:
    """Add the rest of Shanxi (regions, links, loads, fleet, outbound) to the network.

    Parameters
    ----------
    n : pypsa.Network
        Network with the zone's AC and boundary buses.
    scenario : Scenario
        Year, fuel-price year, CO2 price and ``neighbour`` settings.
    inputs : Inputs
        The neighbour tables, fuels.csv.
    hourly : dict of str to pandas.DataFrame
        :func:`hourly_inputs`, re-indexed on the network's snapshots.
    """
    if not neighbour_active(scenario):
        return
    year, cfg = asset_year(scenario), scenario.neighbour
    regions = inputs.neighbour_regions.set_index("region_id")
    n.add("Bus", regions.index, carrier="AC", v_nom=500.0, x=regions.x_lon, y=regions.y_lat,
          location=regions.index)
    co2_price = scenario.co2.price_cny_per_t
    for region, row in regions.iterrows():
        for fuel in sorted(set(THERMAL.values())):
            price = inputs.fuel(fuel, scenario.year)
            bus = f"{region} {fuel}"
            n.add("Bus", bus, carrier=fuel, x=row.x_lon, y=row.y_lat, location=region)
            n.add("Generator", f"{bus} supply", bus=bus, carrier=fuel, p_nom_extendable=True,
                  marginal_cost=price.price_cny_per_mwh_th
                  + co2_price * price.co2_t_per_mwh_th)
    links = inputs.neighbour_links.set_index("link_id")
    n.add("Link", links.index, bus0=links.bus0, bus1=links.bus1, carrier=LINK_CARRIER,
          p_nom=links.p_nom_mw, p_min_pu=-1.0, efficiency=1.0)
    n.add("Load", regions.index + " load", bus=regions.index, carrier="AC",
          p_set=hourly["load"][regions.index].set_axis(regions.index + " load", axis=1))
    _add_fleet(n, scenario, inputs, hourly, year, cfg.fleet_scale, co2_price)
    _add_outbound(n, inputs, hourly, year, cfg.outbound_scale)
    for file, table in (("neighbour_regions.csv", inputs.neighbour_regions),  # provenance
                        ("neighbour_links.csv", inputs.neighbour_links)):
        inputs.use(file, table)
    for file, table in (("neighbour_demand.csv", inputs.neighbour_demand),
                        ("neighbour_fleet.csv", inputs.neighbour_fleet),
                        ("neighbour_outbound.csv", inputs.neighbour_outbound)):
        inputs.use(file, _of_year(table, file, year))


def _add_fleet(n: pypsa.Network, scenario: Scenario, inputs: Inputs,
               hourly: dict[str, pd.DataFrame], year: int, scale: float,
               co2_price: float) -> None:
    fleet = _of_year(inputs.neighbour_fleet, "neighbour_fleet.csv", year)
    fleet = fleet[fleet.p_nom_mw > 0]
    p_max, p_min = hourly["p_max_pu"], hourly["p_min_pu"]
    other = fleet[fleet.carrier == "other thermal"].co2_t_per_mwh_el.unique()
    if len(other) > 1:
        raise InputError("neighbour_fleet.csv: 'other thermal' rows need one co2_t_per_mwh_el")
    if len(other):
        n.carriers.loc["other thermal", "co2_emissions"] = float(other[0])
    commitment = dict((n.meta or {}).get("daily_commitment", {}))
    entries: dict[str, list[tuple[str, dict]]] = {"Link": [], "Generator": [], "StorageUnit": []}
    for row in fleet.itertuples():
        name, mw = f"{row.region_id} {row.unit_id}", row.p_nom_mw * scale
        must = p_min[name] if name in p_min else 0.0
        if row.carrier in THERMAL:
            eff = float(row.efficiency)
            avail = p_max[name] if name in p_max else float(row.availability)
            entries["Link"].append((name, dict(
                bus0=f"{row.region_id} {THERMAL[row.carrier]}", bus1=row.region_id,
                carrier=row.carrier, efficiency=eff, p_nom=mw / eff, p_max_pu=avail,
                p_min_pu=must, marginal_cost=row.vom_cny_per_mwh * eff)))
            stable = getattr(row, "min_stable", None)
            if scenario.neighbour.must_run and pd.notna(stable) and stable > 0:
                commitment[name] = float(stable)
        elif row.carrier in ("onwind", "solar"):
            entries["Generator"].append((name, dict(
                bus=row.region_id, carrier=row.carrier, p_nom=mw, p_max_pu=p_max[name],
                marginal_cost=row.vom_cny_per_mwh)))
        elif row.carrier == "hydro":
            entries["Generator"].append((name, dict(
                bus=row.region_id, carrier="hydro", p_nom=mw,
                p_max_pu=float(row.availability), marginal_cost=row.vom_cny_per_mwh,
                e_sum_max=mw * float(row.full_load_hours))))
        elif row.carrier == "other thermal":
            entries["Generator"].append((name, dict(
                bus=row.region_id, carrier="other thermal", p_nom=mw,
                p_max_pu=float(row.availability), p_min_pu=must,
                marginal_cost=row.vom_cny_per_mwh + co2_price * row.co2_t_per_mwh_el)))
        else:  # PHS, battery
            eff = float(np.sqrt(row.efficiency))
            entries["StorageUnit"].append((name, dict(
                bus=row.region_id, carrier=row.carrier, p_nom=mw,
                max_hours=float(row.max_hours), efficiency_store=eff, efficiency_dispatch=eff,
                cyclic_state_of_charge=True, marginal_cost=row.vom_cny_per_mwh)))
    for component, items in entries.items():
        add_batched(n, component, items)
    if commitment:
        n.meta = {**(n.meta or {}), "daily_commitment": commitment}


def _add_outbound(n: pypsa.Network, inputs: Inputs, hourly: dict[str, pd.DataFrame],
                  year: int, scale: float) -> None:
    rows = _of_year(inputs.neighbour_outbound, "neighbour_outbound.csv", year)
    for row in rows.itertuples():
        region = row.region_id
        firm = hourly["outbound"][region]
        n.add("Load", f"{region} {OUTBOUND} firm", bus=region, carrier=OUTBOUND, p_set=firm)
        capacity = row.capacity_mw * scale
        flexible = row.annual_mwh * (1.0 - row.firm_share) * scale
        if capacity <= 0 or flexible <= 0:
            continue
        room = (1.0 - firm / capacity).clip(lower=0.0)
        n.add("Generator", f"{region} {OUTBOUND} flexible", bus=region, carrier=OUTBOUND,
              p_nom=capacity, p_max_pu=0.0, p_min_pu=-room,
              marginal_cost=row.price_cny_per_mwh, e_sum_min=-flexible)
