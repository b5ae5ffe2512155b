"""Tidy result tables of a solved network, computed from ``n.statistics`` alone.

Any saved ``network.nc`` can be re-reported. Tables (schema: :data:`energy.results.SCHEMA_VERSION`):

- ``capacity.csv``: component, carrier, bus_carrier, unit, installed, optimal, expanded
- ``costs.csv``: component, carrier, cost_type (capex | fom | opex), value_cny_per_a
- ``energy_balance.csv``: component, carrier, bus_carrier, value_mwh_per_a
- ``emissions.csv``: carrier, co2_t_per_a
- ``heat_balance.csv``, ``gas_balance.csv``: see :mod:`energy.results.sectors`
- ``neighbour_balance.csv``, ``boundary_prices.csv``: see :mod:`energy.results.neighbour`

The first four are the **zone's**: components in its accounts
(:func:`energy.network.regions.zone_accounts`); its trade with a modelled rest of Shanxi
appears as ``Line`` rows with carrier ``import`` / ``export`` (energy at the zone's border,
cost at the neighbour-end prices).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import with_role
from energy.network.carriers import co2_by_carrier
from energy.network.costs import fixed_cost_table
from energy.network.flexibility import start_up_costs
from energy.network.regions import FLAT_TRADE, ZONE_ACCOUNTS, has_locations, zone_accounts
from energy.results.neighbour import (
    boundary_prices_table,
    neighbour_balance_table,
    trade_balance_rows,
    trade_cost_rows,
)
from energy.results.sectors import gas_balance_table, heat_balance_table

#: market-like generators whose p_nom is a trade or supply limit, not plant capacity
TRADE_CARRIERS = with_role("import", "export", "unserved")


def _tidy(series: pd.Series, value: str) -> pd.DataFrame:
    frame = series.rename(value).reset_index()
    return frame.rename(columns={"level_0": "component", "level_1": "carrier"})


def _transmission_links(n: pypsa.Network) -> pd.Series:
    """Links whose two ends carry the same energy (e.g. the AC export corridor)."""
    carrier = n.buses.carrier
    bus0 = n.links.bus0.map(carrier)
    return (bus0 == n.links.bus1.map(carrier)) & (bus0 == "AC")


#: capacities are reported to 0.1 MW / 0.1 MWh: an interior-point solve without crossover
#: leaves 0.01-0.04 MW on candidates it does not build, which is solver tolerance, not a build
CAPACITY_DECIMALS = 1


def capacity_table(n: pypsa.Network) -> pd.DataFrame:
    """Installed, optimal and expanded capacity per component, carrier and output carrier.

    Capacities are at the *output* port: a Generator's or StorageUnit's ``p_nom`` [MW], a
    Link's ``p_nom × efficiency`` at ``bus1`` (a plant's electricity, a heat pump's heat, not
    their input) [MW], a Line's ``s_nom`` [MW]; storage energy of Stores (``e_nom``) and
    StorageUnits (``p_nom × max_hours``) [MWh]. ``bus_carrier`` is the carrier of the bus the
    capacity is measured at. A link whose two ends carry the same energy (export corridor,
    heat main) is reported by its sending capacity ``p_nom``.
    """
    carrier_of = n.buses.carrier
    rows = []

    def _add(component: str, df: pd.DataFrame, installed: pd.Series, optimal: pd.Series,
             bus: pd.Series, unit: str) -> None:
        if df.empty:
            return
        frame = pd.DataFrame({"carrier": df.carrier, "bus_carrier": bus.map(carrier_of),
                              "installed": installed, "optimal": optimal})
        grouped = frame.groupby(["carrier", "bus_carrier"], as_index=False)[
            ["installed", "optimal"]].sum()
        rows.append(grouped.assign(component=component, unit=unit))

    def zone(c: str) -> pd.DataFrame:
        static = n.components[c].static
        return static[zone_accounts(n, c)]

    g = zone("Generator")
    unbounded_market = g.p_nom_extendable & (g.capital_cost == 0) & ~np.isfinite(g.p_nom_max)
    g = g[~g.carrier.isin(TRADE_CARRIERS) & ~unbounded_market]
    _add("Generator", g, g.p_nom, g.p_nom_opt, g.bus, "MW")
    links = zone("Link")
    same = _transmission_links(n).reindex(links.index)
    eff = links.efficiency.where(~same, 1.0)
    _add("Link", links, links.p_nom * eff, links.p_nom_opt * eff, links.bus1, "MW")
    su = zone("StorageUnit")
    _add("StorageUnit", su, su.p_nom, su.p_nom_opt, su.bus, "MW")
    _add("StorageUnit", su, su.p_nom * su.max_hours, su.p_nom_opt * su.max_hours, su.bus, "MWh")
    st = zone("Store")
    _add("Store", st, st.e_nom, st.e_nom_opt, st.bus, "MWh")
    lines = zone("Line")
    _add("Line", lines, lines.s_nom, lines.s_nom_opt, lines.bus0, "MW")
    table = pd.concat(rows, ignore_index=True)
    table["expanded"] = (table.optimal - table.installed).clip(lower=0.0)
    cols = ["installed", "optimal", "expanded"]
    table[cols] = table[cols].round(CAPACITY_DECIMALS) + 0.0  # + 0.0: no "-0.0"
    return table[["component", "carrier", "bus_carrier", "unit", *cols]]


def by_account(n: pypsa.Network, per_asset: pd.Series, accounts: str = "zone") -> pd.Series:
    """Sum a per-asset statistic (index component, name) by component and carrier.

    ``accounts``: ``"zone"`` keeps the zone's assets, ``"neighbour"`` the rest of Shanxi's,
    ``"all"`` every asset.
    """
    parts = []
    for c, values in per_asset.groupby(level="component"):
        values = values.droplevel("component")
        if accounts != "all":
            zone = zone_accounts(n, c).reindex(values.index).fillna(False).astype(bool)
            values = values[zone if accounts == "zone" else ~zone]
        carrier = n.components[c].static.carrier.reindex(values.index)
        grouped = values.groupby(carrier).sum()
        grouped.index = pd.MultiIndex.from_product([[c], grouped.index],
                                                   names=["component", "carrier"])
        parts.append(grouped)
    if not parts:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_tuples(
            [], names=["component", "carrier"]))
    return pd.concat(parts)


def cost_table(n: pypsa.Network, accounts: str = "zone") -> pd.DataFrame:
    """Annual cost by component, carrier and type (capex | fom | opex) [CNY/a].

    ``capex``: annuity of new capacity only (for an expanded line, of the increment;
    existing assets have none), ``fom``: fixed O&M of all capacity
    (:func:`energy.network.costs.fixed_cost_table`), ``opex``: fuel, variable O&M, trade
    (sales to Shanxi and Xiong'an are negative) and load shedding (``n.statistics.opex``).
    ``accounts="zone"`` (the table written as ``costs.csv``) adds the zone's purchases from
    and sales to a modelled rest of Shanxi at the neighbour-end prices; ``"all"`` is the whole
    modelled system (the objective's scope). ``opex`` includes the start-up costs of the
    committed plants (:func:`energy.network.flexibility.start_up_costs`), which
    ``n.statistics`` does not see.
    """
    fixed = fixed_cost_table(n, per_asset=True)
    running = n.statistics.opex(groupby=False, nice_names=False)
    starts = start_up_costs(n)
    if not starts.empty:
        starts.index = pd.MultiIndex.from_product([["Link"], starts.index],
                                                  names=running.index.names)
        running = running.add(starts, fill_value=0.0)
    frames = [_tidy(by_account(n, fixed["capex"], accounts), "value_cny_per_a")
              .assign(cost_type="capex"),
              _tidy(by_account(n, fixed["fom"], accounts), "value_cny_per_a")
              .assign(cost_type="fom"),
              _tidy(by_account(n, running, accounts), "value_cny_per_a")
              .assign(cost_type="opex")]
    if accounts == "zone":
        frames.append(trade_cost_rows(n))
    table = pd.concat(frames, ignore_index=True)
    table = table[table.value_cny_per_a.abs() > 0]
    return table[["component", "carrier", "cost_type", "value_cny_per_a"]]


def energy_balance_table(n: pypsa.Network) -> pd.DataFrame:
    """The zone's annual energy balance by component, carrier and bus carrier [MWh/a].

    Rows of ports at zone (and Xiong'an) buses, plus flat-price trade generators; the flows
    on the lines to a modelled rest of Shanxi become ``Line``/``import`` and ``export`` rows
    (netted per snapshot). Weighted by snapshot weightings.
    """
    columns = ["component", "carrier", "bus_carrier", "value_mwh_per_a"]
    if not has_locations(n):
        eb = n.statistics.energy_balance(nice_names=False)
        frame = eb.rename("value_mwh_per_a").reset_index()
        frame.columns = columns
        return frame[frame.value_mwh_per_a.abs() > 1e-6]
    eb = n.statistics.energy_balance(groupby=["location", "carrier", "bus_carrier"],
                                     nice_names=False)
    frame = eb.rename("value_mwh_per_a").reset_index()
    keep = frame.location.isin(ZONE_ACCOUNTS) | frame.carrier.isin(FLAT_TRADE)
    frame = frame[keep & (frame.component != "Line")]
    frame = frame.groupby(columns[:3], as_index=False).value_mwh_per_a.sum()
    frame = pd.concat([frame, trade_balance_rows(n)], ignore_index=True)
    return frame[frame.value_mwh_per_a.abs() > 1e-6].reset_index(drop=True)[columns]


def emissions_table(n: pypsa.Network) -> pd.DataFrame:
    """The zone's annual CO2 by emitting carrier [t CO2/a]: generator supply × intensity.

    Fuel supply generators (coal, gas, CMM ...) at zone buses carry the fuel's intensity per
    MWh_th; the flat-price import generator carries the provincial grid factor when imports
    are counted. The rest of Shanxi's plants are in ``summary.json["neighbour"]``.
    """
    co2 = co2_by_carrier(n, "zone")
    return co2.rename("co2_t_per_a").rename_axis("carrier").reset_index()


def result_tables(n: pypsa.Network) -> dict[str, pd.DataFrame]:
    """All tidy result tables of a solved network."""
    return {
        "capacity": capacity_table(n),
        "costs": cost_table(n),
        "energy_balance": energy_balance_table(n),
        "emissions": emissions_table(n),
        "heat_balance": heat_balance_table(n),
        "gas_balance": gas_balance_table(n),
        "neighbour_balance": neighbour_balance_table(n),
        "boundary_prices": boundary_prices_table(n),
    }


