"""Run results in the IAMC long format (model, scenario, region, variable, unit, year, value).

The table is built from the tidy result tables of :mod:`energy.results` only, so it can be
rebuilt for any saved run. Technologies are identified by their PyPSA ``carrier`` through
:data:`TECHNOLOGIES`; a carrier missing there is reported under its own name.

Variables (``<Energy>`` is the IAMC name of the bus carrier, see :data:`ENERGY`: ``Electricity``,
``Heat``, ``Gas``; ``<Tech>`` the technology path of :data:`TECHNOLOGIES`, e.g. ``Wind|Onshore``):

- ``Capacity|<Energy>|<Tech>`` [MW]: optimal capacity at the output port (a negative capacity
  at an input port, e.g. a heat pump's at its electricity bus, is not reported);
  storage power under ``Capacity|<Energy>|Storage|<Tech>`` [MW]
- ``Capacity Additions|<Energy>|...`` [MW]: optimal minus existing capacity
- ``Storage Capacity|<Energy>|<Tech>`` [MWh]: storage energy capacity
- ``Capacity|Transmission|AC``, ``Capacity Additions|Transmission|AC`` [MW]: sum of line ratings;
  ``Capacity|Transmission|Export Corridor`` [MW]: the corridor to Xiong'an
- ``Secondary Energy|<Energy>|<Tech>`` [MWh/yr]: annual output (weighted)
- ``Final Energy|<Energy>`` [MWh/yr]: demand of the loads
- ``Primary Energy|<Fuel>`` [MWh/yr]: fuel supplied (thermal), ``<Fuel>`` from :data:`FUELS`
- ``Trade|<Energy>|Import``, ``Trade|<Energy>|Export`` [MWh/yr]: exchange with the rest of Shanxi
- ``Unserved Energy|<Energy>`` [MWh/yr]: load shed
- ``Emissions|CO2|Energy|<Fuel>`` [t CO2/yr]: fuel combustion in the zone
- ``Emissions|CO2|Imported Electricity`` [t CO2/yr]: counted grid-import emissions
- ``Cost|Total System|Capital``, ``Cost|Total System|Fixed O&M``, ``Cost|Total System|Operation``
  [CNY/yr]: annuity of new capacity, fixed O&M of all capacity, opex net of export revenue

The rows above are the zone's (region ``Taiyuan-Xinzhou``). A modelled rest of Shanxi adds,
per region ``Rest of Shanxi|<region id>``, ``Secondary Energy|Electricity|<Tech>``,
``Primary Energy|<Fuel>``, ``Final Energy|Electricity`` and
``Trade|Electricity|Export|Other Provinces`` from ``neighbour_balance.csv``. A ``validate``
run adds its comparison: ``Validation|<metric>|<carrier>`` with the model's value (model
``taixin-energy``) and the published figure (model ``Validation``), region ``Shanxi`` or
``Taiyuan-Xinzhou``.

A run with near-optimal alternatives adds ``Near-Optimal|<decision>|Optimum`` and
``Near-Optimal|<decision>|Min|<slack>`` / ``...|Max|<slack>`` (e.g. ``Near-Optimal|Onshore
wind|Max|2%``) in the decision's unit (MW; battery energy MWh), not aggregated.

Every intermediate node of the hierarchy with at least two levels (``Capacity|Electricity``,
``Capacity|Electricity|Gas``, ``Emissions|CO2``, ``Cost|Total System`` ...) is added as the sum
of its leaves, so ``pyam.IamDataFrame.check_aggregate`` holds by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from energy.carriers import registry
from energy.results.validation import iamc_rows

MODEL = "taixin-energy"
REGION = "Taiyuan-Xinzhou"
COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]

#: bus carrier -> IAMC energy carrier name
ENERGY: dict[str, str] = {"AC": "Electricity", "heat": "Heat"}


@dataclass(frozen=True)
class Technology:
    """How one PyPSA carrier is reported (a row of the carrier registry).

    Attributes
    ----------
    role : str
        The registry's ``role``: ``generation`` | ``storage`` | ``corridor`` | ``import`` |
        ``export`` | ``unserved`` | ``fuel`` | ``transfer`` | ``demand`` | ``ignore``.
    name : str
        IAMC technology path below the energy carrier (``Wind|Onshore``).
    energy : str, optional
        IAMC energy carrier of the capacity when the bus carrier does not tell (a battery's or
        a tank's own bus).
    """

    role: str
    name: str = ""
    energy: str | None = None


def _registry_technologies() -> dict[str, Technology]:
    table = registry()
    return {str(c): Technology(r.role, r.iamc, r.iamc_energy or None)
            for c, r in table.iterrows()}


#: PyPSA carrier -> reporting; carriers not listed count as generation under their own name
TECHNOLOGIES: dict[str, Technology] = _registry_technologies()

#: fuel carrier -> IAMC fuel path (primary energy and combustion emissions)
FUELS: dict[str, str] = {str(c): f for c, f in registry().iamc_fuel.items() if f}

#: emitting carriers that are not fuels -> IAMC emissions variable
EMISSIONS: dict[str, str] = {str(c): v for c, v in registry().iamc_emissions.items() if v}


def technology(carrier: str) -> Technology:
    """Reporting rule of a carrier; unknown carriers are generation under their own name."""
    return TECHNOLOGIES.get(carrier, Technology("generation", _clean(carrier)))


def _clean(name: str) -> str:
    return str(name).replace("|", "/").strip()


def _energy(bus_carrier: str) -> str:
    return ENERGY.get(bus_carrier, _clean(bus_carrier).title())


def _capacity_rows(capacity: pd.DataFrame) -> list[tuple[str, str, float]]:
    rows: list[tuple[str, str, float]] = []
    for r in capacity.itertuples(index=False):
        if r.component == "Line":  # reported from the summary, see _line_rows
            continue
        tech = technology(r.carrier)
        if r.optimal < 0:  # capacity measured at an input port: a consumer here
            continue
        known = pd.notna(r.expanded)  # pathways report optimal capacity only
        if tech.role == "corridor" and r.unit == "MW":
            rows.append((f"Capacity|Transmission|{tech.name}", "MW", r.optimal))
            if known:
                rows.append((f"Capacity Additions|Transmission|{tech.name}", "MW", r.expanded))
            continue
        if tech.role not in ("generation", "storage"):
            continue
        energy = tech.energy or _energy(r.bus_carrier)
        if r.unit == "MWh":
            rows.append((f"Storage Capacity|{energy}|{tech.name}", "MWh", r.optimal))
            continue
        path = f"Storage|{tech.name}" if tech.role == "storage" else tech.name
        rows.append((f"Capacity|{energy}|{path}", "MW", r.optimal))
        if known:
            rows.append((f"Capacity Additions|{energy}|{path}", "MW", r.expanded))
    return rows


def _energy_rows(balance: pd.DataFrame) -> list[tuple[str, str, float]]:
    rows: list[tuple[str, str, float]] = []
    fuels = balance[(balance.component == "Generator") & ~balance.bus_carrier.isin(list(ENERGY))
                    & (balance.value_mwh_per_a > 0)]
    for r in fuels.itertuples(index=False):
        fuel = FUELS.get(r.carrier, _clean(r.carrier))
        rows.append((f"Primary Energy|{fuel}", "MWh/yr", float(r.value_mwh_per_a)))
    known = balance[balance.bus_carrier.isin(list(ENERGY))]
    for r in known.itertuples(index=False):
        energy, value = ENERGY[r.bus_carrier], float(r.value_mwh_per_a)
        if r.component == "Load":
            rows.append((f"Final Energy|{energy}", "MWh/yr", -value))
            continue
        tech = technology(r.carrier)
        if tech.role == "generation" and value > 0:
            rows.append((f"Secondary Energy|{energy}|{tech.name}", "MWh/yr", value))
        elif tech.role in ("import", "export"):
            rows.append((f"Trade|{energy}|{tech.name}", "MWh/yr", abs(value)))
        elif tech.role == "unserved":
            rows.append((f"Unserved Energy|{energy}", "MWh/yr", value))
    return rows


def _line_rows(summary: dict[str, Any]) -> list[tuple[str, str, float]]:
    lines = summary.get("line_capacity_mw") or {}
    if "optimal" not in lines:
        return []
    rows = [("Capacity|Transmission|AC", "MW", float(lines["optimal"]))]
    if "installed" in lines:
        added = max(float(lines["optimal"]) - float(lines["installed"]), 0.0)
        rows.append(("Capacity Additions|Transmission|AC", "MW", added))
    return rows


def _emission_rows(emissions: pd.DataFrame) -> list[tuple[str, str, float]]:
    return [
        (EMISSIONS.get(r.carrier,
                       f"Emissions|CO2|Energy|{FUELS.get(r.carrier, _clean(r.carrier))}"),
         "t CO2/yr",
         float(r.co2_t_per_a))
        for r in emissions.itertuples(index=False)
    ]


def _cost_rows(costs: pd.DataFrame) -> list[tuple[str, str, float]]:
    names = {"capex": "Capital", "fom": "Fixed O&M", "opex": "Operation"}
    by_type = costs.groupby("cost_type").value_cny_per_a.sum()
    return [(f"Cost|Total System|{names.get(k, _clean(k).title())}", "CNY/yr", float(v))
            for k, v in by_type.items()]


def add_aggregates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every intermediate variable of >= 2 levels as the sum of its leaves.

    Parameters
    ----------
    frame : DataFrame
        Columns ``variable``, ``unit``, ``value`` (leaves, one row per variable).

    Returns
    -------
    DataFrame
        ``frame`` plus one row per missing parent; parents whose leaves mix units are skipped.
    """
    leaves = frame.groupby(["variable", "unit"], as_index=False).value.sum()
    present = set(leaves.variable)
    parents: dict[str, list[int]] = {}
    for i, var in enumerate(leaves.variable):
        parts = var.split("|")
        for depth in range(2, len(parts)):
            parents.setdefault("|".join(parts[:depth]), []).append(i)
    extra = []
    for parent, idx in parents.items():
        sub = leaves.iloc[idx]
        if parent in present or sub.unit.nunique() != 1:
            continue
        extra.append({"variable": parent, "unit": sub.unit.iloc[0], "value": sub.value.sum()})
    return pd.concat([leaves, pd.DataFrame(extra, columns=leaves.columns)], ignore_index=True)


def neighbour_rows(balance: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """IAMC leaves (variable, unit, value) per rest-of-Shanxi region from its balance table."""
    out = {}
    for location, frame in balance.groupby("location"):
        frame = frame.copy()
        outbound = frame.carrier.map(lambda c: technology(c).role == "export")
        frame.loc[outbound, "component"] = "Generator"  # the firm band is a sale, not a use
        rows = _energy_rows(frame)
        out[f"Rest of Shanxi|{location}"] = pd.DataFrame(rows,
                                                         columns=["variable", "unit", "value"])
    return out


def near_optimal_rows(summary: dict[str, Any]) -> list[tuple[str, str, float]]:
    """IAMC leaves (variable, unit, value) of the near-optimal ranges of ``summary``.

    Parameters
    ----------
    summary : dict
        A run's summary; its ``near_optimal.ranges`` (decision -> ``label`` "name [unit]",
        ``optimum`` and ``[min, max]`` per slack) are read, decisions without a range skipped.

    Returns
    -------
    list of tuple
        ``Near-Optimal|<Name>|Optimum`` and ``Near-Optimal|<Name>|Min|<slack %>`` / ``Max``.
    """
    ranges = (summary.get("near_optimal") or {}).get("ranges") or {}
    rows: list[tuple[str, str, float]] = []
    for decision in ranges.values():
        label = str(decision.get("label", ""))
        name, _, unit = label.partition(" [")
        name = name[:1].upper() + name[1:]
        unit = unit.rstrip("]").split("_")[0] or "MW"
        if decision.get("optimum") is None:
            continue
        rows.append((f"Near-Optimal|{name}|Optimum", unit, float(decision["optimum"])))
        for slack, bounds in decision.items():
            try:
                share = float(slack)
            except ValueError:
                continue
            if not isinstance(bounds, list | tuple) or len(bounds) != 2 or None in bounds:
                continue
            pct = f"{100 * share:g}%"
            rows += [(f"Near-Optimal|{name}|Min|{pct}", unit, float(bounds[0])),
                     (f"Near-Optimal|{name}|Max|{pct}", unit, float(bounds[1]))]
    return rows


def iamc_table(tables: dict[str, pd.DataFrame], summary: dict[str, Any], scenario_name: str,
               year: int, model: str = MODEL, region: str = REGION) -> pd.DataFrame:
    """The run's results as an IAMC long table.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Result tables of :func:`energy.results.result_tables` (``capacity``, ``costs``,
        ``energy_balance``, ``emissions``); missing tables are skipped.
    summary : dict
        The run's summary (``line_capacity_mw`` [MW] gives the transmission rows).
    scenario_name : str
        IAMC ``scenario`` (the run's name).
    year : int
        Model year.
    model, region : str
        IAMC ``model`` and ``region``.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`; values in MW, MWh, MWh/yr, t CO2/yr, CNY/yr (see ``unit``).
    """
    rows = _line_rows(summary)
    builders: list[tuple[str, Any]] = [("capacity", _capacity_rows),
                                       ("energy_balance", _energy_rows),
                                       ("emissions", _emission_rows), ("costs", _cost_rows)]
    for key, builder in builders:
        if key in tables and not tables[key].empty:
            rows += builder(tables[key])
    frame = pd.DataFrame(rows, columns=["variable", "unit", "value"])
    frames = [add_aggregates(frame).assign(region=region)]
    balance = tables.get("neighbour_balance")
    if balance is not None and not balance.empty:
        for name, leaves in neighbour_rows(balance).items():
            if not leaves.empty:
                frames.append(add_aggregates(leaves).assign(region=name))
    near = near_optimal_rows(summary)
    if near:
        frames.append(pd.DataFrame(near, columns=["variable", "unit", "value"])
                      .assign(region=region))
    frame = pd.concat(frames, ignore_index=True).astype({"value": float})
    frame = frame.assign(model=model, scenario=scenario_name, year=int(year))
    frame = frame[COLUMNS].sort_values(["region", "variable"], ignore_index=True)
    validation = tables.get("validation")
    if validation is not None and not validation.empty:
        frame = pd.concat([frame, iamc_rows(validation, scenario_name, model)[COLUMNS]],
                          ignore_index=True)
    return frame.round({"value": 3})


def pathway_iamc_table(tables: dict[str, pd.DataFrame], scenario_name: str,
                       model: str = MODEL, region: str = REGION) -> pd.DataFrame:
    """A pathway's per-period tables (:func:`energy.results.periods.period_tables`) as IAMC.

    One block of :func:`iamc_table` rows per period (``year`` = period). Pathway capacity
    tables hold the optimal capacity at the electricity port only (``optimal_mw``), so there
    are no ``Capacity Additions`` and no storage energy rows.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``capacity``, ``costs``, ``emissions``, ``energy_balance`` with a ``period`` column.
    scenario_name : str
        IAMC ``scenario``.
    model, region : str
        IAMC ``model`` and ``region``.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`.
    """
    periods = sorted({int(p) for t in tables.values() if "period" in t for p in t.period})
    frames = []
    for period in periods:
        sub = {k: t[t.period == period].drop(columns="period") for k, t in tables.items()
               if "period" in t}
        summary: dict[str, Any] = {}
        cap = sub.get("capacity")
        if cap is not None and "optimal_mw" in cap:
            lines = cap[(cap.component == "Line") & cap.optimal_mw.notna()]
            if len(lines):  # PyPSA reports no line capacity at a bus carrier in pathways
                summary["line_capacity_mw"] = {"optimal": float(lines.optimal_mw.sum())}
            sub["capacity"] = cap.assign(bus_carrier="AC", unit="MW", optimal=cap.optimal_mw,
                                         installed=float("nan"), expanded=float("nan"))
        frames.append(iamc_table(sub, summary, scenario_name, period, model, region))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)
