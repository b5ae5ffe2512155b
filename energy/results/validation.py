"""Compare a dispatched statistics year with published figures (``validation.csv``).

Each row of ``validation.csv`` names a scope (``province`` = zone + rest of Shanxi = Shanxi,
or ``zone``), a metric and a carrier; :func:`model_value` computes the same quantity from the
solved network and :func:`compare` checks it against the reference's band: ``lower``/``upper``
when the row gives them (a source that states a bound or a range), else ``value`` ± the
tolerance of the row's confidence (:data:`TOLERANCE`). Rows of ``high`` confidence gate the
``validate`` command (exit code 4 when one fails); the others are reported.

Metrics (energies annual, weighted by snapshot weightings):

- ``generation`` [TWh]: AC output of plants by carrier group (``total``, ``thermal``, ``coal``
  = coal + coal CHP, ``onwind``, ``solar``, ``hydro`` = hydro + pumped-storage output, which
  the statistics count as hydro; batteries are not generation);
- ``share`` [p.u.]: a group's share of total generation;
- ``consumption`` [TWh]: electricity loads of zone and neighbour plus the zone's heat pumps
  and electric boilers (not the outbound band);
- ``net_outbound`` [TWh]: sales to other provinces plus the corridor to Xiong'an;
- ``curtailment`` [p.u.]: wind and solar energy not used over what the weather offered;
- ``co2_intensity`` [t/MWh]: power-sector CO2 (zone power plants and CHP power side, all
  neighbour plants) over total generation;
- ``storage_output`` [TWh]: discharge of the zone's pumped storage (Xilongchi);
- ``full_load_hours`` [h]: output over capacity of the zone's plants of the carrier;
- ``heat_delivered`` [TWh]: district heat to customers (heat loads net of network losses).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import renewable_carriers
from energy.network.carriers import co2_by_carrier
from energy.network.regions import zone_accounts
from energy.results.neighbour import exchange
from energy.results.sectors import emissions_by_sector

#: relative tolerance of a reference by its confidence [p.u.]
TOLERANCE = {"high": 0.05, "medium": 0.15, "low": 0.30}
#: carrier groups of the statistics
GROUPS = {
    "coal": ("coal", "coal CHP"),
    "thermal": ("coal", "coal CHP", "gas CHP", "CCGT", "OCGT", "CMM", "other thermal"),
    "onwind": ("onwind",), "solar": ("solar",), "hydro": ("hydro", "PHS"),
}
GENERATION = GROUPS["thermal"] + ("onwind", "solar", "hydro", "PHS")
COLUMNS = ["figure_id", "year", "scope", "metric", "carrier", "unit", "model", "reference",
           "lower", "upper", "passed", "gating", "confidence", "source"]


def _w(n: pypsa.Network) -> pd.Series:
    return n.snapshot_weightings.generators


def ac_output(n: pypsa.Network, scope: str) -> pd.Series:
    """AC output by carrier of the scope's plants and pumped storage [MWh/a]."""
    w = _w(n)
    out: dict[str, float] = {}
    g = n.generators
    mask = zone_accounts(n, "Generator") if scope == "zone" else pd.Series(True, index=g.index)
    g = g[mask & g.carrier.isin(GENERATION) & (g.bus.map(n.buses.carrier) == "AC")]
    if len(g):
        energy = n.generators_t.p[g.index].mul(w, axis=0).sum().groupby(g.carrier).sum()
        out.update(energy.to_dict())
    links = n.links
    mask = zone_accounts(n, "Link") if scope == "zone" else pd.Series(True, index=links.index)
    links = links[mask & links.carrier.isin(GENERATION)
                  & (links.bus1.map(n.buses.carrier) == "AC")]
    if len(links):
        energy = (-n.links_t.p1[links.index]).mul(w, axis=0).sum().groupby(links.carrier).sum()
        for k, v in energy.items():
            out[k] = out.get(k, 0.0) + float(v)
    su = n.storage_units
    mask = zone_accounts(n, "StorageUnit") if scope == "zone" else pd.Series(True, index=su.index)
    su = su[mask & (su.carrier == "PHS")]
    if len(su):
        out["PHS"] = float(n.storage_units_t.p_dispatch[su.index].mul(w, axis=0).sum().sum())
    return pd.Series(out, dtype=float)


def _generation(output: pd.Series, carrier: str) -> float:
    if carrier == "total":
        return float(output.sum())
    return float(output.reindex(list(GROUPS[carrier])).fillna(0.0).sum())


def _consumption(n: pypsa.Network) -> float:
    w = _w(n)
    loads = n.loads[(n.loads.carrier == "AC") & (n.loads.bus.map(n.buses.carrier) == "AC")]
    total = float(n.loads_t.p_set[loads.index].mul(w, axis=0).sum().sum())
    links = n.links[(n.links.bus0.map(n.buses.carrier) == "AC")
                    & (n.links.bus1.map(n.buses.carrier) == "heat")]
    if len(links):
        total += float(n.links_t.p0[links.index].mul(w, axis=0).sum().sum())
    return total


def _outbound(n: pypsa.Network) -> float:
    w = _w(n)
    loads = n.loads.index[n.loads.carrier == "outbound"]
    total = float(n.loads_t.p_set[loads].mul(w, axis=0).sum().sum()) if len(loads) else 0.0
    gens = n.generators.index[n.generators.carrier == "outbound"]
    if len(gens):
        total += float(-n.generators_t.p[gens].mul(w, axis=0).sum().sum())
    return total + exchange(n)["corridor_sent_mwh"]


def _curtailment(n: pypsa.Network) -> float:
    g = n.generators[n.generators.carrier.isin(renewable_carriers())]
    w = _w(n)
    avail = n.get_switchable_as_dense("Generator", "p_max_pu")[g.index] * g.p_nom_opt
    possible = float(avail.mul(w, axis=0).sum().sum())
    used = float(n.generators_t.p[g.index].mul(w, axis=0).sum().sum())
    return 1.0 - used / possible if possible > 0 else 0.0


def model_value(n: pypsa.Network, row: Any, heat_loss: float) -> float:
    """The model's value for one row of ``validation.csv``, in the row's unit."""
    scope, metric, carrier = row.scope, row.metric, row.carrier
    output = ac_output(n, scope)
    if metric == "generation":
        return _generation(output, carrier) / 1e6
    if metric == "share":
        total = _generation(output, "total")
        return _generation(output, carrier) / total if total else float("nan")
    if metric == "consumption":
        return _consumption(n) / 1e6
    if metric == "net_outbound":
        return _outbound(n) / 1e6
    if metric == "curtailment":
        return _curtailment(n)
    if metric == "co2_intensity":
        power = emissions_by_sector(n).get("power", 0.0) + float(
            co2_by_carrier(n, "neighbour").sum())
        total = _generation(output, "total")
        return power / total if total else float("nan")
    if metric == "storage_output":
        return float(output.get(carrier, 0.0)) / 1e6
    if metric == "full_load_hours":
        links = n.links[zone_accounts(n, "Link") & (n.links.carrier == carrier)]
        capacity = float((links.p_nom_opt * links.efficiency).sum())
        produced = float((-n.links_t.p1[links.index]).mul(_w(n), axis=0).sum().sum())
        return produced / capacity if capacity else float("nan")
    if metric == "heat_delivered":
        loads = n.loads.index[n.loads.carrier == "heat"]
        heat = float(n.loads_t.p_set[loads].mul(_w(n), axis=0).sum().sum())
        return heat / (1.0 + heat_loss) / 1e6
    raise ValueError(f"validation.csv: unknown metric {metric!r}")


def bounds(row: Any) -> tuple[float, float]:
    """The accepted band of a reference row: its ``lower``/``upper``, else value ± tolerance."""
    if row.lower == row.lower and row.lower is not None:
        return float(row.lower), float(row.upper)
    tol = TOLERANCE[row.confidence] * abs(float(row.value))
    return float(row.value) - tol, float(row.value) + tol


def compare(n: pypsa.Network, reference: pd.DataFrame, year: int,
            heat_loss: float = 0.0) -> pd.DataFrame:
    """Model against reference for every row of ``reference`` of ``year``.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`: model and reference value in the row's unit, the band, ``passed``,
        ``gating`` (high confidence), confidence and source.
    """
    rows = []
    for row in reference[reference.year == year].itertuples():
        value = model_value(n, row, heat_loss)
        lo, hi = bounds(row)
        passed = bool(np.isfinite(value) and lo - 1e-9 <= value <= hi + 1e-9)
        rows.append({"figure_id": row.figure_id, "year": int(row.year), "scope": row.scope,
                     "metric": row.metric, "carrier": row.carrier, "unit": row.unit,
                     "model": round(float(value), 4), "reference": float(row.value),
                     "lower": round(lo, 4), "upper": round(hi, 4), "passed": passed,
                     "gating": row.confidence == "high", "confidence": row.confidence,
                     "source": row.source})
    return pd.DataFrame(rows, columns=COLUMNS)


def iamc_rows(table: pd.DataFrame, scenario_name: str, model: str) -> pd.DataFrame:
    """Validation rows for the IAMC feed.

    The model's value (model ``model``) and the reference (model ``Validation``), variable
    ``Validation|<metric>|<carrier>``, region ``Shanxi`` or ``Taiyuan-Xinzhou``.
    """
    rows = []
    for r in table.itertuples():
        region = "Shanxi" if r.scope == "province" else "Taiyuan-Xinzhou"
        variable = f"Validation|{r.metric}|{r.carrier}"
        for who, value in ((model, r.model), ("Validation", r.reference)):
            rows.append({"model": who, "scenario": scenario_name, "region": region,
                         "variable": variable, "unit": r.unit, "year": int(r.year),
                         "value": float(value)})
    return pd.DataFrame(rows, columns=["model", "scenario", "region", "variable", "unit",
                                       "year", "value"])
