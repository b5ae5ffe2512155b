"""Dashboard feed of a run folder: ``iamc.csv`` and a Frictionless ``datapackage.json``.

:func:`write_dashboard_feed` is called by :func:`energy.results.write_results` while the run
folder is still temporary, after the result tables are written and before ``summary.json``,
so a run folder either has the complete feed or does not exist.

``datapackage.json`` is a Frictionless *Tabular Data Package* (v1 profile) with one resource per
CSV in the folder: field names, types (integer | number | boolean | string) and a description that
gives the unit in brackets; ``schema_version`` is :data:`energy.results.SCHEMA_VERSION` (taken
from the summary). Validate with ``frictionless validate results/<run>/datapackage.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pypsa

from energy.results.iamc import iamc_table
from energy.results.units import unit_of

#: column name -> (description, unit or None)
FIELDS: dict[str, tuple[str, str | None]] = {
    "component": ("PyPSA component class (Generator, Link, StorageUnit, Store, Line, Load)", None),
    "carrier": ("PyPSA carrier of the component (technology or fuel)", None),
    "bus_carrier": ("Carrier of the bus the value is measured at (AC = electricity)", None),
    "unit": ("Unit of the row's values", None),
    "installed": ("Existing capacity, in the row's unit (MW or MWh)", None),
    "optimal": ("Optimal capacity, in the row's unit (MW or MWh)", None),
    "expanded": ("Optimal minus existing capacity (>= 0), in the row's unit", None),
    "cost_type": ("capex (annuity of new capacity), fom (fixed O&M) or opex (operation)", None),
    "value_cny_per_a": ("Annual cost", "CNY/a"),
    "value_mwh_per_a": ("Annual energy, weighted by snapshot weights; + supply, - use",
                        "MWh/a"),
    "co2_t_per_a": ("Annual CO2 emissions", "t CO2/a"),
    "model": ("IAMC model name", None),
    "scenario": ("IAMC scenario (the run's name)", None),
    "region": ("IAMC region", None),
    "variable": ("IAMC variable (list in docs/workflow.md, 'IAMC variables')", None),
    "year": ("Model year", "a"),
    "value": ("Value in the row's unit", None),
    "bus": ("Bus name", None),
    "location": ("Bus location: 'zone', a neighbour region id, 'xiongan' (empty if unset)", None),
    "x": ("Longitude", "deg E"),
    "y": ("Latitude", "deg N"),
    "v_nom": ("Nominal voltage", "kV"),
    "branch": ("Line or corridor link name", None),
    "kind": ("line (AC line) or corridor (link between electricity buses)", None),
    "bus0": ("Sending bus", None),
    "bus1": ("Receiving bus", None),
    "s_nom": ("Existing rating", "MW"),
    "s_nom_opt": ("Optimal rating", "MW"),
    "mean_loading": ("Mean |flow| / optimal rating, weighted by snapshot weights", "p.u."),
    "max_loading": ("Largest |flow| / optimal rating", "p.u."),
    "file": ("Input file of network_data/", None),
    "row": ("Row id: the file's primary key, parts joined by '/'", None),
    "column": ("Input column", None),
    "source": ("Source ids of the input row (network_data/README.md) or 'estimate'", None),
    "confidence": ("Confidence of the input row: high, medium or low", None),
    "figure": ("Headline figure (system cost, CO2 emissions, capacity <carrier>, line capacity)",
               None),
    "input_values": ("Input values behind the figure", None),
    "input_rows": ("Input rows behind the figure", None),
    "low_share": ("Share of the input values of low confidence", "p.u."),
    "medium_share": ("Share of the input values of medium confidence", "p.u."),
    "high_share": ("Share of the input values of high confidence", "p.u."),
    "estimate_rows": ("Input rows whose source is 'estimate'", None),
    "sources": ("Source ids behind the figure, ';'-separated", None),
    "files": ("Input files behind the figure, ';'-separated", None),
    "scaled_by": ("Factor an uncertainty sample applied to the value (1 = as in the file)",
                  "p.u."),
}

#: table (file stem) -> description
TABLES: dict[str, str] = {
    "capacity": "Installed, optimal and expanded capacity per component and carrier.",
    "costs": "Annual system cost per component, carrier and cost type.",
    "energy_balance": "Annual energy balance per component, carrier and bus carrier.",
    "emissions": "Annual CO2 emissions per emitting carrier.",
    "iamc": "Headline results in the IAMC long format (loads with pyam.IamDataFrame).",
    "grid_buses": "Electricity buses with coordinates (the network map).",
    "grid_branches": "Lines and the export corridor: rating, expansion and loading.",
    "provenance": "Every input value the run used: file, row id, column, value, unit, source "
                  "id and confidence (network_data/README.md).",
    "headline_sources": "The inputs behind each headline figure: values and rows used, their "
                        "share by confidence, estimate rows, source ids and files.",
    "near_optimal": "Near-optimal ranges: smallest and largest capacity of each decision "
                    "within a cost slack of the optimum.",
}


_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


def _unit_of(name: str) -> str | None:
    if name in FIELDS:
        return FIELDS[name][1]
    lower = name.lower()
    return unit_of(lower)


def field_descriptor(name: str, dtype: Any) -> dict[str, str]:
    """Table Schema field for a CSV column: name, type and a description with its unit.

    Parameters
    ----------
    name : str
        Column name.
    dtype : numpy dtype
        The column's dtype as read by pandas.

    Returns
    -------
    dict
        ``{"name", "type", "description"[, "unit"]}``; the unit also appears in brackets at the
        end of the description.
    """
    description = FIELDS.get(name, (name.replace("_", " "), None))[0]
    unit = _unit_of(name)
    field = {"name": name, "type": _TYPES.get(getattr(dtype, "kind", "O"), "string"),
             "description": f"{description} [{unit}]" if unit else description}
    if unit:
        field["unit"] = unit
    return field


def _resource_name(stem: str) -> str:
    return re.sub(r"[^-a-z0-9._]", "-", stem.lower())


def describe_folder(folder: Path, name: str, schema_version: str, description: str = "",
                    sources: dict[str, str] | None = None) -> dict[str, Any]:
    """Data Package descriptor of every ``*.csv`` in ``folder`` (paths relative to it).

    Parameters
    ----------
    folder : Path
        Run folder.
    name : str
        Run name (slugged into the package name).
    schema_version : str
        Output schema version of the run folder.
    description : str
        Package description.
    sources : dict of str to str, optional
        Input source id -> title (the package's ``sources``).

    Returns
    -------
    dict
        A ``tabular-data-package`` descriptor.
    """
    resources = []
    for path in sorted(Path(folder).glob("*.csv")):
        frame = pd.read_csv(path)
        resources.append({
            "name": _resource_name(path.stem),
            "path": path.name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": TABLES.get(path.stem, f"Result table {path.stem}."),
            "schema": {"fields": [field_descriptor(c, frame[c].dtype) for c in frame.columns]},
        })
    return {
        "profile": "tabular-data-package",
        "name": _resource_name(f"taixin-energy-{name}"),
        "title": f"taixin-energy run '{name}'",
        "description": description,
        "schema_version": schema_version,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "resources": resources,
        **({"sources": [{"title": f"{sid}: {title}" if title else sid}
                        for sid, title in sources.items()]} if sources else {}),
    }


def write_dashboard_feed(folder: Path, n: pypsa.Network, scenario: Any,
                         tables: dict[str, pd.DataFrame], summary: dict[str, Any]) -> None:
    """Write ``iamc.csv`` and ``datapackage.json`` into a (temporary) run folder.

    Parameters
    ----------
    folder : Path
        The run folder being written (the result CSVs are already in it).
    n : pypsa.Network
        The solved network (its size goes into the package description).
    scenario : Scenario
        The resolved scenario (``name`` becomes the IAMC scenario, ``year`` the IAMC year).
    tables : dict of str to DataFrame
        The run's result tables (:func:`energy.results.result_tables`).
    summary : dict
        The run's summary; ``schema_version``, ``line_capacity_mw`` [MW] and the input sources
        (``provenance.sources``) are read.
    """
    folder = Path(folder)
    iamc = iamc_table(tables, summary, scenario.name, scenario.year)
    iamc.to_csv(folder / "iamc.csv", index=False)
    text = (f"Results of scenario '{scenario.name}' ({scenario.year}, resolution "
            f"{scenario.resolution}, {len(n.snapshots)} snapshots, {len(n.buses)} buses).")
    sources = (summary.get("provenance") or {}).get("sources")
    descriptor = describe_folder(folder, scenario.name, str(summary.get("schema_version", "")),
                                 text, sources)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
