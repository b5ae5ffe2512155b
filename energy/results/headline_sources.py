"""The inputs behind a run's headline figures (``headline_sources.csv`` of a run folder).

Each headline figure is traced to the input rows that set it directly:

* capacity of a technology: the rows its components were built from (``n.meta["input_links"]``,
  e.g. the sites of ``renewable_sites.csv``) and its ``costs.csv`` rows;
* system cost: every ``costs.csv``, ``fuels.csv`` and ``boundary.csv`` value and the demand;
* CO2 emissions: fuels (CO2 factor and price), plant efficiencies, the import emission factor
  and the demand;
* line capacity: ``lines.csv`` and the line cost rows.

:func:`headline_sources` returns the table (one row per figure: values used, their share by
confidence, source ids); the run folder keeps it, the report and the results store read it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa

from energy.inputs.sources import ESTIMATE, source_ids
from energy.network.provenance import input_links
from energy.results.iamc import technology

#: the run folder's file of :func:`headline_sources`
FILE = "headline_sources.csv"

#: costs.csv technologies of carriers whose name differs
COST_ROWS = {"battery": ("battery storage",), "battery charger": ("battery inverter",),
             "battery discharger": ("battery inverter",), "AC": ("AC line 500kV",)}
_SYSTEM = ("costs.csv", "fuels.csv", "boundary.csv", "demand.csv", "gas.csv")
_CO2 = {"fuels.csv": None, "plants.csv": ("efficiency",),
        "boundary.csv": ("import_co2_t_per_mwh",), "demand.csv": None}


def _technology_of(row: str) -> str:
    return row.split("/")[0]


def _carrier_rows(prov: pd.DataFrame, n: pypsa.Network, links: pd.DataFrame,
                  carrier: str) -> pd.DataFrame:
    keys: set[tuple[str, str]] = set()
    for component, group in links.groupby("component"):
        static = n.components[component].static
        carriers = static.carrier.reindex(group.name)
        keys |= set(zip(group.file[(carriers == carrier).to_numpy()],
                        group.row[(carriers == carrier).to_numpy()], strict=True))
    techs = set(COST_ROWS.get(carrier, (carrier,)))
    by_link = prov[[(f, r) in keys for f, r in zip(prov.file, prov.row, strict=True)]]
    costs = prov[(prov.file == "costs.csv") & prov.row.map(_technology_of).isin(techs)]
    return pd.concat([by_link, costs])


def _describe(figure: str, value: str, rows: pd.DataFrame) -> dict[str, Any]:
    shares = rows.confidence.value_counts(normalize=True)
    ids = sorted({s for cell in rows.drop_duplicates(["file", "row"]).source
                  for s in source_ids(cell) if s != ESTIMATE},
                 key=lambda s: int(s[1:]))
    return {"figure": figure, "value": value, "input_values": len(rows),
            "input_rows": len(rows.drop_duplicates(["file", "row"])),
            "low_share": float(shares.get("low", 0.0)),
            "medium_share": float(shares.get("medium", 0.0)),
            "high_share": float(shares.get("high", 0.0)),
            "estimate_rows": int(rows.drop_duplicates(["file", "row"]).source
                                 .map(lambda c: ESTIMATE in source_ids(c)).sum()),
            "sources": ";".join(ids), "files": ";".join(sorted(rows.file.unique()))}


def headline_sources(prov: pd.DataFrame, n: pypsa.Network, summary: dict[str, Any]
                     ) -> pd.DataFrame:
    """One row per headline figure with the inputs behind it.

    Parameters
    ----------
    prov : pandas.DataFrame
        The run's ``provenance.csv`` (:func:`energy.results.provenance.read_provenance`).
    n : pypsa.Network
        The solved network (its ``input_links`` and carriers).
    summary : dict
        The run's ``summary.json``.

    Returns
    -------
    pandas.DataFrame
        Columns figure, value, input_values, input_rows, low_share, medium_share, high_share
        [p.u. of the values], estimate_rows, sources (ids), files.
    """
    if prov.empty:
        return pd.DataFrame()
    links = input_links(n)
    out = [_describe("system cost", f"{summary.get('system_cost', 0) / 1e9:,.3f} bn CNY/a",
                     prov[prov.file.isin(_SYSTEM)])]
    co2 = prov[[f in _CO2 and (_CO2[f] is None or c in _CO2[f])
                for f, c in zip(prov.file, prov.column, strict=True)]]
    out.append(_describe("CO2 emissions", f"{summary.get('co2_emissions', 0) / 1e6:,.2f} Mt/a",
                         co2))
    for carrier, mw in (summary.get("capacity_mw") or {}).items():
        if technology(carrier).role not in ("generation", "storage") or mw < 0.5:
            continue
        rows = _carrier_rows(prov, n, links, carrier)
        if not rows.empty:
            out.append(_describe(f"capacity {carrier}", f"{mw:,.0f} MW", rows))
    lines = pd.concat([prov[prov.file == "lines.csv"], _carrier_rows(prov, n, links, "AC")
                       .query("file == 'costs.csv'")])
    optimal = (summary.get("line_capacity_mw") or {}).get("optimal", 0.0)
    out.append(_describe("line capacity", f"{optimal:,.0f} MW", lines))
    return pd.DataFrame(out)
