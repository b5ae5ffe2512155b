"""Heat and gas KPIs of a solved network: heat mix, clean-heating share, gas balance, CO2 by sector.

Computed from the solved network alone (``n.statistics``, ``n.meta["chp"]``), so a saved
``network.nc`` can be re-reported. Energies are annual (weighted by
``snapshot_weightings.generators``); gas volumes use 9.9 kWh/m3 (1 Mm3 = 9,900 MWh_th).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa

from energy.carriers import converters, shedding_carrier, with_role
from energy.network.gas import INJECTION, MWH_PER_MM3, WITHDRAWAL
from energy.network.heat import HEAT, HEAT_MAIN, heat_producers
from energy.network.regions import ZONE_ACCOUNTS, has_locations, zone_accounts

#: link carriers whose fuel is burnt for heat (CO2 of the heat sector)
HEAT_FUEL_CARRIERS = converters(HEAT, fuels=("coal", "gas"))
OTHER_GAS, = with_role("demand")


def _weights(n: pypsa.Network) -> pd.Series:
    return n.snapshot_weightings.generators


def _zone(n: pypsa.Network, c: str) -> pd.DataFrame:
    """The zone's components of class ``c`` (the rest of Shanxi has its own fuel buses)."""
    static = n.components[c].static
    return static[zone_accounts(n, c)]


def heat_balance_table(n: pypsa.Network) -> pd.DataFrame:
    """Annual heat balance per heat bus and carrier [MWh_th/a], tidy long form.

    Positive = supply into the bus (production, heat main arriving, storage discharge), negative
    = withdrawal (demand incl. distribution losses, heat main leaving, storage charging).

    Returns
    -------
    pandas.DataFrame
        Columns ``heat_bus``, ``component``, ``carrier``, ``value_mwh_th_per_a``; empty (with
        these columns) when the network has no heat buses.
    """
    columns = ["heat_bus", "component", "carrier", "value_mwh_th_per_a"]
    if not (n.buses.carrier == HEAT).any():
        return pd.DataFrame(columns=columns)
    eb = n.statistics.energy_balance(bus_carrier=HEAT, groupby=["bus", "carrier"],
                                     nice_names=False)
    frame = eb.rename("value_mwh_th_per_a").reset_index()
    frame = frame.rename(columns={"bus": "heat_bus"})[columns]
    return frame[frame.value_mwh_th_per_a.abs() > 1e-6].reset_index(drop=True)


def gas_balance_table(n: pypsa.Network) -> pd.DataFrame:
    """Annual balance of the zone gas bus by component and carrier [MWh_th/a] and [Mm3/a].

    Returns
    -------
    pandas.DataFrame
        Columns ``component``, ``carrier``, ``value_mwh_th_per_a``, ``value_mm3_per_a``;
        empty when the network has no ``gas`` bus carrier.
    """
    columns = ["component", "carrier", "value_mwh_th_per_a", "value_mm3_per_a"]
    if not (n.buses.carrier == "gas").any():
        return pd.DataFrame(columns=columns)
    eb = n.statistics.energy_balance(bus_carrier="gas", groupby=["location", "carrier"],
                                     nice_names=False)
    frame = eb.rename("value_mwh_th_per_a").reset_index()
    if has_locations(n):
        frame = frame[frame.location.isin(ZONE_ACCOUNTS)]
    frame = frame.groupby(["component", "carrier"], as_index=False).value_mwh_th_per_a.sum()
    frame["value_mm3_per_a"] = frame.value_mwh_th_per_a / MWH_PER_MM3
    return frame[frame.value_mwh_th_per_a.abs() > 1e-6].reset_index(drop=True)


def heat_production(n: pypsa.Network) -> pd.DataFrame:
    """Annual heat production per producing component [MWh_th/a] with its classification."""
    prod = heat_producers(n)
    w = _weights(n)
    out = pd.Series(0.0, index=prod.index)
    links = prod.index[prod.component == "Link"]
    gens = prod.index[prod.component == "Generator"]
    if len(links):
        out[links] = (-n.links_t.p1[links]).multiply(w, axis=0).sum()
    if len(gens):
        out[gens] = n.generators_t.p[gens].multiply(w, axis=0).sum()
    return prod.assign(mwh_th=out)


def heat_capacity_mw_th(n: pypsa.Network) -> pd.DataFrame:
    """Installed and optimal heat output capacity per carrier [MW_th].

    Links: ``p_nom x efficiency`` (static efficiency; heat pumps carry their rating COP there,
    the hourly COP is in ``links_t.efficiency``); generators: ``p_nom``; CHP: the corner heat
    output of the region. Heat mains and storage are excluded.
    """
    prod = heat_producers(n)
    prod = prod[prod.carrier != shedding_carrier()]
    rows = []
    for name, row in prod.iterrows():
        if row.component == "Link":
            link = n.links.loc[name]
            rows.append((row.carrier, link.p_nom * link.efficiency,
                         link.p_nom_opt * link.efficiency))
        else:
            gen = n.generators.loc[name]
            rows.append((row.carrier, gen.p_nom, gen.p_nom_opt))
    table = pd.DataFrame(rows, columns=["carrier", "installed", "optimal"])
    return table.groupby("carrier").sum()


def emissions_by_sector(n: pypsa.Network) -> dict[str, float]:
    """Annual CO2 by sector [t CO2/a]: power, heat and other gas use.

    Each fuel bus gets the average intensity of the fuel supplied to it (CBM and pipeline gas
    alike, coal) [t CO2/MWh_th]; fuel drawn by links is attributed by carrier: CHP heat links,
    coal and gas boilers -> heat (for CHP this is the fuel for ``c_v x Q``, the electricity
    forgone); ``other gas use`` -> other; everything else (power plants, CHP power links) and
    counted electricity imports -> power; gas storage nets injection against withdrawal (~0
    over a cyclic period). The sectors sum to the emissions table.
    """
    w = _weights(n)
    zone_gens = _zone(n, "Generator")
    g = zone_gens[zone_gens.carrier != shedding_carrier()]
    co2 = g.carrier.map(n.carriers.co2_emissions).fillna(0.0)
    energy = n.generators_t.p[g.index].multiply(w, axis=0).sum()
    emitted = energy * co2
    fuel_bus = g.bus.map(n.buses.carrier) != "AC"
    by_bus = emitted[fuel_bus].groupby(g.bus[fuel_bus]).sum()
    supplied = energy[fuel_bus].groupby(g.bus[fuel_bus]).sum()
    intensity = (by_bus / supplied.where(supplied > 0)).fillna(0.0)
    out = {"power": float(emitted[~fuel_bus].sum()), "heat": 0.0, OTHER_GAS: 0.0}
    # net fuel drawn by each link from fuel buses: p0 at bus0, plus p1 (< 0 when it delivers
    # fuel back, e.g. gas storage withdrawal) at bus1
    zone_links = _zone(n, "Link")
    burnt = pd.Series(0.0, index=zone_links.index)
    for port in (0, 1):
        links = zone_links[zone_links[f"bus{port}"].isin(intensity.index)]
        drawn = n.links_t[f"p{port}"][links.index].multiply(w, axis=0).sum()
        burnt = burnt.add(drawn * links[f"bus{port}"].map(intensity), fill_value=0.0)
    for carrier, value in burnt.groupby(zone_links.carrier).sum().items():
        key = "heat" if carrier in HEAT_FUEL_CARRIERS else (
            "gas storage" if carrier in (INJECTION, WITHDRAWAL) else "power")
        out[key] = out.get(key, 0.0) + float(value)
    loads = _zone(n, "Load")
    loads = loads[loads.bus.isin(intensity.index)]
    if not loads.empty:
        used = n.loads_t.p_set[loads.index].multiply(w, axis=0).sum() * loads.bus.map(intensity)
        out[OTHER_GAS] += float(used.sum())
    return {k: round(v, 1) for k, v in out.items()}


def heat_summary(n: pypsa.Network) -> dict[str, Any]:
    """Heat KPIs: demand, production mix, clean shares, capacities, storage, unserved heat."""
    if not (n.buses.carrier == HEAT).any():
        return {"enabled": False}
    w = _weights(n)
    prod = heat_production(n)
    total = float(prod.mwh_th.sum())
    heat_loads = n.loads.index[n.loads.bus.map(n.buses.carrier) == HEAT]
    demand = float(n.loads_t.p_set[heat_loads].multiply(w, axis=0).sum().sum())
    shed = float(prod.mwh_th[prod.carrier == shedding_carrier()].sum())
    mix = prod[prod.carrier != shedding_carrier()].groupby(["bus", "carrier"]).mwh_th.sum() / 1e6
    cap = heat_capacity_mw_th(n)
    su = n.storage_units[n.storage_units.bus.map(n.buses.carrier) == HEAT]
    mains = n.links[n.links.carrier == HEAT_MAIN]
    return {
        "enabled": True,
        "demand_twh_th": demand / 1e6,
        "production_twh_th": total / 1e6,
        "production_by_carrier_twh_th": {k: round(float(v), 4) for k, v in (
            prod.groupby("carrier").mwh_th.sum() / 1e6).items()},
        "mix_by_area_twh_th": {bus.removesuffix(f" {HEAT}"): {c: round(float(v), 4)
                                                              for c, v in grp.droplevel(0).items()}
                               for bus, grp in mix.groupby(level=0)},
        "clean_share_non_coal": float(prod.mwh_th[prod.clean_non_coal].sum() / total)
        if total else None,
        "clean_share_policy": float(prod.mwh_th[prod.clean_policy].sum() / total)
        if total else None,
        "capacity_mw_th": {c: {"installed": round(float(r.installed), 3),
                               "optimal": round(float(r.optimal), 3),
                               "built": round(float(max(r.optimal - r.installed, 0.0)), 3)}
                           for c, r in cap.iterrows()},
        "heat_main_mw_th": {k: round(float(v), 3) for k, v in mains.p_nom_opt.items()},
        "storage_mwh_th": round(float((su.p_nom_opt * su.max_hours).sum()), 3),
        "unserved_heat_mwh_th": shed,
    }


def gas_summary(n: pypsa.Network) -> dict[str, Any]:
    """Gas KPIs [Mm3/a]: CBM vs import vs storage, consumers, CBM cap use, storage sizing."""
    if not (n.buses.carrier == "gas storage").any():
        return {"enabled": False}
    w = _weights(n)
    gen = _zone(n, "Generator")
    supply = n.generators_t.p[gen.index].multiply(w, axis=0).sum()
    on_gas = gen.bus.map(n.buses.carrier) == "gas"

    def mm3(carrier: str) -> float:
        return float(supply[gen.index[on_gas & (gen.carrier == carrier)]].sum() / MWH_PER_MM3)

    links = _zone(n, "Link")
    p0 = n.links_t.p0[links.index].multiply(w, axis=0).sum()
    inj = links.index[links.carrier == INJECTION]
    wd = links.index[links.carrier == WITHDRAWAL]
    gas_in = links.index[links.bus0.map(n.buses.carrier) == "gas"]
    consumers = (p0[gas_in].groupby(links.carrier[gas_in]).sum() / MWH_PER_MM3)
    consumers = consumers.drop(labels=INJECTION, errors="ignore")
    zone_loads = _zone(n, "Load")
    loads = zone_loads.index[zone_loads.bus.map(n.buses.carrier) == "gas"]
    cbm = gen[on_gas & (gen.carrier == "CBM")]
    cap = float(cbm.e_sum_max.sum() / MWH_PER_MM3) if len(cbm) else 0.0
    stores = n.stores[n.stores.carrier == "gas storage"]
    return {
        "enabled": True,
        "supply_mm3": {"CBM": mm3("CBM"), "pipeline import": mm3("gas"),
                       "storage withdrawal": float(p0[wd].sum() / MWH_PER_MM3)},
        "storage_injection_mm3": float(p0[inj].sum() / MWH_PER_MM3),
        "use_mm3": {**{k: round(float(v), 4) for k, v in consumers.items()},
                    OTHER_GAS: float(n.loads_t.p_set[loads].multiply(w, axis=0).sum().sum()
                                     / MWH_PER_MM3)},
        "cbm_cap_mm3": cap,
        "cbm_cap_use": mm3("CBM") / cap if cap > 0 else None,
        "storage_volume_mm3": {"installed": float(stores.e_nom.sum() / MWH_PER_MM3),
                               "optimal": float(stores.e_nom_opt.sum() / MWH_PER_MM3)},
        "storage_injection_mw_th": {"installed": float(links.p_nom[inj].sum()),
                                    "optimal": float(links.p_nom_opt[inj].sum())},
        "storage_withdrawal_mw_th": {"installed": float(links.p_nom[wd].sum()),
                                     "optimal": float(links.p_nom_opt[wd].sum())},
        "unserved_gas_mm3": mm3(shedding_carrier()),
    }


def heat_gas_summary(n: pypsa.Network) -> dict[str, Any]:
    """The ``heat``, ``gas`` and ``co2_by_sector_t`` entries of ``summary.json``."""
    return {"heat": heat_summary(n), "gas": gas_summary(n),
            "co2_by_sector_t": emissions_by_sector(n)}
