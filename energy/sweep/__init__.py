"""Many runs on Dask: named scenarios × a parameter grid, each written to its own folder.

Execution uses :mod:`dask.distributed` futures: a ``LocalCluster`` of N single-threaded worker
processes by default, or an existing scheduler (``tcp://host:port``; its workers must see the same
``results`` folder and import ``energy``). At most as many runs are in flight as the cluster has
threads, so a worker that dies takes only its own run with it. A run whose worker dies is
re-tried ``retries`` times (the scheduler's ``allowed_failures``) and then recorded as failed; a
run that raises is recorded as failed at once (solves are deterministic). Each run is written
atomically by :func:`energy.pipeline.run`; left-over temporary folders of a dead run are removed.
With ``paths.store`` set, every worker appends its run to the results store as it writes it
(kind ``sweep``); the store is created by the parent before the first run starts.

Sweep definitions live in ``sweeps.yaml`` (next to ``scenarios.yaml``)::

    co2-cap-x-price:
      description: "CO2 cap × CO2 price on the base scenario"
      scenarios: [base]
      grid: {co2.cap_mt: [20, 30], co2.price_cny_per_t: [0, 200]}
      set: {snapshots_limit: 168}
      resolution: 1h
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from energy.atomic import locked, recover
from energy.pipeline import Paths, check_store, run
from energy.profiles import ensure_profiles
from energy.sweep.spec import (
    RunRecord,
    RunSpec,
    SweepConfig,
    expand,
    load_sweep,
    parse_grid,
    run_name,
)
from energy.sweep.table import read_summary, sweep_table, write_table

__all__ = ["RunRecord", "RunSpec", "SweepConfig", "expand", "load_sweep", "parse_grid",
           "run_name", "run_one", "run_sweep", "sweep_table"]


def run_one(spec: RunSpec, paths: Paths) -> dict[str, Any]:
    """Solve and write one run (executed on a Dask worker); return its summary."""
    import logging

    import pypsa

    for noisy in ("linopy", "pypsa", "highspy", "ixmp4", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # the application setting the CLI makes, in the worker process too (PyPSA's string dtype)
    pypsa.options.set_option("api.legacy_string_dtype", True)
    return run(spec.scenario, paths, out_name=spec.name, kind="sweep", base=spec.base)


def clean_partial(results: Path, name: str) -> None:
    """Remove temporary folders a dead run left behind; restore a displaced complete run.

    :func:`energy.results.write_atomically` writes ``.<name>.tmp-*`` and, while replacing a
    run without an atomic swap, moves the old one to ``.<name>.old-*``; see
    :func:`energy.atomic.recover` (under the folder's lock, so a run still writing is left alone).
    """
    with locked(results):
        recover(results, name)


def is_complete(results: Path, name: str) -> bool:
    """Whether ``results/<name>`` is a complete run folder (a valid ``summary.json``)."""
    return bool(read_summary(Path(results) / name))


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
            rec.summary = read_summary(results / spec.name)
        else:
            clean_partial(results, spec.name)
            todo.append(spec)
    counts = {"done": 0, "failed": 0, "skipped": len(specs) - len(todo), "remaining": len(todo)}
    write_table(records.values(), csv)
    if not todo:
        return sweep_table(records.values())

    ensure_profiles(paths.network_data, paths.profiles)  # once, not racing on the workers
    check_store(paths)  # the store exists before the workers append to it
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
            write_table(records.values(), csv)
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
