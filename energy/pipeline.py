"""One model run end to end: inputs → profiles → network → solve → results."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pypsa

from energy.atomic import check_writable, locked, recover
from energy.config import MILESTONE_YEARS, ConfigError, Scenario, check_run_name, resolve_scenario
from energy.inputs import Inputs, load_inputs
from energy.inputs.scaling import scale_inputs
from energy.inputs.scenario import check_scenario
from energy.inputs.sources import source_titles
from energy.network import build_network
from energy.network.build import aggregate, build_hourly
from energy.network.sanity import check_network
from energy.optimize import InfeasibleError, SolveError, SolveReport, solve_network
from energy.optimize.design_check import verify_design
from energy.optimize.diagnose import diagnose_infeasible
from energy.optimize.highs import check_solver_options, solve_presets
from energy.optimize.near_optimal import near_optimal_ranges
from energy.optimize.pathway import build_years, solve_pathway
from energy.optimize.pathway_check import check_periods
from energy.profiles import ensure_profiles
from energy.profiles.scaling import scale_load
from energy.results import write_atomically, write_results
from energy.results.iamc import pathway_iamc_table
from energy.results.io import dumps_json
from energy.results.periods import pathway_summary, period_tables, system_costs
from energy.results.provenance import FILE as PROVENANCE_FILE
from energy.results.provenance import provenance_summary, provenance_table
from energy.results.runinfo import now_iso, run_meta
from energy.results.tables import cost_table
from energy.results.validation import compare
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


def check_run(scenario: Scenario, paths: Paths, inputs: Inputs | None = None) -> Inputs:
    """Every check a run makes before it builds anything (``check`` runs the same).

    Input tables (schema, units, ranges, references, bus roles, years), the scenario against
    them and the solver options against HiGHS. The weather files and stations are checked by
    the profile build (:func:`energy.profiles.sources.read_sources`) when the profiles are
    stale; ``check`` runs that check always.

    Raises
    ------
    InputError, ConfigError
        The first problem, in one line.
    """
    inputs = inputs if inputs is not None else load_inputs(paths.network_data)
    check_scenario(scenario, inputs)
    check_solver_options(scenario.solver.options, f"scenario {scenario.name!r}")
    return inputs


def prepare(scenario: Scenario, paths: Paths, progress: bool = True) -> tuple[Inputs, Any]:
    """Validate inputs and bring the profiles up to date (rebuilding only what is stale).

    ``progress`` lets the profile builder print its steps on stderr. The scenario's
    ``input_scaling`` (uncertainty samples) is applied to the tables, and to the hourly county
    loads where it scales demand (:mod:`energy.inputs.scaling`).
    """
    inputs = check_run(scenario, paths)
    profiles = ensure_profiles(paths.network_data, paths.profiles, inputs=inputs,
                               progress=progress)
    if scenario.input_scaling:
        inputs = scale_inputs(inputs, scenario.input_scaling)
        profiles = scale_load(profiles, {key: f for (file, key, column), f in
                                         inputs.scaling.items()
                                         if file == "demand.csv" and column == "annual_mwh"})
    return inputs, profiles


def run_folder(paths: Paths, name: str, what: str = "--out") -> Path:
    """The run folder ``results/<name>``, checked before any work.

    A plain name, a writable results folder; debris of interrupted runs there is cleaned up
    (or put back) first.

    Raises
    ------
    ConfigError
        ``name`` is not a run name (a path, ``.``, ``..``).
    OutputError
        The results folder is a file, read-only or cannot be created.
    """
    check_run_name(name, what)
    check_writable(paths.results)
    with locked(paths.results):
        recover(paths.results)
    return paths.results / name


def _solve(n: pypsa.Network, scenario: Scenario, inputs: Inputs, profiles: Any) -> SolveReport:
    """Solve; when infeasible, say why (:mod:`energy.optimize.diagnose`)."""
    try:
        return solve_network(n, scenario)
    except InfeasibleError as err:
        if not scenario.solver.diagnose:
            raise
        logger.warning("infeasible; looking for the reason (re-solve with load shedding, IIS)")
        why = diagnose_infeasible(n, scenario, lambda s: build_network(s, inputs, profiles),
                                  solve_presets)
        raise InfeasibleError(f"{err}: {why}") from err


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
    target = run_folder(paths, out_name or scenario.name,
                        "--out" if out_name else "scenario name")
    started = now_iso()
    t0, c0 = time.perf_counter(), time.process_time()
    with steps("profiles"):
        inputs, profiles = prepare(scenario, paths, progress=_talks(steps))
    check_store(paths)  # after the input checks: bad input leaves no new store behind
    t_prep = time.perf_counter()
    with steps("build"):
        hourly = build_hourly(scenario, inputs, profiles)
        n = aggregate(hourly, scenario)
        check_network(n)
    check = scenario.verify and scenario.resolution != "1h"
    if not check:
        hourly = None  # at 1 h it is n itself
    t_build = time.perf_counter()
    try:
        with steps("solve"):
            report: SolveReport = _solve(n, scenario, inputs, profiles)
    except SolveError as err:
        _record_failure(paths, target.name, scenario, kind, err, started)
        raise
    t_solve = time.perf_counter()
    extra: dict[str, Any] = {}
    files: dict[str, Any] = {}
    if scenario.near_optimal.enabled:
        basis = (float(cost_table(n).value_cny_per_a.sum())
                 if scenario.near_optimal.slack_of == "zone" else None)
        files["near_optimal"], extra["near_optimal"] = near_optimal_ranges(n, scenario,
                                                                           basis=basis)
    t_mga = time.perf_counter()
    if check:
        with steps("check"):
            extra["verify"] = verify_design(n, scenario, inputs, profiles, hourly=hourly)
        hourly = None
    t_verify = time.perf_counter()
    timings = {
        "prepare_s": t_prep - t0,
        "build_s": t_build - t_prep,
        "solve_s": report.solve_s,
        **({"near_optimal_s": t_mga - t_solve} if scenario.near_optimal.enabled else {}),
        "verify_s": t_verify - t_mga,
        "total_s": t_verify - t0,  # + writing (write_results)
        "cpu_s": time.process_time() - c0,  # CPU time of all threads, + writing
    }
    extra["run_meta"] = run_meta(scenario.model_dump(mode="json"), paths.network_data,
                                 paths.profiles, kind, started, base)
    with steps("write" if paths.store is None else "write + store"):
        info = write_results(target, n, scenario, report, timings, extra, inputs=inputs,
                             files=files, on_written=recorder(paths, target, kind))
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
    target = run_folder(paths, out_name or scenario.name,
                        "--out" if out_name else "scenario name")
    steps = steps or _no_steps
    started = now_iso()
    t0 = time.perf_counter()
    with steps("profiles"):
        inputs, profiles = prepare(scenario, paths, progress=_talks(steps))
    check_store(paths)  # after the input checks: bad input leaves no new store behind
    check = None
    try:
        checked = scenario.verify and scenario.resolution != "1h"  # each period, 8,760 h
        with steps("solve"):  # hourly years built once: for the periods and for their check
            hourly = build_years(scenario, inputs, profiles) if checked else None
            solved, reports = solve_pathway(scenario, inputs, profiles, hourly)
        t_solve = time.perf_counter()
        if checked:
            with steps("check"):
                check = check_periods(scenario, inputs, profiles, solved, hourly)
    except SolveError as err:
        _record_failure(paths, target.name, scenario, "pathway", err, started)
        raise
    t_verify = time.perf_counter()
    tables = period_tables(solved)
    timings = {"solve_s": sum(r.solve_s for r in reports), "verify_s": t_verify - t_solve,
               "total_s": t_verify - t0}
    info = pathway_summary(scenario, tables, reports, timings, system_costs(solved))
    if check is not None:
        info["verify"] = check
    info["run_meta"] = run_meta(scenario.model_dump(mode="json"), paths.network_data,
                                paths.profiles, "pathway", started)
    provenance = provenance_table(inputs)
    info["provenance"] = provenance_summary(  # binding inputs: single years only
        provenance, None, source_titles(inputs.directory))
    record = recorder(paths, target, "pathway")

    def _write(folder: Path) -> None:
        for name, table in tables.items():
            table.to_csv(folder / f"{name}.csv", index=False)
        pathway_iamc_table(tables, target.name).to_csv(folder / "iamc.csv", index=False)
        provenance.to_csv(folder / PROVENANCE_FILE, index=False)
        (folder / "config.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        if isinstance(solved, dict):
            for year, n in solved.items():
                n.export_to_netcdf(folder / f"network_{year}.nc")
        else:
            solved.export_to_netcdf(folder / "network.nc")
        (folder / "summary.json").write_text(dumps_json(info), encoding="utf-8")
        record(folder, info)

    with steps("write" if paths.store is None else "write + store"):
        write_atomically(target, _write)
    return info


#: default resolution of ``validate``: a dispatch-only year, where 3 h keeps the daily cycle
#: that storage lives on (few-segment days of ``seg<N>`` hide it) at ~1/3 of 1 h's solve time
VALIDATION_RESOLUTION = "3h"


def validation_scenario(paths: Paths, year: int, overrides: tuple[str, ...] = (),
                        resolution: str | None = None) -> Scenario:
    """The ``base`` scenario dispatching statistics year ``year`` (no expansion, no check).

    Prices and costs are those of the first milestone year at or after ``year``; fleet,
    lines, demand and the neighbour's data those of ``year`` (``statistics_year``), which is
    history, so nothing can be built. Resolution: ``resolution`` or
    :data:`VALIDATION_RESOLUTION`.
    """
    later = [y for y in MILESTONE_YEARS if y >= year]
    if not later:
        raise ConfigError(f"--year {year}: after the last milestone year {MILESTONE_YEARS[-1]}")
    base = resolve_scenario("base", paths.scenarios,
                            (f"year={later[0]}", f"statistics_year={year}", "verify=false",
                             *overrides), resolution or VALIDATION_RESOLUTION)
    return base.model_copy(update={"name": f"validate-{year}",
                                   "description": f"dispatch of {year} against statistics"})


def validate(paths: Paths, year: int | None = None, overrides: tuple[str, ...] = (),
             resolution: str | None = None, out_name: str | None = None
             ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Dispatch a statistics year and compare it with ``validation.csv``; write the run.

    Parameters
    ----------
    paths : Paths
        Input and output locations.
    year : int, optional
        Statistics year (default: the latest year of ``validation.csv``).
    overrides : tuple of str
        ``--set`` overrides applied to the validation scenario.
    resolution : str, optional
        Time resolution (default: the scenario's).
    out_name : str, optional
        Folder under ``paths.results`` (default ``validate-<year>``).

    Returns
    -------
    tuple
        The comparison table (:data:`energy.results.validation.COLUMNS`) and the summary.
    """
    started = now_iso()
    t0 = time.perf_counter()
    inputs = load_inputs(paths.network_data)
    years = sorted(int(y) for y in inputs.validation.year.unique())
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise ConfigError(f"--year {year}: validation.csv has figures for {years}")
    scenario = validation_scenario(paths, year, overrides, resolution)
    target = run_folder(paths, out_name or scenario.name,
                        "--out" if out_name else "validation run name")
    inputs, profiles = prepare(scenario, paths)
    check_store(paths)
    t_prep = time.perf_counter()
    n = build_network(scenario, inputs, profiles)
    check_network(n)
    t_build = time.perf_counter()
    report = _solve(n, scenario, inputs, profiles)
    table = compare(n, inputs.validation, year, scenario.heat.distribution_loss)
    timings = {"prepare_s": t_prep - t0, "build_s": t_build - t_prep, "solve_s": report.solve_s,
               "total_s": time.perf_counter() - t0}
    failed = table[~table.passed]
    extra: dict[str, Any] = {
        "validation": {"year": year, "rows": len(table), "passed": int(table.passed.sum()),
                       "failed_gating": list(failed[failed.gating].figure_id),
                       "failed_other": list(failed[~failed.gating].figure_id)},
        "run_meta": run_meta(scenario.model_dump(mode="json"), paths.network_data,
                             paths.profiles, "validate", started)}
    info = write_results(target, n, scenario, report, timings, extra, {"validation": table},
                         on_written=recorder(paths, target, "validate"))
    return table, info
