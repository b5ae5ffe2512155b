"""What the store records of a run, read from its folder (the folders are the source of truth).

A :class:`RunRecord` holds the run's IAMC rows (``iamc.csv``, or rebuilt from the result tables
of an older folder or a pathway), the derived monitoring variables, the run metadata (meta
indicators in ixmp4) and the network map (``grid_buses.csv`` / ``grid_branches.csv``, or
computed from ``network.nc`` for folders written before those files existed), and the inputs
behind the run (``headline_sources.csv``, the binding low-confidence inputs and the sources of
``summary.json``'s ``provenance`` block).

An uncertainty folder (``uncertainty.json``, no ``summary.json``) becomes a run of kind
``uncertainty``: its percentiles as IAMC rows ``Uncertainty|<metric>|<statistic>`` (statistic
``Base``, ``P5``, ``P50``, ``P95``; zone metrics, not per bus) and its "what matters" ranking.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from energy.results.headline_sources import FILE as HEADLINE_FILE
from energy.results.iamc import COLUMNS, MODEL, REGION, iamc_table, pathway_iamc_table
from energy.results.runinfo import config_hash, now_iso
from energy.store.engine import StoreError

TABLES = ("capacity", "costs", "energy_balance", "emissions")

#: the file that makes a folder a record: a run's summary, else an uncertainty analysis's
RECORD_FILES = ("summary.json", "uncertainty.json")


def record_file(folder: Path) -> Path | None:
    """The folder's :data:`RECORD_FILES` entry that exists (None: not a recordable folder)."""
    return next((Path(folder) / f for f in RECORD_FILES if (Path(folder) / f).is_file()), None)


def digest(path: Path) -> str:
    """The ``folder_digest`` meta indicator: the start of the SHA-256 of a record file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@dataclass
class RunRecord:
    """One run as the store holds it.

    Attributes
    ----------
    name : str
        Run name (the ixmp4 scenario of the model's rows).
    iamc : DataFrame
        Columns :data:`energy.results.iamc.COLUMNS`; rows of other models (``Validation``)
        become their own ixmp4 runs.
    meta : dict
        Meta indicators (str, int, float or bool values).
    buses, branches : DataFrame, optional
        The network map (:mod:`energy.results.grid`).
    tables : dict of str to DataFrame
        Rows of the per-run ``taixin_*`` tables (:data:`energy.store.schema.RUN_TABLES`), by
        table name.
    default : bool
        Whether the run becomes its scenario's default version (failed runs do not; a
        ``validate`` run with status ``passed`` does).
    """

    name: str
    iamc: pd.DataFrame
    meta: dict[str, Any]
    buses: pd.DataFrame | None = None
    branches: pd.DataFrame | None = None
    default: bool = True
    models: list[str] = field(default_factory=lambda: [MODEL])
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _scalar(value: Any) -> Any:
    """A value ixmp4 accepts as a meta indicator, or None to leave it out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    if hasattr(value, "item"):  # numpy scalar
        return _scalar(value.item())
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return str(value)[:1000]


def clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Meta indicators without empty values, as plain Python scalars."""
    out = {str(k): _scalar(v) for k, v in meta.items()}
    return {k: v for k, v in out.items() if v is not None}


def run_meta(summary: dict[str, Any], name: str, kind: str | None, folder: Path,
             config: dict[str, Any] | None, folder_digest: str | None = None
             ) -> dict[str, Any]:
    """The meta indicators of a run: what, where from, how it went, how long it took.

    Keys (absent when unknown): ``kind``, ``run``, ``base_scenario``, ``year``, ``resolution``,
    ``snapshots``, ``status``, ``solver``, ``system_cost`` [CNY/a], ``co2_emissions`` [t/a],
    ``unserved_energy_mwh``, ``discounted_total_cost`` [CNY] (pathways), ``verify_passed``,
    ``system_cost_hourly`` [CNY/a], ``config_hash``, ``input_hash``, ``code_version``,
    ``network_data``, ``started_at``, ``finished_at``, ``recorded_at``, ``folder``,
    ``folder_digest``, ``output_schema_version`` and every timing (``solve_s`` ...) [s].
    ``folder`` is where the run folder lives (or will, once renamed into place);
    ``folder_digest`` is :func:`digest` of the ``summary.json`` that was read.
    """
    rm = summary.get("run_meta") or {}
    solver = summary.get("solver")
    preset = solver.get("preset") if isinstance(solver, dict) else (
        ",".join(str(s.get("preset")) for s in solver) if isinstance(solver, list) else None)
    check = summary.get("verify") or {}
    meta = {
        "kind": kind or rm.get("kind") or ("pathway" if "periods" in summary else "solve"),
        "run": name,
        "base_scenario": rm.get("base_scenario") or summary.get("scenario"),
        "year": summary.get("year"),
        "resolution": summary.get("resolution"),
        "snapshots": summary.get("snapshots"),
        "status": summary.get("status"),
        "solver": preset,
        "system_cost": summary.get("system_cost"),
        "co2_emissions": summary.get("co2_emissions"),
        "unserved_energy_mwh": summary.get("unserved_energy_mwh"),
        "discounted_total_cost": summary.get("discounted_total_cost"),
        "verify_passed": check.get("passed"),
        "system_cost_hourly": check.get("system_cost_hourly_cny_per_a"),
        "config_hash": rm.get("config_hash") or (config_hash(config) if config else None),
        "input_hash": rm.get("input_hash"),
        "code_version": rm.get("code_version"),
        "network_data": rm.get("network_data"),
        "started_at": rm.get("started_at"),
        "finished_at": rm.get("finished_at"),
        "recorded_at": now_iso(),
        "folder": str(folder),
        "folder_digest": folder_digest,
        "output_schema_version": summary.get("schema_version"),
        **{k: v for k, v in (summary.get("timings") or {}).items()},
    }
    return clean_meta(meta)


def monitoring_rows(summary: dict[str, Any], name: str) -> pd.DataFrame:
    """Derived variables the plan indicators need that ``iamc.csv`` does not carry.

    - ``Share|Heat|Clean`` [%]: the policy clean share of district heat (``heat``).
    - ``Production|Gas|Coalbed Methane`` [Mm3/yr]: coalbed methane used (``gas``).
    """
    rows = []
    year = summary.get("year")
    heat = summary.get("heat") or {}
    share = heat.get("clean_share_policy") if isinstance(heat, dict) else None
    if isinstance(share, int | float):
        rows.append(("Share|Heat|Clean", "%", 100.0 * float(share)))
    gas = summary.get("gas") or {}
    cbm = (gas.get("supply_mm3") or {}).get("CBM") if isinstance(gas, dict) else None
    if isinstance(cbm, int | float):
        rows.append(("Production|Gas|Coalbed Methane", "Mm3/yr", float(cbm)))
    if year is None or not rows:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.DataFrame(rows, columns=["variable", "unit", "value"])
    return frame.assign(model=MODEL, scenario=name, region=REGION, year=int(year))[COLUMNS]


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_csv(folder / f"{t}.csv") for t in TABLES if (folder / f"{t}.csv").is_file()}


def _iamc(folder: Path, summary: dict[str, Any], name: str) -> pd.DataFrame:
    path = folder / "iamc.csv"
    if path.is_file():
        frame = pd.read_csv(path)
    elif "periods" in summary:
        frame = pathway_iamc_table(_tables(folder), name)
    elif summary.get("year") is not None:
        frame = iamc_table(_tables(folder), summary, name, int(summary["year"]))
    else:
        frame = pd.DataFrame(columns=COLUMNS)
    frame = frame[COLUMNS].copy()
    frame.loc[frame.model == MODEL, "scenario"] = name  # the run's name, not its base's
    frame = pd.concat([frame, monitoring_rows(summary, name)], ignore_index=True)
    frame = frame.dropna(subset=["value"])
    return frame.drop_duplicates(["model", "scenario", "region", "variable", "year"],
                                 keep="first")


def _grid(folder: Path, summary: dict[str, Any]) -> tuple[pd.DataFrame | None,
                                                          pd.DataFrame | None]:
    buses, branches = folder / "grid_buses.csv", folder / "grid_branches.csv"
    if buses.is_file() and branches.is_file():
        return pd.read_csv(buses, keep_default_na=False, na_values=[""]), pd.read_csv(branches)
    network = folder / "network.nc"
    if "periods" in summary or not network.is_file():
        return None, None
    import pypsa

    from energy.results.grid import grid_tables

    tables = grid_tables(pypsa.Network(network))
    return tables["grid_buses"], tables["grid_branches"]


def input_tables(folder: Path, summary: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The inputs behind a run: headline sources, binding low-confidence inputs, sources."""
    out: dict[str, pd.DataFrame] = {}
    path = folder / HEADLINE_FILE
    if path.is_file():
        out["taixin_headline_source"] = pd.read_csv(path, dtype={"value": str, "sources": str,
                                                                 "files": str})
    block = summary.get("provenance") or {}
    binding = pd.DataFrame(block.get("binding_low_confidence") or [])
    if not binding.empty:
        out["taixin_binding_input"] = binding.astype({"row": str, "file": str, "column": str})
    titles = block.get("sources") or {}
    if titles:
        out["taixin_source"] = pd.DataFrame({"source": list(titles),
                                             "title": [str(t) for t in titles.values()]})
    return out


#: uncertainty metric -> IAMC name (a capacity or storage metric keeps its carrier)
_METRICS = {"system_cost": "System Cost", "co2_emissions": "CO2 Emissions",
            "line_capacity_mw": "Capacity|Transmission|AC", "corridor_mw": "Capacity|Corridor"}
_PREFIX = {"capacity_mw": "Capacity", "storage_mwh": "Storage Capacity"}
_STATISTICS = {"base": "Base", "p5": "P5", "p50": "P50", "p95": "P95"}


def uncertainty_variable(metric: str) -> str | None:
    """IAMC variable stem of an uncertainty metric (None for per-bus metrics)."""
    if metric in _METRICS:
        return _METRICS[metric]
    parts = metric.split(":")
    if len(parts) == 2 and parts[0] in _PREFIX:
        return f"{_PREFIX[parts[0]]}|{parts[1]}"
    return None


def read_uncertainty_folder(folder: Path, name: str | None = None,
                            final: Path | None = None) -> RunRecord:
    """An uncertainty analysis folder as a :class:`RunRecord` (kind ``uncertainty``)."""
    folder = Path(folder)
    name = name or folder.name
    try:
        info = json.loads((folder / "uncertainty.json").read_text(encoding="utf-8"))
        pct = pd.read_csv(folder / "percentiles.csv")
    except (OSError, ValueError) as err:
        raise StoreError(f"{folder}: not a complete uncertainty folder "
                         f"({type(err).__name__})") from None
    year = int(info.get("year") or 0)
    rows = []
    for r in pct.itertuples(index=False):
        stem = uncertainty_variable(str(r.metric))
        if stem is None:
            continue
        for column, stat in _STATISTICS.items():
            value = getattr(r, column, float("nan"))
            if pd.notna(value):
                rows.append((f"Uncertainty|{stem}|{stat}", str(r.unit), float(value)))
    frame = pd.DataFrame(rows, columns=["variable", "unit", "value"]).assign(
        model=MODEL, scenario=name, region=REGION, year=year)[COLUMNS]
    tables: dict[str, pd.DataFrame] = {}
    ranking = folder / "what_matters.csv"
    if ranking.is_file():
        tables["taixin_influence"] = pd.read_csv(ranking)
    runs = info.get("runs") or {}
    meta = clean_meta({
        "kind": "uncertainty", "run": name, "base_scenario": info.get("scenario"),
        "year": year or None, "resolution": info.get("resolution"),
        "status": "failed samples" if runs.get("failed") else "optimal",
        "method": info.get("method"), "samples": info.get("samples"),
        "finished": runs.get("finished"), "failed": runs.get("failed"),
        "factors": len(info.get("factors") or []), "recorded_at": now_iso(),
        "folder": str(Path(final or folder).resolve()),
        "folder_digest": digest(folder / "uncertainty.json"),
        **(info.get("timings") or {}),
    })
    return RunRecord(name=name, iamc=frame, meta=meta, tables=tables)


def read_folder(folder: Path, name: str | None = None, kind: str | None = None,
                final: Path | None = None) -> RunRecord:
    """Read a run folder into a :class:`RunRecord`.

    Parameters
    ----------
    folder : Path
        A complete run folder (with ``summary.json``), possibly still the temporary one.
    name : str, optional
        Run name (default: the folder name).
    kind : str, optional
        ``solve``, ``sweep``, ``pathway``, ``validate`` (default: ``run_meta.kind`` or
        inferred); an uncertainty folder is read by :func:`read_uncertainty_folder`.
    final : Path, optional
        Where the folder will live (recorded as ``folder``; default ``folder``).

    Returns
    -------
    RunRecord

    Raises
    ------
    StoreError
        No readable ``summary.json``.
    """
    folder = Path(folder)
    name = name or folder.name
    found = record_file(folder)
    if found is not None and found.name == "uncertainty.json":
        return read_uncertainty_folder(folder, name, final)
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{folder}: not a run folder (no readable summary.json: "
                         f"{type(err).__name__})") from None
    if not isinstance(summary, dict):
        raise StoreError(f"{folder}/summary.json: expected a JSON object")
    config = None
    if (folder / "config.yaml").is_file():
        config = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    frame = _iamc(folder, summary, name)
    buses, branches = _grid(folder, summary)
    models = [MODEL, *sorted(set(frame.model) - {MODEL})]
    meta = run_meta(summary, name, kind, Path(final or folder).resolve(), config,
                    digest(folder / "summary.json"))
    status = str(summary.get("status") or "")
    failed = status.lower().startswith(("fail", "infeasible", "error", "unbounded"))
    return RunRecord(name=name, iamc=frame, meta=meta, buses=buses, branches=branches,
                     default=not failed, models=models, tables=input_tables(folder, summary))
