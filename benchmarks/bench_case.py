"""One benchmark case in its own process: build, solve, measure, write, verify.

Run by :mod:`benchmarks.run_benchmarks` as ``python benchmarks/bench_case.py '<json>'``; prints
one line ``RESULT <json>``. A separate process per case makes the peak memory [GB] that of the
case alone.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from energy.config import resolve_scenario  # noqa: E402
from energy.network import build_network  # noqa: E402
from energy.optimize import SolveError, solve_network  # noqa: E402
from energy.pipeline import Paths, prepare  # noqa: E402
from energy.results import write_results  # noqa: E402


def peak_rss_gb() -> float:
    """Peak resident memory of this process so far [GB]."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def _range(values: np.ndarray) -> list[float]:
    v = np.abs(values[np.isfinite(values)])
    v = v[v > 0]
    return [float(v.min()), float(v.max())] if v.size else [0.0, 0.0]


def lp_stats(model: Any) -> dict[str, Any]:
    """Size and coefficient ranges of a linopy model (as passed to HiGHS, before presolve)."""
    mat = model.matrices
    return {
        "vars": int(model.nvars),
        "rows": int(model.ncons),
        "nnz": int(mat.A.nnz),
        "range_matrix": _range(mat.A.data),
        "range_cost": _range(mat.c),
        "range_bounds": _range(np.concatenate([mat.lb, mat.ub])),
        "range_rhs": _range(mat.b),
    }


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Run one case; see :func:`benchmarks.run_benchmarks.main` for the keys of ``case``."""
    paths = Paths(results=Path(tempfile.mkdtemp(prefix="bench-")))
    overrides = [f"solver.preset={case['preset']}", "solver.fallback=[]",
                 f"solver.time_limit_s={case['time_limit_s']}", *case.get("overrides", [])]
    if case.get("snapshots_limit"):
        overrides.append(f"snapshots_limit={case['snapshots_limit']}")
    scenario = resolve_scenario(case["scenario"], paths.scenarios, overrides,
                                resolution=case["resolution"])
    out: dict[str, Any] = {**case, "loadavg_start": list(os.getloadavg())}
    t0 = time.perf_counter()
    inputs, profiles = prepare(scenario, paths)
    t1 = time.perf_counter()
    n = build_network(scenario, inputs, profiles)
    t2 = time.perf_counter()
    try:
        report = solve_network(n, scenario)
    except SolveError as err:
        out.update(status=str(err)[-200:], build_s=round(t2 - t1, 2),
                   solve_wall_s=round(time.perf_counter() - t2, 2),
                   peak_rss_gb=round(peak_rss_gb(), 3), loadavg_end=list(os.getloadavg()))
        return out
    t3 = time.perf_counter()
    attempt = report.attempts[-1]
    if report.screening:  # screen, prune and price: several HiGHS runs, the last model is gone
        highs_s = sum(a.get("highs_s", 0.0) for a in report.attempts) \
            + report.screening.get("pricing_lp_s", 0.0)
        out["screening"] = report.screening
        out["attempts"] = report.attempts
    else:
        highs_s = attempt.get("highs_s", float(n.model.solver_model.getRunTime()))
        out.update(lp_stats(n.model))
    out["peak_rss_solve_gb"] = round(peak_rss_gb(), 3)
    t4 = time.perf_counter()
    timings = {"prepare_s": t1 - t0, "build_s": t2 - t1, "solve_s": report.solve_s}
    info = write_results(paths.results / "case", n, scenario, report, timings)
    t5 = time.perf_counter()
    out.update(
        status=report.termination,
        iterations=attempt.get("iterations"),
        snapshots=len(n.snapshots),
        prepare_s=round(t1 - t0, 2),
        build_s=round(t2 - t1, 2),
        model_s=round(t3 - t2 - highs_s, 2),
        solver_s=round(highs_s, 2),
        write_s=round(t5 - t4, 2),
        total_s=round((t3 - t0) + (t5 - t4), 2),
        objective=report.objective,
        system_cost=info["system_cost"],
        unserved_energy_mwh=info["unserved_energy_mwh"],
        capacity_mw=info["capacity_mw"],
        storage_mwh=info["storage_mwh"],
        line_capacity_mw=info["line_capacity_mw"]["optimal"],
    )
    if case.get("run_check") and scenario.resolution != "1h":
        from energy.optimize.design_check import verify_design

        out["verify"] = verify_design(n, scenario, inputs, profiles,
                                      method=case.get("verify_method", "lp"))
    out["peak_rss_gb"] = round(peak_rss_gb(), 3)
    out["loadavg_end"] = list(os.getloadavg())
    return out


if __name__ == "__main__":
    import logging
    import warnings

    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    result = run_case(json.loads(sys.argv[1]))
    print("RESULT " + json.dumps(result, default=float), flush=True)
