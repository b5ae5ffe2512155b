"""Uncertainty from the low-confidence inputs: sampled scenarios on Dask, percentiles, influence.

:func:`run_uncertainty` reads the factors (``network_data/uncertainty.csv``,
:mod:`energy.uncertainty.factors`), draws a Latin hypercube (or Morris trajectories,
:mod:`energy.uncertainty.design`), runs the base case and every sample exactly like sweep
cases (:func:`energy.sweep.run_sweep`: a local Dask cluster by default or an existing
scheduler; a run whose worker dies is retried; a re-run skips finished samples), and writes to
``results/<name>/``:

``design.csv`` (multipliers per sample), ``factors.csv``, ``samples.csv`` (status, reason,
attempts and time of every run), ``metrics.csv`` (long: run, metric, unit, value),
``percentiles.csv`` (P5/P50/P95 over the finished samples, with the base value),
``influence.csv`` (rank correlations or Morris indices), ``what_matters.csv``,
``uncertainty.json`` (settings, resolution, counts, failed samples with reasons, headline
ranges, timings) and ``report.html`` (fan charts and the ranking). Each sample's own run
folder is under ``runs/``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from energy.config import ConfigError, Scenario
from energy.inputs import load_inputs
from energy.pipeline import Paths
from energy.report.uncertainty import write_uncertainty_report
from energy.store import record_run
from energy.sweep import RunRecord, RunSpec, run_one, run_sweep
from energy.sweep.table import read_summary
from energy.uncertainty.analysis import (
    metric_table,
    metric_units,
    morris_indices,
    percentiles,
    rank_correlations,
    what_matters,
)
from energy.uncertainty.design import (
    BASE,
    Method,
    design_table,
    morris_problem,
    sample_specs,
    unit_design,
)
from energy.uncertainty.factors import Factor, factor_table, read_factors
from energy.uncertainty.outputs import write_csv, write_json

__all__ = ["BASE", "Factor", "read_factors", "run_uncertainty"]

logger = logging.getLogger(__name__)
RUNS = "runs"


def _check_design(folder: Path, design: pd.DataFrame, settings: dict[str, Any],
                  force: bool) -> None:
    """Refuse to mix samples of another design into ``folder`` (unless ``force``)."""
    old = folder / "uncertainty.json"
    if force or not old.is_file():
        return
    try:
        before = json.loads(old.read_text(encoding="utf-8")).get("settings", {})
    except ValueError:
        return
    previous = folder / "design.csv"
    same_design = previous.is_file() and pd.read_csv(previous, index_col="sample").round(9) \
        .equals(design.round(9))
    if before != settings or not same_design:
        raise ConfigError(f"{folder} holds an uncertainty run with other settings or samples; "
                          "choose another --name or use --force to replace it")


def run_uncertainty(
    base: Scenario,
    paths: Paths,
    *,
    name: str,
    factors_file: Path | None = None,
    samples: int = 64,
    method: Method = "lhs",
    seed: int = 0,
    workers: int = 2,
    scheduler: str | None = None,
    retries: int = 1,
    force: bool = False,
    progress: Callable[[RunRecord, dict[str, int]], None] | None = None,
    task: Callable[[RunSpec, Paths], dict[str, Any]] = run_one,
) -> dict[str, Any]:
    """Run an uncertainty analysis of ``base`` and write ``results/<name>/``.

    Parameters
    ----------
    base : Scenario
        The resolved scenario (its resolution and ``verify`` apply to every sample).
    paths : Paths
        Inputs, profiles and the results folder.
    name : str
        Output folder under ``paths.results``.
    factors_file : Path, optional
        Factors CSV (default ``<network_data>/uncertainty.csv``).
    samples : int
        Latin-hypercube samples, or Morris trajectories (runs = samples x (factors + 1)).
    method : {"lhs", "morris"}
        Design.
    seed : int
        Random seed of the design.
    workers, scheduler, retries, force, progress, task
        As :func:`energy.sweep.run_sweep` (``task`` lets tests inject faults).

    Returns
    -------
    dict
        The content of ``uncertainty.json``; with ``paths.store`` the analysis is recorded in
        the results store (percentiles as IAMC rows, the ranking; kind ``uncertainty``) and
        ``stored`` gives its run id and version.

    Raises
    ------
    energy.inputs.InputError
        A bad factor (one line naming uncertainty.csv, row and column).
    ConfigError
        ``results/<name>`` holds another design (without ``force``).
    """
    t0 = time.perf_counter()
    inputs = load_inputs(paths.network_data)
    factors_file = Path(factors_file or Path(paths.network_data) / "uncertainty.csv")
    factors = read_factors(factors_file, inputs)
    unit = unit_design(factors, samples, method, seed)
    design = design_table(factors, unit)
    folder = Path(paths.results) / name
    settings = {"scenario": base.model_dump(mode="json"), "factors": factor_table(factors)
                .to_dict(orient="records"), "method": method, "samples": samples, "seed": seed}
    _check_design(folder, design, settings, force)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "design.csv", design.reset_index())
    write_csv(folder / "factors.csv", factor_table(factors))
    specs = sample_specs(base, factors, design)
    runs = Paths(paths.network_data, paths.profiles, folder / RUNS, paths.scenarios)
    table = run_sweep(specs, runs, workers=workers, scheduler=scheduler, retries=retries,
                      force=force, csv=folder / "samples.csv", progress=progress, task=task)
    info = summarise(folder, base, factors, design, unit, table, method, settings,
                     time.perf_counter() - t0)
    if paths.store:
        stored = record_run(folder, paths.store, name=name, kind="uncertainty")
        info = {**info, "stored": {"run_id": stored.run_id, "version": stored.version}}
    return info


def summarise(folder: Path, base: Scenario, factors: Sequence[Factor], design: pd.DataFrame,
              unit: Any, table: pd.DataFrame, method: Method, settings: dict[str, Any],
              elapsed_s: float) -> dict[str, Any]:
    """Collect the finished runs, compute percentiles and influence, write the outputs."""
    ok = table[table.status.isin(["done", "skipped"])]
    summaries = {run: read_summary(folder / RUNS / run) for run in ok.run}
    summaries = {k: v for k, v in summaries.items() if v}
    metrics = metric_table(summaries)
    units = metric_units(summaries)
    finished = [s for s in design.index if s in summaries]
    failed = table[~table.run.isin(list(summaries))]
    pct = percentiles(metrics, finished, BASE if BASE in summaries else None, units)
    if method == "morris":
        influence = morris_indices(morris_problem(list(factors)), unit, list(design.index),
                                   metrics, finished)
    else:
        influence = rank_correlations(design, metrics, finished)
    ranking = what_matters(influence)
    long = metrics.rename_axis("run").reset_index().melt(id_vars="run", var_name="metric")
    long["unit"] = long.metric.map(units)
    elapsed = pd.to_numeric(table.loc[table.status == "done", "elapsed_s"], errors="coerce")
    headline = pct[pct.metric.isin(["system_cost", "co2_emissions"])]
    info = {
        "name": folder.name,
        "scenario": base.name,
        "year": base.year,
        "resolution": base.resolution,
        "verify": base.verify,
        "method": method,
        "samples": len(design),
        "factors": [f.factor_id for f in factors],
        "runs": {"finished": len(finished), "failed": int((failed.run != BASE).sum()),
                 "base": BASE in summaries},
        "failed": [{"sample": r.run, "reason": r.reason or r.status}
                   for r in failed.itertuples()],
        "headline": {r.metric: {"unit": r.unit, "base": r.base, "p5": r.p5, "p50": r.p50,
                                "p95": r.p95, "n": r.n} for r in headline.itertuples()},
        "what_matters": ranking.head(10).to_dict(orient="records"),
        "timings": {"total_s": round(elapsed_s, 1),
                    "per_sample_mean_s": round(float(elapsed.mean()), 1) if len(elapsed) else None,
                    "per_sample_median_s": round(float(elapsed.median()), 1)
                    if len(elapsed) else None},
        "settings": settings,
    }
    write_csv(folder / "metrics.csv", long)
    write_csv(folder / "percentiles.csv", pct)
    write_csv(folder / "influence.csv", influence)
    write_csv(folder / "what_matters.csv", ranking)
    write_json(folder / "uncertainty.json", info)
    write_uncertainty_report(folder, folder / "report.html")
    return info
