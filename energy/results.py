"""KPIs of a solved network as tidy tables and ``summary.json``, written atomically.

Everything here is computed from the solved network alone (``n.statistics``), so any saved
``network.nc`` can be re-reported. Output schema (version :data:`SCHEMA_VERSION`):

- ``capacity.csv``: component, carrier, bus_carrier, unit, installed, optimal, expanded
- ``costs.csv``: component, carrier, cost_type (capex | opex), value_cny_per_a
- ``energy_balance.csv``: component, carrier, bus_carrier, value_mwh_per_a
- ``emissions.csv``: carrier, co2_t_per_a
- ``heat_balance.csv``: heat_bus, component, carrier, value_mwh_th_per_a (empty without heat)
- ``gas_balance.csv``: component, carrier, value_mwh_th_per_a, value_mm3_per_a
- ``summary.json``, ``config.yaml``, ``network.nc``
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.datapackage import write_dashboard_feed
from energy.heat_gas_results import gas_balance_table, heat_balance_table, heat_gas_summary

SCHEMA_VERSION = "1.0"

#: market-like generators whose p_nom is a trade or supply limit, not plant capacity
TRADE_CARRIERS = ("import", "export", "export xiongan", "load shedding")


def _tidy(series: pd.Series, value: str) -> pd.DataFrame:
    frame = series.rename(value).reset_index()
    return frame.rename(columns={"level_0": "component", "level_1": "carrier"})


def _transmission_links(n: pypsa.Network) -> pd.Series:
    """Links whose two ends carry the same energy (e.g. the AC export corridor)."""
    carrier = n.buses.carrier
    bus0 = n.links.bus0.map(carrier)
    return (bus0 == n.links.bus1.map(carrier)) & (bus0 == "AC")


def export_summary(n: pypsa.Network, costs: pd.DataFrame) -> dict[str, Any]:
    """Export-corridor KPIs (``costs`` is the run's :func:`cost_table`).

    Capacity [MW], utilisation [p.u.], exported and delivered energy [TWh/a], clean share of
    exported energy (annual ratio, and hour-by-hour matched), attributed cost [CNY/a]. Empty
    when the network has no export corridor.
    """
    from energy.network.export import CORRIDOR, OFFTAKE
    from energy.policy import RENEWABLE_CARRIERS

    corridors = n.links.index[n.links.carrier == CORRIDOR]
    if corridors.empty:
        return {}
    w = n.snapshot_weightings.generators
    sent = n.links_t.p0[corridors].sum(axis=1)
    delivered = -n.links_t.p1[corridors].sum(axis=1)
    g = n.generators
    clean = n.generators_t.p[g.index[g.carrier.isin(RENEWABLE_CARRIERS)]].sum(axis=1)
    sent_mwh = float((sent * w).sum())
    capacity = float(n.links.p_nom_opt[corridors].sum())
    by_carrier = costs.groupby("carrier").value_cny_per_a.sum()
    corridor_cost = float(by_carrier.get(CORRIDOR, 0.0))
    offtake = float(by_carrier.get(OFFTAKE, 0.0))
    return {
        "corridor_mw": {k.removeprefix(f"{CORRIDOR} "): round(float(v), 3)
                        for k, v in n.links.p_nom_opt[corridors].items()},
        "corridor_mw_total": capacity,
        "utilisation": sent_mwh / (capacity * float(w.sum())) if capacity > 1e-6 else 0.0,
        "exported_twh": sent_mwh / 1e6,
        "delivered_twh": float((delivered * w).sum()) / 1e6,
        "clean_share_annual": min(1.0, float((clean * w).sum()) / sent_mwh) if sent_mwh else None,
        "clean_share_hourly_matched": (
            float((pd.concat([sent, clean], axis=1).min(axis=1).clip(lower=0) * w).sum())
            / sent_mwh if sent_mwh else None
        ),
        "corridor_cost_cny_per_a": corridor_cost,
        "offtake_cost_cny_per_a": offtake,
    }


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
    supply = n.statistics.supply(components="Generator", groupby="carrier", nice_names=False)
    if isinstance(supply.index, pd.MultiIndex):
        supply = supply.groupby(level="carrier").sum()
    intensity = n.carriers.co2_emissions.reindex(supply.index).fillna(0.0)
    co2 = (supply * intensity)
    co2 = co2[intensity > 0]
    return co2.rename("co2_t_per_a").rename_axis("carrier").reset_index()


def summary(
    n: pypsa.Network,
    scenario: Any,
    report: Any,
    timings: dict[str, float],
    tables: dict[str, pd.DataFrame],
) -> dict[str, Any]:
    """The run's headline figures (see README, "Output schema")."""
    costs, emissions, capacity = tables["costs"], tables["emissions"], tables["capacity"]
    eb = tables["energy_balance"]
    mw = capacity[(capacity.unit == "MW") & (capacity.component != "Line")
                  & (capacity.bus_carrier == "AC")]
    shed = eb[(eb.carrier == "load shedding") & (eb.bus_carrier == "AC")].value_mwh_per_a.sum()
    weights = n.snapshot_weightings.generators
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario.name,
        "year": scenario.year,
        "status": report.termination,
        "solver": {"preset": report.preset, "attempts": report.attempts,
                   **({"screening": report.screening} if report.screening else {})},
        "objective": report.objective,
        "system_cost": float(costs.value_cny_per_a.sum()),
        "system_cost_unit": "CNY/a",
        "co2_emissions": float(emissions.co2_t_per_a.sum()),
        "co2_emissions_unit": "t/a",
        "capacity_mw": {k: round(float(v), 3) for k, v in
                        mw.groupby("carrier").optimal.sum().items()},
        "storage_mwh": {k: round(float(v), 3) for k, v in
                        capacity[capacity.unit == "MWh"].groupby("carrier").optimal.sum().items()},
        "line_capacity_mw": {
            "installed": float(n.lines.s_nom.sum()), "optimal": float(n.lines.s_nom_opt.sum())
        },
        "unserved_energy_mwh": float(shed),
        "export": export_summary(n, costs),
        **heat_gas_summary(n),
        "load_mwh": float(n.loads_t.p_set.loc[:, n.loads.bus.map(n.buses.carrier) == "AC"]
                          .multiply(weights, axis=0).sum().sum()),
        "resolution": scenario.resolution,
        "snapshots": len(n.snapshots),
        "hours": float(weights.sum()),
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Write a run folder into a temporary sibling, then rename it into place.

    A failure anywhere in ``write`` leaves ``target`` as it was (no half-written folder).

    Parameters
    ----------
    target : Path
        Final folder, e.g. ``results/base``.
    write : callable
        Called with the temporary folder; writes every file.

    Returns
    -------
    Path
        ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        write(tmp)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


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


def write_results(
    target: Path,
    n: pypsa.Network,
    scenario: Any,
    report: Any,
    timings: dict[str, float],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Compute the tables and write the run folder atomically; return the summary.

    ``extra`` entries (e.g. ``verify``, the full-year design check) are added to the summary;
    ``timings['write_s']`` is the time spent on tables and files [s] (up to summary.json).
    """
    t0 = time.perf_counter()
    tables = result_tables(n)
    info = summary(n, scenario, report, timings, tables)
    info.update(extra or {})

    def _write(folder: Path) -> None:
        for name, table in tables.items():
            table.to_csv(folder / f"{name}.csv", index=False)
        (folder / "config.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        n.export_to_netcdf(folder / "network.nc")
        write_dashboard_feed(folder, n, scenario, tables, info)
        info["timings"]["write_s"] = round(time.perf_counter() - t0, 2)
        (folder / "summary.json").write_text(json.dumps(info, indent=2), encoding="utf-8")

    write_atomically(target, _write)
    return info
