"""The electricity system: 500 kV buses and lines, loads, existing fleet and candidates.

Each ``add_*`` function adds one kind of component through PyPSA's API and tags it by carrier.
Existing assets are non-extendable and carry only fixed O&M (their investment is sunk);
candidates are extendable and carry annualised investment plus fixed O&M.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import fuel_of
from energy.config import Scenario
from energy.inputs import Inputs
from energy.network.costs import investment_costs, route_costs, vom
from energy.network.history import asset_year, in_service
from energy.network.neighbour import region_of_bus
from energy.network.provenance import link
from energy.network.regions import ZONE


def zone_buses(inputs: Inputs) -> pd.DataFrame:
    """Rows of buses.csv with role ``zone``."""
    return inputs.buses[inputs.buses.role == "zone"]


def add_buses(n: pypsa.Network, inputs: Inputs) -> None:
    """Add the AC buses of the zone and the boundary (the export bus is added by its module).

    ``location``: ``"zone"`` for zone buses; a boundary bus takes the neighbour region it
    connects to (``neighbour_links.csv``), or ``"boundary"`` if it connects to none.
    """
    b = inputs.buses[inputs.buses.role.isin(["zone", "boundary"])].set_index("bus_id")
    region = region_of_bus(inputs)
    location = [ZONE if role == "zone" else region.get(bus, "boundary")
                for bus, role in b.role.items()]
    n.add("Bus", b.index, v_nom=b.v_nom_kv, x=b.x_lon, y=b.y_lat, carrier="AC",
          location=location)
    inputs.use("buses.csv", b)


def add_lines(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add 500 kV lines in service in the scenario year (linearised Kirchhoff flow).

    Per-km impedances are per circuit; parallel circuits divide them. With line expansion on,
    ``s_nom`` may grow from the existing rating up to ``s_nom_max_mw`` at the corridor's cost.
    Fixed O&M on the whole rating; the annuity on the increment only (reported by
    :func:`energy.network.costs.fixed_cost_table`; none when expansion is off).
    """
    lines = inputs.lines[inputs.lines.build_year <= asset_year(scenario)].set_index("line_id")
    lines = lines[lines.bus0.isin(n.buses.index) & lines.bus1.isin(n.buses.index)]
    circuits = lines.circuits.astype(float)
    expand = scenario.technologies.line_expansion
    costs = pd.DataFrame([
        route_costs(inputs, "AC line 500kV", row.capex_cny_per_mw_km, row.length_km,
                    scenario.year, scenario.discount_rate, existing=not expand)
        for row in lines.itertuples()
    ], index=lines.index, columns=["capital_cost", "fom_cost"])
    n.add(
        "Line",
        lines.index,
        bus0=lines.bus0,
        bus1=lines.bus1,
        length=lines.length_km,
        num_parallel=circuits,
        r=lines.r_ohm_per_km * lines.length_km / circuits,
        x=lines.x_ohm_per_km * lines.length_km / circuits,
        s_nom=lines.s_nom_mw,
        s_nom_min=lines.s_nom_mw,
        s_nom_max=lines.s_nom_max_mw,
        s_nom_extendable=expand,
        capital_cost=costs.capital_cost,
        fom_cost=costs.fom_cost,
        build_year=lines.build_year.astype(int),
        carrier="AC",
    )
    link(n, inputs, "lines.csv", lines, "Line", lines.index,
         {"s_nom": "s_nom_mw", "s_nom_max": "s_nom_max_mw"})


def county_loads(inputs: Inputs, load: pd.DataFrame, year: int) -> pd.DataFrame:
    """Hourly county loads [MW] with the bus each is served from (columns = county_id).

    The loads are the profiles scaled to the county rows of ``demand.csv`` for ``year``
    (recorded as used).
    """
    counties = inputs.counties.set_index("county_id")
    inputs.use("demand.csv", inputs.demand[(inputs.demand.year == year)
                                           & inputs.demand.county_id.isin(counties.index)])
    missing = sorted(set(counties.index) - set(load.columns))
    if missing:
        raise ValueError(f"load profiles for {year} lack counties {missing}")
    return load[counties.index]


def add_loads(n: pypsa.Network, inputs: Inputs, load: pd.DataFrame) -> None:
    """Add one Load per county at its bus, with the hourly profile [MW]."""
    counties = inputs.counties.set_index("county_id")
    n.add("Load", counties.index, bus=counties.bus, p_set=load[counties.index], carrier="AC")
    inputs.use("counties.csv", counties)


def add_fuel_supply(
    n: pypsa.Network, scenario: Scenario, inputs: Inputs, skip: tuple[str, ...] = ()
) -> None:
    """Add one bus per fuel with an unconstrained supply at the fuel price (+ CO2 price).

    The supply generator's carrier holds the fuel's CO2 intensity [t CO2/MWh_th], so the CO2
    cap (a ``primary_energy`` global constraint) and reported emissions count fuel burnt.
    Fuels in ``skip`` are left to their own module (gas and CBM: :mod:`energy.network.gas`).
    """
    centre = zone_buses(inputs)[["x_lon", "y_lat"]].mean()
    for fuel in sorted(set(inputs.fuels.fuel.unique()) - set(skip)):
        row = inputs.fuel(fuel, scenario.year)
        n.add("Bus", fuel, carrier=fuel, x=centre.x_lon, y=centre.y_lat)
        n.add(
            "Generator",
            f"{fuel} supply",
            bus=fuel,
            carrier=fuel,
            p_nom_extendable=True,
            marginal_cost=row.price_cny_per_mwh_th
            + scenario.co2.price_cny_per_t * row.co2_t_per_mwh_th,
        )
        link(n, inputs, "fuels.csv", row.to_frame().T, "Generator", [f"{fuel} supply"],
             {"marginal_cost": "price_cny_per_mwh_th"})


def add_thermal_fleet(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> pd.DataFrame:
    """Add existing thermal plants still within their lifetime as fuel-to-power Links.

    ``p_nom`` of a Link is its fuel input [MW_th] = electrical capacity / efficiency.

    Returns
    -------
    pandas.DataFrame
        The plants retired by age in the scenario year (for reporting).
    """
    plants = inputs.plants.set_index("plant_id")
    active = in_service(plants, asset_year(scenario))
    live = plants[active]
    for carrier, group in live.groupby("carrier"):
        fuel, technology = fuel_of(carrier), carrier  # costs.csv rows are named by carrier
        eff = group.efficiency
        n.add(
            "Link",
            group.index,
            bus0=fuel,
            bus1=group.bus,
            carrier=carrier,
            efficiency=eff,
            p_nom=group.p_nom_mw / eff,
            **investment_costs(inputs, technology, scenario.year, scenario.discount_rate,
                               existing=True, factor=eff),
            marginal_cost=vom(inputs, technology, scenario.year) * eff,
            build_year=group.build_year.astype(int),
            lifetime=group.lifetime_years,
        )
        link(n, inputs, "plants.csv", group, "Link", group.index,
             {"p_nom": "p_nom_mw", "efficiency": "efficiency"})
    return plants[~active]


def add_gas_turbines(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add extendable OCGT/CCGT (and, if allowed, new coal) at every zone bus."""
    buses = zone_buses(inputs).bus_id
    candidates = [("OCGT", "gas", scenario.technologies.ocgt),
                  ("CCGT", "gas", scenario.technologies.ccgt),
                  ("coal", "coal",
                   scenario.technologies.new_coal and not scenario.policy.negative_list)]
    for technology, fuel, enabled in candidates:
        if not enabled:
            continue
        eff = inputs.cost(technology, "efficiency", scenario.year)
        n.add(
            "Link",
            [f"{bus} {technology} new" for bus in buses],
            bus0=fuel,
            bus1=buses.to_numpy(),
            carrier=technology if technology != "coal" else "coal",
            efficiency=eff,
            p_nom_extendable=True,
            **investment_costs(inputs, technology, scenario.year, scenario.discount_rate,
                               factor=eff),
            marginal_cost=vom(inputs, technology, scenario.year) * eff,
            build_year=scenario.year,
            lifetime=inputs.cost(technology, "lifetime", scenario.year),
        )


def add_renewables(
    n: pypsa.Network,
    scenario: Scenario,
    inputs: Inputs,
    solar: pd.DataFrame,
    wind: pd.DataFrame,
) -> None:
    """Add wind and solar per site: existing vintages, plus a candidate up to the potential.

    Existing capacity is one generator per site and build year of ``renewable_vintages.csv``
    (``"<site> existing <build year>"``) with its commissioning year and lifetime, present
    while ``build_year <= year < build_year + lifetime``. The candidate's room is the
    potential minus the site's existing capacity of 2025 (``p_nom_existing_mw``).

    Parameters
    ----------
    n : pypsa.Network
        Network to add to.
    scenario : Scenario
        Supplies the year, discount rate and technology switches.
    inputs : Inputs
        Validated tables (``renewable_sites``, ``costs``).
    solar, wind : pandas.DataFrame
        Per-unit AC capacity factors [p.u.], columns = site_id, index = snapshots.
    """
    sites = inputs.renewable_sites.set_index("site_id")
    switch = {"onwind": scenario.technologies.onwind, "solar": scenario.technologies.solar}
    profile_of = {"onwind": wind, "solar": solar}
    year = asset_year(scenario)
    vintages = inputs.renewable_vintages
    live = vintages[(vintages.build_year <= year)
                    & (vintages.build_year + vintages.lifetime_years > year)
                    & (vintages.p_nom_mw > 0)]
    for carrier, group in sites.groupby("carrier"):
        profile = profile_of[carrier][group.index]
        existing = live[live.site_id.isin(group.index)]
        if not existing.empty:
            names = existing.site_id + " existing " + existing.build_year.astype(str)
            n.add(
                "Generator",
                names,
                bus=group.bus[existing.site_id].to_numpy(),
                carrier=carrier,
                p_nom=existing.p_nom_mw.to_numpy(),
                p_max_pu=profile[existing.site_id].set_axis(names, axis=1),
                **investment_costs(inputs, carrier, scenario.year, scenario.discount_rate,
                                   existing=True),
                marginal_cost=vom(inputs, carrier, scenario.year),
                build_year=existing.build_year.astype(int).to_numpy(),
                lifetime=existing.lifetime_years.to_numpy(),
            )
            link(n, inputs, "renewable_sites.csv", existing, "Generator", names,
                 {"p_nom": "p_nom_existing_mw"})
        potential = group.p_nom_max_mw * scenario.policy.land_use_factor
        room = (potential - group.p_nom_existing_mw).clip(lower=0.0)
        candidates = group[room > 0]
        if switch[carrier] and not candidates.empty:
            names = candidates.index + " new"
            n.add(
                "Generator",
                names,
                bus=candidates.bus.to_numpy(),
                carrier=carrier,
                p_nom_extendable=True,
                p_nom_max=room[candidates.index].to_numpy(),
                p_max_pu=profile[candidates.index].set_axis(names, axis=1),
                **investment_costs(inputs, carrier, scenario.year, scenario.discount_rate),
                marginal_cost=vom(inputs, carrier, scenario.year),
                build_year=scenario.year,
                lifetime=inputs.cost(carrier, "lifetime", scenario.year),
            )
            link(n, inputs, "renewable_sites.csv", candidates, "Generator", names,
                 {"p_nom_max": "p_nom_max_mw"})


def add_pumped_storage(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add existing pumped storage and the candidates available by the scenario year.

    Existing stations carry their commissioning year and lifetime (``storage_sites.csv``);
    one past its lifetime in the year is left out.
    """
    sites = inputs.storage_sites.set_index("site_id")
    sites = sites[sites.earliest_year <= scenario.year]
    eff = np.sqrt(sites.efficiency_round_trip)
    year = asset_year(scenario)
    built = sites.build_year.fillna(sites.earliest_year).astype(int)
    existing = sites[(sites.p_nom_existing_mw > 0) & (built <= year)
                     & (built + sites.lifetime_years > year)]
    common = dict(carrier="PHS", cyclic_state_of_charge=True)
    if not existing.empty:
        n.add(
            "StorageUnit",
            existing.index,
            bus=existing.bus,
            p_nom=existing.p_nom_existing_mw,
            max_hours=existing.max_hours,
            efficiency_store=eff[existing.index],
            efficiency_dispatch=eff[existing.index],
            **investment_costs(inputs, "PHS", scenario.year, scenario.discount_rate,
                               existing=True),
            build_year=built[existing.index],
            lifetime=existing.lifetime_years,
            **common,
        )
        link(n, inputs, "storage_sites.csv", existing, "StorageUnit", existing.index,
             {"p_nom": "p_nom_existing_mw", "max_hours": "max_hours"})
    room = sites.p_nom_max_mw - sites.p_nom_existing_mw
    candidates = sites[room > 0]
    if scenario.technologies.phs and not candidates.empty:
        n.add(
            "StorageUnit",
            candidates.index + " new",
            bus=candidates.bus.to_numpy(),
            p_nom_extendable=True,
            p_nom_max=room[candidates.index].to_numpy(),
            max_hours=candidates.max_hours.to_numpy(),
            efficiency_store=eff[candidates.index].to_numpy(),
            efficiency_dispatch=eff[candidates.index].to_numpy(),
            **investment_costs(inputs, "PHS", scenario.year, scenario.discount_rate),
            build_year=scenario.year,
            lifetime=candidates.lifetime_years.to_numpy(),
            **common,
        )
        link(n, inputs, "storage_sites.csv", candidates, "StorageUnit", candidates.index + " new",
             {"p_nom_max": "p_nom_max_mw", "max_hours": "max_hours"})


def add_batteries(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add a battery at every zone bus with energy [MWh] and power [MW] sized independently.

    A Store holds the energy; a charger and a discharger Link carry the power. The charger
    carries the inverter cost; :func:`energy.constraints.tie_battery_power` makes the two
    Links equally large.
    """
    if not scenario.technologies.battery:
        return
    buses = zone_buses(inputs)
    battery = (buses.bus_id + " battery").to_numpy()
    n.add("Bus", battery, carrier="battery", x=buses.x_lon.to_numpy(), y=buses.y_lat.to_numpy())
    year, r = scenario.year, scenario.discount_rate
    eff = inputs.cost("battery inverter", "efficiency", year)
    lifetime = inputs.cost("battery storage", "lifetime", year)
    n.add(
        "Store",
        battery,
        bus=battery,
        carrier="battery",
        e_nom_extendable=True,
        e_cyclic=True,
        **investment_costs(inputs, "battery storage", year, r),
        build_year=year,
        lifetime=lifetime,
    )
    n.add(
        "Link",
        battery + " charger",
        bus0=buses.bus_id.to_numpy(),
        bus1=battery,
        carrier="battery charger",
        efficiency=eff,
        p_nom_extendable=True,
        **investment_costs(inputs, "battery inverter", year, r),
        build_year=year,
        lifetime=inputs.cost("battery inverter", "lifetime", year),
    )
    n.add(
        "Link",
        battery + " discharger",
        bus0=battery,
        bus1=buses.bus_id.to_numpy(),
        carrier="battery discharger",
        efficiency=eff,
        p_nom_extendable=True,
        build_year=year,
        lifetime=inputs.cost("battery inverter", "lifetime", year),
    )


def add_exchange(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add flat-price trade with the rest of Shanxi at each boundary bus (``flat_price`` mode).

    Imports cost the import price and carry the provincial grid emission factor (when
    ``co2.include_imports``); exports earn the (lower) export price as negative dispatch of a
    generator whose ``p_max_pu = 0`` and ``p_min_pu = -1``. With ``boundary.mode =
    neighbour`` (the default) the rest of Shanxi is modelled instead
    (:mod:`energy.network.neighbour`) and nothing is added here.
    """
    if not scenario.technologies.exchange or scenario.boundary.mode != "flat_price":
        return
    b = inputs.boundary.set_index("bus")
    co2 = b.import_co2_t_per_mwh if scenario.co2.include_imports else 0.0 * b.import_co2_t_per_mwh
    n.add(
        "Generator",
        "import " + b.index,
        bus=b.index.to_numpy(),
        carrier="import",
        p_nom=b.import_capacity_mw.to_numpy(),
        marginal_cost=(b.import_price_cny_per_mwh + scenario.co2.price_cny_per_t * co2).to_numpy(),
    )
    n.add(
        "Generator",
        "export " + b.index,
        bus=b.index.to_numpy(),
        carrier="export",
        p_nom=b.export_capacity_mw.to_numpy(),
        p_max_pu=0.0,
        p_min_pu=-1.0,
        marginal_cost=b.export_price_cny_per_mwh.to_numpy(),
    )
    link(n, inputs, "boundary.csv", b, "Generator", "import " + b.index,
         {"p_nom": "import_capacity_mw", "marginal_cost": "import_price_cny_per_mwh"})
    link(n, inputs, "boundary.csv", b, "Generator", "export " + b.index,
         {"p_nom": "export_capacity_mw", "marginal_cost": "export_price_cny_per_mwh"})
