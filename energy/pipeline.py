"""One model run end to end: inputs → profiles → network → solve → results."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypsa

from energy.config import Scenario
from energy.inputs import Inputs, load_inputs
from energy.inputs.scaling import scale_inputs
from energy.inputs.sources import source_titles
from energy.network import build_network
from energy.optimize import SolveReport, solve_network
from energy.optimize.design_check import verify_design
from energy.optimize.near_optimal import near_optimal_ranges
from energy.optimize.pathway import solve_pathway
from energy.profiles import ensure_profiles
from energy.results import write_atomically, write_results
from energy.results.periods import pathway_summary, period_tables
from energy.results.provenance import FILE as PROVENANCE_FILE
from energy.results.provenance import provenance_summary, provenance_table

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """Where a run reads its inputs and writes its results."""

    network_data: Path = ROOT / "network_data"
    profiles: Path = ROOT / "profiles"
    results: Path = ROOT / "results"
    scenarios: Path = ROOT / "scenarios.yaml"


def scale_load(profiles: Any, factors: dict[tuple, float]) -> Any:
    """Profiles with the county loads of scaled demand rows scaled by the same factor.

    A county's load is ``a + b x shape`` with ``a``, ``b`` set by its annual energy and peak
    (:func:`energy.profiles.load.scale_affine`); both scale linearly when energy and peak scale
    by one factor, so the hourly load scales by it exactly and the profiles need no rebuild.

    Parameters
    ----------
    profiles : energy.profiles.Profiles
        Built profiles.
    factors : dict
        ``(county_id, year) -> factor`` [p.u.].

    Returns
    -------
    energy.profiles.Profiles
        A copy with scaled ``load`` tables [MW].
    """
    if not factors:
        return profiles
    load = {year: frame.copy() for year, frame in profiles.load.items()}
    for (county, year), factor in factors.items():
        if int(year) in load and county in load[int(year)].columns:
            load[int(year)][county] = load[int(year)][county] * float(factor)
    return dataclasses.replace(profiles, load=load)


def prepare(scenario: Scenario, paths: Paths) -> tuple[Inputs, Any]:
    """Validate inputs and bring the profiles up to date (rebuilding only what is stale).

    The scenario's ``input_scaling`` (uncertainty samples) is applied to the tables, and to
    the hourly county loads where it scales demand (:mod:`energy.inputs.scaling`).
    """
    inputs = load_inputs(paths.network_data)
    profiles = ensure_profiles(paths.network_data, paths.profiles)
    if scenario.input_scaling:
        inputs = scale_inputs(inputs, scenario.input_scaling)
        profiles = scale_load(profiles, {key: f for (file, key, column), f in
                                         inputs.scaling.items()
                                         if file == "demand.csv" and column == "annual_mwh"})
    return inputs, profiles


def build(scenario: Scenario, paths: Paths) -> pypsa.Network:
    """Build the (time-aggregated) network of a scenario without solving it."""
    inputs, profiles = prepare(scenario, paths)
    return build_network(scenario, inputs, profiles)


def run(scenario: Scenario, paths: Paths, out_name: str | None = None) -> dict[str, Any]:
    """Build, solve and write one scenario to ``results/<name>/``.

    Parameters
    ----------
    scenario : Scenario
        The resolved scenario.
    paths : Paths
        Input and output locations.
    out_name : str, optional
        Folder name under ``paths.results`` (default: the scenario name).

    Returns
    -------
    dict
        The run's summary (as written to ``summary.json``).

    Raises
    ------
    energy.inputs.InputError, energy.optimize.SolveError
        Bad inputs or no optimal solution; nothing is written in either case.
    """
    if scenario.pathway.mode != "single":
        return run_pathway(scenario, paths, out_name)
    t0 = time.perf_counter()
    inputs, profiles = prepare(scenario, paths)
    t_prep = time.perf_counter()
    n = build_network(scenario, inputs, profiles)
    t_build = time.perf_counter()
    report: SolveReport = solve_network(n, scenario)
    t_solve = time.perf_counter()
    extra: dict[str, Any] = {}
    files: dict[str, Any] = {}
    if scenario.near_optimal.enabled:
        files["near_optimal"], extra["near_optimal"] = near_optimal_ranges(n, scenario)
    t_mga = time.perf_counter()
    if scenario.verify and scenario.resolution != "1h":
        extra["verify"] = verify_design(n, scenario, inputs, profiles)
    t_verify = time.perf_counter()
    timings = {
        "prepare_s": t_prep - t0,
        "build_s": t_build - t_prep,
        "solve_s": report.solve_s,
        **({"near_optimal_s": t_mga - t_solve} if scenario.near_optimal.enabled else {}),
        "verify_s": t_verify - t_mga,
        "total_s": t_verify - t0,
    }
    target = paths.results / (out_name or scenario.name)
    info = write_results(target, n, scenario, report, timings, extra, inputs=inputs,
                         files=files)
    logger.info("wrote %s in %.1f s", target, time.perf_counter() - t_solve)
    return info


def run_pathway(scenario: Scenario, paths: Paths, out_name: str | None = None) -> dict[str, Any]:
    """Solve a pathway (perfect foresight or myopic) and write per-period results atomically.

    The folder holds ``summary.json`` (per period and discounted total), ``config.yaml``,
    ``capacity.csv``/``costs.csv``/``emissions.csv``/``energy_balance.csv`` with a ``period``
    column, and ``network.nc`` (perfect foresight) or ``network_<year>.nc`` (myopic).
    """
    t0 = time.perf_counter()
    inputs, profiles = prepare(scenario, paths)
    solved, reports = solve_pathway(scenario, inputs, profiles)
    t_solve = time.perf_counter()
    tables = period_tables(solved)
    timings = {"solve_s": sum(r.solve_s for r in reports), "total_s": t_solve - t0}
    info = pathway_summary(scenario, tables, reports, timings)
    provenance = provenance_table(inputs)
    info["provenance"] = provenance_summary(  # binding inputs: single years only
        provenance, None, source_titles(inputs.directory))

    def _write(folder: Path) -> None:
        for name, table in tables.items():
            table.to_csv(folder / f"{name}.csv", index=False)
        provenance.to_csv(folder / PROVENANCE_FILE, index=False)
        (folder / "config.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        if isinstance(solved, dict):
            for year, n in solved.items():
                n.export_to_netcdf(folder / f"network_{year}.nc")
        else:
            solved.export_to_netcdf(folder / "network.nc")
        (folder / "summary.json").write_text(json.dumps(info, indent=2), encoding="utf-8")

    write_atomically(paths.results / (out_name or scenario.name), _write)
    return info
