"""Input provenance of a run: ``provenance.csv`` and the ``provenance`` block of the summary.

``provenance.csv`` lists every input value the run used: one row per (file, row, column) with
the value, its unit, the row's ``source`` and ``confidence``, and ``scaled_by`` (the factor an
uncertainty sample applied, 1 otherwise). The rows are those the builders recorded
(:mod:`energy.inputs.usage`); the value columns are the schema columns of the file other than
its key, free text and the unconverted ``original_*`` figures.

The summary block counts the values per confidence and lists the inputs that **bind** at the
optimum, read from the linopy model's duals through the provenance links the builders left in
``n.meta["input_links"]`` (:mod:`energy.network.provenance`):

* ``potential``: an upper bound of an extendable capacity (``p_nom_max``, ``s_nom_max``) with a
  non-zero dual [CNY/a per MW];
* ``limit``: a fixed capacity (``p_nom``, ``s_nom``) whose dispatch bounds bind, dual summed
  over the snapshots ``sum_t mu_t p_max_pu_t`` [CNY/a per MW], or an annual energy limit
  (``e_sum_max``) [CNY/MWh];
* ``price``: a price on the margin: the component it prices is dispatched strictly inside its
  bounds in some snapshots, so it sets a price there; its sensitivity is the annual energy it
  prices, d system cost / d price [MWh/a].

Duals are d objective / d right-hand side: negative for an upper bound whose relaxation lowers
the cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.inputs import SCHEMAS, Inputs, row_id
from energy.inputs.sources import ESTIMATE, source_ids
from energy.inputs.units import input_unit
from energy.network.provenance import input_links

FILE = "provenance.csv"
COLUMNS = ["file", "row", "column", "value", "unit", "source", "confidence", "scaled_by"]
CONFIDENCE = ("high", "medium", "low")
#: relative size below which a dual counts as zero (of the largest capital cost) [-]
DUAL_RTOL = 1e-6
#: component -> (nominal attribute, dispatch variable(s) whose bounds scale with it)
_DISPATCH = {"Generator": ("p_nom", ("p",)), "Link": ("p_nom", ("p",)),
             "Line": ("s_nom", ("s",)), "Store": ("e_nom", ("e",)),
             "StorageUnit": ("p_nom", ("p_dispatch", "p_store"))}


def value_columns(file: str) -> list[str]:
    """Columns of ``file`` that carry input values (schema columns without key and text)."""
    keys, schema = SCHEMAS[file]
    return [name for name, col in schema.items()
            if name not in keys and not name.startswith("original_")
            and (col.kind != "str" or col.ref is not None or col.choices is not None)]


def provenance_table(inputs: Inputs) -> pd.DataFrame:
    """Every input value a build used (columns :data:`COLUMNS`).

    Parameters
    ----------
    inputs : Inputs
        The inputs after the build (their ``usage`` holds the rows read).

    Returns
    -------
    pandas.DataFrame
        One row per file, row id and value column, in file order.
    """
    records: list[tuple] = []
    scaling = getattr(inputs, "scaling", {}) or {}
    for file, keys in inputs.usage.rows().items():
        table = getattr(inputs, file.removesuffix(".csv"))
        key_cols = list(SCHEMAS[file][0])
        indexed = table.set_index(key_cols)
        columns = value_columns(file)
        for key in keys:
            row = indexed.loc[key if len(key_cols) > 1 else key[0]]
            if isinstance(row, pd.DataFrame):
                row = row.iloc[0]
            rid = row_id(key)
            unit = row.get("unit") if "unit" in row.index else None
            for column in columns:
                value = row[column]
                records.append((file, rid, column, None if pd.isna(value) else value,
                                input_unit(column, unit), row["source"], row["confidence"],
                                float(scaling.get((file, tuple(key), column), 1.0))))
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def read_provenance(folder: Path) -> pd.DataFrame:
    """The ``provenance.csv`` of a run folder (empty table when the run has none).

    For dashboards: the table behind every figure of the run (columns :data:`COLUMNS`).
    """
    path = Path(folder) / FILE
    if not path.is_file():
        return pd.DataFrame(columns=COLUMNS)
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _dual(n: pypsa.Network, name: str) -> Any:
    model = getattr(n, "model", None)
    if model is None or name not in model.constraints:
        return None
    dual = model.constraints[name].dual
    return None if dual is None or dual.size == 0 else dual


def _static_dual(n: pypsa.Network, constraint: str, names: pd.Index) -> pd.Series:
    dual = _dual(n, constraint)
    if dual is None:
        return pd.Series(dtype=float)
    s = dual.to_series()
    return s.reindex(s.index.intersection(names))


def _capacity_dual(n: pypsa.Network, component: str, names: pd.Index) -> pd.Series:
    """Dual of fixed capacities through their dispatch bounds [CNY/a per MW].

    ``sum_t (mu_upper_t x max_pu_t + mu_lower_t x min_pu_t)``: d objective / d capacity.
    """
    _, variables = _DISPATCH[component]
    out = pd.Series(0.0, index=names)
    for var in variables:
        for bound in ("upper", "lower"):
            dual = _dual(n, f"{component}-fix-{var}-{bound}")
            if dual is None:
                continue
            frame = dual.to_pandas()
            cols = frame.columns.intersection(names)
            if cols.empty:
                continue
            if var in ("p_dispatch", "p_store"):  # 0 <= p <= p_max_pu x p_nom
                pu = pd.DataFrame(1.0 if bound == "upper" else 0.0, frame.index, cols)
            elif var == "s":  # -s_max_pu x s_nom <= s <= s_max_pu x s_nom
                sign = 1.0 if bound == "upper" else -1.0
                pu = sign * n.get_switchable_as_dense(component, "s_max_pu", frame.index)[cols]
            else:
                attr = f"{var}_{'max' if bound == 'upper' else 'min'}_pu"
                pu = n.get_switchable_as_dense(component, attr, frame.index)[cols]
            out[cols] += (frame[cols] * pu).sum()
    return out


def _dispatch(n: pypsa.Network, component: str, names: pd.Index) -> tuple[pd.Series, pd.Series]:
    """Annual energy [MWh/a] and weighted hours strictly inside the bounds [h/a]."""
    c = n.components[component]
    nom, variables = _DISPATCH[component]
    attr = {"Generator": "p", "Link": "p0", "StorageUnit": "p", "Line": "p0", "Store": "p"}
    p = c.dynamic[attr[component]].reindex(columns=names).fillna(0.0)
    w = n.snapshot_weightings.generators.reindex(p.index)
    cap = c.static[f"{nom}_opt"].reindex(names)
    hi = n.get_switchable_as_dense(component, "p_max_pu", p.index)[names] * cap
    lo = n.get_switchable_as_dense(component, "p_min_pu", p.index)[names] * cap
    tol = 1e-3 * cap.clip(lower=1.0)
    inside = (p > lo + tol) & (p < hi - tol)
    return (p.multiply(w, axis=0).sum().abs(), inside.astype(float).multiply(w, axis=0).sum())


def binding_inputs(n: pypsa.Network, table: pd.DataFrame) -> pd.DataFrame:
    """Inputs that bind at the optimum, with their duals (see the module docstring).

    Parameters
    ----------
    n : pypsa.Network
        The solved network with its linopy model (``n.model``) and ``n.meta["input_links"]``.
    table : pandas.DataFrame
        The run's :func:`provenance_table` (for value, unit, source and confidence).

    Returns
    -------
    pandas.DataFrame
        Columns file, row, column, value, unit, source, confidence, kind (potential | limit |
        price), component, name, dual, dual_unit; empty when the model is gone (a network read
        from a file) or nothing binds.
    """
    columns = ["file", "row", "column", "value", "unit", "source", "confidence", "kind",
               "component", "name", "dual", "dual_unit"]
    links = input_links(n)
    if links.empty or getattr(n, "model", None) is None:
        return pd.DataFrame(columns=columns)
    scale = max(float(n.statistics.capex().abs().max() or 0.0), 1.0)
    found: list[dict[str, Any]] = []
    for (component, attribute), group in links.groupby(["component", "attribute"]):
        names = pd.Index(group.name.unique())
        if attribute in ("p_nom_max", "s_nom_max", "e_nom_max"):
            nom = attribute.removesuffix("_max")
            dual = _static_dual(n, f"{component}-ext-{nom}-upper", names)
            kind, unit, tol = "potential", "CNY/a per MW", DUAL_RTOL * scale
        elif attribute == "e_sum_max":
            dual = _static_dual(n, f"{component}-e_sum_max", names)
            kind, unit, tol = "limit", "CNY/MWh", 1e-6
        elif attribute in ("p_nom", "s_nom") and component in _DISPATCH:
            static = n.components[component].static
            fixed = names[~static[f"{attribute}_extendable"].reindex(names).fillna(False)
                          .astype(bool).to_numpy()]
            dual = _capacity_dual(n, component, fixed)
            kind, unit, tol = "limit", "CNY/a per MW", DUAL_RTOL * scale
        elif attribute == "marginal_cost" and component in ("Generator", "Link"):
            energy, hours = _dispatch(n, component, names)
            dual = energy.where(hours > 0)
            kind, unit, tol = "price", "MWh/a", 1e-3
        else:
            continue
        dual = dual[dual.abs() > tol].dropna()
        for name, value in dual.items():
            for rec in group[group.name == name].itertuples():
                found.append({"file": rec.file, "row": rec.row, "column": rec.column,
                              "kind": kind, "component": component, "name": name,
                              "dual": float(value), "dual_unit": unit})
    if not found:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(found)
    meta = table.drop(columns=["scaled_by"], errors="ignore")
    out = out.merge(meta, on=["file", "row", "column"], how="left")
    return out[columns]


def provenance_summary(table: pd.DataFrame, binding: pd.DataFrame | None = None,
                       titles: dict[str, str] | None = None) -> dict[str, Any]:
    """The ``provenance`` block of ``summary.json``.

    ``binding`` is the run's :func:`binding_inputs` (``None``: not determined, e.g. pathways);
    ``titles`` maps source ids to titles (:func:`energy.inputs.sources.source_titles`).

    Returns
    -------
    dict
        ``values_by_confidence`` and ``rows_by_confidence`` (counts), ``files`` (rows used per
        file), ``sources`` (source id -> title of every source used), ``estimate_rows`` (rows
        whose source is ``estimate``), ``binding_low_confidence`` (list of the binding
        low-confidence inputs with kind, component, dual and dual_unit) and
        ``binding_by_confidence`` (counts of binding inputs).
    """
    if binding is None:
        binding = pd.DataFrame(columns=["file", "row", "column", "confidence"])
    rows = table.drop_duplicates(["file", "row"])
    used = {s for cell in rows.source.dropna() for s in source_ids(cell)} - {ESTIMATE}
    titles = titles or {}
    sources = {s: titles.get(s, "") for s in sorted(used, key=lambda x: int(x[1:]))}
    low = binding[binding.confidence == "low"] if not binding.empty else binding

    def counts(frame: pd.DataFrame) -> dict[str, int]:
        got = frame.confidence.value_counts() if not frame.empty else pd.Series(dtype=int)
        return {c: int(got.get(c, 0)) for c in CONFIDENCE}

    def clean(value: Any) -> Any:
        if isinstance(value, np.generic):
            return value.item()
        return value

    return {
        "file": FILE,
        "values_by_confidence": counts(table),
        "rows_by_confidence": counts(rows),
        "files": {f: int(k) for f, k in rows.groupby("file").size().items()},
        "sources": sources,
        "estimate_rows": int(rows.source.map(lambda c: ESTIMATE in source_ids(c)).sum()),
        "binding_by_confidence": counts(binding.drop_duplicates(["file", "row", "column"]))
        if not binding.empty else counts(binding),
        "binding_low_confidence": [
            {k: clean(v) for k, v in rec.items()}
            for rec in low.to_dict(orient="records")
        ],
    }
