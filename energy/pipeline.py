"""One model run end to end: inputs → profiles → network → solve → results."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypsa

from energy.config import Scenario
from energy.inputs import Inputs, load_inputs
from energy.network import build_network
from energy.optimize import SolveError, SolveReport, solve_network
from energy.optimize.design_check import verify_design
from energy.optimize.pathway import solve_pathway
from energy.profiles import ensure_profiles
from energy.results import write_atomically, write_results
from energy.results.iamc import pathway_iamc_table
from energy.results.periods import pathway_summary, period_tables
from energy.results.runinfo import now_iso, run_meta
from energy.store import StoreError, open_store, record_failure, record_run
from energy.store.reference import load_reference

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """Where a run reads its inputs and writes its results."""

    network_data: Path = ROOT / "network_data"
    profiles: Path = ROOT / "profiles"
    results: Path = ROOT / "results"
    scenarios: Path = ROOT / "scenarios.yaml"
    #: results store URL every run is appended to; None: not recorded (library use, tests)
    store: str | None = None


#: a step reporter: ``steps("solve")`` is a context manager around the step (progress display)
Steps = Callable[[str], AbstractContextManager[Any]]


def _no_steps(name: str) -> AbstractContextManager[Any]:
    return nullcontext()


def check_store(paths: Paths) -> None:
    """Fail fast, before solving: the store opens and the monitoring inputs are valid.

    The store is created on first use; ``targets.csv`` and ``actuals.csv`` are what it will
    record beside the run.
    """
    if paths.store is None:
        return
    load_reference(paths.network_data)  # a malformed targets.csv row stops before the store
    open_store(paths.store)


def recorder(paths: Paths, target: Path, kind: str) -> Callable[[Path, dict[str, Any]], None]:
    """Append the complete (temporary) run folder to the store before it is renamed in.

    Call the returned function last inside :func:`energy.results.write_atomically`'s writer
    (``kind``: ``solve``, ``sweep``, ``pathway``, ``validate``): if the store refuses the run,
    the folder is not written either. Does nothing when ``paths.store`` is None.
    """

    def record(folder: Path, info: dict[str, Any]) -> None:
        if paths.store is not None:
            stored = record_run(folder, paths.store, name=target.name, kind=kind,
                                final=target, network_data=paths.network_data)
            # after summary.json is written: the returned summary tells where the run went
            info["store"] = {"run_id": stored.run_id, "version": stored.version}

    return record


def _record_failure(paths: Paths, name: str, scenario: Scenario, kind: str, err: Exception,
                    started: str) -> None:
    if paths.store is None:
        return
    try:
        record_failure(paths.store, name, str(err), {
            "kind": kind, "base_scenario": scenario.name, "year": scenario.year,
            "resolution": scenario.resolution, "status": "failed", "started_at": started})
    except StoreError as store_err:  # the solve error is what the user needs to see
        logger.warning("could not record the failed run: %s", store_err)


def prepare(scenario: Scenario, paths: Paths, progress: bool = True) -> tuple[Inputs, Any]:
    """Validate inputs and bring the profiles up to date (rebuilding only what is stale).

    ``progress`` lets the profile builder print its steps on stderr.
    """
    inputs = load_inputs(paths.network_data)
    profiles = ensure_profiles(paths.network_data, paths.profiles, progress=progress)
    return inputs, profiles


def _talks(steps: Steps) -> bool:
    """Whether the step reporter shows progress (library use without one: yes, as before)."""
    return bool(getattr(steps, "enabled", True))


def build(scenario: Scenario, paths: Paths) -> pypsa.Network:
    """Build the (time-aggregated) network of a scenario without solving it."""
    inputs, profiles = prepare(scenario, paths)
    return build_network(scenario, inputs, profiles)


def run(scenario: Scenario, paths: Paths, out_name: str | None = None, *, kind: str = "solve",
        base: str | None = None, steps: Steps | None = None) -> dict[str, Any]:
    """Build, solve and write one scenario to ``results/<name>/`` (and the results store).

    Parameters
    ----------
    scenario : Scenario
        The resolved scenario.
    paths : Paths
        Input and output locations; ``paths.store`` is the results store (None: none).
    out_name : str, optional
        Folder name under ``paths.results`` (default: the scenario name).
    kind : str
        What the run is recorded as: ``solve``, ``sweep`` (a sweep case), ``pathway``.
    base : str, optional
        The named scenario a sweep case starts from.
    steps : callable, optional
        Step reporter (progress display), called as ``with steps("solve"): ...``.

    Returns
    -------
    dict
        The run's summary (as written to ``summary.json``).

    Raises
    ------
    energy.inputs.InputError, energy.optimize.SolveError, energy.store.StoreError
        Bad inputs, no optimal solution, or an unusable store; nothing is written in any case
        (a failed solve is recorded in the store as a failed run without data).
    """
    steps = steps or _no_steps
    if scenario.pathway.mode != "single":
        return run_pathway(scenario, paths, out_name, steps=steps)
    started = now_iso()
    t0 = time.perf_counter()
    check_store(paths)
    with steps("profiles"):
        inputs, profiles = prepare(scenario, paths, progress=_talks(steps))
    t_prep = time.perf_counter()
    with steps("build"):
        n = build_network(scenario, inputs, profiles)
    t_build = time.perf_counter()
    target = paths.results / (out_name or scenario.name)
    try:
        with steps("solve"):
            report: SolveReport = solve_network(n, scenario)
    except SolveError as err:
        _record_failure(paths, target.name, scenario, kind, err, started)
        raise
    t_solve = time.perf_counter()
    extra: dict[str, Any] = {}
    if scenario.verify and scenario.resolution != "1h":
        with steps("check"):
            extra["verify"] = verify_design(n, scenario, inputs, profiles)
    t_verify = time.perf_counter()
    timings = {
        "prepare_s": t_prep - t0,
        "build_s": t_build - t_prep,
        "solve_s": report.solve_s,
        "verify_s": t_verify - t_solve,
        "total_s": t_verify - t0,
    }
    extra["run_meta"] = run_meta(scenario.model_dump(mode="json"), paths.network_data,
                                 paths.profiles, kind, started, base)
    with steps("write" if paths.store is None else "write + store"):
        info = write_results(target, n, scenario, report, timings, extra,
                             on_written=recorder(paths, target, kind))
    logger.info("wrote %s in %.1f s", target, time.perf_counter() - t_solve)
    return info


def run_pathway(scenario: Scenario, paths: Paths, out_name: str | None = None,
                steps: Steps | None = None) -> dict[str, Any]:
    """Solve a pathway (perfect foresight or myopic) and write per-period results atomically.

    The folder holds ``summary.json`` (per period and discounted total), ``config.yaml``,
    ``capacity.csv``/``costs.csv``/``emissions.csv``/``energy_balance.csv`` with a ``period``
    column, ``iamc.csv`` (one block per period), and ``network.nc`` (perfect foresight) or
    ``network_<year>.nc`` (myopic). The run is appended to the results store as it is written.
    """
    steps = steps or _no_steps
    started = now_iso()
    t0 = time.perf_counter()
    check_store(paths)
    target = paths.results / (out_name or scenario.name)
    with steps("profiles"):
        inputs, profiles = prepare(scenario, paths, progress=_talks(steps))
    try:
        with steps("solve"):
            solved, reports = solve_pathway(scenario, inputs, profiles)
    except SolveError as err:
        _record_failure(paths, target.name, scenario, "pathway", err, started)
        raise
    t_solve = time.perf_counter()
    tables = period_tables(solved)
    timings = {"solve_s": sum(r.solve_s for r in reports), "total_s": t_solve - t0}
    info = pathway_summary(scenario, tables, reports, timings)
    info["run_meta"] = run_meta(scenario.model_dump(mode="json"), paths.network_data,
                                paths.profiles, "pathway", started)
    record = recorder(paths, target, "pathway")

    def _write(folder: Path) -> None:
        for name, table in tables.items():
            table.to_csv(folder / f"{name}.csv", index=False)
        pathway_iamc_table(tables, target.name).to_csv(folder / "iamc.csv", index=False)
        (folder / "config.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        if isinstance(solved, dict):
            for year, n in solved.items():
                n.export_to_netcdf(folder / f"network_{year}.nc")
        else:
            solved.export_to_netcdf(folder / "network.nc")
        (folder / "summary.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
        record(folder, info)

    with steps("write" if paths.store is None else "write + store"):
        write_atomically(target, _write)
    return info
