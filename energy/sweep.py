"""Many runs on Dask: named scenarios × a parameter grid, each written to its own folder.

Execution uses :mod:`dask.distributed` futures: a ``LocalCluster`` of N single-threaded worker
processes by default, or an existing scheduler (``tcp://host:port``; its workers must see the same
``results`` folder and import ``energy``). At most as many runs are in flight as the cluster has
threads, so a worker that dies takes only its own run with it. A run whose worker dies is
re-tried ``retries`` times (the scheduler's ``allowed_failures``) and then recorded as failed; a
run that raises is recorded as failed at once (solves are deterministic). Each run is written
atomically by :func:`energy.pipeline.run`; left-over temporary folders of a dead run are removed.

Sweep definitions live in ``sweeps.yaml`` (next to ``scenarios.yaml``)::

    co2-cap-x-price:
      description: "CO2 cap × CO2 price on the base scenario"
      scenarios: [base]
      grid: {co2.cap_mt: [20, 30], co2.price_cny_per_t: [0, 200]}
      set: {snapshots_limit: 168}
      resolution: 1h
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from energy.config import ConfigError, Scenario, parse_override, resolve_scenario
from energy.pipeline import Paths

#: run folder marker of a completed run
DONE_MARKER = "summary.json"


class SweepConfig(BaseModel):
    """One entry of ``sweeps.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    scenarios: list[str] = Field(default_factory=lambda: ["base"])
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    set: dict[str, Any] = Field(default_factory=dict)
    resolution: str | None = None


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep.

    Attributes
    ----------
    name : str
        Run (folder) name; also the resolved scenario's ``name``.
    base : str
        Named scenario it starts from.
    parameters : dict
        Grid values of this run (dotted key -> value).
    scenario : Scenario
        The resolved scenario.
    """

    name: str
    base: str
    parameters: dict[str, Any]
    scenario: Scenario


@dataclass
class RunRecord:
    """What happened to one run."""

    spec: RunSpec
    status: str = "pending"  # done | failed | skipped
    reason: str = ""
    attempts: int | None = None
    elapsed_s: float | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def load_sweep(path: Path, name: str) -> SweepConfig:
    """Read one named sweep from ``sweeps.yaml``.

    Raises
    ------
    ConfigError
        Missing file, unknown sweep or invalid entry.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read sweeps ({err})") from err
    if name not in data:
        raise ConfigError(f"unknown sweep {name!r} in {path} (known: {', '.join(data) or 'none'})")
    try:
        return SweepConfig.model_validate(data[name] or {})
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path} [{name}]: '{loc}': {first['msg']}") from err


def parse_grid(items: Sequence[str]) -> dict[str, list[Any]]:
    """Parse ``--grid key=v1,v2`` options (each value read as YAML) into a grid."""
    grid: dict[str, list[Any]] = {}
    for item in items:
        key, raw = item.split("=", 1) if "=" in item else (item, "")
        values = [parse_override(f"{key}={v}")[1] for v in raw.split(",") if v.strip()]
        if not values:
            raise ConfigError(f"--grid {item!r}: expected key=v1,v2,...")
        grid[key.strip()] = values
    return grid


def _fmt(value: Any) -> str:
    text = "null" if value is None else json.dumps(value) if not isinstance(value, str) else value
    return "".join(c if c.isalnum() or c in "-._=+" else "_" for c in text)


def run_name(base: str, parameters: dict[str, Any]) -> str:
    """Folder name of a run: ``base--key=value--key=value`` (just ``base`` without a grid)."""
    return "--".join([base, *(f"{k}={_fmt(v)}" for k, v in parameters.items())])


def expand(bases: Sequence[str], grid: dict[str, list[Any]], scenarios_file: Path,
           overrides: Sequence[str] = (), resolution: str | None = None) -> list[RunSpec]:
    """Resolve every (named scenario × grid point) into a validated run.

    Parameters
    ----------
    bases : sequence of str
        Named scenarios of ``scenarios_file``.
    grid : dict of str to list
        Dotted key -> values; the runs are the Cartesian product.
    scenarios_file : Path
        ``scenarios.yaml``.
    overrides : sequence of str
        ``key=value`` overrides applied to every run (before the grid values).
    resolution : str, optional
        Time resolution of every run.

    Returns
    -------
    list of RunSpec

    Raises
    ------
    ConfigError
        Any run that does not resolve (checked before anything is started).
    """
    keys = list(grid)
    specs = []
    for base in bases:
        for values in itertools.product(*(grid[k] for k in keys)):
            params = dict(zip(keys, values, strict=True))
            sets = [*overrides, *(f"{k}={json.dumps(v)}" for k, v in params.items())]
            scenario = resolve_scenario(base, scenarios_file, sets, resolution)
            name = run_name(base, params)
            described = f"{scenario.description} [sweep: {name}]".strip()
            scenario = scenario.model_copy(update={"name": name, "description": described})
            specs.append(RunSpec(name, base, params, scenario))
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ConfigError("sweep has duplicate runs: " + ", ".join(sorted(names)))
    return specs


def run_one(spec: RunSpec, paths: Paths) -> dict[str, Any]:
    """Solve and write one run (executed on a Dask worker); return its summary."""
    import logging

    from energy.pipeline import run

    for noisy in ("linopy", "pypsa", "highspy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return run(spec.scenario, paths, out_name=spec.name)


def clean_partial(results: Path, name: str) -> None:
    """Remove temporary folders a dead run left behind; restore a displaced complete run.

    :func:`energy.results.write_atomically` writes ``.<name>.tmp-*`` and, while replacing a
    run, moves the old one to ``.<name>.old-*``.
    """
    pattern = glob.escape(str(Path(results) / f".{name}."))
    for tmp in glob.glob(pattern + "tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    target = Path(results) / name
    for old in sorted(glob.glob(pattern + "old-*")):
        if not target.exists() and (Path(old) / DONE_MARKER).exists():
            os.replace(old, target)
        else:
            shutil.rmtree(old, ignore_errors=True)


def is_complete(results: Path, name: str) -> bool:
    """Whether ``results/<name>`` is a complete run folder."""
    return (Path(results) / name / DONE_MARKER).is_file()


def _reason(err: BaseException) -> str:
    from distributed import KilledWorker

    if isinstance(err, KilledWorker):
        return (f"worker died while running it ({err.allowed_failures + 1} attempt(s)); "
                "see the worker log")
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}"[:300]


def _worker_deaths(key: str, dask_scheduler: Any = None) -> int | None:
    ts = dask_scheduler.tasks.get(key) if dask_scheduler is not None else None
    return None if ts is None else int(ts.suspicious)


def _attempts(client: Any, key: str, killed: bool) -> int | None:
    """Times the run was started: worker deaths, plus the final attempt unless it died too."""
    try:
        deaths = client.run_on_scheduler(_worker_deaths, key)
    except Exception:  # noqa: BLE001 - a remote scheduler without energy installed
        return None
    return None if deaths is None else deaths + (0 if killed else 1)


def _slots(client: Any) -> int:
    """Threads of the live workers (a restarting worker does not count) [-]."""
    return max(sum(client.nthreads().values()), 1)


def _client(workers: int, scheduler: str | None, retries: int) -> tuple[Any, Any]:
    import logging

    from distributed import Client, LocalCluster

    quiet = max(logging.getLogger().getEffectiveLevel(), logging.WARNING)
    logging.getLogger("distributed").setLevel(quiet)
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           scheduler_kwargs={"allowed_failures": retries})
    return Client(cluster), cluster


def run_sweep(
    specs: Sequence[RunSpec],
    paths: Paths,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    retries: int = 1,
    force: bool = False,
    csv: Path | None = None,
    progress: Callable[[RunRecord, dict[str, int]], None] | None = None,
    task: Callable[[RunSpec, Paths], dict[str, Any]] = run_one,
) -> pd.DataFrame:
    """Run every spec on Dask; record what happened; write ``sweep.csv``.

    Parameters
    ----------
    specs : sequence of RunSpec
        The runs (see :func:`expand`).
    paths : Paths
        Inputs and the results folder (shared by all workers).
    workers : int
        Worker processes of the local cluster (1 thread each); ignored with ``scheduler``.
    scheduler : str, optional
        Address of an existing Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    retries : int
        How often a run is re-tried after its worker died (local cluster only; an external
        scheduler applies its own ``distributed.scheduler.allowed-failures``).
    force : bool
        Re-run runs that are already complete.
    csv : Path, optional
        Where to write the sweep table (default ``<results>/sweep.csv``); rewritten after
        every finished run.
    progress : callable, optional
        Called with each finished record and the counts (done, failed, skipped, remaining).
    task : callable
        The function executed per run (tests inject faults here).

    Returns
    -------
    DataFrame
        The sweep table (see :func:`sweep_table`).
    """
    from distributed import KilledWorker, as_completed

    results = Path(paths.results)
    results.mkdir(parents=True, exist_ok=True)
    csv = Path(csv) if csv else results / "sweep.csv"
    records = {s.name: RunRecord(s) for s in specs}
    todo = []
    for spec in specs:
        if not force and is_complete(results, spec.name):
            rec = records[spec.name]
            rec.status, rec.reason = "skipped", "already complete (use --force to re-run)"
            rec.summary = _read_summary(results / spec.name)
        else:
            clean_partial(results, spec.name)
            todo.append(spec)
    counts = {"done": 0, "failed": 0, "skipped": len(specs) - len(todo), "remaining": len(todo)}
    _write_csv(records.values(), csv)
    if not todo:
        return sweep_table(records.values())

    from energy.profiles import ensure_profiles

    ensure_profiles(paths.network_data, paths.profiles)  # once, not racing on the workers
    client, cluster = _client(workers, scheduler, retries)
    try:
        queue = list(todo)
        started: dict[Any, tuple[RunSpec, float]] = {}
        pending = as_completed()

        def submit() -> None:
            while queue and pending.count() < _slots(client):
                spec = queue.pop(0)
                key = f"run-{spec.name}-{uuid.uuid4().hex[:8]}"
                future = client.submit(task, spec, paths, key=key, pure=False, retries=0)
                started[future] = (spec, time.perf_counter())
                pending.add(future)

        submit()
        for future in pending:
            spec, t0 = started.pop(future)
            rec = records[spec.name]
            rec.elapsed_s = round(time.perf_counter() - t0, 2)
            err = future.exception() if future.status == "error" else None
            rec.attempts = _attempts(client, future.key, isinstance(err, KilledWorker))
            if err is None and future.status == "finished":
                rec.status, rec.summary = "done", future.result()
            else:
                rec.status = "failed"
                rec.reason = _reason(err) if err is not None else f"future {future.status}"
                clean_partial(results, spec.name)
            future.release()
            counts[rec.status] += 1
            counts["remaining"] -= 1
            _write_csv(records.values(), csv)
            if progress is not None:
                progress(rec, dict(counts))
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for spec in todo:
        clean_partial(results, spec.name)
    return sweep_table(records.values())


def _read_summary(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _col(carrier: str) -> str:
    return "_".join(str(carrier).split())


def _key_capacities(summary: dict[str, Any]) -> dict[str, float]:
    from energy.iamc import technology

    out: dict[str, float] = {}
    for carrier, mw in (summary.get("capacity_mw") or {}).items():
        if technology(carrier).role in ("generation", "storage") and mw > 0:
            out[f"cap_{_col(carrier)}_mw"] = mw
    for carrier, mwh in (summary.get("storage_mwh") or {}).items():
        out[f"storage_{_col(carrier)}_mwh"] = mwh
    return out


def sweep_table(records: Sequence[RunRecord] | Any) -> pd.DataFrame:
    """One row per run: parameters, status, reason, cost, emissions, key capacities.

    Columns: ``run``, ``scenario`` (named base), one column per grid key, ``status`` (done |
    failed | skipped), ``reason``, ``attempts``, ``elapsed_s`` [s], ``system_cost_cny_per_a``
    [CNY/a], ``co2_t_per_a`` [t CO2/a], ``unserved_mwh_per_a`` [MWh/a], ``line_capacity_mw``
    [MW], ``cap_<carrier>_mw`` [MW], ``storage_<carrier>_mwh`` [MWh].
    """
    rows = []
    for rec in records:
        s = rec.summary
        row: dict[str, Any] = {"run": rec.spec.name, "scenario": rec.spec.base,
                               **rec.spec.parameters, "status": rec.status,
                               "reason": rec.reason, "attempts": rec.attempts,
                               "elapsed_s": rec.elapsed_s}
        if s:
            row |= {"system_cost_cny_per_a": s.get("system_cost"),
                    "co2_t_per_a": s.get("co2_emissions"),
                    "unserved_mwh_per_a": s.get("unserved_energy_mwh"),
                    "line_capacity_mw": (s.get("line_capacity_mw") or {}).get("optimal"),
                    **_key_capacities(s)}
        rows.append(row)
    return pd.DataFrame(rows)


def _write_csv(records: Any, csv: Path) -> None:
    tmp = csv.with_name(f".{csv.name}.tmp-{os.getpid()}")
    sweep_table(list(records)).to_csv(tmp, index=False)
    os.replace(tmp, csv)
