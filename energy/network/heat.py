"""District heating: one heat bus per area, its demand, and the heat supply options.

Each area of ``heat_areas.csv`` gets a bus ``"<area_id> heat"`` (carrier ``heat``, [MW_th]) with
its hourly demand from the profiles (floor area x design load, see profiles/README.md) plus
distribution losses. Supply options come from ``heat_supply.csv`` (one row per area, technology
and milestone year) and ``heat_links.csv`` (heat mains between areas); CHP plants are added by
:mod:`energy.network.chp`. Conventions (PyPSA): a Link's ``p_nom`` is its input (fuel or
electricity) [MW]; its output is ``efficiency x p`` [MW_th]. Existing units are fixed and carry
fixed O&M only; candidates are extendable and carry annualised investment plus fixed O&M.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import coal_heat_carriers, fuel_of, shedding_carrier
from energy.config import Scenario
from energy.inputs import Inputs
from energy.network import chp
from energy.network.batch import add_batched
from energy.network.costs import investment_costs, route_costs, vom
from energy.network.provenance import link

HEAT = "heat"
#: carrier of heat transfers between areas (not production)
HEAT_MAIN = "heat main"
#: heat pump technology -> its hourly COP profile (the other converters have a fixed efficiency)
_COP_PROFILE = {"ASHP": "cop_ashp", "GSHP": "cop_gshp"}


def heat_bus(area_id: str) -> str:
    """Name of the heat bus of a district-heating area."""
    return f"{area_id} {HEAT}"


def align_profile(frame: pd.DataFrame, snapshots: pd.Index) -> pd.DataFrame:
    """Put a tz-aware hourly profile onto the network's naive local-time (UTC+8) snapshots.

    Parameters
    ----------
    frame : pandas.DataFrame
        Hourly profile of the reference year (tz-aware or naive local time).
    snapshots : pandas.Index
        The network's snapshots (naive local time).

    Returns
    -------
    pandas.DataFrame
        ``frame`` restricted to ``snapshots``.
    """
    out = frame.copy()
    if out.index.tz is not None:
        out.index = out.index.tz_convert("Asia/Shanghai").tz_localize(None)
    return out.loc[snapshots]


def heat_areas(inputs: Inputs, year: int) -> pd.DataFrame:
    """Rows of ``heat_areas.csv`` for one year, indexed by ``area_id``."""
    areas = inputs.heat_areas[inputs.heat_areas.year == year].set_index("area_id")
    if areas.empty:
        raise ValueError(f"heat_areas.csv has no rows for {year}")
    return inputs.use("heat_areas.csv", areas)


def add_heat(n: pypsa.Network, scenario: Scenario, inputs: Inputs, profiles) -> None:  # noqa: ANN001
    """Add district heating: heat buses, demand, CHP heat, heat supply, storage and heat mains.

    Does nothing when ``scenario.heat.enabled`` is false (CHP plants then stay power-only).

    Parameters
    ----------
    n : pypsa.Network
        Network with the power system and the fuel buses (``coal``, ``gas``) already added.
    scenario : Scenario
        Year, discount rate and the ``heat`` section.
    inputs : Inputs
        Validated tables (``heat_areas``, ``heat_supply``, ``heat_links``, ``chp``, ``costs``).
    profiles : energy.profiles.Profiles
        Heat demand per area and year [MW_th] and hourly COP per area [p.u.].
    """
    if not scenario.heat.enabled:
        return
    areas = heat_areas(inputs, scenario.year)
    add_heat_buses(n, inputs, areas)
    demand = align_profile(profiles.heat_demand[scenario.year], n.snapshots)
    add_heat_demand(n, areas, demand, scenario.heat.distribution_loss)
    chp.add_chp_heat(n, inputs, {a: heat_bus(a) for a in areas.index})
    cop = {"cop_ashp": align_profile(profiles.cop_ashp, n.snapshots),
           "cop_gshp": align_profile(profiles.cop_gshp, n.snapshots)}
    add_heat_supply(n, scenario, inputs, areas, cop)
    add_heat_links(n, scenario, inputs)


def add_heat_buses(n: pypsa.Network, inputs: Inputs, areas: pd.DataFrame) -> None:
    """Add one heat bus per area at the position of the area's electricity bus."""
    pos = inputs.buses.set_index("bus_id").loc[areas.bus, ["x_lon", "y_lat"]]
    n.add("Bus", [heat_bus(a) for a in areas.index], carrier=HEAT,
          x=pos.x_lon.to_numpy(), y=pos.y_lat.to_numpy())


def add_heat_demand(n: pypsa.Network, areas: pd.DataFrame, demand: pd.DataFrame,
                    distribution_loss: float) -> None:
    """Add each area's hourly heat demand, grossed up by distribution losses.

    Parameters
    ----------
    n : pypsa.Network
        Network with the heat buses.
    areas : pandas.DataFrame
        ``heat_areas.csv`` rows of the year, indexed by ``area_id``.
    demand : pandas.DataFrame
        Customer heat demand per area on the snapshots [MW_th].
    distribution_loss : float
        Network losses as a share of customer demand [p.u.]; the bus must supply
        ``demand x (1 + loss)``.
    """
    missing = sorted(set(areas.index) - set(demand.columns))
    if missing:
        raise ValueError(f"heat demand profiles lack areas {missing}")
    names = [heat_bus(a) for a in areas.index]
    p_set = demand[areas.index].set_axis(names, axis=1) * (1.0 + distribution_loss)
    n.add("Load", names, bus=names, carrier=HEAT, p_set=p_set)


def _input_bus(kind: str, area: pd.Series) -> str:
    return area.bus if kind == "AC" else kind


def add_heat_supply(n: pypsa.Network, scenario: Scenario, inputs: Inputs, areas: pd.DataFrame,
                    cop: dict[str, pd.DataFrame]) -> None:
    """Add boilers, heat pumps, geothermal, water tanks and new gas CHP from ``heat_supply.csv``.

    Capacities in the table are heat output [MW_th]; converters get ``p_nom`` at their input
    (output / efficiency; heat pumps: output / rating COP). Coal boilers are existing only and are
    left out from their phase-out year on (:func:`coal_boilers_closed`).

    Parameters
    ----------
    n : pypsa.Network
        Network with heat buses and fuel buses.
    scenario : Scenario
        Year, discount rate, ``heat`` switches.
    inputs : Inputs
        ``heat_supply`` and ``costs``.
    areas : pandas.DataFrame
        Areas of the year, indexed by ``area_id``.
    cop : dict of str -> pandas.DataFrame
        ``"cop_ashp"`` / ``"cop_gshp"`` hourly COP per area on the snapshots [p.u.].
    """
    year, r = scenario.year, scenario.discount_rate
    rows = inputs.use("heat_supply.csv", inputs.heat_supply[
        (inputs.heat_supply.year == year) & inputs.heat_supply.area_id.isin(areas.index)])
    links: list[tuple[str, dict]] = []
    rated: dict[str, float] = {}  # heat pumps: name -> rating COP (the static efficiency)
    for row in rows.itertuples():
        tech, area = row.technology, areas.loc[row.area_id]
        existing = float(row.p_nom_existing_mw_th)
        cap = row.p_nom_max_mw_th
        room = np.inf if cap is None or cap != cap else float(cap) - existing
        bus = heat_bus(row.area_id)
        if tech == "coal boiler" and coal_boilers_closed(scenario, area):
            continue
        if tech == "gas CHP":
            if scenario.heat.new_gas_chp:
                chp.add_new_gas_chp(n, scenario, inputs, row.area_id, area.bus, bus)
            continue
        capped = {"p_nom_max": "p_nom_max_mw_th"} if np.isfinite(room) else {}
        frame = rows.loc[[row.Index]]  # provenance of a finite cap
        if tech == "geothermal":
            name = _add_geothermal(n, inputs, year, r, row.area_id, bus, existing, room)
            if name and capped:
                link(n, inputs, "heat_supply.csv", frame, "Generator", [name], capped)
            continue
        if tech == "water tank":
            if scenario.heat.thermal_storage:
                name = _add_water_tank(n, inputs, year, r, row.area_id, bus, room)
                if capped:
                    link(n, inputs, "heat_supply.csv", frame, "StorageUnit", [name], capped)
            continue
        kind, profile = fuel_of(tech), _COP_PROFILE.get(tech)
        eff_rated = inputs.cost(tech, "efficiency", year)
        efficiency = (cop[profile][row.area_id].to_numpy() if profile else eff_rated)
        common = dict(bus0=_input_bus(kind, area), bus1=bus, carrier=tech,
                      marginal_cost=vom(inputs, tech, year) * eff_rated,
                      efficiency=_series(efficiency, n.snapshots))
        if existing > 0:
            links.append((f"{row.area_id} {tech}", dict(
                p_nom=existing / eff_rated,
                **investment_costs(inputs, tech, year, r, existing=True, factor=eff_rated),
                **common)))
        if room > 0 and tech != "coal boiler":
            links.append((f"{row.area_id} {tech} new", dict(
                p_nom_extendable=True, p_nom_max=room / eff_rated,
                **investment_costs(inputs, tech, year, r, factor=eff_rated),
                build_year=year, lifetime=inputs.cost(tech, "lifetime", year), **common)))
            if capped:
                link(n, inputs, "heat_supply.csv", frame, "Link", [f"{row.area_id} {tech} new"],
                     capped)
        if profile:
            rated.update(dict.fromkeys([f"{row.area_id} {tech}", f"{row.area_id} {tech} new"],
                                       eff_rated))
    add_batched(n, "Link", links)
    # hourly COP drives dispatch; the static value records the rating COP
    named = n.links.index.intersection(list(rated))
    n.links.loc[named, "efficiency"] = [rated[k] for k in named]


def coal_boilers_closed(scenario: Scenario, area: pd.Series) -> bool:
    """Whether an area's existing coal heat-only boilers are closed in the scenario year.

    ``heat.coal_boiler_phaseout_year`` when set, else the area's
    ``coal_boiler_phaseout_year`` of ``heat_areas.csv`` (empty: the plan sets none).
    """
    year = scenario.heat.coal_boiler_phaseout_year
    if year is None:
        value = area.get("coal_boiler_phaseout_year")
        year = None if value is None or pd.isna(value) else int(value)
    return year is not None and scenario.year >= year


def _series(efficiency: float | np.ndarray, snapshots: pd.Index) -> float | pd.Series:
    if np.ndim(efficiency) == 0:
        return float(efficiency)
    return pd.Series(efficiency, index=snapshots)


def _add_geothermal(n: pypsa.Network, inputs: Inputs, year: int, r: float, area_id: str,
                    bus: str, existing: float, room: float) -> str | None:
    """Geothermal heat as a generator at the heat bus [MW_th], capped by the resource.

    Returns the candidate's name (``None`` when the resource has no room left).
    """
    common = dict(bus=bus, carrier="geothermal", marginal_cost=vom(inputs, "geothermal", year))
    if existing > 0:
        n.add("Generator", f"{area_id} geothermal", p_nom=existing,
              **investment_costs(inputs, "geothermal", year, r, existing=True), **common)
    if room <= 0:
        return None
    n.add("Generator", f"{area_id} geothermal new", p_nom_extendable=True, p_nom_max=room,
          **investment_costs(inputs, "geothermal", year, r),
          build_year=year, lifetime=inputs.cost("geothermal", "lifetime", year), **common)
    return f"{area_id} geothermal new"


def _add_water_tank(n: pypsa.Network, inputs: Inputs, year: int, r: float, area_id: str,
                    bus: str, room: float) -> str:
    """A large hot-water tank as a StorageUnit with a fixed energy/power ratio (S07); its name."""
    hours = inputs.cost("water tank", "max_hours", year)
    n.add(
        "StorageUnit",
        f"{area_id} water tank",
        bus=bus,
        carrier="water tank",
        p_nom_extendable=True,
        p_nom_max=room,
        max_hours=hours,
        standing_loss=inputs.cost("water tank", "standing_loss", year) / 100.0,
        cyclic_state_of_charge=True,
        **investment_costs(inputs, "water tank", year, r, factor=hours),
        build_year=year,
        lifetime=inputs.cost("water tank", "lifetime", year),
    )
    return f"{area_id} water tank"


def heat_main_costs(inputs: Inputs, length_km: float, year: int, discount_rate: float,
                    existing: bool = False) -> dict[str, float]:
    """Annuity and fixed O&M of 1 MW_th of heat-main capacity over its length [CNY/MW_th/a].

    The ``heat main`` investment of ``costs.csv`` is per MW_th and km [CNY/(MW_th*km)].
    """
    per_km = inputs.cost(HEAT_MAIN, "investment", year)
    return route_costs(inputs, HEAT_MAIN, per_km, length_km, year, discount_rate, existing)


def add_heat_links(n: pypsa.Network, scenario: Scenario, inputs: Inputs) -> None:
    """Add heat mains in service by the scenario year (existing fixed, candidates extendable).

    ``p_nom`` is the heat sent [MW_th]; ``efficiency = 1 - loss_pct_per_km/100 x length``.
    """
    year, r = scenario.year, scenario.discount_rate
    links = inputs.heat_links[inputs.heat_links.build_year <= year].set_index("link_id")
    buses = set(n.buses.index)
    for link_id, row in links.iterrows():
        bus0, bus1 = heat_bus(row.bus0), heat_bus(row.bus1)
        if bus0 not in buses or bus1 not in buses:
            continue
        link(n, inputs, "heat_links.csv", links.loc[[link_id]], "Link", [link_id],
             {"p_nom_max": "p_nom_max_mw_th"})
        extendable = row.p_nom_max_mw_th > row.p_nom_mw_th
        costs = heat_main_costs(inputs, row.length_km, year, r, existing=not extendable)
        n.add(
            "Link",
            link_id,
            bus0=bus0,
            bus1=bus1,
            carrier=HEAT_MAIN,
            efficiency=1.0 - row.loss_pct_per_km / 100.0 * row.length_km,
            length=row.length_km,
            p_nom=row.p_nom_mw_th,
            p_nom_min=row.p_nom_mw_th,
            p_nom_max=row.p_nom_max_mw_th,
            p_nom_extendable=bool(extendable),
            **costs,
            build_year=int(row.build_year) if not extendable else year,
            lifetime=inputs.cost(HEAT_MAIN, "lifetime", year),
        )


def heat_producers(n: pypsa.Network) -> pd.DataFrame:
    """Components that produce district heat, with their clean-heat classification.

    Producers are Links whose ``bus1`` is a heat bus (CHP heat, boilers, heat pumps; not heat
    mains) and Generators at heat buses (geothermal, load shedding). Storage is not production.

    Parameters
    ----------
    n : pypsa.Network
        A network with heat buses (``carrier == "heat"``) and, for CHP, ``n.meta["chp"]``.

    Returns
    -------
    pandas.DataFrame
        Indexed by component name: ``component`` (Link | Generator), ``carrier``, ``bus``,
        ``coal`` (coal-fired), ``clean_non_coal`` and ``clean_policy`` (non-coal, or heat of an
        ultra-low-emission coal CHP); load shedding is never clean.
    """
    heat_buses = n.buses.index[n.buses.carrier == HEAT]
    links = n.links[n.links.bus1.isin(heat_buses) & (n.links.carrier != HEAT_MAIN)]
    gens = n.generators[n.generators.bus.isin(heat_buses)]
    frame = pd.concat([
        pd.DataFrame({"component": "Link", "carrier": links.carrier, "bus": links.bus1}),
        pd.DataFrame({"component": "Generator", "carrier": gens.carrier, "bus": gens.bus}),
    ])
    ule = {r["heat"] for r in chp.chp_pairs(n) if r.get("ultra_low_emission")}
    frame["coal"] = frame.carrier.isin(coal_heat_carriers())
    frame["clean_non_coal"] = ~frame.coal & (frame.carrier != shedding_carrier())
    frame["clean_policy"] = frame.clean_non_coal | (frame.coal & frame.index.isin(ule))
    return frame
