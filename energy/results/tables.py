"""Tidy result tables of a solved network, computed from ``n.statistics`` alone.

Any saved ``network.nc`` can be re-reported. Tables (schema: :data:`energy.results.SCHEMA_VERSION`):

- ``capacity.csv``: component, carrier, bus_carrier, unit, installed, optimal, expanded
- ``costs.csv``: component, carrier, cost_type (capex | opex), value_cny_per_a
- ``energy_balance.csv``: component, carrier, bus_carrier, value_mwh_per_a
- ``emissions.csv``: carrier, co2_t_per_a
- ``heat_balance.csv``, ``gas_balance.csv``: see :mod:`energy.results.sectors`
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import with_role
from energy.network.carriers import co2_by_carrier
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

    g = n.generators
    unbounded_market = g.p_nom_extendable & (g.capital_cost == 0) & ~np.isfinite(g.p_nom_max)
    g = g[~g.carrier.isin(TRADE_CARRIERS) & ~unbounded_market]
    _add("Generator", g, g.p_nom, g.p_nom_opt, g.bus, "MW")
    links = n.links
    same = _transmission_links(n)
    eff = links.efficiency.where(~same, 1.0)
    _add("Link", links, links.p_nom * eff, links.p_nom_opt * eff, links.bus1, "MW")
    su = n.storage_units
    _add("StorageUnit", su, su.p_nom, su.p_nom_opt, su.bus, "MW")
    _add("StorageUnit", su, su.p_nom * su.max_hours, su.p_nom_opt * su.max_hours, su.bus, "MWh")
    st = n.stores
    _add("Store", st, st.e_nom, st.e_nom_opt, st.bus, "MWh")
    lines = n.lines
    _add("Line", lines, lines.s_nom, lines.s_nom_opt, lines.bus0, "MW")
    table = pd.concat(rows, ignore_index=True)
    table["expanded"] = (table.optimal - table.installed).clip(lower=0.0)
    cols = ["installed", "optimal", "expanded"]
    table[cols] = table[cols].round(CAPACITY_DECIMALS) + 0.0  # + 0.0: no "-0.0"
    return table[["component", "carrier", "bus_carrier", "unit", *cols]]


def cost_table(n: pypsa.Network) -> pd.DataFrame:
    """Annual cost by component, carrier and type (capex | opex) [CNY/a]."""
    s = n.statistics
    capex = _tidy(s.capex(nice_names=False), "value_cny_per_a").assign(cost_type="capex")
    opex = _tidy(s.opex(nice_names=False), "value_cny_per_a").assign(cost_type="opex")
    table = pd.concat([capex, opex], ignore_index=True)
    table = table[table.value_cny_per_a.abs() > 0]
    return table[["component", "carrier", "cost_type", "value_cny_per_a"]]


def energy_balance_table(n: pypsa.Network) -> pd.DataFrame:
    """Annual energy balance by component, carrier and bus carrier [MWh/a] (weighted)."""
    eb = n.statistics.energy_balance(nice_names=False)
    frame = eb.rename("value_mwh_per_a").reset_index()
    frame.columns = ["component", "carrier", "bus_carrier", "value_mwh_per_a"]
    return frame[frame.value_mwh_per_a.abs() > 1e-6]


def emissions_table(n: pypsa.Network) -> pd.DataFrame:
    """Annual CO2 by emitting carrier [t CO2/a]: generator supply × carrier intensity.

    Fuel supply generators (coal, gas, CMM ...) carry the fuel's intensity per MWh_th; the
    import generator carries the provincial grid factor when imports are counted.
    """
    co2 = co2_by_carrier(n)
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
    }


